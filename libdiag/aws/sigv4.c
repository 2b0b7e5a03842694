/* AWS Signature Version 4: canonical request, string to sign, signing key, signature.
 * The rules and their sources are in sigv4.h; the crypto is OpenSSL's (EVP_Digest, HMAC). */
#include "libdiag/aws/sigv4.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "libdiag/wipebuf.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_MAX_HEADERS 256

/* The texts being built hold the session token: wipebuf wipes every block it drops, and
 * its `failed` sticks, so a builder appends everything and checks it once. */
static void sb_adds(struct wipebuf *s, const char *str)
{
	wipebuf_add(s, str, strlen(str));
}

static void sb_addc(struct wipebuf *s, char c)
{
	wipebuf_add(s, &c, 1);
}

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

static void sb_encode(struct wipebuf *s, const char *in, size_t len, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (is_unreserved(c) || (keep_slash && c == '/')) {
			sb_addc(s, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};

			wipebuf_add(s, e, 3);
		}
	}
}

long sigv4_uri_encode(const char *in, size_t len, int keep_slash, char *out, size_t out_len)
{
	struct wipebuf s = {0};
	long n = -1;

	sb_encode(&s, in, len, keep_slash != 0);
	if (out_len)
		out[0] = '\0';
	if (!s.failed && s.len < out_len) {
		memcpy(out, s.p ? s.p : "", s.len + 1);
		n = (long)s.len;
	}
	wipebuf_free(&s);
	return n;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes valid %XX escapes of in[0..len) into a new NUL-terminated string (a stray '%'
 * stays as it is); *out_len is its length, which may include decoded NUL bytes. */
static char *pct_decode(const char *in, size_t len, size_t *out_len)
{
	char *out = malloc(len + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (in[i] == '%' && i + 2 < len && (hi = hexval(in[i + 1])) >= 0 &&
		    (lo = hexval(in[i + 2])) >= 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

int sigv4_sha256_hex(const void *data, size_t len, char out[SIGV4_SHA256_HEX_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	out[0] = '\0';
	if (EVP_Digest(data ? data : "", len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32)
		return -1;
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

void sigv4_amz_date(time_t t, char out[SIGV4_AMZ_DATE_LEN])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(out, SIGV4_AMZ_DATE_LEN, "%Y%m%dT%H%M%SZ", &tm) != 16)
		snprintf(out, SIGV4_AMZ_DATE_LEN, "19700101T000000Z");
}

static bool valid_amz_date(const char *d)
{
	if (!d || strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z')
		return false;
	for (int i = 0; i < 15; i++)
		if (i != 8 && !isdigit((unsigned char)d[i]))
			return false;
	return true;
}

/* ---- canonical URI ------------------------------------------------------------------ */

/* Non-S3 services: remove "." and ".." segments and empty segments (repeated '/'), keep a
 * trailing '/', and encode each segment as it is (so an escape the caller already made is
 * encoded a second time). */
static void canonical_uri_normalised(struct wipebuf *out, const char *path)
{
	size_t plen = strlen(path);
	const char **seg = NULL;
	size_t *seglen = NULL, n = 0, cap = 0;
	bool trailing = plen > 0 && path[plen - 1] == '/';

	for (size_t i = 0; i <= plen;) {
		size_t j = i;

		while (j < plen && path[j] != '/')
			j++;
		size_t l = j - i;

		if (l == 0 || (l == 1 && path[i] == '.')) {
			/* skip */
		} else if (l == 2 && path[i] == '.' && path[i + 1] == '.') {
			if (n)
				n--;
		} else {
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 16;
				const char **ns = realloc(seg, nc * sizeof *ns);

				if (!ns) {
					out->failed = true;
					break;
				}
				seg = ns;
				size_t *nl = realloc(seglen, nc * sizeof *nl);

				if (!nl) {
					out->failed = true;
					break;
				}
				seglen = nl;
				cap = nc;
			}
			seg[n] = path + i;
			seglen[n++] = l;
		}
		i = j + 1;
	}
	sb_addc(out, '/');
	for (size_t k = 0; k < n && !out->failed; k++) {
		if (k)
			sb_addc(out, '/');
		sb_encode(out, seg[k], seglen[k], false);
	}
	if (trailing && n > 0)
		sb_addc(out, '/');
	free(seg);
	free(seglen);
}

/* S3: no normalisation; the path is decoded once and encoded once. */
static void canonical_uri_s3(struct wipebuf *out, const char *path)
{
	size_t dlen;
	char *d = pct_decode(path, strlen(path), &dlen);

	if (!d) {
		out->failed = true;
		return;
	}
	if (d[0] != '/')
		sb_addc(out, '/');
	sb_encode(out, d, dlen, true);
	free(d);
}

/* ---- canonical query ---------------------------------------------------------------- */

struct qpair {
	char *key, *value;  /* encoded */
};

static int qpair_cmp(const void *a, const void *b)
{
	const struct qpair *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->value, y->value);
}

/* Decodes and re-encodes one name or value into a new string; NULL on OOM. */
static char *requote(const char *in, size_t len)
{
	size_t dlen;
	char *d = pct_decode(in, len, &dlen);
	struct wipebuf s = {0};

	if (!d)
		return NULL;
	sb_encode(&s, d, dlen, false);
	free(d);
	if (s.failed) {
		wipebuf_free(&s);
		return NULL;
	}
	return wipebuf_take(&s, NULL);
}

static void canonical_query(struct wipebuf *out, const char *query)
{
	struct qpair *v = NULL;
	size_t n = 0, cap = 0;
	const char *p = query ? query : "";

	while (*p && !out->failed) {
		const char *amp = strchr(p, '&');
		size_t l = amp ? (size_t)(amp - p) : strlen(p);

		if (l > 0) {
			const char *eq = memchr(p, '=', l);
			size_t kl = eq ? (size_t)(eq - p) : l;

			if (n == cap) {
				size_t nc = cap ? cap * 2 : 16;
				struct qpair *nv = realloc(v, nc * sizeof *nv);

				if (!nv) {
					out->failed = true;
					break;
				}
				v = nv;
				cap = nc;
			}
			v[n].key = requote(p, kl);
			v[n].value = eq ? requote(eq + 1, l - kl - 1) : strdup("");
			n++;
			if (!v[n - 1].key || !v[n - 1].value)
				out->failed = true;
		}
		p += l;
		if (*p == '&')
			p++;
	}
	if (!out->failed && n > 0) {
		qsort(v, n, sizeof *v, qpair_cmp);
		for (size_t i = 0; i < n; i++) {
			if (i)
				sb_addc(out, '&');
			sb_adds(out, v[i].key);
			sb_addc(out, '=');
			sb_adds(out, v[i].value);
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

/* ---- canonical headers -------------------------------------------------------------- */

struct chdr {
	char *name;      /* lower-case, malloc'd */
	char *value;     /* trimmed and collapsed, malloc'd (may be the session token) */
	size_t order;
};

static int chdr_cmp(const void *a, const void *b)
{
	const struct chdr *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* name[0..nl) lower-cased and value trimmed, white space runs collapsed; -1 on OOM. */
static int chdr_set(struct chdr *h, const char *name, size_t nl, const char *value,
		    size_t order)
{
	size_t vl = strlen(value), o = 0;
	bool space = false;

	while (nl && is_ws(name[nl - 1]))
		nl--;
	while (nl && is_ws(*name)) {
		name++;
		nl--;
	}
	h->name = malloc(nl + 1);
	h->value = malloc(vl + 1);
	h->order = order;
	if (!h->name || !h->value)
		return -1;
	for (size_t i = 0; i < nl; i++)
		h->name[i] = (char)tolower((unsigned char)name[i]);
	h->name[nl] = '\0';
	for (size_t i = 0; i < vl; i++) {
		if (is_ws(value[i])) {
			space = o > 0;
			continue;
		}
		if (space)
			h->value[o++] = ' ';
		space = false;
		h->value[o++] = value[i];
	}
	h->value[o] = '\0';
	return 0;
}

static void chdrs_free(struct chdr *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (h[i].value) {
			OPENSSL_cleanse(h[i].value, strlen(h[i].value));
			free(h[i].value);
		}
		free(h[i].name);
	}
	free(h);
}

/* Builds the sorted header list; -1 with err on a malformed header or OOM. */
static int collect_headers(const struct sigv4_request *r, const char *amz_date,
			   struct chdr **out, size_t *out_n, struct diag_error *err)
{
	size_t n = 0, cap = r->n_headers + 1;
	struct chdr *h;
	bool have_host = false;
	const char *date = NULL;

	if (r->n_headers > SIGV4_MAX_HEADERS)
		return diag_fail(err, DIAG_EXIT_USAGE, "sigv4", "more than %d headers",
				 SIGV4_MAX_HEADERS);
	h = calloc(cap, sizeof *h);
	if (!h)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "sigv4", "out of memory");
	for (size_t i = 0; i < r->n_headers; i++) {
		const char *hd = r->headers[i];
		const char *colon = hd ? strchr(hd, ':') : NULL;

		if (!colon || colon == hd) {
			chdrs_free(h, n);
			return diag_fail(err, DIAG_EXIT_USAGE, "sigv4",
					 "header %zu is not \"Name:value\"", i + 1);
		}
		if (chdr_set(&h[n], hd, (size_t)(colon - hd), colon + 1, i) < 0) {
			chdrs_free(h, n + 1);
			return diag_fail(err, DIAG_EXIT_SOFTWARE, "sigv4", "out of memory");
		}
		if (!h[n].name[0]) {
			chdrs_free(h, n + 1);
			return diag_fail(err, DIAG_EXIT_USAGE, "sigv4",
					 "header %zu has an empty name", i + 1);
		}
		if (strcmp(h[n].name, "host") == 0)
			have_host = true;
		if (strcmp(h[n].name, "x-amz-date") == 0)
			date = h[n].value;
		n++;
	}
	if (date && strcmp(date, amz_date) != 0) {
		chdrs_free(h, n);
		return diag_fail(err, DIAG_EXIT_USAGE, "sigv4",
				 "X-Amz-Date header differs from the signing date %s", amz_date);
	}
	if (!have_host) {
		if (!r->host || !r->host[0]) {
			chdrs_free(h, n);
			return diag_fail(err, DIAG_EXIT_USAGE, "sigv4", "no host to sign");
		}
		if (chdr_set(&h[n], "host", 4, r->host, r->n_headers) < 0) {
			chdrs_free(h, n + 1);
			return diag_fail(err, DIAG_EXIT_SOFTWARE, "sigv4", "out of memory");
		}
		n++;
	}
	qsort(h, n, sizeof *h, chdr_cmp);
	*out = h;
	*out_n = n;
	return 0;
}

/* "name:v1,v2\n" per distinct name into canon, "name;name2" into signed_list. */
static void canonical_headers(struct wipebuf *canon, struct wipebuf *signed_list,
			      const struct chdr *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool first = i == 0 || strcmp(h[i].name, h[i - 1].name) != 0;
		bool last = i + 1 == n || strcmp(h[i].name, h[i + 1].name) != 0;

		if (first) {
			if (signed_list->len)
				sb_addc(signed_list, ';');
			sb_adds(signed_list, h[i].name);
			sb_adds(canon, h[i].name);
			sb_addc(canon, ':');
		} else {
			sb_addc(canon, ',');
		}
		sb_adds(canon, h[i].value);
		if (last)
			sb_addc(canon, '\n');
	}
}

/* ---- signing ------------------------------------------------------------------------ */

static int hmac256(const void *key, size_t klen, const char *msg, unsigned char out[32])
{
	unsigned int len = 0;

	if (!HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out,
		  &len) ||
	    len != 32)
		return -1;
	return 0;
}

/* signature = hex(HMAC(kSigning, sts)), kSigning derived from the secret, date, region,
 * service. Every intermediate key is wiped. */
static int signature_hex(const char *secret, const char *date8, const char *region,
			 const char *service, const char *sts, char out[65])
{
	char kseed[4 + sizeof ((struct aws_creds *)0)->secret_access_key];
	unsigned char k1[32], k2[32], k3[32], k4[32], sig[32];
	int rc = -1;

	snprintf(kseed, sizeof kseed, "AWS4%s", secret);
	if (hmac256(kseed, strlen(kseed), date8, k1) == 0 &&
	    hmac256(k1, 32, region, k2) == 0 && hmac256(k2, 32, service, k3) == 0 &&
	    hmac256(k3, 32, "aws4_request", k4) == 0 && hmac256(k4, 32, sts, sig) == 0) {
		for (unsigned i = 0; i < 32; i++)
			snprintf(out + 2 * i, 3, "%02x", sig[i]);
		rc = 0;
	}
	OPENSSL_cleanse(kseed, sizeof kseed);
	OPENSSL_cleanse(k1, sizeof k1);
	OPENSSL_cleanse(k2, sizeof k2);
	OPENSSL_cleanse(k3, sizeof k3);
	OPENSSL_cleanse(k4, sizeof k4);
	return rc;
}

static int copy_out(const struct wipebuf *s, char *out, size_t out_len)
{
	if (!out)
		return 0;
	if (s->len >= out_len)
		return -1;
	memcpy(out, s->p ? s->p : "", s->len + 1);
	return 0;
}

static void clear_outputs(char *a, size_t al, char *c, size_t cl, char *s, size_t sl)
{
	if (a && al)
		a[0] = '\0';
	if (c && cl)
		c[0] = '\0';
	if (s && sl)
		s[0] = '\0';
}

static bool is_s3(const char *service)
{
	return strcmp(service, "s3") == 0 || strcmp(service, "s3-object-lambda") == 0;
}

/* The canonical request and the signed-headers list; -1 with err filled. */
static int build_canonical(const struct sigv4_request *r, const char *service,
			   const char *amz_date, struct wipebuf *canon, struct wipebuf *signed_list,
			   struct diag_error *err)
{
	struct chdr *h = NULL;
	size_t nh = 0;
	char payload[SIGV4_SHA256_HEX_LEN];
	const char *path = r->path && r->path[0] ? r->path : "/";

	if (sigv4_sha256_hex(r->body, r->body ? r->body_len : 0, payload) < 0)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "sigv4", "SHA-256 failed");
	if (collect_headers(r, amz_date, &h, &nh, err) < 0)
		return -1;
	sb_adds(canon, r->method);
	sb_addc(canon, '\n');
	if (is_s3(service))
		canonical_uri_s3(canon, path);
	else
		canonical_uri_normalised(canon, path);
	sb_addc(canon, '\n');
	canonical_query(canon, r->query);
	sb_addc(canon, '\n');
	canonical_headers(canon, signed_list, h, nh);
	chdrs_free(h, nh);
	sb_addc(canon, '\n');
	wipebuf_add(canon, signed_list->p ? signed_list->p : "", signed_list->len);
	sb_addc(canon, '\n');
	sb_adds(canon, payload);
	if (canon->failed || signed_list->failed)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "sigv4", "out of memory");
	return 0;
}

int sigv4_sign(const struct sigv4_request *r, const struct aws_creds *c, const char *region,
	       const char *service, const char *amz_date, char *authorization, size_t auth_len,
	       char *canonical_out, size_t canon_len, char *sts_out, size_t sts_len,
	       struct diag_error *err)
{
	struct wipebuf canon = {0}, signed_list = {0}, sts = {0}, auth = {0};
	char date8[9], creq_hash[SIGV4_SHA256_HEX_LEN], sig[65];
	int rc = -1;

	clear_outputs(authorization, auth_len, canonical_out, canon_len, sts_out, sts_len);
	if (!r || !r->method || !r->method[0] || !region || !region[0] || !service ||
	    !service[0] || !authorization)
		return diag_fail(err, DIAG_EXIT_USAGE, "sigv4",
				 "method, region, service and an output buffer are required");
	if (!valid_amz_date(amz_date))
		return diag_fail(err, DIAG_EXIT_USAGE, "sigv4",
				 "signing date is not YYYYMMDDTHHMMSSZ");
	if (!c || !c->access_key_id[0] || !c->secret_access_key[0])
		return diag_fail(err, DIAG_EXIT_NOPERM, "sigv4",
				 "no access key id or secret access key to sign with");
	memcpy(date8, amz_date, 8);
	date8[8] = '\0';

	if (build_canonical(r, service, amz_date, &canon, &signed_list, err) < 0)
		goto out;
	if (sigv4_sha256_hex(canon.p, canon.len, creq_hash) < 0) {
		diag_fail(err, DIAG_EXIT_SOFTWARE, "sigv4", "SHA-256 failed");
		goto out;
	}
	sb_adds(&sts, SIGV4_ALGORITHM "\n");
	sb_adds(&sts, amz_date);
	sb_addc(&sts, '\n');
	sb_adds(&sts, date8);
	sb_addc(&sts, '/');
	sb_adds(&sts, region);
	sb_addc(&sts, '/');
	sb_adds(&sts, service);
	sb_adds(&sts, "/aws4_request\n");
	sb_adds(&sts, creq_hash);
	if (sts.failed) {
		diag_fail(err, DIAG_EXIT_SOFTWARE, "sigv4", "out of memory");
		goto out;
	}
	if (signature_hex(c->secret_access_key, date8, region, service, sts.p, sig) < 0) {
		diag_fail(err, DIAG_EXIT_SOFTWARE, "sigv4", "HMAC-SHA256 failed");
		goto out;
	}
	sb_adds(&auth, SIGV4_ALGORITHM " Credential=");
	sb_adds(&auth, c->access_key_id);
	sb_addc(&auth, '/');
	sb_adds(&auth, date8);
	sb_addc(&auth, '/');
	sb_adds(&auth, region);
	sb_addc(&auth, '/');
	sb_adds(&auth, service);
	sb_adds(&auth, "/aws4_request, SignedHeaders=");
	sb_adds(&auth, signed_list.p ? signed_list.p : "");
	sb_adds(&auth, ", Signature=");
	sb_adds(&auth, sig);
	if (auth.failed) {
		diag_fail(err, DIAG_EXIT_SOFTWARE, "sigv4", "out of memory");
		goto out;
	}
	if (copy_out(&auth, authorization, auth_len) < 0 ||
	    copy_out(&canon, canonical_out, canon_len) < 0 ||
	    copy_out(&sts, sts_out, sts_len) < 0) {
		clear_outputs(authorization, auth_len, canonical_out, canon_len, sts_out,
			      sts_len);
		diag_fail(err, DIAG_EXIT_SOFTWARE, "sigv4", "output buffer too small");
		goto out;
	}
	rc = 0;
out:
	wipebuf_free(&canon);
	wipebuf_free(&signed_list);
	wipebuf_free(&sts);
	wipebuf_free(&auth);
	return rc;
}
