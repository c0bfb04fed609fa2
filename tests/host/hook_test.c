// SPDX-License-Identifier: GPL-2.0
/*
 * hook_test.c - the libvirt hook's decisions (issue 13): which hostdevs
 * it may move, which files it trusts, what it refuses to take and what
 * it gives back. tests/host/hook.t runs the same through the shipped hook.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "domain/domain.h"
#include "host/hook.h"
#include "module/nl.h"
#include "lib/root.h"

#define NOBODY 65534
#define ADDR "domain='0x0000' bus='0x01' slot='0x00' function='0x0'"

/* The PCI hostdevs of a domain holding @devices; their count or -errno. */
static int hostdevs(const char *devices, char (*bdf)[GH_BDF_LEN], char *why,
		    size_t whylen)
{
	char xml[2048];
	xmlDocPtr doc;
	int n;

	snprintf(xml, sizeof(xml),
		 "<domain type='kvm'><name>w</name><devices>%s</devices></domain>", devices);
	doc = gh_domain_parse(xml, strlen(xml), "test", why, whylen);
	if (!doc)
		return -EBADMSG;
	n = gh_hook_pci_hostdevs(doc, bdf, GH_HOOK_HOSTDEVS, why, whylen);
	xmlFreeDoc(doc);
	return n;
}

#define PCI(managed, addr) \
	"<hostdev mode='subsystem' type='pci' managed='" managed "'><source><address " \
	addr "/></source><alias name='ua-gpuhelper-dgpu'/></hostdev>"

TEST(only_unmanaged_subsystem_pci_hostdevs_count)
{
	char bdf[GH_HOOK_HOSTDEVS][GH_BDF_LEN], why[512];

	ASSERT_EQ(2, hostdevs(PCI("no", ADDR)
			      PCI("yes", "domain='0' bus='2' slot='0' function='0'")
			      "<hostdev mode='subsystem' type='usb' managed='no'><source>"
			      "<address bus='1' device='0'/></source>"
			      "<alias name='ua-gpuhelper-dgpu'/></hostdev>"
			      "<hostdev mode='capabilities' type='pci' managed='no'><source>"
			      "<address " ADDR "/></source></hostdev>"
			      "<hostdev type='pci' managed='no'><source><address " ADDR
			      "/></source></hostdev>"
			      PCI("no", "domain='1' bus='10' slot='31' function='7'"),
			      bdf, why, sizeof(why)));
	EXPECT_STREQ("0000:01:00.0", bdf[0]);
	EXPECT_STREQ("0001:0a:1f.7", bdf[1]);
}

TEST(usb_hostdev_alone_is_no_pci_function)
{
	char bdf[GH_HOOK_HOSTDEVS][GH_BDF_LEN], why[512];

	EXPECT_EQ(0, hostdevs("<hostdev mode='subsystem' type='usb' managed='no'><source>"
			      "<vendor id='0x046d'/><product id='0xc52b'/>"
			      "<address bus='1' device='0'/></source>"
			      "<alias name='ua-gpuhelper-dgpu'/></hostdev>",
			      bdf, why, sizeof(why)));
}

TEST(each_missing_address_part_is_refused_by_name)
{
	static const char *const cases[][2] = {
		{ "bus='1' slot='0' function='0'", "has no domain=" },
		{ "domain='0' slot='0' function='0'", "has no bus=" },
		{ "domain='0' bus='1' function='0'", "has no slot=" },
		{ "domain='0' bus='1' slot='0'", "has no function=" },
	};
	char bdf[GH_HOOK_HOSTDEVS][GH_BDF_LEN], why[512], devs[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(devs, sizeof(devs), "<hostdev mode='subsystem' type='pci' managed='no'>"
			 "<source><address %s/></source><alias name='ua-gpuhelper-dgpu'/>"
			 "</hostdev>", cases[i][0]);
		why[0] = '\0';
		EXPECT_EQ(-EINVAL, hostdevs(devs, bdf, why, sizeof(why)));
		EXPECT_NE(NULL, strstr(why, cases[i][1])) TH_LOG("%s: %s", cases[i][0], why);
		EXPECT_NE(NULL, strstr(why, "alias 'ua-gpuhelper-dgpu'")) TH_LOG("%s", why);
	}
}

