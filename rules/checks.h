/*
 * Check functions of the policy rules, one per rule, each in the rules/
 * file of its category. Every one is a row in registry.c.
 */
#ifndef CCPROV_RULES_CHECKS_H
#define CCPROV_RULES_CHECKS_H

#include "lintctx.h"

/* builders and packager (CCP-B) */

/* participants and project (CCP-P) */

/* confidential computing (CCP-C) */

/* network: ports and hosts (CCP-N) */

#endif
