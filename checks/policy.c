/* policy.selectors: the selectors of the device configuration, the verdict per peer, the
 * comparison with AWS's Local/RemoteIpv4NetworkCidr and TS_UNACCEPTABLE in the tunnel logs.
 * See policy.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "checks/policy.h"
#include "libdiag/addr.h"
#include "libdiag/aws/model.h"
#include "libdiag/aws/vpnlog.h"
#include "libdiag/devconf/devconf.h"
#include "libdiag/routes/lpm.h"

#define REF_ONE_SA "https://docs.aws.amazon.com/vpn/latest/s2svpn/your-cgw.html"
#define ANY4 "0.0.0.0/0"

void policy_peers_free(struct policy_peers *pp)
{
	free(pp->v);
	memset(pp, 0, sizeof *pp);
}

struct policy_peer *policy_peers_add(struct policy_peers *pp, enum policy_source src)
{
	struct policy_peer *p;

	if (pp->n == pp->cap) {
		size_t nc = pp->cap ? pp->cap * 2 : 8;
		struct policy_peer *nv = realloc(pp->v, nc * sizeof *nv);

		if (!nv)
			return NULL;
		pp->v = nv;
		pp->cap = nc;
	}
	p = &pp->v[pp->n++];
	memset(p, 0, sizeof *p);
	p->src = src;
	return p;
}

static void copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

/* "10.0.0.0/16" or a bare address as a prefix. */
static bool parse_cidr(const char *s, struct diag_prefix *out)
{
	struct diag_addr a;

	if (!s)
		return false;
	if (strchr(s, '/'))
		return prefix_parse(s, true, out, NULL) == 0;
	if (!addr_parse(s, &a))
		return false;
	out->addr = a;
	out->len = addr_bits(&a);
	return true;
}

static bool is_any(const char *s)
{
	return s && (strcmp(s, ANY4) == 0 || strcmp(s, "::/0") == 0 || strcmp(s, "any") == 0);
}

void policy_supernet(const char *const *cidrs, size_t n, char *out, size_t outlen)
{
	struct diag_prefix acc, p;
	char buf[ADDR_STRLEN];

	out[0] = 0;
	if (n == 0 || !parse_cidr(cidrs[0], &acc))
		return;
	for (size_t i = 1; i < n; i++) {
		unsigned bits = 0;

		if (!parse_cidr(cidrs[i], &p) || p.addr.family != acc.addr.family)
			return;
		while (bits < acc.len && bits < p.len) {
			unsigned byte = bits / 8, bit = 7 - bits % 8;

			if (((acc.addr.b[byte] >> bit) & 1) != ((p.addr.b[byte] >> bit) & 1))
				break;
			bits++;
		}
		acc.len = bits;
	}
	/* clear the host bits of the result */
	for (unsigned b = acc.len; b < addr_bits(&acc.addr); b++)
		acc.addr.b[b / 8] &= (uint8_t)~(1u << (7 - b % 8));
	snprintf(out, outlen, "%s/%u", addr_str(&acc.addr, buf), acc.len);
}

/* ---- from the configuration ----------------------------------------------------------- */

static const char *ike_name(unsigned v)
{
	switch (v & 3u) {
	case 1: return "IKEv1";
	case 2: return "IKEv2";
	case 3: return "IKEv1/IKEv2";
	}
	return NULL;
}

/* Does one child make one SA for all its selectors? A strongSwan child does: one IKEv2
 * CHILD_SA carries every selector, and strongSwan's IKEv1 negotiates only the first pair
 * (ipsec.conf(5), leftsubnet). */
static bool one_sa_per_child(const struct devconf_model *m)
{
	return m->format == DEVCONF_SWANCTL || m->format == DEVCONF_STRONGSWAN_IPSEC;
}

static void add_pair(struct policy_peer *pe, const char *l, const char *r, const char *name,
		     int line)
{
	pe->nselectors++;
	if (pe->npairs == POLICY_MAX_PAIRS)
		return;
	struct policy_pair *q = &pe->pairs[pe->npairs++];

	memset(q, 0, sizeof *q);
	copy(q->local, sizeof q->local, l);
	copy(q->remote, sizeof q->remote, r);
	copy(q->name, sizeof q->name, name);
	q->line = line;
}

