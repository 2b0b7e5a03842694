/* Palo Alto PAN-OS, as the XML configuration (read with libdiag/xml.h into a cJSON tree)
 * or as "set" commands ("set network ike gateway GW peer-address ip 192.0.2.1"), which
 * are first turned into the very tree the XML would give (entry names become
 * {"entry": [{"@name": ..., "@line": ...}]}, "[ a b ]" becomes {"member": [a, b]}), so
 * one reader serves both.
 *
 * Under every <network> element: ike/crypto-profiles/ike-crypto-profiles and
 * ipsec-crypto-profiles, ike/gateway (one peer each) and tunnel/ipsec (the children of
 * their gateway: one per proxy-id, or one 0.0.0.0/0 when there is none — PAN-OS is
 * route-based, the tunnel has a tunnel-interface). A profile no gateway or tunnel names
 * is listed as unused.
 *
 * Proposals: IKEv2 sends one proposal with every algorithm of the profile (AES-GCM in
 * a second one, since AEAD and non-AEAD ciphers cannot share a proposal); IKEv1 sends
 * every combination as its own transform. ikev2-preferred gateways are modelled with
 * their IKEv2 profile. Documented defaults filled in: protocol version ikev1, profile
 * "default" when none is named, NAT-T off, DPD interval 5 and retry 5 when enabled,
 * exchange-mode auto (main mode as initiator). XML gives no line numbers: peers and
 * children from XML have line 0, and errors name the element path instead. */
#include "libdiag/devconf/devconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/xml.h"

#define PA_MAX_LIST 16
#define PA_MAX_WORDS 128
#define PA_MAX_DEPTH 64 /* recursion while looking for <network> (xml.h caps depth too) */
#define PA_MAX_MEMBERS 4096 /* names at one level of a "set" tree */

struct pa {
	struct devconf_model *m;
	struct diag_error *err;
	cJSON *ike_profiles[4096], *ipsec_profiles[4096];
	bool ike_used[4096], ipsec_used[4096];
	size_t nike, nipsec;
	const cJSON *tunnels[4096];
	size_t ntunnels;
	cJSON *gws[4096];
	size_t ngws;
};

static int oom(struct pa *a)
{
	return diag_fail(a->err, DIAG_EXIT_SOFTWARE, a->m->file, "out of memory");
}

/* ---- reading the tree ------------------------------------------------------------------ */

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

static const cJSON *path(const cJSON *o, const char *a, const char *b, const char *c)
{
	o = get(o, a);
	if (b)
		o = get(o, b);
	if (c)
		o = get(o, c);
	return o;
}

/* An element's text: a string, or an object's "#text"; NULL otherwise. */
static const char *text(const cJSON *v)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsObject(v) && cJSON_IsString(get(v, "#text")))
		return get(v, "#text")->valuestring;
	return NULL;
}

static const char *name_of(const cJSON *entry)
{
	return text(get(entry, "@name"));
}

static int line_of(const cJSON *entry)
{
	const char *l = text(get(entry, "@line"));

	return l ? atoi(l) : 0;
}

/* A <member> list (or a bare text) as strings, at most PA_MAX_LIST. */
static size_t members(const cJSON *v, const char **out)
{
	size_t n = 0;
	const cJSON *list = cJSON_IsObject(v) ? get(v, "member") : v;

	if (cJSON_IsString(v) && v->valuestring[0]) {
		out[0] = v->valuestring;
		return 1;
	}
	for (const cJSON *e = xml_list_first(list); e && n < PA_MAX_LIST;
	     e = xml_list_next(list, e))
		if (text(e) && text(e)[0])
			out[n++] = text(e);
	return n;
}

static bool yes(const cJSON *v)
{
	const char *t = text(v);

	return t && strcmp(t, "yes") == 0;
}

