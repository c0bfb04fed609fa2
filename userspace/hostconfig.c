// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig.c - compute the host configuration files.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicwrite.h"
#include "hostconfig.h"
#include "root.h"

#define MODPROBE_CONF	"/etc/modprobe.d/gpuhelper.conf"
#define MODULES_LOAD	"/etc/modules-load.d/gpuhelper.conf"
#define MKINITCPIO_CONF	"/etc/mkinitcpio.conf"
#define DRACUT_CONF	"/etc/dracut.conf.d/gpuhelper.conf"
#define ITOOLS_MODULES	"/etc/initramfs-tools/modules"
#define GRUB_DEFAULT	"/etc/default/grub"

const char *gh_initramfs_name(enum gh_initramfs i)
{
	switch (i) {
	case GH_MKINITCPIO:	return "mkinitcpio";
	case GH_DRACUT:		return "dracut";
	case GH_INITRAMFS_TOOLS: return "initramfs-tools";
	case GH_INITRAMFS_NONE:	break;
	}
	return "none";
}

const char *gh_bootloader_name(enum gh_bootloader b)
{
	switch (b) {
	case GH_SYSTEMD_BOOT:	return "systemd-boot";
	case GH_GRUB:		return "grub";
	case GH_BOOT_NONE:	break;
	}
	return "none";
}

/* A growable string. */
struct buf {
	char *s;
	size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static char *done(struct buf *b)
{
	if (!b->s)
		put(b, "", 0);
	return b->s;
}

void gh_kernel_params(const struct gh_hostcfg *c, const char **out, unsigned int max)
{
	unsigned int n = 0;

	if (n < max - 1)
		out[n++] = c->amd ? "amd_iommu=on" : "intel_iommu=on";
	if (n < max - 1)
		out[n++] = "iommu=pt";
	if (n < max - 1)
		out[n++] = "kvm.ignore_msrs=1";
	if (c->gvt && n < max - 1)
		out[n++] = "i915.enable_gvt=1";
	out[n] = NULL;
}

static size_t keylen(const char *tok, size_t len)
{
	const char *eq = memchr(tok, '=', len);

	return eq ? (size_t)(eq - tok) : len;
}

/**
 * gh_cmdline_merge() - set each "key=value" of @params in a command line
 * @cmdline: "quiet splash intel_iommu=off"
 * @params: NULL-terminated; a token with the same key is replaced
 *
 * Return: a new string (malloc), tokens in their order, new ones appended.
 */
char *gh_cmdline_merge(const char *cmdline, const char *const *params)
{
	struct buf b = { 0 };
	const char *p = cmdline, *const *q;
	bool used[16] = { 0 };
	unsigned int i;

	while (*p) {
		size_t len;

		while (*p == ' ' || *p == '\t')
			p++;
		len = strcspn(p, " \t");
		if (!len)
			break;
		for (q = params, i = 0; *q; q++, i++) {
			size_t kl = keylen(*q, strlen(*q));

			if (kl == keylen(p, len) && !strncmp(*q, p, kl))
				break;
		}
		if (b.len)
			puts_(&b, " ");
		if (*q && !used[i]) {
			puts_(&b, *q);
			used[i] = true;
		} else if (!*q) {
			put(&b, p, len);
		} else {
			b.len--;	/* a repeated key: drop the duplicate */
			b.s[b.len] = '\0';
		}
		p += len;
	}
	for (q = params, i = 0; *q; q++, i++) {
		if (used[i])
			continue;
		if (b.len)
			puts_(&b, " ");
		puts_(&b, *q);
	}
	return done(&b);
}

static bool module_dropped(const char *m, size_t len, unsigned int kver)
{
	/* the guide's nvidia modules would grab the dGPU first */
	if (len >= 6 && !strncmp(m, "nvidia", 6))
		return true;
	if (len == 7 && !strncmp(m, "nouveau", 7))
		return true;
	/* folded into vfio in Linux 6.2: mkinitcpio fails on it */
	if (kver >= 6002 && len == 11 && !strncmp(m, "vfio_virqfd", 11))
		return true;
	return len == 9 && !strncmp(m, "gpuhelper", 9);
}

/**
 * gh_mkinitcpio_edit() - gpuhelper first in MODULES=(...)
 * @conf: /etc/mkinitcpio.conf
 * @kver: running kernel (major * 1000 + minor), for vfio_virqfd
 */
char *gh_mkinitcpio_edit(const char *conf, unsigned int kver)
{
	struct buf b = { 0 };
	const char *line = conf;
	bool found = false;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);

