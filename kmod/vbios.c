// SPDX-License-Identifier: GPL-2.0
/*
 * vbios.c - shadow a tracked GPU's vBIOS.
 *
 * Sources are a table of small ops (init, read, fini), as nouveau's
 * nvkm/subdev/bios/shadow*.c: a firmware file (the user's override), the
 * ACPI _ROM method of the device's ACPI companion (how MUXless Optimus
 * laptops expose the dGPU's vBIOS, 4 KiB per call), the PCI ROM BAR and a
 * ROM the platform handed over (pdev->rom, e.g. from EFI). Each is read in
 * 4 KiB chunks, as far as the parser (common/vbios.c, shared with the CLI)
 * says it needs, until it accepts a complete image chain or rejects it;
 * the parse resumes where it stopped, so a source costs one pass. Every
 * valid candidate is scored and the best one kept. Invalid data is never
 * exposed.
 *
 * The ROM BAR is device MMIO: it is read only in gpuhelper's own probe,
 * where the driver core holds the device lock, the device is runtime
 * active and no other driver (vfio-pci, a VM) can have it. It is read
 * whole, up to the BAR's size: pci_map_rom() trims its size at the first
 * PCIR "last" flag, which on NVIDIA ROMs is not the end of the chain
 * (their NPDEs continue it). Memory decoding is enabled for the read and
 * restored after. The copy is kept until the shadow is taken.
 *
 * The shadow is taken once, on the first call of gh_vbios_shadow() or the
 * first read of one of its sysfs attributes, and served from memory after
 * (a try that ran out of memory does not count).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/firmware.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "faultinject.h"
#include "gpuhelper.h"
#include "vbios.h"
#include "../common/vbios.h"

/* The largest vBIOS read from a source whose size is unknown (ACPI). */
#define GH_VBIOS_READ_MAX	SZ_2M
/* A valid firmware file is what the user asked for: it wins. */
#define GH_VBIOS_OVERRIDE_BONUS	100

/**
 * struct gh_vbios_source - one place a vBIOS can be read from
 * @name: shown in vbios_source and vbios_info
 * @init: prepare; return private data, or an ERR_PTR() when the source
 *	does not exist for this device (-ENODEV, -ENOENT: not an error)
 * @size: the most the source can return (0: unknown, read until parsed)
 * @read: copy up to @len bytes at @off into @buf; return bytes copied
 *	(fewer at the end of the source) or a negative errno
 * @fini: release what @init took
 * @bonus: added to the score of a valid image from this source
 */
struct gh_vbios_source {
	const char *name;
	void *(*init)(struct pci_dev *pdev);
	size_t (*size)(void *priv);
	int (*read)(void *priv, size_t off, size_t len, u8 *buf);
	void (*fini)(void *priv);
	int bonus;
};

/**
 * struct gh_vbios_candidate - what one source gave
 * @err: 0 when read, else why not (-ENODEV: no such source)
 * @info: the parse of what was read
 * @data: a valid image read before the shadow was taken (the ROM BAR, at
 *	probe), kept for gh_vbios_take(); else NULL
 */
struct gh_vbios_candidate {
	int err;
	struct gh_vbios_info info;
	u8 *data;
};

/**
 * struct gh_vbios - the shadow of one device
 * @node: entry in gh_vbios_list
 * @gh: the device it belongs to
 * @done: the sources have been read
 * @data: the chosen image, @len bytes; NULL when no source had a valid one
 * @len: its length (the image chain's, trailing bytes dropped)
 * @source: index of the chosen source in gh_vbios_sources
 * @info: parse of the chosen image
 * @cand: per-source results, for vbios_info
 */
struct gh_vbios {
	struct list_head node;
	struct gh_device *gh;
	bool done;
	u8 *data;
	size_t len;
	int source;
	struct gh_vbios_info info;
	struct gh_vbios_candidate cand[];
};

