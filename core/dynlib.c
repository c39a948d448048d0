/* SPDX-License-Identifier: Apache-2.0 */
#include <dlfcn.h>
#include <string.h>

#include "dynlib.h"

int ccp_dynlib_bind(const char *soname, void *table,
		    const ccp_dynlib_sym *syms, size_t n)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!h)
		return -1;
	for (i = 0; i < n; i++) {
		void *fn = dlsym(h, syms[i].name);

		if (!fn)
			return -1;
		/* POSIX: a function pointer has the size of a void * */
		memcpy((char *)table + syms[i].offset, &fn, sizeof(fn));
	}
	return 0;
}
