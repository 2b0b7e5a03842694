/* The Cisco line reader, algorithm names and the object store shared by the ASA and IOS
 * parsers, and cisco_build(), which turns the store into peers. See devconf_cisco.h.
 *
 * Peers, in this order:
 *   1. every tunnel interface protected by an IPsec profile (route-based, one child with
 *      0.0.0.0/0 on both sides: what a VTI negotiates);
 *   2. every crypto-map entry with "set peer", one peer per address (policy-based, one
 *      child per permit line of its access list);
 *   3. (IOS) every IKE profile that matches a remote address no peer above has: the
 *      IPsec profiles that name it give its children;
 *   4. every pre-shared key for an address (IOS keyrings, ASA tunnel-groups) no peer above
 *      has: phase 1 only.
 * Phase 1 policies are global on Cisco: every peer gets the whole list of its IKE version,
 * in priority order. A peer that can do both versions gets the IKEv2 list (both dialects
 * initiate with IKEv2 when a crypto map or profile offers it). */
#include "libdiag/devconf/devconf_cisco.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EXPAND_BUDGET (50u * 1000 * 1000) /* object-group entries scanned, whole file */

/* ---- lines ---------------------------------------------------------------------------- */

void cisco_reader_init(struct cisco_reader *r, const char *text, size_t len)
{
	r->text = text;
	r->len = len;
	r->off = 0;
	r->no = 0;
}

static bool blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

bool cisco_next_line(struct cisco_reader *r, struct cisco_line *l)
{
	while (r->off < r->len) {
		size_t start = r->off, end = start, i;

		while (end < r->len && r->text[end] != '\n')
			end++;
		r->off = end < r->len ? end + 1 : end;
		r->no++;
		for (i = start; i < end && blank(r->text[i]); i++)
			;
		if (i == end || r->text[i] == '!' || r->text[i] == ':')
			continue;
		l->no = r->no;
		l->indent = i - start;
		l->n = 0;
		while (i < end) {
			size_t j = i;

			while (j < end && !blank(r->text[j]))
				j++;
			if (l->n < CISCO_TOK_MAX) {
				l->t[l->n].s = r->text + i;
				l->t[l->n].n = j - i;
				l->n++;
			}
			for (i = j; i < end && blank(r->text[i]); i++)
				;
		}
		return true;
	}
	return false;
}

bool cisco_tok_is(struct cisco_tok t, const char *word)
{
	size_t wl = strlen(word);

	return t.n == wl && strncasecmp(t.s, word, wl) == 0;
}

bool cisco_is(const struct cisco_line *l, size_t i, const char *word)
{
	return i < l->n && cisco_tok_is(l->t[i], word);
}

