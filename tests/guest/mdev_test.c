// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_test.c - GVT-g vGPUs through gpuhelper (issue 5), against the real
 * mdev core.
 *
 * The guest has no Intel iGPU: tests/kmod/gh_fake_gvt.ko binds a driver
 * named i915 to the boot VGA (00:02.0) and registers an mdev parent with
 * i915's type names, descriptions and instance limits (GVTg_V5_4: 2 at
 * 1920x1200, GVTg_V5_8: 4 at 1024x768).
 *
 * There is no udev here, so each fixture runs a uevent listener doing what
 * the shipped rule (udev/70-gpuhelper-mdev.rules) does: on a "change" of a
 * gpuhelper class device carrying GH_MDEV_ACTION, run the executor for it
 * (the same userspace/mdev/mdev_exec.c "gpuhelper mdev apply" runs). Without
 * the listener nothing is ever created, which the first test checks.
 *
 * Every case ends with the fake parent unloaded and gpuhelper reloaded
 * with the guest's ids=, as the programs after it expect.
 */
#include "kselftest_harness.h"
#include "gh_mdev.h"

#define CLS	"/sys/class/gpuhelper/" GH_IGPU
#define TYPES	"/sys/bus/pci/devices/" GH_IGPU "/mdev_supported_types"
#define V54	"i915-GVTg_V5_4"
#define V58	"i915-GVTg_V5_8"

#define U1	"af5972fb-5530-41a7-0000-fd836204445b"
#define U2	"af5972fb-5530-41a7-0000-fd836204445c"
#define U3	"af5972fb-5530-41a7-0000-fd836204445d"
/* only used once per boot, so their log lines can be counted */
#define U4	"af5972fb-5530-41a7-0000-fd836204445e"
#define U5	"af5972fb-5530-41a7-0000-fd836204445f"

/* ---- small helpers ---- */

/* The line of @uuid in the class directory's mdevs, "" when not listed. */
static const char *mdevs_line(const char *uuid)
{
	static char line[128];
	char buf[4096], *l, *save = NULL;

	line[0] = '\0';
	if (gh_read(CLS "/mdevs", buf, sizeof(buf)))
		return line;
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (!strncmp(l, uuid, strlen(uuid)))
			snprintf(line, sizeof(line), "%s", l);
	return line;
}

/* Wait until @uuid's line in mdevs reads @want. */
static bool wait_line(const char *uuid, const char *want, unsigned int ms)
{
	for (;;) {
		if (!strcmp(mdevs_line(uuid), want))
			return true;
		if (ms < 20)
			return false;
		gh_msleep(20);
		ms -= 20;
	}
}

/* How many kernel log records contain @needle. */
static int kmsg_count(const char *needle)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	char rec[2048];
	int count = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (strstr(rec, needle))
			count++;
	}
	close(fd);
	return count;
}

/*
 * The executor reports its result (and the module logs it) after the mdev
 * is already visible: give the log line time to appear before counting.
 */
static int kmsg_wait(const char *needle, unsigned int ms)
{
	int n;

	while ((n = kmsg_count(needle)) == 0 && ms >= 20) {
		gh_msleep(20);
		ms -= 20;
	}
	return n;
}

static int avail(const char *type)
{
	char buf[32];

	if (gh_readf(buf, sizeof(buf), TYPES "/%s/available_instances", type))
		return -1;
	return atoi(buf);
}

/* ---- with the parent present and the executor running ---- */

FIXTURE(gvt) {
	pid_t listener;
};

FIXTURE_SETUP(gvt) {
	self->listener = listener_start();
	ASSERT_LT(0, self->listener);
	ASSERT_EQ(0, fake_load());
	ASSERT_TRUE(wait_exists(true, 2000, "%s", CLS "/create"));
}

FIXTURE_TEARDOWN(gvt) {
	listener_stop(self->listener);
	restore();
}

