// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the "gpuhelper" generic netlink family.
 *
 * Spec: Documentation/netlink/specs/gpuhelper.yaml; numbers in
 * include/uapi/linux/gpuhelper.h. One policy per command, strict
 * validation for all (resv_start_op 0), GENL_ADMIN_PERM and CAP_SYS_ADMIN
 * on every command that changes anything. Reading is open to everyone, as
 * sysfs is.
 *
 * The family runs its operations in parallel (hand-offs may load modules
 * and probe drivers, which must not happen under the global genl mutex);
 * each slot's move_lock serializes its hand-offs (handoff.c), and readers
 * work from references and snapshots, never waiting for a hand-off.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "faultinject.h"
#include "gpuhelper.h"
#include "mdev.h"

/* "0000:01:00.0"; PCI domains may take up to 8 hex digits */
#define GH_NL_BDF_MAX	16

enum gh_nl_mcgrp {
	GH_NL_MCGRP_EVENTS,
};

static const struct nla_policy gh_nl_dev_get_policy[GPUHELPER_A_DEV_BDF + 1] = {
	[GPUHELPER_A_DEV_BDF] = { .type = NLA_NUL_STRING, .len = GH_NL_BDF_MAX },
};

static const struct nla_policy gh_nl_dev_set_state_policy[GPUHELPER_A_DEV_WITH_AUDIO + 1] = {
	[GPUHELPER_A_DEV_BDF] = { .type = NLA_NUL_STRING, .len = GH_NL_BDF_MAX },
	[GPUHELPER_A_DEV_STATE] = NLA_POLICY_RANGE(NLA_U32, GPUHELPER_STATE_STUB,
						   GPUHELPER_STATE_HOST),
	[GPUHELPER_A_DEV_WITH_AUDIO] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy gh_nl_mdev_get_policy[GPUHELPER_A_MDEV_UUID + 1] = {
	[GPUHELPER_A_MDEV_PARENT] = { .type = NLA_NUL_STRING, .len = GH_NL_BDF_MAX },
	[GPUHELPER_A_MDEV_UUID] = NLA_POLICY_EXACT_LEN(16),
};

static const struct nla_policy gh_nl_mdev_create_policy[GPUHELPER_A_MDEV_UUID + 1] = {
	[GPUHELPER_A_MDEV_PARENT] = { .type = NLA_NUL_STRING, .len = GH_NL_BDF_MAX },
	[GPUHELPER_A_MDEV_TYPE] = { .type = NLA_NUL_STRING, .len = GH_MDEV_TYPE_MAX },
	[GPUHELPER_A_MDEV_UUID] = NLA_POLICY_EXACT_LEN(16),
};

static const struct nla_policy gh_nl_mdev_remove_policy[GPUHELPER_A_MDEV_UUID + 1] = {
	[GPUHELPER_A_MDEV_PARENT] = { .type = NLA_NUL_STRING, .len = GH_NL_BDF_MAX },
	[GPUHELPER_A_MDEV_UUID] = NLA_POLICY_EXACT_LEN(16),
};

static struct genl_family gh_nl_family;

/*
 * The tracked function named by the string attribute @bdf, compared over
 * its whole length: "0000:01:00.0\0junk" names nothing. Referenced:
 * gh_put() it.
 */
static struct gh_device *gh_nl_lookup(const struct nlattr *bdf)
{
	struct gh_device *gh, *found = NULL;

	mutex_lock(&gh_lock);
	list_for_each_entry(gh, &gh_devices, node) {
		if (!nla_strcmp(bdf, pci_name(gh->pdev))) {
			found = gh_get(gh);
			break;
		}
	}
	mutex_unlock(&gh_lock);
	return found;
}

/* The @idx-th tracked function, referenced: gh_put() it. */
static struct gh_device *gh_nl_nth(unsigned long idx)
{
	struct gh_device *gh, *found = NULL;

	mutex_lock(&gh_lock);
	list_for_each_entry(gh, &gh_devices, node) {
		if (!idx--) {
			found = gh_get(gh);
			break;
		}
	}
	mutex_unlock(&gh_lock);
	return found;
}

/*
 * The core does not look at the version byte of the genl header; the
 * family speaks GPUHELPER_FAMILY_VERSION only, so a request written for
 * another version is refused rather than guessed at.
 */
static int gh_nl_check_version(const struct nlmsghdr *nlh,
			       struct netlink_ext_ack *extack)
{
	const struct genlmsghdr *hdr = nlmsg_data(nlh);

	if (hdr->version == GPUHELPER_FAMILY_VERSION)
		return 0;
	NL_SET_ERR_MSG(extack, "gpuhelper family version must be 1");
	return -EINVAL;
}

static int gh_nl_put_blockers(struct sk_buff *skb, struct gh_device *gh)
{
	char *buf, *line, *cur;
	int ret;

	buf = gh_inject(GH_FAULT_ALLOC) ? NULL : kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = gh_blockers(gh, true, buf, PAGE_SIZE);
	if (ret < 0)
		goto out;
	ret = 0;
	cur = buf;
	while ((line = strsep(&cur, "\n")) && *line) {
		ret = nla_put_string(skb, GPUHELPER_A_DEV_BLOCKER, line);
		if (ret)
			break;
	}
out:
	kfree(buf);
	return ret;
}

/*
 * @gh referenced. A snapshot under gh_lock: no device lock, which a
 * hand-off blocked in a driver's remove would hold.
 */
static int gh_nl_fill_dev(struct sk_buff *skb, struct gh_device *gh,
			  u32 portid, u32 seq, int flags,
			  struct netlink_callback *cb)
{
	struct pci_dev *pdev = gh->pdev;
	struct gh_device *primary;
	char primary_bdf[GH_NL_BDF_MAX + 1] = "";
	char driver[sizeof(gh->driver)];
	void *hdr;
	u32 state;
	int group, ret;

	hdr = genlmsg_put(skb, portid, seq, &gh_nl_family, flags,
			  GPUHELPER_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	mutex_lock(&gh_lock);
	state = gh->state;
	strscpy(driver, gh->driver, sizeof(driver));
	primary = gh_find_primary(gh);
	if (primary)
		strscpy(primary_bdf, pci_name(primary->pdev), sizeof(primary_bdf));
	mutex_unlock(&gh_lock);

	if (nla_put_string(skb, GPUHELPER_A_DEV_BDF, pci_name(pdev)) ||
	    nla_put_u32(skb, GPUHELPER_A_DEV_STATE, state) ||
	    nla_put_u32(skb, GPUHELPER_A_DEV_ROLE, gh->role) ||
	    nla_put_u16(skb, GPUHELPER_A_DEV_VENDOR, pdev->vendor) ||
	    nla_put_u16(skb, GPUHELPER_A_DEV_DEVICE, pdev->device) ||
	    nla_put_u16(skb, GPUHELPER_A_DEV_SUBVENDOR, pdev->subsystem_vendor) ||
	    nla_put_u16(skb, GPUHELPER_A_DEV_SUBDEVICE, pdev->subsystem_device) ||
	    nla_put_u32(skb, GPUHELPER_A_DEV_CLASS, pdev->class))
		goto err_cancel;

	group = gh_iommu_group_id(pdev);
	if (group >= 0 && nla_put_u32(skb, GPUHELPER_A_DEV_IOMMU_GROUP, group))
		goto err_cancel;
	if (primary_bdf[0] &&
	    nla_put_string(skb, GPUHELPER_A_DEV_PRIMARY, primary_bdf))
		goto err_cancel;

	if (driver[0] && nla_put_string(skb, GPUHELPER_A_DEV_DRIVER, driver))
		goto err_cancel;

	ret = gh_nl_put_blockers(skb, gh);
	if (ret)
		goto err_cancel_ret;

	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	ret = -EMSGSIZE;
err_cancel_ret:
	genlmsg_cancel(skb, hdr);
	return ret;
}

static int gh_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct gh_device *gh;
	struct sk_buff *msg;
	int ret;

	ret = gh_nl_check_version(info->nlhdr, info->extack);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, GPUHELPER_A_DEV_BDF))
		return -EINVAL;

	msg = gh_inject(GH_FAULT_ALLOC) ? NULL : genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	gh = gh_nl_lookup(info->attrs[GPUHELPER_A_DEV_BDF]);
	if (!gh) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[GPUHELPER_A_DEV_BDF]);
		NL_SET_ERR_MSG(info->extack, "no such function held by gpuhelper");
		nlmsg_free(msg);
		return -ENODEV;
	}
	ret = gh_nl_fill_dev(msg, gh, info->snd_portid, info->snd_seq, 0, NULL);
	gh_put(gh);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int gh_nl_dev_get_start(struct netlink_callback *cb)
{
	return gh_nl_check_version(cb->nlh, cb->extack);
}

