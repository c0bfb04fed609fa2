// SPDX-License-Identifier: GPL-2.0
/*
 * inject_test.c - failures injected inside the module (issue 8).
 *
 * The rig's module is a test build (GH_TEST_HOOKS=y, kmod/faultinject.c):
 * /sys/kernel/debug/gpuhelper/fail-<point> fails the Nth pass through a
 * point, once. Two points:
 *  - acpi_rom: one evaluation of the dGPU's _ROM method fails, as AML that
 *    errors out would. The number of calls a whole read takes is measured
 *    first; the first, the middle and the last call are then failed in
 *    turn: no partial image is ever kept or shown, the log names the
 *    failed source, and a reload reads the full vBIOS again.
 *  - alloc: every allocation of the module's own. Each operation below is
 *    swept: its 1st, 2nd, ... allocation fails in turn until one run
 *    passes every point. Each failed run returns ENOMEM and leaves the
 *    state as it was (or completes, where only a notification was lost);
 *    the run after it succeeds.
 * Prints "# faults injected: N".
 */
#include <sys/mman.h>
#include <sys/mount.h>

#include "kselftest_harness.h"
#include "gh_handoff.h"
#include "gh_mdev.h"
#include "gh_nl.h"

#define DBG		"/sys/kernel/debug/gpuhelper"
#define CLS_DGPU	"/sys/class/gpuhelper/" GH_DGPU
#define MDEV_CLS	"/sys/class/gpuhelper/" GH_IGPU
#define MDEV_TYPE	"i915-GVTg_V5_8"
#define MDEV_UUID	"6c1e8a2f-4b7d-4e3a-9f10-2a5b8c7d9e01"
#define SWEEP_MAX	32

/* shared with the harness's forked tests; the parent prints the total */
static unsigned int *faults;
static pid_t parent;

static void __attribute__((constructor)) fault_counter(void)
{
	faults = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (faults == MAP_FAILED)
		abort();
	parent = getpid();
}

static void __attribute__((destructor)) report(void)
{
	if (getpid() == parent)
		printf("# faults injected: %u\n", *faults);
}

/* A number from the debugfs directory: DBG/<file>-<point>, -1 if unreadable. */
static int knob(const char *file, const char *point)
{
	char buf[32];

	if (gh_readf(buf, sizeof(buf), DBG "/%s-%s", file, point))
		return -1;
	return atoi(buf);
}

#define injected(point)	knob("injected", point)
#define armed(point)	knob("fail", point)

static int arm(const char *point, int nth)
{
	char path[128], val[16];

	snprintf(path, sizeof(path), DBG "/fail-%s", point);
	snprintf(val, sizeof(val), "%d", nth);
	return gh_write(path, val);
}

/* Read the vBIOS attribute whole: its length, or -errno. */
static long read_vbios(unsigned char *buf, size_t max)
{
	int fd = open(CLS_DGPU "/vbios", O_RDONLY);
	size_t len = 0;
	ssize_t n = 0;

	if (fd < 0)
		return -errno;
	while (len < max && (n = read(fd, buf + len, 4096)) > 0)
		len += n;
	if (n < 0)
		len = -errno;
	close(fd);
	return len;
}

