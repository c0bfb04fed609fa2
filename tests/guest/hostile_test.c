// SPDX-License-Identifier: GPL-2.0
/*
 * hostile_test.c - hostile input to every interface gpuhelper.ko offers
 * (issue 8): every sysfs attribute of a tracked function and the netlink
 * family, as root so that only the module's own checks stand in the way.
 *
 * Each case expects the errno Documentation/ABI and Documentation/netlink.rst
 * give, and after each one the dGPU and its audio function must be where
 * they were (state, driver, driver_override). The kernel log must gain no
 * WARN/BUG/Oops line. The cases are tables; the count of cases tried is
 * printed as "# hostile inputs tried: N" (a figure of issue 8).
 *
 * The sysfs tables run with the dGPU in stub, vfio and host; the mdev
 * parent's files (create, remove, mdev_result) with the fake GVT-g parent
 * (tests/kmod/gh_fake_gvt.c) loaded, and must never declare an mdev.
 */
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "gh_handoff.h"
#include "gh_nl.h"

/* Counters shared by the forked test cases. */
static unsigned int *tried;

static void __attribute__((constructor)) hostile_counters(void)
{
	tried = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tried == MAP_FAILED)
		abort();
}

/* A kernel log line since @fd's mark that means the kernel complained. */
static bool kmsg_has_splat(int fd)
{
	static const char * const bad[] = {
		"WARNING:", "BUG:", "Oops", "general protection",
		"UBSAN:", "KASAN:", "refcount_t:", "list_add corruption",
		"list_del corruption",
	};

	return gh_kmsg_since_any(fd, bad, sizeof(bad) / sizeof(bad[0]));
}

/* ---- sysfs ---- */

#define BIG(n)	((size_t)(n))
#define SZ(s)	(sizeof(s) - 1)

/*
 * One write: @data of @len bytes (may hold NULs), or @fill repeated @len
 * times when @data is NULL. @err: the -errno of open()+write(); 0 for a
 * write the sysfs core swallows without calling the module (0 bytes).
 */
struct sysfs_case {
	const char *name;
	const char *data;
	size_t len;
	char fill;
	int err;
};

