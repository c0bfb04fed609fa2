// SPDX-License-Identifier: GPL-2.0
/*
 * libvirt_storage.c - vm --disk through libvirt's storage API: the
 * volume is created in the active pool whose target directory holds the
 * disk (a dir pool such as 'default' at /var/lib/libvirt/images), so
 * libvirt knows it, labels it and can delete it (virsh vol-delete).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>

#include "domain/disk.h"
#include "domain/domain.h"
#include "domain/libvirt_conn.h"

#define X(s) ((const xmlChar *)(s))

/* The pool's <target><path>, into @buf; -ENOENT without one. */
static int pool_target(virStoragePoolPtr pool, char *buf, size_t len)
{
	char *xml = virStoragePoolGetXMLDesc(pool, 0);
	xmlDocPtr doc;
	xmlChar *v = NULL;
	int err = -ENOENT;

	if (!xml)
		return -ENOENT;
	doc = xmlReadMemory(xml, (int)strlen(xml), "pool.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(xml);
	if (!doc)
		return -ENOENT;
	v = xmlNodeGetContent(gh_xml_child(gh_xml_child(xmlDocGetRootElement(doc), "target"),
					   "path"));
	if (v && v[0] == '/') {
		snprintf(buf, len, "%s", (const char *)v);
		while (strlen(buf) > 1 && buf[strlen(buf) - 1] == '/')
			buf[strlen(buf) - 1] = '\0';
		err = 0;
	}
	xmlFree(v);
	xmlFreeDoc(doc);
	return err;
}

/**
 * gh_libvirt_vol_create() - create the disk as a volume of a libvirt pool
 * @uri: the connection
 * @path: the image, absolute; its directory must be an active pool's target
 * @bytes: the capacity
 * @pool: receives the pool's name
 * @poollen: its size
 * @why: the reason on failure
 * @whylen: its size
 *
 * Return: 0; -ENOENT when no active pool has @path's directory as its
 * target (the caller falls back to qemu-img); -ECONNREFUSED, -EACCES or
 * -EIO with @why.
 */
int gh_libvirt_vol_create(const char *uri, const char *path, unsigned long long bytes,
			  char *pool, size_t poollen, char *why, size_t whylen)
{
	const char *base = strrchr(path, '/');
	virStoragePoolPtr *pools = NULL, found = NULL;
	char dir[4096], target[4096], xml[1024];
	virStorageVolPtr vol;
	virConnectPtr c;
	int i, n, err = -ENOENT;

	if (!base || !base[1] || strlen(path) >= sizeof(dir))
		return -ENOENT;
	snprintf(dir, sizeof(dir), "%.*s", base == path ? 1 : (int)(base - path), path);
	gh_libvirt_setup();
	c = virConnectOpen(uri);
	if (!c) {
		virErrorPtr e = virGetLastError();

		snprintf(why, whylen, "%s: cannot connect to create %s: %s", uri, path,
			 e && e->message ? e->message : "unknown libvirt error");
		return -ECONNREFUSED;
	}
	n = virConnectListAllStoragePools(c, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
	for (i = 0; i < n; i++) {
		if (!found && !pool_target(pools[i], target, sizeof(target)) &&
		    !strcmp(target, dir))
			found = pools[i];
		else
			virStoragePoolFree(pools[i]);
	}
	free(pools);
	if (!found)
		goto out;
	snprintf(pool, poollen, "%s", virStoragePoolGetName(found));
	snprintf(xml, sizeof(xml), "<volume><name></name><capacity unit='bytes'>%llu</capacity>"
		 "<target><format type='qcow2'/></target></volume>", bytes);
	{
		/* the name through libxml2: it escapes what XML needs */
		xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), "vol.xml", NULL, XML_PARSE_NONET);
		xmlChar *out = NULL;
		int len = 0;

		if (d) {
			xmlNodeSetContent(gh_xml_child(xmlDocGetRootElement(d), "name"), NULL);
			xmlNodeAddContent(gh_xml_child(xmlDocGetRootElement(d), "name"), X(base + 1));
			xmlDocDumpMemory(d, &out, &len);
			xmlFreeDoc(d);
		}
		vol = out ? virStorageVolCreateXML(found, (const char *)out, 0) : NULL;
		xmlFree(out);
	}
	if (!vol) {
		virErrorPtr e = virGetLastError();

		snprintf(why, whylen, "%s: libvirt could not create %s in pool '%s': %s", uri,
			 path, pool, e && e->message ? e->message : "unknown libvirt error");
		err = -EIO;
	} else {
		virStorageVolFree(vol);
		err = 0;
	}
	virStoragePoolFree(found);
out:
	virConnectClose(c);
	return err;
}
