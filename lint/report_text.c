/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The text format, shaped like clang's diagnostics so that editors and
 * people read it without training:
 *
 *   file:line:col: severity: message [RULE]
 *   <source line>
 *   <caret line>
 *     hint: ...
 *     note: file:line:col: ...
 */
#include "report_int.h"
#include "utf8.h"

#include <limits.h>
#include <string.h>

/* Longest source line quoted whole; longer ones show a window. */
#define TEXT_MAX_LINE 500
/* Bytes of context kept before the caret in a trimmed line. */
#define TEXT_WINDOW_BEFORE 160
#define TEXT_WINDOW 480

#define ANSI_RESET "\033[0m"
#define ANSI_BOLD "\033[1m"
#define ANSI_RED "\033[1;31m"
#define ANSI_MAGENTA "\033[1;35m"
#define ANSI_CYAN "\033[1;36m"
#define ANSI_GREEN "\033[1;32m"

static const char *sev_color(ccp_severity sev)
{
	switch (sev) {
	case CCP_SEV_ERROR:
		return ANSI_RED;
	case CCP_SEV_WARNING:
		return ANSI_MAGENTA;
	case CCP_SEV_NOTE:
		return ANSI_CYAN;
	}
	return ANSI_CYAN;
}

static void put_color(ccp_rep *r, const char *code)
{
	if (r->opts.color)
		ccp_buf_puts(r->out, code);
}

/*
 * Copy text, showing control characters as '?': findings quote user
 * input, and an escape sequence must not reach the terminal. Tabs stay
 * so that quoted lines keep their layout; every character stays one
 * character so the caret line still lines up.
 */
static void put_safe(ccp_buf *out, const char *s, size_t len)
{
	ccp_rep_put_safe(out, s, len, 1);
}

static void put_safe_str(ccp_buf *out, const char *s)
{
	put_safe(out, s, strlen(s));
}

/* "file:line:col" with the parts that are known. */
static void put_location(ccp_rep *r, const char *file, unsigned line,
			 unsigned column)
{
	put_safe_str(r->out, ccp_rep_path(r, file));
	if (line) {
		ccp_buf_printf(r->out, ":%u", line);
		if (column)
			ccp_buf_printf(r->out, ":%u",
				       ccp_rep_col(r, file, line, column));
	}
}

/* The code point starting at s[i] (len bytes), or U+FFFD. */
static unsigned long cp_at(const char *s, size_t i, size_t len)
{
	size_t n = ccp_utf8_seq(s + i, len - i);

	return n ? ccp_utf8_decode(s + i, n) : 0xfffd;
}

/* Terminal columns of text[from..to): wide characters take two. */
static size_t count_cols(const char *s, size_t from, size_t to, size_t len)
{
	size_t n = 0;

	for (; from < to; from++)
		if (!ccp_utf8_is_cont(s[from]))
			n += (size_t)ccp_rep_cp_width(cp_at(s, from, len));
	return n;
}

/* Quote the source line of g with a caret line under its span. */
static void put_source(ccp_rep *r, const ccp_diag *g, const char *text,
		       size_t len)
{
	size_t start, end, ws = 0, we = len, i, n;

	start = g->column ? g->column - 1 : 0;
	if (start > len)
		start = len;
	end = start;
	if (g->end_line == g->line && g->end_column > g->column)
		end = g->end_column - 1 < len ? g->end_column - 1 : len;

	if (len > TEXT_MAX_LINE) {
		/* a minified or generated line: show a window round the caret */
		ws = start > TEXT_WINDOW_BEFORE ? start - TEXT_WINDOW_BEFORE : 0;
		we = ws + TEXT_WINDOW < len ? ws + TEXT_WINDOW : len;
		while (ws < start && ccp_utf8_is_cont(text[ws]))
			ws++;
		while (we > start && we < len && ccp_utf8_is_cont(text[we]))
			we--;
		if (end > we)
			end = we;
	}

	if (ws > 0)
		ccp_buf_puts(r->out, "...");
	put_safe(r->out, text + ws, we - ws);
	if (we < len)
		ccp_buf_puts(r->out, "...");
	ccp_buf_putc(r->out, '\n');

	put_color(r, ANSI_GREEN);
	if (ws > 0)
		ccp_buf_puts(r->out, "   ");
	/* as many columns as the terminal gives each character (two for
	 * wide ones); a tab stays a tab to keep alignment */
	for (i = ws; i < start; i++) {
		if (text[i] == '\t')
			ccp_buf_putc(r->out, '\t');
		else if (!ccp_utf8_is_cont(text[i]))
			for (n = (size_t)ccp_rep_cp_width(cp_at(text, i, len)); n; n--)
				ccp_buf_putc(r->out, ' ');
	}
	ccp_buf_putc(r->out, '^');
	n = count_cols(text, start, end, len);
	for (i = 1; i < n; i++)
		ccp_buf_putc(r->out, '~');
	put_color(r, ANSI_RESET);
	ccp_buf_putc(r->out, '\n');
}