/* A whole number; -1 for anything else (the caller names the element). */
static long number(const char *s)
{
	long v = 0;
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* <lifetime><hours>8</hours></lifetime> in seconds, DEVCONF_UNSET when absent. Returns
 * 0, or -1 with err naming the element. */
static int lifetime(struct pa *a, const cJSON *entry, const char *where, long *out)
{
	static const struct {
		const char *unit;
		long mult;
	} units[] = {{"seconds", 1}, {"minutes", 60}, {"hours", 3600}, {"days", 86400}};
	const cJSON *lt = get(entry, "lifetime");

	*out = DEVCONF_UNSET;
	if (!lt)
		return 0;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		const cJSON *v = get(lt, units[i].unit);
		long n;

		if (!v)
			continue;
		if ((n = number(text(v))) < 0)
			return devconf_fail(a->m, line_of(entry), a->err,
					    "%s[%s]/lifetime/%s: not a number", where,
					    name_of(entry), units[i].unit);
		*out = n * units[i].mult;
	}
	return 0;
}

/* ---- algorithms --------------------------------------------------------------------- */

static const struct {
	const char *name;
	uint16_t id, keylen;
	bool aead;
} encrs[] = {
	{"des", 2, 0, false},
	{"3des", IKE_ENCR_3DES, 0, false},
	{"aes-128-cbc", IKE_ENCR_AES_CBC, 128, false},
	{"aes-192-cbc", IKE_ENCR_AES_CBC, 192, false},
	{"aes-256-cbc", IKE_ENCR_AES_CBC, 256, false},
	{"aes-128-gcm", IKE_ENCR_AES_GCM_16, 128, true},
	{"aes-256-gcm", IKE_ENCR_AES_GCM_16, 256, true},
	{"aes-128-ccm", 16, 128, true},
	{"null", 11, 0, false},
};

static const struct {
	const char *name;
	uint16_t integ, prf;
} hashes[] = {
	{"md5", IKE_INTEG_HMAC_MD5_96, IKE_PRF_HMAC_MD5},
	{"sha1", IKE_INTEG_HMAC_SHA1_96, IKE_PRF_HMAC_SHA1},
	{"sha256", IKE_INTEG_HMAC_SHA2_256_128, IKE_PRF_HMAC_SHA2_256},
	{"sha384", IKE_INTEG_HMAC_SHA2_384_192, IKE_PRF_HMAC_SHA2_384},
	{"sha512", IKE_INTEG_HMAC_SHA2_512_256, IKE_PRF_HMAC_SHA2_512},
};

static void encr_of(const char *s, uint16_t *id, uint16_t *keylen, bool *aead)
{
	*id = 0xFFFF;
	*keylen = 0;
	*aead = false;
	for (size_t i = 0; i < sizeof encrs / sizeof encrs[0]; i++)
		if (strcmp(encrs[i].name, s) == 0) {
			*id = encrs[i].id;
			*keylen = encrs[i].keylen;
			*aead = encrs[i].aead;
		}
}

/* INTEG and PRF of a hash name; 0 for "none" / "non-auth"; 0xFFFF unknown. */
static void hash_of(const char *s, uint16_t *integ, uint16_t *prf)
{
	*integ = *prf = 0xFFFF;
	if (strcmp(s, "none") == 0 || strcmp(s, "non-auth") == 0) {
		*integ = *prf = 0;
		return;
	}
	for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++)
		if (strcmp(hashes[i].name, s) == 0) {
			*integ = hashes[i].integ;
			*prf = hashes[i].prf;
		}
}

/* "group14" -> 14, "no-pfs" -> 0, else 0xFFFF. */
static uint16_t group_of(const char *s)
{
	long v;

	if (strcmp(s, "no-pfs") == 0)
		return 0;
	if (strncmp(s, "group", 5) != 0 || (v = number(s + 5)) <= 0 || v >= 0xFFFF)
		return 0xFFFF;
	return (uint16_t)v;
}

struct pa_algs {
	const char *enc[PA_MAX_LIST], *hash[PA_MAX_LIST], *dh[PA_MAX_LIST];
	size_t nenc, nhash, ndh;
};

