// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig.c - plan the host configuration files: read what is there,
 * decide the smallest safe change, or refuse and say what to do by hand.
 *
 * Sections, in order: text helpers; reading shell assignments without
 * running them; kernel parameters and the user's own; detection of which
 * tool reads what; one planner per file family (modprobe.d, modules-load.d,
 * initramfs, bootloader); the revert planner.
 */
#define _GNU_SOURCE		/* strverscmp(), strcasestr(), vasprintf() */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicwrite.h"
#include "hostconfig.h"
#include "root.h"

#define MODULES_LOAD	"/etc/modules-load.d/gpuhelper.conf"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define MKINITCPIO_CONF	"/etc/mkinitcpio.conf"
#define MKINITCPIO_DIR	"/etc/mkinitcpio.conf.d"
#define MKINITCPIO_DROP	"/etc/mkinitcpio.conf.d/90-gpuhelper.conf"
#define MKINITCPIO_BIN	"/usr/bin/mkinitcpio"
#define MKINITCPIO_PRESETS "/etc/mkinitcpio.d"
#define DRACUT_CONF	"/etc/dracut.conf.d/gpuhelper.conf"
#define ITOOLS_MODULES	"/etc/initramfs-tools/modules"
#define GRUB_DEFAULT	"/etc/default/grub"
#define GRUB_DIR	"/etc/default/grub.d"
#define GRUB_DROP	"/etc/default/grub.d/90-gpuhelper.cfg"
#define KERNEL_CMDLINE	"/etc/kernel/cmdline"
#define KERNELSTUB_CONF	"/etc/kernelstub/configuration"
#define GRUB_LINUX	"GRUB_CMDLINE_LINUX"
#define GRUB_LINUX_DEF	"GRUB_CMDLINE_LINUX_DEFAULT"
/* Written between host-config's lines and the ones it keeps for the user. */
#define YOURS_LINE	"# Lines below are yours: gpuhelper host-config keeps them."

#define ASSIGNS_MAX	32

static const char *const entry_dirs[] = {
	"/boot/loader/entries", "/efi/loader/entries", "/boot/efi/loader/entries",
};

/* The softdeps of kmod/gpuhelper.conf, for a host without that file. */
static const char *const softdeps[] = {
	"nouveau", "nvidia", "nvidiafb", "snd_hda_intel", "vfio_pci",
};

static const char *const packaged_modprobe[] = {
	"/usr/lib/modprobe.d/gpuhelper.conf", "/lib/modprobe.d/gpuhelper.conf",
};

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

/* ---- text helpers ---- */

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

static void __attribute__((format(printf, 2, 3))) putf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	put(b, s, (size_t)n);
	free(s);
}

static char *done(struct buf *b)
{
	if (!b->s)
		put(b, "", 0);
	return b->s;
}

/* Append a formatted line to one of the plan's texts (notes, todo, refused). */
static void __attribute__((format(printf, 2, 3))) say(char **text, const char *fmt, ...)
{
	struct buf b = { .s = *text, .len = *text ? strlen(*text) : 0 };
	va_list ap;
	char *s;
	int n;

	b.cap = b.len + 1;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	put(&b, s, (size_t)n);
	free(s);
	*text = b.s;
}

static bool starts_with(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

/* The root as messages show it: "" for "/". */
static const char *shown_root(void)
{
	return strcmp(gh_root(), "/") ? gh_root() : "";
}

/* A list of words (kernel parameters, module names). */
struct toks {
	char **v;
	unsigned int n, cap;
};

static void toks_add(struct toks *t, const char *s, size_t n)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = realloc(t->v, t->cap * sizeof(*t->v));
		if (!t->v)
			abort();
	}
	t->v[t->n] = strndup(s, n);
	if (!t->v[t->n])
		abort();
	t->n++;
}

static void toks_split(struct toks *t, const char *s)
{
	while (s && *s) {
		size_t n;

		s += strspn(s, " \t\n");
		n = strcspn(s, " \t\n");
		if (n)
			toks_add(t, s, n);
		s += n;
	}
}

static void toks_clear(struct toks *t)
{
	while (t->n)
		free(t->v[--t->n]);
}

static void toks_free(struct toks *t)
{
	toks_clear(t);
	free(t->v);
	t->v = NULL;
	t->cap = 0;
}

static bool toks_has(const struct toks *t, const char *s)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], s))
			return true;
	return false;
}

/* ---- reading shell assignments without running them ---- */

struct lex {
	const char *t;
	size_t i;
	unsigned int line;
};

/* What one shell word turned out to hold. */
struct word {
	bool sq, dq, expansion, selfref, opaque, backslash, newline;
	unsigned int parts;	/* quoted strings and unquoted characters */
};

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static void lex_newline(struct lex *l, struct word *w)
{
	l->line++;
	if (w)
		w->newline = true;
}

/* Skip a $(...) or `...` body; the opening characters are consumed. */
static void skip_subst(struct lex *l, char close)
{
	int depth = 1;

	while (l->t[l->i] && depth) {
		char c = l->t[l->i++];

		if (c == '\\' && l->t[l->i]) {
			if (l->t[l->i] == '\n')
				l->line++;
			l->i++;
		} else if (c == '\n') {
			l->line++;
		} else if (c == '\'' && close == ')') {
			while (l->t[l->i] && l->t[l->i] != '\'')
				if (l->t[l->i++] == '\n')
					l->line++;
			if (l->t[l->i])
				l->i++;
		} else if (c == close) {
			depth--;
		} else if (close == ')' && c == '(') {
			depth++;
		}
	}
}

/* $NAME, ${NAME...}, $(...), $1: the literal text loses it, flags say why. */
static void lex_dollar(struct lex *l, const char *var, struct word *w)
{
	const char *t = l->t;
	size_t vl = strlen(var);

	w->expansion = true;
	l->i++;
	if (t[l->i] == '(') {
		l->i++;
		skip_subst(l, ')');
		w->opaque = true;
	} else if (t[l->i] == '{') {
		size_t s = ++l->i;

		while (t[l->i] && t[l->i] != '}')
			l->i++;
		if (l->i - s >= vl && !strncmp(t + s, var, vl) && !name_char(t[s + vl]))
			w->selfref = true;
		else
			w->opaque = true;
		if (t[l->i])
			l->i++;
	} else if (name_char(t[l->i])) {
		size_t s = l->i;

		while (name_char(t[l->i]))
			l->i++;
		if (l->i - s == vl && !strncmp(t + s, var, vl))
			w->selfref = true;
		else
			w->opaque = true;
	} else if (t[l->i]) {
		l->i++;
		w->opaque = true;
	}
}

static bool word_end(char c, bool in_array)
{
	return !c || c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' ||
	       c == '|' || (in_array && c == ')');
}

/* One shell word: its literal characters go to @lit. */
static void lex_word(struct lex *l, const char *var, bool in_array, struct buf *lit,
		     struct word *w)
{
	const char *t = l->t;

	while (!word_end(t[l->i], in_array)) {
		char c = t[l->i];

		w->parts++;
		if (c == '\'') {
			w->sq = true;
			for (l->i++; t[l->i] && t[l->i] != '\''; l->i++) {
				if (t[l->i] == '\n')
					lex_newline(l, w);
				put(lit, t + l->i, 1);
			}
			if (t[l->i])
				l->i++;
		} else if (c == '"') {
			w->dq = true;
			for (l->i++; t[l->i] && t[l->i] != '"';) {
				c = t[l->i];
				if (c == '\\' && t[l->i + 1] && strchr("$`\"\\\n", t[l->i + 1])) {
					w->backslash = true;
					if (t[l->i + 1] == '\n')
						lex_newline(l, w);
					else
						put(lit, t + l->i + 1, 1);
					l->i += 2;
				} else if (c == '$') {
					lex_dollar(l, var, w);
				} else if (c == '`') {
					l->i++;
					skip_subst(l, '`');
					w->expansion = w->opaque = true;
				} else {
					if (c == '\n')
						lex_newline(l, w);
					put(lit, t + l->i++, 1);
				}
			}
			if (t[l->i])
				l->i++;
		} else if (c == '\\') {
			w->backslash = true;
			if (t[l->i + 1] == '\n')
				lex_newline(l, w);
			else if (t[l->i + 1])
				put(lit, t + l->i + 1, 1);
			l->i += t[l->i + 1] ? 2 : 1;
		} else if (c == '$') {
			lex_dollar(l, var, w);
		} else if (c == '`') {
			l->i++;
			skip_subst(l, '`');
			w->expansion = w->opaque = true;
		} else {
			put(lit, t + l->i++, 1);
		}
	}
}