static void put_diag(ccp_rep *r, const ccp_diag *g)
{
	const char *text;
	size_t len, i;

	put_color(r, ANSI_BOLD);
	put_location(r, g->file, g->line, g->column);
	ccp_buf_puts(r->out, ": ");
	put_color(r, ANSI_RESET);
	put_color(r, sev_color(g->severity));
	ccp_buf_printf(r->out, "%s: ", ccp_severity_name(g->severity));
	put_color(r, ANSI_RESET);
	put_color(r, ANSI_BOLD);
	put_safe_str(r->out, g->message);
	ccp_buf_puts(r->out, " [");
	put_safe_str(r->out, g->rule);
	ccp_buf_putc(r->out, ']');
	put_color(r, ANSI_RESET);
	ccp_buf_putc(r->out, '\n');

	if (r->opts.show_source && g->line &&
	    ccp_rep_src_line(&r->srcs, g->file, g->line, &text, &len) == 0)
		put_source(r, g, text, len);

	if (g->hint) {
		ccp_buf_puts(r->out, "  ");
		put_color(r, ANSI_BOLD);
		ccp_buf_puts(r->out, "hint:");
		put_color(r, ANSI_RESET);
		ccp_buf_putc(r->out, ' ');
		put_safe_str(r->out, g->hint);
		ccp_buf_putc(r->out, '\n');
	}
	for (i = 0; i < g->nrelated; i++) {
		const ccp_related *rel = &g->related[i];

		ccp_buf_puts(r->out, "  ");
		put_color(r, ANSI_CYAN);
		ccp_buf_puts(r->out, "note:");
		put_color(r, ANSI_RESET);
		ccp_buf_putc(r->out, ' ');
		put_location(r, rel->file, rel->line, rel->column);
		ccp_buf_puts(r->out, ": ");
		put_safe_str(r->out, rel->message);
		ccp_buf_putc(r->out, '\n');
	}
}

static void put_count(ccp_buf *out, size_t n, const char *one,
		      const char *many)
{
	ccp_buf_put_ll(out, n > LLONG_MAX ? LLONG_MAX : (long long)n);
	ccp_buf_putc(out, ' ');
	ccp_buf_puts(out, n == 1 ? one : many);
}

int ccp_rep_text(ccp_rep *r)
{
	const ccp_diags *d = r->d;
	size_t i, nfiles;

	for (i = 0; i < d->count; i++)
		put_diag(r, d->items[i]);
	if (d->dropped)
		ccp_buf_printf(r->out, "%zu more finding%s not recorded "
			       "(limit reached)\n", d->dropped,
			       d->dropped == 1 ? " was" : "s were");

	nfiles = ccp_rep_nfiles(r);
	if (d->count == 0) {
		ccp_buf_puts(r->out, "no findings in ");
	} else {
		put_count(r->out, ccp_diags_count(d, CCP_SEV_ERROR),
			  "error", "errors");
		ccp_buf_puts(r->out, ", ");
		put_count(r->out, ccp_diags_count(d, CCP_SEV_WARNING),
			  "warning", "warnings");
		ccp_buf_puts(r->out, ", ");
		put_count(r->out, ccp_diags_count(d, CCP_SEV_NOTE),
			  "note", "notes");
		ccp_buf_puts(r->out, " in ");
	}
	put_count(r->out, nfiles, "file", "files");
	ccp_buf_putc(r->out, '\n');
	return 0;
}
