/* The Site-to-Site VPN tunnel log reader, the message classifier and the aws.tunnel_logs
 * findings. Every message of the catalogue (log-contents.md) is classified one by one; the
 * log written from the catalogue (testdata/vpnlogs/catalogue.log) and the same events as
 * `aws logs filter-log-events` output must read alike, and the rendered reports are pinned
 * by golden files in testdata/golden/vpnlogs (UPDATE_GOLDEN=1 rewrites them; run from the
 * project root). Bad input is checked down to the exact error text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/aws_logs.h"
#include "libdiag/aws/vpnlog.h"
#include "libdiag/report.h"
#include "testutil.h"

#define TESTDATA "testdata/vpnlogs/"
#define GOLDEN_DIR "testdata/golden/vpnlogs/"

/* ---- helpers ----------------------------------------------------------------------- */

/* One event, copied out of the callback (its pointers die with it). */
struct rec {
	char ts[64], vpn[64], ip[64], p1[32], p2[32], detail[256], stream[96];
	int64_t ms;
	enum vpnlog_state s1, s2;
	int natt, dpd;
	unsigned long line;
};

struct recs {
	struct rec v[64];
	size_t n;
	int stop_at; /* stop the read at this event (1-based); 0: never */
};

#define CP(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "(null)")

static int collect(void *arg, const struct vpnlog_event *ev, struct diag_error *err)
{
	struct recs *rs = arg;
	struct rec *r;

	assert_non_null(ev->timestamp);
	assert_true(ev->line >= 1);
	if (rs->stop_at && (int)rs->n + 1 == rs->stop_at)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "test", "stopped by the callback");
	if (rs->n >= sizeof rs->v / sizeof *rs->v)
		return 0;
	r = &rs->v[rs->n++];
	CP(r->ts, ev->timestamp);
	CP(r->vpn, ev->vpn_connection_id);
	CP(r->ip, ev->outside_ip);
	CP(r->p1, ev->phase1_text);
	CP(r->p2, ev->phase2_text);
	CP(r->detail, ev->detail);
	CP(r->stream, ev->log_stream);
	r->ms = ev->epoch_ms;
	r->s1 = ev->phase1;
	r->s2 = ev->phase2;
	r->natt = ev->nat_t_detected;
	r->dpd = ev->dpd_enabled;
	r->line = ev->line;
	return 0;
}

/* Reads text (len bytes, NULs allowed) as the file `name`. */
static int read_mem(const char *text, size_t len, const char *name, struct recs *rs,
		    struct vpnlog_stats *st, struct diag_error *err)
{
	/* glibc's fmemopen refuses a zero-sized buffer, so an empty file is a 1-byte buffer
	 * read to its end first */
	static char empty[1];
	FILE *fp = len ? fmemopen((void *)text, len, "r") : fmemopen(empty, 1, "r");
	int rc;

	assert_non_null(fp);
	if (!len)
		(void)fgetc(fp);
	memset(err, 0, sizeof *err);
	rc = vpnlog_read_stats(fp, name, collect, rs, st, err);
	fclose(fp);
	return rc;
}

static int read_str(const char *text, const char *name, struct recs *rs,
		    struct vpnlog_stats *st, struct diag_error *err)
{
	return read_mem(text, strlen(text), name, rs, st, err);
}

static const char *err_text(const struct diag_error *err)
{
	static char buf[512];

	return diag_error_text(err, buf, sizeof buf);
}

/* Reads a whole file that must fail, and checks the one-line error and exit status. */
static void expect_error(const char *text, size_t len, const char *want, int code)
{
	struct recs *rs = calloc(1, sizeof *rs);
	struct vpnlog_stats st;
	struct diag_error err;

	assert_non_null(rs);
	assert_int_equal(read_mem(text, len, "bad.log", rs, &st, &err), -1);
	assert_string_equal(err_text(&err), want);
	assert_int_equal(err.code, code);
	assert_int_equal(st.events, 0);
	free(rs);
}

/* A string literal's bytes, NULs included. */
#define EXPECT_ERROR(lit, want, code) expect_error((lit), sizeof(lit) - 1, (want), (code))

/* ---- the classifier --------------------------------------------------------------- */

static void expect_category(const char *msg, enum vpnlog_category want)
{
	const struct vpnlog_msg *row = vpnlog_classify(msg);

	if (!row)
		fail_msg("\"%s\": unclassified, expected %s", msg, vpnlog_category_name(want));
	if (row->category != want)
		fail_msg("\"%s\": %s, expected %s", msg, vpnlog_category_name(row->category),
			 vpnlog_category_name(want));
}

