// SPDX-License-Identifier: GPL-2.0
/*
 * lint.c - one function per pitfall, one table of rules.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/domain.h"
#include "domain/lint.h"
#include "domain/lint_priv.h"
#include "pci/pcisnap.h"
#include "lib/root.h"
#include "domain/vmplan.h"

#define X(s) ((const xmlChar *)(s))

/**
 * gh_lint_fail() - record a failed rule
 * @c: the run
 * @n: the offending element, NULL for the domain
 * @fmt: the message: what is wrong and why it matters
 *
 * Return: GH_LINT_FAIL.
 */
enum gh_lint_status gh_lint_fail(struct gh_lint_ctx *c, xmlNodePtr n, const char *fmt, ...)
{
	xmlChar *path = n ? xmlGetNodePath(n) : NULL;
	va_list ap;

	snprintf(c->r->element, sizeof(c->r->element), "%s",
		 path ? (const char *)path : "/domain");
	xmlFree(path);
	va_start(ap, fmt);
	vsnprintf(c->r->message, sizeof(c->r->message), fmt, ap);
	va_end(ap);
	return GH_LINT_FAIL;
}

/**
 * gh_lint_note() - a rule that cannot judge says why
 * @c: the run
 * @fmt: the note, with what would let the rule judge
 *
 * Return: GH_LINT_NA.
 */
enum gh_lint_status gh_lint_note(struct gh_lint_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->r->message, sizeof(c->r->message), fmt, ap);
	va_end(ap);
	return GH_LINT_NA;
}

static xmlChar *prop(xmlNodePtr n, const char *name)
{
	return n ? xmlGetProp(n, X(name)) : NULL;
}

/* The hostdev's alias: the user alias, or libvirt's "hostdevN" by order. */
static void hostdev_aliases(struct gh_lint_ctx *c, xmlNodePtr h, char *user, size_t ulen,
			    char *auto_, size_t alen)
{
	xmlChar *a = prop(gh_xml_child(h, "alias"), "name");
	xmlNodePtr n;
	unsigned int i = 0;

	snprintf(user, ulen, "%s", a ? (const char *)a : "");
	xmlFree(a);
	for (n = gh_xml_child(c->devs, "hostdev"); n && n != h; n = gh_xml_next(n, "hostdev"))
		i++;
	snprintf(auto_, alen, "hostdev%u", i);
}

/**
 * gh_lint_qemu_prop() - a QEMU property of a hostdev
 * @c: the run
 * @h: the hostdev
 * @name: the property
 * @val: receives its value
 * @vlen: its size
 *
 * Return: whether @name is set on @h, by <qemu:override> or by a
 * "-set device.ALIAS.NAME=" argument.
 */
bool gh_lint_qemu_prop(struct gh_lint_ctx *c, xmlNodePtr h, const char *name,
		       char *val, size_t vlen)
{
	char user[128], autoa[32], want[256];
	xmlNodePtr d, f, p, a;
	bool found = false;

	if (!h)
		return false;
	hostdev_aliases(c, h, user, sizeof(user), autoa, sizeof(autoa));
	for (d = c->override ? c->override->children : NULL; d && !found; d = d->next) {
		if (!user[0] || !gh_xml_attr_is(d, "alias", user))
			continue;
		for (f = d->children; f && !found; f = f->next)
			for (p = f->children; p && !found; p = p->next)
				if (gh_xml_attr_is(p, "name", name)) {
					xmlChar *v = prop(p, "value");

					snprintf(val, vlen, "%s", v ? (const char *)v : "");
					xmlFree(v);
					found = true;
				}
	}
	for (a = c->cmdline ? c->cmdline->children : NULL; a && !found; a = a->next) {
		xmlChar *v = prop(a, "value");
		const char *s = (const char *)v;
		size_t k;

		if (s) {
			for (k = 0; k < 2 && !found; k++) {
				const char *al = k ? autoa : user;

				if (!*al)
					continue;
				snprintf(want, sizeof(want), "device.%s.%s=", al, name);
				if (!strncmp(s, want, strlen(want))) {
					snprintf(val, vlen, "%s", s + strlen(want));
					found = true;
				}
			}
		}
		xmlFree(v);
	}
	return found;
}

static bool on(const char *v)
{
	return !strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes") ||
	       !strcmp(v, "1");
}

/* ---- the rules ---- */

