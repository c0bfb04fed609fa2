// SPDX-License-Identifier: GPL-2.0
/*
 * domain.c - build or patch the libvirt domain, one step of the guide per
 * function: firmware, hiding the hypervisor, the display, the PCI
 * topology, the passed devices, their QEMU properties, the SSDTs.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "domain/domain.h"
#include "lib/fileio.h"

/*
 * The largest domain read: virsh's own limit for an XML file (10 MiB),
 * hundreds of times a real domain.
 */
#define GH_DOMAIN_MAX	(10U << 20)

#define X(s) ((const xmlChar *)(s))

/* ---- small libxml2 helpers ---- */

static bool is_el(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, X(name)) &&
	       (!n->ns || xmlStrcmp(n->ns->href, X(GH_QEMU_NS)));
}

static bool is_qemu_el(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, X(name)) &&
	       n->ns && !xmlStrcmp(n->ns->href, X(GH_QEMU_NS));
}

xmlNodePtr gh_xml_next(xmlNodePtr after, const char *name)
{
	xmlNodePtr n;

	for (n = after ? after->next : NULL; n; n = n->next)
		if (is_el(n, name))
			return n;
	return NULL;
}

xmlNodePtr gh_xml_child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr first = parent ? parent->children : NULL;

	return is_el(first, name) ? first : gh_xml_next(first, name);
}

xmlNodePtr gh_xml_qemu_child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;

	for (n = parent ? parent->children : NULL; n; n = n->next)
		if (is_qemu_el(n, name))
			return n;
	return NULL;
}

int gh_xml_attr_is(xmlNodePtr n, const char *attr, const char *value)
{
	xmlChar *v = n ? xmlGetProp(n, X(attr)) : NULL;
	int same = v && !xmlStrcmp(v, X(value));

	xmlFree(v);
	return same;
}

long gh_xml_ulong(xmlNodePtr n, const char *attr, long dflt)
{
	xmlChar *v = n ? xmlGetProp(n, X(attr)) : NULL;
	long r = dflt;
	char *end;

	if (v) {
		r = strtol((const char *)v, &end, 0);
		if (*end || end == (char *)v)
			r = dflt;
	}
	xmlFree(v);
	return r;
}

int gh_xml_pci_addr(xmlNodePtr addr, unsigned int *domain, unsigned int *bus,
		    unsigned int *slot, unsigned int *func)
{
	if (!addr)
		return -ENOENT;
	*domain = (unsigned int)gh_xml_ulong(addr, "domain", 0);
	*bus = (unsigned int)gh_xml_ulong(addr, "bus", 0);
	*slot = (unsigned int)gh_xml_ulong(addr, "slot", 0);
	*func = (unsigned int)gh_xml_ulong(addr, "function", 0);
	return 0;
}

static xmlNodePtr ensure(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n = gh_xml_child(parent, name);

	return n ? n : xmlNewChild(parent, NULL, X(name), NULL);
}

static void set(xmlNodePtr n, const char *attr, const char *value)
{
	xmlSetProp(n, X(attr), X(value));
}

static void setf(xmlNodePtr n, const char *attr, const char *fmt, unsigned int v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), fmt, v);
	set(n, attr, buf);
}