static long slurp_file(const char *path, unsigned char *buf, size_t max)
{
	FILE *f = fopen(path, "r");
	long n;

	if (!f)
		return -errno;
	n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

static bool reload(const char *params)
{
	char p[160];

	gh_unload("gpuhelper");
	snprintf(p, sizeof(p), "%s %s", GH_GOOD_IDS, params);
	return !gh_load(gh_ko(), p) && gh_wait_driver(GH_DGPU, "gpuhelper", 2000) &&
	       gh_exists(DBG "/fail-alloc");
}

static unsigned char got[512 * 1024], want[512 * 1024];

FIXTURE(inject) {
	long want_len;
};

FIXTURE_SETUP(inject) {
	if (!gh_exists("/sys/kernel/debug/gpuhelper"))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	ASSERT_TRUE(gh_exists(DBG "/fail-alloc")) {
		TH_LOG("not a test build of gpuhelper (GH_TEST_HOOKS=y)");
	}
	self->want_len = slurp_file("/tests/data/acpi.rom", want, sizeof(want));
	ASSERT_GT(self->want_len, 0);
	ASSERT_TRUE(reload("vbios_source=acpi"));
}

FIXTURE_TEARDOWN(inject) {
	arm("alloc", 0);
	arm("acpi_rom", 0);
	restore();	/* gh_mdev.h: fake GVT-g out, gpuhelper reloaded */
	if (!gh_back_to_stub())
		TH_LOG("the dGPU is not back in stub");
}

/* How many _ROM calls one whole read of the vBIOS takes. */
static int acpi_rom_calls(struct __test_metadata *_metadata, long want_len)
{
	int calls;

	if (arm("acpi_rom", 100000))
		return -1;
	if (read_vbios(got, sizeof(got)) != want_len)
		return -1;
	calls = 100000 - armed("acpi_rom");
	arm("acpi_rom", 0);
	TH_LOG("a whole read takes %d _ROM calls", calls);
	return calls;
}

TEST_F(inject, acpi_rom_error_first_middle_last_call_keeps_nothing)
{
	int calls, which[3], i;
	char buf[64];
	int mark;

	calls = acpi_rom_calls(_metadata, self->want_len);
	ASSERT_GT(calls, 10);	/* 164 KiB in 4 KiB calls */
	which[0] = 1;
	which[1] = calls / 2;
	which[2] = calls;
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(reload("vbios_source=acpi"));
		mark = gh_kmsg_mark();
		ASSERT_EQ(0, arm("acpi_rom", which[i]));
		EXPECT_EQ(-ENODATA, read_vbios(got, sizeof(got))) {
			TH_LOG("_ROM call %d of %d failed", which[i], calls);
		}
		(*faults)++;
		EXPECT_EQ(1, injected("acpi_rom"));
		EXPECT_EQ(0, armed("acpi_rom"));
		EXPECT_TRUE(gh_kmsg_since(mark, "vbios: acpi: read failed (-5)"));
		ASSERT_EQ(0, gh_read(CLS_DGPU "/vbios_source", buf, sizeof(buf)));
		EXPECT_STREQ("none", buf);
		/* decided once: no second try reads a half image either */
		EXPECT_EQ(-ENODATA, read_vbios(got, sizeof(got)));
		EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
		EXPECT_STREQ("stub", gh_state(GH_DGPU));
	}
	/* the same source, without the fault, gives the whole image */
	ASSERT_TRUE(reload("vbios_source=acpi"));
	ASSERT_EQ(self->want_len, read_vbios(got, sizeof(got)));
	EXPECT_EQ(0, memcmp(want, got, self->want_len));
}

TEST_F(inject, acpi_rom_error_midway_in_auto_mode_other_sources_still_read)
{
	int calls;
	char buf[64];

	calls = acpi_rom_calls(_metadata, self->want_len);
	ASSERT_GT(calls, 10);
	ASSERT_TRUE(reload("vbios_source=auto"));
	ASSERT_EQ(0, arm("acpi_rom", calls / 2));
	ASSERT_GT(read_vbios(got, sizeof(got)), 0);
	(*faults)++;
	EXPECT_EQ(1, injected("acpi_rom"));
	ASSERT_EQ(0, gh_read(CLS_DGPU "/vbios_source", buf, sizeof(buf)));
	EXPECT_STREQ("firmware", buf);
}

TEST_F(inject, alloc_failure_at_each_point_of_the_vbios_shadow)
{
	int n, points = 0;
	long r;

	for (n = 1; n <= SWEEP_MAX; n++) {
		ASSERT_TRUE(reload("vbios_source=acpi"));
		ASSERT_EQ(0, arm("alloc", n));
		r = read_vbios(got, sizeof(got));
		if (!injected("alloc")) {
			arm("alloc", 0);
			break;
		}
		(*faults)++;
		points++;
		EXPECT_EQ(-ENOMEM, r) {
			TH_LOG("allocation %d failed: read gave %ld", n, r);
		}
		EXPECT_STREQ("stub", gh_state(GH_DGPU));
		/* out of memory is no verdict: the next read shadows it whole */
		ASSERT_EQ(self->want_len, read_vbios(got, sizeof(got)));
		EXPECT_EQ(0, memcmp(want, got, self->want_len));
	}
	TH_LOG("vbios shadow: %d allocation points failed in turn", points);
	EXPECT_LT(n, SWEEP_MAX);
	EXPECT_GE(points, 3);	/* the record, the buffer, its growth */
	EXPECT_EQ(self->want_len, r);
	EXPECT_EQ(0, memcmp(want, got, self->want_len));
}

