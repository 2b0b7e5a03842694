/* Addresses, prefixes and ranges: parsing (and the messages a user sees), arithmetic,
 * and the predicates a sweep uses to refuse or classify targets. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "libdiag/addr.h"

static struct diag_addr A(const char *s)
{
	struct diag_addr a;

	if (!addr_parse(s, &a))
		fail_msg("test address %s does not parse", s);
	return a;
}

static void assert_addr(const struct diag_addr *a, const char *want)
{
	char buf[ADDR_STRLEN];

	assert_string_equal(addr_str(a, buf), want);
}

static void test_parse_v4(void **state)
{
	struct diag_addr a;
	static const uint8_t zero[12] = {0};

	(void)state;
	assert_true(addr_parse("10.1.2.3", &a));
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.b[0], 10);
	assert_int_equal(a.b[3], 3);
	assert_memory_equal(a.b + 4, zero, 12); /* the unused bytes are zero, so memcmp works */
	assert_int_equal(addr_bits(&a), 32);
	assert_addr(&a, "10.1.2.3");
	assert_true(addr_parse("0.0.0.0", &a));
	assert_true(addr_parse("255.255.255.255", &a));
}

static void test_parse_v6(void **state)
{
	struct diag_addr a;

	(void)state;
	assert_true(addr_parse("2001:db8::1", &a));
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.b[0], 0x20);
	assert_int_equal(a.b[1], 0x01);
	assert_int_equal(a.b[15], 1);
	assert_int_equal(addr_bits(&a), 128);
	assert_addr(&a, "2001:db8::1");
	assert_true(addr_parse("::", &a));
	assert_true(addr_parse("::ffff:10.0.0.1", &a));
	assert_int_equal(a.family, AF_INET6);
	assert_true(addr_parse("FE80::ABCD", &a));
	assert_addr(&a, "fe80::abcd");
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"", "10.0.0", "10.0.0.256", "10.0.0.1 ", " 10.0.0.1", "10.0.0.1/32",
		"vpn.example.com", "1.2.3.4.5", "2001:db8::g", "fe80::1%eth0", "::1::2", "-1",
	};
	struct diag_addr a;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (addr_parse(bad[i], &a))
			fail_msg("\"%s\" should not parse as an address", bad[i]);
}

static void test_cmp(void **state)
{
	struct diag_addr a = A("10.0.0.1"), b = A("10.0.0.2"), c = A("::1"), d = A("10.0.0.1");

	(void)state;
	assert_true(addr_cmp(&a, &b) < 0);
	assert_true(addr_cmp(&b, &a) > 0);
	assert_true(addr_eq(&a, &d));
	assert_false(addr_eq(&a, &b));
	assert_true(addr_cmp(&a, &c) != 0); /* families never compare equal */
	assert_true((addr_cmp(&a, &c) < 0) == (addr_cmp(&c, &a) > 0));
}

/* ---- prefixes ---------------------------------------------------------------------- */

static void expect_prefix(const char *s, bool allow_host, const char *addr, unsigned len)
{
	struct diag_prefix p;
	struct diag_error err = {0};

	if (prefix_parse(s, allow_host, &p, &err) != 0)
		fail_msg("%s: unexpected error %s", s, err.what);
	assert_int_equal(err.code, 0);
	assert_addr(&p.addr, addr);
	assert_int_equal(p.len, len);
}

