// SPDX-License-Identifier: GPL-2.0
/*
 * claim.c - early claim of the dGPU.
 *
 * A function matching ids= is pinned with driver_override the moment it
 * is added to the PCI bus (a bus notifier runs before any driver probes),
 * so neither nouveau/nvidia nor vfio-pci's own ids= can take it, after an
 * unbind or a remove/rescan alike. gpuhelper's PCI driver has no ID table:
 * it binds only what carries its override, as pci-stub does, and leaves
 * the function idle so runtime PM may suspend it.
 *
 * With with_audio=Y the HDMI/DP audio function at a claimed dGPU's slot is
 * tracked and pinned the same way, as a companion (gh_is_companion() in
 * handoff.c): it shares the dGPU's IOMMU group, so it must move with it.
 * Binds and unbinds of tracked functions are followed (state, events).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/vgaarb.h>

#include "compat.h"
#include "faultinject.h"
#include "gpuhelper.h"
#include "vbios.h"

static bool gh_is_boot_vga(struct pci_dev *pdev)
{
	return vga_default_device() == pdev;
}

static int gh_track_pdev(struct pci_dev *pdev, bool pinned);

static int gh_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct gh_device *gh;
	int ret;

	/*
	 * Not matched by ids= but pinned to gpuhelper by its override (the
	 * claim udev rule, driverctl, an admin): the PCI core matches any
	 * driver named as the override, so this is a claim too. Anything
	 * else that got here (a new_id) is not held.
	 */
	mutex_lock(&gh_lock);
	gh = gh_find(pdev);
	mutex_unlock(&gh_lock);
	if (!gh) {
		if (!gh_override_is_locked(pdev, GH_DRV_NAME)) {
			pci_info(pdev, "neither matched by ids= nor pinned by driver_override: not claiming it\n");
			return -ENODEV;
		}
		ret = gh_track_pdev(pdev, true);
		if (ret)
			return ret;
	}

	mutex_lock(&gh_lock);
	gh = gh_find(pdev);
	if (gh)
		gh->bound = true;
	mutex_unlock(&gh_lock);
	if (!gh)
		return -ENODEV;	/* the boot VGA, or removed meanwhile */

	/* The ROM BAR, while the device is ours and awake (vbios.c). */
	gh_pm_powered_up(pdev);
	gh_vbios_probe(gh);

	/*
	 * PCI devices start with runtime PM forbidden, and vfio-pci forbids
	 * it again when it lets go: allow it, as vfio-pci does while it holds
	 * a device, so that the idle dGPU suspends (to D3cold where the
	 * platform has _PR3). Resumed on demand: the driver core resumes it
	 * for every unbind and probe (hand-offs), vbios.c for its reads.
	 */
	if (gh_idle_d3() && !pdev->dev.power.runtime_auto) {
		pm_runtime_allow(&pdev->dev);
		gh->rpm_allowed = true;
	}

	/* Drop the reference local_pci_probe() took: stay idle. */
	pm_runtime_put(&pdev->dev);
	pci_info(pdev, "claimed%s\n", gh_idle_d3() ? "" : " (disable_idle_d3: kept in D0)");
	return 0;
}

static void gh_remove(struct pci_dev *pdev)
{
	struct gh_device *gh;
	bool forbid = false;

	pm_runtime_get_noresume(&pdev->dev);

	mutex_lock(&gh_lock);
	gh = gh_find(pdev);
	if (gh) {
		gh->bound = false;
		forbid = gh->rpm_allowed;
		gh->rpm_allowed = false;
	}
	mutex_unlock(&gh_lock);
	/* leave runtime PM as gpuhelper found it, for the next driver */
	if (forbid)
		pm_runtime_forbid(&pdev->dev);
	pci_info(pdev, "released\n");
}

/*
 * Runtime PM needs callbacks, or the PCI core refuses to suspend the
 * function (-ENOSYS); a held dGPU has no state to save beyond what the
 * PCI core saves itself. Resume checks what a power-off may have lost
 * (pm.c).
 */
static int gh_runtime_suspend(struct device *dev)
{
	return 0;
}

static int gh_runtime_resume(struct device *dev)
{
	gh_pm_powered_up(to_pci_dev(dev));
	return 0;
}

static const struct dev_pm_ops gh_pm_ops = {
	RUNTIME_PM_OPS(gh_runtime_suspend, gh_runtime_resume, NULL)
};

static struct pci_driver gh_pci_driver = {
	.name		= GH_DRV_NAME,
	.id_table	= NULL,	/* binds only through driver_override */
	.probe		= gh_probe,
	.remove		= gh_remove,
	.driver.pm	= pm_ptr(&gh_pm_ops),
	/* no DMA: the IOMMU group stays viable for vfio, as with pci-stub */
	.driver_managed_dma = true,
};

/*
 * Start tracking @pdev if ids= matches it, or, with @pinned, because its
 * driver_override already names gpuhelper (from probe, device lock held:
 * the override is left as it is). Called from the bus notifier before
 * any driver probes, and at load for functions already present.
 * Lock order: never take a device lock while holding gh_lock (probe holds
 * the device lock and takes gh_lock).
 */
