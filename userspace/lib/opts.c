// SPDX-License-Identifier: GPL-2.0
/*
 * opts.c - the option tables: getopt_long's parser, --help, the messages
 * for a bad option, the dispatch to a command's verbs, and the bash
 * completion, all from one struct gh_cmd_spec per command.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "lib/opts.h"

#define HELP_COL 28

static const char *prefix_sep(const struct gh_cmd_spec *spec)
{
	return spec->name[0] ? " " : "";
}

const struct gh_opt *gh_opt_find(const struct gh_cmd_spec *spec, int key)
{
	const struct gh_opt *o;

	for (o = spec->opts; o && (o->name || o->key); o++)
		if (o->key == key)
			return o;
	return NULL;
}

void gh_opt_start(struct gh_optparse *p, const struct gh_cmd_spec *spec,
		  int argc, char **argv)
{
	const struct gh_opt *o;
	size_t n = 0, s = 0;

	memset(p, 0, sizeof(*p));
	p->spec = spec;
	p->argc = argc;
	p->argv = argv;
	if (spec->verbs || spec->stop)
		p->shorts[s++] = '+';
	p->shorts[s++] = ':';	/* a missing value is ':', not '?' */
	for (o = spec->opts; o && (o->name || o->key); o++) {
		if (n == GH_OPTS_MAX) {	/* a table outgrew struct gh_optparse */
			fprintf(stderr, "gpuhelper %s: more than %d options: raise GH_OPTS_MAX\n",
				spec->name, GH_OPTS_MAX);
			abort();
		}
		if (o->key < GH_OPT_LONG) {
			p->shorts[s++] = (char)o->key;
			if (o->metavar)
				p->shorts[s++] = ':';
			if (gh_opt_value_optional(o))
				p->shorts[s++] = ':';
		}
		if (!o->name)
			continue;
		p->lo[n].name = o->name;
		p->lo[n].has_arg = !o->metavar ? no_argument :
			gh_opt_value_optional(o) ? optional_argument : required_argument;
		p->lo[n].flag = NULL;
		p->lo[n].val = o->key;
		n++;
	}
	p->shorts[s++] = 'h';
	p->shorts[s] = '\0';
	p->lo[n].name = "help";
	p->lo[n].has_arg = no_argument;
	p->lo[n].val = 'h';
	optind = 0;	/* a fresh parse, also when called twice in a process */
	opterr = 0;
}

/*
 * The long option of @key that @arg ("--na" or "--name=x") spells, if
 * getopt_long took @arg as one: then it is the option in question, not a
 * letter of a cluster.
 */
static const char *long_spelled(const struct gh_optparse *p, const char *arg, int key)
{
	size_t len;
	const struct option *lo;

	if (strncmp(arg, "--", 2) || !arg[2])
		return NULL;
	len = strcspn(arg + 2, "=");
	for (lo = p->lo; lo->name; lo++)
		if (lo->val == key && !strncmp(lo->name, arg + 2, len))
			return lo->name;
	return NULL;
}

/* "--no" of --no-gvt and --no-dgpu: say which it could be */
static bool ambiguous(struct gh_optparse *p, const char *arg)
{
	size_t len = strcspn(arg + 2, "="), off;
	const struct option *lo;
	const char *sep = " ";
	unsigned int nr = 0;

	for (lo = p->lo; lo->name; lo++)
		nr += !strncmp(lo->name, arg + 2, len);
	if (nr < 2)
		return false;
	off = (size_t)snprintf(p->err, sizeof(p->err), "ambiguous option '%.*s':",
			       (int)len + 2, arg);
	for (lo = p->lo; lo->name && off < sizeof(p->err); lo++) {
		if (strncmp(lo->name, arg + 2, len))
			continue;
		off += (size_t)snprintf(p->err + off, sizeof(p->err) - off, "%s--%s", sep,
					lo->name);
		sep = ", ";
	}
	return true;
}

int gh_opt_next(struct gh_optparse *p)
{
	const struct gh_opt *o;
	const char *arg, *name;
	int c;

	p->val = NULL;
	c = getopt_long(p->argc, p->argv, p->shorts, p->lo, NULL);
	/* what getopt_long just read: a long option always moves optind past itself */
	arg = optind > 0 && optind <= p->argc ? p->argv[optind - 1] : "";
	switch (c) {
	case -1:
		p->ind = optind;
		return GH_OPT_DONE;
	case 'h':
		gh_opt_help(p->spec, stdout);
		return GH_OPT_HELP;
	case ':':
		o = gh_opt_find(p->spec, optopt);
		name = long_spelled(p, arg, optopt);
		if (name)
			snprintf(p->err, sizeof(p->err), "--%s needs a value (%s)", name,
				 o && o->metavar ? o->metavar : "see --help");
		else
			snprintf(p->err, sizeof(p->err), "-%c needs a value (%s)", optopt,
				 o && o->metavar ? o->metavar : "see --help");
		return GH_OPT_BAD;
	case '?':
		if (optopt && strchr(arg, '=') && (name = long_spelled(p, arg, optopt)))
			snprintf(p->err, sizeof(p->err), "--%s takes no value", name);
		else if (optopt)
			snprintf(p->err, sizeof(p->err), "unknown option '-%c'", optopt);
		else if (!strncmp(arg, "--", 2) && ambiguous(p, arg))
			;
		else
			snprintf(p->err, sizeof(p->err), "unknown option '%.*s'",
				 (int)strcspn(arg, "="), arg);
		return GH_OPT_BAD;
	default:
		p->val = optarg;
		return c;
	}
}

