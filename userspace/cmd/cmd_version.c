// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_version.c - gpuhelper version: the one VERSION file, as built in.
 */
#include <stdio.h>

#include "commands.h"
#include "lib/opts.h"

const struct gh_cmd_spec gh_spec_version = {
	.name = "version",
	.summary = "print the gpuhelper version",
	.synopsis = "",
	.run = cmd_version,
};

int cmd_version(int argc, char **argv)
{
	struct gh_optparse p;
	int c;

	gh_opt_start(&p, &gh_spec_version, argc, argv);
	while ((c = gh_opt_next(&p)) != GH_OPT_DONE)
		return c == GH_OPT_HELP ? GH_EXIT_OK : gh_opt_fail(&p);
	if (p.ind < argc)
		return gh_opt_usage_error(&gh_spec_version, "unexpected '%s'", argv[p.ind]);
	printf("gpuhelper %s\n", GH_VERSION);
	return GH_EXIT_OK;
}
