/* libFuzzer target for addresses, prefixes and ranges. Whatever parses must print and
 * parse back to itself, a prefix must contain its own range, a range must not end before
 * it starts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/addr.h"
#include "fuzz/fuzz_cstr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_roundtrip(const struct diag_addr *a)
{
	char buf[ADDR_STRLEN];
	struct diag_addr b;

	check(a->family == AF_INET || a->family == AF_INET6);
	check(addr_parse(addr_str(a, buf), &b) && addr_eq(a, &b));
}

static void fuzz_addr(const char *s)
{
	struct diag_addr a, b;

	if (!addr_parse(s, &a))
		return;
	check_roundtrip(&a);
	b = a;
	if (addr_next(&b))
		check(addr_cmp(&a, &b) < 0);
	(void)addr_is_private(&a);
	(void)addr_is_multicast(&a);
}

static void fuzz_prefix(const char *s, bool allow_host_bits)
{
	struct diag_error err = {0};
	struct diag_prefix p;
	struct diag_range r;
	uint64_t n;

	if (prefix_parse(s, allow_host_bits, &p, &err) < 0) {
		check(err.code != 0);
		return;
	}
	check(err.code == 0 && p.len <= addr_bits(&p.addr));
	check_roundtrip(&p.addr);
	prefix_range(&p, &r);
	check(addr_eq(&r.first, &p.addr) && addr_cmp(&r.first, &r.last) <= 0);
	check(prefix_contains(&p, &r.first) && prefix_contains(&p, &r.last));
	n = range_size(&r);
	if (addr_bits(&p.addr) - p.len < 64)
		check(n == (uint64_t)1 << (addr_bits(&p.addr) - p.len));
	else
		check(n == UINT64_MAX);
}

static void fuzz_range(const char *s)
{
	struct diag_error err = {0};
	struct diag_range r;

	if (range_parse(s, &r, &err) < 0) {
		check(err.code != 0);
		return;
	}
	check(r.first.family == r.last.family && addr_cmp(&r.first, &r.last) <= 0);
	check_roundtrip(&r.first);
	check_roundtrip(&r.last);
	check(range_size(&r) >= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	if (!s)
		return 0;
	fuzz_addr(s);
	fuzz_prefix(s, false);
	fuzz_prefix(s, true);
	fuzz_range(s);
	free(s);
	return 0;
}
