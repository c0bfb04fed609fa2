// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_kernelstub.c - the kernel parameters on Pop!_OS: kernelstub
 * writes the boot entries from its JSON configuration, so gpuhelper reads
 * the user's kernel_options there and prints the kernelstub command.
 */
#include <stdlib.h>
#include <string.h>

#include "host/hostconfig_priv.h"

/* The JSON string at @s (after its opening quote) into @t. */
static const char *json_string(const char *s, struct buf *t)
{
	for (; *s && *s != '"'; s++) {
		if (*s == '\\' && s[1])
			s++;
		hc_put(t, s, 1);
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
		hc_toks_split(t, hc_done(&b));
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
			hc_toks_split(t, hc_done(&b));
			free(b.s);
		} else if (*s && *s != ']') {
			s++;
		}
	}
	return *s == ']';
}

int hc_plan_kernelstub(const struct gh_hostcfg *c, const char *const *params,
		       struct gh_plan *p)
{
	struct toks t = { 0 };
	const char *add[8];
	char *json;
	int err = hc_plan_load(p, KERNELSTUB_CONF, &json);

	if (err)
		return err;
	if (!json || !kernelstub_options(json, &t))
		hc_say(&p->notes, "gpuhelper host-config: %s%s: no user kernel_options read; "
		       "kernelstub -a adds only what is missing anyway\n", hc_shown_root(),
		       KERNELSTUB_CONF);
	if (hc_missing_params(params, &t, KERNELSTUB_CONF, c->ids, p, add, 8))
		hc_todo_args(p, "kernelstub -a \"%s\"\n", add);
	hc_say(&p->notes, "gpuhelper host-config: kernelstub writes the boot entries from %s; "
	       "gpuhelper prints the kernelstub command instead of editing its JSON\n",
	       KERNELSTUB_CONF);
	free(json);
	hc_toks_free(&t);
	return 0;
}
