// SPDX-License-Identifier: GPL-2.0
/*
 * devusers.c - the processes holding a PCI function's device nodes open,
 * found as fuser(1) finds them: every /proc/PID/fd/N that is a character
 * device, matched to the function by the kernel's own /sys/dev/char link.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "module/devusers.h"

/* NVIDIA's character devices: their major, and this GPU's minor */
struct nv_nodes {
	long major;	/* -1: no nvidia driver */
	long minor;	/* -1: not known for this GPU */
};

#define NV_CTL_MINOR 255
#define GH_PATH_MAX 4096

/* @root and an absolute path joined; -ENAMETOOLONG when it does not fit */
static int join(char *buf, size_t len, const char *root, const char *abs)
{
	int n = snprintf(buf, len, "%s%s", root, abs);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static void nv_nodes(const char *root, const char *bdf, struct nv_nodes *nv)
{
	char path[GH_PATH_MAX], line[256], name[64];
	bool chr = false;
	FILE *f;
	long maj;

	nv->major = -1;
	nv->minor = -1;
	if (join(path, sizeof(path), root, "/proc/devices"))
		return;
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Character devices:", 18))
			chr = true;
		else if (!strncmp(line, "Block devices:", 14))
			chr = false;
		else if (chr && sscanf(line, "%ld %63s", &maj, name) == 2 &&
			 (!strcmp(name, "nvidia") || !strcmp(name, "nvidia-frontend")))
			nv->major = maj;
	}
	fclose(f);
	snprintf(line, sizeof(line), "/proc/driver/nvidia/gpus/%s/information", bdf);
	if (nv->major < 0 || join(path, sizeof(path), root, line))
		return;
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " Device Minor: %ld", &maj) == 1)
			nv->minor = maj;
	fclose(f);
}

/* Does the character device MAJ:MIN belong to the function at @dev? */
static bool node_of(const char *root, unsigned int maj, unsigned int min, const char *dev,
		    const struct nv_nodes *nv)
{
	char rel[64], path[GH_PATH_MAX], real[PATH_MAX];
	size_t n = strlen(dev);

	if (nv->major >= 0 && maj == nv->major)
		return min == NV_CTL_MINOR || (nv->minor >= 0 && min == nv->minor);
	snprintf(rel, sizeof(rel), "/sys/dev/char/%u:%u", maj, min);
	if (join(path, sizeof(path), root, rel) || !realpath(path, real))
		return false;
	return !strncmp(real, dev, n) && real[n] == '/';
}

static void comm_of(const char *root, const char *pid, char *buf, size_t len)
{
	char rel[64], path[GH_PATH_MAX];
	FILE *f;

	snprintf(buf, len, "?");
	snprintf(rel, sizeof(rel), "/proc/%.16s/comm", pid);
	if (join(path, sizeof(path), root, rel))
		return;
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* The fds of one process that hold nodes of @dev, into @u from @n. */
static int scan_pid(const char *root, const char *pid, const char *dev, const struct nv_nodes *nv,
		    struct gh_dev_user *u, int n, int max)
{
	char rel[64], path[GH_PATH_MAX], target[256], node[GH_PATH_MAX];
	struct dirent *e;
	struct stat st;
	ssize_t len;
	DIR *d;
	int i;

	snprintf(rel, sizeof(rel), "/proc/%.16s/fd", pid);
	if (join(path, sizeof(path), root, rel))
		return n;
	d = opendir(path);
	if (!d)		/* gone, or not ours to read */
		return n;
	while ((e = readdir(d))) {
		if (!all_digits(e->d_name))
			continue;
		if (snprintf(rel, sizeof(rel), "/proc/%.16s/fd/%.16s", pid, e->d_name) >=
		    (int)sizeof(rel) || join(path, sizeof(path), root, rel))
			continue;
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0 || target[0] != '/')	/* socket:[...], pipe:[...] */
			continue;
		target[len] = '\0';
		/* the node as the root has it: the same file when the root is / */
		if (join(node, sizeof(node), root, target) || stat(node, &st) ||
		    !S_ISCHR(st.st_mode) ||
		    !node_of(root, major(st.st_rdev), minor(st.st_rdev), dev, nv))
			continue;
		for (i = 0; i < n && i < max; i++)	/* one entry per process and node */
			if (u[i].pid == atoi(pid) && !strcmp(u[i].node, target))
				break;
		if (i < n && i < max)
			continue;
		if (n < max) {
			u[n].pid = atoi(pid);
			comm_of(root, pid, u[n].comm, sizeof(u[n].comm));
			snprintf(u[n].node, sizeof(u[n].node), "%s", target);
		}
		n++;
	}
	closedir(d);
	return n;
}

int gh_dev_users(const char *root, const char *bdf, struct gh_dev_user *u, int max)
{
	char rel[64], path[GH_PATH_MAX], dev[PATH_MAX];
	struct nv_nodes nv;
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s", bdf);
	if (join(path, sizeof(path), root, rel))
		return -ENAMETOOLONG;
	if (!realpath(path, dev))
		return -errno;
	nv_nodes(root, bdf, &nv);
	if (join(path, sizeof(path), root, "/proc"))
		return -ENAMETOOLONG;
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d)))
		if (all_digits(e->d_name))
			n = scan_pid(root, e->d_name, dev, &nv, u, n, max);
	closedir(d);
	return n;
}
