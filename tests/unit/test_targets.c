/* The target iterator: what each kind of spec expands to (and what it must skip or
 * refuse), files with comments and file:line errors, limits, and targets_count. No test
 * resolves a name through DNS. */
#include <arpa/inet.h>
#include <netdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libdiag/targets.h"

struct run {
	int rc;           /* last target_iter_next result */
	size_t n;         /* targets emitted */
	char out[8192];   /* "addr:port addr:port ..." (the first ones, if many) */
	struct diag_error err;
};

struct spec {
	const char *ports;
	char *argv[4];
	int argc;
	const char *file;      /* contents, read through fmemopen; NULL for none */
	const char *file_name;
	struct target_opts opts;
};

static struct port_list *parse_ports(const char *spec)
{
	struct port_list *pl = calloc(1, sizeof *pl);

	assert_non_null(pl);
	if (spec && ports_parse(pl, spec, "tcp", NULL) != 0)
		fail_msg("test ports %s do not parse", spec);
	return pl;
}

static FILE *open_text(const char *text, char **copy)
{
	FILE *fp;

	*copy = strdup(text);
	assert_non_null(*copy);
	fp = fmemopen(*copy, strlen(*copy), "r");
	assert_non_null(fp);
	return fp;
}

/* Runs the iterator to its end or first error. */
static void run(const struct spec *s, struct run *r)
{
	struct port_list *pl = parse_ports(s->ports);
	struct target_iter it;
	struct target t;
	char *copy = NULL;
	FILE *fp = s->file ? open_text(s->file, &copy) : NULL;
	size_t off = 0;

	memset(r, 0, sizeof *r);
	target_iter_init(&it, &s->opts, pl, s->argv, s->argc, fp, s->file_name);
	while ((r->rc = target_iter_next(&it, &t, &r->err)) == 1) {
		char a[ADDR_STRLEN];

		if (t.name)
			fail_msg("numeric spec gave a name %s", t.name);
		assert_null(t.resolve_error);
		if (off < sizeof r->out - 64)
			off += (size_t)snprintf(r->out + off, sizeof r->out - off, "%s%s:%u",
						off ? " " : "", addr_str(&t.addr, a), t.port);
		r->n++;
	}
	if (fp)
		fclose(fp);
	free(copy);
	free(pl);
}

static void expect_targets(const struct spec *s, const char *want)
{
	struct run r;

	run(s, &r);
	if (r.rc != 0)
		fail_msg("%s: unexpected error %s: %s", s->argv[0] ? s->argv[0] : "file",
			 r.err.where, r.err.what);
	if (strcmp(r.out, want) != 0)
		fail_msg("%s:\n got  %s\n want %s", s->argv[0] ? s->argv[0] : "file", r.out, want);
}

static void expect_error(const struct spec *s, enum diag_exit code, const char *where,
			 const char *what)
{
	struct run r;

	run(s, &r);
	assert_int_equal(r.rc, -1);
	if (r.err.code != code || strcmp(r.err.where, where) != 0 || strcmp(r.err.what, what) != 0)
		fail_msg("got %d \"%s: %s\", want %d \"%s: %s\"", r.err.code, r.err.where,
			 r.err.what, code, where, what);
}

#define ONE(spec_str, port_str) {.ports = port_str, .argv = {spec_str}, .argc = 1}

/* ---- expansion --------------------------------------------------------------------- */

static void test_cidr(void **state)
{
	const struct spec s30 = ONE("10.0.0.0/30", "80"), s31 = ONE("10.0.0.0/31", "80"),
			  s32 = ONE("10.0.0.9/32", "80"), s29 = ONE("10.0.0.0/29", "80"),
			  host_bits = ONE("10.0.0.6/30", "80");

	(void)state;
	/* the network and broadcast addresses of a swept subnet are skipped */
	expect_targets(&s30, "10.0.0.1:80 10.0.0.2:80");
	expect_targets(&s29, "10.0.0.1:80 10.0.0.2:80 10.0.0.3:80 10.0.0.4:80 10.0.0.5:80 "
			     "10.0.0.6:80");
	/* a /31 is a point-to-point link (RFC 3021): both addresses are hosts */
	expect_targets(&s31, "10.0.0.0:80 10.0.0.1:80");
	expect_targets(&s32, "10.0.0.9:80");
	/* a target spec may name any host of the subnet (10.0.0.4/30 here) */
	expect_targets(&host_bits, "10.0.0.5:80 10.0.0.6:80");
}

