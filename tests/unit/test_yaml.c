/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The positioned YAML loader: scalar resolution against PyYAML's
 * safe_load (what NVFlare reads with), node positions, aliases, merge
 * keys, duplicate keys, include: resolution, and every input bound at
 * its edge.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccprov/buf.h"
#include "ccprov/diag.h"
#include "ccprov/yaml.h"

/* ---- helpers ---- */

typedef struct fx {
	ccp_diags diags;
	ccp_yaml_set *set;
	ccp_yaml_doc *doc;
} fx;

static void fx_init(fx *f)
{
	ccp_diags_init(&f->diags);
	f->set = ccp_yaml_set_new(&f->diags);
	assert_non_null(f->set);
	f->doc = NULL;
}

static void fx_release(fx *f)
{
	ccp_yaml_set_free(f->set);
	ccp_diags_release(&f->diags);
}

/* Load text from memory; returns the root (NULL when unusable). */
static const ccp_node *fx_load(fx *f, const char *text)
{
	f->doc = ccp_yaml_load_mem(f->set, "t.yml", text, strlen(text));
	assert_non_null(f->doc);
	return f->doc->root;
}

static size_t count_rule(const ccp_diags *d, const char *rule)
{
	size_t i, n = 0;

	for (i = 0; i < d->count; i++)
		if (strcmp(d->items[i]->rule, rule) == 0)
			n++;
	return n;
}

/* The only diagnostic, which must be of rule. */
static const ccp_diag *only(const ccp_diags *d, const char *rule)
{
	size_t i;

	if (d->count != 1) {
		for (i = 0; i < d->count; i++)
			print_message("  %s %u:%u %s\n", d->items[i]->rule,
				      d->items[i]->line, d->items[i]->column,
				      d->items[i]->message);
		fail_msg("expected exactly one %s, got %zu diagnostics", rule, d->count);
	}
	assert_string_equal(d->items[0]->rule, rule);
	return d->items[0];
}

static const ccp_node *at_path(const ccp_node *root, const char *a,
			       const char *b)
{
	const ccp_node *n = ccp_node_get(root, a);

	assert_non_null(n);
	if (b) {
		n = ccp_node_get(n, b);
		assert_non_null(n);
	}
	return n;
}

static char *repeat(const char *unit, size_t n)
{
	ccp_buf b = CCP_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		ccp_buf_puts(&b, unit);
	assert_false(ccp_buf_failed(&b));
	return ccp_buf_detach(&b);
}

/* ---- scalar resolution ---- */

/* Expected types are what PyYAML 6 safe_load gives for "a: TEXT". */
static void test_resolve_like_pyyaml(void **state)
{
	static const struct {
		const char *text;
		ccp_scalar_type type;
	} cases[] = {
		/* booleans: YAML 1.1 words, in three spellings each */
		{ "yes", CCP_SCALAR_BOOL }, { "Yes", CCP_SCALAR_BOOL },
		{ "YES", CCP_SCALAR_BOOL }, { "no", CCP_SCALAR_BOOL },
		{ "NO", CCP_SCALAR_BOOL }, { "on", CCP_SCALAR_BOOL },
		{ "On", CCP_SCALAR_BOOL }, { "off", CCP_SCALAR_BOOL },
		{ "OFF", CCP_SCALAR_BOOL }, { "true", CCP_SCALAR_BOOL },
		{ "False", CCP_SCALAR_BOOL },
		{ "FALSE", CCP_SCALAR_BOOL }, { "falsey", CCP_SCALAR_STR },
		{ "nulls", CCP_SCALAR_STR }, { "+.INF", CCP_SCALAR_FLOAT },
		{ "y", CCP_SCALAR_STR }, { "n", CCP_SCALAR_STR },
		{ "Y", CCP_SCALAR_STR }, { "yEs", CCP_SCALAR_STR },
		/* integers: 0x, 0b, leading-zero octal, '_' separators */
		{ "0", CCP_SCALAR_INT }, { "-0", CCP_SCALAR_INT },
		{ "+12", CCP_SCALAR_INT }, { "8002", CCP_SCALAR_INT },
		{ "1_000", CCP_SCALAR_INT }, { "1__", CCP_SCALAR_INT },
		{ "0x1F", CCP_SCALAR_INT }, { "0x_1f", CCP_SCALAR_INT },
		{ "-0x1F", CCP_SCALAR_INT }, { "017", CCP_SCALAR_INT },
		{ "0b101", CCP_SCALAR_INT },
		/* YAML 1.2's 0o is not YAML 1.1: PyYAML keeps it a string */
		{ "0o17", CCP_SCALAR_STR }, { "09", CCP_SCALAR_STR },
		{ "0b", CCP_SCALAR_STR }, { "0x", CCP_SCALAR_STR },
		{ "_1", CCP_SCALAR_STR }, { "+", CCP_SCALAR_STR },
		/* floats: a dot is required, an exponent needs a sign */
		{ "1.5", CCP_SCALAR_FLOAT }, { "1.", CCP_SCALAR_FLOAT },
		{ ".5", CCP_SCALAR_FLOAT }, { "1.5e+3", CCP_SCALAR_FLOAT },
		{ "1.5E-3", CCP_SCALAR_FLOAT }, { "+.inf", CCP_SCALAR_FLOAT },
		{ "-.Inf", CCP_SCALAR_FLOAT }, { ".NaN", CCP_SCALAR_FLOAT },
		{ ".nan", CCP_SCALAR_FLOAT },
		{ "1e3", CCP_SCALAR_STR }, { "1.5e3", CCP_SCALAR_STR },
		{ "-.nan", CCP_SCALAR_STR }, { "-.5", CCP_SCALAR_STR },
		{ ".", CCP_SCALAR_STR }, { "1.2.3", CCP_SCALAR_STR },
		{ "0.0.0.0", CCP_SCALAR_STR }, { "8002:8002", CCP_SCALAR_STR },
		/* nulls */
		{ "~", CCP_SCALAR_NULL }, { "null", CCP_SCALAR_NULL },
		{ "Null", CCP_SCALAR_NULL }, { "NULL", CCP_SCALAR_NULL },
		{ "", CCP_SCALAR_NULL }, { "nUll", CCP_SCALAR_STR },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ccp_scalar_type t = ccp_yaml_resolve(cases[i].text,
						     strlen(cases[i].text));

		if (t != cases[i].type)
			fail_msg("'%s' resolved to %d, PyYAML gives %d", cases[i].text,
				 (int)t, (int)cases[i].type);
	}
}

/*
 * ccp_node_int reads digits by hand; this is what it replaced: the
 * sign and base prefix taken off, '_' dropped, the rest to strtoll.
 */
static int int_by_strtoll(const char *value, long long *out)
{
	char digits[128], *end;
	const char *s = value;
	size_t i, o = 0;
	int base = 10, neg = 0;
	long long v;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] == 'b') {
		base = 2;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s += 1;
	}
	for (i = 0; s[i] && o + 1 < sizeof(digits); i++)
		if (s[i] != '_')
			digits[o++] = s[i];
	digits[o] = '\0';
	if (s[i])
		return -1;
	errno = 0;
	v = strtoll(digits, &end, base);
	if (errno || *end || !o || (neg && v == LLONG_MIN))
		return -1;
	*out = neg ? -v : v;
	return 0;
}

