/* libdiag/ike/ike_pcap and ike_dump: the frame demultiplexer on every link type it knows
 * (hand-built frames around a strongSwan answer captured in the lab), fragments, ESP,
 * keepalives and broken headers named with their offset; the capture reader on the lab's
 * pcap; the dump of strongSwan's answers (JSON fields, the text form); the SK payload
 * ending an IKEv2 chain. Run from the project root (reads testdata/ike/strongswan/). */
#include "tests/unit/testutil.h"

#include <sys/socket.h>

#include <pcap/dlt.h>

#include "libdiag/ike/ike_dump.h"
#include "libdiag/ike/ike_pcap.h"

#define SS "testdata/ike/strongswan/"

static uint8_t *load(const char *name, size_t *len)
{
	char path[256];
	char *p;

	snprintf(path, sizeof(path), SS "%s", name);
	p = read_file(path, len);
	if (!p)
		fail_msg("%s missing (run from the project root)", path);
	return (uint8_t *)p;
}

/* IPv4 + UDP around payload: 20 + 8 + len bytes into out. */
static size_t ipv4_udp(uint8_t *out, const uint8_t *payload, size_t len, uint16_t sport,
		       uint16_t dport)
{
	size_t total = 28 + len;
	static const uint8_t src[4] = {203, 0, 113, 1}, dst[4] = {198, 51, 100, 10};

	memset(out, 0, 28);
	out[0] = 0x45;
	out[2] = (uint8_t)(total >> 8);
	out[3] = (uint8_t)total;
	out[8] = 64;
	out[9] = 17;
	memcpy(out + 12, src, 4);
	memcpy(out + 16, dst, 4);
	out[20] = (uint8_t)(sport >> 8);
	out[21] = (uint8_t)sport;
	out[22] = (uint8_t)(dport >> 8);
	out[23] = (uint8_t)dport;
	out[24] = (uint8_t)((8 + len) >> 8);
	out[25] = (uint8_t)(8 + len);
	memcpy(out + 28, payload, len);
	return total;
}

static void expect_ike(int linktype, const uint8_t *frame, size_t len, const uint8_t *ike,
		       size_t ike_len)
{
	struct ike_pcap_pkt p;
	struct diag_error err = {0};

	assert_int_equal(ike_pcap_demux(linktype, frame, len, &p, &err), 0);
	assert_int_equal(p.kind, IKE_PKT_IKE);
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.sport, 500);
	assert_int_equal(p.dport, 500);
	assert_int_equal(p.len, ike_len);
	assert_memory_equal(p.payload, ike, ike_len);
}

static void test_link_types(void **state)
{
	static uint8_t frame[2048];
	uint8_t ip[1500];
	size_t n, iplen;
	uint8_t *ike = load("v2-no-proposal.bin", &n);

	(void)state;
	iplen = ipv4_udp(ip, ike, n, 500, 500);
	/* Ethernet, padded to 60 bytes as a NIC does: the IP total length bounds the packet */
	memset(frame, 0, sizeof(frame));
	frame[12] = 0x08;
	memcpy(frame + 14, ip, iplen);
	expect_ike(DLT_EN10MB, frame, 14 + iplen + 10, ike, n);
	/* one 802.1Q tag */
	frame[12] = 0x81;
	frame[13] = 0x00;
	frame[16] = 0x08;
	frame[17] = 0x00;
	memcpy(frame + 18, ip, iplen);
	expect_ike(DLT_EN10MB, frame, 18 + iplen, ike, n);
	/* Linux cooked v1: protocol at 14 */
	memset(frame, 0, 16);
	frame[14] = 0x08;
	memcpy(frame + 16, ip, iplen);
	expect_ike(DLT_LINUX_SLL, frame, 16 + iplen, ike, n);
	/* Linux cooked v2: protocol first, 20-byte header */
	memset(frame, 0, 20);
	frame[0] = 0x08;
	memcpy(frame + 20, ip, iplen);
	expect_ike(DLT_LINUX_SLL2, frame, 20 + iplen, ike, n);
	/* raw IP, IPv4 */
	expect_ike(DLT_RAW, ip, iplen, ike, n);
	expect_ike(DLT_IPV4, ip, iplen, ike, n);
	/* BSD loopback, family in little-endian (DLT_NULL) and big-endian (DLT_LOOP) */
	memset(frame, 0, 4);
	frame[0] = 2;
	memcpy(frame + 4, ip, iplen);
	expect_ike(DLT_NULL, frame, 4 + iplen, ike, n);
	frame[0] = 0;
	frame[3] = 2;
	expect_ike(DLT_LOOP, frame, 4 + iplen, ike, n);
	free(ike);
}

