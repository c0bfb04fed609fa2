// SPDX-License-Identifier: GPL-2.0
/*
 * vbios_fuzz.c - libFuzzer target for the option-ROM parser shared by
 * gpuhelper.ko and the CLI: any bytes, parsed as a ROM for a device,
 * summarised and searched for a ROM start, must neither crash nor read
 * out of bounds, and a result must be self-consistent.
 */
#include <stdlib.h>
#include <string.h>

#include "vbios.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gh_vbios_info info;
	char text[2048];
	u8 *copy;
	unsigned int i;
	int err;

	/* an exact-size heap copy, so ASan sees any read past the end */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);

	err = gh_vbios_parse(copy, size, 0x10de, 0x1c8d, &info);
	if (!err) {
		u32 end = 0;

		if (info.reason != GH_VBIOS_OK || info.score <= 0 ||
		    info.length > size || !info.nr_images ||
		    !info.images[info.nr_images - 1].last)
			abort();
		for (i = 0; i < info.nr_images; i++) {
			if (info.images[i].offset != end || !info.images[i].length)
				abort();
			end += info.images[i].length;
		}
		if (end != info.length)
			abort();
	} else if (err != -EINVAL || info.reason == GH_VBIOS_OK ||
		   info.reason >= GH_VBIOS_NR_REASONS || info.score) {
		abort();
	}
	if (gh_vbios_summary(&info, text, sizeof(text)) >= (int)sizeof(text) ||
	    strlen(text) >= sizeof(text))
		abort();
	if (size <= 4096) {
		long start = gh_vbios_find_start(copy, size);

		if (start >= 0 && gh_vbios_parse(copy + start, size - (size_t)start, 0, 0, &info))
			abort();
	}
	free(copy);
	return 0;
}
