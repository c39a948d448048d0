/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Provisioning end to end on hand-built projects (the seed example and a
 * non-CC one): the seed kit compared with the one NVFlare 2.8.1 wrote
 * (tests/fixtures/kits; test_refkits.c compares every reference project
 * on both release lines), certificates and signatures checked
 * with the openssl command line, the state rules, packaging with a
 * stand-in image builder, and failure injection (failing builder,
 * builder error, timeout, SIGTERM, SIGKILL) that must publish nothing.
 *
 * RSA keys are slow: the group setup provisions the seed project once
 * and later runs start from a copy of its state, so they make no keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "ccprov/crypto.h"
#include "ccprov/json.h"
#include "ccprov/kit.h"
#include "ccprov/lint.h"
#include "ccprov/provision.h"
#include "dir.h"

#define SEED "example_project"

static char g_tmp[] = "/tmp/ccprov-provision-XXXXXX";
static char g_fixtures[1024];
static char g_seed_ws[1024];     /* workspace of the group setup's run */
static char g_seed_state[1100];  /* its state/cert.json */

/* ---- helpers ---- */

static char *xstrdup(const char *s)
{
	char *r = s ? strdup(s) : NULL;

	if (s)
		assert_non_null(r);
	return r;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *fmt(const char *f, ...)
{
	va_list ap;
	char *r = NULL;
	int n;

	va_start(ap, f);
	n = vasprintf(&r, f, ap);
	va_end(ap);
	assert_true(n >= 0);
	return r;
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return data;
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
	size_t len;
	char *data = slurp(from, &len);
	FILE *f;

	assert_non_null(data);
	f = fopen(to, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	chmod(to, mode);
	free(data);
}

static void remove_tree(const char *path)
{
	ccp_error err;

	ccp_dir_rmtree(path, &err);
}

/* Run a shell command; its stdout (trimmed) into out. Exit status. */
static int sh(char *out, size_t outlen, const char *cmd)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0;
	int st;

	assert_non_null(p);
	if (out) {
		n = fread(out, 1, outlen - 1, p);
		out[n] = '\0';
		while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
			out[--n] = '\0';
	} else {
		char sink[4096];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *new_workspace(const char *name)
{
	char *ws = fmt("%s/%s", g_tmp, name);

	remove_tree(ws);
	return ws;
}

/* Seed the workspace with the shared state so the run makes no keys. */
static void seed_state(const char *ws, const char *project)
{
	char *d1 = fmt("%s/%s", ws, project);
	char *d2 = fmt("%s/state", d1);
	char *f = fmt("%s/cert.json", d2);

	mkdir(ws, 0755);
	mkdir(d1, 0755);
	mkdir(d2, 0700);
	copy_file(g_seed_state, f, 0600);
	free(d1);
	free(d2);
	free(f);
}

/* ---- hand-built projects (until lint resolves project.yml) ---- */

static ccp_json *json_of(const char *text)
{
	char msg[128];
	ccp_json *v = NULL;

	assert_int_equal(ccp_json_parse(&v, text, strlen(text), msg, sizeof(msg)), 0);
	return v;
}

static ccp_kit_cc *seed_cc(const char *role, const char *env)
{
	ccp_kit_cc *cc = calloc(1, sizeof(*cc));
	char *doc;

	assert_non_null(cc);
	cc->source_path = fmt("cc_%s.yml", role);
	cc->abs_path = fmt("%s/cc_%s.yml", g_fixtures, role);
	cc->compute_env = xstrdup(env);
	cc->cpu_mechanism = xstrdup("amd_sev_snp");
	cc->check_frequency = 120;
	cc->n_issuers = 1;
	cc->issuers = calloc(1, sizeof(*cc->issuers));
	assert_non_null(cc->issuers);
	cc->issuers[0].id = xstrdup("snp_authorizer");
	cc->issuers[0].path = xstrdup(
		"nvflare.app_opt.confidential_computing.snp_authorizer.SNPAuthorizer");
	cc->issuers[0].token_expiration = 100;
	cc->issuers[0].args = json_of("{\"snpguest_binary\": \"/host/bin/snpguest\"}");
	doc = fmt("{\"compute_env\": \"%s\", \"cc_cpu_mechanism\": \"amd_sev_snp\", "
		  "\"role\": \"%s\", \"root_drive_size\": 10, "
		  "\"docker_archive\": \"/tmp/nvflare-site.tar.gz\", "
		  "\"cc_issuers\": [{\"id\": \"snp_authorizer\", \"path\": "
		  "\"nvflare.app_opt.confidential_computing.snp_authorizer.SNPAuthorizer\", "
		  "\"token_expiration\": 100, \"args\": {\"snpguest_binary\": "
		  "\"/host/bin/snpguest\"}}], \"cc_attestation\": {\"check_frequency\": 120}}",
		  env, role);
	cc->doc = json_of(doc);
	free(doc);
	return cc;
}

static void add_builder(ccp_kit_project *p, const char *path, const char *args)
{
	ccp_kit_component *b = &p->builders[p->n_builders++];

	b->path = xstrdup(path);
	b->args = json_of(args ? args : "{}");
}

#define B_WS "nvflare.lighter.impl.workspace.WorkspaceBuilder"
#define B_SF "nvflare.lighter.impl.static_file.StaticFileBuilder"
#define B_CERT "nvflare.lighter.impl.cert.CertBuilder"
#define B_CC "nvflare.lighter.cc_provision.impl.cc.CCBuilder"
#define B_SIG "nvflare.lighter.impl.signature.SignatureBuilder"
#define PACKAGER "nvflare.lighter.cc_provision.impl.onprem_packager.OnPremPackager"

/*
 * The seed example: server1 (fed_learn_port 8002), site-1,
 * admin@nvidia.com (project_admin), org nvidia; CC on server1 and
 * site-1 (env, amd_sev_snp, snp_authorizer). cc = 0 gives the plain
 * noncc reference project (admin_port 8003).
 */
static ccp_kit_project *make_project(int cc, const char *env)
{
	ccp_kit_project *p = calloc(1, sizeof(*p));
	ccp_kit_participant *q;

	assert_non_null(p);
	p->name = xstrdup(cc ? SEED : "plain_project");
	p->api_version = 3;
	p->description = xstrdup("test project");
	p->project_dir = xstrdup(g_fixtures);
	p->project_file = fmt("%s/project.yml", g_fixtures);
	p->n_participants = 3;
	p->participants = calloc(3, sizeof(*p->participants));
	p->builders = calloc(8, sizeof(*p->builders));
	assert_non_null(p->participants);
	assert_non_null(p->builders);

	q = &p->participants[0];
	q->name = xstrdup("server1");
	q->org = xstrdup("nvidia");
	q->type = CCP_PT_SERVER;
	q->fed_learn_port = 8002;
	q->admin_port = cc ? 8002 : 8003;
	q->default_host = xstrdup("server1");
	q->connection_security = xstrdup("mtls");
	q->props = json_of("{}");
	if (cc)
		q->cc = seed_cc("server", env);

	q = &p->participants[1];
	q->name = xstrdup("site-1");
	q->org = xstrdup("nvidia");
	q->type = CCP_PT_CLIENT;
	q->connection_security = xstrdup("mtls");
	q->props = json_of("{}");
	if (cc)
		q->cc = seed_cc("client", env);

	q = &p->participants[2];
	q->name = xstrdup("admin@nvidia.com");
	q->org = xstrdup("nvidia");
	q->type = CCP_PT_ADMIN;
	q->role = xstrdup("project_admin");
	q->connection_security = xstrdup("mtls");
	q->props = json_of("{}");

	add_builder(p, B_WS, NULL);
	add_builder(p, B_SF, "{\"config_folder\": \"config\"}");
	add_builder(p, B_CERT, NULL);
	if (cc) {
		add_builder(p, B_CC, NULL);
		add_builder(p, B_SIG, NULL);
	}
	return p;
}

static void set_packager(ccp_kit_project *p, const char *cmd)
{
	char *args = fmt("{\"build_image_cmd\": \"%s\"}", cmd);

	p->packager = calloc(1, sizeof(*p->packager));
	assert_non_null(p->packager);
	p->packager->path = xstrdup(PACKAGER);
	p->packager->args = json_of(args);
	free(args);
}

/* What the executable does: a signal sets a flag the run polls. */
static volatile sig_atomic_t g_interrupted;

static void on_signal(int sig)
{
	(void)sig;
	g_interrupted = 1;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGINT, &sa, NULL), 0);
	assert_int_equal(sigaction(SIGTERM, &sa, NULL), 0);
}

static int interrupted(void)
{
	return g_interrupted != 0;
}

static int provision(ccp_provision_result *res, const ccp_kit_project *p,
		     const char *ws, ccp_error *err, int no_image, int timeout)
{
	ccp_provision_opts o;

	ccp_provision_opts_init(&o);
	o.workspace = ws;
	o.cancelled = interrupted;
	o.no_image = no_image;
	if (timeout)
		o.image_timeout = timeout;
	ccp_error_clear(err);
	return ccp_provision_run(res, p, &o, err);
}

/* Nothing published, no wip/, state as it was. */
static void assert_untouched(const char *ws, const char *project,
			     const char *state_before, int n_prod)
{
	char *wip = fmt("%s/%s/wip", ws, project);
	char *prod = fmt("%s/%s/prod_%02d", ws, project, n_prod);
	char *state = fmt("%s/%s/state/cert.json", ws, project);
	char *now = slurp(state, NULL);

	assert_false(exists(wip));
	assert_false(exists(prod));
	if (state_before) {
		assert_non_null(now);
		assert_string_equal(now, state_before);
	} else {
		assert_null(now);
	}
	free(now);
	free(wip);
	free(prod);
	free(state);
}

/* ---- checks against the reference kits ---- */

static void compare_json(const char *prod, const char *ref, const char *rel)
{
	char msg[256];
	char *a_path = fmt("%s/%s", prod, rel), *b_path = fmt("%s/%s", ref, rel);
	ccp_json *a = NULL, *b = NULL;

	if (ccp_json_parse_file(&a, a_path, 0, msg, sizeof(msg)) < 0)
		fail_msg("%s: %s", a_path, msg);
	assert_int_equal(ccp_json_parse_file(&b, b_path, 0, msg, sizeof(msg)), 0);
	if (!ccp_json_equal(a, b)) {
		char *ra = ccp_json_render(a, 2);

		print_error("ours for %s:\n%s\n", rel, ra);
		free(ra);
		fail_msg("%s differs from the NVFlare reference", rel);
	}
	ccp_json_free(a);
	ccp_json_free(b);
	free(a_path);
	free(b_path);
}

static const char *const ref_json[] = {
	"admin@nvidia.com/local/resources.json.default",
	"admin@nvidia.com/startup/fed_admin.json",
	"server1/local/authorization.json.default",
	"server1/local/log_config.json.default",
	"server1/local/privacy.json.sample",
	"server1/local/resources.json.default",
	"server1/startup/fed_server.json",
	"site-1/local/authorization.json.default",
	"site-1/local/log_config.json.default",
	"site-1/local/privacy.json.sample",
	"site-1/local/resources.json.default",
	"site-1/startup/fed_client.json",
};

static const char *const ref_json_cc[] = {
	"server1/local/cc_manager__p_resources.json",
	"server1/local/snp_authorizer__p_resources.json",
	"site-1/local/cc_manager__p_resources.json",
	"site-1/local/snp_authorizer__p_resources.json",
};

/* "drwxr-xr-x ./path" lines of a tree, like LISTING.txt. */
typedef struct lines {
	char **v;
	size_t n, cap;
} lines;

static void lines_add(lines *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		assert_non_null(l->v);
	}
	l->v[l->n++] = s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lines_free(lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void mode_string(char *out, mode_t m)
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	out[0] = S_ISDIR(m) ? 'd' : '-';
	for (i = 0; i < 9; i++)
		out[i + 1] = (m & (mode_t)(0400 >> i)) ? rwx[i] : '-';
	out[10] = '\0';
}

static int walk_one(void *arg, const ccp_dir_entry *e)
{
	char mode[11];

	assert_false(S_ISLNK(e->st.st_mode));
	mode_string(mode, e->st.st_mode);
	lines_add(arg, fmt("%s ./%s", mode, e->rel));
	return 0;
}

/* Every entry below root, hidden ones too, as "MODE ./PATH". */
static void walk(lines *l, const char *root)
{
	ccp_error err;

	if (ccp_dir_walk(root, 64, 100000, CCP_DIR_HIDDEN, walk_one, l, &err) != 0)
		fail_msg("%s", err.message);
}

static void compare_listing(const char *prod, const char *listing_path)
{
	lines want = { 0 }, got = { 0 };
	char *text = slurp(listing_path, NULL), *save = NULL, *line;
	size_t i;

	assert_non_null(text);
	/* LISTING.txt lines are "MODE SIZE PATH"; compare "MODE PATH". */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *path = strrchr(line, ' ');

		if (path && strcmp(path + 1, ".") != 0)
			lines_add(&want, fmt("%.10s %s", line, path + 1));
	}
	walk(&got, prod);
	qsort(want.v, want.n, sizeof(char *), cmp_str);
	qsort(got.v, got.n, sizeof(char *), cmp_str);
	for (i = 0; i < want.n && i < got.n; i++)
		if (strcmp(want.v[i], got.v[i]) != 0)
			fail_msg("listing differs: want '%s', got '%s'", want.v[i], got.v[i]);
	if (want.n != got.n)
		fail_msg("listing has %zu entries, the kit %zu", want.n, got.n);
	lines_free(&want);
	lines_free(&got);
	free(text);
}

