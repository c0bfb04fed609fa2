/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmplan.h - everything the guest needs decided, from the detected (or
 * profiled) hardware and the command line: the input of the libvirt
 * domain builder (domain.c) and of the QEMU command line (qemuargs.c).
 */
#ifndef GH_VMPLAN_H
#define GH_VMPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci/arch.h"
#include "domain/display.h"
#include "domain/libvirt_host.h"

#define GH_VM_TABLES_MAX 32
/* libvirt versions as major * 1000000 + minor * 1000 + micro */
#define GH_LIBVIRT(maj, min) ((maj) * 1000000U + (min) * 1000U)
/* <qemu:override> for -device properties */
#define GH_LIBVIRT_OVERRIDE GH_LIBVIRT(8, 2)
/*
 * From 7.9 libvirt passes -device as JSON when QEMU can take it (6.2 and
 * later), and QEMU's "-set device.ID..." finds no device given that way.
 * Until <qemu:override> (8.2) the fix is to take the QEMU capability away
 * from the domain, <qemu:capabilities><qemu:del capability='NAME'/>, so
 * libvirt writes the old -device syntax that -set works with. The name
 * changed in 8.1 (see gh_libvirt_json_cap()).
 */
#define GH_LIBVIRT_JSON_DEVICE GH_LIBVIRT(7, 9)
#define GH_LIBVIRT_JSON_HOTPLUG GH_LIBVIRT(8, 1)
/* <os><acpi><table type='raw'>, repeatable; 9.0's schema knows only 'slic' */
#define GH_LIBVIRT_ACPI_RAW GH_LIBVIRT(11, 2)
/* what gpuhelper assumes when not told: Debian 12's */
#define GH_LIBVIRT_DEFAULT GH_LIBVIRT(9, 0)

/* guest memory: half the host's (gh_host_memory_mib()), at most this */
#define GH_VM_MEMORY_MAX	16384
/* when the host's is unknown (--profile: another machine) */
#define GH_VM_MEMORY_DEFAULT	8192

#define GH_VM_DATADIR "/var/lib/gpuhelper"
#define GH_VM_BATTERY GH_VM_DATADIR "/ssdt-battery.aml"
#define GH_VM_GVT_ROM GH_VM_DATADIR "/vbios_gvt_uefi.rom"

/* Guest addresses the NVIDIA driver insists on (the seed, "Code 43"). */
#define GH_GUEST_ROOT_PORT_SLOT	1	/* 00:01.0 */
#define GH_GUEST_DGPU_BUS	1	/* 01:00.0 */
#define GH_GUEST_IGPU_SLOT	2	/* the GVT-g mdev at 00:02.0, like the host */

/* User aliases ("ua-" prefix) that <qemu:override> and -set refer to. */
#define GH_ALIAS_DGPU	"ua-gpuhelper-dgpu"
#define GH_ALIAS_AUDIO	"ua-gpuhelper-dgpu-audio"
#define GH_ALIAS_GVT	"ua-gpuhelper-gvt"

struct gh_vm_plan {
	char name[64];
	unsigned int memory_mib;
	unsigned int vcpus;
	unsigned int libvirt;		/* target libvirt version */
	char loader[256];		/* OVMF code */
	char nvram_template[256];	/* OVMF vars */

	bool gvt;			/* an Intel GVT-g mdev as the display */
	char mdev_uuid[40];
	char mdev_type[64];
	char igpu_bdf[16];
	char gvt_rom[256];		/* "" for none */
	unsigned int xres, yres;

	bool dgpu;
	char dgpu_bdf[16];
	unsigned int dgpu_domain, dgpu_bus, dgpu_slot, dgpu_func;
	uint16_t vendor, device, subvendor, subdevice;
	bool audio;
	char audio_bdf[16];
	unsigned int audio_func;

	char tables[GH_VM_TABLES_MAX][256];	/* SSDT files, battery first */
	unsigned int nr_tables;
	bool tables_missing;		/* some file does not exist yet */
	bool vbios_missing;		/* no complete vBIOS set in GH_VM_DATADIR */

	bool tcg;			/* software emulation, no KVM */
	bool hide_hypervisor;		/* also clear CPUID.1:ECX.hypervisor */
	bool headless;			/* no display, input or network devices */
	unsigned int sockets, cores, threads;	/* <topology>, -smp */
	char disk[256];			/* --disk: the system disk (qcow2), "" default */
	unsigned long long disk_bytes;	/* --disk PATH,SIZE: its size, 0 not given */
	char iso[256];			/* --iso: the install cdrom, booted second */
	char virtio_win[256];		/* --virtio-win: the drivers cdrom */
	char kernel[256];		/* direct kernel boot instead of OVMF + disk */
	char initrd[256];
	char append[512];
	struct gh_display_plan display;	/* stage, Looking Glass, evdev */
};

struct gh_vm_opts {
	const char *name;
	const char *dgpu;		/* BDF, NULL: the detected one */
	int gvt;			/* -1 auto, 0 off, 1 on */
	const char *mdev_uuid;
	const char *gvt_rom;
	unsigned int xres, yres;
	bool with_audio;
	bool no_dgpu;
	const char *tables[GH_VM_TABLES_MAX];	/* --acpi-table, replaces the defaults */
	unsigned int nr_tables;
	unsigned int libvirt;
	unsigned int memory_mib, vcpus;
	unsigned int host_memory_mib;	/* gh_host_memory_mib(), 0 unknown */
	unsigned int host_cores;	/* gh_cpu_topology(), 0 unknown */
	unsigned int host_threads;	/* threads per core, 0 unknown */
	const char *disk;		/* --disk PATH[,SIZE]: PATH */
	unsigned long long disk_bytes;	/* SIZE, 0 not given */
	const char *iso, *virtio_win;
	bool tcg;
	bool hide_hypervisor;
	bool headless;
	const char *kernel, *initrd, *append;
	bool subsystem;			/* --subsystem: spoof these, not the device's */
	unsigned int subvendor, subdevice;
	const struct gh_libvirt_host *host;	/* the host's libvirt, NULL offline */
	struct gh_display_opts display;
};

/* vm_tables.c */
int gh_vm_tables_ensure(struct gh_vm_plan *p, const char *rom_file, bool other_machine,
			char *why, size_t whylen);

int gh_vm_plan_make(struct gh_vm_plan *p, const struct gh_vm_opts *o,
		    const struct gh_topology *t, char *why, size_t whylen);
int gh_libvirt_parse(const char *s, unsigned int *version);
bool gh_plan_uses_override(const struct gh_vm_plan *p);
bool gh_plan_raw_tables(const struct gh_vm_plan *p);
const char *gh_libvirt_json_cap(unsigned int libvirt);
unsigned int gh_host_memory_mib(void);
const char *gh_plan_disk(const struct gh_vm_plan *p, char *buf, size_t len);

#endif /* GH_VMPLAN_H */
