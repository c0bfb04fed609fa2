// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_vm.c - gpuhelper vm: the seed guide's final domain for this
 * machine (or a profile), from scratch or patched into --from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "pci/arch.h"
#include "lib/atomicwrite.h"
#include "lib/opts.h"
#include "commands.h"
#include "domain/disk.h"
#include "domain/domain.h"
#include "domain/from.h"
#include "host/hook.h"
#include "domain/libvirt_conn.h"
#include "pci/pcisnap.h"
#include "lib/print.h"
#include "pci/profile.h"
#include "host/cputopo.h"
#include "domain/qemuargs.h"
#include "lib/root.h"
#include "domain/vmplan.h"

/* the part of vm's --help that depends on the build */
static void vm_help_more(FILE *f)
{
	fprintf(f,
		"\n"
		"The target libvirt is read from URI (default %s, read-only),\n"
		"else --libvirt VERSION, else %u.%u is assumed.\n",
		GH_LIBVIRT_URI_DEFAULT, GH_LIBVIRT_DEFAULT / 1000000,
		GH_LIBVIRT_DEFAULT / 1000 % 1000);
}

static int parse_uint(const char *opt, const char *s, unsigned int *v)
{
	char *end;
	unsigned long n = strtoul(s, &end, 10);

	if (*end || end == s || !n || n > 1048576) {
		fprintf(stderr, "gpuhelper vm: %s '%s': expected a positive number\n", opt, s);
		return -EINVAL;
	}
	*v = (unsigned int)n;
	return 0;
}

/* Everything the user still has to do before the guest starts. */
static void hints(const struct gh_vm_plan *p, const struct gh_topology *t,
		  const struct gh_vm_opts *o, const struct gh_pci *snap)
{
	const struct gh_pci_dev *peers[16];
	unsigned int i, n;

	if (p->gvt && !t->igpu->dev->mdev_uuid[0])
		fprintf(stderr, "gpuhelper: hint: create the GVT-g instance, at every boot: "
			"gpuhelper mdev create --parent %s --type %s --uuid %s --persist\n",
			p->igpu_bdf, p->mdev_type, p->mdev_uuid);
	if (p->gvt && p->gvt_rom[0] && !gh_exists(p->gvt_rom))
		fprintf(stderr, "gpuhelper: hint: %s (the GVT-g UEFI vBIOS, vbios_gvt_uefi.rom "
			"in the guide) does not exist: put it there, or pass --gvt-rom FILE "
			"or --gvt-rom none\n", p->gvt_rom);
	if (p->tables_missing)
		fprintf(stderr, "gpuhelper: hint: generate the SSDTs the guest needs: "
			"gpuhelper acpi battery -o %s; gpuhelper acpi vbios --rom VBIOS.rom "
			"-o %s (or name yours with --acpi-table FILE)\n",
			GH_VM_BATTERY, GH_VM_DATADIR);
	gh_display_hints(stderr, &p->display);
	if (!p->dgpu)
		return;
	if (o->with_audio && !p->audio)
		fprintf(stderr, "gpuhelper vm: warning: --with-audio: %s has no audio "
			"function (no HDMI audio controller in slot %02x:%02x): the dGPU "
			"is passed alone\n", p->dgpu_bdf, p->dgpu_bus, p->dgpu_slot);
	n = gh_group_peers(snap, t->dgpu->dev, peers, 16);
	for (i = 0; i < n && i < 16; i++) {
		if (!gh_peer_blocks(peers[i]))
			continue;
		if (p->audio && !strcmp(peers[i]->bdf, p->audio_bdf))
			continue;
		fprintf(stderr, "gpuhelper: %s is in IOMMU group %d with %s (%s): "
			"hand it off too%s\n", p->dgpu_bdf, t->dgpu->dev->iommu_group,
			peers[i]->bdf, peers[i]->driver,
			t->dgpu->audio == peers[i] && !o->with_audio ?
			", or pass --with-audio" : "");
	}
}

static int emit(const char *out, const char *data, size_t len)
{
	int err;

	if (!out || !strcmp(out, "-")) {
		fwrite(data, 1, len, stdout);
		return fflush(stdout) ? -EIO : 0;
	}
	err = gh_replace_file(out, data, len, 0644, true);
	if (err)
		fprintf(stderr, "gpuhelper vm: cannot write %s: %s\n", out, gh_file_strerror(err));
	return err;
}

