// SPDX-License-Identifier: GPL-2.0
/*
 * fault_test.c - failures from outside during hand-offs (issue 8).
 *
 * Debian's kernels have no fault injection (FAULT_INJECTION, FAILSLAB and
 * FUNCTION_ERROR_INJECTION are off), so the faults are the kernel's own:
 *  - module loading fails (/proc/sys/kernel/modprobe -> /bin/false) with
 *    vfio-pci unloaded: a hand-off to vfio is refused with ENODEV and
 *    nothing moves;
 *  - the dGPU is removed from the bus while another process hands it off
 *    in a loop (surprise removal): every hand-off completes, is refused
 *    or finds the function gone; nothing hangs or oopses, and after a
 *    rescan the dGPU is claimed again, sysfs and the drivers agree.
 * A bind that fails half-way is rollback_test.c's (a fake vfio-pci).
 * Prints "# faults injected: N".
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "gh_handoff.h"

#define REMOVALS	20

static unsigned int *faults;

static void __attribute__((constructor)) fault_counter(void)
{
	faults = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (faults == MAP_FAILED)
		abort();
}

FIXTURE(fault) {
	char modprobe[128];
};

FIXTURE_SETUP(fault) {
	ASSERT_TRUE(gh_back_to_stub());
	ASSERT_EQ(0, gh_read("/proc/sys/kernel/modprobe", self->modprobe,
			     sizeof(self->modprobe)));
}

FIXTURE_TEARDOWN(fault) {
	gh_write("/proc/sys/kernel/modprobe", self->modprobe);
	gh_write("/sys/bus/pci/rescan", "1");
	gh_wait_driver(GH_DGPU, "gpuhelper", 3000);
	if (!gh_back_to_stub())
		TH_LOG("could not put the dGPU back to stub");
}

TEST_F(fault, vfio_pci_cannot_load_refused_enodev_nothing_moved)
{
	int mark;

	gh_system("rmmod vfio_pci 2>/dev/null");
	ASSERT_FALSE(gh_exists("/sys/bus/pci/drivers/vfio-pci"));
	ASSERT_EQ(0, gh_write("/proc/sys/kernel/modprobe", "/bin/false"));
	mark = gh_kmsg_mark();
	EXPECT_EQ(-ENODEV, gh_set_state(GH_DGPU, "vfio"));
	faults[0]++;
	EXPECT_TRUE(gh_kmsg_since(mark, "vfio-pci is not available"));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_AUDIO));
	EXPECT_STREQ("gpuhelper", gh_override(GH_DGPU));
	/* and with loading back, the same request works */
	ASSERT_EQ(0, gh_write("/proc/sys/kernel/modprobe", self->modprobe));
	EXPECT_EQ(0, gh_set_state(GH_DGPU, "vfio"));
	EXPECT_STREQ("vfio-pci", gh_driver(GH_DGPU));
}

TEST_F(fault, dgpu_removed_while_handed_off_in_a_loop)
{
	volatile int *stop = (volatile int *)&faults[8];
	unsigned int *done = &faults[9], *gone = &faults[10], *other = &faults[11];
	int status;
	pid_t pid;

	*stop = 0;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		static const char * const to[] = { "vfio", "stub", "host", "stub" };

		for (unsigned int i = 0; !*stop; i++) {
			int ret = gh_set_state(GH_DGPU, to[i % 4]);

			if (!ret)
				__atomic_add_fetch(done, 1, __ATOMIC_RELAXED);
			else if (ret == -ENOENT || ret == -ENODEV)
				__atomic_add_fetch(gone, 1, __ATOMIC_RELAXED);
			else
				__atomic_add_fetch(other, 1, __ATOMIC_RELAXED);
		}
		_exit(0);
	}
	for (int i = 0; i < REMOVALS; i++) {
		gh_msleep(30 + 17 * (i % 5));
		ASSERT_EQ(0, gh_write("/sys/bus/pci/devices/" GH_DGPU "/remove", "1"));
		faults[0]++;
		ASSERT_FALSE(gh_exists("/sys/class/gpuhelper/%s", GH_DGPU));
		gh_msleep(20);
		ASSERT_EQ(0, gh_write("/sys/bus/pci/rescan", "1"));
		ASSERT_TRUE(gh_wait_driver(GH_DGPU, "gpuhelper", 3000))
			TH_LOG("after removal %d the dGPU came back on '%s'", i, gh_driver(GH_DGPU));
	}
	*stop = 1;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	TH_LOG("%u hand-offs done, %u found the dGPU gone, %u refused", *done, *gone, *other);
	EXPECT_LT(0, *done);
	/* a refusal is fine (the group may be half there); a hang is not */
	EXPECT_TRUE(gh_back_to_stub());
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	EXPECT_STREQ("stub", gh_state(GH_AUDIO));
	EXPECT_STREQ("gpuhelper", gh_override(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_override(GH_AUDIO));
}

FIXTURE(figures) {
};

FIXTURE_SETUP(figures) {
}

FIXTURE_TEARDOWN(figures) {
}

TEST_F(figures, faults_injected)
{
	ksft_print_msg("faults injected: %u (module load refused 1, surprise removals %u)\n",
		       faults[0], faults[0] ? faults[0] - 1 : 0);
	EXPECT_EQ(1 + REMOVALS, faults[0]);
}

TEST_HARNESS_MAIN
