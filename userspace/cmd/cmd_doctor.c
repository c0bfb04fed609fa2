// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_doctor.c - gpuhelper doctor [--json] [--root DIR] [--profile NAME] [--image FILE]:
 * every prerequisite of the guide, one pass/fail line each with the
 * exact fix. Reads only files (under the root): /proc/cmdline,
 * /sys/module, /sys/bus/pci, /etc, /usr/share/OVMF.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci/arch.h"
#include "host/initramfs_check.h"
#include "lib/atomicwrite.h"
#include "commands.h"
#include "pci/pcisnap.h"
#include "lib/opts.h"
#include "lib/print.h"
#include "pci/profile.h"
#include "lib/root.h"
#include "host/doctor_checks.h"

enum verdict { PASS, FAIL, SKIP };

struct doctor {
	struct gh_out o;
	struct gh_pci snap;
	struct gh_topology t;
	char cmdline[4096];
	unsigned int kver;
	bool gvt;		/* the iGPU does GVT-g */
	bool amd;
	unsigned int failed;
	char release[128];	/* the running kernel's */
	const char *image;	/* --image, else the running kernel's */
};

static void report(struct doctor *d, const char *id, enum verdict v, const char *fix,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(struct doctor *d, const char *id, enum verdict v, const char *fix,
		   const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (v == FAIL)
		d->failed++;
	gh_out_open_obj(&d->o, NULL);
	gh_out_str(&d->o, "status", "%-4s ", v == PASS ? "ok" : v == FAIL ? "FAIL" : "skip");
	gh_out_str(&d->o, "check", "%-18s ", id);
	gh_out_str(&d->o, "detail", "%s\n", what);
	if (v == FAIL)
		gh_out_str(&d->o, "fix", "     fix: %s\n", fix);
	gh_out_close_obj(&d->o);
}

static bool has_param(const struct doctor *d, const char *p)
{
	size_t l = strlen(p);
	const char *s = d->cmdline;

	while ((s = strstr(s, p))) {
		if ((s == d->cmdline || s[-1] == ' ') && (s[l] == ' ' || !s[l]))
			return true;
		s += l;
	}
	return false;
}

static bool module_loaded(const char *m)
{
	char abs[128];

	snprintf(abs, sizeof(abs), "/sys/module/%s", m);
	return gh_exists(abs);
}

static bool param_yes(const char *abs)
{
	char v[16];

	return !gh_read_line(abs, v, sizeof(v)) && (v[0] == 'Y' || v[0] == '1');
}

static void check_iommu(struct doctor *d)
{
	const char *want = d->amd ? "amd_iommu=on" : "intel_iommu=on";

	if (d->t.iommu)
		report(d, "iommu", PASS, NULL, "IOMMU groups exist%s",
		       has_param(d, want) ? ", " : "");
	else
		report(d, "iommu", FAIL, d->amd ?
		       "enable AMD-Vi/IOMMU in the firmware setup and add amd_iommu=on to the kernel command line (gpuhelper host-config)" :
		       "enable VT-d in the firmware setup and add intel_iommu=on to the kernel command line (gpuhelper host-config)",
		       "no IOMMU groups: the IOMMU is off (%s not on the command line)", want);
}

static void check_gvt_param(struct doctor *d)
{
	if (!d->gvt) {
		report(d, "i915.enable_gvt", SKIP, NULL, "no GVT-g capable iGPU");
		return;
	}
	if (has_param(d, "i915.enable_gvt=1") ||
	    param_yes("/sys/module/i915/parameters/enable_gvt"))
		report(d, "i915.enable_gvt", PASS, NULL, "GVT-g is enabled in i915");
	else
		report(d, "i915.enable_gvt", FAIL,
		       "add i915.enable_gvt=1 to the kernel command line (gpuhelper host-config) and reboot",
		       "i915.enable_gvt=1 is not set: the iGPU offers no mdev types");
}

static void check_msrs(struct doctor *d)
{
	if (has_param(d, "kvm.ignore_msrs=1") ||
	    param_yes("/sys/module/kvm/parameters/ignore_msrs"))
		report(d, "kvm.ignore_msrs", PASS, NULL, "KVM ignores unknown MSRs");
	else
		report(d, "kvm.ignore_msrs", FAIL,
		       "add kvm.ignore_msrs=1 to the kernel command line (gpuhelper host-config), or now: echo 1 > /sys/module/kvm/parameters/ignore_msrs",
		       "kvm.ignore_msrs is off: Windows guests crash on MSRs KVM does not know");
}

static void check_modules(struct doctor *d)
{
	static const char *const gvt_mods[] = { "kvmgt", "vfio_iommu_type1", "mdev" };
	static const char *const mods[] = { "vfio_iommu_type1" };
	const char *const *m = d->gvt ? gvt_mods : mods;
	size_t n = d->gvt ? 3 : 1, i;
	char fix[256];

	for (i = 0; i < n; i++) {
		snprintf(fix, sizeof(fix), "modprobe %s now; gpuhelper host-config lists it in "
			 "/etc/modules-load.d/gpuhelper.conf for every boot", m[i]);
		if (module_loaded(m[i]))
			report(d, m[i], PASS, NULL, "module %s is loaded", m[i]);
		else
			report(d, m[i], FAIL, fix, "module %s is not loaded", m[i]);
	}
}

static void check_gpuhelper(struct doctor *d)
{
	const struct gh_pci_dev *g = d->t.dgpu ? d->t.dgpu->dev : NULL;

	if (module_loaded("gpuhelper"))
		report(d, "gpuhelper", PASS, NULL, "the gpuhelper module is loaded");
	else
		report(d, "gpuhelper", FAIL,
		       "install it (make install-dkms && dkms install gpuhelper/VERSION, or the gpuhelper-dkms package), run gpuhelper host-config, rebuild the initramfs and reboot",
		       "the gpuhelper module is not loaded");
	if (!g) {
		report(d, "dgpu-held", SKIP, NULL, "no discrete GPU");
		return;
	}
	if (!strcmp(g->driver, "gpuhelper") || !strcmp(g->driver, "vfio-pci"))
		report(d, "dgpu-held", PASS, NULL, "%s is held by %s", g->bdf, g->driver);
	else
		report(d, "dgpu-held", FAIL,
		       "gpuhelper host-config (options gpuhelper ids=..., softdeps before nouveau/nvidia), rebuild the initramfs, reboot",
		       "%s is bound to %s, not to gpuhelper or vfio-pci: the host would keep it",
		       g->bdf, g->driver[0] ? g->driver : "no driver");
}

static void check_group(struct doctor *d)
{
	const struct gh_pci_dev *peers[32];
	const struct gh_pci_dev *g = d->t.dgpu ? d->t.dgpu->dev : NULL;
	unsigned int n, i;
	char fix[256];

	if (!g || g->iommu_group < 0) {
		report(d, "iommu-group", SKIP, NULL, g ? "no IOMMU groups" : "no discrete GPU");
		return;
	}
	n = gh_group_peers(&d->snap, g, peers, 32);
	for (i = 0; i < n && i < 32; i++) {
		if (!gh_peer_blocks(peers[i]))
			continue;
		snprintf(fix, sizeof(fix), "hand %s off too (gpuhelper host-config holds a "
			 "dGPU's audio function), or pass --with-audio to gpuhelper vm", peers[i]->bdf);
		report(d, "iommu-group", FAIL, fix, "%s is in IOMMU group %d with %s (%s)",
		       g->bdf, g->iommu_group, peers[i]->bdf, peers[i]->driver);
		return;
	}
	report(d, "iommu-group", PASS, NULL, "IOMMU group %d of %s is viable (%u other device%s, "
	       "bridges or held)", g->iommu_group, g->bdf, n, n == 1 ? "" : "s");
}

static void check_igpu_generation(struct doctor *d)
{
	const struct gh_pci_dev *ig = d->t.igpu ? d->t.igpu->dev : NULL;

	switch (gh_igpu_virt(ig)) {
	case GH_VIRT_GVTG:
		report(d, "igpu-gvt-g", PASS, NULL, "%s is Intel Gen %d%s: GVT-g works", ig->bdf,
		       gh_intel_gen(ig->device) / 10, gh_intel_gen(ig->device) % 10 ? ".5" : "");
		break;
	case GH_VIRT_SRIOV:
		report(d, "igpu-gvt-g", FAIL,
		       "share the iGPU by SR-IOV instead (i915 SR-IOV, e.g. the i915-sriov-dkms module: echo 1 > /sys/bus/pci/devices/BDF/sriov_numvfs, then pass the VF), or gpuhelper vm --no-gvt",
		       "%s is Intel Gen 12 or newer: no GVT-g, these iGPUs share by SR-IOV", ig->bdf);
		break;
	case GH_VIRT_NEITHER:
		report(d, "igpu-gvt-g", FAIL, "use an emulated display: gpuhelper vm --no-gvt",
		       "%s can share neither by GVT-g nor by SR-IOV (Intel Gen 11 or AMD)", ig->bdf);
		break;
	case GH_VIRT_NONE:
		report(d, "igpu-gvt-g", SKIP, NULL, "no known Intel iGPU");
		break;
	}
}

static void check_ovmf(struct doctor *d)
{
	static const char *const paths[] = {
		"/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_CODE.fd",
		"/usr/share/edk2/x64/OVMF_CODE.4m.fd", "/usr/share/edk2/ovmf/OVMF_CODE.fd",
	};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (gh_exists(paths[i])) {
			report(d, "ovmf", PASS, NULL, "UEFI firmware %s", paths[i]);
			return;
		}
	report(d, "ovmf", FAIL, "install OVMF: apt install ovmf, pacman -S edk2-ovmf or dnf install edk2-ovmf",
	       "no OVMF (UEFI for guests) found");
}

static void check_libvirt(struct doctor *d)
{
	if (gh_exists("/usr/bin/virsh") &&
	    (gh_exists("/usr/sbin/libvirtd") || gh_exists("/usr/sbin/virtqemud") ||
	     gh_exists("/usr/lib/libvirt/connection-driver/libvirt_driver_qemu.so") ||
	     gh_exists("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so")))
		report(d, "libvirt", PASS, NULL, "libvirt with its QEMU driver is installed");
	else
		report(d, "libvirt", FAIL, "apt install libvirt-daemon-system (pacman -S libvirt qemu-desktop)",
		       "libvirt (virsh and the QEMU driver) is not installed");
}

/* A module name the running kernel no longer has breaks the initramfs. */
static void check_initramfs_names(struct doctor *d)
{
	static const char *const files[] = {
		"/etc/mkinitcpio.conf", "/etc/initramfs-tools/modules",
		"/etc/modules-load.d/gpuhelper.conf", "/etc/dracut.conf.d/gpuhelper.conf",
	};
	char path[GH_PATH_MAX], *text;
	size_t i, len;

	if (!d->kver) {
		report(d, "module-names", SKIP, NULL, "running kernel unknown");
		return;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (gh_path(path, sizeof(path), files[i]) || gh_load_file(path, &text, &len))
			continue;
		if (d->kver >= 6002 && strstr(text, "vfio_virqfd")) {
			free(text);
			report(d, "module-names", FAIL,
			       "remove vfio_virqfd from that file (gpuhelper host-config does) and rebuild the initramfs",
			       "%s names vfio_virqfd, folded into vfio in Linux 6.2 (running %u.%u)",
			       files[i], d->kver / 1000, d->kver % 1000);
			return;
		}
		if (d->kver >= 5016 && (strstr(text, "vfio-mdev") || strstr(text, "vfio_mdev"))) {
			free(text);
			report(d, "module-names", FAIL, "write mdev instead of vfio-mdev (gpuhelper host-config does)",
			       "%s names vfio-mdev, merged into mdev in Linux 5.16 (running %u.%u)",
			       files[i], d->kver / 1000, d->kver % 1000);
			return;
		}
		free(text);
	}
	report(d, "module-names", PASS, NULL, "initramfs and modules-load names exist in Linux %u.%u",
	       d->kver / 1000, d->kver % 1000);
}

/* The built image holds the module, its options and the claim rule. */
static void check_initramfs_image(struct doctor *d)
{
	static const char *const rebuild[] = {
		[GH_INITRAMFS_NONE] = "rebuild the initramfs",
		[GH_MKINITCPIO] = "mkinitcpio -P",
		[GH_DRACUT] = "dracut --force --kver RELEASE",
		[GH_INITRAMFS_TOOLS] = "update-initramfs -u -k RELEASE",
	};
	enum gh_initramfs gen = gh_detect_initramfs();
	struct gh_image_check *r = calloc(1, sizeof(*r));
	char image[GH_PATH_MAX], fix[256], *rel;

	if (!r)
		abort();
	snprintf(fix, sizeof(fix), "%s", rebuild[gen]);
	rel = strstr(fix, "RELEASE");
	if (rel && d->release[0])
		snprintf(rel, sizeof(fix) - (size_t)(rel - fix), "%s", d->release);
	else if (rel)
		snprintf(rel, sizeof(fix) - (size_t)(rel - fix), "$(uname -r)");
	if (d->image) {
		snprintf(image, sizeof(image), "%s", d->image);
	} else if (!d->release[0] || gh_image_find(d->release, gen, image, sizeof(image))) {
		report(d, "initramfs-image", SKIP, NULL, "no initramfs image of the running kernel %s "
		       "under /boot (give one with --image)", d->release[0] ? d->release : "(unknown)");
		goto out;
	}
	if (gh_image_check(image, gen, r)) {
		report(d, "initramfs-image", SKIP, NULL, "%s", r->error);
		goto out;
	}
	if (!r->module)
		report(d, "initramfs-image", FAIL, gen == GH_INITRAMFS_NONE ?
		       "gpuhelper host-config --initramfs TOOL, then rebuild the initramfs" : fix,
		       "%s (%s) has no gpuhelper.ko: nothing claims the dGPU before its drivers",
		       image, r->tool);
	else if (r->conf_have < r->conf_want)
		report(d, "initramfs-image", FAIL, fix, "%s (%s) lacks %s: gpuhelper loads there "
		       "without its options (ids=, mdevs=)", image, r->tool, r->conf_missing);
	else if (!r->conf_want)
		report(d, "initramfs-image", FAIL, "gpuhelper host-config, then rebuild the initramfs",
		       "no /etc/modprobe.d/gpuhelper*.conf: gpuhelper has no ids= to claim with");
	else if (r->rule_want && !r->rule)
		report(d, "initramfs-image", FAIL, fix, "%s (%s) lacks the claim rule "
		       "60-gpuhelper-claim.rules: a driver loaded by udev coldplug may take the "
		       "dGPU first", image, r->tool);
	else if (!r->rule_want)
		report(d, "initramfs-image", FAIL, "gpuhelper host-config writes it; then rebuild the initramfs",
		       "no claim rule /etc/udev/rules.d/60-gpuhelper-claim.rules: the claim "
		       "depends on driver names and load order");
	else
		report(d, "initramfs-image", PASS, NULL, "%s (%s) holds gpuhelper.ko, %u option "
		       "file%s and the claim rule", image, r->tool, r->conf_have,
		       r->conf_have == 1 ? "" : "s");
out:
	free(r);
}

enum { OPT_ROOT = GH_OPT_LONG, OPT_PROFILE, OPT_IMAGE };

static const struct gh_opt doctor_opts[] = {
	{ 'j', "json", NULL, "one JSON object", GH_COMP_NONE, NULL },
	{ OPT_ROOT, "root", "DIR", "read the files under DIR", GH_COMP_DIR, NULL },
	{ OPT_PROFILE, "profile", "NAME", "the PCI devices of a shipped profile",
	  GH_COMP_WORDS, "r720" },
	{ OPT_IMAGE, "image", "FILE", "the initramfs image to check (default: the running kernel's)",
	  GH_COMP_FILE, NULL },
	GH_OPT_END
};

const struct gh_cmd_spec gh_spec_doctor = {
	.name = "doctor",
	.summary = "check every prerequisite, with the fix for each",
	.synopsis = "[--json] [--root DIR] [--profile NAME] [--image FILE]",
	.opts = doctor_opts,
	.run = cmd_doctor,
};

/* doctor_checks.c's results, as this file's */
static void emit_check(void *ctx, const struct gh_check *c)
{
	report(ctx, c->id, c->v == GH_CHECK_PASS ? PASS : c->v == GH_CHECK_FAIL ? FAIL : SKIP,
	       c->fix, "%s", c->detail);
}

int cmd_doctor(int argc, char **argv)
{
	struct gh_optparse p;
	struct doctor d = { 0 };
	char osrel[128] = "", path[GH_PATH_MAX], *text;
	bool json = false;
	size_t len;
	int c, err;

	gh_opt_start(&p, &gh_spec_doctor, argc, argv);
	while ((c = gh_opt_next(&p)) != GH_OPT_DONE) {
		switch (c) {
		case 'j': json = true; break;
		case OPT_ROOT: gh_root_set(p.val); break;
		case OPT_IMAGE: d.image = p.val; break;
		case OPT_PROFILE:
			if (gh_profile_use(p.val))
				return GH_EXIT_USAGE;
			break;
		case GH_OPT_HELP: return GH_EXIT_OK;
		default: return gh_opt_fail(&p);
		}
	}
	if (p.ind < argc)
		return gh_opt_usage_error(&gh_spec_doctor, "unknown argument '%s'", argv[p.ind]);
	err = gh_pci_scan(&d.snap);
	if (err) {
		fprintf(stderr, "gpuhelper: cannot read PCI devices: %s\n", d.snap.error);
		gh_pci_free(&d.snap);
		return GH_EXIT_ERROR;
	}
	gh_topology_build(&d.t, &d.snap, NULL);
	d.gvt = d.t.igpu && gh_igpu_virt(d.t.igpu->dev) == GH_VIRT_GVTG;
	gh_read_line("/proc/cmdline", d.cmdline, sizeof(d.cmdline));
	if (!gh_read_line("/proc/sys/kernel/osrelease", osrel, sizeof(osrel))) {
		unsigned int maj, min;

		if (sscanf(osrel, "%u.%u", &maj, &min) == 2)
			d.kver = maj * 1000 + min;
		snprintf(d.release, sizeof(d.release), "%s", osrel);
	}
	if (!gh_path(path, sizeof(path), "/proc/cpuinfo") && !gh_load_file(path, &text, &len)) {
		d.amd = strstr(text, "AuthenticAMD") != NULL;
		free(text);
	}

	gh_out_init(&d.o, stdout, json);
	gh_out_open_obj(&d.o, NULL);
	gh_out_open_arr(&d.o, "checks");
	check_iommu(&d);
	check_gvt_param(&d);
	check_msrs(&d);
	check_modules(&d);
	check_gpuhelper(&d);
	check_group(&d);
	check_igpu_generation(&d);
	check_ovmf(&d);
	check_libvirt(&d);
	check_initramfs_names(&d);
	check_initramfs_image(&d);
	{
		const struct gh_pci_dev *ig = d.t.igpu ? d.t.igpu->dev : NULL;
		struct gh_doctor_in in = {
			.gvt = d.gvt, .dgpu = d.t.dgpu != NULL, .kver_release = osrel,
			.mdev_uuid = ig ? ig->mdev_uuid : "", .igpu_bdf = ig ? ig->bdf : "",
		};

		gh_doctor_vm_checks(&in, emit_check, &d);
	}
	gh_out_close_arr(&d.o);
	gh_out_int(&d.o, "failed", "%ld check(s) failed\n", d.failed);
	gh_out_close_obj(&d.o);
	gh_out_end(&d.o);
	gh_pci_free(&d.snap);
	return d.failed ? GH_EXIT_FAIL : GH_EXIT_OK;
}
