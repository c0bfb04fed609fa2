// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_mdev.c - gpuhelper mdev list|create|remove|apply: GVT-g vGPUs on the
 * iGPU through gpuhelper.ko's class directory (Documentation/mdev.rst).
 *
 *   list   [--json]                       parents, types and mdevs
 *   create [--parent BDF] [--type TYPE] [--uuid UUID] [--persist] [--dry-run]
 *   remove UUID [--parent BDF] [--persist] [--dry-run]
 *   apply  BDF                            the executor; run by udev
 *
 * All take --root DIR (tests). create and remove go through the module,
 * then run the executor themselves, so they work without udev and report
 * the mdev core's errno; the udev rule's run for the same event finds
 * nothing left to do.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "lib/opts.h"
#include "lib/fileio.h"
#include "mdev/mdev_exec.h"
#include "mdev/mdev_persist.h"
#include "mdevs.h"
#include "lib/print.h"
#include "lib/root.h"

#define CLASS_DIR	"/sys/class/gpuhelper"

struct mdev_opts {
	const char *parent, *type, *uuid;
	bool persist, dry_run, json;
};

static const char *sysroot(void)
{
	return strcmp(gh_root(), "/") ? gh_root() : "";
}

/* The parents: class directories that have "mdevs". */
static int parents(char (*bdf)[GH_MDEV_BDF_LEN + 1], int max)
{
	char dir[GH_PATH_MAX], abs[300];
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (gh_path(dir, sizeof(dir), CLASS_DIR))
		return 0;
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		if (strlen(de->d_name) != GH_MDEV_BDF_LEN)
			continue;
		snprintf(abs, sizeof(abs), CLASS_DIR "/%s/mdevs", de->d_name);
		if (gh_exists(abs))
			memcpy(bdf[n++], de->d_name, GH_MDEV_BDF_LEN + 1);
	}
	closedir(d);
	return n;
}

static int pick_parent(const char *want, char *bdf)
{
	char list[8][GH_MDEV_BDF_LEN + 1];
	int n = parents(list, 8), i;

	if (want) {
		for (i = 0; i < n; i++)
			if (!strcmp(list[i], want))
				break;
		if (i == n) {
			fprintf(stderr, "gpuhelper: mdev: %s is no mdev parent: for GVT-g boot with i915.enable_gvt=1, load kvmgt, and load gpuhelper\n",
				want);
			return -ENODEV;
		}
		strcpy(bdf, want);
		return 0;
	}
	if (n != 1) {
		fprintf(stderr, n ? "gpuhelper: mdev: %d parents: say which with --parent BDF\n" :
			"gpuhelper: mdev: no mdev parent: for GVT-g boot with i915.enable_gvt=1, load kvmgt, and load gpuhelper\n",
			n);
		return n ? -EINVAL : -ENODEV;
	}
	strcpy(bdf, list[0]);
	return 0;
}

