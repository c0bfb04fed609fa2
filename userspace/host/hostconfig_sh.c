// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_sh.c - read the assignments of a shell configuration file
 * (/etc/default/grub, mkinitcpio.conf and their drop-ins) without running
 * anything: each one's literal words, whether it appends, whether part of
 * it is only known by running it, and why it is not the plain line the
 * planners rewrite. Then what a file, or a directory of drop-ins read in
 * order, leaves in a variable.
 */
#define _GNU_SOURCE		/* strverscmp() */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/hostconfig_priv.h"

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
				hc_put(lit, t + l->i, 1);
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
						hc_put(lit, t + l->i + 1, 1);
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
					hc_put(lit, t + l->i++, 1);
				}
			}
			if (t[l->i])
				l->i++;
		} else if (c == '\\') {
			w->backslash = true;
			if (t[l->i + 1] == '\n')
				lex_newline(l, w);
			else if (t[l->i + 1])
				hc_put(lit, t + l->i + 1, 1);
			l->i += t[l->i + 1] ? 2 : 1;
		} else if (c == '$') {
			lex_dollar(l, var, w);
		} else if (c == '`') {
			l->i++;
			skip_subst(l, '`');
			w->expansion = w->opaque = true;
		} else {
			hc_put(lit, t + l->i++, 1);
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
				hc_puts(words, " ");
			hc_put(words, lit.s, lit.len);
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
			hc_put(&words, lit.s, lit.len);
		free(lit.s);
	}
	a->appends = plus || w.selfref;
	a->opaque = w.opaque;
	a->words = hc_done(&words);
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

	hc_toks_split(&t, s);
	for (i = 0; i < t.n; i++) {
		if (i)
			hc_puts(&b, " ");
		hc_puts(&b, t.v[i]);
	}
	memcpy(s, hc_done(&b), b.len + 1);	/* never longer than @s */
	free(b.s);
	hc_toks_free(&t);
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

/* ---- what a file, or a directory of drop-ins, leaves in a variable ---- */

/* The user's words for @var: a simulation of the file's assignments in order. */
void hc_sim_var(const char *text, const char *var, struct toks *t, bool *opaque)
{
	struct gh_sh_assign a[ASSIGNS_MAX];
	int n = gh_sh_assigns(text, var, a, ASSIGNS_MAX), i;

	for (i = 0; i < n; i++) {
		if (!a[i].appends)
			hc_toks_clear(t);
		hc_toks_split(t, a[i].words);
		if (a[i].opaque)
			*opaque = true;
	}
	gh_sh_assigns_free(a, (unsigned int)n);
}

/* A later drop-in that sets @var outright undoes ours: name it. */
const char *hc_overriding_dropin(const char *dir, char **names, unsigned int n,
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
		if (hc_load(abs, &text) || !text)
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
