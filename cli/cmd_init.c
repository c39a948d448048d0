/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ccprov init [DIR]: write a starting confidential-computing project
 * (project.yml and one cc_config per CC site) for a chosen shape, with
 * comments that explain each key. The files lint clean and provision
 * (--no-image) as written; existing files are never overwritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccprov/buf.h"
#include "ccprov/nvflare.h"
#include "commands.h"
#include "options.h"
#include "path.h"

#define INIT_MAX_CLIENTS 64
#define CC_PREFIX "nvflare.app_opt.confidential_computing."

/* One compute environment: how its sites attest and what they need. */
typedef struct init_env {
	const char *name;
	const char *about;     /* comment above compute_env */
	int needs_mechanism;   /* cc_cpu_mechanism is written */
	int needs_image;       /* drives and docker_archive (onprem_cvm) */
	const char *issuer;    /* the CPU issuer block, or NULL = by mechanism */
} init_env;

static const init_env init_envs[] = {
	{ "onprem_cvm",
	  "# A confidential VM on your own hardware, built by the OnPremPackager's\n"
	  "# image builder from the docker archive below.\n", 1, 1, NULL },
	{ "azure_cvm",
	  "# An Azure confidential VM; Microsoft Azure Attestation vouches for it.\n",
	  1, 0,
	  "  - id: az_cvm_authorizer\n"
	  "    path: " CC_PREFIX "az_cvm_authorizer.AZCVMAuthorizer\n"
	  "    token_expiration: 100 # seconds, less than check_frequency\n"
	  "    args:\n"
	  "      # the Azure attestation endpoint of your region\n"
	  "      maa_endpoint: sharedeus2.eus2.attest.azure.net\n" },
	{ "azure_confidential_container",
	  "# An Azure confidential container instance (ACI).\n", 0, 0,
	  "  - id: aci_authorizer\n"
	  "    path: " CC_PREFIX "aci_authorizer.ACIAuthorizer\n"
	  "    token_expiration: 100 # seconds, less than check_frequency\n"
	  "    args:\n"
	  "      # the Azure attestation endpoint of your region\n"
	  "      maa_endpoint: sharedeus2.eus2.attest.azure.net\n" },
	{ "mock",
	  "# No confidential hardware: a mock attestation for trying the flow out.\n"
	  "# Never use it for real data.\n", 0, 0,
	  "  - id: mock_authorizer\n"
	  "    path: " CC_PREFIX "mock_authorizer.MockAuthorizer\n"
	  "    token_expiration: 50 # seconds, less than check_frequency\n" },
};

typedef struct init_mech {
	const char *name;
	const char *issuer;
} init_mech;

static const init_mech init_mechs[] = {
	{ "amd_sev_snp",
	  "  - id: snp_authorizer\n"
	  "    path: " CC_PREFIX "snp_authorizer.SNPAuthorizer\n"
	  "    token_expiration: 100 # seconds, less than check_frequency\n"
	  "    args:\n"
	  "      # snpguest inside the CVM\n"
	  "      snpguest_binary: /host/bin/snpguest\n" },
	{ "intel_tdx",
	  "  - id: tdx_authorizer\n"
	  "    path: " CC_PREFIX "tdx_authorizer.TDXAuthorizer\n"
	  "    token_expiration: 100 # seconds, less than check_frequency\n"
	  "    args:\n"
	  "      # Intel's trustauthority-cli and its configuration folder\n"
	  "      tdx_cli_command: /usr/bin/trustauthority-cli\n"
	  "      config_dir: /etc/tdx\n" },
};

static const char gpu_issuer[] =
	"  - id: gpu_authorizer\n"
	"    path: " CC_PREFIX "gpu_authorizer.GPUAuthorizer\n"
	"    token_expiration: 100 # seconds, less than check_frequency\n";

typedef struct init_opts {
	const char *dir;
	const char *name;
	const init_env *env;
	const init_mech *mech;
	int gpu;
	int clients;
	ccp_nvf_line line;
	const char *archive;
	const char *image_cmd;
} init_opts;

