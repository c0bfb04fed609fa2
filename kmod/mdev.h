/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdev.h - gpuhelper's mediated-device (GVT-g vGPU) requests.
 *
 * The mdev core exports no way for one module to create or remove an mdev
 * on another driver's parent (mdev_device_create() is private to mdev.ko
 * on 6.1 and 6.12 alike), so gpuhelper keeps the *declared* mdevs of each
 * parent and announces every change with a uevent; the executor shipped
 * with gpuhelper (udev rule -> "gpuhelper mdev apply PARENT") performs the
 * create or remove through the mdev core's sysfs ABI and reports back.
 * See Documentation/mdev.rst.
 *
 * Interfaces (sysfs in mdev.c, netlink) call these; they take gh_mdev_lock
 * themselves and must not be called with it held.
 */
#ifndef GH_MDEV_H
#define GH_MDEV_H

#include <linux/types.h>

struct device;
struct kobj_uevent_env;

#include "mdevs.h"

/**
 * struct gh_mdev_info - one mdev as gh_mdev_for_each() reports it
 * @parent: the parent PCI function
 * @type: the type directory name, "" while not known (default type not
 *	resolved yet, or an mdev gpuhelper did not declare)
 * @uuid: the UUID, as /sys/bus/mdev/devices/ names it
 * @state: "waiting" (parent not registered), "pending" (declared, not
 *	created yet), "active" (exists), "failed" (the executor could not
 *	create it), "removing" (removal requested) or "unmanaged" (exists,
 *	not declared through gpuhelper)
 * @err: for "failed", the errno the creation failed with
 */
struct gh_mdev_info {
	char parent[GH_MDEV_BDF_LEN + 1];
	char type[GH_MDEV_TYPE_MAX + 1];
	char uuid[GH_MDEV_UUID_LEN + 1];
	const char *state;
	int err;
};

int gh_mdev_init(void);
int gh_mdev_dev_uevent(const struct device *dev, struct kobj_uevent_env *env);
void gh_mdev_exit(void);

int gh_mdev_create(const char *parent, const char *type, u8 uuid[16],
		   bool gen_uuid);
int gh_mdev_remove(const char *parent, const u8 uuid[16], bool declared_only);
int gh_mdev_result(const char *parent, const u8 uuid[16], bool removed,
		   int err, const char *type);
int gh_mdev_for_each(const char *parent,
		     int (*cb)(const struct gh_mdev_info *info, void *arg),
		     void *arg);

#endif /* GH_MDEV_H */
