/* vpn-doctor mtu HOST: the tunnel.mtu check on its own. Measures the path MTU toward HOST
 * (an address across the tunnel) with DF-set probes, compares it with AWS's MTU/MSS table
 * for the phase 2 algorithms and NAT-T, and says which TCP MSS clamp the gateway needs.
 *
 * Exit status: the report's (0 pass, 1 warn or error, 2 fail: a path MTU black hole);
 * 64 usage. A probe that cannot start (no ICMP permission, no route) is an "error"
 * finding with its reason. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/mtu.h"
#include "cmd/cli.h"
#include "cmd/tools.h"
#include "libdiag/report.h"

static const char *const TOOL = "vpn-mtu";

enum {
	/* a short option's id is its letter (cli.h) */
	OPT_PORT = 'p', OPT_UDP = 'u', OPT_WAIT = 'w', OPT_HELP = 'h',
	OPT_ICMP = 256, OPT_NATT, OPT_NO_NATT, OPT_ENC, OPT_INTEG, OPT_MAX, OPT_JSON, OPT_MARKDOWN,
	OPT_TRIES, OPT_BUDGET, OPT_VERSION,
};

static const struct cli_opt options[] = {
	{OPT_PORT, 'p', "port", "PORT", "probe UDP PORT (a service that answers, or a closed "
					"port: ICMP port unreachable counts)"},
	{OPT_UDP, 'u', "udp", NULL, "probe with UDP (default without --port: ICMP echo when "
				    "permitted, else UDP 33434)"},
	{OPT_ICMP, 0, "icmp", NULL, "probe with ICMP echo only (ping socket or CAP_NET_RAW)"},
	{OPT_NATT, 0, "nat-t", NULL, "the tunnel uses NAT-T (UDP 4500)"},
	{OPT_NO_NATT, 0, "no-nat-t", NULL, "the tunnel does not use NAT-T (default: unknown, "
					   "the worst case)"},
	{OPT_ENC, 0, "encryption", "ALG", "phase 2 encryption: AES128, AES256, AES128-GCM-16, "
					  "AES256-GCM-16 (default: the worst case)"},
	{OPT_INTEG, 0, "integrity", "ALG", "phase 2 integrity: SHA1, SHA2-256, SHA2-384, "
					   "SHA2-512"},
	{OPT_MAX, 0, "max", "BYTES", "largest packet to try (default 1500)"},
	{OPT_JSON, 0, "json", NULL, "the report as JSON"},
	{OPT_MARKDOWN, 0, "markdown", NULL, "the report as Markdown"},
	{OPT_WAIT, 'w', "wait", "MS", "wait per probe (default 1000)"},
	{OPT_TRIES, 0, "tries", "N", "sends per size before it counts as lost (default 2)"},
	{OPT_BUDGET, 0, "budget", "SECONDS", "bound on the whole search (default 60)"},
	{OPT_HELP, 'h', "help", NULL, "this help"},
	{OPT_VERSION, 0, "version", NULL, "print the version"},
	{0, 0, NULL, NULL, NULL},
};

struct mtu_cmd {
	struct mtu_opts mo;
	bool json, markdown, help, version, udp, icmp, natt, no_natt;
};

static int handle_option(void *ctx, int id, const char *arg)
{
	struct mtu_cmd *c = ctx;
	char flag[64];
	uint64_t n;
	int rc;

	cli_flag_name(options, id, flag);
	switch (id) {
	case OPT_PORT:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 65535, "port", &n)) != 0)
			return rc;
		c->mo.port = (uint16_t)n;
		break;
	case OPT_UDP: c->udp = true; break;
	case OPT_ICMP: c->icmp = true; break;
	case OPT_NATT: c->natt = true; break;
	case OPT_NO_NATT: c->no_natt = true; break;
	case OPT_ENC: c->mo.encryption = arg; break;
	case OPT_INTEG: c->mo.integrity = arg; break;
	case OPT_MAX:
		if ((rc = cli_integer(TOOL, flag, arg, 68, 9216, "size", &n)) != 0)
			return rc;
		c->mo.max_size = (int)n;
		break;
	case OPT_JSON: c->json = true; break;
	case OPT_MARKDOWN: c->markdown = true; break;
	case OPT_WAIT:
		if ((rc = cli_integer(TOOL, flag, arg, 10, 10000, "wait", &n)) != 0)
			return rc;
		c->mo.wait_ms = (unsigned)n;
		break;
	case OPT_TRIES:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 10, "tries", &n)) != 0)
			return rc;
		c->mo.tries = (unsigned)n;
		break;
	case OPT_BUDGET:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 600, "budget", &n)) != 0)
			return rc;
		c->mo.budget_ms = (unsigned)n * 1000u;
		break;
	case OPT_HELP: c->help = true; break;
	case OPT_VERSION: c->version = true; break;
	default: return cli_usage_error(TOOL, "%s: unhandled option", flag);
	}
	return 0;
}

