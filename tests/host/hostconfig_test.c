// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_test.c - host-config's reading of shell files (what is a
 * plain line, what appends, what hides behind an expansion), its plans on
 * small roots (the user's parameters kept, every line of
 * /etc/kernel/cmdline kept, the old modprobe.d name migrated), and a
 * write that fails midway (atomicwrite's test hook) leaving the root as
 * it was.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/atomicwrite.h"
#include "commands.h"
#include "host/hostconfig.h"
#include "pci/profile.h"
#include "lib/root.h"

/* ---- reading assignments ---- */

TEST(plain_line_is_plain)
{
	struct gh_sh_assign a[4];
	int n = gh_sh_assigns("GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet  splash\"\n",
			      "GRUB_CMDLINE_LINUX_DEFAULT", a, 4);

	ASSERT_EQ(1, n);
	EXPECT_EQ(NULL, a[0].not_plain);
	EXPECT_STREQ("quiet splash", a[0].words);
	EXPECT_EQ(2, a[0].first);
	EXPECT_EQ(2, a[0].last);
	EXPECT_FALSE(a[0].appends);
	EXPECT_FALSE(a[0].opaque);
	gh_sh_assigns_free(a, (unsigned int)n);
}

FIXTURE(not_plain) {
	int unused;
};

FIXTURE_VARIANT(not_plain) {
	const char *text;
	const char *why;	/* a word of the reason */
	const char *words;	/* what is read from it anyway */
	unsigned int last;
};

FIXTURE_VARIANT_ADD(not_plain, export) {
	.text = "export GRUB_CMDLINE_LINUX_DEFAULT=\"quiet apparmor=1\"\n",
	.why = "export", .words = "quiet apparmor=1", .last = 1,
};
FIXTURE_VARIANT_ADD(not_plain, indented) {
	.text = "if true; then\n\tGRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nfi\n",
	.why = "indented", .words = "quiet", .last = 2,
};
FIXTURE_VARIANT_ADD(not_plain, trailing_comment) {
	.text = "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet lockdown=integrity\" # hardening\n",
	.why = "comment", .words = "quiet lockdown=integrity", .last = 1,
};
FIXTURE_VARIANT_ADD(not_plain, single_quotes) {
	.text = "GRUB_CMDLINE_LINUX_DEFAULT='quiet $(touch /tmp/x)'\n",
	.why = "single quotes", .words = "quiet $(touch /tmp/x)", .last = 1,
};
FIXTURE_VARIANT_ADD(not_plain, continuation) {
	.text = "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet \\\n  lockdown=integrity\"\nGRUB_TIMEOUT=5\n",
	.why = "next line", .words = "quiet lockdown=integrity", .last = 2,
};
FIXTURE_VARIANT_ADD(not_plain, quote_over_two_lines) {
	.text = "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\nsplash\"\n",
	.why = "next line", .words = "quiet splash", .last = 2,
};
FIXTURE_VARIANT_ADD(not_plain, expansion) {
	.text = "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet $(cat /etc/extra)\"\n",
	.why = "expansion", .words = "quiet", .last = 1,
};
FIXTURE_VARIANT_ADD(not_plain, unquoted) {
	.text = "GRUB_CMDLINE_LINUX_DEFAULT=quiet\n",
	.why = "double-quoted", .words = "quiet", .last = 1,
};
FIXTURE_VARIANT_ADD(not_plain, after_a_command) {
	.text = "[ -x /bin/true ] && GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n",
	.why = "other commands", .words = "quiet", .last = 1,
};
FIXTURE_VARIANT_ADD(not_plain, appends) {
	.text = "GRUB_CMDLINE_LINUX_DEFAULT+=\" quiet\"\n",
	.why = "+=", .words = "quiet", .last = 1,
};

FIXTURE_SETUP(not_plain) {}
FIXTURE_TEARDOWN(not_plain) {}

TEST_F(not_plain, is_read_but_not_plain)
{
	struct gh_sh_assign a[4];
	int n = gh_sh_assigns(variant->text, "GRUB_CMDLINE_LINUX_DEFAULT", a, 4);

	ASSERT_EQ(1, n);
	ASSERT_NE(NULL, a[0].not_plain);
	EXPECT_NE(NULL, strstr(a[0].not_plain, variant->why)) {
		TH_LOG("reason: %s", a[0].not_plain);
	}
	EXPECT_STREQ(variant->words, a[0].words);
	EXPECT_EQ(variant->last, a[0].last);
	gh_sh_assigns_free(a, (unsigned int)n);
}

TEST(self_reference_appends_other_expansions_are_opaque)
{
	const char *text = "V=\"$V a\"\nV=\"${V:+$V }b\"\nV=\"$(cat f) c\"\nV=\"$OTHER d\"\n";
	struct gh_sh_assign a[8];
	int n = gh_sh_assigns(text, "V", a, 8);

	ASSERT_EQ(4, n);
	EXPECT_TRUE(a[0].appends);
	EXPECT_FALSE(a[0].opaque);
	EXPECT_STREQ("a", a[0].words);
	EXPECT_TRUE(a[1].appends);
	EXPECT_TRUE(a[2].opaque);
	EXPECT_FALSE(a[2].appends);
	EXPECT_TRUE(a[3].opaque);
	gh_sh_assigns_free(a, (unsigned int)n);
}

TEST(comments_and_similar_names_are_not_assignments)
{
	const char *text = "# GRUB_CMDLINE_LINUX_DEFAULT=\"x\"\nGRUB_CMDLINE_LINUX=\"a\"\n"
			   "GRUB_CMDLINE_LINUX_DEFAULT_X=\"b\"\necho $GRUB_CMDLINE_LINUX_DEFAULT\n";
	struct gh_sh_assign a[4];

	EXPECT_EQ(0, gh_sh_assigns(text, "GRUB_CMDLINE_LINUX_DEFAULT", a, 4));
}

TEST(arrays)
{
	const char *text = "MODULES=(ext4 nvidia_drm) # mine\nMODULES=(a\n  b)\n"
			   "MODULES=(gpuhelper \"${MODULES[@]}\")\nMODULES=\"x y\"\n";
	struct gh_sh_assign a[8];
	int n = gh_sh_assigns(text, "MODULES", a, 8);

	ASSERT_EQ(4, n);
	EXPECT_TRUE(a[0].array);
	EXPECT_EQ(NULL, a[0].not_plain);	/* a comment after (...) is safe */
	EXPECT_STREQ("ext4 nvidia_drm", a[0].words);
	EXPECT_NE(NULL, a[1].not_plain);
	EXPECT_STREQ("a b", a[1].words);
	EXPECT_EQ(3, a[1].last);
	EXPECT_TRUE(a[2].appends);
	EXPECT_STREQ("gpuhelper", a[2].words);
	EXPECT_FALSE(a[3].array);
	gh_sh_assigns_free(a, (unsigned int)n);
}

/* ---- parameters ---- */

TEST(iommu_pt_is_opt_in)
{
	struct gh_hostcfg c = { 0 };
	const char *p[8];

	gh_kernel_params(&c, p, 8);
	EXPECT_STREQ("intel_iommu=on", p[0]);
	EXPECT_STREQ("kvm.ignore_msrs=1", p[1]);
	EXPECT_EQ(NULL, p[2]);
	c.iommu_pt = true;
	c.amd = true;
	gh_kernel_params(&c, p, 8);
	EXPECT_STREQ("amd_iommu=on", p[0]);
	EXPECT_STREQ("iommu=pt", p[1]);
}

/* ---- plans on small roots ---- */

FIXTURE(root) {
	char dir[64];
	struct gh_hostcfg c;
	struct gh_plan p;
};

FIXTURE_SETUP(root)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/gh-hcplan-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	gh_root_set(self->dir);
	memset(&self->c, 0, sizeof(self->c));
	snprintf(self->c.ids, sizeof(self->c.ids), "10de:1c8d:17aa:39d1");
	self->c.gvt = true;
	self->c.initramfs = GH_INITRAMFS_NONE;
	memset(&self->p, 0, sizeof(self->p));
}