/* The state file: only "stub", "vfio", "host" (+ one "\n") are words. */
static const struct sysfs_case state_cases[] = {
	{ "empty_write_is_a_no_op", "", 0, 0, 0 },
	{ "space", " ", 1, 0, -EINVAL },
	{ "tab", "\t", 1, 0, -EINVAL },
	{ "newline", "\n", 1, 0, -EINVAL },
	{ "newlines", "\n\n", 2, 0, -EINVAL },
	{ "crlf", "\r\n", 2, 0, -EINVAL },
	{ "spaces_newline", "   \n", 4, 0, -EINVAL },
	{ "overlong_4095", NULL, BIG(4095), 'v', -EINVAL },
	{ "overlong_page", NULL, BIG(4096), 'a', -EINVAL },
	/* sysfs hands the module the first page, which is garbage */
	{ "overlong_page_plus_one", NULL, BIG(4097), 'a', -EINVAL },
	{ "overlong_64k", NULL, BIG(65536), 'x', -EINVAL },
	{ "nul_only", "\0", 1, 0, -EINVAL },
	{ "nul_first", "\0vfio", 5, 0, -EINVAL },
	{ "word_then_nul", "vfio\0", 5, 0, -EINVAL },
	{ "word_nul_garbage", "vfio\0junk", 9, 0, -EINVAL },
	{ "stub_nul_vfio", "stub\0vfio", 9, 0, -EINVAL },
	{ "host_nul_newline", "host\0\n", 6, 0, -EINVAL },
	{ "nul_inside_word", "vf\0io", 5, 0, -EINVAL },
	{ "bdf", "0000:01:00.0", 12, 0, -EINVAL },
	{ "short_bdf", "01:00.0", 7, 0, -EINVAL },
	{ "igpu_bdf", "0000:00:02.0\n", 13, 0, -EINVAL },
	{ "negative", "-1", 2, 0, -EINVAL },
	{ "negative_min", "-2147483648\n", 12, 0, -EINVAL },
	{ "huge", "4294967296", 10, 0, -EINVAL },
	{ "huger", "99999999999999999999999999", 26, 0, -EINVAL },
	{ "hex", "0x2", 3, 0, -EINVAL },
	{ "state_number_1", "1", 1, 0, -EINVAL },
	{ "state_number_2", "2\n", 2, 0, -EINVAL },
	{ "state_number_3", "3", 1, 0, -EINVAL },
	{ "state_number_4", "4", 1, 0, -EINVAL },
	{ "unbound", "unbound\n", 8, 0, -EINVAL },
	{ "unknown", "unknown", 7, 0, -EINVAL },
	{ "none", "none", 4, 0, -EINVAL },
	{ "driver_name_vfio_pci", "vfio-pci", 8, 0, -EINVAL },
	{ "driver_name_gpuhelper", "gpuhelper", 9, 0, -EINVAL },
	{ "driver_name_nouveau", "nouveau\n", 8, 0, -EINVAL },
	{ "upper", "STUB", 4, 0, -EINVAL },
	{ "capitalised", "Host\n", 5, 0, -EINVAL },
	{ "prefix", "st", 2, 0, -EINVAL },
	{ "longer_word", "hostt", 5, 0, -EINVAL },
	{ "trailing_space", "host ", 5, 0, -EINVAL },
	{ "leading_space", " host", 5, 0, -EINVAL },
	{ "trailing_tab", "vfio\t", 5, 0, -EINVAL },
	{ "trailing_word", "vfio please", 11, 0, -EINVAL },
	{ "newline_then_garbage", "vfio\nx", 6, 0, -EINVAL },
	{ "two_words_comma", "vfio,stub", 9, 0, -EINVAL },
	{ "semicolon", "vfio;", 5, 0, -EINVAL },
	{ "shell", "vfio; reboot", 12, 0, -EINVAL },
	{ "high_byte", "vfio\x80", 5, 0, -EINVAL },
	{ "utf8", "vf\xc3\xado", 5, 0, -EINVAL },
	{ "ff_bytes", "\xff\xff\xff\xff", 4, 0, -EINVAL },
	{ "format_string", "%s%s%s%n%n", 10, 0, -EINVAL },
	{ "path", "../../../../proc/self/mem", 25, 0, -EINVAL },
	{ "word_padded_to_page", NULL, BIG(4096), '\n', -EINVAL },
};

/* Read-only attributes: refused at open() for writing, even for root. */
static const char * const ro_attrs[] = {
	"blockers", "role", "vbios", "vbios_source", "vbios_info",
};

static const struct sysfs_case ro_cases[] = {
	{ "ro_word", "stub", 4, 0, -EACCES },
	{ "ro_empty", "", 0, 0, -EACCES },
	{ "ro_overlong", NULL, BIG(8192), 'z', -EACCES },
	{ "ro_nul", "\0\0\0\0", 4, 0, -EACCES },
};

