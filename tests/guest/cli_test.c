// SPDX-License-Identifier: GPL-2.0
/*
 * cli_test.c - the CLI's status, handoff and monitor commands against the
 * real module (issue 3). The guest has no libpci or libxml2, so this
 * program links the commands' own sources (and static libnl-genl-3)
 * rather than the whole gpuhelper binary, and calls them as main() does.
 */
#include <grp.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "gh_handoff.h"

#include "../../userspace/lib/print.c"
#include "../../userspace/lib/fileio.c"
#include "../../userspace/lib/opts.c"
#include "../../userspace/module/nl.c"
#include "../../userspace/module/devusers.c"
#include "../../userspace/module/handoff_args.c"
#include "../../userspace/cmd/cmd_status.c"
#include "../../userspace/cmd/cmd_monitor.c"
#include "../../userspace/cmd/cmd_handoff.c"

#define CLI(out, err, fn, ...) \
	run_cli(out, err, fn, (char *[]){ __VA_ARGS__, NULL }, \
		(int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))

static char cli_out[8192], cli_err[8192];

/* An anonymous file for captured output. */
static int tmpfd(void)
{
	char path[] = "/tmp/cli_test.XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

/* Capture files, opened once as root so a child that dropped to nobody can use them. */
static int cap_out = -1, cap_err = -1;

static void __attribute__((constructor)) open_captures(void)
{
	cap_out = tmpfd();
	cap_err = tmpfd();
}

static void slurp(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
}

/* Run a command with stdout/stderr captured; its exit code. */
static int run_cli(char *out, char *err, int (*fn)(int, char **), char **argv,
		   int argc)
{
	int so = dup(1), se = dup(2), rc;

	fflush(stdout);
	fflush(stderr);
	ftruncate(cap_out, 0);
	ftruncate(cap_err, 0);
	lseek(cap_out, 0, SEEK_SET);
	lseek(cap_err, 0, SEEK_SET);
	dup2(cap_out, 1);
	dup2(cap_err, 2);
	rc = fn(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(cap_out, out, sizeof(cli_out));
	slurp(cap_err, err, sizeof(cli_err));
	return rc;
}

FIXTURE(cli) {
};

FIXTURE_SETUP(cli) {
	ASSERT_TRUE(gh_back_to_stub());
}

FIXTURE_TEARDOWN(cli) {
	if (!gh_back_to_stub())
		TH_LOG("could not put the dGPU back to stub");
}

TEST_F(cli, status_lists_dgpu_and_audio_from_netlink)
{
	char line[128];

	ASSERT_EQ(0, CLI(cli_out, cli_err, cmd_status, "status"));
	snprintf(line, sizeof(line), "%-13s %-6s %-8s %-14s 1234:11e8", GH_DGPU, "dgpu",
		 "stub", "gpuhelper");
	EXPECT_NE(NULL, strstr(cli_out, line)) TH_LOG("status:\n%s", cli_out);
	EXPECT_NE(NULL, strstr(cli_out, "follows " GH_DGPU));

	ASSERT_EQ(0, CLI(cli_out, cli_err, cmd_status, "status", "--json", "01:00.1"));
	EXPECT_NE(NULL, strstr(cli_out, "\"role\":\"audio\"")) TH_LOG("json: %s", cli_out);
	EXPECT_NE(NULL, strstr(cli_out, "\"follows\":\"" GH_DGPU "\""));
}

/*
 * The held dGPU and its audio function runtime-suspend while idle (to
 * D3hot where the function has a PM capability: QEMU's edu and
 * ich9-intel-hda have none and stay in D0), status says so, and both are
 * back in suspend after a round trip through vfio-pci.
 */
static int gh_read_pci_attr(const char *bdf, const char *attr, char *buf, size_t len)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	return gh_read(path, buf, len);
}

static bool runtime_suspended(const char *bdf, int ms)
{
	char buf[32];

	for (int i = 0; i <= ms / 50; i++) {
		if (!gh_read_pci_attr(bdf, "power/runtime_status", buf, sizeof(buf)) &&
		    !strcmp(buf, "suspended"))
			return true;
		gh_msleep(50);
	}
	return false;
}

/* Does the function have a PCI power management capability? */
static bool has_pm_cap(const char *bdf)
{
	unsigned char cfg[256];
	char path[128];
	unsigned int ptr, hops = 0;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, cfg, sizeof(cfg)) < 64) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	close(fd);
	if (!(cfg[0x06] & 0x10))	/* no capability list */
		return false;
	for (ptr = cfg[0x34] & 0xfc; ptr && ptr < 0xff && hops++ < 48; ptr = cfg[ptr + 1] & 0xfc)
		if (cfg[ptr] == 0x01)
			return true;
	return false;
}

