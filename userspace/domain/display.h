/* SPDX-License-Identifier: GPL-2.0 */
/*
 * display.h - the guest's screen and input: the seed guide's two stages
 * (install: the vGPU's display off and QXL beside it; final: the vGPU's
 * display through SPICE with GL), Looking Glass's IVSHMEM device and
 * evdev keyboard and mouse.
 */
#ifndef GH_DISPLAY_H
#define GH_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <libxml/tree.h>

enum gh_stage {
	GH_STAGE_FINAL,		/* the vGPU's display on, SPICE GL, no QXL */
	GH_STAGE_INSTALL,	/* the vGPU's display off, QXL, SPICE */
};

/* The shared memory Looking Glass's host application writes the frames to. */
#define GH_LG_SHM_NAME	"looking-glass"
#define GH_LG_SHM_PATH	"/dev/shm/" GH_LG_SHM_NAME
#define GH_LG_KVMFR_DEV	"/dev/kvmfr0"
/* the memory backend's id and the device's (user aliases, ua-) */
#define GH_ALIAS_LG	"ua-gpuhelper-lg"
#define GH_LG_MEMDEV	"gpuhelper-lg"
#define GH_EVDEV_DIR	"/dev/input/by-id"
/* gpuhelper's element in <metadata>: the resolution Looking Glass is sized for */
#define GH_META_NS	"urn:gpuhelper:display:1"

struct gh_display_opts {
	int stage;			/* -1: not given (final) */
	bool looking_glass;
	bool kvmfr;			/* /dev/kvmfr0 instead of /dev/shm */
	unsigned int lg_xres, lg_yres;	/* 0: the guest's resolution */
	bool evdev;
	const char *evdev_devs;		/* "KBD[,MOUSE]", NULL: picked from by-id */
	const char *grab_toggle;	/* NULL: ctrl-ctrl */
};

struct gh_display_plan {
	enum gh_stage stage;
	unsigned int lg_mib;		/* 0: no Looking Glass */
	unsigned int lg_xres, lg_yres;
	bool kvmfr;
	char kbd[256], mouse[256];	/* evdev devices, "" for none */
	char grab_toggle[16];
};

/* Looking Glass's "Determining memory": MiB of IVSHMEM for WxH (SDR). */
unsigned int gh_lg_size_mib(unsigned int xres, unsigned int yres);

int gh_display_parse_stage(const char *s);
int gh_display_parse_res(const char *s, unsigned int *x, unsigned int *y);
bool gh_display_grab_toggle_valid(const char *s);

/* Pick the keyboard and mouse under the root's /dev/input/by-id. */
int gh_evdev_pick(char *kbd, size_t klen, char *mouse, size_t mlen,
		  char *why, size_t whylen);

/* Resolve the options; @xres/@yres the guest's (0 unknown). */
int gh_display_plan_make(struct gh_display_plan *d, const struct gh_display_opts *o,
			 unsigned int xres, unsigned int yres, char *why, size_t whylen);

/* The install stage's screen: SPICE without GL and a QXL card. */
void gh_display_install_screen(xmlNodePtr devs);
/* Looking Glass and evdev into the domain (ours replaced, the user's kept). */
void gh_display_apply(xmlNodePtr root, xmlNodePtr devs, xmlNodePtr cmdline, xmlNsPtr ns,
		      const struct gh_display_plan *d);
/* The same as QEMU arguments, one " \\\n  OPT 'VAL'" each through @arg. */
void gh_display_qemu_args(FILE *f, const struct gh_display_plan *d,
			  void (*arg)(FILE *f, const char *opt, const char *val));
/* What the user still has to do on the host (permissions, modules). */
void gh_display_hints(FILE *f, const struct gh_display_plan *d);

#endif /* GH_DISPLAY_H */
