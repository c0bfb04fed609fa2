// SPDX-License-Identifier: GPL-2.0
/*
 * handoff_bench.c - a full stub -> vfio -> stub cycle of the dGPU and its
 * audio function through gpuhelper (one write to its state file each way,
 * with every safety check) against the manual sequence an admin would type
 * (driver_override + unbind + drivers_probe for both functions), in the
 * same boot, interleaved, after one warm-up cycle of each. Prints the
 * timings, "# handoff ratio: X.XX" (median gpuhelper cycle / median manual
 * cycle: the guest runs under TCG on a shared host, where a mean is at the
 * mercy of a few descheduled cycles) and one KTAP result: gpuhelper within
 * 1.2x of the manual sequence.
 *
 * Usage: handoff_bench [CYCLES]   (default 40, at most 1000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gh_handoff.h"

static const char *const fns[] = { GH_DGPU, GH_AUDIO };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int sysfs(const char *bdf, const char *file, const char *val)
{
	char path[160];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, file);
	return gh_write(path, val);
}

/* What an admin types: override, unbind, reprobe, for each function. */
static int manual_to(const char *drv)
{
	for (int i = 0; i < 2; i++) {
		if (sysfs(fns[i], "driver_override", drv) ||
		    sysfs(fns[i], "driver/unbind", fns[i]) ||
		    gh_write("/sys/bus/pci/drivers_probe", fns[i]))
			return -1;
	}
	return 0;
}

static int gh_to(const char *state)
{
	return gh_set_state(GH_DGPU, state);
}

static bool both_on(const char *drv)
{
	return !strcmp(gh_driver(GH_DGPU), drv) && !strcmp(gh_driver(GH_AUDIO), drv);
}

/* One timed cycle; its duration, or a negative value when it went wrong. */
static double cycle(bool manual)
{
	double t0 = now(), t;

	if (manual ? manual_to("vfio-pci") : gh_to("vfio"))
		return -1;
	t = now() - t0;
	if (!both_on("vfio-pci"))
		return -1;
	t0 = now();
	if (manual ? manual_to("gpuhelper") : gh_to("stub"))
		return -1;
	t += now() - t0;
	return both_on("gpuhelper") ? t : -1;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	static double ghs[1000], mans[1000];
	int n = argc > 1 ? atoi(argv[1]) : 40, i;
	double gh = 0, man = 0, t, ratio;

	printf("TAP version 13\n1..1\n");
	if (n < 1 || n > 1000 || !gh_back_to_stub() || cycle(false) < 0 || cycle(true) < 0) {
		printf("not ok 1 handoff_within_1_2x_of_manual # cannot cycle the dGPU\n");
		gh_back_to_stub();
		return 1;
	}
	for (i = 0; i < n; i++) {
		/* alternate which goes first */
		t = cycle(i & 1);
		if (t < 0)
			break;
		*(i & 1 ? &mans[i] : &ghs[i]) = t;
		t = cycle(!(i & 1));
		if (t < 0)
			break;
		*(i & 1 ? &ghs[i] : &mans[i]) = t;
		gh += ghs[i];
		man += mans[i];
	}
	if (i < n) {
		printf("not ok 1 handoff_within_1_2x_of_manual # cycle %d failed: %s/%s\n",
		       i, gh_driver(GH_DGPU), gh_driver(GH_AUDIO));
		gh_back_to_stub();
		return 1;
	}
	printf("# handoff: mean gpuhelper %.2f ms/cycle, manual %.2f ms/cycle, %d cycles each\n",
	       gh * 1e3 / n, man * 1e3 / n, n);
	gh = median(ghs, n);
	man = median(mans, n);
	ratio = gh / man;
	printf("# handoff: median gpuhelper %.2f ms/cycle, manual %.2f ms/cycle\n",
	       gh * 1e3, man * 1e3);
	printf("# handoff ratio: %.2f\n", ratio);
	printf("%s 1 handoff_within_1_2x_of_manual\n", ratio <= 1.2 ? "ok" : "not ok");
	return ratio <= 1.2 ? 0 : 1;
}
