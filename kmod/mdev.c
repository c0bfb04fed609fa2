// SPDX-License-Identifier: GPL-2.0
/*
 * mdev.c - declared GVT-g vGPUs (mdevs) on an iGPU, created at every boot.
 *
 * A "parent" is a PCI display function that has registered mdev types
 * with the mdev core (i915 with GVT-g once kvmgt is loaded): it then has
 * a mdev_supported_types/ directory, and gpuhelper gives it a class
 * directory /sys/class/gpuhelper/<bdf>/ with create, remove, mdevs and
 * mdev_result. It is not claimed or bound: i915 keeps driving it.
 *
 * gpuhelper records which mdevs should exist (mdevs= at load, "create" at
 * run time) and announces every change with a KOBJ_CHANGE uevent on the
 * class device (GH_MDEV_ACTION=sync|create|remove). Creating the device is
 * the executor's job: the mdev core exports no creation function, so the
 * shipped udev rule runs "gpuhelper mdev apply <bdf>", which writes the
 * UUID to the type's create file exactly as the seed's rc.local did and
 * reports the outcome to mdev_result. Documentation/mdev.rst explains why.
 *
 * Parents come and go without telling anyone in the kernel: i915 registers
 * its types when it probes with kvmgt already loaded, or when kvmgt loads
 * later, and unregisters them on unbind or when kvmgt unloads. gpuhelper
 * rescans the display functions when a PCI driver binds or unbinds and
 * when any module finishes loading or unloading, never by polling.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uuid.h>
#include <linux/workqueue.h>

#include "faultinject.h"
#include "gpuhelper.h"
#include "mdev.h"

/**
 * struct gh_mdev_req - one declared mdev
 * @node: entry in the parent's @reqs
 * @uuid: its UUID, text byte order
 * @type: type directory name; "" until the executor resolves the default
 * @removing: removal requested, waiting for the executor
 * @err: why the executor could not create it; cleared when the parent
 *	registers again
 * @from_param: declared by mdevs=
 */
struct gh_mdev_req {
	struct list_head node;
	u8 uuid[16];
	char type[GH_MDEV_TYPE_MAX + 1];
	bool removing;
	int err;
	bool from_param;
};

/**
 * struct gh_mdev_parent - a PCI function that is or may become a parent
 * @node: entry in gh_mdev_parents
 * @bdf: its address; known before the function exists when mdevs= names it
 * @pdev: the function while it exists (a reference), else NULL
 * @dev: the class device while @pdev has registered mdev types
 * @registered: @pdev has registered mdev types
 * @reported: "never registered" was logged, so it is not logged again
 * @reqs: the declared mdevs (struct gh_mdev_req)
 *
 * Parents are freed only at module exit; everything is under gh_mdev_lock.
 */
struct gh_mdev_parent {
	struct list_head node;
	char bdf[GH_MDEV_BDF_LEN + 1];
	struct pci_dev *pdev;
	struct device *dev;
	bool registered;
	bool reported;
	struct list_head reqs;
};

static DEFINE_MUTEX(gh_mdev_lock);
static LIST_HEAD(gh_mdev_parents);

/* mdevs= and mdevs_wait= */
static struct gh_mdev_spec mdevs[GH_MDEVS_MAX];
static unsigned int nr_mdevs;

static int mdevs_set(const char *val, const struct kernel_param *kp)
{
	struct gh_list_error err;
	int ret;

	ret = gh_mdevs_parse(val, mdevs, GH_MDEVS_MAX, &nr_mdevs, &err);
	if (ret)
		pr_err("mdevs: entry %u '%s' rejected: %s; no mdev applied\n",
		       err.index + 1, err.entry, err.reason);
	return ret;
}

