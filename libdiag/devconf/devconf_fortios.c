/* Fortinet FortiOS: "config vpn ipsec phase1-interface" (route-based: the phase 1 is an
 * interface) or "config vpn ipsec phase1" (policy-based) entries become peers, and
 * "config vpn ipsec phase2-interface" / "phase2" entries their children (joined by
 * phase1name at the end, so the order of the sections does not matter). Other config
 * sections are read (config/edit/next/end nesting is checked) and skipped.
 *
 * FortiOS's "show" leaves out settings at their default, so the documented defaults are
 * filled in where a setting is absent: ike-version 1, mode main, keylife 86400, dhgrp
 * "14 5", nattraversal enable, dpd on-demand with dpd-retryinterval 20 and
 * dpd-retrycount 3; phase 2 pfs enable, dhgrp "14 5", keylifeseconds 43200,
 * auto-negotiate disable, selectors 0.0.0.0/0. Absent proposals stay unknown (their
 * default changed between releases).
 *
 * IKEv2 proposals carry every DH group of dhgrp; IKEv1 proposals are whole transforms,
 * so each (proposal, group) pair becomes one proposal, in FortiOS's order. */
#include "libdiag/devconf/devconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FG_MAX_DEPTH 32
#define FG_MAX_WORDS 64
#define FG_MAX_LIST 16
#define FG_MAX_ENTRIES 4096

struct fg_word {
	const char *s;
	size_t n;
	bool quoted;
};

enum fg_section { FG_OTHER, FG_P1, FG_P2, FG_VDOM };

/* One phase 1 or phase 2 entry as written. */
struct fg_entry {
	const char *name;
	int line;
	bool route_based, p2;
	const char *props[FG_MAX_LIST];
	size_t nprops;
	uint16_t dh[FG_MAX_LIST];
	size_t ndh;
	bool dh_set;
	/* phase 1 */
	const char *iface, *local_gw, *remote_gw, *localid, *peerid;
	long version, keylife, dpd_int, dpd_count;
	int dpd;               /* 0 default, 1 on, 2 disable */
	int natt;              /* -1 default */
	bool aggressive, passive, psk_set, psk_weak, auto_neg;
	/* phase 2 */
	const char *phase1name, *src, *dst;
	long life_s, life_kb;
	int pfs;               /* 0 default (enable), 1 enable, 2 disable */
};

struct fg {
	struct devconf_model *m;
	struct diag_error *err;
	struct fg_entry *e;
	size_t ne, cap;
};

static bool is(const struct fg_word *w, const char *s)
{
	return strlen(s) == w->n && memcmp(w->s, s, w->n) == 0;
}

static int oom(struct fg *g)
{
	return diag_fail(g->err, DIAG_EXIT_SOFTWARE, g->m->file, "out of memory");
}

