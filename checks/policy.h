/* policy.selectors: does the customer gateway negotiate more than one SA pair per tunnel?
 * AWS's side is route-based and supports exactly one SA pair (one inbound, one outbound)
 * per tunnel; a policy-based device makes one per ACL entry / subnet pair, and the second
 * one makes the tunnel flap or shows up in AWS's logs as TS_UNACCEPTABLE.
 *
 * Every source of evidence is turned into the same shape, one struct policy_peer per IKE
 * peer (per peer address pair on the wire), and judged by one function:
 *   - the device configuration (devconf model): children / crypto-map ACL lines /
 *     traffic-selectors / proxy IDs / phase2 entries, and route-based markers
 *     (policy_from_config, checks/policy.c);
 *   - the kernel's XFRM policies and SAs of a Linux customer gateway (policy_from_xfrm,
 *     checks/policy_xfrm.c): tunnel-mode policies per peer, distinct selector pairs;
 *   - a capture (policy_wire_*, checks/policy_wire.c): distinct ESP SPIs per address pair
 *     and direction, CREATE_CHILD_SA / Quick Mode exchanges per IKE SA.
 * The verdict per peer: route-based (pass); policy-based with one pair (pass, with the
 * caveat); several pairs (fail, naming them, with the fix: one summarised pair or
 * route-based with 0.0.0.0/0 selectors). With AWS evidence, the selectors are compared
 * with the VPN connection's LocalIpv4NetworkCidr / RemoteIpv4NetworkCidr; with tunnel logs,
 * TS_UNACCEPTABLE events are counted per tunnel. */
#ifndef CHECKS_POLICY_H
#define CHECKS_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "checks/check.h"
#include "libdiag/error.h"

struct aws_model;
struct aws_vpn_connection;
struct devconf_model;
struct xfrm_dump;

#define POLICY_CHECK_ID "policy.selectors"
#define POLICY_MAX_PAIRS 64
#define POLICY_TS_LEN 64

enum policy_source { POLICY_SRC_CONFIG, POLICY_SRC_XFRM, POLICY_SRC_WIRE };

/* One selector pair, local (the customer side) and remote (the AWS side) as written. */
struct policy_pair {
	char local[POLICY_TS_LEN], remote[POLICY_TS_LEN];
	char name[64];         /* child / ACL / proxy-id name, or "" */
	int line;              /* its line in the configuration, or 0 */
	unsigned dirs;         /* XFRM: 1 << XFRM_DIR_IN | OUT | FWD policies seen */
	uint32_t reqid;        /* XFRM: the out policy's template reqid, or 0 */
};

struct policy_peer {
	enum policy_source src;
	char subject[160];     /* "config peer aws (line 3)", "xfrm 198.51.100.10 <-> ..." */
	char local_addr[64], remote_addr[64]; /* outside addresses, "" when unknown */
	bool route_marker;     /* VTI / tunnel interface / xfrm interface / mark */
	char marker[96];       /* what it is, e.g. "tunnel interface Tunnel1" */
	struct policy_pair pairs[POLICY_MAX_PAIRS];
	size_t npairs;         /* kept */
	size_t nselectors;     /* selector pairs in all (npairs may be capped) */
	size_t sa_pairs;       /* SA pairs these selectors make (see policy_from_config) */
	const char *ike;       /* "IKEv1", "IKEv2", "IKEv1/IKEv2" or NULL */
	/* XFRM: ESP tunnel SAs per direction, and their distinct reqids (one per CHILD_SA
	 * whatever its rekeys: more reqids than selector pairs are more SA pairs) */
	size_t sas_out, sas_in, reqids;
	/* wire */
	size_t spis_out, spis_in;    /* distinct ESP SPIs local->remote, remote->local */
	size_t concurrent;     /* most SPIs in use at once in one direction */
	uint32_t spi_out[8], spi_in[8]; /* the first few, for evidence */
	size_t ike_sas, create_child, quick_mode;
	struct {
		uint8_t ispi[8];          /* the initiator's SPI / cookie */
		size_t create_child, quick_mode;
	} ikesa[8];                       /* the first IKE SAs, for evidence */
	size_t nikesa;
};

