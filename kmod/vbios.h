/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vbios.h - the vBIOS shadow of a tracked GPU: read once from every source
 * that can hold it (ACPI _ROM, ROM BAR, platform ROM, firmware file), the
 * best valid image kept and exposed in sysfs. See Documentation/vbios.rst.
 */
#ifndef GH_KMOD_VBIOS_H
#define GH_KMOD_VBIOS_H

#include <linux/sysfs.h>

struct gh_device;
struct gh_vbios;

int gh_vbios_shadow(struct gh_device *gh);
void gh_vbios_probe(struct gh_device *gh);
void gh_vbios_free(struct gh_device *gh);

/* vbios, vbios_source, vbios_info: add to the class device's groups */
extern const struct attribute_group gh_vbios_group;

#endif /* GH_KMOD_VBIOS_H */
