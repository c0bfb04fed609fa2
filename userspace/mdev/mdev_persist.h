/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdev_persist.h - make a declared mdev survive reboots: the mdevs= module
 * option in /etc/modprobe.d/gpuhelper-mdev.conf and, where mdevctl is
 * installed, its definition in /etc/mdevctl.d/<parent>/<uuid>. Every path
 * is under the injectable root (root.h).
 */
#ifndef GH_MDEV_PERSIST_H
#define GH_MDEV_PERSIST_H

#include <stdbool.h>
#include <stdio.h>

#include "mdevs.h"

#define GH_MDEV_CONF	"/etc/modprobe.d/gpuhelper-mdev.conf"
#define GH_MDEVCTL_DIR	"/etc/mdevctl.d"

int gh_mdev_conf_read(struct gh_mdev_spec *specs, unsigned int *nr);
int gh_mdev_persist(const struct gh_mdev_spec *spec, bool add, bool dry_run,
		    FILE *out);
bool gh_mdevctl_installed(void);

#endif /* GH_MDEV_PERSIST_H */