/* The word in the arena, a quoted one unescaped; NULL on OOM. */
static const char *wdup(struct fg *g, const struct fg_word *w)
{
	char *d = arena_alloc(&g->m->arena, w->n + 1);
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

/* AWS's PSK rules (8-64 characters; letters, digits, '.', '_'; not starting with '0'). */
static bool psk_weak(const struct fg_word *w)
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

static int num(struct fg *g, int line, const struct fg_word *w, size_t n, const char *what,
	       long *v)
{
	long x = 0;

	if (n < 1)
		return devconf_fail(g->m, line, g->err, "%s: missing value", what);
	if (w->n == 0 || w->n > 10)
		goto bad;
	for (size_t i = 0; i < w->n; i++) {
		if (w->s[i] < '0' || w->s[i] > '9')
			goto bad;
		x = x * 10 + (w->s[i] - '0');
	}
	*v = x;
	return 0;
bad:
	return devconf_fail(g->m, line, g->err, "%s \"%.*s\": not a number", what,
			    (int)(w->n > 40 ? 40 : w->n), w->s);
}

/* ---- one "set" inside a phase 1 / phase 2 entry --------------------------------------- */

static int set_list(struct fg *g, struct fg_entry *e, const struct fg_word *w, size_t n)
{
	e->nprops = 0;
	for (size_t i = 0; i < n && e->nprops < FG_MAX_LIST; i++)
		if (!(e->props[e->nprops++] = wdup(g, &w[i])))
			return oom(g);
	return 0;
}

static int set_dh(struct fg *g, struct fg_entry *e, const struct fg_word *w, size_t n,
		  int line)
{
	e->ndh = 0;
	e->dh_set = true;
	for (size_t i = 0; i < n && e->ndh < FG_MAX_LIST; i++) {
		long v;

		if (num(g, line, &w[i], 1, "dhgrp", &v) < 0)
			return -1;
		e->dh[e->ndh++] = v > 0 && v < 0xFFFF ? (uint16_t)v : 0xFFFF;
	}
	return 0;
}

static int set_p1(struct fg *g, struct fg_entry *e, const struct fg_word *k,
		  const struct fg_word *w, size_t n, int line)
{
	const char **dst = NULL;

	if (is(k, "proposal"))
		return set_list(g, e, w, n);
	if (is(k, "dhgrp"))
		return set_dh(g, e, w, n, line);
	if (is(k, "ike-version")) {
		if (num(g, line, w, n, "ike-version", &e->version) < 0)
			return -1;
		if (e->version != 1 && e->version != 2)
			return devconf_fail(g->m, line, g->err, "ike-version %ld: not 1 or 2",
					    e->version);
		return 0;
	}
	if (is(k, "keylife"))
		return num(g, line, w, n, "keylife", &e->keylife);
	if (is(k, "dpd-retryinterval"))
		return num(g, line, w, n, "dpd-retryinterval", &e->dpd_int);
	if (is(k, "dpd-retrycount"))
		return num(g, line, w, n, "dpd-retrycount", &e->dpd_count);
	if (is(k, "psksecret")) {
		e->psk_set = true;
		/* "ENC <base64>" is FortiOS's encrypted form: nothing to judge */
		e->psk_weak = n == 1 && !is(&w[0], "ENC") && psk_weak(&w[0]);
		return 0;
	}
	if (n < 1)
		return devconf_fail(g->m, line, g->err, "%.*s: missing value", (int)k->n, k->s);
	if (is(k, "interface"))
		dst = &e->iface;
	else if (is(k, "local-gw"))
		dst = &e->local_gw;
	else if (is(k, "remote-gw"))
		dst = &e->remote_gw;
	else if (is(k, "localid"))
		dst = &e->localid;
	else if (is(k, "peerid"))
		dst = &e->peerid;
	if (dst)
		return (*dst = wdup(g, &w[0])) ? 0 : oom(g);
	if (is(k, "mode"))
		e->aggressive = is(&w[0], "aggressive");
	else if (is(k, "dpd"))
		e->dpd = is(&w[0], "disable") ? 2 : 1;
	else if (is(k, "nattraversal"))
		e->natt = is(&w[0], "disable") ? 0 : is(&w[0], "forced") ? 2 : 1;
	else if (is(k, "passive-mode"))
		e->passive = is(&w[0], "enable");
	else if (is(k, "auto-negotiate"))
		e->auto_neg = is(&w[0], "enable");
	else
		g->m->skipped++;
	return 0;
}

/* "10.0.0.0 255.255.0.0" (or "10.0.0.0/16") as a CIDR in the arena. */
static const char *subnet(struct fg *g, const struct fg_word *w, size_t n)
{
	char buf[128];
	unsigned m[4], bits = 0;
	uint32_t mask;
	bool contiguous = true;

	if (n == 1)
		return wdup(g, &w[0]);
	if (w[1].n < 7 || w[1].n > 15 || w[0].n > 45)
		return NULL;
	snprintf(buf, sizeof buf, "%.*s", (int)w[1].n, w[1].s);
	if (sscanf(buf, "%3u.%3u.%3u.%3u", &m[0], &m[1], &m[2], &m[3]) != 4 || m[0] > 255 ||
	    m[1] > 255 || m[2] > 255 || m[3] > 255)
		return NULL;
	mask = (uint32_t)m[0] << 24 | m[1] << 16 | m[2] << 8 | m[3];
	for (int b = 31; b >= 0; b--) {
		if (mask & (1u << b)) {
			if (bits != (unsigned)(31 - b))
				contiguous = false;
			bits++;
		}
	}
	if (contiguous)
		snprintf(buf, sizeof buf, "%.*s/%u", (int)w[0].n, w[0].s, bits);
	else
		snprintf(buf, sizeof buf, "%.*s/%.*s", (int)w[0].n, w[0].s, (int)w[1].n, w[1].s);
	return devconf_strdup(g->m, buf, strlen(buf));
}

static int set_p2(struct fg *g, struct fg_entry *e, const struct fg_word *k,
		  const struct fg_word *w, size_t n, int line)
{
	if (is(k, "proposal"))
		return set_list(g, e, w, n);
	if (is(k, "dhgrp"))
		return set_dh(g, e, w, n, line);
	if (is(k, "keylifeseconds"))
		return num(g, line, w, n, "keylifeseconds", &e->life_s);
	if (is(k, "keylifekbs"))
		return num(g, line, w, n, "keylifekbs", &e->life_kb);
	if (n < 1)
		return devconf_fail(g->m, line, g->err, "%.*s: missing value", (int)k->n, k->s);
	if (is(k, "phase1name"))
		return (e->phase1name = wdup(g, &w[0])) ? 0 : oom(g);
	if (is(k, "src-subnet") || is(k, "dst-subnet") || is(k, "src-name") ||
	    is(k, "dst-name") || is(k, "src-start-ip") || is(k, "dst-start-ip")) {
		const char *s = k->s[0] == 's' ? "src" : "dst";
		const char *v = is(k, "src-subnet") || is(k, "dst-subnet") ? subnet(g, w, n)
										: wdup(g, &w[0]);

		if (!v)
			return devconf_fail(g->m, line, g->err, "%s-subnet: not an address and mask",
					    s);
		if (k->s[0] == 's')
			e->src = v;
		else
			e->dst = v;
		return 0;
	}
	if (is(k, "pfs"))
		e->pfs = is(&w[0], "disable") ? 2 : 1;
	else if (is(k, "auto-negotiate"))
		e->auto_neg = is(&w[0], "enable");
	else
		g->m->skipped++;
	return 0;
}

/* ---- the reader: config / edit / set / next / end -------------------------------------- */

struct fg_reader {
	enum fg_section sect[FG_MAX_DEPTH];
	int sect_line[FG_MAX_DEPTH];
	bool in_edit[FG_MAX_DEPTH]; /* an "edit" is open at this depth */
	int depth;
	bool p1_iface;
	struct fg_entry *cur; /* the open phase 1/2 entry, at depth 1 of its section */
	int cur_depth;        /* the depth of its section (sections nest: 1 is the top) */
};

static int fg_line(struct fg *g, struct fg_reader *r, struct fg_word *w, size_t n, int line)
{
	if (n == 0)
		return 0;
	if (is(&w[0], "config")) {
		enum fg_section s = FG_OTHER;

		if (r->depth >= FG_MAX_DEPTH)
			return devconf_fail(g->m, line, g->err, "config nested deeper than %d",
					    FG_MAX_DEPTH);
		/* at the top, or inside "config vdom" / "config global" (multi-VDOM) */
		if ((r->depth == 0 || r->sect[r->depth - 1] == FG_VDOM) && n == 4 &&
		    is(&w[1], "vpn") && is(&w[2], "ipsec")) {
			if (is(&w[3], "phase1-interface") || is(&w[3], "phase1"))
				s = FG_P1;
			else if (is(&w[3], "phase2-interface") || is(&w[3], "phase2"))
				s = FG_P2;
			r->p1_iface = is(&w[3], "phase1-interface") || is(&w[3], "phase2-interface");
		}
		if (n == 2 && (is(&w[1], "vdom") || is(&w[1], "global")))
			s = FG_VDOM;
		r->sect[r->depth] = s;
		r->sect_line[r->depth] = line;
		r->in_edit[r->depth] = false;
		r->depth++;
		return 0;
	}
	if (is(&w[0], "end")) {
		if (r->depth == 0)
			return devconf_fail(g->m, line, g->err, "'end' without 'config'");
		r->depth--;
		if (r->cur && r->depth < r->cur_depth)
			r->cur = NULL;
		return 0;
	}
	if (r->depth == 0)
		return devconf_fail(g->m, line, g->err, "'%.*s' outside any 'config' section",
				    (int)(w[0].n > 20 ? 20 : w[0].n), w[0].s);
	if (is(&w[0], "edit")) {
		if (n < 2)
			return devconf_fail(g->m, line, g->err, "'edit' without a name");
		r->in_edit[r->depth - 1] = true;
		if (r->sect[r->depth - 1] == FG_P1 || r->sect[r->depth - 1] == FG_P2) {
			enum fg_section sect = r->sect[r->depth - 1];
			const char *name = wdup(g, &w[1]);
			struct fg_entry *e;

			if (!name)
				return oom(g);
			for (size_t i = 0; i < g->ne; i++) /* "edit" of an entry seen before */
				if (g->e[i].p2 == (sect == FG_P2) &&
				    strcmp(g->e[i].name, name) == 0) {
					r->cur = &g->e[i];
					r->cur_depth = r->depth;
					return 0;
				}
			if (g->ne >= FG_MAX_ENTRIES)
				return devconf_fail(g->m, line, g->err, "more than %d phase 1/2 entries",
						    FG_MAX_ENTRIES);
			if (!(e = ARENA_PUSH(&g->m->arena, g->e, g->ne, g->cap)))
				return oom(g);
			e->name = name;
			e->line = line;
			e->p2 = sect == FG_P2;
			e->route_based = r->p1_iface;
			e->version = e->keylife = e->dpd_int = e->dpd_count = DEVCONF_UNSET;
			e->life_s = e->life_kb = DEVCONF_UNSET;
			e->natt = -1;
			r->cur = e;
			r->cur_depth = r->depth;
		}
		return 0;
	}
	if (is(&w[0], "next")) {
		if (!r->in_edit[r->depth - 1])
			return devconf_fail(g->m, line, g->err, "'next' without 'edit'");
		r->in_edit[r->depth - 1] = false;
		if (r->depth == r->cur_depth)
			r->cur = NULL;
		return 0;
	}
	if (is(&w[0], "set") && n >= 2) {
		if (!r->cur || r->depth != r->cur_depth) {
			g->m->skipped++;
			return 0;
		}
		return r->cur->p2 ? set_p2(g, r->cur, &w[1], w + 2, n - 2, line)
				  : set_p1(g, r->cur, &w[1], w + 2, n - 2, line);
	}
	if (is(&w[0], "set"))
		return devconf_fail(g->m, line, g->err, "'set' without a setting");
	g->m->skipped++; /* unset, append, select, ... */
	return 0;
}

/* Splits the text into lines of words (quoted strings with backslash escapes may span
 * lines) and feeds them to fg_line. '#' starts a comment at the start of a word. */
static int fg_read(struct fg *g, const char *t, size_t len)
{
	struct fg_reader r = {0};
	struct fg_word w[FG_MAX_WORDS];
	size_t n = 0, i = 0;
	int line = 1, wline = 1;

	while (i <= len) {
		if (i == len || t[i] == '\n') {
			if (fg_line(g, &r, w, n, wline) < 0)
				return -1;
			n = 0;
			line++;
			wline = line;
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
		if (n >= FG_MAX_WORDS)
			return devconf_fail(g->m, wline, g->err, "line longer than %d words",
					    FG_MAX_WORDS);
		if (t[i] == '"' || t[i] == '\'') {
			char q = t[i];
			size_t s = ++i;
			int open = line;

			while (i < len && t[i] != q) {
				if (t[i] == '\\' && i + 1 < len)
					i++;
				line += t[i] == '\n';
				i++;
			}
			if (i >= len)
				return devconf_fail(g->m, open, g->err, "unterminated quoted string");
			w[n++] = (struct fg_word){t + s, i - s, true};
			i++;
		} else {
			size_t s = i;

			while (i < len && !strchr(" \t\r\n\f\v", t[i]))
				i++;
			w[n++] = (struct fg_word){t + s, i - s, false};
		}
	}
	if (r.depth > 0)
		return devconf_fail(g->m, r.sect_line[r.depth - 1], g->err,
				    "'config' never closed with 'end'");
	return 0;
}

/* ---- proposals ------------------------------------------------------------------------ */

static const struct {
	const char *name;
	uint16_t id, keylen;
	bool aead;
} encrs[] = {
	{"des", 2, 0, false},
	{"3des", IKE_ENCR_3DES, 0, false},
	{"aes128", IKE_ENCR_AES_CBC, 128, false},
	{"aes192", IKE_ENCR_AES_CBC, 192, false},
	{"aes256", IKE_ENCR_AES_CBC, 256, false},
	{"aes128gcm", IKE_ENCR_AES_GCM_16, 128, true},
	{"aes256gcm", IKE_ENCR_AES_GCM_16, 256, true},
	{"chacha20poly1305", 28, 0, true},
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
	{"prfsha1", 0, IKE_PRF_HMAC_SHA1},
	{"prfsha256", 0, IKE_PRF_HMAC_SHA2_256},
	{"prfsha384", 0, IKE_PRF_HMAC_SHA2_384},
	{"prfsha512", 0, IKE_PRF_HMAC_SHA2_512},
};

/* "aes128-sha256", "aes256gcm-prfsha384" (phase 1), "aes128gcm", "null-sha1" (phase 2)
 * into transforms; names we do not know become ID 0xFFFF. */
static void fg_proposal(const char *s, bool esp, struct ike_proposal *p)
{
	const char *dash = strchr(s, '-');
	size_t el = dash ? (size_t)(dash - s) : strlen(s);
	uint16_t encr = 0xFFFF, keylen = 0, integ = 0, prf = 0;
	bool aead = false;

	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < sizeof encrs / sizeof encrs[0]; i++)
		if (strlen(encrs[i].name) == el && memcmp(encrs[i].name, s, el) == 0) {
			encr = encrs[i].id;
			keylen = encrs[i].keylen;
			aead = encrs[i].aead;
		}
	if (dash) {
		integ = prf = 0xFFFF;
		for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++)
			if (strcmp(hashes[i].name, dash + 1) == 0) {
				integ = hashes[i].integ;
				prf = hashes[i].prf;
			}
	}
	devconf_add_transform(p, IKE_T_ENCR, encr, keylen);
	if (!esp && prf)
		devconf_add_transform(p, IKE_T_PRF, prf, 0);
	if (!aead && integ)
		devconf_add_transform(p, IKE_T_INTEG, integ, 0);
}

