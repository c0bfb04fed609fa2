// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_grub.c - the kernel parameters for GRUB: a drop-in in
 * /etc/default/grub.d where grub-mkconfig reads one, else the last plain
 * GRUB_CMDLINE_LINUX_DEFAULT="..." of /etc/default/grub.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/hostconfig_priv.h"

/* The user's kernel words in one GRUB file, added to the simulation. */
void hc_grub_sim(const char *text, struct toks *linux_, struct toks *def, bool *opaque)
{
	hc_sim_var(text, GRUB_LINUX, linux_, opaque);
	hc_sim_var(text, GRUB_LINUX_DEF, def, opaque);
}

static void note_opaque(struct gh_plan *p, const char *where, bool opaque)
{
	if (opaque)
		hc_say(&p->notes, "gpuhelper host-config: %s%s: part of the kernel command line "
		       "comes from expansions gpuhelper does not run; parameters set there are not "
		       "seen\n", hc_shown_root(), where);
}

static char *append_line(const char *var, const char *const *add)
{
	struct buf b = { 0 };

	hc_putf(&b, "%s=\"$%s", var, var);
	for (; *add; add++)
		hc_putf(&b, " %s", *add);
	hc_puts(&b, "\"");
	return hc_done(&b);
}

static int plan_grub_dropin(const struct gh_hostcfg *c, const char *const *params,
			    struct gh_plan *p, const char *main_text)
{
	struct toks lin = { 0 }, def = { 0 }, all = { 0 };
	const char *add[8], *later;
	char **names, *cur = NULL, *later_text = NULL;
	unsigned int n = hc_list_dir(GRUB_DIR, ".cfg", false, &names), i;
	bool opaque = false;
	int err = 0;

	hc_grub_sim(main_text, &lin, &def, &opaque);
	for (i = 0; i < n; i++) {
		char abs[512], *text;

		snprintf(abs, sizeof(abs), "%s/%s", GRUB_DIR, names[i]);
		if (!strcmp(abs, GRUB_DROP))
			continue;
		err = hc_plan_load(p, abs, &text);
		if (err)
			goto out;
		if (text)
			hc_grub_sim(text, &lin, &def, &opaque);
		free(text);
	}
	err = hc_plan_load(p, GRUB_DROP, &cur);
	if (err)
		goto out;
	hc_toks_concat(&all, &lin, &def);
	note_opaque(p, GRUB_DEFAULT, opaque);
	if (!hc_missing_params(params, &all, GRUB_DEFAULT, c->ids, p, add, 8)) {
		hc_plan_add(p, GRUB_DROP, cur, NULL);	/* all there already: ours goes */
		cur = NULL;
		goto out;
	}
	later = hc_overriding_dropin(GRUB_DIR, names, n, "90-gpuhelper.cfg", false, GRUB_LINUX_DEF,
				     &later_text);
	if (later) {
		char *line = append_line(GRUB_LINUX_DEF, add), abs[512];

		snprintf(abs, sizeof(abs), "%s/%s", GRUB_DIR, later);
		hc_say(&p->refused, "gpuhelper host-config: %s%s sets %s after gpuhelper's "
		       "drop-in %s would, so it would undo it\n", hc_shown_root(), abs,
		       GRUB_LINUX_DEF, GRUB_DROP);
		hc_refuse_add(p, abs, hc_line_count(later_text), line);
		free(line);
	} else {
		struct buf b = { 0 };
		char *line = append_line(GRUB_LINUX_DEF, add);

		hc_putf(&b, GH_HC_HEADER ": the kernel command line passthrough needs.\n"
			"# grub-mkconfig reads this after /etc/default/grub and adds to its value;\n"
			"# gpuhelper host-config --revert removes it.\n%s\n", line);
		free(line);
		hc_plan_add(p, GRUB_DROP, cur, hc_done(&b));
		cur = NULL;
	}
out:
	free(cur);
	free(later_text);
	hc_names_free(names, n);
	hc_toks_free(&lin);
	hc_toks_free(&def);
	hc_toks_free(&all);
	return err;
}

/* Add @add to the last, plain, GRUB_CMDLINE_LINUX_DEFAULT="..." of the file. */
static char *grub_main_edit(const char *text, const struct gh_sh_assign *a, int n,
			    const char *const *add)
{
	struct buf b = { 0 };
	const char *close;

	if (!n) {
		hc_puts(&b, text);
		if (b.len && b.s[b.len - 1] != '\n')
			hc_puts(&b, "\n");
		hc_putf(&b, "%s=\"", GRUB_LINUX_DEF);
		hc_join_params(&b, add);
		hc_puts(&b, "\"\n");
		return hc_done(&b);
	}
	close = text + a[n - 1].end - 1;
	if (*close == '\n')
		close--;
	hc_put(&b, text, (size_t)(close - text));
	hc_join_params(&b, add);
	hc_puts(&b, close);
	return hc_done(&b);
}

static int plan_grub_main(const struct gh_hostcfg *c, const char *const *params,
			  struct gh_plan *p, char *old)
{
	struct gh_sh_assign a[ASSIGNS_MAX];
	struct toks lin = { 0 }, def = { 0 }, all = { 0 };
	const char *text = old ? old : "", *add[8];
	bool opaque = false;
	int n = gh_sh_assigns(text, GRUB_LINUX_DEF, a, ASSIGNS_MAX);

	hc_grub_sim(text, &lin, &def, &opaque);
	hc_toks_concat(&all, &lin, &def);
	note_opaque(p, GRUB_DEFAULT, opaque);
	if (!hc_missing_params(params, &all, GRUB_DEFAULT, c->ids, p, add, 8)) {
		free(old);
	} else if (n && a[n - 1].not_plain) {
		char *line = append_line(GRUB_LINUX_DEF, add);

		hc_refuse_assign(p, GRUB_DEFAULT, text, &a[n - 1], GRUB_LINUX_DEF, line);
		free(line);
		free(old);
	} else {
		hc_plan_add(p, GRUB_DEFAULT, old, grub_main_edit(text, a, n, add));
	}
	gh_sh_assigns_free(a, (unsigned int)n);
	hc_toks_free(&lin);
	hc_toks_free(&def);
	hc_toks_free(&all);
	return 0;
}

int hc_plan_grub(const struct gh_hostcfg *c, const char *const *params, struct gh_plan *p)
{
	char *old;
	int err = hc_plan_load(p, GRUB_DEFAULT, &old);

	if (err)
		return err;
	if (gh_grub_reads_dropins()) {
		err = plan_grub_dropin(c, params, p, old ? old : "");
		free(old);
		return err;
	}
	hc_say(&p->notes, "gpuhelper host-config: editing %s%s itself: this grub-mkconfig reads "
	       "no %s\n", hc_shown_root(), GRUB_DEFAULT, GRUB_DIR);
	return plan_grub_main(c, params, p, old);
}
