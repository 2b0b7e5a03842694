/* Cisco ASA "show running-config": crypto ikev1 / ikev2 policy, crypto ipsec ikev1
 * transform-set, crypto ipsec ikev2 ipsec-proposal, crypto ipsec profile (VTI), crypto
 * map entries (one line each: "crypto map NAME SEQ set ..."), crypto map NAME interface,
 * access-list ... extended, object-group / object network, tunnel-group (type,
 * ipsec-attributes, general-attributes), group-policy attributes, interfaces (nameif,
 * ip address, tunnel source / destination / protection). Statements go into the shared
 * store (devconf_cisco.h); cisco_build() makes the peers.
 *
 * Defaults filled where the configuration is silent (ASA CLI configuration guide, IKE
 * policy tables): IKEv1 policy 3DES, SHA-1, group 2, 86400 s, pre-share; IKEv2 policy
 * 3DES, SHA-1 integrity, PRF SHA-1, group 5, 86400 s; IPsec SA lifetime 28800 s /
 * 4608000 KB; "set pfs" without a group is group 2; keepalives on, threshold 10 s. */
#include <stdio.h>
#include <string.h>

#include "libdiag/devconf/devconf_cisco.h"

enum ctx {
	C_NONE,
	C_SKIP,
	C_V1POL,
	C_V2POL,
	C_PROPOSAL,   /* crypto ipsec ikev2 ipsec-proposal */
	C_IPSEC_PROF,
	C_IF,
	C_OBJGRP,
	C_OBJ,
	C_TG_IPSEC,
	C_TG_GENERAL,
	C_GPOL,
};

struct st {
	struct devconf_model *m;
	struct cisco_cfg *c;
	struct diag_error *err;
	const struct cisco_line *l;
	enum ctx ctx;
	size_t idx;
	const char *name;
	bool v2_integ_set, v2_encr_set, v2_dh_set; /* an IKEv2 policy's first explicit list */
};

static int skip(struct st *s)
{
	s->m->skipped++;
	return 0;
}

static int bad(struct st *s, size_t i, const char *what)
{
	return cisco_fail_tok(s->m, s->l, i, s->err, what);
}

static int open_block(struct st *s, enum ctx ctx, size_t idx, const char *name)
{
	s->ctx = ctx;
	s->idx = idx;
	s->name = name;
	s->v2_integ_set = s->v2_encr_set = s->v2_dh_set = false;
	return 0;
}

static int skip_block(struct st *s)
{
	skip(s);
	return open_block(s, C_SKIP, 0, NULL);
}

/* ---- top level ------------------------------------------------------------------------ */

static int ike_policy(struct st *s, int version)
{
	const struct cisco_line *l = s->l;
	struct cisco_p1 *p;
	long prio;

	if (!cisco_num(l, 3, 1, 65535, &prio))
		return bad(s, 3, version == 1 ? "crypto ikev1 policy: priority is not a number "
						"1-65535"
					      : "crypto ikev2 policy: priority is not a number "
						"1-65535");
	if (!(p = CISCO_PUSH(s->m, s->c, p1)))
		return cisco_store_fail(s->m, l->no, s->c->np1, "IKE policies", s->err);
	p->prio = prio;
	p->line = l->no;
	p->version = version;
	p->encr[0] = IKE_ENCR_3DES;
	p->nencr = 1;
	p->integ[0] = IKE_INTEG_HMAC_SHA1_96;
	p->ninteg = 1;
	p->dh[0] = version == 1 ? 2 : 5;
	p->ndh = 1;
	if (version == 2) {
		p->prf[0] = IKE_PRF_HMAC_SHA1;
		p->nprf = 1;
	}
	p->lifetime = 86400;
	p->psk_auth = true;
	return open_block(s, version == 1 ? C_V1POL : C_V2POL, s->c->np1 - 1, NULL);
}

static struct cisco_tset *new_tset(struct st *s, size_t name_tok, int version)
{
	struct cisco_tset *t;

	if (name_tok >= s->l->n) {
		bad(s, name_tok, "crypto ipsec: no name");
		return NULL;
	}
	if (!(t = CISCO_PUSH(s->m, s->c, tset))) {
		cisco_store_fail(s->m, s->l->no, s->c->ntset, "transform sets", s->err);
		return NULL;
	}
	t->name = cisco_str(s->m, s->l, name_tok);
	t->line = s->l->no;
	t->version = version;
	return t;
}