/* ---- checks with the openssl command line ---- */

static void openssl_check_cert(const char *startup, const char *base,
			       const char *cn, const char *want_san,
			       const char *want_role)
{
	char out[4096], out2[4096];
	char *cmd;

	/*
	 * The chain as NVFlare's TLS endpoints check it: Python's default
	 * SSL context verifies with X509_STRICT from Python 3.13 on, and
	 * for the purpose of the side the certificate is presented by.
	 */
	cmd = fmt("openssl verify -x509_strict -purpose %s -CAfile '%s/rootCA.pem' "
		  "'%s/%s.crt' 2>&1", strcmp(base, "server") == 0 ? "sslserver" :
		  "sslclient", startup, startup, base);
	if (sh(out, sizeof(out), cmd) != 0)
		fail_msg("%s: %s", cmd, out);
	free(cmd);

	cmd = fmt("openssl x509 -noout -modulus -in '%s/%s.crt'", startup, base);
	assert_int_equal(sh(out, sizeof(out), cmd), 0);
	free(cmd);
	cmd = fmt("openssl rsa -noout -modulus -in '%s/%s.key' 2>/dev/null", startup, base);
	assert_int_equal(sh(out2, sizeof(out2), cmd), 0);
	free(cmd);
	assert_string_equal(out, out2);

	cmd = fmt("openssl x509 -noout -subject -nameopt RFC2253,sep_comma_plus -in '%s/%s.crt'",
		  startup, base);
	assert_int_equal(sh(out, sizeof(out), cmd), 0);
	free(cmd);
	{
		char *want_cn = fmt("CN=%s", cn);

		assert_non_null(strstr(out, want_cn));
		assert_non_null(strstr(out, "O=nvidia"));
		if (want_role)
			assert_non_null(strstr(out, want_role));
		else
			assert_null(strstr(out, "unstructuredName"));
		free(want_cn);
	}
	cmd = fmt("openssl x509 -noout -text -in '%s/%s.crt'", startup, base);
	assert_int_equal(sh(out, sizeof(out), cmd), 0);
	free(cmd);
	assert_non_null(strstr(out, want_san));
	assert_non_null(strstr(out, "Subject Key Identifier"));
	assert_non_null(strstr(out, "Authority Key Identifier"));
	assert_null(strstr(out, "CA:TRUE"));
	assert_non_null(strstr(out, "Issuer: CN = " SEED));
	assert_non_null(strstr(out, "Public-Key: (2048 bit)"));
	/* NVFlare checks identity certificates against the root with
	 * PKCS#1 v1.5 padding: an RSA-PSS signed certificate would fail. */
	assert_non_null(strstr(out, "Signature Algorithm: sha256WithRSAEncryption"));
	assert_null(strstr(out, "rsassaPss"));
}

static void openssl_check_root(const char *startup)
{
	char out[8192];
	char *cmd = fmt("openssl x509 -noout -text -in '%s/rootCA.pem'", startup);

	assert_int_equal(sh(out, sizeof(out), cmd), 0);
	free(cmd);
	assert_non_null(strstr(out, "Subject: CN = " SEED));
	assert_non_null(strstr(out, "CA:TRUE"));
	assert_non_null(strstr(out, "Certificate Sign"));
	assert_non_null(strstr(out, "DNS:" SEED));
	assert_non_null(strstr(out, "Signature Algorithm: sha256WithRSAEncryption"));
	/* Self-signed, and acceptable as a trust anchor in strict mode. */
	cmd = fmt("openssl verify -x509_strict -CAfile '%s/rootCA.pem' "
		  "'%s/rootCA.pem' 2>&1", startup, startup);
	if (sh(out, sizeof(out), cmd) != 0)
		fail_msg("%s: %s", cmd, out);
	free(cmd);
}

/* Every entry of every signature.json below kit verifies (openssl). */
static size_t openssl_check_signatures(const char *kit, const char *pub,
				       const char *rel)
{
	char msg[256], out[1024];
	char *dir = rel[0] ? fmt("%s/%s", kit, rel) : xstrdup(kit);
	char *sigpath = fmt("%s/signature.json", dir);
	ccp_json *sig = NULL;
	ccp_dir names;
	size_t i, checked = 0, entries = 0;

	if (ccp_json_parse_file(&sig, sigpath, 0, msg, sizeof(msg)) < 0)
		fail_msg("%s: %s", sigpath, msg);
	assert_int_equal(sig->type, CCP_JSON_OBJECT);
	for (i = 0; i < sig->count; i++) {
		const char *name = sig->keys[i];
		char *target = fmt("%s/%s", dir, name);
		char *b64 = fmt("%s/sig.b64", g_tmp), *bin = fmt("%s/sig.bin", g_tmp);
		char *namefile = NULL, *cmd;
		struct stat st;
		FILE *f;

		assert_int_equal(lstat(target, &st), 0);
		f = fopen(b64, "w");
		assert_non_null(f);
		fputs(ccp_json_str(sig->items[i]), f);
		fclose(f);
		cmd = fmt("openssl base64 -d -A -in '%s' -out '%s'", b64, bin);
		assert_int_equal(sh(NULL, 0, cmd), 0);
		free(cmd);
		if (S_ISDIR(st.st_mode)) {
			/* A folder's entry signs its name. */
			namefile = fmt("%s/name.bin", g_tmp);
			f = fopen(namefile, "w");
			assert_non_null(f);
			fputs(name, f);
			fclose(f);
		}
		/* "max" on a verifier accepts only the maximum salt length,
		 * which is what NVFlare's check may demand. */
		cmd = fmt("openssl dgst -sha256 -sigopt rsa_padding_mode:pss "
			  "-sigopt rsa_pss_saltlen:max -verify '%s' -signature '%s' '%s' 2>&1",
			  pub, bin, namefile ? namefile : target);
		if (sh(out, sizeof(out), cmd) != 0)
			fail_msg("signature of %s/%s: %s", dir, name, out);
		free(cmd);
		checked++;
		free(target);
		free(b64);
		free(bin);
		free(namefile);
	}
	/* Every file and folder is covered, and folders recurse. */
	/* Hidden files too: NVFlare's walk checks every entry. */
	assert_int_equal(ccp_dir_read(&names, dir, 100000, CCP_DIR_HIDDEN), 0);
	for (i = 0; i < names.count; i++) {
		const char *name = names.names[i];
		struct stat st;
		char *full;

		if (strcmp(name, "signature.json") == 0)
			continue;
		entries++;
		if (!ccp_json_get(sig, name))
			fail_msg("%s/%s is not signed", dir, name);
		full = fmt("%s/%s", dir, name);
		assert_int_equal(lstat(full, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			char *sub = rel[0] ? fmt("%s/%s", rel, name) : xstrdup(name);

			checked += openssl_check_signatures(kit, pub, sub);
			free(sub);
		}
		free(full);
	}
	ccp_dir_release(&names);
	assert_int_equal(entries, sig->count);
	ccp_json_free(sig);
	free(dir);
	free(sigpath);
	return checked;
}

static void assert_mode(const char *path, mode_t mode)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, mode);
}

/* ---- group setup: one real run that makes the shared state ---- */

static int group_setup(void **state)
{
	ccp_provision_result res;
	ccp_error err;
	ccp_kit_project *p;
	char *s;

	(void)state;
	if (!mkdtemp(g_tmp))
		return -1;
	snprintf(g_fixtures, sizeof(g_fixtures), "%s/tests/fixtures",
		 CCPROV_SOURCE_DIR);
	snprintf(g_seed_ws, sizeof(g_seed_ws), "%s/seed-ws", g_tmp);
	p = make_project(1, "onprem_cvm");
	if (provision(&res, p, g_seed_ws, &err, 0, 0) != 0) {
		fprintf(stderr, "seed provisioning failed: %s\n", err.message);
		ccp_kit_project_free(p);
		return -1;
	}
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	snprintf(g_seed_state, sizeof(g_seed_state), "%s/%s/state/cert.json",
		 g_seed_ws, SEED);
	s = slurp(g_seed_state, NULL);
	if (!s)
		return -1;
	free(s);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	remove_tree(g_tmp);
	return 0;
}

/* ---- tests ---- */

/* The seed run: JSON equal to NVFlare's, file set and modes equal to
 * LISTING.txt, certificates and signatures good according to openssl. */
