// SPDX-License-Identifier: GPL-2.0
/*
 * fileio.c - whole-file reads and atomic writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

/**
 * gh_read_file() - read a whole file (regular or sysfs)
 * @path: the file
 * @data: receives a malloc()ed copy (free() it)
 * @len: receives its length
 * @max: refuse files longer than this: -EFBIG
 *
 * Reads until EOF rather than trusting st_size, which sysfs binary
 * attributes may report as 0 or as a page multiple.
 *
 * Return: 0 or -errno.
 */
int gh_read_file(const char *path, unsigned char **data, size_t *len,
		 size_t max)
{
	size_t cap = 65536, n = 0;
	unsigned char *buf = malloc(cap);
	int fd, err = 0;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(buf);
		return err;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			unsigned char *p;

			if (cap > max) {
				err = -EFBIG;
				break;
			}
			p = realloc(buf, cap * 2);
			if (!p) {
				err = -ENOMEM;
				break;
			}
			buf = p;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			break;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (!err && n > max)
		err = -EFBIG;
	if (err) {
		free(buf);
		return err;
	}
	*data = buf;
	*len = n;
	return 0;
}
