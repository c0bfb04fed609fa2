// SPDX-License-Identifier: GPL-2.0
/*
 * inputs_test.c - inputs root code must not trust (issue 13, section 4),
 * in the library:
 * - the mdev executor's paths under a root that makes them too long: an
 *   error (-ENAMETOOLONG) and a message, never a truncated path acted on;
 * - a libvirt domain: compressed input refused by name (libxml2 would
 *   decompress a file it opens itself), 10 MiB at most, the DOCTYPE
 *   dropped, an entity of the DOCTYPE refused.
 * inputs.t checks the environment (secure_getenv, mdev apply) and the same
 * inputs from the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "kselftest_harness.h"
#include "domain/domain.h"
#include "mdev/mdev_exec.h"

#define BDF	"0000:00:02.0"
#define U1	"af5972fb-5530-41a7-0000-fd836204445b"
#define SEED_FILE GH_TOP "/tests/fixtures/domains/seed-win10.xml"

/* ---- the mdev executor */

/* mkdir -p of a path that may be nearly PATH_MAX long. */
static int mkdirs(const char *path)
{
	char buf[PATH_MAX], *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -1;
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

static int put(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

FIXTURE(longroot) {
	char base[64];
	char root[PATH_MAX];	/* base/aaa.../aaa..., @len bytes in all */
	char *log;
	size_t loglen;
	FILE *logf;
};

/*
 * A root of @len bytes, made of real directories: long enough that the
 * class directory's files fit in PATH_MAX and the mdev core's do not.
 */
static void make_root(FIXTURE_DATA(longroot) *self, size_t len)
{
	size_t n;

	snprintf(self->root, sizeof(self->root), "%s", self->base);
	while ((n = strlen(self->root)) < len) {
		size_t seg = len - n - 1 > 200 ? 200 : len - n - 1;

		strcat(self->root, "/");
		memset(self->root + n + 1, 'a', seg);
		self->root[n + 1 + seg] = '\0';
	}
}

FIXTURE_SETUP(longroot)
{
	strcpy(self->base, "/tmp/gh-inputs-test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->base));
	self->logf = open_memstream(&self->log, &self->loglen);
	ASSERT_NE(NULL, self->logf);
}

FIXTURE_TEARDOWN(longroot)
{
	char cmd[128];

	fclose(self->logf);
	free(self->log);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->base);
	if (system(cmd))
		TH_LOG("could not remove %s", self->base);
}

TEST_F(longroot, apply_under_a_root_too_long_for_the_class_dir_says_so)
{
	int err = 0;

	make_root(self, PATH_MAX - 20);
	EXPECT_EQ(-ENAMETOOLONG, gh_mdev_apply(self->root, BDF, self->logf, U1, &err));
	fflush(self->logf);
	EXPECT_NE(NULL, strstr(self->log, "give a shorter --root")) TH_LOG("log: %s", self->log);
	EXPECT_EQ(0, err);	/* nothing was acted on */
}

TEST_F(longroot, types_read_under_a_root_too_long_is_an_error)
{
	struct gh_mdev_type_info t[GH_MDEV_TYPES_MAX];

	make_root(self, PATH_MAX - 20);
	EXPECT_EQ(-ENAMETOOLONG, gh_mdev_types_read(self->root, BDF, t, GH_MDEV_TYPES_MAX));
}

/*
 * The mdevs file and mdev_result fit, the mdev core's remove file does
 * not: the removal fails with -ENAMETOOLONG, is logged and reported to
 * the module, and no other file is written.
 */
TEST_F(longroot, remove_whose_path_does_not_fit_fails_and_is_reported)
{
	char cls[PATH_MAX];
	int err = 0;
	FILE *f;
	char buf[256] = "";

	make_root(self, PATH_MAX - 60);
	ASSERT_LT((int)snprintf(cls, sizeof(cls), "%s/sys/class/gpuhelper/" BDF,
				self->root), PATH_MAX - 13);
	ASSERT_EQ(0, mkdirs(cls));
	ASSERT_EQ(0, put(cls, "mdevs", U1 " i915-GVTg_V5_4 removing\n"));
	ASSERT_EQ(0, put(cls, "mdev_result", ""));
	EXPECT_EQ(-ENAMETOOLONG, gh_mdev_apply(self->root, BDF, self->logf, U1, &err));
	EXPECT_EQ(-ENAMETOOLONG, err);
	fflush(self->logf);
	EXPECT_NE(NULL, strstr(self->log, "remove mdev " U1)) TH_LOG("log: %s", self->log);
	EXPECT_NE(NULL, strstr(self->log, "give a shorter --root")) TH_LOG("log: %s", self->log);
	ASSERT_EQ(0, chdir(cls));
	f = fopen("mdev_result", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	EXPECT_STREQ("remove " U1 " -36", buf);
}

/* ---- libvirt domains */

static char *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	*len = f && buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	if (f)
		fclose(f);
	if (buf)
		buf[*len] = '\0';
	return buf;
}

/* gzip or xz of the seed domain, in memory */
static char *compress(const char *tool, size_t *len)
{
	char cmd[512];
	char *buf = malloc(1 << 20);
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s -c '%s'", tool, SEED_FILE);
	p = popen(cmd, "r");
	*len = p && buf ? fread(buf, 1, 1 << 20, p) : 0;
	if (p)
		pclose(p);
	return buf;
}

TEST(compressed_domains_are_refused_by_name)
{
	static const char *const tools[] = { "gzip", "xz" };
	char why[512];
	size_t i, len;

	for (i = 0; i < 2; i++) {
		char *z = compress(tools[i], &len);
		xmlDocPtr doc;

		ASSERT_LT(100, len) TH_LOG("%s did not run", tools[i]);
		why[0] = '\0';
		doc = gh_domain_parse(z, len, "d.xml.z", why, sizeof(why));
		EXPECT_EQ(NULL, doc);
		if (doc)
			xmlFreeDoc(doc);
		EXPECT_NE(NULL, strstr(why, "compressed")) TH_LOG("why: %s", why);
		EXPECT_NE(NULL, strstr(why, tools[i])) TH_LOG("why: %s", why);
		free(z);
	}
}

TEST(a_domain_over_10_mib_is_refused)
{
	size_t seedlen, len = 11 << 20, n;
	char *seed = load(SEED_FILE, &seedlen), *big = malloc(len + 1), why[512] = "";
	xmlDocPtr doc;

	ASSERT_NE(NULL, big);
	memcpy(big, seed, seedlen);
	for (n = seedlen; n + 1024 <= len; n += 1024) {	/* well-formed: comments */
		memset(big + n, 'x', 1024);
		memcpy(big + n, "<!--", 4);
		memcpy(big + n + 1021, "-->", 3);
	}
	doc = gh_domain_parse(big, n, "big.xml", why, sizeof(why));
	EXPECT_EQ(NULL, doc);
	if (doc)
		xmlFreeDoc(doc);
	EXPECT_NE(NULL, strstr(why, "larger than 10 MiB")) TH_LOG("why: %s", why);
	free(big);
	free(seed);
}

static xmlDocPtr with_prolog(const char *prolog, const char *name_text, char *why,
			     size_t whylen)
{
	size_t seedlen;
	char *seed = load(SEED_FILE, &seedlen), *doc, *at;
	xmlDocPtr d;

	doc = malloc(seedlen + strlen(prolog) + strlen(name_text) + 1);
	at = strstr(seed, "<name>Win10</name>");
	if (!doc || !at)
		abort();
	*at = '\0';
	sprintf(doc, "%s%s<name>%s</name>%s", prolog, seed, name_text,
		at + strlen("<name>Win10</name>"));
	d = gh_domain_parse(doc, strlen(doc), "d.xml", why, whylen);
	free(doc);
	free(seed);
	return d;
}

TEST(the_doctype_is_dropped)
{
	char why[512] = "", *text = NULL;
	xmlDocPtr doc;
	size_t len;

	doc = with_prolog("<!DOCTYPE domain SYSTEM \"file:///etc/passwd\" "
			  "[<!ENTITY who \"me\">]>\n", "Win10", why, sizeof(why));
	ASSERT_NE(NULL, doc) TH_LOG("why: %s", why);
	EXPECT_EQ(NULL, doc->intSubset);
	EXPECT_EQ(NULL, doc->extSubset);
	ASSERT_EQ(0, gh_domain_format(doc, &text, &len));
	EXPECT_EQ(NULL, strstr(text, "DOCTYPE"));
	EXPECT_EQ(NULL, strstr(text, "passwd"));
	EXPECT_NE(NULL, strstr(text, "<name>Win10</name>"));
	xmlFree(text);
	xmlFreeDoc(doc);
}

TEST(an_entity_of_the_doctype_is_refused)
{
	char why[512] = "";
	xmlDocPtr doc;

	doc = with_prolog("<!DOCTYPE domain [<!ENTITY who \"me\">]>\n", "Win10&who;",
			  why, sizeof(why));
	EXPECT_EQ(NULL, doc);
	if (doc)
		xmlFreeDoc(doc);
	EXPECT_NE(NULL, strstr(why, "uses an entity")) TH_LOG("why: %s", why);
	/* in an attribute value too */
	why[0] = '\0';
	doc = with_prolog("<!DOCTYPE domain [<!ENTITY who \"me\">]>\n",
			  "Win10</name><description x='&who;'>d</description><name>W",
			  why, sizeof(why));
	EXPECT_EQ(NULL, doc);
	if (doc)
		xmlFreeDoc(doc);
	EXPECT_NE(NULL, strstr(why, "uses an entity")) TH_LOG("why: %s", why);
}

TEST(predefined_and_character_references_still_work)
{
	char why[512] = "", *text = NULL;
	xmlDocPtr doc;
	size_t len;

	doc = with_prolog("", "Win&amp;10&#33;", why, sizeof(why));
	ASSERT_NE(NULL, doc) TH_LOG("why: %s", why);
	ASSERT_EQ(0, gh_domain_format(doc, &text, &len));
	EXPECT_NE(NULL, strstr(text, "<name>Win&amp;10!</name>"));
	xmlFree(text);
	xmlFreeDoc(doc);
}

TEST_HARNESS_MAIN
