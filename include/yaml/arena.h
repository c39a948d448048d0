/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A bump allocator for the nodes and texts of a run's YAML trees: they
 * are many, small, and all freed together, so they are packed into large
 * blocks with no per-allocation header and released in one go.
 */
#ifndef CCPROV_ARENA_H
#define CCPROV_ARENA_H

#include <stddef.h>

typedef struct ccp_arena_block ccp_arena_block;

typedef struct ccp_arena {
	ccp_arena_block *blocks;
	char *cur, *end;         /* free room in the newest block */
	size_t next;             /* size of the next block */
	size_t total;            /* bytes held in every block */
} ccp_arena;

void ccp_arena_init(ccp_arena *a);
void ccp_arena_release(ccp_arena *a);
/** size bytes aligned to align (a power of two, at most 16), not zeroed,
 * or NULL when out of memory. */
void *ccp_arena_alloc(ccp_arena *a, size_t size, size_t align);
/** A hint that about bytes more are coming: when that is a large
 * amount, the next blocks are huge pages from the start. */
void ccp_arena_expect(ccp_arena *a, size_t bytes);

#endif
