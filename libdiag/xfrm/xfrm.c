/* Decoding XFRM netlink dumps: nlmsghdr chain, the fixed policy / SA structs, nlattr
 * chains. See xfrm.h. */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "libdiag/cursor.h"
#include "libdiag/xfrm/xfrm.h"

#define NLMSG_HDR_LEN 16u
#define NLA_HDR_LEN 4u

void xfrm_dump_init(struct xfrm_dump *d)
{
	memset(d, 0, sizeof *d);
}

void xfrm_dump_free(struct xfrm_dump *d)
{
	free(d->policies);
	free(d->sas);
	memset(d, 0, sizeof *d);
}

/* Netlink's byte order is the host's. */
static bool cur_h16(struct cursor *c, uint16_t *v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return cur_be16(c, v);
#else
	return cur_le16(c, v);
#endif
}

static bool cur_h32(struct cursor *c, uint32_t *v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return cur_be32(c, v);
#else
	return cur_le32(c, v);
#endif
}

/* Moves to offset off of the struct that starts at start (a position of c). */
static void seek(struct cursor *c, size_t start, size_t off)
{
	size_t at = c->off;

	if (at > start + off) {
		cur_fail(c);
		return;
	}
	cur_skip(c, start + off - at);
}

static int fam(uint16_t f)
{
	return f == AF_INET || f == AF_INET6 ? f : 0;
}

/* struct xfrm_selector at the cursor (sizeof bytes). */
static void read_selector(struct cursor *c, struct xfrm_selector_info *s)
{
	size_t st = c->off;
	uint16_t family = 0;

	seek(c, st, offsetof(struct xfrm_selector, daddr));
	cur_bytes(c, s->daddr, 16);
	seek(c, st, offsetof(struct xfrm_selector, saddr));
	cur_bytes(c, s->saddr, 16);
	seek(c, st, offsetof(struct xfrm_selector, dport));
	cur_be16(c, &s->dport);
	seek(c, st, offsetof(struct xfrm_selector, sport));
	cur_be16(c, &s->sport);
	seek(c, st, offsetof(struct xfrm_selector, family));
	cur_h16(c, &family);
	cur_u8(c, &s->prefixlen_d);
	cur_u8(c, &s->prefixlen_s);
	cur_u8(c, &s->proto);
	seek(c, st, offsetof(struct xfrm_selector, ifindex));
	cur_h32(c, (uint32_t *)&s->ifindex);
	seek(c, st, sizeof(struct xfrm_selector));
	s->family = fam(family);
}

static void read_template(struct cursor *c, struct xfrm_template_info *t)
{
	size_t st = c->off;
	uint16_t family = 0;

	seek(c, st, offsetof(struct xfrm_user_tmpl, id.daddr));
	cur_bytes(c, t->daddr, 16);
	seek(c, st, offsetof(struct xfrm_user_tmpl, id.spi));
	cur_be32(c, &t->spi);
	seek(c, st, offsetof(struct xfrm_user_tmpl, id.proto));
	cur_u8(c, &t->proto);
	seek(c, st, offsetof(struct xfrm_user_tmpl, family));
	cur_h16(c, &family);
	seek(c, st, offsetof(struct xfrm_user_tmpl, saddr));
	cur_bytes(c, t->saddr, 16);
	seek(c, st, offsetof(struct xfrm_user_tmpl, reqid));
	cur_h32(c, &t->reqid);
	seek(c, st, offsetof(struct xfrm_user_tmpl, mode));
	cur_u8(c, &t->mode);
	seek(c, st, offsetof(struct xfrm_user_tmpl, optional));
	{
		uint8_t o = 0;

		cur_u8(c, &o);
		t->optional = o != 0;
	}
	seek(c, st, sizeof(struct xfrm_user_tmpl));
	t->family = fam(family);
}

/* One attribute's body, whatever the message: the fields the decoder keeps. */
struct attrs {
	struct xfrm_template_info *tmpl;
	size_t *ntmpl, *ntmpl_seen;
	bool *has_mark;
	uint32_t *mark, *mark_mask, *if_id;
	uint8_t *ptype;
	bool *has_encap;
	uint16_t *esport, *edport;
	char *enc, *auth, *aead;  /* 64 bytes each, or NULL */
};

static void alg_name(struct cursor *body, char *out)
{
	uint8_t name[64];

	if (!out)
		return;
	if (!cur_bytes(body, name, sizeof name))
		return;
	name[63] = 0;
	for (size_t i = 0; i < 64; i++)
		out[i] = name[i] >= 0x20 && name[i] < 0x7f ? (char)name[i] : (name[i] ? '?' : 0);
	out[63] = 0;
}

