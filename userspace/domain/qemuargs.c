// SPDX-License-Identifier: GPL-2.0
/*
 * qemuargs.c - gpuhelper vm --format qemu: the same guest as the libvirt
 * domain, as a POSIX sh script that execs QEMU. Arguments given to the
 * script are passed on to QEMU after the generated ones ("$@"), so a user
 * can add -snapshot or a serial port without editing it.
 */
#include <stdio.h>
#include <string.h>

#include "domain/qemuargs.h"

/* Single-quote for sh: ' becomes '\'' */
static void quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

static void arg(FILE *f, const char *opt, const char *val)
{
	fprintf(f, " \\\n  %s ", opt);
	quoted(f, val);
}

static void cpu(FILE *f, const struct gh_vm_plan *p)
{
	char buf[256];

	/*
	 * kvm=off hides the KVM signature; hv-vendor-id the Hyper-V one. The
	 * Hyper-V enlightenments are KVM's: under TCG they are left out.
	 */
	snprintf(buf, sizeof(buf), "%s,kvm=off%s%s", p->tcg ? "max" : "host",
		 p->tcg ? "" : ",hv-relaxed,hv-vapic,hv-spinlocks=0x1fff,"
		 "hv-vendor-id=GenuineIntel,hv-time",
		 p->hide_hypervisor ? ",-hypervisor" : "");
	arg(f, "-cpu", buf);
}

/* "file=PATH,..." with commas in PATH doubled, as QEMU's option parser wants */
static void drive(FILE *f, const char *path, const char *rest)
{
	char buf[1024];
	size_t i = 0;

	i += (size_t)snprintf(buf, sizeof(buf), "file=");
	for (; *path && i < sizeof(buf) - 3; path++) {
		buf[i++] = *path;
		if (*path == ',')
			buf[i++] = ',';
	}
	snprintf(buf + i, sizeof(buf) - i, ",%s", rest);
	arg(f, "-drive", buf);
}

/*
 * The system disk (bootindex 1) and the cdroms on the q35's AHCI
 * (ide.0 to ide.5), as libvirt's <target bus='sata'> puts them.
 */
static void media(FILE *f, const struct gh_vm_plan *p)
{
	unsigned int port = 0;
	char buf[256], path[256];

	if (!p->kernel[0] || p->disk[0]) {
		drive(f, gh_plan_disk(p, path, sizeof(path)), "format=qcow2,if=none,id=disk0");
		snprintf(buf, sizeof(buf), "ide-hd,drive=disk0,bus=ide.%u,bootindex=1", port++);
		arg(f, "-device", buf);
	}
	if (p->iso[0]) {
		drive(f, p->iso, "format=raw,if=none,media=cdrom,readonly=on,id=cd0");
		snprintf(buf, sizeof(buf), "ide-cd,drive=cd0,bus=ide.%u,bootindex=2", port++);
		arg(f, "-device", buf);
	}
	if (p->virtio_win[0]) {
		drive(f, p->virtio_win, "format=raw,if=none,media=cdrom,readonly=on,id=cd1");
		snprintf(buf, sizeof(buf), "ide-cd,drive=cd1,bus=ide.%u", port++);
		arg(f, "-device", buf);
	}
}

/*
 * The firmware: OVMF's code read-only, and this VM's own copy of the
 * VARS template (its UEFI variables), made by the script on its first
 * run, as libvirt makes <nvram> from its template.
 */
static void boot(FILE *f, const struct gh_vm_plan *p)
{
	char buf[1024];

	if (p->kernel[0]) {
		arg(f, "-kernel", p->kernel);
		if (p->initrd[0])
			arg(f, "-initrd", p->initrd);
		if (p->append[0])
			arg(f, "-append", p->append);
		return;
	}
	snprintf(buf, sizeof(buf), "if=pflash,format=raw,readonly=on,file=%s", p->loader);
	arg(f, "-drive", buf);
	fputs(" \\\n  -drive \"if=pflash,format=raw,file=$vars\"", f);
}

static void display(FILE *f, const struct gh_vm_plan *p)
{
	char buf[1024];

	if (p->headless) {
		arg(f, "-display", "none");
		arg(f, "-vga", "none");
		arg(f, "-nic", "none");
	} else {
		arg(f, "-nic", "user,model=e1000e");
		arg(f, "-device", "qemu-xhci,id=xhci");
		arg(f, "-device", "usb-tablet,bus=xhci.0");
	}
	if (p->gvt && p->display.stage == GH_STAGE_INSTALL) {
		/* the guide's first stage: the vGPU without its display, QXL */
		if (!p->headless) {
			arg(f, "-vga", "qxl");
			snprintf(buf, sizeof(buf), "unix=on,addr=/run/gpuhelper/%s.spice,"
				 "disable-ticketing=on", p->name);
			arg(f, "-spice", buf);
		}
		snprintf(buf, sizeof(buf), "vfio-pci,id=%s,sysfsdev=/sys/bus/mdev/devices/%s,"
			 "bus=pcie.0,addr=0x%x.0x0,display=off,x-igd-opregion=on%s%s",
			 GH_ALIAS_GVT, p->mdev_uuid, GH_GUEST_IGPU_SLOT,
			 p->gvt_rom[0] ? ",romfile=" : "", p->gvt_rom);
		arg(f, "-device", buf);
	} else if (p->gvt) {
		if (!p->headless) {
			arg(f, "-vga", "none");
			snprintf(buf, sizeof(buf), "unix=on,addr=/run/gpuhelper/%s.spice,"
				 "disable-ticketing=on,gl=on,image-compression=off", p->name);
			arg(f, "-spice", buf);
		}
		snprintf(buf, sizeof(buf), "vfio-pci-nohotplug,id=%s,"
			 "sysfsdev=/sys/bus/mdev/devices/%s,bus=pcie.0,addr=0x%x.0x0,"
			 "display=%s,ramfb=%s,x-igd-opregion=on,xres=%u,yres=%u%s%s",
			 GH_ALIAS_GVT, p->mdev_uuid, GH_GUEST_IGPU_SLOT,
			 p->headless ? "off" : "on", p->headless ? "off" : "on",
			 p->xres, p->yres, p->gvt_rom[0] ? ",romfile=" : "", p->gvt_rom);
		arg(f, "-device", buf);
	} else if (!p->headless) {
		arg(f, "-vga", "qxl");
		arg(f, "-spice", "port=5930,addr=127.0.0.1,disable-ticketing=on");
	}
}