static int mdevs_get(char *buf, const struct kernel_param *kp)
{
	char entry[GH_MDEV_ENTRY_MAX + 1];
	unsigned int i;
	int len = 0;

	for (i = 0; i < nr_mdevs; i++) {
		gh_mdev_spec_format(&mdevs[i], entry, sizeof(entry));
		len += sysfs_emit_at(buf, len, "%s%s", i ? "," : "", entry);
	}
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static const struct kernel_param_ops mdevs_ops = {
	.set = mdevs_set,
	.get = mdevs_get,
};

module_param_cb(mdevs, &mdevs_ops, NULL, 0444);
MODULE_PARM_DESC(mdevs,
		 "Mediated devices (GVT-g vGPUs) to create whenever their parent registers its mdev types: comma list of BDF/TYPE/UUID (e.g. 0000:00:02.0/i915-GVTg_V5_4/af5972fb-5530-41a7-0000-fd836204445b; an empty TYPE picks the largest resolution with a free instance). A malformed entry or a repeated UUID fails the load.");

static unsigned int mdevs_wait = 60;
module_param(mdevs_wait, uint, 0444);
MODULE_PARM_DESC(mdevs_wait,
		 "Seconds after load to report, once, each mdevs= parent that has not registered mdev types (default: 60)");

static void gh_mdev_scan_fn(struct work_struct *work);
static DECLARE_WORK(gh_mdev_scan_work, gh_mdev_scan_fn);
static void gh_mdev_report_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(gh_mdev_report_work, gh_mdev_report_fn);

static struct gh_mdev_parent *gh_mdev_parent_find(const char *bdf)
{
	struct gh_mdev_parent *p;

	lockdep_assert_held(&gh_mdev_lock);
	list_for_each_entry(p, &gh_mdev_parents, node)
		if (!strcmp(p->bdf, bdf))
			return p;
	return NULL;
}

static struct gh_mdev_parent *gh_mdev_parent_get(const char *bdf)
{
	struct gh_mdev_parent *p = gh_mdev_parent_find(bdf);

	if (p)
		return p;
	p = gh_inject(GH_FAULT_ALLOC) ? NULL : kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return NULL;
	strscpy(p->bdf, bdf, sizeof(p->bdf));
	INIT_LIST_HEAD(&p->reqs);
	list_add_tail(&p->node, &gh_mdev_parents);
	return p;
}

static struct gh_mdev_req *gh_mdev_req_find(struct gh_mdev_parent *p,
					    const u8 uuid[16])
{
	struct gh_mdev_req *req;

	list_for_each_entry(req, &p->reqs, node)
		if (!memcmp(req->uuid, uuid, 16))
			return req;
	return NULL;
}

static bool gh_mdev_declared(const u8 uuid[16])
{
	struct gh_mdev_parent *p;

	list_for_each_entry(p, &gh_mdev_parents, node)
		if (gh_mdev_req_find(p, uuid))
			return true;
	return false;
}

/*
 * Has @pdev registered mdev types? The mdev core's sysfs layout is its ABI
 * (Documentation/ABI/testing/sysfs-bus-vfio-mdev); this only looks the
 * directory up by name, it reads and writes nothing in it. Called with
 * gh_mdev_lock held or under pci_lock_rescan_remove(): the function is not
 * deleted meanwhile, so its kernfs node is valid.
 */
static bool gh_mdev_has_types(struct pci_dev *pdev, const char *type)
{
	struct kernfs_node *types, *kn;

	if (!pdev->dev.kobj.sd)
		return false;
	types = sysfs_get_dirent(pdev->dev.kobj.sd, "mdev_supported_types");
	if (!types)
		return false;
	if (!type) {
		sysfs_put(types);
		return true;
	}
	kn = sysfs_get_dirent(types, type);
	sysfs_put(types);
	if (!kn)
		return false;
	sysfs_put(kn);
	return true;
}

static int gh_mdev_is_uuid(struct device *dev, void *data)
{
	return dev->bus && !strcmp(dev->bus->name, "mdev") &&
	       !strcmp(dev_name(dev), data);
}

/* Does the mdev @uuid exist on @p? gh_mdev_lock held. */
static bool gh_mdev_live(struct gh_mdev_parent *p, const u8 uuid[16])
{
	char name[GH_MDEV_UUID_LEN + 1];
	struct device *dev;

	if (!p->pdev || !p->registered)
		return false;
	gh_uuid_format(uuid, name);
	dev = device_find_child(&p->pdev->dev, name, gh_mdev_is_uuid);
	put_device(dev);
	return dev;
}

/* Announce a change to the executor; drops the caller's reference on @dev. */
static void gh_mdev_uevent(struct device *dev, const char *action,
			   const u8 uuid[16])
{
	char act[32], id[16 + GH_MDEV_UUID_LEN];
	char *envp[3] = { act };

	if (!dev)
		return;
	snprintf(act, sizeof(act), "GH_MDEV_ACTION=%s", action);
	if (uuid) {
		strscpy(id, "GH_MDEV_UUID=", sizeof(id));
		gh_uuid_format(uuid, id + strlen(id));
		envp[1] = id;
	}
	kobject_uevent_env(&dev->kobj, KOBJ_CHANGE, envp);
	put_device(dev);
}

static const char *gh_mdev_errhint(int err)
{
	switch (err) {
	case -EUSERS:
	case -ENOSPC:
		return "no free instance of this type: remove one of its mdevs or pick another";
	case -ENOENT:
		return "the parent has no such type: pick one listed in mdev_supported_types/";
	case -EEXIST:
		return "the UUID is taken by another mdev: pick another";
	case -ENODEV:
		return "the parent unregistered its mdev types meanwhile";
	default:
		return "see the parent driver's messages above";
	}
}

/**
 * gh_mdev_create() - declare an mdev and ask the executor to create it
 * @parent: the parent's PCI address
 * @type: type directory name, "" for the largest resolution with a free
 *	instance (resolved by the executor)
 * @uuid: the UUID; filled in when @gen_uuid
 * @gen_uuid: generate a random UUID
 *
 * Validates what the kernel can see: the parent has registered mdev types
 * (-ENODEV), @type is one of them (-ENOENT), @uuid is not declared or in
 * use on this parent (-EEXIST). Nothing is recorded on error.
 *
 * Return: 0 once the mdev is declared and announced, or a negative errno.
 */
int gh_mdev_create(const char *parent, const char *type, u8 uuid[16],
		   bool gen_uuid)
{
	char name[GH_MDEV_UUID_LEN + 1];
	struct gh_mdev_parent *p;
	struct gh_mdev_req *req;
	struct device *dev;
	int ret;

	if (*type && gh_mdev_type_valid(type, strlen(type)))
		return -EINVAL;
	req = gh_inject(GH_FAULT_ALLOC) ? NULL : kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;

	mutex_lock(&gh_mdev_lock);
	p = gh_mdev_parent_find(parent);
	if (!p || !p->registered) {
		pr_err("%s: cannot create an mdev: no mdev parent at this address (for GVT-g boot with i915.enable_gvt=1 and load kvmgt)\n",
		       parent);
		ret = -ENODEV;
		goto err_unlock;
	}
	if (*type && !gh_mdev_has_types(p->pdev, type)) {
		pr_err("%s: cannot create an mdev of type '%s': no such type (see mdev_supported_types/)\n",
		       parent, type);
		ret = -ENOENT;
		goto err_unlock;
	}
	if (gen_uuid) {
		do {
			uuid_t u;

			uuid_gen(&u);
			memcpy(uuid, u.b, 16);
		} while (gh_mdev_declared(uuid));
	} else if (gh_mdev_declared(uuid) || gh_mdev_live(p, uuid)) {
		gh_uuid_format(uuid, name);
		pr_err("%s: cannot create mdev %s: the UUID is already declared or in use; pick another\n",
		       parent, name);
		ret = -EEXIST;
		goto err_unlock;
	}

	memcpy(req->uuid, uuid, 16);
	strscpy(req->type, type, sizeof(req->type));
	list_add_tail(&req->node, &p->reqs);
	dev = get_device(p->dev);
	mutex_unlock(&gh_mdev_lock);

	gh_uuid_format(uuid, name);
	dev_info(dev, "mdev %s (type %s) declared, waiting for the executor\n",
		 name, *type ? type : "default");
	gh_mdev_uevent(dev, "create", uuid);
	return 0;

err_unlock:
	mutex_unlock(&gh_mdev_lock);
	kfree(req);
	return ret;
}

/**
 * gh_mdev_remove() - withdraw an mdev and ask the executor to remove it
 * @parent: the parent's PCI address, or NULL to search every parent
 * @uuid: the mdev
 *
 * @declared_only: refuse an mdev gpuhelper did not declare (netlink)
 *
 * On a registered parent the mdev (declared or not) is marked "removing"
 * until the executor has removed it through the mdev core, even when it
 * does not exist yet: an executor may be creating it right now, and udev
 * runs the events of one device in order. Elsewhere it is just forgotten.
 *
 * Return: 0, -ENOENT when no such mdev is declared or exists, or -EPERM
 * when it exists, was not declared and @declared_only is set.
 */
int gh_mdev_remove(const char *parent, const u8 uuid[16], bool declared_only)
{
	struct gh_mdev_parent *p;
	struct gh_mdev_req *req = NULL, *fresh = NULL;
	struct device *dev = NULL;
	bool live = false;

	fresh = gh_inject(GH_FAULT_ALLOC) ? NULL : kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;

	mutex_lock(&gh_mdev_lock);
	list_for_each_entry(p, &gh_mdev_parents, node) {
		if (parent && strcmp(p->bdf, parent))
			continue;
		req = gh_mdev_req_find(p, uuid);
		live = gh_mdev_live(p, uuid);
		if (req || live)
			break;
	}
	if (!req && (!live || declared_only)) {
		mutex_unlock(&gh_mdev_lock);
		kfree(fresh);
		if (live)
			pr_info("%s: mdev %pUb was not declared by gpuhelper: not removed; remove it through /sys/bus/mdev/devices/%pUb/remove\n",
				p->bdf, uuid, uuid);
		return live ? -EPERM : -ENOENT;
	}
	if (!p->registered) {
		list_del(&req->node);
		kfree(req);
	} else {
		if (!req) {
			/* an mdev gpuhelper did not declare: remove it too */
			memcpy(fresh->uuid, uuid, 16);
			list_add_tail(&fresh->node, &p->reqs);
			req = fresh;
			fresh = NULL;
		}
		req->removing = true;
		dev = get_device(p->dev);
	}
	mutex_unlock(&gh_mdev_lock);
	kfree(fresh);
	gh_mdev_uevent(dev, "remove", uuid);
	return 0;
}

/**
 * gh_mdev_result() - the executor's report on one mdev
 * @parent: the parent's PCI address
 * @uuid: the mdev
 * @removed: the report is on a removal, not a creation
 * @err: 0 or the negative errno the mdev core returned
 * @type: the type it was created with (resolves a default type), or ""
 *
 * A failed create is logged and marks the declaration "failed" (unless the
 * mdev exists anyway: two executors raced); it is not tried again until
 * the parent registers again, and "remove" withdraws it. A successful
 * removal drops the declaration; a failed one keeps it.
 *
 * Return: 0, or -ENOENT when @uuid is not declared on @parent.
 */
int gh_mdev_result(const char *parent, const u8 uuid[16], bool removed,
		   int err, const char *type)
{
	char name[GH_MDEV_UUID_LEN + 1];
	struct gh_mdev_parent *p;
	struct gh_mdev_req *req;
	struct pci_dev *pdev;
	bool live;

	gh_uuid_format(uuid, name);
	mutex_lock(&gh_mdev_lock);
	p = gh_mdev_parent_find(parent);
	req = p ? gh_mdev_req_find(p, uuid) : NULL;
	if (!req) {
		mutex_unlock(&gh_mdev_lock);
		return -ENOENT;
	}
	pdev = pci_dev_get(p->pdev);
	live = gh_mdev_live(p, uuid);
	if (removed) {
		if (!live) {
			list_del(&req->node);
			kfree(req);
			pr_info("%s: mdev %s removed\n", parent, name);
		} else {
			req->removing = false;
			pr_err("%s: mdev %s not removed: %pe (is a VM still using it?); it stays declared\n",
			       parent, name, ERR_PTR(err ? err : -EBUSY));
		}
	} else if (!err || live) {
		req->err = 0;
		if (*type && !gh_mdev_type_valid(type, strlen(type)))
			strscpy(req->type, type, sizeof(req->type));
		pr_info("%s: mdev %s (type %s) created\n", parent, name,
			req->type[0] ? req->type : "default");
	} else {
		pr_err("%s: mdev %s (type %s%s) not created: %pe: %s\n", parent,
		       name, req->type[0] ? req->type : "default",
		       req->from_param ? ", from mdevs=" : "", ERR_PTR(err),
		       gh_mdev_errhint(err));
		req->err = err;
	}
	mutex_unlock(&gh_mdev_lock);
	pci_dev_put(pdev);
	return 0;
}

struct gh_mdev_walk {
	struct gh_mdev_parent *p;
	int (*cb)(const struct gh_mdev_info *info, void *arg);
	void *arg;
	int ret;
};

/* An mdev child of a parent that gpuhelper did not declare. */
static int gh_mdev_walk_child(struct device *dev, void *data)
{
	struct gh_mdev_walk *w = data;
	struct gh_mdev_info info = { .state = "unmanaged" };
	u8 uuid[16];

	if (!dev->bus || strcmp(dev->bus->name, "mdev"))
		return 0;
	if (gh_uuid_parse(dev_name(dev), strlen(dev_name(dev)), uuid) ||
	    gh_mdev_req_find(w->p, uuid))
		return 0;
	strscpy(info.parent, w->p->bdf, sizeof(info.parent));
	gh_uuid_format(uuid, info.uuid);
	w->ret = w->cb(&info, w->arg);
	return w->ret;
}

/**
 * gh_mdev_for_each() - report every declared or existing mdev
 * @parent: only this parent's, or NULL for all
 * @cb: called for each, under gh_mdev_lock: it must not sleep for long or
 *	call back into gpuhelper; a non-zero return stops the walk
 * @arg: passed to @cb
 *
 * Return: 0 or what @cb returned to stop the walk.
 */
int gh_mdev_for_each(const char *parent,
		     int (*cb)(const struct gh_mdev_info *info, void *arg),
		     void *arg)
{
	struct gh_mdev_walk w = { .cb = cb, .arg = arg };
	struct gh_mdev_parent *p;
	struct gh_mdev_req *req;
	int ret = 0;

	mutex_lock(&gh_mdev_lock);
	list_for_each_entry(p, &gh_mdev_parents, node) {
		if (parent && strcmp(p->bdf, parent))
			continue;
		list_for_each_entry(req, &p->reqs, node) {
			struct gh_mdev_info info;

			strscpy(info.parent, p->bdf, sizeof(info.parent));
			strscpy(info.type, req->type, sizeof(info.type));
			gh_uuid_format(req->uuid, info.uuid);
			info.err = req->err;
			if (!p->registered)
				info.state = "waiting";
			else if (req->removing)
				info.state = "removing";
			else if (gh_mdev_live(p, req->uuid))
				info.state = "active";
			else if (req->err)
				info.state = "failed";
			else
				info.state = "pending";
			ret = cb(&info, arg);
			if (ret)
				goto out;
		}
		if (p->pdev && p->registered) {
			w.p = p;
			device_for_each_child(&p->pdev->dev, &w,
					      gh_mdev_walk_child);
			ret = w.ret;
			if (ret)
				goto out;
		}
	}
out:
	mutex_unlock(&gh_mdev_lock);
	return ret;
}

/* ---- the class directory of a parent ---- */

struct gh_mdev_show {
	char *buf;
	int len;
};

static int gh_mdev_show_one(const struct gh_mdev_info *info, void *arg)
{
	struct gh_mdev_show *s = arg;

	s->len += sysfs_emit_at(s->buf, s->len, "%s %s %s", info->uuid,
				info->type[0] ? info->type : "*", info->state);
	if (info->err)
		s->len += sysfs_emit_at(s->buf, s->len, " %pe",
					ERR_PTR(info->err));
	s->len += sysfs_emit_at(s->buf, s->len, "\n");
	return 0;
}

static ssize_t mdevs_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct gh_mdev_parent *p = dev_get_drvdata(dev);
	struct gh_mdev_show s = { .buf = buf };

	gh_mdev_for_each(p->bdf, gh_mdev_show_one, &s);
	return s.len;
}
static DEVICE_ATTR_RO(mdevs);

