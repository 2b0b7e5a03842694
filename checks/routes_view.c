/* The VPC side of a VPN: see routes_view.h. */
#include "checks/routes_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIEW_LIMIT ((size_t)256 << 20)

static bool has_tag_key(const struct aws_tags *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].key && strcmp(t->v[i].key, key) == 0)
			return true;
	return false;
}

static bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static const struct aws_vpc_attachment *attachment_to(const struct aws_vpn_gateway *g,
						      const char *vpc)
{
	for (size_t i = 0; g && i < g->n_attachments; i++)
		if (streq(g->attachments[i].vpc_id, vpc))
			return &g->attachments[i];
	return NULL;
}

/* The attached VPC of a gateway (state attached first, else any). */
static const char *attached_vpc(const struct aws_vpn_gateway *g)
{
	for (size_t i = 0; g && i < g->n_attachments; i++)
		if (streq(g->attachments[i].state, "attached"))
			return g->attachments[i].vpc_id;
	return g && g->n_attachments ? g->attachments[0].vpc_id : NULL;
}

/* Which VPC: --vpc-id, the cluster's tag, the chosen connection's gateway, the only
 * gateway with an attachment, the only VPC. */
static const char *find_vpc_id(const struct aws_model *m, const struct routes_opts *o,
			       const struct aws_vpn_gateway *g, const char **how, char *tagbuf,
			       size_t taglen)
{
	const char *id = NULL;

	if (o->vpc_id) {
		*how = "--vpc-id";
		return o->vpc_id;
	}
	if (o->cluster) {
		snprintf(tagbuf, taglen, "kubernetes.io/cluster/%s", o->cluster);
		for (size_t i = 0; i < m->n_vpcs; i++)
			if (has_tag_key(&m->vpcs[i].tags, tagbuf)) {
				*how = "the cluster's tag on the VPC";
				return m->vpcs[i].id;
			}
		for (size_t i = 0; i < m->n_subnets; i++)
			if (has_tag_key(&m->subnets[i].tags, tagbuf)) {
				*how = "the cluster's tag on its subnets";
				return m->subnets[i].vpc_id;
			}
		*how = NULL;
		return NULL;
	}
	if (g && (id = attached_vpc(g)) != NULL) {
		*how = "the virtual private gateway's attachment";
		return id;
	}
	if (m->n_vpcs == 1) {
		*how = "the only VPC in the evidence";
		return m->vpcs[0].id;
	}
	return NULL;
}

static const struct aws_vpn_gateway *find_vgw(const struct aws_model *m,
					      const struct routes_opts *o, const char *vpc)
{
	const struct aws_vpn_gateway *only = NULL;
	size_t with_att = 0;

	if (o->vpn_connection_id) {
		const struct aws_vpn_connection *c = aws_find_vpn_connection(m, o->vpn_connection_id);

		if (c && c->vpn_gateway_id)
			return aws_find_vpn_gateway(m, c->vpn_gateway_id);
	}
	for (size_t i = 0; vpc && i < m->n_vpn_gateways; i++)
		if (attachment_to(&m->vpn_gateways[i], vpc))
			return &m->vpn_gateways[i];
	for (size_t i = 0; i < m->n_vpn_gateways; i++)
		if (m->vpn_gateways[i].n_attachments) {
			only = &m->vpn_gateways[i];
			with_att++;
		}
	if (with_att == 1)
		return only;
	if (m->n_vpn_gateways == 1)
		return &m->vpn_gateways[0];
	/* a connection names its gateway even when the gateway was not described */
	return NULL;
}

static bool is_default(const struct aws_route *r)
{
	return streq(r->destination_cidr, "0.0.0.0/0") || streq(r->destination_ipv6_cidr, "::/0");
}

const char *rv_route_desc(const struct aws_route *r, char *buf, size_t len)
{
	const char *dst = r->destination_cidr     ? r->destination_cidr
			  : r->destination_ipv6_cidr ? r->destination_ipv6_cidr
			  : r->destination_prefix_list ? r->destination_prefix_list
						       : "?";
	const char *kind = lpm_kind_of(r->target, r->origin) == LPM_PROPAGATED ? ", propagated"
			   : streq(r->target, "local")                    ? ""
									  : ", static";

	snprintf(buf, len, "%s -> %s%s%s", dst, r->target ? r->target : "(no target)", kind,
		 streq(r->state, "blackhole") ? ", blackhole" : "");
	return buf;
}

