/* SPDX-License-Identifier: Apache-2.0 */
#include "ccprov/json.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ccp_json *ccp_json_new(ccp_json_type type)
{
	ccp_json *v = calloc(1, sizeof(*v));

	if (v)
		v->type = type;
	return v;
}

ccp_json *ccp_json_new_stringn(const char *s, size_t len)
{
	ccp_json *v = ccp_json_new(CCP_JSON_STRING);

	if (!v)
		return NULL;
	v->text = malloc(len + 1);
	if (!v->text) {
		free(v);
		return NULL;
	}
	memcpy(v->text, s, len);
	v->text[len] = '\0';
	v->len = len;
	return v;
}

ccp_json *ccp_json_new_string(const char *s)
{
	return ccp_json_new_stringn(s, strlen(s));
}

ccp_json *ccp_json_new_number(const char *text)
{
	ccp_json *v = ccp_json_new_string(text);

	if (v)
		v->type = CCP_JSON_NUMBER;
	return v;
}

ccp_json *ccp_json_new_int(long long n)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%lld", n);
	return ccp_json_new_number(tmp);
}

ccp_json *ccp_json_new_bool(int b)
{
	ccp_json *v = ccp_json_new(CCP_JSON_BOOL);

	if (v)
		v->boolean = b ? 1 : 0;
	return v;
}

static int json_reserve(ccp_json *v, int with_keys)
{
	size_t cap;
	void *p;

	if (v->count < v->cap)
		return 0;
	cap = v->cap ? v->cap * 2 : 4;
	p = realloc(v->items, cap * sizeof(*v->items));
	if (!p)
		return -1;
	v->items = p;
	if (with_keys) {
		p = realloc(v->keys, cap * sizeof(*v->keys));
		if (!p)
			return -1;
		v->keys = p;
	}
	v->cap = cap;
	return 0;
}

int ccp_json_append(ccp_json *arr, ccp_json *item)
{
	if (!item)
		return -1;
	if (arr->type != CCP_JSON_ARRAY || json_reserve(arr, 0) < 0) {
		ccp_json_free(item);
		return -1;
	}
	arr->items[arr->count++] = item;
	return 0;
}

/* Objects up to this size are searched in order; larger ones hashed. */
#define JSON_INDEX_MIN 16

static size_t key_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/* The slot of key in obj's index: holding it, or the empty one to use. */
static size_t *index_slot(const ccp_json *obj, const char *key)
{
	size_t mask = obj->index_cap - 1, i = key_hash(key) & mask;

	while (obj->index[i] && strcmp(obj->keys[obj->index[i] - 1], key) != 0)
		i = (i + 1) & mask;
	return &obj->index[i];
}

static int index_rebuild(ccp_json *obj)
{
	size_t cap = 64, i;
	size_t *old = obj->index;

	while (cap < obj->count * 4)
		cap *= 2;
	obj->index = calloc(cap, sizeof(*obj->index));
	if (!obj->index) {
		obj->index = old;
		return -1;
	}
	free(old);
	obj->index_cap = cap;
	for (i = 0; i < obj->count; i++)
		*index_slot(obj, obj->keys[i]) = i + 1;
	return 0;
}

