// SPDX-License-Identifier: GPL-2.0
/*
 * handoff_test.c - run-time hand-off through sysfs (issue 3).
 *
 * The dGPU (edu, 01:00.0) and its audio function (ich9-intel-hda, 01:00.1,
 * held as a companion) share one IOMMU group. Writing the dGPU's state
 * moves both; every refusal leaves both as they were.
 */
#include <dirent.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "gh_handoff.h"
#include "gh_nl.h"

static void expect_both(struct __test_metadata *_metadata, const char *state,
			const char *dgpu_drv, const char *audio_drv)
{
	EXPECT_STREQ(state, gh_state(GH_DGPU));
	EXPECT_STREQ(state, gh_state(GH_AUDIO));
	EXPECT_STREQ(dgpu_drv, gh_driver(GH_DGPU));
	EXPECT_STREQ(audio_drv, gh_driver(GH_AUDIO));
}

FIXTURE(stub) {
};

FIXTURE_SETUP(stub) {
	ASSERT_TRUE(gh_back_to_stub());
}

FIXTURE_TEARDOWN(stub) {
	if (!gh_back_to_stub())
		TH_LOG("could not put the dGPU back to stub");
}

TEST_F(stub, blockers_empty_when_group_holds_only_the_set)
{
	EXPECT_STREQ("", gh_blockers_of(GH_DGPU));
	EXPECT_STREQ("", gh_blockers_of(GH_AUDIO));
}

TEST_F(stub, stub_vfio_stub_host_stub_cycles_move_dgpu_with_audio)
{
	int i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, gh_set_state(GH_DGPU, "vfio"));
		expect_both(_metadata, "vfio", "vfio-pci", "vfio-pci");
		EXPECT_STREQ("vfio-pci", gh_override(GH_DGPU));
		EXPECT_STREQ("vfio-pci", gh_override(GH_AUDIO));
		EXPECT_TRUE(gh_exists("/dev/vfio/%d", gh_group_of(GH_DGPU)));

		ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
		expect_both(_metadata, "stub", "gpuhelper", "gpuhelper");
		EXPECT_STREQ("gpuhelper", gh_override(GH_DGPU));

		/* host: edu has no driver, the audio function gets snd_hda_intel */
		ASSERT_EQ(0, gh_set_state(GH_DGPU, "host"));
		expect_both(_metadata, "host", "", "snd_hda_intel");
		EXPECT_STREQ("(null)", gh_override(GH_DGPU));
		EXPECT_STREQ("(null)", gh_override(GH_AUDIO));

		ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
		expect_both(_metadata, "stub", "gpuhelper", "gpuhelper");
	}
}

TEST_F(stub, writing_current_state_is_a_no_op)
{
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub\n"));
	expect_both(_metadata, "stub", "gpuhelper", "gpuhelper");
}

TEST_F(stub, audio_alone_goes_to_host_and_follows_dgpu_to_vfio)
{
	ASSERT_EQ(0, gh_set_state(GH_AUDIO, "host"));
	EXPECT_STREQ("host", gh_state(GH_AUDIO));
	EXPECT_STREQ("snd_hda_intel", gh_driver(GH_AUDIO));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));

	/* by default the dGPU's hand-off takes its audio function along */
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "vfio"));
	expect_both(_metadata, "vfio", "vfio-pci", "vfio-pci");
}

TEST_F(stub, manual_unbind_shows_unbound_and_stub_rebinds)
{
	ASSERT_EQ(0, gh_write("/sys/bus/pci/drivers/gpuhelper/unbind", GH_DGPU));
	EXPECT_STREQ("unbound", gh_state(GH_DGPU));
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
	expect_both(_metadata, "stub", "gpuhelper", "gpuhelper");
}

FIXTURE(garbage) {
};

FIXTURE_VARIANT(garbage) {
	const char *text;
	size_t len;	/* bytes written, NULs included */
};

FIXTURE_VARIANT_ADD(garbage, newline_only) { "\n", 1 };
FIXTURE_VARIANT_ADD(garbage, prefix) { "vfi", 3 };
FIXTURE_VARIANT_ADD(garbage, upper_case) { "VFIO", 4 };
FIXTURE_VARIANT_ADD(garbage, trailing_word) { "vfio now", 8 };
FIXTURE_VARIANT_ADD(garbage, two_newlines) { "vfio\n\n", 6 };
FIXTURE_VARIANT_ADD(garbage, leading_space) { " vfio", 5 };
FIXTURE_VARIANT_ADD(garbage, unbound_not_a_target) { "unbound", 7 };
FIXTURE_VARIANT_ADD(garbage, number) { "2", 1 };
FIXTURE_VARIANT_ADD(garbage, nul_inside) { "vf\0io", 5 };