/* Returns false (cursor failed) on a body too short for its type. */
static bool one_attr(uint16_t type, struct cursor *body, struct attrs *a, struct xfrm_dump *d)
{
	switch (type) {
	case XFRMA_TMPL:
		if (!a->tmpl)
			break;
		if (cur_remaining(body) % sizeof(struct xfrm_user_tmpl)) {
			cur_fail(body);
			return false;
		}
		while (cur_remaining(body) && cur_ok(body)) {
			struct xfrm_template_info t;

			memset(&t, 0, sizeof t);
			read_template(body, &t);
			(*a->ntmpl_seen)++;
			if (*a->ntmpl < XFRM_MAX_TEMPLATES)
				a->tmpl[(*a->ntmpl)++] = t;
		}
		return cur_ok(body);
	case XFRMA_MARK:
		cur_h32(body, a->mark);
		cur_h32(body, a->mark_mask);
		*a->has_mark = cur_ok(body);
		return cur_ok(body);
	case XFRMA_IF_ID:
		return cur_h32(body, a->if_id);
	case XFRMA_POLICY_TYPE:
		if (!a->ptype)
			break;
		return cur_u8(body, a->ptype);
	case XFRMA_ENCAP:
		if (!a->has_encap)
			break;
		{
			size_t st = body->off;
			uint16_t t;

			cur_h16(body, &t);
			seek(body, st, offsetof(struct xfrm_encap_tmpl, encap_sport));
			cur_be16(body, a->esport);
			cur_be16(body, a->edport);
			*a->has_encap = cur_ok(body);
			return cur_ok(body);
		}
	case XFRMA_ALG_CRYPT:
		if (!a->enc)
			break;
		alg_name(body, a->enc);
		return cur_ok(body);
	case XFRMA_ALG_AUTH:
	case XFRMA_ALG_AUTH_TRUNC:
		if (!a->auth)
			break;
		alg_name(body, a->auth);
		return cur_ok(body);
	case XFRMA_ALG_AEAD:
		if (!a->aead)
			break;
		alg_name(body, a->aead);
		return cur_ok(body);
	default:
		break;
	}
	d->unknown_attrs++;
	return true;
}

static int fail_at(struct diag_error *err, size_t at, const char *what)
{
	char where[64];

	snprintf(where, sizeof where, "xfrm dump offset %zu", at);
	return diag_fail(err, DIAG_EXIT_DATAERR, where, "%s", what);
}

/* The nlattr chain that fills the rest of c. Each attribute: nla_len (header included)
 * below 4 or past the end is an error; the body is a child cursor of nla_len - 4 bytes;
 * padding to 4 bytes follows (absent after the last one is tolerated). */
static int walk_attrs(struct cursor *c, struct attrs *a, struct xfrm_dump *d,
		      struct diag_error *err)
{
	unsigned n = 0;

	while (cur_remaining(c)) {
		size_t at = cur_pos(c);
		uint16_t len = 0, type = 0;
		struct cursor body;
		size_t pad;

		if (++n > XFRM_MAX_ATTRS)
			return fail_at(err, at, "more than 64 attributes in one message");
		if (!cur_h16(c, &len) || !cur_h16(c, &type))
			return fail_at(err, at, "attribute header truncated");
		if (len < NLA_HDR_LEN)
			return fail_at(err, at, "attribute length below its header size");
		if (!cur_sub(c, len - NLA_HDR_LEN, &body))
			return fail_at(err, at, "attribute length past the end of its message");
		if (!one_attr(type & NLA_TYPE_MASK, &body, a, d))
			return fail_at(err, at, "attribute too short for its type");
		pad = (size_t)NLA_ALIGN(len) - len;
		cur_skip(c, pad < cur_remaining(c) ? pad : cur_remaining(c));
	}
	return 0;
}

static void *grow(void *v, size_t *cap, size_t n, size_t sz)
{
	size_t nc;
	void *p;

	if (n < *cap)
		return v;
	nc = *cap ? *cap * 2 : 16;
	if (!(p = realloc(v, nc * sz)))
		return NULL;
	*cap = nc;
	return p;
}

static int decode_policy(struct cursor *c, struct xfrm_dump *d, unsigned long msg,
			 struct diag_error *err)
{
	struct xfrm_policy_entry *p;
	struct attrs a;
	size_t st = c->off, at = cur_pos(c);
	void *np;

