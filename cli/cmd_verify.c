/*
 * ccprov verify KIT_DIR [--root-ca FILE]
 *
 * Checks a received startup kit before it is launched: the signature
 * tree, that every certificate in startup/ chains to the root CA, that
 * each key belongs to its certificate, and (as a warning) that keys are
 * private.
 * Every problem is reported, not only the first, so one run tells the
 * operator everything that is wrong with the kit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include "ccprov/buf.h"
#include "ccprov/crypto.h"
#include "ccprov/json.h"
#include "ccprov/nvflare.h"
#include "commands.h"
#include "options.h"

/* PEM files in a kit are a few KiB; refuse anything absurd. */
#define PEM_FILE_MAX ((size_t)1 << 20)

static void usage(FILE *out)
{
	ccp_cli_print_usage(out, "verify",
		"exit codes: 0 verified, 1 verification failed, 2 usage error\n");
}

typedef struct verify_run {
	const char *kit;
	int problems;
	int warnings;
} verify_run;

static void problem(verify_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(verify_run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	r->problems++;
}

/* Read a PEM file (regular, bounded, symlinks not followed). */
static int read_pem(char **out, const char *path, ccp_error *err)
{
	ccp_buf b = CCP_BUF_INIT;
	char chunk[4096];
	struct stat st;
	int fd, rc = 0;

	*out = NULL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return ccp_error_set(err, CCP_EIO, "cannot open '%s': %s", path,
				     errno == ELOOP ? "symbolic link"
						    : strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ccp_error_set(err, CCP_EINVAL,
				     "'%s' is not a regular file", path);
	}
	ccp_buf_init(&b, PEM_FILE_MAX);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = ccp_error_set(err, CCP_EIO, "cannot read '%s': %s",
					   path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		ccp_buf_put(&b, chunk, (size_t)n);
	}
	close(fd);
	OPENSSL_cleanse(chunk, sizeof(chunk));
	if (rc == 0 && ccp_buf_failed(&b))
		rc = ccp_error_set(err, CCP_EINVAL, "'%s' is too large", path);
	if (rc == 0) {
		/* Never NULL, even for an empty file. */
		if (!b.data)
			ccp_buf_puts(&b, "");
		*out = ccp_buf_detach(&b);
		if (!*out)
			rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	}
	if (b.data)
		OPENSSL_cleanse(b.data, b.cap);
	ccp_buf_release(&b);
	return rc;
}

static int load_cert(X509 **out, const char *path, ccp_error *err)
{
	char *pem = NULL;
	ccp_error e = { 0, "" };
	int rc;

	*out = NULL;
	rc = read_pem(&pem, path, err);
	if (rc < 0)
		return rc;
	rc = ccp_pem_to_cert(out, pem, &e);
	if (rc < 0)
		ccp_error_set(err, rc, "'%s': %s", path, e.message);
	free(pem);
	return rc;
}

static int load_key(EVP_PKEY **out, const char *path, ccp_error *err)
{
	char *pem = NULL;
	ccp_error e = { 0, "" };
	int rc;

	*out = NULL;
	rc = read_pem(&pem, path, err);
	if (rc < 0)
		return rc;
	rc = ccp_pem_to_key(out, pem, &e);
	if (rc < 0)
		ccp_error_set(err, rc, "'%s': %s", path, e.message);
	OPENSSL_cleanse(pem, strlen(pem));
	free(pem);
	return rc;
}

static const char *kit_name(const char *kit, char *buf, size_t len)
{
	const char *end = kit + strlen(kit), *start;

	while (end > kit + 1 && end[-1] == '/')
		end--;
	start = end;
	while (start > kit && start[-1] != '/')
		start--;
	snprintf(buf, len, "%.*s", (int)(end - start), start);
	return buf;
}

/* Does the certificate chain to root (and is it valid now)? */
static void check_chain(verify_run *r, X509_STORE *store, X509 *cert,
			const char *path)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();

	if (!ctx || !X509_STORE_CTX_init(ctx, store, cert, NULL)) {
		problem(r, "%s: cannot set up chain verification", path);
	} else if (X509_verify_cert(ctx) != 1) {
		problem(r, "%s: does not chain to the root CA: %s", path,
			X509_verify_cert_error_string(
				X509_STORE_CTX_get_error(ctx)));
	}
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
}

