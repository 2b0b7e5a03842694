/* policy.selectors from the kernel's XFRM state: tunnel-mode policies grouped by tunnel
 * endpoints, one selector pair per distinct (local, remote) selector, the directions seen
 * for it, and the ESP SAs between the same endpoints. See policy.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/xfrm.h>

#include "checks/policy.h"
#include "libdiag/xfrm/xfrm.h"

/* The peer for endpoints local/remote (strings), made when new. */
static struct policy_peer *peer_for(struct policy_peers *pp, const char *local,
				    const char *remote)
{
	struct policy_peer *p;

	for (size_t i = 0; i < pp->n; i++)
		if (pp->v[i].src == POLICY_SRC_XFRM && strcmp(pp->v[i].local_addr, local) == 0 &&
		    strcmp(pp->v[i].remote_addr, remote) == 0)
			return &pp->v[i];
	if (!(p = policy_peers_add(pp, POLICY_SRC_XFRM)))
		return NULL;
	snprintf(p->local_addr, sizeof p->local_addr, "%s", local);
	snprintf(p->remote_addr, sizeof p->remote_addr, "%s", remote);
	snprintf(p->subject, sizeof p->subject, "xfrm %s <-> %s", local, remote);
	return p;
}

static void add_selector(struct policy_peer *p, const char *l, const char *r, uint8_t dir,
			 uint32_t reqid)
{
	struct policy_pair *q;

	for (size_t i = 0; i < p->npairs; i++) {
		q = &p->pairs[i];
		if (strcmp(q->local, l) == 0 && strcmp(q->remote, r) == 0) {
			q->dirs |= 1u << (dir & 7u);
			if (dir == XFRM_DIR_OUT)
				q->reqid = reqid;
			return;
		}
	}
	p->nselectors++;
	p->sa_pairs++;
	if (p->npairs == POLICY_MAX_PAIRS)
		return;
	q = &p->pairs[p->npairs++];
	memset(q, 0, sizeof *q);
	snprintf(q->local, sizeof q->local, "%s", l);
	snprintf(q->remote, sizeof q->remote, "%s", r);
	q->dirs = 1u << (dir & 7u);
	if (dir == XFRM_DIR_OUT)
		q->reqid = reqid;
	snprintf(q->name, sizeof q->name, "reqid %u", reqid);
}

static void marker(struct policy_peer *p, const struct xfrm_policy_entry *e)
{
	if (p->route_marker)
		return;
	if (e->if_id) {
		p->route_marker = true;
		snprintf(p->marker, sizeof p->marker, "xfrm interface if_id %u", e->if_id);
	} else if (e->has_mark && e->mark) {
		p->route_marker = true;
		snprintf(p->marker, sizeof p->marker, "mark 0x%x/0x%x (VTI)", e->mark,
			 e->mark_mask);
	}
}

/* The ESP tunnel SAs between p's endpoints, per direction, and their distinct reqids. */
static void count_sas(const struct xfrm_dump *d, struct policy_peer *p)
{
	uint32_t seen[64];
	size_t nseen = 0;

	for (size_t i = 0; i < d->nsas; i++) {
		const struct xfrm_sa_entry *s = &d->sas[i];
		char a[64], b[64];
		bool out, in, known = false;

		if (s->proto != IPPROTO_ESP || s->mode != XFRM_MODE_TUNNEL)
			continue;
		xfrm_addr_str(s->family, s->saddr, a, sizeof a);
		xfrm_addr_str(s->family, s->daddr, b, sizeof b);
		out = strcmp(p->local_addr, a) == 0 && strcmp(p->remote_addr, b) == 0;
		in = strcmp(p->local_addr, b) == 0 && strcmp(p->remote_addr, a) == 0;
		if (!out && !in)
			continue;
		if (out)
			p->sas_out++;
		else
			p->sas_in++;
		for (size_t k = 0; k < nseen; k++)
			known |= seen[k] == s->reqid;
		if (!known) {
			p->reqids++;
			if (nseen < sizeof seen / sizeof *seen)
				seen[nseen++] = s->reqid;
		}
	}
}

int policy_from_xfrm(const struct xfrm_dump *d, struct policy_peers *pp)
{
	for (size_t i = 0; i < d->npolicies; i++) {
		const struct xfrm_policy_entry *e = &d->policies[i];
		const struct xfrm_template_info *t;
		char tl[64], tr[64], sl[64], sr[64];
		struct policy_peer *p;

		if (e->dir > XFRM_DIR_FWD || e->action != XFRM_POLICY_ALLOW || e->ntmpl == 0 ||
		    e->type != XFRM_POLICY_TYPE_MAIN)
			continue;
		t = &e->tmpl[e->ntmpl - 1]; /* the outermost transform */
		if (t->mode != XFRM_MODE_TUNNEL)
			continue;
		if (e->dir == XFRM_DIR_OUT) {
			xfrm_addr_str(t->family, t->saddr, tl, sizeof tl);
			xfrm_addr_str(t->family, t->daddr, tr, sizeof tr);
			xfrm_prefix_str(e->sel.family, e->sel.saddr, e->sel.prefixlen_s, sl, sizeof sl);
			xfrm_prefix_str(e->sel.family, e->sel.daddr, e->sel.prefixlen_d, sr, sizeof sr);
		} else {
			xfrm_addr_str(t->family, t->daddr, tl, sizeof tl);
			xfrm_addr_str(t->family, t->saddr, tr, sizeof tr);
			xfrm_prefix_str(e->sel.family, e->sel.daddr, e->sel.prefixlen_d, sl, sizeof sl);
			xfrm_prefix_str(e->sel.family, e->sel.saddr, e->sel.prefixlen_s, sr, sizeof sr);
		}
		if (!(p = peer_for(pp, tl, tr)))
			return -1;
		marker(p, e);
		add_selector(p, sl, sr, e->dir, t->reqid);
	}
	for (size_t k = 0; k < pp->n; k++) {
		struct policy_peer *p = &pp->v[k];

		if (p->src != POLICY_SRC_XFRM)
			continue;
		count_sas(d, p);
		if (p->reqids > p->sa_pairs)
			p->sa_pairs = p->reqids;
	}
	return 0;
}
