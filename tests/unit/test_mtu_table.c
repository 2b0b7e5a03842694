/* AWS's MTU/MSS table (libdiag/aws/mtu_table.h): every row against the page, lookups by
 * algorithm and NAT-T with the worst case for what is unknown, the names people type, the
 * MSS arithmetic; the path MTU probe's tag and reply decoder (libdiag/pmtu.h); and the
 * tunnel.mtu check on loopback (UDP to a closed port: port unreachable answers). */
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "checks/check.h"
#include "checks/mtu.h"
#include "libdiag/aws/load_json.h"
#include "libdiag/aws/model.h"
#include "libdiag/aws/mtu_table.h"
#include "libdiag/pmtu.h"
#include "libdiag/report.h"

/* The table as the page prints it: encryption, hash, NAT-T, MTU, MSS IPv4, MSS IPv6. */
static void test_rows_match_page(void **state)
{
	static const struct {
		enum aws_mtu_enc e;
		enum aws_mtu_integ i;
		enum aws_natt n;
		int mtu, m4, m6;
	} page[] = {
		{AWS_ENC_GCM, AWS_INTEG_NONE, AWS_NATT_OFF, 1446, 1406, 1386},
		{AWS_ENC_GCM, AWS_INTEG_NONE, AWS_NATT_ON, 1438, 1398, 1378},
		{AWS_ENC_CBC, AWS_INTEG_SHA1, AWS_NATT_OFF, 1438, 1398, 1378},
		{AWS_ENC_CBC, AWS_INTEG_SHA2_256, AWS_NATT_OFF, 1438, 1398, 1378},
		{AWS_ENC_CBC, AWS_INTEG_SHA1, AWS_NATT_ON, 1422, 1382, 1362},
		{AWS_ENC_CBC, AWS_INTEG_SHA2_256, AWS_NATT_ON, 1422, 1382, 1362},
		{AWS_ENC_CBC, AWS_INTEG_SHA2_384, AWS_NATT_OFF, 1422, 1382, 1362},
		{AWS_ENC_CBC, AWS_INTEG_SHA2_384, AWS_NATT_ON, 1422, 1382, 1362},
		{AWS_ENC_CBC, AWS_INTEG_SHA2_512, AWS_NATT_OFF, 1422, 1382, 1362},
		{AWS_ENC_CBC, AWS_INTEG_SHA2_512, AWS_NATT_ON, 1406, 1366, 1346},
	};
	(void)state;
	assert_int_equal(aws_mtu_nrows, sizeof page / sizeof *page);
	for (size_t k = 0; k < sizeof page / sizeof *page; k++) {
		struct aws_mtu_answer a;

		assert_true(aws_mtu_lookup(page[k].e, page[k].i, page[k].n, &a));
		assert_true(a.exact);
		assert_int_equal(a.row->mtu, page[k].mtu);
		assert_int_equal(a.row->mss4, page[k].m4);
		assert_int_equal(a.row->mss6, page[k].m6);
	}
}

/* Every row's MSS columns are the MTU less TCP and IP headers. */
static void test_mss_arithmetic(void **state)
{
	(void)state;
	for (size_t k = 0; k < aws_mtu_nrows; k++) {
		assert_int_equal(mtu_mss4(aws_mtu_rows[k].mtu), aws_mtu_rows[k].mss4);
		assert_int_equal(mtu_mss6(aws_mtu_rows[k].mtu), aws_mtu_rows[k].mss6);
	}
	assert_int_equal(mtu_mss4(1400), 1360);
	assert_int_equal(mtu_mss6(1400), 1340);
	assert_int_equal(mtu_mss4(1500), 1460);
	assert_int_equal(mtu_mss4(40), 0);
	assert_int_equal(mtu_mss6(60), 0);
	assert_int_equal(mtu_mss4(0), 0);
}

static int lookup_mtu(enum aws_mtu_enc e, enum aws_mtu_integ i, enum aws_natt n, bool *exact)
{
	struct aws_mtu_answer a;

	if (!aws_mtu_lookup(e, i, n, &a))
		return -1;
	if (exact)
		*exact = a.exact;
	return a.row->mtu;
}

