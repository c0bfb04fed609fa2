// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - gpuhelper CLI: dispatch to one command per file.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct gh_command commands[] = {
	{ "version", cmd_version, "print the gpuhelper version" },
	{ "vbios", cmd_vbios, "inspect, dump and strip a GPU's vBIOS" },
	{ "acpi", cmd_acpi, "write the guest SSDTs: vBIOS _ROM, battery" },
	{ "detect", cmd_detect, "list the GPUs and the laptop architecture" },
	{ "vm", cmd_vm, "write the libvirt domain (or QEMU command line) for passthrough" },
	{ "lint", cmd_lint, "check a libvirt domain for the Code 43 pitfalls" },
	{ "host-config", cmd_hostconfig, "write modprobe.d, initramfs and kernel command line" },
	{ "doctor", cmd_doctor, "check every prerequisite, with the fix for each" },
	{ "mdev", cmd_mdev, "GVT-g vGPUs on the iGPU: list, create, remove, persist" },
	{ "status", cmd_status, "show the devices gpuhelper holds, their state and blockers" },
	{ "handoff", cmd_handoff, "hand the dGPU to vfio-pci, back to gpuhelper or to the host" },
	{ "monitor", cmd_monitor, "print every hand-off and driver change as it happens" },
	{ "hook", cmd_hook, "the libvirt hook: the dGPU to vfio-pci at start, back at stop" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: gpuhelper COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nSee gpuhelper(8) and gpuhelper COMMAND --help.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return GH_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(stdout);
		return GH_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);

	fprintf(stderr, "gpuhelper: unknown command '%s': see gpuhelper --help\n",
		argv[1]);
	return GH_EXIT_USAGE;
}
