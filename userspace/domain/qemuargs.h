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

#endif /* GH_QEMUARGS_H */