static int write_attr(const char *bdf, const char *attr, const char *text)
{
	char abs[128], path[GH_PATH_MAX];
	FILE *f;
	int err = 0;

	snprintf(abs, sizeof(abs), CLASS_DIR "/%s/%s", bdf, attr);
	if (gh_path(path, sizeof(path), abs))
		return -ENAMETOOLONG;
	f = fopen(path, "w");
	if (!f)
		return -errno;
	setvbuf(f, NULL, _IONBF, 0);
	if (fputs(text, f) == EOF)
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* The module's line for @uuid: its type and state. */
static int mdev_line(const char *bdf, const char *uuid, char *type, char *state)
{
	char abs[128], path[GH_PATH_MAX], buf[4096], *l, *save = NULL;
	FILE *f;

	snprintf(abs, sizeof(abs), CLASS_DIR "/%s/mdevs", bdf);
	if (gh_path(path, sizeof(path), abs))
		return -ENAMETOOLONG;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	buf[fread(buf, 1, sizeof(buf) - 1, f)] = '\0';
	fclose(f);
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (!strncmp(l, uuid, GH_MDEV_UUID_LEN) &&
		    sscanf(l + GH_MDEV_UUID_LEN, " %63s %31s", type, state) == 2)
			return 0;
	return -ENOENT;
}

static int new_uuid(char *uuid)
{
	FILE *f = fopen("/proc/sys/kernel/random/uuid", "r");

	if (!f || !fgets(uuid, GH_MDEV_UUID_LEN + 1, f)) {
		if (f)
			fclose(f);
		return -EIO;
	}
	fclose(f);
	return 0;
}

static int do_create(struct mdev_opts *o)
{
	char bdf[GH_MDEV_BDF_LEN + 1], uuid[GH_MDEV_UUID_LEN + 1], req[128];
	char type[64] = "", state[32] = "";
	struct gh_mdev_spec spec = { 0 };
	int err, cerr = 0;

	if (o->type && gh_mdev_type_valid(o->type, strlen(o->type))) {
		fprintf(stderr, "gpuhelper: mdev: '%s' cannot name an mdev type\n", o->type);
		return GH_EXIT_USAGE;
	}
	if (o->uuid) {
		if (gh_uuid_parse(o->uuid, strlen(o->uuid), spec.uuid)) {
			fprintf(stderr, "gpuhelper: mdev: '%s' is not a UUID (8-4-4-4-12 hex digits)\n",
				o->uuid);
			return GH_EXIT_USAGE;
		}
	} else if (new_uuid(uuid) || gh_uuid_parse(uuid, strlen(uuid), spec.uuid)) {
		fprintf(stderr, "gpuhelper: mdev: cannot generate a UUID\n");
		return GH_EXIT_ERROR;
	}
	gh_uuid_format(spec.uuid, uuid);
	if (pick_parent(o->parent, bdf))
		return GH_EXIT_ERROR;
	memcpy(spec.bdf, bdf, sizeof(spec.bdf));

	if (o->dry_run) {
		printf("would create mdev %s (type %s) on %s\n", uuid,
		       o->type ? o->type : "default", bdf);
	} else {
		snprintf(req, sizeof(req), "%s%s%s\n", o->type ? o->type : "",
			 o->type ? " " : "", uuid);
		err = write_attr(bdf, "create", req);
		if (err) {
			fprintf(stderr, "gpuhelper: mdev: %s refused mdev %s: %s (the kernel log says why)\n",
				bdf, uuid, strerror(-err));
			return GH_EXIT_ERROR;
		}
		gh_mdev_apply(sysroot(), bdf, NULL, uuid, &cerr);
		if (mdev_line(bdf, uuid, type, state) || strcmp(state, "active")) {
			fprintf(stderr, "gpuhelper: mdev: %s: mdev %s not created: %s; withdraw it with 'gpuhelper mdev remove %s'\n",
				bdf, uuid, cerr ? strerror(-cerr) : state[0] ? state : "withdrawn",
				uuid);
			return GH_EXIT_ERROR;
		}
		printf("%s\n", uuid);
	}
	if (o->persist) {
		snprintf(spec.type, sizeof(spec.type), "%s",
			 type[0] && strcmp(type, "*") ? type : o->type ? o->type : "");
		err = gh_mdev_persist(&spec, true, o->dry_run, stdout);
		if (err) {
			fprintf(stderr, "gpuhelper: mdev: cannot persist %s: %s\n", uuid,
				gh_file_strerror(err));
			return GH_EXIT_ERROR;
		}
		if (!o->dry_run)
			printf("persisted: created at every boot (update the initramfs if it loads gpuhelper)\n");
	}
	return GH_EXIT_OK;
}

static int do_remove(struct mdev_opts *o)
{
	char bdf[GH_MDEV_BDF_LEN + 1], uuid[GH_MDEV_UUID_LEN + 2];
	char type[64], state[32];
	struct gh_mdev_spec spec = { 0 };
	int err, rerr = 0;

	if (!o->uuid || gh_uuid_parse(o->uuid, strlen(o->uuid), spec.uuid)) {
		fprintf(stderr, "gpuhelper: mdev: remove needs the UUID of an mdev\n");
		return GH_EXIT_USAGE;
	}
	gh_uuid_format(spec.uuid, uuid);
	if (o->dry_run) {
		printf("would remove mdev %s\n", uuid);
	} else if (!pick_parent(o->parent, bdf)) {
		strcat(uuid, "\n");
		err = write_attr(bdf, "remove", uuid);
		uuid[GH_MDEV_UUID_LEN] = '\0';
		if (err && !(err == -ENOENT && o->persist)) {
			fprintf(stderr, "gpuhelper: mdev: %s: cannot remove mdev %s: %s\n", bdf,
				uuid, err == -ENOENT ? "no such mdev" : strerror(-err));
			return GH_EXIT_ERROR;
		}
		if (!err) {
			gh_mdev_apply(sysroot(), bdf, NULL, uuid, &rerr);
			if (!mdev_line(bdf, uuid, type, state)) {
				fprintf(stderr, "gpuhelper: mdev: %s: mdev %s not removed: %s\n",
					bdf, uuid, rerr ? strerror(-rerr) : state);
				return GH_EXIT_ERROR;
			}
		}
	} else if (!o->persist) {
		return GH_EXIT_ERROR;
	}
	if (o->persist) {
		err = gh_mdev_persist(&spec, false, o->dry_run, stdout);
		if (err) {
			fprintf(stderr, "gpuhelper: mdev: cannot update the boot configuration: %s\n",
				gh_file_strerror(err));
			return GH_EXIT_ERROR;
		}
	}
	return GH_EXIT_OK;
}

static int do_list(struct mdev_opts *o)
{
	char list[8][GH_MDEV_BDF_LEN + 1], abs[160], path[GH_PATH_MAX], buf[4096];
	struct gh_mdev_type_info types[GH_MDEV_TYPES_MAX];
	struct gh_out out;
	int n = parents(list, 8), i, t, nt;

	gh_out_init(&out, stdout, o->json);
	gh_out_open_arr(&out, NULL);
	for (i = 0; i < n; i++) {
		char *l, *save = NULL;
		FILE *f;

		gh_out_open_obj(&out, NULL);
		gh_out_str(&out, "parent", "parent %s\n", list[i]);
		nt = gh_mdev_types_read(sysroot(), list[i], types, GH_MDEV_TYPES_MAX);
		gh_out_open_arr(&out, "types");
		for (t = 0; t < nt; t++) {
			gh_out_open_obj(&out, NULL);
			gh_out_str(&out, "name", "  type %-20s", types[t].name);
			gh_out_int(&out, "available_instances", " available %ld", types[t].avail);
			gh_out_str(&out, "description", "  %s\n", types[t].desc);
			gh_out_close_obj(&out);
		}
		gh_out_close_arr(&out);
		gh_out_open_arr(&out, "mdevs");
		snprintf(abs, sizeof(abs), CLASS_DIR "/%s/mdevs", list[i]);
		buf[0] = '\0';
		if (!gh_path(path, sizeof(path), abs) && (f = fopen(path, "r"))) {
			buf[fread(buf, 1, sizeof(buf) - 1, f)] = '\0';
			fclose(f);
		}
		for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char uuid[40], type[64], state[32];

			if (sscanf(l, "%39s %63s %31s", uuid, type, state) != 3)
				continue;
			gh_out_open_obj(&out, NULL);
			gh_out_str(&out, "uuid", "  mdev %s", uuid);
			gh_out_str(&out, "type", " %-20s", type);
			gh_out_str(&out, "state", " %s\n", state);
			gh_out_close_obj(&out);
		}
		gh_out_close_arr(&out);
		gh_out_close_obj(&out);
	}
	gh_out_close_arr(&out);
	gh_out_end(&out);
	if (!n && !o->json)
		fprintf(stderr, "gpuhelper: mdev: no mdev parent: for GVT-g boot with i915.enable_gvt=1 and load kvmgt\n");
	return GH_EXIT_OK;
}

