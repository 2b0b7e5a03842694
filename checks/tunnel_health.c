/* Tunnel health from the AWS side, per VPN connection:
 *   vpn.state             the connection is available (and its static routes are)
 *   tunnel.status         per tunnel: UP/DOWN, AWS's message, last change
 *   tunnel.redundancy     one tunnel down: not redundant (warn); both down: fail
 *   tunnel.bgp            dynamic routing: a tunnel UP with 0 accepted routes
 * The connections judged: --vpn-connection-id, else those of the VPC's gateway
 * (routes_view), else every connection in the evidence. */
#include "checks/tunnel_health.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "checks/routes_view.h"

#define REF_REDUNDANCY "https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-redundant-connection.html"
#define REF_TROUBLE "https://docs.aws.amazon.com/vpn/latest/s2svpn/Troubleshooting.html"

static bool is(const char *a, const char *b)
{
	return a && strcasecmp(a, b) == 0;
}

static void connection_findings(const struct aws_vpn_connection *c, struct report *rep)
{
	const char *id = c->id ? c->id : "vpn-?";
	size_t up = 0, down = 0;
	struct finding *f;

	f = report_add(rep, "vpn.state", is(c->state, "available") ? DIAG_PASS : DIAG_FAIL, id,
		       "%s is %s", id, c->state ? c->state : "in an unknown state");
	finding_ev_str(f, "state", c->state);
	finding_ev_str(f, "vpn_gateway", c->vpn_gateway_id);
	finding_ev_str(f, "customer_gateway", c->customer_gateway_id);
	if (!is(c->state, "available"))
		finding_fix(f, "A connection that is pending becomes available in a few minutes; "
			       "one that is deleting or deleted must be recreated "
			       "(aws ec2 create-vpn-connection).");
	for (size_t r = 0; r < c->n_routes; r++) {
		const struct aws_vpn_route *vr = &c->routes[r];

		if (is(vr->state, "available"))
			continue;
		f = report_add(rep, "vpn.state", DIAG_WARN, id, "static route %s is %s",
			       vr->destination_cidr ? vr->destination_cidr : "?",
			       vr->state ? vr->state : "in an unknown state");
		finding_ev_str(f, "route", vr->destination_cidr);
		finding_fix(f, "Recreate it: `aws ec2 create-vpn-connection-route "
			       "--vpn-connection-id %s --destination-cidr-block %s`.",
			    id, vr->destination_cidr ? vr->destination_cidr : "CIDR");
	}
	size_t any_up = 0;

	for (size_t t = 0; t < c->n_telemetry; t++)
		any_up += is(c->telemetry[t].status, "UP");
	for (size_t t = 0; t < c->n_telemetry; t++) {
		const struct aws_telemetry *tm = &c->telemetry[t];
		char subj[200];
		bool ok = is(tm->status, "UP");

		snprintf(subj, sizeof subj, "%s %s", id, tm->outside_ip ? tm->outside_ip : "?");
		ok ? up++ : down++;
		/* a tunnel down beside one that is up: traffic still flows, the connection is
		 * only not redundant (tunnel.redundancy says so): a warning */
		f = report_add(rep, "tunnel.status", ok ? DIAG_PASS : any_up ? DIAG_WARN : DIAG_FAIL,
			       subj,
			       "tunnel %s is %s%s%s (since %s)", tm->outside_ip ? tm->outside_ip : "?",
			       tm->status ? tm->status : "UNKNOWN",
			       tm->status_message && *tm->status_message ? ": " : "",
			       tm->status_message ? tm->status_message : "",
			       tm->last_status_change ? tm->last_status_change : "unknown");
		finding_ev_str(f, "outside_ip", tm->outside_ip);
		finding_ev_str(f, "status", tm->status);
		finding_ev_str(f, "message", tm->status_message);
		finding_ev_str(f, "last_status_change", tm->last_status_change);
		if (tm->accepted_route_count != AWS_ABSENT)
			finding_ev_num(f, "accepted_route_count", (double)tm->accepted_route_count);
		if (!ok)
			finding_fix(f, "AWS never initiates: the customer gateway must start IKE to "
				       "%s from the registered address and keep traffic flowing; run "
				       "vpn-ike probe %s and vpn-ike check --config on the device's "
				       "configuration.",
				    tm->outside_ip ? tm->outside_ip : "the tunnel",
				    tm->outside_ip ? tm->outside_ip : "IP");
		if (ok && c->static_routes_only != 1 && tm->accepted_route_count == 0) {
			f = report_add(rep, "tunnel.bgp", DIAG_FAIL, subj,
				       "tunnel %s is UP but BGP accepted 0 routes",
				       tm->outside_ip ? tm->outside_ip : "?");
			finding_ev_num(f, "accepted_route_count", 0);
			finding_fix(f, "The customer gateway announces no prefix over BGP (or more "
				       "than AWS accepts, or ones that overlap the VPC): check its BGP "
				       "neighbour to the tunnel's inside address and its network "
				       "statements.");
			finding_ref(f, REF_TROUBLE);
		} else if (ok && c->static_routes_only != 1 && tm->accepted_route_count > 0) {
			f = report_add(rep, "tunnel.bgp", DIAG_PASS, subj,
				       "tunnel %s accepted %ld BGP route%s",
				       tm->outside_ip ? tm->outside_ip : "?", tm->accepted_route_count,
				       tm->accepted_route_count == 1 ? "" : "s");
			finding_ev_num(f, "accepted_route_count", (double)tm->accepted_route_count);
		}
	}
	if (up + down < 2)
		return;
	if (down == 0) {
		f = report_add(rep, "tunnel.redundancy", DIAG_PASS, id, "both tunnels are UP");
	} else if (up > 0) {
		f = report_add(rep, "tunnel.redundancy", DIAG_WARN, id,
			       "%zu of %zu tunnels DOWN: this is a non-redundant VPN connection",
			       down, up + down);
		finding_fix(f, "Configure the second tunnel on the customer gateway too (its outside "
			       "address and pre-shared key are in the connection's configuration); "
			       "AWS replaces tunnel endpoints during maintenance and a single tunnel "
			       "then drops all traffic.");
		finding_ref(f, REF_REDUNDANCY);
	} else {
		f = report_add(rep, "tunnel.redundancy", DIAG_FAIL, id, "every tunnel is DOWN");
		finding_fix(f, "Neither tunnel is established: start with the customer gateway "
			       "(it must initiate), the source address AWS sees and the IKE "
			       "settings.");
	}
	finding_ev_num(f, "up", (double)up);
	finding_ev_num(f, "down", (double)down);
}

