// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_exec.c - create and remove the mdevs gpuhelper.ko declared (see
 * mdev_exec.h and Documentation/mdev.rst).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "mdev/mdev_exec.h"

/*
 * snprintf() into a path buffer: a path that does not fit is an error
 * (-ENAMETOOLONG), never a shorter path naming another file.
 */
static int path_fmt(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int path_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* One write(), as sysfs wants it; -errno is what the kernel refused with. */
static int write_file(const char *path, const char *s)
{
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	return 0;
}

static int cmp_type(const void *a, const void *b)
{
	return strcmp(((const struct gh_mdev_type_info *)a)->name,
		      ((const struct gh_mdev_type_info *)b)->name);
}

/**
 * gh_mdev_types_read() - a parent's mdev types, sorted by name
 * @sysroot: prefix of /sys
 * @bdf: the parent PCI function
 * @types: receives up to @max entries
 * @max: capacity of @types
 *
 * Return: the number of types, -ENODEV when @bdf has no
 * mdev_supported_types directory, -ENAMETOOLONG when @sysroot makes its
 * path too long. A type whose files' paths are too long has
 * avail -ENAMETOOLONG.
 */
int gh_mdev_types_read(const char *sysroot, const char *bdf,
		       struct gh_mdev_type_info *types, int max)
{
	char dir[PATH_MAX], path[PATH_MAX], buf[1024];
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (path_fmt(dir, sizeof(dir), "%s/sys/bus/pci/devices/%s/mdev_supported_types",
		     sysroot, bdf))
		return -ENAMETOOLONG;
	d = opendir(dir);
	if (!d)
		return -ENODEV;
	while ((de = readdir(d)) && n < max) {
		struct gh_mdev_type_info *t = &types[n];
		char *res, *p;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(t->name))
			continue;
		memset(t, 0, sizeof(*t));
		memcpy(t->name, de->d_name, strlen(de->d_name) + 1);
		t->avail = path_fmt(path, sizeof(path), "%s/%s/available_instances", dir,
				    de->d_name);
		if (!t->avail)
			t->avail = gh_read_text(path, buf, sizeof(buf));
		if (!t->avail)
			t->avail = atoi(buf);
		if (!path_fmt(path, sizeof(path), "%s/%s/description", dir, de->d_name) &&
		    !gh_read_text(path, buf, sizeof(buf))) {
			res = strstr(buf, "resolution:");
			if (res && sscanf(res, "resolution: %ux%u", &t->width,
					  &t->height) != 2)
				t->width = t->height = 0;
			while (*buf && buf[strlen(buf) - 1] == '\n')
				buf[strlen(buf) - 1] = '\0';
			for (p = buf; *p; p++)
				if (*p == '\n')
					*p = ';';
			buf[sizeof(t->desc) - 1] = '\0';
			memcpy(t->desc, buf, strlen(buf) + 1);
		}
		n++;
	}
	closedir(d);
	qsort(types, (size_t)n, sizeof(*types), cmp_type);
	return n;
}

/**
 * gh_mdev_pick_default() - the default type: the largest resolution with
 * a free instance; among equals, the first by name
 * @types: the parent's types
 * @n: their number
 *
 * Return: the index, or -EUSERS when no type has a free instance.
 */
int gh_mdev_pick_default(const struct gh_mdev_type_info *types, int n)
{
	unsigned long long best_px = 0;
	int i, best = -EUSERS;

	for (i = 0; i < n; i++) {
		unsigned long long px = (unsigned long long)types[i].width *
					types[i].height;

		if (types[i].avail <= 0)
			continue;
		if (best < 0 || px > best_px) {
			best = i;
			best_px = px;
		}
	}
	return best;
}

