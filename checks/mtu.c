/* tunnel.mtu: with a target across the tunnel, measure the path MTU with DF-set probes
 * (libdiag/pmtu.h), look up the MTU AWS's table allows for the phase 2 algorithms and
 * NAT-T (libdiag/aws/mtu_table.h), and say which TCP MSS clamp the customer gateway needs.
 * Two findings, both under check "tunnel.mtu" (the root-cause rules read its "fail"):
 *   subject TARGET     the measurement: fail for a black hole (large packets vanish with
 *                      no ICMP "fragmentation needed": ping works, HTTPS hangs)
 *   subject "TCP MSS"  the clamp: the smaller of what the path carries and AWS's table
 * An AWS tunnel endpoint does not take part in path MTU discovery, so a gateway that
 * neither clamps MSS nor fragments loses every full-size TCP segment. */
#include "checks/mtu.h"

#include <stdio.h>
#include <string.h>

#include "checks/check.h"
#include "libdiag/aws/model.h"
#include "libdiag/report.h"

#define CHECK_ID "tunnel.mtu"
#define SUBJECT_MSS "TCP MSS"

/* The algorithms the table is read for, and where they came from. */
struct algs {
	enum aws_mtu_enc enc;
	enum aws_mtu_integ integ;
	struct aws_mtu_answer ans;
	const char *from;
	char enc_text[64], integ_text[64];
};

/* The worst row over every encryption x integrity pair the lists allow (an empty list:
 * any). Returns false when none of the names is in the table. */
static bool worst_of_lists(char *const *enc, size_t nenc, char *const *integ, size_t ninteg,
			   enum aws_natt natt, struct aws_mtu_answer *out)
{
	bool found = false;

	for (size_t i = 0; i < (nenc ? nenc : 1); i++) {
		for (size_t k = 0; k < (ninteg ? ninteg : 1); k++) {
			enum aws_mtu_enc e = AWS_ENC_ANY;
			enum aws_mtu_integ g = AWS_INTEG_ANY;
			struct aws_mtu_answer a;

			if ((nenc && aws_mtu_enc_parse(enc[i], &e, NULL) < 0) ||
			    (ninteg && aws_mtu_integ_parse(integ[k], &g, NULL) < 0) ||
			    !aws_mtu_lookup(e, g, natt, &a))
				continue;
			if (!found || a.row->mtu < out->row->mtu) {
				*out = a;
				out->exact = out->exact && (!found || a.row->mtu == out->row->mtu);
			} else if (a.row->mtu != out->row->mtu) {
				out->exact = false;
			}
			found = true;
		}
	}
	return found;
}

static const struct aws_vpn_connection *pick_connection(const struct check_ctx *ctx)
{
	const struct aws_model *m = ctx->aws;

	if (!m)
		return NULL;
	if (ctx->vpn_connection_id)
		return aws_find_vpn_connection(m, ctx->vpn_connection_id);
	return m->n_vpn_connections == 1 ? &m->vpn_connections[0] : NULL;
}

/* From the AWS evidence: what the tunnels negotiated (GetActiveVpnTunnelStatus), else
 * what they are configured to accept. Returns false when the evidence says nothing. */
