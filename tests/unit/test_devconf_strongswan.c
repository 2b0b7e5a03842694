/* libdiag/devconf: strongSwan swanctl.conf and ipsec.conf, libreswan ipsec.conf, and the
 * proposal parser's ESP and lenient modes they rely on.
 *
 * - Our own fixtures (testdata/devconf/{swanctl,ipsec,libreswan}/) dumped and compared
 *   with goldens (testdata/golden/devconf/<dialect>/, UPDATE_GOLDEN=1 rewrites them).
 * - A handful of real strongSwan test-suite configurations read from ../shared/samples
 *   (never copied into the project), dumped and compared with goldens: skipped with a
 *   message when the samples are absent.
 * - Every swanctl.conf and ipsec.conf under ../shared/samples/strongswan parsed with its
 *   format: all must succeed; the count (and any file skipped, with its reason) printed.
 * - Bad input with the exact error text, and no pre-shared key in any dump or error. */
#include "tests/unit/testutil.h"

#include <dirent.h>
#include <sys/stat.h>

#include "libdiag/devconf/devconf.h"
#include "libdiag/ike/ike_proposal.h"

#define FIXTURES "testdata/devconf/"
#define GOLDEN "testdata/golden/devconf/"
#define SAMPLES "../shared/samples/strongswan"

/* Parses text as format; fails the test on error. Returns the dump (malloc'd). */
static char *parse_dump(const char *text, size_t len, enum devconf_format f, const char *file)
{
	struct devconf_model m;
	struct diag_error err = { 0 };
	char msg[600], *dump;

	if (devconf_parse(text, len, f, file, &m, &err) < 0) {
		devconf_free(&m);
		fail_msg("%s: %s", file, diag_error_text(&err, msg, sizeof msg));
	}
	dump = devconf_dump(&m);
	assert_non_null(dump);
	devconf_free(&m);
	return dump;
}

/* Parses text as format and expects exactly the error text want. */
static void bad(enum devconf_format f, const char *text, const char *want)
{
	struct devconf_model m;
	struct diag_error err = { 0 };
	char msg[600];

	if (devconf_parse(text, strlen(text), f, "t.conf", &m, &err) == 0) {
		devconf_free(&m);
		fail_msg("parsed without error: %s", text);
	}
	devconf_free(&m);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	assert_string_equal(diag_error_text(&err, msg, sizeof msg), want);
}

static void fixture(const char *dialect, const char *name, enum devconf_format f)
{
	char path[256], gdir[256], gname[128];
	size_t len;
	char *text, *dump;

	snprintf(path, sizeof path, FIXTURES "%s/%s", dialect, name);
	snprintf(gdir, sizeof gdir, GOLDEN "%s/", dialect);
	snprintf(gname, sizeof gname, "%s.dump", name);
	text = must_read_file(path, &len);
	dump = parse_dump(text, len, f, name);
	check_golden(gdir, gname, dump);
	free(dump);
	/* detection picks the same dialect */
	{
		char why[200];

		assert_int_equal(devconf_detect(text, len, why, sizeof why), f);
	}
	free(text);
}

static void test_swanctl_fixtures(void **state)
{
	(void)state;
	fixture("swanctl", "aws.conf", DEVCONF_SWANCTL);
	fixture("swanctl", "ikev1.conf", DEVCONF_SWANCTL);
}

static void test_ipsec_fixtures(void **state)
{
	(void)state;
	fixture("ipsec", "aws-vti.conf", DEVCONF_STRONGSWAN_IPSEC);
	fixture("ipsec", "sides.conf", DEVCONF_STRONGSWAN_IPSEC);
}

static void test_libreswan_fixtures(void **state)
{
	(void)state;
	fixture("libreswan", "aws-vti.conf", DEVCONF_LIBRESWAN);
	fixture("libreswan", "policy-ikev1.conf", DEVCONF_LIBRESWAN);
}

/* ---- real samples ------------------------------------------------------------------------ */

static bool have_samples(void)
{
	struct stat st;

	if (stat(SAMPLES, &st) == 0 && S_ISDIR(st.st_mode))
		return true;
	print_message("skipped: %s is absent (the samples live next to the project)\n", SAMPLES);
	return false;
}

