/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thresholds and baselines: when a run fails, and which findings are old
 * news. A baseline holds the fingerprints of accepted findings, computed
 * with paths relative to a base folder, so that it survives lines moving
 * and CI steps running from another folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccprov/buf.h"
#include "ccprov/gate.h"
#include "ccprov/json.h"
#include "ccprov/report.h"

/* Largest baseline file read. */
#define BASELINE_MAX ((size_t)64 * 1024 * 1024)

int ccp_fail_on_parse(ccp_fail_on *out, const char *s)
{
	static const struct { const char *name; ccp_fail_on v; } names[] = {
		{ "error", CCP_FAIL_ERROR },
		{ "warning", CCP_FAIL_WARNING },
		{ "note", CCP_FAIL_NOTE },
		{ "never", CCP_FAIL_NEVER },
	};
	size_t i;

	for (i = 0; s && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i].name) == 0) {
			*out = names[i].v;
			return 0;
		}
	}
	return -1;
}

int ccp_gate_fails(const ccp_diags *d, ccp_fail_on fail_on)
{
	switch (fail_on) {
	case CCP_FAIL_NOTE:
		if (ccp_diags_count(d, CCP_SEV_NOTE))
			return 1;
		/* fall through */
	case CCP_FAIL_WARNING:
		if (ccp_diags_count(d, CCP_SEV_WARNING))
			return 1;
		/* fall through */
	case CCP_FAIL_ERROR:
		return ccp_diags_count(d, CCP_SEV_ERROR) != 0;
	case CCP_FAIL_NEVER:
		break;
	}
	return 0;
}

void ccp_gate_fingerprint(ccp_diags *d, const char *base_dir)
{
	char *memo_file = NULL, *memo_rel = NULL;
	size_t i;

	for (i = 0; i < d->count; i++) {
		ccp_diag *g = d->items[i];

		if (!memo_file || strcmp(memo_file, g->file) != 0) {
			free(memo_file);
			free(memo_rel);
			memo_file = strdup(g->file);
			memo_rel = ccp_report_display_path(g->file, base_dir);
		}
		ccp_diag_fingerprint_as(g, memo_rel ? memo_rel : g->file);
	}
	free(memo_file);
	free(memo_rel);
}

int ccp_gate_baseline_write(const ccp_diags *d, const char *path,
			    const char *base_dir)
{
	ccp_buf out = CCP_BUF_INIT;
	char *memo_file = NULL, *memo_rel = NULL;
	ccp_jw w;
	size_t i;
	FILE *f;
	int rc = -1;

	ccp_jw_init(&w, &out, 2);
	ccp_jw_object_begin(&w);
	ccp_jw_key(&w, "version");
	ccp_jw_int(&w, 1);
	ccp_jw_key(&w, "tool");
	ccp_jw_string(&w, "ccprov");
	ccp_jw_key(&w, "findings");
	ccp_jw_array_begin(&w);
	for (i = 0; i < d->count; i++) {
		const ccp_diag *g = d->items[i];

		if (g->suppressed)
			continue;
		if (!memo_file || strcmp(memo_file, g->file) != 0) {
			free(memo_file);
			free(memo_rel);
			memo_file = strdup(g->file);
			memo_rel = ccp_report_display_path(g->file, base_dir);
		}
		ccp_jw_object_begin(&w);
		ccp_jw_key(&w, "rule");
		ccp_jw_string(&w, g->rule);
		ccp_jw_key(&w, "file");
		ccp_jw_string(&w, memo_rel ? memo_rel : g->file);
		ccp_jw_key(&w, "fingerprint");
		ccp_jw_string(&w, g->fingerprint);
		ccp_jw_key(&w, "message");
		ccp_jw_string(&w, g->message);
		ccp_jw_object_end(&w);
	}
	ccp_jw_array_end(&w);
	ccp_jw_object_end(&w);
	ccp_buf_putc(&out, '\n');
	if (ccp_buf_failed(&out))
		goto cleanup;
	f = fopen(path, "wb");
	if (!f)
		goto cleanup;
	if (fwrite(ccp_buf_cstr(&out), 1, out.len, f) == out.len)
		rc = 0;
	if (fclose(f) != 0)
		rc = -1;

cleanup:
	free(memo_file);
	free(memo_rel);
	ccp_buf_release(&out);
	return rc;
}

