/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inline suppressions: a team accepts one finding where it is, with the
 * reason next to it, instead of switching a rule off everywhere.
 *
 *   role: server  # ccprov: disable=CCP-C001 -- the image is built by hand
 *   # ccprov: disable-file=CCP-C008 -- attestation is off in this lab
 *
 * Suppressed findings are kept, marked, so that JSON and SARIF still show
 * them; a suppression that covers nothing is itself reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "ccprov/buf.h"
#include "ccprov/gate.h"
#include "ccprov/names.h"
#include "ccprov/rules.h"
#include "ccprov/schema.h"
#include "ccprov/yaml.h"
#include "strmap.h"

#define RULE_NO_REASON "CCP-G002"
#define RULE_UNUSED "CCP-G003"
#define RULE_UNREADABLE "CCP-G004"

/* Largest file scanned for suppressions (the loader's own limit). */
#define SUPP_MAX_FILE CCP_YAML_MAX_FILE_SIZE

typedef struct supp {
	char rule[16];
	unsigned line, column;  /* the comment */
	int whole_file;
	char *reason;           /* NULL when none was given */
	int used;
} supp;

typedef struct supp_file {
	char *name;             /* as the lint run named it */
	char *id;               /* "device:inode": the file, whatever its name */
	const ccp_yaml_read *rec; /* what the load saw of it, or NULL */
	supp *items;
	size_t count, cap;
} supp_file;

typedef struct supp_set {
	supp_file *files;
	size_t count, cap;
	ccp_strmap by_id;       /* file id -> index + 1 */
	const ccp_yaml_reads *reads;
	ccp_strmap by_name;     /* name or canonical name -> its read */
	ccp_diags *d;
	int failed;
} supp_set;

/* the tag the loader looks for when it records a file (ccp_yaml_reads) */
#define MARKER CCP_YAML_MARKER
#define MARKER_LEN (sizeof(MARKER) - 1)

/*
 * Whether the file open on fd mentions the marker within SUPP_MAX_FILE
 * bytes, read in chunks: most files have no suppression, and holding a
 * large one whole only to learn that costs more than reading it.
 */
static int mentions_marker(int fd)
{
	char chunk[65536];
	size_t keep = 0, seen = 0;
	ssize_t got;

	while (seen < SUPP_MAX_FILE) {
		size_t n;

		got = read(fd, chunk + keep, sizeof(chunk) - keep);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return 0;
		seen += (size_t)got;
		n = keep + (size_t)got;
		if (memmem(chunk, n, MARKER, MARKER_LEN))
			return 1;
		/* a marker may straddle two chunks */
		keep = n < MARKER_LEN - 1 ? n : MARKER_LEN - 1;
		memmove(chunk, chunk + n - keep, keep);
	}
	return 0;
}

/* The rest of the file open on fd, or NULL. */
static char *read_rest(int fd, size_t *len)
{
	ccp_buf b = CCP_BUF_INIT;
	char chunk[65536];

	ccp_buf_init(&b, SUPP_MAX_FILE);
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof(chunk));

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0 || ccp_buf_put(&b, chunk, (size_t)got) < 0)
			break;
	}
	if (ccp_buf_failed(&b)) {
		ccp_buf_release(&b);
		return NULL;
	}
	*len = b.len;
	return ccp_buf_detach(&b);
}

/* The text of a file that mentions the marker, else NULL. */
static char *read_text(const char *path, size_t *len)
{
	char *data = ccp_yaml_overlay_read(path, len);
	struct stat st;
	int fd;

	if (data)
		return data;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	/* the loader reads only regular files: a device or a FIFO named
	 * for lint holds no suppression, and is not read here either */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && mentions_marker(fd) &&
	    lseek(fd, 0, SEEK_SET) == 0)
		data = read_rest(fd, len);
	close(fd);
	return data;
}

static void report(supp_set *s, const char *rule, const supp_file *f,
		   unsigned line, unsigned column, const char *hint,
		   const char *fmt, const char *arg)
	__attribute__((format(printf, 7, 0)));

static void report(supp_set *s, const char *rule, const supp_file *f,
		   unsigned line, unsigned column, const char *hint,
		   const char *fmt, const char *arg)
{
	ccp_diag *g = ccp_diags_add_at(s->d, rule, CCP_SEV_WARNING, f->name,
				       line, column, line, column, NULL, fmt, arg);

	if (g && hint)
		ccp_diag_set_hint(g, "%s", hint);
}

