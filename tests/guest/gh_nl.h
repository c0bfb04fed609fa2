/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gh_nl.h - a raw generic netlink client for the guest tests (the guest is
 * static busybox: no libnl). Resolves the gpuhelper family and its events
 * group, sends requests with attributes, collects replies, the error and
 * the extack message.
 */
#ifndef GH_NL_H
#define GH_NL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "uapi/linux/gpuhelper.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct gh_nl {
	int fd;
	uint16_t family;
	uint32_t version;
	uint32_t events_group;
	uint32_t seq;
	char extack[256];
};

/* One parsed message: attributes by type (the last one wins), blockers. */
struct gh_nl_msg {
	uint8_t cmd;
	struct nlattr *tb[GPUHELPER_A_MAX + 1];
	int nblockers;
	char blockers[8][128];
};

#define GH_NLA_OK(nla, rem) ((rem) >= (int)sizeof(struct nlattr) && \
	(nla)->nla_len >= sizeof(struct nlattr) && (nla)->nla_len <= (rem))
#define GH_NLA_NEXT(nla, rem) ((rem) -= NLA_ALIGN((nla)->nla_len), \
	(struct nlattr *)((char *)(nla) + NLA_ALIGN((nla)->nla_len)))
#define GH_NLA_DATA(nla) ((void *)((char *)(nla) + NLA_HDRLEN))

static inline uint32_t gh_nla_u32(struct nlattr *a) { return *(uint32_t *)GH_NLA_DATA(a); }
static inline uint16_t gh_nla_u16(struct nlattr *a) { return *(uint16_t *)GH_NLA_DATA(a); }
static inline const char *gh_nla_str(struct nlattr *a) { return a ? GH_NLA_DATA(a) : ""; }

struct gh_nl_req {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char buf[512];
};