/* Every message of log-contents.md, as AWS would write it (placeholders filled). */
static void test_catalogue_messages(void **state)
{
	(void)state;
	/* IKEv1 Error Messages */
	expect_category("Peer is not responsive - Declaring peer dead", VPNLOG_CAT_PEER_DEAD);
	expect_category("AWS tunnel payload decryption was unsuccessful due to invalid "
			"Pre-shared Key",
			VPNLOG_CAT_PSK_MISMATCH);
	expect_category("No Proposal Match Found by AWS", VPNLOG_CAT_NO_PROPOSAL_PHASE1);
	expect_category("No Proposal Match Found. Notifying with \"No proposal chosen\"",
			VPNLOG_CAT_NO_PROPOSAL_PHASE2);
	expect_category("AWS tunnel received DELETE for Phase 2 SA with SPI: 0xc3a1f29e",
			VPNLOG_CAT_DELETE_RECEIVED);
	expect_category("AWS tunnel received DELETE for IKE_SA from CGW",
			VPNLOG_CAT_DELETE_RECEIVED);
	/* IKEv2 Error Messages */
	expect_category("AWS tunnel DPD timed out after 3 retransmits", VPNLOG_CAT_DPD_TIMEOUT);
	expect_category("AWS tunnel detected a (CHILD_REKEY) collision as CHILD_DELETE",
			VPNLOG_CAT_CHILD_COLLISION);
	expect_category("AWS tunnel (CHILD_SA) redundant SA is being deleted due to detected "
			"collision",
			VPNLOG_CAT_CHILD_COLLISION);
	expect_category("AWS tunnel Phase 2 was unable to establish while keeping Phase 1",
			VPNLOG_CAT_PHASE2_FAILED_KEEP_PHASE1);
	expect_category("AWS: Traffic Selector: TS_UNACCEPTABLE: received from responder",
			VPNLOG_CAT_TS_UNACCEPTABLE);
	expect_category("AWS tunnel is sending AUTHENTICATION_FAILED as the response",
			VPNLOG_CAT_AUTH_FAILED);
	expect_category("AWS tunnel detected a pre-shared key mismatch with cgw: 203.0.113.5",
			VPNLOG_CAT_PSK_MISMATCH);
	expect_category("AWS tunnel Timeout: deleting un-established Phase 1 IKE_SA with cgw: "
			"203.0.113.5",
			VPNLOG_CAT_PHASE1_TIMEOUT);
	/* IKEv2 Negotiation Messages */
	expect_category("AWS tunnel processed request (id=2) for CREATE_CHILD_SA",
			VPNLOG_CAT_CHILD_SA_NEGOTIATION);
	expect_category("AWS tunnel is sending response (id=2) for CREATE_CHILD_SA",
			VPNLOG_CAT_CHILD_SA_NEGOTIATION);
	expect_category("AWS tunnel is sending request (id=17) for CREATE_CHILD_SA",
			VPNLOG_CAT_CHILD_SA_NEGOTIATION);
	expect_category("AWS tunnel processed response (id=17) for CREATE_CHILD_SA",
			VPNLOG_CAT_CHILD_SA_NEGOTIATION);
}

/* Each row's own text (placeholders as written, "xxxx") classifies to that row, and the
 * table is what the header promises: verbatim rows, a fix for every problem. */
static void test_catalogue_rows(void **state)
{
	(void)state;
	assert_int_equal(vpnlog_catalogue_len, 18);
	for (size_t i = 0; i < vpnlog_catalogue_len; i++) {
		const struct vpnlog_msg *m = &vpnlog_catalogue[i];

		assert_ptr_equal(vpnlog_classify(m->pattern), m);
		assert_non_null(m->meaning);
		assert_non_null(m->source);
		assert_true(strncmp(m->source, "log-contents.md: ", 17) == 0);
		assert_true(m->ike & (VPNLOG_IKEV1 | VPNLOG_IKEV2));
		assert_int_equal(m->severity, vpnlog_category_severity(m->category));
		if (m->severity != VPNLOG_SEV_INFO)
			assert_non_null(m->fix);
	}
}

static void test_classify_variants(void **state)
{
	(void)state;
	/* case, runs of white space, text around the message */
	expect_category("aws tunnel dpd TIMED OUT after 12 retransmits", VPNLOG_CAT_DPD_TIMEOUT);
	expect_category("AWS  tunnel\tDPD timed out after 3\n retransmits", VPNLOG_CAT_DPD_TIMEOUT);
	expect_category("[tunnel 1] No Proposal Match Found by AWS (3DES)",
			VPNLOG_CAT_NO_PROPOSAL_PHASE1);
	expect_category("AWS tunnel detected a pre-shared key mismatch with cgw: 2001:db8::5",
			VPNLOG_CAT_PSK_MISMATCH);
	/* the join of a two-part message, as either edition of the user guide shows it */
	expect_category("Peer is not responsive \xe2\x80\xa2 Declaring peer dead",
			VPNLOG_CAT_PEER_DEAD);
	expect_category("Peer is not responsive: Declaring peer dead", VPNLOG_CAT_PEER_DEAD);
	expect_category("Peer is not responsive\nDeclaring peer dead", VPNLOG_CAT_PEER_DEAD);
	assert_null(vpnlog_classify("Peer is not responsiveDeclaring peer dead"));
	assert_null(vpnlog_classify("Peer is not responsive - - Declaring peer dead"));
	/* a placeholder is one word: missing, or spanning spaces, it does not match */
	assert_null(vpnlog_classify("AWS tunnel DPD timed out after retransmits"));
	assert_null(vpnlog_classify("AWS tunnel DPD timed out after three or four retransmits"));
	assert_null(vpnlog_classify("AWS tunnel detected a pre-shared key mismatch with cgw:"));
	/* ... of at most 64 characters */
	{
		char msg[200];

		snprintf(msg, sizeof msg, "AWS tunnel processed request (id=%065d) for "
					  "CREATE_CHILD_SA", 7);
		assert_null(vpnlog_classify(msg));
		snprintf(msg, sizeof msg, "AWS tunnel processed request (id=%064d) for "
					  "CREATE_CHILD_SA", 7);
		expect_category(msg, VPNLOG_CAT_CHILD_SA_NEGOTIATION);
	}
	/* unknown, empty, absent */
	assert_null(vpnlog_classify("AWS tunnel received a keepalive from cgw: 203.0.113.77"));
	assert_null(vpnlog_classify("No Proposal Match"));
	assert_null(vpnlog_classify(""));
	assert_null(vpnlog_classify(NULL));
	assert_false(vpnlog_match("", "anything"));
	assert_false(vpnlog_match("abc", NULL));
	assert_true(vpnlog_match("SPI: xxxx", "SPI: 1"));
	/* "xxx" inside a word is text, not a placeholder */
	assert_false(vpnlog_match("fooxxx", "foo123"));
	assert_true(vpnlog_match("fooxxx", "FOOXXX"));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(vpnlog_category_name(VPNLOG_CAT_PSK_MISMATCH), "psk_mismatch");
	assert_string_equal(vpnlog_category_name(VPNLOG_CAT_UNCLASSIFIED), "unclassified");
	assert_string_equal(vpnlog_category_name(VPNLOG_CAT_PHASE1_UP), "phase1_up");
	assert_string_equal(vpnlog_category_name(VPNLOG_CAT_COUNT), "?");
	for (int c = 0; c < VPNLOG_CAT_COUNT; c++)
		assert_string_not_equal(vpnlog_category_name(c), "?");
	assert_int_equal(vpnlog_category_severity(VPNLOG_CAT_TS_UNACCEPTABLE), VPNLOG_SEV_FAIL);
	assert_int_equal(vpnlog_category_severity(VPNLOG_CAT_CHILD_COLLISION), VPNLOG_SEV_WARN);
	assert_int_equal(vpnlog_category_severity(VPNLOG_CAT_DELETE_RECEIVED), VPNLOG_SEV_INFO);
	assert_string_equal(vpnlog_state_name(VPNLOG_STATE_ESTABLISHED), "Established");
	assert_string_equal(vpnlog_state_name(VPNLOG_STATE_ABSENT), "unknown");
	assert_string_equal(vpnlog_ike_name(VPNLOG_IKEV1 | VPNLOG_IKEV2), "IKEv1/IKEv2");
	assert_string_equal(vpnlog_ike_name(0), "unknown");
}

