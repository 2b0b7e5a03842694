/* vpn-aws: reads the AWS side of a Site-to-Site VPN (the AWS CLI's describe-* JSON) into
 * the AWS model and shows it: a summary per VPN connection and tunnel with the IKE values
 * AWS will use, or the whole model as JSON. Secrets never reach the output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmd/cli.h"
#include "cmd/tools.h"
#include "libdiag/aws/ec2_client.h"
#include "libdiag/aws/defaults.h"
#include "libdiag/aws/dump.h"
#include "libdiag/aws/load_json.h"
#include "libdiag/utf8.h"

static const char *const TOOL = "vpn-aws";

/* The model may use this much memory; inputs are capped at 64 MiB a file. */
#define MODEL_LIMIT ((size_t)1 << 30)

enum {
	OPT_AWS_DIR = 256, OPT_AWS_FILE, OPT_JSON, OPT_HELP, OPT_VERSION,
	OPT_LIVE, OPT_REGION, OPT_PROFILE, OPT_ENDPOINT, OPT_CACERT, OPT_VPN_ID, OPT_STATUS,
};

static const struct cli_opt options[] = {
	{OPT_AWS_DIR, 0, "aws-dir", "DIR", "read every *.json file in DIR (repeatable)"},
	{OPT_AWS_FILE, 0, "aws-file", "FILE", "read one describe-* JSON file, '-' for stdin "
					      "(repeatable)"},
	{OPT_LIVE, 0, "live", NULL, "read EC2 itself (SigV4, credentials from the SDK chain)"},
	{OPT_REGION, 0, "region", "R", "with --live: the region (default: AWS_REGION, profile)"},
	{OPT_PROFILE, 0, "profile", "P", "with --live: the shared-config profile"},
	{OPT_ENDPOINT, 0, "endpoint-url", "URL", "with --live: another EC2 endpoint"},
	{OPT_CACERT, 0, "cacert", "FILE", "with --live: CA bundle (default: AWS_CA_BUNDLE, system)"},
	{OPT_VPN_ID, 0, "vpn-connection-id", "ID", "with --live: only this VPN connection and "
						   "what it uses"},
	{OPT_STATUS, 0, "tunnel-status", NULL, "with --live: also GetActiveVpnTunnelStatus"},
	{OPT_JSON, 0, "json", NULL, "print the model as JSON (secrets redacted)"},
	{OPT_HELP, 'h', "help", NULL, "this help"},
	{OPT_VERSION, 0, "version", NULL, "print the version"},
	{0, 0, NULL, NULL, NULL},
};

struct input {
	bool dir;
	const char *path;
};

struct aws_cmd {
	struct input *in;
	size_t n_in;
	bool json, help, version, stdin_used;
	bool live;
	struct aws_live_opts lo;
};

static int handle_option(void *ctx, int id, const char *arg)
{
	struct aws_cmd *c = ctx;
	char flag[64];

	cli_flag_name(options, id, flag);
	switch (id) {
	case OPT_AWS_DIR:
	case OPT_AWS_FILE:
		if (id == OPT_AWS_FILE && strcmp(arg, "-") == 0) {
			if (c->stdin_used)
				return cli_usage_error(TOOL, "--aws-file -: standard input can be "
							     "read once");
			c->stdin_used = true;
		}
		c->in[c->n_in].dir = id == OPT_AWS_DIR;
		c->in[c->n_in++].path = arg;
		break;
	case OPT_LIVE: c->live = true; break;
	case OPT_REGION: c->lo.region = arg; break;
	case OPT_PROFILE: c->lo.profile = arg; break;
	case OPT_ENDPOINT: c->lo.endpoint_url = arg; break;
	case OPT_CACERT: c->lo.ca_bundle = arg; break;
	case OPT_VPN_ID: c->lo.vpn_connection_id = arg; break;
	case OPT_STATUS: c->lo.tunnel_status = true; break;
	case OPT_JSON: c->json = true; break;
	case OPT_HELP: c->help = true; break;
	case OPT_VERSION: c->version = true; break;
	default: return cli_usage_error(TOOL, "%s: unhandled option", flag);
	}
	return 0;
}

