/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The located, resolved view (model.h): NVFlare's defaults when a value
 * is missing or null, the node of every value read, and for a value of
 * the wrong type no value but its node kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ccprov/diag.h"
#include "ccprov/yaml.h"
#include "model.h"

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
}

static void fx_release(fx *f)
{
	ccp_yaml_set_free(f->set);
	ccp_diags_release(&f->diags);
}

/* The model of participants[i] of the loaded project. */
static void part(ccp_model_part *out, const fx *f, size_t i)
{
	const ccp_node *list = ccp_node_get(f->root, "participants");

	assert_non_null(list);
	assert_true(i < list->count);
	ccp_model_part_read(out, list->items[i], f->root);
}

static void test_part_size(void **state)
{
	(void)state;
	/* lint keeps one per site of 100,000-site projects */
	assert_true(sizeof(ccp_model_part) <= 96);
}

static void test_part_defaults(void **state)
{
	fx f;
	ccp_model_part p;
	const ccp_node *from = (const ccp_node *)&p;
	const char *host;

	(void)state;
	fx_load(&f, "participants:\n"
		    "  - name: server1\n"
		    "    type: server\n"
		    "    admin_port: null\n");
	part(&p, &f, 0);
	assert_string_equal(p.name, "server1");
	assert_int_equal(p.name_at->line, 2);
	assert_int_equal(p.ptype, CCP_PT_SERVER);
	assert_null(p.org_at);
	assert_null(ccp_model_org(&p));
	assert_string_equal(ccp_model_type(&p), "server");
	/* 8002, and the admin port is the fed_learn_port; both defaults */
	assert_int_equal(p.fed_learn_port, CCP_NVF_FED_LEARN_PORT);
	assert_int_equal(p.admin_port, CCP_NVF_FED_LEARN_PORT);
	assert_null(p.fed_learn_port_at);
	assert_null(p.admin_port_at);
	/* no connection_security anywhere: mtls, from nowhere */
	assert_int_equal(p.conn_sec, CCP_CONN_MTLS);
	assert_null(p.conn_sec_at);
	assert_null(p.cc_ref);
	assert_null(p.cc);
	/* no default_host: the name, at the name */
	host = ccp_model_default_host(&p, &from);
	assert_string_equal(host, "server1");
	assert_ptr_equal(from, p.name_at);
	fx_release(&f);
}

static void test_part_values(void **state)
{
	fx f;
	ccp_model_part p;
	const ccp_node *from;

	(void)state;
	fx_load(&f, "connection_security: tls\n"
		    "participants:\n"
		    "  - name: server1\n"
		    "    type: server\n"
		    "    org: acme\n"
		    "    fed_learn_port: 9002\n"
		    "    default_host: fl.acme.com\n"
		    "    cc_config: cc.yml\n"
		    "  - name: site-1\n"
		    "    type: client\n"
		    "    connection_security: clear\n"
		    "    admin_port: 9003\n");
	part(&p, &f, 0);
	assert_int_equal(p.fed_learn_port, 9002);
	assert_int_equal(p.fed_learn_port_at->line, 6);
	/* admin_port follows the written fed_learn_port */
	assert_int_equal(p.admin_port, 9002);
	assert_null(p.admin_port_at);
	assert_string_equal(ccp_model_org(&p), "acme");
	assert_string_equal(ccp_model_default_host(&p, &from), "fl.acme.com");
	assert_int_equal(from->line, 7);
	assert_string_equal(p.cc_ref->value, "cc.yml");
	/* the project's connection_security, located there */
	assert_int_equal(p.conn_sec, CCP_CONN_TLS);
	assert_int_equal(p.conn_sec_at->line, 1);

	part(&p, &f, 1);
	assert_int_equal(p.ptype, CCP_PT_CLIENT);
	assert_int_equal(p.fed_learn_port, CCP_NVF_FED_LEARN_PORT);
	assert_int_equal(p.admin_port, 9003);
	assert_int_equal(p.admin_port_at->line, 12);
	/* the participant's own value wins */
	assert_int_equal(p.conn_sec, CCP_CONN_CLEAR);
	assert_int_equal(p.conn_sec_at->line, 11);
	fx_release(&f);
}

