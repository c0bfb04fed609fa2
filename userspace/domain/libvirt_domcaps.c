// SPDX-License-Identifier: GPL-2.0
/*
 * libvirt_domcaps.c - read libvirt's domain capabilities document
 * (virConnectGetDomainCapabilities(), `virsh domcapabilities`): the
 * element names are those of libvirt's docs/formatdomaincaps.rst.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "domain/domain.h"
#include "domain/libvirt_host.h"

#define X(s) ((const xmlChar *)(s))

/* The <enum name=@name> of @parent holds <value>@value</value>. */
static bool enum_has(xmlNodePtr parent, const char *name, const char *value)
{
	xmlNodePtr e, v;
	bool found = false;

	for (e = gh_xml_child(parent, "enum"); e && !found; e = gh_xml_next(e, "enum")) {
		if (!gh_xml_attr_is(e, "name", name))
			continue;
		for (v = gh_xml_child(e, "value"); v && !found; v = gh_xml_next(v, "value")) {
			xmlChar *c = xmlNodeGetContent(v);

			found = c && !xmlStrcmp(c, X(value));
			xmlFree(c);
		}
	}
	return found;
}

static void text(xmlNodePtr n, char *buf, size_t len)
{
	xmlChar *c = n ? xmlNodeGetContent(n) : NULL;

	snprintf(buf, len, "%s", c ? (const char *)c : "");
	xmlFree(c);
}

/**
 * gh_libvirt_domcaps_parse() - fill the domain-capability fields of @h
 * @xml: the document
 * @len: its length
 * @h: receives machine, firmware and hostdev support; versions untouched
 *
 * Return: 0, or -EINVAL when @xml is not a <domainCapabilities> document.
 */
int gh_libvirt_domcaps_parse(const char *xml, size_t len, struct gh_libvirt_host *h)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, "domcaps.xml", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOBLANKS |
				      XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL, os, loader, v, hd;

	if (!root || xmlStrcmp(root->name, X("domainCapabilities"))) {
		xmlFreeDoc(doc);
		return -EINVAL;
	}
	text(gh_xml_child(root, "machine"), h->machine, sizeof(h->machine));
	os = gh_xml_child(root, "os");
	h->efi = gh_xml_attr_is(os, "supported", "yes") && enum_has(os, "firmware", "efi");
	loader = gh_xml_child(os, "loader");
	h->nr_loaders = 0;
	h->secure_boot = h->insecure = false;
	if (gh_xml_attr_is(loader, "supported", "yes")) {
		for (v = gh_xml_child(loader, "value"); v; v = gh_xml_next(v, "value")) {
			if (h->nr_loaders == GH_LIBVIRT_LOADERS_MAX)
				break;
			text(v, h->loaders[h->nr_loaders], sizeof(h->loaders[0]));
			if (gh_ovmf_secboot(h->loaders[h->nr_loaders]))
				h->secure_boot = true;
			else
				h->insecure = true;
			h->nr_loaders++;
		}
		/* the secure enum says what libvirt can select, whatever the names */
		if (enum_has(loader, "secure", "yes"))
			h->secure_boot = true;
	}
	hd = gh_xml_child(gh_xml_child(root, "devices"), "hostdev");
	h->hostdev_pci = gh_xml_attr_is(hd, "supported", "yes") &&
			 enum_has(hd, "subsysType", "pci");
	h->have_domcaps = true;
	xmlFreeDoc(doc);
	return 0;
}