TEST(out_of_range_or_malformed_address_is_refused)
{
	static const char *const addrs[] = {
		"domain='0x10000' bus='1' slot='0' function='0'",
		"domain='0' bus='0x100' slot='0' function='0'",
		"domain='0' bus='1' slot='0x20' function='0'",
		"domain='0' bus='1' slot='0' function='8'",
		"domain='0' bus='-1' slot='0' function='0'",
		"domain='0' bus=' 1' slot='0' function='0'",
		"domain='0' bus='' slot='0' function='0'",
		"domain='0' bus='1x' slot='0' function='0'",
		"domain='0' bus='09' slot='0' function='0'",	/* octal, as libvirt reads it */
		"type='drive' domain='0' bus='1' slot='0' function='0'",
	};
	char bdf[GH_HOOK_HOSTDEVS][GH_BDF_LEN], why[512], devs[512];
	size_t i;

	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		snprintf(devs, sizeof(devs), "<hostdev mode='subsystem' type='pci' managed='no'>"
			 "<source><address %s/></source></hostdev>", addrs[i]);
		EXPECT_EQ(-EINVAL, hostdevs(devs, bdf, why, sizeof(why))) TH_LOG("%s", addrs[i]);
	}
	EXPECT_EQ(-EINVAL, hostdevs("<hostdev mode='subsystem' type='pci' managed='no'>"
				    "<source/></hostdev>", bdf, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "has no <source><address>"));
}

TEST(select_takes_what_both_record_and_domain_name)
{
	struct gh_hook_policy pol = { .dgpu = { "0000:01:00.0", "0000:02:00.0" }, .ndgpu = 2 };
	char bdf[3][GH_BDF_LEN] = { "0000:01:00.1", "0000:02:00.0", "0000:03:00.0" };
	struct gh_hook_take t[GH_HOOK_DGPUS];

	ASSERT_EQ(1, gh_hook_select(&pol, bdf, 3, t));
	EXPECT_STREQ("0000:02:00.0", t[0].dgpu.bdf);
	EXPECT_EQ(0, gh_hook_select(&pol, bdf, 1, t));
}

TEST(policy_lines_comments_and_errors)
{
	struct gh_hook_policy pol = { 0 };
	char text[256], why[512];

	strcpy(text, "# gpuhelper vm\n\ndgpu 01:00.0   # short form\ndgpu 0000:01:00.0\n"
		     "from-host allow\n");
	ASSERT_EQ(0, gh_hook_policy_parse(text, "rec", &pol, why, sizeof(why)));
	EXPECT_EQ(1, pol.ndgpu);
	EXPECT_STREQ("0000:01:00.0", pol.dgpu[0]);
	EXPECT_TRUE(pol.from_host);

	strcpy(text, "dgpu 0000:02:00.0\nfrom-host yes\n");
	EXPECT_EQ(-EINVAL, gh_hook_policy_parse(text, "allow", &pol, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "allow:2: 'from-host yes'")) TH_LOG("%s", why);

	strcpy(text, "dgpu 0000:01:00.0 0000:01:00.1\n");
	EXPECT_EQ(-EINVAL, gh_hook_policy_parse(text, "rec", &pol, why, sizeof(why)));
	strcpy(text, "dgpu 1:2:3\n");
	EXPECT_EQ(-EINVAL, gh_hook_policy_parse(text, "rec", &pol, why, sizeof(why)));
	strcpy(text, "dgpu 03:00.0\ndgpu 04:00.0\ndgpu 05:00.0\n");
	EXPECT_EQ(-E2BIG, gh_hook_policy_parse(text, "rec", &pol, why, sizeof(why)));
}

