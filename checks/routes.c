/* routes.*: the VPC side of the VPN, from the route tables (checks/routes_view.h).
 *   routes.gateway      the VPC and its virtual private gateway were found, attached, available
 *   routes.propagation  per private table: the gateway propagates into it
 *   routes.coverage     per private table and remote network: traffic reaches the gateway
 *   routes.shadowed     ... a route to the gateway exists but another route wins
 *   routes.blackhole    ... the winning route is a blackhole
 *   routes.overlap      a remote network overlaps the VPC's CIDRs
 *   routes.default      0.0.0.0/0 (or ::/0) through the gateway */
#include "checks/routes.h"

#include <stdio.h>
#include <string.h>

#include "checks/routes_view.h"

#define REF_PROPAGATION "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html"
#define REF_PRIORITY "https://docs.aws.amazon.com/vpc/latest/userguide/route-tables.html"

static const char *route_str(const struct rv_table *t, long i, char *buf, size_t len)
{
	if (i < 0) {
		snprintf(buf, len, "no route");
		return buf;
	}
	return rv_route_desc(&t->rt->routes[i], buf, len);
}

static void gateway_findings(const struct routes_view *v, struct report *rep)
{
	struct finding *f;

	if (v->problem[0]) {
		f = report_add(rep, "routes.gateway", DIAG_FAIL, v->vpc_id ? v->vpc_id : "VPC",
			       "%s", v->problem);
		finding_fix(f, "Describe the VPC, its route tables, subnets and the virtual private "
			       "gateway (aws ec2 describe-vpcs, describe-route-tables, "
			       "describe-subnets, describe-vpn-gateways), or name the VPC with "
			       "--vpc-id / --cluster INFRA_ID.");
		return;
	}
	if (!v->vgw_attachment_state || strcmp(v->vgw_attachment_state, "attached") != 0) {
		f = report_add(rep, "routes.gateway", DIAG_FAIL, v->vgw->id,
			       "%s is %s to %s", v->vgw->id,
			       v->vgw_attachment_state ? v->vgw_attachment_state : "not attached",
			       v->vpc_id);
		finding_fix(f, "Attach it: VPC console > Virtual private gateways > %s > Actions > "
			       "Attach to VPC, or `aws ec2 attach-vpn-gateway --vpn-gateway-id %s "
			       "--vpc-id %s`.", v->vgw->id, v->vgw->id, v->vpc_id);
	} else if (v->vgw->state && strcmp(v->vgw->state, "available") != 0) {
		f = report_add(rep, "routes.gateway", DIAG_FAIL, v->vgw->id,
			       "%s is in state %s, not available", v->vgw->id, v->vgw->state);
		finding_fix(f, "Wait for it to become available, or recreate it if it is being "
			       "deleted.");
	} else {
		f = report_add(rep, "routes.gateway", DIAG_PASS, v->vgw->id,
			       "%s is attached to %s (found by %s)", v->vgw->id, v->vpc_id,
			       v->vpc_how ? v->vpc_how : "the evidence");
	}
	finding_ev_str(f, "vpc", v->vpc_id);
	finding_ev_str(f, "found_by", v->vpc_how);
	finding_ev_num(f, "route_tables", (double)v->ntables);
	finding_ev_num(f, "vpn_connections", (double)v->nconns);
}

static void default_findings(const struct routes_view *v, struct report *rep)
{
	for (size_t i = 0; i < v->ntables; i++) {
		const struct rv_table *t = &v->tables[i];
		char r[200];
		struct finding *f;

		if (t->default_vgw < 0)
			continue;
		f = report_add(rep, "routes.default", DIAG_FAIL, t->rt->id,
			       "%s sends the default route into the VPN (%s): not supported",
			       t->rt->id, route_str(t, t->default_vgw, r, sizeof r));
		finding_ev_str(f, "route", r);
		finding_ev_num(f, "subnets", (double)t->nsubnets);
		finding_fix(f, "Remove it and route only the on-premises networks to %s: `aws ec2 "
			       "delete-route --route-table-id %s --destination-cidr-block %s`, "
			       "then `aws ec2 create-route ... --gateway-id %s` per on-premises "
			       "CIDR (or rely on propagation). A default route through the VPN takes "
			       "the cluster's internet-bound traffic (image pulls, the Red Hat "
			       "management and monitoring connections) away from its NAT or internet "
			       "gateway, which cuts the cluster off from the service.",
			    v->vgw->id, t->rt->id,
			    t->rt->routes[t->default_vgw].destination_cidr ? "0.0.0.0/0" : "::/0",
			    v->vgw->id);
		finding_ref(f, REF_PROPAGATION);
	}
}

