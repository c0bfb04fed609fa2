// SPDX-License-Identifier: GPL-2.0
/*
 * detect_test.c - GPU roles and laptop architecture on fixture snapshots
 * (tests/fixtures/pci/NAME, built by tests/fixtures/mkpcisnap) and on the
 * shipped r720 profile; detect --json on the profile.
 */
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pci/arch.h"
#include "commands.h"
#include "pci/pcisnap.h"
#include "lib/root.h"

#define FIX GH_TOP "/tests/fixtures/pci/"

FIXTURE(snapshot) {
	struct gh_pci snap;
	struct gh_topology t;
};

FIXTURE_VARIANT(snapshot) {
	const char *dir;
	enum gh_arch arch;
	const char *igpu;
	const char *dgpu;
	bool iommu;
	unsigned int gpus;
	enum gh_igpu_virt virt;
	const char *audio;		/* the dGPU's HDMI audio function */
};

FIXTURE_VARIANT_ADD(snapshot, r720_profile_muxless) {
	.dir = GH_TOP "/userspace/profiles/r720", .arch = GH_ARCH_MUXLESS,
	.igpu = "0000:00:02.0", .dgpu = "0000:01:00.0", .iommu = true,
	.gpus = 2, .virt = GH_VIRT_GVTG,
};
FIXTURE_VARIANT_ADD(snapshot, muxless_before_setup) {
	.dir = FIX "muxless-fresh", .arch = GH_ARCH_MUXLESS,
	.igpu = "0000:00:02.0", .dgpu = "0000:01:00.0", .iommu = true,
	.gpus = 2, .virt = GH_VIRT_GVTG,
};
FIXTURE_VARIANT_ADD(snapshot, vga_dgpu_with_igpu_is_muxed) {
	.dir = FIX "muxed", .arch = GH_ARCH_MUXED,
	.igpu = "0000:00:02.0", .dgpu = "0000:01:00.0", .iommu = true,
	.gpus = 2, .virt = GH_VIRT_GVTG, .audio = "0000:01:00.1",
};
FIXTURE_VARIANT_ADD(snapshot, vga_dgpu_without_igpu_is_dgpu_only) {
	.dir = FIX "dgpu-only", .arch = GH_ARCH_DGPU_ONLY,
	.igpu = NULL, .dgpu = "0000:01:00.0", .iommu = true,
	.gpus = 1, .virt = GH_VIRT_NONE, .audio = "0000:01:00.1",
};
FIXTURE_VARIANT_ADD(snapshot, amd_apu_is_the_igpu_not_a_dgpu) {
	.dir = FIX "amd-nvidia", .arch = GH_ARCH_MUXLESS,
	.igpu = "0000:05:00.0", .dgpu = "0000:01:00.0", .iommu = true,
	.gpus = 2, .virt = GH_VIRT_NEITHER,
};
FIXTURE_VARIANT_ADD(snapshot, two_dgpus_nvidia_picked) {
	.dir = FIX "two-dgpus", .arch = GH_ARCH_MUXLESS,
	.igpu = "0000:00:02.0", .dgpu = "0000:02:00.0", .iommu = true,
	.gpus = 3, .virt = GH_VIRT_GVTG,
};
FIXTURE_VARIANT_ADD(snapshot, dock_gpu_ignored) {
	.dir = FIX "dock-egpu", .arch = GH_ARCH_MUXLESS,
	.igpu = "0000:00:02.0", .dgpu = "0000:01:00.0", .iommu = true,
	.gpus = 3, .virt = GH_VIRT_GVTG,
};
FIXTURE_VARIANT_ADD(snapshot, no_iommu_groups) {
	.dir = FIX "no-iommu", .arch = GH_ARCH_MUXLESS,
	.igpu = "0000:00:02.0", .dgpu = "0000:01:00.0", .iommu = false,
	.gpus = 2, .virt = GH_VIRT_GVTG,
};
FIXTURE_VARIANT_ADD(snapshot, amd_dgpu_display_controller_is_muxless) {
	.dir = FIX "amd-dgpu", .arch = GH_ARCH_MUXLESS,
	.igpu = "0000:00:02.0", .dgpu = "0000:01:00.0", .iommu = true,
	.gpus = 2, .virt = GH_VIRT_GVTG,
};
FIXTURE_VARIANT_ADD(snapshot, gen12_igpu_is_sriov) {
	.dir = FIX "tigerlake", .arch = GH_ARCH_MUXLESS,
	.igpu = "0000:00:02.0", .dgpu = "0000:01:00.0", .iommu = true,
	.gpus = 2, .virt = GH_VIRT_SRIOV,
};

