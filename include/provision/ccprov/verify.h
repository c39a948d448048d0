/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file verify.h
 * Checking a received startup kit before it is launched
 * (docs/security.md says what this can and cannot prove).
 *
 * A kit is checked against what a kit of its kind (server, client,
 * admin, relay) and NVFlare release line must be: the file set and
 * folder structure, every signature.json, the certificates and keys,
 * and files whose content must be what their name says (the kit's own
 * fed_*.json names its participant, the CC manager and authorizer files
 * agree, the CC authorization policy is the locked-down one, tokens
 * expire before the next attestation check). Every problem is a
 * diagnostic (rules CCP-V001..), all of them in one run.
 */
#ifndef CCPROV_VERIFY_H
#define CCPROV_VERIFY_H

#include <stddef.h>

#include "ccprov/diag.h"
#include "ccprov/error.h"
#include "ccprov/nvflare.h"

typedef struct ccp_verify_opts {
	/** Trusted root CA (PEM). NULL: the kit's own startup/rootCA.pem,
	 * which proves only that the kit is consistent (CCP-V009). */
	const char *root_ca;
	/** Without root_ca, take the kit's own root as trusted on purpose:
	 * no CCP-V009 finding. */
	int trust_kit_root;
	/** The release line the kit must be for; when line_given is 0 it
	 * is read from the kit. */
	int line_given;
	ccp_nvf_line line;
	/** Polled between kits; non-zero stops the run (CCP_EINTR). */
	int (*cancelled)(void);
} ccp_verify_opts;

typedef struct ccp_verify_result {
	size_t kits;           /**< kits checked */
	int root_from_kit;     /**< a kit's own root CA was the trust anchor */
	ccp_nvf_line line;     /**< the line of the last kit checked */
} ccp_verify_result;

/**
 * Verify path: a kit folder, a NAME.tgz holding one kit (read into a
 * private temporary folder: no absolute paths, no "..", no links or
 * devices, bounded size and entry count), or a prod_NN folder (every
 * kit in it). Findings go to out (not finished); the paths in them are
 * as given by path.
 *
 * Returns 0 when the checks ran (the findings say whether the kit
 * passed), or a negative CCP_E* code with the reason in err when they
 * could not (out of memory, interrupted, nothing that looks like a kit).
 */
int ccp_verify(ccp_diags *out, ccp_verify_result *res, const char *path,
	       const ccp_verify_opts *o, ccp_error *err);

#endif