static void test_seed_kit_matches_reference(void **state)
{
	char *prod = fmt("%s/%s/prod_00", g_seed_ws, SEED);
	char *ref = fmt("%s/kits/2.8.1/seed", g_fixtures);
	char *listing = fmt("%s/LISTING.txt", ref);
	char *pub = fmt("%s/root-pub.pem", g_tmp);
	char *cmd, *sd;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ref_json) / sizeof(ref_json[0]); i++)
		compare_json(prod, ref, ref_json[i]);
	for (i = 0; i < sizeof(ref_json_cc) / sizeof(ref_json_cc[0]); i++)
		compare_json(prod, ref, ref_json_cc[i]);
	compare_listing(prod, listing);

	cmd = fmt("%s/server1/startup", prod);
	openssl_check_root(cmd);
	openssl_check_cert(cmd, "server", "server1", "DNS:server1", NULL);
	free(cmd);
	cmd = fmt("%s/site-1/startup", prod);
	openssl_check_cert(cmd, "client", "site-1", "DNS:site-1", NULL);
	free(cmd);
	cmd = fmt("%s/admin@nvidia.com/startup", prod);
	openssl_check_cert(cmd, "client", "admin@nvidia.com", "DNS:admin@nvidia.com",
			   "project_admin");
	free(cmd);

	cmd = fmt("openssl x509 -pubkey -noout -in '%s/server1/startup/rootCA.pem' > '%s'",
		  prod, pub);
	assert_int_equal(sh(NULL, 0, cmd), 0);
	free(cmd);
	cmd = fmt("%s/server1", prod);
	assert_true(openssl_check_signatures(cmd, pub, "") >= 15);
	free(cmd);
	cmd = fmt("%s/site-1", prod);
	assert_true(openssl_check_signatures(cmd, pub, "") >= 15);
	free(cmd);
	cmd = fmt("%s/admin@nvidia.com/signature.json", prod);
	assert_false(exists(cmd));
	free(cmd);

	/* The state is private. */
	sd = fmt("%s/%s/state", g_seed_ws, SEED);
	assert_mode(sd, 0700);
	free(sd);
	assert_mode(g_seed_state, 0600);
	cmd = fmt("%s/%s/wip", g_seed_ws, SEED);
	assert_false(exists(cmd));
	free(cmd);
	free(prod);
	free(ref);
	free(listing);
	free(pub);
}

/* A second run publishes prod_01 with the same identities. */
static void test_reprovision_reuses_identities(void **state)
{
	char *ws = new_workspace("again");
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;
	const char *files[] = { "server1/startup/server.key", "site-1/startup/client.key",
				"admin@nvidia.com/startup/client.key",
				"server1/startup/rootCA.pem", "site-1/startup/client.crt" };
	size_t i;

	(void)state;
	seed_state(ws, SEED);
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), 0);
	assert_int_equal(res.prod_index, 0);
	for (i = 0; i < res.n_kits; i++) {
		assert_false(res.kits[i].new_identity);
		assert_false(res.kits[i].reissued);
	}
	assert_false(res.new_root);
	ccp_provision_result_release(&res);
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), 0);
	assert_int_equal(res.prod_index, 1);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *a = fmt("%s/%s/prod_00/%s", g_seed_ws, SEED, files[i]);
		char *b = fmt("%s/%s/prod_01/%s", ws, SEED, files[i]);
		char *da = slurp(a, NULL), *db = slurp(b, NULL);

		assert_non_null(da);
		assert_non_null(db);
		assert_string_equal(da, db);
		free(da);
		free(db);
		free(a);
		free(b);
	}
	{
		char *key = fmt("%s/%s/prod_01/server1/startup/server.key", ws, SEED);

		assert_mode(key, 0600);
		free(key);
	}
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(ws);
}

static void test_state_role_changed(void **state)
{
	char *ws = new_workspace("role");
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;
	char *before;

	(void)state;
	seed_state(ws, SEED);
	before = slurp(g_seed_state, NULL);
	free(p->participants[2].role);
	p->participants[2].role = xstrdup("lead");
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_ESTATE);
	assert_non_null(strstr(err.message, "project_admin"));
	assert_non_null(strstr(err.message, "lead"));
	assert_untouched(ws, SEED, before, 0);
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(before);
	free(ws);
}

static void test_state_expired_root(void **state)
{
	char *ws = new_workspace("expired");
	char *path = fmt("%s/%s/state/cert.json", ws, SEED);
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_state *st = NULL;
	ccp_error err;
	char *before;

	(void)state;
	seed_state(ws, SEED);
	/* Backdate the stored root and re-sign it: expired yesterday. */
	assert_int_equal(ccp_state_load(&st, path, &err), 0);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(st->root_cert), -86400 * 10));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(st->root_cert), -86400));
	assert_true(X509_sign(st->root_cert, st->root_key, EVP_sha256()) > 0);
	assert_int_equal(ccp_state_save(st, path, &err), 0);
	ccp_state_free(st);
	before = slurp(path, NULL);

	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_ESTATE);
	assert_non_null(strstr(err.message, "expired"));
	assert_untouched(ws, SEED, before, 0);
	ccp_kit_project_free(p);
	free(before);
	free(path);
	free(ws);
}

/* Give the stored root CA a lifetime of days + secs from its NotBefore. */
static void set_root_lifetime(const char *path, int days, long secs)
{
	ccp_state *st = NULL;
	ccp_error err;
	struct tm tm;
	time_t from;

	assert_int_equal(ccp_state_load(&st, path, &err), 0);
	assert_int_equal(ASN1_TIME_to_tm(X509_get0_notBefore(st->root_cert), &tm), 1);
	from = timegm(&tm);
	assert_non_null(X509_time_adj_ex(X509_getm_notAfter(st->root_cert), days,
					 secs, &from));
	assert_true(X509_sign(st->root_cert, st->root_key, EVP_sha256()) > 0);
	assert_int_equal(ccp_state_save(st, path, &err), 0);
	ccp_state_free(st);
}

/*
 * root_valid_days only shapes a new root CA: a stored root of another
 * lifetime is refused, as by NVFlare, with the value that would keep
 * it; an equal value, given or by default, is fine.
 */
static void test_state_root_valid_days(void **state)
{
	char *ws = new_workspace("root-days");
	char *path = fmt("%s/%s/state/cert.json", ws, SEED);
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;
	char *before;
	int n_prod = 0;

	(void)state;
	seed_state(ws, SEED);
	before = slurp(path, NULL);
	ccp_json_free(p->builders[2].args);
	p->builders[2].args = json_of("{\"root_valid_days\": 730}");
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_ESTATE);
	assert_non_null(strstr(err.message, "was issued for 360 days but CertBuilder "
				  "root_valid_days is 730;"));
	assert_non_null(strstr(err.message, "set root_valid_days: 360"));
	assert_non_null(strstr(err.message, path));
	assert_untouched(ws, SEED, before, n_prod);

	ccp_json_free(p->builders[2].args);
	p->builders[2].args = json_of("{\"root_valid_days\": 360}");
	if (provision(&res, p, ws, &err, 0, 0) != 0)
		fail_msg("%s", err.message);
	assert_false(res.new_root);
	ccp_provision_result_release(&res);
	n_prod++;
	free(before);

	/* A root made with 730 days, and a project relying on the default. */
	set_root_lifetime(path, 730, 0);
	before = slurp(path, NULL);
	ccp_json_free(p->builders[2].args);
	p->builders[2].args = json_of("{}");
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_ESTATE);
	assert_non_null(strstr(err.message, "root_valid_days is 360 (its default);"));
	assert_non_null(strstr(err.message, "set root_valid_days: 730"));
	assert_untouched(ws, SEED, before, n_prod);
	ccp_json_free(p->builders[2].args);
	p->builders[2].args = json_of("{\"root_valid_days\": 730}");
	if (provision(&res, p, ws, &err, 0, 0) != 0)
		fail_msg("%s", err.message);
	ccp_provision_result_release(&res);
	n_prod++;
	free(before);

	/* Not a whole number of days: no setting matches it. */
	set_root_lifetime(path, 360, 3600);
	before = slurp(path, NULL);
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_ESTATE);
	assert_non_null(strstr(err.message, "issued for 360.0417 days"));
	assert_null(strstr(err.message, "set root_valid_days"));
	assert_untouched(ws, SEED, before, n_prod);
	ccp_kit_project_free(p);
	free(before);
	free(path);
	free(ws);
}

/*
 * A stored identity is only reused when it belongs to the stored root
 * CA: a consistent certificate and key of another CA, a CA certificate,
 * or the root's own key in a site's entry are refused (CCP_ESTATE) and
 * nothing is written.
 */
typedef enum bad_entry {
	BAD_FOREIGN_SITE,   /* site-1 issued by another CA, with its own key */
	BAD_FOREIGN_ROOT,   /* root_cert and root_pri_key of another CA */
	BAD_ROOT_AS_SITE,   /* site-1's entry is the root's cert and key */
	BAD_ROOT_KEY_SITE   /* site-1's cert is for the root's key */
} bad_entry;

static void run_bad_state(const char *ws_name, bad_entry kind, const char *want)
{
	char *ws = new_workspace(ws_name);
	char *path = fmt("%s/%s/state/cert.json", ws, SEED);
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	const char *sans[] = { "site-1" };
	ccp_cert_subject subj = { "site-1", "nvidia", NULL, sans, 1 };
	ccp_provision_result res;
	ccp_state_entry *e;
	ccp_state *st = NULL;
	EVP_PKEY *key = NULL;
	X509 *other = NULL, *cert = NULL;
	ccp_error err;
	char *before;

	seed_state(ws, SEED);
	assert_int_equal(ccp_state_load(&st, path, &err), 0);
	e = ccp_state_find(st, "site-1");
	assert_non_null(e);
	switch (kind) {
	case BAD_FOREIGN_SITE:
	case BAD_FOREIGN_ROOT:
		assert_int_equal(ccp_rsa_generate(&key, &err), 0);
		assert_int_equal(ccp_cert_root(&other, key, SEED, 360, &err), 0);
		if (kind == BAD_FOREIGN_ROOT) {
			X509_free(st->root_cert);
			EVP_PKEY_free(st->root_key);
			st->root_cert = other;
			st->root_key = key;
			other = NULL;
			key = NULL;
			break;
		}
		assert_int_equal(ccp_cert_issue(&cert, &subj, e->key, other, key, 360,
						&err), 0);
		assert_int_equal(ccp_state_put(st, "site-1", cert, e->key), 0);
		break;
	case BAD_ROOT_AS_SITE:
		assert_int_equal(ccp_state_put(st, "site-1", st->root_cert,
					       st->root_key), 0);
		break;
	case BAD_ROOT_KEY_SITE:
		assert_int_equal(ccp_cert_issue(&cert, &subj, st->root_key, st->root_cert,
						st->root_key, 360, &err), 0);
		assert_int_equal(ccp_state_put(st, "site-1", cert, st->root_key), 0);
		break;
	}
	assert_int_equal(ccp_state_save(st, path, &err), 0);
	ccp_state_free(st);
	X509_free(cert);
	X509_free(other);
	EVP_PKEY_free(key);
	before = slurp(path, NULL);

	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_ESTATE);
	if (!strstr(err.message, want))
		fail_msg("'%s' not in '%s'", want, err.message);
	assert_untouched(ws, SEED, before, 0);
	ccp_kit_project_free(p);
	free(before);
	free(path);
	free(ws);
}

static void test_state_foreign_site_cert(void **state)
{
	(void)state;
	run_bad_state("foreign-site", BAD_FOREIGN_SITE,
		      "certificate of 'site-1' in '");
	run_bad_state("foreign-site", BAD_FOREIGN_SITE,
		      "is not issued by the stored root CA");
}

static void test_state_foreign_root(void **state)
{
	(void)state;
	run_bad_state("foreign-root", BAD_FOREIGN_ROOT,
		      "is not issued by the stored root CA");
}

static void test_state_root_as_site(void **state)
{
	(void)state;
	run_bad_state("root-as-site", BAD_ROOT_AS_SITE,
		      "certificate of 'site-1' in '");
	run_bad_state("root-as-site", BAD_ROOT_AS_SITE, "is a CA certificate");
	run_bad_state("root-key-site", BAD_ROOT_KEY_SITE,
		      "uses the root CA's private key");
}

