/* A decoded XFRM dump as text, for golden tests and the fuzzer. See xfrm.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/xfrm/xfrm.h"

struct out {
	char *p;
	size_t n, cap;
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
		n = vsnprintf(o->p + o->n, o->cap - o->n, fmt, ap);
		va_end(ap);
		if (n < 0) {
			o->oom = true;
			return;
		}
		if ((size_t)n < o->cap - o->n) {
			o->n += (size_t)n;
			return;
		}
		size_t nc = o->cap * 2 + (size_t)n;
		char *np = realloc(o->p, nc);

		if (!np) {
			o->oom = true;
			return;
		}
		o->p = np;
		o->cap = nc;
	}
}

static void selector(struct out *o, const struct xfrm_selector_info *s)
{
	char a[64], b[64];

	put(o, "src %s dst %s", xfrm_prefix_str(s->family, s->saddr, s->prefixlen_s, a, sizeof a),
	    xfrm_prefix_str(s->family, s->daddr, s->prefixlen_d, b, sizeof b));
	if (s->proto)
		put(o, " proto %u", s->proto);
	if (s->sport || s->dport)
		put(o, " sport %u dport %u", s->sport, s->dport);
	if (s->ifindex)
		put(o, " ifindex %d", s->ifindex);
}

char *xfrm_dump_text(const struct xfrm_dump *d)
{
	struct out o = {malloc(256), 0, 256, false};
	char a[64], b[64];

	if (!o.p)
		return NULL;
	o.p[0] = 0;
	put(&o, "messages %lu done %lu other %lu unknown_attrs %lu policies %zu sas %zu\n",
	    d->messages, d->done, d->other, d->unknown_attrs, d->npolicies, d->nsas);
	for (size_t i = 0; i < d->npolicies; i++) {
		const struct xfrm_policy_entry *e = &d->policies[i];

		put(&o, "policy #%lu ", e->msg);
		selector(&o, &e->sel);
		put(&o, " dir %s action %s priority %u index %u type %s", xfrm_dir_name(e->dir),
		    e->action == 0 ? "allow" : e->action == 1 ? "block" : "other", e->priority,
		    e->index, e->type == 0 ? "main" : "sub");
		if (e->has_mark)
			put(&o, " mark 0x%x/0x%x", e->mark, e->mark_mask);
		if (e->if_id)
			put(&o, " if_id %u", e->if_id);
		put(&o, "\n");
		for (size_t k = 0; k < e->ntmpl; k++) {
			const struct xfrm_template_info *t = &e->tmpl[k];

			put(&o, "  tmpl src %s dst %s proto %u spi 0x%08x reqid %u mode %s%s\n",
			    xfrm_addr_str(t->family, t->saddr, a, sizeof a),
			    xfrm_addr_str(t->family, t->daddr, b, sizeof b), t->proto, t->spi,
			    t->reqid, xfrm_mode_name(t->mode), t->optional ? " optional" : "");
		}
		if (e->ntmpl_seen > e->ntmpl)
			put(&o, "  (%zu more templates)\n", e->ntmpl_seen - e->ntmpl);
	}
	for (size_t i = 0; i < d->nsas; i++) {
		const struct xfrm_sa_entry *s = &d->sas[i];

		put(&o, "sa #%lu src %s dst %s proto %u spi 0x%08x reqid %u mode %s", s->msg,
		    xfrm_addr_str(s->family, s->saddr, a, sizeof a),
		    xfrm_addr_str(s->family, s->daddr, b, sizeof b), s->proto, s->spi, s->reqid,
		    xfrm_mode_name(s->mode));
		if (s->enc[0])
			put(&o, " enc %s", s->enc);
		if (s->auth[0])
			put(&o, " auth %s", s->auth);
		if (s->aead[0])
			put(&o, " aead %s", s->aead);
		if (s->has_encap)
			put(&o, " encap %u->%u", s->encap_sport, s->encap_dport);
		if (s->has_mark)
			put(&o, " mark 0x%x/0x%x", s->mark, s->mark_mask);
		if (s->if_id)
			put(&o, " if_id %u", s->if_id);
		put(&o, "\n  sel ");
		selector(&o, &s->sel);
		put(&o, "\n");
	}
	if (o.oom) {
		free(o.p);
		return NULL;
	}
	return o.p;
}