/* Position of key in obj, or obj->count when absent. */
static size_t key_pos(const ccp_json *obj, const char *key)
{
	size_t i;

	if (obj->index) {
		size_t slot = *index_slot(obj, key);

		return slot ? slot - 1 : obj->count;
	}
	for (i = 0; i < obj->count; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return i;
	return obj->count;
}

int ccp_json_set(ccp_json *obj, const char *key, ccp_json *value)
{
	size_t i;
	char *k;

	if (!value)
		return -1;
	if (obj->type != CCP_JSON_OBJECT) {
		ccp_json_free(value);
		return -1;
	}
	i = key_pos(obj, key);
	if (i < obj->count) {
		ccp_json_free(obj->items[i]);
		obj->items[i] = value;
		return 0;
	}
	k = strdup(key);
	if (!k || json_reserve(obj, 1) < 0) {
		free(k);
		ccp_json_free(value);
		return -1;
	}
	obj->keys[obj->count] = k;
	obj->items[obj->count++] = value;
	if (obj->count <= JSON_INDEX_MIN)
		return 0;
	if (obj->index && obj->count * 2 <= obj->index_cap) {
		*index_slot(obj, k) = obj->count;
		return 0;
	}
	if (index_rebuild(obj) < 0) {
		/* undo, so that the object stays consistent */
		obj->count--;
		free(obj->keys[obj->count]);
		ccp_json_free(obj->items[obj->count]);
		return -1;
	}
	return 0;
}

ccp_json *ccp_json_clone(const ccp_json *v)
{
	ccp_json *c;
	size_t i;

	if (!v)
		return NULL;
	if (v->type == CCP_JSON_STRING || v->type == CCP_JSON_NUMBER) {
		c = ccp_json_new_stringn(v->text, v->len);
		if (c)
			c->type = v->type;
		return c;
	}
	c = ccp_json_new(v->type);
	if (!c)
		return NULL;
	c->boolean = v->boolean;
	for (i = 0; i < v->count; i++) {
		ccp_json *item = ccp_json_clone(v->items[i]);
		int rc = v->type == CCP_JSON_OBJECT ?
			ccp_json_set(c, v->keys[i], item) :
			ccp_json_append(c, item);
		if (rc < 0) {
			ccp_json_free(c);
			return NULL;
		}
	}
	return c;
}

void ccp_json_free(ccp_json *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->count; i++) {
		ccp_json_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->index);
	free(v->text);
	free(v);
}

int ccp_json_truthy(const ccp_json *v)
{
	switch (v->type) {
	case CCP_JSON_NULL:
		return 0;
	case CCP_JSON_BOOL:
		return v->boolean;
	case CCP_JSON_NUMBER:
		return strtod(v->text, NULL) != 0.0;
	case CCP_JSON_STRING:
		return v->len > 0;
	default:
		return v->count > 0;
	}
}

const ccp_json *ccp_json_get(const ccp_json *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != CCP_JSON_OBJECT)
		return NULL;
	i = key_pos(obj, key);
	return i < obj->count ? obj->items[i] : NULL;
}

const char *ccp_json_str(const ccp_json *v)
{
	return v && v->type == CCP_JSON_STRING ? v->text : NULL;
}

int ccp_json_int(const ccp_json *v, long long *out)
{
	char *end;
	long long n;

	if (!v || v->type != CCP_JSON_NUMBER)
		return -1;
	errno = 0;
	n = strtoll(v->text, &end, 10);
	if (errno || *end)
		return -1;
	*out = n;
	return 0;
}

int ccp_json_equal(const ccp_json *a, const ccp_json *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case CCP_JSON_NULL:
		return 1;
	case CCP_JSON_BOOL:
		return a->boolean == b->boolean;
	case CCP_JSON_NUMBER:
		return strtod(a->text, NULL) == strtod(b->text, NULL);
	case CCP_JSON_STRING:
		return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
	case CCP_JSON_ARRAY:
		if (a->count != b->count)
			return 0;
		for (i = 0; i < a->count; i++)
			if (!ccp_json_equal(a->items[i], b->items[i]))
				return 0;
		return 1;
	case CCP_JSON_OBJECT:
		if (a->count != b->count)
			return 0;
		for (i = 0; i < a->count; i++)
			if (!ccp_json_equal(a->items[i],
					    ccp_json_get(b, a->keys[i])))
				return 0;
		return 1;
	}
	return 0;
}

/* ---- parser ---- */

typedef struct jp {
	const char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
	int failed;
} jp;

