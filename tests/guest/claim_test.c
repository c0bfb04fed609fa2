// SPDX-License-Identifier: GPL-2.0
/*
 * claim_test.c - early claim of the dGPU (issue: foundation).
 *
 * Runs in the guest right after /init loaded gpuhelper the way an
 * initramfs does. The "dGPU" is QEMU's edu device at 01:00.0, the boot
 * VGA device at 00:02.0 is listed in ids= too and must not be claimed.
 */
#include "kselftest_harness.h"
#include "gh_guest.h"

TEST(dgpu_bound_to_gpuhelper_after_boot)
{
	ASSERT_STREQ("gpuhelper", gh_driver(GH_DGPU));
}

TEST(dgpu_driver_override_pins_gpuhelper)
{
	char buf[64];

	ASSERT_EQ(0, gh_readf(buf, sizeof(buf),
			      "/sys/bus/pci/devices/%s/driver_override", GH_DGPU));
	EXPECT_STREQ("gpuhelper", buf);
}

TEST(class_dir_shows_state_stub)
{
	char buf[64];

	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/class/gpuhelper/%s/state",
			      GH_DGPU));
	EXPECT_STREQ("stub", buf);
	/* the class device is a child of the PCI function */
	EXPECT_TRUE(gh_exists("/sys/bus/pci/devices/%s/gpuhelper/%s", GH_DGPU,
			      GH_DGPU));
}

TEST(boot_vga_matched_by_ids_is_not_claimed)
{
	char buf[64];

	EXPECT_STRNE("gpuhelper", gh_driver(GH_IGPU));
	EXPECT_FALSE(gh_exists("/sys/class/gpuhelper/%s", GH_IGPU));
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf),
			      "/sys/bus/pci/devices/%s/driver_override", GH_IGPU));
	EXPECT_STREQ("(null)", buf);
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/bus/pci/devices/%s/boot_vga",
			      GH_IGPU));
	EXPECT_STREQ("1", buf);
}

/*
 * The HDMI audio function is not in ids=, but it sits at the dGPU's slot
 * and shares its IOMMU group: with with_audio=Y (the default) gpuhelper
 * holds it from boot as a companion, so it never lands on snd_hda_intel
 * and moves with the dGPU (issue 3). with_audio=N: modload_test.c.
 */
TEST(audio_function_at_dgpu_slot_is_held_as_companion)
{
	char buf[64];

	EXPECT_STREQ("gpuhelper", gh_driver(GH_AUDIO));
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/class/gpuhelper/%s/role",
			      GH_AUDIO));
	EXPECT_STREQ("audio", buf);
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/class/gpuhelper/%s/state",
			      GH_AUDIO));
	EXPECT_STREQ("stub", buf);
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/class/gpuhelper/%s/role",
			      GH_DGPU));
	EXPECT_STREQ("dgpu", buf);
}