static enum gh_lint_status r_q35(struct gh_lint_ctx *c)
{
	xmlNodePtr t = gh_xml_child(c->os, "type");
	xmlChar *m = prop(t, "machine");
	bool ok = m && xmlStrstr(m, X("q35"));

	xmlFree(m);
	return ok ? GH_LINT_PASS :
	       gh_lint_fail(c, t ? t : c->os, "machine is not q35: no PCIe root port to put the dGPU behind");
}

static enum gh_lint_status r_uefi(struct gh_lint_ctx *c)
{
	xmlNodePtr l = gh_xml_child(c->os, "loader");

	if (gh_xml_attr_is(c->os, "firmware", "efi") ||
	    (l && gh_xml_attr_is(l, "type", "pflash")))
		return GH_LINT_PASS;
	return gh_lint_fail(c, c->os, "no UEFI firmware: the guide boots OVMF; SeaBIOS may not work");
}

static enum gh_lint_status r_vendor_id(struct gh_lint_ctx *c)
{
	xmlNodePtr v = gh_xml_child(gh_xml_child(c->features, "hyperv"), "vendor_id");

	if (v && gh_xml_attr_is(v, "state", "on") && xmlHasProp(v, X("value")))
		return GH_LINT_PASS;
	return gh_lint_fail(c, v ? v : c->features,
			    "Hyper-V vendor_id is not set: the NVIDIA driver sees the hypervisor");
}

static enum gh_lint_status r_kvm_hidden(struct gh_lint_ctx *c)
{
	xmlNodePtr h = gh_xml_child(gh_xml_child(c->features, "kvm"), "hidden");

	if (h && gh_xml_attr_is(h, "state", "on"))
		return GH_LINT_PASS;
	return gh_lint_fail(c, h ? h : c->features, "KVM is not hidden: the NVIDIA driver sees it");
}

static enum gh_lint_status r_vmport(struct gh_lint_ctx *c)
{
	xmlNodePtr v = gh_xml_child(c->features, "vmport");

	if (v && gh_xml_attr_is(v, "state", "off"))
		return GH_LINT_PASS;
	return gh_lint_fail(c, v ? v : c->features, "the VMware port is on: a virtual machine trait");
}

static xmlNodePtr controller_index(struct gh_lint_ctx *c, unsigned int index)
{
	xmlNodePtr n;

	for (n = gh_xml_child(c->devs, "controller"); n; n = gh_xml_next(n, "controller"))
		if (gh_xml_attr_is(n, "type", "pci") &&
		    gh_xml_ulong(n, "index", -1) == (long)index)
			return n;
	return NULL;
}

static enum gh_lint_status r_dgpu_address(struct gh_lint_ctx *c)
{
	unsigned int d, b, s, f, cd, cb, cs, cf;
	xmlNodePtr a, ctl;

	if (!c->dgpu)
		return GH_LINT_NA;
	a = gh_xml_child(c->dgpu, "address");
	if (gh_xml_pci_addr(a, &d, &b, &s, &f))
		return gh_lint_fail(c, c->dgpu, "the dGPU has no guest address: libvirt picks one, "
				    "not necessarily 01:00.0");
	if (s || f || !b)
		return gh_lint_fail(c, a, "the dGPU is at guest %02x:%02x.%x: the NVIDIA driver wants 01:00.0",
				    b, s, f);
	ctl = controller_index(c, b);
	if (!ctl || !gh_xml_attr_is(ctl, "model", "pcie-root-port"))
		return gh_lint_fail(c, a, "the dGPU's bus %u is not a pcie-root-port controller", b);
	if (gh_xml_pci_addr(gh_xml_child(ctl, "address"), &cd, &cb, &cs, &cf))
		return gh_lint_fail(c, ctl, "the dGPU's root port (index %u) has no address: libvirt "
				    "may not put it at 00:01.0", b);
	if (cb || cs != GH_GUEST_ROOT_PORT_SLOT || cf)
		return gh_lint_fail(c, ctl, "the dGPU is behind the root port at %02x:%02x.%x, not "
				    "00:01.0: the guest does not see it at 01:00.0", cb, cs, cf);
	return GH_LINT_PASS;
}

static enum gh_lint_status r_rom_bar(struct gh_lint_ctx *c)
{
	xmlNodePtr rom;

