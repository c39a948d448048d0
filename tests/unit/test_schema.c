/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The schema walker and the typed load: every violation of a file found
 * in one pass, at the node it is about, with suggestions; and libcyaml's
 * typed view of a clean tree holding the values PyYAML would give.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccprov/diag.h"
#include "ccprov/schema.h"
#include "ccprov/yaml.h"
#include "schema_internal.h"
#include "yaml_internal.h"

typedef struct fx {
	ccp_diags diags;
	ccp_yaml_set *set;
	const ccp_node *root;
} fx;

static void fx_load(fx *f, const char *text)
{
	ccp_yaml_doc *doc;

	ccp_diags_init(&f->diags);
	f->set = ccp_yaml_set_new(&f->diags);
	assert_non_null(f->set);
	doc = ccp_yaml_load_mem(f->set, "t.yml", text, strlen(text));
	assert_non_null(doc);
	f->root = doc->root;
	assert_non_null(f->root);
	assert_int_equal(f->diags.count, 0);
}

static void fx_load_file(fx *f, const char *rel)
{
	const char *src = getenv("CCPROV_SOURCE_DIR");
	char path[4096];
	ccp_yaml_doc *doc;

	snprintf(path, sizeof(path), "%s/%s", src && *src ? src : CCPROV_SOURCE_DIR,
		 rel);
	ccp_diags_init(&f->diags);
	f->set = ccp_yaml_set_new(&f->diags);
	assert_non_null(f->set);
	doc = ccp_yaml_load(f->set, path, NULL);
	assert_non_null(doc);
	f->root = doc->root;
	if (!f->root)
		fail_msg("cannot load %s", path);
}

static void fx_release(fx *f)
{
	ccp_yaml_set_free(f->set);
	ccp_diags_release(&f->diags);
}

/* Find the diagnostic of rule at line:column, or fail listing them all. */
static const ccp_diag *expect(const ccp_diags *d, const char *rule,
			      unsigned line, unsigned column)
{
	size_t i;

	for (i = 0; i < d->count; i++) {
		const ccp_diag *g = d->items[i];

		if (strcmp(g->rule, rule) == 0 && g->line == line && g->column == column)
			return g;
	}
	for (i = 0; i < d->count; i++)
		print_message("  %s %u:%u %s\n", d->items[i]->rule, d->items[i]->line,
			      d->items[i]->column, d->items[i]->message);
	fail_msg("no %s at %u:%u", rule, line, column);
	return NULL;
}

static const char project_ok[] =
	"api_version: 3\n"
	"name: demo\n"
	"participants:\n"
	"  - name: server1\n"
	"    type: server\n"
	"    org: nvidia\n"
	"    fed_learn_port: 8002\n"
	"  - name: site-1\n"
	"    type: client\n"
	"    org: nvidia\n"
	"  - name: admin@nvidia.com\n"
	"    type: admin\n"
	"    org: nvidia\n"
	"    role: project_admin\n"
	"builders:\n"
	"  - path: nvflare.lighter.impl.workspace.WorkspaceBuilder\n"
	"  - path: nvflare.lighter.impl.static_file.StaticFileBuilder\n"
	"    args:\n"
	"      config_folder: config\n"
	"  - path: nvflare.lighter.impl.cert.CertBuilder\n"
	"  - path: nvflare.lighter.impl.signature.SignatureBuilder\n";

static void test_clean_project(void **state)
{
	fx f;

	(void)state;
	fx_load(&f, project_ok);
	assert_int_equal(ccp_schema_check(CCP_KIND_PROJECT, f.root, &f.diags), 0);
	assert_int_equal(f.diags.count, 0);
	fx_release(&f);
}

