// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vbios.c - parse and validate a PCI option ROM (a GPU's vBIOS).
 *
 * Built into gpuhelper.ko (to pick the best vBIOS source) and into the
 * CLI (vbios info/strip), and fuzzed in userspace. Every read goes through
 * rd8/rd16/rd32 after an explicit range check against the data length.
 */
#include "vbios.h"

#define ROM_SIG			0xaa55	/* bytes 0x55 0xAA, little endian */
#define ROM_PCIR_PTR		0x18
#define ROM_HDR_MIN		0x1a	/* signature .. PCIR pointer */

#define PCIR_SIG		0x52494350	/* "PCIR" */
#define PCIR_MIN_LEN		0x18
#define PCIR_VENDOR		0x04
#define PCIR_DEVICE		0x06
#define PCIR_LEN		0x0a
#define PCIR_REV		0x0c
#define PCIR_CLASS		0x0d
#define PCIR_IMAGE_LEN		0x10
#define PCIR_CODE_REV		0x12
#define PCIR_CODE_TYPE		0x14
#define PCIR_INDICATOR		0x15
#define PCIR_LAST_IMAGE		0x80

#define NPDE_SIG		0x4544504e	/* "NPDE" */
#define NPDE_MIN_LEN		0x0b
#define NPDE_IMAGE_LEN		0x08
#define NPDE_INDICATOR		0x0a

#define EFI_SIG			0x0ef1
#define EFI_HDR_SIG		0x04
#define EFI_HDR_SUBSYSTEM	0x08
#define EFI_HDR_MACHINE		0x0a
#define EFI_HDR_COMPRESSION	0x0c
#define EFI_HDR_IMAGE_OFF	0x16

static u8 rd8(const u8 *p, size_t off)
{
	return p[off];
}

static u16 rd16(const u8 *p, size_t off)
{
	return (u16)(p[off] | (p[off + 1] << 8));
}

static u32 rd32(const u8 *p, size_t off)
{
	return (u32)p[off] | ((u32)p[off + 1] << 8) | ((u32)p[off + 2] << 16) |
	       ((u32)p[off + 3] << 24);
}

/* Is [off, off + n) inside a buffer of @len bytes? Overflow-safe. */
static bool fits(size_t len, size_t off, size_t n)
{
	return n <= len && off <= len - n;
}

static int reject(struct gh_vbios_info *info, enum gh_vbios_reason reason,
		  size_t offset)
{
	info->reason = reason;
	info->reason_offset = (u32)offset;
	info->score = 0;
	return -EINVAL;
}

/*
 * The NVIDIA NPDE extension sits at the first 16-byte boundary after the
 * PCIR structure and, when present, gives the real image length and the
 * last-image flag. Returns true when one was found and applied.
 */
static bool parse_npde(const u8 *rom, size_t len, size_t pcir, u16 pcir_len,
		       struct gh_vbios_image *img)
{
	size_t npde = (pcir + pcir_len + 0x0f) & ~(size_t)0x0f;
	u32 npde_len;

	if (!fits(len, npde, NPDE_MIN_LEN) || rd32(rom, npde) != NPDE_SIG)
		return false;
	npde_len = (u32)rd16(rom, npde + NPDE_IMAGE_LEN) * 512;
	if (!npde_len)
		return false;
	img->length = npde_len;
	img->last = rd8(rom, npde + NPDE_INDICATOR) & PCIR_LAST_IMAGE;
	img->npde = true;
	return true;
}

