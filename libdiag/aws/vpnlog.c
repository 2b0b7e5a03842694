/* The tunnel log reader: JSON lines, or the AWS CLI's filter-log-events / get-log-events
 * output streamed record by record (a paginated export can be hundreds of megabytes, so
 * the document is never loaded whole: only one event record at a time, at most
 * VPNLOG_MAX_LINE bytes, goes through cJSON). */
#include "libdiag/aws/vpnlog.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#define ID_MAX 128          /* a VPN connection id or an outside IP taken from a stream name */
#define MAX_EPOCH_MS 253402300799999LL  /* 9999-12-31T23:59:59.999Z */

struct reader {
	FILE *fp;
	const char *source;     /* display name */
	vpnlog_event_fn cb;
	void *arg;
	struct vpnlog_stats *st;
	struct diag_error *err;
	bool stop;              /* err holds a fatal error */
	bool read_error;
	/* line mode */
	char *buf;
	size_t len, cap;
	unsigned long line;
	/* document mode: the first line is replayed, then the stream continues */
	const char *replay;
	size_t replay_len, replay_pos;
	int pushback;           /* -2: none */
	int dlast;              /* the last character read */
	unsigned long dline;    /* line of the next character */
	char *rec;              /* one captured event record */
	size_t rec_len, rec_cap;
};

/* ---- errors ----------------------------------------------------------------------- */

static void where_at(const struct reader *r, unsigned long line, char *out, size_t len)
{
	if (line)
		snprintf(out, len, "%s:%lu", r->source, line);
	else
		snprintf(out, len, "%s", r->source);
}

/* Counts a bad record and keeps the first one's place. */
static void bad(struct reader *r, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void bad(struct reader *r, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	char where[160], what[256];

	r->st->bad++;
	if (r->st->first_bad.code)
		return;
	where_at(r, line, where, sizeof where);
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	diag_fail(&r->st->first_bad, DIAG_EXIT_DATAERR, where, "%s", what);
}

static void fatal(struct reader *r, unsigned long line, enum diag_exit code, const char *fmt,
		  ...) __attribute__((format(printf, 4, 5)));
static void fatal(struct reader *r, unsigned long line, enum diag_exit code, const char *fmt,
		  ...)
{
	va_list ap;
	char where[160], what[256];

	where_at(r, line, where, sizeof where);
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	diag_fail(r->err, code, where, "%s", what);
	r->stop = true;
}

/* ---- bytes ------------------------------------------------------------------------ */

/* Offset of the first byte that is not part of valid UTF-8 (overlongs, surrogates and
 * code points above U+10FFFF refused), or len when all of s is valid. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return i;
		if (n > len - i - 1)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return i;
		i += n + 1;
	}
	return len;
}

/* Checks that a record is text: no NUL, valid UTF-8. Counts it bad and returns false
 * otherwise; col_base is the column of s[0] minus one. */
static bool is_text(struct reader *r, const char *s, size_t len, unsigned long line,
		    size_t col_base)
{
	const char *nul = memchr(s, '\0', len);
	size_t bad_at;

	if (nul) {
		bad(r, line, "binary data (a NUL byte at column %zu), not a JSON log event",
		    col_base + (size_t)(nul - s) + 1);
		return false;
	}
	bad_at = utf8_invalid_at((const unsigned char *)s, len);
	if (bad_at < len) {
		bad(r, line, "not UTF-8 text (byte 0x%02X at column %zu)",
		    (unsigned char)s[bad_at], col_base + bad_at + 1);
		return false;
	}
	return true;
}

static bool is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* True when s is an unfinished JSON value: it ends inside a string or with a bracket
 * still open (and never closed more than it opened). */
static bool json_unfinished(const char *s, size_t len)
{
	long depth = 0;
	bool in_str = false, esc = false, any = false;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"')
			in_str = true, any = true;
		else if (c == '{' || c == '[')
			depth++, any = true;
		else if (c == '}' || c == ']') {
			if (--depth < 0)
				return false;
		}
	}
	return any && (in_str || depth > 0);
}

