// SPDX-License-Identifier: GPL-2.0
/*
 * vbios_test.c - the option-ROM parser shared by gpuhelper.ko and the CLI:
 * every kind of broken ROM is rejected with its own reason, valid ROMs are
 * described completely and scored, and the layouts real NVIDIA GPUs carry
 * (tests/lib/romgen.h, modelled on public dumps read by nouveau's rules)
 * are accepted, whole and in chunks.
 */
#include <stdlib.h>

#include "kselftest_harness.h"
#include "vbios.h"
#include "../lib/romgen.h"

#define ROM_LEN		0x4000	/* x86 image 0x2000 + EFI image 0x2000 */
#define X86_LEN		0x2000
#define EFI_OFF		X86_LEN
#define VEN		0x1234
#define DEV		0x11e8

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

/* Re-fix the x86 image's checksum after a mutation (last byte). */
static void fix_csum(u8 *rom, size_t len)
{
	u8 sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i++)
		sum += rom[i];
	rom[len - 1] = (u8)(0x100 - sum);
}

/* Each mutation breaks the standard ROM in one way; returns the length to parse. */
typedef size_t (*mutate_fn)(u8 *rom);

static size_t m_empty(u8 *rom) { return 0; }
static size_t m_cut_in_header(u8 *rom) { return 0x10; }
static size_t m_cut_in_pcir(u8 *rom) { return ROMGEN_PCIR + 0x10; }
static size_t m_cut_in_second_image(u8 *rom) { return EFI_OFF + 0x1000; }
static size_t m_cut_in_second_header(u8 *rom) { return EFI_OFF + 0x8; }
static size_t m_bad_sig(u8 *rom) { rom[1] = 0xab; return ROM_LEN; }
static size_t m_bad_sig_second(u8 *rom) { rom[EFI_OFF] = 0x56; return ROM_LEN; }
static size_t m_pcir_sig(u8 *rom) { rom[ROMGEN_PCIR + 3] = 'S'; return ROM_LEN; }
static size_t m_pcir_ptr_odd(u8 *rom) { put16(rom + 0x18, ROMGEN_PCIR + 1); return ROM_LEN; }
static size_t m_pcir_ptr_in_header(u8 *rom) { put16(rom + 0x18, 0x8); return ROM_LEN; }
static size_t m_pcir_ptr_past_end(u8 *rom) { put16(rom + 0x18, 0xfffc); return ROM_LEN; }
static size_t m_pcir_short(u8 *rom) { put16(rom + ROMGEN_PCIR + 0x0a, 0x10); return ROM_LEN; }

static size_t m_zero_length(u8 *rom)
{
	put16(rom + ROMGEN_PCIR + 0x10, 0);	/* next image would be this one */
	return ROM_LEN;
}

static size_t m_pcir_overlaps_next(u8 *rom)
{
	put16(rom + ROMGEN_PCIR + 0x10, 1);	/* a 512-byte image... */
	put16(rom + ROMGEN_PCIR + 0x0a, 0x1d0);	/* ...whose PCIR runs into the next */
	return ROM_LEN;
}

static size_t m_overlong(u8 *rom)
{
	put16(rom + EFI_OFF + ROMGEN_PCIR + 0x10, 0x100);	/* 128 KiB */
	return ROM_LEN;
}

static size_t m_overlong_first(u8 *rom)
{
	put16(rom + ROMGEN_PCIR + 0x10, 0xffff);
	return ROM_LEN;
}

static size_t m_no_last(u8 *rom)
{
	rom[EFI_OFF + ROMGEN_PCIR + 0x15] = 0;
	return ROM_LEN;
}

static size_t m_no_last_more_data(u8 *rom)
{
	rom[EFI_OFF + ROMGEN_PCIR + 0x15] = 0;
	memset(rom + ROM_LEN, 0xff, 0x100);	/* erased flash after the images */
	return ROM_LEN + 0x100;
}

static size_t m_efi_sig(u8 *rom) { put16(rom + EFI_OFF + 4, 0x0ef0); return ROM_LEN; }
static size_t m_efi_pe_offset(u8 *rom) { put16(rom + EFI_OFF + 0x16, 0x2000); return ROM_LEN; }

