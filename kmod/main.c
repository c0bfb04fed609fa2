// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - gpuhelper: hold a laptop dGPU for VM passthrough.
 *
 * Module entry and the list of tracked devices. Each responsibility has
 * its own file: param.c (ids=), claim.c (early claim and the PCI driver),
 * sysfs.c (the class directory), handoff.c (states and safe transitions),
 * netlink.c (the generic netlink family), faultinject.c (test builds'
 * failure points).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

#include "faultinject.h"
#include "gpuhelper.h"
#include "mdev.h"

/* gh_lock protects gh_devices and each entry's mutable fields */
DEFINE_MUTEX(gh_lock);
LIST_HEAD(gh_devices);
/*
 * The generation of gh_devices, under gh_lock: bumped by every add and
 * removal, so a netlink dump told apart from one that saw the list change
 * (NLM_F_DUMP_INTR). Never 0: the netlink core reads 0 as "not set".
 */
unsigned int gh_devices_gen = 1;

/**
 * gh_devices_changed() - note a change of gh_devices for netlink dumps
 *
 * Context: gh_lock held.
 */
void gh_devices_changed(void)
{
	lockdep_assert_held(&gh_lock);
	if (!++gh_devices_gen)
		gh_devices_gen = 1;
}

/**
 * gh_list_add() - list a newly tracked function
 * @gh: the function
 *
 * Context: gh_lock held.
 */
void gh_list_add(struct gh_device *gh)
{
	list_add_tail(&gh->node, &gh_devices);
	gh_devices_changed();
}

/**
 * gh_list_del() - unlist a tracked function
 * @gh: the function, listed (its list reference is the caller's now)
 *
 * Context: gh_lock held.
 */
void gh_list_del(struct gh_device *gh)
{
	list_del(&gh->node);
	gh_devices_changed();
}

/**
 * gh_find() - the tracked device for a PCI function
 * @pdev: the function
 *
 * Context: gh_lock held.
 * Return: the gh_device, or NULL when @pdev is not tracked.
 */
struct gh_device *gh_find(struct pci_dev *pdev)
{
	struct gh_device *gh;

	lockdep_assert_held(&gh_lock);
	list_for_each_entry(gh, &gh_devices, node)
		if (gh->pdev == pdev)
			return gh;
	return NULL;
}

static void gh_release(struct kref *ref)
{
	struct gh_device *gh = container_of(ref, struct gh_device, ref);

	pci_dev_put(gh->pdev);
	mutex_destroy(&gh->move_lock);
	kfree(gh);
}

/**
 * gh_get() - take a reference on a tracked function
 * @gh: the function, found under gh_lock or already referenced
 *
 * Return: @gh.
 */
struct gh_device *gh_get(struct gh_device *gh)
{
	kref_get(&gh->ref);
	return gh;
}

/**
 * gh_put() - drop a reference; the last one frees the function's record
 * @gh: the function
 */
void gh_put(struct gh_device *gh)
{
	kref_put(&gh->ref, gh_release);
}

/*
 * The generic netlink family is registered last and unregistered first: a
 * request (MDEV_GET needs no privilege) never meets a half-built or
 * half-freed module.
 */
static int __init gh_init(void)
{
	int ret;

	gh_inject_init();
	ret = gh_sysfs_init();
	if (ret)
		goto err_inject;

	ret = gh_claim_init();
	if (ret)
		goto err_sysfs;

	ret = gh_mdev_init();
	if (ret)
		goto err_claim;

	ret = gh_netlink_init();
	if (ret)
		goto err_mdev;

	pr_info("version %s loaded, %u ids= entr%s\n", GH_VERSION,
		gh_nr_ids(), gh_nr_ids() == 1 ? "y" : "ies");
	return 0;

err_mdev:
	gh_mdev_exit();
err_claim:
	gh_claim_exit();
err_sysfs:
	gh_sysfs_exit();
err_inject:
	gh_inject_exit();
	return ret;
}

static void __exit gh_exit(void)
{
	gh_netlink_exit();
	gh_mdev_exit();
	gh_claim_exit();
	gh_sysfs_exit();
	gh_inject_exit();
}

module_init(gh_init);
module_exit(gh_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("gpuhelper developers");
MODULE_DESCRIPTION("Hold a laptop dGPU early and hand it to vfio-pci for VM passthrough");
MODULE_VERSION(GH_VERSION);
