// SPDX-License-Identifier: GPL-2.0
/*
 * devusers_test.c - gh_dev_users(): the processes holding a PCI
 * function's device nodes, which gpuhelper handoff names before it takes
 * a GPU from its host driver (issue 14).
 *
 * The tree is laid out as the kernel lays out /proc and /sys (real
 * character device nodes made with mknod, /sys/dev/char links into the
 * device's sysfs directory, NVIDIA's /proc/driver/nvidia/gpus/BDF/
 * information as its driver writes it). Not run here: a live host
 * driver's clients (the rig's guests bind no DRM or sound driver).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "module/devusers.h"

#define DGPU "0000:01:00.0"
#define HDA "0000:01:00.1"
#define IGPU "0000:00:02.0"

static void put(const char *root, const char *rel, const char *text)
{
	char path[4096], cmd[4200];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s%s')\"", root, rel);
	if (system(cmd))
		abort();
	snprintf(path, sizeof(path), "%s%s", root, rel);
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *root, const char *rel, const char *target)
{
	char path[4096], cmd[4200];

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s%s')\"", root, rel);
	if (system(cmd))
		abort();
	snprintf(path, sizeof(path), "%s%s", root, rel);
	if (symlink(target, path))
		abort();
}

/* a node /dev/... of MAJ:MIN, its /sys/dev/char link to @sysdev (relative to /sys/devices) */
static void node(const char *root, const char *dev, unsigned int maj, unsigned int min,
		 const char *sysdev)
{
	char path[4096], rel[128], target[512];

	put(root, dev, "");
	snprintf(path, sizeof(path), "%s%s", root, dev);
	unlink(path);
	if (mknod(path, S_IFCHR | 0600, makedev(maj, min)))
		abort();
	if (!sysdev)
		return;
	snprintf(rel, sizeof(rel), "/sys/dev/char/%u:%u", maj, min);
	snprintf(target, sizeof(target), "../../devices/%s", sysdev);
	link_to(root, rel, target);
	snprintf(path, sizeof(path), "/sys/devices/%s/dev", sysdev);
	snprintf(rel, sizeof(rel), "%u:%u\n", maj, min);
	put(root, path, rel);
}

static void proc(const char *root, int pid, const char *comm, int fd, const char *target)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "/proc/%d/comm", pid);
	put(root, rel, comm);
	snprintf(rel, sizeof(rel), "/proc/%d/fd/%d", pid, fd);
	link_to(root, rel, target);
}

FIXTURE(laptop) {
	char root[64];
};

FIXTURE_SETUP(laptop)
{
	strcpy(self->root, "/tmp/gh-devusers-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root));
	const char *r = self->root;

	put(r, "/sys/devices/pci0000:00/0000:00:01.0/" DGPU "/vendor", "0x10de\n");
	put(r, "/sys/devices/pci0000:00/0000:00:01.0/" HDA "/vendor", "0x10de\n");
	put(r, "/sys/devices/pci0000:00/" IGPU "/vendor", "0x8086\n");
	link_to(r, "/sys/bus/pci/devices/" DGPU, "../../../devices/pci0000:00/0000:00:01.0/" DGPU);
	link_to(r, "/sys/bus/pci/devices/" HDA, "../../../devices/pci0000:00/0000:00:01.0/" HDA);
	link_to(r, "/sys/bus/pci/devices/" IGPU, "../../../devices/pci0000:00/" IGPU);
	/* DRM: the dGPU is card1/renderD129, the iGPU card0 */
	node(r, "/dev/dri/card1", 226, 1, "pci0000:00/0000:00:01.0/" DGPU "/drm/card1");
	node(r, "/dev/dri/renderD129", 226, 129, "pci0000:00/0000:00:01.0/" DGPU "/drm/renderD129");
	node(r, "/dev/dri/card0", 226, 0, "pci0000:00/" IGPU "/drm/card0");
	/* the HDMI audio's PCM */
	node(r, "/dev/snd/pcmC1D3p", 116, 10, "pci0000:00/0000:00:01.0/" HDA "/sound/card1/pcmC1D3p");
	/* NVIDIA's nodes: no sysfs device; this GPU is minor 0 */
	put(r, "/proc/devices", "Character devices:\n  1 mem\n116 alsa\n195 nvidia\n226 drm\n\n"
	    "Block devices:\n  8 sd\n195 notnvidia\n");
	put(r, "/proc/driver/nvidia/gpus/" DGPU "/information",
	    "Model: \t\t NVIDIA GeForce GTX 1050\nIRQ:   \t\t 130\nDevice Minor: \t 0\n"
	    "Bus Location: \t 0000:01:00.0\n");
	node(r, "/dev/nvidia0", 195, 0, NULL);
	node(r, "/dev/nvidia1", 195, 1, NULL);
	node(r, "/dev/nvidiactl", 195, 255, NULL);
	node(r, "/dev/null", 1, 3, "virtual/mem/null");
}

FIXTURE_TEARDOWN(laptop)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->root);
	if (system(cmd))
		abort();
}

