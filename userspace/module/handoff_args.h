/* SPDX-License-Identifier: GPL-2.0 */
/*
 * handoff_args.h - gpuhelper handoff: its arguments and the messages it
 * prints for a refusal (pure functions, tested on the host).
 */
#ifndef GH_HANDOFF_ARGS_H
#define GH_HANDOFF_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "module/nl.h"

struct gh_handoff_opts {
	const char *bdf;
	uint32_t to;		/* enum gpuhelper_state */
	int with_audio;		/* -1: the module's default (along) */
	bool dry_run;
	bool force;		/* leave host even with the nodes held open */
};

/* the keys of gpuhelper handoff's options */
enum {
	GH_HANDOFF_OPT_TO = 256,	/* GH_OPT_LONG */
	GH_HANDOFF_OPT_WITH_AUDIO,
	GH_HANDOFF_OPT_WITHOUT_AUDIO,
	GH_HANDOFF_OPT_DRY_RUN,
	GH_HANDOFF_OPT_FORCE,
};

int gh_handoff_parse(int argc, char **argv, struct gh_handoff_opts *o,
		     char *err, size_t len);
int gh_bdf_normalize(const char *in, char *out, size_t len);
int gh_handoff_explain(const struct gh_handoff_opts *o, int err,
		       const char *extack, const struct gh_nl_dev *devs, int ndevs,
		       char *buf, size_t len);

#endif /* GH_HANDOFF_ARGS_H */
