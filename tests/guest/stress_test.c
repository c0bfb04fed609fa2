// SPDX-License-Identifier: GPL-2.0
/*
 * stress_test.c - concurrent hand-offs with readers (issue 8).
 *
 *   stress_test [CYCLES]     (default 500, as tests/guest/order sets)
 *
 * The kernel command line's gh_stress_cycles=N wins (make stress: 5000).
 *
 * Two processes hand the dGPU off CYCLES times each, concurrently: one
 * through sysfs (stub -> vfio -> stub, with its audio function), one over
 * netlink (stub -> host -> stub, the dGPU alone), while others read vbios and blockers in a loop, dump the
 * netlink family in a loop, and declare and remove mdevs on the fake
 * GVT-g parent. Every hand-off must succeed (the other process may have
 * moved the dGPU meanwhile: any state is a valid start). The guest's
 * hung-task detector (10 s, tests/vm/run) catches a deadlock. At the end
 * sysfs, netlink, the bound drivers and driver_override agree for both
 * functions, and the kmalloc slabs hold no more objects than before (a
 * leak of one object per hand-off would show). Prints the figures:
 * "# concurrent hand-off cycles: N".
 */
#include <ctype.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "gh_handoff.h"
#include "gh_nl.h"

#define IGPU_CLS	"/sys/class/gpuhelper/" GH_IGPU

static unsigned int cycles = 500;

struct shared {
	volatile int stop;
	unsigned int done[2];		/* cycles completed by each mover */
	int err[2];			/* first error of each mover */
	unsigned long reads, dumps, mdev_ops, mdev_refused;
	int reader_err;
};

#define NR_CACHES 64

struct slab_snap {
	char name[NR_CACHES][64];
	long active[NR_CACHES];
	int nr;
};

/*
 * Active objects of every kmalloc-* cache; per cache into @snap. SLUB
 * counts every object of a CPU's own slabs as active, free or not, so the
 * caches are shrunk first (their CPU slabs flushed); without it the total
 * moved by hundreds between two reads of an idle guest.
 */
static long kmalloc_objects_snap(struct slab_snap *snap)
{
	FILE *f;
	char line[512], name[64];
	long active, total = 0;

	gh_system("for c in /sys/kernel/slab/kmalloc-*/shrink; do echo 1 > $c; done 2>/dev/null");
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return -1;
	snap->nr = 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", name, &active) == 2 &&
		    !strncmp(name, "kmalloc-", 8)) {
			total += active;
			if (snap->nr < NR_CACHES) {
				snprintf(snap->name[snap->nr], sizeof(snap->name[0]), "%s", name);
				snap->active[snap->nr++] = active;
			}
		}
	fclose(f);
	return total;
}

/* Name the caches that grew or shrank by more than 16 objects. */
static void slab_diff(const struct slab_snap *a, const struct slab_snap *b)
{
	for (int i = 0; i < b->nr; i++)
		for (int j = 0; j < a->nr; j++)
			if (!strcmp(a->name[j], b->name[i]) &&
			    labs(b->active[i] - a->active[j]) > 16)
				ksft_print_msg("  %s: %+ld\n", b->name[i],
					       b->active[i] - a->active[j]);
}

static long meminfo(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = atol(line + strlen(key) + 1);
	fclose(f);
	return v;
}

static void mover_sysfs(struct shared *sh)
{
	for (unsigned int i = 0; i < cycles; i++) {
		int ret = gh_set_state(GH_DGPU, "vfio");

		if (!ret)
			ret = gh_set_state(GH_DGPU, "stub");
		if (ret) {
			sh->err[0] = ret;
			return;
		}
		sh->done[0]++;
	}
}

static void mover_netlink(struct shared *sh)
{
	struct gh_nl nl;
	int ret = gh_nl_open(&nl);

	for (unsigned int i = 0; !ret && i < cycles; i++) {
		/*
		 * The dGPU alone (with_audio 0): snd_hda_intel keeps ~4 kmalloc
		 * objects per bind/unbind of the audio function (measured:
		 * +609 kmalloc-192, +420 kmalloc-96 over 300 cycles on 6.12, none
		 * with the dGPU alone), which would hide gpuhelper's own figure.
		 * The sysfs mover still moves the audio function, to vfio-pci.
		 */
		ret = gh_nl_set_state(&nl, GH_DGPU, GPUHELPER_STATE_HOST, 0);
		if (!ret)
			ret = gh_nl_set_state(&nl, GH_DGPU, GPUHELPER_STATE_STUB, 0);
		if (!ret)
			sh->done[1]++;
	}
	if (ret)
		sh->err[1] = ret;
	gh_nl_close(&nl);
}