/* ---- time ------------------------------------------------------------------------- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Reads exactly n digits; -1 when they are not there. */
static long digits(const char **p, int n)
{
	long v = 0;

	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

/* Epoch seconds or milliseconds (told apart by size: 1e11 seconds is the year 5138). */
static int epoch_to_ms(double v, int64_t *ms)
{
	if (!isfinite(v) || v < 0)
		return -1;
	if (v < 1e11)
		v = v * 1000.0;
	v = floor(v + 0.5);
	if (v > (double)MAX_EPOCH_MS)
		return -1;
	*ms = (int64_t)v;
	return 0;
}

static int parse_numeric_time(const char *s, int64_t *ms)
{
	char *end;
	double v;
	const char *p = s;

	while (isdigit((unsigned char)*p))
		p++;
	if (p == s || (*p && *p != '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end)
		return -1;
	return epoch_to_ms(v, ms);
}

/* Zone suffix after the time: Z, UTC, GMT, +HH, +HHMM, +HH:MM. Returns the offset in
 * minutes east of UTC, or INT32_MIN when the suffix is not a zone. */
static long parse_zone(const char *p)
{
	long h, m = 0;
	int sign;

	while (*p == ' ')
		p++;
	if (!*p || ((*p == 'Z' || *p == 'z') && !p[1]) || strcmp(p, "UTC") == 0 ||
	    strcmp(p, "GMT") == 0)
		return 0;
	if (*p != '+' && *p != '-')
		return INT32_MIN;
	sign = *p++ == '-' ? -1 : 1;
	if ((h = digits(&p, 2)) < 0 || h > 23)
		return INT32_MIN;
	if (*p == ':')
		p++;
	if (*p && ((m = digits(&p, 2)) < 0 || m > 59 || *p))
		return INT32_MIN;
	return sign * (h * 60 + m);
}

int vpnlog_parse_time(const char *s, int64_t *ms)
{
	static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *p = s;
	long y, mo, d, h, mi, sec = 0, frac_ms = 0, zone;
	int64_t t;

	if (!s)
		return -1;
	while (*p == ' ')
		p++;
	if (parse_numeric_time(p, ms) == 0)
		return 0;
	if ((y = digits(&p, 4)) < 1970 || *p++ != '-' || (mo = digits(&p, 2)) < 1 || mo > 12 ||
	    *p++ != '-' || (d = digits(&p, 2)) < 1)
		return -1;
	if (d > (long)mdays[mo - 1] + (mo == 2 && leap(y)))
		return -1;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if ((h = digits(&p, 2)) < 0 || h > 23 || *p++ != ':' || (mi = digits(&p, 2)) < 0 ||
	    mi > 59)
		return -1;
	if (*p == ':') {
		p++;
		if ((sec = digits(&p, 2)) < 0 || sec > 60)
			return -1;
		if (*p == '.' || *p == ',') {
			int n = 0;

			p++;
			if (!isdigit((unsigned char)*p))
				return -1;
			for (; isdigit((unsigned char)*p); p++, n++)
				if (n < 3)
					frac_ms = frac_ms * 10 + (*p - '0');
			for (; n < 3; n++)
				frac_ms *= 10;
		}
	}
	if ((zone = parse_zone(p)) == INT32_MIN)
		return -1;
	t = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 24 + h) * 60 + mi - zone) * 60 + sec;
	t = t * 1000 + frac_ms;
	if (t < 0 || t > MAX_EPOCH_MS)
		return -1;
	*ms = t;
	return 0;
}

const char *vpnlog_format_time(int64_t ms, char *buf, size_t len)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	size_t n;

	if (ms < 0 || !gmtime_r(&secs, &tm) ||
	    (n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)) == 0) {
		snprintf(buf, len, "%s", "");
		return buf;
	}
	if (ms % 1000)
		snprintf(buf + n, len - n, ".%03dZ", (int)(ms % 1000));
	else
		snprintf(buf + n, len - n, "Z");
	return buf;
}

/* ---- one event ------------------------------------------------------------------- */

/* The names AWS documents for each field: log-contents.md's, then the JSON key the current
 * user guide gives in parentheses. */
static const char *const F_TIME[] = {"VpnLogCreationTimestamp", "event_timestamp", NULL};
static const char *const F_TIME_READABLE[] = {"VpnLogCreationTimestampReadable", "timestamp",
					      NULL};
static const char *const F_VPN[] = {"VpnConnectionId", "vpn_connection_id", NULL};
static const char *const F_IP[] = {"TunnelOutsideIPAddress", "tunnel_outside_ip_address",
				   NULL};
static const char *const F_DPD[] = {"TunnelDPDEnabled", "dpd_enabled", NULL};
static const char *const F_NATT[] = {"TunnelCGWNATTDetectionStatus", "nat_t_detected", NULL};
static const char *const F_P1[] = {"TunnelIKEPhase1State", "ike_phase1_state", NULL};
static const char *const F_P2[] = {"TunnelIKEPhase2State", "ike_phase2_state", NULL};
static const char *const F_DETAIL[] = {"VpnLogDetail", "details", NULL};

