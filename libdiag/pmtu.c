/* Path MTU search (see pmtu.h): one socket, one probe in flight, a binary search over
 * sizes with DF set, and IP_RECVERR to tell "too big" (ICMP or local) from silence.
 *
 * A side effect worth knowing: an ICMP "fragmentation needed" also teaches the kernel the
 * path MTU toward the target (a route exception that expires after ip_rt_mtu_expires,
 * ten minutes by default). That is what the kernel would learn from any traffic; PROBE
 * mode only keeps our own sends from obeying it. */
#include "libdiag/pmtu.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "libdiag/cursor.h"
#include "libdiag/preopen.h"

#define PMTU_MAX_SIZE 9216  /* jumbo frames; AWS tunnels are far below */
#define MIN_V4 68           /* RFC 791: every link carries 68 */
#define MIN_V6 1280         /* RFC 8200 */
#define BASE_V4 576         /* RFC 791: every host accepts 576 */
#define ERRQ_DATA 1600      /* enough for the quoted tag; the rest is truncated */

static const uint8_t TAG_MAGIC[4] = {'V', 'D', 'P', 'M'};

struct prober {
	const struct pmtu_opts *o;
	struct pmtu_result *r;
	int fd;
	int family;
	bool icmp, raw;
	uint16_t ident;        /* raw sockets: ours to choose (ping sockets: the kernel's) */
	uint32_t seq;
	unsigned wait_ms, tries;
	uint64_t deadline_ns;
	bool budget_out;
	uint8_t out[PMTU_MAX_SIZE];
	uint8_t in[PMTU_MAX_SIZE + 64];
};

const char *pmtu_method_name(enum pmtu_method m)
{
	return m == PMTU_UDP ? "udp" : m == PMTU_ICMP ? "icmp" : "auto";
}

const char *pmtu_verdict_name(enum pmtu_verdict v)
{
	switch (v) {
	case PMTU_FITS: return "fits";
	case PMTU_TOO_BIG_ICMP: return "too-big-icmp";
	case PMTU_TOO_BIG_LOCAL: return "too-big-local";
	case PMTU_UNREACH: return "unreachable";
	case PMTU_SILENT: return "silent";
	}
	return "?";
}

const char *pmtu_outcome_name(enum pmtu_outcome o)
{
	switch (o) {
	case PMTU_FOUND: return "found";
	case PMTU_ABOVE_MAX: return "above-max";
	case PMTU_NO_ANSWER: return "no-answer";
	case PMTU_PARTIAL: return "partial";
	}
	return "?";
}

int pmtu_overhead(int family)
{
	return (family == AF_INET6 ? 40 : 20) + 8;
}

/* ---- the tag and what comes back ------------------------------------------------------- */

void pmtu_tag(uint8_t *b, uint32_t seq, uint16_t size)
{
	uint16_t inv = (uint16_t)~size;

	memcpy(b, TAG_MAGIC, 4);
	b[4] = (uint8_t)(seq >> 24);
	b[5] = (uint8_t)(seq >> 16);
	b[6] = (uint8_t)(seq >> 8);
	b[7] = (uint8_t)seq;
	b[8] = (uint8_t)(size >> 8);
	b[9] = (uint8_t)size;
	b[10] = (uint8_t)(inv >> 8);
	b[11] = (uint8_t)inv;
}

static void read_tag(struct cursor *c, struct pmtu_seen *out)
{
	uint8_t magic[4];
	uint32_t seq;
	uint16_t size, inv;

	/* a payload shorter than the tag (quoted by a router that includes only 8 bytes, or a
	 * service answering in its own words) is well-formed, just untagged */
	if (cur_remaining(c) < PMTU_TAG_LEN)
		return;
	cur_bytes(c, magic, sizeof magic);
	cur_be32(c, &seq);
	cur_be16(c, &size);
	cur_be16(c, &inv);
	if (!cur_ok(c) || memcmp(magic, TAG_MAGIC, 4) != 0 || (uint16_t)(size ^ inv) != 0xffff)
		return;
	out->tagged = true;
	out->seq = seq;
	out->size = size;
}