int policy_from_config(const struct devconf_model *m, struct policy_peers *pp)
{
	for (size_t i = 0; i < m->npeers; i++) {
		const struct devconf_peer *p = &m->peers[i];
		struct policy_peer *pe = policy_peers_add(pp, POLICY_SRC_CONFIG);
		bool one = one_sa_per_child(m);

		if (!pe)
			return -1;
		if (p->line > 0)
			snprintf(pe->subject, sizeof pe->subject, "config peer %s (line %d)",
				 p->name ? p->name : "?", p->line);
		else
			snprintf(pe->subject, sizeof pe->subject, "config peer %s",
				 p->name ? p->name : "?");
		copy(pe->remote_addr, sizeof pe->remote_addr, p->remote_addr);
		copy(pe->local_addr, sizeof pe->local_addr, p->local_addr);
		pe->ike = ike_name(p->ike_versions);
		if (p->route_based) {
			pe->route_marker = true;
			snprintf(pe->marker, sizeof pe->marker, "tunnel interface %s",
				 p->tunnel_if ? p->tunnel_if : "(unnamed)");
		}
		for (size_t k = 0; k < p->nchildren; k++) {
			const struct devconf_child *c = &p->children[k];
			size_t nl = c->nlocal_ts ? c->nlocal_ts : 1;
			size_t nr = c->nremote_ts ? c->nremote_ts : 1;

			for (size_t a = 0; a < nl; a++)
				for (size_t b = 0; b < nr; b++)
					add_pair(pe, c->nlocal_ts ? c->local_ts[a] : "(unset)",
						 c->nremote_ts ? c->remote_ts[b] : "(unset)",
						 c->name, c->line);
			pe->sa_pairs += one ? 1 : nl * nr;
		}
	}
	return 0;
}

/* ---- AWS ------------------------------------------------------------------------------ */

static bool conn_has_ip(const struct aws_vpn_connection *c, const char *ip)
{
	if (!ip || !*ip)
		return false;
	for (size_t t = 0; t < c->n_tunnels; t++)
		if (c->tunnels[t].outside_ip && strcmp(c->tunnels[t].outside_ip, ip) == 0)
			return true;
	return false;
}

const struct aws_vpn_connection *policy_match_aws(const struct aws_model *aws,
						  const char *vpn_id,
						  const struct policy_peer *p)
{
	if (!aws)
		return NULL;
	for (size_t i = 0; i < aws->n_vpn_connections; i++) {
		const struct aws_vpn_connection *c = &aws->vpn_connections[i];

		if (vpn_id && (!c->id || strcmp(c->id, vpn_id) != 0))
			continue;
		if (conn_has_ip(c, p->remote_addr) || conn_has_ip(c, p->local_addr))
			return c;
	}
	if (vpn_id)
		return aws_find_vpn_connection(aws, vpn_id);
	return aws->n_vpn_connections == 1 ? &aws->vpn_connections[0] : NULL;
}

/* ---- judging --------------------------------------------------------------------------- */

static const char *src_name(enum policy_source s)
{
	switch (s) {
	case POLICY_SRC_CONFIG: return "configuration";
	case POLICY_SRC_XFRM: return "xfrm";
	case POLICY_SRC_WIRE: return "capture";
	}
	return "?";
}

