// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_persist.c - write mdevs= and the mdevctl definition (--persist).
 *
 * Files are replaced atomically (fileio.c: temporary file, fsync, rename,
 * fsync of the directory), the previous version kept as NAME.bak, and the
 * change is shown as a unified diff first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/diff.h"
#include "lib/atomicwrite.h"
#include "lib/fileio.h"
#include "mdev/mdev_persist.h"
#include "lib/root.h"

#define CONF_MAX	8192

/*
 * Replace a file under the root atomically (atomicwrite.c), keeping the previous
 * content as NAME.bak when @backup; a NULL @text removes the file.
 */
static int replace_file(const char *abs, const char *text, bool backup)
{
	char path[GH_PATH_MAX], bak[GH_PATH_MAX];

	if (gh_path(path, sizeof(path), abs) ||
	    snprintf(bak, sizeof(bak), "%s.bak", path) >= (int)sizeof(bak))
		return -ENAMETOOLONG;
	if (backup && access(path, F_OK) == 0) {
		unlink(bak);
		if (link(path, bak))
			return -errno;
	}
	if (!text)
		return unlink(path) && errno != ENOENT ? -errno : 0;
	return gh_replace_file(path, text, strlen(text), 0644, true);
}

/**
 * gh_mdev_conf_read() - the mdevs= of gpuhelper-mdev.conf
 * @specs: receives up to GH_MDEVS_MAX entries
 * @nr: receives their number (0 when the file does not exist)
 *
 * Return: 0, or -errno (-EINVAL when the option does not parse).
 */
int gh_mdev_conf_read(struct gh_mdev_spec *specs, unsigned int *nr)
{
	static const char key[] = "options gpuhelper mdevs=";
	char path[GH_PATH_MAX], buf[CONF_MAX], *line, *save = NULL;
	int err;

	*nr = 0;
	if (gh_path(path, sizeof(path), GH_MDEV_CONF))
		return -ENAMETOOLONG;
	err = gh_read_text(path, buf, sizeof(buf));
	if (err)
		return err == -ENOENT ? 0 : err;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, sizeof(key) - 1))
			return gh_mdevs_parse(line + sizeof(key) - 1, specs,
					      GH_MDEVS_MAX, nr, NULL);
	return 0;
}

/**
 * gh_mdevctl_installed() - is mdevctl installed under the root
 *
 * Return: true when its binary or its definition directory exists.
 */
bool gh_mdevctl_installed(void)
{
	return gh_exists("/usr/sbin/mdevctl") || gh_exists("/usr/bin/mdevctl");
}

static int persist_mdevctl(const struct gh_mdev_spec *spec, bool add,
			   bool dry_run, FILE *out)
{
	char abs[256], path[GH_PATH_MAX], old[1024], new[256], uuid[40];
	int err;

	gh_uuid_format(spec->uuid, uuid);
	snprintf(abs, sizeof(abs), GH_MDEVCTL_DIR "/%s/%s", spec->bdf, uuid);
	if (gh_path(path, sizeof(path), abs))
		return -ENAMETOOLONG;
	gh_read_text(path, old, sizeof(old));
	new[0] = '\0';
	/* "manual": gpuhelper creates it at boot, mdevctl only knows it */
	if (add)
		snprintf(new, sizeof(new),
			 "{\n  \"mdev_type\": \"%s\",\n  \"start\": \"manual\",\n  \"attrs\": []\n}\n",
			 spec->type);
	if (!strcmp(old, new))
		return 0;
	gh_diff(out, abs, old[0] ? old : NULL, new);
	if (dry_run)
		return 0;
	if (add) {
		char dir[GH_PATH_MAX];

		snprintf(dir, sizeof(dir), "%s", path);
		*strrchr(dir, '/') = '\0';
		*strrchr(dir, '/') = '\0';
		mkdir(dir, 0755);
		snprintf(dir, sizeof(dir), "%s", path);
		*strrchr(dir, '/') = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
	}
	err = replace_file(abs, add ? new : NULL, false);
	return err;
}

/**
 * gh_mdev_persist() - add or remove one mdev in the boot configuration
 * @spec: the mdev; for removal only @spec->uuid counts
 * @add: add (replacing an entry with the same UUID) or remove it
 * @dry_run: only print the diff
 * @out: where the diff goes
 *
 * Return: 0 or -errno (-E2BIG when mdevs= would exceed GH_MDEVS_MAX).
 */
int gh_mdev_persist(const struct gh_mdev_spec *spec, bool add, bool dry_run,
		    FILE *out)
{
	struct gh_mdev_spec specs[GH_MDEVS_MAX + 1];
	char old[CONF_MAX], new[CONF_MAX], path[GH_PATH_MAX], entry[GH_MDEV_ENTRY_MAX + 2];
	unsigned int nr, i, j;
	size_t len;
	int err;

	err = gh_mdev_conf_read(specs, &nr);
	if (err)
		return err;
	for (i = 0, j = 0; i < nr; i++)
		if (memcmp(specs[i].uuid, spec->uuid, 16))
			specs[j++] = specs[i];
	nr = j;
	if (add) {
		if (nr == GH_MDEVS_MAX)
			return -E2BIG;
		specs[nr++] = *spec;
	}

	if (gh_path(path, sizeof(path), GH_MDEV_CONF))
		return -ENAMETOOLONG;
	gh_read_text(path, old, sizeof(old));
	new[0] = '\0';
	if (nr) {
		len = (size_t)snprintf(new, sizeof(new),
			"# Written by \"gpuhelper mdev --persist\": mediated devices (GVT-g\n"
			"# vGPUs) gpuhelper.ko creates whenever their parent registers.\n"
			"options gpuhelper mdevs=");
		for (i = 0; i < nr; i++) {
			gh_mdev_spec_format(&specs[i], entry, sizeof(entry));
			len += (size_t)snprintf(new + len, sizeof(new) - len, "%s%s",
						i ? "," : "", entry);
		}
		snprintf(new + len, sizeof(new) - len, "\n");
	}
	if (strcmp(old, new)) {
		gh_diff(out, GH_MDEV_CONF, old[0] ? old : NULL, new);
		if (!dry_run) {
			char dir[GH_PATH_MAX];

			if (!gh_path(dir, sizeof(dir), "/etc"))
				mkdir(dir, 0755);
			if (!gh_path(dir, sizeof(dir), "/etc/modprobe.d"))
				mkdir(dir, 0755);
			err = replace_file(GH_MDEV_CONF, nr ? new : NULL, true);
			if (err)
				return err;
		}
	}
	if (gh_mdevctl_installed())
		return persist_mdevctl(spec, add, dry_run, out);
	return 0;
}
