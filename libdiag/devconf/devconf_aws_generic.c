/* AWS's "Generic" configuration download (the vendor-neutral text of the console's
 * "Download configuration"), as a device configuration. Its layout, per tunnel:
 *
 *   IPSec Tunnel #1
 *   ====...
 *   #1: Internet Key Exchange Configuration
 *     - IKE version              : IKEv1
 *     - Authentication Method    : Pre-Shared Key
 *     - Pre-Shared Key           : (the key)
 *     - Authentication Algorithm : sha1
 *     - Encryption Algorithm     : aes-128-cbc
 *     - Lifetime                 : 28800 seconds
 *     - Phase 1 Negotiation Mode : main
 *     - Diffie-Hellman           : Group 2      (older: Perfect Forward Secrecy :
 *                                                Diffie-Hellman Group 2)
 *   #2: IPSec Configuration
 *     - Protocol, Authentication Algorithm (hmac-sha1-96), Encryption Algorithm, Lifetime,
 *       Mode of operation, Perfect Forward Secrecy : Diffie-Hellman Group 2
 *     - DPD Interval : 10, DPD Retries : 3 (DPD Delay in some versions)
 *   #3: Tunnel Interface Configuration
 *     Outside IP Addresses:
 *       - Customer Gateway        : 198.51.100.1
 *       - Virtual Private Gateway : 203.0.113.1
 *     Inside IP Addresses
 *       - Customer Gateway        : 169.254.10.2/30 ...
 *   #4: Border Gateway Protocol (BGP) Configuration ...
 *
 * One peer per "IPSec Tunnel #N" with one child. Prose lines are ignored; a "- key :
 * value" line with a key we do not use is counted in skipped. The customer gateway
 * initiates (AWS does not, by default). The pre-shared key is judged against AWS's rules
 * while its line is read and never copied. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "libdiag/devconf/devconf.h"
#include "libdiag/devconf/devconf_aws_map.h"

enum section { SEC_NONE, SEC_IKE, SEC_IPSEC, SEC_TUNNEL_OUT, SEC_TUNNEL_IN, SEC_TUNNEL,
	       SEC_BGP };

struct span {
	const char *s;
	size_t n;
};

/* What a tunnel says, collected until its end, then turned into a peer. */
struct tun {
	struct devconf_peer *p;
	struct span ike_enc, ike_hash, ipsec_enc, ipsec_auth;
	long ike_group, pfs_group;
	long ipsec_lifetime;
	int ipsec_line;
	bool has_ipsec;
};

struct gen {
	struct devconf_model *m;
	struct diag_error *err;
	char vpn_id[64];
	struct tun t;
	enum section sec;
	size_t ntun;
};

static struct span trim(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return (struct span){s, n};
}

static bool eq(struct span a, const char *b)
{
	return a.n == strlen(b) && strncasecmp(a.s, b, a.n) == 0;
}

static bool has_prefix(struct span a, const char *b)
{
	return a.n >= strlen(b) && strncasecmp(a.s, b, strlen(b)) == 0;
}

/* "28800 seconds" / "28800": the number, or -1. */
static long seconds(struct span v)
{
	long n = 0;
	size_t i = 0;

	if (!v.n || !isdigit((unsigned char)v.s[0]))
		return -1;
	for (; i < v.n && isdigit((unsigned char)v.s[i]); i++)
		if ((n = n * 10 + (v.s[i] - '0')) > 100000000L)
			return -1;
	return eq(trim(v.s + i, v.n - i), "") || eq(trim(v.s + i, v.n - i), "seconds") ||
			       eq(trim(v.s + i, v.n - i), "sec") || eq(trim(v.s + i, v.n - i), "s")
		       ? n
		       : -1;
}

