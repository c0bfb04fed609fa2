// SPDX-License-Identifier: GPL-2.0
/*
 * from.c - gpuhelper vm --from: keep what of the user's domain is still
 * valid, replace what the SSDTs make unnecessary, and say which.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "acpi/acpi_tables.h"
#include "acpi/aml_read.h"
#include "domain/domain.h"
#include "domain/from.h"
#include "lib/fileio.h"
#include "lib/root.h"

#define X(s) ((const xmlChar *)(s))

static bool is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (i = 0; shape[i]; i++)
		if (shape[i] == '-' ? s[i] != '-' :
		    !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

/* The UUID of the domain's mdev hostdev, "" none. */
static void domain_mdev(xmlNodePtr devs, char *buf, size_t len)
{
	xmlNodePtr h;
	xmlChar *v;

	buf[0] = '\0';
	for (h = gh_xml_child(devs, "hostdev"); h; h = gh_xml_next(h, "hostdev")) {
		if (!gh_xml_attr_is(h, "type", "mdev"))
			continue;
		v = xmlGetProp(gh_xml_child(gh_xml_child(h, "source"), "address"), X("uuid"));
		if (v)
			snprintf(buf, len, "%s", (const char *)v);
		xmlFree(v);
		return;
	}
}

/* The table files the domain loads: -acpitable file=A:B pairs, raw tables. */
static unsigned int domain_tables(xmlNodePtr root, char (*files)[256], unsigned int max)
{
	xmlNodePtr cl = gh_xml_qemu_child(root, "commandline"), n, t;
	unsigned int nr = 0;
	bool after = false;
	xmlChar *v;

	for (n = cl ? cl->children : NULL; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, X("arg")))
			continue;
		v = xmlGetProp(n, X("value"));
		if (v && after && !xmlStrncmp(v, X("file="), 5)) {
			char *s = (char *)v + 5, *colon;

			for (; s && nr < max; s = colon ? colon + 1 : NULL) {
				colon = strchr(s, ':');
				snprintf(files[nr++], 256, "%.*s", colon ? (int)(colon - s) :
					 (int)strlen(s), s);
			}
		}
		after = v && !xmlStrcmp(v, X("-acpitable"));
		xmlFree(v);
	}
	t = gh_xml_child(gh_xml_child(gh_xml_child(root, "os"), "acpi"), "table");
	for (; t && nr < max; t = gh_xml_next(t, "table")) {
		if (!gh_xml_attr_is(t, "type", "raw"))
			continue;
		v = xmlNodeGetContent(t);
		if (v)
			snprintf(files[nr++], 256, "%s", (const char *)v);
		xmlFree(v);
	}
	return nr;
}

/**
 * gh_table_set_check() - do these files make the guest's SSDTs?
 * @files: the paths (under the root)
 * @n: how many
 * @why: the first fault
 * @whylen: its size
 *
 * Each must be an SSDT (header, checksum) that reads back as a table of
 * gpuhelper acpi: one battery, one _ROM method and the buffers VR00
 * onwards, all at \_SB.PCI0.S08.S00 (the dGPU where vm puts it on q35).
 *
 * Return: 0, or -EINVAL with @why.
 */
