// SPDX-License-Identifier: GPL-2.0
/*
 * aml_read.c - decode what acpi_vbios.c and acpi_battery.c write (see
 * aml_read.h): the ACPI header, the If (Zero) { External ... } block,
 * Scope, Name, Buffer, Method, Device, integers and name strings. Every
 * length is checked against its enclosing term; anything else is refused
 * with its offset.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "acpi/aml.h"
#include "acpi/aml_read.h"

#define NAME_SEG	4
#define DUAL_PREFIX	0x2e
#define MULTI_PREFIX	0x2f

struct rd {
	const u8 *p;
	size_t pos;
	size_t end;		/* of the innermost term being read */
	char *why;
	size_t whylen;
};

static int bad(struct rd *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct rd *r, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->why, r->whylen, "at offset 0x%zx: %s", r->pos, msg);
	return -EPROTO;
}

static int byte(struct rd *r, u8 *b)
{
	*b = 0;
	if (r->pos >= r->end)
		return bad(r, "the term ends early");
	*b = r->p[r->pos++];
	return 0;
}

/* A PkgLength: *end receives where its term ends. */
static int pkglen(struct rd *r, size_t *end)
{
	size_t start = r->pos, len;
	unsigned int n, i;
	u8 lead, b;

	if (byte(r, &lead))
		return -EPROTO;
	n = lead >> 6;
	len = n ? lead & 0x0f : lead & 0x3f;
	for (i = 0; i < n; i++) {
		if (byte(r, &b))
			return -EPROTO;
		len |= (size_t)b << (4 + 8 * i);
	}
	if (len < n + 1 || start + len > r->end) {
		r->pos = start;
		return bad(r, "a package length of %zu bytes runs past its enclosing term", len);
	}
	*end = start + len;
	return 0;
}

static bool seg_char(u8 c, bool lead)
{
	return (c >= 'A' && c <= 'Z') || c == '_' || (!lead && c >= '0' && c <= '9');
}

/* One NameSeg, appended to @out without its '_' padding. */
static int nameseg(struct rd *r, char *out, size_t outlen)
{
	size_t n = strlen(out), k = NAME_SEG;
	const u8 *s;
	unsigned int i;

	if (r->end - r->pos < NAME_SEG)
		return bad(r, "a name segment runs past its term");
	s = r->p + r->pos;
	for (i = 0; i < NAME_SEG; i++)
		if (!seg_char(s[i], i == 0))
			return bad(r, "byte 0x%02x in a name segment", s[i]);
	while (k > 1 && s[k - 1] == '_')
		k--;
	if (n + k + 1 >= outlen)
		return bad(r, "a name path longer than %zu characters", outlen - 1);
	memcpy(out + n, s, k);
	out[n + k] = '\0';
	r->pos += NAME_SEG;
	return 0;
}

/* A NameString as ASL writes it: "\_SB.PCI0.S08.S00". */
static int namestring(struct rd *r, char *out, size_t outlen)
{
	unsigned int segs = 1, i;
	size_t n = 0;
	u8 b;

	while (r->pos < r->end && (r->p[r->pos] == '\\' || r->p[r->pos] == '^') &&
	       n + 1 < outlen)
		out[n++] = (char)r->p[r->pos++];
	out[n] = '\0';
	if (r->pos >= r->end)
		return bad(r, "a name ends early");
	b = r->p[r->pos];
	if (b == DUAL_PREFIX) {
		r->pos++;
		segs = 2;
	} else if (b == MULTI_PREFIX) {
		r->pos++;
		if (byte(r, &b))
			return -EPROTO;
		segs = b;
		if (!segs)
			return bad(r, "a name path of 0 segments");
	}
	for (i = 0; i < segs; i++) {
		if (i) {
			size_t l = strlen(out);

			if (l + 2 >= outlen)
				return bad(r, "a name path too long");
			out[l] = '.';
			out[l + 1] = '\0';
		}
		if (nameseg(r, out, outlen))
			return -EPROTO;
	}
	return 0;
}

/* Zero, One, Ones or a Byte/Word/DWord/QWord constant. */
static int integer(struct rd *r, u64 *v)
{
	unsigned int n = 0, i;
	u8 op, b;

	if (byte(r, &op))
		return -EPROTO;
	switch (op) {
	case AML_ZERO: *v = 0; return 0;
	case AML_ONE: *v = 1; return 0;
	case AML_ONES: *v = ~0ULL; return 0;
	case AML_BYTE: n = 1; break;
	case AML_WORD: n = 2; break;
	case AML_DWORD: n = 4; break;
	case AML_QWORD: n = 8; break;
	default:
		r->pos--;
		return bad(r, "opcode 0x%02x where an integer was expected", op);
	}
	*v = 0;
	for (i = 0; i < n; i++) {
		if (byte(r, &b))
			return -EPROTO;
		*v |= (u64)b << (8 * i);
	}
	return 0;
}

