// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_test.c - the CLI side of GVT-g mdevs (issue 5): the mdevs= parser
 * shared with the module, the executor's default type and its writes, and
 * --persist (modprobe.d option, mdevctl definition, diff, backup,
 * --dry-run) against a fake root in a temporary directory.
 */
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "commands.h"
#include "mdev/mdev_exec.h"
#include "mdev/mdev_persist.h"
#include "mdevs.h"
#include "lib/root.h"

#define BDF	"0000:00:02.0"
#define U1	"af5972fb-5530-41a7-0000-fd836204445b"
#define U2	"af5972fb-5530-41a7-0000-fd836204445c"
#define CLS	"/sys/class/gpuhelper/" BDF
#define TYPES	"/sys/bus/pci/devices/" BDF "/mdev_supported_types"

static void put(const char *root, const char *rel, const char *text)
{
	char path[4096], cmd[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	if (system(cmd))
		abort();
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static char *get(const char *root, const char *rel)
{
	static char buf[8192];
	char path[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void add_type(const char *root, const char *name, const char *res, int avail)
{
	char rel[256], text[256];

	snprintf(rel, sizeof(rel), TYPES "/%s/description", name);
	snprintf(text, sizeof(text), "low_gm_size: 128MB\nresolution: %s\nweight: 4\n", res);
	put(root, rel, text);
	snprintf(rel, sizeof(rel), TYPES "/%s/available_instances", name);
	snprintf(text, sizeof(text), "%d\n", avail);
	put(root, rel, text);
	snprintf(rel, sizeof(rel), TYPES "/%s/create", name);
	put(root, rel, "");
}

FIXTURE(root) {
	char dir[64];
};

FIXTURE_SETUP(root) {
	strcpy(self->dir, "/tmp/gh-mdev-test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	add_type(self->dir, "i915-GVTg_V5_4", "1920x1200", 2);
	add_type(self->dir, "i915-GVTg_V5_8", "1024x768", 4);
	put(self->dir, CLS "/mdevs", "");
	put(self->dir, CLS "/mdev_result", "");
	put(self->dir, CLS "/create", "");
	put(self->dir, CLS "/remove", "");
}

FIXTURE_TEARDOWN(root) {
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
}

TEST_F(root, default_type_is_largest_resolution_with_free_instance)
{
	struct gh_mdev_type_info t[GH_MDEV_TYPES_MAX];
	int n = gh_mdev_types_read(self->dir, BDF, t, GH_MDEV_TYPES_MAX);

	ASSERT_EQ(2, n);
	EXPECT_STREQ("i915-GVTg_V5_4", t[0].name);
	EXPECT_EQ(1920, t[0].width);
	EXPECT_EQ(1200, t[0].height);
	EXPECT_EQ(0, gh_mdev_pick_default(t, n));
	t[0].avail = 0;
	EXPECT_EQ(1, gh_mdev_pick_default(t, n));
	t[1].avail = 0;
	EXPECT_EQ(-EUSERS, gh_mdev_pick_default(t, n));
	EXPECT_EQ(-ENODEV, gh_mdev_types_read(self->dir, "0000:00:1f.0", t, 4));
}

TEST_F(root, apply_writes_uuid_to_the_chosen_type_and_reports)
{
	int err = 1;

	put(self->dir, CLS "/mdevs", U1 " * pending\n" U2 " i915-GVTg_V5_8 active\n");
	EXPECT_EQ(0, gh_mdev_apply(self->dir, BDF, NULL, U1, &err));
	EXPECT_EQ(0, err);
	EXPECT_STREQ(U1, get(self->dir, TYPES "/i915-GVTg_V5_4/create"));
	EXPECT_STREQ("", get(self->dir, TYPES "/i915-GVTg_V5_8/create"));
	EXPECT_STREQ("create " U1 " 0 i915-GVTg_V5_4", get(self->dir, CLS "/mdev_result"));
}

TEST_F(root, apply_refuses_exhausted_and_unknown_types)
{
	int err = 0;

	add_type(self->dir, "i915-GVTg_V5_4", "1920x1200", 0);
	put(self->dir, CLS "/mdevs", U1 " i915-GVTg_V5_4 pending\n");
	EXPECT_EQ(-EUSERS, gh_mdev_apply(self->dir, BDF, NULL, U1, &err));
	EXPECT_EQ(-EUSERS, err);
	EXPECT_STREQ("", get(self->dir, TYPES "/i915-GVTg_V5_4/create"));
	EXPECT_STREQ("create " U1 " -87 i915-GVTg_V5_4", get(self->dir, CLS "/mdev_result"));

	put(self->dir, CLS "/mdevs", U1 " i915-GVTg_V9_9 pending\n");
	EXPECT_EQ(-ENOENT, gh_mdev_apply(self->dir, BDF, NULL, U1, &err));
}

TEST_F(root, apply_removes_removing_mdevs)
{
	put(self->dir, "/sys/bus/mdev/devices/" U1 "/remove", "");
	put(self->dir, CLS "/mdevs", U1 " i915-GVTg_V5_4 removing\n" U2 " * removing\n");
	EXPECT_EQ(0, gh_mdev_apply(self->dir, BDF, NULL, NULL, NULL));
	EXPECT_STREQ("1", get(self->dir, "/sys/bus/mdev/devices/" U1 "/remove"));
	/* U2 does not exist (any more): done, not an error */
	EXPECT_STREQ("remove " U2 " 0", get(self->dir, CLS "/mdev_result"));
}

TEST_F(root, persist_writes_option_with_diff_backup_and_dry_run)
{
	struct gh_mdev_spec s1 = { .bdf = BDF, .type = "i915-GVTg_V5_4" }, s2 = s1;
	struct gh_mdev_spec specs[GH_MDEVS_MAX];
	char diff[4096] = "";
	FILE *out = fmemopen(diff, sizeof(diff), "w");
	unsigned int nr;

	ASSERT_EQ(0, gh_uuid_parse(U1, 36, s1.uuid));
	ASSERT_EQ(0, gh_uuid_parse(U2, 36, s2.uuid));
	s2.type[0] = '\0';
	gh_root_set(self->dir);

	/* dry run: the diff, no file */
	ASSERT_EQ(0, gh_mdev_persist(&s1, true, true, out));
	fflush(out);
	EXPECT_NE(NULL, strstr(diff, "+options gpuhelper mdevs=" BDF "/i915-GVTg_V5_4/" U1 "\n"));
	EXPECT_EQ(NULL, get(self->dir, GH_MDEV_CONF));

	ASSERT_EQ(0, gh_mdev_persist(&s1, true, false, out));
	ASSERT_EQ(0, gh_mdev_persist(&s2, true, false, out));
	fclose(out);
	EXPECT_NE(NULL, strstr(get(self->dir, GH_MDEV_CONF),
			       "\noptions gpuhelper mdevs=" BDF "/i915-GVTg_V5_4/" U1 ","
			       BDF "//" U2 "\n"));
	/* the previous version is kept */
	EXPECT_NE(NULL, strstr(get(self->dir, GH_MDEV_CONF ".bak"), "/" U1 "\n"));

	/* what the module will parse */
	ASSERT_EQ(0, gh_mdev_conf_read(specs, &nr));
	EXPECT_EQ(2, nr);
	EXPECT_STREQ("", specs[1].type);

	/* removal of the last entry removes the file */
	ASSERT_EQ(0, gh_mdev_persist(&s1, false, false, stderr));
	EXPECT_EQ(NULL, strstr(get(self->dir, GH_MDEV_CONF), U1));
	ASSERT_EQ(0, gh_mdev_persist(&s2, false, false, stderr));
	EXPECT_EQ(NULL, get(self->dir, GH_MDEV_CONF));
	/* no mdevctl here: no definition */
	EXPECT_EQ(NULL, get(self->dir, GH_MDEVCTL_DIR "/" BDF "/" U1));
	gh_root_set(NULL);
}

TEST_F(root, persist_writes_mdevctl_definition_when_installed)
{
	struct gh_mdev_spec s1 = { .bdf = BDF, .type = "i915-GVTg_V5_4" };
	char *def;

	ASSERT_EQ(0, gh_uuid_parse(U1, 36, s1.uuid));
	put(self->dir, "/usr/sbin/mdevctl", "#!/bin/sh\n");
	gh_root_set(self->dir);
	ASSERT_EQ(0, gh_mdev_persist(&s1, true, false, stderr));
	def = get(self->dir, GH_MDEVCTL_DIR "/" BDF "/" U1);
	ASSERT_NE(NULL, def);
	EXPECT_STREQ("{\n  \"mdev_type\": \"i915-GVTg_V5_4\",\n  \"start\": \"manual\",\n"
		     "  \"attrs\": []\n}\n", def);
	ASSERT_EQ(0, gh_mdev_persist(&s1, false, false, stderr));
	EXPECT_EQ(NULL, get(self->dir, GH_MDEVCTL_DIR "/" BDF "/" U1));
	gh_root_set(NULL);
}

TEST_F(root, cli_create_without_parent_fails_with_message)
{
	char *argv[] = { "mdev", "create", "--root", "/nonexistent-gh-root", NULL };

	EXPECT_EQ(GH_EXIT_ERROR, cmd_mdev(4, argv));
	gh_root_set(NULL);
}

TEST_F(root, cli_rejects_bad_uuid_and_type)
{
	char *a1[] = { "mdev", "create", "--root", self->dir, "--uuid", "nope", NULL };
	char *a2[] = { "mdev", "create", "--root", self->dir, "--type", "a/b", NULL };

	EXPECT_EQ(GH_EXIT_USAGE, cmd_mdev(6, a1));
	EXPECT_EQ(GH_EXIT_USAGE, cmd_mdev(6, a2));
	gh_root_set(NULL);
}

TEST(mdevs_parser_rejects_duplicates_and_bad_entries)
{
	struct gh_mdev_spec specs[GH_MDEVS_MAX];
	struct gh_list_error err;
	unsigned int nr = 99;
	char buf[GH_MDEV_ENTRY_MAX + 1];

	EXPECT_EQ(-EEXIST, gh_mdevs_parse(BDF "/a/" U1 "," BDF "/b/" U1, specs,
					  GH_MDEVS_MAX, &nr, &err));
	EXPECT_EQ(1, err.index);
	EXPECT_EQ(-EINVAL, gh_mdevs_parse("00:02.0/a/" U1, specs, GH_MDEVS_MAX, &nr, &err));
	EXPECT_EQ(-EINVAL, gh_mdevs_parse(BDF "/a b/" U1, specs, GH_MDEVS_MAX, &nr, &err));
	EXPECT_EQ(-EINVAL, gh_mdevs_parse(BDF "/a/" U1 ",", specs, GH_MDEVS_MAX, &nr, &err));
	EXPECT_EQ(-EINVAL, gh_mdevs_parse("0000:00:20.0/a/" U1, specs, GH_MDEVS_MAX, &nr, &err));
	EXPECT_EQ(99, nr);
	ASSERT_EQ(0, gh_mdevs_parse("0000:00:02.0/i915-GVTg_V5_4/AF5972FB-5530-41A7-0000-FD836204445B\n",
				    specs, GH_MDEVS_MAX, &nr, &err));
	EXPECT_EQ(1, nr);
	gh_mdev_spec_format(&specs[0], buf, sizeof(buf));
	EXPECT_STREQ(BDF "/i915-GVTg_V5_4/" U1, buf);
}

TEST_HARNESS_MAIN