/*
 * The libvirt hook hands a dGPU off only for the domains gpuhelper
 * generated: record this one, when it is for this machine (no --profile)
 * and saved to a file. Not being able to is a hint, not a failure: the
 * domain is written, and an admin may allow it instead.
 */
static void record_for_hook(const struct gh_vm_plan *p, const char *out, bool defined)
{
	char path[GH_PATH_MAX] = "", allow[GH_PATH_MAX], rel[GH_PATH_MAX];
	int err;

	if (!p->dgpu || gh_profile_name())
		return;
	snprintf(rel, sizeof(rel), GH_HOOK_ALLOW_DIR "/%s", p->name);
	gh_path(allow, sizeof(allow), rel);
	if (!defined && (!out || !strcmp(out, "-"))) {
		fprintf(stderr, "gpuhelper: hint: the domain went to standard output, so the "
			"libvirt hook has no record of '%s' and will not hand %s off for it: "
			"save it with -o FILE as root, or put 'dgpu %s' in %s "
			"(gpuhelper-hook(8))\n", p->name, p->dgpu_bdf, p->dgpu_bdf, allow);
		return;
	}
	err = gh_hook_record_write(p->name, p->dgpu_bdf, path, sizeof(path));
	if (!err) {
		fprintf(stderr, "gpuhelper vm: recorded '%s' for the libvirt hook in %s: it hands "
			"%s to vfio-pci when the domain starts\n", p->name, path, p->dgpu_bdf);
	} else if (err == -EINVAL) {
		fprintf(stderr, "gpuhelper: hint: the libvirt hook does not act for a domain "
			"named '%s' (a '/', a control character or a leading dot): pick "
			"another --name\n", p->name);
	} else {
		fprintf(stderr, "gpuhelper: hint: cannot record '%s' for the libvirt hook in %s "
			"(%s): it hands %s off only for recorded domains; run gpuhelper vm "
			"as root, or put 'dgpu %s' in %s (gpuhelper-hook(8))\n", p->name, path,
			strerror(-err), p->dgpu_bdf, p->dgpu_bdf, allow);
	}
}

struct vm_args {
	const char *from, *format, *out;
	const char *rom;		/* --rom: the vBIOS to build the SSDTs from */
	const char *uri;		/* --connect, NULL: the default, when probing */
	char disk[256];			/* --disk's PATH */
	bool probe, json, define, start, dry_run;
};

/* vm --define / --start: hand the domain to libvirt */
static int define(const struct vm_args *va, const struct gh_vm_plan *p, const char *xml,
		  bool from)
{
	const char *uri = va->uri ? va->uri : GH_LIBVIRT_URI_DEFAULT;
	char why[768];
	int err;

	if (p->tables_missing && va->start) {
		fprintf(stderr, "gpuhelper vm: not starting '%s': some SSDT it loads does "
			"not exist yet (see the hint below); --define alone defines it\n",
			p->name);
		return GH_EXIT_FAIL;
	}
	err = gh_libvirt_define(uri, xml, p->name, from, va->start, why, sizeof(why));
	if (err) {
		fprintf(stderr, "gpuhelper vm: %s\n", why);
		return err == -EEXIST || err == -EBUSY ? GH_EXIT_FAIL : GH_EXIT_ERROR;
	}
	fprintf(stderr, "gpuhelper vm: %s '%s' at %s\n", va->start ? "defined and started" :
		"defined", p->name, uri);
	return GH_EXIT_OK;
}

/*
 * --disk PATH,SIZE: the image is made now, through libvirt's storage API
 * when a connection is asked for (--connect, --define), else qemu-img;
 * never for another machine (--profile), where the command is printed.
 */
static int make_disk(const struct vm_args *va, const struct gh_vm_plan *p)
{
	const char *uri = va->uri || va->define ?
			  (va->uri ? va->uri : GH_LIBVIRT_URI_DEFAULT) : NULL;
	enum gh_disk_how how;
	char why[768];
	int err;

	if (!p->disk[0])
		return 0;
	if (gh_profile_name()) {
		if (p->disk_bytes)
			fprintf(stderr, "gpuhelper: hint: --profile is another machine: create the "
				"disk there (qemu-img create -f qcow2 %s %llu)\n", p->disk,
				p->disk_bytes);
		return 0;
	}
	err = gh_disk_ensure(p->disk, p->disk_bytes, uri, va->dry_run, &how, why, sizeof(why));
	fprintf(stderr, "gpuhelper vm: %s\n", why);
	if (!err)
		return 0;
	return err == -EEXIST || err == -ENOENT ? GH_EXIT_FAIL : GH_EXIT_ERROR;
}