static void init_usage(FILE *out)
{
	ccp_cli_print_usage(out, "init",
		"Then: ccprov lint DIR/project.yml, and ccprov provision\n"
		"DIR/project.yml (--no-image until the image builder is in place).\n"
		"exit codes: 0 written, 2 usage error, 3 a file exists or cannot be written\n");
}

/* Write text to dir/name, failing when the file exists. */
static int write_new(const char *dir, const char *name, const ccp_buf *text)
{
	char *path = ccp_path_child(dir, name);
	ssize_t w;
	size_t off = 0;
	int fd = -1, rc = -1;

	if (!path) {
		fprintf(stderr, "ccprov init: out of memory\n");
		return -1;
	}
	if (strlen(path) >= PATH_MAX) {
		fprintf(stderr, "ccprov init: path too long: '%s'\n", path);
		goto cleanup;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		fprintf(stderr, "ccprov init: cannot create '%s': %s\n", path,
			errno == EEXIST ? "it exists (init never overwrites)" : strerror(errno));
		goto cleanup;
	}
	while (off < text->len) {
		w = write(fd, text->data + off, text->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "ccprov init: cannot write '%s': %s\n", path,
				strerror(errno));
			goto cleanup;
		}
		off += (size_t)w;
	}
	rc = close(fd);
	fd = -1;
	if (rc < 0) {
		fprintf(stderr, "ccprov init: cannot write '%s': %s\n", path, strerror(errno));
		goto cleanup;
	}
	printf("wrote %s\n", path);
cleanup:
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

static void project_yml(ccp_buf *b, const init_opts *o)
{
	int i;

	ccp_buf_printf(b,
		"# An NVIDIA FLARE confidential-computing project (written by ccprov init:\n"
		"# %s, %s%s, NVFlare %s). Check it with 'ccprov lint project.yml';\n"
		"# 'ccprov explain RULE' says why a rule exists.\n"
		"\n"
		"# The project file format: 3 works with NVFlare 2.7 and 2.8.\n"
		"api_version: 3\n"
		"# Names the workspace folder and the root CA.\n"
		"name: %s\n"
		"description: confidential-computing project for NVFlare %s # free text\n"
		"\n"
		"# Everyone who gets a startup kit. Each server and client with a\n"
		"# cc_config runs in a trusted execution environment and attests itself.\n"
		"participants:\n"
		"  - name: server1\n"
		"    type: server\n"
		"    # the organisation; it goes into the certificate\n"
		"    org: example\n"
		"    # clients connect here (the admin port defaults to the same)\n"
		"    fed_learn_port: 8002\n"
		"    # the CC settings of this site, relative to this file\n"
		"    cc_config: cc_server1.yml\n",
		o->env->name, o->mech ? o->mech->name : "no CPU mechanism",
		o->gpu ? ", GPU" : "", ccp_nvf_release_of(o->line)->name, o->name,
		ccp_nvf_release_of(o->line)->name);
	for (i = 1; i <= o->clients; i++)
		ccp_buf_printf(b,
			"  - name: site-%d\n"
			"    type: client\n"
			"    org: example\n"
			"    cc_config: cc_site-%d.yml\n", i, i);
	ccp_buf_puts(b,
		"  # the project admin, who submits jobs with the admin console\n"
		"  - name: admin@example.com\n"
		"    type: admin\n"
		"    org: example\n"
		"    role: project_admin\n"
		"\n"
		"# Builders run in this order: CCBuilder after StaticFileBuilder and\n"
		"# before SignatureBuilder, so the CC assets are signed; CertBuilder\n"
		"# before SignatureBuilder, which needs the root key.\n"
		"builders:\n"
		"  - path: nvflare.lighter.impl.workspace.WorkspaceBuilder\n"
		"  - path: nvflare.lighter.impl.static_file.StaticFileBuilder\n"
		"    args:\n"
		"      config_folder: config\n"
		"  - path: nvflare.lighter.impl.cert.CertBuilder\n"
		"  - path: nvflare.lighter.cc_provision.impl.cc.CCBuilder\n"
		"  - path: nvflare.lighter.impl.signature.SignatureBuilder\n");
	if (o->image_cmd)
		ccp_buf_printf(b,
			"\n"
			"# Builds each onprem_cvm site's CVM image from its signed kit;\n"
			"# 'ccprov provision --no-image' packs the kits without it.\n"
			"packager:\n"
			"  path: nvflare.lighter.cc_provision.impl.onprem_packager.OnPremPackager\n"
			"  args:\n"
			"    # NVIDIA's CVM image builder, relative to this file\n"
			"    build_image_cmd: %s\n", o->image_cmd);
}