static void unlink_free(xmlNodePtr n)
{
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

static void remove_all(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n, next;

	for (n = parent->children; n; n = next) {
		next = n->next;
		if (is_el(n, name))
			unlink_free(n);
	}
}

static xmlNodePtr pci_address(xmlNodePtr parent, unsigned int bus, unsigned int slot,
			      unsigned int func, bool multifunction)
{
	xmlNodePtr a = xmlNewChild(parent, NULL, X("address"), NULL);

	set(a, "type", "pci");
	set(a, "domain", "0x0000");
	setf(a, "bus", "0x%02x", bus);
	setf(a, "slot", "0x%02x", slot);
	setf(a, "function", "0x%x", func);
	if (multifunction)
		set(a, "multifunction", "on");
	return a;
}

/* ---- the base domain ---- */

static const char base_xml[] =
	"<domain type='kvm'>"
	"<name/>"
	"<memory unit='MiB'/>"
	"<vcpu placement='static'/>"
	"<os><type arch='x86_64' machine='q35'>hvm</type></os>"
	"<features/>"
	"<cpu mode='host-passthrough' check='none'/>"
	"<clock offset='localtime'>"
	"<timer name='rtc' tickpolicy='catchup'/>"
	"<timer name='pit' tickpolicy='delay'/>"
	"<timer name='hpet' present='no'/>"
	"<timer name='hypervclock' present='yes'/>"
	"</clock>"
	"<on_poweroff>destroy</on_poweroff>"
	"<on_reboot>restart</on_reboot>"
	"<on_crash>destroy</on_crash>"
	"<pm><suspend-to-mem enabled='no'/><suspend-to-disk enabled='no'/></pm>"
	"<devices>"
	"<disk type='file' device='disk'>"
	"<driver name='qemu' type='qcow2'/><source/><target dev='sda' bus='sata'/>"
	"<boot order='1'/></disk>"
	"<controller type='usb' model='qemu-xhci'/>"
	"<interface type='network'><source network='default'/><model type='e1000e'/></interface>"
	"<input type='tablet' bus='usb'/>"
	"<graphics type='spice'><listen type='none'/></graphics>"
	"<video><model type='qxl'/></video>"
	"<sound model='ich9'/>"
	"</devices>"
	"</domain>";

xmlDocPtr gh_domain_base(const struct gh_vm_plan *p)
{
	xmlDocPtr doc = xmlReadMemory(base_xml, sizeof(base_xml) - 1, "base.xml",
				      NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	xmlNodePtr root, n;
	char buf[512];

	if (!doc)
		return NULL;
	root = xmlDocGetRootElement(doc);
	xmlNodeSetContent(gh_xml_child(root, "name"), X(p->name));
	snprintf(buf, sizeof(buf), "%u", p->memory_mib);
	xmlNodeSetContent(gh_xml_child(root, "memory"), X(buf));
	snprintf(buf, sizeof(buf), "%u", p->vcpus);
	xmlNodeSetContent(gh_xml_child(root, "vcpu"), X(buf));
	n = gh_xml_child(gh_xml_child(gh_xml_child(root, "devices"), "disk"), "source");
	set(n, "file", gh_plan_disk(p, buf, sizeof(buf)));
	n = gh_xml_child(root, "cpu");
	n = xmlNewChild(n, NULL, X("topology"), NULL);
	setf(n, "sockets", "%u", p->sockets);
	setf(n, "cores", "%u", p->cores);
	setf(n, "threads", "%u", p->threads);
	n = gh_xml_child(root, "devices");
	if (p->kernel[0] && !p->disk[0])	/* a kernel to boot instead of the disk image */
		remove_all(n, "disk");
	if (p->headless) {
		remove_all(n, "interface");
		remove_all(n, "input");
		remove_all(n, "graphics");
		remove_all(n, "sound");
		remove_all(n, "controller");
		set(gh_xml_child(gh_xml_child(n, "video"), "model"), "type", "none");
	}
	return doc;
}

/*
 * From memory only: libxml2 decompresses the gzip and xz files it opens
 * itself, a few KiB into gigabytes, but never memory. No network, no
 * entity substitution, no external DTD.
 */
#define GH_DOMAIN_PARSE_FLAGS (XML_PARSE_NONET | XML_PARSE_NOBLANKS | \
			       XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* The compressed formats libxml2 would have expanded, by magic bytes. */
static const char *compressed(const char *buf, size_t len)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *name;
	} formats[] = {
		{ "\x1f\x8b", 2, "gzip" },
		{ "\xfd" "7zXZ\0", 6, "xz" },
	};
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (len >= formats[i].len && !memcmp(buf, formats[i].magic, formats[i].len))
			return formats[i].name;
	return NULL;
}

/* An entity reference (&name;), in an element or an attribute value. */
static bool has_entity_ref(xmlNodePtr n)
{
	xmlAttrPtr a;

	for (; n; n = n->next) {
		if (n->type == XML_ENTITY_REF_NODE)
			return true;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (a = n->properties; a; a = a->next)
			if (has_entity_ref(a->children))
				return true;
		if (has_entity_ref(n->children))
			return true;
	}
	return false;
}

/*
 * Drop the DOCTYPE: libvirt writes none, and what the input's says
 * (entities, a SYSTEM file) must not reach the domain gpuhelper writes.
 * The entities it declares are refused first: their references would
 * point into the freed DTD, and mean nothing without it.
 */
static int drop_doctype(xmlDocPtr doc, const char *name, char *why, size_t whylen)
{
	xmlDtdPtr dtd;

	if (has_entity_ref(doc->children)) {
		snprintf(why, whylen, "%s: uses an entity (&name;) of its DOCTYPE, which libvirt "
			 "never writes: give the output of virsh dumpxml", name);
		return -EINVAL;
	}
	while ((dtd = doc->intSubset ? doc->intSubset : doc->extSubset)) {
		xmlUnlinkNode((xmlNodePtr)dtd);
		doc->intSubset = doc->intSubset == dtd ? NULL : doc->intSubset;
		doc->extSubset = doc->extSubset == dtd ? NULL : doc->extSubset;
		xmlFreeDtd(dtd);
	}
	return 0;
}

static void too_large(const char *name, char *why, size_t whylen)
{
	snprintf(why, whylen, "%s: larger than %u MiB, more than virsh reads: "
		 "not a libvirt domain", name, GH_DOMAIN_MAX >> 20);
}

/*
 * Parse @buf (@len bytes, at most GH_DOMAIN_MAX); keep it if it is a
 * libvirt domain, else NULL and @why. A document with an undeclared
 * prefix (<qemu:commandline> without xmlns:qemu) is refused too: libxml2
 * only warns, libvirt would not see those elements, and the patch could
 * not be applied twice to the same result. Compressed input is refused
 * by name rather than as "not well-formed".
 */
