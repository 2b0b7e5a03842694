/* vpn-ike check: reads a customer gateway's configuration (any dialect devconf knows),
 * matches each of its IKE peers to an AWS tunnel by outside address, and predicts what
 * AWS will do with it per phase: a table per tunnel, then the findings of the ike.config
 * check (ike.version, ike.mode, ike.phase1, ike.phase2, ike.lifetime, ike.dpd,
 * ike.initiation, ike.psk).
 *
 * AWS evidence comes from --aws-dir / --aws-file (the AWS CLI's describe-* JSON, as
 * vpn-aws reads it); without it AWS's defaults are assumed, and the report says so.
 *
 * Exit status (libdiag/exitcode.h): 0 every finding passed, 1 a warning, 2 a failure; 64
 * usage; 65 a configuration or AWS file that cannot be read as one ("FILE:LINE: why");
 * 66 a file missing or unreadable; 70 memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/ike_config.h"
#include "cmd/aws_input.h"
#include "cmd/cli.h"
#include "cmd/ike_cmd.h"
#include "libdiag/aws/load_json.h"
#include "libdiag/devconf/devconf.h"
#include "libdiag/exitcode.h"
#include "libdiag/report.h"

static const char *const TOOL = "vpn-ike check";

#define MODEL_LIMIT ((size_t)1 << 30)

enum {
	OPT_CONFIG = 256, OPT_FORMAT, OPT_DUMP, OPT_VPN_ID, OPT_JSON, OPT_MARKDOWN, OPT_HELP,
	OPT_VERSION, OPT_AWS_BASE = 512,
};

static const struct cli_opt options[] = {
	{OPT_CONFIG, 0, "config", "FILE", "the customer gateway's configuration ('-': stdin)"},
	{OPT_FORMAT, 0, "format", "F", "its dialect: swanctl, ipsec.conf, libreswan, asa, ios, "
				       "junos, panos, fortios, aws-generic, aws-xml (default: "
				       "detected)"},
	{OPT_DUMP, 0, "dump", NULL, "print the configuration as read (the model) and stop"},
	AWS_INPUT_CLI_OPTS(OPT_AWS_BASE),
	{OPT_VPN_ID, 0, "vpn-connection-id", "ID", "judge against this VPN connection's "
						   "tunnels only"},
	{OPT_JSON, 0, "json", NULL, "the report as JSON"},
	{OPT_MARKDOWN, 0, "markdown", NULL, "the report as Markdown"},
	{OPT_HELP, 'h', "help", NULL, "this help"},
	{OPT_VERSION, 0, "version", NULL, "print the version"},
	{0, 0, NULL, NULL, NULL},
};

struct check_cmd {
	const char *config, *format_name, *vpn_id;
	enum devconf_format format;
	bool dump, json, markdown, help, version;
	struct aws_input aws;
};

static int handle_option(void *ctx, int id, const char *arg)
{
	struct check_cmd *c = ctx;
	char flag[64];

	cli_flag_name(options, id, flag);
	if (id >= OPT_AWS_BASE && id < OPT_AWS_BASE + AWS_IN_COUNT)
		return aws_input_option(&c->aws, TOOL, id - OPT_AWS_BASE, arg);
	switch (id) {
	case OPT_CONFIG: c->config = arg; break;
	case OPT_FORMAT:
		if ((c->format = devconf_format_parse(arg)) == DEVCONF_UNKNOWN)
			return cli_usage_error(TOOL, "%s %s: unknown format (swanctl, ipsec.conf, "
						     "libreswan, asa, ios, junos, panos, fortios, "
						     "aws-generic, aws-xml)", flag, arg);
		c->format_name = arg;
		break;
	case OPT_DUMP: c->dump = true; break;
	case OPT_VPN_ID:
		c->vpn_id = arg;
		c->aws.lo.vpn_connection_id = arg;
		break;
	case OPT_JSON: c->json = true; break;
	case OPT_MARKDOWN: c->markdown = true; break;
	case OPT_HELP: c->help = true; break;
	case OPT_VERSION: c->version = true; break;
	default: return cli_usage_error(TOOL, "%s: unhandled option", flag);
	}
	return 0;
}

/* The whole file (at most DEVCONF_MAX_BYTES + 1 bytes, so devconf_parse can refuse a
 * larger one) into a malloc'ed buffer. Returns 0, or an exit status with the error
 * printed. */
