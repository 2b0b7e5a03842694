/* The AWS credentials chain (see creds.h): environment, shared files, web identity through
 * STS AssumeRoleWithWebIdentity, IMDSv2. Every request goes through libdiag/http.h
 * (creds_http sets this file's timeouts and answer cap).
 * Every buffer that held a secret (file text, token file, answers, form bodies) is wiped
 * with OPENSSL_cleanse before it is freed. */
#include "libdiag/aws/creds.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <expat.h>
#include <openssl/crypto.h>

#include "libdiag/http.h"
#include "libdiag/preopen.h"

#define CREDS_FILE_MAX ((size_t)1 << 20)     /* a shared file or an answer */
#define CREDS_TOKEN_FILE_MAX ((size_t)64 << 10)
#define INI_LINE_MAX ((size_t)64 << 10)
#define EXPIRY_MARGIN_S 60
#define IMDS_DEFAULT "http://169.254.169.254"
#define IMDS_TTL_S "21600"
#define STS_VERSION "2011-06-15"
#define CREDS_CONNECT_MS 1000L
#define IMDS_TOTAL_MS 5000L
#define STS_TOTAL_MS 10000L
#define CREDS_WHY_LEN sizeof(((struct diag_error *)0)->what)

/* ---- small helpers ------------------------------------------------------------------ */

static void wipe_free(char *p, size_t n)
{
	if (p) {
		OPENSSL_cleanse(p, n);
		free(p);
	}
}

static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && v[0] ? v : NULL;
}

/* Copies src into dst[len]; -1 when it does not fit (dst then holds ""). */
static int copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len) {
		dst[0] = '\0';
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

void aws_creds_clear(struct aws_creds *c)
{
	if (c)
		OPENSSL_cleanse(c, sizeof *c);
}

int aws_creds_expired(const struct aws_creds *c, time_t now)
{
	return c->expiration != 0 && c->expiration <= (long long)now + EXPIRY_MARGIN_S;
}

static time_t opts_now(const struct aws_creds_opts *o)
{
	return o && o->now ? o->now : time(NULL);
}

/* "2024-01-02T03:04:05Z", with optional fractional seconds and "Z" / "+00:00" / "+0000".
 * Returns 0 and *out, -1 when s is not such a time. */
static int parse_iso8601(const char *s, long long *out)
{
	struct tm tm;
	const char *p;
	int off_sign = 0, oh = 0, om = 0;

	memset(&tm, 0, sizeof tm);
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		return -1;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' && p[1] == '\0') {
		/* UTC */
	} else if ((*p == '+' || *p == '-') &&
		   (sscanf(p + 1, "%2d:%2d", &oh, &om) == 2 ||
		    sscanf(p + 1, "%2d%2d", &oh, &om) == 2)) {
		off_sign = *p == '+' ? 1 : -1;
	} else {
		return -1;
	}
	*out = (long long)timegm(&tm) - off_sign * (oh * 3600LL + om * 60LL);
	return 0;
}

static void format_time(long long t, char *out, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, len, "%lld", t);
}

/* Reads a whole file (at most max bytes) into a NUL-terminated buffer. Returns 1 and the
 * buffer, 0 when the file does not exist, -1 with errno (EFBIG when too large). */
static int read_file(const char *path, size_t max, char **out, size_t *out_len)
{
	int kept = preopen_take_file(path); /* opened before a privilege drop */
	FILE *fp = kept >= 0 ? fdopen(kept, "rb") : errno == ENOENT ? NULL : fopen(path, "rb");
	char *buf;
	size_t n = 0, got;
	struct stat st;

	*out = NULL;
	*out_len = 0;
	if (!fp) {
		if (kept >= 0)
			close(kept);
		return errno == ENOENT ? 0 : -1;
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		errno = EISDIR;
		return -1;
	}
	buf = malloc(max + 1);
	if (!buf) {
		fclose(fp);
		errno = ENOMEM;
		return -1;
	}
	while ((got = fread(buf + n, 1, max + 1 - n, fp)) > 0) {
		n += got;
		if (n > max) {
			wipe_free(buf, max + 1);
			fclose(fp);
			errno = EFBIG;
			return -1;
		}
	}
	if (ferror(fp)) {
		int e = errno ? errno : EIO;

		wipe_free(buf, max + 1);
		fclose(fp);
		errno = e;
		return -1;
	}
	fclose(fp);
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
	return 1;
}

/* ---- the INI parser ----------------------------------------------------------------- */

struct ini_state {
	const char *name;
	aws_ini_cb cb;
	void *ctx;
	struct diag_error *err;
	char section[256];
	bool in_section;
	/* The last key line, kept until the next key so that indented continuation lines
	 * can extend its value. */
	char key[256];
	char *value;
	size_t value_len, value_cap;
	unsigned key_line;
	bool have_key;
	bool nested;               /* the key's value was empty: indented lines are sub-keys */
};

static int ini_fail(struct ini_state *st, unsigned line, const char *what)
{
	char where[160];

	snprintf(where, sizeof where, "%s:%u", st->name, line);
	return diag_fail(st->err, DIAG_EXIT_DATAERR, where, "%s", what);
}

static bool ini_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}

static void trim(const char **s, size_t *n)
{
	while (*n && ini_ws(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && ini_ws((*s)[*n - 1]))
		(*n)--;
}

static int ini_set_value(struct ini_state *st, const char *v, size_t n, bool append)
{
	size_t need = (append ? st->value_len + 1 : 0) + n + 1;

	if (need > st->value_cap) {
		size_t cap = need < 256 ? 256 : need * 2;
		char *nv = malloc(cap);

		if (!nv)
			return -1;
		if (st->value) {
			memcpy(nv, st->value, st->value_len + 1);
			wipe_free(st->value, st->value_cap);
		}
		st->value = nv;
		st->value_cap = cap;
	}
	if (!append)
		st->value_len = 0;
	else
		st->value[st->value_len++] = '\n';
	memcpy(st->value + st->value_len, v, n);
	st->value_len += n;
	st->value[st->value_len] = '\0';
	return 0;
}

/* Hands the pending key to the callback; returns the callback's value. */
static int ini_flush(struct ini_state *st)
{
	int rc = 0;

	if (st->have_key && !st->nested)
		rc = st->cb(st->ctx, st->section, st->key, st->value ? st->value : "",
			    st->key_line);
	st->have_key = false;
	st->nested = false;
	return rc;
}

/* Lower-cased, trimmed key into out; -1 when empty or too long. */
static int ini_key(const char *k, size_t n, char *out, size_t len)
{
	trim(&k, &n);
	if (n == 0 || n >= len)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)k[i]);
	out[n] = '\0';
	return 0;
}

