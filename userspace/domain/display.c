// SPDX-License-Identifier: GPL-2.0
/*
 * display.c - the guest's screen and input: the guide's two stages,
 * Looking Glass's IVSHMEM device, evdev keyboard and mouse.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/display.h"
#include "lib/root.h"

#define X(s) ((const xmlChar *)(s))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/**
 * gh_lg_size_mib() - IVSHMEM size for Looking Glass at a resolution
 * @xres: width
 * @yres: height
 *
 * Looking Glass's documentation ("Determining memory"): width x height x
 * 4 (bytes per 32-bit SDR pixel) x 2 (two frames) + 10 MiB, rounded up to
 * the next power of two MiB (1920x1080 -> 32, 2560x1440 -> 64,
 * 3840x2160 -> 128).
 *
 * Return: MiB, a power of two; 0 for a zero dimension.
 */
unsigned int gh_lg_size_mib(unsigned int xres, unsigned int yres)
{
	uint64_t bytes = (uint64_t)xres * yres * 4 * 2 + (10ULL << 20);
	unsigned int mib = 1;

	if (!xres || !yres)
		return 0;
	while (((uint64_t)mib << 20) < bytes)
		mib <<= 1;
	return mib;
}

int gh_display_parse_stage(const char *s)
{
	if (!strcmp(s, "final"))
		return GH_STAGE_FINAL;
	if (!strcmp(s, "install"))
		return GH_STAGE_INSTALL;
	return -EINVAL;
}

/* WxH, each 1 to 16384 (QEMU's and Looking Glass's largest are below). */
int gh_display_parse_res(const char *s, unsigned int *x, unsigned int *y)
{
	unsigned int w, h;
	char end;

	if (sscanf(s, "%ux%u%c", &w, &h, &end) != 2 || !w || !h || w > 16384 || h > 16384)
		return -EINVAL;
	*x = w;
	*y = h;
	return 0;
}

/* libvirt's grabToggle values (domaincommon.rng, 7.4 and later) */
static const char *const toggles[] = {
	"ctrl-ctrl", "alt-alt", "shift-shift", "meta-meta", "scrolllock", "ctrl-scrolllock",
};

bool gh_display_grab_toggle_valid(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(toggles); i++)
		if (!strcmp(s, toggles[i]))
			return true;
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * The first name (in byte order, so the same on every run) in @dir under
 * the root that ends with @suffix; the absolute path without the root.
 */
static bool pick(const char *dir, const char *suffix, char *out, size_t len)
{
	char path[GH_PATH_MAX], best[256] = "";
	struct dirent *e;
	DIR *d;

	if (gh_path(path, sizeof(path), dir))
		return false;
	d = opendir(path);
	if (!d)
		return false;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !ends_with(e->d_name, suffix) ||
		    strlen(e->d_name) >= sizeof(best))
			continue;
		if (!best[0] || strcmp(e->d_name, best) < 0)
			snprintf(best, sizeof(best), "%s", e->d_name);
	}
	closedir(d);
	if (!best[0])
		return false;
	snprintf(out, len, "%s/%s", dir, best);
	return true;
}

/**
 * gh_evdev_pick() - the keyboard and mouse to hand to the guest
 * @kbd: receives the keyboard's event device (*-event-kbd)
 * @klen: its size
 * @mouse: receives the mouse's (*-event-mouse), "" when there is none
 * @mlen: its size
 * @why: the reason when there is no keyboard
 * @whylen: its size
 *
 * From /dev/input/by-id under the root (udev's names for USB devices),
 * else /dev/input/by-path, where a laptop's built-in keyboard and
 * touchpad are (platform-i8042-serio-*).
 *
 * Return: 0, or -ENOENT with @why when no keyboard is found.
 */
int gh_evdev_pick(char *kbd, size_t klen, char *mouse, size_t mlen, char *why, size_t whylen)
{
	static const char *const dirs[] = { GH_EVDEV_DIR, "/dev/input/by-path" };
	size_t i;

	kbd[0] = mouse[0] = '\0';
	for (i = 0; i < 2 && !kbd[0]; i++)
		pick(dirs[i], "-event-kbd", kbd, klen);
	for (i = 0; i < 2 && !mouse[0]; i++)
		pick(dirs[i], "-event-mouse", mouse, mlen);
	if (kbd[0])
		return 0;
	snprintf(why, whylen, "--evdev: no keyboard (*-event-kbd) in %s%s or "
		 "%s/dev/input/by-path: pass the devices, --evdev=KEYBOARD[,MOUSE] "
		 "(ls -l /dev/input/by-id on the machine the guest runs on)",
		 strcmp(gh_root(), "/") ? gh_root() : "", GH_EVDEV_DIR,
		 strcmp(gh_root(), "/") ? gh_root() : "");
	return -ENOENT;
}