	if (!(np = grow(d->policies, &d->cap_policies, d->npolicies, sizeof *p)))
		return diag_fail(err, DIAG_EXIT_SOFTWARE, NULL, "out of memory");
	d->policies = np;
	p = &d->policies[d->npolicies];
	memset(p, 0, sizeof *p);
	p->msg = msg;
	read_selector(c, &p->sel);
	seek(c, st, offsetof(struct xfrm_userpolicy_info, priority));
	cur_h32(c, &p->priority);
	cur_h32(c, &p->index);
	cur_u8(c, &p->dir);
	cur_u8(c, &p->action);
	seek(c, st, NLMSG_ALIGN(sizeof(struct xfrm_userpolicy_info)));
	if (!cur_ok(c))
		return fail_at(err, at, "policy message shorter than xfrm_userpolicy_info");
	memset(&a, 0, sizeof a);
	a.tmpl = p->tmpl;
	a.ntmpl = &p->ntmpl;
	a.ntmpl_seen = &p->ntmpl_seen;
	a.has_mark = &p->has_mark;
	a.mark = &p->mark;
	a.mark_mask = &p->mark_mask;
	a.if_id = &p->if_id;
	a.ptype = &p->type;
	if (walk_attrs(c, &a, d, err) < 0)
		return -1;
	d->npolicies++;
	return 0;
}

static int decode_sa(struct cursor *c, struct xfrm_dump *d, unsigned long msg,
		     struct diag_error *err)
{
	struct xfrm_sa_entry *s;
	struct attrs a;
	size_t st = c->off, at = cur_pos(c);
	uint16_t family = 0;
	void *np;

	if (!(np = grow(d->sas, &d->cap_sas, d->nsas, sizeof *s)))
		return diag_fail(err, DIAG_EXIT_SOFTWARE, NULL, "out of memory");
	d->sas = np;
	s = &d->sas[d->nsas];
	memset(s, 0, sizeof *s);
	s->msg = msg;
	read_selector(c, &s->sel);
	seek(c, st, offsetof(struct xfrm_usersa_info, id.daddr));
	cur_bytes(c, s->daddr, 16);
	seek(c, st, offsetof(struct xfrm_usersa_info, id.spi));
	cur_be32(c, &s->spi);
	seek(c, st, offsetof(struct xfrm_usersa_info, id.proto));
	cur_u8(c, &s->proto);
	seek(c, st, offsetof(struct xfrm_usersa_info, saddr));
	cur_bytes(c, s->saddr, 16);
	seek(c, st, offsetof(struct xfrm_usersa_info, reqid));
	cur_h32(c, &s->reqid);
	seek(c, st, offsetof(struct xfrm_usersa_info, family));
	cur_h16(c, &family);
	cur_u8(c, &s->mode);
	seek(c, st, NLMSG_ALIGN(sizeof(struct xfrm_usersa_info)));
	if (!cur_ok(c))
		return fail_at(err, at, "SA message shorter than xfrm_usersa_info");
	s->family = fam(family);
	memset(&a, 0, sizeof a);
	a.has_mark = &s->has_mark;
	a.mark = &s->mark;
	a.mark_mask = &s->mark_mask;
	a.if_id = &s->if_id;
	a.has_encap = &s->has_encap;
	a.esport = &s->encap_sport;
	a.edport = &s->encap_dport;
	a.enc = s->enc;
	a.auth = s->auth;
	a.aead = s->aead;
	if (walk_attrs(c, &a, d, err) < 0)
		return -1;
	d->nsas++;
	return 0;
}