/*
 * A dump that spans several parts walks the list by index, so a function
 * added or removed between two parts shifts the rest: each part records
 * the list's generation in cb->seq, and every message (and the closing
 * NLMSG_DONE) carries NLM_F_DUMP_INTR once it differs from the one the
 * dump started with (nl_dump_check_consistent()), so the reader asks
 * again.
 */
static int gh_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long idx = cb->args[0];
	unsigned int max = gh_test_nl_dump_max();
	unsigned int sent = 0;
	struct gh_device *gh;
	int ret = 0;

	mutex_lock(&gh_lock);
	cb->seq = gh_devices_gen;
	mutex_unlock(&gh_lock);

	while ((!max || sent < max) && (gh = gh_nl_nth(idx))) {
		ret = gh_nl_fill_dev(skb, gh, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		gh_put(gh);
		if (ret)
			break;
		idx++;
		sent++;
	}
	cb->args[0] = idx;
	/* a full skb ends this part of the dump; the next call resumes */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

/*
 * Moving the GPU or its vGPUs is what root does through sysfs. Besides
 * GENL_ADMIN_PERM's CAP_NET_ADMIN, every mutating command needs
 * CAP_SYS_ADMIN in the initial user namespace, so that a network manager
 * or a container given NET_ADMIN cannot take the GPU.
 */
static int gh_nl_need_sys_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack, "moving the GPU or its mdevs needs CAP_SYS_ADMIN");
	return -EPERM;
}