static void check_key(verify_run *r, X509 *cert, const char *key_path)
{
	struct stat st;
	EVP_PKEY *key = NULL;
	ccp_error err = { 0, "" };

	if (lstat(key_path, &st) < 0) {
		if (errno != ENOENT)
			problem(r, "%s: %s", key_path, strerror(errno));
		return;
	}
	if (load_key(&key, key_path, &err) < 0) {
		problem(r, "%s", err.message);
		return;
	}
	if (X509_check_private_key(cert, key) != 1)
		problem(r, "%s: does not match its certificate", key_path);
	ERR_clear_error();
	EVP_PKEY_free(key);
	/* A readable key is a risk, not a forged kit: warn only. */
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		printf("warning: %s: mode %04o lets group or others access the key; use 0600\n",
		       key_path, (unsigned)(st.st_mode & 07777));
		r->warnings++;
	}
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the .crt files in startup/, so the report order is stable. */
static int list_certs(char ***out, size_t *count, const char *startup)
{
	DIR *d = opendir(startup);
	struct dirent *de;
	char **names = NULL, **grown;
	size_t n = 0, cap = 0, len;
	int rc = -1;

	*out = NULL;
	*count = 0;
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".crt") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown)
				goto cleanup;
			names = grown;
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			goto cleanup;
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	*out = names;
	*count = n;
	names = NULL;
	rc = 0;

cleanup:
	while (names && n > 0)
		free(names[--n]);
	free(names);
	closedir(d);
	return rc;
}

static void check_startup(verify_run *r, X509 *root, const char *root_path)
{
	char startup[PATH_MAX], path[PATH_MAX + 256], key_path[PATH_MAX + 256];
	char **names = NULL;
	size_t n = 0, i;
	X509_STORE *store = X509_STORE_new();
	ccp_error err = { 0, "" };

	snprintf(startup, sizeof(startup), "%s/startup", r->kit);
	if (!store || !X509_STORE_add_cert(store, root)) {
		problem(r, "%s: cannot use as a trust anchor", root_path);
		goto cleanup;
	}
	if (list_certs(&names, &n, startup) < 0) {
		problem(r, "%s: cannot list: %s", startup, strerror(errno));
		goto cleanup;
	}
	if (n == 0)
		problem(r, "%s: no certificate (*.crt)", startup);
	for (i = 0; i < n; i++) {
		X509 *cert = NULL;
		size_t len = strlen(names[i]);

		snprintf(path, sizeof(path), "%s/%s", startup, names[i]);
		if (load_cert(&cert, path, &err) < 0) {
			problem(r, "%s", err.message);
			ccp_error_clear(&err);
			continue;
		}
		check_chain(r, store, cert, path);
		snprintf(key_path, sizeof(key_path), "%s/%.*s.key", startup,
			 (int)(len - 4), names[i]);
		check_key(r, cert, key_path);
		X509_free(cert);
	}

cleanup:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	X509_STORE_free(store);
}

/*
 * With an explicit --root-ca, the kit's own rootCA.pem must be that same
 * certificate: it is what the participant will trust at run time.
 */
static void check_kit_root(verify_run *r, X509 *root)
{
	char path[PATH_MAX];
	X509 *kit_root = NULL;
	ccp_error err = { 0, "" };

	snprintf(path, sizeof(path), "%s/startup/rootCA.pem", r->kit);
	if (load_cert(&kit_root, path, &err) < 0)
		problem(r, "%s", err.message);
	else if (X509_cmp(kit_root, root) != 0)
		problem(r, "%s: is not the trusted root CA", path);
	X509_free(kit_root);
}

