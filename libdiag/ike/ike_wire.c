#include "libdiag/ike/ike_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>

/* ---- buffer ------------------------------------------------------------------------ */

void ike_buf_put(struct ike_buf *b, const void *data, size_t n)
{
	size_t max = b->max ? b->max : IKE_MSG_MAX;

	if (b->failed)
		return;
	if (n > max - b->len) {
		b->failed = true;
		return;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *p;

		while (cap < b->len + n)
			cap *= 2;
		if (cap > max)
			cap = max;
		p = realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
}

void ike_buf_u8(struct ike_buf *b, uint8_t v)
{
	ike_buf_put(b, &v, 1);
}

void ike_buf_be16(struct ike_buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	ike_buf_put(b, x, 2);
}

void ike_buf_be32(struct ike_buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	ike_buf_put(b, x, 4);
}

void ike_buf_set_be16(struct ike_buf *b, size_t off, uint16_t v)
{
	if (b->failed || off + 2 > b->len)
		return;
	b->p[off] = (uint8_t)(v >> 8);
	b->p[off + 1] = (uint8_t)v;
}

void ike_buf_set_be32(struct ike_buf *b, size_t off, uint32_t v)
{
	ike_buf_set_be16(b, off, (uint16_t)(v >> 16));
	ike_buf_set_be16(b, off + 2, (uint16_t)v);
}

void ike_buf_free(struct ike_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void ike_fixed_default(struct ike_fixed *f)
{
	f->on = true;
	f->det_key = true;
	for (int i = 0; i < 8; i++)
		f->spi[i] = (uint8_t)(0x11 * (i + 1));
	for (int i = 0; i < IKE_NONCE_LEN; i++)
		f->nonce[i] = (uint8_t)(0xa0 + i);
}

/* ---- Diffie-Hellman ----------------------------------------------------------------- */

/* The fixed private key of deterministic mode: 32 bytes, well below every group order. */
static const uint8_t fixed_priv[32] = {
	0x1d, 0x2c, 0x3b, 0x4a, 0x59, 0x68, 0x77, 0x86, 0x95, 0xa4, 0xb3, 0xc2, 0xd1, 0xe0,
	0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2,
	0xe1, 0xf0, 0x01, 0x23,
};

static BIGNUM *modp_prime(uint16_t group)
{
	switch (group) {
	case 1: return BN_get_rfc2409_prime_768(NULL);
	case 2: return BN_get_rfc2409_prime_1024(NULL);
	case 5: return BN_get_rfc3526_prime_1536(NULL);
	case 14: return BN_get_rfc3526_prime_2048(NULL);
	case 15: return BN_get_rfc3526_prime_3072(NULL);
	case 16: return BN_get_rfc3526_prime_4096(NULL);
	case 17: return BN_get_rfc3526_prime_6144(NULL);
	case 18: return BN_get_rfc3526_prime_8192(NULL);
	default: return NULL;
	}
}

/* RFC 5114 groups 22-24 (MODP with a prime-order subgroup): OpenSSL knows them by name
 * as DHX parameters. Returns 0 with p, g and q set, or -1. */
static int subgroup_params(uint16_t group, BIGNUM **p, BIGNUM **g, BIGNUM **q)
{
	const char *name = group == 22 ? "dh_1024_160" : group == 23 ? "dh_2048_224" :
									"dh_2048_256";
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DHX", NULL);
	EVP_PKEY *pk = NULL;
	OSSL_PARAM prm[2];
	int rc = -1;

	prm[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)name, 0);
	prm[1] = OSSL_PARAM_construct_end();
	if (pc && EVP_PKEY_fromdata_init(pc) > 0 &&
	    EVP_PKEY_fromdata(pc, &pk, EVP_PKEY_KEY_PARAMETERS, prm) > 0 &&
	    EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_FFC_P, p) &&
	    EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_FFC_G, g) &&
	    EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_FFC_Q, q))
		rc = 0;
	EVP_PKEY_free(pk);
	EVP_PKEY_CTX_free(pc);
	return rc;
}

/* g^x mod p with x in [1, q-1] for the RFC 5114 groups. */
static int subgroup_public(uint16_t group, bool det, uint8_t *out, size_t outlen)
{
	BIGNUM *p = NULL, *g = NULL, *q = NULL, *x = BN_new(), *y = BN_new();
	BN_CTX *ctx = BN_CTX_new();
	int rc = -1;

	if (!x || !y || !ctx || subgroup_params(group, &p, &g, &q))
		goto out;
	if (det ? !BN_bin2bn(fixed_priv, sizeof(fixed_priv), x) || !BN_mod(x, x, q, ctx) :
		  !BN_priv_rand_range(x, q))
		goto out;
	if (BN_is_zero(x) && !BN_one(x))
		goto out;
	if (!BN_mod_exp(y, g, x, p, ctx) || BN_bn2binpad(y, out, (int)outlen) < 0)
		goto out;
	rc = 0;
out:
	BN_clear_free(x);
	BN_free(y);
	BN_free(p);
	BN_free(g);
	BN_free(q);
	BN_CTX_free(ctx);
	return rc;
}

