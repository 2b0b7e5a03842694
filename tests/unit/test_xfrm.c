/* The XFRM netlink decoder: the lab's recorded dumps decode to the golden text (byte-exact),
 * hand-built SA messages (keys, NAT-T encapsulation, marks, if_id), the key scrubber, and
 * malformed input with the exact error and offset: message and attribute lengths below
 * their header size or past the end, truncated fixed structs, a template array that is not
 * whole templates, too many attributes, an error answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <cmocka.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "libdiag/xfrm/xfrm.h"
#include "tests/unit/testutil.h"

#define GOLDEN "testdata/golden/xfrm/"

/* ---- building messages ------------------------------------------------------------- */

struct msg {
	uint8_t b[4096];
	size_t n;
};

static size_t msg_begin(struct msg *m, uint16_t type)
{
	struct nlmsghdr h = {.nlmsg_type = type, .nlmsg_flags = NLM_F_MULTI, .nlmsg_seq = 2};
	size_t at = m->n;

	memcpy(m->b + m->n, &h, sizeof h);
	m->n += NLMSG_HDRLEN;
	return at;
}

static void msg_body(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += NLMSG_ALIGN(n);
}

static void msg_attr(struct msg *m, uint16_t type, const void *p, size_t n)
{
	struct nlattr a = {.nla_len = (uint16_t)(NLA_HDRLEN + n), .nla_type = type};

	memcpy(m->b + m->n, &a, sizeof a);
	memcpy(m->b + m->n + NLA_HDRLEN, p, n);
	memset(m->b + m->n + NLA_HDRLEN + n, 0, NLA_ALIGN(n) - n);
	m->n += NLA_HDRLEN + NLA_ALIGN(n);
}

static void msg_end(struct msg *m, size_t at)
{
	uint32_t len = (uint32_t)(m->n - at);

	memcpy(m->b + at, &len, sizeof len);
}

static void v4(void *dst, const char *a)
{
	unsigned x[4];

	assert_int_equal(sscanf(a, "%u.%u.%u.%u", &x[0], &x[1], &x[2], &x[3]), 4);
	for (int i = 0; i < 4; i++)
		((uint8_t *)dst)[i] = (uint8_t)x[i];
}

/* An ESP tunnel SA from src to dst with spi, AES-CBC with a 16-byte key of 0x5a, HMAC with
 * a key of 0xa5, UDP encapsulation 4500 -> 4500, a mark and an if_id. */
static void add_sa(struct msg *m, const char *src, const char *dst, uint32_t spi,
		   uint32_t reqid)
{
	struct xfrm_usersa_info sa;
	uint8_t alg[sizeof(struct xfrm_algo) + 32];
	struct xfrm_algo *a = (struct xfrm_algo *)alg;
	struct xfrm_algo_auth *au;
	uint8_t aalg[sizeof(struct xfrm_algo_auth) + 32];
	struct xfrm_encap_tmpl enc;
	struct xfrm_mark mk = {.v = 0x2a, .m = 0xff};
	uint32_t ifid = 7;
	size_t at = msg_begin(m, XFRM_MSG_NEWSA);

	memset(&sa, 0, sizeof sa);
	sa.family = AF_INET;
	v4(&sa.saddr, src);
	v4(&sa.id.daddr, dst);
	sa.id.spi = htonl(spi);
	sa.id.proto = IPPROTO_ESP;
	sa.mode = XFRM_MODE_TUNNEL;
	sa.reqid = reqid;
	sa.sel.family = AF_INET;
	v4(&sa.sel.saddr, "10.99.0.0");
	sa.sel.prefixlen_s = 24;
	v4(&sa.sel.daddr, "10.0.0.0");
	sa.sel.prefixlen_d = 16;
	msg_body(m, &sa, sizeof sa);
	memset(alg, 0, sizeof alg);
	strcpy(a->alg_name, "cbc(aes)");
	a->alg_key_len = 128;
	memset(a->alg_key, 0x5a, 16);
	msg_attr(m, XFRMA_ALG_CRYPT, alg, sizeof(struct xfrm_algo) + 16);
	memset(aalg, 0, sizeof aalg);
	au = (struct xfrm_algo_auth *)aalg;
	strcpy(au->alg_name, "hmac(sha256)");
	au->alg_key_len = 256;
	au->alg_trunc_len = 128;
	memset(au->alg_key, 0xa5, 32);
	msg_attr(m, XFRMA_ALG_AUTH_TRUNC, aalg, sizeof(struct xfrm_algo_auth) + 32);
	memset(&enc, 0, sizeof enc);
	enc.encap_type = 2; /* UDP_ENCAP_ESPINUDP */
	enc.encap_sport = htons(4500);
	enc.encap_dport = htons(4500);
	msg_attr(m, XFRMA_ENCAP, &enc, sizeof enc);
	msg_attr(m, XFRMA_MARK, &mk, sizeof mk);
	msg_attr(m, XFRMA_IF_ID, &ifid, sizeof ifid);
	msg_attr(m, XFRMA_SA_EXTRA_FLAGS, &ifid, sizeof ifid); /* not used: counted */
	msg_end(m, at);
}

