/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ccprov provision: lint, then build, sign, package and publish the
 * startup kits (docs/provisioning.md).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccprov/json.h"
#include "ccprov/lint.h"
#include "ccprov/nvflare.h"
#include "ccprov/provision.h"
#include "ccprov/report.h"
#include "ccprov/schema.h"
#include "cli_util.h"
#include "commands.h"
#include "options.h"

static void provision_usage(FILE *out)
{
	ccp_cli_print_usage(out, "provision",
		"exit codes: 0 kits published, 1 lint errors, 2 usage error,\n"
		"3 building or packaging failed (nothing was published)\n");
}

static int parse_positive(const char *opt, const char *v, int *out)
{
	char *end;
	long n;

	if (!v) {
		fprintf(stderr, "ccprov provision: '%s' needs a value\n", opt);
		return -1;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || end == v || n < 1 || n > INT_MAX) {
		fprintf(stderr, "ccprov provision: '%s' takes a positive integer, not '%s'\n",
			opt, v);
		return -1;
	}
	*out = (int)n;
	return 0;
}

/* Value of "--opt VALUE" or "--opt=VALUE"; NULL when a is not opt. */
static const char *opt_value(int argc, char **argv, int *i, const char *shrt,
			     const char *lng, int *matched)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	*matched = 0;
	if ((shrt && strcmp(a, shrt) == 0) || strcmp(a, lng) == 0) {
		*matched = 1;
		return *i + 1 < argc ? argv[++*i] : NULL;
	}
	if (strncmp(a, lng, n) == 0 && a[n] == '=') {
		*matched = 1;
		return a + n + 1;
	}
	return NULL;
}

/* Lint findings on stderr: errors and warnings always, notes unless
 * quiet. The filtered view borrows the diagnostics; it owns only its
 * pointer array. */
static int show_diags(const ccp_diags *d, size_t nfiles, int quiet)
{
	ccp_buf out = CCP_BUF_INIT;
	ccp_report_opts ro = { 0 };
	ccp_diags view;
	size_t i;
	int rc = 0;

	memset(&view, 0, sizeof(view));
	view.items = calloc(d->count ? d->count : 1, sizeof(*view.items));
	if (!view.items)
		return -1;
	for (i = 0; i < d->count; i++)
		if (!quiet || d->items[i]->severity != CCP_SEV_NOTE)
			view.items[view.count++] = d->items[i];
	view.cap = view.count;
	if (view.count == 0)
		goto cleanup;
	ro.color = ccp_cli_color_auto(STDERR_FILENO);
	ro.show_source = 1;
	ro.nfiles = nfiles;
	if (ccp_report_render(&out, &view, CCP_FMT_TEXT, &ro) < 0 ||
	    ccp_buf_failed(&out)) {
		fprintf(stderr, "ccprov provision: cannot render the lint report\n");
		rc = -1;
		goto cleanup;
	}
	fwrite(ccp_buf_cstr(&out), 1, out.len, stderr);
	fflush(stderr);

cleanup:
	ccp_buf_release(&out);
	free(view.items);
	return rc;
}

/* Paths and names the user gave go through the report's filter: a
 * control character in them shows as '?' (see ccp_report_print_safe). */
static void summary_text(const ccp_provision_result *r)
{
	size_t i, reissued = 0;

	ccp_report_print_safe(stdout, "published %s for NVFlare %s (%.1f s)\n",
			      r->prod_dir, ccp_nvf_release_of(r->line)->name,
			      r->elapsed);
	for (i = 0; i < r->n_kits; i++) {
		const ccp_provision_kit *k = &r->kits[i];

		ccp_report_print_safe(stdout, "  %-32s %s%s%s\n", k->name, k->path,
				      k->new_identity ? "  [new identity]" : "",
				      k->reissued ? "  [certificate re-issued]" : "");
		reissued += (size_t)k->reissued;
	}
	if (r->new_root)
		ccp_report_print_safe(stdout, "a new root CA was created; its key is in "
				      "%s/state/cert.json\n", r->project_dir);
	if (reissued)
		printf("%zu stored certificate%s no longer matched the project and %s "
		       "re-issued with the stored key%s\n", reissued,
		       reissued == 1 ? "" : "s", reissued == 1 ? "was" : "were",
		       reissued == 1 ? "" : "s");
}

