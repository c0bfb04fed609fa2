// SPDX-License-Identifier: GPL-2.0
/*
 * modload_test.c - module parameters and unload (issue: foundation).
 *
 * Every case starts with gpuhelper unloaded and ends by loading it again
 * with the guest's good ids=, as the programs after it expect.
 */
#include "kselftest_harness.h"
#include "gh_handoff.h"

static void assert_dgpu_clean(struct __test_metadata *_metadata)
{
	char buf[64];

	EXPECT_STREQ("", gh_driver(GH_DGPU));
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf),
			      "/sys/bus/pci/devices/%s/driver_override", GH_DGPU));
	EXPECT_STREQ("(null)", buf);
	EXPECT_FALSE(gh_exists("/sys/class/gpuhelper"));
	EXPECT_FALSE(gh_exists("/sys/module/gpuhelper"));
}

FIXTURE(unloaded) {
};

FIXTURE_SETUP(unloaded) {
	int ret = gh_unload("gpuhelper");

	ASSERT_TRUE(ret == 0 || ret == -ENOENT);
}

FIXTURE_TEARDOWN(unloaded) {
	gh_unload("gpuhelper");
	if (gh_load(gh_ko(), GH_GOOD_IDS) || !gh_wait_driver(GH_DGPU, "gpuhelper", 2000))
		TH_LOG("could not reload gpuhelper for the next test");
}

TEST_F(unloaded, rmmod_left_dgpu_unbound_and_clean)
{
	assert_dgpu_clean(_metadata);
}

/*
 * The claim udev rule pins the dGPU before gpuhelper loads (issue 15): a
 * function whose driver_override names gpuhelper is held at probe even
 * when ids= does not list it (the PCI core offers it to the driver its
 * override names), with a class directory in state stub; the unload
 * releases it clean.
 */
TEST_F(unloaded, driver_override_set_before_load_is_held_without_ids)
{
	char buf[64];

	ASSERT_EQ(0, gh_write("/sys/bus/pci/devices/" GH_DGPU "/driver_override", "gpuhelper"));
	ASSERT_EQ(0, gh_load(gh_ko(), ""));
	ASSERT_TRUE(gh_wait_driver(GH_DGPU, "gpuhelper", 2000));
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/class/gpuhelper/%s/state", GH_DGPU));
	EXPECT_STREQ("stub", buf);
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/class/gpuhelper/%s/role", GH_DGPU));
	EXPECT_STREQ("dgpu", buf);
	ASSERT_EQ(0, gh_unload("gpuhelper"));
	assert_dgpu_clean(_metadata);
}

TEST_F(unloaded, repeated_load_unload_claims_and_releases)
{
	int i;

	for (i = 0; i < 10; i++) {
		ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS));
		ASSERT_TRUE(gh_wait_driver(GH_DGPU, "gpuhelper", 2000));
		ASSERT_TRUE(gh_exists("/sys/class/gpuhelper/%s", GH_DGPU));
		ASSERT_EQ(0, gh_unload("gpuhelper"));
		ASSERT_STREQ("", gh_driver(GH_DGPU));
	}
	assert_dgpu_clean(_metadata);
}

TEST_F(unloaded, ids_param_reads_back_canonical)
{
	char buf[128];

	ASSERT_EQ(0, gh_load(gh_ko(), "ids=1234:11E8:ffff:ffff,1234:1111:1af4:1100"));
	ASSERT_EQ(0, gh_read("/sys/module/gpuhelper/parameters/ids", buf, sizeof(buf)));
	EXPECT_STREQ("1234:11e8,1234:1111:1af4:1100", buf);
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
}

TEST_F(unloaded, subsystem_mismatch_claims_nothing)
{
	ASSERT_EQ(0, gh_load(gh_ko(), "ids=1234:11e8:17aa:39d1"));
	EXPECT_STREQ("", gh_driver(GH_DGPU));
	EXPECT_FALSE(gh_exists("/sys/class/gpuhelper/%s", GH_DGPU));
}

TEST_F(unloaded, with_audio_off_leaves_audio_function_alone)
{
	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS " with_audio=0"));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_STRNE("gpuhelper", gh_driver(GH_AUDIO));
	EXPECT_FALSE(gh_exists("/sys/class/gpuhelper/%s", GH_AUDIO));
}

