// SPDX-License-Identifier: GPL-2.0
/*
 * param.c - module parameters: which PCI functions gpuhelper claims.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/pci.h>

#include "gpuhelper.h"

static struct gh_id ids[GH_IDS_MAX];
static unsigned int nr_ids;

static int ids_set(const char *val, const struct kernel_param *kp)
{
	struct gh_list_error err;
	int ret;

	ret = gh_ids_parse(val, ids, GH_IDS_MAX, &nr_ids, &err);
	if (ret == -E2BIG)
		pr_err("ids: more than %d entries (entry %u '%s'); no ID applied\n",
		       GH_IDS_MAX, err.index + 1, err.entry);
	else if (ret)
		pr_err("ids: entry %u '%s' rejected: %s; no ID applied\n",
		       err.index + 1, err.entry, err.reason);
	return ret;
}

static int ids_get(char *buf, const struct kernel_param *kp)
{
	int len = 0;
	unsigned int i;

	for (i = 0; i < nr_ids; i++) {
		if (i)
			len += sysfs_emit_at(buf, len, ",");
		len += gh_id_format(&ids[i], buf + len, PAGE_SIZE - len);
	}
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static const struct kernel_param_ops ids_ops = {
	.set = ids_set,
	.get = ids_get,
};

module_param_cb(ids, &ids_ops, NULL, 0444);
MODULE_PARM_DESC(ids,
		 "PCI functions to claim at load and whenever they appear: comma list of vendor:device[:subvendor:subdevice[:class:class_mask]] in hex (e.g. ids=10de:1c8d:17aa:39d1). A malformed entry fails the load; nothing is half-applied.");

static bool claim_boot_vga;
module_param(claim_boot_vga, bool, 0444);
MODULE_PARM_DESC(claim_boot_vga,
		 "Also claim the boot VGA device when ids= matches it. The host loses its console: only for headless hosts. (default: N)");

static bool with_audio = true;
module_param(with_audio, bool, 0444);
MODULE_PARM_DESC(with_audio,
		 "Also hold the HDMI/DP audio function (class 0403) at a claimed dGPU's slot from boot, and hand it off with the dGPU. Set to N to leave it to snd_hda_intel: a hand-off to vfio-pci is then refused while it shares the dGPU's IOMMU group. (default: Y)");

static bool disable_idle_d3;
module_param(disable_idle_d3, bool, 0444);
MODULE_PARM_DESC(disable_idle_d3,
		 "Keep the held dGPU and its audio function awake (D0) instead of letting them runtime-suspend (to D3cold where the platform supports it) while nothing uses them: for laptops whose _PR3 power-on is broken. Costs power and fan noise. (default: N)");

/**
 * gh_ids_match_pdev() - does a PCI function match ids=
 * @pdev: the function
 *
 * Return: true when one entry matches.
 */
bool gh_ids_match_pdev(struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < nr_ids; i++)
		if (gh_id_match(&ids[i], pdev->vendor, pdev->device,
				pdev->subsystem_vendor,
				pdev->subsystem_device, pdev->class))
			return true;
	return false;
}

/**
 * gh_claim_boot_vga() - value of the claim_boot_vga parameter
 *
 * Return: true when the boot VGA device may be claimed.
 */
bool gh_claim_boot_vga(void)
{
	return claim_boot_vga;
}

/**
 * gh_with_audio() - value of the with_audio parameter
 *
 * Return: true when a dGPU's audio function is held and handed off with it.
 */
bool gh_with_audio(void)
{
	return with_audio;
}

/**
 * gh_nr_ids() - number of ids= entries
 *
 * Return: the count.
 */
unsigned int gh_nr_ids(void)
{
	return nr_ids;
}

/**
 * gh_idle_d3() - may held functions runtime-suspend (not disable_idle_d3)
 *
 * Return: true unless disable_idle_d3 is set.
 */
bool gh_idle_d3(void)
{
	return !disable_idle_d3;
}