static void test_ipv6(void **state)
{
	uint8_t f[600];
	struct ike_pcap_pkt p;
	struct diag_error err = {0};
	size_t n;
	uint8_t *ike = load("v2-invalid-ke.bin", &n);
	size_t plen = 8 + 8 + n;

	(void)state;
	memset(f, 0, sizeof(f));
	f[0] = 0x60;
	f[4] = (uint8_t)(plen >> 8);
	f[5] = (uint8_t)plen;
	f[6] = 0; /* hop-by-hop first */
	f[7] = 64;
	f[23] = 1;
	f[39] = 2;
	f[40] = 17; /* then UDP */
	f[48] = 0x11; /* sport 4500 */
	f[49] = 0x94;
	f[50] = 0x11;
	f[51] = 0x94;
	f[52] = (uint8_t)((8 + n) >> 8);
	f[53] = (uint8_t)(8 + n);
	/* on 4500 without a marker the datagram's first 4 bytes are an ESP SPI */
	memcpy(f + 56, ike, n);
	assert_int_equal(ike_pcap_demux(DLT_IPV6, f, 40 + plen, &p, &err), 0);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.kind, IKE_PKT_ESP);
	/* a fragment header with an offset: recognised, not reassembled */
	f[6] = 44;
	f[42] = 0x00;
	f[43] = 0x08;
	assert_int_equal(ike_pcap_demux(DLT_IPV6, f, 40 + plen, &p, &err), 0);
	assert_int_equal(p.kind, IKE_PKT_FRAGMENT);
	free(ike);
}

static void test_kinds(void **state)
{
	uint8_t ip[600], body[64];
	struct ike_pcap_pkt p;
	struct diag_error err = {0};
	size_t n;

	(void)state;
	/* NAT-T keepalive: one 0xff byte on 4500 */
	body[0] = 0xff;
	n = ipv4_udp(ip, body, 1, 4500, 4500);
	assert_int_equal(ike_pcap_demux(DLT_RAW, ip, n, &p, &err), 0);
	assert_int_equal(p.kind, IKE_PKT_KEEPALIVE);
	/* ESP in UDP: non-zero marker is the SPI */
	memset(body, 0, sizeof(body));
	body[0] = 0xc0;
	body[3] = 0x01;
	body[7] = 9;
	n = ipv4_udp(ip, body, 24, 4500, 4500);
	assert_int_equal(ike_pcap_demux(DLT_RAW, ip, n, &p, &err), 0);
	assert_int_equal(p.kind, IKE_PKT_ESP);
	assert_int_equal(p.esp_spi, 0xc0000001u);
	assert_int_equal(p.esp_seq, 9);
	/* IKE on 4500: zero marker, payload keeps it */
	memset(body, 0, 4);
	n = ipv4_udp(ip, body, 40, 4500, 4500);
	assert_int_equal(ike_pcap_demux(DLT_RAW, ip, n, &p, &err), 0);
	assert_int_equal(p.kind, IKE_PKT_IKE);
	assert_true(p.natt);
	assert_int_equal(p.len, 40);
	/* ESP in IP */
	n = ipv4_udp(ip, body, 24, 1, 1);
	ip[9] = 50;
	ip[20] = 0x11;
	assert_int_equal(ike_pcap_demux(DLT_RAW, ip, n, &p, &err), 0);
	assert_int_equal(p.kind, IKE_PKT_ESP);
	assert_int_equal(p.esp_spi, 0x11010001u);
	/* an IPv4 fragment (more fragments set) */
	n = ipv4_udp(ip, body, 24, 500, 500);
	ip[6] = 0x20;
	assert_int_equal(ike_pcap_demux(DLT_RAW, ip, n, &p, &err), 0);
	assert_int_equal(p.kind, IKE_PKT_FRAGMENT);
	/* other UDP: not ours */
	n = ipv4_udp(ip, body, 24, 53, 53);
	assert_int_equal(ike_pcap_demux(DLT_RAW, ip, n, &p, &err), 0);
	assert_int_equal(p.kind, IKE_PKT_OTHER);
	/* an unknown link type: not ours either */
	assert_int_equal(ike_pcap_demux(9999, ip, n, &p, &err), 0);
	assert_int_equal(p.kind, IKE_PKT_OTHER);
}

