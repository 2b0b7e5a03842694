/* libdiag/ike/ike_probe.h without the network: the classifiers that turn one datagram into
 * a verdict (accepted with the chosen transforms, NO_PROPOSAL_CHOSEN, INVALID_KE with its
 * group, COOKIE, malformed), which datagrams they ignore (another SPI, another message ID,
 * a request, a NAT-T datagram read without its marker), the NAT verdict from
 * NAT_DETECTION_DESTINATION_IP, and ike_probe_build under --fixed against the request
 * goldens of test_ike.c. Responses are built with the public payload writers. */
#include "tests/unit/testutil.h"

#include "libdiag/ike/ike_probe.h"
#include "libdiag/ike/ike_proposal.h"
#include "libdiag/ike/ike_v1.h"
#include "libdiag/ike/ike_v2.h"

/* Our initiator SPI / cookie: ike_fixed_default's, so the build goldens line up. */
static const uint8_t our_spi[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
static const uint8_t other_spi[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x89 };
static const uint8_t resp_spi[8] = { 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 };
static const uint8_t zero8[8];

static void parse_ok(const char *s, struct ike_proposal *p)
{
	struct diag_error err = { 0 };
	char buf[512];

	if (ike_proposal_parse(s, p, &err))
		fail_msg("%s: %s", s, diag_error_text(&err, buf, sizeof(buf)));
}

static void endpoint4(struct ike_endpoint *ep, uint8_t a, uint8_t b, uint8_t c, uint8_t d,
		      uint16_t port)
{
	memset(ep, 0, sizeof(*ep));
	ep->ip[0] = a, ep->ip[1] = b, ep->ip[2] = c, ep->ip[3] = d;
	ep->iplen = 4;
	ep->port = port;
}

static void assert_has(const char *s, const char *needle)
{
	if (!strstr(s, needle))
		fail_msg("'%s' lacks '%s'", s, needle);
}

/* ---- IKEv2 answers ------------------------------------------------------------------ */

struct v2_answer {
	const uint8_t *spi;         /* initiator SPI in the answer */
	uint8_t flags;              /* 0: Response */
	uint32_t msgid;
	bool natt;                  /* put a non-ESP marker first */
	bool no_nonce;              /* leave the nonce out */
	const uint8_t *natd_dst;    /* NAT_DETECTION_DESTINATION_IP data (20 bytes), or NULL */
};

/* A responder's IKE_SA_INIT answer choosing prop: HDR, SA, KE, Nr, [N(NAT_D_SRC),
 * N(NAT_D_DST)]. */
static void v2_accept(struct ike_buf *b, const struct v2_answer *a, const char *prop)
{
	static const uint8_t marker[4];
	struct ike_proposal p;
	const struct ike_transform *dh;
	uint8_t pub[256], nonce[32], src_hash[20];
	uint8_t last = a->natd_dst ? IKE2_PL_NOTIFY : 0;

	parse_ok(prop, &p);
	dh = ike_proposal_first(&p, IKE_T_DH);
	assert_non_null(dh);
	memset(pub, 0x42, sizeof(pub));
	memset(nonce, 0x17, sizeof(nonce));
	memset(src_hash, 0x5a, sizeof(src_hash));
	b->len = 0;
	if (a->natt)
		ike_buf_put(b, marker, sizeof(marker));
	ike_v2_put_header(b, a->spi, resp_spi, IKE2_PL_SA, IKE2_EXCH_SA_INIT,
			  a->flags ? a->flags : IKE2_FLAG_RESPONSE, a->msgid);
	ike_v2_put_sa(b, IKE2_PL_KE, &p, 1);
	if (a->no_nonce) {
		ike_v2_put_ke(b, last, dh->id, pub, ike_dh_pub_len(dh->id));
	} else {
		ike_v2_put_ke(b, IKE2_PL_NONCE, dh->id, pub, ike_dh_pub_len(dh->id));
		ike_v2_put_nonce(b, last, nonce, sizeof(nonce));
	}
	if (a->natd_dst) {
		ike_v2_put_notify(b, IKE2_PL_NOTIFY, IKE2_N_NAT_DETECTION_SOURCE_IP, src_hash, 20);
		ike_v2_put_notify(b, 0, IKE2_N_NAT_DETECTION_DESTINATION_IP, a->natd_dst, 20);
	}
	if (a->natt) /* the header's length counts from the IKE header, not the marker */
		ike_buf_set_be32(b, 4 + 24, (uint32_t)(b->len - 4));
	else
		ike_v2_finish(b);
	assert_false(b->failed);
}

/* An answer that is one notification: HDR, N(type, data). */
static void v2_notify(struct ike_buf *b, const uint8_t *spi, uint16_t type, const uint8_t *data,
		      size_t len)
{
	b->len = 0;
	ike_v2_put_header(b, spi, zero8, IKE2_PL_NOTIFY, IKE2_EXCH_SA_INIT, IKE2_FLAG_RESPONSE, 0);
	ike_v2_put_notify(b, 0, type, data, len);
	ike_v2_finish(b);
	assert_false(b->failed);
}

static void test_v2_accepted(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_verdict v;
	struct v2_answer a = { .spi = our_spi };

	(void)state;
	v2_accept(&b, &a, "aes256-sha256-modp2048");
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_ACCEPTED);
	assert_string_equal(ike_probe_result_name(v.result), "accepted");
	/* the chosen transforms, copied as the responder sent them */
	assert_int_equal(v.chosen.n, 4);
	assert_int_equal(v.chosen.t[0].type, IKE_T_ENCR);
	assert_int_equal(v.chosen.t[0].id, IKE_ENCR_AES_CBC);
	assert_int_equal(v.chosen.t[0].keylen, 256);
	assert_int_equal(v.chosen.t[1].type, IKE_T_PRF);
	assert_int_equal(v.chosen.t[1].id, IKE_PRF_HMAC_SHA2_256);
	assert_int_equal(v.chosen.t[2].type, IKE_T_INTEG);
	assert_int_equal(v.chosen.t[2].id, IKE_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(v.chosen.t[3].type, IKE_T_DH);
	assert_int_equal(v.chosen.t[3].id, 14);
	assert_int_equal(v.nat, IKE_NAT_UNKNOWN); /* no local endpoint given */
	assert_string_equal(v.detail, "");

	/* AEAD: no integrity transform; a stored answer (spi NULL) is classified too. */
	v2_accept(&b, &a, "aes128gcm16-prfsha384-ecp384");
	assert_true(ike_probe_classify_v2(b.p, b.len, false, NULL, NULL, &v));
	assert_int_equal(v.result, IKE_PR_ACCEPTED);
	assert_int_equal(v.chosen.n, 3);
	assert_int_equal(v.chosen.t[0].id, IKE_ENCR_AES_GCM_16);
	assert_int_equal(v.chosen.t[0].keylen, 128);
	assert_int_equal(v.chosen.t[1].id, IKE_PRF_HMAC_SHA2_384);
	assert_int_equal(v.chosen.t[2].id, 20);
	ike_buf_free(&b);
}

static void test_v2_refusals(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_verdict v;
	static const uint8_t grp2[2] = { 0, 2 }, grp19[2] = { 0, 19 };

	(void)state;
	v2_notify(&b, our_spi, IKE2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_NO_PROPOSAL);
	assert_string_equal(ike_probe_result_name(v.result), "no_proposal_chosen");

	v2_notify(&b, our_spi, IKE2_N_INVALID_KE_PAYLOAD, grp2, 2);
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_INVALID_KE);
	assert_int_equal(v.group, 2);
	assert_string_equal(ike_probe_result_name(v.result), "invalid_ke");
	v2_notify(&b, our_spi, IKE2_N_INVALID_KE_PAYLOAD, grp19, 2);
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_INVALID_KE);
	assert_int_equal(v.group, 19);

	/* A notification that is neither a refusal nor a cookie, and no SA: malformed. */
	v2_notify(&b, our_spi, IKE2_N_INVALID_SYNTAX, NULL, 0);
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "notification 7");
	ike_buf_free(&b);
}

