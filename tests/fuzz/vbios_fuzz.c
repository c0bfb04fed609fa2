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
	/* read in chunks as the module does: the same verdict as whole */
	{
		struct gh_vbios_info part;
		size_t len;
		int perr;

		gh_vbios_parse(NULL, 0, 0, 0, &part);
		for (;;) {
			len = part.need < size ? part.need : size;
			perr = gh_vbios_parse_more(copy, len, 0x10de, 0x1c8d, &part);
			if (!perr || !gh_vbios_wants_more(&part) || len == size)
				break;
			if (part.need <= len)
				abort();	/* no progress: the module would spin */
		}
		if (!err != !perr || part.reason != info.reason ||
		    part.nr_images != info.nr_images)
			abort();
		if (!err && (part.length != info.length || part.score < info.score))
			abort();
	}
	{
		long start = gh_vbios_find_start(copy, size);

		if (start >= 0 && gh_vbios_parse(copy + start, size - (size_t)start, 0, 0, &info))
			abort();
	}
	free(copy);
	return 0;
}