/* open(O_WRONLY) + one write(); bytes written or -errno. */
static ssize_t write_raw(const char *path, const char *data, size_t len)
{
	ssize_t n;
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

static ssize_t write_case(const char *path, const struct sysfs_case *c)
{
	static char big[65536 + 1];
	const char *data = c->data;

	if (!data) {
		memset(big, c->fill, c->len);
		data = big;
	}
	return write_raw(path, data, c->len);
}

/* Write every case of @cases to @path; failures name the case. */
static void run_sysfs_table(struct __test_metadata *_metadata, const char *path,
			    const struct sysfs_case *cases, size_t n)
{
	struct gh_snap before, after;

	gh_snap_take(&before);
	for (size_t i = 0; i < n; i++) {
		const struct sysfs_case *c = &cases[i];
		ssize_t ret = write_case(path, c);
		ssize_t want = c->err;

		__atomic_add_fetch(&tried[0], 1, __ATOMIC_SEQ_CST);
		EXPECT_EQ(want, ret) {
			TH_LOG("%s <- %s: got %zd, want %zd", path, c->name, ret, want);
		}
		gh_snap_take(&after);
		EXPECT_TRUE(gh_snap_same(&before, &after)) {
			TH_LOG("%s <- %s moved something: dGPU %s/%s audio %s/%s", path,
			       c->name, after.state[0], after.driver[0],
			       after.state[1], after.driver[1]);
		}
	}
}

FIXTURE(hostile_sysfs) {
	int kmsg;
};

FIXTURE_VARIANT(hostile_sysfs) {
	const char *state;	/* where the dGPU is while the tables run */
};

FIXTURE_VARIANT_ADD(hostile_sysfs, in_stub) { "stub" };
FIXTURE_VARIANT_ADD(hostile_sysfs, in_vfio) { "vfio" };
FIXTURE_VARIANT_ADD(hostile_sysfs, in_host) { "host" };

FIXTURE_SETUP(hostile_sysfs) {
	ASSERT_TRUE(gh_back_to_stub());
	ASSERT_EQ(0, gh_set_state(GH_DGPU, variant->state));
	ASSERT_STREQ(variant->state, gh_state(GH_DGPU));
	self->kmsg = gh_kmsg_mark();
}

FIXTURE_TEARDOWN(hostile_sysfs) {
	EXPECT_FALSE(kmsg_has_splat(self->kmsg));
	if (!gh_back_to_stub())
		TH_LOG("could not put the dGPU back to stub");
}

TEST_F(hostile_sysfs, state_of_dgpu_and_audio)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/gpuhelper/%s/state", GH_DGPU);
	run_sysfs_table(_metadata, path, state_cases,
			sizeof(state_cases) / sizeof(state_cases[0]));
	snprintf(path, sizeof(path), "/sys/class/gpuhelper/%s/state", GH_AUDIO);
	run_sysfs_table(_metadata, path, state_cases,
			sizeof(state_cases) / sizeof(state_cases[0]));
}

TEST_F(hostile_sysfs, read_only_attributes)
{
	unsigned int seen = 0;
	char path[128];

	for (size_t a = 0; a < sizeof(ro_attrs) / sizeof(ro_attrs[0]); a++) {
		snprintf(path, sizeof(path), "/sys/class/gpuhelper/%s/%s", GH_DGPU,
			 ro_attrs[a]);
		if (access(path, F_OK))
			continue;	/* vbios* arrive with the vBIOS shadow */
		seen++;
		run_sysfs_table(_metadata, path, ro_cases,
				sizeof(ro_cases) / sizeof(ro_cases[0]));
	}
	EXPECT_LE(2, seen);	/* blockers and role at least */
}

/* ---- netlink ---- */

struct nl_attr_spec {
	uint16_t type;	/* 0 ends the list unless @len is set */
	int len;	/* -1: strlen(data) + 1 */
	const char *data;
};

struct nl_case {
	const char *name;
	uint8_t cmd;
	uint16_t flags;
	int version;	/* -1: GPUHELPER_FAMILY_VERSION */
	struct nl_attr_spec a[4];
	int err;	/* 0: the request is answered normally */
};

#define A_BDF		GPUHELPER_A_DEV_BDF
#define A_STATE		GPUHELPER_A_DEV_STATE
#define A_AUDIO		GPUHELPER_A_DEV_WITH_AUDIO
#define SET		GPUHELPER_CMD_DEV_SET_STATE
#define GET		GPUHELPER_CMD_DEV_GET
#define DGPU_BDF	{ A_BDF, -1, GH_DGPU }
#define LE32(a, b, c, d) ((const char []){ a, b, c, d })
#define ST_VFIO		{ A_STATE, 4, LE32(2, 0, 0, 0) }

