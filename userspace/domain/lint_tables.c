// SPDX-License-Identifier: GPL-2.0
/*
 * lint_tables.c - the lint rules that read the ACPI tables a domain loads:
 * each file is an ACPI table, the vBIOS tables give the dGPU a _ROM
 * method serving a valid vBIOS, the battery table defines a battery.
 * Files are read under the root (root.h), bounded by QEMU's table limit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi_tables.h"
#include "acpi/aml.h"
#include "acpi/aml_read.h"
#include "domain/domain.h"
#include "lib/fileio.h"
#include "domain/lint_priv.h"
#include "lib/root.h"
#include "vbios.h"
#include "domain/vmplan.h"

#define X(s) ((const xmlChar *)(s))

static void add_table(struct gh_lint_ctx *c, xmlNodePtr where, const char *path, size_t n)
{
	struct gh_lint_table *t;
	char full[GH_PATH_MAX];
	unsigned int i;

	if (!n || n >= sizeof(t->path) || c->nr_tables == GH_LINT_TABLES_MAX)
		return;
	for (i = 0; i < c->nr_tables; i++)
		if (strlen(c->tables[i].path) == n && !strncmp(c->tables[i].path, path, n))
			return;
	t = &c->tables[c->nr_tables++];
	t->where = where;
	memcpy(t->path, path, n);
	t->path[n] = '\0';
	t->vbios = strstr(t->path, "vbios") != NULL;
	if (t->path[0] != '/')
		snprintf(full, sizeof(full), "%s", t->path);
	else if (gh_path(full, sizeof(full), t->path))
		full[0] = '\0';
	t->err = full[0] ? gh_read_file(full, &t->data, &t->len, GH_ACPI_TABLE_MAX) :
		 -ENAMETOOLONG;
	if (t->err) {
		t->data = NULL;
		snprintf(t->why, sizeof(t->why), "%s",
			 t->err == -EFBIG ? "larger than 65535 bytes, which QEMU refuses" :
			 gh_file_strerror(t->err));
		return;
	}
	/* gpuhelper's tables (OEM ID GPUHLP) are SSDTs */
	t->bad = gh_acpi_header_check(t->data, t->len,
				      t->len >= 16 && !memcmp(t->data + 10, GH_ACPI_OEM_ID, 6) ?
				      "SSDT" : NULL, t->why, sizeof(t->why)) != 0;
}

/* The files of one -acpitable value: file=A:B among comma-separated options. */
static void acpitable_files(struct gh_lint_ctx *c, xmlNodePtr where, const char *v)
{
	const char *o = v, *f, *end;

	while (o && *o) {
		const char *next = strchr(o, ',');

		if (!strncmp(o, "file=", 5)) {
			end = next ? next : o + strlen(o);
			for (f = o + 5; f < end; ) {
				const char *colon = memchr(f, ':', (size_t)(end - f));
				const char *e = colon ? colon : end;

				add_table(c, where, f, (size_t)(e - f));
				f = e + 1;
			}
		}
		o = next ? next + 1 : NULL;
	}
}

/**
 * gh_lint_tables_load() - read every ACPI table file the domain loads
 * @c: the run; fills @c->tables, each distinct path once
 *
 * From "-acpitable file=..." in <qemu:commandline> and <os><acpi><table>.
 * A file that cannot be read is kept, with its error, for the rules.
 */
void gh_lint_tables_load(struct gh_lint_ctx *c)
{
	xmlNodePtr n, t;

	for (n = c->cmdline ? c->cmdline->children : NULL; n; n = n->next) {
		xmlChar *v = xmlGetProp(n, X("value"));

		if (v && !xmlStrcmp(v, X("-acpitable")) && n->next) {
			xmlChar *f = xmlGetProp(n->next, X("value"));

			if (f)
				acpitable_files(c, n->next, (const char *)f);
			xmlFree(f);
		}
		xmlFree(v);
	}
	for (t = gh_xml_child(gh_xml_child(c->os, "acpi"), "table"); t;
	     t = gh_xml_next(t, "table")) {
		xmlChar *f = xmlNodeGetContent(t);

		if (f)
			add_table(c, t, (const char *)f, strlen((const char *)f));
		xmlFree(f);
	}
}

