/* The IKE negotiation between a customer gateway's configuration (the devconf model) and
 * the AWS side of its tunnel, predicted per tunnel without sending a packet. The
 * ike.config check turns a prediction into findings; vpn-ike check also prints it as a
 * table. Pure computation: nothing here prints.
 *
 * The rules followed (AWS's endpoints behave like a strongSwan responder that prefers its
 * own configuration; AWS-VPN-FACTS.md):
 *   - AWS is the responder unless StartupAction=start on IKEv2. It never initiates
 *     otherwise: a device that only responds keeps the tunnel down (not_initiated).
 *   - The device offers its preferred IKE version: IKEv2 when both allow it, else IKEv1.
 *     IKEv1 aggressive mode is refused.
 *   - IKEv2: a device proposal matches AWS's (AES-CBC with integrity, or AES-GCM) when
 *     every transform type has at least one allowed value, and per type AWS takes the
 *     lowest value it allows ("from the lowest configured value, regardless of the
 *     proposal order from the customer gateway"); of several matching device
 *     proposals, the one whose choice AWS ranks lowest (encryption, then integrity,
 *     PRF, group). IKEv1: each
 *     device transform (encryption + hash + group together) is whole; among those AWS
 *     allows entirely, the one AWS ranks lowest (encryption, then hash, then group) is
 *     chosen, whatever the device's order. An IKEv1 proposal offers only the first
 *     algorithm of each type (strongSwan's rule; a vendor policy has one of each).
 *   - The device starts with IKEv2 when it has it; only PAN-OS and Cisco fall back to
 *     IKEv1 when the tunnel does not allow IKEv2.
 *   - Phase 2 likewise for ESP. PFS: IKEv1 Quick Mode negotiates the PFS group at once
 *     (a missing or refused group fails phase 2, and a proposal whose group is not
 *     the first proposal's is not offered: one KE payload); IKEv2's first CHILD_SA is
 *     made inside IKE_AUTH without a key exchange, so a PFS mismatch only fails the
 *     first rekey.
 *   - Lifetimes are not negotiated (IKEv2) or are lowered by the responder (IKEv1): a
 *     device lifetime beyond AWS's is a warning (the SAs fall out of step), not a failure.
 *   - The AWS side is the matched tunnel's TunnelOptions with AWS's defaults filled
 *     (aws_tunnel_effective); no matching tunnel, or no AWS evidence, means AWS's
 *     defaults, and the prediction says so. */
#ifndef CHECKS_IKE_PREDICT_H
#define CHECKS_IKE_PREDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "libdiag/aws/model.h"
#include "libdiag/devconf/devconf.h"
#include "libdiag/report.h"

/* What happens to the tunnel, from best to worst. */
enum ike_outcome {
	IKE_OUT_ESTABLISHED,
	IKE_OUT_PHASE2_REKEY,   /* "phase2_fails_at_rekey" */
	IKE_OUT_PHASE2,         /* "phase2_fails" */
	IKE_OUT_PHASE1,         /* "phase1_fails" */
	IKE_OUT_NOT_INITIATED,  /* nobody starts IKE */
};

/* "established", "phase2_fails_at_rekey", "phase2_fails", "phase1_fails",
 * "not_initiated". */
const char *ike_outcome_name(enum ike_outcome o);

/* One parameter of a tunnel: a table row and a finding. */
enum ike_item_id {
	IKE_I_VERSION, IKE_I_MODE, IKE_I_PHASE1, IKE_I_PHASE2, IKE_I_LIFETIME, IKE_I_DPD,
	IKE_I_INITIATION, IKE_I_PSK, IKE_I_COUNT,
};

struct ike_item {
	const char *check;      /* finding id: "ike.phase1" */
	const char *param;      /* table label: "phase 1" */
	enum diag_status status;
	enum ike_outcome outcome; /* what this parameter alone does to the tunnel */
	char device[320];       /* the device's value */
	char aws[320];          /* what AWS allows */
	char summary[512];      /* one sentence: the verdict and why */
	char fix[400];          /* empty when nothing to change */
};

struct ike_tunnel_prediction {
	const struct devconf_peer *peer;
	char subject[200];      /* "tunnel 203.0.113.1 (peer NAME, line N)" */
	char aws_side[320];     /* where the AWS values come from */
	const char *vpn_connection_id; /* NULL when not matched */
	int tunnel_index;       /* 1-based within the VPN connection; 0 when not matched */
	bool aws_matched;       /* false: AWS defaults were used */
	int version;            /* the IKE version that would be used: 1, 2, or 0 (none) */
	enum ike_outcome outcome;
	char chosen_phase1[160]; /* strongSwan syntax, "" when none */
	char chosen_phase2[160];
	struct ike_item items[IKE_I_COUNT];
};

/* Predicts every peer of cfg. aws may be NULL (no evidence: AWS defaults); vpn_id, when
 * set, limits the AWS tunnels considered to that VPN connection. Returns a malloc'ed
 * array of cfg->npeers predictions in *out (NULL when there are no peers), or -1 when
 * memory runs out. */
int ike_predict(const struct devconf_model *cfg, const struct aws_model *aws,
		const char *vpn_id, struct ike_tunnel_prediction **out, size_t *n);

/* A proposal in strongSwan syntax ("aes128-sha1-modp1024", "aes256gcm16-prfsha256-ecp384")
 * into buf. */
void ike_proposal_str(const struct ike_proposal *p, char *buf, size_t len);

#endif