static xmlDocPtr domain_parse(const char *buf, size_t len, const char *name,
			      char *why, size_t whylen)
{
	xmlParserCtxtPtr ctxt;
	const xmlError *e;
	xmlNodePtr root;
	const char *z;
	xmlDocPtr doc;

	z = compressed(buf, len);
	if (z) {
		snprintf(why, whylen, "%s: %s-compressed: gpuhelper reads plain XML only and "
			 "does not decompress (a small file can expand to gigabytes); "
			 "decompress it yourself, or pass virsh dumpxml's output", name, z);
		return NULL;
	}
	if (len > GH_DOMAIN_MAX) {
		too_large(name, why, whylen);
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		snprintf(why, whylen, "%s: out of memory", name);
		return NULL;
	}
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, NULL, GH_DOMAIN_PARSE_FLAGS);
	if (!doc) {
		e = xmlCtxtGetLastError(ctxt);
		snprintf(why, whylen, "%s: not well-formed XML%s%s", name,
			 e && e->message ? ": " : "", e && e->message ? e->message : "");
		why[strcspn(why, "\n")] = '\0';
		xmlFreeParserCtxt(ctxt);
		return NULL;
	}
	if (!ctxt->nsWellFormed) {
		e = xmlCtxtGetLastError(ctxt);
		snprintf(why, whylen, "%s: namespace error%s%s: declare each prefix (xmlns:qemu='%s')",
			 name, e && e->message ? ": " : "", e && e->message ? e->message : "",
			 GH_QEMU_NS);
		why[strcspn(why, "\n")] = '\0';
		xmlFreeParserCtxt(ctxt);
		xmlFreeDoc(doc);
		return NULL;
	}
	xmlFreeParserCtxt(ctxt);
	root = xmlDocGetRootElement(doc);
	if (!root || xmlStrcmp(root->name, X("domain"))) {
		snprintf(why, whylen, "%s: not a libvirt domain (no <domain> root): "
			 "give the output of virsh dumpxml", name);
		xmlFreeDoc(doc);
		return NULL;
	}
	if (drop_doctype(doc, name, why, whylen)) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

/**
 * gh_domain_read() - read and parse a domain file
 * @path: the file: a regular file or the standard input, at most
 *	GH_DOMAIN_MAX bytes, not compressed
 * @why: receives the reason on failure, naming @path
 * @whylen: size of @why
 *
 * Return: the document without its DOCTYPE, or NULL.
 */
xmlDocPtr gh_domain_read(const char *path, char *why, size_t whylen)
{
	unsigned char *buf;
	xmlDocPtr doc;
	size_t len;
	int err;

	err = gh_read_file(path, &buf, &len, GH_DOMAIN_MAX);
	if (err == -EFBIG) {
		too_large(path, why, whylen);
		return NULL;
	}
	if (err) {
		snprintf(why, whylen, "%s: cannot read: %s", path, gh_file_strerror(err));
		return NULL;
	}
	doc = domain_parse((const char *)buf, len, path, why, whylen);
	free(buf);
	return doc;
}

xmlDocPtr gh_domain_parse(const char *buf, size_t len, const char *name,
			  char *why, size_t whylen)
{
	return domain_parse(buf, len, name, why, whylen);
}

/* ---- the guide's steps ---- */

/* UEFI (OVMF) on q35: the guide says SeaBIOS may not work. */
static void apply_firmware(xmlNodePtr root, const struct gh_vm_plan *p)
{
	xmlNodePtr os = ensure(root, "os"), type, loader, nvram;
	char buf[512];
	xmlChar *machine;

	type = gh_xml_child(os, "type");
	if (!type) {
		type = xmlNewNode(NULL, X("type"));
		xmlNodeSetContent(type, X("hvm"));
		if (os->children)
			xmlAddPrevSibling(os->children, type);
		else
			xmlAddChild(os, type);
	}
	set(type, "arch", "x86_64");
	machine = xmlGetProp(type, X("machine"));
	if (!machine || !xmlStrstr(machine, X("q35")))
		set(type, "machine", "q35");
	xmlFree(machine);
	if (gh_xml_attr_is(os, "firmware", "efi"))
		return;
	loader = gh_xml_child(os, "loader");
	if (loader && !gh_xml_attr_is(loader, "type", "rom"))
		return;		/* the user's OVMF, perhaps the patched one */
	if (loader)
		unlink_free(loader);
	remove_all(os, "nvram");
	loader = xmlNewChild(os, NULL, X("loader"), X(p->loader));
	set(loader, "readonly", "yes");
	set(loader, "type", "pflash");
	snprintf(buf, sizeof(buf), "/var/lib/libvirt/qemu/nvram/%s_VARS.fd", p->name);
	nvram = xmlNewChild(os, NULL, X("nvram"), X(buf));
	set(nvram, "template", p->nvram_template);
}

static xmlNodePtr ensure_state(xmlNodePtr parent, const char *name, const char *state)
{
	xmlNodePtr n = ensure(parent, name);

	set(n, "state", state);
	return n;
}

/* Hide the hypervisor from the NVIDIA driver (the guide's <features>). */
static void apply_features(xmlNodePtr root)
{
	xmlNodePtr f = ensure(root, "features"), hv, n;

	ensure(f, "acpi");
	ensure(f, "apic");
	hv = ensure(f, "hyperv");
	ensure_state(hv, "relaxed", "on");
	ensure_state(hv, "vapic", "on");
	n = ensure_state(hv, "spinlocks", "on");
	if (!xmlHasProp(n, X("retries")))
		set(n, "retries", "8191");
	n = gh_xml_child(hv, "vendor_id");
	if (!n || !gh_xml_attr_is(n, "state", "on") || !xmlHasProp(n, X("value"))) {
		n = ensure_state(hv, "vendor_id", "on");
		set(n, "value", "GenuineIntel");
	}
	ensure_state(ensure(f, "kvm"), "hidden", "on");
	ensure_state(f, "vmport", "off");
}

