/* libFuzzer target for the path MTU probe's decoder (libdiag/pmtu.h): what a UDP reply, an
 * ICMP echo reply, a raw IPv4 read or an ICMP error's quoted datagram can hold. The first
 * byte picks the kind and family; the rest is the data. Checks that decoding is
 * deterministic, that a tag is only reported when its bytes are there and consistent, and
 * that a tag written by pmtu_tag always decodes to what was written. */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/pmtu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pmtu_seen a, b;
	enum pmtu_data kind;
	int family;
	bool ra, rb;

	if (size < 1)
		return 0;
	kind = (enum pmtu_data)(data[0] % 3);
	family = data[0] & 0x80 ? AF_INET6 : AF_INET;
	data++;
	size--;
	ra = pmtu_decode(kind, family, data, size, &a);
	rb = pmtu_decode(kind, family, data, size, &b);
	check(ra == rb && memcmp(&a, &b, sizeof a) == 0);
	if (a.tagged) {
		check(ra);
		check(size >= PMTU_TAG_LEN + (kind == PMTU_DATA_UDP ? 0 : 8));
	}
	if (kind == PMTU_DATA_UDP) {
		check(ra && !a.icmp && !a.have_src);
		if (a.tagged)
			check(memcmp(data, "VDPM", 4) == 0);
	}
	if (kind == PMTU_DATA_IP4 && ra)
		check(a.have_src && a.icmp && size >= 28 && family == AF_INET);
	if (kind == PMTU_DATA_ICMP)
		check(ra == (size >= 8));

	/* a tag written from the input's first bytes decodes back */
	if (size >= 6) {
		uint8_t t[PMTU_TAG_LEN];
		uint32_t seq = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
			       (uint32_t)data[2] << 8 | data[3];
		uint16_t sz = (uint16_t)(data[4] << 8 | data[5]);

		pmtu_tag(t, seq, sz);
		check(pmtu_decode(PMTU_DATA_UDP, family, t, sizeof t, &a));
		check(a.tagged && a.seq == seq && a.size == sz);
	}
	return 0;
}