	if (!c->dgpu)
		return GH_LINT_NA;
	rom = gh_xml_child(c->dgpu, "rom");
	if (rom && gh_xml_attr_is(rom, "bar", "off"))
		return GH_LINT_PASS;
	return gh_lint_fail(c, rom ? rom : c->dgpu, "the dGPU's ROM BAR is exposed: an Optimus dGPU has "
			    "no ROM of its own, its vBIOS comes from ACPI");
}

static enum gh_lint_status r_subsys(struct gh_lint_ctx *c)
{
	char v[64], dv[64];

	if (!c->dgpu)
		return GH_LINT_NA;
	if (gh_lint_qemu_prop(c, c->dgpu, "x-pci-sub-vendor-id", v, sizeof(v)) &&
	    gh_lint_qemu_prop(c, c->dgpu, "x-pci-sub-device-id", dv, sizeof(dv)))
		return GH_LINT_PASS;
	return gh_lint_fail(c, c->dgpu, "the dGPU's subsystem IDs are not passed: the driver "
			    "does not match the laptop's vBIOS or refuses to install");
}

/*
 * SSDT files passed by -acpitable or <table type='raw'>: with @needle,
 * those whose name has it; with @exclude, those whose name has not.
 */
static bool table_files(struct gh_lint_ctx *c, const char *needle, const char *exclude,
			xmlNodePtr *where)
{
	xmlNodePtr n, t;
	bool any = false;

	for (n = c->cmdline ? c->cmdline->children : NULL; n; n = n->next) {
		xmlChar *v = prop(n, "value");

		if (v && !xmlStrcmp(v, X("-acpitable")) && n->next) {
			xmlChar *f = prop(n->next, "value");

			if (f && (!needle || xmlStrstr(f, X(needle))) &&
			    (!exclude || !xmlStrstr(f, X(exclude)))) {
				any = true;
				*where = n->next;
			}
			xmlFree(f);
		}
		xmlFree(v);
	}
	for (t = gh_xml_child(gh_xml_child(c->os, "acpi"), "table"); t;
	     t = gh_xml_next(t, "table")) {
		xmlChar *f = xmlNodeGetContent(t);

		if (gh_xml_attr_is(t, "type", "raw") && f && (!needle || xmlStrstr(f, X(needle))) &&
		    (!exclude || !xmlStrstr(f, X(exclude)))) {
			any = true;
			*where = t;
		}
		xmlFree(f);
	}
	return any;
}

static enum gh_lint_status r_battery(struct gh_lint_ctx *c)
{
	xmlNodePtr w = NULL;

	if (!c->dgpu)
		return GH_LINT_NA;
	/* the battery: any table that is not one of the vBIOS ones */
	if (table_files(c, NULL, "vbios", &w))
		return GH_LINT_PASS;
	return gh_lint_fail(c, c->root, "no battery SSDT is loaded: the laptop driver wants a battery");
}

static enum gh_lint_status r_slic(struct gh_lint_ctx *c)
{
	xmlNodePtr t;

	for (t = gh_xml_child(gh_xml_child(c->os, "acpi"), "table"); t;
	     t = gh_xml_next(t, "table"))
		if (gh_xml_attr_is(t, "type", "slic"))
			return gh_lint_fail(c, t, "an ACPI table is passed as type='slic': it becomes "
					    "the SLIC table, it does not load as an SSDT");
	return GH_LINT_PASS;
}

/*
 * The vBIOS reaches the guest through ACPI: an SSDT from gpuhelper acpi
 * vbios (a file named *vbios*), or an OVMF built with it (the guide's
 * edk2 patch: a loader outside the distribution's firmware directories).
 */
static enum gh_lint_status r_vbios(struct gh_lint_ctx *c)
{
	xmlNodePtr w = NULL, l = gh_xml_child(c->os, "loader");
	xmlChar *path = l ? xmlNodeGetContent(l) : NULL;
	bool custom = path && xmlStrncmp(path, X("/usr/share/"), 11);

	xmlFree(path);
	if (!c->dgpu)
		return GH_LINT_NA;
	if (custom || table_files(c, "vbios", NULL, &w))
		return GH_LINT_PASS;
	return gh_lint_fail(c, c->os, "the dGPU's vBIOS is not in the guest's ACPI tables: the "
			    "MUXless driver reads it from _ROM");
}