bool cisco_num(const struct cisco_line *l, size_t i, long min, long max, long *out)
{
	long v = 0;

	if (i >= l->n || l->t[i].n == 0 || l->t[i].n > 10)
		return false;
	for (size_t k = 0; k < l->t[i].n; k++) {
		char ch = l->t[i].s[k];

		if (ch < '0' || ch > '9')
			return false;
		v = v * 10 + (ch - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

const char *cisco_str(struct devconf_model *m, const struct cisco_line *l, size_t i)
{
	if (i >= l->n)
		return NULL;
	return devconf_strdup(m, l->t[i].s, l->t[i].n);
}

int cisco_fail_tok(struct devconf_model *m, const struct cisco_line *l, size_t i,
		   struct diag_error *err, const char *what)
{
	if (i >= l->n)
		return devconf_fail(m, l->no, err, "%s: missing", what);
	return devconf_fail(m, l->no, err, "%s '%.*s'", what,
			    l->t[i].n > 40 ? 40 : (int)l->t[i].n, l->t[i].s);
}

bool cisco_psk_weak(struct cisco_tok key)
{
	size_t stars = 0;

	for (size_t i = 0; i < key.n; i++)
		stars += key.s[i] == '*';
	if (key.n > 0 && stars == key.n)
		return false; /* shown masked: cannot judge */
	if (key.n < 8 || key.n > 64 || key.s[0] == '0')
		return true;
	for (size_t i = 0; i < key.n; i++) {
		char ch = key.s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_'))
			return true;
	}
	return false;
}

bool cisco_v4(const char *s, size_t n, uint32_t *out)
{
	char buf[16];
	struct in_addr a;

	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

bool cisco_cidr(struct cisco_tok addr, struct cisco_tok mask, bool wildcard, char *out,
		size_t outlen)
{
	uint32_t a, mk;
	int bits = 0;

	if (!cisco_v4(addr.s, addr.n, &a) || !cisco_v4(mask.s, mask.n, &mk))
		return false;
	if (wildcard)
		mk = ~mk;
	while (bits < 32 && (mk & (0x80000000u >> bits)))
		bits++;
	if (bits < 32 && (mk << bits) != 0)
		return false; /* not contiguous */
	snprintf(out, outlen, "%.*s/%d", (int)addr.n, addr.s, bits);
	return true;
}

/* Does remote (an address) fall under addr/mask (mask NULL: exactly addr)? */
static bool addr_match(const char *addr, const char *mask, const char *remote)
{
	uint32_t a, mk, r;

	if (!addr || !remote)
		return false;
	if (strcmp(addr, remote) == 0 && (!mask || strcmp(mask, "255.255.255.255") == 0))
		return true;
	if (!mask || !cisco_v4(addr, strlen(addr), &a) || !cisco_v4(mask, strlen(mask), &mk) ||
	    !cisco_v4(remote, strlen(remote), &r))
		return false;
	return (a & mk) == (r & mk);
}

/* ---- algorithms ----------------------------------------------------------------------- */

uint16_t cisco_prf_of(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_MD5_96: return IKE_PRF_HMAC_MD5;
	case IKE_INTEG_HMAC_SHA1_96: return IKE_PRF_HMAC_SHA1;
	case IKE_INTEG_HMAC_SHA2_256_128: return IKE_PRF_HMAC_SHA2_256;
	case IKE_INTEG_HMAC_SHA2_384_192: return IKE_PRF_HMAC_SHA2_384;
	case IKE_INTEG_HMAC_SHA2_512_256: return IKE_PRF_HMAC_SHA2_512;
	default: return CISCO_UNKNOWN_ALG;
	}
}

bool cisco_is_aead(uint16_t encr)
{
	return encr == IKE_ENCR_AES_GCM_8 || encr == IKE_ENCR_AES_GCM_12 ||
	       encr == IKE_ENCR_AES_GCM_16;
}

static const struct {
	const char *name;
	uint16_t integ;
} hashes[] = {
	{"sha", IKE_INTEG_HMAC_SHA1_96},       {"sha1", IKE_INTEG_HMAC_SHA1_96},
	{"sha-1", IKE_INTEG_HMAC_SHA1_96},     {"md5", IKE_INTEG_HMAC_MD5_96},
	{"sha256", IKE_INTEG_HMAC_SHA2_256_128}, {"sha-256", IKE_INTEG_HMAC_SHA2_256_128},
	{"sha384", IKE_INTEG_HMAC_SHA2_384_192}, {"sha-384", IKE_INTEG_HMAC_SHA2_384_192},
	{"sha512", IKE_INTEG_HMAC_SHA2_512_256}, {"sha-512", IKE_INTEG_HMAC_SHA2_512_256},
};

uint16_t cisco_hash_id(struct cisco_tok t)
{
	for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++)
		if (cisco_tok_is(t, hashes[i].name))
			return hashes[i].integ;
	return CISCO_UNKNOWN_ALG;
}

uint16_t cisco_prf_id(struct cisco_tok t)
{
	return cisco_prf_of(cisco_hash_id(t));
}

static const struct {
	const char *name;
	uint16_t id, keylen;
} encrs[] = {
	{"des", 2, 0},          {"3des", IKE_ENCR_3DES, 0},
	{"aes", IKE_ENCR_AES_CBC, 128},        {"aes-128", IKE_ENCR_AES_CBC, 128},
	{"aes-192", IKE_ENCR_AES_CBC, 192},    {"aes-256", IKE_ENCR_AES_CBC, 256},
	{"aes-cbc-128", IKE_ENCR_AES_CBC, 128}, {"aes-cbc-192", IKE_ENCR_AES_CBC, 192},
	{"aes-cbc-256", IKE_ENCR_AES_CBC, 256}, {"aes-gcm", IKE_ENCR_AES_GCM_16, 128},
	{"aes-gcm-128", IKE_ENCR_AES_GCM_16, 128}, {"aes-gcm-192", IKE_ENCR_AES_GCM_16, 192},
	{"aes-gcm-256", IKE_ENCR_AES_GCM_16, 256}, {"gcm", IKE_ENCR_AES_GCM_16, 128},
	{"aes-gmac", 21, 128},  {"aes-gmac-192", 21, 192},
	{"aes-gmac-256", 21, 256}, {"gmac", 21, 128},
	{"null", 11, 0},
};

void cisco_encr_id(struct cisco_tok t, uint16_t *id, uint16_t *keylen)
{
	if (t.n > 4 && strncasecmp(t.s, "esp-", 4) == 0) {
		t.s += 4;
		t.n -= 4;
	}
	for (size_t i = 0; i < sizeof encrs / sizeof encrs[0]; i++)
		if (cisco_tok_is(t, encrs[i].name)) {
			*id = encrs[i].id;
			*keylen = encrs[i].keylen;
			return;
		}
	*id = CISCO_UNKNOWN_ALG;
	*keylen = 0;
}

int cisco_store_fail(struct devconf_model *m, int line, size_t count, const char *what,
		     struct diag_error *err)
{
	if (count >= CISCO_STORE_MAX)
		return devconf_fail(m, line, err, "more than %d %s", CISCO_STORE_MAX, what);
	return diag_fail(err, DIAG_EXIT_SOFTWARE, m->file, "out of memory");
}

/* ---- the store ------------------------------------------------------------------------ */

void cisco_cfg_init(struct cisco_cfg *c, bool asa)
{
	memset(c, 0, sizeof *c);
	c->asa = asa;
	c->ka_delay = c->ka_retry = c->v2dpd_delay = c->v2dpd_retry = DEVCONF_UNSET;
	c->life_s = c->life_kb = DEVCONF_UNSET;
	c->natt = (int)DEVCONF_UNSET;
}

struct cisco_p2 *cisco_find_p2(struct cisco_cfg *c, const char *name, long seq, bool is_map)
{
	for (size_t i = c->np2; name && i-- > 0;)
		if (c->p2[i].is_map == is_map && c->p2[i].seq == seq &&
		    strcmp(c->p2[i].name, name) == 0)
			return &c->p2[i];
	return NULL;
}

struct cisco_prof *cisco_find_prof(struct cisco_cfg *c, const char *name, int version)
{
	for (size_t i = 0; name && i < c->nprof; i++)
		if (c->prof[i].version == version && strcmp(c->prof[i].name, name) == 0)
			return &c->prof[i];
	return NULL;
}

struct cisco_if *cisco_find_if(struct cisco_cfg *c, const char *name)
{
	for (size_t i = 0; name && i < c->nifs; i++)
		if (strcmp(c->ifs[i].name, name) == 0)
			return &c->ifs[i];
	return NULL;
}

struct cisco_tgroup *cisco_find_tg(struct cisco_cfg *c, const char *name)
{
	for (size_t i = 0; name && i < c->ntg; i++)
		if (strcmp(c->tg[i].name, name) == 0)
			return &c->tg[i];
	return NULL;
}

struct cisco_gpol *cisco_find_gp(struct cisco_cfg *c, const char *name)
{
	for (size_t i = 0; name && i < c->ngp; i++)
		if (strcmp(c->gp[i].name, name) == 0)
			return &c->gp[i];
	return NULL;
}

bool cisco_pfs(const struct cisco_line *l, size_t i, long dflt, long *out)
{
	const struct cisco_tok *t = &l->t[i];
	long v = 0;

	if (i >= l->n) {
		*out = dflt;
		return true;
	}
	if (t->n < 6 || t->n > 10 || strncasecmp(t->s, "group", 5) != 0)
		return false;
	for (size_t k = 5; k < t->n; k++) {
		if (t->s[k] < '0' || t->s[k] > '9')
			return false;
		v = v * 10 + (t->s[k] - '0');
	}
	if (v < 1 || v > 65535)
		return false;
	*out = v;
	return true;
}

int cisco_sa_lifetime(struct devconf_model *m, const struct cisco_line *l, size_t i,
		      long *life_s, long *life_kb, struct diag_error *err)
{
	for (; i < l->n; i += 2) {
		long v;

		if (cisco_is(l, i, "seconds")) {
			if (!cisco_num(l, i + 1, 1, 2147483647L, &v))
				return cisco_fail_tok(m, l, i + 1, err,
						      "lifetime seconds: not a number");
			*life_s = v;
		} else if (cisco_is(l, i, "kilobytes")) {
			if (cisco_is(l, i + 1, "unlimited") || cisco_is(l, i + 1, "disable"))
				v = 0;
			else if (!cisco_num(l, i + 1, 1, 2147483647L, &v))
				return cisco_fail_tok(m, l, i + 1, err,
						      "lifetime kilobytes: not a number");
			*life_kb = v;
		} else {
			m->skipped++; /* "days", "idle-time", ... */
			return 0;
		}
	}
	return 0;
}

/* One address operand of an ACE at *i ("any", "host A", "A MASK", "object-group G",
 * "object O", "interface IF", "A/len"); advances *i. Returns false when malformed. */
static bool ace_addr(struct devconf_model *m, const struct cisco_line *l, size_t *i,
		     bool wildcard, const char **kind, const char **val)
{
	char buf[64];

	if (*i >= l->n)
		return false;
	if (cisco_is(l, *i, "any") || cisco_is(l, *i, "any4")) {
		*kind = "cidr";
		*val = "0.0.0.0/0";
		(*i)++;
		return true;
	}
	if (cisco_is(l, *i, "any6")) {
		*kind = "cidr";
		*val = "::/0";
		(*i)++;
		return true;
	}
	if (cisco_is(l, *i, "host") || cisco_is(l, *i, "object-group") ||
	    cisco_is(l, *i, "object") || cisco_is(l, *i, "interface")) {
		uint32_t a;

		if (*i + 1 >= l->n)
			return false;
		if (cisco_is(l, *i, "host")) {
			const struct cisco_tok *t = &l->t[*i + 1];

			if (!cisco_v4(t->s, t->n, &a) && !memchr(t->s, ':', t->n))
				return false;
			snprintf(buf, sizeof buf, "%.*s/%d", (int)t->n, t->s,
				 memchr(t->s, ':', t->n) ? 128 : 32);
			*kind = "cidr";
			*val = devconf_strdup(m, buf, strlen(buf));
		} else {
			*kind = cisco_is(l, *i, "object-group") ? "group"
				: cisco_is(l, *i, "object") ? "object" : "interface";
			*val = cisco_str(m, l, *i + 1);
		}
		*i += 2;
		return *val != NULL;
	}
	if (memchr(l->t[*i].s, '/', l->t[*i].n)) { /* IPv6 prefix as written */
		*kind = "cidr";
		*val = cisco_str(m, l, *i);
		(*i)++;
		return *val != NULL;
	}
	if (*i + 1 >= l->n || !cisco_cidr(l->t[*i], l->t[*i + 1], wildcard, buf, sizeof buf))
		return false;
	*kind = "cidr";
	*val = devconf_strdup(m, buf, strlen(buf));
	*i += 2;
	return *val != NULL;
}

int cisco_ace(struct devconf_model *m, struct cisco_cfg *c, const char *acl,
	      const struct cisco_line *l, size_t i, bool wildcard, struct diag_error *err)
{
	struct cisco_ace *a;
	const char *sk, *sv, *dk, *dv;
	size_t start;

	if (!cisco_is(l, i, "permit"))
		return 0; /* deny: not encrypted; remark */
	i++;
	if (cisco_is(l, i, "object-group") || cisco_is(l, i, "object"))
		i += 2; /* a service group as the protocol (ASA) */
	else
		i++;
	start = i;
	if (!ace_addr(m, l, &i, wildcard, &sk, &sv))
		return cisco_fail_tok(m, l, start, err,
				      "access-list: not a source address or mask");
	start = i;
	if (!ace_addr(m, l, &i, wildcard, &dk, &dv))
		return cisco_fail_tok(m, l, start, err,
				      "access-list: not a destination address or mask");
	if (!acl || !(a = CISCO_PUSH(m, c, ace))) /* acl: NULL when its copy failed */
		return cisco_store_fail(m, l->no, c->nace, "access-list lines", err);
	a->acl = acl;
	a->line = l->no;
	a->src_kind = sk;
	a->src = sv;
	a->dst_kind = dk;
	a->dst = dv;
	return 0;
}

/* ---- building peers ------------------------------------------------------------------- */

struct build {
	struct devconf_model *m;
	struct cisco_cfg *c;
	struct diag_error *err;
	size_t budget;
};

static int oom(struct build *b)
{
	return diag_fail(b->err, DIAG_EXIT_SOFTWARE, b->m->file, "out of memory");
}

static void p1_prop(const struct cisco_p1 *p, struct ike_proposal *out)
{
	bool plain = false;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < p->nencr; i++) {
		devconf_add_transform(out, IKE_T_ENCR, p->encr[i], p->encr_kl[i]);
		plain |= !cisco_is_aead(p->encr[i]);
	}
	for (size_t i = 0; i < p->nprf; i++)
		devconf_add_transform(out, IKE_T_PRF, p->prf[i], 0);
	if (p->nprf == 0)
		for (size_t i = 0; i < p->ninteg; i++)
			devconf_add_transform(out, IKE_T_PRF, cisco_prf_of(p->integ[i]), 0);
	for (size_t i = 0; plain && i < p->ninteg; i++)
		devconf_add_transform(out, IKE_T_INTEG, p->integ[i], 0);
	for (size_t i = 0; i < p->ndh; i++)
		devconf_add_transform(out, IKE_T_DH, p->dh[i], 0);
}

/* Priority order (IOS IKEv2 proposals have none: file order). */
static int by_prio(const void *a, const void *b)
{
	const struct cisco_p1 *x = a, *y = b;

	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void add_p1(struct build *b, struct devconf_peer *p, const struct cisco_p1 *pol)
{
	if (p->nike >= DEVCONF_PROPOSALS_MAX) {
		b->m->skipped++;
		return;
	}
	p1_prop(pol, &p->ike[p->nike++]);
}

/* The phase 1 list of one version: ASA / IOS ISAKMP policies by priority; IOS IKEv2
 * proposals through the IKEv2 policies (all proposals in file order when there is no
 * policy). Returns the first policy's lifetime or DEVCONF_UNSET. */
static long phase1(struct build *b, struct devconf_peer *p, int version)
{
	struct cisco_cfg *c = b->c;
	long life = DEVCONF_UNSET;

	if (version == 2 && !c->asa) {
		size_t used = 0;

		for (size_t i = 0; i < c->nv2pol; i++) {
			const struct cisco_v2pol *vp = &c->v2pol[i];

			if (vp->match_local && p->local_addr &&
			    strcmp(vp->match_local, p->local_addr) != 0)
				continue;
			used++;
			for (size_t k = 0; k < vp->nprops; k++)
				for (size_t j = 0; j < c->np1; j++)
					if (c->p1[j].version == 2 && c->p1[j].name &&
					    strcmp(c->p1[j].name, vp->props[k]) == 0)
						add_p1(b, p, &c->p1[j]);
		}
		if (used == 0)
			for (size_t j = 0; j < c->np1; j++)
				if (c->p1[j].version == 2)
					add_p1(b, p, &c->p1[j]);
		return DEVCONF_UNSET;
	}
	for (size_t j = 0; j < c->np1; j++) /* sorted by priority in cisco_build */
		if (c->p1[j].version == version) {
			if (life == DEVCONF_UNSET)
				life = c->p1[j].lifetime;
			add_p1(b, p, &c->p1[j]);
		}
	return life;
}

static const struct cisco_tset *find_tset(struct cisco_cfg *c, const char *name, int ver)
{
	for (size_t i = 0; name && i < c->ntset; i++)
		if (c->tset[i].version == ver && strcmp(c->tset[i].name, name) == 0)
			return &c->tset[i];
	return NULL;
}

/* The child's ESP proposals, PFS and lifetimes from a profile / map entry. Only the
 * transform sets of the version the peer speaks (ASA keeps them apart). */
static void phase2(struct build *b, struct devconf_child *ch, const struct cisco_p2set *s,
		   unsigned versions)
{
	struct cisco_cfg *c = b->c;

	for (size_t i = 0; i < s->ntsets; i++) {
		const struct cisco_tset *t = find_tset(c, s->tsets[i], s->tset_ver[i]);
		struct ike_proposal *e;
		bool plain = false;

		if (s->tset_ver[i] && !(versions & (unsigned)s->tset_ver[i]))
			continue;
		if (!t || ch->nesp >= DEVCONF_PROPOSALS_MAX) {
			b->m->skipped++; /* undefined transform set */
			continue;
		}
		e = &ch->esp[ch->nesp++];
		memset(e, 0, sizeof *e);
		for (size_t k = 0; k < t->nencr; k++) {
			devconf_add_transform(e, IKE_T_ENCR, t->encr[k], t->encr_kl[k]);
			plain |= !cisco_is_aead(t->encr[k]);
		}
		for (size_t k = 0; plain && k < t->ninteg; k++)
			devconf_add_transform(e, IKE_T_INTEG, t->integ[k], 0);
		if (s->pfs != DEVCONF_UNSET)
			devconf_add_transform(e, IKE_T_DH, (uint16_t)s->pfs, 0);
	}
	ch->pfs_set = s->pfs != DEVCONF_UNSET;
	ch->lifetime_s = s->life_s != DEVCONF_UNSET ? s->life_s
			 : c->life_s != DEVCONF_UNSET ? c->life_s
			 : c->asa ? 28800 : 3600;
	ch->lifetime_kb = s->life_kb != DEVCONF_UNSET ? s->life_kb
			  : c->life_kb != DEVCONF_UNSET ? c->life_kb : 4608000;
}

/* The address an interface (by IOS name or ASA nameif) has, or NULL. */
static const char *if_addr(struct cisco_cfg *c, const char *name)
{
	for (size_t i = 0; name && i < c->nifs; i++)
		if (strcmp(c->ifs[i].name, name) == 0 ||
		    (c->ifs[i].nameif && strcmp(c->ifs[i].nameif, name) == 0))
			return c->ifs[i].addr;
	return NULL;
}

/* Pre-shared keys for the peer's remote address: from ring when given (falling back to
 * every key of that version), ASA: the tunnel-group of that name. */
static void psk(struct build *b, struct devconf_peer *p, const char *ring, unsigned ver)
{
	struct cisco_cfg *c = b->c;

	for (int pass = ring ? 0 : 1; pass < 2 && !p->psk_set; pass++)
		for (size_t i = 0; i < c->nkey; i++) {
			const struct cisco_key *k = &c->key[i];

			if (!(k->version & (int)ver) || !k->set)
				continue;
			if (pass == 0 && (!k->ring || strcmp(k->ring, ring) != 0))
				continue;
			if (!addr_match(k->addr, k->mask, p->remote_addr))
				continue;
			p->psk_set = true;
			p->psk_weak |= k->weak;
			if (!p->local_addr && k->local_addr)
				p->local_addr = k->local_addr;
		}
	if (c->asa && !p->psk_set)
		for (size_t i = 0; i < c->nkey; i++)
			if (c->key[i].set && (c->key[i].version & (int)ver) &&
			    strcmp(c->key[i].addr, "DefaultL2LGroup") == 0) {
				p->psk_set = true;
				p->psk_weak |= c->key[i].weak;
			}
}

static void dpd(struct devconf_peer *p, long delay, long retry)
{
	if (delay == DEVCONF_UNSET)
		return;
	/* IOS sends five R-U-THERE retries retry seconds apart (2 by default), then clears
	 * the SAs: the peer is dead retry * 5 seconds after the first unanswered one. */
	p->dpd_delay_s = delay;
	p->dpd_retries = 5;
	p->dpd_timeout_s = (retry == DEVCONF_UNSET ? 2 : retry) * 5;
	p->dpd_action = DEVCONF_DPD_CLEAR;
}

/* The IOS IKE profile for a peer: the one named, else the first whose match identity
 * covers the remote address. */
static struct cisco_prof *prof_for(struct cisco_cfg *c, const char *name, int ver,
				   const char *remote)
{
	if (name)
		return cisco_find_prof(c, name, ver);
	for (size_t i = 0; i < c->nprof; i++)
		if (c->prof[i].version == ver &&
		    addr_match(c->prof[i].remote, c->prof[i].remote_mask, remote))
			return &c->prof[i];
	return NULL;
}

static void peer_ios(struct build *b, struct devconf_peer *p, const struct cisco_p2set *s)
{
	struct cisco_cfg *c = b->c;
	int ver = s && s->ikev2_profile ? 2 : 1;
	struct cisco_prof *pr = prof_for(c, s ? (ver == 2 ? s->ikev2_profile
						       : s->isakmp_profile) : NULL,
					 ver, p->remote_addr);
	long life;

	if (!p->local_addr && pr && pr->local_addr)
		p->local_addr = if_addr(c, pr->local_addr) ? if_addr(c, pr->local_addr)
							     : pr->local_addr;
	p->ike_versions = (unsigned)ver;
	life = phase1(b, p, ver);
	if (ver == 2)
		life = pr && pr->lifetime != DEVCONF_UNSET ? pr->lifetime : DEVCONF_UNSET;
	p->ike_lifetime_s = life != DEVCONF_UNSET ? life : 86400;
	psk(b, p, pr ? pr->keyring : NULL, (unsigned)ver);
	if (pr && pr->dpd_delay != DEVCONF_UNSET)
		dpd(p, pr->dpd_delay, pr->dpd_retry);
	else if (ver == 1)
		dpd(p, c->ka_delay, c->ka_retry);
	else
		dpd(p, c->v2dpd_delay, c->v2dpd_retry);
	if (pr) {
		p->aggressive = pr->aggressive;
		p->remote_id = pr->remote_id;
		p->local_id = pr->local_id;
	}
	p->natt = s && s->natt != (int)DEVCONF_UNSET ? s->natt : c->natt;
}

static unsigned tset_versions(const struct cisco_p2set *s)
{
	unsigned v = 0;

	for (size_t i = 0; i < s->ntsets; i++)
		v |= (unsigned)s->tset_ver[i];
	return v;
}

static void peer_asa(struct build *b, struct devconf_peer *p, const struct cisco_p2set *s)
{
	struct cisco_cfg *c = b->c;
	struct cisco_tgroup *tg = cisco_find_tg(c, p->remote_addr);
	unsigned ver = s ? tset_versions(s) : 0;
	long life;

	if (!ver && tg)
		ver = tg->versions;
	{
		/* the group's policy, else the default one every group inherits */
		struct cisco_gpol *gp = cisco_find_gp(c, tg && tg->group_policy
							     ? tg->group_policy : "DfltGrpPolicy");

		if (gp && gp->versions && (ver & gp->versions))
			ver &= gp->versions;
	}
	p->ike_versions = ver & 3;
	life = phase1(b, p, ver & 2 ? 2 : 1);
	p->ike_lifetime_s = life != DEVCONF_UNSET ? life : 86400;
	psk(b, p, NULL, ver ? ver : 3);
	/* ASA keepalives are on by default for LAN-to-LAN groups: threshold 10, retry 2. */
	if (tg && tg->dpd_off) {
		p->dpd_action = DEVCONF_DPD_NONE;
	} else {
		p->dpd_delay_s = tg && tg->dpd_delay != DEVCONF_UNSET ? tg->dpd_delay : 10;
		p->dpd_action = DEVCONF_DPD_CLEAR;
	}
	if (s)
		p->aggressive = s->aggressive;
	p->natt = s && s->natt != (int)DEVCONF_UNSET ? s->natt : c->natt;
}

static void peer_common(struct build *b, struct devconf_peer *p, const struct cisco_p2set *s)
{
	if (b->c->asa)
		peer_asa(b, p, s);
	else
		peer_ios(b, p, s);
}

/* Adds the traffic selectors of one ACE operand, expanding object groups. */
static int expand(struct build *b, struct devconf_child *ch, bool local, const char *kind,
		  const char *val, int depth, int line)
{
	struct cisco_cfg *c = b->c;
	bool group = strcmp(kind, "group") == 0, found = false;

	if (strcmp(kind, "cidr") == 0 || strcmp(kind, "interface") == 0) {
		devconf_add_ts(b->m, ch, local, val, strlen(val));
		return 0;
	}
	if (depth >= CISCO_DEPTH_MAX)
		return devconf_fail(b->m, line, b->err,
				    "object-group %s: nested deeper than %d levels", val,
				    CISCO_DEPTH_MAX);
	for (size_t i = 0; i < c->nobj; i++) {
		const struct cisco_obj *o = &c->obj[i];

		if (b->budget-- == 0)
			return devconf_fail(b->m, line, b->err,
					    "object groups too large to expand");
		if (o->is_group != group || strcmp(o->group, val) != 0)
			continue;
		found = true;
		if (expand(b, ch, local, o->kind, o->val, depth + 1, line) < 0)
			return -1;
	}
	if (!found) /* undefined or empty: keep the name as written */
		devconf_add_ts(b->m, ch, local, val, strlen(val));
	return 0;
}

static struct devconf_peer *new_peer(struct build *b, const char *name, int line)
{
	return devconf_add_peer(b->m, name, line);
}

static bool have_remote(struct devconf_model *m, const char *remote)
{
	for (size_t i = 0; remote && i < m->npeers; i++)
		if (m->peers[i].remote_addr && strcmp(m->peers[i].remote_addr, remote) == 0)
			return true;
	return false;
}

static int build_vti(struct build *b)
{
	struct cisco_cfg *c = b->c;

	for (size_t i = 0; i < c->nifs; i++) {
		const struct cisco_if *f = &c->ifs[i];
		const struct cisco_p2 *pr;
		struct devconf_peer *p;
		struct devconf_child *ch;

		if (!f->tun_prof)
			continue;
		pr = cisco_find_p2(c, f->tun_prof, DEVCONF_UNSET, false);
		if (!(p = new_peer(b, f->name, f->line)))
			return oom(b);
		p->remote_addr = f->tun_dst;
		p->local_addr = f->tun_src && if_addr(c, f->tun_src) ? if_addr(c, f->tun_src)
								    : f->tun_src;
		p->route_based = true;
		p->tunnel_if = f->name;
		peer_common(b, p, pr ? &pr->s : NULL);
		p->startup = pr && pr->s.startup ? pr->s.startup : DEVCONF_START_INITIATE;
		if (!(ch = devconf_add_child(b->m, p, f->tun_prof, pr ? pr->line : f->line)))
			return oom(b);
		if (pr)
			phase2(b, ch, &pr->s, p->ike_versions ? p->ike_versions : 3);
		devconf_add_ts(b->m, ch, true, "0.0.0.0/0", 9);
		devconf_add_ts(b->m, ch, false, "0.0.0.0/0", 9);
	}
	return 0;
}

/* The interface a crypto map is bound to, as an address. */
static const char *map_local(struct cisco_cfg *c, const char *map)
{
	for (size_t i = 0; i < c->nmapif; i++)
		if (strcmp(c->mapif[i].map, map) == 0)
			return if_addr(c, c->mapif[i].ifname) ? if_addr(c, c->mapif[i].ifname)
							       : c->mapif[i].ifname;
	for (size_t i = 0; i < c->nifs; i++)
		if (c->ifs[i].cmap && strcmp(c->ifs[i].cmap, map) == 0)
			return c->ifs[i].addr ? c->ifs[i].addr : c->ifs[i].name;
	return NULL;
}

static int build_maps(struct build *b)
{
	struct cisco_cfg *c = b->c;

	for (size_t i = 0; i < c->np2; i++) {
		const struct cisco_p2 *e = &c->p2[i];

		if (!e->is_map)
			continue;
		for (size_t k = 0; k < e->npeers; k++) {
			char name[300];
			struct devconf_peer *p;

			if (k == 0)
				snprintf(name, sizeof name, "%s %ld", e->name, e->seq);
			else
				snprintf(name, sizeof name, "%s %ld peer %zu", e->name, e->seq,
					 k + 1);
			if (!(p = new_peer(b, name, e->line)))
				return oom(b);
			p->remote_addr = e->peers[k];
			p->local_addr = map_local(c, e->name);
			peer_common(b, p, &e->s);
			p->startup = e->s.startup ? e->s.startup : DEVCONF_START_ON_TRAFFIC;
			for (size_t a = 0; e->acl && a < c->nace; a++) {
				const struct cisco_ace *ace = &c->ace[a];
				struct devconf_child *ch;

				if (strcmp(ace->acl, e->acl) != 0)
					continue;
				if (!(ch = devconf_add_child(b->m, p, ace->acl, ace->line)))
					return oom(b);
				phase2(b, ch, &e->s, p->ike_versions ? p->ike_versions : 3);
				if (expand(b, ch, true, ace->src_kind, ace->src, 0, ace->line) < 0 ||
				    expand(b, ch, false, ace->dst_kind, ace->dst, 0, ace->line) < 0)
					return -1;
			}
		}
	}
	return 0;
}

/* IOS: IKE profiles for an address no peer has yet; their IPsec profiles as children. */
static int build_profiles(struct build *b)
{
	struct cisco_cfg *c = b->c;

	for (size_t i = 0; i < c->nprof; i++) {
		const struct cisco_prof *pr = &c->prof[i];
		struct devconf_peer *p;
		struct cisco_p2set s;

		if (!pr->remote || have_remote(b->m, pr->remote) ||
		    (pr->remote_mask && strcmp(pr->remote_mask, "255.255.255.255") != 0))
			continue;
		if (!(p = new_peer(b, pr->name, pr->line)))
			return oom(b);
		p->remote_addr = pr->remote;
		memset(&s, 0, sizeof s);
		s.natt = (int)DEVCONF_UNSET;
		if (pr->version == 2)
			s.ikev2_profile = pr->name;
		else
			s.isakmp_profile = pr->name;
		peer_common(b, p, &s);
		for (size_t k = 0; k < c->np2; k++) {
			const struct cisco_p2 *ip = &c->p2[k];
			const char *ref = pr->version == 2 ? ip->s.ikev2_profile
							   : ip->s.isakmp_profile;
			struct devconf_child *ch;

			if (ip->is_map || !ref || strcmp(ref, pr->name) != 0)
				continue;
			if (!(ch = devconf_add_child(b->m, p, ip->name, ip->line)))
				return oom(b);
			phase2(b, ch, &ip->s, p->ike_versions);
			devconf_add_ts(b->m, ch, true, "0.0.0.0/0", 9);
			devconf_add_ts(b->m, ch, false, "0.0.0.0/0", 9);
			p->route_based = true; /* IPsec profiles only protect tunnel interfaces */
			p->startup = DEVCONF_START_INITIATE;
		}
	}
	return 0;
}

/* Keys for an address no peer has: phase 1 only. */
static int build_keys(struct build *b)
{
	struct cisco_cfg *c = b->c;

	for (size_t i = 0; i < c->nkey; i++) {
		const struct cisco_key *k = &c->key[i];
		struct devconf_peer *p;
		uint32_t a;

		if (!k->addr || !cisco_v4(k->addr, strlen(k->addr), &a) || a == 0 ||
		    have_remote(b->m, k->addr) ||
		    (k->mask && strcmp(k->mask, "255.255.255.255") != 0))
			continue;
		if (c->asa) {
			const struct cisco_tgroup *tg = cisco_find_tg(c, k->addr);

			if (tg && !tg->l2l)
				continue;
		}
		if (!(p = new_peer(b, k->peer ? k->peer : k->ring ? k->ring : k->addr, k->line)))
			return oom(b);
		p->remote_addr = k->addr;
		if (c->asa) {
			peer_common(b, p, NULL);
		} else {
			struct cisco_p2set s;

			memset(&s, 0, sizeof s);
			s.natt = (int)DEVCONF_UNSET;
			if (k->version == 2) {
				/* the IKEv2 profile that uses this keyring, if any */
				for (size_t j = 0; j < c->nprof; j++)
					if (c->prof[j].version == 2 && c->prof[j].keyring &&
					    k->ring && strcmp(c->prof[j].keyring, k->ring) == 0)
						s.ikev2_profile = c->prof[j].name;
				if (!s.ikev2_profile) {
					p->ike_versions = 2;
					phase1(b, p, 2);
					psk(b, p, k->ring, 2);
					continue;
				}
			}
			peer_common(b, p, &s);
		}
	}
	return 0;
}

int cisco_build(struct devconf_model *m, struct cisco_cfg *c, struct diag_error *err)
{
	struct build b = {m, c, err, EXPAND_BUDGET};

	if (c->np1)
		qsort(c->p1, c->np1, sizeof c->p1[0], by_prio);

	if (build_vti(&b) < 0 || build_maps(&b) < 0)
		return -1;
	if (!c->asa && build_profiles(&b) < 0)
		return -1;
	return build_keys(&b);
}
