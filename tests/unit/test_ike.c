/* libdiag/ike: strongSwan proposal strings, byte-exact IKEv2 IKE_SA_INIT and IKEv1 Main
 * Mode requests (fixed SPI, nonce and private key; goldens in testdata/ike/, rewritten with
 * UPDATE_GOLDEN=1), our own requests decoded back, hand-built responses, and the payload
 * chain rules (tcpdump's ISAKMP CVE classes) as ordinary cases. */
#include "tests/unit/testutil.h"

#include "libdiag/ike/ike_proposal.h"
#include "libdiag/ike/ike_v1.h"
#include "libdiag/ike/ike_v2.h"

#define GOLDEN_DIR "testdata/ike/"

static void check_golden_bin(const char *name, const uint8_t *got, size_t n)
{
	char path[256], *want;
	const char *update = getenv("UPDATE_GOLDEN");
	size_t len = 0;

	snprintf(path, sizeof(path), "%s%s", GOLDEN_DIR, name);
	if (update && strcmp(update, "1") == 0) {
		FILE *fp = fopen(path, "wb");

		if (!fp || fwrite(got, 1, n, fp) != n || fclose(fp) != 0)
			fail_msg("cannot write %s (run from the project root)", path);
		return;
	}
	want = read_file(path, &len);
	if (!want)
		fail_msg("golden file %s missing: create it with UPDATE_GOLDEN=1", path);
	if (len != n || memcmp(want, got, n) != 0) {
		size_t i = 0;

		while (i < len && i < n && (uint8_t)want[i] == got[i])
			i++;
		free(want);
		fail_msg("%s differs at byte %zu (want %zu bytes, got %zu)", path, i, len, n);
	}
	free(want);
}

static void parse_ok(const char *s, struct ike_proposal *p)
{
	struct diag_error err = { 0 };
	char buf[512];

	if (ike_proposal_parse(s, p, &err))
		fail_msg("%s: %s", s, diag_error_text(&err, buf, sizeof(buf)));
}

static void assert_t(const struct ike_transform *t, uint8_t type, uint16_t id, uint16_t kl)
{
	assert_int_equal(t->type, type);
	assert_int_equal(t->id, id);
	assert_int_equal(t->keylen, kl);
}

/* ---- proposals ---------------------------------------------------------------------- */

