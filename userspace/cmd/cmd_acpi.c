// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_acpi.c - gpuhelper acpi: write the SSDTs a passthrough guest needs.
 *
 *   gpuhelper acpi vbios --rom FILE -o DIR [--path P] [--split N] [--asl] [--force] [--json]
 *   gpuhelper acpi battery -o FILE [--asl]
 *
 * Pass the results to QEMU with one "-acpitable file=..." per table (or
 * <qemu:arg> pairs in libvirt); see gpuhelper-acpi(8).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "acpi/acpi_tables.h"
#include "acpi/aml.h"
#include "commands.h"
#include "lib/atomicwrite.h"
#include "lib/fileio.h"
#include "lib/opts.h"
#include "vbios.h"

enum { OPT_ROM = GH_OPT_LONG, OPT_PATH, OPT_SPLIT, OPT_ASL, OPT_FORCE, OPT_JSON };

static int acpi_vbios(int argc, char **argv);
static int acpi_battery(int argc, char **argv);

static const struct gh_opt vbios_opts[] = {
	{ OPT_ROM, "rom", "FILE", "the vBIOS the _ROM method returns", GH_COMP_FILE, NULL },
	{ 'o', NULL, "DIR", "write the tables into DIR", GH_COMP_DIR, NULL },
	{ OPT_PATH, "path", "ACPIPATH", "the dGPU's ACPI path in the guest (default "
	  GH_ACPI_VBIOS_PATH_DEFAULT ")", GH_COMP_NONE, NULL },
	{ OPT_SPLIT, "split", "BYTES", "the vBIOS bytes per table", GH_COMP_NONE, NULL },
	{ OPT_ASL, "asl", NULL, "write ASL source instead of AML", GH_COMP_NONE, NULL },
	{ OPT_FORCE, "force", NULL, "use a FILE that is not a valid vBIOS", GH_COMP_NONE, NULL },
	{ OPT_JSON, "json", NULL, "list the tables as one JSON object", GH_COMP_NONE, NULL },
	GH_OPT_END
};

static const struct gh_opt battery_opts[] = {
	{ 'o', NULL, "FILE", "write the table to FILE", GH_COMP_FILE, NULL },
	{ OPT_ASL, "asl", NULL, "write ASL source instead of AML", GH_COMP_NONE, NULL },
	GH_OPT_END
};

static const struct gh_cmd_spec spec_vbios = {
	.name = "acpi vbios",
	.summary = "SSDTs giving the guest's dGPU a _ROM method that returns the vBIOS",
	.synopsis = "--rom FILE -o DIR [--path ACPIPATH] [--split BYTES]\n"
		    "                          [--asl] [--force] [--json]",
	.about = "SSDTs giving the guest's dGPU a _ROM method that returns FILE, split over\n"
		 "tables of at most 65535 bytes (QEMU's -acpitable limit). --path: the dGPU's\n"
		 "ACPI path in the guest (01:00.0 behind a root port at 00:01.0 on q35).\n",
	.opts = vbios_opts,
	.run = acpi_vbios,
};

static const struct gh_cmd_spec spec_battery = {
	.name = "acpi battery",
	.summary = "an SSDT with a present, fully charged battery (\\_SB.PCI0.BAT0)",
	.synopsis = "-o FILE [--asl]",
	.opts = battery_opts,
	.run = acpi_battery,
};

static const struct gh_cmd_spec *const acpi_verbs[] = { &spec_vbios, &spec_battery, NULL };

const struct gh_cmd_spec gh_spec_acpi = {
	.name = "acpi",
	.summary = "write the guest SSDTs: vBIOS _ROM, battery",
	.about = "Pass each table to QEMU with -acpitable file=TABLE; see gpuhelper-acpi(8).\n",
	.run = cmd_acpi,
	.verbs = acpi_verbs,
};

