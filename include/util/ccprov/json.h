/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file json.h
 * JSON values, a bounded parser and a streaming writer.
 *
 * The writer renders every JSON file ccprov emits (reports, kit files,
 * state). The parser reads ccprov's own state (state/cert.json), kit
 * files on verification and the golden test expectations.
 */
#ifndef CCPROV_JSON_H
#define CCPROV_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "ccprov/buf.h"

/** Deepest nesting the parser accepts. */
#define CCP_JSON_MAX_DEPTH 128

typedef enum ccp_json_type {
	CCP_JSON_NULL,
	CCP_JSON_BOOL,
	CCP_JSON_NUMBER,
	CCP_JSON_STRING,
	CCP_JSON_ARRAY,
	CCP_JSON_OBJECT
} ccp_json_type;

/** A JSON value. Objects keep their key order. */
typedef struct ccp_json {
	ccp_json_type type;
	int boolean;             /**< CCP_JSON_BOOL */
	char *text;              /**< STRING contents or NUMBER source text */
	size_t len;              /**< length of text */
	size_t count;            /**< ARRAY / OBJECT members */
	size_t cap;
	char **keys;             /**< OBJECT keys, count of them */
	struct ccp_json **items; /**< ARRAY items / OBJECT values */
	/**
	 * Internal: a hash index of the keys of a large OBJECT (slot holds
	 * position + 1), kept by ccp_json_set, so that building an object
	 * of n keys costs O(n), not O(n^2). Never modify keys directly.
	 */
	size_t *index;
	size_t index_cap;
} ccp_json;

/** Constructors; each returns NULL on allocation failure. */
ccp_json *ccp_json_new(ccp_json_type type);
ccp_json *ccp_json_new_string(const char *s);
ccp_json *ccp_json_new_stringn(const char *s, size_t len);
ccp_json *ccp_json_new_int(long long v);
/** A number from its source text (must be valid JSON number text). */
ccp_json *ccp_json_new_number(const char *text);
ccp_json *ccp_json_new_bool(int v);
/** Append to an array; takes ownership of item (freed on failure). */
int ccp_json_append(ccp_json *arr, ccp_json *item);
/** Set key in an object (replacing); takes ownership of value. */
int ccp_json_set(ccp_json *obj, const char *key, ccp_json *value);
/** Deep copy. */
ccp_json *ccp_json_clone(const ccp_json *v);
void ccp_json_free(ccp_json *v);

/** Member of an object by key, or NULL. */
const ccp_json *ccp_json_get(const ccp_json *obj, const char *key);
/**
 * Python's truth value of v, which is how NVFlare reads flags such as
 * allow_log_streaming: null, false, 0, "", [] and {} are false (so the
 * string "false" is true).
 */
int ccp_json_truthy(const ccp_json *v);
/** String contents when v is a string, else NULL. */
const char *ccp_json_str(const ccp_json *v);
/** Integer value of a number; returns -1 when not an integer. */
int ccp_json_int(const ccp_json *v, long long *out);
/** Structural equality (object key order ignored, numbers by value). */
int ccp_json_equal(const ccp_json *a, const ccp_json *b);

/**
 * Parse text. On failure returns -1, *out = NULL and writes a message
 * ("line L column C: ...") into err.
 */
int ccp_json_parse(ccp_json **out, const char *text, size_t len,
		   char *err, size_t errlen);
/** Parse a file (at most max bytes; 0 = 64 MiB). */
int ccp_json_parse_file(ccp_json **out, const char *path, size_t max,
			char *err, size_t errlen);

/** Streaming writer over a ccp_buf. */
typedef struct ccp_jw {
	ccp_buf *out;
	int indent;          /**< spaces per level; 0 = compact */
	int depth;
	int first[CCP_JSON_MAX_DEPTH + 1];
	int after_key;
} ccp_jw;

void ccp_jw_init(ccp_jw *w, ccp_buf *out, int indent);
void ccp_jw_object_begin(ccp_jw *w);
void ccp_jw_object_end(ccp_jw *w);
void ccp_jw_array_begin(ccp_jw *w);
void ccp_jw_array_end(ccp_jw *w);
void ccp_jw_key(ccp_jw *w, const char *key);
void ccp_jw_string(ccp_jw *w, const char *s);
void ccp_jw_stringn(ccp_jw *w, const char *s, size_t len);
void ccp_jw_int(ccp_jw *w, long long v);
void ccp_jw_bool(ccp_jw *w, int v);
void ccp_jw_null(ccp_jw *w);
/** Write a number given as JSON number text. */
void ccp_jw_number(ccp_jw *w, const char *text);
/** Write a whole value. */
void ccp_jw_value(ccp_jw *w, const ccp_json *v);

/** Escape s as a JSON string (with quotes) into out. */
void ccp_json_escape(ccp_buf *out, const char *s, size_t len);

/** Render v into a new string (caller frees); NULL on failure. */
char *ccp_json_render(const ccp_json *v, int indent);

#endif
