/* SPDX-License-Identifier: Apache-2.0 */
/*
 * "Did you mean" for keys, values and file names: the closest candidate
 * within a small edit distance (see suggest.h).
 */
#include <string.h>

#include "ccprov/suggest.h"

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char char_at(const char *s, size_t k, int fold_case)
{
	return fold_case ? fold(s[k]) : s[k];
}

static size_t min3(size_t x, size_t y, size_t z)
{
	size_t m = x < y ? x : y;

	return m < z ? m : z;
}

/* Cell (i, j) of the table from rows i-2 (pp), i-1 (p) and the start of
 * row i (c): a substitution, a deletion, an insertion, or (with
 * CCP_EDIT_TRANSPOSE) a swap of two adjacent letters. */
static size_t edit_cell(const size_t *pp, const size_t *p, const size_t *c,
			const char *a, const char *b, size_t i, size_t j,
			unsigned flags)
{
	int fc = (flags & CCP_EDIT_FOLD_CASE) != 0;
	char x = char_at(a, i - 1, fc), y = char_at(b, j - 1, fc);
	size_t best = min3(p[j - 1] + (x == y ? 0 : 1), p[j] + 1, c[j - 1] + 1);

	if ((flags & CCP_EDIT_TRANSPOSE) && i > 1 && j > 1 &&
	    x == char_at(b, j - 2, fc) && char_at(a, i - 2, fc) == y &&
	    pp[j - 2] + 1 < best)
		best = pp[j - 2] + 1;
	return best;
}

size_t ccp_edit_distance(const char *a, const char *b, unsigned flags)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d0[CCP_EDIT_MAX_LEN + 2], d1[CCP_EDIT_MAX_LEN + 2], d2[CCP_EDIT_MAX_LEN + 2];
	size_t *pp = d0, *p = d1, *c = d2, *t;

	if (la > CCP_EDIT_MAX_LEN || lb > CCP_EDIT_MAX_LEN)
		return CCP_EDIT_FAR;
	/* rows i-2 (pp), i-1 (p) and i (c) of the table */
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		c[0] = i;
		for (j = 1; j <= lb; j++)
			c[j] = edit_cell(pp, p, c, a, b, i, j, flags);
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb];
}

const char *ccp_suggest(const char *word, const char *const *candidates,
			size_t n)
{
	const char *best = NULL;
	size_t i, best_d = 99, limit = strlen(word) <= 4 ? 1 : strlen(word) <= 8 ? 2 : 3;

	for (i = 0; i < n; i++) {
		/* Letter case is not an edit: 'TLS' is 'tls' written in
		 * capitals, and naming the value it differs from only in case
		 * is the most useful hint. */
		size_t d = strlen(word) >= 63 || strlen(candidates[i]) >= 63 ? 99 :
			   ccp_edit_distance(word, candidates[i], CCP_EDIT_FOLD_CASE);

		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best_d <= limit ? best : NULL;
}