static int gh_nl_dev_set_state_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	bool with_audio = true;
	struct gh_device *gh;
	char why[80];
	int ret;

	ret = gh_nl_need_sys_admin(skb, info) ?: gh_nl_check_version(info->nlhdr, info->extack);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, GPUHELPER_A_DEV_BDF) ||
	    GENL_REQ_ATTR_CHECK(info, GPUHELPER_A_DEV_STATE))
		return -EINVAL;
	if (tb[GPUHELPER_A_DEV_WITH_AUDIO])
		with_audio = nla_get_u8(tb[GPUHELPER_A_DEV_WITH_AUDIO]);

	gh = gh_nl_lookup(tb[GPUHELPER_A_DEV_BDF]);
	if (!gh) {
		NL_SET_BAD_ATTR(info->extack, tb[GPUHELPER_A_DEV_BDF]);
		NL_SET_ERR_MSG(info->extack, "no such function held by gpuhelper");
		return -ENODEV;
	}
	ret = gh_handoff(gh, nla_get_u32(tb[GPUHELPER_A_DEV_STATE]), with_audio,
			 GPUHELPER_CAUSE_NETLINK, why, sizeof(why));
	gh_put(gh);
	if (ret)
		gh_extack_why(info->extack, why);
	return ret;
}

/* ---- mdevs (GVT-g vGPUs): the requests of mdev.h, as sysfs makes them ---- */

/*
 * The parent named by the string attribute @attr, in the canonical form
 * mdev.c keys parents by. Compared over the whole attribute, as DEV_BDF
 * is: "0000:00:02.0\0junk" is malformed.
 */
static int gh_nl_mdev_parent(const struct nlattr *attr,
			     char bdf[GH_MDEV_BDF_LEN + 1],
			     struct netlink_ext_ack *extack)
{
	if (!gh_bdf_parse(nla_data(attr), nla_len(attr) - 1, bdf))
		return 0;
	NL_SET_BAD_ATTR(extack, attr);
	NL_SET_ERR_MSG(extack, "the parent must be a PCI address dddd:bb:dd.f");
	return -EINVAL;
}