/* A simple array element: letters, digits and _-.:? only. */
static bool simple_word(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_-.:?*", s[i]))
			return false;
	return true;
}

/* KEY=(a b c): its words; plain when it is all on its line, simple words. */
static const char *lex_array(struct lex *l, const char *var, struct buf *words,
			     struct word *all)
{
	const char *t = l->t, *why = NULL;

	l->i++;		/* ( */
	for (;;) {
		struct buf lit = { 0 };
		struct word w = { 0 };
		size_t s;

		while (t[l->i] == ' ' || t[l->i] == '\t' || t[l->i] == '\n' ||
		       (t[l->i] == '\\' && t[l->i + 1] == '\n')) {
			if (t[l->i] == '\\')
				l->i++;
			if (t[l->i++] == '\n')
				lex_newline(l, all);
		}
		if (t[l->i] == '#') {
			while (t[l->i] && t[l->i] != '\n')
				l->i++;
			continue;
		}
		if (!t[l->i] || t[l->i] == ')')
			break;
		s = l->i;
		lex_word(l, var, true, &lit, &w);
		if (l->i == s) {	/* ; & | inside (...): not an array we know */
			l->i++;
			why = "its (...) holds more than words";
			continue;
		}
		if (!why && (w.sq || w.dq || w.expansion || w.backslash ||
			     !simple_word(t + s, l->i - s)))
			why = "an element is quoted, escaped or expanded";
		all->selfref |= w.selfref;
		all->newline |= w.newline;
		all->opaque |= w.opaque;
		all->expansion |= w.expansion;
		if (lit.len) {
			if (words->len)
				puts_(words, " ");
			put(words, lit.s, lit.len);
		}
		free(lit.s);
	}
	if (t[l->i] == ')')
		l->i++;
	return why;
}

/* Why an assignment is not the plain form the editor rewrites, or NULL. */
static const char *plain_why(const struct lex *l, size_t vstart, const struct word *w,
			     bool array, const char *array_why)
{
	const char *t = l->t;
	size_t e = l->i;

	if (w->newline)
		return "it continues on the next line";
	if (array) {
		if (array_why)
			return array_why;
		while (t[e] == ' ' || t[e] == '\t')
			e++;
		/* a comment after (...) cannot be touched by an edit inside it */
		if (t[e] && t[e] != '\n' && t[e] != '#')
			return "other commands follow it on its line";
		return NULL;
	}
	if (w->sq)
		return "its value is in single quotes";
	if (w->expansion)
		return "its value has an expansion ($ or `)";
	if (w->backslash)
		return "its value has a backslash";
	if (!w->dq || w->parts != 1 || t[vstart] != '"')
		return "its value is not one double-quoted string";
	if (t[e] && t[e] != '\n')
		return t[e] == ' ' || t[e] == '\t' ?
		       "text follows the value on its line (a comment?)" :
		       "other commands follow it on its line";
	return NULL;
}

static void skip_comment(struct lex *l)
{
	while (l->t[l->i] && l->t[l->i] != '\n')
		l->i++;
}

/* Skip a word that is not an assignment of ours. */
static void skip_word(struct lex *l, const char *var)
{
	struct buf lit = { 0 };
	struct word w = { 0 };
	size_t s = l->i;

	lex_word(l, var, false, &lit, &w);
	free(lit.s);
	if (l->i == s)
		l->i++;
}

/* The assignment at l->i (the name), its value parsed. */
static void lex_assign(struct lex *l, const char *var, struct gh_sh_assign *a,
		       bool indented, const char *before)
{
	struct buf words = { 0 }, lit = { 0 };
	struct word w = { 0 };
	const char *array_why = NULL;
	bool plus;
	size_t vstart;

	l->i += strlen(var);
	plus = l->t[l->i] == '+';
	l->i += plus ? 2 : 1;
	vstart = l->i;
	a->array = l->t[l->i] == '(';
	if (a->array) {
		array_why = lex_array(l, var, &words, &w);
	} else {
		lex_word(l, var, false, &lit, &w);
		if (lit.len)
			put(&words, lit.s, lit.len);
		free(lit.s);
	}
	a->appends = plus || w.selfref;
	a->opaque = w.opaque;
	a->words = done(&words);
	if (indented)
		a->not_plain = "it is indented";
	else if (before)
		a->not_plain = before;
	else if (plus)
		a->not_plain = "it appends with +=";
	else
		a->not_plain = plain_why(l, vstart, &w, a->array, array_why);
}

/* Normalise the words of an assignment: single spaces, no edges. */
static void words_tidy(char *s)
{
	struct toks t = { 0 };
	struct buf b = { 0 };
	unsigned int i;

	toks_split(&t, s);
	for (i = 0; i < t.n; i++) {
		if (i)
			puts_(&b, " ");
		puts_(&b, t.v[i]);
	}
	memcpy(s, done(&b), b.len + 1);	/* never longer than @s */
	free(b.s);
	toks_free(&t);
}

static bool at_assign(const char *t, const char *var)
{
	size_t vl = strlen(var);

	return !strncmp(t, var, vl) && (t[vl] == '=' || (t[vl] == '+' && t[vl + 1] == '='));
}

/**
 * gh_sh_assigns() - every assignment of @var in a shell file, as written
 * @text: the file
 * @var: the variable name
 * @a: receives up to @max assignments, in file order
 * @max: room in @a
 *
 * Nothing is run: expansions are recognised and flagged, their results
 * unknown. Words before the assignment on its command (export, local) or
 * an indentation make it not plain, as does anything that the rewrite of
 * a KEY="..." line could change the meaning of.
 *
 * Return: the number of assignments found (at most @max).
 */
int gh_sh_assigns(const char *text, const char *var, struct gh_sh_assign *a,
		  unsigned int max)
{
	struct lex l = { .t = text, .line = 1 };
	unsigned int n = 0;

	while (text[l.i]) {
		size_t ls = l.i;
		unsigned int first = l.line, from = n;
		bool indented = false;
		const char *before = NULL;

		while (text[l.i] && text[l.i] != '\n') {
			size_t ws = l.i;

			while (text[l.i] == ' ' || text[l.i] == '\t')
				l.i++;
			if (ws == ls && l.i > ls)
				indented = true;
			if (text[l.i] == '\\' && text[l.i + 1] == '\n') {
				l.i += 2;
				l.line++;
				continue;
			}
			if (!text[l.i] || text[l.i] == '\n')
				break;
			if (text[l.i] == '#') {
				skip_comment(&l);
				break;
			}
			if (strchr(";&|()", text[l.i])) {
				before = "it shares its line with other commands";
				l.i++;
				continue;
			}
			if (at_assign(text + l.i, var) && n < max) {
				memset(&a[n], 0, sizeof(a[n]));
				a[n].first = first;
				a[n].start = ls;
				lex_assign(&l, var, &a[n], indented, before);
				words_tidy(a[n].words);
				n++;
			} else {
				before = !strncmp(text + l.i, "export", 6) &&
					 (text[l.i + 6] == ' ' || text[l.i + 6] == '\t') ?
					 "it starts with 'export'" : "other words come before it";
				skip_word(&l, var);
			}
		}
		if (text[l.i] == '\n')
			l.i++;
		for (; from < n; from++) {
			a[from].last = l.line;
			a[from].end = l.i;
		}
		if (l.i > ls && text[l.i - 1] == '\n')
			l.line++;
	}
	return (int)n;
}