/* One sample (path under SAMPLES) against its golden: the path with '/' as '_'. */
static void sample(const char *dialect, const char *rel, enum devconf_format f)
{
	char path[512], gdir[256], gname[256];
	size_t len;
	char *text, *dump;

	snprintf(path, sizeof path, SAMPLES "/%s", rel);
	snprintf(gdir, sizeof gdir, GOLDEN "%s/", dialect);
	snprintf(gname, sizeof gname, "sample-%s", rel);
	for (char *p = gname; *p; p++)
		if (*p == '/')
			*p = '_';
	strncat(gname, ".dump", sizeof gname - strlen(gname) - 1);
	text = must_read_file(path, &len);
	dump = parse_dump(text, len, f, rel);
	check_golden(gdir, gname, dump);
	free(dump);
	free(text);
}

static void test_swanctl_samples(void **state)
{
	static const char *const files[] = {
		/* PSK with secrets (hex, base64, quoted), rekey/reauth, rekey_bytes */
		"ikev2/net2net-psk/hosts/moon/etc/swanctl/swanctl.conf",
		/* a child inheriting another (section references), DSCP marks */
		"ikev2/net2net-dscp/hosts/moon/etc/swanctl/swanctl.conf",
		/* XFRM interface: if_id -> route-based */
		"route-based/net2net-xfrmi/hosts/moon/etc/swanctl/swanctl.conf",
		/* additional key exchanges (ke1_, ke3_none) */
		"ha/active-passive-multi-ke/hosts/moon/etc/swanctl/swanctl.conf",
		/* IKEv1 aggressive mode */
		"ikev1/xauth-id-rsa-aggressive/hosts/moon/etc/swanctl/swanctl.conf",
		/* encap = yes */
		"ikev2/force-udp-encap/hosts/alice/etc/swanctl/swanctl.conf",
		/* dpd_delay, dpd_action, start_action */
		"ikev2/dpd-restart/hosts/carol/etc/swanctl/swanctl.conf",
		"libipsec/net2net-trap/hosts/moon/etc/swanctl/swanctl.conf",
		/* esn/noesn, an algorithm without an IANA ID (twofish), chacha20poly1305 */
		"ikev1/net2net-esn/hosts/moon/etc/swanctl/swanctl.conf",
		"gcrypt-ikev1/alg-twofish/hosts/moon/etc/swanctl/swanctl.conf",
		"ikev2-algs/alg-chacha20poly1305/hosts/moon/etc/swanctl/swanctl.conf",
		/* a connection inheriting another, its child redefined */
		"ikev2/net2net-icmp-forward/hosts/moon/etc/swanctl/swanctl.conf",
		/* include lines inside connections (skipped, counted), no version: both */
		"ikev2/config-payload/hosts/moon/etc/swanctl/swanctl.conf",
	};

	(void)state;
	if (!have_samples())
		return;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		sample("swanctl", files[i], DEVCONF_SWANCTL);
}

static void test_ipsec_samples(void **state)
{
	static const char *const files[] = {
		/* also= and conn %default, IKEv1 */
		"ipv6-stroke/net2net-ip4-in-ip6-ikev1/hosts/moon/etc/ipsec.conf",
		/* auto=route, subnets on both sides */
		"ikev2-stroke/net2net-route/hosts/moon/etc/ipsec.conf",
		/* ike= / esp= with '!' in %default */
		"pfkey/alg-sha384/hosts/carol/etc/ipsec.conf",
		/* authby=secret */
		"ipv6-stroke/rw-psk-ikev1/hosts/carol/etc/ipsec.conf",
	};

	(void)state;
	if (!have_samples())
		return;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		sample("ipsec", files[i], DEVCONF_STRONGSWAN_IPSEC);
}

struct walk {
	size_t swanctl, ipsec, skipped, failed;
};

/* Why a file named like a configuration is not one (NULL: it is). */
static const char *not_a_config(const char *text, size_t len)
{
	if (memchr(text, '\0', len))
		return "binary (NUL bytes)";
	return NULL;
}

