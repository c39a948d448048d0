/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file nvflare.h
 * What ccprov knows about NVFlare, one table per release line.
 *
 * NVFlare 2.7.x and 2.8.x write startup kits that each other's runtime
 * refuses (docs/nvflare-lines.md), so lint, provision and verify all ask
 * this catalogue instead of keeping their own copies of class paths,
 * defaults and feature switches. Adding a release line is one new row.
 */
#ifndef CCPROV_NVFLARE_H
#define CCPROV_NVFLARE_H

#include <stddef.h>

/** A release line whose kits ccprov can write. The latest is 0, so a
 * zeroed options struct means the default line. */
typedef enum ccp_nvf_line {
	CCP_NVF_2_8 = 0,
	CCP_NVF_2_7 = 1
} ccp_nvf_line;

/** The line used when neither the command line nor a config names one:
 * the latest release. */
#define CCP_NVF_DEFAULT CCP_NVF_2_8

/** Facts about one release line; static, never freed. */
typedef struct ccp_nvf_release {
	ccp_nvf_line line;
	const char *name;            /**< "2.7" */
	const char *reference;       /**< the release its kits match, "2.7.2" */
	int max_api_version;         /**< highest project api_version accepted */
	int has_studies;             /**< `studies` (api_version 4) */
	/** resources carry the class allow-list, and a cc_config's
	 * class_allow_list extends it */
	int has_class_allow_list;
	/** fed_server.json and fed_client.json carry a DummyOverseerAgent,
	 * and a client's service has no target */
	int overseer_agent;
	/** startup/ and local/ of kits without CC are signed too */
	int signs_plain_kits;
	/** a `type: overseer` participant is refused (else ignored) */
	int refuses_overseer;
	/** client resources stream logs (allow_log_streaming,
	 * site_log_streamer, resource expiration_period) */
	int client_log_streaming;
	/** allow_error_sending adds the error_log_sender component */
	int error_log_sender;
	/** a participant's auth_identity reaches the kits (NVFlare's main
	 * branch only); which builder arguments a line reads is in the
	 * argument tables (ccp_nvf_arg.lines) */
	int has_auth_identity;
	const char *log_receiver;    /**< server resources' log_receiver class */
	const char *error_log_file;  /**< errorFileHandler's file name */
	/** the template files NVFlare ships (lighter/templates/), which
	 * WorkspaceBuilder's obsolete template_file may still name;
	 * NULL-terminated */
	const char *const *templates;
	const char *const *class_allow_list; /**< default allow-list, or NULL */
	size_t n_class_allow_list;
} ccp_nvf_release;

/** The facts of a line (never NULL for a valid line). */
const ccp_nvf_release *ccp_nvf_release_of(ccp_nvf_line line);

/**
 * Parse "2.7", "2.8" or a release of a line ("2.7.2", "2.8.1").
 * Returns 0 and sets *out, or -1 for anything else.
 */
int ccp_nvf_line_parse(ccp_nvf_line *out, const char *s);

/** "2.7|2.8", for usage texts and messages. */
const char *ccp_nvf_line_names(void);

/** The bit of line l in a set of release lines (ccp_nvf_arg.lines). */
#define CCP_NVF_LINE_BIT(l) (1u << (unsigned)(l))
/** Every release line. */
#define CCP_NVF_ALL_LINES \
	(CCP_NVF_LINE_BIT(CCP_NVF_2_8) | CCP_NVF_LINE_BIT(CCP_NVF_2_7))

/* ---- builders and packagers ---- */

/** The builders ccprov implements. */
typedef enum ccp_nvf_builder {
	CCP_NVF_B_WORKSPACE,
	CCP_NVF_B_STATIC_FILE,
	CCP_NVF_B_CERT,
	CCP_NVF_B_CC,
	CCP_NVF_B_SIGNATURE,
	CCP_NVF_B_UNKNOWN
} ccp_nvf_builder;

/** The builder a dotted class path names exactly, or CCP_NVF_B_UNKNOWN
 * (a builder ccprov does not implement). */
ccp_nvf_builder ccp_nvf_builder_kind(const char *path);
/** The dotted class path of a builder ccprov implements. */
const char *ccp_nvf_builder_path(ccp_nvf_builder kind);

/** The package of NVFlare's builders and packagers. */
#define CCP_NVF_LIGHTER "nvflare.lighter."
/** The package of NVFlare's CC authorizers and CC manager. */
#define CCP_NVF_CC_PKG "nvflare.app_opt.confidential_computing."
#define CCP_NVF_ONPREM_PACKAGER \
	CCP_NVF_LIGHTER "cc_provision.impl.onprem_packager.OnPremPackager"
#define CCP_NVF_CC_MANAGER CCP_NVF_CC_PKG "cc_manager.CCManager"
#define CCP_NVF_OVERSEER_AGENT "nvflare.ha.dummy_overseer_agent.DummyOverseerAgent"
/** The component 2.7's allow_error_sending adds to client resources. */
#define CCP_NVF_ERROR_LOG_SENDER \
	"nvflare.app_common.logging.log_sender.ErrorLogSender"

/** Every builder and packager class NVFlare ships that ccprov knows. */
typedef enum ccp_nvf_class_id {
	CCP_NVF_C_WORKSPACE,
	CCP_NVF_C_STATIC,
	CCP_NVF_C_CERT,
	CCP_NVF_C_CC,
	CCP_NVF_C_SIGNATURE,
	CCP_NVF_C_DOCKER,
	CCP_NVF_C_HE,
	CCP_NVF_C_EDGE,
	CCP_NVF_C_AWS,
	CCP_NVF_C_AZURE,
	CCP_NVF_C_TEMPLATE,
	CCP_NVF_C_ONPREM,
	CCP_NVF_C_COUNT
} ccp_nvf_class_id;