/**
 * gh_acpi_header_check() - is this an ACPI table?
 * @data: the file's bytes
 * @len: their number
 * @sig: the signature it must have ("SSDT"), NULL for any of A-Z, 0-9, _
 * @why: receives the first fault found
 * @whylen: its size
 *
 * Return: 0, or -EBADMSG with @why set.
 */
int gh_acpi_header_check(const u8 *data, size_t len, const char *sig,
			 char *why, size_t whylen)
{
	u32 hlen;
	unsigned int i;
	u8 sum = 0;
	size_t k;

	if (len < ACPI_HDR_LEN) {
		snprintf(why, whylen, "%zu bytes, shorter than an ACPI table header (36): "
			 "not an ACPI table", len);
		return -EBADMSG;
	}
	for (i = 0; i < 4; i++)
		if (!seg_char(data[i], false)) {
			snprintf(why, whylen, "the first 4 bytes are no table signature "
				 "(byte 0x%02x): not an ACPI table", data[i]);
			return -EBADMSG;
		}
	if (sig && memcmp(data, sig, 4)) {
		snprintf(why, whylen, "signature '%.4s', not '%s'", (const char *)data, sig);
		return -EBADMSG;
	}
	hlen = (u32)data[4] | (u32)data[5] << 8 | (u32)data[6] << 16 | (u32)data[7] << 24;
	if (hlen != len) {
		snprintf(why, whylen, "the header says %u bytes, the file has %zu: "
			 "truncated or padded", hlen, len);
		return -EBADMSG;
	}
	for (k = 0; k < len; k++)
		sum += data[k];
	if (sum) {
		snprintf(why, whylen, "the bytes sum to 0x%02x, not 0: a bad checksum "
			 "(byte 9 is 0x%02x), edited after it was written", sum, data[9]);
		return -EBADMSG;
	}
	return 0;
}

/* The table body after the header and iasl's If (Zero) { External ... }. */
static int body_start(struct rd *r, const u8 *data, size_t len, char *why, size_t whylen)
{
	size_t end;

	r->p = data;
	r->pos = ACPI_HDR_LEN;
	r->end = len;
	r->why = why;
	r->whylen = whylen;
	if (len < ACPI_HDR_LEN || memcmp(data, "SSDT", 4)) {
		snprintf(why, whylen, "not an SSDT");
		return -EPROTO;
	}
	while (r->pos < r->end && (r->p[r->pos] == AML_IF || r->p[r->pos] == AML_EXTERNAL)) {
		if (r->p[r->pos] == AML_EXTERNAL)
			return bad(r, "a bare External: gpuhelper wraps them in If (Zero)");
		r->pos++;
		if (pkglen(r, &end))
			return -EPROTO;
		if (r->pos >= end || r->p[r->pos] != AML_ZERO)
			return bad(r, "an If that is not the If (Zero) of the Externals");
		r->pos = end;
	}
	return 0;
}

/* Scope (path) {: *end receives the end of the Scope */
static int scope(struct rd *r, char *path, size_t plen, size_t *end)
{
	u8 op;

	if (byte(r, &op))
		return -EPROTO;
	if (op != AML_SCOPE) {
		r->pos--;
		return bad(r, "opcode 0x%02x where gpuhelper writes Scope (0x10)", op);
	}
	if (pkglen(r, end))
		return -EPROTO;
	r->end = *end;
	path[0] = '\0';
	return namestring(r, path, plen);
}

