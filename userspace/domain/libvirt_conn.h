/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvirt_conn.h - gpuhelper's use of libvirt's C API: read the host's
 * libvirt (read-only), define and start a domain. Only the CLI links
 * libvirt; everything else goes by struct gh_libvirt_host.
 */
#ifndef GH_LIBVIRT_CONN_H
#define GH_LIBVIRT_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/libvirt_host.h"

#define GH_LIBVIRT_URI_DEFAULT "qemu:///system"

/* libvirt's error printing off, an event loop for qemu:///embed */
void gh_libvirt_setup(void);
int gh_libvirt_probe(const char *uri, bool tcg, struct gh_libvirt_host *h,
		     char *why, size_t whylen);
int gh_libvirt_define(const char *uri, const char *xml, const char *name,
		      bool replace, bool start, char *why, size_t whylen);

#endif /* GH_LIBVIRT_CONN_H */
