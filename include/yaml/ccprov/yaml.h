/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file yaml.h
 * Positioned YAML document trees.
 *
 * libyaml's event stream becomes a tree in which every node keeps the file
 * it came from and its start and end positions, so that every diagnostic
 * can point at the exact value, including values merged in through
 * NVFlare's `include:` key. Scalars are resolved the way PyYAML's
 * safe_load (which NVFlare uses) resolves plain scalars.
 */
#ifndef CCPROV_YAML_H
#define CCPROV_YAML_H

#include <stddef.h>
#include <stdint.h>

#include "ccprov/diag.h"

/** Largest input file read, in bytes. */
#define CCP_YAML_MAX_FILE_SIZE ((size_t)64 * 1024 * 1024)
/** Deepest nesting of mappings and sequences. */
#define CCP_YAML_MAX_DEPTH 64
/** Most nodes that alias expansion may add to one document. */
#define CCP_YAML_MAX_ALIAS_NODES 100000
/** Most nodes in one document and the files it includes, together. */
#define CCP_YAML_MAX_NODES 4000000
/** Deepest chain of `include:` files. */
#define CCP_YAML_MAX_INCLUDE_DEPTH 8
/**
 * Most files one document may include, directly or not (a file included
 * twice counts twice). The document and its includes together are also
 * held to CCP_YAML_MAX_FILE_SIZE bytes and CCP_YAML_MAX_NODES nodes.
 */
#define CCP_YAML_MAX_INCLUDED_FILES 1000
/** Most distinct files one run may load. */
#define CCP_YAML_MAX_FILES 100000

typedef enum ccp_node_kind {
	CCP_NODE_SCALAR,
	CCP_NODE_MAP,
	CCP_NODE_SEQ
} ccp_node_kind;

/** The type PyYAML's resolver gives a scalar. */
typedef enum ccp_scalar_type {
	CCP_SCALAR_NULL,
	CCP_SCALAR_BOOL,
	CCP_SCALAR_INT,
	CCP_SCALAR_FLOAT,
	CCP_SCALAR_STR
} ccp_scalar_type;

struct ccp_node;

typedef struct ccp_pair {
	struct ccp_node *key;   /**< always a scalar */
	struct ccp_node *value;
} ccp_pair;

/*
 * A node is what every input value costs, so it is kept small: the
 * loader packs nodes and their text into blocks it frees together, and
 * the one-byte fields sit in what would otherwise be padding.
 */
typedef struct ccp_node {
	struct ccp_node *parent;
	const char *file;        /**< owned by the ccp_yaml_set */
	/** When the value of a mapping pair: that pair's key text. */
	const char *key;

	/* scalar */
	char *value;             /**< NUL-terminated (may contain NUL); NULL
				  *   unless a scalar */
	size_t len;

	/* mapping / sequence */
	size_t count;
	union {
		ccp_pair *pairs;         /**< CCP_NODE_MAP */
		struct ccp_node **items; /**< CCP_NODE_SEQ */
	};

	unsigned line, column;   /**< 1-based start */
	unsigned end_line, end_column; /**< 1-based, exclusive */
	/** When an item of a sequence: its index, else -1. */
	int32_t index;
	uint8_t kind;            /**< ccp_node_kind */
	uint8_t stype;           /**< scalar: the ccp_scalar_type PyYAML resolves */
	uint8_t quoted;          /**< scalar: not a plain scalar */
	uint8_t flags;           /**< the loader's own */
} ccp_node;

/** One loaded file. */
typedef struct ccp_yaml_doc {
	char *path;        /**< as referenced (for diagnostics) */
	char *real;        /**< canonical path, NULL when unreadable */
	ccp_node *root;    /**< NULL when the file failed to load */
	int ok;            /**< loaded with no error-level finding */
} ccp_yaml_doc;

/**
 * All files of a run: owns the nodes and interned file names. Files are
 * loaded at most once (keyed by canonical path).
 */
typedef struct ccp_yaml_set ccp_yaml_set;

ccp_yaml_set *ccp_yaml_set_new(ccp_diags *diags);
void ccp_yaml_set_free(ccp_yaml_set *set);

/**
 * realpath(3) of path, asked of the file system once per set: a large
 * project names the same few files thousands of times. The result is
 * owned by the set; NULL when path does not resolve.
 */
const char *ccp_yaml_realpath(ccp_yaml_set *set, const char *path);

/**
 * Load a YAML file whose root must be a mapping, resolving `include:`
 * keys. Problems are reported to the set's diagnostics; ref, when given,
 * is the node that named the file (for "missing file" diagnostics).
 * Returns the document (owned by the set; never NULL except on allocation
 * failure). doc->root is NULL when the file could not be used at all.
 */
ccp_yaml_doc *ccp_yaml_load(ccp_yaml_set *set, const char *path,
			    const ccp_node *ref);

/** Load from memory (for tests and fuzzing); name labels diagnostics. */
ccp_yaml_doc *ccp_yaml_load_mem(ccp_yaml_set *set, const char *name,
				const char *data, size_t len);

/** Number of distinct files loaded. */
size_t ccp_yaml_set_nfiles(const ccp_yaml_set *set);

