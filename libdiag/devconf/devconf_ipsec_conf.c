/* ipsec.conf, strongSwan's (stroke, m->format DEVCONF_STRONGSWAN_IPSEC) and libreswan's /
 * openswan's (DEVCONF_LIBRESWAN). Sections start in column 0 ("conn NAME", "config setup",
 * "ca NAME"); their parameters are indented "key=value" lines (value optionally "quoted",
 * '#' starts a comment outside quotes). "include" lines are skipped and counted (the files
 * they name are not read); so are config setup, ca sections and unknown top-level lines.
 *
 * A conn's value for a key is its own (the last one written), else the first found in
 * the conns it names with also= (depth first, in order, MAX_ALSO deep, each conn once,
 * MAX_ORDER conns in all), else conn %default's. auto= is inherited like any value:
 * conns with auto=ignore (their own or inherited) are templates and give no peer. An
 * also= naming a conn that is not in the file is counted in skipped (it may live in an
 * included file). A file whose inheritance makes lookups compare more than MAX_WORK
 * pairs is refused (no real file comes near).
 *
 * Which side is local: left, the convention of both projects' documentation and of
 * AWS's own templates, unless right=%defaultroute while left is not (then right). The
 * local side gives local_addr, local_id and the local traffic selectors.
 *
 * One conn is one peer with one child named after it; libreswan's leftsubnets= /
 * rightsubnets= ({a b} or a,b) give one child per pair, named conn/LxR as pluto does.
 * strongSwan's comma-separated leftsubnet= is one child with several selectors.
 *
 * Mapping: keyexchange (ikev1 / ikev2 / ike = both; absent: both, strongSwan's default;
 * libreswan ignores "ike") and libreswan's ikev2= (no/never: v1, permit: both,
 * yes/propose/insist: v2, absent: v2, libreswan 4's default); ike= and esp= / libreswan
 * phase2alg= (a trailing '!' dropped; libreswan's names, ';' before the DH group and '+'
 * between alternatives rewritten in strongSwan's words first; a libreswan IKE proposal
 * without a DH group gets libreswan's default groups); ikelifetime; lifetime / keylife /
 * salifetime; dpddelay, dpdtimeout, dpdaction (restart_by_peer: restart); auto (start:
 * initiate; route / ondemand: on traffic; add: respond-only; absent: unknown, as both
 * default to ignore, a conn loaded only by hand); aggressive /
 * aggrmode; authby=secret|psk or leftauth/rightauth=psk: psk_set (the key is in
 * ipsec.secrets, which is not read here, so psk_weak stays false); vti-interface,
 * ipsec-interface, leftvti / rightvti, if_id_in / if_id_out: route-based; mark /
 * mark_in / mark_out: route-based when the selectors are all 0.0.0.0/0 or ::/0 (a VTI;
 * a mark on narrower selectors is policy routing); forceencaps / encapsulation: NAT-T
 * (yes: forced, auto or forceencaps=no: on, encapsulation=no: off). rekey is read but
 * has no place in the model. Everything else is counted in skipped, once per line. */
#include "libdiag/devconf/devconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ALSO 8

struct kv {
	const char *key, *val;
	int line;
	bool used;
};

struct conn {
	const char *name;
	int line;
	struct kv *kvs;
	size_t nkvs, cap;
	bool is_default;
};

#define MAX_ORDER 32
/* Pairs a whole file's lookups may compare: far above any real file, it stops a crafted
 * one (thousands of conns each inheriting a huge %default or also= conn) from taking
 * minutes. */
#define MAX_WORK (50u * 1000 * 1000)
#define MAX_DEFAULTS 8

struct conf {
	struct devconf_model *m;
	struct diag_error *err;
	struct conn *conns;
	size_t nconns, cap;
	bool libreswan;
	struct conn **byname;   /* the conns but %default, sorted by name */
	size_t nbyname;
	struct conn *defaults[MAX_DEFAULTS];
	size_t ndefaults;
	struct conn *order[MAX_ORDER]; /* where the current conn's values come from */
	size_t norder;
	size_t work;            /* pairs compared in lookups, against MAX_WORK */
};

/* ---- lines ------------------------------------------------------------------------------ */

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int oom(struct conf *cf)
{
	return diag_fail(cf->err, DIAG_EXIT_SOFTWARE, cf->m->file, "out of memory");
}