int gh_table_set_check(const char (*files)[256], unsigned int n, char *why, size_t whylen)
{
	bool seen[GH_ACPI_VBIOS_MAX_TABLES] = { false }, rom = false, bat = false;
	unsigned int i, nbuf = 0;
	char w[256];

	for (i = 0; i < n; i++) {
		char path[GH_PATH_MAX];
		struct gh_aml_battery b;
		struct gh_aml_vbios v;
		unsigned char *data;
		size_t len;
		int err;

		if (gh_path(path, sizeof(path), files[i]) ||
		    (err = gh_read_file(path, &data, &len, 1U << 20))) {
			snprintf(why, whylen, "%s cannot be read", files[i]);
			return -EINVAL;
		}
		if (gh_acpi_header_check(data, len, "SSDT", w, sizeof(w))) {
			free(data);
			snprintf(why, whylen, "%s: %s", files[i], w);
			return -EINVAL;
		}
		if (!gh_aml_read_battery(data, len, &b, w, sizeof(w))) {
			bat = true;
		} else if (!gh_aml_read_vbios(data, len, &v, w, sizeof(w))) {
			if (strcmp(v.scope, GH_ACPI_VBIOS_PATH_DEFAULT)) {
				free(data);
				snprintf(why, whylen, "%s puts the vBIOS at %s, not at the dGPU's "
					 "%s", files[i], v.scope, GH_ACPI_VBIOS_PATH_DEFAULT);
				return -EINVAL;
			}
			if (v.rom_method)
				rom = true;
			else if (v.index >= 0 && (unsigned int)v.index < GH_ACPI_VBIOS_MAX_TABLES &&
				 !seen[v.index])
				seen[v.index] = true, nbuf++;
		} else {
			free(data);
			snprintf(why, whylen, "%s is not a table of gpuhelper acpi (%s)",
				 files[i], w);
			return -EINVAL;
		}
		free(data);
	}
	for (i = 0; i < nbuf && seen[i]; i++)
		;
	if (!bat || !rom || !nbuf || i < nbuf) {
		snprintf(why, whylen, "not a complete set (%s battery, %s _ROM method, %u vBIOS "
			 "buffer table%s%s)", bat ? "a" : "no", rom ? "a" : "no", nbuf,
			 nbuf == 1 ? "" : "s", i < nbuf ? ", not VR00 onwards" : "");
		return -EINVAL;
	}
	return 0;
}

/**
 * gh_from_adopt() - keep the vGPU UUID and the SSDTs of the user's domain
 * @doc: the --from domain
 * @p: the plan, changed
 * @in: what the command line and the host say
 * @notes: where to say what was kept or replaced
 *
 * The vGPU's UUID is kept when it is a UUID and the iGPU has no other
 * vGPU (one that exists wins, --mdev above both). The domain's table
 * files replace the defaults when they still read back as a complete
 * set (gh_table_set_check()).
 */
void gh_from_adopt(xmlDocPtr doc, struct gh_vm_plan *p, const struct gh_from_in *in,
		   FILE *notes)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	char uuid[64], why[512], (*files)[256];
	unsigned int n, i;

	domain_mdev(gh_xml_child(root, "devices"), uuid, sizeof(uuid));
	if (p->gvt && uuid[0] && !in->user_mdev) {
		if (!is_uuid(uuid))
			fprintf(notes, "gpuhelper vm: --from: the vGPU '%s' is not a UUID: "
				"using %s\n", uuid, p->mdev_uuid);
		else if (in->host_mdev && in->host_mdev[0] && strcasecmp(in->host_mdev, uuid))
			fprintf(notes, "gpuhelper vm: --from: the vGPU %s does not exist; using "
				"the iGPU's %s\n", uuid, in->host_mdev);
		else if (strcmp(p->mdev_uuid, uuid)) {
			snprintf(p->mdev_uuid, sizeof(p->mdev_uuid), "%s", uuid);
			fprintf(notes, "gpuhelper vm: --from: kept the vGPU %s\n", uuid);
		}
	}
	if (!p->dgpu || in->user_tables)
		return;
	files = calloc(GH_VM_TABLES_MAX, sizeof(*files));
	if (!files)
		return;
	n = domain_tables(root, files, GH_VM_TABLES_MAX);
	if (!n) {
		free(files);
		return;
	}
	if (gh_table_set_check((const char (*)[256])files, n, why, sizeof(why))) {
		fprintf(notes, "gpuhelper vm: --from: the domain's SSDTs are replaced by "
			"gpuhelper's (%s)\n", why);
		free(files);
		return;
	}
	p->nr_tables = n;
	for (i = 0; i < n; i++)
		snprintf(p->tables[i], sizeof(p->tables[i]), "%s", files[i]);
	p->tables_missing = false;
	p->vbios_missing = false;
	fprintf(notes, "gpuhelper vm: --from: kept the domain's %u SSDTs: they read back "
		"as a complete set\n", n);
	free(files);
}

/* An OVMF a distribution ships (or the host's libvirt lists), not a build. */
static bool stock_ovmf(const char *path, const struct gh_libvirt_host *h)
{
	static const char *const dirs[] = {
		"/usr/share/OVMF/", "/usr/share/ovmf/", "/usr/share/edk2/",
		"/usr/share/edk2-ovmf/", "/usr/share/qemu/",
	};
	unsigned int i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strncmp(path, dirs[i], strlen(dirs[i])) && !strstr(path, ".."))
			return true;
	for (i = 0; h && i < h->nr_loaders; i++)
		if (!strcmp(path, h->loaders[i]))
			return true;
	return false;
}