static void test_v2_cookie(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_verdict v;
	uint8_t cookie[65];

	(void)state;
	for (size_t i = 0; i < sizeof(cookie); i++)
		cookie[i] = (uint8_t)(0xc0 + i);
	/* strongSwan's cookie: a 4-byte time stamp and a SHA-1 hash */
	v2_notify(&b, our_spi, IKE2_N_COOKIE, cookie, 24);
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_COOKIE);
	assert_string_equal(ike_probe_result_name(v.result), "cookie");
	assert_int_equal(v.cookie_len, 24);
	assert_memory_equal(v.cookie, cookie, 24);

	/* RFC 7296 2.6 allows 1 to 64 bytes: the largest is copied whole. */
	v2_notify(&b, our_spi, IKE2_N_COOKIE, cookie, 64);
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_COOKIE);
	assert_int_equal(v.cookie_len, 64);
	assert_memory_equal(v.cookie, cookie, 64);

	/* Empty and oversized cookies cannot be echoed: malformed, saying the size. */
	v2_notify(&b, our_spi, IKE2_N_COOKIE, NULL, 0);
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_int_equal(v.cookie_len, 0);
	assert_has(v.detail, "COOKIE of 0 bytes");

	v2_notify(&b, our_spi, IKE2_N_COOKIE, cookie, 65);
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_int_equal(v.cookie_len, 0);
	assert_has(v.detail, "COOKIE of 65 bytes");
	ike_buf_free(&b);
}

