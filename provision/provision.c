/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One provisioning run as a transaction on WORKSPACE/PROJECT:
 *
 *   lock .lock -> clear a stale wip/ -> identities (all keys at once)
 *   -> builders write wip/kits/NAME -> sign -> package -> save state
 *   -> rename wip/kits to prod_NN -> remove wip/
 *
 * Each NVFlare builder is one file, build_<builder>.c (workspace,
 * static, certs, cc, signatures); what they share is build_common.c.
 *
 * Nothing outside wip/ changes before the final steps, so any failure
 * (or a signal, or SIGKILL) leaves the previous prod_NN folders and
 * state/cert.json as they were.
 */
#include "prov_int.h"
#include "path.h"
#include "dir.h"
#include "ccprov/report.h"
#include "crypto_lazy.h"

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
/* Names looked at in the project's workspace folder. */
#define PROJECT_MAX_NAMES ((size_t)1 << 20)

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

/* Only the builders and the packager ccprov implements. */
static int check_components(const ccp_kit_project *p, ccp_error *err)
{
	ccp_buf refused = CCP_BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; i < p->n_builders; i++)
		if (ccp_nvf_builder_kind(p->builders[i].path) == CCP_NVF_B_UNKNOWN)
			ccp_buf_printf(&refused, "%s'%s'", refused.len ? ", " : "",
				       p->builders[i].path);
	if (refused.len)
		rc = ccp_error_set(err, CCP_EINVAL,
				   "ccprov cannot run builder%s %s; it implements the "
				   "Workspace, StaticFile, Cert, CC and Signature builders",
				   strchr(ccp_buf_cstr(&refused), ',') ? "s" : "",
				   ccp_buf_cstr(&refused));
	else if (p->packager &&
		 strcmp(p->packager->path, CCP_NVF_ONPREM_PACKAGER) != 0)
		rc = ccp_error_set(err, CCP_EINVAL,
				   "ccprov cannot run packager '%s'; it implements '%s'",
				   p->packager->path, CCP_NVF_ONPREM_PACKAGER);
	ccp_buf_release(&refused);
	return rc;
}

/* Every kit gets a folder of its name: usable, and used once. */
static int check_kit_names(const ccp_kit_project *p, size_t *servers,
			   ccp_error *err)
{
	size_t i, j;

	for (i = 0; i < p->n_participants; i++) {
		const ccp_kit_participant *q = &p->participants[i];

		if (!has_kit(q))
			continue;
		if (!q->name || !ccp_prov_name_ok(q->name))
			return ccp_error_set(err, CCP_EINVAL,
					     "participant name '%s' cannot be used as a folder name",
					     q->name ? q->name : "");
		for (j = 0; j < i; j++)
			if (p->participants[j].name &&
			    strcmp(p->participants[j].name, q->name) == 0)
				return ccp_error_set(err, CCP_EINVAL,
						     "participant name '%s' is used twice",
						     q->name);
		if (q->type == CCP_PT_SERVER)
			(*servers)++;
	}
	return 0;
}

