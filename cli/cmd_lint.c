/* SPDX-License-Identifier: Apache-2.0 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccprov/buf.h"
#include "ccprov/gate.h"
#include "ccprov/lint.h"
#include "ccprov/report.h"
#include "ccprov/yaml.h"
#include "cli_util.h"
#include "commands.h"
#include "options.h"
#include "path.h"
#include "array.h"

static void lint_usage(FILE *out)
{
	ccp_cli_print_usage(out, "lint",
			    "exit codes: 0 nothing at or above --fail-on, 1 findings at or above\n"
			    "it, 2 usage error, 3 internal failure\n");
}

typedef struct lint_args {
	const char *format, *out_path, *color, *fail_on, *config;
	const char *baseline, *write_baseline, *base_dir, *stdin_name, *nvflare;
	int no_config, cc_mode, no_file_checks;
	const char **paths;
	size_t npaths;
} lint_args;

/* Options that take a value, and where it goes. */
typedef struct value_opt {
	const char *name;
	size_t offset;
} value_opt;

static const value_opt value_opts[] = {
	{ "--format", offsetof(lint_args, format) },
	{ "--output", offsetof(lint_args, out_path) },
	{ "-o", offsetof(lint_args, out_path) },
	{ "--color", offsetof(lint_args, color) },
	{ "--fail-on", offsetof(lint_args, fail_on) },
	{ "--config", offsetof(lint_args, config) },
	{ "--baseline", offsetof(lint_args, baseline) },
	{ "--write-baseline", offsetof(lint_args, write_baseline) },
	{ "--base-dir", offsetof(lint_args, base_dir) },
	{ "--stdin-filename", offsetof(lint_args, stdin_name) },
	{ "--nvflare", offsetof(lint_args, nvflare) },
};

/* Flags without a value, and where they go. */
static const value_opt flag_opts[] = {
	{ "--no-config", offsetof(lint_args, no_config) },
	{ "--cc-config", offsetof(lint_args, cc_mode) },
	{ "--no-file-checks", offsetof(lint_args, no_file_checks) },
};

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* An option with a value, "--opt VALUE" or "--opt=VALUE": 1 taken
 * (*i moved past the value), 0 not one, -1 its value is missing. */
static int take_value(lint_args *a, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	size_t k;

	for (k = 0; k < NELEMS(value_opts); k++) {
		size_t n = strlen(value_opts[k].name);
		const char **slot = (const char **)((char *)a + value_opts[k].offset);

		if (strncmp(arg, value_opts[k].name, n) != 0)
			continue;
		if (arg[n] == '=') {
			*slot = arg + n + 1;
			return 1;
		}
		if (arg[n] != '\0')
			continue;
		if (*i + 1 >= argc) {
			fprintf(stderr, "ccprov lint: '%s' needs a value\n", arg);
			return -1;
		}
		*slot = argv[++*i];
		return 1;
	}
	return 0;
}

/* A flag without a value: 1 taken, 0 not one. */
static int take_flag(lint_args *a, const char *arg)
{
	size_t k;

	for (k = 0; k < NELEMS(flag_opts); k++)
		if (strcmp(arg, flag_opts[k].name) == 0) {
			*(int *)((char *)a + flag_opts[k].offset) = 1;
			return 1;
		}
	return 0;
}

/* Returns 0, 1 for --help, or CCP_EXIT_USAGE after saying why. */
static int parse_args(lint_args *a, int argc, char **argv)
{
	int i, options = 1, taken;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!options || arg[0] != '-' || strcmp(arg, "-") == 0) {
			a->paths[a->npaths++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			options = 0;
			continue;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
			return 1;
		taken = take_value(a, argc, argv, &i);
		if (taken < 0)
			return CCP_EXIT_USAGE;
		if (!taken && !take_flag(a, arg)) {
			fprintf(stderr, "ccprov lint: unknown option '%s'\n", arg);
			lint_usage(stderr);
			return CCP_EXIT_USAGE;
		}
	}
	return 0;
}