enum {
	OPT_NAME = 256, OPT_FROM, OPT_FORMAT, OPT_PROFILE, OPT_ROOT, OPT_GPU, OPT_GVT,
	OPT_NO_GVT, OPT_MDEV, OPT_GVT_ROM, OPT_RESOLUTION, OPT_WITH_AUDIO, OPT_NO_DGPU,
	OPT_ACPI_TABLE, OPT_LIBVIRT, OPT_MEMORY, OPT_VCPUS, OPT_SUBSYSTEM,
	OPT_HIDE_HYPERVISOR, OPT_ACCEL, OPT_HEADLESS, OPT_KERNEL, OPT_INITRD, OPT_APPEND,
	OPT_CONNECT, OPT_PROBE, OPT_JSON, OPT_DEFINE, OPT_START, OPT_ROM,
	OPT_STAGE, OPT_LG, OPT_LG_KVMFR, OPT_EVDEV, OPT_GRAB_TOGGLE,
	OPT_ISO, OPT_VIRTIO_WIN, OPT_DISK, OPT_DRY_RUN,
};

static const struct gh_opt vm_opts[] = {
	{ 'o', "output", "FILE", "write the domain (or script) to FILE, atomically", GH_COMP_FILE, NULL },
	{ OPT_NAME, "name", "NAME", "the domain's name (default Win10, or --from's)", GH_COMP_NONE, NULL },
	{ OPT_FROM, "from", "FILE", "patch this libvirt domain (virsh dumpxml; - for stdin)",
	  GH_COMP_FILE, NULL },
	{ OPT_FORMAT, "format", "libvirt|qemu", "a libvirt domain (default) or a QEMU script",
	  GH_COMP_WORDS, "libvirt qemu" },
	{ OPT_PROFILE, "profile", "NAME", "describe a shipped machine profile, not this one",
	  GH_COMP_WORDS, "r720" },
	{ OPT_ROOT, "root", "DIR", "read sysfs and write records under DIR", GH_COMP_DIR, NULL },
	{ OPT_GPU, "gpu", "BDF", "the dGPU to pass (default: the detected one)", GH_COMP_NONE, NULL },
	{ OPT_GVT, "gvt", NULL, "a GVT-g vGPU for the display (refused when the iGPU cannot)", GH_COMP_NONE, NULL },
	{ OPT_NO_GVT, "no-gvt", NULL, "no GVT-g vGPU: an emulated QXL display", GH_COMP_NONE, NULL },
	{ OPT_MDEV, "mdev", "UUID", "the GVT-g instance (default: one that exists, or derived)", GH_COMP_NONE, NULL },
	{ OPT_GVT_ROM, "gvt-rom", "FILE|none", "the GVT-g UEFI vBIOS (vbios_gvt_uefi.rom)",
	  GH_COMP_FILE, NULL },
	{ OPT_RESOLUTION, "resolution", "WxH", "the GVT-g display's resolution", GH_COMP_NONE, NULL },
	{ OPT_WITH_AUDIO, "with-audio", NULL, "pass the dGPU's HDMI audio function too", GH_COMP_NONE, NULL },
	{ OPT_NO_DGPU, "no-dgpu", NULL, "no dGPU: only the GVT-g vGPU", GH_COMP_NONE, NULL },
	{ OPT_ACPI_TABLE, "acpi-table", "FILE", "load this SSDT (repeat; instead of the default set)",
	  GH_COMP_FILE, NULL },
	{ OPT_ROM, "rom", "VBIOS.rom", "write the vBIOS and battery SSDTs from this dump",
	  GH_COMP_FILE, NULL },
	{ OPT_LIBVIRT, "libvirt", "VERSION", "the target libvirt's version, without asking it", GH_COMP_NONE, NULL },
	{ OPT_MEMORY, "memory", "MIB", "the guest's memory in MiB", GH_COMP_NONE, NULL },
	{ OPT_VCPUS, "vcpus", "N", "the guest's virtual CPUs", GH_COMP_NONE, NULL },
	{ OPT_SUBSYSTEM, "subsystem", "VVVV:DDDD", "the dGPU's subsystem IDs as the guest sees them", GH_COMP_NONE, NULL },
	{ OPT_HIDE_HYPERVISOR, "hide-hypervisor", NULL,
	  "hide the hypervisor from the guest's CPUID (NVIDIA Code 43)", GH_COMP_NONE, NULL },
	{ OPT_ACCEL, "accel", "kvm|tcg", "the accelerator (default kvm)", GH_COMP_WORDS, "kvm tcg" },
	{ OPT_HEADLESS, "headless", NULL, "no display window (QEMU script)", GH_COMP_NONE, NULL },
	{ OPT_KERNEL, "kernel", "FILE", "boot this kernel directly", GH_COMP_FILE, NULL },
	{ OPT_INITRD, "initrd", "FILE", "with --kernel: its initramfs", GH_COMP_FILE, NULL },
	{ OPT_APPEND, "append", "CMDLINE", "with --kernel: its command line", GH_COMP_NONE, NULL },
	{ OPT_CONNECT, "connect", "URI", "the libvirt to ask (and to define in)", GH_COMP_NONE, NULL },
	{ OPT_DEFINE, "define", NULL, "define the domain in libvirt", GH_COMP_NONE, NULL },
	{ OPT_START, "start", NULL, "define the domain in libvirt and start it", GH_COMP_NONE, NULL },
	{ OPT_PROBE, "probe", NULL, "print what libvirt says it supports", GH_COMP_NONE, NULL },
	{ OPT_JSON, "json", NULL, "with --probe: one JSON object", GH_COMP_NONE, NULL },
	{ OPT_ISO, "iso", "FILE", "the install medium, a read-only SATA cdrom (absolute path)",
	  GH_COMP_FILE, NULL },
	{ OPT_VIRTIO_WIN, "virtio-win", "FILE", "the virtio-win driver ISO, a second cdrom (absolute path)",
	  GH_COMP_FILE, NULL },
	{ OPT_DISK, "disk", "PATH[,SIZE]",
	  "the system disk: a qcow2 made by libvirt's storage API or qemu-img, or an existing one",
	  GH_COMP_FILE, NULL },
	{ OPT_DRY_RUN, "dry-run", NULL, "say what --disk would create; write nothing", GH_COMP_NONE, NULL },
	{ OPT_STAGE, "stage", "install|final",
	  "the guide's stage: install (vGPU display off, QXL) or final (default)",
	  GH_COMP_WORDS, "install final" },
	{ OPT_LG, "looking-glass", "[WxH]", "Looking Glass's IVSHMEM memory, a /dev/shm file",
	  GH_COMP_NONE, NULL },
	{ OPT_LG_KVMFR, "looking-glass-kvmfr", "[WxH]", "Looking Glass's IVSHMEM memory from /dev/kvmfr0",
	  GH_COMP_NONE, NULL },
	{ OPT_EVDEV, "evdev", "[KBD[,MOUSE]]",
	  "pass the keyboard and mouse by evdev (default: picked from /dev/input/by-id)",
	  GH_COMP_NONE, NULL },
	{ OPT_GRAB_TOGGLE, "grab-toggle", "KEYS", "with --evdev: the keys that switch the grab",
	  GH_COMP_NONE, NULL },
	GH_OPT_END
};

