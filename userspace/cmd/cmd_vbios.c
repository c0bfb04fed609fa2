// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_vbios.c - gpuhelper vbios: inspect, dump and strip a GPU's vBIOS.
 *
 *   gpuhelper vbios info FILE|--device BDF [--json]
 *   gpuhelper vbios dump --device BDF -o FILE [--force]
 *   gpuhelper vbios strip IN -o OUT
 *
 * --device reads gpuhelper.ko's shadow (/sys/class/gpuhelper/BDF/vbios:
 * every source tried, the best valid one kept) when the module tracks the
 * device, else the PCI ROM BAR through sysfs (/sys/bus/pci/devices/BDF/rom,
 * enabled for the read). These paths are under gh_root() (root.h): "/", or
 * GPUHELPER_ROOT in the tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "lib/atomicwrite.h"
#include "lib/fileio.h"
#include "lib/opts.h"
#include "lib/root.h"
#include "vbios.h"

#define BDF_LEN	13	/* 0000:01:00.0 */

struct rom_src {
	char bdf[BDF_LEN];
	unsigned int vendor, device;
	const char *source;	/* "file", "gpuhelper shadow", "PCI ROM BAR" */
	char path[PATH_MAX];
};

enum { OPT_DEVICE = GH_OPT_LONG, OPT_JSON, OPT_FORCE };

static int vbios_info(int argc, char **argv);
static int vbios_dump(int argc, char **argv);
static int vbios_strip(int argc, char **argv);

static const struct gh_opt info_opts[] = {
	{ OPT_DEVICE, "device", "BDF", "the device's vBIOS instead of a FILE", GH_COMP_NONE, NULL },
	{ OPT_JSON, "json", NULL, "one JSON object", GH_COMP_NONE, NULL },
	GH_OPT_END
};

static const struct gh_opt dump_opts[] = {
	{ OPT_DEVICE, "device", "BDF", "the device (required)", GH_COMP_NONE, NULL },
	{ 'o', NULL, "FILE", "write the vBIOS to FILE (required)", GH_COMP_FILE, NULL },
	{ OPT_FORCE, "force", NULL, "save a vBIOS that does not validate", GH_COMP_NONE, NULL },
	GH_OPT_END
};

static const struct gh_opt strip_opts[] = {
	{ 'o', NULL, "OUT", "write the ROM to OUT (required)", GH_COMP_FILE, NULL },
	GH_OPT_END
};

static const struct gh_cmd_spec spec_info = {
	.name = "vbios info",
	.summary = "validate a vBIOS and list its images (types, sizes, checksum, EFI header)",
	.synopsis = "FILE|--device BDF [--json]",
	.opts = info_opts,
	.run = vbios_info,
	.args = GH_COMP_FILE,
};

static const struct gh_cmd_spec spec_dump = {
	.name = "vbios dump",
	.summary = "save a device's vBIOS: gpuhelper's shadow when loaded, else the ROM BAR",
	.synopsis = "--device BDF -o FILE [--force]",
	.opts = dump_opts,
	.run = vbios_dump,
};

static const struct gh_cmd_spec spec_strip = {
	.name = "vbios strip",
	.summary = "remove a leading non-ROM header (nvflash/GPU-Z dumps) and re-validate",
	.synopsis = "IN -o OUT",
	.opts = strip_opts,
	.run = vbios_strip,
	.args = GH_COMP_FILE,
};

static const struct gh_cmd_spec *const vbios_verbs[] = {
	&spec_info, &spec_dump, &spec_strip, NULL,
};

const struct gh_cmd_spec gh_spec_vbios = {
	.name = "vbios",
	.summary = "inspect, dump and strip a GPU's vBIOS",
	.run = cmd_vbios,
	.verbs = vbios_verbs,
};

