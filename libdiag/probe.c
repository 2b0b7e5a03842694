/* The probe engine: one epoll set, one slot per unit of concurrency.
 *
 * Every probe of a run has the same timeout, so deadlines are ordered like launches: the
 * slots in flight sit on an intrusive list in launch order and the head is always the next
 * to expire (O(1) per probe, no heap, no timer wheel). UDP retransmissions use a second
 * list the same way. Memory is fixed by the concurrency, never by the size of the sweep. */
#include "libdiag/probe_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NIL UINT32_MAX
#define EVENTS_MAX 1024
#define FD_RESERVE 64 /* descriptors left for stdio, files, the resolver */

struct slot {
	int fd;
	uint32_t prev, next;       /* in-flight list, launch order = deadline order */
	uint32_t rprev, rnext;     /* UDP retransmission list */
	uint32_t gen;              /* tells a stale epoll event from a reused slot */
	uint8_t tries_left;
	bool in_resend;
	bool reusable;             /* TCP socket back in SS_UNCONNECTED: may probe again */
	uint16_t port;
	struct diag_addr addr;
	uint64_t start_ns, deadline_ns, resend_ns, started_us, seq;
	uint32_t sent;
	char *name;
};

struct list {
	uint32_t head, tail;
};

struct engine {
	const struct probe_opts *o;
	struct slot *slots;
	uint32_t nslots, free_head, inflight;
	struct list live, resend;
	int ep;
	uint64_t timeout_ns, resend_every_ns;
	probe_result_fn done;
	void *done_arg;
	struct probe_stats *st;
	int spare_fd[2];           /* a refused TCP socket, ready to connect again (v4, v6) */
	struct shared *sh;         /* the run this engine works for */
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t real_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

unsigned probe_default_concurrency(void)
{
	struct rlimit rl;
	rlim_t n;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 256;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	n = rl.rlim_cur > FD_RESERVE * 2 ? rl.rlim_cur - FD_RESERVE : rl.rlim_cur / 2;
	if (n > PROBE_MAX_CONCURRENCY)
		n = PROBE_MAX_CONCURRENCY;
	return n ? (unsigned)n : 1;
}

/* ---- intrusive lists ---------------------------------------------------------------- */

static void list_push(struct engine *e, struct list *l, uint32_t i, bool resend)
{
	struct slot *s = &e->slots[i];
	uint32_t *prev = resend ? &s->rprev : &s->prev, *next = resend ? &s->rnext : &s->next;

	*prev = l->tail;
	*next = NIL;
	if (l->tail == NIL)
		l->head = i;
	else if (resend)
		e->slots[l->tail].rnext = i;
	else
		e->slots[l->tail].next = i;
	l->tail = i;
}

static void list_drop(struct engine *e, struct list *l, uint32_t i, bool resend)
{
	struct slot *s = &e->slots[i];
	uint32_t prev = resend ? s->rprev : s->prev, next = resend ? s->rnext : s->next;

	if (prev == NIL)
		l->head = next;
	else if (resend)
		e->slots[prev].rnext = next;
	else
		e->slots[prev].next = next;
	if (next == NIL)
		l->tail = prev;
	else if (resend)
		e->slots[next].rprev = prev;
	else
		e->slots[next].prev = prev;
}

/* ---- results ------------------------------------------------------------------------ */

static void result_base(const struct engine *e, const struct slot *s, struct probe_result *r)
{
	memset(r, 0, sizeof *r);
	r->addr = s->addr;
	r->port = s->port;
	r->proto = e->o->proto;
	r->name = s->name;
	r->started_us = s->started_us;
	r->seq = s->seq;
	r->sent = s->sent;
}

static void done_lock(struct shared *sh, bool lock);

static void deliver(struct engine *e, struct probe_result *r)
{
	e->st->done++;
	e->st->by_state[r->state]++;
	done_lock(e->sh, true);
	e->done(e->done_arg, r);
	done_lock(e->sh, false);
}

/* Ends the probe in slot i: closes its socket, reports, and frees the slot. */
static void finish(struct engine *e, uint32_t i, struct probe_result *r)
{
	struct slot *s = &e->slots[i];

	int fam = s->addr.family == AF_INET6;

	if (s->fd >= 0 && s->reusable && r->state == PROBE_REFUSED && e->spare_fd[fam] < 0) {
		e->spare_fd[fam] = s->fd;
		s->fd = -1;
	}
	s->reusable = false;
	if (s->fd >= 0) {
		if (r->state == PROBE_OPEN && e->o->proto == PROBE_TCP) {
			/* An abortive close (RST) leaves no TIME_WAIT behind a sweep. */
			struct linger lg = {.l_onoff = 1, .l_linger = 0};

			setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		}
		close(s->fd);
		s->fd = -1;
	}
	list_drop(e, &e->live, i, false);
	if (s->in_resend)
		list_drop(e, &e->resend, i, true);
	s->in_resend = false;
	deliver(e, r);
	free(s->name);
	s->name = NULL;
	s->gen++;
	s->next = e->free_head;
	e->free_head = i;
	e->inflight--;
}

static void finish_state(struct engine *e, uint32_t i, enum probe_state st, int err)
{
	struct probe_result r;

	result_base(e, &e->slots[i], &r);
	r.state = st;
	r.err = err;
	finish(e, i, &r);
}

static void finish_error(struct engine *e, uint32_t i, int err, uint64_t now)
{
	struct probe_result r;
	struct slot *s = &e->slots[i];

	result_base(e, s, &r);
	probe_classify_error(s->fd, e->o->proto, err, &r);
	if (r.state == PROBE_REFUSED || r.state == PROBE_CLOSED)
		r.rtt_us = (now - s->start_ns) / 1000u;
	finish(e, i, &r);
}

/* A TCP probe whose socket error is err (0: connected). On loopback the kernel may pick an
 * ephemeral source port equal to the destination port, and then the socket connects to
 * itself (TCP simultaneous open): that is no listener, so it counts as refused. */
static void tcp_complete(struct engine *e, uint32_t i, int err, uint64_t now)
{
	struct slot *s = &e->slots[i];
	struct probe_result r;

	if (err) {
		finish_error(e, i, err, now);
		return;
	}
	result_base(e, s, &r);
	r.state = PROBE_OPEN;
	r.rtt_us = (now - s->start_ns) / 1000u;
	if (addr_is_loopback(&s->addr)) {
		struct sockaddr_storage local;
		socklen_t len = sizeof local;
		struct diag_addr la;
		uint16_t lport = 0;

		if (getsockname(s->fd, (struct sockaddr *)&local, &len) == 0 &&
		    addr_from_sockaddr((struct sockaddr *)&local, &la, &lport) &&
		    lport == s->port && addr_eq(&la, &s->addr)) {
			r.state = PROBE_REFUSED;
			r.err = ECONNREFUSED;
		}
	}
	finish(e, i, &r);
}

static int socket_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof err;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}

