/* SPDX-License-Identifier: GPL-2.0 */
/*
 * atomicwrite.h - replace a file whole or not at all: write a temporary
 * file beside it, fsync, rename over it, fsync the directory. The old
 * content, when it differs, is kept as FILE.gpuhelper-bak first. Temp
 * files a killed run left are removed by the next write of FILE.
 *
 * gpuhelper writes as root into places a user may have prepared (-o in a
 * home directory), so the old file is opened without following a link and
 * checked on its descriptor: a symbolic link is refused (-ELOOP: gpuhelper
 * does not write through links), so is anything but a regular file
 * (-ENXIO, -EISDIR). The new file keeps the old one's owner, group,
 * permission bits (never setuid, setgid or sticky) and extended attributes
 * (ACLs, the SELinux label); the backup is mode 0600.
 */
#ifndef GH_ATOMICWRITE_H
#define GH_ATOMICWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/fileio.h"

#define GH_BACKUP_SUFFIX ".gpuhelper-bak"
/* FILE.gpuhelper-tmp.XXXXXX: the new text, until renamed over FILE */
#define GH_TEMP_INFIX ".gpuhelper-tmp."
/* The backup holds what the old file held: its owner's alone. */
#define GH_BACKUP_MODE 0600

/* Test hook: the Nth write(2) of the process fails with -EIO (0: none). */
extern unsigned int gh_replace_fail_after;

int gh_replace_file(const char *path, const char *data, size_t len, mode_t mode,
		    bool backup);
/* mkdir -p, for the parents of a file under a --root tree. */
int gh_make_parents(const char *path);

#endif /* GH_ATOMICWRITE_H */
