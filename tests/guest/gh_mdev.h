/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gh_mdev.h - what the mdev guest tests share: the stand-in for udev and
 * "gpuhelper mdev apply" (a uevent listener running the executor), and
 * loading and unloading the fake GVT-g parent (tests/kmod/gh_fake_gvt.c).
 *
 * There is no udev in the guest, so a fixture runs listener_start(): on a
 * "change" of a gpuhelper class device carrying GH_MDEV_ACTION it runs the
 * executor for it, the same userspace/mdev/mdev_exec.c the shipped rule
 * (udev/70-gpuhelper-mdev.rules) runs.
 */
#ifndef GH_MDEV_H
#define GH_MDEV_H

#include <linux/netlink.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "gh_guest.h"
#include "../../userspace/lib/fileio.c"
#include "../../userspace/mdev/mdev_exec.c"

/* ---- the stand-in for udev + "gpuhelper mdev apply" ---- */

static void listener_loop(int sock, int ready)
{
	FILE *log = fopen("/dev/kmsg", "w");
	char buf[8192];

	if (log)
		setvbuf(log, NULL, _IOLBF, 0);
	if (write(ready, "r", 1) != 1)
		_exit(1);
	close(ready);
	for (;;) {
		ssize_t n = recv(sock, buf, sizeof(buf) - 1, 0);
		const char *action = NULL, *subsys = NULL, *devpath = NULL;
		bool mdev_event = false;
		char *p;

		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (p = buf; p < buf + n; p += strlen(p) + 1) {
			if (!strncmp(p, "ACTION=", 7))
				action = p + 7;
			else if (!strncmp(p, "SUBSYSTEM=", 10))
				subsys = p + 10;
			else if (!strncmp(p, "DEVPATH=", 8))
				devpath = p + 8;
			else if (!strncmp(p, "GH_MDEV_ACTION=", 15) && p[15])
				mdev_event = true;
		}
		/* 70-gpuhelper-mdev.rules: SUBSYSTEM=="gpuhelper",
		 * ACTION=="change", ENV{GH_MDEV_ACTION}=="?*" */
		if (action && subsys && devpath && mdev_event &&
		    !strcmp(action, "change") && !strcmp(subsys, "gpuhelper"))
			gh_mdev_apply("", strrchr(devpath, '/') + 1, log, NULL, NULL);
	}
}

static pid_t listener_start(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int sock, pfd[2];
	pid_t pid;
	char c;

	sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (sock < 0 || bind(sock, (struct sockaddr *)&sa, sizeof(sa)) || pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		listener_loop(sock, pfd[1]);
	}
	close(pfd[1]);
	close(sock);
	if (pid < 0 || read(pfd[0], &c, 1) != 1)
		pid = -1;
	close(pfd[0]);
	return pid;
}

static void listener_stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static bool wait_exists(bool want, unsigned int ms, const char *fmt, const char *arg)
{
	for (;;) {
		if (gh_exists(fmt, arg) == want)
			return true;
		if (ms < 20)
			return false;
		gh_msleep(20);
		ms -= 20;
	}
}

#define mdev_exists(uuid, ms)	wait_exists(true, ms, "/sys/bus/mdev/devices/%s", uuid)
#define mdev_gone(uuid, ms)	wait_exists(false, ms, "/sys/bus/mdev/devices/%s", uuid)

/* The mdev core's type of an existing mdev ("" if it has none in 1 s). */
static inline const char *type_of(const char *uuid)
{
	static char name[64];
	char path[128], link[256];
	ssize_t n;
	int i;

	/* the core links the type just after the device appears */
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mdev_type", uuid);
	for (i = 0; (n = readlink(path, link, sizeof(link) - 1)) < 0; i++) {
		if (i == 100)
			return "";
		gh_msleep(10);
	}
	link[n] = '\0';
	snprintf(name, sizeof(name), "%s", strrchr(link, '/') + 1);
	return name;
}

static int fake_load(void)
{
	return gh_system("modprobe gh_fake_gvt");
}

static void fake_unload(void)
{
	gh_unload("gh_fake_gvt");
}

/* Back to the state every program starts in. */
static void restore(void)
{
	fake_unload();
	gh_unload("gpuhelper");
	if (gh_load(gh_ko(), GH_GOOD_IDS) || !gh_wait_driver(GH_DGPU, "gpuhelper", 2000))
		printf("# could not reload gpuhelper for the next test\n");
}

#endif /* GH_MDEV_H */
