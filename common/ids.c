// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ids.c - parse and match the ids= device list.
 *
 * The whole list is validated before anything is stored: a caller gets
 * either every entry or an error naming the first bad one, never a prefix.
 */
#include "ids.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parse one hex field of at most @digits digits from @s[0..len).
 * Returns the number of characters used, or 0 when the field is empty,
 * too long or holds a non-hex character.
 */
static size_t parse_field(const char *s, size_t len, unsigned int digits,
			  u32 *out)
{
	size_t i = 0;
	u32 v = 0;

	while (i < len && s[i] != ':') {
		int d = hexval(s[i]);

		if (d < 0 || i >= digits)
			return 0;
		v = (v << 4) | (u32)d;
		i++;
	}
	if (!i)
		return 0;
	*out = v;
	return i;
}

/* Fields: vendor, device, subvendor, subdevice, class, class_mask. */
static const unsigned int field_digits[6] = { 4, 4, 4, 4, 6, 6 };

static int parse_entry(const char *s, size_t len, struct gh_id *id,
		       const char **reason)
{
	u32 f[6] = { 0, 0, GH_ID_ANY, GH_ID_ANY, 0, 0 };
	unsigned int n = 0;
	size_t pos = 0;

	for (;;) {
		size_t used;

		if (n == 6) {
			*reason = "too many fields";
			return -EINVAL;
		}
		used = parse_field(s + pos, len - pos, field_digits[n], &f[n]);
		if (!used) {
			*reason = n < 4 ?
				"vendor, device, subvendor and subdevice take 1 to 4 hex digits" :
				"class and class_mask take 1 to 6 hex digits";
			return -EINVAL;
		}
		pos += used;
		n++;
		if (pos == len)
			break;
		pos++; /* the ':' */
		if (pos == len) {
			*reason = "trailing ':'";
			return -EINVAL;
		}
	}
	if (n != 2 && n != 4 && n != 6) {
		*reason = "expected vendor:device[:subvendor:subdevice[:class:class_mask]]";
		return -EINVAL;
	}
	if (f[0] == 0xffff || f[1] == 0xffff) {
		*reason = "vendor and device must be real IDs, not ffff";
		return -EINVAL;
	}
	if (n == 6 && (f[4] & ~f[5])) {
		*reason = "class has bits outside class_mask";
		return -EINVAL;
	}
	/* ffff is no real subsystem ID: it reads as "any", as PCI_ANY_ID does */
	if (f[2] == 0xffff)
		f[2] = GH_ID_ANY;
	if (f[3] == 0xffff)
		f[3] = GH_ID_ANY;
	id->vendor = f[0];
	id->device = f[1];
	id->subvendor = f[2];
	id->subdevice = f[3];
	id->class = f[4];
	id->class_mask = f[5];
	return 0;
}

static int ids_entry(void *arg, unsigned int n, const char *entry,
		     size_t len, const char **reason)
{
	struct gh_id *tmp = arg;

	return parse_entry(entry, len, &tmp[n], reason);
}

/**
 * gh_ids_parse() - parse a comma-separated ids= list
 * @s: the list; a trailing newline is ignored, an empty list is valid
 * @ids: array receiving the entries (left untouched on error)
 * @max: capacity of @ids
 * @nr: receives the number of entries
 * @err: optional; filled with the first bad entry on error
 *
 * Return: 0, -EINVAL for a malformed entry or -E2BIG for more than @max.
 */
int gh_ids_parse(const char *s, struct gh_id *ids, unsigned int max,
		 unsigned int *nr, struct gh_list_error *err)
{
	struct gh_id tmp[GH_IDS_MAX];
	unsigned int n;
	int ret;

	ret = gh_list_walk(s, max < GH_IDS_MAX ? max : GH_IDS_MAX,
			   GH_ID_ENTRY_MAX, ids_entry, tmp, &n, err);
	if (ret)
		return ret;
	memcpy(ids, tmp, n * sizeof(*ids));
	*nr = n;
	return 0;
}

/**
 * gh_id_match() - does a device match one ids= entry
 * @id: the entry
 * @vendor: the device's vendor ID
 * @device: the device's device ID
 * @subvendor: its subsystem vendor ID
 * @subdevice: its subsystem device ID
 * @class: its 24-bit class code
 *
 * Return: true on a match.
 */
bool gh_id_match(const struct gh_id *id, u32 vendor, u32 device,
		 u32 subvendor, u32 subdevice, u32 class)
{
	return id->vendor == vendor && id->device == device &&
	       (id->subvendor == GH_ID_ANY || id->subvendor == subvendor) &&
	       (id->subdevice == GH_ID_ANY || id->subdevice == subdevice) &&
	       !((class ^ id->class) & id->class_mask);
}

/**
 * gh_id_format() - print an entry in the form gh_ids_parse() reads
 * @id: the entry
 * @buf: output buffer
 * @len: its size
 *
 * Return: what snprintf() returns.
 */
int gh_id_format(const struct gh_id *id, char *buf, size_t len)
{
	if (id->class_mask)
		return snprintf(buf, len, "%04x:%04x:%04x:%04x:%06x:%06x",
				id->vendor, id->device,
				id->subvendor & 0xffff, id->subdevice & 0xffff,
				id->class, id->class_mask);
	if (id->subvendor != GH_ID_ANY || id->subdevice != GH_ID_ANY)
		return snprintf(buf, len, "%04x:%04x:%04x:%04x", id->vendor,
				id->device, id->subvendor & 0xffff,
				id->subdevice & 0xffff);
	return snprintf(buf, len, "%04x:%04x", id->vendor, id->device);
}
