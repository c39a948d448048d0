/* SPDX-License-Identifier: Apache-2.0 */
#include "ccprov/error.h"

#include <stdarg.h>
#include <stdio.h>

int ccp_error_set(ccp_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

void ccp_error_clear(ccp_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->message[0] = '\0';
}