/*
 * QEMU describes the devices behind a q35 root port in ACPI (the S08
 * device holding S00, where the vBIOS SSDTs put _ROM) only with ACPI PCI
 * hotplug on bridges, the default from machine type 6.1 (QEMU 6.1's
 * pc_compat_6_0 turns ICH9-LPC's acpi-pci-hotplug-with-bridge-support off
 * for the older types). Return whether @machine is such an older one.
 */
static bool q35_without_root_port_acpi(const char *machine, unsigned int *maj,
				       unsigned int *min)
{
	if (sscanf(machine, "pc-q35-%u.%u", maj, min) != 2)
		return false;
	return *maj < 6 || (*maj == 6 && *min < 1);
}

/**
 * gh_from_firmware() - the firmware and machine type of a --from domain
 * @doc: the --from domain, changed
 * @p: the plan, its tables final
 * @in: the host
 * @notes: where to say what was replaced
 *
 * With a complete vBIOS set the guide's patched OVMF (its _ROM) is not
 * needed: the stock one replaces it, with VARS of its own made from the
 * stock template (the patched build's VARS need not fit it; the old
 * file is left alone). Without one the patched OVMF stays, and so is
 * said. A pc-q35 machine type older than 6.1 has no ACPI device for the
 * dGPU's _ROM: it becomes q35.
 */
void gh_from_firmware(xmlDocPtr doc, const struct gh_vm_plan *p,
		      const struct gh_from_in *in, FILE *notes)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), os = gh_xml_child(root, "os");
	xmlNodePtr loader = gh_xml_child(os, "loader"), type = gh_xml_child(os, "type"), n;
	bool tables = p->dgpu && p->nr_tables && !p->vbios_missing;
	unsigned int maj, min;
	xmlChar *v, *m;
	char buf[512];

	v = loader && !gh_xml_attr_is(loader, "type", "rom") ? xmlNodeGetContent(loader) : NULL;
	if (v && v[0] && !stock_ovmf((const char *)v, in->host) && !p->kernel[0]) {
		if (!tables) {
			fprintf(notes, "gpuhelper vm: --from: kept the domain's OVMF %s (not a "
				"stock build: the guide's patched one gives the _ROM while "
				"there are no vBIOS SSDTs)\n", (const char *)v);
		} else {
			xmlNodeSetContent(loader, X(p->loader));
			xmlSetProp(loader, X("readonly"), X("yes"));
			xmlSetProp(loader, X("type"), X("pflash"));
			for (n = gh_xml_child(os, "nvram"); n; n = gh_xml_child(os, "nvram")) {
				xmlUnlinkNode(n);
				xmlFreeNode(n);
			}
			snprintf(buf, sizeof(buf), "/var/lib/libvirt/qemu/nvram/%s_stock_VARS.fd",
				 p->name);
			n = xmlNewTextChild(os, NULL, X("nvram"), X(buf));
			xmlAddNextSibling(loader, n);
			xmlSetProp(n, X("template"), X(p->nvram_template));
			fprintf(notes, "gpuhelper vm: --from: replaced the domain's OVMF %s (not "
				"a stock build: the guide's patched one, for its _ROM) by the stock "
				"%s, with its own VARS %s: the SSDTs give the guest the _ROM now. "
				"The old VARS file is kept; Windows boots through its fallback "
				"loader and recreates its boot entry\n", (const char *)v,
				p->loader, buf);
		}
	}
	xmlFree(v);
	m = type ? xmlGetProp(type, X("machine")) : NULL;
	if (m && tables && q35_without_root_port_acpi((const char *)m, &maj, &min)) {
		fprintf(notes, "gpuhelper vm: --from: machine type %s becomes q35: QEMU "
			"describes the devices behind a root port in ACPI (%s, where the "
			"SSDTs put _ROM) from pc-q35-6.1 on; with %u.%u the guest would load "
			"no _ROM\n", (const char *)m, GH_ACPI_VBIOS_PATH_DEFAULT, maj, min);
		xmlSetProp(type, X("machine"), X("q35"));
	}
	xmlFree(m);
}