static size_t m_too_many(u8 *rom)
{
	struct romgen_image img = { 3, VEN, DEV, 512, 0 };
	uint32_t seed = 7;
	int i;

	/* 20 EFI images of 512 bytes, none last */
	for (i = 0; i < 20; i++)
		romgen_image(rom + i * 512, &img, &seed);
	return 20 * 512;
}

FIXTURE(bad_rom) {
	u8 *rom;
};

FIXTURE_VARIANT(bad_rom) {
	mutate_fn mutate;
	enum gh_vbios_reason reason;
	u32 offset;
};

FIXTURE_SETUP(bad_rom)
{
	self->rom = calloc(1, 0x10000);
	ASSERT_NE(NULL, self->rom);
	romgen_standard(self->rom, ROM_LEN, X86_LEN, VEN, DEV, 42);
}

FIXTURE_TEARDOWN(bad_rom)
{
	free(self->rom);
}

#define BAD(name, fn, r, off) \
	FIXTURE_VARIANT_ADD(bad_rom, name) { .mutate = fn, .reason = r, .offset = off }

BAD(empty, m_empty, GH_VBIOS_EMPTY, 0);
BAD(truncated_in_rom_header, m_cut_in_header, GH_VBIOS_TRUNCATED, 0);
BAD(truncated_in_pcir, m_cut_in_pcir, GH_VBIOS_TRUNCATED, ROMGEN_PCIR);
BAD(truncated_in_second_header, m_cut_in_second_header, GH_VBIOS_TRUNCATED, EFI_OFF);
BAD(truncated_in_second_image, m_cut_in_second_image, GH_VBIOS_OVERLONG, EFI_OFF);
BAD(wrong_signature, m_bad_sig, GH_VBIOS_BAD_SIGNATURE, 0);
BAD(wrong_signature_second_image, m_bad_sig_second, GH_VBIOS_BAD_SIGNATURE, EFI_OFF);
BAD(pcir_signature, m_pcir_sig, GH_VBIOS_BAD_PCIR, ROMGEN_PCIR);
BAD(pcir_pointer_off_by_one, m_pcir_ptr_odd, GH_VBIOS_BAD_PCIR, ROMGEN_PCIR + 1);
BAD(pcir_pointer_into_header, m_pcir_ptr_in_header, GH_VBIOS_BAD_PCIR, 0x8);
BAD(pcir_pointer_past_end, m_pcir_ptr_past_end, GH_VBIOS_TRUNCATED, 0xfffc);
BAD(pcir_too_short, m_pcir_short, GH_VBIOS_BAD_PCIR, ROMGEN_PCIR);
BAD(looping_zero_length, m_zero_length, GH_VBIOS_ZERO_LENGTH, 0);
BAD(pcir_overlaps_next_image, m_pcir_overlaps_next, GH_VBIOS_OVERLAP, 0);
BAD(overlong_last_image, m_overlong, GH_VBIOS_OVERLONG, EFI_OFF);
BAD(overlong_first_image, m_overlong_first, GH_VBIOS_OVERLONG, 0);
BAD(no_last_image_flag, m_no_last, GH_VBIOS_NO_LAST_IMAGE, ROM_LEN);
BAD(no_last_image_flag_then_erased_flash, m_no_last_more_data, GH_VBIOS_BAD_SIGNATURE, ROM_LEN);
BAD(efi_signature, m_efi_sig, GH_VBIOS_BAD_EFI_HEADER, EFI_OFF);
BAD(efi_pe_offset_outside_image, m_efi_pe_offset, GH_VBIOS_BAD_EFI_HEADER, EFI_OFF);
BAD(too_many_images, m_too_many, GH_VBIOS_TOO_MANY_IMAGES, 16 * 512);

TEST_F(bad_rom, rejected_with_specific_reason_and_offset)
{
	struct gh_vbios_info info;
	size_t len = variant->mutate(self->rom);

	EXPECT_EQ(-EINVAL, gh_vbios_parse(self->rom, len, VEN, DEV, &info));
	EXPECT_EQ(variant->reason, info.reason);
	EXPECT_EQ(variant->offset, info.reason_offset);
	EXPECT_EQ(0, info.score);
	EXPECT_EQ(0, info.length);
	if (info.reason != variant->reason)
		TH_LOG("got '%s'", gh_vbios_reason_str(info.reason));
}

