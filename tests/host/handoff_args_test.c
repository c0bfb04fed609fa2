// SPDX-License-Identifier: GPL-2.0
/*
 * handoff_args_test.c - gpuhelper handoff's arguments and the messages it
 * prints when the module refuses (issue 3).
 */
#include <errno.h>

#include "kselftest_harness.h"
#include "module/handoff_args.h"

#define ARGV(...) ((char *[]){ "handoff", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "handoff", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, err, ...) gh_handoff_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o, err, sizeof(err))

TEST(defaults_to_vfio_with_module_audio_default)
{
	struct gh_handoff_opts o;
	char err[256];

	ASSERT_EQ(0, PARSE(&o, err, "01:00.0"));
	EXPECT_STREQ("0000:01:00.0", o.bdf);
	EXPECT_EQ(GPUHELPER_STATE_VFIO, o.to);
	EXPECT_EQ(-1, o.with_audio);
	EXPECT_FALSE(o.dry_run);
}

TEST(force_is_off_unless_asked)
{
	struct gh_handoff_opts o;
	char err[256];

	ASSERT_EQ(0, PARSE(&o, err, "01:00.0"));
	EXPECT_FALSE(o.force);
	ASSERT_EQ(0, PARSE(&o, err, "--force", "--to=stub", "01:00.0"));
	EXPECT_TRUE(o.force);
	EXPECT_EQ(GPUHELPER_STATE_STUB, o.to);
}

TEST(to_states_and_audio_flags)
{
	struct gh_handoff_opts o;
	char err[256];

	ASSERT_EQ(0, PARSE(&o, err, "--to", "host", "--without-audio", "0000:01:00.0"));
	EXPECT_EQ(GPUHELPER_STATE_HOST, o.to);
	EXPECT_EQ(0, o.with_audio);
	ASSERT_EQ(0, PARSE(&o, err, "--dry-run", "--with-audio", "--to", "stub", "0000:0a:1f.7"));
	EXPECT_EQ(GPUHELPER_STATE_STUB, o.to);
	EXPECT_EQ(1, o.with_audio);
	EXPECT_TRUE(o.dry_run);
	EXPECT_STREQ("0000:0a:1f.7", o.bdf);
}

TEST(bad_arguments_say_what_is_wrong)
{
	struct gh_handoff_opts o;
	char err[256];

	EXPECT_EQ(-EINVAL, PARSE(&o, err, "--to", "unbound", "01:00.0"));
	EXPECT_STREQ("--to unbound: not a state; use vfio, stub or host", err);
	EXPECT_EQ(-EINVAL, PARSE(&o, err, "01:00.0", "--to"));
	EXPECT_STREQ("--to needs a value (vfio|stub|host)", err);
	EXPECT_EQ(-EINVAL, PARSE(&o, err, "--forced", "01:00.0"));
	EXPECT_STREQ("unknown option '--forced'", err);
	EXPECT_EQ(-EINVAL, PARSE(&o, err, "01:00.0", "01:00.1"));
	EXPECT_STREQ("one device only ('0000:01:00.0' and '01:00.1')", err);
	EXPECT_EQ(-EINVAL, PARSE(&o, err, "01:20.0"));
	EXPECT_STREQ("'01:20.0' is not a PCI address like 0000:01:00.0", err);
	EXPECT_EQ(-EINVAL, PARSE(&o, err, "--dry-run"));
	EXPECT_STREQ("which device? e.g. gpuhelper handoff --to vfio 0000:01:00.0", err);
}

TEST(bdf_forms)
{
	char out[20];

	EXPECT_EQ(0, gh_bdf_normalize("1:0.1", out, sizeof(out)));
	EXPECT_STREQ("0000:01:00.1", out);
	EXPECT_EQ(0, gh_bdf_normalize("10000:e1:00.0", out, sizeof(out)));
	EXPECT_STREQ("10000:e1:00.0", out);	/* VMD domains are 5 digits */
	EXPECT_EQ(-EINVAL, gh_bdf_normalize("01:00.8", out, sizeof(out)));
	EXPECT_EQ(-EINVAL, gh_bdf_normalize("01:00.0x", out, sizeof(out)));
	EXPECT_EQ(-EINVAL, gh_bdf_normalize("0000:01:00.0 ", out, sizeof(out)));
	EXPECT_EQ(-EINVAL, gh_bdf_normalize("", out, sizeof(out)));
}

