/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * mdevs.h - the mdevs= list of mediated devices to create when their
 * parent appears: "BDF/TYPE/UUID" entries separated by commas, e.g.
 * 0000:00:02.0/i915-GVTg_V5_4/af5972fb-5530-41a7-0000-fd836204445b.
 * An empty TYPE ("BDF//UUID") asks for the default type. Shared by
 * gpuhelper.ko (the parameter) and the CLI (--persist), so both accept
 * exactly the same text.
 */
#ifndef GH_MDEVS_H
#define GH_MDEVS_H

#include "gh_types.h"
#include "list.h"

#define GH_MDEVS_MAX		16
#define GH_MDEV_BDF_LEN		12	/* "0000:00:02.0" */
#define GH_MDEV_TYPE_MAX	63	/* longest type directory name */
#define GH_MDEV_UUID_LEN	36
/* "BDF/TYPE/UUID" */
#define GH_MDEV_ENTRY_MAX	(GH_MDEV_BDF_LEN + 1 + GH_MDEV_TYPE_MAX + 1 + GH_MDEV_UUID_LEN)

/**
 * struct gh_mdev_spec - one mdevs= entry
 * @bdf: parent PCI function, canonical "dddd:bb:dd.f" (lower case)
 * @type: mdev type directory name, "" for the default type
 * @uuid: the 16 bytes of the UUID, in text order
 */
struct gh_mdev_spec {
	char bdf[GH_MDEV_BDF_LEN + 1];
	char type[GH_MDEV_TYPE_MAX + 1];
	u8 uuid[16];
};

int gh_uuid_parse(const char *s, size_t len, u8 uuid[16]);
void gh_uuid_format(const u8 uuid[16], char buf[GH_MDEV_UUID_LEN + 1]);
int gh_bdf_parse(const char *s, size_t len, char bdf[GH_MDEV_BDF_LEN + 1]);
int gh_mdev_type_valid(const char *s, size_t len);
int gh_mdevs_parse(const char *s, struct gh_mdev_spec *specs, unsigned int max,
		   unsigned int *nr, struct gh_list_error *err);
int gh_mdev_spec_format(const struct gh_mdev_spec *spec, char *buf, size_t len);

#endif /* GH_MDEVS_H */
