// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig.c - plan the host configuration files: read what is there,
 * decide the smallest safe change, or refuse and say what to do by hand.
 *
 * This file holds the plan itself: the files read into it from under the
 * root, the edits added to it, a refusal and its fix, and the order the
 * planners run in. Each step lives in its own file:
 *   hostconfig_text.c       growing strings and word lists
 *   hostconfig_sh.c         shell assignments read without running them
 *   hostconfig_params.c     the kernel parameters, and the user's own
 *   hostconfig_detect.c     which tool reads what (grub.d, mkinitcpio
 *                           drop-ins, BLS, kernelstub, the initramfs tool)
 *   hostconfig_owned.c      whole files host-config writes: ours, then
 *                           the user's lines
 *   hostconfig_modprobe.c   /etc/modprobe.d and /etc/modules-load.d
 *   hostconfig_udev.c       the claim rule in /etc/udev/rules.d
 *   hostconfig_initramfs.c  mkinitcpio, dracut, initramfs-tools
 *   hostconfig_grub.c       /etc/default/grub and its grub.d drop-in
 *   hostconfig_sdboot.c     systemd-boot loader entries, /etc/kernel/cmdline
 *   hostconfig_grubby.c     grubby: the command printed for BLS entries
 *   hostconfig_kernelstub.c kernelstub: the command printed for Pop!_OS
 *   hostconfig_revert.c     the revert planner
 * hostconfig_priv.h declares what they share; hostconfig.h is the API.
 */
#define _GNU_SOURCE		/* strverscmp() */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fileio.h"
#include "host/hostconfig_priv.h"
#include "lib/root.h"

const char *gh_initramfs_name(enum gh_initramfs i)
{
	static const char *const names[] = {
		[GH_INITRAMFS_NONE] = "none", [GH_MKINITCPIO] = "mkinitcpio",
		[GH_DRACUT] = "dracut", [GH_INITRAMFS_TOOLS] = "initramfs-tools",
	};

	return (unsigned int)i < ARRAY_SIZE(names) ? names[i] : "none";
}

const char *gh_bootloader_name(enum gh_bootloader b)
{
	static const char *const names[] = {
		[GH_BOOT_NONE] = "none", [GH_SYSTEMD_BOOT] = "systemd-boot", [GH_GRUB] = "grub",
		[GH_GRUBBY] = "grubby", [GH_KERNELSTUB] = "kernelstub",
	};

	return (unsigned int)b < ARRAY_SIZE(names) ? names[b] : "none";
}

/* ---- files under the root ---- */

/* The root as messages show it: "" for "/". */
const char *hc_shown_root(void)
{
	return strcmp(gh_root(), "/") ? gh_root() : "";
}

int hc_load(const char *abs, char **text)
{
	char path[GH_PATH_MAX];
	size_t len;
	int err = gh_path(path, sizeof(path), abs);

	*text = NULL;
	if (err)
		return err;
	err = gh_load_file(path, text, &len);
	return err == -ENOENT || err == -ENOTDIR ? 0 : err;
}

