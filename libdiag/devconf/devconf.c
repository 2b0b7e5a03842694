/* The device-configuration model: dialect names, detection, dispatch, the helpers every
 * parser shares, and the dump. See devconf.h. */
#include "libdiag/devconf/devconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	enum devconf_format f;
	const char *name;
	devconf_parser parse;
} formats[] = {
	{DEVCONF_SWANCTL, "swanctl", devconf_parse_swanctl},
	{DEVCONF_STRONGSWAN_IPSEC, "ipsec.conf", devconf_parse_ipsec_conf},
	{DEVCONF_LIBRESWAN, "libreswan", devconf_parse_ipsec_conf},
	{DEVCONF_CISCO_ASA, "asa", devconf_parse_asa},
	{DEVCONF_CISCO_IOS, "ios", devconf_parse_ios},
	{DEVCONF_JUNOS, "junos", devconf_parse_junos},
	{DEVCONF_PANOS, "panos", devconf_parse_panos},
	{DEVCONF_FORTIOS, "fortios", devconf_parse_fortios},
	{DEVCONF_AWS_GENERIC, "aws-generic", devconf_parse_aws_generic},
	{DEVCONF_AWS_XML, "aws-xml", devconf_parse_aws_xml},
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

const char *devconf_format_name(enum devconf_format f)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (formats[i].f == f)
			return formats[i].name;
	return NULL;
}

enum devconf_format devconf_format_parse(const char *name)
{
	for (size_t i = 0; name && i < NFORMATS; i++)
		if (strcasecmp(formats[i].name, name) == 0)
			return formats[i].f;
	if (name && (strcasecmp(name, "strongswan") == 0 || strcasecmp(name, "ipsec") == 0))
		return DEVCONF_STRONGSWAN_IPSEC;
	if (name && strcasecmp(name, "ios-xe") == 0)
		return DEVCONF_CISCO_IOS;
	return DEVCONF_UNKNOWN;
}

/* ---- detection ------------------------------------------------------------------------ */

/* Does a line (leading blanks skipped) start with word (followed by a blank, '{', '=' or
 * the end)? Bounded by len, never past it. */
static bool line_starts(const char *text, size_t len, const char *word)
{
	size_t wl = strlen(word);

	for (size_t i = 0; i < len;) {
		size_t j = i;

		while (j < len && (text[j] == ' ' || text[j] == '\t'))
			j++;
		if (len - j >= wl && strncasecmp(text + j, word, wl) == 0 &&
		    (len - j == wl || strchr(" \t\r\n{=", text[j + wl])))
			return true;
		while (i < len && text[i] != '\n')
			i++;
		i++;
	}
	return false;
}

static bool contains(const char *text, size_t len, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t i = 0; nl <= len && i <= len - nl; i++)
		if (text[i] == needle[0] && memcmp(text + i, needle, nl) == 0)
			return true;
	return false;
}

enum devconf_format devconf_detect(const char *text, size_t len, char *why, size_t whylen)
{
	size_t i = 0;

