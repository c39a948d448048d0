/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the confidential-computing and network rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cc_common.h"

/* ---- cc_config values ---- */

int ccp_cc_env_is_real(const ccp_cc_file *f)
{
	return f->env && f->env->attests;
}

int ccp_cc_part_loaded(const ccp_lint_participant *p)
{
	return p->cc && p->cc->root && p->cc->root->kind == CCP_NODE_MAP;
}

static int ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

int ccp_cc_is_ident(const char *s, size_t n)
{
	size_t i;

	if (!n || !ident_start(s[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!ident_start(s[i]) && !(s[i] >= '0' && s[i] <= '9'))
			return 0;
	return 1;
}

int ccp_cc_is_dotted(const char *s, size_t min_parts, int allow_prefix)
{
	size_t parts = 0;
	const char *p = s;

	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (!dot && n == 0 && allow_prefix && parts > 0)
			return 1;   /* "pkg.sub." is a package prefix */
		if (!ccp_cc_is_ident(p, n))
			return 0;
		parts++;
		if (!dot)
			return parts >= min_parts;
		p = dot + 1;
	}
}

int ccp_cc_node_equal(const ccp_node *a, const ccp_node *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case CCP_NODE_SCALAR: {
		long long x, y;

		if (a->stype != b->stype)
			return 0;
		if (a->stype == CCP_SCALAR_NULL)
			return 1;
		if (a->stype == CCP_SCALAR_INT && ccp_node_int(a, &x) == 0 &&
		    ccp_node_int(b, &y) == 0)
			return x == y;
		return a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
	}
	case CCP_NODE_SEQ:
		if (a->count != b->count)
			return 0;
		for (i = 0; i < a->count; i++)
			if (!ccp_cc_node_equal(a->items[i], b->items[i]))
				return 0;
		return 1;
	case CCP_NODE_MAP: {
		ccp_strmap m;
		int eq = 1;

		if (a->count != b->count)
			return 0;
		/* same order is the common case and needs no lookups */
		for (i = 0; i < a->count; i++)
			if (strcmp(a->pairs[i].key->value, b->pairs[i].key->value) != 0)
				break;
		if (i == a->count) {
			for (i = 0; i < a->count; i++)
				if (!ccp_cc_node_equal(a->pairs[i].value, b->pairs[i].value))
					return 0;
			return 1;
		}
		ccp_strmap_init(&m, 0);
		for (i = 0; i < b->count; i++)
			ccp_strmap_put(&m, b->pairs[i].key->value, b->pairs[i].value);
		for (i = 0; eq && i < a->count; i++)
			eq = ccp_cc_node_equal(a->pairs[i].value,
					       ccp_strmap_get(&m, a->pairs[i].key->value));
		if (m.failed)
			eq = 1;   /* cannot tell: do not report */
		ccp_strmap_release(&m);
		return eq;
	}
	}
	return 0;
}