/* The proposals of an entry with its DH groups (see the top of the file). */
static void fg_proposals(struct fg *g, const struct fg_entry *e, bool esp, bool v1,
			 bool with_dh, struct ike_proposal *list, size_t *n)
{
	static const uint16_t dflt[] = {14, 5};
	const uint16_t *dh = e->dh_set ? e->dh : dflt;
	size_t ndh = with_dh ? (e->dh_set ? e->ndh : 2) : 0;

	for (size_t i = 0; i < e->nprops; i++) {
		struct ike_proposal base;

		fg_proposal(e->props[i], esp, &base);
		for (size_t k = 0; k < (v1 && ndh ? ndh : 1); k++) {
			if (*n >= DEVCONF_PROPOSALS_MAX) {
				g->m->skipped++;
				continue;
			}
			list[*n] = base;
			for (size_t d = 0; d < ndh; d++)
				if (!v1 || d == k)
					devconf_add_transform(&list[*n], IKE_T_DH, dh[d], 0);
			(*n)++;
		}
	}
}

static long dflt(long v, long d)
{
	return v == DEVCONF_UNSET ? d : v;
}

static int fg_peer(struct fg *g, const struct fg_entry *e)
{
	struct devconf_peer *p = devconf_add_peer(g->m, e->name, e->line);
	bool v1;

	if (!p)
		return oom(g);
	p->remote_addr = e->remote_gw;
	p->local_addr = e->local_gw ? e->local_gw : e->iface;
	p->local_id = e->localid;
	p->remote_id = e->peerid;
	p->ike_versions = (unsigned)dflt(e->version, 1);
	p->initiate_version = p->ike_versions;
	v1 = p->ike_versions == 1;
	p->aggressive = v1 && e->aggressive;
	fg_proposals(g, e, false, v1, true, p->ike, &p->nike);
	p->ike_lifetime_s = dflt(e->keylife, 86400);
	if (e->dpd == 2) {
		p->dpd_action = DEVCONF_DPD_NONE;
	} else {
		p->dpd_delay_s = dflt(e->dpd_int, 20);
		p->dpd_retries = dflt(e->dpd_count, 3);
		p->dpd_timeout_s = p->dpd_delay_s * p->dpd_retries;
		p->dpd_action = DEVCONF_DPD_CLEAR;
	}
	p->natt = e->natt < 0 ? 1 : e->natt;
	p->route_based = e->route_based;
	if (e->route_based)
		p->tunnel_if = e->name;
	p->psk_set = e->psk_set;
	p->psk_weak = e->psk_weak;
	p->startup = e->passive ? DEVCONF_START_RESPOND
		     : e->auto_neg ? DEVCONF_START_INITIATE : DEVCONF_START_ON_TRAFFIC;
	return 0;
}

