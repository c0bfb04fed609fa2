/* SPDX-License-Identifier: GPL-2.0 */
/*
 * commands.h - the gpuhelper CLI's top-level commands.
 *
 * Each command lives in its own cmd_*.c and is called as
 * cmd_X(argc, argv) with argv[0] the command's name (iproute2 style).
 * It returns an exit code: 0 success, 1 a check or lint failed,
 * 2 usage error, 3 runtime error (message already printed).
 */
#ifndef GH_COMMANDS_H
#define GH_COMMANDS_H

enum gh_exit {
	GH_EXIT_OK = 0,
	GH_EXIT_FAIL = 1,
	GH_EXIT_USAGE = 2,
	GH_EXIT_ERROR = 3,
};

/*
 * Each command's option table and synopsis (lib/opts.h), next to its
 * cmd_X(); gh_cli (cmd/cli.c) is the tree of them all: main() dispatches
 * through it, --help and the bash completion are printed from it.
 */
struct gh_cmd_spec;
extern const struct gh_cmd_spec gh_cli;
extern const struct gh_cmd_spec gh_spec_version, gh_spec_vbios, gh_spec_acpi,
	gh_spec_detect, gh_spec_vm, gh_spec_lint, gh_spec_hostconfig, gh_spec_doctor,
	gh_spec_status, gh_spec_mdev, gh_spec_handoff, gh_spec_monitor, gh_spec_hook,
	gh_spec_completion;

int cmd_version(int argc, char **argv);
int cmd_vbios(int argc, char **argv);
int cmd_acpi(int argc, char **argv);
int cmd_detect(int argc, char **argv);
int cmd_vm(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_hostconfig(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_mdev(int argc, char **argv);
int cmd_handoff(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_hook(int argc, char **argv);
int cmd_completion(int argc, char **argv);

#endif /* GH_COMMANDS_H */