struct rec_ctx {
	unsigned long line;
	const char *path;          /* "$" or "$.events[3].message" */
	const char *stream;        /* logStreamName, or NULL */
	int64_t wrapper_ms;        /* the CLI record's timestamp, or -1 */
};

static const cJSON *field(const cJSON *o, const char *const *names, const char **name)
{
	for (; *names; names++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, *names);

		if (v) {
			*name = *names;
			return v;
		}
	}
	return NULL;
}

static const char *type_name(const cJSON *v)
{
	return cJSON_IsString(v)   ? "a string"
	       : cJSON_IsNumber(v) ? "a number"
	       : cJSON_IsBool(v)   ? "a boolean"
	       : cJSON_IsNull(v)   ? "null"
	       : cJSON_IsArray(v)  ? "an array"
				   : "an object";
}

/* A string field; null counts as absent. Counts the record bad on any other type. */
static bool get_str(struct reader *r, const struct rec_ctx *c, const cJSON *o,
		    const char *const *names, const char **out)
{
	const char *name;
	const cJSON *v = field(o, names, &name);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return true;
	if (!cJSON_IsString(v)) {
		bad(r, c->line, "%s.%s: expected a string, found %s", c->path, name, type_name(v));
		return false;
	}
	*out = v->valuestring;
	return true;
}

/* True/False as AWS writes them, a JSON boolean, or 0/1. Anything else is unknown. */
static bool get_tri(struct reader *r, const struct rec_ctx *c, const cJSON *o,
		    const char *const *names, int *out)
{
	const char *name;
	const cJSON *v = field(o, names, &name);

	*out = VPNLOG_UNKNOWN;
	if (!v || cJSON_IsNull(v))
		return true;
	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v) ? 1 : 0;
	} else if (cJSON_IsString(v)) {
		if (strcasecmp(v->valuestring, "true") == 0)
			*out = 1;
		else if (strcasecmp(v->valuestring, "false") == 0)
			*out = 0;
	} else if (cJSON_IsNumber(v)) {
		if (v->valuedouble == 0 || v->valuedouble == 1)
			*out = v->valuedouble == 1;
	} else {
		bad(r, c->line, "%s.%s: expected True or False, found %s", c->path, name,
		    type_name(v));
		return false;
	}
	return true;
}

static enum vpnlog_state parse_state(const char *s)
{
	static const struct {
		const char *name;
		enum vpnlog_state st;
	} states[] = {
		{"Established", VPNLOG_STATE_ESTABLISHED},
		{"Rekeying", VPNLOG_STATE_REKEYING},
		{"Negotiating", VPNLOG_STATE_NEGOTIATING},
		{"Down", VPNLOG_STATE_DOWN},
	};

	if (!s)
		return VPNLOG_STATE_ABSENT;
	for (size_t i = 0; i < sizeof states / sizeof *states; i++)
		if (strcasecmp(s, states[i].name) == 0)
			return states[i].st;
	return VPNLOG_STATE_OTHER;
}

/* "vpn-0a1b2c3d4e5f60718-198.51.100.10" (log stream) or "vpn-..._198.51.100.10"
 * (resource_id): the connection id and the outside IP. Returns false when name is not of
 * that shape. */
static bool split_tunnel_name(const char *name, char *vpn, char *ip)
{
	const char *p = name;
	size_t n;

	if (!name || strncmp(name, "vpn-", 4) != 0)
		return false;
	for (p += 4; isalnum((unsigned char)*p); p++)
		;
	n = (size_t)(p - name);
	if (n <= 4 || n >= ID_MAX || (*p != '-' && *p != '_' && *p != '/'))
		return false;
	memcpy(vpn, name, n);
	vpn[n] = '\0';
	p++;
	if (strlen(p) >= ID_MAX)
		return false;
	{
		unsigned char tmp[16];

		if (inet_pton(AF_INET, p, tmp) != 1 && inet_pton(AF_INET6, p, tmp) != 1)
			return false;
	}
	strcpy(ip, p);
	return true;
}

/* The event's time: an epoch number, a readable string, or the CLI record's timestamp. */
static bool get_time(struct reader *r, const struct rec_ctx *c, const cJSON *o,
		     struct vpnlog_event *ev, char *fmt_buf, size_t fmt_len)
{
	const char *name;
	const cJSON *t = field(o, F_TIME, &name);
	const char *readable = NULL;
	const cJSON *rd;
	const char *rd_name;