TEST(standard_rom_fully_described)
{
	static u8 rom[ROM_LEN];
	struct gh_vbios_info info;

	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, VEN, DEV, &info));
	EXPECT_EQ(GH_VBIOS_OK, info.reason);
	EXPECT_EQ(ROM_LEN, info.length);
	EXPECT_EQ(0, info.warnings);
	ASSERT_EQ(2, info.nr_images);

	EXPECT_EQ(0, info.images[0].offset);
	EXPECT_EQ(X86_LEN, info.images[0].length);
	EXPECT_EQ(GH_VBIOS_CODE_X86, info.images[0].code_type);
	EXPECT_EQ(GH_VBIOS_CSUM_OK, info.images[0].csum);
	EXPECT_EQ(VEN, info.images[0].vendor);
	EXPECT_EQ(DEV, info.images[0].device);
	EXPECT_EQ(0x030000, info.images[0].class_code);
	EXPECT_EQ(ROMGEN_PCIR, info.images[0].ds_offset);
	EXPECT_EQ(GH_VBIOS_SIG_PCI, info.images[0].signature);
	EXPECT_EQ(GH_VBIOS_DS_PCIR, info.images[0].ds_signature);
	EXPECT_FALSE(info.images[0].npde);
	EXPECT_FALSE(info.images[0].last);

	EXPECT_EQ(EFI_OFF, info.images[1].offset);
	EXPECT_EQ(ROM_LEN - X86_LEN, info.images[1].length);
	EXPECT_EQ(GH_VBIOS_CODE_EFI, info.images[1].code_type);
	EXPECT_EQ(GH_VBIOS_CSUM_NONE, info.images[1].csum);
	EXPECT_EQ(11, info.images[1].efi.subsystem);
	EXPECT_EQ(0x8664, info.images[1].efi.machine);
	EXPECT_EQ(1, info.images[1].efi.compression);
	EXPECT_EQ(ROMGEN_EFI_PE, info.images[1].efi.image_offset);
	EXPECT_TRUE(info.images[1].last);
	EXPECT_GT(info.score, 0);
}

TEST(id_mismatch_is_a_warning_that_lowers_the_score)
{
	static u8 rom[ROM_LEN];
	struct gh_vbios_info match, other;

	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, VEN, DEV, &match));
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, 0x10de, 0x1c8d, &other));
	EXPECT_EQ(GH_VBIOS_WARN_ID_MISMATCH, other.warnings);
	EXPECT_GT(match.score, other.score);
	EXPECT_GT(other.score, 0);
}

TEST(padding_after_the_chain_is_not_trailing_data)
{
	static u8 rom[ROM_LEN + 0x1000];
	struct gh_vbios_info info, exact;

	memset(rom, 0xff, sizeof(rom));	/* a ROM BAR larger than the ROM */
	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	ASSERT_EQ(0, gh_vbios_parse(rom, sizeof(rom), VEN, DEV, &info));
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, VEN, DEV, &exact));
	EXPECT_EQ(ROM_LEN, info.length);
	EXPECT_EQ(GH_VBIOS_WARN_PADDING, info.warnings);
	EXPECT_EQ(exact.score, info.score);
	memset(rom + ROM_LEN, 0x00, 0x1000);	/* zero fill: padding too */
	ASSERT_EQ(0, gh_vbios_parse(rom, sizeof(rom), VEN, DEV, &info));
	EXPECT_EQ(GH_VBIOS_WARN_PADDING, info.warnings);
}

TEST(trailing_data_accepted_length_is_the_chain)
{
	static u8 rom[ROM_LEN + 0x1000];
	struct gh_vbios_info info, exact;

	memset(rom, 0xff, sizeof(rom));
	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	rom[ROM_LEN + 0x800] = 0x42;	/* a backup copy, a GOP appended by hand */
	ASSERT_EQ(0, gh_vbios_parse(rom, sizeof(rom), VEN, DEV, &info));
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, VEN, DEV, &exact));
	EXPECT_EQ(ROM_LEN, info.length);
	EXPECT_EQ(GH_VBIOS_WARN_TRAILING_DATA, info.warnings);
	EXPECT_GT(exact.score, info.score);
}