FIXTURE_SETUP(garbage) {
	ASSERT_TRUE(gh_back_to_stub());
}

FIXTURE_TEARDOWN(garbage) {
	gh_back_to_stub();
}

TEST_F(garbage, state_write_refused_with_einval_nothing_changed)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/gpuhelper/%s/state", GH_DGPU);
	fd = open(path, O_WRONLY);
	ASSERT_LE(0, fd);
	n = write(fd, variant->text, variant->len);
	if (n < 0)
		n = -errno;
	close(fd);
	EXPECT_EQ(-EINVAL, n);
	expect_both(_metadata, "stub", "gpuhelper", "gpuhelper");
	EXPECT_STREQ("gpuhelper", gh_override(GH_DGPU));
}

/*
 * with_audio=0: the audio function is not held and snd_hda_intel takes
 * it, so it is a foreign member of the dGPU's IOMMU group.
 */
FIXTURE(foreign_audio) {
};

FIXTURE_SETUP(foreign_audio) {
	ASSERT_TRUE(gh_back_to_stub());
	ASSERT_EQ(0, gh_unload("gpuhelper"));
	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS " with_audio=0"));
	ASSERT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	ASSERT_EQ(0, gh_system("modprobe snd_hda_intel"));
	gh_write("/sys/bus/pci/drivers_probe", GH_AUDIO);
	ASSERT_STREQ("snd_hda_intel", gh_driver(GH_AUDIO));
}

FIXTURE_TEARDOWN(foreign_audio) {
	gh_write("/sys/bus/pci/drivers/snd_hda_intel/unbind", GH_AUDIO);
	gh_unload("gpuhelper");
	if (gh_load(gh_ko(), GH_GOOD_IDS) || !gh_wait_driver(GH_AUDIO, "gpuhelper", 2000))
		TH_LOG("could not reload gpuhelper with the audio companion");
}

TEST_F(foreign_audio, blockers_name_audio_function_and_its_driver)
{
	EXPECT_NE(NULL, strstr(gh_blockers_of(GH_DGPU),
			       GH_AUDIO " bound to snd_hda_intel shares IOMMU group")) {
		TH_LOG("blockers: '%s'", gh_blockers_of(GH_DGPU));
	}
}

TEST_F(foreign_audio, vfio_refused_with_ebusy_naming_it_nothing_changed)
{
	int mark = gh_kmsg_mark();

	EXPECT_EQ(-EBUSY, gh_set_state(GH_DGPU, "vfio"));
	EXPECT_TRUE(gh_kmsg_since(mark, "hand-off to vfio refused: " GH_AUDIO
				  " bound to snd_hda_intel shares IOMMU group"));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_override(GH_DGPU));
	EXPECT_STREQ("snd_hda_intel", gh_driver(GH_AUDIO));
}

TEST_F(foreign_audio, host_and_stub_still_allowed)
{
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "host"));
	EXPECT_STREQ("host", gh_state(GH_DGPU));
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_STREQ("snd_hda_intel", gh_driver(GH_AUDIO));
}

/*
 * with_audio=0, the dGPU in vfio, then snd_hda_intel takes the audio
 * function: a kernel driver that uses the DMA API now owns the group, so
 * the dGPU cannot leave vfio, and the refusal and the blockers name the
 * audio function and its driver, not "userspace (a VM)".
 */
FIXTURE(audio_driver_owns_group) {
};

FIXTURE_SETUP(audio_driver_owns_group) {
	ASSERT_TRUE(gh_back_to_stub());
	ASSERT_EQ(0, gh_unload("gpuhelper"));
	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS " with_audio=0"));
	ASSERT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	ASSERT_STREQ("", gh_driver(GH_AUDIO));
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "vfio"));
	ASSERT_EQ(0, gh_system("modprobe snd_hda_intel"));
	gh_write("/sys/bus/pci/drivers_probe", GH_AUDIO);
	ASSERT_STREQ("snd_hda_intel", gh_driver(GH_AUDIO));
}

