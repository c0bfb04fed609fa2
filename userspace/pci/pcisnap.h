/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcisnap.h - the PCI devices of a machine or of a snapshot of one, read
 * with libpci's sysfs method from <pci root>/sys/bus/pci, plus what
 * libpci does not read: boot_vga, removable, mdev types and instances.
 */
#ifndef GH_PCISNAP_H
#define GH_PCISNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GH_PCI_CLASS_BRIDGE_PCI	0x0604
#define GH_PCI_CLASS_VGA	0x0300
#define GH_PCI_CLASS_3D		0x0302
#define GH_PCI_CLASS_DISPLAY	0x0380
#define GH_PCI_CLASS_AUDIO_HDA	0x0403

struct gh_pci_dev {
	char bdf[16];			/* "0000:01:00.0" */
	unsigned int domain, bus, dev, func;
	uint16_t vendor, device, subvendor, subdevice;
	uint32_t class;			/* base, sub, prog-if: 0x030200 */
	uint8_t rev;
	int boot_vga;			/* 1, 0, or -1 when there is no file */
	bool removable;			/* behind Thunderbolt/a dock */
	int iommu_group;		/* -1: no IOMMU (or not enabled) */
	char driver[32];		/* "" when unbound */
	char mdev_type[64];		/* best mdev type offered, "" if none */
	char mdev_uuid[40];		/* an existing mdev instance, "" if none */
};

struct gh_pci {
	struct gh_pci_dev *devs;
	unsigned int nr;
	void *pacc;			/* struct pci_access, for names */
	char error[256];		/* libpci's last error message */
};

int gh_pci_scan(struct gh_pci *snap);
void gh_pci_free(struct gh_pci *snap);
const struct gh_pci_dev *gh_pci_find(const struct gh_pci *snap, const char *bdf);
/* "NVIDIA Corporation GP107M [GeForce GTX 1050 Mobile]" from pci.ids */
const char *gh_pci_name(struct gh_pci *snap, const struct gh_pci_dev *d,
			char *buf, size_t len);
const char *gh_pci_class_name(uint32_t class);
static inline unsigned int gh_pci_base_sub(const struct gh_pci_dev *d)
{
	return d->class >> 8;
}
static inline bool gh_pci_is_gpu(const struct gh_pci_dev *d)
{
	return (d->class >> 16) == 0x03;
}

#endif /* GH_PCISNAP_H */
