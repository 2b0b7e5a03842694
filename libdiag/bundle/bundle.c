/* bundle_write: gathers every member in memory (the reports, the inputs, the machine's
 * picture), lets one redactor learn the secrets of all of them (device configurations
 * first), and only then writes the redacted members into a private temporary file that
 * becomes OUT when complete (bundle_write), or into a file the caller opened and will
 * publish itself (bundle_write_fd, for a run that dropped root). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "libdiag/bundle/bundle.h"
#include "libdiag/bundle/bundle_internal.h"
#include "libdiag/redact.h"
#include "libdiag/wipebuf.h"

extern char **environ;

#define NAME_MAX_LEN 1024

/* One member before it is written: its text (not yet redacted), or a capture's fd. */
struct member {
	char *name;
	char *data;
	size_t len;
	enum bundle_kind kind;
	int fd;          /* BUNDLE_PCAP: open, size bytes long */
	uint64_t size;
};

struct members {
	struct member *m;
	size_t n, cap;
	bool oom;
};

static void member_free(struct member *m)
{
	if (m->data) {
		OPENSSL_cleanse(m->data, m->len);
		free(m->data);
	}
	if (m->fd >= 0)
		close(m->fd);
	free(m->name);
}

static void members_free(struct members *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		member_free(&ms->m[i]);
	free(ms->m);
}

/* Takes data (malloc'd, len bytes) or fd; frees them when it fails. */
static int members_add(struct members *ms, const char *prefix, const char *name, char *data,
		       size_t len, enum bundle_kind kind, int fd, uint64_t size)
{
	struct member m = {.data = data, .len = len, .kind = kind, .fd = fd, .size = size};
	size_t n = strlen(prefix) + strlen(name) + 1;

	if ((m.name = malloc(n)) != NULL)
		snprintf(m.name, n, "%s%s", prefix, name);
	if (m.name && ms->n == ms->cap) {
		size_t nc = ms->cap ? ms->cap * 2 : 32;
		struct member *nm = realloc(ms->m, nc * sizeof *nm);

		if (nm) {
			ms->m = nm;
			ms->cap = nc;
		}
	}
	if (!m.name || ms->n == ms->cap) {
		member_free(&m);
		ms->oom = true;
		return -1;
	}
	ms->m[ms->n++] = m;
	return 0;
}

static int add_text(struct members *ms, const char *name, const char *text, size_t len,
		    enum bundle_kind kind)
{
	char *copy = malloc(len + 1);

	if (!copy) {
		ms->oom = true;
		return -1;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	return members_add(ms, "", name, copy, len, kind, -1, 0);
}

static int emit_env(void *arg, const char *name, const char *text, size_t len)
{
	return add_text(arg, name, text, len, BUNDLE_TEXT);
}

/* Bundle names are relative, without "..", empty or odd components: tar would refuse
 * them or, worse, an old tar would write outside the directory it extracts in. */
static bool name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	const char *p = name;

	if (n == 0 || n > NAME_MAX_LEN || name[0] == '/')
		return false;
	for (const char *c = name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '\\')
			return false;
	while (p) {
		const char *slash = strchr(p, '/');
		size_t k = slash ? (size_t)(slash - p) : strlen(p);

		if (k == 0 || (k == 1 && p[0] == '.') || (k == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p = slash ? slash + 1 : NULL;
	}
	return true;
}

/* Reads one input whole into a wiped buffer. Returns 0 or -1 (err: 66 or 70). */
static int read_input(const struct bundle_file *f, char **data, size_t *len,
		      struct diag_error *err)
{
	struct wipebuf b = {.max = BUNDLE_INPUT_MAX};
	char buf[65536];
	int fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOCTTY), e;
	ssize_t r;

	if (fd < 0)
		return diag_fail(err, DIAG_EXIT_NOINPUT, f->path, "%s", strerror(errno));
	while ((r = read(fd, buf, sizeof buf)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			close(fd);
			wipebuf_free(&b);
			OPENSSL_cleanse(buf, sizeof buf);
			return diag_fail(err, DIAG_EXIT_NOINPUT, f->path, "%s", strerror(e));
		}
		if (wipebuf_add(&b, buf, (size_t)r) < 0) {
			bool big = b.len + (size_t)r > BUNDLE_INPUT_MAX;

			close(fd);
			wipebuf_free(&b);
			OPENSSL_cleanse(buf, sizeof buf);
			return big ? diag_fail(err, DIAG_EXIT_NOINPUT, f->path,
					       "larger than %u MiB", BUNDLE_INPUT_MAX >> 20)
				   : diag_fail(err, DIAG_EXIT_SOFTWARE, f->path, "out of memory");
		}
	}
	close(fd);
	OPENSSL_cleanse(buf, sizeof buf);
	if (!(*data = wipebuf_take(&b, len))) {
		wipebuf_free(&b);
		return diag_fail(err, DIAG_EXIT_SOFTWARE, f->path, "out of memory");
	}
	return 0;
}

static int open_capture(const struct bundle_file *f, int *fd, uint64_t *size,
			struct diag_error *err)
{
	struct stat st;

