/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Report rendering: every format against hand-built diagnostics, with
 * exact output where the format is line-oriented and a parse-back where
 * it is structured.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccprov/buf.h"
#include "ccprov/diag.h"
#include "ccprov/gate.h"
#include "ccprov/json.h"
#include "ccprov/report.h"
#include "ccprov/rules.h"
#include "ccprov/yaml.h"

/* Render into a fresh string; the test owns it. */
static char *render(const ccp_diags *d, ccp_format fmt,
		    const ccp_report_opts *opts)
{
	ccp_buf b = CCP_BUF_INIT;

	assert_int_equal(ccp_report_render(&b, d, fmt, opts), 0);
	return ccp_buf_detach(&b);
}

static ccp_json *parse(const char *text)
{
	ccp_json *v = NULL;
	char err[256];

	if (ccp_json_parse(&v, text, strlen(text), err, sizeof(err)) != 0)
		fail_msg("output is not JSON: %s\n%s", err, text);
	return v;
}

static const char *jstr(const ccp_json *obj, const char *key)
{
	const char *s = ccp_json_str(ccp_json_get(obj, key));

	if (!s)
		fail_msg("missing string '%s'", key);
	return s;
}

static long long jint(const ccp_json *obj, const char *key)
{
	long long v = -1;

	if (ccp_json_int(ccp_json_get(obj, key), &v) != 0)
		fail_msg("missing integer '%s'", key);
	return v;
}

static const ccp_json *jat(const ccp_json *arr, size_t i)
{
	assert_non_null(arr);
	assert_int_equal(arr->type, CCP_JSON_ARRAY);
	assert_true(i < arr->count);
	return arr->items[i];
}

/*
 * The usual set: an error with a span, hint and related location, a
 * file-level warning and a note in a second file. Rule ids are labels
 * here: renderers consult the registry only for SARIF rule metadata.
 */
static void fill_sample(ccp_diags *d)
{
	ccp_diag *g;

	ccp_diags_init(d);
	g = ccp_diags_add_at(d, "CCP-S001", CCP_SEV_ERROR, "project.yml",
			     3, 5, 3, 9, "participants/0/nmae",
			     "unknown key 'nmae'");
	assert_non_null(g);
	ccp_diag_set_hint(g, "did you mean 'name'?");
	ccp_diag_add_related_at(g, "cc/site-1.yml", 2, 1, "referenced from here");
	assert_non_null(ccp_diags_add_at(d, "CCP-Y002", CCP_SEV_WARNING,
					 "project.yml", 0, 0, 0, 0, NULL,
					 "file has no final newline"));
	assert_non_null(ccp_diags_add_at(d, "CCP-C010", CCP_SEV_NOTE,
					 "cc/site-1.yml", 7, 3, 7, 8, "k",
					 "value 'false' is the default"));
	ccp_diags_finish(d);
}

static void test_format_parse(void **state)
{
	static const char *const names[] = {
		"text", "json", "sarif", "junit", "github", "gitlab"
	};
	static const ccp_format fmts[] = {
		CCP_FMT_TEXT, CCP_FMT_JSON, CCP_FMT_SARIF, CCP_FMT_JUNIT,
		CCP_FMT_GITHUB, CCP_FMT_GITLAB
	};
	ccp_format f;
	size_t i;

	(void)state;
	for (i = 0; i < 6; i++) {
		assert_int_equal(ccp_format_parse(names[i], &f), 0);
		assert_int_equal(f, fmts[i]);
		assert_non_null(strstr(ccp_format_names(), names[i]));
	}
	assert_string_equal(ccp_format_names(),
			    "text, json, sarif, junit, github, gitlab");
	assert_int_equal(ccp_format_parse("xml", &f), -1);
	assert_int_equal(ccp_format_parse("JSON", &f), -1);
	assert_int_equal(ccp_format_parse("", &f), -1);
	assert_int_equal(ccp_format_parse(NULL, &f), -1);
}

static void test_render_unknown_format(void **state)
{
	ccp_diags d;
	ccp_buf b = CCP_BUF_INIT;

	(void)state;
	ccp_diags_init(&d);
	assert_true(ccp_report_render(&b, &d, (ccp_format)99, NULL) < 0);
	ccp_buf_release(&b);
	ccp_diags_release(&d);
}

static void expect_path(const char *file, const char *base, const char *want)
{
	char *p = ccp_report_display_path(file, base);

	assert_non_null(p);
	if (strcmp(p, want) != 0)
		fail_msg("display path of '%s' (base '%s'): got '%s', want '%s'",
			 file, base ? base : "(cwd)", p, want);
	free(p);
}

static void test_display_path(void **state)
{
	char *cwd = getcwd(NULL, 0);
	char abs[4096], parent[4096];
	char *slash;

	(void)state;
	assert_non_null(cwd);
	expect_path("project.yml", NULL, "project.yml");
	expect_path("./cc/../project.yml", NULL, "project.yml");
	expect_path("a//b/./c.yml", NULL, "a/b/c.yml");
	snprintf(abs, sizeof(abs), "%s/sub/x.yml", cwd);
	expect_path(abs, NULL, "sub/x.yml");
	expect_path(abs, cwd, "sub/x.yml");
	/* above the base: absolute */
	snprintf(parent, sizeof(parent), "%s", cwd);
	slash = strrchr(parent, '/');
	assert_non_null(slash);
	snprintf(abs, sizeof(abs), "%.*s/up.yml", (int)(slash - parent), parent);
	expect_path("../up.yml", NULL, abs);
	/* a sibling folder sharing a prefix is not below */
	expect_path("/srv/projects-old/p.yml", "/srv/projects", "/srv/projects-old/p.yml");
	expect_path("/srv/projects/p.yml", "/srv/projects/", "p.yml");
	expect_path("/srv/projects/a/../p.yml", "/srv/projects", "p.yml");
	expect_path("/etc/x.yml", "/", "etc/x.yml");
	expect_path("/srv/projects", "/srv/projects", ".");
	expect_path("", NULL, "");
	free(cwd);
}

