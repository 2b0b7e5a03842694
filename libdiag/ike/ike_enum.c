/* --enumerate: see ike_enum.h for the search and the pacing. */
#include "libdiag/ike/ike_enum.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "libdiag/aws/defaults.h"

/* AWS's names for its phase 1 values, as IKE transforms. AWS's integrity algorithm is
 * also the PRF (IKEv2) and the hash (IKEv1). */
static const struct {
	const char *aws, *name;
	uint16_t id, keylen;
	bool aead;
} enc_map[] = {
	{"AES128", "aes128", IKE_ENCR_AES_CBC, 128, false},
	{"AES256", "aes256", IKE_ENCR_AES_CBC, 256, false},
	{"AES128-GCM-16", "aes128gcm16", IKE_ENCR_AES_GCM_16, 128, true},
	{"AES256-GCM-16", "aes256gcm16", IKE_ENCR_AES_GCM_16, 256, true},
};

static const struct {
	const char *aws, *name;
	uint16_t integ, prf;
} integ_map[] = {
	{"SHA1", "sha1", IKE_INTEG_HMAC_SHA1_96, IKE_PRF_HMAC_SHA1},
	{"SHA2-256", "sha256", IKE_INTEG_HMAC_SHA2_256_128, IKE_PRF_HMAC_SHA2_256},
	{"SHA2-384", "sha384", IKE_INTEG_HMAC_SHA2_384_192, IKE_PRF_HMAC_SHA2_384},
	{"SHA2-512", "sha512", IKE_INTEG_HMAC_SHA2_512_256, IKE_PRF_HMAC_SHA2_512},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void ike_enum_space_aws(int version, struct ike_enum_space *sp)
{
	const struct aws_tunnel_value_info *e = aws_tunnel_info(AWS_TF_PHASE1_ENCRYPTION);
	const struct aws_tunnel_value_info *in = aws_tunnel_info(AWS_TF_PHASE1_INTEGRITY);
	const struct aws_tunnel_value_info *g = aws_tunnel_info(AWS_TF_PHASE1_DH);

	memset(sp, 0, sizeof *sp);
	for (size_t i = 0; e && i < e->n_strs; i++)
		for (size_t m = 0; m < COUNT(enc_map); m++) {
			if (strcasecmp(e->strs[i], enc_map[m].aws) != 0 ||
			    (version == 1 && enc_map[m].aead) || sp->nenc == IKE_ENUM_MAX_ENC)
				continue;
			sp->enc[sp->nenc].aws = enc_map[m].aws;
			sp->enc[sp->nenc].name = enc_map[m].name;
			sp->enc[sp->nenc].id = enc_map[m].id;
			sp->enc[sp->nenc].keylen = enc_map[m].keylen;
			sp->enc[sp->nenc].aead = enc_map[m].aead;
			sp->nenc++;
		}
	for (size_t i = 0; in && i < in->n_strs; i++)
		for (size_t m = 0; m < COUNT(integ_map); m++) {
			if (strcasecmp(in->strs[i], integ_map[m].aws) != 0 ||
			    sp->ninteg == IKE_ENUM_MAX_INTEG)
				continue;
			sp->integ[sp->ninteg].aws = integ_map[m].aws;
			sp->integ[sp->ninteg].name = integ_map[m].name;
			sp->integ[sp->ninteg].integ = integ_map[m].integ;
			sp->integ[sp->ninteg].prf = integ_map[m].prf;
			sp->ninteg++;
		}
	for (size_t i = 0; g && i < g->n_ints && sp->ngroup < IKE_ENUM_MAX_GROUP; i++)
		if (ike_dh_pub_len((uint16_t)g->ints[i]) > 0) /* every AWS group is computable */
			sp->group[sp->ngroup++] = (uint16_t)g->ints[i];
}

void ike_enum_combo_name(const struct ike_enum_space *sp, const struct ike_enum_combo *c,
			 char *out, size_t len)
{
	snprintf(out, len, "%s-%s%s-%s", sp->enc[c->enc].name,
		 sp->enc[c->enc].aead ? "prf" : "", sp->integ[c->integ].name,
		 ike_transform_name(IKE_T_DH, sp->group[c->group]));
}

/* ---- the search's state --------------------------------------------------------------- */

struct search {
	const struct ike_enum_opts *o;
	struct ike_enum_space sp;
	struct ike_probe_sock sock;
	struct ike_enum_result *res;
	bool found[IKE_ENUM_MAX_ENC][IKE_ENUM_MAX_INTEG][IKE_ENUM_MAX_GROUP];
	double opened[IKE_ENUM_MAX];   /* when each half-open SA we caused was made */
	size_t nopened;
	double start;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Waits until fewer than half_open of our half-open SAs can still be alive. */
static void pace(struct search *s)
{
	unsigned limit = s->o->half_open ? s->o->half_open : 3;
	double window = (s->o->half_open_timeout_ms ? s->o->half_open_timeout_ms : 31000) / 1e3;

	for (;;) {
		double t = now_s(), oldest = 0;
		size_t live = 0;

		for (size_t i = 0; i < s->nopened; i++)
			if (s->opened[i] + window > t) {
				if (!live || s->opened[i] < oldest)
					oldest = s->opened[i];
				live++;
			}
		if (live < limit)
			return;
		s->res->paced++;
		s->res->paced_s += oldest + window - t;
		sleep_s(oldest + window - t);
	}
}

static void stop(struct search *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void stop(struct search *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->res->complete)
		return; /* the first reason stands */
	s->res->complete = false;
	va_start(ap, fmt);
	vsnprintf(s->res->reason, sizeof s->res->reason, fmt, ap);
	va_end(ap);
}

/* Sends one request (paced) and returns the final verdict: after an INVALID_KE retry, the
 * retry's. Returns false when the search must stop (socket error in err, or an answer
 * that ends it: s->res says why). */
static bool ask(struct search *s, struct ike_probe_opts *po, struct ike_verdict *v,
		struct diag_error *err, bool *failed)
{
	struct ike_probe_out out;

	pace(s);
	if (ike_probe_ask(&s->sock, po, &out, err) < 0) {
		*failed = true;
		return false;
	}
	s->res->requests++;
	s->res->datagrams += out.sent;
	if (out.first.result == IKE_PR_INVALID_KE && out.retried)
		s->res->invalid_ke++;
	if (out.cookie_honoured)
		s->res->cookies++;
	*v = out.retried ? out.retry : out.first;
	if (s->res->nat == IKE_NAT_UNKNOWN)
		s->res->nat = v->nat != IKE_NAT_UNKNOWN ? v->nat : out.first.nat;
	if (v->result == IKE_PR_ACCEPTED && s->nopened < IKE_ENUM_MAX)
		s->opened[s->nopened++] = now_s();
	if (s->o->progress)
		s->o->progress(s->o->progress_ctx, s->res->requests, s->res->naccepted);
	switch (v->result) {
	case IKE_PR_ACCEPTED:
	case IKE_PR_NO_PROPOSAL:
		return true;
	case IKE_PR_INVALID_KE:
		stop(s, "the responder still wants another DH group (%s) after the retry",
		     ike_transform_name(IKE_T_DH, v->group));
		return false;
	case IKE_PR_NO_RESPONSE:
		stop(s, "no answer to a request%s: a source address AWS does not know, a "
			"firewall, or the responder's half-open limit (try a lower --half-open)",
		     s->res->requests > 1 ? " after earlier answers" : "");
		return false;
	case IKE_PR_COOKIE:
		stop(s, "%s", "the responder asked for a COOKIE again after one was echoed");
		return false;
	case IKE_PR_MALFORMED:
		stop(s, "malformed answer: %s", v->detail);
		return false;
	}
	return false;
}

static void record(struct search *s, size_t e, size_t i, size_t g)
{
	if (s->found[e][i][g])
		return;
	s->found[e][i][g] = true;
	s->res->naccepted++;
}

/* ---- IKEv2: products narrowed by splitting -------------------------------------------- */

struct product {
	unsigned emask, imask, gmask; /* bits: indexes into the space */
};

static void add_transform(struct ike_proposal *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	if (p->n < IKE_PROP_MAX) {
		p->t[p->n].type = type;
		p->t[p->n].id = id;
		p->t[p->n].keylen = keylen;
		p->n++;
	}
}

/* The product as proposals: per integrity algorithm, one with the non-AEAD encryptions
 * (INTEG and PRF of that algorithm) and one with the AEAD ones (its PRF only). */
static size_t product_proposals(const struct search *s, const struct product *pr,
				struct ike_proposal *props)
{
	size_t n = 0;

	for (size_t i = 0; i < s->sp.ninteg; i++) {
		if (!(pr->imask & (1u << i)))
			continue;
		for (int aead = 0; aead <= 1; aead++) {
			struct ike_proposal *p = &props[n];
			bool any = false;

			memset(p, 0, sizeof *p);
			for (size_t e = 0; e < s->sp.nenc; e++)
				if ((pr->emask & (1u << e)) && s->sp.enc[e].aead == (bool)aead) {
					add_transform(p, IKE_T_ENCR, s->sp.enc[e].id,
						      s->sp.enc[e].keylen);
					any = true;
				}
			if (!any)
				continue;
			add_transform(p, IKE_T_PRF, s->sp.integ[i].prf, 0);
			if (!aead)
				add_transform(p, IKE_T_INTEG, s->sp.integ[i].integ, 0);
			for (size_t g = 0; g < s->sp.ngroup; g++)
				if (pr->gmask & (1u << g))
					add_transform(p, IKE_T_DH, s->sp.group[g], 0);
			n++;
		}
	}
	return n;
}

/* The offered group with the shortest public value: the smallest first request. */
static uint16_t ke_guess(const struct search *s, unsigned gmask)
{
	uint16_t best = 0;
	size_t best_len = 0;

	for (size_t g = 0; g < s->sp.ngroup; g++) {
		size_t len = ike_dh_pub_len(s->sp.group[g]);

		if ((gmask & (1u << g)) && (!best || len < best_len)) {
			best = s->sp.group[g];
			best_len = len;
		}
	}
	return best;
}

/* Which combination of the product the responder chose. Returns false when the answer
 * names something that was not offered. */
static bool chosen_v2(const struct search *s, const struct product *pr,
		      const struct ike_proposal *c, size_t *e, size_t *i, size_t *g)
{
	const struct ike_transform *enc = ike_proposal_first(c, IKE_T_ENCR);
	const struct ike_transform *integ = ike_proposal_first(c, IKE_T_INTEG);
	const struct ike_transform *prf = ike_proposal_first(c, IKE_T_PRF);
	const struct ike_transform *dh = ike_proposal_first(c, IKE_T_DH);
	size_t k;

	if (!enc || !prf || !dh)
		return false;
	for (k = 0; k < s->sp.nenc; k++)
		if ((pr->emask & (1u << k)) && s->sp.enc[k].id == enc->id &&
		    s->sp.enc[k].keylen == enc->keylen)
			break;
	if ((*e = k) == s->sp.nenc)
		return false;
	for (k = 0; k < s->sp.ninteg; k++)
		if ((pr->imask & (1u << k)) && s->sp.integ[k].prf == prf->id &&
		    (s->sp.enc[*e].aead ? !integ : integ && integ->id == s->sp.integ[k].integ))
			break;
	if ((*i = k) == s->sp.ninteg)
		return false;
	for (k = 0; k < s->sp.ngroup; k++)
		if ((pr->gmask & (1u << k)) && s->sp.group[k] == dh->id)
			break;
	return (*g = k) < s->sp.ngroup;
}

static void chosen_text(const struct ike_proposal *c, char *out, size_t len)
{
	size_t used = 0;

	out[0] = 0;
	for (size_t k = 0; k < c->n && used < len; k++)
		used += (size_t)snprintf(out + used, len - used, "%s%s", k ? "-" : "",
					 ike_transform_name(c->t[k].type, c->t[k].id));
}

static int search_v2(struct search *s, struct diag_error *err)
{
	/* every answer that names a combination splits its product into at most three */
	static struct product stack[3 * IKE_ENUM_MAX + 1];
	static struct ike_proposal props[2 * IKE_ENUM_MAX_INTEG];
	size_t top = 0;
	bool failed = false;

	stack[top++] = (struct product){(1u << s->sp.nenc) - 1, (1u << s->sp.ninteg) - 1,
					(1u << s->sp.ngroup) - 1};
	while (top > 0) {
		struct product pr = stack[--top];
		struct ike_probe_opts po;
		struct ike_verdict v;
		size_t e, i, g;

		if (!pr.emask || !pr.imask || !pr.gmask)
			continue;
		memset(&po, 0, sizeof po);
		po.version = 2;
		po.port = s->o->port;
		memcpy(po.wait_ms, s->o->wait_ms, sizeof po.wait_ms);
		po.props = props;
		po.nprops = product_proposals(s, &pr, props);
		po.prop = &props[0];
		po.ke_group = ke_guess(s, pr.gmask);
		if (!ask(s, &po, &v, err, &failed))
			return failed ? -1 : 0;
		if (v.result == IKE_PR_NO_PROPOSAL)
			continue;
		if (!chosen_v2(s, &pr, &v.chosen, &e, &i, &g)) {
			char t[200];

			chosen_text(&v.chosen, t, sizeof t);
			stop(s, "the responder chose %s, which was not offered", t);
			return 0;
		}
		record(s, e, i, g);
		stack[top++] = (struct product){pr.emask, pr.imask, pr.gmask & ~(1u << g)};
		stack[top++] = (struct product){pr.emask & ~(1u << e), pr.imask, 1u << g};
		stack[top++] = (struct product){1u << e, pr.imask & ~(1u << i), 1u << g};
	}
	return 0;
}

/* ---- IKEv1: lists of transforms, one accepted transform dropped per answer ------------ */

static void v1_transform(const struct search *s, const struct ike_enum_combo *c,
			 struct ike_v1_transform *t)
{
	memset(t, 0, sizeof *t);
	t->id = 1; /* KEY_IKE */
	t->encr = ike_v1_encr_of(s->sp.enc[c->enc].id);
	t->keylen = s->sp.enc[c->enc].keylen;
	t->hash = ike_v1_hash_of(s->sp.integ[c->integ].integ);
	t->auth = IKE1_AUTH_PSK;
	t->group = s->sp.group[c->group];
	t->life_type = 1;
	t->life = 28800; /* AWS's phase 1 default lifetime */
}

static int search_v1(struct search *s, struct diag_error *err)
{
	static struct ike_enum_combo all[IKE_ENUM_MAX];
	size_t n = 0;
	bool failed = false;

	for (size_t e = 0; e < s->sp.nenc; e++)
		for (size_t i = 0; i < s->sp.ninteg; i++)
			for (size_t g = 0; g < s->sp.ngroup; g++)
				all[n++] = (struct ike_enum_combo){(uint8_t)e, (uint8_t)i,
								   (uint8_t)g};
	for (size_t start = 0; start < n; start += IKE_ENUM_V1_CHUNK) {
		struct ike_enum_combo pending[IKE_ENUM_V1_CHUNK];
		size_t np = 0;

		for (size_t k = start; k < n && np < IKE_ENUM_V1_CHUNK; k++)
			pending[np++] = all[k];
		while (np > 0) {
			struct ike_v1_transform t[IKE_ENUM_V1_CHUNK];
			struct ike_probe_opts po;
			struct ike_verdict v;
			size_t k;

			for (k = 0; k < np; k++)
				v1_transform(s, &pending[k], &t[k]);
			memset(&po, 0, sizeof po);
			po.version = 1;
			po.port = s->o->port;
			memcpy(po.wait_ms, s->o->wait_ms, sizeof po.wait_ms);
			po.v1 = t;
			po.nv1 = np;
			if (!ask(s, &po, &v, err, &failed))
				return failed ? -1 : 0;
			if (v.result == IKE_PR_NO_PROPOSAL)
				break;
			for (k = 0; k < np; k++)
				if (t[k].encr == v.chosen1.encr && t[k].keylen == v.chosen1.keylen &&
				    t[k].hash == v.chosen1.hash && t[k].group == v.chosen1.group)
					break;
			if (k == np) {
				char d[96];

				snprintf(d, sizeof d, "encryption %u/%u, hash %u, group %u",
					 (unsigned)v.chosen1.encr, (unsigned)v.chosen1.keylen,
					 (unsigned)v.chosen1.hash, (unsigned)v.chosen1.group);
				stop(s, "the responder chose a transform that was not offered (%s)",
				     d);
				return 0;
			}
			record(s, pending[k].enc, pending[k].integ, pending[k].group);
			pending[k] = pending[--np];
		}
	}
	return 0;
}

int ike_enum_run(const struct ike_enum_opts *o, struct ike_enum_result *res,
		 struct diag_error *err)
{
	static struct search s;
	int rc;

	memset(res, 0, sizeof *res);
	memset(&s, 0, sizeof s);
	s.o = o;
	s.res = res;
	res->version = o->version;
	res->complete = true;
	res->nat = IKE_NAT_UNKNOWN;
	ike_enum_space_aws(o->version, &s.sp);
	res->sp = s.sp;
	res->space = s.sp.nenc * s.sp.ninteg * s.sp.ngroup;
	if (ike_probe_open(o->host, o->port, &s.sock, err) < 0)
		return -1;
	res->bound_port = s.sock.bound;
	res->local_port = s.sock.local.port;
	s.start = now_s();
	rc = o->version == 1 ? search_v1(&s, err) : search_v2(&s, err);
	ike_probe_close(&s.sock);
	res->elapsed_s = now_s() - s.start;
	/* record() counted as it went (for progress); the list is written in space order */
	res->naccepted = 0;
	for (size_t e = 0; e < s.sp.nenc; e++)
		for (size_t i = 0; i < s.sp.ninteg; i++)
			for (size_t g = 0; g < s.sp.ngroup; g++)
				if (s.found[e][i][g])
					res->accepted[res->naccepted++] =
						(struct ike_enum_combo){(uint8_t)e, (uint8_t)i,
									(uint8_t)g};
	return rc;
}
