// SPDX-License-Identifier: GPL-2.0
/*
 * ids_test.c - the ids= parser shared by gpuhelper.ko and the CLI.
 */
#include "kselftest_harness.h"
#include "ids.h"

FIXTURE(bad_ids) {
};

FIXTURE_VARIANT(bad_ids) {
	const char *ids;
	int err;
	unsigned int index;
};

FIXTURE_SETUP(bad_ids) {
}

FIXTURE_TEARDOWN(bad_ids) {
}

FIXTURE_VARIANT_ADD(bad_ids, vendor_only) { .ids = "10de", .err = -EINVAL };
FIXTURE_VARIANT_ADD(bad_ids, three_fields) { .ids = "10de:1c8d:17aa", .err = -EINVAL };
FIXTURE_VARIANT_ADD(bad_ids, five_fields) { .ids = "10de:1c8d:17aa:39d1:030200", .err = -EINVAL };
FIXTURE_VARIANT_ADD(bad_ids, seven_fields) { .ids = "1:2:3:4:5:5:7", .err = -EINVAL };
FIXTURE_VARIANT_ADD(bad_ids, not_hex) { .ids = "10de:1c8g", .err = -EINVAL };
FIXTURE_VARIANT_ADD(bad_ids, too_long_field) { .ids = "10de0:1c8d", .err = -EINVAL };
FIXTURE_VARIANT_ADD(bad_ids, empty_field) { .ids = "10de::1c8d", .err = -EINVAL };
FIXTURE_VARIANT_ADD(bad_ids, trailing_colon) { .ids = "10de:1c8d:", .err = -EINVAL };
FIXTURE_VARIANT_ADD(bad_ids, trailing_comma) { .ids = "10de:1c8d,", .err = -EINVAL, .index = 1 };
FIXTURE_VARIANT_ADD(bad_ids, empty_entry) { .ids = "10de:1c8d,,8086:293e", .err = -EINVAL, .index = 1 };
FIXTURE_VARIANT_ADD(bad_ids, second_bad) { .ids = "10de:1c8d,8086:zz", .err = -EINVAL, .index = 1 };
FIXTURE_VARIANT_ADD(bad_ids, any_vendor) { .ids = "ffff:1c8d", .err = -EINVAL };
FIXTURE_VARIANT_ADD(bad_ids, class_outside_mask) { .ids = "10de:1c8d:ffff:ffff:030200:ff0000", .err = -EINVAL };
FIXTURE_VARIANT_ADD(bad_ids, whitespace) { .ids = "10de: 1c8d", .err = -EINVAL };
FIXTURE_VARIANT_ADD(bad_ids, negative) { .ids = "-10de:1c8d", .err = -EINVAL };
FIXTURE_VARIANT_ADD(bad_ids, too_many) {
	.ids = "1:1,1:2,1:3,1:4,1:5,1:6,1:7,1:8,1:9,1:a,1:b,1:c,1:d,1:e,1:f,1:10,1:11",
	.err = -E2BIG, .index = 16 };

TEST_F(bad_ids, rejected_whole_with_the_bad_entry_named)
{
	struct gh_id ids[GH_IDS_MAX];
	struct gh_list_error err = { 0 };
	unsigned int nr = 99;

	memset(ids, 0x5a, sizeof(ids));
	ASSERT_EQ(variant->err, gh_ids_parse(variant->ids, ids, GH_IDS_MAX, &nr, &err));
	EXPECT_EQ(99, nr);		/* nothing half-applied */
	EXPECT_EQ(0x5a5a5a5a, ids[0].vendor);
	EXPECT_EQ(variant->index, err.index);
	EXPECT_NE(NULL, err.reason);
}

TEST(good_ids_all_forms)
{
	struct gh_id ids[GH_IDS_MAX];
	unsigned int nr;
	char buf[64];

	ASSERT_EQ(0, gh_ids_parse("10de:1c8d,10DE:0fb9:17aa:39d1,8086:591b:ffff:ffff:030000:ff0000\n",
				  ids, GH_IDS_MAX, &nr, NULL));
	ASSERT_EQ(3, nr);
	EXPECT_EQ(0x10de, ids[0].vendor);
	EXPECT_EQ(0x1c8d, ids[0].device);
	EXPECT_EQ(GH_ID_ANY, ids[0].subvendor);
	EXPECT_EQ(0x17aa, ids[1].subvendor);
	EXPECT_EQ(0x39d1, ids[1].subdevice);
	EXPECT_EQ(GH_ID_ANY, ids[2].subvendor);
	EXPECT_EQ(0x030000, ids[2].class);
	EXPECT_EQ(0xff0000, ids[2].class_mask);

	gh_id_format(&ids[1], buf, sizeof(buf));
	EXPECT_STREQ("10de:0fb9:17aa:39d1", buf);
	gh_id_format(&ids[0], buf, sizeof(buf));
	EXPECT_STREQ("10de:1c8d", buf);
}

TEST(empty_list_is_valid)
{
	struct gh_id ids[GH_IDS_MAX];
	unsigned int nr = 5;

	ASSERT_EQ(0, gh_ids_parse("", ids, GH_IDS_MAX, &nr, NULL));
	EXPECT_EQ(0, nr);
}

TEST(match_subsystem_and_class)
{
	struct gh_id ids[2];
	unsigned int nr;

	ASSERT_EQ(0, gh_ids_parse("10de:1c8d:17aa:39d1,8086:293e:ffff:ffff:040300:ffff00",
				  ids, 2, &nr, NULL));
	EXPECT_TRUE(gh_id_match(&ids[0], 0x10de, 0x1c8d, 0x17aa, 0x39d1, 0x030200));
	EXPECT_FALSE(gh_id_match(&ids[0], 0x10de, 0x1c8d, 0x17aa, 0x39d2, 0x030200));
	EXPECT_FALSE(gh_id_match(&ids[0], 0x10de, 0x1c8c, 0x17aa, 0x39d1, 0x030200));
	EXPECT_TRUE(gh_id_match(&ids[1], 0x8086, 0x293e, 0x1af4, 0x1100, 0x040300));
	EXPECT_FALSE(gh_id_match(&ids[1], 0x8086, 0x293e, 0x1af4, 0x1100, 0x040100));
}

TEST_HARNESS_MAIN
