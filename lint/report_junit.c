/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The junit format: CI systems that only understand test reports
 * (Jenkins, GitLab's test view, Azure) show each checked file as a test
 * that fails when it has error-level findings.
 */
#include "ccprov/error.h"
#include "report_int.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/*
 * Escape s as XML character data or, with attr, as an attribute value.
 * The output must stay well-formed whatever the input: invalid UTF-8
 * becomes U+FFFD, and characters XML 1.0 cannot carry (C0 controls other
 * than tab, newline and CR, DEL, U+FFFE, U+FFFF) are dropped.
 */
static void xml_escape(ccp_buf *out, const char *s, int attr)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;

	while (i < len) {
		unsigned char c = p[i];

		n = ccp_utf8_seq(s + i, len - i);
		if (n == 0) {
			ccp_buf_puts(out, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if (n == 3 && c == 0xef && p[i + 1] == 0xbf &&
		    (p[i + 2] == 0xbe || p[i + 2] == 0xbf)) {
			i += n;
			continue;
		}
		if (ccp_utf8_control(s + i, n)) {
			/* C1 and bidi controls as references: a terminal acts on them */
			ccp_buf_printf(out, "&#x%lx;", ccp_utf8_decode(s + i, n));
			i += n;
			continue;
		}
		if (n > 1) {
			ccp_buf_put(out, p + i, n);
			i += n;
			continue;
		}
		switch (c) {
		case '&': ccp_buf_puts(out, "&amp;"); break;
		case '<': ccp_buf_puts(out, "&lt;"); break;
		case '>': ccp_buf_puts(out, "&gt;"); break;
		case '"': ccp_buf_puts(out, "&quot;"); break;
		case '\'': ccp_buf_puts(out, "&apos;"); break;
		/* attribute normalisation would turn raw whitespace into spaces */
		case '\t': ccp_buf_puts(out, attr ? "&#9;" : "\t"); break;
		case '\n': ccp_buf_puts(out, attr ? "&#10;" : "\n"); break;
		/* parsers fold a raw CR into a newline */
		case '\r': ccp_buf_puts(out, "&#13;"); break;
		default:
			if (c >= 0x20 && c != 0x7f)
				ccp_buf_putc(out, (char)c);
			break;
		}
		i++;
	}
}

/* One finding as text lines, the way the text format shows it. */
static void finding_text(ccp_rep *r, ccp_buf *line, const ccp_diag *g)
{
	size_t i;

	ccp_buf_puts(line, ccp_rep_path(r, g->file));
	if (g->line) {
		ccp_buf_printf(line, ":%u", g->line);
		if (g->column)
			ccp_buf_printf(line, ":%u",
				       ccp_rep_col(r, g->file, g->line, g->column));
	}
	ccp_buf_printf(line, ": %s: %s [%s]\n", ccp_severity_name(g->severity),
		       g->message, g->rule);
	if (g->hint)
		ccp_buf_printf(line, "  hint: %s\n", g->hint);
	for (i = 0; i < g->nrelated; i++) {
		const ccp_related *rel = &g->related[i];

		ccp_buf_printf(line, "  note: %s", ccp_rep_path(r, rel->file));
		if (rel->line) {
			ccp_buf_printf(line, ":%u", rel->line);
			if (rel->column)
				ccp_buf_printf(line, ":%u", ccp_rep_col(r, rel->file,
						rel->line, rel->column));
		}
		ccp_buf_printf(line, ": %s\n", rel->message);
	}
}

/* A finding and its position in d, so that grouping by file is stable. */
typedef struct junit_item {
	const ccp_diag *g;
	size_t pos;
} junit_item;

static int cmp_by_file(const void *a, const void *b)
{
	const junit_item *x = a, *y = b;
	int c = strcmp(x->g->file, y->g->file);

	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void testcase(ccp_rep *r, ccp_buf *line, const junit_item *items,
		     size_t n)
{
	const char *name = ccp_rep_path(r, items[0].g->file);
	size_t i;
	int out_open = 0;

	ccp_buf_puts(r->out, "    <testcase classname=\"ccprov\" name=\"");
	xml_escape(r->out, name[0] ? name : "ccprov lint", 1);
	ccp_buf_puts(r->out, "\">\n");
	for (i = 0; i < n; i++) {
		const ccp_diag *g = items[i].g;

		if (g->severity != CCP_SEV_ERROR)
			continue;
		ccp_buf_clear(line);
		ccp_buf_printf(line, "%s: %s", g->rule, g->message);
		ccp_buf_puts(r->out, "      <failure message=\"");
		xml_escape(r->out, ccp_buf_cstr(line), 1);
		ccp_buf_puts(r->out, "\" type=\"");
		xml_escape(r->out, g->rule, 1);
		ccp_buf_puts(r->out, "\">");
		ccp_buf_clear(line);
		finding_text(r, line, g);
		xml_escape(r->out, ccp_buf_cstr(line), 0);
		ccp_buf_puts(r->out, "</failure>\n");
	}
	for (i = 0; i < n; i++) {
		const ccp_diag *g = items[i].g;

		if (g->severity == CCP_SEV_ERROR)
			continue;
		if (!out_open) {
			ccp_buf_puts(r->out, "      <system-out>");
			out_open = 1;
		}
		ccp_buf_clear(line);
		finding_text(r, line, g);
		xml_escape(r->out, ccp_buf_cstr(line), 0);
	}
	if (out_open)
		ccp_buf_puts(r->out, "</system-out>\n");
	ccp_buf_puts(r->out, "    </testcase>\n");
	if (ccp_buf_failed(line))
		r->failed = 1;
}

int ccp_rep_junit(ccp_rep *r)
{
	const ccp_diags *d = r->d;
	ccp_buf line = CCP_BUF_INIT;
	junit_item *items = NULL;
	size_t i, start, tests = 0, failures = 0;
	int rc = 0, failed_case = 0;

	if (d->count) {
		items = malloc(d->count * sizeof(*items));
		if (!items) {
			rc = CCP_ENOMEM;
			goto cleanup;
		}
		for (i = 0; i < d->count; i++) {
			items[i].g = d->items[i];
			items[i].pos = i;
		}
		/* diagnostics arrive sorted; this keeps one testcase per file
		 * even when they do not */
		qsort(items, d->count, sizeof(*items), cmp_by_file);
	}
	/* counts first: the totals are attributes of the opening tags */
	for (i = 0; i < d->count; i++) {
		const ccp_diag *g = items[i].g;

		if (i == 0 || strcmp(items[i - 1].g->file, g->file) != 0) {
			tests++;
			failed_case = 0;
		}
		if (g->severity == CCP_SEV_ERROR && !failed_case) {
			failures++;
			failed_case = 1;
		}
	}
	if (!tests)
		tests = 1;   /* the single passing testcase */

	ccp_buf_puts(r->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	ccp_buf_printf(r->out, "<testsuites name=\"ccprov\" tests=\"%zu\" "
		       "failures=\"%zu\" errors=\"0\">\n", tests, failures);
	ccp_buf_printf(r->out, "  <testsuite name=\"ccprov\" tests=\"%zu\" "
		       "failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
		       tests, failures);
	if (!d->count)
		ccp_buf_puts(r->out, "    <testcase classname=\"ccprov\" "
			     "name=\"ccprov lint\"/>\n");
	for (start = 0, i = 1; start < d->count; i++) {
		if (i < d->count &&
		    strcmp(items[i].g->file, items[start].g->file) == 0)
			continue;
		testcase(r, &line, items + start, i - start);
		start = i;
	}
	ccp_buf_puts(r->out, "  </testsuite>\n</testsuites>\n");

cleanup:
	free(items);
	ccp_buf_release(&line);
	return rc;
}
