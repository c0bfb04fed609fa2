/* SPDX-License-Identifier: GPL-2.0 */
/*
 * from.h - gpuhelper vm --from: what of the user's domain is kept (the
 * GVT-g vGPU's UUID, SSDT files that still read back as a complete set)
 * and what is replaced, said on standard error: a patched OVMF once the
 * SSDTs give the _ROM, a machine type whose ACPI has no device for the
 * dGPU's _ROM to live in.
 */
#ifndef GH_FROM_H
#define GH_FROM_H

#include <stdbool.h>
#include <stdio.h>

#include <libxml/tree.h>

#include "domain/vmplan.h"

struct gh_from_in {
	bool user_mdev;			/* --mdev given */
	const char *host_mdev;		/* the iGPU's existing vGPU, "" none */
	bool user_tables;		/* --acpi-table or --rom given */
	const struct gh_libvirt_host *host;
};

/* Before the tables are written: adopt the vGPU UUID and table set. */
void gh_from_adopt(xmlDocPtr doc, struct gh_vm_plan *p, const struct gh_from_in *in,
		   FILE *notes);
/* Once they are known: the firmware and the machine type. */
void gh_from_firmware(xmlDocPtr doc, const struct gh_vm_plan *p,
		      const struct gh_from_in *in, FILE *notes);
/* A complete set: a battery and the vBIOS tables at the dGPU's q35 path. */
int gh_table_set_check(const char (*files)[256], unsigned int n, char *why, size_t whylen);

#endif /* GH_FROM_H */