	ev->epoch_ms = -1;
	if (t && cJSON_IsNumber(t)) {
		if (epoch_to_ms(t->valuedouble, &ev->epoch_ms) < 0) {
			bad(r, c->line, "%s.%s: not a time (epoch seconds or milliseconds)", c->path,
			    name);
			return false;
		}
	} else if (t && cJSON_IsString(t)) {
		readable = t->valuestring;
	} else if (t && !cJSON_IsNull(t)) {
		bad(r, c->line, "%s.%s: expected a time, found %s", c->path, name, type_name(t));
		return false;
	}
	rd = field(o, F_TIME_READABLE, &rd_name);
	if (rd && cJSON_IsString(rd)) {
		if (!readable)
			readable = rd->valuestring;
	} else if (rd && cJSON_IsNumber(rd)) {
		if (ev->epoch_ms < 0 && epoch_to_ms(rd->valuedouble, &ev->epoch_ms) < 0) {
			bad(r, c->line, "%s.%s: not a time (epoch seconds or milliseconds)", c->path,
			    rd_name);
			return false;
		}
	} else if (rd && !cJSON_IsNull(rd)) {
		bad(r, c->line, "%s.%s: expected a time, found %s", c->path, rd_name,
		    type_name(rd));
		return false;
	}
	if (ev->epoch_ms < 0 && readable) {
		int64_t ms;

		if (vpnlog_parse_time(readable, &ms) == 0)
			ev->epoch_ms = ms;
	}
	if (ev->epoch_ms < 0 && c->wrapper_ms >= 0)
		ev->epoch_ms = c->wrapper_ms;
	ev->timestamp = readable ? readable
		      : ev->epoch_ms >= 0 ? vpnlog_format_time(ev->epoch_ms, fmt_buf, fmt_len)
					  : "";
	return true;
}

/* A BGP log record (resource_id, type BGPStatus | RouteStatus): well-formed, not ours. */
static bool is_bgp_record(const cJSON *o)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");

	return cJSON_IsString(type) && (strcmp(type->valuestring, "BGPStatus") == 0 ||
					strcmp(type->valuestring, "RouteStatus") == 0);
}

static void deliver(struct reader *r, const struct rec_ctx *c, struct vpnlog_event *ev)
{
	if (r->st->events >= VPNLOG_MAX_EVENTS) {
		fatal(r, c->line, DIAG_EXIT_DATAERR, "more than %u events (the limit)",
		      VPNLOG_MAX_EVENTS);
		return;
	}
	ev->source = r->source;
	ev->line = c->line;
	ev->log_stream = c->stream;
	r->st->events++;
	if (r->cb && r->cb(r->arg, ev, r->err) != 0) {
		if (!r->err || !r->err->code)
			fatal(r, c->line, DIAG_EXIT_SOFTWARE, "reading stopped");
		r->stop = true;
	}
}

/* One tunnel event object: checks its fields and hands it to the callback. */
static void handle_event(struct reader *r, const struct rec_ctx *c, const cJSON *o)
{
	struct vpnlog_event ev;
	char tbuf[40], vpn[ID_MAX], ip[ID_MAX];
	const char *resource = NULL;

	memset(&ev, 0, sizeof ev);
	if (!cJSON_IsObject(o)) {
		bad(r, c->line, "%s: expected a JSON object, found %s", c->path, type_name(o));
		return;
	}
	if (is_bgp_record(o)) {
		r->st->ignored++;
		return;
	}
	if (!get_str(r, c, o, F_DETAIL, &ev.detail) || !get_str(r, c, o, F_P1, &ev.phase1_text) ||
	    !get_str(r, c, o, F_P2, &ev.phase2_text) ||
	    !get_str(r, c, o, F_VPN, &ev.vpn_connection_id) ||
	    !get_str(r, c, o, F_IP, &ev.outside_ip) ||
	    !get_tri(r, c, o, F_DPD, &ev.dpd_enabled) ||
	    !get_tri(r, c, o, F_NATT, &ev.nat_t_detected) ||
	    !get_time(r, c, o, &ev, tbuf, sizeof tbuf))
		return;
	if (!ev.detail && !ev.phase1_text && !ev.phase2_text) {
		bad(r, c->line, "%s: not a VPN tunnel log event (no VpnLogDetail, "
				"TunnelIKEPhase1State or TunnelIKEPhase2State)",
		    c->path);
		return;
	}
	ev.phase1 = parse_state(ev.phase1_text);
	ev.phase2 = parse_state(ev.phase2_text);
	if (!ev.vpn_connection_id || !ev.outside_ip) {
		const cJSON *res = cJSON_GetObjectItemCaseSensitive(o, "resource_id");

		resource = cJSON_IsString(res) ? res->valuestring : NULL;
		if (split_tunnel_name(resource, vpn, ip) || split_tunnel_name(c->stream, vpn, ip)) {
			if (!ev.vpn_connection_id)
				ev.vpn_connection_id = vpn;
			if (!ev.outside_ip)
				ev.outside_ip = ip;
		}
	}
	deliver(r, c, &ev);
}

