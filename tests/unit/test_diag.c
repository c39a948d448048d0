/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The diagnostic collection: ordering, de-duplication, fingerprints that
 * survive edits elsewhere in a file, related locations, hints, severity
 * from the registry, and the cap on how many findings are kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccprov/diag.h"
#include "ccprov/yaml.h"

static ccp_diag *add_at(ccp_diags *d, const char *rule, const char *file,
			unsigned line, unsigned column, const char *msg)
{
	ccp_diag *g = ccp_diags_add_at(d, rule, CCP_SEV_ERROR, file, line, column,
				       line, column + 1, NULL, "%s", msg);

	assert_non_null(g);
	return g;
}

static void test_sort_and_dedup(void **state)
{
	ccp_diags d;

	(void)state;
	ccp_diags_init(&d);
	add_at(&d, "CCP-S001", "b.yml", 1, 1, "m");
	add_at(&d, "CCP-S003", "a.yml", 10, 2, "m");
	add_at(&d, "CCP-S001", "a.yml", 10, 2, "z");
	add_at(&d, "CCP-S001", "a.yml", 10, 2, "a");
	add_at(&d, "CCP-S001", "a.yml", 2, 30, "m");
	add_at(&d, "CCP-S001", "a.yml", 10, 1, "m");
	add_at(&d, "CCP-S001", "a.yml", 0, 0, "file-level");
	/* exact duplicates: same place, rule and message */
	add_at(&d, "CCP-S003", "a.yml", 10, 2, "m");
	add_at(&d, "CCP-S001", "b.yml", 1, 1, "m");
	assert_int_equal(d.count, 9);

	ccp_diags_finish(&d);
	assert_int_equal(d.count, 7);
	/* file, then line, column, rule, message; file-level first */
	assert_int_equal(d.items[0]->line, 0);
	assert_string_equal(d.items[0]->message, "file-level");
	assert_int_equal(d.items[1]->line, 2);
	assert_int_equal(d.items[2]->line, 10);
	assert_int_equal(d.items[2]->column, 1);
	assert_string_equal(d.items[3]->rule, "CCP-S001");
	assert_string_equal(d.items[3]->message, "a");
	assert_string_equal(d.items[4]->rule, "CCP-S001");
	assert_string_equal(d.items[4]->message, "z");
	assert_string_equal(d.items[5]->rule, "CCP-S003");
	assert_string_equal(d.items[6]->file, "b.yml");

	/* finishing again changes nothing */
	ccp_diags_finish(&d);
	assert_int_equal(d.count, 7);
	ccp_diags_release(&d);
	assert_int_equal(d.count, 0);
	assert_null(d.items);

	/* an empty collection finishes and releases cleanly */
	ccp_diags_init(&d);
	ccp_diags_finish(&d);
	assert_int_equal(d.count, 0);
	ccp_diags_release(&d);
}

/* Load text and report rule at the node path a.b (or a.c). */
static void finding_at(ccp_diags *d, const char *text, const char *map,
		       const char *key, char out[17])
{
	ccp_diags tmp;
	ccp_yaml_set *set;
	ccp_yaml_doc *doc;
	const ccp_node *n;
	ccp_diag *g;

	ccp_diags_init(&tmp);
	set = ccp_yaml_set_new(&tmp);
	assert_non_null(set);
	doc = ccp_yaml_load_mem(set, "cc.yml", text, strlen(text));
	assert_non_null(doc->root);
	n = ccp_node_get(ccp_node_get(doc->root, map), key);
	assert_non_null(n);
	g = ccp_diags_add(d, "CCP-S006", CCP_SEV_ERROR, n, NULL, "value %s", n->value);
	assert_non_null(g);
	assert_int_equal(g->line, n->line);
	assert_int_equal(g->column, n->column);
	assert_int_equal(g->end_line, n->end_line);
	assert_int_equal(g->end_column, n->end_column);
	assert_string_equal(g->file, "cc.yml");
	assert_int_equal(strlen(g->fingerprint), 16);
	memcpy(out, g->fingerprint, 17);
	ccp_yaml_set_free(set);
	ccp_diags_release(&tmp);
}

