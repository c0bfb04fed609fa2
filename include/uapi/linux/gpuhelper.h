/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * gpuhelper.h - the gpuhelper generic netlink family.
 *
 * Described by Documentation/netlink/specs/gpuhelper.yaml, which is the
 * source of truth; this header follows it by hand. Numbers are ABI: new
 * commands, attributes and values are appended, never renumbered.
 */
#ifndef _UAPI_LINUX_GPUHELPER_H
#define _UAPI_LINUX_GPUHELPER_H

#define GPUHELPER_FAMILY_NAME		"gpuhelper"
#define GPUHELPER_FAMILY_VERSION	1
#define GPUHELPER_MCGRP_EVENTS		"events"

/**
 * enum gpuhelper_state - where a tracked PCI function is
 * @GPUHELPER_STATE_STUB: bound to gpuhelper, idle
 * @GPUHELPER_STATE_VFIO: bound to vfio-pci, ready for a VM
 * @GPUHELPER_STATE_HOST: released to the host's own driver, or to none
 *	when no driver matches
 * @GPUHELPER_STATE_UNBOUND: no driver, but still pinned to gpuhelper or
 *	vfio-pci (after a manual unbind); not a target of set-state
 */
enum gpuhelper_state {
	GPUHELPER_STATE_STUB = 1,
	GPUHELPER_STATE_VFIO,
	GPUHELPER_STATE_HOST,
	GPUHELPER_STATE_UNBOUND,

	/* private: */
	__GPUHELPER_STATE_MAX,
	GPUHELPER_STATE_MAX = (__GPUHELPER_STATE_MAX - 1)
};

/**
 * enum gpuhelper_role - what a tracked function is to the hand-off
 * @GPUHELPER_ROLE_DGPU: the dGPU (display class, or function 0 of its
 *	slot); a hand-off of it moves its slot's tracked functions along
 * @GPUHELPER_ROLE_AUDIO: HDMI/DP audio function (class 0403) at a dGPU's
 *	slot; follows the dGPU unless told otherwise
 * @GPUHELPER_ROLE_OTHER: another function at a dGPU's slot listed in ids=
 *	(USB-C, UCSI); always follows the dGPU
 */
enum gpuhelper_role {
	GPUHELPER_ROLE_DGPU = 1,
	GPUHELPER_ROLE_AUDIO,
	GPUHELPER_ROLE_OTHER,

	/* private: */
	__GPUHELPER_ROLE_MAX,
	GPUHELPER_ROLE_MAX = (__GPUHELPER_ROLE_MAX - 1)
};

/**
 * enum gpuhelper_cause - what made a state change
 * @GPUHELPER_CAUSE_SYSFS: a write to /sys/class/gpuhelper/<bdf>/state
 * @GPUHELPER_CAUSE_NETLINK: a GPUHELPER_CMD_DEV_SET_STATE request
 * @GPUHELPER_CAUSE_EXTERNAL: a bind or unbind gpuhelper did not make
 *	(driver_override/bind/unbind in sysfs, a driver loading or unloading)
 */
enum gpuhelper_cause {
	GPUHELPER_CAUSE_SYSFS = 1,
	GPUHELPER_CAUSE_NETLINK,
	GPUHELPER_CAUSE_EXTERNAL,

	/* private: */
	__GPUHELPER_CAUSE_MAX,
	GPUHELPER_CAUSE_MAX = (__GPUHELPER_CAUSE_MAX - 1)
};

/*
 * Attributes: one flat set for every command; see the spec for which
 * command carries which. Strings are NUL-terminated.
 */
enum gpuhelper_a {
	GPUHELPER_A_UNSPEC,
	GPUHELPER_A_DEV_BDF,		/* string: "0000:01:00.0" */
	GPUHELPER_A_DEV_STATE,		/* u32: enum gpuhelper_state */
	GPUHELPER_A_DEV_ROLE,		/* u32: enum gpuhelper_role */
	GPUHELPER_A_DEV_VENDOR,		/* u16 */
	GPUHELPER_A_DEV_DEVICE,		/* u16 */
	GPUHELPER_A_DEV_SUBVENDOR,	/* u16 */
	GPUHELPER_A_DEV_SUBDEVICE,	/* u16 */
	GPUHELPER_A_DEV_CLASS,		/* u32: 24-bit class code */
	GPUHELPER_A_DEV_IOMMU_GROUP,	/* u32: absent without an IOMMU group */
	GPUHELPER_A_DEV_DRIVER,		/* string: absent when unbound */
	GPUHELPER_A_DEV_BLOCKER,	/* string, repeated: one per blocker */
	GPUHELPER_A_DEV_PRIMARY,	/* string: BDF of the dGPU it follows */
	GPUHELPER_A_DEV_WITH_AUDIO,	/* u8: set-state moves audio along (1) */
	GPUHELPER_A_DEV_OLD_STATE,	/* u32: enum gpuhelper_state (events) */
	GPUHELPER_A_DEV_CAUSE,		/* u32: enum gpuhelper_cause (events) */
	GPUHELPER_A_MDEV_PARENT,	/* string: parent BDF, "0000:00:02.0" */
	GPUHELPER_A_MDEV_TYPE,		/* string: "i915-GVTg_V5_4" */
	GPUHELPER_A_MDEV_UUID,		/* binary: 16 bytes, text order */
	GPUHELPER_A_MDEV_STATE,		/* string: "pending", "active", ... */
	GPUHELPER_A_MDEV_ERRNO,		/* s32: why a "failed" one failed */

	/* private: */
	__GPUHELPER_A_MAX,
	GPUHELPER_A_MAX = (__GPUHELPER_A_MAX - 1)
};

enum gpuhelper_cmd {
	GPUHELPER_CMD_UNSPEC,
	GPUHELPER_CMD_DEV_GET,		/* do: one device by BDF; dump: all */
	GPUHELPER_CMD_DEV_SET_STATE,	/* admin: BDF, STATE[, WITH_AUDIO] */
	GPUHELPER_CMD_DEV_STATE_NTF,	/* "events" group: a state change */
	GPUHELPER_CMD_MDEV_GET,		/* do: one mdev by UUID; dump: all */
	GPUHELPER_CMD_MDEV_CREATE,	/* admin: PARENT[, TYPE][, UUID] */
	GPUHELPER_CMD_MDEV_REMOVE,	/* admin: UUID[, PARENT] */

	/* private: */
	__GPUHELPER_CMD_MAX,
	GPUHELPER_CMD_MAX = (__GPUHELPER_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_GPUHELPER_H */