static const struct nl_case nl_cases[] = {
	/* missing attributes */
	{ "set_no_attrs", SET, 0, -1, { }, -EINVAL },
	{ "set_missing_bdf", SET, 0, -1, { ST_VFIO }, -EINVAL },
	{ "set_missing_state", SET, 0, -1, { DGPU_BDF }, -EINVAL },
	{ "set_only_with_audio", SET, 0, -1, { { A_AUDIO, 1, "\1" } }, -EINVAL },
	{ "get_do_missing_bdf", GET, 0, -1, { }, -EINVAL },
	/* wrong types and lengths */
	{ "bdf_not_nul_terminated", SET, 0, -1,
	  { { A_BDF, 4, "AAAA" }, ST_VFIO }, -EINVAL },
	{ "bdf_zero_length", SET, 0, -1, { { A_BDF, 0, "" }, ST_VFIO }, -EINVAL },
	{ "bdf_as_u32_is_a_short_string", GET, 0, -1, { { A_BDF, 4, LE32(1, 0, 0, 0) } }, -ENODEV },
	{ "state_as_u8", SET, 0, -1, { DGPU_BDF, { A_STATE, 1, "\2" } }, -EINVAL },
	{ "state_as_u16", SET, 0, -1, { DGPU_BDF, { A_STATE, 2, "\2\0" } }, -EINVAL },
	{ "state_as_u64", SET, 0, -1,
	  { DGPU_BDF, { A_STATE, 8, "\2\0\0\0\0\0\0\0" } }, -EINVAL },
	{ "state_as_string", SET, 0, -1, { DGPU_BDF, { A_STATE, -1, "vfio" } }, -EINVAL },
	{ "state_empty", SET, 0, -1, { DGPU_BDF, { A_STATE, 0, "" } }, -EINVAL },
	{ "with_audio_as_u32", SET, 0, -1,
	  { DGPU_BDF, ST_VFIO, { A_AUDIO, 4, LE32(1, 0, 0, 0) } }, -EINVAL },
	{ "with_audio_empty", SET, 0, -1, { DGPU_BDF, ST_VFIO, { A_AUDIO, 0, "" } }, -EINVAL },
	/* values out of range */
	{ "state_zero", SET, 0, -1, { DGPU_BDF, { A_STATE, 4, LE32(0, 0, 0, 0) } }, -ERANGE },
	{ "state_unbound", SET, 0, -1, { DGPU_BDF, { A_STATE, 4, LE32(4, 0, 0, 0) } }, -ERANGE },
	{ "state_huge", SET, 0, -1,
	  { DGPU_BDF, { A_STATE, 4, LE32(-1, -1, -1, -1) } }, -ERANGE },
	{ "state_negative_as_int", SET, 0, -1,
	  { DGPU_BDF, { A_STATE, 4, LE32(-2, -1, -1, -1) } }, -ERANGE },
	{ "with_audio_2", SET, 0, -1, { DGPU_BDF, ST_VFIO, { A_AUDIO, 1, "\2" } }, -ERANGE },
	{ "with_audio_255", SET, 0, -1, { DGPU_BDF, ST_VFIO, { A_AUDIO, 1, "\377" } }, -ERANGE },
	/* oversized strings: the policy caps DEV_BDF at 16 characters */
	{ "bdf_17_chars", SET, 0, -1, { { A_BDF, -1, "0000:01:00.0xxxxx" }, ST_VFIO }, -EINVAL },
	{ "bdf_300_chars", GET, 0, -1, { { A_BDF, -1,
	  "00000000000000000000000000000000000000000000000000000000000000000000000000"
	  "00000000000000000000000000000000000000000000000000000000000000000000000000"
	  "00000000000000000000000000000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000000000000000000000000000000000000000:0" } },
	  -EINVAL },
	/* names that are not a held function */
	{ "bdf_empty_string", SET, 0, -1, { { A_BDF, 1, "" }, ST_VFIO }, -ENODEV },
	{ "bdf_igpu", SET, 0, -1, { { A_BDF, -1, GH_IGPU }, ST_VFIO }, -ENODEV },
	{ "bdf_short_form", SET, 0, -1, { { A_BDF, -1, "01:00.0" }, ST_VFIO }, -ENODEV },
	{ "bdf_trailing_space", GET, 0, -1, { { A_BDF, -1, "0000:01:00.0 " } }, -ENODEV },
	{ "bdf_nul_then_garbage", SET, 0, -1,
	  { { A_BDF, 16, GH_DGPU "\0xx" }, ST_VFIO }, -ENODEV },
	{ "bdf_nul_then_garbage_get", GET, 0, -1, { { A_BDF, 16, GH_DGPU "\0xx" } }, -ENODEV },
	{ "bdf_format_string", GET, 0, -1, { { A_BDF, -1, "%s%s%n%p" } }, -ENODEV },
	/* attributes the command does not take, or nobody knows */
	{ "unspec_attr", SET, 0, -1, { DGPU_BDF, ST_VFIO, { 0, 4, LE32(1, 0, 0, 0) } }, -EINVAL },
	{ "attr_past_max", SET, 0, -1,
	  { DGPU_BDF, ST_VFIO, { GPUHELPER_A_MAX + 1, 4, LE32(1, 0, 0, 0) } }, -EINVAL },
	{ "attr_0x3fff", GET, 0, -1, { DGPU_BDF, { 0x3fff, 4, LE32(1, 0, 0, 0) } }, -EINVAL },
	{ "state_in_get", GET, 0, -1, { DGPU_BDF, ST_VFIO }, -EINVAL },
	{ "old_state_in_set", SET, 0, -1,
	  { DGPU_BDF, ST_VFIO, { GPUHELPER_A_DEV_OLD_STATE, 4, LE32(1, 0, 0, 0) } }, -EINVAL },
	{ "cause_in_set", SET, 0, -1,
	  { DGPU_BDF, ST_VFIO, { GPUHELPER_A_DEV_CAUSE, 4, LE32(1, 0, 0, 0) } }, -EINVAL },
	{ "bdf_with_nested_flag", SET, 0, -1,
	  { { A_BDF | NLA_F_NESTED, -1, GH_DGPU }, ST_VFIO }, -EINVAL },
	{ "dump_with_unknown_attr", GET, NLM_F_DUMP, -1,
	  { { 0x3fff, 4, LE32(1, 0, 0, 0) } }, -EINVAL },
	/* commands */
	{ "cmd_unspec", GPUHELPER_CMD_UNSPEC, 0, -1, { DGPU_BDF }, -EOPNOTSUPP },
	{ "cmd_ntf_as_request", GPUHELPER_CMD_DEV_STATE_NTF, 0, -1,
	  { DGPU_BDF, ST_VFIO }, -EOPNOTSUPP },
	{ "cmd_past_max", GPUHELPER_CMD_MAX + 1, 0, -1, { DGPU_BDF }, -EOPNOTSUPP },
	{ "cmd_255", 255, 0, -1, { DGPU_BDF, ST_VFIO }, -EOPNOTSUPP },
	{ "set_as_dump", SET, NLM_F_DUMP, -1, { DGPU_BDF, ST_VFIO }, -EOPNOTSUPP },
	/* the family version: only 1 is spoken */
	{ "version_0_get", GET, 0, 0, { DGPU_BDF }, -EINVAL },
	{ "version_2_get", GET, 0, 2, { DGPU_BDF }, -EINVAL },
	{ "version_255_dump", GET, NLM_F_DUMP, 255, { }, -EINVAL },
	{ "version_0_set", SET, 0, 0, { DGPU_BDF, ST_VFIO }, -EINVAL },
	{ "version_2_set", SET, 0, 2, { DGPU_BDF, ST_VFIO }, -EINVAL },
	/* controls: well-formed requests are answered */
	{ "control_get", GET, 0, -1, { DGPU_BDF }, 1 },
	{ "control_dump", GET, NLM_F_DUMP, -1, { }, 2 },
};

