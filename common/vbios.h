/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * vbios.h - the PCI option-ROM (vBIOS) parser shared by gpuhelper.ko and
 * the CLI.
 *
 * A ROM is a chain of images. Each starts with 0x55 0xAA and points (at
 * +0x18) to a "PCIR" data structure giving the image's vendor, device,
 * class, length in 512-byte units, code type and a last-image flag.
 * NVIDIA images may follow the PCIR with an "NPDE" extension whose length
 * and last-image flag override the PCIR's. EFI images (code type 3) carry
 * their own header between the signature and the PCIR pointer.
 *
 * gh_vbios_parse() walks the chain with every offset bounds-checked and
 * either accepts the whole ROM or names one specific reason it is
 * rejected; it never reads outside the buffer it is given.
 */
#ifndef GH_VBIOS_H
#define GH_VBIOS_H

#include "gh_types.h"

#define GH_VBIOS_MAX_IMAGES	16
/* The PCIR length field is 16 bits of 512-byte units: 32 MiB at most. */
#define GH_VBIOS_MAX_SIZE	(32U << 20)
/* The most an ACPI _ROM call returns, and the chunk the shadow reads. */
#define GH_VBIOS_ACPI_CHUNK	4096U

/* PCI Firmware Specification code types */
#define GH_VBIOS_CODE_X86	0x00
#define GH_VBIOS_CODE_OPENFW	0x01
#define GH_VBIOS_CODE_HPPA	0x02
#define GH_VBIOS_CODE_EFI	0x03
/* NVIDIA's extra images (signed firmware) */
#define GH_VBIOS_CODE_NV_70	0x70

/**
 * enum gh_vbios_reason - why a ROM was rejected; GH_VBIOS_OK when it was not
 * @GH_VBIOS_OK: a valid chain of images
 * @GH_VBIOS_EMPTY: no data at all
 * @GH_VBIOS_TOO_LARGE: more data than any option ROM can describe
 * @GH_VBIOS_TRUNCATED: the data ends inside a header or PCIR structure
 * @GH_VBIOS_BAD_SIGNATURE: an image does not start with 0x55 0xAA
 * @GH_VBIOS_BAD_PCIR: the PCIR pointer, signature or length is wrong
 * @GH_VBIOS_ZERO_LENGTH: an image claims length 0, so the chain would loop
 * @GH_VBIOS_OVERLAP: an image's PCIR or EFI header lies outside the image
 * @GH_VBIOS_OVERLONG: an image runs past the end of the data
 * @GH_VBIOS_TOO_MANY_IMAGES: more than GH_VBIOS_MAX_IMAGES images
 * @GH_VBIOS_NO_LAST_IMAGE: the data ends and no image had the last flag
 * @GH_VBIOS_BAD_CHECKSUM: an x86 image's bytes do not sum to 0
 * @GH_VBIOS_BAD_EFI_HEADER: an EFI image lacks the 0x0EF1 signature or its
 *	PE image offset is outside the image
 * @GH_VBIOS_NR_REASONS: number of reasons
 */
enum gh_vbios_reason {
	GH_VBIOS_OK,
	GH_VBIOS_EMPTY,
	GH_VBIOS_TOO_LARGE,
	GH_VBIOS_TRUNCATED,
	GH_VBIOS_BAD_SIGNATURE,
	GH_VBIOS_BAD_PCIR,
	GH_VBIOS_ZERO_LENGTH,
	GH_VBIOS_OVERLAP,
	GH_VBIOS_OVERLONG,
	GH_VBIOS_TOO_MANY_IMAGES,
	GH_VBIOS_NO_LAST_IMAGE,
	GH_VBIOS_BAD_CHECKSUM,
	GH_VBIOS_BAD_EFI_HEADER,
	GH_VBIOS_NR_REASONS,
};

/* Warnings: the ROM is accepted, but something is worth telling. */
#define GH_VBIOS_WARN_ID_MISMATCH	0x1U /* vendor/device differ from the device's */
#define GH_VBIOS_WARN_TRAILING_DATA	0x2U /* bytes after the last image */
#define GH_VBIOS_WARN_SIZE_MISMATCH	0x4U /* byte 2 size differs from the PCIR length */

enum gh_vbios_csum {
	GH_VBIOS_CSUM_NONE,	/* not an x86 image: no checksum defined */
	GH_VBIOS_CSUM_OK,
	GH_VBIOS_CSUM_BAD,
};

/**
 * struct gh_vbios_efi - the EFI image header (code type 3)
 * @subsystem: PE subsystem (10 application, 11 boot service, 12 runtime driver)
 * @machine: PE machine type (0x8664 x64, 0x014c IA32, 0xaa64 AArch64, 0x0ebc EBC)
 * @compression: 0 uncompressed, 1 EFI compression
 * @image_offset: offset of the PE image from the image start
 */
struct gh_vbios_efi {
	u16 subsystem;
	u16 machine;
	u16 compression;
	u16 image_offset;
};

/**
 * struct gh_vbios_image - one image of the chain
 * @offset: start of the image in the ROM
 * @length: its length in bytes (from NPDE when present, else the PCIR)
 * @pcir_offset: PCIR structure offset from the image start
 * @vendor: PCIR vendor ID
 * @device: PCIR device ID
 * @class_code: PCIR 24-bit class code
 * @pcir_revision: PCIR structure revision
 * @code_revision: revision of the code/data in the image
 * @code_type: GH_VBIOS_CODE_*
 * @last: the last-image flag
 * @npde: an NVIDIA NPDE extension gave @length and @last
 * @csum: checksum state (x86 images only)
 * @efi: the EFI header, valid when @code_type is GH_VBIOS_CODE_EFI
 */
struct gh_vbios_image {
	u32 offset;
	u32 length;
	u16 pcir_offset;
	u16 vendor;
	u16 device;
	u32 class_code;
	u8 pcir_revision;
	u16 code_revision;
	u8 code_type;
	bool last;
	bool npde;
	enum gh_vbios_csum csum;
	struct gh_vbios_efi efi;
};

/**
 * struct gh_vbios_info - what gh_vbios_parse() found
 * @reason: GH_VBIOS_OK or why the ROM was rejected
 * @reason_offset: ROM offset where the problem was found
 * @warnings: GH_VBIOS_WARN_* bits
 * @nr_images: images parsed (on reject: those before the bad one)
 * @images: the images
 * @length: bytes from the start to the end of the last image (valid ROMs)
 * @score: 0 for a rejected ROM, higher is better (see gh_vbios_parse())
 */
struct gh_vbios_info {
	enum gh_vbios_reason reason;
	u32 reason_offset;
	u32 warnings;
	unsigned int nr_images;
	struct gh_vbios_image images[GH_VBIOS_MAX_IMAGES];
	u32 length;
	int score;
};

int gh_vbios_parse(const u8 *data, size_t len, u16 vendor, u16 device,
		   struct gh_vbios_info *info);
long gh_vbios_find_start(const u8 *data, size_t len);
const char *gh_vbios_reason_str(enum gh_vbios_reason reason);
const char *gh_vbios_code_type_str(u8 code_type);
const char *gh_vbios_csum_str(enum gh_vbios_csum csum);
const char *gh_vbios_machine_str(u16 machine);
int gh_vbios_summary(const struct gh_vbios_info *info, char *buf, size_t len);

#endif /* GH_VBIOS_H */
