// SPDX-License-Identifier: GPL-2.0
/*
 * mkrom - write a deterministic test vBIOS (tests/lib/romgen.h).
 *
 *   mkrom [-l LAYOUT] [-s SIZE_KIB -x X86_KIB] [-i VENDOR:DEVICE] [-S SEED] OUT
 *
 * LAYOUT is simple (default), pascal, turing or flash (romgen.h). -s and -x
 * size the simple layout's ROM and its x86 image (default 164 and 60 KiB, a
 * GTX 1050 Mobile's size); the others have the sizes of the real ROMs they
 * model. -i defaults to 1234:11e8, QEMU's edu device, the test rig's
 * "dGPU"; -S to 1. For a flash dump, -r FILE also writes the ROM in it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "romgen.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: mkrom [-l simple|pascal|turing|flash] [-s SIZE_KIB -x X86_KIB]\n"
		"             [-i VENDOR:DEVICE] [-S SEED] [-r ROM_OUT] OUT\n"
		"       (simple: x86 image < 128 KiB, smaller than SIZE)\n");
	return 2;
}

static int write_file(const char *path, const uint8_t *buf, uint32_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		return 3;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long total = 164, x86 = 60, ven = 0x1234, dev = 0x11e8, seed = 1;
	const char *rom_out = NULL;
	enum romgen_kind kind = ROMGEN_SIMPLE;
	uint32_t len, off, rom_len;
	uint8_t *buf;
	int c, k, rc;

	while ((c = getopt(argc, argv, "l:s:x:i:S:r:")) != -1) {
		switch (c) {
		case 'l':
			for (k = 0; k < ROMGEN_NR && strcmp(optarg, romgen_names[k]); k++)
				;
			if (k == ROMGEN_NR)
				return usage();
			kind = (enum romgen_kind)k;
			break;
		case 's':
			total = strtoul(optarg, NULL, 0);
			break;
		case 'x':
			x86 = strtoul(optarg, NULL, 0);
			break;
		case 'i':
			if (sscanf(optarg, "%lx:%lx", &ven, &dev) != 2)
				return usage();
			break;
		case 'S':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			rom_out = optarg;
			break;
		default:
			return usage();
		}
	}
	if (optind != argc - 1 || !total || x86 >= total || x86 > 127 ||
	    total - x86 > 32767 || ven > 0xffff || dev > 0xffff || total * 1024 > ROMGEN_MAX)
		return usage();
	buf = calloc(1, ROMGEN_MAX);
	if (!buf)
		return 3;
	if (kind == ROMGEN_SIMPLE) {
		len = romgen_standard(buf, (uint32_t)(total * 1024), (uint32_t)(x86 * 1024),
				      (uint16_t)ven, (uint16_t)dev, (uint32_t)seed);
		off = 0;
		rom_len = len;
	} else {
		len = romgen_layout(kind, buf, (uint16_t)ven, (uint16_t)dev, (uint32_t)seed,
				    &off, &rom_len);
	}
	rc = write_file(argv[optind], buf, len);
	if (!rc && rom_out)
		rc = write_file(rom_out, buf + off, rom_len);
	free(buf);
	return rc;
}
