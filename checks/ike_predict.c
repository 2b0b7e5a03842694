/* The IKE negotiation with AWS, predicted from a device configuration: see ike_predict.h
 * for the rules. */
#include "checks/ike_predict.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libdiag/aws/defaults.h"

#define UNKNOWN_ID 0xFFFFu

/* ---- AWS's allowed values, in AWS's order (lowest first) ----------------------------- */

static const struct {
	const char *aws;
	uint16_t id, keylen;
} encs[] = {
	{"AES128", IKE_ENCR_AES_CBC, 128},
	{"AES256", IKE_ENCR_AES_CBC, 256},
	{"AES128-GCM-16", IKE_ENCR_AES_GCM_16, 128},
	{"AES256-GCM-16", IKE_ENCR_AES_GCM_16, 256},
};

static const struct {
	const char *aws;
	uint16_t integ, prf;
} hashes[] = {
	{"SHA1", IKE_INTEG_HMAC_SHA1_96, IKE_PRF_HMAC_SHA1},
	{"SHA2-256", IKE_INTEG_HMAC_SHA2_256_128, IKE_PRF_HMAC_SHA2_256},
	{"SHA2-384", IKE_INTEG_HMAC_SHA2_384_192, IKE_PRF_HMAC_SHA2_384},
	{"SHA2-512", IKE_INTEG_HMAC_SHA2_512_256, IKE_PRF_HMAC_SHA2_512},
};

#define NENC (sizeof encs / sizeof *encs)
#define NHASH (sizeof hashes / sizeof *hashes)
#define MAX_GROUPS 64

/* One phase's allowed values: indexes into encs / hashes, groups ascending. */
struct allowed {
	bool enc[NENC], hash[NHASH];
	long groups[MAX_GROUPS];
	size_t ngroups;
};

static bool strs_has(const struct aws_strs *s, const char *v)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] && strcasecmp(s->v[i], v) == 0)
			return true;
	return false;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static void allowed_from(struct allowed *a, const struct aws_strs *enc,
			 const struct aws_strs *integ, const struct aws_ints *dh)
{
	memset(a, 0, sizeof *a);
	for (size_t i = 0; i < NENC; i++)
		a->enc[i] = strs_has(enc, encs[i].aws);
	for (size_t i = 0; i < NHASH; i++)
		a->hash[i] = strs_has(integ, hashes[i].aws);
	for (size_t i = 0; i < dh->n && a->ngroups < MAX_GROUPS; i++)
		a->groups[a->ngroups++] = dh->v[i];
	qsort(a->groups, a->ngroups, sizeof *a->groups, cmp_long);
}

static bool group_allowed(const struct allowed *a, long g)
{
	for (size_t i = 0; i < a->ngroups; i++)
		if (a->groups[i] == g)
			return true;
	return false;
}

/* ---- text helpers ------------------------------------------------------------------- */