/* One transform list per (AEAD or not) group: IKEv2's way; the group of the profile's
 * first cipher first. */
static void v2_proposals(const struct pa_algs *al, bool esp, struct ike_proposal *list,
			 size_t *n)
{
	uint16_t id0 = 0, kl0 = 0;
	bool aead_first = false;

	if (al->nenc)
		encr_of(al->enc[0], &id0, &kl0, &aead_first);
	for (int round = 0; round < 2; round++) {
		struct ike_proposal p = {0};
		bool any = false;
		int pass = aead_first ? 1 - round : round; /* 1: the AEAD group */

		for (size_t i = 0; i < al->nenc; i++) {
			uint16_t id, kl;
			bool aead;

			encr_of(al->enc[i], &id, &kl, &aead);
			if (aead != (pass == 1))
				continue;
			devconf_add_transform(&p, IKE_T_ENCR, id, kl);
			any = true;
		}
		if (!any && !(pass == 0 && al->nenc == 0))
			continue;
		for (size_t i = 0; i < al->nhash; i++) {
			uint16_t integ, prf;

			hash_of(al->hash[i], &integ, &prf);
			if (!esp && prf)
				devconf_add_transform(&p, IKE_T_PRF, prf, 0);
			if (pass == 0 && integ)
				devconf_add_transform(&p, IKE_T_INTEG, integ, 0);
		}
		for (size_t i = 0; i < al->ndh; i++) {
			uint16_t g = group_of(al->dh[i]);

			if (g)
				devconf_add_transform(&p, IKE_T_DH, g, 0);
		}
		/* transforms sorted by type, as strongSwan lists them */
		for (size_t i = 1; i < p.n; i++)
			for (size_t k = i; k > 0 && p.t[k - 1].type > p.t[k].type; k--) {
				struct ike_transform t = p.t[k];

				p.t[k] = p.t[k - 1];
				p.t[k - 1] = t;
			}
		if (*n < DEVCONF_PROPOSALS_MAX)
			list[(*n)++] = p;
	}
}

/* Every combination of cipher, hash and group as one proposal: IKEv1's way. */
static void v1_proposals(struct pa *a, const struct pa_algs *al, bool esp,
			 struct ike_proposal *list, size_t *n)
{
	size_t nh = al->nhash ? al->nhash : 1, nd = al->ndh ? al->ndh : 1;

	for (size_t d = 0; d < nd; d++)
		for (size_t e = 0; e < al->nenc; e++)
			for (size_t h = 0; h < nh; h++) {
				struct ike_proposal p = {0};
				uint16_t id, kl, integ = 0, prf = 0, g = 0;
				bool aead;

				if (*n >= DEVCONF_PROPOSALS_MAX) {
					a->m->skipped++;
					return;
				}
				encr_of(al->enc[e], &id, &kl, &aead);
				if (al->nhash)
					hash_of(al->hash[h], &integ, &prf);
				if (al->ndh)
					g = group_of(al->dh[d]);
				devconf_add_transform(&p, IKE_T_ENCR, id, kl);
				if (!esp && prf)
					devconf_add_transform(&p, IKE_T_PRF, prf, 0);
				if (integ && !aead)
					devconf_add_transform(&p, IKE_T_INTEG, integ, 0);
				if (g)
					devconf_add_transform(&p, IKE_T_DH, g, 0);
				list[(*n)++] = p;
			}
}

static void ike_algs(const cJSON *prof, struct pa_algs *al)
{
	memset(al, 0, sizeof *al);
	al->nenc = members(get(prof, "encryption"), al->enc);
	al->nhash = members(get(prof, "hash"), al->hash);
	al->ndh = members(get(prof, "dh-group"), al->dh);
}

static void esp_algs(const cJSON *prof, struct pa_algs *al)
{
	const cJSON *esp = get(prof, "esp");

	memset(al, 0, sizeof *al);
	if (!esp) /* an AH profile: integrity only */
		esp = get(prof, "ah");
	al->nenc = members(get(esp, "encryption"), al->enc);
	al->nhash = members(get(esp, "authentication"), al->hash);
	al->ndh = members(get(prof, "dh-group"), al->dh);
}

