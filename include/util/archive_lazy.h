/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libarchive, loaded at first use (dynlib.h). It brings libxml2, ICU and
 * libstdc++ with it, which cost more to map and relocate than a whole
 * `ccprov lint` of a small project; most runs never open an archive the
 * built-in reader cannot (rules/docker.c) and need none of it.
 *
 * Include this after <archive.h> and <archive_entry.h>: it turns every
 * call of the functions below into a call through a table that is filled
 * by the first call. When the library cannot be loaded, the constructors
 * (archive_read_new, archive_write_new, archive_entry_new) return NULL,
 * as they do when out of memory; nothing else can then be reached.
 * A function used anywhere in ccprov must be listed here.
 */
#ifndef CCPROV_ARCHIVE_LAZY_H
#define CCPROV_ARCHIVE_LAZY_H

#include <archive.h>
#include <archive_entry.h>

#define CCP_ARCHIVE_FUNCS(X) \
	X(archive_bzlib_version) \
	X(archive_entry_clear) \
	X(archive_entry_filetype) \
	X(archive_entry_free) \
	X(archive_entry_hardlink) \
	X(archive_entry_new) \
	X(archive_entry_pathname) \
	X(archive_entry_perm) \
	X(archive_entry_set_gid) \
	X(archive_entry_set_mode) \
	X(archive_entry_set_mtime) \
	X(archive_entry_set_pathname) \
	X(archive_entry_set_size) \
	X(archive_entry_set_uid) \
	X(archive_entry_size) \
	X(archive_entry_size_is_set) \
	X(archive_entry_symlink) \
	X(archive_errno) \
	X(archive_error_string) \
	X(archive_filter_bytes) \
	X(archive_filter_count) \
	X(archive_liblzma_version) \
	X(archive_libzstd_version) \
	X(archive_read_data_block) \
	X(archive_read_data_skip) \
	X(archive_read_free) \
	X(archive_read_new) \
	X(archive_read_next_header) \
	X(archive_read_open) \
	X(archive_read_open_fd) \
	X(archive_read_open_filename) \
	X(archive_read_open_memory) \
	X(archive_read_support_filter_bzip2) \
	X(archive_read_support_filter_gzip) \
	X(archive_read_support_filter_xz) \
	X(archive_read_support_filter_zstd) \
	X(archive_read_support_format_tar) \
	X(archive_write_add_filter_gzip) \
	X(archive_write_close) \
	X(archive_write_data) \
	X(archive_write_free) \
	X(archive_write_header) \
	X(archive_write_new) \
	X(archive_write_open_fd) \
	X(archive_write_set_filter_option) \
	X(archive_write_set_format_pax_restricted) \
	X(archive_zlib_version)

typedef struct ccp_archive_api {
/* f names a field: it cannot be parenthesised */
#define CCP_ARCHIVE_FIELD(f) __typeof__(f) *f; /* NOLINT(bugprone-macro-parentheses) */
	CCP_ARCHIVE_FUNCS(CCP_ARCHIVE_FIELD)
#undef CCP_ARCHIVE_FIELD
} ccp_archive_api;

/** The loaded functions; loads libarchive on the first call. */
const ccp_archive_api *ccp_archive(void);

/** Whether libarchive could be loaded (loads it on the first call). */
int ccp_archive_available(void);

#ifndef CCP_ARCHIVE_LAZY_IMPL
#define archive_bzlib_version (ccp_archive()->archive_bzlib_version)
#define archive_entry_clear (ccp_archive()->archive_entry_clear)
#define archive_entry_filetype (ccp_archive()->archive_entry_filetype)
#define archive_entry_free (ccp_archive()->archive_entry_free)
#define archive_entry_hardlink (ccp_archive()->archive_entry_hardlink)
#define archive_entry_new (ccp_archive()->archive_entry_new)
#define archive_entry_pathname (ccp_archive()->archive_entry_pathname)
#define archive_entry_perm (ccp_archive()->archive_entry_perm)
#define archive_entry_set_gid (ccp_archive()->archive_entry_set_gid)
#define archive_entry_set_mode (ccp_archive()->archive_entry_set_mode)
#define archive_entry_set_mtime (ccp_archive()->archive_entry_set_mtime)
#define archive_entry_set_pathname (ccp_archive()->archive_entry_set_pathname)
#define archive_entry_set_size (ccp_archive()->archive_entry_set_size)
#define archive_entry_set_uid (ccp_archive()->archive_entry_set_uid)
#define archive_entry_size (ccp_archive()->archive_entry_size)
#define archive_entry_size_is_set (ccp_archive()->archive_entry_size_is_set)
#define archive_entry_symlink (ccp_archive()->archive_entry_symlink)
#define archive_errno (ccp_archive()->archive_errno)
#define archive_error_string (ccp_archive()->archive_error_string)
#define archive_filter_bytes (ccp_archive()->archive_filter_bytes)
#define archive_filter_count (ccp_archive()->archive_filter_count)
#define archive_liblzma_version (ccp_archive()->archive_liblzma_version)
#define archive_libzstd_version (ccp_archive()->archive_libzstd_version)
#define archive_read_data_block (ccp_archive()->archive_read_data_block)
#define archive_read_data_skip (ccp_archive()->archive_read_data_skip)
#define archive_read_free (ccp_archive()->archive_read_free)
#define archive_read_new (ccp_archive()->archive_read_new)
#define archive_read_next_header (ccp_archive()->archive_read_next_header)
#define archive_read_open (ccp_archive()->archive_read_open)
#define archive_read_open_fd (ccp_archive()->archive_read_open_fd)
#define archive_read_open_filename (ccp_archive()->archive_read_open_filename)
#define archive_read_open_memory (ccp_archive()->archive_read_open_memory)
#define archive_read_support_filter_bzip2 (ccp_archive()->archive_read_support_filter_bzip2)
#define archive_read_support_filter_gzip (ccp_archive()->archive_read_support_filter_gzip)
#define archive_read_support_filter_xz (ccp_archive()->archive_read_support_filter_xz)
#define archive_read_support_filter_zstd (ccp_archive()->archive_read_support_filter_zstd)
#define archive_read_support_format_tar (ccp_archive()->archive_read_support_format_tar)
#define archive_write_add_filter_gzip (ccp_archive()->archive_write_add_filter_gzip)
#define archive_write_close (ccp_archive()->archive_write_close)
#define archive_write_data (ccp_archive()->archive_write_data)
#define archive_write_free (ccp_archive()->archive_write_free)
#define archive_write_header (ccp_archive()->archive_write_header)
#define archive_write_new (ccp_archive()->archive_write_new)
#define archive_write_open_fd (ccp_archive()->archive_write_open_fd)
#define archive_write_set_filter_option (ccp_archive()->archive_write_set_filter_option)
#define archive_write_set_format_pax_restricted (ccp_archive()->archive_write_set_format_pax_restricted)
#define archive_zlib_version (ccp_archive()->archive_zlib_version)
#endif

#endif