	while (i < len && strchr(" \t\r\n", text[i]))
		i++;
	if (len - i >= 5 && text[i] == '<') {
		if (contains(text, len, "<vpn_connection"))
			return DEVCONF_AWS_XML;
		if (contains(text, len, "<ike-crypto-profiles") ||
		    contains(text, len, "<ipsec-crypto-profiles") || contains(text, len, "<ike>") ||
		    contains(text, len, "<devices>"))
			return DEVCONF_PANOS;
		snprintf(why, whylen, "XML, but neither a CustomerGatewayConfiguration "
				      "(<vpn_connection>) nor a PAN-OS configuration");
		return DEVCONF_UNKNOWN;
	}
	if (contains(text, len, "Amazon Web Services") &&
	    (contains(text, len, "IKE version") || contains(text, len, "Authentication Method")) &&
	    !line_starts(text, len, "crypto") && !line_starts(text, len, "set") &&
	    !line_starts(text, len, "config"))
		return DEVCONF_AWS_GENERIC;
	if (line_starts(text, len, "connections") || line_starts(text, len, "secrets"))
		return DEVCONF_SWANCTL;
	if (line_starts(text, len, "config vpn ipsec phase1-interface") ||
	    line_starts(text, len, "config vpn ipsec phase2-interface") ||
	    line_starts(text, len, "config vpn ipsec phase1") || /* policy-based */
	    line_starts(text, len, "config vpn ipsec phase2"))
		return DEVCONF_FORTIOS;
	/* PAN-OS in "set" syntax (its XML form is caught above) */
	if (line_starts(text, len, "set network ike") ||
	    line_starts(text, len, "set network tunnel ipsec") ||
	    line_starts(text, len, "set deviceconfig"))
		return DEVCONF_PANOS;
	if (line_starts(text, len, "set security") || line_starts(text, len, "security") ||
	    line_starts(text, len, "set interfaces st0") || contains(text, len, "ike {") ||
	    contains(text, len, "ipsec {"))
		return DEVCONF_JUNOS;
	if (line_starts(text, len, "tunnel-group") || line_starts(text, len, "crypto ikev1") ||
	    line_starts(text, len, "ASA Version") || line_starts(text, len, "crypto ipsec ikev1") ||
	    line_starts(text, len, "crypto ipsec ikev2"))
		return DEVCONF_CISCO_ASA;
	if (line_starts(text, len, "crypto isakmp") || line_starts(text, len, "crypto ikev2") ||
	    line_starts(text, len, "crypto ipsec") || line_starts(text, len, "crypto map") ||
	    line_starts(text, len, "crypto keyring"))
		return DEVCONF_CISCO_IOS;
	if (line_starts(text, len, "conn") || line_starts(text, len, "config setup")) {
		/* keywords only libreswan (pluto) knows */
		static const char *const pluto[] = {"phase2alg", "ikev2", "plutodebug",
						    "protostack", "nat_traversal", "salifetime",
						    "virtual_private", "ike-frag", "phase2"};

		for (size_t k = 0; k < sizeof(pluto) / sizeof(pluto[0]); k++)
			if (line_starts(text, len, pluto[k]))
				return DEVCONF_LIBRESWAN;
		return DEVCONF_STRONGSWAN_IPSEC;
	}
	snprintf(why, whylen, "no statement of a known format (swanctl.conf, ipsec.conf, Cisco "
			      "ASA/IOS, Junos, PAN-OS, FortiOS, AWS Generic or XML)");
	return DEVCONF_UNKNOWN;
}

/* ---- parsing -------------------------------------------------------------------------- */

int devconf_parse(const char *text, size_t len, enum devconf_format format, const char *file,
		  struct devconf_model *m, struct diag_error *err)
{
	char why[200] = "";

	memset(m, 0, sizeof *m);
	arena_init(&m->arena, 64u << 20);
	m->file = file ? file : "-";
	if (len > DEVCONF_MAX_BYTES)
		return diag_fail(err, DIAG_EXIT_DATAERR, m->file, "larger than %u MiB",
				 DEVCONF_MAX_BYTES >> 20);
	if (memchr(text, '\0', len))
		return diag_fail(err, DIAG_EXIT_DATAERR, m->file,
				 "a NUL byte: not a configuration text");
	if (format == DEVCONF_UNKNOWN && (format = devconf_detect(text, len, why, sizeof why)) ==
					     DEVCONF_UNKNOWN)
		return diag_fail(err, DIAG_EXIT_DATAERR, m->file, "not a known format: %s", why);
	m->format = format;
	for (size_t i = 0; i < NFORMATS; i++)
		if (formats[i].f == format)
			return formats[i].parse(text, len, m, err);
	return diag_fail(err, DIAG_EXIT_SOFTWARE, m->file, "no parser for format %d",
			 (int)format);
}

void devconf_free(struct devconf_model *m)
{
	arena_free(&m->arena);
	memset(m, 0, sizeof *m);
}

struct devconf_peer *devconf_add_peer(struct devconf_model *m, const char *name, int line)
{
	struct devconf_peer *p = ARENA_PUSH(&m->arena, m->peers, m->npeers, m->cap_peers);

	if (!p)
		return NULL;
	p->name = name ? arena_strdup(&m->arena, name) : NULL;
	p->line = line;
	p->ike_lifetime_s = p->dpd_delay_s = p->dpd_timeout_s = p->dpd_retries = DEVCONF_UNSET;
	p->natt = (int)DEVCONF_UNSET;
	return p;
}

struct devconf_child *devconf_add_child(struct devconf_model *m, struct devconf_peer *p,
					const char *name, int line)
{
	struct devconf_child *c = ARENA_PUSH(&m->arena, p->children, p->nchildren,
					     p->cap_children);

	if (!c)
		return NULL;
	c->name = name ? arena_strdup(&m->arena, name) : NULL;
	c->line = line;
	c->lifetime_s = c->lifetime_kb = DEVCONF_UNSET;
	return c;
}