static bool algs_from_aws(const struct check_ctx *ctx, enum aws_natt natt, struct algs *a)
{
	const struct aws_model *m = ctx->aws;
	const struct aws_vpn_connection *c = pick_connection(ctx);
	bool found = false;

	for (size_t i = 0; m && i < m->n_active_status; i++) {
		const struct aws_active_status *s = &m->active_status[i];
		char *e[1] = {s->phase2_encryption}, *g[1] = {s->phase2_integrity};
		struct aws_mtu_answer ans;

		if (!s->phase2_encryption ||
		    (ctx->vpn_connection_id && s->vpn_connection_id &&
		     strcmp(s->vpn_connection_id, ctx->vpn_connection_id) != 0))
			continue;
		if (!worst_of_lists(e, 1, g, g[0] ? 1 : 0, natt, &ans))
			continue;
		if (!found || ans.row->mtu < a->ans.row->mtu) {
			a->ans = ans;
			snprintf(a->enc_text, sizeof a->enc_text, "%s", s->phase2_encryption);
			snprintf(a->integ_text, sizeof a->integ_text, "%s",
				 s->phase2_integrity ? s->phase2_integrity : "N/A");
		}
		found = true;
	}
	if (found) {
		a->from = "negotiated (the active tunnel status in the AWS evidence)";
		return true;
	}
	for (size_t t = 0; c && t < c->n_tunnels; t++) {
		const struct aws_tunnel_options *o = &c->tunnels[t];
		struct aws_mtu_answer ans;

		if (!o->phase2_encryption.n && !o->phase2_integrity.n)
			continue;
		if (!worst_of_lists(o->phase2_encryption.v, o->phase2_encryption.n,
				    o->phase2_integrity.v, o->phase2_integrity.n, natt, &ans))
			continue;
		if (!found || ans.row->mtu < a->ans.row->mtu)
			a->ans = ans;
		found = true;
	}
	if (found) {
		snprintf(a->enc_text, sizeof a->enc_text, "%s",
			 aws_mtu_enc_name(a->ans.row->enc));
		snprintf(a->integ_text, sizeof a->integ_text, "%s",
			 aws_mtu_integ_name(a->ans.row->integ));
		a->from = "the worst case of the tunnel options in the AWS evidence";
	}
	return found;
}

/* Returns -1 (an error finding added) for names not in the table. */
static int resolve_algs(const struct check_ctx *ctx, struct report *rep, struct algs *a)
{
	const struct mtu_opts *o = &ctx->mtu;
	struct diag_error err = {0};
	char msg[300];

	memset(a, 0, sizeof *a);
	if (o->encryption || o->integrity) {
		if (aws_mtu_enc_parse(o->encryption, &a->enc, &err) < 0 ||
		    aws_mtu_integ_parse(o->integrity, &a->integ, &err) < 0 ||
		    !aws_mtu_lookup(a->enc, a->integ, o->nat_t, &a->ans)) {
			if (!err.code)
				diag_fail(&err, DIAG_EXIT_USAGE, "algorithms", "AES-CBC needs an "
					  "integrity algorithm (SHA1, SHA2-256, SHA2-384, SHA2-512)");
			report_add(rep, CHECK_ID, DIAG_ERROR, SUBJECT_MSS, "%s",
				   diag_error_text(&err, msg, sizeof msg));
			return -1;
		}
		snprintf(a->enc_text, sizeof a->enc_text, "%s",
			 o->encryption ? o->encryption : "any");
		snprintf(a->integ_text, sizeof a->integ_text, "%s",
			 a->ans.row->enc == AWS_ENC_GCM ? "N/A" : o->integrity ? o->integrity : "any");
		a->from = "given";
		return 0;
	}
	if (algs_from_aws(ctx, o->nat_t, a))
		return 0;
	aws_mtu_lookup(AWS_ENC_ANY, AWS_INTEG_ANY, o->nat_t, &a->ans);
	snprintf(a->enc_text, sizeof a->enc_text, "any");
	snprintf(a->integ_text, sizeof a->integ_text, "any");
	a->from = "unknown: the worst case of AWS's table";
	return 0;
}

/* The target: --mtu's, else the first plain address among the --targets specs. */
static const char *pick_target(const struct check_ctx *ctx, struct diag_addr *out)
{
	if (ctx->mtu.target)
		return addr_parse(ctx->mtu.target, out) ? ctx->mtu.target : NULL;
	for (int i = 0; i < ctx->n_target_specs; i++) {
		const char *s = ctx->target_specs[i];
		struct diag_prefix p;

		if (addr_parse(s, out))
			return s;
		if (strchr(s, '/') && prefix_parse(s, false, &p, NULL) == 0 &&
		    p.len == addr_bits(&p.addr)) {
			*out = p.addr;
			return s;
		}
	}
	return NULL;
}