/* ---- launching ---------------------------------------------------------------------- */

static const uint8_t *udp_payload(const struct probe_opts *o, uint16_t port, size_t *len)
{
	if (o->udp_payload_set) {
		*len = o->udp_payload_len;
		return o->udp_payload;
	}
	return probe_udp_builtin(port, len);
}

/* ICMP echo request through a ping socket: the kernel fills in the identifier and the
 * checksum, so only type, code and sequence are ours. */
static size_t echo_request(int family, uint64_t seq, uint8_t *buf)
{
	static const char body[] = "vpn-doctor probe";

	memset(buf, 0, 8);
	buf[0] = family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	buf[6] = (uint8_t)(seq >> 8);
	buf[7] = (uint8_t)seq;
	memcpy(buf + 8, body, sizeof body - 1);
	return 8 + sizeof body - 1;
}

static int send_probe(struct engine *e, struct slot *s)
{
	uint8_t buf[64];
	const uint8_t *p;
	size_t len;
	ssize_t n;

	if (e->o->proto == PROBE_ICMP) {
		len = echo_request(s->addr.family, s->seq, buf);
		p = buf;
	} else {
		p = udp_payload(e->o, s->port, &len);
	}
	n = send(s->fd, p ? (const void *)p : "", len, MSG_NOSIGNAL);
	if (n < 0)
		return -1;
	s->sent += (uint32_t)n;
	return 0;
}

