/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The docker_archive scanner, shared by the CCP-C02x checks, their unit
 * tests and the fuzz target. It reads headers only, never extracts, and
 * stops at a budget of decompressed bytes and of time.
 */
#ifndef CCPROV_DOCKER_SCAN_H
#define CCPROV_DOCKER_SCAN_H

#include <stddef.h>
#include <stdint.h>

typedef enum ccp_docker_status {
	CCP_DOCKER_OK,          /* a tar (maybe compressed) with manifest.json */
	CCP_DOCKER_NO_MANIFEST, /* a tar without a top-level manifest.json */
	CCP_DOCKER_NOT_TAR,     /* not a tar archive, compressed or not */
	CCP_DOCKER_DAMAGED,     /* a tar or stream that ends early or is corrupt */
	CCP_DOCKER_UNSAFE,      /* an entry that could write outside the image */
	CCP_DOCKER_LIMIT,       /* stopped at the entry or declared-size bound */
	CCP_DOCKER_BUDGET,      /* stopped at the byte or time budget */
	CCP_DOCKER_IO           /* could not be opened */
} ccp_docker_status;

/* What one scan may cost; a zero field means no bound of that kind. */
typedef struct ccp_docker_budget {
	uint64_t stream_bytes;  /* decompressed bytes read */
	long milliseconds;      /* wall-clock time */
} ccp_docker_budget;

typedef struct ccp_docker_scan {
	ccp_docker_status status;
	uint64_t bytes;         /* sum of every entry's declared size */
	char error[256];        /* what went wrong, for the finding */
} ccp_docker_scan;

/* Scan the archive at path. */
void ccp_docker_scan_file(const char *path, const ccp_docker_budget *budget,
			  ccp_docker_scan *out);
/* Scan an archive held in memory (tests and fuzzing). */
void ccp_docker_scan_mem(const void *data, size_t len,
			 const ccp_docker_budget *budget, ccp_docker_scan *out);

#endif