/* One indented "key=value" line l[0..n) into the conn (or counted when there is none). */
static int param(struct conf *cf, struct conn *c, const char *l, size_t n, int line)
{
	size_t k = 0, ke, v, ve;
	int klen;
	struct kv *kv;

	while (k < n && blank(l[k]))
		k++;
	if (k == n || l[k] == '#')
		return 0;
	if (!c) {
		cf->m->skipped++;
		return 0;
	}
	for (ke = k; ke < n && l[ke] != '=' && !blank(l[ke]); ke++)
		;
	for (v = ke; v < n && blank(l[v]); v++)
		;
	klen = (int)((ke - k) > 40 ? 40 : (ke - k));
	if (v == n || l[v] != '=' || ke == k)
		return devconf_fail(cf->m, line, cf->err, "'%.*s' is not key=value", klen, l + k);
	for (v++; v < n && blank(l[v]); v++)
		;
	if (v < n && l[v] == '"') {
		for (ve = ++v; ve < n && l[ve] != '"'; ve++)
			;
		if (ve == n)
			return devconf_fail(cf->m, line, cf->err, "%.*s: quoted value is not closed",
					    klen, l + k);
	} else {
		for (ve = v; ve < n && l[ve] != '#'; ve++)
			;
		while (ve > v && blank(l[ve - 1]))
			ve--;
	}
	if (!(kv = ARENA_PUSH(&cf->m->arena, c->kvs, c->nkvs, c->cap)))
		return oom(cf);
	kv->line = line;
	kv->used = false;
	kv->key = devconf_strdup(cf->m, l + k, ke - k);
	kv->val = devconf_strdup(cf->m, l + v, ve - v);
	if (!kv->key || !kv->val)
		return oom(cf);
	return 0;
}

/* Reads the text into conns; returns 0 or -1 with err. */
static int read_conf(struct conf *cf, const char *text, size_t len)
{
	struct conn *c = NULL;
	int line = 0;

	for (size_t i = 0; i < len;) {
		size_t e = i, n;
		const char *l = text + i;

		while (e < len && text[e] != '\n')
			e++;
		n = e - i;
		i = e + 1;
		line++;
		if (n && blank(l[0])) {
			if (param(cf, c, l, n, line) < 0)
				return -1;
			continue;
		}
		if (n == 0 || l[0] == '#' || l[0] == '\r')
			continue;
		if (n >= 5 && memcmp(l, "conn", 4) == 0 && blank(l[4])) {
			size_t s = 4, t;

			while (s < n && blank(l[s]))
				s++;
			for (t = s; t < n && !blank(l[t]) && l[t] != '#'; t++)
				;
			if (t == s)
				return devconf_fail(cf->m, line, cf->err, "conn without a name");
			if (!(c = ARENA_PUSH(&cf->m->arena, cf->conns, cf->nconns, cf->cap)))
				return oom(cf);
			memset(c, 0, sizeof *c);
			c->name = devconf_strdup(cf->m, l + s, t - s);
			c->line = line;
			if (!c->name)
				return oom(cf);
			c->is_default = strcmp(c->name, "%default") == 0;
			continue;
		}
		/* config setup, ca NAME, include, version: not a conn; their lines counted */
		cf->m->skipped++;
		c = NULL;
	}
	return 0;
}

/* ---- lookups through also= and %default ------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
	const struct conn *x = *(const struct conn *const *)a, *y = *(const struct conn *const *)b;
	int d = strcmp(x->name, y->name);

	return d ? d : (x < y ? -1 : x > y);
}

/* Sorts the conns by name (cf->byname) and collects the %default ones, so lookups stay
 * fast in a file of many conns. Returns 0, or -1 on memory. */
static int index_conns(struct conf *cf)
{
	size_t n = 0;

	cf->byname = arena_alloc(&cf->m->arena, (cf->nconns ? cf->nconns : 1) * sizeof *cf->byname);
	if (!cf->byname)
		return oom(cf);
	for (size_t i = 0; i < cf->nconns; i++) {
		if (cf->conns[i].is_default) {
			if (cf->ndefaults < MAX_DEFAULTS)
				cf->defaults[cf->ndefaults++] = &cf->conns[i];
		} else {
			cf->byname[n++] = &cf->conns[i];
		}
	}
	cf->nbyname = n;
	qsort(cf->byname, n, sizeof *cf->byname, by_name);
	return 0;
}