/* Every problem of a file is reported in one pass, each at its node. */
static void test_all_violations_in_one_pass(void **state)
{
	fx f;
	const ccp_diag *g;
	size_t errors;

	(void)state;
	fx_load(&f,
		"api_version: 5\n"                       /* 1 S006 */
		"name: acme/demo\n"                      /* 2 S010 */
		"packagers: {path: x}\n"                 /* 3 S001 */
		"participants:\n"
		"  - name: fl_server\n"                  /* 5 S007 */
		"    type: server\n"
		"    org: nvidia\n"
		"    fed_learn_port: \"8002\"\n"         /* 8 S003 */
		"    admin_port: 70000\n"                /* 9 S006 */
		"  - name: site-1\n"                     /* 10 S004 (org) */
		"    type: clinet\n"                     /* 11 S011 */
		"    num_of_gpu: 1\n"                    /* 12 S002 */
		"    use_aio: maybe\n"                   /* 13 S003 */
		"  - name: admin@nvidia.com\n"
		"    type: admin\n"
		"    org: \"\"\n"                        /* 16 S012 (and S007) */
		"    role: projectadmin\n"               /* 17 S011 */
		"    connection_security: TLS\n"         /* 18 S005 */
		"builders:\n"
		"  - path: nvflare.lighter.impl.workspace.WorkspaceBuilder\n"
		"    args: [a]\n");                      /* 21 S003 */
	errors = ccp_schema_check(CCP_KIND_PROJECT, f.root, &f.diags);

	expect(&f.diags, "CCP-S006", 1, 14);
	expect(&f.diags, "CCP-S010", 2, 7);
	g = expect(&f.diags, "CCP-S001", 3, 1);
	assert_string_equal(g->message, "unknown key 'packagers'");
	assert_string_equal(g->hint, "did you mean 'packager'?");
	expect(&f.diags, "CCP-S007", 5, 11);
	g = expect(&f.diags, "CCP-S003", 8, 21);
	assert_string_equal(g->message, "'fed_learn_port' must be an integer, not a string");
	g = expect(&f.diags, "CCP-S006", 9, 17);
	assert_string_equal(g->message, "'admin_port' is 70000; it must be between 1 and 65535");
	g = expect(&f.diags, "CCP-S004", 10, 5);
	assert_string_equal(g->message, "missing required key 'org'");
	g = expect(&f.diags, "CCP-S011", 11, 11);
	assert_int_equal(g->severity, CCP_SEV_WARNING);
	assert_non_null(strstr(g->hint, "did you mean 'client'?"));
	g = expect(&f.diags, "CCP-S002", 12, 5);
	assert_int_equal(g->severity, CCP_SEV_WARNING);
	assert_string_equal(g->hint, "did you mean 'num_of_gpus'?");
	expect(&f.diags, "CCP-S003", 13, 14);
	expect(&f.diags, "CCP-S012", 16, 10);
	g = expect(&f.diags, "CCP-S011", 17, 11);
	assert_non_null(strstr(g->hint, "did you mean 'project_admin'?"));
	/* case matters, and the hint lists the allowed spellings */
	g = expect(&f.diags, "CCP-S005", 18, 26);
	assert_string_equal(g->message, "'connection_security' has unknown value 'TLS'");
	assert_non_null(strstr(g->hint, "allowed: clear, tls, mtls"));
	expect(&f.diags, "CCP-S003", 21, 11);

	/* the count returned is the error-level findings only */
	assert_int_equal(errors, ccp_diags_count(&f.diags, CCP_SEV_ERROR));
	assert_int_equal(ccp_diags_count(&f.diags, CCP_SEV_WARNING), 3);
	assert_int_equal(ccp_diags_count(&f.diags, CCP_SEV_NOTE), 0);
	fx_release(&f);
}

static void test_cc_config_violations(void **state)
{
	fx f;
	const ccp_diag *g;

	(void)state;
	fx_load(&f,
		"compute_env: onprem_cvn\n"              /* 1 S005 */
		"cc_cpu_mechanism: amd_sev_snp\n"
		"role: client\n"
		"root_drive_size: 0\n"                   /* 4 S006 */
		"alowed_ports: [8002]\n"                 /* 5 S001 */
		"allowed_out_ports: [443, 65536, x]\n"   /* 6 S006, S003 */
		"host_entries: {a: 1}\n"                 /* 7 S001 */
		"hosts_entries: {srv_1: 10.0.0.1, ok: nope}\n" /* 8 S007 x2 */
		"user_config: {a: [1]}\n"                /* 9 S003 */
		"cc_issuers:\n"
		"  - path: x.Y\n"                        /* 11 S004 (id) */
		"    token_expiration: -1\n"             /* 12 S006 */
		"    args: 3\n"                          /* 13 S003 */
		"cc_attestation: {check_frequency: 0}\n" /* 14 S006 */
		"class_allow_list: ['']\n"               /* 15 S012 */
		"cvm_image_name:\n");                    /* optional null: fine */
	ccp_schema_check(CCP_KIND_CC_CONFIG, f.root, &f.diags);

	g = expect(&f.diags, "CCP-S005", 1, 14);
	assert_non_null(strstr(g->hint, "did you mean 'onprem_cvm'?"));
	expect(&f.diags, "CCP-S006", 4, 18);
	g = expect(&f.diags, "CCP-S001", 5, 1);
	assert_string_equal(g->hint, "did you mean 'allowed_ports'?");
	g = expect(&f.diags, "CCP-S006", 6, 26);
	assert_string_equal(g->message, "'allowed_out_ports' entry 2 is 65536; it must be between 1 and 65535");
	expect(&f.diags, "CCP-S003", 6, 33);
	g = expect(&f.diags, "CCP-S001", 7, 1);
	assert_string_equal(g->hint, "did you mean 'hosts_entries'?");
	expect(&f.diags, "CCP-S007", 8, 17);
	g = expect(&f.diags, "CCP-S007", 8, 38);
	assert_string_equal(g->message, "'nope' is not an IP address");
	expect(&f.diags, "CCP-S003", 9, 18);
	g = expect(&f.diags, "CCP-S004", 11, 5);
	assert_string_equal(g->message, "missing required key 'id'");
	g = expect(&f.diags, "CCP-S006", 12, 23);
	assert_string_equal(g->message, "'token_expiration' is -1; it must be at least 1");
	expect(&f.diags, "CCP-S003", 13, 11);
	expect(&f.diags, "CCP-S006", 14, 35);
	expect(&f.diags, "CCP-S012", 15, 20);
	assert_int_equal(f.diags.count, 14);
	fx_release(&f);
}

