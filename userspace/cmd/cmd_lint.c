// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_lint.c - gpuhelper lint [--json] [--libvirt VERSION] [--quiet]
 * [--root DIR] [--profile NAME] domain.xml: every rule with its verdict;
 * exit 1 when one fails. The ACPI tables are read under --root, the
 * host's PCI devices from --root or the --profile snapshot.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "commands.h"
#include "domain/domain.h"
#include "domain/lint.h"
#include "lib/print.h"
#include "pci/profile.h"
#include "lib/root.h"
#include "domain/vmplan.h"

static void lint_usage(FILE *f)
{
	fprintf(f, "usage: gpuhelper lint [--json] [--quiet] [--libvirt VERSION] [--root DIR]\n"
		"                     [--profile NAME] domain.xml\n"
		"       gpuhelper lint --rules\n");
}

static const char *status_name(enum gh_lint_status s)
{
	return s == GH_LINT_PASS ? "pass" : s == GH_LINT_FAIL ? "fail" : "n/a";
}

static void list_rules(void)
{
	unsigned int i;

	for (i = 0; i < gh_lint_nr_rules; i++)
		printf("%s %-20s %s%s\n", gh_lint_rules[i].id, gh_lint_rules[i].name,
		       gh_lint_rules[i].summary,
		       gh_lint_rules[i].libvirt_dependent ? " (depends on --libvirt)" : "");
}

int cmd_lint(int argc, char **argv)
{
	struct gh_lint_result res[64];
	unsigned int libvirt = GH_LIBVIRT_DEFAULT, failed, i;
	const char *file = NULL;
	bool json = false, quiet = false;
	char why[512];
	struct gh_out o;
	xmlDocPtr doc;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--json") || !strcmp(argv[a], "-j")) {
			json = true;
		} else if (!strcmp(argv[a], "--quiet") || !strcmp(argv[a], "-q")) {
			quiet = true;
		} else if (!strcmp(argv[a], "--rules")) {
			list_rules();
			return GH_EXIT_OK;
		} else if (!strcmp(argv[a], "--libvirt") && a + 1 < argc) {
			if (gh_libvirt_parse(argv[++a], &libvirt)) {
				fprintf(stderr, "gpuhelper lint: --libvirt %s: expected a version such as 9.0\n",
					argv[a]);
				return GH_EXIT_USAGE;
			}
		} else if (!strcmp(argv[a], "--root") && a + 1 < argc) {
			gh_root_set(argv[++a]);
		} else if (!strcmp(argv[a], "--profile") && a + 1 < argc) {
			if (gh_profile_use(argv[++a]))
				return GH_EXIT_USAGE;
		} else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			lint_usage(stdout);
			return GH_EXIT_OK;
		} else if (argv[a][0] != '-' && !file) {
			file = argv[a];
		} else {
			fprintf(stderr, "gpuhelper lint: unknown argument '%s'\n", argv[a]);
			lint_usage(stderr);
			return GH_EXIT_USAGE;
		}
	}
	if (!file) {
		lint_usage(stderr);
		return GH_EXIT_USAGE;
	}
	doc = gh_domain_read(file, why, sizeof(why));
	if (!doc) {
		fprintf(stderr, "gpuhelper lint: %s\n", why);
		return GH_EXIT_ERROR;
	}
	failed = gh_lint(doc, libvirt, res);

	gh_out_init(&o, stdout, json);
	gh_out_open_obj(&o, NULL);
	gh_out_str(&o, "file", NULL, file);
	gh_out_int(&o, "failed", NULL, failed);
	gh_out_open_arr(&o, "rules");
	for (i = 0; i < gh_lint_nr_rules; i++) {
		const struct gh_lint_result *r = &res[i];

		if (!json && quiet && r->status != GH_LINT_FAIL)
			continue;
		gh_out_open_obj(&o, NULL);
		gh_out_str(&o, "status", "%-4s ", status_name(r->status));
		gh_out_str(&o, "id", "%s ", r->id);
		gh_out_str(&o, "name", "%s", r->name);
		if (r->status == GH_LINT_FAIL) {
			gh_out_str(&o, "element", "\n  at %s", r->element);
			gh_out_str(&o, "message", "\n  %s", r->message);
			gh_out_str(&o, "fix", "\n  fix: %s", r->fix);
		} else if (r->status == GH_LINT_NA && r->message[0]) {
			gh_out_str(&o, "note", "\n  note: %s", r->message);
		}
		gh_out_text(&o, "\n");
		gh_out_close_obj(&o);
	}
	gh_out_close_arr(&o);
	gh_out_text(&o, "%s: %u of %u rules failed (target libvirt %u.%u)\n", file, failed,
		    gh_lint_nr_rules, libvirt / 1000000, libvirt / 1000 % 1000);
	gh_out_close_obj(&o);
	gh_out_end(&o);
	xmlFreeDoc(doc);
	return failed ? GH_EXIT_FAIL : GH_EXIT_OK;
}
