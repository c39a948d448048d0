/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The schema walker: interprets the libcyaml schema tables over the
 * positioned tree and reports every violation in one pass. The same
 * tables then drive libcyaml's typed load once the tree is clean.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "ccprov/buf.h"
#include "ccprov/names.h"
#include "dynlib.h"
#include "schema_internal.h"
#include "yaml_internal.h"

ccp_diag *ccp_walk_report(ccp_walk *w, const char *rule, ccp_severity sev,
			  const ccp_node *at, const char *fmt, ...)
{
	ccp_buf b = CCP_BUF_INIT;
	va_list ap;
	ccp_diag *g;

	va_start(ap, fmt);
	ccp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	g = ccp_diags_add(w->diags, rule, sev, at, NULL, "%s", ccp_buf_cstr(&b));
	ccp_buf_release(&b);
	if (g && g->severity == CCP_SEV_ERROR)
		w->errors++;
	return g;
}

int ccp_walk_check_name(ccp_walk *w, const ccp_node *n, const char *what,
			size_t max)
{
	size_t at;
	ccp_name_fault f = ccp_name_check(n->value, n->len, max, &at);
	const char *bad = n->value + at;
	ccp_diag *g;

	switch (f) {
	case CCP_NAME_OK:
	case CCP_NAME_EMPTY:   /* CCP-S012's */
		return 0;
	case CCP_NAME_CONTROL:
	case CCP_NAME_NUL:
		g = ccp_walk_report(w, "CCP-S010", CCP_SEV_ERROR, n,
				    "%s '%s' contains a control character (0x%02x)",
				    what, n->value, (unsigned)(unsigned char)*bad);
		break;
	case CCP_NAME_NON_ASCII:
		g = ccp_walk_report(w, "CCP-S010", CCP_SEV_ERROR, n,
				    "%s '%s' contains U+%04lX, which is not ASCII",
				    what, n->value, ccp_name_codepoint(bad, n->len - at));
		ccp_diag_set_hint(g, "NVFlare's names are ASCII; invisible, zero-width and "
				  "right-to-left characters make one name look like another");
		return 1;
	case CCP_NAME_DOTS:
		if (at == 0 && !(n->len > 1 && bad[1] == '.')) {
			g = ccp_walk_report(w, "CCP-S010", CCP_SEV_ERROR, n,
					    "%s '%s' starts with '.', which would make a hidden folder",
					    what, n->value);
			break;
		}
		/* fall through */
	case CCP_NAME_SEPARATOR:
	case CCP_NAME_QUOTE:
		g = ccp_walk_report(w, "CCP-S010", CCP_SEV_ERROR, n,
				    "%s '%s' contains '%.*s', which would break kit paths, JSON or scripts",
				    what, n->value, *bad == '.' ? 2 : 1, bad);
		break;
	case CCP_NAME_TOO_LONG:
	default:
		g = ccp_walk_report(w, "CCP-S010", CCP_SEV_ERROR, n,
				    "%s '%s' is %zu characters; as part of a file name it may have at most %zu",
				    what, n->value, n->len, max);
		return 1;
	}
	ccp_diag_set_hint(g, "names become folder names, certificate subjects and JSON values");
	return 1;
}

/* ---- walking ---- */

const ccp_field_ext *ccp_schema_find_ext(const ccp_schema_def *def,
					 const cyaml_schema_field_t *fields,
					 const char *key)
{
	size_t i;

	for (i = 0; i < def->n_ext; i++) {
		const ccp_field_ext *e = &def->ext[i];

		if (e->fields != fields)
			continue;
		if ((!key && !e->key) || (key && e->key && strcmp(key, e->key) == 0))
			return e;
	}
	return NULL;
}

static const char *label_of(const ccp_node *n, char *buf, size_t size)
{
	if (n->key)
		snprintf(buf, size, "'%s'", n->key);
	else if (n->index >= 0 && n->parent && n->parent->key)
		snprintf(buf, size, "'%s' entry %ld", n->parent->key, (long)n->index + 1);
	else
		snprintf(buf, size, "the value");
	return buf;
}

