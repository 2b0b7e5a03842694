/* vpn-doctor: every check of the check table for which there are inputs, independent ones
 * in parallel, each within its own time limit; then the most likely root cause first
 * (checks/root_cause.h) and every finding grouped as AWS's troubleshooting guide groups
 * them; text (colour on a terminal, NO_COLOR honoured), --json or --markdown; --bundle
 * writes a redacted support bundle. A check without its inputs is a "skip" naming the flag
 * that would enable it.
 *
 * Exit status: the report's (0 pass, 1 warn, 2 fail), 64 usage, 65/66 for inputs that
 * cannot be read (a device configuration, AWS evidence), 70 out of memory. */
#include <errno.h>
#include <pthread.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checks/check.h"
#include "checks/root_cause.h"
#include "cmd/aws_input.h"
#include "cmd/cli.h"
#include "cmd/doctor.h"
#include "cmd/srcip_cli.h"
#include "cmd/privdrop.h"
#include "cmd/tools.h"
#include "libdiag/preopen.h"
#include "libdiag/aws/creds.h"
#include "libdiag/devconf/devconf.h"
#include "libdiag/report.h"

static const char *const TOOL = "vpn-doctor";

#define MODEL_LIMIT ((size_t)1 << 30)

enum {
	OPT_VPN_ID = 256, OPT_CONFIG, OPT_FORMAT, OPT_LOGS, OPT_TARGETS,
	OPT_VPC, OPT_CLUSTER, OPT_REMOTE, OPT_MTU_TARGET, OPT_NATT, OPT_JSON, OPT_MARKDOWN, OPT_BUNDLE, OPT_ONLY, OPT_SKIP,
	OPT_TIMEOUT, OPT_DEMO, OPT_LIST, OPT_HELP, OPT_VERSION, OPT_USER, OPT_DEADLINE,
	OPT_AWS_BASE = 512, OPT_SRCIP_BASE = 640,
};

static const struct cli_opt options[] = {
	AWS_INPUT_CLI_OPTS(OPT_AWS_BASE),
	{OPT_VPN_ID, 0, "vpn-connection-id", "ID", "the VPN connection to judge"},
	{OPT_CONFIG, 0, "config", "FILE", "the customer gateway's configuration (any vendor)"},
	{OPT_FORMAT, 0, "format", "F", "its format, when detection is not wanted"},
	{OPT_LOGS, 0, "vpn-logs", "FILE", "the tunnel activity log (JSON lines)"},
	{OPT_TARGETS, 0, "targets", "CIDR:PORTS", "probe these across the tunnel (repeatable)"},
	SRCIP_CLI_OPTS(OPT_SRCIP_BASE),
	{OPT_VPC, 0, "vpc-id", "ID", "the cluster's VPC"},
	{OPT_CLUSTER, 0, "cluster", "INFRA_ID", "find the VPC by the cluster's tag"},
	{OPT_REMOTE, 0, "remote-cidr", "CIDR", "an on-premises network (repeatable)"},
	{OPT_MTU_TARGET, 0, "mtu-target", "HOST", "measure the path MTU toward HOST across the "
						  "tunnel (default: a single --targets address)"},
	{OPT_NATT, 0, "nat-t", NULL, "the tunnel uses NAT-T (for the MTU/MSS table)"},
	{OPT_JSON, 0, "json", NULL, "the report as JSON"},
	{OPT_MARKDOWN, 0, "markdown", NULL, "the report as Markdown"},
	{OPT_BUNDLE, 0, "bundle", "OUT.tar.gz", "also write a redacted support bundle"},
	{OPT_ONLY, 0, "only", "IDS", "run only these checks (comma-separated; --list)"},
	{OPT_SKIP, 0, "skip", "IDS", "do not run these checks"},
	{OPT_TIMEOUT, 0, "check-timeout", "SECONDS", "time limit of each check (default 120)"},
	{OPT_USER, 0, "user", "NAME", "started as root, run as this user (default nobody; "
				       "root: keep root)"},
	{OPT_DEADLINE, 0, "deadline", "SECONDS", "stop the whole run after SECONDS"},
	{OPT_DEMO, 0, "demo", NULL, "the built-in scenario: no AWS access needed"},
	{OPT_LIST, 0, "list", NULL, "list the checks and what each needs"},
	{OPT_HELP, 'h', "help", NULL, "this help"},
	{OPT_VERSION, 0, "version", NULL, "print the version"},
	{0, 0, NULL, NULL, NULL},
};


