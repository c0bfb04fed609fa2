// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_status.c - gpuhelper status [--json] [BDF]: every function the
 * module holds, its state, role, IDs, IOMMU group, driver and blockers,
 * from the netlink family, and its power state (D0, D3hot, D3cold) and
 * runtime PM status from sysfs.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "lib/fileio.h"
#include "lib/opts.h"
#include "module/handoff_args.h"
#include "module/nl.h"
#include "lib/print.h"

#define GH_MAX_DEVS 32

/*
 * One word of a function's power attribute in sysfs ("power_state": D0,
 * D3hot, D3cold; "power/runtime_status": active, suspended, ...), or
 * "unknown".
 */
static void read_power(const char *bdf, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	if (gh_read_text(path, buf, len) || !buf[0])
		snprintf(buf, len, "unknown");
	buf[strcspn(buf, "\n")] = '\0';
}

static void print_dev(struct gh_out *out, const struct gh_nl_dev *d)
{
	char ids[48], power[16], runtime[24];
	int i;

	snprintf(ids, sizeof(ids), "%04x:%04x %04x:%04x", d->vendor, d->device,
		 d->subvendor, d->subdevice);
	gh_out_open_obj(out, NULL);
	gh_out_str(out, "bdf", "%-13s", d->bdf);
	gh_out_str(out, "role", " %-6s", gh_nl_role_name(d->role));
	gh_out_str(out, "state", " %-8s", gh_nl_state_name(d->state));
	gh_out_str(out, "driver", " %-14s", d->driver[0] ? d->driver : "-");
	gh_out_str(out, "ids", " %s", ids);
	gh_out_hex(out, "class", " class %s", d->class, 6);
	if (d->iommu_group >= 0)
		gh_out_int(out, "iommu_group", " group %ld", d->iommu_group);
	else
		gh_out_null(out, "iommu_group");
	if (d->primary[0])
		gh_out_str(out, "follows", " follows %s", d->primary);
	read_power(d->bdf, "power_state", power, sizeof(power));
	read_power(d->bdf, "power/runtime_status", runtime, sizeof(runtime));
	gh_out_str(out, "power", " power %s", power);
	gh_out_str(out, "runtime_pm", " (%s)", runtime);
	gh_out_text(out, "\n");
	gh_out_open_arr(out, "blockers");
	for (i = 0; i < d->nblockers; i++)
		gh_out_str(out, NULL, "    blocker: %s\n", d->blockers[i]);
	gh_out_close_arr(out);
	gh_out_close_obj(out);
}

enum { STATUS_OPT_JSON = GH_OPT_LONG };

static const struct gh_opt status_opts[] = {
	{ STATUS_OPT_JSON, "json", NULL, "one JSON object", GH_COMP_NONE, NULL },
	GH_OPT_END
};

const struct gh_cmd_spec gh_spec_status = {
	.name = "status",
	.summary = "show the devices gpuhelper holds, their state and blockers",
	.synopsis = "[--json] [BDF]",
	.opts = status_opts,
	.run = cmd_status,
	.args = GH_COMP_BDF,
};

int cmd_status(int argc, char **argv)
{
	struct gh_optparse p;
	static struct gh_nl_dev devs[GH_MAX_DEVS];
	const char *only = NULL;
	char bdf[20];
	struct gh_out out;
	struct gh_nl *nl;
	bool json = false;
	int i, n, ret;

	gh_opt_start(&p, &gh_spec_status, argc, argv);
	while ((i = gh_opt_next(&p)) != GH_OPT_DONE) {
		if (i == STATUS_OPT_JSON)
			json = true;
		else
			return i == GH_OPT_HELP ? GH_EXIT_OK : gh_opt_fail(&p);
	}
	for (i = p.ind; i < argc; i++) {
		if (only || gh_bdf_normalize(argv[i], bdf, sizeof(bdf)))
			return gh_opt_usage_error(&gh_spec_status, "unexpected '%s'", argv[i]);
		only = bdf;
	}

	ret = gh_nl_open(&nl);
	if (ret == -ENOENT) {
		fprintf(stderr, "gpuhelper: the gpuhelper module is not loaded: modprobe gpuhelper (see gpuhelper host-config)\n");
		return GH_EXIT_ERROR;
	}
	if (ret) {
		fprintf(stderr, "gpuhelper: cannot reach the gpuhelper module over netlink: %s\n",
			strerror(-ret));
		return GH_EXIT_ERROR;
	}
	n = only ? gh_nl_get(nl, only, devs) : gh_nl_dump(nl, devs, GH_MAX_DEVS);
	gh_nl_close(nl);
	if (only && !n)
		n = 1;
	if (n < 0) {
		fprintf(stderr, "gpuhelper: %s%s: %s\n", only ? only : "status",
			only && n == -ENODEV ? " is not held by gpuhelper" : "",
			strerror(-n));
		return GH_EXIT_ERROR;
	}

	gh_out_init(&out, stdout, json);
	gh_out_open_obj(&out, NULL);
	gh_out_open_arr(&out, "devices");
	if (!n)
		gh_out_text(&out, "gpuhelper holds no device: check ids= (gpuhelper doctor)\n");
	for (i = 0; i < n; i++)
		print_dev(&out, &devs[i]);
	gh_out_close_arr(&out);
	gh_out_close_obj(&out);
	gh_out_end(&out);
	return GH_EXIT_OK;
}
