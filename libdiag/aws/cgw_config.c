/* CustomerGatewayConfiguration XML to struct aws_cgw_config. The document (as
 * describe-vpn-connections returns it, e.g. in batfish's VpnConnectionTest.json):
 *
 *   <vpn_connection id="vpn-...">
 *     <customer_gateway_id/> <vpn_gateway_id/> <vpn_connection_type>ipsec.1</...>
 *     <ipsec_tunnel>                                   (one per tunnel)
 *       <customer_gateway>
 *         <tunnel_outside_address><ip_address/></tunnel_outside_address>
 *         <tunnel_inside_address><ip_address/><network_mask/><network_cidr/></...>
 *         <bgp><asn/><hold_time/></bgp>               (absent for static routing)
 *       </customer_gateway>
 *       <vpn_gateway> the same, for the AWS side </vpn_gateway>
 *       <ike><authentication_protocol/><encryption_protocol/><lifetime/>
 *            <perfect_forward_secrecy>group2</...><mode/><pre_shared_key/></ike>
 *       <ipsec><protocol/><authentication_protocol/><encryption_protocol/><lifetime/>
 *              <perfect_forward_secrecy/><mode/><clear_df_bit/>
 *              <fragmentation_before_encryption/><tcp_mss_adjustment/>
 *              <dead_peer_detection><interval/><retries/></dead_peer_detection></ipsec>
 *     </ipsec_tunnel>
 *   </vpn_connection>
 *
 * The tree comes from xml_to_tree; this file only reads it, so every error names a path
 * and never a value. */
#include "libdiag/aws/cgw_config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "libdiag/xml.h"

#define PATH_MAX_LEN 160

struct ctx {
	struct arena *a;
	struct diag_error *err;
};

static int fail_path(struct ctx *c, const char *path, const char *what)
{
	return diag_fail(c->err, DIAG_EXIT_DATAERR, path, "%s", what);
}

static int fail_oom(struct ctx *c, const char *path)
{
	return diag_fail(c->err, DIAG_EXIT_SOFTWARE, path, "out of memory");
}

/* out = parent "/" name, cut to fit (no path here comes near the limit). */
static void join(char *out, const char *parent, const char *name)
{
	size_t n = strlen(parent), m = strlen(name);

	if (n > PATH_MAX_LEN - 2)
		n = PATH_MAX_LEN - 2;
	memmove(out, parent, n);
	out[n++] = '/';
	if (m > PATH_MAX_LEN - 1 - n)
		m = PATH_MAX_LEN - 1 - n;
	memcpy(out + n, name, m);
	out[n + m] = '\0';
}

/* Member name of obj, which must occur at most once. *v is NULL when absent or empty
 * (<x/>). Returns -1 on a repeated element. */
static int member(struct ctx *c, const cJSON *obj, const char *parent, const char *name,
		  const cJSON **v)
{
	const cJSON *m = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name)
					     : NULL;
	char path[PATH_MAX_LEN];

	*v = NULL;
	if (!m || (cJSON_IsString(m) && !m->valuestring[0]))
		return 0;
	if (cJSON_IsArray(m)) {
		join(path, parent, name);
		return fail_path(c, path, "appears more than once");
	}
	*v = m;
	return 0;
}

/* The element parent/name holding child elements; *obj NULL when absent or empty. */
static int get_obj(struct ctx *c, const cJSON *parent_obj, const char *parent,
		   const char *name, const cJSON **obj)
{
	char path[PATH_MAX_LEN];

	if (member(c, parent_obj, parent, name, obj) < 0)
		return -1;
	if (*obj && !cJSON_IsObject(*obj)) {
		join(path, parent, name);
		return fail_path(c, path, "expected child elements, found text");
	}
	return 0;
}

