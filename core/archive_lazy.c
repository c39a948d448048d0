/* SPDX-License-Identifier: Apache-2.0 */
#define CCP_ARCHIVE_LAZY_IMPL
#include <pthread.h>
#include <stddef.h>

#include "archive_lazy.h"
#include "dynlib.h"

static const ccp_dynlib_sym syms[] = {
#define CCP_ARCHIVE_SYM(f) { #f, offsetof(ccp_archive_api, f) },
	CCP_ARCHIVE_FUNCS(CCP_ARCHIVE_SYM)
#undef CCP_ARCHIVE_SYM
};

static struct archive *no_read_new(void)
{
	return NULL;
}

static struct archive *no_write_new(void)
{
	return NULL;
}

static struct archive_entry *no_entry_new(void)
{
	return NULL;
}

/* what callers see when the library cannot be loaded: no objects */
static const ccp_archive_api missing = {
	.archive_read_new = no_read_new,
	.archive_write_new = no_write_new,
	.archive_entry_new = no_entry_new,
};

static ccp_archive_api loaded;
static const ccp_archive_api *api = &missing;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	if (ccp_dynlib_bind(CCPROV_ARCHIVE_SONAME, &loaded, syms,
			    sizeof(syms) / sizeof(syms[0])) == 0)
		api = &loaded;
}

const ccp_archive_api *ccp_archive(void)
{
	pthread_once(&once, load);
	return api;
}

int ccp_archive_available(void)
{
	return ccp_archive() == &loaded;
}
