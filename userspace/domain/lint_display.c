// SPDX-License-Identifier: GPL-2.0
/*
 * lint_display.c - the rules on the guest's screen and input: Looking
 * Glass's IVSHMEM size, the evdev devices, the guide's two stages.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/display.h"
#include "domain/domain.h"
#include "domain/lint_priv.h"
#include "lib/root.h"

#define X(s) ((const xmlChar *)(s))

/*
 * libvirt's scaled integers (virScaleInteger()): b or bytes; k, M, G, T,
 * P, E alone or with "iB" are powers of 1024, with "B" of 1000; any case.
 * Return: the unit's factor, 0 for an unknown unit.
 */
static unsigned long long unit_scale(const char *u)
{
	static const char letters[] = "kmgtpe";
	unsigned long long scale = 1, base;
	const char *l;
	long i;

	if (!*u || !strcasecmp(u, "b") || !strcasecmp(u, "bytes"))
		return 1;
	l = strchr(letters, tolower((unsigned char)u[0]));
	if (!l)
		return 0;
	if (!u[1] || !strcasecmp(u + 1, "iB"))
		base = 1024;
	else if (tolower((unsigned char)u[1]) == 'b' && !u[2])
		base = 1000;
	else
		return 0;
	for (i = 0; i <= l - letters; i++)
		scale *= base;
	return scale;
}

/* <size unit='U'>N</size>: bytes, 0 when absent or unreadable */
static unsigned long long shmem_bytes(xmlNodePtr shmem)
{
	xmlNodePtr s = gh_xml_child(shmem, "size");
	xmlChar *v = s ? xmlNodeGetContent(s) : NULL, *u = s ? xmlGetProp(s, X("unit")) : NULL;
	unsigned long long n = 0, scale = unit_scale(u ? (const char *)u : "");
	char *end;

	if (v) {
		n = strtoull((const char *)v, &end, 10);
		if (*end || end == (char *)v)
			n = 0;
	}
	xmlFree(v);
	xmlFree(u);
	return n * scale;
}

/* QEMU's size=N[KMGT] in a -object memory-backend-file argument, 0 unknown */
static unsigned long long qemu_size(const char *arg)
{
	static const char suffixes[] = "kmgt";	/* powers of 1024 */
	const char *s = strstr(arg, ",size="), *sfx;
	unsigned long long n;
	char *end;

	if (!s)
		return 0;
	n = strtoull(s + 6, &end, 10);
	sfx = *end ? strchr(suffixes, tolower((unsigned char)*end)) : NULL;
	if (sfx) {
		n <<= 10 * (sfx - suffixes + 1);
		end++;
	} else if (*end == 'B' || *end == 'b') {
		end++;
	}
	return *end && *end != ',' ? 0 : n;
}

/* The resolution Looking Glass is sized for: gpuhelper's metadata, else the vGPU's. */
static bool lg_resolution(struct gh_lint_ctx *c, unsigned int *x, unsigned int *y,
			  const char **from)
{
	xmlNodePtr md = gh_xml_child(c->root, "metadata"), n;
	char xs[32], ys[32];

	for (n = md ? md->children : NULL; n; n = n->next) {
		xmlChar *v;
		int bad;

		if (n->type != XML_ELEMENT_NODE || !n->ns ||
		    xmlStrcmp(n->ns->href, X(GH_META_NS)))
			continue;
		v = xmlGetProp(n, X("looking-glass"));
		bad = !v || gh_display_parse_res((const char *)v, x, y);
		xmlFree(v);
		if (!bad) {
			*from = "gpuhelper's <metadata>";
			return true;
		}
	}
	if (c->mdev && gh_lint_qemu_prop(c, c->mdev, "xres", xs, sizeof(xs)) &&
	    gh_lint_qemu_prop(c, c->mdev, "yres", ys, sizeof(ys))) {
		*x = (unsigned int)strtoul(xs, NULL, 0);
		*y = (unsigned int)strtoul(ys, NULL, 0);
		*from = "the GVT-g vGPU's xres/yres";
		return *x && *y;
	}
	return false;
}

/*
 * Looking Glass's memory (display.c, gh_lg_size_mib()): an IVSHMEM device
 * smaller than the resolution needs makes it cut off the bottom of the
 * screen. Both forms: libvirt's <shmem>, and a memory-backend-file on
 * /dev/kvmfr* or /dev/shm in <qemu:commandline>.
 */
enum gh_lint_status gh_lint_r_lg_size(struct gh_lint_ctx *c)
{
	unsigned long long have = 0;
	unsigned int x, y, need;
	const char *from = NULL;
	xmlNodePtr n, where = NULL;