static ccp_diag *wrong_type(ccp_walk *w, const ccp_node *n, const char *want)
{
	char label[160];

	return ccp_walk_report(w, "CCP-S003", CCP_SEV_ERROR, n, "%s must be %s, not %s %s",
			       label_of(n, label, sizeof(label)), want,
			       n->kind == CCP_NODE_SCALAR && n->stype == CCP_SCALAR_INT ?
			       "an" : "a", ccp_node_type_name(n));
}

int ccp_schema_non_string(const ccp_node *n)
{
	return n && n->kind == CCP_NODE_SCALAR &&
	       (n->stype == CCP_SCALAR_INT || n->stype == CCP_SCALAR_FLOAT ||
		n->stype == CCP_SCALAR_BOOL);
}

/*
 * PyYAML hands NVFlare an int, a float or a bool for `7`, `1.5` or `yes`,
 * and those break the paths, JSON and certificate subjects a string
 * field ends up in.
 */
int ccp_walk_want_string(ccp_walk *w, const ccp_node *n, const char *want)
{
	ccp_diag *g;

	if (!ccp_schema_non_string(n))
		return 0;
	g = wrong_type(w, n, want);
	if (n->quoted)
		ccp_diag_set_hint(g, "its tag makes it %s %s; drop the tag",
				  n->stype == CCP_SCALAR_INT ? "an" : "a",
				  ccp_node_type_name(n));
	else
		ccp_diag_set_hint(g, "quote it: '%s'", n->value);
	return 1;
}

static void walk_value(ccp_walk *w, const ccp_schema_def *def,
		       const cyaml_schema_value_t *v, const ccp_field_ext *ext,
		       const ccp_node *n);

static void check_range(ccp_walk *w, const ccp_field_ext *ext, const ccp_node *n)
{
	long long x;
	char label[160];

	if (!ext || !ext->has_range)
		return;
	if (ccp_node_int(n, &x) < 0) {
		ccp_walk_report(w, "CCP-S006", CCP_SEV_ERROR, n,
				"%s is out of range", label_of(n, label, sizeof(label)));
		return;
	}
	if (x < ext->min || x > ext->max) {
		ccp_diag *g;

		if (ext->max == 0x7fffffffffffffffLL)
			g = ccp_walk_report(w, "CCP-S006", CCP_SEV_ERROR, n,
					    "%s is %lld; it must be at least %lld",
					    label_of(n, label, sizeof(label)), x, ext->min);
		else
			g = ccp_walk_report(w, "CCP-S006", CCP_SEV_ERROR, n,
					    "%s is %lld; it must be between %lld and %lld",
					    label_of(n, label, sizeof(label)), x, ext->min,
					    ext->max);
		(void)g;
	}
}

static void check_enum(ccp_walk *w, const cyaml_schema_value_t *v,
		       const ccp_node *n)
{
	const char *cands[32];
	const char *s = ccp_node_str(n);
	char label[160];
	ccp_buf list = CCP_BUF_INIT;
	uint32_t i;
	ccp_diag *g;
	const char *sug;

	if (n->kind != CCP_NODE_SCALAR || !s) {
		wrong_type(w, n, "a string");
		return;
	}
	for (i = 0; i < v->enumeration.count && i < 32; i++)
		if (strcmp(v->enumeration.strings[i].str, s) == 0)
			return;
	/* unknown: the hint lists what is allowed */
	for (i = 0; i < v->enumeration.count && i < 32; i++) {
		cands[i] = v->enumeration.strings[i].str;
		ccp_buf_printf(&list, "%s%s", i ? ", " : "", cands[i]);
	}
	g = ccp_walk_report(w, "CCP-S005", CCP_SEV_ERROR, n,
			    "%s has unknown value '%s'",
			    label_of(n, label, sizeof(label)), s);
	sug = ccp_suggest(s, cands, i);
	if (sug)
		ccp_diag_set_hint(g, "did you mean '%s'? allowed: %s", sug,
				  ccp_buf_cstr(&list));
	else
		ccp_diag_set_hint(g, "allowed: %s", ccp_buf_cstr(&list));
	ccp_buf_release(&list);
}

