/* Cisco IOS / IOS-XE "show running-config": crypto isakmp policy / key / keepalive /
 * profile, crypto keyring, crypto ikev2 proposal / policy / keyring / profile / dpd,
 * crypto ipsec transform-set / profile / security-association lifetime, crypto map
 * entries with their access lists, and interfaces (tunnel protection, crypto map).
 * Statements are read into the shared store (devconf_cisco.h); cisco_build() makes the
 * peers. A top-level line (no indent) opens a block; indented lines belong to it; "exit"
 * closes it (or an IKEv2 keyring's peer sub-block first).
 *
 * Defaults filled where the configuration is silent (what the router then proposes):
 * ISAKMP policy DES, SHA-1, group 1, 86400 s, rsa-sig; "esp-aes" / "esp-gcm" 128-bit;
 * IPsec SA lifetime 3600 s / 4608000 KB; IKEv2 SA lifetime 86400 s. */
#include <stdio.h>
#include <string.h>

#include "libdiag/devconf/devconf_cisco.h"

enum ctx {
	C_NONE,
	C_SKIP,       /* a block we do not read: its lines were counted with it */
	C_ISAKMP_POL,
	C_KEYRING,
	C_ISAKMP_PROF,
	C_V2PROP,
	C_V2POL,
	C_V2KEYRING,
	C_V2PROF,
	C_TSET,
	C_IPSEC_PROF,
	C_MAP,
	C_IF,
	C_ACL,
	C_OBJGRP,
};

struct st {
	struct devconf_model *m;
	struct cisco_cfg *c;
	struct diag_error *err;
	const struct cisco_line *l;
	enum ctx ctx;
	size_t idx;            /* the block's element in its store array */
	const char *name;
	bool in_peer;          /* IKEv2 keyring: inside "peer NAME" */
	size_t peer_key;
	const char *ring_local; /* keyring: its local-address */
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

/* ---- top-level statements ------------------------------------------------------------- */

static int open_block(struct st *s, enum ctx ctx, size_t idx, const char *name)
{
	s->ctx = ctx;
	s->idx = idx;
	s->name = name;
	s->in_peer = false;
	s->ring_local = NULL;
	return 0;
}

static int isakmp_policy(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_p1 *p;
	long prio;

	if (!cisco_num(l, 3, 1, 65535, &prio))
		return bad(s, 3, "crypto isakmp policy: priority is not a number 1-65535");
	if (!(p = CISCO_PUSH(s->m, s->c, p1)))
		return cisco_store_fail(s->m, l->no, s->c->np1, "IKE policies", s->err);
	p->prio = prio;
	p->line = l->no;
	p->version = 1;
	p->encr[0] = 2; /* DES */
	p->nencr = 1;
	p->integ[0] = IKE_INTEG_HMAC_SHA1_96;
	p->ninteg = 1;
	p->dh[0] = 1;
	p->ndh = 1;
	p->lifetime = 86400;
	return open_block(s, C_ISAKMP_POL, s->c->np1 - 1, NULL);
}

static struct cisco_key *new_key(struct st *s, const char *ring, int version)
{
	struct cisco_key *k = CISCO_PUSH(s->m, s->c, key);