static int evdev_given(struct gh_display_plan *d, const char *list, char *why, size_t whylen)
{
	const char *comma = strchr(list, ',');
	size_t klen = comma ? (size_t)(comma - list) : strlen(list);

	if (!klen || klen >= sizeof(d->kbd) || list[0] != '/' ||
	    (comma && (comma[1] != '/' || strchr(comma + 1, ',') ||
		       strlen(comma + 1) >= sizeof(d->mouse)))) {
		snprintf(why, whylen, "--evdev=%s: expected KEYBOARD[,MOUSE], absolute paths "
			 "such as " GH_EVDEV_DIR "/usb-NAME-event-kbd", list);
		return -EINVAL;
	}
	snprintf(d->kbd, sizeof(d->kbd), "%.*s", (int)klen, list);
	if (comma)
		snprintf(d->mouse, sizeof(d->mouse), "%s", comma + 1);
	return 0;
}

/**
 * gh_display_plan_make() - resolve the display options
 * @d: filled in
 * @o: the command line
 * @xres: the guest's width (the GVT-g vGPU's), 0 when unknown
 * @yres: its height
 * @why: the reason on failure
 * @whylen: its size
 *
 * Return: 0, -EINVAL (a bad option), -ENOENT (no keyboard to pick).
 */
int gh_display_plan_make(struct gh_display_plan *d, const struct gh_display_opts *o,
			 unsigned int xres, unsigned int yres, char *why, size_t whylen)
{
	int err;

	memset(d, 0, sizeof(*d));
	d->stage = o->stage == GH_STAGE_INSTALL ? GH_STAGE_INSTALL : GH_STAGE_FINAL;
	if (o->looking_glass || o->kvmfr) {
		/* WxH given, else the guest's, else 1920x1080 */
		bool given = o->lg_xres && o->lg_yres, guest = xres && yres;

		d->lg_xres = given ? o->lg_xres : guest ? xres : 1920;
		d->lg_yres = given ? o->lg_yres : guest ? yres : 1080;
		d->lg_mib = gh_lg_size_mib(d->lg_xres, d->lg_yres);
		d->kvmfr = o->kvmfr;
	}
	snprintf(d->grab_toggle, sizeof(d->grab_toggle), "%s",
		 o->grab_toggle ? o->grab_toggle : "ctrl-ctrl");
	if (o->grab_toggle && !gh_display_grab_toggle_valid(o->grab_toggle)) {
		snprintf(why, whylen, "--grab-toggle %s: one of ctrl-ctrl, alt-alt, shift-shift, "
			 "meta-meta, scrolllock, ctrl-scrolllock", o->grab_toggle);
		return -EINVAL;
	}
	if (!o->evdev)
		return 0;
	if (o->evdev_devs)
		return evdev_given(d, o->evdev_devs, why, whylen);
	err = gh_evdev_pick(d->kbd, sizeof(d->kbd), d->mouse, sizeof(d->mouse), why, whylen);
	return err;
}

/* ---- the libvirt domain ---- */

static bool is_el(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, X(name)) && !n->ns;
}

static void set(xmlNodePtr n, const char *attr, const char *value)
{
	xmlSetProp(n, X(attr), X(value));
}

static bool attr_is(xmlNodePtr n, const char *attr, const char *value)
{
	xmlChar *v = n ? xmlGetProp(n, X(attr)) : NULL;
	bool same = v && !xmlStrcmp(v, X(value));

	xmlFree(v);
	return same;
}

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;

	for (n = parent ? parent->children : NULL; n; n = n->next)
		if (is_el(n, name))
			return n;
	return NULL;
}