static void test_text_plain(void **state)
{
	ccp_diags d;
	ccp_report_opts opts = { 0, 0, 2, NULL };
	char *out;

	(void)state;
	fill_sample(&d);
	out = render(&d, CCP_FMT_TEXT, &opts);
	assert_string_equal(out,
		"cc/site-1.yml:7:3: note: value 'false' is the default [CCP-C010]\n"
		"project.yml: warning: file has no final newline [CCP-Y002]\n"
		"project.yml:3:5: error: unknown key 'nmae' [CCP-S001]\n"
		"  hint: did you mean 'name'?\n"
		"  note: cc/site-1.yml:2:1: referenced from here\n"
		"1 error, 1 warning, 1 note in 2 files\n");
	free(out);

	/* quoting asked for, but the files do not exist: no source lines */
	opts.show_source = 1;
	out = render(&d, CCP_FMT_TEXT, &opts);
	assert_non_null(strstr(out, "[CCP-S001]\n  hint:"));
	free(out);
	ccp_diags_release(&d);
}

static void test_text_summary(void **state)
{
	ccp_diags d;
	ccp_report_opts opts = { 0, 0, 2, NULL };
	char *out;

	(void)state;
	ccp_diags_init(&d);
	out = render(&d, CCP_FMT_TEXT, &opts);
	assert_string_equal(out, "no findings in 2 files\n");
	free(out);
	opts.nfiles = 1;
	out = render(&d, CCP_FMT_TEXT, &opts);
	assert_string_equal(out, "no findings in 1 file\n");
	free(out);
	out = render(&d, CCP_FMT_TEXT, NULL);
	assert_string_equal(out, "no findings in 0 files\n");
	free(out);

	ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, "a.yml", 1, 1, 1, 2,
			 NULL, "one");
	ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, "b.yml", 1, 1, 1, 2,
			 NULL, "two");
	ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, "b.yml", 2, 1, 2, 2,
			 NULL, "three");
	ccp_diags_finish(&d);
	/* nfiles unknown: the files that have findings */
	out = render(&d, CCP_FMT_TEXT, NULL);
	assert_non_null(strstr(out, "\n3 errors, 0 warnings, 0 notes in 2 files\n"));
	free(out);
	ccp_diags_release(&d);
}

static void test_text_color(void **state)
{
	ccp_diags d;
	ccp_report_opts opts = { 1, 0, 1, NULL };
	char *out;

	(void)state;
	ccp_diags_init(&d);
	ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, "a.yml", 1, 2, 1, 3,
			 NULL, "bad");
	ccp_diags_add_at(&d, "CCP-S002", CCP_SEV_WARNING, "a.yml", 2, 2, 2, 3,
			 NULL, "meh");
	ccp_diags_finish(&d);
	out = render(&d, CCP_FMT_TEXT, &opts);
	assert_string_equal(out,
		"\033[1ma.yml:1:2: \033[0m\033[1;31merror: \033[0m"
		"\033[1mbad [CCP-S001]\033[0m\n"
		"\033[1ma.yml:2:2: \033[0m\033[1;35mwarning: \033[0m"
		"\033[1mmeh [CCP-S002]\033[0m\n"
		"1 error, 1 warning, 0 notes in 1 file\n");
	free(out);
	ccp_diags_release(&d);
}

static void test_text_control_chars(void **state)
{
	ccp_diags d;
	char *out;

	(void)state;
	ccp_diags_init(&d);
	ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, "a.yml", 1, 1, 1, 2,
			 NULL, "value '\033[2Jx\nz'");
	out = render(&d, CCP_FMT_TEXT, NULL);
	assert_string_equal(out, "a.yml:1:1: error: value '?[2Jx?z' [CCP-S001]\n"
			    "1 error, 0 warnings, 0 notes in 1 file\n");
	free(out);
	ccp_diags_release(&d);
}

