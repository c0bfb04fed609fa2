// SPDX-License-Identifier: GPL-2.0
/*
 * hook_dev.c - the devices the libvirt hook moves: their states as the
 * module shows them (/sys/class/gpuhelper/<bdf>/state and role, under the
 * root), the check before a dGPU is taken, and the hand-off itself, which
 * is gpuhelper handoff's (cmd_handoff(): netlink, else sysfs).
 *
 * Test-only: under a root other than "/" (--root, GPUHELPER_ROOT) there
 * is no module to talk to, and the hand-off acts on that tree the way the
 * module acts on sysfs (fake_module_handoff()). libvirt starts its hooks
 * with a cleaned environment, and the shipped hook passes no --root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "host/hook.h"
#include "module/nl.h"
#include "lib/root.h"

#define GH_CLASS_DIR "/sys/class/gpuhelper"

/**
 * gh_hook_state_parse() - a state as sysfs and the prior file name it
 * @s: "stub", "vfio", "host" or "unbound"
 * @state: receives the enum gpuhelper_state
 *
 * Return: 0 or -EINVAL.
 */
int gh_hook_state_parse(const char *s, uint32_t *state)
{
	uint32_t i;

	for (i = GPUHELPER_STATE_STUB; i <= GPUHELPER_STATE_UNBOUND; i++) {
		if (!strcmp(s, gh_nl_state_name(i))) {
			*state = i;
			return 0;
		}
	}
	return -EINVAL;
}

static int read_attr(const char *bdf, const char *attr, char *buf, size_t len)
{
	char rel[GH_PATH_MAX];

	if (snprintf(rel, sizeof(rel), GH_CLASS_DIR "/%s/%s", bdf, attr) >= (int)sizeof(rel))
		return -ENAMETOOLONG;
	return gh_read_line(rel, buf, len);
}

static int read_fn(struct gh_hook_fn *f, char *why, size_t whylen)
{
	char s[32], dir[GH_PATH_MAX];
	int err = read_attr(f->bdf, "state", s, sizeof(s));

	if (err == -ENOENT) {
		gh_path(dir, sizeof(dir), GH_CLASS_DIR);
		snprintf(why, whylen, "%s is not held by gpuhelper (no %s/%s): load the module "
			 "with its IDs in ids= (gpuhelper host-config), then start the domain",
			 f->bdf, dir, f->bdf);
		return -ENODEV;
	}
	if (!err && gh_hook_state_parse(s, &f->state))
		err = -EINVAL;
	if (err)
		snprintf(why, whylen, "cannot read the state of %s: %s", f->bdf,
			 err == -EINVAL ? "not a state gpuhelper knows" : strerror(-err));
	return err;
}

static int by_bdf(const void *a, const void *b)
{
	return strcmp(((const struct gh_hook_fn *)a)->bdf, ((const struct gh_hook_fn *)b)->bdf);
}

/* The audio functions gpuhelper tracks at @t's dGPU slot, with their states. */
static int read_audio(struct gh_hook_take *t, char *why, size_t whylen)
{
	size_t slot = strlen(t->dgpu.bdf) - 1;	/* "0000:01:00." */
	char dir[GH_PATH_MAX], role[16];
	struct gh_hook_fn *f;
	struct dirent *de;
	DIR *d;
	int err = 0;

	t->naudio = 0;
	if (gh_path(dir, sizeof(dir), GH_CLASS_DIR))
		return -ENAMETOOLONG;
	d = opendir(dir);
	if (!d) {
		snprintf(why, whylen, "cannot list %s: %s", dir, strerror(errno));
		return -errno;
	}
	while (!err && (de = readdir(d))) {
		if (strlen(de->d_name) != slot + 1 || strncmp(de->d_name, t->dgpu.bdf, slot) ||
		    !strcmp(de->d_name, t->dgpu.bdf))
			continue;
		if (read_attr(de->d_name, "role", role, sizeof(role)) || strcmp(role, "audio"))
			continue;
		if (t->naudio == GH_HOOK_AUDIO)
			break;
		f = &t->audio[t->naudio];
		snprintf(f->bdf, sizeof(f->bdf), "%s", de->d_name);
		err = read_fn(f, why, whylen);
		if (!err)
			t->naudio++;
	}
	closedir(d);
	qsort(t->audio, t->naudio, sizeof(t->audio[0]), by_bdf);
	return err;
}

/**
 * gh_hook_read_take() - the states of a dGPU and its audio functions now
 * @t: the dGPU (its address); receives its state and its audio functions'
 * @why: receives why not
 * @whylen: the size of @why
 *
 * Return: 0, -ENODEV when gpuhelper does not hold the dGPU, or -errno.
 */
int gh_hook_read_take(struct gh_hook_take *t, char *why, size_t whylen)
{
	int err = read_fn(&t->dgpu, why, whylen);

	return err ? err : read_audio(t, why, whylen);
}