/* ---- collecting ------------------------------------------------------------------------ */

static void collect_entries(const cJSON *container, cJSON **arr, size_t *n, size_t max)
{
	const cJSON *list = get(container, "entry");

	for (const cJSON *e = xml_list_first(list); e && *n < max; e = xml_list_next(list, e))
		if (name_of(e))
			arr[(*n)++] = (cJSON *)e;
}

/* Every <network> below o, at any depth (templates, vsys, devices). */
static void find_network(struct pa *a, const cJSON *o, int depth, cJSON **gws, size_t *ngw)
{
	if (depth > PA_MAX_DEPTH || !o)
		return;
	if (cJSON_IsArray(o)) {
		for (const cJSON *c = o->child; c; c = c->next)
			find_network(a, c, depth + 1, gws, ngw);
		return;
	}
	if (!cJSON_IsObject(o))
		return;
	for (const cJSON *c = o->child; c; c = c->next) {
		if (c->string && strcmp(c->string, "network") == 0 && cJSON_IsObject(c)) {
			const cJSON *cp = path(c, "ike", "crypto-profiles", NULL);

			collect_entries(get(cp, "ike-crypto-profiles"), a->ike_profiles, &a->nike,
					4096);
			collect_entries(get(cp, "ipsec-crypto-profiles"), a->ipsec_profiles,
					&a->nipsec, 4096);
			collect_entries(path(c, "ike", "gateway", NULL), gws, ngw, 4096);
			collect_entries(path(c, "tunnel", "ipsec", NULL), (cJSON **)a->tunnels,
					&a->ntunnels, 4096);
		} else {
			find_network(a, c, depth + 1, gws, ngw);
		}
	}
}

static const cJSON *find_profile(struct pa *a, bool esp, const char *name)
{
	cJSON **arr = esp ? a->ipsec_profiles : a->ike_profiles;
	bool *used = esp ? a->ipsec_used : a->ike_used;
	size_t n = esp ? a->nipsec : a->nike;

	for (size_t i = 0; name && i < n; i++)
		if (strcmp(name_of(arr[i]), name) == 0) {
			used[i] = true;
			return arr[i];
		}
	return NULL;
}

/* AWS's PSK rules, judged on the key as configured; PAN-OS's encrypted form ("-AQ==...")
 * cannot be judged. */
static bool psk_weak(const char *k)
{
	size_t n = strlen(k);

	if (k[0] == '-')
		return false;
	if (n < 8 || n > 64 || k[0] == '0')
		return true;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
		      (k[i] >= '0' && k[i] <= '9') || k[i] == '.' || k[i] == '_'))
			return true;
	return false;
}

static const char *dup(struct pa *a, const char *s)
{
	return s ? arena_strdup(&a->m->arena, s) : NULL;
}

