// SPDX-License-Identifier: GPL-2.0
/*
 * arch.c - GPU roles and the laptop architecture (the seed's three
 * kinds), from a PCI snapshot only.
 */
#include <errno.h>
#include <string.h>

#include "pci/arch.h"

#define PCI_VENDOR_INTEL	0x8086
#define PCI_VENDOR_AMD_GPU	0x1002
#define PCI_VENDOR_AMD		0x1022
#define PCI_VENDOR_NVIDIA	0x10de

static bool same_slot(const struct gh_pci_dev *a, const struct gh_pci_dev *b)
{
	return a->domain == b->domain && a->bus == b->bus && a->dev == b->dev;
}

/*
 * An AMD APU's GPU shares its bus and slot with the APU's other
 * functions (PSP 1022:xxxx class 10 80, USB 0c 03, ACP audio...), a
 * discrete Radeon only with its own HDMI audio. Intel iGPUs always sit on
 * bus 0 (00:02.0); Intel Arc cards do not.
 */
static bool is_integrated(const struct gh_pci *snap, const struct gh_pci_dev *d)
{
	unsigned int i;

	if (d->vendor == PCI_VENDOR_INTEL)
		return d->bus == 0;
	if (d->vendor != PCI_VENDOR_AMD_GPU)
		return false;
	for (i = 0; i < snap->nr; i++) {
		const struct gh_pci_dev *o = &snap->devs[i];

		if (o != d && same_slot(o, d) && o->vendor == PCI_VENDOR_AMD &&
		    (o->class >> 16) != 0x03 && (o->class >> 8) != GH_PCI_CLASS_AUDIO_HDA)
			return true;
	}
	return false;
}

static const struct gh_pci_dev *audio_of(const struct gh_pci *snap,
					  const struct gh_pci_dev *d)
{
	unsigned int i;

	for (i = 0; i < snap->nr; i++) {
		const struct gh_pci_dev *o = &snap->devs[i];

		if (o != d && same_slot(o, d) &&
		    (o->class >> 8) == GH_PCI_CLASS_AUDIO_HDA)
			return o;
	}
	return NULL;
}

/* The dGPU to pass: internal, NVIDIA first (the guide's case), lowest BDF. */
static const struct gh_gpu *pick_dgpu(const struct gh_topology *t)
{
	const struct gh_gpu *best = NULL;
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		const struct gh_gpu *g = &t->gpus[i];

		if (g->role != GH_GPU_DISCRETE)
			continue;
		if (!best || (g->dev->vendor == PCI_VENDOR_NVIDIA &&
			      best->dev->vendor != PCI_VENDOR_NVIDIA))
			best = g;
	}
	return best;
}

/**
 * gh_topology_build() - classify the GPUs of a snapshot
 * @t: filled in; points into @snap
 * @snap: the PCI devices
 * @want_bdf: the dGPU to use instead of the automatic pick, or NULL
 *
 * Return: 0, or -ENODEV when @want_bdf is not an endpoint in @snap.
 */
int gh_topology_build(struct gh_topology *t, const struct gh_pci *snap,
		      const char *want_bdf)
{
	const struct gh_pci_dev *want = NULL;
	unsigned int i;

	memset(t, 0, sizeof(*t));
	if (want_bdf) {
		/* named explicitly: any endpoint, the caller warns if odd */
		want = gh_pci_find(snap, want_bdf);
		if (!want || (want->class >> 16) == 0x06)	/* a bridge */
			return -ENODEV;
	}
	for (i = 0; i < snap->nr; i++) {
		const struct gh_pci_dev *d = &snap->devs[i];
		struct gh_gpu *g;

		if (d->iommu_group >= 0)
			t->iommu = true;
		if ((!gh_pci_is_gpu(d) && d != want) || t->nr == GH_GPUS_MAX)
			continue;
		g = &t->gpus[t->nr++];
		g->dev = d;
		g->audio = audio_of(snap, d);
		if (is_integrated(snap, d))
			g->role = GH_GPU_INTEGRATED;
		else if (d->removable)
			g->role = GH_GPU_EXTERNAL;
		else
			g->role = GH_GPU_DISCRETE;
		if (g->role == GH_GPU_INTEGRATED && !t->igpu)
			t->igpu = g;
		if (d == want)
			t->dgpu = g;
	}
	if (!t->dgpu)
		t->dgpu = pick_dgpu(t);
	if (!t->dgpu)
		t->arch = GH_ARCH_NO_DGPU;
	else if ((t->dgpu->dev->class >> 8) != GH_PCI_CLASS_VGA)
		t->arch = GH_ARCH_MUXLESS;	/* 3D or display controller: no outputs */
	else if (t->igpu)
		t->arch = GH_ARCH_MUXED;
	else
		t->arch = GH_ARCH_DGPU_ONLY;
	return 0;
}

