/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Growing an array kept as a pointer, a count and a capacity:
 *
 *	if (ccp_grow(&l->items, &l->cap, l->count + 1, sizeof(*l->items)) < 0)
 *		return -1;
 *	l->items[l->count++] = x;
 */
#ifndef CCPROV_ARRAY_H
#define CCPROV_ARRAY_H

#include <stddef.h>

/*
 * Make room for need elements of elem bytes. itemsp is the address of
 * the array's pointer (any object pointer type; NULL for an empty array),
 * cap its capacity in elements. The capacity doubles (from 8) until need
 * fits, so n pushes cost O(n). Returns 0, or -1 when need elements
 * cannot be addressed or allocated; the array and *cap are then
 * untouched.
 */
int ccp_grow(void *itemsp, size_t *cap, size_t need, size_t elem);

#endif
