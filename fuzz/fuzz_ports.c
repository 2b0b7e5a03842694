/* libFuzzer target for port lists ("22,80,8000-8100,https"). Checks that a failed parse
 * leaves the list as it was, that the count matches the ranges, and that ports_at yields
 * ports 1-65535 for every index below count and 0 past it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/ports.h"
#include "fuzz/fuzz_cstr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_WALK_MAX 4096u

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_list(const struct port_list *pl)
{
	uint64_t sum = 0;

	check(pl->n <= PORT_RANGES_MAX);
	for (size_t k = 0; k < pl->n; k++) {
		check(pl->r[k].lo >= 1 && pl->r[k].lo <= pl->r[k].hi);
		sum += (uint64_t)(pl->r[k].hi - pl->r[k].lo) + 1;
	}
	check(sum == pl->count);
	/* The first ports, the last ports, then one past the end. */
	for (uint64_t i = 0; i < pl->count && i < FUZZ_WALK_MAX; i++)
		check(ports_at(pl, i) != 0);
	for (uint64_t i = pl->count > 16 ? pl->count - 16 : 0; i < pl->count; i++)
		check(ports_at(pl, i) != 0);
	check(ports_at(pl, pl->count) == 0);
	if (pl->n)
		check(ports_at(pl, 0) == pl->r[0].lo &&
		      ports_at(pl, pl->count - 1) == pl->r[pl->n - 1].hi);
}

/* Parses spec twice into one list: the second call appends, and on failure must leave the
 * first call's ranges untouched. */
static void parse_twice(const char *spec, const char *proto)
{
	static struct port_list pl;
	struct diag_error err = {0};
	int rc;

	memset(&pl, 0, sizeof pl);
	rc = ports_parse(&pl, spec, proto, &err);
	check((rc == -1) == (err.code != 0));
	if (rc < 0) {
		check(pl.n == 0 && pl.count == 0);
		return;
	}
	check(pl.n > 0);
	check_list(&pl);

	size_t n1 = pl.n;
	uint64_t c1 = pl.count;

	diag_error_clear(&err);
	rc = ports_parse(&pl, spec, proto, &err);
	if (rc < 0) {
		check(pl.n == n1 && pl.count == c1 && n1 * 2 > PORT_RANGES_MAX);
		return;
	}
	check(pl.n == 2 * n1 && pl.count == 2 * c1);
	check_list(&pl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	if (!s)
		return 0;
	parse_twice(s, "tcp");
	parse_twice(s, "udp");
	free(s);
	return 0;
}
