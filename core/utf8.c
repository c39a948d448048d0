/* SPDX-License-Identifier: Apache-2.0 */
#include "utf8.h"

size_t ccp_utf8_seq(const char *s, size_t avail)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char c = u[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		/* reject overlong forms and UTF-16 surrogates */
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		/* reject overlong forms and code points above U+10FFFF */
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (avail < n || u[1] < lo || u[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (u[i] < 0x80 || u[i] > 0xbf)
			return 0;
	return n;
}

unsigned long ccp_utf8_decode(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long cp;
	size_t k;

	if (n <= 1)
		return u[0];
	cp = u[0] & (0xffu >> (n + 1));
	for (k = 1; k < n; k++)
		cp = (cp << 6) | (u[k] & 0x3fu);
	return cp;
}

size_t ccp_utf8_control(const char *s, size_t avail)
{
	const unsigned char *u = (const unsigned char *)s;

	if (avail >= 2 && ((u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) ||
			   (u[0] == 0xd8 && u[1] == 0x9c)))
		return 2;
	if (avail >= 3 && u[0] == 0xe2 &&
	    ((u[1] == 0x80 && (u[2] == 0x8e || u[2] == 0x8f ||
			       (u[2] >= 0xaa && u[2] <= 0xae))) ||
	     (u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9)))
		return 3;
	return 0;
}

int ccp_utf8_is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

size_t ccp_utf8_count(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (!ccp_utf8_is_cont(s[i]))
			n++;
	return n;
}
