/* srcip.*: which source address AWS sees for the customer gateway, from four kinds of
 * evidence (libdiag/srcip/srcip.h), judged by checks/srcip_judge.c.
 *   srcip.route      per peer: the kernel's source toward it (private: NAT on the way)
 *   srcip.public     the address the echo service saw
 *   srcip.capture    IKE/ESP on the wire per flow: what left, what came back
 *   srcip.responder  per peer: an IKE probe's answer and its NAT-D verdict, or silence
 *   srcip.match      the verdict: match (with or without NAT), mismatch, unknown
 *   srcip.nat        NAT between the gateway and AWS, and whether UDP 4500 must be open */
#include "checks/srcip.h"

#include <stdio.h>
#include <string.h>

#include "checks/srcip_judge.h"
#include "libdiag/aws/model.h"
#include "libdiag/ike/ike_probe.h"
#include "libdiag/srcip/srcip.h"

#define REF_NAT "https://docs.aws.amazon.com/vpn/latest/s2svpn/your-cgw.html"
/* Every phase 1 transform AWS supports, in one proposal: the probe is answered whatever
 * the tunnel allows, so the answer carries NAT-D. */
#define AWS_WIDE_PROPOSAL                                                                  \
	"aes128-aes256-sha1-sha256-sha384-sha512-ecp256-modp2048-modp1024-modp3072-modp4096-"  \
	"modp6144-modp8192-ecp384-ecp521-modp1024s160-modp2048s224-modp2048s256"

struct inputs {
	const char *expected;           /* as text, or NULL */
	const char *expected_from;
	const char *peers[SRCIP_MAX_PEERS];
	size_t npeers;
	const char *peers_from;
};

static const struct aws_vpn_connection *pick_connection(const struct check_ctx *ctx)
{
	const struct aws_model *m = ctx->aws;

	if (!m)
		return NULL;
	if (ctx->vpn_connection_id)
		return aws_find_vpn_connection(m, ctx->vpn_connection_id);
	return m->n_vpn_connections == 1 ? &m->vpn_connections[0] : NULL;
}

static void add_peer(struct inputs *in, const char *ip)
{
	for (size_t i = 0; i < in->npeers; i++)
		if (strcmp(in->peers[i], ip) == 0)
			return;
	if (in->npeers < SRCIP_MAX_PEERS)
		in->peers[in->npeers++] = ip;
}

static void resolve_inputs(const struct check_ctx *ctx, struct inputs *in)
{
	const struct srcip_opts *o = &ctx->srcip;
	const struct aws_vpn_connection *c = pick_connection(ctx);

	memset(in, 0, sizeof *in);
	if (o->cgw_ip) {
		in->expected = o->cgw_ip;
		in->expected_from = "--cgw-ip";
	} else if (c && c->customer_gateway_id) {
		const struct aws_customer_gateway *g =
			aws_find_customer_gateway(ctx->aws, c->customer_gateway_id);

		if (g && g->ip_address) {
			in->expected = g->ip_address;
			in->expected_from = "the customer gateway in the AWS evidence";
		}
	}
	for (size_t i = 0; i < o->npeers; i++)
		add_peer(in, o->peers[i]);
	if (in->npeers) {
		in->peers_from = "--peer";
		return;
	}
	for (size_t i = 0; c && i < c->n_tunnels; i++)
		if (c->tunnels[i].outside_ip)
			add_peer(in, c->tunnels[i].outside_ip);
	for (size_t i = 0; c && i < c->n_telemetry; i++)
		if (c->telemetry[i].outside_ip)
			add_peer(in, c->telemetry[i].outside_ip);
	if (in->npeers)
		in->peers_from = "the tunnels' outside addresses";
}

static const char *nat_name(enum ike_nat n)
{
	return n == IKE_NAT_DETECTED ? "detected" : n == IKE_NAT_NONE ? "none" : "unknown";
}