/* The IPv4 header of a raw socket's read; leaves c at the ICMP header, bounded by the
 * header's total length. Returns false on anything but a well-formed IPv4 ICMP packet. */
static bool read_ip4(struct cursor *c, struct cursor *body, struct pmtu_seen *out)
{
	uint8_t vihl, proto, src[4];
	uint16_t total;
	size_t hlen;

	cur_u8(c, &vihl);
	cur_skip(c, 1);
	cur_be16(c, &total);
	cur_skip(c, 5);
	cur_u8(c, &proto);
	cur_skip(c, 2);
	cur_bytes(c, src, 4);
	cur_skip(c, 4);
	if (!cur_ok(c) || vihl >> 4 != 4 || (vihl & 0xf) < 5 || proto != IPPROTO_ICMP)
		return false;
	hlen = (size_t)(vihl & 0xf) * 4;
	if (total < hlen || !cur_skip(c, hlen - 20))
		return false;
	/* the kernel hands over the whole packet; never trust total beyond what was read */
	if (!cur_sub(c, total - hlen < cur_remaining(c) ? total - hlen : cur_remaining(c), body))
		return false;
	out->have_src = true;
	out->src.family = AF_INET;
	memcpy(out->src.b, src, 4);
	return true;
}

bool pmtu_decode(enum pmtu_data kind, int family, const uint8_t *buf, size_t len,
		 struct pmtu_seen *out)
{
	struct cursor c, body;
	struct cursor *p = &c;
	uint16_t csum;

	memset(out, 0, sizeof *out);
	cur_init(&c, buf, len);
	if (kind == PMTU_DATA_IP4) {
		if (family != AF_INET || !read_ip4(&c, &body, out))
			return false;
		p = &body;
	}
	if (kind != PMTU_DATA_UDP) {
		cur_u8(p, &out->icmp_type);
		cur_u8(p, &out->icmp_code);
		cur_be16(p, &csum);
		cur_be16(p, &out->ident);
		cur_be16(p, &out->echo_seq);
		if (!cur_ok(p))
			return false;
		out->icmp = true;
	}
	read_tag(p, out);
	return cur_ok(p);
}

/* ---- sockets --------------------------------------------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int set_probe_mode(int fd, int family)
{
	int one = 1, mode;

	if (family == AF_INET) {
		mode = IP_PMTUDISC_PROBE;
		if (setsockopt(fd, SOL_IP, IP_MTU_DISCOVER, &mode, sizeof mode) < 0 ||
		    setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof one) < 0)
			return -1;
	} else {
		mode = IPV6_PMTUDISC_PROBE;
		if (setsockopt(fd, SOL_IPV6, IPV6_MTU_DISCOVER, &mode, sizeof mode) < 0 ||
		    setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof one) < 0)
			return -1;
	}
	return 0;
}

/* An ICMP socket: a ping socket when the group may, else raw. Returns the fd, or -1 with
 * errno from the ping socket (EACCES: outside ping_group_range, and no CAP_NET_RAW). */
static int open_icmp(struct prober *p)
{
	int proto = p->family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int fd = socket(p->family, SOCK_DGRAM | SOCK_CLOEXEC, proto), saved;

	if (fd >= 0)
		return fd;
	saved = errno;
	fd = preopen_take_icmp_raw(p->family); /* opened before a privilege drop */
	if (fd < 0)
		fd = socket(p->family, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd >= 0) {
		p->raw = true;
		p->ident = (uint16_t)(getpid() ^ (uint16_t)(uintptr_t)p);
		return fd;
	}
	errno = saved;
	return -1;
}