/* <qemu:capabilities> has <qemu:del capability=@cap/> */
static bool caps_del(struct gh_lint_ctx *c, const char *cap)
{
	xmlNodePtr n;

	for (n = c->caps ? c->caps->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, X("del")) &&
		    gh_xml_attr_is(n, "capability", cap))
			return true;
	return false;
}

/*
 * -set device.* works while libvirt writes the old -device syntax: before
 * 7.9, or with the JSON capability of the target deleted from the domain
 * (vmplan.h, gh_libvirt_json_cap()).
 */
static enum gh_lint_status r_set_device(struct gh_lint_ctx *c)
{
	const char *cap = gh_libvirt_json_cap(c->libvirt);
	xmlNodePtr n;

	if (!cap || caps_del(c, cap))
		return GH_LINT_PASS;
	for (n = c->cmdline ? c->cmdline->children : NULL; n; n = n->next) {
		xmlChar *v = prop(n, "value"), *w = n->next ? prop(n->next, "value") : NULL;
		bool bad = v && w && !xmlStrcmp(v, X("-set")) &&
			   !xmlStrncmp(w, X("device."), 7);

		xmlFree(v);
		xmlFree(w);
		if (bad)
			return gh_lint_fail(c, n->next, "libvirt %u.%u passes -device as JSON: QEMU "
					    "rejects '-set device...' with 'there is no device ... defined' "
					    "unless <qemu:capabilities> deletes '%s'",
					    c->libvirt / 1000000, c->libvirt / 1000 % 1000, cap);
	}
	return GH_LINT_PASS;
}

/*
 * libvirt refuses to define a domain whose <qemu:capabilities> names a
 * capability it does not know: "device.json+hotplug" exists from 8.1.
 */
static enum gh_lint_status r_qemu_caps(struct gh_lint_ctx *c)
{
	xmlNodePtr n;

	if (!c->caps)
		return GH_LINT_NA;
	for (n = c->caps->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    gh_xml_attr_is(n, "capability", "device.json+hotplug") &&
		    c->libvirt < GH_LIBVIRT_JSON_HOTPLUG)
			return gh_lint_fail(c, n, "libvirt %u.%u knows no QEMU capability "
					    "'device.json+hotplug' (8.1 added it): it refuses the domain",
					    c->libvirt / 1000000, c->libvirt / 1000 % 1000);
	return GH_LINT_PASS;
}

static bool alias_exists(struct gh_lint_ctx *c, const xmlChar *alias)
{
	xmlNodePtr n, a;

	for (n = c->devs ? c->devs->children : NULL; n; n = n->next) {
		a = gh_xml_child(n, "alias");
		if (a && gh_xml_attr_is(a, "name", (const char *)alias))
			return true;
	}
	return false;
}

static enum gh_lint_status r_override(struct gh_lint_ctx *c)
{
	xmlNodePtr d, f, p;

	if (!c->override)
		return GH_LINT_NA;
	if (c->libvirt < GH_LIBVIRT_OVERRIDE)
		return gh_lint_fail(c, c->override, "<qemu:override> needs libvirt 8.2; the target is %u.%u",
				    c->libvirt / 1000000, c->libvirt / 1000 % 1000);
	if (!c->override->children)
		return gh_lint_fail(c, c->override, "an empty <qemu:override>");
	for (d = c->override->children; d; d = d->next) {
		xmlChar *al = prop(d, "alias");
		bool ua = al && !xmlStrncmp(al, X("ua-"), 3), exists = al && alias_exists(c, al);
		unsigned int props = 0;

		xmlFree(al);
		if (!ua)
			return gh_lint_fail(c, d, "an override alias without the 'ua-' prefix: libvirt "
					    "only keeps user aliases");
		if (!exists)
			return gh_lint_fail(c, d, "no device carries this override's alias");
		for (f = d->children; f; f = f->next)
			for (p = f->children; p; p = p->next, props++) {
				xmlChar *t = prop(p, "type"), *v = prop(p, "value");
				bool hex = t && v && !xmlStrcmp(t, X("unsigned")) &&
					   (xmlStrchr(v, 'x') || xmlStrchr(v, 'X'));

				xmlFree(t);
				xmlFree(v);
				if (hex)
					return gh_lint_fail(c, p, "an unsigned override value in hex: "
							    "libvirt takes decimal only");
			}
		if (!props)
			return gh_lint_fail(c, d, "an override device with no properties");
	}
	return GH_LINT_PASS;
}

