#include "libdiag/ike/ike_v2.h"

#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

/* ---- building ---------------------------------------------------------------------- */

/*                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Initiator's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Responder's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Message ID                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Length                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
void ike_v2_put_header(struct ike_buf *b, const uint8_t spi_i[8], const uint8_t spi_r[8],
		       uint8_t next, uint8_t exchange, uint8_t flags, uint32_t msgid)
{
	ike_put_header(b, spi_i, spi_r, next, 0x20, exchange, flags, msgid);
}

void ike_v2_finish(struct ike_buf *b)
{
	ike_finish(b);
}

/* Transform Substructure (RFC 7296 3.3.2), with the Key Length attribute in TV form:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Last Substruc |   RESERVED    |        Transform Length       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Transform Type |   RESERVED    |          Transform ID         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |1|       Attribute Type (14)   |        Key Length (bits)      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void put_transform(struct ike_buf *b, bool last, const struct ike_transform *t)
{
	size_t at = ike_begin_payload(b, last ? 0 : 3);

	ike_buf_u8(b, t->type);
	ike_buf_u8(b, 0);
	ike_buf_be16(b, t->id);
	if (t->keylen) {
		ike_buf_be16(b, 0x8000 | 14);
		ike_buf_be16(b, t->keylen);
	}
	ike_end_payload(b, at);
}

/* Proposal Substructure (RFC 7296 3.3.1), IKE protocol, no SPI:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Last Substruc |   RESERVED    |         Proposal Length       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        <Transforms>                           ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void put_proposal(struct ike_buf *b, bool last, uint8_t num,
			 const struct ike_proposal *p)
{
	size_t at = ike_begin_payload(b, last ? 0 : 2);

	ike_buf_u8(b, num);
	ike_buf_u8(b, 1); /* IKE */
	ike_buf_u8(b, 0);
	ike_buf_u8(b, (uint8_t)p->n);
	for (size_t i = 0; i < p->n; i++)
		put_transform(b, i + 1 == p->n, &p->t[i]);
	ike_end_payload(b, at);
}