static int ini_section(struct ini_state *st, const char *s, size_t n, unsigned line)
{
	const char *close = memchr(s, ']', n);
	const char *rest, *name = s + 1;
	size_t rn, nn;
	int rc = ini_flush(st);

	if (rc)
		return rc;
	if (!close)
		return ini_fail(st, line, "section header without ']'");
	rest = close + 1;
	rn = n - (size_t)(rest - s);
	trim(&rest, &rn);
	if (rn && rest[0] != '#' && rest[0] != ';')
		return ini_fail(st, line, "text after the section header");
	nn = (size_t)(close - name);
	trim(&name, &nn);
	if (nn == 0)
		return ini_fail(st, line, "empty section name");
	if (nn >= sizeof st->section)
		return ini_fail(st, line, "section name longer than 255 bytes");
	if (memchr(name, '[', nn))
		return ini_fail(st, line, "'[' inside a section name");
	memcpy(st->section, name, nn);
	st->section[nn] = '\0';
	st->in_section = true;
	return 0;
}

/* An indented line after a key: a sub-key of an empty-valued key, or a continuation. */
static int ini_indented(struct ini_state *st, const char *s, size_t n, unsigned line)
{
	if (st->nested || (st->have_key && st->value_len == 0)) {
		const char *eq = memchr(s, '=', n);
		char sub[256], full[256];

		if (!st->nested) {
			/* The parent "key =" itself is reported with an empty value first. */
			int rc = ini_flush(st);

			if (rc)
				return rc;
			st->have_key = true;
			st->nested = true;
		}
		if (!eq || ini_key(s, (size_t)(eq - s), sub, sizeof sub) < 0)
			return ini_fail(st, line, "expected 'name = value' in a nested block");
		if (snprintf(full, sizeof full, "%s.%s", st->key, sub) >= (int)sizeof full)
			return ini_fail(st, line, "nested key longer than 255 bytes");
		const char *v = eq + 1;
		size_t vn = n - (size_t)(v - s);

		trim(&v, &vn);
		char *val = strndup(v, vn);

		if (!val)
			return diag_fail(st->err, DIAG_EXIT_SOFTWARE, st->name, "out of memory");
		int rc = st->cb(st->ctx, st->section, full, val, line);

		wipe_free(val, vn + 1);
		return rc;
	}
	trim(&s, &n);
	if (ini_set_value(st, s, n, true) < 0)
		return diag_fail(st->err, DIAG_EXIT_SOFTWARE, st->name, "out of memory");
	return 0;
}

static int ini_keyline(struct ini_state *st, const char *s, size_t n, unsigned line)
{
	const char *eq = NULL;
	int rc = ini_flush(st);

	if (rc)
		return rc;
	for (size_t i = 0; i < n && !eq; i++)
		if (s[i] == '=' || s[i] == ':')
			eq = s + i;
	if (!eq)
		return ini_fail(st, line, "expected '[section]' or 'name = value'");
	if (!st->in_section)
		return ini_fail(st, line, "'name = value' before any [section]");
	if (ini_key(s, (size_t)(eq - s), st->key, sizeof st->key) < 0)
		return ini_fail(st, line, eq == s ? "empty name before '='"
						 : "name longer than 255 bytes");
	const char *v = eq + 1;
	size_t vn = n - (size_t)(v - s);

	trim(&v, &vn);
	if (ini_set_value(st, v, vn, false) < 0)
		return diag_fail(st->err, DIAG_EXIT_SOFTWARE, st->name, "out of memory");
	st->have_key = true;
	st->key_line = line;
	return 0;
}

static int ini_line(struct ini_state *st, const char *s, size_t n, unsigned line)
{
	const char *t = s;
	size_t tn = n;
	bool indented = n > 0 && (s[0] == ' ' || s[0] == '\t');

	trim(&t, &tn);
	if (tn == 0 || t[0] == '#' || t[0] == ';')
		return 0;
	if (indented && st->have_key)
		return ini_indented(st, t, tn, line);
	if (t[0] == '[')
		return ini_section(st, t, tn, line);
	return ini_keyline(st, t, tn, line);
}

int aws_ini_parse(const char *text, size_t len, const char *name, aws_ini_cb cb, void *ctx,
		  struct diag_error *err)
{
	struct ini_state st;
	unsigned line = 0;
	size_t off = 0;
	int rc = 0;

	memset(&st, 0, sizeof st);
	st.name = name ? name : "config";
	st.cb = cb;
	st.ctx = ctx;
	st.err = err;
	/* A UTF-8 byte order mark is not part of the first line. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	while (off < len && rc == 0) {
		const char *s = text + off;
		const char *nl = memchr(s, '\n', len - off);
		size_t n = nl ? (size_t)(nl - s) : len - off;

		line++;
		off += n + (nl ? 1 : 0);
		if (n > INI_LINE_MAX)
			rc = ini_fail(&st, line, "line longer than 64 KiB");
		else if (memchr(s, '\0', n))
			rc = ini_fail(&st, line, "NUL byte in the line");
		else
			rc = ini_line(&st, s, n, line);
	}
	if (rc == 0)
		rc = ini_flush(&st);
	wipe_free(st.value, st.value_cap);
	OPENSSL_cleanse(&st, sizeof st);
	return rc;
}

/* ---- HTTP, through libdiag/http.h -------------------------------------------------- */

/* Fills in this file's limits and sends req: answers capped at CREDS_FILE_MAX, o's
 * timeouts, else a CREDS_CONNECT_MS connect timeout (so a laptop without IMDS fails fast)
 * and total_ms. Returns 0 when an HTTP answer arrived, whatever its status (rs filled; the
 * caller frees it with http_response_free), or -1 when the transfer failed: *code is then
 * DIAG_EXIT_NOINPUT for a CA bundle libcurl cannot read, DIAG_EXIT_SOFTWARE when memory ran
 * out, DIAG_EXIT_UNAVAILABLE otherwise, and why holds http.h's message (curl's, which names
 * neither a header nor the body). */
static int creds_http(const struct aws_creds_opts *o, struct http_request *req, long total_ms,
		      struct http_response *rs, enum diag_exit *code, char *why, size_t why_len)
{
	struct diag_error e;