/* ---- scrubbing -------------------------------------------------------------------- */

static void expect_scrub(const char *in, const char *want)
{
	char out[256];

	assert_string_equal(vpnlog_scrub(in, out, sizeof out), want);
}

static void test_scrub(void **state)
{
	char small[16];

	(void)state;
	expect_scrub("notify with psk=Sup3rSecret_Value in it",
		     "notify with psk=<redacted> in it");
	expect_scrub("PreSharedKey: \"abc.def_1\", next", "PreSharedKey: \"<redacted>\", next");
	expect_scrub("Pre-shared Key: abcdefgh", "Pre-shared Key: <redacted>");
	expect_scrub("key=v1 secret = v2;token:v3", "key=<redacted> secret = <redacted>;token:"
						       "<redacted>");
	/* AWS's own messages are left alone */
	expect_scrub("AWS tunnel detected a pre-shared key mismatch with cgw: 203.0.113.5",
		     "AWS tunnel detected a pre-shared key mismatch with cgw: 203.0.113.5");
	expect_scrub("AWS tunnel payload decryption was unsuccessful due to invalid Pre-shared "
		     "Key",
		     "AWS tunnel payload decryption was unsuccessful due to invalid Pre-shared "
		     "Key");
	expect_scrub("SPI: 0xc3a1f29e (id=4)", "SPI: 0xc3a1f29e (id=4)");
	expect_scrub("psk=", "psk=");
	/* cut to size, never inside a UTF-8 character */
	assert_string_equal(vpnlog_scrub("0123456789abcdefghij", small, sizeof small),
			    "0123456789ab...");
	assert_string_equal(vpnlog_scrub("0123456789ab", small, sizeof small), "0123456789ab");
	assert_string_equal(vpnlog_scrub("0123456789\xc3\xa9\xc3\xa9", small, sizeof small),
			    "0123456789\xc3\xa9...");
	assert_string_equal(vpnlog_scrub("01234567890\xc3\xa9", small, sizeof small),
			    "01234567890...");
	assert_string_equal(vpnlog_scrub("0123456789\xe2\x82\xac", small, sizeof small),
			    "0123456789...");
	assert_string_equal(vpnlog_scrub(NULL, small, sizeof small), "");
}

/* ---- time ------------------------------------------------------------------------- */

static void expect_time(const char *s, int64_t want)
{
	int64_t ms = -7;

	if (vpnlog_parse_time(s, &ms) != 0)
		fail_msg("\"%s\": not parsed", s);
	if (ms != want)
		fail_msg("\"%s\": %lld, expected %lld", s, (long long)ms, (long long)want);
}

static void test_time(void **state)
{
	char buf[40];
	int64_t ms;

	(void)state;
	expect_time("2024-05-14 10:00:01.204Z", 1715680801204LL);
	expect_time("2024-05-14T10:00:01.204Z", 1715680801204LL);
	expect_time("2024-05-14 10:00:01", 1715680801000LL);
	expect_time("2024-05-14 10:00", 1715680800000LL);
	expect_time("2024-05-14 10:00:01.2049 UTC", 1715680801204LL);
	expect_time("2024-05-14T12:00:01+02:00", 1715680801000LL);
	expect_time("2024-05-14T05:30:01-0430", 1715680801000LL);
	expect_time("2024-02-29 00:00:00", 1709164800000LL);
	expect_time("1715680801", 1715680801000LL);
	expect_time("1715680801204", 1715680801204LL);
	expect_time("1970-01-01 00:00:00Z", 0);
	assert_int_equal(vpnlog_parse_time("2023-02-29 00:00:00", &ms), -1);
	assert_int_equal(vpnlog_parse_time("2024-13-01 00:00:00", &ms), -1);
	assert_int_equal(vpnlog_parse_time("2024-05-14 24:00:00", &ms), -1);
	assert_int_equal(vpnlog_parse_time("2024-05-14 10:00:01 PST", &ms), -1);
	assert_int_equal(vpnlog_parse_time("2024-05-14", &ms), -1);
	assert_int_equal(vpnlog_parse_time("May 14 10:00:01", &ms), -1);
	assert_int_equal(vpnlog_parse_time("1969-12-31 23:59:59", &ms), -1);
	assert_int_equal(vpnlog_parse_time("", &ms), -1);
	assert_int_equal(vpnlog_parse_time(NULL, &ms), -1);
	assert_string_equal(vpnlog_format_time(1715680801204LL, buf, sizeof buf),
			    "2024-05-14T10:00:01.204Z");
	assert_string_equal(vpnlog_format_time(1715680801000LL, buf, sizeof buf),
			    "2024-05-14T10:00:01Z");
	assert_string_equal(vpnlog_format_time(-1, buf, sizeof buf), "");
}

