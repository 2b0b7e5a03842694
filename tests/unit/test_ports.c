/* Port lists as people type them, and the errors they get when they type them wrong. */
#include <netdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libdiag/ports.h"

static struct port_list *new_list(void)
{
	struct port_list *pl = calloc(1, sizeof *pl); /* 4 KiB: keep it off the stack */

	assert_non_null(pl);
	return pl;
}

/* Parses spec into a fresh list and checks the ports come out in order. */
static void expect_ports(const char *spec, const char *proto, const uint16_t *want,
			 size_t n)
{
	struct port_list *pl = new_list();
	struct diag_error err = {0};

	if (ports_parse(pl, spec, proto, &err) != 0)
		fail_msg("%s: unexpected error %s", spec, err.what);
	if (pl->count != n)
		fail_msg("%s: %llu ports, want %zu", spec, (unsigned long long)pl->count, n);
	for (size_t i = 0; i < n; i++)
		if (ports_at(pl, i) != want[i])
			fail_msg("%s: port %zu is %u, want %u", spec, i, ports_at(pl, i), want[i]);
	assert_int_equal(ports_at(pl, n), 0); /* past the end */
	free(pl);
}

static void expect_error(const char *spec, const char *proto, const char *what)
{
	struct port_list *pl = new_list();
	struct diag_error err = {0};

	assert_int_equal(ports_parse(pl, spec, proto, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_USAGE);
	if (strcmp(err.what, what) != 0)
		fail_msg("\"%s\": error \"%s\", want \"%s\"", spec, err.what, what);
	assert_int_equal(pl->n, 0);
	assert_int_equal(pl->count, 0);
	free(pl);
}

#define EXPECT(spec, ...)                                                                  \
	do {                                                                               \
		static const uint16_t w_[] = {__VA_ARGS__};                                \
		expect_ports(spec, "tcp", w_, sizeof w_ / sizeof *w_);                     \
	} while (0)

static void test_single_and_lists(void **state)
{
	(void)state;
	EXPECT("22", 22);
	EXPECT("1", 1);
	EXPECT("65535", 65535);
	EXPECT("22,80,443", 22, 80, 443);
	EXPECT("443,80,22", 443, 80, 22); /* order kept, as nc probes in the order given */
	EXPECT("80,80", 80, 80);          /* duplicates kept and counted */
	EXPECT("0022", 22);
}

static void test_ranges(void **state)
{
	struct port_list *pl = new_list();

	(void)state;
	EXPECT("8000-8003", 8000, 8001, 8002, 8003);
	EXPECT("500-500", 500);
	EXPECT("22,4500-4501,500", 22, 4500, 4501, 500);
	EXPECT("65534-65535", 65534, 65535);

	assert_int_equal(ports_parse(pl, "1-65535", "tcp", NULL), 0);
	assert_int_equal(pl->n, 1);
	assert_true(pl->count == 65535);
	assert_int_equal(ports_at(pl, 0), 1);
	assert_int_equal(ports_at(pl, 65534), 65535);
	assert_int_equal(ports_at(pl, 65535), 0);
	free(pl);
}

/* A second call appends; a failed call leaves the list as it was. */
static void test_append_and_unchanged_on_error(void **state)
{
	struct port_list *pl = new_list();
	struct diag_error err = {0};

	(void)state;
	assert_int_equal(ports_parse(pl, "22", "tcp", &err), 0);
	assert_int_equal(ports_parse(pl, "80-81", "tcp", &err), 0);
	assert_int_equal(pl->n, 2);
	assert_true(pl->count == 3);
	assert_int_equal(ports_parse(pl, "443,444,x", "tcp", &err), -1);
	assert_int_equal(pl->n, 2);
	assert_true(pl->count == 3);
	assert_int_equal(ports_parse(pl, "443,500-400", "tcp", NULL), -1);
	assert_int_equal(ports_parse(pl, "443,", "tcp", NULL), -1);
	assert_int_equal(pl->n, 2);
	assert_true(pl->count == 3);
	assert_int_equal(ports_at(pl, 2), 81);
	free(pl);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("", "tcp", "empty port list");
	expect_error("0", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("65536", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("99999999999999999999", "tcp",
		     "invalid port (1-65535 or a service name)");
	expect_error("1-", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("0-5", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("1-65536", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("-5", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("x", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("0x50", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("+80", "tcp", "invalid port (1-65535 or a service name)");
	expect_error(" 80", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("80 ", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("22-http", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("no/such", "tcp", "invalid port (1-65535 or a service name)");
	expect_error(",", "tcp", "invalid port list (empty element)");
	expect_error("80,", "tcp", "invalid port list (empty element)");
	expect_error(",80", "tcp", "invalid port list (empty element)");
	expect_error("80,,81", "tcp", "invalid port list (empty element)");
	expect_error("100-10", "tcp", "port range '100-10' ends before it starts");
	expect_error("22,100-10", "tcp", "port range '100-10' ends before it starts");
}

/* The message names the element even when it is too long to copy. */
static void test_long_element(void **state)
{
	struct port_list *pl = new_list();
	struct diag_error err = {0};
	char spec[200];

	(void)state;
	memset(spec, '9', sizeof spec - 1);
	spec[sizeof spec - 1] = '\0';
	assert_int_equal(ports_parse(pl, spec, "tcp", &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_USAGE);
	assert_null(strstr(err.what, "empty element"));
	assert_non_null(strstr(err.what, "invalid port '9999"));
	assert_int_equal(pl->n, 0);
	free(pl);
}

static void test_where(void **state)
{
	struct port_list *pl = new_list();
	struct diag_error err = {0};

	(void)state;
	assert_int_equal(ports_parse(pl, "22,x", "tcp", &err), -1);
	assert_string_equal(err.where, "22,x");
	diag_error_clear(&err);
	assert_int_equal(ports_parse(pl, "", "tcp", &err), -1);
	assert_string_equal(err.where, "port");
	free(pl);
}

/* Service names depend on /etc/services (Debian's netbase); without it, skip. */
static void test_service_names(void **state)
{
	(void)state;
	if (!getservbyname("http", "tcp") || !getservbyname("isakmp", "udp"))
		skip();
	EXPECT("http", 80);
	EXPECT("https,ssh", 443, 22);
	EXPECT("www", 80);           /* an alias */
	EXPECT("http-alt", 8080);    /* a dash inside a name is not a range */
	EXPECT("22,http,8000-8001", 22, 80, 8000, 8001);
	{
		static const uint16_t w[] = {500, 4500};

		expect_ports("isakmp,ipsec-nat-t", "udp", w, 2);
	}
	expect_error("isakmp", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("ssh-http", "tcp", "invalid port (1-65535 or a service name)");
	expect_error("nosuchservice", "tcp",
		     "invalid port (1-65535 or a service name)");
}

static void test_max_ranges(void **state)
{
	struct port_list *pl = new_list();
	struct diag_error err = {0};
	char *spec = malloc(PORT_RANGES_MAX * 6 + 16);
	size_t off = 0;

	(void)state;
	assert_non_null(spec);
	for (int i = 1; i <= PORT_RANGES_MAX; i++)
		off += (size_t)sprintf(spec + off, "%s%d", i > 1 ? "," : "", i);
	assert_int_equal(ports_parse(pl, spec, "tcp", &err), 0);
	assert_int_equal(pl->n, PORT_RANGES_MAX);
	assert_int_equal(ports_at(pl, PORT_RANGES_MAX - 1), PORT_RANGES_MAX);
	assert_int_equal(ports_parse(pl, "2000", "tcp", &err), -1);
	assert_string_equal(err.what, "more than 1024 port ranges");
	assert_int_equal(pl->n, PORT_RANGES_MAX);

	memset(pl, 0, sizeof *pl);
	diag_error_clear(&err);
	sprintf(spec + off, ",%d", PORT_RANGES_MAX + 1);
	assert_int_equal(ports_parse(pl, spec, "tcp", &err), -1);
	assert_string_equal(err.what, "more than 1024 port ranges");
	assert_int_equal(pl->n, 0);
	assert_int_equal(pl->count, 0);
	free(spec);
	free(pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_and_lists),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_append_and_unchanged_on_error),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_long_element),
		cmocka_unit_test(test_where),
		cmocka_unit_test(test_service_names),
		cmocka_unit_test(test_max_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