/* Progress and error lines quoting input get the text report's filter. */
static void test_print_safe(void **state)
{
	char text[256];
	FILE *f = tmpfile();
	size_t n;

	(void)state;
	assert_non_null(f);
	assert_int_equal(ccp_report_print_safe(f, "in '%s'\n",
					       "w\033[31ms\a\xc2\x9b" "x\ny\tz\xe2\x80\xae"), 0);
	assert_int_equal(ccp_report_print_safe(f, "%s", "no newline"), 0);
	rewind(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	/* one '?' a control; a tab and the closing newline stay */
	assert_string_equal(text, "in 'w?[31ms??x?y\tz?'\nno newline");
}

/*
 * No format lets an input's control characters reach a terminal: C0,
 * ESC, DEL, C1 (U+009B is CSI to many terminals, as is a lone 0x9b
 * byte) and bidirectional overrides that reorder the line.
 */
static void test_no_terminal_controls(void **state)
{
	static const ccp_format formats[] = {
		CCP_FMT_TEXT, CCP_FMT_GITHUB, CCP_FMT_JSON, CCP_FMT_SARIF,
		CCP_FMT_JUNIT, CCP_FMT_GITLAB,
	};
	static const char *const bad[] = {
		"\033", "\xc2\x9b", "\xc2\x85", "\xe2\x80\xae", "\xe2\x81\xa6", "\x9b",
		"\x07", "\x7f",
	};
	ccp_diags d;
	ccp_diag *g;
	size_t f, i;

	(void)state;
	ccp_diags_init(&d);
	g = ccp_diags_add_at(&d, "CCP-S010", CCP_SEV_ERROR, "x\xc2\x9b" "1m.yml", 1, 1,
			     1, 2, NULL, "name 'a\033[2Jb\xc2\x9b" "31mc\xe2\x80\xae" "d\x9b"
			     "e\x07\x7f\xe2\x81\xa6'");
	assert_non_null(g);
	ccp_diag_set_hint(g, "hint \xc2\x9b" "0m");
	for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		char *out = render(&d, formats[f], NULL);

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (strstr(out, bad[i]))
				fail_msg("format %zu carries control %zu:\n%s", f, i, out);
		/* the text around them survives */
		assert_non_null(strstr(out, "31mc"));
		free(out);
	}
	ccp_diags_release(&d);
}

#define SRC_FILE "report_source_test.yml"

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Render one finding with source quoting and return the lines after
 * the header (the quote and caret). */
static char *quote(unsigned line, unsigned col, unsigned end_line,
		   unsigned end_col)
{
	ccp_diags d;
	ccp_report_opts opts = { 0, 1, 1, NULL };
	char *out, *body, *sum;

	ccp_diags_init(&d);
	assert_non_null(ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR,
					 SRC_FILE, line, col, end_line,
					 end_col, NULL, "m"));
	out = render(&d, CCP_FMT_TEXT, &opts);
	ccp_diags_release(&d);
	body = strchr(out, '\n');
	assert_non_null(body);
	body = strdup(body + 1);
	free(out);
	assert_non_null(body);
	/* drop the summary line */
	sum = strstr(body, "1 error, 0 warnings, 0 notes in 1 file\n");
	assert_non_null(sum);
	*sum = '\0';
	return body;
}

static void expect_quote(unsigned line, unsigned col, unsigned end_line,
			 unsigned end_col, const char *want)
{
	char *got = quote(line, col, end_line, end_col);

	if (strcmp(got, want) != 0)
		fail_msg("quote %u:%u-%u:%u:\ngot:\n%s\nwant:\n%s", line, col,
			 end_line, end_col, got, want);
	free(got);
}

/* One column definition (code points) in every format; wide characters
 * take two terminal columns under the caret; GitHub gets no columns for
 * a span over several lines. */
static void test_columns(void **state)
{
	static const char src[] =
		"name: \xe5\x90\x8d\xe5\x89\x8d x\n"    /* 1: two CJK, then x */
		"key: \xc3\xa9t\xc3\xa9\n"                /* 2 */
		"end: z\n";                                  /* 3 */
	ccp_diags d;
	ccp_report_opts opts = { 0, 1, 1, NULL };
	ccp_json *v;
	const ccp_json *g;
	char *out;

	(void)state;
	write_file(SRC_FILE, src, sizeof(src) - 1);
	/* 'x' is byte 14, code point 10; two wide characters before it */
	expect_quote(1, 14, 1, 15,
		     "name: \xe5\x90\x8d\xe5\x89\x8d x\n"
		     "           ^\n");
	/* a span over a wide character is two columns wide */
	expect_quote(1, 7, 1, 10,
		     "name: \xe5\x90\x8d\xe5\x89\x8d x\n"
		     "      ^~\n");

	ccp_diags_init(&d);
	ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, SRC_FILE, 1, 14, 1, 15,
			 NULL, "one line");
	ccp_diags_add_at(&d, "CCP-S003", CCP_SEV_ERROR, SRC_FILE, 2, 6, 3, 6,
			 NULL, "two lines");
	ccp_diags_finish(&d);

	out = render(&d, CCP_FMT_TEXT, &opts);
	assert_non_null(strstr(out, SRC_FILE ":1:10: error: one line"));
	free(out);

	out = render(&d, CCP_FMT_JSON, &opts);
	v = parse(out);
	g = jat(ccp_json_get(v, "diagnostics"), 0);
	assert_int_equal(jint(g, "column"), 10);
	assert_int_equal(jint(g, "end_column"), 11);
	ccp_json_free(v);
	free(out);

	out = render(&d, CCP_FMT_GITHUB, &opts);
	assert_non_null(strstr(out, "::error file=" SRC_FILE ",line=1,col=10,endLine=1,endColumn=11,"));
	assert_non_null(strstr(out, "::error file=" SRC_FILE ",line=2,endLine=3,title="));
	free(out);
	ccp_diags_release(&d);
	unlink(SRC_FILE);
}