TEST_F(inject, alloc_failure_in_netlink_get_and_set_state)
{
	struct gh_nl nl, ev;
	struct gh_nl_msg m;
	int n, points = 0, r;

	ASSERT_EQ(0, gh_nl_open(&nl));
	/* a listener, so that each transition allocates its notification */
	ASSERT_EQ(0, gh_nl_open(&ev));
	ASSERT_EQ(0, gh_nl_subscribe(&ev));
	for (n = 1; n <= SWEEP_MAX; n++) {
		ASSERT_EQ(0, arm("alloc", n));
		r = gh_nl_get(&nl, GH_DGPU, &m);
		if (!injected("alloc") || points >= injected("alloc"))
			break;
		(*faults)++;
		points++;
		EXPECT_EQ(-ENOMEM, r);
	}
	arm("alloc", 0);
	EXPECT_EQ(0, r);
	EXPECT_GE(points, 1);
	TH_LOG("DEV_GET: %d allocation points", points);

	/*
	 * To vfio and back: fails whole with ENOMEM, or completes (a lost
	 * notification, as netlink notifications are best effort).
	 */
	points = 0;
	for (n = 1; n <= SWEEP_MAX; n++) {
		int before = injected("alloc");

		ASSERT_EQ(0, arm("alloc", n));
		r = gh_nl_set_state(&nl, GH_DGPU, GPUHELPER_STATE_VFIO, 1);
		if (injected("alloc") == before)
			break;
		(*faults)++;
		points++;
		if (r) {
			EXPECT_EQ(-ENOMEM, r);
			EXPECT_STREQ("stub", gh_state(GH_DGPU));
			EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
			EXPECT_STREQ("gpuhelper", gh_driver(GH_AUDIO));
		} else {
			EXPECT_STREQ("vfio", gh_state(GH_DGPU));
			EXPECT_STREQ("vfio-pci", gh_driver(GH_AUDIO));
		}
		ASSERT_EQ(0, arm("alloc", 0));
		ASSERT_EQ(0, gh_nl_set_state(&nl, GH_DGPU, GPUHELPER_STATE_STUB, 1));
	}
	arm("alloc", 0);
	TH_LOG("DEV_SET_STATE: %d allocation points", points);
	EXPECT_GE(points, 1);
	EXPECT_EQ(0, r);
	EXPECT_STREQ("vfio", gh_state(GH_DGPU));
	EXPECT_STREQ("vfio-pci", gh_driver(GH_AUDIO));
	EXPECT_EQ(0, gh_nl_set_state(&nl, GH_DGPU, GPUHELPER_STATE_STUB, 1));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	gh_nl_close(&ev);
	gh_nl_close(&nl);
}

TEST_F(inject, alloc_failure_in_mdev_create_declares_nothing)
{
	pid_t listener;
	int n, points = 0, r = -1;
	char buf[256];

	listener = listener_start();
	ASSERT_LT(0, listener);
	ASSERT_EQ(0, fake_load());
	ASSERT_TRUE(wait_exists(true, 2000, "%s", MDEV_CLS "/create"));
	for (n = 1; n <= SWEEP_MAX; n++) {
		ASSERT_EQ(0, arm("alloc", n));
		r = gh_write(MDEV_CLS "/create", MDEV_TYPE " " MDEV_UUID);
		if (!injected("alloc") || points >= injected("alloc"))
			break;
		(*faults)++;
		points++;
		EXPECT_EQ(-ENOMEM, r);
		ASSERT_EQ(0, gh_read(MDEV_CLS "/mdevs", buf, sizeof(buf)));
		EXPECT_STREQ("", buf);
		EXPECT_FALSE(gh_exists("/sys/bus/mdev/devices/%s", MDEV_UUID));
	}
	arm("alloc", 0);
	TH_LOG("mdev create: %d allocation points", points);
	EXPECT_GE(points, 1);
	EXPECT_EQ(0, r);
	EXPECT_TRUE(mdev_exists(MDEV_UUID, 3000));
	EXPECT_EQ(0, gh_write(MDEV_CLS "/remove", MDEV_UUID));
	EXPECT_TRUE(mdev_gone(MDEV_UUID, 3000));
	listener_stop(listener);
	fake_unload();
}

TEST_F(inject, alloc_failure_when_the_dgpu_appears_leaves_it_unclaimed)
{
	int mark;

	ASSERT_TRUE(gh_back_to_stub());
	ASSERT_EQ(0, gh_write("/sys/bus/pci/devices/" GH_DGPU "/remove", "1"));
	ASSERT_FALSE(gh_exists(CLS_DGPU));
	mark = gh_kmsg_mark();
	ASSERT_EQ(0, arm("alloc", 1));
	ASSERT_EQ(0, gh_write("/sys/bus/pci/rescan", "1"));
	ASSERT_TRUE(gh_exists("/sys/bus/pci/devices/" GH_DGPU));
	(*faults)++;
	EXPECT_EQ(1, injected("alloc"));
	EXPECT_TRUE(gh_kmsg_since(mark, "not claimed (-12)"));
	/* nothing half-made: no class directory, no pin, no driver (edu has none) */
	EXPECT_FALSE(gh_exists(CLS_DGPU));
	EXPECT_STREQ("(null)", gh_override(GH_DGPU));
	EXPECT_STREQ("", gh_driver(GH_DGPU));
	/* and when it appears again, it is claimed */
	ASSERT_EQ(0, gh_write("/sys/bus/pci/devices/" GH_DGPU "/remove", "1"));
	ASSERT_EQ(0, gh_write("/sys/bus/pci/rescan", "1"));
	EXPECT_TRUE(gh_wait_driver(GH_DGPU, "gpuhelper", 2000));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
}

TEST_HARNESS_MAIN
