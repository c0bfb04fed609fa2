// SPDX-License-Identifier: GPL-2.0
/*
 * gh_fake_vfio_pci.c - a stand-in for vfio-pci whose probe fails on
 * function 1 of a slot and succeeds (doing nothing) on function 0. With
 * it loaded instead of vfio-pci, a hand-off of the dGPU and its audio
 * function to "vfio" moves the dGPU, then fails on the audio function,
 * and must roll the dGPU back (tests/guest/rollback_test.c). Test only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>

static int fake_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	if (PCI_FUNC(pdev->devfn) == 1) {
		pci_info(pdev, "fake vfio-pci: failing the probe on purpose\n");
		return -EIO;
	}
	return 0;
}

static void fake_remove(struct pci_dev *pdev)
{
}

static struct pci_driver fake_driver = {
	.name		= "vfio-pci",
	.id_table	= NULL,	/* binds only through driver_override */
	.probe		= fake_probe,
	.remove		= fake_remove,
	.driver_managed_dma = true,
};
module_pci_driver(fake_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gpuhelper test: a vfio-pci whose probe fails on function 1");
