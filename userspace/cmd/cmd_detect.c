// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_detect.c - gpuhelper detect [--json] [--names] [--profile NAME]
 * [--root DIR]: every GPU, its IDs, driver and IOMMU group, and the
 * laptop architecture with what it means for passthrough.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pci/arch.h"
#include "commands.h"
#include "pci/pcisnap.h"
#include "lib/opts.h"
#include "lib/print.h"
#include "pci/profile.h"
#include "lib/root.h"

enum { OPT_PROFILE = GH_OPT_LONG, OPT_ROOT };

static const struct gh_opt detect_opts[] = {
	{ 'j', "json", NULL, "one JSON object", GH_COMP_NONE, NULL },
	{ 'N', "names", NULL, "the devices' names from the PCI ID database", GH_COMP_NONE, NULL },
	{ OPT_PROFILE, "profile", "NAME", "a shipped machine profile, not this machine",
	  GH_COMP_WORDS, "r720" },
	{ OPT_ROOT, "root", "DIR", "read sysfs under DIR", GH_COMP_DIR, NULL },
	GH_OPT_END
};

const struct gh_cmd_spec gh_spec_detect = {
	.name = "detect",
	.summary = "list the GPUs and the laptop architecture",
	.synopsis = "[--json] [--names] [--profile NAME] [--root DIR]",
	.opts = detect_opts,
	.run = cmd_detect,
};

static void print_group(struct gh_out *o, const struct gh_pci *snap,
			const struct gh_pci_dev *d)
{
	const struct gh_pci_dev *peers[32];
	unsigned int n, i;

	if (d->iommu_group < 0) {
		gh_out_null(o, "iommu_group");
		gh_out_text(o, "  IOMMU group: none (IOMMU off: add intel_iommu=on or amd_iommu=on, see gpuhelper doctor)\n");
		return;
	}
	gh_out_int(o, "iommu_group", "  IOMMU group %ld:", d->iommu_group);
	n = gh_group_peers(snap, d, peers, 32);
	gh_out_open_arr(o, "iommu_group_peers");
	if (!n)
		gh_out_text(o, " no other devices");
	for (i = 0; i < n && i < 32; i++) {
		gh_out_open_obj(o, NULL);
		gh_out_str(o, "bdf", " %s", peers[i]->bdf);
		gh_out_hex(o, "class", NULL, peers[i]->class >> 8, 4);
		gh_out_str(o, "driver", NULL, peers[i]->driver[0] ? peers[i]->driver : NULL);
		gh_out_bool(o, "blocks", NULL, gh_peer_blocks(peers[i]));
		gh_out_text(o, " (%s%s)", peers[i]->driver[0] ? peers[i]->driver : "no driver",
			    (peers[i]->class >> 8) == GH_PCI_CLASS_BRIDGE_PCI ? ", bridge" : "");
		gh_out_close_obj(o);
	}
	gh_out_close_arr(o);
	gh_out_text(o, "\n");
}

static void print_gpu(struct gh_out *o, struct gh_pci *snap, const struct gh_gpu *g,
		      bool names)
{
	const struct gh_pci_dev *d = g->dev;
	char name[256];

	gh_out_open_obj(o, NULL);
	gh_out_str(o, "bdf", "GPU %s", d->bdf);
	gh_out_str(o, "role", "  %s", gh_role_name(g->role));
	if (names) {
		gh_pci_name(snap, d, name, sizeof(name));
		gh_out_str(o, "name", "  %s", name);
	}
	gh_out_hex(o, "vendor", "  [%s", d->vendor, 4);
	gh_out_hex(o, "device", ":%s]", d->device, 4);
	gh_out_hex(o, "revision", " (rev %s)\n", d->rev, 2);
	gh_out_hex(o, "subsystem_vendor", "  subsystem %s", d->subvendor, 4);
	gh_out_hex(o, "subsystem_device", ":%s", d->subdevice, 4);
	gh_out_hex(o, "class", "  class [%s]", d->class >> 8, 4);
	gh_out_str(o, "class_name", " %s", gh_pci_class_name(d->class));
	if (d->boot_vga < 0)
		gh_out_null(o, "boot_vga");
	else
		gh_out_bool(o, "boot_vga", "  boot VGA %s", d->boot_vga == 1);
	gh_out_text(o, "\n");
	gh_out_str(o, "driver", "  driver %s", d->driver[0] ? d->driver : NULL);
	gh_out_str(o, "audio", "  audio function %s\n", g->audio ? g->audio->bdf : NULL);
	print_group(o, snap, d);
	if (g->role == GH_GPU_INTEGRATED) {
		enum gh_igpu_virt v = gh_igpu_virt(d);
		int gen = d->vendor == 0x8086 ? gh_intel_gen(d->device) : 0;

		gh_out_str(o, "sharing", "  sharing: %s", gh_igpu_virt_name(v));
		if (gen % 10)
			gh_out_text(o, " (Intel Gen %d.%d)", gen / 10, gen % 10);
		else if (gen)
			gh_out_text(o, " (Intel Gen %d)", gen / 10);
		if (v == GH_VIRT_GVTG)
			gh_out_str(o, "mdev_type", "  mdev type %s",
				   d->mdev_type[0] ? d->mdev_type : "none yet (i915.enable_gvt=1 not set)");
		gh_out_text(o, "\n");
	}
	if (g->role == GH_GPU_EXTERNAL)
		gh_out_text(o, "  external (dock or Thunderbolt): not part of the laptop's hybrid graphics, ignored for the architecture\n");
	gh_out_close_obj(o);
}

