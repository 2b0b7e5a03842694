#include "libdiag/ike/ike_v1.h"

#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

/* ---- building ---------------------------------------------------------------------- */

/* ISAKMP Header (RFC 2408 3.1):
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Initiator                            !
 * !                            Cookie                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Responder                            !
 * !                            Cookie                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Message ID                           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                            Length                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
void ike_v1_put_header(struct ike_buf *b, const uint8_t ck_i[8], const uint8_t ck_r[8],
		       uint8_t next, uint8_t exchange, uint8_t flags, uint32_t msgid)
{
	ike_put_header(b, ck_i, ck_r, next, 0x10, exchange, flags, msgid);
}

void ike_v1_finish(struct ike_buf *b)
{
	ike_finish(b);
}

/* Data Attribute (RFC 2408 3.3), TV form (AF=1) for 16-bit values, TLV (AF=0) otherwise:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !A!       Attribute Type        !    AF=0  Attribute Length     !
 * !F!                             !    AF=1  Attribute Value      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * .                   AF=0  Attribute Value                       .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void put_attr(struct ike_buf *b, uint16_t type, uint32_t val)
{
	if (val <= 0xffff) {
		ike_buf_be16(b, (uint16_t)(0x8000 | type));
		ike_buf_be16(b, (uint16_t)val);
	} else {
		ike_buf_be16(b, type);
		ike_buf_be16(b, 4);
		ike_buf_be32(b, val);
	}
}

/* Transform Payload (RFC 2408 3.6):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Transform #  !  Transform-Id !           RESERVED2           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        SA Attributes                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void put_transform(struct ike_buf *b, bool last, const struct ike_v1_transform *t)
{
	size_t at = ike_begin_payload(b, last ? 0 : IKE1_PL_TRANSFORM);

	ike_buf_u8(b, t->num);
	ike_buf_u8(b, t->id);
	ike_buf_be16(b, 0);
	put_attr(b, IKE1_A_ENCR, t->encr);
	if (t->keylen)
		put_attr(b, IKE1_A_KEYLEN, t->keylen);
	put_attr(b, IKE1_A_HASH, t->hash);
	put_attr(b, IKE1_A_AUTH, t->auth);
	put_attr(b, IKE1_A_GROUP, t->group);
	if (t->life) {
		put_attr(b, IKE1_A_LIFE_TYPE, t->life_type ? t->life_type : 1);
		put_attr(b, IKE1_A_LIFE_DURATION, t->life);
	}
	ike_end_payload(b, at);
}

/* Security Association Payload (RFC 2408 3.4, DOI IPsec, SIT_IDENTITY_ONLY) holding one
 * Proposal Payload (3.5, PROTO_ISAKMP, no SPI):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                           Situation                           ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        <Transforms>                           ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
void ike_v1_put_sa(struct ike_buf *b, uint8_t next, const struct ike_v1_transform *t,
		   size_t n)
{
	size_t sa = ike_begin_payload(b, next), prop;

	ike_buf_be32(b, 1); /* DOI: IPsec */
	ike_buf_be32(b, 1); /* SIT_IDENTITY_ONLY */
	prop = ike_begin_payload(b, 0);
	ike_buf_u8(b, 1);
	ike_buf_u8(b, 1); /* PROTO_ISAKMP */
	ike_buf_u8(b, 0);
	ike_buf_u8(b, (uint8_t)n);
	for (size_t i = 0; i < n; i++)
		put_transform(b, i + 1 == n, &t[i]);
	ike_end_payload(b, prop);
	ike_end_payload(b, sa);
}

/* Notification Payload (RFC 2408 3.14), DOI IPsec, protocol ISAKMP, no SPI:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                Notification Data                              ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
void ike_v1_put_notify(struct ike_buf *b, uint8_t next, uint16_t type, const uint8_t *data,
		       size_t len)
{
	size_t at = ike_begin_payload(b, next);

	ike_buf_be32(b, 1);
	ike_buf_u8(b, 1);
	ike_buf_u8(b, 0);
	ike_buf_be16(b, type);
	ike_buf_put(b, data, len);
	ike_end_payload(b, at);
}

/* Vendor ID Payload (RFC 2408 3.16): generic header, then the vendor ID bytes. */
void ike_v1_put_vendor(struct ike_buf *b, uint8_t next, const uint8_t *vid, size_t len)
{
	size_t at = ike_begin_payload(b, next);

	ike_buf_put(b, vid, len);
	ike_end_payload(b, at);
}

/* Expands the proposal to encryption x hash x group transforms. Returns the count, or -1
 * with err. */