/* Split @buf into at most @max whitespace-separated words. */
static int gh_words(char *buf, char **words, int max)
{
	int n = 0;
	char *w;

	while ((w = strsep(&buf, " \t\n"))) {
		if (!*w)
			continue;
		if (n == max)
			return -EINVAL;
		words[n++] = w;
	}
	return n;
}

/*
 * A writable copy of what was written. An embedded NUL is refused: the
 * words after it would be silently lost ("TYPE\0UUID" is not "TYPE").
 */
static char *gh_mdev_input(const char *buf, size_t count)
{
	char *copy;

	if (strnlen(buf, count) != count)
		return ERR_PTR(-EINVAL);
	copy = gh_inject(GH_FAULT_ALLOC) ? NULL : kstrndup(buf, count, GFP_KERNEL);
	return copy ?: ERR_PTR(-ENOMEM);
}

static ssize_t create_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct gh_mdev_parent *p = dev_get_drvdata(dev);
	const char *type = "";
	char *copy, *w[2];
	bool gen = true;
	u8 uuid[16];
	int n, ret;

	copy = gh_mdev_input(buf, count);
	if (IS_ERR(copy))
		return PTR_ERR(copy);
	n = gh_words(copy, w, 2);
	ret = -EINVAL;
	if (n < 0) {
		dev_err(dev, "create: expected '[TYPE] [UUID]'\n");
		goto out;
	}
	/* one word: a UUID if it reads as one, else a type */
	if (n == 2 || (n == 1 && !gh_uuid_parse(w[0], strlen(w[0]), uuid))) {
		const char *u = w[n - 1];

		if (gh_uuid_parse(u, strlen(u), uuid)) {
			dev_err(dev, "create: '%s' is not a UUID (8-4-4-4-12 hex digits)\n",
				u);
			goto out;
		}
		gen = false;
	}
	if (n == 2 || (n == 1 && gen))
		type = w[0];
	if (*type && gh_mdev_type_valid(type, strlen(type))) {
		dev_err(dev, "create: '%s' cannot name an mdev type\n", type);
		goto out;
	}
	ret = gh_mdev_create(p->bdf, type, uuid, gen);