int gh_opt_usage_error(const struct gh_cmd_spec *spec, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gpuhelper%s%s: ", prefix_sep(spec), spec->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": see gpuhelper%s%s --help\n", prefix_sep(spec), spec->name);
	return GH_EXIT_USAGE;
}

int gh_opt_fail(const struct gh_optparse *p)
{
	return gh_opt_usage_error(p->spec, "%s", p->err);
}

/* Every "gpuhelper NAME FORM" line of a command and of its verbs. */
static void synopsis_lines(const struct gh_cmd_spec *spec, FILE *f, unsigned int *nr)
{
	const struct gh_cmd_spec *const *v;
	const char *l, *end;

	if (spec->synopsis && !spec->synopsis[0]) {	/* no arguments */
		fprintf(f, "%s gpuhelper%s%s\n", (*nr)++ ? "      " : "usage:",
			prefix_sep(spec), spec->name);
		return;
	}
	if (spec->synopsis) {
		for (l = spec->synopsis; *l; l = *end ? end + 1 : end) {
			end = strchr(l, '\n');
			if (!end)
				end = l + strlen(l);
			if (*l == ' ') {	/* a continuation: under the first form's arguments */
				l += strspn(l, " ");
				fprintf(f, "%*s%.*s\n", (int)(strlen("usage: gpuhelper ") +
					strlen(spec->name) + !!spec->name[0]), "", (int)(end - l), l);
				continue;
			}
			fprintf(f, "%s gpuhelper%s%s %.*s\n", (*nr)++ ? "      " : "usage:",
				prefix_sep(spec), spec->name, (int)(end - l), l);
		}
		return;
	}
	for (v = spec->verbs; v && *v; v++)
		if (!(*v)->hidden)
			synopsis_lines(*v, f, nr);
}

void gh_opt_synopsis(const struct gh_cmd_spec *spec, FILE *f)
{
	unsigned int nr = 0;

	synopsis_lines(spec, f, &nr);
}

static void help_line(FILE *f, int key, const char *name, const char *metavar,
		      const char *help)
{
	char left[96];
	int n;

	if (key > 0 && key < GH_OPT_LONG && name)
		n = snprintf(left, sizeof(left), "  -%c, --%s", key, name);
	else if (name)
		n = snprintf(left, sizeof(left), "      --%s", name);
	else
		n = snprintf(left, sizeof(left), "  -%c", key);
	/* an optional value is glued on, as getopt_long wants it: --name[=WxH] */
	if (metavar && *metavar == '[' && name && n > 0 && (size_t)n < sizeof(left))
		snprintf(left + n, sizeof(left) - (size_t)n, "[=%s", metavar + 1);
	else if (metavar && n > 0 && (size_t)n < sizeof(left))
		snprintf(left + n, sizeof(left) - (size_t)n, " %s", metavar);
	if (strlen(left) + 2 > HELP_COL)
		fprintf(f, "%s\n%*s%s\n", left, HELP_COL, "", help);
	else
		fprintf(f, "%-*s%s\n", HELP_COL, left, help);
}

void gh_opt_help(const struct gh_cmd_spec *spec, FILE *f)
{
	const struct gh_cmd_spec *const *v;
	const struct gh_opt *o;

	gh_opt_synopsis(spec, f);
	if (spec->about)
		fprintf(f, "\n%s", spec->about);
	if (spec->more)
		spec->more(f);
	if (spec->verbs) {
		fprintf(f, "\ncommands:\n");
		for (v = spec->verbs; *v; v++) {
			const char *word = strrchr((*v)->name, ' ');

			if (!(*v)->hidden)
				fprintf(f, "  %-12s %s\n", word ? word + 1 : (*v)->name,
					(*v)->summary);
		}
	}
	fprintf(f, "\noptions:\n");
	for (o = spec->opts; o && (o->name || o->key); o++)
		help_line(f, o->key, o->name, o->metavar, o->help);
	help_line(f, 'h', "help", NULL, "print this help and exit");
	if (spec->verbs)
		fprintf(f, "\nSee gpuhelper%s%s COMMAND --help%s.\n", prefix_sep(spec),
			spec->name, spec->name[0] ? "" : " and gpuhelper(8)");
}

