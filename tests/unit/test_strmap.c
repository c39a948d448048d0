/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The string map (strmap.h): insert-once and replace, case-folded keys,
 * borrowed keys, growth past many rehashes, and a missing or NULL key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "strmap.h"

static void test_put_set(void **state)
{
	ccp_strmap m;
	int one = 1, two = 2;

	(void)state;
	ccp_strmap_init(&m, 0);
	assert_null(ccp_strmap_get(&m, "a"));
	assert_null(ccp_strmap_put(&m, "a", &one));
	/* put keeps the first value and says what it is */
	assert_ptr_equal(ccp_strmap_put(&m, "a", &two), &one);
	assert_ptr_equal(ccp_strmap_get(&m, "a"), &one);
	assert_int_equal(m.count, 1);
	/* set replaces it without a second entry */
	assert_int_equal(ccp_strmap_set(&m, "a", &two), 0);
	assert_ptr_equal(ccp_strmap_get(&m, "a"), &two);
	assert_int_equal(m.count, 1);
	/* keys are case-sensitive unless asked */
	assert_null(ccp_strmap_get(&m, "A"));
	/* the empty string is a key like any other */
	assert_null(ccp_strmap_put(&m, "", &one));
	assert_ptr_equal(ccp_strmap_get(&m, ""), &one);
	/* a NULL key is never stored or found */
	assert_null(ccp_strmap_put(&m, NULL, &one));
	assert_int_equal(ccp_strmap_set(&m, NULL, &one), -1);
	assert_null(ccp_strmap_get(&m, NULL));
	assert_int_equal(m.count, 2);
	assert_false(m.failed);
	ccp_strmap_release(&m);
	assert_null(m.slots);
	assert_int_equal(m.count, 0);
}

static void test_nocase(void **state)
{
	ccp_strmap m;
	int v = 1;

	(void)state;
	ccp_strmap_init(&m, 1);
	assert_null(ccp_strmap_put(&m, "Server.Example.COM", &v));
	assert_ptr_equal(ccp_strmap_get(&m, "server.example.com"), &v);
	assert_ptr_equal(ccp_strmap_put(&m, "SERVER.example.com", &v), &v);
	assert_int_equal(m.count, 1);
	/* only ASCII letters fold */
	assert_null(ccp_strmap_get(&m, "server-example.com"));
	ccp_strmap_release(&m);
}

static void test_many(void **state)
{
	enum { N = 5000 };
	static char keys[N][16];
	ccp_strmap m;
	size_t i;

	(void)state;
	ccp_strmap_init(&m, 0);
	/* the map borrows keys: they live in keys[] */
	for (i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
		assert_null(ccp_strmap_put(&m, keys[i], keys[i]));
	}
	assert_int_equal(m.count, N);
	/* never more than half full, so probing ends */
	assert_true(m.cap >= 2 * m.count);
	for (i = 0; i < N; i++) {
		char probe[16];

		snprintf(probe, sizeof(probe), "k%zu", i);
		assert_ptr_equal(ccp_strmap_get(&m, probe), keys[i]);
	}
	assert_null(ccp_strmap_get(&m, "k5000"));
	ccp_strmap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_set),
		cmocka_unit_test(test_nocase),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
