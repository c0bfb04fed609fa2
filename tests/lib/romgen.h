/* SPDX-License-Identifier: GPL-2.0 */
/*
 * romgen.h - build deterministic test option ROMs: chains of images with
 * 55 AA signatures, PCIR structures, an x86 image with a correct checksum
 * and EFI images with an EFI header, the rest filled from a seeded PRNG.
 * Used by tests/host/vbios_test.c, the fuzz seed corpus and tests/lib/mkrom.
 *
 * Layout of each generated image (offsets from the image start):
 *   0x00 55 AA, 0x02 length/512, 0x04..0x17 EFI header (EFI images),
 *   0x18 PCIR pointer (0x40), 0x40 PCIR (0x18 bytes), 0x60.. random data,
 *   last byte: checksum fix-up (x86 images).
 */
#ifndef GH_ROMGEN_H
#define GH_ROMGEN_H

#include <stdint.h>
#include <string.h>

#define ROMGEN_PCIR	0x40
#define ROMGEN_EFI_PE	0x60

struct romgen_image {
	uint8_t code_type;	/* 0 x86, 3 EFI */
	uint16_t vendor;
	uint16_t device;
	uint32_t length;	/* bytes, a multiple of 512 */
	int last;
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
	uint8_t *pcir = p + ROMGEN_PCIR;
	uint32_t i;
	uint8_t sum = 0;

	for (i = 0; i < img->length; i++)
		p[i] = (uint8_t)romgen_rand(seed);
	p[0] = 0x55;
	p[1] = 0xaa;
	p[2] = (uint8_t)(img->length / 512);
	if (img->code_type == 3) {
		romgen_put16(p + 0x02, (uint16_t)(img->length / 512));
		romgen_put16(p + 0x04, 0x0ef1);
		romgen_put16(p + 0x08, 11);		/* boot service driver */
		romgen_put16(p + 0x0a, 0x8664);	/* x64 */
		romgen_put16(p + 0x0c, 1);		/* EFI compressed */
		memset(p + 0x0e, 0, 8);
		romgen_put16(p + 0x16, ROMGEN_EFI_PE);
	}
	romgen_put16(p + 0x18, ROMGEN_PCIR);
	memset(pcir, 0, 0x18);
	memcpy(pcir, "PCIR", 4);
	romgen_put16(pcir + 0x04, img->vendor);
	romgen_put16(pcir + 0x06, img->device);
	romgen_put16(pcir + 0x0a, 0x18);
	pcir[0x0c] = 0;
	pcir[0x0d] = 0x00;	/* class 030000: VGA controller */
	pcir[0x0e] = 0x00;
	pcir[0x0f] = 0x03;
	romgen_put16(pcir + 0x10, (uint16_t)(img->length / 512));
	romgen_put16(pcir + 0x12, 1);
	pcir[0x14] = img->code_type;
	pcir[0x15] = img->last ? 0x80 : 0;
	/* no NPDE extension: 0x60, where one would be, holds a PE "MZ" */
	memset(pcir + 0x18, 0, 8);
	p[ROMGEN_EFI_PE] = 'M';
	p[ROMGEN_EFI_PE + 1] = 'Z';
	if (img->code_type == 0) {
		/* the init entry point: retf, so SeaBIOS runs the ROM harmlessly */
		p[3] = 0xcb;
		for (i = 0; i + 1 < img->length; i++)
			sum += p[i];
		p[img->length - 1] = (uint8_t)(0x100 - sum);
	}
}

/*
 * The standard test vBIOS: an x86 image of @x86_len bytes and an EFI image
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

#endif /* GH_ROMGEN_H */
