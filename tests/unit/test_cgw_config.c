/* aws_cgw_config_parse: every CustomerGatewayConfiguration in the batfish samples
 * (../shared/samples/batfish, read at run time; skipped when absent), the project's own
 * fixture testdata/aws-xml/cgw-config-static.xml, and errors that name an element path.
 *
 * Pre-shared keys are compared in memory with strcmp, never with assert_string_equal,
 * which would print them on a failure. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "libdiag/aws/cgw_config.h"
#include "testutil.h"

#define BATFISH "../shared/samples/batfish"

static bool secret_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The n-th (0-based) text of <tag>...</tag> in doc, found by plain string search, so the
 * expectation does not come from the parser under test. Returns a malloc'd copy. */
static char *nth_text(const char *doc, const char *tag, size_t n)
{
	char open[64], close[64];
	const char *p = doc, *e;
	char *s;

	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	for (size_t i = 0;; i++) {
		p = strstr(p, open);
		if (!p)
			return NULL;
		p += strlen(open);
		if (i == n)
			break;
	}
	e = strstr(p, close);
	assert_non_null(e);
	s = strndup(p, (size_t)(e - p));
	assert_non_null(s);
	return s;
}

static size_t count_of(const char *doc, const char *needle)
{
	size_t n = 0;

	for (const char *p = doc; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* ---- the batfish samples ----------------------------------------------------------- */

struct known_tunnel {
	const char *cgw_out, *vgw_out, *cgw_in, *vgw_in;
};

struct known_vpn {
	const char *id, *cgw_id, *vgw_id;
	long cgw_asn, vgw_asn;
	struct known_tunnel t[2];
	int seen;
};

/* Read off the sample documents by eye, as a second opinion on the parser. */
static struct known_vpn known[] = {
	{"vpn-ba2e34a8", "cgw-fb76ace5", "vgw-81fd279f", 65301, 65401,
	 {{"147.75.69.27", "52.27.166.152", "169.254.15.194", "169.254.15.193"},
	  {"147.75.69.27", "52.39.121.126", "169.254.13.238", "169.254.13.237"}}, 0},
	{"vpn-03701a53bba3c48b7", "cgw-07affe708bb0e5fb6", "vgw-0c09bd7fadac961bf", 65000, 64512,
	 {{"1.1.1.2", "3.130.237.53", "169.254.59.18", "169.254.59.17"},
	  {"1.1.1.2", "18.217.248.9", "169.254.58.198", "169.254.58.197"}}, 0},
};

struct sample_run {
	size_t files, configs;
};

static struct sample_run run;

/* The values every sample carries (AWS's generic defaults of the time). */
static void check_sample_defaults(const struct aws_cgw_tunnel *t)
{
	assert_string_equal(t->ike_authentication, "sha1");
	assert_string_equal(t->ike_encryption, "aes-128-cbc");
	assert_int_equal(t->ike_lifetime_s, 28800);
	assert_int_equal(t->ike_dh_group, 2);
	assert_string_equal(t->ike_mode, "main");
	assert_string_equal(t->ipsec_protocol, "esp");
	assert_string_equal(t->ipsec_authentication, "hmac-sha1-96");
	assert_string_equal(t->ipsec_encryption, "aes-128-cbc");
	assert_int_equal(t->ipsec_lifetime_s, 3600);
	assert_int_equal(t->ipsec_pfs_group, 2);
	assert_string_equal(t->ipsec_mode, "tunnel");
	assert_int_equal(t->clear_df_bit, 1);
	assert_string_equal(t->fragmentation_before_encryption, "true");
	assert_int_equal(t->tcp_mss_adjustment, 1379);
	assert_int_equal(t->dpd_delay_s, 10);
	assert_int_equal(t->dpd_retries, 3);
	assert_int_equal(t->inside_prefix_len, 30);
	assert_int_equal(t->bgp_hold_time, 30);
}

/* Tunnel options and telemetry of the same VPN connection, matched by outside address. */
static void check_against_json(const cJSON *vpn, const struct aws_cgw_config *cfg)
{
	const cJSON *opts = cJSON_GetObjectItem(cJSON_GetObjectItem(vpn, "Options"),
						"TunnelOptions");
	const cJSON *tel = cJSON_GetObjectItem(vpn, "VgwTelemetry"), *e;

	cJSON_ArrayForEach(e, tel) {
		const char *ip = cJSON_GetStringValue(cJSON_GetObjectItem(e, "OutsideIpAddress"));
		bool found = false;

		for (size_t i = 0; i < cfg->n_tunnels; i++)
			found |= ip && strcmp(cfg->tunnels[i].vgw_outside_ip, ip) == 0;
		if (!found)
			fail_msg("%s: telemetry address %s is no tunnel's", cfg->vpn_connection_id,
				 ip);
	}
	cJSON_ArrayForEach(e, opts) {
		const char *ip = cJSON_GetStringValue(cJSON_GetObjectItem(e, "OutsideIpAddress"));
		const char *psk = cJSON_GetStringValue(cJSON_GetObjectItem(e, "PreSharedKey"));
		const char *cidr = cJSON_GetStringValue(cJSON_GetObjectItem(e, "TunnelInsideCidr"));
		const struct aws_cgw_tunnel *t = NULL;
		char want[64];

		for (size_t i = 0; i < cfg->n_tunnels; i++)
			if (ip && strcmp(cfg->tunnels[i].vgw_outside_ip, ip) == 0)
				t = &cfg->tunnels[i];
		assert_non_null(t);
		if (psk && !secret_eq(t->pre_shared_key, psk))
			fail_msg("%s: the pre-shared key of tunnel %s differs from TunnelOptions",
				 cfg->vpn_connection_id, ip);
		if (cidr) {
			snprintf(want, sizeof want, "%s/%ld", t->vgw_inside_ip,
				 t->inside_prefix_len);
			assert_string_equal(want, cidr);
		}
	}
}

static void check_sample(const char *file, const cJSON *vpn, const char *xml)
{
	struct arena a;
	struct aws_cgw_config *cfg = NULL;
	struct diag_error err = {0};
	struct known_vpn *k = NULL;
	char msg[512];

	arena_init(&a, 0);
	if (aws_cgw_config_parse(&a, xml, strlen(xml), &cfg, &err) < 0)
		fail_msg("%s: %s", file, diag_error_text(&err, msg, sizeof msg));
	assert_non_null(cfg);
	run.configs++;
	assert_int_equal(cfg->n_tunnels, count_of(xml, "<ipsec_tunnel>"));
	assert_string_equal(cfg->vpn_connection_type, "ipsec.1");
	for (size_t i = 0; i < cfg->n_tunnels; i++) {
		char *psk = nth_text(xml, "pre_shared_key", i);

		if (!secret_eq(cfg->tunnels[i].pre_shared_key, psk))
			fail_msg("%s: tunnel %zu: pre-shared key differs", file, i + 1);
		free(psk);
		check_sample_defaults(&cfg->tunnels[i]);
	}
	check_against_json(vpn, cfg);
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(known[i].id, cfg->vpn_connection_id) == 0)
			k = &known[i];
	if (!k)
		fail_msg("%s: %s is not in the table of known samples", file,
			 cfg->vpn_connection_id);
	k->seen++;
	assert_string_equal(cfg->customer_gateway_id, k->cgw_id);
	assert_string_equal(cfg->vpn_gateway_id, k->vgw_id);
	assert_int_equal(cfg->n_tunnels, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct aws_cgw_tunnel *t = &cfg->tunnels[i];

		assert_string_equal(t->cgw_outside_ip, k->t[i].cgw_out);
		assert_string_equal(t->vgw_outside_ip, k->t[i].vgw_out);
		assert_string_equal(t->cgw_inside_ip, k->t[i].cgw_in);
		assert_string_equal(t->vgw_inside_ip, k->t[i].vgw_in);
		assert_int_equal(t->cgw_bgp_asn, k->cgw_asn);
		assert_int_equal(t->vgw_bgp_asn, k->vgw_asn);
	}
	arena_free(&a);
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t n = strlen(path), len;
	char *buf;
	cJSON *doc;
	const cJSON *vpn;

	(void)st;
	(void)ftw;
	if (type != FTW_F || n < 5 || strcmp(path + n - 5, ".json") != 0)
		return 0;
	buf = must_read_file(path, &len);
	doc = cJSON_ParseWithLength(buf, len);
	free(buf);
	if (!doc)
		return 0;
	cJSON_ArrayForEach(vpn, cJSON_GetObjectItem(doc, "VpnConnections")) {
		const char *xml = cJSON_GetStringValue(
			cJSON_GetObjectItem(vpn, "CustomerGatewayConfiguration"));

		if (xml)
			check_sample(path, vpn, xml);
	}
	run.files++;
	cJSON_Delete(doc);
	return 0;
}

static void test_batfish_samples(void **state)
{
	struct stat st;

	(void)state;
	if (stat(BATFISH, &st) < 0) {
		print_message("skipping: %s is absent (CI keeps shared/ next to the project)\n",
			      BATFISH);
		skip();
	}
	assert_int_equal(nftw(BATFISH, visit, 16, FTW_PHYS), 0);
	print_message("batfish: %zu JSON files, %zu CustomerGatewayConfiguration documents\n",
		      run.files, run.configs);
	/* VpnConnectionTest.json (twice), VpnConnectionWithTunnelOptions.json, and
	 * test-vpn-gateway/aws_configs/VpnConnections.json */
	assert_true(run.configs >= 4);
	assert_int_equal(known[0].seen, 3);
	assert_int_equal(known[1].seen, 1);
}

/* ---- the project's fixture --------------------------------------------------------- */

static void test_static_fixture(void **state)
{
	size_t len;
	char *xml = must_read_file("testdata/aws-xml/cgw-config-static.xml", &len);
	struct arena a;
	struct aws_cgw_config *cfg = NULL;
	struct diag_error err = {0};
	const struct aws_cgw_tunnel *t;
	char msg[256];

	(void)state;
	arena_init(&a, 0);
	if (aws_cgw_config_parse(&a, xml, len, &cfg, &err) < 0)
		fail_msg("%s", diag_error_text(&err, msg, sizeof msg));
	assert_string_equal(cfg->vpn_connection_id, "vpn-0fixture0static01");
	assert_string_equal(cfg->customer_gateway_id, "cgw-0fixture0static01");
	assert_string_equal(cfg->vpn_gateway_id, "vgw-0fixture0static01");
	assert_string_equal(cfg->vpn_connection_type, "ipsec.1");
	assert_int_equal(cfg->n_tunnels, 2);

	t = &cfg->tunnels[0];
	assert_string_equal(t->cgw_outside_ip, "198.51.100.7");
	assert_string_equal(t->vgw_outside_ip, "203.0.113.10");
	assert_string_equal(t->cgw_inside_ip, "169.254.44.90");
	assert_string_equal(t->vgw_inside_ip, "169.254.44.89");
	assert_int_equal(t->inside_prefix_len, 30);
	assert_string_equal(t->ike_authentication, "sha2-256");
	assert_string_equal(t->ike_encryption, "aes-256-cbc");
	assert_int_equal(t->ike_lifetime_s, 14400);
	assert_int_equal(t->ike_dh_group, 14);
	assert_string_equal(t->ike_mode, "main");
	assert_true(secret_eq(t->pre_shared_key, "Fixture.Psk_tunnel1.abcdefgh"));
	assert_string_equal(t->ipsec_authentication, "hmac-sha256-128");
	assert_int_equal(t->ipsec_lifetime_s, 1800);
	assert_int_equal(t->ipsec_pfs_group, 14);
	assert_int_equal(t->clear_df_bit, 0);
	assert_int_equal(t->tcp_mss_adjustment, 1387);
	assert_int_equal(t->dpd_delay_s, 10);
	assert_int_equal(t->dpd_retries, 3);
	/* static routing: no <bgp> on either side */
	assert_int_equal(t->cgw_bgp_asn, AWS_ABSENT);
	assert_int_equal(t->vgw_bgp_asn, AWS_ABSENT);
	assert_int_equal(t->bgp_hold_time, AWS_ABSENT);

	t = &cfg->tunnels[1];
	assert_string_equal(t->vgw_outside_ip, "203.0.113.20");
	assert_string_equal(t->cgw_inside_ip, "169.254.45.102");
	assert_int_equal(t->ike_lifetime_s, 28800);
	assert_int_equal(t->ike_dh_group, 2);
	assert_true(secret_eq(t->pre_shared_key, "Fixture_psk.tunnel2_ijklmnop"));
	assert_int_equal(t->ipsec_lifetime_s, 3600);
	assert_int_equal(t->clear_df_bit, 1);
	arena_free(&a);
	free(xml);
}

/* ---- small documents --------------------------------------------------------------- */

/* A one-tunnel document with `ike` as the <ike> body and `extra` inside <ipsec>. */
static char *doc_with(const char *ike, const char *extra)
{
	char *s;

	assert_true(asprintf(&s,
			     "<vpn_connection id=\"vpn-1\"><ipsec_tunnel>"
			     "<customer_gateway><tunnel_outside_address><ip_address>192.0.2.1"
			     "</ip_address></tunnel_outside_address></customer_gateway>"
			     "<ike>%s</ike><ipsec><protocol>esp</protocol>%s</ipsec>"
			     "</ipsec_tunnel></vpn_connection>",
			     ike, extra) > 0);
	return s;
}

static void test_minimal_and_absent(void **state)
{
	static const char *const empties[] = {
		"<vpn_connection/>",
		"<vpn_connection id=\"vpn-9\"/>",
		"<vpn_connection>\n</vpn_connection>",
		"<vpn_connection><ipsec_tunnel/></vpn_connection>",
	};
	char *doc = doc_with("<lifetime/><mode></mode>", "");
	struct arena a;
	struct aws_cgw_config *cfg = NULL;
	struct diag_error err = {0};
	const struct aws_cgw_tunnel *t;

	(void)state;
	arena_init(&a, 0);
	for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++) {
		cfg = NULL;
		size_t n = strlen(empties[i]);

		assert_int_equal(aws_cgw_config_parse(&a, empties[i], n, &cfg, &err), 0);
		assert_non_null(cfg);
		assert_int_equal(cfg->n_tunnels, 0);
		assert_null(cfg->customer_gateway_id);
	}
	assert_null(cfg->vpn_connection_id);
	assert_int_equal(aws_cgw_config_parse(&a, doc, strlen(doc), &cfg, &err), 0);
	assert_int_equal(cfg->n_tunnels, 1);
	t = &cfg->tunnels[0];
	assert_string_equal(t->cgw_outside_ip, "192.0.2.1");
	assert_null(t->vgw_outside_ip);
	assert_null(t->pre_shared_key);
	assert_null(t->ike_mode);
	assert_int_equal(t->ike_lifetime_s, AWS_ABSENT);
	assert_int_equal(t->ike_dh_group, AWS_ABSENT);
	assert_int_equal(t->inside_prefix_len, AWS_ABSENT);
	assert_int_equal(t->dpd_delay_s, AWS_ABSENT);
	assert_int_equal(t->clear_df_bit, AWS_ABSENT);
	assert_int_equal(t->cgw_bgp_asn, AWS_ABSENT);
	assert_string_equal(t->ipsec_protocol, "esp");
	arena_free(&a);
	free(doc);
}

