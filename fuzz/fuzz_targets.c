/* libFuzzer target for the target-spec parser: the input is a targets file (-iL), read
 * with -n so nothing resolves, then as one argument. Besides crashes it checks what the
 * iterator promises: each address comes with every port in the order given, of the wanted
 * family, never multicast or broadcast, and a complete walk yields exactly what
 * targets_count predicted. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_TARGETS 2000u
#define FUZZ_MAX_STEPS 100000u

static void check(int ok)
{
	if (!ok)
		abort();
}

/* Multicast or limited broadcast, also as an IPv4-mapped IPv6 address (::ffff:224.0.0.1
 * reaches the same group through a dual-stack socket). */
static int refused(const struct diag_addr *a)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	struct diag_addr v4 = {.family = AF_INET};

	if (addr_is_multicast(a) || addr_is_limited_broadcast(a))
		return 1;
	if (a->family != AF_INET6 || memcmp(a->b, mapped, sizeof mapped) != 0)
		return 0;
	memcpy(v4.b, a->b + 12, 4);
	return addr_is_multicast(&v4) || addr_is_limited_broadcast(&v4);
}

/* Walks every target of the file (or, with arg, of that one argument) with the given
 * family; returns the iterator's last result (0 or -1) and the number of targets in *n. */
static int walk(uint8_t *buf, size_t size, char *arg, int family,
		const struct port_list *pl, uint64_t *n)
{
	struct target_opts opts = {.family = family, .numeric = true,
				   .max_targets = FUZZ_MAX_TARGETS};
	struct diag_error err = {0};
	struct target_iter *it = calloc(1, sizeof *it);
	static const uint16_t order[3] = {22, 500, 501};
	struct target t;
	struct diag_addr prev = {0};
	FILE *fp = arg ? NULL : fmemopen(buf, size, "r");
	int rc = 0;

	*n = 0;
	if (!it || (!arg && !fp)) {
		free(it);
		if (fp)
			fclose(fp);
		return -2;
	}
	target_iter_init(it, &opts, pl, arg ? &arg : NULL, arg ? 1 : 0, fp, "fuzz");
	for (unsigned i = 0; i < FUZZ_MAX_STEPS; i++) {
		rc = target_iter_next(it, &t, &err);
		if (rc != 1)
			break;
		check(t.name == NULL && t.resolve_error == NULL);
		check(t.addr.family == AF_INET || t.addr.family == AF_INET6);
		check(!family || t.addr.family == family);
		check(!refused(&t.addr));
		/* Every address gets the ports in the order given: 22, 500, 501. */
		check(t.port == order[*n % 3]);
		if (*n % 3)
			check(addr_eq(&t.addr, &prev));
		prev = t.addr;
		(*n)++;
	}
	check(rc == 0 || rc == -1);
	check(*n <= FUZZ_MAX_TARGETS);
	/* -1 always comes with a reason, 0 never does. */
	check((rc == -1) == (err.code != 0));
	free(it);
	if (fp)
		fclose(fp);
	return rc;
}

static int count(uint8_t *buf, size_t size, char *arg, int family,
		 const struct port_list *pl, uint64_t *n)
{
	struct target_opts opts = {.family = family, .numeric = true,
				   .max_targets = FUZZ_MAX_TARGETS};
	struct diag_error err = {0};
	FILE *fp = arg ? NULL : fmemopen(buf, size, "r");
	int rc;

	*n = 0;
	if (!arg && !fp)
		return -2;
	rc = targets_count(arg ? &arg : NULL, arg ? 1 : 0, fp, "fuzz", &opts, pl, n, &err);
	check((rc == -1) == (err.code != 0));
	if (fp)
		fclose(fp);
	return rc;
}

/* A walk that finished cleanly read every spec, so the count must agree; both read the
 * same specs in the same order, so a spec that stops the count stops the walk too (which
 * may stop earlier, at the target limit). */
static void compare(uint8_t *buf, size_t size, char *arg, int family,
		    const struct port_list *pl)
{
	uint64_t walked, counted;
	int wrc = walk(buf, size, arg, family, pl, &walked);
	int crc = count(buf, size, arg, family, pl, &counted);

	if (wrc == 0)
		check(crc == 0 && counted == walked);
	if (crc == -1)
		check(wrc == -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int families[] = {AF_UNSPEC, AF_INET, AF_INET6};
	static struct port_list pl;
	uint8_t *buf;
	char *arg;

	/* glibc's fmemopen refuses a zero-sized buffer; an empty file is still worth a run. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	if (size)
		memcpy(buf, data, size);
	else
		buf[0] = '\n';
	if (!pl.n) {
		struct diag_error err = {0};

		check(ports_parse(&pl, "22,500-501", "tcp", &err) == 0 && pl.count == 3);
	}
	for (size_t f = 0; f < sizeof families / sizeof *families; f++)
		compare(buf, size ? size : 1, NULL, families[f], &pl);
	/* The same bytes as one command-line argument (up to the first NUL). */
	arg = malloc(size + 1);
	if (arg) {
		memcpy(arg, data, size);
		arg[size] = '\0';
		compare(NULL, 0, arg, AF_UNSPEC, &pl);
		free(arg);
	}
	free(buf);
	return 0;
}
