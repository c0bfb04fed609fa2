// SPDX-License-Identifier: GPL-2.0
/*
 * vbios_test.c - the option-ROM parser shared by gpuhelper.ko and the CLI:
 * every kind of broken ROM is rejected with its own reason, valid ROMs are
 * described completely and scored.
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

static size_t m_bad_csum(u8 *rom) { rom[0x1234] ^= 0x01; return ROM_LEN; }

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
BAD(pcir_pointer_unaligned, m_pcir_ptr_odd, GH_VBIOS_BAD_PCIR, ROMGEN_PCIR + 1);
BAD(pcir_pointer_into_header, m_pcir_ptr_in_header, GH_VBIOS_BAD_PCIR, 0x8);
BAD(pcir_pointer_past_end, m_pcir_ptr_past_end, GH_VBIOS_TRUNCATED, 0xfffc);
BAD(pcir_too_short, m_pcir_short, GH_VBIOS_BAD_PCIR, ROMGEN_PCIR);
BAD(looping_zero_length, m_zero_length, GH_VBIOS_ZERO_LENGTH, 0);
BAD(pcir_overlaps_next_image, m_pcir_overlaps_next, GH_VBIOS_OVERLAP, 0);
BAD(overlong_last_image, m_overlong, GH_VBIOS_OVERLONG, EFI_OFF);
BAD(overlong_first_image, m_overlong_first, GH_VBIOS_OVERLONG, 0);
BAD(bad_checksum, m_bad_csum, GH_VBIOS_BAD_CHECKSUM, 0);
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
	EXPECT_EQ(ROMGEN_PCIR, info.images[0].pcir_offset);
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

TEST(trailing_data_accepted_length_is_the_chain)
{
	static u8 rom[ROM_LEN + 0x1000];
	struct gh_vbios_info info, exact;

	memset(rom, 0xff, sizeof(rom));	/* a ROM BAR larger than the ROM */
	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	ASSERT_EQ(0, gh_vbios_parse(rom, sizeof(rom), VEN, DEV, &info));
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, VEN, DEV, &exact));
	EXPECT_EQ(ROM_LEN, info.length);
	EXPECT_EQ(GH_VBIOS_WARN_TRAILING_DATA, info.warnings);
	EXPECT_GT(exact.score, info.score);
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
	char buf[1024];

	romgen_standard(rom, ROM_LEN, X86_LEN, VEN, DEV, 1);
	ASSERT_EQ(0, gh_vbios_parse(rom, ROM_LEN, 0x10de, 0x1c8d, &info));
	gh_vbios_summary(&info, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "status: valid\n"));
	EXPECT_NE(NULL, strstr(buf, "length: 16384\n"));
	EXPECT_NE(NULL, strstr(buf, "image 0: offset 0x0 length 8192 type x86 vendor 1234 device 11e8 class 030000 last 0 checksum ok\n"));
	EXPECT_NE(NULL, strstr(buf, "type efi"));
	EXPECT_NE(NULL, strstr(buf, "efi-machine x64 efi-compressed 1"));
	EXPECT_NE(NULL, strstr(buf, "warnings: id-mismatch\n"));

	rom[5] ^= 0xff;
	ASSERT_EQ(-EINVAL, gh_vbios_parse(rom, ROM_LEN, 0, 0, &info));
	gh_vbios_summary(&info, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "status: bad checksum"));
	EXPECT_NE(NULL, strstr(buf, "checksum bad"));
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

TEST_HARNESS_MAIN
