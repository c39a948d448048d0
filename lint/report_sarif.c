/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sarif format: SARIF 2.1.0, one run, for code-scanning services
 * (GitHub code scanning, Azure DevOps, IDE viewers).
 */
#include "ccprov/error.h"
#include "ccprov/json.h"
#include "ccprov/rules.h"
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_BASE_ID "%SRCROOT%"
#define SARIF_FP_KEY "ccprov/v1"

/* SARIF levels are the severity names: error, warning, note */

/* Percent-encode a path into a URI reference (RFC 3986), '/' kept. */
static void uri_path(ccp_buf *out, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)path;

	for (; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			ccp_buf_putc(out, (char)*p);
		} else {
			ccp_buf_putc(out, '%');
			ccp_buf_putc(out, hex[*p >> 4]);
			ccp_buf_putc(out, hex[*p & 15]);
		}
	}
}

static void artifact_location(ccp_rep *r, ccp_jw *w, ccp_buf *tmp,
			      const char *file)
{
	const char *shown = ccp_rep_path(r, file);

	ccp_buf_clear(tmp);
	if (shown[0] == '/')
		ccp_buf_puts(tmp, "file://");
	uri_path(tmp, shown);
	if (ccp_buf_failed(tmp))
		r->failed = 1;
	ccp_jw_key(w, "artifactLocation");
	ccp_jw_object_begin(w);
	ccp_jw_key(w, "uri");
	ccp_jw_string(w, ccp_buf_cstr(tmp));
	if (shown[0] != '/') {
		ccp_jw_key(w, "uriBaseId");
		ccp_jw_string(w, SARIF_BASE_ID);
	}
	ccp_jw_object_end(w);
}

/*
 * SARIF counts columns in characters, ccprov in bytes: convert through
 * the source when it is readable (columnKind says code points).
 */
static void region(ccp_rep *r, ccp_jw *w, const char *file, unsigned line,
		   unsigned column, unsigned end_line, unsigned end_column)
{
	if (!line) {
		/* file-level: viewers and code scanning need a region to
		 * place the result, so it sits on the first line */
		ccp_jw_key(w, "region");
		ccp_jw_object_begin(w);
		ccp_jw_key(w, "startLine");
		ccp_jw_int(w, 1);
		ccp_jw_object_end(w);
		return;
	}
	ccp_jw_key(w, "region");
	ccp_jw_object_begin(w);
	ccp_jw_key(w, "startLine");
	ccp_jw_int(w, line);
	if (column) {
		ccp_jw_key(w, "startColumn");
		ccp_jw_int(w, ccp_rep_src_cpcol(&r->srcs, file, line, column));
	}
	/* an end before the start would make the log invalid: leave it out */
	if (end_line >= line) {
		ccp_jw_key(w, "endLine");
		ccp_jw_int(w, end_line);
		if (end_column &&
		    (end_line > line || (column && end_column >= column))) {
			ccp_jw_key(w, "endColumn");
			ccp_jw_int(w, ccp_rep_src_cpcol(&r->srcs, file, end_line,
							end_column));
		}
	}
	ccp_jw_object_end(w);
}

