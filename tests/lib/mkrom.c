// SPDX-License-Identifier: GPL-2.0
/*
 * mkrom - write a deterministic test vBIOS (tests/lib/romgen.h): an x86
 * image with a correct checksum followed by an EFI image.
 *
 *   mkrom OUT [SIZE_KIB [X86_KIB [VENDOR DEVICE [SEED]]]]
 *
 * Defaults: 164 KiB (a GTX 1050 Mobile's size), x86 image 60 KiB,
 * 1234:11e8 (QEMU's edu device, the test rig's "dGPU"), seed 1.
 */
#include <stdio.h>
#include <stdlib.h>

#include "romgen.h"

int main(int argc, char **argv)
{
	unsigned long total = argc > 2 ? strtoul(argv[2], NULL, 0) : 164;
	unsigned long x86 = argc > 3 ? strtoul(argv[3], NULL, 0) : 60;
	unsigned long ven = argc > 5 ? strtoul(argv[4], NULL, 16) : 0x1234;
	unsigned long dev = argc > 5 ? strtoul(argv[5], NULL, 16) : 0x11e8;
	unsigned long seed = argc > 6 ? strtoul(argv[6], NULL, 0) : 1;
	uint8_t *buf;
	FILE *f;

	if (argc < 2 || !total || x86 >= total || x86 > 127 || total - x86 > 32767 ||
	    ven > 0xffff || dev > 0xffff) {
		fprintf(stderr, "usage: mkrom OUT [SIZE_KIB [X86_KIB [VENDOR DEVICE [SEED]]]]\n"
			"       (x86 image < 128 KiB, smaller than SIZE)\n");
		return 2;
	}
	buf = malloc(total * 1024);
	if (!buf)
		return 3;
	romgen_standard(buf, (uint32_t)(total * 1024), (uint32_t)(x86 * 1024),
			(uint16_t)ven, (uint16_t)dev, (uint32_t)seed);
	f = fopen(argv[1], "wb");
	if (!f || fwrite(buf, 1, total * 1024, f) != total * 1024 || fclose(f)) {
		perror(argv[1]);
		return 3;
	}
	free(buf);
	return 0;
}
