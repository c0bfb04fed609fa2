// SPDX-License-Identifier: GPL-2.0
/*
 * netlink_test.c - the gpuhelper generic netlink family (issue 3): get,
 * dump, set-state, the events group, admin-only mutation and policy.
 */
#include <grp.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "gh_handoff.h"
#include "gh_nl.h"

FIXTURE(nl) {
	struct gh_nl nl;
};

FIXTURE_SETUP(nl) {
	ASSERT_TRUE(gh_back_to_stub());
	ASSERT_EQ(0, gh_nl_open(&self->nl));
}

FIXTURE_TEARDOWN(nl) {
	gh_nl_close(&self->nl);
	if (!gh_back_to_stub())
		TH_LOG("could not put the dGPU back to stub");
}

TEST_F(nl, family_has_version_and_events_group)
{
	EXPECT_EQ(GPUHELPER_FAMILY_VERSION, self->nl.version);
	EXPECT_NE(0, self->nl.events_group);
}

TEST_F(nl, get_dgpu_reports_state_role_ids_group_driver)
{
	struct gh_nl_msg m;
	char buf[32];
	unsigned int sv, sd;

	ASSERT_EQ(0, gh_nl_get(&self->nl, GH_DGPU, &m));
	EXPECT_STREQ(GH_DGPU, gh_nla_str(m.tb[GPUHELPER_A_DEV_BDF]));
	ASSERT_NE(NULL, m.tb[GPUHELPER_A_DEV_STATE]);
	EXPECT_EQ(GPUHELPER_STATE_STUB, gh_nla_u32(m.tb[GPUHELPER_A_DEV_STATE]));
	EXPECT_EQ(GPUHELPER_ROLE_DGPU, gh_nla_u32(m.tb[GPUHELPER_A_DEV_ROLE]));
	EXPECT_EQ(0x1234, gh_nla_u16(m.tb[GPUHELPER_A_DEV_VENDOR]));
	EXPECT_EQ(0x11e8, gh_nla_u16(m.tb[GPUHELPER_A_DEV_DEVICE]));
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/bus/pci/devices/%s/subsystem_vendor", GH_DGPU));
	sv = strtoul(buf, NULL, 16);
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/bus/pci/devices/%s/subsystem_device", GH_DGPU));
	sd = strtoul(buf, NULL, 16);
	EXPECT_EQ(sv, gh_nla_u16(m.tb[GPUHELPER_A_DEV_SUBVENDOR]));
	EXPECT_EQ(sd, gh_nla_u16(m.tb[GPUHELPER_A_DEV_SUBDEVICE]));
	ASSERT_EQ(0, gh_readf(buf, sizeof(buf), "/sys/bus/pci/devices/%s/class", GH_DGPU));
	EXPECT_EQ(strtoul(buf, NULL, 16), gh_nla_u32(m.tb[GPUHELPER_A_DEV_CLASS]));
	ASSERT_NE(NULL, m.tb[GPUHELPER_A_DEV_IOMMU_GROUP]);
	EXPECT_EQ(gh_group_of(GH_DGPU), (int)gh_nla_u32(m.tb[GPUHELPER_A_DEV_IOMMU_GROUP]));
	EXPECT_STREQ("gpuhelper", gh_nla_str(m.tb[GPUHELPER_A_DEV_DRIVER]));
	EXPECT_EQ(0, m.nblockers);
	EXPECT_EQ(NULL, m.tb[GPUHELPER_A_DEV_PRIMARY]);
}

TEST_F(nl, get_unknown_bdf_is_enodev)
{
	struct gh_nl_msg m;

	EXPECT_EQ(-ENODEV, gh_nl_get(&self->nl, GH_IGPU, &m));
	EXPECT_EQ(-ENODEV, gh_nl_get(&self->nl, "0000:09:00.0", &m));
}