TEST_F(gvt, parent_gets_class_dir_without_being_claimed)
{
	char buf[256];

	/* i915 (the stand-in) keeps the iGPU; gpuhelper only adds a directory */
	EXPECT_STREQ("i915", gh_driver(GH_IGPU));
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/bus/pci/devices/%s/driver_override",
			      GH_IGPU));
	EXPECT_STREQ("(null)", buf);
	EXPECT_TRUE(gh_exists("/sys/bus/pci/devices/%s/gpuhelper/%s/mdevs", GH_IGPU,
			      GH_IGPU));
	EXPECT_FALSE(gh_exists(CLS "/state"));
	/* the types, with description and instances, through the class dir */
	ASSERT_EQ(0, gh_read(CLS "/device/mdev_supported_types/" V54 "/description",
			     buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "resolution: 1920x1200"));
	EXPECT_EQ(2, avail(V54));
	EXPECT_EQ(4, avail(V58));
	ASSERT_EQ(0, gh_read(CLS "/mdevs", buf, sizeof(buf)));
	EXPECT_STREQ("", buf);
}

/*
 * Every uevent of the parent's class directory asks for a sync, so the
 * "add" coldplug replays in the real root runs the executor (issue 15);
 * the uevent file shows what such an event carries. A held function's
 * class directory carries no such request.
 */
TEST_F(gvt, parent_uevents_carry_the_sync_request)
{
	char buf[1024];

	ASSERT_EQ(0, gh_read(CLS "/uevent", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "GH_MDEV_ACTION=sync"));
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/class/gpuhelper/%s/uevent", GH_DGPU));
	EXPECT_EQ(NULL, strstr(buf, "GH_MDEV_ACTION"));
}

TEST_F(gvt, create_explicit_type_and_uuid_gives_mdev_with_iommu_group)
{
	ASSERT_EQ(0, gh_write(CLS "/create", V58 " " U5));
	ASSERT_TRUE(mdev_exists(U5, 3000));
	/* the mdev core links the group just after the device appears */
	EXPECT_TRUE(wait_exists(true, 1000, "/sys/bus/mdev/devices/%s/iommu_group", U5));
	EXPECT_TRUE(gh_exists("/sys/bus/pci/devices/" GH_IGPU "/%s", U5));
	EXPECT_STREQ(V58, type_of(U5));
	EXPECT_TRUE(wait_line(U5, U5 " " V58 " active", 2000));
	EXPECT_EQ(3, avail(V58));
	EXPECT_EQ(1, kmsg_wait(U5 " (type " V58 ") created", 3000));
}

TEST_F(gvt, create_default_type_takes_largest_resolution_with_free_instance)
{
	char buf[4096], uuid[40];
	int i;

	/* no arguments: generated UUIDs; V5_4 (1920x1200) while it has room */
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, gh_write(CLS "/create", "\n"));
	for (i = 0; i < 150 && avail(V54) != 0; i++)
		gh_msleep(20);
	EXPECT_EQ(0, avail(V54));
	EXPECT_EQ(4, avail(V58));

	/* then V5_8: a UUID alone still means the default type */
	ASSERT_EQ(0, gh_write(CLS "/create", U2));
	ASSERT_TRUE(mdev_exists(U2, 3000));
	EXPECT_STREQ(V58, type_of(U2));
	EXPECT_TRUE(wait_line(U2, U2 " " V58 " active", 2000));

	/* the generated UUIDs are listed, with the type the executor chose */
	ASSERT_EQ(0, gh_read(CLS "/mdevs", buf, sizeof(buf)));
	for (i = 0; i < 2; i++) {
		char *l = strstr(buf, " " V54 " active");

		ASSERT_NE(NULL, l);
		ASSERT_LE(36, l - buf);
		snprintf(uuid, sizeof(uuid), "%.36s", l - 36);
		EXPECT_TRUE(gh_exists("/sys/bus/mdev/devices/%s/iommu_group", uuid));
		l[1] = 'X';	/* find the next one */
	}
}

