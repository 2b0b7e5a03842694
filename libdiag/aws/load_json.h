/* The AWS CLI's JSON (`aws ec2 describe-* --output json`) into the AWS model, driven by
 * the descriptor tables of libdiag/aws/schema.h. A document is recognised by its
 * top-level key(s), whatever the file is called:
 *   VpnConnections, VpnGateways, CustomerGateways, RouteTables, Subnets, Vpcs (arrays),
 *   ActiveVpnTunnelStatus (GetActiveVpnTunnelStatus: one object, with optional
 *   VpnConnectionId and VpnTunnelOutsideIpAddress beside it naming the tunnel).
 * NextToken, ResponseMetadata and any other key beside a known one are ignored, and so
 * are unknown members inside objects (AWS adds fields). Values must have the JSON type of
 * their field: a type error names the file and the JSON path,
 *   "VpnConnections.json: $.VpnConnections[0].Options.TunnelOptions[1].Phase1LifetimeSeconds:
 *    expected a number".
 * Numbers must be whole and >= 0 (so AWS_ABSENT, -1, always means absent); null is
 * absent. Lists of {"Value": x} also accept bare values (Security Hub writes them so).
 *
 * CustomerGatewayConfiguration is kept whole (secret) and parsed with
 * aws_cgw_config_parse(); when that fails the load goes on with cgw_config NULL and one
 * line in m->warnings naming the place, never the content ("<redacted>", as a dump
 * writes it, is kept without a warning).
 *
 * A failed load leaves the model as it was before the call (the arena keeps the bytes). */
#ifndef LIBDIAG_AWS_LOAD_JSON_H
#define LIBDIAG_AWS_LOAD_JSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "libdiag/aws/model.h"
#include "libdiag/error.h"

#define AWS_JSON_MAX_FILE ((size_t)64 << 20)

/* Parses buf[0..len) (need not be NUL-terminated); source names it in errors and in
 * m->sources. Returns 0, or -1 with err filled:
 *   DIAG_EXIT_DATAERR  "SOURCE: malformed JSON near byte N (line L, column C)",
 *                      "SOURCE: no known top-level key (want VpnConnections, ...)",
 *                      "SOURCE: $.PATH: expected ..." ;
 *   DIAG_EXIT_SOFTWARE out of memory, or past the model's arena limit. */
int aws_load_json(struct aws_model *m, const char *buf, size_t len, const char *source,
		  struct diag_error *err);

/* The same from a parsed tree (the live client's converted EC2 answers); root is not
 * modified. */
int aws_load_json_cjson(struct aws_model *m, const cJSON *root, const char *source,
			struct diag_error *err);

/* A file; path "-" reads standard input (named "<stdin>" in messages). Errors as
 * aws_load_json, plus DIAG_EXIT_NOINPUT (66) when the file is missing or unreadable and
 * DIAG_EXIT_DATAERR for an empty file or one over AWS_JSON_MAX_FILE bytes. */
int aws_load_file(struct aws_model *m, const char *path, struct diag_error *err);

/* Every *.json of dir (not hidden files, not subdirectories), in name order. Any of them
 * that is not an AWS document fails the whole load, naming the file (65); a missing
 * directory, or one without a *.json file, is DIAG_EXIT_NOINPUT. */
int aws_load_dir(struct aws_model *m, const char *dir, struct diag_error *err);

/* Renames an EC2 Query API answer, as xml_to_tree() (libdiag/xml.h) builds it from the
 * XML, into the AWS CLI's JSON shape, so aws_load_json_cjson() can read it:
 *   {"DescribeVpnConnectionsResponse": {"requestId": "..", "vpnConnectionSet": [{..}]}}
 *     -> {"VpnConnections": [{..}]}
 * Element names become JSON member names through the schema tables; numbers and booleans,
 * text in XML, become JSON numbers and booleans; empty list elements ("" or []) become
 * empty arrays; elements the schema does not know are dropped. nextToken is kept as
 * "NextToken" (the loader ignores it). The root's single "...Response" member may be
 * given or already stripped. action names the answer in errors ("ec2:DescribeVpcs"):
 *   "ec2:DescribeVpnConnections: vpnConnectionSet[0].options.tunnelOptionSet[1]
 *    .phase1LifetimeSeconds: expected a number" (DIAG_EXIT_DATAERR).
 * The result holds the answer's secrets (pre-shared keys): free it with
 * aws_json_free_wiped(). Returns NULL with err filled on failure. */
cJSON *aws_xml_tree_to_json(const cJSON *xml_tree, const char *action, struct diag_error *err);

/* Wipes every string of a cJSON tree (keys and values), then frees it. NULL is fine. */
void aws_json_free_wiped(cJSON *tree);

#endif
