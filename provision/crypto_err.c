/* SPDX-License-Identifier: Apache-2.0 */
#include "crypto_int.h"

#include <stdarg.h>
#include <stdio.h>

#include <openssl/err.h>
#include "crypto_lazy.h"

int ccp_crypto_fail(ccp_error *err, int code, const char *fmt, ...)
{
	char msg[768];
	const char *reason = NULL;
	unsigned long e, first = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/*
	 * The earliest queued error is the root cause; the later ones are
	 * the callers unwinding.
	 */
	while ((e = ERR_get_error()) != 0)
		if (!first)
			first = e;
	if (first)
		reason = ERR_reason_error_string(first);
	if (reason)
		return ccp_error_set(err, code, "%s: %s", msg, reason);
	return ccp_error_set(err, code, "%s", msg);
}
