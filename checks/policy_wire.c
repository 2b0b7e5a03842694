/* policy.selectors from the wire: ESP SPIs per address pair and direction (with when each
 * was first and last seen, so SAs used at once can be told from successive rekeys) and the
 * CREATE_CHILD_SA / Quick Mode exchanges per IKE SA, from a capture file or a live capture.
 * Frames are demultiplexed by libdiag/ike/ike_pcap.h; IKE headers are read through the
 * cursor. See policy.h. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <time.h>

#include <pcap/pcap.h>

#include "checks/policy.h"
#include "libdiag/aws/model.h"
#include "libdiag/cursor.h"
#include "libdiag/ike/ike_pcap.h"
#include "libdiag/preopen.h"

#define MAX_PAIRS 256
#define MAX_SPIS 64   /* per direction */
#define MAX_IKE_SAS 64
#define MAX_MSGIDS 256

#define EXCH_QUICK_MODE 32
#define EXCH_IKE_SA_INIT 34
#define EXCH_CREATE_CHILD_SA 36
#define IKE_MAIN_MODE 2
#define IKEV2_FLAG_INITIATOR 0x08
#define IKEV2_FLAG_RESPONSE 0x20

struct spi_rec {
	uint32_t spi;
	int64_t first_us, last_us;
	unsigned long pkts;
};

struct ike_rec {
	uint8_t ispi[8];
	uint32_t msgids[MAX_MSGIDS]; /* CREATE_CHILD_SA requests / Quick Mode ids, tagged */
	size_t nmsgids;
	size_t create_child, quick_mode;
};

struct wire_pair {
	int family;
	uint8_t a[16], b[16];        /* a sorts before b */
	struct spi_rec ab[MAX_SPIS], ba[MAX_SPIS];
	size_t nab, nba, more_ab, more_ba;
	struct ike_rec ike[MAX_IKE_SAS];
	size_t nike;
	int initiator;               /* 0 unknown, 1 a initiated IKE, 2 b did */
};

struct policy_wire {
	struct wire_pair *pairs;
	size_t npairs;
	unsigned long frames, ike, esp, bad;
};

struct policy_wire *policy_wire_new(void)
{
	struct policy_wire *w = calloc(1, sizeof *w);

	if (w && !(w->pairs = calloc(MAX_PAIRS, sizeof *w->pairs))) {
		free(w);
		return NULL;
	}
	return w;
}

void policy_wire_free(struct policy_wire *w)
{
	if (!w)
		return;
	free(w->pairs);
	free(w);
}

void policy_wire_counts(const struct policy_wire *w, unsigned long *frames,
			unsigned long *ike, unsigned long *esp, unsigned long *bad)
{
	*frames = w->frames;
	*ike = w->ike;
	*esp = w->esp;
	*bad = w->bad;
}

/* The pair of pkt's addresses (made when new); *fwd true when pkt goes a -> b. NULL when
 * the table is full. */
static struct wire_pair *pair_of(struct policy_wire *w, const struct ike_pcap_pkt *pkt,
				 bool *fwd)
{
	size_t alen = pkt->family == AF_INET6 ? 16 : 4;
	int c = memcmp(pkt->src, pkt->dst, alen);
	const uint8_t *a = c <= 0 ? pkt->src : pkt->dst, *b = c <= 0 ? pkt->dst : pkt->src;
	struct wire_pair *p;

	*fwd = c <= 0;
	for (size_t i = 0; i < w->npairs; i++) {
		p = &w->pairs[i];
		if (p->family == pkt->family && memcmp(p->a, a, alen) == 0 &&
		    memcmp(p->b, b, alen) == 0)
			return p;
	}
	if (w->npairs == MAX_PAIRS)
		return NULL;
	p = &w->pairs[w->npairs++];
	memset(p, 0, sizeof *p);
	p->family = pkt->family;
	memcpy(p->a, a, alen);
	memcpy(p->b, b, alen);
	return p;
}

static void add_spi(struct spi_rec *v, size_t *n, size_t *more, uint32_t spi, int64_t us)
{
	for (size_t i = 0; i < *n; i++) {
		if (v[i].spi == spi) {
			if (us < v[i].first_us)
				v[i].first_us = us;
			if (us > v[i].last_us)
				v[i].last_us = us;
			v[i].pkts++;
			return;
		}
	}
	if (*n == MAX_SPIS) {
		(*more)++;
		return;
	}
	v[*n].spi = spi;
	v[*n].first_us = v[*n].last_us = us;
	v[(*n)++].pkts = 1;
}

