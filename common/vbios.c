// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vbios.c - parse and validate a PCI option ROM (a GPU's vBIOS) by the
 * rules of Linux's nouveau (see vbios.h).
 *
 * Built into gpuhelper.ko (to pick the best vBIOS source) and into the
 * CLI (vbios info/strip, acpi vbios), and fuzzed in userspace. Every read
 * goes through rd8/rd16/rd32 after an explicit range check against the
 * data length. The cost is linear: headers are read once per image, each
 * x86 image is summed once, and a resumed parse (gh_vbios_parse_more())
 * starts at the first image it has not finished.
 */
#include "vbios.h"

#define ROM_DS_PTR		0x18
#define ROM_SIZE_BYTE		0x02
#define ROM_HDR_MIN		0x1a	/* signature .. data structure pointer */

#define DS_MIN_LEN		0x18
#define DS_VENDOR		0x04
#define DS_DEVICE		0x06
#define DS_LEN			0x0a
#define DS_REV			0x0c
#define DS_CLASS		0x0d
#define DS_IMAGE_LEN		0x10
#define DS_CODE_REV		0x12
#define DS_CODE_TYPE		0x14
#define DS_INDICATOR		0x15
#define DS_LAST_IMAGE		0x80

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

static bool known_signature(u16 sig)
{
	return sig == GH_VBIOS_SIG_PCI || sig == GH_VBIOS_SIG_BB77 ||
	       sig == GH_VBIOS_SIG_NV;
}

static bool known_ds(u32 sig)
{
	return sig == GH_VBIOS_DS_PCIR || sig == GH_VBIOS_DS_RGIS ||
	       sig == GH_VBIOS_DS_NPDS;
}

/*
 * The NVIDIA NPDE extension sits at the first 16-byte boundary after the
 * data structure (nouveau: npde.c) and overrides its length and last flag.
 * Returns GH_VBIOS_TRUNCATED when the data ends where an NPDE could still
 * be, inside the image the data structure describes.
 */
static enum gh_vbios_reason parse_npde(const u8 *rom, size_t len, size_t off,
				       size_t ds, struct gh_vbios_image *img,
				       size_t *where, size_t *need)
{
	size_t npde = (ds + img->ds_length + 0x0f) & ~(size_t)0x0f;
	u32 npde_len;

	/*
	 * An NPDE slot past the image the PCIR describes is not looked at,
	 * whether or not the data reaches it: the verdict must not depend on
	 * how much was read (the module reads in steps), and every NPDE seen
	 * in real ROMs sits right after the PCIR, inside that image.
	 */
	if (npde + NPDE_MIN_LEN > off + img->pcir_length)
		return GH_VBIOS_OK;
	if (!fits(len, npde, NPDE_MIN_LEN)) {
		*where = npde;
		*need = npde + NPDE_MIN_LEN;
		return GH_VBIOS_TRUNCATED;
	}
	if (rd32(rom, npde) != NPDE_SIG)
		return GH_VBIOS_OK;
	npde_len = (u32)rd16(rom, npde + NPDE_IMAGE_LEN) * 512;
	if (!npde_len)
		return GH_VBIOS_OK;	/* an empty NPDE corrects nothing */
	img->npde = true;
	img->npde_offset = (u16)(npde - off);
	img->npde_length = npde_len;
	img->npde_last = rd8(rom, npde + NPDE_INDICATOR) & DS_LAST_IMAGE;
	img->length = npde_len;
	img->last = img->npde_last;
	return GH_VBIOS_OK;
}

/*
 * Read the headers of the image at @off: everything but the checksum, in
 * constant time. On GH_VBIOS_TRUNCATED and GH_VBIOS_OVERLONG, *@need says
 * how many bytes the data must hold to go on; *@where is the offset to
 * report with any reason.
 */