/* Context: may run under gh_mdev_lock (from gh_mdev_for_each()). */
static int gh_nl_fill_mdev(struct sk_buff *skb, const struct gh_mdev_info *info,
			   u32 portid, u32 seq, int flags)
{
	u8 uuid[16];
	void *hdr;

	if (gh_uuid_parse(info->uuid, strlen(info->uuid), uuid))
		return -EINVAL;
	hdr = genlmsg_put(skb, portid, seq, &gh_nl_family, flags,
			  GPUHELPER_CMD_MDEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, GPUHELPER_A_MDEV_PARENT, info->parent) ||
	    nla_put(skb, GPUHELPER_A_MDEV_UUID, sizeof(uuid), uuid) ||
	    (info->type[0] &&
	     nla_put_string(skb, GPUHELPER_A_MDEV_TYPE, info->type)) ||
	    nla_put_string(skb, GPUHELPER_A_MDEV_STATE, info->state) ||
	    (info->err && nla_put_s32(skb, GPUHELPER_A_MDEV_ERRNO, info->err))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

struct gh_nl_mdev_find {
	char uuid[GH_MDEV_UUID_LEN + 1];
	struct gh_mdev_info info;
};

static int gh_nl_mdev_find_one(const struct gh_mdev_info *info, void *arg)
{
	struct gh_nl_mdev_find *f = arg;

	if (strcmp(info->uuid, f->uuid))
		return 0;
	f->info = *info;
	return 1;
}

static int gh_nl_mdev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	char parent[GH_MDEV_BDF_LEN + 1];
	struct nlattr **tb = info->attrs;
	struct gh_nl_mdev_find f;
	struct sk_buff *msg;
	int ret;

	ret = gh_nl_check_version(info->nlhdr, info->extack);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, GPUHELPER_A_MDEV_UUID))
		return -EINVAL;
	if (tb[GPUHELPER_A_MDEV_PARENT]) {
		ret = gh_nl_mdev_parent(tb[GPUHELPER_A_MDEV_PARENT], parent,
					info->extack);
		if (ret)
			return ret;
	}

	gh_uuid_format(nla_data(tb[GPUHELPER_A_MDEV_UUID]), f.uuid);
	if (!gh_mdev_for_each(tb[GPUHELPER_A_MDEV_PARENT] ? parent : NULL,
			      gh_nl_mdev_find_one, &f)) {
		NL_SET_BAD_ATTR(info->extack, tb[GPUHELPER_A_MDEV_UUID]);
		NL_SET_ERR_MSG(info->extack, "no such mdev declared or present");
		return -ENOENT;
	}

	msg = gh_inject(GH_FAULT_ALLOC) ? NULL : genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = gh_nl_fill_mdev(msg, &f.info, info->snd_portid, info->snd_seq, 0);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int gh_nl_mdev_get_start(struct netlink_callback *cb)
{
	struct nlattr **tb = gh_genl_dump_attrs(cb);
	char parent[GH_MDEV_BDF_LEN + 1];
	int ret;

	ret = gh_nl_check_version(cb->nlh, cb->extack);
	if (ret || !tb || !tb[GPUHELPER_A_MDEV_PARENT])
		return ret;
	return gh_nl_mdev_parent(tb[GPUHELPER_A_MDEV_PARENT], parent,
				 cb->extack);
}

struct gh_nl_mdev_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	unsigned long idx;
};

static int gh_nl_mdev_dump_one(const struct gh_mdev_info *info, void *arg)
{
	struct gh_nl_mdev_dump *d = arg;
	int ret;

	/* the ones sent by earlier parts of the dump */
	if (d->idx < d->cb->args[0]) {
		d->idx++;
		return 0;
	}
	ret = gh_nl_fill_mdev(d->skb, info, NETLINK_CB(d->cb->skb).portid,
			      d->cb->nlh->nlmsg_seq, NLM_F_MULTI);
	if (ret)
		return ret;
	d->idx++;
	d->cb->args[0] = d->idx;
	return 0;
}

static int gh_nl_mdev_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct gh_nl_mdev_dump d = { .skb = skb, .cb = cb };
	struct nlattr **tb = gh_genl_dump_attrs(cb);
	char parent[GH_MDEV_BDF_LEN + 1];
	const char *filter = NULL;
	int ret;

	/* validated by gh_nl_mdev_get_start() */
	if (tb && tb[GPUHELPER_A_MDEV_PARENT] &&
	    !gh_nl_mdev_parent(tb[GPUHELPER_A_MDEV_PARENT], parent, NULL))
		filter = parent;
	ret = gh_mdev_for_each(filter, gh_nl_mdev_dump_one, &d);
	/* a full skb ends this part of the dump; the next call resumes */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

/* The extack for an errno of gh_mdev_create() or gh_mdev_remove(). */
static void gh_nl_mdev_why(struct netlink_ext_ack *extack, struct nlattr **tb,
			   int err)
{
	switch (err) {
	case -ENODEV:
		NL_SET_BAD_ATTR(extack, tb[GPUHELPER_A_MDEV_PARENT]);
		NL_SET_ERR_MSG(extack,
			       "no mdev parent at this address (GVT-g needs i915.enable_gvt=1 and kvmgt)");
		break;
	case -ENOENT:
		if (tb[GPUHELPER_A_MDEV_TYPE]) {
			NL_SET_BAD_ATTR(extack, tb[GPUHELPER_A_MDEV_TYPE]);
			NL_SET_ERR_MSG(extack,
				       "the parent has no such mdev type (see mdev_supported_types/)");
		} else {
			NL_SET_BAD_ATTR(extack, tb[GPUHELPER_A_MDEV_UUID]);
			NL_SET_ERR_MSG(extack, "no such mdev declared or present");
		}
		break;
	case -EEXIST:
		NL_SET_BAD_ATTR(extack, tb[GPUHELPER_A_MDEV_UUID]);
		NL_SET_ERR_MSG(extack, "the UUID is already declared or in use");
		break;
	case -EPERM:
		NL_SET_BAD_ATTR(extack, tb[GPUHELPER_A_MDEV_UUID]);
		NL_SET_ERR_MSG(extack,
			       "not declared by gpuhelper: remove it through /sys/bus/mdev/devices/UUID/remove");
		break;
	}
}

