// SPDX-License-Identifier: GPL-2.0
/*
 * aml_fuzz.c - libFuzzer target for the input path of the AML encoder:
 * the --path string and the ROM bytes of "gpuhelper acpi vbios".
 *
 * Input: byte 0 selects the split size, then a path up to the first NUL,
 * then the ROM. Whatever they are, the encoder must not crash, must refuse
 * a bad path, and every table it returns must fit QEMU's 65535 bytes,
 * carry a valid checksum and hold its slice of the ROM in order.
 */
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi_tables.h"
#include "acpi/aml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t splits[4] = { 512, 4000, 0, 65535 };
	struct gh_acpi_table *t;
	const uint8_t *nul;
	unsigned int nr, i;
	size_t split, next = 0, romlen;
	char *path;
	u8 *rom;
	int err;

	if (size < 2)
		return 0;
	split = splits[data[0] & 3];
	data++;
	size--;
	nul = memchr(data, 0, size);
	if (!nul)
		return 0;
	path = strndup((const char *)data, (size_t)(nul - data));
	romlen = size - (size_t)(nul - data) - 1;
	rom = malloc(romlen ? romlen : 1);
	if (!path || !rom)
		goto out;
	memcpy(rom, nul + 1, romlen);

	err = gh_acpi_vbios_build(rom, romlen, path, split, GH_ACPI_AML, &t, &nr);
	if (aml_name_valid(path) == 0 && romlen && err == -EINVAL && strlen(path) <= GH_ACPI_PATH_MAX &&
	    split >= GH_ACPI_VBIOS_SPLIT_MIN && split <= GH_ACPI_TABLE_MAX)
		abort();	/* a valid request refused as invalid */
	if (err)
		goto out;
	if (aml_name_valid(path))
		abort();	/* a bad path accepted */
	for (i = 0; i < nr; i++) {
		u8 sum = 0;
		size_t k;

		if (t[i].len > GH_ACPI_TABLE_MAX || t[i].len < ACPI_HDR_LEN)
			abort();
		for (k = 0; k < t[i].len; k++)
			sum += t[i].data[k];
		if (sum)
			abort();
		if (i + 1 < nr) {
			if (t[i].rom_offset != next ||
			    t[i].payload + t[i].rom_len != t[i].len ||
			    memcmp(t[i].data + t[i].payload, rom + next, t[i].rom_len))
				abort();
			next += t[i].rom_len;
		}
	}
	if (next != romlen)
		abort();
	gh_acpi_tables_free(t, nr);
	free(t);
out:
	free(path);
	free(rom);
	return 0;
}
