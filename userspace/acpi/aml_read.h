/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aml_read.h - read back the two SSDT shapes gpuhelper writes (aml.c,
 * acpi_vbios.c, acpi_battery.c), for gpuhelper lint. Not a disassembler:
 * each reader accepts exactly the terms its writer emits and names the
 * first byte that differs.
 */
#ifndef GH_AML_READ_H
#define GH_AML_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "acpi/acpi_tables.h"
#include "gh_types.h"

/* "\_SB.PCI0.S08.S00": segments with their '_' padding removed */
#define GH_AML_PATH_LEN		(GH_ACPI_PATH_MAX + 1)

/**
 * struct gh_aml_vbios - one table of gpuhelper acpi vbios
 * @scope: the Scope's path, the dGPU's device object
 * @rom_method: the table holds Method (_ROM, 2)
 * @index: nn of Name (VRnn, Buffer), -1 for the _ROM table
 * @buf: the buffer's bytes, within the table
 * @buf_len: their number
 */
struct gh_aml_vbios {
	char scope[GH_AML_PATH_LEN];
	bool rom_method;
	int index;
	const u8 *buf;
	size_t buf_len;
};

/**
 * struct gh_aml_battery - the device of gpuhelper acpi battery
 * @path: its scope and name, "\_SB.PCI0.BAT0"
 * @hid: _HID as stored: an EISA ID's DWord (aml_eisaid_value())
 * @sta: an _STA object is in the device
 * @bif: _BIF, likewise
 * @bst: _BST, likewise
 */
struct gh_aml_battery {
	char path[GH_AML_PATH_LEN];
	u32 hid;
	bool sta, bif, bst;
};

int gh_acpi_header_check(const u8 *data, size_t len, const char *sig,
			 char *why, size_t whylen);
int gh_aml_read_vbios(const u8 *data, size_t len, struct gh_aml_vbios *v,
		      char *why, size_t whylen);
int gh_aml_read_battery(const u8 *data, size_t len, struct gh_aml_battery *b,
			char *why, size_t whylen);

#endif /* GH_AML_READ_H */
