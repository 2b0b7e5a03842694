/* The srcip verdict from the evidence gathered (checks/srcip.c), kept pure so every rule
 * has a unit test. AWS answers IKE only from the registered customer gateway address, so
 * an answer is itself proof of a match; silence proves nothing alone. */
#ifndef CHECKS_SRCIP_JUDGE_H
#define CHECKS_SRCIP_JUDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "libdiag/addr.h"
#include "libdiag/ike/ike_probe.h"

enum srcip_ev_state { SRCIP_EV_ABSENT, SRCIP_EV_OK, SRCIP_EV_FAILED };

struct srcip_peer_ev {
	struct diag_addr peer;
	enum srcip_ev_state route;       /* evidence 1 */
	struct diag_addr route_src;
	bool route_private;
	enum srcip_ev_state probe;       /* evidence 4 */
	bool answered;                   /* any answer (accepted, refused, ...) */
	enum ike_nat nat;                /* from NAT-D when answered */
	enum srcip_ev_state wire;        /* evidence 3 for this peer */
	unsigned wire_out, wire_in, wire_retransmits;
	bool wire_natt;
	struct diag_addr wire_local;     /* the source this host's packets left with */
	bool wire_local_private;
};

struct srcip_evidence {
	bool expected_known;
	struct diag_addr expected;       /* the registered customer gateway address */
	enum srcip_ev_state echo;        /* evidence 2 */
	bool public_given;               /* ... told (--public-ip), not asked of a service */
	struct diag_addr public_addr;
	struct srcip_peer_ev peers[8];
	size_t npeers;
};

enum srcip_outcome {
	SRCIP_MATCH,            /* AWS sees the registered address */
	SRCIP_MISMATCH,         /* it sees another one: seen says which */
	SRCIP_UNKNOWN,          /* not enough evidence: missing says what */
};

enum srcip_nat_state { SRCIP_NAT_UNKNOWN, SRCIP_NAT_NONE, SRCIP_NAT_PRESENT };

struct srcip_verdict {
	enum srcip_outcome outcome;
	enum srcip_nat_state nat;
	bool seen_known;
	struct diag_addr seen;           /* the address AWS sees (or would see) */
	const char *seen_from;           /* "the echo service", "the route (no NAT)", ... */
	bool answered;                   /* some evidence of an answer from AWS */
	bool silent;                     /* requests went unanswered */
	char why[300];                   /* one sentence: how the verdict was reached */
	char missing[200];               /* UNKNOWN: the evidence that would decide it */
};

void srcip_judge(const struct srcip_evidence *ev, struct srcip_verdict *out);

#endif
