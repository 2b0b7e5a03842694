/* The two configurations AWS generates, read as device configurations: the Generic text
 * (devconf_aws_generic.c) and the CustomerGatewayConfiguration XML (devconf_aws_xml.c).
 * Fixtures under testdata/devconf/aws/ (written from AWS's documented layout, with
 * documentation addresses and made-up keys), dumps compared with
 * testdata/golden/devconf/aws/, the XML of the batfish sample connection
 * (../shared/samples/batfish, skipped when absent), detection, and bad input with its
 * exact file:line error. No pre-shared key may reach a dump or an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "libdiag/devconf/devconf.h"
#include "testutil.h"

#define FIX "testdata/devconf/aws/"
#define GOLD "testdata/golden/devconf/aws/"
#define SAMPLE_VPN "../shared/samples/batfish/representation/aws/test-vpn-gateway/aws_configs/" \
		   "VpnConnections.json"

/* Parses a fixture with format (DEVCONF_UNKNOWN: detected) and compares the dump with its
 * golden file; keys must not appear in it. */
static void dump_case(const char *name, enum devconf_format format, enum devconf_format want,
		      const char *golden, const char *const *secrets)
{
	char path[256], *text, *dump;
	struct devconf_model m;
	struct diag_error err = {0};
	size_t len;

	snprintf(path, sizeof path, FIX "%s", name);
	text = must_read_file(path, &len);
	if (devconf_parse(text, len, format, path, &m, &err) != 0) {
		char buf[512];

		fail_msg("%s: %s", path, diag_error_text(&err, buf, sizeof buf));
	}
	assert_int_equal(m.format, want);
	dump = devconf_dump(&m);
	assert_non_null(dump);
	for (size_t i = 0; secrets && secrets[i]; i++)
		assert_null(strstr(dump, secrets[i]));
	check_golden(GOLD, golden, dump);
	free(dump);
	devconf_free(&m);
	free(text);
}

static void test_generic_static(void **state)
{
	static const char *const keys[] = {"Fixture.Key_number1_for_tests", NULL};

	(void)state;
	dump_case("generic-static.txt", DEVCONF_UNKNOWN, DEVCONF_AWS_GENERIC,
		  "generic-static.dump", keys);
	dump_case("generic-static.txt", DEVCONF_AWS_GENERIC, DEVCONF_AWS_GENERIC,
		  "generic-static.dump", keys);
}

static void test_generic_ikev2(void **state)
{
	static const char *const keys[] = {"0short-key", NULL};

	(void)state;
	dump_case("generic-ikev2-bgp.txt", DEVCONF_UNKNOWN, DEVCONF_AWS_GENERIC,
		  "generic-ikev2-bgp.dump", keys);
}

static void test_xml_fixture(void **state)
{
	static const char *const keys[] = {"Fixture.Key_number3_for_tests", "0bad key!", NULL};

	(void)state;
	dump_case("cgw-two-tunnels.xml", DEVCONF_UNKNOWN, DEVCONF_AWS_XML,
		  "cgw-two-tunnels.dump", keys);
}

/* The XML inside the sample VpnConnections.json: two IKEv1 tunnels to the VGW's two
 * outside addresses, AES128 / SHA1 / group 2, as the document says. */
static void test_xml_sample(void **state)
{
	char *json, *dump, key[64];
	const cJSON *vc, *x;
	cJSON *root;
	struct devconf_model m;
	struct diag_error err = {0};
	size_t len;
	const char *p;

	(void)state;
	if (!(json = read_file(SAMPLE_VPN, &len))) {
		print_message("skipped: %s absent\n", SAMPLE_VPN);
		skip();
	}
	root = cJSON_Parse(json);
	assert_non_null(root);
	vc = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "VpnConnections"), 0);
	x = cJSON_GetObjectItem(vc, "CustomerGatewayConfiguration");
	assert_true(cJSON_IsString(x));
	assert_int_equal(devconf_parse(x->valuestring, strlen(x->valuestring), DEVCONF_UNKNOWN,
				       "sample.xml", &m, &err), 0);
	assert_int_equal(m.format, DEVCONF_AWS_XML);
	assert_int_equal(m.npeers, 2);
	assert_string_equal(m.peers[0].remote_addr, "3.130.237.53");
	assert_string_equal(m.peers[1].remote_addr, "18.217.248.9");
	assert_string_equal(m.peers[0].local_addr, "1.1.1.2");
	assert_true(m.peers[0].psk_set);
	assert_false(m.peers[0].psk_weak);
	dump = devconf_dump(&m);
	assert_non_null(dump);
	assert_non_null(strstr(dump, "ike[0] aes128-sha1-prfsha1-modp1024"));
	assert_non_null(strstr(dump, "esp[0] aes128-sha1-modp1024"));
	/* the keys of the document never reach the dump */
	for (p = x->valuestring; (p = strstr(p, "<pre_shared_key>")) != NULL;) {
		p += strlen("<pre_shared_key>");
		snprintf(key, sizeof key, "%.*s", (int)strcspn(p, "<"), p);
		assert_null(strstr(dump, key));
	}
	free(dump);
	devconf_free(&m);
	cJSON_Delete(root);
	free(json);
}

