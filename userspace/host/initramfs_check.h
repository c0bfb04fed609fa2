/* SPDX-License-Identifier: GPL-2.0 */
/*
 * initramfs_check.h - what a built initramfs image holds of gpuhelper's:
 * the module, its options (the /etc/modprobe.d/gpuhelper*.conf files of
 * the root) and the claim rule, listed with the generator's own tool
 * (lsinitramfs, lsinitrd, lsinitcpio). gpuhelper doctor's "initramfs-image".
 */
#ifndef GH_INITRAMFS_CHECK_H
#define GH_INITRAMFS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "host/hostconfig.h"
#include "lib/root.h"

struct gh_image_check {
	char image[GH_PATH_MAX];	/* as given or found, under the root */
	const char *tool;		/* the lister that was run */
	bool module;			/* gpuhelper.ko[.xz|.zst|.gz] */
	unsigned int conf_want;		/* gpuhelper*.conf files in the root's /etc/modprobe.d */
	unsigned int conf_have;		/* of those, in the image */
	char conf_missing[320];		/* the first one missing */
	bool rule_want;			/* the root has the claim rule */
	bool rule;			/* the image has it */
	char error[512];
};

/* The image of kernel @release: /boot/initrd.img-R, initramfs-R.img, ... */
int gh_image_find(const char *release, enum gh_initramfs gen, char *out, size_t len);
/* Parse a lister's output (one entry a line; the last word is the path). */
void gh_image_scan(const char *listing, struct gh_image_check *r);
/*
 * List @image (a path as the system sees it, root included) with the
 * tool of @gen and fill @r. Return: 0, or -errno with r->error set.
 */
int gh_image_check(const char *image, enum gh_initramfs gen, struct gh_image_check *r);

#endif /* GH_INITRAMFS_CHECK_H */
