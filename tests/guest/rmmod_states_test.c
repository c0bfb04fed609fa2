// SPDX-License-Identifier: GPL-2.0
/*
 * rmmod_states_test.c - unloading gpuhelper, and removing and rescanning
 * the dGPU, in every state (issue 8).
 *
 * States: stub, vfio, host, unbound (a manual unbind), with an mdev
 * declared on the fake GVT-g parent (tests/kmod/gh_fake_gvt.ko), and with
 * a netlink listener subscribed to the events group. In each:
 *  - rmmod: the dGPU and its audio function end bound to a sane driver
 *    or none, no driver_override names gpuhelper, /sys/class/gpuhelper and
 *    the driver are gone, and loading the module again claims the dGPU;
 *  - remove + rescan of the dGPU, then of both functions: the class
 *    directories go with the functions and come back with them, no entry
 *    is stale, the functions end bound to gpuhelper again (the override
 *    is set when a function appears, whatever state it left in).
 * The kernel log gains no splat.
 */
#include <dirent.h>
#include <grp.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "gh_handoff.h"
#include "gh_nl.h"

#define IGPU_CLS	"/sys/class/gpuhelper/" GH_IGPU
#define U1		"af5972fb-5530-41a7-0000-fd8362044461"

static bool sane_driver(const char *bdf)
{
	const char *d = gh_driver(bdf);

	return !*d || !strcmp(d, "gpuhelper") || !strcmp(d, "vfio-pci") ||
	       (!strcmp(bdf, GH_AUDIO) && !strcmp(d, "snd_hda_intel"));
}

/* Every entry of /sys/class/gpuhelper resolves; returns their number. */
static int class_entries(bool *stale)
{
	DIR *d = opendir("/sys/class/gpuhelper");
	struct dirent *e;
	struct stat st;
	char path[300];
	int n = 0;

	*stale = false;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/gpuhelper/%s/uevent", e->d_name);
		if (stat(path, &st))
			*stale = true;
		n++;
	}
	closedir(d);
	return n;
}

static bool splat_since(int fd)
{
	return gh_kmsg_since(fd, "WARNING:");
}

static bool wait_path(bool want, const char *path, unsigned int ms)
{
	for (;;) {
		if (gh_exists("%s", path) == want)
			return true;
		if (ms < 20)
			return false;
		gh_msleep(20);
		ms -= 20;
	}
}

FIXTURE(states) {
	struct gh_nl listener;
	bool listening;
	bool gvt;
	int kmsg;
};

FIXTURE_VARIANT(states) {
	const char *state;	/* where the dGPU is */
	bool mdev;		/* an mdev declared on the fake GVT-g parent */
	bool listener;		/* a netlink events listener */
};

FIXTURE_VARIANT_ADD(states, stub) { "stub", false, false };
FIXTURE_VARIANT_ADD(states, vfio) { "vfio", false, false };
FIXTURE_VARIANT_ADD(states, host) { "host", false, false };
FIXTURE_VARIANT_ADD(states, unbound) { "unbound", false, false };
FIXTURE_VARIANT_ADD(states, stub_with_mdev) { "stub", true, false };
FIXTURE_VARIANT_ADD(states, vfio_with_listener) { "vfio", false, true };
FIXTURE_VARIANT_ADD(states, host_with_mdev_and_listener) { "host", true, true };

FIXTURE_SETUP(states) {
	int i, ret = 0;

	ASSERT_TRUE(gh_back_to_stub());
	self->kmsg = gh_kmsg_mark();
	if (variant->mdev) {
		ASSERT_EQ(0, gh_system("modprobe gh_fake_gvt"));
		self->gvt = true;
		ASSERT_TRUE(wait_path(true, IGPU_CLS "/create", 2000));
		/*
		 * No executor runs here: the mdev stays declared, pending.
		 * The class directory can appear a moment before the parent's
		 * types are registered (-ENODEV): retry for up to 2 s.
		 */
		for (i = 0; i < 100; i++) {
			ret = gh_write(IGPU_CLS "/create", "i915-GVTg_V5_4 " U1);
			if (ret != -ENODEV)
				break;
			gh_msleep(20);
		}
		ASSERT_EQ(0, ret);
	}
	if (variant->listener) {
		ASSERT_EQ(0, gh_nl_open(&self->listener));
		ASSERT_EQ(0, gh_nl_subscribe(&self->listener));
		self->listening = true;
	}
	if (!strcmp(variant->state, "unbound")) {
		ASSERT_EQ(0, gh_write("/sys/bus/pci/drivers/gpuhelper/unbind", GH_DGPU));
	} else {
		ASSERT_EQ(0, gh_set_state(GH_DGPU, variant->state));
	}
	ASSERT_STREQ(variant->state, gh_state(GH_DGPU));
}

