/* --enumerate: which of AWS's phase 1 combinations (encryption x integrity x DH group,
 * libdiag/aws/tunnel_values.def) a responder accepts, found with as few requests as the
 * protocol allows.
 *
 * A responder answers a request with one combination it accepts out of all those offered,
 * or with NO_PROPOSAL_CHOSEN. So the search offers whole sets at once and narrows:
 *   IKEv2: a set is a product E x I x G, sent as up to eight proposals (one per integrity
 *          algorithm and per AEAD/non-AEAD encryption, so PRF and integrity stay paired
 *          as AWS pairs them). When the answer picks (e, i, g), the rest of the product
 *          is split into E x I x (G - g), (E - e) x I x {g} and {e} x (I - i) x {g}, and
 *          each part is asked in turn; an empty answer closes a part in one request. The
 *          KE value is for the group of the set with the shortest public value;
 *          INVALID_KE_PAYLOAD is answered by one retry with the group wanted.
 *   IKEv1: Main Mode offers any list of transforms, so the whole space is asked in chunks
 *          of IKE_ENUM_V1_CHUNK transforms, dropping each accepted one and asking again
 *          until the chunk gets NO_PROPOSAL_CHOSEN.
 * Requests = accepted combinations + closed parts (+ INVALID_KE retries): a responder that
 * accepts everything costs about one request per combination (no protocol can do better:
 * each answer names one), one that accepts one combination a handful.
 *
 * Pacing: each accepted answer leaves a half-open IKE SA at the responder until its
 * half-open timeout (strongSwan: 30 s; block_threshold 5 half-open SAs per peer IP, then
 * silence). At most half_open accepted answers are allowed within any half_open_timeout_ms
 * window; before a request that could be accepted, the search waits for the oldest to
 * expire. Refusals and INVALID_KE leave no state and are not paced.
 *
 * Never prints; progress (when set) is called after every request. */
#ifndef LIBDIAG_IKE_ENUM_H
#define LIBDIAG_IKE_ENUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdiag/error.h"
#include "libdiag/ike/ike_probe.h"

#define IKE_ENUM_MAX_ENC 4
#define IKE_ENUM_MAX_INTEG 4
#define IKE_ENUM_MAX_GROUP 12
#define IKE_ENUM_MAX (IKE_ENUM_MAX_ENC * IKE_ENUM_MAX_INTEG * IKE_ENUM_MAX_GROUP)
#define IKE_ENUM_V1_CHUNK 24

/* One combination, as indexes into the search space. */
struct ike_enum_combo {
	uint8_t enc, integ, group;
};

/* The search space: AWS's phase 1 values, as IKE transform IDs. */
struct ike_enum_space {
	size_t nenc, ninteg, ngroup;
	struct {
		const char *aws;      /* "AES128-GCM-16" */
		const char *name;     /* strongSwan: "aes128gcm16" */
		uint16_t id, keylen;  /* IKEv2 ENCR transform ID and key length */
		bool aead;
	} enc[IKE_ENUM_MAX_ENC];
	struct {
		const char *aws;      /* "SHA2-256" */
		const char *name;     /* "sha256" */
		uint16_t integ, prf;  /* IKEv2 INTEG and PRF transform IDs */
	} integ[IKE_ENUM_MAX_INTEG];
	uint16_t group[IKE_ENUM_MAX_GROUP];
};

struct ike_enum_opts {
	int version;                   /* 1 or 2 */
	const char *host;
	uint16_t port;                 /* 500 or 4500 */
	unsigned half_open;            /* 0: 3 (strongSwan answers COOKIE from 3 half-open) */
	unsigned half_open_timeout_ms; /* 0: 31000 */
	unsigned wait_ms[3];           /* retransmit waits; 0s: 1000, 2000, 4000 */
	void (*progress)(void *ctx, unsigned requests, size_t accepted);
	void *progress_ctx;
};

struct ike_enum_result {
	int version;
	struct ike_enum_space sp;      /* the space searched; accepted indexes into it */
	size_t space;                  /* combinations in the space for this version */
	size_t naccepted;
	struct ike_enum_combo accepted[IKE_ENUM_MAX]; /* in space order */
	unsigned requests;             /* IKE requests, retransmissions not counted */
	unsigned datagrams;            /* datagrams sent, retransmissions included */
	unsigned invalid_ke;           /* INVALID_KE answers (each cost one retry) */
	unsigned cookies;              /* COOKIE answers honoured */
	unsigned paced;                /* times the search waited for half-open SAs */
	double paced_s;                /* seconds spent so */
	double elapsed_s;
	bool complete;                 /* false: stopped early, reason says why */
	char reason[200];
	bool bound_port;               /* local port is the IKE port */
	uint16_t local_port;
	enum ike_nat nat;              /* from the first answer with NAT-D */
};

/* The AWS phase 1 space for version (IKEv1 has no GCM). */
void ike_enum_space_aws(int version, struct ike_enum_space *sp);

/* Runs the search. Returns 0 (res says what was found, complete or not), or -1 with err
 * when the host does not resolve or the socket or OpenSSL fails. */
int ike_enum_run(const struct ike_enum_opts *o, struct ike_enum_result *res,
		 struct diag_error *err);

/* "aes256-sha256-modp2048" / "aes256gcm16-prfsha384-ecp384": strongSwan syntax, so the
 * name parses back with ike_proposal_parse. */
void ike_enum_combo_name(const struct ike_enum_space *sp, const struct ike_enum_combo *c,
			 char *out, size_t len);

#endif