/* Conflicts and names the check would refuse, caught before any probe. */
static int validate(struct mtu_cmd *c)
{
	struct diag_error err = {0};
	enum aws_mtu_enc e;
	enum aws_mtu_integ g;
	struct diag_addr a;
	struct aws_mtu_answer ans;
	char msg[300];

	if (c->json && c->markdown)
		return cli_usage_error(TOOL, "--json and --markdown: choose one");
	if (c->udp && c->icmp)
		return cli_usage_error(TOOL, "--udp and --icmp: choose one");
	if (c->icmp && c->mo.port)
		return cli_usage_error(TOOL, "--port goes with UDP, not --icmp");
	if (c->natt && c->no_natt)
		return cli_usage_error(TOOL, "--nat-t and --no-nat-t: choose one");
	if (!addr_parse(c->mo.target, &a))
		return cli_usage_error(TOOL, "%s: not an IP address (give the address of a host "
					     "across the tunnel)", c->mo.target);
	c->mo.method = c->udp ? PMTU_UDP : c->icmp ? PMTU_ICMP : PMTU_AUTO;
	c->mo.nat_t = c->natt ? AWS_NATT_ON : c->no_natt ? AWS_NATT_OFF : AWS_NATT_UNKNOWN;
	if (aws_mtu_enc_parse(c->mo.encryption, &e, &err) < 0 ||
	    aws_mtu_integ_parse(c->mo.integrity, &g, &err) < 0)
		return cli_usage_error(TOOL, "--%s", diag_error_text(&err, msg, sizeof msg));
	if (!aws_mtu_lookup(e, g, c->mo.nat_t, &ans))
		return cli_usage_error(TOOL, "--integrity: AES-CBC needs an integrity algorithm");
	return 0;
}

static int run(struct mtu_cmd *c)
{
	struct check_ctx ctx;
	struct report rep;
	int rc;

	memset(&ctx, 0, sizeof ctx);
	ctx.mtu = c->mo;
	report_init(&rep, TOOL, VPN_DOCTOR_VERSION);
	mtu_check_run(&ctx, &rep);
	rc = cli_print_report(TOOL, &rep, c->json, c->markdown);
	report_free(&rep);
	return rc;
}

int vpn_mtu_main(int argc, char **argv)
{
	struct mtu_cmd c;
	int first = 0, rc;

	memset(&c, 0, sizeof c);
	rc = cli_parse(TOOL, options, argc, argv, handle_option, &c, &first);
	if (rc)
		return rc;
	if (c.help) {
		cli_usage(stdout, TOOL, "HOST [--port PORT | --icmp] [--nat-t | --no-nat-t] "
					"[--encryption ALG] [--integrity ALG] [--json | --markdown]",
			  options);
		return DIAG_EXIT_PASS;
	}
	if (c.version) {
		printf("%s %s\n", TOOL, VPN_DOCTOR_VERSION);
		return DIAG_EXIT_PASS;
	}
	if (first >= argc)
		return cli_usage_error(TOOL, "no HOST: give the address of a host across the "
					     "tunnel");
	if (first + 1 < argc)
		return cli_usage_error(TOOL, "%s: unexpected argument", argv[first + 1]);
	c.mo.target = argv[first];
	if ((rc = validate(&c)) != 0)
		return rc;
	return run(&c);
}