out:
	kfree(copy);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(create);

static ssize_t remove_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct gh_mdev_parent *p = dev_get_drvdata(dev);
	char *copy, *w[1];
	u8 uuid[16];
	int ret;

	copy = gh_mdev_input(buf, count);
	if (IS_ERR(copy))
		return PTR_ERR(copy);
	ret = -EINVAL;
	if (gh_words(copy, w, 1) != 1 || gh_uuid_parse(w[0], strlen(w[0]), uuid))
		dev_err(dev, "remove: expected the UUID of one of its mdevs\n");
	else
		ret = gh_mdev_remove(p->bdf, uuid, false);
	kfree(copy);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(remove);

/* "create|remove UUID ERRNO [TYPE]", written by the executor per action */
static ssize_t mdev_result_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t count)
{
	struct gh_mdev_parent *p = dev_get_drvdata(dev);
	char *copy, *w[4];
	u8 uuid[16];
	int n, err, ret;

	copy = gh_mdev_input(buf, count);
	if (IS_ERR(copy))
		return PTR_ERR(copy);
	ret = -EINVAL;
	n = gh_words(copy, w, 4);
	if (n < 3 || (strcmp(w[0], "create") && strcmp(w[0], "remove")) ||
	    gh_uuid_parse(w[1], strlen(w[1]), uuid) ||
	    kstrtoint(w[2], 10, &err) || err > 0 || err < -MAX_ERRNO ||
	    (n == 4 && gh_mdev_type_valid(w[3], strlen(w[3])))) {
		dev_err(dev, "mdev_result: expected 'create|remove UUID ERRNO [TYPE]'\n");
		goto out;
	}
	ret = gh_mdev_result(p->bdf, uuid, !strcmp(w[0], "remove"), err,
			     n == 4 ? w[3] : "");
out:
	kfree(copy);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(mdev_result);

static struct attribute *gh_mdev_attrs[] = {
	&dev_attr_mdevs.attr,
	&dev_attr_create.attr,
	&dev_attr_remove.attr,
	&dev_attr_mdev_result.attr,
	NULL,
};
ATTRIBUTE_GROUPS(gh_mdev);

/**
 * gh_mdev_dev_uevent() - the sync request on every uevent of a parent
 * @dev: a class device of gpuhelper's
 * @env: the event being sent
 *
 * An announcement made while no udev listens (before the initramfs starts
 * udevd, across the switch to the real root) is lost; coldplug replays an
 * "add" of every device instead. Every event of a parent's class device
 * therefore carries GH_MDEV_ACTION=sync unless it names an action itself,
 * so the udev rule acts on the replay as on the announcement.
 *
 * Return: 0 or -ENOMEM.
 */
int gh_mdev_dev_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	static const char key[] = "GH_MDEV_ACTION=";
	int i;

	if (dev->groups != gh_mdev_groups)
		return 0;
	for (i = 0; i < env->envp_idx; i++)
		if (!strncmp(env->envp[i], key, sizeof(key) - 1))
			return 0;
	return add_uevent_var(env, "%ssync", key);
}

