/* vpn-logs (vpn-doctor logs): reads Site-to-Site VPN tunnel logs exported from CloudWatch
 * Logs and reports what they say about each tunnel, through the aws.tunnel_logs check. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checks/aws_logs.h"
#include "cmd/cli.h"
#include "cmd/tools.h"
#include "libdiag/exitcode.h"

static const char *const TOOL = "vpn-logs";

enum { OPT_LOGS = 256, OPT_JSON, OPT_MARKDOWN, OPT_HELP, OPT_VERSION };

static const struct cli_opt options[] = {
	{OPT_LOGS, 0, "vpn-logs", "FILE", "a tunnel log: JSON lines or `aws logs "
					  "filter-log-events` output ('-': stdin; repeatable)"},
	{OPT_JSON, 0, "json", NULL, "the report as JSON"},
	{OPT_MARKDOWN, 0, "markdown", NULL, "the report as Markdown"},
	{OPT_HELP, 'h', "help", NULL, "this help"},
	{OPT_VERSION, 0, "version", NULL, "print the version"},
	{0, 0, NULL, NULL, NULL},
};

struct logs_cmd {
	const char *files[AWS_LOGS_MAX_FILES];
	int n_files;
	bool json, markdown, help, version;
};

static int add_file(struct logs_cmd *lc, const char *name)
{
	if (lc->n_files >= AWS_LOGS_MAX_FILES)
		return cli_usage_error(TOOL, "%s: more than %d log files", name,
				       AWS_LOGS_MAX_FILES);
	lc->files[lc->n_files++] = name;
	return 0;
}

static int handle_option(void *ctx, int id, const char *arg)
{
	struct logs_cmd *lc = ctx;
	char flag[64];

	switch (id) {
	case OPT_LOGS: return add_file(lc, arg);
	case OPT_JSON: lc->json = true; break;
	case OPT_MARKDOWN: lc->markdown = true; break;
	case OPT_HELP: lc->help = true; break;
	case OPT_VERSION: lc->version = true; break;
	default:
		return cli_usage_error(TOOL, "%s: unhandled option",
				       cli_flag_name(options, id, flag));
	}
	return 0;
}

/* Reads one file into al; returns 0 or the exit status after a one-line message. */
static int read_one(struct aws_logs *al, const char *name)
{
	struct diag_error err = {0};
	char buf[512];
	FILE *fp;
	int rc;

	if (strcmp(name, "-") == 0) {
		fp = stdin;
	} else if (!(fp = fopen(name, "r"))) {
		fprintf(stderr, "%s: %s: %s\n", TOOL, name, strerror(errno));
		return DIAG_EXIT_NOINPUT;
	}
	rc = aws_logs_read(al, fp, name, &err);
	if (fp != stdin)
		fclose(fp);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, buf, sizeof buf));
		return err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
	}
	return 0;
}

static int report(const struct logs_cmd *lc, const struct aws_logs *al)
{
	struct report rep;
	int rc;

	report_init(&rep, TOOL, VPN_DOCTOR_VERSION);
	aws_logs_findings(al, &rep);
	rc = cli_print_report(TOOL, &rep, lc->json, lc->markdown);
	report_free(&rep);
	return rc;
}

int vpn_logs_main(int argc, char **argv)
{
	struct logs_cmd lc;
	struct aws_logs *al;
	struct diag_error first;
	unsigned long long skipped;
	int first_operand = 0, rc, stdin_uses = 0;

	memset(&lc, 0, sizeof lc);
	if ((rc = cli_parse(TOOL, options, argc, argv, handle_option, &lc, &first_operand)) != 0)
		return rc;
	if (lc.help) {
		cli_usage(stdout, TOOL, "[--json | --markdown] --vpn-logs FILE... | FILE...",
			  options);
		return DIAG_EXIT_PASS;
	}
	if (lc.version) {
		printf("%s %s\n", TOOL, VPN_DOCTOR_VERSION);
		return DIAG_EXIT_PASS;
	}
	for (int i = first_operand; i < argc; i++)
		if ((rc = add_file(&lc, argv[i])) != 0)
			return rc;
	if (lc.json && lc.markdown)
		return cli_usage_error(TOOL, "--json and --markdown: choose one format");
	if (lc.n_files == 0)
		return cli_usage_error(TOOL, "no log file given (usage: %s --vpn-logs FILE)", TOOL);
	for (int i = 0; i < lc.n_files; i++)
		stdin_uses += strcmp(lc.files[i], "-") == 0;
	if (stdin_uses > 1)
		return cli_usage_error(TOOL, "-: stdin can be read only once");
	if (!(al = aws_logs_new())) {
		fprintf(stderr, "%s: out of memory\n", TOOL);
		return DIAG_EXIT_SOFTWARE;
	}
	for (int i = 0; i < lc.n_files; i++) {
		if ((rc = read_one(al, lc.files[i])) != 0) {
			aws_logs_free(al);
			return rc;
		}
	}
	/* The records left out are in the report too; say so where a script will see it. */
	if ((skipped = aws_logs_bad(al, &first)) > 0) {
		char buf[512];

		fprintf(stderr, "%s: %s (%llu malformed record%s skipped)\n", TOOL,
			diag_error_text(&first, buf, sizeof buf), skipped, skipped == 1 ? "" : "s");
	}
	rc = report(&lc, al);
	aws_logs_free(al);
	return rc;
}
