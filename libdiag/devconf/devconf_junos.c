/* Juniper Junos: set-style lines ("set security ike proposal P dh-group group14") and the
 * bracketed hierarchy ("security { ike { proposal P { dh-group group14; } } }"). One
 * tokenizer reads both and flattens every statement to its full path, so the handlers
 * only ever see set-style word lists. Objects (IKE/IPsec proposals and policies, IKE
 * gateways, IPsec VPNs, security policies that tunnel into a VPN, address-book entries)
 * are collected first and joined at the end: one peer per IKE gateway, and per VPN that
 * uses it one child per traffic-selector, or its proxy-identity, or one per security
 * policy tunnelling into it (policy-based), or else 0.0.0.0/0 both ways.
 *
 * Inactive parts are left out: "inactive:" in the bracketed form, and in set-style the
 * paths named by "deactivate" lines (collected in a first pass, since they follow the
 * "set" lines they switch off). Statements under "groups" are not applied.
 *
 * Defaults filled in are Junos's documented ones: IKE version v1-only, establish-tunnels
 * on-traffic, DPD interval 10 s and threshold 5 when DPD is on. Lifetimes are left unset
 * unless configured. */
#include "libdiag/devconf/devconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JN_MAX_DEPTH 32
#define JN_MAX_WORDS 128    /* words in one flattened statement (path included) */
#define JN_MAX_OBJECTS 4096 /* of each kind: keeps the name look-ups bounded */
#define JN_MAX_LIST 16      /* proposals of a policy, addresses of a security policy */

struct jn_word {
	const char *s;
	size_t n;
	bool quoted;
};

struct jn_prop {
	const char *name;
	int line;
	bool esp, used;
	uint16_t encr, keylen; /* 0: not configured; 0xFFFF: a name we do not know */
	uint16_t integ;        /* INTEG ID (IKE: from the hash) */
	uint16_t prf;          /* IKE only */
	uint16_t dh;           /* IKE only */
	int proto;             /* IPsec: 0 unset, 1 esp, 2 ah, 3 bundle */
	long life_s, life_kb;
};

struct jn_policy {
	const char *name;
	int line;
	bool esp;
	const char *props[JN_MAX_LIST];
	size_t nprops;
	const char *set;       /* proposal-set */
	bool aggressive, psk_set, psk_weak;
	uint16_t pfs;
};

struct jn_gw {
	const char *name;
	int line;
	const char *policy, *addr, *local_addr, *ext_if, *local_id, *remote_id;
	bool dpd;
	long interval, threshold;
	unsigned version;
	bool no_natt;
};

struct jn_ts {
	const char *name;
	int line;
	const char *local, *remote;
};

struct jn_vpn {
	const char *name;
	int line;
	const char *gw, *policy, *bind_if;
	enum devconf_startup establish;
	struct jn_ts proxy;    /* proxy-identity (name NULL: none) */
	struct jn_ts *ts;      /* traffic selectors */
	size_t nts, cap_ts;
};

struct jn_secpol {
	const char *key;       /* "from/to/name" or "global/name" */
	int line;
	const char *vpn;
	const char *src[JN_MAX_LIST], *dst[JN_MAX_LIST];
	size_t nsrc, ndst;
};

struct jn_addr {
	const char *name;
	int line;
	const char *prefix;
};

/* A "deactivate" line: statements under this path are inactive. */
struct jn_deact {
	const char **w;
	size_t n;
};

struct jn {
	struct devconf_model *m;
	struct diag_error *err;
	bool collect;          /* first pass: only collect the deactivated paths */
	struct jn_deact *deact;
	size_t ndeact, cap_deact;
	struct jn_prop *props[2];   /* [0] IKE, [1] IPsec: separate name spaces */
	size_t nprops[2], cap_props[2];
	struct jn_policy *pols[2];
	size_t npols[2], cap_pols[2];
	struct jn_gw *gws;
	size_t ngws, cap_gws;
	struct jn_vpn *vpns;
	size_t nvpns, cap_vpns;
	struct jn_secpol *secs;
	size_t nsecs, cap_secs;
	struct jn_addr *addrs;
	size_t naddrs, cap_addrs;
};

/* ---- words ---------------------------------------------------------------------------- */

static bool is(const struct jn_word *w, const char *s)
{
	return strlen(s) == w->n && memcmp(w->s, s, w->n) == 0;
}

/* The word as a string in the arena, a quoted one unescaped; NULL on OOM. */
static const char *wdup(struct jn *j, const struct jn_word *w)
{
	char *d = arena_alloc(&j->m->arena, w->n + 1);
	size_t k = 0;

	if (!d)
		return NULL;
	for (size_t i = 0; i < w->n; i++) {
		if (w->quoted && w->s[i] == '\\' && i + 1 < w->n)
			i++;
		d[k++] = w->s[i];
	}
	d[k] = '\0';
	return d;
}

static int oom(struct jn *j)
{
	return diag_fail(j->err, DIAG_EXIT_SOFTWARE, j->m->file, "out of memory");
}

/* AWS's PSK rules (8-64 characters; letters, digits, '.', '_'; not starting with '0'),
 * judged on the key as written (a quoted key unescaped). */
static bool psk_weak(const struct jn_word *w)
{
	size_t n = 0;
	bool bad = false;

	for (size_t i = 0; i < w->n; i++) {
		char c = w->s[i];

		if (w->quoted && c == '\\' && i + 1 < w->n)
			c = w->s[++i];
		if (n == 0 && c == '0')
			bad = true;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_'))
			bad = true;
		n++;
	}
	return bad || n < 8 || n > 64;
}

