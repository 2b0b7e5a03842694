/* Root causes across checks: see root_cause.h. The rules follow the order in which a
 * support engineer rules causes out: nothing can work until the gateway initiates from the
 * right address through an open path with matching IKE settings; only then do routes, MTU
 * and redundancy matter. */
#include "checks/root_cause.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const group_titles[RC_GROUP_COUNT] = {
	"Tunnel not connected",
	"Tunnel does not stay up",
	"Second tunnel down",
	"Traffic does not pass",
	"Other findings",
};

const char *rc_group_title(enum rc_group g)
{
	return g < RC_GROUP_COUNT ? group_titles[g] : group_titles[RC_GROUP_OTHER];
}

static bool starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

enum rc_group rc_group_of(const char *c)
{
	if (!c)
		return RC_GROUP_OTHER;
	if (strcmp(c, "tunnel.redundancy") == 0)
		return RC_GROUP_SECOND_TUNNEL;
	if (strcmp(c, "ike.dpd") == 0 || strcmp(c, "ike.lifetime") == 0 ||
	    strcmp(c, "ike.phase2") == 0 || starts(c, "policy."))
		return RC_GROUP_NOT_STAYING_UP;
	if (starts(c, "routes.") || strcmp(c, "tunnel.mtu") == 0 || strcmp(c, "tunnel.bgp") == 0 ||
	    starts(c, "probe."))
		return RC_GROUP_NO_TRAFFIC;
	if (starts(c, "srcip.") || starts(c, "ike.") || starts(c, "tunnel.") ||
	    starts(c, "vpn.") || starts(c, "aws."))
		return RC_GROUP_NOT_CONNECTED;
	return RC_GROUP_OTHER;
}

/* ---- finding lookups ------------------------------------------------------------------- */

struct ctx {
	const struct report *r;
	struct root_cause *out;
	size_t n, max;
};

static bool is_bad(const struct finding *f)
{
	return f->status == DIAG_FAIL;
}

/* Indexes of findings of a check with a status (DIAG_FAIL, DIAG_WARN) into ev. */
static size_t collect(const struct report *r, const char *check, enum diag_status st,
		      size_t *ev, size_t n, size_t max)
{
	for (size_t i = 0; i < r->n && n < max; i++)
		if (strcmp(r->findings[i].check, check) == 0 && r->findings[i].status == st)
			ev[n++] = i;
	return n;
}

static long first_of(const struct report *r, const char *check, enum diag_status st)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->findings[i].check, check) == 0 && r->findings[i].status == st)
			return (long)i;
	return -1;
}

static bool ev_bool(const struct finding *f, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(f->evidence, key);

	return cJSON_IsTrue(v);
}

static struct root_cause *add(struct ctx *c, const char *id, const char *title,
			      enum rc_group g, enum diag_status sev)
{
	struct root_cause *rc;

	if (c->n == c->max)
		return NULL;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->out[i].id, id) == 0)
			return NULL;
	rc = &c->out[c->n++];
	memset(rc, 0, sizeof *rc);
	rc->id = id;
	rc->title = title;
	rc->group = g;
	rc->severity = sev;
	return rc;
}

/* The summaries of the evidence, joined, as the reasoning's tail. */
static void because(struct root_cause *rc, const struct report *r, const char *lead)
{
	size_t used = (size_t)snprintf(rc->reasoning, sizeof rc->reasoning, "%s", lead);

	for (size_t i = 0; i < rc->nevidence && used < sizeof rc->reasoning; i++)
		used += (size_t)snprintf(rc->reasoning + used, sizeof rc->reasoning - used, "%s%s: %s",
					 i ? "; " : *lead ? " " : "", r->findings[rc->evidence[i]].check,
					 r->findings[rc->evidence[i]].summary);
}

/* A simple rule: the fail findings of one check make the cause. */
static void rule_check(struct ctx *c, const char *check, const char *id, const char *title,
		       enum rc_group g, const char *lead)
{
	size_t ev[RC_EVIDENCE_MAX], n = collect(c->r, check, DIAG_FAIL, ev, 0, RC_EVIDENCE_MAX);
	struct root_cause *rc;

