// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_params.c - the kernel parameters gpuhelper wants, and the
 * user's own: a parameter the user set is kept whatever its value, the
 * difference reported; vfio-pci.ids= is named. Shared by every bootloader
 * planner, edited or printed.
 */
#define _GNU_SOURCE		/* strcasestr() */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/hostconfig_priv.h"

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
		hc_say(&p->notes, "gpuhelper host-config: %s%s: you set %s; gpuhelper adds no "
		       "vfio-pci.ids and keeps yours: vfio-pci claims those devices at boot, "
		       "before gpuhelper can hold them%s\n", hc_shown_root(), where, user->v[i],
		       ours ? " - it names the dGPU gpuhelper is to hold, so gpuhelper will "
		       "not get it: remove it from the dGPU's IDs yourself" : "");
	}
}

/**
 * hc_missing_params() - the parameters to add to a command line
 * @params: what gpuhelper wants
 * @user: the words the user has there
 * @where: the file, for the messages
 * @ids: gpuhelper's ids=, to recognise the dGPU in vfio-pci.ids
 * @p: receives a note for each parameter the user set otherwise
 * @add: receives the parameters the user has not set, NULL-terminated
 * @max: room in @add
 */
unsigned int hc_missing_params(const char *const *params, const struct toks *user,
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
		hc_say(&p->notes, "gpuhelper host-config: %s%s: you set %s; gpuhelper would add "
		       "%s; yours is kept, since %s%s\n", hc_shown_root(), where, have, *params,
		       why_it_matters(*params),
		       value_off(have) ? " - with it off there is no passthrough: change it "
		       "yourself if you want one" : "");
	}
	add[n] = NULL;
	note_vfio_ids(user, ids, where, p);
	return n;
}

void hc_join_params(struct buf *b, const char *const *add)
{
	for (; *add; add++) {
		if (b->len && b->s[b->len - 1] != ' ' && b->s[b->len - 1] != '"')
			hc_puts(b, " ");
		hc_puts(b, *add);
	}
}

void hc_todo_args(struct gh_plan *p, const char *fmt, const char *const *add)
{
	struct buf b = { 0 };

	hc_join_params(&b, add);
	hc_say(&p->todo, fmt, hc_done(&b));
	free(b.s);
}