TEST_F(nl, dump_lists_dgpu_and_audio_following_it)
{
	static char out[8][8192];
	struct gh_nl_req r;
	bool dgpu = false, audio = false;
	int i, n;

	gh_nl_req_init(&self->nl, &r, self->nl.family, GPUHELPER_CMD_DEV_GET, NLM_F_DUMP);
	n = gh_nl_xfer(&self->nl, &r, out, 8);
	ASSERT_LE(2, n);
	for (i = 0; i < n && i < 8; i++) {
		struct gh_nl_msg m;
		const char *bdf;

		gh_nl_parse((struct nlmsghdr *)out[i], &m);
		bdf = gh_nla_str(m.tb[GPUHELPER_A_DEV_BDF]);
		if (!strcmp(bdf, GH_DGPU))
			dgpu = true;
		if (!strcmp(bdf, GH_AUDIO)) {
			audio = true;
			EXPECT_EQ(GPUHELPER_ROLE_AUDIO, gh_nla_u32(m.tb[GPUHELPER_A_DEV_ROLE]));
			EXPECT_STREQ(GH_DGPU, gh_nla_str(m.tb[GPUHELPER_A_DEV_PRIMARY]));
		}
	}
	EXPECT_TRUE(dgpu);
	EXPECT_TRUE(audio);
}

/*
 * A dump reads the list by index, part by part: a function removed and
 * added between two parts marks the rest of the dump NLM_F_DUMP_INTR
 * (nl_dump_check_consistent()), so the reader knows to ask again. The
 * test build sends one function per part (debugfs nl-dump-per-part);
 * the list changes by a real PCI remove and rescan of the dGPU (as
 * claim_test does: removing the audio function instead would bring it back
 * in an IOMMU group of its own, which later tests do not expect).
 * Returns the flags of every message of the dump OR'ed, -errno on error.
 */
static int dump_by_parts(struct gh_nl *nl, bool change)
{
	static char buf[32768];
	struct gh_nl_req r;
	int flags = 0, parts = 0;

	gh_nl_req_init(nl, &r, nl->family, GPUHELPER_CMD_DEV_GET, NLM_F_DUMP);
	if (send(nl->fd, &r, r.n.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		int len = recv(nl->fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (len < 0)
			return -errno;
		/* the kernel has built the next part by now: change the list */
		if (change && ++parts == 1 &&
		    (gh_write("/sys/bus/pci/devices/" GH_DGPU "/remove", "1") ||
		     gh_write("/sys/bus/pci/rescan", "1")))
			return -EIO;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != r.n.nlmsg_seq)
				continue;
			flags |= h->nlmsg_flags;
			if (h->nlmsg_type == NLMSG_DONE)
				return flags;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error ?: flags;
		}
	}
}

TEST_F(nl, dump_interrupted_by_a_list_change_says_so)
{
	int flags;

	if (!gh_exists("/sys/kernel/debug/gpuhelper/nl-dump-per-part"))
		SKIP(return, "not a test build of gpuhelper (GH_TEST_HOOKS=y)");
	ASSERT_EQ(0, gh_write("/sys/kernel/debug/gpuhelper/nl-dump-per-part", "1"));

	flags = dump_by_parts(&self->nl, false);
	ASSERT_LE(0, flags);
	EXPECT_EQ(0, flags & NLM_F_DUMP_INTR);

	flags = dump_by_parts(&self->nl, true);
	gh_write("/sys/kernel/debug/gpuhelper/nl-dump-per-part", "0");
	ASSERT_LE(0, flags);
	EXPECT_EQ(NLM_F_DUMP_INTR, flags & NLM_F_DUMP_INTR);
	/* the rescan gave the dGPU back to gpuhelper */
	EXPECT_TRUE(gh_wait_driver(GH_DGPU, "gpuhelper", 3000));

	flags = dump_by_parts(&self->nl, false);
	ASSERT_LE(0, flags);
	EXPECT_EQ(0, flags & NLM_F_DUMP_INTR);
}

