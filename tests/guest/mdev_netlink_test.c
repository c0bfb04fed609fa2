// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_netlink_test.c - the GVT-g mdev operations over the gpuhelper
 * generic netlink family (MDEV_GET, MDEV_CREATE, MDEV_REMOVE), against the
 * real mdev core with the fake parent tests/kmod/gh_fake_gvt.ko, as
 * mdev_test.c does through sysfs: the same requests, the same errnos.
 *
 * As in mdev_test.c a uevent listener stands in for udev and runs the
 * executor, so an mdev declared over netlink is really created.
 */
#include <grp.h>

#include "kselftest_harness.h"
#include "gh_mdev.h"
#include "gh_nl.h"

#define CLS	"/sys/class/gpuhelper/" GH_IGPU
#define TYPES	"/sys/bus/pci/devices/" GH_IGPU "/mdev_supported_types"
#define V54	"i915-GVTg_V5_4"
#define V58	"i915-GVTg_V5_8"
#define NOPARENT "0000:00:1f.0"

#define U1	"bf5972fb-5530-41a7-0000-fd836204445b"
#define U2	"bf5972fb-5530-41a7-0000-fd836204445c"
#define U3	"bf5972fb-5530-41a7-0000-fd836204445d"

/* ---- UUIDs: text <-> the 16 bytes of GPUHELPER_A_MDEV_UUID ---- */

static void uuid_bytes(const char *s, uint8_t u[16])
{
	int i = 0;

	for (; *s && i < 16; s++) {
		if (*s == '-')
			continue;
		sscanf(s, "%2hhx", &u[i++]);
		s++;
	}
}