/*
 * The shadows, one per tracked device that was asked for one, kept here
 * so that struct gh_device needs no field for them. The lock serialises
 * taking shadows too: reads of the hardware are rare and slow anyway.
 */
static DEFINE_MUTEX(gh_vbios_lock);
static LIST_HEAD(gh_vbios_list);

/* ---- firmware file: /lib/firmware/gpuhelper/vbios-VVVV-DDDD.rom ---- */

static void *gh_fw_init(struct pci_dev *pdev)
{
	const struct firmware *fw;
	char name[48];
	int ret;

	snprintf(name, sizeof(name), "gpuhelper/vbios-%04x-%04x.rom",
		 pdev->vendor, pdev->device);
	ret = firmware_request_nowarn(&fw, name, &pdev->dev);
	if (ret)
		return ERR_PTR(ret);
	return (void *)fw;
}

static size_t gh_fw_size(void *priv)
{
	return ((const struct firmware *)priv)->size;
}

static int gh_fw_read(void *priv, size_t off, size_t len, u8 *buf)
{
	const struct firmware *fw = priv;

	if (off >= fw->size)
		return 0;
	len = min(len, fw->size - off);
	memcpy(buf, fw->data + off, len);
	return len;
}

static void gh_fw_fini(void *priv)
{
	release_firmware(priv);
}

/* ---- ACPI _ROM of the device's ACPI companion ---- */

#if IS_ENABLED(CONFIG_ACPI)
static void *gh_acpi_init(struct pci_dev *pdev)
{
	acpi_handle handle = ACPI_HANDLE(&pdev->dev);

	if (!handle || !acpi_has_method(handle, "_ROM"))
		return ERR_PTR(-ENODEV);
	return handle;
}

static int gh_acpi_read(void *priv, size_t off, size_t len, u8 *buf)
{
	union acpi_object args[2] = {
		{ .integer = { .type = ACPI_TYPE_INTEGER, .value = off } },
		{ .integer = { .type = ACPI_TYPE_INTEGER, .value = len } },
	};
	struct acpi_object_list input = { .count = 2, .pointer = args };
	struct acpi_buffer output = { ACPI_ALLOCATE_BUFFER, NULL };
	union acpi_object *obj;
	acpi_status status;
	int ret;

	if (gh_inject(GH_FAULT_ACPI_ROM))
		status = AE_ERROR;	/* as if the method had failed */
	else
		status = acpi_evaluate_object(priv, "_ROM", &input, &output);
	if (ACPI_FAILURE(status))
		return -EIO;
	obj = output.pointer;
	if (!obj || obj->type != ACPI_TYPE_BUFFER) {
		ret = -EPROTO;
		goto out;
	}
	ret = min_t(size_t, obj->buffer.length, len);
	memcpy(buf, obj->buffer.pointer, ret);
out:
	kfree(output.pointer);
	return ret;
}
#else
static void *gh_acpi_init(struct pci_dev *pdev)
{
	return ERR_PTR(-ENODEV);
}

static int gh_acpi_read(void *priv, size_t off, size_t len, u8 *buf)
{
	return -ENODEV;
}
#endif

/* ---- PCI ROM BAR (read only from gh_vbios_probe()) ---- */

struct gh_rombar {
	struct pci_dev *pdev;
	void __iomem *rom;
	size_t size;
	u16 cmd;
};

static void *gh_rombar_init(struct pci_dev *pdev)
{
	struct gh_rombar *r;
	size_t trimmed;

	r = gh_inject(GH_FAULT_ALLOC) ? NULL : kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->pdev = pdev;
	/* the ROM decodes only with memory space enabled: on for the read */
	pci_read_config_word(pdev, PCI_COMMAND, &r->cmd);
	if (!(r->cmd & PCI_COMMAND_MEMORY))
		pci_write_config_word(pdev, PCI_COMMAND, r->cmd | PCI_COMMAND_MEMORY);
	r->rom = pci_map_rom(pdev, &trimmed);
	if (!r->rom) {
		pci_write_config_word(pdev, PCI_COMMAND, r->cmd);
		kfree(r);
		return ERR_PTR(-ENODEV);
	}
	/* the whole BAR, which pci_map_rom() maps: not its trimmed size */
	r->size = max_t(size_t, trimmed, pci_resource_len(pdev, PCI_ROM_RESOURCE));
	return r;
}