	if (!n || !(rc = add(c, id, title, g, DIAG_FAIL)))
		return;
	memcpy(rc->evidence, ev, n * sizeof ev[0]);
	rc->nevidence = n;
	because(rc, c->r, lead);
}

/* Silence to IKE from the registered address: a firewall on the way. */
static void rule_firewall(struct ctx *c)
{
	long m = first_of(c->r, "srcip.match", DIAG_WARN);
	struct root_cause *rc;

	if (m < 0)
		m = first_of(c->r, "srcip.match", DIAG_PASS);
	if (m < 0 || !ev_bool(&c->r->findings[m], "silent") || ev_bool(&c->r->findings[m], "answered"))
		return;
	{
		const cJSON *seen = cJSON_GetObjectItemCaseSensitive(c->r->findings[m].evidence, "seen");
		const cJSON *reg =
			cJSON_GetObjectItemCaseSensitive(c->r->findings[m].evidence, "registered");

		/* unknown address + silence is not enough to blame a firewall */
		if (!cJSON_IsString(seen) || !cJSON_IsString(reg) ||
		    strcmp(seen->valuestring, reg->valuestring) != 0)
			return;
	}
	if (!(rc = add(c, "firewall", "IKE from the registered address gets no answer: UDP "
				      "500/4500 (or ESP) is dropped on the way",
		       RC_GROUP_NOT_CONNECTED, DIAG_FAIL)))
		return;
	rc->evidence[rc->nevidence++] = (size_t)m;
	rc->nevidence = collect(c->r, "srcip.responder", DIAG_WARN, rc->evidence, rc->nevidence,
				RC_EVIDENCE_MAX);
	rc->nevidence = collect(c->r, "srcip.capture", DIAG_WARN, rc->evidence, rc->nevidence,
				RC_EVIDENCE_MAX);
	because(rc, c->r, "AWS would see the registered address, yet requests went unanswered.");
}

/* The tunnel logs name a cause that the device configuration may not show. */
static void rule_logs(struct ctx *c, const char *needle, const char *id, const char *title,
		      enum rc_group g)
{
	for (size_t i = 0; i < c->r->n; i++) {
		const struct finding *f = &c->r->findings[i];
		struct root_cause *rc;

		if (strcmp(f->check, "aws.tunnel_logs") != 0 || f->status == DIAG_PASS ||
		    !f->summary || !strcasestr(f->summary, needle))
			continue;
		if (!(rc = add(c, id, title, g, is_bad(f) ? DIAG_FAIL : DIAG_WARN)))
			return;
		rc->evidence[rc->nevidence++] = i;
		because(rc, c->r, "AWS's tunnel log says so.");
		return;
	}
}

static void rule_tunnels_down(struct ctx *c)
{
	long red = first_of(c->r, "tunnel.redundancy", DIAG_FAIL);
	struct root_cause *rc;

	if (red < 0 || c->n > 0)
		return; /* a more specific cause was found already */
	if (!(rc = add(c, "tunnels_down", "every tunnel is down and no check found why: give "
					  "the device configuration (--config), the tunnel logs "
					  "(--vpn-logs) and --peer/--cgw-ip for the source check",
		       RC_GROUP_NOT_CONNECTED, DIAG_FAIL)))
		return;
	rc->evidence[rc->nevidence++] = (size_t)red;
	because(rc, c->r, "");
}