struct policy_peers {
	struct policy_peer *v;
	size_t n, cap;
};

void policy_peers_free(struct policy_peers *pp);
/* A new zeroed peer, or NULL when memory runs out. */
struct policy_peer *policy_peers_add(struct policy_peers *pp, enum policy_source src);

/* One peer per devconf peer. A child's selectors make nlocal x nremote pairs; they are
 * one SA pair for a strongSwan child (one IKEv2 CHILD_SA carries several selectors;
 * strongSwan's IKEv1 negotiates only the first pair),
 * one SA pair each elsewhere (IKEv1 Quick Mode carries one pair of IDs; Cisco, Junos,
 * PAN-OS, FortiOS and libreswan make one SA per ACL line / proxy ID / subnet
 * combination). Returns 0, or -1 when memory runs out. */
int policy_from_config(const struct devconf_model *m, struct policy_peers *pp);
/* One peer per pair of tunnel endpoints of the tunnel-mode policies (out: template
 * saddr -> daddr; in/fwd: the reverse), each selector pair once with the directions seen;
 * the SA dump's ESP SAs between the same endpoints counted per direction. */
int policy_from_xfrm(const struct xfrm_dump *d, struct policy_peers *pp);

/* ---- the wire ----------------------------------------------------------------------- */

struct policy_wire;
struct policy_wire *policy_wire_new(void);
void policy_wire_free(struct policy_wire *w);
/* Reads every frame of a capture file. Returns 0, or -1 with err (the file cannot be
 * read, or a record is truncated); frames whose headers are broken are counted. */
int policy_wire_read_file(struct policy_wire *w, const char *path, struct diag_error *err);
/* Captures on interface ifname for seconds (libpcap, filter "esp or udp port 500 or udp
 * port 4500"). Returns 0, or -1 with err (DIAG_EXIT_NOPERM without CAP_NET_RAW). */
int policy_wire_capture(struct policy_wire *w, const char *ifname, double seconds,
			struct diag_error *err);
/* Frames read, IKE datagrams, ESP packets, frames with broken headers. */
void policy_wire_counts(const struct policy_wire *w, unsigned long *frames,
			unsigned long *ike, unsigned long *esp, unsigned long *bad);
/* One peer per address pair that carried ESP or IKE. The customer gateway's end is the
 * one that is not a tunnel outside address of aws (may be NULL), else the IKE initiator,
 * else the lower address. */
int policy_from_wire(const struct policy_wire *w, const struct aws_model *aws,
		     struct policy_peers *pp);

/* ---- judging -------------------------------------------------------------------------- */

/* The VPN connection a peer belongs to: the one with a tunnel whose outside address is
 * the peer's remote (or local) address; else the one named vpn_id; else the only one.
 * NULL when none fits. */
const struct aws_vpn_connection *policy_match_aws(const struct aws_model *aws,
						  const char *vpn_id,
						  const struct policy_peer *p);
/* The findings for one peer: the selectors verdict, and with conn the comparison with its
 * Local/RemoteIpv4NetworkCidr. */
void policy_judge(const struct policy_peer *p, const struct aws_vpn_connection *conn,
		  struct report *rep);
/* policy_judge for every peer, each with the connection policy_match_aws finds; with AWS
 * evidence, a peer no connection matches gets a "skip" finding saying so. */
void policy_judge_all(const struct policy_peers *pp, const struct aws_model *aws,
		      const char *vpn_id, struct report *rep);
/* The smallest IPv4/IPv6 prefix that holds every one of the n CIDRs (bare addresses are
 * host prefixes) into out; "" when they are not all of one family or one is not a CIDR. */
void policy_supernet(const char *const *cidrs, size_t n, char *out, size_t outlen);

/* TS_UNACCEPTABLE in AWS's tunnel logs: one finding per tunnel (outside address) that
 * logged it, or one pass finding when none did. Returns 0, or -1 with err for a file that
 * cannot be read as tunnel logs. */
int policy_logs(FILE *fp, const char *name, struct report *rep, struct diag_error *err);

/* The check in vpn-doctor's table: the configuration's peers (--config), and the
 * capture's (--pcap) when one is given, judged against the AWS evidence when loaded. */
extern const struct check check_policy_selectors;

#endif