void gh_lint_tables_free(struct gh_lint_ctx *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_tables; i++)
		free(c->tables[i].data);
	c->nr_tables = 0;
}

enum gh_lint_status gh_lint_r_table_files(struct gh_lint_ctx *c)
{
	unsigned int i;

	if (!c->nr_tables)
		return GH_LINT_NA;
	for (i = 0; i < c->nr_tables; i++) {
		const struct gh_lint_table *t = &c->tables[i];

		if (t->err)
			return gh_lint_fail(c, t->where, "%s (under %s): cannot read: %s",
					    t->path, gh_root(), t->why);
		if (t->bad)
			return gh_lint_fail(c, t->where, "%s is not a valid ACPI table: %s",
					    t->path, t->why);
	}
	return GH_LINT_PASS;
}

/*
 * The dGPU's device object as QEMU's ACPI names it: S<devfn> under PCI0,
 * nested behind its root port or bridge (q35: 01:00.0 behind 00:01.0 is
 * \_SB.PCI0.S08.S00, GH_ACPI_VBIOS_PATH_DEFAULT).
 */
static void dgpu_acpi_path(struct gh_lint_ctx *c, char *buf, size_t len)
{
	unsigned int d, b, s, f, cd, cb, cs, cf;
	xmlNodePtr n, ctl = NULL;

	snprintf(buf, len, "%s", GH_ACPI_VBIOS_PATH_DEFAULT);
	if (gh_xml_pci_addr(gh_xml_child(c->dgpu, "address"), &d, &b, &s, &f))
		return;
	if (!b) {
		snprintf(buf, len, "\\_SB.PCI0.S%02X", s << 3 | f);
		return;
	}
	for (n = gh_xml_child(c->devs, "controller"); n; n = gh_xml_next(n, "controller"))
		if (gh_xml_attr_is(n, "type", "pci") && gh_xml_ulong(n, "index", -1) == (long)b)
			ctl = n;
	if (!ctl || gh_xml_pci_addr(gh_xml_child(ctl, "address"), &cd, &cb, &cs, &cf) || cb)
		return;
	snprintf(buf, len, "\\_SB.PCI0.S%02X.S%02X", cs << 3 | cf, s << 3 | f);
}

struct vbios_set {
	const struct gh_lint_table *rom;	/* the _ROM table */
	const struct gh_lint_table *chunk[GH_ACPI_VBIOS_MAX_TABLES];
	struct gh_aml_vbios v[GH_ACPI_VBIOS_MAX_TABLES];
	unsigned int nr;			/* buffers, VR00 .. VRnn */
};

/*
 * Decode the readable vBIOS tables into @s; on a fault, fail the rule
 * (GH_LINT_FAIL) naming the table.
 */
static enum gh_lint_status vbios_set(struct gh_lint_ctx *c, struct vbios_set *s)
{
	char want[GH_AML_PATH_LEN], why[256];
	struct gh_aml_vbios v;
	unsigned int i, k;
	bool any = false;