struct devconf_peer *devconf_find_peer(struct devconf_model *m, const char *name)
{
	for (size_t i = 0; name && i < m->npeers; i++)
		if (m->peers[i].name && strcmp(m->peers[i].name, name) == 0)
			return &m->peers[i];
	return NULL;
}

const char *devconf_strdup(struct devconf_model *m, const char *s, size_t n)
{
	return arena_strndup(&m->arena, s, n);
}

void devconf_add_transform(struct ike_proposal *p, uint8_t type, uint16_t id,
			   uint16_t keylen)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->t[i].type == type && p->t[i].id == id && p->t[i].keylen == keylen)
			return;
	if (p->n < IKE_PROP_MAX) {
		p->t[p->n].type = type;
		p->t[p->n].id = id;
		p->t[p->n].keylen = keylen;
		p->n++;
	}
}

int devconf_fail(struct devconf_model *m, int line, struct diag_error *err, const char *fmt,
		 ...)
{
	char where[300], msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(where, sizeof where, "%s:%d", m->file, line);
	else
		snprintf(where, sizeof where, "%s", m->file);
	return diag_fail(err, DIAG_EXIT_DATAERR, where, "%s", msg);
}

int devconf_add_strongswan(struct devconf_model *m, int line, const char *s, bool esp,
			   struct ike_proposal *list, size_t *n, struct diag_error *err)
{
	struct ike_proposal p;
	struct diag_error e = {0};
	char msg[300];

	if (*n >= DEVCONF_PROPOSALS_MAX) {
		m->skipped++;
		return 0;
	}
	if (ike_proposal_parse_ex(s, (esp ? IKE_PROP_ESP : 0) | IKE_PROP_LENIENT, &p, &e) < 0)
		return devconf_fail(m, line, err, "%s", diag_error_text(&e, msg, sizeof msg));
	list[(*n)++] = p;
	return 0;
}

void devconf_add_ts(struct devconf_model *m, struct devconf_child *c, bool local,
		    const char *ts, size_t n)
{
	const char **arr = local ? c->local_ts : c->remote_ts;
	size_t *cnt = local ? &c->nlocal_ts : &c->nremote_ts;
	const char *dup;

	if (*cnt >= DEVCONF_TS_MAX) {
		m->skipped++;
		return;
	}
	if ((dup = devconf_strdup(m, ts, n)) != NULL)
		arr[(*cnt)++] = dup;
}

/* ---- dump ----------------------------------------------------------------------------- */

struct out {
	char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(o->p ? o->p + o->len : NULL, o->p ? o->cap - o->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			o->oom = true;
			return;
		}
		if (o->p && o->len + (size_t)n < o->cap) {
			o->len += (size_t)n;
			return;
		}
		size_t want = (o->cap ? o->cap * 2 : 4096) + (size_t)n;
		char *q = realloc(o->p, want);

		if (!q) {
			o->oom = true;
			return;
		}
		o->p = q;
		o->cap = want;
	}
}

/* "aes256-sha256-prfsha256-modp2048": the transforms in strongSwan's words. */
static void put_proposal(struct out *o, const struct ike_proposal *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct ike_transform *t = &p->t[i];
		const char *name = ike_transform_name(t->type, t->id);
		const char *k = strstr(name, "128");

		if (i)
			put(o, "-");
		if (t->type > IKE_T_ESN) /* additional key exchange (RFC 9370): ke1_ .. ke7_ */
			put(o, "ke%u_", (unsigned)(t->type - IKE_T_ESN));
		if (t->type == IKE_T_ENCR && t->keylen && k)
			put(o, "%.*s%u%s", (int)(k - name), name, (unsigned)t->keylen, k + 3);
		else if (strcmp(name, "unknown") == 0)
			put(o, "type%u-id%u", (unsigned)t->type, (unsigned)t->id);
		else if (t->type == IKE_T_PRF && strncmp(name, "prf", 3) != 0)
			put(o, "prf%s", name);
		else
			put(o, "%s", name);
	}
}

static const char *startup_name(enum devconf_startup s)
{
	switch (s) {
	case DEVCONF_START_INITIATE: return "initiate";
	case DEVCONF_START_ON_TRAFFIC: return "on-traffic";
	case DEVCONF_START_RESPOND: return "respond-only";
	case DEVCONF_START_UNKNOWN: break;
	}
	return "unknown";
}

