/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "ccprov/buf.h"
#include "path.h"

char *ccp_path_join(const char *dir, const char *rel)
{
	ccp_buf b = CCP_BUF_INIT;

	if (rel[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0) {
		ccp_buf_puts(&b, rel);
	} else {
		ccp_buf_puts(&b, dir);
		if (dir[strlen(dir) - 1] != '/')
			ccp_buf_putc(&b, '/');
		while (rel[0] == '.' && rel[1] == '/')
			rel += 2;
		ccp_buf_puts(&b, rel);
	}
	return ccp_buf_detach(&b);
}

char *ccp_path_child(const char *dir, const char *name)
{
	ccp_buf b = CCP_BUF_INIT;

	if (dir && dir[0]) {
		if (strcmp(dir, "/") != 0)
			ccp_buf_puts(&b, dir);
		ccp_buf_putc(&b, '/');
	}
	ccp_buf_puts(&b, name);
	return ccp_buf_detach(&b);
}

char *ccp_path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

const char *ccp_path_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int ccp_path_parent(char *path)
{
	char *slash = strrchr(path, '/');

	if (!slash || strcmp(path, "/") == 0)
		return -1;
	slash[slash == path ? 1 : 0] = '\0';
	return 0;
}