FIXTURE_TEARDOWN(root)
{
	char cmd[128];

	gh_plan_free(&self->p);
	gh_root_set(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	system(cmd);
}

static void put_file(const char *root, const char *rel, const char *text)
{
	char path[512];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	gh_make_parents(path);
	gh_replace_file(path, text, strlen(text), 0644, false);
}

static const struct gh_edit *edit_of(const struct gh_plan *p, const char *path)
{
	unsigned int i;

	for (i = 0; i < p->nr; i++)
		if (!strcmp(p->e[i].path, path))
			return &p->e[i];
	return NULL;
}

TEST_F(root, user_iommu_settings_are_kept_and_reported)
{
	const struct gh_edit *e;

	put_file(self->dir, "/etc/default/grub", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet "
		 "intel_iommu=on,sm_on iommu=force iommu.passthrough=0 vfio-pci.ids=10de:1c8d\"\n");
	self->c.bootloader = GH_GRUB;
	self->c.iommu_pt = true;
	ASSERT_EQ(0, gh_hostcfg_plan(&self->c, &self->p));
	ASSERT_EQ(NULL, self->p.refused);
	e = edit_of(&self->p, "/etc/default/grub");
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet intel_iommu=on,sm_on iommu=force "
		     "iommu.passthrough=0 vfio-pci.ids=10de:1c8d kvm.ignore_msrs=1 "
		     "i915.enable_gvt=1\"\n", e->new_);
	ASSERT_NE(NULL, self->p.notes);
	EXPECT_NE(NULL, strstr(self->p.notes, "you set intel_iommu=on,sm_on; gpuhelper would add "
			       "intel_iommu=on; yours is kept"));
	EXPECT_NE(NULL, strstr(self->p.notes, "you set iommu=force; gpuhelper would add iommu=pt"));
	EXPECT_NE(NULL, strstr(self->p.notes, "names the dGPU"));
}

