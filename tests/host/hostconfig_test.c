// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_test.c - host-config's text edits, and a write that fails
 * midway (atomicwrite's test hook) leaving the root as it was.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "atomicwrite.h"
#include "commands.h"
#include "hostconfig.h"
#include "profile.h"
#include "root.h"

static const char *const gvt_params[] = {
	"intel_iommu=on", "iommu=pt", "kvm.ignore_msrs=1", "i915.enable_gvt=1", NULL
};

TEST(cmdline_merge_replaces_keys_and_appends_the_rest)
{
	char *s = gh_cmdline_merge("quiet intel_iommu=off splash", gvt_params);

	EXPECT_STREQ("quiet intel_iommu=on splash iommu=pt kvm.ignore_msrs=1 i915.enable_gvt=1", s);
	free(s);
}

TEST(cmdline_merge_is_idempotent_and_drops_duplicate_keys)
{
	char *a = gh_cmdline_merge("iommu=pt  iommu=soft quiet", gvt_params);
	char *b = gh_cmdline_merge(a, gvt_params);

	EXPECT_STREQ("iommu=pt quiet intel_iommu=on kvm.ignore_msrs=1 i915.enable_gvt=1", a);
	EXPECT_STREQ(a, b);
	free(a);
	free(b);
}

TEST(mkinitcpio_without_modules_line_gets_one)
{
	char *s = gh_mkinitcpio_edit("HOOKS=(base udev)\n", 6012);

	EXPECT_STREQ("HOOKS=(base udev)\nMODULES=(gpuhelper)\n", s);
	free(s);
}

TEST(mkinitcpio_keeps_other_modules_and_comments)
{
	char *s = gh_mkinitcpio_edit("MODULES=(ext4 nvidia_drm gpuhelper) # mine\n", 6012);

	EXPECT_STREQ("MODULES=(gpuhelper ext4) # mine\n", s);
	free(s);
}

TEST(grub_quoted_value_and_missing_line)
{
	char *a = gh_grub_edit("GRUB_CMDLINE_LINUX_DEFAULT='quiet'\n", gvt_params);
	char *b = gh_grub_edit("GRUB_TIMEOUT=5\n", gvt_params);

	EXPECT_STREQ("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet intel_iommu=on iommu=pt "
		     "kvm.ignore_msrs=1 i915.enable_gvt=1\"\n", a);
	EXPECT_STREQ("GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX_DEFAULT=\"intel_iommu=on iommu=pt "
		     "kvm.ignore_msrs=1 i915.enable_gvt=1\"\n", b);
	free(a);
	free(b);
}

TEST(lines_ensure_matches_whole_lines_only)
{
	char *a = gh_lines_ensure("gpuhelper_extra\n", "gpuhelper");
	char *b = gh_lines_ensure(a, "gpuhelper");

	EXPECT_STREQ("gpuhelper_extra\ngpuhelper\n", a);
	EXPECT_STREQ(a, b);
	free(a);
	free(b);
}

TEST(amd_cpu_gets_amd_iommu)
{
	struct gh_hostcfg c = { .amd = true };
	const char *p[8];

	gh_kernel_params(&c, p, 8);
	EXPECT_STREQ("amd_iommu=on", p[0]);
	EXPECT_EQ(NULL, p[3]);		/* no GVT-g: no i915.enable_gvt */
}

static int tree_equal(const char *a, const char *b)
{
	char cmd[2 * GH_PATH_MAX + 64];

	snprintf(cmd, sizeof(cmd), "diff -r -x '*.gpuhelper-bak' '%s' '%s' >&2", a, b);
	return system(cmd) == 0;
}

static int count_temp(const char *dir)
{
	char cmd[GH_PATH_MAX + 64];
	FILE *p;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "find '%s' -name '*.gpuhelper-tmp.*' | wc -l", dir);
	p = popen(cmd, "r");
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

FIXTURE(midway) {
	char root[64];
	char pristine[80];
};

FIXTURE_VARIANT(midway) {
	unsigned int fail_write;
};

/* writes: modprobe.d (new) 1, modules-load.d (new) 2,
 * mkinitcpio.conf backup 3 + new 4, arch.conf backup 5 ... */
FIXTURE_VARIANT_ADD(midway, first_write) { .fail_write = 1 };
FIXTURE_VARIANT_ADD(midway, backup_of_mkinitcpio) { .fail_write = 3 };
FIXTURE_VARIANT_ADD(midway, new_mkinitcpio) { .fail_write = 4 };
FIXTURE_VARIANT_ADD(midway, bootloader_entry) { .fail_write = 6 };

FIXTURE_SETUP(midway)
{
	char cmd[512];

	snprintf(self->root, sizeof(self->root), "/tmp/gh-hc-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root));
	snprintf(self->pristine, sizeof(self->pristine), "%s.pristine", self->root);
	snprintf(cmd, sizeof(cmd), "cp -a %s/tests/fixtures/roots/base/. %s && "
		 "rm -rf %s/etc/initramfs-tools %s/etc/default && cp -a %s %s",
		 GH_TOP, self->root, self->root, self->root, self->root, self->pristine);
	ASSERT_EQ(0, system(cmd));
}

FIXTURE_TEARDOWN(midway)
{
	char cmd[256];

	gh_replace_fail_after = 0;
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", self->root, self->pristine);
	system(cmd);
	gh_root_set(NULL);
	gh_pci_root_set(NULL);
}

TEST_F(midway, failed_write_leaves_the_root_as_it_was)
{
	char *argv[] = { "host-config", "--profile", GH_TOP "/userspace/profiles/r720",
			 "--root", self->root, "--initramfs", "mkinitcpio",
			 "--bootloader", "systemd-boot", NULL };
	int saved = dup(1), devnull = open("/dev/null", O_WRONLY), rc;

	gh_replace_fail_after = variant->fail_write;
	fflush(stdout);
	dup2(devnull, 1);
	rc = cmd_hostconfig(9, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(devnull);
	gh_replace_fail_after = 0;

	EXPECT_EQ(GH_EXIT_ERROR, rc);
	EXPECT_TRUE(tree_equal(self->pristine, self->root));
	EXPECT_EQ(0, count_temp(self->root));
}

/*
 * A temp file whose writer died (no flock) is removed by the next write
 * of its file; one a live writer holds is left alone.
 */
TEST(replace_removes_only_temp_files_nobody_holds)
{
	char dir[] = "/tmp/gh-atomic-XXXXXX", f[128], live[160], dead[160], other[160];
	char *data;
	size_t len;
	int fd;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(f, sizeof(f), "%s/modules", dir);
	snprintf(live, sizeof(live), "%s" GH_TEMP_INFIX "live01", f);
	snprintf(dead, sizeof(dead), "%s" GH_TEMP_INFIX "dead01", f);
	snprintf(other, sizeof(other), "%s/modules2" GH_TEMP_INFIX "dead02", dir);
	ASSERT_EQ(0, gh_replace_file(f, "old\n", 4, 0644, true));
	fd = open(dead, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	fd = open(other, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	fd = open(live, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, flock(fd, LOCK_EX));

	ASSERT_EQ(0, gh_replace_file(f, "new\n", 4, 0644, true));
	EXPECT_NE(0, access(dead, F_OK));
	EXPECT_EQ(0, access(live, F_OK));
	/* another file's temp files are not this write's business */
	EXPECT_EQ(0, access(other, F_OK));
	ASSERT_EQ(0, gh_load_file(f, &data, &len));
	EXPECT_STREQ("new\n", data);
	free(data);

	close(fd);
	unlink(live);
	unlink(other);
	unlink(f);
	snprintf(f, sizeof(f), "%s/modules" GH_BACKUP_SUFFIX, dir);
	unlink(f);
	EXPECT_EQ(0, rmdir(dir));
}

TEST_HARNESS_MAIN