/* --user and --deadline (issue 11): file-level, so struct doctor_cmd stays as it is */
static const char *opt_user = PRIVDROP_DEFAULT_USER;
static unsigned opt_deadline;

static int handle_option(void *ctx, int id, const char *arg)
{
	struct doctor_cmd *c = ctx;
	char flag[64];
	uint64_t n;
	int rc;

	cli_flag_name(options, id, flag);
	if (id >= OPT_AWS_BASE && id < OPT_AWS_BASE + AWS_IN_COUNT)
		return aws_input_option(&c->aws, TOOL, id - OPT_AWS_BASE, arg);
	if (id >= OPT_SRCIP_BASE && id < OPT_SRCIP_BASE + SRCIP_CLI_COUNT)
		return srcip_cli_option(&c->so, TOOL, flag, id - OPT_SRCIP_BASE, arg);
	switch (id) {
	case OPT_VPN_ID: c->vpn_id = arg; c->aws.lo.vpn_connection_id = arg; break;
	case OPT_CONFIG: c->config = arg; break;
	case OPT_FORMAT:
		if (devconf_format_parse(arg) == DEVCONF_UNKNOWN)
			return cli_usage_error(TOOL, "%s %s: unknown format", flag, arg);
		c->format = arg;
		break;
	case OPT_LOGS: c->logs = arg; break;
	case OPT_TARGETS:
		if (c->ntargets == MAX_TARGETS)
			return cli_usage_error(TOOL, "%s: at most %d", flag, MAX_TARGETS);
		if (!strrchr(arg, ':') || strrchr(arg, ':') == arg || !strrchr(arg, ':')[1])
			return cli_usage_error(TOOL, "%s %s: want CIDR:PORTS (10.0.0.0/24:22,6443)",
					       flag, arg);
		c->targets[c->ntargets++] = arg;
		break;
	case OPT_VPC: c->ro.vpc_id = arg; break;
	case OPT_CLUSTER: c->ro.cluster = arg; break;
	case OPT_REMOTE:
		if (c->ro.n_remote_cidrs == MAX_TARGETS)
			return cli_usage_error(TOOL, "%s: at most %d", flag, MAX_TARGETS);
		c->remotes[c->ro.n_remote_cidrs++] = (char *)arg;
		break;
	case OPT_MTU_TARGET: c->mtu.target = arg; break;
	case OPT_NATT: c->mtu.nat_t = AWS_NATT_ON; break;
	case OPT_JSON: c->json = true; break;
	case OPT_MARKDOWN: c->markdown = true; break;
	case OPT_BUNDLE: c->bundle = arg; break;
	case OPT_ONLY: c->only = (char *)arg; break;
	case OPT_SKIP: c->skip = (char *)arg; break;
	case OPT_TIMEOUT:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 3600, "seconds", &n)) != 0)
			return rc;
		c->timeout_s = (unsigned)n;
		break;
	case OPT_USER: opt_user = arg; break;
	case OPT_DEADLINE:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 86400, "seconds", &n)) != 0)
			return rc;
		opt_deadline = (unsigned)n;
		break;
	case OPT_DEMO: c->demo = true; break;
	case OPT_LIST: c->list = true; break;
	case OPT_HELP: c->help = true; break;
	case OPT_VERSION: c->version = true; break;
	default: return cli_usage_error(TOOL, "%s: unhandled option", flag);
	}
	return 0;
}

/* Is id in the comma-separated list (an entry "routes" also matches "routes.x")? */
static bool in_list(const char *list, const char *id)
{
	size_t il = strlen(id);

	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",");

		if ((n == il && strncmp(p, id, n) == 0))
			return true;
		p += n;
		if (*p == ',')
			p++;
	}
	return false;
}

