/* Evidence 1: the source the kernel picks toward a peer. A UDP socket connected to the
 * peer has a source address chosen by the routing table, and connect() on UDP sends
 * nothing; the interface is the one that holds that address. */
#include "libdiag/srcip/srcip.h"

#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

bool srcip_addr_private(const struct diag_addr *a)
{
	const uint8_t *b = a->b;

	if (a->family == AF_INET)
		return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
		       (b[0] == 192 && b[1] == 168) || (b[0] == 100 && (b[1] & 0xc0) == 64) ||
		       (b[0] == 169 && b[1] == 254) || b[0] == 127 || b[0] == 0;
	return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
	       (memcmp(b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15) == 0 && b[15] <= 1);
}

static void fill_sockaddr(const struct diag_addr *a, uint16_t port,
			  struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof *ss);
	if (a->family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		memcpy(&s->sin_addr, a->b, 4);
		*len = sizeof *s;
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		memcpy(&s->sin6_addr, a->b, 16);
		*len = sizeof *s;
	}
}

static void addr_of(const struct sockaddr *sa, struct diag_addr *a)
{
	memset(a, 0, sizeof *a);
	a->family = (uint8_t)sa->sa_family;
	if (sa->sa_family == AF_INET)
		memcpy(a->b, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	else
		memcpy(a->b, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
}

int srcip_route_source(const char *peer, struct srcip_route *r, struct diag_error *err)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct ifaddrs *ifs = NULL;
	int fd;

	memset(r, 0, sizeof *r);
	if (!addr_parse(peer, &r->peer))
		return diag_fail(err, DIAG_EXIT_USAGE, peer, "not an IP address");
	fill_sockaddr(&r->peer, 500, &ss, &len);
	if ((fd = socket(r->peer.family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return diag_fail(err, DIAG_EXIT_OSERR, "socket", "%s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		int e = errno;

		close(fd);
		return diag_fail(err, DIAG_EXIT_OSERR, peer, "%s", strerror(e));
	}
	len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		int e = errno;

		close(fd);
		return diag_fail(err, DIAG_EXIT_OSERR, "getsockname", "%s", strerror(e));
	}
	close(fd);
	addr_of((struct sockaddr *)&ss, &r->src);
	r->is_private = srcip_addr_private(&r->src);
	if (getifaddrs(&ifs) == 0) {
		for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
			struct diag_addr a;

			if (!i->ifa_addr || i->ifa_addr->sa_family != r->src.family)
				continue;
			addr_of(i->ifa_addr, &a);
			if (addr_eq(&a, &r->src)) {
				snprintf(r->ifname, sizeof r->ifname, "%s", i->ifa_name);
				break;
			}
		}
		freeifaddrs(ifs);
	}
	return 0;
}
