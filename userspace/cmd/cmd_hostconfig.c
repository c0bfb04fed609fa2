// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_hostconfig.c - gpuhelper host-config: show the diff of every host
 * file the guide edits by hand, then write them atomically with backups,
 * all or none; --revert puts back what it wrote.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pci/arch.h"
#include "lib/atomicwrite.h"
#include "lib/opts.h"
#include "commands.h"
#include "lib/diff.h"
#include "domain/display.h"
#include "host/hostconfig.h"
#include "ids.h"
#include "pci/pcisnap.h"
#include "pci/profile.h"
#include "lib/root.h"

#define HC "gpuhelper host-config"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct hc_opts {
	struct gh_hostcfg c;
	const char *gpu, *kernel;
	bool dry, no_gvt, revert;
};

static unsigned int parse_kver(const char *s)
{
	unsigned int maj = 0, min = 0;

	if (sscanf(s, "%u.%u", &maj, &min) != 2)
		return 0;
	return maj * 1000 + min;
}

static bool cpu_is_amd(const struct gh_pci *snap)
{
	char path[GH_PATH_MAX], *text = NULL;
	const struct gh_pci_dev *hb;
	size_t len;
	bool amd;

	if (!gh_path(path, sizeof(path), "/proc/cpuinfo") &&
	    !gh_load_file(path, &text, &len)) {
		amd = strstr(text, "AuthenticAMD") != NULL;
		free(text);
		return amd;
	}
	hb = gh_pci_find(snap, "0000:00:00.0");
	return hb && hb->vendor == 0x1022;
}

static int make_ids(const struct gh_topology *t, char *buf, size_t len)
{
	struct gh_id ids[GH_IDS_MAX];
	struct gh_list_error err = { 0 };
	const struct gh_pci_dev *d = t->dgpu->dev, *a = t->dgpu->audio;
	unsigned int nr;
	int n;

	n = snprintf(buf, len, "%04x:%04x:%04x:%04x", d->vendor, d->device,
		     d->subvendor, d->subdevice);
	/* its HDMI audio function shares the IOMMU group: hold it too */
	if (a)
		n += snprintf(buf + n, len - (size_t)n, ",%04x:%04x:%04x:%04x", a->vendor,
			      a->device, a->subvendor, a->subdevice);
	if (gh_ids_parse(buf, ids, GH_IDS_MAX, &nr, &err)) {
		fprintf(stderr, HC ": ids=%s: entry %u '%s': %s\n",
			buf, err.index, err.entry, err.reason);
		return -EINVAL;
	}
	return 0;
}

/* ---- writing: all or none ---- */

/* Directories a write created, to remove again when the whole fails. */
struct made_dirs {
	char path[GH_EDITS_MAX * 2][GH_PATH_MAX];
	unsigned int n;
};