static void route_evidence(const char *peer, struct srcip_peer_ev *pe, struct report *rep)
{
	struct srcip_route r;
	struct diag_error err = {0};
	char msg[300], a[ADDR_STRLEN];
	struct finding *f;

	if (srcip_route_source(peer, &r, &err) < 0) {
		pe->route = SRCIP_EV_FAILED;
		(void)msg;
		f = report_add(rep, "srcip.route", DIAG_WARN, peer, "no route toward %s: %s", peer,
			       err.what);
		finding_fix(f, "The host has no route to the AWS outside address; run this where "
			       "the customer gateway runs.");
		return;
	}
	pe->route = SRCIP_EV_OK;
	pe->route_src = r.src;
	pe->route_private = r.is_private;
	addr_str(&r.src, a);
	f = report_add(rep, "srcip.route", DIAG_PASS, peer,
		       "toward %s the kernel sends from %s%s%s%s", peer, a, r.ifname[0] ? " on " : "",
		       r.ifname, r.is_private ? " (private: a NAT must translate it)" : "");
	finding_ev_str(f, "source", a);
	finding_ev_str(f, "interface", r.ifname[0] ? r.ifname : NULL);
	finding_ev_bool(f, "private", r.is_private);
}

static void probe_evidence(const struct srcip_opts *o, const char *peer,
			   struct srcip_peer_ev *pe, struct report *rep)
{
	static struct ike_proposal prop;
	struct ike_probe_opts po;
	struct ike_probe_out out;
	struct diag_error err = {0};
	char msg[300];
	struct finding *f;
	const struct ike_verdict *fin;

	if (ike_proposal_parse(o->proposal ? o->proposal : AWS_WIDE_PROPOSAL, &prop, &err) < 0) {
		pe->probe = SRCIP_EV_FAILED;
		report_add(rep, "srcip.responder", DIAG_ERROR, peer, "%s",
			   diag_error_text(&err, msg, sizeof msg));
		return;
	}
	memset(&po, 0, sizeof po);
	po.version = 2;
	po.host = peer;
	po.port = o->ike_port ? o->ike_port : 500;
	po.prop = &prop;
	memcpy(po.wait_ms, o->wait_ms, sizeof po.wait_ms);
	if (ike_probe_run(&po, &out, &err) < 0) {
		pe->probe = SRCIP_EV_FAILED;
		report_add(rep, "srcip.responder", DIAG_ERROR, peer, "IKE probe: %s",
			   diag_error_text(&err, msg, sizeof msg));
		return;
	}
	fin = out.retried ? &out.retry : &out.first;
	pe->probe = SRCIP_EV_OK;
	pe->answered = fin->result != IKE_PR_NO_RESPONSE;
	pe->nat = fin->nat != IKE_NAT_UNKNOWN ? fin->nat : out.first.nat;
	if (pe->answered)
		f = report_add(rep, "srcip.responder", DIAG_PASS, peer,
			       "%s answered IKE (%s) on UDP %u; NAT between us: %s", peer,
			       ike_probe_result_name(fin->result), (unsigned)po.port,
			       nat_name(pe->nat));
	else
		f = report_add(rep, "srcip.responder", DIAG_WARN, peer,
			       "%s did not answer %u IKE requests on UDP %u", peer, out.sent,
			       (unsigned)po.port);
	finding_ev_str(f, "result", ike_probe_result_name(fin->result));
	finding_ev_str(f, "nat", nat_name(pe->nat));
	finding_ev_num(f, "sent", out.sent);
	finding_ev_num(f, "received", out.received);
	finding_ev_num(f, "local_port", out.local_port);
}

static void wire_findings(const struct srcip_capture *c, const char *source,
			  struct srcip_evidence *ev, struct report *rep)
{
	char l[ADDR_STRLEN], p[ADDR_STRLEN], subj[160];

