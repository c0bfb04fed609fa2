// SPDX-License-Identifier: GPL-2.0
/*
 * vmplan.c - decide the guest from the hardware and the options.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/root.h"
#include "domain/vmplan.h"

int gh_libvirt_parse(const char *s, unsigned int *version)
{
	unsigned int maj = 0, min = 0, mic = 0;
	char end;
	int n = sscanf(s, "%u.%u.%u%c", &maj, &min, &mic, &end);

	if (n < 2 || n > 3 || maj > 99 || min > 999 || mic > 999)
		return -EINVAL;
	*version = maj * 1000000U + min * 1000U + mic;
	return 0;
}

bool gh_plan_uses_override(const struct gh_vm_plan *p)
{
	return p->libvirt >= GH_LIBVIRT_OVERRIDE;
}

bool gh_plan_raw_tables(const struct gh_vm_plan *p)
{
	return p->libvirt >= GH_LIBVIRT_ACPI_RAW;
}

/**
 * gh_libvirt_json_cap() - the QEMU capability that makes libvirt write
 * JSON -device
 * @libvirt: the target version
 *
 * Learnt from libvirt's src/qemu/qemu_capabilities.c: 7.9 added
 * "device.json" (set when device_add has QEMU 6.2's 'json-cli' feature);
 * 8.1 ("qemu: capabilities: Re-enable JSON syntax for -device") moved the
 * meaning to "device.json+hotplug" ('json-cli-hotplug', QEMU 7.0) and
 * left "device.json" a name that does nothing. <qemu:del> of a name the
 * version does not know fails the define (qemuDomainDefNamespaceParse-
 * Caps), so the name must match the target.
 *
 * Return: the name to <qemu:del>, NULL before 7.9 (no JSON -device).
 */
const char *gh_libvirt_json_cap(unsigned int libvirt)
{
	if (libvirt < GH_LIBVIRT_JSON_DEVICE)
		return NULL;
	return libvirt < GH_LIBVIRT_JSON_HOTPLUG ? "device.json" : "device.json+hotplug";
}

/*
 * The OVMF the host's libvirt lists without Secure Boot (the NVIDIA
 * driver needs none, and the guide's edk2 patch is not signed), with its
 * VARS file by Debian's and Fedora's naming; keeps pick_ovmf()'s choice
 * when libvirt lists none or its VARS file is not there.
 */
static void host_ovmf(struct gh_vm_plan *p, const struct gh_libvirt_host *h)
{
	const char *code = gh_libvirt_plain_ovmf(h), *at;
	char vars[256];

	if (!code || !(at = strstr(code, "CODE")))
		return;
	snprintf(vars, sizeof(vars), "%.*sVARS%s", (int)(at - code), code, at + 4);
	if (!gh_exists(vars))
		return;
	snprintf(p->loader, sizeof(p->loader), "%s", code);
	snprintf(p->nvram_template, sizeof(p->nvram_template), "%s", vars);
}

/**
 * gh_host_memory_mib() - the guest memory gpuhelper picks for this host
 *
 * Half of MemTotal in /proc/meminfo (under the root), in steps of 512 MiB,
 * at most 16 GiB: the host keeps the other half, and a game guest gains
 * little past 16 GiB.
 *
 * Return: MiB, 0 when /proc/meminfo cannot be read.
 */
unsigned int gh_host_memory_mib(void)
{
	unsigned long long kib = 0, mib;
	char path[GH_PATH_MAX], line[128];
	FILE *f;

	if (gh_path(path, sizeof(path), "/proc/meminfo"))
		return 0;
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kib) == 1)
			break;
	fclose(f);
	mib = kib / 1024 / 2;
	if (mib > GH_VM_MEMORY_MAX)
		mib = GH_VM_MEMORY_MAX;
	if (mib >= 1024)
		mib -= mib % 512;
	return (unsigned int)mib;
}

/*
 * vCPUs from the host's topology: every core but one (the host keeps it),
 * each with the host's threads, as one socket, so Windows (which licenses
 * by socket) uses them all. --vcpus N keeps the host's threads per core
 * when N is a multiple of them. Unknown topology: 4 single-thread cores.
 */
static void plan_cpus(struct gh_vm_plan *p, const struct gh_vm_opts *o)
{
	unsigned int thr = o->host_threads ? o->host_threads : 1;

	p->sockets = 1;
	if (o->vcpus) {
		p->threads = o->vcpus % thr ? 1 : thr;
		p->cores = o->vcpus / p->threads;
	} else if (o->host_cores) {
		p->threads = thr;
		p->cores = o->host_cores > 1 ? o->host_cores - 1 : 1;
	} else {
		p->threads = 1;
		p->cores = 4;
	}
	p->vcpus = p->sockets * p->cores * p->threads;
}