int xfrm_decode(const uint8_t *buf, size_t len, struct xfrm_dump *d, struct diag_error *err)
{
	struct cursor c;

	cur_init(&c, buf, len);
	while (cur_remaining(&c)) {
		size_t at = cur_pos(&c);
		uint32_t mlen = 0, seq, pid;
		uint16_t type = 0, flags;
		struct cursor body;
		int32_t e;
		size_t pad;

		if (d->messages >= XFRM_MAX_MESSAGES)
			return fail_at(err, at, "more than 65536 messages in one dump");
		cur_h32(&c, &mlen);
		cur_h16(&c, &type);
		cur_h16(&c, &flags);
		cur_h32(&c, &seq);
		cur_h32(&c, &pid);
		if (!cur_ok(&c))
			return fail_at(err, at, "netlink header truncated");
		if (mlen < NLMSG_HDR_LEN)
			return fail_at(err, at, "netlink message length below its header size");
		if (!cur_sub(&c, mlen - NLMSG_HDR_LEN, &body))
			return fail_at(err, at, "netlink message length past the end of the dump");
		pad = (size_t)NLMSG_ALIGN(mlen) - mlen;
		cur_skip(&c, pad < cur_remaining(&c) ? pad : cur_remaining(&c));
		d->messages++;
		switch (type) {
		case XFRM_MSG_NEWPOLICY:
			if (decode_policy(&body, d, d->messages, err) < 0)
				return -1;
			break;
		case XFRM_MSG_NEWSA:
			if (decode_sa(&body, d, d->messages, err) < 0)
				return -1;
			break;
		case NLMSG_DONE:
			d->done++;
			break;
		case NLMSG_ERROR:
			if (!cur_h32(&body, (uint32_t *)&e))
				return fail_at(err, at, "netlink error message truncated");
			if (e < 0 && !d->dump_errno)
				d->dump_errno = -e;
			break;
		default:
			d->other++;
			break;
		}
	}
	return 0;
}

/* Zeroes an algorithm attribute's key: the bytes after its fixed part. */
static void scrub_attr(uint8_t *body, size_t n, uint16_t type)
{
	size_t fixed;

	switch (type) {
	case XFRMA_ALG_CRYPT:
	case XFRMA_ALG_AUTH: fixed = sizeof(struct xfrm_algo); break;
	case XFRMA_ALG_AUTH_TRUNC: fixed = sizeof(struct xfrm_algo_auth); break;
	case XFRMA_ALG_AEAD: fixed = sizeof(struct xfrm_algo_aead); break;
	default: return;
	}
	if (n > fixed)
		memset(body + fixed, 0, n - fixed);
}

void xfrm_scrub_keys(uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (len - off >= NLMSG_HDR_LEN) {
		struct nlmsghdr h;
		size_t a, end;

		memcpy(&h, buf + off, sizeof h);
		if (h.nlmsg_len < NLMSG_HDR_LEN || h.nlmsg_len > len - off)
			return;
		end = off + h.nlmsg_len;
		if (h.nlmsg_type == XFRM_MSG_NEWSA) {
			a = off + NLMSG_HDR_LEN + NLMSG_ALIGN(sizeof(struct xfrm_usersa_info));
			while (a < end && end - a >= NLA_HDR_LEN) {
				struct nlattr na;

				memcpy(&na, buf + a, sizeof na);
				if (na.nla_len < NLA_HDR_LEN || na.nla_len > end - a)
					break;
				scrub_attr(buf + a + NLA_HDR_LEN, na.nla_len - NLA_HDR_LEN,
					   na.nla_type & NLA_TYPE_MASK);
				a += NLA_ALIGN(na.nla_len);
			}
		}
		if (NLMSG_ALIGN(h.nlmsg_len) >= len - off)
			return;
		off += NLMSG_ALIGN(h.nlmsg_len);
	}
}

const char *xfrm_addr_str(int family, const uint8_t *addr, char *out, size_t outlen)
{
	if (family != AF_INET && family != AF_INET6) {
		snprintf(out, outlen, "?");
		return out;
	}
	if (!inet_ntop(family, addr, out, (socklen_t)outlen))
		snprintf(out, outlen, "?");
	return out;
}

const char *xfrm_prefix_str(int family, const uint8_t *addr, unsigned plen, char *out,
			    size_t outlen)
{
	char a[INET6_ADDRSTRLEN];

	if (family != AF_INET && family != AF_INET6) {
		snprintf(out, outlen, plen ? "?/%u" : "any", plen);
		return out;
	}
	snprintf(out, outlen, "%s/%u", xfrm_addr_str(family, addr, a, sizeof a), plen);
	return out;
}

const char *xfrm_dir_name(uint8_t dir)
{
	/* 3-5: per-socket policies (XFRM_POLICY_MAX + dir), as charon sets on its sockets */
	static const char *const names[] = {"in", "out", "fwd", "socket-in", "socket-out",
					    "socket-fwd"};

	return dir < 6 ? names[dir] : "other";
}

const char *xfrm_mode_name(uint8_t mode)
{
	switch (mode) {
	case XFRM_MODE_TRANSPORT: return "transport";
	case XFRM_MODE_TUNNEL: return "tunnel";
	case XFRM_MODE_ROUTEOPTIMIZATION: return "routeoptimization";
	case XFRM_MODE_IN_TRIGGER: return "in_trigger";
	case XFRM_MODE_BEET: return "beet";
	}
	return "unknown";
}