static int check_ids(const char *list, const char *flag)
{
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",");
		bool known = false;

		for (size_t i = 0; i < check_table_len; i++)
			if (strlen(check_table[i]->id) == n && strncmp(check_table[i]->id, p, n) == 0)
				known = true;
		if (!known)
			return cli_usage_error(TOOL, "%s: unknown check '%.*s' (see --list)", flag,
					       n > 40 ? 40 : (int)n, p);
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* ---- running the checks ----------------------------------------------------------------- */

struct job {
	const struct check *check;
	const struct check_ctx *ctx;
	struct report rep;
	pthread_t th;
	bool started, done, timed_out;
	pthread_mutex_t *mu;
	pthread_cond_t *cv;
};

static void *job_main(void *arg)
{
	struct job *j = arg;

	j->check->run(j->ctx, &j->rep);
	pthread_mutex_lock(j->mu);
	j->done = true;
	pthread_cond_broadcast(j->cv);
	pthread_mutex_unlock(j->mu);
	return NULL;
}

/* Why a check cannot run here, or NULL. */
static const char *not_ready(const struct check *c, const struct check_ctx *ctx)
{
	if ((c->needs & NEED_AWS) && !ctx->aws)
		return "no AWS evidence";
	if ((c->needs & NEED_CONFIG) && !ctx->config)
		return "no device configuration";
	if ((c->needs & NEED_LOGS) && !ctx->vpn_logs_file)
		return "no tunnel logs";
	if ((c->needs & NEED_TARGETS) && !ctx->n_target_specs)
		return "no targets";
	if (strcmp(c->id, "srcip") == 0 &&
	    ((!ctx->srcip.npeers && !ctx->aws) || (!ctx->srcip.cgw_ip && !ctx->aws)))
		return "no AWS outside address or registered address";
	if (!check_ready(c, ctx) && !(c->needs & (NEED_AWS | NEED_CONFIG | NEED_CAPTURE)))
		return "its inputs are missing";
	return NULL;
}