TEST(domain_names_that_cannot_name_a_file)
{
	EXPECT_TRUE(gh_hook_name_ok("win10"));
	EXPECT_TRUE(gh_hook_name_ok("Windows 10 (GPU)"));
	EXPECT_FALSE(gh_hook_name_ok(""));
	EXPECT_FALSE(gh_hook_name_ok("."));
	EXPECT_FALSE(gh_hook_name_ok(".."));
	EXPECT_FALSE(gh_hook_name_ok("../../etc/passwd"));
	EXPECT_FALSE(gh_hook_name_ok("a/b"));
	EXPECT_FALSE(gh_hook_name_ok("win10\nfrom-host allow"));
}

TEST(host_state_is_refused_unless_allowed)
{
	struct gh_hook_take t = { .dgpu = { "0000:01:00.0", GPUHELPER_STATE_HOST } };
	struct gh_hook_policy pol = { .ndgpu = 1 };
	char why[1024];

	EXPECT_EQ(-EBUSY, gh_hook_check_take(&t, &pol, "win10", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "0000:01:00.0 is the host's (state host")) TH_LOG("%s", why);
	EXPECT_NE(NULL, strstr(why, "echo 'from-host allow' >>")) TH_LOG("%s", why);
	pol.from_host = true;
	EXPECT_EQ(0, gh_hook_check_take(&t, &pol, "win10", why, sizeof(why)));
	pol.from_host = false;
	t.dgpu.state = GPUHELPER_STATE_STUB;
	EXPECT_EQ(0, gh_hook_check_take(&t, &pol, "win10", why, sizeof(why)));
	t.dgpu.state = GPUHELPER_STATE_UNBOUND;
	EXPECT_EQ(0, gh_hook_check_take(&t, &pol, "win10", why, sizeof(why)));
}

TEST(release_gives_back_the_state_found_unbound_as_stub)
{
	EXPECT_EQ(GPUHELPER_STATE_HOST, gh_hook_restore_state(GPUHELPER_STATE_HOST));
	EXPECT_EQ(GPUHELPER_STATE_STUB, gh_hook_restore_state(GPUHELPER_STATE_STUB));
	EXPECT_EQ(GPUHELPER_STATE_VFIO, gh_hook_restore_state(GPUHELPER_STATE_VFIO));
	EXPECT_EQ(GPUHELPER_STATE_STUB, gh_hook_restore_state(GPUHELPER_STATE_UNBOUND));
}

/* A root with the hook's directories, as root would make them. */
FIXTURE(root) {
	char dir[64];
	char rec[128];		/* the records' directory */
};

FIXTURE_SETUP(root)
{
	char cmd[256];

	strcpy(self->dir, "/tmp/gh-hook-test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0755));
	snprintf(self->rec, sizeof(self->rec), "%s" GH_HOOK_RECORD_DIR, self->dir);
	snprintf(cmd, sizeof(cmd), "umask 022 && mkdir -p '%s'", self->rec);
	ASSERT_EQ(0, system(cmd));
	gh_root_set(self->dir);
}

FIXTURE_TEARDOWN(root)
{
	char cmd[128];

	gh_root_set(NULL);
	if (self->dir[0] == '/') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
		if (system(cmd))
			TH_LOG("could not remove %s", self->dir);
	}
}

static void put(const char *dir, const char *name, const char *text, mode_t mode)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			perror(path);
		fchmod(fd, mode);
		close(fd);
	}
}

/* gh_hook_read_trusted() of the record @name: its error, why in @why */
static int read_rec(const char *name, char *why, size_t whylen)
{
	char path[GH_PATH_MAX], *text;
	int err;

	err = gh_hook_read_trusted(GH_HOOK_RECORD_DIR, name, &text, path, sizeof(path),
				   why, whylen);
	free(text);
	return err;
}

