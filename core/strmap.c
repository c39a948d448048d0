/* SPDX-License-Identifier: Apache-2.0 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccprov/names.h"
#include "strmap.h"


static uint64_t hash_key(const char *s, int nocase)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (nocase && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h ^= c;
		h *= 1099511628211ULL;
	}
	return h;
}

static int key_eq(const char *a, const char *b, int nocase)
{
	return nocase ? ccp_name_casecmp(a, b) == 0 : strcmp(a, b) == 0;
}

void ccp_strmap_init(ccp_strmap *m, int nocase)
{
	memset(m, 0, sizeof(*m));
	m->nocase = nocase;
}

void ccp_strmap_release(ccp_strmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static ccp_strmap_slot *find_slot(ccp_strmap_slot *slots, size_t cap,
				  const char *key, int nocase)
{
	size_t i = (size_t)hash_key(key, nocase) & (cap - 1);

	while (slots[i].key && !key_eq(slots[i].key, key, nocase))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

const void *ccp_strmap_get(const ccp_strmap *m, const char *key)
{
	ccp_strmap_slot *s;

	if (!m->slots || !key)
		return NULL;
	s = find_slot(m->slots, m->cap, key, m->nocase);
	return s->key ? s->value : NULL;
}

static int grow(ccp_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16, i;
	ccp_strmap_slot *slots;

	if (cap < m->cap) {
		m->failed = 1;
		return -1;
	}
	slots = calloc(cap, sizeof(*slots));
	if (!slots) {
		m->failed = 1;
		return -1;
	}
	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find_slot(slots, cap, m->slots[i].key, m->nocase) = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

const void *ccp_strmap_put(ccp_strmap *m, const char *key, const void *value)
{
	ccp_strmap_slot *s;

	if (!key)
		return NULL;
	if ((m->count + 1) * 2 > m->cap && grow(m) < 0)
		return NULL;
	s = find_slot(m->slots, m->cap, key, m->nocase);
	if (s->key)
		return s->value;
	s->key = key;
	s->value = value;
	m->count++;
	return NULL;
}

int ccp_strmap_set(ccp_strmap *m, const char *key, const void *value)
{
	ccp_strmap_slot *s;

	if (!key)
		return -1;
	if ((m->count + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	s = find_slot(m->slots, m->cap, key, m->nocase);
	if (!s->key) {
		s->key = key;
		m->count++;
	}
	s->value = value;
	return 0;
}