static void test_fingerprints(void **state)
{
	ccp_diags d;
	char base[17], moved[17], reindented[17], other_value[17], other_path[17];
	ccp_diag *g1, *g2;

	(void)state;
	ccp_diags_init(&d);
	finding_at(&d, "a:\n  b: 70000\n", "a", "b", base);
	/* lines added above and a different layout: same finding */
	finding_at(&d, "# header\n\nz: 1\na:\n  x: 1\n  b: 70000\n", "a", "b", moved);
	finding_at(&d, "a: {b: 70000}\n", "a", "b", reindented);
	/* a different value or a different place: a different finding */
	finding_at(&d, "a:\n  b: 70001\n", "a", "b", other_value);
	finding_at(&d, "a:\n  c: 70000\n", "a", "c", other_path);

	assert_string_equal(base, moved);
	assert_string_equal(base, reindented);
	assert_string_not_equal(base, other_value);
	assert_string_not_equal(base, other_path);
	assert_int_equal(d.items[0]->line, 2);
	assert_int_equal(d.items[1]->line, 6);

	/* the rule and the file are part of the identity */
	g1 = ccp_diags_add_at(&d, "CCP-Y006", CCP_SEV_ERROR, "x.yml", 0, 0, 0, 0,
			      "size", "file is big");
	g2 = ccp_diags_add_at(&d, "CCP-Y006", CCP_SEV_ERROR, "x.yml", 3, 4, 3, 5,
			      "size", "file is bigger");
	assert_string_equal(g1->fingerprint, g2->fingerprint);
	g2 = ccp_diags_add_at(&d, "CCP-Y006", CCP_SEV_ERROR, "y.yml", 0, 0, 0, 0,
			      "size", "file is big");
	assert_string_not_equal(g1->fingerprint, g2->fingerprint);
	g2 = ccp_diags_add_at(&d, "CCP-Y004", CCP_SEV_ERROR, "x.yml", 0, 0, 0, 0,
			      "size", "file is big");
	assert_string_not_equal(g1->fingerprint, g2->fingerprint);
	/* without a key, the message identifies a file-level finding */
	g1 = ccp_diags_add(&d, "CCP-Y009", CCP_SEV_ERROR, NULL, "p.yml", "cannot read 'a'");
	g2 = ccp_diags_add(&d, "CCP-Y009", CCP_SEV_ERROR, NULL, "p.yml", "cannot read 'b'");
	assert_string_equal(g1->file, "p.yml");
	assert_int_equal(g1->line, 0);
	assert_string_not_equal(g1->fingerprint, g2->fingerprint);
	g2 = ccp_diags_add_at(&d, "CCP-Y009", CCP_SEV_ERROR, "p.yml", 0, 0, 0, 0,
			      NULL, "cannot read 'a'");
	assert_string_equal(g1->fingerprint, g2->fingerprint);
	ccp_diags_release(&d);
}

static void test_related_and_hints(void **state)
{
	ccp_diags d;
	ccp_diags tmp;
	ccp_yaml_set *set;
	ccp_yaml_doc *doc;
	ccp_diag *g;
	const ccp_node *first;

	(void)state;
	ccp_diags_init(&d);
	ccp_diags_init(&tmp);
	set = ccp_yaml_set_new(&tmp);
	doc = ccp_yaml_load_mem(set, "p.yml", "x: 1\ny: 2\n", 10);
	first = ccp_node_get_key(doc->root, "y");

	g = add_at(&d, "CCP-Y002", "p.yml", 3, 1, "duplicate key 'y'");
	assert_null(g->hint);
	assert_int_equal(g->nrelated, 0);
	ccp_diag_set_hint(g, "remove %s", "one");
	ccp_diag_set_hint(g, "remove %d of them", 1);
	assert_string_equal(g->hint, "remove 1 of them");
	ccp_diag_add_related(g, first, "'%s' first defined here", "y");
	ccp_diag_add_related_at(g, "other.yml", 7, 3, "also %s", "here");
	ccp_diag_add_related(g, NULL, "ignored");
	assert_int_equal(g->nrelated, 2);
	assert_string_equal(g->related[0].file, "p.yml");
	assert_int_equal(g->related[0].line, 2);
	assert_int_equal(g->related[0].column, 1);
	assert_string_equal(g->related[0].message, "'y' first defined here");
	assert_string_equal(g->related[1].file, "other.yml");
	assert_int_equal(g->related[1].line, 7);
	assert_int_equal(g->related[1].column, 3);
	assert_string_equal(g->related[1].message, "also here");

	/* a finding that could not be recorded takes hints and related as no-ops */
	ccp_diag_set_hint(NULL, "x");
	ccp_diag_add_related(NULL, first, "x");
	ccp_diag_add_related_at(NULL, "f", 1, 1, "x");

	ccp_yaml_set_free(set);
	ccp_diags_release(&tmp);
	ccp_diags_release(&d);
}

