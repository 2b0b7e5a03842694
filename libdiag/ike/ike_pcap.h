/* Reading IKE out of packet captures: a pcap or pcapng file (libpcap's offline reader) and
 * a per-frame demultiplexer (link layer, IPv4/IPv6, UDP) that finds the UDP 500/4500
 * datagrams, tells NAT-T keepalives and UDP-encapsulated ESP (a non-zero marker on 4500)
 * from IKE, and recognises plain ESP (IP protocol 50) by its SPI. Every header is read
 * through the libdiag cursor; IP fragments are recognised and not reassembled. */
#ifndef LIBDIAG_IKE_PCAP_H
#define LIBDIAG_IKE_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libdiag/error.h"

enum ike_pkt_kind {
	IKE_PKT_OTHER = 0,      /* not UDP 500/4500 nor ESP: nothing for us */
	IKE_PKT_IKE,            /* an IKE datagram: payload/len (after the marker on 4500) */
	IKE_PKT_ESP,            /* ESP, in IP (proto 50) or in UDP 4500: esp_spi, esp_seq */
	IKE_PKT_KEEPALIVE,      /* NAT-T keepalive: one 0xff byte on UDP 4500 (RFC 3948) */
	IKE_PKT_FRAGMENT,       /* an IPv4/IPv6 fragment, not reassembled */
};

struct ike_pcap_pkt {
	unsigned long frame;    /* 1-based, as tshark numbers them (set by ike_pcap_next) */
	int64_t ts_sec;
	uint32_t ts_usec;
	enum ike_pkt_kind kind;
	int family;             /* AF_INET or AF_INET6; 0 when no IP header was found */
	uint8_t src[16], dst[16];
	uint8_t ipproto;
	uint16_t sport, dport;
	bool natt;              /* UDP 4500: payload starts with the non-ESP marker */
	const uint8_t *payload; /* IKE: the UDP payload (marker included when natt) */
	size_t len;
	uint32_t esp_spi, esp_seq;
};

/* Demultiplexes one frame of link type linktype (DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2,
 * DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL, DLT_LOOP) into pkt (frame and time untouched).
 * Returns 0 with pkt->kind set (IKE_PKT_OTHER for anything else, an unknown link type
 * too), or -1 with err naming the header and byte offset within the frame when a header
 * is truncated or contradicts itself (DIAG_EXIT_DATAERR). pkt->payload points into frame. */
int ike_pcap_demux(int linktype, const uint8_t *frame, size_t len, struct ike_pcap_pkt *pkt,
		   struct diag_error *err);

struct ike_pcap;

/* Opens a capture file (pcap or pcapng). Returns 0, or -1 with err (DIAG_EXIT_NOINPUT when
 * it cannot be opened, DIAG_EXIT_DATAERR when it is not a capture). */
int ike_pcap_open(const char *path, struct ike_pcap **out, struct diag_error *err);
/* The same on an open stream (fuzzing: fmemopen), which the reader owns once this
 * returned 0 (ike_pcap_close closes it); on failure the caller still does. */
int ike_pcap_fopen(FILE *fp, struct ike_pcap **out, struct diag_error *err);
int ike_pcap_linktype(const struct ike_pcap *p);

/* Reads the next frame and demultiplexes it. Returns 1 with pkt filled (its payload valid
 * until the next call), 0 at the end, or -1 with err. With *fatal false the frame's
 * headers were broken (pkt->frame names it) and the caller may read on; with *fatal true
 * the file itself is (a truncated record): stop. */
int ike_pcap_next(struct ike_pcap *p, struct ike_pcap_pkt *pkt, bool *fatal,
		  struct diag_error *err);
void ike_pcap_close(struct ike_pcap *p);

/* "198.51.100.10" or "2001:db8::1" into out (at least 46 bytes). */
void ike_pcap_addr(const struct ike_pcap_pkt *pkt, bool dst, char *out, size_t outlen);

#endif
