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
#include "lib/opts.h"
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

enum { MONITOR_OPT_JSON = GH_OPT_LONG, MONITOR_OPT_COUNT };

static const struct gh_opt monitor_opts[] = {
	{ MONITOR_OPT_JSON, "json", NULL, "one JSON object a line", GH_COMP_NONE, NULL },
	{ MONITOR_OPT_COUNT, "count", "N", "exit after N events", GH_COMP_NONE, NULL },
	GH_OPT_END
};

const struct gh_cmd_spec gh_spec_monitor = {
	.name = "monitor",
	.summary = "print every hand-off and driver change as it happens",
	.synopsis = "[--json] [--count N]",
	.opts = monitor_opts,
	.run = cmd_monitor,
};

int cmd_monitor(int argc, char **argv)
{
	struct gh_optparse p;
	struct gh_out out;
	struct mon_ctx c = { .out = &out, .left = -1 };
	struct gh_nl *nl;
	bool json = false;
	char *end;
	int i, ret;

	gh_opt_start(&p, &gh_spec_monitor, argc, argv);
	while ((i = gh_opt_next(&p)) != GH_OPT_DONE) {
		switch (i) {
		case MONITOR_OPT_JSON:
			json = true;
			break;
		case MONITOR_OPT_COUNT:
			c.left = strtol(p.val, &end, 10);
			if (*end || end == p.val || c.left <= 0)
				return gh_opt_usage_error(&gh_spec_monitor,
							  "--count needs a positive number");
			break;
		case GH_OPT_HELP:
			return GH_EXIT_OK;
		default:
			return gh_opt_fail(&p);
		}
	}
	if (p.ind < argc)
		return gh_opt_usage_error(&gh_spec_monitor, "unexpected '%s'", argv[p.ind]);
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
