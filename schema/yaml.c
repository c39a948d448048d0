/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Positioned YAML trees over libyaml's event stream, with NVFlare's
 * `include:` resolution and bounds on size, depth and alias expansion.
 */
#include "ccprov/yaml.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "arena.h"
#include "array.h"
#include "ccprov/buf.h"
#include "fsio.h"
#include "path.h"
#include "strmap.h"
#include "utf8.h"
#include "yaml_internal.h"

struct ccp_yaml_set {
	ccp_diags *diags;
	char **names;           /* interned file names */
	size_t nnames, capnames;
	ccp_yaml_doc **docs;
	size_t ndocs, capdocs;
	ccp_arena arena;        /* every node and scalar text, freed together */
	char **sources;         /* the text of documents read as written */
	size_t nsources, capsources;
	size_t nfiles;
	size_t nodes;           /* nodes built in every file, alias copies included */
	ccp_strmap name_map;    /* interned name -> itself */
	ccp_strmap doc_map;     /* canonical path -> ccp_yaml_doc */
	ccp_strmap real_map;    /* path -> canonical path, or "" (ccp_yaml_realpath) */
	char **kept;            /* the keys and values of real_map */
	size_t nkept, capkept;
	struct file_id {        /* every file read, for ccp_yaml_set_read */
		dev_t dev;
		ino_t ino;
	} *read_ids;
	size_t nread, capread;
	ccp_yaml_reads *reads;  /* where files read are recorded, or NULL */
};

/* ---- names ---- */

static const char *intern(ccp_yaml_set *set, const char *name)
{
	const char *known = ccp_strmap_get(&set->name_map, name);
	char *copy;

	if (known)
		return known;
	if (ccp_grow(&set->names, &set->capnames, set->nnames + 1,
		 sizeof(*set->names)) < 0)
		return NULL;
	copy = strdup(name);
	if (!copy)
		return NULL;
	set->names[set->nnames++] = copy;
	ccp_strmap_put(&set->name_map, copy, copy);
	return copy;
}

/* the value of a path that does not resolve */
static const char unresolved[] = "";

/* A copy of s that lives as long as the set (not an interned name: those
 * are the files of the run). */
static const char *keep(ccp_yaml_set *set, const char *s)
{
	char *copy;

	if (ccp_grow(&set->kept, &set->capkept, set->nkept + 1,
		 sizeof(*set->kept)) < 0)
		return NULL;
	copy = strdup(s);
	if (copy)
		set->kept[set->nkept++] = copy;
	return copy;
}

const char *ccp_yaml_realpath(ccp_yaml_set *set, const char *path)
{
	const char *known = ccp_strmap_get(&set->real_map, path);
	const char *key, *value = unresolved;
	char real[PATH_MAX];

	if (known)
		return known == unresolved ? NULL : known;
	if (ccp_realpath(path, real) && !(value = keep(set, real)))
		return NULL;
	key = keep(set, path);
	/* not kept when memory runs out: the answer holds for this call */
	if (key)
		ccp_strmap_put(&set->real_map, key, value);
	return value == unresolved ? NULL : value;
}

ccp_yaml_set *ccp_yaml_set_new(ccp_diags *diags)
{
	ccp_yaml_set *set = calloc(1, sizeof(*set));

	if (!set)
		return NULL;
	set->diags = diags;
	ccp_arena_init(&set->arena);
	ccp_strmap_init(&set->name_map, 0);
	ccp_strmap_init(&set->doc_map, 0);
	ccp_strmap_init(&set->real_map, 0);
	return set;
}

void ccp_yaml_set_free(ccp_yaml_set *set)
{
	size_t i;

	if (!set)
		return;
	ccp_strmap_release(&set->name_map);
	ccp_strmap_release(&set->doc_map);
	ccp_strmap_release(&set->real_map);
	ccp_arena_release(&set->arena);
	for (i = 0; i < set->nsources; i++)
		free(set->sources[i]);
	free(set->sources);
	for (i = 0; i < set->ndocs; i++) {
		free(set->docs[i]->path);
		free(set->docs[i]->real);
		free(set->docs[i]);
	}
	free(set->docs);
	for (i = 0; i < set->nnames; i++)
		free(set->names[i]);
	free(set->names);
	for (i = 0; i < set->nkept; i++)
		free(set->kept[i]);
	free(set->kept);
	free(set->read_ids);
	free(set);
}

void ccp_yaml_reads_init(ccp_yaml_reads *r)
{
	memset(r, 0, sizeof(*r));
}

void ccp_yaml_reads_release(ccp_yaml_reads *r)
{
	size_t i;

	for (i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->owned);
	free(r->items);
	memset(r, 0, sizeof(*r));
}

void ccp_yaml_set_record(ccp_yaml_set *set, ccp_yaml_reads *reads)
{
	set->reads = reads;
}

/* Hand the malloc'd s to reads; 0, or -1 (s still the caller's). */
static int reads_own(ccp_yaml_reads *r, char *s)
{
	if (ccp_grow(&r->owned, &r->capowned, r->nowned + 1,
		     sizeof(*r->owned)) < 0)
		return -1;
	r->owned[r->nowned++] = s;
	return 0;
}

/* A copy of s that reads owns, or NULL. */
static const char *reads_keep(ccp_yaml_reads *r, const char *s)
{
	char *copy = strdup(s);

	if (copy && reads_own(r, copy) < 0) {
		free(copy);
		return NULL;
	}
	return copy;
}

/*
 * Record file (read from disk through a descriptor whose fstat is st,
 * data its len bytes, malloc'd) in the set's reads: its index there, or
 * (size_t)-1 when nothing is recorded. The marker is looked for once,
 * in the bytes already held; a file that mentions it hands data itself
 * to the reads while their budget lasts (*taken set: the caller must
 * not free it), so that the text is not copied.
 */
static size_t record_read(ccp_yaml_set *set, const char *file,
			  const struct stat *st, char *data, size_t len,
			  int *taken)
{
	ccp_yaml_reads *r = set->reads;
	ccp_yaml_read one;

	*taken = 0;
	if (!r)
		return (size_t)-1;
	memset(&one, 0, sizeof(one));
	one.dev = (unsigned long long)st->st_dev;
	one.ino = (unsigned long long)st->st_ino;
	one.name = reads_keep(r, file);
	if (!one.name || ccp_grow(&r->items, &r->cap, r->count + 1,
				  sizeof(*r->items)) < 0)
		return (size_t)-1;
	one.marker = memmem(data, len, CCP_YAML_MARKER,
			    sizeof(CCP_YAML_MARKER) - 1) != NULL;
	if (one.marker && len <= CCP_YAML_READS_MAX_TEXT - r->kept &&
	    reads_own(r, data) == 0) {
		one.text = data;
		one.len = len;
		r->kept += len;
		*taken = 1;
	}
	r->items[r->count] = one;
	return r->count++;
}

size_t ccp_yaml_set_nfiles(const ccp_yaml_set *set)
{
	return set->nfiles;
}

int ccp_yaml_set_read(const ccp_yaml_set *set, unsigned long long dev,
		      unsigned long long ino)
{
	size_t i;

	for (i = 0; i < set->nread; i++)
		if ((unsigned long long)set->read_ids[i].dev == dev &&
		    (unsigned long long)set->read_ids[i].ino == ino)
			return 1;
	return 0;
}

size_t ccp_yaml_set_nnames(const ccp_yaml_set *set)
{
	return set->nnames;
}

const char *ccp_yaml_set_name(const ccp_yaml_set *set, size_t i)
{
	return i < set->nnames ? set->names[i] : NULL;
}

/* An editor's unsaved buffer standing in for one file (process-wide:
 * the command line sets it once, before any load). */
static struct {
	char *abs;
	const char *data;
	size_t len;
} overlay;

/* The file's folder resolved, then its name: works for new files too. */
static char *overlay_key(const char *path)
{
	char *dir = ccp_path_dirname(path), *res = NULL;
	char real[PATH_MAX];

	if (dir && ccp_realpath(dir, real))
		res = ccp_path_child(real, ccp_path_base(path));
	free(dir);
	return res;
}

int ccp_yaml_overlay(const char *path, const char *data, size_t len)
{
	free(overlay.abs);
	overlay.abs = NULL;
	overlay.data = NULL;
	overlay.len = 0;
	if (!path)
		return 0;
	overlay.abs = overlay_key(path);
	if (!overlay.abs)
		return -1;
	overlay.data = data;
	overlay.len = len;
	return 0;
}

char *ccp_yaml_overlay_read(const char *file, size_t *len_out)
{
	char *key, *copy = NULL;

	if (!overlay.abs)
		return NULL;
	key = overlay_key(file);
	if (key && strcmp(key, overlay.abs) == 0 &&
	    overlay.len <= CCP_YAML_MAX_FILE_SIZE) {
		copy = malloc(overlay.len + 1);
		if (copy) {
			if (overlay.len)
				memcpy(copy, overlay.data, overlay.len);
			copy[overlay.len] = '\0';
			*len_out = overlay.len;
		}
	}
	free(key);
	return copy;
}

