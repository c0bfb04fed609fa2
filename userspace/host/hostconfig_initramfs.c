// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_initramfs.c - gpuhelper in the initramfs, first: a
 * mkinitcpio drop-in (or /etc/mkinitcpio.conf itself when no drop-in is
 * read, and vfio_virqfd dropped on Linux 6.2+), a dracut drop-in, or a
 * line of /etc/initramfs-tools/modules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/hostconfig_priv.h"

static bool module_in(const char *words, const char *m)
{
	struct toks t = { 0 };
	bool in;

	hc_toks_split(&t, words);
	in = hc_toks_has(&t, m);
	hc_toks_free(&t);
	return in;
}

/* The MODULES= of one mkinitcpio file, added to the running simulation. */
static void mkinitcpio_sim(const char *text, struct toks *mods, bool *string_form)
{
	struct gh_sh_assign a[ASSIGNS_MAX];
	int n = gh_sh_assigns(text, "MODULES", a, ASSIGNS_MAX), i;

	for (i = 0; i < n; i++) {
		if (!a[i].appends)
			hc_toks_clear(mods);
		hc_toks_split(mods, a[i].words);
		if (!a[i].array)
			*string_form = true;
	}
	gh_sh_assigns_free(a, (unsigned int)n);
}

/* Drop vfio_virqfd (folded into vfio in Linux 6.2) from a plain MODULES=(...). */
static char *drop_virqfd(const char *line, size_t len)
{
	struct buf b = { 0 };
	const char *open = memchr(line, '(', len), *close = memchr(line, ')', len), *w;

	hc_put(&b, line, (size_t)(open + 1 - line));
	for (w = open + 1; w < close;) {
		size_t n = strcspn(w, " \t)");

		if (n && !(n == 11 && !strncmp(w, "vfio_virqfd", 11))) {
			if (b.s[b.len - 1] != '(')
				hc_puts(&b, " ");
			hc_put(&b, w, n);
		}
		w += n;
		w += strspn(w, " \t");
	}
	hc_put(&b, close, len - (size_t)(close - line));
	return hc_done(&b);
}

/*
 * vfio_virqfd is named in /etc/mkinitcpio.conf on a 6.2+ kernel: drop it
 * from a plain MODULES=(...) (mkinitcpio fails on it); say where else.
 * Return: the fixed text, or NULL when there is nothing to fix.
 */
static char *virqfd_fix(const struct gh_hostcfg *c, const char *text, struct gh_plan *p)
{
	struct gh_sh_assign a[ASSIGNS_MAX];
	struct buf b = { 0 };
	size_t pos = 0;
	int n, i;

	if (c->kver < 6002)
		return NULL;
	n = gh_sh_assigns(text, "MODULES", a, ASSIGNS_MAX);
	for (i = 0; i < n; i++) {
		char *line;

		if (!module_in(a[i].words, "vfio_virqfd") || a[i].start < pos)
			continue;
		if (a[i].not_plain || !a[i].array) {
			hc_say(&p->notes, "gpuhelper host-config: %s%s line %u names vfio_virqfd, "
			       "folded into vfio in Linux 6.2 (running %u.%u): mkinitcpio fails on "
			       "it; remove it there yourself\n", hc_shown_root(), MKINITCPIO_CONF,
			       a[i].first, c->kver / 1000, c->kver % 1000);
			continue;
		}
		hc_put(&b, text + pos, a[i].start - pos);
		line = drop_virqfd(text + a[i].start, a[i].end - a[i].start);
		hc_puts(&b, line);
		free(line);
		pos = a[i].end;
		hc_say(&p->notes, "gpuhelper host-config: %s%s line %u: vfio_virqfd removed from "
		       "MODULES (folded into vfio in Linux 6.2, running %u.%u: mkinitcpio fails on "
		       "it)\n", hc_shown_root(), MKINITCPIO_CONF, a[i].first, c->kver / 1000,
		       c->kver % 1000);
	}
	gh_sh_assigns_free(a, (unsigned int)n);
	if (!b.s)
		return NULL;
	hc_puts(&b, text + pos);
	return b.s;
}

/* gpuhelper first in the last, plain, MODULES=(...) of mkinitcpio.conf. */
static char *mkinitcpio_main_edit(const char *text, const struct gh_sh_assign *a, int n)
{
	struct buf b = { 0 };
	const char *open;

	if (!n) {
		hc_puts(&b, text);
		if (b.len && b.s[b.len - 1] != '\n')
			hc_puts(&b, "\n");
		hc_puts(&b, "MODULES=(gpuhelper)\n");
		return hc_done(&b);
	}
	open = strchr(text + a[n - 1].start, '(');
	hc_put(&b, text, (size_t)(open + 1 - text));
	hc_puts(&b, open[1] == ')' ? "gpuhelper" : "gpuhelper ");
	hc_puts(&b, open + 1);
	return hc_done(&b);
}

/* The drop-in host-config writes where mkinitcpio reads them. */
static const char mkinitcpio_dropin[] =
	GH_HC_HEADER ": gpuhelper first in the initramfs, so it holds the\n"
	"# dGPU before any GPU driver. mkinitcpio reads this after\n"
	"# /etc/mkinitcpio.conf; gpuhelper host-config --revert removes it.\n"
	"MODULES=(gpuhelper \"${MODULES[@]}\")\n";

