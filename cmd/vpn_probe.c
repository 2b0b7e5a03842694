/* vpn-probe: nc-compatible TCP/UDP port prober that sweeps CIDRs and keeps interesting
 * traffic flowing. The runbook's `nc -zvv HOST PORT` runs unchanged. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/probe_cmd.h"
#include "cmd/probe_print.h"
#include "cmd/tools.h"
#include "libdiag/probe_targets.h"

static const char *const TOOL = "vpn-probe";

enum {
	OPT_RATE = 256, OPT_JSON, OPT_SUMMARY, OPT_OPEN, OPT_ICMP, OPT_PORTS, OPT_UDP_PAYLOAD,
	OPT_KEEPALIVE, OPT_COUNT, OPT_MAX_TARGETS, OPT_THREADS, OPT_HELP, OPT_VERSION,
};

static const struct cli_opt options[] = {
	{'4', '4', NULL, NULL, "IPv4 addresses only"},
	{'6', '6', NULL, NULL, "IPv6 addresses only"},
	{'c', 'c', "concurrency", "N", "probes in flight at once (default: from the fd limit)"},
	{'f', 'f', "targets-file", "FILE", "read more targets from FILE ('-': stdin)"},
	{'n', 'n', NULL, NULL, "numeric addresses only, no name lookups"},
	{'p', 'p', NULL, "PORT", "source port"},
	{'s', 's', NULL, "ADDR", "source address"},
	{'u', 'u', NULL, NULL, "UDP instead of TCP"},
	{'v', 'v', NULL, NULL, "nc-style lines on stderr; -vv for more"},
	{'w', 'w', NULL, "SECS", "per-probe timeout in seconds (default 3)"},
	{'z', 'z', NULL, NULL, "zero-I/O mode (always on; accepted for nc)"},
	{OPT_ICMP, 0, "icmp", NULL, "ICMP echo through ping sockets instead of ports"},
	{OPT_PORTS, 0, "ports", "LIST", "ports to probe (instead of the last operand)"},
	{OPT_RATE, 0, "rate", "N", "start at most N probes per second"},
	{OPT_THREADS, 0, "threads", "N", "worker threads (default: one per CPU, at most 4)"},
	{OPT_UDP_PAYLOAD, 0, "udp-payload", "HEX", "UDP payload for every port"},
	{OPT_JSON, 0, "json", NULL, "one JSON object per probe, then a report (NDJSON)"},
	{OPT_SUMMARY, 0, "summary", NULL, "print counts at the end"},
	{OPT_OPEN, 0, "open", NULL, "show open results only"},
	{OPT_KEEPALIVE, 0, "keepalive", "SECS", "probe every SECS seconds until stopped; report "
						"changes"},
	{OPT_COUNT, 0, "count", "N", "with --keepalive: stop after N rounds"},
	{OPT_MAX_TARGETS, 0, "max-targets", "N", "allow sweeps above 65536 targets"},
	{OPT_HELP, 'h', "help", NULL, "this help"},
	{OPT_VERSION, 0, "version", NULL, "print the version"},
	{0, 0, NULL, NULL, NULL},
};

static int hex_payload(struct probe_cmd *pc, const char *hex)
{
	size_t n = strlen(hex);

	if (n % 2 || n / 2 > PROBE_UDP_PAYLOAD_MAX)
		return cli_usage_error(TOOL, "--udp-payload %s: invalid payload (even number of "
					     "hex digits, at most %d bytes)",
				       hex, PROBE_UDP_PAYLOAD_MAX);
	for (size_t i = 0; i < n; i += 2) {
		char byte[3] = {hex[i], hex[i + 1], 0};
		char *end;

		if (!strchr("0123456789abcdefABCDEF", byte[0]) || !byte[0] ||
		    !strchr("0123456789abcdefABCDEF", byte[1]) || !byte[1])
			return cli_usage_error(TOOL, "--udp-payload %s: invalid hex at offset %zu",
					       hex, i);
		pc->payload[i / 2] = (uint8_t)strtoul(byte, &end, 16);
	}
	pc->probe.udp_payload = pc->payload;
	pc->probe.udp_payload_len = n / 2;
	pc->probe.udp_payload_set = true;
	return 0;
}

static int handle_option(void *ctx, int id, const char *arg)
{
	struct probe_cmd *pc = ctx;
	char flag[64];
	double v;
	uint64_t n;
	int rc;

	cli_flag_name(options, id, flag);
	switch (id) {
	case '4': pc->targets.family = AF_INET; break;
	case '6': pc->targets.family = AF_INET6; break;
	case 'n': pc->targets.numeric = true; break;
	case 'u': pc->probe.proto = PROBE_UDP; pc->udp = true; break;
	case 'v': pc->print.verbose++; break;
	case 'z': break;
	case 'f': pc->targets_file = arg; break;
	case 'c':
		if ((rc = cli_integer(TOOL, flag, arg, 1, 1000000, "concurrency", &n)) != 0)
			return rc;
		pc->probe.concurrency = (unsigned)n;
		break;
	case 'w':
		if ((rc = cli_number(TOOL, flag, arg, 0.001, 3600, "timeout", &v)) != 0)
			return rc;
		pc->probe.timeout_ms = (uint32_t)(v * 1000 + 0.5);
		break;
	case 'p':
		if ((rc = cli_integer(TOOL, flag, arg, 1, 65535, "source port", &n)) != 0)
			return rc;
		pc->probe.src_port = (uint16_t)n;
		break;
	case 's':
		if (!addr_parse(arg, &pc->probe.src))
			return cli_usage_error(TOOL, "%s %s: invalid source address", flag, arg);
		pc->probe.have_src = true;
		break;
	case OPT_RATE:
		if ((rc = cli_number(TOOL, flag, arg, 0.001, 10000000, "rate", &v)) != 0)
			return rc;
		pc->probe.rate = v;
		break;
	case OPT_THREADS:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 4, "thread count", &n)) != 0)
			return rc;
		pc->probe.workers = (unsigned)n;
		break;
	case OPT_KEEPALIVE:
		if ((rc = cli_number(TOOL, flag, arg, 0.1, 86400, "interval", &v)) != 0)
			return rc;
		pc->keepalive_s = v;
		break;
	case OPT_COUNT:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 1e9, "count", &pc->count)) != 0)
			return rc;
		break;
	case OPT_MAX_TARGETS:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 1e12, "target limit",
				      &pc->targets.max_targets)) != 0)
			return rc;
		break;
	case OPT_UDP_PAYLOAD: return hex_payload(pc, arg);
	case OPT_PORTS: pc->ports_arg = arg; break;
	case OPT_ICMP: pc->probe.proto = PROBE_ICMP; pc->icmp = true; break;
	case OPT_JSON: pc->print.json = true; break;
	case OPT_SUMMARY: pc->summary = true; break;
	case OPT_OPEN: pc->print.open_only = true; break;
	case OPT_HELP: pc->help = true; break;
	case OPT_VERSION: pc->version = true; break;
	default: return cli_usage_error(TOOL, "%s: unhandled option", flag);
	}
	return 0;
}

/* Rejects combinations right after parsing, before anything is sent. */
static int check_conflicts(const struct probe_cmd *pc)
{
	if (pc->udp && pc->icmp)
		return cli_usage_error(TOOL, "-u and --icmp: choose one protocol");
	if (pc->icmp && pc->ports_arg)
		return cli_usage_error(TOOL, "--ports with --icmp: ICMP echo has no ports");
	if (pc->probe.udp_payload_set && !pc->udp)
		return cli_usage_error(TOOL, "--udp-payload needs -u");
	if (pc->count && !pc->keepalive_s)
		return cli_usage_error(TOOL, "--count needs --keepalive");
	if (pc->keepalive_s && pc->targets_file && strcmp(pc->targets_file, "-") == 0)
		return cli_usage_error(TOOL, "--keepalive cannot re-read targets from stdin");
	if (pc->keepalive_s && pc->print.json)
		return cli_usage_error(TOOL, "--keepalive prints change lines; --json is for sweeps");
	return 0;
}

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Splits operands into target specs and the port list, and opens the targets file. */
static int prepare(struct probe_cmd *pc, int argc, char **argv, int first)
{
	struct diag_error err = {0};
	char buf[512];
	uint64_t total;

	if (pc->probe.have_src) {
		/* A source address this host does not have would make every probe an error;
		 * say it once, before the sweep. */
		struct sockaddr_storage ss;
		socklen_t sl = addr_to_sockaddr(&pc->probe.src, 0, &ss);
		int fd = socket(pc->probe.src.family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) < 0) {
			int e = errno;
			char a[ADDR_STRLEN];

			if (fd >= 0)
				close(fd);
			return cli_usage_error(TOOL, "-s %s: %s", addr_str(&pc->probe.src, a),
					       strerror(e));
		}
		close(fd);
		if (pc->targets.family && pc->targets.family != pc->probe.src.family)
			return cli_usage_error(TOOL, "-s and -%c: the source address is of the other "
						     "family", pc->targets.family == AF_INET ? '4' : '6');
		pc->targets.family = pc->probe.src.family;
	}
	pc->specs = argv + first;
	pc->nspecs = argc - first;
	if (!pc->icmp && !pc->ports_arg) {
		if (pc->nspecs < 1 || (pc->nspecs < 2 && !pc->targets_file))
			return cli_usage_error(TOOL, "no port given (usage: %s [options] TARGET... "
						     "PORTS)", TOOL);
		pc->ports_arg = pc->specs[--pc->nspecs];
	}
	if (pc->icmp) {
		/* ICMP probes have no port; one placeholder keeps the iterator's shape. */
		pc->ports.r[0].lo = pc->ports.r[0].hi = 1;
		pc->ports.n = 1;
		pc->ports.count = 1;
	} else if (ports_parse(&pc->ports, pc->ports_arg, pc->udp ? "udp" : "tcp", &err) < 0) {
		return cli_usage_error(TOOL, "%s", diag_error_text(&err, buf, sizeof buf));
	}
	if (pc->nspecs < 1 && !pc->targets_file)
		return cli_usage_error(TOOL, "no target given");
	if (pc->targets_file) {
		if (strcmp(pc->targets_file, "-") == 0) {
			pc->fp = stdin;
		} else if (!(pc->fp = fopen(pc->targets_file, "r"))) {
			fprintf(stderr, "%s: %s: %s\n", TOOL, pc->targets_file, strerror(errno));
			return DIAG_EXIT_NOINPUT;
		}
	}
	/* Refuse an oversized sweep before the first packet; stdin can only be counted as
	 * it streams, so the iterator enforces the same limit there. */
	if (targets_count(pc->specs, pc->nspecs, pc->fp == stdin ? NULL : pc->fp,
			  pc->targets_file, &pc->targets, &pc->ports, &total, &err) < 0) {
		fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, buf, sizeof buf));
		return err.code;
	}
	if (pc->fp && pc->fp != stdin)
		rewind(pc->fp);
	pc->total = total;
	for (int i = 0; i < pc->nspecs; i++)
		snprintf(pc->subject + strlen(pc->subject), sizeof pc->subject - strlen(pc->subject),
			 "%s%s", i ? " " : "", pc->specs[i]);
	if (pc->targets_file)
		snprintf(pc->subject + strlen(pc->subject), sizeof pc->subject - strlen(pc->subject),
			 "%s%s", pc->nspecs ? " " : "", pc->targets_file);
	if (!pc->icmp)
		snprintf(pc->subject + strlen(pc->subject), sizeof pc->subject - strlen(pc->subject),
			 " %s/%s", pc->ports_arg, pc->udp ? "udp" : "tcp");
	else
		snprintf(pc->subject + strlen(pc->subject), sizeof pc->subject - strlen(pc->subject),
			 " icmp");
	return 0;
}

