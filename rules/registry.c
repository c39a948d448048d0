/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rule registry: every diagnostic ccprov can emit, sorted by id.
 * A rule is one row here, a check function (policy rules), a page
 * rules/<ID>.md and golden cases tests/golden/<ID>-fires*,
 * tests/golden/<ID>-silent*; the golden.rule-coverage test
 * (tests/golden_runner.c --rules) checks the page, its severity and both
 * cases for every row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccprov/names.h"
#include "ccprov/buf.h"
#include "ccprov/rules.h"
#include "ccprov/schema.h"
#include "checks.h"

#define E CCP_SEV_ERROR
#define W CCP_SEV_WARNING
#define N CCP_SEV_NOTE

static const ccp_rule registry[] = {
	/* builders and packager */
	{ "CCP-B001", E, "builders", "WorkspaceBuilder missing or not the first builder", ccp_check_workspace_first },
	{ "CCP-B002", E, "builders", "StaticFileBuilder or CertBuilder missing", ccp_check_required_builders },
	{ "CCP-B003", E, "builders", "CCBuilder not after StaticFileBuilder and before SignatureBuilder", ccp_check_cc_builder_order },
	{ "CCP-B004", E, "builders", "CertBuilder or StaticFileBuilder after SignatureBuilder", ccp_check_signature_last },
	{ "CCP-B005", E, "builders", "builder listed twice", ccp_check_duplicate_builders },
	{ "CCP-B006", E, "builders", "CC participant without CCBuilder or SignatureBuilder", ccp_check_cc_needs_builders },
	{ "CCP-B007", W, "builders", "CCBuilder or OnPremPackager with no CC participant", ccp_check_cc_unused },
	{ "CCP-B008", E, "builders", "builder or packager path that nearly names an NVFlare class", ccp_check_near_miss_paths },
	{ "CCP-B009", N, "builders", "custom builder or packager ccprov cannot check", ccp_check_custom_paths },
	{ "CCP-B010", E, "builders", "builder or packager argument of the wrong type or value", ccp_check_builder_arg_values },
	{ "CCP-B011", W, "builders", "communication scheme that is not builtin", ccp_check_builder_scheme },
	{ "CCP-B012", W, "builders", "obsolete builder or argument", ccp_check_obsolete },
	{ "CCP-B013", E, "builders", "argument a builder or packager does not take", ccp_check_unknown_args },
	{ "CCP-B014", W, "builders", "argument StaticFileBuilder ignores", ccp_check_ignored_args },
	{ "CCP-B015", E, "builders", "OnPremPackager build_image_cmd missing or not executable", ccp_check_build_image_cmd },
	{ "CCP-B016", W, "builders", "user_config 'nvflare' the packager overwrites", ccp_check_user_config_nvflare },
	{ "CCP-B017", N, "builders", "builder that ccprov provision does not implement", ccp_check_unprovisioned_builders },
	{ "CCP-B018", E, "builders", "builder or packager path NVFlare cannot use in its slot", ccp_check_wrong_slot },

	/* confidential computing */
	{ "CCP-C001", E, "cc", "cc_config role that does not match the participant type", ccp_check_cc_role },
	{ "CCP-C002", E, "cc", "cc_config on an admin or relay", ccp_check_cc_participant_type },
	{ "CCP-C003", E, "cc", "one cc_config file shared by a server and clients", ccp_check_cc_shared_file },
	{ "CCP-C004", E, "cc", "onprem_cvm without cc_cpu_mechanism", ccp_check_cc_cpu_mechanism },
	{ "CCP-C005", W, "cc", "mock compute_env: a site that is not attested", ccp_check_cc_mock_mixed },
	{ "CCP-C006", W, "cc", "different compute environments in one project", ccp_check_cc_env_mixed },
	{ "CCP-C007", W, "cc", "servers and clients with and without cc_config in one project", ccp_check_cc_mixed },
	{ "CCP-C008", W, "cc", "cc_config without issuers", ccp_check_cc_no_issuers },
	{ "CCP-C009", E, "cc", "token_expiration not less than check_frequency", ccp_check_cc_token_frequency },
	{ "CCP-C010", E, "cc", "issuer without token_expiration", ccp_check_cc_token_missing },
	{ "CCP-C011", E, "cc", "issuer id used twice in one cc_config", ccp_check_cc_issuer_id_dup },
	{ "CCP-C012", E, "cc", "issuer id with another class or args at another site", ccp_check_cc_issuer_id_consistent },
	{ "CCP-C013", E, "cc", "issuer class that does not fit the compute environment", ccp_check_cc_issuer_env },
	{ "CCP-C014", W, "cc", "nvidia_cc GPU without a GPUAuthorizer", ccp_check_cc_gpu_issuer },
	{ "CCP-C015", E, "cc", "argument an issuer class does not take", ccp_check_cc_issuer_args },
	{ "CCP-C016", E, "cc", "required issuer argument missing", ccp_check_cc_issuer_required },
	{ "CCP-C017", N, "cc", "issuer class ccprov does not know", ccp_check_cc_issuer_unknown },
	{ "CCP-C018", E, "cc", "issuer path that is not a dotted class path", ccp_check_cc_issuer_path },
	{ "CCP-C019", E, "cc", "class_allow_list entry that is not a class path or package prefix", ccp_check_cc_class_allow_list },
	{ "CCP-C020", E, "cc", "onprem_cvm without docker_archive", ccp_check_cc_docker_missing },
	{ "CCP-C021", E, "cc", "docker_archive missing, unreadable or not a regular file", ccp_check_cc_docker_file },
	{ "CCP-C022", E, "cc", "docker_archive that is not a docker save archive", ccp_check_cc_docker_format },
	{ "CCP-C023", E, "cc", "docker image larger than root_drive_size", ccp_check_cc_docker_size },
	{ "CCP-C024", W, "cc", "docker_archive not read to its end within the scan's budget", ccp_check_cc_docker_budget },

	/* the lint gate: configuration and suppressions (raised by the CLI) */
	{ "CCP-G001", E, "gate", "invalid .ccprov.yml setting", NULL },
	{ "CCP-G002", W, "gate", "suppression without a reason", NULL },
	{ "CCP-G003", W, "gate", "suppression that covers no finding", NULL },
	{ "CCP-G004", W, "gate", "ccprov comment that cannot be read", NULL },

	/* network: ports and hosts */
	{ "CCP-N001", E, "network", "server allowed_ports without its fed_learn_port or admin_port", ccp_check_net_server_ports },
	{ "CCP-N002", E, "network", "client allowed_out_ports without the server's ports", ccp_check_net_client_ports },
	{ "CCP-N003", W, "network", "port listed twice", ccp_check_net_duplicate_ports },
	{ "CCP-N004", W, "network", "risky inbound port in allowed_ports", ccp_check_net_risky_ports },
	{ "CCP-N005", W, "network", "hosts_entries host that no participant uses", ccp_check_net_hosts_unknown },
	{ "CCP-N006", N, "network", "client hosts_entries without the server's unqualified name", ccp_check_net_hosts_server },

	/* participants and project */
	{ "CCP-P001", E, "participants", "no server, or more than one", ccp_check_server_count },
	{ "CCP-P002", W, "participants", "participants NVFlare's edge mode ignores", ccp_check_edge_participants },
	{ "CCP-P003", E, "participants", "participant name used twice", ccp_check_duplicate_names },
	{ "CCP-P004", W, "participants", "participant names that differ only in case", ccp_check_names_ignoring_case },
	{ "CCP-P005", E, "participants", "admin without a role", ccp_check_admin_role },
	{ "CCP-P006", E, "participants", "connect_to naming something other than the server or a relay", ccp_check_connect_to_target },
	{ "CCP-P007", W, "participants", "connect_to with neither name nor host", ccp_check_connect_to_empty },
	{ "CCP-P008", E, "participants", "relay without listening_host", ccp_check_relay_listening_host },
	{ "CCP-P009", E, "participants", "client parent that is not a client or the server", ccp_check_parent_defined },
	{ "CCP-P010", E, "participants", "relay or client hierarchy with a cycle", ccp_check_parent_cycle },
	{ "CCP-P011", W, "participants", "parent on a participant that does not use it", ccp_check_parent_ignored },
	{ "CCP-P012", E, "participants", "custom_ca_cert missing, unreadable or not CA certificates", ccp_check_custom_ca_cert },
	{ "CCP-P013", E, "participants", "studies without api_version 4", ccp_check_studies_version },
	{ "CCP-P014", E, "participants", "study named 'default'", ccp_check_study_reserved },
	{ "CCP-P015", E, "participants", "study naming an unknown org, client or admin", ccp_check_study_refs },
	{ "CCP-P016", E, "participants", "study listing a client under another org", ccp_check_study_client_org },
	{ "CCP-P017", E, "participants", "study listing a client twice", ccp_check_study_duplicate_client },
	{ "CCP-P018", W, "participants", "study listing an admin twice", ccp_check_study_duplicate_admin },
	{ "CCP-P019", E, "participants", "client or relay named 'server'", ccp_check_site_named_server },
	{ "CCP-P020", W, "participants", "relative path that names another file from the current directory", ccp_check_cwd_relative },
	{ "CCP-P022", E, "participants", "project the chosen NVFlare release line refuses", ccp_check_release_refuses },
	{ "CCP-P023", W, "participants", "setting the chosen NVFlare release line does not have", ccp_check_release_ignores },
	{ "CCP-P024", E, "participants", "edge section NVFlare's edge mode fails on", ccp_check_edge_section },
	{ "CCP-P025", E, "participants", "client or admin connect_to to the server without a host", ccp_check_connect_to_no_host },
	{ "CCP-P026", W, "participants", "connect_to host its target does not listen on", ccp_check_connect_to_host_known },

	/* schema (raised by the schema walker) */
	{ "CCP-S001", E, "schema", "unknown key", NULL },
	{ "CCP-S002", W, "schema", "participant property ccprov does not know, close to one it does", NULL },
	{ "CCP-S003", E, "schema", "value of the wrong type", NULL },
	{ "CCP-S004", E, "schema", "required key missing or empty", NULL },
	{ "CCP-S005", E, "schema", "value outside the allowed set", NULL },
	{ "CCP-S006", E, "schema", "integer out of range", NULL },
	{ "CCP-S007", E, "schema", "name or address of the wrong form", NULL },
	{ "CCP-S008", E, "schema", "name longer than a certificate can hold", NULL },
	{ "CCP-S009", W, "schema", "name NVFlare truncates", NULL },
	{ "CCP-S010", E, "schema", "characters that would break kit paths, JSON or scripts", NULL },
	{ "CCP-S011", W, "schema", "value NVFlare does not recognise and only warns about", NULL },
	{ "CCP-S012", E, "schema", "empty value where one is needed", NULL },
	{ "CCP-S013", W, "schema", "participant flag NVFlare reads differently from what is written", NULL },

	/* verify (raised by ccprov verify on a received kit) */
	{ "CCP-V001", E, "verify", "signature missing or not matching the root CA", NULL },
	{ "CCP-V002", E, "verify", "entry a kit of its kind and line must have is missing", NULL },
	{ "CCP-V003", E, "verify", "entry that is no part of a kit of its kind", NULL },
	{ "CCP-V004", E, "verify", "entry of the wrong type (folder, file, link)", NULL },
	{ "CCP-V005", E, "verify", "file whose content is not what its name says", NULL },
	{ "CCP-V006", E, "verify", "certificate or key that does not chain or match", NULL },
	{ "CCP-V007", W, "verify", "private key readable by others", NULL },
	{ "CCP-V008", E, "verify", "kit for another NVFlare release line", NULL },
	{ "CCP-V009", W, "verify", "trust anchor taken from the kit itself", NULL },
	{ "CCP-V010", E, "verify", "kit archive that cannot be unpacked safely", NULL },

	/* YAML (raised by the loader) */
	{ "CCP-Y001", E, "yaml", "YAML syntax error", NULL },
	{ "CCP-Y002", E, "yaml", "duplicate mapping key", NULL },
	{ "CCP-Y003", E, "yaml", "top level is not a mapping", NULL },
	{ "CCP-Y004", E, "yaml", "empty file", NULL },
	{ "CCP-Y005", E, "yaml", "invalid UTF-8 or NUL byte", NULL },
	{ "CCP-Y006", E, "yaml", "file over the size limit", NULL },
	{ "CCP-Y007", E, "yaml", "nesting deeper than the limit", NULL },
	{ "CCP-Y008", E, "yaml", "alias expansion or node count beyond the limit", NULL },
	{ "CCP-Y009", E, "yaml", "file missing or unreadable", NULL },
	{ "CCP-Y010", E, "yaml", "a directory where a file is expected", NULL },
	{ "CCP-Y011", E, "yaml", "include: that cannot be resolved", NULL },
	{ "CCP-Y012", W, "yaml", "included key overridden by the including file", NULL },
	{ "CCP-Y013", E, "yaml", "YAML tag NVFlare's safe loader refuses", NULL },
};