static int fg_child(struct fg *g, const struct fg_entry *e)
{
	struct devconf_peer *p = devconf_find_peer(g->m, e->phase1name);
	struct devconf_child *c;
	bool pfs = e->pfs != 2;

	if (!p) {
		g->m->skipped++; /* no such phase 1 */
		return 0;
	}
	if (!(c = devconf_add_child(g->m, p, e->name, e->line)))
		return oom(g);
	fg_proposals(g, e, true, p->ike_versions == 1, pfs, c->esp, &c->nesp);
	c->pfs_set = pfs;
	c->lifetime_s = dflt(e->life_s, 43200);
	c->lifetime_kb = e->life_kb;
	c->startup = e->auto_neg ? DEVCONF_START_INITIATE : DEVCONF_START_ON_TRAFFIC;
	if (e->auto_neg && p->startup == DEVCONF_START_ON_TRAFFIC)
		p->startup = DEVCONF_START_INITIATE;
	devconf_add_ts(g->m, c, true, e->src ? e->src : "0.0.0.0/0",
		       strlen(e->src ? e->src : "0.0.0.0/0"));
	devconf_add_ts(g->m, c, false, e->dst ? e->dst : "0.0.0.0/0",
		       strlen(e->dst ? e->dst : "0.0.0.0/0"));
	return 0;
}

int devconf_parse_fortios(const char *text, size_t len, struct devconf_model *m,
			  struct diag_error *err)
{
	struct fg g = {.m = m, .err = err};

	if (fg_read(&g, text, len) < 0)
		return -1;
	for (size_t i = 0; i < g.ne; i++)
		if (!g.e[i].p2 && fg_peer(&g, &g.e[i]) < 0)
			return -1;
	for (size_t i = 0; i < g.ne; i++)
		if (g.e[i].p2 && fg_child(&g, &g.e[i]) < 0)
			return -1;
	return 0;
}