TEST(bad_checksum_is_a_warning_that_lowers_the_score)
{
	static u8 rom[ROM_LEN];
	struct gh_vbios_info good, bad;

	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, VEN, DEV, &good));
	rom[0x1234] ^= 0x01;
	/* nouveau's shadow.c: a bad checksum lowers the score, no more */
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, VEN, DEV, &bad));
	EXPECT_EQ(GH_VBIOS_WARN_BAD_CHECKSUM, bad.warnings);
	EXPECT_EQ(GH_VBIOS_CSUM_BAD, bad.images[0].csum);
	EXPECT_EQ(GH_VBIOS_CSUM_OK, good.images[0].csum);
	EXPECT_GT(good.score, bad.score);
	EXPECT_GT(bad.score, 0);
}

TEST(rom_without_efi_scores_below_rom_with_efi)
{
	static u8 rom[ROM_LEN];
	struct gh_vbios_info both, legacy;
	struct romgen_image x86 = { 0, VEN, DEV, X86_LEN, 1 };
	uint32_t seed = 3;

	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, VEN, DEV, &both));
	romgen_image(rom, &x86, &seed);
	ASSERT_EQ(0, gh_vbios_parse(rom, X86_LEN, VEN, DEV, &legacy));
	EXPECT_EQ(1, legacy.nr_images);
	EXPECT_GT(both.score, legacy.score);
}

TEST(nvidia_npde_overrides_pcir_length_and_last_flag)
{
	static u8 rom[ROM_LEN];
	struct gh_vbios_info info;
	u8 *npde = rom + 0x60;

	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	put16(rom + ROMGEN_PCIR + 0x10, 1);	/* PCIR says 512 bytes */
	rom[ROMGEN_PCIR + 0x15] = 0x80;		/* and "last" */
	memcpy(npde, "NPDE", 4);
	put16(npde + 8, X86_LEN / 512);		/* NPDE: the real length */
	npde[0x0a] = 0;				/* and not last */
	fix_csum(rom, X86_LEN);
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, VEN, DEV, &info));
	ASSERT_EQ(2, info.nr_images);
	EXPECT_TRUE(info.images[0].npde);
	EXPECT_EQ(X86_LEN, info.images[0].length);
	EXPECT_FALSE(info.images[0].last);
	EXPECT_FALSE(info.images[1].npde);
}

TEST(find_start_skips_a_dump_tool_header)
{
	static u8 dump[0x400 + ROM_LEN];

	memset(dump, 0, 0x400);
	dump[0x10] = 0x55;		/* a stray signature, no valid ROM behind it */
	dump[0x11] = 0xaa;
	romgen_standard(dump + 0x400, ROM_LEN, X86_LEN, VEN, DEV, 9);
	EXPECT_EQ(0x400, gh_vbios_find_start(dump, sizeof(dump)));
	EXPECT_EQ(0, gh_vbios_find_start(dump + 0x400, ROM_LEN));
	EXPECT_EQ(-ENOENT, gh_vbios_find_start(dump, 0x400));
}

TEST(summary_names_images_and_reason)
{
	static u8 rom[ROM_LEN];
	struct gh_vbios_info info;
	char buf[2048];

	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, 0x10de, 0x1c8d, &info));
	gh_vbios_summary(&info, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "status: valid\n"));
	EXPECT_NE(NULL, strstr(buf, "length: 16384\ntrailing: 0\n"));
	EXPECT_NE(NULL, strstr(buf, "image 0: offset 0x0 length 8192 signature 0xaa55 struct PCIR type x86 (0x00) vendor 1234 device 11e8 class 030000 pcir-length 8192 pcir-last 0 npde none last 0 checksum ok x86-size 8192\n"));
	EXPECT_NE(NULL, strstr(buf, "type efi (0x03)"));
	EXPECT_NE(NULL, strstr(buf, "efi-machine x64 efi-compressed 1"));
	EXPECT_NE(NULL, strstr(buf, "warnings: id-mismatch\n"));

	rom[5] ^= 0xff;
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, 0, 0, &info));
	gh_vbios_summary(&info, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "checksum bad"));
	EXPECT_NE(NULL, strstr(buf, "warnings: bad-checksum\n"));

	rom[EFI_OFF] = 0;
	ASSERT_EQ(-EINVAL, gh_vbios_parse(rom, ROM_LEN, 0, 0, &info));
	gh_vbios_summary(&info, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "status: bad signature"));
	EXPECT_NE(NULL, strstr(buf, "offset: 0x2000\n"));
}

