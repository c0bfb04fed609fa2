// SPDX-License-Identifier: GPL-2.0
/*
 * root.c - the injectable root: --root DIR, GPUHELPER_ROOT, or "/".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "root.h"

static const char *root_dir;
static const char *pci_root_dir;

void gh_root_set(const char *dir)
{
	root_dir = dir;
}

const char *gh_root(void)
{
	const char *env;

	if (root_dir)
		return root_dir;
	env = getenv("GPUHELPER_ROOT");
	return env && *env ? env : "/";
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