FIXTURE_TEARDOWN(audio_driver_owns_group) {
	gh_write("/sys/bus/pci/drivers/snd_hda_intel/unbind", GH_AUDIO);
	gh_set_state(GH_DGPU, "stub");
	gh_unload("gpuhelper");
	if (gh_load(gh_ko(), GH_GOOD_IDS) || !gh_wait_driver(GH_AUDIO, "gpuhelper", 2000))
		TH_LOG("could not reload gpuhelper with the audio companion");
}

TEST_F(audio_driver_owns_group, leaving_vfio_refused_naming_the_audio_driver)
{
	int mark = gh_kmsg_mark();

	EXPECT_NE(NULL, strstr(gh_blockers_of(GH_DGPU),
			       GH_AUDIO " bound to snd_hda_intel shares IOMMU group")) {
		TH_LOG("blockers: '%s'", gh_blockers_of(GH_DGPU));
	}
	EXPECT_EQ(-EBUSY, gh_set_state(GH_DGPU, "stub"));
	EXPECT_TRUE(gh_kmsg_since(mark, GH_AUDIO " bound to snd_hda_intel shares IOMMU group"));
	EXPECT_FALSE(gh_kmsg_since(mark, "held by userspace"));
	EXPECT_STREQ("vfio", gh_state(GH_DGPU));
	EXPECT_STREQ("vfio-pci", gh_driver(GH_DGPU));
}

/*
 * A host driver whose remove blocks (nvidia waits for its users): while a
 * hand-off from host waits in it, the hot-remove of a PCI device that
 * gpuhelper does not hold (the test device behind 00:03.0), a read of
 * blockers and a DEV_GET complete at once; then the hand-off completes
 * when the driver lets go.
 */
/* Read the dGPU's blockers and DEV_GET it; the time taken, -1 on error. */
static double readers_ms(char *driver, size_t len)
{
	struct timespec t0, t1;
	struct gh_nl_msg m;
	struct gh_nl nl;
	char blk[512];
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = gh_read("/sys/class/gpuhelper/" GH_DGPU "/blockers", blk, sizeof(blk));
	if (!ret)
		ret = gh_nl_open(&nl);
	if (!ret) {
		ret = gh_nl_get(&nl, GH_DGPU, &m);
		if (!ret)
			snprintf(driver, len, "%s", gh_nla_str(m.tb[GPUHELPER_A_DEV_DRIVER]));
		gh_nl_close(&nl);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ret)
		return -1;
	return (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
}

TEST(hot_remove_and_readers_do_not_wait_for_a_blocked_handoff)
{
	struct timespec t0, t1;
	char bdf[16] = "", path[96], driver[64];
	pid_t pid;
	int status;
	double ms;

	ASSERT_EQ(0, gh_child_of("0000:00:03.0", bdf, sizeof(bdf)));

	ASSERT_TRUE(gh_back_to_stub());
	ASSERT_EQ(0, gh_system("modprobe gh_rival"));
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "host"));
	ASSERT_STREQ("gh_rival", gh_driver(GH_DGPU));
	ASSERT_EQ(0, gh_write("/sys/module/gh_rival/parameters/block_remove", "Y"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(gh_set_state(GH_DGPU, "stub") ? 1 : 0);
	gh_msleep(300);		/* the hand-off now waits in the rival's remove */

	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", bdf);
	EXPECT_EQ(0, gh_write(path, "1"));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	TH_LOG("hot-remove of %s during the blocked hand-off: %.0f ms", bdf, ms);
	EXPECT_LT(ms, 1000);
	EXPECT_FALSE(gh_exists("/sys/bus/pci/devices/%s", bdf));

	/* readers work from snapshots: blockers and DEV_GET answer now */
	ms = readers_ms(driver, sizeof(driver));
	TH_LOG("blockers and DEV_GET during the blocked hand-off: %.0f ms", ms);
	EXPECT_LE(0, ms);
	EXPECT_LT(ms, 1000);
	/* still bound to the rival: its remove has not returned */
	EXPECT_STREQ("gh_rival", driver);

	ASSERT_EQ(0, gh_write("/sys/module/gh_rival/parameters/block_remove", "N"));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	gh_unload("gh_rival");
	ASSERT_EQ(0, gh_write("/sys/bus/pci/rescan", "1"));
	EXPECT_TRUE(gh_exists("/sys/bus/pci/devices/%s", bdf));
}

TEST_HARNESS_MAIN