static enum gh_lint_status r_raw_tables(struct gh_lint_ctx *c)
{
	xmlNodePtr t;

	if (c->libvirt >= GH_LIBVIRT_ACPI_RAW)
		return GH_LINT_PASS;
	for (t = gh_xml_child(gh_xml_child(c->os, "acpi"), "table"); t;
	     t = gh_xml_next(t, "table"))
		if (gh_xml_attr_is(t, "type", "raw"))
			return gh_lint_fail(c, t, "libvirt %u.%u accepts no type='raw' ACPI tables",
					    c->libvirt / 1000000, c->libvirt / 1000 % 1000);
	return GH_LINT_PASS;
}

static enum gh_lint_status r_gvt_gl(struct gh_lint_ctx *c)
{
	xmlNodePtr g;

	if (!c->mdev || !gh_xml_attr_is(c->mdev, "display", "on"))
		return GH_LINT_NA;
	for (g = gh_xml_child(c->devs, "graphics"); g; g = gh_xml_next(g, "graphics"))
		if ((gh_xml_attr_is(g, "type", "spice") &&
		     gh_xml_attr_is(gh_xml_child(g, "gl"), "enable", "yes")) ||
		    gh_xml_attr_is(g, "type", "egl-headless"))
			return GH_LINT_PASS;
	return gh_lint_fail(c, c->mdev, "the GVT-g display is on but no SPICE graphics has "
			    "<gl enable='yes'/>: nothing shows it");
}

static enum gh_lint_status r_gvt_ramfb(struct gh_lint_ctx *c)
{
	char v[32];

	if (!c->mdev || !gh_xml_attr_is(c->mdev, "display", "on"))
		return GH_LINT_NA;
	if (gh_xml_attr_is(c->mdev, "ramfb", "on") ||
	    (gh_lint_qemu_prop(c, c->mdev, "ramfb", v, sizeof(v)) && on(v)))
		return GH_LINT_PASS;
	return gh_lint_fail(c, c->mdev, "no ramfb on the GVT-g device: no picture before the "
			    "guest's Intel driver loads (firmware, boot)");
}

static enum gh_lint_status r_gvt_opregion(struct gh_lint_ctx *c)
{
	char v[32];

	if (!c->mdev || !gh_xml_attr_is(c->mdev, "display", "on"))
		return GH_LINT_NA;
	if (gh_lint_qemu_prop(c, c->mdev, "x-igd-opregion", v, sizeof(v)) && on(v))
		return GH_LINT_PASS;
	return gh_lint_fail(c, c->mdev, "x-igd-opregion is not on: the guest's Intel driver "
			    "finds no OpRegion and shows no display");
}

static enum gh_lint_status r_video_none(struct gh_lint_ctx *c)
{
	xmlNodePtr v, m;

	if (!c->mdev || !gh_xml_attr_is(c->mdev, "display", "on"))
		return GH_LINT_NA;
	for (v = gh_xml_child(c->devs, "video"); v; v = gh_xml_next(v, "video")) {
		m = gh_xml_child(v, "model");
		if (!gh_xml_attr_is(m, "type", "none"))
			return gh_lint_fail(c, v, "an emulated video card beside the GVT-g display: "
					    "Windows keeps it as the primary display");
	}
	return GH_LINT_PASS;
}

/*
 * The subsystem IDs passed are the laptop's own: the host's sysfs (under
 * the PCI root: --root, or a --profile snapshot) for the dGPU's address.
 */
static enum gh_lint_status r_subsys_host(struct gh_lint_ctx *c)
{
	unsigned long sv, sd;
	char v[64], dv[64], bdf[16], *e1, *e2;
	const struct gh_pci_dev *d;
	unsigned int dom, b, s, f;
	enum gh_lint_status st;
	struct gh_pci snap;