ccp_diags *ccp_yaml_set_diags(ccp_yaml_set *set)
{
	return set->diags;
}

/* ---- nodes ---- */

/* ccp_node.flags */
#define NODE_INDEXED 1u    /* a mapping with a key table after its pairs */
#define NODE_BUILDING 2u   /* children still in the builder's scratch */
#define NODE_SOURCE 4u     /* a document root with a doc_source before it */
#define NODE_NO_INCLUDE 8u /* a document root with no include key in it */

/* Mappings with more keys than this get a hash table of their keys. */
#define INDEX_MIN 8

/*
 * A document root carries, just before it, the text it was parsed
 * from when that text says exactly what the tree says (see
 * ccp_yaml_source).
 */
typedef struct doc_source {
	const char *data;
	size_t len;
} doc_source;

typedef struct rooted_node {
	doc_source src;
	ccp_node node;
} rooted_node;

static void node_init(ccp_node *n, ccp_node_kind kind, const char *file)
{
	memset(n, 0, sizeof(*n));
	n->kind = (uint8_t)kind;
	n->file = file;
	n->index = -1;
}

static ccp_node *node_new(ccp_yaml_set *set, ccp_node_kind kind,
			  const char *file)
{
	ccp_node *n = ccp_arena_alloc(&set->arena, sizeof(*n), _Alignof(ccp_node));

	if (n)
		node_init(n, kind, file);
	return n;
}

/* A mapping that may become a document root: room for its doc_source. */
static ccp_node *root_new(ccp_yaml_set *set, const char *file)
{
	rooted_node *r = ccp_arena_alloc(&set->arena, sizeof(*r),
					 _Alignof(rooted_node));

	if (!r)
		return NULL;
	r->src.data = NULL;
	r->src.len = 0;
	node_init(&r->node, CCP_NODE_MAP, file);
	r->node.flags = NODE_SOURCE;
	return &r->node;
}

static doc_source *source_of(const ccp_node *n)
{
	if (!n || !(n->flags & NODE_SOURCE))
		return NULL;
	return &((rooted_node *)((char *)(uintptr_t)n -
				 offsetof(rooted_node, node)))->src;
}

static ccp_node *scalar_new(ccp_yaml_set *set, const char *file,
			    const char *text, size_t len)
{
	ccp_node *n;
	char *copy;

	if (len == SIZE_MAX)
		return NULL;
	n = node_new(set, CCP_NODE_SCALAR, file);
	copy = n ? ccp_arena_alloc(&set->arena, len + 1, 1) : NULL;
	if (!copy)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	n->value = copy;
	n->len = len;
	return n;
}

/* ---- mapping key tables ---- */

static size_t table_size(size_t count)
{
	size_t size = 16;

	while (size < count * 2)
		size *= 2;
	return size;
}

static uint64_t key_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The table of an indexed mapping: pair index + 1 per slot, 0 when free. */
static uint32_t *key_table(const ccp_node *map)
{
	return (uint32_t *)(void *)(map->pairs + map->count);
}

/*
 * Room for count pairs, and for their key table when the mapping is
 * large enough to have one (map_link builds it).
 */
static ccp_pair *pairs_alloc(ccp_yaml_set *set, size_t count)
{
	size_t bytes, table = count > INDEX_MIN ? table_size(count) : 0;

	if (count > (SIZE_MAX / 2 - table * sizeof(uint32_t)) / sizeof(ccp_pair))
		return NULL;
	bytes = count * sizeof(ccp_pair) + table * sizeof(uint32_t);
	return ccp_arena_alloc(&set->arena, bytes ? bytes : 1, _Alignof(ccp_pair));
}

static ccp_node **items_alloc(ccp_yaml_set *set, size_t count)
{
	if (count > SIZE_MAX / 2 / sizeof(ccp_node *))
		return NULL;
	return ccp_arena_alloc(&set->arena, count ? count * sizeof(ccp_node *) : 1,
			       _Alignof(ccp_node *));
}

/*
 * Link a mapping's pairs (from pairs_alloc(map->count)) to it, and index
 * its keys when it is large. The first of equal keys is the one found,
 * as a scan from the start would find it.
 */
static void map_link(ccp_node *map)
{
	size_t i, mask;
	uint32_t *table;

	map->flags &= (uint8_t)~NODE_INDEXED;
	for (i = 0; i < map->count; i++) {
		ccp_node *k = map->pairs[i].key, *v = map->pairs[i].value;

		k->parent = map;
		k->key = k->value;
		k->index = -1;
		v->parent = map;
		v->key = k->value;
		v->index = -1;
	}
	if (map->count <= INDEX_MIN)
		return;
	table = key_table(map);
	mask = table_size(map->count) - 1;
	memset(table, 0, (mask + 1) * sizeof(*table));
	for (i = 0; i < map->count; i++) {
		const ccp_node *k = map->pairs[i].key;
		size_t slot = (size_t)key_hash(k->value, k->len) & mask;

		for (; table[slot]; slot = (slot + 1) & mask) {
			const ccp_node *o = map->pairs[table[slot] - 1].key;

			if (o->len == k->len && memcmp(o->value, k->value, k->len) == 0)
				break;
		}
		if (!table[slot])
			table[slot] = (uint32_t)(i + 1);
	}
	map->flags |= NODE_INDEXED;
}

static void seq_link(ccp_node *seq)
{
	size_t i;

	for (i = 0; i < seq->count; i++) {
		seq->items[i]->parent = seq;
		seq->items[i]->key = NULL;
		seq->items[i]->index = (int32_t)i;
	}
}

/* ---- scalar resolution (PyYAML's YAML 1.1 implicit resolvers) ---- */

/* Every plain scalar is tried against these lists: the first letter
 * rules most words out before their length is counted. */
static int streq_any(const char *s, size_t len, const char *const *words)
{
	char first = len ? s[0] : '\0';

	for (; *words; words++)
		if ((*words)[0] == first && strlen(*words) == len &&
		    memcmp(s, *words, len) == 0)
			return 1;
	return 0;
}

static int all_digits(const char *s, size_t len, int base)
{
	size_t i;
	int seen = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '_')
			continue;
		if (base == 2 && (c == '0' || c == '1'))
			seen = 1;
		else if (base == 8 && c >= '0' && c <= '7')
			seen = 1;
		else if (base == 10 && c >= '0' && c <= '9')
			seen = 1;
		else if (base == 16 && ((c >= '0' && c <= '9') ||
					(c >= 'a' && c <= 'f') ||
					(c >= 'A' && c <= 'F')))
			seen = 1;
		else
			return 0;
	}
	return seen;
}

static int is_yaml_int(const char *s, size_t len)
{
	if (len && (s[0] == '-' || s[0] == '+')) {
		s++;
		len--;
	}
	if (!len)
		return 0;
	if (len > 2 && s[0] == '0' && s[1] == 'b')
		return all_digits(s + 2, len - 2, 2);
	if (len > 2 && s[0] == '0' && s[1] == 'x')
		return all_digits(s + 2, len - 2, 16);
	if (len > 1 && s[0] == '0')
		return all_digits(s + 1, len - 1, 8);
	if (s[0] == '_')
		return 0;
	/* sexagesimal (190:20:30) is an int in YAML 1.1; rare, treated as str */
	return all_digits(s, len, 10);
}

/* ".inf", "-.NaN"...: 4 or 5 bytes, a sign or a dot first */
static int is_special_float(const char *s, size_t len)
{
	static const char *const special[] = {
		".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
		"-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL
	};

	return len >= 4 && len <= 5 && (s[0] == '.' || s[0] == '+' || s[0] == '-') &&
	       streq_any(s, len, special);
}

/* PyYAML's float exponent at s[i..len): 'e' or 'E', a sign, digits. */
static int is_float_exponent(const char *s, size_t i, size_t len)
{
	if (s[i] != 'e' && s[i] != 'E')
		return 0;
	i++;
	if (i >= len || (s[i] != '-' && s[i] != '+'))
		return 0;
	i++;
	if (i >= len)
		return 0;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int is_yaml_float(const char *s, size_t len)
{
	size_t i = 0;
	int digits = 0, dot = 0;

	if (is_special_float(s, len))
		return 1;
	if (i < len && (s[i] == '-' || s[i] == '+')) {
		i++;
		/* PyYAML's leading-dot form (".5") takes no sign: "-.5" is a str */
		if (i < len && s[i] == '.')
			return 0;
	}
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits = 1;
		else if (s[i] == '_' && digits)
			continue;
		else if (s[i] == '.' && !dot)
			dot = 1;
		else
			break;
	}
	if (!dot || (!digits && i < len))
		return 0;
	if (i == len)
		return digits;
	/* exponent: PyYAML requires a dot and a signed exponent */
	return is_float_exponent(s, i, len);
}

