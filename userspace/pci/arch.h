/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch.h - which GPU is which, and what kind of laptop this is, by the
 * seed guide's rules:
 *   dGPU is a "3D controller"                 -> MUXless
 *   dGPU is a "VGA controller", iGPU present  -> MUXed
 * and whose hybrid graphics it is: NVIDIA Optimus for an NVIDIA dGPU, AMD
 * hybrid graphics (PowerXpress) for an AMD one.
 *   dGPU is a "VGA controller", no iGPU       -> dGPU only
 */
#ifndef GH_ARCH_H
#define GH_ARCH_H

#include "pci/pcisnap.h"

#define GH_GPUS_MAX 8

enum gh_gpu_role {
	GH_GPU_INTEGRATED,
	GH_GPU_DISCRETE,
	GH_GPU_EXTERNAL,	/* removable: a dock or a Thunderbolt enclosure */
};

enum gh_arch {
	GH_ARCH_NO_DGPU,
	GH_ARCH_MUXLESS,
	GH_ARCH_MUXED,
	GH_ARCH_DGPU_ONLY,
};

/* What the iGPU can share with a guest. */
enum gh_igpu_virt {
	GH_VIRT_NONE,		/* not Intel, or not known */
	GH_VIRT_GVTG,		/* Gen 8 .. 9.5: i915.enable_gvt=1, mdev */
	GH_VIRT_SRIOV,		/* Gen 12+: SR-IOV VFs, not GVT-g */
	GH_VIRT_NEITHER,	/* Gen 11 (Ice Lake, Jasper Lake): no GVT-g, no SR-IOV */
};

struct gh_gpu {
	const struct gh_pci_dev *dev;
	enum gh_gpu_role role;
	const struct gh_pci_dev *audio;	/* its HDMI audio function, if any */
};

struct gh_topology {
	struct gh_gpu gpus[GH_GPUS_MAX];
	unsigned int nr;
	const struct gh_gpu *igpu;	/* the first integrated GPU */
	const struct gh_gpu *dgpu;	/* the internal dGPU to pass through */
	enum gh_arch arch;
	bool iommu;			/* the kernel made IOMMU groups */
};

/*
 * Classify the snapshot's GPUs; @want_bdf picks the dGPU when not NULL.
 * Returns 0, or -ENODEV when @want_bdf is not a GPU of the snapshot.
 */
int gh_topology_build(struct gh_topology *t, const struct gh_pci *snap,
		      const char *want_bdf);
/* The vendors' names for an iGPU + dGPU laptop, by the dGPU's vendor. */
enum gh_hybrid {
	GH_HYBRID_NONE,		/* no dGPU, or a dGPU alone */
	GH_HYBRID_OPTIMUS,	/* NVIDIA Optimus */
	GH_HYBRID_POWERXPRESS,	/* AMD hybrid graphics (PowerXpress) */
	GH_HYBRID_OTHER,	/* another vendor's dGPU */
};

/*
 * The workarounds gpuhelper applies against the guest driver's Code 43,
 * and whether only NVIDIA's driver needs them.
 */
struct gh_code43 {
	const char *id;
	const char *name;
	const char *why;
	bool nvidia_only;
};

extern const struct gh_code43 gh_code43[];
extern const unsigned int gh_code43_nr;

enum gh_hybrid gh_hybrid(const struct gh_topology *t);
const char *gh_hybrid_id(enum gh_hybrid h);
const char *gh_hybrid_name(enum gh_hybrid h);
bool gh_code43_applies(const struct gh_code43 *w, const struct gh_topology *t);
const char *gh_arch_name(enum gh_arch arch);
const char *gh_arch_id(enum gh_arch arch);
const char *gh_arch_meaning(enum gh_arch arch);
const char *gh_role_name(enum gh_gpu_role role);
const char *gh_vendor_short(uint16_t vendor);

/* Intel iGPU generation from the device ID (80 = Gen 8, 95 = Gen 9.5); 0 unknown. */
int gh_intel_gen(uint16_t device);
enum gh_igpu_virt gh_igpu_virt(const struct gh_pci_dev *igpu);
const char *gh_igpu_virt_name(enum gh_igpu_virt v);

/* Devices sharing @d's IOMMU group, @d excluded; returns how many. */
unsigned int gh_group_peers(const struct gh_pci *snap, const struct gh_pci_dev *d,
			    const struct gh_pci_dev **out, unsigned int max);
/* A peer that blocks passthrough: not a bridge, bound to a host driver. */
bool gh_peer_blocks(const struct gh_pci_dev *peer);
bool gh_driver_is_passthrough(const char *driver);

#endif /* GH_ARCH_H */