/* --format auto: annotations under GitHub Actions, text elsewhere. */
static int pick_format(const char *name, ccp_format *out)
{
	const char *gha = getenv("GITHUB_ACTIONS");

	if (!name || strcmp(name, "auto") == 0) {
		*out = gha && strcmp(gha, "true") == 0 ? CCP_FMT_GITHUB : CCP_FMT_TEXT;
		return 0;
	}
	return ccp_format_parse(name, out);
}

/* Every file a lint run read, for scanning suppressions, and what the
 * load saw of those it read from disk. */
typedef struct file_list {
	char **items;
	size_t count, cap;
	int failed;
	ccp_yaml_reads reads;
} file_list;

static void note_file(void *arg, const char *path)
{
	file_list *l = arg;
	char *copy;

	if (ccp_grow(&l->items, &l->cap, l->count + 1, sizeof(*l->items)) < 0) {
		l->failed = 1;
		return;
	}
	copy = strdup(path);
	if (!copy) {
		l->failed = 1;
		return;
	}
	l->items[l->count++] = copy;
}

static void files_release(file_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	ccp_yaml_reads_release(&l->reads);
	memset(l, 0, sizeof(*l));
}

typedef struct run_state {
	const lint_args *a;
	const char *base_dir;
	ccp_gate_config *cli_config;   /* --config FILE, loaded once */
	ccp_gate_baseline *baseline;
	ccp_diags total;
	size_t nfiles;
	int failed_gate;
	char **run_ids;                /* SARIF automationDetails.id per target */
	size_t nruns, capruns;
} run_state;

/* "ccprov/PROJECT/" (the project relative to the base folder), or
 * "ccprov/cc-configs/" for cc_configs linted on their own. */
static int add_run_id(run_state *st, const char *project)
{
	ccp_buf b = CCP_BUF_INIT;
	char *shown = project ? ccp_report_display_path(project, st->base_dir) : NULL;

	if (ccp_grow(&st->run_ids, &st->capruns, st->nruns + 1,
		     sizeof(*st->run_ids)) < 0) {
		free(shown);
		return -1;
	}
	ccp_buf_puts(&b, "ccprov/");
	ccp_buf_puts(&b, project ? (shown ? shown : project) : "cc-configs");
	ccp_buf_putc(&b, '/');
	free(shown);
	st->run_ids[st->nruns] = ccp_buf_detach(&b);
	if (!st->run_ids[st->nruns])
		return -1;
	st->nruns++;
	return 0;
}

/* A target's configuration: --config, none with --no-config, else the
 * one found from the folder of its first file (*own, to free). */
static int target_config(const ccp_gate_config **cfg, ccp_gate_config **own,
			 const run_state *st, const ccp_gate_target *t,
			 ccp_diags *d)
{
	const lint_args *a = st->a;
	char *dir, *found;
	int rc = 0;

	*cfg = st->cli_config;
	if (a->no_config || a->config)
		return 0;
	dir = ccp_path_dirname(t->project ? t->project : t->ccs[0]);
	if (!dir)
		return -1;
	found = ccp_gate_config_find(dir);
	free(dir);
	if (found && ccp_gate_config_load(own, found, d) < 0)
		rc = -1;
	free(found);
	*cfg = *own;
	return rc;
}

/* The lint options and the --fail-on level of a target: the command
 * line over its configuration. */
static void target_opts(ccp_lint_opts *opts, ccp_fail_on *fail_on,
			const ccp_gate_config *cfg, const lint_args *a,
			file_list *files)
{
	ccp_lint_opts_init(opts);
	opts->no_file_checks = a->no_file_checks;
	if (cfg && cfg->has_line)
		opts->line = cfg->line;
	if (a->nvflare)
		ccp_nvf_line_parse(&opts->line, a->nvflare);
	*fail_on = CCP_FAIL_ERROR;
	if (cfg && cfg->has_fail_on)
		*fail_on = cfg->fail_on;
	if (a->fail_on)
		ccp_fail_on_parse(fail_on, a->fail_on);
	opts->on_file = note_file;
	opts->on_file_arg = files;
	opts->reads = &files->reads;
	/* lint itself refuses a report that would overwrite an input */
	opts->output = a->out_path && strcmp(a->out_path, "-") != 0 ? a->out_path : NULL;
}