static size_t gh_rombar_size(void *priv)
{
	return ((struct gh_rombar *)priv)->size;
}

static int gh_rombar_read(void *priv, size_t off, size_t len, u8 *buf)
{
	struct gh_rombar *r = priv;

	if (off >= r->size)
		return 0;
	len = min(len, r->size - off);
	memcpy_fromio(buf, r->rom + off, len);
	return len;
}

static void gh_rombar_fini(void *priv)
{
	struct gh_rombar *r = priv;

	pci_unmap_rom(r->pdev, r->rom);
	if (!(r->cmd & PCI_COMMAND_MEMORY))
		pci_write_config_word(r->pdev, PCI_COMMAND, r->cmd);
	kfree(r);
}

/* ---- a ROM image the platform handed over (pdev->rom) ---- */

struct gh_platrom {
	void *rom;
	size_t size;
};

static void *gh_platrom_init(struct pci_dev *pdev)
{
	struct gh_platrom *p;

	if (!pdev->rom || !pdev->romlen)
		return ERR_PTR(-ENODEV);
	p = gh_inject(GH_FAULT_ALLOC) ? NULL : kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->size = pdev->romlen;
	p->rom = memremap(pdev->rom, pdev->romlen, MEMREMAP_WB);
	if (!p->rom) {
		kfree(p);
		return ERR_PTR(-ENOMEM);
	}
	return p;
}

static size_t gh_platrom_size(void *priv)
{
	return ((struct gh_platrom *)priv)->size;
}

static int gh_platrom_read(void *priv, size_t off, size_t len, u8 *buf)
{
	struct gh_platrom *p = priv;

	if (off >= p->size)
		return 0;
	len = min(len, p->size - off);
	memcpy(buf, (u8 *)p->rom + off, len);
	return len;
}

static void gh_platrom_fini(void *priv)
{
	struct gh_platrom *p = priv;

	memunmap(p->rom);
	kfree(p);
}

#define GH_SOURCE_ROMBAR	2	/* its index below */

static const char gh_rombar_when[] =
	"read only while gpuhelper's driver holds the device in D0";

/* In order of preference when scores tie. */
static const struct gh_vbios_source gh_vbios_sources[] = {
	{ "firmware", gh_fw_init, gh_fw_size, gh_fw_read, gh_fw_fini, GH_VBIOS_OVERRIDE_BONUS },
	{ "acpi", gh_acpi_init, NULL, gh_acpi_read, NULL, 0 },
	{ "rom-bar", gh_rombar_init, gh_rombar_size, gh_rombar_read, gh_rombar_fini, 0 },
	{ "platform", gh_platrom_init, gh_platrom_size, gh_platrom_read, gh_platrom_fini, 0 },
};

#define GH_NR_SOURCES ARRAY_SIZE(gh_vbios_sources)

/* vbios_source=: -1 reads every source, else the index of the only one */
static int gh_vbios_only = -1;

static int gh_vbios_only_set(const char *val, const struct kernel_param *kp)
{
	unsigned int i;

	if (sysfs_streq(val, "auto")) {
		gh_vbios_only = -1;
		return 0;
	}
	for (i = 0; i < GH_NR_SOURCES; i++) {
		if (sysfs_streq(val, gh_vbios_sources[i].name)) {
			gh_vbios_only = i;
			return 0;
		}
	}
	pr_err("vbios_source: '%s' is not auto, firmware, acpi, rom-bar or platform\n",
	       val);
	return -EINVAL;
}