static void progress(const char *what)
{
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[K%s: %s", TOOL, what);
}

/* Runs every selected check, each in its own thread within timeout_s, and appends their
 * findings (in the table's order) to rep. */
static void run_checks(const struct doctor_cmd *c, const struct check_ctx *ctx,
		       struct report *rep)
{
	/* One block per run, on the heap: a check that overruns keeps its thread, and that
	 * thread keeps pointing at its job, the mutex and the condition variable, so the
	 * block is freed only when every thread has been joined (else left to exit). */
	struct run_block {
		pthread_mutex_t mu;
		pthread_cond_t cv;
		struct job jobs[64];
	} *rb = calloc(1, sizeof *rb);
	struct job *jobs;
	size_t n = check_table_len < 64 ? check_table_len : 64;
	struct timespec deadline;
	unsigned limit = c->timeout_s ? c->timeout_s : 120;
	bool overran = false;

	if (!rb) {
		rep->oom = true;
		return;
	}
	pthread_mutex_init(&rb->mu, NULL);
	pthread_cond_init(&rb->cv, NULL);
	jobs = rb->jobs;

	for (size_t i = 0; i < n; i++) {
		struct job *j = &jobs[i];

		j->check = check_table[i];
		j->ctx = ctx;
		j->mu = &rb->mu;
		j->cv = &rb->cv;
		if ((c->only && !in_list(c->only, j->check->id)) ||
		    (c->skip && in_list(c->skip, j->check->id)))
			continue;
		if (not_ready(j->check, ctx))
			continue;
		/* only a started job owns a report */
		report_init(&j->rep, TOOL, VPN_DOCTOR_VERSION);
		if (pthread_create(&j->th, NULL, job_main, j) == 0)
			j->started = true;
		else
			report_free(&j->rep);
	}
	progress("running checks");
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += limit;
	pthread_mutex_lock(&rb->mu);
	for (;;) {
		bool all = true;

		for (size_t i = 0; i < n; i++)
			if (jobs[i].started && !jobs[i].done)
				all = false;
		if (all || pthread_cond_timedwait(&rb->cv, &rb->mu, &deadline) == ETIMEDOUT)
			break;
	}
	for (size_t i = 0; i < n; i++)
		if (jobs[i].started && !jobs[i].done)
			jobs[i].timed_out = overran = true;
	pthread_mutex_unlock(&rb->mu);
	progress("");
	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
	for (size_t i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		const char *why;

		if ((c->only && !in_list(c->only, j->check->id)) ||
		    (c->skip && in_list(c->skip, j->check->id)))
			continue;
		if (!j->started) {
			why = not_ready(j->check, ctx);
			finding_fix(report_add(rep, j->check->id, DIAG_SKIP, "-", "not run: %s",
					       why ? why : "it could not be started"),
				    "Give %s.", j->check->enable);
			continue;
		}
		if (j->timed_out) {
			/* the thread still owns its report: leave both to the process's exit */
			pthread_detach(j->th);
			report_add(rep, j->check->id, DIAG_ERROR, "-",
				   "did not finish within %u s (--check-timeout)", limit);
			continue;
		}
		pthread_join(j->th, NULL);
		for (size_t k = 0; k < j->rep.n; k++) {
			const struct finding *f = &j->rep.findings[k];
			struct finding *g = report_add(rep, f->check, f->status, f->subject, "%s",
						       f->summary);

			if (!g)
				break;
			cJSON_Delete(g->evidence);
			g->evidence = cJSON_Duplicate(f->evidence, true);
			if (!g->evidence)
				g->evidence = cJSON_CreateObject();
			if (f->fix)
				finding_fix(g, "%s", f->fix);
			if (f->ref)
				finding_ref(g, f->ref);
		}
		if (j->rep.oom)
			rep->oom = true;
		report_free(&j->rep);
	}
	if (!overran) {
		pthread_cond_destroy(&rb->cv);
		pthread_mutex_destroy(&rb->mu);
		free(rb);
	}
}

/* Orders findings by section (stable), names each section, and adds the root causes. */
static int arrange(struct report *rep)
{
	struct report out;
	struct root_cause causes[RC_MAX];
	size_t map[4096], nc, m = 0;

	report_init(&out, rep->tool, rep->version);
	report_set_scope(&out, rep->scope);
	for (int g = 0; g < RC_GROUP_COUNT; g++)
		for (size_t i = 0; i < rep->n && i < 4096; i++) {
			struct finding *f = &rep->findings[i];
			struct finding *h;

			if ((int)rc_group_of(f->check) != g)
				continue;
			if (!(h = report_add(&out, f->check, f->status, f->subject, "%s", f->summary)))
				break;
			cJSON_Delete(h->evidence);
			h->evidence = f->evidence;
			f->evidence = NULL;
			if (!h->evidence)
				h->evidence = cJSON_CreateObject();
			if (f->fix)
				finding_fix(h, "%s", f->fix);
			if (f->ref)
				finding_ref(h, f->ref);
			finding_section(h, rc_group_title((enum rc_group)g));
			map[m++] = i;
		}
	(void)map;
	nc = root_causes(&out, causes, RC_MAX);
	for (size_t i = 0; i < nc; i++)
		report_add_cause(&out, causes[i].id, causes[i].title, rc_group_title(causes[i].group),
				 causes[i].severity, causes[i].reasoning, causes[i].evidence,
				 causes[i].nevidence);
	if (rep->oom)
		out.oom = true;
	report_free(rep);
	*rep = out;
	return 0;
}

static void list_checks(void)
{
	printf("%-20s %-28s %s\n", "CHECK", "NEEDS", "WHAT");
	for (size_t i = 0; i < check_table_len; i++)
		printf("%-20s %-28s %s\n", check_table[i]->id,
		       check_table[i]->enable ? check_table[i]->enable : "-",
		       check_table[i]->summary);
}

/* Splits "CIDR:PORTS" specs into the targets and one port list. */
static int targets_setup(const struct doctor_cmd *c, struct check_ctx *ctx, char **specs,
			 struct port_list *ports)
{
	struct diag_error err = {0};
	char msg[300];

	memset(ports, 0, sizeof *ports);
	for (size_t i = 0; i < c->ntargets; i++) {
		const char *colon = strrchr(c->targets[i], ':');

		specs[i] = strndup(c->targets[i], (size_t)(colon - c->targets[i]));
		if (!specs[i]) {
			fprintf(stderr, "%s: out of memory\n", TOOL);
			return DIAG_EXIT_SOFTWARE;
		}
		if (ports_parse(ports, colon + 1, "tcp", &err) < 0) {
			fprintf(stderr, "%s: --targets %s: %s\n", TOOL, c->targets[i],
				diag_error_text(&err, msg, sizeof msg));
			return DIAG_EXIT_USAGE;
		}
	}
	ctx->target_specs = specs;
	ctx->n_target_specs = (int)c->ntargets;
	ctx->ports = c->ntargets ? ports : NULL;
	ctx->probe_opts.proto = PROBE_TCP;
	return 0;
}

static int read_config(const struct doctor_cmd *c, struct devconf_model *dm)
{
	struct diag_error err = {0};
	char msg[400], *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *fp = fopen(c->config, "rb");
	int rc;

	if (!fp) {
		fprintf(stderr, "%s: %s: %s\n", TOOL, c->config, strerror(errno));
		return DIAG_EXIT_NOINPUT;
	}
	for (;;) {
		size_t n;

		if (len == cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			if (cap > DEVCONF_MAX_BYTES + 1 || !(nb = realloc(buf, cap))) {
				fclose(fp);
				free(buf);
				fprintf(stderr, "%s: %s: larger than %u MiB\n", TOOL, c->config,
					DEVCONF_MAX_BYTES >> 20);
				return DIAG_EXIT_DATAERR;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	rc = ferror(fp);
	fclose(fp);
	if (rc) {
		free(buf);
		fprintf(stderr, "%s: %s: read error\n", TOOL, c->config);
		return DIAG_EXIT_NOINPUT;
	}
	rc = devconf_parse(buf ? buf : "", len,
			   c->format ? devconf_format_parse(c->format) : DEVCONF_UNKNOWN, c->config, dm,
			   &err);
	free(buf);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, msg, sizeof msg));
		return err.code ? (int)err.code : DIAG_EXIT_DATAERR;
	}
	return 0;
}

static int render(const struct doctor_cmd *c, const struct report *rep, char **text,
		  char **json, char **md)
{
	*text = report_render(rep, REPORT_TEXT,
			      !c->json && !c->markdown && cli_use_color(stdout) ? REPORT_COLOR : 0);
	*json = report_render(rep, REPORT_JSON, 0);
	*md = report_render(rep, REPORT_MARKDOWN, 0);
	if (!*text || !*json || !*md || rep->oom) {
		fprintf(stderr, "%s: out of memory\n", TOOL);
		return DIAG_EXIT_SOFTWARE;
	}
	return 0;
}

/* Every check once, for one VPN connection (NULL: as the options say), into rep. */
static void one_report(struct doctor_cmd *c, struct check_ctx *ctx, const char *vpn_id,
		       struct report *rep)
{
	ctx->vpn_connection_id = vpn_id;
	ctx->routes.vpn_connection_id = vpn_id;
	report_init(rep, TOOL, VPN_DOCTOR_VERSION);
	if (vpn_id && !c->vpn_id)
		report_set_scope(rep, vpn_id);
	run_checks(c, ctx, rep);
	arrange(rep);
}

/* Several connections and none named: a summary table first, then one report each
 * (JSON: one report a line). Returns the worst exit status. */
static int many_reports(struct doctor_cmd *c, struct check_ctx *ctx, const struct aws_model *m)
{
	size_t n = m->n_vpn_connections;
	struct report *reps = calloc(n, sizeof *reps);
	char *text = NULL, *json = NULL, *md = NULL;
	int rc = 0, worst = 0;

	if (!reps) {
		fprintf(stderr, "%s: out of memory\n", TOOL);
		return DIAG_EXIT_SOFTWARE;
	}
	for (size_t i = 0; i < n; i++) {
		char what[160];

		snprintf(what, sizeof what, "connection %zu of %zu", i + 1, n);
		progress(what);
		one_report(c, ctx, m->vpn_connections[i].id, &reps[i]);
	}
	if (!c->json) {
		printf(c->markdown ? "# vpn-doctor %s: %zu VPN connections\n\n| Connection | Verdict "
				     "| Most likely cause |\n| --- | --- | --- |\n"
				   : "vpn-doctor %s: %zu VPN connections\n",
		       VPN_DOCTOR_VERSION, n);
		for (size_t i = 0; i < n; i++) {
			const struct report *r = &reps[i];
			const char *cause = r->ncauses ? r->causes[0].title : "none found";

			printf(c->markdown ? "| %s | %s | %s |\n" : "  %-24s %-6s %s\n",
			       r->scope ? r->scope : "-", diag_status_name(report_verdict(r)), cause);
		}
		putchar('\n');
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = render(c, &reps[i], &text, &json, &md);
		if (rc == 0) {
			fputs(c->json ? json : c->markdown ? md : text, stdout);
			if (!c->json)
				putchar('\n');
			if (report_exit_code(&reps[i]) > worst)
				worst = report_exit_code(&reps[i]);
		}
		free(text);
		free(json);
		free(md);
		text = json = md = NULL;
	}
	for (size_t i = 0; i < n; i++)
		report_free(&reps[i]);
	free(reps);
	return rc ? rc : worst;
}

int doctor_run(struct doctor_cmd *c)
{
	static struct devconf_model dm;
	struct aws_model m;
	struct check_ctx ctx;
	struct port_list ports;
	struct report rep;
	char *specs[MAX_TARGETS] = {0};
	char *text = NULL, *json = NULL, *md = NULL;
	bool have_config = false;
	int rc = 0;

	aws_model_init(&m, MODEL_LIMIT);
	memset(&ctx, 0, sizeof ctx);
	if (aws_input_given(&c->aws)) {
		progress("reading the AWS evidence");
		if ((rc = aws_input_load(&m, &c->aws, TOOL)) != 0)
			goto out;
		ctx.aws = &m;
	}
	if (c->config) {
		if ((rc = read_config(c, &dm)) != 0)
			goto out;
		have_config = true;
		ctx.config = &dm;
	}
	if ((rc = targets_setup(c, &ctx, specs, &ports)) != 0)
		goto out;
	ctx.vpn_logs_file = c->logs;
	c->ro.remote_cidrs = c->remotes;
	ctx.routes = c->ro;
	ctx.srcip = c->so;
	ctx.mtu = c->mtu;
	if (ctx.aws && !c->vpn_id && m.n_vpn_connections > 1 && !c->bundle) {
		rc = many_reports(c, &ctx, &m);
		goto flush;
	}
	one_report(c, &ctx, c->vpn_id, &rep);
	if ((rc = render(c, &rep, &text, &json, &md)) == 0) {
		fputs(c->json ? json : c->markdown ? md : text, stdout);
		rc = report_exit_code(&rep);
		if (c->bundle) {
			int brc = doctor_bundle(c->bundle, text, json, md, c, TOOL);

			if (brc)
				rc = brc;
		}
	}
	report_free(&rep);
flush:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: stdout: %s\n", TOOL, strerror(errno));
		rc = DIAG_EXIT_OSERR;
	}
out:
	free(text);
	free(json);
	free(md);
	for (size_t i = 0; i < MAX_TARGETS; i++)
		free(specs[i]);
	if (have_config)
		devconf_free(&dm);
	aws_model_free(&m);
	return rc;
}