TEST_F(nl, set_state_cycles_stub_vfio_stub_host_stub)
{
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, gh_nl_set_state(&self->nl, GH_DGPU, GPUHELPER_STATE_VFIO, -1));
		EXPECT_STREQ("vfio-pci", gh_driver(GH_DGPU));
		EXPECT_STREQ("vfio-pci", gh_driver(GH_AUDIO));
		EXPECT_STREQ("vfio", gh_state(GH_AUDIO));
		ASSERT_EQ(0, gh_nl_set_state(&self->nl, GH_DGPU, GPUHELPER_STATE_STUB, -1));
		EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
		ASSERT_EQ(0, gh_nl_set_state(&self->nl, GH_DGPU, GPUHELPER_STATE_HOST, 1));
		EXPECT_STREQ("host", gh_state(GH_DGPU));
		EXPECT_STREQ("snd_hda_intel", gh_driver(GH_AUDIO));
		ASSERT_EQ(0, gh_nl_set_state(&self->nl, GH_DGPU, GPUHELPER_STATE_STUB, -1));
		EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
		EXPECT_STREQ("gpuhelper", gh_driver(GH_AUDIO));
	}
}

TEST_F(nl, without_audio_refused_while_audio_on_host_driver)
{
	struct gh_nl_msg m;

	ASSERT_EQ(0, gh_set_state(GH_AUDIO, "host"));
	ASSERT_STREQ("snd_hda_intel", gh_driver(GH_AUDIO));

	EXPECT_EQ(-EBUSY, gh_nl_set_state(&self->nl, GH_DGPU, GPUHELPER_STATE_VFIO, 0));
	/* 6.12 names the device in the extack; 6.1 points at blockers */
	EXPECT_TRUE(strstr(self->nl.extack, GH_AUDIO " bound to snd_hda_intel") ||
		    strstr(self->nl.extack, "blockers")) {
		TH_LOG("extack: '%s'", self->nl.extack);
	}
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_STREQ("snd_hda_intel", gh_driver(GH_AUDIO));
	ASSERT_EQ(0, gh_nl_get(&self->nl, GH_DGPU, &m));
	EXPECT_EQ(GPUHELPER_STATE_STUB, gh_nla_u32(m.tb[GPUHELPER_A_DEV_STATE]));

	/* the default takes the audio function along instead */
	ASSERT_EQ(0, gh_nl_set_state(&self->nl, GH_DGPU, GPUHELPER_STATE_VFIO, 1));
	EXPECT_STREQ("vfio-pci", gh_driver(GH_AUDIO));
}

TEST_F(nl, events_arrive_in_order_with_old_new_cause)
{
	struct { const char *bdf; uint32_t old, new, cause; } want[] = {
		{ GH_DGPU, GPUHELPER_STATE_STUB, GPUHELPER_STATE_VFIO, GPUHELPER_CAUSE_NETLINK },
		{ GH_AUDIO, GPUHELPER_STATE_STUB, GPUHELPER_STATE_VFIO, GPUHELPER_CAUSE_NETLINK },
		{ GH_DGPU, GPUHELPER_STATE_VFIO, GPUHELPER_STATE_STUB, GPUHELPER_CAUSE_SYSFS },
		{ GH_AUDIO, GPUHELPER_STATE_VFIO, GPUHELPER_STATE_STUB, GPUHELPER_CAUSE_SYSFS },
		{ GH_DGPU, GPUHELPER_STATE_STUB, GPUHELPER_STATE_UNBOUND, GPUHELPER_CAUSE_EXTERNAL },
		{ GH_DGPU, GPUHELPER_STATE_UNBOUND, GPUHELPER_STATE_STUB, GPUHELPER_CAUSE_EXTERNAL },
	};
	struct gh_nl ev;
	struct gh_nl_msg m;
	unsigned int i;

	ASSERT_EQ(0, gh_nl_open(&ev));
	ASSERT_EQ(0, gh_nl_subscribe(&ev));

	ASSERT_EQ(0, gh_nl_set_state(&self->nl, GH_DGPU, GPUHELPER_STATE_VFIO, -1));
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
	ASSERT_EQ(0, gh_write("/sys/bus/pci/drivers/gpuhelper/unbind", GH_DGPU));
	ASSERT_EQ(0, gh_write("/sys/bus/pci/drivers_probe", GH_DGPU));

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ASSERT_EQ(0, gh_nl_next_event(&ev, &m, 2000)) TH_LOG("event %u missing", i);
		EXPECT_STREQ(want[i].bdf, gh_nla_str(m.tb[GPUHELPER_A_DEV_BDF]));
		EXPECT_EQ(want[i].old, gh_nla_u32(m.tb[GPUHELPER_A_DEV_OLD_STATE]));
		EXPECT_EQ(want[i].new, gh_nla_u32(m.tb[GPUHELPER_A_DEV_STATE]));
		EXPECT_EQ(want[i].cause, gh_nla_u32(m.tb[GPUHELPER_A_DEV_CAUSE]));
	}
	/* and nothing else: a refused or no-op request reports nothing */
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
	EXPECT_EQ(-EAGAIN, gh_nl_next_event(&ev, &m, 200));
	gh_nl_close(&ev);
}

