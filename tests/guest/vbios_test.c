// SPDX-License-Identifier: GPL-2.0
/*
 * vbios_test.c - the vBIOS shadow's closed loop (issue: vBIOS shadow and
 * guest ACPI tables).
 *
 * The rig (tests/vm/prepare.d/10-vbios) gives each source its own ROM:
 * the edu device's ROM BAR, an ACPI _ROM method from the SSDTs that
 * "gpuhelper acpi vbios" emitted, and a firmware file. The module is
 * loaded with vbios_source= each in turn and must return exactly that
 * source's bytes; with every source it must prefer the firmware file.
 */
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "gh_guest.h"

#define VBIOS	"/sys/class/gpuhelper/" GH_DGPU "/vbios"

static size_t slurp(const char *path, unsigned char *buf, size_t max)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return 0;
	/* odd chunk sizes: reads at any offset must line up */
	while (len < max && (n = read(fd, buf + len, len % 2 ? 3000 : 4096)) > 0)
		len += n;
	close(fd);
	return len;
}

static unsigned char got[512 * 1024], want[512 * 1024];

FIXTURE(source) {
};

FIXTURE_VARIANT(source) {
	const char *param;	/* vbios_source= */
	const char *expect;	/* what vbios_source must say */
	const char *rom;	/* the bytes vbios must return */
};

FIXTURE_VARIANT_ADD(source, acpi_rom_method) { "acpi", "acpi", "/tests/data/acpi.rom" };
FIXTURE_VARIANT_ADD(source, pci_rom_bar) { "rom-bar", "rom-bar", "/tests/data/rom-bar.rom" };
FIXTURE_VARIANT_ADD(source, firmware_file) { "firmware", "firmware", "/tests/data/firmware.rom" };
FIXTURE_VARIANT_ADD(source, auto_prefers_firmware_file) {
	"auto", "firmware", "/tests/data/firmware.rom" };

FIXTURE_SETUP(source) {
	char params[128];

	gh_unload("gpuhelper");
	snprintf(params, sizeof(params), "%s vbios_source=%s", GH_GOOD_IDS,
		 variant->param);
	ASSERT_EQ(0, gh_load(gh_ko(), params));
	ASSERT_TRUE(gh_wait_driver(GH_DGPU, "gpuhelper", 2000));
}

FIXTURE_TEARDOWN(source) {
	gh_unload("gpuhelper");
	if (gh_load(gh_ko(), GH_GOOD_IDS) || !gh_wait_driver(GH_DGPU, "gpuhelper", 2000))
		TH_LOG("could not reload gpuhelper for the next test");
}

TEST_F(source, sysfs_vbios_equals_the_sources_rom)
{
	size_t n, m;
	char buf[64];

	m = slurp(variant->rom, want, sizeof(want));
	ASSERT_GT(m, 0);
	n = slurp(VBIOS, got, sizeof(got));
	ASSERT_EQ(m, n);
	EXPECT_EQ(0, memcmp(want, got, m));
	ASSERT_EQ(0, gh_read("/sys/class/gpuhelper/" GH_DGPU "/vbios_source",
			     buf, sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, variant->expect, strlen(variant->expect))) {
		TH_LOG("vbios_source says '%s'", buf);
	}
	/* served from the shadow: a second read gives the same bytes */
	memset(got, 0, n);
	EXPECT_EQ(n, slurp(VBIOS, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(want, got, m));
}

TEST(vbios_is_root_only_and_absent_on_audio_function)
{
	struct stat st;

	ASSERT_EQ(0, stat(VBIOS, &st));
	EXPECT_EQ(0400, st.st_mode & 0777);
	EXPECT_FALSE(gh_exists("/sys/class/gpuhelper/%s/vbios", GH_AUDIO));
}

TEST(bad_vbios_source_refused)
{
	gh_unload("gpuhelper");
	EXPECT_EQ(-EINVAL, gh_load(gh_ko(), GH_GOOD_IDS " vbios_source=bios"));
	EXPECT_FALSE(gh_exists("/sys/module/gpuhelper"));
	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS));
	ASSERT_TRUE(gh_wait_driver(GH_DGPU, "gpuhelper", 2000));
}

TEST(battery_ssdt_gives_a_present_full_battery)
{
	char buf[32];

	ASSERT_EQ(0, gh_system("modprobe battery"));
	ASSERT_EQ(0, gh_read("/sys/class/power_supply/BAT0/present", buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	ASSERT_EQ(0, gh_read("/sys/class/power_supply/BAT0/capacity", buf, sizeof(buf)));
	EXPECT_STREQ("100", buf);
	ASSERT_EQ(0, gh_read("/sys/class/power_supply/BAT0/technology", buf, sizeof(buf)));
	EXPECT_STREQ("Li-ion", buf);
}

TEST_HARNESS_MAIN