static int run(const struct check_ctx *ctx, struct report *rep)
{
	const struct aws_model *m = ctx->aws;
	struct routes_view v;
	struct diag_error err = {0};
	size_t judged = 0;
	bool have_view = routes_view_build(m, &ctx->routes, &v, &err) == 0;

	if (have_view && v.nconns) {
		for (size_t i = 0; i < v.nconns; i++)
			connection_findings(v.conns[i], rep);
		judged = v.nconns;
	} else {
		for (size_t i = 0; i < m->n_vpn_connections; i++) {
			const struct aws_vpn_connection *c = &m->vpn_connections[i];

			if (ctx->routes.vpn_connection_id &&
			    (!c->id || strcmp(c->id, ctx->routes.vpn_connection_id) != 0))
				continue;
			connection_findings(c, rep);
			judged++;
		}
	}
	routes_view_free(&v);
	if (!judged)
		finding_fix(report_add(rep, "tunnel.status", DIAG_SKIP, "VPN connections",
				       "no VPN connection%s in the evidence",
				       ctx->routes.vpn_connection_id ? " of that id" : ""),
			    "Add describe-vpn-connections output (--aws-dir) or use --live.");
	return 0;
}

const struct check check_tunnel_health = {
	.id = "tunnel",
	.summary = "tunnel status, redundancy and BGP routes from VgwTelemetry; connection state",
	.needs = NEED_AWS,
	.enable = "--aws-dir DIR or --live",
	.run = run,
};
