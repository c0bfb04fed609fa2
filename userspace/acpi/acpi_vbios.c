// SPDX-License-Identifier: GPL-2.0
/*
 * acpi_vbios.c - give the guest's dGPU a _ROM method that returns its vBIOS.
 *
 * On a MUXless Optimus laptop the dGPU has no ROM BAR worth reading: the
 * system firmware hands the vBIOS to the driver through the ACPI _ROM
 * method of the GPU's device object, 4 KiB per call. A guest has no such
 * method unless we give it one. QEMU refuses any -acpitable larger than
 * 65535 bytes, so the ROM is split:
 *
 *   ssdt-vbios-00.aml .. -NN.aml   Scope (<path>) { Name (VRnn, Buffer () {...}) }
 *                                  each buffer holds @split ROM bytes (the last
 *                                  one the rest)
 *   ssdt-vbios-rom.aml             Scope (<path>) { Method (_ROM, 2) }
 *
 * _ROM (Arg0 offset, Arg1 length) returns a Buffer of min(length, 4096)
 * bytes from offset, clipped at the end of the ROM (empty at or past it),
 * crossing buffer boundaries as needed, as a laptop's firmware does.
 *
 * Every table is also available as ASL (what iasl would compile to the
 * same AML), for reading and for tests/bench/aml.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi_tables.h"
#include "acpi/aml.h"
#include "vbios.h"

#define VR_NAME_LEN	5

/* Method locals of _ROM */
enum { L_OFF, L_LEFT, L_RESULT, L_INDEX, L_AT, L_TAKE, L_PIECE };

static void buffer_name(char *buf, unsigned int i)
{
	static const char hex[] = "0123456789ABCDEF";

	buf[0] = 'V';
	buf[1] = 'R';
	buf[2] = hex[(i >> 4) & 0xf];
	buf[3] = hex[i & 0xf];
	buf[4] = '\0';
}

/* Store (Integer, Local) */
static void store_int(struct aml *a, u64 v, unsigned int local)
{
	aml_byte(a, AML_STORE);
	aml_integer(a, v);
	aml_local(a, local);
}

/* If (LGreater (Local<l>, <v>)) { Store (<v>, Local<l>) }: clamp */
static void clamp_local_int(struct aml *a, unsigned int l, u64 v)
{
	size_t m = aml_open(a, AML_IF);

	aml_byte(a, AML_LGREATER);
	aml_local(a, l);
	aml_integer(a, v);
	store_int(a, v, l);
	aml_close(a, m);
}

static void rom_method_aml(struct aml *a, size_t len, size_t split,
			   unsigned int nbuf)
{
	size_t meth, m, loop;
	unsigned int i;

	meth = aml_open(a, AML_METHOD);
	aml_namestring(a, "_ROM");
	aml_byte(a, 2);				/* 2 args, NotSerialized */

	/* Store (Arg0, Local0)  Store (Arg1, Local1) */
	aml_byte(a, AML_STORE);
	aml_arg(a, 0);
	aml_local(a, L_OFF);
	aml_byte(a, AML_STORE);
	aml_arg(a, 1);
	aml_local(a, L_LEFT);
	clamp_local_int(a, L_LEFT, GH_VBIOS_ACPI_CHUNK);
	clamp_local_int(a, L_OFF, len);

	/* If (LGreater (Local1, Subtract (len, Local0))) { Subtract (len, Local0, Local1) } */
	m = aml_open(a, AML_IF);
	aml_byte(a, AML_LGREATER);
	aml_local(a, L_LEFT);
	aml_byte(a, AML_SUBTRACT);
	aml_integer(a, len);
	aml_local(a, L_OFF);
	aml_byte(a, AML_ZERO);			/* no target */
	aml_byte(a, AML_SUBTRACT);
	aml_integer(a, len);
	aml_local(a, L_OFF);
	aml_local(a, L_LEFT);
	aml_close(a, m);

	/* Store (Buffer (Zero) {}, Local2) */
	aml_byte(a, AML_STORE);
	aml_buffer(a, NULL, 0);
	aml_local(a, L_RESULT);

	/* While (LGreater (Local1, Zero)) */
	loop = aml_open(a, AML_WHILE);
	aml_byte(a, AML_LGREATER);
	aml_local(a, L_LEFT);
	aml_integer(a, 0);

	/* Divide (Local0, split, Local4, Local3): Local3 buffer, Local4 offset in it */
	aml_byte(a, AML_DIVIDE);
	aml_local(a, L_OFF);
	aml_integer(a, split);
	aml_local(a, L_AT);
	aml_local(a, L_INDEX);
	/* Subtract (split, Local4, Local5) then clamp to Local1 */
	aml_byte(a, AML_SUBTRACT);
	aml_integer(a, split);
	aml_local(a, L_AT);
	aml_local(a, L_TAKE);
	m = aml_open(a, AML_IF);
	aml_byte(a, AML_LGREATER);
	aml_local(a, L_TAKE);
	aml_local(a, L_LEFT);
	aml_byte(a, AML_STORE);
	aml_local(a, L_LEFT);
	aml_local(a, L_TAKE);
	aml_close(a, m);

	/* If (LEqual (Local3, i)) { Mid (VRi, Local4, Local5, Local6) } */
	for (i = 0; i < nbuf; i++) {
		char name[VR_NAME_LEN];

		buffer_name(name, i);
		m = aml_open(a, AML_IF);
		aml_byte(a, AML_LEQUAL);
		aml_local(a, L_INDEX);
		aml_integer(a, i);
		aml_byte(a, AML_MID);
		aml_namestring(a, name);
		aml_local(a, L_AT);
		aml_local(a, L_TAKE);
		aml_local(a, L_PIECE);
		aml_close(a, m);
	}

	/* Concatenate (Local2, Local6, Local2); Add (Local0, Local5, Local0); Subtract (Local1, Local5, Local1) */
	aml_byte(a, AML_CONCAT);
	aml_local(a, L_RESULT);
	aml_local(a, L_PIECE);
	aml_local(a, L_RESULT);
	aml_byte(a, AML_ADD);
	aml_local(a, L_OFF);
	aml_local(a, L_TAKE);
	aml_local(a, L_OFF);
	aml_byte(a, AML_SUBTRACT);
	aml_local(a, L_LEFT);
	aml_local(a, L_TAKE);
	aml_local(a, L_LEFT);
	aml_close(a, loop);

	aml_byte(a, AML_RETURN);
	aml_local(a, L_RESULT);
	aml_close(a, meth);
}

