/* Evidence 3: IKE and ESP to and from the AWS outside addresses in a capture. Each
 * local address:port <-> peer:port pair is one flow; a datagram toward a peer that repeats
 * an earlier one byte for byte (same hash) is a retransmission: the peer did not answer
 * in time, or at all. */
#include "libdiag/srcip/srcip.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/evp.h>

void srcip_capture_init(struct srcip_capture *c, const struct diag_addr *peers, size_t n)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < n && c->npeers < SRCIP_PEERS_MAX; i++)
		c->peers[c->npeers++] = peers[i];
}

static bool is_peer(const struct srcip_capture *c, int family, const uint8_t *a)
{
	for (size_t i = 0; i < c->npeers; i++)
		if (c->peers[i].family == family &&
		    memcmp(c->peers[i].b, a, family == AF_INET ? 4 : 16) == 0)
			return true;
	return false;
}

static void to_addr(int family, const uint8_t *b, struct diag_addr *a)
{
	memset(a, 0, sizeof *a);
	a->family = (uint8_t)family;
	memcpy(a->b, b, family == AF_INET ? 4 : 16);
}

static struct srcip_flow *flow_of(struct srcip_capture *c, const struct diag_addr *local,
				  uint16_t lport, const struct diag_addr *peer, uint16_t pport)
{
	for (size_t i = 0; i < c->nflows; i++) {
		struct srcip_flow *f = &c->flows[i];

		if (f->lport == lport && f->pport == pport && addr_eq(&f->local, local) &&
		    addr_eq(&f->peer, peer))
			return f;
	}
	if (c->nflows == SRCIP_FLOWS_MAX) {
		c->truncated = true;
		return NULL;
	}
	memset(&c->flows[c->nflows], 0, sizeof c->flows[0]);
	c->flows[c->nflows].local = *local;
	c->flows[c->nflows].lport = lport;
	c->flows[c->nflows].peer = *peer;
	c->flows[c->nflows].pport = pport;
	return &c->flows[c->nflows++];
}

/* A short digest of a datagram and its flow, for "seen before". */
static uint32_t digest(const struct srcip_flow *f, const uint8_t *p, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint32_t h = 0;

	if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, f, sizeof f->local + sizeof f->peer) == 1 &&
	    EVP_DigestUpdate(ctx, &f->lport, sizeof f->lport) == 1 &&
	    EVP_DigestUpdate(ctx, p, n) == 1 && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 &&
	    mdlen >= 4)
		h = (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 | (uint32_t)md[2] << 8 | md[3];
	EVP_MD_CTX_free(ctx);
	return h;
}

void srcip_capture_feed(struct srcip_capture *c, const struct ike_pcap_pkt *pkt)
{
	struct diag_addr local, peer;
	struct srcip_flow *f;
	bool out;

	c->frames++;
	if (pkt->kind == IKE_PKT_OTHER || pkt->kind == IKE_PKT_FRAGMENT || !pkt->family)
		return;
	if (is_peer(c, pkt->family, pkt->dst)) {
		out = true;
		to_addr(pkt->family, pkt->src, &local);
		to_addr(pkt->family, pkt->dst, &peer);
	} else if (is_peer(c, pkt->family, pkt->src)) {
		out = false;
		to_addr(pkt->family, pkt->dst, &local);
		to_addr(pkt->family, pkt->src, &peer);
	} else {
		return;
	}
	c->matched++;
	f = out ? flow_of(c, &local, pkt->sport, &peer, pkt->dport)
		: flow_of(c, &local, pkt->dport, &peer, pkt->sport);
	if (!f)
		return;
	if (pkt->sport == 4500 || pkt->dport == 4500)
		f->natt = true;
	switch (pkt->kind) {
	case IKE_PKT_IKE:
		if (!out) {
			f->ike_in++;
			break;
		}
		f->ike_out++;
		{
			uint32_t h = digest(f, pkt->payload, pkt->len);
			bool seen = false;

			for (size_t i = 0; i < c->nreq; i++)
				if (c->req_hash[i] == h)
					seen = true;
			if (seen)
				f->retransmits++;
			else if (c->nreq < SRCIP_REQS_MAX)
				c->req_hash[c->nreq++] = h;
		}
		break;
	case IKE_PKT_ESP:
		out ? f->esp_out++ : f->esp_in++;
		break;
	case IKE_PKT_KEEPALIVE:
		f->keepalives++;
		break;
	default:
		break;
	}
}

int srcip_capture_file(struct srcip_capture *c, const char *path, struct diag_error *err)
{
	struct ike_pcap *p = NULL;
	struct ike_pcap_pkt pkt;
	int rc;

	if (ike_pcap_open(path, &p, err) < 0)
		return -1;
	for (;;) {
		bool fatal = false;

		memset(&pkt, 0, sizeof pkt);
		rc = ike_pcap_next(p, &pkt, &fatal, err);
		if (rc == 0)
			break;
		if (rc < 0 && fatal) {
			ike_pcap_close(p);
			return -1;
		}
		if (rc < 0) {
			c->frames++;
			c->broken++;
			continue;
		}
		srcip_capture_feed(c, &pkt);
	}
	ike_pcap_close(p);
	return 0;
}
