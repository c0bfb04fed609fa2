// SPDX-License-Identifier: GPL-2.0
/*
 * pm_test.c - power management of held functions (issue 14).
 *
 *  - D3cold: the rig gives the dGPU a laptop's Optimus ACPI (tests/vm/
 *    optimus.asl: a power resource in its _PR0/_PR3, _PS0/_PS3, the
 *    Optimus _DSM; QEMU's ACPI hotplug off, so no _EJ0). Held and idle,
 *    the guest kernel puts it in D3cold with the power resource off; a
 *    resume powers it on (D0), a hand-off and back works from D3cold.
 *    QEMU's edu has no PM capability, so the PCI core leaves d3cold_allowed
 *    at 0 for it (pci_pm_init()); an NVIDIA dGPU has one and starts with 1:
 *    the test sets it, as the real device has it.
 *    Prints "# idle N s: suspended S ms, active A ms (P% suspended)";
 *    the idle stretch is the first argument in seconds (default 5).
 *  - D3hot via PMCSR: an e1000e (a PM capability, no ACPI object) behind
 *    root port 00:06.0 (tests/vm/prepare.d/40-pm-endpoint), held with
 *    gpuhelper reloaded with its ID: PMCSR reads D3hot while suspended,
 *    D0 while resumed.
 *  - NVIDIA HDA: gpuhelper's resume sets bit 25 of an NVIDIA GPU's config
 *    dword 0x488 when a power-off cleared it (kmod/pm.c). QEMU has no
 *    NVIDIA GPU: the test build's model register (debugfs nv-hda-*)
 *    stands for 0x488 of the dGPU; what is real is the resume path that
 *    reaches the check.
 */
#include <ctype.h>
#include <glob.h>

#include "kselftest_harness.h"
#include "gh_handoff.h"

#define DGPU_SYS	"/sys/bus/pci/devices/" GH_DGPU
#define PGPR_PATH	"\\_SB_.PCI0.S08_.PGPR"
#define DBG		"/sys/kernel/debug/gpuhelper"
#define PM_PORT		"0000:00:06.0"
#define PM_IDS		GH_GOOD_IDS ",8086:10d3"

static unsigned int idle_s = 5;

static int attr(const char *bdf, const char *name, char *buf, size_t len)
{
	return gh_readf(buf, len, "/sys/bus/pci/devices/%s/%s", bdf, name);
}

static int set_attr(const char *bdf, const char *name, const char *val)
{
	char path[160];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, name);
	return gh_write(path, val);
}

/* Poll @bdf's @name until it reads @want; true when it did within @ms. */
static bool wait_attr(const char *bdf, const char *name, const char *want,
		      unsigned int ms)
{
	char buf[64];

	for (unsigned int i = 0; i <= ms / 20; i++) {
		if (!attr(bdf, name, buf, sizeof(buf)) && !strcmp(buf, want))
			return true;
		gh_msleep(20);
	}
	return false;
}

static long num(const char *bdf, const char *name)
{
	char buf[32];

	return attr(bdf, name, buf, sizeof(buf)) ? -1 : strtol(buf, NULL, 0);
}

/* resource_in_use of the power resource at @path, -1 when not found. */
static int power_resource_in_use(const char *path)
{
	char buf[128];
	glob_t g;
	int ret = -1;

	if (glob("/sys/bus/acpi/devices/LNXPOWER:*", 0, NULL, &g))
		return -1;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		if (gh_readf(buf, sizeof(buf), "%s/path", g.gl_pathv[i]) ||
		    strcmp(buf, path))
			continue;
		if (!gh_readf(buf, sizeof(buf), "%s/resource_in_use", g.gl_pathv[i]))
			ret = atoi(buf);
	}
	globfree(&g);
	return ret;
}

/* The PM capability's offset in @bdf's config space, 0 for none. */
static unsigned int pm_cap(const char *bdf)
{
	unsigned char cfg[256];
	unsigned int ptr, hops = 0;
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	if (read(fd, cfg, sizeof(cfg)) != sizeof(cfg) || !(cfg[0x06] & 0x10)) {
		close(fd);
		return 0;
	}
	close(fd);
	for (ptr = cfg[0x34] & 0xfc; ptr && hops++ < 48; ptr = cfg[ptr + 1] & 0xfc)
		if (cfg[ptr] == 0x01)
			return ptr;
	return 0;
}

/* PMCSR's PowerState field (0 = D0 .. 3 = D3hot), -1 when unreadable. */
static int pmcsr_state(const char *bdf, unsigned int cap)
{
	unsigned char w[2];
	char path[128];
	int fd, ret = -1;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (pread(fd, w, 2, cap + 4) == 2)
		ret = w[0] & 3;
	close(fd);
	return ret;
}

FIXTURE(d3cold) {
	char old_allowed[8];
};