static void on_result(void *arg, const struct probe_result *r)
{
	probe_print_result(arg, r);
}

static int sweep(struct probe_cmd *pc)
{
	struct target_iter *it = calloc(1, sizeof *it);
	struct probe_stats st;
	struct diag_error err = {0};
	char buf[512];
	int rc;

	if (!it) {
		fprintf(stderr, "%s: out of memory\n", TOOL);
		return DIAG_EXIT_SOFTWARE;
	}
	target_iter_init(it, &pc->targets, &pc->ports, pc->specs, pc->nspecs, pc->fp,
			 pc->targets_file);
	rc = probe_run(&pc->probe, probe_next_from_targets, it, on_result, &pc->print, &st, &err);
	free(it);
	if (pc->print.verbose >= 2 && !pc->print.json)
		fprintf(stderr, "sent %llu, rcvd %llu\n", (unsigned long long)pc->print.sent,
			(unsigned long long)pc->print.rcvd);
	if (pc->summary) /* never inside the NDJSON stream */
		probe_print_summary(pc->print.json ? stderr : stdout, &st);
	if (pc->print.json)
		probe_print_report(stdout, &pc->print, &st, pc->subject);
	fflush(stdout);
	if (rc < 0) {
		/* Everything probed before the error has been reported above. */
		fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, buf, sizeof buf));
		return err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
	}
	return st.by_state[PROBE_OPEN] ? DIAG_EXIT_PASS : DIAG_EXIT_WARN;
}

