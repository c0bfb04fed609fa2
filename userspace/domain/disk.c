// SPDX-License-Identifier: GPL-2.0
/*
 * disk.c - the guest's system disk: parse --disk, read a qcow2 header,
 * create the image with qemu-img when libvirt's storage API cannot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "domain/disk.h"
#include "lib/root.h"

/* the smallest disk accepted: a Windows installer wants tens of GiB */
#define GH_DISK_MIN	(1ULL << 20)

/**
 * gh_disk_spec_parse() - split --disk's value
 * @spec: "PATH,SIZE"; SIZE in bytes or with a binary suffix K, M, G, T
 *	(as qemu-img reads it); "PATH" alone: use an existing image
 * @path: receives PATH, absolute
 * @plen: its size
 * @bytes: receives SIZE, 0 when not given
 *
 * Return: 0, or -EINVAL.
 */
int gh_disk_spec_parse(const char *spec, char *path, size_t plen,
		       unsigned long long *bytes)
{
	const char *comma = strrchr(spec, ',');
	unsigned long long n, mul = 1;
	char *end;

	*bytes = 0;
	if (spec[0] != '/')
		return -EINVAL;
	if (!comma) {
		if (strlen(spec) >= plen)
			return -EINVAL;
		snprintf(path, plen, "%s", spec);
		return 0;
	}
	if ((size_t)(comma - spec) >= plen || comma == spec)
		return -EINVAL;
	snprintf(path, plen, "%.*s", (int)(comma - spec), spec);
	errno = 0;
	n = strtoull(comma + 1, &end, 10);
	if (errno || end == comma + 1 || comma[1] == '-')
		return -EINVAL;
	switch (*end) {
	case 'T': case 't': mul <<= 10; /* fall through */
	case 'G': case 'g': mul <<= 10; /* fall through */
	case 'M': case 'm': mul <<= 10; /* fall through */
	case 'K': case 'k': mul <<= 10; end++; break;
	case '\0': break;
	default: return -EINVAL;
	}
	if (*end == 'i' || *end == 'B')	/* 64GiB, 64GB read as 64G */
		end += *end == 'i' && end[1] == 'B' ? 2 : 1;
	if (*end || n > (1ULL << 50) / mul || n * mul < GH_DISK_MIN)
		return -EINVAL;
	*bytes = n * mul;
	return 0;
}

static uint64_t be64(const unsigned char *b)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/**
 * gh_disk_qcow2_size() - the virtual size of a qcow2 image
 * @path: the file, under the root
 * @bytes: receives the size the guest sees
 *
 * From the header QEMU's docs/interop/qcow2.txt describes: "QFI\xfb",
 * the version (2 or 3) and, at offset 24, the size, big-endian.
 *
 * Return: 0, -ENOENT (no such file), -EINVAL (not a qcow2 image), or
 * another -errno.
 */
int gh_disk_qcow2_size(const char *path, unsigned long long *bytes)
{
	char full[GH_PATH_MAX];
	unsigned char h[32];
	struct stat st;
	ssize_t n;
	int fd, err = 0;

	if (gh_path(full, sizeof(full), path))
		return -ENAMETOOLONG;
	fd = open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP ? -EINVAL : -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	n = pread(fd, h, sizeof(h), 0);
	if (n != (ssize_t)sizeof(h) || memcmp(h, "QFI\xfb", 4) ||
	    (be64(h + 4) >> 32 != 2 && be64(h + 4) >> 32 != 3))
		err = -EINVAL;
	else
		*bytes = be64(h + 24);
	close(fd);
	return err;
}

/**
 * gh_disk_qemu_img() - create a qcow2 image with qemu-img
 * @path: the file, under the root; must not exist
 * @bytes: its virtual size
 * @why: the reason on failure
 * @whylen: its size
 *
 * Runs "qemu-img create -q -f qcow2 PATH BYTES" as a child (execvp, no
 * shell), its output going to ours.
 *
 * Return: 0, -ENOENT (no qemu-img), -EIO (it failed).
 */