static void add_done(struct msg *m)
{
	size_t at = msg_begin(m, NLMSG_DONE);
	int32_t zero = 0;

	msg_body(m, &zero, sizeof zero);
	msg_end(m, at);
}

/* A tunnel-mode out policy src_sel -> dst_sel through local -> remote. */
static size_t add_policy(struct msg *m, const char *ssel, unsigned sl, const char *dsel,
			 unsigned dl, uint8_t dir, const char *local, const char *remote)
{
	struct xfrm_userpolicy_info p;
	struct xfrm_user_tmpl t;
	size_t at = msg_begin(m, XFRM_MSG_NEWPOLICY);

	memset(&p, 0, sizeof p);
	p.sel.family = AF_INET;
	v4(&p.sel.saddr, ssel);
	v4(&p.sel.daddr, dsel);
	p.sel.prefixlen_s = (uint8_t)sl;
	p.sel.prefixlen_d = (uint8_t)dl;
	p.dir = dir;
	p.priority = 379008;
	p.index = 8 + dir;
	msg_body(m, &p, sizeof p);
	memset(&t, 0, sizeof t);
	t.family = AF_INET;
	v4(&t.saddr, dir == XFRM_POLICY_OUT ? local : remote);
	v4(&t.id.daddr, dir == XFRM_POLICY_OUT ? remote : local);
	t.id.proto = IPPROTO_ESP;
	t.mode = XFRM_MODE_TUNNEL;
	t.reqid = 1;
	msg_attr(m, XFRMA_TMPL, &t, sizeof t);
	msg_end(m, at);
	return at;
}

static int decode(const void *buf, size_t n, struct xfrm_dump *d, struct diag_error *err)
{
	xfrm_dump_init(d);
	memset(err, 0, sizeof *err);
	return xfrm_decode(buf, n, d, err);
}

