/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the loader and the schema walker: any bytes, loaded as
 * a project file and as a cc_config, must give diagnostics, never a
 * crash, a hang or a leak.
 */
#include <stddef.h>
#include <stdint.h>

#include "ccprov/diag.h"
#include "ccprov/schema.h"
#include "ccprov/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ccp_diags diags;
	ccp_yaml_set *set;
	ccp_yaml_doc *doc;
	int k;

	for (k = 0; k < 2; k++) {
		ccp_kind kind = k ? CCP_KIND_CC_CONFIG : CCP_KIND_PROJECT;

		ccp_diags_init(&diags);
		set = ccp_yaml_set_new(&diags);
		if (!set)
			return 0;
		doc = ccp_yaml_load_mem(set, "fuzz.yml", (const char *)data, size);
		if (doc && doc->root && ccp_schema_check(kind, doc->root, &diags) == 0 &&
		    doc->ok) {
			void *typed = NULL;

			if (ccp_schema_load(kind, doc->root, &typed) == 0)
				ccp_schema_free(kind, typed);
		}
		ccp_diags_finish(&diags);
		ccp_yaml_set_free(set);
		ccp_diags_release(&diags);
	}
	return 0;
}