/* No input at all: the run looks at what the environment offers (doctor_discover). */
static bool discovering(const struct doctor_cmd *c)
{
	return !c->demo && !aws_input_given(&c->aws) && !c->config && !c->logs && !c->ntargets &&
	       !c->so.npeers && !c->so.pcap_file;
}

/* Started as root: opens what needs privilege first (the live capture, raw ICMP sockets
 * for the path-MTU probe, UDP sockets on port 500 for the IKE probe (one per tunnel it may
 * probe, sharing the port), the AWS credential files --live may read, and with --bundle the bundle's file and the kernel's IPsec
 * state, kept by a parent that does nothing but publish the bundle), then becomes --user
 * with no capability left before any input is read. A handle that cannot be opened here
 * is not an error here: the check that wanted it tries again and reports why it cannot.
 * --deadline is armed after the fork, in the process that runs the checks. Returns 0, -1
 * (VPN_DOCTOR_DEBUG_PRIVS=exit: stop with status 0) or an exit status. */
static int least_privilege(const struct doctor_cmd *c)
{
	bool icmp = (c->mtu.target || c->ntargets) && c->mtu.method != PMTU_UDP && !c->mtu.port;
	char msg[200];
	int rc;

	if (privdrop_will_drop(opt_user)) {
		if (c->so.capture_iface)
			(void)preopen_capture(c->so.capture_iface, NULL);
		if (icmp) {
			(void)preopen_icmp_raw(AF_INET, NULL);
			(void)preopen_icmp_raw(AF_INET6, NULL);
		}
		if (!c->so.no_ike && (c->so.npeers || c->so.cgw_ip || aws_input_given(&c->aws))) {
			uint16_t port = c->so.ike_port ? c->so.ike_port : 500;

			(void)preopen_udp_port(AF_INET, port, 6, NULL);
			(void)preopen_udp_port(AF_INET6, port, 2, NULL);
		}
		if (c->aws.live || discovering(c)) {
			char paths[4][AWS_CREDS_PATH_MAX];
			size_t n = aws_creds_files(c->aws.lo.profile, paths, 4);

			for (size_t i = 0; i < n; i++)
				(void)preopen_file(paths[i], NULL);
		}
		if (c->bundle && (rc = doctor_bundle_prepare(c, TOOL)) != 0)
			return rc;
	}
	if (opt_deadline)
		deadline_arm(TOOL, opt_deadline);
	if (privdrop(opt_user, msg, sizeof msg) != 0) {
		fprintf(stderr, "%s: %s\n", TOOL, msg);
		return DIAG_EXIT_NOPERM;
	}
	return privdrop_debug(TOOL) ? -1 : 0;
}

