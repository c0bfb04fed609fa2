// SPDX-License-Identifier: GPL-2.0
/*
 * gh_rival.c - a host driver for the rig's "dGPU" (QEMU's edu device,
 * 1234:11e8) whose remove can block, as nvidia's does while a process
 * holds the GPU: while the parameter block_remove is Y, remove waits.
 * tests/guest/handoff_test.c binds it through a hand-off to host, blocks
 * it, and checks what must not wait for it. Test only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/pci.h>

static bool block_remove;
module_param(block_remove, bool, 0644);
MODULE_PARM_DESC(block_remove, "Y: remove waits until this is N again (test only)");

static int rival_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	pci_info(pdev, "rival host driver bound\n");
	return 0;
}

static void rival_remove(struct pci_dev *pdev)
{
	unsigned int ms = 0;

	while (READ_ONCE(block_remove) && ms < 30000) {
		msleep(20);
		ms += 20;
	}
	pci_info(pdev, "rival host driver released after %u ms\n", ms);
}

static const struct pci_device_id rival_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};

/*
 * The guest suites load gh_rival by name only. The boot rig (tests/boot)
 * builds this file twice more with GH_RIVAL_COLDPLUG, as nvidia-current.ko
 * (driver "nvidia", as Debian ships NVIDIA's) and gh_nouveau.ko: with a
 * device table, so udev coldplug loads them by modalias as it would the
 * real drivers.
 */
#ifdef GH_RIVAL_COLDPLUG
MODULE_DEVICE_TABLE(pci, rival_ids);
#endif
#ifndef GH_RIVAL_DRV
#define GH_RIVAL_DRV "gh_rival"
#endif

static struct pci_driver rival_driver = {
	.name		= GH_RIVAL_DRV,
	.id_table	= rival_ids,
	.probe		= rival_probe,
	.remove		= rival_remove,
};
module_pci_driver(rival_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gpuhelper test: a host driver whose remove can block");