/*
 * A state save killed half-way leaves cert.json.tmpXXXXXX, and a killed
 * restore cert.json.restore, each with every key: the next run removes
 * them (it holds the lock) and leaves other files alone.
 */
static void test_state_stale_temps_removed(void **state)
{
	char *ws = new_workspace("stale-tmp");
	char *dir = fmt("%s/%s/state", ws, SEED);
	char *tmp = fmt("%s/cert.json.tmpAb12Z9", dir);
	char *restore = fmt("%s/cert.json.restore", dir);
	char *backup = fmt("%s/cert.json.bak", dir);
	char *other = fmt("%s/cert.json.tmpAb12Z9x", dir);
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;

	(void)state;
	seed_state(ws, SEED);
	copy_file(g_seed_state, tmp, 0600);
	copy_file(g_seed_state, restore, 0600);
	copy_file(g_seed_state, backup, 0600);
	copy_file(g_seed_state, other, 0600);
	if (provision(&res, p, ws, &err, 0, 0) != 0)
		fail_msg("%s", err.message);
	assert_false(exists(tmp));
	assert_false(exists(restore));
	assert_true(exists(backup));
	assert_true(exists(other));
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(dir);
	free(tmp);
	free(restore);
	free(backup);
	free(other);
	free(ws);
}

/*
 * state/cert.json that is a FIFO, or a link to /dev/zero, is refused at
 * once: the run happens in a child with an alarm, so a hang fails the
 * test instead of stalling the suite.
 */
static void run_special_state(const char *ws_name, int fifo)
{
	char *ws = new_workspace(ws_name);
	char *path = fmt("%s/%s/state/cert.json", ws, SEED);
	char *prod = fmt("%s/%s/prod_00", ws, SEED);
	pid_t child;
	int st;

	seed_state(ws, SEED);
	assert_int_equal(unlink(path), 0);
	if (fifo)
		assert_int_equal(mkfifo(path, 0600), 0);
	else
		assert_int_equal(symlink("/dev/zero", path), 0);
	fflush(NULL);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		ccp_kit_project *p = make_project(1, "onprem_cvm");
		ccp_provision_result res;
		ccp_error err;
		int rc;

		alarm(30);
		rc = provision(&res, p, ws, &err, 0, 0);
		_exit(rc < 0 && strstr(err.message, "cert.json") ? 42 : 1);
	}
	assert_int_equal(waitpid(child, &st, 0), child);
	if (!WIFEXITED(st))
		fail_msg("provision with a %s state did not end by itself",
			 fifo ? "FIFO" : "/dev/zero");
	assert_int_equal(WEXITSTATUS(st), 42);
	assert_false(exists(prod));
	free(prod);
	free(path);
	free(ws);
}

static void test_state_fifo_refused(void **state)
{
	(void)state;
	run_special_state("state-fifo", 1);
}

static void test_state_dev_zero_refused(void **state)
{
	(void)state;
	run_special_state("state-zero", 0);
}

/*
 * SIGTERM stops key generation: each key starts only when no signal has
 * come, so a run signalled before its first key makes none, reports the
 * interruption during key generation and writes no state.
 */
static void test_sigterm_stops_keygen(void **state)
{
	char *ws = new_workspace("keygen-term");
	char *st_path = fmt("%s/plain_project/state/cert.json", ws);
	char *prod = fmt("%s/plain_project/prod_00", ws);
	pid_t child;
	int st;

	(void)state;
	fflush(NULL);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		ccp_kit_project *p = make_project(0, NULL);
		ccp_provision_result res;
		ccp_error err;
		int rc;

		catch_signals();
		raise(SIGTERM);
		rc = provision(&res, p, ws, &err, 0, 0);
		if (rc != CCP_EINTR || !strstr(err.message, "key generation")) {
			fprintf(stderr, "rc %d: %s\n", rc, err.message);
			_exit(1);
		}
		_exit(42);
	}
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 42);
	assert_false(exists(st_path));
	assert_false(exists(prod));
	free(st_path);
	free(prod);
	free(ws);
}

/* A changed SAN re-issues the cert with the stored key, and says so. */
static void test_state_san_changed_reissues(void **state)
{
	char *ws = new_workspace("san");
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_kit_participant *s = &p->participants[0];
	ccp_provision_result res;
	ccp_error err;
	char out[8192], m1[4096], m2[4096];
	char *cmd;
	size_t i;

	(void)state;
	seed_state(ws, SEED);
	s->n_host_names = 2;
	s->host_names = calloc(2, sizeof(char *));
	assert_non_null(s->host_names);
	s->host_names[0] = xstrdup("fl.example.com");
	s->host_names[1] = xstrdup("10.1.2.3");
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), 0);
	for (i = 0; i < res.n_kits; i++)
		assert_int_equal(res.kits[i].reissued,
				 strcmp(res.kits[i].name, "server1") == 0);
	cmd = fmt("openssl x509 -noout -text -in '%s/%s/prod_00/server1/startup/server.crt'",
		  ws, SEED);
	assert_int_equal(sh(out, sizeof(out), cmd), 0);
	free(cmd);
	assert_non_null(strstr(out, "DNS:server1"));
	assert_non_null(strstr(out, "DNS:fl.example.com"));
	assert_non_null(strstr(out, "IP Address:10.1.2.3"));
	/* Same key as before. */
	cmd = fmt("openssl x509 -noout -modulus -in '%s/%s/prod_00/server1/startup/server.crt'",
		  ws, SEED);
	assert_int_equal(sh(m1, sizeof(m1), cmd), 0);
	free(cmd);
	cmd = fmt("openssl x509 -noout -modulus -in '%s/%s/prod_00/server1/startup/server.crt'",
		  g_seed_ws, SEED);
	assert_int_equal(sh(m2, sizeof(m2), cmd), 0);
	free(cmd);
	assert_string_equal(m1, m2);
	ccp_provision_result_release(&res);

	/* The re-issued cert is stored: the next run reuses it. */
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), 0);
	for (i = 0; i < res.n_kits; i++)
		assert_false(res.kits[i].reissued);
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(ws);
}

static void test_packager_image_builder(void **state)
{
	char *ws = new_workspace("image");
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;
	char out[4096];
	char *cmd, *path;

	(void)state;
	seed_state(ws, SEED);
	/* Relative: resolved against the project folder (the fixtures). */
	set_packager(p, "fake_build_image.sh");
	if (provision(&res, p, ws, &err, 0, 0) != 0)
		fail_msg("%s (%s)", err.message, res.log_tail ? res.log_tail : "");
	assert_int_equal(res.n_kits, 3);
	assert_true(res.kits[0].packaged && res.kits[0].image);
	assert_true(res.kits[1].packaged && res.kits[1].image);
	assert_false(res.kits[2].packaged);
	path = fmt("%s/%s/prod_00/server1", ws, SEED);
	cmd = fmt("ls -A '%s'", path);
	assert_int_equal(sh(out, sizeof(out), cmd), 0);
	assert_string_equal(out, "server1.tgz");
	free(cmd);
	cmd = fmt("tar -tzf '%s/server1.tgz'", path);
	assert_int_equal(sh(out, sizeof(out), cmd), 0);
	assert_non_null(strstr(out, "cvm_server1/launch_vm.sh"));
	free(cmd);
	/* The builder wrote it 0644; it holds the site's key. */
	cmd = fmt("%s/server1.tgz", path);
	assert_mode(cmd, 0600);
	free(cmd);
	free(path);
	path = fmt("%s/%s/prod_00/admin@nvidia.com/startup/fed_admin.json", ws, SEED);
	assert_true(exists(path));
	free(path);
	path = fmt("%s/%s/logs/site-1.image.log", ws, SEED);
	cmd = slurp(path, NULL);
	assert_non_null(cmd);
	assert_non_null(strstr(cmd, "building CVM image for site-1"));
	free(cmd);
	free(path);
	path = fmt("%s/%s/wip", ws, SEED);
	assert_false(exists(path));
	free(path);
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(ws);
}

static void run_failing_image(const char *ws_name, const char *env,
			      const char *value, int timeout, int want_rc,
			      const char *want_msg, const char *want_tail)
{
	char *ws = new_workspace(ws_name);
	char *cmd = fmt("%s/fake_build_image.sh", g_fixtures);
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;
	char *before;
	int rc;

	seed_state(ws, SEED);
	before = slurp(g_seed_state, NULL);
	set_packager(p, cmd);
	setenv(env, value, 1);
	rc = provision(&res, p, ws, &err, 0, timeout);
	unsetenv(env);
	if (rc != want_rc)
		fail_msg("rc %d, want %d: %s", rc, want_rc, err.message);
	if (want_msg && !strstr(err.message, want_msg))
		fail_msg("'%s' not in '%s'", want_msg, err.message);
	if (want_tail) {
		assert_non_null(res.log_tail);
		if (!strstr(res.log_tail, want_tail))
			fail_msg("'%s' not in tail '%s'", want_tail, res.log_tail);
	}
	assert_untouched(ws, SEED, before, 0);
	ccp_provision_result_release(&res);

	/* The next run works. */
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), 0);
	assert_int_equal(res.prod_index, 0);
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(before);
	free(cmd);
	free(ws);
}

static void test_image_builder_fails(void **state)
{
	(void)state;
	run_failing_image("imgfail", "FAKE_BUILD_FAIL_SITE", "site-1", 0,
			  CCP_EGENERIC, "exit status 2",
			  "error: disk image creation failed for site-1");
}

static void test_image_builder_no_bundle(void **state)
{
	(void)state;
	run_failing_image("nobundle", "FAKE_BUILD_NO_BUNDLE", "1", 0, CCP_EGENERIC,
			  "CVM Bundle", NULL);
}

static void test_image_builder_bad_bundle(void **state)
{
	(void)state;
	run_failing_image("badbundle", "FAKE_BUILD_BAD_BUNDLE", "1", 0, CCP_EINVAL,
			  "not gzip", NULL);
}

static void test_image_builder_timeout(void **state)
{
	time_t t0 = time(NULL);

	(void)state;
	run_failing_image("timeout", "FAKE_BUILD_SLEEP", "30", 1, CCP_ETIMEOUT,
			  "did not finish in time", "building CVM image");
	assert_true(time(NULL) - t0 < 15);
}

/* A bundle announced as a link, a truncated or a corrupt gzip is
 * refused and nothing is published. */
static void test_image_bundle_symlink(void **state)
{
	(void)state;
	run_failing_image("bundle-link", "FAKE_BUILD_BUNDLE", "symlink", 0, CCP_EINVAL,
			  "is a symbolic link", NULL);
}

static void test_image_bundle_truncated(void **state)
{
	(void)state;
	run_failing_image("bundle-half", "FAKE_BUILD_BUNDLE", "truncated", 0,
			  CCP_EINVAL, "truncated", NULL);
}

static void test_image_bundle_bad_crc(void **state)
{
	(void)state;
	run_failing_image("bundle-crc", "FAKE_BUILD_BUNDLE", "badcrc", 0, CCP_EINVAL,
			  "incorrect data check", NULL);
}

/* A FIFO as the bundle is refused without opening it for good (which
 * would block until a writer came): run in a child with an alarm. */