	*fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (*fd < 0)
		return diag_fail(err, DIAG_EXIT_NOINPUT, f->path, "%s", strerror(errno));
	if (fstat(*fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = S_ISREG(st.st_mode) ? errno : EINVAL;

		close(*fd);
		*fd = -1;
		return diag_fail(err, DIAG_EXIT_NOINPUT, f->path, "%s",
				 e == EINVAL ? "not a regular file" : strerror(e));
	}
	*size = (uint64_t)st.st_size;
	return 0;
}

static int gather(struct members *ms, const struct bundle_in *in, struct diag_error *err)
{
	const char *reports[3][2] = {
		{"report.txt", in->report_text}, {"report.json", in->report_json},
		{"report.md", in->report_md},
	};

	for (size_t i = 0; i < 3; i++)
		if (reports[i][1] &&
		    add_text(ms, reports[i][0], reports[i][1], strlen(reports[i][1]), BUNDLE_TEXT) < 0)
			goto oom;
	for (size_t i = 0; i < in->nfiles; i++) {
		const struct bundle_file *f = &in->files[i];
		char *data = NULL;
		size_t len = 0;
		int fd = -1;
		uint64_t size = 0;

		if (!name_ok(f->name_in_bundle))
			return diag_fail(err, DIAG_EXIT_USAGE, f->path ? f->path : "bundle",
					 "not a name for a bundle member");
		if (!f->path)
			return diag_fail(err, DIAG_EXIT_USAGE, f->name_in_bundle, "no path");
		if (f->kind == BUNDLE_PCAP ? open_capture(f, &fd, &size, err) < 0
					   : read_input(f, &data, &len, err) < 0)
			return -1;
		if (members_add(ms, "inputs/", f->name_in_bundle, data, len, f->kind, fd, size) < 0)
			goto oom;
	}
	if (in->collect_env && bundle_env_collect(in, emit_env, ms) < 0)
		goto oom;
	if (bundle_versions(emit_env, ms) < 0)
		goto oom;
	return 0;
oom:
	return diag_fail(err, DIAG_EXIT_SOFTWARE, "bundle", "out of memory");
}

static enum redact_kind kind_of(enum bundle_kind k)
{
	return k == BUNDLE_DEVCONF ? REDACT_CONFIG : REDACT_PROSE;
}

/* Redacts every text once, device configurations first, only to learn their secrets. */
static int learn(struct redactor *r, const struct members *ms)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < ms->n; i++) {
			const struct member *m = &ms->m[i];
			size_t n;
			char *out;

			if (m->kind == BUNDLE_PCAP || (m->kind == BUNDLE_DEVCONF) != (pass == 0))
				continue;
			if (!(out = redact_text(r, kind_of(m->kind), m->data, m->len, &n)))
				return -1;
			OPENSSL_cleanse(out, n);
			free(out);
		}
	return 0;
}

static int64_t bundle_mtime(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (sde && *sde) {
		errno = 0;
		v = strtoll(sde, &end, 10);
		if (!errno && !*end && v >= 0)
			return v;
	}
	return (int64_t)time(NULL);
}

/* Writes every member, redacted, into t. Returns 0 or -1 (err filled). */
static int write_members(struct bundle_tar *t, struct redactor *r, const struct members *ms,
			 struct diag_error *err)
{
	for (size_t i = 0; i < ms->n; i++) {
		const struct member *m = &ms->m[i];
		size_t n;
		char *out;
		int rc;

		if (m->kind == BUNDLE_PCAP) {
			rc = bundle_tar_add_fd(t, m->name, m->fd, m->size);
			if (rc == -2)
				return diag_fail(err, DIAG_EXIT_NOINPUT, m->name, "read failed");
		} else {
			if (!(out = redact_text(r, kind_of(m->kind), m->data, m->len, &n)))
				return diag_fail(err, DIAG_EXIT_SOFTWARE, m->name, "out of memory");
			rc = bundle_tar_add(t, m->name, out, n);
			OPENSSL_cleanse(out, n);
			free(out);
		}
		if (rc < 0)
			return -1;
	}
	return bundle_tar_end(t);
}

