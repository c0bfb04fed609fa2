// SPDX-License-Identifier: GPL-2.0
/*
 * hook_files.c - the files the libvirt hook trusts, all under the root:
 *
 *   /var/lib/gpuhelper/domains/DOMAIN      the record gpuhelper vm wrote
 *   /etc/gpuhelper/hook-allow.d/DOMAIN     the admin's permission
 *   /run/gpuhelper/libvirt/DOMAIN          the states prepare found
 *
 * The hook runs as root on what these say, so each is read only when it
 * is a regular file with one link, opened without following a link and
 * checked on its descriptor, owned by root (or by the user running the
 * hook: the tests) in a directory root owns, and neither can be written
 * by anyone else.
 *
 * Record and allow file: "dgpu BDF" (the hook may take that dGPU),
 * "from-host allow" (even from the host's driver); '#' starts a comment.
 * Prior file: "dgpu BDF STATE", then "audio BDF STATE" for each audio
 * function at its slot.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/atomicwrite.h"
#include "module/handoff_args.h"
#include "lib/fileio.h"
#include "host/hook.h"
#include "module/nl.h"
#include "lib/root.h"

#define GH_HOOK_NAME_MAX 200

/**
 * gh_hook_name_ok() - whether a domain name can name the hook's files
 * @domain: the name libvirt passed
 *
 * libvirt names never hold a '/'; control characters, a leading dot and
 * overlong names are refused too, so a name can neither leave the
 * directory nor add a line to a file that quotes it.
 *
 * Return: true when it can.
 */
bool gh_hook_name_ok(const char *domain)
{
	size_t n = strlen(domain), i;

	if (!n || n > GH_HOOK_NAME_MAX || domain[0] == '.')
		return false;
	for (i = 0; i < n; i++)
		if (domain[i] == '/' || iscntrl((unsigned char)domain[i]))
			return false;
	return true;
}

static bool trusted_owner(const struct stat *st)
{
	return st->st_uid == 0 || st->st_uid == geteuid();
}

/* Only root (or the hook's user) may have written @path, or may still. */
static int check_owner(const struct stat *st, const char *path, char *why,
		       size_t whylen)
{
	if (!trusted_owner(st)) {
		snprintf(why, whylen, "%s belongs to uid %u, not root: the hook trusts only "
			 "root's files; if root wrote it, chown root %s",
			 path, (unsigned int)st->st_uid, path);
		return -EPERM;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, whylen, "%s can be written by %s (mode %04o): the hook trusts "
			 "only what nobody else can change; chmod go-w %s", path,
			 st->st_mode & S_IWOTH ? "anyone" : "its group",
			 (unsigned int)(st->st_mode & 07777), path);
		return -EPERM;
	}
	return 0;
}

static int check_file(int fd, const char *path, char *why, size_t whylen)
{
	struct stat st;

	if (fstat(fd, &st)) {
		snprintf(why, whylen, "cannot stat %s: %s", path, strerror(errno));
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s is not a regular file: the hook reads only files "
			 "root wrote; remove it", path);
		return -EPERM;
	}
	if (st.st_nlink != 1) {
		snprintf(why, whylen, "%s has %u hard links, and another name could change "
			 "it: remove the other links, or replace it with a copy of itself",
			 path, (unsigned int)st.st_nlink);
		return -EPERM;
	}
	return check_owner(&st, path, why, whylen);
}

static int check_dir(int dfd, const char *path, char *why, size_t whylen)
{
	struct stat st;

	if (fstat(dfd, &st)) {
		snprintf(why, whylen, "cannot stat %s: %s", path, strerror(errno));
		return -errno;
	}
	return check_owner(&st, path, why, whylen);
}