static void test_image_bundle_fifo(void **state)
{
	char *ws = new_workspace("bundle-fifo");
	char *cmd = fmt("%s/fake_build_image.sh", g_fixtures);
	char *prod = fmt("%s/%s/prod_00", ws, SEED);
	pid_t child;
	int st;

	(void)state;
	seed_state(ws, SEED);
	fflush(NULL);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		ccp_kit_project *p = make_project(1, "onprem_cvm");
		ccp_provision_result res;
		ccp_error err;
		int rc;

		set_packager(p, cmd);
		setenv("FAKE_BUILD_BUNDLE", "fifo", 1);
		alarm(30);
		rc = provision(&res, p, ws, &err, 0, 0);
		_exit(rc == CCP_EINVAL && strstr(err.message, "not a regular file") ? 42 : 1);
	}
	assert_int_equal(waitpid(child, &st, 0), child);
	if (!WIFEXITED(st))
		fail_msg("a FIFO bundle hung the run");
	assert_int_equal(WEXITSTATUS(st), 42);
	assert_false(exists(prod));
	free(prod);
	free(cmd);
	free(ws);
}

/* The whole gzip stream is checked, not just a first tar header. */
static void test_check_bundle_in_full(void **state)
{
	char *dir = fmt("%s/bundle-src", g_tmp);
	char *big = fmt("%s/disk.img", dir);
	char *tgz = fmt("%s/full.tgz", g_tmp);
	char *cut = fmt("%s/cut.tgz", g_tmp);
	char *link = fmt("%s/link.tgz", g_tmp);
	char *data;
	size_t len;
	ccp_error err;
	FILE *f;

	(void)state;
	/* Larger than any first read, incompressible: a check of the
	 * first header alone would never reach the end. */
	remove_tree(dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	data = fmt("head -c 300000 /dev/urandom > '%s'", big);
	assert_int_equal(sh(NULL, 0, data), 0);
	free(data);
	unlink(tgz);
	assert_int_equal(ccp_provision_pack(tgz, dir, "server1", &err), 0);
	assert_int_equal(ccp_provision_check_bundle(tgz, &err), 0);
	data = slurp(tgz, &len);
	assert_non_null(data);
	assert_true(len > 300000);
	/* Without the gzip trailer's last bytes; then with a bad CRC. */
	f = fopen(cut, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len - 3, f), len - 3);
	fclose(f);
	assert_int_equal(ccp_provision_check_bundle(cut, &err), CCP_EINVAL);
	assert_non_null(strstr(err.message, "truncated"));
	data[len - 8] ^= 0x5a;
	f = fopen(cut, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	assert_int_equal(ccp_provision_check_bundle(cut, &err), CCP_EINVAL);
	assert_non_null(strstr(err.message, "incorrect data check"));
	unlink(link);
	assert_int_equal(symlink(tgz, link), 0);
	assert_int_equal(ccp_provision_check_bundle(link, &err), CCP_EINVAL);
	assert_int_equal(ccp_provision_check_bundle(dir, &err), CCP_EINVAL);
	free(data);
	free(dir);
	free(big);
	free(tgz);
	free(cut);
	free(link);
}

/*
 * Every archive holding a private key is 0600 whatever the umask:
 * ccprov's own NAME.tgz and a builder's bundle (which the stand-in
 * writes 0666 under umask 000).
 */
static void test_umask_000_archives_private(void **state)
{
	char *ws = new_workspace("umask");
	char *cmd = fmt("%s/fake_build_image.sh", g_fixtures);
	char *path;
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;
	mode_t old = umask(0);
	int rc;

	(void)state;
	seed_state(ws, SEED);
	set_packager(p, cmd);
	rc = provision(&res, p, ws, &err, 0, 0);
	if (rc == 0) {
		ccp_provision_result_release(&res);
		rc = provision(&res, p, ws, &err, 1, 0);
	}
	umask(old);
	if (rc != 0)
		fail_msg("%s", err.message);
	path = fmt("%s/%s/prod_00/site-1/site-1.tgz", ws, SEED);
	assert_mode(path, 0600);
	free(path);
	path = fmt("%s/%s/prod_01/site-1/site-1.tgz", ws, SEED);
	assert_mode(path, 0600);
	free(path);
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(cmd);
	free(ws);
}

/*
 * A bundle on another file system is copied, then removed: no copy of
 * the kit's keys stays in the builder's folder. /dev/shm is the other
 * file system where there is one.
 */
static void test_bundle_moved_not_copied(void **state)
{
	char *ws = new_workspace("bundle-move");
	char *cmd = fmt("%s/fake_build_image.sh", g_fixtures);
	char out_dir[] = "/dev/shm/ccprov-bundle-XXXXXX";
	char *bundle;
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	struct stat a, b;
	ccp_error err;
	int rc;

	(void)state;
	if (!mkdtemp(out_dir))
		strcpy(out_dir, g_tmp);
	if (stat(out_dir, &a) == 0 && stat(g_tmp, &b) == 0 && a.st_dev == b.st_dev)
		print_message("note: %s is on the workspace's file system\n", out_dir);
	seed_state(ws, SEED);
	set_packager(p, cmd);
	setenv("FAKE_BUILD_OUT", out_dir, 1);
	rc = provision(&res, p, ws, &err, 0, 0);
	unsetenv("FAKE_BUILD_OUT");
	if (rc != 0)
		fail_msg("%s", err.message);
	bundle = fmt("%s/fake-site-1/site-1.tgz", out_dir);
	assert_false(exists(bundle));
	free(bundle);
	bundle = fmt("%s/fake-site-1", out_dir);
	remove_tree(bundle);
	free(bundle);
	bundle = fmt("%s/fake-server1", out_dir);
	remove_tree(bundle);
	free(bundle);
	if (strcmp(out_dir, g_tmp) != 0)
		rmdir(out_dir);
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(cmd);
	free(ws);
}

/* A builder that fails (CCBuilder before StaticFileBuilder). */
static void test_builder_error_publishes_nothing(void **state)
{
	char *ws = new_workspace("builderr");
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;
	ccp_kit_component tmp;
	char *before;

	(void)state;
	seed_state(ws, SEED);
	before = slurp(g_seed_state, NULL);
	tmp = p->builders[1];
	p->builders[1] = p->builders[3];
	p->builders[3] = tmp;
	assert_true(provision(&res, p, ws, &err, 0, 0) < 0);
	assert_non_null(strstr(err.message, "CCBuilder"));
	assert_non_null(strstr(err.message, "StaticFileBuilder"));
	assert_untouched(ws, SEED, before, 0);
	ccp_kit_project_free(p);
	free(before);
	free(ws);
}

static void test_refusals_write_nothing(void **state)
{
	char *ws = new_workspace("refused");
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;

	(void)state;
	add_builder(p, "nvflare.lighter.impl.docker.DockerBuilder", NULL);
	add_builder(p, "my.custom.Builder", NULL);
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_EINVAL);
	assert_non_null(strstr(err.message, "DockerBuilder"));
	assert_non_null(strstr(err.message, "my.custom.Builder"));
	assert_false(exists(ws));
	ccp_kit_project_free(p);

	/* NVFlare 2.7 provisions api_version 3 only. */
	p = make_project(1, "onprem_cvm");
	p->api_version = 4;
	{
		ccp_provision_opts o;

		ccp_provision_opts_init(&o);
		o.workspace = ws;
		o.line = CCP_NVF_2_7;
		ccp_error_clear(&err);
		assert_int_equal(ccp_provision_run(&res, p, &o, &err), CCP_EINVAL);
	}
	assert_non_null(strstr(err.message, "api_version"));
	assert_false(exists(ws));
	ccp_kit_project_free(p);

	/* Names never leave the workspace. */
	p = make_project(1, "onprem_cvm");
	free(p->participants[1].name);
	p->participants[1].name = xstrdup("../escape");
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_EINVAL);
	free(p->participants[1].name);
	p->participants[1].name = xstrdup(".hidden");
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_EINVAL);
	free(p->participants[1].name);
	p->participants[1].name = xstrdup("a\nb");
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_EINVAL);
	free(p->name);
	p->name = xstrdup("..");
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_EINVAL);
	assert_false(exists(ws));

	/* A missing image builder is found before anything is written. */
	ccp_kit_project_free(p);
	p = make_project(1, "onprem_cvm");
	set_packager(p, "no-such-builder.sh");
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_EINVAL);
	assert_non_null(strstr(err.message, "no-such-builder.sh"));
	assert_false(exists(ws));
	ccp_kit_project_free(p);
	free(ws);
}

static void test_locked_workspace(void **state)
{
	char *ws = new_workspace("locked");
	char *lock = fmt("%s/%s/.lock", ws, SEED);
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;
	int fd;

	(void)state;
	seed_state(ws, SEED);
	fd = open(lock, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_EBUSY);
	assert_non_null(strstr(err.message, "in use"));
	close(fd);
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), 0);
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(lock);
	free(ws);
}

/* mock (and --no-image): NAME.tgz is the signed kit, bit-for-bit stable. */
static void test_mock_packs_kit(void **state)
{
	char *ws = new_workspace("mock");
	ccp_kit_project *p = make_project(1, "mock");
	ccp_provision_result res;
	ccp_error err;
	char out[8192];
	char *cmd, *a, *b, *da, *db;
	size_t la, lb;

	(void)state;
	seed_state(ws, SEED);
	set_packager(p, "no-builder-needed-for-mock.sh");
	setenv("SOURCE_DATE_EPOCH", "1577836800", 1);
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), 0);
	ccp_provision_result_release(&res);
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), 0);
	unsetenv("SOURCE_DATE_EPOCH");
	assert_true(res.kits[0].packaged);
	assert_false(res.kits[0].image);
	cmd = fmt("tar -tvzf '%s/%s/prod_01/site-1/site-1.tgz'", ws, SEED);
	assert_int_equal(sh(out, sizeof(out), cmd), 0);
	free(cmd);
	assert_non_null(strstr(out, "-rw------- 0/0"));
	assert_non_null(strstr(out, "site-1/startup/client.key"));
	assert_non_null(strstr(out, "-rwxr-xr-x 0/0"));
	assert_non_null(strstr(out, "site-1/startup/signature.json"));
	assert_non_null(strstr(out, "2020-01-01"));
	/* The two runs' archives differ only if the kits do: compare the
	 * packing of one folder twice instead. */
	a = fmt("%s/one.tgz", g_tmp);
	b = fmt("%s/two.tgz", g_tmp);
	unlink(a);
	unlink(b);
	cmd = fmt("%s/%s/prod_01/admin@nvidia.com", ws, SEED);
	assert_int_equal(ccp_provision_pack(a, cmd, "admin@nvidia.com", &err), 0);
	assert_int_equal(ccp_provision_pack(b, cmd, "admin@nvidia.com", &err), 0);
	free(cmd);
	da = slurp(a, &la);
	db = slurp(b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	/* gzip header: no mtime, no file name. */
	assert_int_equal((unsigned char)da[0], 0x1f);
	assert_int_equal((unsigned char)da[1], 0x8b);
	assert_int_equal(da[3] & 0x08, 0);
	assert_int_equal(da[4] | da[5] | da[6] | da[7], 0);
	assert_int_equal(ccp_provision_check_bundle(a, &err), 0);
	assert_int_equal(ccp_provision_check_bundle(g_seed_state, &err), CCP_EINVAL);
	free(da);
	free(db);
	free(a);
	free(b);
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(ws);
}

static void test_no_image_option(void **state)
{
	char *ws = new_workspace("noimage");
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;
	char *path;

	(void)state;
	seed_state(ws, SEED);
	set_packager(p, "no-such-builder.sh");
	assert_int_equal(provision(&res, p, ws, &err, 1, 0), 0);
	path = fmt("%s/%s/prod_00/server1/server1.tgz", ws, SEED);
	assert_int_equal(ccp_provision_check_bundle(path, &err), 0);
	free(path);
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(ws);
}

