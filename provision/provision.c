/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One provisioning run as a transaction on WORKSPACE/PROJECT:
 *
 *   lock .lock -> clear a stale wip/ -> identities (all keys at once)
 *   -> builders write wip/kits/NAME -> sign -> package -> save state
 *   -> rename wip/kits to prod_NN -> remove wip/
 *
 * Nothing outside wip/ changes before the final steps, so any failure
 * (or a signal, or SIGKILL) leaves the previous prod_NN folders and
 * state/cert.json as they were.
 */
#include "prov_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROD 99

void ccp_provision_opts_init(ccp_provision_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->workspace = "workspace";
	o->jobs = 1;
	o->image_timeout = CCP_PROVISION_IMAGE_TIMEOUT;
	o->line = CCP_NVF_DEFAULT;
	o->heartbeat = CCP_PROVISION_HEARTBEAT;
}

void ccp_provision_result_release(ccp_provision_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n_kits; i++) {
		free(r->kits[i].name);
		free(r->kits[i].path);
	}
	free(r->kits);
	free(r->project_dir);
	free(r->prod_dir);
	free(r->log_tail);
	free(r->log_dir);
	memset(r, 0, sizeof(*r));
}

static int has_kit(const ccp_kit_participant *q)
{
	return q->type == CCP_PT_SERVER || q->type == CCP_PT_CLIENT ||
	       q->type == CCP_PT_ADMIN || q->type == CCP_PT_RELAY;
}

static int is_cc(const ccp_kit_participant *q)
{
	return q->cc && (q->type == CCP_PT_SERVER || q->type == CCP_PT_CLIENT);
}

int ccp_provision_check(const ccp_kit_project *p, ccp_nvf_line line,
			ccp_error *err)
{
	const ccp_nvf_release *rel = ccp_nvf_release_of(line);
	ccp_buf refused = CCP_BUF_INIT;
	size_t i, j, servers = 0;
	int rc = 0;

	for (i = 0; i < p->n_builders; i++)
		if (ccp_nvf_builder_kind(p->builders[i].path) == CCP_NVF_B_UNKNOWN)
			ccp_buf_printf(&refused, "%s'%s'", refused.len ? ", " : "",
				       p->builders[i].path);
	if (refused.len) {
		rc = ccp_error_set(err, CCP_EINVAL,
				   "ccprov cannot run builder%s %s; it implements the "
				   "Workspace, StaticFile, Cert, CC and Signature builders",
				   strchr(ccp_buf_cstr(&refused), ',') ? "s" : "",
				   ccp_buf_cstr(&refused));
		goto cleanup;
	}
	if (p->packager && strcmp(p->packager->path, CCP_NVF_ONPREM_PACKAGER) != 0) {
		rc = ccp_error_set(err, CCP_EINVAL,
				   "ccprov cannot run packager '%s'; it implements '%s'",
				   p->packager->path, CCP_NVF_ONPREM_PACKAGER);
		goto cleanup;
	}
	if (!p->name || !ccp_prov_name_ok(p->name)) {
		rc = ccp_error_set(err, CCP_EINVAL,
				   "project name '%s' cannot be used as a folder name",
				   p->name ? p->name : "");
		goto cleanup;
	}
	for (i = 0; i < p->n_participants; i++) {
		const ccp_kit_participant *q = &p->participants[i];

		if (!has_kit(q))
			continue;
		if (!q->name || !ccp_prov_name_ok(q->name)) {
			rc = ccp_error_set(err, CCP_EINVAL,
					   "participant name '%s' cannot be used as a folder name",
					   q->name ? q->name : "");
			goto cleanup;
		}
		for (j = 0; j < i; j++)
			if (p->participants[j].name &&
			    strcmp(p->participants[j].name, q->name) == 0) {
				rc = ccp_error_set(err, CCP_EINVAL,
						   "participant name '%s' is used twice", q->name);
				goto cleanup;
			}
		if (q->type == CCP_PT_SERVER)
			servers++;
	}
	if (servers != 1)
		rc = ccp_error_set(err, CCP_EINVAL,
				   "the project must have exactly one server (it has %zu)",
				   servers);
	else if (p->api_version > rel->max_api_version)
		rc = ccp_error_set(err, CCP_EINVAL,
				   "NVFlare %s provisions api_version %d at most, not %d",
				   rel->name, rel->max_api_version, p->api_version);

cleanup:
	ccp_buf_release(&refused);
	return rc;
}