/* A required key written with no value is one finding, not two. */
static void test_required_null_once(void **state)
{
	fx f;
	const ccp_diag *g;

	(void)state;
	fx_load(&f, "api_version: 3\nname:\nparticipants: []\nbuilders: []\n");
	assert_int_equal(ccp_schema_check(CCP_KIND_PROJECT, f.root, &f.diags), 1);
	assert_int_equal(f.diags.count, 1);
	g = expect(&f.diags, "CCP-S004", 2, 6);
	assert_string_equal(g->message, "required key 'name' has no value");
	fx_release(&f);

	/* an optional key with no value is simply absent */
	fx_load(&f, "compute_env: mock\nrole:\ncc_issuers:\nroot_drive_size: ~\n");
	assert_int_equal(ccp_schema_check(CCP_KIND_CC_CONFIG, f.root, &f.diags), 0);
	assert_int_equal(f.diags.count, 0);
	fx_release(&f);
}

static void test_suggest(void **state)
{
	static const char *const cc_keys[] = {
		"compute_env", "cc_cpu_mechanism", "role", "allowed_ports",
		"allowed_out_ports", "hosts_entries", "cc_issuers",
		"cc_attestation",
	};
	static const char *const top[] = {
		"api_version", "name", "participants", "builders", "packager",
	};
	size_t n = sizeof(cc_keys) / sizeof(cc_keys[0]);

	(void)state;
	assert_string_equal(ccp_suggest("host_entries", cc_keys, n), "hosts_entries");
	assert_string_equal(ccp_suggest("alowed_ports", cc_keys, n), "allowed_ports");
	assert_string_equal(ccp_suggest("allowed_port", cc_keys, n), "allowed_ports");
	assert_string_equal(ccp_suggest("cc_issuer", cc_keys, n), "cc_issuers");
	assert_string_equal(ccp_suggest("packagers", top, 5), "packager");
	assert_string_equal(ccp_suggest("participant", top, 5), "participants");
	/* short words allow one edit, longer ones more */
	assert_string_equal(ccp_suggest("rol", cc_keys, n), "role");
	assert_null(ccp_suggest("ro", cc_keys, n));
	assert_null(ccp_suggest("version", top, 5));
	assert_null(ccp_suggest("site_location", cc_keys, n));
	assert_null(ccp_suggest("anything", top, 0));
	/* a difference only in letter case is no edit, but still named */
	assert_string_equal(ccp_suggest("Allowed_Ports", cc_keys, n), "allowed_ports");
	assert_string_equal(ccp_suggest("ROLE", cc_keys, n), "role");
	assert_string_equal(ccp_suggest("Participant", top, 5), "participants");
}

/* One edit distance serves both the hints and the builder path check. */
static void test_edit_distance(void **state)
{
	char long_a[CCP_EDIT_MAX_LEN + 2];

	(void)state;
	assert_int_equal(ccp_edit_distance("", "", 0), 0);
	assert_int_equal(ccp_edit_distance("kitten", "sitting", 0), 3);
	/* a swap is two edits, or one with CCP_EDIT_TRANSPOSE */
	assert_int_equal(ccp_edit_distance("hsot", "host", 0), 2);
	assert_int_equal(ccp_edit_distance("hsot", "host", CCP_EDIT_TRANSPOSE), 1);
	assert_int_equal(ccp_edit_distance("ca", "abc", CCP_EDIT_TRANSPOSE), 3);
	/* letter case is an edit unless folded */
	assert_int_equal(ccp_edit_distance("TLS", "tls", 0), 3);
	assert_int_equal(ccp_edit_distance("TLS", "tls", CCP_EDIT_FOLD_CASE), 0);
	assert_int_equal(ccp_edit_distance("HSOT", "host",
					   CCP_EDIT_FOLD_CASE | CCP_EDIT_TRANSPOSE), 1);
	memset(long_a, 'a', sizeof(long_a) - 1);
	long_a[sizeof(long_a) - 1] = '\0';
	assert_int_equal(ccp_edit_distance(long_a, "a", 0), CCP_EDIT_FAR);
	long_a[CCP_EDIT_MAX_LEN] = '\0';
	assert_int_equal(ccp_edit_distance(long_a, "", 0), CCP_EDIT_MAX_LEN);
}

/*
 * Bounded, the distance is exact up to the bound and above it past: the
 * same answers as unbounded for every pair of a small alphabet's words.
 */