/* crypto ipsec ikev1 transform-set NAME esp-aes-256 esp-sha-hmac [mode transport] */
static int v1_tset(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_tset *t;

	if (l->n < 6)
		return devconf_fail(s->m, l->no, s->err,
				    "crypto ipsec ikev1 transform-set: expected a name and "
				    "transforms");
	if (!(t = new_tset(s, 4, 1)))
		return -1;
	for (size_t i = 5; i < l->n; i++) {
		const struct cisco_tok *k = &l->t[i];
		uint16_t id, kl;

		if (cisco_tok_is(*k, "mode")) {
			i++;
			continue;
		}
		if (k->n > 9 && strncasecmp(k->s, "esp-", 4) == 0 &&
		    strncasecmp(k->s + k->n - 5, "-hmac", 5) == 0) {
			struct cisco_tok h = {k->s + 4, k->n - 9};

			if (t->ninteg < 8)
				t->integ[t->ninteg++] = cisco_hash_id(h);
			continue;
		}
		if (cisco_tok_is(*k, "esp-none"))
			continue;
		if (k->n <= 4 || strncasecmp(k->s, "esp-", 4) != 0)
			return bad(s, i, "crypto ipsec ikev1 transform-set: not a transform");
		cisco_encr_id(*k, &id, &kl);
		if (t->nencr < 8) {
			t->encr[t->nencr] = id;
			t->encr_kl[t->nencr++] = kl;
		}
	}
	return 0;
}

static struct cisco_p2 *new_p2(struct st *s, const char *name, long seq, bool is_map)
{
	struct cisco_p2 *p = cisco_find_p2(s->c, name, seq, is_map);

	if (p)
		return p;
	if (!(p = CISCO_PUSH(s->m, s->c, p2))) {
		cisco_store_fail(s->m, s->l->no, s->c->np2, "IPsec profiles and crypto-map entries",
				 s->err);
		return NULL;
	}
	p->name = name;
	p->seq = seq;
	p->line = s->l->no;
	p->is_map = is_map;
	p->s.pfs = p->s.life_s = p->s.life_kb = DEVCONF_UNSET;
	p->s.natt = (int)DEVCONF_UNSET;
	return p;
}

/* The "set ..." words a crypto-map entry and an IPsec profile share, from token i (the
 * word after "set"). */
static int set_words(struct st *s, struct cisco_p2 *p, size_t i)
{
	const struct cisco_line *l = s->l;
	struct cisco_p2set *ps = &p->s;

	if (cisco_is(l, i, "ikev1") && cisco_is(l, i + 1, "transform-set")) {
		for (size_t k = i + 2; k < l->n; k++) {
			if (ps->ntsets >= CISCO_NAMES_MAX)
				return skip(s);
			ps->tset_ver[ps->ntsets] = 1;
			ps->tsets[ps->ntsets++] = cisco_str(s->m, l, k);
		}
	} else if (cisco_is(l, i, "ikev2") && cisco_is(l, i + 1, "ipsec-proposal")) {
		for (size_t k = i + 2; k < l->n; k++) {
			if (ps->ntsets >= CISCO_NAMES_MAX)
				return skip(s);
			ps->tset_ver[ps->ntsets] = 2;
			ps->tsets[ps->ntsets++] = cisco_str(s->m, l, k);
		}
	} else if (cisco_is(l, i, "ikev1") && cisco_is(l, i + 1, "phase1-mode")) {
		ps->aggressive = cisco_is(l, i + 2, "aggressive");
	} else if (cisco_is(l, i, "pfs")) {
		if (!cisco_pfs(l, i + 1, 2, &ps->pfs))
			return bad(s, i + 1, "set pfs: not a group (groupN)");
	} else if (cisco_is(l, i, "security-association") && cisco_is(l, i + 1, "lifetime")) {
		return cisco_sa_lifetime(s->m, l, i + 2, &ps->life_s, &ps->life_kb, s->err);
	} else if (cisco_is(l, i, "connection-type")) {
		if (cisco_is(l, i + 1, "answer-only"))
			ps->startup = DEVCONF_START_RESPOND;
		else if (cisco_is(l, i + 1, "originate-only") ||
			 cisco_is(l, i + 1, "bidirectional"))
			ps->startup = DEVCONF_START_ON_TRAFFIC;
		else
			return bad(s, i + 1, "set connection-type: not answer-only, "
					     "originate-only or bidirectional");
	} else if (cisco_is(l, i, "nat-t-disable")) {
		ps->natt = 0;
	} else if (cisco_is(l, i, "peer") && p->is_map) {
		if (i + 1 >= l->n)
			return bad(s, i + 1, "set peer: no address");
		for (size_t k = i + 1; k < l->n; k++) {
			if (p->npeers >= CISCO_NAMES_MAX)
				return skip(s);
			p->peers[p->npeers++] = cisco_str(s->m, l, k);
		}
	} else {
		return skip(s);
	}
	return 0;
}