	if (!c->dgpu || !gh_lint_qemu_prop(c, c->dgpu, "x-pci-sub-vendor-id", v, sizeof(v)) ||
	    !gh_lint_qemu_prop(c, c->dgpu, "x-pci-sub-device-id", dv, sizeof(dv)))
		return GH_LINT_NA;	/* GH008 */
	if (gh_xml_pci_addr(gh_xml_child(gh_xml_child(c->dgpu, "source"), "address"),
			    &dom, &b, &s, &f))
		return gh_lint_note(c, "the dGPU's hostdev has no source address: its "
				    "subsystem IDs are not checked");
	sv = strtoul(v, &e1, 0);
	sd = strtoul(dv, &e2, 0);
	if (*e1 || *e2 || !*v || !*dv || sv > 0xffff || sd > 0xffff)
		return gh_lint_fail(c, c->dgpu, "the dGPU's subsystem IDs '%s' and '%s' are "
				    "not 16-bit numbers: QEMU refuses them", v, dv);
	snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%x", dom, b, s, f);
	memset(&snap, 0, sizeof(snap));
	d = gh_pci_scan(&snap) ? NULL : gh_pci_find(&snap, bdf);
	if (!d)
		st = gh_lint_note(c, "no PCI device %s under %s: the host's subsystem IDs "
				  "are unknown, not checked (run on the host, or pass --root "
				  "or --profile)", bdf, gh_pci_root());
	else if (d->subvendor != sv || d->subdevice != sd)
		st = gh_lint_fail(c, c->dgpu, "the dGPU gets subsystem %04lx:%04lx, but %s "
				  "on the host is %04x:%04x: the laptop's vBIOS and driver do "
				  "not match it", sv, sd, bdf, d->subvendor, d->subdevice);
	else
		st = GH_LINT_PASS;
	gh_pci_free(&snap);
	return st;
}

/*
 * A GVT-g vGPU with display='off' (libvirt's default) shows nothing:
 * without another video card the guest has no screen at all.
 */
static enum gh_lint_status r_gvt_screen(struct gh_lint_ctx *c)
{
	xmlNodePtr v;
	bool any = false;

	if (!c->mdev || gh_xml_attr_is(c->mdev, "display", "on"))
		return GH_LINT_NA;
	for (v = gh_xml_child(c->devs, "video"); v; v = gh_xml_next(v, "video")) {
		any = true;
		if (!gh_xml_attr_is(gh_xml_child(v, "model"), "type", "none"))
			return GH_LINT_PASS;
	}
	/* with no <video>, libvirt adds one for a <graphics> */
	if (!any && gh_xml_child(c->devs, "graphics"))
		return GH_LINT_PASS;
	return gh_lint_fail(c, c->mdev, "the GVT-g vGPU has display='off' and there is "
			    "no other video card (model 'none'): the guest has no screen");
}

typedef enum gh_lint_status (*rule_fn)(struct gh_lint_ctx *c);

