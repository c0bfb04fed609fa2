// SPDX-License-Identifier: GPL-2.0
/*
 * rollback_test.c - a hand-off that fails half-way is undone (issue 3).
 *
 * tests/kmod/gh_fake_vfio_pci.ko registers a driver named vfio-pci whose
 * probe succeeds on 01:00.0 and fails on 01:00.1. A hand-off to vfio then
 * binds the dGPU, fails on its audio function, and must put both back on
 * gpuhelper with their override, state and no event: nothing half-done.
 *
 * Loaded with same_name_only=Y the fake registers under its own module
 * name: gpuhelper, which knows vfio-pci by its module (kmod/handoff.c),
 * must see a host driver that merely calls itself vfio-pci, and roll the
 * hand-off back although the probe succeeded.
 */
#include "kselftest_harness.h"
#include "gh_handoff.h"
#include "gh_nl.h"

FIXTURE(fake_vfio) {
	char ko[160];
};

FIXTURE_SETUP(fake_vfio) {
	char rel[64];

	ASSERT_TRUE(gh_back_to_stub());
	/* the real vfio-pci must be gone for the fake to take its name */
	gh_system("rmmod vfio_pci 2>/dev/null");
	ASSERT_FALSE(gh_exists("/sys/bus/pci/drivers/vfio-pci"));
	ASSERT_EQ(0, gh_read("/proc/sys/kernel/osrelease", rel, sizeof(rel)));
	snprintf(self->ko, sizeof(self->ko), "/lib/modules/%s/extra/gh_fake_vfio_pci.ko", rel);
	ASSERT_EQ(0, gh_load(self->ko, ""));
}

FIXTURE_TEARDOWN(fake_vfio) {
	gh_back_to_stub();
	if (gh_unload("gh_fake_vfio_pci"))
		TH_LOG("could not unload the fake vfio-pci");
}

TEST_F(fake_vfio, bind_failure_on_audio_rolls_dgpu_back)
{
	struct gh_nl ev;
	struct gh_nl_msg m;
	int mark = gh_kmsg_mark();

	ASSERT_EQ(0, gh_nl_open(&ev));
	ASSERT_EQ(0, gh_nl_subscribe(&ev));

	EXPECT_EQ(-EIO, gh_set_state(GH_DGPU, "vfio"));
	EXPECT_TRUE(gh_kmsg_since(mark, "hand-off to vfio failed, rolled back: " GH_AUDIO
				  " did not bind to vfio-pci"));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_AUDIO));
	EXPECT_STREQ("gpuhelper", gh_override(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_override(GH_AUDIO));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	EXPECT_STREQ("stub", gh_state(GH_AUDIO));
	/* a rolled-back hand-off changed nothing, so it reports nothing */
	EXPECT_EQ(-EAGAIN, gh_nl_next_event(&ev, &m, 200));
	gh_nl_close(&ev);
}

TEST_F(fake_vfio, dgpu_alone_still_moves_and_returns)
{
	struct gh_nl nl;

	/* without its audio function the set binds: the fake takes fn 0 */
	ASSERT_EQ(0, gh_nl_open(&nl));
	EXPECT_EQ(0, gh_nl_set_state(&nl, GH_DGPU, GPUHELPER_STATE_VFIO, 0));
	EXPECT_STREQ("vfio-pci", gh_driver(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_AUDIO));
	EXPECT_EQ(0, gh_nl_set_state(&nl, GH_DGPU, GPUHELPER_STATE_STUB, 0));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	gh_nl_close(&nl);
}

TEST(a_driver_named_vfio_pci_of_another_module_is_not_vfio)
{
	char rel[64], ko[160];
	int mark;

	ASSERT_TRUE(gh_back_to_stub());
	gh_system("rmmod vfio_pci 2>/dev/null");
	ASSERT_FALSE(gh_exists("/sys/bus/pci/drivers/vfio-pci"));
	ASSERT_EQ(0, gh_read("/proc/sys/kernel/osrelease", rel, sizeof(rel)));
	snprintf(ko, sizeof(ko), "/lib/modules/%s/extra/gh_fake_vfio_pci.ko", rel);
	ASSERT_EQ(0, gh_load(ko, "same_name_only=Y"));

	mark = gh_kmsg_mark();
	/* the dGPU alone: the fake's probe succeeds on function 0 */
	EXPECT_EQ(-EIO, gh_set_state(GH_DGPU, "vfio"));
	EXPECT_TRUE(gh_kmsg_since(mark, "hand-off to vfio failed, rolled back: " GH_DGPU
				  " did not bind to vfio-pci"));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	EXPECT_STREQ("stub", gh_state(GH_AUDIO));

	gh_back_to_stub();
	EXPECT_EQ(0, gh_unload("gh_fake_vfio_pci"));
}

TEST_HARNESS_MAIN