	if (!k) {
		cisco_store_fail(s->m, s->l->no, s->c->nkey, "pre-shared keys", s->err);
		return NULL;
	}
	k->ring = ring;
	k->version = version;
	k->line = s->l->no;
	return k;
}

/* "[0|6|7] KEY" at *i: judges the key, never keeps it. Type 6/7 keys are stored
 * encrypted and cannot be judged. */
static bool read_key(const struct cisco_line *l, size_t i, struct cisco_key *k)
{
	bool enc = false;

	if (i + 1 < l->n && (cisco_is(l, i, "0") || cisco_is(l, i, "6") || cisco_is(l, i, "7")))
		enc = !cisco_is(l, i++, "0");
	if (i >= l->n)
		return false;
	k->set = true;
	k->weak = !enc && cisco_psk_weak(l->t[i]);
	return true;
}

/* crypto isakmp key [0|6|7] KEY address IP [MASK] [no-xauth] | hostname NAME */
static int isakmp_key(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_key *k;
	size_t a, ki = 3;
	bool enc = false;

	for (a = 4; a < l->n; a++)
		if (cisco_is(l, a, "address") || cisco_is(l, a, "hostname") ||
		    cisco_is(l, a, "ipv6"))
			break;
	if (l->n < 4 || a + 1 >= l->n)
		return devconf_fail(s->m, l->no, s->err,
				    "crypto isakmp key: expected 'KEY address IP' or 'KEY hostname "
				    "NAME'");
	if (a - 3 >= 2 && (cisco_is(l, 3, "0") || cisco_is(l, 3, "6") || cisco_is(l, 3, "7"))) {
		enc = !cisco_is(l, 3, "0");
		ki = 4;
	}
	if (!(k = new_key(s, NULL, 1)))
		return -1;
	k->set = true;
	k->weak = !enc && (a - ki != 1 || cisco_psk_weak(l->t[ki]));
	k->addr = cisco_str(s->m, l, a + 1);
	if (cisco_is(l, a, "address") && a + 2 < l->n && !cisco_is(l, a + 2, "no-xauth"))
		k->mask = cisco_str(s->m, l, a + 2);
	return 0;
}

static int isakmp_keepalive(struct st *s)
{
	const struct cisco_line *l = s->l;
	long d, r = DEVCONF_UNSET;

	if (!cisco_num(l, 3, 1, 86400, &d))
		return bad(s, 3, "crypto isakmp keepalive: not a number of seconds");
	if (l->n > 4 && !cisco_is(l, 4, "periodic") && !cisco_is(l, 4, "on-demand") &&
	    !cisco_num(l, 4, 1, 86400, &r))
		return bad(s, 4, "crypto isakmp keepalive: retry is not a number of seconds");
	s->c->ka_delay = d;
	s->c->ka_retry = r;
	return 0;
}

static int new_prof(struct st *s, int version)
{
	struct cisco_prof *p;

	if (s->l->n < 4)
		return bad(s, 3, "crypto profile: no name");
	if (!(p = CISCO_PUSH(s->m, s->c, prof)))
		return cisco_store_fail(s->m, s->l->no, s->c->nprof, "IKE profiles", s->err);
	p->name = cisco_str(s->m, s->l, 3);
	p->line = s->l->no;
	p->version = version;
	p->dpd_delay = p->dpd_retry = p->lifetime = DEVCONF_UNSET;
	return open_block(s, version == 1 ? C_ISAKMP_PROF : C_V2PROF, s->c->nprof - 1, p->name);
}

static int v2_proposal(struct st *s)
{
	struct cisco_p1 *p;

	if (s->l->n < 4)
		return bad(s, 3, "crypto ikev2 proposal: no name");
	if (!(p = CISCO_PUSH(s->m, s->c, p1)))
		return cisco_store_fail(s->m, s->l->no, s->c->np1, "IKE policies", s->err);
	p->name = cisco_str(s->m, s->l, 3);
	p->line = s->l->no;
	p->version = 2;
	p->lifetime = DEVCONF_UNSET;
	return open_block(s, C_V2PROP, s->c->np1 - 1, p->name);
}

static int v2_policy(struct st *s)
{
	struct cisco_v2pol *p;

	if (s->l->n < 4)
		return bad(s, 3, "crypto ikev2 policy: no name");
	if (!(p = CISCO_PUSH(s->m, s->c, v2pol)))
		return cisco_store_fail(s->m, s->l->no, s->c->nv2pol, "IKEv2 policies", s->err);
	p->name = cisco_str(s->m, s->l, 3);
	p->line = s->l->no;
	return open_block(s, C_V2POL, s->c->nv2pol - 1, p->name);
}

static int v2_dpd(struct st *s)
{
	long d, r = DEVCONF_UNSET;

	if (!cisco_num(s->l, 3, 1, 3600, &d))
		return bad(s, 3, "crypto ikev2 dpd: not a number of seconds");
	if (s->l->n > 4 && !cisco_num(s->l, 4, 1, 3600, &r))
		return bad(s, 4, "crypto ikev2 dpd: retry is not a number of seconds");
	s->c->v2dpd_delay = d;
	s->c->v2dpd_retry = r;
	return 0;
}

/* crypto ipsec transform-set NAME esp-aes 256 esp-sha-hmac */
static int transform_set(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_tset *t;

	if (l->n < 5)
		return devconf_fail(s->m, l->no, s->err,
				    "crypto ipsec transform-set: expected a name and transforms");
	if (!(t = CISCO_PUSH(s->m, s->c, tset)))
		return cisco_store_fail(s->m, l->no, s->c->ntset, "transform sets", s->err);
	t->name = cisco_str(s->m, l, 3);
	t->line = l->no;
	for (size_t i = 4; i < l->n; i++) {
		const struct cisco_tok *k = &l->t[i];
		uint16_t id, kl;
		long bits;

		if (k->n > 5 && strncasecmp(k->s, "esp-", 4) == 0 &&
		    k->n > 9 && strncasecmp(k->s + k->n - 5, "-hmac", 5) == 0) {
			struct cisco_tok h = {k->s + 4, k->n - 9};

			if (t->ninteg < 8)
				t->integ[t->ninteg++] = cisco_hash_id(h);
			continue;
		}
		if (cisco_tok_is(*k, "esp-none") || (k->n > 3 && strncasecmp(k->s, "ah-", 3) == 0) ||
		    (k->n > 5 && strncasecmp(k->s, "comp-", 5) == 0))
			continue; /* no ESP integrity, AH, compression */
		if (k->n <= 4 || strncasecmp(k->s, "esp-", 4) != 0)
			return bad(s, i, "crypto ipsec transform-set: not a transform");
		cisco_encr_id(*k, &id, &kl);
		if (cisco_num(l, i + 1, 128, 256, &bits)) {
			kl = (uint16_t)bits;
			i++;
		}
		if (t->nencr < 8) {
			t->encr[t->nencr] = id;
			t->encr_kl[t->nencr++] = kl;
		}
	}
	return open_block(s, C_TSET, s->c->ntset - 1, t->name);
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

static int ipsec_profile(struct st *s)
{
	struct cisco_p2 *p;

	if (s->l->n < 4)
		return bad(s, 3, "crypto ipsec profile: no name");
	if (!(p = new_p2(s, cisco_str(s->m, s->l, 3), DEVCONF_UNSET, false)))
		return -1;
	return open_block(s, C_IPSEC_PROF, (size_t)(p - s->c->p2), p->name);
}

/* crypto map NAME SEQ ipsec-isakmp | crypto map NAME local-address IF */
static int crypto_map(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_p2 *p;
	long seq;

	if (cisco_is(l, 3, "local-address") || cisco_is(l, 3, "redundancy") ||
	    cisco_is(l, 3, "isakmp-profile") || cisco_is(l, 3, "gdoi"))
		return skip(s);
	if (!cisco_num(l, 3, 1, 65535, &seq))
		return bad(s, 3, "crypto map: sequence is not a number 1-65535");
	if (cisco_is(l, 4, "ipsec-manual") || cisco_is(l, 4, "gdoi") ||
	    (l->n > 5 && cisco_is(l, 5, "dynamic"))) {
		skip(s);
		return open_block(s, C_SKIP, 0, NULL);
	}
	if (!(p = new_p2(s, cisco_str(s->m, l, 2), seq, true)))
		return -1;
	return open_block(s, C_MAP, (size_t)(p - s->c->p2), p->name);
}

static int interface(struct st *s)
{
	struct cisco_if *f;

	if (s->l->n < 2)
		return bad(s, 1, "interface: no name");
	if (!(f = CISCO_PUSH(s->m, s->c, ifs)))
		return cisco_store_fail(s->m, s->l->no, s->c->nifs, "interfaces", s->err);
	f->name = cisco_str(s->m, s->l, 1);
	f->line = s->l->no;
	return open_block(s, C_IF, s->c->nifs - 1, f->name);
}

static int crypto(struct st *s)
{
	const struct cisco_line *l = s->l;

	if (cisco_is(l, 1, "isakmp")) {
		if (cisco_is(l, 2, "policy"))
			return isakmp_policy(s);
		if (cisco_is(l, 2, "key"))
			return isakmp_key(s);
		if (cisco_is(l, 2, "keepalive"))
			return isakmp_keepalive(s);
		if (cisco_is(l, 2, "profile"))
			return new_prof(s, 1);
		if (cisco_is(l, 2, "aggressive-mode") && cisco_is(l, 3, "disable"))
			return 0; /* refuses aggressive mode as responder: nothing to model */
	} else if (cisco_is(l, 1, "keyring")) {
		if (l->n < 3)
			return bad(s, 2, "crypto keyring: no name");
		return open_block(s, C_KEYRING, 0, cisco_str(s->m, l, 2));
	} else if (cisco_is(l, 1, "ikev2")) {
		if (cisco_is(l, 2, "proposal"))
			return v2_proposal(s);
		if (cisco_is(l, 2, "policy"))
			return v2_policy(s);
		if (cisco_is(l, 2, "keyring")) {
			if (l->n < 4)
				return bad(s, 3, "crypto ikev2 keyring: no name");
			return open_block(s, C_V2KEYRING, 0, cisco_str(s->m, l, 3));
		}
		if (cisco_is(l, 2, "profile"))
			return new_prof(s, 2);
		if (cisco_is(l, 2, "dpd"))
			return v2_dpd(s);
	} else if (cisco_is(l, 1, "ipsec")) {
		if (cisco_is(l, 2, "transform-set"))
			return transform_set(s);
		if (cisco_is(l, 2, "profile"))
			return ipsec_profile(s);
		if (cisco_is(l, 2, "security-association") && cisco_is(l, 3, "lifetime"))
			return cisco_sa_lifetime(s->m, l, 4, &s->c->life_s, &s->c->life_kb,
						 s->err);
	} else if (cisco_is(l, 1, "map")) {
		if (l->n < 4)
			return devconf_fail(s->m, l->no, s->err,
					    "crypto map: expected a name and a sequence number");
		return crypto_map(s);
	}
	skip(s);
	return open_block(s, C_SKIP, 0, NULL);
}

static int top(struct st *s)
{
	const struct cisco_line *l = s->l;

	s->ctx = C_NONE;
	if (cisco_is(l, 0, "crypto"))
		return crypto(s);
	if (cisco_is(l, 0, "interface"))
		return interface(s);
	if (cisco_is(l, 0, "ip") && cisco_is(l, 1, "access-list") && cisco_is(l, 2, "extended")) {
		if (l->n < 4)
			return bad(s, 3, "ip access-list extended: no name");
		return open_block(s, C_ACL, 0, cisco_str(s->m, l, 3));
	}
	if (cisco_is(l, 0, "access-list") && l->n > 2 &&
	    (cisco_is(l, 2, "permit") || cisco_is(l, 2, "deny") || cisco_is(l, 2, "remark")))
		return cisco_ace(s->m, s->c, cisco_str(s->m, l, 1), l, 2, true, s->err);
	if (cisco_is(l, 0, "object-group") && cisco_is(l, 1, "network")) {
		if (l->n < 3)
			return bad(s, 2, "object-group network: no name");
		return open_block(s, C_OBJGRP, 0, cisco_str(s->m, l, 2));
	}
	if (cisco_is(l, 0, "no") && cisco_is(l, 1, "crypto") && cisco_is(l, 2, "ipsec") &&
	    cisco_is(l, 3, "nat-transparency")) {
		s->c->natt = 0;
		return 0;
	}
	skip(s);
	return open_block(s, C_SKIP, 0, NULL);
}

/* ---- block lines ---------------------------------------------------------------------- */

static int policy_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_p1 *p = &s->c->p1[s->idx];
	long v;

	if (cisco_is(l, 0, "encryption") || cisco_is(l, 0, "encr")) {
		if (l->n < 2)
			return bad(s, 1, "encryption");
		cisco_encr_id(l->t[1], &p->encr[0], &p->encr_kl[0]);
		if (cisco_num(l, 2, 128, 256, &v))
			p->encr_kl[0] = (uint16_t)v;
	} else if (cisco_is(l, 0, "hash")) {
		if (l->n < 2)
			return bad(s, 1, "hash");
		p->integ[0] = cisco_hash_id(l->t[1]);
	} else if (cisco_is(l, 0, "group")) {
		if (!cisco_num(l, 1, 1, 65535, &v))
			return bad(s, 1, "group: not a Diffie-Hellman group number");
		p->dh[0] = (uint16_t)v;
	} else if (cisco_is(l, 0, "lifetime")) {
		if (!cisco_num(l, 1, 1, 2147483647L, &v))
			return bad(s, 1, "lifetime: not a number of seconds");
		p->lifetime = v;
	} else if (cisco_is(l, 0, "authentication")) {
		p->psk_auth = cisco_is(l, 1, "pre-share");
	} else {
		return skip(s);
	}
	return 0;
}

/* pre-shared-key address IP [MASK] key [0|6|7] KEY | local-address X */
static int keyring_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_key *k;
	size_t kw;