static cJSON *steps_json(const struct pmtu_result *r)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < r->nsteps; i++) {
		cJSON *s = cJSON_CreateObject();

		if (!s)
			break;
		cJSON_AddNumberToObject(s, "size", r->steps[i].size);
		cJSON_AddStringToObject(s, "verdict", pmtu_verdict_name(r->steps[i].verdict));
		cJSON_AddNumberToObject(s, "tries", r->steps[i].tries);
		if (r->steps[i].mtu_hint)
			cJSON_AddNumberToObject(s, "mtu_hint", r->steps[i].mtu_hint);
		cJSON_AddItemToArray(arr, s);
	}
	return arr;
}

static const char *how_probed(const struct pmtu_result *r, char *buf, size_t len)
{
	if (r->method == PMTU_ICMP)
		snprintf(buf, len, "ICMP echo (%s socket)", r->raw ? "raw" : "ping");
	else
		snprintf(buf, len, "UDP to port %u", (unsigned)r->port);
	return buf;
}

/* The measurement finding; returns it (NULL on OOM). */
static struct finding *path_finding(const char *target, const struct pmtu_result *r,
				    int clamp4, struct report *rep)
{
	char how[64], from[ADDR_STRLEN] = "";
	const char *too_big = strchr(target, ':') ? "ICMPv6 \"packet too big\""
						   : "ICMP \"fragmentation needed\"";
	struct finding *f;

	how_probed(r, how, sizeof how);
	if (r->icmp_from.family)
		addr_str(&r->icmp_from, from);
	switch (r->outcome) {
	case PMTU_NO_ANSWER:
		f = report_add(rep, CHECK_ID, DIAG_ERROR, target,
			       "%s answered no %s probe, not even %d bytes: the path MTU cannot be "
			       "measured", target, how, r->first_bad ? r->first_bad : 0);
		finding_fix(f, "Probe a host across the tunnel that answers: give --port with a "
			       "UDP service on it (or a closed port, whose ICMP port unreachable "
			       "also counts), or allow ICMP echo to it. If nothing crosses the "
			       "tunnel at all, see probe.reachability and the routes checks.");
		break;
	case PMTU_ABOVE_MAX:
		f = report_add(rep, CHECK_ID, DIAG_PASS, target,
			       "%d-byte packets with DF set reach %s (%s): no limit up to the largest "
			       "size tried", r->mtu, target, how);
		break;
	default:
		if (r->black_hole) {
			f = report_add(rep, CHECK_ID, DIAG_FAIL, target,
				       "path MTU black hole toward %s: packets up to %d bytes are "
				       "answered, %d bytes %s vanish with no %s (%s): ping works, "
				       "HTTPS hangs%s", target, r->mtu, r->first_bad,
				       r->outcome == PMTU_PARTIAL ? "(the time budget ran out in "
								    "between)" : "and more",
				       too_big, how,
				       r->unstable ? "; the largest answered size later went "
						     "unanswered too, so loss may play a part" : "");
			finding_fix(f, "Clamp the TCP MSS to %d on the customer gateway for traffic "
				       "through the tunnel (or clear DF and fragment before "
				       "encryption); see the \"TCP MSS\" finding.", clamp4);
		} else if (r->outcome == PMTU_PARTIAL) {
			f = report_add(rep, CHECK_ID, DIAG_WARN, target,
				       "path MTU toward %s is at least %d and below %d bytes (%s); "
				       "the time budget ran out", target, r->mtu, r->first_bad, how);
		} else {
			f = report_add(rep, CHECK_ID, DIAG_PASS, target,
				       "path MTU toward %s is %d bytes (%s); %d bytes fail with %s%s%s",
				       target, r->mtu, how, r->first_bad,
				       r->bad_verdict == PMTU_TOO_BIG_ICMP ? too_big
				       : r->bad_verdict == PMTU_TOO_BIG_LOCAL ? "the local interface's "
										"MTU"
				       : "an ICMP error",
				       from[0] ? " from " : "", from);
		}
		break;
	}
	finding_ev_str(f, "method", pmtu_method_name(r->method));
	finding_ev_bool(f, "raw_socket", r->raw);
	if (r->method == PMTU_UDP)
		finding_ev_num(f, "port", r->port);
	finding_ev_str(f, "outcome", pmtu_outcome_name(r->outcome));
	if (r->mtu)
		finding_ev_num(f, "path_mtu", r->mtu);
	if (r->first_bad) {
		finding_ev_num(f, "first_lost", r->first_bad);
		finding_ev_str(f, "first_lost_by", pmtu_verdict_name(r->bad_verdict));
	}
	if (r->icmp_mtu)
		finding_ev_num(f, "icmp_next_hop_mtu", r->icmp_mtu);
	finding_ev_str(f, "icmp_from", from[0] ? from : NULL);
	if (r->local_mtu)
		finding_ev_num(f, "local_mtu", r->local_mtu);
	finding_ev_bool(f, "black_hole", r->black_hole);
	if (r->unstable)
		finding_ev_bool(f, "unstable", true);
	if (r->bad_verdict == PMTU_UNREACH && r->unreach_type) {
		finding_ev_num(f, "icmp_type", r->unreach_type);
		finding_ev_num(f, "icmp_code", r->unreach_code);
	}
	finding_ev_num(f, "probes", r->probes);
	finding_ev_num(f, "elapsed_ms", r->elapsed_ms);
	finding_ev_json(f, "steps", steps_json(r));
	return f;
}