static void check_soft(ccp_walk *w, const ccp_field_ext *ext, const ccp_node *n)
{
	const char *s = ccp_node_str(n);
	const char *const *p;
	char label[160];
	size_t count = 0;
	ccp_diag *g;
	const char *sug;
	ccp_buf list = CCP_BUF_INIT;

	if (!ext || !ext->soft_values || !s)
		return;
	/* NVFlare's simple-name pattern is the org pattern */
	if (ext->simple_name && !ccp_name_is_org(s))
		return;
	for (p = ext->soft_values; *p; p++)
		if (strcmp(*p, s) == 0)
			return;
	/* unrecognised: the hint lists what is known */
	for (p = ext->soft_values; *p; p++, count++)
		ccp_buf_printf(&list, "%s%s", count ? ", " : "", *p);
	g = ccp_walk_report(w, "CCP-S011", CCP_SEV_WARNING, n,
			    "%s has unrecognised value '%s'",
			    label_of(n, label, sizeof(label)), s);
	sug = ccp_suggest(s, ext->soft_values, count);
	if (sug)
		ccp_diag_set_hint(g, "did you mean '%s'? known: %s", sug,
				  ccp_buf_cstr(&list));
	else
		ccp_diag_set_hint(g, "known: %s", ccp_buf_cstr(&list));
	ccp_buf_release(&list);
}

/*
 * The walk's memo of a mapping schema's fields, made on first use; NULL
 * when the walk holds all the memos it may, or out of memory.
 */
static const ccp_walk_memo *memo_of(ccp_walk *w, const ccp_schema_def *def,
				    const cyaml_schema_field_t *fields)
{
	ccp_walk_memo *m;
	size_t i, n = 0;
	void *block;

	for (i = 0; i < w->nmemo; i++)
		if (w->memo[i].fields == fields)
			return &w->memo[i];
	if (w->nmemo == CCP_WALK_MEMOS)
		return NULL;
	while (fields[n].key)
		n++;
	block = malloc(n ? n * (sizeof(size_t) + sizeof(ccp_field_ext *)) : 1);
	if (!block)
		return NULL;
	m = &w->memo[w->nmemo++];
	m->lens = block;
	m->ext = (const ccp_field_ext **)(void *)(m->lens + n);
	for (i = 0; i < n; i++) {
		m->lens[i] = strlen(fields[i].key);
		m->ext[i] = ccp_schema_find_ext(def, fields, fields[i].key);
	}
	m->n = n;
	m->mext = ccp_schema_find_ext(def, fields, NULL);
	m->fields = fields;
	return m;
}

/* The index of key k among fields, or SIZE_MAX. */
static size_t field_index(const ccp_walk_memo *m,
			  const cyaml_schema_field_t *fields, const ccp_node *k)
{
	size_t i;

	if (!m) {
		for (i = 0; fields[i].key; i++)
			if (strcmp(fields[i].key, k->value) == 0)
				return i;
		return SIZE_MAX;
	}
	for (i = 0; i < m->n; i++)
		if (m->lens[i] == k->len && fields[i].key[0] == k->value[0] &&
		    memcmp(fields[i].key, k->value, k->len) == 0)
			return i;
	return SIZE_MAX;
}

static void unknown_key(ccp_walk *w, const ccp_node *k, int policy,
			const char *const *cands, size_t ncands)
{
	const char *sug = ccp_suggest(k->value, cands, ncands);
	ccp_diag *g;

	if (policy == CCP_UNKNOWN_ALLOW)
		return;
	if (policy == CCP_UNKNOWN_NOTE && !sug)
		return;
	g = ccp_walk_report(w, policy == CCP_UNKNOWN_NOTE ?
			    "CCP-S002" : "CCP-S001",
			    policy == CCP_UNKNOWN_NOTE ?
			    CCP_SEV_WARNING : CCP_SEV_ERROR, k,
			    policy == CCP_UNKNOWN_NOTE ?
			    "participant property '%s' is unknown; NVFlare ignores it and uses the default" :
			    "unknown key '%s'", k->value);
	if (sug)
		ccp_diag_set_hint(g, "did you mean '%s'?", sug);
}