static void test_ipv6_cidr(void **state)
{
	const struct spec s = ONE("2001:db8::/126", "443"), one = ONE("2001:db8::5", "443");

	(void)state;
	/* IPv6 has no broadcast address: all four are targets */
	expect_targets(&s, "2001:db8:::443 2001:db8::1:443 2001:db8::2:443 2001:db8::3:443");
	expect_targets(&one, "2001:db8::5:443");
}

static void test_ranges(void **state)
{
	const struct spec shorthand = ONE("10.0.0.1-3", "22"),
			  full = ONE("10.0.0.254-10.0.1.1", "22"),
			  v6 = ONE("2001:db8::fe-2001:db8::101", "22");

	(void)state;
	expect_targets(&shorthand, "10.0.0.1:22 10.0.0.2:22 10.0.0.3:22");
	/* a range is taken literally: .255 and .0 are not skipped */
	expect_targets(&full, "10.0.0.254:22 10.0.0.255:22 10.0.1.0:22 10.0.1.1:22");
	expect_targets(&v6, "2001:db8::fe:22 2001:db8::ff:22 2001:db8::100:22 2001:db8::101:22");
}

static void test_lists_and_ports(void **state)
{
	const struct spec commas = ONE("10.0.0.1,10.0.0.3", "22,80"),
			  spaces = ONE(" 10.0.0.1  10.0.0.3 ,", "22"),
			  args = {.ports = "8000-8001,22",
				  .argv = {"10.0.0.1", "10.0.0.2/32,10.0.0.7-7"},
				  .argc = 2};

	(void)state;
	/* addresses outside, ports inside, each in the order given */
	expect_targets(&commas, "10.0.0.1:22 10.0.0.1:80 10.0.0.3:22 10.0.0.3:80");
	expect_targets(&spaces, "10.0.0.1:22 10.0.0.3:22");
	expect_targets(&args, "10.0.0.1:8000 10.0.0.1:8001 10.0.0.1:22 "
			      "10.0.0.2:8000 10.0.0.2:8001 10.0.0.2:22 "
			      "10.0.0.7:8000 10.0.0.7:8001 10.0.0.7:22");
}

static void test_empty_sources(void **state)
{
	const struct spec none = {.ports = "80"}, blank = ONE(" , ", "80");

	(void)state;
	expect_targets(&none, "");
	expect_targets(&blank, "");
}

static void test_no_ports(void **state)
{
	const struct spec s = ONE("10.0.0.1", NULL);

	(void)state;
	expect_error(&s, DIAG_EXIT_USAGE, "port", "no ports given");
}

/* ---- files ------------------------------------------------------------------------- */

static void test_file(void **state)
{
	const struct spec s = {
		.ports = "500",
		.file = "# targets across the tunnel\n"
			"10.0.0.1\n"
			"\n"
			"   # indented comment\n"
			"10.0.0.2, 10.0.0.3   # trailing comment, 10.9.9.9\n"
			"\t10.0.1.0/30\r\n"
			"2001:db8::1-2001:db8::2\n"
			"10.0.2.1", /* no final newline */
		.file_name = "targets.txt",
	};

	(void)state;
	expect_targets(&s, "10.0.0.1:500 10.0.0.2:500 10.0.0.3:500 10.0.1.1:500 10.0.1.2:500 "
			   "2001:db8::1:500 2001:db8::2:500 10.0.2.1:500");
}

static void test_file_bad_line(void **state)
{
	const struct spec bad = {.ports = "80",
				 .file = "# header\n10.0.0.1\n\n10.0.0.2 bogus!!\n10.0.0.3\n",
				 .file_name = "targets.txt"};
	const struct spec bad_prefix = {.ports = "80", .file = "10.0.0.0/33\n",
					.file_name = "-"};
	struct run r;

	(void)state;
	expect_error(&bad, DIAG_EXIT_DATAERR, "targets.txt:4",
		     "invalid target (want a name, address, CIDR or range)");
	run(&bad, &r);
	assert_int_equal(r.n, 2); /* what came before the bad word was emitted */
	/* "-" is named stdin */
	expect_error(&bad_prefix, DIAG_EXIT_DATAERR, "stdin:1", "invalid prefix length '33' (0-32)");
}

static void test_file_long_line(void **state)
{
	char *text = malloc(2100);
	struct spec s = {.ports = "80", .file_name = "big.txt"};

	(void)state;
	assert_non_null(text);
	strcpy(text, "10.0.0.1\n");
	memset(text + 9, ' ', 2000);
	strcpy(text + 2009, "10.0.0.2\n");
	s.file = text;
	expect_error(&s, DIAG_EXIT_DATAERR, "big.txt:2", "line longer than 1022 bytes");
	free(text);
}