static void jp_fail(jp *p, const char *msg)
{
	size_t i, line = 1, col = 1;

	if (p->failed)
		return;
	p->failed = 1;
	for (i = 0; i < p->pos && i < p->len; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	if (p->err && p->errlen)
		snprintf(p->err, p->errlen, "line %zu column %zu: %s",
			 line, col, msg);
}

static void jp_ws(jp *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				   p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void put_utf8(ccp_buf *b, unsigned long cp)
{
	char o[4];

	if (cp < 0x80) {
		ccp_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		ccp_buf_put(b, o, 2);
	} else if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		ccp_buf_put(b, o, 3);
	} else {
		o[0] = (char)(0xF0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (char)(0x80 | (cp & 0x3F));
		ccp_buf_put(b, o, 4);
	}
}

static int jp_hex4(jp *p, unsigned long *out)
{
	int i, h;
	unsigned long v = 0;

	if (p->pos + 4 > p->len)
		return -1;
	for (i = 0; i < 4; i++) {
		h = hexval(p->s[p->pos + (size_t)i]);
		if (h < 0)
			return -1;
		v = v * 16 + (unsigned long)h;
	}
	p->pos += 4;
	*out = v;
	return 0;
}

/* A \\u escape (and the low half of a surrogate pair) as UTF-8. */
static int jp_unicode(jp *p, ccp_buf *b)
{
	unsigned long cp, lo;

	if (jp_hex4(p, &cp) < 0) {
		jp_fail(p, "bad \\u escape");
		return -1;
	}
	if (cp >= 0xD800 && cp < 0xDC00 && p->pos + 6 <= p->len &&
	    p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u') {
		p->pos += 2;
		if (jp_hex4(p, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF) {
			jp_fail(p, "bad surrogate pair");
			return -1;
		}
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	put_utf8(b, cp);
	return 0;
}

/* The escape after a backslash (p->pos at its letter). */
static int jp_escape(jp *p, ccp_buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	char c = p->s[p->pos++];
	const char *at = c ? strchr(from, c) : NULL;

	if (at) {
		ccp_buf_putc(b, to[at - from]);
		return 0;
	}
	if (c == 'u')
		return jp_unicode(p, b);
	jp_fail(p, "bad escape");
	return -1;
}

/*
 * A string, its escapes decoded. Its text may be a private key (the
 * state file), so the buffer it is built in wipes what it outgrows.
 */
static ccp_json *jp_string(jp *p)
{
	ccp_buf b;
	ccp_json *v = NULL;

	ccp_buf_init_secret(&b, 0);
	p->pos++; /* opening quote */
	while (p->pos < p->len && p->s[p->pos] != '"') {
		unsigned char c = (unsigned char)p->s[p->pos];

		if (c < 0x20) {
			jp_fail(p, "control character in string");
			goto done;
		}
		p->pos++;
		if (c != '\\')
			ccp_buf_putc(&b, (char)c);
		else if (p->pos >= p->len)
			break;
		else if (jp_escape(p, &b) < 0)
			goto done;
	}
	if (p->pos >= p->len) {
		jp_fail(p, "unterminated string");
		goto done;
	}
	p->pos++;
	if (ccp_buf_failed(&b)) {
		jp_fail(p, "out of memory");
		goto done;
	}
	v = ccp_json_new_stringn(ccp_buf_cstr(&b), b.len);
done:
	ccp_buf_release(&b);
	return v;
}

static ccp_json *jp_value(jp *p, int depth);

static ccp_json *jp_number(jp *p)
{
	size_t start = p->pos;
	char tmp[64];

	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9') {
		jp_fail(p, "bad number");
		return NULL;
	}
	while (p->pos < p->len && ((p->s[p->pos] >= '0' && p->s[p->pos] <= '9') ||
				   p->s[p->pos] == '.' || p->s[p->pos] == 'e' ||
				   p->s[p->pos] == 'E' || p->s[p->pos] == '+' ||
				   p->s[p->pos] == '-'))
		p->pos++;
	if (p->pos - start >= sizeof(tmp)) {
		jp_fail(p, "number too long");
		return NULL;
	}
	memcpy(tmp, p->s + start, p->pos - start);
	tmp[p->pos - start] = '\0';
	return ccp_json_new_number(tmp);
}

static int jp_lit(jp *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos >= n && memcmp(p->s + p->pos, word, n) == 0) {
		p->pos += n;
		return 1;
	}
	return 0;
}

/* An object's "key": prefix; the key (caller frees) or NULL. */
static ccp_json *jp_key(jp *p)
{
	ccp_json *key;

	if (p->pos >= p->len || p->s[p->pos] != '"') {
		jp_fail(p, "expected a string key");
		return NULL;
	}
	key = jp_string(p);
	if (!key)
		return NULL;
	jp_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != ':') {
		ccp_json_free(key);
		jp_fail(p, "expected ':'");
		return NULL;
	}
	p->pos++;
	return key;
}

/* One member of a container into v (an object's with its key). */
static int jp_member(jp *p, ccp_json *v, int depth, int is_obj)
{
	ccp_json *key = NULL, *item;
	int rc;

	jp_ws(p);
	if (is_obj && !(key = jp_key(p)))
		return -1;
	item = jp_value(p, depth + 1);
	if (!item) {
		ccp_json_free(key);
		return -1;
	}
	rc = is_obj ? ccp_json_set(v, key->text, item) : ccp_json_append(v, item);
	ccp_json_free(key);
	return rc;
}

/* After a member: 1 for a ',' (more to come), 0 for the close, -1. */
static int jp_next(jp *p, int is_obj)
{
	char close = is_obj ? '}' : ']';

	jp_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ',') {
		p->pos++;
		return 1;
	}
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		return 0;
	}
	jp_fail(p, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
	return -1;
}