void gh_sh_assigns_free(struct gh_sh_assign *a, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		free(a[i].words);
		a[i].words = NULL;
	}
}

/* ---- files under the root ---- */

static int load(const char *abs, char **text)
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

/* load() that names the file in the plan on failure. */
static int plan_load(struct gh_plan *p, const char *abs, char **text)
{
	int err = load(abs, text);

	if (err)
		snprintf(p->error, sizeof(p->error), "cannot read %s%s: %s",
			 shown_root(), abs, gh_file_strerror(err));
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
static unsigned int list_dir(const char *dir, const char *suffix, bool version_order,
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

static void names_free(char **names, unsigned int n)
{
	while (n)
		free(names[--n]);
	free(names);
}

/* Add a change of @abs to the plan (none when @old and @new_ are alike). */
static struct gh_edit *plan_add(struct gh_plan *p, const char *abs, char *old, char *new_)
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

static void edits_free(struct gh_plan *p)
{
	unsigned int i;

	for (i = 0; i < p->nr; i++) {
		free(p->e[i].old);
		free(p->e[i].new_);
		p->e[i].old = p->e[i].new_ = NULL;
	}
	p->nr = 0;
}

/* ---- kernel parameters and the user's own ---- */

void gh_kernel_params(const struct gh_hostcfg *c, const char **out, unsigned int max)
{
	unsigned int n = 0;

	if (n < max - 1)
		out[n++] = c->amd ? "amd_iommu=on" : "intel_iommu=on";
	if (c->iommu_pt && n < max - 1)
		out[n++] = "iommu=pt";
	if (n < max - 1)
		out[n++] = "kvm.ignore_msrs=1";
	if (c->gvt && n < max - 1)
		out[n++] = "i915.enable_gvt=1";
	out[n] = NULL;
}

/* Parameter names compare with - and _ alike, as the kernel does. */
static bool key_eq(const char *a, const char *b)
{
	size_t al = strcspn(a, "="), bl = strcspn(b, "="), i;

	if (al != bl)
		return false;
	for (i = 0; i < al; i++) {
		char x = a[i] == '-' ? '_' : a[i], y = b[i] == '-' ? '_' : b[i];

		if (x != y)
			return false;
	}
	return true;
}

/* What a user's value of a parameter gpuhelper wants decides, and why. */
static const struct {
	const char *want;		/* gpuhelper's parameter name */
	const char *also;		/* another name that sets the same thing */
	const char *why;
} param_why[] = {
	{ "intel_iommu", NULL, "it sets Intel VT-d DMA remapping, which passthrough needs on" },
	{ "amd_iommu", NULL, "it sets AMD-Vi DMA remapping, which passthrough needs on" },
	{ "iommu", "iommu.passthrough",
	  "it decides whether host devices keep DMA translation (iommu=pt drops it for speed; "
	  "iommu=force or iommu.passthrough=0 keep the protection)" },
	{ "kvm.ignore_msrs", NULL,
	  "Windows guests read MSRs KVM does not emulate; without ignore_msrs=1 they can crash" },
	{ "i915.enable_gvt", NULL, "GVT-g mediated devices of the iGPU need it" },
};

/* The user's token that sets what @want sets, or NULL. */
static const char *user_setting(const struct toks *user, const char *want)
{
	unsigned int i, k;

	for (i = 0; i < user->n; i++) {
		if (key_eq(user->v[i], want))
			return user->v[i];
		for (k = 0; k < ARRAY_SIZE(param_why); k++)
			if (param_why[k].also && key_eq(want, param_why[k].want) &&
			    key_eq(user->v[i], param_why[k].also))
				return user->v[i];
	}
	return NULL;
}

static const char *why_it_matters(const char *want)
{
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(param_why); k++)
		if (key_eq(want, param_why[k].want))
			return param_why[k].why;
	return "it is your setting";
}

static bool value_off(const char *tok)
{
	const char *v = strchr(tok, '=');

	for (v = v ? v + 1 : ""; *v; v += strcspn(v, ","), v += *v == ',')
		if (!strncmp(v, "off", 3) && (v[3] == ',' || !v[3]))
			return true;
	return false;
}

/* vfio-pci.ids= claims devices at boot: say so, and whether it names ours. */
static void note_vfio_ids(const struct toks *user, const char *ids, const char *where,
			  struct gh_plan *p)
{
	unsigned int i;

	for (i = 0; i < user->n; i++) {
		const char *e = ids;
		bool ours = false;

		if (!key_eq(user->v[i], "vfio-pci.ids"))
			continue;
		while (*e) {
			char vd[10];

			snprintf(vd, sizeof(vd), "%.9s", e);
			if (strlen(vd) == 9 && strcasestr(user->v[i], vd))
				ours = true;
			e += strcspn(e, ",");
			e += *e == ',';
		}
		say(&p->notes, "gpuhelper host-config: %s%s: you set %s; gpuhelper adds no "
		    "vfio-pci.ids and keeps yours: vfio-pci claims those devices at boot, "
		    "before gpuhelper can hold them%s\n", shown_root(), where, user->v[i],
		    ours ? " - it names the dGPU gpuhelper is to hold, so gpuhelper will "
		    "not get it: remove it from the dGPU's IDs yourself" : "");
	}
}

/**
 * missing_params() - the parameters to add to a command line
 * @params: what gpuhelper wants
 * @user: the words the user has there
 * @where: the file, for the messages
 * @ids: gpuhelper's ids=, to recognise the dGPU in vfio-pci.ids
 * @p: receives a note for each parameter the user set otherwise
 * @add: receives the parameters the user has not set, NULL-terminated
 * @max: room in @add
 */
static unsigned int missing_params(const char *const *params, const struct toks *user,
				   const char *where, const char *ids, struct gh_plan *p,
				   const char **add, unsigned int max)
{
	unsigned int n = 0;

	for (; *params; params++) {
		const char *have = user_setting(user, *params);

		if (!have) {
			if (n < max - 1)
				add[n++] = *params;
			continue;
		}
		if (!strcmp(have, *params))
			continue;
		say(&p->notes, "gpuhelper host-config: %s%s: you set %s; gpuhelper would add %s; "
		    "yours is kept, since %s%s\n", shown_root(), where, have, *params,
		    why_it_matters(*params),
		    value_off(have) ? " - with it off there is no passthrough: change it "
		    "yourself if you want one" : "");
	}
	add[n] = NULL;
	note_vfio_ids(user, ids, where, p);
	return n;
}

static void join_params(struct buf *b, const char *const *add)
{
	for (; *add; add++) {
		if (b->len && b->s[b->len - 1] != ' ' && b->s[b->len - 1] != '"')
			puts_(b, " ");
		puts_(b, *add);
	}
}

/* The user's words for @var: a simulation of the file's assignments in order. */
static void sim_var(const char *text, const char *var, struct toks *t, bool *opaque)
{
	struct gh_sh_assign a[ASSIGNS_MAX];
	int n = gh_sh_assigns(text, var, a, ASSIGNS_MAX), i;

	for (i = 0; i < n; i++) {
		if (!a[i].appends)
			toks_clear(t);
		toks_split(t, a[i].words);
		if (a[i].opaque)
			*opaque = true;
	}
	gh_sh_assigns_free(a, (unsigned int)n);
}

/* Print the lines [start, end) of @text indented, for a message. */
static void quote_lines(char **out, const char *text, size_t start, size_t end)
{
	const char *s = text + start, *e = text + end;

	while (s < e) {
		size_t n = strcspn(s, "\n");

		if (s + n > e)
			n = (size_t)(e - s);
		say(out, "    %.*s\n", (int)n, s);
		s += n + 1;
	}
}

static unsigned int line_count(const char *t)
{
	unsigned int n = 0;

	for (; *t; t++)
		n += *t == '\n' || !t[1];
	return n;
}

/* The fix of a refused plan: one line, and where it goes. */
static void refuse_add(struct gh_plan *p, const char *file, unsigned int after,
		       const char *line)
{
	say(&p->refused, "  add this line after line %u of %s by hand, then run host-config "
	    "again:\n    %s\n", after, file, line);
}

/*
 * Refuse the plan: @file's assignment @a cannot be rewritten. Say why and
 * the exact line to add after it by hand.
 */
static void refuse_assign(struct gh_plan *p, const char *file, const char *text,
			  const struct gh_sh_assign *a, const char *var, const char *add_line)
{
	say(&p->refused, "gpuhelper host-config: %s%s line %u: not a plain %s=%s line (%s), "
	    "and gpuhelper rewrites no other kind:\n", shown_root(), file, a->first, var,
	    a->array ? "(...)" : "\"...\"", a->not_plain);
	quote_lines(&p->refused, text, a->start, a->end);
	refuse_add(p, file, a->last, add_line);
}

/* ---- which tool reads what ---- */

static const char *const grub_mkconfigs[] = {
	"/usr/sbin/grub-mkconfig", "/usr/bin/grub-mkconfig", "/sbin/grub-mkconfig",
	"/usr/sbin/grub2-mkconfig", "/usr/bin/grub2-mkconfig", "/sbin/grub2-mkconfig",
};

/**
 * gh_grub_reads_dropins() - whether grub-mkconfig sources /etc/default/grub.d
 *
 * Debian and Ubuntu patch grub-mkconfig to source the *.cfg files of
 * /etc/default/grub.d after /etc/default/grub; upstream GRUB (Arch,
 * openSUSE, Fedora) does not. The installed script says which; without
 * one, the directory (which Debian's grub-common ships) does.
 */
bool gh_grub_reads_dropins(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(grub_mkconfigs); i++) {
		char *text;
		bool reads;

		if (load(grub_mkconfigs[i], &text) || !text)
			continue;
		reads = strstr(text, "/default/grub.d") != NULL;
		free(text);
		return reads;
	}
	return gh_exists(GRUB_DIR);
}

