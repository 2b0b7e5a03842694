/* The wiping growable buffer: growth keeps every byte (NUL bytes too) and a NUL after
 * them, the cap is exact and bounds the block, a failed add (over the cap or out of
 * memory) leaves the contents alone and sticks, take hands the contents over, and free
 * leaves the struct all zeroes. Out of memory is a request no malloc can meet (2^62
 * bytes), so it needs no allocator hooks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libdiag/wipebuf.h"

/* Under AddressSanitizer a malloc(SIZE_MAX) would abort instead of returning NULL. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static void assert_all_zero(const struct wipebuf *b)
{
	static const struct wipebuf zero;

	assert_memory_equal(b, &zero, sizeof zero);
}

static void test_empty(void **state)
{
	struct wipebuf b = {0};
	size_t len = 99;
	char *s;

	(void)state;
	assert_null(b.p);
	s = wipebuf_take(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	assert_all_zero(&b);
	wipebuf_free(&b);
	assert_all_zero(&b);
	/* Adding nothing still yields a string. */
	assert_int_equal(wipebuf_add(&b, NULL, 0), 0);
	assert_non_null(b.p);
	assert_string_equal(b.p, "");
	assert_int_equal(b.len, 0);
	wipebuf_free(&b);
}

/* Many small adds across several growths: every byte kept, a NUL after the last. */
static void test_growth_keeps_bytes(void **state)
{
	struct wipebuf b = {0};
	char want[10000];
	size_t moved = 0;

	(void)state;
	for (size_t i = 0; i < sizeof want; i++) {
		char c = (char)('a' + i % 26);
		const char *before = b.p;

		want[i] = c;
		assert_int_equal(wipebuf_add(&b, &c, 1), 0);
		assert_int_equal(b.len, i + 1);
		assert_true(b.cap > b.len);
		assert_int_equal(b.p[b.len], '\0');
		moved += before && before != b.p;
	}
	assert_true(moved >= 2);
	assert_memory_equal(b.p, want, sizeof want);
	assert_int_equal(strlen(b.p), sizeof want);
	assert_false(b.failed);
	wipebuf_free(&b);
}

/* One add far larger than the block grows in one step; NUL bytes inside are data. */
static void test_large_add_and_nul_bytes(void **state)
{
	static const char bin[] = {'k', '\0', 'e', '\0', 'y'};
	struct wipebuf b = {0};
	char *big = malloc(100000);

	(void)state;
	assert_non_null(big);
	memset(big, 'x', 100000);
	assert_int_equal(wipebuf_add(&b, bin, sizeof bin), 0);
	assert_int_equal(b.len, sizeof bin);
	assert_memory_equal(b.p, bin, sizeof bin);
	assert_int_equal(b.p[sizeof bin], '\0');
	assert_int_equal(wipebuf_add(&b, big, 100000), 0);
	assert_int_equal(b.len, sizeof bin + 100000);
	assert_true(b.cap > b.len);
	assert_memory_equal(b.p, bin, sizeof bin);
	assert_memory_equal(b.p + sizeof bin, big, 100000);
	assert_int_equal(b.p[b.len], '\0');
	free(big);
	wipebuf_free(&b);
}

/* max bytes fit exactly; one more fails and changes nothing; the block never passes
 * max + 1. */
static void test_max(void **state)
{
	struct wipebuf b = {.max = 100};
	char chunk[30];

	(void)state;
	memset(chunk, 'm', sizeof chunk);
	for (int i = 0; i < 3; i++)
		assert_int_equal(wipebuf_add(&b, chunk, sizeof chunk), 0);
	assert_int_equal(wipebuf_add(&b, chunk, 10), 0);
	assert_int_equal(b.len, 100);
	assert_true(b.cap <= 101);
	assert_int_equal(b.p[100], '\0');
	assert_false(b.failed);

	assert_int_equal(wipebuf_add(&b, "z", 1), -1);
	assert_true(b.failed);
	assert_int_equal(b.len, 100);
	assert_int_equal(strlen(b.p), 100);
	assert_null(memchr(b.p, 'z', b.len));
	wipebuf_free(&b);

	/* Too big from the start: nothing is allocated. */
	b.max = 5;
	assert_int_equal(wipebuf_add(&b, "123456", 6), -1);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_true(b.failed);
	wipebuf_free(&b);
}