static void overlap_findings(const struct routes_view *v, struct report *rep)
{
	for (size_t r = 0; r < v->nremotes; r++) {
		const struct rv_remote *rem = &v->remotes[r];
		bool any = false;

		for (size_t c = 0; c < v->nvpc_cidrs; c++) {
			char cidr[ADDR_STRLEN + 8], a[ADDR_STRLEN];
			struct finding *f;

			if (!lpm_overlap(&rem->p, &v->vpc_cidrs[c]))
				continue;
			any = true;
			snprintf(cidr, sizeof cidr, "%s/%u", addr_str(&v->vpc_cidrs[c].addr, a),
				 v->vpc_cidrs[c].len);
			f = report_add(rep, "routes.overlap", DIAG_FAIL, rem->cidr,
				       "the remote network %s overlaps the VPC's %s: traffic to the "
				       "overlap stays in the VPC (the local route wins)",
				       rem->cidr, cidr);
			finding_ev_str(f, "remote", rem->cidr);
			finding_ev_str(f, "vpc_cidr", cidr);
			finding_fix(f, "Renumber the on-premises network or translate it (NAT on the "
				       "customer gateway) to a range outside the VPC's CIDRs; no "
				       "route can send VPC addresses through the VPN.");
			finding_ref(f, REF_PRIORITY);
		}
		if (!any && v->nvpc_cidrs) {
			struct finding *f = report_add(rep, "routes.overlap", DIAG_PASS, rem->cidr,
						       "the remote network %s does not overlap the "
						       "VPC", rem->cidr);

			finding_ev_str(f, "remote", rem->cidr);
		}
	}
}

static const char *remote_source(enum rv_remote_source s)
{
	switch (s) {
	case RV_FROM_FLAG: return "--remote-cidr";
	case RV_FROM_STATIC_VPN_ROUTE: return "static route of the VPN connection";
	case RV_FROM_PROPAGATED: return "propagated route";
	}
	return "?";
}

static void table_findings(const struct routes_view *v, const struct rv_table *t,
			   struct report *rep)
{
	struct finding *f;
	char subj[200];