static int make_parents(const char *path, struct made_dirs *m)
{
	char dir[GH_PATH_MAX], *slash;
	unsigned int first = m->n, i, j;

	snprintf(dir, sizeof(dir), "%s", path);
	/* the missing parents, deepest first */
	while ((slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		if (!access(dir, F_OK) || m->n == ARRAY_SIZE(m->path))
			break;
		snprintf(m->path[m->n++], sizeof(m->path[0]), "%s", dir);
	}
	/* shallowest first: a failed run removes them from the end */
	for (i = first, j = m->n; i + 1 < j; i++, j--) {
		char tmp[GH_PATH_MAX];

		memcpy(tmp, m->path[i], sizeof(tmp));
		memcpy(m->path[i], m->path[j - 1], sizeof(tmp));
		memcpy(m->path[j - 1], tmp, sizeof(tmp));
	}
	return gh_make_parents(path);
}

static int write_one(const struct gh_edit *e, bool backup, struct made_dirs *m)
{
	char path[GH_PATH_MAX], bak[GH_PATH_MAX + 32];
	int err = gh_path(path, sizeof(path), e->path);

	if (err)
		return err;
	if (e->new_) {
		if (!e->old)
			err = make_parents(path, m);
		return err ? err : gh_replace_file(path, e->new_, strlen(e->new_), 0644, backup);
	}
	if (e->keep_old) {
		snprintf(bak, sizeof(bak), "%s" GH_BACKUP_SUFFIX, path);
		err = gh_replace_file(bak, e->old, strlen(e->old), GH_BACKUP_MODE, false);
		if (err)
			return err;
	}
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return 0;
}

/* Put one file back as it was before write_one(). */
static void undo_one(const struct gh_edit *e)
{
	char path[GH_PATH_MAX];

	if (gh_path(path, sizeof(path), e->path))
		return;
	if (!e->old) {
		unlink(path);
	} else if (gh_replace_file(path, e->old, strlen(e->old), 0644, false)) {
		fprintf(stderr, HC ": could not restore %s: its old content is in "
			"%s" GH_BACKUP_SUFFIX "\n", path, path);
	}
}

/* Write every edit or none: on a failure, put back what was written. */
static int write_all(const struct gh_plan *p, bool backup)
{
	struct made_dirs *m = calloc(1, sizeof(*m));
	unsigned int i, j;
	int err = 0;

	if (!m)
		return -ENOMEM;
	for (i = 0; i < p->nr && !err; i++)
		err = write_one(&p->e[i], backup, m);
	if (err) {
		i--;
		fprintf(stderr, HC ": cannot %s %s%s: %s; %s\n",
			p->e[i].new_ ? "write" : "remove", strcmp(gh_root(), "/") ? gh_root() : "",
			p->e[i].path, gh_file_strerror(err),
			i ? "putting back the files already written" : "nothing was changed");
		for (j = 0; j < i; j++)
			undo_one(&p->e[j]);
		while (m->n--)
			rmdir(m->path[m->n]);
	}
	free(m);
	return err;
}

/* ---- what the user sees ---- */

static bool is_backup(const char *path)
{
	size_t l = strlen(path), s = strlen(GH_BACKUP_SUFFIX);

	return l > s && !strcmp(path + l - s, GH_BACKUP_SUFFIX);
}

static void show_edits(const struct gh_plan *p)
{
	unsigned int i;

	for (i = 0; i < p->nr; i++) {
		if (!p->e[i].new_ && is_backup(p->e[i].path))
			printf(HC ": removes %s, the backup restored above\n", p->e[i].path);
		else
			gh_diff(stdout, p->e[i].path, p->e[i].old, p->e[i].new_);
	}
}

static void grub_step(void)
{
	if (gh_exists("/usr/sbin/update-grub"))
		printf("update-grub; ");
	else if (gh_exists("/usr/sbin/grub2-mkconfig") || gh_exists("/usr/bin/grub2-mkconfig") ||
		 gh_exists("/boot/grub2"))
		printf("grub2-mkconfig -o /boot/grub2/grub.cfg; ");
	else
		printf("grub-mkconfig -o /boot/grub/grub.cfg (update-grub on Debian); ");
}

static void next_steps(const struct gh_hostcfg *c)
{
	printf("next: ");
	switch (c->initramfs) {
	case GH_MKINITCPIO:
		printf("mkinitcpio -P; ");
		break;
	case GH_DRACUT:
		printf("dracut --regenerate-all --force; ");
		break;
	case GH_INITRAMFS_TOOLS:
		printf("update-initramfs -u -k all; ");
		break;
	case GH_INITRAMFS_NONE:
		break;
	}
	if (c->bootloader == GH_GRUB)
		grub_step();
	printf("reboot, then gpuhelper doctor\n");
}

static void show_todo(const struct gh_plan *p)
{
	if (p->todo)
		printf(HC ": gpuhelper does not edit this bootloader's command line; "
		       "run:\n"
		       "    %.*s\n", (int)strcspn(p->todo, "\n"), p->todo);
}

/* ---- the two runs ---- */

static int run_revert(const struct hc_opts *o)
{
	struct gh_plan p;
	int err = gh_hostcfg_revert_plan(&p), rc = GH_EXIT_OK;

	if (err) {
		fprintf(stderr, HC " --revert: %s\n", p.error);
		return GH_EXIT_ERROR;
	}
	show_edits(&p);
	if (!p.nr) {
		printf(HC " --revert: nothing to revert under %s\n", gh_root());
	} else if (o->dry) {
		printf(HC " --revert: --dry-run: %u change%s not made\n", p.nr,
		       p.nr == 1 ? "" : "s");
	} else if (write_all(&p, false)) {
		rc = GH_EXIT_ERROR;
	} else {
		printf(HC " --revert: made %u change%s\n", p.nr, p.nr == 1 ? "" : "s");
		next_steps(&o->c);
	}
	gh_plan_free(&p);
	return rc;
}

static int run_config(const struct hc_opts *o)
{
	struct gh_plan p;
	int err = gh_hostcfg_plan(&o->c, &p), rc = GH_EXIT_OK;

	if (err) {
		fprintf(stderr, HC ": %s\n", p.error);
		gh_plan_free(&p);
		return GH_EXIT_ERROR;
	}
	if (p.notes)
		fputs(p.notes, stderr);
	if (p.refused) {
		fputs(p.refused, stderr);
		fprintf(stderr, HC ": nothing was written\n");
		gh_plan_free(&p);
		return GH_EXIT_FAIL;
	}
	fflush(stderr);
	show_edits(&p);
	if (!p.nr) {
		printf(HC ": nothing to change (%s, %s)\n", gh_initramfs_name(o->c.initramfs),
		       gh_bootloader_name(o->c.bootloader));
	} else if (o->dry) {
		printf(HC ": --dry-run: %u file%s not written\n", p.nr, p.nr == 1 ? "" : "s");
	} else if (write_all(&p, true)) {
		rc = GH_EXIT_ERROR;
	} else {
		printf(HC ": wrote %u file%s (old versions kept as FILE%s)\n", p.nr,
		       p.nr == 1 ? "" : "s", GH_BACKUP_SUFFIX);
	}
	if (rc == GH_EXIT_OK)
		show_todo(&p);
	if (rc == GH_EXIT_OK && p.nr && !o->dry)
		next_steps(&o->c);
	gh_plan_free(&p);
	return rc;
}

/* ---- arguments, detection, the PCI side ---- */

enum {
	OPT_INITRAMFS = 256, OPT_BOOTLOADER, OPT_ROOT, OPT_PROFILE, OPT_GPU, OPT_NO_GVT,
	OPT_KERNEL, OPT_IOMMU_PT, OPT_REVERT, OPT_LG, OPT_LG_KVMFR, OPT_LG_USER,
};

static const struct gh_opt hc_opts_table[] = {
	{ OPT_INITRAMFS, "initramfs", "mkinitcpio|dracut|initramfs-tools",
	  "the initramfs generator (default: detected)", GH_COMP_WORDS,
	  "mkinitcpio dracut initramfs-tools" },
	{ OPT_BOOTLOADER, "bootloader", "systemd-boot|grub|grubby|kernelstub",
	  "where the kernel command line goes (default: detected)", GH_COMP_WORDS,
	  "systemd-boot grub grubby kernelstub" },
	{ OPT_ROOT, "root", "DIR", "read and write the files under DIR", GH_COMP_DIR, NULL },
	{ 'n', "dry-run", NULL, "print the changes as diffs, write nothing", GH_COMP_NONE, NULL },
	{ OPT_PROFILE, "profile", "NAME", "the PCI devices of a shipped profile",
	  GH_COMP_WORDS, "r720" },
	{ OPT_GPU, "gpu", "BDF", "the dGPU to hold (default: the detected one)", GH_COMP_NONE, NULL },
	{ OPT_NO_GVT, "no-gvt", NULL, "leave GVT-g off (i915.enable_gvt, kvmgt)", GH_COMP_NONE, NULL },
	{ OPT_IOMMU_PT, "iommu-pt", NULL, "add iommu=pt to the kernel command line", GH_COMP_NONE, NULL },
	{ OPT_KERNEL, "kernel", "VERSION", "the kernel the files are for (default: the running one)", GH_COMP_NONE, NULL },
	{ OPT_REVERT, "revert", NULL, "remove what host-config wrote, restore what was there", GH_COMP_NONE, NULL },
	{ OPT_LG, "looking-glass", "[WxH]", "Looking Glass's /dev/shm file: its tmpfiles.d rule",
	  GH_COMP_NONE, NULL },
	{ OPT_LG_KVMFR, "looking-glass-kvmfr", "[WxH]",
	  "Looking Glass's kvmfr module: its options, modules-load.d entry and udev rule",
	  GH_COMP_NONE, NULL },
	{ OPT_LG_USER, "looking-glass-user", "USER", "the desktop user who runs looking-glass-client",
	  GH_COMP_NONE, NULL },
	GH_OPT_END
};

const struct gh_cmd_spec gh_spec_hostconfig = {
	.name = "host-config",
	.summary = "write modprobe.d, initramfs and kernel command line",
	.synopsis =
		"[--initramfs mkinitcpio|dracut|initramfs-tools]\n"
		"                      [--bootloader systemd-boot|grub|grubby|kernelstub]\n"
		"                      [--root DIR] [--dry-run] [--profile NAME] [--gpu BDF]\n"
		"                      [--no-gvt] [--iommu-pt] [--kernel VERSION]\n"
		"                      [--looking-glass[=WxH] | --looking-glass-kvmfr[=WxH]\n"
		"                       --looking-glass-user USER]\n"
		"--revert [--root DIR] [--dry-run]",
	.opts = hc_opts_table,
	.run = cmd_hostconfig,
};

static int parse_initramfs(const char *v, struct gh_hostcfg *c)
{
	static const enum gh_initramfs all[] = { GH_MKINITCPIO, GH_DRACUT, GH_INITRAMFS_TOOLS };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(all); i++)
		if (!strcmp(v, gh_initramfs_name(all[i]))) {
			c->initramfs = all[i];
			return 0;
		}
	fprintf(stderr, HC ": --initramfs %s: mkinitcpio, dracut or initramfs-tools\n", v);
	return -EINVAL;
}