FIXTURE_SETUP(snapshot)
{
	gh_pci_root_set(variant->dir);
	ASSERT_EQ(0, gh_pci_scan(&self->snap)) TH_LOG("%s", self->snap.error);
	ASSERT_EQ(0, gh_topology_build(&self->t, &self->snap, NULL));
}

FIXTURE_TEARDOWN(snapshot)
{
	gh_pci_free(&self->snap);
	gh_pci_root_set(NULL);
}

TEST_F(snapshot, architecture_and_roles)
{
	const struct gh_topology *t = &self->t;

	EXPECT_EQ(variant->arch, t->arch) TH_LOG("got %s", gh_arch_name(t->arch));
	EXPECT_EQ(variant->gpus, t->nr);
	EXPECT_EQ(variant->iommu, t->iommu);
	if (variant->igpu) {
		ASSERT_NE(NULL, t->igpu);
		EXPECT_STREQ(variant->igpu, t->igpu->dev->bdf);
	} else {
		EXPECT_EQ(NULL, t->igpu);
	}
	ASSERT_NE(NULL, t->dgpu);
	EXPECT_STREQ(variant->dgpu, t->dgpu->dev->bdf);
	EXPECT_EQ(GH_GPU_DISCRETE, t->dgpu->role);
	EXPECT_EQ(variant->virt, gh_igpu_virt(t->igpu ? t->igpu->dev : NULL));
	if (variant->audio) {
		ASSERT_NE(NULL, t->dgpu->audio);
		EXPECT_STREQ(variant->audio, t->dgpu->audio->bdf);
	} else {
		EXPECT_EQ(NULL, t->dgpu->audio);
	}
}

/* What libpci read agrees with the id files the snapshot was made from. */
TEST_F(snapshot, ids_read_through_libpci)
{
	const struct gh_pci_dev *d = self->t.dgpu->dev;
	char path[GH_PATH_MAX], buf[32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/subsystem_device",
		 variant->dir, d->bdf);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	EXPECT_EQ(strtoul(buf, NULL, 16), d->subdevice);
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/vendor", variant->dir, d->bdf);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	EXPECT_EQ(strtoul(buf, NULL, 16), d->vendor);
	/* every fixture's dGPU is NVIDIA's but amd-dgpu's */
	EXPECT_EQ(strstr(variant->dir, "amd-dgpu") ? 0x1002 : 0x10de, d->vendor);
	EXPECT_EQ(variant->iommu ? 1 : 0, d->iommu_group >= 0);
	EXPECT_NE(0, d->driver[0]);
}

TEST(r720_profile_values)
{
	struct gh_pci snap;
	const struct gh_pci_dev *d;

	gh_pci_root_set(GH_TOP "/userspace/profiles/r720");
	ASSERT_EQ(0, gh_pci_scan(&snap));
	d = gh_pci_find(&snap, "01:00.0");
	ASSERT_NE(NULL, d);
	EXPECT_EQ(0x1c8d, d->device);
	EXPECT_EQ(0x17aa, d->subvendor);
	EXPECT_EQ(0x39d1, d->subdevice);
	EXPECT_EQ(0x030200, d->class);
	EXPECT_EQ(0, d->boot_vga);
	d = gh_pci_find(&snap, "0000:00:02.0");
	ASSERT_NE(NULL, d);
	EXPECT_EQ(0x591b, d->device);
	EXPECT_EQ(1, d->boot_vga);
	EXPECT_STREQ("i915-GVTg_V5_4", d->mdev_type);
	EXPECT_EQ(95, gh_intel_gen(d->device));
	gh_pci_free(&snap);
	gh_pci_root_set(NULL);
}

