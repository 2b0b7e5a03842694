/* The Juniper Junos, Palo Alto PAN-OS and Fortinet FortiOS parsers (devconf_junos.c,
 * devconf_panos.c, devconf_fortios.c). Fixtures under testdata/devconf/{junos,panos,
 * fortios}/ were written from the vendors' configuration references with documentation
 * addresses and made-up keys; their dumps are compared with testdata/golden/devconf/
 * {junos,panos,fortios}/ (UPDATE_GOLDEN=1 rewrites them; every golden was read line by
 * line against its fixture). Three batfish test configurations are read in place from
 * ../shared/samples when present (skipped with a message otherwise, never copied):
 * juniper ipsec-proposal and ipsec-vpn, and palo_alto ipsec-crypto-profiles, which is in
 * PAN-OS "set" syntax. Also: detection of every fixture, bad input with its exact
 * "file:line: what" text, pre-shared keys never in any output or error, and inputs that
 * are not NUL-terminated. */
#include "tests/unit/testutil.h"

#include "libdiag/devconf/devconf.h"

#define FIX "testdata/devconf/"
#define GOLD "testdata/golden/devconf/"
#define BATFISH "../shared/samples/batfish/grammar/"

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

/* The error devconf_parse gives for text (which must fail) must read exactly want, and
 * must not contain secret (a key in the text), when given. */
static void expect_error_secret(const char *text, enum devconf_format f, const char *file,
				const char *want, const char *secret)
{
	struct devconf_model m;
	struct diag_error err = {0};
	char buf[600];
	size_t len = strlen(text);
	char *copy = malloc(len + 1);

	assert_non_null(copy);
	memcpy(copy, text, len);
	assert_int_equal(devconf_parse(copy, len, f, file, &m, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	assert_string_equal(diag_error_text(&err, buf, sizeof buf), want);
	if (secret)
		assert_null(strstr(buf, secret));
	devconf_free(&m);
	free(copy);
}

static void expect_error(const char *text, enum devconf_format f, const char *file,
			 const char *want)
{
	expect_error_secret(text, f, file, want, NULL);
}

/* The keys written in our fixtures: none may reach a dump. */
static const char *const keys[] = {
	"$9$Cu1dtBEhSe87-ws4oGD", "short", "Good.Key_12345", "-AQ==bm90IGEgcmVhbCBrZXk=",
	"0short", "Good.Key_1234", "Aws.Secret_Key1", "Zm9vYmFyYmF6cXV4cXV1eA==",
	"Plain.Text_key1", "0weak key", "psk1", "f00ba4", "$9$nJXv9A0O1RESr.P5F36At",
};

static void assert_no_keys(const char *dump)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strstr(dump, keys[i]))
			fail_msg("a pre-shared key (\"%s\") is in the dump", keys[i]);
}

/* A fixture parsed with detection (so the detection rule is tested too) and with its
 * format named: both give the golden dump. */
static void golden_case(const char *dialect, const char *file, enum devconf_format f)
{
	char path[256], golden[256];
	struct devconf_model m;
	size_t len;
	char *text, *dump, *dump2;

	snprintf(path, sizeof path, FIX "%s/%s", dialect, file);
	snprintf(golden, sizeof golden, "%s.txt", file);
	text = must_read_file(path, &len);
	dump = parse_dump(text, len, DEVCONF_UNKNOWN, path, &m);
	assert_int_equal(m.format, f);
	devconf_free(&m);
	snprintf(path, sizeof path, GOLD "%s/", dialect);
	check_golden(path, golden, dump);
	assert_no_keys(dump);
	dump2 = parse_dump(text, len, f, file, &m);
	assert_string_equal(dump, dump2);
	devconf_free(&m);
	free(dump);
	free(dump2);
	free(text);
}

/* A real file from ../shared/samples, read in place; skipped when absent. */
static void sample_case(const char *path, enum devconf_format f, const char *dialect,
			const char *golden)
{
	struct devconf_model m;
	size_t len;
	char *text = read_file(path, &len), *dump, dir[128];

	if (!text) {
		print_message("skipped: %s is absent (../shared/samples not next to the "
			      "project)\n", path);
		skip();
	}
	dump = parse_dump(text, len, DEVCONF_UNKNOWN, path, &m);
	assert_int_equal(m.format, f);
	snprintf(dir, sizeof dir, GOLD "%s/", dialect);
	check_golden(dir, golden, dump);
	assert_no_keys(dump);
	free(dump);
	devconf_free(&m);
	free(text);
}

