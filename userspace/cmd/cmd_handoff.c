// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_handoff.c - gpuhelper handoff [--to vfio|stub|host]
 * [--with-audio|--without-audio] [--dry-run] BDF
 *
 * Moves the dGPU (and by default its audio function) through the
 * module's netlink family; falls back to the sysfs state file when the
 * family is missing but the class directory exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "lib/opts.h"
#include "module/devusers.h"
#include "module/handoff_args.h"
#include "module/nl.h"

#define GH_MAX_DEVS 32

static const struct gh_opt handoff_opts[] = {
	{ GH_HANDOFF_OPT_TO, "to", "vfio|stub|host",
	  "vfio-pci (default), back to gpuhelper, or the host's driver",
	  GH_COMP_WORDS, "vfio stub host" },
	{ GH_HANDOFF_OPT_WITH_AUDIO, "with-audio", NULL, "move the HDMI audio function too", GH_COMP_NONE, NULL },
	{ GH_HANDOFF_OPT_WITHOUT_AUDIO, "without-audio", NULL, "leave the audio function", GH_COMP_NONE, NULL },
	{ GH_HANDOFF_OPT_DRY_RUN, "dry-run", NULL, "print what would move and what blocks it", GH_COMP_NONE, NULL },
	{ GH_HANDOFF_OPT_FORCE, "force", NULL,
	  "take the GPU from its host driver even while processes hold its device nodes",
	  GH_COMP_NONE, NULL },
	GH_OPT_END
};

const struct gh_cmd_spec gh_spec_handoff = {
	.name = "handoff",
	.summary = "hand the dGPU to vfio-pci, back to gpuhelper or to the host",
	.synopsis = "[--to vfio|stub|host] [--with-audio|--without-audio] [--dry-run] [--force] BDF",
	.about = "Hand the dGPU at BDF (and its HDMI audio function) to vfio-pci (default),\n"
		 "back to gpuhelper (stub) or to the host's driver, all or nothing.\n",
	.opts = handoff_opts,
	.run = cmd_handoff,
	.args = GH_COMP_BDF,
};