/* The version an installed mkinitcpio script declares (36: unbuilt but new). */
static int mkinitcpio_version(const char *script)
{
	const char *v = strstr(script, "declare -r version=");

	if (v) {
		v += strlen("declare -r version=");
		v += strspn(v, "'\"");
		if (isdigit((unsigned char)*v))
			return atoi(v);
	}
	return strstr(script, "mkinitcpio.conf.d") || strstr(script, "_f_config}.d") ? 36 : 0;
}

/* A preset that names a config makes mkinitcpio -c it, skipping drop-ins. */
static bool preset_names_config(char *why, size_t len)
{
	char **names, *text;
	unsigned int n = list_dir(MKINITCPIO_PRESETS, ".preset", false, &names), i;
	bool found = false;

	for (i = 0; i < n && !found; i++) {
		char abs[512];
		const char *l;

		snprintf(abs, sizeof(abs), "%s/%s", MKINITCPIO_PRESETS, names[i]);
		if (load(abs, &text) || !text)
			continue;
		for (l = text; l && *l && !found; l = strchr(l, '\n'), l += l ? 1 : 0) {
			const char *s = l + strspn(l, " \t"), *eq = s + strspn(s,
				"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

			if (*eq == '=' && eq - s > 7 && !strncmp(eq - 7, "_config", 7)) {
				snprintf(why, len, "%s sets %.*s, and mkinitcpio reads no "
					 "drop-in for a preset that names its config", abs,
					 (int)(eq - s), s);
				found = true;
			}
		}
		free(text);
	}
	names_free(names, n);
	return found;
}

/**
 * gh_mkinitcpio_reads_dropins() - whether /etc/mkinitcpio.conf.d is read
 * @why: receives the reason when it is not
 * @len: its size
 *
 * mkinitcpio 36 and later read the *.conf files of /etc/mkinitcpio.conf.d
 * after /etc/mkinitcpio.conf, but not when a preset names its config file
 * (ALL_config=, which older presets do), since that is -c.
 */
bool gh_mkinitcpio_reads_dropins(char *why, size_t len)
{
	char *script;
	int v;

	snprintf(why, len, "there is no %s", MKINITCPIO_DIR);
	if (!load(MKINITCPIO_BIN, &script) && script) {
		v = mkinitcpio_version(script);
		free(script);
		if (v < 36) {
			snprintf(why, len, "mkinitcpio %d reads no drop-ins (version 36 added %s)",
				 v, MKINITCPIO_DIR);
			return false;
		}
	} else if (!gh_exists(MKINITCPIO_DIR)) {
		return false;
	}
	return !preset_names_config(why, len);
}

static bool grub_bls(void)
{
	struct toks t = { 0 };
	bool opaque = false, bls;
	char *text;

	if (load(GRUB_DEFAULT, &text) || !text)
		return false;
	sim_var(text, "GRUB_ENABLE_BLSCFG", &t, &opaque);
	bls = t.n && !strcmp(t.v[t.n - 1], "true");
	toks_free(&t);
	free(text);
	return bls;
}

enum gh_bootloader gh_detect_bootloader(void)
{
	size_t d;

	if (gh_exists(KERNELSTUB_CONF))
		return GH_KERNELSTUB;
	if (gh_exists(GRUB_DEFAULT))
		return grub_bls() ? GH_GRUBBY : GH_GRUB;
	for (d = 0; d < ARRAY_SIZE(entry_dirs); d++)
		if (gh_exists(entry_dirs[d]))
			return GH_SYSTEMD_BOOT;
	return gh_exists(KERNEL_CMDLINE) ? GH_SYSTEMD_BOOT : GH_BOOT_NONE;
}

enum gh_initramfs gh_detect_initramfs(void)
{
	if (gh_exists(MKINITCPIO_CONF))
		return GH_MKINITCPIO;
	if (gh_exists("/etc/dracut.conf") || gh_exists("/etc/dracut.conf.d"))
		return GH_DRACUT;
	if (gh_exists("/etc/initramfs-tools"))
		return GH_INITRAMFS_TOOLS;
	return GH_INITRAMFS_NONE;
}

/* ---- whole files host-config owns: ours, then the user's lines ---- */

/* The lines of @text after YOURS_LINE (NULL text: none). */
static void yours_lines(const char *text, struct buf *out)
{
	const char *y = text ? strstr(text, YOURS_LINE "\n") : NULL;

	if (y)
		puts_(out, y + strlen(YOURS_LINE) + 1);
}

/* Our lines, then the user's under YOURS_LINE when there are any. */
static char *compose(const char *ours, const char *yours)
{
	struct buf b = { 0 };

	puts_(&b, ours);
	if (yours && *yours) {
		puts_(&b, YOURS_LINE "\n");
		puts_(&b, yours);
		if (b.s[b.len - 1] != '\n')
			puts_(&b, "\n");
	}
	return done(&b);
}

static bool is_ours(const char *text)
{
	return starts_with(text, GH_HC_HEADER);
}

/* A line an older host-config wrote into /etc/modprobe.d/gpuhelper.conf. */
static bool old_hc_line(const char *l, size_t n)
{
	static const char *const fixed[] = {
		"# before its host drivers can bind it. See gpuhelper-host-config(8).",
		YOURS_LINE,
	};
	size_t i;

	if (n >= strlen(GH_HC_HEADER) && !strncmp(l, GH_HC_HEADER, strlen(GH_HC_HEADER)))
		return true;
	if (n >= 22 && !strncmp(l, "options gpuhelper ids=", 22))
		return true;
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		if (n == strlen(fixed[i]) && !strncmp(l, fixed[i], n))
			return true;
	for (i = 0; i < ARRAY_SIZE(softdeps); i++) {
		char sd[64];

		snprintf(sd, sizeof(sd), "softdep %s pre: gpuhelper", softdeps[i]);
		if (n == strlen(sd) && !strncmp(l, sd, n))
			return true;
	}
	return false;
}

static bool has_line(const char *text, const char *l, size_t n)
{
	const char *p = text;

	while (p && *p) {
		size_t m = strcspn(p, "\n");

		if (m == n && !strncmp(p, l, n))
			return true;
		p += m;
		p += *p == '\n';
	}
	return false;
}

/* The old file's lines that are the user's, not in @have already. */
static void old_user_lines(const char *old, const char *have, struct buf *out)
{
	const char *l = old;

	while (*l) {
		size_t n = strcspn(l, "\n");

		if (n && !old_hc_line(l, n) && !has_line(have, l, n)) {
			put(out, l, n);
			puts_(out, "\n");
		}
		l += n + (l[n] == '\n');
	}
}

static bool packaged_modprobe_exists(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(packaged_modprobe); i++)
		if (gh_exists(packaged_modprobe[i]))
			return true;
	return false;
}