	if (cisco_is(l, 0, "local-address")) {
		s->ring_local = cisco_str(s->m, l, 1);
		for (size_t i = 0; i < s->c->nkey; i++)
			if (s->c->key[i].ring && strcmp(s->c->key[i].ring, s->name) == 0)
				s->c->key[i].local_addr = s->ring_local;
		return 0;
	}
	if (!cisco_is(l, 0, "pre-shared-key"))
		return skip(s);
	if (!cisco_is(l, 1, "address") && !cisco_is(l, 1, "hostname"))
		return skip(s);
	for (kw = 2; kw < l->n && !cisco_is(l, kw, "key"); kw++)
		;
	if (kw >= l->n || kw < 3)
		return devconf_fail(s->m, l->no, s->err,
				    "pre-shared-key: expected 'address IP [MASK] key KEY'");
	if (!(k = new_key(s, s->name, 1)))
		return -1;
	if (!read_key(l, kw + 1, k))
		return devconf_fail(s->m, l->no, s->err, "pre-shared-key: the key is missing");
	k->addr = cisco_str(s->m, l, 2);
	if (kw > 3)
		k->mask = cisco_str(s->m, l, 3);
	k->local_addr = s->ring_local;
	return 0;
}

static int prof_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_prof *p = &s->c->prof[s->idx];
	long v;

	if (cisco_is(l, 0, "keyring")) {
		/* isakmp: "keyring NAME"; ikev2: "keyring local NAME" */
		p->keyring = cisco_str(s->m, l, cisco_is(l, 1, "local") ? 2 : 1);
	} else if (cisco_is(l, 0, "match") && cisco_is(l, 1, "identity")) {
		size_t i = cisco_is(l, 2, "remote") ? 3 : 2;

		if (cisco_is(l, i, "address")) {
			if (!p->remote) {
				p->remote = cisco_str(s->m, l, i + 1);
				if (i + 2 < l->n && l->t[i + 2].n && l->t[i + 2].s[0] >= '0' &&
				    l->t[i + 2].s[0] <= '9')
					p->remote_mask = cisco_str(s->m, l, i + 2);
			}
			if (!p->remote_id)
				p->remote_id = cisco_str(s->m, l, i + 1);
		} else if (cisco_is(l, i, "fqdn") || cisco_is(l, i, "host")) {
			p->remote_id = cisco_str(s->m, l, i + 1 + cisco_is(l, i + 1, "domain"));
		} else {
			return skip(s);
		}
	} else if (cisco_is(l, 0, "match") && cisco_is(l, 1, "address") &&
		   cisco_is(l, 2, "local")) {
		p->local_addr = cisco_str(s->m, l, cisco_is(l, 3, "interface") ? 4 : 3);
	} else if (cisco_is(l, 0, "local-address")) {
		p->local_addr = cisco_str(s->m, l, 1);
	} else if (cisco_is(l, 0, "identity") && cisco_is(l, 1, "local")) {
		p->local_id = cisco_str(s->m, l, 3);
	} else if (cisco_is(l, 0, "self-identity")) {
		p->local_id = cisco_str(s->m, l, cisco_is(l, 1, "user-fqdn") ||
						     cisco_is(l, 1, "fqdn") ? 2 : 1);
	} else if (cisco_is(l, 0, "keepalive")) { /* isakmp: keepalive N retry M */
		if (!cisco_num(l, 1, 1, 86400, &v))
			return bad(s, 1, "keepalive: not a number of seconds");
		p->dpd_delay = v;
		if (cisco_is(l, 2, "retry") && !cisco_num(l, 3, 1, 86400, &p->dpd_retry))
			return bad(s, 3, "keepalive retry: not a number of seconds");
	} else if (cisco_is(l, 0, "dpd")) { /* ikev2: dpd N M on-demand|periodic */
		if (!cisco_num(l, 1, 1, 3600, &v))
			return bad(s, 1, "dpd: not a number of seconds");
		p->dpd_delay = v;
		if (l->n > 2 && !cisco_num(l, 2, 1, 3600, &p->dpd_retry))
			return bad(s, 2, "dpd: retry is not a number of seconds");
	} else if (cisco_is(l, 0, "lifetime")) {
		if (!cisco_num(l, 1, 1, 2147483647L, &v))
			return bad(s, 1, "lifetime: not a number of seconds");
		p->lifetime = v;
	} else if (cisco_is(l, 0, "initiate") && cisco_is(l, 1, "mode") &&
		   cisco_is(l, 2, "aggressive")) {
		p->aggressive = true;
	} else if (cisco_is(l, 0, "authentication")) {
		if (cisco_is(l, 2, "pre-share")) {
			p->psk_local |= cisco_is(l, 1, "local");
			p->psk_remote |= cisco_is(l, 1, "remote");
		} else {
			return skip(s);
		}
	} else {
		return skip(s);
	}
	return 0;
}