static int ecp_nid(uint16_t group)
{
	switch (group) {
	case 19: return NID_X9_62_prime256v1;
	case 20: return NID_secp384r1;
	case 21: return NID_secp521r1;
	default: return 0;
	}
}

size_t ike_dh_pub_len(uint16_t group)
{
	switch (group) {
	case 1: return 96;
	case 2: return 128;
	case 5: return 192;
	case 14: return 256;
	case 15: return 384;
	case 16: return 512;
	case 17: return 768;
	case 18: return 1024;
	case 19: return 64;
	case 20: return 96;
	case 21: return 132;
	case 22: return 128;
	case 23: return 256;
	case 24: return 256;
	default: return 0;
	}
}

static int modp_public(uint16_t group, bool det, uint8_t *out, size_t outlen)
{
	BIGNUM *p = modp_prime(group), *g = BN_new(), *x = BN_new(), *y = BN_new();
	BN_CTX *ctx = BN_CTX_new();
	int rc = -1;

	if (!p || !g || !x || !y || !ctx || !BN_set_word(g, 2))
		goto out;
	/* 512 random bits: twice the strength of the largest group (RFC 3526 section 8). */
	if (det ? !BN_bin2bn(fixed_priv, sizeof(fixed_priv), x) :
		  !BN_priv_rand(x, 512, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY))
		goto out;
	if (!BN_mod_exp(y, g, x, p, ctx) || BN_bn2binpad(y, out, (int)outlen) < 0)
		goto out;
	rc = 0;
out:
	BN_clear_free(x);
	BN_free(y);
	BN_free(g);
	BN_free(p);
	BN_CTX_free(ctx);
	return rc;
}

static int ecp_public(uint16_t group, bool det, uint8_t *out, size_t outlen)
{
	EC_GROUP *eg = EC_GROUP_new_by_curve_name(ecp_nid(group));
	EC_POINT *pt = eg ? EC_POINT_new(eg) : NULL;
	BIGNUM *x = BN_new(), *px = BN_new(), *py = BN_new();
	BN_CTX *ctx = BN_CTX_new();
	int rc = -1;
	size_t half = outlen / 2;

	if (!pt || !x || !px || !py || !ctx)
		goto out;
	if (det ? !BN_bin2bn(fixed_priv, sizeof(fixed_priv), x) :
		  !BN_priv_rand_range(x, EC_GROUP_get0_order(eg)))
		goto out;
	if (BN_is_zero(x) && !BN_one(x))
		goto out;
	if (!EC_POINT_mul(eg, pt, x, NULL, NULL, ctx) ||
	    !EC_POINT_get_affine_coordinates(eg, pt, px, py, ctx))
		goto out;
	/* RFC 5903: x and y, each padded to the field size, no point-format byte. */
	if (BN_bn2binpad(px, out, (int)half) < 0 || BN_bn2binpad(py, out + half, (int)half) < 0)
		goto out;
	rc = 0;
out:
	BN_clear_free(x);
	BN_free(px);
	BN_free(py);
	EC_POINT_free(pt);
	EC_GROUP_free(eg);
	BN_CTX_free(ctx);
	return rc;
}

int ike_dh_public(uint16_t group, bool deterministic, uint8_t *out, size_t outlen,
		  struct diag_error *err)
{
	size_t need = ike_dh_pub_len(group);
	int rc;

	if (!need)
		return diag_fail(err, DIAG_EXIT_USAGE, "KE",
				 "DH group %u is not supported", (unsigned)group);
	if (outlen < need)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "KE", "buffer too small");
	if (ecp_nid(group))
		rc = ecp_public(group, deterministic, out, need);
	else if (group >= 22 && group <= 24)
		rc = subgroup_public(group, deterministic, out, need);
	else
		rc = modp_public(group, deterministic, out, need);
	if (rc)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "KE",
				 "OpenSSL failed to compute a DH group %u public value",
				 (unsigned)group);
	return 0;
}

int ike_natd_hash(const uint8_t spi_i[8], const uint8_t spi_r[8], const uint8_t *ip,
		  size_t iplen, uint16_t port, uint8_t out[20])
{
	uint8_t in[8 + 8 + 16 + 2];
	size_t n = 0;
	unsigned int olen = 0;

	if (iplen != 4 && iplen != 16)
		return -1;
	memcpy(in, spi_i, 8);
	memcpy(in + 8, spi_r, 8);
	memcpy(in + 16, ip, iplen);
	n = 16 + iplen;
	in[n++] = (uint8_t)(port >> 8);
	in[n++] = (uint8_t)port;
	if (!EVP_Digest(in, n, out, &olen, EVP_sha1(), NULL) || olen != 20)
		return -1;
	return 0;
}

/* ---- payload chain ------------------------------------------------------------------ */

