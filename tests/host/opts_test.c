// SPDX-License-Identifier: GPL-2.0
/*
 * opts_test.c - the option tables (userspace/lib/opts.c): what getopt_long
 * is given, what the parser returns for each spelling, its messages, the
 * --help layout, the dispatch to verbs and the completion's case arms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "commands.h"
#include "lib/opts.h"

enum { K_NAME = GH_OPT_LONG, K_FLAG };

static const struct gh_opt t_opts[] = {
	{ 'o', "output", "FILE", "write FILE", GH_COMP_FILE, NULL },
	{ 'j', "json", NULL, "JSON", GH_COMP_NONE, NULL },
	{ K_NAME, "name", "NAME", "the name", GH_COMP_NONE, NULL },
	{ K_FLAG, "flag", NULL, "a flag", GH_COMP_NONE, NULL },
	{ 'x', NULL, "N", "short only", GH_COMP_WORDS, "1 2" },
	GH_OPT_END
};

static const struct gh_cmd_spec t_spec = {
	.name = "t", .synopsis = "[-o FILE] ARG", .opts = t_opts,
};

static int verb_argc;
static char *verb_argv0;

static int run_verb(int argc, char **argv)
{
	verb_argc = argc;
	verb_argv0 = argv[0];
	return 42;
}

static const struct gh_cmd_spec t_verb = {
	.name = "p go", .summary = "go", .synopsis = "", .run = run_verb,
};
static const struct gh_cmd_spec *const t_verbs[] = { &t_verb, NULL };
static const struct gh_cmd_spec t_parent = {
	.name = "p", .summary = "parent", .verbs = t_verbs,
};

#define ARGV(...) ((char *[]){ "t", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "t", __VA_ARGS__ }) / sizeof(char *)))

TEST(optstring_and_long_options_from_the_table)
{
	struct gh_optparse p;

	gh_opt_start(&p, &t_spec, 1, ARGV(NULL));
	EXPECT_STREQ(":o:jx:h", p.shorts);
	EXPECT_STREQ("output", p.lo[0].name);
	EXPECT_EQ(required_argument, p.lo[0].has_arg);
	EXPECT_EQ('o', p.lo[0].val);
	EXPECT_STREQ("name", p.lo[2].name);
	EXPECT_EQ(K_NAME, p.lo[2].val);
	EXPECT_EQ(no_argument, p.lo[3].has_arg);
	EXPECT_STREQ("help", p.lo[4].name);	/* -x has no long name */
	EXPECT_EQ(NULL, p.lo[5].name);
	gh_opt_start(&p, &t_parent, 1, ARGV(NULL));
	EXPECT_STREQ("+:h", p.shorts);	/* verbs follow: stop at the first word */
}

TEST(every_spelling_of_a_value)
{
	char **argv = ARGV("--name=a", "-jo", "f1", "--output", "f2", "-of3", "-x", "7",
			   "pos", "--flag", "--", "--name");
	int argc = ARGC("--name=a", "-jo", "f1", "--output", "f2", "-of3", "-x", "7",
			"pos", "--flag", "--", "--name");
	static const struct { int key; const char *val; } want[] = {
		{ K_NAME, "a" }, { 'j', NULL }, { 'o', "f1" }, { 'o', "f2" }, { 'o', "f3" },
		{ 'x', "7" }, { K_FLAG, NULL },
	};
	struct gh_optparse p;
	unsigned int i;
	int round;

	for (round = 0; round < 2; round++) {	/* a second parse starts afresh */
		gh_opt_start(&p, &t_spec, argc, argv);
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			ASSERT_EQ(want[i].key, gh_opt_next(&p)) TH_LOG("option %u", i);
			if (want[i].val) {
				EXPECT_STREQ(want[i].val, p.val);
			} else {
				EXPECT_EQ(NULL, p.val);
			}
		}
		ASSERT_EQ(GH_OPT_DONE, gh_opt_next(&p));
		/* the positionals, in order: "--" ended the options */
		ASSERT_EQ(argc - 2, p.ind);
		EXPECT_STREQ("pos", argv[p.ind]);
		EXPECT_STREQ("--name", argv[p.ind + 1]);
	}
}

TEST(unique_prefix_of_a_long_option)
{
	struct gh_optparse p;

	gh_opt_start(&p, &t_spec, ARGC("--na", "b"), ARGV("--na", "b"));
	EXPECT_EQ(K_NAME, gh_opt_next(&p));
	EXPECT_STREQ("b", p.val);
}