/* One element of a CLI "events" array: {"logStreamName", "timestamp", "message"}. */
static void handle_cli_record(struct reader *r, const cJSON *rec, size_t idx,
			      unsigned long line)
{
	char path[64];
	struct rec_ctx c = {.line = line, .path = path, .wrapper_ms = -1};
	const cJSON *msg, *ts, *stream;
	cJSON *inner;

	snprintf(path, sizeof path, "$.events[%zu]", idx);
	if (!cJSON_IsObject(rec)) {
		bad(r, line, "%s: expected a JSON object, found %s", path, type_name(rec));
		return;
	}
	msg = cJSON_GetObjectItemCaseSensitive(rec, "message");
	ts = cJSON_GetObjectItemCaseSensitive(rec, "timestamp");
	stream = cJSON_GetObjectItemCaseSensitive(rec, "logStreamName");
	if (!cJSON_IsString(msg)) {
		bad(r, line, "%s.message: %s", path, msg ? "expected a string" : "missing");
		return;
	}
	if (ts && cJSON_IsNumber(ts) && epoch_to_ms(ts->valuedouble, &c.wrapper_ms) < 0)
		c.wrapper_ms = -1;
	c.stream = cJSON_IsString(stream) ? stream->valuestring : NULL;
	snprintf(path, sizeof path, "$.events[%zu].message", idx);
	inner = cJSON_ParseWithOpts(msg->valuestring, NULL, 1);
	if (!inner) {
		bad(r, line, "%s: not a JSON tunnel log event (text-format logs are not "
			     "supported)",
		    path);
		return;
	}
	handle_event(r, &c, inner);
	cJSON_Delete(inner);
}

static void handle_events_array(struct reader *r, const cJSON *events, unsigned long line)
{
	size_t i = 0;
	const cJSON *e;

	r->st->format = VPNLOG_FMT_CLI;
	cJSON_ArrayForEach(e, events) {
		if (r->stop)
			return;
		handle_cli_record(r, e, i++, line);
	}
}

/* ---- line mode -------------------------------------------------------------------- */

/* Reads one line into r->buf (without its newline). Returns 1 with *nl set when a newline
 * ended it and *too_long when it ran past VPNLOG_MAX_LINE (the rest is skipped); 0 at end
 * of file; -1 on a read error. */
static int read_line(struct reader *r, bool *nl, bool *too_long)
{
	int c;
	size_t skipped = 0;

	r->len = 0;
	*nl = false;
	*too_long = false;
	while ((c = getc_unlocked(r->fp)) != EOF) {
		if (c == '\n') {
			*nl = true;
			break;
		}
		if (r->len >= VPNLOG_MAX_LINE) {
			/* Skip the rest of one long line, but not forever: a stream with no
			 * newline at all (/dev/zero, a binary) is not a log. */
			if (++skipped > VPNLOG_MAX_SKIP)
				return -3;
			*too_long = true;
			continue;
		}
		if (r->len + 1 >= r->cap) {
			size_t ncap = r->cap ? r->cap * 2 : 4096;
			char *nb;

			if (ncap > VPNLOG_MAX_LINE + 1)
				ncap = VPNLOG_MAX_LINE + 1;
			if (!(nb = realloc(r->buf, ncap)))
				return -2;
			r->buf = nb;
			r->cap = ncap;
		}
		r->buf[r->len++] = (char)c;
	}
	if (ferror(r->fp))
		return -1;
	if (c == EOF && r->len == 0 && !*too_long)
		return 0;
	if (r->buf)
		r->buf[r->len] = '\0';
	return 1;
}

