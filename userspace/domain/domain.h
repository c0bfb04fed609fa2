/* SPDX-License-Identifier: GPL-2.0 */
/*
 * domain.h - the libvirt domain of the seed guide's appendix, built from a
 * plan (vmplan.h): from scratch, or patched into a `virsh dumpxml` domain
 * keeping the user's disks, NICs and names.
 */
#ifndef GH_DOMAIN_H
#define GH_DOMAIN_H

#include <stddef.h>

#include <libxml/tree.h>

#include "domain/vmplan.h"

#define GH_QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"

/* A minimal Windows guest to patch: disk, NIC, tablet, SPICE, QXL. */
xmlDocPtr gh_domain_base(const struct gh_vm_plan *p);
/* Parse a domain file; NULL with @why filled when it is not a domain. */
xmlDocPtr gh_domain_read(const char *path, char *why, size_t whylen);
/* The same from memory (@name names it in @why): what --from reads. */
xmlDocPtr gh_domain_parse(const char *buf, size_t len, const char *name,
			  char *why, size_t whylen);
/* Make @doc the plan's domain. Return 0 or -errno. */
int gh_domain_apply(xmlDocPtr doc, const struct gh_vm_plan *p);
/* Serialize, indented; caller frees *out with xmlFree. */
int gh_domain_format(xmlDocPtr doc, char **out, size_t *len);

/* Helpers shared with lint.c. */
xmlNodePtr gh_xml_child(xmlNodePtr parent, const char *name);
xmlNodePtr gh_xml_next(xmlNodePtr after, const char *name);
xmlNodePtr gh_xml_qemu_child(xmlNodePtr parent, const char *name);
xmlNodePtr gh_xml_qemu_merge(xmlNodePtr root, const char *name);
int gh_xml_pci_addr(xmlNodePtr addr, unsigned int *domain, unsigned int *bus,
		    unsigned int *slot, unsigned int *func);
long gh_xml_ulong(xmlNodePtr n, const char *attr, long dflt);
int gh_xml_attr_is(xmlNodePtr n, const char *attr, const char *value);

#endif /* GH_DOMAIN_H */