TEST(summary_never_overruns_a_small_buffer)
{
	static u8 rom[ROM_LEN];
	struct gh_vbios_info info;
	char buf[40];

	memset(buf, 'x', sizeof(buf));
	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, VEN, DEV, &info));
	EXPECT_EQ(sizeof(buf) - 1, gh_vbios_summary(&info, buf, sizeof(buf)));
	EXPECT_EQ('\0', buf[sizeof(buf) - 1]);
}

TEST(every_reason_has_its_own_text)
{
	int i, j;

	for (i = 0; i < GH_VBIOS_NR_REASONS; i++) {
		ASSERT_NE(NULL, gh_vbios_reason_str(i));
		for (j = 0; j < i; j++)
			EXPECT_STRNE(gh_vbios_reason_str(i), gh_vbios_reason_str(j));
	}
	EXPECT_STREQ("unknown", gh_vbios_reason_str(GH_VBIOS_NR_REASONS));
}

TEST(larger_than_any_rom_rejected)
{
	struct gh_vbios_info info;
	u8 *big = calloc(1, GH_VBIOS_MAX_SIZE + 1);

	ASSERT_NE(NULL, big);
	romgen_standard(big, ROM_LEN, X86_LEN, VEN, DEV, 1);
	EXPECT_EQ(-EINVAL, gh_vbios_parse(big, GH_VBIOS_MAX_SIZE + 1, 0, 0, &info));
	EXPECT_EQ(GH_VBIOS_TOO_LARGE, info.reason);
	free(big);
}

/*
 * The layouts real GPUs carry (romgen.h): each is valid, with the chain
 * length, image types and signatures of the dumps they model.
 */
FIXTURE(layout) {
	u8 *buf;
	u32 len, rom_off, rom_len;
};

FIXTURE_VARIANT(layout) {
	enum romgen_kind kind;
	u32 chain;		/* the chain length */
	unsigned int nr;	/* images */
	u8 types[5];		/* their code types */
	u16 sigs[5];		/* their signatures */
};

FIXTURE_VARIANT_ADD(layout, simple) {
	ROMGEN_SIMPLE, 167936, 2, { 0x00, 0x03 }, { 0xaa55, 0xaa55 } };
FIXTURE_VARIANT_ADD(layout, pascal_gtx1050_mobile) {
	ROMGEN_PASCAL, 168448, 4, { 0x00, 0xe0, 0xe0, 0x70 },
	{ 0xaa55, 0x4e56, 0x4e56, 0x4e56 } };
FIXTURE_VARIANT_ADD(layout, turing_rtx2060) {
	ROMGEN_TURING, 326656, 5, { 0x00, 0x03, 0xe0, 0xe0, 0x70 },
	{ 0xaa55, 0xaa55, 0x4e56, 0x4e56, 0x4e56 } };
FIXTURE_VARIANT_ADD(layout, flash_dump_with_header) {
	ROMGEN_FLASH, 168448, 4, { 0x00, 0xe0, 0xe0, 0x70 },
	{ 0xaa55, 0x4e56, 0x4e56, 0x4e56 } };

FIXTURE_SETUP(layout)
{
	self->buf = calloc(1, ROMGEN_MAX);
	ASSERT_NE(NULL, self->buf);
	self->len = romgen_layout(variant->kind, self->buf, 0x10de, 0x1c8d, 5,
				  &self->rom_off, &self->rom_len);
}

FIXTURE_TEARDOWN(layout)
{
	free(self->buf);
}