static void walk_dir(const char *dir, struct walk *w, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		fail_msg("cannot open %s", dir);
	assert_true(depth < 32);
	while ((e = readdir(d)) != NULL) {
		char path[1024];
		struct stat st;
		enum devconf_format f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk_dir(path, w, depth + 1);
			continue;
		}
		if (strcmp(e->d_name, "swanctl.conf") == 0)
			f = DEVCONF_SWANCTL;
		else if (strcmp(e->d_name, "ipsec.conf") == 0)
			f = DEVCONF_STRONGSWAN_IPSEC;
		else
			continue;
		{
			size_t len;
			char *text = must_read_file(path, &len);
			const char *why = not_a_config(text, len);
			struct devconf_model m;
			struct diag_error err = { 0 };
			char msg[600];

			if (why) {
				print_message("skipped %s: not a configuration: %s\n", path, why);
				w->skipped++;
			} else if (devconf_parse(text, len, f, path, &m, &err) < 0) {
				print_error("FAILED %s\n", diag_error_text(&err, msg, sizeof msg));
				w->failed++;
			} else if (f == DEVCONF_SWANCTL) {
				w->swanctl++;
			} else {
				w->ipsec++;
			}
			devconf_free(&m);
			free(text);
		}
	}
	closedir(d);
}

static void test_all_samples(void **state)
{
	struct walk w = { 0, 0, 0, 0 };

	(void)state;
	if (!have_samples())
		return;
	walk_dir(SAMPLES, &w, 0);
	print_message("strongswan samples: %zu swanctl.conf and %zu ipsec.conf parsed, "
		      "%zu skipped, %zu failed\n", w.swanctl, w.ipsec, w.skipped, w.failed);
	assert_int_equal(w.failed, 0);
	/* the walk found them (about 440 and 139 at the time of writing) */
	assert_true(w.swanctl >= 400);
	assert_true(w.ipsec >= 130);
}

/* ---- bad input --------------------------------------------------------------------------- */

static void test_swanctl_bad(void **state)
{
	char deep[40 * 8 + 1] = "";

	(void)state;
	bad(DEVCONF_SWANCTL, "connections {\n  a {\n    version = 2\n",
	    "t.conf:2: section a is not closed");
	bad(DEVCONF_SWANCTL, "connections {\n}\n}\n", "t.conf:3: '}' without a section to close");
	bad(DEVCONF_SWANCTL, "connections {\n  foo bar\n}\n",
	    "t.conf:2: 'foo' is followed by neither '=' nor '{'");
	bad(DEVCONF_SWANCTL, "connections {\n  = 2\n}\n", "t.conf:2: unexpected '='");
	bad(DEVCONF_SWANCTL, "connections {\n c {\n  proposals = aes256-sha999-modp2048\n }\n}\n",
	    "t.conf:3: proposal: aes256-sha999-modp2048: unknown algorithm 'sha999'");
	bad(DEVCONF_SWANCTL, "connections {\n c {\n  proposals = aes256-sha256\n }\n}\n",
	    "t.conf:3: proposal: aes256-sha256: no DH group");
	bad(DEVCONF_SWANCTL,
	    "connections {\n c {\n  children {\n   x {\n    esp_proposals = aes256\n   }\n  }\n"
	    " }\n}\n",
	    "t.conf:5: proposal: aes256: no integrity algorithm");
	bad(DEVCONF_SWANCTL, "connections {\n c {\n  rekey_time = soon\n }\n}\n",
	    "t.conf:3: rekey_time: not a time ('soon')");
	bad(DEVCONF_SWANCTL,
	    "connections {\n c {\n  children {\n   x {\n    rekey_bytes = lots\n   }\n  }\n"
	    " }\n}\n",
	    "t.conf:5: rekey_bytes: not a byte count ('lots')");
	bad(DEVCONF_SWANCTL, "connections {\n c : {\n }\n}\n",
	    "t.conf:2: section c: a section name expected after ':'");
	/* the error names the field, never the key */
	bad(DEVCONF_SWANCTL, "secrets {\n ike {\n  secret = \"TopSecret123\n }\n}\n",
	    "t.conf:3: secret: quoted value is not closed");
	bad(DEVCONF_SWANCTL, "connections {\n \"c\" {\n }\n}\n", "t.conf:2: unexpected '\"'");
	for (int i = 0; i < 33; i++)
		strcat(deep, "a {\n");
	bad(DEVCONF_SWANCTL, deep, "t.conf:33: sections nested deeper than 32");
}

