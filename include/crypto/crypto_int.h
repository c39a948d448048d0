/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the crypto files of provision/ (keygen.c, cert.c,
 * pem.c, sign.c, state.c). Not part of the public API.
 */
#ifndef CCPROV_PROVISION_CRYPTO_INT_H
#define CCPROV_PROVISION_CRYPTO_INT_H

#include "ccprov/error.h"

/*
 * Record err with the message followed by OpenSSL's most recent error
 * reason (when there is one), and empty OpenSSL's error queue so a later
 * failure does not report a stale reason. Returns code.
 */
int ccp_crypto_fail(ccp_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