static int pa_gateway(struct pa *a, const cJSON *gw)
{
	struct devconf_peer *p = devconf_add_peer(a->m, name_of(gw), line_of(gw));
	const cJSON *proto = get(gw, "protocol"), *v1 = get(proto, "ikev1"),
		    *v2 = get(proto, "ikev2"), *dpd, *prof;
	const char *ver = text(get(proto, "version")), *pname, *key, *mode;
	struct pa_algs al;
	long lt;

	if (!p)
		return oom(a);
	if (!ver)
		ver = "ikev1";
	p->ike_versions = strcmp(ver, "ikev2") == 0 ? 2 : strcmp(ver, "ikev1") == 0 ? 1 : 3;
	p->initiate_version = p->ike_versions == 1 ? 1 : 2; /* ikev2-preferred starts with v2 */
	p->remote_addr = dup(a, text(path(gw, "peer-address", "ip", NULL)));
	p->local_addr = dup(a, text(path(gw, "local-address", "ip", NULL)));
	if (!p->local_addr)
		p->local_addr = dup(a, text(path(gw, "local-address", "interface", NULL)));
	p->local_id = dup(a, text(path(gw, "local-id", "id", NULL)));
	p->remote_id = dup(a, text(path(gw, "peer-id", "id", NULL)));
	if ((key = text(path(gw, "authentication", "pre-shared-key", "key"))) != NULL) {
		p->psk_set = true;
		p->psk_weak = psk_weak(key);
	}
	mode = text(get(v1, "exchange-mode"));
	p->aggressive = (p->ike_versions & 1) && mode && strcmp(mode, "aggressive") == 0;
	p->startup = yes(path(gw, "protocol-common", "passive-mode", NULL))
			     ? DEVCONF_START_RESPOND
			     : DEVCONF_START_ON_TRAFFIC;
	p->natt = yes(path(gw, "protocol-common", "nat-traversal", "enable")) ? 1 : 0;
	dpd = get(p->ike_versions == 1 ? v1 : v2, "dpd");
	if (dpd) {
		const char *iv = text(get(dpd, "interval")), *rt = text(get(dpd, "retry"));

		if (!yes(get(dpd, "enable"))) {
			p->dpd_action = DEVCONF_DPD_NONE;
		} else {
			p->dpd_delay_s = iv ? number(iv) : 5;
			p->dpd_retries = rt ? number(rt) : 5;
			if (p->dpd_delay_s < 0 || p->dpd_retries < 0)
				return devconf_fail(a->m, line_of(gw), a->err,
						    "network/ike/gateway/entry[%s]/protocol/dpd: "
						    "interval or retry not a number",
						    name_of(gw));
			if (p->ike_versions == 1)
				p->dpd_timeout_s = p->dpd_delay_s * p->dpd_retries;
			else
				p->dpd_retries = DEVCONF_UNSET;
			p->dpd_action = DEVCONF_DPD_CLEAR;
		}
	}
	pname = text(get(p->ike_versions == 1 ? v1 : v2, "ike-crypto-profile"));
	if ((prof = find_profile(a, false, pname ? pname : "default")) != NULL) {
		ike_algs(prof, &al);
		if (p->ike_versions == 1)
			v1_proposals(a, &al, false, p->ike, &p->nike);
		else
			v2_proposals(&al, false, p->ike, &p->nike);
		if (lifetime(a, prof, "network/ike/crypto-profiles/ike-crypto-profiles/entry",
			     &lt) < 0)
			return -1;
		p->ike_lifetime_s = lt;
	} else if (pname) {
		a->m->skipped++;
	}
	return 0;
}

static int pa_tunnel(struct pa *a, const cJSON *t)
{
	const cJSON *ak = get(t, "auto-key"), *gwl = path(ak, "ike-gateway", "entry", NULL);
	const cJSON *prof, *proxies = path(ak, "proxy-id", "entry", NULL);
	const char *gwname = name_of(xml_list_first(gwl)), *pname, *tif;
	struct devconf_peer *p = devconf_find_peer(a->m, gwname);
	struct ike_proposal esp[DEVCONF_PROPOSALS_MAX];
	size_t nesp = 0;
	long lt = DEVCONF_UNSET;
	bool pfs = false;
	char cname[300];

	if (!p) {
		a->m->skipped++; /* manual key, or no such gateway */
		return 0;
	}
	if ((tif = text(get(t, "tunnel-interface"))) != NULL) {
		p->route_based = true;
		if (!p->tunnel_if)
			p->tunnel_if = dup(a, tif);
	}
	pname = text(get(ak, "ipsec-crypto-profile"));
	if ((prof = find_profile(a, true, pname ? pname : "default")) != NULL) {
		struct pa_algs al;

		esp_algs(prof, &al);
		if (p->ike_versions == 1)
			v1_proposals(a, &al, true, esp, &nesp);
		else
			v2_proposals(&al, true, esp, &nesp);
		pfs = al.ndh && group_of(al.dh[0]) != 0;
		if (lifetime(a, prof, "network/ike/crypto-profiles/ipsec-crypto-profiles/entry",
			     &lt) < 0)
			return -1;
	}
	for (const cJSON *e = xml_list_first(proxies); e || xml_list_len(proxies) == 0;
	     e = xml_list_next(proxies, e)) {
		struct devconf_child *c;
		const char *l = e ? text(get(e, "local")) : NULL;
		const char *r = e ? text(get(e, "remote")) : NULL;

		if (e)
			snprintf(cname, sizeof cname, "%s/%s", name_of(t),
				 name_of(e) ? name_of(e) : "-");
		if (!(c = devconf_add_child(a->m, p, e ? cname : name_of(t),
					    e ? line_of(e) : line_of(t))))
			return oom(a);
		memcpy(c->esp, esp, sizeof esp);
		c->nesp = nesp;
		c->pfs_set = pfs;
		c->lifetime_s = lt;
		l = l ? l : "0.0.0.0/0";
		r = r ? r : "0.0.0.0/0";
		devconf_add_ts(a->m, c, true, l, strlen(l));
		devconf_add_ts(a->m, c, false, r, strlen(r));
		if (!e) /* no proxy-id: the one 0.0.0.0/0 child */
			break;
	}
	return 0;
}

