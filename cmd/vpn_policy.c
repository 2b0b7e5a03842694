/* vpn-policy: does the customer gateway negotiate more than one SA pair per tunnel? AWS's
 * side is route-based and takes exactly one SA pair per tunnel; a policy-based device makes
 * one per ACL entry / subnet pair. The evidence, any mix of:
 *   --config FILE         the device configuration (every dialect devconf reads)
 *   --xfrm                the kernel's XFRM policies and SAs (a Linux customer gateway)
 *   --xfrm-file FILE      a dump recorded with --xfrm-record (tests, support cases)
 *   --pcap FILE           a capture: ESP SPIs per address pair, CREATE_CHILD_SA / QM
 *   --capture IFACE       the same, live for --duration seconds
 *   --aws-dir/--aws-file/--live   the VPN connection's Local/RemoteIpv4NetworkCidr
 *   --vpn-logs FILE       TS_UNACCEPTABLE in AWS's tunnel logs
 * Text mode prints what each source shows per peer, then the policy.selectors findings.
 *
 * Exit status (libdiag/exitcode.h): 0 pass, 1 a warning, 2 a failure; 64 usage; 65 an
 * input that cannot be read as what it claims to be; 66 a file missing; 70 memory; 71 a
 * socket / capture error; 77 no privilege for --xfrm / --capture. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/policy.h"
#include "cmd/aws_input.h"
#include "cmd/cli.h"
#include "cmd/tools.h"
#include "libdiag/devconf/devconf.h"
#include "libdiag/exitcode.h"
#include "libdiag/report.h"
#include "libdiag/xfrm/xfrm.h"

static const char *const TOOL = "vpn-policy";

#define MODEL_LIMIT ((size_t)1 << 30)

enum {
	OPT_CONFIG = 256, OPT_FORMAT, OPT_XFRM, OPT_XFRM_FILE, OPT_XFRM_RECORD, OPT_PCAP,
	OPT_CAPTURE, OPT_DURATION, OPT_VPN_ID, OPT_LOGS, OPT_JSON, OPT_MARKDOWN, OPT_HELP,
	OPT_VERSION, OPT_AWS_BASE = 512,
};

static const struct cli_opt options[] = {
	{OPT_CONFIG, 0, "config", "FILE", "the customer gateway's configuration ('-': stdin)"},
	{OPT_FORMAT, 0, "format", "F", "its dialect: swanctl, ipsec.conf, libreswan, asa, ios, "
				       "junos, panos, fortios, aws-generic, aws-xml (default: "
				       "detected)"},
	{OPT_XFRM, 0, "xfrm", NULL, "read this host's XFRM policies and SAs (netlink; needs "
				    "CAP_NET_ADMIN)"},
	{OPT_XFRM_FILE, 0, "xfrm-file", "FILE", "decode a recorded XFRM dump instead of the "
						"kernel"},
	{OPT_XFRM_RECORD, 0, "xfrm-record", "FILE", "with --xfrm: also write the raw dump "
						    "(keys zeroed) to FILE"},
	{OPT_PCAP, 0, "pcap", "FILE", "a capture file (pcap or pcapng)"},
	{OPT_CAPTURE, 0, "capture", "IFACE", "capture live on IFACE (needs CAP_NET_RAW)"},
	{OPT_DURATION, 0, "duration", "SECONDS", "with --capture: how long (default 10)"},
	AWS_INPUT_CLI_OPTS(OPT_AWS_BASE),
	{OPT_VPN_ID, 0, "vpn-connection-id", "ID", "judge against this VPN connection"},
	{OPT_LOGS, 0, "vpn-logs", "FILE", "AWS's tunnel logs: count TS_UNACCEPTABLE"},
	{OPT_JSON, 0, "json", NULL, "the report as JSON"},
	{OPT_MARKDOWN, 0, "markdown", NULL, "the report as Markdown"},
	{OPT_HELP, 'h', "help", NULL, "this help"},
	{OPT_VERSION, 0, "version", NULL, "print the version"},
	{0, 0, NULL, NULL, NULL},
};

struct policy_cmd {
	const char *config, *xfrm_file, *xfrm_record, *pcap, *capture, *vpn_id, *logs;
	enum devconf_format format;
	double duration;
	bool xfrm, json, markdown, help, version;
	struct aws_input aws;
};

static int handle_option(void *ctx, int id, const char *arg)
{
	struct policy_cmd *c = ctx;
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
		break;
	case OPT_XFRM: c->xfrm = true; break;
	case OPT_XFRM_FILE: c->xfrm_file = arg; break;
	case OPT_XFRM_RECORD: c->xfrm_record = arg; break;
	case OPT_PCAP: c->pcap = arg; break;
	case OPT_CAPTURE: c->capture = arg; break;
	case OPT_DURATION:
		return cli_number(TOOL, flag, arg, 0.1, 3600, "duration", &c->duration);
	case OPT_VPN_ID:
		c->vpn_id = arg;
		c->aws.lo.vpn_connection_id = arg;
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

/* Untrusted text (names from a configuration) to a terminal: control characters
 * become '?'. */