ccp_scalar_type ccp_yaml_resolve(const char *s, size_t len)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const bools[] = {
		"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE",
		"false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
		NULL
	};

	/* most scalars are names: their first byte starts no null, bool,
	 * int or float */
	if (len && s[0] && !strchr("~nNyYtTfFoO+-.0123456789", s[0]))
		return CCP_SCALAR_STR;
	/* the null and bool words are 0 to 5 bytes long */
	if (len <= 5 && streq_any(s, len, nulls))
		return CCP_SCALAR_NULL;
	if (len >= 2 && len <= 5 && streq_any(s, len, bools))
		return CCP_SCALAR_BOOL;
	if (is_yaml_int(s, len))
		return CCP_SCALAR_INT;
	if (is_yaml_float(s, len))
		return CCP_SCALAR_FLOAT;
	return CCP_SCALAR_STR;
}

/* ---- UTF-8 validation with positions ---- */

/* The byte offset of the first NUL or ill-formed UTF-8 sequence, or
 * len: ASCII is passed over here, the rest by util's one decoder. */
static size_t utf8_invalid_at(const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c && c < 0x80) {
			i++;
			continue;
		}
		n = c ? ccp_utf8_seq(s + i, len - i) : 0;
		if (!n)
			return i;
		i += n;
	}
	return len;
}

static void offset_position(const char *s, size_t off, unsigned *line,
			    unsigned *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

/* ---- the event-driven tree builder ---- */

typedef struct anchor {
	char *name;
	ccp_node *node;
} anchor;

/*
 * What one document and every file it includes may cost together, so
 * that files including one another many times over stay bounded.
 */
typedef struct budget {
	size_t files;   /* included files loaded */
	size_t bytes;   /* bytes read, the document's own included */
	int spent;      /* reported once; later includes are skipped */
} budget;

typedef struct builder {
	ccp_yaml_set *set;
	const char *file;
	budget *bud;
	ccp_node *stack[CCP_YAML_MAX_DEPTH + 2];
	ccp_node *pending_key[CCP_YAML_MAX_DEPTH + 2];
	int depth;
	anchor *anchors;
	size_t nanchors, capanchors;
	ccp_strmap anchor_map;   /* name -> index + 1 of its latest definition */
	size_t nodes;
	size_t alias_nodes;
	ccp_node *root;
	int failed;     /* a diagnostic ended the build */
	/*
	 * The finished children of every open mapping (as pairs) and
	 * sequence (as values), the innermost last; base[d] is where those
	 * of stack[d] start. A container gets an array of its exact size
	 * when it ends.
	 */
	ccp_pair *kids;
	size_t nkids, capkids;
	size_t base[CCP_YAML_MAX_DEPTH + 2];
	/*
	 * Whether the text says what the tree says to a reader that knows
	 * no merge keys, includes, anchors, tags or YAML 1.1 integers, and
	 * does not read a null value as an absent key: see ccp_yaml_source.
	 */
	int plain;
	int includes;   /* may hold an include key (copies are not looked in) */
} builder;

static void set_start(ccp_node *n, const yaml_mark_t *m)
{
	n->line = (unsigned)m->line + 1;
	n->column = (unsigned)m->column + 1;
}

static void set_end(ccp_node *n, const yaml_mark_t *m)
{
	n->end_line = (unsigned)m->line + 1;
	n->end_column = (unsigned)m->column + 1;
}

static void diag_at_mark(builder *b, const char *rule, const yaml_mark_t *m,
			 const char *fmt, const char *arg)
{
	ccp_diags_add_at(b->set->diags, rule, CCP_SEV_ERROR, b->file,
			 (unsigned)m->line + 1, (unsigned)m->column + 1,
			 (unsigned)m->line + 1, (unsigned)m->column + 2,
			 rule, fmt, arg);
}

static int remember_anchor(builder *b, const unsigned char *name, ccp_node *n)
{
	char *copy;

	if (!name)
		return 0;
	if (ccp_grow(&b->anchors, &b->capanchors, b->nanchors + 1,
		 sizeof(*b->anchors)) < 0)
		return -1;
	copy = strdup((const char *)name);
	if (!copy)
		return -1;
	b->anchors[b->nanchors].name = copy;
	b->anchors[b->nanchors].node = n;
	b->nanchors++;
	/* the latest definition of a name wins, as in YAML */
	return ccp_strmap_set(&b->anchor_map, copy,
			      (const void *)(uintptr_t)b->nanchors);
}

static ccp_node *find_anchor(builder *b, const char *name)
{
	uintptr_t i = (uintptr_t)ccp_strmap_get(&b->anchor_map, name);

	return i ? b->anchors[i - 1].node : NULL;
}

/*
 * Tags PyYAML's safe loader builds plain values from; NVFlare's reader
 * refuses anything else (`!custom`, `!!binary`, `!!python/...`). "!" is
 * YAML's non-specific tag: a quoted string.
 */
static int tag_known(const char *tag, ccp_node_kind kind)
{
	static const char *const scalar_tags[] = {
		"!", YAML_STR_TAG, YAML_INT_TAG, YAML_BOOL_TAG, YAML_NULL_TAG,
		YAML_FLOAT_TAG, NULL
	};
	size_t i;

	if (!tag)
		return 1;
	if (kind == CCP_NODE_MAP)
		return strcmp(tag, YAML_MAP_TAG) == 0 || strcmp(tag, "!") == 0;
	if (kind == CCP_NODE_SEQ)
		return strcmp(tag, YAML_SEQ_TAG) == 0 || strcmp(tag, "!") == 0;
	for (i = 0; scalar_tags[i]; i++)
		if (strcmp(tag, scalar_tags[i]) == 0)
			return 1;
	return 0;
}

static int refuse_tag(builder *b, const yaml_event_t *ev, const char *tag)
{
	static const char core[] = "tag:yaml.org,2002:";
	int shorthand = strncmp(tag, core, sizeof(core) - 1) == 0;
	ccp_diag *g;

	/* written `!!binary`, reported as written */
	if (shorthand)
		tag += sizeof(core) - 1;
	g = ccp_diags_add_at(b->set->diags, "CCP-Y013", CCP_SEV_ERROR,
			     b->file, (unsigned)ev->start_mark.line + 1,
			     (unsigned)ev->start_mark.column + 1,
			     (unsigned)ev->end_mark.line + 1,
			     (unsigned)ev->end_mark.column + 1, "CCP-Y013",
			     "unknown YAML tag '%s%s'", shorthand ? "!!" : "", tag);
	ccp_diag_set_hint(g, "NVFlare reads YAML with a safe loader that refuses it; remove the tag");
	b->failed = 1;
	return -1;
}

/*
 * The children a container has so far: its array once it ended, else
 * the builder's scratch (an alias may name a container still open).
 */
static const ccp_pair *open_kids(const builder *b, const ccp_node *n,
				 size_t *count)
{
	int d;

	for (d = 1; d <= b->depth; d++) {
		if (b->stack[d] != n)
			continue;
		*count = (d < b->depth ? b->base[d + 1] : b->nkids) - b->base[d];
		return b->kids + b->base[d];
	}
	*count = 0;
	return NULL;
}

static size_t subtree_size(const builder *b, const ccp_node *n)
{
	const ccp_pair *open;
	size_t i, count, total = 1;

	if (n->kind == CCP_NODE_SCALAR)
		return 1;
	if (n->flags & NODE_BUILDING) {
		open = open_kids(b, n, &count);
		for (i = 0; i < count; i++)
			total += (open[i].key ? 1 : 0) + subtree_size(b, open[i].value);
	} else if (n->kind == CCP_NODE_MAP) {
		for (i = 0; i < n->count; i++)
			total += 1 + subtree_size(b, n->pairs[i].value);
	} else {
		for (i = 0; i < n->count; i++)
			total += subtree_size(b, n->items[i]);
	}
	return total;
}

static ccp_node *node_clone(builder *b, const ccp_node *n);

/* Copy count pairs (from open when the mapping is still being built). */
static int clone_pairs(builder *b, ccp_node *c, const ccp_node *n,
		       const ccp_pair *open, size_t count)
{
	ccp_pair *pairs = pairs_alloc(b->set, count);
	size_t i;

	if (!pairs)
		return -1;
	for (i = 0; i < count; i++) {
		const ccp_pair *from = open ? &open[i] : &n->pairs[i];

		pairs[i].key = node_clone(b, from->key);
		pairs[i].value = pairs[i].key ? node_clone(b, from->value) : NULL;
		if (!pairs[i].value)
			return -1;
	}
	c->pairs = pairs;
	c->count = count;
	map_link(c);
	return 0;
}

/* Copy count items (from open when the sequence is still being built). */
static int clone_items(builder *b, ccp_node *c, const ccp_node *n,
		       const ccp_pair *open, size_t count)
{
	ccp_node **items = items_alloc(b->set, count);
	size_t i;

	if (!items)
		return -1;
	for (i = 0; i < count; i++) {
		items[i] = node_clone(b, open ? open[i].value : n->items[i]);
		if (!items[i])
			return -1;
	}
	c->items = items;
	c->count = count;
	seq_link(c);
	return 0;
}

static ccp_node *node_clone(builder *b, const ccp_node *n)
{
	ccp_yaml_set *set = b->set;
	ccp_node *c = n->kind == CCP_NODE_SCALAR ?
		scalar_new(set, n->file, n->value, n->len) :
		node_new(set, (ccp_node_kind)n->kind, n->file);
	const ccp_pair *open = NULL;
	size_t count = n->count;

	if (!c)
		return NULL;
	c->line = n->line;
	c->column = n->column;
	c->end_line = n->end_line;
	c->end_column = n->end_column;
	c->stype = n->stype;
	c->quoted = n->quoted;
	if (n->kind == CCP_NODE_SCALAR)
		return c;
	if (n->flags & NODE_BUILDING)
		open = open_kids(b, n, &count);
	if (n->kind == CCP_NODE_MAP)
		return clone_pairs(b, c, n, open, count) < 0 ? NULL : c;
	return clone_items(b, c, n, open, count) < 0 ? NULL : c;
}

static int push_kid(builder *b, ccp_node *key, ccp_node *value)
{
	if (ccp_grow(&b->kids, &b->capkids, b->nkids + 1,
		 sizeof(*b->kids)) < 0)
		return -1;
	b->kids[b->nkids].key = key;
	b->kids[b->nkids].value = value;
	b->nkids++;
	return 0;
}

static int key_is(const ccp_node *k, const char *word, size_t len)
{
	return k->len == len && memcmp(k->value, word, len) == 0;
}

/* Attach a finished node to its container; returns -1 on a fatal error. */
static int attach(builder *b, ccp_node *n)
{
	ccp_node *top, *key;

	if (b->depth == 0) {
		if (!b->root)
			b->root = n;
		return 0;
	}
	top = b->stack[b->depth];
	if (top->kind == CCP_NODE_SEQ)
		return push_kid(b, NULL, n);
	if (!b->pending_key[b->depth]) {
		if (n->kind != CCP_NODE_SCALAR) {
			ccp_diags_add(b->set->diags, "CCP-Y001", CCP_SEV_ERROR, n,
				      NULL, "a mapping key must be a plain value, not a %s",
				      n->kind == CCP_NODE_MAP ? "mapping" : "sequence");
			b->failed = 1;
			return -1;
		}
		b->pending_key[b->depth] = n;
		return 0;
	}
	key = b->pending_key[b->depth];
	b->pending_key[b->depth] = NULL;
	if (key_is(key, "include", 7))
		b->includes = 1;
	if (key_is(key, "include", 7) || key_is(key, "<<", 2) ||
	    ccp_node_is_null(n))
		b->plain = 0;
	return push_kid(b, key, n);
}

static int count_node(builder *b, const yaml_mark_t *m)
{
	if (++b->nodes > CCP_YAML_MAX_NODES) {
		diag_at_mark(b, "CCP-Y008", m,
			     "more than %s YAML nodes in the files of this run", "4000000");
		b->failed = 1;
		return -1;
	}
	return 0;
}

/*
 * Whether an integer is written as C's strtoll reads it and prints back
 * ("1_000", "0b101", "0x1F", "017" and "+5" are not).
 */
static int int_canonical(const ccp_node *n)
{
	char canon[CCP_BUF_LL_CHARS];
	long long v;

	if (ccp_node_int(n, &v) < 0)
		return 0;
	return ccp_buf_format_ll(canon, v) == n->len &&
	       memcmp(canon, n->value, n->len) == 0;
}

static int on_scalar(builder *b, yaml_event_t *ev)
{
	ccp_node *n;
	const char *tag = (const char *)ev->data.scalar.tag;

	if (count_node(b, &ev->start_mark) < 0)
		return -1;
	if (!tag_known(tag, CCP_NODE_SCALAR))
		return refuse_tag(b, ev, tag);
	if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length)) {
		/* an escaped "\0": C code downstream would cut the value there */
		ccp_diags_add_at(b->set->diags, "CCP-Y005", CCP_SEV_ERROR, b->file,
				 (unsigned)ev->start_mark.line + 1,
				 (unsigned)ev->start_mark.column + 1,
				 (unsigned)ev->end_mark.line + 1,
				 (unsigned)ev->end_mark.column + 1, "CCP-Y005",
				 "value holds a NUL character");
		b->failed = 1;
		return -1;
	}
	n = scalar_new(b->set, b->file, (const char *)ev->data.scalar.value,
		       ev->data.scalar.length);
	if (!n)
		return -1;
	if (tag || ev->data.scalar.anchor)
		b->plain = 0;
	set_start(n, &ev->start_mark);
	set_end(n, &ev->end_mark);
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	if (tag && strcmp(tag, YAML_STR_TAG) == 0)
		n->stype = CCP_SCALAR_STR;
	else if (tag && strcmp(tag, YAML_INT_TAG) == 0)
		n->stype = CCP_SCALAR_INT;
	else if (tag && strcmp(tag, YAML_BOOL_TAG) == 0)
		n->stype = CCP_SCALAR_BOOL;
	else if (tag && strcmp(tag, YAML_NULL_TAG) == 0)
		n->stype = CCP_SCALAR_NULL;
	else if (tag && strcmp(tag, YAML_FLOAT_TAG) == 0)
		n->stype = CCP_SCALAR_FLOAT;
	else if (n->quoted)
		n->stype = CCP_SCALAR_STR;
	else
		n->stype = (uint8_t)ccp_yaml_resolve(n->value, n->len);
	if (n->stype == CCP_SCALAR_INT && !int_canonical(n))
		b->plain = 0;
	if (remember_anchor(b, ev->data.scalar.anchor, n) < 0)
		return -1;
	return attach(b, n);
}

