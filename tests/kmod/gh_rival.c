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

/* no MODULE_DEVICE_TABLE: loaded by the test only, never by alias */
static const struct pci_device_id rival_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};

static struct pci_driver rival_driver = {
	.name		= "gh_rival",
	.id_table	= rival_ids,
	.probe		= rival_probe,
	.remove		= rival_remove,
};
module_pci_driver(rival_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gpuhelper test: a host driver whose remove can block");
