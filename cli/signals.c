/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signals belong to the executable: SIGINT and SIGTERM set a flag that
 * long-running library calls poll through their cancel option
 * (ccp_provision_opts.cancelled), so they stop at their next check, kill
 * what they started and roll back.
 */
#include <signal.h>
#include <string.h>

#include "cli_util.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

int ccp_cli_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking poll() must return so the run can stop. */
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	return 0;
}

int ccp_cli_interrupted(void)
{
	return interrupted != 0;
}