/* The first conn (in file order) of that name, or NULL. */
static struct conn *find_conn(struct conf *cf, const char *name)
{
	size_t lo = 0, hi = cf->nbyname;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(cf->byname[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cf->nbyname && strcmp(cf->byname[lo]->name, name) == 0 ? cf->byname[lo]
									       : NULL;
}

/* The conns a conn's values come from, in order: itself, its also= conns depth first (at
 * most MAX_ALSO deep, each once), then the %default ones; at most MAX_ORDER in all. */
static void resolve_order(struct conf *cf, struct conn *c, int depth)
{
	for (size_t i = 0; i < cf->norder; i++)
		if (cf->order[i] == c)
			return;
	if (cf->norder >= MAX_ORDER)
		return;
	cf->order[cf->norder++] = c;
	if (depth >= MAX_ALSO)
		return;
	for (size_t i = 0; i < c->nkvs; i++) {
		struct conn *a;

		if (strcmp(c->kvs[i].key, "also") == 0 && (a = find_conn(cf, c->kvs[i].val)))
			resolve_order(cf, a, depth + 1);
	}
}

static void set_order(struct conf *cf, struct conn *c)
{
	cf->norder = 0;
	resolve_order(cf, c, 0);
	for (size_t i = 0; i < cf->ndefaults && cf->norder < MAX_ORDER; i++)
		cf->order[cf->norder++] = cf->defaults[i];
}

/* The value of a key for the conn set_order was last called for: the last one written
 * in the first conn of the order that has one. Every pair of that key in the order is
 * marked used (an overridden value was understood, not skipped). */
static struct kv *lookup(struct conf *cf, struct conn *c, const char *key)
{
	struct kv *found = NULL;

	(void)c;
	for (size_t i = 0; i < cf->norder; i++) {
		struct kv *here = NULL;

		cf->work += cf->order[i]->nkvs;
		for (size_t k = 0; k < cf->order[i]->nkvs; k++)
			if (strcmp(cf->order[i]->kvs[k].key, key) == 0) {
				cf->order[i]->kvs[k].used = true;
				here = &cf->order[i]->kvs[k];
			}
		if (!found)
			found = here;
	}
	return found;
}

static const char *get(struct conf *cf, struct conn *c, const char *key)
{
	struct kv *kv = lookup(cf, c, key);

	return kv ? kv->val : NULL;
}

/* ---- values ----------------------------------------------------------------------------- */

static bool yes(const char *v)
{
	return v && (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0);
}

/* A time ("1h", "20m", "28800s", "28800", "1d"); -1 when it is not one. */
static long parse_time(const char *s)
{
	char *end;
	long v, mult = 1;

	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	switch (*end) {
	case '\0': case 's': break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	default: return -1;
	}
	if (*end && end[1])
		return -1;
	if (v > 2147483647L / mult)
		return -1;
	return v * mult;
}

static int get_time(struct conf *cf, struct conn *c, const char *key, long *out)
{
	struct kv *kv = lookup(cf, c, key);
	long t;

	if (!kv)
		return 0;
	if ((t = parse_time(kv->val)) < 0)
		return devconf_fail(cf->m, kv->line, cf->err, "%s: not a time ('%.40s')", key,
				    kv->val);
	*out = t;
	return 0;
}

/* libreswan's AES forms after "aes": a mode (_cbc, _ctr, _gcm[_a|_b|_c], _ccm[_a|_b|_c])
 * then an optional key length (128, 192, 256, optionally after '_'), into strongSwan's
 * "aes256gcm16" in out. false when s is not one. */
static bool aes_mode(const char *s, char *out, size_t outlen)
{
	static const struct {
		const char *ls, *ss;
	} modes[] = {
		{ "_cbc", "" },        { "_ctr", "ctr" },     { "_gcm_a", "gcm8" },
		{ "_gcm_b", "gcm12" }, { "_gcm_c", "gcm16" }, { "_gcm", "gcm16" },
		{ "_ccm_a", "ccm8" },  { "_ccm_b", "ccm12" }, { "_ccm_c", "ccm16" },
		{ "_ccm", "ccm16" },
	};

	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		size_t ml = strlen(modes[i].ls);
		const char *k = s + ml;

		if (strncmp(s, modes[i].ls, ml) != 0)
			continue;
		if (*k == '_')
			k++;
		if (*k == '\0') {
			snprintf(out, outlen, "aes128%s", modes[i].ss);
			return true;
		}
		if ((strcmp(k, "128") == 0 || strcmp(k, "192") == 0 || strcmp(k, "256") == 0)) {
			snprintf(out, outlen, "aes%s%s", k, modes[i].ss);
			return true;
		}
		return false;
	}
	return false;
}

/* One libreswan algorithm name in strongSwan's words into out ("aes_gcm256" ->
 * "aes256gcm16", "sha2" -> "sha256", "dh14" -> "modp2048"); "" for "null" integrity
 * (AEAD). Names it does not know are passed on lower-cased. */
static void libreswan_alg(const char *s, size_t n, char *out, size_t outlen)
{
	static const char *const dh[] = {
		[1] = "modp768", [2] = "modp1024", [5] = "modp1536", [14] = "modp2048",
		[15] = "modp3072", [16] = "modp4096", [17] = "modp6144", [18] = "modp8192",
		[19] = "ecp256", [20] = "ecp384", [21] = "ecp521", [22] = "modp1024s160",
		[23] = "modp2048s224", [24] = "modp2048s256", [31] = "curve25519",
		[32] = "curve448",
	};
	char w[64];
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < sizeof w; i++)
		w[o++] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	w[o] = '\0';
	if (strncmp(w, "dh", 2) == 0 && w[2] >= '0' && w[2] <= '9') {
		long g = strtol(w + 2, NULL, 10);

		if (g > 0 && g < (long)(sizeof dh / sizeof dh[0]) && dh[g]) {
			snprintf(out, outlen, "%s", dh[g]);
			return;
		}
	}
	if (strcmp(w, "null") == 0 || strcmp(w, "none") == 0) {
		out[0] = '\0';
		return;
	}
	if (strcmp(w, "sha2") == 0) {
		snprintf(out, outlen, "sha256");
		return;
	}
	if (strncmp(w, "aes", 3) == 0 && strchr(w, '_') && aes_mode(w + 3, out, outlen))
		return;
	snprintf(out, outlen, "%s", w);
}