static void test_worst_case(void **state)
{
	bool exact;

	(void)state;
	/* nothing known: the smallest row of all */
	assert_int_equal(lookup_mtu(AWS_ENC_ANY, AWS_INTEG_ANY, AWS_NATT_UNKNOWN, &exact), 1406);
	assert_false(exact);
	/* NAT-T off, algorithms unknown: CBC with SHA2-384/512 */
	assert_int_equal(lookup_mtu(AWS_ENC_ANY, AWS_INTEG_ANY, AWS_NATT_OFF, &exact), 1422);
	assert_false(exact);
	/* GCM, NAT-T unknown: the NAT-T row */
	assert_int_equal(lookup_mtu(AWS_ENC_GCM, AWS_INTEG_ANY, AWS_NATT_UNKNOWN, &exact), 1438);
	assert_false(exact);
	/* GCM ignores the integrity algorithm (the table's N/A) */
	assert_int_equal(lookup_mtu(AWS_ENC_GCM, AWS_INTEG_SHA2_512, AWS_NATT_OFF, &exact), 1446);
	assert_true(exact);
	/* SHA1 and SHA2-256 share numbers: exact even with either */
	assert_int_equal(lookup_mtu(AWS_ENC_CBC, AWS_INTEG_SHA1, AWS_NATT_ON, &exact), 1422);
	assert_true(exact);
	/* integrity known, encryption not: CBC with it, or GCM */
	assert_int_equal(lookup_mtu(AWS_ENC_ANY, AWS_INTEG_SHA1, AWS_NATT_OFF, &exact), 1438);
	assert_false(exact); /* GCM 1446 or CBC/SHA1 1438: the worst, and not exact */
	assert_int_equal(lookup_mtu(AWS_ENC_ANY, AWS_INTEG_SHA2_512, AWS_NATT_ON, NULL), 1406);
	/* CBC with "none" has no row */
	assert_int_equal(lookup_mtu(AWS_ENC_CBC, AWS_INTEG_NONE, AWS_NATT_OFF, NULL), -1);
}

static void test_names(void **state)
{
	static const struct {
		const char *s;
		enum aws_mtu_enc e;
	} encs[] = {
		{"AES128", AWS_ENC_CBC}, {"AES256", AWS_ENC_CBC}, {"aes-128-cbc", AWS_ENC_CBC},
		{"aes256", AWS_ENC_CBC}, {"AES-CBC", AWS_ENC_CBC}, {"AES128-GCM-16", AWS_ENC_GCM},
		{"AES256-GCM-16", AWS_ENC_GCM}, {"aes256gcm16", AWS_ENC_GCM}, {"aes-gcm", AWS_ENC_GCM},
		{"", AWS_ENC_ANY}, {NULL, AWS_ENC_ANY},
	};
	static const struct {
		const char *s;
		enum aws_mtu_integ i;
	} integs[] = {
		{"SHA1", AWS_INTEG_SHA1}, {"hmac-sha1-96", AWS_INTEG_SHA1},
		{"SHA2-256", AWS_INTEG_SHA2_256}, {"sha256", AWS_INTEG_SHA2_256},
		{"hmac-sha256-128", AWS_INTEG_SHA2_256}, {"SHA2-384", AWS_INTEG_SHA2_384},
		{"sha2_512", AWS_INTEG_SHA2_512}, {"SHA512", AWS_INTEG_SHA2_512},
		{NULL, AWS_INTEG_ANY},
	};
	static const char *const bad_enc[] = {"3DES", "des", "aes128gcm8", "AES-GCM-12", "chacha20",
					      "aes192x", "AES256-GCM-16-and-a-very-long-tail-x"};
	static const char *const bad_integ[] = {"MD5", "sha3", "sha2-224", "aes-xcbc"};
	(void)state;
	for (size_t k = 0; k < sizeof encs / sizeof *encs; k++) {
		enum aws_mtu_enc e = AWS_ENC_CBC;

		assert_int_equal(aws_mtu_enc_parse(encs[k].s, &e, NULL), 0);
		assert_int_equal(e, encs[k].e);
	}
	for (size_t k = 0; k < sizeof integs / sizeof *integs; k++) {
		enum aws_mtu_integ i = AWS_INTEG_NONE;

		assert_int_equal(aws_mtu_integ_parse(integs[k].s, &i, NULL), 0);
		assert_int_equal(i, integs[k].i);
	}
	for (size_t k = 0; k < sizeof bad_enc / sizeof *bad_enc; k++) {
		struct diag_error err = {0};
		enum aws_mtu_enc e;

		assert_int_equal(aws_mtu_enc_parse(bad_enc[k], &e, &err), -1);
		assert_int_equal(err.code, DIAG_EXIT_USAGE);
		assert_non_null(strstr(err.what, "not a phase 2 encryption"));
	}
	for (size_t k = 0; k < sizeof bad_integ / sizeof *bad_integ; k++) {
		struct diag_error err = {0};
		enum aws_mtu_integ i;

		assert_int_equal(aws_mtu_integ_parse(bad_integ[k], &i, &err), -1);
		assert_non_null(strstr(err.what, bad_integ[k]));
	}
	assert_string_equal(aws_mtu_enc_name(AWS_ENC_GCM), "AES-GCM-16");
	assert_string_equal(aws_mtu_integ_name(AWS_INTEG_SHA2_384), "SHA2-384");
	assert_string_equal(aws_natt_name(AWS_NATT_UNKNOWN), "unknown");
}

