/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the JSON parser (it reads state/cert.json and kits on
 * verification): parse, render, parse again, and the two must be equal.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccprov/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ccp_json *a = NULL, *b = NULL;
	char err[128], *text;

	if (ccp_json_parse(&a, (const char *)data, size, err, sizeof(err)) < 0)
		return 0;
	text = ccp_json_render(a, 2);
	if (text) {
		if (ccp_json_parse(&b, text, strlen(text), err, sizeof(err)) < 0 ||
		    !ccp_json_equal(a, b))
			abort();
		free(text);
	}
	ccp_json_free(a);
	ccp_json_free(b);
	return 0;
}
