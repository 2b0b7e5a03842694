/* The CustomerGatewayConfiguration XML AWS generates for a VPN connection, as a device
 * configuration: one peer per <ipsec_tunnel>, remote = the virtual private gateway's
 * outside address, local = the customer gateway's, phase 1 from <ike>, phase 2 from
 * <ipsec>, DPD from <dead_peer_detection>. The document itself is read by
 * aws_cgw_config_parse (libdiag/aws/cgw_config.c); this file maps its values.
 *
 * What the XML does not say is filled with what AWS's document means: it describes an
 * IKEv1 main-mode tunnel (<mode>main</mode>) that the customer gateway brings up (AWS
 * does not initiate by default), route-based (inside addresses on a tunnel interface).
 * The pre-shared key is judged against AWS's rules and forgotten: the temporary arena
 * holding it is wiped before return. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/aws/cgw_config.h"
#include "libdiag/devconf/devconf.h"
#include "libdiag/devconf/devconf_aws_map.h"

/* Where "<name" (followed by a blank, '>' or '/') next starts at or after *off; moves *off
 * there. Returns false when there is none. */
static bool find_tag(const char *text, size_t len, size_t *off, const char *name, size_t nl)
{
	for (size_t i = *off; i < len; i++)
		if (text[i] == '<' && len - i > nl + 1 && memcmp(text + i + 1, name, nl) == 0 &&
		    strchr(" \t\r\n>/", text[i + 1 + nl])) {
			*off = i;
			return true;
		}
	return false;
}