static int kit_has(const char *kit, const char *rel)
{
	char path[PATH_MAX + 64];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", kit, rel) >= sizeof(path))
		return 0;
	return access(path, F_OK) == 0;
}

/* Does local/ hold a CC manager (a kit the CCBuilder wrote)? */
static int is_cc_kit(const char *kit)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int cc = 0;

	snprintf(path, sizeof(path), "%s/local", kit);
	d = opendir(path);
	while (d && !cc && (de = readdir(d)) != NULL) {
		static const char suffix[] = "__p_resources.json";
		size_t n = strlen(de->d_name), m = sizeof(suffix) - 1;

		/* relay__resources.json is no CC file */
		cc = n > m && strcmp(de->d_name + n - m, suffix) == 0;
	}
	if (d)
		closedir(d);
	return cc;
}

/*
 * The release line a kit was written for, from what differs in it: the
 * overseer agent of a 2.7 server or client, the error log's name in
 * local/log_config.json.default (a relay), and for an admin kit, whose
 * files are the same on both lines, whether startup/ is signed.
 * *certain is 0 when only signatures told (they can be stripped).
 */
static ccp_nvf_line detect_line(const char *kit, int *certain)
{
	static const char *const feds[] = { "startup/fed_server.json",
					     "startup/fed_client.json" };
	char path[PATH_MAX], msg[128];
	ccp_json *doc = NULL;
	ccp_nvf_line line = CCP_NVF_2_8;
	size_t i;

	*certain = 1;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", kit, feds[i]);
		if (access(path, F_OK) == 0 &&
		    ccp_json_parse_file(&doc, path, 1u << 20, msg, sizeof(msg)) == 0) {
			line = ccp_json_get(doc, "overseer_agent") ? CCP_NVF_2_7 : CCP_NVF_2_8;
			ccp_json_free(doc);
			return line;
		}
	}
	snprintf(path, sizeof(path), "%s/local/log_config.json.default", kit);
	if (access(path, F_OK) == 0 &&
	    ccp_json_parse_file(&doc, path, 1u << 20, msg, sizeof(msg)) == 0) {
		const char *fn = ccp_json_str(ccp_json_get(ccp_json_get(ccp_json_get(
			doc, "handlers"), "errorFileHandler"), "filename"));

		for (i = 0; fn && i < 2; i++) {
			const ccp_nvf_release *r = ccp_nvf_release_of(i ? CCP_NVF_2_7 : CCP_NVF_2_8);
			size_t n = strlen(fn), m = strlen(r->error_log_file);

			if (n >= m && strcmp(fn + n - m, r->error_log_file) == 0)
				line = r->line;
		}
		ccp_json_free(doc);
		return line;
	}
	*certain = 0;
	return kit_has(kit, "startup/signature.json") ? CCP_NVF_2_7 : CCP_NVF_2_8;
}

/*
 * Signatures as the kit's release line writes them: a CC kit is signed
 * whole on every line; before 2.8 every other kit has startup/ and
 * local/ signed; 2.8 signs no other kit, so there is nothing to check.
 */
static void check_signatures(verify_run *r, X509 *root, ccp_nvf_line line)
{
	const ccp_nvf_release *rel = ccp_nvf_release_of(line);
	static const char *const plain[] = { "startup", "local" };
	char path[PATH_MAX];
	ccp_error err;
	size_t i, signed_dirs = 0;

	if (kit_has(r->kit, "signature.json") || is_cc_kit(r->kit)) {
		ccp_error_clear(&err);
		if (ccp_verify_tree(r->kit, root, &err) < 0)
			problem(r, "%s", err.message);
		return;
	}
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", r->kit, plain[i]);
		if (access(path, F_OK) != 0)
			continue;
		/* 2.8 signs no plain kit: check what is there, demand nothing. */
		if (!rel->signs_plain_kits && !kit_has(path, "signature.json"))
			continue;
		signed_dirs++;
		ccp_error_clear(&err);
		if (ccp_verify_tree(path, root, &err) < 0)
			problem(r, "%s/: %s", plain[i], err.message);
	}
	if (!signed_dirs)
		printf("note: NVFlare %s signs only confidential-computing kits; "
		       "this one carries no signatures to check\n", rel->name);
}