static int add_remote(struct routes_view *v, const char *cidr, enum rv_remote_source src,
		      struct diag_error *err)
{
	struct diag_prefix p;
	struct diag_error e = {0};
	struct rv_remote *r;

	if (prefix_parse(cidr, false, &p, &e) < 0) {
		if (src == RV_FROM_FLAG)
			return diag_fail(err, DIAG_EXIT_USAGE, "--remote-cidr", "%s: not a CIDR "
						"(network address/length)", cidr);
		return 0; /* an odd route in the evidence: not a remote network we can test */
	}
	for (size_t i = 0; i < v->nremotes; i++)
		if (v->remotes[i].p.len == p.len && addr_eq(&v->remotes[i].p.addr, &p.addr))
			return 0;
	if (!(r = ARENA_PUSH(&v->arena, v->remotes, v->nremotes, v->cap_remotes)))
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "vpn-routes", "out of memory");
	r->cidr = arena_strdup(&v->arena, cidr);
	r->p = p;
	r->source = src;
	return 0;
}

static int collect_remotes(const struct aws_model *m, const struct routes_opts *o,
			   struct routes_view *v, struct diag_error *err)
{
	for (size_t i = 0; i < o->n_remote_cidrs; i++)
		if (add_remote(v, o->remote_cidrs[i], RV_FROM_FLAG, err) < 0)
			return -1;
	if (o->n_remote_cidrs)
		return 0;
	for (size_t c = 0; c < v->nconns; c++)
		for (size_t r = 0; r < v->conns[c]->n_routes; r++)
			if (v->conns[c]->routes[r].destination_cidr &&
			    add_remote(v, v->conns[c]->routes[r].destination_cidr,
				       RV_FROM_STATIC_VPN_ROUTE, err) < 0)
				return -1;
	for (size_t t = 0; v->vgw && t < m->n_route_tables; t++) {
		const struct aws_route_table *rt = &m->route_tables[t];

		if (!v->vpc_id || !streq(rt->vpc_id, v->vpc_id))
			continue;
		for (size_t r = 0; r < rt->n_routes; r++) {
			const struct aws_route *ro = &rt->routes[r];
			const char *dst = ro->destination_cidr ? ro->destination_cidr
							       : ro->destination_ipv6_cidr;

			if (dst && streq(ro->target, v->vgw->id) &&
			    lpm_kind_of(ro->target, ro->origin) == LPM_PROPAGATED &&
			    add_remote(v, dst, RV_FROM_PROPAGATED, err) < 0)
				return -1;
		}
	}
	return 0;
}

/* The table's CIDR routes as lpm routes. */
static int table_lpm(struct routes_view *v, struct rv_table *t, struct diag_error *err)
{
	const struct aws_route_table *rt = t->rt;

	t->lpm = rt->n_routes ? arena_alloc(&v->arena, rt->n_routes * sizeof *t->lpm) : NULL;
	if (rt->n_routes && !t->lpm)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "vpn-routes", "out of memory");
	for (size_t r = 0; r < rt->n_routes; r++) {
		const struct aws_route *ro = &rt->routes[r];
		const char *dst = ro->destination_cidr ? ro->destination_cidr
						       : ro->destination_ipv6_cidr;
		struct diag_error e = {0};
		struct lpm_route *l = &t->lpm[t->nlpm];

		if (!dst || prefix_parse(dst, false, &l->dst, &e) < 0) {
			t->skipped_routes++;
			continue;
		}
		l->kind = lpm_kind_of(ro->target, ro->origin);
		l->blackhole = streq(ro->state, "blackhole");
		l->ref = r;
		t->nlpm++;
	}
	return 0;
}

static bool to_vgw(const struct routes_view *v, const struct aws_route *r)
{
	return v->vgw && streq(r->target, v->vgw->id);
}

