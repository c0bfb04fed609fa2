// SPDX-License-Identifier: GPL-2.0
/*
 * nl.c - the gpuhelper generic netlink family from the CLI, over
 * libnl-genl-3. Every function returns 0 (or a count) or -errno; the
 * kernel's extack message comes back with set-state's errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <linux/netlink.h>

#include "module/nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct gh_nl {
	struct nl_sock *sk;
	int family;
	int events;
};

static const char *const state_names[] = {
	[GPUHELPER_STATE_STUB] = "stub",
	[GPUHELPER_STATE_VFIO] = "vfio",
	[GPUHELPER_STATE_HOST] = "host",
	[GPUHELPER_STATE_UNBOUND] = "unbound",
};

static const char *const role_names[] = {
	[GPUHELPER_ROLE_DGPU] = "dgpu",
	[GPUHELPER_ROLE_AUDIO] = "audio",
	[GPUHELPER_ROLE_OTHER] = "other",
};

static const char *const cause_names[] = {
	[GPUHELPER_CAUSE_SYSFS] = "sysfs",
	[GPUHELPER_CAUSE_NETLINK] = "netlink",
	[GPUHELPER_CAUSE_EXTERNAL] = "external",
};

#define NAME(tab, v) ((v) < sizeof(tab) / sizeof(tab[0]) && tab[v] ? tab[v] : "unknown")

const char *gh_nl_state_name(uint32_t state) { return NAME(state_names, state); }
const char *gh_nl_role_name(uint32_t role) { return NAME(role_names, role); }
const char *gh_nl_cause_name(uint32_t cause) { return NAME(cause_names, cause); }

/* "stub", "vfio" or "host" (the targets); 0 or -EINVAL. */
int gh_nl_state_parse(const char *s, uint32_t *state)
{
	uint32_t i;

	for (i = GPUHELPER_STATE_STUB; i <= GPUHELPER_STATE_HOST; i++) {
		if (!strcmp(s, state_names[i])) {
			*state = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* libnl returns its own error codes; the kernel's errno is what we want. */
static int gh_nl_errno(int err)
{
	switch (-err) {
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_OBJ_NOTFOUND:
	case NLE_NODEV:
		return -ENODEV;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_NOMEM:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

int gh_nl_open(struct gh_nl **nlp)
{
	struct gh_nl *nl = calloc(1, sizeof(*nl));
	int one = 1, ret;

	if (!nl)
		return -ENOMEM;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		free(nl);
		return -ENOMEM;
	}
	ret = genl_connect(nl->sk);
	if (ret) {
		ret = gh_nl_errno(ret);
		goto err;
	}
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, GPUHELPER_FAMILY_NAME);
	if (nl->family < 0) {
		ret = -ENOENT;	/* the module is not loaded */
		goto err;
	}
	nl->events = genl_ctrl_resolve_grp(nl->sk, GPUHELPER_FAMILY_NAME,
					   GPUHELPER_MCGRP_EVENTS);
	*nlp = nl;
	return 0;
err:
	nl_socket_free(nl->sk);
	free(nl);
	return ret;
}

void gh_nl_close(struct gh_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

static void copy_str(char *dst, size_t len, struct nlattr *a)
{
	snprintf(dst, len, "%s", a ? nla_get_string(a) : "");
}

static int parse_dev(struct nl_msg *msg, struct gh_nl_dev *d)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[GPUHELPER_A_MAX + 1], *a;
	int rem;

	if (genlmsg_parse(h, 0, tb, GPUHELPER_A_MAX, NULL))
		return -EPROTO;
	memset(d, 0, sizeof(*d));
	d->iommu_group = -1;
	copy_str(d->bdf, sizeof(d->bdf), tb[GPUHELPER_A_DEV_BDF]);
	if (tb[GPUHELPER_A_DEV_STATE])
		d->state = nla_get_u32(tb[GPUHELPER_A_DEV_STATE]);
	if (tb[GPUHELPER_A_DEV_ROLE])
		d->role = nla_get_u32(tb[GPUHELPER_A_DEV_ROLE]);
	if (tb[GPUHELPER_A_DEV_VENDOR])
		d->vendor = nla_get_u16(tb[GPUHELPER_A_DEV_VENDOR]);
	if (tb[GPUHELPER_A_DEV_DEVICE])
		d->device = nla_get_u16(tb[GPUHELPER_A_DEV_DEVICE]);
	if (tb[GPUHELPER_A_DEV_SUBVENDOR])
		d->subvendor = nla_get_u16(tb[GPUHELPER_A_DEV_SUBVENDOR]);
	if (tb[GPUHELPER_A_DEV_SUBDEVICE])
		d->subdevice = nla_get_u16(tb[GPUHELPER_A_DEV_SUBDEVICE]);
	if (tb[GPUHELPER_A_DEV_CLASS])
		d->class = nla_get_u32(tb[GPUHELPER_A_DEV_CLASS]);
	if (tb[GPUHELPER_A_DEV_IOMMU_GROUP])
		d->iommu_group = nla_get_u32(tb[GPUHELPER_A_DEV_IOMMU_GROUP]);
	copy_str(d->driver, sizeof(d->driver), tb[GPUHELPER_A_DEV_DRIVER]);
	copy_str(d->primary, sizeof(d->primary), tb[GPUHELPER_A_DEV_PRIMARY]);
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(h), 0),
			  genlmsg_attrlen(nlmsg_data(h), 0), rem) {
		if (nla_type(a) == GPUHELPER_A_DEV_BLOCKER &&
		    d->nblockers < GH_NL_BLOCKERS)
			copy_str(d->blockers[d->nblockers++], sizeof(d->blockers[0]), a);
	}
	return 0;
}

struct dev_sink {
	struct gh_nl_dev *devs;
	int max;
	int n;
};

static int dev_cb(struct nl_msg *msg, void *arg)
{
	struct dev_sink *s = arg;

	if (s->n < s->max && !parse_dev(msg, &s->devs[s->n]))
		s->n++;
	return NL_OK;
}

struct ack {
	int err;
	char *msg;
	size_t len;
};

/* Keep the kernel's errno and extack message (NLMSGERR_ATTR_MSG). */
static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct ack *ack = arg;
	struct nlattr *a;
	size_t off = sizeof(*e);
	int rem;

	(void)nla;
	ack->err = e->error;
	if (ack->msg && (h->nlmsg_flags & NLM_F_ACK_TLVS)) {
		if (!(h->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(e->msg);
		a = (struct nlattr *)((char *)e + NLMSG_ALIGN(off));
		rem = (int)((char *)h + h->nlmsg_len - (char *)a);
		for (; nla_ok(a, rem); a = nla_next(a, &rem))
			if (nla_type(a) == NLMSGERR_ATTR_MSG)
				snprintf(ack->msg, ack->len, "%s", (char *)nla_data(a));
	}
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct ack *)arg)->err = 0;
	return NL_STOP;
}