static void add_ike(struct wire_pair *p, const struct ike_pcap_pkt *pkt, bool fwd)
{
	struct cursor c;
	uint8_t ispi[8], np, ver, exch, flags;
	uint32_t msgid, tag;
	struct ike_rec *r = NULL;

	cur_init(&c, pkt->payload, pkt->len);
	if (pkt->natt)
		cur_skip(&c, 4);
	cur_bytes(&c, ispi, 8);
	cur_skip(&c, 8);
	cur_u8(&c, &np);
	cur_u8(&c, &ver);
	cur_u8(&c, &exch);
	cur_u8(&c, &flags);
	cur_be32(&c, &msgid);
	if (!cur_ok(&c))
		return;
	if (!p->initiator && ((ver >> 4) == 2 && exch == EXCH_IKE_SA_INIT &&
			      !(flags & IKEV2_FLAG_RESPONSE)))
		p->initiator = fwd ? 1 : 2;
	if (!p->initiator && (ver >> 4) == 1 && exch == IKE_MAIN_MODE)
		p->initiator = fwd ? 1 : 2; /* the first Main Mode message seen */
	for (size_t i = 0; i < p->nike; i++)
		if (memcmp(p->ike[i].ispi, ispi, 8) == 0)
			r = &p->ike[i];
	if (!r) {
		if (p->nike == MAX_IKE_SAS)
			return;
		r = &p->ike[p->nike++];
		memset(r, 0, sizeof *r);
		memcpy(r->ispi, ispi, 8);
	}
	if ((ver >> 4) == 2 && exch == EXCH_CREATE_CHILD_SA && !(flags & IKEV2_FLAG_RESPONSE))
		tag = (msgid & 0x7fffffffu) | (flags & IKEV2_FLAG_INITIATOR ? 0x80000000u : 0);
	else if ((ver >> 4) == 1 && exch == EXCH_QUICK_MODE)
		tag = msgid;
	else
		return;
	for (size_t i = 0; i < r->nmsgids; i++)
		if (r->msgids[i] == tag)
			return;
	if (r->nmsgids < MAX_MSGIDS)
		r->msgids[r->nmsgids++] = tag;
	if (exch == EXCH_QUICK_MODE)
		r->quick_mode++;
	else
		r->create_child++;
}

static void take(struct policy_wire *w, const struct ike_pcap_pkt *pkt)
{
	struct wire_pair *p;
	bool fwd;

	if (pkt->kind != IKE_PKT_ESP && pkt->kind != IKE_PKT_IKE)
		return;
	if (pkt->family != AF_INET && pkt->family != AF_INET6)
		return;
	if (!(p = pair_of(w, pkt, &fwd)))
		return;
	if (pkt->kind == IKE_PKT_ESP) {
		int64_t us = pkt->ts_sec * 1000000 + pkt->ts_usec;

		w->esp++;
		if (fwd)
			add_spi(p->ab, &p->nab, &p->more_ab, pkt->esp_spi, us);
		else
			add_spi(p->ba, &p->nba, &p->more_ba, pkt->esp_spi, us);
		return;
	}
	w->ike++;
	add_ike(p, pkt, fwd);
}

int policy_wire_read_file(struct policy_wire *w, const char *path, struct diag_error *err)
{
	struct ike_pcap *pc;
	struct ike_pcap_pkt pkt;
	int rc;

	if (ike_pcap_open(path, &pc, err) < 0)
		return -1;
	for (;;) {
		bool fatal = false;
		struct diag_error e = {0};

		memset(&pkt, 0, sizeof pkt);
		rc = ike_pcap_next(pc, &pkt, &fatal, &e);
		if (rc == 0)
			break;
		w->frames++;
		if (rc < 0) {
			if (fatal) {
				*err = e;
				ike_pcap_close(pc);
				return -1;
			}
			w->bad++;
			continue;
		}
		take(w, &pkt);
	}
	ike_pcap_close(pc);
	return 0;
}

int policy_wire_capture(struct policy_wire *w, const char *ifname, double seconds,
			struct diag_error *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	struct timespec start, now;
	pcap_t *pc = preopen_take_capture(ifname); /* opened before a privilege drop */
	int rc = 0, lt, fd = -1;

	if (!pc) {
		if (!(pc = pcap_create(ifname, ebuf)))
			return diag_fail(err, DIAG_EXIT_OSERR, ifname, "%s", ebuf);
		pcap_set_snaplen(pc, 2048);
		pcap_set_timeout(pc, 100);
		pcap_set_immediate_mode(pc, 1);
		rc = pcap_activate(pc);
	}
	if (rc < 0) {
		enum diag_exit code = rc == PCAP_ERROR_PERM_DENIED ? DIAG_EXIT_NOPERM
				    : rc == PCAP_ERROR_NO_SUCH_DEVICE ? DIAG_EXIT_NOINPUT
								      : DIAG_EXIT_OSERR;

		diag_fail(err, code, ifname, "cannot capture: %s", pcap_geterr(pc));
		pcap_close(pc);
		return -1;
	}
	if (pcap_compile(pc, &prog, "esp or udp port 500 or udp port 4500 or "
			 "(ip6 and (esp or udp port 500 or udp port 4500))", 1,
			 PCAP_NETMASK_UNKNOWN) == 0) {
		pcap_setfilter(pc, &prog);
		pcap_freecode(&prog);
	}
	lt = pcap_datalink(pc);
	/* immediate mode ignores the read timeout: poll, so the duration is kept with no
	 * traffic at all */
	if (pcap_setnonblock(pc, 1, ebuf) == 0)
		fd = pcap_get_selectable_fd(pc);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *data;
		struct ike_pcap_pkt pkt;
		struct diag_error e = {0};

		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((double)(now.tv_sec - start.tv_sec) +
			    (double)(now.tv_nsec - start.tv_nsec) / 1e9 >= seconds)
			break;
		if (fd >= 0) {
			struct pollfd pf = {.fd = fd, .events = POLLIN};

			if (poll(&pf, 1, 100) == 0)
				continue;
		}
		rc = pcap_next_ex(pc, &h, &data);
		if (rc == 0)
			continue;
		if (rc < 0) {
			diag_fail(err, DIAG_EXIT_OSERR, ifname, "capture: %s", pcap_geterr(pc));
			pcap_close(pc);
			return -1;
		}
		memset(&pkt, 0, sizeof pkt);
		w->frames++;
		pkt.frame = w->frames;
		pkt.ts_sec = h->ts.tv_sec;
		pkt.ts_usec = (uint32_t)h->ts.tv_usec;
		if (ike_pcap_demux(lt, data, h->caplen, &pkt, &e) < 0) {
			w->bad++;
			continue;
		}
		take(w, &pkt);
	}
	pcap_close(pc);
	return 0;
}

