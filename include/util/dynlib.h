/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Libraries loaded at first use. A shared library the executable names
 * is mapped and relocated before main(), for every command; Graphviz and
 * libarchive (with libxml2, ICU and libstdc++ behind it) cost a
 * `ccprov lint` more than its own work, and only some commands need them.
 */
#ifndef CCPROV_DYNLIB_H
#define CCPROV_DYNLIB_H

#include <stddef.h>

/** A function to bind: its name and where its pointer goes in a table. */
typedef struct ccp_dynlib_sym {
	const char *name;
	size_t offset;     /**< offsetof() the pointer in the caller's table */
} ccp_dynlib_sym;

/**
 * Load the library soname and fill table with its functions. Returns 0
 * when every symbol was found, -1 otherwise (the table is then left
 * partly filled and must not be used). The library is never unloaded.
 */
int ccp_dynlib_bind(const char *soname, void *table,
		    const ccp_dynlib_sym *syms, size_t n);

#endif