/*
 * /etc/modprobe.d/gpuhelper-local.conf: ids=, and the softdeps unless the
 * packaged /usr/lib/modprobe.d/gpuhelper.conf has them. A file of the old
 * name (/etc/modprobe.d/gpuhelper.conf) masks the packaged one: one an
 * older host-config wrote moves here, the user's lines kept.
 */
static int plan_modprobe(const struct gh_hostcfg *c, struct gh_plan *p)
{
	struct buf ours = { 0 }, yours = { 0 };
	struct gh_edit *x;
	char *cur, *old;
	bool packaged, migrate;
	size_t i;
	int err;

	err = plan_load(p, GH_MODPROBE_LOCAL, &cur);
	if (!err)
		err = plan_load(p, GH_MODPROBE_OLD, &old);
	if (err) {
		free(cur);
		return err;
	}
	/* installed with MODPROBEDIR=/etc/modprobe.d, the softdeps are there */
	packaged = packaged_modprobe_exists() ||
		   (old && !is_ours(old) && strstr(old, "pre: gpuhelper"));
	putf(&ours, GH_HC_HEADER ": hold the dGPU for passthrough\n"
	     "# before its host drivers can bind it. See gpuhelper-host-config(8).\n"
	     "options gpuhelper ids=%s\n", c->ids);
	if (!packaged)
		for (i = 0; i < ARRAY_SIZE(softdeps); i++)
			putf(&ours, "softdep %s pre: gpuhelper\n", softdeps[i]);
	yours_lines(is_ours(cur) ? cur : NULL, &yours);
	if (cur && !is_ours(cur))
		puts_(&yours, cur);
	migrate = old && is_ours(old);
	if (migrate) {
		char *have = strdup(yours.s ? yours.s : "");

		old_user_lines(old, have, &yours);
		free(have);
	}
	plan_add(p, GH_MODPROBE_LOCAL, cur, compose(done(&ours), yours.s));
	free(ours.s);
	free(yours.s);
	if (migrate) {
		say(&p->notes, "gpuhelper host-config: %s%s was written by an older host-config; "
		    "its name masks the packaged /usr/lib/modprobe.d/gpuhelper.conf and with it "
		    "the packaged softdeps, so its settings move to %s (your own lines kept "
		    "there) and it is removed (kept as %s" GH_BACKUP_SUFFIX "; --revert puts it "
		    "back)\n", shown_root(), GH_MODPROBE_OLD, GH_MODPROBE_LOCAL, GH_MODPROBE_OLD);
		x = plan_add(p, GH_MODPROBE_OLD, old, NULL);
		if (x)
			x->keep_old = true;
	} else {
		if (old && packaged_modprobe_exists())
			say(&p->notes, "gpuhelper host-config: %s%s is not one host-config wrote; "
			    "it masks the packaged /usr/lib/modprobe.d/gpuhelper.conf (same name), "
			    "whose softdeps are then not read: merge the two and rename yours\n",
			    shown_root(), GH_MODPROBE_OLD);
		free(old);
	}
	return 0;
}

/* A whole file of ours: our text, then whatever the user added under it. */
static int plan_owned(struct gh_plan *p, const char *abs, const char *ours)
{
	struct buf yours = { 0 };
	char *cur;
	int err = plan_load(p, abs, &cur);

	if (err)
		return err;
	yours_lines(is_ours(cur) ? cur : NULL, &yours);
	if (cur && !is_ours(cur))
		puts_(&yours, cur);
	plan_add(p, abs, cur, compose(ours, yours.s));
	free(yours.s);
	return 0;
}

static int plan_modules_load(const struct gh_hostcfg *c, struct gh_plan *p)
{
	return plan_owned(p, MODULES_LOAD, c->gvt ?
			  GH_HC_HEADER ": modules passthrough needs at boot.\n"
			  "kvmgt\nvfio-iommu-type1\nmdev\n" :
			  GH_HC_HEADER ": modules passthrough needs at boot.\n"
			  "vfio-pci\nvfio-iommu-type1\n");
}

/* ---- initramfs ---- */

static bool module_in(const char *words, const char *m)
{
	struct toks t = { 0 };
	bool in;

	toks_split(&t, words);
	in = toks_has(&t, m);
	toks_free(&t);
	return in;
}

/* The MODULES= of one mkinitcpio file, added to the running simulation. */
static void mkinitcpio_sim(const char *text, struct toks *mods, bool *string_form)
{
	struct gh_sh_assign a[ASSIGNS_MAX];
	int n = gh_sh_assigns(text, "MODULES", a, ASSIGNS_MAX), i;

	for (i = 0; i < n; i++) {
		if (!a[i].appends)
			toks_clear(mods);
		toks_split(mods, a[i].words);
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

	put(&b, line, (size_t)(open + 1 - line));
	for (w = open + 1; w < close;) {
		size_t n = strcspn(w, " \t)");

		if (n && !(n == 11 && !strncmp(w, "vfio_virqfd", 11))) {
			if (b.s[b.len - 1] != '(')
				puts_(&b, " ");
			put(&b, w, n);
		}
		w += n;
		w += strspn(w, " \t");
	}
	put(&b, close, len - (size_t)(close - line));
	return done(&b);
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
			say(&p->notes, "gpuhelper host-config: %s%s line %u names vfio_virqfd, "
			    "folded into vfio in Linux 6.2 (running %u.%u): mkinitcpio fails on "
			    "it; remove it there yourself\n", shown_root(), MKINITCPIO_CONF,
			    a[i].first, c->kver / 1000, c->kver % 1000);
			continue;
		}
		put(&b, text + pos, a[i].start - pos);
		line = drop_virqfd(text + a[i].start, a[i].end - a[i].start);
		puts_(&b, line);
		free(line);
		pos = a[i].end;
		say(&p->notes, "gpuhelper host-config: %s%s line %u: vfio_virqfd removed from "
		    "MODULES (folded into vfio in Linux 6.2, running %u.%u: mkinitcpio fails on "
		    "it)\n", shown_root(), MKINITCPIO_CONF, a[i].first, c->kver / 1000,
		    c->kver % 1000);
	}
	gh_sh_assigns_free(a, (unsigned int)n);
	if (!b.s)
		return NULL;
	puts_(&b, text + pos);
	return b.s;
}

/* gpuhelper first in the last, plain, MODULES=(...) of mkinitcpio.conf. */
static char *mkinitcpio_main_edit(const char *text, const struct gh_sh_assign *a, int n)
{
	struct buf b = { 0 };
	const char *open;

	if (!n) {
		puts_(&b, text);
		if (b.len && b.s[b.len - 1] != '\n')
			puts_(&b, "\n");
		puts_(&b, "MODULES=(gpuhelper)\n");
		return done(&b);
	}
	open = strchr(text + a[n - 1].start, '(');
	put(&b, text, (size_t)(open + 1 - text));
	puts_(&b, open[1] == ')' ? "gpuhelper" : "gpuhelper ");
	puts_(&b, open + 1);
	return done(&b);
}

/* A later drop-in that sets @var outright undoes ours: name it. */
static const char *overriding_dropin(const char *dir, char **names, unsigned int n,
				     const char *ours, bool version_order, const char *var,
				     char **text_out)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct gh_sh_assign a[ASSIGNS_MAX];
		char abs[512], *text;
		int k, m;
		bool resets = false;

		if ((version_order ? strverscmp(names[i], ours) : strcmp(names[i], ours)) <= 0)
			continue;
		snprintf(abs, sizeof(abs), "%s/%s", dir, names[i]);
		if (load(abs, &text) || !text)
			continue;
		m = gh_sh_assigns(text, var, a, ASSIGNS_MAX);
		for (k = 0; k < m; k++)
			resets |= !a[k].appends;
		gh_sh_assigns_free(a, (unsigned int)m);
		if (resets) {
			*text_out = text;
			return names[i];
		}
		free(text);
	}
	return NULL;
}