static void mss_finding(const struct pmtu_result *r, const struct algs *a,
			const struct mtu_opts *o, struct report *rep)
{
	const struct aws_mtu_row *row = a->ans.row;
	bool measured = r->outcome != PMTU_NO_ANSWER && r->mtu > 0;
	/* ABOVE_MAX: the path carries at least max; the table is the limit */
	bool below = measured && r->outcome != PMTU_ABOVE_MAX && r->mtu < row->mtu;
	int mtu = below ? r->mtu : row->mtu;
	int mss4 = mtu_mss4(mtu), mss6 = mtu_mss6(mtu);
	char alg[200];
	struct finding *f;

	if (a->ans.exact)
		snprintf(alg, sizeof alg, "%s%s%s, NAT-T %s", a->enc_text,
			 row->enc == AWS_ENC_GCM ? "" : " with ",
			 row->enc == AWS_ENC_GCM ? "" : a->integ_text, aws_natt_name(row->natt));
	else
		snprintf(alg, sizeof alg, "the worst case of encryption %s, integrity %s, NAT-T "
			 "%s (%s%s%s, NAT-T %s)", a->enc_text, a->integ_text,
			 aws_natt_name(o->nat_t), aws_mtu_enc_name(row->enc),
			 row->enc == AWS_ENC_GCM ? "" : " with ", row->enc == AWS_ENC_GCM ? ""
				 : aws_mtu_integ_name(row->integ), aws_natt_name(row->natt));
	if (!measured)
		f = report_add(rep, CHECK_ID, DIAG_SKIP, SUBJECT_MSS,
			       "nothing measured; by AWS's table alone (%s) the tunnel carries %d "
			       "bytes: clamp TCP MSS to %d (IPv6 %d)", alg, row->mtu, mss4, mss6);
	else if (below)
		f = report_add(rep, CHECK_ID, DIAG_WARN, SUBJECT_MSS,
			       "the device needs TCP MSS clamped to %d (IPv6 %d): the path carries "
			       "%s%d bytes, less than the %d bytes AWS's table allows for %s, so AWS's MSS "
			       "%d is too large", mss4, mss6, r->outcome == PMTU_PARTIAL ? "at least " : "",
			       r->mtu, row->mtu, alg, row->mss4);
	else
		f = report_add(rep, CHECK_ID, r->black_hole ? DIAG_WARN : DIAG_PASS, SUBJECT_MSS,
			       "the device needs TCP MSS clamped to %d (IPv6 %d): AWS's table for %s "
			       "gives MTU %d, and the path carries %s%d bytes%s", mss4, mss6, alg,
			       row->mtu, r->outcome == PMTU_ABOVE_MAX ? "at least " : "", r->mtu,
			       r->mtu > row->mtu ? " (more than the tunnel can: the target may not "
						   "be across it, or the gateway fragments)" : "");
	finding_fix(f, "On the customer gateway, clamp the MSS of TCP through the tunnel to %d "
		       "(IPv6 %d) and set the tunnel interface MTU to %d: Cisco IOS `ip tcp "
		       "adjust-mss %d` and `ip mtu %d` on the tunnel interface; Junos `set security "
		       "flow tcp-mss ipsec-vpn mss %d`; Linux `iptables -t mangle -A FORWARD -o "
		       "TUNNEL -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss %d`.", mss4, mss6,
		       mtu, mss4, mtu, mss4, mss4);
	finding_ref(f, AWS_MTU_TABLE_URL);
	finding_ev_num(f, "mss_ipv4", mss4);
	finding_ev_num(f, "mss_ipv6", mss6);
	finding_ev_num(f, "tunnel_mtu", mtu);
	if (measured)
		finding_ev_num(f, "path_mtu", r->mtu);
	finding_ev_str(f, "encryption", a->enc_text);
	finding_ev_str(f, "integrity", row->enc == AWS_ENC_GCM ? "N/A" : a->integ_text);
	finding_ev_str(f, "nat_t", aws_natt_name(o->nat_t));
	finding_ev_str(f, "algorithms_from", a->from);
	finding_ev_num(f, "aws_table_mtu", row->mtu);
	finding_ev_num(f, "aws_table_mss_ipv4", row->mss4);
	finding_ev_num(f, "aws_table_mss_ipv6", row->mss6);
	finding_ev_str(f, "aws_table_row", a->ans.exact ? "exact" : "worst case");
}