/* A line that parsed as JSON: an event, or a whole compact CLI document. */
static void handle_line_value(struct reader *r, cJSON *v)
{
	const cJSON *events = cJSON_GetObjectItemCaseSensitive(v, "events");
	struct rec_ctx c = {.line = r->line, .path = "$", .wrapper_ms = -1};

	if (cJSON_IsObject(v) && events && !cJSON_GetObjectItemCaseSensitive(v, "VpnLogDetail") &&
	    !cJSON_GetObjectItemCaseSensitive(v, "details")) {
		if (!cJSON_IsArray(events)) {
			bad(r, r->line, "$.events: expected an array, found %s", type_name(events));
			return;
		}
		handle_events_array(r, events, r->line);
		return;
	}
	if (r->st->format == VPNLOG_FMT_NONE && cJSON_IsObject(v))
		r->st->format = VPNLOG_FMT_LINES;
	handle_event(r, &c, v);
}

static void handle_line(struct reader *r, const char *s, size_t len, bool nl)
{
	const char *end = NULL;
	cJSON *v;

	if (!is_text(r, s, len, r->line, 0))
		return;
	v = cJSON_ParseWithLengthOpts(s, len, &end, 0);
	if (!v) {
		size_t col = end && end >= s ? (size_t)(end - s) + 1 : 1;

		if (json_unfinished(s, len))
			bad(r, r->line, nl ? "malformed JSON: the event ends early (line ends at "
					     "column %zu)"
					   : "truncated JSON event: the file ends inside it "
					     "(column %zu)",
			    len + 1);
		else
			bad(r, r->line, "malformed JSON at column %zu", col);
		return;
	}
	while (end && (size_t)(end - s) < len && is_ws((unsigned char)*end))
		end++;
	if (end && (size_t)(end - s) < len) {
		bad(r, r->line, "malformed JSON: data after the event at column %zu",
		    (size_t)(end - s) + 1);
		cJSON_Delete(v);
		return;
	}
	handle_line_value(r, v);
	cJSON_Delete(v);
}

/* ---- document mode (pretty-printed CLI output) ------------------------------------- */

static int dgetc(struct reader *r)
{
	int c;

	if (r->pushback != -2) {
		c = r->pushback;
		r->pushback = -2;
	} else if (r->replay_pos < r->replay_len) {
		c = (unsigned char)r->replay[r->replay_pos++];
	} else {
		c = getc_unlocked(r->fp);
		if (c == EOF && ferror(r->fp))
			r->read_error = true;
	}
	if (c == '\n')
		r->dline++;
	if (c != EOF)
		r->dlast = c;
	return c;
}

static void dungetc(struct reader *r, int c)
{
	if (c == '\n')
		r->dline--;
	r->pushback = c;
}

static int skip_ws(struct reader *r)
{
	int c;

	while ((c = dgetc(r)) != EOF && is_ws(c))
		;
	return c;
}

/* Appends c to the record buffer; false once it would pass VPNLOG_MAX_LINE. */
static bool rec_put(struct reader *r, int c)
{
	if (r->rec_len >= VPNLOG_MAX_LINE)
		return false;
	if (r->rec_len + 1 >= r->rec_cap) {
		size_t ncap = r->rec_cap ? r->rec_cap * 2 : 4096;
		char *nb;

		if (ncap > VPNLOG_MAX_LINE + 1)
			ncap = VPNLOG_MAX_LINE + 1;
		if (!(nb = realloc(r->rec, ncap))) {
			fatal(r, r->dline, DIAG_EXIT_SOFTWARE, "out of memory");
			return false;
		}
		r->rec = nb;
		r->rec_cap = ncap;
	}
	r->rec[r->rec_len++] = (char)c;
	return true;
}

enum scan { SCAN_OK, SCAN_EOF, SCAN_TOO_BIG, SCAN_BAD };

/* Reads one JSON value starting with c, keeping its text in r->rec when keep is set.
 * Strings and brackets are tracked, not validated (cJSON validates a kept value); the
 * character after a scalar is pushed back. */
static enum scan scan_value(struct reader *r, int c, bool keep)
{
	long depth = 0;
	bool in_str = false, esc = false, big = false;

	r->rec_len = 0;
	for (;; c = dgetc(r)) {
		if (c == EOF)
			return SCAN_EOF;
		if (!in_str && depth == 0 && r->rec_len > 0 && (is_ws(c) || c == ',' || c == ']' ||
							 c == '}')) {
			/* the end of a scalar */
			dungetc(r, c);
			break;
		}
		if (keep && !big && !rec_put(r, c)) {
			if (r->stop)
				return SCAN_BAD;
			big = true;
		}
		if (!keep)
			r->rec_len = 1; /* only "something was read" matters */
		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			if (!in_str && depth == 0)
				break;
			continue;
		}
		if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth < 0)
				return SCAN_BAD;
			if (depth == 0)
				break;
		}
	}
	return big ? SCAN_TOO_BIG : SCAN_OK;
}