static void cc_config_yml(ccp_buf *b, const init_opts *o, const char *site,
			  int server)
{
	ccp_buf_printf(b,
		"# Confidential-computing settings of %s (written by ccprov init).\n"
		"\n%s"
		"compute_env: %s%s\n", site, o->env->about, o->env->name,
		/* a mock site attests nothing (CCP-C005): say that it is meant */
		strcmp(o->env->name, "mock") == 0 ?
		"  # ccprov: disable=CCP-C005 -- a mock site tries the workflow "
		"without a CVM; use a real compute_env for production" : "");
	if (o->mech)
		ccp_buf_printf(b,
			"# the CPU's confidential-computing technology\n"
			"cc_cpu_mechanism: %s\n", o->mech->name);
	if (o->gpu)
		ccp_buf_puts(b,
			"# an NVIDIA GPU in confidential-computing mode\n"
			"cc_gpu_mechanism: nvidia_cc\n");
	ccp_buf_printf(b,
		"# must match the participant's type in project.yml\n"
		"role: %s\n", server ? "server" : "client");
	if (o->env->needs_image)
		ccp_buf_printf(b,
			"\n"
			"# Drive sizes in GB; the root drive must hold the unpacked image.\n"
			"root_drive_size: 10\n"
			"applog_drive_size: 1 # the site's logs\n"
			"user_config_drive_size: 1 # the startup kit and user_config\n"
			"user_data_drive_size: 1 # data the site reads and writes\n"
			"\n"
			"# The application image (NVFlare and your code), saved with\n"
			"# 'docker save IMAGE | gzip > FILE'; relative to this file.\n"
			"docker_archive: %s\n", o->archive);
	if (server)
		ccp_buf_puts(b,
			"\n"
			"# Inbound ports the site accepts: the server's fed_learn_port\n"
			"# and admin port.\n"
			"allowed_ports:\n"
			"  - 8002\n");
	else
		ccp_buf_puts(b,
			"\n"
			"# Outbound ports the site may use: the server's fed_learn_port\n"
			"# (and admin port), and 443 for attestation services.\n"
			"allowed_out_ports:\n"
			"  - 443\n"
			"  - 8002\n");
	ccp_buf_printf(b,
		"\n"
		"# Who vouches for this site: each issuer produces an attestation\n"
		"# token that the other sites verify.\n"
		"cc_issuers:\n%s%s"
		"\n"
		"# How often (seconds) the sites check each other's attestation.\n"
		"cc_attestation:\n"
		"  check_frequency: 120\n",
		o->env->issuer ? o->env->issuer : o->mech->issuer,
		o->gpu ? gpu_issuer : "");
}