/* <delay> is read like AWS's <interval>; entities decode inside a key. */
static void test_delay_and_entities(void **state)
{
	char *doc = doc_with("<pre_shared_key>a&amp;b&lt;c</pre_shared_key>",
			     "<dead_peer_detection><delay>15</delay><retries>5</retries>"
			     "</dead_peer_detection>");
	struct arena a;
	struct aws_cgw_config *cfg = NULL;
	struct diag_error err = {0};

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(aws_cgw_config_parse(&a, doc, strlen(doc), &cfg, &err), 0);
	assert_int_equal(cfg->tunnels[0].dpd_delay_s, 15);
	assert_int_equal(cfg->tunnels[0].dpd_retries, 5);
	assert_true(secret_eq(cfg->tunnels[0].pre_shared_key, "a&b<c"));
	arena_free(&a);
	free(doc);
}

struct error_case {
	const char *ike, *ipsec;   /* bodies for doc_with, or ike = NULL and ipsec = a whole doc */
	const char *text;
};

#define T1 "vpn_connection/ipsec_tunnel[1]"

static const struct error_case error_cases[] = {
	{"<lifetime>abc</lifetime>", "", T1 "/ike/lifetime: not a number"},
	{"<lifetime>-5</lifetime>", "", T1 "/ike/lifetime: not a number"},
	{"<lifetime>+5</lifetime>", "", T1 "/ike/lifetime: not a number"},
	{"<lifetime>1e3</lifetime>", "", T1 "/ike/lifetime: not a number"},
	{"<lifetime>0x10</lifetime>", "", T1 "/ike/lifetime: not a number"},
	{"<lifetime>28 800</lifetime>", "", T1 "/ike/lifetime: not a number"},
	{"<lifetime>99999999999999999999</lifetime>", "", T1 "/ike/lifetime: out of range"},
	{"<lifetime>2147483648</lifetime>", "", T1 "/ike/lifetime: out of range"},
	{"<lifetime>1</lifetime><lifetime>2</lifetime>", "",
	 T1 "/ike/lifetime: appears more than once"},
	{"<perfect_forward_secrecy>2</perfect_forward_secrecy>", "",
	 T1 "/ike/perfect_forward_secrecy: not a Diffie-Hellman group (groupN)"},
	{"<perfect_forward_secrecy>group</perfect_forward_secrecy>", "",
	 T1 "/ike/perfect_forward_secrecy: not a Diffie-Hellman group (groupN)"},
	{"<perfect_forward_secrecy>groupX</perfect_forward_secrecy>", "",
	 T1 "/ike/perfect_forward_secrecy: not a Diffie-Hellman group (groupN)"},
	{"<pre_shared_key><k>Sup3rSecret.psk_value</k></pre_shared_key>", "",
	 T1 "/ike/pre_shared_key: expected text, found child elements or attributes"},
	{"<pre_shared_key x=\"Sup3rSecret.psk_value\">Sup3rSecret.psk_value</pre_shared_key>", "",
	 T1 "/ike/pre_shared_key: expected text, found child elements or attributes"},
	{"<pre_shared_key>Sup3rSecret.psk_value</pre_shared_key>"
	 "<pre_shared_key>Sup3rSecret.psk_value</pre_shared_key>",
	 "", T1 "/ike/pre_shared_key: appears more than once"},
	{"", "<clear_df_bit>yes</clear_df_bit>",
	 T1 "/ipsec/clear_df_bit: not a boolean (true or false)"},
	{"", "<tcp_mss_adjustment>70000</tcp_mss_adjustment>",
	 T1 "/ipsec/tcp_mss_adjustment: out of range"},
	{"", "<dead_peer_detection><interval>ten</interval></dead_peer_detection>",
	 T1 "/ipsec/dead_peer_detection/interval: not a number"},
	{"", "<dead_peer_detection>10</dead_peer_detection>",
	 T1 "/ipsec/dead_peer_detection: expected child elements, found text"},
	{NULL, "<vpn_connection><ipsec_tunnel><ike>text</ike></ipsec_tunnel></vpn_connection>",
	 T1 "/ike: expected child elements, found text"},
	{NULL, "<vpn_connection><ipsec_tunnel>x</ipsec_tunnel></vpn_connection>",
	 T1 ": expected child elements, found text"},
	{NULL,
	 "<vpn_connection><ipsec_tunnel/><ipsec_tunnel><ike><mode>a</mode><mode>b</mode></ike>"
	 "</ipsec_tunnel></vpn_connection>",
	 "vpn_connection/ipsec_tunnel[2]/ike/mode: appears more than once"},
	{NULL,
	 "<vpn_connection><ipsec_tunnel></ipsec_tunnel><ipsec_tunnel><ike><lifetime>1"
	 "</lifetime></ike></ipsec_tunnel><ipsec_tunnel><ike><lifetime>x</lifetime></ike>"
	 "</ipsec_tunnel></vpn_connection>",
	 "vpn_connection/ipsec_tunnel[3]/ike/lifetime: not a number"},
	{NULL,
	 "<vpn_connection><ipsec_tunnel><ike/></ipsec_tunnel><ipsec_tunnel><ike><lifetime>x"
	 "</lifetime></ike></ipsec_tunnel></vpn_connection>",
	 "vpn_connection/ipsec_tunnel[2]/ike/lifetime: not a number"},
	{NULL,
	 "<vpn_connection><ipsec_tunnel><customer_gateway><tunnel_inside_address>"
	 "<network_cidr>129</network_cidr></tunnel_inside_address></customer_gateway>"
	 "</ipsec_tunnel></vpn_connection>",
	 T1 "/customer_gateway/tunnel_inside_address/network_cidr: out of range"},
	{NULL,
	 "<vpn_connection><ipsec_tunnel><vpn_gateway><bgp><asn>4294967296</asn></bgp>"
	 "</vpn_gateway></ipsec_tunnel></vpn_connection>",
	 T1 "/vpn_gateway/bgp/asn: out of range"},
	{NULL,
	 "<vpn_connection><ipsec_tunnel><vpn_gateway><bgp><asn>4294967295</asn><asn>1</asn>"
	 "</bgp></vpn_gateway></ipsec_tunnel></vpn_connection>",
	 T1 "/vpn_gateway/bgp/asn: appears more than once"},
	{NULL, "<vpn_connection><customer_gateway_id><x/></customer_gateway_id></vpn_connection>",
	 "vpn_connection/customer_gateway_id: expected text, found child elements or attributes"},
	{NULL, "<vpn_connection>text</vpn_connection>",
	 "vpn_connection: expected child elements, found text"},
	{NULL, "<DescribeVpnConnectionsResponse/>",
	 "CustomerGatewayConfiguration: the root element is not vpn_connection"},
	{NULL, "<vpn_connection><ike><pre_shared_key>Sup3rSecret.psk_value</ike></vpn_connection>",
	 "CustomerGatewayConfiguration:1:61: XML error: mismatched tag"},
	{NULL, "<!DOCTYPE vpn_connection><vpn_connection/>",
	 "CustomerGatewayConfiguration:1:25: XML error: document type declarations (DOCTYPE) "
	 "are not allowed"},
	{NULL, "", "CustomerGatewayConfiguration:1:1: XML error: no element found"},
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
		const struct error_case *c = &error_cases[i];
		char *doc = c->ike ? doc_with(c->ike, c->ipsec) : strdup(c->ipsec);
		struct aws_cgw_config *cfg = (struct aws_cgw_config *)&cfg;
		struct aws_cgw_config *before = cfg;
		struct diag_error err = {0};
		struct arena a;
		char msg[512];

		arena_init(&a, 0);
		if (aws_cgw_config_parse(&a, doc, strlen(doc), &cfg, &err) != -1)
			fail_msg("case %zu parsed: %s", i, doc);
		assert_ptr_equal(cfg, before);
		assert_int_equal(err.code, DIAG_EXIT_DATAERR);
		diag_error_text(&err, msg, sizeof msg);
		assert_null(strstr(msg, "Sup3rSecret"));
		if (strcmp(msg, c->text) != 0)
			fail_msg("case %zu: %s\n  got  %s\n  want %s", i, doc, msg, c->text);
		arena_free(&a);
		free(doc);
	}
}

/* An arena past its limit is an internal error, not a data error. */
static void test_out_of_memory(void **state)
{
	size_t len;
	char *xml = must_read_file("testdata/aws-xml/cgw-config-static.xml", &len);
	struct aws_cgw_config *cfg = NULL;
	struct diag_error err = {0};
	struct arena a;

	(void)state;
	arena_init(&a, 64);
	assert_int_equal(aws_cgw_config_parse(&a, xml, len, &cfg, &err), -1);
	assert_null(cfg);
	assert_int_equal(err.code, DIAG_EXIT_SOFTWARE);
	assert_string_equal(err.what, "out of memory");
	arena_free(&a);
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batfish_samples),
		cmocka_unit_test(test_static_fixture),
		cmocka_unit_test(test_minimal_and_absent),
		cmocka_unit_test(test_delay_and_entities),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