/* "MUXless", "MUXed": with gh_hybrid_name(), "MUXless NVIDIA Optimus" */
const char *gh_arch_name(enum gh_arch arch)
{
	switch (arch) {
	case GH_ARCH_MUXLESS:	return "MUXless";
	case GH_ARCH_MUXED:	return "MUXed";
	case GH_ARCH_DGPU_ONLY:	return "dGPU only";
	case GH_ARCH_NO_DGPU:	break;
	}
	return "no dGPU";
}

/*
 * "Optimus" is NVIDIA's name, whatever the iGPU (Intel or an AMD APU);
 * AMD calls an AMD dGPU beside an iGPU PowerXpress, later "hybrid
 * graphics" or "switchable graphics".
 */
enum gh_hybrid gh_hybrid(const struct gh_topology *t)
{
	if (!t->dgpu || (t->arch != GH_ARCH_MUXLESS && t->arch != GH_ARCH_MUXED))
		return GH_HYBRID_NONE;
	switch (t->dgpu->dev->vendor) {
	case PCI_VENDOR_NVIDIA:	return GH_HYBRID_OPTIMUS;
	case PCI_VENDOR_AMD_GPU:
	case PCI_VENDOR_AMD:	return GH_HYBRID_POWERXPRESS;
	}
	return GH_HYBRID_OTHER;
}

const char *gh_hybrid_id(enum gh_hybrid h)
{
	switch (h) {
	case GH_HYBRID_OPTIMUS:		return "optimus";
	case GH_HYBRID_POWERXPRESS:	return "powerxpress";
	case GH_HYBRID_OTHER:		return "hybrid";
	case GH_HYBRID_NONE:		break;
	}
	return NULL;
}

const char *gh_hybrid_name(enum gh_hybrid h)
{
	switch (h) {
	case GH_HYBRID_OPTIMUS:		return "NVIDIA Optimus";
	case GH_HYBRID_POWERXPRESS:	return "AMD hybrid graphics (PowerXpress)";
	case GH_HYBRID_OTHER:		return "hybrid graphics";
	case GH_HYBRID_NONE:		break;
	}
	return NULL;
}

/*
 * What gpuhelper vm does against Code 43 and what needs it: the NVIDIA
 * driver (before R465 for a GeForce) stops with Code 43 in a VM it
 * detects, and its mobile driver wants the laptop's subsystem IDs, the
 * vBIOS from ACPI _ROM (a MUXless dGPU has no ROM BAR worth reading) and
 * a battery. AMD's driver reads the vBIOS from the ACPI VFCT table
 * instead, which gpuhelper does not write.
 */
const struct gh_code43 gh_code43[] = {
	{ "hide-hypervisor", "hide the hypervisor (KVM hidden, Hyper-V vendor_id)",
	  "the NVIDIA driver before R465 stops in a VM it detects", true },
	{ "subsystem-ids", "the dGPU's subsystem IDs in the guest",
	  "NVIDIA's mobile driver installs only for the laptop's subsystem ID", true },
	{ "acpi-rom", "the vBIOS as an ACPI _ROM method (SSDT)",
	  "NVIDIA's mobile driver reads a MUXless dGPU's vBIOS from _ROM", true },
	{ "battery", "a battery (SSDT)",
	  "NVIDIA's mobile driver expects a laptop's battery", true },
};

const unsigned int gh_code43_nr = sizeof(gh_code43) / sizeof(gh_code43[0]);

bool gh_code43_applies(const struct gh_code43 *w, const struct gh_topology *t)
{
	if (!t->dgpu)
		return false;
	return !w->nvidia_only || t->dgpu->dev->vendor == PCI_VENDOR_NVIDIA;
}

const char *gh_arch_id(enum gh_arch arch)
{
	switch (arch) {
	case GH_ARCH_MUXLESS:	return "muxless";
	case GH_ARCH_MUXED:	return "muxed";
	case GH_ARCH_DGPU_ONLY:	return "dgpu-only";
	case GH_ARCH_NO_DGPU:	break;
	}
	return "no-dgpu";
}

const char *gh_arch_meaning(enum gh_arch arch)
{
	switch (arch) {
	case GH_ARCH_MUXLESS:
		return "the dGPU has no display outputs and renders through the iGPU: "
		       "pass it at guest 01:00.0 behind a root port at 00:01.0, with the "
		       "Code 43 workarounds its driver needs; the guest's screen is GVT-g "
		       "or emulated, and games must pick the dGPU themselves (gpuhelper vm)";
	case GH_ARCH_MUXED:
		return "a MUX can route the outputs to the dGPU: switch the MUX to the "
		       "dGPU (firmware setting) and pass it like a desktop card; a dummy "
		       "HDMI plug makes the guest render on it";
	case GH_ARCH_DGPU_ONLY:
		return "the iGPU is off or absent: passing the only GPU leaves the host "
		       "without a display; it needs scripts to hand the GPU back and a "
		       "way to debug without a screen (ssh, serial)";
	case GH_ARCH_NO_DGPU:
		break;
	}
	return "no internal discrete GPU to pass through; an iGPU can still be "
	       "shared with GVT-g or SR-IOV";
}

