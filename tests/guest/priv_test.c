// SPDX-License-Identifier: GPL-2.0
/*
 * priv_test.c - an unprivileged user cannot move the dGPU (issue 8).
 *
 * As uid/gid 65534 with no capabilities: every gpuhelper sysfs file that
 * changes something is refused by its mode, the vBIOS files are not even
 * readable, every mutating netlink request fails with EPERM whatever it
 * carries, while reading (state, role, blockers, DEV_GET) works; the
 * events group needs CAP_NET_ADMIN. The same from a user namespace where
 * "root" holds CAP_NET_ADMIN over nothing but itself. Root holding only
 * CAP_NET_ADMIN may read and listen but not move the GPU or its mdevs
 * (CAP_SYS_ADMIN). Nothing moves meanwhile.
 *
 * netlink_test.c already checks one set-state and one state write as
 * nobody; this covers every attribute, every target, and namespaces.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "gh_handoff.h"
#include "gh_nl.h"

#define CLS_DGPU	"/sys/class/gpuhelper/" GH_DGPU
#define CLS_AUDIO	"/sys/class/gpuhelper/" GH_AUDIO
#define CLS_IGPU	"/sys/class/gpuhelper/" GH_IGPU

/* Files a user may read but never write, and root-only ones. */
static const struct {
	const char *path;
	mode_t mode;		/* the documented permission bits */
	bool user_reads;
} files[] = {
	{ CLS_DGPU "/state", 0644, true },
	{ CLS_DGPU "/blockers", 0444, true },
	{ CLS_DGPU "/role", 0444, true },
	{ CLS_DGPU "/vbios", 0400, false },
	{ CLS_DGPU "/vbios_source", 0400, false },
	{ CLS_DGPU "/vbios_info", 0400, false },
	{ CLS_AUDIO "/state", 0644, true },
	{ CLS_AUDIO "/role", 0444, true },
	{ "/sys/bus/pci/drivers/gpuhelper/bind", 0200, false },
	{ "/sys/bus/pci/drivers/gpuhelper/unbind", 0200, false },
	{ "/sys/bus/pci/devices/" GH_DGPU "/driver_override", 0644, true },
	{ "/sys/module/gpuhelper/parameters/ids", 0444, true },
	/* mdev parent (tests/kmod/gh_fake_gvt.ko), when loaded */
	{ CLS_IGPU "/create", 0200, false },
	{ CLS_IGPU "/remove", 0200, false },
	{ CLS_IGPU "/mdev_result", 0200, false },
	{ CLS_IGPU "/mdevs", 0444, true },
};

#define NFILES	(sizeof(files) / sizeof(files[0]))

