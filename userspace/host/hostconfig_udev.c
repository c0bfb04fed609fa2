// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_udev.c - the claim rule: /etc/udev/rules.d/60-gpuhelper-claim.rules.
 *
 * gpuhelper's own claim (a bus notifier sets driver_override) works only
 * once the module is loaded, and module softdeps go by module name: a
 * driver loaded under another name (Debian's nvidia-current, alias
 * nvidia) or loaded before gpuhelper by udev coldplug takes the dGPU
 * first. This rule does what driverctl does, by device rather than by
 * name: on the "add" event of a function ids= lists, numbered before
 * 80-drivers.rules loads drivers by modalias, it sets driver_override to
 * gpuhelper, which no other driver then matches, and loads gpuhelper.
 * It runs in the initramfs (the generators' hooks put it there) and again
 * in the real root. The boot VGA device is never pinned: gpuhelper does
 * not claim it either (claim_boot_vga).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "host/hostconfig_priv.h"

/*
 * ATTR{class} =="0x030200" with a mask: only whole hex digits can be
 * matched by a glob ('?' for a masked-out digit). Return: false when the
 * mask cuts a digit in two.
 */
static bool class_glob(u32 class, u32 mask, char *out, size_t len)
{
	int i;

	if (len < 9)
		return false;
	strcpy(out, "0x");
	for (i = 5; i >= 0; i--) {
		u32 m = (mask >> (i * 4)) & 0xf, d = (class >> (i * 4)) & 0xf;

		if (m != 0 && m != 0xf)
			return false;
		out[2 + 5 - i] = m ? "0123456789abcdef"[d] : '?';
	}
	out[8] = '\0';
	return true;
}

static void attr_match(struct buf *b, const char *attr, u32 v)
{
	if (v != GH_ID_ANY)
		hc_putf(b, "ATTR{%s}==\"0x%04x\", ", attr, v);
}

/**
 * hc_claim_rule() - the claim rule's text for an ids= value
 * @ids: the ids= value host-config writes
 * @notes: receives a line for each entry the rule cannot express
 *
 * Return: the rule file (malloc'd), NULL when @ids does not parse or is
 * empty.
 */
char *hc_claim_rule(const char *ids, char **notes)
{
	struct gh_id id[GH_IDS_MAX];
	struct gh_list_error err;
	struct buf b = { 0 };
	unsigned int nr, i;

	if (gh_ids_parse(ids, id, GH_IDS_MAX, &nr, &err) || !nr)
		return NULL;
	hc_puts(&b, GH_HC_HEADER ": pin the dGPU to gpuhelper by device,\n"
		"# not by driver name: before 80-drivers.rules loads any driver for it,\n"
		"# its driver_override names gpuhelper, which no other driver matches.\n"
		"# The initramfs generators' gpuhelper hooks copy this file into the image.\n"
		"# ids=");
	hc_puts(&b, ids);
	hc_puts(&b, "; see gpuhelper-host-config(8) and Documentation/early-claim.rst.\n"
		"ACTION!=\"add\", GOTO=\"gpuhelper_claim_end\"\n"
		"SUBSYSTEM!=\"pci\", GOTO=\"gpuhelper_claim_end\"\n"
		"ATTR{boot_vga}==\"1\", GOTO=\"gpuhelper_claim_end\"\n");
	for (i = 0; i < nr; i++) {
		char glob[16];

		if (id[i].class_mask && !class_glob(id[i].class, id[i].class_mask, glob,
						    sizeof(glob))) {
			char e[GH_ID_ENTRY_MAX + 1];

			gh_id_format(&id[i], e, sizeof(e));
			hc_say(notes, "gpuhelper host-config: ids= entry %s: its class mask "
			       "splits a hex digit, which a udev rule cannot match: that entry "
			       "is claimed by gpuhelper.ko alone, once it is loaded\n", e);
			continue;
		}
		attr_match(&b, "vendor", id[i].vendor);
		attr_match(&b, "device", id[i].device);
		attr_match(&b, "subsystem_vendor", id[i].subvendor);
		attr_match(&b, "subsystem_device", id[i].subdevice);
		if (id[i].class_mask)
			hc_putf(&b, "ATTR{class}==\"%s\", ", glob);
		hc_puts(&b, "GOTO=\"gpuhelper_claim\"\n");
	}
	hc_puts(&b, "GOTO=\"gpuhelper_claim_end\"\n"
		"LABEL=\"gpuhelper_claim\"\n"
		"ATTR{driver_override}=\"gpuhelper\", RUN{builtin}+=\"kmod load gpuhelper\"\n"
		"LABEL=\"gpuhelper_claim_end\"\n");
	return hc_done(&b);
}

int hc_plan_claim_rule(const struct gh_hostcfg *c, struct gh_plan *p)
{
	char *rule = hc_claim_rule(c->ids, &p->notes);
	int err;

	if (!rule)
		return 0;	/* cmd_hostconfig.c checked ids= already */
	err = hc_plan_owned(p, CLAIM_RULE, rule);
	free(rule);
	return err;
}
