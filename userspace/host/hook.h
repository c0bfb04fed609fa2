/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hook.h - the libvirt QEMU hook (gpuhelper hook qemu, gpuhelper-hook(8)):
 * which domains it may act for and on which dGPU (root's records), which
 * host PCI functions a domain passes through, the states it found at
 * prepare and gives back at release. Every path is under the injectable
 * root (root.h).
 */
#ifndef GH_HOOK_H
#define GH_HOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

/* gpuhelper vm writes one per domain it generated, named after the domain */
#define GH_HOOK_RECORD_DIR	"/var/lib/gpuhelper/domains"
/* the admin's permission for any other domain, in the same format */
#define GH_HOOK_ALLOW_DIR	"/etc/gpuhelper/hook-allow.d"
/* what prepare found, for release to give back; gone at reboot, as the VMs */
#define GH_HOOK_PRIOR_DIR	"/run/gpuhelper/libvirt"

#define GH_HOOK_XML_MAX		(4U << 20)	/* the domain XML on stdin */
#define GH_HOOK_FILE_MAX	(64U << 10)	/* a record, allow or prior file */
#define GH_HOOK_DGPUS		4	/* dGPUs one domain may take */
#define GH_HOOK_HOSTDEVS	64	/* PCI hostdevs one domain may have */
#define GH_HOOK_AUDIO		4	/* audio functions at one dGPU's slot */
#define GH_BDF_LEN		16	/* "0000:01:00.0" and its NUL */

/* What a record and an allow file say, merged. */
struct gh_hook_policy {
	char dgpu[GH_HOOK_DGPUS][GH_BDF_LEN];	/* what the hook may take */
	unsigned int ndgpu;
	bool from_host;		/* also from the host's driver (in use) */
};

struct gh_hook_fn {
	char bdf[GH_BDF_LEN];
	uint32_t state;		/* enum gpuhelper_state */
};

/* A dGPU the hook takes for a domain, with the audio functions it moves. */
struct gh_hook_take {
	struct gh_hook_fn dgpu;
	struct gh_hook_fn audio[GH_HOOK_AUDIO];
	unsigned int naudio;
};

/* hook_files.c: root's files */
bool gh_hook_name_ok(const char *domain);
int gh_hook_read_trusted(const char *dir, const char *name, char **text,
			 char *path, size_t pathlen, char *why, size_t whylen);
int gh_hook_policy_parse(char *text, const char *path,
			 struct gh_hook_policy *pol, char *why, size_t whylen);
int gh_hook_policy_load(const char *domain, struct gh_hook_policy *pol,
			char *why, size_t whylen);
int gh_hook_record_write(const char *domain, const char *dgpu_bdf,
			 char *path, size_t pathlen);
int gh_hook_prior_write(const char *domain, const struct gh_hook_take *t,
			unsigned int n, char *path, size_t pathlen);
int gh_hook_prior_load(const char *domain, struct gh_hook_take *t,
		       unsigned int max, char *why, size_t whylen);
int gh_hook_prior_remove(const char *domain);

/* hook_xml.c: the domain */
int gh_hook_pci_hostdevs(xmlDocPtr doc, char (*bdf)[GH_BDF_LEN], int max,
			 char *why, size_t whylen);
int gh_hook_select(const struct gh_hook_policy *pol,
		   char (*bdf)[GH_BDF_LEN], int n, struct gh_hook_take *t);

/* hook_dev.c: the devices */
int gh_hook_state_parse(const char *s, uint32_t *state);
int gh_hook_read_take(struct gh_hook_take *t, char *why, size_t whylen);
int gh_hook_check_take(const struct gh_hook_take *t,
		       const struct gh_hook_policy *pol, const char *domain,
		       char *why, size_t whylen);
uint32_t gh_hook_restore_state(uint32_t prior);
int gh_hook_handoff(const char *bdf, uint32_t state);

#endif /* GH_HOOK_H */