/* The text of parent/name (NULL when absent or empty), not copied. */
static int get_raw(struct ctx *c, const cJSON *obj, const char *parent, const char *name,
		   const char **s)
{
	const cJSON *v;
	char path[PATH_MAX_LEN];

	*s = NULL;
	if (member(c, obj, parent, name, &v) < 0)
		return -1;
	if (!v)
		return 0;
	if (!cJSON_IsString(v)) {
		join(path, parent, name);
		return fail_path(c, path, "expected text, found child elements or attributes");
	}
	*s = v->valuestring;
	return 0;
}

/* The text of parent/name copied into the arena; *out untouched when absent. */
static int get_str(struct ctx *c, const cJSON *obj, const char *parent, const char *name,
		   char **out)
{
	const char *s;
	char path[PATH_MAX_LEN];

	if (get_raw(c, obj, parent, name, &s) < 0)
		return -1;
	if (!s)
		return 0;
	*out = arena_strdup(c->a, s);
	if (!*out) {
		join(path, parent, name);
		return fail_oom(c, path);
	}
	return 0;
}

/* Decimal digits only, at most max. Returns 0, -1 (not a number) or -2 (too big). */
static int parse_num(const char *s, long max, long *out)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		int d;

		if (*s < '0' || *s > '9')
			return -1;
		d = *s - '0';
		if (v > (max - d) / 10)
			return -2;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int num_result(struct ctx *c, const char *parent, const char *name, int rc,
		      const char *bad)
{
	char path[PATH_MAX_LEN];

	if (rc == 0)
		return 0;
	join(path, parent, name);
	return fail_path(c, path, rc == -2 ? "out of range" : bad);
}

/* A whole number in [0, max]; *out untouched when absent. */
static int get_num(struct ctx *c, const cJSON *obj, const char *parent, const char *name,
		   long max, long *out)
{
	const char *s;

	if (get_raw(c, obj, parent, name, &s) < 0)
		return -1;
	if (!s)
		return 0;
	return num_result(c, parent, name, parse_num(s, max, out), "not a number");
}

/* A Diffie-Hellman group written "groupN" (as AWS does: "group2"). */
static int get_group(struct ctx *c, const cJSON *obj, const char *parent, const char *name,
		     long *out)
{
	const char *s;

	if (get_raw(c, obj, parent, name, &s) < 0)
		return -1;
	if (!s)
		return 0;
	if (strncmp(s, "group", 5) != 0)
		return num_result(c, parent, name, -1, "not a Diffie-Hellman group (groupN)");
	return num_result(c, parent, name, parse_num(s + 5, 65535, out),
			  "not a Diffie-Hellman group (groupN)");
}

static int get_bool(struct ctx *c, const cJSON *obj, const char *parent, const char *name,
		    long *out)
{
	const char *s;
	char path[PATH_MAX_LEN];

	if (get_raw(c, obj, parent, name, &s) < 0)
		return -1;
	if (!s)
		return 0;
	if (strcmp(s, "true") == 0) {
		*out = 1;
	} else if (strcmp(s, "false") == 0) {
		*out = 0;
	} else {
		join(path, parent, name);
		return fail_path(c, path, "not a boolean (true or false)");
	}
	return 0;
}

#define NUM_MAX 2147483647L          /* lifetimes, counts, sizes */
#define ASN_MAX 4294967295L          /* 4-byte ASNs */

/* One side of a tunnel (customer_gateway or vpn_gateway): outside and inside addresses
 * and BGP numbers. */
static int parse_side(struct ctx *c, const cJSON *side, const char *path, char **outside,
		      char **inside, long *prefix_len, long *asn, long *hold_time)
{
	const cJSON *o, *in, *bgp;
	char p[PATH_MAX_LEN];

	if (get_obj(c, side, path, "tunnel_outside_address", &o) < 0 ||
	    get_obj(c, side, path, "tunnel_inside_address", &in) < 0 ||
	    get_obj(c, side, path, "bgp", &bgp) < 0)
		return -1;
	join(p, path, "tunnel_outside_address");
	if (get_str(c, o, p, "ip_address", outside) < 0)
		return -1;
	join(p, path, "tunnel_inside_address");
	if (get_str(c, in, p, "ip_address", inside) < 0 ||
	    get_num(c, in, p, "network_cidr", 128, prefix_len) < 0)
		return -1;
	join(p, path, "bgp");
	if (get_num(c, bgp, p, "asn", ASN_MAX, asn) < 0 ||
	    get_num(c, bgp, p, "hold_time", 65535, hold_time) < 0)
		return -1;
	return 0;
}