static int gh_vbios_only_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", gh_vbios_only < 0 ? "auto" :
			  gh_vbios_sources[gh_vbios_only].name);
}

static const struct kernel_param_ops gh_vbios_only_ops = {
	.set = gh_vbios_only_set,
	.get = gh_vbios_only_get,
};

module_param_cb(vbios_source, &gh_vbios_only_ops, NULL, 0444);
MODULE_PARM_DESC(vbios_source,
		 "Where to read the dGPU's vBIOS from: auto (every source, the best valid image kept), firmware, acpi, rom-bar or platform (default: auto)");

/*
 * Read one source in 4 KiB chunks, as far as the parser says it needs,
 * until its image chain parses as complete, is rejected, or the source
 * ends. The parse resumes after each read (gh_vbios_parse_more()), so the
 * whole read is linear in the ROM's size. On success *data holds the chain
 * (kvfree() it) and cand->info its parse.
 */
static int gh_vbios_read_source(struct pci_dev *pdev,
				const struct gh_vbios_source *src,
				struct gh_vbios_candidate *cand, u8 **data)
{
	size_t max = GH_VBIOS_READ_MAX, len = 0, cap = 0;
	u8 *buf = NULL, *nbuf;
	bool end = false;
	void *priv;
	int ret;

	priv = src->init(pdev);
	if (IS_ERR(priv))
		return PTR_ERR(priv);
	if (src->size)
		max = min_t(size_t, src->size(priv), GH_VBIOS_READ_MAX);

	gh_vbios_parse(NULL, 0, 0, 0, &cand->info);	/* empty: wants the header */
	for (;;) {
		size_t want = min_t(size_t, max, round_up(cand->info.need, GH_VBIOS_ACPI_CHUNK));

		while (len < want && !end) {
			size_t chunk = min_t(size_t, GH_VBIOS_ACPI_CHUNK, max - len);

			if (len + chunk > cap) {
				size_t ncap = max3(cap * 2, want, (size_t)SZ_64K);

				ncap = min(ncap, max);
				nbuf = gh_inject(GH_FAULT_ALLOC) ? NULL :
				       kvmalloc(ncap, GFP_KERNEL);
				if (!nbuf) {
					ret = -ENOMEM;
					goto out;
				}
				if (len)
					memcpy(nbuf, buf, len);
				kvfree(buf);
				buf = nbuf;
				cap = ncap;
			}
			ret = src->read(priv, len, chunk, buf + len);
			if (ret < 0)
				goto out;
			len += ret;
			end = (size_t)ret < chunk || len == max;
		}
		if (!gh_vbios_parse_more(buf, len, pdev->vendor, pdev->device,
					 &cand->info)) {
			ret = 0;
			break;
		}
		if (!gh_vbios_wants_more(&cand->info) || end || cand->info.need <= len) {
			ret = -ENODATA;
			break;
		}
	}
out:
	if (src->fini)
		src->fini(priv);
	if (ret) {
		kvfree(buf);
		return ret;
	}
	*data = buf;
	return 0;
}

/* Log what reading a source gave, once, as gh_vbios_take() does. */
static void gh_vbios_log(struct pci_dev *pdev, const struct gh_vbios_source *src,
			 const struct gh_vbios_candidate *cand)
{
	if (cand->err == -ENODATA)
		pci_info(pdev, "vbios: %s: rejected: %s at 0x%x\n", src->name,
			 gh_vbios_reason_str(cand->info.reason),
			 cand->info.reason_offset);
	else if (cand->err && cand->err != -ENODEV && cand->err != -ENOENT)
		pci_warn(pdev, "vbios: %s: read failed (%d): source skipped, nothing of it kept\n",
			 src->name, cand->err);
}

static struct gh_vbios *gh_vbios_find(struct gh_device *gh)
{
	struct gh_vbios *vb;

	lockdep_assert_held(&gh_vbios_lock);
	list_for_each_entry(vb, &gh_vbios_list, node)
		if (vb->gh == gh)
			return vb;
	return NULL;
}

