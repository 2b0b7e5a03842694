/* The Cisco ASA and IOS/IOS-XE parsers (devconf_asa.c, devconf_ios.c, devconf_cisco.c).
 * Fixtures under testdata/devconf/{asa,ios}/ were written from Cisco's configuration
 * guides with documentation addresses and made-up keys; their dumps are compared with
 * testdata/golden/devconf/{asa,ios}/ (UPDATE_GOLDEN=1 rewrites them; every golden was
 * read line by line against its fixture). Two real IOS files are read from
 * ../shared/samples/batfish when present (skipped with a message otherwise, never
 * copied): batfish's ios-crypto-ipsec-profile test configuration and the Cisco IOS
 * configuration AWS generated for vpn-03701a53bba3c48b7. Also: detection, bad input with
 * its exact "file:line: what" text, pre-shared keys never in any output, and inputs that
 * are not NUL-terminated. */
#include "tests/unit/testutil.h"

#include "libdiag/devconf/devconf.h"

#define FIX "testdata/devconf/"
#define GOLD "testdata/golden/devconf/"
#define BATFISH "../shared/samples/batfish/"
#define SAMPLE_IOS BATFISH "grammar/cisco/testconfigs/ios-crypto-ipsec-profile"
#define SAMPLE_AWS BATFISH "representation/aws/test-vpn-gateway/configs/vpn-03701a53bba3c48b7.txt"

/* Parses text (copied into a buffer of exactly len bytes, no NUL after it, so a read
 * past the end is a heap overflow under ASan) and returns the dump. */
static char *parse_dump(const char *text, size_t len, enum devconf_format f, const char *name,
			struct devconf_model *m)
{
	struct diag_error err = {0};
	char buf[600], *copy = malloc(len ? len : 1), *dump;

	assert_non_null(copy);
	memcpy(copy, text, len);
	if (devconf_parse(copy, len, f, name, m, &err) != 0)
		fail_msg("%s: %s", name, diag_error_text(&err, buf, sizeof buf));
	free(copy);
	dump = devconf_dump(m);
	assert_non_null(dump);
	return dump;
}

