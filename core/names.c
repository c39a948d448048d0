/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The name check shared by lint and provision (see names.h). Names are
 * held to printable ASCII: NVFlare's own patterns are ASCII, and outside
 * it lie the characters that look like something they are not
 * (bidirectional overrides, zero-width joiners, C1 controls).
 */
#include <arpa/inet.h>
#include <string.h>

#include "ccprov/names.h"
#include "utf8.h"

ccp_name_fault ccp_name_check(const char *s, size_t len, size_t max,
			      size_t *at)
{
	size_t i;

	if (at)
		*at = 0;
	if (!s || !len)
		return CCP_NAME_EMPTY;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		ccp_name_fault f = CCP_NAME_OK;

		if (c == 0)
			f = CCP_NAME_NUL;
		else if (c < 0x20 || c == 0x7f)
			f = CCP_NAME_CONTROL;
		else if (c >= 0x80)
			f = CCP_NAME_NON_ASCII;
		else if (c == '/' || c == '\\')
			f = CCP_NAME_SEPARATOR;
		else if (c == '"' || c == '\'' || c == '`' || c == '$')
			f = CCP_NAME_QUOTE;
		else if (c == '.' && (i == 0 || (i + 1 < len && s[i + 1] == '.')))
			f = CCP_NAME_DOTS;
		if (f != CCP_NAME_OK) {
			if (at)
				*at = i;
			return f;
		}
	}
	if (len > max) {
		if (at)
			*at = len;
		return CCP_NAME_TOO_LONG;
	}
	return CCP_NAME_OK;
}

const char *ccp_name_fault_text(ccp_name_fault fault)
{
	static const char *const text[] = {
		[CCP_NAME_OK] = "nothing wrong",
		[CCP_NAME_EMPTY] = "nothing",
		[CCP_NAME_NUL] = "a NUL character",
		[CCP_NAME_CONTROL] = "a control character",
		[CCP_NAME_NON_ASCII] = "a character that is not ASCII",
		[CCP_NAME_SEPARATOR] = "a path separator",
		[CCP_NAME_DOTS] = "'..' or a leading '.'",
		[CCP_NAME_QUOTE] = "a quote or '$'",
		[CCP_NAME_TOO_LONG] = "too many characters",
	};

	return (size_t)fault < sizeof(text) / sizeof(text[0]) ? text[fault] : "?";
}

unsigned long ccp_name_codepoint(const char *s, size_t len)
{
	size_t n;

	if (!len)
		return 0;
	n = ccp_utf8_seq(s, len);
	return ccp_utf8_decode(s, n ? n : 1);
}

/* ---- name policies (NVFlare's checks and ccprov's own) ---- */

static int fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int ccp_name_ncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	size_t i;

	for (i = 0; i < n; i++) {
		int d = fold(x[i]) - fold(y[i]);

		if (d || !x[i])
			return d;
	}
	return 0;
}

int ccp_name_casecmp(const char *a, const char *b)
{
	return ccp_name_ncasecmp(a, b, (size_t)-1);
}

int ccp_name_is_ip(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int ccp_name_is_hostname(const char *s)
{
	size_t len = strlen(s), label = 0, i;

	if (!len || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			if (!label || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-'))
			return 0;
		if (c == '-' && label == 0)
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0 && s[len - 1] != '-';
}

static int all_of(const char *s, const char *extra)
{
	if (!*s)
		return 0;
	for (; *s; s++) {
		char c = *s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(extra, c))
			continue;
		return 0;
	}
	return 1;
}

int ccp_name_is_client(const char *s)
{
	return all_of(s, "_-");
}

int ccp_name_is_org(const char *s)
{
	return all_of(s, "_");
}

int ccp_name_is_email(const char *s)
{
	const char *at = strchr(s, '@');
	const char *dot;
	char local[256];
	size_t n;

	if (!at || strchr(at + 1, '@') || at == s)
		return 0;
	n = (size_t)(at - s);
	if (n >= sizeof(local))
		return 0;
	memcpy(local, s, n);
	local[n] = '\0';
	if (!all_of(local, "._%+-"))
		return 0;
	dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || strlen(dot + 1) < 2)
		return 0;
	return ccp_name_is_hostname(at + 1);
}