int gh_disk_qemu_img(const char *path, unsigned long long bytes, char *why, size_t whylen)
{
	char full[GH_PATH_MAX], size[32];
	char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", full, size, NULL };
	int status;
	pid_t pid;

	if (gh_path(full, sizeof(full), path))
		return -ENAMETOOLONG;
	snprintf(size, sizeof(size), "%llu", bytes);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "cannot run qemu-img: %s", strerror(errno));
		return -errno;
	}
	if (!pid) {
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		snprintf(why, whylen, "%s: qemu-img not found: install it (Debian: apt install "
			 "qemu-utils), or create the disk with libvirt (virsh vol-create-as)", path);
		return -ENOENT;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(why, whylen, "%s: qemu-img create failed (see its message above)", path);
		return -EIO;
	}
	return 0;
}

/**
 * gh_disk_ensure() - make sure the system disk exists
 * @path: the image (under the root)
 * @bytes: its size, 0: it must exist already
 * @uri: libvirt to create it with (a pool holding its directory), or NULL
 * @dry: say what would be done, create nothing
 * @how: receives what was done
 * @why: the reason on failure (or what @dry would do)
 * @whylen: its size
 *
 * Never overwrites: an existing file is used when it is a qcow2 image of
 * at least @bytes, else refused.
 *
 * Return: 0, -EEXIST (a file that is not such an image), -ENOENT (no
 * image and no size), -EIO and others from the creation.
 */
int gh_disk_ensure(const char *path, unsigned long long bytes, const char *uri, bool dry,
		   enum gh_disk_how *how, char *why, size_t whylen)
{
	unsigned long long have = 0;
	char pool[128];
	int err;

	err = gh_disk_qcow2_size(path, &have);
	if (!err && have >= bytes) {
		*how = GH_DISK_EXISTS;
		snprintf(why, whylen, "%s: using the existing qcow2 image (%llu MiB)", path,
			 have >> 20);
		return 0;
	}
	if (!err) {
		snprintf(why, whylen, "%s: an existing qcow2 image of %llu MiB, smaller than "
			 "the %llu MiB asked for: grow it (qemu-img resize %s %llu), or pick "
			 "another path", path, have >> 20, bytes >> 20, path, bytes);
		return -EEXIST;
	}
	if (err != -ENOENT) {
		snprintf(why, whylen, "%s: exists and is not a qcow2 image: not overwriting it; "
			 "pick another path, or move it away", path);
		return -EEXIST;
	}
	if (!bytes) {
		snprintf(why, whylen, "%s: no such disk image: give its size to create it "
			 "(--disk %s,64G)", path, path);
		return -ENOENT;
	}
	if (dry) {
		*how = GH_DISK_DRY;
		snprintf(why, whylen, "would create %s: qcow2, %llu MiB%s%s", path, bytes >> 20,
			 uri ? ", through libvirt at " : " with qemu-img", uri ? uri : "");
		return 0;
	}
	if (uri) {
		err = gh_libvirt_vol_create(uri, path, bytes, pool, sizeof(pool), why, whylen);
		if (!err) {
			*how = GH_DISK_LIBVIRT;
			snprintf(why, whylen, "created %s (qcow2, %llu MiB) in libvirt's storage "
				 "pool '%s' at %s", path, bytes >> 20, pool, uri);
			return 0;
		}
		if (err != -ENOENT)
			return err;
	}
	err = gh_disk_qemu_img(path, bytes, why, whylen);
	if (err)
		return err;
	*how = GH_DISK_QEMU_IMG;
	snprintf(why, whylen, "created %s (qcow2, %llu MiB) with qemu-img%s", path,
		 bytes >> 20, uri ? ": no libvirt storage pool holds its directory" : "");
	return 0;
}
