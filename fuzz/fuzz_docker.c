/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the docker_archive scanner (CCP-C02x): any bytes, as a
 * plain or compressed tar, must give a verdict within the scan's budget,
 * never a crash, a hang or a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "docker_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* small bounds: a bomb in the corpus must stay quick */
	static const ccp_docker_budget budget = { 64u << 20, 2000 };
	ccp_docker_scan r;

	ccp_docker_scan_mem(data, size, &budget, &r);
	if (r.status > CCP_DOCKER_IO)
		abort();
	if (r.status == CCP_DOCKER_OK && r.error[0])
		abort();
	return 0;
}