static struct gh_vbios *gh_vbios_get(struct gh_device *gh)
{
	struct gh_vbios *vb = gh_vbios_find(gh);

	if (vb)
		return vb;
	if (gh_inject(GH_FAULT_ALLOC))
		return NULL;
	vb = kzalloc(struct_size(vb, cand, GH_NR_SOURCES), GFP_KERNEL);
	if (!vb)
		return NULL;
	vb->gh = gh;
	vb->source = -1;
	list_add(&vb->node, &gh_vbios_list);
	return vb;
}

static int gh_vbios_take(struct gh_device *gh, struct gh_vbios *vb)
{
	struct pci_dev *pdev = gh->pdev;
	bool resumed = false;
	int best_score = 0;
	unsigned int i;

	for (i = 0; i < GH_NR_SOURCES; i++) {
		const struct gh_vbios_source *src = &gh_vbios_sources[i];
		struct gh_vbios_candidate *cand = &vb->cand[i];
		u8 *data = NULL;
		int score;

		if (gh_vbios_only >= 0 && gh_vbios_only != i) {
			cand->err = -ECANCELED;
			continue;
		}
		if (i == GH_SOURCE_ROMBAR) {
			/* read at probe, or not at all (gh_vbios_probe()) */
			data = cand->data;
			cand->data = NULL;
			if (!data && !cand->err)
				cand->err = -EBUSY;
		} else {
			/* ACPI may touch the device's power resources */
			if (!resumed)
				resumed = pm_runtime_resume_and_get(&pdev->dev) >= 0;
			cand->err = gh_vbios_read_source(pdev, src, cand, &data);
			gh_vbios_log(pdev, src, cand);
		}
		if (cand->err)
			continue;
		score = cand->info.score + src->bonus;
		pci_info(pdev, "vbios: %s: %u bytes, %u images, score %d%s\n",
			 src->name, cand->info.length, cand->info.nr_images,
			 score, cand->info.warnings & GH_VBIOS_WARN_ID_MISMATCH ?
			 ", for another device ID" : "");
		if (score <= best_score) {
			kvfree(data);
			continue;
		}
		kvfree(vb->data);
		vb->data = data;
		vb->len = cand->info.length;
		vb->info = cand->info;
		vb->source = i;
		best_score = score;
	}
	if (resumed)
		pm_runtime_put(&pdev->dev);
	/* out of memory is no verdict on the sources: the next call reads again */
	for (i = 0; vb->source < 0 && i < GH_NR_SOURCES; i++)
		if (vb->cand[i].err == -ENOMEM)
			return -ENOMEM;
	if (vb->source < 0)
		pci_warn(pdev, "vbios: no source holds a valid vBIOS; place one in /lib/firmware/gpuhelper/vbios-%04x-%04x.rom\n",
			 pdev->vendor, pdev->device);
	vb->done = true;
	return 0;
}

/**
 * gh_vbios_probe() - read the ROM BAR while gpuhelper's driver holds the device
 * @gh: the device, being probed by gpuhelper's PCI driver
 *
 * Called from the probe, where the driver core holds the device lock and
 * the device is runtime active: the one state in which reading the ROM BAR
 * (device MMIO) cannot disturb another driver or a VM. Reads it once, as
 * long as no shadow has been taken; a device not in D0 is not read. What
 * was read is kept for gh_vbios_shadow(). May sleep.
 */