/* crypto map NAME SEQ match address ACL | set ... ; crypto map NAME interface IF */
static int crypto_map(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_p2 *p;
	long seq;

	if (l->n < 4)
		return devconf_fail(s->m, l->no, s->err,
				    "crypto map: expected a name and a sequence number");
	if (cisco_is(l, 3, "interface")) {
		struct cisco_map_if *mi;

		if (l->n < 5)
			return bad(s, 4, "crypto map interface: no interface");
		if (!(mi = CISCO_PUSH(s->m, s->c, mapif)))
			return cisco_store_fail(s->m, l->no, s->c->nmapif, "crypto map bindings",
						s->err);
		mi->map = cisco_str(s->m, l, 2);
		mi->ifname = cisco_str(s->m, l, 4);
		return 0;
	}
	if (!cisco_num(l, 3, 1, 65535, &seq))
		return bad(s, 3, "crypto map: sequence is not a number 1-65535");
	if (cisco_is(l, 4, "ipsec-isakmp") && cisco_is(l, 5, "dynamic"))
		return skip(s); /* a dynamic map: peers unknown until they call */
	if (!(p = new_p2(s, cisco_str(s->m, l, 2), seq, true)))
		return -1;
	if (cisco_is(l, 4, "match") && cisco_is(l, 5, "address")) {
		if (l->n < 7)
			return bad(s, 6, "crypto map match address: no access list");
		p->acl = cisco_str(s->m, l, 6);
		return 0;
	}
	if (cisco_is(l, 4, "set"))
		return set_words(s, p, 5);
	return skip(s);
}

static struct cisco_tgroup *tgroup(struct st *s, size_t name_tok)
{
	const char *name = cisco_str(s->m, s->l, name_tok);
	struct cisco_tgroup *g = cisco_find_tg(s->c, name);

	if (g || !name)
		return g;
	if (!(g = CISCO_PUSH(s->m, s->c, tg))) {
		cisco_store_fail(s->m, s->l->no, s->c->ntg, "tunnel-groups", s->err);
		return NULL;
	}
	g->name = name;
	g->line = s->l->no;
	g->dpd_delay = g->dpd_retry = DEVCONF_UNSET;
	return g;
}

static int tunnel_group(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_tgroup *g;

	if (l->n < 3)
		return devconf_fail(s->m, l->no, s->err,
				    "tunnel-group: expected a name and 'type', "
				    "'ipsec-attributes' or 'general-attributes'");
	if (!(g = tgroup(s, 1)))
		return -1;
	if (cisco_is(l, 2, "type")) {
		g->l2l = cisco_is(l, 3, "ipsec-l2l");
		return 0;
	}
	if (cisco_is(l, 2, "ipsec-attributes"))
		return open_block(s, C_TG_IPSEC, (size_t)(g - s->c->tg), g->name);
	if (cisco_is(l, 2, "general-attributes"))
		return open_block(s, C_TG_GENERAL, (size_t)(g - s->c->tg), g->name);
	return skip_block(s);
}

