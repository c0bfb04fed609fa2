// SPDX-License-Identifier: GPL-2.0
/*
 * faultinject.c - test builds only (GH_TEST_HOOKS=y): arm a failure point.
 *
 * /sys/kernel/debug/gpuhelper/ holds, for each point (alloc, acpi_rom):
 *   fail-<point>      write N: the Nth pass through the point from now
 *                     fails, once; 0 disarms. Reads the passes still to go.
 *   injected-<point>  failures injected so far (read-only).
 * Each injected failure is logged with the function it hit, so a test can
 * tell which allocation or _ROM call it failed.
 *
 * And a model of an NVIDIA GPU's HDA enable register (pm.c), as QEMU has
 * no NVIDIA GPU:
 *   nv-hda-armed      Y: pm.c treats every held dGPU-role function as an
 *                     NVIDIA GPU and reads and writes nv-hda-0x488
 *                     instead of its config dword 0x488.
 *   nv-hda-0x488      the modelled register; a test clears bit 25 as a
 *                     power-off leaves it.
 *
 *   nl-dump-per-part  N > 0: a DEV_GET dump sends at most N functions per
 *                     part (netlink.c), so that a test can change the
 *                     list between two parts of a dump of a few.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>

#include "faultinject.h"
#include "gpuhelper.h"

struct gh_fault_point {
	const char *name;
	atomic_t nth;
	atomic_t injected;
};

static struct gh_fault_point gh_faults[GH_NR_FAULTS] = {
	[GH_FAULT_ALLOC] = { .name = "alloc" },
	[GH_FAULT_ACPI_ROM] = { .name = "acpi_rom" },
};

static struct dentry *gh_inject_dir;
static bool gh_nv_hda_armed;
static u32 gh_nv_hda_reg;
static u32 gh_nl_dump_max;

/**
 * gh_test_nl_dump_max() - functions per part of a DEV_GET dump
 *
 * Return: the limit, 0 for none (what every other build has).
 */
unsigned int gh_test_nl_dump_max(void)
{
	return READ_ONCE(gh_nl_dump_max);
}

/**
 * gh_test_nv_hda_model() - the modelled HDA enable register, when armed
 * @pdev: a held function
 *
 * Return: the register standing for @pdev's config dword 0x488, or NULL
 * (not armed, or not a dGPU-role function): use the real one.
 */
u32 *gh_test_nv_hda_model(struct pci_dev *pdev)
{
	if (!READ_ONCE(gh_nv_hda_armed) ||
	    gh_role_of(pdev) != GPUHELPER_ROLE_DGPU)
		return NULL;
	return &gh_nv_hda_reg;
}

/**
 * gh_inject() - should this pass through a failure point fail?
 * @fault: the point
 *
 * Context: any; lock-free.
 * Return: true exactly once per arming, on the armed pass.
 */
bool gh_inject(enum gh_fault fault)
{
	struct gh_fault_point *p = &gh_faults[fault];

	/* counts down an armed point; 0 (disarmed) stays 0 */
	if (atomic_dec_if_positive(&p->nth) != 0)
		return false;
	atomic_inc(&p->injected);
	pr_info("inject: %s failure in %pS\n", p->name,
		__builtin_return_address(0));
	return true;
}

void gh_inject_init(void)
{
	char name[32];
	unsigned int i;

	/* debugfs failures are not fatal: the knobs are simply absent */
	gh_inject_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	for (i = 0; i < GH_NR_FAULTS; i++) {
		snprintf(name, sizeof(name), "fail-%s", gh_faults[i].name);
		debugfs_create_atomic_t(name, 0600, gh_inject_dir,
					&gh_faults[i].nth);
		snprintf(name, sizeof(name), "injected-%s", gh_faults[i].name);
		debugfs_create_atomic_t(name, 0400, gh_inject_dir,
					&gh_faults[i].injected);
	}
	debugfs_create_bool("nv-hda-armed", 0600, gh_inject_dir,
			    &gh_nv_hda_armed);
	debugfs_create_x32("nv-hda-0x488", 0600, gh_inject_dir,
			   &gh_nv_hda_reg);
	debugfs_create_u32("nl-dump-per-part", 0600, gh_inject_dir,
			   &gh_nl_dump_max);
	pr_notice("test build: failure points armable from debugfs; not for production\n");
}

void gh_inject_exit(void)
{
	debugfs_remove(gh_inject_dir);
}
