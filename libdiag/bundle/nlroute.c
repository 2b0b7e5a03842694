/* Every route table and the policy routing rules, over NETLINK_ROUTE, for the bundle's
 * env/routes.txt and env/rules.txt: /proc/net/route shows the main table only, while
 * strongSwan puts its routes in table 220 and a VTI setup lives in rules and marks. The
 * replies are decoded through the cursor (host-endian, as netlink is), every length
 * checked before it is used; the text is one line per route or rule, like ip(8)'s. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/fib_rules.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include "libdiag/bundle/bundle_internal.h"
#include "libdiag/cursor.h"
#include "libdiag/wipebuf.h"

#define NL_RECV_BUF 65536
#define NL_DUMP_MAX (32u << 20)
#define NL_MSGS_MAX 200000u
#define NL_ATTRS_MAX 64u

/* Sends one dump request and appends every reply to out until NLMSG_DONE. Returns 0 or
 * -1 (errno set). */
static int dump(int fd, uint16_t type, uint32_t seq, struct wipebuf *out, uint8_t *rb,
		int timeout_ms)
{
	struct {
		struct nlmsghdr h;
		struct rtmsg r;
	} req;

	memset(&req, 0, sizeof req);
	req.h.nlmsg_len = sizeof req;
	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = seq;
	req.r.rtm_family = AF_UNSPEC;
	if (send(fd, &req, sizeof req, 0) < 0)
		return -1;
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;
		size_t off = 0;

		if (poll(&p, 1, timeout_ms) <= 0) {
			errno = errno ? errno : ETIMEDOUT;
			return -1;
		}
		n = recv(fd, rb, NL_RECV_BUF, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		while ((size_t)n - off >= sizeof(struct nlmsghdr)) {
			struct nlmsghdr h;

			memcpy(&h, rb + off, sizeof h);
			if (h.nlmsg_len < sizeof h || h.nlmsg_len > (size_t)n - off)
				break;
			if (h.nlmsg_seq == seq && h.nlmsg_type == NLMSG_DONE)
				return 0;
			if (h.nlmsg_seq == seq && h.nlmsg_type == NLMSG_ERROR) {
				int e = 0;

				if (h.nlmsg_len >= sizeof h + sizeof e)
					memcpy(&e, rb + off + sizeof h, sizeof e);
				errno = e < 0 ? -e : EPROTO;
				return -1;
			}
			if (wipebuf_add(out, rb + off, h.nlmsg_len) < 0) {
				errno = ENOMEM;
				return -1;
			}
			off += NLMSG_ALIGN(h.nlmsg_len);
		}
	}
}

int bundle_nl_dump(int rules, uint8_t **out, size_t *len, int timeout_ms)
{
	struct sockaddr_nl local = {.nl_family = AF_NETLINK};
	struct wipebuf b = {.max = NL_DUMP_MAX};
	uint8_t *rb;
	int fd, rc = -1, e = 0;

	*out = NULL;
	*len = 0;
	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&local, sizeof local) == 0 &&
	    (rb = malloc(NL_RECV_BUF)) != NULL) {
		errno = 0;
		rc = dump(fd, rules ? RTM_GETRULE : RTM_GETROUTE, 1, &b, rb, timeout_ms);
		e = errno;
		free(rb);
	} else {
		e = errno ? errno : ENOMEM;
	}
	close(fd);
	if (rc == 0 && !(*out = (uint8_t *)wipebuf_take(&b, len))) {
		rc = -1;
		e = ENOMEM;
	}
	wipebuf_free(&b);
	errno = e;
	return rc;
}

/* ---- decoding ---------------------------------------------------------------------- */

struct attrs {
	const uint8_t *v[NL_ATTRS_MAX];
	uint16_t n[NL_ATTRS_MAX];
};

