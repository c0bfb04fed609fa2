// SPDX-License-Identifier: GPL-2.0
/*
 * aml.c - encode the AML subset gpuhelper's SSDTs use (see aml.h).
 */
#include <stdlib.h>
#include <string.h>

#include "acpi/aml.h"

#define NAME_SEG	4
#define DUAL_PREFIX	0x2e
#define MULTI_PREFIX	0x2f
#define ROOT_CHAR	'\\'
#define PARENT_CHAR	'^'
#define MAX_SEGS	255

void aml_init(struct aml *a)
{
	memset(a, 0, sizeof(*a));
}

void aml_free(struct aml *a)
{
	free(a->buf);
	aml_init(a);
}

static void fail(struct aml *a, int err)
{
	if (!a->err)
		a->err = err;
}

static bool reserve(struct aml *a, size_t n)
{
	size_t cap;
	u8 *p;

	if (a->err)
		return false;
	if (n > AML_MAX_PKGLEN || a->len > AML_MAX_PKGLEN - n) {
		fail(a, -E2BIG);
		return false;
	}
	if (a->len + n <= a->cap)
		return true;
	cap = a->cap ? a->cap : 256;
	while (cap < a->len + n)
		cap *= 2;
	p = realloc(a->buf, cap);
	if (!p) {
		fail(a, -ENOMEM);
		return false;
	}
	a->buf = p;
	a->cap = cap;
	return true;
}

void aml_bytes(struct aml *a, const void *p, size_t n)
{
	if (!reserve(a, n))
		return;
	if (n)
		memcpy(a->buf + a->len, p, n);
	a->len += n;
}

void aml_byte(struct aml *a, u8 b)
{
	aml_bytes(a, &b, 1);
}

static void put_le(struct aml *a, u64 v, unsigned int n)
{
	u8 b[8];
	unsigned int i;

	for (i = 0; i < n; i++)
		b[i] = (u8)(v >> (8 * i));
	aml_bytes(a, b, n);
}

/* The shortest encoding, as iasl emits it: Zero, One, then prefixes. */
void aml_integer(struct aml *a, u64 v)
{
	if (v == 0) {
		aml_byte(a, AML_ZERO);
	} else if (v == 1) {
		aml_byte(a, AML_ONE);
	} else if (v <= 0xff) {
		aml_byte(a, AML_BYTE);
		put_le(a, v, 1);
	} else if (v <= 0xffff) {
		aml_byte(a, AML_WORD);
		put_le(a, v, 2);
	} else if (v <= 0xffffffffULL) {
		aml_byte(a, AML_DWORD);
		put_le(a, v, 4);
	} else {
		aml_byte(a, AML_QWORD);
		put_le(a, v, 8);
	}
}

/* An AML String holds ASCII 0x01..0x7f and ends with a NUL. */
void aml_string(struct aml *a, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p > 0x7f) {
			fail(a, -EINVAL);
			return;
		}
	}
	aml_byte(a, AML_STRING);
	aml_bytes(a, s, strlen(s) + 1);
}