/* A proposal as written into strongSwan's syntax in out: the '!' dropped; for libreswan
 * ';' and '+' become '-' and each name is translated. Returns false when it does not
 * fit. */
static bool normalize(const char *s, size_t n, bool libreswan, char *out, size_t outlen)
{
	size_t o = 0;

	while (n && (s[n - 1] == '!' || blank(s[n - 1])))
		n--;
	if (!libreswan) {
		if (n >= outlen)
			return false;
		memcpy(out, s, n);
		out[n] = '\0';
		return true;
	}
	for (size_t i = 0; i < n;) {
		size_t t = i;
		char alg[64];

		while (t < n && !strchr("-;+", s[t]))
			t++;
		libreswan_alg(s + i, t - i, alg, sizeof alg);
		if (alg[0]) {
			size_t al = strlen(alg);

			if (o + al + 2 >= outlen)
				return false;
			if (o)
				out[o++] = '-';
			memcpy(out + o, alg, al);
			o += al;
		}
		i = t + 1;
	}
	out[o] = '\0';
	return true;
}

/* Has the proposal a DH group (a token strongSwan names modp*, ecp*, curve*, x25519, ...)? */
static bool has_dh(const char *p)
{
	static const char *const pre[] = { "modp", "ecp", "curve", "x25519", "x448", "mlkem",
					   "ntru", "newhope", "ke", "dh" };

	for (const char *q = p; *q;) {
		size_t n = strcspn(q, "-");

		for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
			if (strncmp(q, pre[i], strlen(pre[i])) == 0)
				return true;
		q += n;
		if (*q)
			q++;
	}
	return false;
}

/* Parses buf (the proposal as written, written[0..wlen), in strongSwan's words) into
 * list[*n] (past DEVCONF_PROPOSALS_MAX: counted in skipped). An error names the key and
 * the proposal as written, not the rewritten form. */