/* The attributes after a message's fixed header; -1 on a malformed one. */
static int read_attrs(struct cursor *c, struct attrs *a)
{
	unsigned count = 0;

	memset(a, 0, sizeof *a);
	while (cur_remaining(c) >= 4 && count++ < 4096) {
		uint8_t hdr[4];
		uint16_t alen, type;
		const uint8_t *val;

		if (!cur_bytes(c, hdr, 4))
			return -1;
		memcpy(&alen, hdr, 2);
		memcpy(&type, hdr + 2, 2);
		type &= NLA_TYPE_MASK;
		if (alen < 4 || !cur_ref(c, &val, (size_t)alen - 4))
			return -1;
		if (type < NL_ATTRS_MAX) {
			a->v[type] = val;
			a->n[type] = (uint16_t)(alen - 4);
		}
		/* the padding to 4 bytes may be absent after the last attribute */
		if ((alen & 3) && !cur_skip(c, (size_t)(4 - (alen & 3)) < cur_remaining(c)
						       ? (size_t)(4 - (alen & 3))
						       : cur_remaining(c)))
			return -1;
	}
	return 0;
}

static bool u32_attr(const struct attrs *a, int t, uint32_t *v)
{
	if (!a->v[t] || a->n[t] < 4)
		return false;
	memcpy(v, a->v[t], 4);
	return true;
}

static void put_addr(struct wipebuf *b, const char *label, int family, const struct attrs *a,
		     int t, unsigned plen, bool with_len)
{
	char s[INET6_ADDRSTRLEN], line[128];
	size_t want = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;

	if (!a->v[t] || !want || a->n[t] != want)
		return;
	inet_ntop(family, a->v[t], s, sizeof s);
	if (with_len)
		snprintf(line, sizeof line, " %s %s/%u", label, s, plen);
	else
		snprintf(line, sizeof line, " %s %s", label, s);
	(void)wipebuf_add(b, line, strlen(line));
}

static void putf(struct wipebuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct wipebuf *b, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0)
		(void)wipebuf_add(b, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void put_name(struct wipebuf *b, const char *label, const struct attrs *a, int t)
{
	char name[IF_NAMESIZE + 1];
	size_t n;

	if (!a->v[t])
		return;
	n = strnlen((const char *)a->v[t], a->n[t]);
	if (n >= sizeof name)
		n = sizeof name - 1;
	memcpy(name, a->v[t], n);
	name[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x21 || (unsigned char)name[i] > 0x7e)
			name[i] = '?';
	putf(b, " %s %s", label, name);
}

static const char *family_name(int f)
{
	return f == AF_INET ? "inet" : f == AF_INET6 ? "inet6" : "other";
}

static const char *rt_type_name(unsigned t)
{
	static const char *const names[] = {
		"unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole",
		"unreachable", "prohibit", "throw", "nat", "xresolve",
	};

	return t < sizeof names / sizeof *names ? names[t] : "other";
}

static const char *rt_scope_name(unsigned s)
{
	return s == RT_SCOPE_UNIVERSE ? "global" : s == RT_SCOPE_SITE ? "site"
		: s == RT_SCOPE_LINK ? "link" : s == RT_SCOPE_HOST ? "host"
		: s == RT_SCOPE_NOWHERE ? "nowhere" : "other";
}

/* ip(8)'s names for the common route origins, the number otherwise */
static void put_proto(struct wipebuf *b, unsigned p)
{
	static const struct {
		unsigned v;
		const char *name;
	} names[] = {
		{RTPROT_REDIRECT, "redirect"}, {RTPROT_KERNEL, "kernel"}, {RTPROT_BOOT, "boot"},
		{RTPROT_STATIC, "static"}, {RTPROT_RA, "ra"}, {RTPROT_DHCP, "dhcp"},
		{RTPROT_BGP, "bgp"}, {RTPROT_OSPF, "ospf"}, {RTPROT_ZEBRA, "zebra"},
		{RTPROT_BIRD, "bird"},
	};

	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].v == p) {
			putf(b, " proto %s", names[i].name);
			return;
		}
	putf(b, " proto %u", p);
}