static ccp_json *jp_container(jp *p, int depth, int is_obj)
{
	ccp_json *v = ccp_json_new(is_obj ? CCP_JSON_OBJECT : CCP_JSON_ARRAY);
	char close = is_obj ? '}' : ']';
	int more = 1;

	if (!v)
		return NULL;
	p->pos++;
	jp_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		return v;
	}
	while (more > 0) {
		if (jp_member(p, v, depth, is_obj) < 0)
			more = -1;
		else
			more = jp_next(p, is_obj);
	}
	if (more == 0)
		return v;
	jp_fail(p, "out of memory");
	ccp_json_free(v);
	return NULL;
}

static ccp_json *jp_value(jp *p, int depth)
{
	ccp_json *v;

	if (depth > CCP_JSON_MAX_DEPTH) {
		jp_fail(p, "nesting too deep");
		return NULL;
	}
	jp_ws(p);
	if (p->pos >= p->len) {
		jp_fail(p, "unexpected end of input");
		return NULL;
	}
	switch (p->s[p->pos]) {
	case '{':
		return jp_container(p, depth, 1);
	case '[':
		return jp_container(p, depth, 0);
	case '"':
		return jp_string(p);
	default:
		break;
	}
	if (jp_lit(p, "true"))
		return ccp_json_new_bool(1);
	if (jp_lit(p, "false"))
		return ccp_json_new_bool(0);
	if (jp_lit(p, "null"))
		return ccp_json_new(CCP_JSON_NULL);
	v = jp_number(p);
	return v;
}

int ccp_json_parse(ccp_json **out, const char *text, size_t len,
		   char *err, size_t errlen)
{
	jp p = { text, len, 0, err, errlen, 0 };
	ccp_json *v;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	v = jp_value(&p, 0);
	if (v) {
		jp_ws(&p);
		if (p.pos != p.len) {
			jp_fail(&p, "trailing data");
			ccp_json_free(v);
			v = NULL;
		}
	}
	if (!v) {
		jp_fail(&p, "invalid JSON");
		return -1;
	}
	*out = v;
	return 0;
}

int ccp_json_parse_file(ccp_json **out, const char *path, size_t max,
			char *err, size_t errlen)
{
	struct stat st;
	char *data;
	size_t n = 0;
	int fd, rc;

	*out = NULL;
	if (!max)
		max = (size_t)64 * 1024 * 1024;
	/* O_NONBLOCK: a FIFO or device in the file's place must not hang us */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_size > max) {
		close(fd);
		snprintf(err, errlen, "not a regular file or too large");
		return -1;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (n < (size_t)st.st_size) {
		ssize_t got = read(fd, data + n, (size_t)st.st_size - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	data[n] = '\0';
	rc = ccp_json_parse(out, data, n, err, errlen);
	free(data);
	return rc;
}

/* ---- writer ---- */

void ccp_json_escape(ccp_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	ccp_buf_putc(out, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[6];

		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		default:
			break;
		}
		if (c >= 0xc2) {
			/* C1 and bidi controls: the same string, but inert in a terminal */
			size_t n = ccp_utf8_control(s + i, len - i);

			if (n) {
				ccp_buf_put(out, s + run, i - run);
				ccp_buf_printf(out, "\\u%04lx", ccp_utf8_decode(s + i, n));
				i += n - 1;
				run = i + 1;
				continue;
			}
		}
		if (!esc && c >= 0x20 && c != 0x7f)
			continue;
		ccp_buf_put(out, s + run, i - run);
		run = i + 1;
		if (esc) {
			ccp_buf_puts(out, esc);
		} else {
			u[0] = '\\';
			u[1] = 'u';
			u[2] = '0';
			u[3] = '0';
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			ccp_buf_put(out, u, 6);
		}
	}
	ccp_buf_put(out, s + run, len - run);
	ccp_buf_putc(out, '"');
}

void ccp_jw_init(ccp_jw *w, ccp_buf *out, int indent)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->indent = indent;
	w->first[0] = 1;
}

