/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Golden end-to-end cases: one folder per case under tests/golden/.
 *
 *   description    one line: what the case checks; printed when it fails
 *                  (`--rules` refuses a case without one)
 *   base           optional, one line: a folder relative to the repository
 *                  root (e.g. "examples/cc") whose files are copied into
 *                  the scratch copy first, the case's own files over them;
 *                  so a case holds only what differs from its base
 *   cmd            ccprov arguments (default "lint project.yml"); the runner
 *                  adds "--format json" and runs ccprov in a scratch copy
 *                  of the folder, so cases never write into the tree
 *   setup          optional shell script run in the copy first (to make
 *                  inputs too large or too odd to commit, or to copy the
 *                  bundled example's binary fixtures from
 *                  $CCPROV_EXAMPLE_DIR instead of committing them again;
 *                  $CCPROV is the ccprov under test, to make a kit)
 *   expected.json  {"exit": N, "diagnostics": [{"rule", "line", "column",
 *                  and optionally "severity", "file", "message", "hint"}]}
 *
 * Every key given for a diagnostic must match, in order, and the count
 * must match. `ccprov_golden --update CCPROV DIR` writes expected.json
 * from the current output (review it before committing).
 *
 * `ccprov_golden --rules CCPROV GOLDEN_DIR RULES_DIR` checks that every
 * registered rule has a page and a case that fires and one that stays
 * silent (by the folder names <ID>-fires* and <ID>-silent*, confirmed by
 * their expected.json), and that every case has a one-line description.
 */
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccprov/buf.h"
#include "ccprov/json.h"
#include "ccprov/rules.h"
#include "dir.h"

/* Golden case folders looked at, at most. */
#define GOLDEN_MAX_CASES 100000

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	ccp_buf b = CCP_BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ccp_buf_put(&b, chunk, n);
	fclose(f);
	return ccp_buf_detach(&b);
}

/*
 * The case file name in dir as one line, without its newline. Returns 0,
 * -1 when the file is missing, -2 when it is blank, holds more than one
 * line or does not fit in size.
 */
static int case_line(const char *dir, const char *name, char *out, size_t size)
{
	char path[4096], *text;
	size_t len;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = read_all(path);
	if (!text)
		return -1;
	len = strlen(text);
	if (len && text[len - 1] == '\n')
		text[--len] = '\0';
	if (strspn(text, " \t") == len || strchr(text, '\n') || len >= size)
		rc = -2;
	else
		memcpy(out, text, len + 1);
	free(text);
	return rc;
}

/* Run ccprov with the case's arguments in dir; capture stdout. */
static int run_case(const char *ccprov, const char *dir, char **out, int *status)
{
	char path[4096], *cmd;
	ccp_buf line = CCP_BUF_INIT;
	FILE *p;
	char chunk[4096];
	size_t n;
	ccp_buf b = CCP_BUF_INIT;

	char scratch[] = "/tmp/ccprov-golden.XXXXXX";
	char root[PATH_MAX + 32], base[256] = "";
	char real[PATH_MAX];

	/* cases live in tests/golden/CASE, three levels below the root */
	if (!realpath(dir, real))
		return -1;
	snprintf(root, sizeof(root), "%s/../../..", real);
	switch (case_line(dir, "base", base, sizeof(base))) {
	case -1:
		break;
	case 0:
		/* a folder inside the tree, and nothing the shell would read */
		if (base[0] != '/' && !strstr(base, "..") &&
		    strspn(base, "abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") == strlen(base))
			break;
		/* fall through */
	default:
		fprintf(stderr, "%s: 'base' must be one line naming a folder of the tree\n",
			dir);
		return -1;
	}
	if (base[0]) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", root, base);
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "%s: base '%s' is not a folder of the tree\n", dir, base);
			return -1;
		}
	}
	if (!mkdtemp(scratch))
		return -1;
	snprintf(path, sizeof(path), "%s/cmd", dir);
	cmd = read_all(path);
	if (base[0])
		ccp_buf_printf(&line, "cp -a '%s/%s/.' '%s/' && ", root, base, scratch);
	ccp_buf_printf(&line, "cp -a '%s/.' '%s/' && cd '%s' && "
		       "{ [ ! -f setup ] || CCPROV_EXAMPLE_DIR='%s/examples/cc' CCPROV='%s' sh setup >/dev/null 2>&1; } && "
		       "'%s' %s --format json 2>/dev/null; rc=$?; rm -rf '%s'; exit $rc",
		       dir, scratch, scratch, root, ccprov, ccprov,
		       cmd ? cmd : "lint project.yml", scratch);
	free(cmd);
	/* the cmd file may end with a newline */
	for (n = 0; n < line.len; n++)
		if (line.data[n] == '\n')
			line.data[n] = ' ';
	p = popen(ccp_buf_cstr(&line), "r");
	ccp_buf_release(&line);
	if (!p)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		ccp_buf_put(&b, chunk, n);
	*status = pclose(p);
	*status = WIFEXITED(*status) ? WEXITSTATUS(*status) : 128;
	*out = ccp_buf_detach(&b);
	return 0;
}