/* The directory, not followed if a link; -ENOENT when nothing is there. */
static int open_dir(const char *dpath, const char *path, char *why, size_t whylen)
{
	int dfd = open(dpath, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int err = -errno;

	if (dfd >= 0 || err == -ENOENT)
		return dfd >= 0 ? dfd : err;
	if (access(path, F_OK) && errno == ENOENT)
		return -ENOENT;		/* no file in it either way */
	if (err == -ELOOP || err == -ENOTDIR) {
		snprintf(why, whylen, "%s is a symbolic link or not a directory: the hook "
			 "reads only from a directory root owns; make it one", dpath);
		return -EPERM;
	}
	snprintf(why, whylen, "cannot open %s: %s", dpath, strerror(-err));
	return err;
}

/**
 * gh_hook_read_trusted() - read a file root wrote for the hook
 * @dir: its directory, under the root (GH_HOOK_*_DIR)
 * @name: the file (a domain name, gh_hook_name_ok())
 * @text: receives a malloc()ed, NUL-terminated copy; NULL on error
 * @path: receives the file's path, for messages
 * @pathlen: the size of @path
 * @why: receives the reason when it is not read
 * @whylen: the size of @why
 *
 * Return: 0, -ENOENT when there is no such file, -EPERM when it is not
 * to be trusted, or another -errno; @why says which and what to do.
 */
int gh_hook_read_trusted(const char *dir, const char *name, char **text,
			 char *path, size_t pathlen, char *why, size_t whylen)
{
	char dpath[GH_PATH_MAX];
	size_t len;
	int dfd, fd, err;

	*text = NULL;
	why[0] = '\0';
	err = gh_path(dpath, sizeof(dpath), dir);
	if (err || snprintf(path, pathlen, "%s/%s", dpath, name) >= (int)pathlen)
		return -ENAMETOOLONG;
	dfd = open_dir(dpath, path, why, whylen);
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		if (err == -ELOOP) {
			snprintf(why, whylen, "%s is a symbolic link: the hook reads only files "
				 "root wrote; put the file itself there", path);
			err = -EPERM;
		} else if (err != -ENOENT) {
			snprintf(why, whylen, "cannot open %s: %s", path, strerror(-err));
		}
		close(dfd);
		return err;
	}
	err = check_dir(dfd, dpath, why, whylen);
	if (!err)
		err = check_file(fd, path, why, whylen);
	if (!err) {
		err = gh_read_fd(fd, (unsigned char **)text, &len, GH_HOOK_FILE_MAX);
		if (err)
			snprintf(why, whylen, "cannot read %s: %s", path,
				 err == -EFBIG ? "larger than 64 KiB" : strerror(-err));
	}
	close(fd);
	close(dfd);
	return err;
}

/* Cut @line at '#' and split it at blanks; the count of words. */
static int split(char *line, char **word, int max)
{
	char *save = NULL, *w;
	int n = 0;

	line[strcspn(line, "#")] = '\0';
	for (w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
		if (n == max)
			return max + 1;
		word[n++] = w;
	}
	return n;
}

/* The next line of @*text, NUL-terminated; NULL at the end. */
static char *next_line(char **text)
{
	char *line = *text, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl)
		*nl++ = '\0';
	*text = nl;
	return line;
}

static int add_dgpu(struct gh_hook_policy *pol, const char *s)
{
	char bdf[GH_BDF_LEN];
	unsigned int i;

	if (gh_bdf_normalize(s, bdf, sizeof(bdf)))
		return -EINVAL;
	for (i = 0; i < pol->ndgpu; i++)
		if (!strcmp(pol->dgpu[i], bdf))
			return 0;
	if (pol->ndgpu == GH_HOOK_DGPUS)
		return -E2BIG;
	memcpy(pol->dgpu[pol->ndgpu++], bdf, sizeof(bdf));
	return 0;
}

/**
 * gh_hook_policy_parse() - add what a record or an allow file says
 * @text: its text (changed: split into words)
 * @path: its path, for messages
 * @pol: what earlier files said; receives this one's too
 * @why: receives the line at fault and the fix
 * @whylen: the size of @why
 *
 * Return: 0, or -EINVAL (-E2BIG: more than GH_HOOK_DGPUS dGPUs).
 */
int gh_hook_policy_parse(char *text, const char *path,
			 struct gh_hook_policy *pol, char *why, size_t whylen)
{
	unsigned int lineno = 0;
	char *line, *w[3], copy[80];
	int n, err;

