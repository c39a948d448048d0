/* SPDX-License-Identifier: Apache-2.0 */
/*
 * "Did you mean" for keys, values and file names: the closest candidate
 * within a small edit distance (see suggest.h).
 */
#include <stdint.h>
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

/* a + b, held at cap: the band's "too far" stays one value */
static size_t capped(size_t v, size_t cap)
{
	return v < cap ? v : cap;
}

size_t ccp_edit_distance_max(const char *a, const char *b, unsigned flags,
			     size_t max)
{
	size_t la = strlen(a), lb = strlen(b), i, j, lo, hi, low, prev_low = 0;
	size_t far = max < CCP_EDIT_FAR ? max + 1 : CCP_EDIT_FAR;
	size_t d0[CCP_EDIT_MAX_LEN + 2], d1[CCP_EDIT_MAX_LEN + 2], d2[CCP_EDIT_MAX_LEN + 2];
	size_t *pp = d0, *p = d1, *c = d2, *t;

	if (la > CCP_EDIT_MAX_LEN || lb > CCP_EDIT_MAX_LEN)
		return CCP_EDIT_FAR;
	/* the distance is at least the difference in length */
	if ((la > lb ? la - lb : lb - la) > max)
		return far;
	/*
	 * Rows i-2 (pp), i-1 (p) and i (c) of the table, only within max of
	 * the diagonal: a cell further off is more than max edits away. The
	 * cell just outside the band on each side is set to "far", so the
	 * next rows never read a value a third row left behind.
	 */
	for (j = 0; j <= lb; j++)
		p[j] = capped(j, far);
	for (i = 1; i <= la; i++) {
		lo = i > max ? i - max : 1;
		hi = lb < i + max ? lb : i + max;
		c[0] = capped(i, far);
		if (lo > 1)
			c[lo - 1] = far;
		low = c[0];
		for (j = lo; j <= hi; j++) {
			c[j] = capped(edit_cell(pp, p, c, a, b, i, j, flags), far);
			if (c[j] < low)
				low = c[j];
		}
		if (hi < lb)
			c[hi + 1] = far;
		/* a cell comes from the row above or, by a swap, the one
		 * above that: two rows past max and none below can return */
		if (low > max && prev_low > max)
			return far;
		prev_low = low;
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb];
}

size_t ccp_edit_distance(const char *a, const char *b, unsigned flags)
{
	/* no string measured is longer than this: the band is the table */
	return ccp_edit_distance_max(a, b, flags, CCP_EDIT_MAX_LEN);
}

const char *ccp_suggest(const char *word, const char *const *candidates,
			size_t n)
{
	const char *best = NULL;
	size_t i, best_d = 99, wlen = strlen(word);
	size_t limit = wlen <= 4 ? 1 : wlen <= 8 ? 2 : 3;

	for (i = 0; i < n; i++) {
		/* Letter case is not an edit: 'TLS' is 'tls' written in
		 * capitals, and naming the value it differs from only in case
		 * is the most useful hint. Nothing past the limit is named,
		 * so the distance is not measured beyond it. */
		size_t d = wlen >= 63 || strlen(candidates[i]) >= 63 ? 99 :
			   ccp_edit_distance_max(word, candidates[i], CCP_EDIT_FOLD_CASE,
						 limit);

		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best_d <= limit ? best : NULL;
}