int vpn_probe_main(int argc, char **argv)
{
	struct probe_cmd pc;
	int first = 0, rc;

	memset(&pc, 0, sizeof pc);
	pc.print.tool = TOOL;
	rc = cli_parse(TOOL, options, argc, argv, handle_option, &pc, &first);
	if (rc)
		return rc;
	if (pc.help) {
		cli_usage(stdout, TOOL, "[-46nuvz] [-c N] [-f FILE] [-p PORT] [-s ADDR] [-w SECS] "
					"[--json] [--keepalive SECS] TARGET... PORTS",
			  options);
		return DIAG_EXIT_PASS;
	}
	if (pc.version) {
		printf("%s %s\n", TOOL, VPN_DOCTOR_VERSION);
		return DIAG_EXIT_PASS;
	}
	if ((rc = check_conflicts(&pc)) != 0 || (rc = prepare(&pc, argc, argv, first)) != 0)
		goto out;
	install_signals();
	pc.probe.stop = &stop_requested;
	if (!pc.probe.concurrency)
		pc.probe.concurrency = probe_default_concurrency();
	rc = pc.keepalive_s ? probe_keepalive(&pc) : sweep(&pc);
out:
	if (pc.fp && pc.fp != stdin)
		fclose(pc.fp);
	return rc;
}