FIXTURE_TEARDOWN(states) {
	if (self->listening)
		gh_nl_close(&self->listener);
	if (!gh_exists("/sys/module/gpuhelper"))
		gh_load(gh_ko(), GH_GOOD_IDS);
	gh_system("echo 1 > /sys/bus/pci/rescan");
	if (self->gvt) {
		/* a declaration outlives its parent (state "waiting"): drop it */
		gh_write(IGPU_CLS "/remove", U1);
		gh_unload("gh_fake_gvt");
	}
	if (!gh_back_to_stub()) {
		/* reload from scratch, as the programs after us expect */
		gh_unload("gpuhelper");
		gh_load(gh_ko(), GH_GOOD_IDS);
		if (!gh_back_to_stub())
			TH_LOG("could not put the dGPU back to stub");
	}
	EXPECT_FALSE(splat_since(self->kmsg));
}

TEST_F(states, rmmod_leaves_sane_drivers_no_stale_sysfs_and_reloads)
{
	bool stale;
	struct gh_nl_msg m;
	char buf[64];

	/* the hand-off of the setup was reported; take those events first */
	while (self->listening && !gh_nl_next_event(&self->listener, &m, 200))
		;
	ASSERT_EQ(0, gh_unload("gpuhelper"));
	EXPECT_FALSE(gh_exists("/sys/class/gpuhelper"));
	EXPECT_FALSE(gh_exists("/sys/bus/pci/drivers/gpuhelper"));
	EXPECT_FALSE(gh_exists("/sys/module/gpuhelper"));
	for (int i = 0; i < 2; i++) {
		const char *bdf = i ? GH_AUDIO : GH_DGPU;

		EXPECT_TRUE(sane_driver(bdf)) TH_LOG("%s bound to %s", bdf, gh_driver(bdf));
		ASSERT_EQ(0, gh_readf(buf, sizeof(buf),
				      "/sys/bus/pci/devices/%s/driver_override", bdf));
		EXPECT_STRNE("gpuhelper", buf);
	}
	/* vfio stays vfio: a VM may still want it; the rest is released */
	if (!strcmp(variant->state, "vfio")) {
		EXPECT_STREQ("vfio-pci", gh_driver(GH_DGPU));
	} else {
		EXPECT_STREQ("", gh_driver(GH_DGPU));
	}
	/* the family went away under the socket: nothing, no crash */
	if (self->listening)
		EXPECT_EQ(-EAGAIN, gh_nl_next_event(&self->listener, &m, 100));

	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS));
	EXPECT_EQ(2 + (self->gvt ? 1 : 0), class_entries(&stale));
	EXPECT_FALSE(stale);
	EXPECT_TRUE(gh_back_to_stub());
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_override(GH_DGPU));
}