static int on_alias(builder *b, yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	ccp_node *target = find_anchor(b, name);
	ccp_node *copy;
	size_t size;

	if (!target) {
		diag_at_mark(b, "CCP-Y001", &ev->start_mark,
			     "unknown alias '*%s'", name);
		b->failed = 1;
		return -1;
	}
	b->plain = 0;
	b->includes = 1;
	size = subtree_size(b, target);
	b->alias_nodes += size;
	if (b->alias_nodes > CCP_YAML_MAX_ALIAS_NODES) {
		ccp_diags_add_at(b->set->diags, "CCP-Y008", CCP_SEV_ERROR, b->file,
				 (unsigned)ev->start_mark.line + 1,
				 (unsigned)ev->start_mark.column + 1,
				 (unsigned)ev->end_mark.line + 1,
				 (unsigned)ev->end_mark.column + 1, "CCP-Y008",
				 "alias '*%s' expands the document beyond %d nodes",
				 name, CCP_YAML_MAX_ALIAS_NODES);
		b->failed = 1;
		return -1;
	}
	b->nodes += size;
	copy = node_clone(b, target);
	if (!copy)
		return -1;
	return attach(b, copy);
}

static int on_start(builder *b, yaml_event_t *ev, ccp_node_kind kind)
{
	ccp_node *n;
	const unsigned char *anchor_name = kind == CCP_NODE_MAP ?
		ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
	const char *tag = (const char *)(kind == CCP_NODE_MAP ?
		ev->data.mapping_start.tag : ev->data.sequence_start.tag);

	if (count_node(b, &ev->start_mark) < 0)
		return -1;
	if (!tag_known(tag, kind))
		return refuse_tag(b, ev, tag);
	if (b->depth >= CCP_YAML_MAX_DEPTH) {
		ccp_diags_add_at(b->set->diags, "CCP-Y007", CCP_SEV_ERROR, b->file,
				 (unsigned)ev->start_mark.line + 1,
				 (unsigned)ev->start_mark.column + 1,
				 (unsigned)ev->start_mark.line + 1,
				 (unsigned)ev->start_mark.column + 2, "CCP-Y007",
				 "nesting deeper than %d levels", CCP_YAML_MAX_DEPTH);
		b->failed = 1;
		return -1;
	}
	if (tag || anchor_name)
		b->plain = 0;
	n = b->depth == 0 && kind == CCP_NODE_MAP ? root_new(b->set, b->file) :
		node_new(b->set, kind, b->file);
	if (!n)
		return -1;
	n->flags |= NODE_BUILDING;
	set_start(n, &ev->start_mark);
	if (remember_anchor(b, anchor_name, n) < 0)
		return -1;
	b->depth++;
	b->stack[b->depth] = n;
	b->pending_key[b->depth] = NULL;
	b->base[b->depth] = b->nkids;
	return 0;
}

static void merge_keys(builder *b, size_t start);

