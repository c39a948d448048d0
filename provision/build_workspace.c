/* SPDX-License-Identifier: Apache-2.0 */
/*
 * WorkspaceBuilder: every kit's folders (startup/, local/, transfer/),
 * which the other builders write into.
 */
#include "build_int.h"

#include <stdlib.h>

int ccp_prov_build_workspace(const char *kits_dir, const ccp_kit_project *p,
			     ccp_error *err)
{
	static const char *const subs[] = { NULL, "startup", "local", "transfer" };
	size_t i, j;
	int rc = 0;

	for (i = 0; i < p->n_participants && rc == 0; i++) {
		const ccp_kit_participant *q = &p->participants[i];

		if (!has_kit(q))
			continue;
		for (j = 0; j < 4 && rc == 0; j++) {
			char *path = ccp_prov_kit_path(kits_dir, q->name,
						       subs[j], NULL);

			rc = path ? ccp_prov_mkdir(path, 0755, err) :
			     ccp_error_set(err, CCP_ENOMEM, "out of memory");
			free(path);
		}
	}
	return rc;
}