void ccp_walk_mapping(ccp_walk *w, const ccp_schema_def *def,
		      const cyaml_schema_value_t *schema, const ccp_node *n)
{
	const cyaml_schema_field_t *fields = schema->mapping.fields;
	const cyaml_schema_field_t *f;
	const ccp_walk_memo *m = memo_of(w, def, fields);
	const ccp_field_ext *mext = m ? m->mext : ccp_schema_find_ext(def, fields, NULL);
	int policy = mext ? mext->unknown : CCP_UNKNOWN_ERROR;
	size_t i;

	if (n->kind != CCP_NODE_MAP) {
		wrong_type(w, n, "a mapping");
		return;
	}
	for (i = 0; i < n->count; i++) {
		const ccp_node *k = n->pairs[i].key;
		const ccp_node *val = n->pairs[i].value;
		size_t at = field_index(m, fields, k);

		if (at == SIZE_MAX) {
			const char *cands[64];
			size_t ncands = 0;

			for (f = fields; f->key && ncands < 64; f++)
				cands[ncands++] = f->key;
			unknown_key(w, k, policy, cands, ncands);
			continue;
		}
		f = &fields[at];
		/*
		 * A null optional value means absent; a null required one is
		 * reported once, as CCP-S004, by the loop below.
		 */
		if (ccp_node_is_null(val))
			continue;
		walk_value(w, def, &f->value,
			   m ? m->ext[at] : ccp_schema_find_ext(def, fields, f->key), val);
	}
	for (f = fields; f->key; f++) {
		const ccp_node *val;

		if (f->value.flags & CYAML_FLAG_OPTIONAL)
			continue;
		val = ccp_node_get(n, f->key);
		if (!val) {
			ccp_diag *g = ccp_walk_report(w, "CCP-S004", CCP_SEV_ERROR, n,
						      "missing required key '%s'", f->key);
			(void)g;
		} else if (ccp_node_is_null(val)) {
			ccp_walk_report(w, "CCP-S004", CCP_SEV_ERROR, val,
					"required key '%s' has no value", f->key);
		}
	}
	if (mext && mext->check)
		mext->check(w, n);
}

static void walk_ignored(ccp_walk *w, const ccp_schema_def *def,
			 const ccp_field_ext *ext, const ccp_node *n)
{
	size_t i;

	if (!ext)
		return;
	if (ext->alt_list) {
		if (n->kind == CCP_NODE_SEQ) {
			for (i = 0; i < n->count; i++)
				if (!ccp_node_str(n->items[i]) ||
				    n->items[i]->kind != CCP_NODE_SCALAR)
					wrong_type(w, n->items[i], "a string");
				else if (!ext->any_scalar)
					ccp_walk_want_string(w, n->items[i], "a string");
		} else if (n->kind != CCP_NODE_SCALAR || !ccp_node_str(n)) {
			wrong_type(w, n, "a string or a list of strings");
			return;
		} else if (!ext->any_scalar &&
			   ccp_walk_want_string(w, n, "a string or a list of strings")) {
			return;
		}
	}
	if (ext->alt_map) {
		if (n->kind == CCP_NODE_MAP)
			ccp_walk_mapping(w, def, ext->alt_map, n);
		else if (n->kind != CCP_NODE_SCALAR || !ccp_node_str(n)) {
			wrong_type(w, n, "a string or a mapping");
			return;
		} else if (!ext->any_scalar &&
			   ccp_walk_want_string(w, n, "a string or a mapping")) {
			return;
		}
	}
	if (ext->check)
		ext->check(w, n);
}