/* The lint findings as the objects `lint --format json` prints, or NULL. */
static ccp_json *lint_json(const ccp_diags *d, size_t nfiles)
{
	ccp_buf out = CCP_BUF_INIT;
	ccp_report_opts ro = { 0 };
	ccp_json *report = NULL, *list = NULL;
	const ccp_json *items;
	char msg[128];

	ro.nfiles = nfiles;
	if (ccp_report_render(&out, d, CCP_FMT_JSON, &ro) < 0 || ccp_buf_failed(&out))
		goto cleanup;
	if (ccp_json_parse(&report, ccp_buf_cstr(&out), out.len, msg, sizeof(msg)) < 0)
		goto cleanup;
	items = ccp_json_get(report, "diagnostics");
	if (items)
		list = ccp_json_clone(items);

cleanup:
	ccp_json_free(report);
	ccp_buf_release(&out);
	return list;
}

static void summary_json(const ccp_provision_result *r, int exit_code,
			 const char *error, size_t lint_errors,
			 const ccp_json *diagnostics, const char *failed_step)
{
	ccp_buf out = CCP_BUF_INIT;
	ccp_jw w;
	size_t i;

	ccp_jw_init(&w, &out, 2);
	ccp_jw_object_begin(&w);
	ccp_jw_key(&w, "status");
	ccp_jw_string(&w, exit_code == CCP_EXIT_OK ? "published" :
		      exit_code == CCP_EXIT_FINDINGS ? "lint-errors" : "failed");
	ccp_jw_key(&w, "exit_code");
	ccp_jw_int(&w, exit_code);
	if (error) {
		ccp_jw_key(&w, "error");
		ccp_jw_string(&w, error);
	}
	if (failed_step) {
		ccp_jw_key(&w, "failed_step");
		ccp_jw_string(&w, failed_step);
	}
	if (exit_code == CCP_EXIT_FINDINGS) {
		ccp_jw_key(&w, "lint_errors");
		ccp_jw_int(&w, (long long)lint_errors);
	}
	ccp_jw_key(&w, "diagnostics");
	if (diagnostics) {
		ccp_jw_value(&w, diagnostics);
	} else {
		ccp_jw_array_begin(&w);
		ccp_jw_array_end(&w);
	}
	if (r && r->log_tail) {
		ccp_jw_key(&w, "image_builder_tail");
		ccp_jw_string(&w, r->log_tail);
	}
	if (r && r->project_dir) {
		ccp_jw_key(&w, "project_dir");
		ccp_jw_string(&w, r->project_dir);
	}
	if (r && r->log_dir && r->log_tail) {
		ccp_jw_key(&w, "log_dir");
		ccp_jw_string(&w, r->log_dir);
	}
	if (r) {
		ccp_jw_key(&w, "nvflare");
		ccp_jw_string(&w, ccp_nvf_release_of(r->line)->name);
	}
	if (r && r->prod_dir) {
		ccp_jw_key(&w, "prod_dir");
		ccp_jw_string(&w, r->prod_dir);
		ccp_jw_key(&w, "new_root_ca");
		ccp_jw_bool(&w, r->new_root);
		ccp_jw_key(&w, "elapsed_seconds");
		{
			char num[32];

			snprintf(num, sizeof(num), "%.3f", r->elapsed);
			ccp_jw_number(&w, num);
		}
		ccp_jw_key(&w, "kits");
		ccp_jw_array_begin(&w);
		for (i = 0; i < r->n_kits; i++) {
			const ccp_provision_kit *k = &r->kits[i];

			ccp_jw_object_begin(&w);
			ccp_jw_key(&w, "name");
			ccp_jw_string(&w, k->name);
			ccp_jw_key(&w, "path");
			ccp_jw_string(&w, k->path);
			ccp_jw_key(&w, "packaged");
			ccp_jw_bool(&w, k->packaged);
			ccp_jw_key(&w, "cvm_image");
			ccp_jw_bool(&w, k->image);
			ccp_jw_key(&w, "new_identity");
			ccp_jw_bool(&w, k->new_identity);
			ccp_jw_key(&w, "reissued");
			ccp_jw_bool(&w, k->reissued);
			ccp_jw_object_end(&w);
		}
		ccp_jw_array_end(&w);
	}
	ccp_jw_object_end(&w);
	ccp_buf_putc(&out, '\n');
	if (!ccp_buf_failed(&out))
		fwrite(ccp_buf_cstr(&out), 1, out.len, stdout);
	fflush(stdout);
	ccp_buf_release(&out);
}

