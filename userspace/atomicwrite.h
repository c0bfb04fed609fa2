/* SPDX-License-Identifier: GPL-2.0 */
/*
 * atomicwrite.h - replace a file whole or not at all: write a temporary
 * file beside it, fsync, rename over it, fsync the directory. The old
 * content, when it differs, is kept as FILE.gpuhelper-bak first. Temp
 * files a killed run left are removed by the next write of FILE.
 */
#ifndef GH_ATOMICWRITE_H
#define GH_ATOMICWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "fileio.h"

#define GH_BACKUP_SUFFIX ".gpuhelper-bak"
/* FILE.gpuhelper-tmp.XXXXXX: the new text, until renamed over FILE */
#define GH_TEMP_INFIX ".gpuhelper-tmp."

/* Test hook: the Nth write(2) of the process fails with -EIO (0: none). */
extern unsigned int gh_replace_fail_after;

int gh_replace_file(const char *path, const char *data, size_t len, mode_t mode,
		    bool backup);
/* mkdir -p, for the parents of a file under a --root tree. */
int gh_make_parents(const char *path);

#endif /* GH_ATOMICWRITE_H */