static int expand(const struct ike_proposal *p, uint32_t life, struct ike_v1_transform *t,
		  size_t max, struct diag_error *err)
{
	size_t n = 0;

	for (size_t e = 0; e < p->n; e++) {
		if (p->t[e].type != IKE_T_ENCR)
			continue;
		if (!ike_v1_encr_of(p->t[e].id))
			return diag_fail(err, DIAG_EXIT_USAGE, "IKEv1 request",
					 "%s has no IKEv1 equivalent",
					 ike_transform_name(IKE_T_ENCR, p->t[e].id));
		for (size_t h = 0; h < p->n; h++) {
			if (p->t[h].type != IKE_T_INTEG)
				continue;
			for (size_t g = 0; g < p->n; g++) {
				if (p->t[g].type != IKE_T_DH)
					continue;
				if (n >= max)
					return diag_fail(err, DIAG_EXIT_USAGE, "IKEv1 request",
							 "more than %zu transforms", max);
				memset(&t[n], 0, sizeof(t[n]));
				t[n].num = (uint8_t)(n + 1);
				t[n].id = 1; /* KEY_IKE */
				t[n].encr = ike_v1_encr_of(p->t[e].id);
				t[n].keylen = p->t[e].id == IKE_ENCR_AES_CBC ? p->t[e].keylen : 0;
				t[n].hash = ike_v1_hash_of(p->t[h].id);
				t[n].auth = IKE1_AUTH_PSK;
				t[n].group = p->t[g].id;
				t[n].life_type = 1;
				t[n].life = life;
				n++;
			}
		}
	}
	if (n == 0)
		return diag_fail(err, DIAG_EXIT_USAGE, "IKEv1 request",
				 "IKEv1 needs an encryption, an integrity and a DH algorithm");
	return (int)n;
}

int ike_v1_build_mm1(struct ike_v1_request *req, struct ike_buf *out, struct diag_error *err)
{
	static const uint8_t zero[8];
	struct ike_v1_transform t[IKE1_TRANSFORMS_MAX];
	int n;

	out->len = 0;
	out->failed = false;
	if (req->prop) {
		n = expand(req->prop, req->lifetime ? req->lifetime : 28800, t,
			   IKE1_TRANSFORMS_MAX, err);
		if (n < 0)
			return -1;
	} else if (req->transforms && req->ntransforms > 0 &&
		   req->ntransforms <= IKE1_TRANSFORMS_MAX) {
		n = (int)req->ntransforms;
		for (int i = 0; i < n; i++) {
			t[i] = req->transforms[i];
			t[i].num = (uint8_t)(i + 1);
		}
	} else {
		return diag_fail(err, DIAG_EXIT_USAGE, "IKEv1 request",
				 "between 1 and %d transforms needed", IKE1_TRANSFORMS_MAX);
	}
	if (req->fixed.on)
		memcpy(req->spi_out, req->fixed.spi, 8);
	else if (RAND_bytes(req->spi_out, 8) != 1)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "IKEv1 request",
				 "OpenSSL could not make random bytes");
	ike_v1_put_header(out, req->spi_out, zero, IKE1_PL_SA, IKE1_EXCH_MAIN, 0, 0);
	ike_v1_put_sa(out, 0, t, (size_t)n);
	ike_v1_finish(out);
	if (out->failed)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "IKEv1 request",
				 "message does not fit in %zu bytes",
				 out->max ? out->max : (size_t)IKE_MSG_MAX);
	return 0;
}

/* ---- decoding ---------------------------------------------------------------------- */

/* Decodes SA attributes into t (the classes a probe judges) and ti (every attribute, the
 * first IKE1_ATTR_MAX kept). A TLV attribute's value is bounded by the transform (its
 * length is checked against what remains before it is read: tcpdump's attribute-length
 * confusion), and a TLV value for a class we read as a number must be 1-4 bytes. */