/* Give a container that ended its children from the scratch. */
static int close_container(builder *b, ccp_node *n, size_t start)
{
	size_t i, count = b->nkids - start;
	const ccp_pair *kids = b->kids + start;

	if (n->kind == CCP_NODE_MAP) {
		ccp_pair *pairs = pairs_alloc(b->set, count);

		if (!pairs)
			return -1;
		for (i = 0; i < count; i++)
			pairs[i] = kids[i];
		n->pairs = pairs;
		n->count = count;
		map_link(n);
	} else {
		ccp_node **items = items_alloc(b->set, count);

		if (!items)
			return -1;
		for (i = 0; i < count; i++)
			items[i] = kids[i].value;
		n->items = items;
		n->count = count;
		seq_link(n);
	}
	n->flags &= (uint8_t)~NODE_BUILDING;
	b->nkids = start;
	return 0;
}

static int on_end(builder *b, yaml_event_t *ev)
{
	ccp_node *n = b->stack[b->depth];
	size_t start = b->base[b->depth];

	set_end(n, &ev->end_mark);
	b->pending_key[b->depth] = NULL;
	b->depth--;
	if (n->kind == CCP_NODE_MAP)
		merge_keys(b, start);
	if (b->failed)
		return -1;
	if (close_container(b, n, start) < 0)
		return -1;
	return attach(b, n);
}

static ccp_node *map_find(const ccp_node *map, const char *key, size_t *idx)
{
	size_t i;

	if (map->flags & NODE_INDEXED) {
		const uint32_t *table = key_table(map);
		size_t len = strlen(key), mask = table_size(map->count) - 1;

		for (i = (size_t)key_hash(key, len) & mask; table[i];
		     i = (i + 1) & mask) {
			const ccp_node *k = map->pairs[table[i] - 1].key;

			if (k->len == len && memcmp(k->value, key, len) == 0) {
				if (idx)
					*idx = table[i] - 1;
				return map->pairs[table[i] - 1].value;
			}
		}
		return NULL;
	}
	for (i = 0; i < map->count; i++) {
		const char *k = map->pairs[i].key->value;

		if (k[0] == key[0] && strcmp(k, key) == 0) {
			if (idx)
				*idx = i;
			return map->pairs[i].value;
		}
	}
	return NULL;
}

/* Mappings up to this many keys are checked for duplicates pair by pair. */
#define DUP_SCAN_MAX 16

static void report_duplicate(builder *b, const ccp_node *key,
			     const ccp_node *first)
{
	ccp_diag *g = ccp_diags_add(b->set->diags, "CCP-Y002", CCP_SEV_ERROR, key,
				    NULL, "duplicate key '%s'", key->value);

	ccp_diag_add_related(g, first, "'%s' first defined here", key->value);
	ccp_diag_set_hint(g, "YAML keeps only the last value; remove one of them");
}

static int same_key(const ccp_node *a, const ccp_node *b)
{
	return a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
}

/* Keep the pairs not marked gone, in order. */
static void drop_gone(builder *b, size_t start, const unsigned char *gone)
{
	size_t i, w, n = b->nkids - start;
	ccp_pair *pairs = b->kids + start;

	b->plain = 0;   /* libcyaml would see the value dropped */
	for (i = 0, w = 0; i < n; i++)
		if (!gone[i])
			pairs[w++] = pairs[i];
	b->nkids = start + w;
}

/*
 * A small mapping (a site's handful of keys) is checked pair by pair:
 * a hash table per mapping would cost more to set up than the compares.
 * Same findings, in the same order, as the hashed pass below.
 */
static void drop_duplicates_small(builder *b, size_t start)
{
	unsigned char gone[DUP_SCAN_MAX];
	const ccp_pair *pairs = b->kids + start;
	size_t i, j, n = b->nkids - start;
	int any = 0;

	for (i = 0; i < n; i++) {
		gone[i] = 0;
		for (j = 0; j < i; j++) {
			if (gone[j] || !same_key(pairs[j].key, pairs[i].key))
				continue;
			report_duplicate(b, pairs[i].key, pairs[j].key);
			gone[j] = 1;
			any = 1;
			break;
		}
	}
	if (any)
		drop_gone(b, start, gone);
}

/*
 * Duplicate keys: PyYAML keeps the last value silently, which hides
 * mistakes, so each later duplicate is an error (the last still wins).
 * One pass with a hash of the keys, so a mapping with a hundred thousand
 * keys costs no more than a hundred thousand lookups. The pairs taken
 * out stay in the arena: an anchor may still name them, and a later
 * alias copy them, as PyYAML allows.
 */
static void drop_duplicates(builder *b, size_t start)
{
	ccp_strmap seen;
	size_t *latest = NULL;
	unsigned char *gone = NULL;
	size_t i, n = b->nkids - start;
	const ccp_pair *pairs = b->kids + start;

	if (n < 2)
		return;
	if (n <= DUP_SCAN_MAX) {
		drop_duplicates_small(b, start);
		return;
	}
	ccp_strmap_init(&seen, 0);
	latest = malloc(n * sizeof(*latest));
	gone = calloc(n, 1);
	if (!latest || !gone) {
		b->failed = 1;
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		const ccp_node *key = pairs[i].key;
		size_t *prev = (size_t *)ccp_strmap_put(&seen, key->value, &latest[i]);

		if (seen.failed) {
			b->failed = 1;
			goto cleanup;
		}
		if (!prev) {
			latest[i] = i;
			continue;
		}
		report_duplicate(b, key, pairs[*prev].key);
		gone[*prev] = 1;
		*prev = i;
	}
	drop_gone(b, start, gone);
cleanup:
	ccp_strmap_release(&seen);
	free(latest);
	free(gone);
}

/*
 * YAML merge keys (`<<: *base`) are expanded as PyYAML does: keys written
 * in the mapping take precedence, then earlier merged mappings. The
 * mapping's pairs are still the builder's scratch, from start.
 */
static void merge_keys(builder *b, size_t start)
{
	ccp_strmap keys;
	ccp_node *src;
	size_t i, merge, nsrc, s, n;

	drop_duplicates(b, start);
	if (b->failed)
		return;
	n = b->nkids - start;
	merge = n;
	for (i = 0; i < n; i++)
		if (!b->kids[start + i].key->quoted &&
		    key_is(b->kids[start + i].key, "<<", 2))
			merge = i;
	if (merge == n)
		return;
	ccp_strmap_init(&keys, 0);
	for (i = 0; i < n; i++)
		ccp_strmap_put(&keys, b->kids[start + i].key->value, b);
	src = b->kids[start + merge].value;
	nsrc = src->kind == CCP_NODE_SEQ ? src->count : 1;
	for (s = 0; s < nsrc && !keys.failed; s++) {
		ccp_node *m = src->kind == CCP_NODE_SEQ ? src->items[s] : src;
		size_t p;

		if (m->kind != CCP_NODE_MAP) {
			ccp_diags_add(b->set->diags, "CCP-Y001", CCP_SEV_ERROR, m, NULL,
				      "a merge key '<<' needs a mapping or a list of mappings");
			continue;
		}
		for (p = 0; p < m->count; p++) {
			ccp_node *kc, *vc;

			if (ccp_strmap_get(&keys, m->pairs[p].key->value))
				continue;
			kc = node_clone(b, m->pairs[p].key);
			vc = kc ? node_clone(b, m->pairs[p].value) : NULL;
			if (!vc || push_kid(b, kc, vc) < 0)
				continue;
			ccp_strmap_put(&keys, kc->value, b);
		}
	}
	if (keys.failed)
		b->failed = 1;
	ccp_strmap_release(&keys);
	/* the `<<` entry itself goes */
	memmove(&b->kids[start + merge], &b->kids[start + merge + 1],
		(b->nkids - start - merge - 1) * sizeof(*b->kids));
	b->nkids--;
}

static void free_anchors(builder *b)
{
	size_t i;

	ccp_strmap_release(&b->anchor_map);
	for (i = 0; i < b->nanchors; i++)
		free(b->anchors[i].name);
	free(b->anchors);
	free(b->kids);
}

static void builder_init(builder *b, ccp_yaml_set *set, const char *file,
			 budget *bud, size_t len)
{
	memset(b, 0, sizeof(*b));
	b->set = set;
	b->file = file;
	b->bud = bud;
	b->nodes = set->nodes;
	b->plain = 1;
	/* a large file's pending children: room for most of them at once,
	 * in huge pages, rather than doubling through fresh 4 KiB pages */
	if (len / 16 * sizeof(*b->kids) >= CCP_BUF_LARGE) {
		b->kids = ccp_buf_alloc_large(len / 16 * sizeof(*b->kids));
		b->capkids = b->kids ? len / 16 : 0;
	}
}