static int sysfs_fallback(const struct gh_handoff_opts *o)
{
	char path[128];
	const char *s = gh_nl_state_name(o->to);
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/class/gpuhelper/%s/state", o->bdf);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -ENOENT;
	if (o->with_audio == 0)
		fprintf(stderr, "gpuhelper: no netlink family: --without-audio is ignored over sysfs\n");
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * Leaving host: the processes that hold the device nodes of @bdf (and of
 * the functions that move with it), printed with @prefix. The driver's
 * remove would wait for them (nvidia's does) or pull the device from
 * under them. Return: how many.
 */
static int host_users(const struct gh_handoff_opts *o, const struct gh_nl_dev *devs, int n,
		      const char *prefix)
{
	struct gh_dev_user u[16];
	int i, j, k, total = 0;

	for (i = 0; i < n; i++) {
		bool moves = !strcmp(devs[i].bdf, o->bdf) ||
			(!strcmp(devs[i].primary, o->bdf) &&
			 !(devs[i].role == GPUHELPER_ROLE_AUDIO && o->with_audio == 0));

		if (!moves || devs[i].state != GPUHELPER_STATE_HOST)
			continue;
		k = gh_dev_users("", devs[i].bdf, u, 16);
		for (j = 0; j < k && j < 16; j++)
			fprintf(stderr, "%s%s (%s): PID %d (%s) holds %s\n", prefix, devs[i].bdf,
				devs[i].driver[0] ? devs[i].driver : "no driver", u[j].pid,
				u[j].comm, u[j].node);
		if (k > 16)
			fprintf(stderr, "%s%s: and %d more\n", prefix, devs[i].bdf, k - 16);
		total += k > 0 ? k : 0;
	}
	return total;
}

static int dry_run(struct gh_nl *nl, const struct gh_handoff_opts *o,
		   const struct gh_nl_dev *devs, int n)
{
	const struct gh_nl_dev *me = NULL;
	int i, blocked = 0;

	for (i = 0; i < n; i++)
		if (!strcmp(devs[i].bdf, o->bdf))
			me = &devs[i];
	(void)nl;
	if (!me) {
		fprintf(stderr, "gpuhelper: %s is not held by gpuhelper\n", o->bdf);
		return GH_EXIT_ERROR;
	}
	printf("would hand to %s:\n  %s %s (%s -> %s)\n", gh_nl_state_name(o->to),
	       me->bdf, gh_nl_role_name(me->role), gh_nl_state_name(me->state),
	       gh_nl_state_name(o->to));
	for (i = 0; i < n; i++) {
		if (strcmp(devs[i].primary, o->bdf) ||
		    (devs[i].role == GPUHELPER_ROLE_AUDIO && o->with_audio == 0))
			continue;
		printf("  %s %s (%s -> %s)\n", devs[i].bdf, gh_nl_role_name(devs[i].role),
		       gh_nl_state_name(devs[i].state), gh_nl_state_name(o->to));
	}
	for (i = 0; i < me->nblockers; i++, blocked++)
		printf("blocked: %s\n", me->blockers[i]);
	if (o->to != GPUHELPER_STATE_HOST && !o->force)
		blocked += host_users(o, devs, n, "in use: ");
	return blocked ? GH_EXIT_FAIL : GH_EXIT_OK;
}

int cmd_handoff(int argc, char **argv)
{
	static struct gh_nl_dev devs[GH_MAX_DEVS];
	struct gh_handoff_opts o;
	char err[256], extack[256], why[2048];
	struct gh_nl *nl = NULL;
	int ret, n = 0;

	ret = gh_handoff_parse(argc, argv, &o, err, sizeof(err));
	if (ret > 0)
		return GH_EXIT_OK;
	if (ret)
		return gh_opt_usage_error(&gh_spec_handoff, "%s", err);

	ret = gh_nl_open(&nl);
	if (ret == -ENOENT && !o.dry_run) {
		ret = sysfs_fallback(&o);
		if (!ret) {
			printf("%s: %s\n", o.bdf, gh_nl_state_name(o.to));
			return GH_EXIT_OK;
		}
		extack[0] = '\0';
		goto explain;
	}
	if (ret) {
		fprintf(stderr, "gpuhelper: cannot reach the gpuhelper module over netlink: %s\n",
			strerror(-ret));
		return GH_EXIT_ERROR;
	}
	if (o.dry_run) {
		n = gh_nl_dump(nl, devs, GH_MAX_DEVS);
		ret = n < 0 ? GH_EXIT_ERROR : dry_run(nl, &o, devs, n);
		gh_nl_close(nl);
		return ret;
	}

	/* out of host: not while processes hold the GPU's nodes, unless forced */
	if (o.to != GPUHELPER_STATE_HOST && !o.force) {
		n = gh_nl_dump(nl, devs, GH_MAX_DEVS);
		if (n > 0 && host_users(&o, devs, n, "gpuhelper: in use: ")) {
			fprintf(stderr, "gpuhelper: %s is in use on the host: close those programs, "
				"or pass --force (the host driver's remove then waits for them, or "
				"takes the device from under them)\n", o.bdf);
			gh_nl_close(nl);
			return GH_EXIT_FAIL;
		}
	}

	ret = gh_nl_set_state(nl, o.bdf, o.to, o.with_audio, extack, sizeof(extack));
	if (!ret) {
		printf("%s: %s\n", o.bdf, gh_nl_state_name(o.to));
		gh_nl_close(nl);
		return GH_EXIT_OK;
	}
	n = gh_nl_dump(nl, devs, GH_MAX_DEVS);
	if (n < 0)
		n = 0;
explain:
	gh_handoff_explain(&o, ret, extack, devs, n, why, sizeof(why));
	fputs(why, stderr);
	gh_nl_close(nl);
	return ret == -EBUSY ? GH_EXIT_FAIL : GH_EXIT_ERROR;
}
