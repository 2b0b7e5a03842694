/* Handles opened before a privilege drop (libdiag/preopen.h): a kept file is read from its
 * start by every taker, a file missing when kept answers ENOENT (not "permission denied"
 * after the drop), a path never kept answers -1 with errno 0 so the caller opens it itself,
 * a raw ICMP socket is taken once per family, sockets sharing a UDP port are each taken
 * once, the table is bounded, and release closes
 * what nobody took. The raw socket case needs CAP_NET_RAW and is skipped without it. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "libdiag/preopen.h"

static char dir[] = "/tmp/vdt-preopen.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[64];

	(void)state;
	preopen_release();
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void read_all(int fd, char *buf, size_t cap)
{
	ssize_t n = read(fd, buf, cap - 1);

	assert_true(n >= 0);
	buf[n] = '\0';
}

static void test_file_taken_twice_from_start(void **state)
{
	char path[128], buf[64];
	int a, b;

	(void)state;
	snprintf(path, sizeof path, "%s/credentials", dir);
	write_file(path, "[default]\n");
	assert_int_equal(preopen_file(path, NULL), 0);
	/* the kept descriptor outlives the name: what was opened is what is read */
	assert_int_equal(unlink(path), 0);
	a = preopen_take_file(path);
	assert_true(a >= 0);
	read_all(a, buf, sizeof buf);
	assert_string_equal(buf, "[default]\n");
	b = preopen_take_file(path);
	assert_true(b >= 0);
	read_all(b, buf, sizeof buf);
	assert_string_equal(buf, "[default]\n");
	assert_true(fcntl(b, F_GETFD) & FD_CLOEXEC);
	close(a);
	close(b);
	preopen_release();
	errno = 123;
	assert_int_equal(preopen_take_file(path), -1);
	assert_int_equal(errno, 0);
}

static void test_missing_file_is_kept_as_missing(void **state)
{
	char path[128];

	(void)state;
	snprintf(path, sizeof path, "%s/config", dir);
	assert_int_equal(preopen_file(path, NULL), 0);
	write_file(path, "created after the drop\n"); /* not what was looked at */
	assert_int_equal(preopen_take_file(path), -1);
	assert_int_equal(errno, ENOENT);
	preopen_release();
	unlink(path);
}

static void test_unreadable_is_an_error(void **state)
{
	struct diag_error err = {0};
	char path[128];

	(void)state;
	snprintf(path, sizeof path, "%s/not-a-directory", dir);
	write_file(path, "");
	snprintf(path, sizeof path, "%s/not-a-directory/x", dir); /* ENOTDIR, not ENOENT */
	assert_int_equal(preopen_file(path, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_OSERR);
	assert_string_equal(err.where, path);
	assert_int_equal(preopen_file(NULL, NULL), -1);
	assert_int_equal(preopen_file("", NULL), -1);
	assert_int_equal(preopen_take_file(NULL), -1);
}

static void test_table_is_bounded(void **state)
{
	struct diag_error err = {0};
	char path[128];

	(void)state;
	for (int i = 0; i < PREOPEN_MAX; i++) {
		snprintf(path, sizeof path, "%s/missing-%d", dir, i);
		assert_int_equal(preopen_file(path, NULL), 0);
	}
	snprintf(path, sizeof path, "%s/one-too-many", dir);
	assert_int_equal(preopen_file(path, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_SOFTWARE);
	preopen_release();
	assert_int_equal(preopen_file(path, NULL), 0);
	preopen_release();
}

static void test_icmp_raw_taken_once(void **state)
{
	struct diag_error err = {0};
	int probe = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), fd;

	(void)state;
	assert_int_equal(preopen_take_icmp_raw(AF_INET), -1);
	assert_int_equal(preopen_icmp_raw(AF_UNIX, &err), -1);
	if (probe < 0) {
		diag_error_clear(&err);
		assert_int_equal(preopen_icmp_raw(AF_INET, &err), -1);
		assert_int_equal(err.code, DIAG_EXIT_NOPERM);
		skip(); /* no CAP_NET_RAW here: the rest needs it */
	}
	close(probe);
	assert_int_equal(preopen_icmp_raw(AF_INET, NULL), 0);
	assert_int_equal(preopen_take_icmp_raw(AF_INET6), -1);
	fd = preopen_take_icmp_raw(AF_INET);
	assert_true(fd >= 0);
	assert_int_equal(preopen_take_icmp_raw(AF_INET), -1);
	close(fd);
}

/* Several sockets share one port (SO_REUSEADDR), each taken once; the port is a high
 * one so the test needs no privilege. */
static void test_udp_port_shared(void **state)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	int fds[3];

	(void)state;
	assert_int_equal(preopen_take_udp_port(AF_INET, 39500), -1);
	assert_int_equal(preopen_udp_port(AF_INET, 39500, 3, NULL), 3);
	assert_int_equal(preopen_take_udp_port(AF_INET, 39501), -1);
	assert_int_equal(preopen_take_udp_port(AF_INET6, 39500), -1);
	for (int i = 0; i < 3; i++) {
		fds[i] = preopen_take_udp_port(AF_INET, 39500);
		assert_true(fds[i] >= 0);
		assert_int_equal(getsockname(fds[i], (struct sockaddr *)&sin, &sl), 0);
		assert_int_equal(ntohs(sin.sin_port), 39500);
	}
	assert_true(fds[0] != fds[1] && fds[1] != fds[2]);
	assert_int_equal(preopen_take_udp_port(AF_INET, 39500), -1);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	assert_int_equal(preopen_udp_port(AF_UNIX, 39500, 1, NULL), -1);
}

static void test_capture_on_no_such_interface(void **state)
{
	struct diag_error err = {0};

	(void)state;
	assert_null(preopen_take_capture("lo"));
	assert_int_equal(preopen_capture("vdt-no-such-if0", &err), -1);
	assert_null(preopen_take_capture("vdt-no-such-if0"));
	assert_int_equal(preopen_capture(NULL, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_taken_twice_from_start),
		cmocka_unit_test(test_missing_file_is_kept_as_missing),
		cmocka_unit_test(test_unreadable_is_an_error),
		cmocka_unit_test(test_table_is_bounded),
		cmocka_unit_test(test_icmp_raw_taken_once),
		cmocka_unit_test(test_udp_port_shared),
		cmocka_unit_test(test_capture_on_no_such_interface),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