/* Once an add failed, every later one fails too, even one that would fit. */
static void test_failure_sticks(void **state)
{
	struct wipebuf b = {.max = 8};

	(void)state;
	assert_int_equal(wipebuf_add(&b, "abc", 3), 0);
	assert_int_equal(wipebuf_add(&b, "defghi", 6), -1);
	assert_int_equal(wipebuf_add(&b, "d", 1), -1);
	assert_string_equal(b.p, "abc");
	assert_true(b.failed);

	/* A writer may record a failure of its own the same way. */
	wipebuf_free(&b);
	assert_int_equal(wipebuf_add(&b, "abc", 3), 0);
	b.failed = true;
	assert_int_equal(wipebuf_add(&b, "d", 1), -1);
	assert_string_equal(b.p, "abc");
	wipebuf_free(&b);
}

/* Out of memory while growing: the old block and its contents stay, nothing leaks (run
 * under valgrind or ASan to see that), and the failure sticks. */
static void test_out_of_memory(void **state)
{
	struct wipebuf b = {0};
	char *before;
	size_t cap;

	(void)state;
	assert_int_equal(wipebuf_add(&b, "secret", 6), 0);
	before = b.p;
	cap = b.cap;
	/* len + n + 1 == 2^62 bytes: within the (absent) cap, beyond any address space, and
	 * still a size valgrind does not call negative. The data is never read, as the
	 * block cannot be had. */
	if (SIZE_MAX <= UINT32_MAX)
		skip();
	assert_int_equal(wipebuf_add(&b, "x", ((SIZE_MAX >> 2) + 1) - 7), -1);
	assert_true(b.failed);
	assert_ptr_equal(b.p, before);
	assert_int_equal(b.cap, cap);
	assert_int_equal(b.len, 6);
	assert_string_equal(b.p, "secret");
	assert_int_equal(wipebuf_add(&b, "x", 1), -1);
	assert_string_equal(b.p, "secret");
	wipebuf_free(&b);
	assert_all_zero(&b);

	/* A length that would wrap len + n + 1 fails the same way, on an empty buffer too. */
	assert_int_equal(wipebuf_add(&b, "x", SIZE_MAX), -1);
	assert_null(b.p);
	assert_true(b.failed);
	wipebuf_free(&b);
}

static void test_take(void **state)
{
	struct wipebuf b = {.max = 64};
	size_t len = 0;
	char *s;

	(void)state;
	assert_int_equal(wipebuf_add(&b, "token=", 6), 0);
	assert_int_equal(wipebuf_add(&b, "abc", 3), 0);
	s = wipebuf_take(&b, &len);
	assert_string_equal(s, "token=abc");
	assert_int_equal(len, 9);
	assert_all_zero(&b);
	free(s);

	assert_int_equal(wipebuf_add(&b, "q", 1), 0);
	s = wipebuf_take(&b, NULL);
	assert_string_equal(s, "q");
	assert_all_zero(&b);
	free(s);
}

/* free wipes and frees the block and zeroes every field, max and failed too. */
static void test_free_zeroes(void **state)
{
	struct wipebuf b = {.max = 1000};

	(void)state;
	assert_int_equal(wipebuf_add(&b, "AKIDEXAMPLE", 11), 0);
	assert_int_equal(wipebuf_add(&b, NULL, 2000), -1);
	assert_non_null(b.p);
	wipebuf_free(&b);
	assert_all_zero(&b);
	wipebuf_free(&b);
	assert_all_zero(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_growth_keeps_bytes),
		cmocka_unit_test(test_large_add_and_nul_bytes),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_failure_sticks),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_take),
		cmocka_unit_test(test_free_zeroes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
