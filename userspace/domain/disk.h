/* SPDX-License-Identifier: GPL-2.0 */
/*
 * disk.h - gpuhelper vm --disk PATH,SIZE: the guest's system disk, a
 * qcow2 image made through libvirt's storage API (a pool holding PATH's
 * directory) or qemu-img; an existing file is used only when it is a
 * qcow2 image at least that large, never overwritten.
 */
#ifndef GH_DISK_H
#define GH_DISK_H

#include <stdbool.h>
#include <stddef.h>

/* Split "PATH,SIZE" (SIZE: bytes, or a number with K, M, G or T). */
int gh_disk_spec_parse(const char *spec, char *path, size_t plen,
		       unsigned long long *bytes);
/* The virtual size of the qcow2 image @path; -ENOENT, -EINVAL not qcow2. */
int gh_disk_qcow2_size(const char *path, unsigned long long *bytes);
/* Run qemu-img create -f qcow2 @path @bytes (no shell). */
int gh_disk_qemu_img(const char *path, unsigned long long bytes, char *why, size_t whylen);

/* libvirt_storage.c: -ENOENT when no active pool holds @path's directory */
int gh_libvirt_vol_create(const char *uri, const char *path, unsigned long long bytes,
			  char *pool, size_t poollen, char *why, size_t whylen);

/* How gh_disk_ensure() got the disk. */
enum gh_disk_how { GH_DISK_EXISTS, GH_DISK_LIBVIRT, GH_DISK_QEMU_IMG, GH_DISK_DRY };

int gh_disk_ensure(const char *path, unsigned long long bytes, const char *uri, bool dry,
		   enum gh_disk_how *how, char *why, size_t whylen);

#endif /* GH_DISK_H */