const char *gh_role_name(enum gh_gpu_role role)
{
	switch (role) {
	case GH_GPU_INTEGRATED:	return "integrated";
	case GH_GPU_DISCRETE:	return "discrete";
	case GH_GPU_EXTERNAL:	return "external";
	}
	return "?";
}

const char *gh_vendor_short(uint16_t vendor)
{
	switch (vendor) {
	case PCI_VENDOR_INTEL:	return "Intel";
	case PCI_VENDOR_AMD_GPU:
	case PCI_VENDOR_AMD:	return "AMD";
	case PCI_VENDOR_NVIDIA:	return "NVIDIA";
	}
	return "unknown vendor";
}

/*
 * Intel graphics generations by device ID prefix, as i915's
 * i915_pciids.h groups them. Only what decides GVT-g vs SR-IOV matters.
 */
static const struct {
	uint16_t mask, match;
	int gen;
} intel_gens[] = {
	{ 0xff00, 0x1600, 80 },	/* Broadwell */
	{ 0xff00, 0x2200, 80 },	/* Cherryview/Braswell */
	{ 0xff00, 0x1900, 90 },	/* Skylake */
	{ 0xff00, 0x5a00, 90 },	/* Broxton */
	{ 0xff00, 0x0a00, 90 },	/* Broxton (A-step IDs 0a8x) */
	{ 0xff00, 0x3100, 95 },	/* Gemini Lake */
	{ 0xff00, 0x5900, 95 },	/* Kaby Lake */
	{ 0xff00, 0x8700, 95 },	/* Amber/Kaby Lake-Y */
	{ 0xff00, 0x3e00, 95 },	/* Coffee/Whiskey Lake */
	{ 0xff00, 0x9b00, 95 },	/* Comet Lake */
	{ 0xff00, 0x8a00, 110 },	/* Ice Lake */
	{ 0xff00, 0x4e00, 110 },	/* Jasper/Elkhart Lake */
	{ 0xff00, 0x4500, 110 },	/* Elkhart Lake */
	{ 0xff00, 0x9a00, 120 },	/* Tiger Lake */
	{ 0xff00, 0x4c00, 120 },	/* Rocket Lake */
	{ 0xff00, 0x4600, 120 },	/* Alder Lake */
	{ 0xff00, 0xa700, 120 },	/* Raptor Lake */
	{ 0xff00, 0x7d00, 127 },	/* Meteor/Arrow Lake */
	{ 0xff00, 0x6400, 200 },	/* Lunar Lake */
};

int gh_intel_gen(uint16_t device)
{
	size_t i;

	for (i = 0; i < sizeof(intel_gens) / sizeof(intel_gens[0]); i++)
		if ((device & intel_gens[i].mask) == intel_gens[i].match)
			return intel_gens[i].gen;
	return 0;
}

enum gh_igpu_virt gh_igpu_virt(const struct gh_pci_dev *igpu)
{
	int gen;

	if (igpu && igpu->vendor == PCI_VENDOR_AMD_GPU)
		return GH_VIRT_NEITHER;	/* no mediated or SR-IOV sharing on APUs */
	if (!igpu || igpu->vendor != PCI_VENDOR_INTEL)
		return GH_VIRT_NONE;
	gen = gh_intel_gen(igpu->device);
	if (!gen)
		return GH_VIRT_NONE;
	if (gen < 110)
		return GH_VIRT_GVTG;
	if (gen < 120)
		return GH_VIRT_NEITHER;
	return GH_VIRT_SRIOV;
}

const char *gh_igpu_virt_name(enum gh_igpu_virt v)
{
	switch (v) {
	case GH_VIRT_GVTG:	return "gvt-g";
	case GH_VIRT_SRIOV:	return "sr-iov";
	case GH_VIRT_NEITHER:	return "none";
	case GH_VIRT_NONE:	break;
	}
	return "unknown";
}

unsigned int gh_group_peers(const struct gh_pci *snap, const struct gh_pci_dev *d,
			    const struct gh_pci_dev **out, unsigned int max)
{
	unsigned int i, n = 0;

	if (d->iommu_group < 0)
		return 0;
	for (i = 0; i < snap->nr; i++) {
		const struct gh_pci_dev *o = &snap->devs[i];

		if (o == d || o->iommu_group != d->iommu_group)
			continue;
		if (n < max)
			out[n] = o;
		n++;
	}
	return n;
}

bool gh_driver_is_passthrough(const char *driver)
{
	return !*driver || !strcmp(driver, "vfio-pci") ||
	       !strcmp(driver, "gpuhelper") || !strcmp(driver, "pci-stub");
}

bool gh_peer_blocks(const struct gh_pci_dev *peer)
{
	if ((peer->class >> 8) == GH_PCI_CLASS_BRIDGE_PCI)
		return false;
	return !gh_driver_is_passthrough(peer->driver);
}
