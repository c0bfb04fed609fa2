/* SPDX-License-Identifier: GPL-2.0 */
/*
 * romgen.h - build deterministic test option ROMs in the layouts real GPUs
 * carry, filled from a seeded PRNG. Used by tests/host/vbios_test.c, the
 * fuzz seed corpus, the benchmarks and tests/lib/mkrom (the guest rigs).
 *
 * Layouts (romgen_layout()), each modelled on public dumps of real vBIOSes
 * read by the rules of Linux's nouveau (nvkm/subdev/bios/image.c, pcir.c,
 * npde.c); sizes and header offsets are those dumps':
 *   simple  an x86 image and an EFI image, PCIR only (the PCI Firmware
 *           Specification's layout; what gpuhelper's first tests used)
 *   pascal  a GTX 1050 Mobile's (GP107M): an x86 image whose PCIR (at
 *           0x1a0) claims the whole ROM and "last", corrected by an NPDE;
 *           two "NV" images (56 4E) with NPDS structures of code type 0xE0
 *           and their own NPDEs; a 2560-byte image of code type 0x70 whose
 *           flags do not say "last". 168448 bytes.
 *   turing  an RTX 2060's (TU106): x86 and EFI images with NPDEs, the EFI
 *           PCIR saying "last" and its NPDE not; three NV images, the last
 *           of type 0x70. 326656 bytes.
 *   flash   a full-flash dump (nvflash of a newer GPU): an "NVGI" header
 *           holding a stray 55 AA, the pascal chain, then erased flash
 *           (0xFF) up to 256 KiB.
 * Every x86 image has a correct checksum, its size in byte 2 and a retf at
 * its init entry point, so SeaBIOS runs it harmlessly in the test guests.
 */
#ifndef GH_ROMGEN_H
#define GH_ROMGEN_H

#include <stdint.h>
#include <string.h>

#define ROMGEN_PCIR	0x40
#define ROMGEN_EFI_PE	0x60
#define ROMGEN_MAX	(1U << 20)	/* the largest layout, with room */

/**
 * struct romgen_image - one image to write
 * @code_type: 0 x86, 3 EFI, 0xe0 or 0x70 NVIDIA
 * @vendor: data structure vendor ID
 * @device: data structure device ID
 * @length: bytes, a multiple of 512
 * @last: the data structure's last-image flag
 * @signature: the image signature, 0 for 0xaa55 (55 AA)
 * @npds: an "NPDS" data structure instead of "PCIR"
 * @ds_ptr: the data structure's offset (the pointer at +0x18), 0: ROMGEN_PCIR
 * @ds_len: the data structure's length field, 0: 0x18
 * @pcir_length: the length the data structure claims, 0: @length
 * @npde: add an NPDE giving @length and @npde_last
 * @npde_last: the NPDE's last-image flag
 * @efi_pe: the EFI image's PE offset, 0: ROMGEN_EFI_PE
 */
struct romgen_image {
	uint8_t code_type;
	uint16_t vendor;
	uint16_t device;
	uint32_t length;
	int last;
	uint16_t signature;
	int npds;
	uint16_t ds_ptr;
	uint16_t ds_len;
	uint32_t pcir_length;
	int npde;
	int npde_last;
	uint16_t efi_pe;
};