static int init_write(const init_opts *o)
{
	ccp_buf b = CCP_BUF_INIT;
	char name[64];
	int i, rc = -1;

	if (mkdir(o->dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "ccprov init: cannot create '%s': %s\n", o->dir,
			strerror(errno));
		return -1;
	}
	/* Check every name first: a refused run writes nothing. */
	for (i = 0; i <= o->clients + 1; i++) {
		char *path;
		int taken;

		if (i == 0)
			snprintf(name, sizeof(name), "project.yml");
		else if (i == 1)
			snprintf(name, sizeof(name), "cc_server1.yml");
		else
			snprintf(name, sizeof(name), "cc_site-%d.yml", i - 1);
		path = ccp_path_child(o->dir, name);
		if (!path) {
			fprintf(stderr, "ccprov init: out of memory\n");
			return -1;
		}
		taken = access(path, F_OK) == 0 || errno != ENOENT;
		if (taken)
			fprintf(stderr, "ccprov init: '%s' exists; init never overwrites\n",
				path);
		free(path);
		if (taken)
			return -1;
	}
	project_yml(&b, o);
	if (ccp_buf_failed(&b) || write_new(o->dir, "project.yml", &b) < 0)
		goto cleanup;
	for (i = 0; i <= o->clients; i++) {
		char site[32];

		ccp_buf_release(&b);
		if (i == 0)
			snprintf(site, sizeof(site), "server1");
		else
			snprintf(site, sizeof(site), "site-%d", i);
		snprintf(name, sizeof(name), "cc_%s.yml", site);
		cc_config_yml(&b, o, site, i == 0);
		if (ccp_buf_failed(&b) || write_new(o->dir, name, &b) < 0)
			goto cleanup;
	}
	rc = 0;

cleanup:
	ccp_buf_release(&b);
	return rc;
}

/* "--opt VALUE" or "--opt=VALUE"; *matched says whether a was opt. */
static const char *opt_value(int argc, char **argv, int *i, const char *lng,
			     int *matched)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	*matched = 0;
	if (strcmp(a, lng) == 0) {
		*matched = 1;
		return *i + 1 < argc ? argv[++*i] : NULL;
	}
	if (strncmp(a, lng, n) == 0 && a[n] == '=') {
		*matched = 1;
		return a + n + 1;
	}
	return NULL;
}

static int valid_name(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '-'))
			return 0;
	return n > 0 && n < 64;
}

/* What the command line asks for: the options, and the names of the
 * compute environment and mechanism until they are looked up. */
typedef struct init_args {
	init_opts o;
	const char *env;
	const char *mech;
} init_args;

/* The options that take a value: `v` is NULL when it has none. */
static int set_compute_env(init_args *ia, const char *v)
{
	ia->env = v ? v : "";
	return 0;
}

static int set_mechanism(init_args *ia, const char *v)
{
	ia->mech = v ? v : "";
	return 0;
}

static int set_clients(init_args *ia, const char *v)
{
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;

	if (!v || *end || end == v || n < 1 || n > INIT_MAX_CLIENTS) {
		fprintf(stderr, "ccprov init: --clients takes 1 to %d\n",
			INIT_MAX_CLIENTS);
		return -1;
	}
	ia->o.clients = (int)n;
	return 0;
}

static int set_nvflare(init_args *ia, const char *v)
{
	if (ccp_nvf_line_parse(&ia->o.line, v) < 0) {
		fprintf(stderr, "ccprov init: --nvflare takes %s, not '%s'\n",
			ccp_nvf_line_names(), v ? v : "");
		return -1;
	}
	return 0;
}

static int set_name(init_args *ia, const char *v)
{
	if (!v || !valid_name(v)) {
		fprintf(stderr, "ccprov init: --name takes letters, digits, '_' "
			"and '-' (at most 63)\n");
		return -1;
	}
	ia->o.name = v;
	return 0;
}

static int set_docker_archive(init_args *ia, const char *v)
{
	if (!v || !*v || strpbrk(v, "\n\r\"'#:")) {
		fprintf(stderr, "ccprov init: --docker-archive needs a plain path\n");
		return -1;
	}
	ia->o.archive = v;
	return 0;
}

static int set_build_image_cmd(init_args *ia, const char *v)
{
	if (!v || !*v || strpbrk(v, "\n\r\"'#:")) {
		fprintf(stderr, "ccprov init: --build-image-cmd needs a plain path\n");
		return -1;
	}
	ia->o.image_cmd = v;
	return 0;
}