static void test_text_source(void **state)
{
	static const char src[] =
		"name: h\xc3\xa9llo w\xc3\xb6rld\n"  /* 1: UTF-8 */
		"\tkey: value\n"                      /* 2: tab */
		"abc: def\r\n"                        /* 3: CRLF */
		"x: y\n";                             /* 4 */
	ccp_diags d;
	ccp_diag *g;
	ccp_report_opts opts = { 0, 1, 1, NULL };
	char *out;

	(void)state;
	write_file(SRC_FILE, src, sizeof(src) - 1);

	/* "wörld" is bytes 14..19, code points 13..17 */
	expect_quote(1, 14, 1, 20,
		     "name: h\xc3\xa9llo w\xc3\xb6rld\n"
		     "            ^~~~~\n");
	expect_quote(2, 7, 2, 12, "\tkey: value\n\t     ^~~~~\n");
	/* zero-width and multi-line spans get a single caret */
	expect_quote(3, 3, 3, 3, "abc: def\n  ^\n");
	expect_quote(3, 1, 4, 2, "abc: def\n^\n");
	/* end of line, and an end past it, stay on the line */
	expect_quote(4, 5, 4, 5, "x: y\n    ^\n");
	expect_quote(4, 4, 4, 99, "x: y\n   ^\n");
	/* a line outside the file quotes nothing */
	expect_quote(40, 1, 40, 2, "");

	/* hint and notes follow the caret; the file is read once for many */
	ccp_diags_init(&d);
	g = ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, SRC_FILE, 2, 2,
			     2, 5, NULL, "bad key");
	ccp_diag_set_hint(g, "rename it");
	ccp_diag_add_related_at(g, SRC_FILE, 4, 1, "see also");
	ccp_diags_add_at(&d, "CCP-S003", CCP_SEV_WARNING, SRC_FILE, 4, 1, 4, 2,
			 NULL, "short");
	ccp_diags_finish(&d);
	out = render(&d, CCP_FMT_TEXT, &opts);
	assert_string_equal(out,
		SRC_FILE ":2:2: error: bad key [CCP-S001]\n"
		"\tkey: value\n"
		"\t^~~\n"
		"  hint: rename it\n"
		"  note: " SRC_FILE ":4:1: see also\n"
		SRC_FILE ":4:1: warning: short [CCP-S003]\n"
		"x: y\n"
		"^\n"
		"1 error, 1 warning, 0 notes in 1 file\n");
	free(out);
	ccp_diags_release(&d);

	/* the caret line is green when colours are on */
	opts.color = 1;
	ccp_diags_init(&d);
	ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, SRC_FILE, 4, 1, 4, 2,
			 NULL, "m");
	out = render(&d, CCP_FMT_TEXT, &opts);
	assert_non_null(strstr(out, "\nx: y\n\033[1;32m^\033[0m\n"));
	free(out);
	ccp_diags_release(&d);
	unlink(SRC_FILE);
}

static void test_text_long_line(void **state)
{
	char line[1001], want[1200];
	char *got;
	size_t n;

	(void)state;
	memset(line, 'a', 1000);
	line[1000] = '\n';
	write_file(SRC_FILE, line, sizeof(line));
	/* caret at byte 600: 160 bytes of context before, 480 shown */
	n = 0;
	memcpy(want + n, "...", 3);
	n += 3;
	memset(want + n, 'a', 480);
	n += 480;
	memcpy(want + n, "...\n   ", 7);
	n += 7;
	memset(want + n, ' ', 160);
	n += 160;
	memcpy(want + n, "^~\n", 4);
	got = quote(1, 600, 1, 602);
	assert_string_equal(got, want);
	free(got);

	/* near the start: no leading ellipsis */
	got = quote(1, 1, 1, 2);
	assert_int_equal(strlen(got), 480 + 4 + 2);
	assert_memory_equal(got + 480, "...\n^\n", 6);
	free(got);
	unlink(SRC_FILE);
}

