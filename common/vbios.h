/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * vbios.h - the PCI option-ROM (vBIOS) parser shared by gpuhelper.ko and
 * the CLI.
 *
 * A ROM is a chain of images. The rules are those of Linux's nouveau
 * (drivers/gpu/drm/nouveau/nvkm/subdev/bios/image.c, pcir.c, npde.c),
 * which reads every NVIDIA GPU's vBIOS:
 *  - an image starts with the signature 0xAA55 (the bytes 55 AA), 0xBB77
 *    or 0x4E56 ("NV", the bytes 56 4E);
 *  - the 16-bit pointer at +0x18 leads to a data structure "PCIR", "RGIS"
 *    or "NPDS" giving vendor, device, class, the image length in 512-byte
 *    units, the code type and a last-image flag;
 *  - unless the code type is 0x70, an "NPDE" structure may sit at the first
 *    16-byte boundary after that structure: its length and last-image flag
 *    override the data structure's;
 *  - an image of code type 0x70 ends the chain, whatever its flags say.
 *
 * Real NVIDIA laptop ROMs (Pascal) are an x86 image whose PCIR length
 * covers the whole ROM and whose PCIR says "last", corrected by an NPDE,
 * then "NV" images with NPDS structures (code type 0xE0), then a 0x70
 * image. Turing puts an EFI image before the NV images.
 *
 * gh_vbios_parse() walks the chain with every offset bounds-checked and
 * either accepts it or names one specific reason it is rejected; it never
 * reads outside the buffer it is given. A bad x86 checksum is a warning
 * that lowers the score, as in nouveau, not a rejection. The parse can be
 * resumed as more data arrives (gh_vbios_parse_more()), so reading a ROM
 * in chunks costs one pass over it.
 */
#ifndef GH_VBIOS_H
#define GH_VBIOS_H

#include "gh_types.h"

#define GH_VBIOS_MAX_IMAGES	16
/* The PCIR length field is 16 bits of 512-byte units: 32 MiB at most. */
#define GH_VBIOS_MAX_SIZE	(32U << 20)
/* The most an ACPI _ROM call returns, and the chunk the shadow reads. */
#define GH_VBIOS_ACPI_CHUNK	4096U

/* Image signatures, as the little-endian u16 at the image start */
#define GH_VBIOS_SIG_PCI	0xaa55	/* 55 AA: the PCI Firmware Specification's */
#define GH_VBIOS_SIG_BB77	0xbb77	/* 77 BB: NVIDIA, accepted by nouveau */
#define GH_VBIOS_SIG_NV		0x4e56	/* 56 4E "VN": NVIDIA's extra images */

/* Data structure signatures (little-endian u32) */
#define GH_VBIOS_DS_PCIR	0x52494350	/* "PCIR" */
#define GH_VBIOS_DS_RGIS	0x53494752	/* "RGIS" */
#define GH_VBIOS_DS_NPDS	0x5344504e	/* "NPDS" */

/* PCI Firmware Specification code types */
#define GH_VBIOS_CODE_X86	0x00
#define GH_VBIOS_CODE_OPENFW	0x01
#define GH_VBIOS_CODE_HPPA	0x02
#define GH_VBIOS_CODE_EFI	0x03
/* NVIDIA's: the firmware images after the x86/EFI ones, and the last one */
#define GH_VBIOS_CODE_NV_E0	0xe0
#define GH_VBIOS_CODE_NV_70	0x70