static int add_proposal(struct conf *cf, const struct kv *kv, const char *written, size_t wlen,
			const char *buf, bool esp, struct ike_proposal *list, size_t *n)
{
	struct diag_error e = { 0 };
	char msg[400];
	const char *what;
	size_t skip = strlen("proposal: ") + strlen(buf) + 2;

	if (*n >= DEVCONF_PROPOSALS_MAX) {
		cf->m->skipped++;
		return 0;
	}
	if (ike_proposal_parse_ex(buf, (esp ? IKE_PROP_ESP : 0) | IKE_PROP_LENIENT, &list[*n],
				  &e) == 0) {
		(*n)++;
		return 0;
	}
	/* "proposal: BUF: what" -> what */
	what = diag_error_text(&e, msg, sizeof msg);
	what = strlen(what) > skip ? what + skip : what;
	return devconf_fail(cf->m, kv->line, cf->err, "%s: %.*s: %s", kv->key,
			    (int)(wlen > 100 ? 100 : wlen), written, what);
}

/* ike= or esp= / phase2alg= (comma-separated proposals) into list. */
static int proposals(struct conf *cf, struct kv *kv, bool esp, bool v1_only,
		     struct ike_proposal *list, size_t *n)
{
	for (const char *s = kv ? kv->val : NULL; s && *s;) {
		size_t len = strcspn(s, ",");
		const char *b = s;
		char buf[600];

		while (len && blank(*b))
			b++, len--;
		s += strcspn(s, ",");
		if (*s)
			s++;
		if (!len)
			continue;
		if (!normalize(b, len, cf->libreswan, buf, sizeof buf - 100))
			return devconf_fail(cf->m, kv->line, cf->err, "%s: proposal too long",
					    kv->key);
		/* libreswan fills a missing IKE DH group from its defaults: for IKEv2
		 * MODP2048/3072/4096/8192 and DH19/20/21/31, for IKEv1 MODP2048 and MODP1536
		 * (libreswan 4's lists, as we read them) */
		if (cf->libreswan && !esp && buf[0] && !has_dh(buf))
			strcat(buf, v1_only ? "-modp2048-modp1536"
					    : "-modp2048-modp3072-modp4096-modp8192-ecp256-"
					      "ecp384-ecp521-curve25519");
		if (buf[0] && add_proposal(cf, kv, b, len, buf, esp, list, n) < 0)
			return -1;
	}
	return 0;
}

/* ---- conn -> peer ----------------------------------------------------------------------- */

/* The subnets of one side ("a,b", "{a b}", "a b") split into items, each passed to fn. */
static size_t split_subnets(const char *v, const char **items, size_t *lens, size_t max)
{
	size_t n = 0;

	while (v && *v && n < max) {
		size_t l;

		while (*v && (blank(*v) || *v == ',' || *v == '{' || *v == '}'))
			v++;
		l = strcspn(v, " \t,{}");
		if (!l)
			break;
		items[n] = v;
		lens[n++] = l;
		v += l;
	}
	return n;
}

static enum devconf_dpd_action dpd_action(const char *v)
{
	if (!v)
		return DEVCONF_DPD_UNKNOWN;
	if (strcmp(v, "clear") == 0)
		return DEVCONF_DPD_CLEAR;
	if (strcmp(v, "hold") == 0 || strcmp(v, "trap") == 0)
		return DEVCONF_DPD_HOLD;
	if (strncmp(v, "restart", 7) == 0)
		return DEVCONF_DPD_RESTART;
	if (strcmp(v, "none") == 0)
		return DEVCONF_DPD_NONE;
	return DEVCONF_DPD_UNKNOWN;
}

static unsigned versions(struct conf *cf, struct conn *c)
{
	const char *kx = get(cf, c, "keyexchange");
	const char *v2;

	if (kx && strcmp(kx, "ikev1") == 0)
		return 1;
	if (kx && strcmp(kx, "ikev2") == 0)
		return 2;
	if (!cf->libreswan)
		return 3;
	v2 = get(cf, c, "ikev2");
	if (v2 && (strcmp(v2, "no") == 0 || strcmp(v2, "never") == 0))
		return 1;
	if (v2 && strcmp(v2, "permit") == 0)
		return 3;
	return 2;
}

/* Do the child's selectors all cover everything (0.0.0.0/0, ::/0), one at least on each
 * side? With a mark that is a VTI; a mark on narrower selectors is policy routing. */
static bool wide_ts(const struct devconf_child *c)
{
	if (!c->nlocal_ts || !c->nremote_ts)
		return false;
	for (size_t i = 0; i < c->nlocal_ts + c->nremote_ts; i++) {
		const char *ts = i < c->nlocal_ts ? c->local_ts[i] : c->remote_ts[i - c->nlocal_ts];

		if (strcmp(ts, "0.0.0.0/0") != 0 && strcmp(ts, "::/0") != 0)
			return false;
	}
	return true;
}

