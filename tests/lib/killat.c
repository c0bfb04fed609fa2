// SPDX-License-Identifier: GPL-2.0
/*
 * killat.c - LD_PRELOAD shim: SIGKILL the process just before its Nth
 * file-changing call (GH_KILL_AT=N), as a power cut or kill -9 would.
 * Counted: write, pwrite, fsync, fdatasync, fchmod, rename(at,at2), link,
 * unlink, mkdir, and open/openat that create or truncate. With
 * GH_KILL_COUNT=FILE the number of such calls is written there at exit
 * (a run without a kill tells how many points there are).
 *
 * Used by tests/host/hostconfig-kill.t.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned long calls, kill_at;

static void __attribute__((constructor)) killat_init(void)
{
	const char *s = getenv("GH_KILL_AT");

	kill_at = s ? strtoul(s, NULL, 10) : 0;
}

static void __attribute__((destructor)) killat_fini(void)
{
	const char *f = getenv("GH_KILL_COUNT");
	FILE *o;

	if (f && (o = fopen(f, "w"))) {
		fprintf(o, "%lu\n", calls);
		fclose(o);
	}
}

static void point(void)
{
	if (++calls == kill_at)
		kill(getpid(), SIGKILL);
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t write(int fd, const void *buf, size_t n)
{
	if (fd > 2)
		point();
	return REAL(write)(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	point();
	return REAL(pwrite)(fd, buf, n, off);
}

int fsync(int fd) { point(); return REAL(fsync)(fd); }
int fdatasync(int fd) { point(); return REAL(fdatasync)(fd); }
int fchmod(int fd, mode_t m) { point(); return REAL(fchmod)(fd, m); }
int rename(const char *a, const char *b) { point(); return REAL(rename)(a, b); }
int renameat(int da, const char *a, int db, const char *b)
{
	point();
	return REAL(renameat)(da, a, db, b);
}
int renameat2(int da, const char *a, int db, const char *b, unsigned int f)
{
	point();
	return REAL(renameat2)(da, a, db, b, f);
}
int link(const char *a, const char *b) { point(); return REAL(link)(a, b); }
int unlink(const char *p) { point(); return REAL(unlink)(p); }
int mkdir(const char *p, mode_t m) { point(); return REAL(mkdir)(p, m); }

int open(const char *p, int flags, ...)
{
	mode_t m = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TRUNC)) {
		va_start(ap, flags);
		m = va_arg(ap, mode_t);
		va_end(ap);
		point();
	}
	return REAL(open)(p, flags, m);
}

int open64(const char *p, int flags, ...) __attribute__((alias("open")));

int openat(int d, const char *p, int flags, ...)
{
	mode_t m = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TRUNC)) {
		va_start(ap, flags);
		m = va_arg(ap, mode_t);
		va_end(ap);
		point();
	}
	return REAL(openat)(d, p, flags, m);
}

int mkstemp(char *t)
{
	point();
	return REAL(mkstemp)(t);
}

int mkostemp(char *t, int flags)
{
	point();
	return REAL(mkostemp)(t, flags);
}
