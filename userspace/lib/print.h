/* SPDX-License-Identifier: GPL-2.0 */
/*
 * print.h - one print call serving text and JSON (iproute2's
 * json_print idea): each value has a key for JSON and a printf format for
 * text; either may be NULL to print in one mode only.
 */
#ifndef GH_PRINT_H
#define GH_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#define GH_OUT_DEPTH 16

struct gh_out {
	FILE *f;
	bool json;
	int depth;
	bool need_comma[GH_OUT_DEPTH];
};

void gh_out_init(struct gh_out *o, FILE *f, bool json);
void gh_out_end(struct gh_out *o);	/* final newline in JSON mode */
void gh_out_open_obj(struct gh_out *o, const char *key);
void gh_out_close_obj(struct gh_out *o);
void gh_out_open_arr(struct gh_out *o, const char *key);
void gh_out_close_arr(struct gh_out *o);
void gh_out_str(struct gh_out *o, const char *key, const char *fmt, const char *v);
void gh_out_int(struct gh_out *o, const char *key, const char *fmt, long v);
void gh_out_hex(struct gh_out *o, const char *key, const char *fmt, unsigned int v,
		int digits);
void gh_out_bool(struct gh_out *o, const char *key, const char *fmt, bool v);
void gh_out_null(struct gh_out *o, const char *key);
/* Text only. */
void gh_out_text(struct gh_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* GH_PRINT_H */