/*
 * The emulated sound card of the libvirt domain's <sound model='ich9'>:
 * ICH9 HDA at 00:1b.0 (a real ICH9's address, away from 00:01.0 and
 * 00:02.0) with a duplex codec, played through SPICE to the viewer.
 * None when headless, as in the domain.
 */
static void sound(FILE *f, const struct gh_vm_plan *p)
{
	if (p->headless)
		return;
	arg(f, "-audiodev", "spice,id=snd0");
	arg(f, "-device", "ich9-intel-hda,id=sound0,bus=pcie.0,addr=0x1b");
	arg(f, "-device", "hda-duplex,bus=sound0.0,audiodev=snd0");
}

/**
 * gh_qemu_viewer() - the command that shows the guest's display
 * @p: the plan
 * @buf: receives the command, "" when headless
 * @len: its size
 */
void gh_qemu_viewer(const struct gh_vm_plan *p, char *buf, size_t len)
{
	if (p->headless)
		snprintf(buf, len, "%s", "");
	else if (p->gvt)	/* GL needs the local socket, no TCP */
		snprintf(buf, len, "remote-viewer spice+unix:///run/gpuhelper/%s.spice", p->name);
	else
		snprintf(buf, len, "remote-viewer spice://127.0.0.1:5930");
}

void gh_qemu_args(FILE *f, const struct gh_vm_plan *p)
{
	char buf[1024];
	unsigned int i;

	fprintf(f, "#!/bin/sh\n"
		"# QEMU command line written by gpuhelper vm --format qemu.\n"
		"# Arguments to this script are passed on to QEMU.\n");
	gh_qemu_viewer(p, buf, sizeof(buf));
	if (buf[0])
		fprintf(f, "# The display: %s\n", buf);
	if (!p->kernel[0]) {
		char disk[256];
		const char *slash = strrchr(gh_plan_disk(p, disk, sizeof(disk)), '/');

		fputs("# This VM's UEFI variables, next to its disk, copied from OVMF's template\n"
		      "# on the first run.\n"
		      "vars=", f);
		snprintf(buf, sizeof(buf), "%.*s/%s_VARS.fd", slash ? (int)(slash - disk) : 0,
			 disk, p->name);
		quoted(f, buf);
		fputs("\n[ -e \"$vars\" ] || cp -- ", f);
		quoted(f, p->nvram_template);
		fputs(" \"$vars\" || exit 1\n", f);
	}
	fputs("exec qemu-system-x86_64", f);
	arg(f, "-name", p->name);
	arg(f, "-machine", p->tcg ? "q35,accel=tcg,vmport=off" : "q35,accel=kvm,vmport=off");
	cpu(f, p);
	snprintf(buf, sizeof(buf), "%u", p->memory_mib);
	arg(f, "-m", buf);
	snprintf(buf, sizeof(buf), "%u,sockets=%u,cores=%u,threads=%u", p->vcpus,
		 p->sockets, p->cores, p->threads);
	arg(f, "-smp", buf);
	arg(f, "-rtc", "base=localtime");
	boot(f, p);
	media(f, p);
	display(f, p);
	if (p->dgpu) {
		snprintf(buf, sizeof(buf), "pcie-root-port,id=ua-gpuhelper-rp1,bus=pcie.0,"
			 "addr=0x%x.0x0,multifunction=on,chassis=1,port=0x10",
			 GH_GUEST_ROOT_PORT_SLOT);
		arg(f, "-device", buf);
		snprintf(buf, sizeof(buf), "vfio-pci,id=%s,host=%s,bus=ua-gpuhelper-rp1,"
			 "addr=0x0.0x0,multifunction=on,rombar=0,x-pci-vendor-id=0x%04x,"
			 "x-pci-device-id=0x%04x,x-pci-sub-vendor-id=0x%04x,"
			 "x-pci-sub-device-id=0x%04x", GH_ALIAS_DGPU, p->dgpu_bdf,
			 p->vendor, p->device, p->subvendor, p->subdevice);
		arg(f, "-device", buf);
		if (p->audio) {
			snprintf(buf, sizeof(buf), "vfio-pci,id=%s,host=%s,bus=ua-gpuhelper-rp1,"
				 "addr=0x0.0x%x", GH_ALIAS_AUDIO, p->audio_bdf, p->audio_func);
			arg(f, "-device", buf);
		}
	}
	sound(f, p);
	for (i = 0; i < p->nr_tables; i++) {
		snprintf(buf, sizeof(buf), "file=%s", p->tables[i]);
		arg(f, "-acpitable", buf);
	}
	/*
	 * Looking Glass and evdev last: QEMU gives a device without addr= the
	 * first free slot when it meets it, which must not be one a later
	 * device names (the root port at 00:01.0, the vGPU at 00:02.0).
	 */
	gh_display_qemu_args(f, &p->display, arg);
	fputs(" \\\n  \"$@\"\n", f);
}
