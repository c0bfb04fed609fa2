// SPDX-License-Identifier: GPL-2.0
/*
 * atomicwrite_test.c - root's file writes and reads against a local user
 * (issue 13, section 1). In each test uid 65534 (no groups) prepares the
 * directory as an attacker would, in a child process: a setuid file, a
 * FIFO where root writes or reads, a symbolic link to /dev/zero or to a
 * file of root's. Then the test, as root, calls gh_replace_file() or
 * gh_read_file() the way `gpuhelper vm -o`, `acpi -o`, `vbios -o` and
 * host-config do. A test that would hang (a FIFO) is stopped by alarm().
 * Needs root; the extended attribute tests skip what the filesystem of
 * /tmp cannot store.
 */
#define _GNU_SOURCE		/* setresuid() */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/atomicwrite.h"
#include "lib/fileio.h"

#define NOBODY		65534
#define HANG_LIMIT	10	/* seconds: a FIFO must not block root */

/* Run a shell command as uid and gid 65534 without groups; 0 on success. */
static int nobody(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	pid_t pid;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(126);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int put(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) && !chmod(path, mode) ? 0 : -EIO;
}

/* The file's text ("" when unreadable). */
static const char *text_of(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static const char NEW[] = "<domain/>\n";

FIXTURE(home) {
	char dir[64];		/* uid 65534's directory */
	char path[128];		/* where root is told to write */
	char bak[160];
};

FIXTURE_SETUP(home)
{
	if (geteuid())
		SKIP(return, "needs root: root writes, uid 65534 prepares the files");
	strcpy(self->dir, "/tmp/gh-aw-test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chown(self->dir, NOBODY, NOBODY));
	ASSERT_EQ(0, chmod(self->dir, 0755));
	snprintf(self->path, sizeof(self->path), "%s/Win10.xml", self->dir);
	snprintf(self->bak, sizeof(self->bak), "%s" GH_BACKUP_SUFFIX, self->path);
}

FIXTURE_TEARDOWN(home)
{
	char cmd[128];

	alarm(0);
	if (self->dir[0] == '/') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
		if (system(cmd))
			TH_LOG("could not remove %s", self->dir);
	}
}

/* sudo gpuhelper vm -o ~/Win10.xml over a setuid file of the user's */
TEST_F(home, setuid_file_gives_no_setuid_file_nor_setuid_backup)
{
	struct stat st;

	ASSERT_EQ(0, nobody("printf old >'%s' && chmod 04755 '%s'", self->path, self->path));
	ASSERT_EQ(0, gh_replace_file(self->path, NEW, strlen(NEW), 0644, true));
	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_EQ(0755, st.st_mode & 07777);
	EXPECT_EQ(NOBODY, st.st_uid);
	EXPECT_EQ(NOBODY, st.st_gid);
	EXPECT_STREQ(NEW, text_of(self->path));
	ASSERT_EQ(0, lstat(self->bak, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(NOBODY, st.st_uid);
	EXPECT_STREQ("old", text_of(self->bak));
}

/* acpi ... -o / vbios ... -o (no backup) over a 06777 file */
TEST_F(home, setgid_and_sticky_dropped_and_never_more_than_the_old_bits)
{
	struct stat st;

	ASSERT_EQ(0, nobody("printf old >'%s' && chmod 07777 '%s'", self->path, self->path));
	ASSERT_EQ(0, gh_replace_file(self->path, NEW, strlen(NEW), 0644, false));
	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_EQ(0777, st.st_mode & 07777);
	EXPECT_EQ(NOBODY, st.st_uid);
	ASSERT_EQ(0, nobody("printf old >'%s.2' && chmod 0600 '%s.2'", self->path, self->path));
	snprintf(self->bak, sizeof(self->bak), "%s.2", self->path);
	ASSERT_EQ(0, gh_replace_file(self->bak, NEW, strlen(NEW), 0644, false));
	ASSERT_EQ(0, lstat(self->bak, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
}

TEST_F(home, owner_group_and_permission_bits_kept)
{
	struct stat st;

	ASSERT_EQ(0, put(self->path, "old", 0604));
	ASSERT_EQ(0, chown(self->path, NOBODY, 12345));
	ASSERT_EQ(0, gh_replace_file(self->path, NEW, strlen(NEW), 0644, true));
	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_EQ(0604, st.st_mode & 07777);
	EXPECT_EQ(NOBODY, st.st_uid);
	EXPECT_EQ(12345, st.st_gid);
	ASSERT_EQ(0, lstat(self->bak, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(12345, st.st_gid);
}

TEST_F(home, backup_of_a_world_readable_root_file_is_0600)
{
	struct stat st;

	ASSERT_EQ(0, put(self->path, "old", 0644));
	ASSERT_EQ(0, gh_replace_file(self->path, NEW, strlen(NEW), 0644, true));
	ASSERT_EQ(0, lstat(self->bak, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_EQ(0644, st.st_mode & 07777);
}

TEST_F(home, fifo_at_the_temp_name_does_not_hang_and_is_left_alone)
{
	char fifo[192];
	struct stat st;

	snprintf(fifo, sizeof(fifo), "%s" GH_TEMP_INFIX "AAAAAA", self->path);
	ASSERT_EQ(0, nobody("mkfifo '%s'", fifo));
	alarm(HANG_LIMIT);
	ASSERT_EQ(0, gh_replace_file(self->path, NEW, strlen(NEW), 0644, true));
	alarm(0);
	EXPECT_STREQ(NEW, text_of(self->path));
	ASSERT_EQ(0, lstat(fifo, &st));
	EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST_F(home, stale_regular_temp_file_is_still_removed)
{
	char stale[192];

	snprintf(stale, sizeof(stale), "%s" GH_TEMP_INFIX "BBBBBB", self->path);
	ASSERT_EQ(0, put(stale, "half", 0600));
	ASSERT_EQ(0, gh_replace_file(self->path, NEW, strlen(NEW), 0644, false));
	EXPECT_EQ(-1, access(stale, F_OK));
}

TEST_F(home, fifo_at_the_path_is_refused_without_hanging)
{
	struct stat st;

	ASSERT_EQ(0, nobody("mkfifo '%s'", self->path));
	alarm(HANG_LIMIT);
	EXPECT_EQ(-ENXIO, gh_replace_file(self->path, NEW, strlen(NEW), 0644, true));
	alarm(0);
	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_TRUE(S_ISFIFO(st.st_mode));
	EXPECT_EQ(-1, access(self->bak, F_OK));
}

TEST_F(home, symlink_to_dev_zero_is_refused_without_reading_it)
{
	struct stat st;

	ASSERT_EQ(0, nobody("ln -s /dev/zero '%s'", self->path));
	alarm(HANG_LIMIT);
	EXPECT_EQ(-ELOOP, gh_replace_file(self->path, NEW, strlen(NEW), 0644, true));
	alarm(0);
	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	EXPECT_EQ(-1, access(self->bak, F_OK));
}

/* A link to a file of root's: neither the link nor its target changes. */
TEST_F(home, symlinked_file_is_refused_and_both_stay)
{
	char target[128], link[192];
	struct stat st;
	ssize_t n;

	snprintf(target, sizeof(target), "%s/roots", self->dir);
	ASSERT_EQ(0, put(target, "root's", 0644));
	ASSERT_EQ(0, nobody("ln -s roots '%s'", self->path));
	EXPECT_EQ(-ELOOP, gh_replace_file(self->path, NEW, strlen(NEW), 0644, true));
	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	n = readlink(self->path, link, sizeof(link) - 1);
	ASSERT_EQ(5, n);
	link[n] = '\0';
	EXPECT_STREQ("roots", link);
	EXPECT_STREQ("root's", text_of(target));
	EXPECT_EQ(-1, access(self->bak, F_OK));
	/* an administrator's own link is refused the same */
	ASSERT_EQ(0, unlink(self->path));
	ASSERT_EQ(0, symlink("roots", self->path));
	EXPECT_EQ(-ELOOP, gh_replace_file(self->path, NEW, strlen(NEW), 0644, false));
	EXPECT_STREQ("root's", text_of(target));
}

TEST_F(home, same_content_writes_nothing)
{
	struct stat a, b;

	ASSERT_EQ(0, put(self->path, NEW, 0640));
	ASSERT_EQ(0, lstat(self->path, &a));
	ASSERT_EQ(0, gh_replace_file(self->path, NEW, strlen(NEW), 0644, true));
	ASSERT_EQ(0, lstat(self->path, &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_EQ(-1, access(self->bak, F_OK));
}

/* Extended attributes: each test sets one on the old file, or skips. */
static int xattr_get(const char *path, const char *name, char *val, size_t len)
{
	ssize_t n = getxattr(path, name, val, len);

	return n < 0 ? -errno : (int)n;
}

TEST_F(home, user_xattr_kept)
{
	char v[64];

	ASSERT_EQ(0, put(self->path, "old", 0644));
	if (setxattr(self->path, "user.gpuhelper.test", "kept", 4, 0))
		SKIP(return, "user.* xattrs: %s on this filesystem", strerror(errno));
	ASSERT_EQ(0, gh_replace_file(self->path, NEW, strlen(NEW), 0644, true));
	ASSERT_EQ(4, xattr_get(self->path, "user.gpuhelper.test", v, sizeof(v)));
	EXPECT_EQ(0, memcmp(v, "kept", 4));
}

/* A POSIX ACL granting uid 12345 rw, as setfacl -m u:12345:rw writes it. */
TEST_F(home, posix_acl_kept)
{
	static const struct {
		unsigned short tag, perm;
		unsigned int id;
	} __attribute__((packed)) e[] = {
		{ 0x01, 6, ~0U },	/* user:: rw */
		{ 0x02, 6, 12345 },	/* user:12345: rw */
		{ 0x04, 4, ~0U },	/* group:: r */
		{ 0x10, 6, ~0U },	/* mask:: rw */
		{ 0x20, 4, ~0U },	/* other:: r */
	};
	unsigned char acl[4 + sizeof(e)], got[256];
	unsigned int version = 2;
	struct stat st;

	memcpy(acl, &version, 4);
	memcpy(acl + 4, e, sizeof(e));
	ASSERT_EQ(0, put(self->path, "old", 0644));
	if (setxattr(self->path, "system.posix_acl_access", acl, sizeof(acl), 0))
		SKIP(return, "POSIX ACLs: %s on this filesystem", strerror(errno));
	ASSERT_EQ(0, gh_replace_file(self->path, NEW, strlen(NEW), 0644, true));
	ASSERT_EQ((int)sizeof(acl), xattr_get(self->path, "system.posix_acl_access",
					      (char *)got, sizeof(got)));
	EXPECT_EQ(0, memcmp(acl, got, sizeof(acl)));
	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_EQ(0664, st.st_mode & 07777);	/* group bits: the mask */
}

TEST_F(home, selinux_label_kept)
{
	static const char label[] = "system_u:object_r:virt_etc_t:s0";
	char v[128];

	ASSERT_EQ(0, put(self->path, "old", 0644));
	if (setxattr(self->path, "security.selinux", label, sizeof(label), 0))
		SKIP(return, "security.selinux: %s (SELinux policy or filesystem)",
		     strerror(errno));
	ASSERT_EQ(0, gh_replace_file(self->path, NEW, strlen(NEW), 0644, true));
	ASSERT_EQ((int)sizeof(label), xattr_get(self->path, "security.selinux", v, sizeof(v)));
	EXPECT_STREQ(label, v);
}

/* File capabilities are a privilege, as setuid is: never copied. */
TEST_F(home, file_capabilities_not_copied)
{
	struct vfs_cap_data cap = {
		.magic_etc = VFS_CAP_REVISION_2,
		.data = { { .permitted = 1U << CAP_NET_RAW } },
	};
	char v[64];

	ASSERT_EQ(0, put(self->path, "old", 0755));
	if (setxattr(self->path, "security.capability", &cap, XATTR_CAPS_SZ_2, 0))
		SKIP(return, "security.capability: %s on this filesystem", strerror(errno));
	ASSERT_EQ(0, gh_replace_file(self->path, NEW, strlen(NEW), 0644, false));
	EXPECT_EQ(-ENODATA, xattr_get(self->path, "security.capability", v, sizeof(v)));
}

/* Reads: a FIFO or a device where a file is expected. */
TEST_F(home, read_refuses_fifo_without_hanging_and_devices)
{
	unsigned char *data = NULL;
	size_t len;

	ASSERT_EQ(0, nobody("mkfifo '%s'", self->path));
	alarm(HANG_LIMIT);
	EXPECT_EQ(-ENXIO, gh_read_file(self->path, &data, &len, 1 << 20));
	alarm(0);
	EXPECT_EQ(-ENXIO, gh_read_file("/dev/zero", &data, &len, 1 << 20));
	EXPECT_EQ(-EISDIR, gh_read_file(self->dir, &data, &len, 1 << 20));
}

/*
 * The standard input may be a pipe (virsh dumpxml | gpuhelper vm --from
 * /dev/stdin), and is read no further than the bound: of 1 MiB written
 * into it, at most max + 1 bytes are taken.
 */
TEST(read_of_stdin_pipe_stops_at_the_bound)
{
	const size_t total = 1 << 20, max = 100000;
	unsigned char *data = NULL, chunk[65536];
	size_t len, rest = 0;
	int p[2];
	pid_t pid;
	ssize_t n;

	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		size_t left = total;

		close(p[0]);
		memset(chunk, 'x', sizeof(chunk));
		while (left && (n = write(p[1], chunk, left < sizeof(chunk) ? left : sizeof(chunk))) > 0)
			left -= (size_t)n;
		_exit(0);
	}
	close(p[1]);
	ASSERT_LE(0, dup2(p[0], STDIN_FILENO));
	close(p[0]);
	alarm(HANG_LIMIT);
	EXPECT_EQ(-EFBIG, gh_read_file("/dev/stdin", &data, &len, max));
	while ((n = read(STDIN_FILENO, chunk, sizeof(chunk))) > 0)
		rest += (size_t)n;
	alarm(0);
	waitpid(pid, NULL, 0);
	EXPECT_GE(max + 1, total - rest);
	TH_LOG("read %zu of %zu bytes for a bound of %zu", total - rest, total, max);
}

TEST(read_of_a_small_stdin_pipe_works)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int p[2];

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(5, write(p[1], "hello", 5));
	close(p[1]);
	ASSERT_LE(0, dup2(p[0], STDIN_FILENO));
	close(p[0]);
	alarm(HANG_LIMIT);
	ASSERT_EQ(0, gh_read_file("/dev/stdin", &data, &len, 1 << 20));
	alarm(0);
	EXPECT_EQ(5, len);
	EXPECT_STREQ("hello", (char *)data);
	free(data);
}

/* gh_replace_file() called by uid 65534, in a child: its return value. */
static int replace_as_nobody(const char *path)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -errno;
	if (!pid) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(255);
		_exit(-gh_replace_file(path, NEW, strlen(NEW), 0644, true));
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -ECHILD;
	return -WEXITSTATUS(st);
}

/* Unprivileged, gpuhelper writes the user's own files as before. */
TEST_F(home, unprivileged_writer_replaces_its_own_file)
{
	struct stat st;

	ASSERT_EQ(0, nobody("printf old >'%s' && chmod 0640 '%s'", self->path, self->path));
	ASSERT_EQ(0, replace_as_nobody(self->path));
	EXPECT_STREQ(NEW, text_of(self->path));
	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_EQ(0640, st.st_mode & 07777);
	EXPECT_EQ(NOBODY, st.st_uid);
}

TEST_HARNESS_MAIN