static bool has(const struct gh_dev_user *u, int n, int pid, const char *node)
{
	for (int i = 0; i < n; i++)
		if (u[i].pid == pid && !strcmp(u[i].node, node))
			return true;
	return false;
}

TEST_F(laptop, nobody_holds_an_unused_gpu)
{
	struct gh_dev_user u[8];

	proc(self->root, 300, "bash\n", 0, "/dev/null");
	proc(self->root, 301, "pipewire\n", 7, "socket:[4242]");
	EXPECT_EQ(0, gh_dev_users(self->root, DGPU, u, 8));
	EXPECT_EQ(0, gh_dev_users(self->root, HDA, u, 8));
}

TEST_F(laptop, drm_clients_of_the_dgpu_are_named_not_the_igpus)
{
	struct gh_dev_user u[8];
	int n;

	proc(self->root, 812, "Xorg\n", 14, "/dev/dri/card1");
	proc(self->root, 812, "Xorg\n", 15, "/dev/dri/card0");
	proc(self->root, 2001, "firefox\n", 40, "/dev/dri/renderD129");
	proc(self->root, 2001, "firefox\n", 41, "/dev/dri/renderD129");
	proc(self->root, 2002, "gnome-shell\n", 9, "/dev/dri/card0");
	n = gh_dev_users(self->root, DGPU, u, 8);
	ASSERT_EQ(2, n);
	EXPECT_TRUE(has(u, n, 812, "/dev/dri/card1"));
	EXPECT_TRUE(has(u, n, 2001, "/dev/dri/renderD129"));
	for (int i = 0; i < n; i++)
		if (u[i].pid == 812)
			EXPECT_STREQ("Xorg", u[i].comm);
	EXPECT_EQ(2, gh_dev_users(self->root, IGPU, u, 8));
}

TEST_F(laptop, a_sound_server_on_the_hdmi_audio_is_named)
{
	struct gh_dev_user u[8];

	proc(self->root, 1500, "pipewire\n", 33, "/dev/snd/pcmC1D3p");
	ASSERT_EQ(1, gh_dev_users(self->root, HDA, u, 8));
	EXPECT_EQ(1500, u[0].pid);
	EXPECT_STREQ("pipewire", u[0].comm);
	EXPECT_EQ(0, gh_dev_users(self->root, DGPU, u, 8));
}

TEST_F(laptop, nvidias_own_nodes_are_matched_by_the_gpus_minor)
{
	struct gh_dev_user u[8];
	int n;

	proc(self->root, 900, "nvidia-persiste\n", 3, "/dev/nvidiactl");
	proc(self->root, 901, "blender\n", 5, "/dev/nvidia0");
	proc(self->root, 902, "other-gpu-job\n", 5, "/dev/nvidia1");
	n = gh_dev_users(self->root, DGPU, u, 8);
	ASSERT_EQ(2, n);
	EXPECT_TRUE(has(u, n, 900, "/dev/nvidiactl"));
	EXPECT_TRUE(has(u, n, 901, "/dev/nvidia0"));
}

TEST_F(laptop, more_users_than_room_are_counted)
{
	struct gh_dev_user u[2];

	for (int pid = 4000; pid < 4005; pid++)
		proc(self->root, pid, "glxgears\n", 3, "/dev/dri/renderD129");
	EXPECT_EQ(5, gh_dev_users(self->root, DGPU, u, 2));
}

TEST_F(laptop, a_function_not_in_sysfs_is_an_error)
{
	struct gh_dev_user u[2];

	EXPECT_EQ(-ENOENT, gh_dev_users(self->root, "0000:05:00.0", u, 2));
}

TEST_HARNESS_MAIN
