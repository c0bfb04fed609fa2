// SPDX-License-Identifier: GPL-2.0
/*
 * display_test.c - Looking Glass's IVSHMEM size against the formula of
 * its documentation ("Determining memory", looking-glass.io), worked
 * step by step as the documentation does, in floating point, beside the
 * examples it and the issue give; the display options' parsers; the
 * evdev pick under a root built here.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "domain/display.h"
#include "lib/root.h"

/*
 * The documentation's steps: width x height x 4 x 2 = frame bytes;
 * / 1024 / 1024 = frame megabytes; + 10 = total; rounded up to the
 * nearest power of two. A second, independent reading of it.
 */
static unsigned int documented(unsigned int w, unsigned int h)
{
	double total = (double)w * h * 4 * 2 / 1024 / 1024 + 10;
	unsigned int p = 1;

	while (p < total)
		p *= 2;
	return p;
}

TEST(documented_examples)
{
	/* the documentation's and the issue's own figures */
	EXPECT_EQ(32, gh_lg_size_mib(1920, 1080));
	EXPECT_EQ(64, gh_lg_size_mib(2560, 1440));
	EXPECT_EQ(128, gh_lg_size_mib(3840, 2160));
	/* the e2e's L2 guest */
	EXPECT_EQ(16, gh_lg_size_mib(800, 600));
	EXPECT_EQ(0, gh_lg_size_mib(0, 1080));
}

TEST(formula_over_a_grid_of_resolutions)
{
	unsigned int w, h, checked = 0;

	for (w = 16; w <= 8192; w += 37)
		for (h = 16; h <= 4608; h += 53) {
			unsigned int got = gh_lg_size_mib(w, h);

			ASSERT_EQ(documented(w, h), got) TH_LOG("%ux%u", w, h);
			/* a power of two, and the smallest that holds it */
			ASSERT_EQ(0, got & (got - 1));
			ASSERT_GE((double)got * 1048576, (double)w * h * 8 + 10485760.0);
			if (got > 16)
				ASSERT_LT((double)got / 2 * 1048576, (double)w * h * 8 + 10485760.0);
			checked++;
		}
	EXPECT_LT(10000, checked);
}

/* at the power-of-two edges */
TEST(rounding_at_the_edges)
{
	/* 1024 x 1024 x 8 = 8 MiB of frames: 18 MiB -> 32 */
	EXPECT_EQ(32, gh_lg_size_mib(1024, 1024));
	/* 1024 x 768 x 8 = 6 MiB: 16 MiB exactly, no rounding up */
	EXPECT_EQ(16, gh_lg_size_mib(1024, 768));
	/* one pixel more: past 16 */
	EXPECT_EQ(32, gh_lg_size_mib(1025, 768));
	/* 2816 x 1984 x 8 = 42.6 MiB + 10 = 52.6 -> 64, the largest 64 MiB one here */
	EXPECT_EQ(64, gh_lg_size_mib(2816, 1984));
	/* 16384 x 16384 x 8 = 2 GiB + 10 MiB -> 4096 MiB: no overflow */
	EXPECT_EQ(4096, gh_lg_size_mib(16384, 16384));
}

TEST(parsers)
{
	unsigned int x = 0, y = 0;

	EXPECT_EQ(0, gh_display_parse_res("2560x1440", &x, &y));
	EXPECT_EQ(2560, x);
	EXPECT_EQ(1440, y);
	EXPECT_EQ(-EINVAL, gh_display_parse_res("2560x", &x, &y));
	EXPECT_EQ(-EINVAL, gh_display_parse_res("0x1080", &x, &y));
	EXPECT_EQ(-EINVAL, gh_display_parse_res("1920x1080p", &x, &y));
	EXPECT_EQ(-EINVAL, gh_display_parse_res("99999x1080", &x, &y));
	EXPECT_EQ(GH_STAGE_INSTALL, gh_display_parse_stage("install"));
	EXPECT_EQ(GH_STAGE_FINAL, gh_display_parse_stage("final"));
	EXPECT_EQ(-EINVAL, gh_display_parse_stage("second"));
	EXPECT_TRUE(gh_display_grab_toggle_valid("ctrl-ctrl"));
	EXPECT_TRUE(gh_display_grab_toggle_valid("ctrl-scrolllock"));
	EXPECT_FALSE(gh_display_grab_toggle_valid("ctrl-alt"));
}

static char root[] = "/tmp/gh-display-XXXXXX";

