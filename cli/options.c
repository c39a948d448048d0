/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every subcommand and its options, once: --help prints these rows and
 * `ccprov completion` turns them into bash, zsh and fish scripts.
 */
#include <string.h>

#include "ccprov/provision.h"
#include "ccprov/report.h"
#include "commands.h"
#include "options.h"

#define CCP_STR_(x) #x
#define CCP_STR(x) CCP_STR_(x)

static const ccp_cli_opt help_opt =
	{ "-h", "--help", NULL, CCP_ARG_NONE, NULL, "show this help" };

static const ccp_cli_opt lint_opts[] = {
	{ NULL, "--format", "FMT", CCP_ARG_FORMAT, NULL,
	  "auto (default: github under GitHub Actions,\nelse text), or a format above" },
	{ "-o", "--output", "FILE", CCP_ARG_FILE, NULL,
	  "write the report to FILE instead of stdout\n(never over a file being linted)" },
	{ NULL, "--fail-on", "LEVEL", CCP_ARG_CHOICE, "error warning note never",
	  "error (default), warning, note or never" },
	{ NULL, "--config", "FILE", CCP_ARG_FILE, NULL,
	  "use FILE instead of the nearest .ccprov.yml" },
	{ NULL, "--no-config", NULL, CCP_ARG_NONE, NULL, "use no .ccprov.yml" },
	{ NULL, "--baseline", "FILE", CCP_ARG_FILE, NULL,
	  "report only findings FILE does not hold" },
	{ NULL, "--write-baseline", "FILE", CCP_ARG_FILE, NULL,
	  "record the current findings in FILE" },
	{ NULL, "--base-dir", "DIR", CCP_ARG_DIR, NULL,
	  "paths and fingerprints relative to DIR\n(default: the repository root, else .)" },
	{ NULL, "--stdin-filename", "PATH", CCP_ARG_FILE, NULL,
	  "read the file '-' stands for from stdin" },
	{ NULL, "--cc-config", NULL, CCP_ARG_NONE, NULL,
	  "the remaining arguments are cc_config files" },
	{ NULL, "--no-file-checks", NULL, CCP_ARG_NONE, NULL,
	  "do not open referenced archives and scripts" },
	{ NULL, "--nvflare", "LINE", CCP_ARG_CHOICE, "2.7 2.8",
	  "check for NVFlare 2.7 or 2.8 (default 2.8, the\nlatest release)" },
	{ NULL, "--color", "WHEN", CCP_ARG_CHOICE, "auto always never",
	  "auto (default: a terminal without NO_COLOR),\nalways or never" },
	{ NULL, NULL, NULL, CCP_ARG_NONE, NULL, NULL }
};