static inline uint32_t romgen_rand(uint32_t *s)
{
	/* xorshift32: the same bytes for the same seed everywhere */
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static inline void romgen_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* Write one image at @p (room for img->length bytes). */
static inline void romgen_image(uint8_t *p, const struct romgen_image *img,
				uint32_t *seed)
{
	uint16_t ds_ptr = img->ds_ptr ? img->ds_ptr : ROMGEN_PCIR;
	uint16_t ds_len = img->ds_len ? img->ds_len : 0x18;
	uint16_t pe = img->efi_pe ? img->efi_pe : ROMGEN_EFI_PE;
	uint32_t claimed = img->pcir_length ? img->pcir_length : img->length;
	uint32_t npde_off = (ds_ptr + ds_len + 0x0f) & ~0x0fU;
	uint8_t *ds = p + ds_ptr, *npde = p + npde_off;
	uint32_t i;
	uint8_t sum = 0;

	for (i = 0; i < img->length; i++)
		p[i] = (uint8_t)romgen_rand(seed);
	romgen_put16(p, img->signature ? img->signature : 0xaa55);
	memset(p + 2, 0, 0x16);		/* the header up to the pointer */
	p[2] = (uint8_t)(img->length / 512);
	if (img->code_type == 3) {
		romgen_put16(p + 0x02, (uint16_t)(img->length / 512));
		romgen_put16(p + 0x04, 0x0ef1);
		romgen_put16(p + 0x08, 11);		/* boot service driver */
		romgen_put16(p + 0x0a, 0x8664);	/* x64 */
		romgen_put16(p + 0x0c, 1);		/* EFI compressed */
		romgen_put16(p + 0x16, pe);
	}
	romgen_put16(p + 0x18, ds_ptr);
	memset(ds, 0, ds_len);
	memcpy(ds, img->npds ? "NPDS" : "PCIR", 4);
	romgen_put16(ds + 0x04, img->vendor);
	romgen_put16(ds + 0x06, img->device);
	romgen_put16(ds + 0x0a, ds_len);
	if (!img->npds) {
		ds[0x0c] = img->npde ? 3 : 0;	/* revision 3: PCI FW spec 3.0 */
		ds[0x0f] = 0x03;		/* class 030000: VGA controller */
	}
	romgen_put16(ds + 0x10, (uint16_t)(claimed / 512));
	romgen_put16(ds + 0x12, img->npds ? 0 : 1);
	ds[0x14] = img->code_type;
	ds[0x15] = img->last ? 0x80 : 0;
	/* the NPDE's place: one (16 bytes in EFI images, else 20), or none */
	memset(npde, 0, 0x10);
	if (img->npde) {
		memcpy(npde, "NPDE", 4);
		romgen_put16(npde + 0x04, 0x0101);
		romgen_put16(npde + 0x06, img->code_type == 3 ? 0x10 : 0x14);
		romgen_put16(npde + 0x08, (uint16_t)(img->length / 512));
		npde[0x0a] = img->npde_last ? 0x80 : 0;
	}
	/* the PE image of an EFI ROM (in the simple layout where an NPDE could be) */
	if (img->code_type == 3) {
		p[pe] = 'M';
		p[pe + 1] = 'Z';
	}
	if (img->code_type == 0) {
		/* the init entry point: retf, so SeaBIOS runs the ROM harmlessly */
		p[3] = 0xcb;
		for (i = 0; i + 1 < img->length; i++)
			sum += p[i];
		p[img->length - 1] = (uint8_t)(0x100 - sum);
	}
}

/*
 * The simple vBIOS: an x86 image of @x86_len bytes and an EFI image
 * filling the rest of @total bytes (both multiples of 512), vendor:device
 * as given. Returns @total.
 */
static inline uint32_t romgen_standard(uint8_t *buf, uint32_t total,
				       uint32_t x86_len, uint16_t vendor,
				       uint16_t device, uint32_t seed)
{
	struct romgen_image x86 = { 0, vendor, device, x86_len, 0 };
	struct romgen_image efi = { 3, vendor, device, total - x86_len, 1 };

	if (!seed)
		seed = 1;
	romgen_image(buf, &x86, &seed);
	romgen_image(buf + x86_len, &efi, &seed);
	return total;
}

/* Write @n images back to back; returns the bytes written. */
static inline uint32_t romgen_chain(uint8_t *buf, const struct romgen_image *imgs,
				    unsigned int n, uint32_t seed)
{
	uint32_t off = 0;
	unsigned int i;

	if (!seed)
		seed = 1;
	for (i = 0; i < n; i++) {
		romgen_image(buf + off, &imgs[i], &seed);
		off += imgs[i].length;
	}
	return off;
}

/* A GTX 1050 Mobile's layout; the NV images carry the family's ID. */
static inline uint32_t romgen_pascal(uint8_t *buf, uint16_t vendor,
				     uint16_t device, uint32_t seed)
{
	uint16_t fam = device & 0xfff0;
	const struct romgen_image imgs[] = {
		{ .code_type = 0, .vendor = vendor, .device = device,
		  .length = 61952, .last = 1, .ds_ptr = 0x1a0, .ds_len = 0x1c,
		  .pcir_length = 168448, .npde = 1, .npde_last = 0 },
		{ .code_type = 0xe0, .vendor = vendor, .device = fam,
		  .length = 45568, .signature = 0x4e56, .npds = 1,
		  .ds_ptr = 0xb0, .npde = 1 },
		{ .code_type = 0xe0, .vendor = vendor, .device = fam,
		  .length = 58368, .signature = 0x4e56, .npds = 1,
		  .ds_ptr = 0x20, .npde = 1 },
		{ .code_type = 0x70, .vendor = vendor, .device = 0,
		  .length = 2560, .last = 0, .signature = 0x4e56, .npds = 1,
		  .ds_ptr = 0x20 },
	};

	return romgen_chain(buf, imgs, sizeof(imgs) / sizeof(imgs[0]), seed);
}

/* An RTX 2060's layout: x86, EFI, then the NV images. */
static inline uint32_t romgen_turing(uint8_t *buf, uint16_t vendor,
				     uint16_t device, uint32_t seed)
{
	uint16_t fam = device & 0xfff0;
	const struct romgen_image imgs[] = {
		{ .code_type = 0, .vendor = vendor, .device = device,
		  .length = 59904, .last = 0, .ds_ptr = 0x1a0, .ds_len = 0x1c,
		  .npde = 1 },
		{ .code_type = 3, .vendor = vendor, .device = device,
		  .length = 69632, .last = 1, .ds_ptr = 0x1c, .ds_len = 0x1c,
		  .npde = 1, .npde_last = 0, .efi_pe = 0x50 },
		{ .code_type = 0xe0, .vendor = vendor, .device = fam,
		  .length = 49664, .signature = 0x4e56, .npds = 1,
		  .ds_ptr = 0xb0, .npde = 1 },
		{ .code_type = 0xe0, .vendor = vendor, .device = fam,
		  .length = 140288, .signature = 0x4e56, .npds = 1,
		  .ds_ptr = 0x20, .npde = 1 },
		{ .code_type = 0x70, .vendor = vendor, .device = 0,
		  .length = 7168, .last = 1, .signature = 0x4e56, .npds = 1,
		  .ds_ptr = 0x20 },
	};

	return romgen_chain(buf, imgs, sizeof(imgs) / sizeof(imgs[0]), seed);
}

#define ROMGEN_FLASH_HEADER	0x4600	/* 17920 bytes, as a TU117M dump's */
#define ROMGEN_FLASH_SIZE	0x40000	/* 256 KiB of flash */

/*
 * A full-flash dump: header, the pascal chain, erased flash. Returns the
 * dump's length; *@rom_off and *@rom_len say where the ROM is in it.
 */
static inline uint32_t romgen_flash(uint8_t *buf, uint16_t vendor, uint16_t device,
				    uint32_t seed, uint32_t *rom_off, uint32_t *rom_len)
{
	uint32_t s = seed ? seed : 1, i, len;

	for (i = 0; i < ROMGEN_FLASH_HEADER; i++)
		buf[i] = (uint8_t)romgen_rand(&s);
	memcpy(buf, "NVGI", 4);
	/* a stray 55 AA with no image behind it */
	buf[0x300] = 0x55;
	buf[0x301] = 0xaa;
	memset(buf + 0x302, 0, 0x20);
	len = romgen_pascal(buf + ROMGEN_FLASH_HEADER, vendor, device, seed);
	memset(buf + ROMGEN_FLASH_HEADER + len, 0xff,
	       ROMGEN_FLASH_SIZE - ROMGEN_FLASH_HEADER - len);
	*rom_off = ROMGEN_FLASH_HEADER;
	*rom_len = len;
	return ROMGEN_FLASH_SIZE;
}

enum romgen_kind { ROMGEN_SIMPLE, ROMGEN_PASCAL, ROMGEN_TURING, ROMGEN_FLASH, ROMGEN_NR };

static const char *const romgen_names[ROMGEN_NR] = { "simple", "pascal", "turing", "flash" };

/*
 * Write layout @kind into @buf (ROMGEN_MAX bytes); the simple layout is
 * 164 KiB with a 60 KiB x86 image. Returns the length written; *@rom_off
 * and *@rom_len say where the ROM proper is (a flash dump has more).
 */
static inline uint32_t romgen_layout(enum romgen_kind kind, uint8_t *buf,
				     uint16_t vendor, uint16_t device, uint32_t seed,
				     uint32_t *rom_off, uint32_t *rom_len)
{
	uint32_t len;

	*rom_off = 0;
	switch (kind) {
	case ROMGEN_PASCAL:
		len = romgen_pascal(buf, vendor, device, seed);
		break;
	case ROMGEN_TURING:
		len = romgen_turing(buf, vendor, device, seed);
		break;
	case ROMGEN_FLASH:
		return romgen_flash(buf, vendor, device, seed, rom_off, rom_len);
	default:
		len = romgen_standard(buf, 164 * 1024, 60 * 1024, vendor, device, seed);
		break;
	}
	*rom_len = len;
	return len;
}

#endif /* GH_ROMGEN_H */