enum {
	OPT_ROOT = GH_OPT_LONG, OPT_JSON, OPT_PARENT, OPT_TYPE, OPT_UUID, OPT_PERSIST,
	OPT_DRY_RUN,
};

#define MDEV_ROOT { OPT_ROOT, "root", "DIR", "sysfs and the files under DIR", GH_COMP_DIR, NULL }
#define MDEV_PARENT { OPT_PARENT, "parent", "BDF", "the iGPU (default: the only parent)", \
		      GH_COMP_NONE, NULL }
#define MDEV_PERSIST { OPT_PERSIST, "persist", NULL, \
		       "also in gpuhelper's mdevs= (and mdevctl's files)", GH_COMP_NONE, NULL }
#define MDEV_DRY_RUN { OPT_DRY_RUN, "dry-run", NULL, "print what would change, change nothing", \
		       GH_COMP_NONE, NULL }

static const struct gh_opt list_opts[] = {
	{ OPT_JSON, "json", NULL, "one JSON object", GH_COMP_NONE, NULL },
	MDEV_ROOT,
	GH_OPT_END
};

static const struct gh_opt create_opts[] = {
	MDEV_PARENT,
	{ OPT_TYPE, "type", "TYPE", "the mdev type (default: the parent's first)", GH_COMP_NONE, NULL },
	{ OPT_UUID, "uuid", "UUID", "the instance's UUID (default: a new one)", GH_COMP_NONE, NULL },
	MDEV_PERSIST,
	MDEV_DRY_RUN,
	MDEV_ROOT,
	GH_OPT_END
};

