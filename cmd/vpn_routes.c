/* vpn-routes: the VPC side of a Site-to-Site VPN from the AWS evidence. Finds the VPC, its
 * virtual private gateway and VPN connections, and for every route table says whether the
 * gateway propagates into it and which route carries each remote network (AWS's longest
 * prefix match and priority rules), then the routes.* and tunnel.* findings. With
 * --vpn-logs, the tunnel log findings join them.
 *
 * Exit status: the report's (0 pass, 1 warn/fail), 64 usage, 65 bad evidence, 66 an input
 * that cannot be read, 69/71 for --live failures (see vpn-aws). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/aws_logs.h"
#include "checks/routes.h"
#include "checks/routes_view.h"
#include "checks/tunnel_health.h"
#include "cmd/aws_input.h"
#include "cmd/cli.h"
#include "cmd/tools.h"
#include "libdiag/report.h"

static const char *const TOOL = "vpn-routes";

#define MODEL_LIMIT ((size_t)1 << 30)
#define MAX_REMOTES 64

enum {
	OPT_VPC = 256, OPT_CLUSTER, OPT_VPN_ID, OPT_REMOTE, OPT_LOGS, OPT_JSON, OPT_MARKDOWN,
	OPT_HELP, OPT_VERSION, OPT_AWS_BASE = 512,
};

static const struct cli_opt options[] = {
	AWS_INPUT_CLI_OPTS(OPT_AWS_BASE),
	{OPT_VPC, 0, "vpc-id", "ID", "the cluster's VPC"},
	{OPT_CLUSTER, 0, "cluster", "INFRA_ID", "find the VPC by the cluster's "
						"kubernetes.io/cluster/INFRA_ID tag"},
	{OPT_VPN_ID, 0, "vpn-connection-id", "ID", "judge this VPN connection"},
	{OPT_REMOTE, 0, "remote-cidr", "CIDR", "an on-premises network (repeatable; default: "
					      "the static and propagated routes)"},
	{OPT_LOGS, 0, "vpn-logs", "FILE", "add the tunnel log findings of FILE"},
	{OPT_JSON, 0, "json", NULL, "the report as JSON"},
	{OPT_MARKDOWN, 0, "markdown", NULL, "the report as Markdown"},
	{OPT_HELP, 'h', "help", NULL, "this help"},
	{OPT_VERSION, 0, "version", NULL, "print the version"},
	{0, 0, NULL, NULL, NULL},
};

struct routes_cmd {
	struct aws_input aws;
	struct routes_opts ro;
	char *remotes[MAX_REMOTES];
	const char *logs;
	bool json, markdown, help, version;
};

static int handle_option(void *ctx, int id, const char *arg)
{
	struct routes_cmd *c = ctx;
	char flag[64];

	cli_flag_name(options, id, flag);
	if (id >= OPT_AWS_BASE && id < OPT_AWS_BASE + AWS_IN_COUNT)
		return aws_input_option(&c->aws, TOOL, id - OPT_AWS_BASE, arg);
	switch (id) {
	case OPT_VPC: c->ro.vpc_id = arg; break;
	case OPT_CLUSTER: c->ro.cluster = arg; break;
	case OPT_VPN_ID:
		c->ro.vpn_connection_id = arg;
		c->aws.lo.vpn_connection_id = arg;
		break;
	case OPT_REMOTE:
		if (c->ro.n_remote_cidrs == MAX_REMOTES)
			return cli_usage_error(TOOL, "%s: at most %d", flag, MAX_REMOTES);
		c->remotes[c->ro.n_remote_cidrs++] = (char *)arg;
		break;
	case OPT_LOGS: c->logs = arg; break;
	case OPT_JSON: c->json = true; break;
	case OPT_MARKDOWN: c->markdown = true; break;
	case OPT_HELP: c->help = true; break;
	case OPT_VERSION: c->version = true; break;
	default: return cli_usage_error(TOOL, "%s: unhandled option", flag);
	}
	return 0;
}

/* Untrusted text to a terminal: control characters become '?'. */
static void put(const char *s)
{
	for (; s && *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

static const char *outcome_word(enum rv_outcome o, long partial)
{
	switch (o) {
	case RV_VIA_VGW: return partial >= 0 ? "partly shadowed" : "via the gateway";
	case RV_SHADOWED: return "shadowed";
	case RV_BLACKHOLE: return "blackhole";
	case RV_NO_ROUTE: return "not covered";
	}
	return "?";
}

/* The readable part: VPC, gateway, connections, remote networks, one block per table. */
static void print_view(const struct routes_view *v)
{
	char buf[256];

	if (v->problem[0]) {
		fputs("VPC: ", stdout);
		put(v->problem);
		putchar('\n');
		return;
	}
	fputs("VPC ", stdout);
	put(v->vpc_id);
	printf(" (found by %s), gateway ", v->vpc_how ? v->vpc_how : "the evidence");
	put(v->vgw->id);
	printf(" %s, %s\n", v->vgw_attachment_state ? v->vgw_attachment_state : "not attached",
	       v->vgw->state ? v->vgw->state : "state unknown");
	for (size_t i = 0; i < v->nconns; i++) {
		fputs("VPN connection ", stdout);
		put(v->conns[i]->id);
		printf(" (%s, %s)\n", v->conns[i]->state ? v->conns[i]->state : "state unknown",
		       v->conns[i]->static_routes_only == 1 ? "static routing" : "BGP");
	}
	fputs("remote networks:", stdout);
	for (size_t r = 0; r < v->nremotes; r++) {
		putchar(' ');
		put(v->remotes[r].cidr);
	}
	puts(v->nremotes ? "" : " none known (--remote-cidr)");
	for (size_t i = 0; i < v->ntables; i++) {
		const struct rv_table *t = &v->tables[i];
		size_t k;

		putchar('\n');
		put(t->rt->id);
		if (t->public)
			printf("  public%s, %zu subnet%s\n", t->main ? ", main" : "", t->nsubnets,
			       t->nsubnets == 1 ? "" : "s");
		else
			printf("  private, rank %d%s, propagation %s, %zu subnet%s\n", t->rank,
			       t->main ? ", main" : "", t->propagates ? "on" : "off", t->nsubnets,
			       t->nsubnets == 1 ? "" : "s");
		for (k = 0; k < t->nsubnets; k++) {
			fputs(k ? " " : "  subnets: ", stdout);
			put(t->subnets[k]);
			if (k >= t->explicit_subnets)
				fputs(" (through main)", stdout);
		}
		if (k)
			putchar('\n');
		if (t->public)
			continue;
		for (size_t r = 0; r < v->nremotes; r++) {
			const struct rv_verdict *vd = &t->verdicts[r];

			fputs("  ", stdout);
			put(v->remotes[r].cidr);
			printf(": %s, ", outcome_word(vd->outcome, vd->partial));
			put(vd->route >= 0 ? rv_route_desc(&t->rt->routes[vd->route], buf, sizeof buf)
					   : "no route");
			putchar('\n');
		}
	}
	putchar('\n');
}

static int read_logs(const char *name, struct report *rep)
{
	struct aws_logs *al = aws_logs_new();
	struct diag_error err = {0};
	char buf[512];
	FILE *fp;
	int rc = 0;

	if (!al) {
		fprintf(stderr, "%s: out of memory\n", TOOL);
		return DIAG_EXIT_SOFTWARE;
	}
	if (strcmp(name, "-") == 0) {
		fp = stdin;
	} else if (!(fp = fopen(name, "r"))) {
		fprintf(stderr, "%s: %s: %s\n", TOOL, name, strerror(errno));
		aws_logs_free(al);
		return DIAG_EXIT_NOINPUT;
	}
	if (aws_logs_read(al, fp, name, &err) < 0) {
		fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, buf, sizeof buf));
		rc = err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
	}
	if (fp != stdin)
		fclose(fp);
	if (rc == 0)
		aws_logs_findings(al, rep);
	aws_logs_free(al);
	return rc;
}

