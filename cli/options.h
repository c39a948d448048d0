/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The command line as data: every subcommand with its summary, usage
 * lines and options. `--help`, the shell completions and the man pages'
 * check read these tables, so an option documented in one place is
 * documented everywhere. Each cmd_<name>() still parses its own argv.
 */
#ifndef CCPROV_CLI_OPTIONS_H
#define CCPROV_CLI_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

/* What an option's value or a positional argument is, for completion. */
typedef enum ccp_cli_arg {
	CCP_ARG_NONE,     /* a flag */
	CCP_ARG_FILE,
	CCP_ARG_DIR,
	CCP_ARG_WORD,     /* free text or a number: nothing to complete */
	CCP_ARG_CHOICE,   /* one of `values` */
	CCP_ARG_FORMAT,   /* one of lint's report formats */
	CCP_ARG_RULE,     /* a rule id */
	CCP_ARG_COMMAND,  /* a ccprov subcommand */
	CCP_ARG_SHELL     /* bash, zsh or fish */
} ccp_cli_arg;

typedef struct ccp_cli_opt {
	const char *shrt;    /* "-o", or NULL */
	const char *lng;     /* "--output" */
	const char *metavar; /* "FILE"; NULL for a flag */
	ccp_cli_arg arg;
	const char *values;  /* CCP_ARG_CHOICE: "text json", space-separated */
	const char *help;    /* '\n' starts a continuation line */
} ccp_cli_opt;

typedef struct ccp_cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *usage;       /* usage lines without "usage: ", '\n'-separated */
	const char *description; /* paragraph shown by --help, or NULL */
	const ccp_cli_opt *opts; /* ends with a row whose lng is NULL */
	ccp_cli_arg positional;  /* what the operands are */
	int hidden;              /* left out of `ccprov help` */
} ccp_cli_command;

/* Every subcommand, in the order `ccprov help` lists them. */
const ccp_cli_command *ccp_cli_commands(size_t *n);
const ccp_cli_command *ccp_cli_command_find(const char *name);

/*
 * Print a subcommand's --help from its table row: usage, description,
 * options and `tail` (exit codes and the like; may be NULL).
 */
void ccp_cli_print_usage(FILE *out, const char *name, const char *tail);

/* The values an option takes, space-separated ("" when free). */
const char *ccp_cli_opt_values(const ccp_cli_opt *o);

#endif