	memset(s, 0, sizeof(*s));
	dgpu_acpi_path(c, want, sizeof(want));
	for (i = 0; i < c->nr_tables; i++) {
		const struct gh_lint_table *t = &c->tables[i];

		if (!t->vbios)
			continue;
		any = true;
		if (!t->data)
			continue;	/* GH020 says why */
		if (gh_aml_read_vbios(t->data, t->len, &v, why, sizeof(why)))
			return gh_lint_fail(c, t->where, "%s is not a table of gpuhelper acpi "
					    "vbios: %s", t->path, why);
		if (strcmp(v.scope, want))
			return gh_lint_fail(c, t->where, "%s puts %s at %s, but the dGPU's "
					    "device in this guest is %s: the driver finds no "
					    "_ROM", t->path, v.rom_method ? "_ROM" : "its buffer",
					    v.scope, want);
		if (v.rom_method) {
			if (s->rom)
				return gh_lint_fail(c, t->where, "%s and %s both define _ROM: "
						    "the guest refuses the second", s->rom->path,
						    t->path);
			s->rom = t;
			continue;
		}
		if ((unsigned int)v.index >= GH_ACPI_VBIOS_MAX_TABLES || s->chunk[v.index])
			return gh_lint_fail(c, t->where, "%s defines VR%02X again (also in %s)",
					    t->path, v.index, s->chunk[v.index] ?
					    s->chunk[v.index]->path : "?");
		s->chunk[v.index] = t;
		s->v[v.index] = v;
		if ((unsigned int)v.index + 1 > s->nr)
			s->nr = (unsigned int)v.index + 1;
	}
	if (!any)
		return GH_LINT_NA;	/* GH011 */
	for (k = 0; k < s->nr; k++)
		if (!s->chunk[k])
			return gh_lint_fail(c, c->os, "no table defines VR%02X (VR00 to VR%02X "
					    "are loaded otherwise): the _ROM method reads it",
					    k, s->nr - 1);
	return GH_LINT_PASS;
}

enum gh_lint_status gh_lint_r_vbios_rom(struct gh_lint_ctx *c)
{
	char want[GH_AML_PATH_LEN];
	struct vbios_set *s;
	enum gh_lint_status st;

	if (!c->dgpu)
		return GH_LINT_NA;
	s = malloc(sizeof(*s));
	if (!s)
		return gh_lint_fail(c, NULL, "out of memory");
	st = vbios_set(c, s);
	if (st == GH_LINT_PASS && !s->rom) {
		dgpu_acpi_path(c, want, sizeof(want));
		st = gh_lint_fail(c, c->os, "the vBIOS tables hold no _ROM method at %s (only "
				  "the data, %u buffer table%s): the driver reads no vBIOS and "
				  "stops with Code 43", want, s->nr, s->nr == 1 ? "" : "s");
	} else if (st == GH_LINT_PASS && !s->nr) {
		st = gh_lint_fail(c, s->rom->where, "%s has a _ROM method but no table holds "
				  "the buffers it reads (VR00...)", s->rom->path);
	}
	free(s);
	return st;
}

enum gh_lint_status gh_lint_r_vbios_chain(struct gh_lint_ctx *c)
{
	struct gh_vbios_info info;
	struct vbios_set *s;
	enum gh_lint_status st;
	size_t len = 0, at = 0;
	unsigned int k;
	u8 *rom;

	if (!c->dgpu)
		return GH_LINT_NA;
	s = malloc(sizeof(*s));
	if (!s)
		return gh_lint_fail(c, NULL, "out of memory");
	/* a broken set is GH021's: here only what the buffers hold */
	st = vbios_set(c, s);
	if (st != GH_LINT_PASS || !s->nr) {
		free(s);
		return GH_LINT_NA;
	}
	for (k = 0; k < s->nr; k++) {
		if (k + 1 < s->nr && s->v[k].buf_len != s->v[0].buf_len) {
			st = gh_lint_fail(c, s->chunk[k]->where, "VR%02X in %s holds %zu bytes, "
					  "VR00 %zu: tables of two vBIOS builds are mixed",
					  k, s->chunk[k]->path, s->v[k].buf_len, s->v[0].buf_len);
			free(s);
			return st;
		}
		len += s->v[k].buf_len;
	}
	rom = malloc(len ? len : 1);
	if (!rom) {
		free(s);
		return gh_lint_fail(c, NULL, "out of memory");
	}
	for (k = 0; k < s->nr; at += s->v[k].buf_len, k++)
		memcpy(rom + at, s->v[k].buf, s->v[k].buf_len);
	st = GH_LINT_PASS;
	if (gh_vbios_parse(rom, len, 0, 0, &info))
		st = gh_lint_fail(c, s->chunk[0]->where, "the %u vBIOS buffer%s (%zu bytes, "
				  "VR00 in %s) are not a valid vBIOS: %s at offset 0x%x",
				  s->nr, s->nr == 1 ? "" : "s", len, s->chunk[0]->path,
				  gh_vbios_reason_str(info.reason), info.reason_offset);
	free(rom);
	free(s);
	return st;
}

