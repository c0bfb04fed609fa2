// SPDX-License-Identifier: GPL-2.0
/*
 * mdevs_fuzz.c - libFuzzer target for the mdevs= parser (common/mdevs.c
 * on common/list.c), which gpuhelper.ko runs on its module parameter and
 * the CLI on the modprobe.d file it keeps ("mdev --persist"). Any bytes,
 * as a string: the parse must not crash or read past the string, an error
 * must name an entry within bounds with a reason, and a success must hold
 * distinct UUIDs and format back to a list that parses to the same entries.
 */
#include <stdlib.h>
#include <string.h>

#include "mdevs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gh_mdev_spec specs[GH_MDEVS_MAX], again[GH_MDEVS_MAX];
	char text[GH_MDEVS_MAX * (GH_MDEV_ENTRY_MAX + 1) + 2];
	struct gh_list_error err = { 0 };
	unsigned int nr = 0, nr2 = 0, max, i, j;
	size_t off = 0;
	char *s;
	int ret;

	if (!size)
		return 0;
	/* the first byte picks the capacity, as a caller with a smaller array */
	max = data[0] % (GH_MDEVS_MAX + 2);
	s = malloc(size);		/* exact size: ASan sees any over-read */
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	ret = gh_mdevs_parse(s, specs, max, &nr, &err);
	if (ret) {
		if ((ret != -EINVAL && ret != -E2BIG && ret != -EEXIST) ||
		    !err.reason || err.index > GH_MDEVS_MAX ||
		    strnlen(err.entry, sizeof(err.entry)) > GH_MDEV_ENTRY_MAX)
			abort();
		free(s);
		return 0;
	}
	if (nr > max || nr > GH_MDEVS_MAX)
		abort();
	for (i = 0; i < nr; i++) {
		char canon[GH_MDEV_BDF_LEN + 1];
		int n;

		for (j = 0; j < i; j++)
			if (!memcmp(specs[i].uuid, specs[j].uuid, 16))
				abort();
		/* kept in canonical form, and a type that names a directory */
		if (gh_bdf_parse(specs[i].bdf, strlen(specs[i].bdf), canon) ||
		    strcmp(canon, specs[i].bdf) ||
		    (specs[i].type[0] &&
		     gh_mdev_type_valid(specs[i].type, strlen(specs[i].type))))
			abort();
		if (i)
			text[off++] = ',';
		n = gh_mdev_spec_format(&specs[i], text + off, sizeof(text) - off);
		if (n <= 0 || n > GH_MDEV_ENTRY_MAX || (size_t)n >= sizeof(text) - off)
			abort();
		off += (size_t)n;
	}
	text[off] = '\0';
	if (gh_mdevs_parse(text, again, GH_MDEVS_MAX, &nr2, NULL) || nr2 != nr)
		abort();
	for (i = 0; i < nr; i++)
		if (strcmp(specs[i].bdf, again[i].bdf) ||
		    strcmp(specs[i].type, again[i].type) ||
		    memcmp(specs[i].uuid, again[i].uuid, 16))
			abort();
	free(s);
	return 0;
}