static void test_int_like_strtoll(void **state)
{
	static const char *const values[] = {
		"0", "7", "-7", "+7", "1_000", "0x1F", "0x1f", "-0x1F", "0X1F", "017",
		"0b101", "-0b101", "0b", "0x", "08", "0_", "_", "-", "+", "",
		"9223372036854775807", "9223372036854775808", "-9223372036854775807",
		"-9223372036854775808", "0x7fffffffffffffff", "0x8000000000000000",
		"0777777777777777777777", "01777777777777777777777", "0b111", "0b2",
		" 12", "\t12", "- 5", "+-5", "--5", "0x-5", "0x+5", "0x0x5", "0x 5",
		"1:30", "12 ", "1e3", "0xg", "0o17", "00", "-0", "+0", "0x_1",
		"99999999999999999999999999", "184467440737095516160",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char text[256];
		long long want = 0, got = 0;
		int want_rc, got_rc;
		const ccp_node *r;
		fx f;

		fx_init(&f);
		snprintf(text, sizeof(text), "k: !!int \"%s\"\n", values[i]);
		r = fx_load(&f, text);
		assert_non_null(r);
		want_rc = int_by_strtoll(values[i], &want);
		got_rc = ccp_node_int(ccp_node_get(r, "k"), &got);
		if (want_rc != got_rc || (got_rc == 0 && want != got))
			fail_msg("'%s': strtoll says %d (%lld), ccp_node_int %d (%lld)",
				 values[i], want_rc, want, got_rc, got);
		fx_release(&f);
	}
}