static int open_socket(const struct engine *e, const struct slot *s)
{
	const struct probe_opts *o = e->o;
	int type = o->proto == PROBE_TCP ? SOCK_STREAM : SOCK_DGRAM;
	int proto = o->proto != PROBE_ICMP ? 0 : s->addr.family == AF_INET ? IPPROTO_ICMP
									   : IPPROTO_ICMPV6;
	int one = 1;
	int fd = socket(s->addr.family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);

	if (fd < 0)
		return -1;
	/* IP_RECVERR queues the ICMP error itself, so "unreachable" can say which one. */
	if (s->addr.family == AF_INET)
		setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof one);
	else
		setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof one);
	if (o->have_src || o->src_port) {
		struct sockaddr_storage ss;
		struct diag_addr any = {.family = s->addr.family};
		socklen_t sl = addr_to_sockaddr(o->have_src ? &o->src : &any, o->src_port, &ss);

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
			int saved = errno;

			close(fd);
			errno = saved;
			return -2;
		}
	}
	return fd;
}

static int take_spare(struct engine *e, int family)
{
	int fam = family == AF_INET6, fd = e->o->proto == PROBE_TCP ? e->spare_fd[fam] : -1;

	if (fd >= 0)
		e->spare_fd[fam] = -1;
	return fd;
}

/* Starts one probe in a free slot. Returns 0 when the probe started or already has its
 * result, 1 when the descriptor limit is reached (retry after a probe finishes). */
static int launch(struct engine *e, const struct probe_target *t, uint64_t seq, uint64_t now)
{
	uint32_t i = e->free_head;
	struct slot *s = &e->slots[i];
	struct sockaddr_storage ss;
	socklen_t sl;
	int rc;

	e->free_head = s->next;
	s->addr = t->addr;
	s->port = e->o->proto == PROBE_ICMP ? 0 : t->port;
	s->seq = seq;
	s->sent = 0;
	s->name = t->name ? strdup(t->name) : NULL;
	s->start_ns = now;
	s->deadline_ns = now + e->timeout_ns;
	s->started_us = real_us();
	s->in_resend = false;
	e->inflight++;
	e->st->started++;
	list_push(e, &e->live, i, false);

	if (t->resolve_error) {
		struct probe_result r;

		s->fd = -1;
		result_base(e, s, &r);
		r.state = PROBE_ERROR;
		r.detail = t->resolve_error;
		finish(e, i, &r);
		return 0;
	}
	s->fd = take_spare(e, s->addr.family);
	if (s->fd < 0)
		s->fd = open_socket(e, s);
	if (s->fd == -1 && (errno == EMFILE || errno == ENFILE) && e->inflight > 1) {
		/* Give the slot back; the caller retries once a probe has finished. */
		free(s->name);
		s->name = NULL;
		list_drop(e, &e->live, i, false);
		s->next = e->free_head;
		e->free_head = i;
		e->inflight--;
		e->st->started--;
		return 1;
	}
	if (s->fd < 0) {
		int err = errno;

		s->fd = -1;
		finish_error(e, i, err, now);
		return 0;
	}
	sl = addr_to_sockaddr(&s->addr, s->port, &ss);
	rc = connect(s->fd, (struct sockaddr *)&ss, sl);
	if (rc < 0 && errno != EINPROGRESS) {
		finish_error(e, i, errno, mono_ns());
		return 0;
	}
	if (e->o->proto == PROBE_TCP) {
		/* Near hosts often answer before connect() returns (loopback and veth process
		 * the SYN and its RST as the socket lock is released). A second connect() then
		 * reports the outcome without an epoll round trip: 0 connected, EALREADY still
		 * pending, or the error, which also returns the socket to SS_UNCONNECTED so the
		 * next probe can reuse it instead of paying for socket() and close(). */
		if (rc < 0)
			rc = connect(s->fd, (struct sockaddr *)&ss, sl);
		if (rc == 0 || errno != EALREADY) {
			int err = rc == 0 ? 0 : errno;

			s->reusable = err == ECONNREFUSED && !e->o->have_src && !e->o->src_port;
			tcp_complete(e, i, err, mono_ns());
			return 0;
		}
	} else if (send_probe(e, s) < 0) {
		finish_error(e, i, errno, mono_ns());
		return 0;
	}
	struct epoll_event ev = {
		.events = e->o->proto == PROBE_TCP ? EPOLLOUT : EPOLLIN,
		.data.u64 = (uint64_t)s->gen << 32 | i,
	};
	if (epoll_ctl(e->ep, EPOLL_CTL_ADD, s->fd, &ev) < 0) {
		finish_error(e, i, errno, mono_ns());
		return 0;
	}
	if (e->resend_every_ns) {
		s->tries_left = (uint8_t)((e->o->udp_tries ? e->o->udp_tries : 2) - 1);
		if (s->tries_left) {
			s->resend_ns = now + e->resend_every_ns;
			s->in_resend = true;
			list_push(e, &e->resend, i, true);
		}
	}
	return 0;
}