	for (size_t i = 0; i < c->nflows; i++) {
		const struct srcip_flow *fl = &c->flows[i];
		struct finding *f;
		bool unanswered = fl->ike_out > 0 && fl->ike_in == 0;

		addr_str(&fl->local, l);
		addr_str(&fl->peer, p);
		snprintf(subj, sizeof subj, "%s:%u -> %s:%u", l, (unsigned)fl->lport, p,
			 (unsigned)fl->pport);
		f = report_add(rep, "srcip.capture", unanswered ? DIAG_WARN : DIAG_PASS, subj,
			       "%u IKE out (%u retransmitted), %u in; ESP %u out, %u in%s%s", fl->ike_out,
			       fl->retransmits, fl->ike_in, fl->esp_out, fl->esp_in,
			       fl->natt ? "; NAT-T (UDP 4500)" : "",
			       unanswered ? ": requests went unanswered" : "");
		finding_ev_str(f, "source", source);
		finding_ev_str(f, "local", l);
		finding_ev_num(f, "local_port", fl->lport);
		finding_ev_num(f, "ike_out", fl->ike_out);
		finding_ev_num(f, "ike_in", fl->ike_in);
		finding_ev_num(f, "retransmits", fl->retransmits);
		finding_ev_num(f, "esp_out", fl->esp_out);
		finding_ev_num(f, "esp_in", fl->esp_in);
		finding_ev_bool(f, "natt", fl->natt);
		for (size_t k = 0; k < ev->npeers; k++) {
			struct srcip_peer_ev *pe = &ev->peers[k];

			if (!addr_eq(&pe->peer, &fl->peer))
				continue;
			if (pe->wire != SRCIP_EV_OK || !pe->wire_local.family) {
				pe->wire_local = fl->local;
				pe->wire_local_private = srcip_addr_private(&fl->local);
			}
			pe->wire = SRCIP_EV_OK;
			pe->wire_out += fl->ike_out + fl->esp_out;
			pe->wire_in += fl->ike_in + fl->esp_in;
			pe->wire_retransmits += fl->retransmits;
			pe->wire_natt |= fl->natt;
		}
	}
	if (!c->nflows)
		report_add(rep, "srcip.capture", DIAG_WARN, source,
			   "no IKE or ESP to or from the AWS outside addresses in %lu frames",
			   c->frames);
	for (size_t k = 0; k < ev->npeers; k++)
		if (ev->peers[k].wire == SRCIP_EV_ABSENT)
			ev->peers[k].wire = SRCIP_EV_OK; /* captured, and nothing for this peer */
}

static void verdict_findings(const struct srcip_evidence *ev, const struct inputs *in,
			     struct report *rep)
{
	struct srcip_verdict v;
	char a[ADDR_STRLEN], s[ADDR_STRLEN];
	struct finding *f;

