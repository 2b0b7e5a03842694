#include "libdiag/ike/ike_proposal.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct tok {
	const char *name;
	uint8_t type;
	uint16_t id;
	uint16_t keylen;
	uint16_t prf;     /* for integrity tokens: the PRF they imply */
};

static const struct tok toks[] = {
	{ "3des", IKE_T_ENCR, IKE_ENCR_3DES, 0, 0 },
	{ "aes128", IKE_T_ENCR, IKE_ENCR_AES_CBC, 128, 0 },
	{ "aes192", IKE_T_ENCR, IKE_ENCR_AES_CBC, 192, 0 },
	{ "aes256", IKE_T_ENCR, IKE_ENCR_AES_CBC, 256, 0 },
	{ "aes", IKE_T_ENCR, IKE_ENCR_AES_CBC, 128, 0 },
	{ "aes128gcm8", IKE_T_ENCR, IKE_ENCR_AES_GCM_8, 128, 0 },
	{ "aes192gcm8", IKE_T_ENCR, IKE_ENCR_AES_GCM_8, 192, 0 },
	{ "aes256gcm8", IKE_T_ENCR, IKE_ENCR_AES_GCM_8, 256, 0 },
	{ "aes128gcm12", IKE_T_ENCR, IKE_ENCR_AES_GCM_12, 128, 0 },
	{ "aes192gcm12", IKE_T_ENCR, IKE_ENCR_AES_GCM_12, 192, 0 },
	{ "aes256gcm12", IKE_T_ENCR, IKE_ENCR_AES_GCM_12, 256, 0 },
	{ "aes128gcm16", IKE_T_ENCR, IKE_ENCR_AES_GCM_16, 128, 0 },
	{ "aes192gcm16", IKE_T_ENCR, IKE_ENCR_AES_GCM_16, 192, 0 },
	{ "aes256gcm16", IKE_T_ENCR, IKE_ENCR_AES_GCM_16, 256, 0 },
	{ "aes128gcm", IKE_T_ENCR, IKE_ENCR_AES_GCM_16, 128, 0 },
	{ "aes256gcm", IKE_T_ENCR, IKE_ENCR_AES_GCM_16, 256, 0 },
	{ "md5", IKE_T_INTEG, IKE_INTEG_HMAC_MD5_96, 0, IKE_PRF_HMAC_MD5 },
	{ "sha1", IKE_T_INTEG, IKE_INTEG_HMAC_SHA1_96, 0, IKE_PRF_HMAC_SHA1 },
	{ "sha", IKE_T_INTEG, IKE_INTEG_HMAC_SHA1_96, 0, IKE_PRF_HMAC_SHA1 },
	{ "sha256", IKE_T_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0, IKE_PRF_HMAC_SHA2_256 },
	{ "sha2_256", IKE_T_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0, IKE_PRF_HMAC_SHA2_256 },
	{ "sha384", IKE_T_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0, IKE_PRF_HMAC_SHA2_384 },
	{ "sha2_384", IKE_T_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0, IKE_PRF_HMAC_SHA2_384 },
	{ "sha512", IKE_T_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0, IKE_PRF_HMAC_SHA2_512 },
	{ "sha2_512", IKE_T_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0, IKE_PRF_HMAC_SHA2_512 },
	{ "prfmd5", IKE_T_PRF, IKE_PRF_HMAC_MD5, 0, 0 },
	{ "prfsha1", IKE_T_PRF, IKE_PRF_HMAC_SHA1, 0, 0 },
	{ "prfsha256", IKE_T_PRF, IKE_PRF_HMAC_SHA2_256, 0, 0 },
	{ "prfsha384", IKE_T_PRF, IKE_PRF_HMAC_SHA2_384, 0, 0 },
	{ "prfsha512", IKE_T_PRF, IKE_PRF_HMAC_SHA2_512, 0, 0 },
	{ "modp768", IKE_T_DH, 1, 0, 0 },
	{ "modp1024", IKE_T_DH, 2, 0, 0 },
	{ "modp1536", IKE_T_DH, 5, 0, 0 },
	{ "modp2048", IKE_T_DH, 14, 0, 0 },
	{ "modp3072", IKE_T_DH, 15, 0, 0 },
	{ "modp4096", IKE_T_DH, 16, 0, 0 },
	{ "modp6144", IKE_T_DH, 17, 0, 0 },
	{ "modp8192", IKE_T_DH, 18, 0, 0 },
	{ "ecp256", IKE_T_DH, 19, 0, 0 },
	{ "ecp384", IKE_T_DH, 20, 0, 0 },
	{ "ecp521", IKE_T_DH, 21, 0, 0 },
	{ "modp1024s160", IKE_T_DH, 22, 0, 0 },
	{ "modp2048s224", IKE_T_DH, 23, 0, 0 },
	{ "modp2048s256", IKE_T_DH, 24, 0, 0 },
};

static const struct tok *find_tok(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(toks) / sizeof(toks[0]); i++)
		if (strlen(toks[i].name) == n && memcmp(toks[i].name, s, n) == 0)
			return &toks[i];
	return NULL;
}

static bool has(const struct ike_proposal *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->t[i].type == type && p->t[i].id == id && p->t[i].keylen == keylen)
			return true;
	return false;
}

static int add(struct ike_proposal *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	if (has(p, type, id, keylen))
		return 0;
	if (p->n >= IKE_PROP_MAX)
		return -1;
	p->t[p->n].type = type;
	p->t[p->n].id = id;
	p->t[p->n].keylen = keylen;
	p->n++;
	return 0;
}

