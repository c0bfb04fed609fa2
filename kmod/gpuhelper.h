/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gpuhelper.h - shared state of the gpuhelper module.
 *
 * A "tracked" device is a PCI function that matches ids=: gpuhelper pins
 * it with driver_override as soon as it appears, binds it, and gives it a
 * class device under /sys/class/gpuhelper/ that lives as long as the PCI
 * device does, whatever driver it is bound to.
 */
#ifndef GPUHELPER_H
#define GPUHELPER_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>

#include "ids.h"

#define GH_DRV_NAME	"gpuhelper"

/**
 * struct gh_device - one PCI function held by gpuhelper
 * @node: entry in gh_devices, under gh_lock
 * @pdev: the PCI function; gpuhelper holds a reference
 * @dev: the class device /sys/class/gpuhelper/<bdf>
 * @bound: true while gpuhelper's PCI driver is bound to @pdev
 */
struct gh_device {
	struct list_head node;
	struct pci_dev *pdev;
	struct device *dev;
	bool bound;
};

/* core.c */
extern struct mutex gh_lock;
extern struct list_head gh_devices;
struct gh_device *gh_find(struct pci_dev *pdev);

/* param.c */
bool gh_ids_match_pdev(struct pci_dev *pdev);
bool gh_claim_boot_vga(void);
unsigned int gh_nr_ids(void);

/* claim.c */
int gh_claim_init(void);
void gh_claim_exit(void);

/* sysfs.c */
int gh_sysfs_init(void);
void gh_sysfs_exit(void);
struct device *gh_sysfs_add(struct gh_device *gh);
void gh_sysfs_del(struct gh_device *gh);

#endif /* GPUHELPER_H */