static void expect_prefix_error(const char *s, const char *what)
{
	struct diag_prefix p;
	struct diag_error err = {0};

	assert_int_equal(prefix_parse(s, false, &p, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_USAGE);
	assert_string_equal(err.where, s);
	if (strcmp(err.what, what) != 0)
		fail_msg("%s: error \"%s\", want \"%s\"", s, err.what, what);
}

static void test_prefix_parse(void **state)
{
	(void)state;
	expect_prefix("10.0.0.0/24", false, "10.0.0.0", 24);
	expect_prefix("0.0.0.0/0", false, "0.0.0.0", 0);
	expect_prefix("10.1.2.3/32", false, "10.1.2.3", 32);
	expect_prefix("10.0.0.128/25", false, "10.0.0.128", 25);
	expect_prefix("172.16.0.0/12", false, "172.16.0.0", 12);
	expect_prefix("2001:db8::/32", false, "2001:db8::", 32);
	expect_prefix("::/0", false, "::", 0);
	expect_prefix("::1/128", false, "::1", 128);
	expect_prefix("2001:db8::/127", false, "2001:db8::", 127);
	/* allowed host bits are cleared */
	expect_prefix("10.0.0.77/24", true, "10.0.0.0", 24);
	expect_prefix("2001:db8::1234/120", true, "2001:db8::1200", 120);
}

static void test_prefix_host_bits(void **state)
{
	(void)state;
	expect_prefix_error("10.0.0.1/24", "host bits set (did you mean 10.0.0.0/24?)");
	expect_prefix_error("10.0.0.64/25", "host bits set (did you mean 10.0.0.0/25?)");
	expect_prefix_error("192.168.1.1/16", "host bits set (did you mean 192.168.0.0/16?)");
	expect_prefix_error("1.0.0.0/0", "host bits set (did you mean 0.0.0.0/0?)");
	expect_prefix_error("2001:db8::1/64", "host bits set (did you mean 2001:db8::/64?)");
}

static void test_prefix_errors(void **state)
{
	char longspec[100];

	(void)state;
	expect_prefix_error("10.0.0.0/33", "invalid prefix length '33' (0-32)");
	expect_prefix_error("::/129", "invalid prefix length '129' (0-128)");
	expect_prefix_error("10.0.0.0/", "invalid prefix length '' (0-32)");
	expect_prefix_error("10.0.0.0/-1", "invalid prefix length '-1' (0-32)");
	expect_prefix_error("10.0.0.0/+8", "invalid prefix length '+8' (0-32)");
	expect_prefix_error("10.0.0.0/8x", "invalid prefix length '8x' (0-32)");
	expect_prefix_error("10.0.0.0/24/5", "invalid prefix length '24/5' (0-32)");
	expect_prefix_error("10.0.0.0/99999999999999999999999",
			    "invalid prefix length '99999999999999999999999' (0-32)");
	expect_prefix_error("10.0.0.0", "not a prefix (want ADDRESS/LENGTH)");
	expect_prefix_error("10.0.0/8", "invalid address '10.0.0'");
	expect_prefix_error("/8", "invalid address ''");
	memset(longspec, '1', sizeof longspec - 1);
	longspec[sizeof longspec - 1] = '\0';
	expect_prefix_error(longspec, "prefix too long");
}

static void test_prefix_null_err(void **state)
{
	struct diag_prefix p;

	(void)state;
	assert_int_equal(prefix_parse("10.0.0.1/24", false, &p, NULL), -1);
	assert_int_equal(prefix_parse("10.0.0.0/24", false, &p, NULL), 0);
}

static void test_prefix_range_contains(void **state)
{
	struct diag_prefix p;
	struct diag_range r;
	struct diag_addr in = A("10.0.0.3"), out = A("10.0.0.4"), v6 = A("::a00:1");

	(void)state;
	assert_int_equal(prefix_parse("10.0.0.0/30", false, &p, NULL), 0);
	prefix_range(&p, &r);
	assert_addr(&r.first, "10.0.0.0");
	assert_addr(&r.last, "10.0.0.3");
	assert_int_equal(range_size(&r), 4);
	assert_true(prefix_contains(&p, &in));
	assert_false(prefix_contains(&p, &out));
	assert_false(prefix_contains(&p, &v6));

	assert_int_equal(prefix_parse("2001:db8::/126", false, &p, NULL), 0);
	prefix_range(&p, &r);
	assert_addr(&r.first, "2001:db8::");
	assert_addr(&r.last, "2001:db8::3");

	assert_int_equal(prefix_parse("0.0.0.0/0", false, &p, NULL), 0);
	prefix_range(&p, &r);
	assert_addr(&r.last, "255.255.255.255");
	assert_true(prefix_contains(&p, &in));
	assert_false(prefix_contains(&p, &v6));
}

/* ---- ranges ------------------------------------------------------------------------ */

static void expect_range(const char *s, const char *first, const char *last, uint64_t size)
{
	struct diag_range r;
	struct diag_error err = {0};

	if (range_parse(s, &r, &err) != 0)
		fail_msg("%s: unexpected error %s", s, err.what);
	assert_addr(&r.first, first);
	assert_addr(&r.last, last);
	assert_true(range_size(&r) == size);
}

static void expect_range_error(const char *s, const char *what)
{
	struct diag_range r;
	struct diag_error err = {0};

	assert_int_equal(range_parse(s, &r, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_USAGE);
	assert_string_equal(err.where, s);
	if (strcmp(err.what, what) != 0)
		fail_msg("%s: error \"%s\", want \"%s\"", s, err.what, what);
}

static void test_range_parse(void **state)
{
	(void)state;
	expect_range("10.0.0.1-10.0.0.5", "10.0.0.1", "10.0.0.5", 5);
	expect_range("10.0.0.1-50", "10.0.0.1", "10.0.0.50", 50);
	expect_range("10.0.0.7-7", "10.0.0.7", "10.0.0.7", 1);
	expect_range("10.0.0.0-255", "10.0.0.0", "10.0.0.255", 256);
	expect_range("10.0.0.250-10.0.1.5", "10.0.0.250", "10.0.1.5", 12);
	expect_range("2001:db8::1-2001:db8::ff", "2001:db8::1", "2001:db8::ff", 255);
	expect_range("0.0.0.0-255.255.255.255", "0.0.0.0", "255.255.255.255", 1ull << 32);
}

static void test_range_errors(void **state)
{
	(void)state;
	expect_range_error("10.0.0.50-10.0.0.1", "range ends before it starts");
	expect_range_error("10.0.0.50-1", "range ends before it starts");
	expect_range_error("10.0.0.1-2001:db8::1", "range mixes IPv4 and IPv6");
	expect_range_error("2001:db8::1-10.0.0.1", "range mixes IPv4 and IPv6");
	expect_range_error("10.0.0.1-256", "invalid address '256'");
	expect_range_error("10.0.0.1-0050", "invalid address '0050'");
	expect_range_error("10.0.0.1-", "invalid address ''");
	expect_range_error("10.0.0.1-x", "invalid address 'x'");
	expect_range_error("2001:db8::1-ff", "invalid address 'ff'"); /* shorthand is IPv4 only */
	expect_range_error("-10.0.0.1", "invalid address ''");
	expect_range_error("10.0.0-10.0.0.5", "invalid address '10.0.0'");
	expect_range_error("10.0.0.1", "not a range (want FIRST-LAST)");
}

static void test_range_size(void **state)
{
	struct diag_prefix p;
	struct diag_range r;

	(void)state;
	r.first = A("::");
	r.last = A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	assert_true(range_size(&r) == UINT64_MAX); /* 2^128 saturates */
	assert_int_equal(prefix_parse("2001:db8::/64", false, &p, NULL), 0);
	prefix_range(&p, &r);
	assert_true(range_size(&r) == UINT64_MAX); /* 2^64 is one too many */
	assert_int_equal(prefix_parse("2001:db8::/65", false, &p, NULL), 0);
	prefix_range(&p, &r);
	assert_true(range_size(&r) == 1ull << 63);
	/* 2^64 - 1 addresses fit exactly */
	r.first = A("::1");
	r.last = A("::ffff:ffff:ffff:ffff");
	assert_true(range_size(&r) == UINT64_MAX);
	r.last = A("::ffff:ffff:ffff:fffe");
	assert_true(range_size(&r) == UINT64_MAX - 1);
	/* a reversed range built by hand is empty, not huge */
	r.first = A("10.0.0.2");
	r.last = A("10.0.0.1");
	assert_true(range_size(&r) == 0);
}

/* ---- arithmetic -------------------------------------------------------------------- */

static void test_addr_next(void **state)
{
	struct diag_addr a = A("10.0.0.254");
	static const uint8_t zero[12] = {0};

	(void)state;
	assert_true(addr_next(&a));
	assert_addr(&a, "10.0.0.255");
	assert_true(addr_next(&a));
	assert_addr(&a, "10.0.1.0");
	a = A("10.255.255.255");
	assert_true(addr_next(&a));
	assert_addr(&a, "11.0.0.0");
	a = A("255.255.255.255");
	assert_false(addr_next(&a)); /* wrapped */
	assert_addr(&a, "0.0.0.0");
	assert_memory_equal(a.b + 4, zero, 12); /* never carried into the unused bytes */

	a = A("2001:db8::ffff");
	assert_true(addr_next(&a));
	assert_addr(&a, "2001:db8::1:0");
	a = A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	assert_false(addr_next(&a));
	assert_addr(&a, "::");
}

/* ---- predicates -------------------------------------------------------------------- */

static void test_multicast_broadcast(void **state)
{
	static const char *const mcast[] = {"224.0.0.1", "239.255.255.255", "233.1.2.3",
					    "ff02::1", "ff05::1:3"};
	static const char *const not_mcast[] = {"223.255.255.255", "240.0.0.0", "10.0.0.1",
						"255.255.255.255", "fe80::1", "::"};

	(void)state;
	for (size_t i = 0; i < sizeof mcast / sizeof *mcast; i++) {
		struct diag_addr a = A(mcast[i]);

		if (!addr_is_multicast(&a))
			fail_msg("%s should be multicast", mcast[i]);
	}
	for (size_t i = 0; i < sizeof not_mcast / sizeof *not_mcast; i++) {
		struct diag_addr a = A(not_mcast[i]);

		if (addr_is_multicast(&a))
			fail_msg("%s should not be multicast", not_mcast[i]);
	}
	struct diag_addr b = A("255.255.255.255"), c = A("10.255.255.255"),
			 d = A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");

	assert_true(addr_is_limited_broadcast(&b));
	assert_false(addr_is_limited_broadcast(&c));
	assert_false(addr_is_limited_broadcast(&d));
}

static void test_private(void **state)
{
	static const char *const priv[] = {
		"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.1",
		"100.64.0.1", "100.127.255.255", "169.254.169.254", "127.0.0.1",
		"fd00::1", "fc00::", "fe80::1", "::1",
	};
	static const char *const pub[] = {
		"8.8.8.8", "172.15.255.255", "172.32.0.0", "192.169.0.1", "100.63.255.255",
		"100.128.0.0", "11.0.0.0", "52.95.1.10", "2001:db8::1", "2600::1", "fec0::1", "::",
	};

	(void)state;
	for (size_t i = 0; i < sizeof priv / sizeof *priv; i++) {
		struct diag_addr a = A(priv[i]);

		if (!addr_is_private(&a))
			fail_msg("%s should be private", priv[i]);
	}
	for (size_t i = 0; i < sizeof pub / sizeof *pub; i++) {
		struct diag_addr a = A(pub[i]);

		if (addr_is_private(&a))
			fail_msg("%s should not be private", pub[i]);
	}
}

static void test_sockaddr_round_trip(void **state)
{
	struct sockaddr_storage ss;
	struct diag_addr a = A("192.0.2.7"), back;
	uint16_t port = 0;
	socklen_t len;

	(void)state;
	len = addr_to_sockaddr(&a, 4500, &ss);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_int_equal(((struct sockaddr_in *)&ss)->sin_port, htons(4500));
	assert_true(addr_from_sockaddr((struct sockaddr *)&ss, &back, &port));
	assert_true(addr_eq(&a, &back));
	assert_int_equal(port, 4500);

	a = A("2001:db8::7");
	len = addr_to_sockaddr(&a, 500, &ss);
	assert_int_equal(len, sizeof(struct sockaddr_in6));
	assert_true(addr_from_sockaddr((struct sockaddr *)&ss, &back, NULL));
	assert_true(addr_eq(&a, &back));

	memset(&ss, 0, sizeof ss);
	ss.ss_family = AF_UNIX;
	assert_false(addr_from_sockaddr((struct sockaddr *)&ss, &back, &port));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4),
		cmocka_unit_test(test_parse_v6),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_prefix_parse),
		cmocka_unit_test(test_prefix_host_bits),
		cmocka_unit_test(test_prefix_errors),
		cmocka_unit_test(test_prefix_null_err),
		cmocka_unit_test(test_prefix_range_contains),
		cmocka_unit_test(test_range_parse),
		cmocka_unit_test(test_range_errors),
		cmocka_unit_test(test_range_size),
		cmocka_unit_test(test_addr_next),
		cmocka_unit_test(test_multicast_broadcast),
		cmocka_unit_test(test_private),
		cmocka_unit_test(test_sockaddr_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