/* A target's findings through the gate (suppressions, configuration,
 * fingerprints, baseline), then into the run's. */
static int gate_findings(run_state *st, ccp_diags *d, const ccp_gate_config *cfg,
			 ccp_fail_on fail_on, const file_list *files,
			 const char *project)
{
	size_t i;

	if (ccp_gate_suppress_loaded(d, (const char *const *)files->items,
				     files->count, &files->reads) < 0)
		return -1;
	ccp_gate_config_apply(cfg, d);
	ccp_gate_fingerprint(d, st->base_dir);
	if (st->baseline)
		ccp_gate_baseline_filter(st->baseline, d);
	if (ccp_gate_fails(d, fail_on))
		st->failed_gate = 1;
	for (i = 0; i < d->count; i++)
		d->items[i]->group = (unsigned)st->nruns;
	if (add_run_id(st, project) < 0 || ccp_diags_take(&st->total, d) < 0)
		return -1;
	return 0;
}

/* Lint one target into st->total, applying config, suppressions and
 * baseline. Returns 0 or -1 (internal failure). */
static int lint_target(run_state *st, const ccp_gate_target *t)
{
	ccp_gate_config *own = NULL;
	const ccp_gate_config *cfg;
	ccp_fail_on fail_on;
	file_list files;
	ccp_lint_opts opts;
	ccp_diags d;
	long n;
	int rc = -1;

	memset(&files, 0, sizeof(files));
	ccp_yaml_reads_init(&files.reads);
	ccp_diags_init(&d);
	if (target_config(&cfg, &own, st, t, &d) < 0)
		goto cleanup;
	target_opts(&opts, &fail_on, cfg, st->a, &files);
	if (t->project)
		n = ccp_lint_project(&d, t->project, &opts, NULL);
	else
		n = ccp_lint_cc_configs(&d, (const char *const *)t->ccs, t->nccs, &opts);
	if (n == CCP_LINT_OUTPUT_IS_INPUT) {
		rc = CCP_LINT_OUTPUT_IS_INPUT;
		goto cleanup;
	}
	if (n < 0 || files.failed)
		goto cleanup;
	st->nfiles += (size_t)n;
	rc = gate_findings(st, &d, cfg, fail_on, &files, t->project);

cleanup:
	ccp_gate_config_free(own);
	files_release(&files);
	ccp_diags_release(&d);
	return rc;
}

static void print_fixed(void *arg, const char *rule, const char *file,
			const char *message)
{
	(void)arg;
	fprintf(stderr, "fixed since the baseline: %s: %s [%s]\n", file, message, rule);
}

/* An editor's buffer: all of stdin, bounded like any input file. */
static char *read_stdin(size_t *len)
{
	ccp_buf b = CCP_BUF_INIT;
	char chunk[65536];
	size_t n;

	ccp_buf_init(&b, CCP_YAML_MAX_FILE_SIZE);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if (ccp_buf_put(&b, chunk, n) < 0)
			break;
	if (ccp_buf_failed(&b) || ferror(stdin)) {
		ccp_buf_release(&b);
		return NULL;
	}
	*len = b.len;
	return ccp_buf_detach(&b);
}