TEST(group_peer_with_host_driver_blocks)
{
	const struct gh_pci_dev *peers[4];
	struct gh_topology t;
	struct gh_pci snap;

	gh_pci_root_set(FIX "muxed");
	ASSERT_EQ(0, gh_pci_scan(&snap));
	ASSERT_EQ(0, gh_topology_build(&t, &snap, NULL));
	ASSERT_EQ(2, gh_group_peers(&snap, t.dgpu->dev, peers, 4));
	EXPECT_STREQ("0000:00:01.0", peers[0]->bdf);
	EXPECT_FALSE(gh_peer_blocks(peers[0]));		/* a bridge */
	EXPECT_STREQ("0000:01:00.1", peers[1]->bdf);
	EXPECT_TRUE(gh_peer_blocks(peers[1]));		/* snd_hda_intel */
	gh_pci_free(&snap);
	gh_pci_root_set(NULL);
}

TEST(missing_snapshot_is_an_error_not_an_exit)
{
	struct gh_pci snap;

	gh_pci_root_set("/nonexistent-gpuhelper-root");
	EXPECT_EQ(-ENODEV, gh_pci_scan(&snap));
	EXPECT_NE(NULL, strstr(snap.error, "/nonexistent-gpuhelper-root"));
	gh_pci_free(&snap);
	gh_pci_root_set(NULL);
}

TEST(want_bdf_picks_the_dgpu)
{
	struct gh_topology t;
	struct gh_pci snap;

	gh_pci_root_set(FIX "two-dgpus");
	ASSERT_EQ(0, gh_pci_scan(&snap));
	ASSERT_EQ(0, gh_topology_build(&t, &snap, "01:00.0"));
	EXPECT_STREQ("0000:01:00.0", t.dgpu->dev->bdf);
	EXPECT_EQ(GH_ARCH_MUXLESS, t.arch);	/* display controller: no outputs */
	EXPECT_EQ(-ENODEV, gh_topology_build(&t, &snap, "00:01.0"));
	gh_pci_free(&snap);
	gh_pci_root_set(NULL);
}