static bool is_aead(uint16_t encr)
{
	return encr == IKE_ENCR_AES_GCM_8 || encr == IKE_ENCR_AES_GCM_12 ||
	       encr == IKE_ENCR_AES_GCM_16;
}

/* Sorts transforms by type (ENCR, PRF, INTEG, DH), keeping the order within a type, so
 * the SA payload lists them the way strongSwan does. */
static void sort_by_type(struct ike_proposal *p)
{
	for (size_t i = 1; i < p->n; i++) {
		struct ike_transform t = p->t[i];
		size_t j = i;

		while (j > 0 && p->t[j - 1].type > t.type) {
			p->t[j] = p->t[j - 1];
			j--;
		}
		p->t[j] = t;
	}
}

int ike_proposal_parse(const char *s, struct ike_proposal *p, struct diag_error *err)
{
	const struct tok *seen[IKE_PROP_MAX * 2];
	size_t nseen = 0;
	bool aead = false, plain = false, prf = false, dh = false;
	const char *where = "proposal";

	memset(p, 0, sizeof(*p));
	if (!s || !*s)
		return diag_fail(err, DIAG_EXIT_USAGE, where, "empty proposal");
	for (const char *q = s; *q;) {
		size_t n = strcspn(q, "-");
		const struct tok *t = find_tok(q, n);

		if (n == 0)
			return diag_fail(err, DIAG_EXIT_USAGE, where,
					 "%s: empty algorithm name at offset %zu", s,
					 (size_t)(q - s));
		if (!t)
			return diag_fail(err, DIAG_EXIT_USAGE, where,
					 "%s: unknown algorithm '%.*s'", s,
					 n > 40 ? 40 : (int)n, q);
		if (nseen >= sizeof(seen) / sizeof(seen[0]))
			return diag_fail(err, DIAG_EXIT_USAGE, where,
					 "%s: too many algorithms", s);
		seen[nseen++] = t;
		if (t->type == IKE_T_ENCR) {
			if (is_aead(t->id))
				aead = true;
			else
				plain = true;
			if (aead && plain)
				return diag_fail(err, DIAG_EXIT_USAGE, where,
						 "%s: '%.*s' mixes AEAD and non-AEAD encryption",
						 s, (int)n, q);
		}
		prf |= t->type == IKE_T_PRF;
		dh |= t->type == IKE_T_DH;
		q += n;
		if (*q == '-') {
			q++;
			if (!*q)
				return diag_fail(err, DIAG_EXIT_USAGE, where,
						 "%s: trailing '-'", s);
		}
	}
	if (!aead && !plain)
		return diag_fail(err, DIAG_EXIT_USAGE, where, "%s: no encryption algorithm", s);
	if (!dh)
		return diag_fail(err, DIAG_EXIT_USAGE, where, "%s: no DH group", s);
	for (size_t i = 0; i < nseen; i++) {
		const struct tok *t = seen[i];
		int rc = 0;

		if (t->type == IKE_T_INTEG) {
			if (!aead)
				rc = add(p, IKE_T_INTEG, t->id, 0);
			if (!prf && rc == 0)
				rc = add(p, IKE_T_PRF, t->prf, 0);
		} else {
			rc = add(p, t->type, t->id, t->keylen);
		}
		if (rc)
			return diag_fail(err, DIAG_EXIT_USAGE, where,
					 "%s: more than %d transforms", s, IKE_PROP_MAX);
	}
	if (!ike_proposal_first(p, IKE_T_PRF))
		return diag_fail(err, DIAG_EXIT_USAGE, where,
				 "%s: no integrity or PRF algorithm", s);
	if (!aead && !ike_proposal_first(p, IKE_T_INTEG))
		return diag_fail(err, DIAG_EXIT_USAGE, where, "%s: no integrity algorithm", s);
	sort_by_type(p);
	return 0;
}

const struct ike_transform *ike_proposal_first(const struct ike_proposal *p, uint8_t type)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->t[i].type == type)
			return &p->t[i];
	return NULL;
}

uint16_t ike_v1_encr_of(uint16_t v2_encr)
{
	switch (v2_encr) {
	case IKE_ENCR_3DES: return 5;     /* 3DES-CBC */
	case IKE_ENCR_AES_CBC: return 7;  /* AES-CBC */
	default: return 0;
	}
}

uint16_t ike_v1_hash_of(uint16_t v2_integ)
{
	switch (v2_integ) {
	case IKE_INTEG_HMAC_MD5_96: return 1;
	case IKE_INTEG_HMAC_SHA1_96: return 2;
	case IKE_INTEG_HMAC_SHA2_256_128: return 4;
	case IKE_INTEG_HMAC_SHA2_384_192: return 5;
	case IKE_INTEG_HMAC_SHA2_512_256: return 6;
	default: return 0;
	}
}

const char *ike_transform_name(uint8_t type, uint16_t id)
{
	for (size_t i = 0; i < sizeof(toks) / sizeof(toks[0]); i++)
		if (toks[i].type == type && toks[i].id == id &&
		    (type != IKE_T_ENCR || toks[i].keylen == 128 || id == IKE_ENCR_3DES))
			return toks[i].name;
	if (type == IKE_T_PRF)
		for (size_t i = 0; i < sizeof(toks) / sizeof(toks[0]); i++)
			if (toks[i].type == IKE_T_INTEG && toks[i].prf == id)
				return toks[i].name;
	return "unknown";
}

/* Temporary: the flags are being implemented; until then the strict parser. */
int ike_proposal_parse_ex(const char *s, unsigned flags, struct ike_proposal *p,
			  struct diag_error *err)
{
	(void)flags;
	return ike_proposal_parse(s, p, err);
}