struct nl_big_req {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char buf[70000];
};


static void nl_big_init(struct gh_nl *nl, struct nl_big_req *r, uint8_t cmd,
			uint16_t flags, int version)
{
	memset(&r->n, 0, sizeof(r->n) + sizeof(r->g));
	r->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->n.nlmsg_type = nl->family;
	r->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->n.nlmsg_seq = ++nl->seq;
	r->g.cmd = cmd;
	r->g.version = version < 0 ? GPUHELPER_FAMILY_VERSION : version;
}

static int nl_big_xfer(struct gh_nl *nl, struct nl_big_req *r)
{
	static char out[4][8192];

	return gh_nl_xfer(nl, (struct gh_nl_req *)r, out, 4);
}

FIXTURE(hostile_nl) {
	struct gh_nl nl;
	int kmsg;
};

FIXTURE_SETUP(hostile_nl) {
	struct timeval tv = { 5, 0 };

	ASSERT_TRUE(gh_back_to_stub());
	ASSERT_EQ(0, gh_nl_open(&self->nl));
	/* a request the kernel drops without an answer must not hang us */
	setsockopt(self->nl.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	self->kmsg = gh_kmsg_mark();
}

FIXTURE_TEARDOWN(hostile_nl) {
	gh_nl_close(&self->nl);
	EXPECT_FALSE(kmsg_has_splat(self->kmsg));
	if (!gh_back_to_stub())
		TH_LOG("could not put the dGPU back to stub");
}

TEST_F(hostile_nl, table_of_malformed_requests)
{
	static struct nl_big_req r;
	struct gh_snap before, after;

	gh_snap_take(&before);
	for (size_t i = 0; i < sizeof(nl_cases) / sizeof(nl_cases[0]); i++) {
		const struct nl_case *c = &nl_cases[i];
		int ret;

		nl_big_init(&self->nl, &r, c->cmd, c->flags, c->version);
		for (int j = 0; j < 4 && (c->a[j].type || c->a[j].len || c->a[j].data); j++) {
			int len = c->a[j].len < 0 ? (int)strlen(c->a[j].data) + 1 : c->a[j].len;

			gh_nla_put(&r.n, c->a[j].type, c->a[j].data, len);
		}
		ret = nl_big_xfer(&self->nl, &r);
		__atomic_add_fetch(&tried[1], 1, __ATOMIC_SEQ_CST);
		if (c->err > 0) {
			EXPECT_LE(c->err, ret) TH_LOG("%s: got %d", c->name, ret);
		} else {
			EXPECT_EQ(c->err, ret) {
				TH_LOG("%s: got %d, want %d (extack '%s')", c->name, ret,
				       c->err, self->nl.extack);
			}
		}
		gh_snap_take(&after);
		EXPECT_TRUE(gh_snap_same(&before, &after)) {
			TH_LOG("%s moved something: dGPU %s/%s", c->name,
			       after.state[0], after.driver[0]);
		}
	}
}

/* Malformed framing the table cannot express. */
TEST_F(hostile_nl, broken_framing)
{
	static struct nl_big_req r;
	static char big[65000];
	struct gh_snap before, after;
	struct nlattr *a;

	gh_snap_take(&before);

	/* a 64 KB DEV_BDF: too long for the policy */
	memset(big, '0', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	nl_big_init(&self->nl, &r, SET, 0, -1);
	gh_nla_put(&r.n, A_BDF, big, sizeof(big));
	gh_nla_put(&r.n, A_STATE, LE32(2, 0, 0, 0), 4);
	EXPECT_EQ(-EINVAL, nl_big_xfer(&self->nl, &r));
	__atomic_add_fetch(&tried[1], 1, __ATOMIC_SEQ_CST);

	/* 64 KB of an unknown attribute after a good request */
	nl_big_init(&self->nl, &r, SET, 0, -1);
	gh_nla_put(&r.n, A_BDF, GH_DGPU, sizeof(GH_DGPU));
	gh_nla_put(&r.n, A_STATE, LE32(2, 0, 0, 0), 4);
	gh_nla_put(&r.n, 0x1234, big, sizeof(big));
	EXPECT_EQ(-EINVAL, nl_big_xfer(&self->nl, &r));
	__atomic_add_fetch(&tried[1], 1, __ATOMIC_SEQ_CST);

	/* an attribute whose length runs past the message */
	nl_big_init(&self->nl, &r, SET, 0, -1);
	gh_nla_put(&r.n, A_BDF, GH_DGPU, sizeof(GH_DGPU));
	gh_nla_put(&r.n, A_STATE, LE32(2, 0, 0, 0), 4);
	a = (struct nlattr *)((char *)&r + NLMSG_LENGTH(GENL_HDRLEN));
	a->nla_len = 400;
	EXPECT_EQ(-EINVAL, nl_big_xfer(&self->nl, &r));
	__atomic_add_fetch(&tried[1], 1, __ATOMIC_SEQ_CST);

	/* an attribute header shorter than a header */
	nl_big_init(&self->nl, &r, SET, 0, -1);
	gh_nla_put(&r.n, A_BDF, GH_DGPU, sizeof(GH_DGPU));
	gh_nla_put(&r.n, A_STATE, LE32(2, 0, 0, 0), 4);
	a->nla_len = 2;
	EXPECT_EQ(-EINVAL, nl_big_xfer(&self->nl, &r));
	__atomic_add_fetch(&tried[1], 1, __ATOMIC_SEQ_CST);

	/* a generic netlink header cut short */
	nl_big_init(&self->nl, &r, SET, 0, -1);
	r.n.nlmsg_len = NLMSG_LENGTH(2);
	EXPECT_EQ(-EINVAL, nl_big_xfer(&self->nl, &r));
	__atomic_add_fetch(&tried[1], 1, __ATOMIC_SEQ_CST);

	/* 2 bytes of trailing junk after the last attribute */
	nl_big_init(&self->nl, &r, SET, 0, -1);
	gh_nla_put(&r.n, A_BDF, GH_DGPU, sizeof(GH_DGPU));
	gh_nla_put(&r.n, A_STATE, LE32(2, 0, 0, 0), 4);
	r.n.nlmsg_len += 2;
	EXPECT_EQ(-EINVAL, nl_big_xfer(&self->nl, &r));
	__atomic_add_fetch(&tried[1], 1, __ATOMIC_SEQ_CST);

	gh_snap_take(&after);
	EXPECT_TRUE(gh_snap_same(&before, &after));
	/* and the family still answers */
	EXPECT_EQ(0, gh_nl_set_state(&self->nl, GH_DGPU, GPUHELPER_STATE_STUB, -1));
}

/* ---- the mdev parent's files (create, remove, mdev_result) ---- */

#define MCLS	"/sys/class/gpuhelper/" GH_IGPU
#define UA	"6c1e8a2f-4b7d-4e3a-9f10-2a5b8c7d9e01"
#define UB	"0b7e1f33-9a3c-4d2e-8f61-5c4d3b2a1f00"

/* Nothing of these may declare an mdev; a bare "\n" or "" would (default). */
static const struct sysfs_case create_cases[] = {
	{ "create_three_words", "a b c", 5, 0, -EINVAL },
	{ "create_type_then_bad_uuid", "i915-GVTg_V5_8 not-a-uuid", 25, 0, -EINVAL },
	{ "create_uuid_as_type", UA " " UB, 73, 0, -ENOENT },
	{ "create_uuid_nul_type", UA "\0i915-GVTg_V5_8", 51, 0, -EINVAL },
	{ "create_type_nul_uuid", "i915-GVTg_V5_8\0" UA, 51, 0, -EINVAL },
	{ "create_type_then_nul", "i915-GVTg_V5_8\0", 15, 0, -EINVAL },
	{ "create_nul_only", "\0", 1, 0, -EINVAL },
	{ "create_overlong_type", NULL, BIG(4096), 'a', -EINVAL },
	{ "create_overlong_64k", NULL, BIG(65536), 'b', -EINVAL },
	{ "create_type_with_slash", "../../../x", 10, 0, -EINVAL },
	{ "create_type_dot_first", ".hidden", 7, 0, -EINVAL },
	{ "create_format_string", "%s%s%n", 6, 0, -EINVAL },
	{ "create_high_byte", "i915\xff", 5, 0, -EINVAL },
	{ "create_unknown_type", "i915-GVTg_V9_9", 14, 0, -ENOENT },
	{ "create_unknown_type_and_uuid", "nope " UA "\n", 42, 0, -ENOENT },
	{ "create_negative_as_type", "-1", 2, 0, -ENOENT },
	{ "create_short_uuid_as_type", "6c1e8a2f-4b7d-4e3a-9f10-2a5b8c7d9e0", 35, 0, -ENOENT },
};

static const struct sysfs_case remove_cases[] = {
	{ "remove_empty_is_a_no_op", "", 0, 0, 0 },
	{ "remove_blank", " \n", 2, 0, -EINVAL },
	{ "remove_not_a_uuid", "not-a-uuid", 10, 0, -EINVAL },
	{ "remove_short_uuid", "6c1e8a2f-4b7d-4e3a-9f10-2a5b8c7d9e0", 35, 0, -EINVAL },
	{ "remove_uuid_no_dashes", "6c1e8a2f4b7d4e3a9f102a5b8c7d9e01", 32, 0, -EINVAL },
	{ "remove_two_uuids", UA " " UB, 73, 0, -EINVAL },
	{ "remove_uuid_nul_garbage", UA "\0junk", 41, 0, -EINVAL },
	{ "remove_nul_first", "\0" UA, 37, 0, -EINVAL },
	{ "remove_overlong", NULL, BIG(4096), 'f', -EINVAL },
	{ "remove_unknown_uuid", UA "\n", 37, 0, -ENOENT },
};

static const struct sysfs_case result_cases[] = {
	{ "result_empty_is_a_no_op", "", 0, 0, 0 },
	{ "result_action_only", "create", 6, 0, -EINVAL },
	{ "result_no_errno", "create " UA, 43, 0, -EINVAL },
	{ "result_positive_errno", "create " UA " 5", 45, 0, -EINVAL },
	{ "result_errno_too_small", "create " UA " -99999", 50, 0, -EINVAL },
	{ "result_errno_not_a_number", "create " UA " x", 45, 0, -EINVAL },
	{ "result_unknown_action", "destroy " UA " 0", 46, 0, -EINVAL },
	{ "result_bad_uuid", "create nope 0", 13, 0, -EINVAL },
	{ "result_bad_type", "create " UA " 0 a/b", 49, 0, -EINVAL },
	{ "result_five_words", "create " UA " 0 t x", 49, 0, -EINVAL },
	{ "result_nul_inside", "create " UA "\0 0", 46, 0, -EINVAL },
	{ "result_overlong", NULL, BIG(4096), 'c', -EINVAL },
	{ "result_undeclared_uuid", "create " UA " 0\n", 46, 0, -ENOENT },
};

FIXTURE(hostile_mdev) {
	int kmsg;
};

FIXTURE_SETUP(hostile_mdev) {
	ASSERT_EQ(0, gh_system("modprobe gh_fake_gvt"));
	for (int i = 0; i < 100 && !gh_exists(MCLS "/create"); i++)
		gh_msleep(20);
	ASSERT_TRUE(gh_exists(MCLS "/create"));
	self->kmsg = gh_kmsg_mark();
}

FIXTURE_TEARDOWN(hostile_mdev) {
	EXPECT_FALSE(kmsg_has_splat(self->kmsg));
	gh_unload("gh_fake_gvt");
}

static void run_mdev_table(struct __test_metadata *_metadata, const char *file,
			   const struct sysfs_case *cases, size_t n)
{
	char path[128], buf[256];

	snprintf(path, sizeof(path), MCLS "/%s", file);
	for (size_t i = 0; i < n; i++) {
		run_sysfs_table(_metadata, path, &cases[i], 1);
		ASSERT_EQ(0, gh_read(MCLS "/mdevs", buf, sizeof(buf)));
		EXPECT_STREQ("", buf) {
			TH_LOG("%s <- %s declared: %s", path, cases[i].name, buf);
		}
		EXPECT_FALSE(gh_exists("/sys/bus/mdev/devices/" UA));
	}
}

TEST_F(hostile_mdev, create_remove_and_result_files)
{
	run_mdev_table(_metadata, "create", create_cases,
		       sizeof(create_cases) / sizeof(create_cases[0]));
	run_mdev_table(_metadata, "remove", remove_cases,
		       sizeof(remove_cases) / sizeof(remove_cases[0]));
	run_mdev_table(_metadata, "mdev_result", result_cases,
		       sizeof(result_cases) / sizeof(result_cases[0]));
}

/* Runs last (fixtures run in the order they are declared): the figure. */
FIXTURE(figures) {
};

FIXTURE_SETUP(figures) {
}

FIXTURE_TEARDOWN(figures) {
}

TEST_F(figures, hostile_inputs_tried)
{
	ksft_print_msg("hostile sysfs writes tried: %u\n", tried[0]);
	ksft_print_msg("hostile netlink requests tried: %u\n", tried[1]);
	ksft_print_msg("hostile inputs tried: %u\n", tried[0] + tried[1]);
	/* three states x (2 state files x the table + read-only files), mdev */
	EXPECT_LE(3 * 2 * sizeof(state_cases) / sizeof(state_cases[0]) +
		  sizeof(create_cases) / sizeof(create_cases[0]) +
		  sizeof(remove_cases) / sizeof(remove_cases[0]) +
		  sizeof(result_cases) / sizeof(result_cases[0]), tried[0]);
	EXPECT_LE(sizeof(nl_cases) / sizeof(nl_cases[0]) + 6, tried[1]);
}

TEST_HARNESS_MAIN