/* Arguments come first, then the file; each error names its own source. */
static void test_args_then_file(void **state)
{
	const struct spec ok = {.ports = "80", .argv = {"10.0.0.1"}, .argc = 1,
				.file = "10.0.0.2\n", .file_name = "t.txt"};
	const struct spec bad_arg = {.ports = "80", .argv = {"10.0.0.1,10.0.0.0/33"}, .argc = 1,
				     .file = "10.0.0.2\n", .file_name = "t.txt"};
	const struct spec bad_file = {.ports = "80", .argv = {"10.0.0.1"}, .argc = 1,
				      .file = "10.0.0.2\nx!\n", .file_name = "t.txt"};

	(void)state;
	expect_targets(&ok, "10.0.0.1:80 10.0.0.2:80");
	/* the last argument is still an argument (usage error, named by itself) */
	expect_error(&bad_arg, DIAG_EXIT_USAGE, "10.0.0.0/33", "invalid prefix length '33' (0-32)");
	expect_error(&bad_file, DIAG_EXIT_DATAERR, "t.txt:2",
		     "invalid target (want a name, address, CIDR or range)");
}

/* ---- refusals ---------------------------------------------------------------------- */

static void test_bad_specs(void **state)
{
	const struct spec bad_prefix = ONE("10.0.0.0/33", "80"),
			  bad_range = ONE("10.0.0.9-10.0.0.1", "80"),
			  junk = ONE("bogus!!", "80"), mixed = ONE("10.0.0.1-::1", "80");
	char longarg[1100];
	struct spec too_long = {.ports = "80", .argv = {longarg}, .argc = 1};

	(void)state;
	expect_error(&bad_prefix, DIAG_EXIT_USAGE, "10.0.0.0/33",
		     "invalid prefix length '33' (0-32)");
	expect_error(&bad_range, DIAG_EXIT_USAGE, "10.0.0.9-10.0.0.1",
		     "range ends before it starts");
	expect_error(&junk, DIAG_EXIT_USAGE, "bogus!!",
		     "invalid target (want a name, address, CIDR or range)");
	expect_error(&mixed, DIAG_EXIT_USAGE, "10.0.0.1-::1", "range mixes IPv4 and IPv6");
	memset(longarg, 'a', sizeof longarg - 1);
	longarg[sizeof longarg - 1] = '\0';
	expect_error(&too_long, DIAG_EXIT_USAGE, "target", "argument too long");
}

static void test_multicast_broadcast_refused(void **state)
{
	static const char *const mcast[] = {
		"224.0.0.1", "239.255.255.255", "224.0.0.0/30", "223.255.255.254-224.0.0.1",
		"0.0.0.0/0", "ff02::1", "ff00::/8", "::/0",
	};
	static const char *const bcast[] = {
		"255.255.255.255", "255.255.255.0/24", "255.255.255.254-255",
	};

	(void)state;
	for (size_t i = 0; i < sizeof mcast / sizeof *mcast; i++) {
		struct spec s = {.ports = "80", .argv = {(char *)mcast[i]}, .argc = 1};

		expect_error(&s, DIAG_EXIT_USAGE, mcast[i], "multicast targets are refused");
	}
	for (size_t i = 0; i < sizeof bcast / sizeof *bcast; i++) {
		struct spec s = {.ports = "80", .argv = {(char *)bcast[i]}, .argc = 1};

		expect_error(&s, DIAG_EXIT_USAGE, bcast[i], "broadcast targets are refused");
	}
	/* neighbours of the refused blocks are fine */
	const struct spec edge = ONE("223.255.255.255,240.0.0.1,255.255.255.254", "80");

	expect_targets(&edge, "223.255.255.255:80 240.0.0.1:80 255.255.255.254:80");
}

static void test_family_mismatch(void **state)
{
	struct spec v6_with_4 = ONE("2001:db8::1", "80"), v4_with_6 = ONE("10.0.0.0/30", "80"),
		    v4_ok = ONE("10.0.0.1", "80"), file = {.ports = "80", .file = "::1\n",
							  .file_name = "f"};

	(void)state;
	v6_with_4.opts.family = AF_INET;
	v4_with_6.opts.family = AF_INET6;
	v4_ok.opts.family = AF_INET;
	file.opts.family = AF_INET;
	expect_error(&v6_with_4, DIAG_EXIT_USAGE, "2001:db8::1", "IPv6 address with -4");
	expect_error(&v4_with_6, DIAG_EXIT_USAGE, "10.0.0.0/30", "IPv4 address with -6");
	expect_targets(&v4_ok, "10.0.0.1:80");
	expect_error(&file, DIAG_EXIT_DATAERR, "f:1", "IPv6 address with -4");
}