/* A string value: 1 when it is one (the field's checks may follow). */
static int walk_string(ccp_walk *w, const cyaml_schema_value_t *v,
		       const ccp_field_ext *ext, const ccp_node *n)
{
	char label[160];

	if (n->kind != CCP_NODE_SCALAR || n->stype == CCP_SCALAR_NULL) {
		wrong_type(w, n, "a string");
		return 0;
	}
	if (!(ext && ext->any_scalar) && ccp_walk_want_string(w, n, "a string"))
		return 0;
	if (n->len < v->string.min) {
		ccp_walk_report(w, "CCP-S012", CCP_SEV_ERROR, n,
				"%s must not be empty", label_of(n, label, sizeof(label)));
		return 0;
	}
	check_soft(w, ext, n);
	return 1;
}

static void walk_value(ccp_walk *w, const ccp_schema_def *def,
		       const cyaml_schema_value_t *v, const ccp_field_ext *ext,
		       const ccp_node *n)
{
	size_t i;
	char label[160];

	switch (v->type) {
	case CYAML_INT:
	case CYAML_UINT:
		if (n->kind != CCP_NODE_SCALAR || n->stype != CCP_SCALAR_INT) {
			wrong_type(w, n, "an integer");
			return;
		}
		check_range(w, ext, n);
		break;
	case CYAML_BOOL:
		if (n->kind != CCP_NODE_SCALAR || n->stype != CCP_SCALAR_BOOL) {
			wrong_type(w, n, "true or false");
			return;
		}
		break;
	case CYAML_ENUM:
		check_enum(w, v, n);
		return;
	case CYAML_STRING:
		if (!walk_string(w, v, ext, n))
			return;
		break;
	case CYAML_MAPPING:
		ccp_walk_mapping(w, def, v, n);
		return;
	case CYAML_SEQUENCE:
	case CYAML_SEQUENCE_FIXED:
		if (n->kind != CCP_NODE_SEQ) {
			wrong_type(w, n, "a list");
			return;
		}
		if (n->count < v->sequence.min) {
			ccp_walk_report(w, "CCP-S012", CCP_SEV_ERROR, n,
					"%s must not be empty",
					label_of(n, label, sizeof(label)));
		}
		for (i = 0; i < n->count; i++)
			walk_value(w, def, v->sequence.entry, ext, n->items[i]);
		if (ext && ext->check)
			ext->check(w, n);
		return;
	case CYAML_IGNORE:
		walk_ignored(w, def, ext, n);
		return;
	default:
		break;
	}
	if (ext && ext->check)
		ext->check(w, n);
}

static const ccp_schema_def *def_of(ccp_kind kind)
{
	return kind == CCP_KIND_PROJECT ? &ccp_project_schema_def :
	       &ccp_cc_config_schema_def;
}

size_t ccp_schema_check(ccp_kind kind, const ccp_node *root, ccp_diags *d)
{
	ccp_walk w;
	const ccp_schema_def *def = def_of(kind);
	size_t i;

	memset(&w, 0, sizeof(w));
	w.diags = d;
	w.kind = kind;
	if (root)
		walk_value(&w, def, def->top, NULL, root);
	for (i = 0; i < w.nmemo; i++)
		free(w.memo[i].lens);
	return w.errors;
}

/* ---- shared checks ---- */

void ccp_check_string_map(ccp_walk *w, const ccp_node *n)
{
	size_t i;

	if (n->kind != CCP_NODE_MAP) {
		wrong_type(w, n, "a mapping");
		return;
	}
	for (i = 0; i < n->count; i++) {
		const ccp_node *v = n->pairs[i].value;

		if (v->kind != CCP_NODE_SCALAR || !ccp_node_str(v))
			wrong_type(w, v, "a string");
		else
			ccp_walk_want_string(w, v, "a string");
	}
}

