/* libFuzzer target for the tunnel log reader, the message classifier and the
 * aws.tunnel_logs findings. The input is a log file: it is read event by event (checking
 * what the reader promises about each event), then through the check into a report whose
 * JSON must parse back; the input's first bytes are also classified and scrubbed as one
 * log message. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "checks/aws_logs.h"
#include "libdiag/aws/vpnlog.h"
#include "libdiag/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MSG_MAX 4096

static void check(int ok)
{
	if (!ok)
		abort();
}

/* NULL, or valid UTF-8 (the reader refuses anything else). */
static int utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s)
		return 1;
	while (*p) {
		size_t n = *p < 0x80 ? 0 : *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : *p >= 0xc2 ? 1 : 9;

		if (n == 9)
			return 0;
		for (size_t k = 1; k <= n; k++)
			if ((p[k] & 0xc0) != 0x80)
				return 0;
		p += n + 1;
	}
	return 1;
}

struct seen {
	unsigned long last_line;
	uint64_t events;
};

static int on_event(void *arg, const struct vpnlog_event *ev, struct diag_error *err)
{
	struct seen *s = arg;
	char out[128];
	const struct vpnlog_msg *row;

	(void)err;
	check(ev->timestamp != NULL);
	check(ev->source && strcmp(ev->source, "fuzz.log") == 0);
	check(ev->line >= 1 && ev->line >= s->last_line);
	check(ev->epoch_ms >= -1 && ev->epoch_ms <= 253402300799999LL);
	check((ev->phase1 == VPNLOG_STATE_ABSENT) == (ev->phase1_text == NULL));
	check((ev->phase2 == VPNLOG_STATE_ABSENT) == (ev->phase2_text == NULL));
	check(ev->detail || ev->phase1_text || ev->phase2_text);
	check(ev->nat_t_detected >= -1 && ev->nat_t_detected <= 1);
	check(ev->dpd_enabled >= -1 && ev->dpd_enabled <= 1);
	check(utf8_ok(ev->timestamp) && utf8_ok(ev->detail) && utf8_ok(ev->vpn_connection_id) &&
	      utf8_ok(ev->outside_ip) && utf8_ok(ev->phase1_text) && utf8_ok(ev->phase2_text) &&
	      utf8_ok(ev->log_stream));
	row = vpnlog_classify(ev->detail);
	check(!row || (row >= vpnlog_catalogue && row < vpnlog_catalogue + vpnlog_catalogue_len));
	vpnlog_scrub(ev->detail, out, sizeof out);
	check(strlen(out) < sizeof out && utf8_ok(out));
	s->last_line = ev->line;
	s->events++;
	return 0;
}

static FILE *open_input(uint8_t *buf, size_t size)
{
	FILE *fp = fmemopen(buf, size ? size : 1, "r");

	/* glibc's fmemopen refuses a zero-sized buffer: read the one byte to reach the end */
	if (fp && !size)
		(void)fgetc(fp);
	return fp;
}

static void read_events(uint8_t *buf, size_t size)
{
	struct seen s = {0};
	struct vpnlog_stats st;
	struct diag_error err = {0};
	FILE *fp = open_input(buf, size);
	int rc;

	if (!fp)
		return;
	rc = vpnlog_read_stats(fp, "fuzz.log", on_event, &s, &st, &err);
	fclose(fp);
	check(s.events == st.events);
	check((rc == 0) == (st.events > 0));
	check(rc == 0 ? err.code == 0
		      : err.code == DIAG_EXIT_DATAERR || err.code == DIAG_EXIT_NOINPUT ||
				err.code == DIAG_EXIT_SOFTWARE);
	check((st.bad > 0) == (st.first_bad.code != 0));
	check(st.first_bad.code == 0 || strncmp(st.first_bad.where, "fuzz.log", 8) == 0);
	check(size > 0 || rc == -1);
}

/* The whole check: findings rendered to JSON must parse back, and to text. */
static void report_events(uint8_t *buf, size_t size)
{
	struct aws_logs *al = aws_logs_new();
	struct diag_error err = {0};
	struct report rep;
	FILE *fp;
	char *out;
	cJSON *back;

	if (!al)
		return;
	if (!(fp = open_input(buf, size))) {
		aws_logs_free(al);
		return;
	}
	(void)aws_logs_read(al, fp, "fuzz.log", &err);
	fclose(fp);
	report_init(&rep, "vpn-logs", "fuzz");
	aws_logs_findings(al, &rep);
	check(rep.n >= 1);
	if ((out = report_render(&rep, REPORT_JSON, 0)) != NULL) {
		back = cJSON_Parse(out);
		check(back != NULL || rep.oom);
		cJSON_Delete(back);
		free(out);
	}
	free(report_render(&rep, REPORT_TEXT, 0));
	report_free(&rep);
	aws_logs_free(al);
}

/* The input's first bytes as one message (up to the first NUL). */
static void classify_raw(const uint8_t *data, size_t size)
{
	size_t n = size < MSG_MAX ? size : MSG_MAX;
	char *msg = malloc(n + 1), out[64];
	const struct vpnlog_msg *row;

	if (!msg)
		return;
	memcpy(msg, data, n);
	msg[n] = '\0';
	row = vpnlog_classify(msg);
	check(!row || (row >= vpnlog_catalogue && row < vpnlog_catalogue + vpnlog_catalogue_len));
	vpnlog_scrub(msg, out, sizeof out);
	check(strlen(out) < sizeof out);
	{
		int64_t ms;

		if (vpnlog_parse_time(msg, &ms) == 0)
			check(ms >= 0 && ms <= 253402300799999LL);
	}
	free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	if (size)
		memcpy(buf, data, size);
	read_events(buf, size);
	report_events(buf, size);
	classify_raw(data, size);
	free(buf);
	return 0;
}
