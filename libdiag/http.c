#include "libdiag/http.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "libdiag/wipebuf.h"

#ifndef VPN_DOCTOR_VERSION
#define VPN_DOCTOR_VERSION "0"
#endif

#define USER_AGENT "vpn-doctor/" VPN_DOCTOR_VERSION

struct sink {
	struct http_response *rs;
	struct wipebuf body;   /* answers may hold credentials: wiped as it grows */
	int too_big;
	int oom;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

const char *http_user_agent(void)
{
	return USER_AGENT;
}

const char *http_url_host(const char *url, char *out, size_t len)
{
	const char *p, *end, *at;
	size_t n;

	if (len == 0)
		return out;
	out[0] = '\0';
	if (!url)
		return out;
	p = strstr(url, "://");
	p = p ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	/* user info ends at the last '@' before the path */
	for (at = p; at < end; at++)
		if (*at == '@')
			p = at + 1;
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(end - p));
		end = rb ? rb + 1 : end;
	} else {
		const char *colon = memchr(p, ':', (size_t)(end - p));
		if (colon)
			end = colon;
	}
	n = (size_t)(end - p);
	if (n >= len)
		n = len - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

static int url_part(CURLU *u, CURLUPart part, char *out, size_t len)
{
	char *v = NULL;
	CURLUcode rc = curl_url_get(u, part, &v, 0);
	int ret = 0;

	out[0] = '\0';
	if (rc == CURLUE_OK) {
		if (strlen(v) >= len)
			ret = -1;
		else
			snprintf(out, len, "%s", v);
		curl_free(v);
		return ret;
	}
	return 1; /* absent */
}

int http_endpoint_parse(const char *url, const char *what, struct http_endpoint *ep,
			struct diag_error *err)
{
	char host[256], port[16], path[512], extra[8];
	CURLU *u;
	int bad = 0;

	memset(ep, 0, sizeof *ep);
	if (!url || !*url)
		return diag_fail(err, DIAG_EXIT_USAGE, what, "empty URL");
	u = curl_url();
	if (!u)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, what, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return diag_fail(err, DIAG_EXIT_USAGE, what, "not a valid URL");
	}
	if (url_part(u, CURLUPART_SCHEME, ep->scheme, sizeof ep->scheme) != 0 ||
	    (strcmp(ep->scheme, "https") != 0 && strcmp(ep->scheme, "http") != 0))
		bad = diag_fail(err, DIAG_EXIT_USAGE, what, "the scheme must be https or http");
	else if (url_part(u, CURLUPART_USER, extra, sizeof extra) != 1 ||
		 url_part(u, CURLUPART_PASSWORD, extra, sizeof extra) != 1)
		bad = diag_fail(err, DIAG_EXIT_USAGE, what, "user info is not allowed");
	else if (url_part(u, CURLUPART_QUERY, extra, sizeof extra) != 1 ||
		 url_part(u, CURLUPART_FRAGMENT, extra, sizeof extra) != 1)
		bad = diag_fail(err, DIAG_EXIT_USAGE, what, "a query or fragment is not allowed");
	else if (url_part(u, CURLUPART_HOST, host, sizeof host) != 0 || !host[0])
		bad = diag_fail(err, DIAG_EXIT_USAGE, what, "no host, or a host too long");
	else if (url_part(u, CURLUPART_PORT, port, sizeof port) < 0 ||
		 url_part(u, CURLUPART_PATH, path, sizeof path) < 0)
		bad = diag_fail(err, DIAG_EXIT_USAGE, what, "port or path too long");
	curl_url_cleanup(u);
	if (bad)
		return -1;
	if (port[0] && ((strcmp(ep->scheme, "https") == 0 && strcmp(port, "443") == 0) ||
			(strcmp(ep->scheme, "http") == 0 && strcmp(port, "80") == 0)))
		port[0] = '\0';
	if (!path[0])
		snprintf(path, sizeof path, "/");
	snprintf(ep->host, sizeof ep->host, "%s%s%s", host, port[0] ? ":" : "", port);
	snprintf(ep->path, sizeof ep->path, "%s", path);
	if ((size_t)snprintf(ep->url, sizeof ep->url, "%s://%s%s", ep->scheme, ep->host,
			     ep->path) >= sizeof ep->url)
		return diag_fail(err, DIAG_EXIT_USAGE, what, "URL too long");
	return 0;
}