static void show_tail(const ccp_provision_result *r)
{
	const char *s = r->log_tail, *nl;

	if (!s || !*s)
		return;
	fprintf(stderr, "last lines of the image builder's output:\n");
	while (*s) {
		nl = strchr(s, '\n');
		fprintf(stderr, "  | %.*s\n", (int)(nl ? nl - s : (long)strlen(s)), s);
		if (!nl)
			break;
		s = nl + 1;
	}
	if (r->log_dir)
		fprintf(stderr, "full logs: %s\n", r->log_dir);
}

static void plan_json(const ccp_provision_plan *plan, const char *line,
		      const ccp_json *lint_items)
{
	ccp_buf out = CCP_BUF_INIT;
	ccp_jw w;
	char num[16];
	size_t i;

	snprintf(num, sizeof(num), "prod_%02d", plan->prod_index);
	ccp_jw_init(&w, &out, 2);
	ccp_jw_object_begin(&w);
	ccp_jw_key(&w, "status");
	ccp_jw_string(&w, "dry-run");
	ccp_jw_key(&w, "exit_code");
	ccp_jw_int(&w, 0);
	ccp_jw_key(&w, "nvflare");
	ccp_jw_string(&w, line);
	ccp_jw_key(&w, "project_dir");
	ccp_jw_string(&w, plan->project_dir);
	ccp_jw_key(&w, "prod");
	ccp_jw_string(&w, num);
	ccp_jw_key(&w, "new_root_ca");
	ccp_jw_bool(&w, plan->new_root);
	ccp_jw_key(&w, "image_builds");
	ccp_jw_int(&w, (long long)plan->n_images);
	ccp_jw_key(&w, "kits");
	ccp_jw_array_begin(&w);
	for (i = 0; i < plan->n; i++) {
		ccp_jw_object_begin(&w);
		ccp_jw_key(&w, "name");
		ccp_jw_string(&w, plan->items[i].name);
		ccp_jw_key(&w, "identity");
		ccp_jw_string(&w, plan->items[i].identity);
		ccp_jw_key(&w, "packaged");
		ccp_jw_bool(&w, plan->items[i].packaged);
		ccp_jw_key(&w, "cvm_image");
		ccp_jw_bool(&w, plan->items[i].image);
		ccp_jw_object_end(&w);
	}
	ccp_jw_array_end(&w);
	ccp_jw_key(&w, "diagnostics");
	if (lint_items) {
		ccp_jw_value(&w, lint_items);
	} else {
		ccp_jw_array_begin(&w);
		ccp_jw_array_end(&w);
	}
	ccp_jw_object_end(&w);
	ccp_buf_putc(&out, '\n');
	if (!ccp_buf_failed(&out))
		fwrite(ccp_buf_cstr(&out), 1, out.len, stdout);
	ccp_buf_release(&out);
}

static void plan_text(const ccp_provision_plan *plan, const char *line)
{
	size_t i;

	printf("dry run for NVFlare %s: nothing was written\n", line);
	printf("would publish %s/prod_%02d\n", plan->project_dir, plan->prod_index);
	printf("root CA: %s\n", plan->new_root ? "new" : "reused");
	for (i = 0; i < plan->n; i++) {
		const ccp_provision_plan_item *it = &plan->items[i];

		printf("  %-32s identity %-9s kit %s%s%s\n", it->name, it->identity,
		       it->packaged ? it->name : "folder",
		       it->packaged ? ".tgz" : "",
		       it->image ? " (CVM image build)" : "");
	}
	printf("%zu image build%s\n", plan->n_images, plan->n_images == 1 ? "" : "s");
}