/* The peer of the tunnel read so far, with its proposals built. */
static int finish(struct gen *g)
{
	struct tun *t = &g->t;
	struct devconf_model *m = g->m;
	bool aead = false;

	if (!t->p)
		return 0;
	if (t->ike_enc.n || t->ike_hash.n || t->ike_group >= 0) {
		struct ike_proposal *ike = &t->p->ike[t->p->nike++];

		if (t->ike_enc.n)
			aead = devconf_aws_add_encr(ike, t->ike_enc.s, t->ike_enc.n);
		if (t->ike_hash.n)
			devconf_aws_add_hash(ike, t->ike_hash.s, t->ike_hash.n, aead);
		if (t->ike_group >= 0)
			devconf_add_transform(ike, IKE_T_DH, (uint16_t)t->ike_group, 0);
	}
	if (t->has_ipsec) {
		struct devconf_child *c = devconf_add_child(m, t->p, "ipsec", t->ipsec_line);

		if (!c)
			return devconf_fail(m, t->ipsec_line, g->err, "out of memory");
		c->lifetime_s = t->ipsec_lifetime;
		if (t->ipsec_enc.n || t->ipsec_auth.n || t->pfs_group >= 0) {
			struct ike_proposal *esp = &c->esp[c->nesp++];

			aead = t->ipsec_enc.n &&
			       devconf_aws_add_encr(esp, t->ipsec_enc.s, t->ipsec_enc.n);
			if (t->ipsec_auth.n)
				devconf_aws_add_integ(esp, t->ipsec_auth.s, t->ipsec_auth.n, aead);
			if (t->pfs_group >= 0) {
				devconf_add_transform(esp, IKE_T_DH, (uint16_t)t->pfs_group, 0);
				c->pfs_set = true;
			}
		}
		if (t->p->route_based) {
			devconf_add_ts(m, c, true, "0.0.0.0/0", 9);
			devconf_add_ts(m, c, false, "0.0.0.0/0", 9);
		}
	}
	if (t->p->dpd_delay_s > 0 && t->p->dpd_retries > 0 && t->p->dpd_delay_s < 100000 &&
	    t->p->dpd_retries < 100000)
		t->p->dpd_timeout_s = t->p->dpd_delay_s * t->p->dpd_retries;
	memset(t, 0, sizeof *t);
	return 0;
}

static int start_tunnel(struct gen *g, struct span num, int line)
{
	char name[128];

	if (finish(g) < 0)
		return -1;
	snprintf(name, sizeof name, "%s%stunnel%.*s", g->vpn_id, g->vpn_id[0] ? "/" : "",
		 (int)(num.n > 8 ? 8 : num.n), num.s);
	if (!(g->t.p = devconf_add_peer(g->m, name, line)))
		return devconf_fail(g->m, line, g->err, "out of memory");
	g->t.ike_group = g->t.pfs_group = g->t.ipsec_lifetime = -1;
	g->t.p->startup = DEVCONF_START_INITIATE;
	g->t.p->ike_versions = 1; /* AWS's text names the version; older ones are IKEv1 */
	g->sec = SEC_NONE;
	g->ntun++;
	return 0;
}

static int bad(struct gen *g, int line, struct span key, const char *what)
{
	return devconf_fail(g->m, line, g->err, "%.*s: %s", (int)(key.n > 60 ? 60 : key.n),
			    key.s, what);
}

static int ike_kv(struct gen *g, int line, struct span k, struct span v)
{
	struct devconf_peer *p = g->t.p;

	if (eq(k, "IKE version")) {
		if (eq(v, "IKEv1"))
			p->ike_versions = 1;
		else if (eq(v, "IKEv2"))
			p->ike_versions = 2;
		else
			return bad(g, line, k, "not IKEv1 or IKEv2");
	} else if (eq(k, "Pre-Shared Key")) {
		/* "[ hidden ]" / "<redacted>": set, but not ours to judge */
		p->psk_set = v.n > 0;
		p->psk_weak = v.n > 0 && !(v.s[0] == '[' || v.s[0] == '<') &&
			      devconf_aws_psk_weak(v.s, v.n);
	} else if (eq(k, "Authentication Algorithm")) {
		g->t.ike_hash = v;
	} else if (eq(k, "Encryption Algorithm")) {
		g->t.ike_enc = v;
	} else if (eq(k, "Lifetime")) {
		if ((p->ike_lifetime_s = seconds(v)) < 0)
			return bad(g, line, k, "not a number of seconds");
	} else if (eq(k, "Phase 1 Negotiation Mode")) {
		if (eq(v, "aggressive"))
			p->aggressive = true;
		else if (!eq(v, "main"))
			return bad(g, line, k, "not main or aggressive");
	} else if (eq(k, "Diffie-Hellman") || eq(k, "Perfect Forward Secrecy")) {
		if ((g->t.ike_group = devconf_aws_group(v.s, v.n)) < 0)
			return bad(g, line, k, "not a Diffie-Hellman group (Group N)");
	} else if (!eq(k, "Authentication Method")) {
		g->m->skipped++;
	}
	return 0;
}

