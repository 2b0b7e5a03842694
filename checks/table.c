/* The check table: every check of the toolkit, in the order vpn-doctor reports them. */
#include <string.h>

#include "checks/check.h"
#include "checks/aws_logs.h"
#include "checks/ike_config.h"
#include "checks/mtu.h"
#include "checks/policy.h"
#include "checks/reachability.h"
#include "checks/routes.h"
#include "checks/srcip.h"
#include "checks/tunnel_health.h"

const struct check *const check_table[] = {
	&check_probe_reachability,
	&check_aws_tunnel_logs,
	&check_ike_config,
	&check_policy_selectors,
	&check_routes,
	&check_srcip,
	&check_tunnel_health,
	&check_tunnel_mtu,
};

const size_t check_table_len = sizeof check_table / sizeof *check_table;

const struct check *check_find(const char *id)
{
	for (size_t i = 0; i < check_table_len; i++)
		if (strcmp(check_table[i]->id, id) == 0)
			return check_table[i];
	return NULL;
}

int check_ready(const struct check *c, const struct check_ctx *ctx)
{
	if ((c->needs & NEED_TARGETS) && !ctx->n_target_specs && !ctx->target_file)
		return 0;
	if ((c->needs & NEED_TARGETS) && !ctx->ports)
		return 0;
	if ((c->needs & NEED_LOGS) && !ctx->vpn_logs_file && !ctx->vpn_logs_fp)
		return 0;
	if ((c->needs & NEED_AWS) && !ctx->aws)
		return 0;
	if ((c->needs & NEED_CONFIG) && !ctx->config)
		return 0;
	return !(c->needs & NEED_CAPTURE);
}
