/* The bounds-checked cursor: every read fits exactly to the end, one more read fails, the
 * failure sticks and names the absolute offset, child cursors keep absolute offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "libdiag/cursor.h"

static const uint8_t buf16[16] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
};

/* After a failure every read fails, zeroes its output and leaves fail_at alone. */
static void assert_stays_failed(struct cursor *c, size_t fail_at)
{
	uint8_t u8 = 0xaa, bytes[2] = {0xaa, 0xaa};
	uint16_t u16 = 0xaaaa;
	uint32_t u32 = 0xaaaaaaaa;
	uint64_t u64 = 0xaaaaaaaaaaaaaaaa;
	const uint8_t *ref = buf16;
	struct cursor child;

	assert_false(cur_u8(c, &u8));
	assert_int_equal(u8, 0);
	assert_false(cur_be16(c, &u16));
	assert_int_equal(u16, 0);
	u16 = 0xaaaa;
	assert_false(cur_le16(c, &u16));
	assert_int_equal(u16, 0);
	assert_false(cur_be32(c, &u32));
	assert_int_equal(u32, 0);
	u32 = 0xaaaaaaaa;
	assert_false(cur_le32(c, &u32));
	assert_int_equal(u32, 0);
	assert_false(cur_be64(c, &u64));
	assert_int_equal(u64, 0);
	assert_false(cur_bytes(c, bytes, 2));
	assert_int_equal(bytes[0], 0);
	assert_int_equal(bytes[1], 0);
	assert_false(cur_ref(c, &ref, 1));
	assert_null(ref);
	assert_false(cur_skip(c, 0)); /* even an empty read: the failure is sticky */
	assert_false(cur_sub(c, 0, &child));
	assert_false(cur_ok(&child));
	assert_false(cur_ok(c));
	assert_false(cur_done(c));
	assert_int_equal(cur_remaining(c), 0);
	assert_int_equal(c->fail_at, fail_at);
}

static void test_u8_to_end(void **state)
{
	struct cursor c;
	uint8_t v;

	(void)state;
	cur_init(&c, buf16, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(cur_pos(&c), i);
		assert_int_equal(cur_remaining(&c), 4 - i);
		assert_false(cur_done(&c));
		assert_true(cur_u8(&c, &v));
		assert_int_equal(v, i + 1);
	}
	assert_true(cur_ok(&c));
	assert_true(cur_done(&c));
	assert_int_equal(cur_remaining(&c), 0);
	assert_false(cur_u8(&c, &v));
	assert_int_equal(v, 0);
	assert_int_equal(c.fail_at, 4);
	assert_stays_failed(&c, 4);
}

static void test_be_reads(void **state)
{
	struct cursor c;
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	(void)state;
	cur_init(&c, buf16, sizeof buf16);
	assert_true(cur_u8(&c, &v8));
	assert_int_equal(v8, 0x01);
	assert_true(cur_be16(&c, &v16));
	assert_int_equal(v16, 0x0203);
	assert_true(cur_be32(&c, &v32));
	assert_int_equal(v32, 0x04050607);
	assert_true(cur_be64(&c, &v64));
	assert_true(v64 == 0x08090a0b0c0d0e0full);
	assert_int_equal(cur_remaining(&c), 1);
	assert_true(cur_u8(&c, &v8));
	assert_int_equal(v8, 0x10);
	assert_true(cur_done(&c));
	assert_false(cur_be16(&c, &v16));
	assert_stays_failed(&c, 16);
}

static void test_le_reads(void **state)
{
	struct cursor c;
	uint16_t v16;
	uint32_t v32;

	(void)state;
	cur_init(&c, buf16, 6);
	assert_true(cur_le16(&c, &v16));
	assert_int_equal(v16, 0x0201);
	assert_true(cur_le32(&c, &v32));
	assert_int_equal(v32, 0x06050403);
	assert_true(cur_done(&c));
	assert_false(cur_le16(&c, &v16));
	assert_stays_failed(&c, 6);
}

