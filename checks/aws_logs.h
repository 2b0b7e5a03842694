/* aws.tunnel_logs: what the Site-to-Site VPN tunnel logs say. Per tunnel (outside IP): the
 * latest phase 1 / phase 2 state, and one finding per problem the logs name (pre-shared key
 * mismatch, no proposal match, TS_UNACCEPTABLE, DPD timeouts, ...) with when it was first
 * and last seen, how often, and an example. The reading is split from the check so that
 * front ends (vpn-logs) can take several files and get the reader's exit status. */
#ifndef CHECKS_AWS_LOGS_H
#define CHECKS_AWS_LOGS_H

#include <stdio.h>

#include "checks/check.h"
#include "libdiag/aws/vpnlog.h"

#define AWS_LOGS_MAX_FILES 64
#define AWS_LOGS_MAX_TUNNELS 1024

struct aws_logs;

/* NULL when memory runs out. */
struct aws_logs *aws_logs_new(void);
void aws_logs_free(struct aws_logs *al);

/* Reads one log file into al (name as given; "-" is shown as "stdin"). Returns 0 when it
 * held at least one event (bad records skipped and counted), or -1 with err filled (65
 * malformed or no events, 66 read error, 70 out of memory); a failed file still yields an
 * "error" finding from aws_logs_findings. */
int aws_logs_read(struct aws_logs *al, FILE *fp, const char *name, struct diag_error *err);
/* Bad records skipped in every file read so far; *first (may be NULL) gets the first
 * one's error. */
unsigned long long aws_logs_bad(const struct aws_logs *al, struct diag_error *first);

/* Appends the findings: one per file, then per tunnel (ordered by VPN connection and
 * outside IP) its state and one per problem category seen. */
void aws_logs_findings(const struct aws_logs *al, struct report *rep);

extern const struct check check_aws_tunnel_logs;

#endif