int ike_walk_chain(struct cursor *c, uint8_t first, const char *what, ike_payload_fn fn,
		   void *ctx, struct diag_error *err)
{
	uint8_t next = first;
	int count = 0;
	char where[64];

	while (next != 0) {
		struct ike_payload pl;
		uint8_t np = 0;
		uint16_t len = 0;
		size_t at = cur_pos(c), left;

		snprintf(where, sizeof(where), "%s payload %d (offset %zu)", what, count + 1, at);
		if (count >= IKE_PAYLOADS_MAX)
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "more than %d payloads", IKE_PAYLOADS_MAX);
		int rc;

		memset(&pl, 0, sizeof(pl));
		pl.type = next;
		pl.offset = at;
		cur_u8(c, &np);
		cur_u8(c, &pl.flags);
		cur_be16(c, &len);
		pl.next = np;
		pl.length = len;
		if (!cur_ok(c))
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "type %u: truncated payload header", (unsigned)next);
		/* Before anything else: a length below the header would never advance. */
		if (len < 4)
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "type %u: length %u is below the 4-byte header",
					 (unsigned)next, (unsigned)len);
		left = cur_remaining(c) + 4;
		if (!cur_sub(c, (size_t)len - 4, &pl.body))
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "type %u: length %u passes the end (%zu bytes left)",
					 (unsigned)next, (unsigned)len, left);
		count++;
		if ((rc = fn(ctx, &pl, err)) < 0)
			return -1;
		if (rc > 0)
			break;
		next = np;
	}
	return count;
}

/* Walks a substructure list whose first byte is "last" (0) or "more" (more_val), checking
 * both ways: 0 with bytes after it, or more_val with nothing after it, is an error
 * (tcpdump's bad last-substructure class). Calls fn on each body. */
int ike_walk_subs(struct cursor *c, uint8_t more_val, const char *what, ike_sub_fn fn,
		     void *ctx, struct diag_error *err)
{
	char where[96];

	for (size_t i = 0;; i++) {
		uint8_t last = 0, rsv = 0;
		uint16_t len = 0;
		struct cursor body;

		snprintf(where, sizeof(where), "%s %zu (offset %zu)", what, i + 1, cur_pos(c));
		if (i >= IKE_SUBS_MAX)
			return diag_fail(err, DIAG_EXIT_DATAERR, where, "more than %d", IKE_SUBS_MAX);
		cur_u8(c, &last);
		cur_u8(c, &rsv);
		cur_be16(c, &len);
		if (!cur_ok(c))
			return diag_fail(err, DIAG_EXIT_DATAERR, where, "truncated header");
		if (len < 4)
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "length %u is below the 4-byte header", (unsigned)len);
		if (last != 0 && last != more_val)
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "bad last-substructure value %u", (unsigned)last);
		if (!cur_sub(c, (size_t)len - 4, &body))
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "length %u passes the end", (unsigned)len);
		if (fn(ctx, &body, i, where, err))
			return -1;
		if (last == 0 && cur_remaining(c) > 0)
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "marked last but %zu bytes follow", cur_remaining(c));
		if (last == 0)
			return (int)i + 1;
		if (cur_remaining(c) == 0)
			return diag_fail(err, DIAG_EXIT_DATAERR, where,
					 "marked \"more\" but nothing follows");
	}
}

int ike_natt_marker(struct cursor *c, struct diag_error *err)
{
	uint32_t m = 0;

	if (!cur_be32(c, &m))
		return diag_fail(err, DIAG_EXIT_DATAERR, "NAT-T header (offset 0)",
				 "truncated non-ESP marker");
	if (m != 0)
		return diag_fail(err, DIAG_EXIT_DATAERR, "NAT-T header (offset 0)",
				 "non-ESP marker is not zero (an ESP packet)");
	return 0;
}

void ike_hex(const uint8_t *p, size_t n, char *out, size_t outlen)
{
	static const char hx[] = "0123456789abcdef";
	size_t o = 0;

	if (!outlen)
		return;
	for (size_t i = 0; i < n && o + 2 < outlen; i++) {
		out[o++] = hx[p[i] >> 4];
		out[o++] = hx[p[i] & 15];
	}
	out[o] = '\0';
}

void ike_put_header(struct ike_buf *b, const uint8_t spi_i[8], const uint8_t spi_r[8],
		    uint8_t next, uint8_t version, uint8_t exchange, uint8_t flags,
		    uint32_t msgid)
{
	ike_buf_put(b, spi_i, 8);
	ike_buf_put(b, spi_r, 8);
	ike_buf_u8(b, next);
	ike_buf_u8(b, version);
	ike_buf_u8(b, exchange);
	ike_buf_u8(b, flags);
	ike_buf_be32(b, msgid);
	ike_buf_be32(b, 0); /* ike_finish */
}

void ike_finish(struct ike_buf *b)
{
	ike_buf_set_be32(b, 24, (uint32_t)b->len);
}

size_t ike_begin_payload(struct ike_buf *b, uint8_t next)
{
	size_t at = b->len;

	ike_buf_u8(b, next);
	ike_buf_u8(b, 0);
	ike_buf_be16(b, 0);
	return at;
}

void ike_end_payload(struct ike_buf *b, size_t at)
{
	ike_buf_set_be16(b, at + 2, (uint16_t)(b->len - at));
}