/* --dry-run: what a run would do; nothing is written. */
static int show_plan(const ccp_kit_project *kit, const ccp_provision_opts *o,
		     int json, const ccp_json *lint_items)
{
	ccp_provision_plan plan;
	ccp_error err;
	const char *line = ccp_nvf_release_of(o->line)->name;

	ccp_error_clear(&err);
	if (ccp_provision_plan_make(&plan, kit, o, &err) < 0) {
		ccp_report_print_safe(stderr, "ccprov provision: %s\n", err.message);
		if (json)
			summary_json(NULL, CCP_EXIT_FAILURE, err.message, 0, lint_items,
				     "check");
		return CCP_EXIT_FAILURE;
	}
	if (json)
		plan_json(&plan, line, lint_items);
	else
		plan_text(&plan, line);
	fflush(stdout);
	ccp_provision_plan_release(&plan);
	return CCP_EXIT_OK;
}

/* What the command line asks for. */
typedef struct provision_args {
	ccp_provision_opts o;
	ccp_lint_opts lo;
	const char *project;
	const char *format;
	const char *progress;
	int quiet;
	int dry_run;
	int json;
} provision_args;

static int take_project(provision_args *pa, const char *name)
{
	if (pa->project) {
		fprintf(stderr, "ccprov provision: only one project file "
			"may be given ('%s' and '%s')\n", pa->project, name);
		return -1;
	}
	pa->project = name;
	return 0;
}

/* The options that take a value: `a` is the option as typed, `v` its
 * value or NULL when it has none. */
static int set_progress(provision_args *pa, const char *a, const char *v)
{
	(void)a;
	if (!v || (strcmp(v, "auto") && strcmp(v, "tty") &&
		   strcmp(v, "plain") && strcmp(v, "none"))) {
		fprintf(stderr, "ccprov provision: --progress takes auto, tty, "
			"plain or none\n");
		return -1;
	}
	pa->progress = v;
	return 0;
}

static int set_heartbeat(provision_args *pa, const char *a, const char *v)
{
	(void)a;
	return parse_positive("--heartbeat", v, &pa->o.heartbeat);
}

static int set_project(provision_args *pa, const char *a, const char *v)
{
	if (!v) {
		fprintf(stderr, "ccprov provision: '%s' needs a file name\n", a);
		return -1;
	}
	return take_project(pa, v);
}

static int set_workspace(provision_args *pa, const char *a, const char *v)
{
	if (!v || !*v) {
		fprintf(stderr, "ccprov provision: '%s' needs a folder\n", a);
		return -1;
	}
	pa->o.workspace = v;
	return 0;
}

static int set_nvflare(provision_args *pa, const char *a, const char *v)
{
	(void)a;
	if (ccp_nvf_line_parse(&pa->o.line, v) < 0) {
		fprintf(stderr, "ccprov provision: --nvflare takes %s, not '%s'\n",
			ccp_nvf_line_names(), v ? v : "");
		return -1;
	}
	pa->lo.line = pa->o.line;
	return 0;
}

static int set_jobs(provision_args *pa, const char *a, const char *v)
{
	(void)a;
	return parse_positive("--jobs", v, &pa->o.jobs);
}

static int set_image_timeout(provision_args *pa, const char *a, const char *v)
{
	(void)a;
	return parse_positive("--image-timeout", v, &pa->o.image_timeout);
}

static int set_keygen(provision_args *pa, const char *a, const char *v)
{
	(void)a;
	if (ccp_rsa_method_parse(&pa->o.keygen, v) < 0) {
		fprintf(stderr, "ccprov provision: --keygen takes fast or openssl\n");
		return -1;
	}
	return 0;
}