/* ---- text rendering ----------------------------------------------------------------- */
/* Untrusted text goes to a terminal: control characters become '?'. */
static void put(FILE *fp, const char *s)
{
	for (; s && *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, fp);
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static const char *tag_name(const struct aws_tags *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].key && strcmp(t->v[i].key, "Name") == 0)
			return t->v[i].value;
	return NULL;
}

/* " \"NAME\"" after an id, when the object has a Name tag. */
static void put_name(FILE *fp, const struct aws_tags *t)
{
	const char *n = tag_name(t);

	if (n && *n) {
		fputs(" \"", fp);
		put(fp, n);
		fputc('"', fp);
	}
}

static void put_strs(FILE *fp, const struct aws_strs *s)
{
	for (size_t i = 0; i < s->n; i++) {
		fputs(i ? ", " : "", fp);
		put(fp, s->v[i]);
	}
}

static void put_ints(FILE *fp, const struct aws_ints *s)
{
	for (size_t i = 0; i < s->n; i++)
		fprintf(fp, "%s%ld", i ? ", " : "", s->v[i]);
}

static void put_default(FILE *fp, unsigned mask, enum aws_tunnel_field f)
{
	fputs(mask & AWS_TF_BIT(f) ? " (default)\n" : "\n", fp);
}

static void print_counts(FILE *fp, const struct aws_model *m)
{
	fprintf(fp, "AWS model: %zu %s, %zu %s, %zu %s, %zu %s, %zu %s, %zu %s, %zu %s\n",
		m->n_vpn_connections, plural(m->n_vpn_connections, "VPN connection",
					     "VPN connections"),
		m->n_vpn_gateways, plural(m->n_vpn_gateways, "VPN gateway", "VPN gateways"),
		m->n_customer_gateways, plural(m->n_customer_gateways, "customer gateway",
					       "customer gateways"),
		m->n_route_tables, plural(m->n_route_tables, "route table", "route tables"),
		m->n_subnets, plural(m->n_subnets, "subnet", "subnets"),
		m->n_vpcs, plural(m->n_vpcs, "VPC", "VPCs"),
		m->n_active_status, plural(m->n_active_status, "tunnel status",
					   "tunnel statuses"));
	fprintf(fp, "read from:");
	for (size_t i = 0; i < m->sources.n; i++) {
		fputs(i ? ", " : " ", fp);
		put(fp, m->sources.v[i]);
	}
	fputc('\n', fp);
}

static const struct aws_telemetry *find_telemetry(const struct aws_vpn_connection *v,
						  const char *ip)
{
	for (size_t i = 0; ip && i < v->n_telemetry; i++)
		if (v->telemetry[i].outside_ip && strcmp(v->telemetry[i].outside_ip, ip) == 0)
			return &v->telemetry[i];
	return NULL;
}

static const struct aws_tunnel_options *find_tunnel(const struct aws_vpn_connection *v,
						    const char *ip)
{
	for (size_t i = 0; ip && i < v->n_tunnels; i++)
		if (v->tunnels[i].outside_ip && strcmp(v->tunnels[i].outside_ip, ip) == 0)
			return &v->tunnels[i];
	return NULL;
}

static const struct aws_active_status *find_status(const struct aws_model *m, const char *vpn,
						   const char *ip)
{
	for (size_t i = 0; vpn && ip && i < m->n_active_status; i++) {
		const struct aws_active_status *s = &m->active_status[i];

		if (s->vpn_connection_id && s->outside_ip &&
		    strcmp(s->vpn_connection_id, vpn) == 0 && strcmp(s->outside_ip, ip) == 0)
			return s;
	}
	return NULL;
}

