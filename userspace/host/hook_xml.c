// SPDX-License-Identifier: GPL-2.0
/*
 * hook_xml.c - what a libvirt domain asks gpuhelper's hook to move: the
 * host PCI functions it passes through as
 *
 *   <hostdev mode='subsystem' type='pci' managed='no'>
 *     <source><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
 *
 * libvirt moves managed='yes' functions itself; USB, SCSI, mdev and
 * capabilities hostdevs are no PCI functions of the host. An address with
 * a part missing or out of range is refused, never read as 0: the hook
 * moves exactly the function the domain names, or none.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/domain.h"
#include "host/hook.h"

#define X(s) ((const xmlChar *)(s))

static const struct {
	const char *name;
	unsigned long max;
} addr_parts[] = {
	{ "domain", 0xffff },
	{ "bus", 0xff },
	{ "slot", 0x1f },
	{ "function", 7 },
};

/* "<hostdev> 2 (alias 'ua-gpuhelper-dgpu')", for messages */
static void describe(xmlNodePtr h, int idx, char *buf, size_t len)
{
	xmlNodePtr a = gh_xml_child(h, "alias");
	xmlChar *alias = a ? xmlGetProp(a, X("name")) : NULL;

	if (alias)
		snprintf(buf, len, "<hostdev> %d (alias '%.64s')", idx, (const char *)alias);
	else
		snprintf(buf, len, "<hostdev> %d", idx);
	xmlFree(alias);
}

/* One part of the address, libvirt's way (base 0): -ENOENT, -EINVAL or 0. */
static int addr_part(xmlNodePtr a, const char *name, unsigned long max,
		     unsigned long *v, char *text, size_t len)
{
	xmlChar *s = xmlGetProp(a, X(name));
	char *end;
	int err = 0;

	if (!s)
		return -ENOENT;
	snprintf(text, len, "%s", (const char *)s);
	errno = 0;
	*v = strtoul(text, &end, 0);
	if (!isdigit((unsigned char)text[0]) || *end || errno || *v > max)
		err = -EINVAL;
	xmlFree(s);
	return err;
}

static int hostdev_bdf(xmlNodePtr h, int idx, char *bdf, char *why, size_t whylen)
{
	xmlNodePtr a = gh_xml_child(gh_xml_child(h, "source"), "address");
	unsigned long v[4];
	char what[128], text[32];
	xmlChar *type;
	int i, err;

	describe(h, idx, what, sizeof(what));
	if (!a) {
		snprintf(why, whylen, "%s has no <source><address>: give the host function's "
			 "domain, bus, slot and function (virsh edit)", what);
		return -EINVAL;
	}
	type = xmlGetProp(a, X("type"));
	err = type && xmlStrcmp(type, X("pci")) ? -EINVAL : 0;
	xmlFree(type);
	if (err) {
		snprintf(why, whylen, "%s: <source><address> is not a PCI address (type=): "
			 "fix the hostdev (virsh edit)", what);
		return err;
	}
	for (i = 0; i < 4; i++) {
		err = addr_part(a, addr_parts[i].name, addr_parts[i].max, &v[i],
				text, sizeof(text));
		if (err == -ENOENT) {
			snprintf(why, whylen, "%s: <source><address> has no %s=: the hook "
				 "does not guess a PCI address; give domain, bus, slot and "
				 "function (virsh edit)", what, addr_parts[i].name);
			return -EINVAL;
		}
		if (err) {
			snprintf(why, whylen, "%s: <source><address %s='%s'> is not a PCI %s "
				 "(0 to 0x%lx): fix it (virsh edit)", what, addr_parts[i].name,
				 text, addr_parts[i].name, addr_parts[i].max);
			return err;
		}
	}
	snprintf(bdf, GH_BDF_LEN, "%04lx:%02lx:%02lx.%lx", v[0], v[1], v[2], v[3]);
	return 0;
}

static bool is_unmanaged_pci(xmlNodePtr h)
{
	return gh_xml_attr_is(h, "mode", "subsystem") && gh_xml_attr_is(h, "type", "pci") &&
	       gh_xml_attr_is(h, "managed", "no");
}

/**
 * gh_hook_pci_hostdevs() - the host PCI functions a domain leaves to gpuhelper
 * @doc: the domain
 * @bdf: receives their addresses, as the kernel names them (0000:01:00.0)
 * @max: room in @bdf
 * @why: receives the hostdev at fault and the fix
 * @whylen: the size of @why
 *
 * Only <hostdev mode='subsystem' type='pci' managed='no'>, in the order of
 * the domain; every other hostdev is passed over.
 *
 * Return: their count, or -EINVAL (-E2BIG: more than @max) with @why.
 */
int gh_hook_pci_hostdevs(xmlDocPtr doc, char (*bdf)[GH_BDF_LEN], int max,
			 char *why, size_t whylen)
{
	xmlNodePtr devs = gh_xml_child(xmlDocGetRootElement(doc), "devices"), h;
	int idx = 0, n = 0, err;

	for (h = gh_xml_child(devs, "hostdev"); h; h = gh_xml_next(h, "hostdev")) {
		idx++;
		if (!is_unmanaged_pci(h))
			continue;
		if (n == max) {
			snprintf(why, whylen, "more than %d PCI hostdevs", max);
			return -E2BIG;
		}
		err = hostdev_bdf(h, idx, bdf[n], why, whylen);
		if (err)
			return err;
		n++;
	}
	return n;
}

/**
 * gh_hook_select() - the dGPUs the hook takes for a domain
 * @pol: what its record and allow file let the hook take
 * @bdf: the functions the domain passes through (gh_hook_pci_hostdevs())
 * @n: how many
 * @t: receives each dGPU that both @pol and @bdf name (its address only);
 *	room for GH_HOOK_DGPUS
 *
 * Return: how many.
 */
int gh_hook_select(const struct gh_hook_policy *pol,
		   char (*bdf)[GH_BDF_LEN], int n, struct gh_hook_take *t)
{
	unsigned int i;
	int j, k = 0;

	for (i = 0; i < pol->ndgpu; i++) {
		for (j = 0; j < n; j++) {
			if (strcmp(pol->dgpu[i], bdf[j]))
				continue;
			memset(&t[k], 0, sizeof(t[k]));
			memcpy(t[k++].dgpu.bdf, bdf[j], GH_BDF_LEN);
			break;
		}
	}
	return k;
}