static void test_proposal_good(void **state)
{
	struct ike_proposal p;

	(void)state;
	parse_ok("aes256-sha256-modp2048", &p);
	assert_int_equal(p.n, 4);
	assert_t(&p.t[0], IKE_T_ENCR, IKE_ENCR_AES_CBC, 256);
	assert_t(&p.t[1], IKE_T_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	assert_t(&p.t[2], IKE_T_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	assert_t(&p.t[3], IKE_T_DH, 14, 0);

	parse_ok("aes128gcm16-prfsha256-ecp256", &p);
	assert_int_equal(p.n, 3);
	assert_t(&p.t[0], IKE_T_ENCR, IKE_ENCR_AES_GCM_16, 128);
	assert_t(&p.t[1], IKE_T_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	assert_t(&p.t[2], IKE_T_DH, 19, 0);

	parse_ok("aes256-sha1-modp1024", &p);
	assert_int_equal(p.n, 4);
	assert_t(&p.t[2], IKE_T_INTEG, IKE_INTEG_HMAC_SHA1_96, 0);
	assert_t(&p.t[3], IKE_T_DH, 2, 0);

	parse_ok("aes128-aes256-sha1-sha256-modp2048-ecp256", &p);
	assert_int_equal(p.n, 8);
	assert_t(&p.t[0], IKE_T_ENCR, IKE_ENCR_AES_CBC, 128);
	assert_t(&p.t[1], IKE_T_ENCR, IKE_ENCR_AES_CBC, 256);
	assert_t(&p.t[2], IKE_T_PRF, IKE_PRF_HMAC_SHA1, 0);
	assert_t(&p.t[3], IKE_T_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	assert_t(&p.t[4], IKE_T_INTEG, IKE_INTEG_HMAC_SHA1_96, 0);
	assert_t(&p.t[5], IKE_T_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	assert_t(&p.t[6], IKE_T_DH, 14, 0);
	assert_t(&p.t[7], IKE_T_DH, 19, 0);

	/* AEAD with a plain hash name: the hash is the PRF, no integrity transform. */
	parse_ok("aes256gcm16-sha384-ecp384", &p);
	assert_int_equal(p.n, 3);
	assert_t(&p.t[1], IKE_T_PRF, IKE_PRF_HMAC_SHA2_384, 0);
	/* An explicit PRF wins over the one integrity implies. */
	parse_ok("aes128-sha1-prfsha256-modp2048s256", &p);
	assert_int_equal(p.n, 4);
	assert_t(&p.t[1], IKE_T_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	assert_t(&p.t[3], IKE_T_DH, 24, 0);
}

static void bad(const char *s, const char *needle)
{
	struct ike_proposal p;
	struct diag_error err = { 0 };
	char buf[512];

	assert_int_equal(ike_proposal_parse(s, &p, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_USAGE);
	diag_error_text(&err, buf, sizeof(buf));
	if (!strstr(buf, needle))
		fail_msg("'%s': error '%s' lacks '%s'", s, buf, needle);
}

static void test_proposal_bad(void **state)
{
	(void)state;
	bad("aes256-sha999-modp2048", "'sha999'");
	bad("aes256-sha256-modp2047", "'modp2047'");
	bad("AES256-sha256-modp2048", "'AES256'");
	bad("", "empty");
	bad("aes256-sha256", "no DH group");
	bad("sha256-modp2048", "no encryption");
	bad("aes256-modp2048", "no integrity");
	bad("aes256--sha1-modp1024", "empty algorithm name");
	bad("aes256-sha1-modp1024-", "trailing");
	bad("aes128gcm16-aes256-sha1-modp2048", "mixes AEAD");
}

/* ---- requests ----------------------------------------------------------------------- */

static void v2_request(const char *proposal, bool natd, struct ike_buf *out,
		       struct ike_v2_request *req, struct ike_proposal *p)
{
	struct diag_error err = { 0 };
	char buf[512];
	static const uint8_t src[4] = { 192, 0, 2, 10 }, dst[4] = { 203, 0, 113, 1 };

	parse_ok(proposal, p);
	memset(req, 0, sizeof(*req));
	req->props = p;
	req->nprops = 1;
	req->natd = natd;
	memcpy(req->src.ip, src, 4);
	req->src.iplen = 4;
	req->src.port = 500;
	memcpy(req->dst.ip, dst, 4);
	req->dst.iplen = 4;
	req->dst.port = 500;
	ike_fixed_default(&req->fixed);
	if (ike_v2_build_init(req, out, &err))
		fail_msg("%s", diag_error_text(&err, buf, sizeof(buf)));
}

static void v2_roundtrip(const struct ike_buf *b, const struct ike_proposal *p,
			 uint16_t group, bool natd)
{
	struct ike_v2_msg m;
	struct diag_error err = { 0 };
	char buf[512];

	if (ike_v2_decode(b->p, b->len, false, &m, &err))
		fail_msg("%s", diag_error_text(&err, buf, sizeof(buf)));
	assert_int_equal(m.exchange, IKE2_EXCH_SA_INIT);
	assert_int_equal(m.flags, IKE2_FLAG_INITIATOR);
	assert_int_equal(m.length, b->len);
	assert_int_equal(m.nprops, 1);
	assert_int_equal(m.prop_num[0], 1);
	assert_int_equal(m.props[0].n, p->n);
	for (size_t i = 0; i < p->n; i++)
		assert_t(&m.props[0].t[i], p->t[i].type, p->t[i].id, p->t[i].keylen);
	assert_true(m.has_ke);
	assert_int_equal(m.ke_group, group);
	assert_int_equal(m.ke_len, ike_dh_pub_len(group));
	assert_true(m.has_nonce);
	assert_int_equal(m.nonce_len, IKE_NONCE_LEN);
	assert_int_equal(m.nnotify, natd ? 2 : 0);
	assert_int_equal(m.nunknown, 0);
}

static void test_v2_golden_modp2048(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_v2_request req;
	struct ike_proposal p;
	struct ike_v2_msg m;
	struct diag_error err = { 0 };
	uint8_t h[20];
	static const uint8_t zero[8], src[4] = { 192, 0, 2, 10 }, dst[4] = { 203, 0, 113, 1 };

	(void)state;
	v2_request("aes256-sha256-modp2048", true, &b, &req, &p);
	assert_int_equal(b.len, 28 + 48 + 264 + 36 + 28 + 28);
	check_golden_bin("v2-init-modp2048.bin", b.p, b.len);
	v2_roundtrip(&b, &p, 14, true);
	/* The NAT-D hashes are SHA-1(SPIi | 0 | IP | port) of each end. */
	assert_int_equal(ike_v2_decode(b.p, b.len, false, &m, &err), 0);
	assert_int_equal(ike_natd_hash(req.spi_out, zero, src, 4, 500, h), 0);
	assert_memory_equal(ike_v2_find_notify(&m, IKE2_N_NAT_DETECTION_SOURCE_IP)->data, h, 20);
	assert_int_equal(ike_natd_hash(req.spi_out, zero, dst, 4, 500, h), 0);
	assert_memory_equal(ike_v2_find_notify(&m, IKE2_N_NAT_DETECTION_DESTINATION_IP)->data, h,
			    20);
	ike_buf_free(&b);
}

static void test_v2_golden_ecp256(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_v2_request req;
	struct ike_proposal p;

	(void)state;
	v2_request("aes128gcm16-prfsha256-ecp256", false, &b, &req, &p);
	check_golden_bin("v2-init-ecp256.bin", b.p, b.len);
	v2_roundtrip(&b, &p, 19, false);
	ike_buf_free(&b);
}

/* RFC 5114 group 24 (MODP 2048 with a 256-bit subgroup), NAT-D over IPv6. */
static void test_v2_golden_modp2048s256(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_v2_request req;
	struct ike_proposal p;
	struct diag_error err = { 0 };
	struct ike_v2_msg m;
	uint8_t h[20];
	static const uint8_t zero[8];

	(void)state;
	parse_ok("aes256-sha384-modp2048s256", &p);
	memset(&req, 0, sizeof(req));
	req.props = &p;
	req.nprops = 1;
	req.natd = true;
	req.src.iplen = 16;
	req.src.ip[0] = 0x20, req.src.ip[1] = 0x01, req.src.ip[2] = 0x0d, req.src.ip[3] = 0xb8;
	req.src.ip[15] = 1;
	req.src.port = 4500;
	req.dst = req.src;
	req.dst.ip[15] = 2;
	ike_fixed_default(&req.fixed);
	assert_int_equal(ike_v2_build_init(&req, &b, &err), 0);
	check_golden_bin("v2-init-modp2048s256.bin", b.p, b.len);
	v2_roundtrip(&b, &p, 24, true);
	assert_int_equal(ike_v2_decode(b.p, b.len, false, &m, &err), 0);
	assert_int_equal(ike_natd_hash(req.spi_out, zero, req.dst.ip, 16, 4500, h), 0);
	assert_memory_equal(ike_v2_find_notify(&m, IKE2_N_NAT_DETECTION_DESTINATION_IP)->data, h,
			    20);
	/* A bad address length is refused, not hashed. */
	req.src.iplen = 5;
	assert_int_equal(ike_v2_build_init(&req, &b, &err), -1);
	ike_buf_free(&b);
}

/* Every group we claim gives a public value of the right size, in both modes; two random
 * keys differ. */
static void test_v2_all_groups(void **state)
{
	static const uint16_t groups[] = { 1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24 };
	uint8_t a[IKE_KE_MAX], c[IKE_KE_MAX];
	struct diag_error err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		size_t n = ike_dh_pub_len(groups[i]);

		assert_true(n > 0 && n <= IKE_KE_MAX);
		assert_int_equal(ike_dh_public(groups[i], false, a, sizeof(a), &err), 0);
		assert_int_equal(ike_dh_public(groups[i], false, c, sizeof(c), &err), 0);
		assert_memory_not_equal(a, c, n);
		assert_int_equal(ike_dh_public(groups[i], true, a, sizeof(a), &err), 0);
		assert_int_equal(ike_dh_public(groups[i], true, c, sizeof(c), &err), 0);
		assert_memory_equal(a, c, n);
	}
	assert_int_equal(ike_dh_public(25, false, a, sizeof(a), &err), -1);
	assert_int_equal(ike_dh_public(3, false, a, sizeof(a), &err), -1);
}

/* Two proposals and a COOKIE echoed first; a size cap smaller than the message fails. */
static void test_v2_cookie_two_proposals(void **state)
{
	struct ike_proposal p[2];
	struct ike_v2_request req = { 0 };
	struct ike_buf b = { 0 };
	struct ike_v2_msg m;
	struct diag_error err = { 0 };
	static const uint8_t cookie[] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	(void)state;
	parse_ok("aes256-sha256-modp2048", &p[0]);
	parse_ok("aes128gcm16-prfsha256-ecp256", &p[1]);
	req.props = p;
	req.nprops = 2;
	req.ke_group = 19;
	req.cookie = cookie;
	req.cookie_len = sizeof(cookie);
	assert_int_equal(ike_v2_build_init(&req, &b, &err), 0);
	assert_int_equal(ike_v2_decode(b.p, b.len, false, &m, &err), 0);
	assert_int_equal(m.first_payload, IKE2_PL_NOTIFY);
	assert_int_equal(m.notify[0].type, IKE2_N_COOKIE);
	assert_memory_equal(m.notify[0].data, cookie, sizeof(cookie));
	assert_int_equal(m.nprops, 2);
	assert_int_equal(m.prop_num[1], 2);
	assert_int_equal(m.props[1].n, 3);
	assert_int_equal(m.ke_group, 19);
	b.max = 100;
	assert_int_equal(ike_v2_build_init(&req, &b, &err), -1);
	ike_buf_free(&b);
}

static void v1_request(const char *proposal, struct ike_buf *out, struct ike_proposal *p)
{
	struct ike_v1_request req = { 0 };
	struct diag_error err = { 0 };
	char buf[512];

	parse_ok(proposal, p);
	req.prop = p;
	ike_fixed_default(&req.fixed);
	if (ike_v1_build_mm1(&req, out, &err))
		fail_msg("%s", diag_error_text(&err, buf, sizeof(buf)));
}

static void test_v1_golden_group2(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_proposal p;
	struct ike_v1_msg m;
	struct diag_error err = { 0 };

	(void)state;
	v1_request("aes256-sha1-modp1024", &b, &p);
	check_golden_bin("v1-mm1-group2.bin", b.p, b.len);
	assert_int_equal(ike_v1_decode(b.p, b.len, false, &m, &err), 0);
	assert_int_equal(m.exchange, IKE1_EXCH_MAIN);
	assert_true(m.has_sa);
	assert_int_equal(m.doi, 1);
	assert_int_equal(m.protocol, 1);
	assert_int_equal(m.ntransforms, 1);
	assert_int_equal(m.t[0].encr, 7);
	assert_int_equal(m.t[0].keylen, 256);
	assert_int_equal(m.t[0].hash, 2);
	assert_int_equal(m.t[0].auth, IKE1_AUTH_PSK);
	assert_int_equal(m.t[0].group, 2);
	assert_int_equal(m.t[0].life_type, 1);
	assert_int_equal(m.t[0].life, 28800);
	ike_buf_free(&b);
}

static void test_v1_golden_group14(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_proposal p;
	struct ike_v1_msg m;
	struct diag_error err = { 0 };

	(void)state;
	v1_request("aes128-aes256-sha1-sha256-modp2048", &b, &p);
	check_golden_bin("v1-mm1-group14.bin", b.p, b.len);
	assert_int_equal(ike_v1_decode(b.p, b.len, false, &m, &err), 0);
	assert_int_equal(m.ntransforms, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(m.t[i].num, i + 1);
		assert_int_equal(m.t[i].encr, 7);
		assert_int_equal(m.t[i].keylen, i < 2 ? 128 : 256);
		assert_int_equal(m.t[i].hash, i % 2 ? 4 : 2);
		assert_int_equal(m.t[i].group, 14);
	}
	ike_buf_free(&b);
}

static void test_v1_long_lifetime_tlv(void **state)
{
	struct ike_proposal p;
	struct ike_v1_request req = { 0 };
	struct ike_buf b = { 0 };
	struct ike_v1_msg m;
	struct diag_error err = { 0 };

	(void)state;
	parse_ok("3des-md5-modp1024", &p);
	req.prop = &p;
	req.lifetime = 86400; /* needs the TLV form */
	assert_int_equal(ike_v1_build_mm1(&req, &b, &err), 0);
	assert_int_equal(ike_v1_decode(b.p, b.len, false, &m, &err), 0);
	assert_int_equal(m.t[0].life, 86400);
	assert_int_equal(m.t[0].encr, 5);
	assert_int_equal(m.t[0].keylen, 0);
	parse_ok("aes128gcm16-prfsha256-ecp256", &p);
	assert_int_equal(ike_v1_build_mm1(&req, &b, &err), -1);
	ike_buf_free(&b);
}

/* ---- responses ---------------------------------------------------------------------- */

static const uint8_t spi_i[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
static const uint8_t spi_r[8] = { 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 };
static const uint8_t zero8[8];

static void decode_v2(const char *golden, struct ike_buf *b, struct ike_v2_msg *m)
{
	struct diag_error err = { 0 };
	char buf[512];

	assert_false(b->failed);
	check_golden_bin(golden, b->p, b->len);
	if (ike_v2_decode(b->p, b->len, false, m, &err))
		fail_msg("%s", diag_error_text(&err, buf, sizeof(buf)));
	assert_memory_equal(m->spi_i, spi_i, 8);
	assert_true(m->flags & IKE2_FLAG_RESPONSE);
}

static void test_v2_resp_accepted(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_proposal p;
	struct ike_v2_msg m;
	uint8_t pub[64], nonce[32] = { 0 }, h[20];
	static const uint8_t vid[16] = { 0x88, 0x2f, 0xe5, 0x6d, 0x6f, 0xd2, 0x0d, 0xbc,
					 0x22, 0x51, 0x61, 0x3b, 0x2e, 0xbe, 0x5b, 0xeb };

	(void)state;
	parse_ok("aes128gcm16-prfsha256-ecp256", &p);
	memset(pub, 0x42, sizeof(pub));
	memset(h, 0x5a, sizeof(h));
	ike_v2_put_header(&b, spi_i, spi_r, IKE2_PL_SA, IKE2_EXCH_SA_INIT, IKE2_FLAG_RESPONSE, 0);
	ike_v2_put_sa(&b, IKE2_PL_KE, &p, 1);
	ike_v2_put_ke(&b, IKE2_PL_NONCE, 19, pub, sizeof(pub));
	ike_v2_put_nonce(&b, IKE2_PL_NOTIFY, nonce, sizeof(nonce));
	ike_v2_put_notify(&b, IKE2_PL_NOTIFY, IKE2_N_NAT_DETECTION_SOURCE_IP, h, 20);
	ike_v2_put_notify(&b, IKE2_PL_VENDOR, IKE2_N_NAT_DETECTION_DESTINATION_IP, h, 20);
	ike_v2_put_vendor(&b, 0, vid, sizeof(vid));
	ike_v2_finish(&b);
	decode_v2("v2-resp-accepted.bin", &b, &m);
	assert_memory_equal(m.spi_r, spi_r, 8);
	assert_int_equal(m.nprops, 1);
	assert_t(&m.props[0].t[0], IKE_T_ENCR, IKE_ENCR_AES_GCM_16, 128);
	assert_t(&m.props[0].t[1], IKE_T_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	assert_t(&m.props[0].t[2], IKE_T_DH, 19, 0);
	assert_int_equal(m.ke_group, 19);
	assert_int_equal(m.ke_len, 64);
	assert_int_equal(m.nonce_len, 32);
	assert_int_equal(m.nnotify, 2);
	assert_memory_equal(ike_v2_find_notify(&m, IKE2_N_NAT_DETECTION_SOURCE_IP)->data, h, 20);
	assert_non_null(ike_v2_find_notify(&m, IKE2_N_NAT_DETECTION_DESTINATION_IP));
	assert_int_equal(m.nvendor, 1);
	assert_string_equal(m.vendor[0], "882fe56d6fd20dbc2251613b2ebe5beb");
	assert_int_equal(m.npayloads, 6);
	ike_buf_free(&b);
}

static void test_v2_resp_notify(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_v2_msg m;
	static const uint8_t grp2[2] = { 0, 2 };
	static const uint8_t cookie[20] = { 0xc0, 0x0c, 0x1e, 9, 8, 7, 6, 5, 4, 3,
					    2, 1, 0, 1, 2, 3, 4, 5, 6, 7 };

	(void)state;
	ike_v2_put_header(&b, spi_i, zero8, IKE2_PL_NOTIFY, IKE2_EXCH_SA_INIT,
			  IKE2_FLAG_RESPONSE, 0);
	ike_v2_put_notify(&b, 0, IKE2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	ike_v2_finish(&b);
	decode_v2("v2-resp-no-proposal.bin", &b, &m);
	assert_int_equal(m.nnotify, 1);
	assert_int_equal(m.notify[0].type, IKE2_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(m.nprops, 0);

	b.len = 0;
	ike_v2_put_header(&b, spi_i, zero8, IKE2_PL_NOTIFY, IKE2_EXCH_SA_INIT,
			  IKE2_FLAG_RESPONSE, 0);
	ike_v2_put_notify(&b, 0, IKE2_N_INVALID_KE_PAYLOAD, grp2, 2);
	ike_v2_finish(&b);
	decode_v2("v2-resp-invalid-ke.bin", &b, &m);
	assert_int_equal(m.notify[0].type, IKE2_N_INVALID_KE_PAYLOAD);
	assert_int_equal(m.notify[0].group, 2);

	b.len = 0;
	ike_v2_put_header(&b, spi_i, zero8, IKE2_PL_NOTIFY, IKE2_EXCH_SA_INIT,
			  IKE2_FLAG_RESPONSE, 0);
	ike_v2_put_notify(&b, 0, IKE2_N_COOKIE, cookie, sizeof(cookie));
	ike_v2_finish(&b);
	decode_v2("v2-resp-cookie.bin", &b, &m);
	assert_int_equal(m.notify[0].type, IKE2_N_COOKIE);
	assert_int_equal(m.notify[0].data_len, sizeof(cookie));
	assert_memory_equal(m.notify[0].data, cookie, sizeof(cookie));

	/* INVALID_SYNTAX, an unknown notification and an unknown payload type (99). */
	b.len = 0;
	ike_v2_put_header(&b, spi_i, zero8, IKE2_PL_NOTIFY, IKE2_EXCH_SA_INIT,
			  IKE2_FLAG_RESPONSE, 0);
	ike_v2_put_notify(&b, IKE2_PL_NOTIFY, IKE2_N_INVALID_SYNTAX, NULL, 0);
	ike_v2_put_notify(&b, 99, 40000, cookie, 3);
	ike_v2_put_vendor(&b, 0, cookie, 4); /* a vendor-ID layout, typed 99 below */
	ike_v2_finish(&b);
	decode_v2("v2-resp-unknown.bin", &b, &m);
	assert_int_equal(m.nnotify, 2);
	assert_int_equal(m.notify[0].type, IKE2_N_INVALID_SYNTAX);
	assert_int_equal(m.notify[1].type, 40000);
	assert_int_equal(m.notify[1].data_len, 3);
	assert_int_equal(m.nunknown, 1);
	assert_int_equal(m.unknown[0], 99);
	ike_buf_free(&b);

	/* INVALID_KE_PAYLOAD without its group is malformed. */
	ike_v2_put_header(&b, spi_i, zero8, IKE2_PL_NOTIFY, IKE2_EXCH_SA_INIT,
			  IKE2_FLAG_RESPONSE, 0);
	ike_v2_put_notify(&b, 0, IKE2_N_INVALID_KE_PAYLOAD, grp2, 1);
	ike_v2_finish(&b);
	{
		struct diag_error err = { 0 };

		assert_int_equal(ike_v2_decode(b.p, b.len, false, &m, &err), -1);
	}
	ike_buf_free(&b);
}

static void test_v2_natt_marker(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_v2_msg m;
	struct diag_error err = { 0 };
	static const uint8_t marker[4] = { 0 };

	(void)state;
	ike_buf_put(&b, marker, 4);
	ike_v2_put_header(&b, spi_i, zero8, IKE2_PL_NOTIFY, IKE2_EXCH_SA_INIT,
			  IKE2_FLAG_RESPONSE, 0);
	ike_v2_put_notify(&b, 0, IKE2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	ike_buf_set_be32(&b, 28, (uint32_t)b.len - 4);
	assert_int_equal(ike_v2_decode(b.p, b.len, true, &m, &err), 0);
	assert_true(m.natt);
	assert_int_equal(m.notify[0].type, IKE2_N_NO_PROPOSAL_CHOSEN);
	/* Without the flag the marker is read as an SPI and the message is malformed. */
	assert_int_equal(ike_v2_decode(b.p, b.len, false, &m, &err), -1);
	ike_buf_free(&b);
}

static void test_v1_resp(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_v1_msg m;
	struct diag_error err = { 0 };
	char buf[512];
	struct ike_v1_transform t = { .num = 3, .id = 1, .encr = 7, .keylen = 128, .hash = 4,
				      .auth = 1, .group = 14, .life_type = 1, .life = 28800 };
	static const uint8_t vid[8] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45 };

	(void)state;
	ike_v1_put_header(&b, spi_i, spi_r, IKE1_PL_SA, IKE1_EXCH_MAIN, 0, 0);
	ike_v1_put_sa(&b, IKE1_PL_VENDOR, &t, 1);
	ike_v1_put_vendor(&b, 0, vid, sizeof(vid));
	ike_v1_finish(&b);
	check_golden_bin("v1-resp-accepted.bin", b.p, b.len);
	if (ike_v1_decode(b.p, b.len, false, &m, &err))
		fail_msg("%s", diag_error_text(&err, buf, sizeof(buf)));
	assert_int_equal(m.ntransforms, 1);
	assert_int_equal(m.t[0].num, 3);
	assert_int_equal(m.t[0].encr, 7);
	assert_int_equal(m.t[0].keylen, 128);
	assert_int_equal(m.t[0].hash, 4);
	assert_int_equal(m.t[0].group, 14);
	assert_int_equal(m.t[0].life, 28800);
	assert_int_equal(m.nvendor, 1);
	assert_string_equal(m.vendor[0], "4a131c8107035845");

	b.len = 0;
	ike_v1_put_header(&b, spi_i, zero8, IKE1_PL_NOTIFY, IKE1_EXCH_INFO, 0, 0x01020304);
	ike_v1_put_notify(&b, 0, IKE1_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	ike_v1_finish(&b);
	check_golden_bin("v1-resp-no-proposal.bin", b.p, b.len);
	assert_int_equal(ike_v1_decode(b.p, b.len, false, &m, &err), 0);
	assert_int_equal(m.exchange, IKE1_EXCH_INFO);
	assert_int_equal(m.nnotify, 1);
	assert_int_equal(m.notify[0], IKE1_N_NO_PROPOSAL_CHOSEN);
	assert_false(m.has_sa);
	ike_buf_free(&b);
}

/* ---- cursor rules (tcpdump's ISAKMP CVE classes) --------------------------------------- */

static void want_v2_error(const uint8_t *p, size_t n, bool natt, const char *needle)
{
	struct ike_v2_msg m;
	struct diag_error err = { 0 };
	char buf[512];

	assert_int_equal(ike_v2_decode(p, n, natt, &m, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	diag_error_text(&err, buf, sizeof(buf));
	if (!strstr(buf, needle))
		fail_msg("error '%s' lacks '%s'", buf, needle);
}

static void want_v1_error(const uint8_t *p, size_t n, const char *needle)
{
	struct ike_v1_msg m;
	struct diag_error err = { 0 };
	char buf[512];

	assert_int_equal(ike_v1_decode(p, n, false, &m, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	diag_error_text(&err, buf, sizeof(buf));
	if (!strstr(buf, needle))
		fail_msg("error '%s' lacks '%s'", buf, needle);
}

static void test_payload_len_below_header(void **state)
{
	struct ike_buf b = { 0 };

	(void)state;
	for (uint16_t len = 0; len < 4; len++) {
		b.len = 0;
		ike_v2_put_header(&b, spi_i, zero8, IKE2_PL_VENDOR, IKE2_EXCH_SA_INIT, 0x20, 0);
		ike_buf_u8(&b, IKE2_PL_VENDOR); /* would point at itself forever */
		ike_buf_u8(&b, 0);
		ike_buf_be16(&b, len);
		ike_buf_be32(&b, 0);
		ike_v2_finish(&b);
		want_v2_error(b.p, b.len, false, "below the 4-byte header");
		b.p[16] = IKE1_PL_VENDOR;
		b.p[17] = 0x10;
		b.p[18] = IKE1_EXCH_MAIN;
		b.p[28] = IKE1_PL_VENDOR;
		want_v1_error(b.p, b.len, "below the 4-byte header");
	}
	ike_buf_free(&b);
}

static void test_chain_past_end(void **state)
{
	struct ike_buf b = { 0 };

	(void)state;
	ike_v2_put_header(&b, spi_i, zero8, IKE2_PL_NONCE, IKE2_EXCH_SA_INIT, 0x20, 0);
	ike_buf_u8(&b, 0);
	ike_buf_u8(&b, 0);
	ike_buf_be16(&b, 40); /* 8 bytes are there */
	ike_buf_be32(&b, 0);
	ike_v2_finish(&b);
	want_v2_error(b.p, b.len, false, "passes the end");
	/* The header's length claims more than was received. */
	ike_buf_set_be32(&b, 24, 200);
	want_v2_error(b.p, b.len, false, "does not match");
	/* A chain whose last payload names another one that is not there. */
	ike_buf_set_be32(&b, 24, (uint32_t)b.len);
	ike_buf_set_be16(&b, 30, 8);
	b.p[28] = IKE2_PL_NONCE;
	want_v2_error(b.p, b.len, false, "truncated payload header");
	ike_buf_free(&b);
}

static void test_payload_cap(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_v2_msg m;
	struct diag_error err = { 0 };

	(void)state;
	for (int n = 64; n <= 65; n++) {
		b.len = 0;
		ike_v2_put_header(&b, spi_i, zero8, IKE2_PL_VENDOR, IKE2_EXCH_SA_INIT, 0x20, 0);
		for (int i = 0; i < n; i++)
			ike_v2_put_vendor(&b, i + 1 < n ? IKE2_PL_VENDOR : 0, NULL, 0);
		ike_v2_finish(&b);
		if (n == 64) {
			assert_int_equal(ike_v2_decode(b.p, b.len, false, &m, &err), 0);
			assert_int_equal(m.npayloads, 64);
			assert_int_equal(m.nvendor, IKE2_VENDOR_MAX);
		} else {
			want_v2_error(b.p, b.len, false, "more than 64 payloads");
		}
	}
	ike_buf_free(&b);
}

static void test_truncated_header(void **state)
{
	uint8_t buf[28] = { 0 };

	(void)state;
	buf[17] = 0x20;
	buf[27] = 28;
	for (size_t n = 0; n < 28; n++)
		want_v2_error(buf, n, false, "truncated header");
	buf[17] = 0x10;
	want_v1_error(buf, 27, "truncated header");
}

static void test_v1_attr_length_confusion(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_v1_transform t = { .num = 1, .id = 1, .encr = 7, .hash = 2, .auth = 1,
				      .group = 2 };

	(void)state;
	ike_v1_put_header(&b, spi_i, spi_r, IKE1_PL_SA, IKE1_EXCH_MAIN, 0, 0);
	ike_v1_put_sa(&b, 0, &t, 1);
	ike_v1_finish(&b);
	/* The last attribute (group, TV at the end) becomes a TLV claiming 2 bytes of value
	 * where none remain: the value must not be read from the next bytes in the buffer. */
	b.p[b.len - 4] &= 0x7f;
	want_v1_error(b.p, b.len, "TLV length 2 passes the end");
	b.p[b.len - 1] = 0xff;
	want_v1_error(b.p, b.len, "passes the end");
	ike_buf_free(&b);
}

static void test_bad_last_substructure(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_proposal p[2];
	struct ike_v1_transform t[2] = {
		{ .num = 1, .id = 1, .encr = 7, .hash = 2, .auth = 1, .group = 2 },
		{ .num = 2, .id = 1, .encr = 7, .hash = 2, .auth = 1, .group = 14 },
	};
	size_t first_prop = 28 + 4;

	(void)state;
	parse_ok("aes256-sha256-modp2048", &p[0]);
	parse_ok("aes128-sha1-modp1024", &p[1]);
	ike_v2_put_header(&b, spi_i, zero8, IKE2_PL_SA, IKE2_EXCH_SA_INIT, 0x20, 0);
	ike_v2_put_sa(&b, 0, p, 2);
	ike_v2_finish(&b);
	/* Proposal 1 says "last" (0) while proposal 2 follows. */
	assert_int_equal(b.p[first_prop], 2);
	b.p[first_prop] = 0;
	want_v2_error(b.p, b.len, false, "marked last but");
	/* A value that is neither 0 nor 2. */
	b.p[first_prop] = 1;
	want_v2_error(b.p, b.len, false, "bad last-substructure value 1");
	/* The last proposal says "more" with nothing after it. */
	b.p[first_prop] = 2;
	b.p[first_prop + (b.p[first_prop + 2] << 8 | b.p[first_prop + 3])] = 2;
	want_v2_error(b.p, b.len, false, "nothing follows");

	/* IKEv1: transform 1 claims to be the last, transform 2 follows. */
	b.len = 0;
	ike_v1_put_header(&b, spi_i, spi_r, IKE1_PL_SA, IKE1_EXCH_MAIN, 0, 0);
	ike_v1_put_sa(&b, 0, t, 2);
	ike_v1_finish(&b);
	assert_int_equal(b.p[28 + 12 + 8], IKE1_PL_TRANSFORM);
	b.p[28 + 12 + 8] = 0;
	want_v1_error(b.p, b.len, "marked last but");
	b.p[28 + 12 + 8] = 1;
	want_v1_error(b.p, b.len, "bad last-substructure value 1");
	ike_buf_free(&b);
}

static void test_truncated_natt(void **state)
{
	static const uint8_t two[2] = { 0, 0 }, esp[8] = { 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1 };
	struct ike_v1_msg m1;
	struct diag_error err = { 0 };

	(void)state;
	want_v2_error(two, 0, true, "truncated non-ESP marker");
	want_v2_error(two, 2, true, "truncated non-ESP marker");
	want_v2_error(esp, 8, true, "not zero");
	/* The marker alone: the header that follows is missing. */
	want_v2_error(esp + 4, 4, true, "not zero");
	want_v2_error((const uint8_t[4]){ 0 }, 4, true, "truncated header");
	assert_int_equal(ike_v1_decode(two, 2, true, &m1, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proposal_good),
		cmocka_unit_test(test_proposal_bad),
		cmocka_unit_test(test_v2_golden_modp2048),
		cmocka_unit_test(test_v2_golden_ecp256),
		cmocka_unit_test(test_v2_golden_modp2048s256),
		cmocka_unit_test(test_v2_all_groups),
		cmocka_unit_test(test_v2_cookie_two_proposals),
		cmocka_unit_test(test_v1_golden_group2),
		cmocka_unit_test(test_v1_golden_group14),
		cmocka_unit_test(test_v1_long_lifetime_tlv),
		cmocka_unit_test(test_v2_resp_accepted),
		cmocka_unit_test(test_v2_resp_notify),
		cmocka_unit_test(test_v2_natt_marker),
		cmocka_unit_test(test_v1_resp),
		cmocka_unit_test(test_payload_len_below_header),
		cmocka_unit_test(test_chain_past_end),
		cmocka_unit_test(test_payload_cap),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_v1_attr_length_confusion),
		cmocka_unit_test(test_bad_last_substructure),
		cmocka_unit_test(test_truncated_natt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
