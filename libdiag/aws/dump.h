/* The AWS model as JSON, for `vpn-aws --json` and for tests: the AWS CLI's member names,
 * absent values left out, every secret (PreSharedKey, CustomerGatewayConfiguration and
 * the parsed configuration's keys) written as "<redacted>".
 *
 *   {"VpnConnections": [...], "VpnGateways": [...], "CustomerGateways": [...],
 *    "RouteTables": [...], "Subnets": [...], "Vpcs": [...],
 *    "ActiveVpnTunnelStatus": [...], "Sources": ["file", ...]}
 *
 * Every top-level key is present (an empty array when nothing was loaded). A VPN
 * connection whose CustomerGatewayConfiguration was parsed also has
 * "CustomerGatewayConfigurationParsed" (not an AWS member; the loader ignores it). The
 * dump loads back with aws_load_json() into the same model, secrets aside. */
#ifndef LIBDIAG_AWS_DUMP_H
#define LIBDIAG_AWS_DUMP_H

#include <cjson/cJSON.h>

#include "libdiag/aws/model.h"

/* Returns a new tree (free with cJSON_Delete), or NULL when memory runs out. */
cJSON *aws_model_to_json(const struct aws_model *m);

#endif