/* The system disk (--disk; "": gh_plan_disk()'s default), the cdroms. */
static void plan_media(struct gh_vm_plan *p, const struct gh_vm_opts *o)
{
	snprintf(p->disk, sizeof(p->disk), "%s", o->disk ? o->disk : "");
	p->disk_bytes = o->disk_bytes;
	snprintf(p->iso, sizeof(p->iso), "%s", o->iso ? o->iso : "");
	snprintf(p->virtio_win, sizeof(p->virtio_win), "%s", o->virtio_win ? o->virtio_win : "");
}

/**
 * gh_plan_disk() - the system disk's image: --disk, else one named after
 * the domain in libvirt's default pool
 * @p: the plan
 * @buf: receives the path
 * @len: its size
 *
 * Return: @buf.
 */
const char *gh_plan_disk(const struct gh_vm_plan *p, char *buf, size_t len)
{
	if (p->disk[0])
		snprintf(buf, len, "%s", p->disk);
	else
		snprintf(buf, len, "/var/lib/libvirt/images/%s.qcow2", p->name);
	return buf;
}

/* First of these OVMF builds present under the root, else Debian's. */
static void pick_ovmf(struct gh_vm_plan *p)
{
	static const char *const pairs[][2] = {
		{ "/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd" },
		{ "/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd" },
		{ "/usr/share/edk2/x64/OVMF_CODE.4m.fd", "/usr/share/edk2/x64/OVMF_VARS.4m.fd" },
		{ "/usr/share/edk2/ovmf/OVMF_CODE.fd", "/usr/share/edk2/ovmf/OVMF_VARS.fd" },
	};
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		if (gh_exists(pairs[i][0])) {
			snprintf(p->loader, sizeof(p->loader), "%s", pairs[i][0]);
			snprintf(p->nvram_template, sizeof(p->nvram_template), "%s",
				 pairs[i][1]);
			return;
		}
	}
	snprintf(p->loader, sizeof(p->loader), "%s", pairs[0][0]);
	snprintf(p->nvram_template, sizeof(p->nvram_template), "%s", pairs[0][1]);
}

static void add_table(struct gh_vm_plan *p, const char *path)
{
	if (p->nr_tables == GH_VM_TABLES_MAX)
		return;
	snprintf(p->tables[p->nr_tables++], sizeof(p->tables[0]), "%s", path);
	if (!gh_exists(path))
		p->tables_missing = true;
}

/*
 * The battery SSDT, then the vBIOS SSDTs gpuhelper acpi vbios wrote: all
 * of them, or none when the set is not complete (no _ROM table, or no
 * buffer table), which vbios_missing records: a guest given the data
 * without the method gets Code 43 (gh_vm_tables_ensure() writes the set).
 */
static void default_tables(struct gh_vm_plan *p)
{
	char pattern[GH_PATH_MAX];
	bool rom = false, first = false;
	size_t i, skip;
	glob_t g;

	add_table(p, GH_VM_BATTERY);
	p->vbios_missing = true;
	if (gh_path(pattern, sizeof(pattern), GH_VM_DATADIR "/ssdt-vbios-*.aml"))
		return;
	skip = strlen(pattern) - strlen(GH_VM_DATADIR "/ssdt-vbios-*.aml");
	if (glob(pattern, 0, NULL, &g))
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		const char *f = g.gl_pathv[i] + skip;

		rom |= !strcmp(f, GH_VM_DATADIR "/ssdt-vbios-rom.aml");
		first |= !strcmp(f, GH_VM_DATADIR "/ssdt-vbios-00.aml");
	}
	p->vbios_missing = !rom || !first;
	for (i = 0; !p->vbios_missing && i < g.gl_pathc; i++)
		add_table(p, g.gl_pathv[i] + skip);
	globfree(&g);
}

static void bdf_split(const char *bdf, unsigned int *d, unsigned int *b,
		      unsigned int *s, unsigned int *f)
{
	sscanf(bdf, "%x:%x:%x.%x", d, b, s, f);
}