/* The optimal string alignment distance, the plain full table. */
static size_t osa_reference(const char *a, const char *b, int swaps)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[12][12];

	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (swaps && i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/* Random words of two letters against the full table, every bound. */
static void test_edit_distance_random(void **state)
{
	unsigned seed = 12345;
	int round;

	(void)state;
	for (round = 0; round < 3000; round++) {
		char a[11], b[11];
		size_t la, lb, k, max;
		int swaps = round & 1;

		seed = seed * 1103515245u + 12345u;
		la = (seed >> 16) % 11;
		seed = seed * 1103515245u + 12345u;
		lb = (seed >> 16) % 11;
		for (k = 0; k < la; k++) {
			seed = seed * 1103515245u + 12345u;
			a[k] = (char)('a' + (seed >> 16) % 2);
		}
		for (k = 0; k < lb; k++) {
			seed = seed * 1103515245u + 12345u;
			b[k] = (char)('a' + (seed >> 16) % 2);
		}
		a[la] = b[lb] = '\0';
		for (max = 0; max <= 6; max++) {
			size_t want = osa_reference(a, b, swaps);
			size_t got = ccp_edit_distance_max(a, b, swaps ? CCP_EDIT_TRANSPOSE : 0, max);

			if (want <= max ? got != want : got <= max)
				fail_msg("'%s' '%s' swaps %d max %zu: %zu, want %zu",
					 a, b, swaps, max, got, want);
		}
		assert_int_equal(ccp_edit_distance(a, b, swaps ? CCP_EDIT_TRANSPOSE : 0),
				 osa_reference(a, b, swaps));
	}
}

static void test_edit_distance_max(void **state)
{
	static const char *const words[] = {
		"", "a", "ab", "ba", "abc", "acb", "cab", "abcd", "badc", "dcba",
		"host-1", "hsot-1", "host-12", "HOST-1", "h", "xyzzy"
	};
	static const unsigned flags[] = { 0, CCP_EDIT_TRANSPOSE, CCP_EDIT_FOLD_CASE };
	size_t i, j, f, max;

	(void)state;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		for (j = 0; j < sizeof(words) / sizeof(words[0]); j++)
			for (f = 0; f < 3; f++)
				for (max = 0; max <= 4; max++) {
					size_t d = ccp_edit_distance(words[i], words[j], flags[f]);
					size_t m = ccp_edit_distance_max(words[i], words[j],
									 flags[f], max);

					if (d <= max)
						assert_int_equal(m, d);
					else
						assert_true(m > max);
				}
}

/* Enum values and keys written in the wrong case get a hint naming them. */
static void test_suggest_ignores_case(void **state)
{
	fx f;
	const ccp_diag *g;

	(void)state;
	fx_load(&f, "compute_env: Mock\nAllowed_Ports: [8002]\n");
	assert_int_equal(ccp_schema_check(CCP_KIND_CC_CONFIG, f.root, &f.diags), 2);
	g = expect(&f.diags, "CCP-S005", 1, 14);
	assert_string_equal(g->message, "'compute_env' has unknown value 'Mock'");
	assert_non_null(g->hint);
	assert_true(strncmp(g->hint, "did you mean 'mock'?", 20) == 0);
	g = expect(&f.diags, "CCP-S001", 2, 1);
	assert_string_equal(g->hint, "did you mean 'allowed_ports'?");
	fx_release(&f);

	fx_load(&f,
		"api_version: 3\n"
		"name: demo\n"
		"connection_security: TLS\n"
		"participants:\n"
		"  - name: site-1\n"
		"    type: client\n"
		"    org: nvidia\n"
		"    connect_to: {name: server1, connection_security: MTLS}\n"
		"builders: []\n");
	assert_int_equal(ccp_schema_check(CCP_KIND_PROJECT, f.root, &f.diags), 2);
	g = expect(&f.diags, "CCP-S005", 3, 22);
	assert_string_equal(g->hint, "did you mean 'tls'? allowed: clear, tls, mtls");
	g = expect(&f.diags, "CCP-S005", 8, 54);
	assert_string_equal(g->hint, "did you mean 'mtls'? allowed: clear, tls, mtls");
	fx_release(&f);
}

/*
 * A string field holding a plain number or boolean is a type error, as
 * PyYAML hands NVFlare an int, a float or a bool there; quoting it, or
 * a field that takes free text, is fine.
 */
static void test_strict_strings(void **state)
{
	fx f;
	const ccp_diag *g;
	ccp_y_project *p = NULL;

	(void)state;
	fx_load(&f,
		"api_version: 3\n"
		"name: 123\n"
		"description: 2024\n"
		"participants:\n"
		"  - name: server1\n"
		"    type: server\n"
		"    org: yes\n"
		"    host_names: [a.example.com, 7]\n"
		"    connect_to: 1.5\n"
		"  - name: '42'\n"
		"    type: client\n"
		"    org: \"1\"\n"
		"    host_names: 8\n"
		"builders: []\n");
	assert_int_equal(ccp_schema_check(CCP_KIND_PROJECT, f.root, &f.diags), 5);
	assert_int_equal(f.diags.count, 5);
	g = expect(&f.diags, "CCP-S003", 2, 7);
	assert_string_equal(g->message, "'name' must be a string, not an integer");
	assert_string_equal(g->hint, "quote it: '123'");
	g = expect(&f.diags, "CCP-S003", 7, 10);
	assert_string_equal(g->message, "'org' must be a string, not a boolean");
	assert_string_equal(g->hint, "quote it: 'yes'");
	g = expect(&f.diags, "CCP-S003", 8, 33);
	assert_string_equal(g->message, "'host_names' entry 2 must be a string, not an integer");
	g = expect(&f.diags, "CCP-S003", 9, 17);
	assert_string_equal(g->message,
			    "'connect_to' must be a string or a mapping, not a number");
	g = expect(&f.diags, "CCP-S003", 13, 17);
	assert_string_equal(g->message,
			    "'host_names' must be a string or a list of strings, not an integer");
	fx_release(&f);

	fx_load(&f,
		"compute_env: mock\n"
		"docker_archive: 7\n"
		"class_allow_list: [nvflare., 3]\n"
		"user_config: {extra: off}\n"
		"cc_issuers: [{id: !!int '5', path: a.B}]\n"
		"cvm_image_name: '1.5'\n");
	assert_int_equal(ccp_schema_check(CCP_KIND_CC_CONFIG, f.root, &f.diags), 4);
	g = expect(&f.diags, "CCP-S003", 2, 17);
	assert_string_equal(g->message, "'docker_archive' must be a string, not an integer");
	assert_string_equal(g->hint, "quote it: '7'");
	g = expect(&f.diags, "CCP-S003", 3, 30);
	assert_string_equal(g->message, "'class_allow_list' entry 2 must be a string, not an integer");
	g = expect(&f.diags, "CCP-S003", 4, 22);
	assert_string_equal(g->hint, "quote it: 'off'");
	g = expect(&f.diags, "CCP-S003", 5, 19);
	assert_string_equal(g->hint, "its tag makes it an integer; drop the tag");
	fx_release(&f);

	/* free text takes numbers; the typed load gives PyYAML's value */
	fx_load(&f,
		"api_version: 3\n"
		"name: demo\n"
		"description: 0x1F\n"
		"participants: [{name: server1, type: server, org: nvidia}]\n"
		"builders: []\n");
	assert_int_equal(ccp_schema_check(CCP_KIND_PROJECT, f.root, &f.diags), 0);
	assert_int_equal(f.diags.count, 0);
	assert_int_equal(ccp_schema_load(CCP_KIND_PROJECT, f.root, (void **)&p), 0);
	assert_string_equal(p->description, "31");
	ccp_schema_free(CCP_KIND_PROJECT, p);
	fx_release(&f);
}

/* An empty name or org is one finding (empty), not also a wrong form. */
static void test_empty_name_once(void **state)
{
	fx f;
	const ccp_diag *g;

	(void)state;
	fx_load(&f,
		"api_version: 3\n"
		"name: demo\n"
		"participants:\n"
		"  - name: ''\n"
		"    type: server\n"
		"    org: ''\n"
		"  - name: \"\"\n"
		"    type: admin\n"
		"    org: nvidia\n"
		"    role: project_admin\n"
		"builders: []\n");
	assert_int_equal(ccp_schema_check(CCP_KIND_PROJECT, f.root, &f.diags), 3);
	assert_int_equal(f.diags.count, 3);
	g = expect(&f.diags, "CCP-S012", 4, 11);
	assert_string_equal(g->message, "'name' must not be empty");
	g = expect(&f.diags, "CCP-S012", 6, 10);
	assert_string_equal(g->message, "'org' must not be empty");
	expect(&f.diags, "CCP-S012", 7, 11);
	fx_release(&f);
}

/* ---- typed load ---- */

static void test_typed_example_cc_config(void **state)
{
	fx f;
	ccp_y_cc_config *cc = NULL;

	(void)state;
	fx_load_file(&f, "examples/cc/cc_site-1.yml");
	assert_int_equal(ccp_schema_check(CCP_KIND_CC_CONFIG, f.root, &f.diags), 0);
	assert_int_equal(ccp_schema_load(CCP_KIND_CC_CONFIG, f.root, (void **)&cc), 0);
	assert_non_null(cc);
	assert_int_equal(cc->compute_env, CCP_ENV_ONPREM_CVM);
	assert_string_equal(ccp_compute_env_name(cc->compute_env), "onprem_cvm");
	assert_int_equal(cc->cc_cpu_mechanism, CCP_CPU_AMD_SEV_SNP);
	assert_int_equal(cc->cc_gpu_mechanism, CCP_GPU_UNSET);
	assert_int_equal(cc->role, CCP_ROLE_CLIENT);
	assert_int_equal(cc->root_drive_size, 10);
	assert_int_equal(cc->applog_drive_size, 1);
	assert_int_equal(cc->user_config_drive_size, 1);
	assert_int_equal(cc->user_data_drive_size, 1);
	assert_string_equal(cc->docker_archive, "nvflare-site.tar.gz");
	assert_int_equal(cc->allowed_ports_count, 0);
	assert_int_equal(cc->allowed_out_ports_count, 2);
	assert_int_equal(cc->allowed_out_ports[0], 443);
	assert_int_equal(cc->allowed_out_ports[1], 8002);
	assert_int_equal(cc->cc_issuers_count, 1);
	assert_string_equal(cc->cc_issuers[0].id, "snp_authorizer");
	assert_string_equal(cc->cc_issuers[0].path,
			    "nvflare.app_opt.confidential_computing.snp_authorizer.SNPAuthorizer");
	assert_int_equal(cc->cc_issuers[0].token_expiration, 100);
	assert_non_null(cc->cc_attestation);
	assert_int_equal(cc->cc_attestation->check_frequency, 120);
	assert_int_equal(cc->class_allow_list_count, 0);
	assert_null(cc->cvm_image_name);
	ccp_schema_free(CCP_KIND_CC_CONFIG, cc);
	fx_release(&f);

	fx_load_file(&f, "examples/cc/cc_server1.yml");
	assert_int_equal(ccp_schema_load(CCP_KIND_CC_CONFIG, f.root, (void **)&cc), 0);
	assert_int_equal(cc->role, CCP_ROLE_SERVER);
	assert_int_equal(cc->allowed_ports_count, 1);
	assert_int_equal(cc->allowed_ports[0], 8002);
	ccp_schema_free(CCP_KIND_CC_CONFIG, cc);
	fx_release(&f);
}

static void test_typed_example_project(void **state)
{
	fx f;
	ccp_y_project *p = NULL;

	(void)state;
	fx_load_file(&f, "examples/cc/project.yml");
	assert_int_equal(ccp_schema_check(CCP_KIND_PROJECT, f.root, &f.diags), 0);
	assert_int_equal(ccp_schema_load(CCP_KIND_PROJECT, f.root, (void **)&p), 0);
	assert_non_null(p);
	assert_int_equal(p->api_version, 3);
	assert_string_equal(p->name, "example_project");
	assert_string_equal(p->description, "NVIDIA FLARE confidential computing example");
	assert_int_equal(p->connection_security, CCP_CONN_UNSET);
	assert_int_equal(p->participants_count, 3);
	assert_string_equal(p->participants[0].name, "server1");
	assert_string_equal(p->participants[0].type, "server");
	assert_string_equal(p->participants[0].org, "nvidia");
	assert_int_equal(p->participants[0].fed_learn_port, 8002);
	assert_int_equal(p->participants[0].admin_port, 0);
	assert_string_equal(p->participants[0].cc_config, "cc_server1.yml");
	assert_string_equal(p->participants[1].name, "site-1");
	assert_string_equal(p->participants[1].cc_config, "cc_site-1.yml");
	assert_null(p->participants[1].role);
	assert_string_equal(p->participants[2].name, "admin@nvidia.com");
	assert_string_equal(p->participants[2].role, "project_admin");
	assert_null(p->participants[2].cc_config);
	assert_int_equal(p->builders_count, 5);
	assert_string_equal(p->builders[0].path, "nvflare.lighter.impl.workspace.WorkspaceBuilder");
	assert_string_equal(p->builders[3].path, "nvflare.lighter.cc_provision.impl.cc.CCBuilder");
	assert_string_equal(p->builders[4].path, "nvflare.lighter.impl.signature.SignatureBuilder");
	assert_non_null(p->packager);
	assert_string_equal(p->packager->path,
			    "nvflare.lighter.cc_provision.impl.onprem_packager.OnPremPackager");
	ccp_schema_free(CCP_KIND_PROJECT, p);
	fx_release(&f);
}

/*
 * YAML 1.1 forms the walker accepts load as the values PyYAML gives,
 * not as whatever libcyaml's own number parser makes of them.
 */
static void test_typed_yaml11_values(void **state)
{
	fx f;
	ccp_y_project *p = NULL;
	ccp_y_cc_config *cc = NULL;

	(void)state;
	fx_load(&f,
		"api_version: 0b11\n"
		"name: demo\n"
		"connection_security: mtls\n"
		"participants:\n"
		"  - name: server1\n"
		"    type: server\n"
		"    org: nvidia\n"
		"    fed_learn_port: 8_002\n"
		"    admin_port: 0x1F43\n"
		"    use_aio: yes\n"
		"    num_of_gpus: +2\n"
		"    mem_per_gpu_in_GiB: 010\n"
		"    host_names: [a.example.com]\n"
		"    description_for_builder: 7\n"
		"  - name: site-1\n"
		"    type: client\n"
		"    org: nvidia\n"
		"    use_aio: Off\n"
		"    connection_security: clear\n"
		"    role: ~\n"
		"builders: []\n");
	assert_int_equal(ccp_schema_check(CCP_KIND_PROJECT, f.root, &f.diags), 0);
	assert_int_equal(ccp_schema_load(CCP_KIND_PROJECT, f.root, (void **)&p), 0);
	assert_int_equal(p->api_version, 3);
	assert_int_equal(p->connection_security, CCP_CONN_MTLS);
	assert_string_equal(ccp_conn_sec_name(p->connection_security), "mtls");
	assert_int_equal(p->participants[0].fed_learn_port, 8002);
	assert_int_equal(p->participants[0].admin_port, 8003);
	assert_true(p->participants[0].use_aio);
	assert_int_equal(p->participants[0].num_of_gpus, 2);
	assert_int_equal(p->participants[0].mem_per_gpu_in_GiB, 8);
	assert_false(p->participants[1].use_aio);
	assert_int_equal(p->participants[1].connection_security, CCP_CONN_CLEAR);
	assert_null(p->participants[1].role);
	assert_int_equal(p->builders_count, 0);
	assert_null(p->packager);
	ccp_schema_free(CCP_KIND_PROJECT, p);
	fx_release(&f);

	fx_load(&f,
		"compute_env: mock\n"
		"root_drive_size: 1_0\n"
		"allowed_ports: [0x1F42, 0b1111101000011]\n"
		"cc_issuers: [{id: m, path: a.B, token_expiration: 1_00, args: {}}]\n"
		"cc_attestation: {check_frequency: 0170}\n");
	assert_int_equal(ccp_schema_check(CCP_KIND_CC_CONFIG, f.root, &f.diags), 0);
	assert_int_equal(ccp_schema_load(CCP_KIND_CC_CONFIG, f.root, (void **)&cc), 0);
	assert_int_equal(cc->compute_env, CCP_ENV_MOCK);
	assert_int_equal(cc->cc_cpu_mechanism, CCP_CPU_UNSET);
	assert_int_equal(cc->role, CCP_ROLE_UNSET);
	assert_int_equal(cc->root_drive_size, 10);
	assert_int_equal(cc->allowed_ports_count, 2);
	assert_int_equal(cc->allowed_ports[0], 8002);
	assert_int_equal(cc->allowed_ports[1], 8003);
	assert_int_equal(cc->cc_issuers[0].token_expiration, 100);
	assert_int_equal(cc->cc_attestation->check_frequency, 120);
	assert_null(cc->docker_archive);
	ccp_schema_free(CCP_KIND_CC_CONFIG, cc);
	fx_release(&f);
}

/* ---- the typed load of a document read as written ---- */

static int typed_equal(const cyaml_schema_value_t *v, const uint8_t *a,
		       const uint8_t *b);

static uint64_t count_at(const uint8_t *p, uint8_t size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64 = 0;

	switch (size) {
	case 1: memcpy(&u8, p, 1); return u8;
	case 2: memcpy(&u16, p, 2); return u16;
	case 4: memcpy(&u32, p, 4); return u32;
	default: memcpy(&u64, p, 8); return u64;
	}
}

/* Two typed values the same, field by field, as the schema lays them out. */
static int fields_equal(const cyaml_schema_field_t *f, const uint8_t *a,
			const uint8_t *b)
{
	for (; f->key; f++) {
		const cyaml_schema_value_t *v = &f->value;

		if (v->type == CYAML_IGNORE)
			continue;
		if (v->type == CYAML_SEQUENCE) {
			uint64_t n = count_at(a + f->count_offset, f->count_size), i;
			const uint8_t *ea, *eb;
			size_t step = v->sequence.entry->flags & CYAML_FLAG_POINTER ?
				sizeof(void *) : v->sequence.entry->data_size;

			if (n != count_at(b + f->count_offset, f->count_size))
				return 0;
			memcpy(&ea, a + f->data_offset, sizeof(ea));
			memcpy(&eb, b + f->data_offset, sizeof(eb));
			for (i = 0; i < n; i++)
				if (!typed_equal(v->sequence.entry, ea + i * step, eb + i * step))
					return 0;
			continue;
		}
		if (!typed_equal(v, a + f->data_offset, b + f->data_offset))
			return 0;
	}
	return 1;
}

static int typed_equal(const cyaml_schema_value_t *v, const uint8_t *a,
		       const uint8_t *b)
{
	if (v->flags & CYAML_FLAG_POINTER) {
		const uint8_t *pa, *pb;

		/* the field holds a pointer to the value */
		memcpy(&pa, a, sizeof(pa));
		memcpy(&pb, b, sizeof(pb));
		a = pa;
		b = pb;
		if (!a || !b)
			return a == b;
	}
	switch (v->type) {
	case CYAML_STRING:
		return strcmp((const char *)a, (const char *)b) == 0;
	case CYAML_MAPPING:
		return fields_equal(v->mapping.fields, a, b);
	case CYAML_IGNORE:
		return 1;
	default:
		return memcmp(a, b, v->data_size) == 0;
	}
}

/* Both ways of the typed load give the same values. */
static void assert_loads_agree(ccp_kind kind, const ccp_node *root)
{
	const ccp_schema_def *def = kind == CCP_KIND_PROJECT ?
		&ccp_project_schema_def : &ccp_cc_config_schema_def;
	void *fast = NULL, *tree = NULL;

	assert_int_equal(ccp_schema_load(kind, root, &fast), 0);
	assert_int_equal(ccp_schema_load_tree(kind, root, &tree), 0);
	/* the comparison itself can tell two documents apart */
	assert_true(typed_equal(def->top, (const uint8_t *)&fast,
				(const uint8_t *)&tree));
	ccp_schema_free(kind, fast);
	ccp_schema_free(kind, tree);
}

static int is_as_written(const ccp_node *root)
{
	const char *text;
	size_t len;

	return ccp_yaml_source(root, &text, &len) == 0;
}

static void write_tmp(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static const char cc_top[] =
	"compute_env: onprem_cvm\n"
	"cc_cpu_mechanism: amd_sev_snp\n"
	"role: client\n"
	"root_drive_size: 12\n";
static const char cc_rest[] =
	"docker_archive: site.tar.gz\n"
	"allowed_out_ports: [443, 8002]\n"
	"cc_issuers:\n"
	"  - id: snp_authorizer\n"
	"    path: nvflare.app_opt.confidential_computing.snp_authorizer.SNPAuthorizer\n"
	"    token_expiration: 100\n"
	"cc_attestation:\n"
	"  check_frequency: 120\n";

/*
 * A file with no include, merge key, anchor, tag, null value or YAML 1.1
 * integer goes to libcyaml as written; the same content through an
 * include, or written with those, goes by way of the tree. Both load the
 * same values.
 */
static void test_typed_load_as_written(void **state)
{
	static const char *const examples[] = {
		"examples/cc/cc_site-1.yml", "examples/cc/cc_server1.yml",
		"examples/cc/project.yml"
	};
	const ccp_schema_def *def = &ccp_cc_config_schema_def;
	const char *tmp = getenv("TMPDIR");
	char dir[1024], path[4096], text[2048];
	ccp_y_cc_config *plain = NULL, *other = NULL;
	fx f, g;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		ccp_kind kind = strstr(examples[i], "project") ?
			CCP_KIND_PROJECT : CCP_KIND_CC_CONFIG;

		fx_load_file(&f, examples[i]);
		assert_true(is_as_written(f.root));
		assert_loads_agree(kind, f.root);
		fx_release(&f);
	}

	snprintf(dir, sizeof(dir), "%s/ccprov-test-schema-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(text, sizeof(text), "%s%s", cc_top, cc_rest);
	write_tmp(dir, "plain.yml", text);
	snprintf(text, sizeof(text), "%sinclude: rest.yml\n", cc_top);
	write_tmp(dir, "main.yml", text);
	write_tmp(dir, "rest.yml", cc_rest);

	snprintf(path, sizeof(path), "%s/plain.yml", dir);
	ccp_diags_init(&f.diags);
	f.set = ccp_yaml_set_new(&f.diags);
	f.root = ccp_yaml_load(f.set, path, NULL)->root;
	assert_non_null(f.root);
	assert_true(is_as_written(f.root));
	assert_int_equal(ccp_schema_load(CCP_KIND_CC_CONFIG, f.root, (void **)&plain), 0);
	assert_int_equal(plain->root_drive_size, 12);
	assert_int_equal(plain->allowed_out_ports[1], 8002);

	snprintf(path, sizeof(path), "%s/main.yml", dir);
	ccp_diags_init(&g.diags);
	g.set = ccp_yaml_set_new(&g.diags);
	g.root = ccp_yaml_load(g.set, path, NULL)->root;
	assert_non_null(g.root);
	assert_false(is_as_written(g.root));
	assert_int_equal(ccp_schema_load(CCP_KIND_CC_CONFIG, g.root, (void **)&other), 0);
	assert_true(typed_equal(def->top, (const uint8_t *)&plain,
				(const uint8_t *)&other));
	/* and the comparison sees a difference where there is one */
	other->root_drive_size = 13;
	assert_false(typed_equal(def->top, (const uint8_t *)&plain,
				 (const uint8_t *)&other));
	ccp_schema_free(CCP_KIND_CC_CONFIG, other);
	fx_release(&g);

	/* the same values written with a merge key, an anchor, YAML 1.1 ints, a null */
	fx_load(&g,
		"base: &b {compute_env: onprem_cvm, role: client}\n"
		"<<: *b\n"
		"cc_cpu_mechanism: amd_sev_snp\n"
		"root_drive_size: 0xC\n"
		"docker_archive: site.tar.gz\n"
		"cvm_image_name: ~\n"
		"allowed_out_ports: [4_43, 8002]\n"
		"cc_issuers:\n"
		"  - id: snp_authorizer\n"
		"    path: nvflare.app_opt.confidential_computing.snp_authorizer.SNPAuthorizer\n"
		"    token_expiration: +100\n"
		"cc_attestation:\n"
		"  check_frequency: 120\n");
	assert_false(is_as_written(g.root));
	assert_int_equal(ccp_schema_load(CCP_KIND_CC_CONFIG, g.root, (void **)&other), 0);
	assert_true(typed_equal(def->top, (const uint8_t *)&plain,
				(const uint8_t *)&other));
	ccp_schema_free(CCP_KIND_CC_CONFIG, other);
	fx_release(&g);

	/* each of these alone keeps a file from being read as written */
	{
		static const char *const tricks[] = {
			"a: &x 1\n", "a: *x\n", "a: !!str b\n", "a: ~\n", "a:\n",
			"a: 010\n", "a: 1_0\n", "a: +1\n", "a: -0\n",
			"<<: {a: 1}\n", "include: x.yml\n", "a: 1\na: 2\n"
		};
		size_t t;

		for (t = 0; t < sizeof(tricks) / sizeof(tricks[0]); t++) {
			ccp_yaml_doc *doc;

			snprintf(text, sizeof(text), "%s%s", cc_top, tricks[t]);
			ccp_diags_init(&g.diags);
			g.set = ccp_yaml_set_new(&g.diags);
			doc = ccp_yaml_load_mem(g.set, "t.yml", text, strlen(text));
			assert_non_null(doc);
			if (doc->root && is_as_written(doc->root))
				fail_msg("read as written: %s", tricks[t]);
			fx_release(&g);
		}
		/* while their neighbours do not */
		snprintf(text, sizeof(text), "%sa: 10\nb: -1\nc: '~'\nd: 0\ne: \"010\"\n",
			 cc_top);
		fx_load(&g, text);
		assert_true(is_as_written(g.root));
		fx_release(&g);
	}

	ccp_schema_free(CCP_KIND_CC_CONFIG, plain);
	fx_release(&f);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

static void test_typed_load_refuses_null(void **state)
{
	void *out = (void *)1;

	(void)state;
	assert_int_equal(ccp_schema_load(CCP_KIND_PROJECT, NULL, &out), -1);
	assert_null(out);
	ccp_schema_free(CCP_KIND_PROJECT, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_project),
		cmocka_unit_test(test_all_violations_in_one_pass),
		cmocka_unit_test(test_cc_config_violations),
		cmocka_unit_test(test_required_null_once),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_edit_distance_max),
		cmocka_unit_test(test_edit_distance_random),
		cmocka_unit_test(test_suggest_ignores_case),
		cmocka_unit_test(test_strict_strings),
		cmocka_unit_test(test_empty_name_once),
		cmocka_unit_test(test_typed_example_cc_config),
		cmocka_unit_test(test_typed_example_project),
		cmocka_unit_test(test_typed_yaml11_values),
		cmocka_unit_test(test_typed_load_as_written),
		cmocka_unit_test(test_typed_load_refuses_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