static int write_table(const char *dir, const struct gh_acpi_table *t,
		       char *path, size_t len)
{
	int err;

	if (dir)
		snprintf(path, len, "%s/%s", dir, t->file);
	err = gh_replace_file(path, (const char *)t->data, t->len, 0644, false);
	if (err)
		fprintf(stderr, "gpuhelper acpi: cannot write %s: %s%s\n", path, gh_file_strerror(err),
			err == -ENOENT || err == -EACCES || err == -EROFS ?
			": check the directory exists and is writable" : "");
	return err;
}

static int acpi_vbios(int argc, char **argv)
{
	const char *rom_file = NULL, *dir = NULL, *path = GH_ACPI_VBIOS_PATH_DEFAULT;
	bool asl = false, force = false, json = false;
	struct gh_acpi_table *t = NULL;
	struct gh_vbios_info info;
	unsigned char *rom = NULL;
	unsigned long split = 0;
	unsigned int nr = 0, i;
	struct gh_optparse p;
	size_t len;
	int c, err, rc = GH_EXIT_ERROR;

	gh_opt_start(&p, &spec_vbios, argc, argv);
	while ((c = gh_opt_next(&p)) != GH_OPT_DONE) {
		switch (c) {
		case OPT_ROM: rom_file = p.val; break;
		case 'o': dir = p.val; break;
		case OPT_PATH: path = p.val; break;
		case OPT_SPLIT: {
			char *end;

			errno = 0;
			split = strtoul(p.val, &end, 0);
			if (errno || *end || end == p.val || split < GH_ACPI_VBIOS_SPLIT_MIN ||
			    split > GH_ACPI_TABLE_MAX) {
				fprintf(stderr, "gpuhelper acpi vbios: --split %s: give a byte count from %u to %u\n",
					p.val, GH_ACPI_VBIOS_SPLIT_MIN, GH_ACPI_TABLE_MAX);
				return GH_EXIT_USAGE;
			}
			break;
		}
		case OPT_ASL: asl = true; break;
		case OPT_FORCE: force = true; break;
		case OPT_JSON: json = true; break;
		case GH_OPT_HELP: return GH_EXIT_OK;
		default: return gh_opt_fail(&p);
		}
	}
	if (p.ind < argc)
		return gh_opt_usage_error(&spec_vbios, "unknown argument '%s'", argv[p.ind]);
	if (!rom_file || !dir) {
		fprintf(stderr, "gpuhelper acpi vbios: --rom FILE and -o DIR are required\n");
		return GH_EXIT_USAGE;
	}
	if (aml_name_valid(path)) {
		fprintf(stderr, "gpuhelper acpi vbios: --path '%s' is not an ACPI path: use segments of 1-4 of A-Z, 0-9, _ such as \\_SB.PCI0.S08.S00\n",
			path);
		return GH_EXIT_USAGE;
	}

	err = gh_read_file(rom_file, &rom, &len, GH_VBIOS_MAX_SIZE);
	if (err) {
		fprintf(stderr, "gpuhelper acpi vbios: cannot read %s: %s\n", rom_file,
			err == -EFBIG ? "larger than any vBIOS (32 MiB)" : gh_file_strerror(err));
		return GH_EXIT_ERROR;
	}
	if (gh_vbios_parse(rom, len, 0, 0, &info)) {
		fprintf(stderr, "gpuhelper acpi vbios: %s is not a valid vBIOS: %s at offset 0x%x%s\n",
			rom_file, gh_vbios_reason_str(info.reason), info.reason_offset,
			force ? "; --force: using it anyway" :
			"; try 'gpuhelper vbios strip' for a dump with a header, or --force");
		if (!force)
			goto out;
	} else {
		if (info.warnings & (GH_VBIOS_WARN_TRAILING_DATA | GH_VBIOS_WARN_PADDING))
			fprintf(stderr, "gpuhelper acpi vbios: warning: %s has %zu bytes after its last image; they are served too ('gpuhelper vbios strip' removes them)\n",
				rom_file, len - info.length);
		if (info.warnings & GH_VBIOS_WARN_BAD_CHECKSUM)
			fprintf(stderr, "gpuhelper acpi vbios: warning: the x86 image of %s has a bad checksum: a modified vBIOS? The NVIDIA driver may refuse it\n",
				rom_file);
	}

	err = gh_acpi_vbios_build(rom, len, path, split,
				  asl ? GH_ACPI_ASL : GH_ACPI_AML, &t, &nr);
	if (err) {
		fprintf(stderr, "gpuhelper acpi vbios: cannot build the tables for %s: %s\n",
			rom_file, err == -E2BIG ?
			"a table would exceed 65535 bytes or more than 255 are needed: lower or raise --split" :
			strerror(-err));
		goto out;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "gpuhelper acpi vbios: cannot create %s: %s\n", dir, strerror(errno));
		goto out;
	}
	for (i = 0; i < nr; i++) {
		char out[PATH_MAX];

		if (write_table(dir, &t[i], out, sizeof(out)))
			goto out;
	}
	if (json) {
		printf("{\"path\":\"");
		for (i = 0; path[i]; i++)
			printf(path[i] == '\\' ? "\\\\" : "%c", path[i]);
		printf("\",\"rom_length\":%zu,\"tables\":[", len);
		for (i = 0; i < nr; i++)
			printf("%s{\"file\":\"%s/%s\",\"length\":%zu,\"rom_offset\":%zu,\"rom_length\":%zu}",
			       i ? "," : "", dir, t[i].file, t[i].len, t[i].rom_offset, t[i].rom_len);
		printf("]}\n");
	} else {
		printf("%u tables for a %zu-byte vBIOS at %s; QEMU arguments:\n", nr, len, path);
		for (i = 0; i < nr; i++)
			printf("  -acpitable file=%s/%s\n", dir, t[i].file);
	}
	rc = GH_EXIT_OK;
