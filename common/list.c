// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * list.c - walk a comma-separated parameter list (see list.h).
 */
#include "list.h"

static int stop(struct gh_list_error *err, unsigned int index,
		const char *entry, size_t len, size_t entry_max,
		const char *reason, int ret)
{
	if (!err)
		return ret;
	if (len > entry_max)
		len = entry_max;
	if (len > GH_LIST_ENTRY_MAX)
		len = GH_LIST_ENTRY_MAX;
	err->index = index;
	memcpy(err->entry, entry, len);
	err->entry[len] = '\0';
	err->reason = reason;
	return ret;
}

/**
 * gh_list_walk() - check every entry of a comma-separated list
 * @s: the list; a trailing newline is ignored, an empty list is valid
 * @max: the most entries allowed
 * @entry_max: the longest entry allowed
 * @fn: parses one entry (its results are the caller's, in @arg)
 * @arg: passed to @fn
 * @nr: receives the number of entries when the whole list is good
 * @err: optional; filled with the first bad entry on error
 *
 * Return: 0; -EINVAL for an empty or overlong entry; -E2BIG for more than
 * @max entries; or what @fn returned for the first entry it refused.
 */
int gh_list_walk(const char *s, unsigned int max, size_t entry_max,
		 gh_list_entry_fn fn, void *arg, unsigned int *nr,
		 struct gh_list_error *err)
{
	size_t total = strlen(s);
	unsigned int n = 0;
	int ret;

	if (total && s[total - 1] == '\n')
		total--;

	while (total) {
		const char *comma = memchr(s, ',', total);
		size_t len = comma ? (size_t)(comma - s) : total;
		const char *reason = NULL;

		if (!len)
			return stop(err, n, s, 0, entry_max, "empty entry", -EINVAL);
		if (n == max)
			return stop(err, n, s, len, entry_max, "too many entries",
				    -E2BIG);
		if (len > entry_max)
			return stop(err, n, s, len, entry_max, "entry too long",
				    -EINVAL);
		ret = fn(arg, n, s, len, &reason);
		if (ret)
			return stop(err, n, s, len, entry_max,
				    reason ? reason : "malformed entry", ret);
		n++;
		s += len;
		total -= len;
		if (comma) {
			s++;
			total--;
			if (!total)
				return stop(err, n, s, 0, entry_max, "empty entry",
					    -EINVAL);
		}
	}
	*nr = n;
	return 0;
}
