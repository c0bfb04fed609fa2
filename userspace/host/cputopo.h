/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cputopo.h - the host's CPU topology from sysfs (under --root, or a
 * profile's snapshot): how many cores, how many threads each.
 */
#ifndef GH_CPUTOPO_H
#define GH_CPUTOPO_H

struct gh_cpu_topo {
	unsigned int cpus;		/* online logical CPUs */
	unsigned int cores;		/* distinct (package, core) pairs */
	unsigned int threads;		/* per core; 1 when not the same on every core */
};

int gh_cpu_topology(struct gh_cpu_topo *t);

#endif /* GH_CPUTOPO_H */