TEST(competing_vfio_pci_ids_does_not_take_dgpu)
{
	ASSERT_EQ(0, gh_system("modprobe vfio-pci ids=1234:11e8"));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));

	/* not after an unbind: an explicit bind is refused ... */
	ASSERT_EQ(0, gh_write("/sys/bus/pci/drivers/gpuhelper/unbind", GH_DGPU));
	EXPECT_NE(0, gh_write("/sys/bus/pci/drivers/vfio-pci/bind", GH_DGPU));
	EXPECT_STREQ("", gh_driver(GH_DGPU));

	/* ... and a reprobe finds gpuhelper, not vfio-pci */
	ASSERT_EQ(0, gh_write("/sys/bus/pci/drivers_probe", GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_EQ(0, gh_system("rmmod vfio_pci"));
}

/*
 * A host driver that matches the dGPU by its ID table, as nouveau and
 * nvidia do (tests/kmod/gh_rival.ko, loaded by name only): loaded after
 * gpuhelper it gets nothing, neither by an explicit bind after an
 * unbind, nor by a reprobe, nor when the dGPU is removed and rescanned.
 */
TEST(rival_host_driver_never_takes_the_claimed_dgpu)
{
	char path[128];

	ASSERT_EQ(0, gh_system("modprobe gh_rival"));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));

	ASSERT_EQ(0, gh_write("/sys/bus/pci/drivers/gpuhelper/unbind", GH_DGPU));
	EXPECT_NE(0, gh_write("/sys/bus/pci/drivers/gh_rival/bind", GH_DGPU));
	EXPECT_STREQ("", gh_driver(GH_DGPU));
	ASSERT_EQ(0, gh_write("/sys/bus/pci/drivers_probe", GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", GH_DGPU);
	ASSERT_EQ(0, gh_write(path, "1"));
	ASSERT_EQ(0, gh_write("/sys/bus/pci/rescan", "1"));
	ASSERT_TRUE(gh_exists("/sys/bus/pci/devices/%s", GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_EQ(0, gh_unload("gh_rival"));
}

/*
 * The shipped modprobe.d softdeps, run by kmod's modprobe as in a real
 * initramfs: loading snd_hda_intel or vfio-pci loads gpuhelper first (with
 * the guest's options), so the dGPU and its audio function are held before
 * either driver can take them.
 */
FIXTURE(softdep) {
};

FIXTURE_VARIANT(softdep) {
	const char *module;
};

FIXTURE_VARIANT_ADD(softdep, snd_hda_intel) { "snd_hda_intel" };
FIXTURE_VARIANT_ADD(softdep, vfio_pci) { "vfio_pci" };

FIXTURE_SETUP(softdep) {
	ASSERT_EQ(0, gh_unload("gpuhelper"));
	gh_system("rmmod %s 2>/dev/null", variant->module);
	ASSERT_FALSE(gh_exists("/sys/module/%s", variant->module));
	ASSERT_FALSE(gh_exists("/sys/module/gpuhelper"));
}

FIXTURE_TEARDOWN(softdep) {
	/* leave no function to the rival, whatever happened */
	gh_write("/sys/bus/pci/drivers/snd_hda_intel/unbind", GH_AUDIO);
	gh_system("rmmod %s 2>/dev/null", variant->module);
	if (!gh_exists("/sys/module/gpuhelper") &&
	    (gh_load(gh_ko(), GH_GOOD_IDS) || !gh_wait_driver(GH_DGPU, "gpuhelper", 2000)))
		TH_LOG("could not reload gpuhelper");
}

TEST_F(softdep, loading_a_rival_loads_gpuhelper_first)
{
	/* by path: busybox's sh runs its own modprobe applet for "modprobe" */
	ASSERT_EQ(0, gh_system("/sbin/modprobe %s", variant->module));
	EXPECT_TRUE(gh_exists("/sys/module/gpuhelper"));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_AUDIO));
}

TEST(class_dir_outlives_unbind_and_rebinds_on_probe)
{
	char buf[64];

	ASSERT_EQ(0, gh_write("/sys/bus/pci/drivers/gpuhelper/unbind", GH_DGPU));
	EXPECT_STREQ("", gh_driver(GH_DGPU));
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/class/gpuhelper/%s/state",
			      GH_DGPU));
	EXPECT_STREQ("unbound", buf);

	ASSERT_EQ(0, gh_write("/sys/bus/pci/drivers_probe", GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/class/gpuhelper/%s/state",
			      GH_DGPU));
	EXPECT_STREQ("stub", buf);
}

TEST(remove_and_rescan_reclaims_dgpu)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", GH_DGPU);
	ASSERT_EQ(0, gh_write(path, "1"));
	EXPECT_FALSE(gh_exists("/sys/bus/pci/devices/%s", GH_DGPU));
	EXPECT_FALSE(gh_exists("/sys/class/gpuhelper/%s", GH_DGPU));

	ASSERT_EQ(0, gh_write("/sys/bus/pci/rescan", "1"));
	ASSERT_TRUE(gh_exists("/sys/bus/pci/devices/%s", GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_TRUE(gh_exists("/sys/class/gpuhelper/%s/state", GH_DGPU));
}

TEST(dgpu_runtime_suspends_when_allowed)
{
	char ctl[128], status[128], buf[32];
	int i;

	snprintf(ctl, sizeof(ctl), "/sys/bus/pci/devices/%s/power/control", GH_DGPU);
	snprintf(status, sizeof(status), "/sys/bus/pci/devices/%s/power/runtime_status",
		 GH_DGPU);
	ASSERT_EQ(0, gh_write(ctl, "auto"));
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, gh_read(status, buf, sizeof(buf)));
		if (!strcmp(buf, "suspended"))
			break;
		gh_msleep(10);
	}
	EXPECT_STREQ("suspended", buf);
	ASSERT_EQ(0, gh_write(ctl, "on"));
	ASSERT_EQ(0, gh_read(status, buf, sizeof(buf)));
	EXPECT_STREQ("active", buf);
}

TEST_HARNESS_MAIN
