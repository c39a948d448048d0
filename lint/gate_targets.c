/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which projects a list of input files stands for. A pre-commit hook
 * passes whatever changed: project files, cc_configs, included
 * fragments. A change to a cc_config must lint the projects that read
 * it, and each project only once.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccprov/buf.h"
#include "ccprov/gate.h"
#include "ccprov/lint.h"
#include "ccprov/yaml.h"
#include "array.h"
#include "dir.h"
#include "fsio.h"
#include "path.h"
#include "strmap.h"

/* Bytes of a file read to tell what it is. */
#define GATE_CLASSIFY_MAX ((size_t)1024 * 1024)
/* Folder search limits: depth, and entries looked at in one run. */
#define GATE_MAX_DEPTH 16
#define GATE_MAX_ENTRIES 200000

/* A growable list of owned strings with a set of them. */
typedef struct str_list {
	char **items;
	size_t count, cap;
	ccp_strmap set;
	int failed;
} str_list;

static void list_init(str_list *l)
{
	memset(l, 0, sizeof(*l));
	ccp_strmap_init(&l->set, 0);
}

static void list_release(str_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	ccp_strmap_release(&l->set);
	memset(l, 0, sizeof(*l));
}

static int list_has(const str_list *l, const char *s)
{
	return ccp_strmap_get(&l->set, s) != NULL;
}

/* Add a copy of s unless present; 1 added, 0 present, -1 no memory. */
static int list_add(str_list *l, const char *s)
{
	char *copy;

	if (list_has(l, s))
		return 0;
	if (ccp_grow(&l->items, &l->cap, l->count + 1, sizeof(*l->items)) < 0)
		goto fail;
	copy = strdup(s);
	if (!copy)
		goto fail;
	l->items[l->count++] = copy;
	ccp_strmap_put(&l->set, copy, copy);
	if (l->set.failed)
		l->failed = 1;
	return 1;
fail:
	l->failed = 1;
	return -1;
}

/* ---- what a file is ---- */

/* Does the line at s (len bytes) start with the top-level key? */
static int top_key(const char *s, size_t len, const char *key)
{
	size_t n = strlen(key);

	return len > n && memcmp(s, key, n) == 0 &&
	       (s[n] == ':' || s[n] == ' ');
}

int ccp_gate_classify(const char *text, size_t len)
{
	static const char *const project_keys[] = {
		"participants", "api_version", "builders"
	};
	static const char *const cc_keys[] = {
		"compute_env", "cc_cpu_mechanism", "cc_gpu_mechanism",
		"cc_issuers", "cc_attestation", "root_drive_size",
		"docker_archive", "allowed_ports", "role"
	};
	size_t pos = 0, i;
	int kind = CCP_GATE_OTHER;

	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		for (i = 0; i < sizeof(project_keys) / sizeof(*project_keys); i++)
			if (top_key(line, n, project_keys[i]))
				return CCP_GATE_PROJECT;
		for (i = 0; i < sizeof(cc_keys) / sizeof(*cc_keys); i++)
			if (top_key(line, n, cc_keys[i]))
				kind = CCP_GATE_CC_CONFIG;
		pos += n + 1;
	}
	return kind;
}

/*
 * Classify a file by its first bytes (or the editor's buffer). Only a
 * regular file is read, and never waiting: opening a FIFO named on the
 * command line would block until a writer came.
 */
static int classify_file(const char *path)
{
	char *data;
	size_t len = 0;
	struct stat st;
	int kind, fd;

	data = ccp_yaml_overlay_read(path, &len);
	if (!data) {
		fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			return CCP_GATE_OTHER;
		data = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ?
		       malloc(GATE_CLASSIFY_MAX) : NULL;
		while (data && len < GATE_CLASSIFY_MAX) {
			ssize_t got = read(fd, data + len, GATE_CLASSIFY_MAX - len);

			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break;
			len += (size_t)got;
		}
		close(fd);
		if (!data)
			return CCP_GATE_OTHER;
	}
	kind = ccp_gate_classify(data, len);
	free(data);
	return kind;
}

static int is_yaml_name(const char *name)
{
	size_t n = strlen(name);

	return (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".yaml") == 0);
}

/* A project file by its name, whatever it holds (even broken YAML). */
static int is_project_name(const char *path)
{
	const char *base = ccp_path_base(path);

	return strcmp(base, "project.yml") == 0 ||
	       strcmp(base, "project.yaml") == 0;
}