TEST_F(layout, valid_with_the_real_chain)
{
	struct gh_vbios_info info;
	unsigned int i;

	ASSERT_EQ(0, gh_vbios_parse(self->buf + self->rom_off, self->rom_len,
				    0x10de, 0x1c8d, &info)) {
		TH_LOG("%s at 0x%x", gh_vbios_reason_str(info.reason), info.reason_offset);
	}
	EXPECT_EQ(variant->chain, info.length);
	EXPECT_EQ(variant->chain, self->rom_len);
	EXPECT_EQ(0, info.warnings);
	ASSERT_EQ(variant->nr, info.nr_images);
	for (i = 0; i < info.nr_images; i++) {
		EXPECT_EQ(variant->types[i], info.images[i].code_type);
		EXPECT_EQ(variant->sigs[i], info.images[i].signature);
		EXPECT_EQ(variant->sigs[i] == 0xaa55 ? GH_VBIOS_DS_PCIR : GH_VBIOS_DS_NPDS,
			  info.images[i].ds_signature);
		EXPECT_EQ(i + 1 == info.nr_images, info.images[i].last);
	}
	EXPECT_EQ(GH_VBIOS_CSUM_OK, info.images[0].csum);
	EXPECT_EQ(0x1c8d, info.images[0].device);
}

/* The module's reading loop: chunks as the parser asks, resumed parses. */
TEST_F(layout, chunked_parse_equals_whole_and_stops_at_the_chain)
{
	const u8 *rom = self->buf + self->rom_off;
	size_t avail = self->len - self->rom_off, len = 0;
	struct gh_vbios_info whole, part;
	unsigned int calls = 0;
	int ret;

	ASSERT_EQ(0, gh_vbios_parse(rom, avail, 0x10de, 0x1c8d, &whole));
	gh_vbios_parse(NULL, 0, 0, 0, &part);
	for (;;) {
		size_t want = (part.need + 4095) & ~(size_t)4095;

		len = want < avail ? want : avail;
		ret = gh_vbios_parse_more(rom, len, 0x10de, 0x1c8d, &part);
		calls++;
		if (!ret || !gh_vbios_wants_more(&part) || len == avail)
			break;
		ASSERT_GT(part.need, len);
	}
	ASSERT_EQ(0, ret);
	EXPECT_EQ(whole.length, part.length);
	EXPECT_EQ(whole.nr_images, part.nr_images);
	EXPECT_EQ(0, memcmp(whole.images, part.images, sizeof(whole.images)));
	EXPECT_EQ(whole.score, part.score);
	/* read no further than the chunk holding the chain's end */
	EXPECT_LT(len, (size_t)whole.length + 4096);
	/* about two parses an image (header, then body), not one a chunk */
	EXPECT_LE(calls, 2 * whole.nr_images + 1);
}

TEST_F(layout, find_start_finds_the_rom)
{
	EXPECT_EQ(self->rom_off, gh_vbios_find_start(self->buf, self->len));
}

TEST(flash_dump_is_refused_whole_and_found_by_find_start)
{
	u8 *buf = calloc(1, ROMGEN_MAX);
	struct gh_vbios_info info;
	u32 off, len, n;

	ASSERT_NE(NULL, buf);
	n = romgen_layout(ROMGEN_FLASH, buf, 0x10de, 0x1c8d, 5, &off, &len);
	EXPECT_EQ(-EINVAL, gh_vbios_parse(buf, n, 0, 0, &info));
	EXPECT_EQ(GH_VBIOS_BAD_SIGNATURE, info.reason);	/* "NVGI" */
	EXPECT_EQ(ROMGEN_FLASH_HEADER, gh_vbios_find_start(buf, n));
	ASSERT_EQ(0, gh_vbios_parse(buf + off, n - off, 0, 0, &info));
	EXPECT_EQ(len, info.length);
	EXPECT_EQ(GH_VBIOS_WARN_PADDING, info.warnings);	/* erased flash */
	free(buf);
}