/* ---- reading ---------------------------------------------------------------------- */

static void read_path(const char *path, struct recs *rs, struct vpnlog_stats *st)
{
	FILE *fp = fopen(path, "r");
	struct diag_error err = {0};

	if (!fp)
		fail_msg("%s: cannot open (run the tests from the project root)", path);
	if (vpnlog_read_stats(fp, path, collect, rs, st, &err) != 0)
		fail_msg("%s: %s", path, err_text(&err));
	fclose(fp);
}

static void test_read_catalogue(void **state)
{
	struct recs *rs = calloc(1, sizeof *rs);
	struct vpnlog_stats st;
	bool seen[32] = {false};

	(void)state;
	assert_non_null(rs);
	read_path(TESTDATA "catalogue.log", rs, &st);
	assert_int_equal(st.format, VPNLOG_FMT_LINES);
	assert_int_equal(st.events, 20);
	assert_int_equal(st.bad, 0);
	assert_int_equal(st.ignored, 0);
	assert_int_equal(st.first_bad.code, 0);
	assert_int_equal(rs->n, 20);
	assert_string_equal(rs->v[0].ts, "2024-05-14 10:00:01.204Z");
	assert_int_equal(rs->v[0].ms, 1715680801204LL);
	assert_string_equal(rs->v[0].vpn, "vpn-0a1b2c3d4e5f60718");
	assert_string_equal(rs->v[0].ip, "198.51.100.10");
	assert_string_equal(rs->v[0].p1, "Negotiating");
	assert_int_equal(rs->v[0].s1, VPNLOG_STATE_NEGOTIATING);
	assert_int_equal(rs->v[0].s2, VPNLOG_STATE_DOWN);
	assert_int_equal(rs->v[0].natt, 1);
	assert_int_equal(rs->v[0].dpd, 1);
	assert_string_equal(rs->v[0].detail, "No Proposal Match Found by AWS");
	assert_string_equal(rs->v[0].stream, "(null)");
	assert_int_equal(rs->v[0].line, 1);
	assert_int_equal(rs->v[19].line, 20);
	/* written from the catalogue: every row is in it, in time order */
	for (size_t i = 0; i < rs->n; i++) {
		const struct vpnlog_msg *m = vpnlog_classify(rs->v[i].detail);

		assert_non_null(m);
		seen[m - vpnlog_catalogue] = true;
		if (i)
			assert_true(rs->v[i].ms > rs->v[i - 1].ms);
	}
	for (size_t i = 0; i < vpnlog_catalogue_len; i++)
		if (!seen[i])
			fail_msg("catalogue row \"%s\" is not in catalogue.log",
				 vpnlog_catalogue[i].pattern);
	free(rs);
}

/* The same events wrapped by the CLI read the same, with the stream names added. */
static void test_read_filter_log_events(void **state)
{
	struct recs *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	struct vpnlog_stats st;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	read_path(TESTDATA "catalogue.log", a, &st);
	read_path(TESTDATA "filter-log-events.json", b, &st);
	assert_int_equal(st.format, VPNLOG_FMT_CLI);
	assert_int_equal(st.events, 20);
	assert_int_equal(st.bad, 0);
	assert_int_equal(b->n, a->n);
	for (size_t i = 0; i < a->n; i++) {
		char stream[96];

		assert_string_equal(b->v[i].ts, a->v[i].ts);
		assert_int_equal(b->v[i].ms, a->v[i].ms);
		assert_string_equal(b->v[i].vpn, a->v[i].vpn);
		assert_string_equal(b->v[i].ip, a->v[i].ip);
		assert_string_equal(b->v[i].p1, a->v[i].p1);
		assert_string_equal(b->v[i].p2, a->v[i].p2);
		assert_int_equal(b->v[i].natt, a->v[i].natt);
		assert_int_equal(b->v[i].dpd, a->v[i].dpd);
		assert_string_equal(b->v[i].detail, a->v[i].detail);
		snprintf(stream, sizeof stream, "%s-%s", a->v[i].vpn, a->v[i].ip);
		assert_string_equal(b->v[i].stream, stream);
		/* each record starts on its own line of the pretty-printed document */
		assert_int_equal(b->v[i].line, 3 + 7 * i);
	}
	free(a);
	free(b);
}

/* The current user guide's field names, get-log-events output, and the tunnel taken from
 * the log stream's name when the event does not say. */
