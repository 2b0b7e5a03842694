/* vpn-srcip: does traffic reach AWS from the registered customer gateway address? Gathers
 * four kinds of evidence (the kernel's route, an echo service, a capture, an IKE probe's
 * NAT-D) and says match, mismatch or unknown, and whether a NAT is on the way.
 *
 * Exit status: the report's (0 pass, 1 warn, 2 fail); 64 usage; 65/66 bad or unreadable
 * AWS evidence. Evidence that cannot be gathered (no capture privilege, offline) is a
 * "skip" or "warn" finding and does not change the status by itself. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/srcip.h"
#include "libdiag/srcip/srcip.h"
#include "cmd/aws_input.h"
#include "cmd/cli.h"
#include "cmd/srcip_cli.h"
#include "cmd/tools.h"
#include "libdiag/report.h"

static const char *const TOOL = "vpn-srcip";

#define MODEL_LIMIT ((size_t)1 << 30)

enum {
	OPT_ECHO_CACERT = 256, OPT_SAVE_PCAP, OPT_PROPOSAL, OPT_PORT, OPT_VPN_ID, OPT_JSON,
	OPT_MARKDOWN, OPT_WAIT, OPT_HELP, OPT_VERSION, OPT_AWS_BASE = 512, OPT_SRCIP_BASE = 640,
};

static const struct cli_opt options[] = {
	SRCIP_CLI_OPTS(OPT_SRCIP_BASE),
	{OPT_ECHO_CACERT, 0, "echo-cacert", "FILE", "CA bundle for an https echo service"},
	{OPT_SAVE_PCAP, 0, "save-pcap", "FILE", "with --capture: keep what was captured"},
	{OPT_PROPOSAL, 0, "proposal", "STR", "the probe's proposal (default: every AWS phase 1 "
					     "value)"},
	{OPT_PORT, 0, "port", "PORT", "the probe's port: 500 (default) or 4500"},
	{OPT_VPN_ID, 0, "vpn-connection-id", "ID", "the connection to read from the evidence"},
	AWS_INPUT_CLI_OPTS(OPT_AWS_BASE),
	{OPT_JSON, 0, "json", NULL, "the report as JSON"},
	{OPT_MARKDOWN, 0, "markdown", NULL, "the report as Markdown"},
	{OPT_WAIT, 0, "probe-wait", "MS", NULL}, /* tests: first retransmit wait */
	{OPT_HELP, 'h', "help", NULL, "this help"},
	{OPT_VERSION, 0, "version", NULL, "print the version"},
	{0, 0, NULL, NULL, NULL},
};

struct srcip_cmd {
	struct srcip_opts so;
	struct aws_input aws;
	const char *vpn_id;
	bool json, markdown, help, version;
};

static int handle_option(void *ctx, int id, const char *arg)
{
	struct srcip_cmd *c = ctx;
	char flag[64];
	uint64_t n;
	int rc;

	cli_flag_name(options, id, flag);
	if (id >= OPT_AWS_BASE && id < OPT_AWS_BASE + AWS_IN_COUNT)
		return aws_input_option(&c->aws, TOOL, id - OPT_AWS_BASE, arg);
	if (id >= OPT_SRCIP_BASE && id < OPT_SRCIP_BASE + SRCIP_CLI_COUNT)
		return srcip_cli_option(&c->so, TOOL, flag, id - OPT_SRCIP_BASE, arg);
	switch (id) {
	case OPT_ECHO_CACERT: c->so.cacert = arg; break;
	case OPT_SAVE_PCAP: c->so.save_pcap = arg; break;
	case OPT_PROPOSAL: c->so.proposal = arg; break;
	case OPT_PORT:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 65535, "port", &n)) != 0)
			return rc;
		if (n != 500 && n != 4500)
			return cli_usage_error(TOOL, "%s %s: invalid port (500 or 4500)", flag, arg);
		c->so.ike_port = (uint16_t)n;
		break;
	case OPT_VPN_ID: c->vpn_id = arg; c->aws.lo.vpn_connection_id = arg; break;
	case OPT_JSON: c->json = true; break;
	case OPT_MARKDOWN: c->markdown = true; break;
	case OPT_WAIT:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 10000, "milliseconds", &n)) != 0)
			return rc;
		c->so.wait_ms[0] = (unsigned)n;
		c->so.wait_ms[1] = (unsigned)n * 2;
		c->so.wait_ms[2] = (unsigned)n * 4;
		break;
	case OPT_HELP: c->help = true; break;
	case OPT_VERSION: c->version = true; break;
	default: return cli_usage_error(TOOL, "%s: unhandled option", flag);
	}
	return 0;
}

static int run(struct srcip_cmd *c)
{
	struct aws_model m;
	struct check_ctx ctx;
	struct report rep;
	int rc = 0;

	aws_model_init(&m, MODEL_LIMIT);
	if (aws_input_given(&c->aws) && (rc = aws_input_load(&m, &c->aws, TOOL)) != 0) {
		aws_model_free(&m);
		return rc;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.aws = aws_input_given(&c->aws) ? &m : NULL;
	ctx.vpn_connection_id = c->vpn_id;
	ctx.srcip = c->so;
	report_init(&rep, TOOL, VPN_DOCTOR_VERSION);
	srcip_check_run(&ctx, &rep);
	rc = cli_print_report(TOOL, &rep, c->json, c->markdown);
	report_free(&rep);
	aws_model_free(&m);
	return rc;
}

int vpn_srcip_main(int argc, char **argv)
{
	struct srcip_cmd c;
	int first = 0, rc;

	memset(&c, 0, sizeof c);
	rc = cli_parse(TOOL, options, argc, argv, handle_option, &c, &first);
	if (rc)
		return rc;
	if (c.help) {
		cli_usage(stdout, TOOL, "[--cgw-ip IP] [--peer IP]... [--aws-dir DIR | --aws-file "
					"FILE | --live] [--echo-url URL | --no-echo] [--capture IFACE "
					"[--seconds N] | --pcap FILE] [--no-ike] [--json | --markdown]",
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
	if (c.json && c.markdown)
		return cli_usage_error(TOOL, "--json and --markdown: choose one");
	if (c.so.capture_iface && c.so.pcap_file)
		return cli_usage_error(TOOL, "--capture and --pcap: choose one");
	if (c.so.save_pcap && !c.so.capture_iface)
		return cli_usage_error(TOOL, "--save-pcap goes with --capture");
	if (c.so.no_echo && c.so.echo_url)
		return cli_usage_error(TOOL, "--echo-url and --no-echo: choose one");
	if (!c.so.npeers && !aws_input_given(&c.aws))
		return cli_usage_error(TOOL, "no AWS outside address: give --peer IP or the AWS "
					     "evidence (--aws-dir, --aws-file, --live)");
	if (!c.so.cgw_ip && !aws_input_given(&c.aws))
		return cli_usage_error(TOOL, "no registered address: give --cgw-ip IP or the AWS "
					     "evidence");
	if (c.so.pcap_file) {
		/* a capture that cannot be read is bad input: one line and its exit status,
		 * before any probe is sent */
		static struct srcip_capture probe_read;
		struct diag_error err = {0};
		char msg[400];

		srcip_capture_init(&probe_read, NULL, 0);
		if (srcip_capture_file(&probe_read, c.so.pcap_file, &err) < 0) {
			fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, msg, sizeof msg));
			return err.code ? (int)err.code : DIAG_EXIT_DATAERR;
		}
	}
	return run(&c);
}