/** What an argument's value must be (lint's CCP-B010 checks it). */
typedef enum ccp_nvf_arg_kind {
	CCP_NVF_ARG_ANY,
	CCP_NVF_ARG_STR,        /**< a string; null means the default */
	CCP_NVF_ARG_NAME,       /**< a non-empty string */
	CCP_NVF_ARG_FILE_NAME,  /**< a name that becomes a kit file name */
	CCP_NVF_ARG_BOOL,       /**< true/false; null means the default */
	CCP_NVF_ARG_POS_INT,    /**< an integer > 0 */
	CCP_NVF_ARG_INT_LIST,   /**< a list of integers */
	CCP_NVF_ARG_SCHEME,     /**< a non-empty string, a builtin scheme or a custom driver's */
	CCP_NVF_ARG_TEMPLATE    /**< null, or template file names the release ships */
} ccp_nvf_arg_kind;

/** One argument of a builder or packager class. */
typedef struct ccp_nvf_arg {
	const char *name;
	ccp_nvf_arg_kind kind;
	const char *obsolete;   /**< why it is obsolete, or NULL */
	/**
	 * The release lines whose class reads it (CCP_NVF_LINE_BIT). An
	 * argument no released line reads is one a later NVFlare reads:
	 * a line whose class takes **kwargs ignores it, another one fails
	 * on it; ccprov may still read it itself (root_valid_days).
	 */
	unsigned lines;
} ccp_nvf_arg;

/** A builder or packager class; static, never freed. */
typedef struct ccp_nvf_class {
	ccp_nvf_class_id id;
	const char *path;          /**< the full dotted class path */
	ccp_nvf_builder builder;   /**< the builder ccprov runs, or CCP_NVF_B_UNKNOWN */
	int packager;              /**< a packager, not a builder */
	int kwargs;                /**< the constructor takes **kwargs: unknown args are ignored */
	int obsolete;              /**< it does nothing any more */
	const ccp_nvf_arg *args;   /**< its arguments, ended by a NULL name */
} ccp_nvf_class;

/** The class of that id (never NULL for a valid id). */
const ccp_nvf_class *ccp_nvf_class_of(ccp_nvf_class_id id);
/** The builder (packager 0) or packager (1) class path names exactly,
 * or NULL. */
const ccp_nvf_class *ccp_nvf_class_find(const char *path, int packager);
/** The argument name of class c, or NULL when c does not take it. */
const ccp_nvf_arg *ccp_nvf_class_arg(const ccp_nvf_class *c, const char *name);
/** The arguments of a builder ccprov implements, ended by a NULL name
 * (NULL for CCP_NVF_B_UNKNOWN). */
const ccp_nvf_arg *ccp_nvf_builder_args(ccp_nvf_builder kind);
/** The argument name of a builder ccprov implements, or NULL. */
const ccp_nvf_arg *ccp_nvf_builder_arg(ccp_nvf_builder kind, const char *name);
/** Does line's NVFlare read argument a? */
int ccp_nvf_arg_read(const ccp_nvf_arg *a, ccp_nvf_line line);

/* ---- attestation authorizers (cc_issuers) ---- */

/** At most this many authorizer classes are known. */
#define CCP_NVF_ISSUERS_MAX 16

/** An authorizer class NVFlare ships; static, never freed. */
typedef struct ccp_nvf_issuer {
	const char *path;          /**< the full dotted class path */
	const char *env_key;       /**< the cc_config key the class needs ... */
	const char *env_value;     /**< ... with this value */
	const char *const *args;   /**< constructor keyword arguments, NULL-ended */
	const char *const *required; /**< those without a default, NULL-ended */
} ccp_nvf_issuer;

/** The authorizer class path names exactly, or NULL. */
const ccp_nvf_issuer *ccp_nvf_issuer_find(const char *path);
/** The known authorizer classes, in a fixed order; *n is set to their
 * number (at most CCP_NVF_ISSUERS_MAX). */
const ccp_nvf_issuer *ccp_nvf_issuers(size_t *n);

/* ---- compute environments ---- */

/** How NVFlare's CCBuilder treats a compute_env. */
typedef struct ccp_nvf_env {
	const char *name;        /**< "onprem_cvm" */
	/** logs go to the CVM's /applog drive (the on-prem builder);
	 * the Azure builder leaves log paths relative */
	int applog;
	/** attestation is real (mock is not) */
	int attests;
	/** the OnPremPackager hands the kit to build_image_cmd */
	int builds_image;
	/** the image is a VM built for the cc_config's role (server or
	 * client); ACI containers and mock sites do not read role */
	int vm_role;
} ccp_nvf_env;

/** The compute_env of that name, or NULL. */
const ccp_nvf_env *ccp_nvf_env_find(const char *name);

/* ---- defaults NVFlare applies ---- */

#define CCP_NVF_FED_LEARN_PORT 8002
#define CCP_NVF_CHECK_FREQUENCY 600
#define CCP_NVF_SCHEME "http"
#define CCP_NVF_CC_MGR_ID "cc_manager"
#define CCP_NVF_CONN_SECURITY "mtls"

#endif