static int read_config(const char *path, char **buf, size_t *len)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *b;

	if (!fp) {
		fprintf(stderr, "%s: %s: %s\n", TOOL, path, strerror(errno));
		return DIAG_EXIT_NOINPUT;
	}
	if (!(b = malloc(cap))) {
		if (fp != stdin)
			fclose(fp);
		fprintf(stderr, "%s: out of memory\n", TOOL);
		return DIAG_EXIT_SOFTWARE;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			char *nb;

			if (cap > DEVCONF_MAX_BYTES)
				break;
			cap *= 2;
			if (!(nb = realloc(b, cap))) {
				free(b);
				if (fp != stdin)
					fclose(fp);
				fprintf(stderr, "%s: out of memory\n", TOOL);
				return DIAG_EXIT_SOFTWARE;
			}
			b = nb;
		}
		got = fread(b + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		int e = errno;

		free(b);
		if (fp != stdin)
			fclose(fp);
		fprintf(stderr, "%s: %s: %s\n", TOOL, path, strerror(e ? e : EIO));
		return DIAG_EXIT_NOINPUT;
	}
	if (fp != stdin)
		fclose(fp);
	*buf = b;
	*len = n;
	return 0;
}

/* Untrusted text (names from the configuration) to a terminal: control characters
 * become '?'. */
static void put_safe(FILE *fp, const char *s)
{
	for (; s && *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, fp);
}

static void put_cell(FILE *fp, const char *s, int width)
{
	int n = (int)strlen(s);

	put_safe(fp, s);
	fprintf(fp, "%*s", n < width ? width - n + 2 : 2, "");
}

static const char *verdict_word(enum diag_status s)
{
	switch (s) {
	case DIAG_PASS: return "ok";
	case DIAG_WARN: return "WARN";
	case DIAG_FAIL: return "FAIL";
	case DIAG_SKIP: return "-";
	case DIAG_ERROR: return "ERROR";
	}
	return "?";
}

/* Per tunnel: parameter, verdict, device value, what AWS allows; then the prediction. */
static void print_tables(FILE *fp, const struct ike_tunnel_prediction *tp, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		put_safe(fp, tp[i].subject);
		fputs("\n  AWS side: ", fp);
		put_safe(fp, tp[i].aws_side);
		fputs("\n  ", fp);
		put_cell(fp, "parameter", 14);
		put_cell(fp, "verdict", 7);
		put_cell(fp, "device", 36);
		fputs("AWS allows\n", fp);
		for (size_t k = 0; k < IKE_I_COUNT; k++) {
			const struct ike_item *it = &tp[i].items[k];

			fputs("  ", fp);
			put_cell(fp, it->param, 14);
			put_cell(fp, verdict_word(it->status), 7);
			put_cell(fp, it->device, 36);
			put_safe(fp, it->aws);
			fputc('\n', fp);
		}
		fprintf(fp, "  prediction: %s", ike_outcome_name(tp[i].outcome));
		if (tp[i].chosen_phase1[0]) {
			fputs("; phase 1 ", fp);
			put_safe(fp, tp[i].chosen_phase1);
		}
		if (tp[i].chosen_phase2[0]) {
			fputs("; phase 2 ", fp);
			put_safe(fp, tp[i].chosen_phase2);
		}
		fputs("\n\n", fp);
	}
}

static int load_aws(struct aws_model *m, const struct check_cmd *c)
{
	int rc = aws_input_load(m, &c->aws, TOOL);

	if (rc != 0)
		return rc;
	if (c->vpn_id && !aws_find_vpn_connection(m, c->vpn_id)) {
		fprintf(stderr, "%s: --vpn-connection-id %s: not in the AWS evidence\n", TOOL,
			c->vpn_id);
		return DIAG_EXIT_DATAERR;
	}
	return 0;
}

