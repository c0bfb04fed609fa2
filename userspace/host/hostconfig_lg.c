// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_lg.c - Looking Glass's shared memory on the host, only when
 * asked (--looking-glass, --looking-glass-kvmfr): who may read it. The
 * /dev/shm file QEMU creates gets a tmpfiles.d rule for its owner and
 * mode; the kvmfr module its size option, its loading at boot and a udev
 * rule for /dev/kvmfr0 (Looking Glass's documentation, "Kernel module").
 * Whole files of host-config's, kept by its rules: the user's lines
 * below YOURS_LINE stay, --revert removes them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/hostconfig_priv.h"
#include "lib/root.h"

/* A user name useradd accepts by default: [a-z_][a-z0-9_-]*, at most 32. */
bool gh_hostcfg_user_valid(const char *u)
{
	size_t i, n = strlen(u);

	if (!n || n > 32 || !(islower((unsigned char)u[0]) || u[0] == '_'))
		return false;
	for (i = 1; i < n; i++)
		if (!islower((unsigned char)u[i]) && !isdigit((unsigned char)u[i]) &&
		    u[i] != '_' && u[i] != '-')
			return false;
	return true;
}

/* Looking Glass's own names for these files: a user's there is read too. */
static void note_own_file(struct gh_plan *p, const char *abs, const char *ours)
{
	if (gh_exists(abs))
		hc_say(&p->notes, "gpuhelper host-config: %s%s exists as well as %s: both are "
		       "read; remove the one you do not want\n", hc_shown_root(), abs, ours);
}

int hc_plan_looking_glass(const struct gh_hostcfg *c, struct gh_plan *p)
{
	char ours[512];
	int err;

	if (!c->lg_mib)
		return 0;
	if (!c->lg_kvmfr) {
		snprintf(ours, sizeof(ours), GH_HC_HEADER ": Looking Glass's shared memory,\n"
			 "# readable by its client's user. See gpuhelper-host-config(8).\n"
			 "f /dev/shm/looking-glass 0660 %s kvm -\n", c->lg_user);
		return hc_plan_owned(p, LG_TMPFILES, ours);
	}
	snprintf(ours, sizeof(ours), GH_HC_HEADER ": Looking Glass's kvmfr device,\n"
		 "# %u MiB. See gpuhelper-host-config(8).\n"
		 "options kvmfr static_size_mb=%u\n", c->lg_mib, c->lg_mib);
	err = hc_plan_owned(p, LG_KVMFR_MODPROBE, ours);
	if (!err)
		err = hc_plan_owned(p, LG_KVMFR_LOAD, GH_HC_HEADER ": Looking Glass's "
				    "kvmfr device at boot.\nkvmfr\n");
	snprintf(ours, sizeof(ours), GH_HC_HEADER ": /dev/kvmfr0 for Looking Glass's\n"
		 "# client's user. See gpuhelper-host-config(8).\n"
		 "SUBSYSTEM==\"kvmfr\", OWNER=\"%s\", GROUP=\"kvm\", MODE=\"0660\"\n",
		 c->lg_user);
	if (!err)
		err = hc_plan_owned(p, LG_KVMFR_UDEV, ours);
	note_own_file(p, "/etc/modprobe.d/kvmfr.conf", LG_KVMFR_MODPROBE);
	note_own_file(p, "/etc/udev/rules.d/99-kvmfr.rules", LG_KVMFR_UDEV);
	hc_say(&p->todo, "add \"%s\" to cgroup_device_acl in /etc/libvirt/qemu.conf, then "
	       "systemctl restart libvirtd (Documentation/display.rst)\n", "/dev/kvmfr0");
	return err;
}
