/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * gh_types.h - the few types and helpers the shared parsers need, from the
 * kernel when built into gpuhelper.ko and from libc when built into the CLI
 * or a test. Code under common/ includes this and nothing environment
 * specific, so the same parser is unit-tested and fuzzed in userspace.
 */
#ifndef GH_TYPES_H
#define GH_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
/*
 * the kernel's __printf(), for the shared parsers' formatting helpers
 * (kselftest.h defines the same one)
 */
#ifndef __printf
#define GH_ATTRIBUTE(...) __attribute__((__VA_ARGS__))
#define __printf(a, b) GH_ATTRIBUTE(format(printf, a, b))
#endif
#endif

#endif /* GH_TYPES_H */
