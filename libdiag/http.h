/* One HTTP(S) request through libcurl's easy interface: method, URL, headers, body in;
 * status, a few response headers and a capped body out. Used by the live AWS client
 * (EC2, STS, IMDS); nothing here knows about AWS.
 *
 * Fixed policy, not options: TLS peer and host verification are always on; redirects are
 * never followed; only http and https; no verbose output (CURLOPT_VERBOSE would print the
 * Authorization header); error messages name the URL's host and curl's message, never a
 * header value or the body.
 *
 * CA bundle: req->ca_bundle, else the environment's AWS_CA_BUNDLE, else libcurl's
 * built-in default (Debian: /etc/ssl/certs/ca-certificates.crt).
 *
 * Proxies: this module sets no CURLOPT_PROXY, so libcurl's easy interface reads the
 * environment itself for every request: https_proxy or HTTPS_PROXY for https URLs,
 * http_proxy (lower case only, CGI safety) for http URLs, ALL_PROXY/all_proxy as a fallback,
 * and NO_PROXY/no_proxy (comma-separated host names, domain suffixes, IP addresses and,
 * since curl 7.86, CIDR ranges; "*" disables proxies). An https request through a proxy is
 * tunnelled with CONNECT, so the proxy never sees the signed headers. tests/unit/
 * test_ec2_live.c checks both directions against a CONNECT proxy on loopback.
 * req->no_proxy forces a direct connection (the instance metadata service is link-local). */
#ifndef LIBDIAG_HTTP_H
#define LIBDIAG_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "libdiag/error.h"

#define HTTP_CONNECT_TIMEOUT_MS 5000L
#define HTTP_TOTAL_TIMEOUT_MS 30000L
#define HTTP_MAX_BODY ((size_t)16 << 20)

struct http_request {
	const char *method;              /* "GET", "POST", "PUT" */
	const char *url;
	const char *const *headers;      /* "Name: value" lines, NULL-terminated; may be NULL */
	const char *body;                /* may be NULL */
	size_t body_len;
	const char *ca_bundle;           /* NULL: AWS_CA_BUNDLE, then libcurl's default */
	long connect_timeout_ms;         /* 0: HTTP_CONNECT_TIMEOUT_MS */
	long timeout_ms;                 /* 0: HTTP_TOTAL_TIMEOUT_MS */
	size_t max_body;                 /* 0: HTTP_MAX_BODY */
	bool no_proxy;                   /* connect directly whatever the environment says */
	const char *what;                /* names the request in errors ("ec2:DescribeVpcs");
					  * NULL: the URL's host alone */
};

struct http_response {
	long status;                     /* HTTP status code */
	char *body;                      /* NUL-terminated (the NUL is not counted in len) */
	size_t len;
	char content_type[128];          /* response headers of interest, "" when absent */
	char request_id[128];            /* x-amzn-RequestId or x-amz-request-id */
	char retry_after[32];
	char date[64];                   /* Date: lets a caller spot clock skew */
	bool transient;                  /* after a failed request: a retry may succeed
					  * (refused, reset, timed out, name not resolved) */
};

/* Performs the request. Returns 0 when an HTTP answer arrived, whatever its status (the
 * caller judges 4xx/5xx from rs->status and rs->body), and -1 with err filled otherwise:
 * DIAG_EXIT_USAGE for a URL libcurl rejects, DIAG_EXIT_NOINPUT for a CA bundle it cannot
 * read, DIAG_EXIT_UNAVAILABLE for network, TLS, timeout and over-long answers,
 * DIAG_EXIT_SOFTWARE when memory runs out. On -1, rs holds no body, only rs->transient.
 * The message reads "[what: ]HOST: curl's message". Thread-safe (one easy handle a call;
 * curl_global_init runs once, under pthread_once). */
int http_request(const struct http_request *req, struct http_response *rs,
		 struct diag_error *err);

/* Frees rs->body (wiping it first: answers may carry credentials) and clears rs. */
void http_response_free(struct http_response *rs);

/* Writes into out (size len) the host of url ("ec2.us-east-1.amazonaws.com", "127.0.0.1",
 * "[::1]"), without user info, port or path; "" when none is found. Returns out. */
const char *http_url_host(const char *url, char *out, size_t len);

/* An endpoint URL taken apart the way requests are sent to it and signed. */
struct http_endpoint {
	char scheme[8];                  /* "https" or "http" */
	char host[272];                  /* "ec2.us-east-1.amazonaws.com", "127.0.0.1:8443",
					  * "[::1]:8443": the Host header and SigV4's host; the
					  * port only when it is not the scheme's default */
	char path[512];                  /* "/" or the URL's path, dot segments removed */
	char url[800];                   /* scheme://host/path, what libcurl is given */
};

/* Parses an endpoint URL (libcurl's URL parser). Returns 0, or -1 with err =
 * DIAG_EXIT_USAGE, where = what (e.g. "--endpoint-url"), for a URL libcurl rejects, a
 * scheme other than http/https, user info, a query or fragment, or parts too long. */
int http_endpoint_parse(const char *url, const char *what, struct http_endpoint *ep,
			struct diag_error *err);

/* The User-Agent every request sends: "vpn-doctor/VERSION". */
const char *http_user_agent(void);

#endif