static const struct gh_opt remove_opts[] = {
	{ OPT_UUID, "uuid", "UUID", "the instance (or as the argument)", GH_COMP_NONE, NULL },
	MDEV_PARENT,
	MDEV_PERSIST,
	MDEV_DRY_RUN,
	MDEV_ROOT,
	GH_OPT_END
};

static const struct gh_opt apply_opts[] = {
	MDEV_ROOT,
	GH_OPT_END
};

static int mdev_verb(int argc, char **argv);

static const struct gh_cmd_spec spec_list = {
	.name = "mdev list", .summary = "the parents, their types and instances",
	.synopsis = "[--json]", .opts = list_opts, .run = mdev_verb,
};

static const struct gh_cmd_spec spec_create = {
	.name = "mdev create", .summary = "create a GVT-g vGPU",
	.synopsis = "[--parent BDF] [--type TYPE] [--uuid UUID] [--persist] [--dry-run]",
	.opts = create_opts, .run = mdev_verb,
};

static const struct gh_cmd_spec spec_remove = {
	.name = "mdev remove", .summary = "remove a GVT-g vGPU",
	.synopsis = "UUID [--parent BDF] [--persist] [--dry-run]",
	.opts = remove_opts, .run = mdev_verb,
};

static const struct gh_cmd_spec spec_apply = {
	.name = "mdev apply",
	.summary = "create the vGPUs the module asks for (run by udev)",
	.synopsis = "BDF", .opts = apply_opts, .run = mdev_verb,
};

static const struct gh_cmd_spec *const mdev_verbs[] = {
	&spec_list, &spec_create, &spec_remove, &spec_apply, NULL,
};

const struct gh_cmd_spec gh_spec_mdev = {
	.name = "mdev",
	.summary = "GVT-g vGPUs on the iGPU: list, create, remove, persist",
	.about = "Every command takes --root DIR (paths under DIR).\n",
	.run = cmd_mdev,
	.verbs = mdev_verbs,
};

/* argv[0] is the verb */
static int mdev_verb(int argc, char **argv)
{
	const struct gh_cmd_spec *const *v;
	const struct gh_cmd_spec *spec = NULL;
	struct mdev_opts o = { 0 };
	const char *verb = argv[0], *arg = NULL;
	struct gh_optparse p;
	int c;

	for (v = mdev_verbs; *v; v++)
		if (!strcmp((*v)->name + strlen("mdev "), verb))
			spec = *v;
	/*
	 * udev runs apply as root, in an environment any rule can extend:
	 * it reads the live /sys (or --root), never GPUHELPER_ROOT.
	 */
	if (spec == &spec_apply)
		gh_env_ignore();
	gh_opt_start(&p, spec, argc, argv);
	while ((c = gh_opt_next(&p)) != GH_OPT_DONE) {
		switch (c) {
		case OPT_PERSIST: o.persist = true; break;
		case OPT_DRY_RUN: o.dry_run = true; break;
		case OPT_JSON: o.json = true; break;
		case OPT_PARENT: o.parent = p.val; break;
		case OPT_TYPE: o.type = p.val; break;
		case OPT_UUID: o.uuid = p.val; break;
		case OPT_ROOT: gh_root_set(p.val); break;
		case GH_OPT_HELP: return GH_EXIT_OK;
		default: return gh_opt_fail(&p);
		}
	}
	if (p.ind < argc)
		arg = argv[p.ind];
	if (p.ind + (spec == &spec_remove || spec == &spec_apply) < argc)
		return gh_opt_usage_error(spec, "unexpected '%s'", argv[argc - 1]);

	if (spec == &spec_list)
		return do_list(&o);
	if (spec == &spec_create)
		return do_create(&o);
	if (spec == &spec_remove) {
		o.uuid = o.uuid ? o.uuid : arg;
		return do_remove(&o);
	}
	if (!arg)
		return gh_opt_usage_error(spec, "which parent? give its PCI address");
	{
		char bdf[GH_MDEV_BDF_LEN + 1];

		if (gh_bdf_parse(arg, strlen(arg), bdf)) {
			fprintf(stderr, "gpuhelper: mdev: apply: '%s' is no PCI address\n", arg);
			return GH_EXIT_USAGE;
		}
		return gh_mdev_apply(sysroot(), bdf, stderr, NULL, NULL) ?
			GH_EXIT_ERROR : GH_EXIT_OK;
	}
}

int cmd_mdev(int argc, char **argv)
{
	return gh_opt_dispatch(&gh_spec_mdev, argc, argv);
}