static int group_policy(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_gpol *g;
	const char *name = cisco_str(s->m, l, 1);

	if (l->n < 3)
		return devconf_fail(s->m, l->no, s->err,
				    "group-policy: expected a name and 'internal' or 'attributes'");
	if (!(g = cisco_find_gp(s->c, name))) {
		if (!(g = CISCO_PUSH(s->m, s->c, gp)))
			return cisco_store_fail(s->m, l->no, s->c->ngp, "group-policies", s->err);
		g->name = name;
	}
	if (cisco_is(l, 2, "attributes"))
		return open_block(s, C_GPOL, (size_t)(g - s->c->gp), g->name);
	return 0;
}

static int crypto(struct st *s)
{
	const struct cisco_line *l = s->l;

	if (cisco_is(l, 1, "ikev1") && cisco_is(l, 2, "policy"))
		return ike_policy(s, 1);
	if (cisco_is(l, 1, "ikev2") && cisco_is(l, 2, "policy"))
		return ike_policy(s, 2);
	if (cisco_is(l, 1, "ipsec") && cisco_is(l, 2, "ikev1") &&
	    cisco_is(l, 3, "transform-set"))
		return v1_tset(s);
	if (cisco_is(l, 1, "ipsec") && cisco_is(l, 2, "ikev2") &&
	    cisco_is(l, 3, "ipsec-proposal")) {
		if (!new_tset(s, 4, 2))
			return -1;
		return open_block(s, C_PROPOSAL, s->c->ntset - 1, NULL);
	}
	if (cisco_is(l, 1, "ipsec") && cisco_is(l, 2, "profile")) {
		struct cisco_p2 *p;

		if (l->n < 4)
			return bad(s, 3, "crypto ipsec profile: no name");
		if (!(p = new_p2(s, cisco_str(s->m, l, 3), DEVCONF_UNSET, false)))
			return -1;
		return open_block(s, C_IPSEC_PROF, (size_t)(p - s->c->p2), p->name);
	}
	if (cisco_is(l, 1, "ipsec") && cisco_is(l, 2, "security-association") &&
	    cisco_is(l, 3, "lifetime"))
		return cisco_sa_lifetime(s->m, l, 4, &s->c->life_s, &s->c->life_kb, s->err);
	if (cisco_is(l, 1, "map"))
		return crypto_map(s);
	if (cisco_is(l, 1, "ikev1") && cisco_is(l, 2, "am-disable"))
		return 0; /* refuses aggressive mode as responder: nothing to model */
	if (cisco_is(l, 1, "isakmp") && cisco_is(l, 2, "nat-traversal")) {
		s->c->natt = 1;
		return 0;
	}
	return skip_block(s);
}

static int top(struct st *s)
{
	const struct cisco_line *l = s->l;

	s->ctx = C_NONE;
	if (cisco_is(l, 0, "crypto"))
		return crypto(s);
	if (cisco_is(l, 0, "tunnel-group"))
		return tunnel_group(s);
	if (cisco_is(l, 0, "group-policy"))
		return group_policy(s);
	if (cisco_is(l, 0, "access-list")) {
		if (l->n < 3)
			return bad(s, 1, "access-list: no name");
		if (cisco_is(l, 2, "extended"))
			return cisco_ace(s->m, s->c, cisco_str(s->m, l, 1), l, 3, false, s->err);
		if (cisco_is(l, 2, "line") && cisco_is(l, 4, "extended"))
			return cisco_ace(s->m, s->c, cisco_str(s->m, l, 1), l, 5, false, s->err);
		return cisco_is(l, 2, "remark") ? 0 : skip(s);
	}
	if (cisco_is(l, 0, "interface")) {
		struct cisco_if *f;

		if (l->n < 2)
			return bad(s, 1, "interface: no name");
		if (!(f = CISCO_PUSH(s->m, s->c, ifs)))
			return cisco_store_fail(s->m, l->no, s->c->nifs, "interfaces", s->err);
		f->name = cisco_str(s->m, l, 1);
		f->line = l->no;
		return open_block(s, C_IF, s->c->nifs - 1, f->name);
	}
	if ((cisco_is(l, 0, "object-group") || cisco_is(l, 0, "object")) &&
	    cisco_is(l, 1, "network")) {
		if (l->n < 3)
			return bad(s, 2, "object network: no name");
		return open_block(s, cisco_is(l, 0, "object") ? C_OBJ : C_OBJGRP, 0,
				  cisco_str(s->m, l, 2));
	}
	if (cisco_is(l, 0, "no") && cisco_is(l, 1, "crypto") && cisco_is(l, 2, "isakmp") &&
	    cisco_is(l, 3, "nat-traversal")) {
		s->c->natt = 0;
		return 0;
	}
	return skip_block(s);
}