static int parse_bootloader(const char *v, struct gh_hostcfg *c)
{
	static const enum gh_bootloader all[] = {
		GH_SYSTEMD_BOOT, GH_GRUB, GH_GRUBBY, GH_KERNELSTUB,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(all); i++)
		if (!strcmp(v, gh_bootloader_name(all[i]))) {
			c->bootloader = all[i];
			return 0;
		}
	fprintf(stderr, HC ": --bootloader %s: systemd-boot, grub, grubby or kernelstub\n", v);
	return -EINVAL;
}

/* Return: -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, struct hc_opts *o)
{
	struct gh_optparse op;
	int opt;

	o->c.initramfs = (enum gh_initramfs)-1;
	o->c.bootloader = (enum gh_bootloader)-1;
	gh_opt_start(&op, &gh_spec_hostconfig, argc, argv);
	while ((opt = gh_opt_next(&op)) != GH_OPT_DONE) {
		const char *optarg = op.val;

		switch (opt) {
		case OPT_INITRAMFS:
			if (parse_initramfs(optarg, &o->c))
				return GH_EXIT_USAGE;
			break;
		case OPT_BOOTLOADER:
			if (parse_bootloader(optarg, &o->c))
				return GH_EXIT_USAGE;
			break;
		case OPT_ROOT:
			gh_root_set(optarg);
			break;
		case OPT_PROFILE:
			if (gh_profile_use(optarg))
				return GH_EXIT_USAGE;
			break;
		case OPT_GPU:
			o->gpu = optarg;
			break;
		case OPT_KERNEL:
			o->kernel = optarg;
			break;
		case OPT_NO_GVT:
			o->no_gvt = true;
			break;
		case OPT_IOMMU_PT:
			o->c.iommu_pt = true;
			break;
		case OPT_REVERT:
			o->revert = true;
			break;
		case OPT_LG:
		case OPT_LG_KVMFR: {
			unsigned int x = 1920, y = 1080;

			if (optarg && gh_display_parse_res(optarg, &x, &y)) {
				fprintf(stderr, HC ": --%s=%s: expected WxH, e.g. 1920x1080\n",
					opt == OPT_LG ? "looking-glass" : "looking-glass-kvmfr",
					optarg);
				return GH_EXIT_USAGE;
			}
			o->c.lg_mib = gh_lg_size_mib(x, y);
			o->c.lg_kvmfr = opt == OPT_LG_KVMFR;
			break;
		}
		case OPT_LG_USER:
			if (!gh_hostcfg_user_valid(optarg)) {
				fprintf(stderr, HC ": --looking-glass-user %s: not a user name\n",
					optarg);
				return GH_EXIT_USAGE;
			}
			snprintf(o->c.lg_user, sizeof(o->c.lg_user), "%s", optarg);
			break;
		case 'n':
			o->dry = true;
			break;
		case GH_OPT_HELP:
			return GH_EXIT_OK;
		default:
			return gh_opt_fail(&op);
		}
	}
	if (o->c.lg_mib && !o->c.lg_user[0]) {
		fprintf(stderr, HC ": --looking-glass: pass --looking-glass-user USER, the "
			"desktop user who runs looking-glass-client\n");
		return GH_EXIT_USAGE;
	}
	if (op.ind < argc)
		return gh_opt_usage_error(&gh_spec_hostconfig, "unknown argument '%s'",
					  argv[op.ind]);
	return -1;
}

static int detect_setup(struct hc_opts *o)
{
	char osrel[128];

	if ((int)o->c.initramfs == -1)
		o->c.initramfs = gh_detect_initramfs();
	if ((int)o->c.bootloader == -1)
		o->c.bootloader = gh_detect_bootloader();
	if (o->kernel)
		o->c.kver = parse_kver(o->kernel);
	else if (!gh_read_line("/proc/sys/kernel/osrelease", osrel, sizeof(osrel)))
		o->c.kver = parse_kver(osrel);
	if (o->revert)
		return 0;
	if (o->c.initramfs == GH_INITRAMFS_NONE || o->c.bootloader == GH_BOOT_NONE) {
		fprintf(stderr, HC ": cannot tell the %s under %s: pass %s\n",
			o->c.initramfs == GH_INITRAMFS_NONE ? "initramfs generator" : "bootloader",
			gh_root(), o->c.initramfs == GH_INITRAMFS_NONE ?
			"--initramfs mkinitcpio|dracut|initramfs-tools" :
			"--bootloader systemd-boot|grub|grubby|kernelstub");
		return -ENOENT;
	}
	return 0;
}

/* The dGPU to hold, GVT-g, the CPU vendor: from the PCI snapshot. */
static int pci_side(struct hc_opts *o)
{
	struct gh_topology t;
	struct gh_pci snap;
	int err = gh_pci_scan(&snap);

	if (err) {
		fprintf(stderr, "gpuhelper: cannot read PCI devices: %s\n", snap.error);
		gh_pci_free(&snap);
		return err;
	}
	if (gh_topology_build(&t, &snap, o->gpu) || !t.dgpu) {
		fprintf(stderr, HC ": %s: see gpuhelper detect\n",
			o->gpu ? "--gpu is not a GPU here" : "no discrete GPU to hold");
		gh_pci_free(&snap);
		return -ENODEV;
	}
	o->c.gvt = !o->no_gvt && t.igpu && gh_igpu_virt(t.igpu->dev) == GH_VIRT_GVTG;
	o->c.amd = cpu_is_amd(&snap);
	err = make_ids(&t, o->c.ids, sizeof(o->c.ids));
	gh_pci_free(&snap);
	return err;
}

int cmd_hostconfig(int argc, char **argv)
{
	struct hc_opts o = { 0 };
	int rc = parse_args(argc, argv, &o);

	if (rc >= 0)
		return rc;
	if (detect_setup(&o))
		return GH_EXIT_USAGE;
	if (o.revert)
		return run_revert(&o);
	if (pci_side(&o))
		return GH_EXIT_ERROR;
	return run_config(&o);
}
