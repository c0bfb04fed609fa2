// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_text.c - the text helpers of the host-config planners: a
 * string that grows (struct buf), a line appended to one of the plan's
 * messages, and a list of words (struct toks).
 */
#define _GNU_SOURCE		/* vasprintf() */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/hostconfig_priv.h"

void hc_put(struct buf *b, const char *s, size_t n)
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

void hc_puts(struct buf *b, const char *s)
{
	hc_put(b, s, strlen(s));
}

void __attribute__((format(printf, 2, 3))) hc_putf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	hc_put(b, s, (size_t)n);
	free(s);
}

char *hc_done(struct buf *b)
{
	if (!b->s)
		hc_put(b, "", 0);
	return b->s;
}

/* Append a formatted line to one of the plan's texts (notes, todo, refused). */
void __attribute__((format(printf, 2, 3))) hc_say(char **text, const char *fmt, ...)
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
	hc_put(&b, s, (size_t)n);
	free(s);
	*text = b.s;
}

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

void hc_toks_split(struct toks *t, const char *s)
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

void hc_toks_clear(struct toks *t)
{
	while (t->n)
		free(t->v[--t->n]);
}

void hc_toks_free(struct toks *t)
{
	hc_toks_clear(t);
	free(t->v);
	t->v = NULL;
	t->cap = 0;
}

bool hc_toks_has(const struct toks *t, const char *s)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], s))
			return true;
	return false;
}

void hc_toks_concat(struct toks *out, const struct toks *a, const struct toks *b)
{
	unsigned int i;

	for (i = 0; i < a->n; i++)
		toks_add(out, a->v[i], strlen(a->v[i]));
	for (i = 0; i < b->n; i++)
		toks_add(out, b->v[i], strlen(b->v[i]));
}
