/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hostconfig.h - the host side of the guide as file edits: modprobe.d
 * (ids=, softdeps), modules-load.d, the initramfs module list and the
 * kernel command line. Pure text transformations planned from the files
 * under the root, so they are tested without touching a system;
 * cmd_hostconfig.c shows and writes them.
 *
 * The rules every plan follows:
 *  - a distribution's drop-in directory is used when its tool reads one
 *    (/etc/default/grub.d, /etc/mkinitcpio.conf.d, /etc/dracut.conf.d);
 *    the main file is edited only when it does not;
 *  - a line is rewritten only when it is a plain KEY="..." (KEY=(...) for
 *    mkinitcpio arrays); any other form is left alone, the plan is refused
 *    and says which line to add by hand;
 *  - a kernel parameter the user set (intel_iommu=, iommu=, ...) is kept,
 *    whatever its value: the difference is reported, never overwritten;
 *  - where gpuhelper does not edit (grubby, kernelstub) it prints the
 *    command to run.
 */
#ifndef GH_HOSTCONFIG_H
#define GH_HOSTCONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum gh_initramfs { GH_INITRAMFS_NONE, GH_MKINITCPIO, GH_DRACUT, GH_INITRAMFS_TOOLS };
enum gh_bootloader {
	GH_BOOT_NONE,
	GH_SYSTEMD_BOOT,	/* loader entries and /etc/kernel/cmdline */
	GH_GRUB,		/* /etc/default/grub (and grub.d where read) */
	GH_GRUBBY,		/* GRUB with BLS entries (Fedora): grubby */
	GH_KERNELSTUB,		/* Pop!_OS: kernelstub */
};

#define GH_EDITS_MAX 64

/* The modprobe.d file host-config writes, and the name older versions used. */
#define GH_MODPROBE_LOCAL	"/etc/modprobe.d/gpuhelper-local.conf"
#define GH_MODPROBE_OLD		"/etc/modprobe.d/gpuhelper.conf"
/* The first line of every file host-config writes whole. */
#define GH_HC_HEADER		"# Written by gpuhelper host-config"

struct gh_hostcfg {
	enum gh_initramfs initramfs;
	enum gh_bootloader bootloader;
	char ids[256];		/* gpuhelper ids= value */
	bool gvt;		/* i915.enable_gvt=1, kvmgt, mdev */
	bool amd;		/* amd_iommu=on rather than intel_iommu=on */
	bool iommu_pt;		/* also iommu=pt (opt-in: --iommu-pt) */
	unsigned int kver;	/* running kernel, major * 1000 + minor; 0 unknown */
	unsigned int lg_mib;	/* Looking Glass's shared memory, 0: none */
	bool lg_kvmfr;		/* from the kvmfr module, not /dev/shm */
	char lg_user[33];	/* its client's user */
};

/*
 * One file: its path under the root, the old text (NULL: absent) and the
 * new one (NULL: remove the file).
 */
struct gh_edit {
	char path[512];
	char *old;
	char *new_;
	bool keep_old;		/* removing: keep the old text as FILE.gpuhelper-bak */
};

/* What host-config (or --revert) would do, and what it has to say. */
struct gh_plan {
	struct gh_edit e[GH_EDITS_MAX];
	unsigned int nr;
	char *notes;		/* conflicts, migrations, repairs: one per line */
	char *todo;		/* commands to run by hand (grubby, kernelstub) */
	char *refused;		/* set: nothing may be written; why, and the fix */
	char error[1280];	/* a file that cannot be read */
};

int gh_hostcfg_plan(const struct gh_hostcfg *c, struct gh_plan *p);
int gh_hostcfg_revert_plan(struct gh_plan *p);
void gh_plan_free(struct gh_plan *p);

/* The kernel parameters gpuhelper wants, NULL-terminated. */
void gh_kernel_params(const struct gh_hostcfg *c, const char **out, unsigned int max);

/* Which tool reads what: the detection host-config uses without --bootloader. */
enum gh_bootloader gh_detect_bootloader(void);
enum gh_initramfs gh_detect_initramfs(void);
bool gh_grub_reads_dropins(void);
bool gh_mkinitcpio_reads_dropins(char *why, size_t len);

/*
 * The pieces, for the tests. A shell assignment of @var as gpuhelper reads
 * it without running anything: its literal words, whether it appends to
 * the old value ($VAR, +=), whether it has parts that only running it
 * would tell ($(...), other variables), and why it is not a plain line.
 */
struct gh_sh_assign {
	unsigned int first, last;	/* its lines, from 1 */
	size_t start, end;		/* byte offsets of those lines */
	const char *not_plain;		/* NULL: KEY="literal" (KEY=(...)) alone */
	bool appends;
	bool opaque;
	bool array;			/* KEY=(...) */
	char *words;			/* the literal words, one space apart */
};

int gh_sh_assigns(const char *text, const char *var, struct gh_sh_assign *a,
		  unsigned int max);
void gh_sh_assigns_free(struct gh_sh_assign *a, unsigned int nr);

bool gh_hostcfg_user_valid(const char *u);

const char *gh_initramfs_name(enum gh_initramfs i);
const char *gh_bootloader_name(enum gh_bootloader b);

#endif /* GH_HOSTCONFIG_H */