	memset(&e, 0, sizeof e);
	req->ca_bundle = o ? o->ca_bundle : NULL;
	req->connect_timeout_ms = o && o->connect_timeout_ms ? o->connect_timeout_ms
							     : CREDS_CONNECT_MS;
	req->timeout_ms = o && o->timeout_ms ? o->timeout_ms : total_ms;
	req->max_body = CREDS_FILE_MAX;
	if (http_request(req, rs, &e) == 0)
		return 0;
	*code = e.code == DIAG_EXIT_NOINPUT || e.code == DIAG_EXIT_SOFTWARE
			? e.code : DIAG_EXIT_UNAVAILABLE;
	snprintf(why, why_len, "%s", e.what);
	return -1;
}

/* ---- 1. environment ----------------------------------------------------------------- */

int aws_creds_from_env(struct aws_creds *out, struct diag_error *err)
{
	const char *id = env_nonempty("AWS_ACCESS_KEY_ID");
	const char *secret = env_nonempty("AWS_SECRET_ACCESS_KEY");
	const char *token = env_nonempty("AWS_SESSION_TOKEN");
	const char *exp = env_nonempty("AWS_CREDENTIAL_EXPIRATION");

	aws_creds_clear(out);
	if (!id && !secret)
		return 0;
	if (!id || !secret)
		return diag_fail(err, DIAG_EXIT_NOPERM, "environment", "%s is set but %s is not",
				 id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
				 id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
	if (copy_str(out->access_key_id, sizeof out->access_key_id, id) < 0 ||
	    copy_str(out->secret_access_key, sizeof out->secret_access_key, secret) < 0 ||
	    (token && copy_str(out->session_token, sizeof out->session_token, token) < 0)) {
		aws_creds_clear(out);
		return diag_fail(err, DIAG_EXIT_DATAERR, "environment",
				 "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN "
				 "is too long");
	}
	if (exp && parse_iso8601(exp, &out->expiration) < 0) {
		aws_creds_clear(out);
		return diag_fail(err, DIAG_EXIT_DATAERR, "environment",
				 "AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time");
	}
	snprintf(out->source, sizeof out->source, "environment");
	return 1;
}

/* ---- 2. shared files ---------------------------------------------------------------- */

struct profile {
	const char *want;          /* profile name */
	struct diag_error *err;
	bool config_file;          /* sections are "profile NAME" (and "default") */
	bool found;                /* a section of the profile exists */
	char file_name[160];       /* for errors */
	/* Values; a later file (the credentials file) overwrites the config file's. */
	char akid[128], secret[128], token[2048], expiration[64];
	char region[64];
	char role_arn[2048], token_file[4096], session_name[128];
	char unsupported[64];      /* a key naming a source we cannot use (source_profile) */
	unsigned akid_line, secret_line;
	char akid_file[160], secret_file[160];
};

static void profile_clear(struct profile *p)
{
	OPENSSL_cleanse(p, sizeof *p);
}

/* "profile NAME" (any white space between), or "default" alone in the config file. */
static bool section_is(const struct profile *p, const char *section)
{
	if (!p->config_file)
		return strcmp(section, p->want) == 0;
	if (strcmp(p->want, "default") == 0 && strcmp(section, "default") == 0)
		return true;
	if (strncmp(section, "profile", 7) != 0 || (section[7] != ' ' && section[7] != '\t'))
		return false;
	const char *n = section + 7;

	while (*n == ' ' || *n == '\t')
		n++;
	return strcmp(n, p->want) == 0;
}

static int profile_cb(void *ctx, const char *section, const char *key, const char *value,
		      unsigned line)
{
	static const struct {
		const char *key;
		size_t off, len;
	} fields[] = {
#define F(k, m) {k, offsetof(struct profile, m), sizeof ((struct profile *)0)->m}
		F("aws_access_key_id", akid),
		F("aws_secret_access_key", secret),
		F("aws_session_token", token),
		F("aws_security_token", token),
		F("aws_credential_expiration", expiration),
		F("region", region),
		F("role_arn", role_arn),
		F("web_identity_token_file", token_file),
		F("role_session_name", session_name),
#undef F
	};
	static const char *const unsupported[] = {"source_profile", "credential_source",
						  "credential_process", "sso_start_url",
						  "sso_session"};
	struct profile *p = ctx;

	if (!section_is(p, section))
		return 0;
	p->found = true;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (strcmp(key, fields[i].key) != 0)
			continue;
		if (copy_str((char *)p + fields[i].off, fields[i].len, value) < 0) {
			/* Name the key, never the value. */
			char where[200];

			snprintf(where, sizeof where, "%s:%u", p->file_name, line);
			return diag_fail(p->err, DIAG_EXIT_DATAERR, where, "%s is longer than %zu bytes",
					 key, fields[i].len - 1);
		}
		if (strcmp(key, "aws_access_key_id") == 0) {
			p->akid_line = line;
			snprintf(p->akid_file, sizeof p->akid_file, "%s", p->file_name);
		} else if (strcmp(key, "aws_secret_access_key") == 0) {
			p->secret_line = line;
			snprintf(p->secret_file, sizeof p->secret_file, "%s", p->file_name);
		}
		return 0;
	}
	for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++)
		if (strcmp(key, unsupported[i]) == 0 && !p->unsupported[0])
			snprintf(p->unsupported, sizeof p->unsupported, "%s", key);
	return 0;
}

/* PATH with a leading "~/" taken as $HOME, as the AWS CLI reads the paths it is given. */
static void expand_home(const char *path, char *out, size_t len)
{
	const char *home = env_nonempty("HOME");

	if (path[0] == '~' && path[1] == '/' && home)
		snprintf(out, len, "%s/%s", home, path + 2);
	else
		snprintf(out, len, "%s", path);
}

/* The file's path and the name errors use: "~/.aws/config" for the default. */
static int shared_file_path(bool config, char *path, size_t plen, char *disp, size_t dlen)
{
	const char *env = env_nonempty(config ? "AWS_CONFIG_FILE" : "AWS_SHARED_CREDENTIALS_FILE");
	const char *home = env_nonempty("HOME");
	const char *def = config ? ".aws/config" : ".aws/credentials";

	if (env) {
		expand_home(env, path, plen);
		snprintf(disp, dlen, "%s", env);
		return 0;
	}
	if (!home)
		return -1;
	snprintf(path, plen, "%s/%s", home, def);
	snprintf(disp, dlen, "~/%s", def);
	return 0;
}