static void test_json(void **state)
{
	ccp_diags d;
	ccp_report_opts opts = { 1, 1, 2, NULL };
	ccp_json *v;
	const ccp_json *diags, *g, *rel;
	char *out;
	static const char *const top[] = {
		"version", "tool", "diagnostics", "summary"
	};
	static const char *const keys[] = {
		"rule", "severity", "file", "line", "column", "end_line",
		"end_column", "message", "hint", "related", "fingerprint"
	};
	size_t i;

	(void)state;
	fill_sample(&d);
	out = render(&d, CCP_FMT_JSON, &opts);
	/* colours and source quoting never leak into json */
	assert_null(strchr(out, '\033'));
	assert_true(strncmp(out, "{\n  \"version\": 1,\n  \"tool\": {\n"
			    "    \"name\": \"ccprov\",\n", 40) == 0);
	assert_int_equal(out[strlen(out) - 1], '\n');
	assert_int_equal(out[strlen(out) - 2], '}');
	v = parse(out);
	assert_int_equal(v->count, 4);
	for (i = 0; i < 4; i++)
		assert_string_equal(v->keys[i], top[i]);
	assert_int_equal(jint(v, "version"), 1);
	assert_string_equal(jstr(ccp_json_get(v, "tool"), "name"), "ccprov");
	assert_string_equal(jstr(ccp_json_get(v, "tool"), "version"),
			    CCPROV_VERSION);

	diags = ccp_json_get(v, "diagnostics");
	assert_int_equal(diags->count, 3);
	g = jat(diags, 2);   /* the error in project.yml:3 sorts last */
	assert_int_equal(g->count, 11);
	for (i = 0; i < 11; i++)
		assert_string_equal(g->keys[i], keys[i]);
	assert_string_equal(jstr(g, "rule"), "CCP-S001");
	assert_string_equal(jstr(g, "severity"), "error");
	assert_string_equal(jstr(g, "file"), "project.yml");
	assert_int_equal(jint(g, "line"), 3);
	assert_int_equal(jint(g, "column"), 5);
	assert_int_equal(jint(g, "end_line"), 3);
	assert_int_equal(jint(g, "end_column"), 9);
	assert_string_equal(jstr(g, "message"), "unknown key 'nmae'");
	assert_string_equal(jstr(g, "hint"), "did you mean 'name'?");
	assert_string_equal(jstr(g, "fingerprint"), d.items[2]->fingerprint);
	assert_int_equal(strlen(jstr(g, "fingerprint")), 16);
	rel = jat(ccp_json_get(g, "related"), 0);
	assert_int_equal(rel->count, 4);
	assert_string_equal(rel->keys[0], "file");
	assert_string_equal(jstr(rel, "file"), "cc/site-1.yml");
	assert_int_equal(jint(rel, "line"), 2);
	assert_int_equal(jint(rel, "column"), 1);
	assert_string_equal(jstr(rel, "message"), "referenced from here");

	/* no hint, no related: the keys are absent, not null */
	g = jat(diags, 1);
	assert_int_equal(g->count, 9);
	assert_null(ccp_json_get(g, "hint"));
	assert_null(ccp_json_get(g, "related"));
	assert_string_equal(jstr(g, "severity"), "warning");
	assert_int_equal(jint(g, "line"), 0);
	assert_string_equal(jstr(jat(diags, 0), "severity"), "note");

	g = ccp_json_get(v, "summary");
	assert_int_equal(g->count, 5);
	assert_string_equal(g->keys[0], "error");
	assert_string_equal(g->keys[3], "files");
	assert_string_equal(g->keys[4], "suppressed");
	assert_int_equal(jint(g, "suppressed"), 0);
	assert_int_equal(jint(g, "error"), 1);
	assert_int_equal(jint(g, "warning"), 1);
	assert_int_equal(jint(g, "note"), 1);
	assert_int_equal(jint(g, "files"), 2);
	ccp_json_free(v);
	free(out);
	ccp_diags_release(&d);
}

static void test_json_empty_and_invalid_utf8(void **state)
{
	ccp_diags d;
	ccp_json *v;
	char *out;

	(void)state;
	ccp_diags_init(&d);
	out = render(&d, CCP_FMT_JSON, NULL);
	v = parse(out);
	assert_int_equal(ccp_json_get(v, "diagnostics")->count, 0);
	assert_non_null(strstr(out, "\"diagnostics\": [],"));
	ccp_json_free(v);
	free(out);

	/* a latin-1 value quoted from the input must not break the JSON */
	ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, "a.yml", 1, 1, 1, 2,
			 NULL, "bad 'caf\xe9'");
	out = render(&d, CCP_FMT_JSON, NULL);
	v = parse(out);
	assert_string_equal(jstr(jat(ccp_json_get(v, "diagnostics"), 0),
				 "message"), "bad 'caf\xef\xbf\xbd'");
	ccp_json_free(v);
	free(out);
	ccp_diags_release(&d);
}