int ccp_provision_check(const ccp_kit_project *p, ccp_nvf_line line,
			ccp_error *err)
{
	const ccp_nvf_release *rel = ccp_nvf_release_of(line);
	size_t servers = 0;
	int rc = check_components(p, err);

	if (rc < 0)
		return rc;
	if (!p->name || !ccp_prov_name_ok(p->name))
		return ccp_error_set(err, CCP_EINVAL,
				     "project name '%s' cannot be used as a folder name",
				     p->name ? p->name : "");
	rc = check_kit_names(p, &servers, err);
	if (rc < 0)
		return rc;
	if (servers != 1)
		return ccp_error_set(err, CCP_EINVAL,
				     "the project must have exactly one server (it has %zu)",
				     servers);
	if (p->api_version > rel->max_api_version)
		return ccp_error_set(err, CCP_EINVAL,
				     "NVFlare %s provisions api_version %d at most, not %d",
				     rel->name, rel->max_api_version, p->api_version);
	return 0;
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
	char *ws;        /* WORKSPACE, absolute */
	char *old_state; /* state/cert.json before the run, or NULL */
	size_t old_len;
	int nn;          /* the NN of prod_NN this run publishes */
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
	ccp_report_vprint_safe(r->o->progress, fmt, ap);   /* names, paths */
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
	char *path = ccp_path_child(r->pdir, ".lock");

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
	ccp_dir names;
	size_t i;
	int max = -1;

	if (ccp_dir_read(&names, pdir, PROJECT_MAX_NAMES, 0) < 0) {
		int e = errno;

		ccp_dir_release(&names);
		return ccp_error_set(err, CCP_EIO, "cannot read '%s': %s", pdir,
				     strerror(e));
	}
	for (i = 0; i < names.count; i++) {
		const char *s = names.names[i];

		if (strncmp(s, "prod_", 5) == 0 && s[5] >= '0' && s[5] <= '9' &&
		    s[6] >= '0' && s[6] <= '9' && s[7] == '\0') {
			int v = (s[5] - '0') * 10 + (s[6] - '0');

			if (v > max)
				max = v;
		}
	}
	if (names.truncated) {
		ccp_dir_release(&names);
		return ccp_error_set(err, CCP_EINVAL, "'%s' holds too many entries",
				     pdir);
	}
	ccp_dir_release(&names);
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
		path = ccp_path_child(p->project_dir, cmd);
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
	char *kit = ccp_path_child(r->kits, name);
	ccp_buf dest = CCP_BUF_INIT;
	int rc;

	if (!kit)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	rc = ccp_dir_rmtree(kit, err);
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

/* The CVM images to build: one job per CC participant that needs one. */
typedef struct image_batch {
	ccp_prov_image_job *jobs;
	char **strs; /* the jobs' paths, four a job */
	char *cmd;   /* the packager's command */
	size_t n_jobs, n_strs;
} image_batch;

static void batch_release(image_batch *ib)
{
	size_t i;

	for (i = 0; ib->jobs && i < ib->n_jobs; i++)
		free(ib->jobs[i].tail);
	for (i = 0; i < ib->n_strs; i++)
		free(ib->strs[i]);
	free(ib->strs);
	free(ib->jobs);
	free(ib->cmd);
	memset(ib, 0, sizeof(*ib));
}

/* Room for every image job and the command that builds them. */
static int batch_init(image_batch *ib, const run *r, ccp_error *err)
{
	const ccp_kit_project *p = r->p;
	size_t i, n_img = 0;
	int rc;

	memset(ib, 0, sizeof(*ib));
	for (i = 0; i < p->n_participants; i++)
		if (needs_image(&p->participants[i], r->o))
			n_img++;
	if (!n_img)
		return 0;
	rc = resolve_cmd(&ib->cmd, p, err);
	if (rc < 0)
		return rc;
	ib->jobs = calloc(n_img, sizeof(*ib->jobs));
	ib->strs = calloc(n_img * 4, sizeof(*ib->strs));
	if (!ib->jobs || !ib->strs)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	return 0;
}

/* Mock or --no-image: the signed kit itself, packed. */
static int pack_kit(const run *r, const ccp_kit_participant *q, ccp_error *err)
{
	ccp_buf b = CCP_BUF_INIT;
	char *kit = ccp_path_child(r->kits, q->name);
	int rc;

	ccp_buf_printf(&b, "%s/%s.tgz", r->tmp, q->name);
	rc = kit ? ccp_provision_pack(ccp_buf_cstr(&b), kit, q->name, err) :
	     ccp_error_set(err, CCP_ENOMEM, "out of memory");
	if (rc == 0)
		rc = swap_in(r, q->name, ccp_buf_cstr(&b), err);
	if (rc == 0)
		progress(r, "packed %s/%s.tgz", q->name, q->name);
	free(kit);
	ccp_buf_release(&b);
	return rc;
}

/* One image job: its paths, and the cc_config the packager reads. */
static int queue_image(const run *r, image_batch *ib,
		       const ccp_kit_participant *q, ccp_error *err)
{
	ccp_prov_image_job *j = &ib->jobs[ib->n_jobs++];
	char **s = &ib->strs[ib->n_strs];
	ccp_buf b = CCP_BUF_INIT;

	ccp_buf_printf(&b, "%s/%s.cc_config.json", r->tmp, q->name);
	s[0] = ccp_path_child(r->kits, q->name);
	s[1] = ccp_buf_detach(&b);
	ccp_buf_printf(&b, "%s/%s.image.log", r->logs, q->name);
	s[2] = ccp_buf_detach(&b);
	ccp_buf_printf(&b, "%s/%s.bundle.tgz", r->tmp, q->name);
	s[3] = ccp_buf_detach(&b);
	ib->n_strs += 4;
	if (!s[0] || !s[1] || !s[2] || !s[3])
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	j->site = q->name;
	j->kit_dir = s[0];
	j->cc_config = s[1];
	j->log_path = s[2];
	j->bundle_dest = s[3];
	return write_temp_config(r, q, j->kit_dir, j->cc_config, err);
}

/* The log tail the user sees: the first failed job's, or when the run
 * was interrupted or stopped after another failure, the first one with
 * any output. */
static void keep_log_tail(ccp_provision_result *res, image_batch *ib, int rc)
{
	size_t i;

	for (i = 0; i < ib->n_jobs; i++)
		if (ib->jobs[i].status < 0 && !res->log_tail && ib->jobs[i].tail) {
			res->log_tail = ib->jobs[i].tail;
			ib->jobs[i].tail = NULL;
		}
	if (rc == 0 || res->log_tail)
		return;
	for (i = 0; i < ib->n_jobs && !res->log_tail; i++)
		if (ib->jobs[i].tail && *ib->jobs[i].tail) {
			res->log_tail = ib->jobs[i].tail;
			ib->jobs[i].tail = NULL;
		}
}

/* Build the images, several at once, and swap each into its kit. */
static int build_images(run *r, image_batch *ib, ccp_provision_result *res,
			ccp_error *err)
{
	int timeout = r->o->image_timeout > 0 ? r->o->image_timeout :
		      CCP_PROVISION_IMAGE_TIMEOUT;
	ccp_prov_watch watch;
	size_t i;
	int rc;

	progress(r, "building %zu CVM image%s with '%s' (%d at once)",
		 ib->n_jobs, ib->n_jobs == 1 ? "" : "s", ib->cmd,
		 r->o->jobs > 1 ? r->o->jobs : 1);
	memset(&watch, 0, sizeof(watch));
	watch.out = r->o->progress;
	watch.t0 = r->t0;
	watch.every = r->o->heartbeat > 0 ? r->o->heartbeat :
		      CCP_PROVISION_HEARTBEAT;
	watch.live = r->o->live;
	r->step = "image build";
	rc = ccp_prov_run_images(ib->jobs, ib->n_jobs, ib->cmd, r->o->jobs,
				 timeout, r->o->builder_echo, &watch, err);
	for (i = 0; i < ib->n_jobs && rc == 0; i++)
		progress(r, "image of %s ready", ib->jobs[i].site);
	keep_log_tail(res, ib, rc);
	for (i = 0; i < ib->n_jobs && rc == 0; i++)
		rc = swap_in(r, ib->jobs[i].site, ib->jobs[i].bundle_dest, err);
	return rc;
}

/* Package every CC kit: packed as it is, or built into a CVM image. */
static int package(run *r, ccp_provision_result *res, ccp_error *err)
{
	const ccp_kit_project *p = r->p;
	image_batch ib;
	size_t i;
	int rc;

	rc = batch_init(&ib, r, err);
	for (i = 0; i < p->n_participants && rc == 0; i++) {
		const ccp_kit_participant *q = &p->participants[i];

		if (!is_cc(q))
			continue;
		rc = check_cancel(err);
		if (rc < 0)
			break;
		if (needs_image(q, r->o))
			rc = queue_image(r, &ib, q, err);
		else
			rc = pack_kit(r, q, err);
	}
	if (rc == 0 && ib.n_jobs)
		rc = build_images(r, &ib, res, err);
	batch_release(&ib);
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

/* ---- the steps of a run, in the order of the comment at the top ---- */

/* Everything that can be refused is refused before any write. */
static int refuse_early(run *r, ccp_prov_cfg *cfg, ccp_error *err)
{
	const ccp_kit_project *p = r->p;
	char *cmd = NULL;
	size_t i;
	int rc;

	r->step = "check";
	rc = ccp_provision_check(p, r->o->line, err);
	if (rc == 0)
		rc = ccp_prov_check_custom_cas(p, err);
	if (rc == 0)
		rc = ccp_prov_read_cfg(cfg, p, ccp_nvf_release_of(r->o->line), err);
	if (rc == 0 && p->packager)
		for (i = 0; i < p->n_participants; i++)
			if (needs_image(&p->participants[i], r->o)) {
				rc = resolve_cmd(&cmd, p, err);
				break;
			}
	free(cmd);
	return rc;
}

/* WORKSPACE/PROJECT, made if missing, with its .lock held. */
static int lock_workspace(run *r, ccp_error *err)
{
	const char *ws = r->o->workspace ? r->o->workspace : "workspace";
	int rc;

	r->step = "workspace";
	rc = ccp_prov_mkdirs(ws, 0755, err);
	if (rc < 0)
		return rc;
	r->ws = abs_path(ws, err);
	if (!r->ws)
		return err->code ? err->code : CCP_EIO;
	r->pdir = ccp_path_child(r->ws, r->p->name);
	if (!r->pdir)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	rc = ccp_prov_mkdir(r->pdir, 0755, err);
	if (rc == 0)
		rc = lock_project(r, err);
	return rc;
}

/* The state folder holds every private key: owner only. */
static int protect_state_dir(const char *sd, ccp_error *err)
{
	int rc = ccp_prov_mkdir(sd, 0700, err);

	if (rc == 0 && chmod(sd, 0700) < 0)
		rc = ccp_error_set(err, CCP_EIO, "cannot protect '%s'", sd);
	/* A save or a restore killed half-way leaves a temp copy with
	 * every key; we hold the lock, so it is nobody's. */
	if (rc == 0)
		rc = ccp_prov_remove_stale(sd, "cert.json.tmp", 6, err);
	if (rc == 0)
		rc = ccp_prov_remove_stale(sd, "cert.json.restore", 0, err);
	return rc;
}

/* The run's folders under WORKSPACE/PROJECT, the state's made safe. */
static int name_folders(run *r, ccp_error *err)
{
	char *sd = ccp_path_child(r->pdir, "state");
	int rc = 0;

	r->wip = ccp_path_child(r->pdir, "wip");
	r->kits = r->wip ? ccp_path_child(r->wip, "kits") : NULL;
	r->tmp = r->wip ? ccp_path_child(r->wip, "tmp") : NULL;
	r->logs = ccp_path_child(r->pdir, "logs");
	r->state_path = sd ? ccp_path_child(sd, "cert.json") : NULL;
	if (sd)
		rc = protect_state_dir(sd, err);
	free(sd);
	if (rc == 0 && (!r->wip || !r->kits || !r->tmp || !r->logs ||
			!r->state_path))
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	return rc;
}

/* The state as it was, to put back if publishing fails after saving. */
static int keep_old_state(run *r, ccp_error *err)
{
	if (access(r->state_path, F_OK) != 0)
		return 0;
	return ccp_prov_read(&r->old_state, &r->old_len, r->state_path, 0, err);
}

/* Every participant's key and certificate, from the state or new. */
static int make_identities(run *r, const ccp_prov_cfg *cfg, ccp_prov_ids *ids,
			   ccp_error *err)
{
	ccp_rsa_many_opts kg = { r->o->keygen_threads, r->o->keygen,
				 ccp_prov_cancelled };
	size_t i, fresh = 0, again = 0;
	int rc;

	r->step = "identities";
	progress(r, "checking identities in %s", r->state_path);
	rc = ccp_prov_identities(ids, r->p, r->state_path, cfg->root_valid_days,
				 &kg, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < ids->n; i++) {
		fresh += (size_t)ids->ids[i].is_new;
		again += (size_t)ids->ids[i].reissued;
	}
	progress(r, "identities ready: %zu new key%s%s, %zu reused, %zu "
		 "re-issued", fresh + (size_t)ids->new_root,
		 fresh + (size_t)ids->new_root == 1 ? "" : "s",
		 ids->new_root ? " (with a new root CA)" : "",
		 ids->n - fresh - again, again);
	return 0;
}

/* wip/ with kits/ for the builders and tmp/ for the packager. */
static int make_wip(run *r, ccp_error *err)
{
	int rc = ccp_prov_mkdir(r->wip, 0700, err);

	r->wip_made = rc == 0;
	if (rc == 0)
		rc = ccp_prov_mkdir(r->kits, 0755, err);
	if (rc == 0)
		rc = ccp_prov_mkdir(r->tmp, 0700, err);
	if (rc == 0 && r->p->packager)
		rc = ccp_prov_mkdir(r->logs, 0755, err);
	return rc;
}

/* Publish: the state first (a crash between the two leaves unused keys
 * in the state, which is harmless), then one rename. */
static int publish(run *r, ccp_provision_result *out, const ccp_prov_ids *ids,
		   int have_ids, ccp_error *err)
{
	ccp_buf b = CCP_BUF_INIT;
	char *prod;
	int rc = 0, state_saved = 0;

	r->step = "publish";
	ccp_buf_printf(&b, "%s/prod_%02d", r->pdir, r->nn);
	prod = ccp_buf_detach(&b);
	if (!prod)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	if (have_ids) {
		rc = ccp_state_save(ids->state, r->state_path, err);
		if (rc < 0)
			goto cleanup;
		state_saved = 1;
	}
	if (rename(r->kits, prod) < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot publish '%s': %s", prod,
				   strerror(errno));
		goto cleanup;
	}
	ccp_prov_sync_dir(r->pdir);
	state_saved = 0;
	out->prod_dir = prod;
	prod = NULL;
	out->prod_index = r->nn;
	out->new_root = ids->new_root;
	/* A failure here leaves the published kits fine, only the
	 * summary incomplete. */
	(void)fill_result(out, r, have_ids ? ids : NULL, err);
	progress(r, "published %s", out->prod_dir);

cleanup:
	if (state_saved)
		restore_state(r->state_path, r->old_state, r->old_len);
	free(prod);
	return rc;
}

static void run_release(run *r)
{
	if (r->old_state) {
		OPENSSL_cleanse(r->old_state, r->old_len);
		free(r->old_state);
	}
	if (r->lock_fd >= 0)
		close(r->lock_fd); /* releases the flock */
	free(r->ws);
	free(r->pdir);
	free(r->wip);
	free(r->kits);
	free(r->tmp);
	free(r->logs);
	free(r->state_path);
}

int ccp_provision_run(ccp_provision_result *out, const ccp_kit_project *p,
		      const ccp_provision_opts *o, ccp_error *err)
{
	ccp_provision_opts defaults;
	ccp_prov_cfg cfg;
	ccp_prov_ids ids;
	run r;
	int rc, have_ids = 0;

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
	out->line = o->line;

	rc = refuse_early(&r, &cfg, err);
	if (rc == 0)
		rc = lock_workspace(&r, err);
	if (rc == 0)
		rc = name_folders(&r, err);
	/* A run killed with SIGKILL leaves its wip/ behind; we hold the
	 * lock, so it is nobody's. */
	if (rc == 0)
		rc = ccp_dir_rmtree(r.wip, err);
	if (rc == 0)
		rc = next_prod(&r.nn, r.pdir, err);
	if (rc < 0)
		goto cleanup;
	out->project_dir = strdup(r.pdir);
	out->log_dir = strdup(r.logs);
	rc = keep_old_state(&r, err);
	if (rc == 0 && ccp_prov_builder(p, CCP_NVF_B_CERT)) {
		rc = make_identities(&r, &cfg, &ids, err);
		have_ids = rc == 0;
	}
	if (rc == 0)
		rc = check_cancel(err);
	if (rc == 0)
		rc = make_wip(&r, err);
	if (rc == 0)
		rc = run_builders(&r, &cfg, &ids, have_ids, err);
	if (rc == 0 && p->packager) {
		r.step = "packaging";
		rc = package(&r, out, err);
	}
	if (rc == 0)
		rc = check_cancel(err);
	if (rc == 0)
		rc = publish(&r, out, &ids, have_ids, err);

cleanup:
	if (r.wip) {
		ccp_error ignore;

		ccp_dir_rmtree(r.wip, &ignore);
	}
	if (rc < 0) {
		char *tail = out->log_tail;

		out->log_tail = NULL;
		ccp_provision_result_release(out);
		out->log_tail = tail;
		out->failed_step = r.step;
	}
	out->elapsed = now_s() - r.t0;
	ccp_prov_ids_release(&ids);
	run_release(&r);
	ccp_prov_cancel_end();
	return rc;
}