static int plan_mkinitcpio_dropin(struct gh_plan *p, const char *main_text)
{
	struct toks mods = { 0 };
	bool string_form = false;
	char **names, *cur = NULL, *later_text = NULL;
	const char *later;
	unsigned int n = list_dir(MKINITCPIO_DIR, ".conf", true, &names), i;
	int err = 0;

	mkinitcpio_sim(main_text, &mods, &string_form);
	for (i = 0; i < n; i++) {
		char abs[512], *text;

		snprintf(abs, sizeof(abs), "%s/%s", MKINITCPIO_DIR, names[i]);
		if (!strcmp(abs, MKINITCPIO_DROP))
			continue;
		err = plan_load(p, abs, &text);
		if (err)
			goto out;
		if (text)
			mkinitcpio_sim(text, &mods, &string_form);
		free(text);
	}
	err = plan_load(p, MKINITCPIO_DROP, &cur);
	if (err)
		goto out;
	if (toks_has(&mods, "gpuhelper")) {
		plan_add(p, MKINITCPIO_DROP, cur, NULL);	/* the user has it: ours goes */
		cur = NULL;
		goto out;
	}
	later = overriding_dropin(MKINITCPIO_DIR, names, n, "90-gpuhelper.conf", true, "MODULES",
				  &later_text);
	if (later) {
		char abs[512];

		snprintf(abs, sizeof(abs), "%s/%s", MKINITCPIO_DIR, later);
		say(&p->refused, "gpuhelper host-config: %s%s sets MODULES after gpuhelper's "
		    "drop-in %s would, so it would undo it\n", shown_root(), abs, MKINITCPIO_DROP);
		refuse_add(p, abs, line_count(later_text), "MODULES=(gpuhelper \"${MODULES[@]}\")");
	} else if (string_form) {
		say(&p->refused, "gpuhelper host-config: %s%s: MODULES is a string "
		    "(MODULES=\"...\"), not the array mkinitcpio has used since 2017, so a "
		    "drop-in cannot add to it safely\n", shown_root(), MKINITCPIO_CONF);
		refuse_add(p, MKINITCPIO_CONF, line_count(main_text),
			   "MODULES=\"gpuhelper ${MODULES}\"");
	} else {
		plan_add(p, MKINITCPIO_DROP, cur,
			 strdup(GH_HC_HEADER ": gpuhelper first in the initramfs, so it holds the\n"
				"# dGPU before any GPU driver. mkinitcpio reads this after\n"
				"# /etc/mkinitcpio.conf; gpuhelper host-config --revert removes it.\n"
				"MODULES=(gpuhelper \"${MODULES[@]}\")\n"));
		cur = NULL;
	}
out:
	free(cur);
	free(later_text);
	names_free(names, n);
	toks_free(&mods);
	return err;
}

static int plan_mkinitcpio_main(struct gh_plan *p, const char *text, char *old)
{
	struct gh_sh_assign a[ASSIGNS_MAX];
	int n = gh_sh_assigns(text, "MODULES", a, ASSIGNS_MAX), i;
	bool have = false, string_form = false;
	struct toks mods = { 0 };

	mkinitcpio_sim(text, &mods, &string_form);
	have = toks_has(&mods, "gpuhelper");
	toks_free(&mods);
	if (have) {
		plan_add(p, MKINITCPIO_CONF, old, strdup(text));
	} else if (n && (a[n - 1].not_plain || !a[n - 1].array)) {
		i = n - 1;
		refuse_assign(p, MKINITCPIO_CONF, text, &a[i], "MODULES",
			      a[i].array ? "MODULES=(gpuhelper \"${MODULES[@]}\")" :
			      "MODULES=\"gpuhelper ${MODULES}\"");
		free(old);
	} else {
		plan_add(p, MKINITCPIO_CONF, old, mkinitcpio_main_edit(text, a, n));
	}
	gh_sh_assigns_free(a, (unsigned int)n);
	return 0;
}

