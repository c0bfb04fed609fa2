/* SPDX-License-Identifier: GPL-2.0 */
/*
 * profile.h - shipped PCI snapshots of known machines ("r720"), found in
 * $GPUHELPER_PROFILES (read through gh_env(), root.h), next to the binary
 * (the build tree) or in $(PREFIX)/share/gpuhelper/profiles; a path with a
 * '/' is used as is.
 */
#ifndef GH_PROFILE_H
#define GH_PROFILE_H

#include <stddef.h>

int gh_profile_find(const char *name, char *dir, size_t len);
/* Find @name and read its PCI devices from it from now on; prints why not. */
int gh_profile_use(const char *name);
const char *gh_profile_name(void);	/* NULL when reading the live machine */

#endif /* GH_PROFILE_H */