static void print_telemetry(FILE *fp, const struct aws_telemetry *t)
{
	fputs("    telemetry            ", fp);
	if (!t) {
		fputs("none in the input\n", fp);
		return;
	}
	put(fp, or_dash(t->status));
	if (t->last_status_change) {
		fputs(" since ", fp);
		put(fp, t->last_status_change);
	}
	if (t->accepted_route_count != AWS_ABSENT)
		fprintf(fp, ", %ld accepted %s", t->accepted_route_count,
			plural((size_t)t->accepted_route_count, "route", "routes"));
	if (t->status_message && *t->status_message) {
		fputs(", \"", fp);
		put(fp, t->status_message);
		fputc('"', fp);
	}
	fputc('\n', fp);
}

static void print_phase(FILE *fp, int phase, const struct aws_tunnel_options *e, unsigned mask)
{
	const struct aws_strs *enc = phase == 1 ? &e->phase1_encryption : &e->phase2_encryption;
	const struct aws_strs *integ = phase == 1 ? &e->phase1_integrity : &e->phase2_integrity;
	const struct aws_ints *dh = phase == 1 ? &e->phase1_dh_groups : &e->phase2_dh_groups;

	fprintf(fp, "    phase %d encryption   ", phase);
	put_strs(fp, enc);
	put_default(fp, mask, phase == 1 ? AWS_TF_PHASE1_ENCRYPTION : AWS_TF_PHASE2_ENCRYPTION);
	fprintf(fp, "    phase %d integrity    ", phase);
	put_strs(fp, integ);
	put_default(fp, mask, phase == 1 ? AWS_TF_PHASE1_INTEGRITY : AWS_TF_PHASE2_INTEGRITY);
	fprintf(fp, "    phase %d DH groups    ", phase);
	put_ints(fp, dh);
	put_default(fp, mask, phase == 1 ? AWS_TF_PHASE1_DH : AWS_TF_PHASE2_DH);
	fprintf(fp, "    phase %d lifetime     %ld s", phase,
		phase == 1 ? e->phase1_lifetime_s : e->phase2_lifetime_s);
	put_default(fp, mask, phase == 1 ? AWS_TF_PHASE1_LIFETIME : AWS_TF_PHASE2_LIFETIME);
}

static void print_status(FILE *fp, const struct aws_active_status *s)
{
	if (!s)
		return;
	fputs("    negotiated           ", fp);
	put(fp, or_dash(s->ike_version));
	fputs(", phase 1 ", fp);
	put(fp, or_dash(s->phase1_encryption));
	fputc('/', fp);
	put(fp, or_dash(s->phase1_integrity));
	if (s->phase1_dh_group != AWS_ABSENT)
		fprintf(fp, "/group %ld", s->phase1_dh_group);
	fputs(", phase 2 ", fp);
	put(fp, or_dash(s->phase2_encryption));
	fputc('/', fp);
	put(fp, or_dash(s->phase2_integrity));
	if (s->phase2_dh_group != AWS_ABSENT)
		fprintf(fp, "/group %ld", s->phase2_dh_group);
	if (s->provisioning_status) {
		fputs(" (", fp);
		put(fp, s->provisioning_status);
		if (s->provisioning_status_reason && *s->provisioning_status_reason) {
			fputs(": ", fp);
			put(fp, s->provisioning_status_reason);
		}
		fputc(')', fp);
	}
	fputc('\n', fp);
}

static const struct aws_cgw_tunnel *find_cgw_tunnel(const struct aws_vpn_connection *v,
						     const char *ip)
{
	for (size_t i = 0; v->cgw_config && ip && i < v->cgw_config->n_tunnels; i++) {
		const struct aws_cgw_tunnel *t = &v->cgw_config->tunnels[i];

		if (t->vgw_outside_ip && strcmp(t->vgw_outside_ip, ip) == 0)
			return t;
	}
	return NULL;
}

static void put_suite(FILE *fp, const char *enc, const char *auth, long group, long life)
{
	put(fp, or_dash(enc));
	fputc('/', fp);
	put(fp, or_dash(auth));
	if (group != AWS_ABSENT)
		fprintf(fp, "/group %ld", group);
	if (life != AWS_ABSENT)
		fprintf(fp, "/%ld s", life);
}

/* What the CustomerGatewayConfiguration (the "download configuration" values AWS
 * generated for this tunnel) proposes. */
