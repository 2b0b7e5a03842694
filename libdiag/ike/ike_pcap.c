#include "libdiag/ike/ike_pcap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <pcap/pcap.h>

#include "libdiag/cursor.h"

enum {
	ETH_IPV4 = 0x0800,
	ETH_IPV6 = 0x86dd,
	ETH_VLAN = 0x8100,
	ETH_QINQ = 0x88a8,
	PROTO_UDP = 17,
	PROTO_ESP = 50,
	VLAN_MAX = 4,          /* stacked 802.1Q tags walked */
	V6_EXT_MAX = 8,        /* IPv6 extension headers walked */
};

/* Fails with "HEADER (offset N): truncated" at the cursor's first failed read. */
static int truncated(const struct cursor *c, const char *hdr, struct diag_error *err)
{
	char where[64];

	snprintf(where, sizeof(where), "%s (offset %zu)", hdr, c->fail_at);
	return diag_fail(err, DIAG_EXIT_DATAERR, where, "truncated");
}

/* ESP header (RFC 4303 2): SPI, sequence number. A short one is still ESP, just unnamed. */
static void esp(struct cursor *c, struct ike_pcap_pkt *pkt)
{
	pkt->kind = IKE_PKT_ESP;
	cur_be32(c, &pkt->esp_spi);
	cur_be32(c, &pkt->esp_seq);
}

/* UDP header (RFC 768), then what rides on 500/4500. c holds the IP payload. */
static int udp(struct cursor *c, struct ike_pcap_pkt *pkt, struct diag_error *err)
{
	struct cursor body;
	uint16_t ulen = 0, sum = 0;
	size_t at = cur_pos(c);
	uint32_t marker = 0;
	char where[48];

	cur_be16(c, &pkt->sport);
	cur_be16(c, &pkt->dport);
	cur_be16(c, &ulen);
	cur_be16(c, &sum);
	if (!cur_ok(c))
		return truncated(c, "UDP header", err);
	snprintf(where, sizeof(where), "UDP header (offset %zu)", at);
	if (ulen < 8)
		return diag_fail(err, DIAG_EXIT_DATAERR, where,
				 "length %u is below the 8-byte header", (unsigned)ulen);
	if (cur_remaining(c) < (size_t)ulen - 8)
		return diag_fail(err, DIAG_EXIT_DATAERR, where,
				 "length %u passes the end of the packet (%zu bytes)",
				 (unsigned)ulen, cur_remaining(c) + 8);
	cur_sub(c, (size_t)ulen - 8, &body);
	if (pkt->sport == 4500 || pkt->dport == 4500) {
		size_t n = cur_remaining(&body);
		const uint8_t *p = NULL;

		if (n == 1) {
			pkt->kind = IKE_PKT_KEEPALIVE;
			return 0;
		}
		if (n >= 4) {
			struct cursor peek = body;

			cur_be32(&peek, &marker);
			if (marker != 0) {
				esp(&body, pkt);
				return 0;
			}
		}
		pkt->natt = true;
		cur_ref(&body, &p, n);
		pkt->payload = p;
		pkt->len = n;
		pkt->kind = IKE_PKT_IKE;
		return 0;
	}
	if (pkt->sport == 500 || pkt->dport == 500) {
		size_t n = cur_remaining(&body);
		const uint8_t *p = NULL;

		cur_ref(&body, &p, n);
		pkt->payload = p;
		pkt->len = n;
		pkt->kind = IKE_PKT_IKE;
	}
	return 0;
}

/* The transport header after IP: UDP or ESP. */
static int transport(struct cursor *c, struct ike_pcap_pkt *pkt, struct diag_error *err)
{
	if (pkt->ipproto == PROTO_UDP)
		return udp(c, pkt, err);
	if (pkt->ipproto == PROTO_ESP)
		esp(c, pkt);
	return 0;
}

/* IPv4 header (RFC 791). The total length bounds the packet (Ethernet pads short frames). */
static int ipv4(struct cursor *c, struct ike_pcap_pkt *pkt, struct diag_error *err)
{
	struct cursor body;
	uint8_t vihl = 0, tos = 0, ttl = 0;
	uint16_t total = 0, id = 0, frag = 0, sum = 0;
	size_t at = cur_pos(c), hlen;
	char where[48];

	cur_u8(c, &vihl);
	cur_u8(c, &tos);
	cur_be16(c, &total);
	cur_be16(c, &id);
	cur_be16(c, &frag);
	cur_u8(c, &ttl);
	cur_u8(c, &pkt->ipproto);
	cur_be16(c, &sum);
	cur_bytes(c, pkt->src, 4);
	cur_bytes(c, pkt->dst, 4);
	if (!cur_ok(c))
		return truncated(c, "IPv4 header", err);
	snprintf(where, sizeof(where), "IPv4 header (offset %zu)", at);
	pkt->family = AF_INET;
	hlen = (size_t)(vihl & 15) * 4;
	if (vihl >> 4 != 4)
		return diag_fail(err, DIAG_EXIT_DATAERR, where, "version %u is not 4",
				 (unsigned)(vihl >> 4));
	if (hlen < 20 || total < hlen)
		return diag_fail(err, DIAG_EXIT_DATAERR, where,
				 "header length %zu, total length %u", hlen, (unsigned)total);
	if (!cur_skip(c, hlen - 20))
		return truncated(c, "IPv4 options", err);
	if (cur_remaining(c) < (size_t)(total - hlen))
		return diag_fail(err, DIAG_EXIT_DATAERR, where,
				 "total length %u passes the end of the frame (%zu bytes)",
				 (unsigned)total, cur_remaining(c) + hlen);
	cur_sub(c, total - hlen, &body);
	if (frag & 0x3fff) { /* MF set or a non-zero offset */
		pkt->kind = IKE_PKT_FRAGMENT;
		return 0;
	}
	return transport(&body, pkt, err);
}