void ccp_check_host_map(ccp_walk *w, const ccp_node *n)
{
	size_t i;

	if (n->kind != CCP_NODE_MAP) {
		wrong_type(w, n, "a mapping of host names to IP addresses");
		return;
	}
	for (i = 0; i < n->count; i++) {
		const ccp_node *k = n->pairs[i].key;
		const ccp_node *v = n->pairs[i].value;
		const char *ip = ccp_node_str(v);

		if (!ccp_name_is_hostname(k->value))
			ccp_walk_report(w, "CCP-S007", CCP_SEV_ERROR, k,
					"'%s' is not a valid host name", k->value);
		if (v->kind != CCP_NODE_SCALAR || !ip) {
			wrong_type(w, v, "an IP address");
		} else if (!ccp_name_is_ip(ip)) {
			ccp_diag *g = ccp_walk_report(w, "CCP-S007", CCP_SEV_ERROR, v,
						      "'%s' is not an IP address", ip);

			ccp_diag_set_hint(g, "hosts_entries maps a host name to the IP address written into the CVM's /etc/hosts");
		}
	}
}

/* ---- typed loading through libcyaml ---- */

/*
 * libcyaml reads YAML text. When the tree is more than its file's text
 * says to libcyaml (includes, merge keys, anchors, YAML 1.1 integers,
 * null values), the clean tree is emitted again as one document.
 * Null values are left out: libcyaml treats absent optional fields as
 * zero, which is what a null means to NVFlare.
 */
static int emit_node(yaml_emitter_t *em, const ccp_node *n);

static int emit_scalar(yaml_emitter_t *em, const ccp_node *n)
{
	yaml_event_t ev;
	int plain = n->stype != CCP_SCALAR_STR;
	const char *text = n->value;
	size_t len = n->len;
	char canon[32];
	long long iv;

	/*
	 * libcyaml reads integers with strtoll, so YAML 1.1 forms that
	 * strtoll does not share would load as other numbers ('1_000'
	 * as 1, '0b101' as 0): write the value the walker resolved.
	 */
	if (n->stype == CCP_SCALAR_INT && ccp_node_int(n, &iv) == 0) {
		snprintf(canon, sizeof(canon), "%lld", iv);
		text = canon;
		len = strlen(canon);
	}
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL,
					  (yaml_char_t *)text, (int)len,
					  plain, !plain,
					  plain ? YAML_PLAIN_SCALAR_STYLE :
					  YAML_DOUBLE_QUOTED_SCALAR_STYLE))
		return -1;
	return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

/* A mapping's pairs (a null value is an absent key) or a list's items. */
static int emit_children(yaml_emitter_t *em, const ccp_node *n)
{
	size_t i;

	for (i = 0; i < n->count; i++) {
		if (n->kind == CCP_NODE_SEQ) {
			if (emit_node(em, n->items[i]) < 0)
				return -1;
		} else if (!ccp_node_is_null(n->pairs[i].value) &&
			   (emit_node(em, n->pairs[i].key) < 0 ||
			    emit_node(em, n->pairs[i].value) < 0)) {
			return -1;
		}
	}
	return 0;
}

static int emit_node(yaml_emitter_t *em, const ccp_node *n)
{
	yaml_event_t ev;
	int map = n->kind == CCP_NODE_MAP;

	if (n->kind == CCP_NODE_SCALAR)
		return emit_scalar(em, n);
	if (!(map ? yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
							YAML_BLOCK_MAPPING_STYLE) :
	      yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
						   YAML_BLOCK_SEQUENCE_STYLE)) ||
	    !yaml_emitter_emit(em, &ev) || emit_children(em, n) < 0)
		return -1;
	if (!(map ? yaml_mapping_end_event_initialize(&ev) :
	      yaml_sequence_end_event_initialize(&ev)))
		return -1;
	return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

static int write_to_buf(void *data, unsigned char *buffer, size_t size)
{
	return ccp_buf_put(data, buffer, size) == 0;
}