/* High bits must not sign-extend or truncate. */
static void test_high_bits(void **state)
{
	static const uint8_t ff[8] = {0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0xf9, 0xf8};
	struct cursor c;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	(void)state;
	cur_init(&c, ff, 8);
	assert_true(cur_be64(&c, &v64));
	assert_true(v64 == 0xfffefdfcfbfaf9f8ull);
	cur_init(&c, ff, 8);
	assert_true(cur_be32(&c, &v32));
	assert_int_equal(v32, 0xfffefdfcu);
	assert_true(cur_le32(&c, &v32));
	assert_int_equal(v32, 0xf8f9fafbu);
	cur_init(&c, ff, 2);
	assert_true(cur_be16(&c, &v16));
	assert_int_equal(v16, 0xfffe);
	cur_init(&c, ff, 2);
	assert_true(cur_le16(&c, &v16));
	assert_int_equal(v16, 0xfeff);
}

/* A read that does not fit fails where it started, consumes nothing, and later reads
 * that would have fitted fail too. */
static void test_partial_read_fails_at_start(void **state)
{
	struct cursor c;
	uint32_t v32;
	uint64_t v64;
	uint8_t v8;

	(void)state;
	cur_init(&c, buf16, 3);
	assert_true(cur_u8(&c, &v8));
	assert_false(cur_be32(&c, &v32)); /* 4 bytes wanted, 2 left */
	assert_int_equal(v32, 0);
	assert_int_equal(c.fail_at, 1);
	assert_false(cur_u8(&c, &v8)); /* would fit, but the cursor has failed */
	assert_stays_failed(&c, 1);

	/* be64 over 6 bytes: the 8-byte read is what did not fit, at offset 0. */
	cur_init(&c, buf16, 6);
	v64 = 1;
	assert_false(cur_be64(&c, &v64));
	assert_true(v64 == 0);
	assert_int_equal(c.fail_at, 0);
	assert_stays_failed(&c, 0);
}

static void test_bytes_ref_skip(void **state)
{
	struct cursor c;
	uint8_t out[5];
	const uint8_t *p;

	(void)state;
	cur_init(&c, buf16, 10);
	assert_true(cur_bytes(&c, out, 3));
	assert_memory_equal(out, buf16, 3);
	assert_true(cur_ref(&c, &p, 2));
	assert_ptr_equal(p, buf16 + 3);
	assert_true(cur_skip(&c, 0));
	assert_true(cur_skip(&c, 4));
	assert_int_equal(cur_pos(&c), 9);
	assert_true(cur_bytes(&c, out, 1));
	assert_int_equal(out[0], 0x0a);
	assert_true(cur_done(&c));
	assert_true(cur_bytes(&c, out, 0)); /* an empty read at the end fits */
	assert_true(cur_ok(&c));
	memset(out, 0xaa, sizeof out);
	assert_false(cur_bytes(&c, out, 5));
	assert_int_equal(out[0], 0); /* zeroed on failure */
	assert_int_equal(out[4], 0);
	assert_stays_failed(&c, 10);
}

/* Huge lengths must be refused without wrapping: the check is n > len - off, because
 * off + n > len passes when off + n wraps past zero. */
static void test_huge_lengths(void **state)
{
	struct cursor c;
	const uint8_t *p;

	(void)state;
	cur_init(&c, buf16, 16);
	assert_true(cur_skip(&c, 8));
	assert_false(cur_skip(&c, SIZE_MAX - 7)); /* 8 + n wraps to 0 */
	assert_int_equal(c.fail_at, 8);
	cur_init(&c, buf16, 16);
	assert_true(cur_skip(&c, 1));
	assert_false(cur_ref(&c, &p, SIZE_MAX)); /* 1 + n wraps to 0 */
	assert_null(p);
	assert_int_equal(c.fail_at, 1);
	cur_init(&c, buf16, 16);
	assert_false(cur_skip(&c, 17));
	assert_int_equal(c.fail_at, 0);
}