const struct gh_cmd_spec gh_spec_vm = {
	.name = "vm",
	.summary = "write the libvirt domain (or QEMU command line) for passthrough",
	.synopsis =
		"[--name N] [--from domain.xml] [--format libvirt|qemu]\n"
		"             [-o FILE] [--profile NAME] [--root DIR] [--gpu BDF]\n"
		"             [--gvt | --no-gvt] [--mdev UUID] [--gvt-rom FILE|none]\n"
		"             [--resolution WxH] [--with-audio] [--no-dgpu]\n"
		"             [--acpi-table FILE]... [--rom VBIOS.rom] [--libvirt VERSION]\n"
		"             [--memory MIB] [--vcpus N] [--subsystem VVVV:DDDD]\n"
		"             [--hide-hypervisor] [--accel kvm|tcg] [--headless]\n"
		"             [--kernel FILE [--initrd FILE] [--append CMDLINE]]\n"
		"             [--iso FILE] [--virtio-win FILE] [--disk PATH[,SIZE]]\n"
		"             [--dry-run] [--connect URI] [--define | --start]\n"
		"             [--stage install|final] [--looking-glass[=WxH]]\n"
		"             [--looking-glass-kvmfr[=WxH]] [--evdev[=KBD[,MOUSE]]]\n"
		"             [--grab-toggle KEYS]\n"
		"--probe [--connect URI] [--json]",
	.more = vm_help_more,
	.opts = vm_opts,
	.run = cmd_vm,
};