static void expect_error(const void *buf, size_t n, const char *want)
{
	struct xfrm_dump d;
	struct diag_error err;
	char text[512];

	assert_int_equal(decode(buf, n, &d, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	assert_string_equal(diag_error_text(&err, text, sizeof text), want);
	xfrm_dump_free(&d);
}

/* ---- tests ------------------------------------------------------------------------- */

static void golden_file(const char *file, const char *golden, size_t want_pol)
{
	struct xfrm_dump d;
	struct diag_error err;
	size_t len;
	char *buf = must_read_file(file, &len), *text;

	assert_int_equal(decode(buf, len, &d, &err), 0);
	assert_int_equal(d.npolicies, want_pol);
	assert_int_equal(d.done, 2);
	assert_int_equal(d.dump_errno, 0);
	text = xfrm_dump_text(&d);
	assert_non_null(text);
	check_golden(GOLDEN, golden, text);
	free(text);
	xfrm_dump_free(&d);
	free(buf);
}

static void test_lab_two_pairs(void **state)
{
	(void)state;
	/* 6 tunnel-mode policies (in/out/fwd per pair) and charon's 8 per-socket bypasses */
	golden_file("testdata/xfrm/lab-two-pairs.xfrm", "lab-two-pairs.txt", 14);
}

static void test_lab_route_based(void **state)
{
	(void)state;
	golden_file("testdata/xfrm/lab-route-based.xfrm", "lab-route-based.txt", 11);
}

static void test_sa_fields(void **state)
{
	struct msg m = {0};
	struct xfrm_dump d;
	struct diag_error err;
	char *text;

	(void)state;
	add_sa(&m, "198.51.100.10", "203.0.113.1", 0xc1a0e5f1, 3);
	add_sa(&m, "203.0.113.1", "198.51.100.10", 0x00000102, 3);
	add_done(&m);
	assert_int_equal(decode(m.b, m.n, &d, &err), 0);
	assert_int_equal(d.nsas, 2);
	assert_int_equal(d.sas[0].spi, 0xc1a0e5f1);
	assert_int_equal(d.sas[0].reqid, 3);
	assert_int_equal(d.sas[0].proto, IPPROTO_ESP);
	assert_int_equal(d.sas[0].mode, XFRM_MODE_TUNNEL);
	assert_true(d.sas[0].has_encap);
	assert_int_equal(d.sas[0].encap_sport, 4500);
	assert_int_equal(d.sas[0].encap_dport, 4500);
	assert_true(d.sas[0].has_mark);
	assert_int_equal(d.sas[0].mark, 0x2a);
	assert_int_equal(d.sas[0].if_id, 7);
	assert_string_equal(d.sas[0].enc, "cbc(aes)");
	assert_string_equal(d.sas[0].auth, "hmac(sha256)");
	assert_int_equal(d.unknown_attrs, 2);
	text = xfrm_dump_text(&d);
	assert_non_null(text);
	check_golden(GOLDEN, "synthetic-sas.txt", text);
	free(text);
	xfrm_dump_free(&d);
}

static bool has_byte_run(const uint8_t *b, size_t n, uint8_t v, size_t run)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		k = b[i] == v ? k + 1 : 0;
		if (k >= run)
			return true;
	}
	return false;
}

static void test_scrub_keys(void **state)
{
	struct msg m = {0};
	struct xfrm_dump d;
	struct diag_error err;

	(void)state;
	add_sa(&m, "198.51.100.10", "203.0.113.1", 0x11111111, 1);
	add_done(&m);
	assert_true(has_byte_run(m.b, m.n, 0x5a, 16));
	assert_true(has_byte_run(m.b, m.n, 0xa5, 32));
	xfrm_scrub_keys(m.b, m.n);
	assert_false(has_byte_run(m.b, m.n, 0x5a, 4));
	assert_false(has_byte_run(m.b, m.n, 0xa5, 4));
	/* the names and everything else survive */
	assert_int_equal(decode(m.b, m.n, &d, &err), 0);
	assert_string_equal(d.sas[0].enc, "cbc(aes)");
	assert_string_equal(d.sas[0].auth, "hmac(sha256)");
	assert_int_equal(d.sas[0].spi, 0x11111111);
	xfrm_dump_free(&d);
	/* a broken header stops it quietly */
	m.b[0] = 3;
	xfrm_scrub_keys(m.b, m.n);
	xfrm_scrub_keys(m.b, 7);
}

static void test_empty_and_done(void **state)
{
	struct msg m = {0};
	struct xfrm_dump d;
	struct diag_error err;

	(void)state;
	assert_int_equal(decode(m.b, 0, &d, &err), 0);
	assert_int_equal(d.messages, 0);
	xfrm_dump_free(&d);
	add_done(&m);
	add_done(&m);
	assert_int_equal(decode(m.b, m.n, &d, &err), 0);
	assert_int_equal(d.messages, 2);
	assert_int_equal(d.done, 2);
	xfrm_dump_free(&d);
}

static void test_error_answer(void **state)
{
	struct msg m = {0};
	struct xfrm_dump d;
	struct diag_error err;
	size_t at = msg_begin(&m, NLMSG_ERROR);
	struct nlmsgerr e = {.error = -1};

	(void)state;
	msg_body(&m, &e, sizeof e);
	msg_end(&m, at);
	assert_int_equal(decode(m.b, m.n, &d, &err), 0);
	assert_int_equal(d.dump_errno, 1);
	xfrm_dump_free(&d);
	/* an error message without its errno */
	m.n = 0;
	at = msg_begin(&m, NLMSG_ERROR);
	msg_end(&m, at);
	expect_error(m.b, m.n, "xfrm dump offset 0: netlink error message truncated");
}