static cJSON *pairs_json(const struct policy_peer *p)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < p->npairs; i++) {
		const struct policy_pair *q = &p->pairs[i];
		cJSON *o = cJSON_CreateObject();

		if (!o)
			break;
		cJSON_AddStringToObject(o, "local", q->local);
		cJSON_AddStringToObject(o, "remote", q->remote);
		if (q->name[0])
			cJSON_AddStringToObject(o, "name", q->name);
		if (q->line)
			cJSON_AddNumberToObject(o, "line", q->line);
		if (q->dirs) {
			char d[16] = "";

			if (q->dirs & 2u)
				strcat(d, "out,");
			if (q->dirs & 1u)
				strcat(d, "in,");
			if (q->dirs & 4u)
				strcat(d, "fwd,");
			if (*d)
				d[strlen(d) - 1] = 0;
			cJSON_AddStringToObject(o, "dirs", d);
		}
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* "a <-> b, c <-> d" (at most 6 pairs, then "and N more") into out. */
static void pairs_text(const struct policy_peer *p, char *out, size_t len)
{
	size_t used = 0, shown = p->npairs < 6 ? p->npairs : 6;

	out[0] = 0;
	for (size_t i = 0; i < shown && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s <-> %s", i ? ", " : "",
					 p->pairs[i].local, p->pairs[i].remote);
	if (p->nselectors > shown && used < len)
		snprintf(out + used, len - used, " and %zu more", p->nselectors - shown);
}

/* The summarised pair: the AWS CIDRs when set and narrower than 0.0.0.0/0, else the
 * smallest prefixes holding every local / remote selector. */
static void summary_pair(const struct policy_peer *p, const struct aws_vpn_connection *conn,
			 char *l, char *r, size_t len)
{
	const char *ls[POLICY_MAX_PAIRS], *rs[POLICY_MAX_PAIRS];

	for (size_t i = 0; i < p->npairs; i++) {
		ls[i] = p->pairs[i].local;
		rs[i] = p->pairs[i].remote;
	}
	policy_supernet(ls, p->npairs, l, len);
	policy_supernet(rs, p->npairs, r, len);
	if (conn && conn->local_ipv4_cidr && !is_any(conn->local_ipv4_cidr))
		snprintf(l, len, "%s", conn->local_ipv4_cidr);
	if (conn && conn->remote_ipv4_cidr && !is_any(conn->remote_ipv4_cidr))
		snprintf(r, len, "%s", conn->remote_ipv4_cidr);
	if (!*l)
		snprintf(l, len, "<on-premises supernet>");
	if (!*r)
		snprintf(r, len, "<VPC CIDR>");
}

/* Per IKE SA seen on the wire: its initiator SPI and the child exchanges in it. */
static cJSON *ike_json(const struct policy_peer *p)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < p->nikesa; i++) {
		cJSON *o = cJSON_CreateObject();
		char hex[17];

		if (!o)
			break;
		for (size_t k = 0; k < 8; k++)
			snprintf(hex + 2 * k, 3, "%02x", p->ikesa[i].ispi[k]);
		cJSON_AddStringToObject(o, "initiator_spi", hex);
		cJSON_AddNumberToObject(o, "create_child_sa", (double)p->ikesa[i].create_child);
		cJSON_AddNumberToObject(o, "quick_mode", (double)p->ikesa[i].quick_mode);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static void evidence_common(struct finding *f, const struct policy_peer *p)
{
	finding_ev_str(f, "source", src_name(p->src));
	if (p->local_addr[0])
		finding_ev_str(f, "local_addr", p->local_addr);
	if (p->remote_addr[0])
		finding_ev_str(f, "remote_addr", p->remote_addr);
	if (p->ike)
		finding_ev_str(f, "ike", p->ike);
	finding_ev_bool(f, "route_based_marker", p->route_marker);
	if (p->marker[0])
		finding_ev_str(f, "marker", p->marker);
	finding_ev_num(f, "selector_pairs", (double)p->nselectors);
	finding_ev_num(f, "sa_pairs", (double)p->sa_pairs);
	finding_ev_json(f, "pairs", pairs_json(p));
	if (p->src == POLICY_SRC_XFRM) {
		finding_ev_num(f, "sas_out", (double)p->sas_out);
		finding_ev_num(f, "sas_in", (double)p->sas_in);
		finding_ev_num(f, "sa_reqids", (double)p->reqids);
	}
	if (p->src == POLICY_SRC_WIRE) {
		cJSON *o = cJSON_CreateArray(), *in = cJSON_CreateArray();
		char hex[16];

		for (size_t i = 0; i < p->spis_out && i < 8 && o; i++) {
			snprintf(hex, sizeof hex, "0x%08x", p->spi_out[i]);
			cJSON_AddItemToArray(o, cJSON_CreateString(hex));
		}
		for (size_t i = 0; i < p->spis_in && i < 8 && in; i++) {
			snprintf(hex, sizeof hex, "0x%08x", p->spi_in[i]);
			cJSON_AddItemToArray(in, cJSON_CreateString(hex));
		}
		finding_ev_num(f, "esp_spis_out", (double)p->spis_out);
		finding_ev_num(f, "esp_spis_in", (double)p->spis_in);
		finding_ev_json(f, "spis_out", o);
		finding_ev_json(f, "spis_in", in);
		finding_ev_num(f, "concurrent_spis", (double)p->concurrent);
		finding_ev_num(f, "ike_sas", (double)p->ike_sas);
		finding_ev_num(f, "create_child_sa", (double)p->create_child);
		finding_ev_num(f, "quick_mode", (double)p->quick_mode);
		finding_ev_json(f, "ike_sa_exchanges", ike_json(p));
	}
}

static bool all_any(const struct policy_peer *p)
{
	for (size_t i = 0; i < p->npairs; i++)
		if (!is_any(p->pairs[i].local) || !is_any(p->pairs[i].remote))
			return false;
	return p->npairs > 0;
}

static bool all_unset(const struct policy_peer *p)
{
	for (size_t i = 0; i < p->npairs; i++)
		if (strcmp(p->pairs[i].local, "(unset)") != 0 ||
		    strcmp(p->pairs[i].remote, "(unset)") != 0)
			return false;
	return p->npairs > 0;
}

static void judge_wire(const struct policy_peer *p, const struct aws_vpn_connection *conn,
		       struct report *rep)
{
	size_t most = p->spis_out > p->spis_in ? p->spis_out : p->spis_in;
	struct finding *f;
	char l[64], r[64];

	if (most == 0) {
		f = report_add(rep, POLICY_CHECK_ID, DIAG_SKIP, p->subject, "no ESP in the "
			       "capture (%zu IKE SA%s, %zu CREATE_CHILD_SA, %zu Quick Mode "
			       "exchange%s)", p->ike_sas, p->ike_sas == 1 ? "" : "s",
			       p->create_child, p->quick_mode, p->quick_mode == 1 ? "" : "s");
		evidence_common(f, p);
		return;
	}
	if (p->concurrent > 1) {
		summary_pair(p, conn, l, r, sizeof l);
		f = report_add(rep, POLICY_CHECK_ID, DIAG_FAIL, p->subject, "policy-based: %zu "
			       "ESP SPIs out and %zu in, %zu in use at once: %zu SA pairs on one "
			       "tunnel, AWS supports one", p->spis_out, p->spis_in, p->concurrent,
			       p->concurrent);
		finding_fix(f, "consolidate the device's encryption domain into one pair (e.g. "
			    "%s <-> %s), or make the tunnel route-based (VTI) with 0.0.0.0/0 "
			    "selectors", l, r);
	} else if (most > 1) {
		f = report_add(rep, POLICY_CHECK_ID, DIAG_WARN, p->subject, "%zu ESP SPIs out "
			       "and %zu in, one at a time: rekeys, or SA pairs used in turn",
			       p->spis_out, p->spis_in);
		finding_fix(f, "capture while traffic flows to every on-premises subnet at "
			    "once; more than one SPI in use at once means more than one SA pair");
	} else {
		f = report_add(rep, POLICY_CHECK_ID, DIAG_PASS, p->subject, "one SA pair (SPI "
			       "0x%08x out, 0x%08x in)", p->spis_out ? p->spi_out[0] : 0,
			       p->spis_in ? p->spi_in[0] : 0);
	}
	finding_ref(f, REF_ONE_SA);
	evidence_common(f, p);
}

/* The selector verdict of a configuration or XFRM peer. */
static void judge_selectors(const struct policy_peer *p, const struct aws_vpn_connection *conn,
			    struct report *rep)
{
	struct finding *f;
	char pairs[512], l[64], r[64];

	pairs_text(p, pairs, sizeof pairs);
	if (p->src == POLICY_SRC_XFRM && p->reqids > p->nselectors) {
		size_t used = strlen(pairs);

		snprintf(pairs + used, sizeof pairs - used, "; the SAs carry %zu reqids",
			 p->reqids);
	}
	if (p->sa_pairs == 0) {
		f = report_add(rep, POLICY_CHECK_ID, DIAG_WARN, p->subject, "no phase 2 "
			       "selectors: %s", p->src == POLICY_SRC_XFRM
						? "no tunnel-mode policy"
						: "the configuration names no SA for this peer");
		evidence_common(f, p);
		return;
	}
	summary_pair(p, conn, l, r, sizeof l);
	if (p->sa_pairs > 1) {
		char kind[128];

		if (p->route_marker)
			snprintf(kind, sizeof kind, "route-based (%s) but with", p->marker);
		else
			snprintf(kind, sizeof kind, "policy-based with");
		f = report_add(rep, POLICY_CHECK_ID, DIAG_FAIL, p->subject, "%s %zu SA pairs "
			       "(%s); AWS supports one SA pair per tunnel: the second one flaps "
			       "the tunnel or is refused with TS_UNACCEPTABLE", kind, p->sa_pairs,
			       pairs);
		finding_fix(f, "consolidate into one pair: %s <-> %s (the on-premises supernet "
			    "to the VPC CIDR, and the same in AWS's Local/RemoteIpv4NetworkCidr), "
			    "%s", l, r, p->route_marker
				? "or, as the tunnel has an interface already, replace the selectors "
				  "(traffic selectors / proxy IDs / phase 2 selectors) by one "
				  "0.0.0.0/0 <-> 0.0.0.0/0 pair and route over the interface"
				: "or make the tunnel route-based (VTI / tunnel interface) with "
				  "0.0.0.0/0 <-> 0.0.0.0/0 selectors");
	} else if (all_unset(p)) {
		f = report_add(rep, POLICY_CHECK_ID, DIAG_PASS, p->subject, "one SA pair%s%s; "
			       "its selectors are not in the configuration (the device's default "
			       "applies)", p->route_marker ? ", " : "",
			       p->route_marker ? p->marker : "");
	} else if (p->route_marker || all_any(p)) {
		f = report_add(rep, POLICY_CHECK_ID, DIAG_PASS, p->subject, "route-based (%s): "
			       "one SA pair %s", p->route_marker ? p->marker
								 : "0.0.0.0/0 selectors", pairs);
	} else if (p->nselectors > 1) {
		f = report_add(rep, POLICY_CHECK_ID, DIAG_WARN, p->subject, "one SA pair "
			       "carrying %zu selector pairs (%s); AWS takes one selector pair per "
			       "tunnel and narrows to it", p->nselectors, pairs);
		finding_fix(f, "use one pair: %s <-> %s, or 0.0.0.0/0 <-> 0.0.0.0/0 on a "
			    "route-based tunnel", l, r);
	} else {
		f = report_add(rep, POLICY_CHECK_ID, DIAG_PASS, p->subject, "policy-based with "
			       "one SA pair (%s): works; caveat: only that pair crosses the "
			       "tunnel, and a second subnet added later would need a second SA "
			       "pair, which AWS does not support", pairs);
		finding_ev_str(f, "caveat", "add subnets by widening this pair (a supernet), "
			       "or move to a route-based tunnel with 0.0.0.0/0 selectors");
	}
	finding_ref(f, REF_ONE_SA);
	evidence_common(f, p);
}

/* Where is sel relative to the AWS CIDR: 0 inside, 1 wider (holds it), 2 elsewhere,
 * -1 not comparable. */
static int relation(const char *sel, const char *aws)
{
	struct diag_prefix s, a;

	if (!parse_cidr(sel, &s) || !parse_cidr(aws, &a) || s.addr.family != a.addr.family)
		return -1;
	if (lpm_covers(&a, &s))
		return 0;
	if (lpm_covers(&s, &a))
		return 1;
	return 2;
}

static void judge_aws(const struct policy_peer *p, const struct aws_vpn_connection *conn,
		      struct report *rep)
{
	const char *al = conn->local_ipv4_cidr ? conn->local_ipv4_cidr : ANY4;
	const char *ar = conn->remote_ipv4_cidr ? conn->remote_ipv4_cidr : ANY4;
	size_t outside = 0, wider = 0;
	char bad[256] = "";
	struct finding *f;
	char subj[200];

	if (p->npairs == 0)
		return;
	for (size_t i = 0; i < p->npairs; i++) {
		int rl = relation(p->pairs[i].local, al), rr = relation(p->pairs[i].remote, ar);

		if (rl == 2 || rr == 2) {
			if (!outside++)
				snprintf(bad, sizeof bad, "%s <-> %s", p->pairs[i].local,
					 p->pairs[i].remote);
		} else if (rl == 1 || rr == 1) {
			if (!outside && !wider)
				snprintf(bad, sizeof bad, "%s <-> %s", p->pairs[i].local,
					 p->pairs[i].remote);
			wider++;
		}
	}
	snprintf(subj, sizeof subj, "%s vs %s", p->subject, conn->id ? conn->id : "?");
	if (outside) {
		f = report_add(rep, POLICY_CHECK_ID, DIAG_FAIL, subj, "selectors outside AWS's "
			       "LocalIpv4NetworkCidr %s / RemoteIpv4NetworkCidr %s: %s%s; AWS "
			       "answers TS_UNACCEPTABLE", al, ar, bad, outside > 1 ? " and more" : "");
		finding_fix(f, "make the device's selectors match AWS's (%s <-> %s), or change "
			    "the connection's LocalIpv4NetworkCidr / RemoteIpv4NetworkCidr "
			    "(ModifyVpnConnectionOptions; both tunnels go down while it applies)",
			    al, ar);
	} else if (wider) {
		f = report_add(rep, POLICY_CHECK_ID, DIAG_WARN, subj, "selectors wider than "
			       "AWS's LocalIpv4NetworkCidr %s / RemoteIpv4NetworkCidr %s: %s; an "
			       "IKEv2 responder narrows them, IKEv1 Quick Mode refuses them", al, ar,
			       bad);
		finding_fix(f, "use AWS's pair on the device: %s <-> %s", al, ar);
	} else {
		f = report_add(rep, POLICY_CHECK_ID, DIAG_PASS, subj, "selectors within AWS's "
			       "LocalIpv4NetworkCidr %s / RemoteIpv4NetworkCidr %s", al, ar);
	}
	finding_ev_str(f, "vpn_connection", conn->id ? conn->id : "?");
	finding_ev_str(f, "aws_local_ipv4_cidr", al);
	finding_ev_str(f, "aws_remote_ipv4_cidr", ar);
	finding_ev_str(f, "source", src_name(p->src));
	finding_ref(f, "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html");
}

void policy_judge(const struct policy_peer *p, const struct aws_vpn_connection *conn,
		  struct report *rep)
{
	if (p->src == POLICY_SRC_WIRE) {
		judge_wire(p, conn, rep);
		return;
	}
	judge_selectors(p, conn, rep);
	if (conn)
		judge_aws(p, conn, rep);
}

void policy_judge_all(const struct policy_peers *pp, const struct aws_model *aws,
		      const char *vpn_id, struct report *rep)
{
	for (size_t i = 0; i < pp->n; i++) {
		const struct policy_peer *p = &pp->v[i];
		const struct aws_vpn_connection *conn = policy_match_aws(aws, vpn_id, p);
		struct finding *f;

		policy_judge(p, conn, rep);
		if (conn || !aws || p->src == POLICY_SRC_WIRE || p->npairs == 0)
			continue;
		f = report_add(rep, POLICY_CHECK_ID, DIAG_SKIP, p->subject, "no VPN connection "
			       "in the AWS evidence has a tunnel at %s: selectors not compared with "
			       "AWS's Local/RemoteIpv4NetworkCidr", p->remote_addr[0] ? p->remote_addr
										: "(no peer address)");
		finding_fix(f, "name the connection with --vpn-connection-id");
	}
}

/* ---- tunnel logs ------------------------------------------------------------------------ */

struct ts_tunnel {
	char vpn[64], ip[64];
	unsigned long n;
	char first[40], last[40], example[200];
};

struct ts_acc {
	struct ts_tunnel t[64];
	size_t n;
	unsigned long events;
};

static int on_event(void *arg, const struct vpnlog_event *ev, struct diag_error *err)
{
	struct ts_acc *a = arg;
	const struct vpnlog_msg *m = vpnlog_classify(ev->detail);
	struct ts_tunnel *t = NULL;
	const char *vpn = ev->vpn_connection_id ? ev->vpn_connection_id : "?";
	const char *ip = ev->outside_ip ? ev->outside_ip : "?";

	(void)err;
	a->events++;
	if (!m || m->category != VPNLOG_CAT_TS_UNACCEPTABLE)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->t[i].vpn, vpn) == 0 && strcmp(a->t[i].ip, ip) == 0)
			t = &a->t[i];
	if (!t) {
		if (a->n == sizeof a->t / sizeof *a->t)
			return 0;
		t = &a->t[a->n++];
		memset(t, 0, sizeof *t);
		copy(t->vpn, sizeof t->vpn, vpn);
		copy(t->ip, sizeof t->ip, ip);
		copy(t->first, sizeof t->first, ev->timestamp);
		vpnlog_scrub(ev->detail, t->example, sizeof t->example);
	}
	copy(t->last, sizeof t->last, ev->timestamp);
	t->n++;
	return 0;
}