int gh_opt_dispatch(const struct gh_cmd_spec *spec, int argc, char **argv)
{
	const struct gh_cmd_spec *const *v;
	struct gh_optparse p;
	const char *verb;
	int c;

	if (argc < 2) {
		gh_opt_help(spec, stderr);
		return GH_EXIT_USAGE;
	}
	gh_opt_start(&p, spec, argc, argv);
	while ((c = gh_opt_next(&p)) != GH_OPT_DONE) {
		if (c == GH_OPT_HELP)
			return GH_EXIT_OK;
		return gh_opt_fail(&p);	/* a parent has no options of its own */
	}
	if (p.ind >= argc)
		return gh_opt_usage_error(spec, "which command?");
	verb = argv[p.ind];
	if (!strcmp(verb, "help")) {
		gh_opt_help(spec, stdout);
		return GH_EXIT_OK;
	}
	for (v = spec->verbs; *v; v++) {
		const char *word = strrchr((*v)->name, ' ');

		if (!strcmp(verb, word ? word + 1 : (*v)->name))
			return (*v)->run(argc - p.ind, argv + p.ind);
	}
	return gh_opt_usage_error(spec, "unknown command '%s'", verb);
}

/* ---- bash completion ---- */

/* the options of @spec as the shell sees them; @with_value: only those taking one */
static void bash_opts(FILE *f, const struct gh_cmd_spec *spec, bool with_value)
{
	const struct gh_opt *o;

	for (o = spec->opts; o && (o->name || o->key); o++) {
		/* an optional value is glued on (--name=V): the next word is not it */
		if (with_value && (!o->metavar || gh_opt_value_optional(o)))
			continue;
		if (o->key < GH_OPT_LONG)
			fprintf(f, " -%c", o->key);
		if (o->name)
			fprintf(f, " --%s", o->name);
	}
	if (!with_value)
		fprintf(f, " -h --help");
}

static const char *comp_action(enum gh_comp c)
{
	switch (c) {
	case GH_COMP_FILE: return "_gpuhelper_reply -f";
	case GH_COMP_DIR: return "_gpuhelper_reply -d";
	case GH_COMP_BDF: return "_gpuhelper_bdf";
	default: return "COMPREPLY=()";
	}
}

static void bash_spec(FILE *f, const struct gh_cmd_spec *spec, int part)
{
	const struct gh_cmd_spec *const *v;
	const struct gh_opt *o;

	fprintf(f, "\t\"%s\")\n", spec->name);
	switch (part) {
	case 0:	/* the options */
		fputs("\t\techo '", f);
		bash_opts(f, spec, false);
		fputs("' ;;\n", f);
		break;
	case 1:	/* the options that take a value */
		fputs("\t\techo '", f);
		bash_opts(f, spec, true);
		fputs("' ;;\n", f);
		break;
	case 2:	/* the verbs */
		fputs("\t\techo '", f);
		for (v = spec->verbs; v && *v; v++) {
			const char *word = strrchr((*v)->name, ' ');

			if (!(*v)->hidden)
				fprintf(f, " %s", word ? word + 1 : (*v)->name);
		}
		fputs("' ;;\n", f);
		break;
	case 3:	/* an option's value: $2 is the option */
		fputs("\t\tcase $2 in\n", f);
		for (o = spec->opts; o && (o->name || o->key); o++) {
			if (!o->metavar || gh_opt_value_optional(o))
				continue;
			fputs("\t\t", f);
			if (o->key < GH_OPT_LONG)
				fprintf(f, "-%c%s", o->key, o->name ? "|" : "");
			if (o->name)
				fprintf(f, "--%s", o->name);
			if (o->comp == GH_COMP_WORDS)
				fprintf(f, ") _gpuhelper_reply -W '%s' ;;\n", o->words);
			else
				fprintf(f, ") %s ;;\n", comp_action(o->comp));
		}
		fputs("\t\t*) COMPREPLY=() ;;\n\t\tesac ;;\n", f);
		break;
	case 4:	/* a positional argument: $2 is how many came before */
		if (spec->args == GH_COMP_WORDS)
			fprintf(f, "\t\tif [[ $2 -eq 0 ]]; then _gpuhelper_reply -W '%s'; "
				"else COMPREPLY=(); fi ;;\n", spec->args_words);
		else
			fprintf(f, "\t\t%s ;;\n", comp_action(spec->args));
		break;
	}
	for (v = spec->verbs; v && *v; v++)
		bash_spec(f, *v, part);
}

static const char *const bash_parts[] = {
	"_gpuhelper_opts", "_gpuhelper_valopts", "_gpuhelper_verbs",
	"_gpuhelper_value", "_gpuhelper_args",
};

