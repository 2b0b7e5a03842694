/* One IKE probe over UDP: see ike_probe.h. */
#include "libdiag/ike/ike_probe.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "libdiag/preopen.h"

const char *ike_probe_result_name(enum ike_probe_result r)
{
	switch (r) {
	case IKE_PR_ACCEPTED: return "accepted";
	case IKE_PR_NO_PROPOSAL: return "no_proposal_chosen";
	case IKE_PR_INVALID_KE: return "invalid_ke";
	case IKE_PR_COOKIE: return "cookie";
	case IKE_PR_NO_RESPONSE: return "no_response";
	case IKE_PR_MALFORMED: return "malformed";
	}
	return "unknown";
}

static void verdict_init(struct ike_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->result = IKE_PR_NO_RESPONSE;
	v->nat = IKE_NAT_UNKNOWN;
}

static void malformed(struct ike_verdict *v, const struct diag_error *e)
{
	char buf[512];

	v->result = IKE_PR_MALFORMED;
	snprintf(v->detail, sizeof v->detail, "%s", diag_error_text(e, buf, sizeof buf));
}

/* NAT_DETECTION_DESTINATION_IP is the responder's hash of our address and port as it saw
 * them; when it is not the hash of the address and port we sent from, a NAT is between. */
static enum ike_nat nat_verdict(const struct ike_v2_msg *m, const struct ike_endpoint *local)
{
	const struct ike_v2_notify *n = ike_v2_find_notify(m, IKE2_N_NAT_DETECTION_DESTINATION_IP);
	uint8_t h[20];

	if (!local || !n || n->data_len != 20)
		return IKE_NAT_UNKNOWN;
	if (ike_natd_hash(m->spi_i, m->spi_r, local->ip, local->iplen, local->port, h) < 0)
		return IKE_NAT_UNKNOWN;
	return memcmp(h, n->data, 20) == 0 ? IKE_NAT_NONE : IKE_NAT_DETECTED;
}

bool ike_probe_classify_v2(const uint8_t *buf, size_t len, bool natt, const uint8_t *spi,
			   const struct ike_endpoint *local, struct ike_verdict *v)
{
	static struct ike_v2_msg m; /* large; probes run one at a time */
	struct diag_error e = {0};
	const struct ike_v2_notify *n;

	verdict_init(v);
	if (ike_v2_decode(buf, len, natt, &m, &e) < 0) {
		/* Only an answer that claims to be ours can be malformed for us. */
		size_t off = natt ? 4 : 0;

		if (spi && (len < off + 8 || memcmp(buf + off, spi, 8) != 0))
			return false;
		malformed(v, &e);
		return true;
	}
	if (spi && (memcmp(m.spi_i, spi, 8) != 0 || !(m.flags & IKE2_FLAG_RESPONSE) ||
		    m.msgid != 0))
		return false;
	if (!(m.flags & IKE2_FLAG_RESPONSE)) {
		v->result = IKE_PR_MALFORMED;
		snprintf(v->detail, sizeof v->detail, "a request (Response flag clear), not an answer");
		return true;
	}
	v->nat = nat_verdict(&m, local);
	if (ike_v2_find_notify(&m, IKE2_N_NO_PROPOSAL_CHOSEN)) {
		v->result = IKE_PR_NO_PROPOSAL;
	} else if ((n = ike_v2_find_notify(&m, IKE2_N_INVALID_KE_PAYLOAD)) != NULL) {
		v->result = IKE_PR_INVALID_KE;
		v->group = n->group;
	} else if ((n = ike_v2_find_notify(&m, IKE2_N_COOKIE)) != NULL) {
		size_t cl = n->data_len;

		if (cl == 0 || cl > sizeof v->cookie || cl > sizeof n->data) {
			v->result = IKE_PR_MALFORMED;
			snprintf(v->detail, sizeof v->detail, "COOKIE of %zu bytes", cl);
		} else {
			v->result = IKE_PR_COOKIE;
			memcpy(v->cookie, n->data, cl);
			v->cookie_len = cl;
		}
	} else if (m.nprops >= 1 && m.has_ke && m.has_nonce) {
		v->result = IKE_PR_ACCEPTED;
		v->chosen = m.props[0];
	} else {
		v->result = IKE_PR_MALFORMED;
		if (m.nnotify)
			snprintf(v->detail, sizeof v->detail, "notification %u without SA",
				 (unsigned)m.notify[0].type);
		else
			snprintf(v->detail, sizeof v->detail, "answer without SA, KE or nonce");
	}
	return true;
}

