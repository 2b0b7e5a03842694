/* AWS Signature Version 4 (HMAC-SHA256 through OpenSSL's EVP/HMAC), checked against every
 * case of AWS's SigV4 test suite and against botocore's signer for EC2 Query API requests.
 *
 * How a caller (the EC2 HTTP client) signs a request:
 *   1. sigv4_amz_date(time(NULL), date) and add the header "X-Amz-Date:<date>".
 *   2. When creds->session_token[0] != '\0', add "X-Amz-Security-Token:<token>" to the
 *      headers BEFORE signing: it is signed like any other header (this is what botocore
 *      does and what the suite's post-sts-header-before case shows). The signer never adds
 *      it itself, because some services want it unsigned (the suite's post-sts-header-after
 *      case: the token sent but not signed).
 *   3. Pass every header you want signed (botocore signs all but User-Agent, Expect and
 *      X-Amzn-Trace-Id; for an EC2 POST that is Content-Type, Host, X-Amz-Date and the token).
 *      A Host header is signed from r->host when the list has none; send exactly the same
 *      Host value (with ":port" when the port is not the scheme's default, as curl does).
 *   4. Send "Authorization: <authorization>" plus the very same headers, path, query and body.
 *
 * Input conventions:
 *   - path is the path AS SENT on the wire (what follows the host in the URL, before '?'),
 *     not yet canonicalised. For every service but "s3" the signer removes "." and ".."
 *     segments, collapses repeated '/', then URI-encodes each segment (RFC 3986 unreserved
 *     characters kept; '%' itself becomes %25, which is AWS's "encode twice" rule for paths
 *     the caller already encoded). For "s3" the path is used without normalisation and
 *     %XX escapes are decoded once before encoding. An empty or NULL path signs as "/".
 *   - query is the query string without '?', as sent (may be NULL or ""). Each name and
 *     value has its valid %XX escapes decoded, then is re-encoded (so raw UTF-8 and an
 *     already-encoded query give the same result); '+' is taken literally (signed as %2B).
 *     Pairs are sorted by encoded name, then encoded value; "a" signs as "a=".
 *   - headers are "Name:value" strings; names are lower-cased, values trimmed with inner
 *     runs of white space collapsed to one space, repeated names joined with ',' in the
 *     order given.
 *   - body/body_len: the payload; its SHA-256 is the payload hash (NULL/0: empty payload).
 *
 * The secret key never appears in any output or error message. */
#ifndef LIBDIAG_AWS_SIGV4_H
#define LIBDIAG_AWS_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "libdiag/error.h"

/* Credentials as the chain (libdiag/aws/creds.h) resolved them. Release with
 * aws_creds_clear(), which wipes the secrets. */
struct aws_creds {
	char access_key_id[128];
	char secret_access_key[128];   /* SECRET */
	char session_token[2048];      /* SECRET; "" when none */
	char source[64];               /* "environment", "profile NAME", "web identity", "imds" */
	long long expiration;          /* epoch seconds; 0 = does not expire */
};

struct sigv4_request {
	const char *method;            /* "GET", "POST", ... */
	const char *host;              /* "ec2.us-east-1.amazonaws.com" or "127.0.0.1:8443" */
	const char *path;              /* as sent; see above */
	const char *query;             /* as sent, without '?'; NULL or "" for none */
	const char *const *headers;    /* "Name:value" */
	size_t n_headers;
	const void *body;
	size_t body_len;
};

#define SIGV4_AMZ_DATE_LEN 17      /* "YYYYMMDDTHHMMSSZ" + NUL */
#define SIGV4_SHA256_HEX_LEN 65    /* 64 hex digits + NUL */

/* Signs r. Writes the Authorization header VALUE ("AWS4-HMAC-SHA256 Credential=AKID/
 * 20150830/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=...") to
 * authorization; when canonical_out / sts_out are not NULL, also the canonical request and
 * the string to sign (for tests and debugging: they hold no secret, but the canonical
 * request does hold the session token header when it is signed).
 * amz_date is "YYYYMMDDTHHMMSSZ"; its first 8 characters are the credential scope's date.
 * Returns 0, or -1 with err filled: DIAG_EXIT_NOPERM when c has no key id or secret,
 * DIAG_EXIT_USAGE for a malformed request (bad amz_date, a header without ':', missing
 * method/region/service), DIAG_EXIT_SOFTWARE when an output buffer is too small or
 * OpenSSL fails. On failure the outputs hold empty strings. */
int sigv4_sign(const struct sigv4_request *r, const struct aws_creds *c, const char *region,
	       const char *service, const char *amz_date, char *authorization, size_t auth_len,
	       char *canonical_out, size_t canon_len, char *sts_out, size_t sts_len,
	       struct diag_error *err);

/* t (UTC) as "YYYYMMDDTHHMMSSZ". */
void sigv4_amz_date(time_t t, char out[SIGV4_AMZ_DATE_LEN]);

/* URI-encodes in[0..len) the SigV4 way: A-Z a-z 0-9 - . _ ~ kept, every other byte as %XX
 * (upper-case hex); '/' kept when keep_slash. Writes a NUL-terminated string; returns its
 * length, or -1 (out holds "") when it does not fit in out_len. Use it to build the form
 * body of a Query API request: "Action=" + enc(action) + "&Filter.1.Name=" + enc(name)...
 * exactly as botocore does. */
long sigv4_uri_encode(const char *in, size_t len, int keep_slash, char *out, size_t out_len);

/* Lower-case hex SHA-256 of data (X-Amz-Content-Sha256, payload hashes). Returns 0, -1
 * when OpenSSL fails. */
int sigv4_sha256_hex(const void *data, size_t len, char out[SIGV4_SHA256_HEX_LEN]);

#endif