static int fake_registry(const char *rule, ccp_severity *out)
{
	if (strcmp(rule, "CCP-Y012") == 0) {
		*out = CCP_SEV_WARNING;
		return 0;
	}
	if (strcmp(rule, "CCP-S002") == 0) {
		*out = CCP_SEV_NOTE;
		return 0;
	}
	return -1;
}

static void test_severity(void **state)
{
	ccp_diags d;
	ccp_diag *g;
	ccp_severity s;

	(void)state;
	ccp_diags_init(&d);
	/* without a registry the caller's severity stands */
	g = ccp_diags_add_at(&d, "CCP-Y012", CCP_SEV_ERROR, "f", 1, 1, 1, 2, NULL, "m");
	assert_int_equal(g->severity, CCP_SEV_ERROR);

	d.severity_of = fake_registry;
	g = ccp_diags_add_at(&d, "CCP-Y012", CCP_SEV_ERROR, "f", 1, 1, 1, 2, NULL, "m");
	assert_int_equal(g->severity, CCP_SEV_WARNING);
	g = ccp_diags_add(&d, "CCP-S002", CCP_SEV_ERROR, NULL, "f", "m");
	assert_int_equal(g->severity, CCP_SEV_NOTE);
	/* a rule the registry does not know keeps the given severity */
	g = ccp_diags_add(&d, "CCP-X999", CCP_SEV_WARNING, NULL, "f", "m");
	assert_int_equal(g->severity, CCP_SEV_WARNING);

	assert_int_equal(ccp_diags_count(&d, CCP_SEV_ERROR), 1);
	assert_int_equal(ccp_diags_count(&d, CCP_SEV_WARNING), 2);
	assert_int_equal(ccp_diags_count(&d, CCP_SEV_NOTE), 1);

	assert_string_equal(ccp_severity_name(CCP_SEV_ERROR), "error");
	assert_string_equal(ccp_severity_name(CCP_SEV_WARNING), "warning");
	assert_string_equal(ccp_severity_name(CCP_SEV_NOTE), "note");
	assert_int_equal(ccp_severity_parse("warning", &s), 0);
	assert_int_equal(s, CCP_SEV_WARNING);
	assert_int_equal(ccp_severity_parse("note", &s), 0);
	assert_int_equal(s, CCP_SEV_NOTE);
	assert_int_equal(ccp_severity_parse("error", &s), 0);
	assert_int_equal(s, CCP_SEV_ERROR);
	assert_int_equal(ccp_severity_parse("Error", &s), -1);
	assert_int_equal(ccp_severity_parse("", &s), -1);
	ccp_diags_release(&d);
}

static void test_max_and_dropped(void **state)
{
	ccp_diags d;
	unsigned i;

	(void)state;
	ccp_diags_init(&d);
	d.max = 3;
	for (i = 1; i <= 5; i++) {
		ccp_diag *g = ccp_diags_add_at(&d, "CCP-S001", CCP_SEV_ERROR, "f", i, 1,
					       i, 2, NULL, "finding %u", i);

		if (i <= 3)
			assert_non_null(g);
		else
			assert_null(g);
	}
	assert_int_equal(d.count, 3);
	assert_int_equal(d.dropped, 2);
	assert_int_equal(d.failed, 0);
	assert_string_equal(d.items[2]->message, "finding 3");
	ccp_diags_release(&d);

	/* the default cap is large: 1000 findings are all kept */
	ccp_diags_init(&d);
	for (i = 0; i < 1000; i++)
		add_at(&d, "CCP-S001", "f", i + 1, 1, "m");
	assert_int_equal(d.count, 1000);
	assert_int_equal(d.dropped, 0);
	ccp_diags_release(&d);
}

/* Long messages are kept whole: no fixed-size buffer in between. */
static void test_long_message(void **state)
{
	ccp_diags d;
	char *big = malloc(10001);
	ccp_diag *g;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', 10000);
	big[10000] = '\0';
	ccp_diags_init(&d);
	g = ccp_diags_add(&d, "CCP-S001", CCP_SEV_ERROR, NULL, "f", "unknown key '%s'", big);
	assert_non_null(g);
	assert_int_equal(strlen(g->message), 10000 + strlen("unknown key ''"));
	ccp_diags_release(&d);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_and_dedup),
		cmocka_unit_test(test_fingerprints),
		cmocka_unit_test(test_related_and_hints),
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_max_and_dropped),
		cmocka_unit_test(test_long_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
