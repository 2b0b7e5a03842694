/* The report model, its verdict and exit code, secret redaction, and the three renderers
 * pinned byte for byte by golden files in testdata/report (UPDATE_GOLDEN=1 rewrites them;
 * run from the project root). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libdiag/exitcode.h"
#include "libdiag/redact.h"
#include "libdiag/render.h"
#include "libdiag/report.h"
#include "testutil.h"

#define GOLDEN_DIR "testdata/report/"

/* ---- model ------------------------------------------------------------------------- */

static void test_init_free(void **state)
{
	struct report r;

	(void)state;
	report_init(&r, "vpn-probe", "1.2.3");
	assert_string_equal(r.tool, "vpn-probe");
	assert_string_equal(r.version, "1.2.3");
	assert_int_equal(r.n, 0);
	assert_false(r.oom);
	report_free(&r);
	assert_null(r.findings);
	assert_null(r.tool);

	report_init(&r, NULL, NULL); /* NULL names become empty strings, never NULL */
	assert_string_equal(r.tool, "");
	assert_string_equal(r.version, "");
	report_free(&r);
}

static void test_add_fields(void **state)
{
	struct report r;
	struct finding *f;

	(void)state;
	report_init(&r, "t", "1");
	f = report_add(&r, "ike.version", DIAG_WARN, "tunnel 1", "offered %d of %s", 2, "3");
	assert_non_null(f);
	assert_int_equal(r.n, 1);
	assert_string_equal(f->check, "ike.version");
	assert_int_equal(f->status, DIAG_WARN);
	assert_string_equal(f->subject, "tunnel 1");
	assert_string_equal(f->summary, "offered 2 of 3");
	assert_true(cJSON_IsObject(f->evidence));
	assert_null(f->evidence->child);
	assert_null(f->fix);
	assert_null(f->ref);

	f = report_add(&r, "x", DIAG_PASS, NULL, "no subject");
	assert_non_null(f);
	assert_string_equal(f->subject, "");
	report_free(&r);
}

/* Growth moves the array; every finding must survive it intact. */
static void test_add_many(void **state)
{
	struct report r;

	(void)state;
	report_init(&r, "t", "1");
	for (int i = 0; i < 1000; i++) {
		struct finding *f = report_add(&r, "c", DIAG_PASS, "s", "finding %d", i);

		assert_non_null(f);
		finding_ev_num(f, "i", i);
	}
	assert_int_equal(r.n, 1000);
	assert_true(r.cap >= 1000);
	for (size_t i = 0; i < r.n; i++) {
		char want[32];

		snprintf(want, sizeof want, "finding %zu", i);
		assert_string_equal(r.findings[i].summary, want);
		assert_int_equal(cJSON_GetObjectItem(r.findings[i].evidence, "i")->valueint, i);
		assert_ptr_equal(r.findings[i].owner, &r);
	}
	assert_false(r.oom);
	report_free(&r);
}

static void test_setters(void **state)
{
	struct report r;
	struct finding *f;
	const cJSON *ev;

	(void)state;
	report_init(&r, "t", "1");
	f = report_add(&r, "c", DIAG_FAIL, "s", "x");
	finding_fix(f, "set %s to %d", "lifetime", 28800);
	assert_string_equal(f->fix, "set lifetime to 28800");
	finding_fix(f, "second");
	assert_string_equal(f->fix, "second");
	finding_ref(f, "https://example.com/a");
	assert_string_equal(f->ref, "https://example.com/a");
	finding_ref(f, NULL);
	assert_null(f->ref);

	finding_ev_str(f, "s", "v");
	finding_ev_str(f, "nul", NULL);
	finding_ev_num(f, "n", 1.5);
	finding_ev_bool(f, "b", true);
	finding_ev_json(f, "o", cJSON_CreateObject());
	ev = f->evidence;
	assert_string_equal(cJSON_GetObjectItem(ev, "s")->valuestring, "v");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(ev, "nul")));
	assert_true(cJSON_GetObjectItem(ev, "n")->valuedouble == 1.5);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ev, "b")));
	assert_true(cJSON_IsObject(cJSON_GetObjectItem(ev, "o")));
	assert_int_equal(cJSON_GetArraySize(ev), 5);

	/* Setting a key again keeps one key holding the last value. */
	finding_ev_num(f, "s", 7);
	assert_int_equal(cJSON_GetArraySize(ev), 5);
	assert_true(cJSON_GetObjectItem(ev, "s")->valuedouble == 7);

	/* A NULL key is ignored and the item freed (ASan/valgrind would see a leak). */
	finding_ev_json(f, NULL, cJSON_CreateString("x"));
	assert_int_equal(cJSON_GetArraySize(ev), 5);
	/* A failed cJSON_Create* reaches the setter as NULL: that is an OOM. */
	assert_false(r.oom);
	finding_ev_json(f, "lost", NULL);
	assert_true(r.oom);
	report_free(&r);
}