static int run(struct routes_cmd *c)
{
	struct aws_model m;
	struct check_ctx ctx;
	struct routes_view v;
	struct report rep;
	struct diag_error err = {0};
	char msg[512];
	int rc;

	aws_model_init(&m, MODEL_LIMIT);
	if ((rc = aws_input_load(&m, &c->aws, TOOL)) != 0) {
		aws_model_free(&m);
		return rc;
	}
	c->ro.remote_cidrs = c->remotes;
	if (routes_view_build(&m, &c->ro, &v, &err) < 0) {
		fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, msg, sizeof msg));
		routes_view_free(&v);
		aws_model_free(&m);
		return err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
	}
	if (!c->json && !c->markdown)
		print_view(&v);
	routes_view_free(&v);
	memset(&ctx, 0, sizeof ctx);
	ctx.aws = &m;
	ctx.routes = c->ro;
	ctx.vpn_connection_id = c->ro.vpn_connection_id;
	report_init(&rep, TOOL, VPN_DOCTOR_VERSION);
	check_routes.run(&ctx, &rep);
	check_tunnel_health.run(&ctx, &rep);
	if (c->logs && (rc = read_logs(c->logs, &rep)) != 0) {
		report_free(&rep);
		aws_model_free(&m);
		return rc;
	}
	rc = cli_print_report(TOOL, &rep, c->json, c->markdown);
	report_free(&rep);
	aws_model_free(&m);
	return rc;
}

int vpn_routes_main(int argc, char **argv)
{
	struct routes_cmd c;
	int first = 0, rc;

	memset(&c, 0, sizeof c);
	rc = cli_parse(TOOL, options, argc, argv, handle_option, &c, &first);
	if (rc)
		return rc;
	if (c.help) {
		cli_usage(stdout, TOOL, "--aws-dir DIR | --aws-file FILE... | --live [--vpc-id ID | "
					"--cluster INFRA_ID] [--vpn-connection-id ID] "
					"[--remote-cidr CIDR]... [--vpn-logs FILE] [--json | --markdown]",
			  options);
		return DIAG_EXIT_PASS;
	}
	if (c.version) {
		printf("%s %s\n", TOOL, VPN_DOCTOR_VERSION);
		return DIAG_EXIT_PASS;
	}
	if (first < argc)
		return cli_usage_error(TOOL, "%s: unexpected argument", argv[first]);
	if ((rc = aws_input_check(&c.aws, TOOL)) != 0)
		return rc;
	if (!aws_input_given(&c.aws))
		return cli_usage_error(TOOL, "no AWS evidence (use --aws-dir DIR, --aws-file FILE "
					     "or --live)");
	if (c.json && c.markdown)
		return cli_usage_error(TOOL, "--json and --markdown: choose one");
	if (c.ro.vpc_id && c.ro.cluster)
		return cli_usage_error(TOOL, "--vpc-id and --cluster: choose one");
	return run(&c);
}
