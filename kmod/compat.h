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
#include <linux/netlink.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>

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

/* gh_override_is() for a caller holding the device lock (probe). */
static inline bool gh_override_is_locked(struct pci_dev *pdev, const char *name)
{
	return gh_override_is(pdev, name);
}

/* A copy of the override ("" when none) to restore later; kfree() it. */
static inline char *gh_override_dup(struct pci_dev *pdev)
{
	char *name;

	spin_lock(&pdev->dev.driver_override.lock);
	name = kstrdup(pdev->dev.driver_override.name ?: "", GFP_ATOMIC);
	spin_unlock(&pdev->dev.driver_override.lock);
	return name;
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

/* gh_override_is() for a caller holding the device lock (probe). */
static inline bool gh_override_is_locked(struct pci_dev *pdev, const char *name)
{
	device_lock_assert(&pdev->dev);
	return pdev->driver_override && !strcmp(pdev->driver_override, name);
}

/* A copy of the override ("" when none) to restore later; kfree() it. */
static inline char *gh_override_dup(struct pci_dev *pdev)
{
	char *name;

	device_lock(&pdev->dev);
	name = kstrdup(pdev->driver_override ?: "", GFP_KERNEL);
	device_unlock(&pdev->dev);
	return name;
}

#endif

/*
 * gh_override_set(pdev, "") clears the override on both. Neither variant
 * may be called with the device lock held: on 6.1 it takes it.
 */

/* A class's dev_uevent takes a const device from 6.2 on. */
#ifdef GH_HAVE_CONST_DEV_UEVENT
#define GH_UEVENT_CONST const
#else
#define GH_UEVENT_CONST
#endif

/*
 * Netlink error messages naming the blocking device: 6.1 has only static
 * extack strings (the pointer outlives the handler), so there the message
 * points at the blockers attribute and the kernel log instead.
 */
static inline void gh_extack_why(struct netlink_ext_ack *extack,
				 const char *why)
{
#ifdef NL_SET_ERR_MSG_FMT
	NL_SET_ERR_MSG_FMT(extack, "%.*s", NETLINK_MAX_FMTMSG_LEN - 1, why);
#else
	NL_SET_ERR_MSG(extack, "hand-off refused: see the device's blockers and the kernel log");
#endif
}

/* The attributes of a dump request, parsed with its operation's policy. */
static inline struct nlattr **gh_genl_dump_attrs(struct netlink_callback *cb)
{
#ifdef GH_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* The header type's multi-function bit: named in pci_regs.h from 6.7 on. */
#ifndef PCI_HEADER_TYPE_MFD
#define PCI_HEADER_TYPE_MFD	0x80
#endif

#endif /* GH_COMPAT_H */