/* A text that is not UTF-8, or holds a NUL byte: 1 when reported. */
static int refuse_encoding(ccp_yaml_set *set, const char *file,
			   const char *data, size_t len)
{
	size_t bad = utf8_invalid_at(data, len);
	unsigned line, col;

	if (bad == len)
		return 0;
	offset_position(data, bad, &line, &col);
	ccp_diags_add_at(set->diags, "CCP-Y005", CCP_SEV_ERROR, file,
			 line, col, line, col + 1, "CCP-Y005",
			 data[bad] ? "invalid UTF-8 byte 0x%02x" :
			 "NUL byte (0x%02x) in a text file",
			 (unsigned)(unsigned char)data[bad]);
	return 1;
}

/* libyaml's error, at its mark (or, for the reader, its offset). */
static void report_syntax(builder *b, const yaml_parser_t *parser,
			  const char *data, size_t len)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s%s%s",
		 parser->problem ? parser->problem : "syntax error",
		 parser->context ? " " : "",
		 parser->context ? parser->context : "");
	if (parser->error == YAML_READER_ERROR) {
		/* the reader gives an offset, not a mark */
		yaml_mark_t at;
		unsigned line, col;

		memset(&at, 0, sizeof(at));
		offset_position(data, parser->problem_offset < len ?
				parser->problem_offset : len, &line, &col);
		at.line = line - 1;
		at.column = col - 1;
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
			 " (0x%02x)", (unsigned)parser->problem_value);
		diag_at_mark(b, "CCP-Y001", &at, "yaml syntax error: %s", msg);
	} else {
		diag_at_mark(b, "CCP-Y001",
			     parser->problem ? &parser->problem_mark : &parser->mark,
			     "yaml syntax error: %s", msg);
	}
	b->failed = 1;
}

/* One event into the tree: 1 when the stream is done, 0 to go on. */
static int on_event(builder *b, yaml_event_t *ev, int *docs)
{
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1) {
			diag_at_mark(b, "CCP-Y001", &ev->start_mark,
				     "%s", "expected a single document, found another one");
			b->failed = 1;
			return 1;
		}
		return 0;
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev) < 0;
	case YAML_ALIAS_EVENT:
		return on_alias(b, ev) < 0;
	case YAML_MAPPING_START_EVENT:
		return on_start(b, ev, CCP_NODE_MAP) < 0;
	case YAML_SEQUENCE_START_EVENT:
		return on_start(b, ev, CCP_NODE_SEQ) < 0;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		return on_end(b, ev) < 0;
	default:
		return 0;
	}
}

/*
 * Parse data into a tree. Reports problems to the set's diagnostics and
 * returns the root (NULL when nothing usable was parsed).
 */
static ccp_node *parse_buffer(ccp_yaml_set *set, const char *file,
			      const char *data, size_t len, int *empty,
			      int *plain, budget *bud)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	builder b;
	int done = 0, docs = 0;

	*empty = 0;
	*plain = 0;
	if (refuse_encoding(set, file, data, len))
		return NULL;
	builder_init(&b, set, file, bud, len);
	if (!yaml_parser_initialize(&parser)) {
		free(b.kids);
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			report_syntax(&b, &parser, data, len);
			break;
		}
		done = on_event(&b, &ev, &docs);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	set->nodes = b.nodes;
	/* whatever an early stop left open stays in the arena, unused */
	free_anchors(&b);
	if (b.failed || b.depth > 0)
		return NULL;
	if (!b.root || (b.root->kind == CCP_NODE_SCALAR &&
			b.root->stype == CCP_SCALAR_NULL)) {
		*empty = 1;
		return NULL;
	}
	*plain = b.plain;
	if (!b.includes)
		b.root->flags |= NODE_NO_INCLUDE;
	return b.root;
}

/* ---- files ---- */

/* A file that cannot be opened: reported at ref, or at the file. */
static void report_open(ccp_yaml_set *set, const char *file,
			const ccp_node *ref, int e)
{
	const char *rule = "CCP-Y009";
	ccp_diag *g;

	if (ref)
		g = ccp_diags_add(set->diags, rule, CCP_SEV_ERROR, ref, NULL,
				  "cannot read '%s': %s", file, strerror(e));
	else
		g = ccp_diags_add_at(set->diags, rule, CCP_SEV_ERROR, file,
				     0, 0, 0, 0, "open",
				     "cannot read '%s': %s", file, strerror(e));
	if (e == ENOENT) {
		char *near = ccp_path_nearest(file);

		if (near)
			ccp_diag_set_hint(g, "did you mean '%s'? it is in the same folder",
					  near);
		free(near);
	}
}

/*
 * Whether what fd holds may be read as a YAML file: a regular file
 * within the size limit. 0, or -1 when reported.
 */
static int check_readable(ccp_yaml_set *set, const char *file,
			  const ccp_node *ref, int fd, struct stat *st)
{
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		int isdir = S_ISDIR(st->st_mode);
		const char *rule = isdir ? "CCP-Y010" : "CCP-Y009";
		const char *fmt = isdir ? "'%s' is a directory, not a YAML file" :
				  "'%s' is not a regular file";

		if (ref)
			ccp_diags_add(set->diags, rule, CCP_SEV_ERROR, ref, NULL, fmt, file);
		else
			ccp_diags_add_at(set->diags, rule, CCP_SEV_ERROR, file, 0, 0, 0, 0,
					 "type", fmt, file);
		return -1;
	}
	if ((unsigned long long)st->st_size > CCP_YAML_MAX_FILE_SIZE) {
		ccp_diags_add_at(set->diags, "CCP-Y006", CCP_SEV_ERROR, file, 0, 0,
				 0, 0, "size",
				 "file is %lld bytes, over the limit of %zu bytes",
				 (long long)st->st_size, CCP_YAML_MAX_FILE_SIZE);
		return -1;
	}
	return 0;
}

