// SPDX-License-Identifier: GPL-2.0
/*
 * cputopo.c - count the host's cores and threads from
 * /sys/devices/system/cpu/cpuN/topology (Documentation/admin-guide/
 * cputopology.rst in the kernel): physical_package_id and core_id name a
 * core, every online CPU with the same pair is one of its threads.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/cputopo.h"
#include "lib/fileio.h"
#include "lib/root.h"

#define GH_CPUS_MAX 1024

static int read_uint(const char *fmt, unsigned int cpu, unsigned int *v)
{
	char rel[128], path[GH_PATH_MAX], buf[32];
	char *end;
	unsigned long n;

	snprintf(rel, sizeof(rel), fmt, cpu);
	if (gh_pci_path(path, sizeof(path), rel) || gh_read_text(path, buf, sizeof(buf)))
		return -ENOENT;
	n = strtoul(buf, &end, 10);
	if (end == buf)
		return -EINVAL;
	*v = (unsigned int)n;
	return 0;
}

/* cpuN exists and is online (cpu0 often has no "online" file) */
static bool cpu_online(unsigned int cpu)
{
	char rel[64], path[GH_PATH_MAX];
	unsigned int on;

	snprintf(rel, sizeof(rel), "/sys/devices/system/cpu/cpu%u/topology", cpu);
	if (gh_pci_path(path, sizeof(path), rel) || access(path, F_OK))
		return false;
	return read_uint("/sys/devices/system/cpu/cpu%u/online", cpu, &on) || on;
}

/**
 * gh_cpu_topology() - the host's cores and threads
 * @t: filled in
 *
 * Read from the PCI root's sysfs: the machine's own, --root's, or a
 * profile's snapshot (another machine's topology, like its PCI devices).
 *
 * Return: 0, or -ENOENT when no CPU's topology can be read.
 */
int gh_cpu_topology(struct gh_cpu_topo *t)
{
	static unsigned int pkg[GH_CPUS_MAX], core[GH_CPUS_MAX], nthr[GH_CPUS_MAX];
	unsigned int cpu, i, p, c;

	memset(t, 0, sizeof(*t));
	for (cpu = 0; cpu < GH_CPUS_MAX; cpu++) {
		if (!cpu_online(cpu))
			continue;
		if (read_uint("/sys/devices/system/cpu/cpu%u/topology/physical_package_id", cpu, &p) ||
		    read_uint("/sys/devices/system/cpu/cpu%u/topology/core_id", cpu, &c))
			continue;
		t->cpus++;
		for (i = 0; i < t->cores; i++)
			if (pkg[i] == p && core[i] == c)
				break;
		if (i == t->cores) {
			pkg[i] = p;
			core[i] = c;
			nthr[i] = 0;
			t->cores++;
		}
		nthr[i]++;
	}
	if (!t->cores)
		return -ENOENT;
	t->threads = nthr[0];
	for (i = 1; i < t->cores; i++)
		if (nthr[i] != t->threads)
			t->threads = 1;	/* hybrid (P- and E-cores): no SMT shape */
	return 0;
}