static void jw_newline(ccp_jw *w)
{
	int i;

	if (!w->indent)
		return;
	ccp_buf_putc(w->out, '\n');
	for (i = 0; i < w->depth * w->indent; i++)
		ccp_buf_putc(w->out, ' ');
}

/* Called before every value or key. */
static void jw_pre(ccp_jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		ccp_buf_putc(w->out, ',');
	w->first[w->depth] = 0;
	jw_newline(w);
}

static void jw_open(ccp_jw *w, char c)
{
	jw_pre(w);
	ccp_buf_putc(w->out, c);
	if (w->depth < CCP_JSON_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = 1;
}

static void jw_close(ccp_jw *w, char c)
{
	int empty = w->first[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (!empty)
		jw_newline(w);
	ccp_buf_putc(w->out, c);
}

void ccp_jw_object_begin(ccp_jw *w) { jw_open(w, '{'); }
void ccp_jw_object_end(ccp_jw *w) { jw_close(w, '}'); }
void ccp_jw_array_begin(ccp_jw *w) { jw_open(w, '['); }
void ccp_jw_array_end(ccp_jw *w) { jw_close(w, ']'); }

void ccp_jw_key(ccp_jw *w, const char *key)
{
	jw_pre(w);
	ccp_json_escape(w->out, key, strlen(key));
	ccp_buf_puts(w->out, w->indent ? ": " : ":");
	w->after_key = 1;
}

void ccp_jw_stringn(ccp_jw *w, const char *s, size_t len)
{
	jw_pre(w);
	ccp_json_escape(w->out, s, len);
}

void ccp_jw_string(ccp_jw *w, const char *s)
{
	if (!s) {
		ccp_jw_null(w);
		return;
	}
	ccp_jw_stringn(w, s, strlen(s));
}

void ccp_jw_int(ccp_jw *w, long long v)
{
	jw_pre(w);
	ccp_buf_put_ll(w->out, v);
}

void ccp_jw_bool(ccp_jw *w, int v)
{
	jw_pre(w);
	ccp_buf_puts(w->out, v ? "true" : "false");
}

void ccp_jw_null(ccp_jw *w)
{
	jw_pre(w);
	ccp_buf_puts(w->out, "null");
}

void ccp_jw_number(ccp_jw *w, const char *text)
{
	jw_pre(w);
	ccp_buf_puts(w->out, text);
}

void ccp_jw_value(ccp_jw *w, const ccp_json *v)
{
	size_t i;

	if (!v) {
		ccp_jw_null(w);
		return;
	}
	switch (v->type) {
	case CCP_JSON_NULL:
		ccp_jw_null(w);
		break;
	case CCP_JSON_BOOL:
		ccp_jw_bool(w, v->boolean);
		break;
	case CCP_JSON_NUMBER:
		ccp_jw_number(w, v->text);
		break;
	case CCP_JSON_STRING:
		ccp_jw_stringn(w, v->text, v->len);
		break;
	case CCP_JSON_ARRAY:
		ccp_jw_array_begin(w);
		for (i = 0; i < v->count; i++)
			ccp_jw_value(w, v->items[i]);
		ccp_jw_array_end(w);
		break;
	case CCP_JSON_OBJECT:
		ccp_jw_object_begin(w);
		for (i = 0; i < v->count; i++) {
			ccp_jw_key(w, v->keys[i]);
			ccp_jw_value(w, v->items[i]);
		}
		ccp_jw_object_end(w);
		break;
	}
}

char *ccp_json_render(const ccp_json *v, int indent)
{
	ccp_buf b = CCP_BUF_INIT;
	ccp_jw w;

	ccp_jw_init(&w, &b, indent);
	ccp_jw_value(&w, v);
	if (indent)
		ccp_buf_putc(&b, '\n');
	return ccp_buf_detach(&b);
}
