/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fileio.h - file reads: whole files, binary with a size limit (vBIOS
 * images) or text (configuration), and small text files (sysfs, /proc).
 * Writes go through atomicwrite.h.
 */
#ifndef GH_FILEIO_H
#define GH_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

int gh_read_file(const char *path, unsigned char **data, size_t *len,
		 size_t max);
/* Read a whole file (NUL-terminated); -ENOENT leaves *data NULL. */
int gh_load_file(const char *path, char **data, size_t *len);
int gh_read_text(const char *path, char *buf, size_t len);

#endif /* GH_FILEIO_H */