/* ---- finding parents ---- */

static bool gh_mdev_candidate(struct pci_dev *pdev)
{
	return (pdev->class >> 16) == PCI_BASE_CLASS_DISPLAY;
}

/*
 * Bring @p in line with whether @pdev has mdev types now. Called under
 * pci_lock_rescan_remove(), so @pdev is not removed meanwhile.
 */
static void gh_mdev_update(struct pci_dev *pdev)
{
	struct gh_mdev_parent *p;
	struct device *dev, *gone = NULL;
	bool reg = gh_mdev_has_types(pdev, NULL);
	unsigned int n = 0;
	struct gh_mdev_req *req, *tmp;

	mutex_lock(&gh_mdev_lock);
	p = gh_mdev_parent_find(pci_name(pdev));
	if (!p && !reg)
		goto out_unlock;
	if (!p)
		p = gh_mdev_parent_get(pci_name(pdev));
	if (!p)
		goto out_unlock;
	if (!p->pdev)
		p->pdev = pci_dev_get(pdev);
	if (reg == p->registered)
		goto out_unlock;
	/* a new registration starts afresh; a removal has happened */
	list_for_each_entry_safe(req, tmp, &p->reqs, node) {
		if (req->removing) {
			list_del(&req->node);
			kfree(req);
			continue;
		}
		req->err = 0;
		n++;
	}
	if (!reg) {
		p->registered = false;
		gone = p->dev;
		p->dev = NULL;
		mutex_unlock(&gh_mdev_lock);
		pr_info("%s: no longer an mdev parent; %u declared mdev%s will be created again when it registers\n",
			pci_name(pdev), n, n == 1 ? "" : "s");
		gh_sysfs_remove(gone);
		return;
	}
	mutex_unlock(&gh_mdev_lock);

	/* Outside the lock: creating the directory may run its attributes. */
	dev = gh_sysfs_add_groups(&pdev->dev, p, gh_mdev_groups);
	if (IS_ERR(dev)) {
		pr_err("%s: mdev parent, but no class directory: %pe\n",
		       pci_name(pdev), dev);
		return;
	}
	mutex_lock(&gh_mdev_lock);
	p->dev = dev;
	p->registered = true;
	if (p->reported)
		pr_info("%s: registered mdev types after all: creating its %u declared mdev%s\n",
			pci_name(pdev), n, n == 1 ? "" : "s");
	else
		pr_info("%s: mdev parent: %u declared mdev%s to create\n",
			pci_name(pdev), n, n == 1 ? "" : "s");
	mutex_unlock(&gh_mdev_lock);
	gh_mdev_uevent(get_device(dev), "sync", NULL);
	return;

out_unlock:
	mutex_unlock(&gh_mdev_lock);
}

