/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fileio.h - whole-file binary reads with a size limit (vBIOS images).
 * Writes go through atomicwrite.h.
 */
#ifndef GH_FILEIO_H
#define GH_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

int gh_read_file(const char *path, unsigned char **data, size_t *len,
		 size_t max);

#endif /* GH_FILEIO_H */
