#include "cmd/cli.h"
#include "libdiag/report.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libdiag/exitcode.h"

#define CLI_MAX_OPTS 64

const char *cli_flag_name(const struct cli_opt *table, int id, char buf[64])
{
	for (const struct cli_opt *o = table; o->id; o++) {
		if (o->id != id)
			continue;
		if (o->short_name)
			snprintf(buf, 64, "-%c", o->short_name);
		else
			snprintf(buf, 64, "--%s", o->long_name);
		return buf;
	}
	snprintf(buf, 64, "?");
	return buf;
}

int cli_usage_error(const char *tool, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return DIAG_EXIT_USAGE;
}

int cli_number(const char *tool, const char *flag, const char *val, double min, double max,
	       const char *what, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(val, &end);
	if (!*val || *end || errno || !isfinite(v) || v < min || v > max || strchr(val, 'x') ||
	    strchr(val, 'X') || strpbrk(val, "nN"))
		return cli_usage_error(tool, "%s %s: invalid %s", flag, val, what);
	*out = v;
	return 0;
}

int cli_integer(const char *tool, const char *flag, const char *val, double min, double max,
		const char *what, uint64_t *out)
{
	double v;
	int rc = cli_number(tool, flag, val, min, max, what, &v);

	if (rc)
		return rc;
	if (v != (double)(uint64_t)v || strpbrk(val, ".eE"))
		return cli_usage_error(tool, "%s %s: invalid %s", flag, val, what);
	*out = (uint64_t)v;
	return 0;
}

int cli_parse(const char *tool, const struct cli_opt *table, int argc, char **argv,
	      cli_handler handle, void *ctx, int *first_operand)
{
	struct option longs[CLI_MAX_OPTS + 1];
	char shorts[CLI_MAX_OPTS * 2 + 2] = ":";
	size_t nl = 0, ns = 1;
	int c, rc;

	memset(longs, 0, sizeof longs);
	for (const struct cli_opt *o = table; o->id && nl < CLI_MAX_OPTS; o++) {
		if (o->short_name) {
			shorts[ns++] = o->short_name;
			if (o->arg)
				shorts[ns++] = ':';
		}
		if (o->long_name) {
			longs[nl].name = o->long_name;
			longs[nl].has_arg = o->arg ? required_argument : no_argument;
			longs[nl].val = o->id;
			nl++;
		}
	}
	shorts[ns] = '\0';
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == '?') {
			if (optopt)
				return cli_usage_error(tool, "-%c: unknown option", optopt);
			return cli_usage_error(tool, "%s: unknown option", argv[optind - 1]);
		}
		if (c == ':') {
			if (optopt && optopt < 256 && optopt != 0 &&
			    strchr(shorts, optopt) && argv[optind - 1][1] != '-')
				return cli_usage_error(tool, "-%c: needs an argument", optopt);
			return cli_usage_error(tool, "%s: needs an argument", argv[optind - 1]);
		}
		rc = handle(ctx, c, optarg);
		if (rc)
			return rc;
	}
	*first_operand = optind;
	return 0;
}

void cli_usage(FILE *fp, const char *tool, const char *synopsis, const struct cli_opt *table)
{
	fprintf(fp, "usage: %s %s\n\n", tool, synopsis);
	for (const struct cli_opt *o = table; o->id; o++) {
		char left[64];

		if (!o->help) /* hidden: a test flag */
			continue;
		if (o->short_name && o->long_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->long_name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else if (o->short_name)
			snprintf(left, sizeof left, "-%c%s%s", o->short_name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->long_name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		fprintf(fp, "  %-26s %s\n", left, o->help);
	}
}

bool cli_use_color(FILE *fp)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(fileno(fp)) && !(nc && *nc);
}

int cli_print_report(const char *tool, const struct report *rep, bool json, bool markdown)
{
	char *out = report_render(rep, json ? REPORT_JSON : markdown ? REPORT_MARKDOWN : REPORT_TEXT,
				  !json && !markdown && cli_use_color(stdout) ? REPORT_COLOR : 0);
	int rc;

	if (!out || rep->oom) {
		fprintf(stderr, "%s: out of memory\n", tool);
		free(out);
		return DIAG_EXIT_SOFTWARE;
	}
	fputs(out, stdout);
	free(out);
	rc = report_exit_code(rep);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: stdout: %s\n", tool, strerror(errno));
		return DIAG_EXIT_OSERR;
	}
	return rc;
}