static int emit_tree(ccp_buf *out, const ccp_node *root)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	int rc = -1;

	if (!yaml_emitter_initialize(&em))
		return -1;
	yaml_emitter_set_output(&em, write_to_buf, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) ||
	    !yaml_emitter_emit(&em, &ev))
		goto cleanup;
	if (!yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) ||
	    !yaml_emitter_emit(&em, &ev))
		goto cleanup;
	if (emit_node(&em, root) < 0)
		goto cleanup;
	if (!yaml_document_end_event_initialize(&ev, 1) ||
	    !yaml_emitter_emit(&em, &ev))
		goto cleanup;
	if (!yaml_stream_end_event_initialize(&ev) || !yaml_emitter_emit(&em, &ev))
		goto cleanup;
	rc = ccp_buf_failed(out) ? -1 : 0;
cleanup:
	yaml_emitter_delete(&em);
	return rc;
}

/*
 * libcyaml, the typed loader, is loaded at first use: only a kit is
 * built from the typed views, and a library the executable names is
 * mapped and relocated before main() for every `ccprov lint` too.
 */
typedef struct cyaml_api {
	cyaml_err_t (*cyaml_load_data)(const uint8_t *input, size_t input_len,
				       const cyaml_config_t *config,
				       const cyaml_schema_value_t *schema,
				       cyaml_data_t **data_out,
				       unsigned *seq_count_out);
	cyaml_err_t (*cyaml_free)(const cyaml_config_t *config,
				  const cyaml_schema_value_t *schema,
				  cyaml_data_t *data, unsigned seq_count);
	void *(*cyaml_mem)(void *ctx, void *ptr, size_t size);
} cyaml_api;

static const ccp_dynlib_sym cyaml_syms[] = {
	{ "cyaml_load_data", offsetof(cyaml_api, cyaml_load_data) },
	{ "cyaml_free", offsetof(cyaml_api, cyaml_free) },
	{ "cyaml_mem", offsetof(cyaml_api, cyaml_mem) },
};

static cyaml_api cyaml;
static cyaml_config_t cyaml_cfg;
static int cyaml_ok;
static pthread_once_t cyaml_once = PTHREAD_ONCE_INIT;

static void cyaml_bind(void)
{
	if (ccp_dynlib_bind(CCPROV_CYAML_SONAME, &cyaml, cyaml_syms,
			    sizeof(cyaml_syms) / sizeof(cyaml_syms[0])) < 0)
		return;
	cyaml_cfg.log_fn = NULL;
	cyaml_cfg.mem_fn = cyaml.cyaml_mem;
	cyaml_cfg.log_level = CYAML_LOG_ERROR;
	cyaml_cfg.flags = CYAML_CFG_IGNORE_UNKNOWN_KEYS;
	cyaml_ok = 1;
}

const char *ccp_schema_typed_loader(void)
{
	pthread_once(&cyaml_once, cyaml_bind);
	return cyaml_ok ? NULL : CCPROV_CYAML_SONAME;
}

static int load_text(ccp_kind kind, const char *text, size_t len, void **out)
{
	cyaml_data_t *data = NULL;

	if (ccp_schema_typed_loader() ||
	    cyaml.cyaml_load_data((const uint8_t *)text, len, &cyaml_cfg,
				  def_of(kind)->top, &data, NULL) != CYAML_OK)
		return -1;
	*out = data;
	return 0;
}

int ccp_schema_load_tree(ccp_kind kind, const ccp_node *root, void **out)
{
	ccp_buf b = CCP_BUF_INIT;
	int rc = -1;

	*out = NULL;
	if (root && emit_tree(&b, root) == 0)
		rc = load_text(kind, b.data, b.len, out);
	ccp_buf_release(&b);
	return rc;
}

/* A document read as written is not emitted again: see ccp_yaml_source. */
int ccp_schema_load(ccp_kind kind, const ccp_node *root, void **out)
{
	const char *text;
	size_t len;

	*out = NULL;
	if (root && ccp_yaml_source(root, &text, &len) == 0)
		return load_text(kind, text, len, out);
	return ccp_schema_load_tree(kind, root, out);
}

void ccp_schema_free(ccp_kind kind, void *data)
{
	/* data came from the loader, so it is bound */
	if (data && cyaml_ok)
		cyaml.cyaml_free(&cyaml_cfg, def_of(kind)->top, data, 0);
}
