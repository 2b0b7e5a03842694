/* libFuzzer target for the srcip capture analyser: the input is a pcap/pcapng file (read
 * through libpcap from memory), every frame is demultiplexed and counted toward two fixed
 * peers; the analysis must stay within its bounds whatever the frames say. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/srcip/srcip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct srcip_capture c;
	struct diag_addr peers[2];
	struct ike_pcap *p = NULL;
	struct diag_error err = {0};
	FILE *fp;

	if (size == 0)
		return 0;
	addr_parse("203.0.113.1", &peers[0]);
	addr_parse("2001:db8::1", &peers[1]);
	srcip_capture_init(&c, peers, 2);
	if (!(fp = fmemopen((void *)data, size, "rb")))
		return 0;
	if (ike_pcap_fopen(fp, &p, &err) < 0) {
		fclose(fp);
		return 0;
	}
	for (unsigned long n = 0; n < 100000; n++) {
		struct ike_pcap_pkt pkt;
		bool fatal = false;
		int rc;

		memset(&pkt, 0, sizeof pkt);
		rc = ike_pcap_next(p, &pkt, &fatal, &err);
		if (rc == 0 || (rc < 0 && fatal))
			break;
		if (rc > 0)
			srcip_capture_feed(&c, &pkt);
	}
	ike_pcap_close(p);
	if (c.nflows > SRCIP_FLOWS_MAX || c.nreq > SRCIP_REQS_MAX || c.matched > c.frames)
		abort();
	for (size_t i = 0; i < c.nflows; i++)
		if (c.flows[i].retransmits > c.flows[i].ike_out)
			abort();
	return 0;
}