static int dec_attrs(struct cursor *c, struct ike_v1_transform *t, struct ike_v1_trans_info *ti,
		     const char *where, struct diag_error *err)
{
	for (int n = 0; cur_remaining(c) > 0; n++) {
		struct ike_v1_attr a;
		uint16_t type = 0, lv = 0;
		uint32_t val = 0;
		const uint8_t *p = NULL;

		if (n >= IKE_SUBS_MAX)
			return diag_fail(err, DIAG_EXIT_DATAERR, where, "too many attributes");
		cur_be16(c, &type);
		cur_be16(c, &lv);
		if (!cur_ok(c))
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "truncated attribute at offset %zu", c->fail_at);
		memset(&a, 0, sizeof(a));
		a.type = type & 0x7fff;
		if (type & 0x8000) {
			val = lv;
			a.tv = 1;
		} else {
			size_t left = cur_remaining(c);

			if (!cur_ref(c, &p, lv))
				return diag_fail(err, DIAG_EXIT_DATAERR, where,
						 "attribute type %u: TLV length %u passes the end "
						 "of the transform (%zu bytes left)",
						 (unsigned)type, (unsigned)lv, left);
			if (lv >= 1 && lv <= 4)
				for (uint16_t i = 0; i < lv; i++)
					val = val << 8 | p[i];
			else if ((type & 0x7fff) == IKE1_A_LIFE_DURATION)
				return diag_fail(err, DIAG_EXIT_DATAERR, where,
						 "life duration of %u bytes", (unsigned)lv);
			a.len = lv;
		}
		a.value = val;
		if (ti->nattr < IKE1_ATTR_MAX)
			ti->attr[ti->nattr++] = a;
		ti->attr_total++;
		switch (type & 0x7fff) {
		case IKE1_A_ENCR: t->encr = (uint16_t)val; break;
		case IKE1_A_HASH: t->hash = (uint16_t)val; break;
		case IKE1_A_AUTH: t->auth = (uint16_t)val; break;
		case IKE1_A_GROUP: t->group = (uint16_t)val; break;
		case IKE1_A_LIFE_TYPE: t->life_type = (uint16_t)val; break;
		case IKE1_A_LIFE_DURATION: t->life = val; break;
		case IKE1_A_KEYLEN: t->keylen = (uint16_t)val; break;
		default: t->nunknown_attr++; break;
		}
	}
	return 0;
}

static int dec_transform(void *ctx, struct cursor *b, size_t idx, const char *where,
			 struct diag_error *err)
{
	struct ike_v1_msg *m = ctx;
	struct ike_v1_transform t;
	struct ike_v1_trans_info ti;
	uint16_t rsv = 0;

	memset(&t, 0, sizeof(t));
	memset(&ti, 0, sizeof(ti));
	ti.length = (uint16_t)(cur_remaining(b) + 4);
	cur_u8(b, &t.num);
	cur_u8(b, &t.id);
	cur_be16(b, &rsv);
	if (!cur_ok(b))
		return diag_fail(err, DIAG_EXIT_DATAERR, where, "truncated transform");
	if (dec_attrs(b, &t, &ti, where, err))
		return -1;
	if (idx < IKE1_TRANSFORMS_MAX) {
		m->t[idx] = t;
		m->trans_info[idx] = ti;
		m->ntransforms = idx + 1;
	}
	return 0;
}

static int dec_proposal(void *ctx, struct cursor *b, size_t idx, const char *where,
			struct diag_error *err)
{
	struct ike_v1_msg *m = ctx;
	uint8_t num = 0, proto = 0, spisz = 0, ntrans = 0;
	uint16_t length = (uint16_t)(cur_remaining(b) + 4);
	const uint8_t *spi = NULL;
	int n = 0;

	cur_u8(b, &num);
	cur_u8(b, &proto);
	cur_u8(b, &spisz);
	cur_u8(b, &ntrans);
	cur_ref(b, &spi, spisz);
	if (!cur_ok(b))
		return diag_fail(err, DIAG_EXIT_DATAERR, where, "truncated proposal");
	m->nproposals = idx + 1;
	/* The first proposal is the one a responder chose; later ones are only walked. */
	if (idx == 0) {
		m->prop_num = num;
		m->protocol = proto;
		m->prop_spi_size = spisz;
		m->prop_ntrans = ntrans;
		m->prop_length = length;
		memcpy(m->prop_spi, spi, spisz < sizeof(m->prop_spi) ? spisz : sizeof(m->prop_spi));
		if (cur_remaining(b) > 0 &&
		    (n = ike_walk_subs(b, IKE1_PL_TRANSFORM, "transform", dec_transform, m,
				       err)) < 0)
			return -1;
		if (n != ntrans)
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "claims %u transforms, holds %d", (unsigned)ntrans, n);
	}
	return 0;
}

static int dec_notify(struct ike_v1_msg *m, struct cursor *b, const char *where,
		      struct diag_error *err)
{
	struct ike_v1_notify_info ni;
	const uint8_t *spi = NULL;
	uint16_t type = 0;
	size_t rest;

	memset(&ni, 0, sizeof(ni));
	cur_be32(b, &ni.doi);
	cur_u8(b, &ni.proto);
	cur_u8(b, &ni.spi_size);
	cur_be16(b, &type);
	cur_ref(b, &spi, ni.spi_size);
	if (!cur_ok(b))
		return diag_fail(err, DIAG_EXIT_DATAERR, where, "truncated notification");
	memcpy(ni.spi, spi, ni.spi_size < sizeof(ni.spi) ? ni.spi_size : sizeof(ni.spi));
	rest = cur_remaining(b);
	ni.data_len = rest;
	cur_bytes(b, ni.data, rest < sizeof(ni.data) ? rest : sizeof(ni.data));
	if (m->nnotify < IKE1_NOTIFY_MAX) {
		m->pl[m->npayloads - 1].idx = (int16_t)m->nnotify;
		m->notify_info[m->nnotify] = ni;
		m->notify[m->nnotify++] = type;
	}
	return 0;
}

