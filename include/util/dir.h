/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading folders: one folder's names in sorted order, and a walk of a
 * tree that never follows a symbolic link out of it and stops at a
 * depth. Sorted names make every listing, report and archive the same
 * on every file system.
 */
#ifndef CCPROV_DIR_H
#define CCPROV_DIR_H

#include <stddef.h>
#include <sys/stat.h>

#include "ccprov/error.h"

/** Keep names that start with '.' ("." and ".." are never listed). */
#define CCP_DIR_HIDDEN 1u
/** ccp_dir_walk(): visit a folder after its contents rather than before. */
#define CCP_DIR_POST 2u
/** ccp_dir_walk(): pass over a folder that cannot be read or an entry that
 * cannot be stat'ed (gone, no permission) instead of failing. */
#define CCP_DIR_LENIENT 4u

/** From a ccp_dir_walk() callback: do not enter the folder just visited. */
#define CCP_DIR_SKIP 1

typedef struct ccp_dir {
	char **names;    /**< sorted by strcmp; each malloc'd */
	size_t count, cap;
	int truncated;   /**< the folder held more names than asked for */
} ccp_dir;

/*
 * The names in folder dir, at most max of them (the first max the file
 * system gives, then sorted; truncated says there were more). Returns 0,
 * or -1 with errno (from opendir, readdir or ENOMEM) and out empty.
 * Release out with ccp_dir_release() in either case.
 */
int ccp_dir_read(ccp_dir *out, const char *dir, size_t max, unsigned flags);
/* The same for the folder open as dfd (which stays open and unmoved),
 * for walks that hold folders open against renames (openat). */
int ccp_dir_read_at(ccp_dir *out, int dfd, size_t max, unsigned flags);
void ccp_dir_release(ccp_dir *d);

typedef struct ccp_dir_entry {
	const char *path;    /**< root, '/', rel */
	const char *rel;     /**< below root */
	const char *name;    /**< the last component */
	size_t depth;        /**< 1 for root's own entries */
	struct stat st;      /**< from lstat: a link is a link */
} ccp_dir_entry;

/* 0 to go on, CCP_DIR_SKIP, or a negative value that stops the walk. */
typedef int (*ccp_dir_fn)(void *arg, const ccp_dir_entry *e);

/*
 * Visit every entry below folder root, depth first, each folder's names
 * in sorted order (ccp_dir_read() with flags; at most max_names per
 * folder). Entries are lstat'ed: a symbolic link is visited, never
 * followed, so the walk stays inside root. A folder at depth max_depth is
 * visited but not entered. Returns 0, the callback's negative value, or
 * CCP_EIO / CCP_ENOMEM with err set ("cannot read folder '...'",
 * "cannot stat '...'").
 */
int ccp_dir_walk(const char *root, size_t max_depth, size_t max_names,
	     unsigned flags, ccp_dir_fn fn, void *arg, ccp_error *err);

/*
 * Remove path and, when it is a folder, everything below it (links are
 * removed, not followed). A missing path is fine. 0, or CCP_EIO with
 * err set.
 */
int ccp_dir_rmtree(const char *path, ccp_error *err);

#endif
