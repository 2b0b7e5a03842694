/* vpn-doctor --bundle: turns the run's options into the bundle's list of members (the
 * device configuration, every AWS evidence file, the tunnel log, the capture) and has
 * libdiag/bundle write it, redacted.
 *
 * A run started as root that drops to --user splits in two, as OpenSSH's privilege
 * separation monitor does, only smaller: doctor_bundle_prepare (still root) creates the
 * temporary file beside OUT and fetches the kernel's XFRM dump, then forks. The parent
 * keeps root for one job, publishing: it waits for the child, and renames the file over
 * OUT only when the child wrote BUNDLE_DONE on the pipe after the archive was complete and
 * fsync'ed, else removes it. It reads nothing else from the child and parses no input. The
 * child drops privileges, runs, and doctor_bundle writes into the prepared file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cmd/doctor.h"
#include "libdiag/bundle/bundle.h"
#include "libdiag/exitcode.h"
#include "libdiag/xfrm/xfrm.h"

#define BUNDLE_FILES_MAX 512
#define NAME_LEN 300

struct files {
	struct bundle_file f[BUNDLE_FILES_MAX];
	char names[BUNDLE_FILES_MAX][NAME_LEN];
	char *paths[BUNDLE_FILES_MAX]; /* the ones this file allocated */
	size_t n;
};

static bool name_taken(const struct files *fs, const char *name)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->names[i], name) == 0)
			return true;
	return false;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	s = s ? s + 1 : path;
	return *s && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 ? s : "input";
}

/* dir/<basename of path>, made unique with "-2", "-3"... Returns 0, or -1 when the list
 * is full. owned: path was malloc'd here. */
static int add(struct files *fs, const char *dir, const char *path, enum bundle_kind kind,
	       char *owned)
{
	char *name;

	if (fs->n == BUNDLE_FILES_MAX) {
		free(owned);
		return -1;
	}
	name = fs->names[fs->n];
	snprintf(name, NAME_LEN, "%s/%.200s", dir, base_name(path));
	for (unsigned k = 2; name_taken(fs, name); k++)
		snprintf(name, NAME_LEN, "%s/%.200s-%u", dir, base_name(path), k);
	fs->f[fs->n] = (struct bundle_file){.name_in_bundle = name, .path = path, .kind = kind};
	fs->paths[fs->n++] = owned;
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcmp(s + n - k, suffix) == 0;
}

static int is_json_name(const struct dirent *d)
{
	return d->d_name[0] != '.' && ends_with(d->d_name, ".json");
}

/* Every *.json of an --aws-dir, as the loader reads them. */
static int add_dir(struct files *fs, const char *dir)
{
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, is_json_name, alphasort), rc = 0;

	for (int i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(ents[i]->d_name) + 2;
		char *p = malloc(len);

		if (p)
			snprintf(p, len, "%s/%s", dir, ents[i]->d_name);
		if (!p || add(fs, "aws", p, BUNDLE_AWS_JSON, p) < 0)
			rc = -1;
		free(ents[i]);
	}
	free(ents);
	return rc;
}

static int collect(struct files *fs, const struct doctor_cmd *c, const char *tool)
{
	int rc = 0;

	if (c->config)
		rc |= add(fs, "config", c->config, BUNDLE_DEVCONF, NULL);
	for (size_t i = 0; i < c->aws.n && i < sizeof c->aws.src / sizeof *c->aws.src; i++) {
		const struct aws_input_src *s = &c->aws.src[i];

		if (s->dir)
			rc |= add_dir(fs, s->path);
		else if (strcmp(s->path, "-") == 0)
			fprintf(stderr, "%s: --bundle: the AWS evidence read from stdin is not in "
					"the bundle\n", tool);
		else
			rc |= add(fs, "aws", s->path,
				  ends_with(s->path, ".xml") ? BUNDLE_AWS_XML : BUNDLE_AWS_JSON, NULL);
	}
	if (c->logs)
		rc |= add(fs, "logs", c->logs, BUNDLE_VPNLOG, NULL);
	if (c->so.pcap_file)
		rc |= add(fs, "capture", c->so.pcap_file, BUNDLE_PCAP, NULL);
	if (c->so.save_pcap && access(c->so.save_pcap, R_OK) == 0)
		rc |= add(fs, "capture", c->so.save_pcap, BUNDLE_PCAP, NULL);
	if (c->aws.live)
		fprintf(stderr, "%s: --bundle: the AWS evidence read with --live is in the report "
				"only\n", tool);
	return rc;
}