/*
 * Emulation and boot choices: TCG instead of KVM (type 'qemu', the
 * "maximum" CPU), the CPUID hypervisor bit cleared, a direct kernel boot.
 */
static void apply_machine(xmlNodePtr root, const struct gh_vm_plan *p)
{
	xmlNodePtr cpu = ensure(root, "cpu"), os = ensure(root, "os"), n;

	set(root, "type", p->tcg ? "qemu" : "kvm");
	if (p->tcg) {
		set(cpu, "mode", "maximum");
		set(cpu, "check", "none");
	}
	if (p->hide_hypervisor) {
		for (n = cpu->children; n; n = n->next)
			if (n->type == XML_ELEMENT_NODE &&
			    !xmlStrcmp(n->name, X("feature")) &&
			    gh_xml_attr_is(n, "name", "hypervisor"))
				break;
		if (!n) {
			n = xmlNewChild(cpu, NULL, X("feature"), NULL);
			set(n, "name", "hypervisor");
		}
		set(n, "policy", "disable");
	}
	if (p->kernel[0]) {
		remove_all(os, "loader");
		remove_all(os, "nvram");
		remove_all(os, "kernel");
		remove_all(os, "initrd");
		remove_all(os, "cmdline");
		xmlNewTextChild(os, NULL, X("kernel"), X(p->kernel));
		if (p->initrd[0])
			xmlNewTextChild(os, NULL, X("initrd"), X(p->initrd));
		if (p->append[0])
			xmlNewTextChild(os, NULL, X("cmdline"), X(p->append));
	}
}

/* GVT-g as the display: SPICE with GL, no emulated video card. */
static void apply_display(xmlNodePtr devs, const struct gh_vm_plan *p)
{
	xmlNodePtr g, n, next;

	if (!p->gvt && p->headless) {
		remove_all(devs, "graphics");
		remove_all(devs, "video");
		n = xmlNewChild(devs, NULL, X("video"), NULL);
		set(xmlNewChild(n, NULL, X("model"), NULL), "type", "none");
		return;
	}
	if (!p->gvt) {
		/* an emulated display (the guide's QXL) instead of GVT-g */
		if (!gh_xml_child(devs, "graphics")) {
			g = xmlNewChild(devs, NULL, X("graphics"), NULL);
			set(g, "type", "spice");
			set(xmlNewChild(g, NULL, X("listen"), NULL), "type", "none");
		}
		/* every "none" video: a file may carry more than one */
		for (n = gh_xml_child(devs, "video"); n; n = next) {
			next = gh_xml_next(n, "video");
			if (gh_xml_attr_is(gh_xml_child(n, "model"), "type", "none"))
				unlink_free(n);
		}
		if (!gh_xml_child(devs, "video")) {
			n = xmlNewChild(devs, NULL, X("video"), NULL);
			set(xmlNewChild(n, NULL, X("model"), NULL), "type", "qxl");
		}
		return;
	}
	if (p->display.stage == GH_STAGE_INSTALL) {
		gh_display_install_screen(devs);
		return;
	}
	remove_all(devs, "graphics");
	remove_all(devs, "video");
	g = xmlNewChild(devs, NULL, X("graphics"), NULL);
	set(g, "type", "spice");
	set(xmlNewChild(g, NULL, X("listen"), NULL), "type", "none");
	set(xmlNewChild(g, NULL, X("image"), NULL), "compression", "off");
	set(xmlNewChild(g, NULL, X("gl"), NULL), "enable", "yes");
	n = xmlNewChild(devs, NULL, X("video"), NULL);
	set(xmlNewChild(n, NULL, X("model"), NULL), "type", "none");
}

static bool hostdev_is_ours(xmlNodePtr h, const struct gh_vm_plan *p)
{
	xmlNodePtr src = gh_xml_child(h, "source"), a = gh_xml_child(src, "address");
	unsigned int d, b, s, f;
	xmlChar *v;
	bool ours = false;

	if (gh_xml_attr_is(h, "type", "mdev"))
		return true;		/* ours with GVT-g, unwanted without */
	if (!gh_xml_attr_is(h, "type", "pci") || gh_xml_pci_addr(a, &d, &b, &s, &f))
		return false;
	if (p->dgpu && d == p->dgpu_domain && b == p->dgpu_bus && s == p->dgpu_slot)
		ours = true;		/* the dGPU or another function of it */
	v = xmlGetProp(gh_xml_child(h, "alias"), X("name"));
	if (v && !xmlStrncmp(v, X("ua-gpuhelper-"), 13))
		ours = true;
	xmlFree(v);
	return ours;
}

/*
 * The NVIDIA driver wants its GPU at 01:00.0 behind a root port at
 * 00:01.0. Every other PCI address and the user's PCI controllers are
 * dropped so libvirt renumbers around those two (the guide's advice).
 */