static void reader_sysfs(struct shared *sh)
{
	static char buf[1 << 16];

	while (!sh->stop) {
		int fd = open("/sys/class/gpuhelper/" GH_DGPU "/vbios", O_RDONLY);
		ssize_t n;

		if (fd >= 0) {
			while ((n = read(fd, buf, sizeof(buf))) > 0)
				;
			if (n < 0 && errno != ENODATA && !sh->reader_err)
				sh->reader_err = -errno;
			close(fd);
		}
		gh_blockers_of(GH_DGPU);
		gh_state(GH_AUDIO);
		__atomic_add_fetch(&sh->reads, 1, __ATOMIC_RELAXED);
	}
}

static void reader_netlink(struct shared *sh)
{
	static char out[8][8192];
	struct gh_nl nl;
	struct gh_nl_req r;

	if (gh_nl_open(&nl)) {
		sh->reader_err = -1000;
		return;
	}
	while (!sh->stop) {
		gh_nl_req_init(&nl, &r, nl.family, GPUHELPER_CMD_DEV_GET, NLM_F_DUMP);
		if (gh_nl_xfer(&nl, &r, out, 8) < 2 && !sh->reader_err)
			sh->reader_err = -1001;
		__atomic_add_fetch(&sh->dumps, 1, __ATOMIC_RELAXED);
	}
	gh_nl_close(&nl);
}

static void mdev_churn(struct shared *sh)
{
	static const char *u = "af5972fb-5530-41a7-0000-fd8362044470";
	char req[96];

	char created[128], removed[96];

	/* declare, report it created, remove, report it removed: what
	 * udev + "gpuhelper mdev apply" would do, minus the mdev core */
	snprintf(req, sizeof(req), "i915-GVTg_V5_8 %s", u);
	snprintf(created, sizeof(created), "create %s 0 i915-GVTg_V5_8", u);
	snprintf(removed, sizeof(removed), "remove %s 0", u);
	while (!sh->stop) {
		if (!gh_write(IGPU_CLS "/create", req) &&
		    !gh_write(IGPU_CLS "/mdev_result", created) &&
		    !gh_write(IGPU_CLS "/remove", u) &&
		    !gh_write(IGPU_CLS "/mdev_result", removed))
			__atomic_add_fetch(&sh->mdev_ops, 2, __ATOMIC_RELAXED);
		else
			/*
			 * An executor left running by an earlier program
			 * (uevent helper) races these results: counted, not
			 * judged; the churn is here to load the locks.
			 */
			__atomic_add_fetch(&sh->mdev_refused, 1, __ATOMIC_RELAXED);
	}
}

static pid_t spawn(void (*fn)(struct shared *), struct shared *sh)
{
	pid_t pid = fork();

	if (!pid) {
		fn(sh);
		_exit(0);
	}
	return pid;
}

/* sysfs, netlink, the driver and the override tell the same story. */
static void assert_consistent(struct __test_metadata *_metadata)
{
	static const struct { const char *bdf, *want_state, *driver; } f[] = {
		{ GH_DGPU, "stub", "gpuhelper" }, { GH_AUDIO, "stub", "gpuhelper" },
	};
	struct gh_nl_msg m;
	struct gh_nl nl;

	ASSERT_EQ(0, gh_nl_open(&nl));
	for (int i = 0; i < 2; i++) {
		EXPECT_STREQ(f[i].want_state, gh_state(f[i].bdf));
		EXPECT_STREQ(f[i].driver, gh_driver(f[i].bdf));
		EXPECT_STREQ("gpuhelper", gh_override(f[i].bdf));
		ASSERT_EQ(0, gh_nl_get(&nl, f[i].bdf, &m));
		EXPECT_EQ(GPUHELPER_STATE_STUB, gh_nla_u32(m.tb[GPUHELPER_A_DEV_STATE]));
		EXPECT_STREQ(f[i].driver, gh_nla_str(m.tb[GPUHELPER_A_DEV_DRIVER]));
	}
	gh_nl_close(&nl);
}

/*
 * The harness's 30 s default is too short for 500 cycles per mover on a
 * slow machine (17 to 21 s here) and for make stress; the guest's hung-task
 * detector (10 s) and the rig's timeout catch a real hang.
 */
FIXTURE(stress) {
};

FIXTURE_SETUP(stress) {
}

FIXTURE_TEARDOWN(stress) {
}