bool ike_probe_classify_v1(const uint8_t *buf, size_t len, bool natt, const uint8_t *spi,
			   struct ike_verdict *v)
{
	static struct ike_v1_msg m;
	struct diag_error e = {0};

	verdict_init(v);
	if (ike_v1_decode(buf, len, natt, &m, &e) < 0) {
		size_t off = natt ? 4 : 0;

		if (spi && (len < off + 8 || memcmp(buf + off, spi, 8) != 0))
			return false;
		malformed(v, &e);
		return true;
	}
	if (spi && memcmp(m.ck_i, spi, 8) != 0)
		return false;
	for (size_t i = 0; i < m.nnotify; i++)
		if (m.notify[i] == IKE1_N_NO_PROPOSAL_CHOSEN) {
			v->result = IKE_PR_NO_PROPOSAL;
			return true;
		}
	if (m.exchange == IKE1_EXCH_MAIN && m.has_sa && m.ntransforms >= 1) {
		v->result = IKE_PR_ACCEPTED;
		v->chosen1 = m.t[0];
		return true;
	}
	v->result = IKE_PR_MALFORMED;
	if (m.nnotify)
		snprintf(v->detail, sizeof v->detail, "notification %u", (unsigned)m.notify[0]);
	else
		snprintf(v->detail, sizeof v->detail, "answer without a chosen transform");
	return true;
}

static int build(const struct ike_probe_opts *o, const struct ike_fixed *f, uint16_t group,
		 const uint8_t *cookie, size_t cookie_len, const struct ike_endpoint *src,
		 const struct ike_endpoint *dst, uint8_t spi_out[8], struct ike_buf *b,
		 struct diag_error *err)
{
	struct ike_buf tmp = {0};
	int rc;

	if (o->version == 1) {
		struct ike_v1_request r;

		memset(&r, 0, sizeof r);
		if (o->nv1) {
			r.transforms = o->v1;
			r.ntransforms = o->nv1;
		} else {
			r.prop = o->prop;
		}
		if (f)
			r.fixed = *f;
		rc = ike_v1_build_mm1(&r, &tmp, err);
		memcpy(spi_out, r.spi_out, 8);
	} else {
		struct ike_v2_request r;

		memset(&r, 0, sizeof r);
		r.props = o->nprops ? o->props : o->prop;
		r.nprops = o->nprops ? o->nprops : 1;
		r.ke_group = group ? group : o->ke_group;
		r.cookie = cookie;
		r.cookie_len = cookie_len;
		if (src && dst) {
			r.natd = true;
			r.src = *src;
			r.dst = *dst;
		}
		if (f)
			r.fixed = *f;
		rc = ike_v2_build_init(&r, &tmp, err);
		memcpy(spi_out, r.spi_out, 8);
	}
	if (rc < 0) {
		ike_buf_free(&tmp);
		return -1;
	}
	b->len = 0;
	b->failed = false;
	if (o->port == 4500) {
		static const uint8_t marker[4];

		ike_buf_put(b, marker, sizeof marker);
	}
	ike_buf_put(b, tmp.p, tmp.len);
	ike_buf_free(&tmp);
	if (b->failed)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "IKE request", "out of memory");
	return 0;
}

int ike_probe_build(const struct ike_probe_opts *o, uint16_t group, const uint8_t *cookie,
		    size_t cookie_len, const struct ike_endpoint *src,
		    const struct ike_endpoint *dst, uint8_t spi_out[8], struct ike_buf *b,
		    struct diag_error *err)
{
	struct ike_fixed f;