/* report_add may return NULL on OOM; every setter must accept it. */
static void test_setters_accept_null(void **state)
{
	(void)state;
	finding_fix(NULL, "x %d", 1);
	finding_ref(NULL, "x");
	finding_ev_str(NULL, "k", "v");
	finding_ev_num(NULL, "k", 1);
	finding_ev_bool(NULL, "k", false);
	finding_ev_json(NULL, "k", cJSON_CreateArray());
}

static void test_status_names(void **state)
{
	static const char *const names[] = {"pass", "skip", "warn", "error", "fail"};
	enum diag_status s;

	(void)state;
	for (int i = DIAG_PASS; i <= DIAG_FAIL; i++) {
		assert_string_equal(diag_status_name((enum diag_status)i), names[i]);
		assert_true(diag_status_parse(names[i], &s));
		assert_int_equal(s, i);
	}
	assert_true(diag_status_parse("FAIL", &s));
	assert_int_equal(s, DIAG_FAIL);
	assert_true(diag_status_parse("Warn", &s));
	assert_int_equal(s, DIAG_WARN);
	s = DIAG_SKIP;
	assert_false(diag_status_parse("passed", &s));
	assert_false(diag_status_parse("", &s));
	assert_false(diag_status_parse(NULL, &s));
	assert_int_equal(s, DIAG_SKIP); /* untouched on failure */
	assert_string_equal(diag_status_name((enum diag_status)42), "unknown");
}

/* Builds a report holding the given statuses, in order. */
static void report_of(struct report *r, const char *statuses)
{
	report_init(r, "t", "1");
	for (const char *p = statuses; *p; p++) {
		enum diag_status s = *p == 'p' ? DIAG_PASS : *p == 's' ? DIAG_SKIP
				   : *p == 'w' ? DIAG_WARN : *p == 'e' ? DIAG_ERROR : DIAG_FAIL;

		assert_non_null(report_add(r, "c", s, "", "x"));
	}
}

static void test_verdict_and_exit(void **state)
{
	static const struct {
		const char *statuses;
		enum diag_status verdict;
		int exit;
	} cases[] = {
		{"", DIAG_PASS, DIAG_EXIT_PASS},     {"p", DIAG_PASS, 0},
		{"ppp", DIAG_PASS, 0},               {"ps", DIAG_SKIP, 0},
		{"s", DIAG_SKIP, 0},                 {"psw", DIAG_WARN, 1},
		{"wsp", DIAG_WARN, DIAG_EXIT_WARN},  {"e", DIAG_ERROR, 1},
		{"we", DIAG_ERROR, 1},               {"ew", DIAG_ERROR, 1},
		{"f", DIAG_FAIL, DIAG_EXIT_FAIL},    {"fe", DIAG_FAIL, 2},
		{"pswef", DIAG_FAIL, 2},             {"fp", DIAG_FAIL, 2},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct report r;

		report_of(&r, cases[i].statuses);
		if (report_verdict(&r) != cases[i].verdict || report_exit_code(&r) != cases[i].exit)
			fail_msg("\"%s\": verdict %s exit %d, want %s exit %d", cases[i].statuses,
				 diag_status_name(report_verdict(&r)), report_exit_code(&r),
				 diag_status_name(cases[i].verdict), cases[i].exit);
		report_free(&r);
	}
}