/* The name of the driver bound to @bdf, "none" when unbound. */
static void driver_of(const char *bdf, char *buf, size_t len)
{
	char rel[128], path[GH_PATH_MAX], link[GH_PATH_MAX], *name;
	ssize_t n;
	size_t l;

	snprintf(buf, len, "none");
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/driver", bdf);
	if (gh_pci_path(path, sizeof(path), rel))
		return;
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = '\0';
	name = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	l = strnlen(name, len - 1);
	memcpy(buf, name, l);
	buf[l] = '\0';
}

/**
 * gh_hook_check_take() - whether the hook may take a dGPU as it is now
 * @t: the dGPU, its state read (gh_hook_read_take())
 * @pol: what the domain's record and allow file say
 * @domain: the domain, for the fix
 * @why: receives why not, and what to do
 * @whylen: the size of @why
 *
 * A dGPU the host is using (state host: nouveau, nvidia) is taken only
 * when the admin allowed it for this domain: taking it would pull the
 * driver from under whatever runs on it.
 *
 * Return: 0, or -EBUSY with @why.
 */
int gh_hook_check_take(const struct gh_hook_take *t,
		       const struct gh_hook_policy *pol, const char *domain,
		       char *why, size_t whylen)
{
	char drv[64], allow[GH_PATH_MAX], rel[GH_PATH_MAX];

	if (t->dgpu.state != GPUHELPER_STATE_HOST || pol->from_host)
		return 0;
	driver_of(t->dgpu.bdf, drv, sizeof(drv));
	snprintf(rel, sizeof(rel), GH_HOOK_ALLOW_DIR "/%s", domain);
	gh_path(allow, sizeof(allow), rel);
	snprintf(why, whylen, "%s is the host's (state host, driver %s): the hook does not "
		 "take a dGPU the host may be using. Free it first (gpuhelper handoff --to "
		 "stub %s), or let the hook take it from the host for this domain: "
		 "echo 'from-host allow' >>%s", t->dgpu.bdf, drv, t->dgpu.bdf, allow);
	return -EBUSY;
}

/**
 * gh_hook_restore_state() - the state release gives a function back to
 * @prior: the state prepare found
 *
 * Return: @prior, but stub for unbound (no state one can hand off to).
 */
uint32_t gh_hook_restore_state(uint32_t prior)
{
	if (prior == GPUHELPER_STATE_VFIO || prior == GPUHELPER_STATE_HOST)
		return prior;
	return GPUHELPER_STATE_STUB;
}

static bool fake_module(void)
{
	return strcmp(gh_root(), "/") != 0;
}

static int fake_write(const char *bdf, uint32_t state)
{
	char rel[128], path[GH_PATH_MAX];
	int fd, err = 0;

	snprintf(rel, sizeof(rel), GH_CLASS_DIR "/%s/state", bdf);
	if (gh_path(path, sizeof(path), rel))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (dprintf(fd, "%s\n", gh_nl_state_name(state)) < 0)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/*
 * Test-only: "echo STATE > state" in a tree under --root, as the module
 * answers it: refused (EBUSY) while blockers names something, else the
 * function, and for a dGPU the audio functions at its slot, reach STATE.
 */
static int fake_module_handoff(const char *bdf, uint32_t state)
{
	struct gh_hook_take t = { 0 };
	char blockers[256], role[16], why[256];
	unsigned int i;
	int err;

	if (!read_attr(bdf, "blockers", blockers, sizeof(blockers)) && blockers[0]) {
		fprintf(stderr, "gpuhelper: cannot hand %s to %s: %s\n", bdf,
			gh_nl_state_name(state), blockers);
		return -EBUSY;
	}
	err = fake_write(bdf, state);
	if (err || read_attr(bdf, "role", role, sizeof(role)) || strcmp(role, "dgpu"))
		return err;
	snprintf(t.dgpu.bdf, sizeof(t.dgpu.bdf), "%s", bdf);
	err = read_audio(&t, why, sizeof(why));
	for (i = 0; !err && i < t.naudio; i++)
		err = fake_write(t.audio[i].bdf, state);
	return err;
}

static int cli_handoff(const char *bdf, uint32_t state)
{
	char cmd[] = "handoff", opt[] = "--to", to[16], dev[GH_BDF_LEN];
	char *argv[] = { cmd, opt, to, dev, NULL };
	int rc;

	snprintf(to, sizeof(to), "%s", gh_nl_state_name(state));
	snprintf(dev, sizeof(dev), "%s", bdf);
	rc = cmd_handoff(4, argv);
	if (rc == GH_EXIT_OK)
		return 0;
	return rc == GH_EXIT_FAIL ? -EBUSY : -EIO;
}

/**
 * gh_hook_handoff() - hand a function to @state, as gpuhelper handoff does
 * @bdf: the function; a dGPU takes its audio functions along
 * @state: GPUHELPER_STATE_VFIO, _STUB or _HOST
 *
 * Why it failed is on stderr (gpuhelper handoff's explanation).
 *
 * Return: 0, -EBUSY when refused, or another -errno.
 */
int gh_hook_handoff(const char *bdf, uint32_t state)
{
	return fake_module() ? fake_module_handoff(bdf, state) : cli_handoff(bdf, state);
}