TEST(messages_name_the_option)
{
	struct gh_optparse p;

	gh_opt_start(&p, &t_spec, ARGC("--bogus=1"), ARGV("--bogus=1"));
	EXPECT_EQ(GH_OPT_BAD, gh_opt_next(&p));
	EXPECT_STREQ("unknown option '--bogus'", p.err);
	gh_opt_start(&p, &t_spec, ARGC("-jq"), ARGV("-jq"));
	EXPECT_EQ('j', gh_opt_next(&p));
	EXPECT_EQ(GH_OPT_BAD, gh_opt_next(&p));
	EXPECT_STREQ("unknown option '-q'", p.err);
	gh_opt_start(&p, &t_spec, ARGC("--name"), ARGV("--name"));
	EXPECT_EQ(GH_OPT_BAD, gh_opt_next(&p));
	EXPECT_STREQ("--name needs a value (NAME)", p.err);
	gh_opt_start(&p, &t_spec, ARGC("-jo"), ARGV("-jo"));
	EXPECT_EQ('j', gh_opt_next(&p));
	EXPECT_EQ(GH_OPT_BAD, gh_opt_next(&p));
	EXPECT_STREQ("-o needs a value (FILE)", p.err);
	gh_opt_start(&p, &t_spec, ARGC("--flag=yes"), ARGV("--flag=yes"));
	EXPECT_EQ(GH_OPT_BAD, gh_opt_next(&p));
	EXPECT_STREQ("--flag takes no value", p.err);
	gh_opt_start(&p, &t_spec, ARGC("--json=yes"), ARGV("--json=yes"));
	EXPECT_EQ(GH_OPT_BAD, gh_opt_next(&p));
	EXPECT_STREQ("--json takes no value", p.err);
	/* an unknown letter inside a cluster, after a long option: the letter */
	gh_opt_start(&p, &t_spec, ARGC("--name", "x", "-qj"), ARGV("--name", "x", "-qj"));
	EXPECT_EQ(K_NAME, gh_opt_next(&p));
	EXPECT_EQ(GH_OPT_BAD, gh_opt_next(&p));
	EXPECT_STREQ("unknown option '-q'", p.err);
	gh_opt_start(&p, &t_spec, ARGC("--name=x", "-jxq", "-o"), ARGV("--name=x", "-jxq", "-o"));
	EXPECT_EQ(K_NAME, gh_opt_next(&p));
	EXPECT_EQ('j', gh_opt_next(&p));
	EXPECT_EQ('x', gh_opt_next(&p));
	EXPECT_STREQ("q", p.val);
	EXPECT_EQ(GH_OPT_BAD, gh_opt_next(&p));
	EXPECT_STREQ("-o needs a value (FILE)", p.err);
	/* a prefix of two long options */
	gh_opt_start(&p, &t_spec, ARGC("--f"), ARGV("--f"));
	EXPECT_EQ(K_FLAG, gh_opt_next(&p));	/* only --flag starts with f */
	gh_opt_start(&p, &t_spec, ARGC("--n"), ARGV("--n"));
	EXPECT_EQ(GH_OPT_BAD, gh_opt_next(&p));	/* --name needs its value */
}

static const struct gh_opt amb_opts[] = {
	{ K_NAME, "no-gvt", NULL, "a", GH_COMP_NONE, NULL },
	{ K_FLAG, "no-dgpu", NULL, "b", GH_COMP_NONE, NULL },
	GH_OPT_END
};

TEST(ambiguous_prefix_lists_the_candidates)
{
	const struct gh_cmd_spec spec = { .name = "t", .synopsis = "", .opts = amb_opts };
	struct gh_optparse p;

	gh_opt_start(&p, &spec, ARGC("--no"), ARGV("--no"));
	EXPECT_EQ(GH_OPT_BAD, gh_opt_next(&p));
	EXPECT_STREQ("ambiguous option '--no': --no-gvt, --no-dgpu", p.err);
	gh_opt_start(&p, &spec, ARGC("--no-g"), ARGV("--no-g"));
	EXPECT_EQ(K_NAME, gh_opt_next(&p));
}

static char *help_text(const struct gh_cmd_spec *spec)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	gh_opt_help(spec, f);
	fclose(f);
	return buf;
}

TEST(help_from_the_table)
{
	char *h = help_text(&t_spec);

	EXPECT_EQ(h, strstr(h, "usage: gpuhelper t [-o FILE] ARG\n\noptions:\n"));
	EXPECT_NE(NULL, strstr(h, "\n  -o, --output FILE         write FILE\n"));
	EXPECT_NE(NULL, strstr(h, "\n      --name NAME           the name\n"));
	EXPECT_NE(NULL, strstr(h, "\n  -x N                      short only\n"));
	EXPECT_NE(NULL, strstr(h, "\n  -h, --help                print this help and exit\n"));
	h = help_text(&t_parent);
	EXPECT_NE(NULL, strstr(h, "usage: gpuhelper p go\n"));
	EXPECT_NE(NULL, strstr(h, "commands:\n  go           go\n"));
}

TEST(dispatch_to_a_verb)
{
	verb_argc = 0;
	EXPECT_EQ(42, gh_opt_dispatch(&t_parent, 3, ((char *[]){ "p", "go", "x", NULL })));
	EXPECT_EQ(2, verb_argc);
	EXPECT_STREQ("go", verb_argv0);
	EXPECT_EQ(GH_EXIT_USAGE, gh_opt_dispatch(&t_parent, 2, ((char *[]){ "p", "gone", NULL })));
	EXPECT_EQ(GH_EXIT_USAGE, gh_opt_dispatch(&t_parent, 2, ((char *[]){ "p", "--go", NULL })));
	EXPECT_EQ(GH_EXIT_USAGE, gh_opt_dispatch(&t_parent, 1, ((char *[]){ "p", NULL })));
	EXPECT_EQ(GH_EXIT_OK, gh_opt_dispatch(&t_parent, 2, ((char *[]){ "p", "help", NULL })));
}

TEST(completion_has_an_arm_per_command)
{
	static char buf[65536];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	gh_opt_bash_completion(&t_parent, f);
	fclose(f);
	EXPECT_NE(NULL, strstr(buf, "_gpuhelper_verbs() {\n\tcase $1 in\n\t\"p\")\n\t\techo ' go' ;;\n"));
	EXPECT_NE(NULL, strstr(buf, "\t\"p go\")\n\t\techo ' -h --help' ;;\n"));
	EXPECT_NE(NULL, strstr(buf, "complete -F _gpuhelper gpuhelper\n"));
}

TEST_HARNESS_MAIN