static int gh_nl_mdev_create_doit(struct sk_buff *skb, struct genl_info *info)
{
	char parent[GH_MDEV_BDF_LEN + 1], type[GH_MDEV_TYPE_MAX + 1] = "";
	struct nlattr **tb = info->attrs;
	struct sk_buff *msg;
	bool gen = true;
	u8 uuid[16];
	void *hdr;
	int ret;

	ret = gh_nl_need_sys_admin(skb, info) ?: gh_nl_check_version(info->nlhdr, info->extack);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, GPUHELPER_A_MDEV_PARENT))
		return -EINVAL;
	ret = gh_nl_mdev_parent(tb[GPUHELPER_A_MDEV_PARENT], parent,
				info->extack);
	if (ret)
		return ret;
	/* absent or "": the default type, resolved by the executor */
	if (tb[GPUHELPER_A_MDEV_TYPE] && nla_len(tb[GPUHELPER_A_MDEV_TYPE]) > 1) {
		if (gh_mdev_type_valid(nla_data(tb[GPUHELPER_A_MDEV_TYPE]),
				       nla_len(tb[GPUHELPER_A_MDEV_TYPE]) - 1)) {
			NL_SET_BAD_ATTR(info->extack, tb[GPUHELPER_A_MDEV_TYPE]);
			NL_SET_ERR_MSG(info->extack,
				       "the type must be a type directory name (letters, digits, _ - .)");
			return -EINVAL;
		}
		nla_strscpy(type, tb[GPUHELPER_A_MDEV_TYPE], sizeof(type));
	}
	if (tb[GPUHELPER_A_MDEV_UUID]) {
		nla_memcpy(uuid, tb[GPUHELPER_A_MDEV_UUID], sizeof(uuid));
		gen = false;
	}

	/* allocated first: a declared mdev is not taken back for want of memory */
	msg = gh_inject(GH_FAULT_ALLOC) ? NULL : genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = gh_mdev_create(parent, type, uuid, gen);
	if (ret) {
		gh_nl_mdev_why(info->extack, tb, ret);
		nlmsg_free(msg);
		return ret;
	}
	hdr = genlmsg_put_reply(msg, info, &gh_nl_family, 0,
				GPUHELPER_CMD_MDEV_CREATE);
	if (!hdr || nla_put_string(msg, GPUHELPER_A_MDEV_PARENT, parent) ||
	    nla_put(msg, GPUHELPER_A_MDEV_UUID, sizeof(uuid), uuid) ||
	    (type[0] && nla_put_string(msg, GPUHELPER_A_MDEV_TYPE, type))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int gh_nl_mdev_remove_doit(struct sk_buff *skb, struct genl_info *info)
{
	char parent[GH_MDEV_BDF_LEN + 1];
	struct nlattr **tb = info->attrs;
	int ret;

	ret = gh_nl_need_sys_admin(skb, info) ?: gh_nl_check_version(info->nlhdr, info->extack);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, GPUHELPER_A_MDEV_UUID))
		return -EINVAL;
	if (tb[GPUHELPER_A_MDEV_PARENT]) {
		ret = gh_nl_mdev_parent(tb[GPUHELPER_A_MDEV_PARENT], parent,
					info->extack);
		if (ret)
			return ret;
	}
	/* through netlink, only what gpuhelper declared */
	ret = gh_mdev_remove(tb[GPUHELPER_A_MDEV_PARENT] ? parent : NULL,
			     nla_data(tb[GPUHELPER_A_MDEV_UUID]), true);
	gh_nl_mdev_why(info->extack, tb, ret);
	return ret;
}