/* A decimal number of at most 10 digits into *v. Returns 0, or -1 with err. */
static int num(struct jn *j, int line, const struct jn_word *w, const char *what, long *v)
{
	long x = 0;

	if (!w)
		return devconf_fail(j->m, line, j->err, "%s: missing value", what);
	if (w->n == 0 || w->n > 10)
		return devconf_fail(j->m, line, j->err, "%s \"%.*s\": not a number", what,
				    (int)(w->n > 40 ? 40 : w->n), w->s);
	for (size_t i = 0; i < w->n; i++) {
		if (w->s[i] < '0' || w->s[i] > '9')
			return devconf_fail(j->m, line, j->err, "%s \"%.*s\": not a number", what,
					    (int)(w->n > 40 ? 40 : w->n), w->s);
		x = x * 10 + (w->s[i] - '0');
	}
	*v = x;
	return 0;
}

/* "group14" -> 14; 0xFFFF for anything else. */
static uint16_t dh_group(const struct jn_word *w)
{
	unsigned g = 0;

	if (w->n < 6 || w->n > 8 || memcmp(w->s, "group", 5) != 0)
		return 0xFFFF;
	for (size_t i = 5; i < w->n; i++) {
		if (w->s[i] < '0' || w->s[i] > '9')
			return 0xFFFF;
		g = g * 10 + (unsigned)(w->s[i] - '0');
	}
	return g && g < 0xFFFF ? (uint16_t)g : 0xFFFF;
}

static const struct {
	const char *name;
	uint16_t id, keylen;
} encrs[] = {
	{"des-cbc", 2, 0},
	{"3des-cbc", IKE_ENCR_3DES, 0},
	{"aes-128-cbc", IKE_ENCR_AES_CBC, 128},
	{"aes-192-cbc", IKE_ENCR_AES_CBC, 192},
	{"aes-256-cbc", IKE_ENCR_AES_CBC, 256},
	{"aes-128-gcm", IKE_ENCR_AES_GCM_16, 128},
	{"aes-192-gcm", IKE_ENCR_AES_GCM_16, 192},
	{"aes-256-gcm", IKE_ENCR_AES_GCM_16, 256},
	{"chacha20-poly1305", 28, 0},
};

/* IKE proposal hashes and IPsec authentication algorithms: INTEG and (IKE) PRF. */
static const struct {
	const char *name;
	uint16_t integ, prf;
} auths[] = {
	{"md5", IKE_INTEG_HMAC_MD5_96, IKE_PRF_HMAC_MD5},
	{"sha1", IKE_INTEG_HMAC_SHA1_96, IKE_PRF_HMAC_SHA1},
	{"sha-256", IKE_INTEG_HMAC_SHA2_256_128, IKE_PRF_HMAC_SHA2_256},
	{"sha-384", IKE_INTEG_HMAC_SHA2_384_192, IKE_PRF_HMAC_SHA2_384},
	{"sha-512", IKE_INTEG_HMAC_SHA2_512_256, IKE_PRF_HMAC_SHA2_512},
	{"hmac-md5-96", IKE_INTEG_HMAC_MD5_96, 0},
	{"hmac-sha1-96", IKE_INTEG_HMAC_SHA1_96, 0},
	{"hmac-sha-256-128", IKE_INTEG_HMAC_SHA2_256_128, 0},
	{"hmac-sha-384-192", IKE_INTEG_HMAC_SHA2_384_192, 0},
	{"hmac-sha-512-256", IKE_INTEG_HMAC_SHA2_512_256, 0},
};

static bool aead(uint16_t encr)
{
	return encr == IKE_ENCR_AES_GCM_8 || encr == IKE_ENCR_AES_GCM_12 ||
	       encr == IKE_ENCR_AES_GCM_16 || encr == 28;
}

/* ---- objects -------------------------------------------------------------------------- */

/* Finds the object of that name in arr[0..n) (elements of size sz, starting with the
 * name and the line), or adds it. Returns it, or NULL with err (too many, OOM). */
#define JN_GET(j, arr, n, cap, w, line, what)                                               \
	jn_get((j), (void **)&(arr), &(n), &(cap), sizeof *(arr), (w), (line), (what))

static void *jn_get(struct jn *j, void **arr, size_t *n, size_t *cap, size_t sz,
		    const struct jn_word *w, int line, const char *what)
{
	const char *name = wdup(j, w);
	char *e;

	if (!name)
		return oom(j), NULL;
	for (size_t i = 0; i < *n; i++) {
		e = (char *)*arr + i * sz;
		if (strcmp(*(const char **)e, name) == 0)
			return e;
	}
	if (*n >= JN_MAX_OBJECTS)
		return devconf_fail(j->m, line, j->err, "more than %d %s", JN_MAX_OBJECTS, what),
		       NULL;
	if (!(*arr = arena_grow(&j->m->arena, *arr, sz, cap, *n + 1)))
		return oom(j), NULL;
	e = (char *)*arr + (*n)++ * sz;
	memset(e, 0, sz);
	*(const char **)e = name;
	*(int *)(e + sizeof(const char *)) = line;
	return e;
}

/* Reads "[ a b c ]" or a single word at w[0..n) into list (capped). Returns words used. */
static size_t jn_list(struct jn *j, const struct jn_word *w, size_t n, const char **list,
		      size_t *cnt, bool *oomed)
{
	size_t used = 0;

	if (n == 0)
		return 0;
	if (!is(&w[0], "[")) {
		if (*cnt < JN_MAX_LIST && !(list[(*cnt)++] = wdup(j, &w[0])))
			*oomed = true;
		return 1;
	}
	for (used = 1; used < n && !is(&w[used], "]"); used++)
		if (*cnt < JN_MAX_LIST && !(list[(*cnt)++] = wdup(j, &w[used])))
			*oomed = true;
	return used < n ? used + 1 : used;
}

/* The value after the keyword at w[*k] (advancing *k past both), or NULL with err. */
static const struct jn_word *val(struct jn *j, const struct jn_word *w, size_t n, size_t *k,
				 int line)
{
	if (*k + 1 >= n || is(&w[*k + 1], "[") || is(&w[*k + 1], "]")) {
		devconf_fail(j->m, line, j->err, "%.*s: missing value",
			     (int)(w[*k].n > 40 ? 40 : w[*k].n), w[*k].s);
		return NULL;
	}
	*k += 2;
	return &w[*k - 1];
}