static void test_scalar_values(void **state)
{
	fx f;
	const ccp_node *r;
	long long v;
	int b;

	(void)state;
	fx_init(&f);
	r = fx_load(&f, "hex: 0x1F\noct: 017\nbin: 0b101\nsep: 1_000\nneg: -0x1F\n"
		    "plus: +12\nbig: 9223372036854775807\nhuge: 9223372036854775808\n"
		    "t1: yes\nt2: On\nt3: TRUE\nf1: no\nf2: off\nf3: False\n"
		    "qyes: 'yes'\nqport: \"8002\"\ntagstr: !!str 8002\ntagint: !!int \"8002\"\n"
		    "n1:\nn2: ~\nn3: null\nempty: ''\n");
	assert_non_null(r);
	assert_int_equal(f.diags.count, 0);

	assert_int_equal(ccp_node_int(ccp_node_get(r, "hex"), &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(ccp_node_int(ccp_node_get(r, "oct"), &v), 0);
	assert_int_equal(v, 15);
	assert_int_equal(ccp_node_int(ccp_node_get(r, "bin"), &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(ccp_node_int(ccp_node_get(r, "sep"), &v), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(ccp_node_int(ccp_node_get(r, "neg"), &v), 0);
	assert_int_equal(v, -31);
	assert_int_equal(ccp_node_int(ccp_node_get(r, "plus"), &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(ccp_node_int(ccp_node_get(r, "big"), &v), 0);
	assert_true(v == 9223372036854775807LL);
	/* an int to YAML, but out of range for ccprov */
	assert_int_equal(ccp_node_get(r, "huge")->stype, CCP_SCALAR_INT);
	assert_int_equal(ccp_node_int(ccp_node_get(r, "huge"), &v), -1);

	assert_int_equal(ccp_node_bool(ccp_node_get(r, "t1"), &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(ccp_node_bool(ccp_node_get(r, "t2"), &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(ccp_node_bool(ccp_node_get(r, "t3"), &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(ccp_node_bool(ccp_node_get(r, "f1"), &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(ccp_node_bool(ccp_node_get(r, "f2"), &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(ccp_node_bool(ccp_node_get(r, "f3"), &b), 0);
	assert_int_equal(b, 0);

	/* quoting makes a string, whatever it looks like */
	assert_int_equal(ccp_node_get(r, "qyes")->stype, CCP_SCALAR_STR);
	assert_true(ccp_node_get(r, "qyes")->quoted);
	assert_int_equal(ccp_node_bool(ccp_node_get(r, "qyes"), &b), -1);
	assert_int_equal(ccp_node_get(r, "qport")->stype, CCP_SCALAR_STR);
	assert_int_equal(ccp_node_int(ccp_node_get(r, "qport"), &v), -1);
	assert_string_equal(ccp_node_type_name(ccp_node_get(r, "qport")), "string");
	/* explicit tags win over the implicit resolvers */
	assert_int_equal(ccp_node_get(r, "tagstr")->stype, CCP_SCALAR_STR);
	assert_int_equal(ccp_node_get(r, "tagint")->stype, CCP_SCALAR_INT);

	assert_true(ccp_node_is_null(ccp_node_get(r, "n1")));
	assert_true(ccp_node_is_null(ccp_node_get(r, "n2")));
	assert_true(ccp_node_is_null(ccp_node_get(r, "n3")));
	assert_null(ccp_node_str(ccp_node_get(r, "n3")));
	assert_string_equal(ccp_node_type_name(ccp_node_get(r, "n1")), "null");
	/* a quoted empty string is a string, not a null */
	assert_false(ccp_node_is_null(ccp_node_get(r, "empty")));
	assert_string_equal(ccp_node_str(ccp_node_get(r, "empty")), "");
	assert_string_equal(ccp_node_get_str(r, "hex"), "0x1F");
	assert_null(ccp_node_get(r, "absent"));
	assert_null(ccp_node_get(NULL, "hex"));
	assert_string_equal(ccp_node_type_name(NULL), "nothing");
	fx_release(&f);
}

/* ---- positions and paths ---- */

static void test_positions(void **state)
{
	fx f;
	const ccp_node *r, *parts, *p1, *n;

	(void)state;
	fx_init(&f);
	r = fx_load(&f, "# comment\n"
		    "name: demo\n"
		    "participants:\n"
		    "  - name: server1\n"
		    "    fed_learn_port: 8002\n"
		    "  - {name: site-1, type: client}\n"
		    "description: \"Projet f\xc3\xa9\" # code points, not bytes\n"
		    "after: x\n");
	assert_non_null(r);
	assert_int_equal(r->kind, CCP_NODE_MAP);
	assert_int_equal(r->line, 2);
	assert_int_equal(r->column, 1);

	n = ccp_node_get(r, "name");
	assert_int_equal(n->line, 2);
	assert_int_equal(n->column, 7);
	assert_int_equal(n->end_line, 2);
	assert_int_equal(n->end_column, 11);
	n = ccp_node_get_key(r, "name");
	assert_int_equal(n->line, 2);
	assert_int_equal(n->column, 1);

	parts = ccp_node_get(r, "participants");
	assert_int_equal(parts->kind, CCP_NODE_SEQ);
	assert_int_equal(parts->count, 2);
	assert_int_equal(parts->line, 4);
	assert_int_equal(parts->column, 3);
	p1 = parts->items[0];
	assert_int_equal(p1->line, 4);
	assert_int_equal(p1->column, 5);
	assert_int_equal(p1->index, 0);
	n = ccp_node_get(p1, "fed_learn_port");
	assert_int_equal(n->line, 5);
	assert_int_equal(n->column, 21);
	assert_ptr_equal(n->parent, p1);
	assert_string_equal(n->key, "fed_learn_port");

	/* flow mapping */
	assert_int_equal(parts->items[1]->line, 6);
	assert_int_equal(parts->items[1]->column, 5);
	n = ccp_node_get(parts->items[1], "type");
	assert_int_equal(n->line, 6);
	assert_int_equal(n->column, 26);

	/* the quoted scalar starts at its quote; é is one column */
	n = ccp_node_get(r, "description");
	assert_int_equal(n->column, 14);
	assert_int_equal(n->end_column, 25);
	n = ccp_node_get_key(r, "after");
	assert_int_equal(n->line, 8);
	assert_int_equal(n->column, 1);
	fx_release(&f);
}

static void test_node_path(void **state)
{
	fx f;
	const ccp_node *r, *parts, *n;
	char buf[128], small[8];

	(void)state;
	fx_init(&f);
	r = fx_load(&f, "participants:\n"
		    "  - name: server1\n"
		    "  - name: site-1\n"
		    "    hosts: [a, b]\n"
		    "builders:\n"
		    "  - args: {config_folder: config}\n");
	assert_non_null(r);
	parts = ccp_node_get(r, "participants");
	assert_string_equal(ccp_node_path(parts, buf, sizeof(buf)), "participants");
	n = ccp_node_get(parts->items[1], "name");
	assert_string_equal(ccp_node_path(n, buf, sizeof(buf)), "participants[1].name");
	n = ccp_node_get(parts->items[1], "hosts")->items[1];
	assert_string_equal(ccp_node_path(n, buf, sizeof(buf)),
			    "participants[1].hosts[1]");
	n = ccp_node_get(ccp_node_get(r, "builders")->items[0], "args");
	n = ccp_node_get(n, "config_folder");
	assert_string_equal(ccp_node_path(n, buf, sizeof(buf)),
			    "builders[0].args.config_folder");
	/* a key's path is its own */
	n = ccp_node_get_key(parts->items[0], "name");
	assert_string_equal(ccp_node_path(n, buf, sizeof(buf)), "participants[0].name");
	assert_string_equal(ccp_node_path(parts->items[0], buf, sizeof(buf)),
			    "participants[0]");
	/* the root has an empty path */
	assert_string_equal(ccp_node_path(r, buf, sizeof(buf)), "");
	/* a short buffer keeps whole components only, always terminated */
	n = ccp_node_get(parts->items[1], "name");
	ccp_node_path(n, small, sizeof(small));
	assert_true(strlen(small) < sizeof(small));
	assert_int_equal(strncmp("participants[1].name", small, strlen(small)), 0);
	fx_release(&f);
}

/* ---- aliases, merge keys, duplicates ---- */

static void test_alias_copies(void **state)
{
	fx f;
	const ccp_node *r, *base, *copy, *ports;
	char buf[64];

	(void)state;
	fx_init(&f);
	r = fx_load(&f, "base: &b {id: x, ports: [1, 2]}\n"
		    "other: *b\n"
		    "port: &p 8002\n"
		    "again: *p\n");
	assert_non_null(r);
	assert_int_equal(f.diags.count, 0);
	base = ccp_node_get(r, "base");
	copy = ccp_node_get(r, "other");
	/* a deep copy, not the same node: parents and paths are its own */
	assert_ptr_not_equal(base, copy);
	assert_int_equal(copy->kind, CCP_NODE_MAP);
	assert_ptr_equal(copy->parent, r);
	ports = ccp_node_get(copy, "ports");
	assert_ptr_not_equal(ports, ccp_node_get(base, "ports"));
	assert_int_equal(ports->count, 2);
	assert_ptr_equal(ports->parent, copy);
	assert_string_equal(ccp_node_path(ports->items[1], buf, sizeof(buf)),
			    "other.ports[1]");
	/* positions point at the anchored original */
	assert_int_equal(ports->items[1]->line, 1);
	assert_int_equal(ports->items[1]->column, 29);
	assert_string_equal(ccp_node_get_str(r, "again"), "8002");
	assert_int_equal(ccp_node_get(r, "again")->stype, CCP_SCALAR_INT);
	fx_release(&f);
}

/*
 * An alias to a container that is still open copies what it holds so
 * far, as PyYAML's recursive structures would show it at that point.
 */
static void test_alias_to_open_container(void **state)
{
	fx f;
	const ccp_node *r, *a, *m;
	char buf[64];

	(void)state;
	fx_init(&f);
	r = fx_load(&f, "a: &x [1, 2, *x]\n"
		    "m: &m {k: 1, self: *m}\n");
	assert_non_null(r);
	a = ccp_node_get(r, "a");
	assert_int_equal(a->count, 3);
	assert_int_equal(a->items[2]->kind, CCP_NODE_SEQ);
	assert_int_equal(a->items[2]->count, 2);
	assert_string_equal(a->items[2]->items[1]->value, "2");
	assert_ptr_equal(a->items[2]->items[1]->parent, a->items[2]);
	assert_string_equal(ccp_node_path(a->items[2]->items[1], buf, sizeof(buf)),
			    "a[2][1]");
	m = ccp_node_get(ccp_node_get(r, "m"), "self");
	assert_int_equal(m->kind, CCP_NODE_MAP);
	assert_int_equal(m->count, 1);
	assert_string_equal(ccp_node_get_str(m, "k"), "1");
	assert_null(ccp_node_get(m, "self"));
	fx_release(&f);
}

/*
 * A large mapping finds its keys through a table: every key, a missing
 * one, keys merged in by '<<', and the key node itself.
 */
static void test_large_mapping_lookup(void **state)
{
	ccp_buf b = CCP_BUF_INIT;
	const ccp_node *r, *big, *k;
	size_t i;
	fx f;

	(void)state;
	ccp_buf_puts(&b, "base: &b {m1: x, key7: no, m2: y}\nbig:\n");
	for (i = 0; i < 300; i++)
		ccp_buf_printf(&b, "  key%zu: v%zu\n", i, i);
	ccp_buf_puts(&b, "  <<: *b\n");
	fx_init(&f);
	r = fx_load(&f, ccp_buf_cstr(&b));
	assert_non_null(r);
	assert_int_equal(f.diags.count, 0);
	big = ccp_node_get(r, "big");
	assert_int_equal(big->count, 302);
	for (i = 0; i < 300; i++) {
		char key[16], want[16];

		snprintf(key, sizeof(key), "key%zu", i);
		snprintf(want, sizeof(want), "v%zu", i);
		assert_string_equal(ccp_node_get_str(big, key), want);
		k = ccp_node_get_key(big, key);
		assert_non_null(k);
		assert_string_equal(k->value, key);
		assert_int_equal(k->line, i + 3);
	}
	assert_string_equal(ccp_node_get_str(big, "m1"), "x");
	assert_string_equal(ccp_node_get_str(big, "m2"), "y");
	assert_null(ccp_node_get(big, "key300"));
	assert_null(ccp_node_get(big, "key"));
	assert_null(ccp_node_get(big, ""));
	assert_null(ccp_node_get(big, "<<"));
	fx_release(&f);
	ccp_buf_release(&b);
}

/*
 * An anchor on a value that is later dropped (an overridden duplicate
 * key, an expanded '<<' entry) still resolves, as in PyYAML; this used
 * to read freed memory.
 */
static void test_alias_to_dropped_value(void **state)
{
	fx f;
	const ccp_node *r;

	(void)state;
	fx_init(&f);
	r = fx_load(&f, "m:\n  a: &x {k: 1}\n  a: 2\nn: *x\n");
	assert_non_null(r);
	assert_int_equal(count_rule(&f.diags, "CCP-Y002"), 1);
	assert_string_equal(ccp_node_get_str(at_path(r, "m", NULL), "a"), "2");
	assert_string_equal(ccp_node_get_str(at_path(r, "n", NULL), "k"), "1");
	fx_release(&f);

	fx_init(&f);
	r = fx_load(&f, "m:\n  <<: &b {k: 1}\n  z: 2\nn: *b\n");
	assert_non_null(r);
	assert_int_equal(f.diags.count, 0);
	assert_string_equal(ccp_node_get_str(at_path(r, "m", NULL), "k"), "1");
	assert_null(ccp_node_get(at_path(r, "m", NULL), "<<"));
	assert_string_equal(ccp_node_get_str(at_path(r, "n", NULL), "k"), "1");
	fx_release(&f);

	fx_init(&f);
	r = fx_load(&f, "m:\n  &k a: 1\n  a: 2\nn: {*k : 3}\n");
	assert_non_null(r);
	assert_string_equal(ccp_node_get_str(at_path(r, "n", NULL), "a"), "3");
	fx_release(&f);
}

static void test_merge_keys(void **state)
{
	fx f;
	const ccp_node *r, *s1, *s2, *s3;

	(void)state;
	fx_init(&f);
	r = fx_load(&f, "base: &base\n"
		    "  type: client\n"
		    "  org: nvidia\n"
		    "extra: &extra\n"
		    "  org: other\n"
		    "  num_of_gpus: 1\n"
		    "s1:\n"
		    "  <<: *base\n"
		    "  org: mine\n"
		    "s2:\n"
		    "  <<: [*base, *extra]\n"
		    "s3:\n"
		    "  '<<': literal\n");
	assert_non_null(r);
	assert_int_equal(f.diags.count, 0);
	s1 = ccp_node_get(r, "s1");
	/* keys written in the mapping win over merged ones */
	assert_string_equal(ccp_node_get_str(s1, "org"), "mine");
	assert_string_equal(ccp_node_get_str(s1, "type"), "client");
	assert_null(ccp_node_get(s1, "<<"));
	assert_int_equal(s1->count, 2);
	/* merged values are positioned at their definition */
	assert_int_equal(ccp_node_get(s1, "type")->line, 2);
	assert_ptr_equal(ccp_node_get(s1, "type")->parent, s1);
	/* in a list of merges, the earlier mapping wins */
	s2 = ccp_node_get(r, "s2");
	assert_string_equal(ccp_node_get_str(s2, "org"), "nvidia");
	assert_string_equal(ccp_node_get_str(s2, "num_of_gpus"), "1");
	assert_int_equal(s2->count, 3);
	/* a quoted '<<' is an ordinary key */
	s3 = ccp_node_get(r, "s3");
	assert_string_equal(ccp_node_get_str(s3, "<<"), "literal");
	fx_release(&f);

	fx_init(&f);
	r = fx_load(&f, "a:\n  <<: 120\n  b: 1\n");
	assert_int_equal(only(&f.diags, "CCP-Y001")->line, 2);
	assert_int_equal(f.diags.items[0]->column, 7);
	fx_release(&f);
}

static void test_duplicate_keys(void **state)
{
	fx f;
	const ccp_node *r;
	const ccp_diag *g;

	(void)state;
	fx_init(&f);
	r = fx_load(&f, "org: a\nname: n\norg: b\n");
	assert_non_null(r);
	g = only(&f.diags, "CCP-Y002");
	assert_int_equal(g->severity, CCP_SEV_ERROR);
	assert_int_equal(g->line, 3);
	assert_int_equal(g->column, 1);
	assert_string_equal(g->message, "duplicate key 'org'");
	assert_non_null(g->hint);
	assert_int_equal(g->nrelated, 1);
	assert_string_equal(g->related[0].file, "t.yml");
	assert_int_equal(g->related[0].line, 1);
	assert_int_equal(g->related[0].column, 1);
	/* the last value wins, as in PyYAML; the file is not ok */
	assert_string_equal(ccp_node_get_str(r, "org"), "b");
	assert_int_equal(r->count, 2);
	assert_false(f.doc->ok);
	fx_release(&f);

	/* three times: each later one is reported against the one before */
	fx_init(&f);
	r = fx_load(&f, "k: 1\nk: 2\nk: 3\n");
	assert_int_equal(count_rule(&f.diags, "CCP-Y002"), 2);
	assert_int_equal(f.diags.items[0]->line, 2);
	assert_int_equal(f.diags.items[0]->related[0].line, 1);
	assert_int_equal(f.diags.items[1]->line, 3);
	assert_int_equal(f.diags.items[1]->related[0].line, 2);
	assert_string_equal(ccp_node_get_str(r, "k"), "3");
	fx_release(&f);

	/* the same key in sibling mappings is fine */
	fx_init(&f);
	r = fx_load(&f, "p:\n  - {org: a}\n  - {org: a}\n");
	assert_non_null(r);
	assert_int_equal(f.diags.count, 0);
	fx_release(&f);
}

/* ---- hazards ---- */

static void test_syntax_errors(void **state)
{
	fx f;
	const ccp_diag *g;

	(void)state;
	fx_init(&f);
	assert_null(fx_load(&f, "a: [1, 2\nb: 3\n"));
	g = only(&f.diags, "CCP-Y001");
	assert_non_null(strstr(g->message, "yaml syntax error"));
	assert_true(g->line >= 1);
	fx_release(&f);

	fx_init(&f);
	assert_null(fx_load(&f, "a:\n  - x\n   b: 1\n"));
	g = only(&f.diags, "CCP-Y001");
	assert_int_equal(g->line, 3);
	fx_release(&f);

	fx_init(&f);
	assert_null(fx_load(&f, "a: 1\n---\nb: 2\n"));
	g = only(&f.diags, "CCP-Y001");
	assert_int_equal(g->line, 2);
	assert_int_equal(g->column, 1);
	fx_release(&f);

	fx_init(&f);
	assert_null(fx_load(&f, "a: *nowhere\n"));
	g = only(&f.diags, "CCP-Y001");
	assert_string_equal(g->message, "unknown alias '*nowhere'");
	assert_int_equal(g->column, 4);
	fx_release(&f);

	fx_init(&f);
	assert_null(fx_load(&f, "? [a, b]\n: 1\n"));
	g = only(&f.diags, "CCP-Y001");
	assert_int_equal(g->line, 1);
	assert_int_equal(g->column, 3);
	fx_release(&f);

	/* one explicit document and an end marker are fine */
	fx_init(&f);
	assert_non_null(fx_load(&f, "---\na: 1\n...\n"));
	assert_int_equal(f.diags.count, 0);
	fx_release(&f);
}

static void test_root_and_empty(void **state)
{
	static const char *const empties[] = {
		"", "\n\n", "# only a comment\n", "~\n", "---\n...\n", "null",
	};
	fx f;
	const ccp_diag *g;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(empties) / sizeof(empties[0]); i++) {
		fx_init(&f);
		assert_null(fx_load(&f, empties[i]));
		g = only(&f.diags, "CCP-Y004");
		assert_int_equal(g->line, 0);
		assert_string_equal(g->file, "t.yml");
		fx_release(&f);
	}

	fx_init(&f);
	assert_null(fx_load(&f, "# list\n- a\n- b\n"));
	g = only(&f.diags, "CCP-Y003");
	assert_int_equal(g->line, 2);
	assert_int_equal(g->column, 1);
	assert_non_null(strstr(g->message, "not a list"));
	fx_release(&f);

	fx_init(&f);
	assert_null(fx_load(&f, "''\n"));
	assert_non_null(strstr(only(&f.diags, "CCP-Y003")->message, "not a string"));
	fx_release(&f);

	fx_init(&f);
	assert_non_null(fx_load(&f, "{}\n"));
	assert_int_equal(f.diags.count, 0);
	assert_true(f.doc->ok);
	fx_release(&f);
}

static void load_bytes(fx *f, const char *data, size_t len)
{
	f->doc = ccp_yaml_load_mem(f->set, "t.yml", data, len);
	assert_non_null(f->doc);
}

static void test_utf8(void **state)
{
	static const struct {
		const char *data;
		size_t len;
		unsigned line, column;
	} bad[] = {
		{ "a: caf\xe9\n", 8, 1, 7 },              /* Latin-1 */
		{ "a: 1\nb: x\x00y\n", 12, 2, 5 },        /* NUL */
		{ "a: \xc0\xaf\n", 6, 1, 4 },             /* overlong '/' */
		{ "a: \xe0\x80\xaf\n", 7, 1, 4 },         /* overlong, 3 bytes */
		{ "a: \xed\xa0\x80\n", 7, 1, 4 },         /* surrogate */
		{ "a: \xf4\x90\x80\x80\n", 8, 1, 4 },     /* above U+10FFFF */
		{ "a: \xc3\xa9\xc3\n", 7, 1, 5 },         /* truncated at the end */
		{ "a: \x80\n", 5, 1, 4 },                 /* lone continuation */
	};
	fx f;
	const ccp_diag *g;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fx_init(&f);
		load_bytes(&f, bad[i].data, bad[i].len);
		assert_null(f.doc->root);
		g = only(&f.diags, "CCP-Y005");
		if (g->line != bad[i].line || g->column != bad[i].column)
			fail_msg("case %zu: at %u:%u, expected %u:%u", i, g->line,
				 g->column, bad[i].line, bad[i].column);
		fx_release(&f);
	}

	/* a BOM and characters of every length are fine */
	fx_init(&f);
	{
		static const char text[] =
			"\xef\xbb\xbf" "a: \xc3\xa9\xe2\x80\x94\xf0\x9f\x94\x92\n";

		load_bytes(&f, text, sizeof(text) - 1);
	}
	assert_non_null(f.doc->root);
	assert_int_equal(f.diags.count, 0);
	assert_string_equal(ccp_node_get_str(f.doc->root, "a"),
			    "\xc3\xa9\xe2\x80\x94\xf0\x9f\x94\x92");
	fx_release(&f);
}

/* Root mapping plus nested flow lists: depth counts the root as 1. */
static char *nested(int depth)
{
	ccp_buf b = CCP_BUF_INIT;
	int i;

	ccp_buf_puts(&b, "a: ");
	for (i = 1; i < depth; i++)
		ccp_buf_putc(&b, '[');
	ccp_buf_putc(&b, '1');
	for (i = 1; i < depth; i++)
		ccp_buf_putc(&b, ']');
	ccp_buf_putc(&b, '\n');
	return ccp_buf_detach(&b);
}

static void test_depth_limit(void **state)
{
	fx f;
	char *text;
	const ccp_node *n;
	const ccp_diag *g;
	int d = 1;

	(void)state;
	fx_init(&f);
	text = nested(CCP_YAML_MAX_DEPTH);
	n = fx_load(&f, text);
	free(text);
	assert_non_null(n);
	assert_int_equal(f.diags.count, 0);
	for (n = ccp_node_get(n, "a"); n->kind == CCP_NODE_SEQ; n = n->items[0])
		d++;
	assert_int_equal(d, CCP_YAML_MAX_DEPTH);
	fx_release(&f);

	fx_init(&f);
	text = nested(CCP_YAML_MAX_DEPTH + 1);
	assert_null(fx_load(&f, text));
	free(text);
	g = only(&f.diags, "CCP-Y007");
	/* at the opening bracket of level 65: "a: " then 63 brackets */
	assert_int_equal(g->line, 1);
	assert_int_equal(g->column, 3 + CCP_YAML_MAX_DEPTH);
	fx_release(&f);

	/* block style counts the same way */
	{
		ccp_buf b = CCP_BUF_INIT;
		int i;

		for (i = 0; i < CCP_YAML_MAX_DEPTH; i++) {
			int k;

			for (k = 0; k < i; k++)
				ccp_buf_puts(&b, " ");
			ccp_buf_puts(&b, i + 1 < CCP_YAML_MAX_DEPTH ? "a:\n" : "a: 1\n");
		}
		fx_init(&f);
		assert_non_null(fx_load(&f, ccp_buf_cstr(&b)));
		assert_int_equal(f.diags.count, 0);
		fx_release(&f);
		/* one more line opens a mapping at level 65 */
		fx_init(&f);
		ccp_buf_clear(&b);
		for (i = 0; i <= CCP_YAML_MAX_DEPTH; i++) {
			int k;

			for (k = 0; k < i; k++)
				ccp_buf_puts(&b, " ");
			ccp_buf_puts(&b, i < CCP_YAML_MAX_DEPTH ? "a:\n" : "a: 1\n");
		}
		assert_null(fx_load(&f, ccp_buf_cstr(&b)));
		g = only(&f.diags, "CCP-Y007");
		assert_int_equal(g->line, CCP_YAML_MAX_DEPTH + 1);
		assert_int_equal(g->column, CCP_YAML_MAX_DEPTH + 1);
		fx_release(&f);
		ccp_buf_release(&b);
	}
}

/*
 * An anchored list of 999 scalars is 1000 nodes; 100 aliases of it add
 * exactly CCP_YAML_MAX_ALIAS_NODES, and one more scalar alias crosses it.
 */
static void test_alias_limit(void **state)
{
	ccp_buf b = CCP_BUF_INIT;
	char *items = repeat("x, ", 998), *aliases = repeat("*a, ", 99);
	fx f;
	const ccp_node *r;
	const ccp_diag *g;

	(void)state;
	ccp_buf_printf(&b, "s: &s x\na: &a [%sx]\nb: [%s*a]\n", items, aliases);
	free(items);
	free(aliases);
	fx_init(&f);
	r = fx_load(&f, ccp_buf_cstr(&b));
	assert_non_null(r);
	assert_int_equal(f.diags.count, 0);
	assert_int_equal(ccp_node_get(r, "b")->count, 100);
	assert_int_equal(ccp_node_get(r, "b")->items[99]->count, 999);
	fx_release(&f);

	ccp_buf_puts(&b, "c: *s\n");
	fx_init(&f);
	assert_null(fx_load(&f, ccp_buf_cstr(&b)));
	g = only(&f.diags, "CCP-Y008");
	assert_int_equal(g->line, 4);
	assert_int_equal(g->column, 4);
	fx_release(&f);
	ccp_buf_release(&b);

	/* billion laughs: stopped long before the expansion is built */
	fx_init(&f);
	assert_null(fx_load(&f,
		"l1: &l1 [x, x, x, x, x, x, x, x, x, x]\n"
		"l2: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]\n"
		"l3: &l3 [*l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2]\n"
		"l4: &l4 [*l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3]\n"
		"l5: &l5 [*l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4]\n"
		"l6: &l6 [*l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5]\n"
		"l7: &l7 [*l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6]\n"
		"l8: &l8 [*l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7]\n"
		"l9: &l9 [*l8, *l8, *l8, *l8, *l8, *l8, *l8, *l8, *l8, *l8]\n"));
	g = only(&f.diags, "CCP-Y008");
	assert_int_equal(g->line, 5);
	fx_release(&f);
}

/*
 * The size bound is checked before a byte is parsed: at the limit the
 * input is read, one byte over it is refused.
 */
static void test_size_limit_mem(void **state)
{
	size_t n = CCP_YAML_MAX_FILE_SIZE + 1;
	char *data = malloc(n);
	const char head[] = "a: 1\n#";
	fx f;
	const ccp_diag *g;

	(void)state;
	assert_non_null(data);
	memcpy(data, head, sizeof(head) - 1);
	memset(data + sizeof(head) - 1, 'x', n - sizeof(head) - 1);
	data[n - 2] = '\n';
	data[n - 1] = '\n';

	fx_init(&f);
	load_bytes(&f, data, CCP_YAML_MAX_FILE_SIZE);
	assert_non_null(f.doc->root);
	assert_int_equal(f.diags.count, 0);
	fx_release(&f);

	fx_init(&f);
	load_bytes(&f, data, CCP_YAML_MAX_FILE_SIZE + 1);
	assert_null(f.doc->root);
	g = only(&f.diags, "CCP-Y006");
	assert_int_equal(g->line, 0);
	assert_non_null(strstr(g->message, "67108865"));
	fx_release(&f);
	free(data);
}

/* ---- what NVFlare's safe loader or C strings would refuse ---- */

static void test_unknown_tags(void **state)
{
	static const char *const refused[] = {
		"a: !custom x\n", "a: !!binary aGk=\n", "a: !!timestamp 2001-01-01\n",
		"a: !!python/object:os.system {}\n", "a: !!set {x: null}\n",
		"a: !!omap [x: 1]\n",
	};
	fx f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		const ccp_diag *g;

		fx_init(&f);
		assert_null(fx_load(&f, refused[i]));
		g = only(&f.diags, "CCP-Y013");
		assert_int_equal(g->line, 1);
		assert_int_equal(g->column, 4);
		assert_non_null(strstr(g->message, "unknown YAML tag '"));
		fx_release(&f);
	}
	/* the tags safe_load builds plain values from stay accepted */
	fx_init(&f);
	assert_non_null(fx_load(&f, "a: !!str 1\nb: !!int '2'\nc: !!bool yes\n"
				"d: !!null ''\ne: !!float 1\nf: !!map {x: 1}\n"
				"g: !!seq [1]\nh: ! 3\n"));
	assert_int_equal(f.diags.count, 0);
	fx_release(&f);
}

static void test_nul_in_values(void **state)
{
	fx f;
	const ccp_diag *g;

	(void)state;
	/* an escaped NUL would cut 'ab' to 'a' in every C string downstream */
	fx_init(&f);
	assert_null(fx_load(&f, "x: 1\nid: \"a\\0b\"\n"));
	g = only(&f.diags, "CCP-Y005");
	assert_int_equal(g->line, 2);
	assert_int_equal(g->column, 5);
	assert_string_equal(g->message, "value holds a NUL character");
	fx_release(&f);
	fx_init(&f);
	assert_null(fx_load(&f, "\"k\\x00\": 1\n"));
	assert_int_equal(only(&f.diags, "CCP-Y005")->line, 1);
	fx_release(&f);
}

static void test_reader_error_position(void **state)
{
	fx f;
	const ccp_diag *g;

	(void)state;
	/* libyaml's reader gives an offset; the finding must point there */
	fx_init(&f);
	assert_null(fx_load(&f, "a: 1\nbb: x\001y\n"));
	g = only(&f.diags, "CCP-Y001");
	assert_int_equal(g->line, 2);
	assert_int_equal(g->column, 6);
	assert_non_null(strstr(g->message, "0x01"));
	fx_release(&f);
	/* a C1 control character (U+0086), valid UTF-8 but not YAML */
	fx_init(&f);
	assert_null(fx_load(&f, "a: 1\nb: 2\nc: \"\xc2\x86\"\n"));
	g = only(&f.diags, "CCP-Y001");
	assert_int_equal(g->line, 3);
	assert_int_equal(g->column, 5);
	fx_release(&f);
}

static void test_many_duplicates(void **state)
{
	ccp_buf b = CCP_BUF_INIT;
	fx f;
	const ccp_node *r;
	size_t i;
	int round;

	(void)state;
	/* large enough to take the hashed path; every key three times */
	for (round = 0; round < 3; round++)
		for (i = 0; i < 100; i++)
			ccp_buf_printf(&b, "k%zu: %d\n", i, round);
	ccp_buf_puts(&b, "<<: {k5: merged, extra: merged}\n");
	fx_init(&f);
	r = fx_load(&f, ccp_buf_cstr(&b));
	assert_non_null(r);
	assert_int_equal(count_rule(&f.diags, "CCP-Y002"), 200);
	assert_int_equal(f.diags.count, 200);
	/* reported in order, each against the occurrence before it */
	assert_int_equal(f.diags.items[0]->line, 101);
	assert_int_equal(f.diags.items[0]->related[0].line, 1);
	assert_int_equal(f.diags.items[199]->line, 300);
	assert_int_equal(f.diags.items[199]->related[0].line, 200);
	assert_int_equal(r->count, 101);
	for (i = 0; i < 100; i++) {
		char want[16];

		snprintf(want, sizeof(want), "k%zu", i);
		assert_string_equal(r->pairs[i].key->value, want);
	}
	assert_string_equal(ccp_node_get_str(r, "k5"), "2");
	assert_string_equal(ccp_node_get_str(r, "k99"), "2");
	assert_string_equal(ccp_node_get_str(r, "extra"), "merged");
	fx_release(&f);
	ccp_buf_release(&b);
}

/*
 * Small mappings are checked for duplicates pair by pair, large ones
 * through a hash: on either side of the switch the findings and the
 * surviving keys are the same.
 */
static void test_duplicates_any_size(void **state)
{
	static const size_t sizes[] = { 2, 3, 15, 16, 17, 40 };
	size_t s;

	(void)state;
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		ccp_buf b = CCP_BUF_INIT;
		size_t n = sizes[s], i, j, distinct = (n + 2) / 3, d = 0;
		size_t last_line[64];
		const ccp_node *r;
		fx f;

		/* key i is k(i % distinct): each written up to three times */
		for (i = 0; i < n; i++)
			ccp_buf_printf(&b, "k%zu: %zu\n", i % distinct, i);
		fx_init(&f);
		r = fx_load(&f, ccp_buf_cstr(&b));
		assert_non_null(r);
		assert_int_equal(f.diags.count, n - distinct);
		assert_int_equal(r->count, distinct);
		for (i = 0; i < distinct; i++)
			last_line[i] = 0;
		for (i = 0; i < n; i++) {
			size_t k = i % distinct;

			if (last_line[k]) {
				const ccp_diag *g = f.diags.items[d++];

				assert_int_equal(g->line, i + 1);
				assert_int_equal(g->nrelated, 1);
				assert_int_equal(g->related[0].line, last_line[k]);
			}
			last_line[k] = i + 1;
		}
		/* survivors keep the order of their last occurrence */
		for (i = 0, j = 0; i < n; i++) {
			size_t k = i % distinct;
			char want[16];

			if (last_line[k] != i + 1)
				continue;
			snprintf(want, sizeof(want), "k%zu", k);
			assert_string_equal(r->pairs[j].key->value, want);
			assert_int_equal(r->pairs[j].value->line, i + 1);
			j++;
		}
		assert_int_equal(j, distinct);
		fx_release(&f);
		ccp_buf_release(&b);
	}
}

/* ---- files and include: ---- */

static char tmp_root[PATH_MAX];

static void write_file(const char *rel, const char *text)
{
	char path[PATH_MAX * 2];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void make_dir(const char *rel)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
	assert_int_equal(mkdir(path, 0700), 0);
}

static const ccp_node *load_file(fx *f, const char *rel)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
	f->doc = ccp_yaml_load(f->set, path, NULL);
	assert_non_null(f->doc);
	return f->doc->root;
}

static int setup_tmp(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	snprintf(tmp_root, sizeof(tmp_root), "%s/ccprov-test-yaml-XXXXXX",
		 base && *base ? base : "/tmp");
	return mkdtemp(tmp_root) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
	char cmd[PATH_MAX + 32];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *tail_of(const char *path, const char *suffix)
{
	size_t n = strlen(path), m = strlen(suffix);

	return n >= m && strcmp(path + n - m, suffix) == 0 ? suffix : path;
}

static void test_include_merge(void **state)
{
	fx f;
	const ccp_node *r, *n, *att;
	const ccp_diag *g;
	char buf[64];

	(void)state;
	make_dir("inc");
	make_dir("inc/common");
	write_file("inc/cc.yml", "compute_env: mock\n"
		   "include: [common/issuers.yml, common/att.yml]\n"
		   "role: client\n"
		   "cc_attestation:\n"
		   "  include: common/freq.yml\n");
	write_file("inc/common/issuers.yml", "# shared\n"
		   "cc_issuers:\n"
		   "  - id: mock\n"
		   "    token_expiration: 100\n"
		   "role: server\n");
	write_file("inc/common/att.yml", "cvm_image_name: img\n");
	write_file("inc/common/freq.yml", "check_frequency: 120\n");

	fx_init(&f);
	r = load_file(&f, "inc/cc.yml");
	assert_non_null(r);
	assert_null(ccp_node_get(r, "include"));
	assert_int_equal(ccp_yaml_set_nfiles(f.set), 4);

	/* merged values keep the included file and its positions */
	n = ccp_node_get(r, "cc_issuers");
	assert_non_null(n);
	assert_string_equal(tail_of(n->file, "inc/common/issuers.yml"),
			    "inc/common/issuers.yml");
	assert_int_equal(n->line, 3);
	assert_int_equal(n->column, 3);
	n = ccp_node_get(n->items[0], "token_expiration");
	assert_int_equal(n->line, 4);
	assert_int_equal(n->column, 23);
	/* and hang off the including mapping */
	assert_ptr_equal(ccp_node_get(r, "cc_issuers")->parent, r);
	assert_string_equal(ccp_node_path(n, buf, sizeof(buf)),
			    "cc_issuers[0].token_expiration");
	assert_string_equal(tail_of(ccp_node_get(r, "cvm_image_name")->file,
				    "common/att.yml"), "common/att.yml");
	/* include works in any mapping, not only the top level */
	att = ccp_node_get(r, "cc_attestation");
	n = ccp_node_get(att, "check_frequency");
	assert_non_null(n);
	assert_ptr_equal(n->parent, att);
	assert_string_equal(ccp_node_path(n, buf, sizeof(buf)),
			    "cc_attestation.check_frequency");

	/* the including file's 'role' wins; the included one is reported */
	assert_string_equal(ccp_node_get_str(r, "role"), "client");
	assert_string_equal(tail_of(ccp_node_get(r, "role")->file, "inc/cc.yml"),
			    "inc/cc.yml");
	g = only(&f.diags, "CCP-Y012");
	assert_int_equal(g->severity, CCP_SEV_WARNING);
	assert_int_equal(g->line, 5);
	assert_int_equal(g->column, 1);
	assert_int_equal(g->nrelated, 1);
	assert_int_equal(g->related[0].line, 3);
	assert_int_equal(g->related[0].column, 7);
	/* a warning does not make the document unusable */
	assert_true(f.doc->ok);
	fx_release(&f);
}

/* A large mapping that includes a file finds the included keys too. */
static void test_include_into_large_mapping(void **state)
{
	ccp_buf b = CCP_BUF_INIT;
	const ccp_node *r;
	size_t i;
	fx f;

	(void)state;
	make_dir("big");
	for (i = 0; i < 40; i++)
		ccp_buf_printf(&b, "own%zu: %zu\n", i, i);
	ccp_buf_puts(&b, "include: part.yml\nshared: mine\n");
	write_file("big/main.yml", ccp_buf_cstr(&b));
	ccp_buf_release(&b);
	for (i = 0; i < 40; i++)
		ccp_buf_printf(&b, "inc%zu: i%zu\n", i, i);
	ccp_buf_puts(&b, "shared: theirs\n");
	write_file("big/part.yml", ccp_buf_cstr(&b));
	ccp_buf_release(&b);

	fx_init(&f);
	r = load_file(&f, "big/main.yml");
	assert_non_null(r);
	assert_int_equal(r->count, 81);
	assert_null(ccp_node_get(r, "include"));
	assert_string_equal(ccp_node_get_str(r, "own39"), "39");
	assert_string_equal(ccp_node_get_str(r, "inc0"), "i0");
	assert_string_equal(ccp_node_get_str(r, "inc39"), "i39");
	assert_string_equal(ccp_node_get_str(r, "shared"), "mine");
	assert_ptr_equal(ccp_node_get(r, "inc7")->parent, r);
	assert_int_equal(count_rule(&f.diags, "CCP-Y012"), 1);
	fx_release(&f);
}

static void test_include_errors(void **state)
{
	fx f;
	const ccp_diag *g;
	char link[PATH_MAX * 2], target[PATH_MAX * 2];
	int i;

	(void)state;
	make_dir("ie");
	make_dir("ie/sub");
	write_file("ie/outside.yml", "k: 1\n");

	/* missing */
	write_file("ie/missing.yml", "a: 1\ninclude: nope.yml\n");
	fx_init(&f);
	assert_non_null(load_file(&f, "ie/missing.yml"));
	g = only(&f.diags, "CCP-Y011");
	assert_int_equal(g->line, 2);
	assert_int_equal(g->column, 10);
	assert_false(f.doc->ok);
	fx_release(&f);

	/* ../ out of the including file's folder, and a symbolic link out */
	write_file("ie/sub/escape.yml", "a: 1\ninclude: ../outside.yml\n");
	fx_init(&f);
	assert_non_null(load_file(&f, "ie/sub/escape.yml"));
	assert_non_null(strstr(only(&f.diags, "CCP-Y011")->message, "outside"));
	fx_release(&f);
	snprintf(link, sizeof(link), "%s/ie/sub/link.yml", tmp_root);
	snprintf(target, sizeof(target), "%s/ie/outside.yml", tmp_root);
	assert_int_equal(symlink(target, link), 0);
	write_file("ie/sub/vialink.yml", "a: 1\ninclude: link.yml\n");
	fx_init(&f);
	assert_non_null(load_file(&f, "ie/sub/vialink.yml"));
	assert_non_null(strstr(only(&f.diags, "CCP-Y011")->message, "outside"));
	fx_release(&f);

	/* cycles, direct and through another file */
	write_file("ie/self.yml", "a: 1\ninclude: self.yml\n");
	fx_init(&f);
	assert_non_null(load_file(&f, "ie/self.yml"));
	assert_non_null(strstr(only(&f.diags, "CCP-Y011")->message, "cycle"));
	fx_release(&f);
	write_file("ie/c1.yml", "a: 1\ninclude: c2.yml\n");
	write_file("ie/c2.yml", "b: 1\ninclude: c1.yml\n");
	fx_init(&f);
	assert_non_null(load_file(&f, "ie/c1.yml"));
	g = only(&f.diags, "CCP-Y011");
	assert_non_null(strstr(g->file, "c2.yml"));
	assert_int_equal(g->line, 2);
	fx_release(&f);

	/* included file that is not a mapping, at the included file's root */
	write_file("ie/list.yml", "# a list\n- a\n");
	write_file("ie/inclist.yml", "a: 1\ninclude: list.yml\n");
	fx_init(&f);
	assert_non_null(load_file(&f, "ie/inclist.yml"));
	g = only(&f.diags, "CCP-Y011");
	assert_non_null(strstr(g->file, "list.yml"));
	assert_int_equal(g->line, 2);
	fx_release(&f);

	/* entries that are not paths */
	write_file("ie/notpath.yml", "a: 1\ninclude: [{f: x}, ~, '']\n");
	fx_init(&f);
	assert_non_null(load_file(&f, "ie/notpath.yml"));
	assert_int_equal(count_rule(&f.diags, "CCP-Y011"), 3);
	fx_release(&f);

	/* an empty included file is reported at the include entry */
	write_file("ie/empty.yml", "# nothing\n");
	write_file("ie/incempty.yml", "a: 1\ninclude: empty.yml\n");
	fx_init(&f);
	assert_non_null(load_file(&f, "ie/incempty.yml"));
	g = only(&f.diags, "CCP-Y004");
	assert_int_equal(g->line, 2);
	assert_int_equal(g->column, 10);
	fx_release(&f);

	/* a directory */
	write_file("ie/incdir.yml", "a: 1\ninclude: sub\n");
	fx_init(&f);
	assert_non_null(load_file(&f, "ie/incdir.yml"));
	g = only(&f.diags, "CCP-Y010");
	assert_int_equal(g->line, 2);
	fx_release(&f);

	/*
	 * Depth: a chain of CCP_YAML_MAX_INCLUDE_DEPTH files in all (the
	 * including one and 7 included) loads; one more is refused at the
	 * last file's include entry.
	 */
	for (i = 1; i <= CCP_YAML_MAX_INCLUDE_DEPTH + 1; i++) {
		char name[32], text[64];

		snprintf(name, sizeof(name), "ie/d%d.yml", i);
		snprintf(text, sizeof(text), "k%d: 1\ninclude: d%d.yml\n", i, i + 1);
		write_file(name, text);
	}
	write_file("ie/d8.yml", "k8: 1\n");
	fx_init(&f);
	assert_non_null(load_file(&f, "ie/d1.yml"));
	assert_int_equal(f.diags.count, 0);
	assert_non_null(ccp_node_get(f.doc->root, "k8"));
	fx_release(&f);
	write_file("ie/d8.yml", "k8: 1\ninclude: d9.yml\n");
	write_file("ie/d9.yml", "k9: 1\n");
	fx_init(&f);
	assert_non_null(load_file(&f, "ie/d1.yml"));
	g = only(&f.diags, "CCP-Y011");
	assert_non_null(strstr(g->file, "d8.yml"));
	assert_non_null(ccp_node_get(f.doc->root, "k8"));
	assert_null(ccp_node_get(f.doc->root, "k9"));
	fx_release(&f);
}

static void test_include_budget(void **state)
{
	ccp_buf b = CCP_BUF_INIT;
	fx f;
	char name[64];
	int level, k;

	(void)state;
	/*
	 * Eight levels, each including the next ten times: 10^7 loads
	 * unbounded. The budget stops at CCP_YAML_MAX_INCLUDED_FILES.
	 */
	make_dir("fan");
	for (level = 0; level < 8; level++) {
		ccp_buf_clear(&b);
		ccp_buf_printf(&b, "k%d: 1\n", level);
		if (level < 7) {
			ccp_buf_puts(&b, "include:\n");
			for (k = 0; k < 10; k++)
				ccp_buf_printf(&b, "  - l%d.yml\n", level + 1);
		}
		snprintf(name, sizeof(name), "fan/l%d.yml", level);
		write_file(name, ccp_buf_cstr(&b));
	}
	fx_init(&f);
	assert_non_null(load_file(&f, "fan/l0.yml"));
	assert_int_equal(count_rule(&f.diags, "CCP-Y011"), 1);
	assert_true(ccp_yaml_set_nfiles(f.set) <= CCP_YAML_MAX_INCLUDED_FILES + 1);
	for (k = 0; k < (int)f.diags.count; k++)
		if (strcmp(f.diags.items[k]->rule, "CCP-Y011") == 0)
			assert_non_null(strstr(f.diags.items[k]->message, "at most 1000 files"));
	assert_false(f.doc->ok);
	fx_release(&f);
	ccp_buf_release(&b);
}

static void test_files(void **state)
{
	fx f;
	const ccp_diag *g;
	ccp_yaml_doc *d1, *d2;
	const ccp_node *r;
	char path[PATH_MAX * 2];
	int fd;

	(void)state;
	make_dir("files");
	make_dir("files/dir");
	write_file("files/a.yml", "cc_config: missing.yml\nk: 1\n");

	/* one document per canonical path */
	fx_init(&f);
	r = load_file(&f, "files/a.yml");
	d1 = f.doc;
	snprintf(path, sizeof(path), "%s/files/../files/a.yml", tmp_root);
	d2 = ccp_yaml_load(f.set, path, NULL);
	assert_ptr_equal(d1, d2);
	assert_int_equal(ccp_yaml_set_nfiles(f.set), 1);

	/* a missing file named by a node is reported at that node */
	snprintf(path, sizeof(path), "%s/files/missing.yml", tmp_root);
	d2 = ccp_yaml_load(f.set, path, ccp_node_get(r, "cc_config"));
	assert_null(d2->root);
	g = only(&f.diags, "CCP-Y009");
	assert_int_equal(g->line, 1);
	assert_int_equal(g->column, 12);
	assert_non_null(strstr(g->file, "a.yml"));
	fx_release(&f);

	/* without a node, at the file itself */
	fx_init(&f);
	assert_null(load_file(&f, "files/nothere.yml"));
	g = only(&f.diags, "CCP-Y009");
	assert_int_equal(g->line, 0);
	fx_release(&f);

	fx_init(&f);
	assert_null(load_file(&f, "files/dir"));
	assert_int_equal(only(&f.diags, "CCP-Y010")->line, 0);
	fx_release(&f);

	/*
	 * Size on disk, with sparse files: at the limit the file is read
	 * (and its zeros are NUL bytes), one byte more is refused unread.
	 */
	snprintf(path, sizeof(path), "%s/files/big.yml", tmp_root);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)CCP_YAML_MAX_FILE_SIZE), 0);
	close(fd);
	fx_init(&f);
	assert_null(load_file(&f, "files/big.yml"));
	g = only(&f.diags, "CCP-Y005");
	assert_int_equal(g->line, 1);
	assert_int_equal(g->column, 1);
	fx_release(&f);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)CCP_YAML_MAX_FILE_SIZE + 1), 0);
	close(fd);
	fx_init(&f);
	assert_null(load_file(&f, "files/big.yml"));
	assert_int_equal(only(&f.diags, "CCP-Y006")->line, 0);
	fx_release(&f);
	assert_int_equal(unlink(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_like_pyyaml),
		cmocka_unit_test(test_scalar_values),
		cmocka_unit_test(test_int_like_strtoll),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_node_path),
		cmocka_unit_test(test_alias_copies),
		cmocka_unit_test(test_alias_to_dropped_value),
		cmocka_unit_test(test_alias_to_open_container),
		cmocka_unit_test(test_large_mapping_lookup),
		cmocka_unit_test(test_merge_keys),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_root_and_empty),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_alias_limit),
		cmocka_unit_test(test_size_limit_mem),
		cmocka_unit_test(test_unknown_tags),
		cmocka_unit_test(test_nul_in_values),
		cmocka_unit_test(test_reader_error_position),
		cmocka_unit_test(test_many_duplicates),
		cmocka_unit_test(test_duplicates_any_size),
		cmocka_unit_test(test_include_merge),
		cmocka_unit_test(test_include_into_large_mapping),
		cmocka_unit_test(test_include_errors),
		cmocka_unit_test(test_include_budget),
		cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