static const struct {
	rule_fn fn;
	const char *fix;
} rule_impl[] = {
	{ r_q35, "set <os><type machine='q35'>; gpuhelper vm --from domain.xml does it" },
	{ r_uefi, "boot OVMF: <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader> or <os firmware='efi'>" },
	{ r_vendor_id, "add <hyperv><vendor_id state='on' value='GenuineIntel'/></hyperv> to <features>" },
	{ r_kvm_hidden, "add <kvm><hidden state='on'/></kvm> to <features>" },
	{ r_vmport, "add <vmport state='off'/> to <features>" },
	{ r_dgpu_address, "put the dGPU at <address type='pci' bus='0x01' slot='0x00' function='0x0'/> and controller index 1 (pcie-root-port) at bus 0x00 slot 0x01 function 0x0; drop the other PCI addresses so libvirt renumbers (gpuhelper vm --from)" },
	{ r_rom_bar, "add <rom bar='off'/> to the dGPU's <hostdev>" },
	{ r_subsys, "set x-pci-sub-vendor-id and x-pci-sub-device-id (decimal) in a <qemu:override> on the dGPU's ua- alias (gpuhelper vm)" },
	{ r_battery, "generate it (gpuhelper acpi battery -o /var/lib/gpuhelper/ssdt-battery.aml) and pass it with -acpitable (libvirt < 11.2) or <acpi><table type='raw'>" },
	{ r_slic, "pass SSDTs with <qemu:arg value='-acpitable'/><qemu:arg value='file=PATH'/>, or <table type='raw'> on libvirt >= 11.2" },
	{ r_vbios, "gpuhelper acpi vbios --rom VBIOS.rom -o /var/lib/gpuhelper, then pass each ssdt-vbios-*.aml like the battery" },
	{ r_set_device, "move the properties to <qemu:override> on a ua- alias (libvirt >= 8.2), or add <qemu:capabilities><qemu:del capability='device.json'/> (7.9 to 8.0; 'device.json+hotplug' from 8.1); gpuhelper vm --from --libvirt VERSION does either" },
	{ r_override, "give the device <alias name='ua-NAME'/>, use that alias, write unsigned values in decimal, drop empty elements; below libvirt 8.2 use -set lines" },
	{ r_raw_tables, "pass the tables with -acpitable in <qemu:commandline> (gpuhelper vm does for libvirt < 11.2)" },
	{ r_gvt_gl, "use <graphics type='spice'><listen type='none'/><gl enable='yes'/></graphics>" },
	{ r_gvt_ramfb, "add ramfb='on' to the mdev <hostdev> (libvirt then uses vfio-pci-nohotplug)" },
	{ r_gvt_opregion, "set x-igd-opregion (bool true) in a <qemu:override> on the mdev's ua- alias" },
	{ r_video_none, "replace the <video> model with <model type='none'/>" },
	{ r_qemu_caps, "delete 'device.json' instead below libvirt 8.1 (gpuhelper vm --libvirt VERSION)" },
	{ gh_lint_r_table_files, "regenerate the table (gpuhelper acpi battery -o FILE, gpuhelper acpi vbios --rom VBIOS.rom -o DIR) or fix the path; gpuhelper vm writes missing ones when it has the vBIOS" },
	{ gh_lint_r_vbios_rom, "load every table of one gpuhelper acpi vbios run (ssdt-vbios-NN.aml and ssdt-vbios-rom.aml), with --path the dGPU's ACPI path; gpuhelper vm --rom VBIOS.rom writes and lists them" },
	{ gh_lint_r_vbios_chain, "build the tables from a valid vBIOS dump (gpuhelper vbios info FILE; gpuhelper vbios strip for a dump with a header)" },
	{ gh_lint_r_battery_device, "pass the battery SSDT of gpuhelper acpi battery -o /var/lib/gpuhelper/ssdt-battery.aml" },
	{ r_subsys_host, "set x-pci-sub-vendor-id/x-pci-sub-device-id to the host's (gpuhelper vm does; lspci -nnv -s BDF shows 'Subsystem'); ignore if you spoof them on purpose (vm --subsystem)" },
	{ r_gvt_screen, "set display='on' with ramfb='on' on the mdev <hostdev> and SPICE with GL (gpuhelper vm --gvt), or add a <video> model such as qxl" },
	{ gh_lint_r_lg_size, "size the IVSHMEM device by Looking Glass's formula: gpuhelper vm --from domain.xml --looking-glass=WxH (1920x1080: 32 MiB, 2560x1440: 64, 3840x2160: 128)" },
	{ gh_lint_r_evdev_exists, "name devices that exist (ls -l /dev/input/by-id), or let gpuhelper vm --from domain.xml --evdev pick them" },
	{ gh_lint_r_one_stage, "switch the whole domain to one stage: gpuhelper vm --from domain.xml --stage install (display off, QXL) or --stage final (display on, ramfb, SPICE GL, no QXL)" },
	{ gh_lint_r_vbios_machine, "set <type machine='q35'> (or pc-q35-6.1 or later); gpuhelper vm --from does" },
};