void gh_vbios_probe(struct gh_device *gh)
{
	const struct gh_vbios_source *src = &gh_vbios_sources[GH_SOURCE_ROMBAR];
	struct pci_dev *pdev = gh->pdev;
	struct gh_vbios_candidate *cand;
	struct gh_vbios *vb;
	u8 *data = NULL;

	if (gh->role != GPUHELPER_ROLE_DGPU ||
	    (gh_vbios_only >= 0 && gh_vbios_only != GH_SOURCE_ROMBAR))
		return;
	mutex_lock(&gh_vbios_lock);
	vb = gh_vbios_get(gh);
	if (!vb || vb->cand[GH_SOURCE_ROMBAR].data ||
	    vb->cand[GH_SOURCE_ROMBAR].err == -ENODATA)
		goto out;
	/*
	 * A shadow that found nothing (taken while another driver had the
	 * device) is taken again, with what the ROM BAR holds.
	 */
	if (vb->done && vb->data)
		goto out;
	vb->done = false;
	cand = &vb->cand[GH_SOURCE_ROMBAR];
	/* MMIO only in D0; a function without PM capability is always there */
	if ((pdev->current_state != PCI_D0 &&
	     !(pdev->current_state == PCI_UNKNOWN && !pdev->pm_cap)) ||
	    pci_dev_is_disconnected(pdev)) {
		pci_info(pdev, "vbios: rom-bar: not read: the device is in D%d\n",
			 pdev->current_state);
		cand->err = -EAGAIN;
		goto out;
	}
	cand->err = gh_vbios_read_source(pdev, src, cand, &data);
	gh_vbios_log(pdev, src, cand);
	cand->data = data;
out:
	mutex_unlock(&gh_vbios_lock);
}

/**
 * gh_vbios_shadow() - read the vBIOS of a tracked device, once
 * @gh: the device
 *
 * Reads every source, keeps the best valid image. Later calls return the
 * first result, unless memory ran out before any source gave a valid
 * image: then nothing is kept and the next call reads again. May sleep for
 * the time the sources take (ACPI _ROM: some 40 method calls for a
 * 164 KiB vBIOS).
 *
 * Return: 0 when a valid vBIOS is shadowed, -ENODATA when no source had
 * one, -ENOMEM.
 */
int gh_vbios_shadow(struct gh_device *gh)
{
	struct gh_vbios *vb;
	int ret = 0;

	mutex_lock(&gh_vbios_lock);
	vb = gh_vbios_get(gh);
	if (!vb) {
		ret = -ENOMEM;
		goto out;
	}
	if (!vb->done)
		ret = gh_vbios_take(gh, vb);
	if (!ret && !vb->data)
		ret = -ENODATA;
out:
	mutex_unlock(&gh_vbios_lock);
	return ret;
}

/**
 * gh_vbios_free() - drop the shadow of a device
 * @gh: the device
 *
 * Call once its class device (and so gh_vbios_group) is gone.
 */
void gh_vbios_free(struct gh_device *gh)
{
	struct gh_vbios *vb;

	mutex_lock(&gh_vbios_lock);
	vb = gh_vbios_find(gh);
	if (vb) {
		unsigned int i;

		list_del(&vb->node);
		for (i = 0; i < GH_NR_SOURCES; i++)
			kvfree(vb->cand[i].data);
		kvfree(vb->data);
		kfree(vb);
	}
	mutex_unlock(&gh_vbios_lock);
}

static ssize_t vbios_read(struct file *file, struct kobject *kobj,
			  struct bin_attribute *attr, char *buf, loff_t off,
			  size_t count)
{
	struct gh_device *gh = dev_get_drvdata(kobj_to_dev(kobj));
	struct gh_vbios *vb;
	ssize_t ret;

	ret = gh_vbios_shadow(gh);
	if (ret)
		return ret;
	mutex_lock(&gh_vbios_lock);
	vb = gh_vbios_find(gh);
	if (!vb || !vb->data) {
		ret = -ENODATA;
	} else if (off >= vb->len) {
		ret = 0;
	} else {
		ret = min_t(size_t, count, vb->len - off);
		memcpy(buf, vb->data + off, ret);
	}
	mutex_unlock(&gh_vbios_lock);
	return ret;
}
static BIN_ATTR_ADMIN_RO(vbios, 0);