/* hc_load() that names the file in the plan on failure. */
int hc_plan_load(struct gh_plan *p, const char *abs, char **text)
{
	int err = hc_load(abs, text);

	if (err)
		snprintf(p->error, sizeof(p->error), "cannot read %s%s: %s",
			 hc_shown_root(), abs, gh_file_strerror(err));
	return err;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_version(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

/* The names in @dir ending in @suffix, sorted; *@names is malloc'd. */
unsigned int hc_list_dir(const char *dir, const char *suffix, bool version_order,
			 char ***names)
{
	char path[GH_PATH_MAX];
	unsigned int n = 0, cap = 0;
	struct dirent *de;
	size_t sl = strlen(suffix);
	DIR *d;

	*names = NULL;
	if (gh_path(path, sizeof(path), dir))
		return 0;
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l <= sl || strcmp(de->d_name + l - sl, suffix))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			*names = realloc(*names, cap * sizeof(**names));
			if (!*names)
				abort();
		}
		(*names)[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(*names, n, sizeof(**names), version_order ? by_version : by_name);
	return n;
}

void hc_names_free(char **names, unsigned int n)
{
	while (n)
		free(names[--n]);
	free(names);
}

/* ---- the plan ---- */

/* Add a change of @abs to the plan (none when @old and @new_ are alike). */
struct gh_edit *hc_plan_add(struct gh_plan *p, const char *abs, char *old, char *new_)
{
	struct gh_edit *x;

	if (p->nr == GH_EDITS_MAX && !p->error[0])
		snprintf(p->error, sizeof(p->error), "more than %d files to change under %s; "
			 "nothing was planned past %s", GH_EDITS_MAX, gh_root(), abs);
	if (p->nr == GH_EDITS_MAX || (old && new_ && !strcmp(old, new_)) || (!old && !new_)) {
		free(old);
		free(new_);
		return NULL;
	}
	x = &p->e[p->nr++];
	memset(x, 0, sizeof(*x));
	snprintf(x->path, sizeof(x->path), "%s", abs);
	x->old = old;
	x->new_ = new_;
	return x;
}

void hc_edits_free(struct gh_plan *p)
{
	unsigned int i;

	for (i = 0; i < p->nr; i++) {
		free(p->e[i].old);
		free(p->e[i].new_);
		p->e[i].old = p->e[i].new_ = NULL;
	}
	p->nr = 0;
}

/* ---- refusing the plan: why, and the line to add by hand ---- */

/* Print the lines [start, end) of @text indented, for a message. */
static void quote_lines(char **out, const char *text, size_t start, size_t end)
{
	const char *s = text + start, *e = text + end;

	while (s < e) {
		size_t n = strcspn(s, "\n");

		if (s + n > e)
			n = (size_t)(e - s);
		hc_say(out, "    %.*s\n", (int)n, s);
		s += n + 1;
	}
}

unsigned int hc_line_count(const char *t)
{
	unsigned int n = 0;

	for (; *t; t++)
		n += *t == '\n' || !t[1];
	return n;
}

/* The fix of a refused plan: one line, and where it goes. */
void hc_refuse_add(struct gh_plan *p, const char *file, unsigned int after,
		   const char *line)
{
	hc_say(&p->refused, "  add this line after line %u of %s by hand, then run host-config "
	       "again:\n    %s\n", after, file, line);
}

/*
 * Refuse the plan: @file's assignment @a cannot be rewritten. Say why and
 * the exact line to add after it by hand.
 */
void hc_refuse_assign(struct gh_plan *p, const char *file, const char *text,
		      const struct gh_sh_assign *a, const char *var, const char *add_line)
{
	hc_say(&p->refused, "gpuhelper host-config: %s%s line %u: not a plain %s=%s line (%s), "
	       "and gpuhelper rewrites no other kind:\n", hc_shown_root(), file, a->first, var,
	       a->array ? "(...)" : "\"...\"", a->not_plain);
	quote_lines(&p->refused, text, a->start, a->end);
	hc_refuse_add(p, file, a->last, add_line);
}

/* ---- the planners, in order ---- */

static int plan_bootloader(const struct gh_hostcfg *c, struct gh_plan *p)
{
	const char *params[8];

	gh_kernel_params(c, params, 8);
	switch (c->bootloader) {
	case GH_GRUB:
		return hc_plan_grub(c, params, p);
	case GH_SYSTEMD_BOOT:
		return hc_plan_sdboot(c, params, p);
	case GH_GRUBBY:
		return hc_plan_grubby(c, params, p);
	case GH_KERNELSTUB:
		return hc_plan_kernelstub(c, params, p);
	case GH_BOOT_NONE:
		break;
	}
	return 0;
}

/**
 * gh_hostcfg_plan() - every file host-config writes, old and new
 * @c: what to configure
 * @p: receives the edits (unchanged files are left out), the notes, the
 *     commands to run by hand, or the reason nothing may be written
 *
 * Return: 0 (see p->refused), -errno on a file that cannot be read or
 * -ENOENT when the bootloader's files are missing (p->error says which).
 */
int gh_hostcfg_plan(const struct gh_hostcfg *c, struct gh_plan *p)
{
	int err;

	memset(p, 0, sizeof(*p));
	err = hc_plan_modprobe(c, p);
	if (!err)
		err = hc_plan_modules_load(c, p);
	if (!err)
		err = hc_plan_claim_rule(c, p);
	if (!err)
		err = hc_plan_initramfs(c, p);
	if (!err)
		err = plan_bootloader(c, p);
	if (!err)
		err = hc_plan_looking_glass(c, p);
	if (!err && p->error[0])
		err = -E2BIG;
	if (err || p->refused)
		hc_edits_free(p);
	return err;
}

void gh_plan_free(struct gh_plan *p)
{
	hc_edits_free(p);
	free(p->notes);
	free(p->todo);
	free(p->refused);
	p->notes = p->todo = p->refused = NULL;
}