/* Security Association Payload (RFC 7296 3.3):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                          <Proposals>                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
void ike_v2_put_sa(struct ike_buf *b, uint8_t next, const struct ike_proposal *props,
		   size_t nprops)
{
	size_t at = ike_begin_payload(b, next);

	for (size_t i = 0; i < nprops; i++)
		put_proposal(b, i + 1 == nprops, (uint8_t)(i + 1), &props[i]);
	ike_end_payload(b, at);
}

/* Key Exchange Payload (RFC 7296 3.4):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Diffie-Hellman Group Num    |           RESERVED            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Key Exchange Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
void ike_v2_put_ke(struct ike_buf *b, uint8_t next, uint16_t group, const uint8_t *pub,
		   size_t len)
{
	size_t at = ike_begin_payload(b, next);

	ike_buf_be16(b, group);
	ike_buf_be16(b, 0);
	ike_buf_put(b, pub, len);
	ike_end_payload(b, at);
}

/* Nonce Payload (RFC 7296 3.9):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                            Nonce Data                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
void ike_v2_put_nonce(struct ike_buf *b, uint8_t next, const uint8_t *nonce, size_t len)
{
	size_t at = ike_begin_payload(b, next);

	ike_buf_put(b, nonce, len);
	ike_end_payload(b, at);
}

/* Notify Payload (RFC 7296 3.10), protocol 0 and no SPI as IKE_SA_INIT uses it:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Notification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
void ike_v2_put_notify(struct ike_buf *b, uint8_t next, uint16_t type, const uint8_t *data,
		       size_t len)
{
	size_t at = ike_begin_payload(b, next);

	ike_buf_u8(b, 0);
	ike_buf_u8(b, 0);
	ike_buf_be16(b, type);
	ike_buf_put(b, data, len);
	ike_end_payload(b, at);
}

/* Vendor ID Payload (RFC 7296 3.12):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        Vendor ID (VID)                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
void ike_v2_put_vendor(struct ike_buf *b, uint8_t next, const uint8_t *vid, size_t len)
{
	size_t at = ike_begin_payload(b, next);

	ike_buf_put(b, vid, len);
	ike_end_payload(b, at);
}

int ike_v2_build_init(struct ike_v2_request *req, struct ike_buf *out, struct diag_error *err)
{
	static const uint8_t zero[8];
	uint8_t pub[IKE_KE_MAX], nonce[IKE_NONCE_LEN], h_src[20], h_dst[20];
	uint16_t group = req->ke_group;
	size_t publen;
	bool det = req->fixed.det_key;

	out->len = 0;
	out->failed = false;
	if (!req->props || req->nprops == 0 || req->nprops > IKE2_PROPOSALS_MAX)
		return diag_fail(err, DIAG_EXIT_USAGE, "IKEv2 request",
				 "between 1 and %d proposals needed", IKE2_PROPOSALS_MAX);
	if (!group) {
		const struct ike_transform *t = ike_proposal_first(&req->props[0], IKE_T_DH);

		group = t ? t->id : 0;
	}
	publen = ike_dh_pub_len(group);
	if (ike_dh_public(group, det, pub, sizeof(pub), err))
		return -1;
	if (req->fixed.on) {
		memcpy(req->spi_out, req->fixed.spi, 8);
		memcpy(nonce, req->fixed.nonce, sizeof(nonce));
	} else if (RAND_bytes(req->spi_out, 8) != 1 || RAND_bytes(nonce, sizeof(nonce)) != 1) {
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "IKEv2 request",
				 "OpenSSL could not make random bytes");
	}
	if (req->natd &&
	    (ike_natd_hash(req->spi_out, zero, req->src.ip, req->src.iplen, req->src.port,
			   h_src) ||
	     ike_natd_hash(req->spi_out, zero, req->dst.ip, req->dst.iplen, req->dst.port,
			   h_dst)))
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "IKEv2 request",
				 "cannot compute the NAT-D hashes (bad address?)");

	ike_v2_put_header(out, req->spi_out, zero, req->cookie ? IKE2_PL_NOTIFY : IKE2_PL_SA,
			  IKE2_EXCH_SA_INIT, IKE2_FLAG_INITIATOR, 0);
	if (req->cookie)
		ike_v2_put_notify(out, IKE2_PL_SA, IKE2_N_COOKIE, req->cookie, req->cookie_len);
	ike_v2_put_sa(out, IKE2_PL_KE, req->props, req->nprops);
	ike_v2_put_ke(out, IKE2_PL_NONCE, group, pub, publen);
	ike_v2_put_nonce(out, req->natd ? IKE2_PL_NOTIFY : 0, nonce, sizeof(nonce));
	if (req->natd) {
		ike_v2_put_notify(out, IKE2_PL_NOTIFY, IKE2_N_NAT_DETECTION_SOURCE_IP, h_src, 20);
		ike_v2_put_notify(out, 0, IKE2_N_NAT_DETECTION_DESTINATION_IP, h_dst, 20);
	}
	ike_v2_finish(out);
	if (out->failed)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "IKEv2 request",
				 "message does not fit in %zu bytes",
				 out->max ? out->max : (size_t)IKE_MSG_MAX);
	return 0;
}

/* ---- decoding ---------------------------------------------------------------------- */

/* Decodes one transform's attributes into ti (the first IKE2_ATTR_MAX kept, all counted);
 * Key Length (14, TV) also goes into t. A TLV attribute is bounded by its own length, read
 * as a number when 1-4 bytes long. Returns 0 or -1. */
static int dec_attrs(struct cursor *c, struct ike_transform *t, struct ike_v2_trans_info *ti,
		     const char *where, struct diag_error *err)
{
	for (int n = 0; cur_remaining(c) > 0; n++) {
		struct ike_v2_attr a;
		uint16_t type = 0, val = 0;
		const uint8_t *p = NULL;

		if (n >= IKE_SUBS_MAX)
			return diag_fail(err, DIAG_EXIT_DATAERR, where, "too many attributes");
		cur_be16(c, &type);
		cur_be16(c, &val);
		if (!cur_ok(c))
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "truncated attribute at offset %zu", c->fail_at);
		memset(&a, 0, sizeof(a));
		a.type = type & 0x7fff;
		if (type & 0x8000) {
			a.tv = 1;
			a.value = val;
			if (a.type == 14)
				t->keylen = val;
		} else if (!cur_ref(c, &p, val)) {
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "attribute type %u: length %u passes the end of the "
					 "transform", (unsigned)type, (unsigned)val);
		} else {
			a.len = val;
			for (uint16_t k = 0; val <= 4 && k < val; k++)
				a.value = a.value << 8 | p[k];
		}
		if (ti->nattr < IKE2_ATTR_MAX)
			ti->attr[ti->nattr++] = a;
		ti->attr_total++;
	}
	return 0;
}

struct trans_ctx {
	struct ike_proposal *p;
	struct ike_v2_trans_info *info;  /* IKE_PROP_MAX of them, or NULL */
	bool *truncated;
};

static int dec_transform(void *ctx, struct cursor *b, size_t idx, const char *where,
			 struct diag_error *err)
{
	struct trans_ctx *tc = ctx;
	struct ike_proposal *p = tc->p;
	bool *truncated = tc->truncated;
	struct ike_v2_trans_info ti;
	struct ike_transform t;
	uint8_t rsv = 0;

