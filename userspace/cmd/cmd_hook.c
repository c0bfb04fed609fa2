// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_hook.c - gpuhelper hook [--root DIR] qemu [--] DOMAIN OPERATION
 * SUB-OPERATION [EXTRA]: the libvirt QEMU hook, with the domain XML on
 * standard input (packaging/libvirt/gpuhelper-hook execs it).
 *
 * prepare: for a domain gpuhelper vm generated or the admin allowed, each
 *   dGPU its record names and it passes through (a managed='no' PCI
 *   hostdev) is checked, its state and its audio functions' noted, and
 *   handed to vfio-pci. Any refusal fails the start, the reason on stderr
 *   (libvirt shows it).
 * release: each function noted goes back to the state it was in.
 * Any other operation, and any other domain, is left alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "domain/domain.h"
#include "lib/fileio.h"
#include "lib/opts.h"
#include "host/hook.h"
#include "module/nl.h"
#include "lib/root.h"

#define WHY_LEN 1024

struct hook_args {
	const char *domain;
	const char *op;
};

enum { OPT_ROOT = GH_OPT_LONG };

static const struct gh_opt hook_opts[] = {
	{ OPT_ROOT, "root", "DIR", "the files and sysfs under DIR", GH_COMP_DIR, NULL },
	GH_OPT_END
};

const struct gh_cmd_spec gh_spec_hook = {
	.name = "hook",
	.summary = "the libvirt hook: the dGPU to vfio-pci at start, back at stop",
	.synopsis = "[--root DIR] qemu [--] DOMAIN OPERATION SUB-OPERATION [EXTRA]",
	.about =
		"The libvirt QEMU hook, the domain XML on standard input: at prepare, hand\n"
		"the dGPU of a domain gpuhelper vm generated (or the admin allowed) to\n"
		"vfio-pci; at release, give it back to the state it was in.\n"
		"See gpuhelper-hook(8).\n",
	.opts = hook_opts,
	.run = cmd_hook,
	.stop = true,	/* stop at "qemu": a domain name is never an option */
	.args = GH_COMP_WORDS,
	.args_words = "qemu",
};

/* 1: --help, 0: go on, -EINVAL: usage error (printed) */
static int parse(int argc, char **argv, struct hook_args *a)
{
	struct gh_optparse p;
	int c, n, i;

	gh_opt_start(&p, &gh_spec_hook, argc, argv);
	while ((c = gh_opt_next(&p)) != GH_OPT_DONE) {
		if (c == GH_OPT_HELP)
			return 1;
		if (c != OPT_ROOT) {
			gh_opt_fail(&p);
			return -EINVAL;
		}
		gh_root_set(p.val);
	}
	i = p.ind;
	if (i == argc || strcmp(argv[i], "qemu")) {
		gh_opt_usage_error(&gh_spec_hook, "which hook? 'qemu' (libvirt's QEMU driver)");
		return -EINVAL;
	}
	i++;
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	n = argc - i;
	if (n < 3 || n > 4) {
		gh_opt_usage_error(&gh_spec_hook, "give what libvirt passes: DOMAIN OPERATION "
				   "SUB-OPERATION EXTRA");
		return -EINVAL;
	}
	a->domain = argv[i];
	a->op = argv[i + 1];
	return 0;
}

static int refuse(const char *domain, const char *why)
{
	fprintf(stderr, "gpuhelper hook: domain '%s' not started: %s\n", domain, why);
	return GH_EXIT_FAIL;
}

static int name_is(xmlDocPtr doc, const char *domain, char *why, size_t whylen)
{
	xmlChar *name = xmlNodeGetContent(gh_xml_child(xmlDocGetRootElement(doc), "name"));
	int err = name && !strcmp((const char *)name, domain) ? 0 : -EINVAL;

	if (err)
		snprintf(why, whylen, "the domain XML on standard input is for '%.64s', not for "
			 "'%s': run the hook as libvirt does", name ? (const char *)name : "",
			 domain);
	xmlFree(name);
	return err;
}

/* The dGPUs of @pol the domain on stdin passes through: count or -errno. */
static int domain_takes(const char *domain, const struct gh_hook_policy *pol,
			struct gh_hook_take *t, char *why, size_t whylen)
{
	char bdf[GH_HOOK_HOSTDEVS][GH_BDF_LEN], *xml;
	xmlDocPtr doc;
	size_t len;
	int n;

	n = gh_read_fd(STDIN_FILENO, (unsigned char **)&xml, &len, GH_HOOK_XML_MAX);
	if (n) {
		snprintf(why, whylen, "cannot read the domain XML on standard input: %s",
			 n == -EFBIG ? "larger than 4 MiB, the most the hook reads" : strerror(-n));
		return n;
	}
	doc = gh_domain_parse(xml, len, "the domain XML on standard input", why, whylen);
	free(xml);
	if (!doc)
		return -EINVAL;
	n = name_is(doc, domain, why, whylen);
	if (!n)
		n = gh_hook_pci_hostdevs(doc, bdf, GH_HOOK_HOSTDEVS, why, whylen);
	xmlFreeDoc(doc);
	return n < 0 ? n : gh_hook_select(pol, bdf, n, t);
}

