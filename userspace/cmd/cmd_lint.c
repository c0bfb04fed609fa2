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
#include "lib/opts.h"
#include "lib/print.h"
#include "pci/profile.h"
#include "lib/root.h"
#include "domain/vmplan.h"

enum { OPT_RULES = GH_OPT_LONG, OPT_LIBVIRT, OPT_ROOT, OPT_PROFILE };

static const struct gh_opt lint_opts[] = {
	{ 'j', "json", NULL, "one JSON object", GH_COMP_NONE, NULL },
	{ 'q', "quiet", NULL, "print only the rules that fail", GH_COMP_NONE, NULL },
	{ OPT_LIBVIRT, "libvirt", "VERSION", "the libvirt the domain is for", GH_COMP_NONE, NULL },
	{ OPT_ROOT, "root", "DIR", "read the ACPI tables under DIR", GH_COMP_DIR, NULL },
	{ OPT_PROFILE, "profile", "NAME", "the host's PCI devices from a shipped profile",
	  GH_COMP_WORDS, "r720" },
	{ OPT_RULES, "rules", NULL, "list the rules and exit", GH_COMP_NONE, NULL },
	GH_OPT_END
};

const struct gh_cmd_spec gh_spec_lint = {
	.name = "lint",
	.summary = "check a libvirt domain for the Code 43 pitfalls",
	.synopsis = "[--json] [--quiet] [--libvirt VERSION] [--root DIR] [--profile NAME]\n"
		    "              domain.xml\n"
		    "--rules",
	.opts = lint_opts,
	.run = cmd_lint,
	.args = GH_COMP_FILE,
};

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
	struct gh_optparse p;
	xmlDocPtr doc;
	int c;

	gh_opt_start(&p, &gh_spec_lint, argc, argv);
	while ((c = gh_opt_next(&p)) != GH_OPT_DONE) {
		switch (c) {
		case 'j': json = true; break;
		case 'q': quiet = true; break;
		case OPT_RULES:
			list_rules();
			return GH_EXIT_OK;
		case OPT_LIBVIRT:
			if (gh_libvirt_parse(p.val, &libvirt)) {
				fprintf(stderr, "gpuhelper lint: --libvirt %s: expected a version such as 9.0\n",
					p.val);
				return GH_EXIT_USAGE;
			}
			break;
		case OPT_ROOT: gh_root_set(p.val); break;
		case OPT_PROFILE:
			if (gh_profile_use(p.val))
				return GH_EXIT_USAGE;
			break;
		case GH_OPT_HELP: return GH_EXIT_OK;
		default: return gh_opt_fail(&p);
		}
	}
	if (p.ind == argc)
		return gh_opt_usage_error(&gh_spec_lint, "which domain? give domain.xml");
	file = argv[p.ind];
	if (p.ind + 1 < argc)
		return gh_opt_usage_error(&gh_spec_lint, "unknown argument '%s'", argv[p.ind + 1]);
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