static int open_socket(struct prober *p, struct diag_error *err)
{
	const struct pmtu_opts *o = p->o;
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = -1;

	if (o->method != PMTU_UDP && !(o->method == PMTU_AUTO && o->port)) {
		fd = open_icmp(p);
		if (fd >= 0) {
			p->icmp = true;
		} else if (o->method == PMTU_ICMP) {
			if (errno == EACCES || errno == EPERM)
				return diag_fail(err, DIAG_EXIT_NOPERM, "icmp",
						 "ICMP echo needs a ping socket (group %u is outside "
						 "net.ipv4.ping_group_range) or CAP_NET_RAW",
						 (unsigned)getgid());
			return diag_fail(err, DIAG_EXIT_OSERR, "icmp", "socket: %s",
					 strerror(errno));
		}
	}
	if (fd < 0) {
		fd = socket(p->family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
		if (fd < 0)
			return diag_fail(err, DIAG_EXIT_OSERR, "udp", "socket: %s", strerror(errno));
	}
	p->fd = fd;
	p->r->method = p->icmp ? PMTU_ICMP : PMTU_UDP;
	p->r->raw = p->raw;
	p->r->port = p->icmp ? 0 : o->port ? o->port : PMTU_DEFAULT_PORT;
	if (set_probe_mode(fd, p->family) < 0)
		return diag_fail(err, DIAG_EXIT_OSERR, "setsockopt",
				 "IP_MTU_DISCOVER/IP_RECVERR: %s", strerror(errno));
	sl = addr_to_sockaddr(&o->target, p->r->port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		char a[ADDR_STRLEN];

		return diag_fail(err, errno == ENETUNREACH || errno == EHOSTUNREACH
					      ? DIAG_EXIT_UNAVAILABLE : DIAG_EXIT_OSERR,
				 addr_str(&o->target, a), "connect: %s", strerror(errno));
	}
	return 0;
}

/* ---- one probe ------------------------------------------------------------------------- */

static uint16_t inet_csum(const uint8_t *b, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The datagram for one try of size bytes on the wire; returns its length. */
static size_t build(struct prober *p, int size)
{
	size_t iph = p->family == AF_INET6 ? 40 : 20, len = (size_t)size - iph, off = 0;
	uint8_t *b = p->out;

	if (p->icmp) {
		b[0] = p->family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
		b[1] = 0;
		b[2] = b[3] = 0;
		b[4] = (uint8_t)(p->ident >> 8);
		b[5] = (uint8_t)p->ident;
		b[6] = (uint8_t)(p->seq >> 8);
		b[7] = (uint8_t)p->seq;
		off = 8;
	} else {
		len -= 8; /* the kernel adds the UDP header */
	}
	pmtu_tag(b + off, p->seq, (uint16_t)size);
	for (size_t i = off + PMTU_TAG_LEN; i < len; i++)
		b[i] = (uint8_t)('a' + i % 23);
	/* ping sockets and raw ICMPv6 fill in the checksum themselves */
	if (p->icmp && p->raw && p->family == AF_INET) {
		uint16_t c = inet_csum(b, len);

		b[2] = (uint8_t)(c >> 8);
		b[3] = (uint8_t)c;
	}
	return len;
}

static bool is_target(const struct prober *p, const struct diag_addr *a)
{
	return a->family && addr_eq(a, &p->o->target);
}

/* The verdict one error-queue entry gives the current try, or -1 to ignore it (stale,
 * or not about us). */
static int errq_verdict(struct prober *p, const struct sock_extended_err *ee,
			const struct diag_addr *offender, const struct pmtu_seen *seen, int *hint)
{
	bool v4 = p->family == AF_INET;

	if (seen->tagged && seen->seq != p->seq)
		return -1;
	if (ee->ee_origin == SO_EE_ORIGIN_LOCAL) {
		if (ee->ee_errno != EMSGSIZE)
			return -1;
		*hint = (int)ee->ee_info;
		p->r->local_mtu = (int)ee->ee_info;
		return PMTU_TOO_BIG_LOCAL;
	}
	if (ee->ee_origin != SO_EE_ORIGIN_ICMP && ee->ee_origin != SO_EE_ORIGIN_ICMP6)
		return -1;
	if ((v4 && ee->ee_type == ICMP_DEST_UNREACH && ee->ee_code == ICMP_FRAG_NEEDED) ||
	    (!v4 && ee->ee_type == ICMP6_PACKET_TOO_BIG)) {
		*hint = (int)ee->ee_info;
		p->r->icmp_mtu = (int)ee->ee_info;
		p->r->icmp_from = *offender;
		return PMTU_TOO_BIG_ICMP;
	}
	/* port unreachable from the target itself: the whole packet arrived */
	if (((v4 && ee->ee_type == ICMP_DEST_UNREACH && ee->ee_code == ICMP_PORT_UNREACH) ||
	     (!v4 && ee->ee_type == ICMP6_DST_UNREACH && ee->ee_code == ICMP6_DST_UNREACH_NOPORT)) &&
	    (!offender->family || is_target(p, offender)))
		return PMTU_FITS;
	p->r->unreach_type = ee->ee_type;
	p->r->unreach_code = ee->ee_code;
	return PMTU_UNREACH;
}

/* Reads the error queue empty; returns the first verdict for the current try, or -1. */
static int read_errqueue(struct prober *p, int *hint)
{
	int verdict = -1;

	for (int guard = 0; guard < 64; guard++) {
		char ctrl[512];
		struct sockaddr_storage from;
		struct iovec iov = {.iov_base = p->in, .iov_len = ERRQ_DATA};
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof from,
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctrl, .msg_controllen = sizeof ctrl,
		};
		ssize_t n = recvmsg(p->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);

		if (n < 0)
			break;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			struct sock_extended_err ee;
			struct diag_addr off = {0};
			struct pmtu_seen seen;
			int v;

			if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
			      (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)) ||
			    c->cmsg_len < CMSG_LEN(sizeof ee))
				continue;
			memcpy(&ee, CMSG_DATA(c), sizeof ee);
			if (c->cmsg_len >= CMSG_LEN(sizeof ee + sizeof(struct sockaddr_in)))
				addr_from_sockaddr(SO_EE_OFFENDER((struct sock_extended_err *)CMSG_DATA(c)),
						   &off, NULL);
			/* the quoted datagram: the UDP payload, or the ICMP header and payload */
			if (!pmtu_decode(p->icmp ? PMTU_DATA_ICMP : PMTU_DATA_UDP, p->family, p->in,
					 (size_t)n, &seen))
				memset(&seen, 0, sizeof seen);
			v = errq_verdict(p, &ee, &off, &seen, hint);
			if (verdict < 0)
				verdict = v;
		}
	}
	return verdict;
}

