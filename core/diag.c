/* SPDX-License-Identifier: Apache-2.0 */
#include "ccprov/diag.h"
#include "ccprov/buf.h"
#include "array.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CCP_DIAGS_DEFAULT_MAX 100000

void ccp_diags_init(ccp_diags *d)
{
	memset(d, 0, sizeof(*d));
}

static void diag_free(ccp_diag *g)
{
	size_t i;

	if (!g)
		return;
	free(g->file);
	free(g->message);
	free(g->hint);
	free(g->justification);
	for (i = 0; i < g->nrelated; i++) {
		free(g->related[i].file);
		free(g->related[i].message);
	}
	free(g->related);
	free(g);
}

void ccp_diags_release(ccp_diags *d)
{
	size_t i;

	for (i = 0; i < d->count; i++)
		diag_free(d->items[i]);
	free(d->items);
	d->items = NULL;
	d->count = d->cap = 0;
}

static uint64_t fnv1a(uint64_t h, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	/* field separator so that ("ab","c") and ("a","bc") differ */
	h ^= 0xff;
	h *= 0x100000001b3ULL;
	return h;
}

static char *vformat(const char *fmt, va_list ap)
{
	ccp_buf b = CCP_BUF_INIT;

	ccp_buf_vprintf(&b, fmt, ap);
	return ccp_buf_detach(&b);
}

static ccp_diag *diags_push(ccp_diags *d, const char *rule, ccp_severity sev,
			    const char *file, char *message)
{
	ccp_diag *g;
	size_t max = d->max ? d->max : CCP_DIAGS_DEFAULT_MAX;

	if (!message) {
		d->failed = 1;
		return NULL;
	}
	if (d->count >= max) {
		d->dropped++;
		free(message);
		return NULL;
	}
	if (ccp_grow(&d->items, &d->cap, d->count + 1, sizeof(*d->items)) < 0) {
		d->failed = 1;
		free(message);
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g) {
		d->failed = 1;
		free(message);
		return NULL;
	}
	snprintf(g->rule, sizeof(g->rule), "%s", rule);
	if (d->severity_of)
		d->severity_of(rule, &sev);
	g->severity = sev;
	g->file = strdup(file ? file : "");
	g->message = message;
	if (!g->file) {
		diag_free(g);
		d->failed = 1;
		return NULL;
	}
	d->items[d->count++] = g;
	return g;
}

void ccp_diag_fingerprint_as(ccp_diag *g, const char *file)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char node[17];

	snprintf(node, sizeof(node), "%016llx", g->node_hash);
	h = fnv1a(h, g->rule, strlen(g->rule));
	h = fnv1a(h, file, strlen(file));
	h = fnv1a(h, node, 16);
	snprintf(g->fingerprint, sizeof(g->fingerprint), "%016llx",
		 (unsigned long long)h);
}

static void set_fingerprint(ccp_diag *g, const char *key, size_t keylen,
			    const char *value, size_t vlen)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = fnv1a(h, key, keylen);
	h = fnv1a(h, value, vlen);
	g->node_hash = (unsigned long long)h;
	ccp_diag_fingerprint_as(g, g->file);
}

ccp_diag *ccp_diags_vadd(ccp_diags *d, const char *rule, ccp_severity sev,
			 const ccp_diag_at *at, const char *fmt, va_list ap)
{
	ccp_diag *g = diags_push(d, rule, sev, at->file, vformat(fmt, ap));

	if (!g)
		return NULL;
	g->line = at->line;
	g->column = at->column;
	g->end_line = at->end_line;
	g->end_column = at->end_column;
	if (at->fp_key)
		set_fingerprint(g, at->fp_key, strlen(at->fp_key),
				at->fp_value ? at->fp_value : "",
				at->fp_value ? at->fp_value_len : 0);
	else
		set_fingerprint(g, "", 0, g->message, strlen(g->message));
	return g;
}

ccp_diag *ccp_diags_add_at(ccp_diags *d, const char *rule, ccp_severity sev,
			   const char *file, unsigned line, unsigned column,
			   unsigned end_line, unsigned end_column,
			   const char *fp_key, const char *fmt, ...)
{
	ccp_diag_at at = { file, line, column, end_line, end_column,
			   fp_key, NULL, 0 };
	va_list ap;
	ccp_diag *g;

	va_start(ap, fmt);
	g = ccp_diags_vadd(d, rule, sev, &at, fmt, ap);
	va_end(ap);
	return g;
}