static void print_cgw_tunnel(FILE *fp, const struct aws_cgw_tunnel *t)
{
	if (!t)
		return;
	fputs("    generated config     IKE ", fp);
	if (t->ike_mode) {
		put(fp, t->ike_mode);
		fputc(' ', fp);
	}
	put_suite(fp, t->ike_encryption, t->ike_authentication, t->ike_dh_group, t->ike_lifetime_s);
	fputs(", IPsec ", fp);
	put_suite(fp, t->ipsec_encryption, t->ipsec_authentication, t->ipsec_pfs_group,
		  t->ipsec_lifetime_s);
	if (t->dpd_delay_s != AWS_ABSENT)
		fprintf(fp, ", DPD %ld s", t->dpd_delay_s);
	if (t->dpd_retries != AWS_ABSENT)
		fprintf(fp, " x %ld", t->dpd_retries);
	fputc('\n', fp);
}

/* One tunnel: what the input says and, for every IKE value it leaves out, AWS's default.
 * t is NULL for a tunnel known from its telemetry only. */
static void print_tunnel(FILE *fp, const struct aws_model *m, const struct aws_vpn_connection *v,
			 size_t no, const struct aws_tunnel_options *t, const char *ip)
{
	struct aws_tunnel_options none, e;
	unsigned mask = 0;

	if (!t) {
		memset(&none, 0, sizeof none);
		none.phase1_lifetime_s = none.phase2_lifetime_s = none.rekey_margin_s = AWS_ABSENT;
		none.rekey_fuzz_pct = none.replay_window = none.dpd_timeout_s = AWS_ABSENT;
		none.log_enabled = none.lifecycle_control = AWS_ABSENT;
		none.outside_ip = (char *)ip;
		t = &none;
	}
	aws_tunnel_effective(t, &e, &mask, NULL);
	fprintf(fp, "  tunnel %zu: ", no);
	put(fp, or_dash(ip));
	if (t->inside_cidr) {
		fputs(", inside ", fp);
		put(fp, t->inside_cidr);
	}
	if (t->inside_ipv6_cidr) {
		fputs(", inside ", fp);
		put(fp, t->inside_ipv6_cidr);
	}
	fputs(t == &none ? " (no tunnel options in the input)\n" : "\n", fp);
	print_telemetry(fp, find_telemetry(v, ip));
	fputs("    IKE versions         ", fp);
	put_strs(fp, &e.ike_versions);
	put_default(fp, mask, AWS_TF_IKE_VERSIONS);
	print_phase(fp, 1, &e, mask);
	print_phase(fp, 2, &e, mask);
	fprintf(fp, "    rekey margin         %ld s", e.rekey_margin_s);
	put_default(fp, mask, AWS_TF_REKEY_MARGIN);
	fprintf(fp, "    rekey fuzz           %ld %%", e.rekey_fuzz_pct);
	put_default(fp, mask, AWS_TF_REKEY_FUZZ);
	fprintf(fp, "    replay window        %ld packets", e.replay_window);
	put_default(fp, mask, AWS_TF_REPLAY_WINDOW);
	fprintf(fp, "    DPD timeout          %ld s", e.dpd_timeout_s);
	put_default(fp, mask, AWS_TF_DPD_TIMEOUT);
	fputs("    DPD timeout action   ", fp);
	put(fp, e.dpd_timeout_action);
	put_default(fp, mask, AWS_TF_DPD_ACTION);
	fputs("    startup action       ", fp);
	put(fp, e.startup_action);
	put_default(fp, mask, AWS_TF_STARTUP_ACTION);
	/* Its presence and length only: the key itself is never shown. */
	if (t->pre_shared_key)
		fprintf(fp, "    pre-shared key       set (%zu characters)\n",
			strlen(t->pre_shared_key));
	print_cgw_tunnel(fp, find_cgw_tunnel(v, ip));
	print_status(fp, find_status(m, v->id, ip));
}