static int field_equal(const ccp_json *want, const ccp_json *got)
{
	return got && ccp_json_equal(want, got);
}

static int compare(const char *dir, const ccp_json *exp, const ccp_json *act,
		   int status)
{
	const ccp_json *ed = ccp_json_get(exp, "diagnostics");
	const ccp_json *ad = ccp_json_get(act, "diagnostics");
	long long want_exit = -1;
	size_t i, j;
	int bad = 0;

	if (ccp_json_int(ccp_json_get(exp, "exit"), &want_exit) == 0 &&
	    want_exit != status) {
		fprintf(stderr, "%s: exit %d, expected %lld\n", dir, status, want_exit);
		bad = 1;
	}
	if (!ed || !ad) {
		fprintf(stderr, "%s: missing diagnostics array\n", dir);
		return 1;
	}
	if (ed->count != ad->count) {
		fprintf(stderr, "%s: %zu diagnostics, expected %zu\n", dir, ad->count,
			ed->count);
		bad = 1;
	}
	for (i = 0; i < ed->count && i < ad->count; i++) {
		const ccp_json *e = ed->items[i], *a = ad->items[i];

		for (j = 0; j < e->count; j++) {
			if (!field_equal(e->items[j], ccp_json_get(a, e->keys[j]))) {
				char *ws = ccp_json_render(e, 0), *gs = ccp_json_render(a, 0);

				fprintf(stderr, "%s: diagnostic %zu differs in '%s'\n  want %s\n  got  %s\n",
					dir, i + 1, e->keys[j], ws, gs);
				free(ws);
				free(gs);
				bad = 1;
				break;
			}
		}
	}
	if (bad) {
		for (i = 0; i < ad->count; i++) {
			char *gs = ccp_json_render(ad->items[i], 0);

			fprintf(stderr, "  actual[%zu] %s\n", i + 1, gs);
			free(gs);
		}
	}
	return bad;
}

static int update(const char *dir, const ccp_json *act, int status)
{
	const ccp_json *ad = ccp_json_get(act, "diagnostics");
	static const char *const keep[] = { "rule", "severity", "file", "line",
					    "column", "message", "suppressed",
					    "justification", NULL };
	ccp_json *out = ccp_json_new(CCP_JSON_OBJECT), *list = ccp_json_new(CCP_JSON_ARRAY);
	char path[4096], *text;
	size_t i, k;
	FILE *f;

	ccp_json_set(out, "exit", ccp_json_new_int(status));
	for (i = 0; ad && i < ad->count; i++) {
		ccp_json *d = ccp_json_new(CCP_JSON_OBJECT);

		for (k = 0; keep[k]; k++) {
			const ccp_json *v = ccp_json_get(ad->items[i], keep[k]);

			if (v)
				ccp_json_set(d, keep[k], ccp_json_clone(v));
		}
		ccp_json_append(list, d);
	}
	ccp_json_set(out, "diagnostics", list);
	text = ccp_json_render(out, 2);
	snprintf(path, sizeof(path), "%s/expected.json", dir);
	f = fopen(path, "wb");
	if (!f || !text) {
		ccp_json_free(out);
		free(text);
		return 1;
	}
	fputs(text, f);
	fclose(f);
	free(text);
	ccp_json_free(out);
	printf("updated %s\n", path);
	return 0;
}

