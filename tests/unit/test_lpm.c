/* Route selection with AWS's priority rules (libdiag/routes/lpm.h), table-driven: each
 * case is a route table, an address and the route that must carry it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "libdiag/routes/lpm.h"

struct rt_spec {
	const char *cidr;
	enum lpm_kind kind;
	bool blackhole;
};

struct lpm_case {
	const char *name;
	struct rt_spec routes[6];
	const char *addr;
	long want; /* index into routes, -1: none */
};

#define L LPM_LOCAL
#define S LPM_STATIC
#define P LPM_PROPAGATED

static const struct lpm_case cases[] = {
	{"longest prefix wins", {{"0.0.0.0/0", S, 0}, {"192.168.0.0/16", P, 0}}, "192.168.1.1", 1},
	{"longer static beats shorter propagated", {{"192.168.0.0/16", P, 0}, {"192.168.1.0/24", S, 0}},
	 "192.168.1.9", 1},
	{"longer propagated beats shorter static", {{"192.168.0.0/16", S, 0}, {"192.168.1.0/24", P, 0}},
	 "192.168.1.9", 1},
	{"equal prefix: static beats propagated", {{"192.168.0.0/16", P, 0}, {"192.168.0.0/16", S, 0}},
	 "192.168.200.1", 1},
	{"equal prefix, other order", {{"192.168.0.0/16", S, 0}, {"192.168.0.0/16", P, 0}},
	 "192.168.200.1", 0},
	{"local beats a more specific propagated route", {{"10.0.0.0/16", L, 0}, {"10.0.1.0/24", P, 0}},
	 "10.0.1.5", 0},
	{"a more specific static route beats local (middlebox routing)",
	 {{"10.0.0.0/16", L, 0}, {"10.0.1.0/24", S, 0}}, "10.0.1.5", 1},
	{"local and propagated, address outside the VPC", {{"10.0.0.0/16", L, 0}, {"10.0.0.0/8", P, 0}},
	 "10.1.0.1", 1},
	{"no route covers", {{"10.0.0.0/16", L, 0}, {"192.168.0.0/16", P, 0}}, "172.16.0.1", -1},
	{"a blackhole still wins the match", {{"0.0.0.0/0", S, 0}, {"192.168.0.0/16", P, 1}},
	 "192.168.3.3", 1},
	{"default route only", {{"0.0.0.0/0", S, 0}}, "8.8.8.8", 0},
	{"/32 host route", {{"192.168.0.0/16", P, 0}, {"192.168.0.7/32", S, 0}}, "192.168.0.7", 1},
	{"prefix boundary: last address in", {{"192.168.0.0/23", P, 0}, {"0.0.0.0/0", S, 0}},
	 "192.168.1.255", 0},
	{"prefix boundary: next address out", {{"192.168.0.0/23", P, 0}, {"0.0.0.0/0", S, 0}},
	 "192.168.2.0", 1},
	{"IPv6 longest prefix", {{"::/0", S, 0}, {"2001:db8::/32", P, 0}, {"2001:db8:1::/48", S, 0}},
	 "2001:db8:1::1", 2},
	{"IPv6 equal prefix: static beats propagated",
	 {{"2001:db8::/32", P, 0}, {"2001:db8::/32", S, 0}}, "2001:db8::9", 1},
	{"IPv6 local beats propagated", {{"2600:1f18:aa::/56", L, 0}, {"2600:1f18:aa:1::/64", P, 0}},
	 "2600:1f18:aa:1::1", 0},
	{"IPv6 route does not carry IPv4", {{"::/0", S, 0}}, "10.0.0.1", -1},
	{"IPv4 route does not carry IPv6", {{"0.0.0.0/0", S, 0}}, "2001:db8::1", -1},
	{"IPv6 odd prefix length", {{"2001:db8::/33", P, 0}, {"2001:db8::/32", S, 0}},
	 "2001:db8:7fff::1", 0},
	{"IPv6 odd prefix length, outside", {{"2001:db8::/33", P, 0}, {"2001:db8::/32", S, 0}},
	 "2001:db8:8000::1", 1},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct lpm_case *c = &cases[i];
		struct lpm_route r[6];
		struct diag_addr a;
		size_t n = 0;

		memset(r, 0, sizeof r);
		for (; n < 6 && c->routes[n].cidr; n++) {
			struct diag_error err = {0};

			assert_int_equal(prefix_parse(c->routes[n].cidr, false, &r[n].dst, &err), 0);
			r[n].kind = c->routes[n].kind;
			r[n].blackhole = c->routes[n].blackhole;
			r[n].ref = n;
		}
		assert_true(addr_parse(c->addr, &a));
		if (lpm_select(r, n, &a) != c->want)
			fail_msg("case \"%s\": got %ld, want %ld", c->name, lpm_select(r, n, &a),
				 c->want);
	}
}

static void test_overlap_and_last(void **state)
{
	struct diag_prefix a, b, c;
	struct diag_addr last;
	struct diag_error err = {0};
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(prefix_parse("10.0.0.0/16", false, &a, &err), 0);
	assert_int_equal(prefix_parse("10.0.128.0/17", false, &b, &err), 0);
	assert_int_equal(prefix_parse("10.1.0.0/16", false, &c, &err), 0);
	assert_true(lpm_overlap(&a, &b));
	assert_true(lpm_overlap(&b, &a));
	assert_true(lpm_covers(&a, &b));
	assert_false(lpm_covers(&b, &a));
	assert_false(lpm_overlap(&a, &c));
	lpm_last(&b, &last);
	assert_string_equal(addr_str(&last, buf), "10.0.255.255");
	assert_int_equal(prefix_parse("2001:db8::/33", false, &a, &err), 0);
	lpm_last(&a, &last);
	assert_string_equal(addr_str(&last, buf), "2001:db8:7fff:ffff:ffff:ffff:ffff:ffff");
	assert_int_equal(lpm_kind_of("local", "CreateRouteTable"), LPM_LOCAL);
	assert_int_equal(lpm_kind_of("vgw-1", "EnableVgwRoutePropagation"), LPM_PROPAGATED);
	assert_int_equal(lpm_kind_of("nat-1", "CreateRoute"), LPM_STATIC);
	assert_int_equal(lpm_kind_of("pcx-1", NULL), LPM_STATIC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_overlap_and_last),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
