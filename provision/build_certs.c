/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CertBuilder: each participant's certificate and key, and the root CA
 * certificate, in PEM below startup/. The identities come from
 * identity.c; this only writes them.
 */
#include "build_int.h"
#include "crypto_lazy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int put_pem(const char *kits, const char *name, const char *file,
		   X509 *cert, EVP_PKEY *key, ccp_error *err)
{
	char *pem = NULL;
	int rc;

	rc = cert ? ccp_pem_from_cert(&pem, cert, err) :
	     ccp_pem_from_key(&pem, key, err);
	if (rc == 0)
		rc = ccp_prov_put_text(kits, name, "startup", file, pem,
				       cert ? 0644 : 0600, err);
	if (pem) {
		/* Keys do not linger in freed memory. */
		OPENSSL_cleanse(pem, strlen(pem));
		free(pem);
	}
	return rc;
}

int ccp_prov_build_certs(const char *kits_dir, const ccp_kit_project *p,
			 const ccp_prov_ids *ids, ccp_error *err)
{
	size_t i;
	int rc = 0;

	(void)p;
	for (i = 0; i < ids->n && rc == 0; i++) {
		const ccp_prov_ident *id = &ids->ids[i];
		const char *base = id->q->type == CCP_PT_SERVER ? "server" : "client";
		char crt[16], key[16];

		snprintf(crt, sizeof(crt), "%s.crt", base);
		snprintf(key, sizeof(key), "%s.key", base);
		rc = put_pem(kits_dir, id->q->name, crt, id->cert, NULL, err);
		if (rc == 0)
			rc = put_pem(kits_dir, id->q->name, key, NULL, id->key, err);
		if (rc == 0 && id->lh_cert)
			rc = put_pem(kits_dir, id->q->name, "server.crt", id->lh_cert,
				     NULL, err);
		if (rc == 0 && id->lh_key)
			rc = put_pem(kits_dir, id->q->name, "server.key", NULL,
				     id->lh_key, err);
		if (rc == 0)
			rc = put_pem(kits_dir, id->q->name, "rootCA.pem", ids->root,
				     NULL, err);
	}
	return rc;
}
