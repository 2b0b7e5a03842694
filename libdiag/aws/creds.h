/* The AWS credentials chain, in the AWS SDKs' order:
 *   1. environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN;
 *   2. shared files: AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials, sections
 *      "[NAME]") and AWS_CONFIG_FILE (default ~/.aws/config, sections "[profile NAME]", or
 *      "[default]"); the profile is the argument, else AWS_PROFILE, else "default". Keys in
 *      the credentials file win over the same keys in the config file. A profile with
 *      role_arn + web_identity_token_file (and role_session_name) goes through STS like 3;
 *   3. web identity: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (+ AWS_ROLE_SESSION_NAME)
 *      through STS AssumeRoleWithWebIdentity (an unsigned request; what a ROSA/EKS pod has);
 *   4. IMDSv2: PUT /latest/api/token, then GET /latest/meta-data/iam/security-credentials/
 *      and .../ROLE. AWS_EC2_METADATA_SERVICE_ENDPOINT overrides http://169.254.169.254,
 *      AWS_EC2_METADATA_DISABLED=true skips it; 1 s connect timeout, so a laptop without
 *      IMDS fails fast. No answer, a refused token (IMDSv1 is never tried) or no role
 *      attached mean "not available": the reason ends the "none found" message.
 * The first source that is configured decides: a half-set environment or a broken profile
 * is an error, not a reason to try the next source (as the SDKs do).
 * Every request goes through libdiag/http.h (TLS verified, no redirects, answers capped
 * at 1 MiB, header copies wiped; IMDS requests never use a proxy).
 * Errors never contain a secret value; they name the source and the field. */
#ifndef LIBDIAG_AWS_CREDS_H
#define LIBDIAG_AWS_CREDS_H

#include <stddef.h>
#include <time.h>

#include "libdiag/aws/sigv4.h"
#include "libdiag/error.h"

struct aws_creds_opts {
	const char *profile;        /* NULL: AWS_PROFILE, else "default" */
	const char *region;         /* STS region; NULL: aws_region_resolve(), else us-east-1 */
	const char *sts_endpoint;   /* "http://127.0.0.1:PORT/"; NULL: AWS_STS_ENDPOINT_URL,
				     * else https://sts.REGION.amazonaws.com/ */
	const char *imds_endpoint;  /* "http://127.0.0.1:PORT"; NULL:
				     * AWS_EC2_METADATA_SERVICE_ENDPOINT, else
				     * http://169.254.169.254 */
	const char *ca_bundle;      /* CA bundle for an https STS (or IMDS) endpoint; NULL:
				     * AWS_CA_BUNDLE, else libcurl's default (libdiag/http.h) */
	long connect_timeout_ms;    /* 0: 1000 */
	long timeout_ms;            /* 0: 5000 for IMDS, 10000 for STS */
	time_t now;                 /* 0: time(NULL); credentials expiring within 60 s of
				     * it count as expired */
	/* Note: botocore tries AWS_ROLE_ARN web identity before the shared files; this chain
	 * follows the order above (environment, files, web identity, IMDS). */
};

/* Resolves credentials through the chain into *out (cleared first). Returns 0, or -1 with
 * err filled: DIAG_EXIT_NOPERM (77) when no source has credentials or they have expired
 * ("aws credentials: none found: tried environment, profile default (shared files), web
 * identity (AWS_ROLE_ARN), imds (no answer: ...)"), DIAG_EXIT_DATAERR for a malformed shared file
 * ("/home/u/.aws/config:12: ...") or STS/IMDS answer, DIAG_EXIT_NOINPUT for an unreadable
 * token file or CA bundle, DIAG_EXIT_UNAVAILABLE when STS or IMDS cannot be reached or answers with an
 * HTTP error. o may be NULL. */
int aws_creds_resolve(const struct aws_creds_opts *o, struct aws_creds *out,
		      struct diag_error *err);

/* The single sources, for callers and tests. Each returns 1 when it filled *out, 0 when
 * the source is not configured (nothing set), -1 on error (err filled). */
int aws_creds_from_env(struct aws_creds *out, struct diag_error *err);
int aws_creds_from_profile(const struct aws_creds_opts *o, struct aws_creds *out,
			   struct diag_error *err);
int aws_creds_from_web_identity(const struct aws_creds_opts *o, struct aws_creds *out,
				struct diag_error *err);
int aws_creds_from_imds(const struct aws_creds_opts *o, struct aws_creds *out,
			struct diag_error *err);

#define AWS_CREDS_PATH_MAX 4096

/* The files the chain may read, as it would name them now: the shared credentials and
 * config files (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE, else under $HOME/.aws),
 * AWS_WEB_IDENTITY_TOKEN_FILE, and the web_identity_token_file of the profile (as in
 * aws_creds_opts: NULL means AWS_PROFILE, else "default"), which needs the shared files
 * read. Fills up to max paths; returns how many. For a caller that opens them before
 * dropping privileges (libdiag/preopen.h), where the chain finds them. */
size_t aws_creds_files(const char *profile, char (*paths)[AWS_CREDS_PATH_MAX], size_t max);

/* The region: AWS_REGION, else AWS_DEFAULT_REGION, else `region` of the profile in the
 * config file (profile as in aws_creds_opts: NULL means AWS_PROFILE, else "default").
 * Returns 1 with out filled, 0 when none is set (out = ""), -1 on error (a malformed
 * config file). */
int aws_region_resolve(const char *profile, char *out, size_t out_len,
		       struct diag_error *err);

/* The answer parsers, exposed for fuzzing and tests. aws_creds_parse_sts reads an STS
 * AssumeRoleWithWebIdentity answer (status 200: Credentials/AccessKeyId, SecretAccessKey,
 * SessionToken, Expiration; otherwise an ErrorResponse's Code and Message, the message
 * dropped when it quotes token, which may be NULL); source names it in errors and in
 * out->source (NULL: "web identity"). aws_creds_parse_imds reads IMDS's
 * security-credentials/ROLE JSON. Both return 1 with out filled, or -1 with err and out
 * cleared; they do not check the expiration (aws_creds_resolve does). */
int aws_creds_parse_sts(const char *body, size_t len, long status, const char *token,
			const char *source, struct aws_creds *out, struct diag_error *err);
int aws_creds_parse_imds(const char *body, size_t len, struct aws_creds *out,
			 struct diag_error *err);

/* True when c has an expiration and it is at or before now + 60 s. */
int aws_creds_expired(const struct aws_creds *c, time_t now);

/* Wipes *c (OPENSSL_cleanse: the key id, the secret, the token), leaving it all zero. */
void aws_creds_clear(struct aws_creds *c);

/* The INI dialect of ~/.aws/config and ~/.aws/credentials: "[section]" lines, "key = value"
 * lines, '#' and ';' comment lines, blank lines; an indented line continues the previous
 * key's value (a nested block such as "s3 =\n  max_concurrent_requests = 10"), which the
 * parser hands over as section "SECTION", key "PARENT.SUB". Keys are lower-cased and
 * trimmed, values trimmed. cb returns 0 to go on, non-zero to stop (its value is returned).
 * Returns 0, the callback's stop value, or -1 with err = DIAG_EXIT_DATAERR and where =
 * "NAME:LINE" for a malformed line (a section without ']', a key outside a section, a line
 * without '=', a NUL byte, a line longer than 64 KiB). name is how errors name the file. */
typedef int (*aws_ini_cb)(void *ctx, const char *section, const char *key,
			  const char *value, unsigned line);
int aws_ini_parse(const char *text, size_t len, const char *name, aws_ini_cb cb, void *ctx,
		  struct diag_error *err);

#endif