static void version_str(char *buf, size_t len, unsigned long v)
{
	snprintf(buf, len, "%lu.%lu.%lu", v / 1000000, v / 1000 % 1000, v % 1000);
}

/* vm --probe: what was read from libvirt, as text or JSON */
static int print_probe(const struct gh_libvirt_host *h, bool json)
{
	struct gh_out o;
	char buf[32];
	unsigned int i;

	gh_out_init(&o, stdout, json);
	gh_out_open_obj(&o, NULL);
	gh_out_str(&o, "uri", "libvirt at %s:\n", h->uri);
	version_str(buf, sizeof(buf), h->lib_version);
	gh_out_str(&o, "libvirt", "  libvirt %s\n", buf);
	version_str(buf, sizeof(buf), h->hv_version);
	gh_out_str(&o, "hypervisor", "  hypervisor %s\n", buf);
	gh_out_str(&o, "properties", "  QEMU properties as %s\n",
		   h->lib_version >= GH_LIBVIRT_OVERRIDE ? "override" :
		   gh_libvirt_json_cap(h->lib_version) ? "set+capability-del" : "set");
	gh_out_bool(&o, "domcaps", "  domain capabilities: %s\n", h->have_domcaps);
	if (h->have_domcaps) {
		gh_out_str(&o, "machine", "  machine %s\n", h->machine);
		gh_out_bool(&o, "efi", "  firmware='efi': %s\n", h->efi);
		gh_out_bool(&o, "secure_boot", "  OVMF with Secure Boot: %s\n", h->secure_boot);
		gh_out_bool(&o, "insecure", "  OVMF without Secure Boot: %s\n", h->insecure);
		gh_out_bool(&o, "hostdev_pci", "  PCI passthrough (hostdev pci): %s\n",
			    h->hostdev_pci);
		gh_out_open_arr(&o, "loaders");
		for (i = 0; i < h->nr_loaders; i++)
			gh_out_str(&o, NULL, "  loader %s\n", h->loaders[i]);
		gh_out_close_arr(&o);
	} else {
		gh_out_str(&o, "domcaps_why", "  (%s)\n", h->domcaps_why);
	}
	gh_out_close_obj(&o);
	gh_out_end(&o);
	return fflush(stdout) ? GH_EXIT_ERROR : GH_EXIT_OK;
}

/*
 * The host's libvirt, unless the target is given (--libvirt) or is not
 * this machine (--profile) and no --connect asks for it: a read-only
 * connection. No daemon is not an error while writing a file: the
 * default target is assumed, and said.
 */
static int host_libvirt(struct gh_vm_opts *o, const struct vm_args *va,
			struct gh_libvirt_host *h)
{
	const char *uri = va->uri ? va->uri : GH_LIBVIRT_URI_DEFAULT;
	char why[512];
	int err;

	if (!va->uri && !va->probe && !va->define && (o->libvirt || gh_profile_name()))
		return 0;
	err = gh_libvirt_probe(uri, o->tcg, h, why, sizeof(why));
	if (!err) {
		o->host = h;
		return 0;
	}
	if (va->uri || va->probe || va->define) {
		fprintf(stderr, "gpuhelper vm: %s\n", why);
		return err;
	}
	fprintf(stderr, "gpuhelper vm: note: %s; writing for libvirt %u.%u\n", why,
		GH_LIBVIRT_DEFAULT / 1000000, GH_LIBVIRT_DEFAULT / 1000 % 1000);
	return 0;
}