/* ---- the probe's tag and the decoder ---------------------------------------------------- */

static void test_tag_udp(void **state)
{
	uint8_t b[PMTU_TAG_LEN + 4];
	struct pmtu_seen s;

	(void)state;
	pmtu_tag(b, 0x01020304u, 1400);
	memset(b + PMTU_TAG_LEN, 'x', 4);
	assert_true(pmtu_decode(PMTU_DATA_UDP, AF_INET, b, sizeof b, &s));
	assert_true(s.tagged);
	assert_int_equal(s.seq, 0x01020304u);
	assert_int_equal(s.size, 1400);
	assert_false(s.icmp);
	/* exactly the tag decodes; one byte less is untagged but well-formed */
	assert_true(pmtu_decode(PMTU_DATA_UDP, AF_INET, b, PMTU_TAG_LEN, &s));
	assert_true(s.tagged);
	assert_true(pmtu_decode(PMTU_DATA_UDP, AF_INET, b, PMTU_TAG_LEN - 1, &s));
	assert_false(s.tagged);
	assert_true(pmtu_decode(PMTU_DATA_UDP, AF_INET, b, 0, &s));
	/* a size that disagrees with its complement is not ours */
	b[11] ^= 1;
	assert_true(pmtu_decode(PMTU_DATA_UDP, AF_INET, b, sizeof b, &s));
	assert_false(s.tagged);
}

static void test_decode_icmp_and_ip4(void **state)
{
	uint8_t pkt[20 + 8 + PMTU_TAG_LEN] = {
		0x45, 0, 0, sizeof pkt, 0, 0, 0x40, 0, 64, IPPROTO_ICMP, 0, 0,
		198, 51, 100, 10, 192, 0, 2, 2,
		0 /* echo reply */, 0, 0, 0, 0x12, 0x34, 0x00, 0x07,
	};
	struct pmtu_seen s;

	(void)state;
	pmtu_tag(pkt + 28, 7, 1401);
	assert_true(pmtu_decode(PMTU_DATA_IP4, AF_INET, pkt, sizeof pkt, &s));
	assert_true(s.icmp && s.tagged && s.have_src);
	assert_int_equal(s.icmp_type, 0);
	assert_int_equal(s.ident, 0x1234);
	assert_int_equal(s.echo_seq, 7);
	assert_int_equal(s.size, 1401);
	assert_int_equal(s.src.b[0], 198);
	assert_int_equal(s.src.b[3], 10);
	/* the same without the IP header */
	assert_true(pmtu_decode(PMTU_DATA_ICMP, AF_INET6, pkt + 20, sizeof pkt - 20, &s));
	assert_true(s.tagged && !s.have_src);
	/* an ICMP header cut short fails */
	assert_false(pmtu_decode(PMTU_DATA_ICMP, AF_INET, pkt + 20, 7, &s));
	/* IPv4 header: too short, wrong version, IHL below 5, not ICMP, total below IHL */
	assert_false(pmtu_decode(PMTU_DATA_IP4, AF_INET, pkt, 19, &s));
	assert_false(pmtu_decode(PMTU_DATA_IP4, AF_INET6, pkt, sizeof pkt, &s));
	pkt[0] = 0x65;
	assert_false(pmtu_decode(PMTU_DATA_IP4, AF_INET, pkt, sizeof pkt, &s));
	pkt[0] = 0x44;
	assert_false(pmtu_decode(PMTU_DATA_IP4, AF_INET, pkt, sizeof pkt, &s));
	pkt[0] = 0x45;
	pkt[9] = IPPROTO_UDP;
	assert_false(pmtu_decode(PMTU_DATA_IP4, AF_INET, pkt, sizeof pkt, &s));
	pkt[9] = IPPROTO_ICMP;
	pkt[3] = 19;
	assert_false(pmtu_decode(PMTU_DATA_IP4, AF_INET, pkt, sizeof pkt, &s));
	/* total length shorter than the read: the tag past it is not looked at */
	pkt[3] = 28 + 4;
	assert_true(pmtu_decode(PMTU_DATA_IP4, AF_INET, pkt, sizeof pkt, &s));
	assert_false(s.tagged);
	/* IHL 6 with the option word missing */
	pkt[0] = 0x46;
	pkt[3] = sizeof pkt;
	assert_true(pmtu_decode(PMTU_DATA_IP4, AF_INET, pkt, sizeof pkt, &s));
	assert_false(pmtu_decode(PMTU_DATA_IP4, AF_INET, pkt, 24 + 7, &s));
}