static void gh_mdev_scan(void)
{
	struct pci_dev *pdev = NULL;
	bool named;

	pci_lock_rescan_remove();
	for_each_pci_dev(pdev) {
		mutex_lock(&gh_mdev_lock);
		named = gh_mdev_parent_find(pci_name(pdev));
		mutex_unlock(&gh_mdev_lock);
		if (named || gh_mdev_candidate(pdev))
			gh_mdev_update(pdev);
	}
	pci_unlock_rescan_remove();
}

static void gh_mdev_scan_fn(struct work_struct *work)
{
	gh_mdev_scan();
}

/* The function is being deleted: drop the class directory and reference. */
static void gh_mdev_pdev_gone(struct pci_dev *pdev)
{
	struct gh_mdev_parent *p;
	struct device *gone = NULL;
	struct pci_dev *put = NULL;

	mutex_lock(&gh_mdev_lock);
	p = gh_mdev_parent_find(pci_name(pdev));
	if (p && p->pdev == pdev) {
		gone = p->dev;
		p->dev = NULL;
		p->registered = false;
		put = p->pdev;
		p->pdev = NULL;
	}
	mutex_unlock(&gh_mdev_lock);
	gh_sysfs_remove(gone);
	pci_dev_put(put);
}

static void gh_mdev_report_fn(struct work_struct *work)
{
	struct gh_mdev_parent *p;
	struct gh_mdev_req *req;
	unsigned int n;

	mutex_lock(&gh_mdev_lock);
	list_for_each_entry(p, &gh_mdev_parents, node) {
		if (p->registered || p->reported)
			continue;
		n = 0;
		list_for_each_entry(req, &p->reqs, node)
			n += req->from_param;
		if (!n)
			continue;
		p->reported = true;
		pr_warn("%s: mdevs= lists %u mdev%s here, but %s has registered no mdev types in %u s: for GVT-g boot with i915.enable_gvt=1 and load kvmgt, or correct the address in mdevs=; they are created if it registers later\n",
			p->bdf, n, n == 1 ? "" : "s",
			p->pdev ? "this function" : "no such PCI function exists and it",
			mdevs_wait);
	}
	mutex_unlock(&gh_mdev_lock);
}

