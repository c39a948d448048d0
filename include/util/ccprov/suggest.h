/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file suggest.h
 * "Did you mean": the closest of a few known words to a misspelt one.
 */
#ifndef CCPROV_SUGGEST_H
#define CCPROV_SUGGEST_H

#include <stddef.h>

#define CCP_EDIT_FOLD_CASE 1u  /**< letter case is not an edit */
#define CCP_EDIT_TRANSPOSE 2u  /**< swapping two adjacent characters is one edit */
/** Longest string ccp_edit_distance() measures, in bytes. */
#define CCP_EDIT_MAX_LEN 254
/** What ccp_edit_distance() says of a longer string. */
#define CCP_EDIT_FAR ((size_t)999)

/**
 * Insertions, deletions and substitutions (and with CCP_EDIT_TRANSPOSE
 * adjacent swaps, as the optimal string alignment distance) that turn a
 * into b; CCP_EDIT_FAR when either is longer than CCP_EDIT_MAX_LEN.
 */
size_t ccp_edit_distance(const char *a, const char *b, unsigned flags);

/**
 * ccp_edit_distance() when it is at most max, else some value above max:
 * the table stops once two rows in a row exceed max, so a search for
 * near neighbours costs little per hopeless candidate.
 */
size_t ccp_edit_distance_max(const char *a, const char *b, unsigned flags,
			     size_t max);

/** The closest candidate to word (letter case ignored, no swaps)
 * within a small edit distance, or NULL. */
const char *ccp_suggest(const char *word, const char *const *candidates,
			size_t n);

#endif
