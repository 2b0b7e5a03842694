/* The live side of the AWS evidence layer: EC2's Query API over HTTPS (libdiag/http.h),
 * signed with SigV4 (libdiag/aws/sigv4.h), credentials from the SDK chain
 * (libdiag/aws/creds.h). Every XML answer goes xml_to_tree -> aws_xml_tree_to_json ->
 * aws_load_json_cjson, so the model is filled by the very code that reads the AWS CLI's
 * JSON offline; each answer's source is "ec2:ACTION".
 *
 * Calls, in order (Version=2016-11-15, POST form body to ENDPOINT/):
 *   DescribeVpnConnections, DescribeVpnGateways, DescribeCustomerGateways (no pagination),
 *   DescribeRouteTables, DescribeSubnets, DescribeVpcs (MaxResults=100, NextToken followed),
 *   and, when asked, GetActiveVpnTunnelStatus for each tunnel of each VPN connection that is
 *   not deleted (UnknownOperation / InvalidAction: "not available", counted, not an error).
 * With vpn_connection_id, the first call asks for that connection only, the gateways for
 * its VGW and CGW, and route tables, subnets and VPCs for the VPCs attached to its VGW (all
 * of them when it has none, e.g. a transit gateway attachment).
 *
 * Retries: throttling (RequestLimitExceeded, Throttling, ThrottlingException and kin, HTTP
 * 429/503), other 5xx answers and transient network errors, with exponential backoff and
 * full jitter: sleep uniform in [0, min(cap, base * 2^attempt)). Each attempt is signed
 * anew. */
#ifndef LIBDIAG_AWS_EC2_CLIENT_H
#define LIBDIAG_AWS_EC2_CLIENT_H

#include <stdbool.h>

#include "libdiag/aws/model.h"
#include "libdiag/aws/sigv4.h"
#include "libdiag/error.h"

#define AWS_EC2_API_VERSION "2016-11-15"
#define AWS_LIVE_MAX_RETRIES 5
#define AWS_LIVE_RETRY_BASE_MS 100
#define AWS_LIVE_RETRY_CAP_MS 5000
#define AWS_LIVE_MAX_PAGES 1000

/* What a live load did, for a front end's summary or --verbose line. */
struct aws_live_stats {
	unsigned requests;              /* HTTP requests sent, retries included */
	unsigned retries;
	unsigned pages;                 /* answers loaded into the model */
	unsigned tunnel_status_unavailable; /* GetActiveVpnTunnelStatus: UnknownOperation ... */
	char region[64];
	char endpoint[800];             /* the URL the requests went to */
	char creds_source[64];          /* "environment", "profile NAME", "web identity", ... */
};

struct aws_live_opts {
	const char *region;             /* NULL: AWS_REGION, AWS_DEFAULT_REGION, the profile's
					 * region; none of them: DIAG_EXIT_USAGE */
	const char *profile;            /* NULL: AWS_PROFILE, else "default" */
	const char *endpoint_url;       /* NULL: AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL, else
					 * https://ec2.REGION.amazonaws.com; may hold a port and
					 * a path; http:// is allowed (a local stand-in) */
	const char *ca_bundle;          /* NULL: AWS_CA_BUNDLE, else the system's */
	unsigned max_retries;           /* 0: AWS_MAX_ATTEMPTS - 1 when set, else 5 */
	const char *vpn_connection_id;  /* NULL: every VPN connection of the region */
	bool tunnel_status;             /* also call GetActiveVpnTunnelStatus */
	const struct aws_creds *creds;  /* NULL: resolve through the chain */
	const char *sts_endpoint;       /* passed to the chain (aws_creds_opts); NULL: default */
	const char *imds_endpoint;      /* idem */
	unsigned retry_base_ms;         /* 0: AWS_LIVE_RETRY_BASE_MS */
	unsigned retry_cap_ms;          /* 0: AWS_LIVE_RETRY_CAP_MS */
	long connect_timeout_ms;        /* 0: 5 s */
	long timeout_ms;                /* 0: 30 s a request */
	struct aws_live_stats *stats;   /* filled when not NULL */
};

/* Fills m (initialised by the caller) from EC2. Returns 0, or -1 with err filled, where
 * "ec2:ACTION" names the call:
 *   DIAG_EXIT_USAGE (64)        no region, a malformed region or endpoint URL;
 *   DIAG_EXIT_NOPERM (77)       no credentials, expired credentials, AuthFailure,
 *                               UnauthorizedOperation, AccessDenied, a bad signature
 *                               ("ec2:DescribeRouteTables: UnauthorizedOperation: ...");
 *   DIAG_EXIT_DATAERR (65)      a malformed XML answer or one the loader rejects;
 *   DIAG_EXIT_NOINPUT (66)      the CA bundle cannot be read;
 *   DIAG_EXIT_UNAVAILABLE (69)  network and TLS errors, other API errors, HTTP errors,
 *                               retries exhausted.
 * Messages never hold a secret key, a session token or a header value. m keeps whatever
 * was loaded before a failure; the caller frees it either way. */
int aws_live_load(struct aws_model *m, const struct aws_live_opts *o, struct diag_error *err);

/* Retry policy, exposed for tests. True when an EC2 error code (may be NULL) with HTTP
 * status asks for a retry. */
bool aws_ec2_retryable(const char *code, long http_status);
/* The exit code an EC2 error code deserves: DIAG_EXIT_NOPERM for authentication and
 * authorisation failures, DIAG_EXIT_UNAVAILABLE otherwise. */
enum diag_exit aws_ec2_error_exit(const char *code);
/* The full-jitter delay before retry number attempt (0-based), in ms, given a random
 * value r (uniform over unsigned). */
unsigned aws_retry_delay_ms(unsigned attempt, unsigned base_ms, unsigned cap_ms, unsigned r);

#endif
