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
	/** StaticFileBuilder require_signed_jobs and a participant's
	 * auth_identity reach the kits (NVFlare's main branch only) */
	int has_signed_jobs;
	int has_auth_identity;
	/** CertBuilder takes root_valid_days (else a TypeError) */
	int has_root_valid_days;
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

/* ---- builders and packagers ---- */

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

#define CCP_NVF_ONPREM_PACKAGER \
	"nvflare.lighter.cc_provision.impl.onprem_packager.OnPremPackager"
#define CCP_NVF_CC_MANAGER \
	"nvflare.app_opt.confidential_computing.cc_manager.CCManager"
#define CCP_NVF_OVERSEER_AGENT "nvflare.ha.dummy_overseer_agent.DummyOverseerAgent"

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
