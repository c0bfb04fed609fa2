/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdev_exec.h - the executor of gpuhelper's declared mdevs.
 *
 * gpuhelper.ko records which mdevs should exist on a parent and raises a
 * uevent; the mdev core exports no in-kernel way to create them, so this
 * code (run by the udev rule as "gpuhelper mdev apply BDF", and directly by
 * "gpuhelper mdev create/remove") does what the seed's rc.local did: it
 * writes the UUID into the type's create file, or 1 into the mdev's remove
 * file, and reports each outcome to the module's mdev_result.
 *
 * libc only, so the guest tests link the very same code.
 */
#ifndef GH_MDEV_EXEC_H
#define GH_MDEV_EXEC_H

#include <stdio.h>

#define GH_MDEV_TYPES_MAX	16

/**
 * struct gh_mdev_type_info - one of a parent's mdev types
 * @name: type directory name, e.g. i915-GVTg_V5_4
 * @width: horizontal resolution from the description, 0 when none
 * @height: vertical resolution
 * @avail: available_instances, -errno when unreadable
 * @desc: the description, newlines replaced by ", "
 */
struct gh_mdev_type_info {
	char name[64];
	unsigned int width, height;
	int avail;
	char desc[256];
};

/*
 * @sysroot is prepended to every /sys path ("" on a live system, a
 * fixture directory in the host tests).
 */
int gh_mdev_types_read(const char *sysroot, const char *bdf,
		       struct gh_mdev_type_info *types, int max);
int gh_mdev_pick_default(const struct gh_mdev_type_info *types, int n);
int gh_mdev_apply(const char *sysroot, const char *bdf, FILE *log,
		  const char *uuid, int *uuid_err);

#endif /* GH_MDEV_EXEC_H */
