// SPDX-License-Identifier: GPL-2.0
/*
 * atomicwrite.c - all-or-nothing file replacement with a backup.
 *
 * The new text goes to PATH.gpuhelper-tmp.XXXXXX, is synced, and renamed
 * over PATH. The writer holds an flock on its temp file, so a temp file
 * nobody holds is one a killed run left behind: the next write of PATH
 * removes those.
 *
 * gpuhelper runs this as root on paths a user can prepare (-o FILE in
 * their home), so nothing here trusts a name: the old file is opened with
 * O_NOFOLLOW | O_NONBLOCK and judged by fstat() of that descriptor, only
 * regular files are read, replaced or cleaned up, and the new file gets
 * the old one's permission bits without setuid, setgid or sticky, its
 * owner and group, and its extended attributes: the file a user had is
 * the file they get back, never one root made for them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "lib/atomicwrite.h"
#include "lib/root.h"

#define GH_OPEN_OLD	(O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

unsigned int gh_replace_fail_after;
static unsigned int writes;

/* What the file written takes from the file it replaces. */
struct gh_keep {
	mode_t mode;		/* permission bits, 0777 at most */
	uid_t uid;		/* owner; (uid_t)-1: the writer */
	gid_t gid;		/* group; (gid_t)-1: the writer's */
	int xattr_fd;		/* copy this file's extended attributes; -1: none */
};

/*
 * Extended attributes never copied: file capabilities are a privilege as
 * setuid is, and IMA/EVM values vouch for the old content, not the new.
 */
static const char *const xattr_not_copied[] = {
	"security.capability", "security.ima", "security.evm",
};

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

/*
 * Remove PATH.gpuhelper-tmp.* files whose writer is gone (no flock held).
 * Anyone who can write the directory can put something under that name:
 * it is opened without blocking or following links, and only a regular
 * file is removed.
 */
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
		fd = openat(dirfd(d), de->d_name, GH_OPEN_OLD);
		if (fd < 0)
			continue;
		if (!gh_fd_regular(fd) && !flock(fd, LOCK_EX | LOCK_NB))
			unlinkat(dirfd(d), de->d_name, 0);
		close(fd);
	}
	closedir(d);
}

/*
 * Give the new file the old one's owner and group. Unprivileged, chown to
 * another user is not allowed: the new file is then the writer's, as an
 * editor's would be.
 */
static int keep_owner(int fd, const struct gh_keep *k)
{
	struct stat st;
	uid_t uid = k->uid;
	gid_t gid = k->gid;

	if (fstat(fd, &st))
		return -errno;
	if (uid == st.st_uid)
		uid = (uid_t)-1;
	if (gid == st.st_gid)
		gid = (gid_t)-1;
	if ((uid == (uid_t)-1 && gid == (gid_t)-1) || !fchown(fd, uid, gid))
		return 0;
	return errno == EPERM && geteuid() ? 0 : -errno;
}

static bool xattr_copied(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(xattr_not_copied) / sizeof(xattr_not_copied[0]); i++)
		if (!strcmp(name, xattr_not_copied[i]))
			return false;
	return true;
}

/*
 * A filesystem without extended attributes (or without that namespace) has
 * nothing to keep; unprivileged, security.* and trusted.* may be refused.
 */
static bool xattr_error_tolerated(int err)
{
	return err == ENOTSUP || ((err == EPERM || err == EACCES) && geteuid());
}

/* Copy every extended attribute: ACLs, the SELinux label, user.* ... */
static int copy_xattrs(int from, int to)
{
	char *names = malloc(XATTR_LIST_MAX), *val = malloc(XATTR_SIZE_MAX), *name;
	ssize_t n, v;
	int err = 0;

	if (!names || !val) {
		err = -ENOMEM;
		goto out;
	}
	n = flistxattr(from, names, XATTR_LIST_MAX);
	if (n < 0) {
		err = errno == ENOTSUP ? 0 : -errno;
		goto out;
	}
	for (name = names; name < names + n; name += strlen(name) + 1) {
		if (!xattr_copied(name))
			continue;
		v = fgetxattr(from, name, val, XATTR_SIZE_MAX);
		if (v < 0 && errno == ENODATA)	/* removed meanwhile */
			continue;
		if (v < 0 || (fsetxattr(to, name, val, (size_t)v, 0) &&
			      !xattr_error_tolerated(errno))) {
			err = -errno;
			break;
		}
	}
out:
	free(names);
	free(val);
	return err;
}

