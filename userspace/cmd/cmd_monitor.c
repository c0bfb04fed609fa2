// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_monitor.c - gpuhelper monitor [--json] [--count N]: print every
 * state change the module reports on its netlink events group.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "module/nl.h"
#include "lib/print.h"

struct mon_ctx {
	struct gh_out *out;
	long left;		/* -1: forever */
};

static int on_event(const struct gh_nl_event *ev, void *arg)
{
	struct mon_ctx *c = arg;

	gh_out_open_obj(c->out, NULL);
	gh_out_str(c->out, "bdf", "%s", ev->bdf);
	gh_out_str(c->out, "role", " %s", gh_nl_role_name(ev->role));
	gh_out_str(c->out, "old", " %s", gh_nl_state_name(ev->old_state));
	gh_out_str(c->out, "new", " -> %s", gh_nl_state_name(ev->state));
	gh_out_str(c->out, "cause", " (%s)", gh_nl_cause_name(ev->cause));
	gh_out_close_obj(c->out);
	gh_out_end(c->out);
	gh_out_text(c->out, "\n");
	fflush(stdout);
	return c->left > 0 && --c->left == 0;
}

int cmd_monitor(int argc, char **argv)
{
	struct gh_out out;
	struct mon_ctx c = { .out = &out, .left = -1 };
	struct gh_nl *nl;
	bool json = false;
	char *end;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--count") && i + 1 < argc) {
			c.left = strtol(argv[++i], &end, 10);
			if (*end || c.left <= 0) {
				fprintf(stderr, "gpuhelper monitor: --count needs a positive number\n");
				return GH_EXIT_USAGE;
			}
		} else {
			fprintf(stderr, "usage: gpuhelper monitor [--json] [--count N]\n");
			return strcmp(argv[i], "--help") ? GH_EXIT_USAGE : GH_EXIT_OK;
		}
	}
	ret = gh_nl_open(&nl);
	if (ret) {
		fprintf(stderr, "gpuhelper: %s\n", ret == -2 ?
			"the gpuhelper module is not loaded: modprobe gpuhelper" :
			"cannot reach the gpuhelper module over netlink");
		return GH_EXIT_ERROR;
	}
	gh_out_init(&out, stdout, json);
	ret = gh_nl_monitor(nl, on_event, &c);
	gh_nl_close(nl);
	if (ret) {
		fprintf(stderr, "gpuhelper monitor: %s%s\n", strerror(-ret),
			ret == -EPERM || ret == -EACCES ?
			": listening to gpuhelper's events needs CAP_NET_ADMIN: run as root" : "");
		return GH_EXIT_ERROR;
	}
	return GH_EXIT_OK;
}
