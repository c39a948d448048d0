/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file error.h
 * Error details for operations that fail as a whole (I/O, crypto,
 * provisioning). Findings about user input are diagnostics (diag.h).
 */
#ifndef CCPROV_ERROR_H
#define CCPROV_ERROR_H

typedef struct ccp_error {
	int code;          /**< 0 = no error; negative CCP_E* value */
	char message[1024];
} ccp_error;

enum {
	CCP_OK = 0,
	CCP_EGENERIC = -1,
	CCP_ENOMEM = -2,
	CCP_EIO = -3,
	CCP_ECRYPTO = -4,
	CCP_EINVAL = -5,
	CCP_ESTATE = -6,     /**< stored workspace state conflicts */
	CCP_EINTR = -7,      /**< interrupted by a signal */
	CCP_ETIMEOUT = -8,
	CCP_EBUSY = -9       /**< workspace locked by another run */
};

/** Record an error (first one wins unless overwrite); returns code. */
int ccp_error_set(ccp_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ccp_error_clear(ccp_error *err);

#endif