/* Appends to the body; 0 (curl then stops) when it would pass the cap or memory ran out. */
static size_t body_cb(char *data, size_t size, size_t nmemb, void *user)
{
	struct sink *s = user;
	size_t n = size * nmemb;

	if (wipebuf_add(&s->body, data, n) < 0) {
		if (n > s->body.max - s->body.len)
			s->too_big = 1;
		else
			s->oom = 1;
		return 0;
	}
	return n;
}

static void keep_header(char *dst, size_t dlen, const char *v, size_t vlen)
{
	while (vlen && (v[0] == ' ' || v[0] == '\t')) {
		v++;
		vlen--;
	}
	while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
		vlen--;
	if (vlen >= dlen)
		vlen = dlen - 1;
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
}

static size_t header_cb(char *data, size_t size, size_t nitems, void *user)
{
	struct http_response *rs = ((struct sink *)user)->rs;
	size_t n = size * nitems;
	static const struct {
		const char *name;
		size_t off, len;
	} keep[] = {
		{ "content-type", offsetof(struct http_response, content_type),
		  sizeof ((struct http_response *)0)->content_type },
		{ "x-amzn-requestid", offsetof(struct http_response, request_id),
		  sizeof ((struct http_response *)0)->request_id },
		{ "x-amz-request-id", offsetof(struct http_response, request_id),
		  sizeof ((struct http_response *)0)->request_id },
		{ "retry-after", offsetof(struct http_response, retry_after),
		  sizeof ((struct http_response *)0)->retry_after },
		{ "date", offsetof(struct http_response, date),
		  sizeof ((struct http_response *)0)->date },
	};
	const char *colon = memchr(data, ':', n);

	if (!colon)
		return n;
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		size_t nl = strlen(keep[i].name);

		if ((size_t)(colon - data) == nl && strncasecmp(data, keep[i].name, nl) == 0)
			keep_header((char *)rs + keep[i].off, keep[i].len, colon + 1,
				    n - nl - 1);
	}
	return n;
}

static enum diag_exit curl_exit(CURLcode rc)
{
	switch (rc) {
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return DIAG_EXIT_USAGE;
	case CURLE_SSL_CACERT_BADFILE:
		return DIAG_EXIT_NOINPUT;
	case CURLE_OUT_OF_MEMORY:
		return DIAG_EXIT_SOFTWARE;
	default:
		return DIAG_EXIT_UNAVAILABLE;
	}
}

static bool curl_transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static int has_header(const char *const *h, const char *name)
{
	size_t nl = strlen(name);

	for (; h && *h; h++)
		if (strncasecmp(*h, name, nl) == 0 && (*h)[nl] == ':')
			return 1;
	return 0;
}

/* The list holds copies of the caller's headers, a session token among them. */
static void free_headers(struct curl_slist *l)
{
	for (struct curl_slist *t = l; t; t = t->next)
		if (t->data)
			OPENSSL_cleanse(t->data, strlen(t->data));
	curl_slist_free_all(l);
}

/* Builds the header list: the caller's lines, and blank "Expect:" / "Content-Type:" lines
 * that stop libcurl adding headers the caller did not sign. NULL when out of memory. */
static struct curl_slist *header_list(const struct http_request *req, int *oom)
{
	struct curl_slist *l = NULL, *t;

	*oom = 0;
	for (const char *const *h = req->headers; h && *h; h++) {
		t = curl_slist_append(l, *h);
		if (!t)
			goto fail;
		l = t;
	}
	t = curl_slist_append(l, "Expect:");
	if (!t)
		goto fail;
	l = t;
	if (!has_header(req->headers, "Content-Type")) {
		t = curl_slist_append(l, "Content-Type:");
		if (!t)
			goto fail;
		l = t;
	}
	return l;
fail:
	free_headers(l);
	*oom = 1;
	return NULL;
}

static CURLcode set_method(CURL *c, const struct http_request *req)
{
	const char *m = req->method ? req->method : "GET";
	CURLcode rc = CURLE_OK;

	if (strcmp(m, "GET") == 0)
		return curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	if (strcmp(m, "HEAD") == 0)
		return curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (strcmp(m, "POST") == 0 || req->body) {
		rc = curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
				      (curl_off_t)(req->body ? req->body_len : 0));
		if (!rc)
			rc = curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
	}
	if (!rc && strcmp(m, "POST") != 0)
		rc = curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, m);
	return rc;
}