static int pa_unused(struct pa *a)
{
	for (int esp = 0; esp <= 1; esp++) {
		size_t n = esp ? a->nipsec : a->nike;

		for (size_t i = 0; i < n; i++) {
			const cJSON *prof = esp ? a->ipsec_profiles[i] : a->ike_profiles[i];
			struct ike_proposal list[2];
			size_t nl = 0;
			struct pa_algs al;
			long lt;

			if (esp ? a->ipsec_used[i] : a->ike_used[i])
				continue;
			if (esp)
				esp_algs(prof, &al);
			else
				ike_algs(prof, &al);
			v2_proposals(&al, esp, list, &nl);
			if (lifetime(a, prof,
				     esp ? "network/ike/crypto-profiles/ipsec-crypto-profiles/entry"
					 : "network/ike/crypto-profiles/ike-crypto-profiles/entry",
				     &lt) < 0)
				return -1;
			for (size_t k = 0; k < nl; k++) {
				struct devconf_unused *u = ARENA_PUSH(&a->m->arena, a->m->unused,
								      a->m->nunused,
								      a->m->cap_unused);

				if (!u || !(u->name = dup(a, name_of(prof))))
					return oom(a);
				u->line = line_of(prof);
				u->esp = esp;
				u->p = list[k];
				u->lifetime_s = lt;
				u->note = esp && !get(prof, "esp") && get(prof, "ah") ? "ah" : NULL;
			}
		}
	}
	return 0;
}

static int pa_model(struct pa *a, const cJSON *tree)
{
	find_network(a, tree, 0, a->gws, &a->ngws);
	for (size_t i = 0; i < a->ngws; i++)
		if (pa_gateway(a, a->gws[i]) < 0)
			return -1;
	for (size_t i = 0; i < a->ntunnels; i++)
		if (pa_tunnel(a, a->tunnels[i]) < 0)
			return -1;
	return pa_unused(a);
}

/* ---- "set" commands to the XML's tree ------------------------------------------------- */

struct pa_word {
	const char *s;
	size_t n;
};

/* Keys whose next word names an <entry>. */
static bool entry_key(const char *k)
{
	static const char *const keys[] = {"ike-crypto-profiles", "ipsec-crypto-profiles",
					   "gateway", "ipsec", "proxy-id", "proxy-id-v6",
					   "ike-gateway"};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i], k) == 0)
			return true;
	return false;
}