/* Reads every pending datagram; true when one answers the current try. */
static bool read_data(struct prober *p)
{
	bool answered = false;

	for (int guard = 0; guard < 256; guard++) {
		struct pmtu_seen seen;
		ssize_t n = recv(p->fd, p->in, sizeof p->in, MSG_DONTWAIT);
		bool ok;

		if (n < 0)
			break;
		if (!p->icmp) {
			/* any reply from the connected peer; a tagged one must be the current */
			pmtu_decode(PMTU_DATA_UDP, p->family, p->in, (size_t)n, &seen);
			answered |= !seen.tagged || seen.seq == p->seq;
			continue;
		}
		ok = pmtu_decode(p->raw && p->family == AF_INET ? PMTU_DATA_IP4 : PMTU_DATA_ICMP,
				 p->family, p->in, (size_t)n, &seen);
		if (!ok || !seen.tagged || seen.seq != p->seq)
			continue;
		if (seen.icmp_type != (p->family == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY))
			continue;
		if (p->raw && seen.ident != p->ident)
			continue;
		if (seen.have_src && !is_target(p, &seen.src))
			continue;
		answered = true;
	}
	return answered;
}

static void drain(struct prober *p)
{
	int hint, e;
	socklen_t el = sizeof e;

	read_errqueue(p, &hint);
	read_data(p);
	getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &e, &el);
}