/* Append an attribute to the message at @n (room is the caller's). */
static inline void gh_nla_put(struct nlmsghdr *n, uint16_t type, const void *data,
			      int len)
{
	struct nlattr *a = (struct nlattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(GH_NLA_DATA(a), data, len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static inline void gh_nl_put(struct gh_nl_req *r, uint16_t type, const void *data,
			     int len)
{
	gh_nla_put(&r->n, type, data, len);
}

static inline void gh_nl_put_str(struct gh_nl_req *r, uint16_t type, const char *s)
{
	gh_nl_put(r, type, s, strlen(s) + 1);
}

static inline void gh_nl_put_u32(struct gh_nl_req *r, uint16_t type, uint32_t v)
{
	gh_nl_put(r, type, &v, sizeof(v));
}

static inline void gh_nl_put_u8(struct gh_nl_req *r, uint16_t type, uint8_t v)
{
	gh_nl_put(r, type, &v, sizeof(v));
}

static inline void gh_nl_req_init(struct gh_nl *nl, struct gh_nl_req *r,
				  uint16_t family, uint8_t cmd, uint16_t flags)
{
	memset(r, 0, sizeof(*r));
	r->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->n.nlmsg_type = family;
	r->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->n.nlmsg_seq = ++nl->seq;
	r->g.cmd = cmd;
	r->g.version = GPUHELPER_FAMILY_VERSION;
}

static inline void gh_nl_parse(struct nlmsghdr *h, struct gh_nl_msg *m)
{
	struct genlmsghdr *g = NLMSG_DATA(h);
	struct nlattr *a = (struct nlattr *)((char *)g + GENL_HDRLEN);
	int rem = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	memset(m, 0, sizeof(*m));
	m->cmd = g->cmd;
	for (; GH_NLA_OK(a, rem); a = GH_NLA_NEXT(a, rem)) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t == GPUHELPER_A_DEV_BLOCKER && m->nblockers < 8)
			snprintf(m->blockers[m->nblockers++], 128, "%s", gh_nla_str(a));
		if (t <= GPUHELPER_A_MAX)
			m->tb[t] = a;
	}
}

/*
 * Send @r and read until its ack/done. Messages of the reply are copied to
 * @out (up to @max). Returns the number of messages, or -errno from the
 * kernel's error (its extack message in nl->extack).
 */
static inline int gh_nl_xfer(struct gh_nl *nl, struct gh_nl_req *r,
			     char (*out)[8192], int max)
{
	static char buf[32768];
	int count = 0;

	nl->extack[0] = '\0';
	if (send(nl->fd, r, r->n.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		int len = recv(nl->fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (len < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != r->n.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return count;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				struct nlattr *a;
				int rem;

				if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
					int off = sizeof(*e);

					if (!(h->nlmsg_flags & NLM_F_CAPPED))
						off += e->msg.nlmsg_len - sizeof(e->msg);
					a = (struct nlattr *)((char *)e + NLMSG_ALIGN(off));
					rem = (char *)h + h->nlmsg_len - (char *)a;
					for (; GH_NLA_OK(a, rem); a = GH_NLA_NEXT(a, rem))
						if (a->nla_type == NLMSGERR_ATTR_MSG)
							snprintf(nl->extack, sizeof(nl->extack),
								 "%s", gh_nla_str(a));
				}
				return e->error ? e->error : count;
			}
			if (out && count < max)
				memcpy(out[count], h, h->nlmsg_len < 8192 ? h->nlmsg_len : 8192);
			count++;
		}
	}
}

/*
 * Send @r, whose reply is one message: into @m (unless NULL); 0, -errno
 * from the kernel, or -EPROTO for no reply.
 */
static inline int gh_nl_xfer_one(struct gh_nl *nl, struct gh_nl_req *r,
				 struct gh_nl_msg *m)
{
	static char out[1][8192];
	int ret = gh_nl_xfer(nl, r, out, 1);

	if (ret < 0)
		return ret;
	if (ret != 1)
		return -EPROTO;
	if (m)
		gh_nl_parse((struct nlmsghdr *)out[0], m);
	return 0;
}

/* Open a socket and resolve the family; 0 or -errno. */
static inline int gh_nl_open(struct gh_nl *nl)
{
	static char out[1][8192];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct gh_nl_req r;
	struct nlmsghdr *h = (struct nlmsghdr *)out[0];
	struct nlattr *a, *g, *ga;
	int one = 1, rem, grem, garem, ret;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;

	gh_nl_req_init(nl, &r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	r.g.version = 1;
	gh_nl_put_str(&r, CTRL_ATTR_FAMILY_NAME, GPUHELPER_FAMILY_NAME);
	ret = gh_nl_xfer(nl, &r, out, 1);
	if (ret < 0)
		return ret;
	if (ret < 1)
		return -ENOENT;
	a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	rem = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	for (; GH_NLA_OK(a, rem); a = GH_NLA_NEXT(a, rem)) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			nl->family = gh_nla_u16(a);
		if (a->nla_type == CTRL_ATTR_VERSION)
			nl->version = gh_nla_u32(a);
		if ((a->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		g = GH_NLA_DATA(a);
		grem = a->nla_len - NLA_HDRLEN;
		for (; GH_NLA_OK(g, grem); g = GH_NLA_NEXT(g, grem)) {
			uint32_t id = 0;
			const char *name = "";

			ga = GH_NLA_DATA(g);
			garem = g->nla_len - NLA_HDRLEN;
			for (; GH_NLA_OK(ga, garem); ga = GH_NLA_NEXT(ga, garem)) {
				if (ga->nla_type == CTRL_ATTR_MCAST_GRP_ID)
					id = gh_nla_u32(ga);
				if (ga->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
					name = gh_nla_str(ga);
			}
			if (!strcmp(name, GPUHELPER_MCGRP_EVENTS))
				nl->events_group = id;
		}
	}
	return nl->family ? 0 : -ENOENT;
}

static inline void gh_nl_close(struct gh_nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

/* GPUHELPER_CMD_DEV_SET_STATE; @with_audio < 0 leaves the attribute out. */
static inline int gh_nl_set_state(struct gh_nl *nl, const char *bdf,
				  uint32_t state, int with_audio)
{
	struct gh_nl_req r;

	gh_nl_req_init(nl, &r, nl->family, GPUHELPER_CMD_DEV_SET_STATE, 0);
	gh_nl_put_str(&r, GPUHELPER_A_DEV_BDF, bdf);
	gh_nl_put_u32(&r, GPUHELPER_A_DEV_STATE, state);
	if (with_audio >= 0)
		gh_nl_put_u8(&r, GPUHELPER_A_DEV_WITH_AUDIO, with_audio);
	return gh_nl_xfer(nl, &r, NULL, 0);
}

/* GPUHELPER_CMD_DEV_GET for @bdf into @m; 0 or -errno. */
static inline int gh_nl_get(struct gh_nl *nl, const char *bdf, struct gh_nl_msg *m)
{
	struct gh_nl_req r;

	gh_nl_req_init(nl, &r, nl->family, GPUHELPER_CMD_DEV_GET, 0);
	gh_nl_put_str(&r, GPUHELPER_A_DEV_BDF, bdf);
	return gh_nl_xfer_one(nl, &r, m);
}

/* Join the events group; 0 or -errno. */
static inline int gh_nl_subscribe(struct gh_nl *nl)
{
	int g = nl->events_group;

	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)))
		return -errno;
	return 0;
}

/* Next event (seq 0, from the kernel) into @m, waiting up to @ms. */
static inline int gh_nl_next_event(struct gh_nl *nl, struct gh_nl_msg *m, int ms)
{
	static char buf[8192];
	static int have, off;
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		struct nlmsghdr *h;

		if (off >= have) {
			have = recv(nl->fd, buf, sizeof(buf), 0);
			off = 0;
			if (have < 0) {
				have = 0;
				return -errno;
			}
		}
		h = (struct nlmsghdr *)(buf + off);
		if (!NLMSG_OK(h, have - off)) {
			off = have;
			continue;
		}
		off += NLMSG_ALIGN(h->nlmsg_len);
		if (h->nlmsg_type != nl->family || h->nlmsg_seq != 0)
			continue;
		gh_nl_parse(h, m);
		if (m->cmd == GPUHELPER_CMD_DEV_STATE_NTF)
			return 0;
	}
}

#endif /* GH_NL_H */