static void test_study_registry(void **state)
{
	char *ws = new_workspace("studies");
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;
	char msg[128];
	char *path;
	ccp_json *got = NULL, *want;

	(void)state;
	seed_state(ws, SEED);
	p->api_version = 4;
	p->studies = json_of("{\"cancer\": {\"site_orgs\": {\"nvidia\": [\"site-1\"]}, "
			     "\"admins\": [\"admin@nvidia.com\", \"admin@nvidia.com\"]}, "
			     "\"empty\": null}");
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), 0);
	path = fmt("%s/%s/prod_00/server1/local/study_registry.json", ws, SEED);
	assert_int_equal(ccp_json_parse_file(&got, path, 0, msg, sizeof(msg)), 0);
	want = json_of("{\"format_version\": \"1.0\", \"studies\": {\"cancer\": "
		       "{\"site_orgs\": {\"nvidia\": [\"site-1\"]}, \"admins\": "
		       "[\"admin@nvidia.com\"]}, \"empty\": {}}}");
	assert_true(ccp_json_equal(got, want));
	ccp_json_free(got);
	ccp_json_free(want);
	free(path);
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(ws);
}

static ccp_json *kit_json(const char *prod, const char *site, const char *file)
{
	char msg[128];
	char *path = fmt("%s/%s/startup/%s", prod, site, file);
	ccp_json *doc = NULL;

	if (ccp_json_parse_file(&doc, path, 0, msg, sizeof(msg)) < 0)
		fail_msg("%s: %s", path, msg);
	free(path);
	return doc;
}

static const char *client_target(const ccp_json *fed_client)
{
	const ccp_json *srv = ccp_json_get(fed_client, "servers")->items[0];

	return ccp_json_str(ccp_json_get(ccp_json_get(srv, "service"), "target"));
}

/*
 * connect_to decides where a client or admin connects, and parent
 * places a client in the hierarchy (fqsn, is_leaf), as NVFlare's
 * StaticFileBuilder writes them.
 */
static void test_connect_to_and_parents(void **state)
{
	char *ws = new_workspace("connect_to");
	char *prod = fmt("%s/plain_project/prod_00", ws);
	ccp_kit_project *p = make_project(0, NULL);
	ccp_kit_participant *q;
	ccp_provision_result res;
	ccp_error err;
	ccp_json *doc;
	const ccp_json *cl, *adm;
	static const char *const extra[] = { "site-2", "site-3", "site-4" };
	long long port = 0;
	size_t i;

	(void)state;
	p->participants = realloc(p->participants, 6 * sizeof(*p->participants));
	assert_non_null(p->participants);
	memset(&p->participants[3], 0, 3 * sizeof(*p->participants));
	for (i = 0; i < 3; i++) {
		q = &p->participants[3 + i];
		q->name = xstrdup(extra[i]);
		q->org = xstrdup("nvidia");
		q->type = CCP_PT_CLIENT;
		q->connection_security = xstrdup("mtls");
	}
	p->n_participants = 6;
	ccp_json_free(p->participants[1].props);
	p->participants[1].props = json_of(
		"{\"connect_to\": {\"host\": \"proxy.example.com\", \"port\": 9443}}");
	p->participants[3].props = json_of("{\"connect_to\": \"other.example.com\"}");
	p->participants[4].props = json_of("{\"parent\": \"site-1\"}");
	p->participants[5].props = json_of(
		"{\"parent\": \"site-3\", \"connect_to\": {\"name\": \"server1\"}}");
	ccp_json_free(p->participants[2].props);
	p->participants[2].props = json_of("{\"connect_to\": {\"port\": 7000}}");

	if (provision(&res, p, ws, &err, 0, 0) != 0)
		fail_msg("%s", err.message);

	doc = kit_json(prod, "site-1", "fed_client.json");
	assert_string_equal(client_target(doc), "proxy.example.com:9443");
	cl = ccp_json_get(doc, "client");
	assert_string_equal(ccp_json_str(ccp_json_get(cl, "fqsn")), "site-1");
	assert_false(ccp_json_get(cl, "is_leaf")->boolean);
	ccp_json_free(doc);

	doc = kit_json(prod, "site-2", "fed_client.json");
	assert_string_equal(client_target(doc), "other.example.com:8002");
	cl = ccp_json_get(doc, "client");
	assert_true(ccp_json_get(cl, "is_leaf")->boolean);
	ccp_json_free(doc);

	doc = kit_json(prod, "site-3", "fed_client.json");
	assert_string_equal(client_target(doc), "server1:8002");
	cl = ccp_json_get(doc, "client");
	assert_string_equal(ccp_json_str(ccp_json_get(cl, "fqsn")), "site-1.site-3");
	assert_false(ccp_json_get(cl, "is_leaf")->boolean);
	ccp_json_free(doc);

	doc = kit_json(prod, "site-4", "fed_client.json");
	assert_string_equal(client_target(doc), "server1:8002");
	cl = ccp_json_get(doc, "client");
	assert_string_equal(ccp_json_str(ccp_json_get(cl, "fqsn")),
			    "site-1.site-3.site-4");
	assert_true(ccp_json_get(cl, "is_leaf")->boolean);
	ccp_json_free(doc);

	/* The admin keeps the server's default host; its port is replaced. */
	doc = kit_json(prod, "admin@nvidia.com", "fed_admin.json");
	adm = ccp_json_get(doc, "admin");
	assert_string_equal(ccp_json_str(ccp_json_get(adm, "host")), "server1");
	assert_int_equal(ccp_json_int(ccp_json_get(adm, "port"), &port), 0);
	assert_int_equal(port, 7000);
	ccp_json_free(doc);

	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(ws);
	free(prod);
}

/*
 * A client with listening_host gets what NVFlare gives it: a server
 * certificate for its internal listener (default host, else localhost,
 * then host_names) and local/comm_config.json describing the listener.
 */
