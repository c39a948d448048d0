/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lexical path helpers: nothing here touches the file system. Paths are
 * '/'-separated; a trailing slash is not trimmed.
 */
#ifndef CCPROV_PATH_H
#define CCPROV_PATH_H

/*
 * rel as written in a file of folder dir: rel itself when it is absolute
 * or dir is NULL, "" or "."; otherwise dir, one '/', and rel without
 * leading "./" parts. Malloc'd (caller frees), NULL when out of memory.
 */
char *ccp_path_join(const char *dir, const char *rel);

/*
 * The entry name inside folder dir: dir, '/', name ("/name" in the root;
 * any other spelling of dir is kept as given). name alone when dir is
 * NULL or "". Malloc'd (caller frees), NULL when out of memory.
 */
char *ccp_path_child(const char *dir, const char *name);

/* The folder part of path: "." when it has no '/', "/" for "/x";
 * malloc'd (caller frees), NULL when out of memory. */
char *ccp_path_dirname(const char *path);

/* The last component of path (after its last '/'); points into path. */
const char *ccp_path_base(const char *path);

/*
 * Cut path's last component in place ("/a/b" -> "/a", "/a" -> "/").
 * Returns 0, or -1 (path untouched) when path has no '/' or is "/".
 */
int ccp_path_parent(char *path);

#endif
