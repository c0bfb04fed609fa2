// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_completion.c - gpuhelper completion bash: the bash completion,
 * printed from the option tables (make installs it; not listed in
 * gpuhelper --help).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "lib/opts.h"

const struct gh_cmd_spec gh_spec_completion = {
	.name = "completion",
	.summary = "print the bash completion script",
	.synopsis = "bash",
	.run = cmd_completion,
	.args = GH_COMP_WORDS,
	.args_words = "bash",
	.hidden = true,
};

int cmd_completion(int argc, char **argv)
{
	struct gh_optparse p;
	int c;

	gh_opt_start(&p, &gh_spec_completion, argc, argv);
	while ((c = gh_opt_next(&p)) != GH_OPT_DONE)
		return c == GH_OPT_HELP ? GH_EXIT_OK : gh_opt_fail(&p);
	if (p.ind + 1 != argc || strcmp(argv[p.ind], "bash"))
		return gh_opt_usage_error(&gh_spec_completion, "which shell? only bash");
	gh_opt_bash_completion(&gh_cli, stdout);
	return fflush(stdout) ? GH_EXIT_ERROR : GH_EXIT_OK;
}
