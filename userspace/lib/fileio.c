// SPDX-License-Identifier: GPL-2.0
/*
 * fileio.c - file reads: whole files (vBIOS images, configuration) and
 * small text files (sysfs attributes, /proc). Writes are atomicwrite.c's.
 *
 * gpuhelper runs as root on paths an unprivileged user may have named or
 * prepared, so a read never follows the name's word for what it is: the
 * file is opened with O_NONBLOCK (a FIFO cannot block the open), the open
 * descriptor is checked to be a regular file (fstat), and no more than a
 * bound is ever read from it (/dev/zero cannot fill the memory).
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

#include "lib/fileio.h"

#define GH_READ_FLAGS	(O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

/**
 * gh_fd_regular() - is an open file a regular file
 * @fd: the descriptor
 *
 * Return: 0, -EISDIR for a directory, -ENXIO for a FIFO, socket or
 * device (what open(2) itself says of an unusable special file), or the
 * fstat() error.
 */
int gh_fd_regular(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (S_ISREG(st.st_mode))
		return 0;
	return S_ISDIR(st.st_mode) ? -EISDIR : -ENXIO;
}

/*
 * A pipe or terminal is read only when it is the process's own standard
 * input ("virsh dumpxml D | gpuhelper vm --from /dev/stdin"), in blocking
 * mode: the user gave it, nobody planted it.
 */
static int stdin_pipe(int fd)
{
	struct stat st, in;
	int fl;

	if (fstat(fd, &st) || fstat(STDIN_FILENO, &in) ||
	    st.st_dev != in.st_dev || st.st_ino != in.st_ino ||
	    st.st_rdev != in.st_rdev || S_ISDIR(st.st_mode))
		return -ENXIO;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK))
		return -errno;
	return 0;
}

/**
 * gh_read_fd() - read an open file to EOF, to a bound
 * @fd: the file, read from its current offset
 * @data: receives a malloc()ed copy (free() it), followed by a NUL that
 *	@len does not count, so that text can be read as a string
 * @len: receives its length
 * @max: refuse files longer than this: -EFBIG. At most @max + 1 bytes are
 *	read (the one past @max tells a longer file), whatever @fd is.
 *
 * Reads until EOF rather than trusting st_size, which sysfs binary
 * attributes may report as 0 or as a page multiple.
 *
 * Return: 0 or -errno.
 */
int gh_read_fd(int fd, unsigned char **data, size_t *len, size_t max)
{
	size_t limit, cap, n = 0;
	unsigned char *buf;
	int err = 0;

	if (max > SIZE_MAX - 2)
		max = SIZE_MAX - 2;
	limit = max + 2;		/* one byte past @max, and the NUL */
	cap = limit < 65536 ? limit : 65536;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n + 1 == cap) {	/* full; n <= max, so cap < limit */
			size_t ncap = cap > limit / 2 ? limit : cap * 2;
			unsigned char *p = realloc(buf, ncap);

			if (!p) {
				err = -ENOMEM;
				break;
			}
			buf = p;
			cap = ncap;
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
		if (n > max) {
			err = -EFBIG;
			break;
		}
	}
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
 * gh_read_file() - read a whole file (regular or sysfs), to a bound
 * @path: the file
 * @data: receives a malloc()ed, NUL-terminated copy (free() it)
 * @len: receives its length
 * @max: refuse files longer than this: -EFBIG
 *
 * Only regular files are read (-ENXIO for a FIFO, socket or device,
 * -EISDIR for a directory), except the process's standard input.
 *
 * Return: 0 or -errno.
 */
int gh_read_file(const char *path, unsigned char **data, size_t *len,
		 size_t max)
{
	int fd, err;

	fd = open(path, GH_READ_FLAGS);
	if (fd < 0)
		return -errno;
	err = gh_fd_regular(fd);
	if (err == -ENXIO)
		err = stdin_pipe(fd);
	if (!err)
		err = gh_read_fd(fd, data, len, max);
	close(fd);
	return err;
}

/**
 * gh_load_file() - read a whole text file, up to GH_LOAD_MAX
 * @path: the file
 * @data: receives a malloc()ed, NUL-terminated copy (free() it); NULL on
 *	error
 * @len: receives its length, 0 on error
 *
 * Return: 0 or -errno (-ENOENT: no such file, -EFBIG: too large).
 */
int gh_load_file(const char *path, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	return gh_read_file(path, (unsigned char **)data, len, GH_LOAD_MAX);
}

/**
 * gh_read_text() - read a small text file (a sysfs attribute, /proc)
 * @path: the file
 * @buf: receives at most @len - 1 bytes of it, NUL-terminated; "" on error
 * @len: the size of @buf
 *
 * One read(), as sysfs serves an attribute whole; regular files only.
 *
 * Return: 0 or -errno.
 */
int gh_read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, err;

	buf[0] = '\0';
	fd = open(path, GH_READ_FLAGS);
	if (fd < 0)
		return -errno;
	err = gh_fd_regular(fd);
	if (!err) {
		n = read(fd, buf, len - 1);
		if (n < 0)
			err = -errno;
		else
			buf[n] = '\0';
	}
	close(fd);
	return err;
}

/**
 * gh_file_strerror() - what a file error means, and what to do
 * @err: a -errno from this file or from atomicwrite.c
 *
 * For the errors the file layer makes itself (a link or special file
 * refused, a file over its bound) the cause and the fix; strerror()
 * otherwise. The caller names the file.
 *
 * Return: a static string.
 */
const char *gh_file_strerror(int err)
{
	switch (err) {
	case -ELOOP:
		return "it is a symbolic link, and gpuhelper does not write through links: "
		       "give the path the link points to, or remove the link";
	case -ENXIO:
		return "not a regular file (a FIFO, socket or device): gpuhelper reads and "
		       "replaces regular files only; give the path of a regular file";
	case -EISDIR:
		return "a directory: give the path of a file";
	case -EFBIG:
		return "larger than any file gpuhelper reads or keeps a backup of (64 MiB): "
		       "check the path";
	default:
		return strerror(-err);
	}
}