static int is_config_name(const char *path)
{
	return strcmp(ccp_path_base(path), CCP_GATE_CONFIG_NAME) == 0;
}

static int is_project_file(const char *path)
{
	return is_project_name(path) || classify_file(path) == CCP_GATE_PROJECT;
}

/* ---- folders ---- */

/*
 * Repository roots found, by the folder they were found from (as given
 * and canonical): a lint run asks for the same folder's root more than
 * once (the base folder, then each target's configuration), and .git
 * folders do not come and go during a run. A run is a process, so the
 * memo is the process's; the oldest entry gives way to a new one.
 */
#define ROOT_MEMO 8

static struct root_memo {
	char *given, *canon;
	char *root;               /* NULL: outside a repository */
} root_memo[ROOT_MEMO];
static size_t root_memo_next;

static const struct root_memo *memo_find(const char *dir)
{
	size_t i;

	for (i = 0; i < ROOT_MEMO; i++)
		if (root_memo[i].canon && (strcmp(root_memo[i].given, dir) == 0 ||
					   strcmp(root_memo[i].canon, dir) == 0))
			return &root_memo[i];
	return NULL;
}

/* Remember root for dir (canonical canon); nothing when out of memory. */
static void memo_put(const char *dir, const char *canon, const char *root)
{
	struct root_memo *m = &root_memo[root_memo_next++ % ROOT_MEMO];
	char *g = strdup(dir), *c = strdup(canon), *r = root ? strdup(root) : NULL;

	if (!g || !c || (root && !r)) {
		free(g);
		free(c);
		free(r);
		return;
	}
	free(m->given);
	free(m->canon);
	free(m->root);
	m->given = g;
	m->canon = c;
	m->root = r;
}

char *ccp_gate_repo_root(const char *dir)
{
	const struct root_memo *m = memo_find(dir);
	char real[PATH_MAX], *cur;
	struct stat st;

	if (m)
		return m->root ? strdup(m->root) : NULL;
	if (!ccp_realpath(dir, real))
		return NULL;
	m = memo_find(real);
	if (m)
		return m->root ? strdup(m->root) : NULL;
	cur = strdup(real);
	if (!cur)
		return NULL;
	while (cur) {
		char *git = ccp_path_child(cur, ".git");
		int found = git && stat(git, &st) == 0;

		free(git);
		if (found)
			break;
		if (ccp_path_parent(cur) < 0) {
			free(cur);
			cur = NULL;
		}
	}
	memo_put(dir, real, cur);
	return cur;
}

typedef struct find_ctx {
	str_list *out;
	size_t *budget;      /* entries left to look at, in all folders */
} find_ctx;

static int find_one(void *arg, const ccp_dir_entry *e)
{
	find_ctx *f = arg;
	struct stat st = e->st;

	if (*f->budget == 0)
		return -1;
	(*f->budget)--;
	/* a linked project file counts; a linked folder is not entered */
	if (S_ISLNK(st.st_mode) && stat(e->path, &st) < 0)
		return 0;
	if (S_ISREG(st.st_mode) && is_yaml_name(e->name) && is_project_file(e->path))
		list_add(f->out, e->path);
	return f->out->failed ? -1 : 0;
}

/*
 * Project files below dir (depth folders down), as paths below dir, in
 * sorted order. Hidden folders (.git, .venv) are not searched.
 */
static void find_projects(str_list *out, const char *dir, int depth,
			  size_t *budget)
{
	find_ctx f = { out, budget };

	ccp_dir_walk(dir, (size_t)depth + 1, *budget, CCP_DIR_LENIENT, find_one, &f,
		 NULL);
}

/* ---- who uses a file ---- */

/* The canonical paths of every file a project reads. */
typedef struct project_files {
	char *real;          /* the project file, canonical */
	str_list files;
} project_files;

typedef struct users_cache {
	project_files *items;
	size_t count, cap;
	ccp_strmap by_real;      /* project real path -> index + 1 */
	str_list *dirs;          /* project files of each folder looked at */
	size_t ndirs, capdirs;
	ccp_strmap by_dir;       /* folder -> index + 1 in dirs */
} users_cache;