static const ccp_cli_opt provision_opts[] = {
	{ "-p", "--project", "FILE", CCP_ARG_FILE, NULL,
	  "project.yml to provision (or give it as PROJECT_YML)" },
	{ "-w", "--workspace", "DIR", CCP_ARG_DIR, NULL,
	  "workspace folder (default ./workspace)" },
	{ NULL, "--nvflare", "LINE", CCP_ARG_CHOICE, "2.7 2.8",
	  "the NVFlare release line the kits are for:\n"
	  "2.7 or 2.8 (default 2.8, the latest release);\n"
	  "each line's runtime refuses the other's kits" },
	{ "-j", "--jobs", "N", CCP_ARG_WORD, NULL,
	  "CVM image builds run at once (default 1)" },
	{ NULL, "--no-image", NULL, CCP_ARG_NONE, NULL,
	  "pack CC kits as NAME.tgz without running\nthe packager's build_image_cmd" },
	{ NULL, "--image-timeout", "SECS", CCP_ARG_WORD, NULL,
	  "stop an image build after SECS (default "
	  CCP_STR(CCP_PROVISION_IMAGE_TIMEOUT) ")" },
	{ NULL, "--format", "FMT", CCP_ARG_CHOICE, "text json",
	  "summary format on stdout: text (default) or json" },
	{ NULL, "--progress", "MODE", CCP_ARG_CHOICE, "auto tty plain none",
	  "auto (default): a live status on a terminal, else\n"
	  "plain: one line per stage and per site, and a\n"
	  "heartbeat while an image builder is silent;\n"
	  "tty or none force one" },
	{ NULL, "--heartbeat", "SECS", CCP_ARG_WORD, NULL,
	  "plain progress: a line after SECS of image builder\n"
	  "silence (default " CCP_STR(CCP_PROVISION_HEARTBEAT) ")" },
	{ NULL, "--keygen", "fast|openssl", CCP_ARG_CHOICE, "fast openssl",
	  "how new RSA keys are made: fast (default; FIPS\n186-5 A.1.3) or openssl (OpenSSL's own generator)" },
	{ NULL, "--dry-run", NULL, CCP_ARG_NONE, NULL,
	  "lint and print the plan (identities new, reused or\n"
	  "re-issued, kits, image builds); write nothing" },
	{ "-q", "--quiet", NULL, CCP_ARG_NONE, NULL,
	  "no progress and no image builder output" },
	{ NULL, NULL, NULL, CCP_ARG_NONE, NULL, NULL }
};

static const ccp_cli_opt verify_opts[] = {
	{ NULL, "--root-ca", "FILE", CCP_ARG_FILE, NULL,
	  "the project's root CA, as received out of band" },
	{ NULL, "--trust-kit-root", NULL, CCP_ARG_NONE, NULL,
	  "no --root-ca: take the kit's own rootCA.pem as\ntrusted on purpose (else exit 4)" },
	{ NULL, "--nvflare", "LINE", CCP_ARG_CHOICE, "2.7 2.8",
	  "the release line the kit must be for: 2.7 or 2.8\n(default: read from the kit)" },
	{ NULL, "--format", "FMT", CCP_ARG_FORMAT, NULL,
	  "report format (default text)" },
	{ NULL, "--color", "WHEN", CCP_ARG_CHOICE, "auto always never",
	  "auto (default), always or never" },
	{ NULL, NULL, NULL, CCP_ARG_NONE, NULL, NULL }
};

static const ccp_cli_opt rules_opts[] = {
	{ NULL, "--format", "FMT", CCP_ARG_CHOICE, "text json markdown",
	  "output format: text (default), json or markdown" },
	{ NULL, NULL, NULL, CCP_ARG_NONE, NULL, NULL }
};

static const ccp_cli_opt init_opts[] = {
	{ NULL, "--compute-env", "ENV", CCP_ARG_CHOICE,
	  "onprem_cvm azure_cvm azure_confidential_container mock",
	  "where the CC sites run: onprem_cvm (default),\n"
	  "azure_cvm, azure_confidential_container or mock" },
	{ NULL, "--mechanism", "CPU", CCP_ARG_CHOICE, "amd_sev_snp intel_tdx",
	  "amd_sev_snp (default) or intel_tdx (CVMs only)" },
	{ NULL, "--gpu", NULL, CCP_ARG_NONE, NULL,
	  "the sites have an NVIDIA GPU in CC mode" },
	{ NULL, "--clients", "N", CCP_ARG_WORD, NULL,
	  "number of client sites (default 1)" },
	{ NULL, "--nvflare", "LINE", CCP_ARG_CHOICE, "2.7 2.8",
	  "the NVFlare release line: 2.7 or 2.8 (default 2.8)" },
	{ NULL, "--name", "NAME", CCP_ARG_WORD, NULL,
	  "project name (default cc_project)" },
	{ NULL, "--docker-archive", "FILE", CCP_ARG_FILE, NULL,
	  "onprem_cvm: the sites' docker archive, relative\n"
	  "to DIR (default nvflare-site.tar.gz)" },
	{ NULL, "--build-image-cmd", "FILE", CCP_ARG_FILE, NULL,
	  "onprem_cvm: add the OnPremPackager with this\n"
	  "image builder, relative to DIR" },
	{ NULL, NULL, NULL, CCP_ARG_NONE, NULL, NULL }
};

