/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cancellation of a provisioning run. The caller (the ccprov executable
 * catches SIGINT and SIGTERM) passes a function in
 * ccp_provision_opts.cancelled; the run's steps, down to the image
 * builders and the bundle reader, poll it here. The library itself
 * installs no signal handler.
 */
#include <stddef.h>

#include "prov_int.h"

static int (*current)(void);

void ccp_prov_cancel_begin(int (*cancelled)(void))
{
	current = cancelled;
}

void ccp_prov_cancel_end(void)
{
	current = NULL;
}

int ccp_prov_cancelled(void)
{
	return current && current();
}