/* ---- redaction --------------------------------------------------------------------- */

static void test_secret_keys(void **state)
{
	static const char *const secret[] = {
		"psk", "PSK", "Psk", "pre_shared_key", "PreSharedKey", "preSharedKey",
		"pre-shared-key", "tunnel1_psk", "Tunnel1PreSharedKey", "PSKValue", "PSKs",
		"secret", "aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "clientSecret",
		"password", "Password", "db-password", "passwd", "passphrase", "token",
		"SessionToken", "x-auth-token", "X_AUTH_TOKEN", "api_key", "APIKey", "private_key",
		"PrivateKey", "apiKeys", "preshared_keys", "ike.psk", "shared key", "sharedKey2",
	};
	static const char *const plain[] = {
		"", "monkey", "keyring", "Keyboard", "tokenizer", "passthrough", "secretary",
		"pskx", "dh_group", "ike_version", "outside_ip", "MonkeyWrench", "turkey_count",
		"skeleton", "tokenise", "psksx", "passwordless", "keyed", "key", "Key", "KEY", "keys",
		"key_length", "KeyLength", "encryption_key_bits", "my key", "key2",
	};

	(void)state;
	for (size_t i = 0; i < sizeof secret / sizeof *secret; i++)
		if (!redact_key_is_secret(secret[i]))
			fail_msg("\"%s\" should be a secret key", secret[i]);
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
		if (redact_key_is_secret(plain[i]))
			fail_msg("\"%s\" should not be a secret key", plain[i]);
	assert_false(redact_key_is_secret(NULL));
}

static void test_redact_copy_nested(void **state)
{
	const char *in = "{\"a\":{\"psk\":\"x\",\"n\":[{\"token\":\"y\",\"ok\":1},2]},"
			 "\"private_key\":{\"deep\":1},\"plain\":\"visible\",\"s\":\"psk\"}";
	const char *want = "{\"a\":{\"psk\":\"<redacted>\",\"n\":[{\"token\":\"<redacted>\","
			   "\"ok\":1},2]},\"private_key\":\"<redacted>\",\"plain\":\"visible\",\"s\":\"psk\"}";
	cJSON *src = cJSON_Parse(in), *copy;
	char *src_before = cJSON_PrintUnformatted(src), *got, *src_after;

	(void)state;
	copy = redact_copy(src);
	assert_non_null(copy);
	got = cJSON_PrintUnformatted(copy);
	assert_string_equal(got, want);
	src_after = cJSON_PrintUnformatted(src); /* the original is left alone */
	assert_string_equal(src_after, src_before);
	cJSON_free(got);
	cJSON_free(src_before);
	cJSON_free(src_after);
	cJSON_Delete(copy);
	cJSON_Delete(src);

	assert_null(redact_copy(NULL));
	src = cJSON_CreateNumber(3); /* a scalar copies as itself */
	copy = redact_copy(src);
	assert_non_null(copy);
	assert_true(cJSON_Compare(src, copy, true));
	cJSON_Delete(copy);
	cJSON_Delete(src);
}