/* Reads a string key of at most len-1 bytes (longer keys are cut: no key we look for is
 * long). The opening quote has been read. */
static bool scan_key(struct reader *r, char *key, size_t len)
{
	size_t n = 0;
	bool esc = false;
	int c;

	while ((c = dgetc(r)) != EOF) {
		if (!esc && c == '"') {
			key[n] = '\0';
			return true;
		}
		esc = !esc && c == '\\';
		if (n + 1 < len)
			key[n++] = (char)c;
	}
	return false;
}

/* Ends document mode: the structure is broken, so nothing after this place can be trusted
 * to line up. */
static void doc_broken(struct reader *r, int c, const char *expected)
{
	if (c == EOF)
		bad(r, r->dline, "truncated JSON: the file ends inside the document (%s)",
		    expected);
	else
		bad(r, r->dline, "malformed JSON: expected %s", expected);
}

static void doc_event_record(struct reader *r, size_t idx, unsigned long line)
{
	const char *end = NULL;
	cJSON *v;

	if (!is_text(r, r->rec, r->rec_len, line, 0))
		return;
	v = cJSON_ParseWithLengthOpts(r->rec, r->rec_len, &end, 0);
	if (!v || (size_t)(end - r->rec) != r->rec_len) {
		/* scan_value ends a value where its brackets balance, so nothing may follow */
		cJSON_Delete(v);
		bad(r, line, "$.events[%zu]: malformed JSON", idx);
		return;
	}
	handle_cli_record(r, v, idx, line);
	cJSON_Delete(v);
}

/* The "events" array, its '[' still to read. Returns false when the document broke. */
static bool doc_events(struct reader *r)
{
	int c = skip_ws(r);
	size_t idx = 0;

	if (c != '[') {
		doc_broken(r, c, "an array after \"events\":");
		return false;
	}
	r->st->format = VPNLOG_FMT_CLI;
	if ((c = skip_ws(r)) == ']')
		return true;
	for (;;) {
		unsigned long line = r->dline;
		enum scan s = scan_value(r, c, true);

		if (s == SCAN_EOF || s == SCAN_BAD) {
			if (!r->stop)
				doc_broken(r, s == SCAN_EOF ? EOF : c,
					   s == SCAN_EOF ? "the events array is not closed"
							 : "a JSON value");
			return false;
		}
		if (s == SCAN_TOO_BIG)
			bad(r, line, "$.events[%zu]: record longer than %u bytes", idx,
			    VPNLOG_MAX_LINE);
		else
			doc_event_record(r, idx, line);
		if (r->stop)
			return false;
		idx++;
		c = skip_ws(r);
		if (c == ']')
			return true;
		if (c != ',') {
			doc_broken(r, c, "',' or ']' in the events array");
			return false;
		}
		c = skip_ws(r);
	}
}

/* One top-level object of CLI output; its '{' has been read. */
static bool doc_object(struct reader *r)
{
	int c = skip_ws(r);
	char key[32];

	if (c == '}')
		return true;
	for (;;) {
		if (c != '"') {
			doc_broken(r, c, "a key");
			return false;
		}
		if (!scan_key(r, key, sizeof key)) {
			doc_broken(r, EOF, "the key is not closed");
			return false;
		}
		if ((c = skip_ws(r)) != ':') {
			doc_broken(r, c, "':' after a key");
			return false;
		}
		if (strcmp(key, "events") == 0) {
			if (!doc_events(r))
				return false;
		} else {
			enum scan s;

			c = skip_ws(r);
			s = scan_value(r, c, false);
			if (s != SCAN_OK) {
				doc_broken(r, s == SCAN_EOF ? EOF : c, "a JSON value");
				return false;
			}
		}
		c = skip_ws(r);
		if (c == '}')
			return true;
		if (c != ',') {
			doc_broken(r, c, "',' or '}'");
			return false;
		}
		c = skip_ws(r);
	}
}

/* The CLI's pretty-printed output: one or more top-level objects, each with "events". */
static void read_document(struct reader *r, const char *first, size_t len)
{
	int c;

	r->replay = first;
	r->replay_len = len;
	r->replay_pos = 0;
	r->pushback = -2;
	r->dline = r->line;
	while (!r->stop && (c = skip_ws(r)) != EOF) {
		if (c != '{') {
			doc_broken(r, c, "'{' (a JSON document)");
			break;
		}
		if (!doc_object(r))
			break;
	}
	/* dline is the line of the next character: one past the end after a final newline */
	r->line = r->dline - (r->dlast == '\n');
}