static int create_one(const char *sysroot, const char *bdf, const char *uuid,
		      char *type, size_t type_len)
{
	struct gh_mdev_type_info types[GH_MDEV_TYPES_MAX];
	char path[PATH_MAX];
	int n, i, err;

	n = gh_mdev_types_read(sysroot, bdf, types, GH_MDEV_TYPES_MAX);
	if (n < 0)
		return n;
	if (!strcmp(type, "*")) {
		i = gh_mdev_pick_default(types, n);
		if (i < 0)
			return i;
		snprintf(type, type_len, "%s", types[i].name);
	} else {
		for (i = 0; i < n; i++)
			if (!strcmp(types[i].name, type))
				break;
		if (i == n)
			return -ENOENT;
		if (types[i].avail == 0)
			return -EUSERS;
	}
	err = path_fmt(path, sizeof(path),
		       "%s/sys/bus/pci/devices/%s/mdev_supported_types/%s/create",
		       sysroot, bdf, type);
	if (!err)
		err = write_file(path, uuid);
	/*
	 * Idempotent: two events may run the executor for one request (the
	 * coldplug "add" and the announcement); the UUID already existing is
	 * what was asked for.
	 */
	if (err == -EEXIST && !path_fmt(path, sizeof(path), "%s/sys/bus/mdev/devices/%s",
					sysroot, uuid) && access(path, F_OK) == 0)
		err = 0;
	return err;
}

static int remove_one(const char *sysroot, const char *uuid)
{
	char path[PATH_MAX];
	int err;

	err = path_fmt(path, sizeof(path), "%s/sys/bus/mdev/devices/%s/remove",
		       sysroot, uuid);
	if (err)
		return err;
	err = write_file(path, "1");
	return err == -ENOENT ? 0 : err;	/* gone already */
}

/**
 * gh_mdev_apply() - act on every pending or removing mdev of a parent
 * @sysroot: prefix of /sys
 * @bdf: the parent, as its gpuhelper class directory is named
 * @log: where to say what was done, or NULL
 * @uuid: optional: one mdev whose outcome the caller wants
 * @uuid_err: receives that outcome (0, or -errno), untouched if not acted on
 *
 * Each outcome is reported to the module ("create|remove UUID ERRNO
 * [TYPE]" into
 * mdev_result), which logs failures and forgets failed declarations.
 *
 * Return: 0 when every action succeeded, else the first -errno
 * (-ENAMETOOLONG when @sysroot makes a path too long: nothing is done
 * with a truncated path).
 */
int gh_mdev_apply(const char *sysroot, const char *bdf, FILE *log,
		  const char *uuid, int *uuid_err)
{
	char cls[PATH_MAX], path[PATH_MAX], list[4096], report[160];
	char *line, *save = NULL;
	int ret = 0, err;

	if (path_fmt(cls, sizeof(cls), "%s/sys/class/gpuhelper/%s", sysroot, bdf) ||
	    path_fmt(path, sizeof(path), "%s/mdev_result", cls) ||
	    path_fmt(path, sizeof(path), "%s/mdevs", cls)) {
		if (log)
			fprintf(log, "gpuhelper: %s: the paths under '%s' are longer than %d bytes: give a shorter --root\n",
				bdf, sysroot, PATH_MAX - 1);
		return -ENAMETOOLONG;
	}
	err = gh_read_text(path, list, sizeof(list));
	if (err)
		return err == -ENOENT ? -ENODEV : err;

	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char id[64], type[64], state[32];
		bool create;

		if (sscanf(line, "%63s %63s %31s", id, type, state) != 3)
			continue;
		if (!strcmp(state, "pending"))
			create = true;
		else if (!strcmp(state, "removing"))
			create = false;
		else
			continue;

		err = create ? create_one(sysroot, bdf, id, type, sizeof(type)) :
			       remove_one(sysroot, id);
		if (log)
			fprintf(log, "gpuhelper: %s: %s mdev %s%s%s: %s%s\n", bdf,
				create ? "create" : "remove", id,
				create ? " type " : "", create ? type : "",
				err ? strerror(-err) : "done",
				err == -ENAMETOOLONG ? ": a sysfs path under that root is too long; give a shorter --root" : "");
		snprintf(report, sizeof(report), "%s %s %d%s%s",
			 create ? "create" : "remove", id, err,
			 create && strcmp(type, "*") ? " " : "",
			 create && strcmp(type, "*") ? type : "");
		path_fmt(path, sizeof(path), "%s/mdev_result", cls);	/* fits: checked above */
		write_file(path, report);
		if (uuid && !strcmp(uuid, id) && uuid_err)
			*uuid_err = err;
		if (err && !ret)
			ret = err;
	}
	return ret;
}
