/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The name check lint and provision share (names.h): every fault, its
 * position, the length bound, and that provision's check agrees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <strings.h>

#include "ccprov/names.h"
#include "prov_int.h"

static void test_faults(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		ccp_name_fault fault;
		size_t at;
	} cases[] = {
		{ "site-1", 6, CCP_NAME_OK, 0 },
		{ "a.b_c-d@e", 9, CCP_NAME_OK, 0 },
		{ "", 0, CCP_NAME_EMPTY, 0 },
		{ "ab\0cd", 5, CCP_NAME_NUL, 2 },
		{ "a\nb", 3, CCP_NAME_CONTROL, 1 },
		{ "a\x1b[31m", 6, CCP_NAME_CONTROL, 1 },
		{ "a\x7f", 2, CCP_NAME_CONTROL, 1 },
		{ "ab\xc2\x9b", 4, CCP_NAME_NON_ASCII, 2 },        /* C1 CSI */
		{ "a\xe2\x80\xae" "b", 5, CCP_NAME_NON_ASCII, 1 }, /* RLO */
		{ "a\xe2\x80\x8b" "b", 5, CCP_NAME_NON_ASCII, 1 }, /* ZWSP */
		{ "caf\xc3\xa9", 5, CCP_NAME_NON_ASCII, 3 },
		{ "a/b", 3, CCP_NAME_SEPARATOR, 1 },
		{ "a\\b", 3, CCP_NAME_SEPARATOR, 1 },
		{ "../x", 4, CCP_NAME_DOTS, 0 },
		{ "a..b", 4, CCP_NAME_DOTS, 1 },
		{ ".hidden", 7, CCP_NAME_DOTS, 0 },
		{ "a\"b", 3, CCP_NAME_QUOTE, 1 },
		{ "a$b", 3, CCP_NAME_QUOTE, 1 },
		{ "a`b", 3, CCP_NAME_QUOTE, 1 },
		{ "a'b", 3, CCP_NAME_QUOTE, 1 },
	};
	size_t i, at;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ccp_name_fault f = ccp_name_check(cases[i].s, cases[i].len,
						  CCP_NAME_MAX_FILE, &at);

		if (f != cases[i].fault || at != cases[i].at)
			fail_msg("case %zu: fault %d at %zu, want %d at %zu", i, f, at,
				 cases[i].fault, cases[i].at);
		assert_non_null(ccp_name_fault_text(f));
		/* provision refuses exactly what the check refuses */
		if (cases[i].len == strlen(cases[i].s))
			assert_int_equal(ccp_prov_name_ok(cases[i].s), f == CCP_NAME_OK);
	}
}

static void test_length(void **state)
{
	char s[300];
	size_t at;

	(void)state;
	memset(s, 'a', sizeof(s));
	s[sizeof(s) - 1] = '\0';
	assert_int_equal(ccp_name_check(s, 64, CCP_NAME_MAX_CERT, &at), CCP_NAME_OK);
	assert_int_equal(ccp_name_check(s, 65, CCP_NAME_MAX_CERT, &at), CCP_NAME_TOO_LONG);
	assert_int_equal(at, 65);
	assert_int_equal(ccp_name_check(s, 299, CCP_NAME_ANY_LENGTH, &at), CCP_NAME_OK);
	s[256] = '\0';
	assert_false(ccp_prov_name_ok(s));
	s[255] = '\0';
	assert_true(ccp_prov_name_ok(s));
}

static void test_codepoint(void **state)
{
	(void)state;
	assert_int_equal(ccp_name_codepoint("\xe2\x80\xae", 3), 0x202E);
	assert_int_equal(ccp_name_codepoint("\xc3\xa9", 2), 0xE9);
	assert_int_equal(ccp_name_codepoint("\xf0\x9f\x94\x92", 4), 0x1F512);
	/* cut short or not UTF-8: the byte itself */
	assert_int_equal(ccp_name_codepoint("\xe2\x80", 2), 0xE2);
	assert_int_equal(ccp_name_codepoint("\xff", 1), 0xFF);
}

/* The ASCII case folding of names, against the C locale's strcasecmp. */
static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_casecmp(void **state)
{
	static const char *const words[] = {
		"", "a", "A", "b", "Z", "z", "[", "`", "@", "site-1", "SITE-1", "Site-10",
		"site-1\x80", "site-1\xc0", "CCP-N001", "ccp-n001", "ccp", "nvflare.lighter",
		"NVFLARE.Lighter.x", "\xff", "\x7f", "_", "^",
	};
	size_t i, j, n = sizeof(words) / sizeof(words[0]);
	int a, b;

	(void)state;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			assert_int_equal(sign(ccp_name_casecmp(words[i], words[j])),
					 sign(strcasecmp(words[i], words[j])));
			assert_int_equal(sign(ccp_name_ncasecmp(words[i], words[j], 3)),
					 sign(strncasecmp(words[i], words[j], 3)));
		}
	for (a = 1; a < 256; a++)
		for (b = 1; b < 256; b++) {
			char x[2] = { (char)a, 0 }, y[2] = { (char)b, 0 };

			assert_int_equal(sign(ccp_name_casecmp(x, y)), sign(strcasecmp(x, y)));
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_casecmp),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_codepoint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