static void test_null_and_empty(void **state)
{
	struct cursor c;
	uint8_t v;

	(void)state;
	cur_init(&c, NULL, 100); /* no buffer means no bytes, whatever the length says */
	assert_int_equal(cur_remaining(&c), 0);
	assert_true(cur_done(&c));
	assert_false(cur_u8(&c, &v));
	assert_stays_failed(&c, 0);

	cur_init(&c, buf16, 0);
	assert_true(cur_done(&c));
	assert_true(cur_skip(&c, 0));
	assert_false(cur_u8(&c, &v));
	assert_int_equal(c.fail_at, 0);
}

static void test_cur_fail(void **state)
{
	struct cursor c;

	(void)state;
	cur_init(&c, buf16, 16);
	assert_true(cur_skip(&c, 5));
	cur_fail(&c); /* a decoder judged the value at offset 5 bad */
	assert_false(cur_ok(&c));
	assert_int_equal(c.fail_at, 5);
	cur_fail(&c); /* the first failure is the one kept */
	assert_stays_failed(&c, 5);
}

/* Children are bounded by their length but report offsets in the outermost buffer. */
static void test_sub_absolute_offsets(void **state)
{
	struct cursor c, child, grandchild;
	uint16_t v16;
	uint8_t v8;

	(void)state;
	cur_init(&c, buf16, 16);
	assert_true(cur_skip(&c, 4));
	assert_true(cur_sub(&c, 6, &child)); /* bytes 4..9 */
	assert_int_equal(cur_pos(&c), 10);   /* the parent moved past them */
	assert_int_equal(cur_pos(&child), 4);
	assert_int_equal(cur_remaining(&child), 6);
	assert_true(cur_be16(&child, &v16));
	assert_int_equal(v16, 0x0506);

	assert_true(cur_sub(&child, 3, &grandchild)); /* bytes 6..8 */
	assert_int_equal(cur_pos(&grandchild), 6);
	assert_true(cur_u8(&grandchild, &v8));
	assert_int_equal(v8, 0x07);
	assert_true(cur_be16(&grandchild, &v16));
	assert_int_equal(v16, 0x0809);
	assert_true(cur_done(&grandchild));
	assert_false(cur_u8(&grandchild, &v8)); /* cannot read the child's next byte */
	assert_stays_failed(&grandchild, 9);

	/* The grandchild's failure does not spread to its parents. */
	assert_true(cur_ok(&child));
	assert_true(cur_u8(&child, &v8));
	assert_int_equal(v8, 0x0a);
	assert_true(cur_done(&child));
	assert_false(cur_be16(&child, &v16));
	assert_stays_failed(&child, 10);
	assert_true(cur_ok(&c));

	/* A child longer than what is left fails, and so does the parent, at the start. */
	assert_false(cur_sub(&c, 7, &child));
	assert_false(cur_ok(&child));
	assert_int_equal(cur_remaining(&child), 0);
	assert_int_equal(child.fail_at, 10);
	assert_stays_failed(&child, 10);
	assert_stays_failed(&c, 10);
}

static void test_sub_exact_and_empty(void **state)
{
	struct cursor c, child;

	(void)state;
	cur_init(&c, buf16, 8);
	assert_true(cur_sub(&c, 0, &child));
	assert_true(cur_done(&child));
	assert_int_equal(cur_pos(&child), 0);
	assert_true(cur_sub(&c, 8, &child));
	assert_true(cur_done(&c));
	assert_int_equal(cur_remaining(&child), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u8_to_end),
		cmocka_unit_test(test_be_reads),
		cmocka_unit_test(test_le_reads),
		cmocka_unit_test(test_high_bits),
		cmocka_unit_test(test_partial_read_fails_at_start),
		cmocka_unit_test(test_bytes_ref_skip),
		cmocka_unit_test(test_huge_lengths),
		cmocka_unit_test(test_null_and_empty),
		cmocka_unit_test(test_cur_fail),
		cmocka_unit_test(test_sub_absolute_offsets),
		cmocka_unit_test(test_sub_exact_and_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