/* Up to size bytes of fd into a new buffer; *len what was read. */
static char *read_whole(int fd, size_t size, size_t *len)
{
	char *data = ccp_buf_alloc_large(size + 1);
	size_t got = 0;

	if (!data)
		return NULL;
	while (got < size) {
		ssize_t n = read(fd, data + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	data[got] = '\0';
	*len = got;
	return data;
}

/* Read a whole regular file with the size limit, reporting problems. */
static char *read_file(ccp_yaml_set *set, const char *file,
		       const ccp_node *ref, size_t *len_out, struct stat *st_out)
{
	struct stat st;
	char *data;
	int fd;

	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		report_open(set, file, ref, errno);
		return NULL;
	}
	if (check_readable(set, file, ref, fd, &st) < 0) {
		close(fd);
		return NULL;
	}
	if (ccp_grow(&set->read_ids, &set->capread, set->nread + 1,
		     sizeof(*set->read_ids)) == 0) {
		set->read_ids[set->nread].dev = st.st_dev;
		set->read_ids[set->nread].ino = st.st_ino;
		set->nread++;
	}
	data = read_whole(fd, (size_t)st.st_size, len_out);
	close(fd);
	*st_out = st;
	return data;
}

static ccp_yaml_doc *doc_new(ccp_yaml_set *set, const char *path,
			     const char *real)
{
	ccp_yaml_doc *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->path = strdup(path);
	d->real = real ? strdup(real) : NULL;
	if (!d->path || ccp_grow(&set->docs, &set->capdocs,
			     set->ndocs + 1, sizeof(*set->docs)) < 0) {
		free(d->path);
		free(d->real);
		free(d);
		return NULL;
	}
	set->docs[set->ndocs++] = d;
	if (d->real)
		ccp_strmap_put(&set->doc_map, d->real, d);
	return d;
}

/* ---- include: resolution ---- */

typedef struct incl_stack {
	const char *real[CCP_YAML_MAX_INCLUDE_DEPTH + 1];
	int depth;
	budget bud;
} incl_stack;

static ccp_node *load_tree(ccp_yaml_set *set, const char *path,
			   const ccp_node *ref, incl_stack *stk,
			   const char **real_out, int *loaded);

static int path_within(const char *dir_real, const char *file_real)
{
	size_t n = strlen(dir_real);

	if (strcmp(dir_real, "/") == 0)
		return 1;
	return strncmp(dir_real, file_real, n) == 0 && file_real[n] == '/';
}

/* A mapping's pairs while its includes are merged in. */
typedef struct pair_vec {
	ccp_pair *pairs;
	size_t count, cap;
} pair_vec;

static void include_one(ccp_yaml_set *set, pair_vec *map, const ccp_node *ref,
			incl_stack *stk)
{
	char *dir = NULL, *path = NULL, *dir_real = NULL;
	char real[PATH_MAX];
	const char *sub_real = NULL;
	ccp_node *sub;
	size_t i;
	int d, loaded = 0;
	ccp_strmap keys;

	ccp_strmap_init(&keys, 0);
	if (stk->bud.spent)
		return;
	if (ref->kind != CCP_NODE_SCALAR || ref->stype == CCP_SCALAR_NULL ||
	    !ref->len) {
		ccp_diags_add(set->diags, "CCP-Y011", CCP_SEV_ERROR, ref, NULL,
			      "an include entry must be a file path");
		return;
	}
	dir = ccp_path_dirname(ref->file);
	path = dir ? ccp_path_join(dir, ref->value) : NULL;
	if (!path)
		goto cleanup;
	dir_real = realpath(dir, NULL);
	if (!dir_real)
		goto cleanup;
	if (!realpath(path, real)) {
		ccp_diags_add(set->diags, "CCP-Y011", CCP_SEV_ERROR, ref, NULL,
			      "included file '%s' does not exist", path);
		goto cleanup;
	}
	if (!path_within(dir_real, real)) {
		ccp_diag *g = ccp_diags_add(set->diags, "CCP-Y011", CCP_SEV_ERROR,
					    ref, NULL,
					    "include '%s' points outside the including file's folder",
					    ref->value);

		ccp_diag_set_hint(g, "included files must sit in '%s' or below it", dir);
		goto cleanup;
	}
	for (d = 0; d < stk->depth; d++) {
		if (strcmp(stk->real[d], real) == 0) {
			ccp_diags_add(set->diags, "CCP-Y011", CCP_SEV_ERROR, ref, NULL,
				      "include cycle: '%s' includes itself", ref->value);
			goto cleanup;
		}
	}
	if (stk->depth >= CCP_YAML_MAX_INCLUDE_DEPTH) {
		ccp_diags_add(set->diags, "CCP-Y011", CCP_SEV_ERROR, ref, NULL,
			      "includes nested deeper than %d files",
			      CCP_YAML_MAX_INCLUDE_DEPTH);
		goto cleanup;
	}
	if (stk->bud.files >= CCP_YAML_MAX_INCLUDED_FILES ||
	    set->nfiles >= CCP_YAML_MAX_FILES) {
		ccp_diag *g = ccp_diags_add(set->diags, "CCP-Y011", CCP_SEV_ERROR,
					    ref, NULL,
					    "include '%s' is one too many: a file and its includes may load at most %d files",
					    ref->value, CCP_YAML_MAX_INCLUDED_FILES);

		ccp_diag_set_hint(g, "files that include one another repeatedly multiply; include each file once");
		stk->bud.spent = 1;
		goto cleanup;
	}
	stk->bud.files++;
	sub = load_tree(set, path, ref, stk, &sub_real, &loaded);
	if (!sub)
		goto cleanup;
	if (sub->kind != CCP_NODE_MAP) {
		ccp_diags_add(set->diags, "CCP-Y011", CCP_SEV_ERROR, sub, NULL,
			      "an included file must hold a mapping, not a %s",
			      ccp_node_type_name(sub));
		goto cleanup;
	}
	/* keys written in the including mapping take precedence */
	for (i = 0; i < map->count; i++)
		ccp_strmap_put(&keys, map->pairs[i].key->value, map->pairs[i].value);
	for (i = 0; i < sub->count; i++) {
		ccp_node *k = sub->pairs[i].key;
		ccp_node *v = sub->pairs[i].value;
		const ccp_node *mine = ccp_strmap_get(&keys, k->value);

		if (mine) {
			ccp_diag *g = ccp_diags_add(set->diags, "CCP-Y012", CCP_SEV_WARNING,
						    k, NULL,
						    "included key '%s' is overridden by the including file",
						    k->value);
			ccp_diag_add_related(g, mine, "'%s' set here", k->value);
			continue;
		}
		if (ccp_grow(&map->pairs, &map->cap, map->count + 1,
			 sizeof(*map->pairs)) < 0)
			break;
		map->pairs[map->count].key = k;
		map->pairs[map->count].value = v;
		map->count++;
	}
cleanup:
	ccp_strmap_release(&keys);
	free(dir);
	free(path);
	free(dir_real);
}

static void resolve_includes(ccp_yaml_set *set, ccp_node *n, incl_stack *stk)
{
	size_t i, idx;
	ccp_node *inc;
	ccp_pair *pairs;
	pair_vec vec = { NULL, 0, 0 };

	/* a document's parse saw no include key: no mapping to look in */
	if (n->flags & NODE_NO_INCLUDE)
		return;
	if (n->kind == CCP_NODE_SEQ) {
		for (i = 0; i < n->count; i++)
			resolve_includes(set, n->items[i], stk);
		return;
	}
	if (n->kind != CCP_NODE_MAP)
		return;
	/* children first: an included file's own includes resolve when loaded */
	for (i = 0; i < n->count; i++)
		resolve_includes(set, n->pairs[i].value, stk);
	inc = map_find(n, "include", &idx);
	if (!inc)
		return;
	/* detach the include entry, then merge the files it names */
	if (ccp_grow(&vec.pairs, &vec.cap, n->count, sizeof(*vec.pairs)) < 0)
		return;
	for (i = 0; i < n->count; i++)
		if (i != idx)
			vec.pairs[vec.count++] = n->pairs[i];
	if (inc->kind == CCP_NODE_SEQ) {
		for (i = 0; i < inc->count; i++)
			include_one(set, &vec, inc->items[i], stk);
	} else {
		include_one(set, &vec, inc, stk);
	}
	/* values merged in are complete trees; link them to this mapping */
	pairs = pairs_alloc(set, vec.count);
	if (pairs) {
		memcpy(pairs, vec.pairs, vec.count * sizeof(*pairs));
		n->pairs = pairs;
		n->count = vec.count;
		map_link(n);
	}
	free(vec.pairs);
}

/*
 * Keep data (malloc'd, len bytes) as the text of root, a tree it gives
 * exactly: the set owns it from then on, unless taken (the set's reads
 * own it, and outlive the set). 0, or -1 when not kept.
 */
static int keep_source(ccp_yaml_set *set, ccp_node *root, char *data,
		       size_t len, int taken)
{
	doc_source *src = source_of(root);

	if (!src)
		return -1;
	if (!taken && ccp_grow(&set->sources, &set->capsources,
			       set->nsources + 1, sizeof(*set->sources)) < 0)
		return -1;
	if (!taken)
		set->sources[set->nsources++] = data;
	src->data = data;
	src->len = len;
	return 0;
}

int ccp_yaml_source(const ccp_node *root, const char **data, size_t *len)
{
	const doc_source *src = source_of(root);

	if (!src || !src->data || root->parent)
		return -1;
	*data = src->data;
	*len = src->len;
	return 0;
}

static ccp_node *load_tree(ccp_yaml_set *set, const char *path,
			   const ccp_node *ref, incl_stack *stk,
			   const char **real_out, int *loaded)
{
	char *data;
	size_t len = 0, rec = (size_t)-1;
	const char *file;
	ccp_node *root;
	struct stat st;
	int empty, plain, taken = 0;

	*loaded = 0;
	file = intern(set, path);
	if (!file)
		return NULL;
	data = ccp_yaml_overlay_read(file, &len);
	if (!data) {
		data = read_file(set, file, ref, &len, &st);
		if (data)
			rec = record_read(set, file, &st, data, len, &taken);
	}
	if (!data)
		return NULL;
	*loaded = 1;
	set->nfiles++;
	stk->bud.bytes += len;
	if (ref && stk->bud.bytes > CCP_YAML_MAX_FILE_SIZE) {
		ccp_diags_add(set->diags, "CCP-Y006", CCP_SEV_ERROR, ref, NULL,
			      "including '%s' takes the file and its includes over %zu bytes",
			      ref->value, CCP_YAML_MAX_FILE_SIZE);
		stk->bud.spent = 1;
		if (!taken)
			free(data);
		return NULL;
	}
	/* a tree takes about ten times its text */
	ccp_arena_expect(&set->arena, len * 8);
	root = parse_buffer(set, file, data, len, &empty, &plain, &stk->bud);
	/* a document's own text, not an included file's */
	if ((!plain || stk->depth > 0 ||
	     keep_source(set, root, data, len, taken) < 0) && !taken)
		free(data);
	if (set->nodes > CCP_YAML_MAX_NODES)
		stk->bud.spent = 1;   /* reported once by the parse */
	if (empty) {
		if (ref)
			ccp_diags_add(set->diags, "CCP-Y004", CCP_SEV_ERROR, ref, NULL,
				      "'%s' is empty", file);
		else
			ccp_diags_add_at(set->diags, "CCP-Y004", CCP_SEV_ERROR, file,
					 0, 0, 0, 0, "empty", "file is empty");
		return NULL;
	}
	if (!root)
		return NULL;
	{
		const char *c = ccp_yaml_realpath(set, path);
		const char *r = c ? intern(set, c) : NULL;

		if (r && stk->depth < CCP_YAML_MAX_INCLUDE_DEPTH + 1) {
			stk->real[stk->depth++] = r;
			resolve_includes(set, root, stk);
			stk->depth--;
		}
		if (r && real_out)
			*real_out = r;
		if (r && rec != (size_t)-1)
			set->reads->items[rec].real = reads_keep(set->reads, r);
	}
	return root;
}

static ccp_yaml_doc *finish_doc(ccp_yaml_set *set, ccp_yaml_doc *doc,
				ccp_node *root, size_t errors_before)
{
	if (root && root->kind != CCP_NODE_MAP) {
		ccp_diags_add(set->diags, "CCP-Y003", CCP_SEV_ERROR, root, NULL,
			      "the top level must be a mapping of keys, not a %s",
			      ccp_node_type_name(root));
		root = NULL;
	}
	doc->root = root;
	doc->ok = root && ccp_diags_count(set->diags, CCP_SEV_ERROR) == errors_before;
	return doc;
}

ccp_yaml_doc *ccp_yaml_load(ccp_yaml_set *set, const char *path,
			    const ccp_node *ref)
{
	const char *real_p = ccp_yaml_realpath(set, path);
	size_t errors_before;
	incl_stack stk;
	ccp_yaml_doc *doc;
	ccp_node *root;
	int loaded;

	if (real_p) {
		ccp_yaml_doc *known = (ccp_yaml_doc *)ccp_strmap_get(&set->doc_map, real_p);

		if (known)
			return known;
	}
	if (set->nfiles >= CCP_YAML_MAX_FILES) {
		ccp_diags_add_at(set->diags, "CCP-Y006", CCP_SEV_ERROR, path, 0, 0,
				 0, 0, "files", "more than %d files in one run",
				 CCP_YAML_MAX_FILES);
		return doc_new(set, path, real_p);
	}
	doc = doc_new(set, path, real_p);
	if (!doc)
		return NULL;
	errors_before = ccp_diags_count(set->diags, CCP_SEV_ERROR);
	memset(&stk, 0, sizeof(stk));
	root = load_tree(set, path, ref, &stk, NULL, &loaded);
	return finish_doc(set, doc, root, errors_before);
}

ccp_yaml_doc *ccp_yaml_load_mem(ccp_yaml_set *set, const char *name,
				const char *data, size_t len)
{
	ccp_yaml_doc *doc = doc_new(set, name, NULL);
	const char *file = intern(set, name);
	size_t errors_before = ccp_diags_count(set->diags, CCP_SEV_ERROR);
	ccp_node *root;
	int empty, plain;
	budget bud;

	memset(&bud, 0, sizeof(bud));
	if (!doc || !file)
		return doc;
	set->nfiles++;
	if (len > CCP_YAML_MAX_FILE_SIZE) {
		ccp_diags_add_at(set->diags, "CCP-Y006", CCP_SEV_ERROR, file, 0, 0,
				 0, 0, "size", "input is %zu bytes, over the limit of %zu bytes",
				 len, CCP_YAML_MAX_FILE_SIZE);
		return finish_doc(set, doc, NULL, errors_before);
	}
	root = parse_buffer(set, file, data, len, &empty, &plain, &bud);
	if (plain) {
		char *copy = malloc(len + 1);

		if (copy) {
			memcpy(copy, data, len);
			copy[len] = '\0';
		}
		if (copy && keep_source(set, root, copy, len, 0) < 0)
			free(copy);
	}
	if (empty)
		ccp_diags_add_at(set->diags, "CCP-Y004", CCP_SEV_ERROR, file, 0, 0,
				 0, 0, "empty", "file is empty");
	return finish_doc(set, doc, root, errors_before);
}

/* ---- accessors ---- */

const ccp_node *ccp_node_get(const ccp_node *map, const char *key)
{
	if (!map || map->kind != CCP_NODE_MAP)
		return NULL;
	return map_find(map, key, NULL);
}

const ccp_node *ccp_node_get_key(const ccp_node *map, const char *key)
{
	size_t i;

	if (!map || map->kind != CCP_NODE_MAP)
		return NULL;
	if (!map_find(map, key, &i))
		return NULL;
	return map->pairs[i].key;
}

const char *ccp_node_str(const ccp_node *n)
{
	if (!n || n->kind != CCP_NODE_SCALAR || n->stype == CCP_SCALAR_NULL)
		return NULL;
	return n->value;
}

const char *ccp_node_get_str(const ccp_node *map, const char *key)
{
	return ccp_node_str(ccp_node_get(map, key));
}

/* How Python's bool() reads the value PyYAML makes of the node: how
 * NVFlare reads flags it never type-checks. */
int ccp_node_truthy(const ccp_node *n)
{
	long long x;
	int b;

	if (n->kind != CCP_NODE_SCALAR)
		return n->count > 0;
	switch (n->stype) {
	case CCP_SCALAR_NULL:
		return 0;
	case CCP_SCALAR_BOOL:
		return ccp_node_bool(n, &b) == 0 && b;
	case CCP_SCALAR_INT:
		return ccp_node_int(n, &x) < 0 || x != 0;
	case CCP_SCALAR_FLOAT:
		return strspn(n->value, "+-0._") != n->len;
	default:
		return n->len > 0;
	}
}

int ccp_node_is_null(const ccp_node *n)
{
	return n && n->kind == CCP_NODE_SCALAR && n->stype == CCP_SCALAR_NULL;
}

/* A digit's value in base, or -1. */
static int digit_value(char c, int base)
{
	int d = c >= '0' && c <= '9' ? c - '0' :
		c >= 'a' && c <= 'z' ? c - 'a' + 10 :
		c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 99;

	return d < base ? d : -1;
}

/*
 * What strtoll(s, &end, base) reads when *end must be the string's end,
 * in the C locale: leading white space, a sign, "0x" in base 16, then
 * digits; -1 for anything else or a value out of range. By hand, as the
 * loader's hot path should not map libc's locale tables for it.
 */
static int parse_digits(const char *s, int base, long long *out)
{
	unsigned long long v = 0, limit;
	int neg = 0, any = 0, d;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    digit_value(s[2], 16) >= 0)
		s += 2;
	limit = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
	for (; *s && (d = digit_value(*s, base)) >= 0; s++, any = 1) {
		if (v > (limit - (unsigned)d) / (unsigned)base)
			return -1;
		v = v * (unsigned)base + (unsigned)d;
	}
	if (*s || !any)
		return -1;
	*out = neg ? (long long)(0ULL - v) : (long long)v;
	return 0;
}

