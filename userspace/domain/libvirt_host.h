/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvirt_host.h - what the host's libvirt offers a passthrough guest:
 * its versions and its domain capabilities (firmware, machine, hostdev).
 * Filled by libvirt_conn.c from a live connection, or parsed from a
 * `virsh domcapabilities` document by libvirt_domcaps.c (no libvirt needed).
 */
#ifndef GH_LIBVIRT_HOST_H
#define GH_LIBVIRT_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define GH_LIBVIRT_LOADERS_MAX 8

struct gh_libvirt_host {
	char uri[256];			/* where it was read, "" offline */
	unsigned int lib_version;	/* libvirt, GH_LIBVIRT() encoding */
	unsigned long hv_version;	/* QEMU, same encoding; 0 unknown */
	bool have_domcaps;		/* the fields below are known */
	char domcaps_why[256];		/* else why not */
	char machine[64];		/* the q35 machine type, e.g. pc-q35-7.2 */
	bool efi;			/* firmware='efi' auto-selection */
	unsigned int nr_loaders;
	char loaders[GH_LIBVIRT_LOADERS_MAX][256];
	bool secure_boot;		/* a Secure Boot OVMF can be chosen */
	bool insecure;			/* one without Secure Boot can be too */
	bool hostdev_pci;		/* <hostdev type='pci'> */
};

int gh_libvirt_domcaps_parse(const char *xml, size_t len, struct gh_libvirt_host *h);

/*
 * An OVMF build that does Secure Boot, by name: Debian's .secboot and .ms
 * (Microsoft keys enrolled), Fedora's .secboot. Inline so the plan
 * (vmplan.c, also built into the domain fuzzer) needs no other object.
 */
static inline bool gh_ovmf_secboot(const char *path)
{
	return strstr(path, "secboot") || strstr(path, ".ms.") || strstr(path, "_SB") ||
	       strstr(path, ".sb.");
}

/* The first OVMF libvirt offers without Secure Boot, NULL when none. */
static inline const char *gh_libvirt_plain_ovmf(const struct gh_libvirt_host *h)
{
	unsigned int i;

	for (i = 0; i < h->nr_loaders; i++)
		if (!gh_ovmf_secboot(h->loaders[i]))
			return h->loaders[i];
	return NULL;
}

#endif /* GH_LIBVIRT_HOST_H */
