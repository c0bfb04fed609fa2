// SPDX-License-Identifier: GPL-2.0
/*
 * libvirt_conn.c - talk to libvirt through its C API (libvirt-dev):
 * a read-only connection for the versions and domain capabilities the
 * output is chosen by, a read-write one for vm --define / --start.
 * libvirt's own error reporting is silenced; its last error becomes a
 * message that says what to do, and an -errno.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "domain/libvirt_conn.h"

static void quiet(void *data, virErrorPtr err)
{
	(void)data;
	(void)err;
}

/*
 * The embedded driver (qemu:///embed?root=DIR, what the tests use: no
 * daemon) refuses to open without an event loop implementation.
 */
void gh_libvirt_setup(void)
{
	static bool done;

	if (done)
		return;
	virSetErrorFunc(NULL, quiet);
	virEventRegisterDefaultImpl();
	done = true;
}

static const char *last_msg(void)
{
	virErrorPtr e = virGetLastError();

	return e && e->message ? e->message : "unknown libvirt error";
}

/* -errno and a fix for a failed connection to @uri */
static int conn_error(const char *uri, char *why, size_t whylen)
{
	virErrorPtr e = virGetLastError();
	int code = e ? e->code : VIR_ERR_INTERNAL_ERROR;

	if (code == VIR_ERR_AUTH_FAILED || code == VIR_ERR_AUTH_CANCELLED ||
	    code == VIR_ERR_ACCESS_DENIED || (e && e->int1 == EACCES) ||
	    strstr(last_msg(), "ermission denied")) {
		snprintf(why, whylen, "%s: access denied (%s): run as root, or as a member "
			 "of the libvirt group", uri, last_msg());
		return -EACCES;
	}
	snprintf(why, whylen, "no libvirt daemon answers at %s (%s): start it "
		 "(systemctl start libvirtd or virtqemud), or pass --libvirt VERSION "
		 "to write the domain offline", uri, last_msg());
	return -ECONNREFUSED;
}

static char *get_domcaps(virConnectPtr c, bool tcg)
{
	char *caps = virConnectGetDomainCapabilities(c, NULL, "x86_64", "q35",
						     tcg ? "qemu" : "kvm", 0);

	if (!caps && !tcg)	/* no /dev/kvm: what TCG offers */
		caps = virConnectGetDomainCapabilities(c, NULL, "x86_64", "q35", "qemu", 0);
	return caps;
}

/*
 * The domain capabilities: libvirt 9.0 refuses them on a read-only
 * connection, so a read-write one is tried then (root has it; others
 * get the reason in @h->domcaps_why). Drivers without them (the test
 * driver) leave the fields unknown.
 */
static void domcaps(virConnectPtr ro, const char *uri, bool tcg, struct gh_libvirt_host *h)
{
	virConnectPtr rw = NULL;
	virErrorPtr e;
	char *caps;

	caps = get_domcaps(ro, tcg);
	e = caps ? NULL : virGetLastError();
	if (e && e->code == VIR_ERR_OPERATION_DENIED) {
		rw = virConnectOpen(uri);
		caps = rw ? get_domcaps(rw, tcg) : NULL;
	}
	if (caps) {
		gh_libvirt_domcaps_parse(caps, strlen(caps), h);
		free(caps);
	} else {
		snprintf(h->domcaps_why, sizeof(h->domcaps_why), "%s", last_msg());
	}
	if (rw)
		virConnectClose(rw);
}

/**
 * gh_libvirt_probe() - read the host's libvirt over a read-only connection
 * @uri: the connection, e.g. qemu:///system or test:///default
 * @tcg: ask for the domain capabilities of virttype 'qemu', not 'kvm'
 * @h: filled in; the domain-capability fields only when the driver has them
 * @why: the reason on failure
 * @whylen: its size
 *
 * Return: 0, -ECONNREFUSED (no daemon), -EACCES, -EIO (it answered but
 * would not say its version).
 */
int gh_libvirt_probe(const char *uri, bool tcg, struct gh_libvirt_host *h,
		     char *why, size_t whylen)
{
	unsigned long lib = 0, hv = 0;
	virConnectPtr c;
	int err = 0;

	memset(h, 0, sizeof(*h));
	gh_libvirt_setup();
	c = virConnectOpenReadOnly(uri);
	if (!c)
		return conn_error(uri, why, whylen);
	snprintf(h->uri, sizeof(h->uri), "%s", uri);
	if (virConnectGetLibVersion(c, &lib) < 0) {
		snprintf(why, whylen, "%s: cannot read libvirt's version: %s", uri, last_msg());
		err = -EIO;
		goto out;
	}
	h->lib_version = (unsigned int)lib;
	if (virConnectGetVersion(c, &hv) == 0)
		h->hv_version = hv;
	domcaps(c, uri, tcg, h);
out:
	virConnectClose(c);
	return err;
}

/**
 * gh_libvirt_define() - define, and perhaps start, a domain
 * @uri: the connection
 * @xml: the domain
 * @name: its name, for the messages and the existence check
 * @replace: redefine a domain of that name (vm --from: updating it is the
 *	point); else an existing one is an error
 * @start: start it once defined
 * @why: the reason on failure
 * @whylen: its size
 *
 * Return: 0, -EACCES, -ECONNREFUSED, -EEXIST, -EINVAL (libvirt refused the
 * XML), -EIO (it would not start).
 */
int gh_libvirt_define(const char *uri, const char *xml, const char *name,
		      bool replace, bool start, char *why, size_t whylen)
{
	virDomainPtr d;
	virConnectPtr c;
	int err = 0;

	gh_libvirt_setup();
	c = virConnectOpen(uri);
	if (!c)
		return conn_error(uri, why, whylen);
	d = virDomainLookupByName(c, name);
	if (d && !replace) {
		virDomainFree(d);
		snprintf(why, whylen, "%s: a domain '%s' is already defined: pick another "
			 "--name, or update it with gpuhelper vm --from <(virsh dumpxml %s) "
			 "--define", uri, name, name);
		err = -EEXIST;
		goto out;
	}
	if (d && start && virDomainIsActive(d) == 1) {
		virDomainFree(d);
		snprintf(why, whylen, "%s: '%s' is running: shut it down first "
			 "(virsh shutdown %s)", uri, name, name);
		err = -EBUSY;
		goto out;
	}
	if (d)
		virDomainFree(d);
	d = virDomainDefineXML(c, xml);
	if (!d) {
		virErrorPtr e = virGetLastError();

		if (e && (e->code == VIR_ERR_ACCESS_DENIED || e->code == VIR_ERR_OPERATION_DENIED)) {
			snprintf(why, whylen, "%s: defining '%s' denied (%s): run as root",
				 uri, name, last_msg());
			err = -EACCES;
		} else {
			snprintf(why, whylen, "%s: libvirt refused domain '%s': %s", uri, name,
				 last_msg());
			err = -EINVAL;
		}
		goto out;
	}
	if (start && virDomainCreate(d) < 0) {
		snprintf(why, whylen, "%s: '%s' is defined but did not start: %s "
			 "(see /var/log/libvirt/qemu/%s.log)", uri, name, last_msg(), name);
		err = -EIO;
	}
	virDomainFree(d);
out:
	virConnectClose(c);
	return err;
}
