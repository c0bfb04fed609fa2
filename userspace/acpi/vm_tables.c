// SPDX-License-Identifier: GPL-2.0
/*
 * vm_tables.c - gpuhelper vm never lists an incomplete table set: when
 * GH_VM_DATADIR (under the root) has no complete vBIOS set, or --rom asks
 * for one, the SSDTs are built (acpi_vbios.c, acpi_battery.c) and written
 * there atomically, from --rom FILE or gpuhelper.ko's shadow of this
 * machine's dGPU (/sys/class/gpuhelper/BDF/vbios). With neither, the
 * domain lists no vBIOS table and vm prints the command that writes them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "acpi/acpi_tables.h"
#include "lib/atomicwrite.h"
#include "lib/fileio.h"
#include "lib/root.h"
#include "vbios.h"
#include "domain/vmplan.h"

static int write_one(const char *abs, const struct gh_acpi_table *t, char *why, size_t whylen)
{
	char path[GH_PATH_MAX];
	int err;

	err = gh_path(path, sizeof(path), abs);
	if (!err)
		err = gh_replace_file(path, (const char *)t->data, t->len, 0644, false);
	if (err)
		snprintf(why, whylen, "cannot write %s: %s%s", path, gh_file_strerror(err),
			 err == -EACCES || err == -EPERM || err == -EROFS ?
			 ": run gpuhelper vm as root, or write the tables elsewhere with "
			 "gpuhelper acpi and pass them with --acpi-table" : "");
	return err;
}

/* mkdir -p @dir: the root may hold no /var/lib yet */
static int make_dir(char *dir)
{
	char *s;

	for (s = strchr(dir + 1, '/'); ; s = strchr(s + 1, '/')) {
		if (s)
			*s = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST) {
			if (s)
				*s = '/';
			return -errno;
		}
		if (!s)
			return 0;
		*s = '/';
	}
}

/* The battery needs no source: written when missing. */
static int write_battery(struct gh_vm_plan *p, char *why, size_t whylen)
{
	struct gh_acpi_table bat;
	char dir[GH_PATH_MAX];
	int err;

	if (gh_exists(GH_VM_BATTERY))
		return 0;
	err = gh_path(dir, sizeof(dir), GH_VM_DATADIR);
	if (!err)
		err = make_dir(dir);
	if (err) {
		snprintf(why, whylen, "cannot create %s: %s: run gpuhelper vm as root", dir,
			 strerror(-err));
		return err;
	}
	err = gh_acpi_battery_build(GH_ACPI_AML, &bat);
	if (err) {
		snprintf(why, whylen, "cannot build the battery SSDT: %s", strerror(-err));
		return err;
	}
	err = write_one(GH_VM_BATTERY, &bat, why, whylen);
	gh_acpi_tables_free(&bat, 1);
	if (!err) {
		fprintf(stderr, "gpuhelper vm: wrote the battery SSDT to %s\n", dir);
		p->tables_missing = false;
	}
	return err;
}

static int write_set(struct gh_vm_plan *p, const u8 *rom, size_t len, const char *src,
		     char *why, size_t whylen)
{
	struct gh_acpi_table *t = NULL;
	char dir[GH_PATH_MAX], abs[sizeof(GH_VM_DATADIR) + sizeof(t->file) + 1];
	unsigned int nr = 0, i;
	int err;

	err = gh_acpi_vbios_build(rom, len, GH_ACPI_VBIOS_PATH_DEFAULT, 0, GH_ACPI_AML, &t, &nr);
	if (err) {
		snprintf(why, whylen, "cannot build the vBIOS tables from %s: %s", src,
			 strerror(-err));
		return err;
	}
	if (nr + 1 > GH_VM_TABLES_MAX) {
		snprintf(why, whylen, "the vBIOS of %s needs %u tables, more than vm lists (%d): "
			 "write them with gpuhelper acpi vbios and pass --acpi-table", src, nr,
			 GH_VM_TABLES_MAX - 1);
		gh_acpi_tables_free(t, nr);
		free(t);
		return -E2BIG;
	}
	err = write_battery(p, why, whylen);
	if (!err)
		err = gh_path(dir, sizeof(dir), GH_VM_DATADIR);
	p->nr_tables = 0;
	snprintf(p->tables[p->nr_tables++], sizeof(p->tables[0]), "%s", GH_VM_BATTERY);
	for (i = 0; !err && i < nr; i++) {
		snprintf(abs, sizeof(abs), GH_VM_DATADIR "/%s", t[i].file);
		err = write_one(abs, &t[i], why, whylen);
		if (!err)
			snprintf(p->tables[p->nr_tables++], sizeof(p->tables[0]), "%s", abs);
	}
	if (!err) {
		fprintf(stderr, "gpuhelper vm: wrote %u SSDTs for the %zu-byte vBIOS of %s to %s\n",
			nr, len, src, dir);
		p->vbios_missing = false;
	}
	gh_acpi_tables_free(t, nr);
	free(t);
	return err;
}