TEST_F(unloaded, rmmod_releases_audio_companion_too)
{
	char buf[64];

	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS));
	ASSERT_STREQ("gpuhelper", gh_driver(GH_AUDIO));
	ASSERT_EQ(0, gh_unload("gpuhelper"));
	EXPECT_STREQ("", gh_driver(GH_AUDIO));
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf),
			      "/sys/bus/pci/devices/%s/driver_override", GH_AUDIO));
	EXPECT_STREQ("(null)", buf);
}

FIXTURE(bad_ids) {
};

FIXTURE_VARIANT(bad_ids) {
	const char *params;
	int err;
	const char *msg;	/* the kernel log line names the entry and why */
};

FIXTURE_SETUP(bad_ids) {
	int ret = gh_unload("gpuhelper");

	ASSERT_TRUE(ret == 0 || ret == -ENOENT);
}

FIXTURE_TEARDOWN(bad_ids) {
	gh_unload("gpuhelper");
	if (gh_load(gh_ko(), GH_GOOD_IDS) || !gh_wait_driver(GH_DGPU, "gpuhelper", 2000))
		TH_LOG("could not reload gpuhelper for the next test");
}

FIXTURE_VARIANT_ADD(bad_ids, vendor_only) { "ids=1234", -EINVAL, "entry 1 '1234' rejected: expected vendor:device" };
FIXTURE_VARIANT_ADD(bad_ids, not_hex) { "ids=1234:11eg", -EINVAL, "entry 1 '1234:11eg' rejected" };
FIXTURE_VARIANT_ADD(bad_ids, three_fields) { "ids=1234:11e8:1af4", -EINVAL, "entry 1 '1234:11e8:1af4' rejected" };
FIXTURE_VARIANT_ADD(bad_ids, good_then_bad) { "ids=1234:11e8,zz:11e8", -EINVAL, "entry 2 'zz:11e8' rejected" };
FIXTURE_VARIANT_ADD(bad_ids, trailing_comma) { "ids=1234:11e8,", -EINVAL, "rejected: empty entry" };
FIXTURE_VARIANT_ADD(bad_ids, field_too_long) { "ids=12345:11e8", -EINVAL, "'12345:11e8' rejected: vendor, device" };
FIXTURE_VARIANT_ADD(bad_ids, embedded_space) { "ids=\"1234: 11e8\"", -EINVAL, "'1234: 11e8' rejected" };
FIXTURE_VARIANT_ADD(bad_ids, too_many_entries) {
	"ids=1:1,1:2,1:3,1:4,1:5,1:6,1:7,1:8,1:9,1:a,1:b,1:c,1:d,1:e,1:f,1:10,1234:11e8",
	-E2BIG, "more than 16 entries" };
FIXTURE_VARIANT_ADD(bad_ids, ffff_is_not_an_id) {
	"ids=ffff:11e8", -EINVAL, "vendor and device must be real IDs" };
FIXTURE_VARIANT_ADD(bad_ids, class_outside_mask) {
	"ids=1234:11e8:ffff:ffff:030000:00ff00", -EINVAL, "class has bits outside class_mask" };
FIXTURE_VARIANT_ADD(bad_ids, empty_entry_first) { "ids=,1234:11e8", -EINVAL, "rejected: empty entry" };
FIXTURE_VARIANT_ADD(bad_ids, with_audio_not_a_bool) {
	GH_GOOD_IDS " with_audio=maybe", -EINVAL, "invalid for parameter" };
FIXTURE_VARIANT_ADD(bad_ids, claim_boot_vga_not_a_bool) {
	GH_GOOD_IDS " claim_boot_vga=2", -EINVAL, "invalid for parameter" };

TEST_F(bad_ids, load_refused_and_nothing_claimed)
{
	int mark = gh_kmsg_mark();
	int ret = gh_load(gh_ko(), variant->params);

	EXPECT_EQ(variant->err, ret) {
		TH_LOG("load with '%s' returned %d", variant->params, ret);
	}
	EXPECT_TRUE(gh_kmsg_since(mark, variant->msg)) {
		TH_LOG("no kernel log line with '%s'", variant->msg);
	}
	assert_dgpu_clean(_metadata);
}

TEST_HARNESS_MAIN
