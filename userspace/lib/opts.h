/* SPDX-License-Identifier: GPL-2.0 */
/*
 * opts.h - one table per command: getopt_long's option array and
 * optstring, the command's --help, its error messages and the bash
 * completion all come from it.
 */
#ifndef GH_OPTS_H
#define GH_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/* What a value (or a positional argument) is, for the completion. */
enum gh_comp {
	GH_COMP_NONE,
	GH_COMP_FILE,
	GH_COMP_DIR,
	GH_COMP_WORDS,	/* one of gh_opt.words */
	GH_COMP_BDF,	/* a device gpuhelper holds (/sys/class/gpuhelper) */
};

/*
 * One option. @key is what the parser returns: the short letter when
 * the option has one, else a number from GH_OPT_LONG up. -h/--help is
 * added to every table.
 */
struct gh_opt {
	int key;
	const char *name;	/* the long name without "--"; NULL: short only */
	const char *metavar;	/* the value's name ("FILE"); NULL: no value;
				 * "[WxH]": an optional value (--name=WxH) */
	const char *help;
	enum gh_comp comp;
	const char *words;	/* GH_COMP_WORDS: the values, space-separated */
};

#define GH_OPT_LONG	256
#define GH_OPT_END	{ 0, NULL, NULL, NULL, GH_COMP_NONE, NULL }

/* The option's value may be left out (metavar "[WxH]": --name or --name=WxH). */
static inline bool gh_opt_value_optional(const struct gh_opt *o)
{
	return o->metavar && o->metavar[0] == '[';
}
#define GH_OPTS_MAX	48

/*
 * A command, or a verb of one (acpi vbios): its table, its synopsis, and
 * for a command with verbs the verbs. A command with verbs stops parsing
 * at the first non-option (getopt_long's "+"): that is the verb.
 */
struct gh_cmd_spec {
	const char *name;	/* "vm", "acpi vbios"; "" for gpuhelper itself */
	const char *summary;	/* one line, for the parent's --help */
	const char *synopsis;	/* the forms after "gpuhelper NAME", one a line */
	const char *about;	/* text after the synopsis; NULL: none */
	void (*more)(FILE *f);	/* text computed at run time; NULL: none */
	const struct gh_opt *opts;	/* NULL: only --help */
	int (*run)(int argc, char **argv);	/* argv[0] is the last word of name */
	const struct gh_cmd_spec *const *verbs;	/* NULL-terminated, or NULL */
	enum gh_comp args;	/* the positional arguments */
	const char *args_words;	/* GH_COMP_WORDS: the first one's values */
	bool stop;		/* stop at the first non-option, as with verbs */
	bool hidden;		/* not listed in the parent's --help */
};

/* gh_opt_next()'s answers besides an option's key */
enum {
	GH_OPT_DONE = 0,	/* no more options: the positionals start at p->ind */
	GH_OPT_BAD = -1,	/* unknown option or missing value: p->err says which */
	GH_OPT_HELP = -2,	/* --help: printed on standard output */
};

struct gh_optparse {
	const struct gh_cmd_spec *spec;
	int argc;
	char **argv;
	int ind;		/* after GH_OPT_DONE: the first positional */
	const char *val;	/* the value of the option just returned */
	char err[160];
	char shorts[2 * GH_OPTS_MAX + 8];
	struct option lo[GH_OPTS_MAX + 2];
};

void gh_opt_start(struct gh_optparse *p, const struct gh_cmd_spec *spec,
		  int argc, char **argv);
int gh_opt_next(struct gh_optparse *p);
int gh_opt_fail(const struct gh_optparse *p);
int gh_opt_usage_error(const struct gh_cmd_spec *spec, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void gh_opt_help(const struct gh_cmd_spec *spec, FILE *f);
void gh_opt_synopsis(const struct gh_cmd_spec *spec, FILE *f);
const struct gh_opt *gh_opt_find(const struct gh_cmd_spec *spec, int key);
int gh_opt_dispatch(const struct gh_cmd_spec *spec, int argc, char **argv);
void gh_opt_bash_completion(const struct gh_cmd_spec *top, FILE *f);

#endif /* GH_OPTS_H */