static void test_read_snake_case_and_get_log_events(void **state)
{
	static const char doc[] =
		"{\n"
		"    \"events\": [\n"
		"        {\n"
		"            \"timestamp\": 1715684500000,\n"
		"            \"message\": \"{\\\"event_timestamp\\\": 1715684500, \\\"details\\\": "
		"\\\"AWS tunnel DPD timed out after 5 retransmits\\\", \\\"dpd_enabled\\\": true, "
		"\\\"nat_t_detected\\\": false, \\\"ike_phase1_state\\\": \\\"down\\\", "
		"\\\"ike_phase2_state\\\": \\\"DOWN\\\"}\",\n"
		"            \"ingestionTime\": 1715684500811\n"
		"        },\n"
		"        {\n"
		"            \"logStreamName\": \"vpn-0f9e8d7c6b5a43210-2001:db8::10\",\n"
		"            \"timestamp\": 1715684560000,\n"
		"            \"message\": \"{\\\"details\\\": \\\"x\\\", \\\"ike_phase1_state\\\": "
		"\\\"Pending\\\", \\\"nat_t_detected\\\": \\\"maybe\\\"}\"\n"
		"        }\n"
		"    ],\n"
		"    \"nextForwardToken\": \"f/38262\",\n"
		"    \"nextBackwardToken\": \"b/38262\"\n"
		"}\n";
	struct recs *rs = calloc(1, sizeof *rs);
	struct vpnlog_stats st;
	struct diag_error err;

	(void)state;
	assert_non_null(rs);
	assert_int_equal(read_str(doc, "get.json", rs, &st, &err), 0);
	assert_int_equal(st.format, VPNLOG_FMT_CLI);
	assert_int_equal(st.events, 2);
	assert_int_equal(st.bad, 0);
	assert_int_equal(st.lines, 16);
	/* epoch seconds, lower-case states, JSON booleans, no tunnel named */
	assert_int_equal(rs->v[0].ms, 1715684500000LL);
	assert_string_equal(rs->v[0].ts, "2024-05-14T11:01:40Z");
	assert_int_equal(rs->v[0].s1, VPNLOG_STATE_DOWN);
	assert_int_equal(rs->v[0].s2, VPNLOG_STATE_DOWN);
	assert_int_equal(rs->v[0].dpd, 1);
	assert_int_equal(rs->v[0].natt, 0);
	assert_string_equal(rs->v[0].vpn, "(null)");
	assert_string_equal(rs->v[0].ip, "(null)");
	assert_int_equal(rs->v[0].line, 3);
	/* the record's time when the event has none; the tunnel from the stream name; an
	 * undocumented state and a boolean that is neither */
	assert_int_equal(rs->v[1].ms, 1715684560000LL);
	assert_string_equal(rs->v[1].vpn, "vpn-0f9e8d7c6b5a43210");
	assert_string_equal(rs->v[1].ip, "2001:db8::10");
	assert_int_equal(rs->v[1].s1, VPNLOG_STATE_OTHER);
	assert_string_equal(rs->v[1].p1, "Pending");
	assert_int_equal(rs->v[1].s2, VPNLOG_STATE_ABSENT);
	assert_int_equal(rs->v[1].natt, VPNLOG_UNKNOWN);
	assert_int_equal(rs->v[1].line, 8);
	free(rs);
}

/* One compact CLI document on one line, CRLF endings, a byte order mark, blank lines,
 * resource_id naming the tunnel. */
static void test_read_odd_shapes(void **state)
{
	static const char text[] =
		"\xEF\xBB\xBF\r\n"
		"{\"events\":[{\"logStreamName\":\"vpn-0a1b2c3d4e5f60718-198.51.100.10\","
		"\"timestamp\":1715680801204,\"message\":\"{\\\"VpnLogDetail\\\":\\\"x\\\"}\"}]}\r\n"
		"\r\n"
		"{\"resource_id\": \"vpn-0a1b2c3d4e5f60718_198.51.100.20\", \"details\": \"y\", "
		"\"VpnLogCreationTimestamp\": \"not a time\"}\r\n";
	struct recs *rs = calloc(1, sizeof *rs);
	struct vpnlog_stats st;
	struct diag_error err;

	(void)state;
	assert_non_null(rs);
	assert_int_equal(read_str(text, "odd.log", rs, &st, &err), 0);
	assert_int_equal(st.events, 2);
	assert_int_equal(st.bad, 0);
	assert_string_equal(rs->v[0].ip, "198.51.100.10");
	assert_string_equal(rs->v[0].ts, "2024-05-14T10:00:01.204Z");
	assert_int_equal(rs->v[0].line, 2);
	assert_string_equal(rs->v[1].vpn, "vpn-0a1b2c3d4e5f60718");
	assert_string_equal(rs->v[1].ip, "198.51.100.20");
	assert_string_equal(rs->v[1].ts, "not a time");
	assert_int_equal(rs->v[1].ms, -1);
	assert_int_equal(rs->v[1].line, 4);
	free(rs);
}

/* A bad line is counted and skipped; the rest of the file is read. */
static void test_bad_lines_are_skipped(void **state)
{
	static const char text[] =
		"{\"VpnLogDetail\": \"No Proposal Match Found by AWS\"}\n"
		"{\"VpnLogDetail\": \"x\",, }\n"
		"\x01\x02 junk\n"
		"{\"type\": \"BGPStatus\", \"status\": \"UP\"}\n"
		"{\"VpnLogDetail\": \"AWS tunnel is sending AUTHENTICATION_FAILED as the response\"}\n"
		"{\"VpnLogDetail\": \"cut";
	struct recs *rs = calloc(1, sizeof *rs);
	struct vpnlog_stats st;
	struct diag_error err;

	(void)state;
	assert_non_null(rs);
	assert_int_equal(read_str(text, "some.log", rs, &st, &err), 0);
	assert_int_equal(err.code, 0);
	assert_int_equal(st.events, 2);
	assert_int_equal(st.bad, 3);
	assert_int_equal(st.ignored, 1);
	assert_int_equal(st.lines, 6);
	assert_int_equal(st.first_bad.code, DIAG_EXIT_DATAERR);
	assert_string_equal(err_text(&st.first_bad), "some.log:2: malformed JSON at column 23");
	assert_int_equal(rs->v[1].line, 5);
	free(rs);
}

