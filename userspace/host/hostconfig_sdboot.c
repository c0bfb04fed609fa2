// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_sdboot.c - the kernel parameters for systemd-boot: the
 * "options" line of every loader entry, and /etc/kernel/cmdline.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/hostconfig_priv.h"

const char *const hc_entry_dirs[HC_ENTRY_DIRS] = {
	"/boot/loader/entries", "/efi/loader/entries", "/boot/efi/loader/entries",
};

static bool options_line(const char *l)
{
	return !strncmp(l, "options", 7) && (l[7] == ' ' || l[7] == '\t');
}

/* The words of every "options" line of a loader entry. */
void hc_entry_tokens(const char *text, struct toks *t, const char **last_options)
{
	const char *l;

	*last_options = NULL;
	for (l = text; *l; l += strcspn(l, "\n"), l += *l == '\n') {
		if (!options_line(l))
			continue;
		*last_options = l;
		{
			char *s = strndup(l + 8, strcspn(l, "\n") - 8);

			hc_toks_split(t, s);
			free(s);
		}
	}
}

static char *entry_edit(const char *text, const char *last_options, const char *const *add)
{
	struct buf b = { 0 };
	const char *end;

	if (!last_options) {
		hc_puts(&b, text);
		if (b.len && b.s[b.len - 1] != '\n')
			hc_puts(&b, "\n");
		hc_puts(&b, "options ");
		hc_join_params(&b, add);
		hc_puts(&b, "\n");
		return hc_done(&b);
	}
	end = last_options + strcspn(last_options, "\n");
	while (end > last_options && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	hc_put(&b, text, (size_t)(end - text));
	hc_puts(&b, " ");
	hc_join_params(&b, add);
	hc_puts(&b, end);
	return hc_done(&b);
}

static bool is_entry(const char *text)
{
	const char *l;

	for (l = text; *l; l += strcspn(l, "\n"), l += *l == '\n')
		if (!strncmp(l, "linux", 5) && (l[5] == ' ' || l[5] == '\t'))
			return true;
	return false;
}

static int plan_entry(const struct gh_hostcfg *c, const char *const *params,
		      struct gh_plan *p, const char *abs, unsigned int *found)
{
	struct toks t = { 0 };
	const char *add[8], *last;
	char *old;
	int err = hc_plan_load(p, abs, &old);

	if (err || !old || !is_entry(old)) {
		free(old);
		return err;
	}
	(*found)++;
	hc_entry_tokens(old, &t, &last);
	if (hc_missing_params(params, &t, abs, c->ids, p, add, 8))
		hc_plan_add(p, abs, old, entry_edit(old, last, add));
	else
		free(old);
	hc_toks_free(&t);
	return 0;
}

/* Every line kept; the new words go at the end of the last non-empty one. */
static char *cmdline_edit(const char *text, const char *const *add)
{
	struct buf b = { 0 };
	const char *end = text + strlen(text);

	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	hc_put(&b, text, (size_t)(end - text));
	if (b.len)
		hc_puts(&b, " ");
	hc_join_params(&b, add);
	hc_puts(&b, *end ? end : "\n");
	return hc_done(&b);
}

static int plan_kernel_cmdline(const struct gh_hostcfg *c, const char *const *params,
			       struct gh_plan *p, unsigned int *found)
{
	struct toks t = { 0 };
	const char *add[8];
	char *old;
	int err = hc_plan_load(p, KERNEL_CMDLINE, &old);

	if (err || !old)
		return err;
	(*found)++;
	hc_toks_split(&t, old);
	if (hc_missing_params(params, &t, KERNEL_CMDLINE, c->ids, p, add, 8))
		hc_plan_add(p, KERNEL_CMDLINE, old, cmdline_edit(old, add));
	else
		free(old);
	hc_toks_free(&t);
	return 0;
}

int hc_plan_sdboot(const struct gh_hostcfg *c, const char *const *params, struct gh_plan *p)
{
	unsigned int found = 0, i, n;
	size_t d;
	int err = 0;

	for (d = 0; !err && d < ARRAY_SIZE(hc_entry_dirs); d++) {
		char **names;

		n = hc_list_dir(hc_entry_dirs[d], ".conf", false, &names);
		for (i = 0; !err && i < n; i++) {
			char abs[512];

			snprintf(abs, sizeof(abs), "%s/%s", hc_entry_dirs[d], names[i]);
			err = plan_entry(c, params, p, abs, &found);
		}
		hc_names_free(names, n);
	}
	if (!err)
		err = plan_kernel_cmdline(c, params, p, &found);
	if (!err && !found) {
		snprintf(p->error, sizeof(p->error), "no systemd-boot entry with a 'linux' line "
			 "under %s{/boot,/efi,/boot/efi}/loader/entries nor /etc/kernel/cmdline: "
			 "is this the right --root and --bootloader?", hc_shown_root());
		err = -ENOENT;
	}
	return err;
}