/* Only answers to our SPI and message ID 0 count; anything else leaves the probe waiting. */
static void test_v2_not_ours(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_verdict v;
	struct v2_answer a = { .spi = other_spi };

	(void)state;
	v2_accept(&b, &a, "aes256-sha256-modp2048");
	assert_false(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	/* the same answer is fine for its own SPI */
	assert_true(ike_probe_classify_v2(b.p, b.len, false, other_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_ACCEPTED);

	v2_notify(&b, other_spi, IKE2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	assert_false(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));

	/* our SPI, message ID 1: not the answer to our IKE_SA_INIT */
	a.spi = our_spi;
	a.msgid = 1;
	v2_accept(&b, &a, "aes256-sha256-modp2048");
	assert_false(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));

	/* garbage under another SPI, and a datagram too short to carry any SPI */
	memset(b.p, 0xee, b.len);
	assert_false(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_false(ike_probe_classify_v2(b.p, 7, false, our_spi, NULL, &v));
	assert_false(ike_probe_classify_v2(b.p, 0, false, our_spi, NULL, &v));
	ike_buf_free(&b);
}

/* A request (Response flag clear) carrying our SPI. The header's contract: with spi, "not
 * a response" is not for us (our own request reflected back must not end the probe); a
 * stored packet (spi NULL) that is a request is malformed as an answer. */
static void test_v2_request_not_answer(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_verdict v;
	struct v2_answer a = { .spi = our_spi, .flags = IKE2_FLAG_INITIATOR };

	(void)state;
	v2_accept(&b, &a, "aes256-sha256-modp2048");
	assert_false(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_true(ike_probe_classify_v2(b.p, b.len, false, NULL, NULL, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "Response flag clear");
	ike_buf_free(&b);
}

/* Bytes that claim to be ours but do not decode: malformed, the detail naming the place. */
static void test_v2_malformed(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_verdict v;
	struct v2_answer a = { .spi = our_spi };
	size_t full;

	(void)state;
	v2_accept(&b, &a, "aes256-sha256-modp2048");
	full = b.len;

	/* cut inside the KE payload, header length adjusted so the chain walk finds the cut */
	b.len = 28 + 48 + 20;
	ike_buf_set_be32(&b, 24, (uint32_t)b.len);
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "offset");
	assert_has(v.detail, "IKEv2");

	/* cut, header length left as sent */
	ike_buf_set_be32(&b, 24, (uint32_t)full);
	assert_true(ike_probe_classify_v2(b.p, 60, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "offset 0");

	/* our SPI, then garbage */
	memset(b.p + 8, 0xa5, full - 8);
	assert_true(ike_probe_classify_v2(b.p, full, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "offset");

	/* the IKE header alone */
	v2_accept(&b, &a, "aes256-sha256-modp2048");
	assert_true(ike_probe_classify_v2(b.p, 20, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "offset 0");
	assert_has(v.detail, "truncated header");

	/* well formed, but SA and KE without a nonce is not an acceptance */
	a.no_nonce = true;
	v2_accept(&b, &a, "aes256-sha256-modp2048");
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "without SA, KE or nonce");

	/* no payload at all */
	b.len = 0;
	ike_v2_put_header(&b, our_spi, resp_spi, 0, IKE2_EXCH_SA_INIT, IKE2_FLAG_RESPONSE, 0);
	ike_v2_finish(&b);
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "without SA, KE or nonce");
	ike_buf_free(&b);
}

/* NAT_DETECTION_DESTINATION_IP is the responder's hash of where it saw us come from. */
static void test_v2_nat_verdict(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_verdict v;
	struct ike_endpoint local, natted;
	struct v2_answer a = { .spi = our_spi };
	uint8_t h[20];

	(void)state;
	endpoint4(&local, 198, 51, 100, 10, 500);
	endpoint4(&natted, 100, 64, 0, 10, 500);

	/* the hash of our own address and port: no NAT */
	assert_int_equal(ike_natd_hash(our_spi, resp_spi, local.ip, 4, 500, h), 0);
	a.natd_dst = h;
	v2_accept(&b, &a, "aes256-sha256-modp2048");
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, &local, &v));
	assert_int_equal(v.result, IKE_PR_ACCEPTED);
	assert_int_equal(v.nat, IKE_NAT_NONE);
	/* the same answer to a probe that sent from elsewhere: a NAT rewrote us */
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, &natted, &v));
	assert_int_equal(v.nat, IKE_NAT_DETECTED);
	/* only the port differs (a NAPT kept the address) */
	natted = local;
	natted.port = 4500;
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, &natted, &v));
	assert_int_equal(v.nat, IKE_NAT_DETECTED);
	/* no local endpoint: no verdict */
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, NULL, &v));
	assert_int_equal(v.nat, IKE_NAT_UNKNOWN);

	/* a hash over a zero responder SPI is not the one for this answer's SPIs */
	assert_int_equal(ike_natd_hash(our_spi, zero8, local.ip, 4, 500, h), 0);
	v2_accept(&b, &a, "aes256-sha256-modp2048");
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, &local, &v));
	assert_int_equal(v.nat, IKE_NAT_DETECTED);

	/* no NAT-D payloads: unknown */
	a.natd_dst = NULL;
	v2_accept(&b, &a, "aes256-sha256-modp2048");
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, &local, &v));
	assert_int_equal(v.result, IKE_PR_ACCEPTED);
	assert_int_equal(v.nat, IKE_NAT_UNKNOWN);

	/* a refusal without NAT-D: unknown */
	v2_notify(&b, our_spi, IKE2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	assert_true(ike_probe_classify_v2(b.p, b.len, false, our_spi, &local, &v));
	assert_int_equal(v.nat, IKE_NAT_UNKNOWN);
	ike_buf_free(&b);
}

