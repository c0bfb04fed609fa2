// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_grubby.c - the kernel parameters where GRUB reads BLS
 * entries (Fedora): grubby owns them, so gpuhelper reads the user's words
 * everywhere they may be and prints the grubby command to run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "host/hostconfig_priv.h"

static int grubby_tokens(struct gh_plan *p, struct toks *all)
{
	struct toks lin = { 0 }, def = { 0 };
	unsigned int i, n;
	bool opaque = false;
	char *text;
	size_t d;
	int err = hc_plan_load(p, GRUB_DEFAULT, &text);

	if (!err && text)
		hc_grub_sim(text, &lin, &def, &opaque);
	free(text);
	hc_toks_concat(all, &lin, &def);
	hc_toks_free(&lin);
	hc_toks_free(&def);
	for (d = 0; !err && d < ARRAY_SIZE(hc_entry_dirs); d++) {
		char **names;

		n = hc_list_dir(hc_entry_dirs[d], ".conf", false, &names);
		for (i = 0; !err && i < n; i++) {
			char abs[512];
			const char *last;

			snprintf(abs, sizeof(abs), "%s/%s", hc_entry_dirs[d], names[i]);
			err = hc_plan_load(p, abs, &text);
			if (!err && text)
				hc_entry_tokens(text, all, &last);
			free(text);
		}
		hc_names_free(names, n);
	}
	if (!err)
		err = hc_plan_load(p, KERNEL_CMDLINE, &text);
	if (!err && text)
		hc_toks_split(all, text);
	free(text);
	return err;
}

int hc_plan_grubby(const struct gh_hostcfg *c, const char *const *params, struct gh_plan *p)
{
	struct toks all = { 0 };
	const char *add[8];
	int err = grubby_tokens(p, &all);

	if (!err && hc_missing_params(params, &all, "/boot/loader/entries", c->ids, p, add, 8))
		hc_todo_args(p, "grubby --update-kernel=ALL --args=\"%s\"\n", add);
	if (!err)
		hc_say(&p->notes, "gpuhelper host-config: GRUB reads BLS entries here "
		       "(GRUB_ENABLE_BLSCFG=true); grubby owns them, so gpuhelper prints the "
		       "grubby command instead of editing them\n");
	hc_toks_free(&all);
	return err;
}
