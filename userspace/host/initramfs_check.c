// SPDX-License-Identifier: GPL-2.0
/*
 * initramfs_check.c - does the built image hold gpuhelper's module, its
 * options and the claim rule? The listing comes from the generator's own
 * tool, so what is checked is the image the bootloader loads, not the
 * configuration it was meant to be built from.
 */
#define _GNU_SOURCE		/* pipe2() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/initramfs_check.h"
#include "lib/fileio.h"

#define CLAIM_RULE_NAME	"60-gpuhelper-claim.rules"
#define LIST_MAX	(64u << 20)

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t l = strlen(suffix);

	return n >= l && !strncmp(s + n - l, suffix, l) && (n == l || s[n - l - 1] == '/');
}

static const char *const images[][2] = {
	{ "/boot/initrd.img-", "" },		/* Debian, Ubuntu: both generators */
	{ "/boot/initramfs-", ".img" },		/* dracut elsewhere (Fedora) */
	{ "/boot/initramfs-linux", ".img" },	/* mkinitcpio (Arch's preset) */
};

int gh_image_find(const char *release, enum gh_initramfs gen, char *out, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		char abs[GH_PATH_MAX];

		if (i == 2 && gen != GH_MKINITCPIO)
			continue;
		snprintf(abs, sizeof(abs), "%s%s%s", images[i][0], i == 2 ? "" : release,
			 images[i][1]);
		if (gh_exists(abs) && !gh_path(out, len, abs))
			return 0;
	}
	return -ENOENT;
}

/* The gpuhelper*.conf files of the root's /etc/modprobe.d: is each listed? */
static void scan_confs(const char *listing, struct gh_image_check *r)
{
	char dir[GH_PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (gh_path(dir, sizeof(dir), "/etc/modprobe.d"))
		return;
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char want[300];
		const char *l;
		bool found = false;

		if (strncmp(de->d_name, "gpuhelper", 9) || !strstr(de->d_name, ".conf") ||
		    strcmp(strstr(de->d_name, ".conf"), ".conf"))
			continue;
		r->conf_want++;
		snprintf(want, sizeof(want), "etc/modprobe.d/%s", de->d_name);
		for (l = listing; *l && !found; l += strcspn(l, "\n"), l += *l == '\n') {
			size_t n = strcspn(l, "\n");
			const char *w = l + n;

			while (w > l && w[-1] != ' ' && w[-1] != '\t')
				w--;
			found = ends_with(w, (size_t)(l + n - w), want);
		}
		if (found)
			r->conf_have++;
		else if (!r->conf_missing[0])
			snprintf(r->conf_missing, sizeof(r->conf_missing), "/%s", want);
	}
	closedir(d);
}

void gh_image_scan(const char *listing, struct gh_image_check *r)
{
	static const char *const kos[] = {
		"gpuhelper.ko", "gpuhelper.ko.xz", "gpuhelper.ko.zst", "gpuhelper.ko.gz",
	};
	const char *l;
	size_t i;

	r->module = r->rule = false;
	r->conf_want = r->conf_have = 0;
	r->conf_missing[0] = '\0';
	for (l = listing; *l; l += strcspn(l, "\n"), l += *l == '\n') {
		size_t n = strcspn(l, "\n");
		const char *w = l + n;

		/* lsinitrd lists as ls -l does; a link's line ends "-> target" */
		if (n > 4 && strstr(l, " -> ") && strstr(l, " -> ") < l + n)
			continue;
		while (w > l && w[-1] != ' ' && w[-1] != '\t')
			w--;
		for (i = 0; i < sizeof(kos) / sizeof(kos[0]); i++)
			if (ends_with(w, (size_t)(l + n - w), kos[i]))
				r->module = true;
		if (ends_with(w, (size_t)(l + n - w), "rules.d/" CLAIM_RULE_NAME))
			r->rule = true;
	}
	r->rule_want = gh_exists("/etc/udev/rules.d/" CLAIM_RULE_NAME) ||
		       gh_exists("/usr/lib/udev/rules.d/" CLAIM_RULE_NAME);
	scan_confs(listing, r);
}

/* Run @argv, its output into *@out (malloc'd). Return: 0 or -errno. */
static int run_capture(char *const argv[], char **out)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int fds[2], status, err;
	pid_t pid;

	*out = NULL;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		dup2(fds[1], 1);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	err = gh_read_fd(fds[0], &data, &len, LIST_MAX);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (err) {
		free(data);
		return err;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		free(data);
		return WIFEXITED(status) && WEXITSTATUS(status) == 127 ? -ENOENT : -EIO;
	}
	*out = realloc(data, len + 1);
	if (!*out) {
		free(data);
		return -ENOMEM;
	}
	(*out)[len] = '\0';
	return 0;
}

int gh_image_check(const char *image, enum gh_initramfs gen, struct gh_image_check *r)
{
	/* the generator's lister first, then the others (one may list another's) */
	static const char *const order[][3] = {
		[GH_INITRAMFS_NONE] = { "lsinitramfs", "lsinitrd", "lsinitcpio" },
		[GH_MKINITCPIO] = { "lsinitcpio", "lsinitrd", "lsinitramfs" },
		[GH_DRACUT] = { "lsinitrd", "lsinitramfs", "lsinitcpio" },
		[GH_INITRAMFS_TOOLS] = { "lsinitramfs", "lsinitrd", "lsinitcpio" },
	};
	char *listing = NULL;
	size_t i;
	int err = -ENOENT;

	memset(r, 0, sizeof(*r));
	snprintf(r->image, sizeof(r->image), "%s", image);
	if (access(image, R_OK)) {
		err = -errno;
		snprintf(r->error, sizeof(r->error), "cannot read %s: %s", image, strerror(-err));
		return err;
	}
	for (i = 0; i < 3 && err == -ENOENT; i++) {
		char *argv[] = { (char *)order[gen][i], (char *)image, NULL };

		err = run_capture(argv, &listing);
		if (!err)
			r->tool = order[gen][i];
	}
	if (err == -ENOENT)
		snprintf(r->error, sizeof(r->error), "no lister for %s: install the generator's "
			 "(lsinitramfs, lsinitrd, lsinitcpio)", image);
	else if (err)
		snprintf(r->error, sizeof(r->error), "%s: %s could not list it (%s)", image,
			 order[gen][i - 1], strerror(-err));
	if (err)
		return err;
	gh_image_scan(listing, r);
	free(listing);
	return 0;
}
