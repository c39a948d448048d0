/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The catalogue of NVFlare's facts (ccprov/nvflare.h): release lines,
 * the builder and packager classes with their arguments and the lines
 * that read them, and the CC authorizers. The values asserted are
 * NVFlare 2.7.2's and 2.8.1's (docs/nvflare-lines.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ccprov/nvflare.h"

#define CERT_PATH "nvflare.lighter.impl.cert.CertBuilder"
#define STATIC_PATH "nvflare.lighter.impl.static_file.StaticFileBuilder"

static const ccp_nvf_line lines[] = { CCP_NVF_2_7, CCP_NVF_2_8 };

static void test_line_parse(void **state)
{
	ccp_nvf_line l = CCP_NVF_2_8;

	(void)state;
	assert_int_equal(ccp_nvf_line_parse(&l, "2.7.2"), 0);
	assert_int_equal(l, CCP_NVF_2_7);
	assert_int_equal(ccp_nvf_line_parse(&l, "2.8"), 0);
	assert_int_equal(l, CCP_NVF_2_8);
	assert_int_equal(ccp_nvf_line_parse(&l, "2.9"), -1);
	assert_int_equal(ccp_nvf_line_parse(&l, "2.7."), -1);
	assert_string_equal(ccp_nvf_release_of(CCP_NVF_2_7)->reference, "2.7.2");
}

static void test_class_find(void **state)
{
	const ccp_nvf_class *c;

	(void)state;
	c = ccp_nvf_class_find(CERT_PATH, 0);
	assert_non_null(c);
	assert_int_equal(c->id, CCP_NVF_C_CERT);
	assert_int_equal(c->builder, CCP_NVF_B_CERT);
	assert_int_equal(c->kwargs, 0);
	/* a builder is not found as a packager, nor the other way round */
	assert_null(ccp_nvf_class_find(CERT_PATH, 1));
	assert_null(ccp_nvf_class_find(CCP_NVF_ONPREM_PACKAGER, 0));
	c = ccp_nvf_class_find(CCP_NVF_ONPREM_PACKAGER, 1);
	assert_non_null(c);
	assert_int_equal(c->id, CCP_NVF_C_ONPREM);
	assert_int_equal(c->builder, CCP_NVF_B_UNKNOWN);
	/* exact paths only: the near misses are lint's to resolve */
	assert_null(ccp_nvf_class_find("nvflare.lighter.impl.cert.CertBuilderX", 0));
	assert_null(ccp_nvf_class_find("nvflare.lighter.impl.cert.certbuilder", 0));
	assert_null(ccp_nvf_class_find("impl.cert.CertBuilder", 0));
	assert_null(ccp_nvf_class_find("my.builders.CertBuilder", 0));
	assert_null(ccp_nvf_class_find(NULL, 0));
}

static void test_class_table(void **state)
{
	const ccp_nvf_class *c;
	size_t i;

	(void)state;
	for (i = 0; i < CCP_NVF_C_COUNT; i++) {
		c = ccp_nvf_class_of((ccp_nvf_class_id)i);
		assert_non_null(c);
		assert_int_equal(c->id, i);
		assert_ptr_equal(ccp_nvf_class_find(c->path, c->packager), c);
		assert_int_equal(strncmp(c->path, "nvflare.lighter.", 16), 0);
	}
	assert_null(ccp_nvf_class_of(CCP_NVF_C_COUNT));
	/* StaticFileBuilder takes **kwargs; TemplateBuilder is obsolete;
	 * ccprov does not run DockerBuilder */
	assert_int_equal(ccp_nvf_class_of(CCP_NVF_C_STATIC)->kwargs, 1);
	assert_int_equal(ccp_nvf_class_of(CCP_NVF_C_TEMPLATE)->obsolete, 1);
	assert_int_equal(ccp_nvf_class_of(CCP_NVF_C_CERT)->obsolete, 0);
	assert_int_equal(ccp_nvf_builder_kind(ccp_nvf_class_of(CCP_NVF_C_DOCKER)->path),
			 CCP_NVF_B_UNKNOWN);
}

static void test_builder_kinds(void **state)
{
	static const ccp_nvf_builder kinds[] = {
		CCP_NVF_B_WORKSPACE, CCP_NVF_B_STATIC_FILE, CCP_NVF_B_CERT,
		CCP_NVF_B_CC, CCP_NVF_B_SIGNATURE,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *path = ccp_nvf_builder_path(kinds[i]);

		assert_non_null(path);
		assert_int_equal(ccp_nvf_builder_kind(path), kinds[i]);
		assert_non_null(ccp_nvf_builder_args(kinds[i]));
	}
	assert_string_equal(ccp_nvf_builder_path(CCP_NVF_B_CC),
			    "nvflare.lighter.cc_provision.impl.cc.CCBuilder");
	assert_null(ccp_nvf_builder_path(CCP_NVF_B_UNKNOWN));
	assert_null(ccp_nvf_builder_args(CCP_NVF_B_UNKNOWN));
	assert_int_equal(ccp_nvf_builder_kind(CCP_NVF_ONPREM_PACKAGER),
			 CCP_NVF_B_UNKNOWN);
	assert_int_equal(ccp_nvf_builder_kind(NULL), CCP_NVF_B_UNKNOWN);
}

static void test_builder_args(void **state)
{
	const ccp_nvf_arg *a;

	(void)state;
	/* SignatureBuilder takes nothing, CertBuilder one argument */
	assert_null(ccp_nvf_builder_args(CCP_NVF_B_SIGNATURE)->name);
	a = ccp_nvf_builder_args(CCP_NVF_B_CERT);
	assert_string_equal(a[0].name, "root_valid_days");
	assert_null(a[1].name);
	assert_int_equal(a[0].kind, CCP_NVF_ARG_POS_INT);
	assert_null(ccp_nvf_builder_arg(CCP_NVF_B_CERT, "valid_days"));
	assert_null(ccp_nvf_builder_arg(CCP_NVF_B_CERT, NULL));
	assert_null(ccp_nvf_builder_arg(CCP_NVF_B_UNKNOWN, "scheme"));

	a = ccp_nvf_builder_arg(CCP_NVF_B_STATIC_FILE, "scheme");
	assert_non_null(a);
	assert_int_equal(a->kind, CCP_NVF_ARG_SCHEME);
	assert_null(a->obsolete);
	a = ccp_nvf_builder_arg(CCP_NVF_B_STATIC_FILE, "overseer_agent");
	assert_non_null(a);
	assert_non_null(a->obsolete);
	a = ccp_nvf_builder_arg(CCP_NVF_B_CC, "cc_mgr_id");
	assert_non_null(a);
	assert_int_equal(a->kind, CCP_NVF_ARG_FILE_NAME);
	a = ccp_nvf_class_arg(ccp_nvf_class_of(CCP_NVF_C_ONPREM), "build_image_cmd");
	assert_non_null(a);
	assert_int_equal(a->kind, CCP_NVF_ARG_NAME);
	assert_null(ccp_nvf_class_arg(ccp_nvf_class_of(CCP_NVF_C_ONPREM), "cc_mgr_id"));
	assert_null(ccp_nvf_class_arg(NULL, "scheme"));
}

/* Which release lines read an argument: the lines column, per line. */
static void test_args_per_line(void **state)
{
	const ccp_nvf_arg *rvd = ccp_nvf_builder_arg(CCP_NVF_B_CERT, "root_valid_days");
	const ccp_nvf_arg *rsj = ccp_nvf_builder_arg(CCP_NVF_B_STATIC_FILE,
						     "require_signed_jobs");
	const ccp_nvf_arg *scheme = ccp_nvf_builder_arg(CCP_NVF_B_STATIC_FILE, "scheme");
	const ccp_nvf_arg *mgr = ccp_nvf_builder_arg(CCP_NVF_B_CC, "cc_mgr_id");
	size_t i;

	(void)state;
	assert_non_null(rvd);
	assert_non_null(rsj);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		/* no released CertBuilder takes root_valid_days, no
		 * released StaticFileBuilder reads require_signed_jobs */
		assert_int_equal(ccp_nvf_arg_read(rvd, lines[i]),
				 (rvd->lines & CCP_NVF_LINE_BIT(lines[i])) != 0);
		assert_false(ccp_nvf_arg_read(rvd, lines[i]));
		assert_false(ccp_nvf_arg_read(rsj, lines[i]));
		assert_true(ccp_nvf_arg_read(scheme, lines[i]));
		assert_true(ccp_nvf_arg_read(mgr, lines[i]));
		assert_false(ccp_nvf_arg_read(NULL, lines[i]));
	}
	assert_int_equal(rvd->lines, 0);
	assert_int_equal(scheme->lines, CCP_NVF_ALL_LINES);
}

