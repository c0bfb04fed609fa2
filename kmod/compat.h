/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every difference between the kernels gpuhelper builds on
 * (Debian 12's 6.1 and 6.12) lives here, never in the logic.
 *
 * Feature tests come from kmod/Kbuild (GH_HAVE_*, found by looking at the
 * target tree's headers) rather than version numbers, because Debian's
 * stable kernels carry backports: 6.12.117 has the driver core's generic
 * driver_override that mainline gained later.
 */
#ifndef GH_COMPAT_H
#define GH_COMPAT_H

#include <linux/device.h>
#include <linux/pci.h>
#include <linux/string.h>

#ifdef GH_HAVE_DEVICE_DRIVER_OVERRIDE
/* driver_override in struct device, under its own spinlock */

static inline int gh_override_set(struct pci_dev *pdev, const char *name)
{
	return device_set_driver_override(&pdev->dev, name);
}

static inline bool gh_override_is(struct pci_dev *pdev, const char *name)
{
	bool is;

	spin_lock(&pdev->dev.driver_override.lock);
	is = pdev->dev.driver_override.name &&
	     !strcmp(pdev->dev.driver_override.name, name);
	spin_unlock(&pdev->dev.driver_override.lock);
	return is;
}

#else
/* driver_override in struct pci_dev, under the device lock */

static inline int gh_override_set(struct pci_dev *pdev, const char *name)
{
	return driver_set_override(&pdev->dev, &pdev->driver_override, name,
				   strlen(name));
}

static inline bool gh_override_is(struct pci_dev *pdev, const char *name)
{
	bool is;

	device_lock(&pdev->dev);
	is = pdev->driver_override && !strcmp(pdev->driver_override, name);
	device_unlock(&pdev->dev);
	return is;
}

#endif

/*
 * gh_override_set(pdev, "") clears the override on both. Neither variant
 * may be called with the device lock held: on 6.1 it takes it.
 */

#endif /* GH_COMPAT_H */