int policy_logs(FILE *fp, const char *name, struct report *rep, struct diag_error *err)
{
	struct ts_acc *a = calloc(1, sizeof *a);
	struct finding *f;

	if (!a)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, NULL, "out of memory");
	if (vpnlog_read(fp, name, on_event, a, err) < 0) {
		free(a);
		return -1;
	}
	for (size_t i = 0; i < a->n; i++) {
		char subj[160];

		snprintf(subj, sizeof subj, "AWS tunnel %s %s (logs)", a->t[i].vpn, a->t[i].ip);
		f = report_add(rep, POLICY_CHECK_ID, DIAG_FAIL, subj, "AWS logged "
			       "TS_UNACCEPTABLE %lu time%s (%s to %s): the device proposed "
			       "traffic selectors AWS does not accept, the policy-based symptom",
			       a->t[i].n, a->t[i].n == 1 ? "" : "s", a->t[i].first, a->t[i].last);
		finding_fix(f, "propose one selector pair equal to the connection's "
			    "LocalIpv4NetworkCidr <-> RemoteIpv4NetworkCidr (default 0.0.0.0/0 "
			    "<-> 0.0.0.0/0), one SA pair per tunnel");
		finding_ev_num(f, "ts_unacceptable", (double)a->t[i].n);
		finding_ev_str(f, "first", a->t[i].first);
		finding_ev_str(f, "last", a->t[i].last);
		finding_ev_str(f, "example", a->t[i].example);
		finding_ev_str(f, "source", "tunnel logs");
		finding_ref(f, VPNLOG_REF);
	}
	if (a->n == 0) {
		f = report_add(rep, POLICY_CHECK_ID, DIAG_PASS, "AWS tunnel logs", "no "
			       "TS_UNACCEPTABLE in %lu event%s", a->events, a->events == 1 ? "" : "s");
		finding_ev_str(f, "source", "tunnel logs");
	}
	free(a);
	return 0;
}

