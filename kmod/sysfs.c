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
#include "mdev.h"
#include "vbios.h"

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct gh_device *gh = dev_get_drvdata(dev);
	u32 state;

	mutex_lock(&gh_lock);
	state = gh->state;
	mutex_unlock(&gh_lock);
	return sysfs_emit(buf, "%s\n", gh_state_name(state));
}

/* Writing stub, vfio or host hands the function off (handoff.c). */
static ssize_t state_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct gh_device *gh = dev_get_drvdata(dev);
	char why[80];
	u32 target;
	int ret;

	/* sysfs_streq() stops at a NUL: "vfio\0junk" is not "vfio" */
	if (strnlen(buf, count) != count)
		return -EINVAL;
	ret = gh_state_parse(buf, &target);
	if (ret)
		return ret;
	/* @gh stays valid: removing the class device waits for this */
	ret = gh_handoff(gh, target, true, GPUHELPER_CAUSE_SYSFS, why,
			 sizeof(why));
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(state);

static ssize_t blockers_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct gh_device *gh = dev_get_drvdata(dev);
	int ret;

	ret = gh_blockers(gh, true, buf, PAGE_SIZE);
	if (ret < 0)
		return ret;
	return strlen(buf);
}
static DEVICE_ATTR_RO(blockers);

static ssize_t role_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	static const char * const names[] = {
		[GPUHELPER_ROLE_DGPU] = "dgpu",
		[GPUHELPER_ROLE_AUDIO] = "audio",
		[GPUHELPER_ROLE_OTHER] = "other",
	};
	struct gh_device *gh = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", names[gh->role]);
}
static DEVICE_ATTR_RO(role);

static struct attribute *gh_attrs[] = {
	&dev_attr_state.attr,
	&dev_attr_blockers.attr,
	&dev_attr_role.attr,
	NULL,
};

static const struct attribute_group gh_group = {
	.attrs = gh_attrs,
};

static const struct attribute_group *gh_groups[] = {
	&gh_group,
	&gh_vbios_group,	/* vbios.c: vbios, vbios_source, vbios_info */
	NULL,
};

/* Every uevent of a class device: an mdev parent's asks for a sync. */
static int gh_dev_uevent(GH_UEVENT_CONST struct device *dev,
			 struct kobj_uevent_env *env)
{
	return gh_mdev_dev_uevent(dev, env);
}

/* No .dev_groups: each kind of class device brings its own attributes. */
static struct class gh_class = {
	.name		= GH_DRV_NAME,
	.dev_uevent	= gh_dev_uevent,
};

/**
 * gh_sysfs_add() - create the class device of a tracked function
 * @gh: the tracked function
 *
 * Return: the class device or an ERR_PTR().
 */
struct device *gh_sysfs_add(struct gh_device *gh)
{
	return device_create_with_groups(&gh_class, &gh->pdev->dev, MKDEV(0, 0),
					 gh, gh_groups, "%s", pci_name(gh->pdev));
}

/**
 * gh_sysfs_add_groups() - a class device for a function gpuhelper does not
 * hold (an mdev parent), with its own attributes
 * @parent: the PCI device; the class device is named after it
 * @drvdata: what the attributes find with dev_get_drvdata()
 * @groups: the attributes
 *
 * Return: the class device or an ERR_PTR().
 */
struct device *gh_sysfs_add_groups(struct device *parent, void *drvdata,
				   const struct attribute_group **groups)
{
	return device_create_with_groups(&gh_class, parent, MKDEV(0, 0),
					 drvdata, groups, "%s", dev_name(parent));
}

/**
 * gh_sysfs_remove() - remove a class device made by gh_sysfs_add_groups()
 * @dev: the class device, or NULL
 *
 * Waits for running attribute callbacks: call it without locks they take.
 */
void gh_sysfs_remove(struct device *dev)
{
	if (dev)
		device_unregister(dev);
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
