// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mdevs.c - parse and print the mdevs= list (see mdevs.h).
 *
 * As for ids=, the whole list is validated before anything is stored: a
 * caller gets every entry or an error naming the first bad one. Duplicate
 * UUIDs are an error (-EEXIST): the mdev core names devices by UUID alone.
 */
#include "mdevs.h"

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * gh_uuid_parse() - parse a UUID in its 8-4-4-4-12 text form
 * @s: the text, not necessarily terminated
 * @len: its length; must be exactly 36
 * @uuid: receives the 16 bytes in text order
 *
 * Return: 0 or -EINVAL.
 */
int gh_uuid_parse(const char *s, size_t len, u8 uuid[16])
{
	u8 tmp[16];
	unsigned int i, n = 0;

	if (len != GH_MDEV_UUID_LEN)
		return -EINVAL;
	for (i = 0; i < GH_MDEV_UUID_LEN; i++) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -EINVAL;
			continue;
		}
		hi = hexdigit(s[i]);
		lo = hexdigit(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		tmp[n++] = (u8)(hi << 4 | lo);
		i++;
	}
	memcpy(uuid, tmp, sizeof(tmp));
	return 0;
}

/**
 * gh_uuid_format() - print a UUID as the mdev core names devices (%pUl)
 * @uuid: the 16 bytes
 * @buf: receives 36 characters and a NUL
 */
void gh_uuid_format(const u8 uuid[16], char buf[GH_MDEV_UUID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[o++] = '-';
		buf[o++] = hex[uuid[i] >> 4];
		buf[o++] = hex[uuid[i] & 0xf];
	}
	buf[o] = '\0';
}

/**
 * gh_bdf_parse() - parse a PCI address "dddd:bb:dd.f"
 * @s: the text, not necessarily terminated
 * @len: its length; the domain is required
 * @bdf: receives the canonical lower-case form
 *
 * Return: 0 or -EINVAL.
 */
int gh_bdf_parse(const char *s, size_t len, char bdf[GH_MDEV_BDF_LEN + 1])
{
	static const char shape[] = "xxxx:xx:xx.x";
	unsigned int i;
	int slot, fn;

	if (len != GH_MDEV_BDF_LEN)
		return -EINVAL;
	for (i = 0; i < GH_MDEV_BDF_LEN; i++) {
		if (shape[i] == 'x' ? hexdigit(s[i]) < 0 : s[i] != shape[i])
			return -EINVAL;
	}
	slot = hexdigit(s[8]) << 4 | hexdigit(s[9]);
	fn = hexdigit(s[11]);
	if (slot > 0x1f || fn > 7)
		return -EINVAL;
	for (i = 0; i < GH_MDEV_BDF_LEN; i++)
		bdf[i] = (s[i] >= 'A' && s[i] <= 'F') ? s[i] - 'A' + 'a' : s[i];
	bdf[GH_MDEV_BDF_LEN] = '\0';
	return 0;
}

/**
 * gh_mdev_type_valid() - is this a possible mdev type directory name
 * @s: the name, not necessarily terminated
 * @len: its length
 *
 * Type directories are "<driver>-<type>" names made of letters, digits,
 * '_', '-' and '.'; anything else (a '/', a space) cannot name one.
 *
 * Return: 0 or -EINVAL.
 */
int gh_mdev_type_valid(const char *s, size_t len)
{
	size_t i;

	if (!len || len > GH_MDEV_TYPE_MAX || s[0] == '.')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return -EINVAL;
	}
	return 0;
}

static int parse_entry(const char *s, size_t len, struct gh_mdev_spec *spec,
		       const char **reason)
{
	const char *slash1 = memchr(s, '/', len);
	const char *slash2, *type;
	size_t tlen;

	if (!slash1) {
		*reason = "expected BDF/TYPE/UUID";
		return -EINVAL;
	}
	slash2 = memchr(slash1 + 1, '/', len - (size_t)(slash1 + 1 - s));
	if (!slash2) {
		*reason = "expected BDF/TYPE/UUID";
		return -EINVAL;
	}
	if (gh_bdf_parse(s, (size_t)(slash1 - s), spec->bdf)) {
		*reason = "the parent must be a PCI address dddd:bb:dd.f";
		return -EINVAL;
	}
	type = slash1 + 1;
	tlen = (size_t)(slash2 - type);
	if (tlen && gh_mdev_type_valid(type, tlen)) {
		*reason = "the type must be a type directory name (letters, digits, _ - .)";
		return -EINVAL;
	}
	memcpy(spec->type, type, tlen);
	spec->type[tlen] = '\0';
	if (gh_uuid_parse(slash2 + 1, len - (size_t)(slash2 + 1 - s), spec->uuid)) {
		*reason = "the UUID must be 8-4-4-4-12 hex digits";
		return -EINVAL;
	}
	return 0;
}

static int mdevs_entry(void *arg, unsigned int n, const char *entry,
		       size_t len, const char **reason)
{
	struct gh_mdev_spec *tmp = arg;
	unsigned int i;
	int ret;

	ret = parse_entry(entry, len, &tmp[n], reason);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		if (!memcmp(tmp[i].uuid, tmp[n].uuid, 16)) {
			*reason = "UUID listed twice";
			return -EEXIST;
		}
	}
	return 0;
}

/**
 * gh_mdevs_parse() - parse a comma-separated mdevs= list
 * @s: the list; a trailing newline is ignored, an empty list is valid
 * @specs: array receiving the entries (left untouched on error)
 * @max: capacity of @specs
 * @nr: receives the number of entries
 * @err: optional; filled with the first bad entry on error
 *
 * Return: 0, -EINVAL for a malformed entry, -EEXIST for a UUID listed
 * twice, -E2BIG for more than @max entries.
 */
int gh_mdevs_parse(const char *s, struct gh_mdev_spec *specs, unsigned int max,
		   unsigned int *nr, struct gh_list_error *err)
{
	struct gh_mdev_spec tmp[GH_MDEVS_MAX];
	unsigned int n;
	int ret;

	ret = gh_list_walk(s, max < GH_MDEVS_MAX ? max : GH_MDEVS_MAX,
			   GH_MDEV_ENTRY_MAX, mdevs_entry, tmp, &n, err);
	if (ret)
		return ret;
	memcpy(specs, tmp, n * sizeof(*specs));
	*nr = n;
	return 0;
}

/**
 * gh_mdev_spec_format() - print an entry in the form gh_mdevs_parse() reads
 * @spec: the entry
 * @buf: output buffer
 * @len: its size
 *
 * Return: the length printed, as snprintf().
 */
int gh_mdev_spec_format(const struct gh_mdev_spec *spec, char *buf, size_t len)
{
	char uuid[GH_MDEV_UUID_LEN + 1];

	gh_uuid_format(spec->uuid, uuid);
	return snprintf(buf, len, "%s/%s/%s", spec->bdf, spec->type, uuid);
}