static void put(const char *s)
{
	for (; s && *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

static int fail_with(const struct diag_error *err)
{
	char buf[512];

	fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(err, buf, sizeof buf));
	return err->code ? (int)err->code : DIAG_EXIT_SOFTWARE;
}

/* The whole file (at most max + 1 bytes, so the caller can refuse a larger one) into a
 * malloc'ed buffer. Returns 0, or an exit status with the error printed. */
static int slurp(const char *path, size_t max, char **buf, size_t *len)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *b;

	if (!fp) {
		fprintf(stderr, "%s: %s: %s\n", TOOL, path, strerror(errno));
		return DIAG_EXIT_NOINPUT;
	}
	b = malloc(cap);
	while (b) {
		size_t got;

		if (n == cap) {
			char *nb = cap > max ? NULL : realloc(b, cap * 2);

			if (!nb)
				break;
			b = nb;
			cap *= 2;
		}
		got = fread(b + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (b && ferror(fp)) {
		int e = errno;

		free(b);
		if (fp != stdin)
			fclose(fp);
		fprintf(stderr, "%s: %s: %s\n", TOOL, path, strerror(e ? e : EIO));
		return DIAG_EXIT_NOINPUT;
	}
	if (fp != stdin)
		fclose(fp);
	if (!b) {
		fprintf(stderr, "%s: out of memory\n", TOOL);
		return DIAG_EXIT_SOFTWARE;
	}
	*buf = b;
	*len = n;
	return 0;
}

static void print_peer(const struct policy_peer *p)
{
	put(p->subject);
	printf(": %zu SA pair%s", p->sa_pairs, p->sa_pairs == 1 ? "" : "s");
	if (p->route_marker) {
		fputs(", ", stdout);
		put(p->marker);
	}
	putchar('\n');
	for (size_t i = 0; i < p->npairs; i++) {
		const struct policy_pair *q = &p->pairs[i];

		fputs("  ", stdout);
		put(q->local);
		fputs(" <-> ", stdout);
		put(q->remote);
		if (q->name[0]) {
			fputs("  ", stdout);
			put(q->name);
		}
		if (q->line)
			printf(" (line %d)", q->line);
		if (q->dirs)
			printf("  [%s%s%s]", q->dirs & 2u ? "out " : "", q->dirs & 1u ? "in " : "",
			       q->dirs & 4u ? "fwd" : "");
		putchar('\n');
	}
	if (p->nselectors > p->npairs)
		printf("  ... and %zu more\n", p->nselectors - p->npairs);
	if (p->src == POLICY_SRC_XFRM)
		printf("  ESP SAs: %zu out, %zu in, %zu reqid%s\n", p->sas_out, p->sas_in,
		       p->reqids, p->reqids == 1 ? "" : "s");
	if (p->src == POLICY_SRC_WIRE) {
		printf("  ESP SPIs out %zu:", p->spis_out);
		for (size_t i = 0; i < p->spis_out && i < 8; i++)
			printf(" 0x%08x", p->spi_out[i]);
		printf("\n  ESP SPIs in %zu:", p->spis_in);
		for (size_t i = 0; i < p->spis_in && i < 8; i++)
			printf(" 0x%08x", p->spi_in[i]);
		printf("\n  IKE SAs %zu, CREATE_CHILD_SA %zu, Quick Mode %zu\n", p->ike_sas,
		       p->create_child, p->quick_mode);
		for (size_t i = 0; i < p->nikesa; i++) {
			fputs("    IKE SA ", stdout);
			for (size_t k = 0; k < 8; k++)
				printf("%02x", p->ikesa[i].ispi[k]);
			printf(": CREATE_CHILD_SA %zu, Quick Mode %zu\n", p->ikesa[i].create_child,
			       p->ikesa[i].quick_mode);
		}
	}
}

static void print_capture(const unsigned long wc[4])
{
	printf("capture: %lu frames, %lu IKE, %lu ESP, %lu with broken headers\n", wc[0], wc[1],
	       wc[2], wc[3]);
}

static int load_config(const struct policy_cmd *c, struct devconf_model *m, bool *have)
{
	struct diag_error err = {0};
	char *text = NULL;
	size_t len = 0;
	int rc;

	if ((rc = slurp(c->config, DEVCONF_MAX_BYTES, &text, &len)) != 0)
		return rc;
	rc = devconf_parse(text, len, c->format, strcmp(c->config, "-") == 0 ? "<stdin>"
									    : c->config,
			   m, &err);
	free(text); /* the model keeps no key; the text may hold one */
	*have = true;
	return rc < 0 ? fail_with(&err) : 0;
}

static int load_xfrm(const struct policy_cmd *c, struct xfrm_dump *d)
{
	struct diag_error err = {0};
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (c->xfrm_file) {
		char *t = NULL;

		if ((rc = slurp(c->xfrm_file, XFRM_MAX_DUMP_BYTES, &t, &len)) != 0)
			return rc;
		buf = (uint8_t *)t;
		if (len > XFRM_MAX_DUMP_BYTES) {
			free(buf);
			fprintf(stderr, "%s: %s: larger than 64 MiB\n", TOOL, c->xfrm_file);
			return DIAG_EXIT_DATAERR;
		}
	} else if (xfrm_dump_kernel(&buf, &len, 5000, &err) < 0) {
		return fail_with(&err);
	}
	if (c->xfrm_record) {
		FILE *fp = fopen(c->xfrm_record, "wb");

		if (!fp || fwrite(buf, 1, len, fp) != len || fclose(fp) != 0) {
			fprintf(stderr, "%s: %s: %s\n", TOOL, c->xfrm_record, strerror(errno));
			free(buf);
			return DIAG_EXIT_OSERR;
		}
	}
	rc = xfrm_decode(buf, len, d, &err);
	free(buf);
	if (rc < 0) {
		char msg[512];

		if (!c->xfrm_file)
			return fail_with(&err);
		fprintf(stderr, "%s: %s: %s\n", TOOL, c->xfrm_file,
			diag_error_text(&err, msg, sizeof msg));
		return err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
	}
	if (d->dump_errno) {
		fprintf(stderr, "%s: the XFRM dump holds an error answer: %s\n", TOOL,
			strerror(d->dump_errno));
		return DIAG_EXIT_DATAERR;
	}
	return 0;
}

static int load_wire(const struct policy_cmd *c, struct policy_wire *w)
{
	struct diag_error err = {0};
	int rc = c->pcap ? policy_wire_read_file(w, c->pcap, &err)
			 : policy_wire_capture(w, c->capture, c->duration > 0 ? c->duration : 10,
					       &err);

	return rc < 0 ? fail_with(&err) : 0;
}

static int load_logs(const struct policy_cmd *c, struct report *rep)
{
	struct diag_error err = {0};
	FILE *fp = strcmp(c->logs, "-") == 0 ? stdin : fopen(c->logs, "r");
	int rc;

	if (!fp) {
		fprintf(stderr, "%s: %s: %s\n", TOOL, c->logs, strerror(errno));
		return DIAG_EXIT_NOINPUT;
	}
	rc = policy_logs(fp, c->logs, rep, &err);
	if (fp != stdin)
		fclose(fp);
	return rc < 0 ? fail_with(&err) : 0;
}

/* Gathers the peers of every source given. Returns 0 or an exit status. */
static int gather(const struct policy_cmd *c, const struct aws_model *aws,
		  struct policy_peers *pp, unsigned long wc[4])
{
	struct devconf_model m;
	bool have = false;
	int rc = 0;

	if (c->config) {
		rc = load_config(c, &m, &have);
		if (rc == 0 && policy_from_config(&m, pp) < 0)
			rc = DIAG_EXIT_SOFTWARE;
		if (have)
			devconf_free(&m);
		if (rc)
			return rc;
	}
	if (c->xfrm || c->xfrm_file) {
		struct xfrm_dump d;

		xfrm_dump_init(&d);
		rc = load_xfrm(c, &d);
		if (rc == 0 && policy_from_xfrm(&d, pp) < 0)
			rc = DIAG_EXIT_SOFTWARE;
		xfrm_dump_free(&d);
		if (rc)
			return rc;
	}
	if (c->pcap || c->capture) {
		struct policy_wire *w = policy_wire_new();

		if (!w)
			return DIAG_EXIT_SOFTWARE;
		rc = load_wire(c, w);
		if (rc == 0 && policy_from_wire(w, aws, pp) < 0)
			rc = DIAG_EXIT_SOFTWARE;
		if (rc == 0)
			policy_wire_counts(w, &wc[0], &wc[1], &wc[2], &wc[3]);
		policy_wire_free(w);
	}
	return rc;
}

static int run(const struct policy_cmd *c)
{
	struct aws_model aws;
	struct policy_peers pp = {0};
	struct report rep;
	bool have_aws = aws_input_given(&c->aws), text = !c->json && !c->markdown;
	unsigned long wc[4] = {0};
	bool wire_said = false;
	char *out;
	int rc = 0;

	aws_model_init(&aws, MODEL_LIMIT);
	if (have_aws)
		rc = aws_input_load(&aws, &c->aws, TOOL);
	if (rc == 0 && have_aws && c->vpn_id && !aws_find_vpn_connection(&aws, c->vpn_id)) {
		fprintf(stderr, "%s: --vpn-connection-id %s: not in the AWS evidence\n", TOOL,
			c->vpn_id);
		rc = DIAG_EXIT_DATAERR;
	}
	if (rc == 0)
		rc = gather(c, have_aws ? &aws : NULL, &pp, wc);
	report_init(&rep, TOOL, VPN_DOCTOR_VERSION);
	if (rc) {
		report_free(&rep);
		policy_peers_free(&pp);
		aws_model_free(&aws);
		return rc;
	}
	for (size_t i = 0; i < pp.n; i++) {
		if (text && pp.v[i].src == POLICY_SRC_WIRE && !wire_said) {
			print_capture(wc);
			wire_said = true;
		}
		if (text)
			print_peer(&pp.v[i]);
	}
	policy_judge_all(&pp, have_aws ? &aws : NULL, c->vpn_id, &rep);
	if (text && (c->pcap || c->capture) && !wire_said)
		print_capture(wc);
	if (pp.n == 0 && (c->config || c->xfrm || c->xfrm_file || c->pcap || c->capture))
		report_add(&rep, POLICY_CHECK_ID, DIAG_SKIP, "evidence", "no IKE peer, "
			   "tunnel-mode policy or ESP/IKE traffic in the evidence given");
	if (c->logs && (rc = load_logs(c, &rep)) != 0) {
		report_free(&rep);
		policy_peers_free(&pp);
		aws_model_free(&aws);
		return rc;
	}
	if (text && (pp.n || c->pcap || c->capture))
		putchar('\n');
	out = report_render(&rep, c->json ? REPORT_JSON : c->markdown ? REPORT_MARKDOWN
								  : REPORT_TEXT,
			    text && cli_use_color(stdout) ? REPORT_COLOR : 0);
	if (!out || rep.oom) {
		fprintf(stderr, "%s: out of memory\n", TOOL);
		rc = DIAG_EXIT_SOFTWARE;
	} else {
		fputs(out, stdout);
		rc = report_exit_code(&rep);
	}
	free(out);
	report_free(&rep);
	policy_peers_free(&pp);
	aws_model_free(&aws);
	return rc;
}

int vpn_policy_main(int argc, char **argv)
{
	struct policy_cmd c;
	int first = 0, rc;

	memset(&c, 0, sizeof c);
	if ((rc = cli_parse(TOOL, options, argc, argv, handle_option, &c, &first)) != 0)
		return rc;
	if (c.help) {
		cli_usage(stdout, TOOL, "[--config FILE [--format F]] [--xfrm [--xfrm-record FILE] "
					"| --xfrm-file FILE] [--pcap FILE | --capture IFACE "
					"[--duration S]] [--aws-dir DIR | --aws-file FILE | --live] "
					"[--vpn-connection-id ID] [--vpn-logs FILE] "
					"[--json | --markdown]",
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
	if (!c.config && !c.xfrm && !c.xfrm_file && !c.pcap && !c.capture && !c.logs)
		return cli_usage_error(TOOL, "no evidence (use --config, --xfrm, --xfrm-file, "
					     "--pcap, --capture or --vpn-logs)");
	if (c.json && c.markdown)
		return cli_usage_error(TOOL, "--json and --markdown: choose one");
	if (c.xfrm && c.xfrm_file)
		return cli_usage_error(TOOL, "--xfrm and --xfrm-file: choose one");
	if (c.xfrm_record && !c.xfrm)
		return cli_usage_error(TOOL, "--xfrm-record goes with --xfrm");
	if (c.pcap && c.capture)
		return cli_usage_error(TOOL, "--pcap and --capture: choose one");
	if (c.duration > 0 && !c.capture)
		return cli_usage_error(TOOL, "--duration goes with --capture");
	if (c.vpn_id && !aws_input_given(&c.aws))
		return cli_usage_error(TOOL, "--vpn-connection-id needs AWS evidence (--aws-dir, "
					     "--aws-file or --live)");
	if (c.format != DEVCONF_UNKNOWN && !c.config)
		return cli_usage_error(TOOL, "--format goes with --config");
	if (c.config && c.logs && strcmp(c.config, "-") == 0 && strcmp(c.logs, "-") == 0)
		return cli_usage_error(TOOL, "--config - and --vpn-logs -: only one can be stdin");
	rc = run(&c);
	if (fflush(stdout) != 0 && rc < DIAG_EXIT_USAGE) {
		fprintf(stderr, "%s: stdout: %s\n", TOOL, strerror(errno));
		return DIAG_EXIT_OSERR;
	}
	return rc;
}
