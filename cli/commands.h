/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CCPROV_CLI_COMMANDS_H
#define CCPROV_CLI_COMMANDS_H

/* Exit codes shared by every subcommand. */
enum {
	CCP_EXIT_OK = 0,
	CCP_EXIT_FINDINGS = 1,   /* error-level findings (or verification failed) */
	CCP_EXIT_USAGE = 2,
	CCP_EXIT_FAILURE = 3     /* internal failure, or building/packaging failed */
};

int cmd_lint(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_provision(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_completion(int argc, char **argv);

#endif