/* IPv6 header (RFC 8200) and the extension headers before the transport. */
static int ipv6(struct cursor *c, struct ike_pcap_pkt *pkt, struct diag_error *err)
{
	struct cursor body;
	uint32_t vtf = 0;
	uint16_t plen = 0;
	uint8_t next = 0, hops = 0;
	size_t at = cur_pos(c);
	char where[48];

	cur_be32(c, &vtf);
	cur_be16(c, &plen);
	cur_u8(c, &next);
	cur_u8(c, &hops);
	cur_bytes(c, pkt->src, 16);
	cur_bytes(c, pkt->dst, 16);
	if (!cur_ok(c))
		return truncated(c, "IPv6 header", err);
	snprintf(where, sizeof(where), "IPv6 header (offset %zu)", at);
	pkt->family = AF_INET6;
	if (vtf >> 28 != 6)
		return diag_fail(err, DIAG_EXIT_DATAERR, where, "version %u is not 6",
				 (unsigned)(vtf >> 28));
	if (cur_remaining(c) < plen)
		return diag_fail(err, DIAG_EXIT_DATAERR, where,
				 "payload length %u passes the end of the frame (%zu bytes left)",
				 (unsigned)plen, cur_remaining(c));
	cur_sub(c, plen, &body);
	for (int i = 0; i < V6_EXT_MAX; i++) {
		uint8_t nh = 0, elen = 0;
		uint16_t off = 0;

		switch (next) {
		case 0:   /* hop-by-hop */
		case 43:  /* routing */
		case 60:  /* destination options */
			cur_u8(&body, &nh);
			cur_u8(&body, &elen);
			cur_skip(&body, (size_t)elen * 8 + 6);
			if (!cur_ok(&body))
				return truncated(&body, "IPv6 extension header", err);
			next = nh;
			continue;
		case 44:  /* fragment */
			cur_u8(&body, &nh);
			cur_u8(&body, &elen);
			cur_be16(&body, &off);
			cur_skip(&body, 4);
			if (!cur_ok(&body))
				return truncated(&body, "IPv6 fragment header", err);
			if (off & 0xfff9) { /* an offset or more fragments */
				pkt->kind = IKE_PKT_FRAGMENT;
				return 0;
			}
			next = nh; /* an atomic fragment is a whole packet */
			continue;
		default:
			pkt->ipproto = next;
			return transport(&body, pkt, err);
		}
	}
	return 0; /* more extension headers than we walk: not ours */
}

static int by_ethertype(struct cursor *c, uint16_t type, struct ike_pcap_pkt *pkt,
			struct diag_error *err)
{
	if (type == ETH_IPV4)
		return ipv4(c, pkt, err);
	if (type == ETH_IPV6)
		return ipv6(c, pkt, err);
	return 0;
}

/* IP with no link header: the version nibble says which. */
static int raw_ip(struct cursor *c, struct ike_pcap_pkt *pkt, struct diag_error *err)
{
	struct cursor peek = *c;
	uint8_t v = 0;

	if (!cur_u8(&peek, &v))
		return truncated(&peek, "IP header", err);
	if (v >> 4 == 4)
		return ipv4(c, pkt, err);
	if (v >> 4 == 6)
		return ipv6(c, pkt, err);
	return 0;
}

int ike_pcap_demux(int linktype, const uint8_t *frame, size_t len, struct ike_pcap_pkt *pkt,
		   struct diag_error *err)
{
	struct cursor c;
	uint16_t type = 0;
	uint32_t fam = 0;