/* Reads one shared file into p. Returns 0 (also for a missing file), -1 with err. */
static int profile_read_file(struct profile *p, bool config, struct diag_error *err)
{
	char path[4096], disp[160];
	char *text;
	size_t len;
	int rc;

	if (shared_file_path(config, path, sizeof path, disp, sizeof disp) < 0)
		return 0;
	rc = read_file(path, CREDS_FILE_MAX, &text, &len);
	if (rc == 0)
		return 0;
	if (rc < 0)
		return diag_fail(err, errno == EFBIG ? DIAG_EXIT_DATAERR : DIAG_EXIT_NOINPUT, disp,
				 "%s", errno == EFBIG ? "larger than 1 MiB" : strerror(errno));
	p->config_file = config;
	snprintf(p->file_name, sizeof p->file_name, "%s", disp);
	p->err = err;
	rc = aws_ini_parse(text, len, disp, profile_cb, p, err);
	wipe_free(text, len + 1);
	return rc < 0 ? -1 : 0;
}

static const char *profile_name(const struct aws_creds_opts *o, bool *explicit_name)
{
	const char *n = o && o->profile && o->profile[0] ? o->profile : NULL;

	if (!n)
		n = env_nonempty("AWS_PROFILE");
	if (!n)
		n = env_nonempty("AWS_DEFAULT_PROFILE");
	*explicit_name = n != NULL;
	return n ? n : "default";
}

/* Both files, config first so the credentials file wins. */
static int profile_load(const char *name, struct profile *p, struct diag_error *err)
{
	memset(p, 0, sizeof *p);
	p->want = name;
	if (profile_read_file(p, true, err) < 0 || profile_read_file(p, false, err) < 0) {
		profile_clear(p);
		return -1;
	}
	return 0;
}

/* The token file the chain takes from the profile: only a profile without keys that names
 * a role and a token file uses it. NULL otherwise. */
static const char *profile_token_file(const struct profile *p)
{
	if (!p->found || p->akid[0] || p->secret[0] || !p->role_arn[0] || !p->token_file[0])
		return NULL;
	return p->token_file;
}

size_t aws_creds_files(const char *profile, char (*paths)[AWS_CREDS_PATH_MAX], size_t max)
{
	const struct aws_creds_opts o = {.profile = profile};
	const char *token = env_nonempty("AWS_WEB_IDENTITY_TOKEN_FILE");
	char disp[AWS_CREDS_PATH_MAX];
	bool explicit_name;
	struct profile p;
	size_t n = 0;

	for (int config = 0; config < 2 && n < max; config++)
		if (shared_file_path(config, paths[n], sizeof paths[n], disp, sizeof disp) == 0)
			n++;
	if (token && n < max)
		expand_home(token, paths[n++], sizeof paths[0]);
	/* A token file named by the profile is known only by reading the shared files. A
	 * broken file is left for the chain to report, with its place, after the drop. */
	if (n < max && profile_load(profile_name(&o, &explicit_name), &p, NULL) == 0) {
		const char *file = profile_token_file(&p);

		if (file)
			expand_home(file, paths[n++], sizeof paths[0]);
		profile_clear(&p);
	}
	return n;
}

static int web_identity(const struct aws_creds_opts *o, const char *role_arn,
			const char *token_file, const char *session_name, const char *source,
			struct aws_creds *out, struct diag_error *err);

int aws_creds_from_profile(const struct aws_creds_opts *o, struct aws_creds *out,
			   struct diag_error *err)
{
	bool explicit_name;
	const char *name = profile_name(o, &explicit_name);
	struct profile p;
	char src[64];
	int rc = 0;

	aws_creds_clear(out);
	if (profile_load(name, &p, err) < 0)
		return -1;
	snprintf(src, sizeof src, "profile %.55s", name);
	if (!p.found) {
		if (explicit_name)
			rc = diag_fail(err, DIAG_EXIT_NOPERM, src,
				       "not found in the shared credentials or config file");
	} else if (p.akid[0] || p.secret[0]) {
		if (!p.akid[0] || !p.secret[0]) {
			char where[200];

			snprintf(where, sizeof where, "%s:%u", p.akid[0] ? p.akid_file : p.secret_file,
				 p.akid[0] ? p.akid_line : p.secret_line);
			rc = diag_fail(err, DIAG_EXIT_NOPERM, where, "profile %s: %s without %s", name,
				       p.akid[0] ? "aws_access_key_id" : "aws_secret_access_key",
				       p.akid[0] ? "aws_secret_access_key" : "aws_access_key_id");
		} else {
			memcpy(out->access_key_id, p.akid, sizeof out->access_key_id);
			memcpy(out->secret_access_key, p.secret, sizeof out->secret_access_key);
			memcpy(out->session_token, p.token, sizeof out->session_token);
			snprintf(out->source, sizeof out->source, "%s", src);
			rc = 1;
			if (p.expiration[0] && parse_iso8601(p.expiration, &out->expiration) < 0) {
				aws_creds_clear(out);
				rc = diag_fail(err, DIAG_EXIT_DATAERR, src,
					       "aws_credential_expiration is not an ISO 8601 time");
			}
		}
	} else if (profile_token_file(&p)) {
		char wsrc[64];

		snprintf(wsrc, sizeof wsrc, "web identity (%.48s)", src);
		rc = web_identity(o, p.role_arn, p.token_file,
				  p.session_name[0] ? p.session_name : NULL, wsrc, out, err);
	} else if (p.role_arn[0] || p.unsupported[0]) {
		rc = diag_fail(err, DIAG_EXIT_UNAVAILABLE, src,
			       "%s is not supported; export credentials to the environment "
			       "(aws configure export-credentials --format env)",
			       p.unsupported[0] ? p.unsupported : "role_arn without web_identity_token_file");
	}
	profile_clear(&p);
	return rc;
}

int aws_region_resolve(const char *profile, char *out, size_t out_len, struct diag_error *err)
{
	struct aws_creds_opts o = {.profile = profile};
	const char *r = env_nonempty("AWS_REGION");
	bool explicit_name;
	struct profile p;

	if (out_len)
		out[0] = '\0';
	if (!r)
		r = env_nonempty("AWS_DEFAULT_REGION");
	if (r) {
		if (copy_str(out, out_len, r) < 0)
			return diag_fail(err, DIAG_EXIT_USAGE, "AWS_REGION", "region name too long");
		return 1;
	}
	memset(&p, 0, sizeof p);
	p.want = profile_name(&o, &explicit_name);
	if (profile_read_file(&p, true, err) < 0) {
		profile_clear(&p);
		return -1;
	}
	int rc = p.region[0] ? (copy_str(out, out_len, p.region) < 0 ? -1 : 1) : 0;

	profile_clear(&p);
	if (rc < 0)
		return diag_fail(err, DIAG_EXIT_USAGE, "region", "region name too long");
	return rc;
}

