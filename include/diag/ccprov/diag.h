/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file diag.h
 * The diagnostic model: every finding of every phase (YAML, schema,
 * policy rules, provisioning refusals) is one ccp_diag in a ccp_diags
 * collection, and every output format renders that collection.
 * Locations here are plain file, line and column; reporting at a YAML
 * node is yaml.h's ccp_diags_add(), built on ccp_diags_vadd().
 */
#ifndef CCPROV_DIAG_H
#define CCPROV_DIAG_H

#include <stdarg.h>
#include <stddef.h>

typedef enum ccp_severity {
	CCP_SEV_NOTE = 0,
	CCP_SEV_WARNING = 1,
	CCP_SEV_ERROR = 2
} ccp_severity;

/** A secondary location that explains a finding (cross-file context). */
typedef struct ccp_related {
	char *file;
	unsigned line, column;
	char *message;
} ccp_related;

typedef struct ccp_diag {
	char rule[16];          /**< stable id, e.g. "CCP-S001" */
	ccp_severity severity;
	char *file;             /**< path as given to the loader */
	unsigned line, column;  /**< 1-based start; 0 when file-level */
	unsigned end_line, end_column; /**< 1-based, exclusive column */
	char *message;          /**< one line, lower-case first word */
	char *hint;             /**< optional suggestion, or NULL */
	ccp_related *related;
	size_t nrelated;
	char fingerprint[17];   /**< 16 hex digits, see ccp_diags_add() */
	/** Hash of the node's path and value (or of the fingerprint key),
	 * kept so ccp_diag_fingerprint_as() can rehash under another name. */
	unsigned long long node_hash;
	/** Accepted by an inline suppression or a baseline: kept in the
	 * reports that can say so, left out of counts and exit codes. */
	int suppressed;
	char *justification;    /**< the suppression's reason, or NULL */
	/** Which lint run (project) of a multi-project report found it. */
	unsigned group;
} ccp_diag;

/** A collection of diagnostics; caller-owned, see ccp_diags_init(). */
typedef struct ccp_diags {
	ccp_diag **items;
	size_t count, cap;
	size_t max;       /**< stop collecting past this many (0 = 100000) */
	size_t dropped;   /**< findings not kept because of max */
	int failed;       /**< an allocation failed */
	/** Optional: look up the severity of a rule id (registry). */
	int (*severity_of)(const char *rule, ccp_severity *out);
} ccp_diags;

void ccp_diags_init(ccp_diags *d);
void ccp_diags_release(ccp_diags *d);

/** Where a finding is, and what identifies it when lines move. */
typedef struct ccp_diag_at {
	const char *file;
	unsigned line, column;          /**< 1-based start; 0 when file-level */
	unsigned end_line, end_column;  /**< 1-based, exclusive column */
	/** The fingerprint hashes rule, file, fp_key and fp_value (a node's
	 * path from the document root and its text); with fp_key NULL it
	 * hashes the message instead. */
	const char *fp_key;
	const char *fp_value;
	size_t fp_value_len;
} ccp_diag_at;

/**
 * Report a finding at a location. The severity is the rule's registered
 * severity when d->severity_of knows the rule, else sev.
 *
 * Returns the new diagnostic for attaching a hint or related locations,
 * or NULL when it could not be recorded. The pointer stays valid until
 * ccp_diags_release().
 */
ccp_diag *ccp_diags_vadd(ccp_diags *d, const char *rule, ccp_severity sev,
			 const ccp_diag_at *at, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/** Same with its arguments spelt out; fp_key as in ccp_diag_at. */
ccp_diag *ccp_diags_add_at(ccp_diags *d, const char *rule, ccp_severity sev,
			   const char *file, unsigned line, unsigned column,
			   unsigned end_line, unsigned end_column,
			   const char *fp_key, const char *fmt, ...)
	__attribute__((format(printf, 10, 11)));

void ccp_diag_set_hint(ccp_diag *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** Attach a secondary location to g (nothing when g is NULL). */
void ccp_diag_add_related_at(ccp_diag *g, const char *file, unsigned line,
			     unsigned column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void ccp_diag_vadd_related_at(ccp_diag *g, const char *file, unsigned line,
			      unsigned column, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/**
 * Move every finding of src to the end of dst (src is left empty, its
 * dropped and failed states added to dst's). Returns 0, or -1 when dst
 * cannot grow (then src is untouched).
 */
int ccp_diags_take(ccp_diags *dst, ccp_diags *src);

/** Drop (and free) every finding keep() says no to, keeping the order. */
void ccp_diags_filter(ccp_diags *d, int (*keep)(void *arg, const ccp_diag *g),
		      void *arg);

/** Sort by file, line, column, rule, message and drop exact duplicates. */
void ccp_diags_finish(ccp_diags *d);

/**
 * Recompute g's fingerprint with file in place of g->file (a path
 * relative to a base folder, so fingerprints survive a change of the
 * working folder).
 */
void ccp_diag_fingerprint_as(ccp_diag *g, const char *file);

/** Count findings of a severity (suppressed ones are not counted). */
size_t ccp_diags_count(const ccp_diags *d, ccp_severity sev);

const char *ccp_severity_name(ccp_severity sev);
/** Parse "error" / "warning" / "note"; -1 when unknown. */
int ccp_severity_parse(const char *s, ccp_severity *out);

#endif