int mtu_check_run(const struct check_ctx *ctx, struct report *rep)
{
	const struct mtu_opts *o = &ctx->mtu;
	struct pmtu_opts po;
	struct pmtu_result r;
	struct diag_error err = {0};
	struct algs a;
	const char *target;
	char msg[300];
	struct finding *f;

	if (resolve_algs(ctx, rep, &a) < 0)
		return -1;
	memset(&po, 0, sizeof po);
	target = pick_target(ctx, &po.target);
	if (!target) {
		if (o->target) {
			report_add(rep, CHECK_ID, DIAG_ERROR, o->target,
				   "%s is not an IP address", o->target);
			return -1;
		}
		f = report_add(rep, CHECK_ID, DIAG_SKIP, "-", "no target across the tunnel to "
							      "measure the path MTU toward");
		finding_fix(f, "Give a host across the tunnel: `vpn-doctor mtu HOST`, or a single "
			       "address in --targets.");
		return 0;
	}
	po.port = o->port;
	po.method = o->method;
	po.wait_ms = o->wait_ms;
	po.tries = o->tries;
	po.max_size = o->max_size;
	po.budget_ms = o->budget_ms;
	if (pmtu_run(&po, &r, &err) < 0) {
		f = report_add(rep, CHECK_ID, DIAG_ERROR, target, "%s",
			       diag_error_text(&err, msg, sizeof msg));
		if (err.code == DIAG_EXIT_NOPERM)
			finding_fix(f, "Allow ping sockets for the group (sysctl -w "
				       "net.ipv4.ping_group_range=\"0 2147483647\"), run with "
				       "CAP_NET_RAW, or probe UDP with --port.");
		return -1;
	}
	{
		const struct aws_mtu_row *row = a.ans.row;
		bool below = r.mtu && r.outcome != PMTU_ABOVE_MAX && r.mtu < row->mtu;

		path_finding(target, &r, mtu_mss4(below ? r.mtu : row->mtu), rep);
	}
	mss_finding(&r, &a, o, rep);
	return 0;
}

const struct check check_tunnel_mtu = {
	.id = CHECK_ID,
	.summary = "path MTU across the tunnel with DF-set probes, against AWS's MTU/MSS table: "
		   "the TCP MSS clamp the gateway needs",
	.needs = NEED_NETWORK,
	.enable = "a target across the tunnel (vpn-doctor mtu HOST, or --targets HOST)",
	.run = mtu_check_run,
};