/* Keys that take one value, so that a value and more keys may follow on the line. */
static bool leaf_key(const char *k, const char *next)
{
	static const char *const keys[] = {
		"local", "remote", "ip", "interface", "key", "version", "passive-mode",
		"exchange-mode", "ike-crypto-profile", "ipsec-crypto-profile",
		"tunnel-interface", "interval", "retry", "enable", "id", "type", "hours",
		"minutes", "seconds", "days", "dh-group", "hash", "encryption"};

	if (strcmp(k, "authentication") == 0) /* esp's, not the gateway's */
		return strcmp(next, "pre-shared-key") != 0 && strcmp(next, "certificate") != 0;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i], k) == 0)
			return true;
	return false;
}

static bool word_is(const struct pa_word *w, const char *s)
{
	return strlen(s) == w->n && memcmp(w->s, s, w->n) == 0;
}

static char *wstr(const struct pa_word *w, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)w->n, w->s);
	return buf;
}

/* Is there room for one more member or item in o? Bounds both the tree and the time
 * spent looking names up in it. */
static bool room(const cJSON *o)
{
	size_t n = 0;

	for (const cJSON *c = o ? o->child : NULL; c; c = c->next)
		if (++n >= PA_MAX_MEMBERS)
			return false;
	return true;
}

/* The member key of o, made an object when it is not one (a later, deeper set wins).
 * NULL on OOM, or with *full set when o has no room. */
static cJSON *child_obj(cJSON *o, const char *key, bool *full)
{
	cJSON *c = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsObject(c))
		return c;
	if (c)
		cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	else if (o && !room(o)) {
		*full = true;
		return NULL;
	}
	return cJSON_AddObjectToObject(o, key);
}

/* The entry named name under container (created with its line). */
static cJSON *entry(cJSON *container, const char *name, int line, bool *full)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(container, "entry"), *e;
	char lb[16];

	if (!cJSON_IsArray(list)) {
		if (list)
			cJSON_DeleteItemFromObjectCaseSensitive(container, "entry");
		if (!(list = cJSON_AddArrayToObject(container, "entry")))
			return NULL;
	}
	cJSON_ArrayForEach(e, list)
	{
		if (name_of(e) && strcmp(name_of(e), name) == 0)
			return e;
	}
	if (!room(list)) {
		*full = true;
		return NULL;
	}
	snprintf(lb, sizeof lb, "%d", line);
	if (!(e = cJSON_CreateObject()) || !cJSON_AddStringToObject(e, "@name", name) ||
	    !cJSON_AddStringToObject(e, "@line", lb)) {
		cJSON_Delete(e);
		return NULL;
	}
	cJSON_AddItemToArray(list, e);
	return e;
}

/* set_words without the verdict on *full. */
static int set_words_(cJSON *o, const struct pa_word *w, size_t n, int line, bool *full)
{
	char key[256], val[1024];
	cJSON *v;

	for (size_t k = 0; o && k < n;) {
		size_t left = n - k;

		wstr(&w[k], key, sizeof key);
		if (left == 1) /* a bare key */
			return child_obj(o, key, full) ? 0 : -1;
		wstr(&w[k + 1], val, sizeof val);
		if (!cJSON_GetObjectItemCaseSensitive(o, key) && !room(o)) {
			*full = true;
			return -1;
		}
		if (entry_key(key)) {
			o = entry(child_obj(o, key, full), val, line, full);
			k += 2;
			continue;
		}
		if (strcmp(val, "[") == 0) {
			cJSON *obj, *arr;

			cJSON_DeleteItemFromObjectCaseSensitive(o, key);
			if (!(obj = cJSON_AddObjectToObject(o, key)) ||
			    !(arr = cJSON_AddArrayToObject(obj, "member")))
				return -1;
			for (size_t i = k + 2; i < n && strcmp(wstr(&w[i], val, sizeof val), "]");
			     i++)
				if (!(v = cJSON_CreateString(val)) || !cJSON_AddItemToArray(arr, v))
					return -1;
			return 0;
		}
		if (left == 2 || leaf_key(key, val)) {
			/* "proxy-id P local L remote R": several leaves of one object */
			cJSON_DeleteItemFromObjectCaseSensitive(o, key);
			if (!cJSON_AddStringToObject(o, key, val))
				return -1;
			k += 2;
			continue;
		}
		o = child_obj(o, key, full);
		k++;
	}
	return o ? 0 : -1;
}

