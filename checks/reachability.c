#include "checks/reachability.h"

#include "libdiag/probe_targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void reach_tally_add(struct reach_tally *t, const struct probe_result *r)
{
	if (r->state == PROBE_OPEN || r->state == PROBE_REFUSED || r->state == PROBE_CLOSED)
		t->answered++;
}

void reach_finding(struct report *rep, const struct reach_tally *t,
		   const struct probe_stats *st, const char *subject)
{
	uint64_t probes = st->done;
	enum diag_status status = probes == 0      ? DIAG_SKIP
				  : t->answered == probes ? DIAG_PASS
				  : t->answered == 0      ? DIAG_FAIL
							  : DIAG_WARN;
	double secs = (double)st->elapsed_us / 1e6;
	struct finding *f = report_add(rep, "probe.reachability", status, subject,
				       "%llu of %llu probes answered (%llu open)",
				       (unsigned long long)t->answered,
				       (unsigned long long)probes,
				       (unsigned long long)st->by_state[PROBE_OPEN]);

	finding_ev_num(f, "probes", (double)probes);
	for (int s = 0; s < PROBE_STATE_COUNT; s++)
		finding_ev_num(f, probe_state_name(s), (double)st->by_state[s]);
	finding_ev_num(f, "elapsed_s", (double)st->elapsed_us / 1e6);
	finding_ev_num(f, "rate_per_s", secs > 0 ? (double)(uint64_t)((double)probes / secs + 0.5) : 0);
	finding_ev_num(f, "concurrency", st->concurrency);
	if (st->interrupted)
		finding_ev_bool(f, "interrupted", true);
	if (status == DIAG_FAIL)
		finding_fix(f, "Nothing answered: check that the tunnel is UP, that the VPC route "
			       "tables propagate the virtual private gateway's routes, and that "
			       "security groups and network ACLs allow this traffic.");
	else if (status == DIAG_WARN)
		finding_fix(f, "Some targets did not answer: filtered probes point at security "
			       "groups, network ACLs or a missing route; unreachable ones name the "
			       "router that refused them.");
	finding_ref(f, "https://docs.aws.amazon.com/vpn/latest/s2svpn/Troubleshooting.html");
}

struct run_ctx {
	struct target_iter it;
	struct reach_tally tally;
};

static void on_result(void *arg, const struct probe_result *r)
{
	reach_tally_add(&((struct run_ctx *)arg)->tally, r);
}

static int run(const struct check_ctx *ctx, struct report *rep)
{
	struct run_ctx *rc = calloc(1, sizeof *rc);
	struct probe_stats st;
	struct diag_error err = {0};
	char subject[256] = "";

	if (!rc) {
		report_add(rep, "probe.reachability", DIAG_ERROR, "targets", "out of memory");
		return -1;
	}
	for (int i = 0; i < ctx->n_target_specs; i++)
		snprintf(subject + strlen(subject), sizeof subject - strlen(subject), "%s%s",
			 i ? " " : "", ctx->target_specs[i]);
	target_iter_init(&rc->it, &ctx->target_opts, ctx->ports, ctx->target_specs,
			 ctx->n_target_specs, ctx->target_file, ctx->target_file_name);
	if (probe_run(&ctx->probe_opts, probe_next_from_targets, &rc->it, on_result, rc, &st, &err) < 0) {
		char buf[512];

		report_add(rep, "probe.reachability", DIAG_ERROR, subject[0] ? subject : "targets",
			   "%s", diag_error_text(&err, buf, sizeof buf));
		free(rc);
		return -1;
	}
	reach_finding(rep, &rc->tally, &st, subject[0] ? subject : "targets");
	free(rc);
	return 0;
}

const struct check check_probe_reachability = {
	.id = "probe.reachability",
	.summary = "targets across the tunnel answer TCP, UDP or ICMP probes",
	.needs = NEED_NETWORK | NEED_TARGETS,
	.enable = "--targets CIDR:PORTS",
	.run = run,
};
