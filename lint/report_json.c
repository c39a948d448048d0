/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The json format: ccprov's own machine-readable shape (version 1). The
 * key order is part of the format so that outputs diff cleanly.
 */
#include "ccprov/json.h"
#include "report_int.h"

static void json_diag(ccp_rep *r, ccp_jw *w, ccp_buf *tmp, const ccp_diag *g)
{
	size_t i;

	ccp_jw_object_begin(w);
	ccp_jw_key(w, "rule");
	ccp_jw_string(w, ccp_rep_utf8(tmp, g->rule));
	ccp_jw_key(w, "severity");
	ccp_jw_string(w, ccp_severity_name(g->severity));
	ccp_jw_key(w, "file");
	ccp_jw_string(w, ccp_rep_utf8(tmp, ccp_rep_path(r, g->file)));
	ccp_jw_key(w, "line");
	ccp_jw_int(w, g->line);
	ccp_jw_key(w, "column");
	ccp_jw_int(w, ccp_rep_col(r, g->file, g->line, g->column));
	ccp_jw_key(w, "end_line");
	ccp_jw_int(w, g->end_line);
	ccp_jw_key(w, "end_column");
	ccp_jw_int(w, ccp_rep_col(r, g->file, g->end_line, g->end_column));
	ccp_jw_key(w, "message");
	ccp_jw_string(w, ccp_rep_utf8(tmp, g->message));
	if (g->hint) {
		ccp_jw_key(w, "hint");
		ccp_jw_string(w, ccp_rep_utf8(tmp, g->hint));
	}
	if (g->nrelated) {
		ccp_jw_key(w, "related");
		ccp_jw_array_begin(w);
		for (i = 0; i < g->nrelated; i++) {
			const ccp_related *rel = &g->related[i];

			ccp_jw_object_begin(w);
			ccp_jw_key(w, "file");
			ccp_jw_string(w, ccp_rep_utf8(tmp,
					ccp_rep_path(r, rel->file)));
			ccp_jw_key(w, "line");
			ccp_jw_int(w, rel->line);
			ccp_jw_key(w, "column");
			ccp_jw_int(w, ccp_rep_col(r, rel->file, rel->line,
						  rel->column));
			ccp_jw_key(w, "message");
			ccp_jw_string(w, ccp_rep_utf8(tmp, rel->message));
			ccp_jw_object_end(w);
		}
		ccp_jw_array_end(w);
	}
	ccp_jw_key(w, "fingerprint");
	ccp_jw_string(w, g->fingerprint);
	if (g->suppressed) {
		ccp_jw_key(w, "suppressed");
		ccp_jw_bool(w, 1);
		if (g->justification) {
			ccp_jw_key(w, "justification");
			ccp_jw_string(w, ccp_rep_utf8(tmp, g->justification));
		}
	}
	ccp_jw_object_end(w);
}

static size_t rep_suppressed(const ccp_diags *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->count; i++)
		n += d->items[i]->suppressed != 0;
	return n;
}

int ccp_rep_json(ccp_rep *r)
{
	const ccp_diags *d = r->d;
	ccp_buf tmp = CCP_BUF_INIT;
	ccp_jw w;
	size_t i;

	ccp_jw_init(&w, r->out, 2);
	ccp_jw_object_begin(&w);
	ccp_jw_key(&w, "version");
	ccp_jw_int(&w, 1);
	ccp_jw_key(&w, "tool");
	ccp_jw_object_begin(&w);
	ccp_jw_key(&w, "name");
	ccp_jw_string(&w, "ccprov");
	ccp_jw_key(&w, "version");
	ccp_jw_string(&w, CCPROV_VERSION);
	ccp_jw_object_end(&w);
	ccp_jw_key(&w, "diagnostics");
	ccp_jw_array_begin(&w);
	for (i = 0; i < d->count; i++)
		json_diag(r, &w, &tmp, d->items[i]);
	ccp_jw_array_end(&w);
	ccp_jw_key(&w, "summary");
	ccp_jw_object_begin(&w);
	ccp_jw_key(&w, "error");
	ccp_jw_int(&w, (long long)ccp_diags_count(d, CCP_SEV_ERROR));
	ccp_jw_key(&w, "warning");
	ccp_jw_int(&w, (long long)ccp_diags_count(d, CCP_SEV_WARNING));
	ccp_jw_key(&w, "note");
	ccp_jw_int(&w, (long long)ccp_diags_count(d, CCP_SEV_NOTE));
	ccp_jw_key(&w, "files");
	ccp_jw_int(&w, (long long)ccp_rep_nfiles(r));
	ccp_jw_key(&w, "suppressed");
	ccp_jw_int(&w, (long long)rep_suppressed(d));
	ccp_jw_object_end(&w);
	ccp_jw_object_end(&w);
	ccp_buf_putc(r->out, '\n');
	if (ccp_buf_failed(&tmp))
		r->failed = 1;
	ccp_buf_release(&tmp);
	return 0;
}