static void unlink_free(xmlNodePtr n)
{
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

/*
 * The guide's first stage: Windows installs Intel's driver for the vGPU
 * while it shows nothing (display='off'), on a QXL screen through SPICE;
 * GL needs a device that exports dmabufs, QXL does not.
 */
void gh_display_install_screen(xmlNodePtr devs)
{
	xmlNodePtr n, next, g;

	for (n = devs->children; n; n = next) {
		next = n->next;
		if (is_el(n, "graphics") || is_el(n, "video"))
			unlink_free(n);
	}
	g = xmlNewChild(devs, NULL, X("graphics"), NULL);
	set(g, "type", "spice");
	set(xmlNewChild(g, NULL, X("listen"), NULL), "type", "none");
	n = xmlNewChild(devs, NULL, X("video"), NULL);
	set(xmlNewChild(n, NULL, X("model"), NULL), "type", "qxl");
}

static bool arg_starts(xmlNodePtr a, const char *prefix)
{
	xmlChar *v = a && a->type == XML_ELEMENT_NODE ? xmlGetProp(a, X("value")) : NULL;
	bool r = v && !xmlStrncmp(v, X(prefix), (int)strlen(prefix));

	xmlFree(v);
	return r;
}

static xmlNodePtr next_el(xmlNodePtr n)
{
	for (n = n->next; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

/* Our kvmfr arguments: -device ivshmem-plain,id=ua-gpuhelper-lg and -object ...,id=gpuhelper-lg */
static void drop_kvmfr_args(xmlNodePtr cl)
{
	xmlNodePtr n, v, next;

	for (n = cl ? cl->children : NULL; n; n = next) {
		next = n->next;
		v = n->type == XML_ELEMENT_NODE ? next_el(n) : NULL;
		if (v && ((arg_starts(n, "-device") &&
			   arg_starts(v, "ivshmem-plain,id=" GH_ALIAS_LG ",")) ||
			  (arg_starts(n, "-object") &&
			   arg_starts(v, "memory-backend-file,id=" GH_LG_MEMDEV ",")))) {
			next = v->next;
			unlink_free(v);
			unlink_free(n);
		}
	}
}

static void add_arg(xmlNodePtr cl, xmlNsPtr ns, const char *v)
{
	set(xmlNewChild(cl, ns, X("arg"), NULL), "value", v);
}

/* <metadata><gh:display looking-glass='WxH'/>: what lint checks the size against */
static void apply_metadata(xmlNodePtr root, const struct gh_display_plan *d)
{
	xmlNodePtr md = child(root, "metadata"), n, next;
	char buf[32];
	xmlNsPtr ns;

	for (n = md ? md->children : NULL; n; n = next) {
		next = n->next;
		if (n->type == XML_ELEMENT_NODE && n->ns &&
		    !xmlStrcmp(n->ns->href, X(GH_META_NS)))
			unlink_free(n);
	}
	if (d->lg_mib) {
		if (!md)
			md = xmlNewChild(root, NULL, X("metadata"), NULL);
		n = xmlNewChild(md, NULL, X("display"), NULL);
		ns = xmlNewNs(n, X(GH_META_NS), X("gpuhelper"));
		xmlSetNs(n, ns);
		snprintf(buf, sizeof(buf), "%ux%u", d->lg_xres, d->lg_yres);
		set(n, "looking-glass", buf);
	}
	if (md && !md->children)
		unlink_free(md);
}

static void apply_lg(xmlNodePtr devs, xmlNodePtr cl, xmlNsPtr ns,
		     const struct gh_display_plan *d)
{
	xmlNodePtr n, next, s;
	char buf[256];

	for (n = devs->children; n; n = next) {
		next = n->next;
		if (is_el(n, "shmem") && attr_is(n, "name", GH_LG_SHM_NAME))
			unlink_free(n);
	}
	drop_kvmfr_args(cl);
	if (!d->kvmfr) {
		s = xmlNewChild(devs, NULL, X("shmem"), NULL);
		set(s, "name", GH_LG_SHM_NAME);
		set(xmlNewChild(s, NULL, X("model"), NULL), "type", "ivshmem-plain");
		snprintf(buf, sizeof(buf), "%u", d->lg_mib);
		set(xmlNewChild(s, NULL, X("size"), X(buf)), "unit", "M");
		return;
	}
	add_arg(cl, ns, "-device");
	add_arg(cl, ns, "ivshmem-plain,id=" GH_ALIAS_LG ",memdev=" GH_LG_MEMDEV);
	snprintf(buf, sizeof(buf), "memory-backend-file,id=" GH_LG_MEMDEV ",mem-path="
		 GH_LG_KVMFR_DEV ",size=%uM,share=on", d->lg_mib);
	add_arg(cl, ns, "-object");
	add_arg(cl, ns, buf);
}

static void apply_evdev(xmlNodePtr devs, const struct gh_display_plan *d)
{
	xmlNodePtr n, next, src;

	for (n = devs->children; n; n = next) {
		next = n->next;
		if (is_el(n, "input") && attr_is(n, "type", "evdev"))
			unlink_free(n);
	}
	n = xmlNewChild(devs, NULL, X("input"), NULL);
	set(n, "type", "evdev");
	src = xmlNewChild(n, NULL, X("source"), NULL);
	set(src, "dev", d->kbd);
	set(src, "grab", "all");
	set(src, "grabToggle", d->grab_toggle);
	set(src, "repeat", "on");
	if (!d->mouse[0])
		return;
	n = xmlNewChild(devs, NULL, X("input"), NULL);
	set(n, "type", "evdev");
	set(xmlNewChild(n, NULL, X("source"), NULL), "dev", d->mouse);
}

/**
 * gh_display_apply() - Looking Glass and evdev into a domain
 * @root: the <domain>
 * @devs: its <devices>
 * @cmdline: its <qemu:commandline> (the kvmfr form's arguments go there)
 * @ns: the QEMU namespace
 * @d: the plan
 *
 * What is not asked for is left as the domain has it: a user's own
 * <shmem> or evdev inputs stay unless --looking-glass or --evdev
 * regenerates them.
 */
void gh_display_apply(xmlNodePtr root, xmlNodePtr devs, xmlNodePtr cmdline, xmlNsPtr ns,
		      const struct gh_display_plan *d)
{
	if (d->lg_mib) {
		apply_metadata(root, d);
		apply_lg(devs, cmdline, ns, d);
	}
	if (d->kbd[0])
		apply_evdev(devs, d);
}

/* ---- the QEMU command line ---- */

void gh_display_qemu_args(FILE *f, const struct gh_display_plan *d,
			  void (*arg)(FILE *f, const char *opt, const char *val))
{
	char buf[512];

	if (d->lg_mib) {
		snprintf(buf, sizeof(buf), "memory-backend-file,id=" GH_LG_MEMDEV ",share=on,"
			 "mem-path=%s,size=%uM", d->kvmfr ? GH_LG_KVMFR_DEV : GH_LG_SHM_PATH,
			 d->lg_mib);
		arg(f, "-object", buf);
		arg(f, "-device", "ivshmem-plain,id=" GH_ALIAS_LG ",memdev=" GH_LG_MEMDEV
		    ",bus=pcie.0");
	}
	if (d->kbd[0]) {
		snprintf(buf, sizeof(buf), "input-linux,id=gpuhelper-kbd,evdev=%s,grab_all=on,"
			 "repeat=on,grab-toggle=%s", d->kbd, d->grab_toggle);
		arg(f, "-object", buf);
	}
	if (d->mouse[0]) {
		snprintf(buf, sizeof(buf), "input-linux,id=gpuhelper-mouse,evdev=%s", d->mouse);
		arg(f, "-object", buf);
	}
}

void gh_display_hints(FILE *f, const struct gh_display_plan *d)
{
	if (d->lg_mib && !d->kvmfr)
		fprintf(f, "gpuhelper: hint: Looking Glass: %u MiB of IVSHMEM for %ux%u; QEMU "
			"creates %s, let the client's user read it at every boot "
			"('f %s 0660 USER kvm -' in /etc/tmpfiles.d): gpuhelper host-config "
			"--looking-glass --looking-glass-user USER\n", d->lg_mib, d->lg_xres,
			d->lg_yres, GH_LG_SHM_PATH, GH_LG_SHM_PATH);
	if (d->lg_mib && d->kvmfr)
		fprintf(f, "gpuhelper: hint: Looking Glass: %u MiB of IVSHMEM for %ux%u from "
			"the kvmfr module (static_size_mb=%u, a udev rule for %s): gpuhelper "
			"host-config --looking-glass-kvmfr=%ux%u --looking-glass-user USER; and "
			"%s in cgroup_device_acl of /etc/libvirt/qemu.conf\n", d->lg_mib,
			d->lg_xres, d->lg_yres, d->lg_mib, GH_LG_KVMFR_DEV, d->lg_xres,
			d->lg_yres, GH_LG_KVMFR_DEV);
	if (d->kbd[0])
		fprintf(f, "gpuhelper: hint: evdev: the guest grabs %s%s%s while it runs; "
			"press %s to switch them between host and guest\n", d->kbd,
			d->mouse[0] ? " and " : "", d->mouse, d->grab_toggle);
	if (d->kbd[0] && !d->mouse[0])
		fprintf(f, "gpuhelper: warning: --evdev: no mouse (*-event-mouse) found: "
			"only the keyboard is passed; add one with --evdev=KEYBOARD,MOUSE\n");
}
