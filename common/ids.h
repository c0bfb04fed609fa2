/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ids.h - the ids= device list: "vendor:device[:subvendor:subdevice
 * [:class:class_mask]]" entries in hex, separated by commas, as vfio-pci
 * and pci-stub take them. Shared by gpuhelper.ko and the CLI.
 */
#ifndef GH_IDS_H
#define GH_IDS_H

#include "gh_types.h"
#include "list.h"

#define GH_ID_ANY	0xffffffffU
#define GH_IDS_MAX	16
/* the longest entry: 6 fields of 8 hex digits and 5 colons */
#define GH_ID_ENTRY_MAX	53

struct gh_id {
	u32 vendor;
	u32 device;
	u32 subvendor;
	u32 subdevice;
	u32 class;
	u32 class_mask;
};

int gh_ids_parse(const char *s, struct gh_id *ids, unsigned int max,
		 unsigned int *nr, struct gh_list_error *err);
bool gh_id_match(const struct gh_id *id, u32 vendor, u32 device,
		 u32 subvendor, u32 subdevice, u32 class);
int gh_id_format(const struct gh_id *id, char *buf, size_t len);

#endif /* GH_IDS_H */
