// SPDX-License-Identifier: GPL-2.0
/*
 * atomicwrite.c - all-or-nothing file replacement with a backup.
 *
 * The new text goes to PATH.gpuhelper-tmp.XXXXXX, is synced, and renamed
 * over PATH. The writer holds an flock on its temp file, so a temp file
 * nobody holds is one a killed run left behind: the next write of PATH
 * removes those.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicwrite.h"
#include "root.h"

unsigned int gh_replace_fail_after;
static unsigned int writes;

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n;

		if (gh_replace_fail_after && ++writes == gh_replace_fail_after)
			return -EIO;
		n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int gh_make_parents(const char *path)
{
	char buf[GH_PATH_MAX], *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

static int fsync_dir(const char *path)
{
	char buf[GH_PATH_MAX];
	int fd, err = 0;

	snprintf(buf, sizeof(buf), "%s", path);
	fd = open(dirname(buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		err = -errno;
	close(fd);
	return err;
}

/* Remove PATH.gpuhelper-tmp.* files whose writer is gone (no flock held). */
static void remove_stale_temps(const char *path)
{
	char dir[GH_PATH_MAX], base[GH_PATH_MAX], prefix[GH_PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(base, sizeof(base), "%s", path);
	snprintf(prefix, sizeof(prefix), "%s" GH_TEMP_INFIX, basename(base));
	d = opendir(dirname(dir));
	if (!d)
		return;
	while ((de = readdir(d))) {
		int fd;

		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!flock(fd, LOCK_EX | LOCK_NB))
			unlinkat(dirfd(d), de->d_name, 0);
		close(fd);
	}
	closedir(d);
}

static int write_temp_and_rename(const char *path, const char *data, size_t len,
				 mode_t mode)
{
	char tmp[GH_PATH_MAX];
	int fd, err;

	if (snprintf(tmp, sizeof(tmp), "%s" GH_TEMP_INFIX "XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	remove_stale_temps(path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	/* held until the process ends: marks the temp file as in use */
	if (flock(fd, LOCK_EX)) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	err = write_all(fd, data, len);
	if (!err && fchmod(fd, mode))
		err = -errno;
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	return fsync_dir(path);
}

/**
 * gh_replace_file() - replace @path with @data, or leave it as it was
 * @path: the file
 * @data: new content
 * @len: its length
 * @mode: permissions of the new file (an existing file's mode is kept)
 * @backup: keep differing old content as @path.gpuhelper-bak
 *
 * Return: 0 (also when the content is already @data: nothing is written),
 * or -errno with @path untouched.
 */
int gh_replace_file(const char *path, const char *data, size_t len, mode_t mode,
		    bool backup)
{
	char bak[GH_PATH_MAX], *old;
	struct stat st;
	size_t oldlen;
	int err;

	err = gh_load_file(path, &old, &oldlen);
	if (err && err != -ENOENT)
		return err;
	if (!err && oldlen == len && !memcmp(old, data, len)) {
		free(old);
		return 0;
	}
	if (!err && !stat(path, &st))
		mode = st.st_mode & 07777;
	if (!err && backup) {
		if (snprintf(bak, sizeof(bak), "%s" GH_BACKUP_SUFFIX, path) >= (int)sizeof(bak))
			err = -ENAMETOOLONG;
		else
			err = write_temp_and_rename(bak, old, oldlen, mode);
		if (err) {
			free(old);
			return err;
		}
	}
	free(old);
	return write_temp_and_rename(path, data, len, mode);
}
