// SPDX-License-Identifier: GPL-2.0
/*
 * hostconfig_detect.c - which tool reads what, from the files under the
 * root: whether grub-mkconfig sources /etc/default/grub.d, whether
 * mkinitcpio reads /etc/mkinitcpio.conf.d (its version, its presets), and
 * the bootloader (kernelstub, GRUB with or without BLS entries,
 * systemd-boot) and initramfs generator host-config uses without
 * --bootloader and --initramfs.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/hostconfig_priv.h"
#include "lib/root.h"

static const char *const grub_mkconfigs[] = {
	"/usr/sbin/grub-mkconfig", "/usr/bin/grub-mkconfig", "/sbin/grub-mkconfig",
	"/usr/sbin/grub2-mkconfig", "/usr/bin/grub2-mkconfig", "/sbin/grub2-mkconfig",
};

/**
 * gh_grub_reads_dropins() - whether grub-mkconfig sources /etc/default/grub.d
 *
 * Debian and Ubuntu patch grub-mkconfig to source the *.cfg files of
 * /etc/default/grub.d after /etc/default/grub; upstream GRUB (Arch,
 * openSUSE, Fedora) does not. The installed script says which; without
 * one, the directory (which Debian's grub-common ships) does.
 */
bool gh_grub_reads_dropins(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(grub_mkconfigs); i++) {
		char *text;
		bool reads;

		if (hc_load(grub_mkconfigs[i], &text) || !text)
			continue;
		reads = strstr(text, "/default/grub.d") != NULL;
		free(text);
		return reads;
	}
	return gh_exists(GRUB_DIR);
}

/* The version an installed mkinitcpio script declares (36: unbuilt but new). */
static int mkinitcpio_version(const char *script)
{
	const char *v = strstr(script, "declare -r version=");

	if (v) {
		v += strlen("declare -r version=");
		v += strspn(v, "'\"");
		if (isdigit((unsigned char)*v))
			return atoi(v);
	}
	return strstr(script, "mkinitcpio.conf.d") || strstr(script, "_f_config}.d") ? 36 : 0;
}

/* A preset that names a config makes mkinitcpio -c it, skipping drop-ins. */
static bool preset_names_config(char *why, size_t len)
{
	char **names, *text;
	unsigned int n = hc_list_dir(MKINITCPIO_PRESETS, ".preset", false, &names), i;
	bool found = false;

	for (i = 0; i < n && !found; i++) {
		char abs[512];
		const char *l;

		snprintf(abs, sizeof(abs), "%s/%s", MKINITCPIO_PRESETS, names[i]);
		if (hc_load(abs, &text) || !text)
			continue;
		for (l = text; l && *l && !found; l = strchr(l, '\n'), l += l ? 1 : 0) {
			const char *s = l + strspn(l, " \t"), *eq = s + strspn(s,
				"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

			if (*eq == '=' && eq - s > 7 && !strncmp(eq - 7, "_config", 7)) {
				snprintf(why, len, "%s sets %.*s, and mkinitcpio reads no "
					 "drop-in for a preset that names its config", abs,
					 (int)(eq - s), s);
				found = true;
			}
		}
		free(text);
	}
	hc_names_free(names, n);
	return found;
}

/**
 * gh_mkinitcpio_reads_dropins() - whether /etc/mkinitcpio.conf.d is read
 * @why: receives the reason when it is not
 * @len: its size
 *
 * mkinitcpio 36 and later read the *.conf files of /etc/mkinitcpio.conf.d
 * after /etc/mkinitcpio.conf, but not when a preset names its config file
 * (ALL_config=, which older presets do), since that is -c.
 */
bool gh_mkinitcpio_reads_dropins(char *why, size_t len)
{
	char *script;
	int v;

	snprintf(why, len, "there is no %s", MKINITCPIO_DIR);
	if (!hc_load(MKINITCPIO_BIN, &script) && script) {
		v = mkinitcpio_version(script);
		free(script);
		if (v < 36) {
			snprintf(why, len, "mkinitcpio %d reads no drop-ins (version 36 added %s)",
				 v, MKINITCPIO_DIR);
			return false;
		}
	} else if (!gh_exists(MKINITCPIO_DIR)) {
		return false;
	}
	return !preset_names_config(why, len);
}

static bool grub_bls(void)
{
	struct toks t = { 0 };
	bool opaque = false, bls;
	char *text;

	if (hc_load(GRUB_DEFAULT, &text) || !text)
		return false;
	hc_sim_var(text, "GRUB_ENABLE_BLSCFG", &t, &opaque);
	bls = t.n && !strcmp(t.v[t.n - 1], "true");
	hc_toks_free(&t);
	free(text);
	return bls;
}

enum gh_bootloader gh_detect_bootloader(void)
{
	size_t d;

	if (gh_exists(KERNELSTUB_CONF))
		return GH_KERNELSTUB;
	if (gh_exists(GRUB_DEFAULT))
		return grub_bls() ? GH_GRUBBY : GH_GRUB;
	for (d = 0; d < ARRAY_SIZE(hc_entry_dirs); d++)
		if (gh_exists(hc_entry_dirs[d]))
			return GH_SYSTEMD_BOOT;
	return gh_exists(KERNEL_CMDLINE) ? GH_SYSTEMD_BOOT : GH_BOOT_NONE;
}

enum gh_initramfs gh_detect_initramfs(void)
{
	if (gh_exists(MKINITCPIO_CONF))
		return GH_MKINITCPIO;
	if (gh_exists("/etc/dracut.conf") || gh_exists("/etc/dracut.conf.d"))
		return GH_DRACUT;
	if (gh_exists("/etc/initramfs-tools"))
		return GH_INITRAMFS_TOOLS;
	return GH_INITRAMFS_NONE;
}