/* ---- block lines ---------------------------------------------------------------------- */

static int policy_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_p1 *p = &s->c->p1[s->idx];
	bool v2 = p->version == 2;
	long v;

	if (cisco_is(l, 0, "encryption")) {
		if (l->n < 2)
			return bad(s, 1, "encryption");
		if (!s->v2_encr_set)
			p->nencr = 0;
		s->v2_encr_set = true;
		for (size_t i = 1; i < l->n && p->nencr < 8 && (v2 || i == 1); i++, p->nencr++)
			cisco_encr_id(l->t[i], &p->encr[p->nencr], &p->encr_kl[p->nencr]);
	} else if (cisco_is(l, 0, "hash") || cisco_is(l, 0, "integrity")) {
		if (l->n < 2)
			return bad(s, 1, "integrity");
		if (!s->v2_integ_set)
			p->ninteg = 0;
		s->v2_integ_set = true;
		for (size_t i = 1; i < l->n && p->ninteg < 8 && (v2 || i == 1); i++)
			if (!cisco_is(l, i, "null"))
				p->integ[p->ninteg++] = cisco_hash_id(l->t[i]);
	} else if (cisco_is(l, 0, "prf")) {
		p->nprf = 0;
		for (size_t i = 1; i < l->n && p->nprf < 8; i++)
			p->prf[p->nprf++] = cisco_prf_id(l->t[i]);
	} else if (cisco_is(l, 0, "group")) {
		if (!s->v2_dh_set)
			p->ndh = 0;
		s->v2_dh_set = true;
		for (size_t i = 1; i < l->n && p->ndh < 16 && (v2 || i == 1); i++) {
			if (!cisco_num(l, i, 1, 65535, &v))
				return bad(s, i, "group: not a Diffie-Hellman group number");
			p->dh[p->ndh++] = (uint16_t)v;
		}
	} else if (cisco_is(l, 0, "lifetime")) {
		size_t i = cisco_is(l, 1, "seconds") ? 2 : 1;

		if (cisco_is(l, i, "none"))
			v = 0;
		else if (!cisco_num(l, i, 1, 2147483647L, &v))
			return bad(s, i, "lifetime: not a number of seconds");
		p->lifetime = v;
	} else if (cisco_is(l, 0, "authentication")) {
		p->psk_auth = cisco_is(l, 1, "pre-share");
	} else {
		return skip(s);
	}
	return 0;
}

/* protocol esp encryption aes-256 aes | protocol esp integrity sha-256 sha-1 */
static int proposal_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_tset *t = &s->c->tset[s->idx];

	if (!cisco_is(l, 0, "protocol") || !cisco_is(l, 1, "esp"))
		return skip(s);
	if (cisco_is(l, 2, "encryption")) {
		t->nencr = 0;
		for (size_t i = 3; i < l->n && t->nencr < 8; i++, t->nencr++)
			cisco_encr_id(l->t[i], &t->encr[t->nencr], &t->encr_kl[t->nencr]);
	} else if (cisco_is(l, 2, "integrity")) {
		t->ninteg = 0;
		for (size_t i = 3; i < l->n && t->ninteg < 8; i++)
			if (!cisco_is(l, i, "null"))
				t->integ[t->ninteg++] = cisco_hash_id(l->t[i]);
	} else {
		return skip(s);
	}
	return 0;
}