	while ((line = next_line(&text))) {
		lineno++;
		snprintf(copy, sizeof(copy), "%s", line);
		n = split(line, w, 2);
		err = 0;
		if (!n)
			continue;
		if (n == 2 && !strcmp(w[0], "dgpu"))
			err = add_dgpu(pol, w[1]);
		else if (n == 2 && !strcmp(w[0], "from-host") && !strcmp(w[1], "allow"))
			pol->from_host = true;
		else if (n == 2 && !strcmp(w[0], "from-host") && !strcmp(w[1], "refuse"))
			pol->from_host = false;
		else
			err = -EINVAL;
		if (err == -E2BIG) {
			snprintf(why, whylen, "%s:%u: more than %d dGPUs for one domain",
				 path, lineno, GH_HOOK_DGPUS);
			return err;
		}
		if (err) {
			snprintf(why, whylen, "%s:%u: '%s' is not 'dgpu BDF' (a PCI address "
				 "like 0000:01:00.0) nor 'from-host allow|refuse': fix the line",
				 path, lineno, copy);
			return err;
		}
	}
	return 0;
}

/**
 * gh_hook_policy_load() - what the hook may do for @domain
 * @domain: the name libvirt passed
 * @pol: receives the record's and the allow file's lines, merged
 * @why: receives why a file cannot be used
 * @whylen: the size of @why
 *
 * Return: 0, -ENOENT when neither file exists (not a domain for the
 * hook), or -errno with @why when one exists but cannot be trusted or
 * read.
 */
int gh_hook_policy_load(const char *domain, struct gh_hook_policy *pol,
			char *why, size_t whylen)
{
	static const char *const dirs[] = { GH_HOOK_RECORD_DIR, GH_HOOK_ALLOW_DIR };
	char path[GH_PATH_MAX], *text;
	unsigned int i, found = 0;
	int err;

	memset(pol, 0, sizeof(*pol));
	if (!gh_hook_name_ok(domain))
		return -ENOENT;		/* no file can have that name */
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		err = gh_hook_read_trusted(dirs[i], domain, &text, path, sizeof(path),
					   why, whylen);
		if (err == -ENOENT)
			continue;
		if (err)
			return err;
		err = gh_hook_policy_parse(text, path, pol, why, whylen);
		free(text);
		if (err)
			return err;
		found++;
	}
	return found ? 0 : -ENOENT;
}

static int write_root_file(const char *dir, const char *domain, const char *text,
			   size_t len, char *path, size_t pathlen)
{
	char rel[GH_PATH_MAX];
	int err;

	if (!gh_hook_name_ok(domain))
		return -EINVAL;
	snprintf(rel, sizeof(rel), "%s/%s", dir, domain);
	err = gh_path(path, pathlen, rel);
	if (!err)
		err = gh_make_parents(path);
	if (!err)
		err = gh_replace_file(path, text, len, 0644, false);
	return err;
}

/**
 * gh_hook_record_write() - tell the hook gpuhelper generated @domain
 * @domain: the domain's name
 * @dgpu_bdf: the dGPU it passes through
 * @path: receives the record's path
 * @pathlen: the size of @path
 *
 * Return: 0, -EINVAL when @domain cannot name a file, or -errno.
 */
int gh_hook_record_write(const char *domain, const char *dgpu_bdf,
			 char *path, size_t pathlen)
{
	char text[512];
	int n;

	n = snprintf(text, sizeof(text),
		     "# gpuhelper vm generated libvirt domain '%s': its libvirt hook\n"
		     "# (gpuhelper-hook(8)) hands this dGPU to vfio-pci at prepare and\n"
		     "# back to the state it found at release.\n"
		     "dgpu %s\n", domain, dgpu_bdf);
	if (n < 0 || n >= (int)sizeof(text))
		return -EINVAL;
	return write_root_file(GH_HOOK_RECORD_DIR, domain, text, (size_t)n, path, pathlen);
}

/**
 * gh_hook_prior_write() - note the states prepare found, for release
 * @domain: the domain
 * @t: the dGPUs it takes, with their audio functions and states
 * @n: how many
 * @path: receives the file's path
 * @pathlen: the size of @path
 *
 * Return: 0 or -errno.
 */