static void test_bad_input_errors(void **state)
{
	char *big;
	size_t n = VPNLOG_MAX_LINE + 10;

	(void)state;
	EXPECT_ERROR("", "bad.log: empty file: no VPN tunnel log events", 65);
	EXPECT_ERROR(" \n\t\r\n\n", "bad.log: empty file: no VPN tunnel log events", 65);
	EXPECT_ERROR("{\"VpnLogDetail\": \"x\",, }\n", "bad.log:1: malformed JSON at column 23",
		     65);
	/* truncated: the last line stops inside an event */
	EXPECT_ERROR("\n\n{\"VpnLogDetail\": \"AWS tunnel DPD timed ",
		     "bad.log:3: truncated JSON event: the file ends inside it (column 40)", 65);
	EXPECT_ERROR("{\"VpnLogDetail\": [\"x\"\n",
		     "bad.log:1: malformed JSON: the event ends early (line ends at column 22)",
		     65);
	/* binary junk */
	EXPECT_ERROR("\x00\x01\x02\x03\xff\xfe",
		     "bad.log:1: binary data (a NUL byte at column 1), not a JSON log event", 65);
	EXPECT_ERROR("\x7f" "ELF\x02\x01\x01\n",
		     "bad.log:1: malformed JSON at column 1", 65);
	EXPECT_ERROR("{\"VpnLogDetail\": \"\xc3\x28\"}\n",
		     "bad.log:1: not UTF-8 text (byte 0xC3 at column 19)", 65);
	EXPECT_ERROR("{\"VpnLogDetail\": \"\xed\xa0\x80\"}\n",
		     "bad.log:1: not UTF-8 text (byte 0xED at column 19)", 65);
	/* JSON, but not an event */
	EXPECT_ERROR("[1, 2]\n", "bad.log:1: $: expected a JSON object, found an array", 65);
	EXPECT_ERROR("{\"foo\": 1}\n",
		     "bad.log:1: $: not a VPN tunnel log event (no VpnLogDetail, "
		     "TunnelIKEPhase1State or TunnelIKEPhase2State)",
		     65);
	EXPECT_ERROR("{\"VpnLogDetail\": 5}\n",
		     "bad.log:1: $.VpnLogDetail: expected a string, found a number", 65);
	EXPECT_ERROR("{\"details\": \"x\", \"dpd_enabled\": {}}\n",
		     "bad.log:1: $.dpd_enabled: expected True or False, found an object", 65);
	EXPECT_ERROR("{\"details\": \"x\", \"event_timestamp\": -5}\n",
		     "bad.log:1: $.event_timestamp: not a time (epoch seconds or milliseconds)",
		     65);
	EXPECT_ERROR("{\"details\": \"x\", \"timestamp\": [1]}\n",
		     "bad.log:1: $.timestamp: expected a time, found an array", 65);
	EXPECT_ERROR("{\"details\":\"x\"} trailing\n",
		     "bad.log:1: malformed JSON: data after the event at column 17", 65);
	EXPECT_ERROR("{\"type\": \"RouteStatus\", \"status\": \"UPDATED\"}\n",
		     "bad.log: no tunnel activity events, only BGP log records (1); vpn-doctor "
		     "reads the tunnel activity log",
		     65);
	/* the CLI's wrapper around text-format logs, or around nothing useful */
	EXPECT_ERROR("{\"events\": [{\"timestamp\": 1, \"message\": \"2024-05-14 10:00:00 AWS "
		     "tunnel DPD timed out after 3 retransmits\"}]}\n",
		     "bad.log:1: $.events[0].message: not a JSON tunnel log event (text-format "
		     "logs are not supported)",
		     65);
	EXPECT_ERROR("{\"events\": [{\"timestamp\": 1}]}\n",
		     "bad.log:1: $.events[0].message: missing", 65);
	EXPECT_ERROR("{\"events\": 3}\n",
		     "bad.log:1: $.events: expected an array, found a number", 65);
	EXPECT_ERROR("{\n  \"events\": [\n    {\"message\": \"{\\\"details\\\": 1}\"}\n  ]\n}\n",
		     "bad.log:3: $.events[0].message.details: expected a string, found a number",
		     65);
	EXPECT_ERROR("{\n  \"events\": [\n    7 x\n",
		     "bad.log:3: $.events[0]: expected a JSON object, found a number", 65);
	EXPECT_ERROR("{\n  \"events\": [\n    {\"message\": \"{}\"}",
		     "bad.log:3: $.events[0].message: not a VPN tunnel log event (no "
		     "VpnLogDetail, TunnelIKEPhase1State or TunnelIKEPhase2State)",
		     65);
	EXPECT_ERROR("{\n  \"searchedLogStreams\": [\n",
		     "bad.log:3: truncated JSON: the file ends inside the document (a JSON "
		     "value)",
		     65);
	EXPECT_ERROR("{\n  \"events\": [\n  ]\n} {\n",
		     "bad.log:5: truncated JSON: the file ends inside the document (a key)", 65);
	/* a line past the limit */
	big = malloc(n);
	assert_non_null(big);
	memset(big, 'a', n);
	big[n - 1] = '\n';
	expect_error(big, n, "bad.log:1: line longer than 1048576 bytes", 65);
	free(big);
}

/* A truncated CLI export keeps the events before the cut. */
static void test_truncated_cli_document(void **state)
{
	size_t len = 0;
	char *doc = read_file(TESTDATA "filter-log-events.json", &len);
	struct recs *rs = calloc(1, sizeof *rs);
	struct vpnlog_stats st;
	struct diag_error err;

	(void)state;
	assert_non_null(doc);
	assert_non_null(rs);
	assert_true(len > 2000);
	assert_int_equal(read_mem(doc, 2000, "cut.json", rs, &st, &err), 0);
	assert_int_equal(st.events, 2);
	assert_int_equal(st.bad, 1);
	assert_string_equal(err_text(&st.first_bad),
			    "cut.json:22: truncated JSON: the file ends inside the document (the "
			    "events array is not closed)");
	/* a broken structure ends the read where it breaks */
	memset(rs, 0, sizeof *rs);
	assert_int_equal(read_str("{\n  \"events\": [\n    {\"message\": \"{\\\"details\\\": "
				  "\\\"x\\\"}\"} x\n    {\"message\": \"{}\"}\n  ]\n}\n",
				  "broken.json", rs, &st, &err),
			 0);
	assert_int_equal(st.events, 1);
	assert_int_equal(st.bad, 1);
	assert_string_equal(err_text(&st.first_bad), "broken.json:3: malformed JSON: expected ',' "
						     "or ']' in the events array");
	free(doc);
	free(rs);
}