static int ipsec_kv(struct gen *g, int line, struct span k, struct span v)
{
	struct devconf_peer *p = g->t.p;
	long n;

	if (!g->t.has_ipsec) {
		g->t.has_ipsec = true;
		g->t.ipsec_line = line;
	}
	if (eq(k, "Authentication Algorithm")) {
		g->t.ipsec_auth = v;
	} else if (eq(k, "Encryption Algorithm")) {
		g->t.ipsec_enc = v;
	} else if (eq(k, "Lifetime")) {
		if ((g->t.ipsec_lifetime = seconds(v)) < 0)
			return bad(g, line, k, "not a number of seconds");
	} else if (eq(k, "Perfect Forward Secrecy") || eq(k, "Diffie-Hellman")) {
		if ((g->t.pfs_group = devconf_aws_group(v.s, v.n)) < 0)
			return bad(g, line, k, "not a Diffie-Hellman group (Group N)");
	} else if (eq(k, "DPD Interval") || eq(k, "DPD Delay") || eq(k, "DPD Retries")) {
		if ((n = seconds(v)) < 0)
			return bad(g, line, k, "not a number");
		if (eq(k, "DPD Retries"))
			p->dpd_retries = n;
		else
			p->dpd_delay_s = n;
	} else if (eq(k, "Protocol")) {
		if (!eq(v, "esp"))
			g->m->skipped++;
	} else if (!eq(k, "Mode of operation") && !eq(k, "Mode")) {
		g->m->skipped++;
	}
	return 0;
}

static const char *dup(struct gen *g, struct span v)
{
	return devconf_strdup(g->m, v.s, v.n);
}

static int tunnel_kv(struct gen *g, struct span k, struct span v)
{
	struct devconf_peer *p = g->t.p;

	if (g->sec == SEC_TUNNEL_OUT && eq(k, "Customer Gateway"))
		p->local_addr = dup(g, v);
	else if (g->sec == SEC_TUNNEL_OUT && eq(k, "Virtual Private Gateway"))
		p->remote_addr = dup(g, v);
	else if (g->sec == SEC_TUNNEL_IN && (eq(k, "Customer Gateway") ||
					     eq(k, "Virtual Private Gateway")))
		p->route_based = true;
	else
		g->m->skipped++;
	return 0;
}

/* One line, without its newline. */
static int line_of(struct gen *g, const char *s, size_t n, int line)
{
	struct span l = trim(s, n), k, v;
	const char *colon;

	if (has_prefix(l, "IPSec Tunnel #"))
		return start_tunnel(g, trim(l.s + 14, l.n - 14), line);
	if (has_prefix(l, "Your VPN Connection ID") && (colon = memchr(l.s, ':', l.n))) {
		v = trim(colon + 1, l.n - (size_t)(colon + 1 - l.s));
		snprintf(g->vpn_id, sizeof g->vpn_id, "%.*s", (int)(v.n > 63 ? 63 : v.n), v.s);
		return 0;
	}
	if (has_prefix(l, "#1:"))
		g->sec = SEC_IKE;
	else if (has_prefix(l, "#2:"))
		g->sec = SEC_IPSEC;
	else if (has_prefix(l, "#3:"))
		g->sec = SEC_TUNNEL;
	else if (has_prefix(l, "#4:") || has_prefix(l, "#5:"))
		g->sec = SEC_BGP;
	else if (has_prefix(l, "Outside IP Addresses") && g->sec >= SEC_TUNNEL_OUT &&
		 g->sec <= SEC_TUNNEL)
		g->sec = SEC_TUNNEL_OUT;
	else if (has_prefix(l, "Inside IP Addresses") && g->sec >= SEC_TUNNEL_OUT &&
		 g->sec <= SEC_TUNNEL)
		g->sec = SEC_TUNNEL_IN;
	if (l.n < 2 || l.s[0] != '-' || !(colon = memchr(l.s, ':', l.n)))
		return 0; /* prose */
	k = trim(l.s + 1, (size_t)(colon - l.s) - 1);
	v = trim(colon + 1, l.n - (size_t)(colon + 1 - l.s));
	if (!g->t.p) {
		g->m->skipped++;
		return 0;
	}
	switch (g->sec) {
	case SEC_IKE: return ike_kv(g, line, k, v);
	case SEC_IPSEC: return ipsec_kv(g, line, k, v);
	case SEC_TUNNEL_OUT:
	case SEC_TUNNEL_IN: return tunnel_kv(g, k, v);
	case SEC_NONE:
	case SEC_TUNNEL:
	case SEC_BGP: break;
	}
	g->m->skipped++;
	return 0;
}

int devconf_parse_aws_generic(const char *text, size_t len, struct devconf_model *m,
			      struct diag_error *err)
{
	struct gen g;
	int line = 1;

	memset(&g, 0, sizeof g);
	g.m = m;
	g.err = err;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;

		if (line_of(&g, text + i, n, line) < 0)
			return -1;
		i += n + 1;
		line++;
	}
	if (finish(&g) < 0)
		return -1;
	if (g.ntun == 0)
		return devconf_fail(m, 0, err, "no \"IPSec Tunnel #N\" section: not an AWS "
					       "Generic configuration");
	return 0;
}
