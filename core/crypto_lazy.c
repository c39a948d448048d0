/* SPDX-License-Identifier: Apache-2.0 */
#define CCP_CRYPTO_LAZY_IMPL
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "crypto_lazy.h"
#include "dynlib.h"

static const ccp_dynlib_sym syms[] = {
#define CCP_CRYPTO_SYM(f) { #f, offsetof(ccp_crypto_api, f) },
	CCP_CRYPTO_FUNCS(CCP_CRYPTO_SYM)
#undef CCP_CRYPTO_SYM
};

static ccp_crypto_api api;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	if (ccp_dynlib_bind(CCPROV_CRYPTO_SONAME, &api, syms,
			    sizeof(syms) / sizeof(syms[0])) < 0) {
		/* nothing to fall back on, and no caller expects this to fail */
		fprintf(stderr, "ccprov: cannot load " CCPROV_CRYPTO_SONAME
			" (OpenSSL 3)\n");
		exit(3);
	}
}

const ccp_crypto_api *ccp_crypto(void)
{
	pthread_once(&once, load);
	return &api;
}
