/* Evidence of the source address AWS sees for the customer gateway's IKE and ESP, in four
 * independent kinds, each gathered here and judged in checks/srcip.c:
 *   1. route:    the source address and interface the kernel picks toward an AWS outside
 *                address (a connected UDP socket and getsockname: nothing is sent), and
 *                whether that address is private (then a NAT must be on the way);
 *   2. public:   the address an HTTP echo service saw (libcurl);
 *   3. wire:     a capture (libpcap, live or a file) of IKE and ESP toward and from the
 *                outside addresses: which source addresses and ports left, NAT-T or not,
 *                requests retransmitted with no answer, answers that came back;
 *   4. responder: the NAT-D verdict of an IKE probe (libdiag/ike/ike_probe.h), or its
 *                silence.
 * Never prints. */
#ifndef LIBDIAG_SRCIP_H
#define LIBDIAG_SRCIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdiag/addr.h"
#include "libdiag/error.h"
#include "libdiag/ike/ike_pcap.h"

/* RFC 1918, RFC 6598 shared space (CGNAT), link-local, loopback, ULA fc00::/7 and
 * fe80::/10: an address AWS can never see as a source. */
bool srcip_addr_private(const struct diag_addr *a);

/* ---- 1. route ------------------------------------------------------------------------- */

struct srcip_route {
	struct diag_addr peer;
	struct diag_addr src;
	char ifname[32];       /* "" when no interface holds src (a NAT64 path, say) */
	bool is_private;
};

/* The source the kernel would use toward peer (a numeric address). Returns 0, or -1 with
 * err: DIAG_EXIT_USAGE for a peer that is not an address, DIAG_EXIT_OSERR when there is no
 * route ("Network is unreachable"). */
int srcip_route_source(const char *peer, struct srcip_route *r, struct diag_error *err);

/* ---- 2. public address ---------------------------------------------------------------- */

struct srcip_echo {
	bool known;
	struct diag_addr addr;
	long status;           /* HTTP status, 0 when no answer */
	char why[200];         /* !known: why (offline, timeout, HTTP 503, not an address) */
};

/* GETs url and reads an address from the first line of the body. Never fails: the
 * outcome is in e (known or why not). timeout_ms 0: 5000. cacert may be NULL. */
void srcip_echo_get(const char *url, long timeout_ms, const char *cacert,
		    struct srcip_echo *e);

/* ---- 3. the wire ---------------------------------------------------------------------- */

#define SRCIP_PEERS_MAX 8
#define SRCIP_FLOWS_MAX 64
#define SRCIP_REQS_MAX 256

/* One local address:port <-> peer:port conversation. */
struct srcip_flow {
	struct diag_addr local, peer;
	uint16_t lport, pport;
	bool natt;                  /* on UDP 4500 */
	unsigned ike_out, ike_in;   /* IKE datagrams toward / from the peer */
	unsigned retransmits;       /* datagrams that repeat an earlier request exactly */
	unsigned esp_out, esp_in;
	unsigned keepalives;
};

struct srcip_capture {
	struct diag_addr peers[SRCIP_PEERS_MAX];
	size_t npeers;
	struct srcip_flow flows[SRCIP_FLOWS_MAX];
	size_t nflows;
	unsigned long frames, matched, broken; /* frames read, of our peers, undecodable */
	bool truncated;                        /* more flows than kept */
	/* requests seen, for retransmission counting: a hash of each datagram toward a peer */
	uint32_t req_hash[SRCIP_REQS_MAX];
	size_t nreq;
};

/* Starts an analysis of traffic to and from peers. */
void srcip_capture_init(struct srcip_capture *c, const struct diag_addr *peers, size_t n);
/* Counts one demultiplexed packet (ike_pcap_demux / ike_pcap_next). */
void srcip_capture_feed(struct srcip_capture *c, const struct ike_pcap_pkt *pkt);
/* Reads a capture file into c. Returns 0, or -1 with err (66 unreadable, 65 not a capture
 * or truncated: "FILE: frame N: ..."), c keeping what was read before. */
int srcip_capture_file(struct srcip_capture *c, const char *path, struct diag_error *err);

/* A live capture on an interface, opened before the probes it should see. */
struct srcip_live;
/* Opens iface for capture (filter: UDP 500/4500 and ESP). Returns 0, or -1 with err:
 * DIAG_EXIT_UNAVAILABLE with "needs CAP_NET_RAW" when not permitted, DIAG_EXIT_OSERR
 * otherwise. */
int srcip_live_open(const char *iface, struct srcip_live **out, struct diag_error *err);
/* Also writes every captured frame to a pcap file at path. Before srcip_live_start. */
int srcip_live_save(struct srcip_live *l, const char *path, struct diag_error *err);
/* Starts reading in a thread into c (which must stay valid until srcip_live_finish). */
int srcip_live_start(struct srcip_live *l, struct srcip_capture *c, struct diag_error *err);
/* Waits until seconds have passed since start, stops and closes. */
void srcip_live_finish(struct srcip_live *l, unsigned seconds);

#endif
