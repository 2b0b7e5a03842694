/* ike.config: findings from the IKE prediction; see ike_config.h. */
#include "checks/ike_config.h"

#include <stdlib.h>

#include "libdiag/devconf/devconf.h"

#define REF_CGW "https://docs.aws.amazon.com/vpn/latest/s2svpn/your-cgw.html"
#define REF_TUNNELS "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html"

static void evidence(struct finding *f, const struct ike_tunnel_prediction *tp,
		     const struct ike_item *it)
{
	finding_ev_str(f, "device", it->device);
	finding_ev_str(f, "aws_allows", it->aws);
	finding_ev_str(f, "prediction", ike_outcome_name(tp->outcome));
	if (it->outcome != IKE_OUT_ESTABLISHED)
		finding_ev_str(f, "caused", ike_outcome_name(it->outcome));
	finding_ev_str(f, "chosen_phase1", tp->chosen_phase1);
	finding_ev_str(f, "chosen_phase2", tp->chosen_phase2);
	finding_ev_str(f, "aws_side", tp->aws_side);
	if (tp->vpn_connection_id)
		finding_ev_str(f, "vpn_connection_id", tp->vpn_connection_id);
	if (tp->tunnel_index)
		finding_ev_num(f, "tunnel", tp->tunnel_index);
	if (tp->version)
		finding_ev_num(f, "ike_version", tp->version);
	finding_ev_num(f, "line", tp->peer->line);
}

void ike_config_findings(const struct ike_tunnel_prediction *tp, size_t n, struct report *rep)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < IKE_I_COUNT; k++) {
			const struct ike_item *it = &tp[i].items[k];
			struct finding *f = report_add(rep, it->check, it->status, tp[i].subject,
						       "%s", it->summary);

			evidence(f, &tp[i], it);
			if (it->fix[0])
				finding_fix(f, "%s", it->fix);
			finding_ref(f, k == IKE_I_MODE || k == IKE_I_PSK ? REF_CGW : REF_TUNNELS);
		}
	}
}

static int run(const struct check_ctx *ctx, struct report *rep)
{
	struct ike_tunnel_prediction *tp;
	size_t n;

	if (ike_predict(ctx->config, ctx->aws, ctx->vpn_connection_id, &tp, &n) < 0) {
		report_add(rep, "ike.config", DIAG_ERROR, NULL, "out of memory");
		return -1;
	}
	if (n == 0)
		report_add(rep, "ike.config", DIAG_WARN, ctx->config && ctx->config->file ?
			   ctx->config->file : NULL, "the configuration defines no IKE peer");
	ike_config_findings(tp, n, rep);
	free(tp);
	return 0;
}

const struct check check_ike_config = {
	.id = "ike.config",
	.summary = "predict the IKE negotiation of the customer gateway's configuration with "
		   "each AWS tunnel",
	.needs = NEED_CONFIG,
	.enable = "--config",
	.run = run,
};