	srcip_judge(ev, &v);
	if (ev->expected_known)
		addr_str(&ev->expected, a);
	if (v.seen_known)
		addr_str(&v.seen, s);
	switch (v.outcome) {
	case SRCIP_MATCH:
		f = report_add(rep, "srcip.match", DIAG_PASS, in->expected,
			       "AWS sees the registered address %s%s: %s", a,
			       v.nat == SRCIP_NAT_PRESENT ? " through a NAT"
			       : v.nat == SRCIP_NAT_NONE   ? " with no NAT"
							   : "",
			       v.why);
		if (v.silent)
			f->status = DIAG_WARN;
		break;
	case SRCIP_MISMATCH:
		f = report_add(rep, "srcip.match", DIAG_FAIL, in->expected,
			       "AWS sees %s, but the registered customer gateway address is %s: %s", s,
			       a, v.why);
		finding_fix(f, "Either register %s as the customer gateway (create a customer "
			       "gateway with that address and `aws ec2 modify-vpn-connection "
			       "--vpn-connection-id ... --customer-gateway-id ...`), or make the NAT "
			       "translate the gateway's IKE and ESP to %s.", s, a);
		finding_ref(f, REF_NAT);
		break;
	case SRCIP_UNKNOWN:
	default:
		f = report_add(rep, "srcip.match", DIAG_WARN, in->expected ? in->expected : "-",
			       "unknown: %s", v.why);
		finding_fix(f, "Missing: %s.", v.missing);
		break;
	}
	finding_ev_str(f, "registered", ev->expected_known ? a : NULL);
	finding_ev_str(f, "registered_from", in->expected_from);
	finding_ev_str(f, "seen", v.seen_known ? s : NULL);
	finding_ev_str(f, "seen_from", v.seen_known ? v.seen_from : NULL);
	finding_ev_bool(f, "answered", v.answered);
	finding_ev_bool(f, "silent", v.silent);
	switch (v.nat) {
	case SRCIP_NAT_PRESENT:
		f = report_add(rep, "srcip.nat", DIAG_PASS, in->expected ? in->expected : "-",
			       "NAT between the gateway and AWS: IKE moves to UDP 4500 (NAT-T) and "
			       "ESP is carried in it");
		finding_fix(f, "Allow UDP 500 and UDP 4500 both ways between the gateway's public "
			       "address and both tunnel endpoints, and keep NAT-T enabled on the "
			       "gateway.");
		finding_ev_bool(f, "udp_4500_required", true);
		break;
	case SRCIP_NAT_NONE:
		f = report_add(rep, "srcip.nat", DIAG_PASS, in->expected ? in->expected : "-",
			       "no NAT between the gateway and AWS: UDP 500 and ESP (IP protocol 50) "
			       "must pass");
		finding_ev_bool(f, "udp_4500_required", false);
		break;
	case SRCIP_NAT_UNKNOWN:
		report_add(rep, "srcip.nat", DIAG_SKIP, in->expected ? in->expected : "-",
			   "whether a NAT is on the way is unknown");
		break;
	}
}