static int report_out(const struct check_cmd *c, const struct devconf_model *cfg,
		      const struct aws_model *aws)
{
	struct ike_tunnel_prediction *tp = NULL;
	struct check_ctx ctx;
	struct report rep;
	size_t n = 0;
	char *out;
	int rc;

	memset(&ctx, 0, sizeof ctx);
	ctx.config = cfg;
	ctx.aws = aws;
	ctx.vpn_connection_id = c->vpn_id;
	report_init(&rep, "vpn-ike", VPN_DOCTOR_VERSION);
	if (!c->json && !c->markdown) {
		if (ike_predict(cfg, aws, c->vpn_id, &tp, &n) < 0) {
			fprintf(stderr, "%s: out of memory\n", TOOL);
			report_free(&rep);
			return DIAG_EXIT_SOFTWARE;
		}
		print_tables(stdout, tp, n);
		free(tp);
	}
	check_ike_config.run(&ctx, &rep);
	out = report_render(&rep, c->json ? REPORT_JSON : c->markdown ? REPORT_MARKDOWN
								  : REPORT_TEXT,
			    !c->json && !c->markdown && cli_use_color(stdout) ? REPORT_COLOR : 0);
	if (!out || rep.oom) {
		fprintf(stderr, "%s: out of memory\n", TOOL);
		free(out);
		report_free(&rep);
		return DIAG_EXIT_SOFTWARE;
	}
	fputs(out, stdout);
	free(out);
	rc = report_exit_code(&rep);
	report_free(&rep);
	return rc;
}

static int run(const struct check_cmd *c)
{
	struct devconf_model cfg;
	struct diag_error err = {0};
	struct aws_model aws;
	char *text = NULL, buf[512];
	size_t len = 0;
	int rc;

	if ((rc = read_config(c->config, &text, &len)) != 0)
		return rc;
	rc = devconf_parse(text, len, c->format, strcmp(c->config, "-") == 0 ? "<stdin>" :
			   c->config, &cfg, &err);
	free(text); /* the model keeps no key; the text may hold one */
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, buf, sizeof buf));
		devconf_free(&cfg);
		return err.code ? (int)err.code : DIAG_EXIT_DATAERR;
	}
	if (c->dump) {
		char *d = devconf_dump(&cfg);

		devconf_free(&cfg);
		if (!d) {
			fprintf(stderr, "%s: out of memory\n", TOOL);
			return DIAG_EXIT_SOFTWARE;
		}
		for (const char *q = d; *q; q++) /* names came from the file: no escapes */
			fputc(*q == '\n' || ((unsigned char)*q >= 0x20 && *q != 0x7f) ? *q : '?',
			      stdout);
		free(d);
		return DIAG_EXIT_PASS;
	}
	aws_model_init(&aws, MODEL_LIMIT);
	rc = aws_input_given(&c->aws) ? load_aws(&aws, c) : 0;
	if (rc == 0)
		rc = report_out(c, &cfg, aws_input_given(&c->aws) ? &aws : NULL);
	aws_model_free(&aws);
	devconf_free(&cfg);
	return rc;
}

int ike_check_main(int argc, char **argv)
{
	struct check_cmd c;
	int first = 0, rc;

	memset(&c, 0, sizeof c);
	if ((rc = cli_parse(TOOL, options, argc, argv, handle_option, &c, &first)) != 0)
		return rc;
	if (c.help) {
		cli_usage(stdout, "vpn-ike check", "--config FILE [--format F] [--dump] "
						   "[--aws-dir DIR | --aws-file FILE | --live] "
						   "[--vpn-connection-id ID] [--json | --markdown]",
			  options);
		return DIAG_EXIT_PASS;
	}
	if (c.version) {
		printf("vpn-ike %s\n", VPN_DOCTOR_VERSION);
		return DIAG_EXIT_PASS;
	}
	if (first < argc)
		return cli_usage_error(TOOL, "%s: unexpected argument (the configuration goes "
					     "with --config)", argv[first]);
	if (!c.config)
		return cli_usage_error(TOOL, "no configuration (use --config FILE)");
	if (c.json && c.markdown)
		return cli_usage_error(TOOL, "--json and --markdown: choose one format");
	if ((rc = aws_input_check(&c.aws, TOOL)) != 0)
		return rc;
	if (c.vpn_id && !aws_input_given(&c.aws))
		return cli_usage_error(TOOL, "--vpn-connection-id needs AWS evidence (--aws-dir, "
					     "--aws-file or --live)");
	if (c.dump && (aws_input_given(&c.aws) || c.json || c.markdown))
		return cli_usage_error(TOOL, "--dump prints the configuration only: no --aws-*, "
					     "--json or --markdown with it");
	rc = run(&c);
	if (fflush(stdout) != 0 && rc < DIAG_EXIT_USAGE) {
		fprintf(stderr, "%s: stdout: %s\n", TOOL, strerror(errno));
		return DIAG_EXIT_OSERR;
	}
	return rc;
}