/* ---- the check -------------------------------------------------------------------------- */

static int run(const struct check_ctx *ctx, struct report *rep)
{
	struct policy_peers pp = {0};

	if (policy_from_config(ctx->config, &pp) < 0) {
		policy_peers_free(&pp);
		report_add(rep, POLICY_CHECK_ID, DIAG_ERROR, "configuration", "out of memory");
		return -1;
	}
	/* vpn-doctor --pcap: the capture's SPIs too */
	if (ctx->srcip.pcap_file) {
		struct policy_wire *w = policy_wire_new();
		struct diag_error err = {0};
		char msg[512];

		if (!w || policy_wire_read_file(w, ctx->srcip.pcap_file, &err) < 0 ||
		    policy_from_wire(w, ctx->aws, &pp) < 0) {
			report_add(rep, POLICY_CHECK_ID, DIAG_ERROR, ctx->srcip.pcap_file, "%s",
				   w ? diag_error_text(&err, msg, sizeof msg) : "out of memory");
		}
		policy_wire_free(w);
	}
	policy_judge_all(&pp, ctx->aws, ctx->vpn_connection_id, rep);
	if (pp.n == 0)
		report_add(rep, POLICY_CHECK_ID, DIAG_WARN, "configuration", "no IKE peer in "
			   "the configuration");
	policy_peers_free(&pp);
	return 0;
}

const struct check check_policy_selectors = {
	.id = POLICY_CHECK_ID,
	.summary = "one SA pair per tunnel: policy-based selectors, several SA pairs, "
		   "selectors against AWS's Local/RemoteIpv4NetworkCidr",
	.needs = NEED_CONFIG,
	.enable = "--config",
	.run = run,
};
