/* Asking the kernel for its XFRM policies and SAs: two NLM_F_DUMP requests on a
 * NETLINK_XFRM socket, every reply appended to one buffer (keys scrubbed). See xfrm.h. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "libdiag/xfrm/xfrm.h"

#define RECV_BUF (64u * 1024u)

struct growbuf {
	uint8_t *p;
	size_t n, cap;
};

static int append(struct growbuf *g, const uint8_t *src, size_t n)
{
	if (n > XFRM_MAX_DUMP_BYTES - g->n)
		return -1;
	if (g->n + n > g->cap) {
		size_t nc = g->cap ? g->cap : RECV_BUF;
		uint8_t *np;

		while (nc < g->n + n)
			nc *= 2;
		if (!(np = realloc(g->p, nc)))
			return -1;
		g->p = np;
		g->cap = nc;
	}
	memcpy(g->p + g->n, src, n);
	g->n += n;
	return 0;
}

/* Sends one dump request and appends the replies up to NLMSG_DONE (or an error answer).
 * Returns 0 or -1 with err. */
static int dump_one(int fd, uint16_t type, uint32_t seq, struct growbuf *g, uint8_t *rb,
		    int timeout_ms, struct diag_error *err)
{
	struct nlmsghdr req;
	struct sockaddr_nl sa;

	memset(&req, 0, sizeof req);
	req.nlmsg_len = NLMSG_HDRLEN;
	req.nlmsg_type = type;
	req.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nlmsg_seq = seq;
	memset(&sa, 0, sizeof sa);
	sa.nl_family = AF_NETLINK;
	if (sendto(fd, &req, req.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof sa) < 0)
		return diag_fail(err, DIAG_EXIT_OSERR, "netlink", "send: %s", strerror(errno));
	for (;;) {
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		ssize_t got;
		size_t off = 0;
		int pr = poll(&pf, 1, timeout_ms);

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return diag_fail(err, DIAG_EXIT_OSERR, "netlink", "poll: %s", strerror(errno));
		if (pr == 0)
			return diag_fail(err, DIAG_EXIT_OSERR, "netlink", "no answer from the kernel "
					 "within %d ms", timeout_ms);
		got = recv(fd, rb, RECV_BUF, MSG_TRUNC);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return diag_fail(err, DIAG_EXIT_OSERR, "netlink", "recv: %s", strerror(errno));
		if ((size_t)got > RECV_BUF)
			return diag_fail(err, DIAG_EXIT_DATAERR, "netlink", "a reply of %zd bytes "
					 "did not fit", got);
		xfrm_scrub_keys(rb, (size_t)got);
		if (append(g, rb, (size_t)got) < 0)
			return diag_fail(err, DIAG_EXIT_SOFTWARE, "netlink", "out of memory "
					 "(or a dump over 64 MiB)");
		/* the end of this dump: NLMSG_DONE or an error answer to our request */
		while ((size_t)got - off >= NLMSG_HDRLEN) {
			struct nlmsghdr h;

			memcpy(&h, rb + off, sizeof h);
			if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > (size_t)got - off)
				return diag_fail(err, DIAG_EXIT_DATAERR, "netlink", "a reply that "
						 "is not a netlink message");
			if (h.nlmsg_seq == seq && h.nlmsg_type == NLMSG_DONE)
				return 0;
			if (h.nlmsg_seq == seq && h.nlmsg_type == NLMSG_ERROR) {
				int32_t e = 0;

				if (h.nlmsg_len >= NLMSG_HDRLEN + sizeof e)
					memcpy(&e, rb + off + NLMSG_HDRLEN, sizeof e);
				if (e == -EPERM || e == -EACCES)
					return diag_fail(err, DIAG_EXIT_NOPERM, "netlink", "the kernel "
							 "refused the XFRM dump: %s (needs "
							 "CAP_NET_ADMIN)", strerror(-e));
				if (e < 0)
					return diag_fail(err, DIAG_EXIT_OSERR, "netlink", "the kernel "
							 "refused the XFRM dump: %s", strerror(-e));
				return 0;
			}
			off += NLMSG_ALIGN(h.nlmsg_len);
		}
	}
}

int xfrm_dump_kernel(uint8_t **out, size_t *outlen, int timeout_ms, struct diag_error *err)
{
	struct sockaddr_nl local;
	struct growbuf g = {0};
	uint8_t *rb;
	int fd, rc;

	*out = NULL;
	*outlen = 0;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
	if (fd < 0) {
		int e = errno;

		return diag_fail(err, e == EPERM || e == EACCES ? DIAG_EXIT_NOPERM
								: DIAG_EXIT_OSERR,
				 "netlink", "NETLINK_XFRM socket: %s", strerror(e));
	}
	memset(&local, 0, sizeof local);
	local.nl_family = AF_NETLINK;
	if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) {
		rc = diag_fail(err, DIAG_EXIT_OSERR, "netlink", "bind: %s", strerror(errno));
		close(fd);
		return rc;
	}
	if (!(rb = malloc(RECV_BUF))) {
		close(fd);
		return diag_fail(err, DIAG_EXIT_SOFTWARE, NULL, "out of memory");
	}
	rc = dump_one(fd, XFRM_MSG_GETPOLICY, 1, &g, rb, timeout_ms, err);
	if (rc == 0)
		rc = dump_one(fd, XFRM_MSG_GETSA, 2, &g, rb, timeout_ms, err);
	free(rb);
	close(fd);
	if (rc < 0) {
		free(g.p);
		return -1;
	}
	*out = g.p;
	*outlen = g.n;
	return 0;
}