/* Owner, then the permission bits, then the xattrs (an ACL sets the bits). */
static int apply_keep(int fd, const struct gh_keep *k)
{
	int err = keep_owner(fd, k);

	if (!err && fchmod(fd, k->mode))
		err = -errno;
	if (!err && k->xattr_fd >= 0)
		err = copy_xattrs(k->xattr_fd, fd);
	return err;
}

static int write_temp_and_rename(const char *path, const char *data, size_t len,
				 const struct gh_keep *k)
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
	if (!err)
		err = apply_keep(fd, k);
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

/*
 * The file @path names, opened without following a link or blocking on a
 * FIFO, and checked on its descriptor: a regular file. Return: the
 * descriptor, -ENOENT (no file), -ELOOP (a symbolic link), -ENXIO or
 * -EISDIR (not a regular file), or another -errno.
 */
static int open_old(const char *path, struct stat *st)
{
	int fd = open(path, GH_OPEN_OLD), err;

	if (fd < 0)
		return -errno;
	err = gh_fd_regular(fd);
	if (!err && fstat(fd, st))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/*
 * Compare the old file (@fd) with the new text, reading no more of it than
 * that takes, or all of it (to GH_LOAD_MAX) when it is to be backed up.
 * Return: 1 when it holds @data already; 0 when it differs, with *@old its
 * content if @backup; or -errno.
 */
static int read_old(int fd, const struct stat *st, const char *data, size_t len,
		    bool backup, char **old, size_t *oldlen)
{
	int err;

	*old = NULL;
	*oldlen = 0;
	if (!backup && st->st_size != (off_t)len)
		return 0;
	err = gh_read_fd(fd, (unsigned char **)old, oldlen, backup ? GH_LOAD_MAX : len);
	if (err == -EFBIG && !backup)
		return 0;
	if (err)
		return err;
	if (*oldlen == len && !memcmp(*old, data, len)) {
		free(*old);
		*old = NULL;
		return 1;
	}
	return 0;
}

/* @path.gpuhelper-bak: the old content, the old owner's, mode 0600. */
static int write_backup(const char *path, const char *old, size_t oldlen,
			const struct stat *st)
{
	const struct gh_keep k = {
		.mode = GH_BACKUP_MODE, .uid = st->st_uid, .gid = st->st_gid,
		.xattr_fd = -1,
	};
	char bak[GH_PATH_MAX];

	if (snprintf(bak, sizeof(bak), "%s" GH_BACKUP_SUFFIX, path) >= (int)sizeof(bak))
		return -ENAMETOOLONG;
	return write_temp_and_rename(bak, old, oldlen, &k);
}

/**
 * gh_replace_file() - replace @path with @data, or leave it as it was
 * @path: the file
 * @data: new content
 * @len: its length
 * @mode: permissions of a new file; an existing file's permission bits
 *	are kept, without setuid, setgid and sticky
 * @backup: keep differing old content as @path.gpuhelper-bak (mode 0600,
 *	the old file's owner and group)
 *
 * An existing @path must be a regular file. A symbolic link is refused,
 * not followed, whoever owns it: a link a user planted where root writes
 * would otherwise have root overwrite its target, and a link of the
 * administrator's own is replaced by the file it points to only when they
 * name that file. The new file keeps the old one's owner, group and
 * extended attributes (ACLs, SELinux label, user.*; not file capabilities
 * or IMA/EVM values).
 *
 * Return: 0 (also when the content is already @data: nothing is written),
 * or -errno with @path untouched: -ELOOP for a symbolic link, -ENXIO for a
 * FIFO, socket or device, -EISDIR for a directory, -EFBIG for an old file
 * over GH_LOAD_MAX that is to be backed up. gh_file_strerror() explains
 * them.
 */
int gh_replace_file(const char *path, const char *data, size_t len, mode_t mode,
		    bool backup)
{
	struct gh_keep k = {
		.mode = mode & 0777, .uid = (uid_t)-1, .gid = (gid_t)-1, .xattr_fd = -1,
	};
	struct stat st;
	size_t oldlen;
	char *old;
	int fd, err;

	fd = open_old(path, &st);
	if (fd == -ENOENT)
		return write_temp_and_rename(path, data, len, &k);
	if (fd < 0)
		return fd;
	err = read_old(fd, &st, data, len, backup, &old, &oldlen);
	if (err) {
		close(fd);
		return err > 0 ? 0 : err;
	}
	if (backup)
		err = write_backup(path, old, oldlen, &st);
	free(old);
	k.mode = st.st_mode & 0777;
	k.uid = st.st_uid;
	k.gid = st.st_gid;
	k.xattr_fd = fd;
	if (!err)
		err = write_temp_and_rename(path, data, len, &k);
	close(fd);
	return err;
}