static const ccp_cli_opt graph_opts[] = {
	{ NULL, "--format", "FMT", CCP_ARG_CHOICE, "dot svg mermaid",
	  "dot (default), svg or mermaid" },
	{ "-o", "--output", "FILE", CCP_ARG_FILE, NULL,
	  "write the picture to FILE instead of stdout" },
	{ NULL, "--nvflare", "LINE", CCP_ARG_CHOICE, "2.7 2.8",
	  "lint for NVFlare 2.7 or 2.8 (default 2.8)" },
	{ NULL, NULL, NULL, CCP_ARG_NONE, NULL, NULL }
};

static const ccp_cli_opt no_opts[] = {
	{ NULL, NULL, NULL, CCP_ARG_NONE, NULL, NULL }
};

static const ccp_cli_command commands[] = {
	{ "lint", cmd_lint, "check project.yml and its cc_config files",
	  "ccprov lint [options] [PATH...]\n"
	  "ccprov lint [options] --cc-config FILE...\n"
	  "ccprov lint [options] --stdin-filename PATH -",
	  "Lint the projects behind PATHs (default ./project.yml): project\n"
	  "files, cc_config files and included files (each linted through the\n"
	  "projects in its folder and above that use it), and folders (searched\n"
	  "for project files). Each project is linted once. Settings come from\n"
	  "the command line, then .ccprov.yml, then the defaults.",
	  lint_opts, CCP_ARG_FILE, 0 },
	{ "init", cmd_init, "write a starting project for a chosen shape",
	  "ccprov init [options] [DIR]",
	  "Write project.yml and one cc_config per CC site into DIR (default\n"
	  "the current folder), with comments that explain each key. The files\n"
	  "lint clean and provision (--no-image) as written; existing files are\n"
	  "never overwritten.",
	  init_opts, CCP_ARG_DIR, 0 },
	{ "provision", cmd_provision, "build signed startup kits once lint passes",
	  "ccprov provision [options] PROJECT_YML\n"
	  "ccprov provision -p PROJECT_YML [options]",
	  "Lint the project, then build its startup kits as the chosen NVFlare\n"
	  "release line writes them, sign them and package them. Kits appear in\n"
	  "WORKSPACE/PROJECT/prod_NN only when everything succeeded.",
	  provision_opts, CCP_ARG_FILE, 0 },
	{ "verify", cmd_verify, "verify a received startup kit before launch",
	  "ccprov verify PATH [options]",
	  "Verify a startup kit before launch: its files and folders against\n"
	  "what a kit of its kind and NVFlare release line must hold, every\n"
	  "signature.json, the certificates and keys, and the files that decide\n"
	  "trust and attestation. PATH is a kit folder, a NAME.tgz or a prod_NN\n"
	  "folder (every kit in it).",
	  verify_opts, CCP_ARG_DIR, 0 },
	{ "graph", cmd_graph, "draw the deployment: who connects to whom",
	  "ccprov graph [options] PROJECT_YML",
	  "Draw the deployment: server, relays, clients and admins by org; who\n"
	  "connects to whom on which port and scheme; each CC site's compute\n"
	  "environment, mechanisms and attestation issuers; the links lint\n"
	  "found broken in red with the rule id.",
	  graph_opts, CCP_ARG_FILE, 0 },
	{ "rules", cmd_rules, "list every rule",
	  "ccprov rules [--format text|json|markdown]",
	  "List every rule: id, default severity, category and summary.\n"
	  "'ccprov explain ID' shows a rule's page.",
	  rules_opts, CCP_ARG_NONE, 0 },
	{ "explain", cmd_explain, "show a rule's documentation page",
	  "ccprov explain RULE_ID",
	  "Show a rule's documentation page.",
	  no_opts, CCP_ARG_RULE, 0 },
	{ "schema", cmd_schema, "print the JSON Schema of a project or cc_config file",
	  "ccprov schema project|cc-config",
	  "Print a JSON Schema (draft 2020-12) of project.yml or of a cc_config,\n"
	  "generated from ccprov's own schema tables, for editors.",
	  no_opts, CCP_ARG_WORD, 0 },
	{ "completion", cmd_completion, "print a shell completion script",
	  "ccprov completion bash|zsh|fish",
	  "Print the completion script of a shell, generated from the same\n"
	  "tables as every command's --help. Packages install them; to try\n"
	  "one in bash: source <(ccprov completion bash)",
	  no_opts, CCP_ARG_SHELL, 0 },
	{ "help", cmd_help, "show help for ccprov or a subcommand",
	  "ccprov help [COMMAND]", NULL, no_opts, CCP_ARG_COMMAND, 0 },
	{ "version", cmd_version, "print the version",
	  "ccprov version", NULL, no_opts, CCP_ARG_NONE, 0 },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const ccp_cli_command *ccp_cli_commands(size_t *n)
{
	*n = NCOMMANDS;
	return commands;
}

const ccp_cli_command *ccp_cli_command_find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* ccp_format_names() as completion words: "text json ..." */
static const char *format_words(void)
{
	static char words[128];
	const char *s = ccp_format_names();
	size_t n = 0;

	if (words[0])
		return words;
	for (; *s && n + 1 < sizeof(words); s++)
		if (*s != ',')
			words[n++] = *s;
	words[n] = '\0';
	return words;
}

const char *ccp_cli_opt_values(const ccp_cli_opt *o)
{
	switch (o->arg) {
	case CCP_ARG_CHOICE:
		return o->values;
	case CCP_ARG_FORMAT:
		return format_words();
	case CCP_ARG_SHELL:
		return "bash zsh fish";
	default:
		return "";
	}
}

/* Help column: options' names padded to this width. */
#define HELP_COL 24

static void print_opt(FILE *out, const ccp_cli_opt *o)
{
	char head[96];
	const char *h = o->help, *nl;
	int n;

	n = snprintf(head, sizeof(head), "  %s%s%s%s%s", o->shrt ? o->shrt : "",
		     o->shrt ? ", " : "", o->lng, o->metavar ? " " : "",
		     o->metavar ? o->metavar : "");
	if (n < 0)
		return;
	fputs(head, out);
	if (n >= HELP_COL - 1) {
		fputc('\n', out);
		n = 0;
	}
	for (;;) {
		nl = strchr(h, '\n');
		fprintf(out, "%*s%.*s\n", HELP_COL - n, "",
			(int)(nl ? nl - h : (long)strlen(h)), h);
		n = 0;
		if (!nl)
			break;
		h = nl + 1;
	}
	if (o->arg == CCP_ARG_FORMAT)
		fprintf(out, "%*s%s\n", HELP_COL, "", ccp_format_names());
}

void ccp_cli_print_usage(FILE *out, const char *name, const char *tail)
{
	const ccp_cli_command *c = ccp_cli_command_find(name);
	const char *u, *nl;
	const ccp_cli_opt *o;
	int first = 1;

	if (!c)
		return;
	for (u = c->usage; u; u = nl ? nl + 1 : NULL) {
		nl = strchr(u, '\n');
		fprintf(out, "%s%.*s\n", first ? "usage: " : "       ",
			(int)(nl ? nl - u : (long)strlen(u)), u);
		first = 0;
	}
	if (c->description)
		fprintf(out, "\n%s\n", c->description);
	fputs("\noptions:\n", out);
	for (o = c->opts; o->lng; o++)
		print_opt(out, o);
	print_opt(out, &help_opt);
	if (tail)
		fprintf(out, "\n%s", tail);
}
