// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - the gpuhelper class: /sys/class/gpuhelper/<bdf>/.
 *
 * The class device is a child of the PCI function, created when tracking
 * starts and removed when the function goes away or the module unloads,
 * so it outlives any driver re-binding. Its attributes are documented in
 * Documentation/ABI/testing/sysfs-class-gpuhelper.
 */
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "gpuhelper.h"

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct gh_device *gh = dev_get_drvdata(dev);
	bool bound;

	mutex_lock(&gh_lock);
	bound = gh->bound;
	mutex_unlock(&gh_lock);
	return sysfs_emit(buf, "%s\n", bound ? "stub" : "unbound");
}
static DEVICE_ATTR_RO(state);

static struct attribute *gh_attrs[] = {
	&dev_attr_state.attr,
	NULL,
};
ATTRIBUTE_GROUPS(gh);

static struct class gh_class = {
	.name		= GH_DRV_NAME,
	.dev_groups	= gh_groups,
};

/**
 * gh_sysfs_add() - create the class device of a tracked function
 * @gh: the tracked function
 *
 * Return: the class device or an ERR_PTR().
 */
struct device *gh_sysfs_add(struct gh_device *gh)
{
	return device_create(&gh_class, &gh->pdev->dev, MKDEV(0, 0), gh,
			     "%s", pci_name(gh->pdev));
}

/**
 * gh_sysfs_del() - remove the class device of a tracked function
 * @gh: the tracked function; a no-op when it has none yet
 *
 * Waits for running attribute callbacks, so @gh may be freed after it.
 */
void gh_sysfs_del(struct gh_device *gh)
{
	if (gh->dev)
		device_unregister(gh->dev);
	gh->dev = NULL;
}

/**
 * gh_sysfs_init() - register the gpuhelper class
 *
 * Return: 0 or a negative errno.
 */
int gh_sysfs_init(void)
{
	return class_register(&gh_class);
}

/**
 * gh_sysfs_exit() - unregister the gpuhelper class
 */
void gh_sysfs_exit(void)
{
	class_unregister(&gh_class);
}