static int strval(struct jn *j, const struct jn_word *w, size_t n, size_t *k, int line,
		  const char **out)
{
	const struct jn_word *v = val(j, w, n, k, line);

	if (!v)
		return -1;
	return (*out = wdup(j, v)) ? 0 : oom(j);
}

static int numval(struct jn *j, const struct jn_word *w, size_t n, size_t *k, int line,
		  long *out)
{
	const char *what = w[*k].s;
	int wl = (int)w[*k].n;
	const struct jn_word *v = val(j, w, n, k, line);
	char buf[64];

	if (!v)
		return -1;
	snprintf(buf, sizeof buf, "%.*s", wl > 40 ? 40 : wl, what);
	return num(j, line, v, buf, out);
}

/* security ike|ipsec proposal NAME (ATTR VALUE)... A set-style line may carry several
 * attributes; an attribute we do not know ends the line (counted as skipped). */
static int jn_proposal(struct jn *j, bool esp, const struct jn_word *w, size_t n, int line)
{
	struct jn_prop *p;
	const struct jn_word *v;

	if (n < 1)
		return devconf_fail(j->m, line, j->err, "proposal without a name");
	if (!(p = JN_GET(j, j->props[esp], j->nprops[esp], j->cap_props[esp], &w[0], line,
			   "proposals")))
		return -1;
	p->esp = esp;
	for (size_t k = 1; k < n;) {
		if (is(&w[k], "description") || is(&w[k], "authentication-method")) {
			if (!val(j, w, n, &k, line))
				return -1;
		} else if (is(&w[k], "encryption-algorithm")) {
			if (!(v = val(j, w, n, &k, line)))
				return -1;
			p->encr = 0xFFFF;
			p->keylen = 0;
			for (size_t i = 0; i < sizeof encrs / sizeof encrs[0]; i++)
				if (is(v, encrs[i].name)) {
					p->encr = encrs[i].id;
					p->keylen = encrs[i].keylen;
				}
		} else if (is(&w[k], "authentication-algorithm")) {
			if (!(v = val(j, w, n, &k, line)))
				return -1;
			p->integ = p->prf = 0xFFFF;
			for (size_t i = 0; i < sizeof auths / sizeof auths[0]; i++)
				if (is(v, auths[i].name)) {
					p->integ = auths[i].integ;
					p->prf = auths[i].prf ? auths[i].prf : 0xFFFF;
				}
		} else if (!esp && is(&w[k], "dh-group")) {
			if (!(v = val(j, w, n, &k, line)))
				return -1;
			p->dh = dh_group(v);
		} else if (is(&w[k], "lifetime-seconds")) {
			if (numval(j, w, n, &k, line, &p->life_s) < 0)
				return -1;
		} else if (esp && is(&w[k], "lifetime-kilobytes")) {
			if (numval(j, w, n, &k, line, &p->life_kb) < 0)
				return -1;
		} else if (esp && is(&w[k], "protocol")) {
			if (!(v = val(j, w, n, &k, line)))
				return -1;
			p->proto = is(v, "esp") ? 1 : is(v, "ah") ? 2 : is(v, "bundle") ? 3 : 0;
			if (!p->proto)
				return devconf_fail(j->m, line, j->err,
						    "protocol \"%.*s\": not esp, ah or bundle",
						    (int)(v->n > 40 ? 40 : v->n), v->s);
		} else {
			j->m->skipped++;
			break;
		}
	}
	return 0;
}

/* security ike|ipsec policy NAME ... */
static int jn_policy(struct jn *j, bool esp, const struct jn_word *w, size_t n, int line)
{
	struct jn_policy *p;
	const struct jn_word *v;
	bool oomed = false;

	if (n < 1)
		return devconf_fail(j->m, line, j->err, "policy without a name");
	if (!(p = JN_GET(j, j->pols[esp], j->npols[esp], j->cap_pols[esp], &w[0], line, "policies")))
		return -1;
	p->esp = esp;
	for (size_t k = 1; k < n && !oomed;) {
		if (is(&w[k], "description")) {
			if (!val(j, w, n, &k, line))
				return -1;
		} else if (is(&w[k], "proposals")) {
			if (k + 1 >= n)
				return devconf_fail(j->m, line, j->err, "proposals: missing value");
			p->nprops = 0;
			k += 1 + jn_list(j, w + k + 1, n - k - 1, p->props, &p->nprops, &oomed);
		} else if (is(&w[k], "proposal-set")) {
			if (strval(j, w, n, &k, line, &p->set) < 0)
				return -1;
		} else if (!esp && is(&w[k], "mode")) {
			if (!(v = val(j, w, n, &k, line)))
				return -1;
			p->aggressive = is(v, "aggressive");
		} else if (!esp && is(&w[k], "pre-shared-key")) {
			p->psk_set = true;
			/* ascii-text as typed can be judged; "$9$..." is Junos's encrypted form */
			p->psk_weak = k + 2 < n && is(&w[k + 1], "ascii-text") &&
				      !(w[k + 2].n >= 3 && memcmp(w[k + 2].s, "$9$", 3) == 0) &&
				      psk_weak(&w[k + 2]);
			break; /* the rest is the key: never read further */
		} else if (esp && is(&w[k], "perfect-forward-secrecy")) {
			k++;
		} else if (esp && is(&w[k], "keys")) {
			if (!(v = val(j, w, n, &k, line)))
				return -1;
			p->pfs = dh_group(v);
		} else {
			j->m->skipped++;
			break;
		}
	}
	return oomed ? oom(j) : 0;
}

