/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CCBuilder: the attestation components of every CC site (one
 * ID__p_resources.json per issuer and the CC manager's), logs moved to
 * the CVM's log drive and the class allow-list extended, on top of what
 * the StaticFileBuilder wrote.
 */
#include "build_int.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int replace_json(const char *path, const ccp_json *doc, ccp_error *err)
{
	if (unlink(path) < 0)
		return ccp_error_set(err, CCP_EIO, "cannot replace '%s'", path);
	return ccp_prov_write_json(path, doc, err);
}

static int load_kit_json(ccp_json **out, const char *path, const char *what,
			 ccp_error *err)
{
	char msg[256];

	if (access(path, F_OK) < 0)
		return ccp_error_set(err, CCP_EINVAL,
				     "the CCBuilder needs %s from the StaticFileBuilder, "
				     "which must run before it", what);
	if (ccp_json_parse_file(out, path, 0, msg, sizeof(msg)) < 0)
		return ccp_error_set(err, CCP_EIO, "cannot read '%s': %s", path, msg);
	return 0;
}

/* Handlers log below /applog, the log drive of the CVM. */
static int move_logs(const char *kits, const ccp_kit_participant *q,
		     ccp_error *err)
{
	char *path = ccp_prov_kit_path(kits, q->name, "local",
				       "log_config.json.default");
	ccp_json *doc = NULL;
	ccp_json *handlers;
	size_t i;
	int rc;

	if (!path)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	rc = load_kit_json(&doc, path, "local/log_config.json.default", err);
	handlers = doc ? (ccp_json *)ccp_json_get(doc, "handlers") : NULL;
	for (i = 0; rc == 0 && handlers && handlers->type == CCP_JSON_OBJECT &&
		    i < handlers->count; i++) {
		const char *fn = ccp_json_str(ccp_json_get(handlers->items[i], "filename"));
		ccp_buf nb = CCP_BUF_INIT;

		/* Absolute names stay (as a path join would leave them). */
		if (!fn || !*fn || fn[0] == '/')
			continue;
		ccp_buf_printf(&nb, "/applog/%s", fn);
		{
			ccp_json *v = ccp_buf_failed(&nb) ? NULL :
				      ccp_json_new_string(ccp_buf_cstr(&nb));

			if (!v || ccp_json_set(handlers->items[i], "filename", v) < 0)
				rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		}
		ccp_buf_release(&nb);
	}
	if (rc == 0)
		rc = replace_json(path, doc, err);
	ccp_json_free(doc);
	free(path);
	return rc;
}

static int extend_allow_list(const char *kits, const ccp_kit_participant *q,
			     ccp_error *err)
{
	char *path;
	ccp_json *doc = NULL, *list;
	size_t i, j;
	int rc;

	if (!q->cc->n_class_allow)
		return 0;
	path = ccp_prov_kit_path(kits, q->name, "local",
				 "resources.json.default");
	if (!path)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	rc = load_kit_json(&doc, path, "local/resources.json.default", err);
	list = doc ? (ccp_json *)ccp_json_get(doc, "class_allow_list") : NULL;
	if (rc == 0 && !list) {
		list = ccp_json_new(CCP_JSON_ARRAY);
		if (!list || ccp_json_set(doc, "class_allow_list", list) < 0)
			rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	}
	if (rc == 0 && list->type != CCP_JSON_ARRAY)
		rc = ccp_error_set(err, CCP_EINVAL, "'%s' has a class_allow_list that "
				   "is not a list", path);
	for (i = 0; rc == 0 && i < q->cc->n_class_allow; i++) {
		const char *cls = q->cc->class_allow_list[i];

		for (j = 0; j < list->count; j++)
			if (ccp_json_str(list->items[j]) &&
			    strcmp(ccp_json_str(list->items[j]), cls) == 0)
				break;
		if (j == list->count &&
		    ccp_json_append(list, ccp_json_new_string(cls)) < 0)
			rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	}
	if (rc == 0)
		rc = replace_json(path, doc, err);
	ccp_json_free(doc);
	free(path);
	return rc;
}

/* The issuer that defines id: the last CC participant declaring it wins,
 * as when NVFlare writes the same file once per declaration. */
static const ccp_kit_issuer *issuer_def(const ccp_kit_project *p,
					const char *id)
{
	const ccp_kit_issuer *found = NULL;
	size_t i, j;

	for (i = 0; i < p->n_participants; i++) {
		const ccp_kit_participant *q = &p->participants[i];

		if (!is_cc(q))
			continue;
		for (j = 0; j < q->cc->n_issuers; j++)
			if (strcmp(q->cc->issuers[j].id, id) == 0)
				found = &q->cc->issuers[j];
	}
	return found;
}

static int issuer_resources(ccp_json **out, const ccp_kit_issuer *is,
			    ccp_error *err)
{
	jb b = { 0 };
	ccp_json *doc = jobj(&b), *comps = jarr(&b), *c = jobj(&b);

	jb_set(&b, c, "id", jstr(&b, is->id));
	jb_set(&b, c, "path", jstr(&b, is->path));
	jb_set(&b, c, "args", is->args ? jb_check(&b, ccp_json_clone(is->args)) :
	       jobj(&b));
	jb_add(&b, comps, c);
	jb_set(&b, doc, "components", comps);
	return jb_finish(&b, doc, out, err);
}

static int cc_manager_resources(ccp_json **out, const ccp_kit_project *p,
				const ccp_kit_participant *q,
				const ccp_json *verifier_ids,
				const ccp_prov_cfg *cfg, ccp_error *err)
{
	jb b = { 0 };
	ccp_json *doc = jobj(&b), *comps = jarr(&b), *c = jobj(&b);
	ccp_json *args = jobj(&b), *conf = jarr(&b), *sites = jarr(&b);
	const ccp_json *att = q->cc->doc ? ccp_json_get(q->cc->doc, "cc_attestation") : NULL;
	size_t i;

	for (i = 0; i < q->cc->n_issuers; i++) {
		ccp_json *e = jobj(&b);

		jb_set(&b, e, "issuer_id", jstr(&b, q->cc->issuers[i].id));
		jb_set(&b, e, "token_expiration",
		       jint(&b, q->cc->issuers[i].token_expiration));
		jb_add(&b, conf, e);
	}
	jb_set(&b, args, "cc_issuers_conf", conf);
	jb_set(&b, args, "cc_verifier_ids",
	       jb_check(&b, ccp_json_clone(verifier_ids)));
	/* NVFlare sets verify_frequency only when the cc_config has a
	 * cc_attestation section and the project has issuers. */
	if (verifier_ids->count && (!q->cc->doc || att))
		jb_set(&b, args, "verify_frequency", jint(&b, q->cc->check_frequency));
	for (i = 0; i < p->n_participants; i++) {
		const ccp_kit_participant *o = &p->participants[i];

		if (!is_cc(o))
			continue;
		/* The server's runtime identity is always "server". */
		jb_add(&b, sites, jstr(&b, o->type == CCP_PT_SERVER ? "server" : o->name));
	}
	jb_set(&b, args, "cc_enabled_sites", sites);
	jb_set(&b, c, "id", jstr(&b, cfg->cc_mgr_id));
	jb_set(&b, c, "path", jstr(&b, CCP_NVF_CC_MANAGER));
	jb_set(&b, c, "args", args);
	jb_add(&b, comps, c);
	jb_set(&b, doc, "components", comps);
	return jb_finish(&b, doc, out, err);
}

static int cc_site(const char *kits, const ccp_kit_project *p,
		   const ccp_kit_participant *q, const ccp_json *verifier_ids,
		   const ccp_prov_cfg *cfg, ccp_error *err)
{
	const ccp_nvf_env *env = ccp_nvf_env_find(q->cc->compute_env);
	ccp_buf file = CCP_BUF_INIT;
	ccp_json *doc = NULL;
	size_t i;
	int rc = 0;

	if (!env)
		return ccp_error_set(err, CCP_EINVAL, "compute_env '%s' of '%s' is "
				     "not one NVFlare knows",
				     q->cc->compute_env ? q->cc->compute_env : "",
				     q->name);
	for (i = 0; rc == 0 && i < verifier_ids->count; i++) {
		const char *id = ccp_json_str(verifier_ids->items[i]);

		ccp_buf_clear(&file);
		ccp_buf_printf(&file, "%s__p_resources.json", id);
		rc = issuer_resources(&doc, issuer_def(p, id), err);
		if (rc == 0)
			rc = ccp_prov_put_json(kits, q->name, "local",
					       ccp_buf_cstr(&file), doc, err);
		ccp_json_free(doc);
		doc = NULL;
	}
	/* The on-prem sub-builder (onprem_cvm, mock) sends logs to the
	 * CVM's log drive; the Azure one leaves them relative. */
	if (rc == 0 && env->applog)
		rc = move_logs(kits, q, err);
	if (rc == 0 && cfg->rel->has_class_allow_list)
		rc = extend_allow_list(kits, q, err);
	if (rc == 0)
		rc = cc_manager_resources(&doc, p, q, verifier_ids, cfg, err);
	if (rc == 0) {
		char *path;

		ccp_buf_clear(&file);
		ccp_buf_printf(&file, "%s__p_resources.json", cfg->cc_mgr_id);
		path = ccp_prov_kit_path(kits, q->name, "local",
					 ccp_buf_cstr(&file));
		if (!path)
			rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		else if (access(path, F_OK) == 0)
			rc = ccp_error_set(err, CCP_EINVAL,
					   "cc_mgr_id '%s' collides with an issuer id",
					   cfg->cc_mgr_id);
		else
			rc = ccp_prov_write_json(path, doc, err);
		free(path);
	}
	ccp_json_free(doc);
	ccp_buf_release(&file);
	return rc;
}

static int json_str_cmp(const void *a, const void *b)
{
	return strcmp(ccp_json_str(*(ccp_json *const *)a),
		      ccp_json_str(*(ccp_json *const *)b));
}

/* A CC site's issuer ids not seen before, appended to ids. */
static int add_issuer_ids(ccp_json *ids, const ccp_kit_participant *q,
			  ccp_error *err)
{
	size_t j, k;

	for (j = 0; j < q->cc->n_issuers; j++) {
		const char *id = q->cc->issuers[j].id;

		if (!ccp_prov_name_ok(id))
			return ccp_error_set(err, CCP_EINVAL,
					     "issuer id '%s' of '%s' cannot be used in a file name",
					     id, q->name);
		for (k = 0; k < ids->count; k++)
			if (strcmp(ccp_json_str(ids->items[k]), id) == 0)
				break;
		if (k == ids->count &&
		    ccp_json_append(ids, ccp_json_new_string(id)) < 0)
			return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	}
	return 0;
}

int ccp_prov_build_cc(const char *kits_dir, const ccp_kit_project *p,
		      const ccp_prov_cfg *cfg, ccp_error *err)
{
	ccp_json *ids = ccp_json_new(CCP_JSON_ARRAY);
	size_t i;
	int rc = 0;

	if (!ids)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	/* Every issuer id of the project, first appearance first. */
	for (i = 0; i < p->n_participants && rc == 0; i++)
		if (is_cc(&p->participants[i]))
			rc = add_issuer_ids(ids, &p->participants[i], err);
	/* NVFlare lists the verifier ids from a set, in no stable order;
	 * sorted, the same project gives the same kit. */
	if (rc == 0 && ids->count > 1)
		qsort(ids->items, ids->count, sizeof(*ids->items), json_str_cmp);
	for (i = 0; i < p->n_participants && rc == 0; i++)
		if (is_cc(&p->participants[i]))
			rc = cc_site(kits_dir, p, &p->participants[i], ids, cfg, err);
	ccp_json_free(ids);
	return rc;
}