static const char *dpd_name(enum devconf_dpd_action a)
{
	switch (a) {
	case DEVCONF_DPD_NONE: return "none";
	case DEVCONF_DPD_RESTART: return "restart";
	case DEVCONF_DPD_HOLD: return "hold";
	case DEVCONF_DPD_CLEAR: return "clear";
	case DEVCONF_DPD_UNKNOWN: break;
	}
	return "unknown";
}

static void put_num(struct out *o, const char *key, long v)
{
	if (v != DEVCONF_UNSET)
		put(o, " %s=%ld", key, v);
}

char *devconf_dump(const struct devconf_model *m)
{
	struct out o = {0};

	put(&o, "format %s\n", devconf_format_name(m->format) ? devconf_format_name(m->format)
							       : "unknown");
	put(&o, "peers %zu skipped %zu\n", m->npeers, m->skipped);
	for (size_t i = 0; i < m->npeers; i++) {
		const struct devconf_peer *p = &m->peers[i];

		put(&o, "peer %s line %d\n", p->name ? p->name : "-", p->line);
		put(&o, "  remote %s local %s\n", p->remote_addr ? p->remote_addr : "-",
		    p->local_addr ? p->local_addr : "-");
		if (p->local_id || p->remote_id)
			put(&o, "  id local %s remote %s\n", p->local_id ? p->local_id : "-",
			    p->remote_id ? p->remote_id : "-");
		put(&o, "  ike versions%s%s%s%s\n", p->ike_versions & 2 ? " v2" : "",
		    p->ike_versions & 1 ? " v1" : "", p->ike_versions ? "" : " unknown",
		    p->aggressive ? " aggressive" : "");
		for (size_t k = 0; k < p->nike; k++) {
			put(&o, "  ike[%zu] ", k);
			put_proposal(&o, &p->ike[k]);
			put(&o, "\n");
		}
		put(&o, "  ");
		put(&o, "startup %s", startup_name(p->startup));
		put_num(&o, "ike_lifetime", p->ike_lifetime_s);
		put_num(&o, "dpd_delay", p->dpd_delay_s);
		put_num(&o, "dpd_timeout", p->dpd_timeout_s);
		put_num(&o, "dpd_retries", p->dpd_retries);
		if (p->dpd_action)
			put(&o, " dpd_action=%s", dpd_name(p->dpd_action));
		if (p->natt != (int)DEVCONF_UNSET)
			put(&o, " natt=%s", p->natt == 0 ? "off" : p->natt == 2 ? "forced" : "on");
		put(&o, " %s", p->route_based ? "route-based" : "policy-based");
		if (p->tunnel_if)
			put(&o, " tunnel_if=%s", p->tunnel_if);
		put(&o, " psk=%s%s\n", p->psk_set ? "set" : "unset", p->psk_weak ? ",weak" : "");
		for (size_t c = 0; c < p->nchildren; c++) {
			const struct devconf_child *ch = &p->children[c];

			put(&o, "  child %s line %d", ch->name ? ch->name : "-", ch->line);
			put_num(&o, "lifetime", ch->lifetime_s);
			put_num(&o, "lifetime_kb", ch->lifetime_kb);
			if (ch->startup)
				put(&o, " startup=%s", startup_name(ch->startup));
			put(&o, "\n");
			for (size_t k = 0; k < ch->nesp; k++) {
				put(&o, "    esp[%zu] ", k);
				put_proposal(&o, &ch->esp[k]);
				put(&o, "\n");
			}
			put(&o, "    local_ts");
			for (size_t k = 0; k < ch->nlocal_ts; k++)
				put(&o, " %s", ch->local_ts[k]);
			put(&o, "\n    remote_ts");
			for (size_t k = 0; k < ch->nremote_ts; k++)
				put(&o, " %s", ch->remote_ts[k]);
			put(&o, "\n");
		}
	}
	for (size_t i = 0; i < m->nunused; i++) {
		const struct devconf_unused *u = &m->unused[i];

		put(&o, "unused %s %s line %d ", u->esp ? "esp" : "ike", u->name ? u->name : "-",
		    u->line);
		put_proposal(&o, &u->p);
		put_num(&o, "lifetime", u->lifetime_s);
		if (u->note)
			put(&o, " (%s)", u->note);
		put(&o, "\n");
	}
	if (o.oom) {
		free(o.p);
		return NULL;
	}
	return o.p ? o.p : strdup("");
}
