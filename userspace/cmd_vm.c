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

#include "arch.h"
#include "atomicwrite.h"
#include "commands.h"
#include "domain.h"
#include "hook.h"
#include "pcisnap.h"
#include "profile.h"
#include "qemuargs.h"
#include "root.h"
#include "vmplan.h"

static void vm_usage(FILE *f)
{
	fprintf(f,
		"usage: gpuhelper vm [--name N] [--from domain.xml] [--format libvirt|qemu]\n"
		"                    [-o FILE] [--profile NAME] [--root DIR] [--gpu BDF]\n"
		"                    [--gvt | --no-gvt] [--mdev UUID] [--gvt-rom FILE|none]\n"
		"                    [--resolution WxH] [--with-audio] [--no-dgpu]\n"
		"                    [--acpi-table FILE]... [--libvirt VERSION]\n"
		"                    [--memory MIB] [--vcpus N] [--subsystem VVVV:DDDD]\n"
		"                    [--hide-hypervisor] [--accel kvm|tcg] [--headless]\n"
		"                    [--kernel FILE [--initrd FILE] [--append CMDLINE]]\n");
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
	if (!p->dgpu)
		return;
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
static void record_for_hook(const struct gh_vm_plan *p, const char *out)
{
	char path[GH_PATH_MAX] = "", allow[GH_PATH_MAX], rel[GH_PATH_MAX];
	int err;

	if (!p->dgpu || gh_profile_name())
		return;
	snprintf(rel, sizeof(rel), GH_HOOK_ALLOW_DIR "/%s", p->name);
	gh_path(allow, sizeof(allow), rel);
	if (!out || !strcmp(out, "-")) {
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

int cmd_vm(int argc, char **argv)
{
	struct gh_vm_opts o = { .gvt = -1 };
	const char *from = NULL, *format = "libvirt", *out = NULL;
	char why[512];
	struct gh_vm_plan p;
	struct gh_topology t;
	struct gh_pci snap;
	xmlDocPtr doc;
	char *text;
	size_t len;
	int a, err, rc = GH_EXIT_OK;

	for (a = 1; a < argc; a++) {
		const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;

		if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
			vm_usage(stdout);
			return GH_EXIT_OK;
		} else if (!strcmp(opt, "--gvt")) {
			o.gvt = 1;
		} else if (!strcmp(opt, "--no-gvt")) {
			o.gvt = 0;
		} else if (!strcmp(opt, "--with-audio")) {
			o.with_audio = true;
		} else if (!strcmp(opt, "--no-dgpu")) {
			o.no_dgpu = true;
		} else if (!strcmp(opt, "--hide-hypervisor")) {
			o.hide_hypervisor = true;
		} else if (!strcmp(opt, "--headless")) {
			o.headless = true;
		} else if (!val) {
			fprintf(stderr, "gpuhelper vm: %s '%s'\n",
				opt[0] == '-' ? "missing value after" : "unknown argument", opt);
			vm_usage(stderr);
			return GH_EXIT_USAGE;
		} else {
			a++;
			if (!strcmp(opt, "--name")) {
				o.name = val;
			} else if (!strcmp(opt, "--from")) {
				from = val;
			} else if (!strcmp(opt, "--format")) {
				format = val;
				if (strcmp(val, "libvirt") && strcmp(val, "qemu")) {
					fprintf(stderr, "gpuhelper vm: --format %s: libvirt or qemu\n", val);
					return GH_EXIT_USAGE;
				}
			} else if (!strcmp(opt, "-o") || !strcmp(opt, "--output")) {
				out = val;
			} else if (!strcmp(opt, "--profile")) {
				if (gh_profile_use(val))
					return GH_EXIT_USAGE;
			} else if (!strcmp(opt, "--root")) {
				gh_root_set(val);
			} else if (!strcmp(opt, "--gpu")) {
				o.dgpu = val;
			} else if (!strcmp(opt, "--mdev")) {
				o.mdev_uuid = val;
			} else if (!strcmp(opt, "--gvt-rom")) {
				o.gvt_rom = strcmp(val, "none") ? val : "";
			} else if (!strcmp(opt, "--resolution")) {
				if (sscanf(val, "%ux%u", &o.xres, &o.yres) != 2 || !o.xres || !o.yres) {
					fprintf(stderr, "gpuhelper vm: --resolution %s: expected WxH, e.g. 1920x1080\n", val);
					return GH_EXIT_USAGE;
				}
			} else if (!strcmp(opt, "--acpi-table")) {
				if (o.nr_tables == GH_VM_TABLES_MAX) {
					fprintf(stderr, "gpuhelper vm: more than %d --acpi-table\n",
						GH_VM_TABLES_MAX);
					return GH_EXIT_USAGE;
				}
				o.tables[o.nr_tables++] = val;
			} else if (!strcmp(opt, "--libvirt")) {
				if (gh_libvirt_parse(val, &o.libvirt)) {
					fprintf(stderr, "gpuhelper vm: --libvirt %s: expected a version such as 9.0 or 8.1.0\n", val);
					return GH_EXIT_USAGE;
				}
			} else if (!strcmp(opt, "--subsystem")) {
				unsigned int sv, sd;
				char end;

				if (sscanf(val, "%4x:%4x%c", &sv, &sd, &end) != 2) {
					fprintf(stderr, "gpuhelper vm: --subsystem %s: expected VVVV:DDDD in hex, "
						"e.g. 17aa:39d1 (SUBSYS_39D117AA in Windows' hardware ID)\n", val);
					return GH_EXIT_USAGE;
				}
				o.subsystem = true;
				o.subvendor = sv;
				o.subdevice = sd;
			} else if (!strcmp(opt, "--accel")) {
				if (strcmp(val, "kvm") && strcmp(val, "tcg")) {
					fprintf(stderr, "gpuhelper vm: --accel %s: kvm or tcg\n", val);
					return GH_EXIT_USAGE;
				}
				o.tcg = !strcmp(val, "tcg");
			} else if (!strcmp(opt, "--kernel")) {
				o.kernel = val;
			} else if (!strcmp(opt, "--initrd")) {
				o.initrd = val;
			} else if (!strcmp(opt, "--append")) {
				o.append = val;
			} else if (!strcmp(opt, "--memory")) {
				if (parse_uint(opt, val, &o.memory_mib))
					return GH_EXIT_USAGE;
			} else if (!strcmp(opt, "--vcpus")) {
				if (parse_uint(opt, val, &o.vcpus))
					return GH_EXIT_USAGE;
			} else {
				fprintf(stderr, "gpuhelper vm: unknown argument '%s'\n", opt);
				vm_usage(stderr);
				return GH_EXIT_USAGE;
			}
		}
	}
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
		hints(&p, &t, &o, &snap);
		gh_pci_free(&snap);
		return rc;
	}

	doc = from ? gh_domain_read(from, why, sizeof(why)) : gh_domain_base(&p);
	if (!doc) {
		fprintf(stderr, "gpuhelper vm: %s\n", from ? why : "out of memory");
		gh_pci_free(&snap);
		return from ? GH_EXIT_USAGE : GH_EXIT_ERROR;
	}
	if (from && !o.name) {
		/* keep the user's name, also in the nvram path */
		xmlChar *n = xmlNodeGetContent(gh_xml_child(xmlDocGetRootElement(doc), "name"));

		if (n)
			snprintf(p.name, sizeof(p.name), "%s", (const char *)n);
		xmlFree(n);
	} else if (from) {
		xmlNodeSetContent(gh_xml_child(xmlDocGetRootElement(doc), "name"),
				  (const xmlChar *)p.name);
	}
	gh_domain_apply(doc, &p);
	if (gh_domain_format(doc, &text, &len)) {
		rc = GH_EXIT_ERROR;
	} else {
		rc = emit(out, text, len) ? GH_EXIT_ERROR : GH_EXIT_OK;
		xmlFree(text);
	}
	xmlFreeDoc(doc);
	if (rc == GH_EXIT_OK)
		record_for_hook(&p, out);
	hints(&p, &t, &o, &snap);
	gh_pci_free(&snap);
	return rc;
}