/* Each dGPU's state and its audio functions' now; may the hook take it? */
static int check_takes(const char *domain, const struct gh_hook_policy *pol,
		       struct gh_hook_take *t, int n, char *why, size_t whylen)
{
	int i, err = 0;

	for (i = 0; !err && i < n; i++) {
		err = gh_hook_read_take(&t[i], why, whylen);
		if (!err)
			err = gh_hook_check_take(&t[i], pol, domain, why, whylen);
	}
	return err;
}

static int hook_prepare(const char *domain)
{
	struct gh_hook_take t[GH_HOOK_DGPUS];
	struct gh_hook_policy pol;
	char why[WHY_LEN], path[GH_PATH_MAX];
	int i, n, err;

	/* a file an earlier run kept must not steer this start's release */
	gh_hook_prior_remove(domain);
	err = gh_hook_policy_load(domain, &pol, why, sizeof(why));
	if (err == -ENOENT)
		return GH_EXIT_OK;		/* not a domain of gpuhelper's */
	if (err)
		return refuse(domain, why);
	n = domain_takes(domain, &pol, t, why, sizeof(why));
	if (n < 0)
		return refuse(domain, why);
	if (!n)
		return GH_EXIT_OK;		/* it passes none of them through */
	if (check_takes(domain, &pol, t, n, why, sizeof(why)))
		return refuse(domain, why);
	err = gh_hook_prior_write(domain, t, (unsigned int)n, path, sizeof(path));
	if (err) {
		fprintf(stderr, "gpuhelper hook: domain '%s' not started: cannot note the "
			"devices' states in %s (%s), which release needs to give them back; "
			"nothing was handed off\n", domain, path, strerror(-err));
		return GH_EXIT_ERROR;
	}
	for (i = 0; i < n; i++) {
		err = gh_hook_handoff(t[i].dgpu.bdf, GPUHELPER_STATE_VFIO);
		if (err) {
			fprintf(stderr, "gpuhelper hook: domain '%s' not started: %s could not "
				"be handed to vfio-pci (above); release gives back what moved\n",
				domain, t[i].dgpu.bdf);
			return err == -EBUSY ? GH_EXIT_FAIL : GH_EXIT_ERROR;
		}
	}
	return GH_EXIT_OK;
}

static void not_back(const char *domain, const char *bdf, uint32_t to)
{
	const char *s = gh_nl_state_name(to);

	fprintf(stderr, "gpuhelper hook: domain '%s': %s is not back in %s: hand it back "
		"once it is free (gpuhelper handoff --to %s %s)\n", domain, bdf, s, s, bdf);
}

/* One dGPU and its audio functions back to their states: the failures. */
static int give_back(const char *domain, const struct gh_hook_take *t)
{
	uint32_t to = gh_hook_restore_state(t->dgpu.state), a;
	bool dgpu_back = !gh_hook_handoff(t->dgpu.bdf, to);
	unsigned int i;
	int failed = !dgpu_back;

	if (!dgpu_back)
		not_back(domain, t->dgpu.bdf, to);
	for (i = 0; i < t->naudio; i++) {
		a = gh_hook_restore_state(t->audio[i].state);
		if (dgpu_back && (a == to || !gh_hook_handoff(t->audio[i].bdf, a)))
			continue;
		not_back(domain, t->audio[i].bdf, a);
		failed++;
	}
	return failed;
}

/* A failed hand-back does not fail the stop: libvirt ignores it anyway. */
static int hook_release(const char *domain)
{
	struct gh_hook_take t[GH_HOOK_DGPUS];
	char why[WHY_LEN], rel[GH_PATH_MAX], path[GH_PATH_MAX];
	int i, n, failed = 0;

	n = gh_hook_prior_load(domain, t, GH_HOOK_DGPUS, why, sizeof(why));
	if (n == -ENOENT)
		return GH_EXIT_OK;		/* prepare took nothing */
	if (n < 0) {
		fprintf(stderr, "gpuhelper hook: domain '%s': nothing handed back: %s\n",
			domain, why);
		return GH_EXIT_OK;
	}
	for (i = 0; i < n; i++)
		failed += give_back(domain, &t[i]);
	if (!failed) {
		gh_hook_prior_remove(domain);
		return GH_EXIT_OK;
	}
	snprintf(rel, sizeof(rel), GH_HOOK_PRIOR_DIR "/%s", domain);
	gh_path(path, sizeof(path), rel);
	fprintf(stderr, "gpuhelper hook: domain '%s': the states it found stay in %s until "
		"its next start\n", domain, path);
	return GH_EXIT_OK;
}

int cmd_hook(int argc, char **argv)
{
	struct hook_args a;
	int err = parse(argc, argv, &a);

	if (err)
		return err > 0 ? GH_EXIT_OK : GH_EXIT_USAGE;
	if (strcmp(a.op, "prepare") && strcmp(a.op, "release"))
		return GH_EXIT_OK;
	/*
	 * libvirt reads a qemu.d hook's stdout as a changed domain XML (for
	 * migrate and restore): what gpuhelper handoff prints goes to stderr.
	 */
	fflush(stdout);
	if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		fprintf(stderr, "gpuhelper hook: cannot redirect standard output: %s\n",
			strerror(errno));
		return GH_EXIT_ERROR;
	}
	return !strcmp(a.op, "prepare") ? hook_prepare(a.domain) : hook_release(a.domain);
}