static void remove_rescan(struct __test_metadata *_metadata, bool whole_slot)
{
	bool stale;

	ASSERT_EQ(0, gh_write("/sys/bus/pci/devices/" GH_DGPU "/remove", "1"));
	if (whole_slot)
		ASSERT_EQ(0, gh_write("/sys/bus/pci/devices/" GH_AUDIO "/remove", "1"));
	EXPECT_FALSE(gh_exists("/sys/class/gpuhelper/%s", GH_DGPU));
	EXPECT_EQ(!whole_slot, gh_exists("/sys/class/gpuhelper/%s", GH_AUDIO));
	class_entries(&stale);
	EXPECT_FALSE(stale);
	if (!whole_slot) {
		EXPECT_TRUE(sane_driver(GH_AUDIO));
	}

	ASSERT_EQ(0, gh_write("/sys/bus/pci/rescan", "1"));
	ASSERT_TRUE(gh_wait_driver(GH_DGPU, "gpuhelper", 3000))
		TH_LOG("dGPU came back bound to '%s'", gh_driver(GH_DGPU));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	EXPECT_STREQ("dgpu", ({ static char r[16]; gh_readf(r, sizeof(r),
		     "/sys/class/gpuhelper/%s/role", GH_DGPU); r; }));
	if (whole_slot) {
		EXPECT_TRUE(gh_wait_driver(GH_AUDIO, "gpuhelper", 3000));
		EXPECT_STREQ("stub", gh_state(GH_AUDIO));
	}
	class_entries(&stale);
	EXPECT_FALSE(stale);
	EXPECT_TRUE(gh_back_to_stub());
}

TEST_F(states, remove_and_rescan_dgpu_reclaims_it)
{
	remove_rescan(_metadata, false);
}

TEST_F(states, remove_and_rescan_whole_slot_reclaims_both)
{
	remove_rescan(_metadata, true);
}

/*
 * Unprivileged MDEV_GET requests (dumps and single gets) in a loop while
 * gpuhelper is unloaded and loaded again: the family goes first at
 * unload and comes last at load, so every request either finds no family
 * or a whole module. Requests are answered (a dump, or ENOENT) or fail as
 * the family goes away (logged); the module unloads and loads each time
 * and the kernel log stays clean (the rig checks it).
 */
static int mdev_get_loop(volatile int *stop)
{
	static char out[16][8192];
	struct gh_nl_req r;
	unsigned int n = 0, answered = 0;
	int ret, last_err = 0;
	struct gh_nl nl;

	while (!*stop && n < 100000) {
		if (gh_nl_open(&nl)) {
			usleep(1000);	/* between unload and load */
			continue;
		}
		for (int i = 0; i < 50 && !*stop; i++, n++) {
			gh_nl_req_init(&nl, &r, nl.family, GPUHELPER_CMD_MDEV_GET,
				       i % 2 ? 0 : NLM_F_DUMP);
			if (i % 2)
				gh_nl_put(&r, GPUHELPER_A_MDEV_UUID,
					  "\xaf\x59\x72\xfb\x55\x30\x41\xa7\0\0\xfd\x83\x62\x04\x44\x61", 16);
			ret = gh_nl_xfer(&nl, &r, out, 16);
			if (ret >= 0 || ret == -ENOENT)
				answered++;	/* a dump, or no such mdev */
			else if (ret != last_err)
				printf("# request %u: %s (the family going away)\n",
				       n, strerror(-ret));
			if (ret < 0 && ret != -ENOENT)
				last_err = ret;
		}
		gh_nl_close(&nl);
	}
	return answered ? 0 : 21;
}

TEST(mdev_get_in_a_loop_while_rmmod_and_load)
{
	volatile int *stop = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int status;

	ASSERT_NE(MAP_FAILED, stop);
	ASSERT_EQ(0, gh_system("modprobe gh_fake_gvt"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(100);
		_exit(mdev_get_loop(stop));
	}
	for (int i = 0; i < 5; i++) {
		int ret, tries = 0;

		gh_msleep(100);
		/* a request in flight holds the module: EAGAIN, try again */
		do {
			ret = gh_unload("gpuhelper");
			if (ret == -EAGAIN)
				gh_msleep(5);
		} while (ret == -EAGAIN && ++tries < 400);
		EXPECT_EQ(0, ret) TH_LOG("unload %d: %d after %d tries", i, ret, tries);
		gh_msleep(50);
		EXPECT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS));
	}
	*stop = 1;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	gh_unload("gh_fake_gvt");
	EXPECT_TRUE(gh_wait_driver(GH_DGPU, "gpuhelper", 2000));
}

TEST_HARNESS_MAIN
