/* vpn-probe's output: nc lines on stderr (busybox nc format), NDJSON on stdout, the
 * summary line. */
#ifndef CMD_PROBE_PRINT_H
#define CMD_PROBE_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "checks/reachability.h"
#include "libdiag/probe.h"

struct probe_printer {
	const char *tool;
	int verbose;
	bool json;
	bool open_only;
	uint64_t sent, rcvd;
	struct reach_tally tally;
};

void probe_print_result(struct probe_printer *p, const struct probe_result *r);
/* "HOST (IP:PORT)" as busybox nc writes it. */
void probe_format_target(const struct probe_result *r, char *buf, size_t len);
void probe_print_summary(FILE *fp, const struct probe_stats *st);
/* The closing report (JSON, one line) with the probe.reachability finding. */
void probe_print_report(FILE *fp, const struct probe_printer *p, const struct probe_stats *st,
			const char *subject);

#endif
