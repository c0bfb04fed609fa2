// SPDX-License-Identifier: GPL-2.0
/*
 * pm.c - what gpuhelper checks when a held function powers up again.
 *
 * An NVIDIA GPU's HDMI/DP audio function shows on the bus only while bit
 * 25 of the GPU's config dword 0x488 is set. Firmware may leave it clear,
 * and a GPU that was powered off (D3cold: the _PR3 power resource off)
 * comes back with the bit at its power-on value. The PCI core's
 * quirk_nvidia_hda() (drivers/pci/quirks.c, the same on 6.1 and 6.12)
 * sets it as a HEADER fixup at enumeration and as a RESUME_EARLY fixup,
 * which pci_pm_runtime_resume() runs only for a function bound to a
 * driver (and system resume for every function). A function powered up
 * while unbound, with the bridge above it, gets no fixup.
 *
 * gpuhelper therefore checks the bit itself whenever it takes a function
 * (probe: it may have been powered up unbound, between two drivers) and
 * at each runtime resume of a held one, and sets it the quirk's way when
 * it is clear, so the audio function is there to hand to vfio-pci with
 * the GPU. Test builds can point the check at a modelled register
 * (faultinject.h), as QEMU has no NVIDIA GPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/pci.h>
#include <linux/pci_ids.h>

#include "compat.h"
#include "faultinject.h"
#include "gpuhelper.h"

#define GH_NV_HDA_REG		0x488
#define GH_NV_HDA_ENABLE	BIT(25)

/* What quirk_nvidia_hda() applies to: NVIDIA display functions from MCP89 on. */
static bool gh_is_nvidia_gpu(struct pci_dev *pdev)
{
	return pdev->vendor == PCI_VENDOR_ID_NVIDIA &&
	       (pdev->class >> 16) == PCI_BASE_CLASS_DISPLAY &&
	       pdev->device >= PCI_DEVICE_ID_NVIDIA_GEFORCE_320M;
}

static void gh_nv_hda_read(struct pci_dev *pdev, u32 *model, u32 *val)
{
	if (model)
		*val = READ_ONCE(*model);
	else
		pci_read_config_dword(pdev, GH_NV_HDA_REG, val);
}

static void gh_nv_hda_write(struct pci_dev *pdev, u32 *model, u32 val)
{
	if (model)
		WRITE_ONCE(*model, val);
	else
		pci_write_config_dword(pdev, GH_NV_HDA_REG, val);
}

/**
 * gh_nvidia_hda_enable() - make an NVIDIA GPU's HDA function show again
 * @pdev: a function gpuhelper holds, powered up
 *
 * Does what quirk_nvidia_hda() does, when the enable bit is clear: sets
 * it and reads the multi-function bit of the header type again.
 *
 * Return: true when the bit was clear and has been set.
 */
bool gh_nvidia_hda_enable(struct pci_dev *pdev)
{
	u32 *model = gh_test_nv_hda_model(pdev);
	u8 hdr_type;
	u32 val;

	if (!model && !gh_is_nvidia_gpu(pdev))
		return false;

	gh_nv_hda_read(pdev, model, &val);
	/* all ones: the GPU does not answer (still off, or gone) */
	if (PCI_POSSIBLE_ERROR(val) || (val & GH_NV_HDA_ENABLE))
		return false;

	pci_info(pdev, "HDA function disabled after power-up (0x%x bit 25 clear): enabling it\n",
		 GH_NV_HDA_REG);
	gh_nv_hda_write(pdev, model, val | GH_NV_HDA_ENABLE);

	/* the GPU becomes a multi-function device when the HDA is enabled */
	pci_read_config_byte(pdev, PCI_HEADER_TYPE, &hdr_type);
	pdev->multifunction = !!(hdr_type & PCI_HEADER_TYPE_MFD);
	return true;
}

/**
 * gh_pm_powered_up() - checks for a held function that is powered up
 * @pdev: the function, in D0, bound to gpuhelper
 *
 * Context: probe or the runtime resume callback; may sleep.
 */
void gh_pm_powered_up(struct pci_dev *pdev)
{
	gh_nvidia_hda_enable(pdev);
}