static enum gh_vbios_reason parse_header(const u8 *rom, size_t len, size_t off,
					 struct gh_vbios_image *img,
					 size_t *where, size_t *need)
{
	enum gh_vbios_reason r;
	size_t ds;
	u16 ptr;

	memset(img, 0, sizeof(*img));
	*where = off;
	*need = off + ROM_HDR_MIN;
	if (!fits(len, off, 2))
		return GH_VBIOS_TRUNCATED;
	img->signature = rd16(rom, off);
	if (!known_signature(img->signature))
		return GH_VBIOS_BAD_SIGNATURE;
	if (!fits(len, off, ROM_HDR_MIN))
		return GH_VBIOS_TRUNCATED;

	ptr = rd16(rom, off + ROM_DS_PTR);
	ds = off + ptr;
	*where = ds;
	if (ptr < ROM_HDR_MIN)
		return GH_VBIOS_BAD_PCIR;
	*need = ds + DS_MIN_LEN;
	if (!fits(len, ds, DS_MIN_LEN))
		return GH_VBIOS_TRUNCATED;
	img->ds_signature = rd32(rom, ds);
	if (!known_ds(img->ds_signature))
		return GH_VBIOS_BAD_PCIR;
	img->ds_length = rd16(rom, ds + DS_LEN);
	if (img->ds_length < DS_MIN_LEN)
		return GH_VBIOS_BAD_PCIR;
	*need = ds + img->ds_length;
	if (!fits(len, ds, img->ds_length))
		return GH_VBIOS_TRUNCATED;

	img->offset = (u32)off;
	img->ds_offset = ptr;
	img->size_byte = rd8(rom, off + ROM_SIZE_BYTE);
	img->vendor = rd16(rom, ds + DS_VENDOR);
	img->device = rd16(rom, ds + DS_DEVICE);
	img->pcir_revision = rd8(rom, ds + DS_REV);
	img->class_code = rd8(rom, ds + DS_CLASS) |
			  (rd8(rom, ds + DS_CLASS + 1) << 8) |
			  ((u32)rd8(rom, ds + DS_CLASS + 2) << 16);
	img->pcir_length = (u32)rd16(rom, ds + DS_IMAGE_LEN) * 512;
	img->code_revision = rd16(rom, ds + DS_CODE_REV);
	img->code_type = rd8(rom, ds + DS_CODE_TYPE);
	img->pcir_last = rd8(rom, ds + DS_INDICATOR) & DS_LAST_IMAGE;
	img->length = img->pcir_length;
	img->last = img->pcir_last;

	if (img->code_type == GH_VBIOS_CODE_NV_70) {
		img->last = true;	/* nouveau: always the last image */
	} else {
		r = parse_npde(rom, len, off, ds, img, where, need);
		if (r != GH_VBIOS_OK)
			return r;
	}

	*where = off;
	if (!img->length)
		return GH_VBIOS_ZERO_LENGTH;
	if ((size_t)ptr + img->ds_length > img->length ||
	    (img->npde && (size_t)img->npde_offset + NPDE_MIN_LEN > img->length))
		return GH_VBIOS_OVERLAP;
	if (img->code_type == GH_VBIOS_CODE_EFI) {
		/* the EFI header ends before the data structure pointer */
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
	*need = off + img->length;
	if (!fits(len, off, img->length))
		return GH_VBIOS_OVERLONG;
	return GH_VBIOS_OK;
}

static int reject(struct gh_vbios_info *info, enum gh_vbios_reason reason,
		  size_t offset, size_t need)
{
	info->reason = reason;
	info->reason_offset = (u32)offset;
	info->need = gh_vbios_wants_more(info) ? (u32)need : 0;
	info->score = 0;
	return -EINVAL;
}

/*
 * Score a valid ROM: more is better. A ROM for the right device beats any
 * ROM for another; then one with the x86 image (what drivers parse for
 * their tables) beats one without; then good checksums beat bad ones (as
 * in nouveau's shadow.c); then one with an EFI image (the GOP a UEFI guest
 * needs); trailing data that is not padding costs a little.
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
		s += 16;
	if (x86)
		s += 8;
	if (!(info->warnings & GH_VBIOS_WARN_BAD_CHECKSUM))
		s += 4;
	if (efi)
		s += 2;
	if (!(info->warnings & GH_VBIOS_WARN_TRAILING_DATA))
		s += 1;
	return s;
}

/* Bytes after the chain: erased flash (0xFF) or zero fill, or data. */
static u32 trailing_warning(const u8 *data, size_t from, size_t len)
{
	u8 fill = from < len ? data[from] : 0;
	size_t i;

	if (from >= len)
		return 0;
	if (fill != 0xff && fill != 0x00)
		return GH_VBIOS_WARN_TRAILING_DATA;
	for (i = from; i < len; i++)
		if (data[i] != fill)
			return GH_VBIOS_WARN_TRAILING_DATA;
	return GH_VBIOS_WARN_PADDING;
}

/**
 * gh_vbios_wants_more() - did the parse stop only because the data ended?
 * @info: a parse result
 *
 * Return: true when more data could make the ROM valid; @info->need then
 * says how many bytes from the start to provide.
 */
bool gh_vbios_wants_more(const struct gh_vbios_info *info)
{
	return info->reason == GH_VBIOS_EMPTY ||
	       info->reason == GH_VBIOS_TRUNCATED ||
	       info->reason == GH_VBIOS_OVERLONG ||
	       info->reason == GH_VBIOS_NO_LAST_IMAGE;
}

/**
 * gh_vbios_parse_more() - go on with a parse as more data has arrived
 * @data: the ROM bytes read so far, starting with the first image
 * @len: number of bytes in @data, at least what the last call was given
 * @vendor: PCI vendor ID of the device the ROM is for, 0 not to check
 * @device: PCI device ID of that device
 * @info: the result of gh_vbios_parse() or gh_vbios_parse_more() on a
 *	prefix of @data; updated
 *
 * Resumes after the last complete image, so reading a ROM in chunks and
 * calling this after each costs one pass over the data in all. A result
 * that is final (neither valid nor gh_vbios_wants_more()) is returned as
 * it is.
 *
 * Return: as gh_vbios_parse().
 */
int gh_vbios_parse_more(const u8 *data, size_t len, u16 vendor, u16 device,
			struct gh_vbios_info *info)
{
	size_t off = 0;

	if (info->reason != GH_VBIOS_OK && !gh_vbios_wants_more(info))
		return -EINVAL;
	info->data_length = (u32)(len < GH_VBIOS_MAX_SIZE ? len : GH_VBIOS_MAX_SIZE);
	if (!data || !len)
		return reject(info, GH_VBIOS_EMPTY, 0, ROM_HDR_MIN);
	if (len > GH_VBIOS_MAX_SIZE)
		return reject(info, GH_VBIOS_TOO_LARGE, GH_VBIOS_MAX_SIZE, 0);
	if (info->nr_images) {
		const struct gh_vbios_image *prev = &info->images[info->nr_images - 1];

		off = prev->offset + prev->length;
	}
	info->warnings &= ~(GH_VBIOS_WARN_ID_MISMATCH | GH_VBIOS_WARN_TRAILING_DATA |
			    GH_VBIOS_WARN_PADDING);

	/* a valid result stays valid: only what follows the chain changes */
	while (info->reason != GH_VBIOS_OK) {
		struct gh_vbios_image *img;
		enum gh_vbios_reason r;
		size_t where, need;

		if (info->nr_images == GH_VBIOS_MAX_IMAGES)
			return reject(info, GH_VBIOS_TOO_MANY_IMAGES, off, 0);
		if (off == len && info->nr_images)
			return reject(info, GH_VBIOS_NO_LAST_IMAGE, off, off + ROM_HDR_MIN);
		img = &info->images[info->nr_images];
		r = parse_header(data, len, off, img, &where, &need);
		if (r != GH_VBIOS_OK)
			return reject(info, r, where, need);
		if (img->code_type == GH_VBIOS_CODE_X86) {
			u8 sum = 0;
			size_t i;

			for (i = 0; i < img->length; i++)
				sum += data[off + i];
			img->csum = sum ? GH_VBIOS_CSUM_BAD : GH_VBIOS_CSUM_OK;
			if (sum)
				info->warnings |= GH_VBIOS_WARN_BAD_CHECKSUM;
		}
		info->nr_images++;
		off += img->length;
		if (img->last)
			info->reason = GH_VBIOS_OK;
	}

	info->reason_offset = 0;
	info->need = 0;
	info->length = (u32)off;
	info->warnings |= trailing_warning(data, off, len);
	if (vendor && (info->images[0].vendor != vendor ||
		       info->images[0].device != device))
		info->warnings |= GH_VBIOS_WARN_ID_MISMATCH;
	info->score = score(info);
	return 0;
}

/**
 * gh_vbios_parse() - validate a ROM and describe its images
 * @data: the ROM bytes, starting with the first image's signature
 * @len: number of bytes in @data
 * @vendor: PCI vendor ID of the device the ROM is for, 0 not to check
 * @device: PCI device ID of that device
 * @info: receives the result; always filled, also on reject
 *
 * Walks the image chain to the image that ends it (vbios.h). Each image
 * needs a known signature, a known data structure inside it, a non-zero
 * length within the data and, if it is EFI, a valid EFI header. A bad x86
 * checksum, a vendor/device different from @vendor/@device in the first
 * image (laptop vBIOSes often carry another device ID of the same family)
 * and bytes after the chain are warnings, not rejections.
 *
 * Return: 0 with @info->score > 0 for a valid ROM, or -EINVAL with
 * @info->reason and @info->reason_offset saying why and where.
 */
int gh_vbios_parse(const u8 *data, size_t len, u16 vendor, u16 device,
		   struct gh_vbios_info *info)
{
	memset(info, 0, sizeof(*info));
	info->reason = GH_VBIOS_EMPTY;
	return gh_vbios_parse_more(data, len, vendor, device, info);
}

/*
 * Does a valid chain of at most GH_VBIOS_MAX_IMAGES images start at @off?
 * Headers only, so constant time: the checksum never rejects.
 */
static bool chain_at(const u8 *data, size_t len, size_t off)
{
	struct gh_vbios_image img;
	size_t where, need;
	unsigned int n;

	for (n = 0; n < GH_VBIOS_MAX_IMAGES; n++) {
		if (parse_header(data, len, off, &img, &where, &need) != GH_VBIOS_OK)
			return false;
		if (img.last)
			return true;
		off += img.length;
	}
	return false;
}

/**
 * gh_vbios_find_start() - find where a valid ROM starts in a dump
 * @data: the dump
 * @len: its length
 *
 * Some dump tools (nvflash for newer GPUs, GPU-Z) put their own header
 * before the ROM. This returns the first offset of a 55 AA from which
 * gh_vbios_parse() accepts the rest. Linear in @len: each candidate's
 * chain is checked by its headers, at most GH_VBIOS_MAX_IMAGES of them.
 *
 * Return: the offset, or -ENOENT when no offset holds a valid ROM.
 */
long gh_vbios_find_start(const u8 *data, size_t len)
{
	size_t off;

	if (!data || len > GH_VBIOS_MAX_SIZE)
		return -ENOENT;
	for (off = 0; off + 1 < len; off++) {
		if (data[off] != 0x55 || data[off + 1] != 0xaa)
			continue;
		/* offsets are relative to the ROM's start: NPDE alignment */
		if (chain_at(data + off, len - off, 0))
			return (long)off;
	}
	return -ENOENT;
}

static const char *const reason_str[GH_VBIOS_NR_REASONS] = {
	[GH_VBIOS_OK] = "valid",
	[GH_VBIOS_EMPTY] = "no data",
	[GH_VBIOS_TOO_LARGE] = "larger than any option ROM (32 MiB)",
	[GH_VBIOS_TRUNCATED] = "truncated: the data ends inside a header",
	[GH_VBIOS_BAD_SIGNATURE] = "bad signature: not 55 AA, 77 BB or 56 4E",
	[GH_VBIOS_BAD_PCIR] = "bad data structure: wrong pointer, signature or length",
	[GH_VBIOS_ZERO_LENGTH] = "image length 0: the image chain would loop",
	[GH_VBIOS_OVERLAP] = "image headers overlap the next image",
	[GH_VBIOS_OVERLONG] = "overlong image: it runs past the end of the data",
	[GH_VBIOS_TOO_MANY_IMAGES] = "too many images in the chain",
	[GH_VBIOS_NO_LAST_IMAGE] = "no image carries the last-image flag",
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
 * gh_vbios_code_type_str() - name a code type
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
	case GH_VBIOS_CODE_NV_E0:
		return "nvidia";
	case GH_VBIOS_CODE_NV_70:
		return "nvidia-last";
	default:
		return "other";
	}
}