static void test_bad_targets(void **state)
{
	struct pmtu_opts o;
	struct pmtu_result r;
	struct diag_error err = {0};

	(void)state;
	memset(&o, 0, sizeof o);
	assert_int_equal(pmtu_run(&o, &r, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_USAGE);
	diag_error_clear(&err);
	o.target.family = AF_INET6;
	o.max_size = 1000; /* below IPv6's 1280 */
	assert_int_equal(pmtu_run(&o, &r, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_USAGE);
	assert_int_equal(pmtu_overhead(AF_INET), 28);
	assert_int_equal(pmtu_overhead(AF_INET6), 48);
}

static double ev_num(const struct finding *f, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(f->evidence, key);

	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static const struct finding *find(const struct report *r, const char *subject)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->findings[i].subject, subject))
			return &r->findings[i];
	fail_msg("no finding about %s", subject);
	return NULL;
}

static void test_check_loopback(void **state)
{
	struct check_ctx ctx;
	struct report rep;
	const struct finding *f;

	(void)state;
	memset(&ctx, 0, sizeof ctx);
	ctx.mtu.target = "127.0.0.1";
	ctx.mtu.method = PMTU_UDP;
	ctx.mtu.wait_ms = 200;
	ctx.mtu.encryption = "AES256-GCM-16";
	ctx.mtu.nat_t = AWS_NATT_ON;
	report_init(&rep, "test", "0");
	assert_int_equal(check_tunnel_mtu.run(&ctx, &rep), 0);
	assert_int_equal(rep.n, 2);
	f = find(&rep, "127.0.0.1");
	assert_string_equal(f->check, "tunnel.mtu");
	assert_int_equal(f->status, DIAG_PASS);
	assert_true(ev_num(f, "path_mtu") == 1500); /* loopback: above the largest size */
	f = find(&rep, "TCP MSS");
	assert_int_equal(f->status, DIAG_PASS);
	assert_true(ev_num(f, "mss_ipv4") == 1398); /* GCM with NAT-T: 1438 - 40 */
	assert_true(ev_num(f, "mss_ipv6") == 1378);
	assert_non_null(f->ref);
	report_free(&rep);

	/* the path below the table: the clamp follows the path */
	ctx.mtu.max_size = 1300;
	report_init(&rep, "test", "0");
	assert_int_equal(check_tunnel_mtu.run(&ctx, &rep), 0);
	f = find(&rep, "TCP MSS");
	assert_true(ev_num(f, "mss_ipv4") == 1398); /* at least 1300 proves nothing below */
	report_free(&rep);

	/* no target: skip, with what would enable it */
	memset(&ctx, 0, sizeof ctx);
	report_init(&rep, "test", "0");
	assert_int_equal(check_tunnel_mtu.run(&ctx, &rep), 0);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.findings[0].status, DIAG_SKIP);
	assert_non_null(rep.findings[0].fix);
	report_free(&rep);

	/* a name AWS does not offer: an error finding, nothing sent */
	ctx.mtu.target = "127.0.0.1";
	ctx.mtu.encryption = "3DES";
	report_init(&rep, "test", "0");
	assert_int_equal(check_tunnel_mtu.run(&ctx, &rep), -1);
	assert_int_equal(rep.findings[0].status, DIAG_ERROR);
	assert_non_null(strstr(rep.findings[0].summary, "3DES"));
	report_free(&rep);

	/* not an address */
	ctx.mtu.encryption = NULL;
	ctx.mtu.target = "vpn.example";
	report_init(&rep, "test", "0");
	assert_int_equal(check_tunnel_mtu.run(&ctx, &rep), -1);
	assert_int_equal(rep.findings[0].status, DIAG_ERROR);
	report_free(&rep);
	assert_non_null(check_find("tunnel.mtu"));
}