/* Send @msg, run @valid on each reply, return the kernel's answer. */
static int xfer(struct gh_nl *nl, struct nl_msg *msg,
		int (*valid)(struct nl_msg *, void *), void *arg,
		char *emsg, size_t elen)
{
	struct ack ack = { .err = 1, .msg = emsg, .len = elen };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (emsg && elen)
		emsg[0] = '\0';
	if (!cb)
		return -ENOMEM;
	if (valid)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid, arg);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, &ack);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &ack);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, ack_cb, &ack);
	ret = nl_send_auto(nl->sk, msg);
	while (ret >= 0 && ack.err > 0)
		ret = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	if (ret < 0 && ack.err > 0)
		return gh_nl_errno(ret);
	return ack.err;
}

static struct nl_msg *new_msg(struct gh_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				flags | NLM_F_ACK, cmd, GPUHELPER_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int gh_nl_get(struct gh_nl *nl, const char *bdf, struct gh_nl_dev *dev)
{
	struct dev_sink s = { .devs = dev, .max = 1 };
	struct nl_msg *msg = new_msg(nl, GPUHELPER_CMD_DEV_GET, 0);
	int ret;

	if (!msg || nla_put_string(msg, GPUHELPER_A_DEV_BDF, bdf)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = xfer(nl, msg, dev_cb, &s, NULL, 0);
	nlmsg_free(msg);
	if (ret)
		return ret;
	return s.n == 1 ? 0 : -EPROTO;
}

int gh_nl_dump(struct gh_nl *nl, struct gh_nl_dev *devs, int max)
{
	struct dev_sink s = { .devs = devs, .max = max };
	struct nl_msg *msg = new_msg(nl, GPUHELPER_CMD_DEV_GET, NLM_F_DUMP);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = xfer(nl, msg, dev_cb, &s, NULL, 0);
	nlmsg_free(msg);
	return ret ? ret : s.n;
}

int gh_nl_set_state(struct gh_nl *nl, const char *bdf, uint32_t state,
		    int with_audio, char *emsg, size_t elen)
{
	struct nl_msg *msg = new_msg(nl, GPUHELPER_CMD_DEV_SET_STATE, 0);
	int ret;

	if (!msg || nla_put_string(msg, GPUHELPER_A_DEV_BDF, bdf) ||
	    nla_put_u32(msg, GPUHELPER_A_DEV_STATE, state) ||
	    (with_audio >= 0 &&
	     nla_put_u8(msg, GPUHELPER_A_DEV_WITH_AUDIO, !!with_audio))) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = xfer(nl, msg, NULL, NULL, emsg, elen);
	nlmsg_free(msg);
	return ret;
}

struct mon {
	int (*cb)(const struct gh_nl_event *ev, void *arg);
	void *arg;
	int stop;
};

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[GPUHELPER_A_MAX + 1];
	struct gh_nl_event ev = { 0 };
	struct mon *m = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, GPUHELPER_A_MAX, NULL) ||
	    ((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))->cmd !=
	    GPUHELPER_CMD_DEV_STATE_NTF)
		return NL_SKIP;
	copy_str(ev.bdf, sizeof(ev.bdf), tb[GPUHELPER_A_DEV_BDF]);
	if (tb[GPUHELPER_A_DEV_ROLE])
		ev.role = nla_get_u32(tb[GPUHELPER_A_DEV_ROLE]);
	if (tb[GPUHELPER_A_DEV_OLD_STATE])
		ev.old_state = nla_get_u32(tb[GPUHELPER_A_DEV_OLD_STATE]);
	if (tb[GPUHELPER_A_DEV_STATE])
		ev.state = nla_get_u32(tb[GPUHELPER_A_DEV_STATE]);
	if (tb[GPUHELPER_A_DEV_CAUSE])
		ev.cause = nla_get_u32(tb[GPUHELPER_A_DEV_CAUSE]);
	m->stop = m->cb(&ev, m->arg);
	return m->stop ? NL_STOP : NL_OK;
}

/* Call @cb for each event until it returns non-zero; 0 or -errno. */
int gh_nl_monitor(struct gh_nl *nl,
		  int (*cb)(const struct gh_nl_event *ev, void *arg), void *arg)
{
	struct mon m = { .cb = cb, .arg = arg };
	int ret;

	if (nl->events < 0)
		return -ENOENT;
	nl_socket_disable_seq_check(nl->sk);
	ret = nl_socket_add_membership(nl->sk, nl->events);
	if (ret)
		return gh_nl_errno(ret);
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, event_cb, &m);
	while (!m.stop) {
		ret = nl_recvmsgs_default(nl->sk);
		if (ret < 0 && !m.stop)
			return gh_nl_errno(ret);
	}
	return 0;
}
