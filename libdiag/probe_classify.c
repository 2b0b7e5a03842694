/* Turning what the kernel said about a probe (errno, the ICMP error queue) into a state a
 * network engineer reads: refused, closed, unreachable (and which ICMP), filtered, error. */
#include "libdiag/probe_internal.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

const char *probe_state_name(enum probe_state s)
{
	static const char *const names[PROBE_STATE_COUNT] = {
		[PROBE_OPEN] = "open",
		[PROBE_REFUSED] = "refused",
		[PROBE_CLOSED] = "closed",
		[PROBE_FILTERED] = "filtered",
		[PROBE_OPEN_FILTERED] = "open|filtered",
		[PROBE_UNREACHABLE] = "unreachable",
		[PROBE_ERROR] = "error",
	};
	return (unsigned)s < PROBE_STATE_COUNT ? names[s] : "?";
}

const char *probe_proto_name(enum probe_proto p)
{
	return p == PROBE_TCP ? "tcp" : p == PROBE_UDP ? "udp" : "icmp";
}

/* RFC 792 / RFC 1812 destination-unreachable codes, and RFC 4443's for ICMPv6. */
const char *probe_icmp_name(int family, uint8_t type, uint8_t code)
{
	static const char *const v4[16] = {
		"net-unreachable", "host-unreachable", "protocol-unreachable",
		"port-unreachable", "fragmentation-needed", "source-route-failed",
		"net-unknown", "host-unknown", "host-isolated", "net-prohibited",
		"host-prohibited", "net-tos-unreachable", "host-tos-unreachable",
		"admin-prohibited", "precedence-violation", "precedence-cutoff",
	};
	static const char *const v6[8] = {
		"no-route", "admin-prohibited", "beyond-scope", "addr-unreachable",
		"port-unreachable", "policy-failed", "reject-route", "source-routing-header",
	};

	if (family == AF_INET && type == 3 && code < 16)
		return v4[code];
	if (family == AF_INET && type == 11)
		return "time-exceeded";
	if (family == AF_INET6 && type == 1 && code < 8)
		return v6[code];
	if (family == AF_INET6 && type == 3)
		return "time-exceeded";
	if (family == AF_INET6 && type == 2)
		return "packet-too-big";
	return NULL;
}

static bool icmp_is_port_unreachable(int family, uint8_t type, uint8_t code)
{
	return (family == AF_INET && type == 3 && code == 3) ||
	       (family == AF_INET6 && type == 1 && code == 4);
}

/* Reads the first ICMP error the socket queued (IP_RECVERR). Returns false when there is
 * none, which is normal for RSTs and local errors. */
bool probe_read_icmp(int fd, struct probe_result *res)
{
	char ctrl[512];
	char data[64];
	struct sockaddr_storage from;
	struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof from,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctrl, .msg_controllen = sizeof ctrl,
	};

	if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return false;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		bool v4 = c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR;
		bool v6 = c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR;
		struct sock_extended_err ee;

		if (!v4 && !v6)
			continue;
		memcpy(&ee, CMSG_DATA(c), sizeof ee);
		if (ee.ee_origin != SO_EE_ORIGIN_ICMP && ee.ee_origin != SO_EE_ORIGIN_ICMP6)
			continue;
		res->icmp = true;
		res->icmp_type = ee.ee_type;
		res->icmp_code = ee.ee_code;
		if (ee.ee_errno)
			res->err = (int)ee.ee_errno;
		addr_from_sockaddr(SO_EE_OFFENDER((struct sock_extended_err *)CMSG_DATA(c)),
				   &res->icmp_from, NULL);
		return true;
	}
	return false;
}

void probe_classify_error(int fd, enum probe_proto proto, int err, struct probe_result *res)
{
	res->err = err;
	if (fd >= 0 && err != ECONNREFUSED && proto == PROBE_TCP)
		probe_read_icmp(fd, res);
	else if (fd >= 0 && proto != PROBE_TCP)
		probe_read_icmp(fd, res);

	if (res->icmp) {
		if (icmp_is_port_unreachable(res->addr.family, res->icmp_type, res->icmp_code))
			res->state = proto == PROBE_TCP ? PROBE_REFUSED : PROBE_CLOSED;
		else
			res->state = PROBE_UNREACHABLE;
		return;
	}
	switch (err) {
	case ECONNREFUSED:
		res->state = proto == PROBE_TCP ? PROBE_REFUSED : PROBE_CLOSED;
		break;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENONET:
		res->state = PROBE_UNREACHABLE;
		break;
	case ETIMEDOUT:
		res->state = proto == PROBE_UDP ? PROBE_OPEN_FILTERED : PROBE_FILTERED;
		break;
	default:
		res->state = PROBE_ERROR;
		break;
	}
}