static const struct genl_ops gh_nl_ops[] = {
	{
		.cmd		= GPUHELPER_CMD_DEV_GET,
		.doit		= gh_nl_dev_get_doit,
		.start		= gh_nl_dev_get_start,
		.dumpit		= gh_nl_dev_get_dumpit,
		.policy		= gh_nl_dev_get_policy,
		.maxattr	= ARRAY_SIZE(gh_nl_dev_get_policy) - 1,
	},
	{
		.cmd		= GPUHELPER_CMD_DEV_SET_STATE,
		.doit		= gh_nl_dev_set_state_doit,
		.policy		= gh_nl_dev_set_state_policy,
		.maxattr	= ARRAY_SIZE(gh_nl_dev_set_state_policy) - 1,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= GPUHELPER_CMD_MDEV_GET,
		.doit		= gh_nl_mdev_get_doit,
		.start		= gh_nl_mdev_get_start,
		.dumpit		= gh_nl_mdev_get_dumpit,
		.policy		= gh_nl_mdev_get_policy,
		.maxattr	= ARRAY_SIZE(gh_nl_mdev_get_policy) - 1,
	},
	{
		.cmd		= GPUHELPER_CMD_MDEV_CREATE,
		.doit		= gh_nl_mdev_create_doit,
		.policy		= gh_nl_mdev_create_policy,
		.maxattr	= ARRAY_SIZE(gh_nl_mdev_create_policy) - 1,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= GPUHELPER_CMD_MDEV_REMOVE,
		.doit		= gh_nl_mdev_remove_doit,
		.policy		= gh_nl_mdev_remove_policy,
		.maxattr	= ARRAY_SIZE(gh_nl_mdev_remove_policy) - 1,
		.flags		= GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group gh_nl_mcgrps[] = {
	/* listening needs CAP_NET_ADMIN, as the mutating commands do */
	[GH_NL_MCGRP_EVENTS] = {
		.name = GPUHELPER_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family gh_nl_family __ro_after_init = {
	.name		= GPUHELPER_FAMILY_NAME,
	.version	= GPUHELPER_FAMILY_VERSION,
	.module		= THIS_MODULE,
	.parallel_ops	= true,
	/* resv_start_op 0: every command is strictly validated */
	.ops		= gh_nl_ops,
	.n_ops		= ARRAY_SIZE(gh_nl_ops),
	.mcgrps		= gh_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(gh_nl_mcgrps),
};

/* The family is registered: notifications may go out. */
static bool gh_nl_up;

/**
 * gh_netlink_notify() - report a state change on the events group
 * @gh: the function
 * @old: its state before (enum gpuhelper_state)
 * @new: its state now
 * @cause: enum gpuhelper_cause
 *
 * Context: may sleep; called with no gpuhelper lock held but a move_lock.
 */
void gh_netlink_notify(struct gh_device *gh, u32 old, u32 new, u32 cause)
{
	struct sk_buff *msg;
	void *hdr;

	/* before the family is registered its groups have no id yet */
	if (!READ_ONCE(gh_nl_up) ||
	    !genl_has_listeners(&gh_nl_family, &init_net, GH_NL_MCGRP_EVENTS))
		return;
	msg = gh_inject(GH_FAULT_ALLOC) ? NULL : genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &gh_nl_family, 0,
			  GPUHELPER_CMD_DEV_STATE_NTF);
	if (!hdr)
		goto err_free;
	if (nla_put_string(msg, GPUHELPER_A_DEV_BDF, pci_name(gh->pdev)) ||
	    nla_put_u32(msg, GPUHELPER_A_DEV_ROLE, gh->role) ||
	    nla_put_u32(msg, GPUHELPER_A_DEV_OLD_STATE, old) ||
	    nla_put_u32(msg, GPUHELPER_A_DEV_STATE, new) ||
	    nla_put_u32(msg, GPUHELPER_A_DEV_CAUSE, cause))
		goto err_free;
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&gh_nl_family, msg, 0, GH_NL_MCGRP_EVENTS, GFP_KERNEL);
	return;

err_free:
	nlmsg_free(msg);
}

/**
 * gh_netlink_init() - register the family
 *
 * Return: 0 or a negative errno.
 */
int gh_netlink_init(void)
{
	int ret = genl_register_family(&gh_nl_family);

	if (!ret)
		WRITE_ONCE(gh_nl_up, true);
	return ret;
}

/**
 * gh_netlink_exit() - unregister the family
 *
 * The module's first step at unload: no request can reach the rest of the
 * module while it is taken apart.
 */
void gh_netlink_exit(void)
{
	WRITE_ONCE(gh_nl_up, false);
	genl_unregister_family(&gh_nl_family);
}
