/* SPDX-License-Identifier: Apache-2.0 */
#include "ccprov/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void ccp_buf_init(ccp_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->failed = 0;
	b->secret = 0;
}

void ccp_buf_init_secret(ccp_buf *b, size_t max)
{
	ccp_buf_init(b, max);
	b->secret = 1;
}

void ccp_buf_release(ccp_buf *b)
{
	if (b->secret && b->data)
		explicit_bzero(b->data, b->cap);
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = 0;
}

void ccp_buf_clear(ccp_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data)
		b->data[0] = '\0';
}

static size_t buf_max(const ccp_buf *b)
{
	return b->max ? b->max : CCP_BUF_DEFAULT_MAX;
}

static int buf_grow(ccp_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return -1;
	if (extra > buf_max(b) - b->len) {
		b->failed = 1;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (b->secret) {
		/* no copy of a key left behind in freed memory */
		p = malloc(cap);
		if (p && b->data) {
			memcpy(p, b->data, b->len + 1);
			explicit_bzero(b->data, b->cap);
			free(b->data);
		}
	} else {
		p = realloc(b->data, cap);
	}
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int ccp_buf_put(ccp_buf *b, const void *data, size_t len)
{
	if (buf_grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int ccp_buf_puts(ccp_buf *b, const char *s)
{
	return ccp_buf_put(b, s, strlen(s));
}

int ccp_buf_putc(ccp_buf *b, char c)
{
	return ccp_buf_put(b, &c, 1);
}

size_t ccp_buf_format_ll(char out[CCP_BUF_LL_CHARS], long long v)
{
	char digits[CCP_BUF_LL_CHARS];
	unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	size_t n = 0, len = 0;

	do
		digits[n++] = (char)('0' + m % 10);
	while (m /= 10);
	if (v < 0)
		out[len++] = '-';
	while (n)
		out[len++] = digits[--n];
	out[len] = '\0';
	return len;
}

size_t ccp_buf_format_hex(char out[CCP_BUF_HEX_CHARS], unsigned long long v)
{
	static const char hex[] = "0123456789abcdef";
	int shift = 60;
	size_t len = 0;

	while (shift > 0 && !(v >> shift & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		out[len++] = hex[v >> shift & 0xf];
	out[len] = '\0';
	return len;
}

int ccp_buf_put_ll(ccp_buf *b, long long v)
{
	char s[CCP_BUF_LL_CHARS];

	return ccp_buf_put(b, s, ccp_buf_format_ll(s, v));
}

int ccp_buf_vprintf(ccp_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	if (b->failed)
		return -1;
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || buf_grow(b, (size_t)n) < 0) {
		b->failed = 1;
		return -1;
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int ccp_buf_printf(ccp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ccp_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *ccp_buf_cstr(const ccp_buf *b)
{
	return b->data ? b->data : "";
}

int ccp_buf_failed(const ccp_buf *b)
{
	return b->failed;
}

char *ccp_buf_detach(ccp_buf *b)
{
	char *p;

	if (b->failed) {
		ccp_buf_release(b);
		return NULL;
	}
	p = b->data ? b->data : calloc(1, 1);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

void *ccp_buf_alloc_large(size_t bytes)
{
	size_t whole;
	void *p = NULL;

	if (bytes < CCP_BUF_LARGE)
		return malloc(bytes ? bytes : 1);
	if (bytes > SIZE_MAX - CCP_BUF_HUGE_PAGE)
		return NULL;
	/* whole huge pages: the kernel backs only those with a huge page */
	whole = (bytes + CCP_BUF_HUGE_PAGE - 1) & ~(CCP_BUF_HUGE_PAGE - 1);
	if (posix_memalign(&p, CCP_BUF_HUGE_PAGE, whole) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, whole, MADV_HUGEPAGE);
#endif
	return p;
}