static void error_case(const char *name, enum devconf_format format, const char *want)
{
	char path[256], *text, buf[512];
	struct devconf_model m;
	struct diag_error err = {0};
	size_t len;

	snprintf(path, sizeof path, FIX "%s", name);
	text = must_read_file(path, &len);
	assert_int_equal(devconf_parse(text, len, format, path, &m, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	assert_string_equal(diag_error_text(&err, buf, sizeof buf), want);
	devconf_free(&m);
	free(text);
}

static void test_errors(void **state)
{
	(void)state;
	error_case("generic-bad-lifetime.txt", DEVCONF_UNKNOWN,
		   FIX "generic-bad-lifetime.txt:7: Lifetime: not a number of seconds");
	error_case("generic-bad-group.txt", DEVCONF_UNKNOWN,
		   FIX "generic-bad-group.txt:5: Diffie-Hellman: not a Diffie-Hellman group "
		   "(Group N)");
	error_case("generic-no-tunnel.txt", DEVCONF_AWS_GENERIC,
		   FIX "generic-no-tunnel.txt: no \"IPSec Tunnel #N\" section: not an AWS "
		   "Generic configuration");
	error_case("cgw-bad-lifetime.xml", DEVCONF_UNKNOWN,
		   FIX "cgw-bad-lifetime.xml:5: vpn_connection/ipsec_tunnel[1]/ike/lifetime: "
		   "not a number");
	error_case("cgw-malformed.xml", DEVCONF_UNKNOWN,
		   FIX "cgw-malformed.xml:5:5: XML error: mismatched tag");
	error_case("cgw-no-tunnel.xml", DEVCONF_UNKNOWN,
		   FIX "cgw-no-tunnel.xml:1: no <ipsec_tunnel> in the "
		   "CustomerGatewayConfiguration");
	/* a Generic-looking text named as XML is an XML error, not a crash */
	error_case("generic-static.txt", DEVCONF_AWS_XML,
		   FIX "generic-static.txt:1:1: XML error: syntax error");
}

/* Bad keys are judged while parsing: each of AWS's rules broken once. */
static void test_psk_rules(void **state)
{
	static const struct {
		const char *key;
		bool weak;
	} cases[] = {
		{"abcdefgh", false}, {"abc.def_GH12", false}, {"abcdefg", true},
		{"0abcdefgh", true}, {"abcd-efgh", true}, {"abcd efgh", true},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true},
		{"[ hidden ]", false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char text[512];
		struct devconf_model m;
		struct diag_error err = {0};

		snprintf(text, sizeof text, "Amazon Web Services\nIPSec Tunnel #1\n#1: Internet "
			 "Key Exchange Configuration\n  - Authentication Method : Pre-Shared "
			 "Key\n  - Pre-Shared Key : %s\n", cases[i].key);
		assert_int_equal(devconf_parse(text, strlen(text), DEVCONF_UNKNOWN, "t", &m, &err),
				 0);
		assert_int_equal(m.npeers, 1);
		assert_true(m.peers[0].psk_set);
		if (m.peers[0].psk_weak != cases[i].weak)
			fail_msg("case %zu: weak %d, want %d", i, m.peers[0].psk_weak,
				 cases[i].weak);
		devconf_free(&m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generic_static),
		cmocka_unit_test(test_generic_ikev2),
		cmocka_unit_test(test_xml_fixture),
		cmocka_unit_test(test_xml_sample),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_psk_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