static int gh_mdev_pci_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	switch (action) {
	case BUS_NOTIFY_BOUND_DRIVER:
	case BUS_NOTIFY_UNBOUND_DRIVER:
		schedule_work(&gh_mdev_scan_work);
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		gh_mdev_pdev_gone(to_pci_dev(data));
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block gh_mdev_pci_nb = {
	.notifier_call = gh_mdev_pci_notify,
};

/* kvmgt registers i915's types when it loads and removes them as it goes */
static int gh_mdev_module_notify(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	if (action == MODULE_STATE_LIVE || action == MODULE_STATE_GOING)
		schedule_work(&gh_mdev_scan_work);
	return NOTIFY_DONE;
}

static struct notifier_block gh_mdev_module_nb = {
	.notifier_call = gh_mdev_module_notify,
};

static void gh_mdev_free_all(void)
{
	struct gh_mdev_parent *p, *ptmp;
	struct gh_mdev_req *req, *rtmp;
	LIST_HEAD(gone);

	/* off the list under the lock; the class devices go without it */
	mutex_lock(&gh_mdev_lock);
	list_splice_init(&gh_mdev_parents, &gone);
	mutex_unlock(&gh_mdev_lock);
	list_for_each_entry_safe(p, ptmp, &gone, node) {
		gh_sysfs_remove(p->dev);
		list_for_each_entry_safe(req, rtmp, &p->reqs, node)
			kfree(req);
		pci_dev_put(p->pdev);
		list_del(&p->node);
		kfree(p);
	}
}

/**
 * gh_mdev_init() - record mdevs=, find the parents present, start watching
 *
 * Return: 0 or a negative errno.
 */
int gh_mdev_init(void)
{
	struct gh_mdev_parent *p;
	struct gh_mdev_req *req;
	unsigned int i;
	int ret;

	mutex_lock(&gh_mdev_lock);
	for (i = 0; i < nr_mdevs; i++) {
		p = gh_mdev_parent_get(mdevs[i].bdf);
		req = gh_inject(GH_FAULT_ALLOC) ? NULL : kzalloc(sizeof(*req), GFP_KERNEL);
		if (!p || !req) {
			kfree(req);
			mutex_unlock(&gh_mdev_lock);
			ret = -ENOMEM;
			goto err_free;
		}
		memcpy(req->uuid, mdevs[i].uuid, 16);
		strscpy(req->type, mdevs[i].type, sizeof(req->type));
		req->from_param = true;
		list_add_tail(&req->node, &p->reqs);
	}
	mutex_unlock(&gh_mdev_lock);

	ret = bus_register_notifier(&pci_bus_type, &gh_mdev_pci_nb);
	if (ret)
		goto err_free;
	ret = register_module_notifier(&gh_mdev_module_nb);
	if (ret)
		goto err_pci_nb;

	gh_mdev_scan();
	if (nr_mdevs)
		schedule_delayed_work(&gh_mdev_report_work, mdevs_wait * HZ);
	return 0;

err_pci_nb:
	bus_unregister_notifier(&pci_bus_type, &gh_mdev_pci_nb);
err_free:
	gh_mdev_free_all();
	return ret;
}

/**
 * gh_mdev_exit() - stop watching and remove the class directories
 *
 * The mdevs themselves belong to the mdev core and stay: a running VM
 * keeps its vGPU when gpuhelper is unloaded.
 */
void gh_mdev_exit(void)
{
	unregister_module_notifier(&gh_mdev_module_nb);
	bus_unregister_notifier(&pci_bus_type, &gh_mdev_pci_nb);
	cancel_delayed_work_sync(&gh_mdev_report_work);
	cancel_work_sync(&gh_mdev_scan_work);
	gh_mdev_free_all();
}
