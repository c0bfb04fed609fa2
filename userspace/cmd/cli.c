// SPDX-License-Identifier: GPL-2.0
/*
 * cli.c - the gpuhelper command tree: every command's spec (its option
 * table, next to its code in cmd_X.c), in the order gpuhelper --help
 * lists them.
 */
#include <stddef.h>

#include "commands.h"
#include "lib/opts.h"

static const struct gh_cmd_spec *const commands[] = {
	&gh_spec_version, &gh_spec_vbios, &gh_spec_acpi, &gh_spec_detect, &gh_spec_vm,
	&gh_spec_lint, &gh_spec_hostconfig, &gh_spec_doctor, &gh_spec_mdev,
	&gh_spec_status, &gh_spec_handoff, &gh_spec_monitor, &gh_spec_hook,
	&gh_spec_completion, NULL,
};

const struct gh_cmd_spec gh_cli = {
	.name = "",
	.synopsis = "COMMAND [ARGS]",
	.verbs = commands,
};
