#include "libdiag/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool addr_parse(const char *s, struct diag_addr *out)
{
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, s, out->b) == 1) {
		out->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, out->b) == 1) {
		out->family = AF_INET6;
		return true;
	}
	return false;
}

unsigned addr_bits(const struct diag_addr *a)
{
	return a->family == AF_INET ? 32 : 128;
}

const char *addr_str(const struct diag_addr *a, char buf[ADDR_STRLEN])
{
	if (!inet_ntop(a->family, a->b, buf, ADDR_STRLEN))
		snprintf(buf, ADDR_STRLEN, "?");
	return buf;
}

int addr_cmp(const struct diag_addr *a, const struct diag_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->b, b->b, addr_bits(a) / 8);
}

bool addr_eq(const struct diag_addr *a, const struct diag_addr *b)
{
	return addr_cmp(a, b) == 0;
}

bool addr_next(struct diag_addr *a)
{
	for (int i = (int)addr_bits(a) / 8 - 1; i >= 0; i--)
		if (++a->b[i] != 0)
			return true;
	return false;
}

static void apply_mask(struct diag_addr *a, unsigned len, bool set_host_bits)
{
	unsigned bits = addr_bits(a);

	for (unsigned i = 0; i < bits / 8; i++) {
		unsigned keep = len >= (i + 1) * 8 ? 8 : len > i * 8 ? len - i * 8 : 0;
		uint8_t mask = (uint8_t)(keep ? 0xff << (8 - keep) : 0);

		a->b[i] = set_host_bits ? (uint8_t)(a->b[i] | ~mask) : (uint8_t)(a->b[i] & mask);
	}
}

int prefix_parse(const char *s, bool allow_host_bits, struct diag_prefix *out,
		 struct diag_error *err)
{
	char buf[64], *slash, *end;
	unsigned long len;
	struct diag_addr masked;

	if (strlen(s) >= sizeof buf)
		return diag_fail(err, DIAG_EXIT_USAGE, s, "prefix too long");
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return diag_fail(err, DIAG_EXIT_USAGE, s, "not a prefix (want ADDRESS/LENGTH)");
	*slash = '\0';
	if (!addr_parse(buf, &out->addr))
		return diag_fail(err, DIAG_EXIT_USAGE, s, "invalid address '%s'", buf);
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end || errno || len > addr_bits(&out->addr))
		return diag_fail(err, DIAG_EXIT_USAGE, s, "invalid prefix length '%s' (0-%u)",
				 slash + 1, addr_bits(&out->addr));
	out->len = (unsigned)len;
	masked = out->addr;
	apply_mask(&masked, out->len, false);
	if (!allow_host_bits && !addr_eq(&masked, &out->addr)) {
		char m[ADDR_STRLEN];

		return diag_fail(err, DIAG_EXIT_USAGE, s, "host bits set (did you mean %s/%u?)",
				 addr_str(&masked, m), out->len);
	}
	out->addr = masked;
	return 0;
}

/* The IPv4 shorthand "10.0.0.1-50" replaces the last octet. */
static bool short_v4_end(const struct diag_addr *first, const char *s, struct diag_addr *last)
{
	char *end;
	unsigned long v;

	if (first->family != AF_INET || *s < '0' || *s > '9' || strlen(s) > 3)
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v > 255)
		return false;
	*last = *first;
	last->b[3] = (uint8_t)v;
	return true;
}

int range_parse(const char *s, struct diag_range *out, struct diag_error *err)
{
	char buf[100], *dash;

	if (strlen(s) >= sizeof buf)
		return diag_fail(err, DIAG_EXIT_USAGE, s, "range too long");
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (!dash)
		return diag_fail(err, DIAG_EXIT_USAGE, s, "not a range (want FIRST-LAST)");
	*dash = '\0';
	if (!addr_parse(buf, &out->first))
		return diag_fail(err, DIAG_EXIT_USAGE, s, "invalid address '%s'", buf);
	if (!addr_parse(dash + 1, &out->last) && !short_v4_end(&out->first, dash + 1, &out->last))
		return diag_fail(err, DIAG_EXIT_USAGE, s, "invalid address '%s'", dash + 1);
	if (out->first.family != out->last.family)
		return diag_fail(err, DIAG_EXIT_USAGE, s, "range mixes IPv4 and IPv6");
	if (addr_cmp(&out->first, &out->last) > 0)
		return diag_fail(err, DIAG_EXIT_USAGE, s, "range ends before it starts");
	return 0;
}

void prefix_range(const struct diag_prefix *p, struct diag_range *out)
{
	out->first = p->addr;
	apply_mask(&out->first, p->len, false);
	out->last = p->addr;
	apply_mask(&out->last, p->len, true);
}

bool prefix_contains(const struct diag_prefix *p, const struct diag_addr *a)
{
	struct diag_addr m = *a;

	if (a->family != p->addr.family)
		return false;
	apply_mask(&m, p->len, false);
	return addr_eq(&m, &p->addr);
}

uint64_t range_size(const struct diag_range *r)
{
	unsigned __int128 a = 0, b = 0, n;
	unsigned bytes = addr_bits(&r->first) / 8;

	for (unsigned i = 0; i < bytes; i++) {
		a = a << 8 | r->first.b[i];
		b = b << 8 | r->last.b[i];
	}
	if (b < a)
		return 0;
	n = b - a;
	return n >= UINT64_MAX ? UINT64_MAX : (uint64_t)n + 1;
}

bool addr_is_multicast(const struct diag_addr *a)
{
	return a->family == AF_INET ? (a->b[0] & 0xf0) == 0xe0 : a->b[0] == 0xff;
}

bool addr_is_limited_broadcast(const struct diag_addr *a)
{
	static const uint8_t all[4] = {255, 255, 255, 255};

	return a->family == AF_INET && memcmp(a->b, all, 4) == 0;
}

bool addr_is_private(const struct diag_addr *a)
{
	static const char *const private_prefixes[] = {
		"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
		"169.254.0.0/16", "127.0.0.0/8", "fc00::/7", "fe80::/10", "::1/128",
	};
	for (size_t i = 0; i < sizeof private_prefixes / sizeof *private_prefixes; i++) {
		struct diag_prefix p;

		if (prefix_parse(private_prefixes[i], false, &p, NULL) == 0 &&
		    prefix_contains(&p, a))
			return true;
	}
	return false;
}

bool addr_is_loopback(const struct diag_addr *a)
{
	static const uint8_t v6_loopback[16] = {[15] = 1};

	return a->family == AF_INET ? a->b[0] == 127 : memcmp(a->b, v6_loopback, 16) == 0;
}

socklen_t addr_to_sockaddr(const struct diag_addr *a, uint16_t port,
			   struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->b, 4);
		return sizeof *sin;
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	memcpy(&sin6->sin6_addr, a->b, 16);
	return sizeof *sin6;
}

bool addr_from_sockaddr(const struct sockaddr *sa, struct diag_addr *out, uint16_t *port)
{
	memset(out, 0, sizeof *out);
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		out->family = AF_INET;
		memcpy(out->b, &sin->sin_addr, 4);
		if (port)
			*port = ntohs(sin->sin_port);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		out->family = AF_INET6;
		memcpy(out->b, &sin6->sin6_addr, 16);
		if (port)
			*port = ntohs(sin6->sin6_port);
		return true;
	}
	return false;
}
