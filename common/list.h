/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * list.h - the comma-separated lists the module's parameters take (ids=,
 * mdevs=): one walk for all. A list is validated whole before anything is
 * kept, so a caller gets every entry or an error naming the first bad
 * one, never a prefix. Shared by gpuhelper.ko and the CLI.
 */
#ifndef GH_LIST_H
#define GH_LIST_H

#include "gh_types.h"

/* the longest entry an error can quote (mdevs=: 113 characters) */
#define GH_LIST_ENTRY_MAX	127

/**
 * struct gh_list_error - where and why parsing a list stopped
 * @index: number of the bad entry, from 0
 * @entry: a copy of the bad entry, cut to the list's longest entry
 * @reason: a constant string saying what is wrong with it
 */
struct gh_list_error {
	unsigned int index;
	char entry[GH_LIST_ENTRY_MAX + 1];
	const char *reason;
};

/*
 * Parses one entry, the @n-th (from 0), of @len characters at @entry.
 * Returns 0, or a negative errno with *reason set to a constant string.
 */
typedef int (*gh_list_entry_fn)(void *arg, unsigned int n, const char *entry,
				size_t len, const char **reason);

int gh_list_walk(const char *s, unsigned int max, size_t entry_max,
		 gh_list_entry_fn fn, void *arg, unsigned int *nr,
		 struct gh_list_error *err);

#endif /* GH_LIST_H */