TEST_F(gvt, list_shows_mdevs_created_behind_gpuhelpers_back)
{
	ASSERT_EQ(0, gh_write(TYPES "/" V58 "/create", U3));
	ASSERT_TRUE(mdev_exists(U3, 1000));
	EXPECT_STREQ(U3 " * unmanaged", mdevs_line(U3));
	/* and gpuhelper can remove it */
	ASSERT_EQ(0, gh_write(CLS "/remove", U3));
	EXPECT_TRUE(mdev_gone(U3, 3000));
	EXPECT_TRUE(wait_line(U3, "", 2000));
}

TEST_F(gvt, remove_deletes_mdev_and_declaration)
{
	ASSERT_EQ(0, gh_write(CLS "/create", V54 " " U1));
	ASSERT_TRUE(mdev_exists(U1, 3000));
	ASSERT_EQ(0, gh_write(CLS "/remove", U1 "\n"));
	EXPECT_TRUE(mdev_gone(U1, 3000));
	EXPECT_TRUE(wait_line(U1, "", 2000));
	EXPECT_EQ(2, avail(V54));
	EXPECT_EQ(-ENOENT, gh_write(CLS "/remove", U1));
	EXPECT_EQ(-EINVAL, gh_write(CLS "/remove", "not-a-uuid"));
}

TEST_F(gvt, exhausted_type_fails_with_eusers_and_nothing_half_created)
{
	ASSERT_EQ(0, gh_write(CLS "/create", V54 " " U1));
	ASSERT_EQ(0, gh_write(CLS "/create", V54 " " U2));
	ASSERT_TRUE(mdev_exists(U1, 3000));
	ASSERT_TRUE(mdev_exists(U2, 3000));
	EXPECT_TRUE(wait_line(U2, U2 " " V54 " active", 2000));
	EXPECT_EQ(0, avail(V54));

	/* accepted (the kernel cannot see instances), refused by the executor */
	ASSERT_EQ(0, gh_write(CLS "/create", V54 " " U4));
	EXPECT_TRUE(wait_line(U4, U4 " " V54 " failed -EUSERS", 3000));
	EXPECT_FALSE(gh_exists("/sys/bus/mdev/devices/%s", U4));
	EXPECT_EQ(1, kmsg_wait(U4 " (type " V54 ") not created: -EUSERS: no free instance", 3000));
	EXPECT_EQ(0, avail(V54));
	EXPECT_EQ(4, avail(V58));

	/* not retried behind the user's back; withdrawn by remove */
	ASSERT_EQ(0, gh_write(CLS "/remove", U1));
	EXPECT_TRUE(mdev_gone(U1, 3000));
	gh_msleep(200);
	EXPECT_FALSE(gh_exists("/sys/bus/mdev/devices/%s", U4));
	EXPECT_STREQ(U4 " " V54 " failed -EUSERS", mdevs_line(U4));
	ASSERT_EQ(0, gh_write(CLS "/remove", U4));
	EXPECT_TRUE(wait_line(U4, "", 3000));
	EXPECT_EQ(1, avail(V54));
}

TEST_F(gvt, duplicate_uuid_is_eexist)
{
	ASSERT_EQ(0, gh_write(CLS "/create", V54 " " U1));
	EXPECT_EQ(-EEXIST, gh_write(CLS "/create", V58 " " U1));
	ASSERT_TRUE(mdev_exists(U1, 3000));
	EXPECT_EQ(-EEXIST, gh_write(CLS "/create", V54 " " U1));
	/* taken directly through the mdev core counts as well */
	ASSERT_EQ(0, gh_write(TYPES "/" V58 "/create", U2));
	EXPECT_EQ(-EEXIST, gh_write(CLS "/create", V58 " " U2));
	EXPECT_STREQ(V54, type_of(U1));
	EXPECT_EQ(1, kmsg_count("cannot create mdev " U2 ": the UUID is already declared or in use"));
}

