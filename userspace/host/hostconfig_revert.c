// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_revert.c - plan gpuhelper host-config --revert: the files
 * edited in place get their backups back, the files written whole go
 * (the user's lines in them stay), the backups are removed last.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/atomicwrite.h"
#include "host/hostconfig_priv.h"

/* Backups to remove once every file is back: after all other edits. */
struct revert {
	struct gh_plan *p;
	char baks[GH_EDITS_MAX][600];
	unsigned int nb;
};

static int load_backup(struct revert *r, const char *abs, char **text)
{
	char bak[600];

	snprintf(bak, sizeof(bak), "%s" GH_BACKUP_SUFFIX, abs);
	return hc_plan_load(r->p, bak, text);
}

static void drop_backup_later(struct revert *r, const char *abs)
{
	if (r->nb < GH_EDITS_MAX)
		snprintf(r->baks[r->nb++], sizeof(r->baks[0]), "%s" GH_BACKUP_SUFFIX, abs);
}

/* @abs gets its backup's text back (@bak: that text, consumed). */
static int revert_restore(struct revert *r, const char *abs, char *bak)
{
	char *cur;
	int err = hc_plan_load(r->p, abs, &cur);

	if (err) {
		free(bak);
		return err;
	}
	hc_plan_add(r->p, abs, cur, bak);
	drop_backup_later(r, abs);
	return 0;
}

/* The user's lines of one of our files, minus those @other has. */
static char *yours_minus(const char *cur, const char *other)
{
	struct buf yours = { 0 }, keep = { 0 };
	const char *l;

	hc_yours_lines(cur, &yours);
	for (l = yours.s; l && *l; l += strcspn(l, "\n"), l += *l == '\n') {
		size_t n = strcspn(l, "\n");

		if (!other || !hc_has_line(other, l, n)) {
			hc_put(&keep, l, n);
			hc_puts(&keep, "\n");
		}
	}
	free(yours.s);
	return keep.s;		/* NULL: none */
}

/*
 * A file host-config wrote whole goes (the user's lines under YOURS_LINE
 * stay, less those of @moved_from's backup, which come back there). A
 * backup of a user's file of that name is restored instead.
 */
static int revert_owned(struct revert *r, const char *abs, const char *moved_from)
{
	char *cur = NULL, *bak = NULL, *other = NULL;
	int err = load_backup(r, abs, &bak);

	if (!err)
		err = hc_plan_load(r->p, abs, &cur);
	if (!err && moved_from)
		err = load_backup(r, moved_from, &other);
	if (err)
		goto out;
	if (bak && !hc_is_ours(bak)) {
		err = revert_restore(r, abs, bak);
		bak = NULL;
		goto out;
	}
	if (bak)
		drop_backup_later(r, abs);
	if (hc_is_ours(cur)) {
		hc_plan_add(r->p, abs, cur, yours_minus(cur, other));
		cur = NULL;
	}
out:
	free(cur);
	free(bak);
	free(other);
	return err;
}

/* A file host-config edited in place gets its backup back, if it has one. */
static int revert_edited(struct revert *r, const char *abs)
{
	char *bak;
	int err = load_backup(r, abs, &bak);

	if (err || !bak)
		return err;
	return revert_restore(r, abs, bak);
}

static int revert_entries(struct revert *r)
{
	unsigned int i, n;
	size_t d, sl = strlen(GH_BACKUP_SUFFIX);
	int err = 0;

	for (d = 0; !err && d < ARRAY_SIZE(hc_entry_dirs); d++) {
		char **names;

		n = hc_list_dir(hc_entry_dirs[d], ".conf" GH_BACKUP_SUFFIX, false, &names);
		for (i = 0; !err && i < n; i++) {
			char abs[512];

			snprintf(abs, sizeof(abs), "%s/%.*s", hc_entry_dirs[d],
				 (int)(strlen(names[i]) - sl), names[i]);
			err = revert_edited(r, abs);
		}
		hc_names_free(names, n);
	}
	return err;
}

static int revert_backups(struct revert *r)
{
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < r->nb; i++) {
		char *text;

		err = hc_plan_load(r->p, r->baks[i], &text);
		if (!err && text)
			hc_plan_add(r->p, r->baks[i], text, NULL);
	}
	return err;
}

/**
 * gh_hostcfg_revert_plan() - undo what host-config wrote
 * @p: receives the edits
 *
 * Files host-config edited in place get their FILE.gpuhelper-bak back; the
 * files it wrote whole go (the lines the user added under YOURS_LINE
 * stay); /etc/modprobe.d/gpuhelper.conf, migrated away, comes back. The
 * backups are removed last, once every file is back, so a revert killed
 * midway is finished by the next one, and a finished one leaves nothing
 * for the next to do.
 *
 * Return: 0 or -errno (p->error says which file).
 */
int gh_hostcfg_revert_plan(struct gh_plan *p)
{
	static const char *const edited[] = {
		GH_MODPROBE_OLD, MKINITCPIO_CONF, ITOOLS_MODULES, GRUB_DEFAULT, KERNEL_CMDLINE,
	};
	static const char *const owned[] = {
		MODULES_LOAD, CLAIM_RULE, DRACUT_CONF, MKINITCPIO_DROP, GRUB_DROP,
		LG_TMPFILES, LG_KVMFR_MODPROBE, LG_KVMFR_LOAD, LG_KVMFR_UDEV,
	};
	struct revert *r = calloc(1, sizeof(*r));
	size_t i;
	int err;

	if (!r)
		return -ENOMEM;
	memset(p, 0, sizeof(*p));
	r->p = p;
	err = revert_owned(r, GH_MODPROBE_LOCAL, GH_MODPROBE_OLD);
	for (i = 0; !err && i < ARRAY_SIZE(owned); i++)
		err = revert_owned(r, owned[i], NULL);
	for (i = 0; !err && i < ARRAY_SIZE(edited); i++)
		err = revert_edited(r, edited[i]);
	if (!err)
		err = revert_entries(r);
	if (!err)
		err = revert_backups(r);
	if (!err && p->error[0])
		err = -E2BIG;
	if (err)
		hc_edits_free(p);
	free(r);
	return err;
}