static void test_callback_stops_the_read(void **state)
{
	struct recs *rs = calloc(1, sizeof *rs);
	struct vpnlog_stats st;
	struct diag_error err = {0};
	FILE *fp = fopen(TESTDATA "catalogue.log", "r");

	(void)state;
	assert_non_null(rs);
	assert_non_null(fp);
	rs->stop_at = 3;
	assert_int_equal(vpnlog_read_stats(fp, "x", collect, rs, &st, &err), -1);
	assert_string_equal(err_text(&err), "test: stopped by the callback");
	assert_int_equal(rs->n, 2);
	fclose(fp);
	/* stdin is named "stdin"; st and err may be NULL */
	fp = fmemopen((void *)"{}\n", 3, "r");
	assert_int_equal(vpnlog_read(fp, "-", NULL, NULL, &err), -1);
	fclose(fp);
	fp = fmemopen((void *)"{}\n", 3, "r");
	memset(&err, 0, sizeof err);
	assert_int_equal(vpnlog_read(fp, "-", NULL, NULL, &err), -1);
	assert_string_equal(err_text(&err), "stdin:1: $: not a VPN tunnel log event (no "
					    "VpnLogDetail, TunnelIKEPhase1State or "
					    "TunnelIKEPhase2State)");
	fclose(fp);
	fp = fmemopen((void *)"{\"details\":\"x\"}\n", 16, "r");
	assert_int_equal(vpnlog_read(fp, NULL, NULL, NULL, NULL), 0);
	fclose(fp);
	free(rs);
}

/* ---- findings --------------------------------------------------------------------- */

static struct report *findings_for(const char *const *paths, size_t n)
{
	struct report *rep = calloc(1, sizeof *rep);
	struct aws_logs *al = aws_logs_new();

	assert_non_null(rep);
	assert_non_null(al);
	report_init(rep, "vpn-logs", "0.1.0");
	for (size_t i = 0; i < n; i++) {
		struct diag_error err = {0};
		FILE *fp = fopen(paths[i], "r");

		if (!fp)
			fail_msg("%s: cannot open (run the tests from the project root)", paths[i]);
		if (aws_logs_read(al, fp, paths[i], &err) != 0)
			fail_msg("%s: %s", paths[i], err_text(&err));
		fclose(fp);
	}
	aws_logs_findings(al, rep);
	aws_logs_free(al);
	assert_false(rep->oom);
	return rep;
}

static const struct finding *find(const struct report *r, const char *subject,
				  const char *summary_prefix)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->findings[i].subject, subject) == 0 &&
		    strncmp(r->findings[i].summary, summary_prefix, strlen(summary_prefix)) == 0)
			return &r->findings[i];
	fail_msg("no finding \"%s\" for %s", summary_prefix, subject);
	return NULL;
}

static const char *ev_str(const struct finding *f, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(f->evidence, key);

	return cJSON_IsString(v) ? v->valuestring : "(missing)";
}