int gh_hook_prior_write(const char *domain, const struct gh_hook_take *t,
			unsigned int n, char *path, size_t pathlen)
{
	char *text = NULL;
	size_t len = 0;
	unsigned int i, j;
	FILE *f = open_memstream(&text, &len);
	int err;

	if (!f)
		return -ENOMEM;
	fprintf(f, "# gpuhelper hook: the states these were in before libvirt domain\n"
		   "# '%s' started; release gives each back.\n", domain);
	for (i = 0; i < n; i++) {
		fprintf(f, "dgpu %s %s\n", t[i].dgpu.bdf, gh_nl_state_name(t[i].dgpu.state));
		for (j = 0; j < t[i].naudio; j++)
			fprintf(f, "audio %s %s\n", t[i].audio[j].bdf,
				gh_nl_state_name(t[i].audio[j].state));
	}
	if (fclose(f)) {
		free(text);
		return -ENOMEM;
	}
	err = write_root_file(GH_HOOK_PRIOR_DIR, domain, text, len, path, pathlen);
	free(text);
	return err;
}

static int prior_line(char **w, int n, struct gh_hook_take *t, unsigned int *nt,
		      unsigned int max)
{
	struct gh_hook_fn *f;
	bool dgpu = n == 3 && !strcmp(w[0], "dgpu");

	if (n != 3 || (!dgpu && strcmp(w[0], "audio")))
		return -EINVAL;
	if (dgpu) {
		if (*nt == max)
			return -E2BIG;
		memset(&t[*nt], 0, sizeof(t[*nt]));
		f = &t[(*nt)++].dgpu;
	} else {
		if (!*nt || t[*nt - 1].naudio == GH_HOOK_AUDIO)
			return -EINVAL;
		f = &t[*nt - 1].audio[t[*nt - 1].naudio++];
	}
	if (gh_bdf_normalize(w[1], f->bdf, sizeof(f->bdf)) ||
	    gh_hook_state_parse(w[2], &f->state))
		return -EINVAL;
	return 0;
}

/**
 * gh_hook_prior_load() - the states prepare found for @domain
 * @domain: the domain
 * @t: receives the dGPUs, their audio functions and states
 * @max: room in @t
 * @why: receives why the file cannot be used
 * @whylen: the size of @why
 *
 * Return: how many dGPUs, -ENOENT when prepare took nothing, or -errno
 * with @why.
 */
int gh_hook_prior_load(const char *domain, struct gh_hook_take *t,
		       unsigned int max, char *why, size_t whylen)
{
	char path[GH_PATH_MAX], *text, *p, *line, *w[4];
	unsigned int nt = 0, lineno = 0;
	int n, err = 0;

	if (!gh_hook_name_ok(domain))
		return -ENOENT;
	err = gh_hook_read_trusted(GH_HOOK_PRIOR_DIR, domain, &text, path, sizeof(path),
				   why, whylen);
	if (err)
		return err;
	for (p = text; !err && (line = next_line(&p)); ) {
		lineno++;
		n = split(line, w, 3);
		if (n)
			err = prior_line(w, n, t, &nt, max);
	}
	free(text);
	if (err) {
		snprintf(why, whylen, "%s:%u: not 'dgpu|audio BDF STATE' as the hook writes: "
			 "hand the devices back by hand (gpuhelper handoff), then remove it",
			 path, lineno);
		return -EINVAL;
	}
	return (int)nt;
}

/**
 * gh_hook_prior_remove() - forget the states of @domain, all given back
 * @domain: the domain
 *
 * Return: 0 (also when there was nothing) or -errno.
 */
int gh_hook_prior_remove(const char *domain)
{
	char rel[GH_PATH_MAX], path[GH_PATH_MAX];

	if (!gh_hook_name_ok(domain))
		return 0;
	snprintf(rel, sizeof(rel), GH_HOOK_PRIOR_DIR "/%s", domain);
	if (gh_path(path, sizeof(path), rel))
		return -ENAMETOOLONG;
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return 0;
}