	(void)idx;
	memset(&t, 0, sizeof(t));
	memset(&ti, 0, sizeof(ti));
	ti.length = (uint16_t)(cur_remaining(b) + 4);
	cur_u8(b, &t.type);
	cur_u8(b, &rsv);
	cur_be16(b, &t.id);
	if (!cur_ok(b))
		return diag_fail(err, DIAG_EXIT_DATAERR, where, "truncated transform");
	if (dec_attrs(b, &t, &ti, where, err))
		return -1;
	if (p->n < IKE_PROP_MAX) {
		if (tc->info)
			tc->info[p->n] = ti;
		p->t[p->n++] = t;
	} else {
		*truncated = true;
	}
	return 0;
}

static int dec_proposal(void *ctx, struct cursor *b, size_t idx, const char *where,
			struct diag_error *err)
{
	struct ike_v2_msg *m = ctx;
	bool kept = idx < IKE2_PROPOSALS_MAX;
	struct ike_proposal dummy, *p = kept ? &m->props[idx] : &dummy;
	struct trans_ctx tc = { p, kept ? m->trans_info[idx] : NULL, &m->props_truncated };
	struct ike_v2_prop_info pi;
	uint8_t num = 0;
	const uint8_t *spi = NULL;
	int n;

	memset(p, 0, sizeof(*p));
	memset(&pi, 0, sizeof(pi));
	if (kept)
		memset(m->trans_info[idx], 0, sizeof(m->trans_info[idx]));
	pi.length = (uint16_t)(cur_remaining(b) + 4);
	cur_u8(b, &num);
	cur_u8(b, &pi.proto);
	cur_u8(b, &pi.spi_size);
	cur_u8(b, &pi.ntrans);
	cur_ref(b, &spi, pi.spi_size);
	if (!cur_ok(b))
		return diag_fail(err, DIAG_EXIT_DATAERR, where, "truncated proposal");
	memcpy(pi.spi, spi, pi.spi_size < sizeof(pi.spi) ? pi.spi_size : sizeof(pi.spi));
	if (cur_remaining(b) == 0)
		n = 0;
	else if ((n = ike_walk_subs(b, 3, "transform", dec_transform, &tc, err)) < 0)
		return -1;
	if (n != pi.ntrans)
		return diag_fail(err, DIAG_EXIT_DATAERR, where,
				 "claims %u transforms, holds %d", (unsigned)pi.ntrans, n);
	if (kept) {
		m->prop_num[idx] = num;
		m->prop_info[idx] = pi;
		m->nprops = idx + 1;
	} else {
		m->props_truncated = true;
	}
	return 0;
}

static int dec_notify(struct ike_v2_msg *m, struct cursor *b, const char *where,
		      struct diag_error *err)
{
	struct ike_v2_notify n;
	const uint8_t *spi = NULL;
	size_t rest;

	memset(&n, 0, sizeof(n)); /* padding too: decoded structs compare with memcmp */
	cur_u8(b, &n.proto);
	cur_u8(b, &n.spi_size);
	cur_be16(b, &n.type);
	cur_ref(b, &spi, n.spi_size);
	if (!cur_ok(b))
		return diag_fail(err, DIAG_EXIT_DATAERR, where, "truncated notification");
	memcpy(n.spi, spi, n.spi_size < sizeof(n.spi) ? n.spi_size : sizeof(n.spi));
	rest = cur_remaining(b);
	n.data_len = rest;
	cur_bytes(b, n.data, rest < sizeof(n.data) ? rest : sizeof(n.data));
	if (n.type == IKE2_N_INVALID_KE_PAYLOAD) {
		if (rest < 2)
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "INVALID_KE_PAYLOAD without a group");
		n.group = (uint16_t)(n.data[0] << 8 | n.data[1]);
	}
	if (m->nnotify < IKE2_NOTIFY_MAX) {
		m->pl[m->npayloads - 1].idx = (int16_t)m->nnotify;
		m->notify[m->nnotify++] = n;
	}
	return 0;
}

/* Decodes one payload's body; m->pl[m->npayloads] already holds its header. */
static int dec_payload(struct ike_v2_msg *m, struct ike_payload *pl, size_t at,
		       struct diag_error *err)
{
	struct cursor *b = &pl->body;
	char where[64];
	uint16_t rsv = 0;