int vpn_doctor_main(int argc, char **argv)
{
	struct doctor_cmd c;
	int first = 0, rc;

	memset(&c, 0, sizeof c);
	rc = cli_parse(TOOL, options, argc, argv, handle_option, &c, &first);
	if (rc)
		return rc;
	if (c.help) {
		cli_usage(stdout, TOOL, "[--aws-dir DIR | --aws-file FILE | --live] [--config FILE] "
					"[--vpn-logs FILE] [--targets CIDR:PORTS] [--cgw-ip IP] "
					"[--peer IP] [--capture IFACE | --pcap FILE] [--json | "
					"--markdown] [--bundle OUT.tar.gz] [--only IDS] [--skip IDS]\n"
					"       vpn-doctor --demo | --list\n"
					"       vpn-doctor TOOL [ARGS...]",
			  options);
		return DIAG_EXIT_PASS;
	}
	if (c.version) {
		printf("%s %s\n", TOOL, VPN_DOCTOR_VERSION);
		return DIAG_EXIT_PASS;
	}
	if (c.list) {
		list_checks();
		return DIAG_EXIT_PASS;
	}
	if (first < argc)
		return cli_usage_error(TOOL, "%s: unexpected argument (a tool name comes first: "
					     "vpn-doctor TOOL ...)", argv[first]);
	if ((rc = aws_input_check(&c.aws, TOOL)) != 0)
		return rc;
	if (c.json && c.markdown)
		return cli_usage_error(TOOL, "--json and --markdown: choose one");
	if (c.so.capture_iface && c.so.pcap_file)
		return cli_usage_error(TOOL, "--capture and --pcap: choose one");
	if ((c.only && (rc = check_ids(c.only, "--only"))) ||
	    (c.skip && (rc = check_ids(c.skip, "--skip"))))
		return rc;
	if ((rc = least_privilege(&c)) != 0)
		return rc == -1 ? DIAG_EXIT_PASS : rc;
	if (c.demo) {
		rc = doctor_demo(&c);
	} else {
		if (discovering(&c))
			doctor_discover(&c);
		rc = doctor_run(&c);
	}
	preopen_release();
	return rc;
}