/* One "set" command (words after "set network") into the tree below net. Returns 0, -1
 * on OOM, -2 when a level of the tree is full. */
static int set_words(cJSON *o, const struct pa_word *w, size_t n, int line)
{
	bool full = false;
	int rc = set_words_(o, w, n, line, &full);

	return full ? -2 : rc;
}

/* Reads the "set" commands into a tree {"config": {"network": {...}}}. Returns it, or
 * NULL with err. */
static cJSON *set_tree(struct pa *a, const char *t, size_t len)
{
	cJSON *root = cJSON_CreateObject(), *net = NULL;
	struct pa_word w[PA_MAX_WORDS];
	size_t n = 0, i = 0;
	int line = 1;

	if (!root || !(net = cJSON_AddObjectToObject(cJSON_AddObjectToObject(root, "config"),
						       "network"))) {
		cJSON_Delete(root);
		return oom(a), NULL;
	}
	while (i <= len) {
		if (i == len || t[i] == '\n') {
			size_t k = 0;

			/* "set [template T config devices D] network ..." */
			while (k < n && !(w[k].n == 7 && memcmp(w[k].s, "network", 7) == 0))
				k++;
			if (n && !(w[0].n == 3 && memcmp(w[0].s, "set", 3) == 0))
				a->m->skipped++;
			else if (k + 2 < n && (word_is(&w[k + 1], "ike") ||
					       word_is(&w[k + 1], "tunnel"))) {
				int rc = set_words(net, w + k + 1, n - k - 1, line);

				if (rc < 0) {
					xml_tree_free(root);
					if (rc == -2)
						return devconf_fail(a->m, line, a->err,
								    "more than %d names at one "
								    "level", PA_MAX_MEMBERS),
						       NULL;
					return oom(a), NULL;
				}
			} else if (n)
				a->m->skipped++; /* not network ike / tunnel: nothing we read */
			n = 0;
			line++;
			i++;
			continue;
		}
		if (strchr(" \t\r\f\v", t[i])) {
			i++;
			continue;
		}
		if (t[i] == '#' && n == 0) {
			while (i < len && t[i] != '\n')
				i++;
			continue;
		}
		if (n >= PA_MAX_WORDS) {
			xml_tree_free(root);
			return devconf_fail(a->m, line, a->err, "line longer than %d words",
					    PA_MAX_WORDS),
			       NULL;
		}
		if (t[i] == '"') {
			size_t s = ++i;
			int open = line;

			while (i < len && t[i] != '"') {
				if (t[i] == '\\' && i + 1 < len)
					i++;
				line += t[i] == '\n';
				i++;
			}
			if (i >= len) {
				xml_tree_free(root);
				return devconf_fail(a->m, open, a->err, "unterminated quoted string"),
				       NULL;
			}
			w[n++] = (struct pa_word){t + s, i - s};
			i++;
		} else {
			size_t s = i;

			while (i < len && !strchr(" \t\r\n\f\v", t[i]))
				i++;
			w[n++] = (struct pa_word){t + s, i - s};
		}
	}
	return root;
}

int devconf_parse_panos(const char *text_, size_t len, struct devconf_model *m,
			struct diag_error *err)
{
	struct pa *a = calloc(1, sizeof *a);
	cJSON *tree;
	size_t i = 0;
	int rc;

	if (!a)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, m->file, "out of memory");
	a->m = m;
	a->err = err;
	while (i < len && strchr(" \t\r\n", text_[i]))
		i++;
	if (i < len && text_[i] == '<')
		tree = xml_to_tree(text_, len, m->file, err);
	else
		tree = set_tree(a, text_, len);
	rc = tree ? pa_model(a, tree) : -1;
	xml_tree_free(tree);
	free(a);
	return rc;
}
