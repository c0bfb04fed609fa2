// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_hostconfig.c - gpuhelper host-config: show the diff of every host
 * file the guide edits by hand, then write them atomically with backups,
 * all or none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "atomicwrite.h"
#include "commands.h"
#include "diff.h"
#include "hostconfig.h"
#include "ids.h"
#include "pcisnap.h"
#include "profile.h"
#include "root.h"

static void hc_usage(FILE *f)
{
	fprintf(f,
		"usage: gpuhelper host-config [--initramfs mkinitcpio|dracut|initramfs-tools]\n"
		"                             [--bootloader systemd-boot|grub] [--root DIR]\n"
		"                             [--dry-run] [--profile NAME] [--gpu BDF]\n"
		"                             [--no-gvt] [--kernel VERSION]\n");
}

static enum gh_initramfs detect_initramfs(void)
{
	if (gh_exists("/etc/mkinitcpio.conf"))
		return GH_MKINITCPIO;
	if (gh_exists("/etc/dracut.conf") || gh_exists("/etc/dracut.conf.d"))
		return GH_DRACUT;
	if (gh_exists("/etc/initramfs-tools"))
		return GH_INITRAMFS_TOOLS;
	return GH_INITRAMFS_NONE;
}

static enum gh_bootloader detect_bootloader(void)
{
	if (gh_exists("/etc/default/grub"))
		return GH_GRUB;
	if (gh_exists("/boot/loader/entries") || gh_exists("/efi/loader/entries") ||
	    gh_exists("/boot/efi/loader/entries") || gh_exists("/etc/kernel/cmdline"))
		return GH_SYSTEMD_BOOT;
	return GH_BOOT_NONE;
}

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
		fprintf(stderr, "gpuhelper host-config: ids=%s: entry %u '%s': %s\n",
			buf, err.index, err.entry, err.reason);
		return -EINVAL;
	}
	return 0;
}

/* Write every edit or none: on a failure, put back what was written. */
static int write_all(struct gh_edit *e, unsigned int nr)
{
	char path[GH_PATH_MAX], made[GH_EDITS_MAX][GH_PATH_MAX];
	unsigned int i, j, nmade = 0;
	int err = 0;

	for (i = 0; i < nr; i++) {
		err = gh_path(path, sizeof(path), e[i].path);
		if (!err && !e[i].old) {
			char *slash;

			/* remember a directory we create, to remove it on failure */
			snprintf(made[nmade], sizeof(made[0]), "%s", path);
			slash = strrchr(made[nmade], '/');
			if (slash) {
				*slash = '\0';
				if (access(made[nmade], F_OK))
					nmade++;
			}
			err = gh_make_parents(path);
		}
		if (!err)
			err = gh_replace_file(path, e[i].new_, strlen(e[i].new_), 0644, true);
		if (err)
			break;
	}
	if (!err)
		return 0;
	fprintf(stderr, "gpuhelper host-config: cannot write %s%s: %s; %s\n",
		strcmp(gh_root(), "/") ? gh_root() : "", e[i].path, strerror(-err),
		i ? "putting back the files already written" : "nothing was changed");
	for (j = 0; j < i; j++) {
		char bak[GH_PATH_MAX + 32];

		if (gh_path(path, sizeof(path), e[j].path))
			continue;
		snprintf(bak, sizeof(bak), "%s" GH_BACKUP_SUFFIX, path);
		if (e[j].old) {
			if (gh_replace_file(path, e[j].old, strlen(e[j].old), 0644, false))
				fprintf(stderr, "gpuhelper host-config: could not restore %s: "
					"its old content is in %s\n", path, bak);
		} else {
			unlink(path);
		}
	}
	while (nmade--)
		rmdir(made[nmade]);
	return err;
}

static void next_steps(const struct gh_hostcfg *c)
{
	printf("next: ");
	switch (c->initramfs) {
	case GH_MKINITCPIO:	printf("mkinitcpio -P; "); break;
	case GH_DRACUT:		printf("dracut --regenerate-all --force; "); break;
	case GH_INITRAMFS_TOOLS: printf("update-initramfs -u -k all; "); break;
	case GH_INITRAMFS_NONE:	break;
	}
	if (c->bootloader == GH_GRUB)
		printf("grub-mkconfig -o /boot/grub/grub.cfg (update-grub on Debian); ");
	printf("reboot, then gpuhelper doctor\n");
}

