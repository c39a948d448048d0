/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON objects past the size where they are indexed by key: insertion
 * order, replacement, lookup, duplicate keys when parsing, and clones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccprov/buf.h"
#include "ccprov/json.h"

/* The hand-written "%lld" of the hot paths, against printf's. */
static void test_format_ll(void **state)
{
	static const long long values[] = {
		0, 1, -1, 9, 10, -10, 99, 100, 8002, -8002, 1000000007LL,
		4294967296LL, -4294967296LL, 999999999999999999LL,
		LLONG_MAX, LLONG_MAX - 1, LLONG_MIN, LLONG_MIN + 1,
	};
	ccp_buf b = CCP_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char want[64], got[CCP_BUF_LL_CHARS];
		size_t n = ccp_buf_format_ll(got, values[i]);

		snprintf(want, sizeof(want), "%lld", values[i]);
		assert_string_equal(got, want);
		assert_int_equal(n, strlen(want));
		ccp_buf_clear(&b);
		assert_int_equal(ccp_buf_put_ll(&b, values[i]), 0);
		assert_string_equal(ccp_buf_cstr(&b), want);
	}
	ccp_buf_release(&b);
}

/* The hand-written "%llx", against printf's. */
static void test_format_hex(void **state)
{
	static const unsigned long long values[] = {
		0, 1, 9, 10, 15, 16, 255, 256, 0xabcdef, 0x10000000ULL, 0xfedcba9876543210ULL,
		ULLONG_MAX, ULLONG_MAX - 1, 1ULL << 63, (1ULL << 60) - 1,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char want[64], got[CCP_BUF_HEX_CHARS];
		size_t n = ccp_buf_format_hex(got, values[i]);

		snprintf(want, sizeof(want), "%llx", values[i]);
		assert_string_equal(got, want);
		assert_int_equal(n, strlen(want));
	}
}

static void test_large_object(void **state)
{
	ccp_json *o = ccp_json_new(CCP_JSON_OBJECT), *c;
	char key[32];
	long long v;
	size_t i;

	(void)state;
	assert_non_null(o);
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(ccp_json_set(o, key, ccp_json_new_int((long long)i)), 0);
	}
	/* replacing keeps the position and the count */
	assert_int_equal(ccp_json_set(o, "k17", ccp_json_new_int(-1)), 0);
	assert_int_equal(ccp_json_set(o, "k4999", ccp_json_new_int(-2)), 0);
	assert_int_equal(o->count, 5000);
	assert_string_equal(o->keys[17], "k17");
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(ccp_json_int(ccp_json_get(o, key), &v), 0);
		assert_int_equal(v, i == 17 ? -1 : i == 4999 ? -2 : (long long)i);
		assert_string_equal(o->keys[i], key);
	}
	assert_null(ccp_json_get(o, "k5000"));
	assert_null(ccp_json_get(o, ""));
	c = ccp_json_clone(o);
	assert_non_null(c);
	assert_true(ccp_json_equal(o, c));
	ccp_json_free(c);
	ccp_json_free(o);
}

static void test_parse_duplicates(void **state)
{
	ccp_buf b = CCP_BUF_INIT;
	ccp_json *o = NULL;
	char err[128];
	long long v;
	size_t i;

	(void)state;
	/* 100 keys, then every key again: the last value wins, once each */
	ccp_buf_putc(&b, '{');
	for (i = 0; i < 200; i++)
		ccp_buf_printf(&b, "%s\"k%zu\": %zu", i ? ", " : "", i % 100, i);
	ccp_buf_putc(&b, '}');
	assert_int_equal(ccp_json_parse(&o, ccp_buf_cstr(&b), b.len, err, sizeof(err)), 0);
	assert_int_equal(o->count, 100);
	assert_int_equal(ccp_json_int(ccp_json_get(o, "k42"), &v), 0);
	assert_int_equal(v, 142);
	ccp_json_free(o);
	ccp_buf_release(&b);
}

/* Python's truth values, as NVFlare reads flags with them. */
static void test_truthy(void **state)
{
	static const struct {
		const char *text;
		int truthy;
	} cases[] = {
		{ "null", 0 }, { "false", 0 }, { "true", 1 }, { "0", 0 },
		{ "0.0", 0 }, { "2", 1 }, { "-0.5", 1 }, { "\"\"", 0 },
		{ "\"false\"", 1 }, { "[]", 0 }, { "[0]", 1 }, { "{}", 0 },
		{ "{\"a\": 0}", 1 },
	};
	char err[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ccp_json *v = NULL;

		assert_int_equal(ccp_json_parse(&v, cases[i].text, strlen(cases[i].text),
						err, sizeof(err)), 0);
		if (ccp_json_truthy(v) != cases[i].truthy)
			fail_msg("%s: truth value is not %d", cases[i].text, cases[i].truthy);
		ccp_json_free(v);
	}
}

/* Large buffers come aligned to huge pages and whole; small ones are
 * plain allocations; both are freed with free(). */
static void test_alloc_large(void **state)
{
	unsigned char *small = ccp_buf_alloc_large(100);
	unsigned char *big = ccp_buf_alloc_large(CCP_BUF_LARGE + 1);

	(void)state;
	assert_non_null(small);
	assert_non_null(big);
	assert_int_equal((uintptr_t)big % CCP_BUF_HUGE_PAGE, 0);
	/* writable to the end of what was asked for */
	memset(small, 1, 100);
	memset(big, 2, CCP_BUF_LARGE + 1);
	assert_int_equal(big[CCP_BUF_LARGE], 2);
	free(small);
	free(big);
	assert_null(ccp_buf_alloc_large(SIZE_MAX - 16));
}

/* A secret buffer keeps its contents across growth, like any other. */
static void test_secret_buffer(void **state)
{
	ccp_buf b;
	size_t i;

	(void)state;
	ccp_buf_init_secret(&b, 0);
	assert_int_equal(b.secret, 1);
	for (i = 0; i < 1000; i++)
		assert_int_equal(ccp_buf_printf(&b, "%04zu", i), 0);
	assert_int_equal(b.len, 4000);
	assert_int_equal(strncmp(b.data, "000000010002", 12), 0);
	assert_int_equal(strcmp(b.data + 3996, "0999"), 0);
	ccp_buf_release(&b);
	assert_null(b.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_large_object),
		cmocka_unit_test(test_format_ll),
		cmocka_unit_test(test_format_hex),
		cmocka_unit_test(test_alloc_large),
		cmocka_unit_test(test_secret_buffer),
		cmocka_unit_test(test_parse_duplicates),
		cmocka_unit_test(test_truthy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
