// SPDX-License-Identifier: GPL-2.0
/*
 * fileio.c - file reads: whole files (vBIOS images, configuration) and
 * small text files (sysfs attributes, /proc). Writes are atomicwrite.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

/**
 * gh_read_file() - read a whole file (regular or sysfs)
 * @path: the file
 * @data: receives a malloc()ed copy (free() it), followed by a NUL that
 *	@len does not count, so that text can be read as a string
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

		if (n + 1 == cap) {	/* room for the NUL */
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
		r = read(fd, buf + n, cap - n - 1);
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
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

/**
 * gh_load_file() - read a whole text file of any size
 * @path: the file
 * @data: receives a malloc()ed, NUL-terminated copy (free() it); NULL on
 *	error
 * @len: receives its length, 0 on error
 *
 * Return: 0 or -errno (-ENOENT: no such file).
 */
int gh_load_file(const char *path, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	return gh_read_file(path, (unsigned char **)data, len, SIZE_MAX);
}

/**
 * gh_read_text() - read a small text file (a sysfs attribute, /proc)
 * @path: the file
 * @buf: receives at most @len - 1 bytes of it, NUL-terminated; "" on error
 * @len: the size of @buf
 *
 * One read(), as sysfs serves an attribute whole.
 *
 * Return: 0 or -errno.
 */
int gh_read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, err = 0;

	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		err = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return err;
}
