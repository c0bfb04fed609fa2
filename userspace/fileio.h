/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fileio.h - whole-file reads and atomic writes (temp file, fsync, rename,
 * fsync of the directory), so a reader never sees half a file.
 */
#ifndef GH_FILEIO_H
#define GH_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

int gh_read_file(const char *path, unsigned char **data, size_t *len,
		 size_t max);
int gh_write_atomic(const char *path, const void *data, size_t len,
		    mode_t mode);

#endif /* GH_FILEIO_H */