static void app(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void app(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* Like snprintf into a fixed field; a long value is cut (the fields are sized for what
 * goes in them, and a cut summary is better than none). */
static void put(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* "aes256", "sha256", "prfsha256", "modp2048": one transform in strongSwan's words. */
static void transform_str(const struct ike_transform *t, char *out, size_t len)
{
	const char *name = ike_transform_name(t->type, t->id);
	const char *k = strstr(name, "128");

	if (t->type == IKE_T_DH && t->id == 0)
		put(out, len, "modpnone");
	else if (t->id == UNKNOWN_ID || strcmp(name, "unknown") == 0)
		put(out, len, "%s?%u", t->type == IKE_T_ENCR ? "encr" : t->type == IKE_T_DH ?
		    "dh" : t->type == IKE_T_PRF ? "prf" : "integ",
		    (unsigned)t->id);
	else if (t->type == IKE_T_ENCR && t->keylen && k)
		put(out, len, "%.*s%u%s", (int)(k - name), name, (unsigned)t->keylen, k + 3);
	else if (t->type == IKE_T_PRF && strncmp(name, "prf", 3) != 0)
		put(out, len, "prf%s", name);
	else
		put(out, len, "%s", name);
}

static bool is_aead(uint16_t id)
{
	return id == IKE_ENCR_AES_GCM_8 || id == IKE_ENCR_AES_GCM_12 || id == IKE_ENCR_AES_GCM_16 ||
	       id == 14 || id == 15 || id == 16 || id == 28;
}

/* The PRF strongSwan derives from an integrity algorithm. */
static uint16_t prf_of(uint16_t integ)
{
	for (size_t i = 0; i < NHASH; i++)
		if (hashes[i].integ == integ)
			return hashes[i].prf;
	return integ == IKE_INTEG_HMAC_MD5_96 ? IKE_PRF_HMAC_MD5 : UNKNOWN_ID;
}

void ike_proposal_str(const struct ike_proposal *p, char *buf, size_t len)
{
	bool aead = false;
	char t[48];

	buf[0] = '\0';
	for (size_t i = 0; i < p->n; i++)
		if (p->t[i].type == IKE_T_ENCR && is_aead(p->t[i].id))
			aead = true;
	for (size_t i = 0; i < p->n; i++) {
		const struct ike_transform *x = &p->t[i];

		/* the PRF a non-AEAD integrity implies is left out, as strongSwan writes it */
		if (x->type == IKE_T_PRF && !aead) {
			bool implied = false;

			for (size_t j = 0; j < p->n; j++)
				if (p->t[j].type == IKE_T_INTEG && prf_of(p->t[j].id) == x->id)
					implied = true;
			if (implied)
				continue;
		}
		transform_str(x, t, sizeof t);
		app(buf, len, "%s%s", buf[0] ? "-" : "", t);
	}
	if (!buf[0])
		put(buf, len, "(empty)");
}

static void proposals_str(const struct ike_proposal *ps, size_t n, char *buf, size_t len)
{
	char one[200];

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		ike_proposal_str(&ps[i], one, sizeof one);
		app(buf, len, "%s%s", i ? ", " : "", one);
	}
	if (n == 0)
		put(buf, len, "none configured");
}

static void allowed_str(const struct allowed *a, bool esp, char *buf, size_t len)
{
	const char *sep = "";

	buf[0] = '\0';
	for (size_t i = 0; i < NENC; i++)
		if (a->enc[i]) {
			app(buf, len, "%s%s", sep, encs[i].aws);
			sep = ", ";
		}
	sep = " / ";
	for (size_t i = 0; i < NHASH; i++)
		if (a->hash[i]) {
			app(buf, len, "%s%s", sep, hashes[i].aws);
			sep = ", ";
		}
	app(buf, len, " / %s", esp ? "PFS group" : "DH group");
	sep = " ";
	for (size_t i = 0; i < a->ngroups; i++) {
		app(buf, len, "%s%ld", sep, a->groups[i]);
		sep = ",";
	}
}

/* ---- matching ----------------------------------------------------------------------- */

/* The encs[] index of an ENCR transform, or -1. AES without a key length is AES-128. */
static int enc_index(const struct ike_transform *t)
{
	uint16_t kl = t->keylen ? t->keylen : 128;

	for (size_t i = 0; i < NENC; i++)
		if (encs[i].id == t->id && encs[i].keylen == kl)
			return (int)i;
	return -1;
}

static int hash_index_integ(uint16_t id)
{
	for (size_t i = 0; i < NHASH; i++)
		if (hashes[i].integ == id)
			return (int)i;
	return -1;
}

static int hash_index_prf(uint16_t id)
{
	for (size_t i = 0; i < NHASH; i++)
		if (hashes[i].prf == id)
			return (int)i;
	return -1;
}

static bool has(const struct ike_proposal *p, uint8_t type)
{
	return ike_proposal_first(p, type) != NULL;
}

/* Does the proposal carry a real DH group (not "modpnone")? */
static bool has_group(const struct ike_proposal *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->t[i].type == IKE_T_DH && p->t[i].id != 0)
			return true;
	return false;
}

/* What a choice selected, as a proposal, for ike_proposal_str. */
static void add_t(struct ike_proposal *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	if (p->n < IKE_PROP_MAX) {
		p->t[p->n].type = type;
		p->t[p->n].id = id;
		p->t[p->n].keylen = keylen;
		p->n++;
	}
}

/* A proposal this tunnel accepts, in strongSwan syntax, for a fix: AES128 (else the
 * first allowed), SHA2-256 (else the first), group 14 (else the first). */
static void example_str(const struct allowed *a, bool esp, char *buf, size_t len)
{
	struct ike_proposal p;
	int e = a->enc[0] ? 0 : -1, h = a->hash[1] ? 1 : -1;
	long g = group_allowed(a, 14) ? 14 : a->ngroups ? a->groups[0] : -1;

	for (size_t i = 0; e < 0 && i < NENC; i++)
		if (a->enc[i])
			e = (int)i;
	for (size_t i = 0; h < 0 && i < NHASH; i++)
		if (a->hash[i])
			h = (int)i;
	memset(&p, 0, sizeof p);
	if (e >= 0)
		add_t(&p, IKE_T_ENCR, encs[e].id, encs[e].keylen);
	if (h >= 0 && (e < 0 || !is_aead(encs[e].id)))
		add_t(&p, IKE_T_INTEG, hashes[h].integ, 0);
	if (h >= 0 && !esp)
		add_t(&p, IKE_T_PRF, hashes[h].prf, 0);
	if (g >= 0)
		add_t(&p, IKE_T_DH, (uint16_t)g, 0);
	ike_proposal_str(&p, buf, len);
}

/* IKEv2: the transforms AWS's proposal of one class (aead or not) would pick from device
 * proposal d, per type the lowest AWS value d offers. want_dh: the DH type counts
 * (phase 1; ESP only at rekey). Returns true and fills *chosen on a match. */
static bool v2_select(const struct ike_proposal *d, const struct allowed *a, bool aead,
		      bool esp, bool want_dh, struct ike_proposal *chosen)
{
	int enc = -1, hash = -1, prf = -1;
	long group = -1;

	memset(chosen, 0, sizeof *chosen);
	for (size_t i = 0; i < NENC && enc < 0; i++) {
		if (!a->enc[i] || is_aead(encs[i].id) != aead)
			continue;
		for (size_t k = 0; k < d->n; k++)
			if (d->t[k].type == IKE_T_ENCR && enc_index(&d->t[k]) == (int)i)
				enc = (int)i;
	}
	if (enc < 0)
		return false;
	if (!aead) {
		for (size_t i = 0; i < NHASH && hash < 0; i++)
			for (size_t k = 0; a->hash[i] && k < d->n; k++)
				if (d->t[k].type == IKE_T_INTEG &&
				    hash_index_integ(d->t[k].id) == (int)i)
					hash = (int)i;
		if (hash < 0)
			return false;
	}
	if (!esp) {
		bool dev_prf = has(d, IKE_T_PRF);

		for (size_t i = 0; i < NHASH && prf < 0; i++) {
			if (!a->hash[i])
				continue;
			for (size_t k = 0; k < d->n; k++)
				if ((dev_prf && d->t[k].type == IKE_T_PRF &&
				     hash_index_prf(d->t[k].id) == (int)i) ||
				    (!dev_prf && d->t[k].type == IKE_T_INTEG &&
				     hash_index_integ(d->t[k].id) == (int)i))
					prf = (int)i;
		}
		if (prf < 0)
			return false;
	}
	if (want_dh) {
		for (size_t i = 0; i < a->ngroups && group < 0; i++)
			for (size_t k = 0; k < d->n; k++)
				if (d->t[k].type == IKE_T_DH && d->t[k].id == a->groups[i])
					group = a->groups[i];
		if (group < 0)
			return false;
	}
	add_t(chosen, IKE_T_ENCR, encs[enc].id, encs[enc].keylen);
	if (hash >= 0)
		add_t(chosen, IKE_T_INTEG, hashes[hash].integ, 0);
	if (prf >= 0)
		add_t(chosen, IKE_T_PRF, hashes[prf].prf, 0);
	if (group >= 0)
		add_t(chosen, IKE_T_DH, (uint16_t)group, 0);
	return true;
}

/* The position of group g in AWS's (ascending) list, or -1. */
static int group_rank(const struct allowed *a, long g)
{
	for (size_t i = 0; i < a->ngroups; i++)
		if (a->groups[i] == g)
			return (int)i;
	return -1;
}

/* IKEv1: among the whole transforms of d (encryption x hash x group) that AWS allows
 * entirely, the one AWS ranks lowest (encryption first, then hash, then group, each in
 * AWS's order: "from the lowest configured value, regardless of the proposal order").
 * GCM has no IKEv1 phase 1 form. Returns its rank (lower is preferred) and fills
 * *chosen, or -1 when no transform is allowed. */
static long v1_select(const struct ike_proposal *d, const struct allowed *a, bool esp,
		      struct ike_proposal *chosen)
{
	long best = -1;

	for (size_t e = 0; e < d->n; e++) {
		int ei;

		if (d->t[e].type != IKE_T_ENCR)
			continue;
		ei = enc_index(&d->t[e]);
		if (ei < 0 || !a->enc[ei] || (!esp && is_aead(encs[ei].id)))
			continue;
		for (size_t h = 0; h <= d->n; h++) {
			int hi = -1;

			if (is_aead(encs[ei].id)) {
				if (h > 0)
					break; /* an AEAD ESP transform has no hash */
			} else {
				if (h == d->n)
					break;
				if (d->t[h].type == IKE_T_INTEG)
					hi = hash_index_integ(d->t[h].id);
				else if (d->t[h].type == IKE_T_PRF && !has(d, IKE_T_INTEG))
					hi = hash_index_prf(d->t[h].id);
				else
					continue;
				if (hi < 0 || !a->hash[hi])
					continue;
			}
			for (size_t g = 0; g < d->n; g++) {
				int gr;
				long rank;

				if (d->t[g].type != IKE_T_DH || d->t[g].id == 0 ||
				    (gr = group_rank(a, d->t[g].id)) < 0)
					continue;
				rank = (long)ei * 10000 + (long)(hi + 1) * 100 + gr;
				if (best >= 0 && rank >= best)
					continue;
				best = rank;
				memset(chosen, 0, sizeof *chosen);
				add_t(chosen, IKE_T_ENCR, encs[ei].id, encs[ei].keylen);
				if (hi >= 0)
					add_t(chosen, IKE_T_INTEG, hashes[hi].integ, 0);
				if (!esp && hi >= 0)
					add_t(chosen, IKE_T_PRF, hashes[hi].prf, 0);
				add_t(chosen, IKE_T_DH, d->t[g].id, 0);
			}
		}
	}
	return best;
}

/* Why device proposal d cannot match: the types without an allowed value, into why. */
static void diagnose(const struct ike_proposal *d, const struct allowed *a, int version,
		     bool esp, bool want_dh, char *why, size_t len)
{
	char t[48], bad[200];
	bool enc_ok = false, cbc = false, hash_ok = false, grp_ok = false;

	bad[0] = '\0';
	for (size_t k = 0; k < d->n; k++) {
		int ei;

		if (d->t[k].type != IKE_T_ENCR)
			continue;
		ei = enc_index(&d->t[k]);
		if (ei >= 0 && a->enc[ei] && !(version == 1 && !esp && is_aead(encs[ei].id))) {
			enc_ok = true;
			cbc |= !is_aead(encs[ei].id);
		} else {
			transform_str(&d->t[k], t, sizeof t);
			app(bad, sizeof bad, "%s%s", bad[0] ? "," : "", t);
		}
	}
	if (!enc_ok)
		app(why, len, "%sencryption %s not allowed%s", why[0] ? "; " : "",
		    bad[0] ? bad : "(none)",
		    version == 1 && !esp && strstr(bad, "gcm") ?
		    " (no AES-GCM in IKEv1 phase 1)" : "");
	if (enc_ok && cbc) {
		bad[0] = '\0';
		for (size_t k = 0; k < d->n; k++) {
			int hi = d->t[k].type == IKE_T_INTEG ? hash_index_integ(d->t[k].id) : -2;

			if (hi == -2)
				continue;
			if (hi >= 0 && a->hash[hi]) {
				hash_ok = true;
			} else {
				transform_str(&d->t[k], t, sizeof t);
				app(bad, sizeof bad, "%s%s", bad[0] ? "," : "", t);
			}
		}
		if (!hash_ok && has(d, IKE_T_INTEG))
			app(why, len, "%sintegrity %s not allowed", why[0] ? "; " : "", bad);
		else if (!hash_ok && !(!esp && has(d, IKE_T_PRF)))
			app(why, len, "%sno integrity algorithm", why[0] ? "; " : "");
	}
	if (!want_dh)
		return;
	bad[0] = '\0';
	for (size_t k = 0; k < d->n; k++) {
		if (d->t[k].type != IKE_T_DH || d->t[k].id == 0)
			continue;
		if (group_allowed(a, d->t[k].id)) {
			grp_ok = true;
		} else {
			transform_str(&d->t[k], t, sizeof t);
			app(bad, sizeof bad, "%s%s (group %u)", bad[0] ? ", " : "", t,
			    (unsigned)d->t[k].id);
		}
	}
	if (!has_group(d))
		app(why, len, "%sno %s group", why[0] ? "; " : "", esp ? "PFS" : "DH");
	else if (!grp_ok)
		app(why, len, "%s%s %s not allowed%s", why[0] ? "; " : "", esp ? "PFS group" :
		    "DH group", bad, !esp && strstr(bad, "(group 5)") ?
		    " (group 5 is a phase 2 group only)" : "");
}

/* How AWS ranks a chosen set of transforms: encryption, then integrity, then PRF, then
 * group, each by its position in AWS's order; lower is preferred. */
static long chosen_rank(const struct ike_proposal *c, const struct allowed *a)
{
	long enc = 9, integ = 9, prf = 9, group = 99;

	for (size_t i = 0; i < c->n; i++) {
		const struct ike_transform *t = &c->t[i];

		if (t->type == IKE_T_ENCR)
			enc = enc_index(t);
		else if (t->type == IKE_T_INTEG)
			integ = hash_index_integ(t->id);
		else if (t->type == IKE_T_PRF)
			prf = hash_index_prf(t->id);
		else if (t->type == IKE_T_DH)
			group = group_rank(a, t->id);
	}
	return ((enc * 10 + integ) * 10 + prf) * 100 + group;
}

/* What an IKEv1 device sends for proposal d: one transform with the first algorithm of
 * each type (strongSwan's rule; a vendor's policy has one of each anyway). */
static void v1_offered(const struct ike_proposal *d, struct ike_proposal *out)
{
	static const uint8_t types[] = {IKE_T_ENCR, IKE_T_INTEG, IKE_T_PRF, IKE_T_DH};

	memset(out, 0, sizeof *out);
	for (size_t k = 0; k < sizeof types; k++)
		for (size_t i = 0; i < d->n; i++)
			if (d->t[i].type == types[k] && !(types[k] == IKE_T_DH && d->t[i].id == 0)) {
				add_t(out, d->t[i].type, d->t[i].id, d->t[i].keylen);
				break;
			}
}

static long first_group(const struct ike_proposal *p)
{
	const struct ike_transform *t = ike_proposal_first(p, IKE_T_DH);

	return t ? t->id : 0;
}

/* IKEv1 (Main Mode or Quick Mode): each device proposal offers one whole transform; in
 * Quick Mode the one KE payload carries the first proposal's PFS group, so proposals
 * with another group are not offered. Of the transforms AWS allows entirely, the one it
 * ranks lowest. Returns the index of the device proposal, or -1 with why filled. */
static int select_v1(const struct ike_proposal *ds, size_t n, const struct allowed *a,
		     bool esp, struct ike_proposal *chosen, char *why, size_t len)
{
	struct ike_proposal off, one;
	long best = -1, r, ke = n ? -1 : 0;
	int at = -1;

	for (size_t i = 0; i < n; i++) {
		v1_offered(&ds[i], &off);
		if (ke < 0)
			ke = first_group(&off);
		if (esp && first_group(&off) != ke)
			continue;
		if ((r = v1_select(&off, a, esp, &one)) >= 0 && (best < 0 || r < best)) {
			best = r;
			at = (int)i;
			*chosen = one;
		}
	}
	if (at >= 0)
		return at;
	for (size_t i = 0; i < n; i++) {
		char reason[300] = "", ps[160], os[160];

		v1_offered(&ds[i], &off);
		ike_proposal_str(&ds[i], ps, sizeof ps);
		ike_proposal_str(&off, os, sizeof os);
		if (esp && first_group(&off) != ke) {
			app(why, len, "%s%s: not offered, its PFS group is not the first "
			    "proposal's (Quick Mode carries one KE payload)", i ? "; " : "", ps);
			continue;
		}
		diagnose(&off, a, 1, esp, true, reason, sizeof reason);
		if (!reason[0])
			put(reason, sizeof reason, "no single transform combines allowed values");
		app(why, len, "%s%s: %s%s%s%s", i ? "; " : "", ps, reason,
		    off.n != ds[i].n ? " (IKEv1 offers only the first algorithm of each type: " :
		    "", off.n != ds[i].n ? os : "", off.n != ds[i].n ? ")" : "");
	}
	if (n == 0)
		put(why, len, "no proposal configured");
	return -1;
}

/* The proposal AWS would choose among ds[0..n), for one version. Returns the index of the
 * device proposal, or -1 with why filled. */
static int select_proposal(const struct ike_proposal *ds, size_t n, const struct allowed *a,
			   int version, bool esp, bool want_dh, struct ike_proposal *chosen,
			   char *why, size_t len)
{
	why[0] = '\0';
	if (version == 2) {
		struct ike_proposal one;
		long best = -1, r;
		int at = -1;

		/* each device proposal that matches, at AWS's lowest values per type; of
		 * those, the one AWS ranks lowest (so the device's order does not matter) */
		for (int aead = 0; aead <= 1; aead++)
			for (size_t i = 0; i < n; i++)
				if (v2_select(&ds[i], a, aead, esp, want_dh, &one) &&
				    ((r = chosen_rank(&one, a)) < best || best < 0)) {
					best = r;
					at = (int)i;
					*chosen = one;
				}
		if (at >= 0)
			return at;
	} else {
		return select_v1(ds, n, a, esp, chosen, why, len);
	}
	for (size_t i = 0; i < n; i++) {
		char one[300] = "", ps[160];

		diagnose(&ds[i], a, version, esp, want_dh, one, sizeof one);
		if (!one[0])
			put(one, sizeof one, "no single transform combines allowed values");
		ike_proposal_str(&ds[i], ps, sizeof ps);
		app(why, len, "%s%s: %s", i ? "; " : "", ps, one);
	}
	if (n == 0)
		put(why, len, "no proposal configured");
	return -1;
}

/* ---- the AWS side ------------------------------------------------------------------- */

struct aws_side {
	struct aws_tunnel_options eff;
	unsigned defaulted;
	const char *cert_arn;
};

static void absent_options(struct aws_tunnel_options *o)
{
	memset(o, 0, sizeof *o);
	o->phase1_lifetime_s = o->phase2_lifetime_s = o->rekey_margin_s = AWS_ABSENT;
	o->rekey_fuzz_pct = o->replay_window = o->dpd_timeout_s = AWS_ABSENT;
	o->log_enabled = o->lifecycle_control = AWS_ABSENT;
}

static bool same_ip(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Finds the AWS tunnel whose outside address is the peer's remote address. */
static void resolve(const struct aws_model *m, const char *vpn_id,
		    const struct devconf_peer *p, struct ike_tunnel_prediction *tp,
		    struct aws_side *side)
{
	const struct aws_tunnel_options *opts = NULL;
	struct aws_tunnel_options none;
	const char *how = NULL;
	size_t considered = 0;

	absent_options(&none);
	for (size_t v = 0; m && !how && v < m->n_vpn_connections; v++) {
		const struct aws_vpn_connection *c = &m->vpn_connections[v];

		if (vpn_id && (!c->id || strcmp(c->id, vpn_id) != 0))
			continue;
		considered++;
		for (size_t i = 0; !how && i < c->n_tunnels; i++)
			if (same_ip(c->tunnels[i].outside_ip, p->remote_addr)) {
				opts = &c->tunnels[i];
				tp->tunnel_index = (int)i + 1;
				how = "TunnelOptions";
			}
		for (size_t i = 0; !how && i < c->n_telemetry; i++)
			if (same_ip(c->telemetry[i].outside_ip, p->remote_addr)) {
				tp->tunnel_index = (int)i + 1;
				side->cert_arn = c->telemetry[i].certificate_arn;
				how = "VgwTelemetry";
			}
		for (size_t i = 0; !how && c->cgw_config && i < c->cgw_config->n_tunnels; i++)
			if (same_ip(c->cgw_config->tunnels[i].vgw_outside_ip, p->remote_addr)) {
				tp->tunnel_index = (int)i + 1;
				how = "CustomerGatewayConfiguration";
			}
		if (how) {
			const struct aws_customer_gateway *g =
				aws_find_customer_gateway(m, c->customer_gateway_id);

			tp->vpn_connection_id = c->id;
			tp->aws_matched = true;
			if (g && g->certificate_arn)
				side->cert_arn = g->certificate_arn;
		}
	}
	aws_tunnel_effective(opts ? opts : &none, &side->eff, &side->defaulted, NULL);
	if (!m)
		put(tp->aws_side, sizeof tp->aws_side,
		    "no AWS evidence: AWS's defaults assumed");
	else if (!how)
		put(tp->aws_side, sizeof tp->aws_side,
		    "no AWS tunnel with outside address %s in %zu VPN connection%s: AWS's "
		    "defaults assumed", p->remote_addr ? p->remote_addr : "(none configured)",
		    considered, considered == 1 ? "" : "s");
	else if (opts)
		put(tp->aws_side, sizeof tp->aws_side, "%s tunnel %d (TunnelOptions%s)",
		    tp->vpn_connection_id ? tp->vpn_connection_id : "?", tp->tunnel_index,
		    side->defaulted ? ", absent values at AWS's defaults" : "");
	else
		put(tp->aws_side, sizeof tp->aws_side,
		    "%s tunnel %d (found in %s; no TunnelOptions: AWS's defaults)",
		    tp->vpn_connection_id ? tp->vpn_connection_id : "?", tp->tunnel_index, how);
}

/* ---- the parameters ----------------------------------------------------------------- */

static void item(struct ike_item *it, const char *check, const char *param)
{
	memset(it, 0, sizeof *it);
	it->check = check;
	it->param = param;
	it->status = DIAG_PASS;
	it->outcome = IKE_OUT_ESTABLISHED;
}

static void set(struct ike_item *it, enum diag_status st, enum ike_outcome o)
{
	it->status = st;
	it->outcome = o;
}

/* Devices that start with IKEv2 and try IKEv1 when the peer refuses it (PAN-OS
 * "ikev2-preferred", Cisco crypto maps with both); strongSwan and the others do not. */
static bool falls_back(enum devconf_format f)
{
	return f == DEVCONF_PANOS || f == DEVCONF_CISCO_ASA || f == DEVCONF_CISCO_IOS;
}

static void version_item(struct ike_tunnel_prediction *tp, const struct devconf_peer *p,
			 const struct aws_side *s, enum devconf_format fmt)
{
	struct ike_item *it = &tp->items[IKE_I_VERSION];
	bool a1 = strs_has(&s->eff.ike_versions, "ikev1");
	bool a2 = strs_has(&s->eff.ike_versions, "ikev2");
	unsigned dv = p->ike_versions & 3;
	bool both = dv == 3 || dv == 0;

	item(it, "ike.version", "IKE version");
	put(it->device, sizeof it->device, "%s", dv == 3 ? "IKEv2, IKEv1" : dv == 2 ? "IKEv2" :
	    dv == 1 ? "IKEv1" : "not stated (IKEv2 assumed first)");
	put(it->aws, sizeof it->aws, "%s", a1 && a2 ? "ikev1, ikev2" : a2 ? "ikev2" : a1 ?
	    "ikev1" : "none");
	/* the device initiates with its preferred version, IKEv2 when it has it */
	if (dv == 1)
		tp->version = a1 ? 1 : 0;
	else if (dv == 2 || a2)
		tp->version = a2 ? 2 : 0;
	else
		tp->version = a1 && falls_back(fmt) ? 1 : 0;
	if (tp->version == 0) {
		set(it, DIAG_FAIL, IKE_OUT_PHASE1);
		if (both && a1)
			put(it->summary, sizeof it->summary, "the device starts with IKEv2 and does "
			    "not fall back to IKEv1, which is all this AWS tunnel allows");
		else
			put(it->summary, sizeof it->summary, "no IKE version in common: the device "
			    "speaks %s, this AWS tunnel allows %s", it->device, it->aws);
		put(it->fix, sizeof it->fix, "configure %s on the device (strongSwan version = "
		    "%d / keyexchange=ikev%d), or add %s to the tunnel's IkeVersions (aws ec2 "
		    "modify-vpn-tunnel-options)", a2 ? "IKEv2" : "IKEv1 only", a2 ? 2 : 1,
		    a2 ? 2 : 1, dv == 1 ? "ikev1" : "ikev2");
		return;
	}
	if (dv == 0) {
		set(it, DIAG_WARN, IKE_OUT_ESTABLISHED);
		put(it->summary, sizeof it->summary, "the configuration does not say which IKE "
		    "version it uses; judged as IKEv%d", tp->version);
		put(it->fix, sizeof it->fix, "state the IKE version explicitly (IKEv2 where the "
		    "device supports it)");
		return;
	}
	put(it->summary, sizeof it->summary, "IKEv%d would be used%s", tp->version,
	    both && tp->version == 1 ? " (the device falls back from IKEv2, which this tunnel "
	    "does not allow)" : "");
}

static void mode_item(struct ike_tunnel_prediction *tp, const struct devconf_peer *p)
{
	struct ike_item *it = &tp->items[IKE_I_MODE];

	item(it, "ike.mode", "IKEv1 mode");
	put(it->device, sizeof it->device, "%s", p->aggressive ? "aggressive" : "main");
	put(it->aws, sizeof it->aws, "main (IKEv1); IKEv2 has no modes");
	if (p->aggressive && tp->version == 1) {
		set(it, DIAG_FAIL, IKE_OUT_PHASE1);
		put(it->summary, sizeof it->summary, "IKEv1 aggressive mode is not supported "
		    "by AWS: phase 1 fails");
		put(it->fix, sizeof it->fix, "use main mode (e.g. strongSwan aggressive=no, "
		    "Cisco: no crypto isakmp aggressive-mode / ASA: no ... set phase1-mode "
		    "aggressive, Junos: mode main), or IKEv2");
	} else if (p->aggressive) {
		put(it->summary, sizeof it->summary, "aggressive mode is configured but IKEv2 "
		    "would be used, which has no modes");
	} else {
		put(it->summary, sizeof it->summary, tp->version == 2 ? "IKEv2: no mode to "
		    "negotiate" : "main mode, as AWS requires");
	}
}

static void phase1_item(struct ike_tunnel_prediction *tp, const struct devconf_peer *p,
			const struct aws_side *s)
{
	struct ike_item *it = &tp->items[IKE_I_PHASE1];
	struct allowed a;
	struct ike_proposal chosen;
	char why[sizeof it->summary], ex[160];
	int idx;

	item(it, "ike.phase1", "phase 1");
	allowed_from(&a, &s->eff.phase1_encryption, &s->eff.phase1_integrity,
		     &s->eff.phase1_dh_groups);
	proposals_str(p->ike, p->nike, it->device, sizeof it->device);
	allowed_str(&a, false, it->aws, sizeof it->aws);
	if (tp->version == 0) {
		set(it, DIAG_SKIP, IKE_OUT_ESTABLISHED);
		put(it->summary, sizeof it->summary, "not judged: no IKE version in common");
		return;
	}
	if (p->nike == 0) {
		set(it, DIAG_WARN, IKE_OUT_ESTABLISHED);
		put(it->summary, sizeof it->summary, "no phase 1 proposal in the configuration: "
		    "the device's defaults apply and cannot be judged");
		put(it->fix, sizeof it->fix, "configure phase 1 explicitly, e.g. "
		    "aes128-sha256-modp2048 (AES128, SHA2-256, DH group 14)");
		return;
	}
	idx = select_proposal(p->ike, p->nike, &a, tp->version, false, true, &chosen, why,
			      sizeof why);
	if (idx < 0) {
		set(it, DIAG_FAIL, IKE_OUT_PHASE1);
		put(it->summary, sizeof it->summary, "no phase 1 proposal is acceptable to AWS "
		    "(IKEv%d, NO_PROPOSAL_CHOSEN): %s", tp->version, why);
		example_str(&a, false, ex, sizeof ex);
		put(it->fix, sizeof it->fix, "offer a phase 1 proposal this tunnel allows (%s), "
		    "e.g. %s; AWS never accepts 3DES, DES, MD5 or DH groups 1 and 5 in phase 1",
		    it->aws,
		    ex);
		return;
	}
	ike_proposal_str(&chosen, tp->chosen_phase1, sizeof tp->chosen_phase1);
	put(it->summary, sizeof it->summary, "AWS would choose %s (IKEv%d, from device "
	    "proposal %d%s)", tp->chosen_phase1, tp->version, idx + 1,
	    tp->version == 2 ? ", lowest allowed value per transform type" :
	    ", the lowest whole transform AWS allows");
	if (tp->version == 2) {
		const struct ike_transform *first = ike_proposal_first(&p->ike[0], IKE_T_DH);
		const struct ike_transform *got = ike_proposal_first(&chosen, IKE_T_DH);

		if (first && got && first->id != got->id)
			app(it->summary, sizeof it->summary, "; the device's first key exchange "
			    "(group %u) is answered with INVALID_KE_PAYLOAD asking for group %u, "
			    "one extra round trip", (unsigned)first->id, (unsigned)got->id);
	}
}

/* One child's phase 2. Returns its outcome; fills chosen ("" when none) and msg. */
static enum ike_outcome child_phase2(const struct devconf_child *c, const struct allowed *a,
				     int version, char *chosen_s, size_t clen, char *msg,
				     size_t mlen)
{
	struct ike_proposal chosen;
	char why[400];
	int idx;

	chosen_s[0] = '\0';
	if (c->nesp == 0) {
		put(msg, mlen, "%s: no ESP proposal in the configuration (device defaults, "
		    "not judged)", c->name ? c->name : "-");
		return IKE_OUT_ESTABLISHED;
	}
	if (version == 1) {
		idx = select_proposal(c->esp, c->nesp, a, 1, true, true, &chosen, why, sizeof why);
		if (idx < 0) {
			put(msg, mlen, "%s: no ESP transform is acceptable to AWS (Quick Mode "
			    "negotiates encryption, integrity and PFS group together): %s",
			    c->name ? c->name : "-", why);
			return IKE_OUT_PHASE2;
		}
		ike_proposal_str(&chosen, chosen_s, clen);
		put(msg, mlen, "%s: AWS would choose %s", c->name ? c->name : "-", chosen_s);
		return IKE_OUT_ESTABLISHED;
	}
	/* IKEv2: the first CHILD_SA (in IKE_AUTH) has no key exchange */
	idx = select_proposal(c->esp, c->nesp, a, 2, true, false, &chosen, why, sizeof why);
	if (idx < 0) {
		put(msg, mlen, "%s: no ESP proposal is acceptable to AWS: %s",
		    c->name ? c->name : "-", why);
		return IKE_OUT_PHASE2;
	}
	ike_proposal_str(&chosen, chosen_s, clen);
	idx = select_proposal(c->esp, c->nesp, a, 2, true, true, &chosen, why, sizeof why);
	if (idx < 0) {
		put(msg, mlen, "%s: AWS would choose %s for the first CHILD_SA (made inside "
		    "IKE_AUTH, no key exchange), but the PFS group fails at rekey: %s",
		    c->name ? c->name : "-", chosen_s, why);
		return IKE_OUT_PHASE2_REKEY;
	}
	ike_proposal_str(&chosen, chosen_s, clen);
	put(msg, mlen, "%s: AWS would choose %s (PFS group used from the first rekey)",
	    c->name ? c->name : "-", chosen_s);
	return IKE_OUT_ESTABLISHED;
}

static void phase2_item(struct ike_tunnel_prediction *tp, const struct devconf_peer *p,
			const struct aws_side *s)
{
	struct ike_item *it = &tp->items[IKE_I_PHASE2];
	struct allowed a;
	enum ike_outcome worst = IKE_OUT_ESTABLISHED;
	char ex[160];

	item(it, "ike.phase2", "phase 2");
	allowed_from(&a, &s->eff.phase2_encryption, &s->eff.phase2_integrity,
		     &s->eff.phase2_dh_groups);
	allowed_str(&a, true, it->aws, sizeof it->aws);
	for (size_t i = 0; i < p->nchildren; i++) {
		char one[300];

		proposals_str(p->children[i].esp, p->children[i].nesp, one, sizeof one);
		app(it->device, sizeof it->device, "%s%s", i ? "; " : "", one);
	}
	if (p->nchildren == 0) {
		set(it, DIAG_WARN, IKE_OUT_ESTABLISHED);
		put(it->device, sizeof it->device, "none configured");
		put(it->summary, sizeof it->summary, "no phase 2 (IPsec SA) is configured for "
		    "this peer: no traffic can flow");
		put(it->fix, sizeof it->fix, "configure an IPsec SA (child / transform set / "
		    "phase 2) for this tunnel");
		return;
	}
	if (tp->version == 0 || tp->items[IKE_I_PHASE1].outcome != IKE_OUT_ESTABLISHED) {
		set(it, DIAG_SKIP, IKE_OUT_ESTABLISHED);
		put(it->summary, sizeof it->summary, "not reached: phase 1 fails first");
	}
	for (size_t i = 0; i < p->nchildren; i++) {
		char chosen[160], msg[700];
		enum ike_outcome o = child_phase2(&p->children[i], &a,
						  tp->version ? tp->version : 2, chosen,
						  sizeof chosen, msg, sizeof msg);

		if (it->status != DIAG_SKIP)
			app(it->summary, sizeof it->summary, "%s%s", i ? "; " : "", msg);
		else if (o != IKE_OUT_ESTABLISHED)
			app(it->summary, sizeof it->summary, "; and then: %s", msg);
		if (i == 0 || (!tp->chosen_phase2[0] && chosen[0]))
			put(tp->chosen_phase2, sizeof tp->chosen_phase2, "%s", chosen);
		if (o > worst)
			worst = o;
	}
	if (it->status == DIAG_SKIP)
		return;
	if (worst == IKE_OUT_PHASE2) {
		set(it, DIAG_FAIL, worst);
		example_str(&a, true, ex, sizeof ex);
		put(it->fix, sizeof it->fix, "offer an ESP proposal with a PFS group this tunnel "
		    "allows (%s), e.g. %s; AWS never accepts 3DES, DES or MD5, and needs PFS",
		    it->aws, ex);
	} else if (worst == IKE_OUT_PHASE2_REKEY) {
		set(it, DIAG_FAIL, worst);
		example_str(&a, true, ex, sizeof ex);
		put(it->fix, sizeof it->fix, "enable PFS with a group AWS allows (%s), e.g. %s",
		    it->aws, ex);
	}
}

static void lifetime_item(struct ike_tunnel_prediction *tp, const struct devconf_peer *p,
			  const struct aws_side *s)
{
	struct ike_item *it = &tp->items[IKE_I_LIFETIME];
	long a1 = s->eff.phase1_lifetime_s, a2 = s->eff.phase2_lifetime_s, d2 = DEVCONF_UNSET;
	const char *sep = "";

	item(it, "ike.lifetime", "lifetimes");
	for (size_t i = 0; i < p->nchildren; i++)
		if (p->children[i].lifetime_s != DEVCONF_UNSET && p->children[i].lifetime_s > d2)
			d2 = p->children[i].lifetime_s;
	if (p->ike_lifetime_s != DEVCONF_UNSET)
		put(it->device, sizeof it->device, "phase 1 %lds", p->ike_lifetime_s);
	else
		put(it->device, sizeof it->device, "phase 1 not set");
	if (d2 != DEVCONF_UNSET)
		app(it->device, sizeof it->device, ", phase 2 %lds", d2);
	else
		app(it->device, sizeof it->device, ", phase 2 not set");
	put(it->aws, sizeof it->aws, "phase 1 900-%lds, phase 2 900-%lds and below phase 1",
	    a1, a2);
	if (p->ike_lifetime_s != DEVCONF_UNSET && p->ike_lifetime_s > a1) {
		app(it->summary, sizeof it->summary, "phase 1 lifetime %lds is beyond AWS's %lds",
		    p->ike_lifetime_s, a1);
		app(it->fix, sizeof it->fix, "set the phase 1 lifetime to %lds or less", a1);
		sep = "; ";
	} else if (p->ike_lifetime_s != DEVCONF_UNSET && p->ike_lifetime_s < 900) {
		app(it->summary, sizeof it->summary, "phase 1 lifetime %lds is below AWS's minimum "
		    "900s", p->ike_lifetime_s);
		app(it->fix, sizeof it->fix, "set the phase 1 lifetime to at least 900s");
		sep = "; ";
	}
	if (d2 != DEVCONF_UNSET && d2 > a2) {
		app(it->summary, sizeof it->summary, "%sphase 2 lifetime %lds is beyond AWS's %lds",
		    sep, d2, a2);
		app(it->fix, sizeof it->fix, "%sset the phase 2 lifetime to %lds or less", sep, a2);
	} else if (d2 != DEVCONF_UNSET && d2 < 900) {
		app(it->summary, sizeof it->summary, "%sphase 2 lifetime %lds is below AWS's "
		    "minimum 900s", sep, d2);
		app(it->fix, sizeof it->fix, "%sset the phase 2 lifetime to at least 900s", sep);
	} else if (d2 != DEVCONF_UNSET && p->ike_lifetime_s != DEVCONF_UNSET &&
		   d2 >= p->ike_lifetime_s) {
		app(it->summary, sizeof it->summary, "%sthe phase 2 lifetime (%lds) is not below "
		    "the phase 1 lifetime (%lds)", sep, d2, p->ike_lifetime_s);
		app(it->fix, sizeof it->fix, "%skeep the phase 2 lifetime below the phase 1 "
		    "lifetime", sep);
	}
	if (it->summary[0]) {
		set(it, DIAG_WARN, IKE_OUT_ESTABLISHED);
		app(it->summary, sizeof it->summary, ": the tunnel comes up, but the two sides "
		    "rekey and expire SAs at different times (AWS keeps its own lifetimes), "
		    "which drops traffic around rekeys");
	} else {
		put(it->summary, sizeof it->summary, "within AWS's limits%s",
		    p->ike_lifetime_s == DEVCONF_UNSET || d2 == DEVCONF_UNSET ?
		    " (values not set use the device's defaults)" : "");
	}
}

static void dpd_item(struct ike_tunnel_prediction *tp, const struct devconf_peer *p,
		     const struct aws_side *s)
{
	struct ike_item *it = &tp->items[IKE_I_DPD];

	item(it, "ike.dpd", "DPD");
	if (p->dpd_delay_s != DEVCONF_UNSET)
		put(it->device, sizeof it->device, "every %lds", p->dpd_delay_s);
	else
		put(it->device, sizeof it->device, "delay not set");
	if (p->dpd_retries != DEVCONF_UNSET)
		app(it->device, sizeof it->device, ", %ld retries", p->dpd_retries);
	if (p->dpd_timeout_s != DEVCONF_UNSET)
		app(it->device, sizeof it->device, ", timeout %lds", p->dpd_timeout_s);
	if (p->dpd_action)
		app(it->device, sizeof it->device, ", action %s",
		    p->dpd_action == DEVCONF_DPD_NONE ? "none" :
		    p->dpd_action == DEVCONF_DPD_RESTART ? "restart" :
		    p->dpd_action == DEVCONF_DPD_HOLD ? "hold" : "clear");
	put(it->aws, sizeof it->aws, "AWS sends DPD; timeout %lds, then %s",
	    s->eff.dpd_timeout_s, s->eff.dpd_timeout_action ? s->eff.dpd_timeout_action : "clear");
	if (p->dpd_action == DEVCONF_DPD_NONE ||
	    (p->dpd_delay_s == DEVCONF_UNSET && p->dpd_action == DEVCONF_DPD_UNKNOWN)) {
		set(it, DIAG_WARN, IKE_OUT_ESTABLISHED);
		put(it->summary, sizeof it->summary, "the device does not run dead peer "
		    "detection: when AWS's endpoint goes away (maintenance, DPD timeout %s) the "
		    "device keeps a dead SA and does not bring the tunnel back",
		    s->eff.dpd_timeout_action ? s->eff.dpd_timeout_action : "clear");
		put(it->fix, sizeof it->fix, "enable DPD with a delay of 10s and restart as "
		    "its action (e.g. dpd_delay=10s, dpdaction=restart / crypto isakmp keepalive "
		    "10 3)");
		return;
	}
	put(it->summary, sizeof it->summary, "dead peer detection is on");
}

static void initiation_item(struct ike_tunnel_prediction *tp, const struct devconf_peer *p,
			    const struct aws_side *s)
{
	struct ike_item *it = &tp->items[IKE_I_INITIATION];
	enum devconf_startup st = p->startup;
	bool aws_starts = s->eff.startup_action &&
			  strcasecmp(s->eff.startup_action, "start") == 0 &&
			  strs_has(&s->eff.ike_versions, "ikev2") && (p->ike_versions & 2);

	item(it, "ike.initiation", "initiation");
	for (size_t i = 0; st != DEVCONF_START_INITIATE && i < p->nchildren; i++)
		if (p->children[i].startup == DEVCONF_START_INITIATE ||
		    (p->children[i].startup == DEVCONF_START_ON_TRAFFIC &&
		     st != DEVCONF_START_ON_TRAFFIC))
			st = p->children[i].startup;
	put(it->device, sizeof it->device, "%s", st == DEVCONF_START_INITIATE ? "initiates" :
	    st == DEVCONF_START_ON_TRAFFIC ? "on traffic" : st == DEVCONF_START_RESPOND ?
	    "only responds" : "not stated");
	put(it->aws, sizeof it->aws, "StartupAction=%s%s",
	    s->eff.startup_action ? s->eff.startup_action : "add",
	    aws_starts ? " (AWS initiates IKEv2)" : " (AWS never initiates)");
	if (aws_starts) {
		put(it->summary, sizeof it->summary, "AWS initiates (StartupAction=start, "
		    "IKEv2)%s", st == DEVCONF_START_RESPOND ? "; the device responds" : "");
		return;
	}
	switch (st) {
	case DEVCONF_START_INITIATE:
		put(it->summary, sizeof it->summary, "the device initiates, as it must: AWS "
		    "never initiates with StartupAction=add");
		return;
	case DEVCONF_START_ON_TRAFFIC:
		set(it, DIAG_WARN, IKE_OUT_ESTABLISHED);
		put(it->summary, sizeof it->summary, "the device initiates only when traffic "
		    "matches: the tunnel is down until then, and after AWS clears it (DPD, "
		    "endpoint replacement) until traffic flows again");
		put(it->fix, sizeof it->fix, "initiate at start (strongSwan start_action=start "
		    "/ auto=start), or keep traffic flowing (a keepalive ping); with IKEv2, "
		    "StartupAction=start lets AWS initiate");
		return;
	case DEVCONF_START_RESPOND:
		set(it, DIAG_FAIL, IKE_OUT_NOT_INITIATED);
		put(it->summary, sizeof it->summary, "the device only responds and AWS never "
		    "initiates (StartupAction=%s%s): nobody starts IKE, the tunnel stays down",
		    s->eff.startup_action ? s->eff.startup_action : "add",
		    s->eff.startup_action && strcasecmp(s->eff.startup_action, "start") == 0 ?
		    ", but AWS initiates only IKEv2 and the device does not speak it" : "");
		put(it->fix, sizeof it->fix, "make the device initiate (strongSwan "
		    "start_action=start / auto=start, Junos establish-tunnels immediately, "
		    "Cisco: not responder-only), or use IKEv2 with the tunnel's "
		    "StartupAction=start");
		return;
	case DEVCONF_START_UNKNOWN:
		break;
	}
	set(it, DIAG_WARN, IKE_OUT_ESTABLISHED);
	put(it->summary, sizeof it->summary, "the configuration does not say whether the "
	    "device initiates; AWS does not (StartupAction=%s)",
	    s->eff.startup_action ? s->eff.startup_action : "add");
	put(it->fix, sizeof it->fix, "make sure the device initiates the tunnel");
}

static void psk_item(struct ike_tunnel_prediction *tp, const struct devconf_peer *p,
		     const struct aws_side *s)
{
	struct ike_item *it = &tp->items[IKE_I_PSK];

	item(it, "ike.psk", "pre-shared key");
	put(it->device, sizeof it->device, "%s", !p->psk_set ? "missing" : p->psk_weak ?
	    "set, breaks AWS's rules" : "set");
	put(it->aws, sizeof it->aws, "8-64 characters of A-Z a-z 0-9 . _, not starting "
	    "with 0%s", s->cert_arn ? "; or certificate authentication" : "");
	if (!p->psk_set && s->cert_arn) {
		put(it->summary, sizeof it->summary, "no pre-shared key: the customer gateway "
		    "uses certificate authentication");
		return;
	}
	if (!p->psk_set) {
		set(it, DIAG_FAIL, IKE_OUT_PHASE1);
		put(it->summary, sizeof it->summary, "no pre-shared key is configured for this "
		    "peer: authentication fails and phase 1 does not complete");
		put(it->fix, sizeof it->fix, "configure the tunnel's pre-shared key (the one "
		    "AWS generated or set, from the downloaded configuration) for %s",
		    p->remote_addr ? p->remote_addr : "this peer");
		return;
	}
	if (p->psk_weak) {
		set(it, DIAG_FAIL, IKE_OUT_PHASE1);
		put(it->summary, sizeof it->summary, "the pre-shared key breaks AWS's rules, "
		    "so it cannot be the tunnel's key: authentication fails");
		put(it->fix, sizeof it->fix, "use the tunnel's key from AWS, or set a new one "
		    "on both sides (8-64 of A-Z a-z 0-9 . _, not starting with 0)");
		return;
	}
	put(it->summary, sizeof it->summary, "a pre-shared key is set (its value is not "
	    "compared with AWS's)");
}

const char *ike_outcome_name(enum ike_outcome o)
{
	switch (o) {
	case IKE_OUT_ESTABLISHED: return "established";
	case IKE_OUT_PHASE2_REKEY: return "phase2_fails_at_rekey";
	case IKE_OUT_PHASE2: return "phase2_fails";
	case IKE_OUT_PHASE1: return "phase1_fails";
	case IKE_OUT_NOT_INITIATED: return "not_initiated";
	}
	return "unknown";
}

static void predict_peer(const struct devconf_peer *p, enum devconf_format fmt,
			 const struct aws_model *aws, const char *vpn_id,
			 struct ike_tunnel_prediction *tp)
{
	struct aws_side side;

	memset(tp, 0, sizeof *tp);
	memset(&side, 0, sizeof side);
	tp->peer = p;
	put(tp->subject, sizeof tp->subject, "tunnel %s (peer %s, line %d)",
	    p->remote_addr ? p->remote_addr : "?", p->name ? p->name : "-", p->line);
	resolve(aws, vpn_id, p, tp, &side);
	version_item(tp, p, &side, fmt);
	mode_item(tp, p);
	phase1_item(tp, p, &side);
	phase2_item(tp, p, &side);
	lifetime_item(tp, p, &side);
	dpd_item(tp, p, &side);
	initiation_item(tp, p, &side);
	psk_item(tp, p, &side);
	tp->outcome = IKE_OUT_ESTABLISHED;
	if (tp->items[IKE_I_INITIATION].outcome == IKE_OUT_NOT_INITIATED) {
		tp->outcome = IKE_OUT_NOT_INITIATED;
	} else {
		for (size_t i = 0; i < IKE_I_COUNT; i++)
			if (tp->items[i].outcome > tp->outcome)
				tp->outcome = tp->items[i].outcome;
	}
	/* a tunnel that fails phase 1 or 2 chooses no phase 2; one nobody starts keeps what
	 * would be chosen once started */
	if (tp->outcome == IKE_OUT_PHASE1 || tp->outcome == IKE_OUT_PHASE2)
		tp->chosen_phase2[0] = '\0';
}

int ike_predict(const struct devconf_model *cfg, const struct aws_model *aws,
		const char *vpn_id, struct ike_tunnel_prediction **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!cfg || cfg->npeers == 0)
		return 0;
	if (!(*out = calloc(cfg->npeers, sizeof **out)))
		return -1;
	for (size_t i = 0; i < cfg->npeers; i++)
		predict_peer(&cfg->peers[i], cfg->format, aws, vpn_id, &(*out)[i]);
	*n = cfg->npeers;
	return 0;
}