static void touch(const char *rel)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	f = fopen(path, "w");
	if (f)
		fclose(f);
}

static void mkdirs(void)
{
	static const char *const d[] = { "/dev", "/dev/input", "/dev/input/by-id",
					 "/dev/input/by-path" };
	char path[512];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s%s", root, d[i]);
		mkdir(path, 0755);
	}
}

static void cleanup(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		return;
}

/* udev's names (60-persistent-input.rules): -event-kbd, -event-mouse, -mouse, -kbd */
TEST(evdev_pick)
{
	char kbd[256], mouse[256], why[512];

	ASSERT_NE(NULL, mkdtemp(root));
	gh_root_set(root);
	mkdirs();
	/* nothing at all: the error says what to pass */
	EXPECT_EQ(-ENOENT, gh_evdev_pick(kbd, sizeof(kbd), mouse, sizeof(mouse), why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "--evdev=KEYBOARD[,MOUSE]")) TH_LOG("%s", why);
	/* a laptop: the built-in keyboard and touchpad only in by-path */
	touch("/dev/input/by-path/platform-i8042-serio-0-event-kbd");
	touch("/dev/input/by-path/platform-i8042-serio-1-event-mouse");
	ASSERT_EQ(0, gh_evdev_pick(kbd, sizeof(kbd), mouse, sizeof(mouse), why, sizeof(why)));
	EXPECT_STREQ("/dev/input/by-path/platform-i8042-serio-0-event-kbd", kbd);
	EXPECT_STREQ("/dev/input/by-path/platform-i8042-serio-1-event-mouse", mouse);
	/* USB devices in by-id win; not the legacy -mouse node, not the -if01 keyboard part */
	touch("/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse");
	touch("/dev/input/by-id/usb-Logitech_USB_Receiver-if01-mouse");
	touch("/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd");
	touch("/dev/input/by-id/usb-Cherry_Keyboard-event-kbd");
	ASSERT_EQ(0, gh_evdev_pick(kbd, sizeof(kbd), mouse, sizeof(mouse), why, sizeof(why)));
	EXPECT_STREQ("/dev/input/by-id/usb-Cherry_Keyboard-event-kbd", kbd);
	EXPECT_STREQ("/dev/input/by-id/usb-Logitech_USB_Receiver-if01-event-mouse", mouse);
	cleanup();
	gh_root_set("/");
}

TEST(plan_sizes_and_evdev_list)
{
	struct gh_display_opts o = { .stage = -1, .looking_glass = true };
	struct gh_display_plan d;
	char why[256];

	/* the guest's resolution when none is given */
	ASSERT_EQ(0, gh_display_plan_make(&d, &o, 2560, 1440, why, sizeof(why)));
	EXPECT_EQ(GH_STAGE_FINAL, d.stage);
	EXPECT_EQ(64, d.lg_mib);
	o.lg_xres = 3840;
	o.lg_yres = 2160;
	ASSERT_EQ(0, gh_display_plan_make(&d, &o, 2560, 1440, why, sizeof(why)));
	EXPECT_EQ(128, d.lg_mib);
	/* no resolution known at all: 1920x1080 */
	o.lg_xres = o.lg_yres = 0;
	ASSERT_EQ(0, gh_display_plan_make(&d, &o, 0, 0, why, sizeof(why)));
	EXPECT_EQ(32, d.lg_mib);
	o.evdev = true;
	o.evdev_devs = "/dev/input/by-id/k-event-kbd,/dev/input/by-id/m-event-mouse";
	ASSERT_EQ(0, gh_display_plan_make(&d, &o, 0, 0, why, sizeof(why)));
	EXPECT_STREQ("/dev/input/by-id/k-event-kbd", d.kbd);
	EXPECT_STREQ("/dev/input/by-id/m-event-mouse", d.mouse);
	EXPECT_STREQ("ctrl-ctrl", d.grab_toggle);
	o.evdev_devs = "k-event-kbd";
	EXPECT_EQ(-EINVAL, gh_display_plan_make(&d, &o, 0, 0, why, sizeof(why)));
	o.evdev_devs = "/a,/b,/c";
	EXPECT_EQ(-EINVAL, gh_display_plan_make(&d, &o, 0, 0, why, sizeof(why)));
	o.evdev_devs = "/a";
	o.grab_toggle = "ctrl-alt-del";
	EXPECT_EQ(-EINVAL, gh_display_plan_make(&d, &o, 0, 0, why, sizeof(why)));
}

TEST_HARNESS_MAIN
