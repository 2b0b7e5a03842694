/* One IKE probe: send an IKEv2 IKE_SA_INIT or IKEv1 Main Mode message 1 to a responder,
 * retransmit at 1, 2 and 4 s, accept only answers to our own SPI (IKEv2) or cookie (IKEv1),
 * and classify the answer. COOKIE is honoured by one resend; INVALID_KE_PAYLOAD leads to
 * one retry with the group the responder wants (when we can compute it). Never prints.
 * The classifiers decode into static storage: one probe at a time per process. The socket
 * is bound to the destination port (500, or 4500 for NAT-T) when it may be, else to an
 * ephemeral port; ike_probe_out says which. */
#ifndef LIBDIAG_IKE_PROBE_H
#define LIBDIAG_IKE_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdiag/error.h"
#include "libdiag/ike/ike_proposal.h"
#include "libdiag/ike/ike_v1.h"
#include "libdiag/ike/ike_v2.h"

enum ike_probe_result {
	IKE_PR_ACCEPTED,
	IKE_PR_NO_PROPOSAL,
	IKE_PR_INVALID_KE,
	IKE_PR_COOKIE,
	IKE_PR_NO_RESPONSE,
	IKE_PR_MALFORMED,
};

enum ike_nat { IKE_NAT_UNKNOWN, IKE_NAT_NONE, IKE_NAT_DETECTED };

/* The classification of one answer. */
struct ike_verdict {
	enum ike_probe_result result;
	uint16_t group;                 /* invalid_ke: the group wanted */
	struct ike_proposal chosen;     /* accepted, IKEv2: the responder's transforms */
	struct ike_v1_transform chosen1; /* accepted, IKEv1 */
	uint8_t cookie[64];             /* cookie: the data to echo */
	size_t cookie_len;
	enum ike_nat nat;
	char detail[160];               /* malformed: why; others: notify numbers seen */
};

struct ike_probe_opts {
	int version;                   /* 1 or 2 */
	const char *host;
	uint16_t port;                 /* 500 or 4500 (non-ESP marker) */
	const struct ike_proposal *prop;
	/* IKEv2: several proposals in one SA payload instead of prop (nprops > 0), and the
	 * group of the KE value (0: the first group of the first proposal). */
	const struct ike_proposal *props;
	size_t nprops;
	uint16_t ke_group;
	/* IKEv1: these transforms instead of prop's product (nv1 > 0). */
	const struct ike_v1_transform *v1;
	size_t nv1;
	bool fixed;                    /* tests: fixed SPI, nonce and key */
	unsigned wait_ms[3];           /* retransmit waits; 0s: 1000, 2000, 4000 */
};

struct ike_probe_out {
	struct ike_verdict first;      /* the answer to the first request (after COOKIE) */
	bool retried;                  /* invalid_ke: a retry with first.group was made */
	struct ike_verdict retry;      /* its answer */
	bool cookie_honoured;          /* a COOKIE was echoed */
	bool bound_500;                /* local port is the IKE port we asked for */
	uint16_t local_port;
	unsigned sent;                 /* datagrams sent, retransmissions included */
	unsigned received;             /* datagrams received (ours or not) */
};

/* A UDP socket connected to the responder, reused by several requests. */
struct ike_probe_sock {
	int fd;
	struct ike_endpoint local, remote;
	bool bound;                    /* local port is the IKE port asked for */
};

/* Resolves host and opens the socket, bound to port when it may be. Returns 0, or -1 with
 * err (unresolvable host: DIAG_EXIT_USAGE; socket errors: DIAG_EXIT_OSERR). */
int ike_probe_open(const char *host, uint16_t port, struct ike_probe_sock *s,
		   struct diag_error *err);
void ike_probe_close(struct ike_probe_sock *s);
/* One request over s, as ike_probe_run does it (COOKIE honoured once, INVALID_KE retried
 * once); o->host is not used. out is reset first. */
int ike_probe_ask(struct ike_probe_sock *s, const struct ike_probe_opts *o,
		  struct ike_probe_out *out, struct diag_error *err);

/* Runs the exchange. Returns 0 (the verdicts say what happened, no_response included), or
 * -1 with err when the host cannot be resolved, the request cannot be built (usage or
 * software), or the socket fails (DIAG_EXIT_OSERR). */
int ike_probe_run(const struct ike_probe_opts *o, struct ike_probe_out *out,
		  struct diag_error *err);

/* Classifies an IKEv2 answer. spi (NULL: any) is our initiator SPI; local (NULL: no NAT
 * verdict) is our address and port as we sent from. Does not fail: an undecodable answer
 * is IKE_PR_MALFORMED with detail. Returns false when the answer is not for spi (or not a
 * response), true otherwise. */
bool ike_probe_classify_v2(const uint8_t *buf, size_t len, bool natt, const uint8_t *spi,
			   const struct ike_endpoint *local, struct ike_verdict *v);
/* The same for IKEv1 (spi: our initiator cookie). */
bool ike_probe_classify_v1(const uint8_t *buf, size_t len, bool natt, const uint8_t *spi,
			   struct ike_verdict *v);

/* Builds the request the probe would send first (no network) into b; with natt, behind a
 * non-ESP marker. Returns 0 or -1 with err. */
int ike_probe_build(const struct ike_probe_opts *o, uint16_t group, const uint8_t *cookie,
		    size_t cookie_len, const struct ike_endpoint *src,
		    const struct ike_endpoint *dst, uint8_t spi_out[8], struct ike_buf *b,
		    struct diag_error *err);

const char *ike_probe_result_name(enum ike_probe_result r);

#endif