static void apply_topology(xmlNodePtr devs, const struct gh_vm_plan *p)
{
	xmlNodePtr n, next, a, an, c, m;

	for (n = devs->children; n; n = next) {
		next = n->next;
		if (is_el(n, "hostdev") && hostdev_is_ours(n, p)) {
			unlink_free(n);
			continue;
		}
		if (is_el(n, "controller") && gh_xml_attr_is(n, "type", "pci") &&
		    !gh_xml_attr_is(n, "model", "pcie-root")) {
			unlink_free(n);
			continue;
		}
		/* every PCI address: a file may carry more than one */
		for (a = n->children; a; a = an) {
			an = a->next;
			if (is_el(a, "address") && gh_xml_attr_is(a, "type", "pci"))
				unlink_free(a);
		}
	}
	if (!p->dgpu)
		return;
	c = xmlNewChild(devs, NULL, X("controller"), NULL);
	set(c, "type", "pci");
	set(c, "index", "1");
	set(c, "model", "pcie-root-port");
	m = xmlNewChild(c, NULL, X("model"), NULL);
	set(m, "name", "pcie-root-port");
	m = xmlNewChild(c, NULL, X("target"), NULL);
	set(m, "chassis", "1");
	set(m, "port", "0x10");
	pci_address(c, 0, GH_GUEST_ROOT_PORT_SLOT, 0, true);
}

static void source_address(xmlNodePtr h, unsigned int domain, unsigned int bus,
			   unsigned int slot, unsigned int func)
{
	xmlNodePtr a = xmlNewChild(xmlNewChild(h, NULL, X("source"), NULL), NULL,
				   X("address"), NULL);

	setf(a, "domain", "0x%04x", domain);
	setf(a, "bus", "0x%02x", bus);
	setf(a, "slot", "0x%02x", slot);
	setf(a, "function", "0x%x", func);
}

static void alias(xmlNodePtr h, const char *name)
{
	set(xmlNewChild(h, NULL, X("alias"), NULL), "name", name);
}

static void apply_hostdevs(xmlNodePtr devs, const struct gh_vm_plan *p)
{
	xmlNodePtr h, a;

	if (p->gvt) {
		h = xmlNewChild(devs, NULL, X("hostdev"), NULL);
		set(h, "mode", "subsystem");
		set(h, "type", "mdev");
		set(h, "managed", "no");
		set(h, "model", "vfio-pci");
		if (p->display.stage == GH_STAGE_INSTALL) {
			set(h, "display", "off");	/* the guide's first stage */
		} else {
			set(h, "display", "on");
			set(h, "ramfb", "on");	/* libvirt then uses vfio-pci-nohotplug */
		}
		a = xmlNewChild(xmlNewChild(h, NULL, X("source"), NULL), NULL,
				X("address"), NULL);
		set(a, "uuid", p->mdev_uuid);
		alias(h, GH_ALIAS_GVT);
		pci_address(h, 0, GH_GUEST_IGPU_SLOT, 0, false);
	}
	if (!p->dgpu)
		return;
	/*
	 * managed='no': gpuhelper hands the dGPU set to vfio-pci and back
	 * (its libvirt hook does it at prepare/release). With 'yes' libvirt
	 * would "reattach" it on shutdown by clearing driver_override and
	 * reprobing, giving it to nouveau/nvidia behind gpuhelper's back.
	 */
	h = xmlNewChild(devs, NULL, X("hostdev"), NULL);
	set(h, "mode", "subsystem");
	set(h, "type", "pci");
	set(h, "managed", "no");
	source_address(h, p->dgpu_domain, p->dgpu_bus, p->dgpu_slot, p->dgpu_func);
	alias(h, GH_ALIAS_DGPU);
	set(xmlNewChild(h, NULL, X("rom"), NULL), "bar", "off");
	pci_address(h, GH_GUEST_DGPU_BUS, 0, 0, true);
	if (!p->audio)
		return;
	h = xmlNewChild(devs, NULL, X("hostdev"), NULL);
	set(h, "mode", "subsystem");
	set(h, "type", "pci");
	set(h, "managed", "no");
	source_address(h, p->dgpu_domain, p->dgpu_bus, p->dgpu_slot, p->audio_func);
	alias(h, GH_ALIAS_AUDIO);
	pci_address(h, GH_GUEST_DGPU_BUS, 0, p->audio_func, false);
}

/* ---- QEMU properties: <qemu:override> or -set ---- */

struct prop {
	const char *alias;
	const char *name;
	const char *type;	/* override type: bool, unsigned, string */
	char value[272];	/* override value: decimal for unsigned */
	char set_value[272];	/* -set value: QEMU's own syntax */
};