static void test_numeric_refuses_names(void **state)
{
	struct spec s = ONE("vpn.example.com", "80");

	(void)state;
	s.opts.numeric = true;
	expect_error(&s, DIAG_EXIT_USAGE, "vpn.example.com", "a name with -n (numeric only)");
}

/* A name resolved from /etc/hosts (no DNS): skipped where localhost is not listed. */
static void test_name_localhost(void **state)
{
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res = NULL;
	struct port_list *pl = parse_ports("22");
	struct target_opts o = {.family = AF_INET};
	char *argv[] = {"localhost"};
	struct target_iter it;
	struct target t;
	char a[ADDR_STRLEN];

	(void)state;
	if (getaddrinfo("localhost", NULL, &hints, &res) != 0) {
		free(pl);
		skip();
	}
	freeaddrinfo(res);
	target_iter_init(&it, &o, pl, argv, 1, NULL, NULL);
	assert_int_equal(target_iter_next(&it, &t, NULL), 1);
	assert_string_equal(t.name, "localhost");
	assert_null(t.resolve_error);
	assert_string_equal(addr_str(&t.addr, a), "127.0.0.1");
	assert_int_equal(t.port, 22);
	assert_int_equal(target_iter_next(&it, &t, NULL), 0);
	free(pl);
}

/* ---- limits ------------------------------------------------------------------------ */

static void test_max_targets(void **state)
{
	struct spec s = ONE("10.0.0.0/29", "80,443");
	struct run r;

	(void)state;
	s.opts.max_targets = 5;
	run(&s, &r);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.n, 5);
	assert_string_equal(r.out, "10.0.0.1:80 10.0.0.1:443 10.0.0.2:80 10.0.0.2:443 10.0.0.3:80");
	assert_int_equal(r.err.code, DIAG_EXIT_USAGE);
	assert_string_equal(r.err.what, "more than 5 targets; raise the limit with --max-targets");

	s.opts.max_targets = 12; /* exactly enough */
	run(&s, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 12);
}

static void test_default_max_targets(void **state)
{
	const struct spec fits = ONE("10.0.0.0/16", "80"), too_many = ONE("10.0.0.0/15", "80");
	struct run r;

	(void)state;
	run(&fits, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 65534);
	run(&too_many, &r);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.n, TARGETS_DEFAULT_MAX);
	assert_string_equal(r.err.what,
			    "more than 65536 targets; raise the limit with --max-targets");
}

/* Errors must not depend on the caller passing an error struct. */
static void test_null_err(void **state)
{
	struct port_list *pl = parse_ports("80");
	char *argv_bad[] = {"bogus!!"};
	char longarg[1100];
	char *argv_long[] = {longarg};
	struct target_opts o = {0};
	struct target_iter it;
	struct target t;
	uint64_t n = 0;

	(void)state;
	target_iter_init(&it, &o, pl, argv_bad, 1, NULL, NULL);
	assert_int_equal(target_iter_next(&it, &t, NULL), -1);
	memset(longarg, 'a', sizeof longarg - 1);
	longarg[sizeof longarg - 1] = '\0';
	target_iter_init(&it, &o, pl, argv_long, 1, NULL, NULL);
	assert_int_equal(target_iter_next(&it, &t, NULL), -1);
	assert_int_equal(targets_count(argv_bad, 1, NULL, NULL, &o, pl, &n, NULL), -1);
	assert_int_equal(targets_count(argv_long, 1, NULL, NULL, &o, pl, &n, NULL), -1);
	free(pl);
}

/* ---- targets_count ----------------------------------------------------------------- */

static int count(const struct spec *s, uint64_t *n, struct diag_error *err)
{
	struct port_list *pl = parse_ports(s->ports);
	char *copy = NULL;
	FILE *fp = s->file ? open_text(s->file, &copy) : NULL;
	int rc = targets_count(s->argv, s->argc, fp, s->file_name, &s->opts, pl, n, err);

	if (fp)
		fclose(fp);
	free(copy);
	free(pl);
	return rc;
}