static int plan_mkinitcpio_dropin(struct gh_plan *p, const char *main_text)
{
	struct toks mods = { 0 };
	bool string_form = false;
	char **names, *cur = NULL, *later_text = NULL;
	const char *later;
	unsigned int n = hc_list_dir(MKINITCPIO_DIR, ".conf", true, &names), i;
	int err = 0;

	mkinitcpio_sim(main_text, &mods, &string_form);
	for (i = 0; i < n; i++) {
		char abs[512], *text;

		snprintf(abs, sizeof(abs), "%s/%s", MKINITCPIO_DIR, names[i]);
		if (!strcmp(abs, MKINITCPIO_DROP))
			continue;
		err = hc_plan_load(p, abs, &text);
		if (err)
			goto out;
		if (text)
			mkinitcpio_sim(text, &mods, &string_form);
		free(text);
	}
	err = hc_plan_load(p, MKINITCPIO_DROP, &cur);
	if (err)
		goto out;
	if (hc_toks_has(&mods, "gpuhelper")) {
		hc_plan_add(p, MKINITCPIO_DROP, cur, NULL);	/* the user has it: ours goes */
		cur = NULL;
		goto out;
	}
	later = hc_overriding_dropin(MKINITCPIO_DIR, names, n, "90-gpuhelper.conf", true, "MODULES",
				     &later_text);
	if (later) {
		char abs[512];

		snprintf(abs, sizeof(abs), "%s/%s", MKINITCPIO_DIR, later);
		hc_say(&p->refused, "gpuhelper host-config: %s%s sets MODULES after gpuhelper's "
		       "drop-in %s would, so it would undo it\n", hc_shown_root(), abs,
		       MKINITCPIO_DROP);
		hc_refuse_add(p, abs, hc_line_count(later_text),
			      "MODULES=(gpuhelper \"${MODULES[@]}\")");
	} else if (string_form) {
		hc_say(&p->refused, "gpuhelper host-config: %s%s: MODULES is a string "
		       "(MODULES=\"...\"), not the array mkinitcpio has used since 2017, so a "
		       "drop-in cannot add to it safely\n", hc_shown_root(), MKINITCPIO_CONF);
		hc_refuse_add(p, MKINITCPIO_CONF, hc_line_count(main_text),
			      "MODULES=\"gpuhelper ${MODULES}\"");
	} else {
		hc_plan_add(p, MKINITCPIO_DROP, cur, strdup(mkinitcpio_dropin));
		cur = NULL;
	}
out:
	free(cur);
	free(later_text);
	hc_names_free(names, n);
	hc_toks_free(&mods);
	return err;
}

static int plan_mkinitcpio_main(struct gh_plan *p, const char *text, char *old)
{
	struct gh_sh_assign a[ASSIGNS_MAX];
	int n = gh_sh_assigns(text, "MODULES", a, ASSIGNS_MAX), i;
	bool have = false, string_form = false;
	struct toks mods = { 0 };

	mkinitcpio_sim(text, &mods, &string_form);
	have = hc_toks_has(&mods, "gpuhelper");
	hc_toks_free(&mods);
	if (have) {
		hc_plan_add(p, MKINITCPIO_CONF, old, strdup(text));
	} else if (n && (a[n - 1].not_plain || !a[n - 1].array)) {
		i = n - 1;
		hc_refuse_assign(p, MKINITCPIO_CONF, text, &a[i], "MODULES",
				 a[i].array ? "MODULES=(gpuhelper \"${MODULES[@]}\")" :
				 "MODULES=\"gpuhelper ${MODULES}\"");
		free(old);
	} else {
		hc_plan_add(p, MKINITCPIO_CONF, old, mkinitcpio_main_edit(text, a, n));
	}
	gh_sh_assigns_free(a, (unsigned int)n);
	return 0;
}

static int plan_mkinitcpio(const struct gh_hostcfg *c, struct gh_plan *p)
{
	char why[512], *old, *fixed;
	const char *text;
	int err = hc_plan_load(p, MKINITCPIO_CONF, &old);

	if (err)
		return err;
	text = old ? old : "";
	fixed = virqfd_fix(c, text, p);
	if (fixed)
		text = fixed;
	if (gh_mkinitcpio_reads_dropins(why, sizeof(why))) {
		err = plan_mkinitcpio_dropin(p, text);
		if (!err && fixed)
			hc_plan_add(p, MKINITCPIO_CONF, old, fixed);
		else
			free(old), free(fixed);
		return err;
	}
	hc_say(&p->notes, "gpuhelper host-config: editing %s%s itself: %s\n", hc_shown_root(),
	       MKINITCPIO_CONF, why);
	err = plan_mkinitcpio_main(p, text, old);
	free(fixed);
	return err;
}

static int plan_itools(struct gh_plan *p)
{
	struct buf b = { 0 };
	const char *l;
	char *old;
	int err = hc_plan_load(p, ITOOLS_MODULES, &old);

	if (err)
		return err;
	for (l = old; l && *l; l += strcspn(l, "\n"), l += *l == '\n') {
		const char *w = l + strspn(l, " \t");

		if (!strncmp(w, "gpuhelper", 9) && strchr(" \t\n", w[9] ? w[9] : '\n')) {
			free(old);
			return 0;
		}
	}
	hc_puts(&b, old ? old : "");
	if (b.len && b.s[b.len - 1] != '\n')
		hc_puts(&b, "\n");
	hc_puts(&b, "gpuhelper\n");
	hc_plan_add(p, ITOOLS_MODULES, old, hc_done(&b));
	return 0;
}

int hc_plan_initramfs(const struct gh_hostcfg *c, struct gh_plan *p)
{
	switch (c->initramfs) {
	case GH_MKINITCPIO:
		return plan_mkinitcpio(c, p);
	case GH_DRACUT:
		return hc_plan_owned(p, DRACUT_CONF,
				     GH_HC_HEADER "\nforce_drivers+=\" gpuhelper \"\n");
	case GH_INITRAMFS_TOOLS:
		return plan_itools(p);
	case GH_INITRAMFS_NONE:
		break;
	}
	return 0;
}