/* One size, up to `tries` sends; records a step. */
static enum pmtu_verdict try_size(struct prober *p, int size)
{
	struct pmtu_result *r = p->r;
	struct pmtu_step *st = r->nsteps < PMTU_MAX_STEPS ? &r->steps[r->nsteps++] : NULL;
	enum pmtu_verdict v = PMTU_SILENT;
	int hint = 0;

	for (unsigned t = 0; t < p->tries; t++) {
		uint64_t start = now_ns(), end;
		size_t len;

		if (start >= p->deadline_ns) {
			p->budget_out = true;
			break;
		}
		end = start + (uint64_t)p->wait_ms * 1000000u;
		if (end > p->deadline_ns)
			end = p->deadline_ns;
		drain(p);
		p->seq++;
		len = build(p, size);
		if (st)
			st->tries++;
		if (send(p->fd, p->out, len, MSG_NOSIGNAL) < 0) {
			if (errno == EMSGSIZE) {
				int m = 0;
				socklen_t ml = sizeof m;

				if (read_errqueue(p, &hint) != PMTU_TOO_BIG_LOCAL &&
				    getsockopt(p->fd, p->family == AF_INET ? SOL_IP : SOL_IPV6,
					       p->family == AF_INET ? IP_MTU : IPV6_MTU, &m, &ml) == 0)
					hint = r->local_mtu = m;
				v = PMTU_TOO_BIG_LOCAL;
				break;
			}
			if (errno == ENETUNREACH || errno == EHOSTUNREACH) {
				v = PMTU_UNREACH;
				break;
			}
			continue; /* ENOBUFS and the like: count it as a lost try */
		}
		r->probes++;
		for (;;) {
			uint64_t now = now_ns();
			struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
			int ms, rc, got = -1;

			if (now >= end)
				break;
			ms = (int)((end - now + 999999) / 1000000);
			rc = poll(&pfd, 1, ms);
			if (rc < 0 && errno != EINTR)
				break;
			if (rc <= 0)
				continue;
			if (pfd.revents & POLLERR)
				got = read_errqueue(p, &hint);
			if (got < 0 && (pfd.revents & POLLIN) && read_data(p))
				got = PMTU_FITS;
			if (got >= 0) {
				v = (enum pmtu_verdict)got;
				goto done;
			}
			if (pfd.revents & POLLERR) {
				int e;
				socklen_t el = sizeof e;

				getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &e, &el);
			}
		}
	}
done:
	if (st) {
		st->size = size;
		st->verdict = v;
		st->mtu_hint = v == PMTU_TOO_BIG_ICMP || v == PMTU_TOO_BIG_LOCAL ? hint : 0;
	}
	return v;
}

/* ---- the search ------------------------------------------------------------------------ */

struct search {
	int good;           /* largest size answered, 0: none */
	int bad;            /* smallest size that failed */
	enum pmtu_verdict bad_v;
	int hint;           /* a size to try next (from an ICMP or local MTU), 0: none */
	int hint_used;      /* the last hint tried, so its answer can suggest hint+1 */
};

static void account(struct search *s, int size, enum pmtu_verdict v, const struct pmtu_step *st)
{
	if (v == PMTU_FITS) {
		if (size > s->good)
			s->good = size;
		/* the MTU a router named fits: the size just above it settles the search */
		if (size == s->hint_used && size + 1 < s->bad)
			s->hint = size + 1;
		return;
	}
	if (size < s->bad) {
		s->bad = size;
		s->bad_v = v;
	}
	if (st && st->mtu_hint > s->good && st->mtu_hint < size)
		s->hint = st->mtu_hint;
}