/**
 * Whether the set read the file with this identity (st_dev, st_ino),
 * whatever name it was reached by: an included file, a link, a path
 * with '..'.
 */
int ccp_yaml_set_read(const ccp_yaml_set *set, unsigned long long dev,
		      unsigned long long ino);

/** Every file name the set met (as referenced, then canonical), for
 * i below ccp_yaml_set_nnames(); NULL past the end. */
size_t ccp_yaml_set_nnames(const ccp_yaml_set *set);
const char *ccp_yaml_set_name(const ccp_yaml_set *set, size_t i);

/** The tag of ccprov's own comments in YAML files
 * ("# ccprov: disable=RULE -- reason"). */
#define CCP_YAML_MARKER "ccprov:"
/** Most text bytes one ccp_yaml_reads keeps for all its files together. */
#define CCP_YAML_READS_MAX_TEXT CCP_YAML_MAX_FILE_SIZE

/** One file a set read from disk, as the read found it. */
typedef struct ccp_yaml_read {
	const char *name;          /**< as opened (owned by the ccp_yaml_reads) */
	const char *real;          /**< canonical name the set gave it, or NULL */
	unsigned long long dev, ino; /**< fstat(2) of the descriptor read */
	int marker;                /**< its text mentions CCP_YAML_MARKER */
	/** When marker: the text read (NUL-terminated, len bytes), or NULL
	 * when it was not kept (past CCP_YAML_READS_MAX_TEXT, no memory). */
	const char *text;
	size_t len;
} ccp_yaml_read;

/**
 * The record of every file the sets it is given to read from disk, which
 * outlives them: what later passes over the same files (suppressions)
 * need, so that they do not open the files again. Caller-owned, and
 * released only after every set recording into it is freed (a text kept
 * here may also be the set's copy of a document). An overlay's data is
 * not recorded (it was not read from disk), nor a file whose record
 * could not be allocated.
 */
typedef struct ccp_yaml_reads {
	ccp_yaml_read *items;
	size_t count, cap;
	size_t kept;               /**< text bytes kept */
	char **owned;              /**< names and texts, freed together */
	size_t nowned, capowned;
} ccp_yaml_reads;

void ccp_yaml_reads_init(ccp_yaml_reads *r);
void ccp_yaml_reads_release(ccp_yaml_reads *r);
/** Record every file set reads from now on into reads (NULL: stop). */
void ccp_yaml_set_record(ccp_yaml_set *set, ccp_yaml_reads *reads);

/**
 * Read data (len bytes, caller-owned, kept alive until the overlay is
 * cleared) wherever path is loaded, instead of the file: an editor's
 * unsaved buffer. path NULL clears it. Process-wide; 0 or -1 (no memory,
 * or path's folder does not exist).
 */
int ccp_yaml_overlay(const char *path, const char *data, size_t len);
/** A copy of the overlay's data when it stands for path (caller frees,
 * *len set), else NULL. */
char *ccp_yaml_overlay_read(const char *path, size_t *len);

/* ---- accessors ---- */

/** Value for key in a mapping node, or NULL (NULL map allowed). */
const ccp_node *ccp_node_get(const ccp_node *map, const char *key);
/** The key node of key in a mapping, or NULL. */
const ccp_node *ccp_node_get_key(const ccp_node *map, const char *key);
/** Scalar text, or NULL when not a non-null scalar. */
const char *ccp_node_str(const ccp_node *n);
/** Convenience: ccp_node_str(ccp_node_get(map, key)). */
const char *ccp_node_get_str(const ccp_node *map, const char *key);
/** Integer value of an int scalar; -1 when not an int or out of range. */
int ccp_node_int(const ccp_node *n, long long *out);
/** Boolean of a bool scalar; -1 when not a bool. */
int ccp_node_bool(const ccp_node *n, int *out);
/** Python's bool() of the value PyYAML makes of n (how NVFlare reads
 * flags it never type-checks). */
int ccp_node_truthy(const ccp_node *n);
int ccp_node_is_null(const ccp_node *n);
/** "mapping", "sequence", "string", "integer", "boolean", "null", "float". */
const char *ccp_node_type_name(const ccp_node *n);
/**
 * Path of a node from its document root, e.g. "participants[2].name".
 * Writes into buf (truncating) and returns buf.
 */
char *ccp_node_path(const ccp_node *n, char *buf, size_t size);

/** Classify a plain scalar the way PyYAML (YAML 1.1) does. */
ccp_scalar_type ccp_yaml_resolve(const char *s, size_t len);

/* ---- diagnostics at a node ---- */

/**
 * Report a finding at a node (or file-level when at is NULL, then file
 * names the file). The severity is the rule's registered severity when
 * d->severity_of knows the rule, else sev. The fingerprint hashes rule,
 * file, the node's path from the document root and its value, so it does
 * not change when lines move.
 *
 * Returns the new diagnostic for attaching a hint or related locations,
 * or NULL when it could not be recorded. The pointer stays valid until
 * ccp_diags_release().
 */
ccp_diag *ccp_diags_add(ccp_diags *d, const char *rule, ccp_severity sev,
			const ccp_node *at, const char *file,
			const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/** Attach the node at as a secondary location (nothing when g or at is NULL). */
void ccp_diag_add_related(ccp_diag *g, const ccp_node *at,
			  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