static int parse_args(int argc, char **argv, struct gh_vm_opts *o, struct vm_args *va)
{
	int c;

	struct gh_optparse op;

	gh_opt_start(&op, &gh_spec_vm, argc, argv);
	while ((c = gh_opt_next(&op)) != GH_OPT_DONE) {
		const char *val = op.val;

		switch (c) {
		case GH_OPT_HELP:
			return 1;
		case GH_OPT_BAD:
			gh_opt_fail(&op);
			return -EINVAL;
		case 'o': va->out = val; break;
		case OPT_NAME: o->name = val; break;
		case OPT_FROM: va->from = val; break;
		case OPT_FORMAT:
			va->format = val;
			if (strcmp(val, "libvirt") && strcmp(val, "qemu")) {
				fprintf(stderr, "gpuhelper vm: --format %s: libvirt or qemu\n", val);
				return -EINVAL;
			}
			break;
		case OPT_PROFILE:
			if (gh_profile_use(val))
				return -EINVAL;
			break;
		case OPT_ROOT: gh_root_set(val); break;
		case OPT_GPU: o->dgpu = val; break;
		case OPT_GVT: o->gvt = 1; break;
		case OPT_NO_GVT: o->gvt = 0; break;
		case OPT_MDEV: o->mdev_uuid = val; break;
		case OPT_GVT_ROM: o->gvt_rom = strcmp(val, "none") ? val : ""; break;
		case OPT_RESOLUTION:
			if (sscanf(val, "%ux%u", &o->xres, &o->yres) != 2 || !o->xres || !o->yres) {
				fprintf(stderr, "gpuhelper vm: --resolution %s: expected WxH, e.g. 1920x1080\n", val);
				return -EINVAL;
			}
			break;
		case OPT_WITH_AUDIO: o->with_audio = true; break;
		case OPT_NO_DGPU: o->no_dgpu = true; break;
		case OPT_ACPI_TABLE:
			if (o->nr_tables == GH_VM_TABLES_MAX) {
				fprintf(stderr, "gpuhelper vm: more than %d --acpi-table\n",
					GH_VM_TABLES_MAX);
				return -EINVAL;
			}
			o->tables[o->nr_tables++] = val;
			break;
		case OPT_LIBVIRT:
			if (gh_libvirt_parse(val, &o->libvirt)) {
				fprintf(stderr, "gpuhelper vm: --libvirt %s: expected a version such as 9.0 or 8.1.0\n", val);
				return -EINVAL;
			}
			break;
		case OPT_SUBSYSTEM: {
			unsigned int sv, sd;
			char end;

			if (sscanf(val, "%4x:%4x%c", &sv, &sd, &end) != 2) {
				fprintf(stderr, "gpuhelper vm: --subsystem %s: expected VVVV:DDDD in hex, "
					"e.g. 17aa:39d1 (SUBSYS_39D117AA in Windows' hardware ID)\n", val);
				return -EINVAL;
			}
			o->subsystem = true;
			o->subvendor = sv;
			o->subdevice = sd;
			break;
		}
		case OPT_HIDE_HYPERVISOR: o->hide_hypervisor = true; break;
		case OPT_ACCEL:
			if (strcmp(val, "kvm") && strcmp(val, "tcg")) {
				fprintf(stderr, "gpuhelper vm: --accel %s: kvm or tcg\n", val);
				return -EINVAL;
			}
			o->tcg = !strcmp(val, "tcg");
			break;
		case OPT_HEADLESS: o->headless = true; break;
		case OPT_KERNEL: o->kernel = val; break;
		case OPT_INITRD: o->initrd = val; break;
		case OPT_APPEND: o->append = val; break;
		case OPT_MEMORY:
			if (parse_uint("--memory", val, &o->memory_mib))
				return -EINVAL;
			break;
		case OPT_VCPUS:
			if (parse_uint("--vcpus", val, &o->vcpus))
				return -EINVAL;
			break;
		case OPT_CONNECT: va->uri = val; break;
		case OPT_PROBE: va->probe = true; break;
		case OPT_JSON: va->json = true; break;
		case OPT_DEFINE: va->define = true; break;
		case OPT_START: va->define = va->start = true; break;
		case OPT_ROM: va->rom = val; break;
		case OPT_STAGE:
			o->display.stage = gh_display_parse_stage(val);
			if (o->display.stage < 0) {
				fprintf(stderr, "gpuhelper vm: --stage %s: install or final\n", val);
				return -EINVAL;
			}
			break;
		case OPT_LG:
		case OPT_LG_KVMFR:
			o->display.looking_glass = true;
			o->display.kvmfr = c == OPT_LG_KVMFR;
			if (val && gh_display_parse_res(val, &o->display.lg_xres,
							&o->display.lg_yres)) {
				fprintf(stderr, "gpuhelper vm: --%s=%s: expected WxH, e.g. 1920x1080\n",
					c == OPT_LG ? "looking-glass" : "looking-glass-kvmfr", val);
				return -EINVAL;
			}
			break;
		case OPT_EVDEV:
			o->display.evdev = true;
			o->display.evdev_devs = val;
			break;
		case OPT_GRAB_TOGGLE: o->display.grab_toggle = val; break;
		case OPT_ISO:
		case OPT_VIRTIO_WIN:
			if (val[0] != '/') {
				fprintf(stderr, "gpuhelper vm: %s %s: give the absolute path "
					"(libvirt resolves none)\n", c == OPT_ISO ? "--iso" : "--virtio-win", val);
				return -EINVAL;
			}
			*(c == OPT_ISO ? &o->iso : &o->virtio_win) = val;
			break;
		case OPT_DISK:
			if (gh_disk_spec_parse(val, va->disk, sizeof(va->disk), &o->disk_bytes)) {
				fprintf(stderr, "gpuhelper vm: --disk %s: expected /ABSOLUTE/PATH.qcow2,SIZE "
					"with SIZE such as 64G (at least 1M), or the path of an existing "
					"qcow2 image\n", val);
				return -EINVAL;
			}
			o->disk = va->disk;
			break;
		case OPT_DRY_RUN: va->dry_run = true; break;
		}
	}
	if (va->rom && o->nr_tables) {
		fprintf(stderr, "gpuhelper vm: --rom writes the default SSDTs, --acpi-table "
			"names others: pass one of them\n");
		return -EINVAL;
	}
	if (op.ind < argc) {
		gh_opt_usage_error(&gh_spec_vm, "unknown argument '%s'", argv[op.ind]);
		return -EINVAL;
	}
	return 0;
}