static void test_sarif(void **state)
{
	ccp_diags d;
	ccp_json *v;
	const ccp_json *run, *driver, *rules, *results, *res, *loc, *reg, *rl;
	const ccp_rule *known;
	char *out;
	long long idx;
	size_t i;

	(void)state;
	fill_sample(&d);
	ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, "/opt/elsewhere/my file.yml",
			 1, 1, 1, 4, NULL, "second");
	ccp_diags_finish(&d);
	out = render(&d, CCP_FMT_SARIF, NULL);
	v = parse(out);
	assert_string_equal(jstr(v, "$schema"),
			    "https://json.schemastore.org/sarif-2.1.0.json");
	assert_string_equal(jstr(v, "version"), "2.1.0");
	assert_int_equal(ccp_json_get(v, "runs")->count, 1);
	run = jat(ccp_json_get(v, "runs"), 0);
	driver = ccp_json_get(ccp_json_get(run, "tool"), "driver");
	assert_string_equal(jstr(driver, "name"), "ccprov");
	assert_string_equal(jstr(driver, "version"), CCPROV_VERSION);

	/* the rules that fired, once each, sorted */
	rules = ccp_json_get(driver, "rules");
	assert_int_equal(rules->count, 3);
	assert_string_equal(jstr(jat(rules, 0), "id"), "CCP-C010");
	assert_string_equal(jstr(jat(rules, 1), "id"), "CCP-S001");
	assert_string_equal(jstr(jat(rules, 2), "id"), "CCP-Y002");
	for (i = 0; i < rules->count; i++) {
		const ccp_json *r = jat(rules, i);

		known = ccp_rule_find(jstr(r, "id"));
		if (!known) {
			assert_null(ccp_json_get(r, "shortDescription"));
			continue;
		}
		assert_string_equal(jstr(ccp_json_get(r, "shortDescription"),
					 "text"), known->summary);
		assert_string_equal(jstr(ccp_json_get(r, "defaultConfiguration"),
					 "level"),
				    ccp_severity_name(known->severity));
	}

	results = ccp_json_get(run, "results");
	assert_int_equal(results->count, 4);
	for (i = 0; i < results->count; i++) {
		res = jat(results, i);
		idx = jint(res, "ruleIndex");
		assert_true(idx >= 0 && (size_t)idx < rules->count);
		assert_string_equal(jstr(jat(rules, (size_t)idx), "id"),
				    jstr(res, "ruleId"));
		assert_string_equal(jstr(ccp_json_get(res, "partialFingerprints"),
					 "ccprov/v1"), d.items[i]->fingerprint);
	}

	/* an absolute path outside the base: a file URI, percent-encoded */
	res = jat(results, 0);
	assert_string_equal(jstr(res, "ruleId"), "CCP-S001");
	loc = ccp_json_get(jat(ccp_json_get(res, "locations"), 0),
			   "physicalLocation");
	assert_string_equal(jstr(ccp_json_get(loc, "artifactLocation"), "uri"),
			    "file:///opt/elsewhere/my%20file.yml");
	assert_null(ccp_json_get(ccp_json_get(loc, "artifactLocation"),
				 "uriBaseId"));

	/* the error in project.yml: region, hint in the text, related */
	res = jat(results, 3);
	assert_string_equal(jstr(res, "level"), "error");
	assert_string_equal(jstr(ccp_json_get(res, "message"), "text"),
			    "unknown key 'nmae' (hint: did you mean 'name'?)");
	loc = ccp_json_get(jat(ccp_json_get(res, "locations"), 0),
			   "physicalLocation");
	assert_string_equal(jstr(ccp_json_get(loc, "artifactLocation"), "uri"),
			    "project.yml");
	assert_string_equal(jstr(ccp_json_get(loc, "artifactLocation"),
				 "uriBaseId"), "%SRCROOT%");
	reg = ccp_json_get(loc, "region");
	assert_int_equal(jint(reg, "startLine"), 3);
	assert_int_equal(jint(reg, "startColumn"), 5);
	assert_int_equal(jint(reg, "endLine"), 3);
	assert_int_equal(jint(reg, "endColumn"), 9);
	rl = jat(ccp_json_get(res, "relatedLocations"), 0);
	assert_int_equal(jint(rl, "id"), 1);
	assert_string_equal(jstr(ccp_json_get(rl, "message"), "text"),
			    "referenced from here");
	loc = ccp_json_get(rl, "physicalLocation");
	assert_string_equal(jstr(ccp_json_get(loc, "artifactLocation"), "uri"),
			    "cc/site-1.yml");
	assert_int_equal(jint(ccp_json_get(loc, "region"), "startLine"), 2);

	/* file-level warning: placed on line 1, no columns */
	res = jat(results, 2);
	assert_string_equal(jstr(res, "level"), "warning");
	loc = ccp_json_get(jat(ccp_json_get(res, "locations"), 0),
			   "physicalLocation");
	reg = ccp_json_get(loc, "region");
	assert_non_null(reg);
	assert_int_equal(jint(reg, "startLine"), 1);
	assert_null(ccp_json_get(reg, "startColumn"));
	assert_null(ccp_json_get(res, "relatedLocations"));
	assert_string_equal(jstr(jat(results, 1), "level"), "note");

	ccp_json_free(v);
	free(out);
	ccp_diags_release(&d);
}

static void test_sarif_code_point_columns(void **state)
{
	static const char src[] = "k: \xc3\xa9t\xc3\xa9 x\n";
	ccp_diags d;
	ccp_json *v;
	const ccp_json *reg;
	char *out;

	(void)state;
	write_file(SRC_FILE, src, sizeof(src) - 1);
	ccp_diags_init(&d);
	/* "x" is byte column 10, character column 8 */
	ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, SRC_FILE, 1, 10, 1, 11,
			 NULL, "m");
	out = render(&d, CCP_FMT_SARIF, NULL);
	v = parse(out);
	assert_string_equal(jstr(jat(ccp_json_get(v, "runs"), 0), "columnKind"),
			    "unicodeCodePoints");
	reg = ccp_json_get(ccp_json_get(jat(ccp_json_get(jat(ccp_json_get(
		jat(ccp_json_get(v, "runs"), 0), "results"), 0), "locations"),
		0), "physicalLocation"), "region");
	assert_int_equal(jint(reg, "startColumn"), 8);
	assert_int_equal(jint(reg, "endColumn"), 9);
	ccp_json_free(v);
	free(out);
	ccp_diags_release(&d);
	unlink(SRC_FILE);
}

static void test_sarif_empty(void **state)
{
	ccp_diags d;
	ccp_json *v;
	const ccp_json *run;
	char *out;

	(void)state;
	ccp_diags_init(&d);
	out = render(&d, CCP_FMT_SARIF, NULL);
	v = parse(out);
	run = jat(ccp_json_get(v, "runs"), 0);
	assert_int_equal(ccp_json_get(run, "results")->count, 0);
	assert_int_equal(ccp_json_get(ccp_json_get(ccp_json_get(run, "tool"),
					"driver"), "rules")->count, 0);
	ccp_json_free(v);
	free(out);
	ccp_diags_release(&d);
}