/**
 * gh_vbios_ds_str() - name a data structure signature
 * @ds_signature: GH_VBIOS_DS_*
 *
 * Return: a constant string.
 */
const char *gh_vbios_ds_str(u32 ds_signature)
{
	switch (ds_signature) {
	case GH_VBIOS_DS_PCIR:
		return "PCIR";
	case GH_VBIOS_DS_RGIS:
		return "RGIS";
	case GH_VBIOS_DS_NPDS:
		return "NPDS";
	default:
		return "none";
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
 * Each image line gives its signature, data structure, code type, the
 * data structure's and the NPDE's length and last flag, the resulting
 * length and last flag, and the checksum state.
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
		append(buf, len, &pos, "length: %u\ntrailing: %u\nscore: %d\n",
		       info->length, info->data_length - info->length,
		       info->score);
	append(buf, len, &pos, "images: %u\n", info->nr_images);
	for (i = 0; i < info->nr_images; i++) {
		const struct gh_vbios_image *img = &info->images[i];

		append(buf, len, &pos,
		       "image %u: offset 0x%x length %u signature 0x%04x struct %s type %s (0x%02x) vendor %04x device %04x class %06x pcir-length %u pcir-last %d",
		       i, img->offset, img->length, img->signature,
		       gh_vbios_ds_str(img->ds_signature),
		       gh_vbios_code_type_str(img->code_type), img->code_type,
		       img->vendor, img->device, img->class_code,
		       img->pcir_length, img->pcir_last);
		if (img->npde)
			append(buf, len, &pos, " npde-length %u npde-last %d",
			       img->npde_length, img->npde_last);
		else
			append(buf, len, &pos, " npde none");
		append(buf, len, &pos, " last %d checksum %s", img->last,
		       gh_vbios_csum_str(img->csum));
		if (img->code_type == GH_VBIOS_CODE_X86)
			append(buf, len, &pos, " x86-size %u", img->size_byte * 512U);
		if (img->code_type == GH_VBIOS_CODE_EFI)
			append(buf, len, &pos,
			       " efi-subsystem %u efi-machine %s efi-compressed %d efi-offset 0x%x",
			       img->efi.subsystem,
			       gh_vbios_machine_str(img->efi.machine),
			       img->efi.compression == 1, img->efi.image_offset);
		append(buf, len, &pos, "\n");
	}
	if (info->warnings) {
		append(buf, len, &pos, "warnings:%s%s%s%s\n",
		       info->warnings & GH_VBIOS_WARN_ID_MISMATCH ? " id-mismatch" : "",
		       info->warnings & GH_VBIOS_WARN_BAD_CHECKSUM ? " bad-checksum" : "",
		       info->warnings & GH_VBIOS_WARN_TRAILING_DATA ? " trailing-data" : "",
		       info->warnings & GH_VBIOS_WARN_PADDING ? " padding" : "");
	}
	return (int)pos;
}