enum gh_lint_status gh_lint_r_battery_device(struct gh_lint_ctx *c)
{
	const u32 hid = aml_eisaid_value("PNP0C0A");
	char why[256] = "", first[512] = "";
	struct gh_aml_battery b;
	xmlNodePtr where = NULL;
	unsigned int i, others = 0;

	if (!c->dgpu)
		return GH_LINT_NA;
	for (i = 0; i < c->nr_tables; i++) {
		const struct gh_lint_table *t = &c->tables[i];

		if (t->vbios)
			continue;
		others++;
		if (!t->data)
			continue;	/* GH020 */
		if (gh_aml_read_battery(t->data, t->len, &b, why, sizeof(why))) {
			if (!first[0]) {
				snprintf(first, sizeof(first), "%s: %s", t->path, why);
				where = t->where;
			}
			continue;
		}
		if (b.hid != hid) {
			if (!first[0]) {
				snprintf(first, sizeof(first), "%s: %s has _HID 0x%08x, not "
					 "EisaId (\"PNP0C0A\"), a control method battery",
					 t->path, b.path, b.hid);
				where = t->where;
			}
			continue;
		}
		if (!b.sta || !b.bif || !b.bst)
			return gh_lint_fail(c, t->where, "%s: the battery %s has no%s%s%s: "
					    "Windows sees no charge and the driver no battery",
					    t->path, b.path, b.sta ? "" : " _STA",
					    b.bif ? "" : " _BIF", b.bst ? "" : " _BST");
		return GH_LINT_PASS;
	}
	if (!others)
		return GH_LINT_NA;	/* GH009 */
	if (first[0])
		return gh_lint_fail(c, where, "no table defines a battery: %s", first);
	return gh_lint_fail(c, c->os, "no readable ACPI table defines a battery (see GH020)");
}

/*
 * QEMU describes the devices behind a q35 root port in ACPI (S08.S00,
 * where the vBIOS tables put _ROM) only with ACPI PCI hotplug on bridges:
 * the default from pc-q35-6.1; QEMU 6.1's pc_compat_6_0 turns
 * acpi-pci-hotplug-with-bridge-support off for the older machine types,
 * so there the Scope has no device and the guest loads no _ROM.
 */
enum gh_lint_status gh_lint_r_vbios_machine(struct gh_lint_ctx *c)
{
	xmlNodePtr type = gh_xml_child(c->os, "type");
	unsigned int i, maj, min;
	xmlChar *m;
	bool any = false;
	int ok;

	if (!c->dgpu)
		return GH_LINT_NA;
	for (i = 0; i < c->nr_tables; i++)
		any |= c->tables[i].vbios;
	if (!any)
		return GH_LINT_NA;
	m = type ? xmlGetProp(type, (const xmlChar *)"machine") : NULL;
	ok = !m || sscanf((const char *)m, "pc-q35-%u.%u", &maj, &min) != 2 ||
	     maj > 6 || (maj == 6 && min >= 1);
	if (ok) {
		xmlFree(m);
		return GH_LINT_PASS;
	}
	gh_lint_fail(c, type, "machine type %s describes no device behind the root port in "
		     "ACPI (from pc-q35-6.1 on it does): the vBIOS tables' _ROM at %s does "
		     "not load", (const char *)m, GH_ACPI_VBIOS_PATH_DEFAULT);
	xmlFree(m);
	return GH_LINT_FAIL;
}