static void test_count(void **state)
{
	const struct spec mix = {.ports = "22,80-81",
				 .argv = {"10.0.0.0/30,10.0.0.1-10", "2001:db8::/126", "a.example"},
				 .argc = 3,
				 .file = "# more\n10.0.0.0/31 10.0.0.9/32\n",
				 .file_name = "t"};
	struct spec big = ONE("10.0.0.0/8", "1-2"), huge = ONE("2001:db8::/64", "80");
	const struct spec none = {.ports = "80"}, no_ports = ONE("10.0.0.0/24", NULL);
	struct diag_error err = {0};
	uint64_t n = 0;

	(void)state;
	/* Above the default limit the count fails, naming the spec that crossed it. */
	assert_int_equal(count(&big, &n, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_USAGE);
	assert_string_equal(err.where, "10.0.0.0/8");
	assert_string_equal(err.what, "33554428 targets (addresses x ports) exceed the limit "
				      "of 65536; raise it with --max-targets");
	big.opts.max_targets = huge.opts.max_targets = UINT64_MAX;
	/* (2 + 10 + 4 + 1 name + 2 + 1) addresses x 3 ports; names are not resolved */
	assert_int_equal(count(&mix, &n, NULL), 0);
	assert_true(n == 20 * 3);
	assert_int_equal(count(&big, &n, NULL), 0);
	assert_true(n == ((1ull << 24) - 2) * 2);
	assert_int_equal(count(&huge, &n, NULL), 0);
	assert_true(n == UINT64_MAX); /* saturates */
	assert_int_equal(count(&none, &n, NULL), 0);
	assert_true(n == 0);
	assert_int_equal(count(&no_ports, &n, NULL), 0);
	assert_true(n == 0);
}

/* The count agrees with what the iterator yields. */
static void test_count_matches_iteration(void **state)
{
	const struct spec s = {.ports = "22,443",
			       .argv = {"10.0.0.0/28", "10.0.1.250-10.0.2.3,2001:db8::/125"},
			       .argc = 2,
			       .file = "192.168.0.0/31\n",
			       .file_name = "t"};
	struct run r;
	uint64_t n = 0;

	(void)state;
	run(&s, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(count(&s, &n, NULL), 0);
	assert_true(n == r.n);
	assert_int_equal(n, (14 + 10 + 8 + 2) * 2);
}

static void test_count_errors(void **state)
{
	struct spec bad = {.ports = "80", .argv = {"10.0.0.1"}, .argc = 1,
			   .file = "10.0.0.2\nbogus!!\n", .file_name = "t.txt"};
	struct spec named = ONE("a.example", "80"), mcast = ONE("224.0.0.0/4", "80"),
		    fam = ONE("10.0.0.1", "80");
	struct diag_error err = {0};
	uint64_t n = 0;

	(void)state;
	assert_int_equal(count(&bad, &n, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	assert_string_equal(err.where, "t.txt:2");
	diag_error_clear(&err);
	named.opts.numeric = true;
	assert_int_equal(count(&named, &n, &err), -1);
	assert_string_equal(err.what, "a name with -n (numeric only)");
	diag_error_clear(&err);
	assert_int_equal(count(&mcast, &n, &err), -1);
	assert_string_equal(err.what, "multicast targets are refused");
	diag_error_clear(&err);
	fam.opts.family = AF_INET6;
	assert_int_equal(count(&fam, &n, &err), -1);
	assert_string_equal(err.what, "IPv4 address with -6");
}

/* A NUL byte inside a line is an error at file:line, never a silent end of the list. */
static void test_nul_byte_in_file(void **state)
{
	static char text[] = "127.0.0.1\n10.0.\0.1\n10.0.0.2\n";
	FILE *fp = fmemopen(text, sizeof text - 1, "r");
	struct port_list *pl = calloc(1, sizeof *pl);
	struct target_opts o = {.numeric = true};
	struct target_iter it;
	struct target t;
	struct diag_error err = {0};

	(void)state;
	assert_non_null(fp);
	assert_non_null(pl);
	assert_int_equal(ports_parse(pl, "80", "tcp", &err), 0);
	target_iter_init(&it, &o, pl, NULL, 0, fp, "t.txt");
	assert_int_equal(target_iter_next(&it, &t, &err), 1);
	assert_int_equal(target_iter_next(&it, &t, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	assert_string_equal(err.where, "t.txt:2");
	assert_string_equal(err.what, "NUL byte at column 6");
	fclose(fp);
	free(pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_ipv6_cidr),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_lists_and_ports),
		cmocka_unit_test(test_empty_sources),
		cmocka_unit_test(test_no_ports),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_file_bad_line),
		cmocka_unit_test(test_file_long_line),
		cmocka_unit_test(test_args_then_file),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_multicast_broadcast_refused),
		cmocka_unit_test(test_family_mismatch),
		cmocka_unit_test(test_numeric_refuses_names),
		cmocka_unit_test(test_name_localhost),
		cmocka_unit_test(test_max_targets),
		cmocka_unit_test(test_default_max_targets),
		cmocka_unit_test(test_null_err),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_count_matches_iteration),
		cmocka_unit_test(test_count_errors),
		cmocka_unit_test(test_nul_byte_in_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
