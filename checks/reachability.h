/* probe.reachability: does anything answer across the path? A RST is as good an answer as
 * a SYN-ACK here: both prove packets reach the target and come back through the tunnel.
 * vpn-probe feeds its results through the same tally so its report and vpn-doctor's agree. */
#ifndef CHECKS_REACHABILITY_H
#define CHECKS_REACHABILITY_H

#include "checks/check.h"

struct reach_tally {
	uint64_t answered; /* open, refused, closed */
};

void reach_tally_add(struct reach_tally *t, const struct probe_result *r);
/* Appends the probe.reachability finding for a finished run. */
void reach_finding(struct report *rep, const struct reach_tally *t,
		   const struct probe_stats *st, const char *subject);

extern const struct check check_probe_reachability;

#endif