/* The error text devconf_parse gives for text (which must fail). */
static void expect_error(const char *text, enum devconf_format f, const char *want)
{
	struct devconf_model m;
	struct diag_error err = {0};
	char buf[600];
	size_t len = strlen(text);
	char *copy = malloc(len + 1);

	assert_non_null(copy);
	memcpy(copy, text, len);
	assert_int_equal(devconf_parse(copy, len, f, "t.cfg", &m, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	assert_string_equal(diag_error_text(&err, buf, sizeof buf), want);
	devconf_free(&m);
	free(copy);
}

/* Every "key"-like token of a fixture (the word after "pre-shared-key", "key", or
 * "pre-shared-key local|remote|0|6|7", the last word of ASA key lines) must not occur in
 * the dump. Found by plain text search so the check does not trust the parser. */
static void assert_no_keys(const char *text, const char *dump)
{
	static const char *const after[] = {"pre-shared-key ", " key ", "pre-shared-key 0 ",
					    "pre-shared-key local ", "pre-shared-key remote ",
					    "pre-shared-key 6 ", "crypto isakmp key "};

	for (size_t a = 0; a < sizeof after / sizeof after[0]; a++)
		for (const char *p = strstr(text, after[a]); p; p = strstr(p + 1, after[a])) {
			const char *k = p + strlen(after[a]);
			size_t n = strcspn(k, " \t\r\n");
			char word[128];

			if (n < 4 || n >= sizeof word)
				continue;
			memcpy(word, k, n);
			word[n] = '\0';
			if (strcmp(word, "address") == 0 || strcmp(word, "local") == 0 ||
			    strcmp(word, "remote") == 0 || strspn(word, "*") == n)
				continue;
			if (strstr(dump, word))
				fail_msg("a pre-shared key reached the dump");
		}
}

static void golden_case(const char *dialect, const char *name, enum devconf_format f)
{
	char in[256], out[128], gdir[128];
	struct devconf_model m;
	size_t len;
	char *text, *dump;

	snprintf(in, sizeof in, FIX "%s/%s.cfg", dialect, name);
	snprintf(out, sizeof out, "%s.txt", name);
	snprintf(gdir, sizeof gdir, GOLD "%s/", dialect);
	text = must_read_file(in, &len);
	dump = parse_dump(text, len, f, in, &m);
	check_golden(gdir, out, dump);
	assert_no_keys(text, dump);
	free(dump);
	devconf_free(&m);
	/* the same file, detected rather than named */
	dump = parse_dump(text, len, DEVCONF_UNKNOWN, in, &m);
	assert_int_equal(m.format, f);
	free(dump);
	devconf_free(&m);
	free(text);
}

static void test_asa_ikev1_cryptomap(void **state)
{
	(void)state;
	golden_case("asa", "ikev1-cryptomap", DEVCONF_CISCO_ASA);
}

static void test_asa_ikev2_cryptomap(void **state)
{
	(void)state;
	golden_case("asa", "ikev2-cryptomap", DEVCONF_CISCO_ASA);
}

static void test_asa_vti(void **state)
{
	(void)state;
	golden_case("asa", "vti", DEVCONF_CISCO_ASA);
}

static void test_ios_cryptomap(void **state)
{
	(void)state;
	golden_case("ios", "cryptomap", DEVCONF_CISCO_IOS);
}

static void test_ios_ikev2_vti(void **state)
{
	(void)state;
	golden_case("ios", "ikev2-vti", DEVCONF_CISCO_IOS);
}

/* A real file from ../shared/samples, read in place; skipped when absent. */
static void sample_case(const char *path, const char *golden)
{
	struct devconf_model m;
	size_t len;
	char *text = read_file(path, &len), *dump;

	if (!text) {
		print_message("skipped: %s is absent (../shared/samples not next to the "
			      "project)\n", path);
		skip();
	}
	dump = parse_dump(text, len, DEVCONF_UNKNOWN, path, &m);
	assert_int_equal(m.format, DEVCONF_CISCO_IOS);
	check_golden(GOLD "ios/", golden, dump);
	assert_no_keys(text, dump);
	free(dump);
	devconf_free(&m);
	free(text);
}

/* batfish's IOS test configuration: a keyring and an ISAKMP profile for 1.2.3.4 (local
 * 2.3.4.6, keepalive 10 retry 3), two transform sets and six IPsec profiles; only
 * IPSEC-PROFILE1 names the ISAKMP profile. No ISAKMP policy and no tunnel interface:
 * one peer (the profile's), no phase 1 proposals (the router's defaults), one child with
 * both transform sets and PFS group 14; the key "psk1" is too short for AWS. */
static void test_sample_ios_crypto_ipsec_profile(void **state)
{
	(void)state;
	sample_case(SAMPLE_IOS, "batfish-ios-crypto-ipsec-profile.txt");
}

/* The Cisco IOS configuration AWS generated for vpn-03701a53bba3c48b7: two tunnels,
 * ISAKMP policies 200 and 201 (AES-128, SHA-1, group 2, 28800 s: global, so both peers
 * get both), a keyring per tunnel (keys valid for AWS), transform set AES-128/SHA-1,
 * IPsec profiles with PFS group 2 and 3600 s, "crypto isakmp keepalive 10 10 on-demand",
 * and Tunnel1/Tunnel2 to 3.130.237.53 / 18.217.248.9 from 1.1.1.2. */
static void test_sample_aws_generated_ios(void **state)
{
	(void)state;
	sample_case(SAMPLE_AWS, "batfish-aws-vpn-03701a53bba3c48b7.txt");
}

/* ---- behaviour ------------------------------------------------------------------------ */

static void test_unknown_statements_skipped(void **state)
{
	static const char text[] =
		"crypto isakmp something-new 1 2 3\n"
		"router bgp 65000\n"
		" neighbor 169.254.1.1 remote-as 64512\n"
		" address-family ipv4\n"
		"  network 10.0.0.0\n"
		"  exit\n"
		"exit\n"
		"crypto isakmp policy 1\n"
		" encr aes 256\n"
		" hash sha256\n"
		" group 14\n"
		" future-knob on\n"
		"crypto isakmp key Abcdefgh1234 address 192.0.2.9\n";
	struct devconf_model m;
	char *dump;

	(void)state;
	dump = parse_dump(text, sizeof text - 1, DEVCONF_CISCO_IOS, "t.cfg", &m);
	/* the unknown crypto statement, router bgp (its lines go with it), future-knob */
	assert_int_equal(m.skipped, 3);
	assert_int_equal(m.npeers, 1);
	assert_string_equal(m.peers[0].remote_addr, "192.0.2.9");
	assert_int_equal(m.peers[0].nike, 1);
	assert_true(m.peers[0].psk_set);
	assert_false(m.peers[0].psk_weak);
	assert_null(strstr(dump, "Abcdefgh1234"));
	free(dump);
	devconf_free(&m);
}

/* Tunnel-groups, keys without a map: a peer with phase 1 only; unknown algorithm names
 * become 0xFFFF ("unknown to us"); no trailing newline. */
static void test_asa_phase1_only(void **state)
{
	static const char text[] =
		"crypto ikev2 policy 1\n"
		" encryption aes-256 chacha\n"
		" integrity sha256\n"
		" group 21\n"
		"tunnel-group 192.0.2.50 type ipsec-l2l\n"
		"tunnel-group 192.0.2.50 ipsec-attributes\n"
		" ikev2 remote-authentication pre-shared-key 8 QkJCQkJCQkJC\n"
		" ikev2 local-authentication pre-shared-key 8 QkJCQkJCQkJC";
	struct devconf_model m;
	char *dump;

	(void)state;
	dump = parse_dump(text, sizeof text - 1, DEVCONF_UNKNOWN, "t.cfg", &m);
	assert_int_equal(m.format, DEVCONF_CISCO_ASA);
	assert_string_equal(dump,
			    "format asa\n"
			    "peers 1 skipped 0\n"
			    "peer 192.0.2.50 line 7\n"
			    "  remote 192.0.2.50 local -\n"
			    "  ike versions v2\n"
			    "  ike[0] aes256-type1-id65535-prfsha1-sha256-ecp521\n"
			    "  startup unknown ike_lifetime=86400 dpd_delay=10 dpd_action=clear "
			    "policy-based psk=set\n");
	free(dump);
	devconf_free(&m);
}

/* Both versions offered by the map, but the default group-policy allows IKEv1 only: the
 * IKEv1 policy list and only the IKEv1 transform set; aggressive mode; keepalives
 * "infinite" (never sent); "access-list ... line N"; an undefined object-group kept as
 * written; ASA's 28800 s IPsec lifetime when none is set. */
static void test_asa_versions(void **state)
{
	static const char text[] =
		"crypto ikev1 policy 10\n encryption aes-256\n hash sha\n group 14\n"
		"crypto ikev2 policy 10\n encryption aes-256\n integrity sha256\n group 14\n"
		"crypto ipsec ikev1 transform-set T1 esp-aes-256 esp-sha-hmac\n"
		"crypto ipsec ikev2 ipsec-proposal P2\n protocol esp encryption aes-256\n"
		" protocol esp integrity sha-256\n"
		"access-list A line 1 extended permit ip 10.0.0.0 255.255.0.0 any4\n"
		"access-list A extended permit tcp host 10.0.0.9 object-group NOPE eq 443\n"
		"crypto map M 1 match address A\n"
		"crypto map M 1 set peer 192.0.2.7\n"
		"crypto map M 1 set ikev1 transform-set T1\n"
		"crypto map M 1 set ikev2 ipsec-proposal P2\n"
		"crypto map M 1 set ikev1 phase1-mode aggressive\n"
		"group-policy DfltGrpPolicy attributes\n vpn-tunnel-protocol ikev1\n"
		"tunnel-group 192.0.2.7 type ipsec-l2l\n"
		"tunnel-group 192.0.2.7 ipsec-attributes\n"
		" ikev1 pre-shared-key 0 Valid_Key_123\n"
		" isakmp keepalive threshold infinite\n";
	struct devconf_model m;
	char *dump;

	(void)state;
	dump = parse_dump(text, sizeof text - 1, DEVCONF_CISCO_ASA, "t.cfg", &m);
	assert_string_equal(dump,
			    "format asa\n"
			    "peers 1 skipped 0\n"
			    "peer M 1 line 15\n"
			    "  remote 192.0.2.7 local -\n"
			    "  ike versions v1 aggressive\n"
			    "  ike[0] aes256-prfsha1-sha1-modp2048\n"
			    "  startup on-traffic ike_lifetime=86400 dpd_action=none policy-based "
			    "psk=set\n"
			    "  child A line 13 lifetime=28800 lifetime_kb=4608000\n"
			    "    esp[0] aes256-sha1\n"
			    "    local_ts 10.0.0.0/16\n"
			    "    remote_ts 0.0.0.0/0\n"
			    "  child A line 14 lifetime=28800 lifetime_kb=4608000\n"
			    "    esp[0] aes256-sha1\n"
			    "    local_ts 10.0.0.9/32\n"
			    "    remote_ts NOPE\n");
	free(dump);
	devconf_free(&m);
}

static void test_truncated_prefixes(void **state)
{
	static const char *const files[] = {FIX "asa/ikev1-cryptomap.cfg",
					    FIX "asa/ikev2-cryptomap.cfg", FIX "asa/vti.cfg",
					    FIX "ios/cryptomap.cfg", FIX "ios/ikev2-vti.cfg"};

	(void)state;
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		size_t len;
		char *text = must_read_file(files[f], &len);

		/* every prefix parses or fails cleanly, never reading past its end */
		for (size_t n = 0; n <= len; n += 7) {
			struct devconf_model m;
			struct diag_error err = {0};
			char *copy = malloc(n ? n : 1);

			assert_non_null(copy);
			memcpy(copy, text, n);
			(void)devconf_parse(copy, n, f < 3 ? DEVCONF_CISCO_ASA : DEVCONF_CISCO_IOS,
					    "p.cfg", &m, &err);
			devconf_free(&m);
			free(copy);
		}
		free(text);
	}
}

/* ---- bad input ------------------------------------------------------------------------ */

static void test_asa_errors(void **state)
{
	(void)state;
	expect_error("crypto ikev1 policy ten\n authentication pre-share\n", DEVCONF_CISCO_ASA,
		     "t.cfg:1: crypto ikev1 policy: priority is not a number 1-65535 'ten'");
	expect_error("crypto ikev2 policy 1\n group 14 nineteen\n", DEVCONF_CISCO_ASA,
		     "t.cfg:2: group: not a Diffie-Hellman group number 'nineteen'");
	expect_error("!\ncrypto map M 10 set pfs grp14\n", DEVCONF_CISCO_ASA,
		     "t.cfg:2: set pfs: not a group (groupN) 'grp14'");
	expect_error("crypto map M x match address A\n", DEVCONF_CISCO_ASA,
		     "t.cfg:1: crypto map: sequence is not a number 1-65535 'x'");
	expect_error("crypto map M 1 set connection-type sometimes\n", DEVCONF_CISCO_ASA,
		     "t.cfg:1: set connection-type: not answer-only, originate-only or "
		     "bidirectional 'sometimes'");
	expect_error("crypto map M 1 set security-association lifetime seconds 1h\n",
		     DEVCONF_CISCO_ASA, "t.cfg:1: lifetime seconds: not a number '1h'");
	expect_error("access-list A extended permit ip 10.0.0.0 255.0.255.0 any\n",
		     DEVCONF_CISCO_ASA,
		     "t.cfg:1: access-list: not a source address or mask '10.0.0.0'");
	expect_error("access-list A extended permit ip any\n", DEVCONF_CISCO_ASA,
		     "t.cfg:1: access-list: not a destination address or mask: missing");
	expect_error("tunnel-group 192.0.2.1 ipsec-attributes\n ikev1 pre-shared-key\n",
		     DEVCONF_CISCO_ASA, "t.cfg:2: pre-shared-key: the key is missing");
	expect_error("tunnel-group 192.0.2.1 ipsec-attributes\n"
		     " isakmp keepalive threshold 10 retry two\n",
		     DEVCONF_CISCO_ASA, "t.cfg:2: isakmp keepalive: not a number of seconds 'two'");
	/* a group that contains itself: bounded, named at the ACL line */
	expect_error("object-group network LOOP\n group-object LOOP\n"
		     "access-list X extended permit ip object-group LOOP any\n"
		     "crypto map M 1 match address X\ncrypto map M 1 set peer 192.0.2.1\n",
		     DEVCONF_CISCO_ASA, "t.cfg:3: object-group LOOP: nested deeper than 32 levels");
}

static void test_ios_errors(void **state)
{
	(void)state;
	expect_error("crypto isakmp policy 10\n encr aes\n group fourteen\n", DEVCONF_CISCO_IOS,
		     "t.cfg:3: group: not a Diffie-Hellman group number 'fourteen'");
	expect_error("crypto isakmp policy 0\n", DEVCONF_CISCO_IOS,
		     "t.cfg:1: crypto isakmp policy: priority is not a number 1-65535 '0'");
	/* the key is never quoted, even when the statement around it is wrong */
	expect_error("crypto isakmp key Secret_Never_Shown\n", DEVCONF_CISCO_IOS,
		     "t.cfg:1: crypto isakmp key: expected 'KEY address IP' or 'KEY hostname "
		     "NAME'");
	expect_error("crypto keyring K\n pre-shared-key address 192.0.2.1 key\n",
		     DEVCONF_CISCO_IOS, "t.cfg:2: pre-shared-key: the key is missing");
	expect_error("crypto isakmp keepalive often\n", DEVCONF_CISCO_IOS,
		     "t.cfg:1: crypto isakmp keepalive: not a number of seconds 'often'");
	expect_error("crypto map M ten ipsec-isakmp\n", DEVCONF_CISCO_IOS,
		     "t.cfg:1: crypto map: sequence is not a number 1-65535 'ten'");
	expect_error("crypto ipsec profile P\n set security-association lifetime seconds lots\n",
		     DEVCONF_CISCO_IOS, "t.cfg:2: lifetime seconds: not a number 'lots'");
	expect_error("crypto ipsec transform-set T esp-aes 256 banana\n", DEVCONF_CISCO_IOS,
		     "t.cfg:1: crypto ipsec transform-set: not a transform 'banana'");
	expect_error("ip access-list extended A\n 10 permit ip host 10.0.0.300 any\n",
		     DEVCONF_CISCO_IOS,
		     "t.cfg:2: access-list: not a source address or mask 'host'");
	expect_error("crypto ikev2 profile P\n dpd 10 often on-demand\n", DEVCONF_CISCO_IOS,
		     "t.cfg:2: dpd: retry is not a number of seconds 'often'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asa_ikev1_cryptomap),
		cmocka_unit_test(test_asa_ikev2_cryptomap),
		cmocka_unit_test(test_asa_vti),
		cmocka_unit_test(test_ios_cryptomap),
		cmocka_unit_test(test_ios_ikev2_vti),
		cmocka_unit_test(test_sample_ios_crypto_ipsec_profile),
		cmocka_unit_test(test_sample_aws_generated_ios),
		cmocka_unit_test(test_unknown_statements_skipped),
		cmocka_unit_test(test_asa_phase1_only),
		cmocka_unit_test(test_asa_versions),
		cmocka_unit_test(test_truncated_prefixes),
		cmocka_unit_test(test_asa_errors),
		cmocka_unit_test(test_ios_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