/* ---- the file --------------------------------------------------------------------- */

/* Blank: only white space. */
static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_ws((unsigned char)s[i]))
			return false;
	return true;
}

/* True when the first line opens the CLI's pretty-printed output: "{" alone, or "{" and
 * one of the keys filter-log-events and get-log-events answer with, left open. A broken
 * first event line is not mistaken for it, so it costs one line, not the file. */
static bool opens_document(const char *s, size_t len)
{
	static const char *const keys[] = {"\"events\"", "\"searchedLogStreams\"",
					   "\"nextToken\"", "\"nextForwardToken\"",
					   "\"nextBackwardToken\""};
	size_t i = 0;

	while (i < len && is_ws((unsigned char)s[i]))
		i++;
	if (i >= len || s[i] != '{' || !json_unfinished(s + i, len - i))
		return false;
	for (i++; i < len && is_ws((unsigned char)s[i]); i++)
		;
	if (i == len)
		return true;
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
		if (len - i >= strlen(keys[k]) && memcmp(s + i, keys[k], strlen(keys[k])) == 0)
			return true;
	return false;
}

static void read_lines(struct reader *r)
{
	bool nl, too_long, first = true;
	int rc;

	while (!r->stop && (rc = read_line(r, &nl, &too_long)) != 0) {
		char *s = r->buf;
		size_t len = r->len;

		if (rc == -1) {
			r->read_error = true;
			return;
		}
		if (rc == -2) {
			fatal(r, r->line + 1, DIAG_EXIT_SOFTWARE, "out of memory");
			return;
		}
		if (rc == -3) {
			fatal(r, r->line + 1, DIAG_EXIT_DATAERR,
			      "no newline in %u bytes: not a tunnel log",
			      VPNLOG_MAX_LINE + VPNLOG_MAX_SKIP);
			return;
		}
		if (r->line >= VPNLOG_MAX_LINES) {
			fatal(r, r->line + 1, DIAG_EXIT_DATAERR, "more than %u lines",
			      VPNLOG_MAX_LINES);
			return;
		}
		r->line++;
		r->st->lines = r->line;
		if (too_long) {
			bad(r, r->line, "line longer than %u bytes", VPNLOG_MAX_LINE);
			first = false;
			continue;
		}
		if (first && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3, len -= 3; /* a byte order mark */
		if (len && s[len - 1] == '\r')
			len--;
		if (blank(s, len))
			continue;
		if (first && nl && opens_document(s, len)) {
			/* replay the line with its newline, then stream the rest */
			s[len] = '\n';
			read_document(r, s, len + 1);
			r->st->lines = r->line;
			return;
		}
		first = false;
		handle_line(r, s, len, nl);
	}
}

int vpnlog_read_stats(FILE *fp, const char *source, vpnlog_event_fn cb, void *arg,
		      struct vpnlog_stats *st, struct diag_error *err)
{
	struct vpnlog_stats local;
	struct diag_error local_err = {0};
	struct reader r;

	memset(&r, 0, sizeof r);
	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	r.fp = fp;
	r.source = !source || strcmp(source, "-") == 0 ? "stdin" : source;
	r.cb = cb;
	r.arg = arg;
	r.st = st;
	r.err = err ? err : &local_err;
	r.pushback = -2;
	read_lines(&r);
	free(r.buf);
	free(r.rec);
	if (r.stop)
		return -1;
	if (r.read_error)
		return diag_fail(r.err, DIAG_EXIT_NOINPUT, r.source, "read error: %s",
				 strerror(errno ? errno : EIO));
	if (st->events > 0)
		return 0;
	if (st->bad)
		return diag_fail(r.err, st->first_bad.code, st->first_bad.where, "%s",
				 st->first_bad.what);
	if (st->ignored)
		return diag_fail(r.err, DIAG_EXIT_DATAERR, r.source,
				 "no tunnel activity events, only BGP log records (%" PRIu64 "); "
				 "vpn-doctor reads the tunnel activity log",
				 st->ignored);
	return diag_fail(r.err, DIAG_EXIT_DATAERR, r.source,
			 "empty file: no VPN tunnel log events");
}

int vpnlog_read(FILE *fp, const char *source, vpnlog_event_fn cb, void *arg,
		struct diag_error *err)
{
	return vpnlog_read_stats(fp, source, cb, arg, NULL, err);
}