int srcip_check_run(const struct check_ctx *ctx, struct report *rep)
{
	const struct srcip_opts *o = &ctx->srcip;
	struct srcip_evidence ev;
	struct inputs in;
	static struct srcip_capture cap;
	struct srcip_live *live = NULL;
	struct diag_error err = {0};
	char msg[300];
	struct finding *f;
	bool captured = false;
	const char *cap_source = NULL;

	memset(&ev, 0, sizeof ev);
	resolve_inputs(ctx, &in);
	if (in.expected && addr_parse(in.expected, &ev.expected))
		ev.expected_known = true;
	else if (in.expected)
		report_add(rep, "srcip.match", DIAG_ERROR, in.expected,
			   "the registered address %s is not an IP address", in.expected);
	if (!in.npeers) {
		f = report_add(rep, "srcip.match", DIAG_SKIP, in.expected ? in.expected : "-",
			       "no AWS outside address to test toward");
		finding_fix(f, "Give --peer IP (the tunnels' outside addresses), or the AWS "
			       "evidence (--aws-dir) that names them.");
		return 0;
	}
	for (size_t i = 0; i < in.npeers; i++) {
		if (!addr_parse(in.peers[i], &ev.peers[ev.npeers].peer)) {
			report_add(rep, "srcip.route", DIAG_ERROR, in.peers[i],
				   "%s is not an IP address", in.peers[i]);
			continue;
		}
		ev.npeers++;
	}
	srcip_capture_init(&cap, NULL, 0);
	for (size_t i = 0; i < ev.npeers; i++)
		cap.peers[cap.npeers++] = ev.peers[i].peer;
	/* the capture is opened first (privilege), then probes run while it reads */
	if (o->capture_iface) {
		cap_source = o->capture_iface;
		if (srcip_live_open(o->capture_iface, &live, &err) < 0 ||
		    (o->save_pcap && srcip_live_save(live, o->save_pcap, &err) < 0) ||
		    srcip_live_start(live, &cap, &err) < 0) {
			f = report_add(rep, "srcip.capture", DIAG_SKIP, o->capture_iface, "no capture: %s",
				       diag_error_text(&err, msg, sizeof msg));
			finding_fix(f, "Run as root (or with CAP_NET_RAW), or capture elsewhere and "
				       "give the file with --pcap FILE.");
			if (live)
				srcip_live_finish(live, 0);
			live = NULL;
		} else {
			captured = true;
		}
	}
	if (o->no_route)
		report_add(rep, "srcip.route", DIAG_SKIP, "-",
			   "this machine's routes are not the gateway's (not looked at)");
	for (size_t i = 0; i < ev.npeers; i++) {
		if (!o->no_route)
			route_evidence(in.peers[i], &ev.peers[i], rep);
		if (!o->no_ike)
			probe_evidence(o, in.peers[i], &ev.peers[i], rep);
	}
	if (o->no_ike)
		report_add(rep, "srcip.responder", DIAG_SKIP, "-", "no IKE probe (--no-ike)");
	if (live)
		srcip_live_finish(live, o->capture_seconds ? o->capture_seconds : 5);
	if (o->pcap_file) {
		cap_source = o->pcap_file;
		if (srcip_capture_file(&cap, o->pcap_file, &err) < 0) {
			report_add(rep, "srcip.capture", DIAG_ERROR, o->pcap_file, "%s",
				   diag_error_text(&err, msg, sizeof msg));
		} else {
			captured = true;
		}
	}
	if (captured)
		wire_findings(&cap, cap_source, &ev, rep);
	else if (!o->capture_iface && !o->pcap_file)
		finding_fix(report_add(rep, "srcip.capture", DIAG_SKIP, "-", "no capture"),
			    "Add --capture IFACE (root or CAP_NET_RAW) or --pcap FILE to see what "
			    "leaves and what comes back.");
	if (o->public_ip) {
		char a[ADDR_STRLEN];

		if (addr_parse(o->public_ip, &ev.public_addr)) {
			ev.echo = SRCIP_EV_OK;
			ev.public_given = true;
			f = report_add(rep, "srcip.public", DIAG_PASS, "--public-ip",
				       "the public address is %s (given)", addr_str(&ev.public_addr, a));
			finding_ev_str(f, "address", a);
		} else {
			report_add(rep, "srcip.public", DIAG_ERROR, "--public-ip",
				   "%s is not an IP address", o->public_ip);
		}
	} else if (o->no_echo) {
		report_add(rep, "srcip.public", DIAG_SKIP, "-", "no echo service (--no-echo)");
	} else {
		struct srcip_echo e;
		const char *url = o->echo_url ? o->echo_url : SRCIP_DEFAULT_ECHO;
		char a[ADDR_STRLEN];

		srcip_echo_get(url, o->echo_timeout_ms, o->cacert, &e);
		if (e.known) {
			ev.echo = SRCIP_EV_OK;
			ev.public_addr = e.addr;
			f = report_add(rep, "srcip.public", DIAG_PASS, url, "the echo service saw %s",
				       addr_str(&e.addr, a));
			finding_ev_str(f, "address", a);
		} else {
			ev.echo = SRCIP_EV_FAILED;
			f = report_add(rep, "srcip.public", DIAG_WARN, url, "unknown: %s", e.why);
			finding_fix(f, "Offline, or the service is blocked: give --echo-url of a "
				       "service you can reach, or --no-echo.");
		}
	}
	verdict_findings(&ev, &in, rep);
	return 0;
}

const struct check check_srcip = {
	.id = "srcip",
	.summary = "the source address AWS sees for the customer gateway: route, echo service, "
		   "capture, IKE NAT-D",
	.needs = NEED_NETWORK,
	.enable = "--peer IP or the AWS evidence",
	.run = srcip_check_run,
};