#undef E
#undef W
#undef N

const ccp_rule *ccp_rules(size_t *count)
{
	*count = sizeof(registry) / sizeof(registry[0]);
	return registry;
}

/*
 * "CCP-C001" from what users type: any case, with or without the
 * "CCP-" (or "CCP") prefix, and with fewer digits ("c1"). Returns 0, or
 * -1 when the text cannot be an id.
 */
static int normalize_id(char out[9], const char *text)
{
	const char *p = text;
	size_t digits;
	unsigned long n;
	char *end;

	if (ccp_name_ncasecmp(p, "CCP", 3) == 0) {
		p += 3;
		if (*p == '-' || *p == '_')
			p++;
	}
	if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
		return -1;
	digits = strspn(p + 1, "0123456789");
	if (!digits || digits > 3 || p[1 + digits] != '\0')
		return -1;
	n = strtoul(p + 1, &end, 10);
	snprintf(out, 9, "CCP-%c%03lu", *p & ~0x20, n);
	return 0;
}

const ccp_rule *ccp_rule_find(const char *text)
{
	size_t lo = 0, hi = sizeof(registry) / sizeof(registry[0]);
	char id[9];

	if (normalize_id(id, text) < 0)
		return NULL;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = ccp_name_casecmp(id, registry[mid].id);

		if (c == 0)
			return &registry[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *ccp_rule_suggest(const char *text)
{
	const char *ids[sizeof(registry) / sizeof(registry[0])];
	char norm[64];
	size_t i, n = sizeof(registry) / sizeof(registry[0]);
	const char *p = text, *dash = strrchr(text, '-');
	const ccp_rule *r;

	/* a misspelt prefix ("CPP-C001") around a valid id */
	if (dash && (r = ccp_rule_find(dash + 1)) != NULL)
		return r->id;
	/* compare with the prefix on and in upper case, as the ids are */
	if (ccp_name_ncasecmp(p, "CCP", 3) == 0)
		p += 3 + (p[3] == '-' || p[3] == '_');
	snprintf(norm, sizeof(norm), "CCP-%s", p);
	for (i = 4; norm[i]; i++)
		if (norm[i] >= 'a' && norm[i] <= 'z')
			norm[i] = (char)(norm[i] - 'a' + 'A');
	for (i = 0; i < n; i++)
		ids[i] = registry[i].id;
	return ccp_suggest(norm, ids, n);
}

int ccp_rule_severity(const char *id, ccp_severity *out)
{
	const ccp_rule *r = ccp_rule_find(id);

	if (!r)
		return -1;
	*out = r->severity;
	return 0;
}

/* generated from the rule pages (rules/<ID>.md) at build time */
extern const ccp_rule_page ccp_rule_pages[];

const char *ccp_rule_page_text(const char *id)
{
	const ccp_rule_page *p;

	for (p = ccp_rule_pages; p->id; p++)
		if (ccp_name_casecmp(p->id, id) == 0)
			return p->text;
	return NULL;
}