/* Every renderer goes through the one redaction: the secret may not appear anywhere. */
static void test_redaction_in_every_renderer(void **state)
{
	struct report r;
	struct finding *f;
	cJSON *j, *ev;
	char *out;

	(void)state;
	report_init(&r, "t", "1");
	f = report_add(&r, "device.config", DIAG_FAIL, "cgw", "mismatch");
	finding_ev_str(f, "PreSharedKey", "hunter2-psk-value");
	finding_ev_str(f, "SessionToken", "hunter2-token-value");
	finding_ev_json(f, "nested", cJSON_Parse("{\"aws_secret_access_key\":\"hunter2-aws\"}"));
	finding_ev_str(f, "visible", "shown");

	j = report_to_json(&r);
	assert_non_null(j);
	ev = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "findings"), 0),
				 "evidence");
	assert_string_equal(cJSON_GetObjectItem(ev, "PreSharedKey")->valuestring, REDACTED);
	assert_string_equal(cJSON_GetObjectItem(ev, "visible")->valuestring, "shown");
	cJSON_Delete(j);

	for (int fmt = REPORT_TEXT; fmt <= REPORT_MARKDOWN; fmt++) {
		for (unsigned flags = 0; flags <= REPORT_COLOR; flags++) {
			out = report_render(&r, (enum report_format)fmt, flags);
			assert_non_null(out);
			if (strstr(out, "hunter2"))
				fail_msg("format %d leaks a secret:\n%s", fmt, out);
			assert_non_null(strstr(out, "shown"));
			assert_non_null(strstr(out, "redacted"));
			free(out);
		}
	}
	/* The report itself still holds the value: redaction is for output only. */
	assert_string_equal(cJSON_GetObjectItem(f->evidence, "PreSharedKey")->valuestring,
			    "hunter2-psk-value");
	report_free(&r);
}

/* ---- value formatting -------------------------------------------------------------- */

static void check_value(cJSON *v, const char *want)
{
	char *got = render_value(v);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	cJSON_Delete(v);
}

static void test_render_value(void **state)
{
	(void)state;
	check_value(cJSON_CreateString("raw \"text\""), "raw \"text\"");
	check_value(cJSON_CreateNumber(500), "500");
	check_value(cJSON_CreateNumber(-3), "-3");
	check_value(cJSON_CreateNumber(0), "0");
	check_value(cJSON_CreateNumber(-0.0), "0");
	check_value(cJSON_CreateNumber(28800), "28800");
	check_value(cJSON_CreateNumber(4294967295.0), "4294967295");
	check_value(cJSON_CreateNumber(0.5), "0.5");
	check_value(cJSON_CreateNumber(1.25e-7), "1.25e-07");
	check_value(cJSON_CreateNumber(1e20), "1e+20");
	check_value(cJSON_CreateNumber(1.0 / 3), "0.33333333333333331");
	check_value(cJSON_CreateNumber(NAN), "null");
	check_value(cJSON_CreateNumber(INFINITY), "null");
	check_value(cJSON_CreateBool(true), "true");
	check_value(cJSON_CreateBool(false), "false");
	check_value(cJSON_CreateNull(), "null");
	check_value(cJSON_Parse("{\"a\": [1, 2.5, \"x\"], \"b\": {}}"),
		    "{\"a\":[1,2.5,\"x\"],\"b\":{}}");
	check_value(cJSON_CreateArray(), "[]");
}

/* ---- renderers --------------------------------------------------------------------- */

static void test_empty_report(void **state)
{
	struct report r;
	char *out;

	(void)state;
	report_init(&r, "vpn-doctor", "0.1.0");
	out = report_render(&r, REPORT_TEXT, 0);
	assert_string_equal(out, "vpn-doctor 0.1.0: verdict pass (0 findings)\n");
	free(out);
	out = report_render(&r, REPORT_JSON, 0);
	assert_string_equal(out, "{\"tool\":\"vpn-doctor\",\"version\":\"0.1.0\","
				 "\"schema_version\":1,\"findings\":[],\"verdict\":\"pass\"}\n");
	free(out);
	out = report_render(&r, REPORT_MARKDOWN, 0);
	assert_string_equal(out, "# vpn-doctor 0.1.0 report\n\n**Verdict: PASS** (0 findings)\n"
				 "\nNo findings.\n");
	free(out);
	assert_null(report_render(&r, (enum report_format)99, 0));
	report_free(&r);
}