TEST(pascal_npde_overrides_a_pcir_that_claims_the_whole_rom)
{
	u8 *buf = calloc(1, ROMGEN_MAX);
	struct gh_vbios_info info;
	const struct gh_vbios_image *x86;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(168448, romgen_pascal(buf, 0x10de, 0x1c8d, 3));
	ASSERT_EQ(0, gh_vbios_parse(buf, 168448, 0x10de, 0x1c8d, &info));
	x86 = &info.images[0];
	EXPECT_EQ(168448, x86->pcir_length);
	EXPECT_TRUE(x86->pcir_last);
	EXPECT_TRUE(x86->npde);
	EXPECT_EQ(0x1c0, x86->npde_offset);
	EXPECT_EQ(61952, x86->npde_length);
	EXPECT_FALSE(x86->npde_last);
	EXPECT_EQ(61952, x86->length);
	EXPECT_FALSE(x86->last);
	/* the 0x70 image ends the chain although its flags do not say so */
	EXPECT_FALSE(info.images[3].pcir_last);
	EXPECT_FALSE(info.images[3].npde);
	EXPECT_TRUE(info.images[3].last);
	free(buf);
}

TEST(type_70_image_ignores_npde_like_bytes)
{
	u8 *buf = calloc(1, ROMGEN_MAX);
	struct gh_vbios_info info;
	u8 *img70 = buf + 0x28800;
	u8 *npde = img70 + 0x40;	/* (0x20 + 0x18 + 15) & ~15 */

	ASSERT_NE(NULL, buf);
	romgen_pascal(buf, 0x10de, 0x1c8d, 3);
	memcpy(npde, "NPDE", 4);
	put16(npde + 8, 0x100);		/* would make it 128 KiB and overlong */
	ASSERT_EQ(0, gh_vbios_parse(buf, 168448, 0, 0, &info));
	EXPECT_EQ(2560, info.images[3].length);
	free(buf);
}

/*
 * The kernel's pci_get_rom_size() (and so sysfs "rom") stops at the first
 * PCIR "last" flag: a Turing ROM read that way ends after its EFI image,
 * whose NPDE says more follow. Refused, and recognisably so.
 */
TEST(rom_trimmed_at_the_pcir_last_flag_is_refused)
{
	u8 *buf = calloc(1, ROMGEN_MAX);
	struct gh_vbios_info info;
	const struct gh_vbios_image *efi;

	ASSERT_NE(NULL, buf);
	romgen_turing(buf, 0x10de, 0x1f08, 3);
	EXPECT_EQ(-EINVAL, gh_vbios_parse(buf, 59904 + 69632, 0, 0, &info));
	EXPECT_EQ(GH_VBIOS_NO_LAST_IMAGE, info.reason);
	ASSERT_EQ(2, info.nr_images);
	efi = &info.images[1];
	EXPECT_TRUE(efi->pcir_last && efi->npde && !efi->npde_last);
	EXPECT_TRUE(gh_vbios_wants_more(&info));
	EXPECT_EQ(59904 + 69632 + 0x1a, info.need);
	free(buf);
}

TEST(nouveau_signatures_and_structures_accepted)
{
	static u8 rom[ROM_LEN];
	struct gh_vbios_info info;

	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	put16(rom + EFI_OFF, GH_VBIOS_SIG_BB77);
	memcpy(rom + EFI_OFF + ROMGEN_PCIR, "RGIS", 4);
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, VEN, DEV, &info));
	EXPECT_EQ(GH_VBIOS_SIG_BB77, info.images[1].signature);
	EXPECT_EQ(GH_VBIOS_DS_RGIS, info.images[1].ds_signature);
	EXPECT_STREQ("RGIS", gh_vbios_ds_str(info.images[1].ds_signature));
}

TEST(parse_more_after_a_final_reject_changes_nothing)
{
	static u8 rom[ROM_LEN];
	struct gh_vbios_info info;

	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	rom[EFI_OFF] = 0;
	ASSERT_EQ(-EINVAL, gh_vbios_parse(rom, ROM_LEN, 0, 0, &info));
	ASSERT_FALSE(gh_vbios_wants_more(&info));
	EXPECT_EQ(0, info.need);
	EXPECT_EQ(-EINVAL, gh_vbios_parse_more(rom, ROM_LEN, 0, 0, &info));
	EXPECT_EQ(GH_VBIOS_BAD_SIGNATURE, info.reason);
	EXPECT_EQ(EFI_OFF, info.reason_offset);
}

TEST_HARNESS_MAIN