/* "01:00.0" or "0000:01:00.0" -> "0000:01:00.0"; -EINVAL otherwise */
static int parse_bdf(const char *s, char *out)
{
	unsigned int dom = 0, bus, dev, fn;
	char tail;

	if (sscanf(s, "%4x:%2x:%2x.%1x%c", &dom, &bus, &dev, &fn, &tail) != 4 &&
	    (dom = 0, sscanf(s, "%2x:%2x.%1x%c", &bus, &dev, &fn, &tail) != 3))
		return -EINVAL;
	if (dev > 0x1f || fn > 7)
		return -EINVAL;
	snprintf(out, BDF_LEN, "%04x:%02x:%02x.%x", dom & 0xffff, bus & 0xff, dev, fn);
	return 0;
}

/* /sys/bus/pci/devices/BDF/ATTR or /sys/class/gpuhelper/BDF/vbios, under the root */
static int sys_path(char *path, size_t len, const char *dir, const char *bdf,
		    const char *attr)
{
	char abs[128];

	snprintf(abs, sizeof(abs), "/sys/%s/%s/%s", dir, bdf, attr);
	return gh_path(path, len, abs);
}

static int read_hex_attr(const char *bdf, const char *attr, unsigned int *v)
{
	char path[PATH_MAX], buf[32];
	FILE *f;
	int ok;

	if (sys_path(path, sizeof(path), "bus/pci/devices", bdf, attr))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	ok = fgets(buf, sizeof(buf), f) && sscanf(buf, "%x", v) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

static int write_attr(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, v, strlen(v)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Read a device's vBIOS: the module's shadow, else the ROM BAR. */
static int read_device(const char *arg, struct rom_src *src, unsigned char **rom,
		       size_t *len)
{
	int err, err2;

	if (parse_bdf(arg, src->bdf)) {
		fprintf(stderr, "gpuhelper vbios: '%s' is not a PCI address: give it as 01:00.0 or 0000:01:00.0\n",
			arg);
		return GH_EXIT_USAGE;
	}
	if (sys_path(src->path, sizeof(src->path), "class/gpuhelper", src->bdf, "vbios")) {
		fprintf(stderr, "gpuhelper vbios: the root %s makes the sysfs paths too long: give a shorter one\n",
			gh_root());
		return GH_EXIT_ERROR;
	}
	if (read_hex_attr(src->bdf, "vendor", &src->vendor) ||
	    read_hex_attr(src->bdf, "device", &src->device)) {
		fprintf(stderr, "gpuhelper vbios: no PCI device %s: check the address with lspci -D\n",
			src->bdf);
		return GH_EXIT_ERROR;
	}

	src->source = "gpuhelper shadow";
	err = gh_read_file(src->path, rom, len, GH_VBIOS_MAX_SIZE);
	if (!err)
		return GH_EXIT_OK;
	if (err != -ENOENT) {
		fprintf(stderr, "gpuhelper vbios: cannot read %s: %s%s\n", src->path, strerror(-err),
			err == -EACCES ? ": run as root" :
			err == -ENODATA || err == -ENOENT ? "" : ": see vbios_source and dmesg");
		return GH_EXIT_ERROR;
	}

	sys_path(src->path, sizeof(src->path), "bus/pci/devices", src->bdf, "rom"); /* shorter: fits */
	src->source = "PCI ROM BAR";
	err = write_attr(src->path, "1");
	if (err) {
		fprintf(stderr, "gpuhelper vbios: cannot enable %s: %s: %s\n", src->path, strerror(-err),
			err == -ENOENT ? "the device has no ROM BAR; on a MUXless laptop load gpuhelper.ko, which reads ACPI _ROM" :
			"run as root");
		return GH_EXIT_ERROR;
	}
	err = gh_read_file(src->path, rom, len, GH_VBIOS_MAX_SIZE);
	err2 = write_attr(src->path, "0");
	if (err) {
		fprintf(stderr, "gpuhelper vbios: cannot read %s: %s: the ROM BAR may be unimplemented (MUXless laptops); load gpuhelper.ko to use ACPI _ROM\n",
			src->path, strerror(-err));
		return GH_EXIT_ERROR;
	}
	if (err2)
		fprintf(stderr, "gpuhelper vbios: warning: cannot disable %s again: %s\n",
			src->path, strerror(-err2));
	return GH_EXIT_OK;
}

static void json_str(const char *key, const char *v, bool comma)
{
	printf("\"%s\":\"", key);
	for (; *v; v++)
		printf(*v == '"' || *v == '\\' ? "\\%c" : "%c", *v);
	printf("\"%s", comma ? "," : "");
}

static void print_warnings(u32 warnings)
{
	static const struct {
		u32 bit;
		const char *name;
	} names[] = {
		{ GH_VBIOS_WARN_ID_MISMATCH, "id-mismatch" },
		{ GH_VBIOS_WARN_BAD_CHECKSUM, "bad-checksum" },
		{ GH_VBIOS_WARN_TRAILING_DATA, "trailing-data" },
		{ GH_VBIOS_WARN_PADDING, "padding" },
	};
	const char *sep = "";
	size_t i;

	printf("\"warnings\":[");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (warnings & names[i].bit) {
			printf("%s\"%s\"", sep, names[i].name);
			sep = ",";
		}
	}
	printf("],");
}

static void print_json(const struct gh_vbios_info *info, const struct rom_src *src, size_t len)
{
	unsigned int i;

	printf("{");
	json_str("source", src->source, true);
	json_str("path", src->path, true);
	printf("\"data_length\":%zu,\"valid\":%s,", len, info->reason == GH_VBIOS_OK ? "true" : "false");
	json_str("status", gh_vbios_reason_str(info->reason), true);
	printf("\"reason_offset\":%u,\"length\":%u,\"trailing\":%zu,\"score\":%d,",
	       info->reason_offset, info->length,
	       info->reason == GH_VBIOS_OK ? len - info->length : 0, info->score);
	print_warnings(info->warnings);
	printf("\"images\":[");
	for (i = 0; i < info->nr_images; i++) {
		const struct gh_vbios_image *img = &info->images[i];

		printf("%s{\"offset\":%u,\"length\":%u,\"signature\":\"0x%04x\",", i ? "," : "",
		       img->offset, img->length, img->signature);
		json_str("struct", gh_vbios_ds_str(img->ds_signature), true);
		printf("\"struct_offset\":%u,\"struct_length\":%u,\"code_type\":%u,",
		       img->ds_offset, img->ds_length, img->code_type);
		json_str("type", gh_vbios_code_type_str(img->code_type), true);
		printf("\"vendor\":\"%04x\",\"device\":\"%04x\",\"class\":\"%06x\",\"pcir_revision\":%u,\"code_revision\":%u,",
		       img->vendor, img->device, img->class_code, img->pcir_revision,
		       img->code_revision);
		printf("\"pcir_length\":%u,\"pcir_last\":%s,", img->pcir_length,
		       img->pcir_last ? "true" : "false");
		if (img->npde)
			printf("\"npde\":{\"offset\":%u,\"length\":%u,\"last\":%s},",
			       img->npde_offset, img->npde_length, img->npde_last ? "true" : "false");
		else
			printf("\"npde\":null,");
		printf("\"last\":%s,", img->last ? "true" : "false");
		if (img->code_type == GH_VBIOS_CODE_X86)
			printf("\"x86_size\":%u,", img->size_byte * 512U);
		json_str("checksum", gh_vbios_csum_str(img->csum), false);
		if (img->code_type == GH_VBIOS_CODE_EFI) {
			printf(",\"efi\":{\"subsystem\":%u,\"machine\":%u,", img->efi.subsystem, img->efi.machine);
			json_str("machine_name", gh_vbios_machine_str(img->efi.machine), true);
			printf("\"compression\":%u,\"image_offset\":%u}", img->efi.compression,
			       img->efi.image_offset);
		}
		printf("}");
	}
	printf("]}\n");
}

/* Name what probably went wrong with a rejected ROM, and the fix. */
static void explain_reject(const unsigned char *rom, size_t len,
			   const struct gh_vbios_info *info)
{
	const struct gh_vbios_image *img = info->nr_images ?
		&info->images[info->nr_images - 1] : NULL;
	long start;

	if (info->reason == GH_VBIOS_NO_LAST_IMAGE && img && img->pcir_last &&
	    img->npde && !img->npde_last) {
		fprintf(stderr,
			"gpuhelper vbios: the data ends where image %u's PCIR says \"last\", but its NPDE says more images follow: the dump was cut short, as reading the PCI ROM through the kernel's ROM size (sysfs rom) does. Take it again with 'gpuhelper vbios dump' while gpuhelper.ko holds the GPU, or with nvflash\n",
			info->nr_images - 1);
		return;
	}
	start = gh_vbios_find_start(rom, len);
	if (start > 0)
		fprintf(stderr,
			"gpuhelper vbios: a valid ROM starts at offset 0x%lx: this is a dump with a header (nvflash, GPU-Z); 'gpuhelper vbios strip' extracts the ROM\n",
			start);
}

static int vbios_info(int argc, char **argv)
{
	struct rom_src src = { .source = "file" };
	const char *file = NULL, *device = NULL;
	struct gh_optparse p;
	struct gh_vbios_info info;
	unsigned char *rom = NULL;
	char text[4096];
	bool json = false;
	size_t len;
	int i, rc;

	gh_opt_start(&p, &spec_info, argc, argv);
	while ((i = gh_opt_next(&p)) != GH_OPT_DONE) {
		switch (i) {
		case OPT_JSON: json = true; break;
		case OPT_DEVICE: device = p.val; break;
		case GH_OPT_HELP: return GH_EXIT_OK;
		default: return gh_opt_fail(&p);
		}
	}
	for (i = p.ind; i < argc; i++) {
		if (file) {
			fprintf(stderr, "gpuhelper vbios info: one FILE only\n");
			return GH_EXIT_USAGE;
		}
		file = argv[i];
	}
	if (!file == !device) {
		fprintf(stderr, "gpuhelper vbios info: give either FILE or --device BDF\n");
		return GH_EXIT_USAGE;
	}
	if (device) {
		rc = read_device(device, &src, &rom, &len);
		if (rc)
			return rc;
	} else {
		int err = gh_read_file(file, &rom, &len, GH_VBIOS_MAX_SIZE);

		if (err) {
			fprintf(stderr, "gpuhelper vbios info: cannot read %s: %s\n", file,
				err == -EFBIG ? "larger than any vBIOS (32 MiB)" : gh_file_strerror(err));
			return GH_EXIT_ERROR;
		}
		snprintf(src.path, sizeof(src.path), "%s", file);
	}

	rc = gh_vbios_parse(rom, len, (u16)src.vendor, (u16)src.device, &info) ?
	     GH_EXIT_FAIL : GH_EXIT_OK;
	if (json) {
		print_json(&info, &src, len);
	} else {
		printf("source: %s (%s)\ndata: %zu bytes\n", src.source, src.path, len);
		gh_vbios_summary(&info, text, sizeof(text));
		fputs(text, stdout);
	}
	if (rc && !json) {
		fprintf(stderr, "gpuhelper vbios info: %s is not a valid vBIOS: %s at offset 0x%x\n",
			src.path, gh_vbios_reason_str(info.reason), info.reason_offset);
		explain_reject(rom, len, &info);
	}
	free(rom);
	return rc;
}

static int vbios_dump(int argc, char **argv)
{
	const char *device = NULL, *out = NULL;
	struct rom_src src = { 0 };
	struct gh_optparse p;
	struct gh_vbios_info info;
	unsigned char *rom = NULL;
	bool force = false;
	size_t len;
	int i, rc, err;

	gh_opt_start(&p, &spec_dump, argc, argv);
	while ((i = gh_opt_next(&p)) != GH_OPT_DONE) {
		switch (i) {
		case OPT_DEVICE: device = p.val; break;
		case 'o': out = p.val; break;
		case OPT_FORCE: force = true; break;
		case GH_OPT_HELP: return GH_EXIT_OK;
		default: return gh_opt_fail(&p);
		}
	}
	if (p.ind < argc)
		return gh_opt_usage_error(&spec_dump, "bad argument '%s'", argv[p.ind]);
	if (!device || !out) {
		fprintf(stderr, "gpuhelper vbios dump: --device BDF and -o FILE are required\n");
		return GH_EXIT_USAGE;
	}
	rc = read_device(device, &src, &rom, &len);
	if (rc)
		return rc;
	if (gh_vbios_parse(rom, len, (u16)src.vendor, (u16)src.device, &info)) {
		fprintf(stderr, "gpuhelper vbios dump: %s of %s is not a valid vBIOS: %s at offset 0x%x%s\n",
			src.source, src.bdf, gh_vbios_reason_str(info.reason), info.reason_offset,
			force ? "; --force: saving all of it" : "; nothing written (--force saves it anyway)");
		explain_reject(rom, len, &info);
		if (!force) {
			free(rom);
			return GH_EXIT_FAIL;
		}
		info.length = (u32)len;
	}
	if (info.warnings & GH_VBIOS_WARN_ID_MISMATCH)
		fprintf(stderr, "gpuhelper vbios dump: warning: the vBIOS is for %04x:%04x, the device is %04x:%04x\n",
			info.images[0].vendor, info.images[0].device, src.vendor, src.device);
	err = gh_replace_file(out, (const char *)rom, info.length, 0644, false);
	free(rom);
	if (err) {
		fprintf(stderr, "gpuhelper vbios dump: cannot write %s: %s\n", out,
			gh_file_strerror(err));
		return GH_EXIT_ERROR;
	}
	printf("%s: %u bytes from the %s of %s\n", out, info.length, src.source, src.bdf);
	return GH_EXIT_OK;
}

static int vbios_strip(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	struct gh_optparse p;
	struct gh_vbios_info info;
	unsigned char *rom = NULL;
	size_t len;
	long start;
	int i, err;

	gh_opt_start(&p, &spec_strip, argc, argv);
	while ((i = gh_opt_next(&p)) != GH_OPT_DONE) {
		switch (i) {
		case 'o': out = p.val; break;
		case GH_OPT_HELP: return GH_EXIT_OK;
		default: return gh_opt_fail(&p);
		}
	}
	for (i = p.ind; i < argc; i++) {
		if (in)
			return gh_opt_usage_error(&spec_strip, "bad argument '%s'", argv[i]);
		in = argv[i];
	}
	if (!in || !out) {
		fprintf(stderr, "gpuhelper vbios strip: IN and -o OUT are required\n");
		return GH_EXIT_USAGE;
	}
	err = gh_read_file(in, &rom, &len, GH_VBIOS_MAX_SIZE);
	if (err) {
		fprintf(stderr, "gpuhelper vbios strip: cannot read %s: %s\n", in,
			err == -EFBIG ? "larger than any vBIOS (32 MiB)" : gh_file_strerror(err));
		return GH_EXIT_ERROR;
	}
	start = gh_vbios_find_start(rom, len);
	if (start < 0) {
		gh_vbios_parse(rom, len, 0, 0, &info);
		fprintf(stderr, "gpuhelper vbios strip: %s holds no valid vBIOS at any offset (from the start: %s at 0x%x); it is not a ROM dump\n",
			in, gh_vbios_reason_str(info.reason), info.reason_offset);
		explain_reject(rom, len, &info);
		free(rom);
		return GH_EXIT_FAIL;
	}
	/* re-validate what will be written, exactly */
	if (gh_vbios_parse(rom + start, len - (size_t)start, 0, 0, &info)) {
		free(rom);
		return GH_EXIT_ERROR;
	}
	err = gh_replace_file(out, (const char *)rom + start, info.length, 0644, false);
	free(rom);
	if (err) {
		fprintf(stderr, "gpuhelper vbios strip: cannot write %s: %s\n", out,
			gh_file_strerror(err));
		return GH_EXIT_ERROR;
	}
	printf("%s: %u bytes (removed %ld header bytes, %zu trailing bytes), %u images, valid\n",
	       out, info.length, start, len - (size_t)start - info.length, info.nr_images);
	return GH_EXIT_OK;
}

/**
 * cmd_vbios() - gpuhelper vbios info|dump|strip
 * @argc: argument count, argv[0] is "vbios"
 * @argv: arguments
 *
 * Return: a GH_EXIT_* code.
 */
int cmd_vbios(int argc, char **argv)
{
	return gh_opt_dispatch(&gh_spec_vbios, argc, argv);
}