static int v2prop_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_p1 *p = &s->c->p1[s->idx];

	if (cisco_is(l, 0, "encryption")) {
		for (size_t i = 1; i < l->n && p->nencr < 8; i++, p->nencr++)
			cisco_encr_id(l->t[i], &p->encr[p->nencr], &p->encr_kl[p->nencr]);
	} else if (cisco_is(l, 0, "integrity")) {
		for (size_t i = 1; i < l->n && p->ninteg < 8; i++)
			if (!cisco_is(l, i, "null"))
				p->integ[p->ninteg++] = cisco_hash_id(l->t[i]);
	} else if (cisco_is(l, 0, "prf")) {
		for (size_t i = 1; i < l->n && p->nprf < 8; i++)
			p->prf[p->nprf++] = cisco_prf_id(l->t[i]);
	} else if (cisco_is(l, 0, "group")) {
		for (size_t i = 1; i < l->n && p->ndh < 16; i++) {
			long v;

			if (!cisco_num(l, i, 1, 65535, &v))
				return bad(s, i, "group: not a Diffie-Hellman group number");
			p->dh[p->ndh++] = (uint16_t)v;
		}
	} else {
		return skip(s);
	}
	return 0;
}

static int v2pol_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_v2pol *p = &s->c->v2pol[s->idx];

	if (cisco_is(l, 0, "proposal")) {
		if (l->n < 2)
			return bad(s, 1, "proposal: no name");
		if (p->nprops < CISCO_NAMES_MAX)
			p->props[p->nprops++] = cisco_str(s->m, l, 1);
		else
			s->m->skipped++;
	} else if (cisco_is(l, 0, "match") && cisco_is(l, 1, "address") &&
		   cisco_is(l, 2, "local")) {
		p->match_local = cisco_str(s->m, l, 3);
	} else {
		return skip(s);
	}
	return 0;
}

