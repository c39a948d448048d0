/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CCPROV_YAML_INTERNAL_H
#define CCPROV_YAML_INTERNAL_H

#include "ccprov/yaml.h"

/* dir + "/" + rel, or rel when absolute or dir is "."; caller frees. */
char *ccp_path_join(const char *dir, const char *rel);
/* The folder part of a path ("." when none); caller frees. */
char *ccp_path_dirname(const char *path);
ccp_diags *ccp_yaml_set_diags(ccp_yaml_set *set);

#endif
