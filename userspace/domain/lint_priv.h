/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lint_priv.h - what the rule files (lint.c, lint_tables.c) share: one
 * lint run over a domain.
 */
#ifndef GH_LINT_PRIV_H
#define GH_LINT_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "gh_types.h"
#include "domain/lint.h"

/**
 * struct gh_lint_table - one ACPI table file the domain loads
 * @where: its <qemu:arg> or <table> element
 * @path: the file, as the domain names it
 * @data: its bytes, NULL when it could not be read
 * @len: their number
 * @err: 0, or the -errno of the read
 * @bad: the header check failed (@why says how)
 * @why: the read's or the header check's fault
 * @vbios: a table of gpuhelper acpi vbios (named *vbios*, as GH011 reads)
 */
struct gh_lint_table {
	xmlNodePtr where;
	char path[256];
	u8 *data;
	size_t len;
	int err;
	bool bad;
	char why[256];
	bool vbios;
};

#define GH_LINT_TABLES_MAX	64

struct gh_lint_ctx {
	xmlDocPtr doc;
	xmlNodePtr root, devs, os, features, cmdline, override, caps;
	unsigned int libvirt;
	struct gh_lint_result *r;
	xmlNodePtr dgpu;	/* the passed GPU's hostdev */
	xmlNodePtr mdev;	/* the GVT-g hostdev */
	struct gh_lint_table tables[GH_LINT_TABLES_MAX];
	unsigned int nr_tables;	/* distinct files, in domain order */
};

enum gh_lint_status gh_lint_fail(struct gh_lint_ctx *c, xmlNodePtr n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum gh_lint_status gh_lint_note(struct gh_lint_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool gh_lint_qemu_prop(struct gh_lint_ctx *c, xmlNodePtr h, const char *name,
		       char *val, size_t vlen);

void gh_lint_tables_load(struct gh_lint_ctx *c);
void gh_lint_tables_free(struct gh_lint_ctx *c);

/* lint_tables.c: the rules that read the tables' contents */
enum gh_lint_status gh_lint_r_table_files(struct gh_lint_ctx *c);
enum gh_lint_status gh_lint_r_vbios_rom(struct gh_lint_ctx *c);
enum gh_lint_status gh_lint_r_vbios_chain(struct gh_lint_ctx *c);
enum gh_lint_status gh_lint_r_battery_device(struct gh_lint_ctx *c);
enum gh_lint_status gh_lint_r_vbios_machine(struct gh_lint_ctx *c);

/* lint_display.c: the guest's screen and input */
enum gh_lint_status gh_lint_r_lg_size(struct gh_lint_ctx *c);
enum gh_lint_status gh_lint_r_evdev_exists(struct gh_lint_ctx *c);
enum gh_lint_status gh_lint_r_one_stage(struct gh_lint_ctx *c);

#endif /* GH_LINT_PRIV_H */
