/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file suggest.h
 * "Did you mean": the closest of a few known words to a misspelt one.
 */
#ifndef CCPROV_SUGGEST_H
#define CCPROV_SUGGEST_H

#include <stddef.h>

/** The closest candidate to word within a small edit distance, or NULL. */
const char *ccp_suggest(const char *word, const char *const *candidates,
			size_t n);

#endif