/* peer NAME / address IP [MASK] / pre-shared-key [local|remote] [0|6] KEY */
static int v2keyring_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_key *k;

	if (cisco_is(l, 0, "peer")) {
		if (l->n < 2)
			return bad(s, 1, "peer: no name");
		if (!(k = new_key(s, s->name, 2)))
			return -1;
		k->peer = cisco_str(s->m, l, 1);
		s->in_peer = true;
		s->peer_key = s->c->nkey - 1;
		return 0;
	}
	if (!s->in_peer)
		return skip(s);
	k = &s->c->key[s->peer_key];
	if (cisco_is(l, 0, "address")) {
		if (l->n < 2)
			return bad(s, 1, "address: no address");
		k->addr = cisco_str(s->m, l, 1);
		if (l->n > 2)
			k->mask = cisco_str(s->m, l, 2);
	} else if (cisco_is(l, 0, "pre-shared-key")) {
		size_t i = cisco_is(l, 1, "local") || cisco_is(l, 1, "remote") ? 2 : 1;
		bool weak = k->weak;

		if (!read_key(l, i, k))
			return devconf_fail(s->m, l->no, s->err,
					    "pre-shared-key: the key is missing");
		k->weak |= weak;
	} else {
		return skip(s);
	}
	return 0;
}