/* A value of the wrong type or range has no value but keeps its node. */
static void test_part_wrong_types(void **state)
{
	fx f;
	ccp_model_part p;
	const ccp_node *from;

	(void)state;
	fx_load(&f, "participants:\n"
		    "  - name: [a]\n"
		    "    type: {x: 1}\n"
		    "    fed_learn_port: \"8002\"\n"
		    "    default_host: 17\n"
		    "    connection_security: mtlss\n"
		    "    cc_config: {path: x}\n"
		    "  - name: site-1\n"
		    "    admin_port: 70000\n"
		    "    fed_learn_port: 0\n"
		    "    default_host: ''\n"
		    "    connection_security: ''\n"
		    "  - just a string\n");
	part(&p, &f, 0);
	assert_null(p.name);
	assert_int_equal(p.name_at->line, 2);
	assert_int_equal(p.ptype, CCP_PT_OTHER);
	assert_null(ccp_model_type(&p));
	assert_int_equal(p.type_at->line, 3);
	assert_int_equal(p.fed_learn_port, 0);
	assert_int_equal(p.fed_learn_port_at->line, 4);
	/* no admin_port: follows the invalid fed_learn_port */
	assert_int_equal(p.admin_port, 0);
	assert_null(ccp_model_default_host(&p, &from));
	assert_int_equal(from->line, 5);
	assert_int_equal(p.conn_sec, CCP_CONN_UNSET);
	assert_int_equal(p.conn_sec_at->line, 6);
	assert_null(p.cc_ref);

	part(&p, &f, 1);
	assert_int_equal(p.fed_learn_port, 0);
	assert_int_equal(p.fed_learn_port_at->line, 10);
	assert_int_equal(p.admin_port, 0);
	assert_int_equal(p.admin_port_at->line, 9);
	/* '' reads as false in Python: NVFlare falls back (name, mtls) */
	assert_string_equal(ccp_model_default_host(&p, &from), "site-1");
	assert_int_equal(from->line, 8);
	assert_int_equal(p.conn_sec, CCP_CONN_MTLS);
	assert_null(p.conn_sec_at);

	part(&p, &f, 2);
	assert_int_equal(p.node->line, 13);
	assert_null(p.name);
	assert_null(p.name_at);
	assert_int_equal(p.ptype, CCP_PT_OTHER);
	assert_null(ccp_model_default_host(&p, &from));
	assert_null(from);
	fx_release(&f);
}

static void test_resolvers(void **state)
{
	(void)state;
	assert_int_equal(ccp_model_resolve_fed_learn_port(NULL), 8002);
	assert_int_equal(ccp_model_resolve_admin_port(NULL, 9000), 9000);
	assert_int_equal(ccp_model_resolve_admin_port(NULL, 0), 0);
	assert_int_equal(ccp_model_resolve_check_frequency(NULL), 600);
	assert_int_equal(ccp_model_resolve_ptype("relay"), CCP_PT_RELAY);
	assert_int_equal(ccp_model_resolve_ptype("overseer"), CCP_PT_OTHER);
	assert_int_equal(ccp_model_resolve_ptype(NULL), CCP_PT_OTHER);
}

static void cc_file(ccp_cc_file *out, const fx *f)
{
	memset(out, 0, sizeof(*out));
	out->root = f->root;
	ccp_model_cc_read(out);
}

static void test_cc(void **state)
{
	fx f;
	ccp_cc_file c;

	(void)state;
	fx_load(&f, "compute_env: onprem_cvm\n"
		    "cc_cpu_mechanism: amd_sev_snp\n"
		    "cc_issuers:\n"
		    "  - id: snp\n"
		    "cc_attestation:\n"
		    "  check_frequency: 120\n");
	cc_file(&c, &f);
	assert_non_null(c.env);
	assert_string_equal(c.env->name, "onprem_cvm");
	assert_int_equal(c.compute_env_at->line, 1);
	assert_int_equal(c.cpu_mechanism_at->line, 2);
	assert_null(c.gpu_mechanism_at);
	assert_ptr_equal(c.issuers, c.issuers_at);
	assert_int_equal(c.issuers->count, 1);
	assert_int_equal(c.check_frequency, 120);
	assert_int_equal(c.check_frequency_at->line, 6);
	fx_release(&f);

	fx_load(&f, "compute_env: onprem\n"
		    "cc_issuers: {id: snp}\n"
		    "cc_attestation:\n"
		    "  check_frequency: null\n");
	cc_file(&c, &f);
	/* not one of NVFlare's: no environment, the node kept */
	assert_null(c.env);
	assert_int_equal(c.compute_env_at->line, 1);
	/* a mapping is not a list of issuers, but stays located */
	assert_null(c.issuers);
	assert_int_equal(c.issuers_at->line, 2);
	assert_int_equal(c.check_frequency, CCP_NVF_CHECK_FREQUENCY);
	assert_null(c.check_frequency_at);
	fx_release(&f);

	fx_load(&f, "compute_env: [mock]\n"
		    "cc_attestation:\n"
		    "  check_frequency: -5\n");
	cc_file(&c, &f);
	assert_null(c.env);
	assert_int_equal(c.check_frequency, 0);
	assert_int_equal(c.check_frequency_at->line, 3);
	fx_release(&f);

	/* a file that did not load */
	memset(&c, 0, sizeof(c));
	ccp_model_cc_read(&c);
	assert_null(c.env);
	assert_null(c.compute_env_at);
	assert_int_equal(c.check_frequency, CCP_NVF_CHECK_FREQUENCY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_part_size),
		cmocka_unit_test(test_part_defaults),
		cmocka_unit_test(test_part_values),
		cmocka_unit_test(test_part_wrong_types),
		cmocka_unit_test(test_resolvers),
		cmocka_unit_test(test_cc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