out:
	gh_acpi_tables_free(t, nr);
	free(t);
	free(rom);
	return rc;
}

static int acpi_battery(int argc, char **argv)
{
	const char *file = NULL;
	struct gh_acpi_table t;
	struct gh_optparse p;
	bool asl = false;
	char out[PATH_MAX];
	int i, err;

	gh_opt_start(&p, &spec_battery, argc, argv);
	while ((i = gh_opt_next(&p)) != GH_OPT_DONE) {
		switch (i) {
		case 'o': file = p.val; break;
		case OPT_ASL: asl = true; break;
		case GH_OPT_HELP: return GH_EXIT_OK;
		default: return gh_opt_fail(&p);
		}
	}
	if (p.ind < argc)
		return gh_opt_usage_error(&spec_battery, "unknown argument '%s'", argv[p.ind]);
	if (!file) {
		fprintf(stderr, "gpuhelper acpi battery: -o FILE is required\n");
		return GH_EXIT_USAGE;
	}
	err = gh_acpi_battery_build(asl ? GH_ACPI_ASL : GH_ACPI_AML, &t);
	if (err) {
		fprintf(stderr, "gpuhelper acpi battery: cannot build the table: %s\n", strerror(-err));
		return GH_EXIT_ERROR;
	}
	snprintf(out, sizeof(out), "%s", file);
	err = write_table(NULL, &t, out, sizeof(out));
	gh_acpi_tables_free(&t, 1);
	if (err)
		return GH_EXIT_ERROR;
	printf("battery SSDT written; QEMU argument:\n  -acpitable file=%s\n", file);
	return GH_EXIT_OK;
}

/**
 * cmd_acpi() - gpuhelper acpi vbios|battery
 * @argc: argument count, argv[0] is "acpi"
 * @argv: arguments
 *
 * Return: a GH_EXIT_* code.
 */
int cmd_acpi(int argc, char **argv)
{
	return gh_opt_dispatch(&gh_spec_acpi, argc, argv);
}
