/* vpn-probe's parsed command line, shared by its sweep and keepalive modes. */
#ifndef CMD_PROBE_CMD_H
#define CMD_PROBE_CMD_H

#include "cmd/probe_print.h"
#include "libdiag/ports.h"
#include "libdiag/probe.h"
#include "libdiag/targets.h"

struct probe_cmd {
	struct probe_opts probe;
	struct target_opts targets;
	struct port_list ports;
	struct probe_printer print;
	uint8_t payload[PROBE_UDP_PAYLOAD_MAX];
	const char *ports_arg;
	const char *targets_file;
	FILE *fp;
	char **specs;
	int nspecs;
	uint64_t total; /* targets per round */
	bool udp, icmp, summary, help, version;
	double keepalive_s;
	uint64_t count;
	char subject[512];
};

/* The SLA monitor: probes every target every keepalive_s seconds until stopped or count
 * rounds are done; prints a time-stamped line whenever a target changes between up and
 * down. Returns the exit status. */
int probe_keepalive(struct probe_cmd *pc);

#endif
