/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The array growth helper (array.h): capacities, contents kept, a no-op
 * when there is room, and refusals that leave the array untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "array.h"

typedef struct pair {
	long a, b;
} pair;

static void test_push(void **state)
{
	pair *items = NULL;
	size_t cap = 0, n, i;

	(void)state;
	for (n = 0; n < 1000; n++) {
		assert_int_equal(ccp_grow(&items, &cap, n + 1, sizeof(*items)), 0);
		assert_true(cap >= n + 1);
		/* doubling: never more than twice what is needed, past the first */
		assert_true(cap <= 8 || cap < 2 * (n + 1));
		items[n].a = (long)n;
		items[n].b = -(long)n;
	}
	for (i = 0; i < n; i++) {
		assert_int_equal(items[i].a, (long)i);
		assert_int_equal(items[i].b, -(long)i);
	}
	free(items);
}

static void test_first_and_jump(void **state)
{
	char **items = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(ccp_grow(&items, &cap, 1, sizeof(*items)), 0);
	assert_int_equal(cap, 8);
	/* a need far above the capacity is met at once */
	assert_int_equal(ccp_grow(&items, &cap, 100, sizeof(*items)), 0);
	assert_int_equal(cap, 128);
	free(items);
}

static void test_room(void **state)
{
	int *items = NULL, *before;
	size_t cap = 0;

	(void)state;
	/* nothing needed: no allocation */
	assert_int_equal(ccp_grow(&items, &cap, 0, sizeof(*items)), 0);
	assert_null(items);
	assert_int_equal(cap, 0);
	assert_int_equal(ccp_grow(&items, &cap, 5, sizeof(*items)), 0);
	before = items;
	assert_int_equal(ccp_grow(&items, &cap, 8, sizeof(*items)), 0);
	assert_ptr_equal(items, before);
	assert_int_equal(cap, 8);
	free(items);
}

static void test_overflow(void **state)
{
	pair *items = NULL, *before;
	size_t cap = 0;

	(void)state;
	assert_int_equal(ccp_grow(&items, &cap, 3, sizeof(*items)), 0);
	before = items;
	items[2].a = 42;
	/* need * elem does not fit in size_t: refused, nothing changed */
	assert_int_equal(ccp_grow(&items, &cap, SIZE_MAX / sizeof(*items) + 1,
				  sizeof(*items)), -1);
	assert_int_equal(ccp_grow(&items, &cap, SIZE_MAX, sizeof(*items)), -1);
	assert_ptr_equal(items, before);
	assert_int_equal(cap, 8);
	assert_int_equal(items[2].a, 42);
	/* elements of no size cannot be counted */
	assert_int_equal(ccp_grow(&items, &cap, 9, 0), -1);
	assert_int_equal(cap, 8);
	free(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push),
		cmocka_unit_test(test_first_and_jump),
		cmocka_unit_test(test_room),
		cmocka_unit_test(test_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
