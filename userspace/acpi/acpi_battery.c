// SPDX-License-Identifier: GPL-2.0
/*
 * acpi_battery.c - a fake, fully charged battery for the guest.
 *
 * NVIDIA's mobile driver in a guest refuses to start (Code 43) on a
 * "laptop" GPU that sees no battery. This SSDT adds a control method
 * battery at \_SB.PCI0.BAT0 that is always present and full: the table
 * the passthrough guide passes as base64, generated here from the values
 * below instead of carried as a blob.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi_tables.h"
#include "acpi/aml.h"

#define BAT_SCOPE	"\\_SB.PCI0"
#define BAT_NAME	"BAT0"
#define BAT_HID		"PNP0C0A"	/* Control Method Battery */
#define BAT_STA		0x1f		/* present, enabled, shown, working, battery present */

/* _BIF: Battery Information (ACPI 6.5, 10.2.2.1) */
static const u32 bif_ints[9] = {
	1,	/* power unit: mA/mAh */
	6000,	/* design capacity */
	6000,	/* last full charge capacity */
	1,	/* technology: secondary (rechargeable) */
	14800,	/* design voltage, mV */
	600,	/* design capacity of warning */
	300,	/* design capacity of low */
	60,	/* capacity granularity 1 */
	60,	/* capacity granularity 2 */
};
static const char *const bif_strs[4] = { "", "", "LION", "" }; /* model, serial, type, OEM */

/* _BST: Battery Status (10.2.2.6): not charging, no rate, full, voltage */
static const u32 bst_ints[4] = { 0, 0, 6000, 14800 };

#define N(x) (sizeof(x) / sizeof((x)[0]))

static void aml_return_method(struct aml *a, const char *name)
{
	aml_namestring(a, name);
	aml_byte(a, 0);			/* 0 args, NotSerialized */
	aml_byte(a, AML_RETURN);
}

static int build_aml(struct gh_acpi_table *t)
{
	struct aml a;
	size_t ext, scope, dev, m, pkg;
	size_t i;

	aml_init(&a);
	aml_table_begin(&a, "SSDT", 1, GH_ACPI_OEM_ID, "GHBATT", 1);
	ext = aml_externals_open(&a);
	aml_external(&a, BAT_SCOPE, AML_OBJ_DEVICE, 0);
	aml_close(&a, ext);
	scope = aml_open(&a, AML_SCOPE);
	aml_namestring(&a, BAT_SCOPE);

	dev = aml_open_ext(&a, AML_EXT_DEVICE);
	aml_namestring(&a, BAT_NAME);
	aml_byte(&a, AML_NAME);
	aml_namestring(&a, "_HID");
	aml_eisaid(&a, BAT_HID);
	aml_byte(&a, AML_NAME);
	aml_namestring(&a, "_UID");
	aml_integer(&a, 0);

	m = aml_open(&a, AML_METHOD);
	aml_return_method(&a, "_STA");
	aml_integer(&a, BAT_STA);
	aml_close(&a, m);

	m = aml_open(&a, AML_METHOD);
	aml_return_method(&a, "_BIF");
	pkg = aml_open(&a, AML_PACKAGE);
	aml_byte(&a, N(bif_ints) + N(bif_strs));
	for (i = 0; i < N(bif_ints); i++)
		aml_integer(&a, bif_ints[i]);
	for (i = 0; i < N(bif_strs); i++)
		aml_string(&a, bif_strs[i]);
	aml_close(&a, pkg);
	aml_close(&a, m);

	m = aml_open(&a, AML_METHOD);
	aml_return_method(&a, "_BST");
	pkg = aml_open(&a, AML_PACKAGE);
	aml_byte(&a, N(bst_ints));
	for (i = 0; i < N(bst_ints); i++)
		aml_integer(&a, bst_ints[i]);
	aml_close(&a, pkg);
	aml_close(&a, m);

	aml_close(&a, dev);
	aml_close(&a, scope);
	return aml_table_finish(&a, &t->data, &t->len);
}

static int build_asl(struct gh_acpi_table *t)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	size_t i;

	if (!f)
		return -ENOMEM;
	fprintf(f, "DefinitionBlock (\"\", \"SSDT\", 1, \"%s\", \"GHBATT\", 0x00000001)\n{\n",
		GH_ACPI_OEM_ID);
	fprintf(f, "    External (%s, DeviceObj)\n\n    Scope (%s)\n    {\n",
		BAT_SCOPE, BAT_SCOPE);
	fprintf(f, "        Device (%s)\n        {\n", BAT_NAME);
	fprintf(f, "            Name (_HID, EisaId (\"%s\"))\n", BAT_HID);
	fprintf(f, "            Name (_UID, Zero)\n");
	fprintf(f, "            Method (_STA, 0, NotSerialized)\n            {\n                Return (0x%02X)\n            }\n",
		BAT_STA);
	fprintf(f, "            Method (_BIF, 0, NotSerialized)\n            {\n                Return (Package (0x%02zX)\n                {\n",
		N(bif_ints) + N(bif_strs));
	for (i = 0; i < N(bif_ints); i++)
		fprintf(f, "                    0x%X,\n", bif_ints[i]);
	for (i = 0; i < N(bif_strs); i++)
		fprintf(f, "                    \"%s\"%s\n", bif_strs[i],
			i + 1 < N(bif_strs) ? "," : "");
	fprintf(f, "                })\n            }\n");
	fprintf(f, "            Method (_BST, 0, NotSerialized)\n            {\n                Return (Package (0x%02zX)\n                {\n",
		N(bst_ints));
	for (i = 0; i < N(bst_ints); i++)
		fprintf(f, "                    0x%X%s\n", bst_ints[i],
			i + 1 < N(bst_ints) ? "," : "");
	fprintf(f, "                })\n            }\n        }\n    }\n}\n");
	if (fclose(f)) {
		free(buf);
		return -ENOMEM;
	}
	t->data = (u8 *)buf;
	t->len = size;
	return 0;
}

/**
 * gh_acpi_battery_build() - the fake battery SSDT
 * @fmt: AML (the table) or ASL (its source)
 * @t: receives the table; free with gh_acpi_tables_free(t, 1)
 *
 * Return: 0 or -errno.
 */
int gh_acpi_battery_build(enum gh_acpi_format fmt, struct gh_acpi_table *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->file, sizeof(t->file), "ssdt-battery.%s",
		 fmt == GH_ACPI_ASL ? "asl" : "aml");
	return fmt == GH_ACPI_ASL ? build_asl(t) : build_aml(t);
}

/**
 * gh_acpi_tables_free() - free tables from the gh_acpi_*_build() calls
 * @t: the tables
 * @nr: how many
 */
void gh_acpi_tables_free(struct gh_acpi_table *t, unsigned int nr)
{
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < nr; i++) {
		free(t[i].data);
		t[i].data = NULL;
	}
}