TEST_F_TIMEOUT(stress, concurrent_handoffs_with_readers_and_mdevs, 1800)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t movers[2], others[4];
	long obj0, obj1, unrecl0, unrecl1;
	static struct slab_snap snap0, snap1;
	int nothers = 0, status;
	struct timespec t0, t1;
	double secs;

	ASSERT_NE(MAP_FAILED, sh);
	ASSERT_TRUE(gh_back_to_stub());
	/* the mdev churn is part of the test: no GVT-g parent, no pass */
	ASSERT_EQ(0, gh_system("modprobe gh_fake_gvt"));
	ASSERT_TRUE(gh_exists("%s", IGPU_CLS "/create"));

	/* warm up: caches, vfio-pci and snd_hda_intel loaded, vbios shadowed */
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, gh_set_state(GH_DGPU, "vfio"));
		ASSERT_EQ(0, gh_set_state(GH_DGPU, "host"));
		ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
	}
	gh_system("cat /sys/class/gpuhelper/%s/vbios >/dev/null 2>&1", GH_DGPU);
	gh_system("echo 3 > /proc/sys/vm/drop_caches");
	obj0 = kmalloc_objects_snap(&snap0);
	unrecl0 = meminfo("SUnreclaim:");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	others[nothers++] = spawn(reader_sysfs, sh);
	others[nothers++] = spawn(reader_netlink, sh);
	others[nothers++] = spawn(mdev_churn, sh);
	movers[0] = spawn(mover_sysfs, sh);
	movers[1] = spawn(mover_netlink, sh);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(movers[i], waitpid(movers[i], &status, 0));
	sh->stop = 1;
	for (int i = 0; i < nothers; i++)
		ASSERT_EQ(others[i], waitpid(others[i], &status, 0));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	EXPECT_EQ(0, sh->err[0]) TH_LOG("sysfs mover stopped at cycle %u", sh->done[0]);
	EXPECT_EQ(0, sh->err[1]) TH_LOG("netlink mover stopped at cycle %u", sh->done[1]);
	EXPECT_EQ(0, sh->reader_err);
	EXPECT_EQ(cycles, sh->done[0]);
	EXPECT_EQ(cycles, sh->done[1]);

	/* whatever the last mover left, one hand-off brings both back */
	ASSERT_TRUE(gh_back_to_stub());
	assert_consistent(_metadata);
	EXPECT_GT(sh->mdev_ops, 0);
	gh_write(IGPU_CLS "/remove", "af5972fb-5530-41a7-0000-fd8362044470");
	gh_write(IGPU_CLS "/mdev_result", "remove af5972fb-5530-41a7-0000-fd8362044470 0");
	gh_unload("gh_fake_gvt");

	/* let RCU-deferred frees (kfree_rcu, skbs) run before counting */
	gh_msleep(2000);
	gh_system("echo 3 > /proc/sys/vm/drop_caches");
	obj1 = kmalloc_objects_snap(&snap1);
	unrecl1 = meminfo("SUnreclaim:");
	ksft_print_msg("concurrent hand-off cycles: %u (sysfs %u + netlink %u, %.1f s, %.1f ms/cycle)\n",
		       sh->done[0] + sh->done[1], sh->done[0], sh->done[1], secs,
		       1000 * secs / (sh->done[0] + sh->done[1] + !(sh->done[0] + sh->done[1])));
	ksft_print_msg("concurrent readers: %lu vbios+blockers reads, %lu netlink dumps, %lu mdev create/remove (%lu refused)\n",
		       sh->reads, sh->dumps, sh->mdev_ops, sh->mdev_refused);
	ksft_print_msg("kmalloc objects before/after: %ld/%ld (%+ld); SUnreclaim %ld/%ld kB\n",
		       obj0, obj1, obj1 - obj0, unrecl0, unrecl1);
	slab_diff(&snap0, &snap1);
	/*
	 * What a correct run varies by: the total moved by +209 and -208 in
	 * two runs in one boot on 6.12 (500 cycles per mover, all
	 * kmalloc-8), by -109 and -173 on the two kernels in another run:
	 * noise of about 210 objects whatever the cycle count. The bound is
	 * that noise with room, 384, so one object leaked per cycle of one
	 * mover (500 at make check's 500 cycles) or more is caught.
	 */
	EXPECT_LT(obj1 - obj0, 384L);
}

int main(int argc, char **argv)
{
	char cmdline[1024], *p;

	if (argc > 1 && isdigit((unsigned char)argv[1][0])) {
		cycles = strtoul(argv[1], NULL, 10);
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	/* the long run: GH_VM_APPEND=gh_stress_cycles=5000 tests/vm/run */
	if (!gh_read("/proc/cmdline", cmdline, sizeof(cmdline)) &&
	    (p = strstr(cmdline, "gh_stress_cycles=")))
		cycles = strtoul(p + strlen("gh_stress_cycles="), NULL, 10);
	ksft_print_msg("hand-off cycles per mover: %u\n", cycles);
	return test_harness_run(argc, argv);
}