/* 0 when set-state is refused with EPERM and get still works. */
static int nobody_tries_set_state(void)
{
	struct gh_nl nl;
	struct gh_nl_msg m;

	if (gh_nl_open(&nl))
		return 101;
	if (gh_nl_get(&nl, GH_DGPU, &m))
		return 102;
	if (gh_nl_set_state(&nl, GH_DGPU, GPUHELPER_STATE_VFIO, -1) != -EPERM)
		return 103;
	if (gh_nl_set_state(&nl, GH_DGPU, GPUHELPER_STATE_HOST, -1) != -EPERM)
		return 104;
	return 0;
}

TEST_F(nl, unprivileged_set_state_refused_eperm_get_allowed)
{
	EXPECT_EQ(0, gh_as_nobody(nobody_tries_set_state));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
}

static int nobody_writes_sysfs_state(void)
{
	return gh_set_state(GH_DGPU, "vfio") == -EACCES ? 0 : 1;
}

TEST_F(nl, unprivileged_sysfs_state_write_refused)
{
	EXPECT_EQ(0, gh_as_nobody(nobody_writes_sysfs_state));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
}

FIXTURE(policy) {
	struct gh_nl nl;
};

FIXTURE_VARIANT(policy) {
	bool bdf;
	uint32_t state;		/* 0: leave out */
	int extra_attr;		/* an attribute set-state does not take */
	int err;	/* the policy's answer: ERANGE for a value out of range */
};

FIXTURE_VARIANT_ADD(policy, missing_bdf) { false, GPUHELPER_STATE_VFIO, 0, -EINVAL };
FIXTURE_VARIANT_ADD(policy, missing_state) { true, 0, 0, -EINVAL };
FIXTURE_VARIANT_ADD(policy, state_unbound_not_a_target) {
	true, GPUHELPER_STATE_UNBOUND, 0, -ERANGE };
FIXTURE_VARIANT_ADD(policy, state_out_of_range) { true, 77, 0, -ERANGE };
FIXTURE_VARIANT_ADD(policy, unexpected_role_attr) {
	true, GPUHELPER_STATE_VFIO, GPUHELPER_A_DEV_ROLE, -EINVAL };
FIXTURE_VARIANT_ADD(policy, unknown_attr) { true, GPUHELPER_STATE_VFIO, 200, -EINVAL };

FIXTURE_SETUP(policy) {
	ASSERT_TRUE(gh_back_to_stub());
	ASSERT_EQ(0, gh_nl_open(&self->nl));
}

FIXTURE_TEARDOWN(policy) {
	gh_nl_close(&self->nl);
	gh_back_to_stub();
}

TEST_F(policy, malformed_set_state_refused_nothing_changed)
{
	struct gh_nl_req r;

	gh_nl_req_init(&self->nl, &r, self->nl.family, GPUHELPER_CMD_DEV_SET_STATE, 0);
	if (variant->bdf)
		gh_nl_put_str(&r, GPUHELPER_A_DEV_BDF, GH_DGPU);
	if (variant->state)
		gh_nl_put_u32(&r, GPUHELPER_A_DEV_STATE, variant->state);
	if (variant->extra_attr)
		gh_nl_put_u32(&r, variant->extra_attr, 1);
	EXPECT_EQ(variant->err, gh_nl_xfer(&self->nl, &r, NULL, 0));
	EXPECT_STREQ("stub", gh_state(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_AUDIO));
}

TEST_HARNESS_MAIN
