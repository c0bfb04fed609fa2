/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nl.h - the CLI's client of the gpuhelper generic netlink family
 * (libnl-genl-3): get, dump, set-state and the events group.
 */
#ifndef GH_NL_H
#define GH_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/linux/gpuhelper.h"

#define GH_NL_BLOCKERS	8

struct gh_nl;

/* One tracked function, as DEV_GET reports it. */
struct gh_nl_dev {
	char bdf[20];
	uint32_t state;
	uint32_t role;
	uint16_t vendor, device, subvendor, subdevice;
	uint32_t class;
	int iommu_group;		/* -1: none */
	char driver[64];		/* "": unbound */
	char primary[20];		/* "": not a companion */
	int nblockers;
	char blockers[GH_NL_BLOCKERS][256];
};

/* One DEV_STATE_NTF. */
struct gh_nl_event {
	char bdf[20];
	uint32_t role;
	uint32_t old_state;
	uint32_t state;
	uint32_t cause;
};

int gh_nl_open(struct gh_nl **nlp);
void gh_nl_close(struct gh_nl *nl);
int gh_nl_get(struct gh_nl *nl, const char *bdf, struct gh_nl_dev *dev);
int gh_nl_dump(struct gh_nl *nl, struct gh_nl_dev *devs, int max);
int gh_nl_set_state(struct gh_nl *nl, const char *bdf, uint32_t state,
		    int with_audio, char *msg, size_t len);
int gh_nl_monitor(struct gh_nl *nl,
		  int (*cb)(const struct gh_nl_event *ev, void *arg), void *arg);

const char *gh_nl_state_name(uint32_t state);
int gh_nl_state_parse(const char *s, uint32_t *state);
const char *gh_nl_role_name(uint32_t role);
const char *gh_nl_cause_name(uint32_t cause);

#endif /* GH_NL_H */
