/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON Schema (draft 2020-12) for editors, generated from the same
 * libcyaml tables and extensions the walker checks with, so that the two
 * cannot drift apart. What only a custom check knows (name forms, host
 * maps) stays with ccprov; the schema says what the tables say.
 */
#include <string.h>

#include "ccprov/json.h"
#include "schema_internal.h"

#define JSON_SCHEMA_DIALECT "https://json-schema.org/draft/2020-12/schema"

/* Schemas nest a few levels; deeper means a cycle in the tables. */
#define SCHEMA_MAX_DEPTH 16

static void emit_value(ccp_jw *w, const ccp_schema_def *def,
		       const cyaml_schema_value_t *v, const ccp_field_ext *ext,
		       int depth);

/* NVFlare's `include:` may appear in any mapping (merged on load). */
static void emit_include(ccp_jw *w)
{
	ccp_jw_key(w, "include");
	ccp_jw_object_begin(w);
	ccp_jw_key(w, "description");
	ccp_jw_string(w, "files merged into this mapping, relative to this file");
	ccp_jw_key(w, "anyOf");
	ccp_jw_array_begin(w);
	ccp_jw_object_begin(w);
	ccp_jw_key(w, "type");
	ccp_jw_string(w, "string");
	ccp_jw_object_end(w);
	ccp_jw_object_begin(w);
	ccp_jw_key(w, "type");
	ccp_jw_string(w, "array");
	ccp_jw_key(w, "items");
	ccp_jw_object_begin(w);
	ccp_jw_key(w, "type");
	ccp_jw_string(w, "string");
	ccp_jw_object_end(w);
	ccp_jw_object_end(w);
	ccp_jw_array_end(w);
	ccp_jw_object_end(w);
}

static void emit_mapping(ccp_jw *w, const ccp_schema_def *def,
			 const cyaml_schema_value_t *v, int depth)
{
	const cyaml_schema_field_t *fields = v->mapping.fields, *f;
	const ccp_field_ext *mext = ccp_schema_find_ext(def, fields, NULL);
	int nreq = 0;

	ccp_jw_key(w, "type");
	ccp_jw_string(w, "object");
	ccp_jw_key(w, "properties");
	ccp_jw_object_begin(w);
	for (f = fields; f->key; f++) {
		ccp_jw_key(w, f->key);
		if (f->value.flags & CYAML_FLAG_OPTIONAL) {
			/* an optional key left empty (null) counts as absent */
			ccp_jw_object_begin(w);
			ccp_jw_key(w, "anyOf");
			ccp_jw_array_begin(w);
			emit_value(w, def, &f->value, ccp_schema_find_ext(def, fields, f->key), depth + 1);
			ccp_jw_object_begin(w);
			ccp_jw_key(w, "type");
			ccp_jw_string(w, "null");
			ccp_jw_object_end(w);
			ccp_jw_array_end(w);
			ccp_jw_object_end(w);
		} else {
			emit_value(w, def, &f->value, ccp_schema_find_ext(def, fields, f->key), depth + 1);
			nreq++;
		}
	}
	emit_include(w);
	ccp_jw_object_end(w);
	if (nreq) {
		ccp_jw_key(w, "required");
		ccp_jw_array_begin(w);
		for (f = fields; f->key; f++)
			if (!(f->value.flags & CYAML_FLAG_OPTIONAL))
				ccp_jw_string(w, f->key);
		ccp_jw_array_end(w);
	}
	/* open mappings (participant properties) take any other key */
	if (!mext || mext->unknown == CCP_UNKNOWN_ERROR) {
		ccp_jw_key(w, "additionalProperties");
		ccp_jw_bool(w, 0);
	}
}

static void emit_type(ccp_jw *w, const char *type)
{
	ccp_jw_key(w, "type");
	ccp_jw_string(w, type);
}

