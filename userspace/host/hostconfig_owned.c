// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_owned.c - the files host-config writes whole (modprobe.d,
 * modules-load.d, the dracut drop-in): its own lines, then the lines the
 * user added under YOURS_LINE, which every run and --revert keep.
 */
#include <stdlib.h>
#include <string.h>

#include "host/hostconfig_priv.h"

/* The lines of @text after YOURS_LINE (NULL text: none). */
void hc_yours_lines(const char *text, struct buf *out)
{
	const char *y = text ? strstr(text, YOURS_LINE "\n") : NULL;

	if (y)
		hc_puts(out, y + strlen(YOURS_LINE) + 1);
}

/* Our lines, then the user's under YOURS_LINE when there are any. */
char *hc_compose(const char *ours, const char *yours)
{
	struct buf b = { 0 };

	hc_puts(&b, ours);
	if (yours && *yours) {
		hc_puts(&b, YOURS_LINE "\n");
		hc_puts(&b, yours);
		if (b.s[b.len - 1] != '\n')
			hc_puts(&b, "\n");
	}
	return hc_done(&b);
}

static bool starts_with(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

bool hc_is_ours(const char *text)
{
	return starts_with(text, GH_HC_HEADER);
}

bool hc_has_line(const char *text, const char *l, size_t n)
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

/* A whole file of ours: our text, then whatever the user added under it. */
int hc_plan_owned(struct gh_plan *p, const char *abs, const char *ours)
{
	struct buf yours = { 0 };
	char *cur;
	int err = hc_plan_load(p, abs, &cur);

	if (err)
		return err;
	hc_yours_lines(hc_is_ours(cur) ? cur : NULL, &yours);
	if (cur && !hc_is_ours(cur))
		hc_puts(&yours, cur);
	hc_plan_add(p, abs, cur, hc_compose(ours, yours.s));
	free(yours.s);
	return 0;
}
