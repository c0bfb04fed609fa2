// SPDX-License-Identifier: GPL-2.0
/*
 * pcisnap.c - read the PCI devices with libpci (pciutils' lib/ +
 * example.c pattern), from the injectable root so a snapshot works the
 * same as the live /sys. libpci's error callback must not return: it
 * longjmps back here so the library never exits the CLI.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "pci/pcisnap.h"
#include "lib/root.h"

static jmp_buf pci_jmp;
static char *pci_errbuf;
static size_t pci_errlen;

static void __attribute__((noreturn)) pci_fail(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	if (pci_errbuf)
		vsnprintf(pci_errbuf, pci_errlen, msg, ap);
	va_end(ap);
	longjmp(pci_jmp, 1);
}

static void pci_quiet(char *msg, ...)
{
	(void)msg;
}

static int read_small(const char *bdf, const char *attr, char *buf, size_t len)
{
	char abs[128], path[GH_PATH_MAX];
	FILE *f;
	int err = 0;

	snprintf(abs, sizeof(abs), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	if (gh_pci_path(path, sizeof(path), abs))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		err = -EIO;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return err;
}

static bool is_uuid(const char *s)
{
	int i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!strchr("0123456789abcdefABCDEF", s[i])) {
			return false;
		}
	}
	return true;
}

/*
 * GVT-g types: i915-GVTg_V5_1 (largest) .. _V5_8 (smallest). The guide
 * uses _V5_4, a quarter of the aperture: prefer it, else the first seen.
 */
static void read_mdev(struct gh_pci_dev *d)
{
	char abs[128], path[GH_PATH_MAX];
	struct dirent *e;
	DIR *dir;

	snprintf(abs, sizeof(abs), "/sys/bus/pci/devices/%s/mdev_supported_types",
		 d->bdf);
	if (!gh_pci_path(path, sizeof(path), abs) && (dir = opendir(path))) {
		while ((e = readdir(dir))) {
			if (e->d_name[0] == '.')
				continue;
			if (!d->mdev_type[0] || strstr(e->d_name, "_V5_4"))
				snprintf(d->mdev_type, sizeof(d->mdev_type), "%.63s",
					 e->d_name);
		}
		closedir(dir);
	}
	snprintf(abs, sizeof(abs), "/sys/bus/pci/devices/%s", d->bdf);
	if (!gh_pci_path(path, sizeof(path), abs) && (dir = opendir(path))) {
		while ((e = readdir(dir))) {
			if (is_uuid(e->d_name)) {
				snprintf(d->mdev_uuid, sizeof(d->mdev_uuid), "%s",
					 e->d_name);
				break;
			}
		}
		closedir(dir);
	}
}

static void fill_extra(struct gh_pci_dev *d)
{
	char buf[64];

	d->boot_vga = -1;
	if (!read_small(d->bdf, "boot_vga", buf, sizeof(buf)))
		d->boot_vga = atoi(buf) ? 1 : 0;
	if (!read_small(d->bdf, "removable", buf, sizeof(buf)))
		d->removable = !strcmp(buf, "removable");
	if (gh_pci_is_gpu(d))
		read_mdev(d);
}

static int cmp_dev(const void *a, const void *b)
{
	return strcmp(((const struct gh_pci_dev *)a)->bdf,
		      ((const struct gh_pci_dev *)b)->bdf);
}