static void emit_value(ccp_jw *w, const ccp_schema_def *def,
		       const cyaml_schema_value_t *v, const ccp_field_ext *ext,
		       int depth)
{
	uint32_t i;

	ccp_jw_object_begin(w);
	if (depth > SCHEMA_MAX_DEPTH) {
		ccp_jw_object_end(w);
		return;
	}
	switch (v->type) {
	case CYAML_INT:
	case CYAML_UINT:
		emit_type(w, "integer");
		if (ext && ext->has_range) {
			ccp_jw_key(w, "minimum");
			ccp_jw_int(w, ext->min);
			ccp_jw_key(w, "maximum");
			ccp_jw_int(w, ext->max);
		}
		break;
	case CYAML_BOOL:
		emit_type(w, "boolean");
		break;
	case CYAML_FLOAT:
		emit_type(w, "number");
		break;
	case CYAML_ENUM:
		emit_type(w, "string");
		ccp_jw_key(w, "enum");
		ccp_jw_array_begin(w);
		for (i = 0; i < v->enumeration.count; i++)
			ccp_jw_string(w, v->enumeration.strings[i].str);
		ccp_jw_array_end(w);
		break;
	case CYAML_STRING:
		if (ext && ext->any_scalar) {
			ccp_jw_key(w, "type");
			ccp_jw_array_begin(w);
			ccp_jw_string(w, "string");
			ccp_jw_string(w, "number");
			ccp_jw_string(w, "boolean");
			ccp_jw_array_end(w);
		} else {
			emit_type(w, "string");
			if (v->string.min) {
				ccp_jw_key(w, "minLength");
				ccp_jw_int(w, v->string.min);
			}
		}
		if (ext && ext->soft_values) {
			/* other values only warn (CCP-S011): examples, not enum */
			ccp_jw_key(w, "examples");
			ccp_jw_array_begin(w);
			for (i = 0; ext->soft_values[i]; i++)
				ccp_jw_string(w, ext->soft_values[i]);
			ccp_jw_array_end(w);
		}
		break;
	case CYAML_MAPPING:
		emit_mapping(w, def, v, depth);
		break;
	case CYAML_SEQUENCE:
	case CYAML_SEQUENCE_FIXED:
		emit_type(w, "array");
		if (v->sequence.min) {
			ccp_jw_key(w, "minItems");
			ccp_jw_int(w, v->sequence.min);
		}
		ccp_jw_key(w, "items");
		/* list entries share the field's extension (port ranges) */
		emit_value(w, def, v->sequence.entry, ext, depth + 1);
		break;
	case CYAML_IGNORE:
		if (ext && (ext->alt_map || ext->alt_list)) {
			ccp_jw_key(w, "anyOf");
			ccp_jw_array_begin(w);
			ccp_jw_object_begin(w);
			emit_type(w, "string");
			ccp_jw_object_end(w);
			if (ext->alt_map) {
				ccp_jw_object_begin(w);
				emit_mapping(w, def, ext->alt_map, depth + 1);
				ccp_jw_object_end(w);
			}
			if (ext->alt_list) {
				ccp_jw_object_begin(w);
				emit_type(w, "array");
				ccp_jw_key(w, "items");
				ccp_jw_object_begin(w);
				emit_type(w, "string");
				ccp_jw_object_end(w);
				ccp_jw_object_end(w);
			}
			ccp_jw_array_end(w);
		}
		break;
	default:
		break;
	}
	ccp_jw_object_end(w);
}

int ccp_schema_json(ccp_buf *out, ccp_kind kind)
{
	const ccp_schema_def *def = kind == CCP_KIND_PROJECT ?
				    &ccp_project_schema_def : &ccp_cc_config_schema_def;
	ccp_jw w;

	ccp_jw_init(&w, out, 2);
	ccp_jw_object_begin(&w);
	ccp_jw_key(&w, "$schema");
	ccp_jw_string(&w, JSON_SCHEMA_DIALECT);
	ccp_jw_key(&w, "title");
	ccp_jw_string(&w, kind == CCP_KIND_PROJECT ? "NVFlare project file (ccprov)" :
		      "NVFlare cc_config file (ccprov)");
	ccp_jw_key(&w, "description");
	ccp_jw_string(&w, "Generated by `ccprov schema` from the tables ccprov lint "
		      "checks with; ccprov lint checks more (names, ports, policy).");
	emit_mapping(&w, def, def->top, 0);
	ccp_jw_object_end(&w);
	ccp_buf_putc(out, '\n');
	return ccp_buf_failed(out) ? -1 : 0;
}
