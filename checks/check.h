/* The one interface every check implements. A check reads what it needs from the context,
 * appends findings to the report and never prints. vpn-doctor is a loop over check_table;
 * the small tools run the checks that belong to them. */
#ifndef CHECKS_CHECK_H
#define CHECKS_CHECK_H

#include <stdio.h>

struct aws_model;
struct devconf_model;

#include "checks/mtu.h"
#include "checks/routes_view.h"
#include "checks/srcip_opts.h"
#include "libdiag/ports.h"
#include "libdiag/probe.h"
#include "libdiag/report.h"
#include "libdiag/targets.h"

/* What a check needs before it can run; a check whose needs are unmet is reported as
 * "skip" with the flag that would provide them. */
enum check_need {
	NEED_AWS = 1u << 0,     /* AWS evidence (--aws-dir or --live) */
	NEED_CONFIG = 1u << 1,  /* customer gateway configuration (--config) */
	NEED_NETWORK = 1u << 2, /* may send packets */
	NEED_RAW = 1u << 3,     /* raw sockets (CAP_NET_RAW) */
	NEED_CAPTURE = 1u << 4, /* a capture (--capture or --pcap) */
	NEED_LOGS = 1u << 5,    /* tunnel logs (--vpn-logs) */
	NEED_TARGETS = 1u << 6, /* targets across the tunnel (--targets) */
};

/* Inputs shared by all checks; each later input (AWS model, device config, logs, capture)
 * joins this struct as it lands. Unset inputs are NULL or zero. */
struct check_ctx {
	/* targets: specs as given (CIDR:PORTS lists are split by the front end) */
	char *const *target_specs;
	int n_target_specs;
	FILE *target_file;
	const char *target_file_name;
	const struct port_list *ports;
	struct target_opts target_opts;
	struct probe_opts probe_opts;
	/* tunnel logs (--vpn-logs): the file as named ("-": stdin) and, when the front end
	 * has opened it already, the stream (read from where it stands, not closed) */
	const char *vpn_logs_file;
	FILE *vpn_logs_fp;
	/* AWS evidence (--aws-dir, --aws-file, --live), loaded by the front end */
	const struct aws_model *aws;
	const char *vpn_connection_id;   /* --vpn-connection-id: the one to judge, or NULL */
	/* which VPC, gateway and remote networks the routes checks judge (vpn_connection_id
	 * is copied in by the front end) */
	struct routes_opts routes;
	/* the source-address check's inputs (cgw_ip, peers, echo, capture, probe) */
	struct srcip_opts srcip;
	/* the customer gateway's configuration (--config), parsed by the front end */
	const struct devconf_model *config;
	struct mtu_opts mtu; /* tunnel.mtu: target, port, NAT-T, phase 2 algorithms */
};

struct check {
	const char *id;      /* "probe.reachability" */
	const char *summary; /* one line for --list and the man page */
	unsigned needs;      /* enum check_need bits */
	const char *enable;  /* the flag that supplies what it needs, for "skip" findings */
	/* Returns 0 when it ran (whatever it found) and -1 when it could not (it has then
	 * added an "error" finding saying why). */
	int (*run)(const struct check_ctx *ctx, struct report *rep);
};

extern const struct check *const check_table[];
extern const size_t check_table_len;

const struct check *check_find(const char *id);
/* True when ctx holds every input the check needs. */
int check_ready(const struct check *c, const struct check_ctx *ctx);

#endif
