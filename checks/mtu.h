/* tunnel.mtu: the path MTU across the tunnel against AWS's MTU/MSS table, and the TCP MSS
 * clamp the customer gateway needs (see mtu.c). Self-contained so that check.h can hold
 * struct mtu_opts without a cycle. */
#ifndef CHECKS_MTU_H
#define CHECKS_MTU_H

#include <stdint.h>

#include "libdiag/aws/mtu_table.h"
#include "libdiag/pmtu.h"

struct check;
struct check_ctx;
struct report;

/* What the check is told (vpn-doctor mtu's flags, or vpn-doctor's). */
struct mtu_opts {
	const char *target;      /* an address across the tunnel; NULL: the first single
				  * address among the --targets specs */
	uint16_t port;           /* UDP port to probe; 0: ICMP echo when permitted, else UDP
				  * PMTU_DEFAULT_PORT (closed ports answer with port unreachable) */
	enum aws_natt nat_t;     /* UNKNOWN: the worst case of on and off */
	const char *encryption;  /* phase 2, as AWS names it (AES128-GCM-16); NULL: the AWS
				  * evidence's, else the worst case of the table */
	const char *integrity;   /* phase 2 (SHA2-256); NULL: as encryption */
	enum pmtu_method method; /* AUTO, UDP or ICMP */
	unsigned wait_ms, tries; /* per probe; 0: pmtu.h's defaults */
	int max_size;            /* 0: 1500 */
	unsigned budget_ms;      /* the whole search; 0: pmtu.h's default */
};

int mtu_check_run(const struct check_ctx *ctx, struct report *rep);

extern const struct check check_tunnel_mtu;

#endif