static void test_ipsec_bad(void **state)
{
	(void)state;
	bad(DEVCONF_STRONGSWAN_IPSEC, "conn a\n\tleft=1.2.3.4\n\tleftfirewall\n",
	    "t.conf:3: 'leftfirewall' is not key=value");
	bad(DEVCONF_STRONGSWAN_IPSEC, "conn \n\tleft=1.2.3.4\n", "t.conf:1: conn without a name");
	bad(DEVCONF_STRONGSWAN_IPSEC, "conn a\n\tright=1.2.3.4\n\tike=aes256-sha1\n",
	    "t.conf:3: ike: aes256-sha1: no DH group");
	bad(DEVCONF_STRONGSWAN_IPSEC, "conn %default\n\tikelifetime=8 hours\nconn a\n\tright=x\n",
	    "t.conf:2: ikelifetime: not a time ('8 hours')");
	bad(DEVCONF_STRONGSWAN_IPSEC, "conn a\n\tleftid=\"@moon\n", "t.conf:2: leftid: quoted "
	    "value is not closed");
	bad(DEVCONF_STRONGSWAN_IPSEC, "conn a\n\tesp=aes128-sha1-modp1024-\n",
	    "t.conf:2: esp: aes128-sha1-modp1024-: trailing '-'");
	bad(DEVCONF_LIBRESWAN, "conn a\n\tikev2=no\n\tphase2alg=aes_xyz-sha1\n",
	    "t.conf:3: phase2alg: aes_xyz-sha1: unknown algorithm 'aes_xyz'");
	bad(DEVCONF_LIBRESWAN, "conn a\n\tike=aes_gcm_c_512-sha2;dh99\n",
	    "t.conf:2: ike: aes_gcm_c_512-sha2;dh99: unknown algorithm 'aes_gcm_c_512'");
	bad(DEVCONF_LIBRESWAN, "conn a\n\tike=aes_gcm_c_256-sha2;dh99\n",
	    "t.conf:2: ike: aes_gcm_c_256-sha2;dh99: unknown algorithm 'dh99'");
	bad(DEVCONF_LIBRESWAN, "conn a\n\tsalifetime=1w\n", "t.conf:2: salifetime: not a time "
	    "('1w')");
}

/* Unknown statements are counted, not fatal; templates give no peer. */
static void test_skipped(void **state)
{
	static const char swan[] = "include a.conf\nfoo { bar = 1 }\nconnections {\n c { include b }\n c {\n"
				   "  mobike = no\n  version = 1\n }\n}\nauthorities {\n ca {\n"
				   "  cacert = x.pem\n }\n}\n";
	static const char ipsec[] = "config setup\n\tuniqueids=no\nca x\n\tcacert=y\n"
				    "conn t\n\tauto=ignore\n\tleft=1.1.1.1\nconn c\n\talso=t\n"
				    "\talso=elsewhere\n\tright=2.2.2.2\n\tcompress=no\n"
				    "\tauto=add\n";
	struct devconf_model m;
	struct diag_error err = { 0 };

	(void)state;
	/* strongSwan's lexer ends a value at '}': foo { bar = 1 } on one line */
	assert_int_equal(devconf_parse(swan, strlen(swan), DEVCONF_SWANCTL, "s", &m, &err), 0);
	assert_int_equal(m.npeers, 1);
	assert_int_equal(m.peers[0].ike_versions, 1);
	/* two includes (one ended by '}'), foo.bar, mobike, authorities.ca.cacert */
	assert_int_equal(m.skipped, 5);
	devconf_free(&m);
	assert_int_equal(devconf_parse(ipsec, strlen(ipsec), DEVCONF_STRONGSWAN_IPSEC, "i", &m,
				       &err), 0);
	assert_int_equal(m.npeers, 1);
	assert_string_equal(m.peers[0].name, "c");
	assert_string_equal(m.peers[0].local_addr, "1.1.1.1"); /* through also=t */
	/* config setup (header line and uniqueids), ca x (header and cacert), also=elsewhere,
	 * compress; t's auto=ignore is read (through c's also=t, where c's own auto wins) */
	assert_int_equal(m.skipped, 6);
	devconf_free(&m);
}