/* ---- Junos ---------------------------------------------------------------------------- */

/* Two IKEv2 route-based tunnels (st0.1, st0.2): gw-aws-1 with two traffic selectors
 * (ts-db given in two lines) and establish-tunnels immediately, gw-aws-2 with a
 * proxy-identity and no NAT-T; an IPsec proposal no policy uses is listed unused. */
static void test_junos_route_based_set(void **state)
{
	(void)state;
	golden_case("junos", "route-based-set.conf", DEVCONF_JUNOS);
}

/* Bracketed: an IKEv1 aggressive-mode policy-based VPN; two security policies tunnel into
 * it (two proxy-ids, address-book names resolved), the pair policy back is the same SA;
 * an inactive: proposal and comments of both kinds are ignored; the ascii-text key
 * "short" is judged weak. */
static void test_junos_policy_based_bracketed(void **state)
{
	(void)state;
	golden_case("junos", "policy-based-bracketed.conf", DEVCONF_JUNOS);
}

/* Several statements on one set line, proposal-set compatible (IKE) and standard
 * (IPsec, PFS group 2), responder-only, an address list, an IPsec proposal named like an
 * IKE one (unused), and a gateway turned off by "deactivate" (absent from the model). */
static void test_junos_one_line_set(void **state)
{
	(void)state;
	golden_case("junos", "one-line-set.conf", DEVCONF_JUNOS);
}

/* batfish's ipsec-proposal: six IPsec proposals no VPN uses: prop1 bundle aes128/md5,
 * prop2 AH (integrity only: sha1), prop3 3des/md5, prop4-6 AES-GCM 128/192/256 (the
 * hmac-md5-96 set beside GCM is not an ESP integrity transform). */
static void test_junos_batfish_ipsec_proposal(void **state)
{
	(void)state;
	sample_case(BATFISH "juniper/testconfigs/ipsec-proposal", DEVCONF_JUNOS, "junos",
		    "batfish-ipsec-proposal.txt");
}

/* batfish's ipsec-vpn: gateway gw-chicago at 198.51.100.102 via ge-0/0/3.0, IKEv2 only,
 * aes128/sha1/group2 main mode, DPD interval 10 threshold 2, a key (four times: the
 * last, scrubbed, counts), vpn ike-vpn-chicago on st0.0 with aes128 and (the second
 * authentication-algorithm replaces the first) hmac-sha-256-128, PFS group 2. */
static void test_junos_batfish_ipsec_vpn(void **state)
{
	(void)state;
	sample_case(BATFISH "juniper/testconfigs/ipsec-vpn", DEVCONF_JUNOS, "junos",
		    "batfish-ipsec-vpn.txt");
}

static void test_junos_bad(void **state)
{
	char deep[33 * 6 + 1] = "";

	(void)state;
	expect_error("security {\n    ike {\n", DEVCONF_JUNOS, "j.conf",
		     "j.conf:2: '{' never closed");
	expect_error("security {\n}\n}\n", DEVCONF_JUNOS, "j.conf",
		     "j.conf:3: '}' without a matching '{'");
	for (int i = 0; i < 33; i++)
		strcat(deep, "a {\n");
	expect_error(deep, DEVCONF_JUNOS, "j.conf", "j.conf:33: nested deeper than 32 levels");
	expect_error("{\n", DEVCONF_JUNOS, "j.conf",
		     "j.conf:1: '{' without a statement before it");
	expect_error("set security ike proposal P lifetime-seconds 8h\n", DEVCONF_JUNOS,
		     "j.conf", "j.conf:1: lifetime-seconds \"8h\": not a number");
	expect_error("set security ike proposal P dh-group\n", DEVCONF_JUNOS, "j.conf",
		     "j.conf:1: dh-group: missing value");
	expect_error("set security ike gateway G version v3-only\n", DEVCONF_JUNOS, "j.conf",
		     "j.conf:1: version \"v3-only\": not v1-only or v2-only");
	expect_error("\nset security ipsec proposal P protocol gre\n", DEVCONF_JUNOS, "j.conf",
		     "j.conf:2: protocol \"gre\": not esp, ah or bundle");
	expect_error("/* a comment\n that never ends\n", DEVCONF_JUNOS, "j.conf",
		     "j.conf:1: unterminated /* comment");
	expect_error("set security ipsec vpn V bind-interface\n", DEVCONF_JUNOS, "j.conf",
		     "j.conf:1: bind-interface: missing value");
	expect_error_secret("set security ike policy P pre-shared-key ascii-text \"Sec.ret_1\n",
			    DEVCONF_JUNOS, "j.conf", "j.conf:1: unterminated quoted string",
			    "Sec.ret_1");
}