/* The "set ..." lines an IPsec profile and a crypto-map entry share. */
static int set_line(struct st *s, struct cisco_p2set *ps)
{
	const struct cisco_line *l = s->l;

	if (cisco_is(l, 1, "transform-set")) {
		for (size_t i = 2; i < l->n; i++) {
			if (ps->ntsets >= CISCO_NAMES_MAX) {
				s->m->skipped++;
				break;
			}
			ps->tset_ver[ps->ntsets] = 0;
			ps->tsets[ps->ntsets++] = cisco_str(s->m, l, i);
		}
	} else if (cisco_is(l, 1, "pfs")) {
		if (!cisco_pfs(l, 2, 1, &ps->pfs))
			return bad(s, 2, "set pfs: not a group (groupN)");
	} else if (cisco_is(l, 1, "security-association") && cisco_is(l, 2, "lifetime")) {
		return cisco_sa_lifetime(s->m, l, 3, &ps->life_s, &ps->life_kb, s->err);
	} else if (cisco_is(l, 1, "ikev2-profile")) {
		ps->ikev2_profile = cisco_str(s->m, l, 2);
	} else if (cisco_is(l, 1, "isakmp-profile")) {
		ps->isakmp_profile = cisco_str(s->m, l, 2);
	} else if (cisco_is(l, 1, "nat") && cisco_is(l, 2, "demux")) {
		return skip(s);
	} else {
		return skip(s);
	}
	return 0;
}