TEST_F(gvt, unknown_type_is_enoent)
{
	EXPECT_EQ(-ENOENT, gh_write(CLS "/create", "i915-GVTg_V9_9 " U1));
	EXPECT_EQ(-ENOENT, gh_write(CLS "/create", "GVTg_V5_4"));
	EXPECT_STREQ("", mdevs_line(U1));
	EXPECT_EQ(1, kmsg_count("cannot create an mdev of type 'i915-GVTg_V9_9': no such type"));
}

TEST_F(gvt, malformed_input_is_einval)
{
	char buf[256];

	EXPECT_EQ(-EINVAL, gh_write(CLS "/create", V54 " af5972fb-5530-41a7-0000-fd83620444"));
	EXPECT_EQ(-EINVAL, gh_write(CLS "/create", V54 " af5972fb-5530-41a7-0000-fd836204445g"));
	EXPECT_EQ(-EINVAL, gh_write(CLS "/create", V54 " " U1 " extra"));
	EXPECT_EQ(-EINVAL, gh_write(CLS "/create", "../../remove " U1));
	EXPECT_EQ(-EINVAL, gh_write(CLS "/mdev_result", U1 " 5"));
	EXPECT_EQ(-EINVAL, gh_write(CLS "/mdev_result", U1 " 0"));
	EXPECT_EQ(-ENOENT, gh_write(CLS "/mdev_result", "create " U1 " 0"));
	ASSERT_EQ(0, gh_read(CLS "/mdevs", buf, sizeof(buf)));
	EXPECT_STREQ("", buf);
	EXPECT_LE(1, kmsg_count("is not a UUID (8-4-4-4-12 hex digits)"));
}

TEST_F(gvt, parent_removal_with_mdevs_and_return_recreates_them)
{
	ASSERT_EQ(0, gh_write(CLS "/create", V54 " " U1));
	ASSERT_EQ(0, gh_write(CLS "/create", V58 " " U2));
	ASSERT_TRUE(mdev_exists(U1, 3000));
	ASSERT_TRUE(mdev_exists(U2, 3000));

	/* i915 unbinding / kvmgt unloading: the mdev core drops the mdevs */
	fake_unload();
	EXPECT_TRUE(mdev_gone(U1, 2000));
	EXPECT_TRUE(mdev_gone(U2, 2000));
	EXPECT_TRUE(wait_exists(false, 2000, "%s", CLS));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));

	/* the parent returns: gpuhelper's declarations are applied again */
	ASSERT_EQ(0, fake_load());
	EXPECT_TRUE(mdev_exists(U1, 3000));
	EXPECT_TRUE(mdev_exists(U2, 3000));
	EXPECT_STREQ(V54, type_of(U1));
	EXPECT_STREQ(V58, type_of(U2));
}

TEST_F(gvt, gpuhelper_unload_leaves_mdevs_to_the_mdev_core)
{
	ASSERT_EQ(0, gh_write(CLS "/create", V54 " " U1));
	ASSERT_TRUE(mdev_exists(U1, 3000));

	ASSERT_EQ(0, gh_unload("gpuhelper"));
	EXPECT_FALSE(gh_exists(CLS));
	EXPECT_TRUE(gh_exists("/sys/bus/mdev/devices/%s/iommu_group", U1));

	/* back: the survivor is listed, and can be removed through gpuhelper */
	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS));
	ASSERT_TRUE(gh_exists(CLS "/mdevs"));
	EXPECT_STREQ(U1 " * unmanaged", mdevs_line(U1));
	ASSERT_EQ(0, gh_write(CLS "/remove", U1));
	EXPECT_TRUE(mdev_gone(U1, 3000));
}

/* ---- mdevs=: parents that appear after gpuhelper, or never ---- */

FIXTURE(boot) {
	pid_t listener;
};

FIXTURE_SETUP(boot) {
	fake_unload();
	ASSERT_EQ(0, gh_unload("gpuhelper"));
	self->listener = listener_start();
	ASSERT_LT(0, self->listener);
}

FIXTURE_TEARDOWN(boot) {
	listener_stop(self->listener);
	restore();
}