/**
 * gh_vm_tables_ensure() - make the plan's default SSDTs complete
 * @p: the plan (gh_vm_plan_make()); its table list is replaced by what
 *	is written
 * @rom_file: --rom, NULL for none
 * @other_machine: the plan is for another machine (--profile): this
 *	one's shadow vBIOS is not its
 * @why: receives the reason on failure, with the command to run
 * @whylen: its size
 *
 * Nothing is done for --acpi-table lists, a plan without a dGPU, or a
 * complete set on disk without --rom.
 *
 * Return: 0; -ENOENT when the set is incomplete and there is no vBIOS to
 * build it from; -EINVAL for a --rom or shadow that is no valid vBIOS;
 * -errno of a read or write.
 */
int gh_vm_tables_ensure(struct gh_vm_plan *p, const char *rom_file, bool other_machine,
			char *why, size_t whylen)
{
	char shadow[GH_PATH_MAX], abs[128];
	struct gh_vbios_info info;
	const char *src = rom_file;
	unsigned char *rom = NULL;
	size_t len = 0;
	int err;

	if (!p->dgpu || !p->nr_tables || strcmp(p->tables[0], GH_VM_BATTERY))
		return 0;	/* --acpi-table: the user's list */
	if (!p->vbios_missing && !rom_file)
		return write_battery(p, why, whylen);
	if (!src && !other_machine) {
		snprintf(abs, sizeof(abs), "/sys/class/gpuhelper/%s/vbios", p->dgpu_bdf);
		if (!gh_path(shadow, sizeof(shadow), abs) && gh_exists(abs))
			src = shadow;
	}
	if (!src) {
		snprintf(why, whylen, "%s has no complete set of vBIOS SSDTs (ssdt-vbios-00.aml "
			 "... and ssdt-vbios-rom.aml with the _ROM method), and there is no vBIOS "
			 "to build them from (%s): run 'gpuhelper acpi vbios --rom VBIOS.rom -o %s' "
			 "and 'gpuhelper acpi battery -o %s', or pass --rom VBIOS.rom",
			 GH_VM_DATADIR, other_machine ? "--profile is another machine" :
			 "gpuhelper.ko has no shadow of the dGPU's", GH_VM_DATADIR, GH_VM_BATTERY);
		return -ENOENT;
	}
	err = gh_read_file(src, &rom, &len, GH_VBIOS_MAX_SIZE);
	if (err) {
		snprintf(why, whylen, "cannot read the vBIOS %s: %s", src,
			 err == -EFBIG ? "larger than any vBIOS (32 MiB)" : gh_file_strerror(err));
		return err;
	}
	if (gh_vbios_parse(rom, len, 0, 0, &info)) {
		snprintf(why, whylen, "%s is not a valid vBIOS: %s at offset 0x%x: check it with "
			 "gpuhelper vbios info; 'gpuhelper vbios strip' removes a dump's header",
			 src, gh_vbios_reason_str(info.reason), info.reason_offset);
		free(rom);
		return -EINVAL;
	}
	err = write_set(p, rom, len, src, why, whylen);
	free(rom);
	return err;
}
