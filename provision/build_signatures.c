/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SignatureBuilder: the signatures the runtime checks a kit against,
 * made with the root CA's key.
 */
#include "build_int.h"

#include <stdlib.h>

/*
 * Kits are signed in parallel: each is independent, signing is pure CPU
 * and a large project has hundreds of kits. A CC kit is signed whole
 * (every folder); before 2.8 every other kit has startup/ and local/
 * signed, which that runtime checks.
 */
static int signed_kit(const ccp_kit_participant *q, const ccp_prov_cfg *cfg)
{
	return is_cc(q) || (cfg->rel->signs_plain_kits && has_kit(q));
}

static int sign_kit(const char *kits_dir, const ccp_kit_participant *q,
		    EVP_PKEY *key, ccp_error *err)
{
	static const char *const plain[] = { "startup", "local" };
	char *dir;
	size_t i;
	int rc = 0;

	if (is_cc(q)) {
		dir = ccp_prov_kit_path(kits_dir, q->name, NULL, NULL);
		rc = dir ? ccp_sign_tree(dir, key, err) :
		     ccp_error_set(err, CCP_ENOMEM, "out of memory");
		free(dir);
		return rc;
	}
	for (i = 0; i < 2 && rc == 0; i++) {
		dir = ccp_prov_kit_path(kits_dir, q->name, plain[i], NULL);
		rc = dir ? ccp_sign_tree(dir, key, err) :
		     ccp_error_set(err, CCP_ENOMEM, "out of memory");
		free(dir);
	}
	return rc;
}

typedef struct sign_work {
	const char *kits_dir;
	const ccp_kit_project *p;
	const ccp_prov_cfg *cfg;
	EVP_PKEY *root_key;
} sign_work;

static int sign_item(void *ctx, size_t i, ccp_error *err)
{
	const sign_work *w = ctx;
	const ccp_kit_participant *q = &w->p->participants[i];

	return signed_kit(q, w->cfg) ? sign_kit(w->kits_dir, q, w->root_key, err) : 0;
}

int ccp_prov_build_signatures(const char *kits_dir, const ccp_kit_project *p,
			      const ccp_prov_cfg *cfg, EVP_PKEY *root_key,
			      ccp_error *err)
{
	sign_work w = { kits_dir, p, cfg, root_key };

	return ccp_prov_parallel(p->n_participants, 0, sign_item, &w, err);
}