/* ---- 3. web identity (STS AssumeRoleWithWebIdentity) --------------------------------- */

/* What the STS answer parser collects; the texts are the elements' text. */
struct sts_answer {
	XML_Parser p;
	int depth;
	bool in_creds, in_error;
	char akid[128], secret[128], token[2048], expiration[64];
	char code[64], message[256];
	bool overflow, doctype;
	char *text;                /* the current element's text */
	size_t text_len, text_cap;
	bool collecting;
};

static const char *local_name(const XML_Char *name)
{
	const char *sep = strrchr(name, '\x01');

	if (!sep)
		sep = strrchr(name, ':');
	return sep ? sep + 1 : name;
}

static void XMLCALL sts_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct sts_answer *a = ud;
	const char *l = local_name(name);

	(void)attrs;
	if (++a->depth > 16) {
		XML_StopParser(a->p, XML_FALSE);
		return;
	}
	if (strcmp(l, "Credentials") == 0)
		a->in_creds = true;
	else if (strcmp(l, "Error") == 0)
		a->in_error = true;
	a->collecting = a->in_creds || a->in_error;
	a->text_len = 0;
	if (a->text)
		a->text[0] = '\0';
}

static void XMLCALL sts_text(void *ud, const XML_Char *s, int len)
{
	struct sts_answer *a = ud;

	if (!a->collecting || len <= 0)
		return;
	if (a->text_len + (size_t)len + 1 > a->text_cap) {
		size_t cap = a->text_cap ? a->text_cap * 2 : 512;
		char *nt;

		while (cap < a->text_len + (size_t)len + 1)
			cap *= 2;
		if (cap > 65536) {
			a->overflow = true;
			XML_StopParser(a->p, XML_FALSE);
			return;
		}
		nt = malloc(cap);
		if (!nt) {
			a->overflow = true;
			XML_StopParser(a->p, XML_FALSE);
			return;
		}
		if (a->text) {
			memcpy(nt, a->text, a->text_len);
			wipe_free(a->text, a->text_cap);
		}
		a->text = nt;
		a->text_cap = cap;
	}
	memcpy(a->text + a->text_len, s, (size_t)len);
	a->text_len += (size_t)len;
	a->text[a->text_len] = '\0';
}

static void sts_store(struct sts_answer *a, char *dst, size_t len)
{
	const char *t = a->text ? a->text : "";
	size_t n = a->text_len;

	trim(&t, &n);
	if (n >= len) {
		a->overflow = true;
		return;
	}
	memcpy(dst, t, n);
	dst[n] = '\0';
}

static void XMLCALL sts_end(void *ud, const XML_Char *name)
{
	struct sts_answer *a = ud;
	const char *l = local_name(name);

	a->depth--;
	if (a->in_creds) {
		if (strcmp(l, "AccessKeyId") == 0)
			sts_store(a, a->akid, sizeof a->akid);
		else if (strcmp(l, "SecretAccessKey") == 0)
			sts_store(a, a->secret, sizeof a->secret);
		else if (strcmp(l, "SessionToken") == 0)
			sts_store(a, a->token, sizeof a->token);
		else if (strcmp(l, "Expiration") == 0)
			sts_store(a, a->expiration, sizeof a->expiration);
		else if (strcmp(l, "Credentials") == 0)
			a->in_creds = false;
	} else if (a->in_error) {
		if (strcmp(l, "Code") == 0)
			sts_store(a, a->code, sizeof a->code);
		else if (strcmp(l, "Message") == 0) {
			/* Messages are for people: keep the first 255 bytes. */
			if (a->text_len >= sizeof a->message) {
				a->text_len = sizeof a->message - 1;
				a->text[a->text_len] = '\0';
			}
			sts_store(a, a->message, sizeof a->message);
		} else if (strcmp(l, "Error") == 0)
			a->in_error = false;
	}
	a->text_len = 0;
	if (a->text)
		a->text[0] = '\0';
}