const struct gh_lint_rule gh_lint_rules[] = {
	{ "GH001", "machine-q35", "the machine is q35 (PCIe)", false },
	{ "GH002", "uefi", "the guest boots UEFI (OVMF)", false },
	{ "GH003", "hyperv-vendor-id", "Hyper-V vendor_id is set", false },
	{ "GH004", "kvm-hidden", "KVM is hidden", false },
	{ "GH005", "vmport-off", "the VMware port is off", false },
	{ "GH006", "dgpu-at-01-00-0", "the dGPU is at 01:00.0 behind a root port at 00:01.0", false },
	{ "GH007", "dgpu-rom-bar-off", "the dGPU's ROM BAR is off", false },
	{ "GH008", "dgpu-subsystem-ids", "the dGPU carries the laptop's subsystem IDs", false },
	{ "GH009", "battery-ssdt", "an SSDT (the battery) is loaded", false },
	{ "GH010", "no-slic-tables", "no SSDT is passed as a SLIC table", false },
	{ "GH011", "vbios-in-acpi", "the dGPU's vBIOS is in ACPI", false },
	{ "GH012", "no-set-device", "no '-set device.*' lines for a JSON -device libvirt", true },
	{ "GH013", "override-valid", "<qemu:override> is supported, aliased ua-, decimal, not empty", true },
	{ "GH014", "acpi-raw-supported", "type='raw' ACPI tables only for libvirt >= 11.2", true },
	{ "GH015", "gvt-spice-gl", "a GVT-g display has SPICE with GL", false },
	{ "GH016", "gvt-ramfb", "a GVT-g display has ramfb", false },
	{ "GH017", "gvt-opregion", "a GVT-g display has x-igd-opregion", false },
	{ "GH018", "gvt-video-none", "no emulated video card beside a GVT-g display", false },
	{ "GH019", "qemu-caps-known", "<qemu:capabilities> names only capabilities the target knows", true },
	{ "GH020", "acpi-table-files", "every ACPI table file is readable, with a valid header, length and checksum", false },
	{ "GH021", "vbios-rom-method", "the vBIOS tables hold the buffers and a _ROM method at the dGPU's ACPI path", false },
	{ "GH022", "vbios-chain-valid", "the vBIOS buffers form a valid vBIOS image chain", false },
	{ "GH023", "battery-device", "the battery table defines a PNP0C0A device with _STA, _BIF, _BST", false },
	{ "GH024", "subsystem-ids-host", "the dGPU's subsystem IDs are the host's", false },
	{ "GH025", "gvt-has-screen", "a GVT-g vGPU without its display has another video card", false },
	{ "GH026", "ivshmem-size", "an IVSHMEM device is large enough for Looking Glass at the resolution", false },
	{ "GH027", "evdev-exists", "every evdev input device exists", false },
	{ "GH028", "one-stage", "a vGPU with its display off carries none of the final stage's settings", false },
	{ "GH029", "vbios-acpi-machine", "the machine type describes the dGPU's device in ACPI (pc-q35-6.1 or later)", false },
};

const unsigned int gh_lint_nr_rules = sizeof(gh_lint_rules) / sizeof(gh_lint_rules[0]);

_Static_assert(sizeof(gh_lint_rules) / sizeof(gh_lint_rules[0]) ==
	       sizeof(rule_impl) / sizeof(rule_impl[0]), "one implementation per rule");

/* The dGPU: our alias, else the first PCI hostdev passing function 0. */
static xmlNodePtr find_dgpu(struct gh_lint_ctx *c)
{
	xmlNodePtr h, first = NULL;
	unsigned int d, b, s, f;

	for (h = gh_xml_child(c->devs, "hostdev"); h; h = gh_xml_next(h, "hostdev")) {
		if (!gh_xml_attr_is(h, "type", "pci"))
			continue;
		if (gh_xml_attr_is(gh_xml_child(h, "alias"), "name", GH_ALIAS_DGPU))
			return h;
		if (!first && !gh_xml_pci_addr(gh_xml_child(gh_xml_child(h, "source"), "address"),
					       &d, &b, &s, &f) && f == 0)
			first = h;
	}
	return first;
}

unsigned int gh_lint(xmlDocPtr doc, unsigned int libvirt, struct gh_lint_result *res)
{
	struct gh_lint_ctx c;
	unsigned int i, failed = 0;
	xmlNodePtr h;

	memset(&c, 0, sizeof(c));
	c.doc = doc;
	c.libvirt = libvirt;
	c.root = xmlDocGetRootElement(doc);
	c.os = gh_xml_child(c.root, "os");
	c.features = gh_xml_child(c.root, "features");
	c.devs = gh_xml_child(c.root, "devices");
	/* every block counts, as libvirt reads them all */
	c.cmdline = gh_xml_qemu_merge(c.root, "commandline");
	c.override = gh_xml_qemu_merge(c.root, "override");
	c.caps = gh_xml_qemu_merge(c.root, "capabilities");
	c.dgpu = find_dgpu(&c);
	for (h = gh_xml_child(c.devs, "hostdev"); h; h = gh_xml_next(h, "hostdev"))
		if (gh_xml_attr_is(h, "type", "mdev")) {
			c.mdev = h;
			break;
		}
	gh_lint_tables_load(&c);
	for (i = 0; i < gh_lint_nr_rules; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].id = gh_lint_rules[i].id;
		res[i].name = gh_lint_rules[i].name;
		res[i].fix = rule_impl[i].fix;
		c.r = &res[i];
		res[i].status = rule_impl[i].fn(&c);
		if (res[i].status == GH_LINT_FAIL)
			failed++;
	}
	gh_lint_tables_free(&c);
	return failed;
}