static void cache_init(users_cache *c)
{
	memset(c, 0, sizeof(*c));
	ccp_strmap_init(&c->by_real, 0);
	ccp_strmap_init(&c->by_dir, 0);
}

static void note_file(void *arg, const char *path)
{
	str_list *l = arg;
	char real[PATH_MAX];

	if (ccp_realpath(path, real))
		list_add(l, real);
}

/* The files project reads (linted once per run, then remembered). */
static const str_list *files_of(users_cache *c, const char *project)
{
	char real[PATH_MAX];
	ccp_lint_opts opts;
	ccp_diags scratch;
	project_files *p;
	uintptr_t known;

	if (!ccp_realpath(project, real))
		return NULL;
	known = (uintptr_t)ccp_strmap_get(&c->by_real, real);
	if (known)
		return &c->items[known - 1].files;
	if (ccp_grow(&c->items, &c->cap, c->count + 1, sizeof(*c->items)) < 0)
		return NULL;
	p = &c->items[c->count];
	p->real = strdup(real);
	if (!p->real)
		return NULL;
	list_init(&p->files);
	c->count++;
	ccp_strmap_put(&c->by_real, p->real, (const void *)(uintptr_t)c->count);
	ccp_lint_opts_init(&opts);
	opts.no_file_checks = 1;
	opts.on_file = note_file;
	opts.on_file_arg = &p->files;
	ccp_diags_init(&scratch);
	ccp_lint_project(&scratch, project, &opts, NULL);
	ccp_diags_release(&scratch);
	return &p->files;
}

/* The project files directly in dir (read and classified once). */
static const str_list *projects_in(users_cache *c, const char *dir)
{
	uintptr_t known = (uintptr_t)ccp_strmap_get(&c->by_dir, dir);
	str_list *out;
	ccp_dir names;
	size_t i;

	if (known)
		return &c->dirs[known - 1];
	if (ccp_grow(&c->dirs, &c->capdirs, c->ndirs + 1, sizeof(*c->dirs)) < 0)
		return NULL;
	out = &c->dirs[c->ndirs++];
	list_init(out);
	/* the key: the list's first entry is the folder itself */
	list_add(out, dir);
	ccp_strmap_put(&c->by_dir, out->items ? out->items[0] : "",
		       (const void *)(uintptr_t)c->ndirs);
	ccp_dir_read(&names, dir, GATE_MAX_ENTRIES, 0);
	for (i = 0; i < names.count; i++) {
		char *cand;

		if (!is_yaml_name(names.names[i]))
			continue;
		cand = ccp_path_child(dir, names.names[i]);
		if (cand && is_project_file(cand))
			list_add(out, cand);
		free(cand);
	}
	ccp_dir_release(&names);
	return out;
}

static void cache_release(users_cache *c)
{
	size_t i;

	for (i = 0; i < c->count; i++) {
		free(c->items[i].real);
		list_release(&c->items[i].files);
	}
	free(c->items);
	for (i = 0; i < c->ndirs; i++)
		list_release(&c->dirs[i]);
	free(c->dirs);
	ccp_strmap_release(&c->by_real);
	ccp_strmap_release(&c->by_dir);
}

/*
 * Add to projects every project file in the folders from file's up to
 * the repository root (or only file's own folder outside one, and the
 * folders up to the current one when file is below it) that reads file.
 * Folders are listed and projects linted once per run, so many inputs
 * in one folder cost no more than one each. Returns how many use it.
 */
static size_t add_users(str_list *projects, users_cache *cache,
			const char *file)
{
	char real[PATH_MAX], *dir, *root, *cwd;
	size_t users = 0;

	if (!ccp_realpath(file, real))
		return 0;
	dir = strdup(real);
	if (!dir)
		return 0;
	ccp_path_parent(dir);
	root = ccp_gate_repo_root(dir);
	cwd = ccp_cwd() ? strdup(ccp_cwd()) : NULL;
	if (!root && cwd && strncmp(dir, cwd, strlen(cwd)) == 0 &&
	    (dir[strlen(cwd)] == '/' || dir[strlen(cwd)] == '\0'))
		root = strdup(cwd);
	for (;;) {
		const str_list *cands = projects_in(cache, dir);
		size_t i;

		/* entry 0 is the folder itself */
		for (i = 1; cands && i < cands->count; i++) {
			const char *cand = cands->items[i];
			const str_list *files;

			if (strcmp(cand, real) == 0)
				continue;
			files = files_of(cache, cand);
			if (files && list_has(files, real)) {
				list_add(projects, cand);
				users++;
			}
		}
		if (!root || strcmp(dir, root) == 0 || strcmp(dir, "/") == 0)
			break;
		if (ccp_path_parent(dir) < 0)
			break;
	}
	free(cwd);
	free(root);
	free(dir);
	return users;
}

