/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CCPROV_YAML_INTERNAL_H
#define CCPROV_YAML_INTERNAL_H

#include "ccprov/yaml.h"

ccp_diags *ccp_yaml_set_diags(ccp_yaml_set *set);
/*
 * The text a document root was parsed from, when another YAML reader
 * given it reads what the tree holds: no include, merge key, anchor,
 * alias or tag, no null mapping value, every integer written as C reads
 * it. 0 with *data and *len (owned by the set), or -1.
 */
int ccp_yaml_source(const ccp_node *root, const char **data, size_t *len);

#endif