		if (!found && !strncmp(line, "MODULES=(", 9)) {
			const char *p = line + 9, *end = memchr(line, ')', len);

			found = true;
			if (!end)
				end = line + len;
			puts_(&b, "MODULES=(gpuhelper");
			while (p < end) {
				size_t tl;

				while (p < end && (*p == ' ' || *p == '\t'))
					p++;
				tl = strcspn(p, " \t)\n");
				if (p + tl > end)
					tl = (size_t)(end - p);
				if (tl && !module_dropped(p, tl, kver)) {
					puts_(&b, " ");
					put(&b, p, tl);
				}
				p += tl ? tl : 1;
			}
			put(&b, end, (size_t)(line + len - end));
		} else {
			put(&b, line, len);
		}
		line += len;
	}
	if (!found) {
		if (b.len && b.s[b.len - 1] != '\n')
			puts_(&b, "\n");
		puts_(&b, "MODULES=(gpuhelper)\n");
	}
	return done(&b);
}

/* Replace the value of KEY="..." lines (grub) or "options ..." (BLS). */
static char *edit_value_line(const char *text, const char *prefix, bool quoted,
			     const char *const *params, const char *append_if_missing)
{
	struct buf b = { 0 };
	const char *line = text;
	size_t pl = strlen(prefix);
	bool found = false;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (!strncmp(line, prefix, pl)) {
			char *val = strndup(line + pl, len - pl), *merged;
			size_t vl = strlen(val);

			if (quoted && vl >= 2 && (val[0] == '"' || val[0] == '\'') &&
			    val[vl - 1] == val[0]) {
				val[vl - 1] = '\0';
				merged = gh_cmdline_merge(val + 1, params);
			} else {
				merged = gh_cmdline_merge(val, params);
			}
			put(&b, line, pl);
			if (quoted)
				puts_(&b, "\"");
			puts_(&b, merged);
			if (quoted)
				puts_(&b, "\"");
			free(merged);
			free(val);
			found = true;
		} else {
			put(&b, line, len);
		}
		if (nl)
			puts_(&b, "\n");
		line += len + (nl ? 1 : 0);
	}
	if (!found && append_if_missing) {
		char *merged = gh_cmdline_merge("", params);

		if (b.len && b.s[b.len - 1] != '\n')
			puts_(&b, "\n");
		puts_(&b, append_if_missing);
		if (quoted)
			puts_(&b, "\"");
		puts_(&b, merged);
		if (quoted)
			puts_(&b, "\"");
		puts_(&b, "\n");
		free(merged);
	}
	return done(&b);
}

char *gh_grub_edit(const char *conf, const char *const *params)
{
	return edit_value_line(conf, "GRUB_CMDLINE_LINUX_DEFAULT=", true, params,
			       "GRUB_CMDLINE_LINUX_DEFAULT=");
}

char *gh_sdboot_edit(const char *entry, const char *const *params)
{
	return edit_value_line(entry, "options ", false, params, "options ");
}

/* Append @line unless a line equal to it is there. */
char *gh_lines_ensure(const char *text, const char *line)
{
	struct buf b = { 0 };
	const char *p = text;
	size_t ll = strlen(line);

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && (p[ll] == '\n' || !p[ll]))
			return strdup(text);
		p += ll;
	}
	puts_(&b, text);
	if (b.len && b.s[b.len - 1] != '\n')
		puts_(&b, "\n");
	puts_(&b, line);
	puts_(&b, "\n");
	return done(&b);
}

static int load(const char *abs, char **text)
{
	char path[GH_PATH_MAX];
	size_t len;
	int err = gh_path(path, sizeof(path), abs);

	if (err)
		return err;
	err = gh_load_file(path, text, &len);
	return err == -ENOENT ? 0 : err;
}

static struct gh_edit *add(struct gh_edit *e, unsigned int *nr, const char *abs,
			   char *old, char *new_)
{
	struct gh_edit *x;

	if (*nr == GH_EDITS_MAX || (old && !strcmp(old, new_))) {
		free(old);
		free(new_);
		return NULL;
	}
	x = &e[(*nr)++];
	snprintf(x->path, sizeof(x->path), "%s", abs);
	x->old = old;
	x->new_ = new_;
	return x;
}

