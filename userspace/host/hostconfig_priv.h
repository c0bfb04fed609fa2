/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hostconfig_priv.h - what the hostconfig*.c files share and nothing else
 * uses: the paths of the files they plan, the text and word helpers, the
 * plan's reading and refusing, and each planner's entry point. The API is
 * hostconfig.h; hostconfig.c lists which file does what.
 */
#ifndef GH_HOSTCONFIG_PRIV_H
#define GH_HOSTCONFIG_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "host/hostconfig.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define MODULES_LOAD	"/etc/modules-load.d/gpuhelper.conf"
#define MKINITCPIO_CONF	"/etc/mkinitcpio.conf"
#define MKINITCPIO_DIR	"/etc/mkinitcpio.conf.d"
#define MKINITCPIO_DROP	"/etc/mkinitcpio.conf.d/90-gpuhelper.conf"
#define MKINITCPIO_BIN	"/usr/bin/mkinitcpio"
#define MKINITCPIO_PRESETS "/etc/mkinitcpio.d"
#define DRACUT_CONF	"/etc/dracut.conf.d/gpuhelper.conf"
#define ITOOLS_MODULES	"/etc/initramfs-tools/modules"
#define CLAIM_RULE	"/etc/udev/rules.d/60-gpuhelper-claim.rules"
#define GRUB_DEFAULT	"/etc/default/grub"
#define GRUB_DIR	"/etc/default/grub.d"
#define GRUB_DROP	"/etc/default/grub.d/90-gpuhelper.cfg"
#define KERNEL_CMDLINE	"/etc/kernel/cmdline"
#define KERNELSTUB_CONF	"/etc/kernelstub/configuration"
#define GRUB_LINUX	"GRUB_CMDLINE_LINUX"
#define GRUB_LINUX_DEF	"GRUB_CMDLINE_LINUX_DEFAULT"
/* Looking Glass (hostconfig_lg.c): written only when asked */
#define LG_TMPFILES	"/etc/tmpfiles.d/gpuhelper-looking-glass.conf"
#define LG_KVMFR_MODPROBE "/etc/modprobe.d/gpuhelper-kvmfr.conf"
#define LG_KVMFR_LOAD	"/etc/modules-load.d/gpuhelper-kvmfr.conf"
#define LG_KVMFR_UDEV	"/etc/udev/rules.d/99-gpuhelper-kvmfr.rules"
/* Written between host-config's lines and the ones it keeps for the user. */
#define YOURS_LINE	"# Lines below are yours: gpuhelper host-config keeps them."

#define ASSIGNS_MAX	32

/* The directories of systemd-boot's loader entries (hostconfig_sdboot.c). */
#define HC_ENTRY_DIRS	3
extern const char *const hc_entry_dirs[HC_ENTRY_DIRS];

/* hostconfig_text.c: a string that grows; abort() when memory runs out. */
struct buf {
	char *s;
	size_t len, cap;
};

void hc_put(struct buf *b, const char *s, size_t n);
void hc_puts(struct buf *b, const char *s);
void __attribute__((format(printf, 2, 3))) hc_putf(struct buf *b, const char *fmt, ...);
char *hc_done(struct buf *b);
/* Append a formatted line to one of the plan's texts (notes, todo, refused). */
void __attribute__((format(printf, 2, 3))) hc_say(char **text, const char *fmt, ...);

/* A list of words (kernel parameters, module names). */
struct toks {
	char **v;
	unsigned int n, cap;
};

void hc_toks_split(struct toks *t, const char *s);
void hc_toks_clear(struct toks *t);
void hc_toks_free(struct toks *t);
bool hc_toks_has(const struct toks *t, const char *s);
void hc_toks_concat(struct toks *out, const struct toks *a, const struct toks *b);

/* hostconfig.c: the files under the root, the plan, a refusal. */
const char *hc_shown_root(void);
int hc_load(const char *abs, char **text);
int hc_plan_load(struct gh_plan *p, const char *abs, char **text);
unsigned int hc_list_dir(const char *dir, const char *suffix, bool version_order,
			 char ***names);
void hc_names_free(char **names, unsigned int n);
struct gh_edit *hc_plan_add(struct gh_plan *p, const char *abs, char *old, char *new_);
void hc_edits_free(struct gh_plan *p);
unsigned int hc_line_count(const char *t);
void hc_refuse_add(struct gh_plan *p, const char *file, unsigned int after,
		   const char *line);
void hc_refuse_assign(struct gh_plan *p, const char *file, const char *text,
		      const struct gh_sh_assign *a, const char *var, const char *add_line);

/* hostconfig_sh.c: what shell files leave in a variable. */
void hc_sim_var(const char *text, const char *var, struct toks *t, bool *opaque);
const char *hc_overriding_dropin(const char *dir, char **names, unsigned int n,
				 const char *ours, bool version_order, const char *var,
				 char **text_out);

/* hostconfig_params.c: the kernel parameters to add, and how they print. */
unsigned int hc_missing_params(const char *const *params, const struct toks *user,
			       const char *where, const char *ids, struct gh_plan *p,
			       const char **add, unsigned int max);
void hc_join_params(struct buf *b, const char *const *add);
void hc_todo_args(struct gh_plan *p, const char *fmt, const char *const *add);

/* hostconfig_udev.c: the claim rule for an ids= value (NULL: it does not parse). */
char *hc_claim_rule(const char *ids, char **notes);

/* hostconfig_owned.c: the files host-config writes whole. */
void hc_yours_lines(const char *text, struct buf *out);
char *hc_compose(const char *ours, const char *yours);
bool hc_is_ours(const char *text);
bool hc_has_line(const char *text, const char *l, size_t n);
int hc_plan_owned(struct gh_plan *p, const char *abs, const char *ours);
/* hostconfig_lg.c */
int hc_plan_looking_glass(const struct gh_hostcfg *c, struct gh_plan *p);

/* The user's kernel words: GRUB's files (hostconfig_grub.c), loader entries. */
void hc_grub_sim(const char *text, struct toks *linux_, struct toks *def, bool *opaque);
void hc_entry_tokens(const char *text, struct toks *t, const char **last_options);

/* The planners, in the order gh_hostcfg_plan() runs them. */
int hc_plan_modprobe(const struct gh_hostcfg *c, struct gh_plan *p);
int hc_plan_modules_load(const struct gh_hostcfg *c, struct gh_plan *p);
int hc_plan_claim_rule(const struct gh_hostcfg *c, struct gh_plan *p);
int hc_plan_initramfs(const struct gh_hostcfg *c, struct gh_plan *p);
int hc_plan_grub(const struct gh_hostcfg *c, const char *const *params, struct gh_plan *p);
int hc_plan_sdboot(const struct gh_hostcfg *c, const char *const *params, struct gh_plan *p);
int hc_plan_grubby(const struct gh_hostcfg *c, const char *const *params, struct gh_plan *p);
int hc_plan_kernelstub(const struct gh_hostcfg *c, const char *const *params,
		       struct gh_plan *p);

#endif /* GH_HOSTCONFIG_PRIV_H */
