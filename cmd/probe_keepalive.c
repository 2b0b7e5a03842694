/* --keepalive: the SLA monitor of the troubleshooting guide. AWS never initiates a tunnel
 * and idles it out when no traffic flows, so the customer side keeps "interesting" traffic
 * going; while it does, this prints when each target comes up or goes down. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/probe_cmd.h"
#include "libdiag/probe_targets.h"

#define KEEPALIVE_DEFAULT_RATE 100.0 /* probes per second: traffic, not a flood */

enum reach { REACH_UNKNOWN, REACH_UP, REACH_DOWN };

struct monitor {
	struct probe_cmd *pc;
	uint8_t *state;     /* per target of a round, in pull order */
	uint64_t up_now;    /* targets up, as of the latest results */
	uint64_t changes;
};

static void timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool answered(enum probe_state s)
{
	return s == PROBE_OPEN || s == PROBE_REFUSED || s == PROBE_CLOSED;
}

static void on_result(void *arg, const struct probe_result *r)
{
	struct monitor *m = arg;
	enum reach now = answered(r->state) ? REACH_UP : REACH_DOWN;
	enum reach was;
	char ts[32], a[ADDR_STRLEN], what[96];

	if (r->seq >= m->pc->total)
		return;
	was = m->state[r->seq];
	if (was == now)
		return;
	m->state[r->seq] = (uint8_t)now;
	if (was == REACH_UP)
		m->up_now--;
	if (now == REACH_UP)
		m->up_now++;
	m->changes++;
	timestamp(ts, sizeof ts);
	addr_str(&r->addr, a);
	if (now == REACH_UP && r->proto != PROBE_UDP)
		snprintf(what, sizeof what, "%s in %.1f ms", probe_state_name(r->state),
			 (double)r->rtt_us / 1000.0);
	else
		snprintf(what, sizeof what, "%s", probe_state_name(r->state));
	if (r->proto == PROBE_ICMP)
		printf("%s %s icmp %s (%s)\n", ts, a, now == REACH_UP ? "up" : "down", what);
	else if (r->addr.family == AF_INET6)
		printf("%s [%s]:%u/%s %s (%s)\n", ts, a, r->port, probe_proto_name(r->proto),
		       now == REACH_UP ? "up" : "down", what);
	else
		printf("%s %s:%u/%s %s (%s)\n", ts, a, r->port, probe_proto_name(r->proto),
		       now == REACH_UP ? "up" : "down", what);
	fflush(stdout);
}

static void sleep_until(const struct timespec *t, volatile sig_atomic_t *stop)
{
	while (!*stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) != 0)
		;
}

int probe_keepalive(struct probe_cmd *pc)
{
	struct monitor m = {.pc = pc};
	struct target_iter *it = calloc(1, sizeof *it);
	struct probe_stats st;
	struct diag_error err = {0};
	struct timespec next;
	uint64_t round = 0, was_up = 0;
	char buf[512], ts[32];

	m.state = calloc(pc->total ? pc->total : 1, 1);
	if (!it || !m.state) {
		free(it);
		free(m.state);
		fprintf(stderr, "%s: out of memory\n", pc->print.tool);
		return DIAG_EXIT_SOFTWARE;
	}
	if (!pc->probe.rate)
		pc->probe.rate = KEEPALIVE_DEFAULT_RATE;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!*pc->probe.stop && (!pc->count || round < pc->count)) {
		if (pc->fp)
			rewind(pc->fp);
		target_iter_init(it, &pc->targets, &pc->ports, pc->specs, pc->nspecs, pc->fp,
				 pc->targets_file);
		if (probe_run(&pc->probe, probe_next_from_targets, it, on_result, &m, &st,
			      &err) < 0) {
			fprintf(stderr, "%s: %s\n", pc->print.tool,
				diag_error_text(&err, buf, sizeof buf));
			free(it);
			free(m.state);
			return err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
		}
		round++;
		/* The tunnel as a whole: say so when the first target answers or the last stops. */
		if ((was_up == 0) != (m.up_now == 0) || round == 1) {
			timestamp(ts, sizeof ts);
			printf("%s tunnel %s: %llu of %llu targets answer\n", ts,
			       m.up_now ? "up" : "down", (unsigned long long)m.up_now,
			       (unsigned long long)pc->total);
			fflush(stdout);
		}
		was_up = m.up_now;
		if (pc->count && round >= pc->count)
			break;
		next.tv_sec += (time_t)pc->keepalive_s;
		next.tv_nsec += (long)((pc->keepalive_s - (double)(time_t)pc->keepalive_s) * 1e9);
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		sleep_until(&next, pc->probe.stop);
	}
	if (pc->summary)
		printf("%llu rounds, %llu changes, %llu of %llu targets up at the end\n",
		       (unsigned long long)round, (unsigned long long)m.changes,
		       (unsigned long long)m.up_now, (unsigned long long)pc->total);
	free(it);
	free(m.state);
	return m.up_now ? DIAG_EXIT_PASS : DIAG_EXIT_WARN;
}