/* Parse the image at @off; 0 or a reason (the caller records it). */
static enum gh_vbios_reason parse_image(const u8 *rom, size_t len, size_t off,
					struct gh_vbios_image *img,
					u32 *warnings, size_t *where)
{
	size_t pcir;
	u16 pcir_ptr, pcir_len;

	*where = off;
	if (!fits(len, off, 2))
		return GH_VBIOS_TRUNCATED;
	if (rd16(rom, off) != ROM_SIG)
		return GH_VBIOS_BAD_SIGNATURE;
	if (!fits(len, off, ROM_HDR_MIN))
		return GH_VBIOS_TRUNCATED;

	pcir_ptr = rd16(rom, off + ROM_PCIR_PTR);
	pcir = off + pcir_ptr;
	*where = pcir;
	if (pcir_ptr < ROM_HDR_MIN || (pcir_ptr & 3))
		return GH_VBIOS_BAD_PCIR;
	if (!fits(len, pcir, PCIR_MIN_LEN))
		return GH_VBIOS_TRUNCATED;
	if (rd32(rom, pcir) != PCIR_SIG)
		return GH_VBIOS_BAD_PCIR;
	pcir_len = rd16(rom, pcir + PCIR_LEN);
	if (pcir_len < PCIR_MIN_LEN)
		return GH_VBIOS_BAD_PCIR;
	if (!fits(len, pcir, pcir_len))
		return GH_VBIOS_TRUNCATED;

	memset(img, 0, sizeof(*img));
	img->offset = (u32)off;
	img->pcir_offset = pcir_ptr;
	img->vendor = rd16(rom, pcir + PCIR_VENDOR);
	img->device = rd16(rom, pcir + PCIR_DEVICE);
	img->pcir_revision = rd8(rom, pcir + PCIR_REV);
	img->class_code = rd8(rom, pcir + PCIR_CLASS) |
			  (rd8(rom, pcir + PCIR_CLASS + 1) << 8) |
			  ((u32)rd8(rom, pcir + PCIR_CLASS + 2) << 16);
	img->length = (u32)rd16(rom, pcir + PCIR_IMAGE_LEN) * 512;
	img->code_revision = rd16(rom, pcir + PCIR_CODE_REV);
	img->code_type = rd8(rom, pcir + PCIR_CODE_TYPE);
	img->last = rd8(rom, pcir + PCIR_INDICATOR) & PCIR_LAST_IMAGE;

	if (img->code_type != GH_VBIOS_CODE_NV_70)
		parse_npde(rom, len, pcir, pcir_len, img);

	*where = off;
	if (!img->length)
		return GH_VBIOS_ZERO_LENGTH;
	if ((size_t)pcir_ptr + pcir_len > img->length)
		return GH_VBIOS_OVERLAP;
	if (!fits(len, off, img->length))
		return GH_VBIOS_OVERLONG;
	if (img->code_type == GH_VBIOS_CODE_X86 &&
	    (u32)rd8(rom, off + 2) * 512 != img->length)
		*warnings |= GH_VBIOS_WARN_SIZE_MISMATCH;

	if (img->code_type == GH_VBIOS_CODE_X86) {
		u8 sum = 0;
		size_t i;

		for (i = 0; i < img->length; i++)
			sum += rom[off + i];
		img->csum = sum ? GH_VBIOS_CSUM_BAD : GH_VBIOS_CSUM_OK;
		if (sum)
			return GH_VBIOS_BAD_CHECKSUM;
	}

	if (img->code_type == GH_VBIOS_CODE_EFI) {
		/* the EFI header ends before the PCIR pointer at 0x18 */
		if (rd16(rom, off + EFI_HDR_SIG) != EFI_SIG)
			return GH_VBIOS_BAD_EFI_HEADER;
		img->efi.subsystem = rd16(rom, off + EFI_HDR_SUBSYSTEM);
		img->efi.machine = rd16(rom, off + EFI_HDR_MACHINE);
		img->efi.compression = rd16(rom, off + EFI_HDR_COMPRESSION);
		img->efi.image_offset = rd16(rom, off + EFI_HDR_IMAGE_OFF);
		if (img->efi.image_offset < ROM_HDR_MIN ||
		    img->efi.image_offset >= img->length)
			return GH_VBIOS_BAD_EFI_HEADER;
	}
	return GH_VBIOS_OK;
}

/*
 * Score a valid ROM: more is better. A ROM for the right device beats any
 * ROM for another; then one with the x86 image (what drivers parse for
 * their tables) beats one without; then one with an EFI image (the GOP a
 * UEFI guest needs); trailing data costs a little.
 */
static int score(const struct gh_vbios_info *info)
{
	bool x86 = false, efi = false;
	unsigned int i;
	int s = 1;

	for (i = 0; i < info->nr_images; i++) {
		x86 |= info->images[i].code_type == GH_VBIOS_CODE_X86;
		efi |= info->images[i].code_type == GH_VBIOS_CODE_EFI;
	}
	if (!(info->warnings & GH_VBIOS_WARN_ID_MISMATCH))
		s += 8;
	if (x86)
		s += 4;
	if (efi)
		s += 2;
	if (!(info->warnings & GH_VBIOS_WARN_TRAILING_DATA))
		s += 1;
	return s;
}