static void print_cgw_config(FILE *fp, const struct aws_vpn_connection *v)
{
	fputs("  configuration          ", fp);
	if (v->cgw_config)
		fprintf(fp, "CustomerGatewayConfiguration read, %zu %s\n", v->cgw_config->n_tunnels,
			plural(v->cgw_config->n_tunnels, "tunnel", "tunnels"));
	else if (v->cgw_config_xml)
		fputs("CustomerGatewayConfiguration present, not read (see the warning)\n", fp);
	else
		fputs("no CustomerGatewayConfiguration in the input\n", fp);
}

static void print_vpn(FILE *fp, const struct aws_model *m, const struct aws_vpn_connection *v)
{
	const struct aws_customer_gateway *cgw =
		aws_find_customer_gateway(m, v->customer_gateway_id);
	size_t no = 0;

	fputs("\nVPN connection ", fp);
	put(fp, or_dash(v->id));
	put_name(fp, &v->tags);
	fputs(" (", fp);
	put(fp, or_dash(v->state));
	fputs(", ", fp);
	put(fp, or_dash(v->type));
	if (v->category) {
		fputs(", ", fp);
		put(fp, v->category);
	}
	fputs(")\n  customer gateway       ", fp);
	put(fp, or_dash(v->customer_gateway_id));
	if (cgw) {
		fputs(" ", fp);
		put(fp, or_dash(cgw->ip_address));
		if (cgw->bgp_asn) {
			fputs(", ASN ", fp);
			put(fp, cgw->bgp_asn);
		}
	}
	fputs(v->transit_gateway_id ? "\n  transit gateway        " : "\n  VPN gateway            ",
	      fp);
	put(fp, or_dash(v->transit_gateway_id ? v->transit_gateway_id : v->vpn_gateway_id));
	fputs("\n  routing                ", fp);
	fputs(v->static_routes_only == 1 ? "static" : "dynamic (BGP)", fp);
	fputs(v->static_routes_only == AWS_ABSENT ? " (default)\n" : "\n", fp);
	/* LocalIpv4NetworkCidr / RemoteIpv4NetworkCidr: 0.0.0.0/0 when absent. */
	fputs("  traffic selectors      local ", fp);
	put(fp, v->local_ipv4_cidr ? v->local_ipv4_cidr : "0.0.0.0/0 (default)");
	fputs(", remote ", fp);
	put(fp, v->remote_ipv4_cidr ? v->remote_ipv4_cidr : "0.0.0.0/0 (default)");
	fputc('\n', fp);
	print_cgw_config(fp, v);
	for (size_t i = 0; i < v->n_routes; i++) {
		fputs("  static route           ", fp);
		put(fp, or_dash(v->routes[i].destination_cidr));
		fputs(" (", fp);
		put(fp, or_dash(v->routes[i].state));
		fputs(")\n", fp);
	}
	for (size_t i = 0; i < v->n_tunnels; i++)
		print_tunnel(fp, m, v, ++no, &v->tunnels[i], v->tunnels[i].outside_ip);
	for (size_t i = 0; i < v->n_telemetry; i++)
		if (!find_tunnel(v, v->telemetry[i].outside_ip))
			print_tunnel(fp, m, v, ++no, NULL, v->telemetry[i].outside_ip);
	if (no == 0)
		fputs("  no tunnel in the input\n", fp);
}

static void print_gateways(FILE *fp, const struct aws_model *m)
{
	for (size_t i = 0; i < m->n_vpn_gateways; i++) {
		const struct aws_vpn_gateway *g = &m->vpn_gateways[i];

		fputs("\nVPN gateway ", fp);
		put(fp, or_dash(g->id));
		put_name(fp, &g->tags);
		fputs(" (", fp);
		put(fp, or_dash(g->state));
		fputs(")", fp);
		if (g->amazon_side_asn != AWS_ABSENT)
			fprintf(fp, ", Amazon side ASN %ld", g->amazon_side_asn);
		for (size_t j = 0; j < g->n_attachments; j++) {
			fputs(j ? ", " : ", attached to ", fp);
			put(fp, or_dash(g->attachments[j].vpc_id));
			fputs(" (", fp);
			put(fp, or_dash(g->attachments[j].state));
			fputc(')', fp);
		}
		fputc('\n', fp);
	}
	for (size_t i = 0; i < m->n_customer_gateways; i++) {
		const struct aws_customer_gateway *g = &m->customer_gateways[i];

		fputs("\ncustomer gateway ", fp);
		put(fp, or_dash(g->id));
		put_name(fp, &g->tags);
		fputs(" ", fp);
		put(fp, or_dash(g->ip_address));
		fputs(" (", fp);
		put(fp, or_dash(g->state));
		fputs("), BGP ASN ", fp);
		put(fp, or_dash(g->bgp_asn));
		fputc('\n', fp);
	}
}