static int gh_track_pdev(struct pci_dev *pdev, bool pinned)
{
	struct gh_device *gh;
	struct device *dev;
	int ret;

	if (!pinned && !gh_ids_match_pdev(pdev) && !gh_is_companion(pdev))
		return 0;

	if (gh_is_boot_vga(pdev) && !gh_claim_boot_vga()) {
		pci_warn(pdev, "is the boot VGA device: not claiming it (set claim_boot_vga=1 to override)\n");
		return 0;
	}

	gh = gh_inject(GH_FAULT_ALLOC) ? NULL : kzalloc(sizeof(*gh), GFP_KERNEL);
	if (!gh)
		return -ENOMEM;

	/* Find and insert in one step: the load-time scan may race a hotplug. */
	mutex_lock(&gh_lock);
	if (gh_find(pdev)) {
		mutex_unlock(&gh_lock);
		kfree(gh);
		return 0;
	}
	kref_init(&gh->ref);		/* the list's */
	mutex_init(&gh->move_lock);
	gh->pdev = pci_dev_get(pdev);
	gh_state_init(gh);
	gh_list_add(gh);
	mutex_unlock(&gh_lock);

	ret = pinned ? 0 : gh_override_set(pdev, GH_DRV_NAME);
	if (ret)
		goto err_unlist;

	dev = gh_sysfs_add(gh);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto err_override;
	}
	gh->dev = dev;

	if (pinned)
		pci_info(pdev, "pinned by driver_override, not by ids=: holding it\n");
	else if (pdev->dev.driver)
		pci_warn(pdev, "already bound to %s: gpuhelper holds it from the next unbind on\n",
			 pdev->dev.driver->name);
	return 0;

err_override:
	if (!pinned)
		gh_override_set(pdev, "");
err_unlist:
	mutex_lock(&gh_lock);
	gh_list_del(gh);
	mutex_unlock(&gh_lock);
	gh_put(gh);
	pci_err(pdev, "cannot track: %d\n", ret);
	return ret;
}

static int gh_track(struct pci_dev *pdev)
{
	return gh_track_pdev(pdev, false);
}

/*
 * Stop tracking an unlisted function: remove the class device, release
 * the override, drop the list's reference (a hand-off or reader still
 * holding one keeps the record until it is done).
 */
static void gh_untrack(struct gh_device *gh)
{
	struct pci_dev *pdev = gh->pdev;

	gh_sysfs_del(gh);	/* waits for attribute callbacks */
	gh_vbios_free(gh);
	if (gh_override_is(pdev, GH_DRV_NAME))
		gh_override_set(pdev, "");
	gh_put(gh);
}

static int gh_bus_notify(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	struct gh_device *gh;
	int ret;

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		ret = gh_track(pdev);
		if (ret)
			pci_warn(pdev, "not claimed (%d): its own driver may take it\n",
				 ret);
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
	case BUS_NOTIFY_UNBOUND_DRIVER:
		gh_state_driver_changed(pdev);
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		/*
		 * Unlisted under gh_lock alone: a hand-off holds its slot's
		 * lock across a host driver's remove, which may block
		 * (nvidia's waits for its users), and the hot-remove of a
		 * dock's device must not wait for it. A hand-off or reader
		 * of this function holds a reference and sees it unlisted.
		 */
		mutex_lock(&gh_lock);
		gh = gh_find(pdev);
		if (gh)
			gh_list_del(gh);
		mutex_unlock(&gh_lock);
		if (gh)
			gh_untrack(gh);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block gh_bus_nb = {
	.notifier_call = gh_bus_notify,
};

static void gh_untrack_all(void)
{
	struct gh_device *gh, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&gh_lock);
	list_splice_init(&gh_devices, &gone);
	gh_devices_changed();
	mutex_unlock(&gh_lock);

	list_for_each_entry_safe(gh, tmp, &gone, node) {
		list_del(&gh->node);
		gh_untrack(gh);
	}
}

/**
 * gh_claim_init() - start claiming: notifier, present devices, driver
 *
 * Return: 0 or a negative errno.
 */
int gh_claim_init(void)
{
	struct pci_dev *pdev = NULL;
	int ret;

	/* Notifier first, so no function added meanwhile is missed. */
	ret = bus_register_notifier(&pci_bus_type, &gh_bus_nb);
	if (ret)
		return ret;

	/*
	 * The functions present now, with hotplug held off. One that cannot
	 * be tracked (out of memory) is left to its own driver and named;
	 * the load goes on, so the others, the dGPU above all, stay held.
	 */
	pci_lock_rescan_remove();
	for_each_pci_dev(pdev) {
		ret = gh_track(pdev);
		if (ret)
			pci_warn(pdev, "not claimed (%d): its own driver may take it\n", ret);
	}
	pci_unlock_rescan_remove();

	ret = pci_register_driver(&gh_pci_driver);
	if (ret)
		goto err_untrack;
	return 0;

err_untrack:
	bus_unregister_notifier(&pci_bus_type, &gh_bus_nb);
	gh_untrack_all();
	return ret;
}

/**
 * gh_claim_exit() - release every function, leaving it unbound and clean
 */
void gh_claim_exit(void)
{
	bus_unregister_notifier(&pci_bus_type, &gh_bus_nb);
	pci_unregister_driver(&gh_pci_driver);
	gh_untrack_all();
}
