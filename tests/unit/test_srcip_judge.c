/* The srcip verdict rules (checks/srcip_judge.h), one case per rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "checks/srcip_judge.h"
#include "libdiag/srcip/srcip.h"

static struct diag_addr A(const char *s)
{
	struct diag_addr a;

	assert_true(addr_parse(s, &a));
	return a;
}

/* One peer; route source, probe answered?, NAT-D, echo address (NULL: none). */
static void ev_one(struct srcip_evidence *ev, const char *registered, const char *route,
		   int probe, bool answered, enum ike_nat nat, const char *echo)
{
	memset(ev, 0, sizeof *ev);
	if (registered) {
		ev->expected_known = true;
		ev->expected = A(registered);
	}
	ev->npeers = 1;
	ev->peers[0].peer = A("203.0.113.1");
	if (route) {
		ev->peers[0].route = SRCIP_EV_OK;
		ev->peers[0].route_src = A(route);
		ev->peers[0].route_private = srcip_addr_private(&ev->peers[0].route_src);
	}
	if (probe) {
		ev->peers[0].probe = SRCIP_EV_OK;
		ev->peers[0].answered = answered;
		ev->peers[0].nat = nat;
	}
	if (echo) {
		ev->echo = SRCIP_EV_OK;
		ev->public_addr = A(echo);
	}
}

static void test_rules(void **state)
{
	struct srcip_evidence ev;
	struct srcip_verdict v;
	char b[ADDR_STRLEN];

	(void)state;
	/* answered, NAT-D none: match without NAT */
	ev_one(&ev, "198.51.100.10", "198.51.100.10", 1, true, IKE_NAT_NONE, NULL);
	srcip_judge(&ev, &v);
	assert_int_equal(v.outcome, SRCIP_MATCH);
	assert_int_equal(v.nat, SRCIP_NAT_NONE);
	/* answered through a NAT (private route source, NAT-D detected): match with NAT */
	ev_one(&ev, "198.51.100.10", "100.64.0.10", 1, true, IKE_NAT_DETECTED, "198.51.100.10");
	srcip_judge(&ev, &v);
	assert_int_equal(v.outcome, SRCIP_MATCH);
	assert_int_equal(v.nat, SRCIP_NAT_PRESENT);
	/* silent, the echo saw another address: mismatch naming it */
	ev_one(&ev, "198.51.100.10", "100.64.0.10", 1, false, IKE_NAT_UNKNOWN, "198.51.100.20");
	srcip_judge(&ev, &v);
	assert_int_equal(v.outcome, SRCIP_MISMATCH);
	assert_true(v.silent);
	assert_string_equal(addr_str(&v.seen, b), "198.51.100.20");
	/* an answer outranks the echo service (another path, a proxy) */
	ev_one(&ev, "198.51.100.10", "100.64.0.10", 1, true, IKE_NAT_DETECTED, "192.0.2.99");
	srcip_judge(&ev, &v);
	assert_int_equal(v.outcome, SRCIP_MATCH);
	assert_non_null(strstr(v.why, "192.0.2.99"));
	/* silent, public route source, no echo: AWS would see the route source */
	ev_one(&ev, "198.51.100.10", "192.0.2.7", 1, false, IKE_NAT_UNKNOWN, NULL);
	srcip_judge(&ev, &v);
	assert_int_equal(v.outcome, SRCIP_MISMATCH);
	assert_string_equal(addr_str(&v.seen, b), "192.0.2.7");
	/* silent, private route source, no echo: unknown, saying what is missing */
	ev_one(&ev, "198.51.100.10", "10.1.2.3", 1, false, IKE_NAT_UNKNOWN, NULL);
	srcip_judge(&ev, &v);
	assert_int_equal(v.outcome, SRCIP_UNKNOWN);
	assert_int_equal(v.nat, SRCIP_NAT_PRESENT);
	assert_non_null(strstr(v.missing, "--echo-url"));
	/* the registered address seen but silence: match, and the silence is said */
	ev_one(&ev, "198.51.100.10", "10.1.2.3", 1, false, IKE_NAT_UNKNOWN, "198.51.100.10");
	srcip_judge(&ev, &v);
	assert_int_equal(v.outcome, SRCIP_MATCH);
	assert_true(v.silent);
	assert_non_null(strstr(v.why, "UDP 500/4500"));
	/* no registered address: unknown */
	ev_one(&ev, NULL, "198.51.100.10", 1, true, IKE_NAT_NONE, NULL);
	srcip_judge(&ev, &v);
	assert_int_equal(v.outcome, SRCIP_UNKNOWN);
	/* nothing at all: unknown, the probe and the echo are missing */
	ev_one(&ev, "198.51.100.10", NULL, 0, false, IKE_NAT_UNKNOWN, NULL);
	srcip_judge(&ev, &v);
	assert_int_equal(v.outcome, SRCIP_UNKNOWN);
	assert_non_null(strstr(v.missing, "--no-ike"));
	/* the wire: packets left with a private source and were answered: NAT present */
	ev_one(&ev, "198.51.100.10", NULL, 0, false, IKE_NAT_UNKNOWN, NULL);
	ev.peers[0].wire = SRCIP_EV_OK;
	ev.peers[0].wire_out = 2;
	ev.peers[0].wire_in = 2;
	ev.peers[0].wire_local = A("100.64.0.10");
	ev.peers[0].wire_local_private = true;
	srcip_judge(&ev, &v);
	assert_int_equal(v.outcome, SRCIP_MATCH);
	assert_int_equal(v.nat, SRCIP_NAT_PRESENT);
	/* the wire: unanswered requests are silence */
	ev.peers[0].wire_in = 0;
	srcip_judge(&ev, &v);
	assert_true(v.silent);
	assert_int_equal(v.outcome, SRCIP_UNKNOWN);
}

static void test_private(void **state)
{
	static const char *const priv[] = {"10.0.0.1", "172.16.0.1", "172.31.255.255",
					   "192.168.1.1", "100.64.0.1", "100.127.255.255",
					   "169.254.1.1", "127.0.0.1", "fd00::1", "fe80::1", "::1"};
	static const char *const pub[] = {"172.32.0.1", "100.128.0.1", "198.51.100.10",
					  "8.8.8.8", "2001:db8::1", "172.15.255.255"};

	(void)state;
	for (size_t i = 0; i < sizeof priv / sizeof priv[0]; i++) {
		struct diag_addr a = A(priv[i]);

		if (!srcip_addr_private(&a))
			fail_msg("%s should be private", priv[i]);
	}
	for (size_t i = 0; i < sizeof pub / sizeof pub[0]; i++) {
		struct diag_addr a = A(pub[i]);

		if (srcip_addr_private(&a))
			fail_msg("%s should be public", pub[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_private),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