static void rom_method_asl(FILE *f, size_t len, size_t split, unsigned int nbuf)
{
	unsigned int i;

	fprintf(f, "        Method (_ROM, 2, NotSerialized)\n        {\n");
	fprintf(f, "            Store (Arg0, Local0)\n            Store (Arg1, Local1)\n");
	fprintf(f, "            If (LGreater (Local1, 0x%X))\n            {\n                Store (0x%X, Local1)\n            }\n",
		GH_VBIOS_ACPI_CHUNK, GH_VBIOS_ACPI_CHUNK);
	fprintf(f, "            If (LGreater (Local0, 0x%zX))\n            {\n                Store (0x%zX, Local0)\n            }\n",
		len, len);
	fprintf(f, "            If (LGreater (Local1, Subtract (0x%zX, Local0)))\n            {\n                Subtract (0x%zX, Local0, Local1)\n            }\n",
		len, len);
	fprintf(f, "            Store (Buffer (Zero) {}, Local2)\n");
	fprintf(f, "            While (LGreater (Local1, Zero))\n            {\n");
	fprintf(f, "                Divide (Local0, 0x%zX, Local4, Local3)\n", split);
	fprintf(f, "                Subtract (0x%zX, Local4, Local5)\n", split);
	fprintf(f, "                If (LGreater (Local5, Local1))\n                {\n                    Store (Local1, Local5)\n                }\n");
	for (i = 0; i < nbuf; i++) {
		char name[VR_NAME_LEN];

		buffer_name(name, i);
		fprintf(f, "                If (LEqual (Local3, 0x%X))\n                {\n                    Mid (%s, Local4, Local5, Local6)\n                }\n",
			i, name);
	}
	fprintf(f, "                Concatenate (Local2, Local6, Local2)\n");
	fprintf(f, "                Add (Local0, Local5, Local0)\n");
	fprintf(f, "                Subtract (Local1, Local5, Local1)\n");
	fprintf(f, "            }\n            Return (Local2)\n        }\n");
}

static int build_aml(struct gh_acpi_table *t, const char *path, const u8 *rom,
		     size_t len, size_t split, unsigned int nbuf, int index)
{
	char tid[9], name[VR_NAME_LEN];
	struct aml a;
	unsigned int i;
	size_t scope, ext;

	if (index < 0)
		snprintf(tid, sizeof(tid), "GHVROM");
	else
		snprintf(tid, sizeof(tid), "GHVR%02X", (unsigned int)index);
	aml_init(&a);
	aml_table_begin(&a, "SSDT", 1, GH_ACPI_OEM_ID, tid, 1);
	ext = aml_externals_open(&a);
	aml_external(&a, path, AML_OBJ_DEVICE, 0);
	for (i = 0; index < 0 && i < nbuf; i++) {
		char full[GH_ACPI_PATH_MAX + VR_NAME_LEN + 1];

		buffer_name(name, i);
		snprintf(full, sizeof(full), "%s.%s", path, name);
		aml_external(&a, full, AML_OBJ_BUFFER, 0);
	}
	aml_close(&a, ext);
	scope = aml_open(&a, AML_SCOPE);
	aml_namestring(&a, path);
	if (index < 0) {
		rom_method_aml(&a, len, split, nbuf);
	} else {
		size_t n = t->rom_len, m;

		buffer_name(name, (unsigned int)index);
		aml_byte(&a, AML_NAME);
		aml_namestring(&a, name);
		m = aml_open(&a, AML_BUFFER);
		aml_integer(&a, n);
		aml_bytes(&a, rom + t->rom_offset, n);
		aml_close(&a, m);
	}
	aml_close(&a, scope);
	/* a buffer table ends with the ROM bytes */
	if (index >= 0)
		t->payload = a.len - t->rom_len;
	return aml_table_finish(&a, &t->data, &t->len);
}