static int plan_mkinitcpio(const struct gh_hostcfg *c, struct gh_plan *p)
{
	char why[512], *old, *fixed;
	const char *text;
	int err = plan_load(p, MKINITCPIO_CONF, &old);

	if (err)
		return err;
	text = old ? old : "";
	fixed = virqfd_fix(c, text, p);
	if (fixed)
		text = fixed;
	if (gh_mkinitcpio_reads_dropins(why, sizeof(why))) {
		err = plan_mkinitcpio_dropin(p, text);
		if (!err && fixed)
			plan_add(p, MKINITCPIO_CONF, old, fixed);
		else
			free(old), free(fixed);
		return err;
	}
	say(&p->notes, "gpuhelper host-config: editing %s%s itself: %s\n", shown_root(),
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
	int err = plan_load(p, ITOOLS_MODULES, &old);

	if (err)
		return err;
	for (l = old; l && *l; l += strcspn(l, "\n"), l += *l == '\n') {
		const char *w = l + strspn(l, " \t");

		if (!strncmp(w, "gpuhelper", 9) && strchr(" \t\n", w[9] ? w[9] : '\n')) {
			free(old);
			return 0;
		}
	}
	puts_(&b, old ? old : "");
	if (b.len && b.s[b.len - 1] != '\n')
		puts_(&b, "\n");
	puts_(&b, "gpuhelper\n");
	plan_add(p, ITOOLS_MODULES, old, done(&b));
	return 0;
}

static int plan_initramfs(const struct gh_hostcfg *c, struct gh_plan *p)
{
	switch (c->initramfs) {
	case GH_MKINITCPIO:
		return plan_mkinitcpio(c, p);
	case GH_DRACUT:
		return plan_owned(p, DRACUT_CONF,
				  GH_HC_HEADER "\nforce_drivers+=\" gpuhelper \"\n");
	case GH_INITRAMFS_TOOLS:
		return plan_itools(p);
	case GH_INITRAMFS_NONE:
		break;
	}
	return 0;
}

/* ---- GRUB ---- */

/* The user's kernel words in one GRUB file, added to the simulation. */
static void grub_sim(const char *text, struct toks *linux_, struct toks *def, bool *opaque)
{
	sim_var(text, GRUB_LINUX, linux_, opaque);
	sim_var(text, GRUB_LINUX_DEF, def, opaque);
}

static void toks_concat(struct toks *out, const struct toks *a, const struct toks *b)
{
	unsigned int i;

	for (i = 0; i < a->n; i++)
		toks_add(out, a->v[i], strlen(a->v[i]));
	for (i = 0; i < b->n; i++)
		toks_add(out, b->v[i], strlen(b->v[i]));
}

static void note_opaque(struct gh_plan *p, const char *where, bool opaque)
{
	if (opaque)
		say(&p->notes, "gpuhelper host-config: %s%s: part of the kernel command line "
		    "comes from expansions gpuhelper does not run; parameters set there are not "
		    "seen\n", shown_root(), where);
}

static char *append_line(const char *var, const char *const *add)
{
	struct buf b = { 0 };

	putf(&b, "%s=\"$%s", var, var);
	for (; *add; add++)
		putf(&b, " %s", *add);
	puts_(&b, "\"");
	return done(&b);
}

static int plan_grub_dropin(const struct gh_hostcfg *c, const char *const *params,
			    struct gh_plan *p, const char *main_text)
{
	struct toks lin = { 0 }, def = { 0 }, all = { 0 };
	const char *add[8], *later;
	char **names, *cur = NULL, *later_text = NULL;
	unsigned int n = list_dir(GRUB_DIR, ".cfg", false, &names), i;
	bool opaque = false;
	int err = 0;

	grub_sim(main_text, &lin, &def, &opaque);
	for (i = 0; i < n; i++) {
		char abs[512], *text;

		snprintf(abs, sizeof(abs), "%s/%s", GRUB_DIR, names[i]);
		if (!strcmp(abs, GRUB_DROP))
			continue;
		err = plan_load(p, abs, &text);
		if (err)
			goto out;
		if (text)
			grub_sim(text, &lin, &def, &opaque);
		free(text);
	}
	err = plan_load(p, GRUB_DROP, &cur);
	if (err)
		goto out;
	toks_concat(&all, &lin, &def);
	note_opaque(p, GRUB_DEFAULT, opaque);
	if (!missing_params(params, &all, GRUB_DEFAULT, c->ids, p, add, 8)) {
		plan_add(p, GRUB_DROP, cur, NULL);	/* all there already: ours goes */
		cur = NULL;
		goto out;
	}
	later = overriding_dropin(GRUB_DIR, names, n, "90-gpuhelper.cfg", false, GRUB_LINUX_DEF,
				  &later_text);
	if (later) {
		char *line = append_line(GRUB_LINUX_DEF, add), abs[512];

		snprintf(abs, sizeof(abs), "%s/%s", GRUB_DIR, later);
		say(&p->refused, "gpuhelper host-config: %s%s sets %s after gpuhelper's "
		    "drop-in %s would, so it would undo it\n", shown_root(), abs,
		    GRUB_LINUX_DEF, GRUB_DROP);
		refuse_add(p, abs, line_count(later_text), line);
		free(line);
	} else {
		struct buf b = { 0 };
		char *line = append_line(GRUB_LINUX_DEF, add);

		putf(&b, GH_HC_HEADER ": the kernel command line passthrough needs.\n"
		     "# grub-mkconfig reads this after /etc/default/grub and adds to its value;\n"
		     "# gpuhelper host-config --revert removes it.\n%s\n", line);
		free(line);
		plan_add(p, GRUB_DROP, cur, done(&b));
		cur = NULL;
	}
out:
	free(cur);
	free(later_text);
	names_free(names, n);
	toks_free(&lin);
	toks_free(&def);
	toks_free(&all);
	return err;
}

/* Add @add to the last, plain, GRUB_CMDLINE_LINUX_DEFAULT="..." of the file. */
static char *grub_main_edit(const char *text, const struct gh_sh_assign *a, int n,
			    const char *const *add)
{
	struct buf b = { 0 };
	const char *close;

	if (!n) {
		puts_(&b, text);
		if (b.len && b.s[b.len - 1] != '\n')
			puts_(&b, "\n");
		putf(&b, "%s=\"", GRUB_LINUX_DEF);
		join_params(&b, add);
		puts_(&b, "\"\n");
		return done(&b);
	}
	close = text + a[n - 1].end - 1;
	if (*close == '\n')
		close--;
	put(&b, text, (size_t)(close - text));
	join_params(&b, add);
	puts_(&b, close);
	return done(&b);
}

static int plan_grub_main(const struct gh_hostcfg *c, const char *const *params,
			  struct gh_plan *p, char *old)
{
	struct gh_sh_assign a[ASSIGNS_MAX];
	struct toks lin = { 0 }, def = { 0 }, all = { 0 };
	const char *text = old ? old : "", *add[8];
	bool opaque = false;
	int n = gh_sh_assigns(text, GRUB_LINUX_DEF, a, ASSIGNS_MAX);

	grub_sim(text, &lin, &def, &opaque);
	toks_concat(&all, &lin, &def);
	note_opaque(p, GRUB_DEFAULT, opaque);
	if (!missing_params(params, &all, GRUB_DEFAULT, c->ids, p, add, 8)) {
		free(old);
	} else if (n && a[n - 1].not_plain) {
		char *line = append_line(GRUB_LINUX_DEF, add);

		refuse_assign(p, GRUB_DEFAULT, text, &a[n - 1], GRUB_LINUX_DEF, line);
		free(line);
		free(old);
	} else {
		plan_add(p, GRUB_DEFAULT, old, grub_main_edit(text, a, n, add));
	}
	gh_sh_assigns_free(a, (unsigned int)n);
	toks_free(&lin);
	toks_free(&def);
	toks_free(&all);
	return 0;
}

static int plan_grub(const struct gh_hostcfg *c, const char *const *params, struct gh_plan *p)
{
	char *old;
	int err = plan_load(p, GRUB_DEFAULT, &old);

	if (err)
		return err;
	if (gh_grub_reads_dropins()) {
		err = plan_grub_dropin(c, params, p, old ? old : "");
		free(old);
		return err;
	}
	say(&p->notes, "gpuhelper host-config: editing %s%s itself: this grub-mkconfig reads "
	    "no %s\n", shown_root(), GRUB_DEFAULT, GRUB_DIR);
	return plan_grub_main(c, params, p, old);
}

/* ---- systemd-boot entries, /etc/kernel/cmdline ---- */

static bool options_line(const char *l)
{
	return !strncmp(l, "options", 7) && (l[7] == ' ' || l[7] == '\t');
}

/* The words of every "options" line of a loader entry. */
static void entry_tokens(const char *text, struct toks *t, const char **last_options)
{
	const char *l;

	*last_options = NULL;
	for (l = text; *l; l += strcspn(l, "\n"), l += *l == '\n') {
		if (!options_line(l))
			continue;
		*last_options = l;
		{
			char *s = strndup(l + 8, strcspn(l, "\n") - 8);

			toks_split(t, s);
			free(s);
		}
	}
}

static char *entry_edit(const char *text, const char *last_options, const char *const *add)
{
	struct buf b = { 0 };
	const char *end;

	if (!last_options) {
		puts_(&b, text);
		if (b.len && b.s[b.len - 1] != '\n')
			puts_(&b, "\n");
		puts_(&b, "options ");
		join_params(&b, add);
		puts_(&b, "\n");
		return done(&b);
	}
	end = last_options + strcspn(last_options, "\n");
	while (end > last_options && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	put(&b, text, (size_t)(end - text));
	puts_(&b, " ");
	join_params(&b, add);
	puts_(&b, end);
	return done(&b);
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
	int err = plan_load(p, abs, &old);

	if (err || !old || !is_entry(old)) {
		free(old);
		return err;
	}
	(*found)++;
	entry_tokens(old, &t, &last);
	if (missing_params(params, &t, abs, c->ids, p, add, 8))
		plan_add(p, abs, old, entry_edit(old, last, add));
	else
		free(old);
	toks_free(&t);
	return 0;
}

/* Every line kept; the new words go at the end of the last non-empty one. */
static char *cmdline_edit(const char *text, const char *const *add)
{
	struct buf b = { 0 };
	const char *end = text + strlen(text);

	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	put(&b, text, (size_t)(end - text));
	if (b.len)
		puts_(&b, " ");
	join_params(&b, add);
	puts_(&b, *end ? end : "\n");
	return done(&b);
}

static int plan_kernel_cmdline(const struct gh_hostcfg *c, const char *const *params,
			       struct gh_plan *p, unsigned int *found)
{
	struct toks t = { 0 };
	const char *add[8];
	char *old;
	int err = plan_load(p, KERNEL_CMDLINE, &old);

	if (err || !old)
		return err;
	(*found)++;
	toks_split(&t, old);
	if (missing_params(params, &t, KERNEL_CMDLINE, c->ids, p, add, 8))
		plan_add(p, KERNEL_CMDLINE, old, cmdline_edit(old, add));
	else
		free(old);
	toks_free(&t);
	return 0;
}

static int plan_sdboot(const struct gh_hostcfg *c, const char *const *params, struct gh_plan *p)
{
	unsigned int found = 0, i, n;
	size_t d;
	int err = 0;

	for (d = 0; !err && d < ARRAY_SIZE(entry_dirs); d++) {
		char **names;

		n = list_dir(entry_dirs[d], ".conf", false, &names);
		for (i = 0; !err && i < n; i++) {
			char abs[512];

			snprintf(abs, sizeof(abs), "%s/%s", entry_dirs[d], names[i]);
			err = plan_entry(c, params, p, abs, &found);
		}
		names_free(names, n);
	}
	if (!err)
		err = plan_kernel_cmdline(c, params, p, &found);
	if (!err && !found) {
		snprintf(p->error, sizeof(p->error), "no systemd-boot entry with a 'linux' line "
			 "under %s{/boot,/efi,/boot/efi}/loader/entries nor /etc/kernel/cmdline: "
			 "is this the right --root and --bootloader?", shown_root());
		err = -ENOENT;
	}
	return err;
}

/* ---- grubby (Fedora's BLS entries) and kernelstub (Pop!_OS) ---- */

static int grubby_tokens(struct gh_plan *p, struct toks *all)
{
	struct toks lin = { 0 }, def = { 0 };
	unsigned int i, n;
	bool opaque = false;
	char *text;
	size_t d;
	int err = plan_load(p, GRUB_DEFAULT, &text);

	if (!err && text)
		grub_sim(text, &lin, &def, &opaque);
	free(text);
	toks_concat(all, &lin, &def);
	toks_free(&lin);
	toks_free(&def);
	for (d = 0; !err && d < ARRAY_SIZE(entry_dirs); d++) {
		char **names;

		n = list_dir(entry_dirs[d], ".conf", false, &names);
		for (i = 0; !err && i < n; i++) {
			char abs[512];
			const char *last;

			snprintf(abs, sizeof(abs), "%s/%s", entry_dirs[d], names[i]);
			err = plan_load(p, abs, &text);
			if (!err && text)
				entry_tokens(text, all, &last);
			free(text);
		}
		names_free(names, n);
	}
	if (!err)
		err = plan_load(p, KERNEL_CMDLINE, &text);
	if (!err && text)
		toks_split(all, text);
	free(text);
	return err;
}

static void todo_args(struct gh_plan *p, const char *fmt, const char *const *add)
{
	struct buf b = { 0 };

	join_params(&b, add);
	say(&p->todo, fmt, done(&b));
	free(b.s);
}

static int plan_grubby(const struct gh_hostcfg *c, const char *const *params, struct gh_plan *p)
{
	struct toks all = { 0 };
	const char *add[8];
	int err = grubby_tokens(p, &all);

	if (!err && missing_params(params, &all, "/boot/loader/entries", c->ids, p, add, 8))
		todo_args(p, "grubby --update-kernel=ALL --args=\"%s\"\n", add);
	if (!err)
		say(&p->notes, "gpuhelper host-config: GRUB reads BLS entries here "
		    "(GRUB_ENABLE_BLSCFG=true); grubby owns them, so gpuhelper prints the "
		    "grubby command instead of editing them\n");
	toks_free(&all);
	return err;
}

/* The JSON string at @s (after its opening quote) into @t. */
static const char *json_string(const char *s, struct buf *t)
{
	for (; *s && *s != '"'; s++) {
		if (*s == '\\' && s[1])
			s++;
		put(t, s, 1);
	}
	return *s ? s + 1 : s;
}

/* "user": { ... "kernel_options": [ "a", "b" ] } of kernelstub's file. */
static bool kernelstub_options(const char *json, struct toks *t)
{
	const char *u = strstr(json, "\"user\""), *k, *s;

	k = u ? strstr(u, "\"kernel_options\"") : NULL;
	if (!k)
		return false;
	s = k + strlen("\"kernel_options\"");
	s += strspn(s, " \t\r\n:");
	if (*s == '"') {	/* an old or OEM-broken file: one string */
		struct buf b = { 0 };

		json_string(s + 1, &b);
		toks_split(t, done(&b));
		free(b.s);
		return true;
	}
	if (*s != '[')
		return false;
	for (s++; *s && *s != ']';) {
		s += strspn(s, " \t\r\n,");
		if (*s == '"') {
			struct buf b = { 0 };

			s = json_string(s + 1, &b);
			toks_split(t, done(&b));
			free(b.s);
		} else if (*s && *s != ']') {
			s++;
		}
	}
	return *s == ']';
}

static int plan_kernelstub(const struct gh_hostcfg *c, const char *const *params,
			   struct gh_plan *p)
{
	struct toks t = { 0 };
	const char *add[8];
	char *json;
	int err = plan_load(p, KERNELSTUB_CONF, &json);

	if (err)
		return err;
	if (!json || !kernelstub_options(json, &t))
		say(&p->notes, "gpuhelper host-config: %s%s: no user kernel_options read; "
		    "kernelstub -a adds only what is missing anyway\n", shown_root(),
		    KERNELSTUB_CONF);
	if (missing_params(params, &t, KERNELSTUB_CONF, c->ids, p, add, 8))
		todo_args(p, "kernelstub -a \"%s\"\n", add);
	say(&p->notes, "gpuhelper host-config: kernelstub writes the boot entries from %s; "
	    "gpuhelper prints the kernelstub command instead of editing its JSON\n",
	    KERNELSTUB_CONF);
	free(json);
	toks_free(&t);
	return 0;
}

static int plan_bootloader(const struct gh_hostcfg *c, struct gh_plan *p)
{
	const char *params[8];

	gh_kernel_params(c, params, 8);
	switch (c->bootloader) {
	case GH_GRUB:
		return plan_grub(c, params, p);
	case GH_SYSTEMD_BOOT:
		return plan_sdboot(c, params, p);
	case GH_GRUBBY:
		return plan_grubby(c, params, p);
	case GH_KERNELSTUB:
		return plan_kernelstub(c, params, p);
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
	err = plan_modprobe(c, p);
	if (!err)
		err = plan_modules_load(c, p);
	if (!err)
		err = plan_initramfs(c, p);
	if (!err)
		err = plan_bootloader(c, p);
	if (!err && p->error[0])
		err = -E2BIG;
	if (err || p->refused)
		edits_free(p);
	return err;
}

/* ---- revert ---- */

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
	return plan_load(r->p, bak, text);
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
	int err = plan_load(r->p, abs, &cur);

	if (err) {
		free(bak);
		return err;
	}
	plan_add(r->p, abs, cur, bak);
	drop_backup_later(r, abs);
	return 0;
}

/* The user's lines of one of our files, minus those @other has. */
static char *yours_minus(const char *cur, const char *other)
{
	struct buf yours = { 0 }, keep = { 0 };
	const char *l;

	yours_lines(cur, &yours);
	for (l = yours.s; l && *l; l += strcspn(l, "\n"), l += *l == '\n') {
		size_t n = strcspn(l, "\n");

		if (!other || !has_line(other, l, n)) {
			put(&keep, l, n);
			puts_(&keep, "\n");
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
		err = plan_load(r->p, abs, &cur);
	if (!err && moved_from)
		err = load_backup(r, moved_from, &other);
	if (err)
		goto out;
	if (bak && !is_ours(bak)) {
		err = revert_restore(r, abs, bak);
		bak = NULL;
		goto out;
	}
	if (bak)
		drop_backup_later(r, abs);
	if (is_ours(cur)) {
		plan_add(r->p, abs, cur, yours_minus(cur, other));
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

	for (d = 0; !err && d < ARRAY_SIZE(entry_dirs); d++) {
		char **names;

		n = list_dir(entry_dirs[d], ".conf" GH_BACKUP_SUFFIX, false, &names);
		for (i = 0; !err && i < n; i++) {
			char abs[512];

			snprintf(abs, sizeof(abs), "%s/%.*s", entry_dirs[d],
				 (int)(strlen(names[i]) - sl), names[i]);
			err = revert_edited(r, abs);
		}
		names_free(names, n);
	}
	return err;
}

static int revert_backups(struct revert *r)
{
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < r->nb; i++) {
		char *text;

		err = plan_load(r->p, r->baks[i], &text);
		if (!err && text)
			plan_add(r->p, r->baks[i], text, NULL);
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
		MODULES_LOAD, DRACUT_CONF, MKINITCPIO_DROP, GRUB_DROP,
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
		edits_free(p);
	free(r);
	return err;
}

void gh_plan_free(struct gh_plan *p)
{
	edits_free(p);
	free(p->notes);
	free(p->todo);
	free(p->refused);
	p->notes = p->todo = p->refused = NULL;
}
