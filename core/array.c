/* SPDX-License-Identifier: Apache-2.0 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

#define GROW_FIRST 8

int ccp_grow(void *itemsp, size_t *cap, size_t need, size_t elem)
{
	size_t cap2;
	void *items, *p;

	if (need <= *cap)
		return 0;
	if (!elem || need > SIZE_MAX / elem)
		return -1;
	cap2 = *cap ? *cap : GROW_FIRST;
	while (cap2 < need)
		cap2 = cap2 > SIZE_MAX / 2 ? need : cap2 * 2;
	if (cap2 > SIZE_MAX / elem)
		cap2 = need;
	/* through memcpy: *itemsp may be any object pointer type */
	memcpy(&items, itemsp, sizeof(items));
	p = realloc(items, cap2 * elem);
	if (!p)
		return -1;
	memcpy(itemsp, &p, sizeof(p));
	*cap = cap2;
	return 0;
}
