/* SPDX-License-Identifier: Apache-2.0 */
/* Small I/O helpers shared across modules. */
#ifndef CCPROV_FSIO_H
#define CCPROV_FSIO_H

#include <stddef.h>

#include "ccprov/error.h"

/* Write all of data to fd, retrying on EINTR and short writes; 0 or -1. */
int ccp_write_all(int fd, const void *data, size_t len);

/* The name of the entry in path's folder nearest to path's last
 * component (a likely typo), or NULL; caller frees. Looks at a bounded
 * number of entries. */
char *ccp_path_nearest(const char *path);

/*
 * Read a whole (small) regular file of at most max bytes; *out malloc'd
 * and NUL-terminated, *len (may be NULL) its length. A symbolic link, a
 * FIFO or a device is refused without blocking. The buffer that held the
 * text is wiped (it may be a key). 0, or CCP_EINVAL (missing, not a
 * regular file), CCP_EIO (unreadable, too large), CCP_ENOMEM.
 */
int ccp_file_read(char **out, size_t *len, const char *path, size_t max,
		  ccp_error *err);

/*
 * The current working folder (canonical, as getcwd(3) gives it), asked
 * of the system once per process: ccprov never changes it. NULL when it
 * cannot be read (a removed folder); it is then asked again next time.
 * Owned by this module.
 */
const char *ccp_cwd(void);

/*
 * realpath(3) of path into out (PATH_MAX bytes): out, or NULL with errno
 * set, exactly as realpath(3) answers. A relative path resolves from
 * ccp_cwd() instead of asking for the folder again; each of its own
 * components is still looked at for a link, as realpath(3) does (any
 * link, "..", or trailing "/" or "/." is left to realpath(3) itself).
 */
char *ccp_realpath(const char *path, char *out);

#endif