static void test_junit(void **state)
{
	ccp_diags d;
	ccp_diag *g;
	char *out;

	(void)state;
	fill_sample(&d);
	g = ccp_diags_add_at(&d, "CCP-S002", CCP_SEV_ERROR, "project.yml", 9, 1,
			     9, 2, NULL, "a <b> & \"c\" 'd'\x01\x7f end");
	assert_non_null(g);
	ccp_diags_finish(&d);
	out = render(&d, CCP_FMT_JUNIT, NULL);
	assert_true(strncmp(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0);
	assert_non_null(strstr(out, "<testsuite name=\"ccprov\" tests=\"2\" failures=\"1\""));
	assert_non_null(strstr(out, "<testcase classname=\"ccprov\" name=\"cc/site-1.yml\">\n"
			       "      <system-out>cc/site-1.yml:7:3: note: "
			       "value &apos;false&apos; is the default [CCP-C010]\n"
			       "</system-out>\n    </testcase>\n"));
	assert_non_null(strstr(out, "<testcase classname=\"ccprov\" name=\"project.yml\">\n"
			       "      <failure message=\"CCP-S001: unknown key &apos;nmae&apos;\" "
			       "type=\"CCP-S001\">project.yml:3:5: error: unknown key "
			       "&apos;nmae&apos; [CCP-S001]\n"
			       "  hint: did you mean &apos;name&apos;?\n"
			       "  note: cc/site-1.yml:2:1: referenced from here\n"
			       "</failure>\n"));
	/* escaping: markup characters as entities, control characters gone */
	assert_non_null(strstr(out, "<failure message=\"CCP-S002: a &lt;b&gt; &amp; "
			       "&quot;c&quot; &apos;d&apos; end\""));
	assert_non_null(strstr(out, "<system-out>project.yml: warning: file has no "
			       "final newline [CCP-Y002]\n</system-out>\n"));
	assert_null(strchr(out, '\x01'));
	assert_null(strchr(out, '\x7f'));
	assert_non_null(strstr(out, "</testsuite>\n</testsuites>\n"));
	free(out);
	ccp_diags_release(&d);

	ccp_diags_init(&d);
	out = render(&d, CCP_FMT_JUNIT, NULL);
	assert_non_null(strstr(out, "tests=\"1\" failures=\"0\""));
	assert_non_null(strstr(out, "<testcase classname=\"ccprov\" name=\"ccprov lint\"/>\n"));
	free(out);
	ccp_diags_release(&d);
}

static void test_github(void **state)
{
	ccp_diags d;
	ccp_diag *g;
	char *out;

	(void)state;
	fill_sample(&d);
	out = render(&d, CCP_FMT_GITHUB, NULL);
	assert_string_equal(out,
		"::notice file=cc/site-1.yml,line=7,col=3,endLine=7,endColumn=8,"
		"title=CCP-C010::value 'false' is the default\n"
		"::warning file=project.yml,title=CCP-Y002::file has no final newline\n"
		"::error file=project.yml,line=3,col=5,endLine=3,endColumn=9,"
		"title=CCP-S001::unknown key 'nmae'%0Ahint: did you mean 'name'?"
		"%0Anote: cc/site-1.yml:2:1: referenced from here\n");
	free(out);
	ccp_diags_release(&d);

	ccp_diags_init(&d);
	g = ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, "a,b:c%.yml", 1, 1,
			     0, 0, NULL, "100%% sure:\r\nyes, really");
	assert_non_null(g);
	out = render(&d, CCP_FMT_GITHUB, NULL);
	assert_string_equal(out,
		"::error file=a%2Cb%3Ac%25.yml,line=1,col=1,title=CCP-S001"
		"::100%25 sure:%0D%0Ayes, really\n");
	free(out);
	ccp_diags_release(&d);
}

static void test_gitlab(void **state)
{
	ccp_diags d;
	ccp_json *v;
	const ccp_json *it;
	char *out;
	char want[32];

	(void)state;
	fill_sample(&d);
	/* same rule and key, another message: a fingerprint repeat */
	ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, "project.yml", 4, 5, 4, 9,
			 "participants/0/nmae", "other message");
	ccp_diags_finish(&d);
	out = render(&d, CCP_FMT_GITLAB, NULL);
	assert_int_equal(out[0], '[');
	assert_int_equal(out[strlen(out) - 1], '\n');
	v = parse(out);
	assert_int_equal(v->type, CCP_JSON_ARRAY);
	assert_int_equal(v->count, 4);

	it = jat(v, 0);
	assert_string_equal(it->keys[0], "description");
	assert_string_equal(jstr(it, "description"),
			    "CCP-C010: value 'false' is the default");
	assert_string_equal(jstr(it, "check_name"), "CCP-C010");
	assert_string_equal(jstr(it, "severity"), "info");
	assert_string_equal(jstr(it, "fingerprint"), d.items[0]->fingerprint);
	assert_string_equal(jstr(ccp_json_get(it, "location"), "path"),
			    "cc/site-1.yml");
	assert_int_equal(jint(ccp_json_get(ccp_json_get(it, "location"),
					   "lines"), "begin"), 7);

	it = jat(v, 1);   /* file-level: line 1 */
	assert_string_equal(jstr(it, "severity"), "minor");
	assert_int_equal(jint(ccp_json_get(ccp_json_get(it, "location"),
					   "lines"), "begin"), 1);

	it = jat(v, 2);
	assert_string_equal(jstr(it, "severity"), "major");
	assert_string_equal(jstr(it, "fingerprint"), d.items[2]->fingerprint);
	it = jat(v, 3);
	assert_string_equal(d.items[2]->fingerprint, d.items[3]->fingerprint);
	snprintf(want, sizeof(want), "%s-2", d.items[3]->fingerprint);
	assert_string_equal(jstr(it, "fingerprint"), want);
	ccp_json_free(v);
	free(out);
	ccp_diags_release(&d);

	ccp_diags_init(&d);
	out = render(&d, CCP_FMT_GITLAB, NULL);
	assert_string_equal(out, "[]\n");
	free(out);
	ccp_diags_release(&d);
}