static int set_format(provision_args *pa, const char *a, const char *v)
{
	(void)a;
	if (!v || (strcmp(v, "text") && strcmp(v, "json"))) {
		fprintf(stderr, "ccprov provision: --format takes text or json\n");
		return -1;
	}
	pa->format = v;
	return 0;
}

static const struct value_option {
	const char *shrt, *lng;
	int (*set)(provision_args *pa, const char *a, const char *v);
} value_options[] = {
	{ NULL, "--progress", set_progress },
	{ NULL, "--heartbeat", set_heartbeat },
	{ "-p", "--project", set_project },
	{ "-w", "--workspace", set_workspace },
	{ NULL, "--nvflare", set_nvflare },
	{ "-j", "--jobs", set_jobs },
	{ NULL, "--image-timeout", set_image_timeout },
	{ NULL, "--keygen", set_keygen },
	{ NULL, "--format", set_format },
};

/* A switch without a value: 1 when `a` is one, 0 when not; *stop is
 * set when the command ends here (--help). */
static int take_switch(provision_args *pa, const char *a, int last, int *stop)
{
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		provision_usage(stdout);
		*stop = 1;
	} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
		pa->quiet = 1;
	} else if (strcmp(a, "--no-image") == 0) {
		pa->o.no_image = 1;
	} else if (strcmp(a, "--") == 0 && last) {
		/* "--" ends the options; provision takes no operands after it */
	} else if (strcmp(a, "--dry-run") == 0) {
		pa->dry_run = 1;
	} else {
		return 0;
	}
	return 1;
}

/* One argument (and the value after it, moving *i): 0 taken, 1 the
 * command ends with *exit_code. */
static int take_arg(provision_args *pa, int argc, char **argv, int *i,
		    int *exit_code)
{
	const char *a = argv[*i];
	size_t k;
	int stop = 0;

	*exit_code = CCP_EXIT_USAGE;
	if (take_switch(pa, a, *i + 1 == argc, &stop)) {
		*exit_code = CCP_EXIT_OK;
		return stop;
	}
	for (k = 0; k < sizeof(value_options) / sizeof(value_options[0]); k++) {
		const struct value_option *vo = &value_options[k];
		int m;
		const char *v = opt_value(argc, argv, i, vo->shrt, vo->lng, &m);

		if (m)
			return vo->set(pa, a, v) < 0;
	}
	if (a[0] != '-' || !a[1])
		return take_project(pa, a) < 0;
	fprintf(stderr, "ccprov provision: unknown option '%s'\n", a);
	provision_usage(stderr);
	return 1;
}

/* The options, checked; 1 when the command ends with *exit_code. */
static int parse_args(provision_args *pa, int argc, char **argv,
		      int *exit_code)
{
	int i;

	for (i = 1; i < argc; i++)
		if (take_arg(pa, argc, argv, &i, exit_code))
			return 1;
	if (!pa->project) {
		fprintf(stderr, "ccprov provision: give the project file "
			"(ccprov provision PROJECT_YML)\n");
		provision_usage(stderr);
		*exit_code = CCP_EXIT_USAGE;
		return 1;
	}
	pa->json = strcmp(pa->format, "json") == 0;
	if (pa->quiet)
		pa->progress = "none";
	else if (strcmp(pa->progress, "auto") == 0)
		pa->progress = isatty(STDERR_FILENO) ? "tty" : "plain";
	if (strcmp(pa->progress, "none") != 0) {
		pa->o.progress = stderr;
		pa->o.live = strcmp(pa->progress, "tty") == 0;
	}
	if (!pa->quiet)
		pa->o.builder_echo = stderr;
	return 0;
}

/* Lint first: an error-level finding stops before anything is written;
 * warnings are shown and do not block. 0 to go on, else the exit code. */
