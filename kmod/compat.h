/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every difference between the kernels gpuhelper builds on
 * (Debian 12's 6.1 and 6.12) lives here, never in the logic.
 */
#ifndef GH_COMPAT_H
#define GH_COMPAT_H

#include <linux/version.h>
#include <linux/device.h>

/*
 * 6.4 made struct class const-friendly and dropped class_create()'s owner
 * argument; a statically defined class registered with class_register()
 * works unchanged on both, so nothing is needed for it here.
 */

#endif /* GH_COMPAT_H */
