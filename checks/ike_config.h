/* ike.config: the customer gateway's configuration judged against the AWS side of each
 * tunnel (checks/ike_predict.h). Per device peer, eight findings: ike.version, ike.mode,
 * ike.phase1, ike.phase2, ike.lifetime, ike.dpd, ike.initiation, ike.psk, each naming
 * the device's value, what AWS allows, the verdict and a fix, with the tunnel's predicted
 * outcome ("prediction") and the proposals AWS would choose ("chosen_phase1",
 * "chosen_phase2", strongSwan syntax) in the evidence. */
#ifndef CHECKS_IKE_CONFIG_H
#define CHECKS_IKE_CONFIG_H

#include "checks/check.h"
#include "checks/ike_predict.h"

/* Adds the findings of the predictions tp[0..n) to rep. */
void ike_config_findings(const struct ike_tunnel_prediction *tp, size_t n, struct report *rep);

extern const struct check check_ike_config;

#endif