/* Writes the archive into fd (gzip owns a duplicate, so fd stays open) and fsyncs it.
 * Returns 0 or -1 (err filled, where: where). */
static int write_archive(int fd, const char *where, struct redactor *r,
			 const struct members *ms, struct diag_error *err)
{
	struct bundle_tar t = {.mtime = bundle_mtime()};
	int gfd, zrc, e;

	if ((gfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0 || !(t.gz = gzdopen(gfd, "wb9"))) {
		e = errno;
		if (gfd >= 0)
			close(gfd);
		return diag_fail(err, BUNDLE_EXIT_CANTCREAT, where, "%s",
				 e ? strerror(e) : "cannot start gzip");
	}
	errno = 0;
	if (write_members(&t, r, ms, err) < 0) {
		e = errno;
		gzclose(t.gz);
		return diag_fail(err, BUNDLE_EXIT_CANTCREAT, where, "write failed%s%s",
				 e ? ": " : "", e ? strerror(e) : "");
	}
	errno = 0;
	if ((zrc = gzclose(t.gz)) != Z_OK) {
		e = errno;
		return diag_fail(err, BUNDLE_EXIT_CANTCREAT, where, "write failed: %s",
				 zrc == Z_ERRNO && e ? strerror(e) : "gzip");
	}
	if (fsync(fd) < 0)
		return diag_fail(err, BUNDLE_EXIT_CANTCREAT, where, "fsync: %s", strerror(errno));
	return 0;
}

/* Gathers, learns the secrets, writes into fd. Returns 0 or -1 (err filled). */
static int write_fd(int fd, const char *where, const struct bundle_in *in,
		    struct diag_error *err)
{
	struct members ms = {0};
	struct redactor *r = NULL;
	int rc = -1;

	if (gather(&ms, in, err) < 0)
		goto out;
	if (!(r = redactor_new())) {
		diag_fail(err, DIAG_EXIT_SOFTWARE, "bundle", "out of memory");
		goto out;
	}
	redactor_learn_env(r, environ);
	if (learn(r, &ms) < 0) {
		diag_fail(err, DIAG_EXIT_SOFTWARE, "bundle", "out of memory");
		goto out;
	}
	rc = write_archive(fd, where, r, &ms, err);
out:
	redactor_free(r);
	members_free(&ms);
	return rc;
}

int bundle_write_fd(int fd, const struct bundle_in *in, struct diag_error *err)
{
	if (fd < 0 || !in)
		return diag_fail(err, DIAG_EXIT_USAGE, "bundle", "no output file");
	return write_fd(fd, "bundle", in, err);
}

int bundle_write(const char *out_path, const struct bundle_in *in, struct diag_error *err)
{
	char tmp[PATH_MAX + 16];
	int fd, rc = -1;

	if (!out_path || !*out_path || !in)
		return diag_fail(err, DIAG_EXIT_USAGE, "bundle", "no output file");
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", out_path) >= sizeof tmp)
		return diag_fail(err, BUNDLE_EXIT_CANTCREAT, out_path, "name too long");
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		return diag_fail(err, BUNDLE_EXIT_CANTCREAT, out_path, "%s", strerror(errno));
	if (fchmod(fd, BUNDLE_MODE) < 0)
		diag_fail(err, BUNDLE_EXIT_CANTCREAT, out_path, "%s", strerror(errno));
	else if (write_fd(fd, out_path, in, err) == 0)
		rc = 0;
	if (close(fd) < 0 && rc == 0)
		rc = diag_fail(err, BUNDLE_EXIT_CANTCREAT, out_path, "%s", strerror(errno));
	if (rc == 0 && rename(tmp, out_path) < 0)
		rc = diag_fail(err, BUNDLE_EXIT_CANTCREAT, out_path, "%s", strerror(errno));
	if (rc < 0)
		unlink(tmp);
	return rc;
}