static int sdboot_entries(const char *const *params, struct gh_edit *e,
			  unsigned int *nr, char *why, size_t whylen)
{
	static const char *const dirs[] = {
		"/boot/loader/entries", "/efi/loader/entries", "/boot/efi/loader/entries",
	};
	char path[GH_PATH_MAX], abs[512];
	unsigned int found = 0;
	struct dirent **names;
	size_t d;
	int n, i, err;

	for (d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		if (gh_path(path, sizeof(path), dirs[d]))
			continue;
		n = scandir(path, &names, NULL, alphasort);
		if (n < 0)
			continue;
		for (i = 0; i < n; i++) {
			const char *nm = names[i]->d_name;
			size_t l = strlen(nm);
			char *old = NULL;

			if (l > 5 && !strcmp(nm + l - 5, ".conf")) {
				snprintf(abs, sizeof(abs), "%s/%s", dirs[d], nm);
				err = load(abs, &old);
				if (!err && old && (!strncmp(old, "linux", 5) ||
						    strstr(old, "\nlinux")) &&
				    !strstr(old, ".gpuhelper-bak")) {
					add(e, nr, abs, old, gh_sdboot_edit(old, params));
					found++;
				} else {
					free(old);
				}
			}
			free(names[i]);
		}
		free(names);
	}
	/* kernel-install and UKIs take the command line from here */
	if (gh_exists("/etc/kernel/cmdline")) {
		char *old = NULL;

		if (!load("/etc/kernel/cmdline", &old) && old) {
			char *line = strndup(old, strcspn(old, "\n")), *m;
			size_t ml;

			m = gh_cmdline_merge(line, params);
			ml = strlen(m);
			m = realloc(m, ml + 2);
			strcpy(m + ml, "\n");
			add(e, nr, "/etc/kernel/cmdline", old, m);
			free(line);
			found++;
		}
	}
	if (!found) {
		snprintf(why, whylen, "no systemd-boot entry with a 'linux' line under "
			 "%s{/boot,/efi,/boot/efi}/loader/entries nor /etc/kernel/cmdline: "
			 "is this the right --root and --bootloader?",
			 strcmp(gh_root(), "/") ? gh_root() : "");
		return -ENOENT;
	}
	return 0;
}

/**
 * gh_hostcfg_edits() - every file host-config writes, old and new
 * @c: what to configure
 * @e: receives up to GH_EDITS_MAX edits (unchanged files are left out)
 * @nr: how many
 * @why: the reason on failure
 * @whylen: its size
 *
 * Return: 0, -errno on a file that cannot be read, -ENOENT when the
 * bootloader's files are missing.
 */
int gh_hostcfg_edits(const struct gh_hostcfg *c, struct gh_edit *e, unsigned int *nr,
		     char *why, size_t whylen)
{
	const char *params[8];
	struct buf b = { 0 };
	char *old;
	int err;

	*nr = 0;
	gh_kernel_params(c, params, 8);

#define LOAD(abs) do { old = NULL; err = load(abs, &old); if (err) { \
	snprintf(why, whylen, "cannot read %s%s: %s", \
		 strcmp(gh_root(), "/") ? gh_root() : "", abs, strerror(-err)); \
	gh_edits_free(e, *nr); return err; } } while (0)

	puts_(&b, "# Written by gpuhelper host-config: hold the dGPU for passthrough\n"
		  "# before its host drivers can bind it. See gpuhelper-host-config(8).\n");
	puts_(&b, "options gpuhelper ids=");
	puts_(&b, c->ids);
	puts_(&b, "\nsoftdep nouveau pre: gpuhelper\n"
		  "softdep nvidia pre: gpuhelper\n"
		  "softdep snd_hda_intel pre: gpuhelper\n");
	LOAD(MODPROBE_CONF);
	add(e, nr, MODPROBE_CONF, old, done(&b));

	b = (struct buf){ 0 };
	puts_(&b, "# Written by gpuhelper host-config: modules passthrough needs at boot.\n");
	if (c->gvt)
		puts_(&b, "kvmgt\nvfio-iommu-type1\nmdev\n");
	else
		puts_(&b, "vfio-pci\nvfio-iommu-type1\n");
	LOAD(MODULES_LOAD);
	add(e, nr, MODULES_LOAD, old, done(&b));

	switch (c->initramfs) {
	case GH_MKINITCPIO:
		LOAD(MKINITCPIO_CONF);
		add(e, nr, MKINITCPIO_CONF, old, gh_mkinitcpio_edit(old ? old : "", c->kver));
		break;
	case GH_DRACUT:
		LOAD(DRACUT_CONF);
		add(e, nr, DRACUT_CONF, old,
		    strdup("# Written by gpuhelper host-config\nforce_drivers+=\" gpuhelper \"\n"));
		break;
	case GH_INITRAMFS_TOOLS:
		LOAD(ITOOLS_MODULES);
		add(e, nr, ITOOLS_MODULES, old, gh_lines_ensure(old ? old : "", "gpuhelper"));
		break;
	case GH_INITRAMFS_NONE:
		break;
	}

	switch (c->bootloader) {
	case GH_GRUB:
		LOAD(GRUB_DEFAULT);
		add(e, nr, GRUB_DEFAULT, old, gh_grub_edit(old ? old : "", params));
		break;
	case GH_SYSTEMD_BOOT:
		err = sdboot_entries(params, e, nr, why, whylen);
		if (err) {
			gh_edits_free(e, *nr);
			*nr = 0;
			return err;
		}
		break;
	case GH_BOOT_NONE:
		break;
	}
#undef LOAD
	return 0;
}

void gh_edits_free(struct gh_edit *e, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		free(e[i].old);
		free(e[i].new_);
		e[i].old = e[i].new_ = NULL;
	}
}