static const char *ev_str(const struct finding *f, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(f->evidence, key);

	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

/* Runs the check on loopback with the model and returns the clamp's MSS and row. */
static int clamp_with(const struct aws_model *m, enum aws_natt natt, const char *from_prefix,
		      int *table_mtu)
{
	struct check_ctx ctx;
	struct report rep;
	const struct finding *f;
	int mss;

	memset(&ctx, 0, sizeof ctx);
	ctx.aws = m;
	ctx.mtu.target = "127.0.0.1";
	ctx.mtu.method = PMTU_UDP;
	ctx.mtu.wait_ms = 200;
	ctx.mtu.nat_t = natt;
	report_init(&rep, "test", "0");
	assert_int_equal(mtu_check_run(&ctx, &rep), 0);
	f = find(&rep, "TCP MSS");
	mss = (int)ev_num(f, "mss_ipv4");
	*table_mtu = (int)ev_num(f, "aws_table_mtu");
	if (strncmp(ev_str(f, "algorithms_from"), from_prefix, strlen(from_prefix)) != 0)
		fail_msg("algorithms_from is %s", ev_str(f, "algorithms_from"));
	report_free(&rep);
	return mss;
}

/* The algorithms from the AWS evidence: negotiated first, else the tunnel options. */
static void test_check_aws_evidence(void **state)
{
	static const char options[] =
		"{\"VpnConnections\": [{\"VpnConnectionId\": \"vpn-1\", \"Options\": "
		"{\"TunnelOptions\": [{\"OutsideIpAddress\": \"203.0.113.1\", "
		"\"Phase2EncryptionAlgorithms\": [{\"Value\": \"AES128\"}, "
		"{\"Value\": \"AES256-GCM-16\"}], "
		"\"Phase2IntegrityAlgorithms\": [{\"Value\": \"SHA1\"}, "
		"{\"Value\": \"SHA2-512\"}]}]}}]}";
	struct aws_model m;
	struct diag_error err = {0};
	int table;

	(void)state;
	aws_model_init(&m, (size_t)1 << 24);
	if (aws_load_dir(&m, "testdata/aws/basic", &err) < 0)
		fail_msg("testdata/aws/basic: %s", err.what);
	/* negotiated AES256-GCM-16: 1446 without NAT-T, 1438 when NAT-T is unknown */
	assert_int_equal(clamp_with(&m, AWS_NATT_OFF, "negotiated", &table), 1406);
	assert_int_equal(table, 1446);
	assert_int_equal(clamp_with(&m, AWS_NATT_UNKNOWN, "negotiated", &table), 1398);
	assert_int_equal(table, 1438);
	aws_model_free(&m);

	/* configured lists only: the worst pair is AES128 with SHA2-512 */
	aws_model_init(&m, (size_t)1 << 24);
	if (aws_load_json(&m, options, sizeof options - 1, "options", &err) < 0)
		fail_msg("options: %s", err.what);
	assert_int_equal(clamp_with(&m, AWS_NATT_OFF, "the worst case of the tunnel", &table),
			 1382);
	assert_int_equal(table, 1422);
	assert_int_equal(clamp_with(&m, AWS_NATT_ON, "the worst case of the tunnel", &table),
			 1366);
	aws_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_match_page),
		cmocka_unit_test(test_mss_arithmetic),
		cmocka_unit_test(test_worst_case),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_tag_udp),
		cmocka_unit_test(test_decode_icmp_and_ip4),
		cmocka_unit_test(test_bad_targets),
		cmocka_unit_test(test_check_loopback),
		cmocka_unit_test(test_check_aws_evidence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