static int build_asl(struct gh_acpi_table *t, const char *path, const u8 *rom,
		     size_t len, size_t split, unsigned int nbuf, int index)
{
	char *buf = NULL;
	size_t size = 0, i;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return -ENOMEM;
	if (index < 0)
		fprintf(f, "DefinitionBlock (\"\", \"SSDT\", 1, \"%s\", \"GHVROM\", 0x00000001)\n{\n",
			GH_ACPI_OEM_ID);
	else
		fprintf(f, "DefinitionBlock (\"\", \"SSDT\", 1, \"%s\", \"GHVR%02X\", 0x00000001)\n{\n",
			GH_ACPI_OEM_ID, (unsigned int)index);
	fprintf(f, "    External (%s, DeviceObj)\n", path);
	for (i = 0; index < 0 && i < nbuf; i++) {
		char name[VR_NAME_LEN];

		buffer_name(name, (unsigned int)i);
		fprintf(f, "    External (%s.%s, BuffObj)\n", path, name);
	}
	fprintf(f, "\n    Scope (%s)\n    {\n", path);
	if (index < 0) {
		rom_method_asl(f, len, split, nbuf);
	} else {
		char name[VR_NAME_LEN];
		const u8 *p = rom + t->rom_offset;

		buffer_name(name, (unsigned int)index);
		fprintf(f, "        Name (%s, Buffer (0x%zX)\n        {\n", name, t->rom_len);
		for (i = 0; i < t->rom_len; i++)
			fprintf(f, "%s0x%02X%s", i % 16 ? " " : "            ", p[i],
				i + 1 == t->rom_len ? "\n" : i % 16 == 15 ? ",\n" : ",");
		fprintf(f, "        })\n");
	}
	fprintf(f, "    }\n}\n");
	if (fclose(f)) {
		free(buf);
		return -ENOMEM;
	}
	t->data = (u8 *)buf;
	t->len = size;
	return 0;
}

/**
 * gh_acpi_vbios_build() - the SSDTs that give @path a _ROM returning @rom
 * @rom: the vBIOS
 * @len: its length, at least 1
 * @path: ACPI path of the dGPU's device object in the guest
 * @split: ROM bytes per buffer table (GH_ACPI_VBIOS_SPLIT_MIN up to what
 *	fits in 65535 bytes); 0 for GH_ACPI_VBIOS_SPLIT_DEFAULT
 * @fmt: AML tables or their ASL source
 * @tables: receives the buffer tables in ROM order, then the _ROM table;
 *	free with gh_acpi_tables_free() and free()
 * @nr: receives their number
 *
 * Return: 0, -EINVAL for a bad path, length or split, -E2BIG when a table
 * would exceed 65535 bytes or more than 255 tables are needed, -ENOMEM.
 */
int gh_acpi_vbios_build(const u8 *rom, size_t len, const char *path,
			size_t split, enum gh_acpi_format fmt,
			struct gh_acpi_table **tables, unsigned int *nr)
{
	struct gh_acpi_table *t;
	const char *ext = fmt == GH_ACPI_ASL ? "asl" : "aml";
	unsigned int nbuf, i;
	int err = 0;

	if (!split)
		split = GH_ACPI_VBIOS_SPLIT_DEFAULT;
	if (!rom || !len || len > GH_VBIOS_MAX_SIZE || aml_name_valid(path) ||
	    strlen(path) > GH_ACPI_PATH_MAX ||
	    split < GH_ACPI_VBIOS_SPLIT_MIN || split > GH_ACPI_TABLE_MAX)
		return -EINVAL;
	if ((len + split - 1) / split > GH_ACPI_VBIOS_MAX_TABLES)
		return -E2BIG;
	nbuf = (unsigned int)((len + split - 1) / split);

	t = calloc(nbuf + 1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (i = 0; i <= nbuf && !err; i++) {
		int index = i < nbuf ? (int)i : -1;

		if (index >= 0) {
			t[i].rom_offset = (size_t)i * split;
			t[i].rom_len = len - t[i].rom_offset < split ?
				       len - t[i].rom_offset : split;
			snprintf(t[i].file, sizeof(t[i].file), "ssdt-vbios-%02x.%s", i, ext);
		} else {
			snprintf(t[i].file, sizeof(t[i].file), "ssdt-vbios-rom.%s", ext);
		}
		if (fmt == GH_ACPI_ASL)
			err = build_asl(&t[i], path, rom, len, split, nbuf, index);
		else
			err = build_aml(&t[i], path, rom, len, split, nbuf, index);
		if (!err && fmt == GH_ACPI_AML && t[i].len > GH_ACPI_TABLE_MAX)
			err = -E2BIG;
	}
	if (err) {
		gh_acpi_tables_free(t, nbuf + 1);
		free(t);
		return err;
	}
	*tables = t;
	*nr = nbuf + 1;
	return 0;
}
