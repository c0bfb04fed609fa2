/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fileio.h - file reads: whole files, binary with a size limit (vBIOS
 * images) or text (configuration), and small text files (sysfs, /proc).
 * Writes go through atomicwrite.h.
 *
 * Every read is bounded and opens with O_NONBLOCK, then checks the open
 * descriptor: only regular files are read (sysfs and /proc attributes
 * are regular files), so a FIFO or a device planted where gpuhelper reads
 * cannot hang it or feed it without end. The one exception is the
 * process's own standard input (/dev/stdin), read to the same bound.
 */
#ifndef GH_FILEIO_H
#define GH_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The largest file gh_load_file() reads, and the largest old file
 * gh_replace_file() backs up: far above any configuration, libvirt domain
 * or vBIOS (32 MiB) gpuhelper handles.
 */
#define GH_LOAD_MAX	(64U << 20)

int gh_read_file(const char *path, unsigned char **data, size_t *len,
		 size_t max);
/* The same from an open descriptor, from its offset to EOF. */
int gh_read_fd(int fd, unsigned char **data, size_t *len, size_t max);
/* Read a whole text file (NUL-terminated); -ENOENT leaves *data NULL. */
int gh_load_file(const char *path, char **data, size_t *len);
int gh_read_text(const char *path, char *buf, size_t len);
/* 0 for a regular file, -EISDIR for a directory, -ENXIO for the rest. */
int gh_fd_regular(int fd);
/* strerror(), with the cause and the fix for the errors of the file layer. */
const char *gh_file_strerror(int err);

#endif /* GH_FILEIO_H */