/**
 * gh_vbios_parse() - validate a ROM and describe its images
 * @data: the ROM bytes, starting with the first image's 0x55 0xAA
 * @len: number of bytes in @data
 * @vendor: PCI vendor ID of the device the ROM is for, 0 not to check
 * @device: PCI device ID of that device
 * @info: receives the result; always filled, also on reject
 *
 * Walks the image chain to the image with the last-image flag. Each image
 * needs the signature, a PCIR structure inside it, a non-zero length
 * within the data, a zero checksum if it is x86 code and a valid header if
 * it is EFI. A vendor/device different from @vendor/@device in the first
 * image is a warning (GH_VBIOS_WARN_ID_MISMATCH), not a rejection, as
 * laptop vBIOSes often carry another device ID of the same family.
 *
 * Return: 0 with @info->score > 0 for a valid ROM, or -EINVAL with
 * @info->reason and @info->reason_offset saying why and where.
 */
int gh_vbios_parse(const u8 *data, size_t len, u16 vendor, u16 device,
		   struct gh_vbios_info *info)
{
	size_t off = 0;

	memset(info, 0, sizeof(*info));
	if (!data || !len)
		return reject(info, GH_VBIOS_EMPTY, 0);
	if (len > GH_VBIOS_MAX_SIZE)
		return reject(info, GH_VBIOS_TOO_LARGE, GH_VBIOS_MAX_SIZE);

	for (;;) {
		struct gh_vbios_image *img;
		enum gh_vbios_reason r;
		size_t where;

		if (info->nr_images == GH_VBIOS_MAX_IMAGES)
			return reject(info, GH_VBIOS_TOO_MANY_IMAGES, off);
		if (off == len && info->nr_images)
			return reject(info, GH_VBIOS_NO_LAST_IMAGE, off);
		img = &info->images[info->nr_images];
		r = parse_image(data, len, off, img, &info->warnings, &where);
		if (r != GH_VBIOS_OK) {
			/* keep what was read of a bad x86 image: its checksum */
			if (r == GH_VBIOS_BAD_CHECKSUM)
				info->nr_images++;
			return reject(info, r, where);
		}
		info->nr_images++;
		off += img->length;
		if (img->last)
			break;
	}

	info->length = (u32)off;
	if (off < len)
		info->warnings |= GH_VBIOS_WARN_TRAILING_DATA;
	if (vendor && (info->images[0].vendor != vendor ||
		       info->images[0].device != device))
		info->warnings |= GH_VBIOS_WARN_ID_MISMATCH;
	info->reason = GH_VBIOS_OK;
	info->score = score(info);
	return 0;
}

/**
 * gh_vbios_find_start() - find where a valid ROM starts in a dump
 * @data: the dump
 * @len: its length
 *
 * Some dump tools prepend their own header to the ROM. This returns the
 * first offset from which gh_vbios_parse() accepts the rest.
 *
 * Return: the offset, or -ENOENT when no offset holds a valid ROM.
 */
long gh_vbios_find_start(const u8 *data, size_t len)
{
	struct gh_vbios_info info;
	size_t off;

	if (!data || len > GH_VBIOS_MAX_SIZE)
		return -ENOENT;
	for (off = 0; off + 1 < len; off++) {
		if (data[off] != 0x55 || data[off + 1] != 0xaa)
			continue;
		if (!gh_vbios_parse(data + off, len - off, 0, 0, &info))
			return (long)off;
	}
	return -ENOENT;
}

static const char *const reason_str[GH_VBIOS_NR_REASONS] = {
	[GH_VBIOS_OK] = "valid",
	[GH_VBIOS_EMPTY] = "no data",
	[GH_VBIOS_TOO_LARGE] = "larger than any option ROM (32 MiB)",
	[GH_VBIOS_TRUNCATED] = "truncated: the data ends inside a header",
	[GH_VBIOS_BAD_SIGNATURE] = "bad signature: an image does not start with 55 AA",
	[GH_VBIOS_BAD_PCIR] = "bad PCIR structure: wrong pointer, signature or length",
	[GH_VBIOS_ZERO_LENGTH] = "image length 0: the image chain would loop",
	[GH_VBIOS_OVERLAP] = "image headers overlap the next image",
	[GH_VBIOS_OVERLONG] = "overlong image: it runs past the end of the data",
	[GH_VBIOS_TOO_MANY_IMAGES] = "too many images in the chain",
	[GH_VBIOS_NO_LAST_IMAGE] = "no image carries the last-image flag",
	[GH_VBIOS_BAD_CHECKSUM] = "bad checksum: the legacy image's bytes do not sum to 0",
	[GH_VBIOS_BAD_EFI_HEADER] = "bad EFI image header",
};