int cmd_hostconfig(int argc, char **argv)
{
	struct gh_hostcfg c = { 0 };
	struct gh_edit e[GH_EDITS_MAX];
	const char *gpu = NULL, *kernel = NULL;
	bool dry = false, no_gvt = false;
	char why[512], osrel[128];
	struct gh_topology t;
	struct gh_pci snap;
	unsigned int nr, i;
	int a, err, rc;

	c.initramfs = (enum gh_initramfs)-1;
	c.bootloader = (enum gh_bootloader)-1;
	for (a = 1; a < argc; a++) {
		const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;

		if (!strcmp(opt, "--dry-run") || !strcmp(opt, "-n")) {
			dry = true;
			continue;
		} else if (!strcmp(opt, "--no-gvt")) {
			no_gvt = true;
			continue;
		} else if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
			hc_usage(stdout);
			return GH_EXIT_OK;
		}
		if (!val) {
			fprintf(stderr, "gpuhelper host-config: %s '%s'\n",
				opt[0] == '-' ? "missing value after" : "unknown argument", opt);
			hc_usage(stderr);
			return GH_EXIT_USAGE;
		}
		a++;
		if (!strcmp(opt, "--initramfs")) {
			c.initramfs = !strcmp(val, "mkinitcpio") ? GH_MKINITCPIO :
				      !strcmp(val, "dracut") ? GH_DRACUT :
				      !strcmp(val, "initramfs-tools") ? GH_INITRAMFS_TOOLS :
				      (enum gh_initramfs)-2;
			if ((int)c.initramfs == -2) {
				fprintf(stderr, "gpuhelper host-config: --initramfs %s: mkinitcpio, dracut or initramfs-tools\n", val);
				return GH_EXIT_USAGE;
			}
		} else if (!strcmp(opt, "--bootloader")) {
			c.bootloader = !strcmp(val, "systemd-boot") ? GH_SYSTEMD_BOOT :
				       !strcmp(val, "grub") ? GH_GRUB : (enum gh_bootloader)-2;
			if ((int)c.bootloader == -2) {
				fprintf(stderr, "gpuhelper host-config: --bootloader %s: systemd-boot or grub\n", val);
				return GH_EXIT_USAGE;
			}
		} else if (!strcmp(opt, "--root")) {
			gh_root_set(val);
		} else if (!strcmp(opt, "--profile")) {
			if (gh_profile_use(val))
				return GH_EXIT_USAGE;
		} else if (!strcmp(opt, "--gpu")) {
			gpu = val;
		} else if (!strcmp(opt, "--kernel")) {
			kernel = val;
		} else {
			fprintf(stderr, "gpuhelper host-config: unknown argument '%s'\n", opt);
			hc_usage(stderr);
			return GH_EXIT_USAGE;
		}
	}
	if ((int)c.initramfs == -1)
		c.initramfs = detect_initramfs();
	if ((int)c.bootloader == -1)
		c.bootloader = detect_bootloader();
	if (c.initramfs == GH_INITRAMFS_NONE || c.bootloader == GH_BOOT_NONE) {
		fprintf(stderr, "gpuhelper host-config: cannot tell the %s under %s: "
			"pass %s\n", c.initramfs == GH_INITRAMFS_NONE ? "initramfs generator" :
			"bootloader", gh_root(), c.initramfs == GH_INITRAMFS_NONE ?
			"--initramfs mkinitcpio|dracut|initramfs-tools" :
			"--bootloader systemd-boot|grub");
		return GH_EXIT_USAGE;
	}
	if (kernel)
		c.kver = parse_kver(kernel);
	else if (!gh_read_line("/proc/sys/kernel/osrelease", osrel, sizeof(osrel)))
		c.kver = parse_kver(osrel);

	err = gh_pci_scan(&snap);
	if (err) {
		fprintf(stderr, "gpuhelper: cannot read PCI devices: %s\n", snap.error);
		gh_pci_free(&snap);
		return GH_EXIT_ERROR;
	}
	if (gh_topology_build(&t, &snap, gpu) || !t.dgpu) {
		fprintf(stderr, "gpuhelper host-config: %s: see gpuhelper detect\n",
			gpu ? "--gpu is not a GPU here" : "no discrete GPU to hold");
		gh_pci_free(&snap);
		return GH_EXIT_ERROR;
	}
	c.gvt = !no_gvt && t.igpu && gh_igpu_virt(t.igpu->dev) == GH_VIRT_GVTG;
	c.amd = cpu_is_amd(&snap);
	err = make_ids(&t, c.ids, sizeof(c.ids));
	gh_pci_free(&snap);
	if (err)
		return GH_EXIT_ERROR;

	err = gh_hostcfg_edits(&c, e, &nr, why, sizeof(why));
	if (err) {
		fprintf(stderr, "gpuhelper host-config: %s\n", why);
		return GH_EXIT_ERROR;
	}
	for (i = 0; i < nr; i++)
		gh_diff(stdout, e[i].path, e[i].old, e[i].new_);
	if (!nr) {
		printf("gpuhelper host-config: nothing to change (%s, %s)\n",
		       gh_initramfs_name(c.initramfs), gh_bootloader_name(c.bootloader));
		return GH_EXIT_OK;
	}
	fflush(stdout);
	if (dry) {
		printf("gpuhelper host-config: --dry-run: %u file%s not written\n", nr,
		       nr == 1 ? "" : "s");
		gh_edits_free(e, nr);
		return GH_EXIT_OK;
	}
	rc = write_all(e, nr) ? GH_EXIT_ERROR : GH_EXIT_OK;
	if (rc == GH_EXIT_OK) {
		printf("gpuhelper host-config: wrote %u file%s (old versions kept as FILE%s)\n",
		       nr, nr == 1 ? "" : "s", GH_BACKUP_SUFFIX);
		next_steps(&c);
	}
	gh_edits_free(e, nr);
	return rc;
}