static unsigned int plan_props(const struct gh_vm_plan *p, struct prop *pr,
			       unsigned int max)
{
	unsigned int n = 0;

#define PROP_U(al, nm, v, fmt) do { if (n < max) { \
	pr[n].alias = al; pr[n].name = nm; pr[n].type = "unsigned"; \
	snprintf(pr[n].value, sizeof(pr[n].value), "%u", (unsigned int)(v)); \
	snprintf(pr[n].set_value, sizeof(pr[n].set_value), fmt, (unsigned int)(v)); \
	n++; } } while (0)

	if (p->gvt) {
		if (n < max) {
			pr[n] = (struct prop){ GH_ALIAS_GVT, "x-igd-opregion", "bool",
					       "true", "on" };
			n++;
		}
		/* QEMU refuses xres/yres without display=on */
		if (p->display.stage == GH_STAGE_FINAL) {
			PROP_U(GH_ALIAS_GVT, "xres", p->xres, "%u");
			PROP_U(GH_ALIAS_GVT, "yres", p->yres, "%u");
		}
		if (p->gvt_rom[0] && n < max) {
			pr[n].alias = GH_ALIAS_GVT;
			pr[n].name = "romfile";
			pr[n].type = "string";
			snprintf(pr[n].value, sizeof(pr[n].value), "%s", p->gvt_rom);
			snprintf(pr[n].set_value, sizeof(pr[n].set_value), "%s", p->gvt_rom);
			n++;
		}
	}
	if (p->dgpu) {
		PROP_U(GH_ALIAS_DGPU, "x-pci-vendor-id", p->vendor, "0x%04x");
		PROP_U(GH_ALIAS_DGPU, "x-pci-device-id", p->device, "0x%04x");
		PROP_U(GH_ALIAS_DGPU, "x-pci-sub-vendor-id", p->subvendor, "0x%04x");
		PROP_U(GH_ALIAS_DGPU, "x-pci-sub-device-id", p->subdevice, "0x%04x");
	}
#undef PROP_U
	return n;
}

/*
 * libvirt goes by the namespace URI only. The user's file may have bound
 * the prefix "qemu" to another URI (a typo): xmlNewNs() then fails, and
 * elements made without a namespace are dropped by libvirt, silently.
 */
static xmlNsPtr qemu_ns(xmlNodePtr root)
{
	xmlNsPtr ns = xmlSearchNsByHref(root->doc, root, X(GH_QEMU_NS));
	char prefix[16] = "qemu";

	for (unsigned int i = 1; !ns && i < 100; i++) {
		ns = xmlNewNs(root, X(GH_QEMU_NS), X(prefix));
		snprintf(prefix, sizeof(prefix), "qemu%u", i);
	}
	return ns;
}

static bool arg_is(xmlNodePtr a, const char *prefix)
{
	xmlChar *v = xmlGetProp(a, X("value"));
	bool r = v && !xmlStrncmp(v, X(prefix), (int)strlen(prefix));

	xmlFree(v);
	return r;
}

/**
 * gh_xml_qemu_merge() - one <qemu:NAME> block, as libvirt reads them
 * @root: the <domain>
 * @name: "commandline" or "override"
 *
 * libvirt reads every <qemu:commandline> (and <qemu:override>) of a domain
 * though its schema allows one: a stale -set line in a second block would
 * survive a patch, or a lint, that looked at the first only. The children
 * of the later blocks move into the first and those blocks go.
 *
 * Return: the first block, NULL when there is none.
 */
xmlNodePtr gh_xml_qemu_merge(xmlNodePtr root, const char *name)
{
	xmlNodePtr first = gh_xml_qemu_child(root, name), n, next, c;

	for (n = first ? first->next : NULL; n; n = next) {
		next = n->next;
		if (!is_qemu_el(n, name))
			continue;
		while ((c = n->children)) {
			xmlUnlinkNode(c);
			xmlAddChild(first, c);
		}
		/* a prefix declared on @n itself: declare it in scope first */
		xmlReconciliateNs(root->doc, first);
		unlink_free(n);
	}
	return first;
}