/* security ike gateway NAME ... */
static int jn_gateway(struct jn *j, const struct jn_word *w, size_t n, int line)
{
	struct jn_gw *g;
	const struct jn_word *v;

	if (n < 1)
		return devconf_fail(j->m, line, j->err, "gateway without a name");
	if (!(g = JN_GET(j, j->gws, j->ngws, j->cap_gws, &w[0], line, "gateways")))
		return -1;
	for (size_t k = 1; k < n;) {
		int rc = 0;

		if (is(&w[k], "ike-policy")) {
			rc = strval(j, w, n, &k, line, &g->policy);
		} else if (is(&w[k], "address")) {
			/* address [ a b ]: the first is the primary peer */
			const char *list[JN_MAX_LIST];
			size_t cnt = 0;
			bool oomed = false;

			if (k + 1 >= n)
				return devconf_fail(j->m, line, j->err, "address: missing value");
			k += 1 + jn_list(j, w + k + 1, n - k - 1, list, &cnt, &oomed);
			if (oomed)
				return oom(j);
			if (!cnt)
				return devconf_fail(j->m, line, j->err, "address: missing value");
			g->addr = list[0];
		} else if (is(&w[k], "local-address")) {
			rc = strval(j, w, n, &k, line, &g->local_addr);
		} else if (is(&w[k], "external-interface")) {
			rc = strval(j, w, n, &k, line, &g->ext_if);
		} else if (is(&w[k], "dead-peer-detection")) {
			g->dpd = true;
			k++;
		} else if (is(&w[k], "always-send") || is(&w[k], "optimized") ||
			   is(&w[k], "probe-idle-tunnel") || is(&w[k], "no-nat-traversal")) {
			g->no_natt |= is(&w[k], "no-nat-traversal");
			k++;
		} else if (is(&w[k], "interval")) {
			rc = numval(j, w, n, &k, line, &g->interval);
		} else if (is(&w[k], "threshold")) {
			rc = numval(j, w, n, &k, line, &g->threshold);
		} else if (is(&w[k], "nat-keepalive")) {
			long ka;

			rc = numval(j, w, n, &k, line, &ka);
		} else if (is(&w[k], "version")) {
			if (!(v = val(j, w, n, &k, line)))
				return -1;
			g->version = is(v, "v1-only") ? 1 : is(v, "v2-only") ? 2 : 0;
			if (!g->version)
				return devconf_fail(j->m, line, j->err,
						    "version \"%.*s\": not v1-only or v2-only",
						    (int)(v->n > 40 ? 40 : v->n), v->s);
		} else if (is(&w[k], "local-identity") || is(&w[k], "remote-identity")) {
			const char **dst = is(&w[k], "local-identity") ? &g->local_id
									: &g->remote_id;

			/* local-identity inet 192.0.2.1 | hostname h | user-at-hostname u */
			if (k + 2 < n) {
				k++;
				rc = strval(j, w, n, &k, line, dst);
			} else {
				k = n;
			}
		} else {
			j->m->skipped++;
			break;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* security ipsec vpn NAME ... (ike gateway G ipsec-policy P, traffic-selector T local-ip
 * L remote-ip R, ike proxy-identity local L remote R service S, bind-interface,
 * establish-tunnels) */
static int jn_vpn(struct jn *j, const struct jn_word *w, size_t n, int line)
{
	struct jn_vpn *v;
	struct jn_ts *t = NULL;
	const struct jn_word *x;

	if (n < 1)
		return devconf_fail(j->m, line, j->err, "vpn without a name");
	if (!(v = JN_GET(j, j->vpns, j->nvpns, j->cap_vpns, &w[0], line, "vpns")))
		return -1;
	for (size_t k = 1; k < n;) {
		int rc = 0;

		if (is(&w[k], "ike") || is(&w[k], "proxy-identity")) {
			k++;
		} else if (is(&w[k], "bind-interface")) {
			rc = strval(j, w, n, &k, line, &v->bind_if);
		} else if (is(&w[k], "gateway")) {
			rc = strval(j, w, n, &k, line, &v->gw);
		} else if (is(&w[k], "ipsec-policy")) {
			rc = strval(j, w, n, &k, line, &v->policy);
		} else if (is(&w[k], "establish-tunnels")) {
			if (!(x = val(j, w, n, &k, line)))
				return -1;
			v->establish = is(x, "immediately") ? DEVCONF_START_INITIATE
				       : is(x, "on-traffic") ? DEVCONF_START_ON_TRAFFIC
				       : is(x, "responder-only") || is(x, "responder-only-no-rekey")
					       ? DEVCONF_START_RESPOND
					       : DEVCONF_START_UNKNOWN;
		} else if (is(&w[k], "local") || is(&w[k], "remote")) {
			rc = strval(j, w, n, &k, line,
				    is(&w[k], "local") ? &v->proxy.local : &v->proxy.remote);
			v->proxy.name = v->name;
			if (!v->proxy.line)
				v->proxy.line = line;
		} else if (is(&w[k], "service") || is(&w[k], "df-bit")) {
			if (!val(j, w, n, &k, line))
				return -1;
		} else if (is(&w[k], "traffic-selector")) {
			if (!(x = val(j, w, n, &k, line)))
				return -1;
			t = NULL;
			for (size_t i = 0; i < v->nts; i++)
				if (strlen(v->ts[i].name) == x->n &&
				    memcmp(v->ts[i].name, x->s, x->n) == 0)
					t = &v->ts[i];
			if (!t) {
				if (v->nts >= DEVCONF_TS_MAX)
					return devconf_fail(j->m, line, j->err,
							    "more than %d traffic selectors in vpn %s",
							    DEVCONF_TS_MAX, v->name);
				if (!(t = ARENA_PUSH(&j->m->arena, v->ts, v->nts, v->cap_ts)) ||
				    !(t->name = wdup(j, x)))
					return oom(j);
				t->line = line;
			}
		} else if (t && (is(&w[k], "local-ip") || is(&w[k], "remote-ip"))) {
			rc = strval(j, w, n, &k, line, is(&w[k], "local-ip") ? &t->local : &t->remote);
		} else {
			j->m->skipped++;
			break;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* security policies (from-zone A to-zone B | global) policy NAME match|then ... */
static int jn_secpolicy(struct jn *j, const struct jn_word *w, size_t n, int line)
{
	size_t k = 0;
	char key[256];
	size_t kl = 0;
	struct jn_word kw;
	struct jn_secpol *s;
	bool oomed = false;

	while (k < n && !is(&w[k], "policy"))
		k++;
	if (k + 2 >= n) {
		j->m->skipped++;
		return 0;
	}
	for (size_t i = 0; i < k + 2 && kl < sizeof key; i++)
		kl += (size_t)snprintf(key + kl, sizeof key - kl, "%s%.*s", i ? "/" : "",
				       (int)(w[i].n > 60 ? 60 : w[i].n), w[i].s);
	kw.s = key;
	kw.n = kl < sizeof key ? kl : sizeof key - 1;
	kw.quoted = false;
	if (!(s = JN_GET(j, j->secs, j->nsecs, j->cap_secs, &kw, line, "security policies")))
		return -1;
	w += k + 2;
	n -= k + 2;
	if (n > 1 && is(&w[0], "match") && is(&w[1], "source-address"))
		jn_list(j, w + 2, n - 2, s->src, &s->nsrc, &oomed);
	else if (n > 1 && is(&w[0], "match") && is(&w[1], "destination-address"))
		jn_list(j, w + 2, n - 2, s->dst, &s->ndst, &oomed);
	else if (n > 4 && is(&w[0], "then") && is(&w[1], "permit") && is(&w[2], "tunnel") &&
		 is(&w[3], "ipsec-vpn")) {
		if (!(s->vpn = wdup(j, &w[4])))
			return oom(j);
	} else
		j->m->skipped++;
	return oomed ? oom(j) : 0;
}

/* ... address-book [NAME] address A PREFIX */
static int jn_address(struct jn *j, const struct jn_word *w, size_t n, int line)
{
	size_t k = 0;
	struct jn_addr *a;

	while (k < n && !is(&w[k], "address"))
		k++;
	if (k + 2 >= n) {
		j->m->skipped++;
		return 0;
	}
	if (!(a = JN_GET(j, j->addrs, j->naddrs, j->cap_addrs, &w[k + 1], line, "addresses")))
		return -1;
	if (!(a->prefix = wdup(j, &w[k + 2])))
		return oom(j);
	return 0;
}

#define JN_MAX_DEACT 1024

/* First pass: remembers "deactivate PATH" (set-style's inactive:). */
static int jn_collect(struct jn *j, const struct jn_word *w, size_t n)
{
	struct jn_deact *d;

	if (n < 2 || !is(&w[0], "deactivate"))
		return 0;
	if (j->ndeact >= JN_MAX_DEACT) {
		j->m->skipped++;
		return 0;
	}
	if (!(d = ARENA_PUSH(&j->m->arena, j->deact, j->ndeact, j->cap_deact)) ||
	    !(d->w = arena_alloc(&j->m->arena, (n - 1) * sizeof *d->w)))
		return oom(j);
	for (size_t i = 1; i < n; i++)
		if (!(d->w[d->n++] = wdup(j, &w[i])))
			return oom(j);
	return 0;
}

/* Is the statement w[0..n) at or below a deactivated path? */
static bool deactivated(const struct jn *j, const struct jn_word *w, size_t n)
{
	for (size_t i = 0; i < j->ndeact; i++) {
		const struct jn_deact *d = &j->deact[i];
		size_t k = 0;

		while (k < d->n && k < n && strlen(d->w[k]) == w[k].n &&
		       memcmp(d->w[k], w[k].s, w[k].n) == 0)
			k++;
		if (k == d->n)
			return true;
	}
	return false;
}

/* One flattened statement. */
static int jn_statement(struct jn *j, const struct jn_word *w, size_t n, int line)
{
	if (j->collect)
		return jn_collect(j, w, n);
	if (n && is(&w[0], "set")) {
		w++;
		n--;
	} else if (n && is(&w[0], "deactivate")) {
		return 0; /* applied: see jn_collect */
	} else if (n && (is(&w[0], "delete") || is(&w[0], "activate") ||
			 is(&w[0], "annotate"))) {
		j->m->skipped++;
		return 0;
	}
	if (deactivated(j, w, n))
		return 0;
	if (n < 3 || !is(&w[0], "security")) {
		if (n)
			j->m->skipped++;
		return 0;
	}
	if (is(&w[1], "ike") && n > 2 && is(&w[2], "proposal"))
		return jn_proposal(j, false, w + 3, n - 3, line);
	if (is(&w[1], "ipsec") && n > 2 && is(&w[2], "proposal"))
		return jn_proposal(j, true, w + 3, n - 3, line);
	if (is(&w[1], "ike") && is(&w[2], "policy"))
		return jn_policy(j, false, w + 3, n - 3, line);
	if (is(&w[1], "ipsec") && is(&w[2], "policy"))
		return jn_policy(j, true, w + 3, n - 3, line);
	if (is(&w[1], "ike") && is(&w[2], "gateway"))
		return jn_gateway(j, w + 3, n - 3, line);
	if (is(&w[1], "ipsec") && is(&w[2], "vpn"))
		return jn_vpn(j, w + 3, n - 3, line);
	if (is(&w[1], "policies"))
		return jn_secpolicy(j, w + 2, n - 2, line);
	if (is(&w[1], "address-book"))
		return jn_address(j, w + 2, n - 2, line);
	if (is(&w[1], "zones")) {
		for (size_t k = 2; k < n; k++)
			if (is(&w[k], "address-book"))
				return jn_address(j, w + k + 1, n - k - 1, line);
	}
	j->m->skipped++;
	return 0;
}

/* ---- the tokenizer -------------------------------------------------------------------- */

struct jn_reader {
	struct jn_word w[JN_MAX_WORDS];
	size_t nw;              /* words of path + current statement */
	size_t npath;           /* words of the enclosing path */
	size_t level_start[JN_MAX_DEPTH];
	int level_line[JN_MAX_DEPTH];
	bool level_inactive[JN_MAX_DEPTH];
	int depth;
	int stmt_line;
	bool stmt_inactive;
};

static bool inactive_now(const struct jn_reader *r)
{
	return r->stmt_inactive || (r->depth > 0 && r->level_inactive[r->depth - 1]);
}

/* Ends the current statement (if any words): hands it to the handlers. */
static int jn_emit(struct jn *j, struct jn_reader *r)
{
	int rc = 0;

	if (r->nw > r->npath && !inactive_now(r))
		rc = jn_statement(j, r->w, r->nw, r->stmt_line);
	r->nw = r->npath;
	r->stmt_inactive = false;
	return rc;
}

static int jn_word(struct jn *j, struct jn_reader *r, const char *s, size_t n, bool quoted,
		   int line)
{
	if (r->nw == r->npath) {
		r->stmt_line = line;
		if (!quoted && n == 9 && memcmp(s, "inactive:", 9) == 0) {
			r->stmt_inactive = true;
			return 0;
		}
		if (!quoted && ((n == 8 && memcmp(s, "protect:", 8) == 0) ||
				(n == 8 && memcmp(s, "replace:", 8) == 0)))
			return 0;
	}
	if (r->nw >= JN_MAX_WORDS)
		return devconf_fail(j->m, r->stmt_line, j->err, "statement longer than %d words",
				    JN_MAX_WORDS);
	r->w[r->nw].s = s;
	r->w[r->nw].n = n;
	r->w[r->nw].quoted = quoted;
	r->nw++;
	return 0;
}

static int jn_open(struct jn *j, struct jn_reader *r, int line)
{
	if (r->nw == r->npath)
		return devconf_fail(j->m, line, j->err, "'{' without a statement before it");
	if (r->depth >= JN_MAX_DEPTH)
		return devconf_fail(j->m, line, j->err, "nested deeper than %d levels",
				    JN_MAX_DEPTH);
	r->level_start[r->depth] = r->npath;
	r->level_line[r->depth] = r->stmt_line;
	r->level_inactive[r->depth] = inactive_now(r);
	r->depth++;
	r->npath = r->nw;
	r->stmt_inactive = false;
	return 0;
}

static int jn_close(struct jn *j, struct jn_reader *r, int line)
{
	if (jn_emit(j, r) < 0)
		return -1;
	if (r->depth == 0)
		return devconf_fail(j->m, line, j->err, "'}' without a matching '{'");
	r->depth--;
	r->nw = r->npath = r->level_start[r->depth];
	return 0;
}

static int jn_read(struct jn *j, const char *t, size_t len)
{
	struct jn_reader *r = calloc(1, sizeof *r);
	int line = 1, rc = 0;
	size_t i = 0;

	if (!r)
		return oom(j);
	while (rc == 0 && i < len) {
		char c = t[i];

		if (c == '\n') {
			rc = jn_emit(j, r); /* a statement ends at its line's end */
			line++;
			i++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			i++;
		} else if (c == '#') {
			while (i < len && t[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < len && t[i + 1] == '*') {
			int open = line;

			for (i += 2; i < len && !(t[i] == '*' && i + 1 < len && t[i + 1] == '/');
			     i++)
				line += t[i] == '\n';
			if (i >= len)
				rc = devconf_fail(j->m, open, j->err, "unterminated /* comment");
			i += 2;
		} else if (c == '"') {
			size_t s = ++i;
			int open = line;

			while (i < len && t[i] != '"') {
				if (t[i] == '\\' && i + 1 < len)
					i++;
				line += t[i] == '\n';
				i++;
			}
			if (i >= len)
				rc = devconf_fail(j->m, open, j->err, "unterminated quoted string");
			else
				rc = jn_word(j, r, t + s, i - s, true, open);
			i++;
		} else if (c == ';') {
			rc = jn_emit(j, r);
			i++;
		} else if (c == '{') {
			rc = jn_open(j, r, line);
			i++;
		} else if (c == '}') {
			rc = jn_close(j, r, line);
			i++;
		} else if (c == '[' || c == ']') {
			rc = jn_word(j, r, t + i, 1, false, line);
			i++;
		} else {
			size_t s = i;

			while (i < len && !strchr(" \t\r\n\f\v;{}[]\"", t[i]))
				i++;
			rc = jn_word(j, r, t + s, i - s, false, line);
		}
	}
	if (rc == 0)
		rc = jn_emit(j, r);
	if (rc == 0 && r->depth > 0)
		rc = devconf_fail(j->m, r->level_line[r->depth - 1], j->err,
				  "'{' never closed");
	free(r);
	return rc;
}

/* ---- joining the objects into the model ----------------------------------------------- */

static struct jn_prop *find_prop(struct jn *j, const char *name, bool esp)
{
	for (size_t i = 0; i < j->nprops[esp]; i++)
		if (strcmp(j->props[esp][i].name, name) == 0)
			return &j->props[esp][i];
	return NULL;
}

static struct jn_policy *find_policy(struct jn *j, const char *name, bool esp)
{
	for (size_t i = 0; name && i < j->npols[esp]; i++)
		if (strcmp(j->pols[esp][i].name, name) == 0)
			return &j->pols[esp][i];
	return NULL;
}

/* A Junos proposal as transforms: ENCR, PRF, INTEG (none with an AEAD cipher), DH. */
static void build(const struct jn_prop *p, struct ike_proposal *out, const char **note)
{
	memset(out, 0, sizeof *out);
	*note = NULL;
	if (p->esp && p->proto == 2) {
		*note = "ah";
		if (p->integ)
			devconf_add_transform(out, IKE_T_INTEG, p->integ, 0);
		return;
	}
	if (p->esp && p->proto == 3)
		*note = "bundle";
	if (p->encr)
		devconf_add_transform(out, IKE_T_ENCR, p->encr, p->keylen);
	if (!p->esp) {
		if (p->prf)
			devconf_add_transform(out, IKE_T_PRF, p->prf, 0);
		else if (aead(p->encr)) /* Junos derives the PRF from the GCM key size */
			devconf_add_transform(out, IKE_T_PRF,
					      p->keylen == 256 ? IKE_PRF_HMAC_SHA2_384
							       : IKE_PRF_HMAC_SHA2_256, 0);
	}
	if (p->integ && !aead(p->encr))
		devconf_add_transform(out, IKE_T_INTEG, p->integ, 0);
	if (!p->esp && p->dh)
		devconf_add_transform(out, IKE_T_DH, p->dh, 0);
}

/* Junos's predefined proposal sets (proposal-set basic | compatible | standard |
 * suiteb-gcm-128 | suiteb-gcm-256 | prime-128 | prime-256), as strongSwan strings; for
 * IPsec the DH group is the PFS group the set implies ("g2-esp-..."), "nopfs" none. */
static const struct {
	const char *set;
	bool esp;
	const char *props[4];
} sets[] = {
	{"basic", false, {"des-sha1-modp768", "des-md5-modp768"}},
	{"compatible", false,
	 {"3des-sha1-modp1024", "3des-md5-modp1024", "des-sha1-modp1024", "des-md5-modp1024"}},
	{"standard", false, {"aes128-sha1-modp1024", "3des-sha1-modp1024"}},
	{"suiteb-gcm-128", false, {"aes128-sha256-ecp256"}},
	{"suiteb-gcm-256", false, {"aes256-sha384-ecp384"}},
	{"prime-128", false, {"aes128gcm16-prfsha256-ecp256"}},
	{"prime-256", false, {"aes256gcm16-prfsha384-ecp384"}},
	{"basic", true, {"des-sha1", "des-md5"}},
	{"compatible", true, {"3des-sha1", "3des-md5", "des-sha1", "des-md5"}},
	{"standard", true, {"3des-sha1-modp1024", "aes128-sha1-modp1024"}},
	{"suiteb-gcm-128", true, {"aes128gcm16-ecp256"}},
	{"suiteb-gcm-256", true, {"aes256gcm16-ecp384"}},
	{"prime-128", true, {"aes128gcm16-ecp256"}},
	{"prime-256", true, {"aes256gcm16-ecp384"}},
};

/* A strongSwan proposal string by hand (the codec has no DES): "des-..." adds DES. */
static void add_set_proposal(const char *s, bool esp, struct ike_proposal *list, size_t *n)
{
	struct ike_proposal p;
	struct diag_error e = {0};
	char buf[64];
	bool des = strncmp(s, "des-", 4) == 0;

	if (*n >= DEVCONF_PROPOSALS_MAX)
		return;
	snprintf(buf, sizeof buf, "%s%s", des ? "3des-" : "", des ? s + 4 : s);
	if (ike_proposal_parse_ex(buf, esp ? IKE_PROP_ESP : 0, &p, &e) < 0)
		return;
	if (des)
		for (size_t i = 0; i < p.n; i++)
			if (p.t[i].type == IKE_T_ENCR)
				p.t[i].id = 2;
	list[(*n)++] = p;
}

static void add_set(const char *set, bool esp, struct ike_proposal *list, size_t *n,
		    size_t *skipped)
{
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
		if (sets[i].esp == esp && strcmp(sets[i].set, set) == 0) {
			for (size_t k = 0; k < 4 && sets[i].props[k]; k++)
				add_set_proposal(sets[i].props[k], esp, list, n);
			return;
		}
	(*skipped)++;
}

/* Fills list from a policy's proposals (or set); *life from the first that has one. */
static void policy_proposals(struct jn *j, struct jn_policy *pol, bool esp,
			     struct ike_proposal *list, size_t *n, long *life_s, long *life_kb)
{
	const char *note;

	for (size_t k = 0; k < pol->nprops; k++) {
		struct jn_prop *p = find_prop(j, pol->props[k], esp);

		if (!p || *n >= DEVCONF_PROPOSALS_MAX) {
			j->m->skipped++;
			continue;
		}
		p->used = true;
		build(p, &list[(*n)++], &note);
		if (*life_s == DEVCONF_UNSET && p->life_s)
			*life_s = p->life_s;
		if (life_kb && *life_kb == DEVCONF_UNSET && p->life_kb)
			*life_kb = p->life_kb;
	}
	if (pol->set)
		add_set(pol->set, esp, list, n, &j->m->skipped);
}

static bool is_any(const char *s)
{
	return strcmp(s, "any") == 0 || strcmp(s, "any-ipv4") == 0;
}

/* An address-book name resolved to its prefix; "any" is 0.0.0.0/0; else as written. */
static const char *resolve(struct jn *j, const char *name)
{
	if (is_any(name))
		return "0.0.0.0/0";
	for (size_t i = 0; i < j->naddrs; i++)
		if (strcmp(j->addrs[i].name, name) == 0)
			return j->addrs[i].prefix;
	return name;
}

static int add_ts(struct jn *j, struct devconf_child *c, bool local, const char *s)
{
	s = resolve(j, s);
	devconf_add_ts(j->m, c, local, s, strlen(s));
	return 0;
}

/* One child of a VPN, with the IPsec policy's proposals and PFS group. */
static struct devconf_child *vpn_child(struct jn *j, struct devconf_peer *peer,
				       struct jn_vpn *v, const char *name, int line)
{
	struct devconf_child *c = devconf_add_child(j->m, peer, name, line);
	struct jn_policy *pol = find_policy(j, v->policy, true);

	if (!c)
		return NULL;
	c->startup = v->establish ? v->establish : DEVCONF_START_ON_TRAFFIC;
	if (pol) {
		policy_proposals(j, pol, true, c->esp, &c->nesp, &c->lifetime_s, &c->lifetime_kb);
		for (size_t k = 0; pol->pfs && k < c->nesp; k++)
			devconf_add_transform(&c->esp[k], IKE_T_DH, pol->pfs, 0);
	}
	/* PFS from "keys groupN" or a proposal set that implies it ("g2-esp-...") */
	for (size_t k = 0; k < c->nesp; k++)
		c->pfs_set |= ike_proposal_first(&c->esp[k], IKE_T_DH) != NULL;
	return c;
}

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The children of one VPN (see the top of the file). Returns 0, or -1 on OOM. */
static int vpn_children(struct jn *j, struct devconf_peer *peer, struct jn_vpn *v)
{
	struct devconf_child *c;
	char name[256];
	bool any = false;

	for (size_t k = 0; k < v->nts; k++) {
		snprintf(name, sizeof name, "%s/%s", v->name, v->ts[k].name);
		if (!(c = vpn_child(j, peer, v, name, v->ts[k].line)))
			return -1;
		if (v->ts[k].local)
			add_ts(j, c, true, v->ts[k].local);
		if (v->ts[k].remote)
			add_ts(j, c, false, v->ts[k].remote);
	}
	if (v->nts)
		return 0;
	if (v->proxy.name) {
		if (!(c = vpn_child(j, peer, v, v->name, v->proxy.line)))
			return -1;
		add_ts(j, c, true, v->proxy.local ? v->proxy.local : "0.0.0.0/0");
		add_ts(j, c, false, v->proxy.remote ? v->proxy.remote : "0.0.0.0/0");
		return 0;
	}
	for (size_t i = 0; i < j->nsecs; i++) {
		struct jn_secpol *s = &j->secs[i];
		bool reverse = false;

		if (!same(s->vpn, v->name))
			continue;
		/* the pair policy back from the peer mirrors one already seen: same SA */
		for (size_t k = 0; k < i; k++)
			if (same(j->secs[k].vpn, v->name) && j->secs[k].nsrc == s->ndst &&
			    j->secs[k].ndst == s->nsrc && s->nsrc &&
			    same(j->secs[k].src[0], s->dst[0]) && same(j->secs[k].dst[0], s->src[0]))
				reverse = true;
		if (reverse)
			continue;
		snprintf(name, sizeof name, "%s/%s", v->name, strrchr(s->key, '/') + 1);
		if (!(c = vpn_child(j, peer, v, name, s->line)))
			return -1;
		for (size_t k = 0; k < s->nsrc; k++)
			add_ts(j, c, true, s->src[k]);
		for (size_t k = 0; k < s->ndst; k++)
			add_ts(j, c, false, s->dst[k]);
		any = true;
	}
	if (any)
		return 0;
	if (!(c = vpn_child(j, peer, v, v->name, v->line)))
		return -1;
	add_ts(j, c, true, "0.0.0.0/0");
	add_ts(j, c, false, "0.0.0.0/0");
	return 0;
}

static int jn_peer(struct jn *j, struct jn_gw *g)
{
	struct devconf_peer *p = devconf_add_peer(j->m, g->name, g->line);
	struct jn_policy *pol;

	if (!p)
		return oom(j);
	p->remote_addr = g->addr;
	p->local_addr = g->local_addr ? g->local_addr : g->ext_if;
	p->local_id = g->local_id;
	p->remote_id = g->remote_id;
	p->ike_versions = g->version ? g->version : 1; /* v1-only unless told */
	p->initiate_version = p->ike_versions;
	if (g->no_natt)
		p->natt = 0;
	if ((pol = find_policy(j, g->policy, false)) != NULL) {
		p->aggressive = pol->aggressive && p->ike_versions == 1;
		p->psk_set = pol->psk_set;
		p->psk_weak = pol->psk_weak;
		policy_proposals(j, pol, false, p->ike, &p->nike, &p->ike_lifetime_s, NULL);
	} else if (g->policy) {
		j->m->skipped++;
	}
	if (g->dpd) {
		p->dpd_delay_s = g->interval ? g->interval : 10;
		p->dpd_retries = g->threshold ? g->threshold : 5;
		p->dpd_timeout_s = p->dpd_delay_s * p->dpd_retries;
		p->dpd_action = DEVCONF_DPD_CLEAR; /* the SAs are deleted */
	}
	for (size_t i = 0; i < j->nvpns; i++) {
		struct jn_vpn *v = &j->vpns[i];

		if (!same(v->gw, g->name))
			continue;
		if (v->bind_if) {
			p->route_based = true;
			if (!p->tunnel_if)
				p->tunnel_if = v->bind_if;
		}
		if (p->startup == DEVCONF_START_UNKNOWN || v->establish == DEVCONF_START_INITIATE)
			p->startup = v->establish ? v->establish : DEVCONF_START_ON_TRAFFIC;
		if (vpn_children(j, p, v) < 0)
			return oom(j);
	}
	return 0;
}

static int jn_unused(struct jn *j)
{
	for (int esp = 0; esp <= 1; esp++)
		for (size_t i = 0; i < j->nprops[esp]; i++) {
			struct jn_prop *p = &j->props[esp][i];
			struct devconf_unused *u;

			if (p->used || p->esp != (esp == 1))
				continue;
			if (!(u = ARENA_PUSH(&j->m->arena, j->m->unused, j->m->nunused,
					     j->m->cap_unused)))
				return oom(j);
			u->name = p->name;
			u->line = p->line;
			u->esp = p->esp;
			build(p, &u->p, &u->note);
			u->lifetime_s = p->life_s ? p->life_s : DEVCONF_UNSET;
		}
	return 0;
}

int devconf_parse_junos(const char *text, size_t len, struct devconf_model *m,
			struct diag_error *err)
{
	struct jn j = {.m = m, .err = err};

	j.collect = true;
	if (jn_read(&j, text, len) < 0)
		return -1;
	j.collect = false;
	if (jn_read(&j, text, len) < 0)
		return -1;
	for (size_t i = 0; i < j.ngws; i++)
		if (jn_peer(&j, &j.gws[i]) < 0)
			return -1;
	for (size_t i = 0; i < j.nvpns; i++)
		if (!j.vpns[i].gw || !devconf_find_peer(m, j.vpns[i].gw))
			m->skipped++; /* a VPN without a (known) gateway */
	return jn_unused(&j);
}
