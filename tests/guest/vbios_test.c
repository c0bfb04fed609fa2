// SPDX-License-Identifier: GPL-2.0
/*
 * vbios_test.c - the vBIOS shadow's closed loop (issue: vBIOS shadow and
 * guest ACPI tables).
 *
 * The rig (tests/vm/prepare.d/10-vbios) gives each source its own ROM,
 * each in a layout real GPUs carry (tests/lib/romgen.h): the edu device's
 * ROM BAR, an ACPI _ROM method from the SSDTs that "gpuhelper acpi vbios"
 * emitted, and a firmware file, all in a GTX 1050 Mobile's layout. The
 * module is loaded with vbios_source= each in turn and must return exactly
 * that source's bytes; with every source it must prefer the firmware file.
 *
 * The other layouts sit on PCI test devices (1b36:0005) behind root ports
 * 00:03.0 (turing), 00:04.0 (simple) and 00:05.0 (flash, stripped), each
 * with a ROM BAR and an ACPI _ROM of its own: the module, claiming them by
 * ids=, must return each byte for byte, from both sources. The turing ROM
 * BAR is the case where the kernel's ROM size (pci_map_rom()) stops early.
 */
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "gh_handoff.h"

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

static unsigned char got[1024 * 1024], want[1024 * 1024];

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

/*
 * The ROM BAR is device MMIO: read only in gpuhelper's probe, never while
 * vfio-pci (or a VM) has the device. Loaded while the dGPU is on vfio-pci,
 * gpuhelper has no rom-bar candidate and says why; once the dGPU comes
 * back to its driver, the probe reads it.
 */
TEST(rom_bar_not_read_while_vfio_holds_the_device)
{
	char info[4096];
	size_t n;

	ASSERT_TRUE(gh_back_to_stub());
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "vfio"));
	ASSERT_EQ(0, gh_unload("gpuhelper"));
	ASSERT_STREQ("vfio-pci", gh_driver(GH_DGPU));
	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS " vbios_source=rom-bar"));
	EXPECT_EQ(0, slurp(VBIOS, got, sizeof(got)));
	ASSERT_EQ(0, gh_read("/sys/class/gpuhelper/" GH_DGPU "/vbios_info", info, sizeof(info)));
	EXPECT_NE(NULL, strstr(info, "candidate rom-bar: not read: read only while gpuhelper's driver holds the device in D0")) {
		TH_LOG("vbios_info: %s", info);
	}
	/* back in the stub: the probe reads it, the empty shadow is retaken */
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
	n = slurp(VBIOS, got, sizeof(got));
	EXPECT_EQ(slurp("/tests/data/rom-bar.rom", want, sizeof(want)), n);
	EXPECT_EQ(0, memcmp(want, got, n));
	gh_unload("gpuhelper");
	ASSERT_EQ(0, gh_load(gh_ko(), GH_GOOD_IDS));
	ASSERT_TRUE(gh_wait_driver(GH_DGPU, "gpuhelper", 2000));
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

/* ---- the other layouts, on the PCI test devices ---- */

FIXTURE(layout) {
	char bdf[16];
};

FIXTURE_VARIANT(layout) {
	const char *port;	/* the root port it sits behind */
	const char *layout;
	const char *source;
};

FIXTURE_VARIANT_ADD(layout, turing_rom_bar) { "0000:00:03.0", "turing", "rom-bar" };
FIXTURE_VARIANT_ADD(layout, turing_acpi) { "0000:00:03.0", "turing", "acpi" };
FIXTURE_VARIANT_ADD(layout, simple_rom_bar) { "0000:00:04.0", "simple", "rom-bar" };
FIXTURE_VARIANT_ADD(layout, simple_acpi) { "0000:00:04.0", "simple", "acpi" };
FIXTURE_VARIANT_ADD(layout, flash_rom_bar) { "0000:00:05.0", "flash", "rom-bar" };
FIXTURE_VARIANT_ADD(layout, flash_stripped_acpi) { "0000:00:05.0", "flash", "acpi" };

FIXTURE_SETUP(layout) {
	char params[128];

	ASSERT_EQ(0, gh_child_of(variant->port, self->bdf, sizeof(self->bdf)));
	gh_unload("gpuhelper");
	snprintf(params, sizeof(params), "ids=1b36:0005 vbios_source=%s", variant->source);
	ASSERT_EQ(0, gh_load(gh_ko(), params));
	ASSERT_TRUE(gh_wait_driver(self->bdf, "gpuhelper", 2000));
}

FIXTURE_TEARDOWN(layout) {
	gh_unload("gpuhelper");
	if (gh_load(gh_ko(), GH_GOOD_IDS) || !gh_wait_driver(GH_DGPU, "gpuhelper", 2000))
		TH_LOG("could not reload gpuhelper for the next test");
}

TEST_F(layout, sysfs_vbios_equals_the_layouts_rom)
{
	char path[96], buf[64];
	size_t n, m;

	snprintf(path, sizeof(path), "/tests/data/layout-%s-%s.rom", variant->layout,
		 variant->source);
	m = slurp(path, want, sizeof(want));
	ASSERT_GT(m, 0);
	snprintf(path, sizeof(path), "/sys/class/gpuhelper/%s/vbios", self->bdf);
	n = slurp(path, got, sizeof(got));
	ASSERT_EQ(m, n) {
		snprintf(path, sizeof(path), "/sys/class/gpuhelper/%s/vbios_info", self->bdf);
		gh_system("cat %s >&2", path);
	}
	EXPECT_EQ(0, memcmp(want, got, m));
	snprintf(path, sizeof(path), "/sys/class/gpuhelper/%s/vbios_source", self->bdf);
	ASSERT_EQ(0, gh_read(path, buf, sizeof(buf)));
	EXPECT_STREQ(variant->source, buf);
}

TEST_HARNESS_MAIN