static const struct gh_nl_dev laptop[] = {
	{ .bdf = "0000:01:00.0", .state = GPUHELPER_STATE_STUB, .role = GPUHELPER_ROLE_DGPU,
	  .iommu_group = 1, .driver = "gpuhelper" },
	{ .bdf = "0000:01:00.1", .state = GPUHELPER_STATE_HOST, .role = GPUHELPER_ROLE_AUDIO,
	  .iommu_group = 1, .driver = "snd_hda_intel", .primary = "0000:01:00.0" },
};

TEST(without_audio_refusal_names_audio_function_and_driver)
{
	struct gh_handoff_opts o = { .bdf = "0000:01:00.0", .to = GPUHELPER_STATE_VFIO,
				     .with_audio = 0 };
	char buf[1024];

	gh_handoff_explain(&o, -EBUSY, "hand-off refused: see the device's blockers and the kernel log",
			   laptop, 2, buf, sizeof(buf));
	EXPECT_STREQ("gpuhelper: 0000:01:00.0 is in IOMMU group 1 with 0000:01:00.1 (snd_hda_intel): hand it off too, or pass --with-audio\n",
		     buf);
}

TEST(foreign_blocker_is_quoted_from_the_module)
{
	struct gh_nl_dev devs[1] = { laptop[0] };
	struct gh_handoff_opts o = { .bdf = "0000:01:00.0", .to = GPUHELPER_STATE_VFIO,
				     .with_audio = -1 };
	char buf[1024];

	devs[0].nblockers = 1;
	strcpy(devs[0].blockers[0], "0000:01:00.1 bound to snd_hda_intel shares IOMMU group 1: hand it off too, or unbind it from its driver");
	gh_handoff_explain(&o, -EBUSY, "", devs, 1, buf, sizeof(buf));
	EXPECT_STREQ("gpuhelper: cannot hand 0000:01:00.0 to vfio: 0000:01:00.1 bound to snd_hda_intel shares IOMMU group 1: hand it off too, or unbind it from its driver\n",
		     buf);
}

TEST(vm_holding_the_group_is_said_plainly)
{
	struct gh_nl_dev devs[1] = { laptop[0] };
	struct gh_handoff_opts o = { .bdf = "0000:01:00.0", .to = GPUHELPER_STATE_STUB };
	char buf[1024];

	devs[0].state = GPUHELPER_STATE_VFIO;
	gh_handoff_explain(&o, -EBUSY, "", devs, 1, buf, sizeof(buf));
	EXPECT_STREQ("gpuhelper: 0000:01:00.0 is in use by a VM (IOMMU group 1 is held by userspace): shut the VM down first\n",
		     buf);
}

TEST(permission_module_and_unknown_device)
{
	struct gh_handoff_opts o = { .bdf = "0000:02:00.0", .to = GPUHELPER_STATE_VFIO };
	char buf[1024];

	gh_handoff_explain(&o, -EPERM, "", laptop, 2, buf, sizeof(buf));
	EXPECT_STREQ("gpuhelper: handing 0000:02:00.0 off needs root (CAP_NET_ADMIN): run it with sudo\n", buf);
	gh_handoff_explain(&o, -ENOENT, "", NULL, 0, buf, sizeof(buf));
	EXPECT_STREQ("gpuhelper: the gpuhelper module is not loaded: modprobe gpuhelper (see gpuhelper host-config)\n", buf);
	gh_handoff_explain(&o, -ENODEV, "", laptop, 2, buf, sizeof(buf));
	EXPECT_STREQ("gpuhelper: 0000:02:00.0 is not held by gpuhelper: add its IDs to ids= (gpuhelper host-config) and reload the module\n", buf);
	gh_handoff_explain(&o, -EIO, "0000:02:00.0 did not bind to vfio-pci (-5): see the kernel log",
			   laptop, 2, buf, sizeof(buf));
	EXPECT_STREQ("gpuhelper: handing 0000:02:00.0 to vfio failed: Input/output error: 0000:02:00.0 did not bind to vfio-pci (-5): see the kernel log; nothing was changed\n", buf);
}

TEST(small_buffer_is_truncated_not_overrun)
{
	struct gh_handoff_opts o = { .bdf = "0000:01:00.0", .to = GPUHELPER_STATE_VFIO,
				     .with_audio = 0 };
	char buf[16];

	memset(buf, 'x', sizeof(buf));
	gh_handoff_explain(&o, -EBUSY, "", laptop, 2, buf, 8);
	EXPECT_EQ(7, strlen(buf));
	EXPECT_EQ('x', buf[8]);
}

TEST_HARNESS_MAIN