/* What a pre-shared key looks like decides psk_weak; the key is never kept. */
static void test_junos_psk(void **state)
{
	static const struct {
		const char *key;
		bool weak;
	} cases[] = {
		{"\"Good.Key_1\"", false}, {"short", true},       {"\"0Starts.with.zero\"", true},
		{"\"has space 123\"", true}, {"$9$abcdefghij", false}, {"\"ab\\\"cdefgh\"", true},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[300];
		struct devconf_model m;
		char *dump;

		snprintf(text, sizeof text,
			 "set security ike policy P pre-shared-key ascii-text %s\n"
			 "set security ike gateway G ike-policy P address 192.0.2.1\n",
			 cases[i].key);
		dump = parse_dump(text, strlen(text), DEVCONF_JUNOS, "p.conf", &m);
		assert_int_equal(m.npeers, 1);
		assert_true(m.peers[0].psk_set);
		if (m.peers[0].psk_weak != cases[i].weak)
			fail_msg("%s: psk_weak %d", cases[i].key, m.peers[0].psk_weak);
		free(dump);
		devconf_free(&m);
	}
}

/* ---- PAN-OS --------------------------------------------------------------------------- */

/* XML: three gateways: aws-gw-1 IKEv2 passive-mode (respond-only) with a GCM+CBC profile
 * (two IKEv2 proposals), NAT-T on, DPD 10; aws-gw-2 IKEv1 aggressive (every
 * cipher x hash pair its own proposal), proxy-ids pid-a and pid-b, no-PFS 3DES, key
 * "0short" weak; aws-gw-3 ikev2-preferred with the "default" profiles; "spare" unused. */
static void test_panos_xml(void **state)
{
	(void)state;
	golden_case("panos", "running-config.xml", DEVCONF_PANOS);
}

/* "set" syntax: an IKEv2 passive-mode gateway, two proxy IDs (one given on one line,
 * one over three), an unused profile. */
static void test_panos_set(void **state)
{
	(void)state;
	golden_case("panos", "passive-set.conf", DEVCONF_PANOS);
}

/* batfish's ipsec-crypto-profiles ("set" syntax): two IPsec profiles no tunnel uses:
 * default (aes-128-cbc and des, sha1, group2, 1 minute) and profile1 (aes-128-gcm, no
 * integrity, group14, 1 day). */
static void test_panos_batfish_crypto_profiles(void **state)
{
	(void)state;
	sample_case(BATFISH "palo_alto/testconfigs/ipsec-crypto-profiles", DEVCONF_PANOS,
		    "panos", "batfish-ipsec-crypto-profiles.txt");
}

/* Which version each gateway starts with: ikev2-preferred starts with IKEv2. */
static void test_panos_initiate_version(void **state)
{
	struct devconf_model m;
	size_t len;
	char *text = must_read_file(FIX "panos/running-config.xml", &len);
	char *dump = parse_dump(text, len, DEVCONF_PANOS, "r.xml", &m);

	(void)state;
	assert_int_equal(m.npeers, 3);
	assert_int_equal(m.peers[0].initiate_version, 2);
	assert_int_equal(m.peers[1].initiate_version, 1);
	assert_int_equal(m.peers[2].ike_versions, 3);
	assert_int_equal(m.peers[2].initiate_version, 2);
	free(dump);
	free(text);
	devconf_free(&m);
}