static int line_at(const char *text, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

/* The line of the n-th (0-based) <ipsec_tunnel>, or 0. */
static int tunnel_line(const char *text, size_t len, size_t n)
{
	size_t off = 0;

	for (size_t k = 0; find_tag(text, len, &off, "ipsec_tunnel", 12); k++, off++)
		if (k == n)
			return line_at(text, off);
	return 0;
}

/* The line of an element path as aws_cgw_config_parse names it
 * ("vpn_connection/ipsec_tunnel[2]/ike/lifetime"): each step searched for after the one
 * before, [N] counting occurrences. 0 when it cannot be found. */
static int path_line(const char *text, size_t len, const char *path)
{
	size_t off = 0;
	int found = 0;

	while (*path) {
		size_t nl = strcspn(path, "/[");
		unsigned long idx = 1;

		if (nl == 0 || nl > 64)
			return found;
		if (path[nl] == '[')
			idx = strtoul(path + nl + 1, NULL, 10);
		for (unsigned long k = 0; k < idx; k++) {
			if (k && ++off >= len)
				return found;
			if (!find_tag(text, len, &off, path, nl))
				return found;
		}
		found = line_at(text, off);
		path += nl;
		path += strcspn(path, "/");
		if (*path == '/')
			path++;
	}
	return found;
}

static size_t slen(const char *s)
{
	return s ? strlen(s) : 0;
}

/* One <ipsec_tunnel> as a peer with one child. Returns 0, or -1 on memory. */
static int map_tunnel(struct devconf_model *m, const struct aws_cgw_config *cfg,
		      const struct aws_cgw_tunnel *t, size_t idx, int line, int child_line,
		      struct diag_error *err)
{
	char name[160];
	struct devconf_peer *p;
	struct devconf_child *c;
	bool aead;

	snprintf(name, sizeof name, "%s%stunnel%zu",
		 cfg->vpn_connection_id ? cfg->vpn_connection_id : "",
		 cfg->vpn_connection_id ? "/" : "", idx + 1);
	if (!(p = devconf_add_peer(m, name, line)))
		return devconf_fail(m, line, err, "out of memory");
	p->remote_addr = t->vgw_outside_ip ? devconf_strdup(m, t->vgw_outside_ip,
							    strlen(t->vgw_outside_ip)) : NULL;
	p->local_addr = t->cgw_outside_ip ? devconf_strdup(m, t->cgw_outside_ip,
							   strlen(t->cgw_outside_ip)) : NULL;
	/* AWS's XML describes IKEv1: main mode unless it says aggressive. */
	p->ike_versions = 1;
	p->aggressive = t->ike_mode && strcmp(t->ike_mode, "aggressive") == 0;
	if (t->ike_mode && strcmp(t->ike_mode, "main") != 0 && !p->aggressive)
		m->skipped++;
	if (t->ike_encryption || t->ike_authentication || t->ike_dh_group != AWS_ABSENT) {
		struct ike_proposal *ike = &p->ike[p->nike++];

		aead = t->ike_encryption &&
		       devconf_aws_add_encr(ike, t->ike_encryption, strlen(t->ike_encryption));
		if (t->ike_authentication)
			devconf_aws_add_hash(ike, t->ike_authentication,
					     strlen(t->ike_authentication), aead);
		if (t->ike_dh_group != AWS_ABSENT)
			devconf_add_transform(ike, IKE_T_DH, (uint16_t)t->ike_dh_group, 0);
	}
	p->ike_lifetime_s = t->ike_lifetime_s;
	p->dpd_delay_s = t->dpd_delay_s;
	p->dpd_retries = t->dpd_retries;
	if (t->dpd_delay_s != AWS_ABSENT && t->dpd_retries != AWS_ABSENT &&
	    t->dpd_delay_s < 100000 && t->dpd_retries < 100000)
		p->dpd_timeout_s = t->dpd_delay_s * t->dpd_retries;
	p->startup = DEVCONF_START_INITIATE;
	p->route_based = t->cgw_inside_ip != NULL || t->vgw_inside_ip != NULL;
	/* "<redacted>" (a dump) still says a key was set; only a real key can be judged */
	p->psk_set = slen(t->pre_shared_key) > 0;
	p->psk_weak = p->psk_set && strcmp(t->pre_shared_key, "<redacted>") != 0 &&
		      devconf_aws_psk_weak(t->pre_shared_key, strlen(t->pre_shared_key));

	if (!(c = devconf_add_child(m, p, "ipsec", child_line ? child_line : line)))
		return devconf_fail(m, line, err, "out of memory");
	if (t->ipsec_encryption || t->ipsec_authentication || t->ipsec_pfs_group != AWS_ABSENT) {
		struct ike_proposal *esp = &c->esp[c->nesp++];

		aead = t->ipsec_encryption && devconf_aws_add_encr(esp, t->ipsec_encryption,
								   strlen(t->ipsec_encryption));
		if (t->ipsec_authentication)
			devconf_aws_add_integ(esp, t->ipsec_authentication,
					      strlen(t->ipsec_authentication), aead);
		if (t->ipsec_pfs_group != AWS_ABSENT) {
			devconf_add_transform(esp, IKE_T_DH, (uint16_t)t->ipsec_pfs_group, 0);
			c->pfs_set = true;
		}
	}
	if (t->ipsec_protocol && strcmp(t->ipsec_protocol, "esp") != 0)
		m->skipped++;
	c->lifetime_s = t->ipsec_lifetime_s;
	/* a route-based tunnel carries everything; the routes pick what goes in */
	if (p->route_based) {
		devconf_add_ts(m, c, true, "0.0.0.0/0", 9);
		devconf_add_ts(m, c, false, "0.0.0.0/0", 9);
	}
	return 0;
}

/* "CustomerGatewayConfiguration:L:C: ..." and element paths, rewritten to name the file. */
static int fail_from(struct devconf_model *m, const char *text, size_t len,
		     const struct diag_error *e, struct diag_error *err)
{
	static const char src[] = "CustomerGatewayConfiguration";
	char where[400];
	int line;

	if (e->code != DIAG_EXIT_DATAERR)
		return diag_fail(err, e->code ? e->code : DIAG_EXIT_SOFTWARE, m->file, "%s",
				 e->what);
	if (strncmp(e->where, src, sizeof src - 1) == 0 && e->where[sizeof src - 1] == ':')
		snprintf(where, sizeof where, "%s%s", m->file, e->where + sizeof src - 1);
	else if (e->where[0] && (line = path_line(text, len, e->where)) > 0)
		snprintf(where, sizeof where, "%s:%d: %s", m->file, line, e->where);
	else if (e->where[0])
		snprintf(where, sizeof where, "%s: %s", m->file, e->where);
	else
		snprintf(where, sizeof where, "%s", m->file);
	return diag_fail(err, DIAG_EXIT_DATAERR, where, "%s", e->what);
}

int devconf_parse_aws_xml(const char *text, size_t len, struct devconf_model *m,
			  struct diag_error *err)
{
	struct arena tmp;
	struct aws_cgw_config *cfg = NULL;
	struct diag_error e = {0};
	int rc = 0;

	arena_init(&tmp, 64u << 20);
	if (aws_cgw_config_parse(&tmp, text, len, &cfg, &e) < 0) {
		arena_free(&tmp);
		return fail_from(m, text, len, &e, err);
	}
	for (size_t i = 0; rc == 0 && i < cfg->n_tunnels; i++) {
		char path[64];

		snprintf(path, sizeof path, "vpn_connection/ipsec_tunnel[%zu]/ipsec", i + 1);
		rc = map_tunnel(m, cfg, &cfg->tunnels[i], i, tunnel_line(text, len, i),
				path_line(text, len, path), err);
	}
	if (rc == 0 && cfg->n_tunnels == 0)
		rc = devconf_fail(m, 1, err,
				  "no <ipsec_tunnel> in the CustomerGatewayConfiguration");
	arena_free(&tmp); /* wipes the pre-shared keys */
	return rc;
}
