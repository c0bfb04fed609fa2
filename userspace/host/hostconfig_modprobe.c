// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_modprobe.c - the module files: /etc/modprobe.d (gpuhelper's
 * ids= and, without the packaged file, its softdeps; the move of a file
 * of the old name an older host-config wrote) and /etc/modules-load.d.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/atomicwrite.h"
#include "host/hostconfig_priv.h"
#include "lib/root.h"

/* The softdeps of kmod/gpuhelper.conf, for a host without that file. */
static const char *const softdeps[] = {
	"nouveau", "nvidia", "nvidiafb", "snd_hda_intel", "vfio_pci",
};

static const char *const packaged_modprobe[] = {
	"/usr/lib/modprobe.d/gpuhelper.conf", "/lib/modprobe.d/gpuhelper.conf",
};

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

/* The old file's lines that are the user's, not in @have already. */
static void old_user_lines(const char *old, const char *have, struct buf *out)
{
	const char *l = old;

	while (*l) {
		size_t n = strcspn(l, "\n");

		if (n && !old_hc_line(l, n) && !hc_has_line(have, l, n)) {
			hc_put(out, l, n);
			hc_puts(out, "\n");
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
int hc_plan_modprobe(const struct gh_hostcfg *c, struct gh_plan *p)
{
	struct buf ours = { 0 }, yours = { 0 };
	struct gh_edit *x;
	char *cur, *old;
	bool packaged, migrate;
	size_t i;
	int err;

	err = hc_plan_load(p, GH_MODPROBE_LOCAL, &cur);
	if (!err)
		err = hc_plan_load(p, GH_MODPROBE_OLD, &old);
	if (err) {
		free(cur);
		return err;
	}
	/* installed with MODPROBEDIR=/etc/modprobe.d, the softdeps are there */
	packaged = packaged_modprobe_exists() ||
		   (old && !hc_is_ours(old) && strstr(old, "pre: gpuhelper"));
	hc_putf(&ours, GH_HC_HEADER ": hold the dGPU for passthrough\n"
		"# before its host drivers can bind it. See gpuhelper-host-config(8).\n"
		"options gpuhelper ids=%s\n", c->ids);
	if (!packaged)
		for (i = 0; i < ARRAY_SIZE(softdeps); i++)
			hc_putf(&ours, "softdep %s pre: gpuhelper\n", softdeps[i]);
	hc_yours_lines(hc_is_ours(cur) ? cur : NULL, &yours);
	if (cur && !hc_is_ours(cur))
		hc_puts(&yours, cur);
	migrate = old && hc_is_ours(old);
	if (migrate) {
		char *have = strdup(yours.s ? yours.s : "");

		old_user_lines(old, have, &yours);
		free(have);
	}
	hc_plan_add(p, GH_MODPROBE_LOCAL, cur, hc_compose(hc_done(&ours), yours.s));
	free(ours.s);
	free(yours.s);
	if (migrate) {
		hc_say(&p->notes, "gpuhelper host-config: %s%s was written by an "
		       "older host-config; its name masks the packaged "
		       "/usr/lib/modprobe.d/gpuhelper.conf and with it the packaged softdeps, so "
		       "its settings move to %s (your own lines kept there) and it is removed "
		       "(kept as %s" GH_BACKUP_SUFFIX "; --revert puts it back)\n",
		       hc_shown_root(), GH_MODPROBE_OLD, GH_MODPROBE_LOCAL, GH_MODPROBE_OLD);
		x = hc_plan_add(p, GH_MODPROBE_OLD, old, NULL);
		if (x)
			x->keep_old = true;
	} else {
		if (old && packaged_modprobe_exists())
			hc_say(&p->notes, "gpuhelper host-config: %s%s is not one host-config "
			       "wrote; it masks the packaged /usr/lib/modprobe.d/gpuhelper.conf "
			       "(same name), whose softdeps are then not read: merge the two and "
			       "rename yours\n", hc_shown_root(), GH_MODPROBE_OLD);
		free(old);
	}
	return 0;
}

int hc_plan_modules_load(const struct gh_hostcfg *c, struct gh_plan *p)
{
	return hc_plan_owned(p, MODULES_LOAD, c->gvt ?
			     GH_HC_HEADER ": modules passthrough needs at boot.\n"
			     "kvmgt\nvfio-iommu-type1\nmdev\n" :
			     GH_HC_HEADER ": modules passthrough needs at boot.\n"
			     "vfio-pci\nvfio-iommu-type1\n");
}