TEST_F(root, unplain_grub_line_refuses_and_gives_the_line)
{
	put_file(self->dir, "/etc/default/grub",
		 "GRUB_TIMEOUT=5\nexport GRUB_CMDLINE_LINUX_DEFAULT=\"quiet apparmor=1\"\n");
	self->c.bootloader = GH_GRUB;
	ASSERT_EQ(0, gh_hostcfg_plan(&self->c, &self->p));
	ASSERT_NE(NULL, self->p.refused);
	EXPECT_EQ(0, self->p.nr);
	EXPECT_NE(NULL, strstr(self->p.refused, "line 2"));
	EXPECT_NE(NULL, strstr(self->p.refused, "after line 2 of /etc/default/grub by hand"));
	EXPECT_NE(NULL, strstr(self->p.refused, "    GRUB_CMDLINE_LINUX_DEFAULT=\""
			       "$GRUB_CMDLINE_LINUX_DEFAULT intel_iommu=on kvm.ignore_msrs=1 "
			       "i915.enable_gvt=1\"\n"));
}

TEST_F(root, grub_dropin_where_grub_mkconfig_reads_one)
{
	const struct gh_edit *e;

	put_file(self->dir, "/etc/default/grub", "GRUB_CMDLINE_LINUX_DEFAULT='quiet'\n");
	put_file(self->dir, "/etc/default/grub.d/init-select.cfg", "# nothing\n");
	self->c.bootloader = GH_GRUB;
	ASSERT_EQ(0, gh_hostcfg_plan(&self->c, &self->p));
	ASSERT_EQ(NULL, self->p.refused);
	EXPECT_EQ(NULL, edit_of(&self->p, "/etc/default/grub"));
	e = edit_of(&self->p, "/etc/default/grub.d/90-gpuhelper.cfg");
	ASSERT_NE(NULL, e);
	EXPECT_NE(NULL, strstr(e->new_, "\nGRUB_CMDLINE_LINUX_DEFAULT="
			       "\"$GRUB_CMDLINE_LINUX_DEFAULT intel_iommu=on kvm.ignore_msrs=1 "
			       "i915.enable_gvt=1\"\n"));
}