/* The keys never reach a dump; psk_weak judged on the key's bytes. */
static void test_psk(void **state)
{
	static const struct {
		const char *secret;
		bool weak;
	} cases[] = {
		{ "\"Strong_Key.123\"", false },
		{ "Strong_Key.123", false },
		{ "'Strong_Key.123'", true },          /* strongSwan keeps single quotes */
		{ "short", true },                     /* under 8 */
		{ "0Strong_Key", true },               /* starts with 0 */
		{ "\"with space key\"", true },        /* a character AWS refuses */
		{ "0x53747230_6e67", true },           /* not hex: judged weak */
		{ "0x5374726f6e674b6579", false },     /* hex of StrongKey */
		{ "0sU3Ryb25nS2V5", false },           /* base64 of StrongKey */
		{ "0sMDEyMzQ1Njc4OQ==", true },        /* base64 of 0123456789 */
		{ "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", true },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[512], *dump;
		struct devconf_model m;
		struct diag_error err = { 0 };

		snprintf(text, sizeof text,
			 "connections {\n c {\n  local {\n   auth = psk\n  }\n }\n}\n"
			 "secrets {\n ike-x {\n  secret = %s\n }\n}\n", cases[i].secret);
		if (devconf_parse(text, strlen(text), DEVCONF_SWANCTL, "p", &m, &err) < 0)
			fail_msg("case %zu failed", i);
		assert_true(m.peers[0].psk_set);
		if (m.peers[0].psk_weak != cases[i].weak)
			fail_msg("case %zu (%s): weak %d", i, cases[i].secret, m.peers[0].psk_weak);
		dump = devconf_dump(&m);
		assert_null(strstr(dump, "Strong_Key"));
		assert_null(strstr(dump, "U3Ryb25n"));
		free(dump);
		devconf_free(&m);
	}
	/* a stray quote pulls the lines up to the secret's opening quote into remote_addrs
	 * (strongSwan's lexer would too); the value is cut at its first newline, so the key
	 * that follows reaches neither the dump nor an error */
	{
		static const char t[] = "connections {\n c {\n  remote_addrs = \"192.0.2.1\n"
					"  local {\n   auth = psk\n  }\n }\n}\nsecrets {\n ike {\n"
					"  secret = \"Leaked_Key.123\"\n }\n}\n\"\n }\n}\n";
		struct devconf_model m;
		struct diag_error err = { 0 };
		char *dump;

		assert_int_equal(devconf_parse(t, strlen(t), DEVCONF_SWANCTL, "p", &m, &err), 0);
		dump = devconf_dump(&m);
		assert_non_null(strstr(dump, "remote 192.0.2.1 local -\n"));
		assert_null(strstr(dump, "Leaked"));
		free(dump);
		devconf_free(&m);
	}
	/* a cert-authenticated peer gets no psk from an ike secret */
	{
		static const char t[] = "connections {\n c {\n  local {\n   auth = pubkey\n  }\n }\n}\n"
					"secrets {\n ike {\n  secret = abcdefgh\n }\n}\n";
		struct devconf_model m;
		struct diag_error err = { 0 };

		assert_int_equal(devconf_parse(t, strlen(t), DEVCONF_SWANCTL, "p", &m, &err), 0);
		assert_false(m.peers[0].psk_set);
		devconf_free(&m);
	}
}

static void test_samples_no_secret(void **state)
{
	size_t len;
	char *text, *dump;

	(void)state;
	if (!have_samples())
		return;
	text = must_read_file(SAMPLES "/ikev2/net2net-psk/hosts/moon/etc/swanctl/swanctl.conf",
			      &len);
	dump = parse_dump(text, len, DEVCONF_SWANCTL, "moon");
	assert_null(strstr(dump, "strong password"));
	assert_null(strstr(dump, "45a30759"));
	assert_null(strstr(dump, "castle"));
	free(dump);
	free(text);
}