FIXTURE_SETUP(d3cold)
{
	ASSERT_EQ(0, attr(GH_DGPU, "d3cold_allowed", self->old_allowed,
			  sizeof(self->old_allowed)));
	ASSERT_EQ(0, set_attr(GH_DGPU, "d3cold_allowed", "1"));
	ASSERT_TRUE(gh_exists(DGPU_SYS "/firmware_node"))
		TH_LOG("the dGPU has no ACPI object: is tests/vm/optimus.asl loaded?");
}

FIXTURE_TEARDOWN(d3cold)
{
	set_attr(GH_DGPU, "power/control", "auto");
	set_attr(GH_DGPU, "d3cold_allowed", self->old_allowed);
}

TEST_F(d3cold, held_idle_dgpu_walks_d0_d3cold_d0)
{
	char buf[64];

	ASSERT_EQ(0, attr(GH_DGPU, "firmware_node/path", buf, sizeof(buf)));
	EXPECT_STREQ("\\_SB_.PCI0.S08_.S00_", buf);
	EXPECT_FALSE(gh_exists(DGPU_SYS "/firmware_node/eject"))
		TH_LOG("the dGPU's ACPI object has _EJ0: ACPI power is ignored");

	/* held and idle: D3cold, power resource off */
	ASSERT_TRUE(wait_attr(GH_DGPU, "power_state", "D3cold", 3000));
	EXPECT_TRUE(wait_attr(GH_DGPU, "power/runtime_status", "suspended", 1000));
	EXPECT_TRUE(wait_attr(GH_DGPU, "firmware_node/power_state", "D3cold", 100));
	EXPECT_EQ(0, power_resource_in_use(PGPR_PATH));

	/* resumed: the power resource on (_ON), D0 (_PS0) */
	ASSERT_EQ(0, set_attr(GH_DGPU, "power/control", "on"));
	EXPECT_TRUE(wait_attr(GH_DGPU, "power_state", "D0", 1000));
	EXPECT_TRUE(wait_attr(GH_DGPU, "firmware_node/power_state", "D0", 100));
	EXPECT_EQ(1, power_resource_in_use(PGPR_PATH));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));

	/* idle again: D3cold again */
	ASSERT_EQ(0, set_attr(GH_DGPU, "power/control", "auto"));
	EXPECT_TRUE(wait_attr(GH_DGPU, "power_state", "D3cold", 3000));
	EXPECT_EQ(0, power_resource_in_use(PGPR_PATH));
}

TEST_F(d3cold, handoff_from_d3cold_and_back)
{
	long act0, act1;

	ASSERT_TRUE(wait_attr(GH_DGPU, "power_state", "D3cold", 3000));
	act0 = num(GH_DGPU, "power/runtime_active_time");
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "vfio"));
	EXPECT_STREQ("vfio-pci", gh_driver(GH_DGPU));
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	act1 = num(GH_DGPU, "power/runtime_active_time");
	/* the driver core powered it up for the unbind and the binds */
	EXPECT_LT(act0, act1);
	EXPECT_TRUE(wait_attr(GH_DGPU, "power_state", "D3cold", 3000));
	EXPECT_EQ(0, power_resource_in_use(PGPR_PATH));
}

/* the harness's 30 s default is shorter than "pm_test 60" */
TEST_F_TIMEOUT(d3cold, idle_share_suspended, 600)
{
	long act0, sus0, act1, sus1, sus, act;

	ASSERT_TRUE(wait_attr(GH_DGPU, "power_state", "D3cold", 3000));
	act0 = num(GH_DGPU, "power/runtime_active_time");
	sus0 = num(GH_DGPU, "power/runtime_suspended_time");
	gh_msleep(idle_s * 1000);
	act1 = num(GH_DGPU, "power/runtime_active_time");
	sus1 = num(GH_DGPU, "power/runtime_suspended_time");
	ASSERT_LE(0, act0);
	ASSERT_LE(0, sus0);
	sus = sus1 - sus0;
	act = act1 - act0;
	printf("# idle %u s: suspended %ld ms, active %ld ms (%.1f%% suspended), %s\n",
	       idle_s, sus, act, 100.0 * sus / (sus + act ? sus + act : 1),
	       power_resource_in_use(PGPR_PATH) ? "power resource on" :
						   "power resource off");
	EXPECT_GE(sus * 100, (sus + act) * 99);
	EXPECT_GE(sus + act, idle_s * 1000 - 100);
}

/* The NVIDIA HDA enable bit, modelled (see the top of the file). */
FIXTURE(nvhda) {
};

FIXTURE_SETUP(nvhda)
{
	ASSERT_TRUE(gh_exists(DBG "/nv-hda-armed"))
		TH_LOG("not a test build of gpuhelper (GH_TEST_HOOKS=y)");
	ASSERT_EQ(0, gh_write(DBG "/nv-hda-0x488", "0x02000001"));
	ASSERT_EQ(0, gh_write(DBG "/nv-hda-armed", "Y"));
}