static ssize_t vbios_source_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct gh_device *gh = dev_get_drvdata(dev);
	struct gh_vbios *vb;
	ssize_t ret;

	ret = gh_vbios_shadow(gh);
	if (ret && ret != -ENODATA)
		return ret;
	mutex_lock(&gh_vbios_lock);
	vb = gh_vbios_find(gh);
	ret = sysfs_emit(buf, "%s\n", !vb || vb->source < 0 ? "none" :
			 gh_vbios_sources[vb->source].name);
	mutex_unlock(&gh_vbios_lock);
	return ret;
}
static DEVICE_ATTR_ADMIN_RO(vbios_source);

static ssize_t vbios_info_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct gh_device *gh = dev_get_drvdata(dev);
	struct gh_vbios *vb;
	unsigned int i;
	ssize_t ret;
	int len = 0;

	ret = gh_vbios_shadow(gh);
	if (ret && ret != -ENODATA)
		return ret;
	mutex_lock(&gh_vbios_lock);
	vb = gh_vbios_find(gh);
	if (!vb) {
		mutex_unlock(&gh_vbios_lock);
		return -ENODATA;
	}
	len += sysfs_emit_at(buf, len, "source: %s\n", vb->source < 0 ? "none" :
			     gh_vbios_sources[vb->source].name);
	if (vb->data)
		len += gh_vbios_summary(&vb->info, buf + len, PAGE_SIZE - len);
	for (i = 0; i < GH_NR_SOURCES; i++) {
		const struct gh_vbios_candidate *c = &vb->cand[i];
		const char *name = gh_vbios_sources[i].name;

		if (!c->err)
			len += sysfs_emit_at(buf, len, "candidate %s: valid, %u bytes, score %d\n",
					     name, c->info.length,
					     c->info.score + gh_vbios_sources[i].bonus);
		else if (c->err == -ECANCELED)
			len += sysfs_emit_at(buf, len, "candidate %s: skipped (vbios_source=%s)\n",
					     name, gh_vbios_sources[gh_vbios_only].name);
		else if (c->err == -ENODATA)
			len += sysfs_emit_at(buf, len, "candidate %s: rejected: %s at 0x%x\n",
					     name, gh_vbios_reason_str(c->info.reason),
					     c->info.reason_offset);
		else if (c->err == -EBUSY || c->err == -EAGAIN)
			len += sysfs_emit_at(buf, len, "candidate %s: not read: %s\n",
					     name, gh_rombar_when);
		else
			len += sysfs_emit_at(buf, len, "candidate %s: unavailable (%d)\n",
					     name, c->err);
	}
	mutex_unlock(&gh_vbios_lock);
	return len;
}
static DEVICE_ATTR_ADMIN_RO(vbios_info);

static struct attribute *gh_vbios_attrs[] = {
	&dev_attr_vbios_source.attr,
	&dev_attr_vbios_info.attr,
	NULL,
};

static struct bin_attribute *gh_vbios_bin_attrs[] = {
	&bin_attr_vbios,
	NULL,
};

/* Only the dGPU has a vBIOS, not its HDMI audio or other functions. */
static bool gh_vbios_visible(struct kobject *kobj)
{
	struct gh_device *gh = dev_get_drvdata(kobj_to_dev(kobj));

	return gh->role == GPUHELPER_ROLE_DGPU;
}

static umode_t gh_vbios_attr_visible(struct kobject *kobj,
				     struct attribute *attr, int n)
{
	return gh_vbios_visible(kobj) ? attr->mode : 0;
}

static umode_t gh_vbios_bin_visible(struct kobject *kobj,
				    struct bin_attribute *attr, int n)
{
	return gh_vbios_visible(kobj) ? attr->attr.mode : 0;
}

const struct attribute_group gh_vbios_group = {
	.attrs		= gh_vbios_attrs,
	.bin_attrs	= gh_vbios_bin_attrs,
	.is_visible	= gh_vbios_attr_visible,
	.is_bin_visible	= gh_vbios_bin_visible,
};