static void test_counts_line(void **state)
{
	struct report r;
	char *out;

	(void)state;
	report_of(&r, "f");
	out = report_render(&r, REPORT_TEXT, 0);
	assert_string_equal(out, "t 1: verdict fail (1 finding: 1 fail)\n[FAIL] c  x\n");
	free(out);
	report_free(&r);

	report_of(&r, "fpwpf");
	out = report_render(&r, REPORT_TEXT, 0);
	assert_non_null(strstr(out, "verdict fail (5 findings: 2 pass, 1 warn, 2 fail)\n"));
	free(out);
	report_free(&r);
}

/* The JSON schema: key order, types, null for an unset fix and ref. */
static void test_json_schema(void **state)
{
	static const char *const top[] = {"tool", "version", "schema_version", "findings",
					  "verdict"};
	static const char *const keys[] = {"check", "status", "subject", "summary",
					   "evidence", "fix", "ref"};
	struct report r;
	struct finding *f;
	cJSON *j, *c, *fj;
	size_t i = 0;
	char *out;

	(void)state;
	report_init(&r, "vpn-ike", "9");
	f = report_add(&r, "ike.sa", DIAG_ERROR, "tunnel", "no reply");
	finding_ev_num(f, "tries", 3);
	f = report_add(&r, "ike.sa", DIAG_WARN, "tunnel", "slow");
	finding_fix(f, "fix it");
	finding_ref(f, "ref");
	out = report_render(&r, REPORT_JSON, 0);
	assert_non_null(out);
	/* one line (NDJSON): the only newline is the last byte */
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	j = cJSON_Parse(out);
	assert_non_null(j);
	cJSON_ArrayForEach(c, j) assert_string_equal(c->string, top[i++]);
	assert_int_equal(i, 5);
	assert_int_equal(cJSON_GetObjectItem(j, "schema_version")->valueint,
			 REPORT_SCHEMA_VERSION);
	assert_string_equal(cJSON_GetObjectItem(j, "verdict")->valuestring, "error");
	fj = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "findings"), 0);
	i = 0;
	cJSON_ArrayForEach(c, fj) assert_string_equal(c->string, keys[i++]);
	assert_int_equal(i, 7);
	assert_string_equal(cJSON_GetObjectItem(fj, "status")->valuestring, "error");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(fj, "fix")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(fj, "ref")));
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(fj, "evidence"), "tries")
				 ->valueint, 3);
	fj = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "findings"), 1);
	assert_string_equal(cJSON_GetObjectItem(fj, "fix")->valuestring, "fix it");
	assert_string_equal(cJSON_GetObjectItem(fj, "ref")->valuestring, "ref");
	cJSON_Delete(j);
	free(out);
	report_free(&r);
}

/* A peer chooses some evidence bytes: no escape sequence may reach the terminal. */
static void test_text_escapes_controls(void **state)
{
	struct report r;
	struct finding *f;
	char *out;

	(void)state;
	report_init(&r, "t", "1");
	f = report_add(&r, "c", DIAG_WARN, "s\033[2J", "two\nlines");
	finding_ev_str(f, "vendor", "acme\033]0;owned\007");
	out = report_render(&r, REPORT_TEXT, REPORT_COLOR);
	assert_string_equal(out, "t 1: verdict warn (1 finding: 1 warn)\n"
				 "\033[33m[WARN]\033[0m c  s\\x1b[2J: two\n      lines\n"
				 "    evidence: vendor=acme\\x1b]0;owned\\x07\n");
	free(out);
	report_free(&r);
}