TEST_F(root, record_of_root_alone_is_read)
{
	struct gh_hook_policy pol;
	char why[512];

	put(self->rec, "win10", "dgpu 0000:01:00.0\n", 0644);
	ASSERT_EQ(0, gh_hook_policy_load("win10", &pol, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_EQ(1, pol.ndgpu);
	EXPECT_FALSE(pol.from_host);
	EXPECT_EQ(-ENOENT, gh_hook_policy_load("other", &pol, why, sizeof(why)));
	EXPECT_EQ(-ENOENT, gh_hook_policy_load("../domains/win10", &pol, why, sizeof(why)));
}

TEST_F(root, allow_file_adds_to_the_record)
{
	char allow[160], cmd[256], why[512];
	struct gh_hook_policy pol;

	snprintf(allow, sizeof(allow), "%s" GH_HOOK_ALLOW_DIR, self->dir);
	snprintf(cmd, sizeof(cmd), "umask 022 && mkdir -p '%s'", allow);
	ASSERT_EQ(0, system(cmd));
	put(self->rec, "win10", "dgpu 0000:01:00.0\n", 0644);
	put(allow, "win10", "from-host allow\n", 0644);
	put(allow, "mine", "dgpu 0000:02:00.0\n", 0644);
	ASSERT_EQ(0, gh_hook_policy_load("win10", &pol, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_EQ(1, pol.ndgpu);
	EXPECT_TRUE(pol.from_host);
	ASSERT_EQ(0, gh_hook_policy_load("mine", &pol, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_STREQ("0000:02:00.0", pol.dgpu[0]);
}

TEST_F(root, record_others_can_write_is_refused)
{
	char why[512];

	put(self->rec, "g", "dgpu 0000:01:00.0\n", 0664);
	put(self->rec, "o", "dgpu 0000:01:00.0\n", 0646);
	EXPECT_EQ(-EPERM, read_rec("g", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "can be written by its group (mode 0664)")) TH_LOG("%s", why);
	EXPECT_EQ(-EPERM, read_rec("o", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "chmod go-w")) TH_LOG("%s", why);
}

TEST_F(root, record_directory_others_can_write_is_refused)
{
	char why[512];

	put(self->rec, "win10", "dgpu 0000:01:00.0\n", 0644);
	ASSERT_EQ(0, chmod(self->rec, 01777));
	EXPECT_EQ(-EPERM, read_rec("win10", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "domains can be written by anyone")) TH_LOG("%s", why);
	/* no record there: nothing to trust or refuse */
	EXPECT_EQ(-ENOENT, read_rec("other", why, sizeof(why)));
}

TEST_F(root, links_fifos_and_hard_links_are_refused)
{
	char target[256], sym[256], fifo[256], hard[256], why[512];

	put(self->dir, "elsewhere", "dgpu 0000:01:00.0\n", 0644);
	snprintf(target, sizeof(target), "%s/elsewhere", self->dir);
	snprintf(sym, sizeof(sym), "%s/link", self->rec);
	snprintf(fifo, sizeof(fifo), "%s/fifo", self->rec);
	snprintf(hard, sizeof(hard), "%s/hard", self->rec);
	ASSERT_EQ(0, symlink(target, sym));
	ASSERT_EQ(0, mkfifo(fifo, 0644));
	ASSERT_EQ(0, link(target, hard));
	EXPECT_EQ(-EPERM, read_rec("link", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "is a symbolic link")) TH_LOG("%s", why);
	EXPECT_EQ(-EPERM, read_rec("fifo", why, sizeof(why)));	/* and does not hang */
	EXPECT_NE(NULL, strstr(why, "not a regular file")) TH_LOG("%s", why);
	EXPECT_EQ(-EPERM, read_rec("hard", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "has 2 hard links")) TH_LOG("%s", why);
}

TEST_F(root, record_of_another_user_is_refused)
{
	char path[256], why[512];

	if (geteuid())
		SKIP(return, "needs root: the record is given to uid 65534");
	put(self->rec, "win10", "dgpu 0000:01:00.0\n", 0644);
	snprintf(path, sizeof(path), "%s/win10", self->rec);
	ASSERT_EQ(0, chown(path, NOBODY, NOBODY));
	EXPECT_EQ(-EPERM, read_rec("win10", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "belongs to uid 65534, not root")) TH_LOG("%s", why);
	ASSERT_EQ(0, chown(path, 0, 0));
	ASSERT_EQ(0, chown(self->rec, NOBODY, NOBODY));
	EXPECT_EQ(-EPERM, read_rec("win10", why, sizeof(why)));
}

TEST_F(root, vm_record_is_what_the_hook_reads)
{
	struct gh_hook_policy pol;
	char path[GH_PATH_MAX], why[512];
	struct stat st;

	ASSERT_EQ(0, gh_hook_record_write("win10", "0000:01:00.0", path, sizeof(path)));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0644, st.st_mode & 07777);
	ASSERT_EQ(0, gh_hook_policy_load("win10", &pol, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_STREQ("0000:01:00.0", pol.dgpu[0]);
	EXPECT_EQ(-EINVAL, gh_hook_record_write("a/b", "0000:01:00.0", path, sizeof(path)));
}

TEST_F(root, prior_states_round_trip_and_go)
{
	struct gh_hook_take t[2] = {
		{ .dgpu = { "0000:01:00.0", GPUHELPER_STATE_HOST },
		  .audio = { { "0000:01:00.1", GPUHELPER_STATE_STUB } }, .naudio = 1 },
		{ .dgpu = { "0000:02:00.0", GPUHELPER_STATE_UNBOUND } },
	}, back[GH_HOOK_DGPUS];
	char path[GH_PATH_MAX], why[512];

	EXPECT_EQ(-ENOENT, gh_hook_prior_load("win10", back, GH_HOOK_DGPUS, why, sizeof(why)));
	ASSERT_EQ(0, gh_hook_prior_write("win10", t, 2, path, sizeof(path)));
	ASSERT_EQ(2, gh_hook_prior_load("win10", back, GH_HOOK_DGPUS, why, sizeof(why)))
		TH_LOG("%s", why);
	EXPECT_STREQ("0000:01:00.0", back[0].dgpu.bdf);
	EXPECT_EQ(GPUHELPER_STATE_HOST, back[0].dgpu.state);
	ASSERT_EQ(1, back[0].naudio);
	EXPECT_STREQ("0000:01:00.1", back[0].audio[0].bdf);
	EXPECT_EQ(GPUHELPER_STATE_STUB, back[0].audio[0].state);
	EXPECT_EQ(GPUHELPER_STATE_UNBOUND, back[1].dgpu.state);
	EXPECT_EQ(0, back[1].naudio);
	EXPECT_EQ(0, gh_hook_prior_remove("win10"));
	EXPECT_EQ(-ENOENT, gh_hook_prior_load("win10", back, GH_HOOK_DGPUS, why, sizeof(why)));
}

TEST_F(root, prior_file_not_as_written_is_refused)
{
	struct gh_hook_take back[GH_HOOK_DGPUS];
	char dir[160], cmd[256], why[512];

	snprintf(dir, sizeof(dir), "%s" GH_HOOK_PRIOR_DIR, self->dir);
	snprintf(cmd, sizeof(cmd), "umask 022 && mkdir -p '%s'", dir);
	ASSERT_EQ(0, system(cmd));
	put(dir, "a", "audio 0000:01:00.1 stub\n", 0644);	/* no dGPU before it */
	put(dir, "b", "dgpu 0000:01:00.0 vfio-pci\n", 0644);
	EXPECT_EQ(-EINVAL, gh_hook_prior_load("a", back, GH_HOOK_DGPUS, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "/a:1: not 'dgpu|audio BDF STATE'")) TH_LOG("%s", why);
	EXPECT_EQ(-EINVAL, gh_hook_prior_load("b", back, GH_HOOK_DGPUS, why, sizeof(why)));
}

TEST_HARNESS_MAIN
