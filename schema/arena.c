/* SPDX-License-Identifier: Apache-2.0 */
#include "arena.h"

#include "ccprov/buf.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * Blocks start small (one small file costs little) and double up to a
 * huge page. Every page of a large run's trees is written once, so on a
 * machine where a page fault is dear the first touch of 4 KiB pages
 * costs more than filling them; blocks of a huge page ask the kernel for
 * one (a hint: where it has none, nothing changes), and a caller that
 * knows a large tree is coming says so (ccp_arena_expect) to skip the
 * small blocks.
 */
#define ARENA_FIRST ((size_t)16 * 1024)
#define ARENA_HUGE ((size_t)2 * 1024 * 1024)

struct ccp_arena_block {
	ccp_arena_block *next;
	size_t size;
	/* max_align_t keeps the room after the header aligned for anything */
	max_align_t room[];
};

void ccp_arena_init(ccp_arena *a)
{
	a->blocks = NULL;
	a->cur = a->end = NULL;
	a->next = ARENA_FIRST;
	a->total = 0;
}

void ccp_arena_release(ccp_arena *a)
{
	ccp_arena_block *b = a->blocks, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	ccp_arena_init(a);
}

/* A block of bytes in all, its header included. */
static ccp_arena_block *block_new(size_t bytes)
{
	ccp_arena_block *b = bytes >= CCP_BUF_LARGE ? ccp_buf_alloc_large(bytes) :
			     malloc(bytes);

	if (!b)
		return NULL;
	b->size = bytes - sizeof(*b);
	return b;
}

void ccp_arena_expect(ccp_arena *a, size_t bytes)
{
	if (bytes >= ARENA_HUGE / 2)
		a->next = ARENA_HUGE;
}

void *ccp_arena_alloc(ccp_arena *a, size_t size, size_t align)
{
	uintptr_t p = (uintptr_t)a->cur;
	size_t pad = (size_t)(-p & (align - 1));
	ccp_arena_block *b;

	assert(align && align <= 16 && (align & (align - 1)) == 0);
	if (a->cur && size <= (size_t)(a->end - a->cur) &&
	    pad <= (size_t)(a->end - a->cur) - size) {
		a->cur += pad + size;
		return (void *)(p + pad);
	}
	/* a large request gets a block of its own; the current one stays */
	if (size > a->next / 4) {
		if (size > SIZE_MAX - sizeof(*b))
			return NULL;
		b = block_new(sizeof(*b) + size);
		if (!b)
			return NULL;
		if (a->blocks) {
			b->next = a->blocks->next;
			a->blocks->next = b;
		} else {
			b->next = NULL;
			a->blocks = b;
			a->cur = a->end = (char *)b->room + size;
		}
		a->total += size;
		return b->room;
	}
	b = block_new(a->next);
	if (!b)
		return NULL;
	b->next = a->blocks;
	a->blocks = b;
	a->total += b->size;
	a->cur = (char *)b->room + size;
	a->end = (char *)b->room + b->size;
	if (a->next < ARENA_HUGE)
		a->next *= 2;
	return b->room;
}
