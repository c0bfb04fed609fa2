/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gh_guest.h - small helpers for the guest tests: sysfs reads and writes,
 * driver of a PCI function, module load/unload by syscall.
 */
#ifndef GH_GUEST_H
#define GH_GUEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GH_DGPU		"0000:01:00.0"
#define GH_AUDIO	"0000:01:00.1"
#define GH_IGPU		"0000:00:02.0"
#define GH_GOOD_IDS	"ids=1234:11e8,1234:1111"

/* Read a sysfs file, without its trailing newline. Returns 0 or -errno. */
static inline int gh_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

static inline int gh_readf(char *buf, size_t len, const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return gh_read(path, buf, len);
}

/* Write @s to a sysfs file in one write(). Returns 0 or -errno. */
static inline int gh_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return 0;
}

/* The function 0 below the bridge @port: "0000:BB:00.0" into @bdf. */
static inline int gh_child_of(const char *port, char *bdf, size_t len)
{
	char path[96];
	struct dirent *e;
	DIR *d;
	int ret = -ENOENT;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", port);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (strlen(e->d_name) == 12 && e->d_name[4] == ':' &&
		    e->d_name[7] == ':' && !strcmp(e->d_name + 8, "00.0")) {
			snprintf(bdf, len, "%.12s", e->d_name);
			ret = 0;
			break;
		}
	}
	closedir(d);
	return ret;
}

static inline bool gh_exists(const char *fmt, ...)
{
	char path[512];
	struct stat st;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return lstat(path, &st) == 0;
}

/* Name of the driver bound to a PCI function, "" when unbound. */
static inline const char *gh_driver(const char *bdf)
{
	static char name[64];
	char path[256], link[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return "";
	link[n] = '\0';
	snprintf(name, sizeof(name), "%s", strrchr(link, '/') + 1);
	return name;
}

static inline void gh_msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Poll until @bdf's driver is @want ("" for none); true when it got there. */
static inline bool gh_wait_driver(const char *bdf, const char *want,
				  unsigned int ms)
{
	for (;;) {
		if (!strcmp(gh_driver(bdf), want))
			return true;
		if (ms < 10)
			return false;
		gh_msleep(10);
		ms -= 10;
	}
}

static inline int gh_system(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Load a module file with parameters. Returns 0 or -errno. */
static inline int gh_load(const char *ko, const char *params)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static inline int gh_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

static inline const char *gh_ko(void)
{
	const char *ko = getenv("GH_KO");

	return ko ? ko : "/lib/modules/current/extra/gpuhelper.ko";
}

/*
 * Run @fn in a child as nobody (uid/gid 65534, no capabilities): its exit
 * status (0: all as expected), -1 when the child did not exit.
 */
static inline int gh_as_nobody(int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(100);
		_exit(fn());
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#endif /* GH_GUEST_H */