static const struct init_value_option {
	const char *name;
	int (*set)(init_args *ia, const char *v);
} init_value_options[] = {
	{ "--compute-env", set_compute_env },
	{ "--mechanism", set_mechanism },
	{ "--clients", set_clients },
	{ "--nvflare", set_nvflare },
	{ "--name", set_name },
	{ "--docker-archive", set_docker_archive },
	{ "--build-image-cmd", set_build_image_cmd },
};

/* One argument (and the value after it, moving *i): 0 taken, 1 the
 * command ends with *exit_code. */
static int take_arg(init_args *ia, int argc, char **argv, int *i,
		    int *exit_code)
{
	const char *a = argv[*i];
	size_t k;

	*exit_code = CCP_EXIT_USAGE;
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		init_usage(stdout);
		*exit_code = CCP_EXIT_OK;
		return 1;
	}
	if (strcmp(a, "--gpu") == 0) {
		ia->o.gpu = 1;
		return 0;
	}
	for (k = 0; k < sizeof(init_value_options) / sizeof(init_value_options[0]); k++) {
		int m;
		const char *v = opt_value(argc, argv, i, init_value_options[k].name, &m);

		if (m)
			return init_value_options[k].set(ia, v) < 0;
	}
	if (a[0] == '-' && a[1]) {
		fprintf(stderr, "ccprov init: unknown option '%s'\n", a);
		init_usage(stderr);
		return 1;
	}
	if (ia->o.dir) {
		fprintf(stderr, "ccprov init: only one folder may be given\n");
		return 1;
	}
	ia->o.dir = a;
	return 0;
}

/* The compute environment and mechanism by name, and whether the
 * options that depend on them apply. */
static int look_up_env(init_args *ia)
{
	init_opts *o = &ia->o;
	size_t k;

	for (k = 0; k < sizeof(init_envs) / sizeof(init_envs[0]); k++)
		if (strcmp(ia->env, init_envs[k].name) == 0)
			o->env = &init_envs[k];
	if (!o->env) {
		fprintf(stderr, "ccprov init: --compute-env takes onprem_cvm, azure_cvm, "
			"azure_confidential_container or mock, not '%s'\n", ia->env);
		return -1;
	}
	if (o->env->needs_mechanism && !ia->mech)
		ia->mech = "amd_sev_snp";
	if (ia->mech) {
		for (k = 0; k < sizeof(init_mechs) / sizeof(init_mechs[0]); k++)
			if (strcmp(ia->mech, init_mechs[k].name) == 0)
				o->mech = &init_mechs[k];
		if (!o->mech) {
			fprintf(stderr, "ccprov init: --mechanism takes amd_sev_snp or "
				"intel_tdx, not '%s'\n", ia->mech);
			return -1;
		}
		if (!o->env->needs_mechanism) {
			fprintf(stderr, "ccprov init: --mechanism does not apply to %s\n",
				o->env->name);
			return -1;
		}
	}
	if (o->image_cmd && !o->env->needs_image) {
		fprintf(stderr, "ccprov init: --build-image-cmd applies to onprem_cvm only\n");
		return -1;
	}
	return 0;
}

int cmd_init(int argc, char **argv)
{
	init_args ia;
	int i, rc;

	memset(&ia, 0, sizeof(ia));
	ia.o.dir = NULL;
	ia.o.name = "cc_project";
	ia.o.clients = 1;
	ia.o.line = CCP_NVF_DEFAULT;
	ia.o.archive = "nvflare-site.tar.gz";
	ia.env = "onprem_cvm";
	for (i = 1; i < argc; i++)
		if (take_arg(&ia, argc, argv, &i, &rc))
			return rc;
	if (!ia.o.dir)
		ia.o.dir = ".";
	if (look_up_env(&ia) < 0)
		return CCP_EXIT_USAGE;
	if (init_write(&ia.o) < 0)
		return CCP_EXIT_FAILURE;
	if (ia.o.env->needs_image)
		printf("put the docker archive at '%s' (relative to %s) before linting\n",
		       ia.o.archive, ia.o.dir);
	return CCP_EXIT_OK;
}