static void XMLCALL sts_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
				const XML_Char *pubid, int has_internal_subset)
{
	struct sts_answer *a = ud;

	(void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
	a->doctype = true;
	XML_StopParser(a->p, XML_FALSE);
}

/* Parses an STS answer (success or ErrorResponse); -1 with *why when it is not XML. */
static int sts_parse(const char *body, size_t len, struct sts_answer *a, const char **why)
{
	enum XML_Status st;

	memset(a, 0, sizeof *a);
	a->p = XML_ParserCreateNS(NULL, '\x01');
	if (!a->p) {
		*why = "out of memory";
		return -1;
	}
	XML_SetUserData(a->p, a);
	XML_SetElementHandler(a->p, sts_start, sts_end);
	XML_SetCharacterDataHandler(a->p, sts_text);
	XML_SetStartDoctypeDeclHandler(a->p, sts_doctype);
	st = XML_Parse(a->p, body, (int)len, XML_TRUE);
	XML_ParserFree(a->p);
	a->p = NULL;
	wipe_free(a->text, a->text_cap);
	a->text = NULL;
	if (a->doctype) {
		*why = "the answer has a DOCTYPE";
		return -1;
	}
	if (a->overflow) {
		*why = "an element of the answer is too long";
		return -1;
	}
	if (st != XML_STATUS_OK || a->depth > 16) {
		*why = "the answer is not well-formed XML";
		return -1;
	}
	return 0;
}

static void form_add(char *out, size_t len, size_t *o, const char *name, const char *value,
		     bool *overflow)
{
	long n;

	if (*overflow)
		return;
	n = snprintf(out + *o, len - *o, "%s%s=", *o ? "&" : "", name);
	if (n < 0 || (size_t)n >= len - *o) {
		*overflow = true;
		return;
	}
	*o += (size_t)n;
	n = sigv4_uri_encode(value, strlen(value), 0, out + *o, len - *o);
	if (n < 0) {
		*overflow = true;
		return;
	}
	*o += (size_t)n;
}

/* The STS endpoint URL into out. */
static void sts_url(const struct aws_creds_opts *o, char *out, size_t len)
{
	const char *e = o && o->sts_endpoint ? o->sts_endpoint : NULL;
	char region[64] = "";

	if (!e)
		e = env_nonempty("AWS_ENDPOINT_URL_STS");
	if (!e)
		e = env_nonempty("AWS_STS_ENDPOINT_URL");
	if (!e)
		e = env_nonempty("AWS_ENDPOINT_URL");
	if (e) {
		snprintf(out, len, "%s", e);
		return;
	}
	if (o && o->region && o->region[0])
		snprintf(region, sizeof region, "%s", o->region);
	else if (aws_region_resolve(o ? o->profile : NULL, region, sizeof region, NULL) != 1)
		region[0] = '\0';
	if (region[0])
		snprintf(out, len, "https://sts.%s.amazonaws.com/", region);
	else
		snprintf(out, len, "https://sts.amazonaws.com/");
}

/* Reads and trims the web identity token; 0, or -1 with err. The token is a secret. */
static int read_token_file(const char *path, const char *source, char **token,
			   size_t *cap, struct diag_error *err)
{
	char full[4096];
	size_t len;
	int rc;

	expand_home(path, full, sizeof full);
	rc = read_file(full, CREDS_TOKEN_FILE_MAX, token, &len);
	if (rc <= 0) {
		int e = rc == 0 ? ENOENT : errno;

		return diag_fail(err, e == EFBIG ? DIAG_EXIT_DATAERR : DIAG_EXIT_NOINPUT, source,
				 "token file %s: %s", path,
				 e == EFBIG ? "larger than 64 KiB" : strerror(e));
	}
	*cap = len + 1;
	while (len && isspace((unsigned char)(*token)[len - 1]))
		(*token)[--len] = '\0';
	size_t skip = strspn(*token, " \t\r\n");

	memmove(*token, *token + skip, len - skip + 1);
	if (!(*token)[0]) {
		wipe_free(*token, *cap);
		*token = NULL;
		return diag_fail(err, DIAG_EXIT_DATAERR, source, "token file %s is empty", path);
	}
	return 0;
}

/* True when msg contains the token or its first 24 bytes (a JWT's header and more). */
static bool quotes_secret(const char *msg, const char *token)
{
	char head[25];
	size_t n = token ? strlen(token) : 0;

	if (n == 0)
		return false;
	if (strstr(msg, token))
		return true;
	if (n > 24)
		n = 24;
	memcpy(head, token, n);
	head[n] = '\0';
	return n >= 8 && strstr(msg, head) != NULL;
}

/* Turns an STS HTTP error into err; the message is dropped if it quotes the token. */
/* AWS error codes are words like AccessDenied or ExpiredTokenException. */
static bool plain_code(const char *code)
{
	if (!code[0])
		return false;
	for (const char *p = code; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_')
			return false;
	return true;
}

static enum diag_exit sts_exit_code(const char *code)
{
	static const char *const denied[] = {"AccessDenied", "ExpiredTokenException",
					     "InvalidIdentityToken", "IDPRejectedClaim"};

	for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++)
		if (strcmp(code, denied[i]) == 0)
			return DIAG_EXIT_NOPERM;
	return DIAG_EXIT_UNAVAILABLE;
}

static int sts_error(int status, const char *body, size_t len, const char *token,
		     const char *source, struct diag_error *err)
{
	struct sts_answer a;
	const char *why;

	if (sts_parse(body, len, &a, &why) == 0 && plain_code(a.code) &&
	    !quotes_secret(a.code, token)) {
		bool say = a.message[0] && !quotes_secret(a.message, token);

		diag_fail(err, sts_exit_code(a.code), source,
			  "STS AssumeRoleWithWebIdentity: HTTP %d %s%s%s", status, a.code,
			  say ? ": " : "", say ? a.message : "");
	} else {
		diag_fail(err, status == 403 ? DIAG_EXIT_NOPERM : DIAG_EXIT_UNAVAILABLE, source,
			  "STS AssumeRoleWithWebIdentity: HTTP %d", status);
	}
	OPENSSL_cleanse(&a, sizeof a);
	return -1;
}

/* The STS answer's credentials into out; 1, or -1 with err. */
static int sts_credentials(const char *body, size_t len, const char *source,
			   struct aws_creds *out, struct diag_error *err)
{
	struct sts_answer a;
	const char *why = NULL;
	int rc = -1;

	if (sts_parse(body, len, &a, &why) < 0) {
		diag_fail(err, DIAG_EXIT_DATAERR, source, "STS AssumeRoleWithWebIdentity: %s", why);
	} else if (!a.akid[0] || !a.secret[0] || !a.token[0]) {
		diag_fail(err, DIAG_EXIT_DATAERR, source,
			  "STS AssumeRoleWithWebIdentity: no Credentials/%s in the answer",
			  !a.akid[0] ? "AccessKeyId" : !a.secret[0] ? "SecretAccessKey" : "SessionToken");
	} else if (a.expiration[0] && parse_iso8601(a.expiration, &out->expiration) < 0) {
		diag_fail(err, DIAG_EXIT_DATAERR, source,
			  "STS AssumeRoleWithWebIdentity: Credentials/Expiration is not a time");
	} else {
		memcpy(out->access_key_id, a.akid, sizeof out->access_key_id);
		memcpy(out->secret_access_key, a.secret, sizeof out->secret_access_key);
		memcpy(out->session_token, a.token, sizeof out->session_token);
		snprintf(out->source, sizeof out->source, "%s", source);
		rc = 1;
	}
	OPENSSL_cleanse(&a, sizeof a);
	if (rc < 0)
		aws_creds_clear(out);
	return rc;
}

int aws_creds_parse_sts(const char *body, size_t len, long status, const char *token,
			const char *source, struct aws_creds *out, struct diag_error *err)
{
	aws_creds_clear(out);
	if (!source)
		source = "web identity";
	if (status != 200)
		return sts_error((int)status, body, len, token, source, err);
	return sts_credentials(body, len, source, out, err);
}

static int web_identity(const struct aws_creds_opts *o, const char *role_arn,
			const char *token_file, const char *session_name, const char *source,
			struct aws_creds *out, struct diag_error *err)
{
	/* http.h adds the blank "Expect:" that stops curl waiting for "100 Continue". */
	static const char *const hdr[] = {"Content-Type: application/x-www-form-urlencoded",
					  "Accept: application/xml", NULL};
	char *token = NULL, *form = NULL, url[2048], why[CREDS_WHY_LEN], sess[128];
	size_t token_cap = 0, form_len = 0, form_cap;
	bool overflow = false;
	struct http_request req;
	struct http_response h;
	enum diag_exit code;
	int rc = -1;

	aws_creds_clear(out);
	if (read_token_file(token_file, source, &token, &token_cap, err) < 0)
		return -1;
	if (session_name)
		snprintf(sess, sizeof sess, "%s", session_name);
	else
		snprintf(sess, sizeof sess, "vpn-doctor-%lld", (long long)opts_now(o));
	form_cap = 3 * (strlen(token) + strlen(role_arn) + strlen(sess)) + 256;
	form = malloc(form_cap);
	if (!form) {
		wipe_free(token, token_cap);
		return diag_fail(err, DIAG_EXIT_SOFTWARE, source, "out of memory");
	}
	form[0] = '\0';
	form_add(form, form_cap, &form_len, "Action", "AssumeRoleWithWebIdentity", &overflow);
	form_add(form, form_cap, &form_len, "Version", STS_VERSION, &overflow);
	form_add(form, form_cap, &form_len, "RoleArn", role_arn, &overflow);
	form_add(form, form_cap, &form_len, "RoleSessionName", sess, &overflow);
	form_add(form, form_cap, &form_len, "WebIdentityToken", token, &overflow);
	sts_url(o, url, sizeof url);
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.headers = hdr;
	req.body = form;
	req.body_len = form_len;
	if (overflow) {
		diag_fail(err, DIAG_EXIT_SOFTWARE, source, "request too large");
	} else if (creds_http(o, &req, STS_TOTAL_MS, &h, &code, why, sizeof why) < 0) {
		diag_fail(err, code, source, "STS AssumeRoleWithWebIdentity: %s", why);
	} else {
		rc = aws_creds_parse_sts(h.body ? h.body : "", h.len, h.status, token, source, out,
					 err);
		http_response_free(&h);
	}
	wipe_free(form, form_cap);
	wipe_free(token, token_cap);
	return rc;
}

int aws_creds_from_web_identity(const struct aws_creds_opts *o, struct aws_creds *out,
				struct diag_error *err)
{
	const char *arn = env_nonempty("AWS_ROLE_ARN");
	const char *file = env_nonempty("AWS_WEB_IDENTITY_TOKEN_FILE");

	aws_creds_clear(out);
	if (!arn && !file)
		return 0;
	if (!arn || !file)
		return diag_fail(err, DIAG_EXIT_NOPERM, "web identity", "%s is set but %s is not",
				 arn ? "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE",
				 arn ? "AWS_WEB_IDENTITY_TOKEN_FILE" : "AWS_ROLE_ARN");
	return web_identity(o, arn, file, env_nonempty("AWS_ROLE_SESSION_NAME"), "web identity",
			    out, err);
}

/* ---- 4. IMDSv2 ---------------------------------------------------------------------- */

static bool imds_disabled(void)
{
	const char *d = env_nonempty("AWS_EC2_METADATA_DISABLED");

	return d && strcasecmp(d, "true") == 0;
}

static void imds_base(const struct aws_creds_opts *o, char *out, size_t len)
{
	const char *e = o && o->imds_endpoint ? o->imds_endpoint : NULL;
	size_t n;

	if (!e)
		e = env_nonempty("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	snprintf(out, len, "%s", e ? e : IMDS_DEFAULT);
	n = strlen(out);
	while (n && out[n - 1] == '/')
		out[--n] = '\0';
}

/* One IMDS request (hdr NULL-terminated), always direct: the service is link-local, no
 * proxy can reach it. A PUT sends an empty body. Returns 0 with h filled (any status), or
 * -1 when no answer came (*code and why as creds_http sets them). */
static int imds_do(const struct aws_creds_opts *o, const char *method, const char *url,
		   const char *const *hdr, struct http_response *h, enum diag_exit *code,
		   char *why, size_t why_len)
{
	struct http_request req;

	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.headers = hdr;
	if (strcmp(method, "GET") != 0)
		req.body = "";
	req.no_proxy = true;
	return creds_http(o, &req, IMDS_TOTAL_MS, h, code, why, why_len);
}

/* Wipes every string in j (they hold the secret key and the token). */
static void wipe_json_strings(cJSON *j)
{
	cJSON *it;

	if (cJSON_IsString(j) && j->valuestring)
		OPENSSL_cleanse(j->valuestring, strlen(j->valuestring));
	cJSON_ArrayForEach(it, j)
		wipe_json_strings(it);
}

static void wipe_json(cJSON *j)
{
	if (j) {
		wipe_json_strings(j);
		cJSON_Delete(j);
	}
}

int aws_creds_parse_imds(const char *body, size_t len, struct aws_creds *out,
			 struct diag_error *err)
{
	cJSON *j = cJSON_ParseWithLength(body, len);
	static const char *const keys[] = {"AccessKeyId", "SecretAccessKey", "Token"};
	char *const dst[] = {out->access_key_id, out->secret_access_key, out->session_token};
	const size_t cap[] = {sizeof out->access_key_id, sizeof out->secret_access_key,
			      sizeof out->session_token};
	const cJSON *code, *exp;
	int rc = 1;

	aws_creds_clear(out);
	if (!cJSON_IsObject(j)) {
		wipe_json(j);
		return diag_fail(err, DIAG_EXIT_DATAERR, "imds", "credentials answer is not a JSON object");
	}
	code = cJSON_GetObjectItemCaseSensitive(j, "Code");
	if (cJSON_IsString(code) && strcmp(code->valuestring, "Success") != 0) {
		/* Not echoed: an answer's text is not ours to print. */
		rc = diag_fail(err, DIAG_EXIT_UNAVAILABLE, "imds", "$.Code is not Success");
		goto out;
	}
	for (size_t i = 0; i < 3 && rc == 1; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, keys[i]);

		if (!cJSON_IsString(v) || !v->valuestring[0])
			rc = diag_fail(err, DIAG_EXIT_DATAERR, "imds", "$.%s is missing or not a string",
				       keys[i]);
		else if (copy_str(dst[i], cap[i], v->valuestring) < 0)
			rc = diag_fail(err, DIAG_EXIT_DATAERR, "imds", "$.%s is too long", keys[i]);
	}
	exp = cJSON_GetObjectItemCaseSensitive(j, "Expiration");
	if (rc == 1 && exp && (!cJSON_IsString(exp) ||
			       parse_iso8601(exp->valuestring, &out->expiration) < 0))
		rc = diag_fail(err, DIAG_EXIT_DATAERR, "imds", "$.Expiration is not an ISO 8601 time");
out:
	wipe_json(j);
	if (rc == 1)
		snprintf(out->source, sizeof out->source, "imds");
	else
		aws_creds_clear(out);
	return rc;
}

/* The first role name of the listing, validated; -1 when there is none usable. */
static int imds_role(const char *body, char *role, size_t len)
{
	size_t n = strcspn(body, "\r\n");

	if (n == 0 || n >= len)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)body[i]) || body[i] == '/' || body[i] == '?' ||
		    body[i] == '#' || body[i] == '%')
			return -1;
	memcpy(role, body, n);
	role[n] = '\0';
	return 0;
}