static void route_line(struct wipebuf *b, const struct rtmsg *r, const struct attrs *a)
{
	uint32_t v, table = r->rtm_table;
	char ifn[IF_NAMESIZE];

	(void)u32_attr(a, RTA_TABLE, &table);
	putf(b, "%s table %u %s", family_name(r->rtm_family), table, rt_type_name(r->rtm_type));
	if (a->v[RTA_DST])
		put_addr(b, "dst", r->rtm_family, a, RTA_DST, r->rtm_dst_len, true);
	else
		putf(b, " dst default");
	if (a->v[RTA_SRC])
		put_addr(b, "from", r->rtm_family, a, RTA_SRC, r->rtm_src_len, true);
	put_addr(b, "via", r->rtm_family, a, RTA_GATEWAY, 0, false);
	if (u32_attr(a, RTA_OIF, &v))
		putf(b, " dev %s", if_indextoname(v, ifn) ? ifn : "?");
	put_addr(b, "src", r->rtm_family, a, RTA_PREFSRC, 0, false);
	if (u32_attr(a, RTA_PRIORITY, &v))
		putf(b, " metric %u", v);
	if (a->v[RTA_MULTIPATH])
		putf(b, " multipath");
	put_proto(b, r->rtm_protocol);
	putf(b, " scope %s\n", rt_scope_name(r->rtm_scope));
}

static void rule_line(struct wipebuf *b, const struct fib_rule_hdr *r, const struct attrs *a)
{
	uint32_t v, table = r->table, mask;

	(void)u32_attr(a, FRA_TABLE, &table);
	putf(b, "%s", family_name(r->family));
	if (u32_attr(a, FRA_PRIORITY, &v))
		putf(b, " prio %u", v);
	if (r->flags & FIB_RULE_INVERT)
		putf(b, " not");
	if (a->v[FRA_SRC])
		put_addr(b, "from", r->family, a, FRA_SRC, r->src_len, true);
	else
		putf(b, " from all");
	if (a->v[FRA_DST])
		put_addr(b, "to", r->family, a, FRA_DST, r->dst_len, true);
	put_name(b, "iif", a, FRA_IIFNAME);
	put_name(b, "oif", a, FRA_OIFNAME);
	if (u32_attr(a, FRA_FWMARK, &v)) {
		if (u32_attr(a, FRA_FWMASK, &mask))
			putf(b, " fwmark 0x%x/0x%x", v, mask);
		else
			putf(b, " fwmark 0x%x", v);
	}
	if (r->action == FR_ACT_TO_TBL)
		putf(b, " lookup %u\n", table);
	else
		putf(b, " action %u\n", r->action);
}

char *bundle_nl_text(const uint8_t *buf, size_t len)
{
	struct wipebuf b = {.max = NL_DUMP_MAX};
	struct cursor c;
	unsigned msgs = 0;
	char *out;

	cur_init(&c, buf, len);
	while (cur_remaining(&c) > 0) {
		struct nlmsghdr h;
		struct cursor body;
		struct attrs a;

		if (msgs++ == NL_MSGS_MAX) {
			putf(&b, "more than %u messages: the rest left out\n", NL_MSGS_MAX);
			break;
		}
		if (!cur_bytes(&c, &h, sizeof h) || h.nlmsg_len < sizeof h ||
		    !cur_sub(&c, h.nlmsg_len - sizeof h, &body)) {
			putf(&b, "malformed netlink message at offset %zu\n", cur_pos(&c));
			break;
		}
		if (NLMSG_ALIGN(h.nlmsg_len) > h.nlmsg_len)
			(void)cur_skip(&c, NLMSG_ALIGN(h.nlmsg_len) - h.nlmsg_len < cur_remaining(&c)
						  ? NLMSG_ALIGN(h.nlmsg_len) - h.nlmsg_len
						  : cur_remaining(&c));
		if (h.nlmsg_type == RTM_NEWROUTE) {
			struct rtmsg r;

			if (!cur_bytes(&body, &r, sizeof r) || read_attrs(&body, &a) < 0) {
				putf(&b, "malformed route at offset %zu\n", cur_pos(&body));
				continue;
			}
			route_line(&b, &r, &a);
		} else if (h.nlmsg_type == RTM_NEWRULE) {
			struct fib_rule_hdr r;

			if (!cur_bytes(&body, &r, sizeof r) || read_attrs(&body, &a) < 0) {
				putf(&b, "malformed rule at offset %zu\n", cur_pos(&body));
				continue;
			}
			rule_line(&b, &r, &a);
		}
	}
	if (b.failed) {
		wipebuf_free(&b);
		return NULL;
	}
	if (!(out = wipebuf_take(&b, NULL)))
		wipebuf_free(&b);
	return out;
}