static double ev_num(const struct finding *f, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(f->evidence, key);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static void test_findings_catalogue(void **state)
{
	static const char *const paths[] = {TESTDATA "catalogue.log"};
	struct report *r = findings_for(paths, 1);
	const char *t1 = "vpn-0a1b2c3d4e5f60718 tunnel 198.51.100.10";
	const char *t2 = "vpn-0a1b2c3d4e5f60718 tunnel 198.51.100.20";
	const struct finding *f;

	(void)state;
	assert_int_equal(r->n, 13);
	assert_int_equal(report_exit_code(r), 2);
	/* the file */
	f = &r->findings[0];
	assert_int_equal(f->status, DIAG_PASS);
	assert_string_equal(f->subject, TESTDATA "catalogue.log");
	assert_int_equal(ev_num(f, "events"), 20);
	assert_int_equal(ev_num(f, "tunnels"), 2);
	/* tunnel 1 is up at the end, after a morning of problems */
	f = find(r, t1, "phase 1 Established, phase 2 Established");
	assert_int_equal(f->status, DIAG_WARN);
	assert_string_equal(ev_str(f, "as_of"), "2024-05-14T10:22:45.640Z");
	assert_int_equal(ev_num(f, "phase1_down"), 2);
	assert_int_equal(ev_num(f, "phase1_up"), 2);
	f = find(r, t1, "pre-shared key mismatch");
	assert_int_equal(f->status, DIAG_FAIL);
	assert_int_equal(ev_num(f, "count"), 2);
	assert_string_equal(ev_str(f, "ike_version"), "IKEv1/IKEv2");
	assert_string_equal(ev_str(f, "first_seen"), "2024-05-14T10:00:31.009Z");
	assert_string_equal(ev_str(f, "last_seen"), "2024-05-14T10:10:07.742Z");
	assert_string_equal(ev_str(f, "first_at"), TESTDATA "catalogue.log:4");
	assert_string_equal(f->ref, VPNLOG_REF);
	assert_int_equal(find(r, t1, "IKE authentication failed")->status, DIAG_FAIL);
	assert_int_equal(find(r, t1, "no proposal match")->status, DIAG_FAIL);
	assert_int_equal(find(r, t1, "no proposal chosen for phase 2")->status, DIAG_FAIL);
	assert_int_equal(find(r, t1, "traffic selectors refused")->status, DIAG_FAIL);
	assert_int_equal(find(r, t1, "phase 2 failed while phase 1")->status, DIAG_FAIL);
	assert_int_equal(find(r, t1, "half-open phase 1 timed out")->status, DIAG_WARN);
	assert_int_equal(find(r, t1, "peer declared dead")->status, DIAG_WARN);
	/* tunnel 2 is down at the end */
	f = find(r, t2, "phase 1 Down, phase 2 Down");
	assert_int_equal(f->status, DIAG_FAIL);
	assert_non_null(strstr(f->fix, "NAT-T was detected"));
	assert_int_equal(find(r, t2, "dead peer detection timed out")->status, DIAG_WARN);
	f = find(r, t2, "CHILD_SA rekey collision");
	assert_int_equal(f->status, DIAG_WARN);
	assert_int_equal(ev_num(f, "count"), 2);
	report_free(r);
	free(r);
}

static void test_findings_pass(void **state)
{
	static const char text[] =
		"{\"VpnLogCreationTimestamp\": \"2024-05-14 09:00:00Z\", \"TunnelOutsideIPAddress\": "
		"\"198.51.100.30\", \"TunnelIKEPhase1State\": \"Established\", "
		"\"TunnelIKEPhase2State\": \"Rekeying\", \"VpnLogDetail\": \"AWS tunnel is sending "
		"request (id=1) for CREATE_CHILD_SA\"}\n";
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct aws_logs *al = aws_logs_new();
	struct report r;
	struct diag_error err = {0};

	(void)state;
	assert_non_null(fp);
	assert_int_equal(aws_logs_read(al, fp, "-", &err), 0);
	fclose(fp);
	report_init(&r, "t", "1");
	aws_logs_findings(al, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.findings[0].subject, "stdin");
	assert_string_equal(r.findings[1].subject, "tunnel 198.51.100.30");
	assert_int_equal(r.findings[1].status, DIAG_PASS);
	assert_null(r.findings[1].fix);
	assert_int_equal(report_exit_code(&r), 0);
	assert_int_equal(aws_logs_bad(al, NULL), 0);
	report_free(&r);
	aws_logs_free(al);
}

/* A file that cannot be read still shows up, as an error finding. */
static void test_findings_error_and_check(void **state)
{
	struct aws_logs *al = aws_logs_new();
	struct report r;
	struct diag_error err = {0};
	struct check_ctx ctx;
	FILE *fp = fmemopen((void *)"nonsense\n", 9, "r");

	(void)state;
	assert_int_equal(aws_logs_read(al, fp, "junk.log", &err), -1);
	fclose(fp);
	report_init(&r, "t", "1");
	aws_logs_findings(al, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.findings[0].status, DIAG_ERROR);
	assert_string_equal(r.findings[0].summary, "junk.log:1: malformed JSON at column 1");
	report_free(&r);
	aws_logs_free(al);

	/* the check itself, by file name */
	assert_string_equal(check_aws_tunnel_logs.id, "aws.tunnel_logs");
	assert_int_equal(check_aws_tunnel_logs.needs, NEED_LOGS);
	memset(&ctx, 0, sizeof ctx);
	ctx.vpn_logs_file = TESTDATA "mixed.log";
	report_init(&r, "t", "1");
	assert_int_equal(check_aws_tunnel_logs.run(&ctx, &r), 0);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.findings[0].status, DIAG_WARN);
	report_free(&r);
	ctx.vpn_logs_file = TESTDATA "no-such-file.log";
	report_init(&r, "t", "1");
	assert_int_equal(check_aws_tunnel_logs.run(&ctx, &r), -1);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.findings[0].status, DIAG_ERROR);
	assert_string_equal(r.findings[0].summary, "No such file or directory");
	report_free(&r);
}

/* Every secret-looking value in a message is scrubbed before it reaches a finding. */
static void test_findings_scrub_examples(void **state)
{
	static const char *const paths[] = {TESTDATA "mixed.log"};
	struct report *r = findings_for(paths, 1);
	char *text = report_render(r, REPORT_TEXT, 0), *json = report_render(r, REPORT_JSON, 0);

	(void)state;
	assert_non_null(text);
	assert_non_null(json);
	assert_null(strstr(text, "Sup3rSecret"));
	assert_null(strstr(json, "Sup3rSecret"));
	assert_non_null(strstr(text, "psk=<redacted>"));
	free(text);
	free(json);
	report_free(r);
	free(r);
}

/* ---- golden reports --------------------------------------------------------------- */

static void golden(const char *input, const char *name)
{
	const char *paths[] = {input};
	struct report *r = findings_for(paths, 1);
	char gname[128];
	char *out;

	snprintf(gname, sizeof gname, "%s.txt.out", name);
	out = report_render(r, REPORT_TEXT, 0);
	assert_non_null(out);
	check_golden(GOLDEN_DIR, gname, out);
	free(out);
	snprintf(gname, sizeof gname, "%s.json.out", name);
	out = report_render(r, REPORT_JSON, 0);
	assert_non_null(out);
	check_golden(GOLDEN_DIR, gname, out);
	free(out);
	report_free(r);
	free(r);
}

static void test_golden_catalogue(void **state)
{
	(void)state;
	golden(TESTDATA "catalogue.log", "catalogue");
}

static void test_golden_filter_log_events(void **state)
{
	(void)state;
	golden(TESTDATA "filter-log-events.json", "filter-log-events");
}

static void test_golden_mixed(void **state)
{
	(void)state;
	golden(TESTDATA "mixed.log", "mixed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_messages),
		cmocka_unit_test(test_catalogue_rows),
		cmocka_unit_test(test_classify_variants),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_scrub),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_read_catalogue),
		cmocka_unit_test(test_read_filter_log_events),
		cmocka_unit_test(test_read_snake_case_and_get_log_events),
		cmocka_unit_test(test_read_odd_shapes),
		cmocka_unit_test(test_bad_lines_are_skipped),
		cmocka_unit_test(test_bad_input_errors),
		cmocka_unit_test(test_truncated_cli_document),
		cmocka_unit_test(test_callback_stops_the_read),
		cmocka_unit_test(test_findings_catalogue),
		cmocka_unit_test(test_findings_pass),
		cmocka_unit_test(test_findings_error_and_check),
		cmocka_unit_test(test_findings_scrub_examples),
		cmocka_unit_test(test_golden_catalogue),
		cmocka_unit_test(test_golden_filter_log_events),
		cmocka_unit_test(test_golden_mixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
