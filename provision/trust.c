/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a kit may be told to trust. custom_ca_cert is copied into every
 * server and client kit as startup/customRootCA.pem, which NVFlare's
 * runtime trusts for TLS: it must be CA certificates and nothing else,
 * least of all a private key (the copy is world-readable).
 */
#include "prov_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include "crypto_lazy.h"

int ccp_prov_check_custom_cas(const ccp_kit_project *p, ccp_error *err)
{
	size_t i;

	/* Lint checks the same, but --no-file-checks skips that and
	 * library callers need not lint at all. */
	for (i = 0; i < p->n_participants; i++) {
		const ccp_kit_participant *q = &p->participants[i];
		ccp_error e = { 0, "" };
		int rc;

		if (!q->custom_ca_cert || (q->type != CCP_PT_SERVER &&
					   q->type != CCP_PT_CLIENT))
			continue;
		rc = ccp_cert_check_ca_file(q->custom_ca_cert, &e);
		if (rc < 0)
			return ccp_error_set(err, CCP_EINVAL, "custom_ca_cert '%s' of '%s' "
					     "is not a CA certificate file: %s",
					     q->custom_ca_cert, q->name ? q->name : "",
					     e.message);
	}
	return 0;
}