	f = report_add(rep, "routes.propagation", t->propagates ? DIAG_PASS : DIAG_FAIL,
		       t->rt->id, "%s (private, rank %d, %zu explicit subnet%s%s): route "
		       "propagation from %s is %s", t->rt->id, t->rank, t->explicit_subnets,
		       t->explicit_subnets == 1 ? "" : "s", t->main ? ", main" : "", v->vgw->id,
		       t->propagates ? "on" : "off");
	finding_ev_bool(f, "propagates", t->propagates);
	finding_ev_num(f, "rank", t->rank);
	finding_ev_num(f, "explicit_subnets", (double)t->explicit_subnets);
	finding_ev_num(f, "subnets", (double)t->nsubnets);
	finding_ev_bool(f, "main", t->main);
	if (!t->propagates) {
		finding_fix(f, "VPC console > Route tables > %s > Route propagation > Edit route "
			       "propagation > tick %s > Save; or `aws ec2 "
			       "enable-vgw-route-propagation --route-table-id %s --gateway-id %s`.",
			    t->rt->id, v->vgw->id, t->rt->id, v->vgw->id);
		finding_ref(f, REF_PROPAGATION);
	}
	for (size_t r = 0; r < v->nremotes; r++) {
		const struct rv_remote *rem = &v->remotes[r];
		const struct rv_verdict *vd = &t->verdicts[r];
		char win[200], part[200];

		snprintf(subj, sizeof subj, "%s %s", t->rt->id, rem->cidr);
		route_str(t, vd->route, win, sizeof win);
		switch (vd->outcome) {
		case RV_VIA_VGW:
			if (vd->partial >= 0) {
				route_str(t, vd->partial, part, sizeof part);
				f = report_add(rep, "routes.shadowed", DIAG_WARN, subj,
					       "%s reaches %s by %s, except what %s takes", rem->cidr,
					       v->vgw->id, win, part);
				finding_ev_str(f, "shadowing_route", part);
				finding_fix(f, "If the more specific route is not meant to take part of "
					       "%s away from the VPN, delete it: `aws ec2 delete-route "
					       "--route-table-id %s --destination-cidr-block %s`.",
					    rem->cidr, t->rt->id,
					    t->rt->routes[vd->partial].destination_cidr
						    ? t->rt->routes[vd->partial].destination_cidr
						    : "CIDR");
			} else {
				f = report_add(rep, "routes.coverage", DIAG_PASS, subj,
					       "%s reaches %s by %s", rem->cidr, v->vgw->id, win);
			}
			break;
		case RV_SHADOWED: {
			bool local = t->rt->routes[vd->route].target &&
				     strcmp(t->rt->routes[vd->route].target, "local") == 0;

			f = report_add(rep, "routes.shadowed", DIAG_FAIL, subj,
				       "%s should reach %s, but %s wins (%s)", rem->cidr, v->vgw->id,
				       win,
				       local ? "the local route keeps the VPC's own addresses"
					     : "a longer prefix, or a static route over a propagated "
					       "one of the same length");
			finding_ev_str(f, "winning_route", win);
			if (local)
				finding_fix(f, "The local route cannot be changed or outranked: the "
					       "remote network %s must not use the VPC's addresses. "
					       "Renumber it or NAT it on the customer gateway.",
					    rem->cidr);
			else
				finding_fix(f, "Delete the winning route or point it at the gateway: "
					       "`aws ec2 replace-route --route-table-id %s "
					       "--destination-cidr-block %s --gateway-id %s` (or "
					       "delete-route).",
					    t->rt->id,
					    t->rt->routes[vd->route].destination_cidr
						    ? t->rt->routes[vd->route].destination_cidr
						    : "CIDR",
					    v->vgw->id);
			finding_ref(f, REF_PRIORITY);
			break;
		}
		case RV_BLACKHOLE:
			f = report_add(rep, "routes.blackhole", DIAG_FAIL, subj,
				       "traffic to %s is dropped: %s", rem->cidr, win);
			finding_ev_str(f, "winning_route", win);
			finding_fix(f, "A blackhole route's target is gone (or, propagated, the tunnel "
				       "that announced it is down). Replace or delete it: `aws ec2 "
				       "replace-route --route-table-id %s --destination-cidr-block %s "
				       "--gateway-id %s`.",
				    t->rt->id,
				    t->rt->routes[vd->route].destination_cidr
					    ? t->rt->routes[vd->route].destination_cidr
					    : "CIDR",
				    v->vgw->id);
			break;
		case RV_NO_ROUTE:
			f = report_add(rep, "routes.coverage", DIAG_FAIL, subj,
				       "%s does not reach %s: %s", rem->cidr, v->vgw->id,
				       vd->route >= 0 ? win : "no route covers it");
			if (vd->route >= 0)
				finding_ev_str(f, "winning_route", win);
			if (t->propagates)
				finding_fix(f, "Propagation is on but no route to %s is there: the "
					       "tunnels are down, BGP does not announce %s, or the "
					       "static VPN route is missing (`aws ec2 "
					       "create-vpn-connection-route --vpn-connection-id ... "
					       "--destination-cidr-block %s`).",
					    rem->cidr, rem->cidr, rem->cidr);
			else
				finding_fix(f, "Enable route propagation from %s on %s (`aws ec2 "
					       "enable-vgw-route-propagation --route-table-id %s "
					       "--gateway-id %s`), or add `aws ec2 create-route "
					       "--route-table-id %s --destination-cidr-block %s "
					       "--gateway-id %s`.",
					    v->vgw->id, t->rt->id, t->rt->id, v->vgw->id, t->rt->id,
					    rem->cidr, v->vgw->id);
			break;
		}
		finding_ev_str(f, "remote", rem->cidr);
		finding_ev_str(f, "remote_from", remote_source(rem->source));
		finding_ev_str(f, "route_table", t->rt->id);
	}
}

static int run(const struct check_ctx *ctx, struct report *rep)
{
	struct routes_view v;
	struct diag_error err = {0};
	char msg[400];

	if (routes_view_build(ctx->aws, &ctx->routes, &v, &err) < 0) {
		struct finding *f = report_add(rep, "routes.gateway", DIAG_ERROR, "vpn-routes", "%s",
					       diag_error_text(&err, msg, sizeof msg));

		(void)f;
		routes_view_free(&v);
		return -1;
	}
	gateway_findings(&v, rep);
	if (!v.problem[0]) {
		size_t private = 0;

		default_findings(&v, rep);
		overlap_findings(&v, rep);
		for (size_t i = 0; i < v.ntables; i++)
			if (!v.tables[i].public) {
				table_findings(&v, &v.tables[i], rep);
				private++;
			}
		if (!private)
			finding_fix(report_add(rep, "routes.propagation", DIAG_WARN,
					       v.vpc_id, "%s has no private route table (every table "
					       "routes 0.0.0.0/0 to an internet gateway)", v.vpc_id),
				    "A ROSA cluster's nodes sit in private subnets; describe their "
				    "route tables.");
		if (!v.nremotes)
			finding_fix(report_add(rep, "routes.coverage", DIAG_SKIP, v.vpc_id,
					       "no remote network known: the connection has no static "
					       "routes and no route is propagated"),
				    "Name the on-premises networks with --remote-cidr CIDR.");
	}
	routes_view_free(&v);
	return 0;
}

const struct check check_routes = {
	.id = "routes",
	.summary = "route tables: propagation, coverage, shadowed and blackhole routes, overlap, "
		   "default route",
	.needs = NEED_AWS,
	.enable = "--aws-dir DIR or --live",
	.run = run,
};
