// SPDX-License-Identifier: GPL-2.0
/*
 * domain_fuzz.c - libFuzzer target for the libvirt XML patcher behind
 * `gpuhelper vm --from FILE` (userspace/domain/domain.c): any bytes as the
 * user's domain, patched with one of four plans (dGPU with and without
 * audio, GVT-g, old and new libvirt). Parsing, patching and formatting
 * must not crash, leak or read out of bounds; a patched domain must
 * format to XML that parses again as a domain, and patching that again
 * must not change it (the patch is idempotent).
 *
 * It found four bugs of the patcher, fixed: a "qemu" prefix bound to
 * another URI made the QEMU elements namespace-less (libvirt drops them),
 * a lone -acpitable took the next option for its value, a second PCI
 * <address> of a device was kept, and a second headless <video> was kept
 * (then replaced by QXL on the next patch; regress/domain-5).
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "domain/domain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static void plan_for(struct gh_vm_plan *p, uint8_t sel)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "win10");
	p->memory_mib = 8192;
	p->vcpus = 4;
	p->libvirt = sel & 1 ? GH_LIBVIRT_ACPI_RAW : GH_LIBVIRT_DEFAULT;
	snprintf(p->loader, sizeof(p->loader), "/usr/share/OVMF/OVMF_CODE_4M.fd");
	snprintf(p->nvram_template, sizeof(p->nvram_template),
		 "/usr/share/OVMF/OVMF_VARS_4M.fd");
	p->dgpu = true;
	snprintf(p->dgpu_bdf, sizeof(p->dgpu_bdf), "0000:01:00.0");
	p->dgpu_bus = 1;
	p->vendor = 0x10de;
	p->device = 0x1c8d;
	p->subvendor = 0x17aa;
	p->subdevice = 0x39d1;
	p->audio = sel & 2;
	snprintf(p->audio_bdf, sizeof(p->audio_bdf), "0000:01:00.1");
	p->audio_func = 1;
	if (sel & 4) {
		p->gvt = true;
		snprintf(p->mdev_uuid, sizeof(p->mdev_uuid),
			 "af5972fb-5530-41a7-0000-fd836204445b");
		snprintf(p->mdev_type, sizeof(p->mdev_type), "i915-GVTg_V5_4");
		snprintf(p->igpu_bdf, sizeof(p->igpu_bdf), "0000:00:02.0");
		p->xres = 1920;
		p->yres = 1080;
	}
	snprintf(p->tables[0], sizeof(p->tables[0]), "/var/lib/gpuhelper/ssdt-battery.aml");
	p->nr_tables = 1;
	p->headless = sel & 8;
}

static void silent(void *ctx, const char *msg, ...)
{
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, silent);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gh_vm_plan p;
	char why[256], *out = NULL, *out2 = NULL;
	size_t len = 0, len2 = 0;
	xmlDocPtr doc, again;

	if (!size)
		return 0;
	plan_for(&p, data[0]);
	doc = gh_domain_parse((const char *)data + 1, size - 1, "fuzz.xml",
			      why, sizeof(why));
	if (!doc) {
		if (!why[0] || strlen(why) >= sizeof(why))
			abort();
		return 0;
	}
	if (gh_domain_apply(doc, &p) || gh_domain_format(doc, &out, &len))
		abort();
	if (strlen(out) != len)
		abort();
	again = gh_domain_parse(out, len, "patched.xml", why, sizeof(why));
	if (!again)
		abort();	/* we wrote something that is not a domain */
	xmlFree(out);
	/* formatting alone may re-indent mixed content: compare after it */
	if (gh_domain_format(again, &out, &len) || gh_domain_apply(again, &p) ||
	    gh_domain_format(again, &out2, &len2))
		abort();
	if (len != len2 || memcmp(out, out2, len))
		abort();	/* patching twice changed it */
	xmlFree(out);
	xmlFree(out2);
	xmlFreeDoc(again);
	xmlFreeDoc(doc);
	return 0;
}