/* Steps 1 and 2 of IMDSv2: the session token, then the role name. Returns 1 with both,
 * 0 with note set when IMDS is not there for us (no answer, the token refused: IMDSv1 is
 * not tried, no role attached), -1 with err when it answered wrongly. */
static int imds_role_name(const struct aws_creds_opts *o, const char *base, char *tok_hdr,
			  size_t tok_len, char *role, size_t role_len, char *note,
			  size_t note_len, struct diag_error *err)
{
	/* http.h adds the blank "Content-Type:" that keeps curl's form type off the PUT. */
	static const char *const put_hdr[] = {"X-aws-ec2-metadata-token-ttl-seconds: " IMDS_TTL_S,
					      NULL};
	const char *const get_hdr[] = {tok_hdr, NULL};
	char url[1400], why[CREDS_WHY_LEN];
	struct http_response h;
	enum diag_exit code;
	int rc = 1;

	snprintf(url, sizeof url, "%s/latest/api/token", base);
	if (imds_do(o, "PUT", url, put_hdr, &h, &code, why, sizeof why) != 0) {
		snprintf(note, note_len, "no answer: %.80s", why);
		return 0;
	}
	if (h.status != 200 || h.len == 0 || h.len > 256 || strcspn(h.body, "\r\n") != h.len) {
		snprintf(note, note_len, "token request answered HTTP %ld", h.status);
		http_response_free(&h);
		return 0;
	}
	snprintf(tok_hdr, tok_len, "X-aws-ec2-metadata-token: %s", h.body);
	http_response_free(&h);

	snprintf(url, sizeof url, "%s/latest/meta-data/iam/security-credentials/", base);
	if (imds_do(o, "GET", url, get_hdr, &h, &code, why, sizeof why) != 0)
		return diag_fail(err, code, "imds", "%s", why);
	if (h.status == 404) {
		snprintf(note, note_len, "no IAM role attached");
		rc = 0;
	} else if (h.status != 200) {
		rc = diag_fail(err, DIAG_EXIT_UNAVAILABLE, "imds",
			       "iam/security-credentials/ answered HTTP %ld", h.status);
	} else if (!h.body || imds_role(h.body, role, role_len) < 0) {
		rc = diag_fail(err, DIAG_EXIT_DATAERR, "imds",
			       "iam/security-credentials/: no usable role name");
	}
	http_response_free(&h);
	return rc;
}

