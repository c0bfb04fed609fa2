// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_version.c - gpuhelper version: the one VERSION file, as built in.
 */
#include <stdio.h>

#include "commands.h"

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("gpuhelper %s\n", GH_VERSION);
	return GH_EXIT_OK;
}
