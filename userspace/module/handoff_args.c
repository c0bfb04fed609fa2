// SPDX-License-Identifier: GPL-2.0
/*
 * handoff_args.c - gpuhelper handoff [--to vfio|stub|host]
 * [--with-audio|--without-audio] [--dry-run] BDF: argument parsing and
 * the explanation of a refusal, from the kernel's answer and a dump of
 * the devices gpuhelper holds.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "lib/opts.h"
#include "module/handoff_args.h"

/* "01:00.0" or "0000:01:00.0" -> "0000:01:00.0"; 0 or -EINVAL. */
int gh_bdf_normalize(const char *in, char *out, size_t len)
{
	unsigned int dom = 0, bus, dev, fn;
	char tail;

	if (sscanf(in, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail) == 4 ||
	    (dom = 0, sscanf(in, "%x:%x.%x%c", &bus, &dev, &fn, &tail) == 3)) {
		if (bus > 0xff || dev > 0x1f || fn > 7)
			return -EINVAL;
		for (const char *p = in; *p; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
				return -EINVAL;
		snprintf(out, len, "%04x:%02x:%02x.%x", dom, bus, dev, fn);	/* pci_name() */
		return 0;
	}
	return -EINVAL;
}

/*
 * Return: 0, 1 after --help (printed), or -EINVAL with @err set. The
 * table is gpuhelper handoff's (cmd/cmd_handoff.c).
 */
int gh_handoff_parse(int argc, char **argv, struct gh_handoff_opts *o,
		     char *err, size_t len)
{
	static char bdf[20];
	struct gh_optparse p;
	int c, i;

	memset(o, 0, sizeof(*o));
	o->to = GPUHELPER_STATE_VFIO;
	o->with_audio = -1;
	gh_opt_start(&p, &gh_spec_handoff, argc, argv);
	while ((c = gh_opt_next(&p)) != GH_OPT_DONE) {
		switch (c) {
		case GH_HANDOFF_OPT_TO:
			if (gh_nl_state_parse(p.val, &o->to)) {
				snprintf(err, len, "--to %s: not a state; use vfio, stub or host",
					 p.val);
				return -EINVAL;
			}
			break;
		case GH_HANDOFF_OPT_WITH_AUDIO:
			o->with_audio = 1;
			break;
		case GH_HANDOFF_OPT_WITHOUT_AUDIO:
			o->with_audio = 0;
			break;
		case GH_HANDOFF_OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case GH_HANDOFF_OPT_FORCE:
			o->force = true;
			break;
		case GH_OPT_HELP:
			return 1;
		default:
			snprintf(err, len, "%s", p.err);
			return -EINVAL;
		}
	}
	for (i = p.ind; i < argc; i++) {
		const char *a = argv[i];

		if (o->bdf) {
			snprintf(err, len, "one device only ('%s' and '%s')", o->bdf, a);
			return -EINVAL;
		}
		if (gh_bdf_normalize(a, bdf, sizeof(bdf))) {
			snprintf(err, len, "'%s' is not a PCI address like 0000:01:00.0", a);
			return -EINVAL;
		}
		o->bdf = bdf;
	}
	if (!o->bdf) {
		snprintf(err, len, "which device? e.g. gpuhelper handoff --to vfio 0000:01:00.0");
		return -EINVAL;
	}
	return 0;
}

static const struct gh_nl_dev *find(const struct gh_nl_dev *devs, int n,
				    const char *bdf)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(devs[i].bdf, bdf))
			return &devs[i];
	return NULL;
}

static bool on_foreign_driver(const struct gh_nl_dev *d)
{
	return d->driver[0] && strcmp(d->driver, "vfio-pci") &&
	       strcmp(d->driver, "gpuhelper");
}

/*
 * Why set-state of @o failed with @err, as one or more lines for stderr,
 * each starting "gpuhelper: " and ending with what to do.
 * Return: the length written.
 */
int gh_handoff_explain(const struct gh_handoff_opts *o, int err,
		       const char *extack, const struct gh_nl_dev *devs, int ndevs,
		       char *buf, size_t len)
{
	const struct gh_nl_dev *me = find(devs, ndevs, o->bdf);
	const char *to = gh_nl_state_name(o->to);
	size_t off = 0;
	int i;

#define OUT(...) (off += snprintf(buf + off, off < len ? len - off : 0, __VA_ARGS__))
	buf[0] = '\0';
	switch (err) {
	case -ENOENT:
		OUT("gpuhelper: the gpuhelper module is not loaded: modprobe gpuhelper (see gpuhelper host-config)\n");
		break;
	case -EPERM:
	case -EACCES:
		OUT("gpuhelper: handing %s off needs root (CAP_NET_ADMIN): run it with sudo\n",
		    o->bdf);
		break;
	case -ENODEV:
		if (!me)
			OUT("gpuhelper: %s is not held by gpuhelper: add its IDs to ids= (gpuhelper host-config) and reload the module\n",
			    o->bdf);
		else
			OUT("gpuhelper: cannot hand %s to %s: %s\n", o->bdf, to,
			    extack && *extack ? extack : "vfio-pci is not available: modprobe vfio-pci");
		break;
	case -EBUSY:
		if (me && me->state == GPUHELPER_STATE_VFIO && o->to != GPUHELPER_STATE_VFIO) {
			OUT("gpuhelper: %s is in use by a VM (IOMMU group %d is held by userspace): shut the VM down first\n",
			    o->bdf, me->iommu_group);
			break;
		}
		/* the audio function left out on purpose, on a host driver */
		for (i = 0; me && o->with_audio == 0 && i < ndevs; i++) {
			const struct gh_nl_dev *c = &devs[i];

			if (strcmp(c->primary, o->bdf) || c->role != GPUHELPER_ROLE_AUDIO ||
			    !on_foreign_driver(c))
				continue;
			OUT("gpuhelper: %s is in IOMMU group %d with %s (%s): hand it off too, or pass --with-audio\n",
			    o->bdf, me->iommu_group, c->bdf, c->driver);
		}
		for (i = 0; me && i < me->nblockers; i++)
			OUT("gpuhelper: cannot hand %s to %s: %s\n", o->bdf, to, me->blockers[i]);
		if (!off)
			OUT("gpuhelper: cannot hand %s to %s: %s\n", o->bdf, to,
			    extack && *extack ? extack : "busy (see dmesg)");
		break;
	default:
		OUT("gpuhelper: handing %s to %s failed: %s%s%s; nothing was changed\n",
		    o->bdf, to, strerror(-err), extack && *extack ? ": " : "",
		    extack ? extack : "");
		break;
	}
#undef OUT
	return (int)off;
}
