// SPDX-License-Identifier: GPL-2.0
/*
 * vbios_bench - the vBIOS parser's cost at realistic sizes, both ways in
 * one run:
 *
 *   read    a 1 MiB ROM (x86, EFI and NV images, as Ampere's 1-2 MiB ROMs)
 *           read in 4 KiB chunks as gpuhelper.ko reads a source:
 *             resumed: gh_vbios_parse_more() after the chunks the parser
 *                      asks for (what the module does)
 *             reparse: a whole gh_vbios_parse() after every chunk (what it
 *                      did before)
 *   strip   gh_vbios_find_start() on a 1 MiB dump whose header holds a
 *           55 AA with a plausible image every 1 KiB, against parsing
 *           the rest from every 55 AA (what strip did before)
 *
 * Each figure is the best of many runs (the least disturbed). Prints the
 * figures and exits 0 when the resumed read and find_start each take at
 * most 1 ms and beat the old way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vbios.h"
#include "../../lib/romgen.h"

#define MIB	(1U << 20)
#define CHUNK	4096U
#define RUNS	40

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* A 1 MiB chain: x86 64 KiB, EFI 96 KiB, two NV images, a 0x70 image. */
static u32 make_1mib(u8 *buf)
{
	const struct romgen_image imgs[] = {
		{ .code_type = 0, .vendor = 0x10de, .device = 0x2503, .length = 64 * 1024,
		  .ds_ptr = 0x1a0, .ds_len = 0x1c, .npde = 1 },
		{ .code_type = 3, .vendor = 0x10de, .device = 0x2503, .length = 96 * 1024,
		  .last = 1, .ds_ptr = 0x1c, .ds_len = 0x1c, .npde = 1, .efi_pe = 0x50 },
		{ .code_type = 0xe0, .vendor = 0x10de, .device = 0x2500, .length = 32 * 1024,
		  .signature = 0x4e56, .npds = 1, .ds_ptr = 0xb0, .npde = 1 },
		{ .code_type = 0xe0, .vendor = 0x10de, .device = 0x2500,
		  .length = MIB - (64 + 96 + 32 + 7) * 1024,
		  .signature = 0x4e56, .npds = 1, .ds_ptr = 0x20, .npde = 1 },
		{ .code_type = 0x70, .vendor = 0x10de, .length = 7 * 1024,
		  .signature = 0x4e56, .npds = 1, .ds_ptr = 0x20 },
	};

	return romgen_chain(buf, imgs, 5, 11);
}

static int read_resumed(const u8 *rom, size_t avail)
{
	struct gh_vbios_info info;
	size_t len;

	gh_vbios_parse(NULL, 0, 0, 0, &info);
	for (;;) {
		len = (info.need + CHUNK - 1) / CHUNK * CHUNK;
		if (len > avail)
			len = avail;
		if (!gh_vbios_parse_more(rom, len, 0x10de, 0x2503, &info))
			return (int)info.nr_images;
		if (!gh_vbios_wants_more(&info) || len == avail)
			return -1;
	}
}

static int read_reparse(const u8 *rom, size_t avail)
{
	struct gh_vbios_info info;
	size_t len;

	for (len = CHUNK; len <= avail; len += CHUNK) {
		if (!gh_vbios_parse(rom, len, 0x10de, 0x2503, &info))
			return (int)info.nr_images;
		if (!gh_vbios_wants_more(&info))
			return -1;
	}
	return -1;
}

static long start_reparse(const u8 *d, size_t len)
{
	struct gh_vbios_info info;
	size_t off;

	for (off = 0; off + 1 < len; off++)
		if (d[off] == 0x55 && d[off + 1] == 0xaa &&
		    !gh_vbios_parse(d + off, len - off, 0, 0, &info))
			return (long)off;
	return -1;
}

static long start_linear(const u8 *d, size_t len)
{
	return gh_vbios_find_start(d, len);
}

typedef long (*fn_t)(const u8 *, size_t);

static double best(fn_t fn, const u8 *d, size_t len, long want, int runs)
{
	double b = 1e18;
	int i;

	for (i = 0; i < runs; i++) {
		double t0 = now_us(), t;
		long r = fn(d, len);

		t = now_us() - t0;
		if (r != want) {
			fprintf(stderr, "vbios_bench: wrong result %ld, want %ld\n", r, want);
			exit(1);
		}
		if (t < b)
			b = t;
	}
	return b;
}

static long resumed(const u8 *d, size_t len) { return read_resumed(d, len); }
static long reparse(const u8 *d, size_t len) { return read_reparse(d, len); }

int main(void)
{
	u8 *rom = calloc(1, MIB), *dump = calloc(1, 2 * MIB);
	double r_new, r_old, s_new, s_old;
	u32 len, off, i;
	int ok;

	if (!rom || !dump)
		return 2;
	len = make_1mib(rom);
	if (len != MIB)
		return 2;
	r_new = best(resumed, rom, len, 5, RUNS);
	r_old = best(reparse, rom, len, 5, 5);

	/*
	 * The dump: a 1 MiB header in which every 1 KiB a 55 AA starts an x86
	 * image with a valid PCIR, claiming 65024 bytes: its successor would
	 * start in random bytes, so every such chain fails after one image.
	 */
	off = MIB;
	{
		struct romgen_image img = { 0, 0x10de, 0x2503, 127 * 512, 0 };
		uint32_t s = 3;

		for (i = 0; i < off; i++)
			dump[i] = (u8)romgen_rand(&s);
		for (i = 0; i < off; i += 1024)
			romgen_image(dump + i, &img, &s);
	}
	memcpy(dump + off, rom, MIB);
	s_new = best(start_linear, dump, 2 * MIB, off, RUNS);
	s_old = best(start_reparse, dump, 2 * MIB, off, 3);

	printf("vbios: read a 1 MiB ROM in 4 KiB chunks: resumed parse %.0f us, whole re-parse per chunk %.0f us (%.0fx)\n",
	       r_new, r_old, r_old / r_new);
	printf("vbios: find the ROM after a 1 MiB header of 1024 plausible images: linear %.0f us, parse from each 55 AA %.0f us (%.0fx)\n",
	       s_new, s_old, s_old / s_new);
	ok = r_new <= 1000 && s_new <= 1000 && r_new < r_old && s_new < s_old;
	printf("claim vbios_parse_1mib_under_1ms\n");
	free(rom);
	free(dump);
	return ok ? 0 : 1;
}
