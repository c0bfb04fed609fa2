// SPDX-License-Identifier: GPL-2.0
/*
 * print.c - text and JSON output from the same calls.
 */
#include <stdarg.h>
#include <string.h>

#include "lib/print.h"

void gh_out_init(struct gh_out *o, FILE *f, bool json)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->json = json;
}

void gh_out_end(struct gh_out *o)
{
	if (o->json)
		fputc('\n', o->f);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Comma and key before a JSON value; keys are ignored inside arrays. */
static void json_key(struct gh_out *o, const char *key)
{
	if (o->need_comma[o->depth])
		fputc(',', o->f);
	o->need_comma[o->depth] = true;
	if (key && o->depth > 0) {
		json_string(o->f, key);
		fputc(':', o->f);
	}
}

static void open_(struct gh_out *o, const char *key, char c)
{
	if (!o->json)
		return;
	json_key(o, key);
	fputc(c, o->f);
	if (o->depth < GH_OUT_DEPTH - 1)
		o->depth++;
	o->need_comma[o->depth] = false;
}

static void close_(struct gh_out *o, char c)
{
	if (!o->json)
		return;
	fputc(c, o->f);
	if (o->depth > 0)
		o->depth--;
}

void gh_out_open_obj(struct gh_out *o, const char *key)
{
	open_(o, key, '{');
}

void gh_out_close_obj(struct gh_out *o)
{
	close_(o, '}');
}

void gh_out_open_arr(struct gh_out *o, const char *key)
{
	open_(o, key, '[');
}

void gh_out_close_arr(struct gh_out *o)
{
	close_(o, ']');
}

void gh_out_str(struct gh_out *o, const char *key, const char *fmt, const char *v)
{
	if (o->json) {
		if (!key)
			return;
		json_key(o, key);
		if (v)
			json_string(o->f, v);
		else
			fputs("null", o->f);
	} else if (fmt) {
		fprintf(o->f, fmt, v ? v : "-");
	}
}

void gh_out_int(struct gh_out *o, const char *key, const char *fmt, long v)
{
	if (o->json) {
		if (!key)
			return;
		json_key(o, key);
		fprintf(o->f, "%ld", v);
	} else if (fmt) {
		fprintf(o->f, fmt, v);
	}
}

/* Hex IDs are strings in JSON ("10de"), as lspci -n prints them. */
void gh_out_hex(struct gh_out *o, const char *key, const char *fmt, unsigned int v,
		int digits)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%0*x", digits, v);
	gh_out_str(o, key, fmt, buf);
}

void gh_out_bool(struct gh_out *o, const char *key, const char *fmt, bool v)
{
	if (o->json) {
		if (!key)
			return;
		json_key(o, key);
		fputs(v ? "true" : "false", o->f);
	} else if (fmt) {
		fprintf(o->f, fmt, v ? "yes" : "no");
	}
}

void gh_out_null(struct gh_out *o, const char *key)
{
	if (o->json && key) {
		json_key(o, key);
		fputs("null", o->f);
	}
}

void gh_out_text(struct gh_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}