TEST_F(boot, mdevs_param_creates_when_parent_loads_later)
{
	char buf[512];

	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS " mdevs=0000:00:02.0/" V54 "/" U1
			     ",0000:00:02.0//" U2));
	ASSERT_EQ(0, gh_read("/sys/module/gpuhelper/parameters/mdevs", buf, sizeof(buf)));
	EXPECT_STREQ("0000:00:02.0/" V54 "/" U1 ",0000:00:02.0//" U2, buf);
	EXPECT_FALSE(gh_exists(CLS));
	EXPECT_FALSE(gh_exists("/sys/bus/mdev/devices/%s", U1));

	/* the parent driver loads after gpuhelper, as i915/kvmgt do at boot */
	ASSERT_EQ(0, fake_load());
	EXPECT_TRUE(mdev_exists(U1, 3000));
	EXPECT_TRUE(mdev_exists(U2, 3000));
	EXPECT_TRUE(gh_exists("/sys/bus/mdev/devices/%s/iommu_group", U1));
	EXPECT_STREQ(V54, type_of(U1));
	EXPECT_STREQ(V54, type_of(U2));	/* default: 1920x1200 had room */
	EXPECT_TRUE(wait_line(U2, U2 " " V54 " active", 2000));
}

TEST_F(boot, mdevs_param_with_parent_present_at_load)
{
	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS));
	ASSERT_EQ(0, fake_load());
	ASSERT_EQ(0, gh_unload("gpuhelper"));
	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS " mdevs=0000:00:02.0/" V58 "/" U3));
	EXPECT_TRUE(mdev_exists(U3, 3000));
	EXPECT_STREQ(V58, type_of(U3));
}

TEST_F(boot, parent_that_never_appears_is_reported_once)
{
	const char *msg = "0000:00:1f.0: mdevs= lists 1 mdev here";

	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS " mdevs_wait=1 mdevs=0000:00:1f.0/"
			     V54 "/" U1));
	EXPECT_EQ(0, kmsg_count(msg));
	gh_msleep(2000);
	EXPECT_EQ(1, kmsg_count(msg));
	gh_msleep(2000);
	EXPECT_EQ(1, kmsg_count(msg));
	EXPECT_FALSE(gh_exists("/sys/class/gpuhelper/0000:00:1f.0"));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
}

FIXTURE(bad_mdevs) {
};

FIXTURE_VARIANT(bad_mdevs) {
	const char *params;
	int err;
};

FIXTURE_SETUP(bad_mdevs) {
	ASSERT_EQ(0, gh_unload("gpuhelper"));
}

FIXTURE_TEARDOWN(bad_mdevs) {
	restore();
}

FIXTURE_VARIANT_ADD(bad_mdevs, missing_uuid) { "mdevs=0000:00:02.0/" V54, -EINVAL };
FIXTURE_VARIANT_ADD(bad_mdevs, short_bdf) { "mdevs=00:02.0/" V54 "/" U1, -EINVAL };
FIXTURE_VARIANT_ADD(bad_mdevs, bad_uuid) {
	"mdevs=0000:00:02.0/" V54 "/af5972fb-5530-41a7-0000-fd83620444zz", -EINVAL };
FIXTURE_VARIANT_ADD(bad_mdevs, slash_in_type) {
	"mdevs=0000:00:02.0/a/b/" U1, -EINVAL };
FIXTURE_VARIANT_ADD(bad_mdevs, duplicate_uuid) {
	"mdevs=0000:00:02.0/" V54 "/" U1 ",0000:00:02.0/" V58 "/" U1, -EEXIST };

TEST_F(bad_mdevs, load_refused_nothing_claimed)
{
	char params[256];

	snprintf(params, sizeof(params), GH_GOOD_IDS " %s", variant->params);
	EXPECT_EQ(variant->err, gh_load(gh_ko(), params));
	EXPECT_FALSE(gh_exists("/sys/module/gpuhelper"));
	EXPECT_STREQ("", gh_driver(GH_DGPU));
}

TEST_HARNESS_MAIN
