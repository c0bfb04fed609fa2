// SPDX-License-Identifier: GPL-2.0
/*
 * root.c - the injectable root: --root DIR, GPUHELPER_ROOT, or "/"; and
 * the one place that reads gpuhelper's environment variables.
 */
#define _GNU_SOURCE		/* secure_getenv() */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "lib/root.h"

static const char *root_dir;
static const char *pci_root_dir;
static bool env_ignored;

static const char *const env_names[] = {
	[GH_ENV_ROOT] = "GPUHELPER_ROOT",
	[GH_ENV_PROFILES] = "GPUHELPER_PROFILES",
};

/**
 * gh_env() - one of gpuhelper's environment variables
 * @var: which
 *
 * They exist for tests and for planning on another machine's snapshot,
 * and they redirect what root reads and writes: so they are read with
 * secure_getenv() (a setuid or file-capability run, AT_SECURE, sees none)
 * and not at all after gh_env_ignore().
 *
 * Return: the value, or NULL when unset, empty or ignored.
 */
const char *gh_env(enum gh_env_var var)
{
	const char *v;

	if (env_ignored)
		return NULL;
	v = secure_getenv(env_names[var]);
	return v && *v ? v : NULL;
}

/* The variable's name, for messages. */
const char *gh_env_name(enum gh_env_var var)
{
	return env_names[var];
}

/**
 * gh_env_ignore() - read no environment variable from now on
 *
 * For "gpuhelper mdev apply", which udev runs as root with an environment
 * any udev rule can add to (ENV{GPUHELPER_ROOT}=...): it works on the live
 * /sys only (or a --root given on its command line).
 */
void gh_env_ignore(void)
{
	env_ignored = true;
}

void gh_root_set(const char *dir)
{
	root_dir = dir;
}

const char *gh_root(void)
{
	const char *env;

	if (root_dir)
		return root_dir;
	env = gh_env(GH_ENV_ROOT);
	return env ? env : "/";
}

void gh_pci_root_set(const char *dir)
{
	pci_root_dir = dir;
}

const char *gh_pci_root(void)
{
	return pci_root_dir ? pci_root_dir : gh_root();
}

static int join(char *buf, size_t len, const char *root, const char *abs)
{
	int n;

	if (!strcmp(root, "/"))
		root = "";
	while (*abs == '/')
		abs++;
	n = snprintf(buf, len, "%s/%s", root, abs);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int gh_path(char *buf, size_t len, const char *abs)
{
	return join(buf, len, gh_root(), abs);
}

int gh_pci_path(char *buf, size_t len, const char *abs)
{
	return join(buf, len, gh_pci_root(), abs);
}

int gh_read_line(const char *abs, char *buf, size_t len)
{
	char path[GH_PATH_MAX];
	int err;

	err = gh_path(path, sizeof(path), abs);
	if (!err)
		err = gh_read_text(path, buf, len);
	if (err)
		return err;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int gh_exists(const char *abs)
{
	char path[GH_PATH_MAX];

	if (gh_path(path, sizeof(path), abs))
		return 0;
	return access(path, F_OK) == 0;
}