/* Route-based markers: a VTI or XFRM interface named, or a mark on 0.0.0.0/0 selectors
 * (called once the children are in). */
static void route_based(struct conf *cf, struct conn *c, struct devconf_peer *p)
{
	static const char *const keys[] = { "vti-interface", "ipsec-interface", "leftvti",
					    "rightvti", "if_id_in", "if_id_out", "mark",
					    "mark_in", "mark_out" };
	bool wide = p->nchildren && wide_ts(&p->children[0]);

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *v = get(cf, c, keys[i]);
		char buf[80];

		if (!v || !*v || strcmp(v, "no") == 0 || strcmp(v, "0") == 0 || (i >= 6 && !wide))
			continue;
		p->route_based = true;
		if (p->tunnel_if)
			continue;
		if (i == 0)
			snprintf(buf, sizeof buf, "%.60s", v);
		else
			snprintf(buf, sizeof buf, "%s=%.50s", keys[i], v);
		p->tunnel_if = devconf_strdup(cf->m, buf, strlen(buf));
	}
}

static int add_children(struct conf *cf, struct conn *c, struct devconf_peer *p, bool left_local)
{
	const char *ls[DEVCONF_TS_MAX], *rs[DEVCONF_TS_MAX];
	size_t ll[DEVCONF_TS_MAX], rl[DEVCONF_TS_MAX], nl, nr;
	const char *lsn = get(cf, c, left_local ? "leftsubnets" : "rightsubnets");
	const char *rsn = get(cf, c, left_local ? "rightsubnets" : "leftsubnets");
	const char *lsub = get(cf, c, left_local ? "leftsubnet" : "rightsubnet");
	const char *rsub = get(cf, c, left_local ? "rightsubnet" : "leftsubnet");
	struct devconf_child proto, *ch;
	long life = DEVCONF_UNSET;

	memset(&proto, 0, sizeof proto);
	if (proposals(cf, lookup(cf, c, "esp"), true, false, proto.esp, &proto.nesp) < 0 ||
	    proposals(cf, lookup(cf, c, "phase2alg"), true, false, proto.esp, &proto.nesp) < 0)
		return -1;
	for (size_t i = 0; i < proto.nesp; i++) {
		const struct ike_transform *dh = ike_proposal_first(&proto.esp[i], IKE_T_DH);

		proto.pfs_set |= dh && dh->id != 0;
	}
	if (get_time(cf, c, "lifetime", &life) < 0 || get_time(cf, c, "keylife", &life) < 0 ||
	    get_time(cf, c, "salifetime", &life) < 0)
		return -1;
	if (!lsn && !rsn) {
		nl = split_subnets(lsub, ls, ll, DEVCONF_TS_MAX);
		nr = split_subnets(rsub, rs, rl, DEVCONF_TS_MAX);
		if (!(ch = devconf_add_child(cf->m, p, c->name, c->line)))
			return oom(cf);
		ch->lifetime_s = life;
		memcpy(ch->esp, proto.esp, sizeof proto.esp);
		ch->nesp = proto.nesp;
		ch->pfs_set = proto.pfs_set;
		for (size_t i = 0; i < nl; i++)
			devconf_add_ts(cf->m, ch, true, ls[i], ll[i]);
		for (size_t i = 0; i < nr; i++)
			devconf_add_ts(cf->m, ch, false, rs[i], rl[i]);
		return 0;
	}
	/* libreswan: one child per (local, remote) pair, conn/LxR */
	nl = split_subnets(lsn ? lsn : lsub, ls, ll, DEVCONF_TS_MAX);
	nr = split_subnets(rsn ? rsn : rsub, rs, rl, DEVCONF_TS_MAX);
	for (size_t i = 0; i < (nl ? nl : 1); i++)
		for (size_t k = 0; k < (nr ? nr : 1); k++) {
			char name[200];

			snprintf(name, sizeof name, "%.150s/%zux%zu", c->name, i + 1, k + 1);
			if (!(ch = devconf_add_child(cf->m, p, name, c->line)))
				return oom(cf);
			ch->lifetime_s = life;
			memcpy(ch->esp, proto.esp, sizeof proto.esp);
			ch->nesp = proto.nesp;
			ch->pfs_set = proto.pfs_set;
			if (nl)
				devconf_add_ts(cf->m, ch, true, ls[i], ll[i]);
			if (nr)
				devconf_add_ts(cf->m, ch, false, rs[k], rl[k]);
		}
	return 0;
}

