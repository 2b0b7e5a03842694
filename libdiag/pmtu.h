/* Path MTU search toward one address: the largest IP packet with DF set that reaches it
 * and gets an answer.
 *
 * Probes go one at a time, each size up to `tries` times with a bounded wait, and the
 * search is a binary search between the largest size answered and the smallest that was
 * not, jumping to the MTU an ICMP "fragmentation needed" (IPv6 "packet too big") names.
 *   UDP   a datagram socket with IP_PMTUDISC_PROBE (DF set, the kernel's cached path MTU
 *         ignored), unprivileged. "Answered" is a reply datagram or an ICMP port
 *         unreachable from the target (either proves the whole packet arrived).
 *   ICMP  echo through a ping socket (SOCK_DGRAM, IPPROTO_ICMP: needs the group in
 *         net.ipv4.ping_group_range) or, failing that, a raw socket (CAP_NET_RAW).
 * IP_RECVERR tells why a size failed: an ICMP "fragmentation needed" (with the next hop's
 * MTU and the router that sent it), the local interface (EMSGSIZE), or silence. Sizes that
 * fail in silence while smaller ones are answered are a path MTU black hole.
 *
 * Sizes are whole IP packets (IPv4 header 20, IPv6 40, plus UDP or ICMP header 8 and the
 * payload). The library never prints; every wait is bounded by wait_ms and budget_ms. */
#ifndef LIBDIAG_PMTU_H
#define LIBDIAG_PMTU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdiag/addr.h"
#include "libdiag/error.h"

#define PMTU_DEFAULT_PORT 33434 /* traceroute's: usually closed, so port unreachable answers */
#define PMTU_DEFAULT_WAIT_MS 1000
#define PMTU_DEFAULT_TRIES 2
#define PMTU_DEFAULT_MAX 1500
#define PMTU_DEFAULT_BUDGET_MS 60000
#define PMTU_MAX_STEPS 48
#define PMTU_TAG_LEN 12 /* "VDPM", be32 seq, be16 size, be16 ~size */

enum pmtu_method { PMTU_AUTO = 0, PMTU_UDP, PMTU_ICMP };

struct pmtu_opts {
	struct diag_addr target;
	uint16_t port;          /* UDP; 0: PMTU_DEFAULT_PORT */
	enum pmtu_method method; /* AUTO: UDP when port is set, else ICMP when permitted, else UDP */
	unsigned wait_ms;       /* per try; 0: PMTU_DEFAULT_WAIT_MS */
	unsigned tries;         /* per size; 0: PMTU_DEFAULT_TRIES */
	int max_size;           /* largest size tried; 0: PMTU_DEFAULT_MAX */
	unsigned budget_ms;     /* the whole search; 0: PMTU_DEFAULT_BUDGET_MS */
};

/* What happened to one size. */
enum pmtu_verdict {
	PMTU_FITS,         /* answered */
	PMTU_TOO_BIG_ICMP, /* ICMP fragmentation needed / packet too big */
	PMTU_TOO_BIG_LOCAL, /* the local interface refused it (EMSGSIZE) */
	PMTU_UNREACH,      /* another ICMP error (host, net or admin unreachable) */
	PMTU_SILENT,       /* nothing within tries * wait_ms */
};

struct pmtu_step {
	int size;
	enum pmtu_verdict verdict;
	int mtu_hint;      /* TOO_BIG_*: the MTU the error named, 0 when none */
	unsigned tries;    /* sends for this size */
};

enum pmtu_outcome {
	PMTU_FOUND,      /* mtu is the largest size answered, first_bad the smallest not */
	PMTU_ABOVE_MAX,  /* the largest size tried was answered: mtu >= max_size */
	PMTU_NO_ANSWER,  /* not even the smallest size was answered: nothing measured */
	PMTU_PARTIAL,    /* the time budget ran out: mtu <= path MTU < first_bad */
};

struct pmtu_result {
	enum pmtu_method method;  /* the one used */
	bool raw;                 /* ICMP through a raw socket */
	uint16_t port;            /* UDP */
	enum pmtu_outcome outcome;
	int mtu;                  /* largest size answered (0: none) */
	int first_bad;            /* smallest size that failed (0: none) */
	enum pmtu_verdict bad_verdict; /* how first_bad failed */
	int icmp_mtu;             /* next-hop MTU from the last "fragmentation needed" (0: none) */
	struct diag_addr icmp_from; /* the router that sent it (family 0: unknown) */
	int local_mtu;            /* the local interface's limit, when a send hit it (0: none) */
	bool black_hole;          /* first_bad failed in silence, smaller sizes were answered */
	bool unstable;            /* a size answered once went silent on a later try */
	uint8_t unreach_type, unreach_code; /* PMTU_UNREACH: the ICMP error */
	unsigned probes;          /* datagrams sent */
	unsigned elapsed_ms;
	struct pmtu_step steps[PMTU_MAX_STEPS];
	size_t nsteps;
};

/* Runs the search. Returns 0 with *out filled (whatever the outcome), or -1 with err set
 * when it cannot probe at all: no socket (ICMP asked for and neither a ping socket nor a
 * raw socket permitted: DIAG_EXIT_NOPERM), no route, or a bad target (DIAG_EXIT_USAGE). */
int pmtu_run(const struct pmtu_opts *o, struct pmtu_result *out, struct diag_error *err);

const char *pmtu_method_name(enum pmtu_method m);   /* "udp", "icmp", "auto" */
const char *pmtu_verdict_name(enum pmtu_verdict v); /* "fits", "too-big-icmp", ... */
const char *pmtu_outcome_name(enum pmtu_outcome o); /* "found", "above-max", ... */
/* Header bytes in front of the payload for a family and method (IP + UDP/ICMP header). */
int pmtu_overhead(int family);

/* ---- decoding what comes back (exposed for tests and the fuzz target) ----------------- */

enum pmtu_data {
	PMTU_DATA_UDP,   /* a UDP reply, or the UDP payload quoted in an ICMP error */
	PMTU_DATA_ICMP,  /* ICMP(v6) header + payload: an echo reply, or the quoted request */
	PMTU_DATA_IP4,   /* a raw IPv4 socket's read: IPv4 header, then ICMP */
};

struct pmtu_seen {
	bool icmp;            /* an ICMP header was read */
	uint8_t icmp_type, icmp_code;
	uint16_t ident, echo_seq;
	bool have_src;        /* PMTU_DATA_IP4: the sender */
	struct diag_addr src;
	bool tagged;          /* our tag was found and is consistent */
	uint32_t seq;
	uint16_t size;
};

/* Decodes buf; returns false when it is too short or malformed for its kind (an untagged
 * but well-formed payload returns true with tagged false). Never reads past len. */
bool pmtu_decode(enum pmtu_data kind, int family, const uint8_t *buf, size_t len,
		 struct pmtu_seen *out);
/* Writes the tag for seq and size into buf (PMTU_TAG_LEN bytes). */
void pmtu_tag(uint8_t *buf, uint32_t seq, uint16_t size);

#endif