/* Most SPIs whose [first, last] windows overlap at one instant. */
static size_t concurrent(const struct spi_rec *v, size_t n)
{
	size_t best = n ? 1 : 0;

	for (size_t i = 0; i < n; i++) {
		size_t at = 0;

		for (size_t k = 0; k < n; k++)
			if (v[k].first_us <= v[i].first_us && v[k].last_us >= v[i].first_us)
				at++;
		if (at > best)
			best = at;
	}
	return best;
}

static bool is_aws_ip(const struct aws_model *aws, const char *ip)
{
	if (!aws)
		return false;
	for (size_t i = 0; i < aws->n_vpn_connections; i++)
		for (size_t t = 0; t < aws->vpn_connections[i].n_tunnels; t++) {
			const char *o = aws->vpn_connections[i].tunnels[t].outside_ip;

			if (o && strcmp(o, ip) == 0)
				return true;
		}
	return false;
}

int policy_from_wire(const struct policy_wire *w, const struct aws_model *aws,
		     struct policy_peers *pp)
{
	for (size_t i = 0; i < w->npairs; i++) {
		const struct wire_pair *q = &w->pairs[i];
		struct policy_peer *p = policy_peers_add(pp, POLICY_SRC_WIRE);
		char a[64], b[64];
		bool a_local;
		const struct spi_rec *out, *in;
		size_t nout, nin, cout, cin;

		if (!p)
			return -1;
		if (!inet_ntop(q->family, q->a, a, sizeof a))
			snprintf(a, sizeof a, "?");
		if (!inet_ntop(q->family, q->b, b, sizeof b))
			snprintf(b, sizeof b, "?");
		/* the AWS end is the remote one; else the IKE initiator is the customer's */
		if (is_aws_ip(aws, b))
			a_local = true;
		else if (is_aws_ip(aws, a))
			a_local = false;
		else
			a_local = q->initiator != 2;
		snprintf(p->local_addr, sizeof p->local_addr, "%s", a_local ? a : b);
		snprintf(p->remote_addr, sizeof p->remote_addr, "%s", a_local ? b : a);
		snprintf(p->subject, sizeof p->subject, "capture %s <-> %s", p->local_addr,
			 p->remote_addr);
		out = a_local ? q->ab : q->ba;
		in = a_local ? q->ba : q->ab;
		nout = a_local ? q->nab : q->nba;
		nin = a_local ? q->nba : q->nab;
		p->spis_out = nout + (a_local ? q->more_ab : q->more_ba);
		p->spis_in = nin + (a_local ? q->more_ba : q->more_ab);
		for (size_t k = 0; k < nout && k < 8; k++)
			p->spi_out[k] = out[k].spi;
		for (size_t k = 0; k < nin && k < 8; k++)
			p->spi_in[k] = in[k].spi;
		cout = concurrent(out, nout);
		cin = concurrent(in, nin);
		p->concurrent = cout > cin ? cout : cin;
		p->sa_pairs = p->concurrent;
		p->ike_sas = q->nike;
		for (size_t k = 0; k < q->nike; k++) {
			p->create_child += q->ike[k].create_child;
			p->quick_mode += q->ike[k].quick_mode;
			if (p->nikesa < sizeof p->ikesa / sizeof *p->ikesa) {
				memcpy(p->ikesa[p->nikesa].ispi, q->ike[k].ispi, 8);
				p->ikesa[p->nikesa].create_child = q->ike[k].create_child;
				p->ikesa[p->nikesa++].quick_mode = q->ike[k].quick_mode;
			}
		}
	}
	return 0;
}
