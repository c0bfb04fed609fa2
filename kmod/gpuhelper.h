/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gpuhelper.h - shared state of the gpuhelper module.
 *
 * A "tracked" device is a PCI function that matches ids=, or the audio
 * function at such a dGPU's slot (with_audio): gpuhelper pins
 * it with driver_override as soon as it appears, binds it, and gives it a
 * class device under /sys/class/gpuhelper/ that lives as long as the PCI
 * device does, whatever driver it is bound to.
 */
#ifndef GPUHELPER_H
#define GPUHELPER_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>

#include "ids.h"
#include <uapi/linux/gpuhelper.h>

#define GH_DRV_NAME	"gpuhelper"

/**
 * struct gh_device - one PCI function held by gpuhelper
 * @node: entry in gh_devices, under gh_lock
 * @ref: references: the list's, and each user's that must outlive gh_lock
 *	(a hand-off, a netlink reader); gh_get()/gh_put()
 * @pdev: the PCI function; gpuhelper holds a reference
 * @dev: the class device /sys/class/gpuhelper/<bdf>
 * @bound: true while gpuhelper's PCI driver is bound to @pdev
 * @state: enum gpuhelper_state, under gh_lock (handoff.c)
 * @role: enum gpuhelper_role, fixed when tracking starts
 * @rpm_allowed: gpuhelper's probe allowed runtime PM (it was forbidden, the
 *	PCI default), so its remove forbids it again
 * @driver: the name of the driver bound now, "" for none, under gh_lock:
 *	what readers report, without the device lock a blocked remove holds
 * @move_lock: serializes the hand-offs of the functions at this dGPU's
 *	slot (held across driver core calls: per slot, never global)
 * @mover: the task moving this function now, so its own binds are not
 *	reported as external
 */
struct gh_device {
	struct list_head node;
	struct kref ref;
	struct pci_dev *pdev;
	struct device *dev;
	bool bound;
	u32 state;
	u32 role;
	bool rpm_allowed;
	char driver[32];
	struct mutex move_lock;	/* see above: per slot */
	struct task_struct *mover;
};

/* main.c */
extern struct mutex gh_lock;
extern struct list_head gh_devices;
extern unsigned int gh_devices_gen;
void gh_devices_changed(void);
void gh_list_add(struct gh_device *gh);
void gh_list_del(struct gh_device *gh);
struct gh_device *gh_find(struct pci_dev *pdev);
struct gh_device *gh_get(struct gh_device *gh);
void gh_put(struct gh_device *gh);

/* param.c */
bool gh_ids_match_pdev(struct pci_dev *pdev);
bool gh_claim_boot_vga(void);
bool gh_with_audio(void);
bool gh_idle_d3(void);
unsigned int gh_nr_ids(void);

/* claim.c */
int gh_claim_init(void);
void gh_claim_exit(void);

/* pm.c */
bool gh_nvidia_hda_enable(struct pci_dev *pdev);
void gh_pm_powered_up(struct pci_dev *pdev);

/* sysfs.c */
int gh_sysfs_init(void);
void gh_sysfs_exit(void);
struct device *gh_sysfs_add(struct gh_device *gh);
void gh_sysfs_del(struct gh_device *gh);
struct device *gh_sysfs_add_groups(struct device *parent, void *drvdata,
				   const struct attribute_group **groups);
void gh_sysfs_remove(struct device *dev);

/* handoff.c: states and safe transitions between gpuhelper, vfio-pci, host */
u32 gh_role_of(struct pci_dev *pdev);
bool gh_is_companion(struct pci_dev *pdev);
void gh_state_init(struct gh_device *gh);
void gh_driver_snapshot(struct gh_device *gh);
void gh_state_driver_changed(struct pci_dev *pdev);
const char *gh_state_name(u32 state);
int gh_state_parse(const char *buf, u32 *state);
int gh_handoff(struct gh_device *gh, u32 target, bool with_audio, u32 cause,
	       char *why, size_t len);
int gh_blockers(struct gh_device *gh, bool with_audio, char *buf, size_t len);
int gh_iommu_group_id(struct pci_dev *pdev);
struct gh_device *gh_find_primary(struct gh_device *gh);

/* netlink.c: the "gpuhelper" generic netlink family */
int gh_netlink_init(void);
void gh_netlink_exit(void);
void gh_netlink_notify(struct gh_device *gh, u32 old, u32 new, u32 cause);

#endif /* GPUHELPER_H */