	pkt->kind = IKE_PKT_OTHER;
	pkt->family = 0;
	pkt->ipproto = 0;
	pkt->sport = pkt->dport = 0;
	pkt->natt = false;
	pkt->payload = NULL;
	pkt->len = 0;
	pkt->esp_spi = pkt->esp_seq = 0;
	memset(pkt->src, 0, sizeof(pkt->src));
	memset(pkt->dst, 0, sizeof(pkt->dst));
	cur_init(&c, frame, len);
	switch (linktype) {
	case DLT_EN10MB:
		cur_skip(&c, 12);
		cur_be16(&c, &type);
		for (int i = 0; i < VLAN_MAX && (type == ETH_VLAN || type == ETH_QINQ); i++) {
			cur_skip(&c, 2);
			cur_be16(&c, &type);
		}
		if (!cur_ok(&c))
			return truncated(&c, "Ethernet header", err);
		return by_ethertype(&c, type, pkt, err);
	case DLT_LINUX_SLL: /* packet type, ARPHRD, address length, 8 address bytes, proto */
		cur_skip(&c, 14);
		cur_be16(&c, &type);
		if (!cur_ok(&c))
			return truncated(&c, "Linux cooked header", err);
		return by_ethertype(&c, type, pkt, err);
	case DLT_LINUX_SLL2: /* proto, reserved, ifindex, ARPHRD, type, addr len, 8 bytes */
		cur_be16(&c, &type);
		cur_skip(&c, 18);
		if (!cur_ok(&c))
			return truncated(&c, "Linux cooked v2 header", err);
		return by_ethertype(&c, type, pkt, err);
	case DLT_RAW:
	case 101: /* LINKTYPE_RAW, should a reader hand it over unmapped */
		return raw_ip(&c, pkt, err);
	case DLT_IPV4:
		return ipv4(&c, pkt, err);
	case DLT_IPV6:
		return ipv6(&c, pkt, err);
	case DLT_NULL:
	case DLT_LOOP: {
		/* BSD loopback: the address family, in the capturing host's byte order for
		 * DLT_NULL (either order, then) and big-endian for DLT_LOOP. */
		uint8_t b[4] = {0};

		if (!cur_bytes(&c, b, 4))
			return truncated(&c, "loopback header", err);
		fam = linktype == DLT_NULL && b[0] ? b[0] : (uint32_t)b[3];
		if (fam == 2)
			return ipv4(&c, pkt, err);
		if (fam == 24 || fam == 28 || fam == 30 || fam == 10)
			return ipv6(&c, pkt, err);
		return 0;
	}
	default:
		return 0;
	}
}

/* ---- the file reader ----------------------------------------------------------------- */

struct ike_pcap {
	pcap_t *pc;
	int linktype;
	unsigned long frame;
	char name[256];   /* the file, for errors */
};

static int opened(pcap_t *pc, const char *errbuf, const char *name, struct ike_pcap **out,
		  struct diag_error *err)
{
	struct ike_pcap *p;

	if (!pc)
		return diag_fail(err, DIAG_EXIT_DATAERR, name, "not a capture: %s", errbuf);
	p = calloc(1, sizeof(*p));
	if (!p) {
		pcap_close(pc);
		return diag_fail(err, DIAG_EXIT_SOFTWARE, name, "out of memory");
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->pc = pc;
	p->linktype = pcap_datalink(pc);
	*out = p;
	return 0;
}

int ike_pcap_open(const char *path, struct ike_pcap **out, struct diag_error *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	FILE *fp = fopen(path, "rb");

	pcap_t *pc;

	*out = NULL;
	if (!fp)
		return diag_fail(err, DIAG_EXIT_NOINPUT, path, "%s", strerror(errno));
	pc = pcap_fopen_offline(fp, errbuf);
	if (!pc)
		fclose(fp); /* libpcap closes the stream only once it has taken it */
	return opened(pc, errbuf, path, out, err);
}

int ike_pcap_fopen(FILE *fp, struct ike_pcap **out, struct diag_error *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";

	*out = NULL;
	return opened(pcap_fopen_offline(fp, errbuf), errbuf, "capture", out, err);
}

int ike_pcap_linktype(const struct ike_pcap *p)
{
	return p->linktype;
}

int ike_pcap_next(struct ike_pcap *p, struct ike_pcap_pkt *pkt, bool *fatal,
		  struct diag_error *err)
{
	struct pcap_pkthdr *h = NULL;
	const u_char *data = NULL;
	int rc;

	*fatal = false;
	rc = pcap_next_ex(p->pc, &h, &data);
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		*fatal = true;
		return diag_fail(err, DIAG_EXIT_DATAERR, p->name, "frame %lu: %s", p->frame + 1,
				 pcap_geterr(p->pc));
	}
	pkt->frame = ++p->frame;
	pkt->ts_sec = (int64_t)h->ts.tv_sec;
	pkt->ts_usec = (uint32_t)h->ts.tv_usec;
	if (ike_pcap_demux(p->linktype, data, h->caplen, pkt, err)) {
		if (h->caplen < h->len) { /* say why: the capture kept only part of it */
			size_t n = strlen(err->what);

			snprintf(err->what + n, sizeof(err->what) - n, " (%u of %u bytes captured)",
				 (unsigned)h->caplen, (unsigned)h->len);
		}
		return -1;
	}
	return 1;
}

void ike_pcap_close(struct ike_pcap *p)
{
	if (!p)
		return;
	pcap_close(p->pc);
	free(p);
}

void ike_pcap_addr(const struct ike_pcap_pkt *pkt, bool dst, char *out, size_t outlen)
{
	const uint8_t *a = dst ? pkt->dst : pkt->src;

	if (!outlen)
		return;
	out[0] = '\0';
	if (pkt->family == AF_INET || pkt->family == AF_INET6)
		inet_ntop(pkt->family, a, out, (socklen_t)outlen);
}