/*
 * Files are searched for the suppression marker in 64 KiB chunks before
 * they are read whole: a marker across two chunks still counts.
 */
static void test_suppress_marker_across_chunks(void **state)
{
	const char *name = "suppress_chunks_test.yml";
	const char *tail = " # ccprov: disable=CCP-S001 -- kept on purpose\n";
	size_t pad = 65533 - 6, len = 3 + pad + strlen(tail);
	char *text = malloc(len + 1);
	const char *files[1];
	ccp_diags d;
	ccp_diag *g;

	(void)state;
	assert_non_null(text);
	memcpy(text, "k: ", 3);
	memset(text + 3, 'v', pad);
	memcpy(text + 3 + pad, tail, strlen(tail) + 1);
	/* "ccprov:" starts 3 bytes before the first chunk ends */
	assert_int_equal(strstr(text, "ccprov:") - text, 65533);
	write_file(name, text, len);
	free(text);
	files[0] = name;
	ccp_diags_init(&d);
	g = ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, name, 1, 1, 1, 2,
			     NULL, "m");
	assert_non_null(g);
	assert_int_equal(ccp_gate_suppress(&d, files, 1), 0);
	assert_int_equal(g->suppressed, 1);
	assert_string_equal(g->justification, "kept on purpose");
	ccp_diags_release(&d);
	unlink(name);
}

/*
 * Load name (text at load time) with its reads recorded, give it then
 * after on disk, and run the suppression pass over the load's record
 * with one CCP-S001 finding on line 1: whether that finding ends up
 * suppressed, and how many findings the pass added.
 */
static int suppressed_after_change(const char *then, const char *after,
				   size_t *added)
{
	const char *name = "suppress_reads_test.yml";
	const char *files[2];
	ccp_yaml_reads reads;
	ccp_yaml_set *set;
	ccp_diags d, scratch;
	ccp_diag *g;
	size_t i, n;
	int hit;

	write_file(name, then, strlen(then));
	ccp_yaml_reads_init(&reads);
	ccp_diags_init(&scratch);
	set = ccp_yaml_set_new(&scratch);
	assert_non_null(set);
	ccp_yaml_set_record(set, &reads);
	assert_non_null(ccp_yaml_load(set, name, NULL));
	n = ccp_yaml_set_nnames(set);
	assert_true(n >= 1 && n <= 2);
	for (i = 0; i < n; i++)
		files[i] = strdup(ccp_yaml_set_name(set, i));
	ccp_yaml_set_free(set);
	ccp_diags_release(&scratch);
	assert_int_equal(reads.count, 1);
	/* the file changes after the load: the pass must not see it */
	write_file(name, after, strlen(after));
	ccp_diags_init(&d);
	g = ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, name, 1, 1, 1, 2,
			     NULL, "m");
	assert_non_null(g);
	assert_int_equal(ccp_gate_suppress_loaded(&d, files, n, &reads), 0);
	hit = g->suppressed;
	*added = d.count - 1;
	ccp_diags_release(&d);
	for (i = 0; i < n; i++)
		free((char *)files[i]);
	ccp_yaml_reads_release(&reads);
	unlink(name);
	return hit;
}

/*
 * Suppressions are read from the bytes the run loaded, as the findings
 * were: a file edited between the load and the pass changes neither.
 */
static void test_suppress_uses_loaded_text(void **state)
{
	const char *marked = "k: v  # ccprov: disable=CCP-S001 -- kept on purpose\n";
	const char *other = "k: v  # ccprov: disable=CCP-C001 -- another rule\n";
	const char *plain = "k: v\n";
	size_t added;

	(void)state;
	/* marked when loaded, marker gone since: still suppressed */
	assert_int_equal(suppressed_after_change(marked, plain, &added), 1);
	assert_int_equal(added, 0);
	/* no marker when loaded, one added since: not suppressed, and no
	 * unused-suppression finding for a comment the run never saw */
	assert_int_equal(suppressed_after_change(plain, marked, &added), 0);
	assert_int_equal(added, 0);
	/* a loaded marker for another rule, gone since: reported unused */
	assert_int_equal(suppressed_after_change(other, plain, &added), 0);
	assert_int_equal(added, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_render_unknown_format),
		cmocka_unit_test(test_display_path),
		cmocka_unit_test(test_suppress_marker_across_chunks),
		cmocka_unit_test(test_suppress_uses_loaded_text),
		cmocka_unit_test(test_text_plain),
		cmocka_unit_test(test_text_summary),
		cmocka_unit_test(test_text_color),
		cmocka_unit_test(test_text_control_chars),
		cmocka_unit_test(test_no_terminal_controls),
		cmocka_unit_test(test_print_safe),
		cmocka_unit_test(test_text_source),
		cmocka_unit_test(test_text_long_line),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_empty_and_invalid_utf8),
		cmocka_unit_test(test_sarif),
		cmocka_unit_test(test_sarif_code_point_columns),
		cmocka_unit_test(test_sarif_empty),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_github),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_gitlab),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