typedef struct base_entry {
	const char *fingerprint, *rule, *file, *message;
	int used;
} base_entry;

struct ccp_gate_baseline {
	ccp_json *doc;
	base_entry *items;
	size_t count;
};

static int cmp_entry(const void *a, const void *b)
{
	const base_entry *x = a, *y = b;

	return strcmp(x->fingerprint, y->fingerprint);
}

ccp_gate_baseline *ccp_gate_baseline_read(const char *path, char *err,
					  size_t errlen)
{
	ccp_gate_baseline *b = calloc(1, sizeof(*b));
	const ccp_json *list;
	long long version = 0;
	size_t i;

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (ccp_json_parse_file(&b->doc, path, BASELINE_MAX, err, errlen) < 0)
		goto fail;
	list = ccp_json_get(b->doc, "findings");
	if (ccp_json_int(ccp_json_get(b->doc, "version"), &version) < 0 ||
	    version != 1 || !list || list->type != CCP_JSON_ARRAY) {
		snprintf(err, errlen, "not a ccprov baseline (version 1 with findings)");
		goto fail;
	}
	b->items = calloc(list->count + 1, sizeof(*b->items));
	if (!b->items) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (i = 0; i < list->count; i++) {
		const ccp_json *e = list->items[i];
		base_entry *o = &b->items[b->count];

		o->fingerprint = ccp_json_str(ccp_json_get(e, "fingerprint"));
		o->rule = ccp_json_str(ccp_json_get(e, "rule"));
		o->file = ccp_json_str(ccp_json_get(e, "file"));
		o->message = ccp_json_str(ccp_json_get(e, "message"));
		if (!o->fingerprint || !o->rule) {
			snprintf(err, errlen, "finding %zu has no rule or fingerprint",
				 i + 1);
			goto fail;
		}
		b->count++;
	}
	qsort(b->items, b->count, sizeof(*b->items), cmp_entry);
	return b;

fail:
	ccp_gate_baseline_free(b);
	return NULL;
}

/* The first unused entry with g's fingerprint, or NULL. */
static base_entry *find_entry(ccp_gate_baseline *b, const ccp_diag *g)
{
	size_t lo = 0, hi = b->count;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(b->items[mid].fingerprint, g->fingerprint) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < b->count; lo++) {
		if (strcmp(b->items[lo].fingerprint, g->fingerprint) != 0)
			return NULL;
		if (!b->items[lo].used && strcmp(b->items[lo].rule, g->rule) == 0)
			return &b->items[lo];
	}
	return NULL;
}

static int keep_new(void *arg, const ccp_diag *g)
{
	base_entry *e;

	if (g->suppressed)
		return 1;
	e = find_entry(arg, g);
	if (!e)
		return 1;
	e->used = 1;
	return 0;
}

void ccp_gate_baseline_filter(ccp_gate_baseline *b, ccp_diags *d)
{
	ccp_diags_filter(d, keep_new, b);
}

void ccp_gate_baseline_fixed(const ccp_gate_baseline *b,
			     void (*fn)(void *arg, const char *rule,
					const char *file, const char *message),
			     void *arg)
{
	size_t i;

	for (i = 0; i < b->count; i++)
		if (!b->items[i].used)
			fn(arg, b->items[i].rule,
			   b->items[i].file ? b->items[i].file : "",
			   b->items[i].message ? b->items[i].message : "");
}

void ccp_gate_baseline_free(ccp_gate_baseline *b)
{
	if (!b)
		return;
	ccp_json_free(b->doc);
	free(b->items);
	free(b);
}
