/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The UTF-8 helpers (utf8.h): which sequences are well-formed, their
 * code points, the characters a terminal acts on, and counting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "utf8.h"

static void test_seq(void **state)
{
	static const struct {
		const char *s;
		size_t avail, want;
	} cases[] = {
		{ "a", 1, 1 },
		{ "", 1, 1 },                      /* NUL is ASCII */
		{ "\x7f", 1, 1 },
		{ "\xc2\x80", 2, 2 },              /* U+0080, the first of two bytes */
		{ "\xdf\xbf", 2, 2 },
		{ "\xe0\xa0\x80", 3, 3 },          /* U+0800 */
		{ "\xef\xbf\xbf", 3, 3 },
		{ "\xf0\x90\x80\x80", 4, 4 },      /* U+10000 */
		{ "\xf4\x8f\xbf\xbf", 4, 4 },      /* U+10FFFF, the last */
		{ "\xc0\xaf", 2, 0 },              /* overlong '/' */
		{ "\xc1\xbf", 2, 0 },
		{ "\xe0\x9f\xbf", 3, 0 },          /* overlong in three bytes */
		{ "\xf0\x8f\xbf\xbf", 4, 0 },      /* overlong in four */
		{ "\xed\xa0\x80", 3, 0 },          /* surrogate U+D800 */
		{ "\xed\x9f\xbf", 3, 3 },          /* U+D7FF just below */
		{ "\xf4\x90\x80\x80", 4, 0 },      /* above U+10FFFF */
		{ "\xf5\x80\x80\x80", 4, 0 },
		{ "\xff", 1, 0 },
		{ "\x80", 1, 0 },                  /* a lone continuation byte */
		{ "\xe2\x82\xac", 2, 0 },          /* cut short by avail */
		{ "\xe2\x82" "a", 3, 0 },          /* cut short by an ASCII byte */
		{ "\xf0\x9f\x94", 4, 0 },          /* ... or by the end (NUL) */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t got = ccp_utf8_seq(cases[i].s, cases[i].avail);

		if (got != cases[i].want)
			fail_msg("case %zu: %zu, want %zu", i, got, cases[i].want);
	}
}

static void test_decode(void **state)
{
	(void)state;
	assert_int_equal(ccp_utf8_decode("A", 1), 0x41);
	assert_int_equal(ccp_utf8_decode("\xff", 1), 0xff);
	assert_int_equal(ccp_utf8_decode("\xc3\xa9", 2), 0xe9);
	assert_int_equal(ccp_utf8_decode("\xe2\x80\xae", 3), 0x202e);
	assert_int_equal(ccp_utf8_decode("\xef\xbf\xbd", 3), 0xfffd);
	assert_int_equal(ccp_utf8_decode("\xf0\x9f\x94\x92", 4), 0x1f512);
	assert_int_equal(ccp_utf8_decode("\xf4\x8f\xbf\xbf", 4), 0x10ffff);
}

static void test_control(void **state)
{
	(void)state;
	/* C1: U+0080 .. U+009F (0x9b is CSI) */
	assert_int_equal(ccp_utf8_control("\xc2\x80", 2), 2);
	assert_int_equal(ccp_utf8_control("\xc2\x9b[31m", 6), 2);
	assert_int_equal(ccp_utf8_control("\xc2\x9f", 2), 2);
	assert_int_equal(ccp_utf8_control("\xc2\xa0", 2), 0);   /* NBSP shows */
	/* bidi: U+061C, U+200E/F, U+202A..202E, U+2066..2069 */
	assert_int_equal(ccp_utf8_control("\xd8\x9c", 2), 2);
	assert_int_equal(ccp_utf8_control("\xe2\x80\x8e", 3), 3);
	assert_int_equal(ccp_utf8_control("\xe2\x80\x8f", 3), 3);
	assert_int_equal(ccp_utf8_control("\xe2\x80\xaa", 3), 3);
	assert_int_equal(ccp_utf8_control("\xe2\x80\xae", 3), 3);
	assert_int_equal(ccp_utf8_control("\xe2\x81\xa6", 3), 3);
	assert_int_equal(ccp_utf8_control("\xe2\x81\xa9", 3), 3);
	/* neighbours that are ordinary characters */
	assert_int_equal(ccp_utf8_control("\xe2\x80\x8d", 3), 0);   /* ZWJ */
	assert_int_equal(ccp_utf8_control("\xe2\x80\xaf", 3), 0);
	assert_int_equal(ccp_utf8_control("\xe2\x81\xaa", 3), 0);
	assert_int_equal(ccp_utf8_control("\xe2\x82\xac", 3), 0);   /* euro */
	/* a control cut short is not one */
	assert_int_equal(ccp_utf8_control("\xe2\x80\xae", 2), 0);
	assert_int_equal(ccp_utf8_control("\xc2\x9b", 1), 0);
	assert_int_equal(ccp_utf8_control("\x1b", 1), 0);   /* C0 is ASCII's */
}

static void test_count(void **state)
{
	const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x92";

	(void)state;
	assert_int_equal(ccp_utf8_count(s, strlen(s)), 4);
	assert_int_equal(ccp_utf8_count(s, 0), 0);
	/* a cut inside a character counts the character once */
	assert_int_equal(ccp_utf8_count(s, 2), 2);
	assert_int_equal(ccp_utf8_count(s, 3), 2);
	/* stray continuation bytes are not characters */
	assert_int_equal(ccp_utf8_count("\x80\x80", 2), 0);
	assert_true(ccp_utf8_is_cont('\x80'));
	assert_true(ccp_utf8_is_cont('\xbf'));
	assert_false(ccp_utf8_is_cont('\xc0'));
	assert_false(ccp_utf8_is_cont('a'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