/* The text report without the terminal's colour escapes (ESC [ ... letter). */
static char *plain(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;

	if (!out)
		return NULL;
	for (const char *p = text; *p;) {
		if (p[0] == '\033' && p[1] == '[') {
			p += 2;
			while (*p && !((*p >= '@' && *p <= '~')))
				p++;
			p += *p ? 1 : 0;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

/* --demo runs in the scenario's private directory: a relative OUT means the directory
 * the user started in, which the shell leaves in PWD. */
static const char *out_path(const char *out, const struct doctor_cmd *c, char *buf, size_t cap)
{
	const char *pwd = getenv("PWD");

	if (!c->demo || out[0] == '/' || !pwd || pwd[0] != '/' ||
	    (size_t)snprintf(buf, cap, "%s/%s", pwd, out) >= cap)
		return out;
	return buf;
}

#define BUNDLE_DONE "complete\n"
#define XFRM_TIMEOUT_MS 2000
#define OUT_LEN 4096

/* What doctor_bundle_prepare left for the child (on: it ran, and this is the child). */
static struct {
	bool on;
	int fd, done_fd;             /* the temporary file; the pipe's write end */
	uint8_t *xfrm;               /* the XFRM dump, keys scrubbed */
	size_t xfrm_len;
	bool xfrm_failed;
	char xfrm_error[420];        /* why, when it failed */
} prep = {.fd = -1, .done_fd = -1};

static void prep_free_xfrm(void)
{
	if (prep.xfrm) {
		OPENSSL_cleanse(prep.xfrm, prep.xfrm_len);
		free(prep.xfrm);
	}
	prep.xfrm = NULL;
	prep.xfrm_len = 0;
}

/* The child's one message: BUNDLE_DONE, written once the archive is complete. Returns 0
 * or -1 (the parent is gone or the pipe failed). */
static int tell_done(int fd)
{
	const char *p = BUNDLE_DONE;
	size_t left = sizeof BUNDLE_DONE - 1;

	while (left > 0) {
		ssize_t w = write(fd, p, left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		left -= (size_t)w;
	}
	return 0;
}

/* Did the child say the bundle is complete? Exactly BUNDLE_DONE, nothing else. Reads
 * without blocking: the child has exited, but a process it started could hold the pipe. */
static bool child_done(int fd)
{
	char buf[sizeof BUNDLE_DONE + 8];
	size_t got = 0;
	ssize_t r;

	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		return false;
	while (got < sizeof buf && (r = read(fd, buf + got, sizeof buf - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		got += (size_t)r;
	}
	return got == sizeof BUNDLE_DONE - 1 && memcmp(buf, BUNDLE_DONE, got) == 0;
}

/* The parent: waits for the child, then publishes or removes tmp; never returns. Exits
 * with the child's status (128 + the signal that killed it), or 73 when the rename fails. */
static void __attribute__((noreturn)) monitor(pid_t pid, int done_fd, const char *tmp,
					      const char *out, const char *tool)
{
	int st = 0, rc;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			unlink(tmp);
			_exit(DIAG_EXIT_OSERR);
		}
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st)
							       : DIAG_EXIT_SOFTWARE;
	if (!child_done(done_fd)) {
		unlink(tmp);
		_exit(rc);
	}
	if (rename(tmp, out) < 0) {
		int e = errno;

		unlink(tmp);
		fprintf(stderr, "%s: --bundle: %s: %s\n", tool, out, strerror(e));
		_exit(DIAG_EXIT_CANTCREAT);
	}
	_exit(rc);
}

static void fetch_xfrm(void)
{
	struct diag_error err = {0};

	if (xfrm_dump_kernel(&prep.xfrm, &prep.xfrm_len, XFRM_TIMEOUT_MS, &err) < 0) {
		prep_free_xfrm();
		prep.xfrm_failed = true;
		diag_error_text(&err, prep.xfrm_error, sizeof prep.xfrm_error);
	}
}

int doctor_bundle_prepare(const struct doctor_cmd *c, const char *tool)
{
	static const int quiet[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
	char where[OUT_LEN], tmp[OUT_LEN + 16];
	const char *out;
	sigset_t block, old;
	int fd, p[2], e;
	pid_t pid;

	if (!c->bundle || prep.on)
		return 0;
	out = out_path(c->bundle, c, where, sizeof where);
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", out) >= sizeof tmp) {
		fprintf(stderr, "%s: --bundle: %s: name too long\n", tool, out);
		return DIAG_EXIT_CANTCREAT;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0 || fchmod(fd, BUNDLE_MODE) < 0) {
		e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		fprintf(stderr, "%s: --bundle: %s: %s\n", tool, out, strerror(e));
		return DIAG_EXIT_CANTCREAT;
	}
	fetch_xfrm();
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof quiet / sizeof *quiet; i++)
		sigaddset(&block, quiet[i]);
	signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN would reap the child unseen */
	if (pipe2(p, O_CLOEXEC) < 0) {
		e = errno;
		goto fail;
	}
	/* blocked across fork: a ^C now must neither kill the parent before it ignores
	 * signals nor leave the temporary file behind */
	sigprocmask(SIG_BLOCK, &block, &old);
	if ((pid = fork()) < 0) {
		e = errno;
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(p[0]);
		close(p[1]);
		goto fail;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(p[0]);
		prep.on = true;
		prep.fd = fd;
		prep.done_fd = p[1];
		return 0;
	}
	/* the parent needs only the pipe and stderr: not the file, nor whatever else was
	 * opened for the child before the drop (capture and raw sockets) */
	if (p[0] > 3)
		close_range(3, (unsigned)p[0] - 1, 0);
	close_range(p[0] < 3 ? 3 : (unsigned)p[0] + 1, ~0U, 0);
	prep_free_xfrm();
	for (size_t i = 0; i < sizeof quiet / sizeof *quiet; i++)
		signal(quiet[i], SIG_IGN); /* the child, in the same process group, gets them */
	sigprocmask(SIG_SETMASK, &old, NULL);
	monitor(pid, p[0], tmp, out, tool);
fail:
	close(fd);
	unlink(tmp);
	prep_free_xfrm();
	fprintf(stderr, "%s: --bundle: %s\n", tool, strerror(e));
	return DIAG_EXIT_OSERR;
}

/* Writes the bundle into the prepared file and tells the parent it is complete. Returns
 * 0 or -1 (err filled). */
static int write_prepared(struct bundle_in *in, const char *out, struct diag_error *err)
{
	int rc;

	in->have_xfrm_dump = true;
	in->xfrm_dump = prep.xfrm;
	in->xfrm_dump_len = prep.xfrm_len;
	in->xfrm_dump_error = prep.xfrm_failed ? prep.xfrm_error : NULL;
	rc = bundle_write_fd(prep.fd, in, err);
	if (rc < 0 && err->code == BUNDLE_EXIT_CANTCREAT && strcmp(err->where, "bundle") == 0)
		snprintf(err->where, sizeof err->where, "%s", out);
	if (rc == 0 && tell_done(prep.done_fd) < 0)
		rc = diag_fail(err, BUNDLE_EXIT_CANTCREAT, out, "the process that publishes it "
							       "is gone");
	close(prep.fd);
	close(prep.done_fd);
	prep.fd = prep.done_fd = -1;
	prep.on = false;
	prep_free_xfrm();
	return rc;
}

int doctor_bundle(const char *out, const char *text, const char *json, const char *md,
		  const struct doctor_cmd *c, const char *tool)
{
	static struct files fs;
	struct diag_error err = {0};
	struct bundle_in in;
	char where[OUT_LEN], msg[512], *txt = text ? plain(text) : NULL;
	int rc = 0;

	memset(&fs, 0, sizeof fs);
	if ((text && !txt) || collect(&fs, c, tool) < 0) {
		fprintf(stderr, "%s: --bundle %s: out of memory or too many inputs\n", tool, out);
		rc = DIAG_EXIT_SOFTWARE;
		goto done;
	}
	in = (struct bundle_in){.report_text = txt, .report_json = json, .report_md = md,
				.files = fs.f, .nfiles = fs.n, .collect_env = true};
	out = out_path(out, c, where, sizeof where);
	if ((prep.on ? write_prepared(&in, out, &err) : bundle_write(out, &in, &err)) < 0) {
		fprintf(stderr, "%s: --bundle: %s\n", tool,
			diag_error_text(&err, msg, sizeof msg));
		rc = err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
	}
done:
	for (size_t i = 0; i < fs.n; i++)
		free(fs.paths[i]);
	free(txt);
	return rc;
}