void gh_opt_bash_completion(const struct gh_cmd_spec *top, FILE *f)
{
	size_t i;

	fputs("# SPDX-License-Identifier: GPL-2.0\n"
	      "# bash completion for gpuhelper, generated by 'gpuhelper completion bash'\n"
	      "# from the commands' option tables (userspace/lib/opts.c): do not edit.\n", f);
	for (i = 0; i < sizeof(bash_parts) / sizeof(bash_parts[0]); i++) {
		fprintf(f, "%s() {\n\tcase $1 in\n", bash_parts[i]);
		bash_spec(f, top, (int)i);
		fputs("\t*) COMPREPLY=() ;;\n\tesac\n}\n", f);
	}
	fputs("# one reply a line of compgen's (file names may have spaces)\n"
	      "_gpuhelper_reply() {\n"
	      "\tlocal w\n"
	      "\twhile IFS= read -r w; do COMPREPLY+=(\"$w\"); done < <(compgen \"$@\" -- \"$_gh_cur\")\n"
	      "}\n"
	      "_gpuhelper_bdf() {\n"
	      "\t[[ -d /sys/class/gpuhelper ]] &&\n"
	      "\t\t_gpuhelper_reply -W \"$(ls /sys/class/gpuhelper)\"\n"
	      "}\n"
	      "# does option $2 (one word: --name, -o, or short options run together)\n"
	      "# of command $1 take the next word as its value?\n"
	      "_gpuhelper_takes_next() {\n"
	      "\tlocal w=$2 takes=\" $(_gpuhelper_valopts \"$1\") \" i\n"
	      "\tif [[ $w == --* ]]; then\n"
	      "\t\t[[ $w != *=* && $takes == *\" $w \"* ]]\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tfor ((i = 1; i < ${#w}; i++)); do\n"
	      "\t\tif [[ $takes == *\" -${w:i:1} \"* ]]; then\n"
	      "\t\t\t((i == ${#w} - 1))\n"
	      "\t\t\treturn\n"
	      "\t\tfi\n"
	      "\tdone\n"
	      "\treturn 1\n"
	      "}\n"
	      "_gpuhelper() {\n"
	      "\tlocal _gh_cur=${COMP_WORDS[COMP_CWORD]} key= w i pos=0 value= dashdash=\n"
	      "\tCOMPREPLY=()\n"
	      "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "\t\tw=${COMP_WORDS[i]}\n"
	      "\t\tif [[ -n $value ]]; then value=; continue; fi\n"
	      "\t\tif [[ -z $dashdash && $w == -- ]]; then dashdash=1; continue; fi\n"
	      "\t\tif [[ -z $dashdash && $w == -?* ]]; then\n"
	      "\t\t\t_gpuhelper_takes_next \"$key\" \"$w\" && value=$w\n"
	      "\t\t\tcontinue\n"
	      "\t\tfi\n"
	      "\t\tif [[ $pos -eq 0 && \" $(_gpuhelper_verbs \"$key\") \" == *\" $w \"* ]]; then\n"
	      "\t\t\tkey=${key:+$key }$w\n"
	      "\t\t\tdashdash=\n"
	      "\t\t\tcontinue\n"
	      "\t\tfi\n"
	      "\t\tpos=$((pos + 1))\n"
	      "\tdone\n"
	      "\tif [[ -n $value ]]; then\n"
	      "\t\t[[ $value == --* ]] || value=-${value: -1}\n"
	      "\t\t_gpuhelper_value \"$key\" \"$value\"\n"
	      "\t\treturn 0\n"
	      "\tfi\n"
	      "\tif [[ -z $dashdash && $_gh_cur == --*=* ]]; then\n"
	      "\t\tw=${_gh_cur%%=*}\n"
	      "\t\t_gh_cur=${_gh_cur#*=}\n"
	      "\t\t_gpuhelper_value \"$key\" \"$w\"\n"
	      "\t\treturn 0\n"
	      "\tfi\n"
	      "\tif [[ -z $dashdash && $_gh_cur == -* ]]; then\n"
	      "\t\t_gpuhelper_reply -W \"$(_gpuhelper_opts \"$key\")\"\n"
	      "\t\treturn 0\n"
	      "\tfi\n"
	      "\tw=$(_gpuhelper_verbs \"$key\")\n"
	      "\tif [[ $pos -eq 0 && -n ${w// /} ]]; then\n"
	      "\t\t_gpuhelper_reply -W \"$w\"\n"
	      "\t\treturn 0\n"
	      "\tfi\n"
	      "\t_gpuhelper_args \"$key\" \"$pos\"\n"
	      "\treturn 0\n"
	      "}\n"
	      "complete -F _gpuhelper gpuhelper\n", f);
}