static int if_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_if *f = &s->c->ifs[s->idx];

	if (cisco_is(l, 0, "nameif")) {
		f->nameif = cisco_str(s->m, l, 1);
	} else if (cisco_is(l, 0, "ip") && cisco_is(l, 1, "address") && l->n >= 3) {
		if (!f->addr && !cisco_is(l, 2, "dhcp") && !cisco_is(l, 2, "pppoe"))
			f->addr = cisco_str(s->m, l, 2);
	} else if (cisco_is(l, 0, "tunnel") && cisco_is(l, 1, "source")) {
		f->tun_src = cisco_str(s->m, l, cisco_is(l, 2, "interface") ? 3 : 2);
	} else if (cisco_is(l, 0, "tunnel") && cisco_is(l, 1, "destination")) {
		f->tun_dst = cisco_str(s->m, l, 2);
	} else if (cisco_is(l, 0, "tunnel") && cisco_is(l, 1, "mode")) {
		f->tun_ipsec = cisco_is(l, 2, "ipsec");
	} else if (cisco_is(l, 0, "tunnel") && cisco_is(l, 1, "protection") &&
		   cisco_is(l, 2, "ipsec") && cisco_is(l, 3, "profile")) {
		if (l->n < 5)
			return bad(s, 4, "tunnel protection ipsec profile: no name");
		f->tun_prof = cisco_str(s->m, l, 4);
	} else {
		return skip(s);
	}
	return 0;
}

static int obj_line(struct st *s, bool group)
{
	const struct cisco_line *l = s->l;
	struct cisco_obj *o;
	char buf[96];
	const char *kind = "cidr", *val = NULL;
	size_t i = 0;

	if (cisco_is(l, 0, "description"))
		return 0;
	if (group && cisco_is(l, 0, "network-object"))
		i = 1;
	if (group && cisco_is(l, 0, "group-object")) {
		kind = "group";
		val = cisco_str(s->m, l, 1);
	} else if (group && i == 1 && cisco_is(l, 1, "object")) {
		kind = "object";
		val = cisco_str(s->m, l, 2);
	} else if ((i == 1 || !group) && cisco_is(l, i, "host") && l->n > i + 1) {
		uint32_t a;

		if (!cisco_v4(l->t[i + 1].s, l->t[i + 1].n, &a))
			return bad(s, i + 1, "host: not an IPv4 address");
		snprintf(buf, sizeof buf, "%.*s/32", (int)l->t[i + 1].n, l->t[i + 1].s);
		val = devconf_strdup(s->m, buf, strlen(buf));
	} else if ((i == 1 || (!group && cisco_is(l, 0, "subnet"))) && l->n > 1 &&
		   memchr(l->t[1].s, '/', l->t[1].n)) {
		val = cisco_str(s->m, l, 1); /* an IPv6 prefix, as written */
	} else if ((i == 1 || (!group && cisco_is(l, 0, "subnet"))) && l->n > 2) {
		if (!cisco_cidr(l->t[1], l->t[2], false, buf, sizeof buf))
			return bad(s, 1, "network object: not an address and netmask");
		val = devconf_strdup(s->m, buf, strlen(buf));
	} else if (!group && cisco_is(l, 0, "range") && l->n > 2) {
		snprintf(buf, sizeof buf, "%.*s-%.*s", (int)(l->t[1].n > 40 ? 40 : l->t[1].n),
			 l->t[1].s, (int)(l->t[2].n > 40 ? 40 : l->t[2].n), l->t[2].s);
		val = devconf_strdup(s->m, buf, strlen(buf));
	} else {
		return skip(s);
	}
	if (!val)
		return bad(s, 1, "object: missing value");
	if (!(o = CISCO_PUSH(s->m, s->c, obj)))
		return cisco_store_fail(s->m, l->no, s->c->nobj, "network objects", s->err);
	o->group = s->name;
	o->is_group = group;
	o->line = l->no;
	o->kind = kind;
	o->val = val;
	return 0;
}

/* ikev1 pre-shared-key KEY | ikev2 remote-authentication pre-shared-key KEY |
 * ikev2 local-authentication pre-shared-key KEY | pre-shared-key KEY (8.2) |
 * isakmp keepalive [threshold N retry M | disable]. A key is judged, never kept. */