/* Check the values of options before any work; CCP_EXIT_USAGE or 0. */
static int check_values(const lint_args *a, ccp_format *fmt)
{
	ccp_fail_on fo;
	ccp_nvf_line line;

	if (pick_format(a->format, fmt) < 0) {
		fprintf(stderr, "ccprov lint: unknown format '%s' (use auto, %s)\n",
			a->format, ccp_format_names());
		return CCP_EXIT_USAGE;
	}
	if (strcmp(a->color, "auto") && strcmp(a->color, "always") &&
	    strcmp(a->color, "never")) {
		fprintf(stderr, "ccprov lint: --color takes auto, always or never\n");
		return CCP_EXIT_USAGE;
	}
	if (a->fail_on && ccp_fail_on_parse(&fo, a->fail_on) < 0) {
		fprintf(stderr, "ccprov lint: --fail-on takes error, warning, note or never, not '%s'\n",
			a->fail_on);
		return CCP_EXIT_USAGE;
	}
	if (a->nvflare && ccp_nvf_line_parse(&line, a->nvflare) < 0) {
		fprintf(stderr, "ccprov lint: --nvflare takes %s, not '%s'\n",
			ccp_nvf_line_names(), a->nvflare);
		return CCP_EXIT_USAGE;
	}
	if (a->config && a->no_config) {
		fprintf(stderr, "ccprov lint: give either --config or --no-config\n");
		return CCP_EXIT_USAGE;
	}
	if (a->cc_mode && !a->npaths) {
		fprintf(stderr, "ccprov lint: --cc-config needs at least one file\n");
		return CCP_EXIT_USAGE;
	}
	return 0;
}

static int internal_failure(void)
{
	fprintf(stderr, "ccprov lint: internal failure (out of memory)\n");
	return CCP_EXIT_FAILURE;
}

/* The exit code lint_target's result calls for: 0 to go on. */
static int target_exit(const lint_args *a, int r)
{
	if (r == CCP_LINT_OUTPUT_IS_INPUT) {
		fprintf(stderr, "ccprov lint: refusing to write the report over '%s', one of "
			"the files being linted\n", a->out_path);
		return CCP_EXIT_USAGE;
	}
	return r < 0 ? internal_failure() : 0;
}

/* '-' with --stdin-filename: an editor's buffer stands in for that file. */
static int take_stdin(lint_args *a, char **buffer)
{
	size_t i, buflen = 0, ndash = 0;

	for (i = 0; i < a->npaths; i++)
		ndash += strcmp(a->paths[i], "-") == 0;
	if (ndash && (!a->stdin_name || ndash > 1)) {
		fprintf(stderr, "ccprov lint: '-' needs --stdin-filename PATH, once\n");
		return CCP_EXIT_USAGE;
	}
	if (!a->stdin_name)
		return 0;
	if (!ndash)
		a->paths[a->npaths++] = "-";
	*buffer = read_stdin(&buflen);
	if (!*buffer || ccp_yaml_overlay(a->stdin_name, *buffer, buflen) < 0) {
		fprintf(stderr, "ccprov lint: cannot read stdin as '%s'\n",
			a->stdin_name);
		return CCP_EXIT_USAGE;
	}
	for (i = 0; i < a->npaths; i++)
		if (strcmp(a->paths[i], "-") == 0)
			a->paths[i] = a->stdin_name;
	return 0;
}

/* What every target shares: the folder findings are relative to, the
 * --config and the --baseline. */
static int load_shared(run_state *st, char **base_owned)
{
	const lint_args *a = st->a;

	if (a->base_dir) {
		st->base_dir = a->base_dir;
	} else {
		*base_owned = ccp_gate_repo_root(".");
		st->base_dir = *base_owned ? *base_owned : ".";
	}
	if (a->config) {
		ccp_diags cd;
		int failed;

		ccp_diags_init(&cd);
		failed = ccp_gate_config_load(&st->cli_config, a->config, &cd) < 0 ||
			 ccp_diags_take(&st->total, &cd) < 0;
		ccp_diags_release(&cd);
		if (failed)
			return internal_failure();
		/* a broken configuration fails the run whatever it asks */
		if (ccp_diags_count(&st->total, CCP_SEV_ERROR))
			st->failed_gate = 1;
	}
	if (a->baseline) {
		char err[256];

		st->baseline = ccp_gate_baseline_read(a->baseline, err, sizeof(err));
		if (!st->baseline) {
			fprintf(stderr, "ccprov lint: cannot use baseline '%s': %s\n",
				a->baseline, err);
			return CCP_EXIT_USAGE;
		}
	}
	return 0;
}

