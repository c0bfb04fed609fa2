/* SPDX-License-Identifier: GPL-2.0 */
/*
 * root.h - every path the CLI reads or writes, under an injectable root.
 *
 * The root is "/" unless --root DIR or GPUHELPER_ROOT says otherwise; the
 * PCI snapshot (sys/bus/pci, sys/kernel/iommu_groups) may come from a
 * different tree, a profile, so "plan on the R720" works on any machine.
 *
 * The environment variables gpuhelper honours are read here and nowhere
 * else (gh_env()): with secure_getenv(), so a setuid or file-capability
 * run ignores them, and not at all after gh_env_ignore() (gpuhelper mdev
 * apply, the command udev runs as root).
 */
#ifndef GH_ROOT_H
#define GH_ROOT_H

#include <stddef.h>

#define GH_PATH_MAX 4096

/* Every environment variable gpuhelper reads. */
enum gh_env_var {
	GH_ENV_ROOT,		/* GPUHELPER_ROOT: the root, when no --root */
	GH_ENV_PROFILES,	/* GPUHELPER_PROFILES: machine profiles, first */
};

const char *gh_env(enum gh_env_var var);
const char *gh_env_name(enum gh_env_var var);
void gh_env_ignore(void);

void gh_root_set(const char *dir);
const char *gh_root(void);
void gh_pci_root_set(const char *dir);
const char *gh_pci_root(void);

/* Join the root and an absolute path; -ENAMETOOLONG when it does not fit. */
int gh_path(char *buf, size_t len, const char *abs);
int gh_pci_path(char *buf, size_t len, const char *abs);

/* Read a small file under the root, newline stripped; -errno. */
int gh_read_line(const char *abs, char *buf, size_t len);
int gh_exists(const char *abs);

#endif /* GH_ROOT_H */