/**
 * gh_vbios_reason_str() - describe a reject reason
 * @reason: the reason
 *
 * Return: a constant string.
 */
const char *gh_vbios_reason_str(enum gh_vbios_reason reason)
{
	if ((unsigned int)reason >= GH_VBIOS_NR_REASONS)
		return "unknown";
	return reason_str[reason];
}

/**
 * gh_vbios_code_type_str() - name a PCIR code type
 * @code_type: the type
 *
 * Return: a constant string.
 */
const char *gh_vbios_code_type_str(u8 code_type)
{
	switch (code_type) {
	case GH_VBIOS_CODE_X86:
		return "x86";
	case GH_VBIOS_CODE_OPENFW:
		return "openfirmware";
	case GH_VBIOS_CODE_HPPA:
		return "hppa";
	case GH_VBIOS_CODE_EFI:
		return "efi";
	default:
		return "other";
	}
}

/**
 * gh_vbios_csum_str() - name a checksum state
 * @csum: the state
 *
 * Return: a constant string.
 */
const char *gh_vbios_csum_str(enum gh_vbios_csum csum)
{
	switch (csum) {
	case GH_VBIOS_CSUM_OK:
		return "ok";
	case GH_VBIOS_CSUM_BAD:
		return "bad";
	default:
		return "none";
	}
}

/**
 * gh_vbios_machine_str() - name an EFI machine type
 * @machine: the PE machine type
 *
 * Return: a constant string.
 */
const char *gh_vbios_machine_str(u16 machine)
{
	switch (machine) {
	case 0x014c:
		return "ia32";
	case 0x0200:
		return "ia64";
	case 0x0ebc:
		return "ebc";
	case 0x8664:
		return "x64";
	case 0xaa64:
		return "aarch64";
	default:
		return "other";
	}
}

/* Append to @buf, never letting *@pos run past @len - 1. */
static __printf(4, 5) void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos += (size_t)n < len - *pos ? (size_t)n : len - *pos - 1;
}

/**
 * gh_vbios_summary() - a text summary of a parse result, one fact a line
 * @info: the result
 * @buf: output
 * @len: size of @buf, at least 1
 *
 * Used for the module's vbios_info attribute and the CLI's text output.
 *
 * Return: the number of characters written (without the NUL).
 */
int gh_vbios_summary(const struct gh_vbios_info *info, char *buf, size_t len)
{
	size_t pos = 0;
	unsigned int i;

	if (!len)
		return 0;
	buf[0] = '\0';
	append(buf, len, &pos, "status: %s\n", gh_vbios_reason_str(info->reason));
	if (info->reason != GH_VBIOS_OK)
		append(buf, len, &pos, "offset: 0x%x\n", info->reason_offset);
	else
		append(buf, len, &pos, "length: %u\nscore: %d\n", info->length,
		       info->score);
	append(buf, len, &pos, "images: %u\n", info->nr_images);
	for (i = 0; i < info->nr_images; i++) {
		const struct gh_vbios_image *img = &info->images[i];

		append(buf, len, &pos,
		       "image %u: offset 0x%x length %u type %s vendor %04x device %04x class %06x last %d checksum %s",
		       i, img->offset, img->length,
		       gh_vbios_code_type_str(img->code_type), img->vendor,
		       img->device, img->class_code, img->last,
		       gh_vbios_csum_str(img->csum));
		if (img->code_type == GH_VBIOS_CODE_EFI)
			append(buf, len, &pos,
			       " efi-subsystem %u efi-machine %s efi-compressed %d efi-offset 0x%x",
			       img->efi.subsystem,
			       gh_vbios_machine_str(img->efi.machine),
			       img->efi.compression == 1, img->efi.image_offset);
		append(buf, len, &pos, "\n");
	}
	if (info->warnings) {
		append(buf, len, &pos, "warnings:%s%s%s\n",
		       info->warnings & GH_VBIOS_WARN_ID_MISMATCH ? " id-mismatch" : "",
		       info->warnings & GH_VBIOS_WARN_TRAILING_DATA ? " trailing-data" : "",
		       info->warnings & GH_VBIOS_WARN_SIZE_MISMATCH ? " size-mismatch" : "");
	}
	return (int)pos;
}