static void test_panos_bad(void **state)
{
	(void)state;
	expect_error("<config><devices></config>", DEVCONF_PANOS, "p.xml",
		     "p.xml:1:20: XML error: mismatched tag");
	expect_error("<config><network><ike><crypto-profiles><ike-crypto-profiles>"
		     "<entry name=\"p\"><lifetime><hours>eight</hours></lifetime></entry>"
		     "</ike-crypto-profiles></crypto-profiles></ike></network></config>",
		     DEVCONF_PANOS, "p.xml",
		     "p.xml: network/ike/crypto-profiles/ike-crypto-profiles/entry[p]/lifetime/"
		     "hours: not a number");
	expect_error("set network ike crypto-profiles ipsec-crypto-profiles q lifetime days x\n",
		     DEVCONF_PANOS, "p.conf",
		     "p.conf:1: network/ike/crypto-profiles/ipsec-crypto-profiles/entry[q]/"
		     "lifetime/days: not a number");
	expect_error("set network ike gateway g protocol version ikev1\n"
		     "set network ike gateway g protocol ikev1 dpd enable yes interval soon\n",
		     DEVCONF_PANOS, "p.conf",
		     "p.conf:1: network/ike/gateway/entry[g]/protocol/dpd: interval or retry "
		     "not a number");
	expect_error_secret("set network ike gateway g authentication pre-shared-key key "
			    "\"Sec.ret_1\n",
			    DEVCONF_PANOS, "p.conf", "p.conf:1: unterminated quoted string",
			    "Sec.ret_1");
}

/* ---- FortiOS -------------------------------------------------------------------------- */

/* Two IKEv2 phase1-interfaces (route-based): aws-tun1 aes128-sha1/aes256-sha256 group 14,
 * DPD on-idle every 10 s, its phase 2 auto-negotiate (initiate) with PFS 14 and 3600 s;
 * aws-tun2 AEAD only with groups 20 and 19, NAT-T forced, phase 2 without PFS for
 * 10.0.0.0/16 <-> 172.31.0.0/16, default keylifeseconds 43200. */
static void test_fortios_route_based(void **state)
{
	(void)state;
	golden_case("fortios", "route-based-ikev2.conf", DEVCONF_FORTIOS);
}

/* "config vpn ipsec phase1" (policy-based), IKEv1 aggressive mode, groups 5 and 2 (each
 * proposal once per group), DPD disabled, the key "0weak key" judged weak, a nested
 * config inside the entry skipped. */
static void test_fortios_policy_based_aggressive(void **state)
{
	(void)state;
	golden_case("fortios", "policy-based-aggressive.conf", DEVCONF_FORTIOS);
}

static void test_fortios_bad(void **state)
{
	(void)state;
	expect_error("end\n", DEVCONF_FORTIOS, "f.conf", "f.conf:1: 'end' without 'config'");
	expect_error("config vpn ipsec phase1-interface\n    edit \"x\"\n", DEVCONF_FORTIOS,
		     "f.conf", "f.conf:1: 'config' never closed with 'end'");
	expect_error("config vpn ipsec phase1-interface\n    edit \"x\"\n"
		     "        set keylife 8h\n    next\nend\n",
		     DEVCONF_FORTIOS, "f.conf", "f.conf:3: keylife \"8h\": not a number");
	expect_error("config vpn ipsec phase1-interface\n    edit \"x\"\n"
		     "        set ike-version 3\n    next\nend\n",
		     DEVCONF_FORTIOS, "f.conf", "f.conf:3: ike-version 3: not 1 or 2");
	expect_error("config vpn ipsec phase1-interface\n    next\nend\n", DEVCONF_FORTIOS,
		     "f.conf", "f.conf:2: 'next' without 'edit'");
	expect_error("set remote-gw 192.0.2.1\n", DEVCONF_FORTIOS, "f.conf",
		     "f.conf:1: 'set' outside any 'config' section");
	expect_error("config vpn ipsec phase2-interface\n    edit p2\n"
		     "        set src-subnet 10.0.0.0 255.255.0\n    next\nend\n",
		     DEVCONF_FORTIOS, "f.conf", "f.conf:3: src-subnet: not an address and mask");
	expect_error_secret("config vpn ipsec phase1-interface\n    edit \"x\"\n"
			    "        set psksecret \"Sec.ret_1\n",
			    DEVCONF_FORTIOS, "f.conf", "f.conf:3: unterminated quoted string",
			    "Sec.ret_1");
}

