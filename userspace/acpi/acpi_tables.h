/* SPDX-License-Identifier: GPL-2.0 */
/*
 * acpi_tables.h - the SSDTs gpuhelper gives a guest: the dGPU's vBIOS
 * behind a _ROM method (acpi_vbios.c) and a fake, full battery
 * (acpi_battery.c). Built as AML by aml.c; ASL is emitted as well for
 * reading and for the benchmark against iasl.
 */
#ifndef GH_ACPI_TABLES_H
#define GH_ACPI_TABLES_H

#include <stddef.h>

#include "gh_types.h"

/* QEMU's -acpitable refuses a table larger than this */
#define GH_ACPI_TABLE_MAX		65535U
/* ROM bytes per buffer SSDT: leaves room for the header and AML framing */
#define GH_ACPI_VBIOS_SPLIT_DEFAULT	64512U
#define GH_ACPI_VBIOS_SPLIT_MIN		512U
#define GH_ACPI_VBIOS_MAX_TABLES	255U
/* QEMU 7.2 q35: 01:00.0 behind a root port at 00:01.0 (see acpi-tables.rst) */
#define GH_ACPI_VBIOS_PATH_DEFAULT	"\\_SB.PCI0.S08.S00"
#define GH_ACPI_OEM_ID			"GPUHLP"
/* longest --path accepted: 50 segments */
#define GH_ACPI_PATH_MAX		250

/**
 * struct gh_acpi_table - one generated table (AML) or its source (ASL)
 * @file: suggested file name, e.g. "ssdt-vbios-00.aml"
 * @data: the bytes (AML) or text (ASL, NUL-terminated, @len without it)
 * @len: their length
 * @rom_offset: first ROM byte this table carries (buffer tables)
 * @rom_len: ROM bytes it carries, 0 for the _ROM method's table
 * @payload: offset of those ROM bytes within @data (AML buffer tables)
 */
struct gh_acpi_table {
	char file[32];
	u8 *data;
	size_t len;
	size_t rom_offset;
	size_t rom_len;
	size_t payload;
};

enum gh_acpi_format {
	GH_ACPI_AML,
	GH_ACPI_ASL,
};

int gh_acpi_vbios_build(const u8 *rom, size_t len, const char *path,
			size_t split, enum gh_acpi_format fmt,
			struct gh_acpi_table **tables, unsigned int *nr);
int gh_acpi_battery_build(enum gh_acpi_format fmt, struct gh_acpi_table *t);
void gh_acpi_tables_free(struct gh_acpi_table *t, unsigned int nr);

#endif /* GH_ACPI_TABLES_H */
