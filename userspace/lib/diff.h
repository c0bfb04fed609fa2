/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diff.h - a unified diff of two small texts (config files), like
 * diff -u, for showing what host-config is about to write.
 */
#ifndef GH_DIFF_H
#define GH_DIFF_H

#include <stdio.h>

/*
 * Write the diff of @old (NULL: a new file) and @new (NULL: the file is
 * removed) to @f; 0 when equal.
 */
int gh_diff(FILE *f, const char *path, const char *old, const char *new_);

#endif /* GH_DIFF_H */