/* ---- completion --------------------------------------------------------------------- */

static void on_tcp_event(struct engine *e, uint32_t i, uint64_t now)
{
	tcp_complete(e, i, socket_error(e->slots[i].fd), now);
}

/* A datagram came back (UDP reply, echo reply) or an ICMP error was queued. */
static void on_dgram_event(struct engine *e, uint32_t i, uint32_t events, uint64_t now)
{
	struct slot *s = &e->slots[i];
	uint8_t buf[2048];
	ssize_t n;

	if (events & EPOLLERR) {
		struct probe_result r;

		int err = 0;
		socklen_t len = sizeof err;

		result_base(e, s, &r);
		probe_read_icmp(s->fd, &r);
		getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		probe_classify_error(-1, e->o->proto, r.icmp ? r.err : err ? err : EIO, &r);
		if (r.state == PROBE_CLOSED || r.state == PROBE_REFUSED)
			r.rtt_us = (now - s->start_ns) / 1000u;
		finish(e, i, &r);
		return;
	}
	n = recv(s->fd, buf, sizeof buf, 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		finish_error(e, i, errno, now);
		return;
	}
	if (e->o->proto == PROBE_ICMP && n >= 1 &&
	    buf[0] != (s->addr.family == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY))
		return; /* not an echo reply: keep waiting */
	struct probe_result r;

	result_base(e, s, &r);
	r.state = PROBE_OPEN;
	r.rcvd = (uint32_t)n;
	r.rtt_us = (now - s->start_ns) / 1000u;
	finish(e, i, &r);
}

static void expire(struct engine *e, uint64_t now)
{
	while (e->resend.head != NIL && e->slots[e->resend.head].resend_ns <= now) {
		uint32_t i = e->resend.head;
		struct slot *s = &e->slots[i];

		list_drop(e, &e->resend, i, true);
		s->in_resend = false;
		send_probe(e, s);
		if (--s->tries_left) {
			s->resend_ns = now + e->resend_every_ns;
			s->in_resend = true;
			list_push(e, &e->resend, i, true);
		}
	}
	while (e->live.head != NIL && e->slots[e->live.head].deadline_ns <= now) {
		uint32_t i = e->live.head;

		finish_state(e, i, e->o->proto == PROBE_UDP ? PROBE_OPEN_FILTERED : PROBE_FILTERED,
			     0);
	}
}

