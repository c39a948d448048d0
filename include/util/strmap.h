/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A string-keyed hash map (open addressing). Keys and values are
 * borrowed, not copied. It keeps lookups across thousands of sites and
 * files constant-time: the loader's file cache and the cross-site rules.
 */
#ifndef CCPROV_STRMAP_H
#define CCPROV_STRMAP_H

#include <stddef.h>

typedef struct ccp_strmap_slot {
	const char *key;
	const void *value;
} ccp_strmap_slot;

typedef struct ccp_strmap {
	ccp_strmap_slot *slots;
	size_t cap, count;
	int nocase;   /**< compare keys case-insensitively (host names) */
	int failed;   /**< an allocation failed: lookups may miss */
} ccp_strmap;

void ccp_strmap_init(ccp_strmap *m, int nocase);
void ccp_strmap_release(ccp_strmap *m);
/** The value for key, or NULL. */
const void *ccp_strmap_get(const ccp_strmap *m, const char *key);
/**
 * Insert key unless present. Returns the value already stored for key,
 * or NULL when value was inserted (or on allocation failure).
 */
const void *ccp_strmap_put(ccp_strmap *m, const char *key,
			   const void *value);
/**
 * Insert key or replace its value (the key pointer first stored stays).
 * Returns 0, or -1 on allocation failure.
 */
int ccp_strmap_set(ccp_strmap *m, const char *key, const void *value);

#endif
