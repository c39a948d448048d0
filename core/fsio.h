/* Small I/O helpers shared across modules. */
#ifndef CCPROV_FSIO_H
#define CCPROV_FSIO_H

#include <stddef.h>

/* Write all of data to fd, retrying on EINTR and short writes; 0 or -1. */
int ccp_write_all(int fd, const void *data, size_t len);

#endif
