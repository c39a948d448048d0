/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The schema machinery shared by the two schema tables: extensions that
 * libcyaml's tables cannot express (integer ranges, soft enums, value
 * unions, name policies), keyed by (mapping fields, key), and the walker
 * context custom checks report through.
 */
#ifndef CCPROV_SCHEMA_INTERNAL_H
#define CCPROV_SCHEMA_INTERNAL_H

#include <cyaml/cyaml.h>

#include "ccprov/schema.h"

/* Mapping schemas whose lookups one walk keeps (ours have fewer). */
#define CCP_WALK_MEMOS 16

/*
 * One mapping schema's fields as the walker looks them up: a project's
 * participants are thousands of mappings of one schema, so the lengths
 * of its key names and their extension rows are found once per walk
 * instead of once per mapping. A memo is never replaced during a walk
 * (a nested walk may not pull it from under its caller); past
 * CCP_WALK_MEMOS schemas the walker looks fields up as it goes.
 */
typedef struct ccp_walk_memo {
	const void *fields;                  /* the cyaml fields */
	const struct ccp_field_ext *mext;    /* the mapping's own row */
	size_t n;
	size_t *lens;                        /* n key lengths (malloc'd) */
	const struct ccp_field_ext **ext;    /* n rows, in the same block */
} ccp_walk_memo;

typedef struct ccp_walk {
	ccp_diags *diags;
	ccp_kind kind;
	size_t errors;
	ccp_walk_memo memo[CCP_WALK_MEMOS];
	size_t nmemo;
} ccp_walk;

typedef void (*ccp_field_check)(ccp_walk *w, const ccp_node *value);

enum ccp_unknown_policy {
	CCP_UNKNOWN_ERROR = 0,   /* CCP-S001 */
	CCP_UNKNOWN_NOTE,        /* CCP-S002: open mappings (participant props) */
	CCP_UNKNOWN_ALLOW
};

typedef struct ccp_field_ext {
	const cyaml_schema_field_t *fields;  /* the mapping this entry is about */
	const char *key;                     /* NULL: the mapping itself */
	int unknown;                         /* mapping: unknown-key policy */
	int has_range;
	long long min, max;                  /* integers (also list entries) */
	const char *const *soft_values;      /* strings: known values; others warn */
	int simple_name;                     /* soft value: one that is not [A-Za-z0-9_]+
					      * is the field check's error, not a warning */
	const cyaml_schema_value_t *alt_map; /* ignored field: a string or this mapping */
	int alt_list;                        /* ignored field: a string or a list of strings */
	int any_scalar;                      /* strings: numbers and booleans are fine too */
	ccp_field_check check;               /* further checks on the value */
} ccp_field_ext;

typedef struct ccp_schema_def {
	ccp_kind kind;
	const char *what;                    /* "project file", "cc_config file" */
	const cyaml_schema_value_t *top;
	const ccp_field_ext *ext;
	size_t n_ext;
} ccp_schema_def;

/** The extension row of key in fields (NULL key: the mapping's own
 * row), or NULL; the walker and the JSON Schema writer share it. */
const ccp_field_ext *ccp_schema_find_ext(const ccp_schema_def *def,
					 const cyaml_schema_field_t *fields,
					 const char *key);

extern const ccp_schema_def ccp_project_schema_def;
extern const ccp_schema_def ccp_cc_config_schema_def;

/*
 * ccp_schema_load() by way of the tree, emitted as YAML again, whatever
 * the document's text: what it does for documents whose text it cannot
 * hand to libcyaml as written.
 */
int ccp_schema_load_tree(ccp_kind kind, const ccp_node *root, void **out);

/* Report through the walker (counts errors). */
ccp_diag *ccp_walk_report(ccp_walk *w, const char *rule, ccp_severity sev,
			  const ccp_node *at, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Walk value against a mapping schema (used by custom checks). */
void ccp_walk_mapping(ccp_walk *w, const ccp_schema_def *def,
		      const cyaml_schema_value_t *schema, const ccp_node *value);

/* A scalar PyYAML reads as an int, a float or a bool (not a string). */
int ccp_schema_non_string(const ccp_node *n);
/*
 * Report CCP-S003 when n is such a scalar where want (a string) is
 * needed; 1 when reported.
 */
int ccp_walk_want_string(ccp_walk *w, const ccp_node *n, const char *want);

/*
 * The name check shared with provision (ccprov/names.h) on a string
 * scalar, reported as CCP-S010; max bounds its length in bytes
 * (CCP_NAME_ANY_LENGTH when the caller checks length itself). Returns 1
 * when reported.
 */
int ccp_walk_check_name(ccp_walk *w, const ccp_node *n, const char *what,
			size_t max);

/* Checks shared by both tables. */
void ccp_check_string_map(ccp_walk *w, const ccp_node *value);
void ccp_check_host_map(ccp_walk *w, const ccp_node *value);

#endif
