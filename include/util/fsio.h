/* SPDX-License-Identifier: Apache-2.0 */
/* Small I/O helpers shared across modules. */
#ifndef CCPROV_FSIO_H
#define CCPROV_FSIO_H

#include <stddef.h>

/* Write all of data to fd, retrying on EINTR and short writes; 0 or -1. */
int ccp_write_all(int fd, const void *data, size_t len);

/* The name of the entry in path's folder nearest to path's last
 * component (a likely typo), or NULL; caller frees. Looks at a bounded
 * number of entries. */
char *ccp_path_nearest(const char *path);

#endif