	snprintf(where, sizeof(where), "IKEv2 payload %zu (offset %zu)", m->npayloads + 1, at);
	m->npayloads++;
	switch (pl->type) {
	case IKE2_PL_SA:
		m->nprops = 0;
		return ike_walk_subs(b, 2, "proposal", dec_proposal, m, err) < 0 ? -1 : 0;
	case IKE2_PL_KE:
		cur_be16(b, &m->ke_group);
		cur_be16(b, &rsv);
		if (!cur_ok(b))
			return diag_fail(err, DIAG_EXIT_DATAERR, where, "truncated KE");
		m->has_ke = true;
		m->ke_len = cur_remaining(b);
		return 0;
	case IKE2_PL_NONCE:
		m->has_nonce = true;
		m->nonce_len = cur_remaining(b);
		return 0;
	case IKE2_PL_NOTIFY:
		return dec_notify(m, b, where, err);
	case IKE2_PL_VENDOR:
		if (m->nvendor < IKE2_VENDOR_MAX) {
			size_t n = cur_remaining(b);
			const uint8_t *p = NULL;

			cur_ref(b, &p, n);
			m->pl[m->npayloads - 1].idx = (int16_t)m->nvendor;
			m->vendor_len[m->nvendor] = n;
			ike_hex(p, n > 32 ? 32 : n, m->vendor[m->nvendor++],
				sizeof(m->vendor[0]));
		}
		return 0;
	case IKE2_PL_SK:
	case IKE2_PL_SKF:
		m->sk_len = cur_remaining(b);
		return 0;
	default:
		if (m->nunknown < IKE2_UNKNOWN_MAX)
			m->unknown[m->nunknown++] = pl->type;
		return 0;
	}
}

/* One payload of the chain (ike_walk_chain applies the rules: a length below the header
 * refused first, bodies bounded by child cursors, at most IKE_PAYLOADS_MAX). IKEv2's own
 * rule: an SK or SKF payload is the last, and its Next Payload names the first payload
 * inside the encryption (RFC 7296 3.14, RFC 7383 2.5), not one after it. */
static int chain_payload(void *ctx, struct ike_payload *pl, struct diag_error *err)
{
	struct ike_v2_msg *m = ctx;
	struct ike_v2_payload *info = &m->pl[m->npayloads];

	info->type = pl->type;
	info->next = pl->next;
	info->flags = pl->flags;
	info->length = pl->length;
	info->idx = -1;
	if (dec_payload(m, pl, pl->offset, err))
		return -1;
	if (pl->type == IKE2_PL_SK || pl->type == IKE2_PL_SKF) {
		m->sk_first = pl->next;
		return 1;
	}
	return 0;
}

int ike_v2_decode(const uint8_t *buf, size_t len, bool natt, struct ike_v2_msg *m,
		  struct diag_error *err)
{
	struct cursor c, msg;
	const char *where = "IKEv2 header (offset 0)";

	memset(m, 0, sizeof(*m));
	cur_init(&c, buf, len);
	if (natt) {
		if (ike_natt_marker(&c, err))
			return -1;
		m->natt = true;
		where = "IKEv2 header (offset 4)";
	}
	cur_bytes(&c, m->spi_i, 8);
	cur_bytes(&c, m->spi_r, 8);
	cur_u8(&c, &m->first_payload);
	cur_u8(&c, &m->version);
	cur_u8(&c, &m->exchange);
	cur_u8(&c, &m->flags);
	cur_be32(&c, &m->msgid);
	cur_be32(&c, &m->length);
	if (!cur_ok(&c))
		return diag_fail(err, DIAG_EXIT_DATAERR, where,
				 "truncated header (%zu bytes)", len);
	if (m->version >> 4 != 2)
		return diag_fail(err, DIAG_EXIT_DATAERR, where, "version %u.%u is not IKEv2",
				 (unsigned)(m->version >> 4), (unsigned)(m->version & 15));
	if (m->length < 28 || m->length - 28 > cur_remaining(&c))
		return diag_fail(err, DIAG_EXIT_DATAERR, where,
				 "length %u does not match the %zu bytes received",
				 (unsigned)m->length, cur_remaining(&c) + 28);
	cur_sub(&c, m->length - 28, &msg);
	if (ike_walk_chain(&msg, m->first_payload, "IKEv2", chain_payload, m, err) < 0)
		return -1;
	if (cur_remaining(&msg) > 0)
		return diag_fail(err, DIAG_EXIT_DATAERR, "IKEv2 message",
				 "%zu bytes after the last payload", cur_remaining(&msg));
	return 0;
}

const struct ike_v2_notify *ike_v2_find_notify(const struct ike_v2_msg *m, uint16_t type)
{
	for (size_t i = 0; i < m->nnotify; i++)
		if (m->notify[i].type == type)
			return &m->notify[i];
	return NULL;
}