static void expect_bad(int lt, const uint8_t *f, size_t n, const char *where)
{
	struct ike_pcap_pkt p;
	struct diag_error err = {0};

	assert_int_equal(ike_pcap_demux(lt, f, n, &p, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	assert_string_equal(err.where, where);
}

static void test_bad_headers(void **state)
{
	uint8_t ip[600], body[40] = {0}, eth[20] = {0};
	size_t n = ipv4_udp(ip, body, sizeof(body), 500, 500);

	(void)state;
	expect_bad(DLT_EN10MB, eth, 13, "Ethernet header (offset 12)");
	/* the offset of the first read that did not fit: the destination address */
	expect_bad(DLT_RAW, ip, 19, "IPv4 header (offset 16)");
	ip[0] = 0x44; /* header length 16 */
	expect_bad(DLT_RAW, ip, n, "IPv4 header (offset 0)");
	ip[0] = 0x45;
	expect_bad(DLT_RAW, ip, n - 1, "IPv4 header (offset 0)"); /* total length past the end */
	ip[25] = 4; /* UDP length below its header */
	expect_bad(DLT_RAW, ip, n, "UDP header (offset 20)");
	ip[25] = 200; /* UDP length past the IP packet */
	expect_bad(DLT_RAW, ip, n, "UDP header (offset 20)");
	ip[2] = 0; /* an IP packet of 25 bytes: the UDP header itself is cut */
	ip[3] = 25;
	expect_bad(DLT_RAW, ip, 25, "UDP header (offset 24)");
	ip[0] = 0x60; /* IPv6 header cut short */
	expect_bad(DLT_RAW, ip, 30, "IPv6 header (offset 24)"); /* the destination address */
}

static void test_capture_reader(void **state)
{
	static struct ike_pcap_pkt p;
	struct ike_pcap *cap = NULL;
	struct diag_error err = {0};
	bool fatal = false;
	int ike = 0, esp = 0, r;

	(void)state;
	assert_int_equal(ike_pcap_open(SS "lab-direct.pcap", &cap, &err), 0);
	assert_int_equal(ike_pcap_linktype(cap), DLT_EN10MB);
	while ((r = ike_pcap_next(cap, &p, &fatal, &err)) == 1) {
		if (p.kind == IKE_PKT_IKE)
			ike++;
		else if (p.kind == IKE_PKT_ESP)
			esp++;
	}
	assert_int_equal(r, 0);
	assert_int_equal(ike, 16);
	assert_int_equal(esp, 4);
	assert_int_equal(p.frame, 20);
	ike_pcap_close(cap);
	assert_int_equal(ike_pcap_open(SS "no-such.pcap", &cap, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_NOINPUT);
	diag_error_clear(&err);
	assert_int_equal(ike_pcap_open(SS "v2-cookie.bin", &cap, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
}

static cJSON *decode_json(const char *name, bool natt, struct ike_decoded *d)
{
	struct diag_error err = {0};
	size_t n;
	uint8_t *b = load(name, &n);
	cJSON *j;

	assert_int_equal(ike_decode_any(b, n, natt, d, &err), 0);
	free(b);
	j = ike_dump_json(d);
	assert_non_null(j);
	return j;
}

static double num_at(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static void test_dump(void **state)
{
	static struct ike_decoded d;
	cJSON *j, *pl, *p;
	char *t;

	(void)state;
	j = decode_json("v2-invalid-ke.bin", false, &d);
	assert_int_equal(d.version, 2);
	pl = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "payloads"), 0);
	assert_int_equal(num_at(pl, "notify_type"), 17);
	assert_int_equal(num_at(pl, "group"), 2);
	assert_int_equal(num_at(pl, "length"), 10);
	t = ike_dump_text(j, "");
	assert_non_null(strstr(t, "INVALID_KE_PAYLOAD (17), data 2 bytes, group modp1024 (2)"));
	free(t);
	cJSON_Delete(j);

	j = decode_json("v1-accepted.bin", false, &d);
	assert_int_equal(d.version, 1);
	pl = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "payloads"), 0);
	p = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(pl, "proposals"), 0);
	p = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p, "transforms"), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "attributes")), 7);
	t = ike_dump_text(j, "> ");
	assert_non_null(strstr(t, "> IKEv1 Identity Protection (Main Mode) (2)"));
	assert_non_null(strstr(t, "encryption=7 (AES-CBC), key_length=128, hash=2 (SHA)"));
	assert_non_null(strstr(t, "life_duration=28800\n"));
	free(t);
	cJSON_Delete(j);

	/* IKE_AUTH: the SK payload ends the chain though its Next Payload is not 0 */
	j = decode_json("v2-charon-auth-response-4500.bin", true, &d);
	assert_int_equal(d.u.v2.npayloads, 1);
	assert_int_equal(d.u.v2.sk_first, 36);
	assert_int_equal(d.u.v2.sk_len, 172);
	assert_true(d.u.v2.natt);
	cJSON_Delete(j);
}

static void test_version(void **state)
{
	static struct ike_decoded d;
	struct diag_error err = {0};
	size_t n;
	uint8_t *b = load("v2-cookie.bin", &n);

	(void)state;
	b[17] = 0x30;
	assert_int_equal(ike_decode_any(b, n, false, &d, &err), -1);
	assert_string_equal(err.where, "IKE header (offset 0)");
	assert_non_null(strstr(err.what, "neither IKEv1 nor IKEv2"));
	diag_error_clear(&err);
	/* too short to hold a version: truncated, at offset 0 */
	assert_int_equal(ike_decode_any(b, 10, false, &d, &err), -1);
	assert_non_null(strstr(err.what, "truncated"));
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_types),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_capture_reader),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