/* Milliseconds until the next timer (deadline, retransmission or rate slot), rounded up
 * so epoll never spins; -1 when nothing is pending. */
static int next_wait_ms(const struct engine *e, uint64_t now, uint64_t next_launch_ns,
			bool want_launch)
{
	uint64_t t = UINT64_MAX;

	if (e->live.head != NIL)
		t = e->slots[e->live.head].deadline_ns;
	if (e->resend.head != NIL && e->slots[e->resend.head].resend_ns < t)
		t = e->slots[e->resend.head].resend_ns;
	if (want_launch && next_launch_ns < t)
		t = next_launch_ns;
	if (t == UINT64_MAX)
		return -1;
	if (t <= now)
		return 0;
	t = (t - now + 999999u) / 1000000u;
	return t > 60000 ? 60000 : (int)t;
}

static int engine_init(struct engine *e, const struct probe_opts *o, struct diag_error *err)
{
	e->nslots = o->concurrency ? o->concurrency : probe_default_concurrency();
	e->slots = calloc(e->nslots, sizeof *e->slots);
	if (!e->slots)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "probe", "out of memory");
	for (uint32_t i = 0; i < e->nslots; i++) {
		e->slots[i].fd = -1;
		e->slots[i].next = i + 1 < e->nslots ? i + 1 : NIL;
	}
	e->free_head = 0;
	e->spare_fd[0] = e->spare_fd[1] = -1;
	e->live.head = e->live.tail = NIL;
	e->resend.head = e->resend.tail = NIL;
	e->timeout_ns = (uint64_t)(o->timeout_ms ? o->timeout_ms : PROBE_DEFAULT_TIMEOUT_MS) *
			1000000u;
	unsigned tries = o->udp_tries ? o->udp_tries : 2;
	e->resend_every_ns = o->proto == PROBE_UDP && tries > 1 ? e->timeout_ns / tries : 0;
	e->ep = epoll_create1(EPOLL_CLOEXEC);
	if (e->ep < 0) {
		free(e->slots);
		return diag_fail(err, DIAG_EXIT_OSERR, "epoll", "%s", strerror(errno));
	}
	return 0;
}

/* ICMP echo needs a ping socket; say so once, before any target, rather than per probe. */
static int check_icmp_permitted(int family, struct diag_error *err)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC,
			family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EACCES || errno == EPERM)
		return diag_fail(err, DIAG_EXIT_NOPERM, "--icmp",
				 "ICMP echo needs a ping socket, and group %u is outside "
				 "net.ipv4.ping_group_range (sysctl -w "
				 "net.ipv4.ping_group_range=\"%u %u\")",
				 (unsigned)getgid(), (unsigned)getgid(), (unsigned)getgid());
	return diag_fail(err, DIAG_EXIT_UNAVAILABLE, "--icmp", "ping socket: %s",
			 strerror(errno));
}

/* ---- workers ------------------------------------------------------------------------
 * Most of a probe's cost is kernel work done inside connect() (on loopback and veth the
 * peer's answer is processed in the caller's context), so one thread per CPU, each with
 * its own epoll set and slots, scales a sweep with the cores. Workers pull targets from
 * the shared source in small batches under one lock and report results under another;
 * callers see the same serialised callbacks as with one thread. */

#define PULL_BATCH 32
#define MAX_WORKERS 4

struct shared {
	pthread_mutex_t pull_lock, done_lock;
	const struct probe_opts *o;
	probe_next_fn next;
	void *next_arg;
	probe_result_fn done;
	void *done_arg;
	bool source_done, icmp_checked, spawned;
	int rc;
	struct diag_error err;
	uint64_t seq;
	unsigned nworkers, started;
	unsigned slots_per_worker;
	struct worker *workers;
};