int cmd_verify(int argc, char **argv)
{
	const char *kit = NULL, *root_ca = NULL;
	char default_root[PATH_MAX], name[256];
	verify_run run = { NULL, 0, 0 };
	X509 *root = NULL;
	ccp_error err = { 0, "" };
	ccp_nvf_line line = CCP_NVF_DEFAULT, found;
	int line_given = 0, certain;
	struct stat st;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return CCP_EXIT_OK;
		} else if (strcmp(argv[i], "--nvflare") == 0 ||
			   strncmp(argv[i], "--nvflare=", 10) == 0) {
			const char *v = argv[i][9] == '=' ? argv[i] + 10 :
					(i + 1 < argc ? argv[++i] : NULL);

			if (ccp_nvf_line_parse(&line, v) < 0) {
				fprintf(stderr, "ccprov verify: --nvflare takes %s, not '%s'\n",
					ccp_nvf_line_names(), v ? v : "");
				return CCP_EXIT_USAGE;
			}
			line_given = 1;
		} else if (strcmp(argv[i], "--root-ca") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "ccprov verify: '--root-ca' needs a file\n");
				return CCP_EXIT_USAGE;
			}
			root_ca = argv[++i];
		} else if (strncmp(argv[i], "--root-ca=", 10) == 0) {
			root_ca = argv[i] + 10;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "ccprov verify: unknown option '%s'\n",
				argv[i]);
			usage(stderr);
			return CCP_EXIT_USAGE;
		} else if (!kit) {
			kit = argv[i];
		} else {
			fprintf(stderr, "ccprov verify: unexpected argument '%s'\n",
				argv[i]);
			return CCP_EXIT_USAGE;
		}
	}
	if (!kit || (root_ca && !*root_ca)) {
		usage(stderr);
		return CCP_EXIT_USAGE;
	}
	run.kit = kit;
	kit_name(kit, name, sizeof(name));
	if (stat(kit, &st) < 0 || !S_ISDIR(st.st_mode)) {
		printf("kit '%s' failed verification: '%s' is not a folder\n",
		       name, kit);
		return CCP_EXIT_FINDINGS;
	}
	/* Without --nvflare the kit says which line it is for; with it,
	 * a kit for the other line is a problem (its runtime refuses it). */
	found = detect_line(kit, &certain);
	if (!line_given)
		line = found;
	else if (found != line && certain)
		problem(&run, "the kit is written for NVFlare %s, not %s: the %s "
			"runtime refuses it", ccp_nvf_release_of(found)->name,
			ccp_nvf_release_of(line)->name, ccp_nvf_release_of(line)->name);
	if (!root_ca) {
		snprintf(default_root, sizeof(default_root),
			 "%s/startup/rootCA.pem", kit);
		root_ca = default_root;
	}
	if (load_cert(&root, root_ca, &err) < 0) {
		problem(&run, "%s", err.message);
	} else {
		if (root_ca != default_root)
			check_kit_root(&run, root);
		check_signatures(&run, root, line);
		check_startup(&run, root, root_ca);
	}
	X509_free(root);
	if (run.problems) {
		printf("kit '%s' failed verification: %d problem%s\n", name,
		       run.problems, run.problems == 1 ? "" : "s");
		return CCP_EXIT_FINDINGS;
	}
	printf("kit '%s' verified for NVFlare %s%s\n", name,
	       ccp_nvf_release_of(line)->name,
	       run.warnings ? " (with warnings)" : "");
	return CCP_EXIT_OK;
}
