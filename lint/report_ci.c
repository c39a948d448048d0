/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Formats for CI services that annotate merge requests directly:
 * github (Actions workflow commands) and gitlab (Code Quality report).
 */
#include "ccprov/error.h"
#include "ccprov/json.h"
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

/*
 * Escape for a workflow command. Data escapes %, CR and LF; property
 * values also ':' and ',' which would end the value. Other controls
 * become '?' first: the log viewer would act on an escape sequence.
 */
static void gh_escape(ccp_buf *out, const char *s, int property)
{
	ccp_buf safe = CCP_BUF_INIT;
	size_t start = 0, i, len = strlen(s);
	const char *p;

	/* CR and LF are the message's own line breaks: keep them for %0A */
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n' && s[i] != '\r')
			continue;
		ccp_rep_put_safe(&safe, s + start, i - start, 0);
		if (i < len)
			ccp_buf_putc(&safe, s[i]);
		start = i + 1;
	}
	for (p = ccp_buf_cstr(&safe); *p; p++) {
		switch (*p) {
		case '%': ccp_buf_puts(out, "%25"); break;
		case '\r': ccp_buf_puts(out, "%0D"); break;
		case '\n': ccp_buf_puts(out, "%0A"); break;
		case ':':
			ccp_buf_puts(out, property ? "%3A" : ":");
			break;
		case ',':
			ccp_buf_puts(out, property ? "%2C" : ",");
			break;
		default:
			ccp_buf_putc(out, *p);
			break;
		}
	}
	ccp_buf_release(&safe);
}

static const char *gh_command(ccp_severity sev)
{
	switch (sev) {
	case CCP_SEV_ERROR:
		return "error";
	case CCP_SEV_WARNING:
		return "warning";
	case CCP_SEV_NOTE:
		return "notice";
	}
	return "notice";
}

static void gh_finding(ccp_rep *r, ccp_buf *msg, const ccp_diag *g)
{
	const char *file = ccp_rep_path(r, g->file);
	size_t i;

	ccp_buf_printf(r->out, "::%s ", gh_command(g->severity));
	if (file[0]) {
		ccp_buf_puts(r->out, "file=");
		gh_escape(r->out, file, 1);
		ccp_buf_putc(r->out, ',');
	}
	if (g->line) {
		/* GitHub reads col and endColumn only within one line: a span
		 * over several lines carries lines alone */
		int one_line = g->end_line <= g->line;

		ccp_buf_printf(r->out, "line=%u,", g->line);
		if (g->column && one_line)
			ccp_buf_printf(r->out, "col=%u,",
				       ccp_rep_col(r, g->file, g->line, g->column));
		if (g->end_line >= g->line) {
			ccp_buf_printf(r->out, "endLine=%u,", g->end_line);
			if (g->end_column && one_line)
				ccp_buf_printf(r->out, "endColumn=%u,",
					       ccp_rep_col(r, g->file, g->end_line,
							   g->end_column));
		}
	}
	ccp_buf_puts(r->out, "title=");
	gh_escape(r->out, g->rule, 1);
	ccp_buf_puts(r->out, "::");

	/* hint and related locations become further lines of the annotation */
	ccp_buf_clear(msg);
	ccp_buf_puts(msg, g->message);
	if (g->hint)
		ccp_buf_printf(msg, "\nhint: %s", g->hint);
	for (i = 0; i < g->nrelated; i++) {
		const ccp_related *rel = &g->related[i];

		ccp_buf_printf(msg, "\nnote: %s", ccp_rep_path(r, rel->file));
		if (rel->line) {
			ccp_buf_printf(msg, ":%u", rel->line);
			if (rel->column)
				ccp_buf_printf(msg, ":%u", ccp_rep_col(r, rel->file,
						rel->line, rel->column));
		}
		ccp_buf_printf(msg, ": %s", rel->message);
	}
	if (ccp_buf_failed(msg))
		r->failed = 1;
	gh_escape(r->out, ccp_buf_cstr(msg), 0);
	ccp_buf_putc(r->out, '\n');
}

int ccp_rep_github(ccp_rep *r)
{
	ccp_buf msg = CCP_BUF_INIT;
	size_t i;

	for (i = 0; i < r->d->count; i++)
		gh_finding(r, &msg, r->d->items[i]);
	ccp_buf_release(&msg);
	return 0;
}