static int golden(const char *ccprov, const char *dir, int do_update)
{
	char path[4096], err[256], *out = NULL, *exp_text;
	ccp_json *exp = NULL, *act = NULL;
	int status = 0, rc = 1;

	if (run_case(ccprov, dir, &out, &status) < 0) {
		fprintf(stderr, "%s: cannot run ccprov\n", dir);
		goto cleanup;
	}
	if (ccp_json_parse(&act, out, strlen(out), err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: ccprov printed invalid JSON (%s):\n%s\n", dir, err, out);
		goto cleanup;
	}
	if (do_update) {
		rc = update(dir, act, status);
		goto cleanup;
	}
	snprintf(path, sizeof(path), "%s/expected.json", dir);
	exp_text = read_all(path);
	if (!exp_text || ccp_json_parse(&exp, exp_text, strlen(exp_text), err,
					sizeof(err)) < 0) {
		fprintf(stderr, "%s: cannot read expected.json (%s)\n", dir,
			exp_text ? err : strerror(errno));
		free(exp_text);
		goto cleanup;
	}
	free(exp_text);
	rc = compare(dir, exp, act, status);
	if (!rc)
		printf("ok %s\n", dir);
cleanup:
	if (rc && !do_update) {
		char what[1024];

		if (case_line(dir, "description", what, sizeof(what)) == 0)
			fprintf(stderr, "%s: the case checks: %s\n", dir, what);
	}
	free(out);
	ccp_json_free(exp);
	ccp_json_free(act);
	return rc;
}

/* Does the case's expected.json list a diagnostic of rule? */
static int case_has_rule(const char *dir, const char *rule, int *found)
{
	char path[4096], err[256], *text;
	ccp_json *exp = NULL;
	const ccp_json *list;
	size_t i;

	snprintf(path, sizeof(path), "%s/expected.json", dir);
	text = read_all(path);
	if (!text || ccp_json_parse(&exp, text, strlen(text), err, sizeof(err)) < 0) {
		free(text);
		return -1;
	}
	free(text);
	*found = 0;
	list = ccp_json_get(exp, "diagnostics");
	for (i = 0; list && i < list->count; i++) {
		const char *r = ccp_json_str(ccp_json_get(list->items[i], "rule"));

		if (r && strcmp(r, rule) == 0)
			*found = 1;
	}
	ccp_json_free(exp);
	return 0;
}

/* The page's "Severity: X." line names the registry's severity. */
static int page_severity_differs(const char *path, const ccp_rule *r)
{
	char *text = read_all(path), want[64];
	int differs;

	snprintf(want, sizeof(want), "\nSeverity: %s.", ccp_severity_name(r->severity));
	differs = !text || !strstr(text, want);
	if (differs)
		fprintf(stderr, "%s: its page does not say '%s' (the registry's severity)\n",
			r->id, want + 1);
	free(text);
	return differs;
}

/* Every case folder says in one line what it checks. */
static int descriptions(const char *golden_dir)
{
	ccp_dir names;
	size_t i;
	int bad = 0, cases = 0;

	if (ccp_dir_read(&names, golden_dir, GOLDEN_MAX_CASES, 0) < 0) {
		fprintf(stderr, "%s: %s\n", golden_dir, strerror(errno));
		ccp_dir_release(&names);
		return 1;
	}
	for (i = 0; i < names.count; i++) {
		char cdir[4096], what[1024];
		struct stat st;

		snprintf(cdir, sizeof(cdir), "%s/%s", golden_dir, names.names[i]);
		if (stat(cdir, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		cases++;
		switch (case_line(cdir, "description", what, sizeof(what))) {
		case 0:
			break;
		case -1:
			fprintf(stderr, "%s: no 'description' saying what the case checks\n", cdir);
			bad = 1;
			break;
		default:
			fprintf(stderr, "%s: 'description' must be one line, not empty\n", cdir);
			bad = 1;
			break;
		}
	}
	ccp_dir_release(&names);
	printf("%s: %d case descriptions checked\n", bad ? "FAIL" : "ok", cases);
	return bad;
}

static int rules_coverage(const char *golden_dir, const char *rules_dir)
{
	size_t n, i, k;
	const ccp_rule *rules = ccp_rules(&n);
	int bad = descriptions(golden_dir);
	ccp_dir cases;

	/* an unreadable folder was reported by descriptions() */
	ccp_dir_read(&cases, golden_dir, GOLDEN_MAX_CASES, 0);
	for (i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		int fires = 0, silent = 0;
		size_t idlen = strlen(rules[i].id);

		if (i > 0 && strcmp(rules[i - 1].id, rules[i].id) >= 0) {
			fprintf(stderr, "registry out of order at %s\n", rules[i].id);
			bad = 1;
		}
		snprintf(path, sizeof(path), "%s/%s.md", rules_dir, rules[i].id);
		if (stat(path, &st) < 0) {
			fprintf(stderr, "%s: no documentation page %s\n", rules[i].id, path);
			bad = 1;
		} else if (page_severity_differs(path, &rules[i])) {
			bad = 1;
		}
		for (k = 0; k < cases.count; k++) {
			const char *name = cases.names[k];
			int found = 0;
			char cdir[4096];

			if (strncmp(name, rules[i].id, idlen) || name[idlen] != '-')
				continue;
			snprintf(cdir, sizeof(cdir), "%s/%s", golden_dir, name);
			if (case_has_rule(cdir, rules[i].id, &found) < 0) {
				fprintf(stderr, "%s: unreadable expected.json\n", cdir);
				bad = 1;
				continue;
			}
			if (strncmp(name + idlen + 1, "fires", 5) == 0) {
				if (!found) {
					fprintf(stderr, "%s: a 'fires' case without a %s finding\n",
						cdir, rules[i].id);
					bad = 1;
				}
				fires++;
			} else if (strncmp(name + idlen + 1, "silent", 6) == 0) {
				if (found) {
					fprintf(stderr, "%s: a 'silent' case with a %s finding\n",
						cdir, rules[i].id);
					bad = 1;
				}
				silent++;
			}
		}
		if (!fires || !silent) {
			fprintf(stderr, "%s: needs golden cases %s-fires* and %s-silent* (has %d and %d)\n",
				rules[i].id, rules[i].id, rules[i].id, fires, silent);
			bad = 1;
		}
	}
	ccp_dir_release(&cases);
	printf("%s: %zu rules checked\n", bad ? "FAIL" : "ok", n);
	return bad;
}

/*
 * The audit table (docs/nvflare-audit.md): every table row below the
 * header has a last cell that names rule ids which exist ("CCP-X000",
 * checked with ccp_rule_find), or says it is covered by the shared name
 * check ("name check ...") or needs no finding ("none: REASON").
 */
static int audit_cell(const char *cell, const char *line)
{
	const char *p = cell;
	int ids = 0, bad = 0;

	while ((p = strstr(p, "CCP-")) != NULL) {
		char id[9];

		if (strlen(p) < 8 || p[4] < 'A' || p[4] > 'Z' ||
		    strspn(p + 5, "0123456789") != 3) {
			fprintf(stderr, "malformed rule id in: %s\n", line);
			return 1;
		}
		memcpy(id, p, 8);
		id[8] = '\0';
		if (!ccp_rule_find(id)) {
			fprintf(stderr, "%s does not exist: %s\n", id, line);
			bad = 1;
		}
		ids++;
		p += 8;
	}
	if (!ids && strncmp(cell, "name check", 10) != 0 &&
	    !(strncmp(cell, "none:", 5) == 0 && cell[5] == ' ' && cell[6])) {
		fprintf(stderr, "row without a rule id, 'name check' or 'none: REASON': %s\n",
			line);
		bad = 1;
	}
	return bad;
}

static int audit(const char *table)
{
	char *text = read_all(table), *save = NULL, *line;
	int bad = 0, rows = 0, header = 0;

	if (!text) {
		fprintf(stderr, "cannot read %s\n", table);
		return 1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end, *cell;
		size_t len = strlen(line);

		if (line[0] != '|')
			continue;
		if (strncmp(line, "|---", 4) == 0) {
			header = 1;
			continue;
		}
		if (!header)
			continue;   /* the header row */
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len < 2 || line[len - 1] != '|') {
			fprintf(stderr, "row does not end with '|': %s\n", line);
			bad = 1;
			continue;
		}
		line[len - 1] = '\0';
		end = strrchr(line, '|');
		if (!end || end == line) {
			fprintf(stderr, "row with one cell: %s\n", line);
			bad = 1;
			continue;
		}
		cell = end + 1;
		cell += strspn(cell, " ");
		bad |= audit_cell(cell, line);
		rows++;
	}
	free(text);
	if (!rows) {
		fprintf(stderr, "%s: no table rows\n", table);
		bad = 1;
	}
	printf("%s: %d audit rows checked\n", bad ? "FAIL" : "ok", rows);
	return bad;
}

/*
 * The NVFlare corpus: each line of EXPECTED is "FILE accept" or
 * "FILE reject LINE". An accepted file must get no error-level finding;
 * a rejected one an error in that file at that line.
 */
static int corpus(const char *ccprov, const char *dir, const char *expected)
{
	char *text = read_all(expected), *save = NULL, *line;
	int bad = 0, count = 0, failed = 0;

	if (!text) {
		fprintf(stderr, "cannot read %s\n", expected);
		return 1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char file[1024], verdict[16], err[256], *out = NULL;
		ccp_buf cmd = CCP_BUF_INIT;
		ccp_json *act = NULL;
		const ccp_json *list;
		long want_line = 0;
		int status = 0, ok = 0;
		size_t i, errors = 0;
		FILE *p;
		char chunk[4096];
		size_t n;
		ccp_buf b = CCP_BUF_INIT;

		if (line[0] == '#' || sscanf(line, "%1023s %15s %ld", file, verdict, &want_line) < 2)
			continue;
		count++;
		ccp_buf_printf(&cmd, "cd '%s' && '%s' lint --base-dir . '%s' --format json 2>/dev/null",
			       dir, ccprov, file);
		p = popen(ccp_buf_cstr(&cmd), "r");
		ccp_buf_release(&cmd);
		if (!p) {
			bad = 1;
			continue;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
			ccp_buf_put(&b, chunk, n);
		status = pclose(p);
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		out = ccp_buf_detach(&b);
		if (!out || ccp_json_parse(&act, out, strlen(out), err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: invalid JSON output\n", file);
			free(out);
			bad = 1;
			continue;
		}
		list = ccp_json_get(act, "diagnostics");
		for (i = 0; list && i < list->count; i++) {
			const ccp_json *d = list->items[i];
			const char *sev = ccp_json_str(ccp_json_get(d, "severity"));
			const char *f = ccp_json_str(ccp_json_get(d, "file"));
			long long l = 0;

			if (!sev || strcmp(sev, "error"))
				continue;
			errors++;
			ccp_json_int(ccp_json_get(d, "line"), &l);
			if (f && strcmp(f, file) == 0 && l == want_line)
				ok = 1;
		}
		if (strcmp(verdict, "accept") == 0)
			ok = errors == 0 && status == 0;
		else
			ok = ok && status == 1;
		printf("%s %s (%s, %zu errors, exit %d)\n", ok ? "ok" : "FAIL", file,
		       verdict, errors, status);
		if (!ok) {
			bad = 1;
			failed++;
			fprintf(stderr, "%s\n", out);
		}
		free(out);
		ccp_json_free(act);
	}
	free(text);
	printf("%d passed, %d failed\n", count - failed, failed);
	return bad;
}

int main(int argc, char **argv)
{
	static char ccprov[4096];
	int which = argc >= 2 && argv[1][0] == '-' ? 2 : 1;

	/* the runner changes directory into each case: make ccprov absolute */
	if (argc > which && realpath(argv[which], ccprov))
		argv[which] = ccprov;
	if (argc == 4 && strcmp(argv[1], "--update") == 0)
		return golden(argv[2], argv[3], 1);
	if (argc == 5 && strcmp(argv[1], "--rules") == 0)
		return rules_coverage(argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "--audit") == 0)
		return audit(argv[2]);
	if (argc == 5 && strcmp(argv[1], "--corpus") == 0)
		return corpus(argv[2], argv[3], argv[4]);
	if (argc == 3)
		return golden(argv[1], argv[2], 0);
	fprintf(stderr, "usage: ccprov_golden CCPROV CASE_DIR\n"
		"       ccprov_golden --update CCPROV CASE_DIR\n"
		"       ccprov_golden --rules CCPROV GOLDEN_DIR RULES_DIR\n"
		"       ccprov_golden --audit AUDIT_TABLE\n");
	return 2;
}