int cmd_vm(int argc, char **argv)
{
	struct gh_vm_opts o = { .gvt = -1, .display.stage = -1 };
	struct vm_args va = { .format = "libvirt" };
	const char *from, *format, *out;
	struct gh_libvirt_host host;
	struct gh_cpu_topo cpus;
	struct gh_from_in fin = { 0 };
	char why[512];
	struct gh_vm_plan p;
	struct gh_topology t;
	struct gh_pci snap;
	xmlDocPtr doc = NULL;
	char *text;
	size_t len;
	int err, rc = GH_EXIT_OK;

	err = parse_args(argc, argv, &o, &va);
	if (err)
		return err > 0 ? GH_EXIT_OK : GH_EXIT_USAGE;
	from = va.from;
	format = va.format;
	out = va.out;
	if (va.define && strcmp(format, "libvirt")) {
		fprintf(stderr, "gpuhelper vm: --define and --start take a libvirt domain: "
			"drop --format qemu\n");
		return GH_EXIT_USAGE;
	}
	if (va.define && gh_profile_name()) {
		fprintf(stderr, "gpuhelper vm: --profile describes another machine: "
			"write the domain with -o FILE and define it there\n");
		return GH_EXIT_USAGE;
	}
	if (va.define && o.libvirt) {
		fprintf(stderr, "gpuhelper vm: --define reads the version from libvirt itself: "
			"drop --libvirt\n");
		return GH_EXIT_USAGE;
	}
	err = host_libvirt(&o, &va, &host);
	if (err)
		return GH_EXIT_ERROR;
	if (!gh_profile_name())
		o.host_memory_mib = gh_host_memory_mib();
	if (!gh_cpu_topology(&cpus)) {
		o.host_cores = cpus.cores;
		o.host_threads = cpus.threads;
	}
	if (va.probe)
		return print_probe(&host, va.json);
	if ((o.initrd || o.append) && !o.kernel) {
		fprintf(stderr, "gpuhelper vm: --initrd and --append go with --kernel\n");
		return GH_EXIT_USAGE;
	}
	if (from && !strcmp(format, "qemu")) {
		fprintf(stderr, "gpuhelper vm: --from works on libvirt domains only: "
			"drop --format qemu, or define the result and use virsh domxml-to-native\n");
		return GH_EXIT_USAGE;
	}

	err = gh_pci_scan(&snap);
	if (err) {
		fprintf(stderr, "gpuhelper: cannot read PCI devices: %s\n", snap.error);
		gh_pci_free(&snap);
		return GH_EXIT_ERROR;
	}
	if (gh_topology_build(&t, &snap, o.dgpu)) {
		fprintf(stderr, "gpuhelper vm: --gpu %s: no such PCI function (see gpuhelper detect)\n",
			o.dgpu);
		gh_pci_free(&snap);
		return GH_EXIT_USAGE;
	}
	if (o.dgpu && !gh_pci_is_gpu(t.dgpu->dev))
		fprintf(stderr, "gpuhelper vm: warning: %s is not a display controller "
			"(class %06x); passing it through as you asked\n", o.dgpu,
			t.dgpu->dev->class);
	err = gh_vm_plan_make(&p, &o, &t, why, sizeof(why));
	if (err) {
		fprintf(stderr, "gpuhelper vm: %s\n", why);
		gh_pci_free(&snap);
		return err == -EINVAL ? GH_EXIT_USAGE : GH_EXIT_ERROR;
	}
	if (from) {
		doc = gh_domain_read(from, why, sizeof(why));
		if (!doc) {
			fprintf(stderr, "gpuhelper vm: %s\n", why);
			gh_pci_free(&snap);
			return GH_EXIT_USAGE;
		}
		if (!o.name) {
			/* keep the user's name, also in the nvram path */
			xmlChar *n = xmlNodeGetContent(gh_xml_child(xmlDocGetRootElement(doc),
								    "name"));

			if (n)
				snprintf(p.name, sizeof(p.name), "%s", (const char *)n);
			xmlFree(n);
		} else {
			xmlNodeSetContent(gh_xml_child(xmlDocGetRootElement(doc), "name"),
					  (const xmlChar *)p.name);
		}
		fin.user_mdev = o.mdev_uuid != NULL;
		fin.host_mdev = t.igpu ? t.igpu->dev->mdev_uuid : "";
		fin.user_tables = o.nr_tables || va.rom;
		fin.host = o.host;
		gh_from_adopt(doc, &p, &fin, stderr);
	}
	/*
	 * Never a domain with the vBIOS data but no _ROM method (Code 43):
	 * with no vBIOS to build the set from, the domain lists none (lint's
	 * GH011 says so, --start refuses) and the command to run is printed.
	 */
	err = gh_vm_tables_ensure(&p, va.rom, gh_profile_name() != NULL, why, sizeof(why));
	if (err == -ENOENT) {
		fprintf(stderr, "gpuhelper vm: warning: no vBIOS SSDTs in the domain: %s\n", why);
		p.tables_missing = true;
	} else if (err) {
		fprintf(stderr, "gpuhelper vm: %s\n", why);
		gh_pci_free(&snap);
		xmlFreeDoc(doc);
		return err == -EINVAL ? GH_EXIT_FAIL : GH_EXIT_ERROR;
	}

	err = make_disk(&va, &p);
	if (err) {
		gh_pci_free(&snap);
		xmlFreeDoc(doc);
		return err;
	}
	if (va.dry_run) {
		gh_pci_free(&snap);
		xmlFreeDoc(doc);
		return GH_EXIT_OK;
	}

	if (!strcmp(format, "qemu")) {
		char *buf = NULL;
		size_t blen = 0;
		FILE *mf = open_memstream(&buf, &blen);

		if (!mf) {
			gh_pci_free(&snap);
			return GH_EXIT_ERROR;
		}
		gh_qemu_args(mf, &p);
		fclose(mf);
		rc = emit(out, buf, blen) ? GH_EXIT_ERROR : GH_EXIT_OK;
		free(buf);
		gh_qemu_viewer(&p, why, sizeof(why));
		if (rc == GH_EXIT_OK && why[0])
			fprintf(stderr, "gpuhelper vm: the display, once QEMU runs: %s\n", why);
		hints(&p, &t, &o, &snap);
		gh_pci_free(&snap);
		return rc;
	}

	if (!from)
		doc = gh_domain_base(&p);
	if (!doc) {
		fprintf(stderr, "gpuhelper vm: out of memory\n");
		gh_pci_free(&snap);
		return GH_EXIT_ERROR;
	}
	if (from)
		gh_from_firmware(doc, &p, &fin, stderr);
	gh_domain_apply(doc, &p);
	if (gh_domain_format(doc, &text, &len)) {
		rc = GH_EXIT_ERROR;
	} else {
		/* with --define the file is written only when -o asks for it */
		if (!va.define || out)
			rc = emit(out, text, len) ? GH_EXIT_ERROR : GH_EXIT_OK;
		if (rc == GH_EXIT_OK && va.define)
			rc = define(&va, &p, text, from != NULL);
		xmlFree(text);
	}
	xmlFreeDoc(doc);
	if (rc == GH_EXIT_OK)
		record_for_hook(&p, out, va.define);
	hints(&p, &t, &o, &snap);
	gh_pci_free(&snap);
	return rc;
}