static int open_errno(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Returns 10 + index of the first file that behaved otherwise. */
static int nobody_opens_files(void)
{
	for (unsigned int i = 0; i < NFILES; i++) {
		int w, rw, r;

		if (access(files[i].path, F_OK) && errno == ENOENT)
			continue;
		w = open_errno(files[i].path, O_WRONLY);
		rw = open_errno(files[i].path, O_RDWR);
		r = open_errno(files[i].path, O_RDONLY);
		if (w != EACCES || rw != EACCES ||
		    r != (files[i].user_reads ? 0 : EACCES)) {
			printf("# as nobody, %s: write %s, read-write %s, read %s\n",
			       files[i].path, strerror(w), strerror(rw), strerror(r));
			return 10 + i;
		}
	}
	return 0;
}

/* Every mutating request, well-formed or not: EPERM before anything. */
static int try_set_state(struct gh_nl *nl)
{
	static const uint32_t targets[] = {
		GPUHELPER_STATE_STUB, GPUHELPER_STATE_VFIO, GPUHELPER_STATE_HOST,
		GPUHELPER_STATE_UNBOUND, 0, 77,
	};
	struct gh_nl_req r;

	for (unsigned int i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		if (gh_nl_set_state(nl, GH_DGPU, targets[i], -1) != -EPERM)
			return 20 + i;
		if (gh_nl_set_state(nl, GH_AUDIO, targets[i], 0) != -EPERM)
			return 30 + i;
	}
	/* no attributes at all: still EPERM, not EINVAL */
	gh_nl_req_init(nl, &r, nl->family, GPUHELPER_CMD_DEV_SET_STATE, 0);
	if (gh_nl_xfer(nl, &r, NULL, 0) != -EPERM)
		return 40;
	return 0;
}

static int nobody_uses_netlink(void)
{
	static char out[8][8192];
	struct gh_nl_req r;
	struct gh_nl_msg m;
	struct gh_nl nl;
	int ret;

	if (gh_nl_open(&nl))
		return 50;
	ret = try_set_state(&nl);
	if (ret)
		return ret;
	/* reading is open to everyone, listening needs CAP_NET_ADMIN */
	if (gh_nl_get(&nl, GH_DGPU, &m))
		return 51;
	gh_nl_req_init(&nl, &r, nl.family, GPUHELPER_CMD_DEV_GET, NLM_F_DUMP);
	if (gh_nl_xfer(&nl, &r, out, 8) < 2)
		return 52;
	if (gh_nl_subscribe(&nl) != -EPERM)
		return 53;
	gh_nl_close(&nl);
	return 0;
}

/* MDEV_CREATE and MDEV_REMOVE, well-formed: EPERM before anything. */
static int try_mdev(struct gh_nl *nl)
{
	static const uint8_t uuid[16] = { 0xaf, 0x59, 0x72, 0xfb, 0x55, 0x30, 0x41, 0xa7 };
	struct gh_nl_req r;

	gh_nl_req_init(nl, &r, nl->family, GPUHELPER_CMD_MDEV_CREATE, 0);
	gh_nl_put_str(&r, GPUHELPER_A_MDEV_PARENT, GH_IGPU);
	gh_nl_put(&r, GPUHELPER_A_MDEV_UUID, uuid, sizeof(uuid));
	if (gh_nl_xfer(nl, &r, NULL, 0) != -EPERM)
		return 80;
	gh_nl_req_init(nl, &r, nl->family, GPUHELPER_CMD_MDEV_REMOVE, 0);
	gh_nl_put(&r, GPUHELPER_A_MDEV_UUID, uuid, sizeof(uuid));
	if (gh_nl_xfer(nl, &r, NULL, 0) != -EPERM)
		return 81;
	return 0;
}

/*
 * Root holding CAP_NET_ADMIN and nothing else (a network manager, a
 * container given NET_ADMIN): it may read and listen, never move the GPU
 * or its mdevs, which needs CAP_SYS_ADMIN as the sysfs route needs root.
 */
static int net_admin_only_uses_netlink(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { 0 };
	struct gh_nl_msg m;
	struct gh_nl nl;
	int ret;

	d[CAP_NET_ADMIN / 32].effective = 1U << (CAP_NET_ADMIN % 32);
	d[CAP_NET_ADMIN / 32].permitted = 1U << (CAP_NET_ADMIN % 32);
	if (syscall(SYS_capset, &h, d))
		return 70;
	if (gh_nl_open(&nl))
		return 71;
	/* well-formed requests: a malformed one fails its validation first */
	for (uint32_t t = GPUHELPER_STATE_STUB; t <= GPUHELPER_STATE_HOST; t++)
		if (gh_nl_set_state(&nl, GH_DGPU, t, -1) != -EPERM)
			return 74 + t;
	ret = try_mdev(&nl);
	if (ret)
		return ret;
	if (gh_nl_get(&nl, GH_DGPU, &m))
		return 72;
	if (gh_nl_subscribe(&nl))
		return 73;
	gh_nl_close(&nl);
	return 0;
}

/* Run @fn in a child, as root; its exit status. */
static int as_root_child(int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * In a user namespace of its own, nobody is root with every capability,
 * over its namespace only: the family's GENL_ADMIN_PERM asks for
 * CAP_NET_ADMIN in the initial one. With a new network namespace too, the
 * family is not there at all (it is not netns-aware).
 */
static int userns_root_uses_netlink(void)
{
	struct gh_nl nl;
	int ret;

	if (unshare(CLONE_NEWUSER))
		return errno == EPERM || errno == EINVAL || errno == ENOSPC ? 4 : 60;
	if (gh_nl_open(&nl))
		return 61;
	ret = try_set_state(&nl);
	if (ret)
		return ret;
	gh_nl_close(&nl);
	/* sysfs belongs to the initial namespace's root */
	if (open_errno(CLS_DGPU "/state", O_WRONLY) != EACCES)
		return 62;
	if (unshare(CLONE_NEWNET))
		return 63;
	ret = gh_nl_open(&nl);
	if (ret != -ENOENT)
		return 64;
	return 0;
}

FIXTURE(priv) {
	struct gh_snap before;
};

FIXTURE_VARIANT(priv) {
	const char *state;
	bool mdev_parent;
};

FIXTURE_VARIANT_ADD(priv, in_stub) { "stub", false };
FIXTURE_VARIANT_ADD(priv, in_vfio) { "vfio", false };
FIXTURE_VARIANT_ADD(priv, in_host_with_mdev_parent) { "host", true };

FIXTURE_SETUP(priv) {
	ASSERT_TRUE(gh_back_to_stub());
	if (variant->mdev_parent)
		ASSERT_EQ(0, gh_system("modprobe gh_fake_gvt"));
	ASSERT_EQ(0, gh_set_state(GH_DGPU, variant->state));
	gh_snap_take(&self->before);
}

FIXTURE_TEARDOWN(priv) {
	if (variant->mdev_parent)
		gh_unload("gh_fake_gvt");
	if (!gh_back_to_stub())
		TH_LOG("could not put the dGPU back to stub");
}

TEST_F(priv, modes_are_as_documented)
{
	unsigned int seen = 0;
	struct stat st;

	for (unsigned int i = 0; i < NFILES; i++) {
		if (stat(files[i].path, &st))
			continue;
		seen++;
		EXPECT_EQ(files[i].mode, st.st_mode & 07777) {
			TH_LOG("%s: mode %o", files[i].path, st.st_mode & 07777);
		}
		EXPECT_EQ(0, st.st_uid);
	}
	EXPECT_LE(variant->mdev_parent ? 13 : 9, seen);
}

TEST_F(priv, nobody_cannot_write_any_file_nor_read_vbios)
{
	struct gh_snap after;

	EXPECT_EQ(0, gh_as_nobody(nobody_opens_files));
	gh_snap_take(&after);
	EXPECT_TRUE(gh_snap_same(&self->before, &after));
}

TEST_F(priv, nobody_mutating_netlink_is_eperm_reading_works)
{
	struct gh_snap after;

	EXPECT_EQ(0, gh_as_nobody(nobody_uses_netlink));
	gh_snap_take(&after);
	EXPECT_TRUE(gh_snap_same(&self->before, &after));
}

TEST_F(priv, net_admin_alone_cannot_move_the_gpu_nor_its_mdevs)
{
	struct gh_snap after;

	EXPECT_EQ(0, as_root_child(net_admin_only_uses_netlink));
	gh_snap_take(&after);
	EXPECT_TRUE(gh_snap_same(&self->before, &after));
}

TEST_F(priv, user_namespace_root_is_still_refused)
{
	struct gh_snap after;
	int ret = gh_as_nobody(userns_root_uses_netlink);

	if (ret == 4)
		SKIP(return, "unprivileged user namespaces are disabled");
	EXPECT_EQ(0, ret);
	gh_snap_take(&after);
	EXPECT_TRUE(gh_snap_same(&self->before, &after));
}

TEST_HARNESS_MAIN
