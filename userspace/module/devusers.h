/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devusers.h - which processes hold a PCI function's device nodes open:
 * what gpuhelper handoff names before it takes a GPU from its host driver.
 */
#ifndef GH_DEVUSERS_H
#define GH_DEVUSERS_H

struct gh_dev_user {
	int pid;
	char comm[32];
	char node[256];		/* the fd's target, e.g. /dev/dri/card0 */
};

/*
 * The processes with a character device of PCI function @bdf open, under
 * @root ("" for the live system; a test's tree): a node whose /sys/dev/char/MAJ:MIN lies under the
 * function's sysfs device (DRM, sound, and every other class device), and
 * NVIDIA's /dev/nvidiaN of this GPU (its minor in
 * /proc/driver/nvidia/gpus/BDF/information) and /dev/nvidiactl, which
 * NVIDIA's driver gives no sysfs device. One entry per process and node.
 * Return: how many were found (at most @max are stored), or -errno when
 * the function is not in sysfs.
 */
int gh_dev_users(const char *root, const char *bdf, struct gh_dev_user *u, int max);

#endif /* GH_DEVUSERS_H */