static const char *uuid_text(struct nlattr *a)
{
	static char s[40];
	uint8_t *u;

	if (!a || a->nla_len != NLA_HDRLEN + 16)
		return "";
	u = GH_NLA_DATA(a);
	snprintf(s, sizeof(s),
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
	return s;
}

/* ---- requests ---- */

static void put_uuid(struct gh_nl_req *r, const char *uuid)
{
	uint8_t u[16];

	uuid_bytes(uuid, u);
	gh_nl_put(r, GPUHELPER_A_MDEV_UUID, u, 16);
}

/* MDEV_CREATE; NULL leaves an attribute out. The reply into @m. */
static int nl_create(struct gh_nl *nl, const char *parent, const char *type,
		     const char *uuid, struct gh_nl_msg *m)
{
	struct gh_nl_req r;

	gh_nl_req_init(nl, &r, nl->family, GPUHELPER_CMD_MDEV_CREATE, 0);
	if (parent)
		gh_nl_put_str(&r, GPUHELPER_A_MDEV_PARENT, parent);
	if (type)
		gh_nl_put_str(&r, GPUHELPER_A_MDEV_TYPE, type);
	if (uuid)
		put_uuid(&r, uuid);
	return gh_nl_xfer_one(nl, &r, m);
}

static int nl_remove(struct gh_nl *nl, const char *parent, const char *uuid)
{
	struct gh_nl_req r;

	gh_nl_req_init(nl, &r, nl->family, GPUHELPER_CMD_MDEV_REMOVE, 0);
	if (parent)
		gh_nl_put_str(&r, GPUHELPER_A_MDEV_PARENT, parent);
	if (uuid)
		put_uuid(&r, uuid);
	return gh_nl_xfer(nl, &r, NULL, 0);
}

static int nl_get(struct gh_nl *nl, const char *uuid, struct gh_nl_msg *m)
{
	struct gh_nl_req r;

	gh_nl_req_init(nl, &r, nl->family, GPUHELPER_CMD_MDEV_GET, 0);
	put_uuid(&r, uuid);
	return gh_nl_xfer_one(nl, &r, m);
}

/* Wait until MDEV_GET of @uuid reports @state (and @type unless NULL). */
static bool wait_get(struct gh_nl *nl, const char *uuid, const char *state,
		     const char *type, unsigned int ms)
{
	struct gh_nl_msg m;

	for (;;) {
		if (!nl_get(nl, uuid, &m) &&
		    !strcmp(gh_nla_str(m.tb[GPUHELPER_A_MDEV_STATE]), state) &&
		    (!type || !strcmp(gh_nla_str(m.tb[GPUHELPER_A_MDEV_TYPE]), type)))
			return true;
		if (ms < 20)
			return false;
		gh_msleep(20);
		ms -= 20;
	}
}

static char dump_out[16][8192];

/* MDEV_GET dump, optionally of one parent; the number of mdevs or -errno. */
static int nl_dump(struct gh_nl *nl, const char *parent)
{
	struct gh_nl_req r;

	gh_nl_req_init(nl, &r, nl->family, GPUHELPER_CMD_MDEV_GET, NLM_F_DUMP);
	if (parent)
		gh_nl_put_str(&r, GPUHELPER_A_MDEV_PARENT, parent);
	return gh_nl_xfer(nl, &r, dump_out, 16);
}

/* The state of @uuid in the last dump's first @n messages, "" if absent. */
static const char *dumped_state(int n, const char *uuid, const char **type)
{
	static char state[32];
	int i;

	for (i = 0; i < n && i < 16; i++) {
		struct gh_nl_msg m;

		gh_nl_parse((struct nlmsghdr *)dump_out[i], &m);
		if (strcmp(uuid_text(m.tb[GPUHELPER_A_MDEV_UUID]), uuid))
			continue;
		snprintf(state, sizeof(state), "%s",
			 gh_nla_str(m.tb[GPUHELPER_A_MDEV_STATE]));
		if (type)
			*type = gh_nla_str(m.tb[GPUHELPER_A_MDEV_TYPE]);
		return state;
	}
	return "";
}

/* ---- with the parent present and the executor running ---- */

FIXTURE(mdev_nl) {
	pid_t listener;
	struct gh_nl nl;
};

FIXTURE_SETUP(mdev_nl) {
	self->nl.fd = -1;
	self->listener = listener_start();
	ASSERT_LT(0, self->listener);
	ASSERT_EQ(0, fake_load());
	ASSERT_TRUE(wait_exists(true, 2000, "%s", CLS "/create"));
	ASSERT_EQ(0, gh_nl_open(&self->nl));
}

FIXTURE_TEARDOWN(mdev_nl) {
	gh_nl_close(&self->nl);
	listener_stop(self->listener);
	restore();
}

TEST_F(mdev_nl, create_explicit_type_and_uuid_replies_them_and_executor_creates_it)
{
	struct gh_nl_msg m;

	ASSERT_EQ(0, nl_create(&self->nl, GH_IGPU, V58, U1, &m));
	EXPECT_EQ(GPUHELPER_CMD_MDEV_CREATE, m.cmd);
	EXPECT_STREQ(GH_IGPU, gh_nla_str(m.tb[GPUHELPER_A_MDEV_PARENT]));
	EXPECT_STREQ(U1, uuid_text(m.tb[GPUHELPER_A_MDEV_UUID]));
	EXPECT_STREQ(V58, gh_nla_str(m.tb[GPUHELPER_A_MDEV_TYPE]));

	ASSERT_TRUE(mdev_exists(U1, 3000));
	EXPECT_TRUE(gh_exists("/sys/bus/mdev/devices/%s/iommu_group", U1));
	EXPECT_STREQ(V58, type_of(U1));
	EXPECT_TRUE(wait_get(&self->nl, U1, "active", V58, 2000));
	ASSERT_EQ(0, nl_get(&self->nl, U1, &m));
	EXPECT_STREQ(GH_IGPU, gh_nla_str(m.tb[GPUHELPER_A_MDEV_PARENT]));
	EXPECT_EQ(NULL, m.tb[GPUHELPER_A_MDEV_ERRNO]);
}

TEST_F(mdev_nl, create_default_type_and_uuid_replies_generated_uuid)
{
	struct gh_nl_msg m;
	char uuid[40];

	ASSERT_EQ(0, nl_create(&self->nl, GH_IGPU, NULL, NULL, &m));
	snprintf(uuid, sizeof(uuid), "%s", uuid_text(m.tb[GPUHELPER_A_MDEV_UUID]));
	ASSERT_EQ(36, strlen(uuid));
	/* the default type is the executor's choice: not known yet */
	EXPECT_EQ(NULL, m.tb[GPUHELPER_A_MDEV_TYPE]);

	ASSERT_TRUE(mdev_exists(uuid, 3000));
	EXPECT_STREQ(V54, type_of(uuid));	/* 1920x1200 had room */
	/* and once created, MDEV_GET reports the type it resolved to */
	EXPECT_TRUE(wait_get(&self->nl, uuid, "active", V54, 2000));

	/* an empty TYPE also means the default type */
	ASSERT_EQ(0, nl_create(&self->nl, GH_IGPU, "", U2, &m));
	EXPECT_STREQ(U2, uuid_text(m.tb[GPUHELPER_A_MDEV_UUID]));
	ASSERT_TRUE(mdev_exists(U2, 3000));
	EXPECT_STREQ(V54, type_of(U2));
}

TEST_F(mdev_nl, dump_lists_declared_and_unmanaged_filtered_by_parent)
{
	const char *type = NULL;
	int n;

	EXPECT_EQ(0, nl_dump(&self->nl, NULL));
	ASSERT_EQ(0, nl_create(&self->nl, GH_IGPU, V54, U1, NULL));
	ASSERT_TRUE(mdev_exists(U1, 3000));
	ASSERT_TRUE(wait_get(&self->nl, U1, "active", V54, 2000));
	/* one gpuhelper did not declare */
	ASSERT_EQ(0, gh_write(TYPES "/" V58 "/create", U3));
	ASSERT_TRUE(mdev_exists(U3, 1000));

	n = nl_dump(&self->nl, NULL);
	ASSERT_EQ(2, n);
	EXPECT_STREQ("active", dumped_state(n, U1, &type));
	EXPECT_STREQ(V54, type);
	EXPECT_STREQ("unmanaged", dumped_state(n, U3, NULL));

	n = nl_dump(&self->nl, GH_IGPU);
	EXPECT_EQ(2, n);
	EXPECT_STREQ("active", dumped_state(n, U1, NULL));
	EXPECT_EQ(0, nl_dump(&self->nl, NOPARENT));
	EXPECT_EQ(-EINVAL, nl_dump(&self->nl, "00:02.0"));
	/* 6.1 gives a dump's start callback no extack to fill in */
	EXPECT_TRUE(strstr(self->nl.extack, "PCI address") || !self->nl.extack[0]) {
		TH_LOG("extack: '%s'", self->nl.extack);
	}

	/*
	 * MDEV_GET do finds the unmanaged one too; MDEV_REMOVE refuses it
	 * (netlink removes only what gpuhelper declared) and it stays;
	 * the mdev core's own remove file takes it.
	 */
	EXPECT_TRUE(wait_get(&self->nl, U3, "unmanaged", "", 10));
	EXPECT_EQ(-EPERM, nl_remove(&self->nl, NULL, U3));
	EXPECT_NE(NULL, strstr(self->nl.extack, "not declared")) {
		TH_LOG("extack: '%s'", self->nl.extack);
	}
	gh_msleep(200);
	EXPECT_TRUE(mdev_exists(U3, 10));
	ASSERT_EQ(0, gh_write("/sys/bus/mdev/devices/" U3 "/remove", "1"));
	EXPECT_TRUE(mdev_gone(U3, 3000));
}

TEST_F(mdev_nl, remove_deletes_mdev_and_declaration_then_enoent)
{
	struct gh_nl_msg m;

	ASSERT_EQ(0, nl_create(&self->nl, GH_IGPU, V54, U1, NULL));
	ASSERT_EQ(0, nl_create(&self->nl, GH_IGPU, V58, U2, NULL));
	ASSERT_TRUE(mdev_exists(U1, 3000));
	ASSERT_TRUE(mdev_exists(U2, 3000));

	/* with the parent named, and without */
	ASSERT_EQ(0, nl_remove(&self->nl, GH_IGPU, U1));
	ASSERT_EQ(0, nl_remove(&self->nl, NULL, U2));
	EXPECT_TRUE(mdev_gone(U1, 3000));
	EXPECT_TRUE(mdev_gone(U2, 3000));
	for (int i = 0; i < 100 && nl_get(&self->nl, U1, &m) != -ENOENT; i++)
		gh_msleep(20);
	EXPECT_EQ(-ENOENT, nl_get(&self->nl, U1, &m));
	EXPECT_NE(NULL, strstr(self->nl.extack, "no such mdev"));
	for (int i = 0; i < 100 && nl_dump(&self->nl, NULL) != 0; i++)
		gh_msleep(20);
	EXPECT_EQ(0, nl_dump(&self->nl, NULL));

	EXPECT_EQ(-ENOENT, nl_remove(&self->nl, GH_IGPU, U1));
	EXPECT_NE(NULL, strstr(self->nl.extack, "no such mdev"));
	EXPECT_EQ(-ENOENT, nl_remove(&self->nl, NULL, U2));
	EXPECT_EQ(-ENOENT, nl_remove(&self->nl, NOPARENT, U1));
}

TEST_F(mdev_nl, duplicate_uuid_is_eexist)
{
	ASSERT_EQ(0, nl_create(&self->nl, GH_IGPU, V54, U1, NULL));
	EXPECT_EQ(-EEXIST, nl_create(&self->nl, GH_IGPU, V58, U1, NULL));
	EXPECT_NE(NULL, strstr(self->nl.extack, "already declared or in use"));
	ASSERT_TRUE(mdev_exists(U1, 3000));
	EXPECT_EQ(-EEXIST, nl_create(&self->nl, GH_IGPU, NULL, U1, NULL));
	/* taken directly through the mdev core counts as well */
	ASSERT_EQ(0, gh_write(TYPES "/" V58 "/create", U2));
	EXPECT_EQ(-EEXIST, nl_create(&self->nl, GH_IGPU, V58, U2, NULL));
	EXPECT_STREQ(V54, type_of(U1));
}

TEST_F(mdev_nl, unknown_type_is_enoent)
{
	struct gh_nl_msg m;

	EXPECT_EQ(-ENOENT, nl_create(&self->nl, GH_IGPU, "i915-GVTg_V9_9", U1, NULL));
	EXPECT_NE(NULL, strstr(self->nl.extack, "no such mdev type"));
	EXPECT_EQ(-ENOENT, nl_create(&self->nl, GH_IGPU, "GVTg_V5_4", NULL, NULL));
	EXPECT_EQ(-ENOENT, nl_get(&self->nl, U1, &m));
	EXPECT_EQ(0, nl_dump(&self->nl, NULL));
}

TEST_F(mdev_nl, no_parent_is_enodev_malformed_parent_or_type_einval)
{
	EXPECT_EQ(-ENODEV, nl_create(&self->nl, NOPARENT, V54, U1, NULL));
	EXPECT_NE(NULL, strstr(self->nl.extack, "no mdev parent"));
	EXPECT_EQ(-EINVAL, nl_create(&self->nl, "00:02.0", V54, U1, NULL));
	EXPECT_NE(NULL, strstr(self->nl.extack, "PCI address"));
	EXPECT_EQ(-EINVAL, nl_create(&self->nl, "0000:00:02.0 ", V54, U1, NULL));
	EXPECT_EQ(-EINVAL, nl_create(&self->nl, GH_IGPU, "../../remove", U1, NULL));
	EXPECT_NE(NULL, strstr(self->nl.extack, "type directory name"));
	EXPECT_EQ(-EINVAL, nl_remove(&self->nl, "junk", U1));
	EXPECT_EQ(0, nl_dump(&self->nl, NULL));
}

/* 0 when create and remove are refused with EPERM and reading works. */
static int nobody_tries_mdev_ops(void)
{
	struct gh_nl nl;
	struct gh_nl_msg m;

	if (gh_nl_open(&nl))
		return 101;
	if (nl_dump(&nl, NULL) != 1 || strcmp(dumped_state(1, U1, NULL), "active"))
		return 102;
	if (nl_get(&nl, U1, &m))
		return 103;
	if (nl_create(&nl, GH_IGPU, V58, U2, NULL) != -EPERM)
		return 104;
	if (nl_create(&nl, GH_IGPU, NULL, NULL, NULL) != -EPERM)
		return 105;
	if (nl_remove(&nl, GH_IGPU, U1) != -EPERM)
		return 106;
	if (nl_remove(&nl, NULL, U1) != -EPERM)
		return 107;
	return 0;
}

TEST_F(mdev_nl, unprivileged_create_remove_refused_eperm_dump_allowed)
{
	ASSERT_EQ(0, nl_create(&self->nl, GH_IGPU, V54, U1, NULL));
	ASSERT_TRUE(mdev_exists(U1, 3000));
	ASSERT_TRUE(wait_get(&self->nl, U1, "active", V54, 2000));

	EXPECT_EQ(0, gh_as_nobody(nobody_tries_mdev_ops));
	EXPECT_TRUE(gh_exists("/sys/bus/mdev/devices/%s", U1));
	EXPECT_FALSE(gh_exists("/sys/bus/mdev/devices/%s", U2));
	EXPECT_EQ(1, nl_dump(&self->nl, NULL));
}

/* ---- policy: refused before anything is looked at ---- */

FIXTURE(mdev_policy) {
	struct gh_nl nl;
};

FIXTURE_VARIANT(mdev_policy) {
	uint8_t cmd;
	bool parent;
	int uuid_len;		/* 0: leave out */
	int extra_attr;		/* an attribute the command does not take */
	int err;	/* the policy's answer: ERANGE for a size out of range */
};

FIXTURE_VARIANT_ADD(mdev_policy, create_uuid_15_bytes) {
	GPUHELPER_CMD_MDEV_CREATE, true, 15, 0, -ERANGE };
FIXTURE_VARIANT_ADD(mdev_policy, create_uuid_17_bytes) {
	GPUHELPER_CMD_MDEV_CREATE, true, 17, 0, -ERANGE };
FIXTURE_VARIANT_ADD(mdev_policy, remove_uuid_15_bytes) {
	GPUHELPER_CMD_MDEV_REMOVE, true, 15, 0, -ERANGE };
FIXTURE_VARIANT_ADD(mdev_policy, get_uuid_36_bytes_text) {
	GPUHELPER_CMD_MDEV_GET, false, 36, 0, -ERANGE };
FIXTURE_VARIANT_ADD(mdev_policy, create_missing_parent) {
	GPUHELPER_CMD_MDEV_CREATE, false, 16, 0, -EINVAL };
FIXTURE_VARIANT_ADD(mdev_policy, remove_missing_uuid) {
	GPUHELPER_CMD_MDEV_REMOVE, true, 0, 0, -EINVAL };
FIXTURE_VARIANT_ADD(mdev_policy, get_missing_uuid) {
	GPUHELPER_CMD_MDEV_GET, true, 0, 0, -EINVAL };
FIXTURE_VARIANT_ADD(mdev_policy, create_unexpected_dev_bdf) {
	GPUHELPER_CMD_MDEV_CREATE, true, 16, GPUHELPER_A_DEV_BDF, -EINVAL };
FIXTURE_VARIANT_ADD(mdev_policy, remove_unexpected_type) {
	GPUHELPER_CMD_MDEV_REMOVE, true, 16, GPUHELPER_A_MDEV_TYPE, -EINVAL };
FIXTURE_VARIANT_ADD(mdev_policy, create_state_attr_is_reply_only) {
	GPUHELPER_CMD_MDEV_CREATE, true, 16, GPUHELPER_A_MDEV_STATE, -EINVAL };

FIXTURE_SETUP(mdev_policy) {
	ASSERT_EQ(0, gh_nl_open(&self->nl));
}

FIXTURE_TEARDOWN(mdev_policy) {
	gh_nl_close(&self->nl);
}

TEST_F(mdev_policy, malformed_request_refused)
{
	static const uint8_t u[40] = { 0xbf, 0x59 };
	struct gh_nl_req r;

	gh_nl_req_init(&self->nl, &r, self->nl.family, variant->cmd, 0);
	if (variant->parent)
		gh_nl_put_str(&r, GPUHELPER_A_MDEV_PARENT, NOPARENT);
	if (variant->uuid_len)
		gh_nl_put(&r, GPUHELPER_A_MDEV_UUID, u, variant->uuid_len);
	if (variant->extra_attr)
		gh_nl_put_str(&r, variant->extra_attr, "x");
	EXPECT_EQ(variant->err, gh_nl_xfer(&self->nl, &r, NULL, 0));
	/* no parent anywhere: the refusal came from the policy, not mdev.c */
	EXPECT_EQ(NULL, strstr(self->nl.extack, "no mdev parent"));
}

TEST_HARNESS_MAIN