static int lint_first(ccp_kit_project **kit, ccp_json **lint_items,
		      ccp_diags *diags, const provision_args *pa,
		      ccp_provision_result *res)
{
	const char *missing = ccp_schema_typed_loader();
	long nfiles;
	size_t errors, warnings;

	if (missing) {
		fprintf(stderr, "ccprov provision: cannot load %s, the typed YAML loader "
			"a kit is built with (Debian: libcyaml1)\n", missing);
		return CCP_EXIT_FAILURE;
	}
	nfiles = ccp_lint_project(diags, pa->project, &pa->lo, kit);
	if (nfiles < 0) {
		fprintf(stderr, "ccprov provision: internal failure while linting\n");
		return CCP_EXIT_FAILURE;
	}
	show_diags(diags, (size_t)nfiles, pa->quiet);
	errors = ccp_diags_count(diags, CCP_SEV_ERROR);
	warnings = ccp_diags_count(diags, CCP_SEV_WARNING);
	if (pa->o.progress)
		fprintf(pa->o.progress, "[%6.1fs] lint: %ld file%s, %zu error%s, %zu warning%s\n",
			0.0, nfiles, nfiles == 1 ? "" : "s", errors,
			errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	if (pa->json)
		*lint_items = lint_json(diags, (size_t)nfiles);
	if (!errors && *kit)
		return 0;
	if (!errors) {
		/* clean, yet libcyaml refused a file or memory ran out */
		fprintf(stderr, "ccprov provision: the project lints clean but could not "
			"be read into a kit; nothing was written\n");
		if (pa->json)
			summary_json(res, CCP_EXIT_FAILURE, "internal failure", 0,
				     *lint_items, "lint");
		return CCP_EXIT_FAILURE;
	}
	fprintf(stderr, "ccprov provision: %zu lint error%s; nothing was written\n",
		errors, errors == 1 ? "" : "s");
	if (pa->json)
		summary_json(res, CCP_EXIT_FINDINGS, "lint errors", errors,
			     *lint_items, "lint");
	return CCP_EXIT_FINDINGS;
}

/* The run itself, and what it published or why it did not. */
static int provision(ccp_provision_result *res, const ccp_kit_project *kit,
		     const provision_args *pa, const ccp_json *lint_items)
{
	ccp_error err;
	int rc;

	if (ccp_cli_catch_signals() < 0)
		fprintf(stderr, "ccprov provision: cannot catch SIGINT/SIGTERM; "
			"an interrupt may leave wip/ behind\n");
	ccp_error_clear(&err);
	rc = ccp_provision_run(res, kit, &pa->o, &err);
	if (rc < 0) {
		ccp_report_print_safe(stderr, "ccprov provision: %s\n", err.message);
		show_tail(res);
		fprintf(stderr, "ccprov provision: nothing was published%s\n",
			rc == CCP_EBUSY ? "" : "; the state is unchanged");
		if (pa->json)
			summary_json(res, CCP_EXIT_FAILURE, err.message, 0, lint_items,
				     res->failed_step);
		return CCP_EXIT_FAILURE;
	}
	if (pa->json)
		summary_json(res, CCP_EXIT_OK, NULL, 0, lint_items, NULL);
	else
		summary_text(res);
	return CCP_EXIT_OK;
}

int cmd_provision(int argc, char **argv)
{
	provision_args pa;
	ccp_provision_result res;
	ccp_kit_project *kit = NULL;
	ccp_json *lint_items = NULL;
	ccp_diags diags;
	int rc;

	memset(&pa, 0, sizeof(pa));
	ccp_provision_opts_init(&pa.o);
	ccp_lint_opts_init(&pa.lo);
	pa.format = "text";
	pa.progress = "auto";
	memset(&res, 0, sizeof(res));
	if (parse_args(&pa, argc, argv, &rc))
		return rc;
	/* what a run stopped before provisioning reports */
	res.line = pa.o.line;
	pa.o.cancelled = ccp_cli_interrupted;

	ccp_diags_init(&diags);
	rc = lint_first(&kit, &lint_items, &diags, &pa, &res);
	if (rc == 0 && pa.dry_run)
		rc = show_plan(kit, &pa.o, pa.json, lint_items);
	else if (rc == 0)
		rc = provision(&res, kit, &pa, lint_items);

	ccp_provision_result_release(&res);
	ccp_json_free(lint_items);
	ccp_diags_release(&diags);
	ccp_kit_project_free(kit);
	return rc;
}