static char *run_detect(char **argv, int argc, int *rc)
{
	static char out[16384];
	char tmpl[] = "/tmp/gh-detect-XXXXXX";
	int fd = mkstemp(tmpl), saved = dup(1);
	ssize_t n;

	fflush(stdout);
	dup2(fd, 1);
	*rc = cmd_detect(argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	n = pread(fd, out, sizeof(out) - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(tmpl);
	return out;
}

TEST(json_on_the_profile)
{
	char *argv[] = { "detect", "--json", "--profile", GH_TOP "/userspace/profiles/r720", NULL };
	char *out;
	int rc;

	out = run_detect(argv, 4, &rc);
	EXPECT_EQ(GH_EXIT_OK, rc);
	EXPECT_EQ('{', out[0]);
	EXPECT_NE(NULL, strstr(out, "\"architecture\":\"muxless\""));
	EXPECT_NE(NULL, strstr(out, "\"bdf\":\"0000:01:00.0\",\"role\":\"discrete\""));
	EXPECT_NE(NULL, strstr(out, "\"subsystem_vendor\":\"17aa\",\"subsystem_device\":\"39d1\""));
	EXPECT_NE(NULL, strstr(out, "\"iommu_group\":1"));
	EXPECT_EQ(NULL, strstr(out, "sharing: "));	/* no text mixed in */
	gh_pci_root_set(NULL);
}

TEST(unknown_argument_is_usage_error)
{
	char *argv[] = { "detect", "--bogus", NULL };
	int rc;

	run_detect(argv, 2, &rc);
	EXPECT_EQ(GH_EXIT_USAGE, rc);
}

/* "Optimus" is NVIDIA's name, whatever the iGPU; an AMD dGPU is PowerXpress. */
TEST(hybrid_graphics_named_by_the_dgpu_vendor)
{
	static const struct {
		const char *dir;
		enum gh_hybrid want;
	} cases[] = {
		{ GH_TOP "/userspace/profiles/r720", GH_HYBRID_OPTIMUS },
		{ FIX "muxed", GH_HYBRID_OPTIMUS },		/* NVIDIA + Intel */
		{ FIX "amd-nvidia", GH_HYBRID_OPTIMUS },	/* NVIDIA + AMD APU */
		{ FIX "amd-dgpu", GH_HYBRID_POWERXPRESS },	/* AMD + Intel */
		{ FIX "dgpu-only", GH_HYBRID_NONE },
	};
	struct gh_topology t;
	struct gh_pci snap;
	unsigned int i, w;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gh_pci_root_set(cases[i].dir);
		ASSERT_EQ(0, gh_pci_scan(&snap));
		ASSERT_EQ(0, gh_topology_build(&t, &snap, NULL));
		EXPECT_EQ(cases[i].want, gh_hybrid(&t)) TH_LOG("%s", cases[i].dir);
		/* every workaround gpuhelper has is NVIDIA-only: none applies to AMD */
		for (w = 0; w < gh_code43_nr; w++)
			EXPECT_EQ(t.dgpu->dev->vendor == 0x10de, gh_code43_applies(&gh_code43[w], &t))
				TH_LOG("%s %s", cases[i].dir, gh_code43[w].id);
		gh_pci_free(&snap);
	}
	gh_pci_root_set(NULL);
	EXPECT_STREQ("NVIDIA Optimus", gh_hybrid_name(GH_HYBRID_OPTIMUS));
	EXPECT_STREQ("AMD hybrid graphics (PowerXpress)", gh_hybrid_name(GH_HYBRID_POWERXPRESS));
	EXPECT_EQ(NULL, gh_hybrid_name(GH_HYBRID_NONE));
}

TEST(amd_dgpu_text_says_powerxpress_and_nvidia_only)
{
	char *argv[] = { "detect", "--root", FIX "amd-dgpu", NULL };
	char *out;
	int rc;

	out = run_detect(argv, 3, &rc);
	EXPECT_EQ(GH_EXIT_OK, rc);
	EXPECT_NE(NULL, strstr(out, "architecture: MUXless AMD hybrid graphics (PowerXpress) "
			       "(dGPU 0000:01:00.0 is a Display controller)\n"));
	EXPECT_EQ(NULL, strstr(out, "Optimus"));
	EXPECT_NE(NULL, strstr(out, "  hide the hypervisor (KVM hidden, Hyper-V vendor_id): "
			       "NVIDIA only, not needed for this AMD dGPU\n"));
	EXPECT_NE(NULL, strstr(out, "  a battery (SSDT): NVIDIA only, not needed for this AMD dGPU\n"));
	EXPECT_NE(NULL, strstr(out, "ACPI VFCT table"));
	EXPECT_EQ(NULL, strstr(out, "needed here"));
	gh_pci_root_set(NULL);
	gh_root_set(NULL);
}

TEST(amd_dgpu_json_fields)
{
	char *argv[] = { "detect", "--json", "--root", FIX "amd-dgpu", NULL };
	char *out;
	int rc;

	out = run_detect(argv, 4, &rc);
	EXPECT_EQ(GH_EXIT_OK, rc);
	EXPECT_NE(NULL, strstr(out, "\"architecture\":\"muxless\""));
	EXPECT_NE(NULL, strstr(out, "\"hybrid\":\"powerxpress\",\"hybrid_name\":"
			       "\"AMD hybrid graphics (PowerXpress)\""));
	EXPECT_NE(NULL, strstr(out, "\"architecture_name\":\"MUXless AMD hybrid graphics (PowerXpress)\""));
	EXPECT_NE(NULL, strstr(out, "{\"id\":\"hide-hypervisor\",\"name\":\"hide the hypervisor "
			       "(KVM hidden, Hyper-V vendor_id)\",\"nvidia_only\":true,\"applies\":false"));
	EXPECT_EQ(NULL, strstr(out, "\"applies\":true"));
	gh_pci_root_set(NULL);
	gh_root_set(NULL);
}

TEST(nvidia_json_fields_say_optimus_and_the_workarounds_apply)
{
	char *argv[] = { "detect", "--json", "--profile", GH_TOP "/userspace/profiles/r720", NULL };
	char *out;
	int rc;

	out = run_detect(argv, 4, &rc);
	EXPECT_EQ(GH_EXIT_OK, rc);
	EXPECT_NE(NULL, strstr(out, "\"hybrid\":\"optimus\",\"hybrid_name\":\"NVIDIA Optimus\""));
	EXPECT_NE(NULL, strstr(out, "\"architecture_name\":\"MUXless NVIDIA Optimus\""));
	EXPECT_NE(NULL, strstr(out, "{\"id\":\"battery\",\"name\":\"a battery (SSDT)\","
			       "\"nvidia_only\":true,\"applies\":true"));
	EXPECT_EQ(NULL, strstr(out, "\"applies\":false"));
	gh_pci_root_set(NULL);
}

TEST_HARNESS_MAIN