/* A stable UUID for the GVT-g instance when the host has none yet. */
static void uuid_from_name(char *buf, size_t len, const char *name)
{
	uint64_t h = 1469598103934665603ULL, h2;
	const char *c;

	for (c = name; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ULL;
	h2 = h * 0x9e3779b97f4a7c15ULL;
	snprintf(buf, len, "%08x-%04x-4%03x-8%03x-%012llx",
		 (unsigned int)(h >> 32), (unsigned int)(h >> 16) & 0xffff,
		 (unsigned int)h & 0xfff, (unsigned int)(h2 >> 52) & 0xfff,
		 (unsigned long long)(h2 & 0xffffffffffffULL));
}

/**
 * gh_vm_plan_make() - resolve the guest
 * @p: filled in
 * @o: the command line
 * @t: the hardware
 * @why: receives the reason on failure
 * @whylen: its size
 *
 * Return: 0, -ENODEV (no dGPU and none wanted away, or the host's libvirt
 * cannot pass PCI devices), -ENOENT (the host's libvirt has no OVMF),
 * -EINVAL (GVT-g asked for on an iGPU without it, a bad display option),
 * or gh_display_plan_make()'s -ENOENT (--evdev found no keyboard).
 */
int gh_vm_plan_make(struct gh_vm_plan *p, const struct gh_vm_opts *o,
		    const struct gh_topology *t, char *why, size_t whylen)
{
	const struct gh_pci_dev *ig = t->igpu ? t->igpu->dev : NULL;
	unsigned int i;
	int err;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", o->name ? o->name : "win10");
	p->memory_mib = o->memory_mib ? o->memory_mib :
			o->host_memory_mib ? o->host_memory_mib : GH_VM_MEMORY_DEFAULT;
	plan_cpus(p, o);
	plan_media(p, o);
	p->libvirt = o->libvirt ? o->libvirt :
		     o->host && o->host->lib_version ? o->host->lib_version : GH_LIBVIRT_DEFAULT;
	pick_ovmf(p);
	if (o->host && o->host->have_domcaps) {
		if (!o->host->efi && !o->host->nr_loaders) {
			snprintf(why, whylen, "libvirt at %s offers no UEFI firmware for q35: "
				 "install OVMF (Debian: apt install ovmf), then try again",
				 o->host->uri);
			return -ENOENT;
		}
		host_ovmf(p, o->host);
	}
	p->tcg = o->tcg;
	p->hide_hypervisor = o->hide_hypervisor;
	p->headless = o->headless;
	if (o->kernel) {
		snprintf(p->kernel, sizeof(p->kernel), "%s", o->kernel);
		snprintf(p->initrd, sizeof(p->initrd), "%s", o->initrd ? o->initrd : "");
		snprintf(p->append, sizeof(p->append), "%s", o->append ? o->append : "");
	}

	if (!o->no_dgpu) {
		const struct gh_gpu *g = t->dgpu;

		if (!g) {
			snprintf(why, whylen, "no discrete GPU found to pass through "
				 "(see gpuhelper detect); pass --no-dgpu for a GVT-g-only guest");
			return -ENODEV;
		}
		if (o->host && o->host->have_domcaps && !o->host->hostdev_pci) {
			snprintf(why, whylen, "libvirt at %s cannot pass PCI devices through "
				 "(no <hostdev type='pci'> in its domain capabilities): enable "
				 "VT-d/IOMMU and load vfio-pci (see gpuhelper doctor)",
				 o->host->uri);
			return -ENODEV;
		}
		p->dgpu = true;
		snprintf(p->dgpu_bdf, sizeof(p->dgpu_bdf), "%s", g->dev->bdf);
		bdf_split(g->dev->bdf, &p->dgpu_domain, &p->dgpu_bus, &p->dgpu_slot,
			  &p->dgpu_func);
		p->vendor = g->dev->vendor;
		p->device = g->dev->device;
		p->subvendor = o->subsystem ? o->subvendor : g->dev->subvendor;
		p->subdevice = o->subsystem ? o->subdevice : g->dev->subdevice;
		if (o->with_audio && g->audio) {
			unsigned int d, b, s;

			p->audio = true;
			snprintf(p->audio_bdf, sizeof(p->audio_bdf), "%s", g->audio->bdf);
			bdf_split(g->audio->bdf, &d, &b, &s, &p->audio_func);
		}
	}

	if (o->gvt != 0) {
		bool can = ig && gh_igpu_virt(ig) == GH_VIRT_GVTG;

		if (o->gvt == 1 && !can) {
			snprintf(why, whylen, "--gvt: %s", !ig ? "there is no iGPU" :
				 gh_igpu_virt(ig) == GH_VIRT_SRIOV ?
				 "this iGPU (Gen 12+) shares by SR-IOV, not GVT-g: pass a VF instead" :
				 "this iGPU does not do GVT-g (Intel Gen 8 to 9.5 only)");
			return -EINVAL;
		}
		p->gvt = can;
	}
	if (p->gvt) {
		snprintf(p->igpu_bdf, sizeof(p->igpu_bdf), "%s", ig->bdf);
		snprintf(p->mdev_type, sizeof(p->mdev_type), "%s",
			 ig->mdev_type[0] ? ig->mdev_type : "i915-GVTg_V5_4");
		if (o->mdev_uuid)
			snprintf(p->mdev_uuid, sizeof(p->mdev_uuid), "%s", o->mdev_uuid);
		else if (ig->mdev_uuid[0])
			snprintf(p->mdev_uuid, sizeof(p->mdev_uuid), "%s", ig->mdev_uuid);
		else
			uuid_from_name(p->mdev_uuid, sizeof(p->mdev_uuid), p->name);
		snprintf(p->gvt_rom, sizeof(p->gvt_rom), "%s",
			 o->gvt_rom ? o->gvt_rom : GH_VM_GVT_ROM);
		p->xres = o->xres ? o->xres : 1920;
		p->yres = o->yres ? o->yres : 1080;
	}

	err = gh_display_plan_make(&p->display, &o->display, p->xres, p->yres, why, whylen);
	if (err)
		return err;
	if (p->dgpu) {
		if (o->nr_tables)
			for (i = 0; i < o->nr_tables; i++)
				add_table(p, o->tables[i]);
		else
			default_tables(p);
	}
	return 0;
}