static int table_end(struct rd *r, size_t len, size_t scope_end)
{
	if (r->pos != scope_end)
		return bad(r, "more terms in the Scope than gpuhelper writes");
	r->end = len;
	if (r->pos != len)
		return bad(r, "more terms after the Scope than gpuhelper writes");
	return 0;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/**
 * gh_aml_read_vbios() - decode one table of gpuhelper acpi vbios
 * @data: the table
 * @len: its length (the file's; the header's length field is not used)
 * @v: receives what it holds
 * @why: receives the reason on failure
 * @whylen: its size
 *
 * Accepts Scope (path) { Name (VRnn, Buffer (n) {...}) } and
 * Scope (path) { Method (_ROM, 2) {...} }, the method's body unread.
 *
 * Return: 0, or -EPROTO with @why set.
 */
int gh_aml_read_vbios(const u8 *data, size_t len, struct gh_aml_vbios *v,
		      char *why, size_t whylen)
{
	size_t send, tend;
	char name[GH_AML_PATH_LEN] = "";
	struct rd r;
	u64 n;
	u8 op;

	memset(v, 0, sizeof(*v));
	v->index = -1;
	if (body_start(&r, data, len, why, whylen) ||
	    scope(&r, v->scope, sizeof(v->scope), &send) || byte(&r, &op))
		return -EPROTO;
	if (op == AML_METHOD) {
		if (pkglen(&r, &tend) || (r.end = tend, nameseg(&r, name, sizeof(name))))
			return -EPROTO;
		if (strcmp(name, "_ROM"))
			return bad(&r, "Method (%s) where gpuhelper writes _ROM", name);
		if (byte(&r, &op))
			return -EPROTO;
		if ((op & 7) != 2)
			return bad(&r, "_ROM takes %u arguments, not 2", op & 7);
		v->rom_method = true;
		r.pos = tend;
		r.end = send;
		return table_end(&r, len, send);
	}
	if (op != AML_NAME) {
		r.pos--;
		return bad(&r, "opcode 0x%02x where gpuhelper writes Name (VRnn) or Method (_ROM)",
			   op);
	}
	if (nameseg(&r, name, sizeof(name)))
		return -EPROTO;
	if (strlen(name) != 4 || name[0] != 'V' || name[1] != 'R' ||
	    hex_digit(name[2]) < 0 || hex_digit(name[3]) < 0)
		return bad(&r, "Name (%s) where gpuhelper writes VRnn", name);
	v->index = hex_digit(name[2]) * 16 + hex_digit(name[3]);
	if (byte(&r, &op))
		return -EPROTO;
	if (op != AML_BUFFER) {
		r.pos--;
		return bad(&r, "%s is opcode 0x%02x, not a Buffer (0x11)", name, op);
	}
	if (pkglen(&r, &tend))
		return -EPROTO;
	r.end = tend;
	if (integer(&r, &n))
		return -EPROTO;
	if (n != tend - r.pos)
		return bad(&r, "%s says %llu bytes and holds %zu", name,
			   (unsigned long long)n, tend - r.pos);
	v->buf = data + r.pos;
	v->buf_len = tend - r.pos;
	r.pos = tend;
	r.end = send;
	return table_end(&r, len, send);
}

static bool has_seg(const u8 *p, size_t len, const char *seg)
{
	size_t i;

	for (i = 0; i + NAME_SEG <= len; i++)
		if (!memcmp(p + i, seg, NAME_SEG))
			return true;
	return false;
}

/**
 * gh_aml_read_battery() - decode the table of gpuhelper acpi battery
 * @data: the table
 * @len: its length
 * @b: receives the device's path, _HID and which methods it has
 * @why: receives the reason on failure
 * @whylen: its size
 *
 * Accepts Scope (path) { Device (name) { Name (_HID, EisaId or String) ...
 * } }; the rest of the device is scanned for the NameSegs _STA, _BIF and
 * _BST, not decoded.
 *
 * Return: 0, or -EPROTO with @why set.
 */
int gh_aml_read_battery(const u8 *data, size_t len, struct gh_aml_battery *b,
			char *why, size_t whylen)
{
	size_t send, dend;
	char name[GH_AML_PATH_LEN] = "";
	struct rd r;
	u64 v;
	u8 op;

	memset(b, 0, sizeof(*b));
	if (body_start(&r, data, len, why, whylen) ||
	    scope(&r, b->path, sizeof(b->path), &send) || byte(&r, &op))
		return -EPROTO;
	if (op != AML_EXT || byte(&r, &op) || op != AML_EXT_DEVICE) {
		r.pos--;
		return bad(&r, "no Device (0x5b 0x82) where gpuhelper writes the battery");
	}
	if (pkglen(&r, &dend))
		return -EPROTO;
	r.end = dend;
	if (strlen(b->path) + 1 < sizeof(b->path))
		strcat(b->path, ".");
	if (nameseg(&r, b->path, sizeof(b->path)) || byte(&r, &op))
		return -EPROTO;
	if (op != AML_NAME || nameseg(&r, name, sizeof(name)) || strcmp(name, "_HID")) {
		snprintf(why, whylen, "device %s does not start with Name (_HID)", b->path);
		return -EPROTO;
	}
	if (r.pos < r.end && r.p[r.pos] == AML_STRING) {
		const char *s = (const char *)r.p + r.pos + 1;
		size_t max = r.end - r.pos - 1;

		if (strnlen(s, max) == max)
			return bad(&r, "an unterminated _HID string");
		b->hid = aml_eisaid_value(s);
		r.pos += strlen(s) + 2;
	} else {
		if (integer(&r, &v))
			return -EPROTO;
		b->hid = (u32)v;
	}
	b->sta = has_seg(r.p + r.pos, dend - r.pos, "_STA");
	b->bif = has_seg(r.p + r.pos, dend - r.pos, "_BIF");
	b->bst = has_seg(r.p + r.pos, dend - r.pos, "_BST");
	r.pos = dend;
	r.end = send;
	return table_end(&r, len, send);
}
