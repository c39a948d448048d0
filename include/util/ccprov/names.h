/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file names.h
 * The one check for every value that becomes a file name, a certificate
 * field or a JSON string in a kit: project, participant and org names,
 * issuer ids, the CC manager id. Lint reports what it refuses; provision
 * refuses the same, so a project that passes lint cannot fail here.
 */
#ifndef CCPROV_NAMES_H
#define CCPROV_NAMES_H

#include <stddef.h>

/** Longest name that is used as one file name component. */
#define CCP_NAME_MAX_FILE 255
/** Longest certificate subject attribute (X.520 ub-common-name). */
#define CCP_NAME_MAX_CERT 64
/** No length bound (the caller checks length itself). */
#define CCP_NAME_ANY_LENGTH ((size_t)-1)

/** Why a name cannot be used. */
typedef enum ccp_name_fault {
	CCP_NAME_OK = 0,
	CCP_NAME_EMPTY,
	CCP_NAME_NUL,         /**< C code would cut the name there */
	CCP_NAME_CONTROL,     /**< C0 control character or DEL */
	CCP_NAME_NON_ASCII,   /**< C1, bidi, zero-width and every other */
	CCP_NAME_SEPARATOR,   /**< '/' or '\\' */
	CCP_NAME_DOTS,        /**< ".." anywhere, or a leading '.' */
	CCP_NAME_QUOTE,       /**< '"', '\'', '`' or '$' */
	CCP_NAME_TOO_LONG     /**< more than max bytes */
} ccp_name_fault;

/**
 * Check s (len bytes, which may hold NUL) as a name of at most max
 * bytes. NVFlare's names are ASCII, so every byte must be printable
 * ASCII. Returns CCP_NAME_OK or the first fault; at, when given, receives
 * the byte offset of the offending character (len for a length fault).
 */
ccp_name_fault ccp_name_check(const char *s, size_t len, size_t max,
			      size_t *at);

/** A short phrase for a fault: "a control character", "'..'", ... */
const char *ccp_name_fault_text(ccp_name_fault fault);

/**
 * The code point of the UTF-8 sequence at s (len bytes left), or the
 * byte itself when it is not valid UTF-8. For messages.
 */
unsigned long ccp_name_codepoint(const char *s, size_t len);

/**
 * strcasecmp and strncasecmp for names, which are ASCII: A-Z fold to
 * a-z and every other byte compares as itself (what the C locale does,
 * without libc's locale tables).
 */
int ccp_name_casecmp(const char *a, const char *b);
int ccp_name_ncasecmp(const char *a, const char *b, size_t n);

/* Name policies (NVFlare's name checks and ccprov's own); 1 when s is one. */
int ccp_name_is_ip(const char *s);
int ccp_name_is_hostname(const char *s);
int ccp_name_is_client(const char *s);
int ccp_name_is_email(const char *s);
int ccp_name_is_org(const char *s);

#endif