static int cmp_rule(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, distinct rule ids of d (pointers into d); caller frees. */
static const char **rule_ids(const ccp_diags *d, size_t *n)
{
	const char **ids;
	size_t i, o = 0;

	*n = 0;
	if (!d->count)
		return NULL;
	ids = malloc(d->count * sizeof(*ids));
	if (!ids)
		return NULL;
	for (i = 0; i < d->count; i++)
		ids[i] = d->items[i]->rule;
	qsort(ids, d->count, sizeof(*ids), cmp_rule);
	for (i = 0; i < d->count; i++)
		if (o == 0 || strcmp(ids[o - 1], ids[i]) != 0)
			ids[o++] = ids[i];
	*n = o;
	return ids;
}

/* The first paragraph of the page's "What it checks" section, joined
 * into one line, into tmp; the summary when the page has none. */
static const char *page_description(ccp_buf *tmp, const char *page,
				    const char *summary)
{
	const char *p = page ? strstr(page, "## What it checks\n") : NULL;
	const char *end;

	ccp_buf_clear(tmp);
	if (!p)
		return summary;
	p += strlen("## What it checks\n");
	while (*p == '\n')
		p++;
	end = strstr(p, "\n\n");
	if (!end)
		end = p + strlen(p);
	for (; p < end; p++)
		ccp_buf_putc(tmp, *p == '\n' ? ' ' : *p);
	return ccp_buf_failed(tmp) || !tmp->len ? summary : ccp_buf_cstr(tmp);
}

static void sarif_rule(ccp_jw *w, ccp_buf *tmp, const char *id)
{
	const ccp_rule *rule = ccp_rule_find(id);
	const char *page = ccp_rule_page_text(id);

	ccp_jw_object_begin(w);
	ccp_jw_key(w, "id");
	ccp_jw_string(w, ccp_rep_utf8(tmp, id));
	/* ids outside the registry (should not happen) get the bare id */
	if (rule) {
		ccp_jw_key(w, "shortDescription");
		ccp_jw_object_begin(w);
		ccp_jw_key(w, "text");
		ccp_jw_string(w, rule->summary);
		ccp_jw_object_end(w);
		ccp_jw_key(w, "fullDescription");
		ccp_jw_object_begin(w);
		ccp_jw_key(w, "text");
		ccp_jw_string(w, page_description(tmp, page, rule->summary));
		ccp_jw_object_end(w);
		if (page) {
			ccp_jw_key(w, "help");
			ccp_jw_object_begin(w);
			ccp_jw_key(w, "text");
			ccp_jw_string(w, page);
			ccp_jw_key(w, "markdown");
			ccp_jw_string(w, page);
			ccp_jw_object_end(w);
		}
		ccp_jw_key(w, "defaultConfiguration");
		ccp_jw_object_begin(w);
		ccp_jw_key(w, "level");
		ccp_jw_string(w, ccp_severity_name(rule->severity));
		ccp_jw_object_end(w);
		if (rule->category) {
			ccp_jw_key(w, "properties");
			ccp_jw_object_begin(w);
			ccp_jw_key(w, "tags");
			ccp_jw_array_begin(w);
			ccp_jw_string(w, rule->category);
			ccp_jw_array_end(w);
			ccp_jw_object_end(w);
		}
	}
	ccp_jw_object_end(w);
}

static void sarif_result(ccp_rep *r, ccp_jw *w, ccp_buf *tmp,
			 const ccp_diag *g, const char **ids, size_t nids)
{
	const char *key = g->rule;
	const char **hit = bsearch(&key, ids, nids, sizeof(*ids), cmp_rule);
	size_t i;

	ccp_jw_object_begin(w);
	ccp_jw_key(w, "ruleId");
	ccp_jw_string(w, ccp_rep_utf8(tmp, g->rule));
	if (hit) {
		ccp_jw_key(w, "ruleIndex");
		ccp_jw_int(w, (long long)(hit - ids));
	}
	ccp_jw_key(w, "level");
	ccp_jw_string(w, ccp_severity_name(g->severity));
	ccp_jw_key(w, "message");
	ccp_jw_object_begin(w);
	ccp_jw_key(w, "text");
	ccp_buf_clear(tmp);
	ccp_buf_puts(tmp, g->message);
	if (g->hint)
		ccp_buf_printf(tmp, " (hint: %s)", g->hint);
	if (ccp_buf_failed(tmp)) {
		r->failed = 1;
		ccp_jw_string(w, "");
	} else {
		char *text = ccp_buf_detach(tmp);
		ccp_buf valid = CCP_BUF_INIT;

		ccp_jw_string(w, ccp_rep_utf8(&valid, text));
		if (ccp_buf_failed(&valid))
			r->failed = 1;
		ccp_buf_release(&valid);
		free(text);
	}
	ccp_jw_object_end(w);

	ccp_jw_key(w, "locations");
	ccp_jw_array_begin(w);
	ccp_jw_object_begin(w);
	ccp_jw_key(w, "physicalLocation");
	ccp_jw_object_begin(w);
	artifact_location(r, w, tmp, g->file);
	region(r, w, g->file, g->line, g->column, g->end_line, g->end_column);
	ccp_jw_object_end(w);
	ccp_jw_object_end(w);
	ccp_jw_array_end(w);

	if (g->nrelated) {
		ccp_jw_key(w, "relatedLocations");
		ccp_jw_array_begin(w);
		for (i = 0; i < g->nrelated; i++) {
			const ccp_related *rel = &g->related[i];

			ccp_jw_object_begin(w);
			ccp_jw_key(w, "id");
			ccp_jw_int(w, (long long)i + 1);
			ccp_jw_key(w, "physicalLocation");
			ccp_jw_object_begin(w);
			artifact_location(r, w, tmp, rel->file);
			region(r, w, rel->file, rel->line, rel->column, 0, 0);
			ccp_jw_object_end(w);
			ccp_jw_key(w, "message");
			ccp_jw_object_begin(w);
			ccp_jw_key(w, "text");
			ccp_jw_string(w, ccp_rep_utf8(tmp, rel->message));
			ccp_jw_object_end(w);
			ccp_jw_object_end(w);
		}
		ccp_jw_array_end(w);
	}

	ccp_jw_key(w, "partialFingerprints");
	ccp_jw_object_begin(w);
	ccp_jw_key(w, SARIF_FP_KEY);
	ccp_jw_string(w, g->fingerprint);
	ccp_jw_object_end(w);
	if (g->suppressed) {
		ccp_jw_key(w, "suppressions");
		ccp_jw_array_begin(w);
		ccp_jw_object_begin(w);
		ccp_jw_key(w, "kind");
		ccp_jw_string(w, "inSource");
		if (g->justification) {
			ccp_jw_key(w, "justification");
			ccp_jw_string(w, ccp_rep_utf8(tmp, g->justification));
		}
		ccp_jw_object_end(w);
		ccp_jw_array_end(w);
	}
	ccp_jw_object_end(w);
}

/* %SRCROOT% as an absolute file URI, so that viewers can open files. */
static void base_uri(ccp_rep *r, ccp_jw *w, ccp_buf *tmp)
{
	const char *base = r->opts.base_dir && r->opts.base_dir[0] ?
			   r->opts.base_dir : ".";
	char *abs = realpath(base, NULL);

	if (!abs)
		return;   /* optional: relative uris stay resolvable by the viewer */
	ccp_buf_clear(tmp);
	ccp_buf_puts(tmp, "file://");
	uri_path(tmp, abs);
	if (strcmp(abs, "/") != 0)
		ccp_buf_putc(tmp, '/');
	free(abs);
	ccp_jw_key(w, "originalUriBaseIds");
	ccp_jw_object_begin(w);
	ccp_jw_key(w, SARIF_BASE_ID);
	ccp_jw_object_begin(w);
	ccp_jw_key(w, "uri");
	ccp_jw_string(w, ccp_buf_cstr(tmp));
	ccp_jw_object_end(w);
	ccp_jw_object_end(w);
}

/* One run over the findings of d, identified by automation_id. */
static int sarif_run(ccp_rep *r, ccp_jw *w, const ccp_diags *d,
		     const char *automation_id)
{
	ccp_buf tmp = CCP_BUF_INIT;
	const char **ids;
	size_t nids, i;

	ids = rule_ids(d, &nids);
	if (d->count && !ids)
		return CCP_ENOMEM;
	ccp_jw_object_begin(w);

	ccp_jw_key(w, "tool");
	ccp_jw_object_begin(w);
	ccp_jw_key(w, "driver");
	ccp_jw_object_begin(w);
	ccp_jw_key(w, "name");
	ccp_jw_string(w, "ccprov");
	ccp_jw_key(w, "version");
	ccp_jw_string(w, CCPROV_VERSION);
	if (CCPROV_HOMEPAGE[0]) {
		ccp_jw_key(w, "informationUri");
		ccp_jw_string(w, CCPROV_HOMEPAGE);
	}
	ccp_jw_key(w, "rules");
	ccp_jw_array_begin(w);
	for (i = 0; i < nids; i++)
		sarif_rule(w, &tmp, ids[i]);
	ccp_jw_array_end(w);
	ccp_jw_object_end(w);
	ccp_jw_object_end(w);

	if (automation_id) {
		ccp_jw_key(w, "automationDetails");
		ccp_jw_object_begin(w);
		ccp_jw_key(w, "id");
		ccp_jw_string(w, ccp_rep_utf8(&tmp, automation_id));
		ccp_jw_object_end(w);
	}
	base_uri(r, w, &tmp);
	ccp_jw_key(w, "columnKind");
	ccp_jw_string(w, "unicodeCodePoints");

	ccp_jw_key(w, "results");
	ccp_jw_array_begin(w);
	for (i = 0; i < d->count; i++)
		sarif_result(r, w, &tmp, d->items[i], ids, nids);
	ccp_jw_array_end(w);

	if (d->dropped) {
		ccp_jw_key(w, "properties");
		ccp_jw_object_begin(w);
		ccp_jw_key(w, "ccprov/dropped");
		ccp_jw_int(w, (long long)d->dropped);
		ccp_jw_object_end(w);
	}

	ccp_jw_object_end(w);
	if (ccp_buf_failed(&tmp))
		r->failed = 1;
	ccp_buf_release(&tmp);
	free(ids);
	return 0;
}

int ccp_rep_sarif(ccp_rep *r)
{
	const ccp_diags *d = r->d;
	size_t run, i, nruns = r->opts.nruns ? r->opts.nruns : 1;
	ccp_diags view;
	ccp_jw w;
	int rc = 0;

	view = *d;
	view.items = malloc((d->count + 1) * sizeof(*view.items));
	if (!view.items)
		return CCP_ENOMEM;
	ccp_jw_init(&w, r->out, 2);
	ccp_jw_object_begin(&w);
	ccp_jw_key(&w, "$schema");
	ccp_jw_string(&w, SARIF_SCHEMA);
	ccp_jw_key(&w, "version");
	ccp_jw_string(&w, "2.1.0");
	ccp_jw_key(&w, "runs");
	ccp_jw_array_begin(&w);
	/* one run per project, so that code scanning keeps their alerts
	 * apart (automationDetails.id is the project) */
	for (run = 0; run < nruns && rc == 0; run++) {
		view.count = 0;
		view.dropped = run == 0 ? d->dropped : 0;
		for (i = 0; i < d->count; i++)
			if (!r->opts.nruns || d->items[i]->group == run)
				view.items[view.count++] = d->items[i];
		rc = sarif_run(r, &w, &view,
			       r->opts.nruns ? r->opts.run_ids[run] : NULL);
	}
	ccp_jw_array_end(&w);
	ccp_jw_object_end(&w);
	ccp_buf_putc(r->out, '\n');
	free(view.items);
	return rc;
}
