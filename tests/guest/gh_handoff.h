/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gh_handoff.h - helpers for the hand-off tests (issue 3): the state and
 * blockers files, the kernel log since a mark, the IOMMU group number.
 */
#ifndef GH_HANDOFF_H
#define GH_HANDOFF_H

#include "gh_guest.h"

static inline const char *gh_state(const char *bdf)
{
	static char buf[2][32];
	static int i;

	i ^= 1;
	if (gh_readf(buf[i], sizeof(buf[i]), "/sys/class/gpuhelper/%s/state", bdf))
		snprintf(buf[i], sizeof(buf[i]), "(none)");
	return buf[i];
}

static inline int gh_set_state(const char *bdf, const char *state)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/gpuhelper/%s/state", bdf);
	return gh_write(path, state);
}

static inline const char *gh_blockers_of(const char *bdf)
{
	static char buf[4096];

	if (gh_readf(buf, sizeof(buf), "/sys/class/gpuhelper/%s/blockers", bdf))
		snprintf(buf, sizeof(buf), "(unreadable)");
	return buf;
}

static inline const char *gh_override(const char *bdf)
{
	static char buf[64];

	if (gh_readf(buf, sizeof(buf), "/sys/bus/pci/devices/%s/driver_override", bdf))
		snprintf(buf, sizeof(buf), "(unreadable)");
	return buf;
}

static inline int gh_group_of(const char *bdf)
{
	char path[128], link[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	return atoi(strrchr(link, '/') + 1);
}

/* A mark in the kernel log: an open /dev/kmsg at its end. */
static inline int gh_kmsg_mark(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Did a kernel log line since @fd's mark contain any of @needles (@n of
 * them)? Closes @fd.
 */
static inline bool gh_kmsg_since_any(int fd, const char * const *needles,
				     size_t n)
{
	char rec[1024];
	bool found = false;
	ssize_t len;

	if (fd < 0)
		return false;
	while ((len = read(fd, rec, sizeof(rec) - 1)) > 0 || (len < 0 && errno == EPIPE)) {
		if (len <= 0)
			continue;
		rec[len] = '\0';
		for (size_t i = 0; i < n; i++)
			if (strstr(rec, needles[i]))
				found = true;
	}
	close(fd);
	return found;
}

/* Did a kernel log line since @fd's mark contain @needle? Closes @fd. */
static inline bool gh_kmsg_since(int fd, const char *needle)
{
	return gh_kmsg_since_any(fd, &needle, 1);
}

/* Where the dGPU and its audio function are: state, driver, override. */
struct gh_snap {
	char state[2][32];
	char driver[2][64];
	char override[2][64];
};

static inline void gh_snap_take(struct gh_snap *s)
{
	const char *bdf[2] = { GH_DGPU, GH_AUDIO };

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < 2; i++) {
		snprintf(s->state[i], sizeof(s->state[i]), "%s", gh_state(bdf[i]));
		snprintf(s->driver[i], sizeof(s->driver[i]), "%s", gh_driver(bdf[i]));
		snprintf(s->override[i], sizeof(s->override[i]), "%s", gh_override(bdf[i]));
	}
}

static inline bool gh_snap_same(const struct gh_snap *a, const struct gh_snap *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* Back to the state every guest program starts and ends in. */
static inline bool gh_back_to_stub(void)
{
	gh_set_state(GH_DGPU, "stub");
	gh_set_state(GH_AUDIO, "stub");
	return !strcmp(gh_driver(GH_DGPU), "gpuhelper") &&
	       !strcmp(gh_driver(GH_AUDIO), "gpuhelper");
}

#endif /* GH_HANDOFF_H */