static int conn_peer(struct conf *cf, struct conn *c)
{
	const char *autov = get(cf, c, "auto"), *v;
	const char *left = get(cf, c, "left"), *right = get(cf, c, "right");
	bool left_local = !(right && strcmp(right, "%defaultroute") == 0 &&
			    !(left && strcmp(left, "%defaultroute") == 0));
	struct devconf_peer *p;

	if (autov && strcmp(autov, "ignore") == 0)
		return 0;
	if (!(p = devconf_add_peer(cf->m, c->name, c->line)))
		return oom(cf);
	p->local_addr = left_local ? left : right;
	p->remote_addr = left_local ? right : left;
	p->local_id = get(cf, c, left_local ? "leftid" : "rightid");
	p->remote_id = get(cf, c, left_local ? "rightid" : "leftid");
	p->ike_versions = versions(cf, c);
	p->aggressive = yes(get(cf, c, "aggressive")) || yes(get(cf, c, "aggrmode"));
	if (proposals(cf, lookup(cf, c, "ike"), false, p->ike_versions == 1, p->ike, &p->nike) < 0)
		return -1;
	if (get_time(cf, c, "ikelifetime", &p->ike_lifetime_s) < 0 ||
	    get_time(cf, c, "dpddelay", &p->dpd_delay_s) < 0 ||
	    get_time(cf, c, "dpdtimeout", &p->dpd_timeout_s) < 0)
		return -1;
	p->dpd_action = dpd_action(get(cf, c, "dpdaction"));
	if (!autov)
		p->startup = DEVCONF_START_UNKNOWN; /* both default to ignore: loaded by hand */
	else if (strcmp(autov, "add") == 0)
		p->startup = DEVCONF_START_RESPOND;
	else if (strcmp(autov, "start") == 0)
		p->startup = DEVCONF_START_INITIATE;
	else if (strcmp(autov, "route") == 0 || strcmp(autov, "ondemand") == 0)
		p->startup = DEVCONF_START_ON_TRAFFIC;
	if ((v = get(cf, c, "authby")) != NULL && (strcmp(v, "secret") == 0 ||
						   strcmp(v, "psk") == 0))
		p->psk_set = true;
	if (((v = get(cf, c, "leftauth")) != NULL && strcmp(v, "psk") == 0) ||
	    ((v = get(cf, c, "rightauth")) != NULL && strcmp(v, "psk") == 0))
		p->psk_set = true;
	if ((v = get(cf, c, "forceencaps")) != NULL)
		p->natt = yes(v) ? 2 : 1;
	if ((v = get(cf, c, "encapsulation")) != NULL)
		p->natt = yes(v) ? 2 : strcmp(v, "no") == 0 ? 0 : 1;
	get(cf, c, "rekey");
	if (add_children(cf, c, p, left_local) < 0)
		return -1;
	route_based(cf, c, p);
	return 0;
}

int devconf_parse_ipsec_conf(const char *text, size_t len, struct devconf_model *m,
			     struct diag_error *err)
{
	struct conf cf;

	memset(&cf, 0, sizeof cf);
	cf.m = m;
	cf.err = err;
	cf.libreswan = m->format == DEVCONF_LIBRESWAN;
	if (read_conf(&cf, text, len) < 0 || index_conns(&cf) < 0)
		return -1;
	for (size_t i = 0; i < cf.nconns; i++) {
		if (cf.conns[i].is_default)
			continue;
		set_order(&cf, &cf.conns[i]);
		if (conn_peer(&cf, &cf.conns[i]) < 0)
			return -1;
		if (cf.work > MAX_WORK)
			return devconf_fail(m, cf.conns[i].line, err,
					    "conn %.60s: too many values inherited through also= "
					    "and %%default (more than %u lookups in all)",
					    cf.conns[i].name, MAX_WORK);
	}
	for (size_t i = 0; i < cf.nconns; i++)
		for (size_t k = 0; k < cf.conns[i].nkvs; k++) {
			struct kv *kv = &cf.conns[i].kvs[k];

			if (strcmp(kv->key, "also") == 0) {
				kv->used = find_conn(&cf, kv->val) != NULL;
			}
			m->skipped += !kv->used;
		}
	return 0;
}