static int parse_ike(struct ctx *c, const cJSON *ike, const char *p, struct aws_cgw_tunnel *t)
{
	if (get_str(c, ike, p, "authentication_protocol", &t->ike_authentication) < 0 ||
	    get_str(c, ike, p, "encryption_protocol", &t->ike_encryption) < 0 ||
	    get_num(c, ike, p, "lifetime", NUM_MAX, &t->ike_lifetime_s) < 0 ||
	    get_group(c, ike, p, "perfect_forward_secrecy", &t->ike_dh_group) < 0 ||
	    get_str(c, ike, p, "mode", &t->ike_mode) < 0 ||
	    get_str(c, ike, p, "pre_shared_key", &t->pre_shared_key) < 0)
		return -1;
	return 0;
}

static int parse_ipsec(struct ctx *c, const cJSON *ipsec, const char *p,
		       struct aws_cgw_tunnel *t)
{
	const cJSON *dpd;
	char dp[PATH_MAX_LEN];

	if (get_str(c, ipsec, p, "protocol", &t->ipsec_protocol) < 0 ||
	    get_str(c, ipsec, p, "authentication_protocol", &t->ipsec_authentication) < 0 ||
	    get_str(c, ipsec, p, "encryption_protocol", &t->ipsec_encryption) < 0 ||
	    get_num(c, ipsec, p, "lifetime", NUM_MAX, &t->ipsec_lifetime_s) < 0 ||
	    get_group(c, ipsec, p, "perfect_forward_secrecy", &t->ipsec_pfs_group) < 0 ||
	    get_str(c, ipsec, p, "mode", &t->ipsec_mode) < 0 ||
	    get_bool(c, ipsec, p, "clear_df_bit", &t->clear_df_bit) < 0 ||
	    get_str(c, ipsec, p, "fragmentation_before_encryption",
		    &t->fragmentation_before_encryption) < 0 ||
	    get_num(c, ipsec, p, "tcp_mss_adjustment", 65535, &t->tcp_mss_adjustment) < 0 ||
	    get_obj(c, ipsec, p, "dead_peer_detection", &dpd) < 0)
		return -1;
	join(dp, p, "dead_peer_detection");
	/* AWS writes <interval>; <delay> is accepted for the same value. */
	if (get_num(c, dpd, dp, "delay", NUM_MAX, &t->dpd_delay_s) < 0 ||
	    get_num(c, dpd, dp, "interval", NUM_MAX, &t->dpd_delay_s) < 0 ||
	    get_num(c, dpd, dp, "retries", NUM_MAX, &t->dpd_retries) < 0)
		return -1;
	return 0;
}

static void tunnel_init(struct aws_cgw_tunnel *t)
{
	memset(t, 0, sizeof *t);
	t->inside_prefix_len = t->ike_lifetime_s = t->ike_dh_group = AWS_ABSENT;
	t->ipsec_lifetime_s = t->ipsec_pfs_group = AWS_ABSENT;
	t->dpd_delay_s = t->dpd_retries = t->tcp_mss_adjustment = AWS_ABSENT;
	t->clear_df_bit = AWS_ABSENT;
	t->cgw_bgp_asn = t->vgw_bgp_asn = t->bgp_hold_time = AWS_ABSENT;
}

static int parse_tunnel(struct ctx *c, const cJSON *tun, const char *path,
			struct aws_cgw_tunnel *t)
{
	const cJSON *cgw, *vgw, *ike, *ipsec;
	long cgw_prefix = AWS_ABSENT, cgw_hold = AWS_ABSENT;
	char p[PATH_MAX_LEN];

