/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qemuargs.h - the plan as a QEMU command line, for running without
 * libvirt: the same devices, addresses and properties as domain.c.
 */
#ifndef GH_QEMUARGS_H
#define GH_QEMUARGS_H

#include <stdio.h>

#include "domain/vmplan.h"

void gh_qemu_args(FILE *f, const struct gh_vm_plan *p);
/* The viewer command for the script's display, "" when headless. */
void gh_qemu_viewer(const struct gh_vm_plan *p, char *buf, size_t len);

#endif /* GH_QEMUARGS_H */