static int dec_payload(void *ctx, struct ike_payload *pl, struct diag_error *err)
{
	struct ike_v1_msg *m = ctx;
	struct cursor *b = &pl->body;
	struct ike_v1_payload *info;
	size_t n = cur_remaining(b);
	const uint8_t *p = NULL;
	char where[64];

	snprintf(where, sizeof(where), "IKEv1 payload %zu (offset %zu)", m->npayloads + 1,
		 cur_pos(b) - 4);
	if (m->npayloads < IKE_PAYLOADS_MAX) {
		info = &m->pl[m->npayloads];
		info->type = pl->type;
		info->flags = pl->flags;
		info->length = (uint16_t)(n + 4);
		info->idx = -1;
		if (m->npayloads > 0)
			m->pl[m->npayloads - 1].next = pl->type;
	}
	m->npayloads++;
	switch (pl->type) {
	case IKE1_PL_SA:
		cur_be32(b, &m->doi);
		cur_be32(b, &m->situation);
		if (!cur_ok(b))
			return diag_fail(err, DIAG_EXIT_DATAERR, where, "truncated SA");
		m->has_sa = true;
		m->ntransforms = 0;
		m->nproposals = 0;
		return ike_walk_subs(b, IKE1_PL_PROPOSAL, "proposal", dec_proposal, m, err) < 0 ?
			       -1 : 0;
	case IKE1_PL_NOTIFY:
		return dec_notify(m, b, where, err);
	case IKE1_PL_KE:
		m->has_ke = true;
		m->ke_len = n;
		return 0;
	case IKE1_PL_NONCE:
		m->has_nonce = true;
		m->nonce_len = n;
		return 0;
	case IKE1_PL_NATD:
	case IKE1_PL_NATD_DRAFT:
		if (m->nnatd < IKE1_NATD_MAX) {
			cur_bytes(b, m->natd[m->nnatd], n < 20 ? n : 20);
			m->natd_len[m->nnatd] = n;
			m->pl[m->npayloads - 1].idx = (int16_t)m->nnatd++;
		}
		return 0;
	case IKE1_PL_VENDOR:
		if (m->nvendor < IKE1_VENDOR_MAX) {
			cur_ref(b, &p, n);
			m->pl[m->npayloads - 1].idx = (int16_t)m->nvendor;
			m->vendor_len[m->nvendor] = n;
			ike_hex(p, n > 32 ? 32 : n, m->vendor[m->nvendor++],
				sizeof(m->vendor[0]));
		}
		return 0;
	default:
		if (m->nunknown < IKE1_UNKNOWN_MAX)
			m->unknown[m->nunknown++] = pl->type;
		return 0;
	}
}

int ike_v1_decode(const uint8_t *buf, size_t len, bool natt, struct ike_v1_msg *m,
		  struct diag_error *err)
{
	struct cursor c, msg;
	const char *where = natt ? "IKEv1 header (offset 4)" : "IKEv1 header (offset 0)";

	memset(m, 0, sizeof(*m));
	cur_init(&c, buf, len);
	if (natt) {
		if (ike_natt_marker(&c, err))
			return -1;
		m->natt = true;
	}
	cur_bytes(&c, m->ck_i, 8);
	cur_bytes(&c, m->ck_r, 8);
	cur_u8(&c, &m->first_payload);
	cur_u8(&c, &m->version);
	cur_u8(&c, &m->exchange);
	cur_u8(&c, &m->flags);
	cur_be32(&c, &m->msgid);
	cur_be32(&c, &m->length);
	if (!cur_ok(&c))
		return diag_fail(err, DIAG_EXIT_DATAERR, where,
				 "truncated header (%zu bytes)", len);
	if (m->version >> 4 != 1)
		return diag_fail(err, DIAG_EXIT_DATAERR, where, "version %u.%u is not IKEv1",
				 (unsigned)(m->version >> 4), (unsigned)(m->version & 15));
	if (m->length < 28 || m->length - 28 > cur_remaining(&c))
		return diag_fail(err, DIAG_EXIT_DATAERR, where,
				 "length %u does not match the %zu bytes received",
				 (unsigned)m->length, cur_remaining(&c) + 28);
	if (m->flags & 0x01) { /* encrypted: nothing more to read without keys */
		m->encrypted_len = m->length - 28;
		return 0;
	}
	cur_sub(&c, m->length - 28, &msg);
	if (ike_walk_chain(&msg, m->first_payload, "IKEv1", dec_payload, m, err) < 0)
		return -1;
	if (cur_remaining(&msg) > 0)
		return diag_fail(err, DIAG_EXIT_DATAERR, "IKEv1 message",
				 "%zu bytes after the last payload", cur_remaining(&msg));
	return 0;
}
