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
#include "vbios.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gpuhelper acpi vbios --rom FILE -o DIR [--path ACPIPATH] [--split BYTES]\n"
		"                            [--asl] [--force] [--json]\n"
		"       gpuhelper acpi battery -o FILE [--asl]\n"
		"\n"
		"vbios    SSDTs giving the guest's dGPU a _ROM method that returns FILE,\n"
		"         split over tables of at most 65535 bytes (QEMU's -acpitable limit).\n"
		"         --path: the dGPU's ACPI path in the guest (default %s,\n"
		"         01:00.0 behind a root port at 00:01.0 on QEMU's q35).\n"
		"battery  an SSDT with a present, fully charged battery (\\_SB.PCI0.BAT0).\n"
		"--asl    write ASL source instead of AML.\n",
		GH_ACPI_VBIOS_PATH_DEFAULT);
}

static int need_arg(int argc, char **argv, int i)
{
	if (i + 1 >= argc) {
		fprintf(stderr, "gpuhelper acpi: %s needs a value: see gpuhelper acpi --help\n",
			argv[i]);
		return -1;
	}
	return 0;
}

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
	size_t len;
	int err, rc = GH_EXIT_ERROR;

	for (i = 1; i < (unsigned int)argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--rom") || !strcmp(a, "-o") || !strcmp(a, "--path") ||
		    !strcmp(a, "--split")) {
			if (need_arg(argc, argv, (int)i))
				return GH_EXIT_USAGE;
			i++;
			if (!strcmp(a, "--rom")) {
				rom_file = argv[i];
			} else if (!strcmp(a, "-o")) {
				dir = argv[i];
			} else if (!strcmp(a, "--path")) {
				path = argv[i];
			} else {
				char *end;

				errno = 0;
				split = strtoul(argv[i], &end, 0);
				if (errno || *end || split < GH_ACPI_VBIOS_SPLIT_MIN ||
				    split > GH_ACPI_TABLE_MAX) {
					fprintf(stderr, "gpuhelper acpi vbios: --split %s: give a byte count from %u to %u\n",
						argv[i], GH_ACPI_VBIOS_SPLIT_MIN, GH_ACPI_TABLE_MAX);
					return GH_EXIT_USAGE;
				}
			}
		} else if (!strcmp(a, "--asl")) {
			asl = true;
		} else if (!strcmp(a, "--force")) {
			force = true;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return GH_EXIT_OK;
		} else {
			fprintf(stderr, "gpuhelper acpi vbios: unknown argument '%s': see gpuhelper acpi --help\n", a);
			return GH_EXIT_USAGE;
		}
	}
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
	bool asl = false;
	char out[PATH_MAX];
	int i, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o")) {
			if (need_arg(argc, argv, i))
				return GH_EXIT_USAGE;
			file = argv[++i];
		} else if (!strcmp(argv[i], "--asl")) {
			asl = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return GH_EXIT_OK;
		} else {
			fprintf(stderr, "gpuhelper acpi battery: unknown argument '%s': see gpuhelper acpi --help\n",
				argv[i]);
			return GH_EXIT_USAGE;
		}
	}
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
	if (argc < 2) {
		usage(stderr);
		return GH_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "vbios"))
		return acpi_vbios(argc - 1, argv + 1);
	if (!strcmp(argv[1], "battery"))
		return acpi_battery(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return GH_EXIT_OK;
	}
	fprintf(stderr, "gpuhelper acpi: unknown object '%s': use vbios or battery\n", argv[1]);
	return GH_EXIT_USAGE;
}