void ccp_diag_set_hint(ccp_diag *g, const char *fmt, ...)
{
	va_list ap;

	if (!g)
		return;
	free(g->hint);
	va_start(ap, fmt);
	g->hint = vformat(fmt, ap);
	va_end(ap);
}

static void related_push(ccp_diag *g, const char *file, unsigned line,
			 unsigned column, char *msg)
{
	ccp_related *r;

	if (!msg)
		return;
	r = realloc(g->related, (g->nrelated + 1) * sizeof(*r));
	if (!r) {
		free(msg);
		return;
	}
	g->related = r;
	r = &g->related[g->nrelated];
	r->file = strdup(file ? file : "");
	if (!r->file) {
		free(msg);
		return;
	}
	r->line = line;
	r->column = column;
	r->message = msg;
	g->nrelated++;
}

void ccp_diag_vadd_related_at(ccp_diag *g, const char *file, unsigned line,
			      unsigned column, const char *fmt, va_list ap)
{
	if (g)
		related_push(g, file, line, column, vformat(fmt, ap));
}

void ccp_diag_add_related_at(ccp_diag *g, const char *file, unsigned line,
			     unsigned column, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ccp_diag_vadd_related_at(g, file, line, column, fmt, ap);
	va_end(ap);
}

int ccp_diags_take(ccp_diags *dst, ccp_diags *src)
{
	size_t need = dst->count + src->count;

	if (ccp_grow(&dst->items, &dst->cap, need, sizeof(*dst->items)) < 0) {
		dst->failed = 1;
		return -1;
	}
	if (src->count)
		memcpy(dst->items + dst->count, src->items,
		       src->count * sizeof(*src->items));
	dst->count = need;
	dst->dropped += src->dropped;
	dst->failed |= src->failed;
	src->count = 0;
	src->dropped = 0;
	return 0;
}

void ccp_diags_filter(ccp_diags *d, int (*keep)(void *arg, const ccp_diag *g),
		      void *arg)
{
	size_t i, o = 0;

	for (i = 0; i < d->count; i++) {
		if (keep(arg, d->items[i]))
			d->items[o++] = d->items[i];
		else
			diag_free(d->items[i]);
	}
	d->count = o;
}

static int diag_cmp(const void *a, const void *b)
{
	const ccp_diag *x = *(const ccp_diag *const *)a;
	const ccp_diag *y = *(const ccp_diag *const *)b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	c = strcmp(x->rule, y->rule);
	if (c)
		return c;
	return strcmp(x->message, y->message);
}

void ccp_diags_finish(ccp_diags *d)
{
	size_t i, o = 0;

	if (d->count > 1)
		qsort(d->items, d->count, sizeof(*d->items), diag_cmp);
	for (i = 0; i < d->count; i++) {
		if (o > 0 && diag_cmp(&d->items[o - 1], &d->items[i]) == 0) {
			diag_free(d->items[i]);
			continue;
		}
		d->items[o++] = d->items[i];
	}
	d->count = o;
}

size_t ccp_diags_count(const ccp_diags *d, ccp_severity sev)
{
	size_t i, n = 0;

	for (i = 0; i < d->count; i++)
		if (d->items[i]->severity == sev && !d->items[i]->suppressed)
			n++;
	return n;
}

const char *ccp_severity_name(ccp_severity sev)
{
	switch (sev) {
	case CCP_SEV_ERROR:
		return "error";
	case CCP_SEV_WARNING:
		return "warning";
	case CCP_SEV_NOTE:
		return "note";
	}
	return "note";
}

int ccp_severity_parse(const char *s, ccp_severity *out)
{
	if (strcmp(s, "error") == 0)
		*out = CCP_SEV_ERROR;
	else if (strcmp(s, "warning") == 0)
		*out = CCP_SEV_WARNING;
	else if (strcmp(s, "note") == 0)
		*out = CCP_SEV_NOTE;
	else
		return -1;
	return 0;
}
