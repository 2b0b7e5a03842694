/* libFuzzer target for the IKEv2 decoder. Each input is decoded as a plain UDP 500
 * datagram, as a NAT-T (UDP 4500) datagram, and again behind a prepended non-ESP marker:
 * the last must decode exactly like the first. Decoded counts must stay within the caps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/ike/ike_v2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_msg(const struct ike_v2_msg *m)
{
	check(m->npayloads <= IKE_PAYLOADS_MAX);
	check(m->nprops <= IKE2_PROPOSALS_MAX);
	for (size_t i = 0; i < m->nprops; i++)
		check(m->props[i].n <= IKE_PROP_MAX);
	check(m->nnotify <= IKE2_NOTIFY_MAX);
	check(m->nvendor <= IKE2_VENDOR_MAX);
	check(m->nunknown <= IKE2_UNKNOWN_MAX);
	for (size_t i = 0; i < m->nvendor; i++)
		check(strlen(m->vendor[i]) <= 64);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_v2_msg a, b;
	struct diag_error err = { 0 };
	uint8_t *buf;
	int ra, rb;

	if (size > IKE_MSG_MAX)
		return 0;
	ra = ike_v2_decode(data, size, false, &a, &err);
	if (ra == 0)
		check_msg(&a);
	if (ike_v2_decode(data, size, true, &b, &err) == 0)
		check_msg(&b);
	buf = malloc(size + 4);
	if (!buf)
		return 0;
	memset(buf, 0, 4);
	if (size)
		memcpy(buf + 4, data, size);
	rb = ike_v2_decode(buf, size + 4, true, &b, &err);
	check(ra == rb);
	if (ra == 0) {
		check(b.natt);
		b.natt = false;
		check(memcmp(&a, &b, sizeof(a)) == 0);
	}
	free(buf);
	return 0;
}
