/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hostconfig.h - the host side of the guide as file edits: modprobe.d
 * (ids=, softdeps), modules-load.d, the initramfs module list and the
 * kernel command line. Pure text transformations, so they are tested
 * without touching a system; cmd_hostconfig.c shows and writes them.
 */
#ifndef GH_HOSTCONFIG_H
#define GH_HOSTCONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum gh_initramfs { GH_INITRAMFS_NONE, GH_MKINITCPIO, GH_DRACUT, GH_INITRAMFS_TOOLS };
enum gh_bootloader { GH_BOOT_NONE, GH_SYSTEMD_BOOT, GH_GRUB };

#define GH_EDITS_MAX 24

struct gh_hostcfg {
	enum gh_initramfs initramfs;
	enum gh_bootloader bootloader;
	char ids[256];		/* gpuhelper ids= value */
	bool gvt;		/* i915.enable_gvt=1, kvmgt, mdev */
	bool amd;		/* amd_iommu=on rather than intel_iommu=on */
	unsigned int kver;	/* running kernel, major * 1000 + minor; 0 unknown */
};

/* One file: its path under the root, the old text (NULL: absent), the new. */
struct gh_edit {
	char path[512];
	char *old;
	char *new_;
};

int gh_hostcfg_edits(const struct gh_hostcfg *c, struct gh_edit *e, unsigned int *nr,
		     char *why, size_t whylen);
void gh_edits_free(struct gh_edit *e, unsigned int nr);

/* The pieces, for the tests. */
char *gh_cmdline_merge(const char *cmdline, const char *const *params);
char *gh_mkinitcpio_edit(const char *conf, unsigned int kver);
char *gh_grub_edit(const char *conf, const char *const *params);
char *gh_sdboot_edit(const char *entry, const char *const *params);
char *gh_lines_ensure(const char *text, const char *line);
void gh_kernel_params(const struct gh_hostcfg *c, const char **out, unsigned int max);

const char *gh_initramfs_name(enum gh_initramfs i);
const char *gh_bootloader_name(enum gh_bootloader b);

#endif /* GH_HOSTCONFIG_H */