static void test_markdown_escapes(void **state)
{
	struct report r;
	struct finding *f;
	char *out;

	(void)state;
	report_init(&r, "t", "1");
	f = report_add(&r, "odd`id|x", DIAG_FAIL, "a|b", "line1\nline2 <b>*x*</b> | y");
	finding_ref(f, "not a url");
	out = report_render(&r, REPORT_MARKDOWN, 0);
	/* entities for < > & | ~, which Markdown renderers do not agree to unescape */
	assert_non_null(strstr(out, "| FAIL | ``odd`id\\|x`` | a&#124;b | "
				    "line1<br>line2 &lt;b&gt;\\*x\\*&lt;/b&gt; &#124; y |\n"));
	assert_non_null(strstr(out, "**Reference:** not a url\n"));
	/* A table row must stay one line whatever the summary holds. */
	for (const char *p = strstr(out, "| FAIL"); *p != '\n'; p++)
		assert_int_not_equal(*p, '\r');
	free(out);
	report_free(&r);
}

/* ---- golden files ------------------------------------------------------------------ */

/* Every status, every evidence type, a nested object and array, secrets at two depths, a
 * pipe and a newline in text, and a control character from a "peer". */
static void build_sample(struct report *r)
{
	struct finding *f;

	report_init(r, "vpn-doctor", "0.1.0");

	f = report_add(r, "ike.version", DIAG_PASS, "vpn-0a1b2c3d tunnel 1 (52.95.1.10)",
		       "IKEv2 offered and accepted");
	finding_ev_num(f, "ike_version", 2);
	finding_ev_bool(f, "nat_t", false);

	f = report_add(r, "tunnel.dpd", DIAG_WARN, "vpn-0a1b2c3d tunnel 2 (52.95.1.11)",
		       "DPD timeout of %d s is below the %d s AWS uses", 10, 30);
	finding_ev_num(f, "dpd_timeout_s", 10);
	finding_ev_num(f, "aws_dpd_timeout_s", 30);
	finding_ev_num(f, "ratio", 1.0 / 3);
	finding_ev_str(f, "peer_vendor", "acme\033]0;owned\007");
	finding_fix(f, "Set the DPD timeout to 30 seconds or more.");
	finding_ref(f, "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html");

	f = report_add(r, "ike.proposal", DIAG_FAIL, "vpn-0a1b2c3d tunnel 1 (52.95.1.10)",
		       "Phase 1 offers DH group 2 | AWS accepts 2 only with IKEv1");
	finding_ev_json(f, "proposal",
			cJSON_Parse("{\"encryption\":\"aes128\",\"integrity\":\"sha1\","
				    "\"dh_group\":2,\"lifetime_s\":28800}"));
	finding_ev_json(f, "aws_groups", cJSON_Parse("[2,14,15,16,17,18,19,20,21,22,23,24]"));
	finding_ev_str(f, "PreSharedKey", "hunter2-psk");
	finding_ev_str(f, "device", "cisco-asa");
	finding_fix(f, "Offer DH group 14 or higher:\ncrypto ikev2 policy 10\n group 14");
	finding_ref(f, "https://docs.aws.amazon.com/vpn/latest/s2svpn/cgw-options.html");

	f = report_add(r, "aws.describe", DIAG_ERROR, "",
		       "DescribeVpnConnections failed: AccessDenied");
	finding_ev_num(f, "http_status", 403);
	finding_ev_json(f, "credentials",
			cJSON_Parse("{\"profile\":\"prod\",\"aws_secret_access_key\":\"hunter2-aws\","
				    "\"SessionToken\":\"hunter2-token\"}"));
	finding_fix(f, "Allow ec2:DescribeVpnConnections for the profile's role.");

	f = report_add(r, "capture.esp", DIAG_SKIP, "eth0", "no capture given");
	finding_fix(f, "Pass --capture IFACE or --pcap FILE.");
}

static void golden(const char *name, enum report_format fmt, unsigned flags)
{
	struct report r;
	char *out;

	build_sample(&r);
	assert_false(r.oom);
	out = report_render(&r, fmt, flags);
	assert_non_null(out);
	assert_null(strstr(out, "hunter2"));
	check_golden(GOLDEN_DIR, name, out);
	free(out);
	report_free(&r);
}