static void test_bad_headers(void **state)
{
	struct msg m = {0};
	uint32_t len;

	(void)state;
	add_done(&m);
	expect_error(m.b, 10, "xfrm dump offset 0: netlink header truncated");
	len = 12;
	memcpy(m.b, &len, 4);
	expect_error(m.b, m.n, "xfrm dump offset 0: netlink message length below its header size");
	len = 0;
	memcpy(m.b, &len, 4);
	expect_error(m.b, m.n, "xfrm dump offset 0: netlink message length below its header size");
	len = 0xffffffff;
	memcpy(m.b, &len, 4);
	expect_error(m.b, m.n, "xfrm dump offset 0: netlink message length past the end of the dump");
	/* a good message, then a truncated one: the offset names the second */
	m.n = 0;
	add_done(&m);
	add_done(&m);
	expect_error(m.b, m.n - 1, "xfrm dump offset 20: netlink message length past the end of the dump");
}

static void test_bad_policy(void **state)
{
	struct msg m = {0};
	size_t at;
	uint16_t l;
	char want[128];

	(void)state;
	/* a policy message too short for xfrm_userpolicy_info */
	at = msg_begin(&m, XFRM_MSG_NEWPOLICY);
	m.n += 40;
	msg_end(&m, at);
	expect_error(m.b, m.n, "xfrm dump offset 16: policy message shorter than xfrm_userpolicy_info");
	/* attribute length 2 (below its 4-byte header) */
	m.n = 0;
	at = add_policy(&m, "10.99.0.0", 24, "10.0.0.0", 16, XFRM_POLICY_OUT, "198.51.100.10",
			"203.0.113.1");
	l = 2;
	memcpy(m.b + at + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct xfrm_userpolicy_info)), &l, 2);
	snprintf(want, sizeof want, "xfrm dump offset %zu: attribute length below its header size",
		 at + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct xfrm_userpolicy_info)));
	expect_error(m.b, m.n, want);
	/* attribute longer than its message */
	l = 4000;
	memcpy(m.b + at + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct xfrm_userpolicy_info)), &l, 2);
	snprintf(want, sizeof want, "xfrm dump offset %zu: attribute length past the end of its message",
		 at + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct xfrm_userpolicy_info)));
	expect_error(m.b, m.n, want);
	/* a template array that is not whole templates */
	l = (uint16_t)(NLA_HDRLEN + sizeof(struct xfrm_user_tmpl) - 4);
	memcpy(m.b + at + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct xfrm_userpolicy_info)), &l, 2);
	snprintf(want, sizeof want, "xfrm dump offset %zu: attribute too short for its type",
		 at + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct xfrm_userpolicy_info)));
	expect_error(m.b, m.n, want);
	/* the attribute header itself cut short */
	m.n = 0;
	at = msg_begin(&m, XFRM_MSG_NEWPOLICY);
	{
		struct xfrm_userpolicy_info p;

		memset(&p, 0, sizeof p);
		msg_body(&m, &p, sizeof p);
	}
	m.b[m.n] = 8;
	m.b[m.n + 1] = 0;
	m.n += 2;
	msg_end(&m, at);
	snprintf(want, sizeof want, "xfrm dump offset %zu: attribute header truncated",
		 NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct xfrm_userpolicy_info)));
	expect_error(m.b, m.n, want);
}