static void judge(const struct routes_view *v, const struct rv_table *t,
		  const struct rv_remote *rem, struct rv_verdict *out)
{
	const struct aws_route_table *rt = t->rt;
	struct diag_addr last;
	long w = lpm_select(t->lpm, t->nlpm, &rem->p.addr);
	long wl;
	bool vgw_route = false;

	out->route = w >= 0 ? (long)t->lpm[w].ref : -1;
	out->partial = -1;
	for (size_t i = 0; i < t->nlpm; i++)
		if (lpm_covers(&t->lpm[i].dst, &rem->p) && to_vgw(v, &rt->routes[t->lpm[i].ref]))
			vgw_route = true;
	if (w < 0)
		out->outcome = RV_NO_ROUTE;
	else if (t->lpm[w].blackhole)
		out->outcome = RV_BLACKHOLE;
	else if (to_vgw(v, &rt->routes[t->lpm[w].ref]))
		out->outcome = RV_VIA_VGW;
	else /* the local route takes a remote network inside the VPC, with or without a
	      * route to the gateway: shadowed either way */
		out->outcome = vgw_route || t->lpm[w].kind == LPM_LOCAL ? RV_SHADOWED
									 : RV_NO_ROUTE;
	/* part of the remote network going elsewhere: a more specific route inside it, or a
	 * different winner for its last address */
	for (size_t i = 0; out->outcome == RV_VIA_VGW && i < t->nlpm; i++) {
		const struct aws_route *r = &rt->routes[t->lpm[i].ref];

		if (t->lpm[i].dst.len > rem->p.len && lpm_covers(&rem->p, &t->lpm[i].dst) &&
		    (!to_vgw(v, r) || t->lpm[i].blackhole) &&
		    lpm_select(t->lpm, t->nlpm, &t->lpm[i].dst.addr) == (long)i)
			out->partial = (long)t->lpm[i].ref;
	}
	lpm_last(&rem->p, &last);
	wl = lpm_select(t->lpm, t->nlpm, &last);
	if (out->outcome == RV_VIA_VGW && out->partial < 0 && wl >= 0 && wl != w &&
	    (!to_vgw(v, &rt->routes[t->lpm[wl].ref]) || t->lpm[wl].blackhole))
		out->partial = (long)t->lpm[wl].ref;
}

static int cmp_tables(const void *a, const void *b)
{
	const struct rv_table *x = a, *y = b;

	if (x->public != y->public)
		return x->public ? 1 : -1;
	if (x->explicit_subnets != y->explicit_subnets)
		return x->explicit_subnets > y->explicit_subnets ? -1 : 1;
	if (x->main != y->main)
		return x->main ? -1 : 1;
	return strcmp(x->rt->id ? x->rt->id : "", y->rt->id ? y->rt->id : "");
}

static bool subnet_explicit(const struct aws_model *m, const char *subnet)
{
	for (size_t t = 0; t < m->n_route_tables; t++)
		for (size_t a = 0; a < m->route_tables[t].n_associations; a++)
			if (streq(m->route_tables[t].associations[a].subnet_id, subnet))
				return true;
	return false;
}

static int build_tables(const struct aws_model *m, struct routes_view *v,
			struct diag_error *err)
{
	const char *vpc = v->vpc_id;

	for (size_t i = 0; i < m->n_route_tables; i++) {
		const struct aws_route_table *rt = &m->route_tables[i];
		struct rv_table *t;
		size_t cap = 0;

		if (!streq(rt->vpc_id, vpc))
			continue;
		if (!(t = ARENA_PUSH(&v->arena, v->tables, v->ntables, v->cap_tables)))
			return diag_fail(err, DIAG_EXIT_SOFTWARE, "vpn-routes", "out of memory");
		t->rt = rt;
		t->igw_route = t->default_vgw = -1;
		for (size_t a = 0; a < rt->n_associations; a++) {
			const struct aws_route_association *as = &rt->associations[a];

			if (as->main == 1)
				t->main = true;
			if (as->subnet_id) {
				const char **slot = ARENA_PUSH(&v->arena, t->subnets,
							       t->nsubnets, cap);

				if (!slot)
					return diag_fail(err, DIAG_EXIT_SOFTWARE, "vpn-routes",
							 "out of memory");
				*slot = as->subnet_id;
				t->explicit_subnets++;
			}
		}
		if (t->main)
			for (size_t s = 0; s < m->n_subnets; s++)
				if (streq(m->subnets[s].vpc_id, vpc) &&
				    !subnet_explicit(m, m->subnets[s].id)) {
					const char **slot = ARENA_PUSH(
						&v->arena, t->subnets, t->nsubnets, cap);

					if (!slot)
						return diag_fail(err, DIAG_EXIT_SOFTWARE,
								 "vpn-routes", "out of memory");
					*slot = m->subnets[s].id;
				}
		for (size_t r = 0; r < rt->n_routes; r++) {
			const struct aws_route *ro = &rt->routes[r];

			if (is_default(ro) && ro->target && strncmp(ro->target, "igw-", 4) == 0) {
				t->public = true;
				t->igw_route = (long)r;
			}
			if (is_default(ro) && to_vgw(v, ro))
				t->default_vgw = (long)r;
		}
		for (size_t g = 0; v->vgw && g < rt->propagating_vgws.n; g++)
			if (streq(rt->propagating_vgws.v[g], v->vgw->id))
				t->propagates = true;
		if (table_lpm(v, t, err) < 0)
			return -1;
	}
	if (v->ntables) /* tables is NULL then: qsort's argument must not be */
		qsort(v->tables, v->ntables, sizeof *v->tables, cmp_tables);
	for (size_t i = 0, rank = 1; i < v->ntables; i++)
		v->tables[i].rank = v->tables[i].public ? 0 : (int)rank++;
	return 0;
}