static void test_golden_text(void **state)
{
	(void)state;
	golden("sample.txt", REPORT_TEXT, 0);
}

static void test_golden_color(void **state)
{
	(void)state;
	golden("sample.color.txt", REPORT_TEXT, REPORT_COLOR);
}

static void test_golden_json(void **state)
{
	(void)state;
	golden("sample.json", REPORT_JSON, 0);
}

static void test_golden_markdown(void **state)
{
	(void)state;
	golden("sample.md", REPORT_MARKDOWN, 0);
}

/* ---- running out of memory --------------------------------------------------------- */

static long cjson_budget = -1; /* allocations left before cJSON's malloc fails; -1: no limit */
static long cjson_refused;     /* allocations failed on purpose */

static void *limited_malloc(size_t n)
{
	if (cjson_budget == 0) {
		cjson_refused++;
		return NULL;
	}
	if (cjson_budget > 0)
		cjson_budget--;
	return malloc(n);
}

/* Fails cJSON's n-th allocation for every n the sample needs: nothing may crash, every
 * failure must show (r->oom or a NULL rendering), and a report not marked oom must
 * render exactly as it does with memory to spare. (strdup and friends are not covered
 * here: replacing libc malloc fights the sanitizer builds.) */
static void test_oom_in_cjson(void **state)
{
	cJSON_Hooks limited = {.malloc_fn = limited_malloc, .free_fn = free};
	char *want[3][2];
	bool exhausted = true;
	long n;

	(void)state;
	for (int fmt = 0; fmt < 3; fmt++) {
		for (unsigned flags = 0; flags < 2; flags++) {
			struct report r;

			build_sample(&r);
			want[fmt][flags] = report_render(&r, (enum report_format)fmt, flags);
			assert_non_null(want[fmt][flags]);
			report_free(&r);
		}
	}
	cJSON_InitHooks(&limited);
	for (n = 0; exhausted && n < 100000; n++) {
		struct report r;
		bool any_null = false;

		cjson_budget = n;
		cjson_refused = 0;
		build_sample(&r);
		for (int fmt = 0; fmt < 3; fmt++) {
			for (unsigned flags = 0; flags < 2; flags++) {
				char *out = report_render(&r, (enum report_format)fmt, flags);

				if (!out)
					any_null = true;
				else if (!r.oom && strcmp(out, want[fmt][flags]) != 0)
					fail_msg("budget %ld: format %d rendered wrongly:\n%s", n, fmt,
						 out);
				free(out);
			}
		}
		exhausted = cjson_refused > 0;
		if (exhausted && !r.oom && !any_null)
			fail_msg("budget %ld: an allocation failed and nobody noticed", n);
		cjson_budget = -1;
		report_free(&r);
	}
	cJSON_InitHooks(NULL);
	assert_false(exhausted); /* the loop ended because memory sufficed */
	assert_true(n > 50);
	for (int fmt = 0; fmt < 3; fmt++)
		for (unsigned flags = 0; flags < 2; flags++)
			free(want[fmt][flags]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_free),
		cmocka_unit_test(test_add_fields),
		cmocka_unit_test(test_add_many),
		cmocka_unit_test(test_setters),
		cmocka_unit_test(test_setters_accept_null),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_verdict_and_exit),
		cmocka_unit_test(test_secret_keys),
		cmocka_unit_test(test_redact_copy_nested),
		cmocka_unit_test(test_redaction_in_every_renderer),
		cmocka_unit_test(test_render_value),
		cmocka_unit_test(test_empty_report),
		cmocka_unit_test(test_counts_line),
		cmocka_unit_test(test_json_schema),
		cmocka_unit_test(test_text_escapes_controls),
		cmocka_unit_test(test_markdown_escapes),
		cmocka_unit_test(test_golden_text),
		cmocka_unit_test(test_golden_color),
		cmocka_unit_test(test_golden_json),
		cmocka_unit_test(test_golden_markdown),
		cmocka_unit_test(test_oom_in_cjson),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