static int scan(struct gh_pci *snap, struct pci_access *pacc, const char *sysfs)
{
	struct pci_dev *p;
	unsigned int n = 0, i;
	char *s;

	pci_set_param(pacc, "sysfs.path", (char *)sysfs);
	pci_init(pacc);
	pci_scan_bus(pacc);
	for (p = pacc->devices; p; p = p->next)
		n++;
	snap->devs = calloc(n ? n : 1, sizeof(*snap->devs));
	if (!snap->devs)
		return -ENOMEM;
	for (p = pacc->devices, i = 0; p; p = p->next, i++) {
		struct gh_pci_dev *d = &snap->devs[i];

		pci_fill_info(p, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT |
			      PCI_FILL_SUBSYS | PCI_FILL_IOMMU_GROUP | PCI_FILL_DRIVER);
		d->domain = p->domain;
		d->bus = p->bus;
		d->dev = p->dev;
		d->func = p->func;
		snprintf(d->bdf, sizeof(d->bdf), "%04x:%02x:%02x.%u",
			 d->domain, d->bus, d->dev, d->func);
		d->vendor = p->vendor_id;
		d->device = p->device_id;
		d->subvendor = p->subsys_vendor_id;
		d->subdevice = p->subsys_id;
		d->class = (uint32_t)p->device_class << 8 | p->prog_if;
		d->rev = p->rev_id;
		s = pci_get_string_property(p, PCI_FILL_IOMMU_GROUP);
		d->iommu_group = s ? atoi(s) : -1;
		s = pci_get_string_property(p, PCI_FILL_DRIVER);
		snprintf(d->driver, sizeof(d->driver), "%s", s ? s : "");
		fill_extra(d);
	}
	snap->nr = n;
	qsort(snap->devs, n, sizeof(*snap->devs), cmp_dev);
	return 0;
}

/**
 * gh_pci_scan() - read every PCI device under the PCI root
 * @snap: filled in; release with gh_pci_free()
 *
 * Return: 0, or -ENODEV with snap->error saying what libpci could not read.
 */
int gh_pci_scan(struct gh_pci *snap)
{
	char sysfs[GH_PATH_MAX];
	struct pci_access *pacc;
	int err;

	memset(snap, 0, sizeof(*snap));
	err = gh_pci_path(sysfs, sizeof(sysfs), "/sys/bus/pci");
	if (err)
		return err;
	pacc = pci_alloc();
	if (!pacc)
		return -ENOMEM;
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	/* libpci declares error noreturn; pci_fail honours that by longjmp */
	pacc->error = pci_fail;
	pacc->warning = pci_quiet;
	pacc->debug = pci_quiet;
	snap->pacc = pacc;
	pci_errbuf = snap->error;
	pci_errlen = sizeof(snap->error);
	if (setjmp(pci_jmp)) {
		free(snap->devs);
		snap->devs = NULL;
		snap->nr = 0;
		return -ENODEV;
	}
	return scan(snap, pacc, sysfs);
}

void gh_pci_free(struct gh_pci *snap)
{
	if (snap->pacc) {
		if (!setjmp(pci_jmp))
			pci_cleanup(snap->pacc);
	}
	free(snap->devs);
	memset(snap, 0, sizeof(*snap));
}

const struct gh_pci_dev *gh_pci_find(const struct gh_pci *snap, const char *bdf)
{
	unsigned int i;
	size_t n = strlen(bdf);

	for (i = 0; i < snap->nr; i++) {
		const char *b = snap->devs[i].bdf;

		/* "01:00.0" matches "0000:01:00.0" */
		if (!strcmp(b, bdf) || (n == 7 && !strcmp(b + 5, bdf)))
			return &snap->devs[i];
	}
	return NULL;
}

static char *lookup(struct pci_access *pacc, const struct gh_pci_dev *d,
		    char *buf, size_t len)
{
	if (setjmp(pci_jmp))
		return NULL;
	return pci_lookup_name(pacc, buf, (int)len,
			       PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_HWDB,
			       d->vendor, d->device);
}

/*
 * Loading pci.ids costs about 15 ms, most of a command's budget: only
 * what a person reads (detect --names) asks for names.
 */
const char *gh_pci_name(struct gh_pci *snap, const struct gh_pci_dev *d,
			char *buf, size_t len)
{
	const char *name = snap->pacc ? lookup(snap->pacc, d, buf, len) : NULL;

	if (!name) {
		snprintf(buf, len, "%04x:%04x", d->vendor, d->device);
		name = buf;
	}
	return name;
}

const char *gh_pci_class_name(uint32_t class)
{
	switch (class >> 8) {
	case GH_PCI_CLASS_VGA:		return "VGA compatible controller";
	case GH_PCI_CLASS_3D:		return "3D controller";
	case GH_PCI_CLASS_DISPLAY:	return "Display controller";
	case GH_PCI_CLASS_AUDIO_HDA:	return "Audio device";
	case GH_PCI_CLASS_BRIDGE_PCI:	return "PCI bridge";
	case 0x0600:			return "Host bridge";
	case 0x0c03:			return "USB controller";
	}
	return "other";
}
