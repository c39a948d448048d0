/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ccprov: lint and provision NVIDIA FLARE confidential-computing projects.
 * The executable is a table of subcommands; each parses its own options
 * and calls the library.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"

static void usage(FILE *out)
{
	size_t i, n;
	const ccp_cli_command *commands = ccp_cli_commands(&n);

	fprintf(out, "usage: ccprov <command> [options]\n\ncommands:\n");
	for (i = 0; i < n; i++)
		if (!commands[i].hidden)
			fprintf(out, "  %-10s %s\n", commands[i].name,
				commands[i].summary);
	fprintf(out, "\nrun 'ccprov <command> --help' for a command's options\n"
		"exit codes: 0 ok, 1 findings or failed checks, 2 usage error, "
		"3 internal or build failure\n");
}

int cmd_help(int argc, char **argv)
{
	const ccp_cli_command *c;
	char *args[] = { NULL, (char *)"--help", NULL };

	if (argc < 2) {
		usage(stdout);
		return CCP_EXIT_OK;
	}
	c = ccp_cli_command_find(argv[1]);
	if (!c || c->fn == cmd_help) {
		if (!c) {
			fprintf(stderr, "ccprov: no such command '%s'\n", argv[1]);
			return CCP_EXIT_USAGE;
		}
		usage(stdout);
		return CCP_EXIT_OK;
	}
	args[0] = argv[1];
	return c->fn(2, args);
}

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("ccprov %s\n", CCPROV_VERSION);
	return CCP_EXIT_OK;
}

#if defined(__SANITIZE_ADDRESS__)
#define CCP_LEAK_CHECK_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CCP_LEAK_CHECK_AT_EXIT 1
#endif
#endif

/*
 * Leave as exit(3) would, less the exit handlers: every stdio stream is
 * flushed, but the shared libraries' destructors, which only free what
 * the process is about to lose, are not run. They sit in pages that no
 * command otherwise touches, and mapping those costs a small lint about
 * as much as its report (bench/README.md, "Process start"). A sanitizer
 * build returns from main: LeakSanitizer checks in an exit handler.
 */
static int leave(int rc)
{
#ifdef CCP_LEAK_CHECK_AT_EXIT
	return rc;
#else
	fflush(NULL);
	_exit(rc);
#endif
}

int main(int argc, char **argv)
{
	const ccp_cli_command *c;

	if (argc < 2) {
		usage(stderr);
		return CCP_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version(argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(1, argv + 1);
	c = ccp_cli_command_find(argv[1]);
	if (!c) {
		fprintf(stderr, "ccprov: '%s' is not a ccprov command; see 'ccprov help'\n",
			argv[1]);
		return CCP_EXIT_USAGE;
	}
	return leave(c->fn(argc - 1, argv + 1));
}
