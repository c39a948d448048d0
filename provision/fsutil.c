/* SPDX-License-Identifier: Apache-2.0 */
/*
 * File-system helpers for building kits. Every file is created fresh
 * (O_EXCL, O_NOFOLLOW) with an explicit mode, so a stray symlink or a
 * restrictive umask can neither redirect nor weaken what we write.
 */
#include "prov_int.h"
#include "dir.h"
#include "path.h"

#include "ccprov/names.h"
#include "fsio.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include "crypto_lazy.h"

int ccp_prov_name_ok(const char *name)
{
	/* the check lint applies, so a project lint passes cannot fail here */
	return name && ccp_name_check(name, strlen(name), CCP_NAME_MAX_FILE,
				      NULL) == CCP_NAME_OK;
}

int ccp_prov_mkdir(const char *path, mode_t mode, ccp_error *err)
{
	struct stat st;

	if (mkdir(path, mode) == 0)
		return chmod(path, mode) == 0 ? 0 :
		       ccp_error_set(err, CCP_EIO, "cannot set the mode of '%s': %s",
				     path, strerror(errno));
	if (errno == EEXIST && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return ccp_error_set(err, CCP_EIO, "cannot create folder '%s': %s",
			     path, strerror(errno == EEXIST ? ENOTDIR : errno));
}

int ccp_prov_mkdirs(const char *path, mode_t mode, ccp_error *err)
{
	char *tmp = strdup(path);
	char *p;
	int rc = 0;

	if (!tmp)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	for (p = tmp + 1; *p && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			rc = ccp_error_set(err, CCP_EIO, "cannot create folder '%s': %s",
					   tmp, strerror(errno));
		*p = '/';
	}
	if (rc == 0)
		rc = ccp_prov_mkdir(tmp, mode, err);
	free(tmp);
	return rc;
}

int ccp_prov_write(const char *path, const void *data, size_t len,
		   mode_t mode, ccp_error *err)
{
	const char *p = data;
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  mode);
	if (fd < 0)
		return ccp_error_set(err, CCP_EIO, "cannot create '%s': %s", path,
				     strerror(errno));
	if (fchmod(fd, mode) < 0)
		rc = ccp_error_set(err, CCP_EIO, "cannot set the mode of '%s': %s",
				   path, strerror(errno));
	while (rc == 0 && len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = ccp_error_set(err, CCP_EIO, "cannot write '%s': %s",
					   path, strerror(errno));
			break;
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) < 0 && rc == 0)
		rc = ccp_error_set(err, CCP_EIO, "cannot write '%s': %s", path,
				   strerror(errno));
	return rc;
}

/*
 * JSON text with every non-ASCII character written as a \u escape
 * (a surrogate pair above U+FFFF). NVFlare reads the signed startup
 * files as ASCII and stops with an exception on any other byte; the
 * escaped text parses to the same values. Outside strings JSON text is
 * ASCII already, so escaping byte runs is safe.
 */
static char *ascii_json(const char *text)
{
	const char *s = text, *end = text + strlen(text);
	ccp_buf b = CCP_BUF_INIT;
	unsigned long cp;
	size_t n;

	while (*s) {
		if ((unsigned char)*s < 0x80) {
			ccp_buf_putc(&b, *s++);
			continue;
		}
		/* Not UTF-8: keep the byte's value as Latin-1. */
		n = ccp_utf8_seq(s, (size_t)(end - s));
		if (!n)
			n = 1;
		cp = ccp_utf8_decode(s, n);
		if (cp > 0xFFFF) {
			cp -= 0x10000;
			ccp_buf_printf(&b, "\\u%04lx\\u%04lx", 0xD800 | (cp >> 10),
				       0xDC00 | (cp & 0x3FF));
		} else {
			ccp_buf_printf(&b, "\\u%04lx", cp);
		}
		s += n;
	}
	return ccp_buf_detach(&b);
}

int ccp_prov_write_json(const char *path, const ccp_json *v, ccp_error *err)
{
	char *rendered = ccp_json_render(v, 2);
	char *text = rendered ? ascii_json(rendered) : NULL;
	int rc;

	free(rendered);
	if (!text)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	rc = ccp_prov_write(path, text, strlen(text), 0644, err);
	free(text);
	return rc;
}

void ccp_prov_sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int ccp_prov_read(char **out, size_t *len, const char *path, size_t max,
		  ccp_error *err)
{
	return ccp_file_read(out, len, path, max ? max : CCP_PROV_READ_MAX, err);
}

/* Names looked at when removing a run's leftovers. */
#define STALE_MAX_NAMES ((size_t)1 << 20)

int ccp_prov_remove_stale(const char *dir, const char *prefix, size_t tail,
			  ccp_error *err)
{
	size_t plen = strlen(prefix), i;
	ccp_dir names;
	int rc = 0;

	if (ccp_dir_read(&names, dir, STALE_MAX_NAMES, CCP_DIR_HIDDEN) < 0) {
		int e = errno;

		ccp_dir_release(&names);
		return e == ENOENT ? 0 :
		       ccp_error_set(err, CCP_EIO, "cannot read folder '%s': %s", dir,
				     strerror(e));
	}
	for (i = 0; rc == 0 && i < names.count; i++) {
		const char *name = names.names[i];
		char *path;

		if (strncmp(name, prefix, plen) != 0 || strlen(name + plen) != tail)
			continue;
		path = ccp_path_child(dir, name);
		if (!path)
			rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		else if (unlink(path) < 0 && errno != ENOENT)
			rc = ccp_error_set(err, CCP_EIO, "cannot remove '%s': %s", path,
					   strerror(errno));
		free(path);
	}
	ccp_dir_release(&names);
	return rc;
}
