/* The probe engine against real sockets on loopback: a listener, a closed port, a UDP
 * responder, the check table's probe.reachability, and the engine's bookkeeping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checks/check.h"
#include "libdiag/probe.h"
#include "libdiag/probe_targets.h"

/* A socket bound to 127.0.0.1 on a port the kernel picks. */
static int bound_socket(int type, uint16_t *port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof sin;
	int fd = socket(AF_INET, type, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* A port nobody listens on: bind one, remember it, close it. */
static uint16_t closed_port(int type)
{
	uint16_t port;
	int fd = bound_socket(type, &port);

	close(fd);
	return port;
}

struct list_src {
	struct probe_target t[8];
	int n, i;
};

static int next_from_list(void *arg, struct probe_target *out, struct diag_error *err)
{
	struct list_src *l = arg;

	(void)err;
	if (l->i >= l->n)
		return 0;
	*out = l->t[l->i++];
	return 1;
}

struct collected {
	struct probe_result r[8];
	char names[8][32];
	int n;
};

static void collect(void *arg, const struct probe_result *r)
{
	struct collected *c = arg;

	if (c->n < 8) {
		c->r[c->n] = *r;
		snprintf(c->names[c->n], sizeof c->names[0], "%s", r->name ? r->name : "");
		c->r[c->n].name = c->names[c->n];
		c->n++;
	}
}

static const struct probe_result *by_port(const struct collected *c, uint16_t port)
{
	for (int i = 0; i < c->n; i++)
		if (c->r[i].port == port)
			return &c->r[i];
	fail_msg("no result for port %u", port);
	return NULL;
}

static void add_target(struct list_src *l, uint16_t port, const char *name)
{
	struct probe_target *t = &l->t[l->n++];

	memset(t, 0, sizeof *t);
	addr_parse("127.0.0.1", &t->addr);
	t->port = port;
	t->name = name;
}

static void test_tcp_open_and_refused(void **state)
{
	uint16_t open_port, shut = closed_port(SOCK_STREAM);
	int lfd = bound_socket(SOCK_STREAM, &open_port);
	struct list_src src = {0};
	struct collected got = {0};
	struct probe_opts o = {.proto = PROBE_TCP, .concurrency = 4, .workers = 1,
			       .timeout_ms = 2000};
	struct probe_stats st;
	struct diag_error err = {0};

	(void)state;
	assert_int_equal(listen(lfd, 16), 0);
	add_target(&src, open_port, "localhost");
	add_target(&src, shut, NULL);
	assert_int_equal(probe_run(&o, next_from_list, &src, collect, &got, &st, &err), 0);
	assert_int_equal(got.n, 2);
	assert_int_equal(by_port(&got, open_port)->state, PROBE_OPEN);
	assert_string_equal(by_port(&got, open_port)->name, "localhost");
	assert_int_equal(by_port(&got, shut)->state, PROBE_REFUSED);
	assert_int_equal(st.started, 2);
	assert_int_equal(st.done, 2);
	assert_int_equal(st.by_state[PROBE_OPEN], 1);
	assert_int_equal(st.by_state[PROBE_REFUSED], 1);
	assert_int_equal(st.concurrency, 4);
	close(lfd);
}

/* More targets than slots: every slot is reused, and refused sockets are recycled. */
static void test_many_refused_with_small_concurrency(void **state)
{
	struct target_iter it;
	struct port_list pl = {0};
	struct target_opts to = {.numeric = true};
	char *specs[] = {"127.0.0.1"};
	struct collected got = {0};
	struct probe_opts o = {.proto = PROBE_TCP, .concurrency = 3, .timeout_ms = 2000};
	struct probe_stats st;
	struct diag_error err = {0};
	uint16_t base = closed_port(SOCK_STREAM);
	char spec[32];

	(void)state;
	/* 50 ports above one known closed port are almost surely closed too; the
	 * assertion is on bookkeeping, not on which state each one has. */
	snprintf(spec, sizeof spec, "%u-%u", base, base + 49 > 65535 ? 65535 : base + 49);
	assert_int_equal(ports_parse(&pl, spec, "tcp", &err), 0);
	target_iter_init(&it, &to, &pl, specs, 1, NULL, NULL);
	assert_int_equal(probe_run(&o, probe_next_from_targets, &it, collect, &got, &st, &err), 0);
	assert_int_equal(st.started, pl.count);
	assert_int_equal(st.done, pl.count);
	uint64_t sum = 0;
	for (int s = 0; s < PROBE_STATE_COUNT; s++)
		sum += st.by_state[s];
	assert_int_equal(sum, pl.count);
	assert_true(st.by_state[PROBE_REFUSED] >= 1);
}

struct serial_check {
	int inside;     /* callbacks currently running */
	int overlaps;   /* times a callback started while another ran */
	uint64_t seen;
	uint64_t seq_sum;
	uint64_t open;
};

static void count_serial(void *arg, const struct probe_result *r)
{
	struct serial_check *c = arg;

	if (__atomic_add_fetch(&c->inside, 1, __ATOMIC_SEQ_CST) != 1)
		c->overlaps++;
	c->seen++;
	c->seq_sum += r->seq;
	c->open += r->state == PROBE_OPEN;
	usleep(10); /* widen the window in which an overlap would show */
	__atomic_sub_fetch(&c->inside, 1, __ATOMIC_SEQ_CST);
}

/* Two workers share one target source: every target is probed exactly once (the sequence
 * numbers 0..n-1 each appear once), and the result callback never runs concurrently. */
static void test_two_workers(void **state)
{
	uint16_t open_port;
	int lfd = bound_socket(SOCK_STREAM, &open_port);
	char spec[32], *specs[] = {"127.0.0.1"};
	struct port_list pl = {0};
	struct target_opts to = {.numeric = true};
	struct target_iter it;
	struct serial_check c = {0};
	struct probe_opts o = {.proto = PROBE_TCP, .concurrency = 8, .workers = 2,
			       .timeout_ms = 2000};
	struct probe_stats st;
	struct diag_error err = {0};
	uint16_t lo = open_port > 200 ? open_port - 200 : 1;

	(void)state;
	assert_int_equal(listen(lfd, 64), 0);
	snprintf(spec, sizeof spec, "%u-%u", lo, lo + 399 > 65535 ? 65535 : lo + 399);
	assert_int_equal(ports_parse(&pl, spec, "tcp", &err), 0);
	target_iter_init(&it, &to, &pl, specs, 1, NULL, NULL);
	assert_int_equal(probe_run(&o, probe_next_from_targets, &it, count_serial, &c, &st, &err),
			 0);
	assert_int_equal(c.overlaps, 0);
	assert_int_equal(c.seen, pl.count);
	assert_int_equal(c.seq_sum, pl.count * (pl.count - 1) / 2);
	assert_int_equal(st.done, pl.count);
	assert_true(c.open >= 1);
	assert_int_equal(st.concurrency, 8); /* both workers ran, 4 slots each */
	close(lfd);
}

static void *udp_echo(void *arg)
{
	int fd = *(int *)arg;
	char buf[512];
	struct sockaddr_storage from;
	socklen_t len = sizeof from;
	ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);

	if (n > 0)
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
	return NULL;
}

static void test_udp_open_and_closed(void **state)
{
	uint16_t echo_port, shut = closed_port(SOCK_DGRAM);
	int efd = bound_socket(SOCK_DGRAM, &echo_port);
	pthread_t th;
	struct list_src src = {0};
	struct collected got = {0};
	static const uint8_t payload[] = {'h', 'i'};
	struct probe_opts o = {.proto = PROBE_UDP, .concurrency = 4, .timeout_ms = 1500,
			       .udp_payload = payload, .udp_payload_len = 2,
			       .udp_payload_set = true};
	struct probe_stats st;
	struct diag_error err = {0};

	(void)state;
	assert_int_equal(pthread_create(&th, NULL, udp_echo, &efd), 0);
	add_target(&src, echo_port, NULL);
	add_target(&src, shut, NULL);
	assert_int_equal(probe_run(&o, next_from_list, &src, collect, &got, &st, &err), 0);
	pthread_join(th, NULL);
	assert_int_equal(by_port(&got, echo_port)->state, PROBE_OPEN);
	assert_int_equal(by_port(&got, echo_port)->rcvd, 2);
	assert_int_equal(by_port(&got, shut)->state, PROBE_CLOSED);
	assert_true(by_port(&got, shut)->icmp);
	assert_int_equal(by_port(&got, shut)->icmp_type, 3);
	assert_int_equal(by_port(&got, shut)->icmp_code, 3);
	close(efd);
}

/* A UDP port that receives but never answers: open|filtered after the timeout, with the
 * datagram sent twice (once more halfway through the timeout). */
static void test_udp_silent_is_open_filtered(void **state)
{
	uint16_t port;
	int fd = bound_socket(SOCK_DGRAM, &port);
	struct list_src src = {0};
	struct collected got = {0};
	struct probe_opts o = {.proto = PROBE_UDP, .concurrency = 1, .timeout_ms = 300};
	struct probe_stats st;
	struct diag_error err = {0};
	char buf[64];

	(void)state;
	add_target(&src, port, NULL);
	assert_int_equal(probe_run(&o, next_from_list, &src, collect, &got, &st, &err), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.r[0].state, PROBE_OPEN_FILTERED);
	assert_int_equal(recv(fd, buf, sizeof buf, MSG_DONTWAIT), 0); /* empty datagram */
	assert_int_equal(recv(fd, buf, sizeof buf, MSG_DONTWAIT), 0);
	assert_int_equal(recv(fd, buf, sizeof buf, MSG_DONTWAIT), -1);
	close(fd);
}

static void test_builtin_payloads(void **state)
{
	size_t len;
	const uint8_t *p;

	(void)state;
	p = probe_udp_builtin(500, &len);
	assert_non_null(p);
	assert_int_equal(len, 84);
	assert_int_equal(p[17], 0x10); /* ISAKMP version 1.0 */
	assert_int_equal(p[27], 84);   /* length field matches */
	p = probe_udp_builtin(4500, &len);
	assert_int_equal(len, 88);
	assert_int_equal(p[0] | p[1] | p[2] | p[3], 0); /* non-ESP marker */
	assert_int_equal(p[21], 0x10);
	p = probe_udp_builtin(53, &len);
	assert_int_equal(len, 17);
	assert_null(probe_udp_builtin(8080, &len));
	assert_int_equal(len, 0);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(probe_state_name(PROBE_OPEN_FILTERED), "open|filtered");
	assert_string_equal(probe_icmp_name(AF_INET, 3, 13), "admin-prohibited");
	assert_string_equal(probe_icmp_name(AF_INET, 3, 1), "host-unreachable");
	assert_string_equal(probe_icmp_name(AF_INET6, 1, 1), "admin-prohibited");
	assert_null(probe_icmp_name(AF_INET, 0, 0));
}

static void test_resolve_error_is_a_result(void **state)
{
	struct list_src src = {0};
	struct collected got = {0};
	struct probe_opts o = {.proto = PROBE_TCP, .concurrency = 2, .timeout_ms = 500};
	struct probe_stats st;
	struct diag_error err = {0};

	(void)state;
	add_target(&src, 80, "no-such-host.invalid");
	src.t[0].resolve_error = "Name or service not known";
	assert_int_equal(probe_run(&o, next_from_list, &src, collect, &got, &st, &err), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.r[0].state, PROBE_ERROR);
	assert_string_equal(got.r[0].detail, "Name or service not known");
}

static void test_reachability_check_from_table(void **state)
{
	uint16_t open_port;
	int lfd = bound_socket(SOCK_STREAM, &open_port);
	char spec[16], *specs[] = {"127.0.0.1"};
	struct port_list pl = {0};
	struct check_ctx ctx = {0};
	struct report rep;
	const struct check *c = check_find("probe.reachability");
	struct diag_error err = {0};

	(void)state;
	assert_non_null(c);
	assert_null(check_find("no.such.check"));
	assert_int_equal(listen(lfd, 4), 0);
	snprintf(spec, sizeof spec, "%u", open_port);
	assert_int_equal(ports_parse(&pl, spec, "tcp", &err), 0);
	assert_false(check_ready(c, &ctx));
	ctx.target_specs = specs;
	ctx.n_target_specs = 1;
	ctx.ports = &pl;
	ctx.target_opts.numeric = true;
	ctx.probe_opts.concurrency = 2;
	ctx.probe_opts.timeout_ms = 1000;
	assert_true(check_ready(c, &ctx));
	report_init(&rep, "test", "0");
	assert_int_equal(c->run(&ctx, &rep), 0);
	assert_int_equal(rep.n, 1);
	assert_string_equal(rep.findings[0].check, "probe.reachability");
	assert_int_equal(rep.findings[0].status, DIAG_PASS);
	assert_int_equal(cJSON_GetObjectItem(rep.findings[0].evidence, "open")->valuedouble, 1);
	report_free(&rep);
	close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_open_and_refused),
		cmocka_unit_test(test_many_refused_with_small_concurrency),
		cmocka_unit_test(test_two_workers),
		cmocka_unit_test(test_udp_open_and_closed),
		cmocka_unit_test(test_udp_silent_is_open_filtered),
		cmocka_unit_test(test_builtin_payloads),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_resolve_error_is_a_result),
		cmocka_unit_test(test_reachability_check_from_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