struct worker {
	struct engine e;
	struct shared *sh;
	struct probe_stats st;
	pthread_t thread;
	int init_rc;
	struct diag_error init_err;
	struct probe_target batch[PULL_BATCH];
	uint64_t batch_seq[PULL_BATCH];
	char names[PULL_BATCH][256];
	int nbatch, ibatch;
};

static void *worker_main(void *arg);

static void spawn_workers(struct shared *sh)
{
	for (unsigned k = 1; k < sh->nworkers; k++) {
		struct worker *w = &sh->workers[k];

		if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
			break;
		sh->started++;
	}
}

/* Refills the worker's batch from the shared source. Returns false when the source is
 * exhausted or failed. */
static bool refill(struct worker *w)
{
	struct shared *sh = w->sh;
	bool spawn = false;

	pthread_mutex_lock(&sh->pull_lock);
	w->nbatch = w->ibatch = 0;
	while (!sh->source_done && w->nbatch < PULL_BATCH) {
		struct probe_target *t = &w->batch[w->nbatch];
		int got;

		memset(t, 0, sizeof *t);
		got = sh->next(sh->next_arg, t, &sh->err);
		if (got <= 0) {
			sh->source_done = true;
			if (got < 0)
				sh->rc = -1;
			break;
		}
		if (sh->o->proto == PROBE_ICMP && !sh->icmp_checked && !t->resolve_error) {
			sh->icmp_checked = true;
			if (check_icmp_permitted(t->addr.family, &sh->err) < 0) {
				sh->source_done = true;
				sh->rc = -1;
				break;
			}
		}
		if (t->name) { /* the source's name is valid until its next call only */
			snprintf(w->names[w->nbatch], sizeof w->names[0], "%s", t->name);
			t->name = w->names[w->nbatch];
		}
		w->batch_seq[w->nbatch++] = sh->seq++;
	}
	if (!sh->spawned && !sh->source_done) {
		sh->spawned = true;
		spawn = true;
	}
	pthread_mutex_unlock(&sh->pull_lock);
	if (spawn)
		spawn_workers(sh);
	return w->nbatch > 0;
}

static void worker_loop(struct worker *w)
{
	struct engine *e = &w->e;
	const struct probe_opts *o = w->sh->o;
	struct epoll_event evs[EVENTS_MAX];
	bool source_done = false;
	uint64_t t0, launched = 0, next_launch_ns;
	double rate = o->rate > 0 ? o->rate / w->sh->nworkers : 0;

	t0 = next_launch_ns = mono_ns();
	while (!(o->stop && *o->stop)) {
		uint64_t now = mono_ns();
		int n;

		while (!source_done && e->free_head != NIL && (!rate || now >= next_launch_ns)) {
			if (w->ibatch == w->nbatch && !refill(w)) {
				source_done = true;
				break;
			}
			if (launch(e, &w->batch[w->ibatch], w->batch_seq[w->ibatch], mono_ns()) == 1)
				break; /* out of descriptors: wait for a probe to finish */
			w->ibatch++;
			launched++;
			if (rate)
				next_launch_ns = t0 + (uint64_t)((double)launched * 1e9 / rate);
		}
		if (source_done && e->inflight == 0)
			break;
		n = epoll_wait(e->ep, evs, EVENTS_MAX,
			       next_wait_ms(e, now, next_launch_ns,
					    !source_done && rate && e->free_head != NIL));
		if (n < 0 && errno != EINTR)
			break; /* cannot happen with a valid epoll fd; in-flight probes are lost */
		now = mono_ns();
		for (int k = 0; k < n; k++) {
			uint32_t i = (uint32_t)evs[k].data.u64;
			uint32_t gen = (uint32_t)(evs[k].data.u64 >> 32);

			if (i >= e->nslots || e->slots[i].gen != gen || e->slots[i].fd < 0)
				continue;
			if (o->proto == PROBE_TCP)
				on_tcp_event(e, i, now);
			else
				on_dgram_event(e, i, evs[k].events, now);
		}
		expire(e, now);
	}
	if (o->stop && *o->stop) {
		w->st.interrupted = true;
		while (e->live.head != NIL) {
			uint32_t i = e->live.head;
			struct slot *s = &e->slots[i];

			list_drop(e, &e->live, i, false);
			if (s->fd >= 0)
				close(s->fd);
			free(s->name);
		}
	}
}