static void test_too_many_attrs(void **state)
{
	struct msg m = {0};
	struct xfrm_userpolicy_info p;
	uint32_t v = 0;
	size_t at = msg_begin(&m, XFRM_MSG_NEWPOLICY);
	char want[96];

	(void)state;
	memset(&p, 0, sizeof p);
	msg_body(&m, &p, sizeof p);
	for (int i = 0; i < 65; i++)
		msg_attr(&m, XFRMA_IF_ID, &v, sizeof v);
	msg_end(&m, at);
	snprintf(want, sizeof want, "xfrm dump offset %zu: more than 64 attributes in one message",
		 NLMSG_HDRLEN + NLMSG_ALIGN(sizeof p) + 64 * 8);
	expect_error(m.b, m.n, want);
	/* 64 is fine */
	m.n -= 8;
	msg_end(&m, at);
	{
		struct xfrm_dump d;
		struct diag_error err;

		assert_int_equal(decode(m.b, m.n, &d, &err), 0);
		assert_int_equal(d.npolicies, 1);
		xfrm_dump_free(&d);
	}
}

static void test_short_sa(void **state)
{
	struct msg m = {0};
	size_t at = msg_begin(&m, XFRM_MSG_NEWSA);
	struct xfrm_mark mk = {0};

	(void)state;
	m.n += 100;
	msg_end(&m, at);
	expect_error(m.b, m.n, "xfrm dump offset 16: SA message shorter than xfrm_usersa_info");
	/* an XFRMA_MARK of 4 bytes instead of 8 */
	m.n = 0;
	add_sa(&m, "198.51.100.10", "203.0.113.1", 1, 1);
	at = msg_begin(&m, XFRM_MSG_NEWSA);
	{
		struct xfrm_usersa_info sa;

		memset(&sa, 0, sizeof sa);
		msg_body(&m, &sa, sizeof sa);
	}
	msg_attr(&m, XFRMA_MARK, &mk, 4);
	msg_end(&m, at);
	{
		char want[96];

		snprintf(want, sizeof want, "xfrm dump offset %zu: attribute too short for its type",
			 at + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct xfrm_usersa_info)));
		expect_error(m.b, m.n, want);
	}
}

/* The last attribute's padding may be missing; other message types are counted. */
static void test_lenient(void **state)
{
	struct msg m = {0};
	struct xfrm_dump d;
	struct diag_error err;
	size_t at = msg_begin(&m, 0x7777);

	(void)state;
	m.n += 8;
	msg_end(&m, at);
	at = add_policy(&m, "10.99.0.0", 24, "10.0.0.0", 16, XFRM_POLICY_OUT, "198.51.100.10",
			"203.0.113.1");
	{
		uint8_t one = 1;

		msg_attr(&m, XFRMA_POLICY_TYPE, &one, 1);
		m.n -= 3; /* unpadded */
		msg_end(&m, at);
	}
	assert_int_equal(decode(m.b, m.n, &d, &err), 0);
	assert_int_equal(d.other, 1);
	assert_int_equal(d.npolicies, 1);
	assert_int_equal(d.policies[0].type, 1);
	assert_int_equal(d.policies[0].ntmpl, 1);
	assert_int_equal(d.policies[0].tmpl[0].mode, XFRM_MODE_TUNNEL);
	xfrm_dump_free(&d);
}

static void test_names(void **state)
{
	char b[64];
	uint8_t a[16] = {10, 0, 0, 0};

	(void)state;
	assert_string_equal(xfrm_dir_name(0), "in");
	assert_string_equal(xfrm_dir_name(2), "fwd");
	assert_string_equal(xfrm_dir_name(9), "other");
	assert_string_equal(xfrm_mode_name(XFRM_MODE_TUNNEL), "tunnel");
	assert_string_equal(xfrm_mode_name(200), "unknown");
	assert_string_equal(xfrm_prefix_str(AF_INET, a, 8, b, sizeof b), "10.0.0.0/8");
	assert_string_equal(xfrm_prefix_str(0, a, 0, b, sizeof b), "any");
	assert_string_equal(xfrm_addr_str(0, a, b, sizeof b), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lab_two_pairs),
		cmocka_unit_test(test_lab_route_based),
		cmocka_unit_test(test_sa_fields),
		cmocka_unit_test(test_scrub_keys),
		cmocka_unit_test(test_empty_and_done),
		cmocka_unit_test(test_error_answer),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_bad_policy),
		cmocka_unit_test(test_too_many_attrs),
		cmocka_unit_test(test_short_sa),
		cmocka_unit_test(test_lenient),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
