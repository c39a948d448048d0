/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the builders share (build_common.c and this header): where a
 * kit's files go, writing them, and building the JSON they hold. Each
 * builder NVFlare names has its own file (build_workspace.c,
 * build_static.c, build_certs.c, build_cc.c, build_signatures.c; their
 * entry points are in prov_int.h). Seen by provision/ alone.
 */
#ifndef CCPROV_BUILD_INT_H
#define CCPROV_BUILD_INT_H

#include <sys/types.h>

#include "prov_int.h"

/** kits_dir/name[/sub[/file]], malloc'd (NULL on allocation failure). */
char *ccp_prov_kit_path(const char *kits_dir, const char *name,
			const char *sub, const char *file);
/** v rendered into the new file kits_dir/name/sub/file (mode 0644). */
int ccp_prov_put_json(const char *kits_dir, const char *name, const char *sub,
		      const char *file, const ccp_json *v, ccp_error *err);
/** text into the new file kits_dir/name/sub/file with mode. */
int ccp_prov_put_text(const char *kits_dir, const char *name, const char *sub,
		      const char *file, const char *text, mode_t mode,
		      ccp_error *err);
/** One of NVFlare's default JSON documents, as cfg's release line
 * writes it, into the new file kits_dir/name/sub/file. */
int ccp_prov_put_template(const char *kits_dir, const char *name,
			  const char *sub, const char *file, ccp_prov_tpl id,
			  const ccp_prov_cfg *cfg, ccp_error *err);

/* Who gets a kit, and who a CC kit. */
static inline int has_kit(const ccp_kit_participant *q)
{
	return q->type == CCP_PT_SERVER || q->type == CCP_PT_CLIENT ||
	       q->type == CCP_PT_ADMIN || q->type == CCP_PT_RELAY;
}

static inline int is_cc(const ccp_kit_participant *q)
{
	return q->cc && (q->type == CCP_PT_SERVER || q->type == CCP_PT_CLIENT);
}

/* Object construction that records the first allocation failure: a
 * builder sets every key, then jb_finish() says whether all of it held. */
typedef struct jb {
	int failed;
} jb;

static inline ccp_json *jb_check(jb *b, ccp_json *v)
{
	if (!v)
		b->failed = 1;
	return v;
}

static inline void jb_set(jb *b, ccp_json *obj, const char *key, ccp_json *v)
{
	if (!v || !obj) {
		ccp_json_free(v);
		b->failed = 1;
		return;
	}
	if (ccp_json_set(obj, key, v) < 0)
		b->failed = 1;
}

static inline void jb_add(jb *b, ccp_json *arr, ccp_json *v)
{
	if (!v || !arr) {
		ccp_json_free(v);
		b->failed = 1;
		return;
	}
	if (ccp_json_append(arr, v) < 0)
		b->failed = 1;
}

static inline ccp_json *jstr(jb *b, const char *s)
{
	return jb_check(b, ccp_json_new_string(s));
}

static inline ccp_json *jint(jb *b, long long v)
{
	return jb_check(b, ccp_json_new_int(v));
}

static inline ccp_json *jobj(jb *b)
{
	return jb_check(b, ccp_json_new(CCP_JSON_OBJECT));
}

static inline ccp_json *jarr(jb *b)
{
	return jb_check(b, ccp_json_new(CCP_JSON_ARRAY));
}

static inline int jb_finish(jb *b, ccp_json *doc, ccp_json **out, ccp_error *err)
{
	if (b->failed || !doc) {
		ccp_json_free(doc);
		*out = NULL;
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	}
	*out = doc;
	return 0;
}

#endif
