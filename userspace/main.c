// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - gpuhelper CLI: dispatch to one command per file, through the
 * command tree of cmd/cli.c (whose tables also give --help and the bash
 * completion).
 */
#include "commands.h"
#include "lib/opts.h"

int main(int argc, char **argv)
{
	return gh_opt_dispatch(&gh_cli, argc, argv);
}
