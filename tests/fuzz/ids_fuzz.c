// SPDX-License-Identifier: GPL-2.0
/*
 * ids_fuzz.c - libFuzzer target for the ids= parser (common/ids.c), which
 * gpuhelper.ko runs on its module parameter and the CLI on host-config
 * input. Any bytes, as a string: the parse must not crash or read past
 * the string, an error must name an entry within bounds, and a success
 * must format back to a list that parses to the same entries.
 */
#include <stdlib.h>
#include <string.h>

#include "ids.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_or_abort(const struct gh_id *a, const struct gh_id *b)
{
	if (a->vendor != b->vendor || a->device != b->device ||
	    a->subvendor != b->subvendor || a->subdevice != b->subdevice ||
	    a->class != b->class || a->class_mask != b->class_mask)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gh_id ids[GH_IDS_MAX], again[GH_IDS_MAX];
	struct gh_list_error err = { 0 };
	unsigned int nr = 0, nr2 = 0, max, i;
	char text[GH_IDS_MAX * (GH_ID_ENTRY_MAX + 1) + 2];
	size_t off = 0;
	char *s;
	int ret;

	if (!size)
		return 0;
	/* the first byte picks the capacity, as a caller with a smaller array */
	max = data[0] % (GH_IDS_MAX + 2);
	s = malloc(size);		/* exact size: ASan sees any over-read */
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	ret = gh_ids_parse(s, ids, max, &nr, &err);
	if (ret) {
		if ((ret != -EINVAL && ret != -E2BIG) || !err.reason ||
		    err.index > GH_IDS_MAX ||
		    strnlen(err.entry, sizeof(err.entry)) > GH_ID_ENTRY_MAX)
			abort();
		if (ret == -E2BIG && err.index != (max > GH_IDS_MAX ? GH_IDS_MAX : max))
			abort();
		free(s);
		return 0;
	}
	if (nr > max || nr > GH_IDS_MAX)
		abort();
	for (i = 0; i < nr; i++) {
		int n;

		if (i)
			text[off++] = ',';
		n = gh_id_format(&ids[i], text + off, sizeof(text) - off);
		if (n <= 0 || n > GH_ID_ENTRY_MAX || (size_t)n >= sizeof(text) - off)
			abort();
		off += (size_t)n;
		/* an entry matches the device it names */
		if (!gh_id_match(&ids[i], ids[i].vendor, ids[i].device,
				 ids[i].subvendor == GH_ID_ANY ? 0x1234 : ids[i].subvendor,
				 ids[i].subdevice == GH_ID_ANY ? 0x5678 : ids[i].subdevice,
				 ids[i].class))
			abort();
	}
	text[off] = '\0';
	if (gh_ids_parse(text, again, GH_IDS_MAX, &nr2, NULL) || nr2 != nr)
		abort();
	for (i = 0; i < nr; i++)
		same_or_abort(&ids[i], &again[i]);
	free(s);
	return 0;
}