/* The <qemu:arg> right after @n, NULL when another element comes first. */
static xmlNodePtr next_arg(xmlNodePtr n)
{
	for (n = n->next; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return is_qemu_el(n, "arg") ? n : NULL;
	return NULL;
}

/*
 * Drop "-set device.*" pairs (the seed's hostdevN ones break with
 * libvirt's JSON -device; ours are regenerated) and "-acpitable" pairs
 * (regenerated from the plan).
 */
static void clean_commandline(xmlNodePtr cl)
{
	xmlNodePtr n, v, next;
	bool again;

	/*
	 * Until nothing is left to take: taking a pair may join two args
	 * it separated into one, and the next patch would take that.
	 */
	do {
		again = false;
		for (n = cl->children; n; n = next) {
			next = n->next;
			if (!is_qemu_el(n, "arg"))
				continue;
			v = next_arg(n);
			/* an option and its value; a lone option is the user's */
			if (v && ((arg_is(n, "-set") && arg_is(v, "device.")) ||
				  (arg_is(n, "-acpitable") && !arg_is(v, "-")))) {
				next = v->next;
				unlink_free(v);
				unlink_free(n);
				again = true;
			}
		}
	} while (again);
}

static void add_arg(xmlNodePtr cl, xmlNsPtr ns, const char *v)
{
	set(xmlNewChild(cl, ns, X("arg"), NULL), "value", v);
}

/*
 * libvirt 7.9 to 8.1 would pass the -device the -set lines refer to as
 * JSON: take the capability away from this domain (gh_libvirt_json_cap()).
 * Ours are regenerated for the target; the user's other ones stay.
 */
static void apply_qemu_caps(xmlNodePtr root, xmlNsPtr ns, const struct gh_vm_plan *p,
			    bool props)
{
	const char *cap = props && !gh_plan_uses_override(p) ?
			  gh_libvirt_json_cap(p->libvirt) : NULL;
	xmlNodePtr caps = gh_xml_qemu_merge(root, "capabilities"), x, next;

	for (x = caps ? caps->children : NULL; x; x = next) {
		next = x->next;
		if (is_qemu_el(x, "del") && (gh_xml_attr_is(x, "capability", "device.json") ||
		    gh_xml_attr_is(x, "capability", "device.json+hotplug")))
			unlink_free(x);
	}
	if (cap) {
		if (!caps)
			caps = xmlNewChild(root, ns, X("capabilities"), NULL);
		set(xmlNewChild(caps, ns, X("del"), NULL), "capability", cap);
	}
	if (caps && !caps->children)
		unlink_free(caps);
}

static void apply_qemu(xmlNodePtr root, const struct gh_vm_plan *p)
{
	struct prop pr[16];
	unsigned int n = plan_props(p, pr, 16), i;
	xmlNodePtr cl, ov, dev = NULL, fe = NULL, x, next;
	xmlNsPtr ns = qemu_ns(root);
	const char *last = NULL;
	char buf[320];

	cl = gh_xml_qemu_merge(root, "commandline");
	if (!cl)
		cl = xmlNewChild(root, ns, X("commandline"), NULL);
	clean_commandline(cl);

	/* our override devices are regenerated; the user's stay */
	ov = gh_xml_qemu_merge(root, "override");
	for (x = ov ? ov->children : NULL; x; x = next) {
		next = x->next;
		if (is_qemu_el(x, "device") && (gh_xml_attr_is(x, "alias", GH_ALIAS_GVT) ||
		    gh_xml_attr_is(x, "alias", GH_ALIAS_DGPU) ||
		    gh_xml_attr_is(x, "alias", GH_ALIAS_AUDIO)))
			unlink_free(x);
	}

	for (i = 0; i < n; i++) {
		if (!gh_plan_uses_override(p)) {
			snprintf(buf, sizeof(buf), "device.%s.%s=%s", pr[i].alias,
				 pr[i].name, pr[i].set_value);
			add_arg(cl, ns, "-set");
			add_arg(cl, ns, buf);
			continue;
		}
		if (!ov)
			ov = xmlNewChild(root, ns, X("override"), NULL);
		if (!last || strcmp(last, pr[i].alias)) {
			dev = xmlNewChild(ov, ns, X("device"), NULL);
			set(dev, "alias", pr[i].alias);
			fe = xmlNewChild(dev, ns, X("frontend"), NULL);
			last = pr[i].alias;
		}
		x = xmlNewChild(fe, ns, X("property"), NULL);
		set(x, "name", pr[i].name);
		set(x, "type", pr[i].type);
		set(x, "value", pr[i].value);
	}

	if (!gh_plan_raw_tables(p)) {
		for (i = 0; i < p->nr_tables; i++) {
			snprintf(buf, sizeof(buf), "file=%s", p->tables[i]);
			add_arg(cl, ns, "-acpitable");
			add_arg(cl, ns, buf);
		}
	} else if (p->nr_tables) {
		xmlNodePtr os = ensure(root, "os"), acpi = ensure(os, "acpi"), t;

		for (x = acpi->children; x; x = next) {
			next = x->next;
			if (is_el(x, "table") && gh_xml_attr_is(x, "type", "raw"))
				unlink_free(x);
		}
		for (i = 0; i < p->nr_tables; i++) {
			t = xmlNewChild(acpi, NULL, X("table"), X(p->tables[i]));
			set(t, "type", "raw");
		}
	}
	apply_qemu_caps(root, ns, p, n > 0);
	gh_display_apply(root, ensure(root, "devices"), cl, ns, &p->display);
	/* never leave an empty <qemu:commandline> or <qemu:override> */
	if (!cl->children)
		unlink_free(cl);
	if (ov && !ov->children)
		unlink_free(ov);
}

/* ---- install media: --disk, --iso, --virtio-win ---- */

static bool is_disk_dev(xmlNodePtr n, const char *device)
{
	xmlChar *d;
	bool r;

	if (!is_el(n, "disk"))
		return false;
	d = xmlGetProp(n, X("device"));
	r = d ? !xmlStrcmp(d, X(device)) : !strcmp(device, "disk");
	xmlFree(d);
	return r;
}

/* The disk or cdrom whose <source file> is @file, NULL if none. */
static xmlNodePtr find_disk(xmlNodePtr devs, const char *device, const char *file)
{
	xmlNodePtr n;

	for (n = devs->children; n; n = n->next)
		if (is_disk_dev(n, device) &&
		    gh_xml_attr_is(gh_xml_child(n, "source"), "file", file))
			return n;
	return NULL;
}

/* A SATA target name (sda, sdb...) no disk of @devs uses. */
static void free_target(xmlNodePtr devs, char *buf, size_t len)
{
	xmlNodePtr n;
	char c;

	for (c = 'a'; c <= 'z'; c++) {
		snprintf(buf, len, "sd%c", c);
		for (n = devs->children; n; n = n->next)
			if (is_el(n, "disk") && gh_xml_attr_is(gh_xml_child(n, "target"), "dev", buf))
				break;
		if (!n)
			return;
	}
}

static void set_boot(xmlNodePtr dev, unsigned int order)
{
	remove_all(dev, "boot");
	if (order)
		setf(xmlNewChild(dev, NULL, X("boot"), NULL), "order", "%u", order);
}

/* A read-only SATA cdrom of @iso (the same one again is kept). */
static xmlNodePtr add_cdrom(xmlNodePtr devs, const char *iso)
{
	xmlNodePtr d = find_disk(devs, "cdrom", iso), n;
	char target[8];

	if (d)
		return d;
	free_target(devs, target, sizeof(target));
	d = xmlNewNode(NULL, X("disk"));
	for (n = devs->last; n && !is_el(n, "disk"); n = n->prev)
		;
	if (n)			/* with the other disks */
		xmlAddNextSibling(n, d);
	else
		xmlAddChild(devs, d);
	set(d, "type", "file");
	set(d, "device", "cdrom");
	n = xmlNewChild(d, NULL, X("driver"), NULL);
	set(n, "name", "qemu");
	set(n, "type", "raw");
	set(xmlNewChild(d, NULL, X("source"), NULL), "file", iso);
	n = xmlNewChild(d, NULL, X("target"), NULL);
	set(n, "dev", target);
	set(n, "bus", "sata");
	xmlNewChild(d, NULL, X("readonly"), NULL);
	return d;
}

/*
 * The system disk boots first, the installer's cdrom second; per-device
 * <boot order>, which libvirt refuses next to <os><boot dev>, so those
 * go. The user's other boot devices (--from) keep their order, after.
 */
static void apply_media(xmlNodePtr root, xmlNodePtr devs, const struct gh_vm_plan *p)
{
	xmlNodePtr disk = NULL, iso = NULL, n, d;
	unsigned int next = 3;

	if (!p->disk[0] && !p->iso[0] && !p->virtio_win[0])
		return;
	if (p->disk[0]) {
		disk = find_disk(devs, "disk", p->disk);
		for (n = devs->children; !disk && n; n = n->next)
			if (is_disk_dev(n, "disk"))
				disk = n;	/* the first disk becomes --disk */
		if (!disk) {
			char target[8];

			free_target(devs, target, sizeof(target));
			disk = xmlNewChild(devs, NULL, X("disk"), NULL);
			set(disk, "type", "file");
			set(disk, "device", "disk");
			d = xmlNewChild(disk, NULL, X("target"), NULL);
			set(d, "dev", target);
			set(d, "bus", "sata");
		}
		set(disk, "type", "file");
		remove_all(disk, "driver");
		remove_all(disk, "source");
		d = xmlNewNode(NULL, X("driver"));
		set(d, "name", "qemu");
		set(d, "type", "qcow2");
		if (disk->children)
			xmlAddPrevSibling(disk->children, d);
		else
			xmlAddChild(disk, d);
		set(xmlAddNextSibling(d, xmlNewNode(NULL, X("source"))), "file", p->disk);
	}
	/* without --disk: the disk that boots first, else the first disk */
	for (n = devs->children; !disk && n; n = n->next)
		if (gh_xml_ulong(gh_xml_child(n, "boot"), "order", 0) == 1)
			disk = n;
	for (n = devs->children; !disk && n; n = n->next)
		if (is_disk_dev(n, "disk"))
			disk = n;
	if (p->iso[0])
		iso = add_cdrom(devs, p->iso);
	if (p->virtio_win[0])
		set_boot(add_cdrom(devs, p->virtio_win), 0);
	remove_all(ensure(root, "os"), "boot");
	for (n = devs->children; n; n = n->next) {
		if (n == disk || n == iso || !gh_xml_child(n, "boot"))
			continue;
		set_boot(n, next++);
	}
	if (disk)
		set_boot(disk, 1);
	if (iso)
		set_boot(iso, 2);
}

/**
 * gh_domain_apply() - make @doc the guest the plan describes
 * @doc: a domain (gh_domain_base() or gh_domain_read())
 * @p: the plan
 *
 * Return: 0, or -EINVAL when @doc has no <domain> root.
 */
int gh_domain_apply(xmlDocPtr doc, const struct gh_vm_plan *p)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), devs;

	if (!root || xmlStrcmp(root->name, X("domain")))
		return -EINVAL;
	apply_firmware(root, p);
	apply_features(root);
	apply_machine(root, p);
	devs = ensure(root, "devices");
	apply_media(root, devs, p);
	apply_display(devs, p);
	apply_topology(devs, p);
	apply_hostdevs(devs, p);
	apply_qemu(root, p);
	return 0;
}

int gh_domain_format(xmlDocPtr doc, char **out, size_t *len)
{
	xmlChar *buf = NULL;
	int n = 0;

	xmlDocDumpFormatMemoryEnc(doc, &buf, &n, "UTF-8", 1);
	if (!buf)
		return -ENOMEM;
	/* drop the <?xml?> declaration: virsh dumpxml has none */
	if (!xmlStrncmp(buf, X("<?xml"), 5)) {
		xmlChar *nl = (xmlChar *)strchr((char *)buf, '\n');

		if (nl) {
			n -= (int)(nl + 1 - buf);
			memmove(buf, nl + 1, (size_t)n + 1);
		}
	}
	*out = (char *)buf;
	*len = (size_t)n;
	return 0;
}