static const char *gl_severity(ccp_severity sev)
{
	switch (sev) {
	case CCP_SEV_ERROR:
		return "major";
	case CCP_SEV_WARNING:
		return "minor";
	case CCP_SEV_NOTE:
		return "info";
	}
	return "info";
}

typedef struct gl_item {
	const char *fp;
	size_t pos;
} gl_item;

static int cmp_fp(const void *a, const void *b)
{
	const gl_item *x = a, *y = b;
	int c = strcmp(x->fp, y->fp);

	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/*
 * GitLab drops findings whose fingerprints repeat within a report; two
 * findings of one rule on one key (different messages) share theirs, so
 * the 2nd, 3rd... occurrence gets "-2", "-3"... appended. Returns the
 * occurrence number (0 = first) of every finding, caller frees.
 */
static size_t *gl_occurrences(const ccp_diags *d)
{
	gl_item *items;
	size_t *occ, i, k = 0;

	occ = calloc(d->count ? d->count : 1, sizeof(*occ));
	items = malloc((d->count ? d->count : 1) * sizeof(*items));
	if (!occ || !items) {
		free(occ);
		free(items);
		return NULL;
	}
	for (i = 0; i < d->count; i++) {
		items[i].fp = d->items[i]->fingerprint;
		items[i].pos = i;
	}
	qsort(items, d->count, sizeof(*items), cmp_fp);
	for (i = 0; i < d->count; i++) {
		k = i > 0 && strcmp(items[i - 1].fp, items[i].fp) == 0 ? k + 1 : 0;
		occ[items[i].pos] = k;
	}
	free(items);
	return occ;
}

int ccp_rep_gitlab(ccp_rep *r)
{
	const ccp_diags *d = r->d;
	ccp_buf tmp = CCP_BUF_INIT, valid = CCP_BUF_INIT;
	size_t *occ, i;
	ccp_jw w;

	occ = gl_occurrences(d);
	if (!occ)
		return CCP_ENOMEM;
	ccp_jw_init(&w, r->out, 2);
	ccp_jw_array_begin(&w);
	for (i = 0; i < d->count; i++) {
		const ccp_diag *g = d->items[i];

		ccp_jw_object_begin(&w);
		ccp_jw_key(&w, "description");
		ccp_buf_clear(&tmp);
		ccp_buf_printf(&tmp, "%s: %s", g->rule, g->message);
		if (ccp_buf_failed(&tmp))
			r->failed = 1;
		ccp_jw_string(&w, ccp_rep_utf8(&valid, ccp_buf_cstr(&tmp)));
		ccp_jw_key(&w, "check_name");
		ccp_jw_string(&w, ccp_rep_utf8(&valid, g->rule));
		ccp_jw_key(&w, "fingerprint");
		ccp_buf_clear(&tmp);
		ccp_buf_puts(&tmp, g->fingerprint);
		if (occ[i])
			ccp_buf_printf(&tmp, "-%zu", occ[i] + 1);
		ccp_jw_string(&w, ccp_buf_cstr(&tmp));
		ccp_jw_key(&w, "severity");
		ccp_jw_string(&w, gl_severity(g->severity));
		ccp_jw_key(&w, "location");
		ccp_jw_object_begin(&w);
		ccp_jw_key(&w, "path");
		ccp_jw_string(&w, ccp_rep_utf8(&valid, ccp_rep_path(r, g->file)));
		ccp_jw_key(&w, "lines");
		ccp_jw_object_begin(&w);
		/* GitLab wants a real line; file-level findings sit on line 1 */
		ccp_jw_key(&w, "begin");
		ccp_jw_int(&w, g->line ? g->line : 1);
		ccp_jw_object_end(&w);
		ccp_jw_object_end(&w);
		ccp_jw_object_end(&w);
	}
	ccp_jw_array_end(&w);
	ccp_buf_putc(r->out, '\n');
	if (ccp_buf_failed(&tmp) || ccp_buf_failed(&valid))
		r->failed = 1;
	ccp_buf_release(&tmp);
	ccp_buf_release(&valid);
	free(occ);
	return 0;
}