size_t root_causes(const struct report *r, struct root_cause *causes, size_t max)
{
	struct ctx c = {.r = r, .out = causes, .max = max};

	rule_check(&c, "ike.initiation", "not_initiating",
		   "the customer gateway never starts the tunnel, and AWS never initiates",
		   RC_GROUP_NOT_CONNECTED, "The device only waits.");
	rule_check(&c, "srcip.match", "source_address",
		   "IKE reaches AWS from an address it does not know (a NAT on the way)",
		   RC_GROUP_NOT_CONNECTED, "AWS answers only the registered address.");
	rule_firewall(&c);
	rule_check(&c, "ike.psk", "psk", "the pre-shared key is missing or breaks AWS's rules",
		   RC_GROUP_NOT_CONNECTED, "");
	rule_logs(&c, "pre-shared key", "psk", "the pre-shared keys differ (AWS's log)",
		  RC_GROUP_NOT_CONNECTED);
	rule_check(&c, "ike.version", "ike_version", "the IKE versions do not overlap",
		   RC_GROUP_NOT_CONNECTED, "");
	rule_check(&c, "ike.mode", "ike_mode", "IKEv1 aggressive mode, which AWS does not support",
		   RC_GROUP_NOT_CONNECTED, "");
	rule_check(&c, "ike.phase1", "phase1", "no phase 1 proposal of the device is one AWS "
					       "allows", RC_GROUP_NOT_CONNECTED, "");
	rule_logs(&c, "proposal", "phase1", "no proposal match (AWS's log)", RC_GROUP_NOT_CONNECTED);
	rule_check(&c, "ike.phase2", "phase2", "the phase 2 (IPsec) proposals do not match",
		   RC_GROUP_NOT_STAYING_UP, "");
	rule_check(&c, "policy.selectors", "policy", "a policy-based VPN negotiates more than one "
						    "SA pair per tunnel", RC_GROUP_NOT_STAYING_UP, "");
	rule_logs(&c, "TS_UNACCEPTABLE", "policy", "traffic selectors refused (AWS's log)",
		  RC_GROUP_NOT_STAYING_UP);
	rule_check(&c, "vpn.state", "connection_state", "the VPN connection is not available",
		   RC_GROUP_NOT_CONNECTED, "");
	rule_tunnels_down(&c);
	rule_check(&c, "routes.gateway", "gateway", "the virtual private gateway is missing or "
						   "not attached", RC_GROUP_NO_TRAFFIC, "");
	rule_check(&c, "routes.default", "default_route", "a default route into the VPN cuts "
							 "the cluster off", RC_GROUP_NO_TRAFFIC, "");
	rule_check(&c, "routes.propagation", "propagation", "route propagation is off on the "
							   "private route table",
		   RC_GROUP_NO_TRAFFIC, "The gateway's routes never reach the subnets.");
	rule_check(&c, "routes.shadowed", "shadowed_route", "another route takes the on-premises "
							   "traffic", RC_GROUP_NO_TRAFFIC, "");
	/* missing routes are propagation's doing when it is off: one cause, not two */
	if (first_of(r, "routes.propagation", DIAG_FAIL) < 0)
		rule_check(&c, "routes.coverage", "no_route", "no route sends the on-premises "
							     "networks to the gateway",
			   RC_GROUP_NO_TRAFFIC, "");
	rule_check(&c, "routes.blackhole", "blackhole", "a blackhole route drops the traffic",
		   RC_GROUP_NO_TRAFFIC, "");
	rule_check(&c, "routes.overlap", "overlap", "the on-premises network overlaps the VPC",
		   RC_GROUP_NO_TRAFFIC, "");
	rule_check(&c, "tunnel.mtu", "mtu", "large packets are lost in the tunnel (MTU/MSS black "
					    "hole: ping works, HTTPS hangs)",
		   RC_GROUP_NO_TRAFFIC, "");
	rule_check(&c, "tunnel.bgp", "bgp", "BGP is up but announces no route", RC_GROUP_NO_TRAFFIC,
		   "");
	if (c.n == 0) {
		long w = first_of(r, "tunnel.redundancy", DIAG_WARN);
		struct root_cause *rc;

		if (w >= 0 && (rc = add(&c, "second_tunnel", "one tunnel is down: the connection is "
							     "not redundant",
					RC_GROUP_SECOND_TUNNEL, DIAG_WARN))) {
			rc->evidence[rc->nevidence++] = (size_t)w;
			because(rc, r, "");
		}
	}
	return c.n;
}