static void test_issuers(void **state)
{
	const ccp_nvf_issuer *all, *k;
	size_t n, i;

	(void)state;
	all = ccp_nvf_issuers(&n);
	assert_int_equal(n, 6);
	assert_true(n <= CCP_NVF_ISSUERS_MAX);
	for (i = 0; i < n; i++) {
		assert_int_equal(strncmp(all[i].path, CCP_NVF_CC_PKG,
					 strlen(CCP_NVF_CC_PKG)), 0);
		assert_ptr_equal(ccp_nvf_issuer_find(all[i].path), &all[i]);
	}
	k = ccp_nvf_issuer_find(CCP_NVF_CC_PKG "tdx_authorizer.TDXAuthorizer");
	assert_non_null(k);
	assert_string_equal(k->env_key, "cc_cpu_mechanism");
	assert_string_equal(k->env_value, "intel_tdx");
	/* both of TDXAuthorizer's arguments lack a default */
	assert_string_equal(k->required[0], "tdx_cli_command");
	assert_string_equal(k->required[1], "config_dir");
	assert_null(k->required[2]);
	k = ccp_nvf_issuer_find(CCP_NVF_CC_PKG "snp_authorizer.SNPAuthorizer");
	assert_non_null(k);
	assert_null(k->required[0]);
	assert_string_equal(k->args[0], "max_nonce_history");
	assert_string_equal(k->args[6], "cmd_timeout");
	assert_null(k->args[7]);
	k = ccp_nvf_issuer_find(CCP_NVF_CC_PKG "mock_authorizer.MockAuthorizer");
	assert_non_null(k);
	assert_null(k->args[0]);
	assert_string_equal(k->env_value, "mock");
	assert_null(ccp_nvf_issuer_find(CCP_NVF_CC_PKG "foo_authorizer.FooAuthorizer"));
	assert_null(ccp_nvf_issuer_find("snp_authorizer.SNPAuthorizer"));
	assert_null(ccp_nvf_issuer_find(CCP_NVF_CC_MANAGER));
	assert_null(ccp_nvf_issuer_find(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_parse),
		cmocka_unit_test(test_class_find),
		cmocka_unit_test(test_class_table),
		cmocka_unit_test(test_builder_kinds),
		cmocka_unit_test(test_builder_args),
		cmocka_unit_test(test_args_per_line),
		cmocka_unit_test(test_issuers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
