// SPDX-License-Identifier: GPL-2.0
/*
 * profile.c - where shipped machine profiles live.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pci/profile.h"
#include "lib/root.h"

#ifndef GH_DATADIR
#define GH_DATADIR "/usr/local/share/gpuhelper"
#endif

static char profile_dir[GH_PATH_MAX];
static const char *profile_name;

static int try_dir(const char *base, const char *name, char *dir, size_t len)
{
	char probe[GH_PATH_MAX];
	int n;

	n = snprintf(dir, len, "%s/%s", base, name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	snprintf(probe, sizeof(probe), "%s/sys/bus/pci/devices", dir);
	return access(probe, R_OK) ? -ENOENT : 0;
}

/**
 * gh_profile_find() - the directory of a machine profile
 * @name: "r720", or a directory (contains '/')
 * @dir: receives the directory
 * @len: size of @dir
 *
 * Return: 0, -ENOENT when no profile of that name exists anywhere.
 */
int gh_profile_find(const char *name, char *dir, size_t len)
{
	char exe[GH_PATH_MAX], base[GH_PATH_MAX], *slash;
	const char *env = gh_env(GH_ENV_PROFILES);
	ssize_t n;

	if (strchr(name, '/'))
		return try_dir(name, ".", dir, len);
	if (env && !try_dir(env, name, dir, len))
		return 0;
	/* the build tree: userspace/gpuhelper next to userspace/profiles */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			n = snprintf(base, sizeof(base), "%s/profiles", exe);
			if (n > 0 && (size_t)n < sizeof(base) &&
			    !try_dir(base, name, dir, len))
				return 0;
		}
	}
	if (!try_dir(GH_DATADIR "/profiles", name, dir, len))
		return 0;
	return -ENOENT;
}

int gh_profile_use(const char *name)
{
	int err = gh_profile_find(name, profile_dir, sizeof(profile_dir));

	if (err) {
		fprintf(stderr, "gpuhelper: no profile '%s' (looked in $%s, "
			"next to the binary and in %s/profiles): name a shipped profile "
			"such as r720, or a snapshot directory\n", name,
			gh_env_name(GH_ENV_PROFILES), GH_DATADIR);
		return err;
	}
	profile_name = name;
	gh_pci_root_set(profile_dir);
	return 0;
}

const char *gh_profile_name(void)
{
	return profile_name;
}