/* A phase 2 before its phase 1, a mask that is not contiguous, a repeated edit. */
static void test_fortios_order_and_masks(void **state)
{
	static const char text[] =
		"config vpn ipsec phase2-interface\n"
		"    edit \"p2\"\n"
		"        set phase1name \"p1\"\n"
		"        set proposal aes256-sha256\n"
		"        set pfs disable\n"
		"        set src-subnet 10.0.0.0 255.0.255.0\n"
		"    next\n"
		"end\n"
		"config vpn ipsec phase1-interface\n"
		"    edit \"p1\"\n"
		"        set remote-gw 192.0.2.9\n"
		"    next\n"
		"    edit \"p1\"\n"
		"        set ike-version 2\n"
		"    next\n"
		"end";
	struct devconf_model m;
	char *dump;

	(void)state;
	dump = parse_dump(text, sizeof text - 1, DEVCONF_FORTIOS, "o.conf", &m);
	assert_int_equal(m.npeers, 1);
	assert_int_equal(m.peers[0].ike_versions, 2);
	assert_string_equal(m.peers[0].remote_addr, "192.0.2.9");
	assert_int_equal(m.peers[0].nchildren, 1);
	assert_string_equal(m.peers[0].children[0].local_ts[0], "10.0.0.0/255.0.255.0");
	assert_string_equal(m.peers[0].children[0].remote_ts[0], "0.0.0.0/0");
	assert_int_equal(m.peers[0].children[0].nesp, 1);
	assert_false(m.peers[0].children[0].pfs_set);
	free(dump);
	devconf_free(&m);
}

/* A multi-VDOM configuration: the VPN sections sit inside "config vdom" / "edit root". */
static void test_fortios_vdom(void **state)
{
	static const char text[] =
		"config vdom\n"
		"edit root\n"
		"config vpn ipsec phase1-interface\n"
		"    edit \"t1\"\n"
		"        set ike-version 2\n"
		"        set remote-gw 192.0.2.10\n"
		"        set proposal aes256-sha256\n"
		"        set dhgrp 14\n"
		"    next\n"
		"end\n"
		"config vpn ipsec phase2-interface\n"
		"    edit \"t1-p2\"\n"
		"        set phase1name \"t1\"\n"
		"        set proposal aes256-sha256\n"
		"    next\n"
		"end\n"
		"next\n"
		"end\n";
	struct devconf_model m;
	char *dump;

	(void)state;
	dump = parse_dump(text, sizeof text - 1, DEVCONF_UNKNOWN, "v.conf", &m);
	assert_int_equal(m.format, DEVCONF_FORTIOS);
	assert_int_equal(m.npeers, 1);
	assert_string_equal(m.peers[0].remote_addr, "192.0.2.10");
	assert_int_equal(m.peers[0].nike, 1);
	assert_int_equal(m.peers[0].initiate_version, 2);
	assert_int_equal(m.peers[0].nchildren, 1);
	/* PFS on by default with groups 14 and 5 */
	assert_true(m.peers[0].children[0].pfs_set);
	assert_int_equal(m.peers[0].children[0].esp[0].n, 4);
	free(dump);
	devconf_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_junos_route_based_set),
		cmocka_unit_test(test_junos_policy_based_bracketed),
		cmocka_unit_test(test_junos_one_line_set),
		cmocka_unit_test(test_junos_batfish_ipsec_proposal),
		cmocka_unit_test(test_junos_batfish_ipsec_vpn),
		cmocka_unit_test(test_junos_bad),
		cmocka_unit_test(test_junos_psk),
		cmocka_unit_test(test_panos_xml),
		cmocka_unit_test(test_panos_set),
		cmocka_unit_test(test_panos_batfish_crypto_profiles),
		cmocka_unit_test(test_panos_initiate_version),
		cmocka_unit_test(test_panos_bad),
		cmocka_unit_test(test_fortios_route_based),
		cmocka_unit_test(test_fortios_policy_based_aggressive),
		cmocka_unit_test(test_fortios_bad),
		cmocka_unit_test(test_fortios_order_and_masks),
		cmocka_unit_test(test_fortios_vdom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
