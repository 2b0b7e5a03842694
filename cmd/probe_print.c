#include "cmd/probe_print.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "libdiag/utf8.h"

void probe_format_target(const struct probe_result *r, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	addr_str(&r->addr, a);
	if (r->proto == PROBE_ICMP)
		snprintf(buf, len, "%s (%s)", r->name ? r->name : a, a);
	else if (r->addr.family == AF_INET6)
		snprintf(buf, len, "%s ([%s]:%u)", r->name ? r->name : a, a, r->port);
	else
		snprintf(buf, len, "%s (%s:%u)", r->name ? r->name : a, a, r->port);
}

/* The nc line for one result, or nothing at this verbosity. busybox nc says nothing of a
 * refusal at -v and everything at -vv; a timeout is always worth a line. */
static void print_nc_line(const struct probe_printer *p, const struct probe_result *r)
{
	char t[320], icmp[128] = "";
	const char *why;

	if (p->verbose < 1 || (p->open_only && r->state != PROBE_OPEN))
		return;
	if (r->detail) { /* the name did not resolve */
		fprintf(stderr, "%s: %s: bad address: %s\n", p->tool, r->name ? r->name : "?",
			r->detail);
		return;
	}
	probe_format_target(r, t, sizeof t);
	if (r->icmp && r->state != PROBE_REFUSED && r->state != PROBE_CLOSED) {
		char from[ADDR_STRLEN];
		const char *name = probe_icmp_name(r->addr.family, r->icmp_type, r->icmp_code);

		if (name)
			snprintf(icmp, sizeof icmp, " (ICMP %s from %s)", name,
				 addr_str(&r->icmp_from, from));
		else
			snprintf(icmp, sizeof icmp, " (ICMP type %u code %u from %s)", r->icmp_type,
				 r->icmp_code, addr_str(&r->icmp_from, from));
	}
	switch (r->state) {
	case PROBE_OPEN:
		fprintf(stderr, "%s open\n", t);
		return;
	case PROBE_OPEN_FILTERED:
		fprintf(stderr, "%s open|filtered\n", t);
		return;
	case PROBE_REFUSED:
	case PROBE_CLOSED:
		if (p->verbose < 2)
			return;
		why = "Connection refused";
		break;
	case PROBE_FILTERED:
		why = r->proto == PROBE_ICMP ? "No echo reply" : "Connection timed out";
		break;
	default:
		why = r->err ? strerror(r->err) : "error";
		break;
	}
	fprintf(stderr, "%s: %s: %s%s\n", p->tool, t, why, icmp);
}

static void print_json_line(const struct probe_result *r)
{
	cJSON *o = cJSON_CreateObject();
	char a[ADDR_STRLEN], *line;

	if (!o)
		return;
	addr_str(&r->addr, a);
	cJSON_AddStringToObject(o, "host", r->name ? r->name : a);
	if (r->detail)
		cJSON_AddNullToObject(o, "addr");
	else
		cJSON_AddStringToObject(o, "addr", a);
	if (r->proto != PROBE_ICMP)
		cJSON_AddNumberToObject(o, "port", r->port);
	cJSON_AddStringToObject(o, "proto", probe_proto_name(r->proto));
	cJSON_AddStringToObject(o, "state", probe_state_name(r->state));
	if (r->state == PROBE_OPEN || r->state == PROBE_REFUSED || r->state == PROBE_CLOSED)
		cJSON_AddNumberToObject(o, "rtt_ms", (double)r->rtt_us / 1000.0);
	if (r->icmp) {
		cJSON *i = cJSON_AddObjectToObject(o, "icmp");
		const char *name = probe_icmp_name(r->addr.family, r->icmp_type, r->icmp_code);
		char from[ADDR_STRLEN];

		cJSON_AddNumberToObject(i, "type", r->icmp_type);
		cJSON_AddNumberToObject(i, "code", r->icmp_code);
		if (name)
			cJSON_AddStringToObject(i, "name", name);
		cJSON_AddStringToObject(i, "from", addr_str(&r->icmp_from, from));
	}
	if (r->detail)
		cJSON_AddStringToObject(o, "error", r->detail);
	else if ((r->state == PROBE_UNREACHABLE || r->state == PROBE_ERROR) && r->err)
		cJSON_AddStringToObject(o, "error", strerror(r->err));
	line = json_print_utf8(o, false);
	if (line) {
		fputs(line, stdout);
		fputc('\n', stdout);
		cJSON_free(line);
	}
	cJSON_Delete(o);
}

void probe_print_result(struct probe_printer *p, const struct probe_result *r)
{
	reach_tally_add(&p->tally, r);
	p->sent += r->sent;
	p->rcvd += r->rcvd;
	if (p->json) {
		if (!p->open_only || r->state == PROBE_OPEN)
			print_json_line(r);
		return;
	}
	print_nc_line(p, r);
}

void probe_print_summary(FILE *fp, const struct probe_stats *st)
{
	double secs = (double)st->elapsed_us / 1e6;

	fprintf(fp, "%llu probes in %.3f s (%.0f/s):", (unsigned long long)st->done, secs,
		secs > 0 ? (double)st->done / secs : 0.0);
	for (int s = 0; s < PROBE_STATE_COUNT; s++)
		fprintf(fp, "%s %llu %s", s ? "," : "", (unsigned long long)st->by_state[s],
			probe_state_name(s));
	fprintf(fp, "%s\n", st->interrupted ? " (interrupted)" : "");
}

void probe_print_report(FILE *fp, const struct probe_printer *p, const struct probe_stats *st,
			const char *subject)
{
	struct report rep;
	char *out;

	report_init(&rep, p->tool, VPN_DOCTOR_VERSION);
	reach_finding(&rep, &p->tally, st, subject);
	out = report_render(&rep, REPORT_JSON, 0);
	if (out) {
		fputs(out, fp);
		free(out);
	}
	report_free(&rep);
}