static void print_route_table(FILE *fp, const struct aws_route_table *t)
{
	fputs("\nroute table ", fp);
	put(fp, or_dash(t->id));
	put_name(fp, &t->tags);
	fputs(" in ", fp);
	put(fp, or_dash(t->vpc_id));
	fputc('\n', fp);
	for (size_t i = 0; i < t->n_associations; i++) {
		const struct aws_route_association *a = &t->associations[i];

		fputs("  association            ", fp);
		if (a->main == 1)
			fputs("main", fp);
		else
			put(fp, or_dash(a->subnet_id ? a->subnet_id : a->gateway_id));
		if (a->state) {
			fputs(" (", fp);
			put(fp, a->state);
			fputc(')', fp);
		}
		fputc('\n', fp);
	}
	if (t->propagating_vgws.n) {
		fputs("  propagating from       ", fp);
		put_strs(fp, &t->propagating_vgws);
		fputc('\n', fp);
	}
	for (size_t i = 0; i < t->n_routes; i++) {
		const struct aws_route *r = &t->routes[i];

		fputs("  route                  ", fp);
		put(fp, r->destination_cidr ? r->destination_cidr
		    : r->destination_ipv6_cidr ? r->destination_ipv6_cidr
					       : or_dash(r->destination_prefix_list));
		fputs(" -> ", fp);
		put(fp, or_dash(r->target));
		if (r->target_field) {
			fputs(" (", fp);
			put(fp, r->target_field);
			fputc(')', fp);
		}
		fputs(", ", fp);
		put(fp, or_dash(r->state));
		if (r->origin) {
			fputs(", ", fp);
			put(fp, r->origin);
		}
		fputc('\n', fp);
	}
}

static void print_networks(FILE *fp, const struct aws_model *m)
{
	for (size_t i = 0; i < m->n_route_tables; i++)
		print_route_table(fp, &m->route_tables[i]);
	for (size_t i = 0; i < m->n_subnets; i++) {
		const struct aws_subnet *s = &m->subnets[i];

		fputs("\nsubnet ", fp);
		put(fp, or_dash(s->id));
		put_name(fp, &s->tags);
		fputs(" ", fp);
		put(fp, or_dash(s->cidr));
		if (s->ipv6_cidrs.n) {
			fputs(", ", fp);
			put_strs(fp, &s->ipv6_cidrs);
		}
		fputs(" in ", fp);
		put(fp, or_dash(s->vpc_id));
		fputs(" (", fp);
		put(fp, or_dash(s->availability_zone));
		fputs(", ", fp);
		put(fp, or_dash(s->state));
		fputs(")\n", fp);
	}
	for (size_t i = 0; i < m->n_vpcs; i++) {
		const struct aws_vpc *v = &m->vpcs[i];

		fputs("\nVPC ", fp);
		put(fp, or_dash(v->id));
		put_name(fp, &v->tags);
		fputs(" ", fp);
		if (v->cidrs.n)
			put_strs(fp, &v->cidrs);
		else
			put(fp, or_dash(v->cidr));
		fputs(" (", fp);
		put(fp, or_dash(v->state));
		if (v->is_default == 1)
			fputs(", default VPC", fp);
		fputs(")\n", fp);
	}
}

static void print_summary(FILE *fp, const struct aws_model *m)
{
	print_counts(fp, m);
	for (size_t i = 0; i < m->n_vpn_connections; i++)
		print_vpn(fp, m, &m->vpn_connections[i]);
	print_gateways(fp, m);
	print_networks(fp, m);
}