static void worker_free(struct worker *w)
{
	for (int f = 0; f < 2; f++)
		if (w->e.spare_fd[f] >= 0)
			close(w->e.spare_fd[f]);
	close(w->e.ep);
	free(w->e.slots);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	worker_loop(w);
	return NULL;
}

static void done_lock(struct shared *sh, bool lock)
{
	if (sh->nworkers > 1)
		(lock ? pthread_mutex_lock : pthread_mutex_unlock)(&sh->done_lock);
}

unsigned probe_default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (unsigned)n;
}

int probe_run(const struct probe_opts *o, probe_next_fn next, void *next_arg,
	      probe_result_fn done, void *done_arg, struct probe_stats *st,
	      struct diag_error *err)
{
	struct shared sh = {.o = o, .next = next, .next_arg = next_arg, .done = done,
			    .done_arg = done_arg, .started = 1};
	unsigned conc = o->concurrency ? o->concurrency : probe_default_concurrency();
	uint64_t t0 = mono_ns();
	int rc = 0;

	memset(st, 0, sizeof *st);
	sh.nworkers = o->workers ? o->workers : probe_default_workers();
	if (sh.nworkers > MAX_WORKERS)
		sh.nworkers = MAX_WORKERS;
	/* Threads only pay off when probes are started as fast as possible. */
	if (conc < sh.nworkers * 2 || (o->rate > 0 && o->rate < 1000))
		sh.nworkers = 1;
	sh.slots_per_worker = (conc + sh.nworkers - 1) / sh.nworkers;
	sh.workers = calloc(sh.nworkers, sizeof *sh.workers);
	if (!sh.workers)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "probe", "out of memory");
	for (unsigned k = 0; k < sh.nworkers; k++) {
		struct probe_opts wo = *o;
		struct worker *w = &sh.workers[k];

		wo.concurrency = sh.slots_per_worker;
		w->sh = &sh;
		w->e.o = o;
		w->e.done = done;
		w->e.done_arg = done_arg;
		w->e.st = &w->st;
		w->e.sh = &sh;
		if (engine_init(&w->e, &wo, err) < 0) {
			for (unsigned j = 0; j < k; j++)
				worker_free(&sh.workers[j]);
			free(sh.workers);
			return -1;
		}
	}
	pthread_mutex_init(&sh.pull_lock, NULL);
	pthread_mutex_init(&sh.done_lock, NULL);
	worker_loop(&sh.workers[0]);
	for (unsigned k = 1; k < sh.started; k++)
		pthread_join(sh.workers[k].thread, NULL);
	for (unsigned k = 0; k < sh.nworkers; k++) {
		struct worker *w = &sh.workers[k];

		st->started += w->st.started;
		st->done += w->st.done;
		for (int s = 0; s < PROBE_STATE_COUNT; s++)
			st->by_state[s] += w->st.by_state[s];
		st->interrupted |= w->st.interrupted;
		if (k < sh.started)
			st->concurrency += w->e.nslots;
		worker_free(w);
	}
	st->elapsed_us = (mono_ns() - t0) / 1000u;
	if (sh.rc < 0) {
		diag_fail(err, sh.err.code ? sh.err.code : DIAG_EXIT_SOFTWARE, sh.err.where, "%s",
			  sh.err.what);
		rc = -1;
	}
	pthread_mutex_destroy(&sh.pull_lock);
	pthread_mutex_destroy(&sh.done_lock);
	free(sh.workers);
	return rc;
}