	if (o->fixed)
		ike_fixed_default(&f);
	return build(o, o->fixed ? &f : NULL, group, cookie, cookie_len, src, dst, spi_out, b,
		     err);
}

static void endpoint_of(const struct sockaddr_storage *ss, struct ike_endpoint *ep)
{
	memset(ep, 0, sizeof *ep);
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		memcpy(ep->ip, &s6->sin6_addr, 16);
		ep->iplen = 16;
		ep->port = ntohs(s6->sin6_port);
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		memcpy(ep->ip, &s4->sin_addr, 4);
		ep->iplen = 4;
		ep->port = ntohs(s4->sin_port);
	}
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Opens a UDP socket to dst, bound to the IKE port when it may be. */
static int open_socket(const struct addrinfo *ai, uint16_t port, bool *bound,
		       struct diag_error *err)
{
	struct sockaddr_storage ss;
	int fd = preopen_take_udp_port(ai->ai_family, port); /* bound before a privilege drop */

	if (fd >= 0) {
		*bound = true;
	} else if ((fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		return diag_fail(err, DIAG_EXIT_OSERR, "socket", "%s", strerror(errno));
	} else {
		memset(&ss, 0, sizeof ss);
		ss.ss_family = (sa_family_t)ai->ai_family;
		if (ai->ai_family == AF_INET6)
			((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		else
			((struct sockaddr_in *)&ss)->sin_port = htons(port);
		*bound = bind(fd, (struct sockaddr *)&ss, (socklen_t)ai->ai_addrlen) == 0;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		int e = errno;

		close(fd);
		return diag_fail(err, DIAG_EXIT_OSERR, "connect", "%s", strerror(e));
	}
	return fd;
}

/* One request and its retransmissions; v gets the answer or no_response. */
static int exchange(int fd, const struct ike_probe_opts *o, const struct ike_buf *req,
		    const uint8_t spi[8], const struct ike_endpoint *local,
		    struct ike_probe_out *out, struct ike_verdict *v, struct diag_error *err)
{
	static const unsigned dflt[3] = {1000, 2000, 4000};
	const unsigned *waits = o->wait_ms[0] ? o->wait_ms : dflt;
	static uint8_t buf[IKE_MSG_MAX + 4];
	bool natt = o->port == 4500;

	verdict_init(v);
	for (int attempt = 0; attempt < 3; attempt++) {
		long long deadline;

		if (send(fd, req->p, req->len, 0) < 0 && errno != ECONNREFUSED)
			return diag_fail(err, DIAG_EXIT_OSERR, "send", "%s", strerror(errno));
		out->sent++;
		deadline = now_ms() + waits[attempt];
		for (;;) {
			struct pollfd p = {.fd = fd, .events = POLLIN};
			long long left = deadline - now_ms();
			ssize_t n;
			int pr;

			if (left <= 0)
				break;
			pr = poll(&p, 1, (int)left);
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr < 0)
				return diag_fail(err, DIAG_EXIT_OSERR, "poll", "%s", strerror(errno));
			if (pr == 0)
				break;
			n = recv(fd, buf, sizeof buf, 0);
			if (n < 0) /* ICMP unreachable and the like: keep waiting, as a peer would */
				continue;
			out->received++;
			if (o->version == 1 ? ike_probe_classify_v1(buf, (size_t)n, natt, spi, v)
					    : ike_probe_classify_v2(buf, (size_t)n, natt, spi, local, v))
				return 0;
		}
	}
	verdict_init(v);
	return 0;
}

/* First request, honouring one COOKIE. The responder's cookie covers our SPI and Ni, so
 * the resend repeats both: the SPI and nonce are chosen here and handed to the builder.
 * The key pair is fresh for each build (deterministic only under --fixed, for tests). */
static int round_trip(int fd, const struct ike_probe_opts *o, uint16_t group,
		      const struct ike_endpoint *local, const struct ike_endpoint *remote,
		      struct ike_probe_out *out, struct ike_verdict *v, struct diag_error *err)
{
	struct ike_buf req = {0};
	struct ike_fixed f;
	uint8_t spi[8];
	int rc;

	memset(&f, 0, sizeof f);
	if (o->fixed) {
		ike_fixed_default(&f);
	} else {
		f.on = true;
		if (RAND_bytes(f.spi, sizeof f.spi) != 1 ||
		    RAND_bytes(f.nonce, sizeof f.nonce) != 1)
			return diag_fail(err, DIAG_EXIT_SOFTWARE, "IKE request",
					 "no random bytes from OpenSSL");
	}
	if (build(o, &f, group, NULL, 0, local, remote, spi, &req, err) < 0)
		return -1;
	rc = exchange(fd, o, &req, spi, local, out, v, err);
	if (rc == 0 && v->result == IKE_PR_COOKIE && o->version == 2) {
		uint8_t cookie[sizeof v->cookie];
		size_t cl = v->cookie_len;

		memcpy(cookie, v->cookie, cl);
		out->cookie_honoured = true;
		if (build(o, &f, group, cookie, cl, local, remote, spi, &req, err) < 0)
			rc = -1;
		else
			rc = exchange(fd, o, &req, spi, local, out, v, err);
	}
	ike_buf_free(&req);
	return rc;
}

int ike_probe_open(const char *host, uint16_t port, struct ike_probe_sock *s,
		   struct diag_error *err)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage ls, rs;
	socklen_t sl = sizeof ls;
	char portstr[8];
	int gai;

	memset(s, 0, sizeof *s);
	s->fd = -1;
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_ADDRCONFIG;
	snprintf(portstr, sizeof portstr, "%u", (unsigned)port);
	if ((gai = getaddrinfo(host, portstr, &hints, &res)) != 0)
		return diag_fail(err, DIAG_EXIT_USAGE, host, "cannot resolve: %s",
				 gai_strerror(gai));
	s->fd = open_socket(res, port, &s->bound, err);
	memset(&rs, 0, sizeof rs);
	memcpy(&rs, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (s->fd < 0)
		return -1;
	if (getsockname(s->fd, (struct sockaddr *)&ls, &sl) < 0) {
		int e = errno;

		ike_probe_close(s);
		return diag_fail(err, DIAG_EXIT_OSERR, "getsockname", "%s", strerror(e));
	}
	endpoint_of(&ls, &s->local);
	endpoint_of(&rs, &s->remote);
	return 0;
}

void ike_probe_close(struct ike_probe_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int ike_probe_ask(struct ike_probe_sock *s, const struct ike_probe_opts *o,
		  struct ike_probe_out *out, struct diag_error *err)
{
	int rc;

	memset(out, 0, sizeof *out);
	verdict_init(&out->first);
	verdict_init(&out->retry);
	out->bound_500 = s->bound;
	out->local_port = s->local.port;
	rc = round_trip(s->fd, o, 0, &s->local, &s->remote, out, &out->first, err);
	if (rc == 0 && out->first.result == IKE_PR_INVALID_KE && o->version == 2 &&
	    ike_dh_pub_len(out->first.group) > 0) {
		/* a group we cannot compute keeps the plain invalid_ke verdict */
		out->retried = true;
		rc = round_trip(s->fd, o, out->first.group, &s->local, &s->remote, out,
				&out->retry, err);
	}
	return rc;
}

int ike_probe_run(const struct ike_probe_opts *o, struct ike_probe_out *out,
		  struct diag_error *err)
{
	struct ike_probe_sock s;
	int rc;

	memset(out, 0, sizeof *out);
	verdict_init(&out->first);
	verdict_init(&out->retry);
	if (ike_probe_open(o->host, o->port, &s, err) < 0)
		return -1;
	rc = ike_probe_ask(&s, o, out, err);
	ike_probe_close(&s);
	return rc;
}