static CURLcode set_options(CURL *c, const struct http_request *req, struct curl_slist *hdrs,
			    struct sink *s, char *errbuf)
{
	const char *ca = req->ca_bundle;
	CURLcode rc = CURLE_OK;

	if (!ca || !*ca)
		ca = getenv("AWS_CA_BUNDLE");
#define SET(opt, val)                                                                       \
	do {                                                                                \
		if (!rc)                                                                    \
			rc = curl_easy_setopt(c, opt, val);                                 \
	} while (0)
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_URL, req->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_VERBOSE, 0L);
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca && *ca)
		SET(CURLOPT_CAINFO, ca);
	if (req->no_proxy)
		SET(CURLOPT_PROXY, "");
	SET(CURLOPT_CONNECTTIMEOUT_MS,
	    req->connect_timeout_ms > 0 ? req->connect_timeout_ms : HTTP_CONNECT_TIMEOUT_MS);
	SET(CURLOPT_TIMEOUT_MS, req->timeout_ms > 0 ? req->timeout_ms : HTTP_TOTAL_TIMEOUT_MS);
	SET(CURLOPT_USERAGENT, USER_AGENT);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_HTTPHEADER, hdrs);
	SET(CURLOPT_WRITEFUNCTION, body_cb);
	SET(CURLOPT_WRITEDATA, s);
	SET(CURLOPT_HEADERFUNCTION, header_cb);
	SET(CURLOPT_HEADERDATA, s);
#undef SET
	if (!rc)
		rc = set_method(c, req);
	return rc;
}

static int fail_curl(struct diag_error *err, const struct http_request *req, CURLcode rc,
		     const char *errbuf, const struct sink *s)
{
	char host[256], where[512];

	http_url_host(req->url, host, sizeof host);
	if (req->what)
		snprintf(where, sizeof where, "%s: %s", req->what, host[0] ? host : "?");
	else
		snprintf(where, sizeof where, "%s", host[0] ? host : "?");
	if (s && s->too_big)
		return diag_fail(err, DIAG_EXIT_UNAVAILABLE, where,
				 "answer larger than %zu bytes", s->body.max);
	if ((s && s->oom) || rc == CURLE_OUT_OF_MEMORY)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, where, "out of memory");
	return diag_fail(err, curl_exit(rc), where, "%s", errbuf && errbuf[0] ?
			 errbuf : curl_easy_strerror(rc));
}

int http_request(const struct http_request *req, struct http_response *rs,
		 struct diag_error *err)
{
	char errbuf[CURL_ERROR_SIZE];
	struct curl_slist *hdrs;
	struct sink s;
	CURL *c;
	CURLcode rc;
	int oom;

	memset(rs, 0, sizeof *rs);
	memset(&s, 0, sizeof s);
	errbuf[0] = '\0';
	s.rs = rs;
	s.body.max = req->max_body ? req->max_body : HTTP_MAX_BODY;
	if (!req->url || !*req->url)
		return diag_fail(err, DIAG_EXIT_USAGE, req->what, "no URL");
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK)
		return fail_curl(err, req, global_rc, NULL, NULL);
	c = curl_easy_init();
	if (!c)
		return fail_curl(err, req, CURLE_FAILED_INIT, NULL, NULL);
	hdrs = header_list(req, &oom);
	if (oom) {
		curl_easy_cleanup(c);
		return fail_curl(err, req, CURLE_OUT_OF_MEMORY, NULL, NULL);
	}
	rc = set_options(c, req, hdrs, &s, errbuf);
	if (!rc)
		rc = curl_easy_perform(c);
	if (!rc)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rs->status);
	curl_easy_cleanup(c);
	free_headers(hdrs);
	if (rc) {
		fail_curl(err, req, rc, errbuf, &s);
		wipebuf_free(&s.body);
		http_response_free(rs);
		rs->transient = !s.too_big && !s.oom && curl_transient(rc);
		return -1;
	}
	rs->body = wipebuf_take(&s.body, &rs->len);
	if (!rs->body)
		return fail_curl(err, req, CURLE_OUT_OF_MEMORY, NULL, NULL);
	return 0;
}

void http_response_free(struct http_response *rs)
{
	if (!rs)
		return;
	if (rs->body) {
		OPENSSL_cleanse(rs->body, rs->len);
		free(rs->body);
	}
	memset(rs, 0, sizeof *rs);
}
