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
	EXPECT_EQ(0x10de, d->vendor);
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

TEST_HARNESS_MAIN
