// SPDX-License-Identifier: GPL-2.0
/*
 * claimrule_test.c - the claim rule host-config writes from ids=
 * (userspace/host/hostconfig_udev.c). Its behaviour under the real udev,
 * in the initramfs and the real root, is tests/boot/run's.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#undef ARRAY_SIZE	/* kselftest.h has one; hostconfig_priv.h its own */
#include "host/hostconfig_priv.h"

static unsigned int count(const char *s, const char *what)
{
	unsigned int n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

TEST(full_ids_entry_matches_all_four_ids_on_add_only)
{
	char *notes = NULL, *r = hc_claim_rule("10de:1c8d:17aa:39d1", &notes);

	ASSERT_NE(NULL, r);
	EXPECT_TRUE(!strncmp(r, GH_HC_HEADER, strlen(GH_HC_HEADER)));
	EXPECT_NE(NULL, strstr(r, "ACTION!=\"add\", GOTO=\"gpuhelper_claim_end\"\n"));
	EXPECT_NE(NULL, strstr(r, "SUBSYSTEM!=\"pci\", GOTO=\"gpuhelper_claim_end\"\n"));
	EXPECT_NE(NULL, strstr(r, "ATTR{boot_vga}==\"1\", GOTO=\"gpuhelper_claim_end\"\n"));
	EXPECT_NE(NULL, strstr(r, "\nATTR{vendor}==\"0x10de\", ATTR{device}==\"0x1c8d\", "
			       "ATTR{subsystem_vendor}==\"0x17aa\", "
			       "ATTR{subsystem_device}==\"0x39d1\", GOTO=\"gpuhelper_claim\"\n"));
	EXPECT_NE(NULL, strstr(r, "LABEL=\"gpuhelper_claim\"\nATTR{driver_override}=\"gpuhelper\", "
			       "RUN{builtin}+=\"kmod load gpuhelper\"\nLABEL=\"gpuhelper_claim_end\"\n"));
	/* the boot VGA and non-add events jump past the override */
	EXPECT_LT(strstr(r, "ATTR{boot_vga}"), strstr(r, "ATTR{driver_override}"));
	EXPECT_EQ(NULL, notes);
	free(r);
}

TEST(vendor_device_entry_matches_any_subsystem)
{
	char *notes = NULL, *r = hc_claim_rule("10de:1c8d,8086:293e", &notes);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(2, count(r, "GOTO=\"gpuhelper_claim\"\n"));
	EXPECT_EQ(0, count(r, "subsystem_vendor"));
	EXPECT_NE(NULL, strstr(r, "\nATTR{vendor}==\"0x8086\", ATTR{device}==\"0x293e\", GOTO="));
	free(r);
	free(notes);
}

TEST(class_with_whole_digit_mask_is_a_glob)
{
	char *notes = NULL;
	char *r = hc_claim_rule("10de:1c8d:ffff:ffff:030000:ffff00", &notes);

	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "\nATTR{vendor}==\"0x10de\", ATTR{device}==\"0x1c8d\", "
			       "ATTR{class}==\"0x0300??\", GOTO="));
	EXPECT_EQ(0, count(r, "ATTR{subsystem_"));
	EXPECT_EQ(NULL, notes);
	free(r);
}

TEST(class_mask_splitting_a_digit_is_left_out_with_a_note)
{
	char *notes = NULL;
	char *r = hc_claim_rule("10de:1c8d,10de:1c8e:ffff:ffff:030000:ff8000", &notes);

	ASSERT_NE(NULL, r);
	EXPECT_EQ(1, count(r, "GOTO=\"gpuhelper_claim\"\n"));
	ASSERT_NE(NULL, notes);
	EXPECT_NE(NULL, strstr(notes, "splits a hex digit"));
	free(r);
	free(notes);
}

TEST(unparsable_ids_give_no_rule)
{
	char *notes = NULL;

	EXPECT_EQ(NULL, hc_claim_rule("10de:zz", &notes));
	EXPECT_EQ(NULL, hc_claim_rule("", &notes));
}

TEST_HARNESS_MAIN