	tunnel_init(t);
	if (!cJSON_IsObject(tun))
		return fail_path(c, path, "expected child elements, found text");
	if (get_obj(c, tun, path, "customer_gateway", &cgw) < 0 ||
	    get_obj(c, tun, path, "vpn_gateway", &vgw) < 0 ||
	    get_obj(c, tun, path, "ike", &ike) < 0 ||
	    get_obj(c, tun, path, "ipsec", &ipsec) < 0)
		return -1;
	join(p, path, "customer_gateway");
	if (parse_side(c, cgw, p, &t->cgw_outside_ip, &t->cgw_inside_ip, &cgw_prefix,
		       &t->cgw_bgp_asn, &cgw_hold) < 0)
		return -1;
	join(p, path, "vpn_gateway");
	if (parse_side(c, vgw, p, &t->vgw_outside_ip, &t->vgw_inside_ip,
		       &t->inside_prefix_len, &t->vgw_bgp_asn, &t->bgp_hold_time) < 0)
		return -1;
	/* Both sides carry the inside prefix and hold time; the customer side's prefix and
	 * the AWS side's hold time win, each falling back to the other side's. */
	if (cgw_prefix != AWS_ABSENT)
		t->inside_prefix_len = cgw_prefix;
	if (t->bgp_hold_time == AWS_ABSENT)
		t->bgp_hold_time = cgw_hold;
	join(p, path, "ike");
	if (parse_ike(c, ike, p, t) < 0)
		return -1;
	join(p, path, "ipsec");
	return parse_ipsec(c, ipsec, p, t);
}

static int parse_root(struct ctx *c, const cJSON *root, struct aws_cgw_config *cfg)
{
	const char *path = "vpn_connection";
	const cJSON *tunnels, *t;
	size_t i = 0;

	if (get_str(c, root, path, "@id", &cfg->vpn_connection_id) < 0 ||
	    get_str(c, root, path, "customer_gateway_id", &cfg->customer_gateway_id) < 0 ||
	    get_str(c, root, path, "vpn_gateway_id", &cfg->vpn_gateway_id) < 0 ||
	    get_str(c, root, path, "vpn_connection_type", &cfg->vpn_connection_type) < 0)
		return -1;
	tunnels = cJSON_GetObjectItemCaseSensitive(root, "ipsec_tunnel");
	for (t = xml_list_first(tunnels); t; t = xml_list_next(tunnels, t)) {
		struct aws_cgw_tunnel *tun;
		char p[PATH_MAX_LEN];

		snprintf(p, sizeof p, "%s/ipsec_tunnel[%zu]", path, ++i);
		if (xml_list_len(t) == 0)
			continue; /* an empty <ipsec_tunnel/> describes nothing */
		tun = ARENA_PUSH(c->a, cfg->tunnels, cfg->n_tunnels, cfg->cap_tunnels);
		if (!tun)
			return fail_oom(c, p);
		if (parse_tunnel(c, t, p, tun) < 0)
			return -1;
	}
	return 0;
}

int aws_cgw_config_parse(struct arena *a, const char *xml, size_t len,
			 struct aws_cgw_config **out, struct diag_error *err)
{
	struct ctx c = {a, err};
	struct aws_cgw_config *cfg;
	const cJSON *root;
	cJSON *tree;
	int rc = -1;

	tree = xml_to_tree(xml, len, "CustomerGatewayConfiguration", err);
	if (!tree)
		return -1;
	root = cJSON_GetObjectItemCaseSensitive(tree, "vpn_connection");
	if (!root) {
		fail_path(&c, "CustomerGatewayConfiguration",
			  "the root element is not vpn_connection");
	} else if (!cJSON_IsObject(root) && xml_list_len(root) != 0) {
		/* <vpn_connection/> is an empty configuration; text is not one */
		fail_path(&c, "vpn_connection", "expected child elements, found text");
	} else if (!(cfg = arena_alloc(a, sizeof *cfg))) {
		fail_oom(&c, "vpn_connection");
	} else if (parse_root(&c, root, cfg) == 0) {
		*out = cfg;
		rc = 0;
	}
	xml_tree_free(tree);
	return rc;
}
