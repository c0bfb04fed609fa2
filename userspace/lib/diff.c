// SPDX-License-Identifier: GPL-2.0
/*
 * diff.c - LCS line diff with 3 lines of context; config files are a
 * few hundred lines at most, so the O(n*m) table is fine.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diff.h"

#define CONTEXT 3

struct lines {
	const char **s;
	size_t *len;
	size_t n;
};

static int split(const char *text, struct lines *l)
{
	const char *p = text ? text : "";
	size_t cap = 16;

	l->n = 0;
	l->s = malloc(cap * sizeof(*l->s));
	l->len = malloc(cap * sizeof(*l->len));
	if (!l->s || !l->len)
		return -1;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (l->n == cap) {
			cap *= 2;
			l->s = realloc(l->s, cap * sizeof(*l->s));
			l->len = realloc(l->len, cap * sizeof(*l->len));
			if (!l->s || !l->len)
				return -1;
		}
		l->s[l->n] = p;
		l->len[l->n++] = len;
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

static bool same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->s[i], b->s[j], a->len[i]);
}

enum op { KEEP, DEL, ADD };

int gh_diff(FILE *f, const char *path, const char *old, const char *new_)
{
	struct lines a, b;
	unsigned int *t;
	enum op *ops;
	size_t *ai, *bi, n = 0, i, j, k, w;
	int changed = 0;

	if (old && new_ && !strcmp(old, new_))
		return 0;
	if (split(old, &a) || split(new_, &b))
		return -1;
	w = b.n + 1;
	t = calloc((a.n + 1) * w, sizeof(*t));
	ops = malloc((a.n + b.n + 1) * sizeof(*ops));
	ai = malloc((a.n + b.n + 1) * sizeof(*ai));
	bi = malloc((a.n + b.n + 1) * sizeof(*bi));
	if (!t || !ops || !ai || !bi)
		return -1;
	for (i = a.n; i-- > 0;)
		for (j = b.n; j-- > 0;)
			t[i * w + j] = same(&a, i, &b, j) ? t[(i + 1) * w + j + 1] + 1 :
				       t[(i + 1) * w + j] > t[i * w + j + 1] ?
				       t[(i + 1) * w + j] : t[i * w + j + 1];
	for (i = 0, j = 0; i < a.n || j < b.n; n++) {
		ai[n] = i;
		bi[n] = j;
		if (i < a.n && j < b.n && same(&a, i, &b, j)) {
			ops[n] = KEEP;
			i++;
			j++;
		} else if (j < b.n && (i == a.n || t[i * w + j + 1] >= t[(i + 1) * w + j])) {
			ops[n] = ADD;
			j++;
		} else {
			ops[n] = DEL;
			i++;
		}
	}
	/* git-style a/ b/ prefixes: patch -p1 -d ROOT applies it */
	fprintf(f, "--- %s%s\n+++ %s%s\n", old ? "a" : "/dev/null", old ? path : "",
		new_ ? "b" : "/dev/null", new_ ? path : "");
	for (k = 0; k < n;) {
		size_t start, end, dels = 0, adds = 0, x, last;

		if (ops[k] == KEEP) {
			k++;
			continue;
		}
		changed = 1;
		start = k > CONTEXT ? k - CONTEXT : 0;
		/* extend the hunk while changes are within 2*CONTEXT lines */
		for (end = k, last = k; end < n; end++) {
			if (ops[end] != KEEP)
				last = end;
			else if (end - last > 2 * CONTEXT)
				break;
		}
		end = last + CONTEXT + 1 < n ? last + CONTEXT + 1 : n;
		for (x = start; x < end; x++) {
			if (ops[x] != ADD)
				dels++;
			if (ops[x] != DEL)
				adds++;
		}
		fprintf(f, "@@ -%zu,%zu +%zu,%zu @@\n", dels ? ai[start] + 1 : ai[start], dels,
			adds ? bi[start] + 1 : bi[start], adds);
		for (x = start; x < end; x++) {
			if (ops[x] == ADD)
				fprintf(f, "+%.*s\n", (int)b.len[bi[x]], b.s[bi[x]]);
			else if (ops[x] == DEL)
				fprintf(f, "-%.*s\n", (int)a.len[ai[x]], a.s[ai[x]]);
			else
				fprintf(f, " %.*s\n", (int)a.len[ai[x]], a.s[ai[x]]);
		}
		k = end;
	}
	free(t);
	free(ops);
	free(ai);
	free(bi);
	free(a.s);
	free(a.len);
	free(b.s);
	free(b.len);
	return changed;
}
