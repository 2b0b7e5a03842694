/* vpn-doctor --bundle: turns the run's options into the bundle's list of members (the
 * device configuration, every AWS evidence file, the tunnel log, the capture) and has
 * libdiag/bundle write it, redacted. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/doctor.h"
#include "libdiag/bundle/bundle.h"
#include "libdiag/exitcode.h"

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

int doctor_bundle(const char *out, const char *text, const char *json, const char *md,
		  const struct doctor_cmd *c, const char *tool)
{
	static struct files fs;
	struct diag_error err = {0};
	struct bundle_in in;
	char where[4096], msg[512], *txt = text ? plain(text) : NULL;
	int rc = 0;

	memset(&fs, 0, sizeof fs);
	if ((text && !txt) || collect(&fs, c, tool) < 0) {
		fprintf(stderr, "%s: --bundle %s: out of memory or too many inputs\n", tool, out);
		rc = DIAG_EXIT_SOFTWARE;
		goto done;
	}
	in = (struct bundle_in){.report_text = txt, .report_json = json, .report_md = md,
				.files = fs.f, .nfiles = fs.n, .collect_env = true};
	if (bundle_write(out_path(out, c, where, sizeof where), &in, &err) < 0) {
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