/* ---- progress ---- */

typedef struct run {
	const ccp_kit_project *p;
	const ccp_provision_opts *o;
	double t0;
	char *pdir;      /* WORKSPACE/PROJECT */
	char *wip;       /* pdir/wip */
	char *kits;      /* pdir/wip/kits: renamed to prod_NN */
	char *tmp;       /* pdir/wip/tmp */
	char *state_path;
	char *logs;
	int lock_fd;
	int wip_made;
	const char *step; /* what runs now: the failed step on failure */
} run;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(const run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void progress(const run *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->o->progress)
		return;
	fprintf(r->o->progress, "[%6.1fs] ", now_s() - r->t0);
	va_start(ap, fmt);
	vfprintf(r->o->progress, fmt, ap);
	va_end(ap);
	fputc('\n', r->o->progress);
	fflush(r->o->progress);
}

static int check_cancel(ccp_error *err)
{
	if (ccp_prov_cancelled())
		return ccp_error_set(err, CCP_EINTR,
				     "interrupted; nothing was published");
	return 0;
}

/* ---- workspace ---- */

static int lock_project(run *r, ccp_error *err)
{
	char *path = ccp_prov_join(r->pdir, ".lock");

	if (!path)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	r->lock_fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (r->lock_fd < 0) {
		ccp_error_set(err, CCP_EIO, "cannot open lock file '%s': %s", path,
			      strerror(errno));
		free(path);
		return CCP_EIO;
	}
	/* Fail fast rather than queue: a second run on the same workspace
	 * is almost always a mistake, and waiting hides it. */
	if (flock(r->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		int busy = errno == EWOULDBLOCK;

		ccp_error_set(err, busy ? CCP_EBUSY : CCP_EIO,
			      busy ? "workspace '%s' is in use by another ccprov run "
			      "(lock '%s'); try again when it has finished" :
			      "cannot lock workspace '%s' ('%s')", r->pdir, path);
		free(path);
		return busy ? CCP_EBUSY : CCP_EIO;
	}
	free(path);
	return 0;
}

/* Next prod_NN number: one past the highest present. */
static int next_prod(int *out, const char *pdir, ccp_error *err)
{
	DIR *d = opendir(pdir);
	struct dirent *de;
	int max = -1;

	if (!d)
		return ccp_error_set(err, CCP_EIO, "cannot read '%s': %s", pdir,
				     strerror(errno));
	while ((de = readdir(d)) != NULL) {
		const char *s = de->d_name;

		if (strncmp(s, "prod_", 5) == 0 && s[5] >= '0' && s[5] <= '9' &&
		    s[6] >= '0' && s[6] <= '9' && s[7] == '\0') {
			int v = (s[5] - '0') * 10 + (s[6] - '0');

			if (v > max)
				max = v;
		}
	}
	closedir(d);
	if (max >= MAX_PROD)
		return ccp_error_set(err, CCP_EINVAL,
				     "'%s' already has prod_%02d; move old prod folders away "
				     "to provision again", pdir, MAX_PROD);
	*out = max + 1;
	return 0;
}

/* Put state/cert.json back as it was (publishing failed after saving). */
static void restore_state(const char *path, const char *old, size_t len)
{
	ccp_buf tmp = CCP_BUF_INIT;
	ccp_error e;

	if (!old) {
		unlink(path);
		return;
	}
	ccp_buf_printf(&tmp, "%s.restore", path);
	unlink(ccp_buf_cstr(&tmp));
	if (ccp_prov_write(ccp_buf_cstr(&tmp), old, len, 0600, &e) == 0)
		rename(ccp_buf_cstr(&tmp), path);
	ccp_buf_release(&tmp);
}

static char *abs_path(const char *path, ccp_error *err)
{
	char *r = realpath(path, NULL);

	if (!r)
		ccp_error_set(err, CCP_EIO, "cannot resolve '%s': %s", path,
			      strerror(errno));
	return r;
}

/* ---- packaging ---- */

static const char *packager_cmd(const ccp_kit_project *p)
{
	const ccp_json *v;

	if (!p->packager || !p->packager->args)
		return NULL;
	v = ccp_json_get(p->packager->args, "build_image_cmd");
	return ccp_json_str(v);
}

/* Every CC site but a mock one goes to build_image_cmd, Azure ones
 * included, as NVFlare's OnPremPackager does. */
static int needs_image(const ccp_kit_participant *q, const ccp_provision_opts *o)
{
	const ccp_nvf_env *env;

	if (!is_cc(q) || o->no_image)
		return 0;
	env = ccp_nvf_env_find(q->cc->compute_env);
	return env && env->builds_image;
}

/* build_image_cmd resolved against project.yml's folder (NVFlare uses
 * its temp folder, which cannot be what anyone means). */
static int resolve_cmd(char **out, const ccp_kit_project *p, ccp_error *err)
{
	const char *cmd = packager_cmd(p);
	char *path;

	*out = NULL;
	if (!cmd || !*cmd)
		return ccp_error_set(err, CCP_EINVAL,
				     "the OnPremPackager needs 'build_image_cmd' to build "
				     "CVM images (or run with --no-image)");
	if (cmd[0] == '/' || !p->project_dir)
		path = strdup(cmd);
	else
		path = ccp_prov_join(p->project_dir, cmd);
	if (!path)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	if (access(path, X_OK) < 0) {
		ccp_error_set(err, CCP_EINVAL, "build_image_cmd '%s' is not an executable "
			      "file: %s", path, strerror(errno));
		free(path);
		return CCP_EINVAL;
	}
	*out = path;
	return 0;
}

/* Replace kits/NAME by a folder holding only file (moved in as NAME.tgz). */
static int swap_in(const run *r, const char *name, const char *file,
		   ccp_error *err)
{
	char *kit = ccp_prov_join(r->kits, name);
	ccp_buf dest = CCP_BUF_INIT;
	int rc;

	if (!kit)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	rc = ccp_prov_rmtree(kit, err);
	if (rc == 0)
		rc = ccp_prov_mkdir(kit, 0755, err);
	ccp_buf_printf(&dest, "%s/%s.tgz", kit, name);
	if (rc == 0 && rename(file, ccp_buf_cstr(&dest)) < 0)
		rc = ccp_error_set(err, CCP_EIO, "cannot move '%s' into '%s': %s",
				   file, kit, strerror(errno));
	ccp_buf_release(&dest);
	free(kit);
	return rc;
}

static int write_temp_config(const run *r, const ccp_kit_participant *q,
			     const char *kit_dir, const char *path,
			     ccp_error *err)
{
	ccp_json *doc = q->cc->doc ? ccp_json_clone(q->cc->doc) :
			ccp_json_new(CCP_JSON_OBJECT);
	ccp_json *uc;
	int rc = 0;

	(void)r;
	if (!doc || doc->type != CCP_JSON_OBJECT) {
		ccp_json_free(doc);
		return ccp_error_set(err, CCP_EINVAL, "cc_config of '%s' is not a mapping",
				     q->name);
	}
	uc = (ccp_json *)ccp_json_get(doc, "user_config");
	if (!uc || uc->type != CCP_JSON_OBJECT) {
		uc = ccp_json_new(CCP_JSON_OBJECT);
		if (!uc || ccp_json_set(doc, "user_config", uc) < 0)
			rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	}
	/* JSON is YAML, so the builder reads this like any cc_config. */
	if (rc == 0 && ccp_json_set(uc, "nvflare", ccp_json_new_string(kit_dir)) < 0)
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	if (rc == 0)
		rc = ccp_prov_write_json(path, doc, err);
	ccp_json_free(doc);
	return rc;
}

static int package(run *r, ccp_provision_result *res, ccp_error *err)
{
	const ccp_kit_project *p = r->p;
	ccp_prov_image_job *jobs = NULL;
	char **strs = NULL;
	char *cmd = NULL;
	size_t i, n_jobs = 0, n_strs = 0, n_img = 0;
	int rc = 0;

	for (i = 0; i < p->n_participants; i++)
		if (needs_image(&p->participants[i], r->o))
			n_img++;
	if (n_img) {
		rc = resolve_cmd(&cmd, p, err);
		if (rc < 0)
			return rc;
		jobs = calloc(n_img, sizeof(*jobs));
		strs = calloc(n_img * 4, sizeof(*strs));
		if (!jobs || !strs) {
			rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	for (i = 0; i < p->n_participants && rc == 0; i++) {
		const ccp_kit_participant *q = &p->participants[i];
		ccp_buf b = CCP_BUF_INIT;

		if (!is_cc(q))
			continue;
		rc = check_cancel(err);
		if (rc < 0)
			break;
		if (!needs_image(q, r->o)) {
			/* mock or --no-image: the signed kit itself. */
			char *kit = ccp_prov_join(r->kits, q->name);

			ccp_buf_printf(&b, "%s/%s.tgz", r->tmp, q->name);
			rc = kit ? ccp_provision_pack(ccp_buf_cstr(&b), kit, q->name, err) :
			     ccp_error_set(err, CCP_ENOMEM, "out of memory");
			if (rc == 0)
				rc = swap_in(r, q->name, ccp_buf_cstr(&b), err);
			if (rc == 0)
				progress(r, "packed %s/%s.tgz", q->name, q->name);
			free(kit);
			ccp_buf_release(&b);
			continue;
		}
		{
			ccp_prov_image_job *j = &jobs[n_jobs++];
			char *kit = ccp_prov_join(r->kits, q->name);

			ccp_buf_printf(&b, "%s/%s.cc_config.json", r->tmp, q->name);
			strs[n_strs++] = kit;
			strs[n_strs++] = ccp_buf_detach(&b);
			ccp_buf_printf(&b, "%s/%s.image.log", r->logs, q->name);
			strs[n_strs++] = ccp_buf_detach(&b);
			ccp_buf_printf(&b, "%s/%s.bundle.tgz", r->tmp, q->name);
			strs[n_strs++] = ccp_buf_detach(&b);
			if (!strs[n_strs - 1] || !strs[n_strs - 2] || !strs[n_strs - 3] ||
			    !strs[n_strs - 4]) {
				rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
				break;
			}
			j->site = q->name;
			j->kit_dir = strs[n_strs - 4];
			j->cc_config = strs[n_strs - 3];
			j->log_path = strs[n_strs - 2];
			j->bundle_dest = strs[n_strs - 1];
			rc = write_temp_config(r, q, j->kit_dir, j->cc_config, err);
		}
	}
	if (rc == 0 && n_jobs) {
		int timeout = r->o->image_timeout > 0 ? r->o->image_timeout :
			      CCP_PROVISION_IMAGE_TIMEOUT;
		ccp_prov_watch watch;

		progress(r, "building %zu CVM image%s with '%s' (%d at once)", n_jobs,
			 n_jobs == 1 ? "" : "s", cmd, r->o->jobs > 1 ? r->o->jobs : 1);
		memset(&watch, 0, sizeof(watch));
		watch.out = r->o->progress;
		watch.t0 = r->t0;
		watch.every = r->o->heartbeat > 0 ? r->o->heartbeat :
			      CCP_PROVISION_HEARTBEAT;
		watch.live = r->o->live;
		r->step = "image build";
		rc = ccp_prov_run_images(jobs, n_jobs, cmd, r->o->jobs,
					 timeout, r->o->builder_echo, &watch, err);
		for (i = 0; i < n_jobs; i++) {
			if (jobs[i].status < 0 && !res->log_tail && jobs[i].tail) {
				res->log_tail = jobs[i].tail;
				jobs[i].tail = NULL;
			}
			if (rc == 0)
				progress(r, "image of %s ready", jobs[i].site);
		}
		if (rc < 0 && !res->log_tail) {
			/* Interrupted or stopped after another failure. */
			for (i = 0; i < n_jobs && !res->log_tail; i++)
				if (jobs[i].tail && *jobs[i].tail) {
					res->log_tail = jobs[i].tail;
					jobs[i].tail = NULL;
				}
		}
		for (i = 0; i < n_jobs && rc == 0; i++)
			rc = swap_in(r, jobs[i].site, jobs[i].bundle_dest, err);
	}

cleanup:
	for (i = 0; jobs && i < n_jobs; i++)
		free(jobs[i].tail);
	for (i = 0; i < n_strs; i++)
		free(strs[i]);
	free(strs);
	free(jobs);
	free(cmd);
	return rc;
}

/* ---- the run ---- */

static int fill_result(ccp_provision_result *res, const run *r,
		       const ccp_prov_ids *ids, ccp_error *err)
{
	const ccp_kit_project *p = r->p;
	size_t i, k = 0;

	res->kits = calloc(p->n_participants ? p->n_participants : 1,
			   sizeof(*res->kits));
	if (!res->kits)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	for (i = 0; i < p->n_participants; i++) {
		const ccp_kit_participant *q = &p->participants[i];
		ccp_provision_kit *kit = &res->kits[k];
		ccp_buf b = CCP_BUF_INIT;
		size_t j;

		if (!has_kit(q))
			continue;
		kit->name = strdup(q->name);
		kit->packaged = p->packager && is_cc(q);
		kit->image = kit->packaged && needs_image(q, r->o);
		if (kit->packaged)
			ccp_buf_printf(&b, "%s/%s/%s.tgz", res->prod_dir, q->name, q->name);
		else
			ccp_buf_printf(&b, "%s/%s", res->prod_dir, q->name);
		kit->path = ccp_buf_detach(&b);
		for (j = 0; ids && j < ids->n; j++)
			if (ids->ids[j].q == q) {
				kit->new_identity = ids->ids[j].is_new;
				kit->reissued = ids->ids[j].reissued;
			}
		k++;
		if (!kit->name || !kit->path)
			return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	}
	res->n_kits = k;
	return 0;
}

static int run_builders(run *r, const ccp_prov_cfg *cfg, ccp_prov_ids *ids,
			int have_ids, ccp_error *err)
{
	const ccp_kit_project *p = r->p;
	size_t i;
	int rc = 0, sign = 0;

	for (i = 0; i < p->n_builders && rc == 0; i++) {
		ccp_nvf_builder kind = ccp_nvf_builder_kind(p->builders[i].path);
		const char *cls = strrchr(p->builders[i].path, '.');

		cls = cls ? cls + 1 : p->builders[i].path;
		r->step = cls;
		rc = check_cancel(err);
		if (rc < 0)
			break;
		switch (kind) {
		case CCP_NVF_B_WORKSPACE:
			rc = ccp_prov_build_workspace(r->kits, p, err);
			break;
		case CCP_NVF_B_STATIC_FILE:
			rc = ccp_prov_build_static(r->kits, p, cfg, err);
			break;
		case CCP_NVF_B_CERT:
			rc = ccp_prov_build_certs(r->kits, p, ids, err);
			break;
		case CCP_NVF_B_CC:
			rc = ccp_prov_build_cc(r->kits, p, cfg, err);
			break;
		case CCP_NVF_B_SIGNATURE:
			/* Signing waits until every builder has written, so
			 * the signed trees are final whatever the order. */
			sign = 1;
			break;
		case CCP_NVF_B_UNKNOWN:
			rc = ccp_error_set(err, CCP_EINVAL, "unsupported builder '%s'",
					   p->builders[i].path);
			break;
		}
		if (rc < 0) {
			/* Say which builder, keep its reason. */
			char reason[sizeof(err->message)];

			snprintf(reason, sizeof(reason), "%s", err->message);
			ccp_error_set(err, rc, "%s: %s", cls, reason);
		} else if (kind != CCP_NVF_B_SIGNATURE) {
			progress(r, "%s done", cls);
		}
	}
	if (rc == 0 && sign) {
		if (!have_ids)
			return ccp_error_set(err, CCP_EINVAL, "SignatureBuilder needs the "
					     "CertBuilder's root CA; add the CertBuilder");
		r->step = "SignatureBuilder";
		rc = check_cancel(err);
		if (rc == 0)
			rc = ccp_prov_build_signatures(r->kits, p, cfg, ids->root_key,
						       err);
		if (rc == 0)
			progress(r, "SignatureBuilder done");
		else {
			char reason[sizeof(err->message)];

			snprintf(reason, sizeof(reason), "%s", err->message);
			ccp_error_set(err, rc, "SignatureBuilder: %s", reason);
		}
	}
	return rc;
}

int ccp_provision_run(ccp_provision_result *out, const ccp_kit_project *p,
		      const ccp_provision_opts *o, ccp_error *err)
{
	ccp_provision_opts defaults;
	ccp_prov_cfg cfg;
	ccp_prov_ids ids;
	run r;
	char *ws = NULL, *old_state = NULL, *prod = NULL, *cmd = NULL;
	size_t old_len = 0, i;
	int rc, nn = 0, have_ids = 0, state_saved = 0;

	memset(out, 0, sizeof(*out));
	memset(&ids, 0, sizeof(ids));
	memset(&r, 0, sizeof(r));
	r.lock_fd = -1;
	if (!o) {
		ccp_provision_opts_init(&defaults);
		o = &defaults;
	}
	r.p = p;
	r.o = o;
	r.t0 = now_s();
	ccp_prov_cancel_begin(o->cancelled);

	/* Everything that can be refused is refused before any write. */
	r.step = "check";
	out->line = o->line;
	rc = ccp_provision_check(p, o->line, err);
	if (rc == 0)
		rc = ccp_prov_check_custom_cas(p, err);
	if (rc == 0)
		rc = ccp_prov_read_cfg(&cfg, p, ccp_nvf_release_of(o->line), err);
	if (rc == 0 && p->packager)
		for (i = 0; i < p->n_participants && rc == 0; i++)
			if (needs_image(&p->participants[i], o)) {
				rc = resolve_cmd(&cmd, p, err);
				break;
			}
	if (rc < 0)
		goto cleanup;

	r.step = "workspace";
	rc = ccp_prov_mkdirs(o->workspace ? o->workspace : "workspace", 0755, err);
	if (rc < 0)
		goto cleanup;
	ws = abs_path(o->workspace ? o->workspace : "workspace", err);
	if (!ws) {
		rc = err->code ? err->code : CCP_EIO;
		goto cleanup;
	}
	r.pdir = ccp_prov_join(ws, p->name);
	if (!r.pdir) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = ccp_prov_mkdir(r.pdir, 0755, err);
	if (rc == 0)
		rc = lock_project(&r, err);
	if (rc < 0)
		goto cleanup;

	r.wip = ccp_prov_join(r.pdir, "wip");
	r.kits = r.wip ? ccp_prov_join(r.wip, "kits") : NULL;
	r.tmp = r.wip ? ccp_prov_join(r.wip, "tmp") : NULL;
	r.logs = ccp_prov_join(r.pdir, "logs");
	{
		char *sd = ccp_prov_join(r.pdir, "state");

		r.state_path = sd ? ccp_prov_join(sd, "cert.json") : NULL;
		if (sd) {
			/* The state holds every private key: owner only. */
			rc = ccp_prov_mkdir(sd, 0700, err);
			if (rc == 0 && chmod(sd, 0700) < 0)
				rc = ccp_error_set(err, CCP_EIO, "cannot protect '%s'", sd);
			/* A save or a restore killed half-way leaves a temp
			 * copy with every key; we hold the lock, so it is
			 * nobody's. */
			if (rc == 0)
				rc = ccp_prov_remove_stale(sd, "cert.json.tmp", 6, err);
			if (rc == 0)
				rc = ccp_prov_remove_stale(sd, "cert.json.restore", 0, err);
			free(sd);
		}
	}
	if (rc == 0 && (!r.wip || !r.kits || !r.tmp || !r.logs || !r.state_path))
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	/* A run killed with SIGKILL leaves its wip/ behind; we hold the
	 * lock, so it is nobody's. */
	if (rc == 0)
		rc = ccp_prov_rmtree(r.wip, err);
	if (rc == 0)
		rc = next_prod(&nn, r.pdir, err);
	if (rc < 0)
		goto cleanup;
	out->project_dir = strdup(r.pdir);
	out->log_dir = strdup(r.logs);
	if (access(r.state_path, F_OK) == 0) {
		rc = ccp_prov_read(&old_state, &old_len, r.state_path, 0, err);
		if (rc < 0)
			goto cleanup;
	}

	if (ccp_kit_builder(p, "CertBuilder")) {
		ccp_rsa_many_opts kg = { o->keygen_threads, o->keygen,
					 ccp_prov_cancelled };

		r.step = "identities";

		progress(&r, "checking identities in %s", r.state_path);
		rc = ccp_prov_identities(&ids, p, r.state_path, cfg.root_valid_days,
					 &kg, err);
		if (rc < 0)
			goto cleanup;
		have_ids = 1;
		{
			size_t fresh = 0, again = 0;

			for (i = 0; i < ids.n; i++) {
				fresh += (size_t)ids.ids[i].is_new;
				again += (size_t)ids.ids[i].reissued;
			}
			progress(&r, "identities ready: %zu new key%s%s, %zu reused, %zu "
				 "re-issued", fresh + (size_t)ids.new_root,
				 fresh + (size_t)ids.new_root == 1 ? "" : "s",
				 ids.new_root ? " (with a new root CA)" : "",
				 ids.n - fresh - again, again);
		}
	}
	rc = check_cancel(err);
	if (rc < 0)
		goto cleanup;

	rc = ccp_prov_mkdir(r.wip, 0700, err);
	r.wip_made = rc == 0;
	if (rc == 0)
		rc = ccp_prov_mkdir(r.kits, 0755, err);
	if (rc == 0)
		rc = ccp_prov_mkdir(r.tmp, 0700, err);
	if (rc == 0 && p->packager)
		rc = ccp_prov_mkdir(r.logs, 0755, err);
	if (rc == 0)
		rc = run_builders(&r, &cfg, &ids, have_ids, err);
	if (rc == 0 && p->packager) {
		r.step = "packaging";
		rc = package(&r, out, err);
	}
	if (rc == 0)
		rc = check_cancel(err);
	if (rc < 0)
		goto cleanup;

	r.step = "publish";
	/* Publish: the state first (a crash between the two leaves unused
	 * keys in the state, which is harmless), then one rename. */
	{
		ccp_buf b = CCP_BUF_INIT;

		ccp_buf_printf(&b, "%s/prod_%02d", r.pdir, nn);
		prod = ccp_buf_detach(&b);
	}
	if (!prod) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (have_ids) {
		rc = ccp_state_save(ids.state, r.state_path, err);
		if (rc < 0)
			goto cleanup;
		state_saved = 1;
	}
	if (rename(r.kits, prod) < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot publish '%s': %s", prod,
				   strerror(errno));
		goto cleanup;
	}
	ccp_prov_sync_dir(r.pdir);
	state_saved = 0;
	out->prod_dir = prod;
	prod = NULL;
	out->prod_index = nn;
	out->new_root = ids.new_root;
	rc = fill_result(out, &r, have_ids ? &ids : NULL, err);
	if (rc < 0) {
		/* Published already; the kits are fine, only the summary is
		 * incomplete. */
		rc = 0;
	}
	progress(&r, "published %s", out->prod_dir);

cleanup:
	if (state_saved)
		restore_state(r.state_path, old_state, old_len);
	if (r.wip) {
		ccp_error ignore;

		ccp_prov_rmtree(r.wip, &ignore);
	}
	if (rc < 0) {
		char *tail = out->log_tail;

		out->log_tail = NULL;
		ccp_provision_result_release(out);
		out->log_tail = tail;
		out->failed_step = r.step;
	}
	out->elapsed = now_s() - r.t0;
	if (old_state) {
		OPENSSL_cleanse(old_state, old_len);
		free(old_state);
	}
	ccp_prov_ids_release(&ids);
	if (r.lock_fd >= 0)
		close(r.lock_fd); /* releases the flock */
	free(r.pdir);
	free(r.wip);
	free(r.kits);
	free(r.tmp);
	free(r.logs);
	free(r.state_path);
	free(ws);
	free(prod);
	free(cmd);
	ccp_prov_cancel_end();
	return rc;
}
