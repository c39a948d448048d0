/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for ccprov verify: any bytes as a kit archive (NAME.tgz)
 * are unpacked only inside a private temporary folder and checked,
 * never a crash, a hang, a leak or a write elsewhere.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccprov/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/ccprov-fuzz-verify-XXXXXX";
	ccp_verify_opts o;
	ccp_verify_result res;
	ccp_diags d;
	ccp_error err;
	int fd = mkstemp(path);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	memset(&o, 0, sizeof(o));
	o.trust_kit_root = 1;
	ccp_diags_init(&d);
	ccp_error_clear(&err);
	ccp_verify(&d, &res, path, &o, &err);
	ccp_diags_release(&d);
	unlink(path);
	return 0;
}
