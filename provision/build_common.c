/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the builders (build_*.c) share: the settings read from the
 * builders' args, and writing a file of a participant's kit. JSON files
 * are built as ccp_json trees (build_int.h) and rendered, so their keys
 * and values come from one place.
 */
#include "build_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

const ccp_kit_component *ccp_prov_builder(const ccp_kit_project *p,
					  ccp_nvf_builder kind)
{
	size_t i;

	for (i = 0; i < p->n_builders; i++)
		if (ccp_nvf_builder_kind(p->builders[i].path) == kind)
			return &p->builders[i];
	return NULL;
}

const ccp_json *ccp_prov_builder_arg(const ccp_kit_project *p,
				     ccp_nvf_builder kind, const char *key)
{
	const ccp_kit_component *b = ccp_prov_builder(p, kind);

	/* Only arguments the catalogue lists for the builder are read. */
	assert(ccp_nvf_builder_arg(kind, key));
	return b && b->args ? ccp_json_get(b->args, key) : NULL;
}

/* An argument the project gives, when the line's NVFlare reads it. */
static const ccp_json *line_arg(const ccp_kit_project *p,
				const ccp_nvf_release *rel,
				ccp_nvf_builder kind, const char *key)
{
	if (!ccp_nvf_arg_read(ccp_nvf_builder_arg(kind, key), rel->line))
		return NULL;
	return ccp_prov_builder_arg(p, kind, key);
}

int ccp_prov_read_cfg(ccp_prov_cfg *out, const ccp_kit_project *p,
		      const ccp_nvf_release *rel, ccp_error *err)
{
	const ccp_json *v;
	long long n;

	memset(out, 0, sizeof(*out));
	out->rel = rel;
	out->config_folder = "";
	out->scheme = CCP_NVF_SCHEME;
	out->require_signed_jobs = -1;
	out->cc_mgr_id = CCP_NVF_CC_MGR_ID;
	out->root_valid_days = 360;

	v = ccp_prov_builder_arg(p, CCP_NVF_B_STATIC_FILE, "config_folder");
	if (v && ccp_json_str(v))
		out->config_folder = ccp_json_str(v);
	v = ccp_prov_builder_arg(p, CCP_NVF_B_STATIC_FILE, "scheme");
	if (v && ccp_json_str(v))
		out->scheme = ccp_json_str(v);
	v = line_arg(p, rel, CCP_NVF_B_STATIC_FILE, "require_signed_jobs");
	if (v && v->type == CCP_JSON_BOOL)
		out->require_signed_jobs = v->boolean;
	v = ccp_prov_builder_arg(p, CCP_NVF_B_CC, "cc_mgr_id");
	if (v && ccp_json_str(v))
		out->cc_mgr_id = ccp_json_str(v);
	if (!ccp_prov_name_ok(out->cc_mgr_id))
		return ccp_error_set(err, CCP_EINVAL,
				     "CCBuilder cc_mgr_id '%s' cannot be used in a file name",
				     out->cc_mgr_id);
	v = ccp_prov_builder_arg(p, CCP_NVF_B_CERT, "root_valid_days");
	if (v) {
		if (ccp_json_int(v, &n) < 0 || n <= 0 || n > 365000)
			return ccp_error_set(err, CCP_EINVAL,
					     "CertBuilder root_valid_days must be a positive integer");
		out->root_valid_days = (int)n;
	}
	return 0;
}

/* kits_dir/name[/sub[/file]] */
char *ccp_prov_kit_path(const char *kits_dir, const char *name,
			const char *sub, const char *file)
{
	ccp_buf b = CCP_BUF_INIT;

	ccp_buf_printf(&b, "%s/%s", kits_dir, name);
	if (sub)
		ccp_buf_printf(&b, "/%s", sub);
	if (file)
		ccp_buf_printf(&b, "/%s", file);
	return ccp_buf_detach(&b);
}

int ccp_prov_put_json(const char *kits_dir, const char *name, const char *sub,
		      const char *file, const ccp_json *v, ccp_error *err)
{
	char *path = ccp_prov_kit_path(kits_dir, name, sub, file);
	int rc;

	if (!path)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	rc = ccp_prov_write_json(path, v, err);
	free(path);
	return rc;
}

int ccp_prov_put_text(const char *kits_dir, const char *name, const char *sub,
		      const char *file, const char *text, mode_t mode,
		      ccp_error *err)
{
	char *path = ccp_prov_kit_path(kits_dir, name, sub, file);
	int rc;

	if (!path)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	rc = ccp_prov_write(path, text, strlen(text), mode, err);
	free(path);
	return rc;
}

int ccp_prov_put_template(const char *kits_dir, const char *name,
			  const char *sub, const char *file, ccp_prov_tpl id,
			  const ccp_prov_cfg *cfg, ccp_error *err)
{
	ccp_json *doc;
	int rc = ccp_prov_json_template(&doc, id, cfg->rel, err);

	if (rc < 0)
		return rc;
	rc = ccp_prov_put_json(kits_dir, name, sub, file, doc, err);
	ccp_json_free(doc);
	return rc;
}