static int step(struct prober *p, struct search *s, int size)
{
	enum pmtu_verdict v = try_size(p, size);
	const struct pmtu_result *r = p->r;

	/* silence cut short by the time budget proves nothing */
	if (p->budget_out && v == PMTU_SILENT)
		return v;
	account(s, size, v, r->nsteps ? &r->steps[r->nsteps - 1] : NULL);
	return v;
}

static void search(struct prober *p, int min, int base, int max)
{
	struct pmtu_result *r = p->r;
	struct search s = {.bad = max + 1, .bad_v = PMTU_SILENT};

	if (step(p, &s, base) != PMTU_FITS && min < base && !p->budget_out)
		step(p, &s, min);
	if (!s.good) {
		r->outcome = PMTU_NO_ANSWER;
		r->first_bad = s.bad <= max ? s.bad : 0;
		r->bad_verdict = s.bad_v;
		return;
	}
	if (s.bad > max && !p->budget_out)
		step(p, &s, max);
	while (s.bad - s.good > 1 && !p->budget_out) {
		int next = (s.good + s.bad) / 2;

		if (s.hint > s.good && s.hint < s.bad)
			next = s.hint;
		s.hint_used = next == s.hint ? next : 0;
		s.hint = 0;
		step(p, &s, next);
	}
	r->mtu = s.good;
	r->first_bad = s.bad <= max ? s.bad : 0;
	r->bad_verdict = s.bad_v;
	if (s.bad > max)
		r->outcome = PMTU_ABOVE_MAX;
	else if (s.bad - s.good > 1)
		r->outcome = PMTU_PARTIAL;
	else
		r->outcome = PMTU_FOUND;
	r->black_hole = r->first_bad && s.bad_v == PMTU_SILENT;
	/* silence is only a black hole if the largest good size still answers now */
	if (r->black_hole && !p->budget_out && try_size(p, s.good) != PMTU_FITS)
		r->unstable = true;
}

int pmtu_run(const struct pmtu_opts *o, struct pmtu_result *out, struct diag_error *err)
{
	struct prober *p;
	int min, base, max;
	uint64_t t0 = now_ns();
	char a[ADDR_STRLEN];

	memset(out, 0, sizeof *out);
	if (o->target.family != AF_INET && o->target.family != AF_INET6)
		return diag_fail(err, DIAG_EXIT_USAGE, "target", "not an IP address");
	min = o->target.family == AF_INET ? MIN_V4 : MIN_V6;
	base = o->target.family == AF_INET ? BASE_V4 : MIN_V6;
	max = o->max_size ? o->max_size : PMTU_DEFAULT_MAX;
	if (max < min || max > PMTU_MAX_SIZE)
		return diag_fail(err, DIAG_EXIT_USAGE, "max size", "%d: outside %d-%d for %s", max,
				 min, PMTU_MAX_SIZE, addr_str(&o->target, a));
	if (base > max)
		base = max;
	p = calloc(1, sizeof *p);
	if (!p)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "pmtu", "out of memory");
	p->o = o;
	p->r = out;
	p->fd = -1;
	p->family = o->target.family;
	p->wait_ms = o->wait_ms ? o->wait_ms : PMTU_DEFAULT_WAIT_MS;
	p->tries = o->tries ? o->tries : PMTU_DEFAULT_TRIES;
	p->deadline_ns = t0 + (uint64_t)(o->budget_ms ? o->budget_ms : PMTU_DEFAULT_BUDGET_MS) *
				      1000000u;
	p->seq = (uint32_t)(t0 & 0xffff) << 8;
	if (open_socket(p, err) < 0) {
		if (p->fd >= 0)
			close(p->fd);
		free(p);
		return -1;
	}
	search(p, min, base, max);
	close(p->fd);
	out->elapsed_ms = (unsigned)((now_ns() - t0) / 1000000u);
	free(p);
	return 0;
}