/* Port 4500: the datagram starts with the 4-byte non-ESP marker. */
static void test_v2_natt(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_verdict v;
	struct ike_endpoint local;
	struct v2_answer a = { .spi = our_spi, .natt = true };
	uint8_t h[20];

	(void)state;
	endpoint4(&local, 198, 51, 100, 10, 4500);
	assert_int_equal(ike_natd_hash(our_spi, resp_spi, local.ip, 4, 4500, h), 0);
	a.natd_dst = h;
	v2_accept(&b, &a, "aes256-sha256-modp2048");
	assert_true(ike_probe_classify_v2(b.p, b.len, true, our_spi, &local, &v));
	assert_int_equal(v.result, IKE_PR_ACCEPTED);
	assert_int_equal(v.chosen.n, 4);
	assert_int_equal(v.nat, IKE_NAT_NONE);
	/* read as port 500 the marker is the start of the SPI: not ours */
	assert_false(ike_probe_classify_v2(b.p, b.len, false, our_spi, &local, &v));
	/* marker and a cut header: ours, malformed, the place counted after the marker */
	assert_true(ike_probe_classify_v2(b.p, 4 + 20, true, our_spi, &local, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "offset 4");
	/* fewer bytes than marker and SPI: not ours */
	assert_false(ike_probe_classify_v2(b.p, 11, true, our_spi, &local, &v));
	assert_false(ike_probe_classify_v2(b.p, 3, true, our_spi, &local, &v));
	/* A non-zero marker is an ESP packet. Followed by our SPI it is classified as a
	 * malformed answer naming the marker (a real ESP packet has its sequence number and
	 * IV there, never our SPI); under another SPI it is ignored. */
	b.p[0] = 1;
	assert_true(ike_probe_classify_v2(b.p, b.len, true, our_spi, &local, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "non-ESP marker is not zero");
	assert_has(v.detail, "offset 0");
	assert_false(ike_probe_classify_v2(b.p, b.len, true, other_spi, &local, &v));
	ike_buf_free(&b);
}

/* ---- IKEv1 answers ------------------------------------------------------------------ */

static void test_v1_accepted(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_verdict v;
	struct ike_v1_transform t = { .num = 5, .id = 1, .encr = 7, .keylen = 256, .hash = 4,
				      .auth = IKE1_AUTH_PSK, .group = 14, .life_type = 1,
				      .life = 28800 };
	static const uint8_t marker[4];

	(void)state;
	ike_v1_put_header(&b, our_spi, resp_spi, IKE1_PL_SA, IKE1_EXCH_MAIN, 0, 0);
	ike_v1_put_sa(&b, 0, &t, 1);
	ike_v1_finish(&b);
	assert_false(b.failed);
	assert_true(ike_probe_classify_v1(b.p, b.len, false, our_spi, &v));
	assert_int_equal(v.result, IKE_PR_ACCEPTED);
	assert_int_equal(v.chosen1.num, 5);
	assert_int_equal(v.chosen1.encr, 7);
	assert_int_equal(v.chosen1.keylen, 256);
	assert_int_equal(v.chosen1.hash, 4);
	assert_int_equal(v.chosen1.auth, IKE1_AUTH_PSK);
	assert_int_equal(v.chosen1.group, 14);
	assert_int_equal(v.chosen1.life_type, 1);
	assert_int_equal(v.chosen1.life, 28800);
	assert_int_equal(v.nat, IKE_NAT_UNKNOWN);
	/* a stored answer */
	assert_true(ike_probe_classify_v1(b.p, b.len, false, NULL, &v));
	assert_int_equal(v.result, IKE_PR_ACCEPTED);
	/* another initiator cookie: ignored */
	assert_false(ike_probe_classify_v1(b.p, b.len, false, other_spi, &v));

	/* the same behind a non-ESP marker */
	{
		struct ike_buf n = { 0 };

		ike_buf_put(&n, marker, 4);
		ike_buf_put(&n, b.p, b.len);
		assert_true(ike_probe_classify_v1(n.p, n.len, true, our_spi, &v));
		assert_int_equal(v.result, IKE_PR_ACCEPTED);
		assert_int_equal(v.chosen1.group, 14);
		assert_false(ike_probe_classify_v1(n.p, n.len, false, our_spi, &v));
		ike_buf_free(&n);
	}
	ike_buf_free(&b);
}

static void test_v1_refused_and_malformed(void **state)
{
	struct ike_buf b = { 0 };
	struct ike_verdict v;

	(void)state;
	/* strongSwan's refusal: an Informational exchange with NO_PROPOSAL_CHOSEN */
	ike_v1_put_header(&b, our_spi, zero8, IKE1_PL_NOTIFY, IKE1_EXCH_INFO, 0, 0x01020304);
	ike_v1_put_notify(&b, 0, IKE1_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	ike_v1_finish(&b);
	assert_true(ike_probe_classify_v1(b.p, b.len, false, our_spi, &v));
	assert_int_equal(v.result, IKE_PR_NO_PROPOSAL);
	assert_false(ike_probe_classify_v1(b.p, b.len, false, other_spi, &v));

	/* another notification without an SA */
	b.len = 0;
	ike_v1_put_header(&b, our_spi, zero8, IKE1_PL_NOTIFY, IKE1_EXCH_INFO, 0, 0x01020304);
	ike_v1_put_notify(&b, 0, IKE1_N_INVALID_PAYLOAD_TYPE, NULL, 0);
	ike_v1_finish(&b);
	assert_true(ike_probe_classify_v1(b.p, b.len, false, our_spi, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "notification 1");

	/* Main Mode with no SA */
	b.len = 0;
	ike_v1_put_header(&b, our_spi, resp_spi, 0, IKE1_EXCH_MAIN, 0, 0);
	ike_v1_finish(&b);
	assert_true(ike_probe_classify_v1(b.p, b.len, false, our_spi, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "without a chosen transform");

	/* our cookie, then garbage: malformed, naming the place; another cookie: ignored */
	memset(b.p + 8, 0xa5, b.len - 8);
	assert_true(ike_probe_classify_v1(b.p, b.len, false, our_spi, &v));
	assert_int_equal(v.result, IKE_PR_MALFORMED);
	assert_has(v.detail, "offset");
	assert_false(ike_probe_classify_v1(b.p, b.len, false, other_spi, &v));
	assert_false(ike_probe_classify_v1(b.p, 5, false, our_spi, &v));
	ike_buf_free(&b);
}

/* ---- requests ----------------------------------------------------------------------- */

static void check_request(const char *name, const struct ike_buf *b, size_t skip)
{
	char path[256], *want;
	size_t len = 0;

	snprintf(path, sizeof(path), "testdata/ike/%s", name);
	want = must_read_file(path, &len);
	if (b->len != len + skip || memcmp(b->p + skip, want, len) != 0)
		fail_msg("ike_probe_build differs from %s (%zu bytes, want %zu)", path,
			 b->len - skip, len);
	free(want);
}

/* Under --fixed the probe's first request is test_ike.c's golden (same SPI, nonce, key,
 * endpoints); on port 4500 the same bytes behind a non-ESP marker. */
static void test_build_fixed(void **state)
{
	struct ike_proposal p;
	struct ike_probe_opts o = { .version = 2, .port = 500, .fixed = true };
	struct ike_endpoint src, dst;
	struct ike_buf b = { 0 };
	struct diag_error err = { 0 };
	struct ike_v2_msg m;
	uint8_t spi[8];
	static const uint8_t cookie[24] = { 1, 2, 3, 4 };
	char buf[512];

	(void)state;
	endpoint4(&src, 192, 0, 2, 10, 500);
	endpoint4(&dst, 203, 0, 113, 1, 500);
	parse_ok("aes256-sha256-modp2048", &p);
	o.prop = &p;
	if (ike_probe_build(&o, 0, NULL, 0, &src, &dst, spi, &b, &err))
		fail_msg("%s", diag_error_text(&err, buf, sizeof(buf)));
	check_request("v2-init-modp2048.bin", &b, 0);
	assert_memory_equal(spi, our_spi, 8);
	/* twice: the same bytes */
	assert_int_equal(ike_probe_build(&o, 0, NULL, 0, &src, &dst, spi, &b, &err), 0);
	check_request("v2-init-modp2048.bin", &b, 0);

	/* The COOKIE resend: N(COOKIE) first, then the same request. */
	assert_int_equal(ike_probe_build(&o, 0, cookie, sizeof(cookie), &src, &dst, spi, &b,
					 &err), 0);
	assert_int_equal(ike_v2_decode(b.p, b.len, false, &m, &err), 0);
	assert_int_equal(m.first_payload, IKE2_PL_NOTIFY);
	assert_int_equal(m.notify[0].type, IKE2_N_COOKIE);
	assert_int_equal(m.notify[0].data_len, sizeof(cookie));
	assert_memory_equal(m.notify[0].data, cookie, sizeof(cookie));
	assert_memory_equal(m.spi_i, our_spi, 8);
	assert_int_equal(m.nprops, 1);

	/* The INVALID_KE retry: the group asked for. */
	assert_int_equal(ike_probe_build(&o, 2, NULL, 0, &src, &dst, spi, &b, &err), 0);
	assert_int_equal(ike_v2_decode(b.p, b.len, false, &m, &err), 0);
	assert_int_equal(m.ke_group, 2);
	assert_int_equal(m.ke_len, 128);

	/* IKEv1 Main Mode message 1, and the same behind the marker on 4500 */
	parse_ok("aes256-sha1-modp1024", &p);
	o.version = 1;
	assert_int_equal(ike_probe_build(&o, 0, NULL, 0, NULL, NULL, spi, &b, &err), 0);
	check_request("v1-mm1-group2.bin", &b, 0);
	assert_memory_equal(spi, our_spi, 8);
	o.port = 4500;
	assert_int_equal(ike_probe_build(&o, 0, NULL, 0, NULL, NULL, spi, &b, &err), 0);
	check_request("v1-mm1-group2.bin", &b, 4);
	assert_memory_equal(b.p, zero8, 4);

	/* without --fixed: a random SPI each time */
	{
		uint8_t spi2[8];

		o.fixed = false;
		assert_int_equal(ike_probe_build(&o, 0, NULL, 0, NULL, NULL, spi, &b, &err), 0);
		assert_int_equal(ike_probe_build(&o, 0, NULL, 0, NULL, NULL, spi2, &b, &err), 0);
		assert_memory_not_equal(spi, spi2, 8);
	}

	/* IKEv1 has no GCM: refused with an error, nothing built */
	parse_ok("aes128gcm16-prfsha256-ecp256", &p);
	o.fixed = true;
	assert_int_equal(ike_probe_build(&o, 0, NULL, 0, NULL, NULL, spi, &b, &err), -1);
	ike_buf_free(&b);
}

static void test_result_names(void **state)
{
	(void)state;
	assert_string_equal(ike_probe_result_name(IKE_PR_NO_RESPONSE), "no_response");
	assert_string_equal(ike_probe_result_name(IKE_PR_MALFORMED), "malformed");
	assert_string_equal(ike_probe_result_name((enum ike_probe_result)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_accepted),
		cmocka_unit_test(test_v2_refusals),
		cmocka_unit_test(test_v2_cookie),
		cmocka_unit_test(test_v2_not_ours),
		cmocka_unit_test(test_v2_request_not_answer),
		cmocka_unit_test(test_v2_malformed),
		cmocka_unit_test(test_v2_nat_verdict),
		cmocka_unit_test(test_v2_natt),
		cmocka_unit_test(test_v1_accepted),
		cmocka_unit_test(test_v1_refused_and_malformed),
		cmocka_unit_test(test_build_fixed),
		cmocka_unit_test(test_result_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