static int imds_fetch(const struct aws_creds_opts *o, struct aws_creds *out, char *note,
		      size_t note_len, struct diag_error *err)
{
	char base[1024], url[1400], why[CREDS_WHY_LEN], tok_hdr[256 + 64], role[256];
	const char *const get_hdr[] = {tok_hdr, NULL};
	struct http_response h;
	enum diag_exit code;
	int rc;

	aws_creds_clear(out);
	if (imds_disabled()) {
		snprintf(note, note_len, "disabled");
		return 0;
	}
	imds_base(o, base, sizeof base);
	rc = imds_role_name(o, base, tok_hdr, sizeof tok_hdr, role, sizeof role, note, note_len,
			    err);
	if (rc != 1)
		goto out;
	snprintf(url, sizeof url, "%s/latest/meta-data/iam/security-credentials/%s", base, role);
	if (imds_do(o, "GET", url, get_hdr, &h, &code, why, sizeof why) != 0) {
		rc = diag_fail(err, code, "imds", "%s", why);
		goto out;
	}
	if (h.status != 200 || !h.body)
		rc = diag_fail(err, DIAG_EXIT_UNAVAILABLE, "imds",
			       "iam/security-credentials/%s answered HTTP %ld", role, h.status);
	else
		rc = aws_creds_parse_imds(h.body, h.len, out, err);
	http_response_free(&h);
out:
	OPENSSL_cleanse(tok_hdr, sizeof tok_hdr);
	return rc;
}

int aws_creds_from_imds(const struct aws_creds_opts *o, struct aws_creds *out,
			struct diag_error *err)
{
	char note[160];

	return imds_fetch(o, out, note, sizeof note, err);
}

/* ---- the chain ---------------------------------------------------------------------- */

/* Accepts what a source returned: expired credentials are an error naming the source. */
static int accept_creds(struct aws_creds *out, time_t now, struct diag_error *err)
{
	char when[32];

	if (!aws_creds_expired(out, now))
		return 0;
	format_time(out->expiration, when, sizeof when);
	diag_fail(err, DIAG_EXIT_NOPERM, out->source, "credentials expired at %s", when);
	aws_creds_clear(out);
	return -1;
}

int aws_creds_resolve(const struct aws_creds_opts *o, struct aws_creds *out,
		      struct diag_error *err)
{
	bool explicit_name;
	const char *profile = profile_name(o, &explicit_name);
	time_t now = opts_now(o);
	char imds_note[160] = "";
	int rc;

	aws_creds_clear(out);
	rc = aws_creds_from_env(out, err);
	if (rc == 0)
		rc = aws_creds_from_profile(o, out, err);
	if (rc == 0)
		rc = aws_creds_from_web_identity(o, out, err);
	if (rc == 0)
		rc = imds_fetch(o, out, imds_note, sizeof imds_note, err);
	if (rc < 0) {
		aws_creds_clear(out);
		return -1;
	}
	if (rc == 0)
		return diag_fail(err, DIAG_EXIT_NOPERM, "aws credentials",
				 "none found: tried environment, profile %.40s (shared files), "
				 "web identity (AWS_ROLE_ARN), imds (%.100s)",
				 profile, imds_note);
	return accept_creds(out, now, err);
}