static int p2_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_p2 *p = &s->c->p2[s->idx];

	if (p->is_map && cisco_is(l, 0, "set") && cisco_is(l, 1, "peer")) {
		if (l->n < 3)
			return bad(s, 2, "set peer: no address");
		for (size_t i = 2; i < l->n; i++) {
			if (cisco_is(l, i, "default") || cisco_is(l, i, "dynamic"))
				continue;
			if (p->npeers >= CISCO_NAMES_MAX) {
				s->m->skipped++;
				break;
			}
			p->peers[p->npeers++] = cisco_str(s->m, l, i);
		}
		return 0;
	}
	if (p->is_map && cisco_is(l, 0, "match") && cisco_is(l, 1, "address")) {
		if (l->n < 3)
			return bad(s, 2, "match address: no access list");
		p->acl = cisco_str(s->m, l, 2);
		return 0;
	}
	if (cisco_is(l, 0, "set"))
		return set_line(s, &p->s);
	return skip(s);
}

static int if_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_if *f = &s->c->ifs[s->idx];

	if (cisco_is(l, 0, "ip") && cisco_is(l, 1, "address") && l->n >= 3) {
		if (!f->addr && !cisco_is(l, 2, "dhcp") && !cisco_is(l, 2, "negotiated"))
			f->addr = cisco_str(s->m, l, 2);
	} else if (cisco_is(l, 0, "tunnel") && cisco_is(l, 1, "source")) {
		f->tun_src = cisco_str(s->m, l, 2);
	} else if (cisco_is(l, 0, "tunnel") && cisco_is(l, 1, "destination")) {
		f->tun_dst = cisco_str(s->m, l, 2);
	} else if (cisco_is(l, 0, "tunnel") && cisco_is(l, 1, "mode")) {
		f->tun_ipsec = cisco_is(l, 2, "ipsec");
	} else if (cisco_is(l, 0, "tunnel") && cisco_is(l, 1, "protection") &&
		   cisco_is(l, 2, "ipsec") && cisco_is(l, 3, "profile")) {
		if (l->n < 5)
			return bad(s, 4, "tunnel protection ipsec profile: no name");
		f->tun_prof = cisco_str(s->m, l, 4);
	} else if (cisco_is(l, 0, "crypto") && cisco_is(l, 1, "map")) {
		f->cmap = cisco_str(s->m, l, 2);
	} else {
		return skip(s);
	}
	return 0;
}