static int push(supp_file *f, const supp *one)
{
	if (ccp_grow(&f->items, &f->cap, f->count + 1, sizeof(*f->items)) < 0)
		return -1;
	f->items[f->count++] = *one;
	return 0;
}

/* The comment of a YAML line: a '#' at its start or after a blank,
 * outside quotes. Returns its offset, or len when there is none. */
static size_t comment_at(const char *s, size_t len)
{
	char quote = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			if (i == 0 || strchr(" \t:[{,-", s[i - 1]))
				quote = c;
		} else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
			return i;
		}
	}
	return len;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The registered id closest to id (a static string), or NULL. */
static const char *suggest_rule(const char *id)
{
	size_t n, i;
	const ccp_rule *all = ccp_rules(&n);
	const char **ids = calloc(n + 1, sizeof(*ids));
	const char *near;

	if (!ids)
		return NULL;
	for (i = 0; i < n; i++)
		ids[i] = all[i].id;
	near = ccp_suggest(id, ids, n);
	free(ids);
	return near;
}

/*
 * Parse "ccprov: disable[-file]=A,B -- reason" at c (len bytes, after
 * the '#'). Adds the suppressions to f and reports what is wrong.
 */
/* Cut "RULES -- reason" at its "--": the reason, trimmed, or NULL. */
static char *split_reason(char *rules)
{
	char *sep = strstr(rules, "--"), *r, *end;

	if (!sep)
		return NULL;
	*sep = '\0';
	r = sep + 2;
	while (is_blank(*r))
		r++;
	end = r + strlen(r);
	while (end > r && (is_blank(end[-1]) || end[-1] == '\r'))
		*--end = '\0';
	return *r ? r : NULL;
}

/* A rule id that names no rule, with the nearest one as a hint. */
static void report_unknown_rule(supp_set *s, const supp_file *f,
				unsigned line, unsigned column, const char *tok)
{
	const char *near = suggest_rule(tok);
	ccp_buf h = CCP_BUF_INIT;

	if (near)
		ccp_buf_printf(&h, "did you mean '%s'?", near);
	report(s, RULE_UNREADABLE, f, line, column,
	       near ? ccp_buf_cstr(&h) : NULL,
	       "suppression names unknown rule '%s'", tok);
	ccp_buf_release(&h);
}

/* One suppression of rule r at line/column. 0, or -1 out of memory. */
static int add_suppression(supp_set *s, supp_file *f, const ccp_rule *r,
			   unsigned line, unsigned column, int whole,
			   const char *reason)
{
	supp one;

	memset(&one, 0, sizeof(one));
	/* rule ids are short ("CCP-N001"); the field bounds them anyway */
	strncpy(one.rule, r->id, sizeof(one.rule) - 1);
	one.line = line;
	one.column = column;
	one.whole_file = whole;
	if (reason && !(one.reason = strdup(reason)))
		return -1;
	if (push(f, &one) < 0) {
		free(one.reason);
		return -1;
	}
	if (!reason)
		report(s, RULE_NO_REASON, f, line, column,
		       "add one after '--': # ccprov: disable=RULE -- reason",
		       "suppression of %s gives no reason", one.rule);
	return 0;
}

/*
 * The rule list of a "ccprov:" comment (text after the tag): *whole set
 * for disable-file. NULL when the comment was reported as unreadable.
 */
static char *rule_list(supp_set *s, const supp_file *f, char *text,
		       unsigned line, unsigned column, int in_header, int *whole)
{
	*whole = 0;
	if (strncmp(text, "disable-file=", 13) == 0) {
		*whole = 1;
		if (in_header)
			return text + 13;
		report(s, RULE_UNREADABLE, f, line, column,
		       "move it to the comments at the top of the file",
		       "disable-file%s must come before the file's first key", "");
		return NULL;
	}
	if (strncmp(text, "disable=", 8) == 0)
		return text + 8;
	report(s, RULE_UNREADABLE, f, line, column,
	       "write '# ccprov: disable=RULE -- reason'",
	       "cannot read the ccprov comment '%s'", text);
	return NULL;
}

