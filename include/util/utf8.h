/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UTF-8 as ccprov reads it: well-formed sequences only (no overlong
 * form, no UTF-16 surrogate, nothing above U+10FFFF), and the
 * characters a terminal acts on instead of showing.
 */
#ifndef CCPROV_UTF8_H
#define CCPROV_UTF8_H

#include <stddef.h>

/*
 * Length of the character at s, avail (at least 1) bytes left: 1 for an
 * ASCII byte (NUL included), 2 to 4 for a well-formed sequence, 0 when
 * the bytes there are not UTF-8 or the sequence is cut short.
 */
size_t ccp_utf8_seq(const char *s, size_t avail);

/* The code point of the n-byte character at s that ccp_utf8_seq()
 * measured (n 1 to 4). */
unsigned long ccp_utf8_decode(const char *s, size_t n);

/*
 * Length of the character at s (avail bytes left) when a terminal acts
 * on it rather than showing it: a C1 control (U+0080..U+009F, CSI among
 * them) or a bidirectional control that reorders the line around it
 * (U+061C, U+200E..200F, U+202A..202E, U+2066..2069). 0 otherwise.
 */
size_t ccp_utf8_control(const char *s, size_t avail);

/* Whether byte c continues a multi-byte sequence (10xxxxxx). */
int ccp_utf8_is_cont(char c);

/* Characters in len bytes of s: the bytes that do not continue one. */
size_t ccp_utf8_count(const char *s, size_t len);

#endif