TEST_F(root, kernel_cmdline_keeps_every_line)
{
	const struct gh_edit *e;

	put_file(self->dir, "/etc/kernel/cmdline",
		 "root=UUID=1234 rw\nquiet splash\nintel_iommu=off\n");
	self->c.bootloader = GH_SYSTEMD_BOOT;
	ASSERT_EQ(0, gh_hostcfg_plan(&self->c, &self->p));
	e = edit_of(&self->p, "/etc/kernel/cmdline");
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("root=UUID=1234 rw\nquiet splash\nintel_iommu=off kvm.ignore_msrs=1 "
		     "i915.enable_gvt=1\n", e->new_);
}

TEST_F(root, loader_entry_options_lines_count_together)
{
	const struct gh_edit *e;

	put_file(self->dir, "/boot/loader/entries/a.conf", "title A\nlinux /vmlinuz\n"
		 "options root=/dev/sda2 intel_iommu=on\noptions quiet\n");
	self->c.bootloader = GH_SYSTEMD_BOOT;
	ASSERT_EQ(0, gh_hostcfg_plan(&self->c, &self->p));
	e = edit_of(&self->p, "/boot/loader/entries/a.conf");
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("title A\nlinux /vmlinuz\noptions root=/dev/sda2 intel_iommu=on\n"
		     "options quiet kvm.ignore_msrs=1 i915.enable_gvt=1\n", e->new_);
}

TEST_F(root, old_modprobe_name_is_migrated_with_the_user_lines)
{
	const struct gh_edit *local, *old;

	put_file(self->dir, "/usr/lib/modprobe.d/gpuhelper.conf",
		 "softdep nouveau pre: gpuhelper\n");
	put_file(self->dir, "/etc/modprobe.d/gpuhelper.conf",
		 GH_HC_HEADER ": hold the dGPU for passthrough\n"
		 "# before its host drivers can bind it. See gpuhelper-host-config(8).\n"
		 "options gpuhelper ids=10de:1c8d:17aa:39d1\n"
		 "softdep nouveau pre: gpuhelper\nsoftdep nvidia pre: gpuhelper\n"
		 "options snd_hda_intel power_save=0\n");
	ASSERT_EQ(0, gh_hostcfg_plan(&self->c, &self->p));
	local = edit_of(&self->p, GH_MODPROBE_LOCAL);
	old = edit_of(&self->p, GH_MODPROBE_OLD);
	ASSERT_NE(NULL, local);
	ASSERT_NE(NULL, old);
	EXPECT_EQ(NULL, old->new_);
	EXPECT_TRUE(old->keep_old);
	EXPECT_LT(local - self->p.e, old - self->p.e);	/* the new file first */
	EXPECT_NE(NULL, strstr(local->new_, "options gpuhelper ids=10de:1c8d:17aa:39d1\n"));
	EXPECT_NE(NULL, strstr(local->new_, "\noptions snd_hda_intel power_save=0\n"));
	/* the packaged file has the softdeps: not written again */
	EXPECT_EQ(NULL, strstr(local->new_, "softdep"));
	EXPECT_NE(NULL, strstr(self->p.notes, "masks the packaged"));
}

TEST_F(root, dropped_user_lines_survive_a_rerun)
{
	const struct gh_edit *e;

	put_file(self->dir, GH_MODPROBE_LOCAL, GH_HC_HEADER ": x\noptions gpuhelper ids=1:2\n"
		 "# Lines below are yours: gpuhelper host-config keeps them.\n"
		 "options snd_hda_intel power_save=0\n");
	ASSERT_EQ(0, gh_hostcfg_plan(&self->c, &self->p));
	e = edit_of(&self->p, GH_MODPROBE_LOCAL);
	ASSERT_NE(NULL, e);
	EXPECT_NE(NULL, strstr(e->new_, "ids=10de:1c8d:17aa:39d1\n"));
	EXPECT_NE(NULL, strstr(e->new_, "keeps them.\noptions snd_hda_intel power_save=0\n"));
}

/* ---- a write that fails midway ---- */

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