static int parse_comment(supp_set *s, supp_file *f, const char *c, size_t len,
			 unsigned line, unsigned column, int in_header)
{
	static const char tag[] = "ccprov:";
	size_t i = 0;
	char *text, *reason, *rules, *tok, *save = NULL;
	int whole, rc = 0;

	while (i < len && is_blank(c[i]))
		i++;
	if (len - i < sizeof(tag) - 1 || memcmp(c + i, tag, sizeof(tag) - 1) != 0)
		return 0;
	i += sizeof(tag) - 1;
	while (i < len && is_blank(c[i]))
		i++;
	text = strndup(c + i, len - i);
	if (!text)
		return -1;
	rules = rule_list(s, f, text, line, column, in_header, &whole);
	reason = rules ? split_reason(rules) : NULL;
	for (tok = rules ? strtok_r(rules, ", \t\r", &save) : NULL; tok && rc == 0;
	     tok = strtok_r(NULL, ", \t\r", &save)) {
		const ccp_rule *r = ccp_rule_find(tok);

		if (!r)
			report_unknown_rule(s, f, line, column, tok);
		else
			rc = add_suppression(s, f, r, line, column, whole, reason);
	}
	free(text);
	return rc;
}

/*
 * The text to scan of f: the load's when it kept it (*owned NULL), else
 * read now (*owned, to free). NULL when there is nothing to scan.
 */
static const char *text_of(const supp_file *f, size_t *len, char **owned)
{
	*owned = NULL;
	if (f->rec && !f->rec->marker)
		return NULL;
	if (f->rec && f->rec->text) {
		*len = f->rec->len;
		return f->rec->text;
	}
	*owned = read_text(f->name, len);
	return *owned;
}

static int scan_file(supp_set *s, supp_file *f)
{
	size_t len = 0, pos = 0;
	char *owned;
	const char *data = text_of(f, &len, &owned);
	unsigned line = 0;
	int in_header = 1, rc = 0;

	if (!data)
		return 0;   /* unreadable files are the loader's findings */
	/* most files have no suppression at all: one search skips them */
	if (!memmem(data, len, MARKER, MARKER_LEN)) {
		free(owned);
		return 0;
	}
	while (pos < len && rc == 0) {
		const char *l = data + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos, k = 0, at;

		line++;
		while (k < n && is_blank(l[k]))
			k++;
		at = comment_at(l, n);
		if (at < n)
			rc = parse_comment(s, f, l + at + 1, n - at - 1, line,
					   (unsigned)at + 1, in_header);
		/* the header is the blank and comment lines before content */
		if (k < n && l[k] != '#' && l[k] != '\r' &&
		    !(n - k >= 3 && memcmp(l + k, "---", 3) == 0))
			in_header = 0;
		pos += n + 1;
	}
	free(owned);
	return rc;
}

/* The load's record of the file named path (as opened, or the
 * canonical name the load gave it), or NULL. */
static const ccp_yaml_read *read_of(const supp_set *s, const char *path)
{
	uintptr_t k = (uintptr_t)ccp_strmap_get(&s->by_name, path);

	return k ? &s->reads->items[k - 1] : NULL;
}

/* "%llx:%llx" of dev and ino in buf (at least 34 bytes), by hand:
 * printf is a cold part of libc for a clean run to map. */
static void format_id(char *buf, unsigned long long dev, unsigned long long ino)
{
	size_t n = ccp_buf_format_hex(buf, dev);

	buf[n++] = ':';
	ccp_buf_format_hex(buf + n, ino);
}

/* "device:inode" of the file at path in buf, or NULL when it is not
 * there: the identity the load found when it read the file, else one
 * stat, whatever name the file was reached by. */
