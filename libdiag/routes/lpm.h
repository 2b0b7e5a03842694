/* Which route of a VPC route table carries traffic to an address: longest prefix match
 * with AWS's priority rules (https://docs.aws.amazon.com/vpc/latest/userguide/
 * route-tables.html, "Route priority"):
 *   1. the local route (the VPC's own CIDRs) wins over propagated routes even when they are
 *      more specific: a propagated route cannot take VPC addresses away;
 *   2. otherwise the longest prefix wins;
 *   3. on equal prefixes a static route (CreateRoute, a prefix-list route counts as static
 *      here) wins over a propagated one (EnableVgwRoutePropagation).
 * Pure arithmetic over parsed routes: the AWS model is read elsewhere. */
#ifndef LIBDIAG_ROUTES_LPM_H
#define LIBDIAG_ROUTES_LPM_H

#include <stdbool.h>
#include <stddef.h>

#include "libdiag/addr.h"

enum lpm_kind {
	LPM_LOCAL,       /* target "local" */
	LPM_STATIC,      /* CreateRoute / CreateRouteTable other than local */
	LPM_PROPAGATED,  /* EnableVgwRoutePropagation */
};

struct lpm_route {
	struct diag_prefix dst;
	enum lpm_kind kind;
	bool blackhole;   /* State blackhole */
	size_t ref;       /* the caller's index of the route */
};

/* The index into r[] of the route that carries traffic to a, or -1 when none covers it. */
long lpm_select(const struct lpm_route *r, size_t n, const struct diag_addr *a);

/* Does prefix p contain address a / prefix q? Do p and q share any address? */
bool lpm_contains(const struct diag_prefix *p, const struct diag_addr *a);
bool lpm_covers(const struct diag_prefix *p, const struct diag_prefix *q);
bool lpm_overlap(const struct diag_prefix *p, const struct diag_prefix *q);

/* The last address of p. */
void lpm_last(const struct diag_prefix *p, struct diag_addr *out);

/* The kind of an AWS route from its target and Origin. */
enum lpm_kind lpm_kind_of(const char *target, const char *origin);

#endif