static int tg_ipsec_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_tgroup *g = &s->c->tg[s->idx];
	struct cisco_key *k;
	size_t kt = 0;
	int ver = 0;

	if (cisco_is(l, 0, "ikev1") && cisco_is(l, 1, "pre-shared-key")) {
		kt = 2;
		ver = 1;
	} else if (cisco_is(l, 0, "pre-shared-key")) {
		kt = 1;
		ver = 1;
	} else if (cisco_is(l, 0, "ikev2") &&
		   (cisco_is(l, 1, "remote-authentication") ||
		    cisco_is(l, 1, "local-authentication")) &&
		   cisco_is(l, 2, "pre-shared-key")) {
		kt = 3;
		ver = 2;
	} else if (cisco_is(l, 0, "isakmp") && cisco_is(l, 1, "keepalive")) {
		long v;

		if (cisco_is(l, 2, "disable") ||
		    (cisco_is(l, 2, "threshold") && cisco_is(l, 3, "infinite"))) {
			g->dpd_off = true; /* infinite: answers keepalives, never sends them */
			return 0;
		}
		for (size_t i = 2; i + 1 < l->n; i += 2) {
			if (!cisco_num(l, i + 1, 1, 3600, &v))
				return bad(s, i + 1, "isakmp keepalive: not a number of seconds");
			if (cisco_is(l, i, "threshold"))
				g->dpd_delay = v;
			else if (cisco_is(l, i, "retry"))
				g->dpd_retry = v;
			else
				return bad(s, i, "isakmp keepalive: expected threshold or retry");
		}
		return 0;
	} else {
		return skip(s);
	}
	/* "8 ENCRYPTED" (master-key encrypted) or "0 KEY" */
	if (kt + 1 < l->n && (cisco_is(l, kt, "0") || cisco_is(l, kt, "8")))
		kt++;
	if (kt >= l->n)
		return devconf_fail(s->m, l->no, s->err, "pre-shared-key: the key is missing");
	if (!(k = CISCO_PUSH(s->m, s->c, key)))
		return cisco_store_fail(s->m, l->no, s->c->nkey, "pre-shared keys", s->err);
	k->addr = g->name;
	k->version = ver;
	k->line = l->no;
	k->set = true;
	k->weak = !cisco_is(l, kt - 1, "8") && cisco_psk_weak(l->t[kt]);
	g->versions |= (unsigned)ver;
	return 0;
}

static int sub(struct st *s)
{
	const struct cisco_line *l = s->l;

	switch (s->ctx) {
	case C_NONE:
	case C_SKIP:
		return 0;
	case C_V1POL:
	case C_V2POL:
		return policy_line(s);
	case C_PROPOSAL:
		return proposal_line(s);
	case C_IPSEC_PROF:
		if (cisco_is(l, 0, "set"))
			return set_words(s, &s->c->p2[s->idx], 1);
		if (cisco_is(l, 0, "responder-only")) {
			s->c->p2[s->idx].s.startup = DEVCONF_START_RESPOND;
			return 0;
		}
		return skip(s);
	case C_IF:
		return if_line(s);
	case C_OBJGRP:
		return obj_line(s, true);
	case C_OBJ:
		return obj_line(s, false);
	case C_TG_IPSEC:
		return tg_ipsec_line(s);
	case C_TG_GENERAL:
		if (cisco_is(l, 0, "default-group-policy")) {
			s->c->tg[s->idx].group_policy = cisco_str(s->m, l, 1);
			return 0;
		}
		return skip(s);
	case C_GPOL:
		if (cisco_is(l, 0, "vpn-tunnel-protocol")) {
			struct cisco_gpol *g = &s->c->gp[s->idx];

			g->versions = 0;
			for (size_t i = 1; i < l->n; i++)
				g->versions |= cisco_is(l, i, "ikev1") ? 1u
					       : cisco_is(l, i, "ikev2") ? 2u : 0u;
			return 0;
		}
		return skip(s);
	}
	return 0;
}

int devconf_parse_asa(const char *text, size_t len, struct devconf_model *m,
		      struct diag_error *err)
{
	struct cisco_cfg c;
	struct cisco_reader r;
	struct cisco_line l;
	struct st s = {m, &c, err, &l, C_NONE, 0, NULL, false, false, false};

	cisco_cfg_init(&c, true);
	cisco_reader_init(&r, text, len);
	while (cisco_next_line(&r, &l)) {
		int rc;

		if (cisco_is(&l, 0, "exit") || cisco_is(&l, 0, "end")) {
			s.ctx = C_NONE;
			continue;
		}
		rc = l.indent == 0 ? top(&s) : sub(&s);
		if (rc < 0)
			return -1;
	}
	return cisco_build(m, &c, err);
}