TEST_F(cli, held_functions_runtime_suspend_and_status_shows_it)
{
	char buf[32], want[96];
	const char *audio_state;

	EXPECT_TRUE(runtime_suspended(GH_DGPU, 3000));
	EXPECT_TRUE(runtime_suspended(GH_AUDIO, 3000));
	ASSERT_EQ(0, gh_read_pci_attr(GH_DGPU, "power/control", buf, sizeof(buf)));
	EXPECT_STREQ("auto", buf);
	/* a function with a PM capability goes to D3hot; one without stays in D0 */
	audio_state = has_pm_cap(GH_AUDIO) ? "D3hot" : "D0";
	TH_LOG("audio function: %s PM capability", has_pm_cap(GH_AUDIO) ? "a" : "no");
	ASSERT_EQ(0, gh_read_pci_attr(GH_AUDIO, "power_state", buf, sizeof(buf)));
	EXPECT_STREQ(audio_state, buf);
	ASSERT_EQ(0, CLI(cli_out, cli_err, cmd_status, "status", "--json", "01:00.1"));
	snprintf(want, sizeof(want), "\"power\":\"%s\",\"runtime_pm\":\"suspended\"",
		 audio_state);
	EXPECT_NE(NULL, strstr(cli_out, want)) TH_LOG("json: %s", cli_out);

	ASSERT_EQ(0, gh_set_state(GH_DGPU, "vfio"));
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
	EXPECT_TRUE(runtime_suspended(GH_DGPU, 3000));
	EXPECT_TRUE(runtime_suspended(GH_AUDIO, 3000));
}

TEST_F(cli, handoff_to_vfio_and_back_moves_both)
{
	ASSERT_EQ(0, CLI(cli_out, cli_err, cmd_handoff, "handoff", "--to", "vfio", "01:00.0"))
		TH_LOG("stderr: %s", cli_err);
	EXPECT_STREQ(GH_DGPU ": vfio\n", cli_out);
	EXPECT_STREQ("vfio-pci", gh_driver(GH_DGPU));
	EXPECT_STREQ("vfio-pci", gh_driver(GH_AUDIO));
	ASSERT_EQ(0, CLI(cli_out, cli_err, cmd_handoff, "handoff", "--to", "stub", GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_AUDIO));
}

TEST_F(cli, without_audio_refusal_names_audio_and_driver)
{
	char want[256];

	ASSERT_EQ(0, gh_set_state(GH_AUDIO, "host"));
	EXPECT_EQ(GH_EXIT_FAIL, CLI(cli_out, cli_err, cmd_handoff, "handoff",
				    "--without-audio", GH_DGPU));
	snprintf(want, sizeof(want),
		 "gpuhelper: %s is in IOMMU group %d with %s (snd_hda_intel): hand it off too, or pass --with-audio\n",
		 GH_DGPU, gh_group_of(GH_DGPU), GH_AUDIO);
	EXPECT_STREQ(want, cli_err);
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_STREQ("snd_hda_intel", gh_driver(GH_AUDIO));
}

TEST_F(cli, dry_run_lists_the_set_and_changes_nothing)
{
	ASSERT_EQ(0, CLI(cli_out, cli_err, cmd_handoff, "handoff", "--dry-run", GH_DGPU));
	EXPECT_NE(NULL, strstr(cli_out, GH_AUDIO " audio (stub -> vfio)")) TH_LOG("%s", cli_out);
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
}

TEST_F(cli, monitor_prints_each_change)
{
	int fd = tmpfd();
	pid_t pid;
	int status;

	ASSERT_LE(0, fd);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "monitor", "--count", "2", NULL };

		dup2(fd, 1);
		_exit(cmd_monitor(3, argv));
	}
	gh_msleep(300);		/* let it subscribe */
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "vfio"));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	slurp(fd, cli_out, sizeof(cli_out));
	close(fd);
	EXPECT_STREQ(GH_DGPU " dgpu stub -> vfio (sysfs)\n" GH_AUDIO " audio stub -> vfio (sysfs)\n",
		     cli_out);
}

TEST_F(cli, unprivileged_handoff_says_it_needs_root)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(100);
		int rc = CLI(cli_out, cli_err, cmd_handoff, "handoff", GH_DGPU);

		if (rc == GH_EXIT_ERROR && strstr(cli_err, "needs root (CAP_NET_ADMIN)"))
			_exit(0);
		printf("# as nobody: exit %d, stderr: %s\n", rc, cli_err);
		_exit(1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
}

TEST_HARNESS_MAIN