static int push_target(ccp_gate_targets *t, char *project, char **ccs,
		       size_t nccs)
{
	ccp_gate_target *p = realloc(t->items, (t->count + 1) * sizeof(*p));

	if (!p)
		return -1;
	t->items = p;
	p[t->count].project = project;
	p[t->count].ccs = ccs;
	p[t->count].nccs = nccs;
	t->count++;
	return 0;
}

/*
 * One target per project, however it was named (one alone is one; reals
 * holds the names compared). Projects handed over are set to NULL in
 * projects. 0, or -1 out of memory.
 */
static int push_projects(ccp_gate_targets *out, str_list *projects,
			 str_list *reals)
{
	size_t i;

	for (i = 0; i < projects->count; i++) {
		char real[PATH_MAX];
		const char *key = projects->count > 1 &&
				  ccp_realpath(projects->items[i], real) ? real :
				  projects->items[i];

		if (list_add(reals, key) == 0)
			continue;
		if (push_target(out, projects->items[i], NULL, 0) < 0)
			return -1;
		projects->items[i] = NULL;
	}
	return 0;
}

int ccp_gate_targets_find(ccp_gate_targets *out, const char *const *paths,
			  size_t n)
{
	str_list projects, reals, lone, skipped;
	users_cache cache;
	size_t i, budget = GATE_MAX_ENTRIES;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	cache_init(&cache);
	list_init(&projects);
	list_init(&reals);
	list_init(&lone);
	list_init(&skipped);
	for (i = 0; i < n; i++) {
		const char *p = paths[i];
		size_t olen = 0;
		char *overlay = ccp_yaml_overlay_read(p, &olen);
		int buffered = overlay != NULL;
		struct stat st;
		int exists = stat(p, &st) == 0;

		free(overlay);
		if (exists && S_ISDIR(st.st_mode)) {
			find_projects(&projects, p, GATE_MAX_DEPTH, &budget);
		} else if (exists && is_config_name(p)) {
			/* a changed configuration re-lints the projects it governs */
			char *dir = ccp_path_dirname(p);

			if (dir)
				find_projects(&projects, dir, GATE_MAX_DEPTH, &budget);
			free(dir);
		} else if (!exists && !buffered) {
			/* a missing file is a finding of its own (CCP-Y009) */
			list_add(&projects, p);
		} else if (is_project_file(p)) {
			list_add(&projects, p);
		} else if (add_users(&projects, &cache, p) == 0) {
			if (classify_file(p) == CCP_GATE_CC_CONFIG)
				list_add(&lone, p);
			else
				list_add(&skipped, p);
		}
	}
	if (projects.failed || lone.failed || skipped.failed)
		goto cleanup;
	if (push_projects(out, &projects, &reals) < 0)
		goto cleanup;
	if (lone.count) {
		if (push_target(out, NULL, lone.items, lone.count) < 0)
			goto cleanup;
		lone.items = NULL;
		lone.count = 0;
	}
	out->skipped = skipped.items;
	out->nskipped = skipped.count;
	skipped.items = NULL;
	skipped.count = 0;
	rc = reals.failed ? -1 : 0;

cleanup:
	/* items handed over were set to NULL */
	list_release(&projects);
	list_release(&reals);
	list_release(&lone);
	list_release(&skipped);
	cache_release(&cache);
	if (rc < 0)
		ccp_gate_targets_release(out);
	return rc;
}

void ccp_gate_targets_release(ccp_gate_targets *t)
{
	size_t i, j;

	for (i = 0; i < t->count; i++) {
		free(t->items[i].project);
		for (j = 0; j < t->items[i].nccs; j++)
			free(t->items[i].ccs[j]);
		free(t->items[i].ccs);
	}
	free(t->items);
	for (i = 0; i < t->nskipped; i++)
		free(t->skipped[i]);
	free(t->skipped);
	memset(t, 0, sizeof(*t));
}