/**
 * enum gh_vbios_reason - why a ROM was rejected; GH_VBIOS_OK when it was not
 * @GH_VBIOS_OK: a valid chain of images
 * @GH_VBIOS_EMPTY: no data at all
 * @GH_VBIOS_TOO_LARGE: more data than any option ROM can describe
 * @GH_VBIOS_TRUNCATED: the data ends inside a header or data structure
 * @GH_VBIOS_BAD_SIGNATURE: an image does not start with 55 AA, 77 BB or 56 4E
 * @GH_VBIOS_BAD_PCIR: the data structure pointer, signature or length is wrong
 * @GH_VBIOS_ZERO_LENGTH: an image claims length 0, so the chain would loop
 * @GH_VBIOS_OVERLAP: an image's data structure or EFI header lies outside
 *	the image
 * @GH_VBIOS_OVERLONG: an image runs past the end of the data
 * @GH_VBIOS_TOO_MANY_IMAGES: more than GH_VBIOS_MAX_IMAGES images
 * @GH_VBIOS_NO_LAST_IMAGE: the data ends and no image had the last flag
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
	GH_VBIOS_BAD_EFI_HEADER,
	GH_VBIOS_NR_REASONS,
};

/* Warnings: the ROM is accepted, but something is worth telling. */
#define GH_VBIOS_WARN_ID_MISMATCH	0x1U /* vendor/device differ from the device's */
#define GH_VBIOS_WARN_TRAILING_DATA	0x2U /* bytes after the last image, not padding */
#define GH_VBIOS_WARN_BAD_CHECKSUM	0x4U /* an x86 image's bytes do not sum to 0 */
#define GH_VBIOS_WARN_PADDING		0x8U /* 0xFF or 0x00 bytes after the last image */
/*
 * Byte 2 of an x86 image (its run-time size) is not checked against the
 * image length: real NVIDIA ROMs differ there (a GTX 1050 Mobile's says
 * 0xd2, 107520 bytes, for a 61952-byte image). It is shown as @size_byte.
 */

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
 * @length: its length in bytes: the NPDE's when there is one, else the
 *	data structure's
 * @signature: GH_VBIOS_SIG_*
 * @ds_signature: GH_VBIOS_DS_* of its data structure
 * @ds_offset: data structure offset from the image start (the pointer at +0x18)
 * @ds_length: the data structure's own length field
 * @vendor: vendor ID in the data structure
 * @device: device ID in the data structure
 * @class_code: 24-bit class code
 * @pcir_revision: data structure revision
 * @code_revision: revision of the code/data in the image
 * @code_type: GH_VBIOS_CODE_*
 * @pcir_length: the image length the data structure gives, in bytes
 * @pcir_last: the data structure's last-image flag
 * @npde: an NVIDIA NPDE extension gave @length and @last
 * @npde_offset: the NPDE's offset from the image start, when @npde
 * @npde_length: the NPDE's image length in bytes, when @npde
 * @npde_last: the NPDE's last-image flag, when @npde
 * @last: the image ends the chain (NPDE, else data structure flag; always
 *	for code type 0x70)
 * @csum: checksum state (x86 images only)
 * @size_byte: byte 2 of the image, its run-time size in 512-byte units (x86)
 * @efi: the EFI header, valid when @code_type is GH_VBIOS_CODE_EFI
 */
struct gh_vbios_image {
	u32 offset;
	u32 length;
	u16 signature;
	u32 ds_signature;
	u16 ds_offset;
	u16 ds_length;
	u16 vendor;
	u16 device;
	u32 class_code;
	u8 pcir_revision;
	u16 code_revision;
	u8 code_type;
	u32 pcir_length;
	bool pcir_last;
	bool npde;
	u16 npde_offset;
	u32 npde_length;
	bool npde_last;
	bool last;
	enum gh_vbios_csum csum;
	u8 size_byte;
	struct gh_vbios_efi efi;
};

/**
 * struct gh_vbios_info - what gh_vbios_parse() found
 * @reason: GH_VBIOS_OK or why the ROM was rejected
 * @reason_offset: ROM offset where the problem was found
 * @warnings: GH_VBIOS_WARN_* bits
 * @nr_images: images parsed (on reject: the complete ones before the bad one)
 * @images: the images
 * @length: bytes from the start to the end of the last image (valid ROMs)
 * @data_length: the bytes the parse was given
 * @need: when the data ended too early (gh_vbios_wants_more()): how many
 *	bytes from the start the parse needs to go on
 * @score: 0 for a rejected ROM, higher is better (see gh_vbios_parse())
 */
struct gh_vbios_info {
	enum gh_vbios_reason reason;
	u32 reason_offset;
	u32 warnings;
	unsigned int nr_images;
	struct gh_vbios_image images[GH_VBIOS_MAX_IMAGES];
	u32 length;
	u32 data_length;
	u32 need;
	int score;
};

int gh_vbios_parse(const u8 *data, size_t len, u16 vendor, u16 device,
		   struct gh_vbios_info *info);
int gh_vbios_parse_more(const u8 *data, size_t len, u16 vendor, u16 device,
			struct gh_vbios_info *info);
bool gh_vbios_wants_more(const struct gh_vbios_info *info);
long gh_vbios_find_start(const u8 *data, size_t len);
const char *gh_vbios_reason_str(enum gh_vbios_reason reason);
const char *gh_vbios_code_type_str(u8 code_type);
const char *gh_vbios_csum_str(enum gh_vbios_csum csum);
const char *gh_vbios_machine_str(u16 machine);
const char *gh_vbios_ds_str(u32 ds_signature);
int gh_vbios_summary(const struct gh_vbios_info *info, char *buf, size_t len);

#endif /* GH_VBIOS_H */
