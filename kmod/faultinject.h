/* SPDX-License-Identifier: GPL-2.0 */
/*
 * faultinject.h - failure points for the test rig, in the style of
 * i915's probe-failure injection: each point asks gh_inject() whether to
 * fail here, and in every build but the rig's the answer is a constant
 * false that compiles the point away.
 *
 * Debian's kernels have no FAULT_INJECTION or FAILSLAB, so the rig builds
 * the module with GH_TEST_HOOKS=y (make module GH_TEST_HOOKS=y), which
 * adds faultinject.c and its debugfs knobs. The DKMS build never does.
 * See Documentation/hardening.rst.
 */
#ifndef GH_KMOD_FAULTINJECT_H
#define GH_KMOD_FAULTINJECT_H

#include <linux/types.h>

struct pci_dev;

enum gh_fault {
	GH_FAULT_ALLOC,		/* an allocation of the module's own */
	GH_FAULT_ACPI_ROM,	/* one evaluation of the dGPU's _ROM method */
	GH_NR_FAULTS,
};

#ifdef GH_TEST_HOOKS
bool gh_inject(enum gh_fault fault);
void gh_inject_init(void);
void gh_inject_exit(void);
u32 *gh_test_nv_hda_model(struct pci_dev *pdev);
unsigned int gh_test_nl_dump_max(void);
#else
static inline bool gh_inject(enum gh_fault fault)
{
	return false;
}

static inline void gh_inject_init(void)
{
}

static inline void gh_inject_exit(void)
{
}

static inline u32 *gh_test_nv_hda_model(struct pci_dev *pdev)
{
	return NULL;
}

static inline unsigned int gh_test_nl_dump_max(void)
{
	return 0;
}
#endif

#endif /* GH_KMOD_FAULTINJECT_H */
