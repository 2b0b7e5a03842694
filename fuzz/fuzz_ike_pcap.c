/* libFuzzer target for the capture side of vpn-ike decode. An input that starts with a
 * pcap or pcapng magic number is read as a whole capture file (fmemopen, libpcap's offline
 * reader, every frame demultiplexed); any other input is one frame, its first byte picking
 * the link type (Ethernet, Linux cooked v1/v2, raw IP, IPv4, IPv6, BSD loopback, OpenBSD
 * loop) and the rest the frame. Every IKE datagram found is decoded and dumped (JSON, then
 * text from the JSON), as `vpn-ike decode --pcap` does. Promises checked: a payload lies
 * inside its frame, an IKE datagram came from UDP 500/4500, dumps exist. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "libdiag/ike/ike_dump.h"
#include "libdiag/ike/ike_pcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void dump(const struct ike_pcap_pkt *p)
{
	static struct ike_decoded d;
	struct diag_error err = {0};
	cJSON *j;
	char *t;

	if (p->kind != IKE_PKT_IKE)
		return;
	check(p->sport == 500 || p->dport == 500 || p->sport == 4500 || p->dport == 4500);
	if (ike_decode_any(p->payload, p->len, p->natt, &d, &err))
		return;
	j = ike_dump_json(&d);
	check(j != NULL);
	t = ike_dump_text(j, "");
	check(t != NULL);
	free(t);
	cJSON_Delete(j);
}

static void one_frame(const uint8_t *data, size_t size)
{
	static const int types[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW,
				    DLT_IPV4, DLT_IPV6, DLT_NULL, DLT_LOOP};
	struct ike_pcap_pkt p;
	struct diag_error err = {0};
	const uint8_t *frame = data + 1;
	size_t len = size - 1;

	memset(&p, 0, sizeof(p));
	if (ike_pcap_demux(types[data[0] % (sizeof(types) / sizeof(types[0]))], frame, len, &p,
			   &err))
		return;
	if (p.kind == IKE_PKT_IKE)
		check(p.payload >= frame && p.len <= len &&
		      (size_t)(p.payload - frame) <= len - p.len);
	dump(&p);
}

static void capture(const uint8_t *data, size_t size)
{
	static struct ike_pcap_pkt p;
	struct ike_pcap *cap = NULL;
	struct diag_error err = {0};
	FILE *fp = fmemopen((void *)(uintptr_t)data, size, "rb");
	bool fatal = false;
	int n = 0, r;

	if (!fp)
		return;
	if (ike_pcap_fopen(fp, &cap, &err)) {
		fclose(fp); /* pcap_fopen_offline does not close a stream it refused */
		return;
	}
	while (n++ < 10000) {
		diag_error_clear(&err);
		r = ike_pcap_next(cap, &p, &fatal, &err);
		if (r == 0 || (r < 0 && fatal))
			break;
		if (r > 0)
			dump(&p);
	}
	ike_pcap_close(cap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t magics[][4] = {
		{0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4}, /* pcap, microseconds */
		{0x4d, 0x3c, 0xb2, 0xa1}, {0xa1, 0xb2, 0x3c, 0x4d}, /* pcap, nanoseconds */
		{0x0a, 0x0d, 0x0d, 0x0a},                           /* pcapng */
	};

	if (size < 1 || size > 1 << 20)
		return 0;
	for (size_t i = 0; size >= 4 && i < sizeof(magics) / sizeof(magics[0]); i++)
		if (memcmp(data, magics[i], 4) == 0) {
			capture(data, size);
			return 0;
		}
	one_frame(data, size);
	return 0;
}
