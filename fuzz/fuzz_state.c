/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the provisioning state reader (state/cert.json): any
 * bytes give a state or an error, never a crash, a hang or a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ccprov/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/ccprov-fuzz-state-XXXXXX";
	ccp_state *st = NULL;
	ccp_error err;
	int fd = mkstemp(path);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		ccp_error_clear(&err);
		if (ccp_state_load(&st, path, &err) == 0)
			ccp_state_free(st);
	}
	close(fd);
	unlink(path);
	return 0;
}