/*
 * The Code 43 workarounds gpuhelper vm applies, each marked NVIDIA-only
 * where only NVIDIA's driver needs it, and whether this dGPU does.
 */
static void print_code43(struct gh_out *o, const struct gh_topology *t)
{
	bool nvidia = t->dgpu && gh_code43_applies(&gh_code43[0], t);
	unsigned int i;

	gh_out_open_arr(o, "code43");
	if (t->dgpu)
		gh_out_text(o, "Code 43 workarounds (gpuhelper vm):\n");
	for (i = 0; t->dgpu && i < gh_code43_nr; i++) {
		const struct gh_code43 *w = &gh_code43[i];
		bool applies = gh_code43_applies(w, t);

		gh_out_open_obj(o, NULL);
		gh_out_str(o, "id", NULL, w->id);
		gh_out_str(o, "name", "  %s:", w->name);
		gh_out_bool(o, "nvidia_only", NULL, w->nvidia_only);
		gh_out_bool(o, "applies", NULL, applies);
		gh_out_str(o, "why", NULL, w->why);
		if (applies)
			gh_out_text(o, " %sneeded here\n", w->nvidia_only ? "NVIDIA only, " : "");
		else
			gh_out_text(o, " %snot needed for this %s dGPU\n",
				    w->nvidia_only ? "NVIDIA only, " : "",
				    gh_vendor_short(t->dgpu->dev->vendor));
		gh_out_close_obj(o);
	}
	gh_out_close_arr(o);
	if (t->dgpu && !nvidia && gh_hybrid(t) == GH_HYBRID_POWERXPRESS)
		gh_out_text(o, "  the AMD driver reads the vBIOS from the ACPI VFCT table, "
			    "which gpuhelper does not write\n");
}

int cmd_detect(int argc, char **argv)
{
	bool json = false, names = false;
	struct gh_topology t;
	struct gh_pci snap;
	enum gh_hybrid hybrid;
	struct gh_optparse p;
	char label[96];
	struct gh_out o;
	unsigned int i;
	int err, c;

	gh_opt_start(&p, &gh_spec_detect, argc, argv);
	while ((c = gh_opt_next(&p)) != GH_OPT_DONE) {
		switch (c) {
		case 'j': json = true; break;
		case 'N': names = true; break;
		case OPT_PROFILE:
			if (gh_profile_use(p.val))
				return GH_EXIT_USAGE;
			break;
		case OPT_ROOT: gh_root_set(p.val); break;
		case GH_OPT_HELP: return GH_EXIT_OK;
		default: return gh_opt_fail(&p);
		}
	}
	if (p.ind < argc)
		return gh_opt_usage_error(&gh_spec_detect, "unknown argument '%s'", argv[p.ind]);
	err = gh_pci_scan(&snap);
	if (err) {
		fprintf(stderr, "gpuhelper: cannot read PCI devices under %s/sys/bus/pci: %s\n",
			strcmp(gh_pci_root(), "/") ? gh_pci_root() : "", snap.error);
		gh_pci_free(&snap);
		return GH_EXIT_ERROR;
	}
	gh_topology_build(&t, &snap, NULL);

	gh_out_init(&o, stdout, json);
	gh_out_open_obj(&o, NULL);
	if (gh_profile_name())
		gh_out_str(&o, "profile", "profile %s\n", gh_profile_name());
	gh_out_open_arr(&o, "gpus");
	for (i = 0; i < t.nr; i++)
		print_gpu(&o, &snap, &t.gpus[i], names);
	gh_out_close_arr(&o);
	if (!t.nr)
		gh_out_text(&o, "no GPUs found\n");
	gh_out_bool(&o, "iommu", NULL, t.iommu);
	gh_out_str(&o, "igpu", NULL, t.igpu ? t.igpu->dev->bdf : NULL);
	gh_out_str(&o, "dgpu", NULL, t.dgpu ? t.dgpu->dev->bdf : NULL);
	gh_out_str(&o, "architecture", NULL, gh_arch_id(t.arch));
	hybrid = gh_hybrid(&t);
	snprintf(label, sizeof(label), "%s%s%s", gh_arch_name(t.arch),
		 gh_hybrid_name(hybrid) ? " " : "",
		 gh_hybrid_name(hybrid) ? gh_hybrid_name(hybrid) : "");
	gh_out_str(&o, "hybrid", NULL, gh_hybrid_id(hybrid));
	gh_out_str(&o, "hybrid_name", NULL, gh_hybrid_name(hybrid));
	gh_out_str(&o, "architecture_name", "architecture: %s", label);
	if (t.dgpu)
		gh_out_text(&o, " (dGPU %s is a %s%s)", t.dgpu->dev->bdf,
			    gh_pci_class_name(t.dgpu->dev->class),
			    t.arch == GH_ARCH_MUXED ? ", with an iGPU" :
			    t.arch == GH_ARCH_DGPU_ONLY ? ", without an iGPU" : "");
	gh_out_text(&o, "\n");
	gh_out_str(&o, "meaning", "  %s\n", gh_arch_meaning(t.arch));
	print_code43(&o, &t);
	if (!t.iommu)
		gh_out_text(&o, "IOMMU: off (no IOMMU groups): passthrough needs intel_iommu=on or amd_iommu=on, see gpuhelper doctor\n");
	gh_out_close_obj(&o);
	gh_out_end(&o);
	gh_pci_free(&snap);
	return GH_EXIT_OK;
}
