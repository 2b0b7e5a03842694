/* The VPC side of a VPN as vpn-routes sees it: which VPC and virtual private gateway,
 * which VPN connections, every route table of the VPC classified (public or private, its
 * subnets explicit and implicit through the main table, ranked as AWS's procedure ranks
 * them), the remote networks, and for each private table and remote network the route
 * that wins (lpm.h) and why. The routes.* and tunnel.* checks turn it into findings;
 * vpn-routes also prints it as a table. Built from the AWS model only; never prints. */
#ifndef CHECKS_ROUTES_VIEW_H
#define CHECKS_ROUTES_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "libdiag/arena.h"
#include "libdiag/aws/model.h"
#include "libdiag/error.h"
#include "libdiag/routes/lpm.h"

struct routes_opts {
	const char *vpc_id;             /* --vpc-id */
	const char *cluster;            /* --cluster INFRA_ID */
	const char *vpn_connection_id;  /* --vpn-connection-id */
	char *const *remote_cidrs;      /* --remote-cidr, repeatable */
	size_t n_remote_cidrs;
};

/* Where a remote network came from. */
enum rv_remote_source { RV_FROM_FLAG, RV_FROM_STATIC_VPN_ROUTE, RV_FROM_PROPAGATED };

struct rv_remote {
	const char *cidr;
	struct diag_prefix p;
	enum rv_remote_source source;
};

/* What carries traffic to a remote network in one table. */
enum rv_outcome {
	RV_VIA_VGW,        /* the gateway: covered */
	RV_SHADOWED,       /* another target wins (a static route elsewhere, or local) */
	RV_BLACKHOLE,      /* the winner is a blackhole route */
	RV_NO_ROUTE,       /* nothing covers it */
};

struct rv_verdict {
	enum rv_outcome outcome;
	long route;        /* index into the table's routes (-1: none) */
	long partial;      /* a more specific route inside the remote network that goes
			    * elsewhere (index), or -1 */
};

struct rv_table {
	const struct aws_route_table *rt;
	bool main, public;
	long igw_route;            /* public: the 0.0.0.0/0 -> igw route */
	size_t explicit_subnets;   /* explicit associations */
	const char **subnets;      /* explicit, then implicit (through main) */
	size_t nsubnets;
	int rank;                  /* private tables: 1 = most explicit subnets; 0 public */
	bool propagates;           /* the gateway is in PropagatingVgws */
	long default_vgw;          /* a 0.0.0.0/0 or ::/0 route to the gateway, or -1 */
	struct lpm_route *lpm;     /* the table's CIDR routes (prefix lists left out) */
	size_t nlpm;
	size_t skipped_routes;     /* prefix-list routes, unreadable CIDRs */
	struct rv_verdict *verdicts; /* one per remote network */
};

struct routes_view {
	struct arena arena;
	const struct aws_vpc *vpc;     /* NULL when the VPC itself was not described */
	const char *vpc_id;            /* the VPC judged, or NULL (problem says why) */
	const char *vpc_how;       /* "--vpc-id", "cluster tag", "gateway attachment", ... */
	const struct aws_vpn_gateway *vgw;
	const char *vgw_attachment_state; /* of the attachment to this VPC, or NULL */
	const struct aws_vpn_connection **conns;
	size_t nconns, cap_conns;
	struct diag_prefix *vpc_cidrs;
	size_t nvpc_cidrs;
	struct rv_remote *remotes;
	size_t nremotes, cap_remotes;
	struct rv_table *tables;   /* private tables by rank, then public ones */
	size_t ntables, cap_tables;
	char problem[300];         /* set when no VPC or gateway could be found: why */
};

/* Builds the view. Returns 0 (v->problem says when the VPC or gateway is missing: the
 * checks report that), or -1 with err for a bad --remote-cidr (DIAG_EXIT_USAGE) or memory.
 * Free with routes_view_free. */
int routes_view_build(const struct aws_model *m, const struct routes_opts *o,
		      struct routes_view *v, struct diag_error *err);
void routes_view_free(struct routes_view *v);

/* The name of a route's target for reports: "vgw-... (propagated)", "local", ... into
 * buf. */
const char *rv_route_desc(const struct aws_route *r, char *buf, size_t len);

#endif
