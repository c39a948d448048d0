/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file gate.h
 * What `ccprov lint` adds around the engine so that teams can gate on
 * it: the projects behind any mix of input files, the `.ccprov.yml`
 * configuration, inline suppressions, failure thresholds and baselines.
 */
#ifndef CCPROV_GATE_H
#define CCPROV_GATE_H

#include <stddef.h>

#include "ccprov/diag.h"
#include "ccprov/lint.h"
#include "ccprov/nvflare.h"

/* ---- thresholds ---- */

/** The lowest severity that fails the run; NEVER fails on nothing. */
typedef enum ccp_fail_on {
	CCP_FAIL_ERROR,
	CCP_FAIL_WARNING,
	CCP_FAIL_NOTE,
	CCP_FAIL_NEVER
} ccp_fail_on;

/** Parse "error", "warning", "note" or "never"; -1 when unknown. */
int ccp_fail_on_parse(ccp_fail_on *out, const char *s);
/** Does d hold an unsuppressed finding at or above the threshold? */
int ccp_gate_fails(const ccp_diags *d, ccp_fail_on fail_on);

/* ---- folders ---- */

/**
 * The repository root above dir (the nearest folder holding `.git`),
 * canonical; NULL when dir is in no repository. Caller frees.
 */
char *ccp_gate_repo_root(const char *dir);

/* ---- which projects to lint ---- */

/** What one lint run covers: a project, or cc_configs no project uses. */
typedef struct ccp_gate_target {
	char *project;        /**< project file, or NULL for lone cc_configs */
	char **ccs;           /**< lone cc_config files (project == NULL) */
	size_t nccs;
} ccp_gate_target;

typedef struct ccp_gate_targets {
	ccp_gate_target *items;
	size_t count;
	/** Inputs neither a project nor used by one (nor a cc_config). */
	char **skipped;
	size_t nskipped;
} ccp_gate_targets;

/**
 * Work out the projects behind paths: project files are themselves;
 * folders are searched for project files; any other file is looked up in
 * the project files of its folder and the folders above it (up to the
 * repository root), which use it when they read it directly or through
 * `include:`. Each project appears once. A cc_config no project uses
 * becomes a lone target. Returns 0, or -1 when memory runs out.
 */
int ccp_gate_targets_find(ccp_gate_targets *out, const char *const *paths,
			  size_t n);
void ccp_gate_targets_release(ccp_gate_targets *t);

/** Is the YAML text that of a project file (top-level participants or
 * api_version), of a cc_config (compute_env, cc_cpu_mechanism,
 * cc_issuers...), or neither (0)? */
enum { CCP_GATE_OTHER, CCP_GATE_PROJECT, CCP_GATE_CC_CONFIG };
int ccp_gate_classify(const char *text, size_t len);

/* ---- configuration ---- */

/** The configuration file's name, looked up from a project's folder up. */
#define CCP_GATE_CONFIG_NAME ".ccprov.yml"

/** A rule setting: a level (or off) and path globs to ignore. */
typedef struct ccp_gate_rule_cfg {
	char id[16];
	int level;            /**< -1 unchanged, else a ccp_severity */
	int off;
	char **ignore;
	size_t nignore;
} ccp_gate_rule_cfg;

typedef struct ccp_gate_config {
	char *path;           /**< the file, as found */
	char *dir;            /**< its folder: ignore globs are relative to it */
	int has_fail_on;
	ccp_fail_on fail_on;
	int has_line;
	ccp_nvf_line line;
	char **ignore;        /**< globs whose findings are dropped */
	size_t nignore;
	ccp_gate_rule_cfg *rules;
	size_t nrules;
} ccp_gate_config;

/**
 * The configuration file for a project in dir: the nearest
 * CCP_GATE_CONFIG_NAME from dir up to the repository root (or only dir
 * outside a repository). NULL when there is none. Caller frees.
 */
char *ccp_gate_config_find(const char *dir);

/**
 * Load and check a configuration file; problems (with positions) go to
 * diags as CCP-G001, and the valid settings are kept. *out NULL only
 * when memory runs out (returns -1).
 */
int ccp_gate_config_load(ccp_gate_config **out, const char *path,
			 ccp_diags *diags);
void ccp_gate_config_free(ccp_gate_config *c);

/** Apply levels, `off` and ignore globs to d (a finished collection). */
void ccp_gate_config_apply(const ccp_gate_config *c, ccp_diags *d);

/* ---- inline suppressions ---- */

/**
 * Read `# ccprov: disable=RULE -- reason` (the finding's line or the line
 * before) and `# ccprov: disable-file=RULE -- reason` (comments at the
 * top) in files, mark the findings they cover as suppressed, and report
 * suppressions without a reason (CCP-G002), that cover nothing
 * (CCP-G003) or that cannot be read (CCP-G004). Returns 0 or -1.
 */
int ccp_gate_suppress(ccp_diags *d, const char *const *files, size_t n);

struct ccp_yaml_reads;
/**
 * ccp_gate_suppress() over what the run recorded (reads may be NULL):
 * a file the loader read is known by the identity and the text the load
 * saw, and is neither looked up nor read again; other files (an editor's
 * buffer, a file the run did not read) are read as ccp_gate_suppress()
 * reads them. Returns 0 or -1.
 */
int ccp_gate_suppress_loaded(ccp_diags *d, const char *const *files, size_t n,
			     const struct ccp_yaml_reads *reads);

/* ---- baseline ---- */

/**
 * Rehash every fingerprint with its file relative to base_dir and
 * remember nothing else: what a baseline compares.
 */
void ccp_gate_fingerprint(ccp_diags *d, const char *base_dir);

/** Write d's unsuppressed findings as a baseline (JSON) to path. */
int ccp_gate_baseline_write(const ccp_diags *d, const char *path,
			    const char *base_dir);

typedef struct ccp_gate_baseline ccp_gate_baseline;

/** Read a baseline; NULL with a message in err when it cannot be used. */
ccp_gate_baseline *ccp_gate_baseline_read(const char *path, char *err,
					  size_t errlen);
/** Drop the findings of d the baseline holds (each entry matches once). */
void ccp_gate_baseline_filter(ccp_gate_baseline *b, ccp_diags *d);
/**
 * The baseline's entries no finding matched: fixed since. Calls fn for
 * each (rule, file, message).
 */
void ccp_gate_baseline_fixed(const ccp_gate_baseline *b,
			     void (*fn)(void *arg, const char *rule,
					const char *file, const char *message),
			     void *arg);
void ccp_gate_baseline_free(ccp_gate_baseline *b);

#endif
