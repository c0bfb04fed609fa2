/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lint.h - the "Code 43" pitfalls of the seed guide, and the libvirt
 * ones found since, as a table of rules over a libvirt domain.
 */
#ifndef GH_LINT_H
#define GH_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

enum gh_lint_status {
	GH_LINT_PASS,
	GH_LINT_FAIL,
	GH_LINT_NA,		/* the rule does not apply to this domain */
};

struct gh_lint_result {
	const char *id;		/* "GH006" */
	const char *name;	/* "dgpu-root-port" */
	enum gh_lint_status status;
	char element[256];	/* XPath of the offending element */
	char message[512];
	const char *fix;
};

struct gh_lint_rule {
	const char *id;
	const char *name;
	const char *summary;
	bool libvirt_dependent;	/* the verdict depends on the target libvirt */
};

extern const struct gh_lint_rule gh_lint_rules[];
extern const unsigned int gh_lint_nr_rules;

/*
 * Run every rule; @res gets one entry per rule, in table order.
 * The ACPI table files the domain loads are read under the root
 * (gh_root()); the host's PCI devices under the PCI root (gh_pci_root()).
 * @libvirt is the target version (vmplan.h's GH_LIBVIRT()). Several
 * <qemu:commandline> or <qemu:override> blocks in @doc are merged into
 * the first one (gh_xml_qemu_merge()), as libvirt reads them all.
 * Returns the number of failed rules.
 */
unsigned int gh_lint(xmlDocPtr doc, unsigned int libvirt,
		     struct gh_lint_result *res);

#endif /* GH_LINT_H */