static int objgrp_line(struct st *s)
{
	const struct cisco_line *l = s->l;
	struct cisco_obj *o;
	char buf[64];
	const char *kind = "cidr", *val;

	if (cisco_is(l, 0, "description"))
		return 0;
	if (cisco_is(l, 0, "group-object")) {
		kind = "group";
		val = cisco_str(s->m, l, 1);
	} else if (cisco_is(l, 0, "host") && l->n >= 2) {
		snprintf(buf, sizeof buf, "%.*s/32", (int)(l->t[1].n > 40 ? 40 : l->t[1].n),
			 l->t[1].s);
		val = devconf_strdup(s->m, buf, strlen(buf));
	} else if (l->n >= 2 && cisco_cidr(l->t[0], l->t[1], false, buf, sizeof buf)) {
		val = devconf_strdup(s->m, buf, strlen(buf));
	} else {
		return skip(s);
	}
	if (!val)
		return bad(s, 1, "object-group: missing name");
	if (!(o = CISCO_PUSH(s->m, s->c, obj)))
		return cisco_store_fail(s->m, l->no, s->c->nobj, "object-group members", s->err);
	o->group = s->name;
	o->is_group = true;
	o->line = l->no;
	o->kind = kind;
	o->val = val;
	return 0;
}

static int sub(struct st *s)
{
	const struct cisco_line *l = s->l;
	size_t i = 0;

	switch (s->ctx) {
	case C_NONE:
	case C_SKIP:
	case C_TSET:
		return 0;
	case C_ISAKMP_POL:
		return policy_line(s);
	case C_KEYRING:
		return keyring_line(s);
	case C_ISAKMP_PROF:
	case C_V2PROF:
		return prof_line(s);
	case C_V2PROP:
		return v2prop_line(s);
	case C_V2POL:
		return v2pol_line(s);
	case C_V2KEYRING:
		return v2keyring_line(s);
	case C_IPSEC_PROF:
	case C_MAP:
		return p2_line(s);
	case C_IF:
		return if_line(s);
	case C_ACL:
		if (cisco_num(l, 0, 0, 2147483647L, &(long){0}))
			i = 1; /* a sequence number */
		if (cisco_is(l, i, "permit"))
			return cisco_ace(s->m, s->c, s->name, l, i, true, s->err);
		if (cisco_is(l, i, "deny") || cisco_is(l, i, "remark"))
			return 0;
		return skip(s);
	case C_OBJGRP:
		return objgrp_line(s);
	}
	return 0;
}

int devconf_parse_ios(const char *text, size_t len, struct devconf_model *m,
		      struct diag_error *err)
{
	struct cisco_cfg c;
	struct cisco_reader r;
	struct cisco_line l;
	struct st s = {m, &c, err, &l, C_NONE, 0, NULL, false, 0, NULL};

	cisco_cfg_init(&c, false);
	cisco_reader_init(&r, text, len);
	while (cisco_next_line(&r, &l)) {
		int rc;

		if (cisco_is(&l, 0, "exit") || cisco_is(&l, 0, "end")) {
			if (s.ctx == C_V2KEYRING && s.in_peer && l.indent > 0)
				s.in_peer = false;
			else
				s.ctx = C_NONE;
			continue;
		}
		if (l.indent == 0)
			rc = top(&s);
		else
			rc = sub(&s);
		if (rc < 0)
			return -1;
	}
	return cisco_build(m, &c, err);
}