int ccp_node_int(const ccp_node *n, long long *out)
{
	char digits[128];
	const char *s;
	size_t i, o = 0;
	int base = 10, neg = 0;
	long long v;

	if (!n || n->kind != CCP_NODE_SCALAR || n->stype != CCP_SCALAR_INT)
		return -1;
	s = n->value;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] == 'b') {
		base = 2;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s += 1;
	}
	for (i = 0; s[i] && o + 1 < sizeof(digits); i++)
		if (s[i] != '_')
			digits[o++] = s[i];
	digits[o] = '\0';
	if (s[i])
		return -1;
	if (!o || parse_digits(digits, base, &v) < 0 || (neg && v == LLONG_MIN))
		return -1;
	*out = neg ? -v : v;
	return 0;
}

int ccp_node_bool(const ccp_node *n, int *out)
{
	char c;

	if (!n || n->kind != CCP_NODE_SCALAR || n->stype != CCP_SCALAR_BOOL)
		return -1;
	c = n->value[0];
	*out = c == 'y' || c == 'Y' || c == 't' || c == 'T' ||
	       ((c == 'o' || c == 'O') && (n->value[1] == 'n' || n->value[1] == 'N'));
	return 0;
}

const char *ccp_node_type_name(const ccp_node *n)
{
	if (!n)
		return "nothing";
	switch (n->kind) {
	case CCP_NODE_MAP:
		return "mapping";
	case CCP_NODE_SEQ:
		return "list";
	case CCP_NODE_SCALAR:
		break;
	}
	switch (n->stype) {
	case CCP_SCALAR_NULL:
		return "null";
	case CCP_SCALAR_BOOL:
		return "boolean";
	case CCP_SCALAR_INT:
		return "integer";
	case CCP_SCALAR_FLOAT:
		return "number";
	case CCP_SCALAR_STR:
		break;
	}
	return "string";
}

char *ccp_node_path(const ccp_node *n, char *buf, size_t size)
{
	const ccp_node *chain[CCP_YAML_MAX_DEPTH * (CCP_YAML_MAX_INCLUDE_DEPTH + 1) + 4];
	size_t depth = 0, i, o = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	for (; n && n->parent && depth < sizeof(chain) / sizeof(chain[0]);
	     n = n->parent)
		chain[depth++] = n;
	for (i = depth; i > 0; i--) {
		const ccp_node *c = chain[i - 1];
		int w;

		if (c->index >= 0)
			w = snprintf(buf + o, size - o, "[%ld]", (long)c->index);
		else if (c->key)
			w = snprintf(buf + o, size - o, "%s%s", o ? "." : "", c->key);
		else
			w = snprintf(buf + o, size - o, "%s<key>", o ? "." : "");
		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
	}
	return buf;
}