	for (n = gh_xml_child(c->devs, "shmem"); n; n = gh_xml_next(n, "shmem")) {
		xmlNodePtr m = gh_xml_child(n, "model");

		if (m && !gh_xml_attr_is(m, "type", "ivshmem-plain") &&
		    !gh_xml_attr_is(m, "type", "ivshmem"))
			continue;
		where = n;
		have = shmem_bytes(n);
		break;
	}
	for (n = c->cmdline ? c->cmdline->children : NULL; !where && n; n = n->next) {
		xmlChar *v = n->type == XML_ELEMENT_NODE ? xmlGetProp(n, X("value")) : NULL;
		const char *s = (const char *)v;

		if (s && !strncmp(s, "memory-backend-file,", 20) &&
		    (strstr(s, "mem-path=/dev/kvmfr") || strstr(s, "mem-path=/dev/shm/"))) {
			where = n;
			have = qemu_size(s);
		}
		xmlFree(v);
	}
	if (!where)
		return GH_LINT_NA;
	if (!lg_resolution(c, &x, &y, &from))
		return gh_lint_note(c, "an IVSHMEM device, but no resolution to size it for "
				    "(gpuhelper vm --looking-glass=WxH records one): not checked");
	need = gh_lg_size_mib(x, y);
	if (have >= (unsigned long long)need << 20)
		return GH_LINT_PASS;
	return gh_lint_fail(c, where, "the IVSHMEM device has %llu bytes, Looking Glass needs "
			    "%u MiB for %ux%u (%s): it cuts off the bottom of the screen",
			    have, need, x, y, from);
}

/* Every evdev input's device exists (under the root): QEMU cannot start without it. */
enum gh_lint_status gh_lint_r_evdev_exists(struct gh_lint_ctx *c)
{
	enum gh_lint_status st = GH_LINT_NA;
	xmlNodePtr n, s;

	for (n = gh_xml_child(c->devs, "input"); n; n = gh_xml_next(n, "input")) {
		const char *attr = gh_xml_attr_is(n, "type", "evdev") ? "dev" :
				   gh_xml_attr_is(n, "type", "passthrough") ? "evdev" : NULL;
		xmlChar *dev;
		bool there;

		if (!attr)
			continue;
		s = gh_xml_child(n, "source");
		dev = s ? xmlGetProp(s, X(attr)) : NULL;
		there = dev && dev[0] == '/' && gh_exists((const char *)dev);
		if (!there) {
			st = gh_lint_fail(c, s ? s : n, "the input device '%s' does not exist%s%s: "
					  "QEMU cannot open it and the domain does not start",
					  dev ? (const char *)dev : "", strcmp(gh_root(), "/") ?
					  " under " : "", strcmp(gh_root(), "/") ? gh_root() : "");
			xmlFree(dev);
			return st;
		}
		xmlFree(dev);
		st = GH_LINT_PASS;
	}
	return st;
}

static bool on(const char *v)
{
	return !strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1");
}

/*
 * The guide's stages, not a mix: the install stage's vGPU (display='off')
 * with the final stage's settings. QEMU refuses ramfb and xres/yres on a
 * vfio device without display=on (hw/vfio/pci.c: "ramfb=on requires
 * display=on", "xres and yres properties require display=on"); SPICE GL
 * has no dmabuf to show from it. The other mix, display='on' beside the
 * install stage's QXL, is GH018's.
 */
enum gh_lint_status gh_lint_r_one_stage(struct gh_lint_ctx *c)
{
	xmlNodePtr g;
	char v[32];

	if (!c->mdev || gh_xml_attr_is(c->mdev, "display", "on"))
		return GH_LINT_NA;
	if (gh_xml_attr_is(c->mdev, "ramfb", "on") ||
	    (gh_lint_qemu_prop(c, c->mdev, "ramfb", v, sizeof(v)) && on(v)))
		return gh_lint_fail(c, c->mdev, "the vGPU's display is off (the install stage) "
				    "but it has ramfb (the final stage's): QEMU refuses "
				    "'ramfb=on requires display=on'");
	if (gh_lint_qemu_prop(c, c->mdev, "xres", v, sizeof(v)) ||
	    gh_lint_qemu_prop(c, c->mdev, "yres", v, sizeof(v)))
		return gh_lint_fail(c, c->mdev, "the vGPU's display is off (the install stage) "
				    "but it has xres/yres (the final stage's): QEMU refuses "
				    "'xres and yres properties require display=on'");
	for (g = gh_xml_child(c->devs, "graphics"); g; g = gh_xml_next(g, "graphics"))
		if (gh_xml_attr_is(gh_xml_child(g, "gl"), "enable", "yes"))
			return gh_lint_fail(c, g, "SPICE with GL (the final stage's) beside the "
					    "vGPU with its display off (the install stage's): "
					    "there is nothing for GL to show");
	return GH_LINT_PASS;
}
