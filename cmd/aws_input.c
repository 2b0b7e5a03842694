/* Shared AWS evidence options: see aws_input.h. */
#include "cmd/aws_input.h"

#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "libdiag/aws/load_json.h"
#include "libdiag/exitcode.h"

int aws_input_option(struct aws_input *in, const char *tool, int opt, const char *arg)
{
	switch (opt) {
	case AWS_IN_DIR:
	case AWS_IN_FILE:
		if (in->n == sizeof in->src / sizeof in->src[0])
			return cli_usage_error(tool, "at most %zu --aws-dir/--aws-file inputs",
					       sizeof in->src / sizeof in->src[0]);
		if (opt == AWS_IN_FILE && strcmp(arg, "-") == 0) {
			if (in->stdin_used)
				return cli_usage_error(tool, "--aws-file -: standard input can be "
							     "read once");
			in->stdin_used = true;
		}
		in->src[in->n].dir = opt == AWS_IN_DIR;
		in->src[in->n++].path = arg;
		return 0;
	case AWS_IN_LIVE: in->live = true; return 0;
	case AWS_IN_REGION: in->lo.region = arg; return 0;
	case AWS_IN_PROFILE: in->lo.profile = arg; return 0;
	case AWS_IN_ENDPOINT: in->lo.endpoint_url = arg; return 0;
	case AWS_IN_CACERT: in->lo.ca_bundle = arg; return 0;
	}
	return cli_usage_error(tool, "unhandled AWS option %d", opt);
}

int aws_input_check(const struct aws_input *in, const char *tool)
{
	if (!in->live && (in->lo.region || in->lo.profile || in->lo.endpoint_url ||
			  in->lo.ca_bundle))
		return cli_usage_error(tool, "--region, --profile, --endpoint-url and --cacert "
					     "need --live");
	return 0;
}

bool aws_input_given(const struct aws_input *in)
{
	return in->n > 0 || in->live;
}

static void put_safe(FILE *fp, const char *s)
{
	for (; s && *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, fp);
}

static void warnings(const struct aws_model *m, const char *tool)
{
	for (size_t i = 0; i < m->warnings.n; i++) {
		fprintf(stderr, "%s: warning: ", tool);
		put_safe(stderr, m->warnings.v[i]);
		fputc('\n', stderr);
	}
}

int aws_input_load(struct aws_model *m, const struct aws_input *in, const char *tool)
{
	struct diag_error err = {0};
	char buf[512];

	for (size_t i = 0; i < in->n; i++) {
		int rc = in->src[i].dir ? aws_load_dir(m, in->src[i].path, &err)
					: aws_load_file(m, in->src[i].path, &err);

		if (rc < 0) {
			fprintf(stderr, "%s: %s\n", tool, diag_error_text(&err, buf, sizeof buf));
			return err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
		}
	}
	if (in->live) {
		struct aws_live_stats st;
		struct aws_live_opts lo = in->lo;

		memset(&st, 0, sizeof st);
		lo.stats = &st;
		if (aws_live_load(m, &lo, &err) < 0) {
			warnings(m, tool);
			fprintf(stderr, "%s: %s\n", tool, diag_error_text(&err, buf, sizeof buf));
			return err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
		}
		fprintf(stderr, "%s: live: region %s, %s, credentials from %s, %u requests "
				"(%u retries)\n",
			tool, st.region, st.endpoint, st.creds_source, st.requests, st.retries);
	}
	warnings(m, tool);
	return 0;
}