static void test_listening_host(void **state)
{
	char *ws = new_workspace("listener");
	char *prod = fmt("%s/plain_project/prod_00", ws);
	char *path, *cmd;
	char out[4096], msg[128];
	ccp_kit_project *p = make_project(0, NULL);
	ccp_kit_participant *q = &p->participants[1];
	ccp_provision_result res;
	ccp_error err;
	ccp_json *got = NULL, *want;

	(void)state;
	ccp_json_free(q->props);
	q->props = json_of("{\"listening_host\": {\"host_names\": "
			   "[\"10.0.0.7\", \"site1.example.com\"], \"port\": 8500, "
			   "\"connection_security\": \"mtls\"}}");
	q->listening_host = xstrdup("site-1");
	if (provision(&res, p, ws, &err, 0, 0) != 0)
		fail_msg("%s", err.message);

	path = fmt("%s/site-1/local/comm_config.json", prod);
	assert_int_equal(ccp_json_parse_file(&got, path, 0, msg, sizeof(msg)), 0);
	want = json_of("{\"allow_adhoc_conns\": false, \"backbone_conn_gen\": 2, "
		       "\"internal\": {\"scheme\": \"tcp\", \"resources\": "
		       "{\"host\": \"localhost\", \"port\": 8500, "
		       "\"connection_security\": \"mtls\"}}}");
	assert_true(ccp_json_equal(got, want));
	ccp_json_free(got);
	ccp_json_free(want);
	free(path);

	cmd = fmt("openssl x509 -noout -ext subjectAltName -in "
		  "'%s/site-1/startup/server.crt' && openssl verify -x509_strict "
		  "-purpose sslserver -CAfile '%s/site-1/startup/rootCA.pem' "
		  "'%s/site-1/startup/server.crt'", prod, prod, prod);
	if (sh(out, sizeof(out), cmd) != 0)
		fail_msg("%s: %s", cmd, out);
	assert_non_null(strstr(out, "DNS:localhost, IP Address:10.0.0.7, "
				    "DNS:site1.example.com"));
	free(cmd);

	/* Sites without a listener get no comm_config.json. */
	path = fmt("%s/server1/local/comm_config.json", prod);
	assert_false(exists(path));
	free(path);

	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(ws);
	free(prod);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void assert_file_text(const char *path, const char *want)
{
	char *got = slurp(path, NULL);

	if (!got)
		fail_msg("%s is missing", path);
	assert_string_equal(got, want);
	free(got);
}

/* Two self-signed CA certificates (EC P-256, CA:TRUE) and a key. */
#define CA_PROJECT \
	"-----BEGIN CERTIFICATE-----\n" \
	"MIIBnzCCAUWgAwIBAgIUHTkJCT3kX96Tr3dqFBxpHFdWB4swCgYIKoZIzj0EAwIw\n" \
	"HDEaMBgGA1UEAwwRQWNtZSBUZXN0IFJvb3QgQ0EwIBcNMjYxMTI5MDkwMzI0WhgP\n" \
	"MjEyNjExMDUwOTAzMjRaMBwxGjAYBgNVBAMMEUFjbWUgVGVzdCBSb290IENBMFkw\n" \
	"EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAETzkP2szQLZomcamO9PpTxLBWebKK+96q\n" \
	"Z+dgAiwj49qT564FMn/pRhkujNwJMRxYtjGuPRrXFWSLTA3jqqm2e6NjMGEwHQYD\n" \
	"VR0OBBYEFFYNuRyNTMWRLYLCVhRe9Ax4XoKGMB8GA1UdIwQYMBaAFFYNuRyNTMWR\n" \
	"LYLCVhRe9Ax4XoKGMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoG\n" \
	"CCqGSM49BAMCA0gAMEUCIQCkYF5sEQp8nAf+srUyKPvAvx3dgS7B9xCvvMElJJc1\n" \
	"8QIgCyyYO41MO+tuJydItChuiOrk1UrqsgIUku4y5nuEcL8=\n" \
	"-----END CERTIFICATE-----\n"
#define CA_SITE \
	"-----BEGIN CERTIFICATE-----\n" \
	"MIIBjjCCATWgAwIBAgIUKDRhnhdf2quKvOMtZnXw9alETmUwCgYIKoZIzj0EAwIw\n" \
	"HDEaMBgGA1UEAwwRQWNtZSBUZXN0IFNpdGUgQ0EwIBcNMjYxMTI5MDkwMzI0WhgP\n" \
	"MjEyNjExMDUwOTAzMjRaMBwxGjAYBgNVBAMMEUFjbWUgVGVzdCBTaXRlIENBMFkw\n" \
	"EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEOhCrVwvzV4tAJE5rlBlLmNgpOba3p3Do\n" \
	"FTYXSH6u61j/9Yh9lzTbS6Fv/r42ZJRlTojNMpC9FwEikARrej3TvqNTMFEwHQYD\n" \
	"VR0OBBYEFOBJRLQg6YdqM6BW3+u8g1BvXYZpMB8GA1UdIwQYMBaAFOBJRLQg6Ydq\n" \
	"M6BW3+u8g1BvXYZpMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIg\n" \
	"IPr/uUbsldcDabfZl54BmFrkV4RzhuGIxjIGZXeP1uYCIFGjtIslTfWZvGivykxY\n" \
	"tCHQW+YN/tajhc+NMbypT7E4\n" \
	"-----END CERTIFICATE-----\n"
#define NOT_A_CA_KEY \
	"-----BEGIN PRIVATE KEY-----\n" \
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgt7kn3vo8KmoL7a0r\n" \
	"UxKZVtCeHyip2ZD/NYiwjKF3IFOhRANCAAQ/im3+VtcBpQrpRq7qsP1fRy71XgBA\n" \
	"T9vhTYWMkP4TYWxnZ7rkfX8tz+uMnYSF8/fTs9cEDi6QjylNTXqQH6Uj\n" \
	"-----END PRIVATE KEY-----\n"

/*
 * custom_ca_cert, resolved by lint from project.yml (the participant's,
 * else the project's; relative to project.yml's folder), is copied into
 * startup/customRootCA.pem of servers and clients, where NVFlare's
 * runtime looks for it. Admins get none, as from NVFlare.
 */
static void test_custom_ca_cert_from_project(void **state)
{
	char *dir = fmt("%s/ca-project", g_tmp);
	char *certs = fmt("%s/certs", dir);
	char *yml = fmt("%s/project.yml", dir);
	char *ca_project = fmt("%s/project-ca.pem", certs);
	char *ca_site = fmt("%s/site-ca.pem", certs);
	char *ws = new_workspace("ca-ws");
	char *prod = fmt("%s/%s/prod_00", ws, SEED);
	char real_project[4096], real_site[4096];
	ccp_kit_project *kit = NULL;
	ccp_provision_result res;
	ccp_diags diags;
	ccp_error err;
	size_t i;

	(void)state;
	remove_tree(dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(mkdir(certs, 0755), 0);
	write_text(ca_project, CA_PROJECT);
	write_text(ca_site, CA_SITE);
	write_text(yml,
		   "api_version: 3\n"
		   "name: " SEED "\n"
		   "custom_ca_cert: certs/project-ca.pem\n"
		   "participants:\n"
		   "  - name: server1\n"
		   "    type: server\n"
		   "    org: nvidia\n"
		   "  - name: site-1\n"
		   "    type: client\n"
		   "    org: nvidia\n"
		   "    custom_ca_cert: ./certs/site-ca.pem\n"
		   "  - name: admin@nvidia.com\n"
		   "    type: admin\n"
		   "    org: nvidia\n"
		   "    role: project_admin\n"
		   "builders:\n"
		   "  - path: " B_WS "\n"
		   "  - path: " B_SF "\n"
		   "  - path: " B_CERT "\n");
	assert_non_null(realpath(ca_project, real_project));
	assert_non_null(realpath(ca_site, real_site));

	ccp_diags_init(&diags);
	assert_true(ccp_lint_project(&diags, yml, NULL, &kit) > 0);
	if (!kit)
		fail_msg("the project does not lint clean");
	ccp_diags_release(&diags);
	assert_int_equal(kit->n_participants, 3);
	assert_string_equal(kit->participants[0].custom_ca_cert, real_project);
	assert_string_equal(kit->participants[1].custom_ca_cert, real_site);
	assert_string_equal(kit->participants[2].custom_ca_cert, real_project);

	seed_state(ws, SEED);
	if (provision(&res, kit, ws, &err, 0, 0) != 0)
		fail_msg("%s", err.message);
	for (i = 0; i < 3; i++) {
		static const char *const sites[] = { "server1", "site-1",
						     "admin@nvidia.com" };
		char *path = fmt("%s/%s/startup/customRootCA.pem", prod, sites[i]);

		if (i == 2)
			assert_false(exists(path));
		else
			assert_file_text(path, i == 0 ? CA_PROJECT : CA_SITE);
		free(path);
	}
	ccp_provision_result_release(&res);
	ccp_kit_project_free(kit);
	free(dir);
	free(certs);
	free(yml);
	free(ca_project);
	free(ca_site);
	free(ws);
	free(prod);
}

/* In a CC kit the copied CA is signed like every other startup file;
 * a custom_ca_cert that went missing after lint publishes nothing. */
static void test_custom_ca_cert_signed(void **state)
{
	char *ws = new_workspace("ca-signed");
	char *ca = fmt("%s/ca-signed.pem", g_tmp);
	char *kit_dir = fmt("%s/%s/prod_00/site-1", ws, SEED);
	char *startup = fmt("%s/startup", kit_dir);
	char *sig_path = fmt("%s/signature.json", startup);
	char *root_path = fmt("%s/rootCA.pem", startup);
	char *copy = fmt("%s/customRootCA.pem", startup);
	char *root_pem, *before, msg[128];
	ccp_kit_project *p = make_project(1, "mock");
	ccp_provision_result res;
	ccp_json *sig = NULL;
	X509 *root = NULL;
	ccp_error err;

	(void)state;
	write_text(ca, CA_SITE);
	p->participants[1].custom_ca_cert = xstrdup(ca);
	seed_state(ws, SEED);
	if (provision(&res, p, ws, &err, 0, 0) != 0)
		fail_msg("%s", err.message);
	assert_file_text(copy, CA_SITE);
	assert_int_equal(ccp_json_parse_file(&sig, sig_path, 0, msg, sizeof(msg)), 0);
	assert_non_null(ccp_json_get(sig, "customRootCA.pem"));
	ccp_json_free(sig);
	root_pem = slurp(root_path, NULL);
	assert_non_null(root_pem);
	assert_int_equal(ccp_pem_to_cert(&root, root_pem, &err), 0);
	if (ccp_verify_tree(kit_dir, root, &err) != 0)
		fail_msg("%s", err.message);
	X509_free(root);
	free(root_pem);
	ccp_provision_result_release(&res);

	/* Gone since lint looked: the run fails and publishes nothing. */
	assert_int_equal(unlink(ca), 0);
	before = slurp(g_seed_state, NULL);
	remove_tree(ws);
	seed_state(ws, SEED);
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_EINVAL);
	assert_non_null(strstr(err.message, "custom_ca_cert"));
	assert_non_null(strstr(err.message, ca));
	assert_untouched(ws, SEED, before, 0);
	ccp_kit_project_free(p);
	free(before);
	free(ws);
	free(ca);
	free(kit_dir);
	free(startup);
	free(sig_path);
	free(root_path);
	free(copy);
}

/*
 * A custom_ca_cert that is a private key (or anything but CA
 * certificates) is refused before anything is written, even when the
 * project did not go through lint: it would be copied into every kit.
 */
static void test_custom_ca_cert_must_be_ca(void **state)
{
	static const char *const bad[] = {
		NOT_A_CA_KEY, CA_SITE NOT_A_CA_KEY, "just some text\n",
	};
	static const char *const why[] = {
		"it holds a private key", "it holds a private key (block 2",
		"it holds no PEM certificate",
	};
	char *ws = new_workspace("ca-key");
	char *ca = fmt("%s/ca-key.pem", g_tmp);
	char *prod = fmt("%s/%s/prod_00", ws, SEED);
	ccp_kit_project *p = make_project(1, "mock");
	ccp_provision_result res;
	ccp_error err;
	size_t i;

	(void)state;
	p->participants[1].custom_ca_cert = xstrdup(ca);
	seed_state(ws, SEED);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_text(ca, bad[i]);
		assert_int_equal(provision(&res, p, ws, &err, 0, 0), CCP_EINVAL);
		if (!strstr(err.message, why[i]) || !strstr(err.message, ca))
			fail_msg("'%s' not in '%s'", why[i], err.message);
		assert_false(exists(prod));
	}
	ccp_kit_project_free(p);
	unlink(ca);
	free(ca);
	free(prod);
	free(ws);
}

static void assert_json_is(const ccp_json *got, const char *want_text)
{
	ccp_json *want = json_of(want_text);

	if (!ccp_json_equal(got, want)) {
		char *r = ccp_json_render(got, 2);

		print_error("got:\n%s\n", r);
		free(r);
		fail_msg("want %s", want_text);
	}
	ccp_json_free(want);
}

/*
 * auth_identity exists on NVFlare's main branch only: neither 2.7.2's
 * nor 2.8.1's StaticFileBuilder writes it, so on both lines the model
 * keeps it (lint warns, CCP-P023) and the kits name every participant
 * by its name, as NVFlare's do.
 */