/* Every target: the --cc-config files as one, or what the paths name. */
static int lint_all(run_state *st, ccp_gate_targets *targets)
{
	static const char *const dflt[] = { "project.yml" };
	const lint_args *a = st->a;
	size_t i;
	int rc = 0;

	if (a->cc_mode) {
		ccp_gate_target t = { NULL, (char **)a->paths, a->npaths };

		return target_exit(a, lint_target(st, &t));
	}
	if (ccp_gate_targets_find(targets, a->npaths ? a->paths : dflt,
				  a->npaths ? a->npaths : 1) < 0)
		return internal_failure();
	for (i = 0; i < targets->nskipped; i++)
		fprintf(stderr, "ccprov lint: '%s' is not a project file, a cc_config "
			"or a file a project uses; skipped\n", targets->skipped[i]);
	for (i = 0; i < targets->count && rc == 0; i++)
		rc = target_exit(a, lint_target(st, &targets->items[i]));
	return rc;
}

/* The findings out: the baseline written or compared, the report shown. */
static int report(run_state *st, ccp_format fmt)
{
	const lint_args *a = st->a;
	ccp_report_opts ro = { 0 };
	int rc;

	ccp_diags_finish(&st->total);
	if (st->total.failed)
		return internal_failure();
	if (a->write_baseline &&
	    ccp_gate_baseline_write(&st->total, a->write_baseline, st->base_dir) < 0) {
		fprintf(stderr, "ccprov lint: cannot write baseline '%s'\n", a->write_baseline);
		return CCP_EXIT_FAILURE;
	}
	if (st->baseline)
		ccp_gate_baseline_fixed(st->baseline, print_fixed, NULL);

	ro.nfiles = st->nfiles;
	ro.base_dir = st->base_dir;
	ro.run_ids = (const char *const *)st->run_ids;
	ro.nruns = st->nruns;
	rc = ccp_cli_render_report(&st->total, fmt, a->out_path, a->color, &ro);
	if (rc == 0)
		rc = st->failed_gate ? CCP_EXIT_FINDINGS : CCP_EXIT_OK;
	return rc;
}

int cmd_lint(int argc, char **argv)
{
	lint_args a;
	run_state st;
	ccp_gate_targets targets = { 0 };
	ccp_format fmt = CCP_FMT_TEXT;
	char *buffer = NULL, *base_owned = NULL;
	size_t i;
	int rc;

	memset(&a, 0, sizeof(a));
	memset(&st, 0, sizeof(st));
	ccp_diags_init(&st.total);
	a.color = "auto";
	a.paths = calloc((size_t)argc + 1, sizeof(*a.paths));
	if (!a.paths)
		return CCP_EXIT_FAILURE;
	st.a = &a;
	rc = parse_args(&a, argc, argv);
	if (rc == 1) {
		lint_usage(stdout);
		rc = CCP_EXIT_OK;
		goto cleanup;
	}
	if (rc == 0)
		rc = check_values(&a, &fmt);
	if (rc == 0)
		rc = take_stdin(&a, &buffer);
	if (rc == 0)
		rc = load_shared(&st, &base_owned);
	if (rc == 0)
		rc = lint_all(&st, &targets);
	if (rc == 0)
		rc = report(&st, fmt);

cleanup:
	ccp_yaml_overlay(NULL, NULL, 0);
	free(buffer);
	free(base_owned);
	for (i = 0; i < st.nruns; i++)
		free(st.run_ids[i]);
	free(st.run_ids);
	ccp_gate_config_free(st.cli_config);
	ccp_gate_baseline_free(st.baseline);
	ccp_gate_targets_release(&targets);
	ccp_diags_release(&st.total);
	free(a.paths);
	return rc;
}