static bool lead_char(char c)
{
	return (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(char c)
{
	return lead_char(c) || (c >= '0' && c <= '9');
}

/*
 * Split @path into prefix and segments. Returns the number of segments
 * (at least 1) or -EINVAL; @segs (room for MAX_SEGS) receives each segment
 * padded with '_' to four characters.
 */
static int parse_path(const char *path, const char **body, char (*segs)[NAME_SEG])
{
	const char *p = path;
	int n = 0;

	if (*p == ROOT_CHAR)
		p++;
	else
		while (*p == PARENT_CHAR)
			p++;
	if (body)
		*body = p;
	for (;;) {
		int len = 0;

		if (n == MAX_SEGS || !lead_char(*p))
			return -EINVAL;
		while (name_char(p[len])) {
			if (len == NAME_SEG)
				return -EINVAL;
			len++;
		}
		if (segs) {
			memset(segs[n], '_', NAME_SEG);
			memcpy(segs[n], p, (size_t)len);
		}
		n++;
		p += len;
		if (!*p)
			return n;
		if (*p != '.')
			return -EINVAL;
		p++;
	}
}

/**
 * aml_name_valid() - check an ASL name path
 * @path: e.g. "\_SB.PCI0.S08.S00", "BAT0", "^^FOO": segments of 1 to 4 of
 *	A-Z, 0-9 and _, not starting with a digit, uppercase only
 *
 * Return: 0 or -EINVAL.
 */
int aml_name_valid(const char *path)
{
	return path && parse_path(path, NULL, NULL) > 0 ? 0 : -EINVAL;
}

void aml_namestring(struct aml *a, const char *path)
{
	char segs[MAX_SEGS][NAME_SEG];
	const char *body;
	int n;

	if (!path) {
		fail(a, -EINVAL);
		return;
	}
	n = parse_path(path, &body, segs);
	if (n < 0) {
		fail(a, n);
		return;
	}
	aml_bytes(a, path, (size_t)(body - path));	/* '\' or '^'s */
	if (n == 2) {
		aml_byte(a, DUAL_PREFIX);
	} else if (n > 2) {
		aml_byte(a, MULTI_PREFIX);
		aml_byte(a, (u8)n);
	}
	aml_bytes(a, segs, (size_t)n * NAME_SEG);
}

/**
 * aml_eisaid_value() - the 32-bit value of an EISA ID such as "PNP0C0A"
 * @id: three uppercase letters and four hex digits
 *
 * Return: the value as AML stores it (a DWord), or 0 when @id is malformed.
 */
u32 aml_eisaid_value(const char *id)
{
	u32 v = 0;
	int i;

	if (!id || strlen(id) != 7)
		return 0;
	for (i = 0; i < 3; i++) {
		if (id[i] < 'A' || id[i] > 'Z')
			return 0;
		v = (v << 5) | (u32)(id[i] - 0x40);
	}
	for (i = 3; i < 7; i++) {
		char c = id[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = (u32)(c - '0');
		else if (c >= 'A' && c <= 'F')
			d = (u32)(c - 'A' + 10);
		else
			return 0;
		v = (v << 4) | d;
	}
	/* 31 bits, big endian in memory: byte-swap into the stored DWord */
	return ((v >> 24) & 0xff) | ((v >> 8) & 0xff00) |
	       ((v << 8) & 0xff0000) | ((v << 24) & 0xff000000U);
}

void aml_eisaid(struct aml *a, const char *id)
{
	u32 v = aml_eisaid_value(id);

	if (!v) {
		fail(a, -EINVAL);
		return;
	}
	aml_byte(a, AML_DWORD);
	put_le(a, v, 4);
}

void aml_local(struct aml *a, unsigned int n)
{
	if (n > 7)
		fail(a, -EINVAL);
	else
		aml_byte(a, (u8)(AML_LOCAL0 + n));
}

void aml_arg(struct aml *a, unsigned int n)
{
	if (n > 6)
		fail(a, -EINVAL);
	else
		aml_byte(a, (u8)(AML_ARG0 + n));
}

/**
 * aml_pkglen_encode() - encode a PkgLength for a body of @body bytes
 * @body: bytes that follow the PkgLength within the term
 * @out: receives 1 to 4 bytes
 *
 * The encoded length counts its own bytes, so the shortest encoding that
 * can hold body + its own size is chosen.
 *
 * Return: the number of bytes used, or -E2BIG.
 */
int aml_pkglen_encode(size_t body, u8 out[4])
{
	static const size_t max[4] = { 0x3f, 0xfff, 0xfffff, AML_MAX_PKGLEN };
	size_t total;
	int n;

	for (n = 1; n <= 4; n++) {
		if (body > max[n - 1] - (size_t)n)
			continue;
		total = body + (size_t)n;
		if (n == 1) {
			out[0] = (u8)total;
		} else {
			int i;

			out[0] = (u8)(((n - 1) << 6) | (total & 0x0f));
			for (i = 1; i < n; i++)
				out[i] = (u8)(total >> (4 + 8 * (i - 1)));
		}
		return n;
	}
	return -E2BIG;
}

#define PKGLEN_RESERVE	4

/**
 * aml_open() - start a term that carries a PkgLength
 * @a: the stream
 * @op: its opcode
 *
 * Return: a mark to pass to aml_close().
 */
size_t aml_open(struct aml *a, u8 op)
{
	static const u8 zero[PKGLEN_RESERVE];

	aml_byte(a, op);
	aml_bytes(a, zero, sizeof(zero));
	return a->len;
}

/* As aml_open() for an extended (0x5B-prefixed) opcode. */
size_t aml_open_ext(struct aml *a, u8 op)
{
	aml_byte(a, AML_EXT);
	return aml_open(a, op);
}

void aml_close(struct aml *a, size_t mark)
{
	u8 pl[4];
	size_t body;
	int n;

	if (a->err)
		return;
	if (mark < PKGLEN_RESERVE || mark > a->len) {
		fail(a, -EINVAL);
		return;
	}
	body = a->len - mark;
	n = aml_pkglen_encode(body, pl);
	if (n < 0) {
		fail(a, n);
		return;
	}
	memcpy(a->buf + mark - PKGLEN_RESERVE, pl, (size_t)n);
	memmove(a->buf + mark - PKGLEN_RESERVE + n, a->buf + mark, body);
	a->len -= PKGLEN_RESERVE - (size_t)n;
}

/* Buffer (n) { data } */
void aml_buffer(struct aml *a, const u8 *data, size_t n)
{
	size_t m = aml_open(a, AML_BUFFER);

	aml_integer(a, n);
	aml_bytes(a, data, n);
	aml_close(a, m);
}

/*
 * External (path, type) with its argument count (methods only). Emit them
 * between aml_externals_open() and aml_close(): one If (Zero) holding all
 * of them, as iasl does, so that a loader never creates the names (they
 * exist elsewhere) and interpreters older than ACPI 6.0 skip the opcode.
 */
void aml_external(struct aml *a, const char *path, u8 type, u8 nargs)
{
	aml_byte(a, AML_EXTERNAL);
	aml_namestring(a, path);
	aml_byte(a, type);
	aml_byte(a, nargs);
}

size_t aml_externals_open(struct aml *a)
{
	size_t m = aml_open(a, AML_IF);

	aml_byte(a, AML_ZERO);
	return m;
}

static void put_fixed(u8 *dst, const char *s, size_t n)
{
	size_t l = s ? strnlen(s, n) : 0;

	memset(dst, 0, n);
	if (l)
		memcpy(dst, s, l);
}

/**
 * aml_table_begin() - start a table: the 36-byte ACPI header
 * @a: an empty stream
 * @sig: the 4-character signature, e.g. "SSDT"
 * @rev: the table revision (1: 32-bit integers, 2: 64-bit)
 * @oem_id: up to 6 characters
 * @oem_table_id: up to 8 characters
 * @oem_rev: the OEM revision
 */
void aml_table_begin(struct aml *a, const char *sig, u8 rev,
		     const char *oem_id, const char *oem_table_id, u32 oem_rev)
{
	u8 h[ACPI_HDR_LEN];

	memset(h, 0, sizeof(h));
	put_fixed(h, sig, 4);
	h[8] = rev;
	put_fixed(h + 10, oem_id, 6);
	put_fixed(h + 16, oem_table_id, 8);
	h[24] = (u8)oem_rev;
	h[25] = (u8)(oem_rev >> 8);
	h[26] = (u8)(oem_rev >> 16);
	h[27] = (u8)(oem_rev >> 24);
	memcpy(h + 28, "GHLP", 4);	/* creator: gpuhelper's AML encoder */
	h[32] = 1;
	aml_bytes(a, h, sizeof(h));
}

/**
 * acpi_checksum() - the byte that makes @p sum to zero
 * @p: the table with its checksum byte 0
 * @n: its length
 *
 * Return: the checksum byte.
 */
u8 acpi_checksum(const u8 *p, size_t n)
{
	u8 sum = 0;

	while (n--)
		sum += *p++;
	return (u8)(0x100 - sum);
}

/**
 * aml_table_finish() - set length and checksum and hand the table over
 * @a: the stream; emptied (ownership of the bytes moves to @out)
 * @out: receives the table (free() it)
 * @len: receives its length
 *
 * Return: 0, or the first error met while encoding (then @a is freed).
 */
int aml_table_finish(struct aml *a, u8 **out, size_t *len)
{
	int err = a->err;

	if (!err && (a->len < ACPI_HDR_LEN || a->len > 0xffffffffULL))
		err = -EINVAL;
	if (err) {
		aml_free(a);
		return err;
	}
	a->buf[4] = (u8)a->len;
	a->buf[5] = (u8)(a->len >> 8);
	a->buf[6] = (u8)(a->len >> 16);
	a->buf[7] = (u8)(a->len >> 24);
	a->buf[9] = 0;
	a->buf[9] = acpi_checksum(a->buf, a->len);
	*out = a->buf;
	*len = a->len;
	aml_init(a);
	return 0;
}