static int print_json(const struct aws_model *m)
{
	cJSON *j = aws_model_to_json(m);
	char *s = j ? json_print_utf8(j, true) : NULL;

	cJSON_Delete(j);
	if (!s) {
		fprintf(stderr, "%s: out of memory\n", TOOL);
		return DIAG_EXIT_SOFTWARE;
	}
	puts(s);
	cJSON_free(s);
	return DIAG_EXIT_PASS;
}

static void print_warnings(const struct aws_model *m)
{
	for (size_t i = 0; i < m->warnings.n; i++) {
		fprintf(stderr, "%s: warning: ", TOOL);
		put(stderr, m->warnings.v[i]);
		fputc('\n', stderr);
	}
}

static int load(struct aws_model *m, const struct aws_cmd *c)
{
	struct diag_error err = {0};
	char buf[512];

	for (size_t i = 0; i < c->n_in; i++) {
		int rc = c->in[i].dir ? aws_load_dir(m, c->in[i].path, &err)
				      : aws_load_file(m, c->in[i].path, &err);

		if (rc < 0) {
			fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, buf, sizeof buf));
			return err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
		}
	}
	if (c->live) {
		struct aws_live_stats st;
		struct aws_live_opts lo = c->lo;

		memset(&st, 0, sizeof st);
		lo.stats = &st;
		if (aws_live_load(m, &lo, &err) < 0) {
			print_warnings(m);
			fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, buf, sizeof buf));
			return err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
		}
		/* Where the evidence came from, for the support case; never a secret. */
		fprintf(stderr, "%s: live: region %s, %s, credentials from %s, %u requests "
				"(%u retries)\n",
			TOOL, st.region, st.endpoint, st.creds_source, st.requests, st.retries);
	}
	print_warnings(m);
	return 0;
}

int vpn_aws_main(int argc, char **argv)
{
	struct aws_cmd c;
	struct aws_model m;
	int first = 0, rc;

	memset(&c, 0, sizeof c);
	if (!(c.in = calloc((size_t)(argc > 0 ? argc : 1), sizeof *c.in))) {
		fprintf(stderr, "%s: out of memory\n", TOOL);
		return DIAG_EXIT_SOFTWARE;
	}
	rc = cli_parse(TOOL, options, argc, argv, handle_option, &c, &first);
	if (rc)
		goto out;
	if (c.help) {
		cli_usage(stdout, TOOL, "[--json] --aws-dir DIR | --aws-file FILE ... | --live "
					"[--region R] [--profile P] [--endpoint-url URL] [--cacert FILE] "
					"[--vpn-connection-id ID] [--tunnel-status]",
			  options);
		goto out;
	}
	if (c.version) {
		printf("%s %s\n", TOOL, VPN_DOCTOR_VERSION);
		goto out;
	}
	if (first < argc) {
		rc = cli_usage_error(TOOL, "%s: unexpected argument (inputs go with --aws-dir or "
					   "--aws-file)", argv[first]);
		goto out;
	}
	if (!c.live && (c.lo.region || c.lo.profile || c.lo.endpoint_url || c.lo.ca_bundle ||
			c.lo.vpn_connection_id || c.lo.tunnel_status)) {
		rc = cli_usage_error(TOOL, "--region, --profile, --endpoint-url, --cacert, "
					   "--vpn-connection-id and --tunnel-status need --live");
		goto out;
	}
	if (c.n_in == 0 && !c.live) {
		rc = cli_usage_error(TOOL, "no input (use --aws-dir DIR, --aws-file FILE or --live)");
		goto out;
	}
	aws_model_init(&m, MODEL_LIMIT);
	rc = load(&m, &c);
	if (rc == 0) {
		if (c.json)
			rc = print_json(&m);
		else
			print_summary(stdout, &m);
		if (fflush(stdout) != 0 && rc == 0) {
			perror(TOOL);
			rc = DIAG_EXIT_OSERR;
		}
	}
	aws_model_free(&m);
out:
	free(c.in);
	return rc;
}