FIXTURE_TEARDOWN(nvhda)
{
	gh_write(DBG "/nv-hda-armed", "N");
	set_attr(GH_DGPU, "power/control", "auto");
}

static long model(void)
{
	char buf[32];

	return gh_read(DBG "/nv-hda-0x488", buf, sizeof(buf)) ? -1 :
		strtol(buf, NULL, 0);
}

TEST_F(nvhda, resume_sets_the_hda_bit_a_power_off_cleared)
{
	int mark;

	ASSERT_TRUE(wait_attr(GH_DGPU, "power/runtime_status", "suspended", 3000));
	/* as a power-off leaves it: bit 25 clear, the rest kept */
	ASSERT_EQ(0, gh_write(DBG "/nv-hda-0x488", "0x00000001"));
	mark = gh_kmsg_mark();
	ASSERT_EQ(0, set_attr(GH_DGPU, "power/control", "on"));
	ASSERT_TRUE(wait_attr(GH_DGPU, "power/runtime_status", "active", 1000));
	EXPECT_EQ(0x02000001, model());
	EXPECT_TRUE(gh_kmsg_since(mark, "HDA function disabled after power-up"));

	/* set already: left alone, nothing logged */
	ASSERT_EQ(0, set_attr(GH_DGPU, "power/control", "auto"));
	ASSERT_TRUE(wait_attr(GH_DGPU, "power/runtime_status", "suspended", 3000));
	mark = gh_kmsg_mark();
	ASSERT_EQ(0, set_attr(GH_DGPU, "power/control", "on"));
	ASSERT_TRUE(wait_attr(GH_DGPU, "power/runtime_status", "active", 1000));
	EXPECT_EQ(0x02000001, model());
	EXPECT_FALSE(gh_kmsg_since(mark, "HDA function disabled"));
}

TEST_F(nvhda, probe_sets_it_too)
{
	int mark;

	ASSERT_EQ(0, gh_set_state(GH_DGPU, "vfio"));
	/* powered off under vfio-pci: gpuhelper's probe finds it clear */
	ASSERT_EQ(0, gh_write(DBG "/nv-hda-0x488", "0x00000000"));
	mark = gh_kmsg_mark();
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
	EXPECT_EQ(0x02000000, model());
	EXPECT_TRUE(gh_kmsg_since(mark, "HDA function disabled after power-up"));
}

/* A PM-capable endpoint held by gpuhelper: D3hot through PMCSR. */
FIXTURE(pmcsr) {
	char bdf[16];
	unsigned int cap;
};

FIXTURE_SETUP(pmcsr)
{
	ASSERT_EQ(0, gh_child_of(PM_PORT, self->bdf, sizeof(self->bdf)))
		TH_LOG("no endpoint behind %s (tests/vm/prepare.d/40-pm-endpoint)", PM_PORT);
	self->cap = pm_cap(self->bdf);
	ASSERT_NE(0, self->cap) TH_LOG("%s has no PM capability", self->bdf);
	ASSERT_EQ(0, gh_unload("gpuhelper"));
	ASSERT_EQ(0, gh_load(gh_ko(), PM_IDS));
	ASSERT_TRUE(gh_wait_driver(self->bdf, "gpuhelper", 2000));
}

FIXTURE_TEARDOWN(pmcsr)
{
	set_attr(self->bdf, "power/control", "auto");
	gh_unload("gpuhelper");
	gh_load(gh_ko(), GH_GOOD_IDS);
	gh_wait_driver(GH_DGPU, "gpuhelper", 2000);
}

TEST_F(pmcsr, held_endpoint_d3hot_by_pmcsr_and_back)
{
	char buf[32];

	EXPECT_FALSE(gh_exists("/sys/bus/pci/devices/%s/firmware_node", self->bdf))
		TH_LOG("an ACPI object: the transition would not be PMCSR's alone");
	ASSERT_TRUE(wait_attr(self->bdf, "power/runtime_status", "suspended", 3000));
	EXPECT_TRUE(wait_attr(self->bdf, "power_state", "D3hot", 100));
	EXPECT_EQ(3, pmcsr_state(self->bdf, self->cap));

	ASSERT_EQ(0, set_attr(self->bdf, "power/control", "on"));
	EXPECT_TRUE(wait_attr(self->bdf, "power_state", "D0", 1000));
	EXPECT_EQ(0, pmcsr_state(self->bdf, self->cap));
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/class/gpuhelper/%s/state", self->bdf));
	EXPECT_STREQ("stub", buf);

	ASSERT_EQ(0, set_attr(self->bdf, "power/control", "auto"));
	EXPECT_TRUE(wait_attr(self->bdf, "power_state", "D3hot", 3000));
	EXPECT_EQ(3, pmcsr_state(self->bdf, self->cap));
}

int main(int argc, char **argv)
{
	if (argc > 1 && isdigit((unsigned char)argv[1][0])) {
		idle_s = strtoul(argv[1], NULL, 10);
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	return test_harness_run(argc, argv);
}