int routes_view_build(const struct aws_model *m, const struct routes_opts *o,
		      struct routes_view *v, struct diag_error *err)
{
	const struct aws_vpn_gateway *g0;
	const char *vpc_id, *how = NULL;
	char tag[300];

	memset(v, 0, sizeof *v);
	arena_init(&v->arena, VIEW_LIMIT);
	/* a gateway named by the connection, or the only one, helps find the VPC */
	g0 = find_vgw(m, o, o->vpc_id);
	vpc_id = find_vpc_id(m, o, g0, &how, tag, sizeof tag);
	v->vpc_how = how;
	if (vpc_id) {
		v->vpc = aws_find_vpc(m, vpc_id);
		v->vpc_id = arena_strdup(&v->arena, vpc_id);
	}
	v->vgw = find_vgw(m, o, vpc_id);
	if (!vpc_id && o->cluster)
		snprintf(v->problem, sizeof v->problem, "no VPC or subnet carries the tag %.200s",
			 tag);
	else if (!vpc_id)
		snprintf(v->problem, sizeof v->problem, "%s",
			 "no VPC found: give --vpc-id or --cluster, or describe the virtual "
			 "private gateway and its attachment");
	else if (!v->vgw)
		snprintf(v->problem, sizeof v->problem, "no virtual private gateway attached to "
			 "%s in the evidence (describe-vpn-gateways)", vpc_id);
	if (v->vgw && vpc_id) {
		const struct aws_vpc_attachment *a = attachment_to(v->vgw, vpc_id);

		v->vgw_attachment_state = a ? a->state : NULL;
	}
	for (size_t i = 0; v->vgw && i < m->n_vpn_connections; i++) {
		const struct aws_vpn_connection *c = &m->vpn_connections[i];

		if (!streq(c->vpn_gateway_id, v->vgw->id) ||
		    (o->vpn_connection_id && !streq(c->id, o->vpn_connection_id)))
			continue;
		const struct aws_vpn_connection **slot =
			ARENA_PUSH(&v->arena, v->conns, v->nconns, v->cap_conns);

		if (!slot)
			return diag_fail(err, DIAG_EXIT_SOFTWARE, "vpn-routes", "out of memory");
		*slot = c;
	}
	if (v->vpc) {
		const struct aws_strs *cs = &v->vpc->cidrs;
		size_t n = cs->n ? cs->n : (v->vpc->cidr ? 1 : 0);

		v->vpc_cidrs = n ? arena_alloc(&v->arena, n * sizeof *v->vpc_cidrs) : NULL;
		for (size_t i = 0; i < n && v->vpc_cidrs; i++) {
			struct diag_error e = {0};

			if (prefix_parse(cs->n ? cs->v[i] : v->vpc->cidr, false,
					 &v->vpc_cidrs[v->nvpc_cidrs], &e) == 0)
				v->nvpc_cidrs++;
		}
	}
	if (build_tables(m, v, err) < 0 || collect_remotes(m, o, v, err) < 0)
		return -1;
	for (size_t t = 0; t < v->ntables; t++) {
		struct rv_table *tb = &v->tables[t];

		tb->verdicts = v->nremotes ? arena_alloc(&v->arena,
							 v->nremotes * sizeof *tb->verdicts)
					   : NULL;
		if (v->nremotes && !tb->verdicts)
			return diag_fail(err, DIAG_EXIT_SOFTWARE, "vpn-routes", "out of memory");
		for (size_t r = 0; r < v->nremotes; r++)
			judge(v, tb, &v->remotes[r], &tb->verdicts[r]);
	}
	return 0;
}

void routes_view_free(struct routes_view *v)
{
	arena_free(&v->arena);
	memset(v, 0, sizeof *v);
}
