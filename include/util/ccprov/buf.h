/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file buf.h
 * Growable byte buffer with a hard maximum and a sticky failure state.
 *
 * Every output ccprov builds (reports, JSON files, scripts) goes through
 * one of these. Once an append fails (allocation failure or the maximum
 * would be exceeded) the buffer stays failed and later appends are no-ops,
 * so callers check ccp_buf_failed() once at the end.
 */
#ifndef CCPROV_BUF_H
#define CCPROV_BUF_H

#include <stdarg.h>
#include <stddef.h>

/** Default maximum size of a buffer: 256 MiB. */
#define CCP_BUF_DEFAULT_MAX ((size_t)256 * 1024 * 1024)

typedef struct ccp_buf {
	char *data;   /**< NUL-terminated contents (NULL until first append) */
	size_t len;   /**< bytes used, excluding the terminating NUL */
	size_t cap;   /**< bytes allocated */
	size_t max;   /**< hard maximum of len; 0 means CCP_BUF_DEFAULT_MAX */
	int failed;   /**< sticky failure flag */
	int secret;   /**< wipe every allocation it leaves (ccp_buf_init_secret) */
} ccp_buf;

#define CCP_BUF_INIT { NULL, 0, 0, 0, 0, 0 }

/** Initialise a caller-owned buffer with a maximum (0 = default). */
void ccp_buf_init(ccp_buf *b, size_t max);
/**
 * Initialise a buffer that will hold secrets (private keys): growing it
 * copies to a new allocation and wipes the old one instead of leaving it
 * to realloc, and ccp_buf_release() wipes before it frees. A detached
 * buffer is the caller's to wipe.
 */
void ccp_buf_init_secret(ccp_buf *b, size_t max);
/** Free the contents; the struct may be reused after ccp_buf_init(). */
void ccp_buf_release(ccp_buf *b);
/** Forget the contents but keep the allocation. Clears the failure. */
void ccp_buf_clear(ccp_buf *b);

int ccp_buf_put(ccp_buf *b, const void *data, size_t len);
int ccp_buf_puts(ccp_buf *b, const char *s);
int ccp_buf_putc(ccp_buf *b, char c);
int ccp_buf_printf(ccp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ccp_buf_vprintf(ccp_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/** Room for any long long in decimal, its sign and a NUL. */
#define CCP_BUF_LL_CHARS 21
/**
 * v in decimal as printf's "%lld" writes it, NUL-terminated, in out;
 * returns its length. Hot paths use it to stay off printf, a cold part
 * of libc to map at every start (bench/README.md, "Process start").
 */
size_t ccp_buf_format_ll(char out[CCP_BUF_LL_CHARS], long long v);
/** Append v in decimal, as "%lld". */
int ccp_buf_put_ll(ccp_buf *b, long long v);
/** Room for any unsigned long long in hexadecimal and a NUL. */
#define CCP_BUF_HEX_CHARS 17
/** v in lowercase hexadecimal as "%llx" writes it, NUL-terminated; its length. */
size_t ccp_buf_format_hex(char out[CCP_BUF_HEX_CHARS], unsigned long long v);

/** Return the contents (never NULL: "" when empty). */
const char *ccp_buf_cstr(const ccp_buf *b);
/** Non-zero once an append has failed. */
int ccp_buf_failed(const ccp_buf *b);
/**
 * Hand the contents to the caller (caller frees with free()) and
 * reset the buffer. Returns NULL when the buffer failed.
 */
char *ccp_buf_detach(ccp_buf *b);

/** Where ccp_buf_alloc_large starts asking for huge pages. */
#define CCP_BUF_LARGE ((size_t)256 * 1024)
/** The huge page size ccp_buf_alloc_large aligns to. */
#define CCP_BUF_HUGE_PAGE ((size_t)2 * 1024 * 1024)

/**
 * Room for a large buffer that is written through once (a file read
 * whole, an index of every participant): from CCP_BUF_LARGE bytes up it
 * is aligned and rounded to CCP_BUF_HUGE_PAGE with a madvise hint for
 * transparent huge pages, so filling it costs a page fault per 2 MiB
 * instead of one per 4 KiB (dear on virtual machines); below, plain
 * malloc. Not zeroed. Free with free(). NULL when out of memory.
 */
void *ccp_buf_alloc_large(size_t bytes);

#endif