/* ---- the proposal parser's flags --------------------------------------------------------- */

static void assert_t(const struct ike_transform *t, uint8_t type, uint16_t id, uint16_t keylen)
{
	assert_int_equal(t->type, type);
	assert_int_equal(t->id, id);
	assert_int_equal(t->keylen, keylen);
}

static void ok_ex(const char *s, unsigned flags, struct ike_proposal *p)
{
	struct diag_error err = { 0 };
	char msg[300];

	if (ike_proposal_parse_ex(s, flags, p, &err) < 0)
		fail_msg("'%s': %s", s, diag_error_text(&err, msg, sizeof msg));
}

static void bad_ex(const char *s, unsigned flags, const char *want)
{
	struct ike_proposal p;
	struct diag_error err = { 0 };
	char msg[300];

	assert_int_equal(ike_proposal_parse_ex(s, flags, &p, &err), -1);
	assert_string_equal(diag_error_text(&err, msg, sizeof msg), want);
}

static void test_proposal_flags(void **state)
{
	struct ike_proposal p;
	const unsigned L = IKE_PROP_LENIENT, E = IKE_PROP_ESP;

	(void)state;
	/* ESP: no PRF, DH optional, integrity dropped beside AEAD, esn/noesn */
	ok_ex("aes128-sha256", E, &p);
	assert_int_equal(p.n, 2);
	assert_t(&p.t[0], IKE_T_ENCR, IKE_ENCR_AES_CBC, 128);
	assert_t(&p.t[1], IKE_T_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	ok_ex("aes256gcm16-sha256-modp2048-esn-noesn", E, &p);
	assert_int_equal(p.n, 4);
	assert_t(&p.t[0], IKE_T_ENCR, IKE_ENCR_AES_GCM_16, 256);
	assert_t(&p.t[1], IKE_T_DH, 14, 0);
	assert_t(&p.t[2], IKE_T_ESN, 1, 0);
	assert_t(&p.t[3], IKE_T_ESN, 0, 0);
	ok_ex("aes128-sha1-prfsha256-modp1024", E, &p); /* a PRF in ESP is dropped */
	assert_int_equal(p.n, 3);
	bad_ex("aes128-sha1-modp1024-esn", 0,
	       "proposal: aes128-sha1-modp1024-esn: unknown algorithm 'esn'");
	bad_ex("aes128", E, "proposal: aes128: no integrity algorithm");

	/* strict stays strict */
	bad_ex("aes128-sha256-x25519", 0, "proposal: aes128-sha256-x25519: unknown algorithm "
	       "'x25519'");
	bad_ex("AES128-sha256-modp2048", 0, "proposal: AES128-sha256-modp2048: unknown "
	       "algorithm 'AES128'");

	/* lenient: IANA IDs */
	ok_ex("aes256ctr-camellia192-aesxcbc-sha256_96-md5_128-curve448-ecp224bp", L, &p);
	assert_t(&p.t[0], IKE_T_ENCR, 13, 256);
	assert_t(&p.t[1], IKE_T_ENCR, 23, 192);
	assert_t(&p.t[2], IKE_T_PRF, 4, 0);       /* aesxcbc's PRF */
	assert_t(&p.t[3], IKE_T_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	assert_t(&p.t[4], IKE_T_PRF, IKE_PRF_HMAC_MD5, 0);
	assert_t(&p.t[5], IKE_T_INTEG, 5, 0);
	assert_t(&p.t[6], IKE_T_INTEG, 0xFFFF, 0); /* sha256_96: no IANA ID */
	assert_t(&p.t[7], IKE_T_INTEG, 6, 0);
	assert_t(&p.t[8], IKE_T_DH, 32, 0);
	assert_t(&p.t[9], IKE_T_DH, 27, 0);
	ok_ex("chacha20poly1305-prfsha256-x25519-ke1_mlkem768-ke2_none", L, &p);
	assert_int_equal(p.n, 5);
	assert_t(&p.t[0], IKE_T_ENCR, 28, 0);
	assert_t(&p.t[2], IKE_T_DH, 31, 0);
	assert_t(&p.t[3], 6, 36, 0);
	assert_t(&p.t[4], 7, 0, 0);
	ok_ex("aes128gcm128-aes192ccm12-aes256gmac-modpnone", L | E, &p);
	assert_t(&p.t[0], IKE_T_ENCR, 20, 128);
	assert_t(&p.t[1], IKE_T_ENCR, 15, 192);
	assert_t(&p.t[2], IKE_T_ENCR, 21, 256);
	assert_t(&p.t[3], IKE_T_DH, 0, 0);
	ok_ex("3des-blowfish256-cast128-null-des-md5-ecp192-ntru128-newhope128", L, &p);
	assert_t(&p.t[1], IKE_T_ENCR, 7, 256);
	assert_t(&p.t[2], IKE_T_ENCR, 6, 128);
	assert_t(&p.t[3], IKE_T_ENCR, 11, 0);
	assert_t(&p.t[4], IKE_T_ENCR, 2, 0);
	ok_ex("twofish256-serpent-sha1-modp2048", L | E, &p);
	assert_t(&p.t[0], IKE_T_ENCR, 0xFFFF, 256);
	ok_ex("AES256-SHA256-MODP2048", L, &p);
	assert_t(&p.t[0], IKE_T_ENCR, IKE_ENCR_AES_CBC, 256);
	bad_ex("aes128-sha256-ke8_modp2048", L, "proposal: aes128-sha256-ke8_modp2048: unknown "
	       "algorithm 'ke8_modp2048'");
	bad_ex("aes128-sha256-ke1_sha1", L, "proposal: aes128-sha256-ke1_sha1: unknown "
	       "algorithm 'ke1_sha1'");
	bad_ex("aes128-sha256-none", L, "proposal: aes128-sha256-none: unknown algorithm "
	       "'none'");
	bad_ex("chacha20poly1305-aes128-sha1-modp2048", L,
	       "proposal: chacha20poly1305-aes128-sha1-modp2048: 'aes128' mixes AEAD and "
	       "non-AEAD encryption");

	/* names */
	assert_string_equal(ike_transform_name(IKE_T_ENCR, 28), "chacha20poly1305");
	assert_string_equal(ike_transform_name(IKE_T_ENCR, 13), "aes128ctr");
	assert_string_equal(ike_transform_name(IKE_T_ENCR, 7), "blowfish128");
	assert_string_equal(ike_transform_name(IKE_T_ENCR, IKE_ENCR_AES_CBC), "aes128");
	assert_string_equal(ike_transform_name(IKE_T_ENCR, IKE_ENCR_3DES), "3des");
	assert_string_equal(ike_transform_name(IKE_T_INTEG, 5), "aesxcbc");
	assert_string_equal(ike_transform_name(IKE_T_PRF, 4), "prfaesxcbc");
	assert_string_equal(ike_transform_name(IKE_T_PRF, IKE_PRF_HMAC_SHA2_256), "prfsha256");
	assert_string_equal(ike_transform_name(IKE_T_DH, 31), "curve25519");
	assert_string_equal(ike_transform_name(IKE_T_DH, 0), "modpnone");
	assert_string_equal(ike_transform_name(6, 36), "mlkem768");
	assert_string_equal(ike_transform_name(IKE_T_ESN, 1), "esn");
	assert_string_equal(ike_transform_name(IKE_T_DH, 0xFFFF), "unknown");
	assert_string_equal(ike_transform_name(IKE_T_DH, 99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swanctl_fixtures),
		cmocka_unit_test(test_ipsec_fixtures),
		cmocka_unit_test(test_libreswan_fixtures),
		cmocka_unit_test(test_swanctl_samples),
		cmocka_unit_test(test_ipsec_samples),
		cmocka_unit_test(test_all_samples),
		cmocka_unit_test(test_swanctl_bad),
		cmocka_unit_test(test_ipsec_bad),
		cmocka_unit_test(test_skipped),
		cmocka_unit_test(test_psk),
		cmocka_unit_test(test_samples_no_secret),
		cmocka_unit_test(test_proposal_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