static void test_auth_identity(void **state)
{
	char *dir = fmt("%s/auth-project", g_tmp);
	char *yml = fmt("%s/project.yml", dir);
	char *ws = new_workspace("auth-ws");
	char *prod = fmt("%s/%s/prod_00", ws, SEED);
	ccp_kit_project *kit = NULL;
	ccp_provision_result res;
	ccp_diags diags;
	ccp_error err;
	ccp_json *doc;

	(void)state;
	remove_tree(dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	write_text(yml,
		   "api_version: 3\n"
		   "name: " SEED "\n"
		   "participants:\n"
		   "  - name: server1\n"
		   "    type: server\n"
		   "    org: nvidia\n"
		   "    auth_identity: fl-server\n"
		   "  - name: site-1\n"
		   "    type: client\n"
		   "    org: nvidia\n"
		   "    auth_identity: site-1-cert\n"
		   "  - name: site-2\n"
		   "    type: client\n"
		   "    org: nvidia\n"
		   "    auth_identity: site-2\n"
		   "    connect_to:\n"
		   "      name: server1\n"
		   "      host: server1\n"
		   "      auth_identity: ignored\n"
		   "  - name: admin@nvidia.com\n"
		   "    type: admin\n"
		   "    org: nvidia\n"
		   "    role: project_admin\n"
		   "    auth_identity: admin-cert\n"
		   "builders:\n"
		   "  - path: " B_WS "\n"
		   "  - path: " B_SF "\n"
		   "  - path: " B_CERT "\n");
	ccp_diags_init(&diags);
	assert_true(ccp_lint_project(&diags, yml, NULL, &kit) > 0);
	if (!kit)
		fail_msg("the project does not lint clean");
	ccp_diags_release(&diags);
	assert_int_equal(kit->n_participants, 4);
	assert_string_equal(kit->participants[0].auth_identity, "fl-server");
	assert_string_equal(kit->participants[1].auth_identity, "site-1-cert");
	assert_string_equal(kit->participants[2].auth_identity, "site-2");

	seed_state(ws, SEED);
	if (provision(&res, kit, ws, &err, 0, 0) != 0)
		fail_msg("%s", err.message);

	doc = kit_json(prod, "server1", "fed_server.json");
	assert_json_is(ccp_json_get(doc, "servers")->items[0],
		       "{\"name\": \"" SEED "\", \"service\": {\"target\": \"server1:8002\", "
		       "\"scheme\": \"http\"}, \"admin_server\": \"server1\", "
		       "\"admin_port\": 8002, \"ssl_private_key\": \"server.key\", "
		       "\"ssl_cert\": \"server.crt\", \"ssl_root_cert\": \"rootCA.pem\", "
		       "\"connection_security\": \"mtls\"}");
	ccp_json_free(doc);

	doc = kit_json(prod, "site-1", "fed_client.json");
	assert_string_equal(ccp_json_str(ccp_json_get(
		ccp_json_get(doc, "servers")->items[0], "identity")), "server1");
	assert_json_is(ccp_json_get(doc, "client"),
		       "{\"ssl_private_key\": \"client.key\", \"ssl_cert\": \"client.crt\", "
		       "\"ssl_root_cert\": \"rootCA.pem\", \"fqsn\": \"site-1\", "
		       "\"is_leaf\": true, \"connection_security\": \"mtls\"}");
	ccp_json_free(doc);

	doc = kit_json(prod, "admin@nvidia.com", "fed_admin.json");
	assert_string_equal(ccp_json_str(ccp_json_get(ccp_json_get(doc, "admin"),
						      "server_identity")), "server1");
	ccp_json_free(doc);

	ccp_provision_result_release(&res);
	ccp_kit_project_free(kit);
	free(dir);
	free(yml);
	free(ws);
	free(prod);
}

/*
 * Names are ASCII: NVFlare decodes its signed startup files as ASCII and
 * fails on anything else, and non-ASCII is where look-alike, invisible
 * and right-to-left characters live. Provision refuses such a project
 * name as lint does (the shared check of names.h), before writing.
 */
static void test_kit_names_are_ascii(void **state)
{
	static const char *const names[] = {
		"proj\xc3\xa9_\xf0\x9f\x94\x92",      /* accent and emoji */
		"proj\xe2\x80\xae" "cod.exe",        /* right-to-left override */
		"pro\xe2\x80\x8bj",                  /* zero-width space */
		"proj\xc2\x9b",                      /* C1 control */
		".proj", "a..b", "a\"b",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *ws = new_workspace("ascii");
		char *top = fmt("%s/%s", ws, names[i]);
		ccp_kit_project *p = make_project(0, NULL);
		ccp_provision_result res;
		ccp_error err;

		free(p->name);
		p->name = xstrdup(names[i]);
		assert_int_not_equal(provision(&res, p, ws, &err, 0, 0), 0);
		assert_non_null(strstr(err.message, "cannot be used as a folder name"));
		assert_int_not_equal(access(top, F_OK), 0);
		ccp_kit_project_free(p);
		free(top);
		free(ws);
	}
}

/* CC extras: class_allow_list, cc_mgr_id, issuers of every CC site. */
static void test_cc_assets(void **state)
{
	char *ws = new_workspace("ccassets");
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_kit_cc *cc = p->participants[1].cc;
	ccp_provision_result res;
	ccp_error err;
	char msg[128];
	char *path;
	ccp_json *doc = NULL;
	const ccp_json *list, *args;

	(void)state;
	seed_state(ws, SEED);
	ccp_json_free(p->builders[3].args);
	p->builders[3].args = json_of("{\"cc_mgr_id\": \"my_mgr\"}");
	cc->n_class_allow = 2;
	cc->class_allow_list = calloc(2, sizeof(char *));
	assert_non_null(cc->class_allow_list);
	cc->class_allow_list[0] = xstrdup("my.pkg.");
	cc->class_allow_list[1] = xstrdup("nvflare.app_common.workflows.fedavg.FedAvg");
	cc->issuers = realloc(cc->issuers, 2 * sizeof(*cc->issuers));
	assert_non_null(cc->issuers);
	cc->n_issuers = 2;
	cc->issuers[1].id = xstrdup("gpu_authorizer");
	cc->issuers[1].path = xstrdup(
		"nvflare.app_opt.confidential_computing.gpu_authorizer.GPUAuthorizer");
	cc->issuers[1].token_expiration = 90;
	cc->issuers[1].args = NULL;
	assert_int_equal(provision(&res, p, ws, &err, 0, 0), 0);

	path = fmt("%s/%s/prod_00/site-1/local/resources.json.default", ws, SEED);
	assert_int_equal(ccp_json_parse_file(&doc, path, 0, msg, sizeof(msg)), 0);
	list = ccp_json_get(doc, "class_allow_list");
	assert_non_null(list);
	assert_string_equal(ccp_json_str(list->items[list->count - 1]), "my.pkg.");
	ccp_json_free(doc);
	free(path);
	/* The server gets the client's issuer file too. */
	path = fmt("%s/%s/prod_00/server1/local/gpu_authorizer__p_resources.json", ws, SEED);
	assert_int_equal(ccp_json_parse_file(&doc, path, 0, msg, sizeof(msg)), 0);
	args = ccp_json_get(ccp_json_get(doc, "components")->items[0], "args");
	assert_non_null(args);
	assert_int_equal(args->type, CCP_JSON_OBJECT);
	assert_int_equal(args->count, 0);
	ccp_json_free(doc);
	free(path);
	path = fmt("%s/%s/prod_00/server1/local/my_mgr__p_resources.json", ws, SEED);
	assert_int_equal(ccp_json_parse_file(&doc, path, 0, msg, sizeof(msg)), 0);
	args = ccp_json_get(ccp_json_get(doc, "components")->items[0], "args");
	assert_int_equal(ccp_json_get(args, "cc_verifier_ids")->count, 2);
	assert_int_equal(ccp_json_get(args, "cc_issuers_conf")->count, 1);
	ccp_json_free(doc);
	free(path);
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(ws);
}

/* ---- signals ---- */

static pid_t wait_for_pidfile(const char *path)
{
	int i;

	for (i = 0; i < 500; i++) {
		char *s = slurp(path, NULL);
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		if (s && *s) {
			pid_t pid = (pid_t)atoi(s);

			free(s);
			return pid;
		}
		free(s);
		nanosleep(&ts, NULL);
	}
	fail_msg("the image builder never started");
	return -1;
}

static void assert_gone(pid_t pid)
{
	int i;

	for (i = 0; i < 200; i++) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		if (kill(pid, 0) < 0 && errno == ESRCH)
			return;
		nanosleep(&ts, NULL);
	}
	fail_msg("image builder %d still runs", (int)pid);
}

static void run_signalled(const char *ws_name, int sig)
{
	char *ws = new_workspace(ws_name);
	char *cmd = fmt("%s/fake_build_image.sh", g_fixtures);
	char *pidfile = fmt("%s/%s.pids", g_tmp, ws_name);
	char *wip;
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_result res;
	ccp_error err;
	char *before;
	pid_t child, builder;
	int st;

	seed_state(ws, SEED);
	before = slurp(g_seed_state, NULL);
	set_packager(p, cmd);
	unlink(pidfile);
	setenv("FAKE_BUILD_PIDFILE", pidfile, 1);
	setenv("FAKE_BUILD_SLEEP", "60", 1);
	fflush(NULL);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		int rc;

		catch_signals();
		rc = provision(&res, p, ws, &err, 0, 0);
		_exit(rc == CCP_EINTR ? 42 : rc == 0 ? 0 : 1);
	}
	unsetenv("FAKE_BUILD_PIDFILE");
	unsetenv("FAKE_BUILD_SLEEP");
	builder = wait_for_pidfile(pidfile);
	assert_int_equal(kill(child, sig), 0);
	assert_int_equal(waitpid(child, &st, 0), child);
	if (sig == SIGKILL) {
		assert_true(WIFSIGNALED(st));
		wip = fmt("%s/%s/wip", ws, SEED);
		assert_true(exists(wip)); /* stale, cleared by the next run */
		free(wip);
		{
			char *prod = fmt("%s/%s/prod_00", ws, SEED);
			char *state = fmt("%s/%s/state/cert.json", ws, SEED);
			char *mine = slurp(state, NULL);

			assert_false(exists(prod));
			assert_string_equal(mine, before);
			free(prod);
			free(state);
			free(mine);
		}
	} else {
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 42);
		assert_untouched(ws, SEED, before, 0);
	}
	assert_gone(builder);

	assert_int_equal(provision(&res, p, ws, &err, 0, 0), 0);
	assert_int_equal(res.prod_index, 0);
	wip = fmt("%s/%s/wip", ws, SEED);
	assert_false(exists(wip));
	free(wip);
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(before);
	free(pidfile);
	free(cmd);
	free(ws);
}

static void test_sigterm_mid_run(void **state)
{
	(void)state;
	run_signalled("sigterm", SIGTERM);
}

static void test_sigkill_mid_run(void **state)
{
	(void)state;
	run_signalled("sigkill", SIGKILL);
}

/* Two image builds at once with --jobs 2. */
/*
 * --jobs 2 runs two image builds at once: each stand-in builder waits at a
 * barrier until both have started, so a run that serialised them would
 * fail (after the barrier's generous timeout) rather than merely be slow.
 * No wall-clock threshold: that would flake on a loaded machine.
 */
static void test_parallel_image_builds(void **state)
{
	char *ws = new_workspace("parallel");
	char *cmd = fmt("%s/fake_build_image.sh", g_fixtures);
	char *barrier = fmt("%s.barrier", ws);
	char *knob = fmt("%s:2", barrier);
	ccp_kit_project *p = make_project(1, "onprem_cvm");
	ccp_provision_opts o;
	ccp_provision_result res;
	ccp_error err;

	(void)state;
	assert_int_equal(mkdir(barrier, 0700), 0);
	seed_state(ws, SEED);
	set_packager(p, cmd);
	ccp_provision_opts_init(&o);
	o.workspace = ws;
	o.jobs = 2;
	setenv("FAKE_BUILD_BARRIER", knob, 1);
	assert_int_equal(ccp_provision_run(&res, p, &o, &err), 0);
	unsetenv("FAKE_BUILD_BARRIER");
	ccp_provision_result_release(&res);
	ccp_kit_project_free(p);
	free(knob);
	free(barrier);
	free(cmd);
	free(ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_kit_matches_reference),
		cmocka_unit_test(test_reprovision_reuses_identities),
		cmocka_unit_test(test_state_role_changed),
		cmocka_unit_test(test_state_expired_root),
		cmocka_unit_test(test_state_root_valid_days),
		cmocka_unit_test(test_state_san_changed_reissues),
		cmocka_unit_test(test_state_foreign_site_cert),
		cmocka_unit_test(test_state_foreign_root),
		cmocka_unit_test(test_state_root_as_site),
		cmocka_unit_test(test_state_stale_temps_removed),
		cmocka_unit_test(test_state_fifo_refused),
		cmocka_unit_test(test_state_dev_zero_refused),
		cmocka_unit_test(test_sigterm_stops_keygen),
		cmocka_unit_test(test_packager_image_builder),
		cmocka_unit_test(test_image_builder_fails),
		cmocka_unit_test(test_image_builder_no_bundle),
		cmocka_unit_test(test_image_builder_bad_bundle),
		cmocka_unit_test(test_image_builder_timeout),
		cmocka_unit_test(test_image_bundle_symlink),
		cmocka_unit_test(test_image_bundle_truncated),
		cmocka_unit_test(test_image_bundle_bad_crc),
		cmocka_unit_test(test_image_bundle_fifo),
		cmocka_unit_test(test_check_bundle_in_full),
		cmocka_unit_test(test_umask_000_archives_private),
		cmocka_unit_test(test_bundle_moved_not_copied),
		cmocka_unit_test(test_builder_error_publishes_nothing),
		cmocka_unit_test(test_refusals_write_nothing),
		cmocka_unit_test(test_locked_workspace),
		cmocka_unit_test(test_mock_packs_kit),
		cmocka_unit_test(test_no_image_option),
		cmocka_unit_test(test_study_registry),
		cmocka_unit_test(test_connect_to_and_parents),
		cmocka_unit_test(test_listening_host),
		cmocka_unit_test(test_custom_ca_cert_from_project),
		cmocka_unit_test(test_custom_ca_cert_signed),
		cmocka_unit_test(test_custom_ca_cert_must_be_ca),
		cmocka_unit_test(test_auth_identity),
		cmocka_unit_test(test_kit_names_are_ascii),
		cmocka_unit_test(test_cc_assets),
		cmocka_unit_test(test_sigterm_mid_run),
		cmocka_unit_test(test_sigkill_mid_run),
		cmocka_unit_test(test_parallel_image_builds),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