static const char *file_id(const supp_set *s, const char *path, char buf[64])
{
	const ccp_yaml_read *r = read_of(s, path);
	struct stat st;

	if (r) {
		format_id(buf, r->dev, r->ino);
		return buf;
	}
	if (stat(path, &st) < 0)
		return NULL;
	format_id(buf, (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	return buf;
}

static int add_file(supp_set *s, const char *name)
{
	char idbuf[64];
	const char *id = file_id(s, name, idbuf);
	supp_file *f;

	if (!id || ccp_strmap_get(&s->by_id, id))
		return 0;
	if (ccp_grow(&s->files, &s->cap, s->count + 1, sizeof(*s->files)) < 0)
		return -1;
	f = &s->files[s->count];
	memset(f, 0, sizeof(*f));
	f->name = strdup(name);
	f->id = strdup(id);
	f->rec = read_of(s, name);
	if (!f->name || !f->id) {
		free(f->name);
		free(f->id);
		return -1;
	}
	s->count++;
	ccp_strmap_put(&s->by_id, f->id, (const void *)(uintptr_t)s->count);
	return 0;
}

static void mark(supp_set *s, ccp_diag *g, const supp_file *f)
{
	size_t i;

	for (i = 0; i < f->count; i++) {
		supp *one = &f->items[i];

		if (ccp_name_casecmp(one->rule, g->rule) != 0)
			continue;
		if (!one->whole_file && !(g->line && (g->line == one->line ||
						     g->line == one->line + 1)))
			continue;
		one->used = 1;
		if (!g->suppressed) {
			g->suppressed = 1;
			if (one->reason) {
				g->justification = strdup(one->reason);
				if (!g->justification)
					s->failed = 1;
			}
		}
	}
}

/* Mark the first count findings that a suppression covers. */
static int mark_findings(supp_set *s, ccp_diags *d, size_t count)
{
	char *memo_file = NULL;
	const supp_file *memo = NULL;
	size_t i;

	for (i = 0; i < count; i++) {
		ccp_diag *g = d->items[i];
		char id[64];

		/* findings come grouped by file: one lookup per group */
		if (!memo_file || strcmp(memo_file, g->file) != 0) {
			uintptr_t k = 0;

			free(memo_file);
			memo_file = strdup(g->file);
			if (!memo_file)
				return -1;
			if (file_id(s, g->file, id))
				k = (uintptr_t)ccp_strmap_get(&s->by_id, id);
			memo = k ? &s->files[k - 1] : NULL;
		}
		if (memo && memo->count)
			mark(s, g, memo);
	}
	free(memo_file);
	return 0;
}

static void report_unused(supp_set *s)
{
	size_t i, j;

	for (i = 0; i < s->count; i++)
		for (j = 0; j < s->files[i].count; j++)
			if (!s->files[i].items[j].used)
				report(s, RULE_UNUSED, &s->files[i],
				       s->files[i].items[j].line,
				       s->files[i].items[j].column,
				       "remove it, or check the rule id and line",
				       "suppression of %s covers no finding",
				       s->files[i].items[j].rule);
}

static void supp_set_release(supp_set *s)
{
	size_t i, j;

	for (i = 0; i < s->count; i++) {
		for (j = 0; j < s->files[i].count; j++)
			free(s->files[i].items[j].reason);
		free(s->files[i].items);
		free(s->files[i].name);
		free(s->files[i].id);
	}
	free(s->files);
	ccp_strmap_release(&s->by_id);
	ccp_strmap_release(&s->by_name);
}

/* Index the load's records by every name they answer to; the first
 * read of a name is the one kept (a file included twice is one file). */
static void index_reads(supp_set *s)
{
	size_t i;

	for (i = 0; s->reads && i < s->reads->count; i++) {
		const ccp_yaml_read *r = &s->reads->items[i];
		const void *k = (const void *)(uintptr_t)(i + 1);

		if (!ccp_strmap_get(&s->by_name, r->name))
			ccp_strmap_put(&s->by_name, r->name, k);
		if (r->real && !ccp_strmap_get(&s->by_name, r->real))
			ccp_strmap_put(&s->by_name, r->real, k);
	}
}

int ccp_gate_suppress(ccp_diags *d, const char *const *files, size_t n)
{
	return ccp_gate_suppress_loaded(d, files, n, NULL);
}

int ccp_gate_suppress_loaded(ccp_diags *d, const char *const *files, size_t n,
			     const ccp_yaml_reads *reads)
{
	supp_set s;
	size_t i, count, found = 0;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	ccp_strmap_init(&s.by_id, 0);
	ccp_strmap_init(&s.by_name, 0);
	s.d = d;
	s.reads = reads;
	index_reads(&s);
	for (i = 0; i < n; i++)
		if (add_file(&s, files[i]) < 0)
			goto cleanup;
	/* findings are added while scanning: only the earlier ones match */
	count = d->count;
	for (i = 0; i < s.count; i++) {
		if (scan_file(&s, &s.files[i]) < 0)
			goto cleanup;
		found += s.files[i].count;
	}
	if (found && mark_findings(&s, d, count) < 0)
		goto cleanup;
	report_unused(&s);
	ccp_diags_finish(d);
	rc = s.failed || d->failed ? -1 : 0;

cleanup:
	supp_set_release(&s);
	return rc;
}
