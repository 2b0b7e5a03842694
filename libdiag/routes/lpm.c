/* Route selection: see lpm.h. */
#include "libdiag/routes/lpm.h"

#include <string.h>

bool lpm_contains(const struct diag_prefix *p, const struct diag_addr *a)
{
	unsigned full = p->len / 8, rest = p->len % 8;

	if (p->addr.family != a->family)
		return false;
	if (memcmp(p->addr.b, a->b, full) != 0)
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));

		return (p->addr.b[full] & mask) == (a->b[full] & mask);
	}
	return true;
}

bool lpm_covers(const struct diag_prefix *p, const struct diag_prefix *q)
{
	return p->len <= q->len && lpm_contains(p, &q->addr);
}

bool lpm_overlap(const struct diag_prefix *p, const struct diag_prefix *q)
{
	return lpm_covers(p, q) || lpm_covers(q, p);
}

void lpm_last(const struct diag_prefix *p, struct diag_addr *out)
{
	unsigned bits = p->addr.family == AF_INET ? 32 : 128;

	*out = p->addr;
	for (unsigned i = p->len; i < bits; i++)
		out->b[i / 8] |= (unsigned char)(0x80 >> (i % 8));
}

enum lpm_kind lpm_kind_of(const char *target, const char *origin)
{
	if (target && strcmp(target, "local") == 0)
		return LPM_LOCAL;
	if (origin && strcmp(origin, "EnableVgwRoutePropagation") == 0)
		return LPM_PROPAGATED;
	return LPM_STATIC;
}

/* Does candidate c beat the best so far b (both cover the address)? */
static bool beats(const struct lpm_route *c, const struct lpm_route *b)
{
	/* rule 1: local against propagated, whatever the lengths */
	if (c->kind == LPM_LOCAL && b->kind == LPM_PROPAGATED)
		return true;
	if (b->kind == LPM_LOCAL && c->kind == LPM_PROPAGATED)
		return false;
	/* rule 2 */
	if (c->dst.len != b->dst.len)
		return c->dst.len > b->dst.len;
	/* rule 3 (and local over static on an equal prefix, which AWS does not allow to
	 * be created anyway) */
	return c->kind < b->kind;
}

long lpm_select(const struct lpm_route *r, size_t n, const struct diag_addr *a)
{
	long best = -1;

	for (size_t i = 0; i < n; i++) {
		if (!lpm_contains(&r[i].dst, a))
			continue;
		if (best < 0 || beats(&r[i], &r[best]))
			best = (long)i;
	}
	return best;
}
