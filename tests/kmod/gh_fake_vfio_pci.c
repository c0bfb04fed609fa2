// SPDX-License-Identifier: GPL-2.0
/*
 * gh_fake_vfio_pci.c - a stand-in for vfio-pci whose probe fails on
 * function 1 of a slot and succeeds (doing nothing) on function 0. With
 * it loaded instead of vfio-pci, a hand-off of the dGPU and its audio
 * function to "vfio" moves the dGPU, then fails on the audio function,
 * and must roll the dGPU back (tests/guest/rollback_test.c). Test only.
 *
 * gpuhelper knows vfio-pci by the module that registered it (the PCI
 * core records KBUILD_MODNAME as the driver's mod_name), not by its name:
 * by default the fake registers as module vfio_pci, which it stands in
 * for; with same_name_only=Y it keeps its own module name, and gpuhelper
 * must take it for a host driver that merely calls itself vfio-pci.
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

static bool same_name_only;
module_param(same_name_only, bool, 0444);
MODULE_PARM_DESC(same_name_only, "register as module gh_fake_vfio_pci, not vfio_pci");

static int __init fake_init(void)
{
	return __pci_register_driver(&fake_driver, THIS_MODULE,
				     same_name_only ? KBUILD_MODNAME : "vfio_pci");
}
module_init(fake_init);

static void __exit fake_exit(void)
{
	pci_unregister_driver(&fake_driver);
}
module_exit(fake_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gpuhelper test: a vfio-pci whose probe fails on function 1");
