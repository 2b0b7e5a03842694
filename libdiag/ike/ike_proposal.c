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

/* Algorithms strongSwan knows beyond the strict table (IKE_PROP_LENIENT), by IANA ID when
 * IANA has one ("IKEv2 Parameters", RFC 9370 for ke1_..ke7_), IKE_ID_UNKNOWN otherwise
 * (strongSwan's private IDs: serpent, twofish, sha256_96, ntru, newhope, ...). */
#define IKE_ID_UNKNOWN 0xFFFFu

static const struct tok lenient_toks[] = {
	{ "null", IKE_T_ENCR, 11, 0, 0 },
	{ "des", IKE_T_ENCR, 2, 0, 0 },
	{ "cast128", IKE_T_ENCR, 6, 128, 0 },
	{ "blowfish128", IKE_T_ENCR, 7, 128, 0 },
	{ "blowfish", IKE_T_ENCR, 7, 128, 0 },
	{ "blowfish192", IKE_T_ENCR, 7, 192, 0 },
	{ "blowfish256", IKE_T_ENCR, 7, 256, 0 },
	{ "chacha20poly1305", IKE_T_ENCR, 28, 0, 0 },
	{ "serpent128", IKE_T_ENCR, IKE_ID_UNKNOWN, 128, 0 },
	{ "serpent", IKE_T_ENCR, IKE_ID_UNKNOWN, 128, 0 },
	{ "serpent192", IKE_T_ENCR, IKE_ID_UNKNOWN, 192, 0 },
	{ "serpent256", IKE_T_ENCR, IKE_ID_UNKNOWN, 256, 0 },
	{ "twofish128", IKE_T_ENCR, IKE_ID_UNKNOWN, 128, 0 },
	{ "twofish", IKE_T_ENCR, IKE_ID_UNKNOWN, 128, 0 },
	{ "twofish192", IKE_T_ENCR, IKE_ID_UNKNOWN, 192, 0 },
	{ "twofish256", IKE_T_ENCR, IKE_ID_UNKNOWN, 256, 0 },
	{ "md5_128", IKE_T_INTEG, 6, 0, IKE_PRF_HMAC_MD5 },
	{ "sha1_160", IKE_T_INTEG, 7, 0, IKE_PRF_HMAC_SHA1 },
	{ "sha256_96", IKE_T_INTEG, IKE_ID_UNKNOWN, 0, IKE_PRF_HMAC_SHA2_256 },
	{ "sha2_256_96", IKE_T_INTEG, IKE_ID_UNKNOWN, 0, IKE_PRF_HMAC_SHA2_256 },
	{ "aesxcbc", IKE_T_INTEG, 5, 0, 4 },
	{ "aescmac", IKE_T_INTEG, 8, 0, 8 },
	{ "camelliaxcbc", IKE_T_INTEG, IKE_ID_UNKNOWN, 0, IKE_ID_UNKNOWN },
	{ "prfaesxcbc", IKE_T_PRF, 4, 0, 0 },
	{ "prfaescmac", IKE_T_PRF, 8, 0, 0 },
	{ "prfcamelliaxcbc", IKE_T_PRF, IKE_ID_UNKNOWN, 0, 0 },
	{ "modpnone", IKE_T_DH, 0, 0, 0 },
	{ "ecp192", IKE_T_DH, 25, 0, 0 },
	{ "ecp224", IKE_T_DH, 26, 0, 0 },
	{ "ecp224bp", IKE_T_DH, 27, 0, 0 },
	{ "ecp256bp", IKE_T_DH, 28, 0, 0 },
	{ "ecp384bp", IKE_T_DH, 29, 0, 0 },
	{ "ecp512bp", IKE_T_DH, 30, 0, 0 },
	{ "curve25519", IKE_T_DH, 31, 0, 0 },
	{ "x25519", IKE_T_DH, 31, 0, 0 },
	{ "curve448", IKE_T_DH, 32, 0, 0 },
	{ "x448", IKE_T_DH, 32, 0, 0 },
	{ "mlkem512", IKE_T_DH, 35, 0, 0 },
	{ "mlkem768", IKE_T_DH, 36, 0, 0 },
	{ "mlkem1024", IKE_T_DH, 37, 0, 0 },
	{ "ntru112", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "ntru128", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "ntru192", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "ntru256", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "newhope128", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "frodoa1", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "frodoa3", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "frodoa5", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "frodos1", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "frodos3", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "frodos5", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "bike1", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "bike3", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "bike5", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "hqc1", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "hqc3", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
	{ "hqc5", IKE_T_DH, IKE_ID_UNKNOWN, 0, 0 },
};

/* The names of IDs only the lenient parser produces, for ike_transform_name (the
 * canonical spelling first; ENCR names carry "128" where the key length goes). */
static const struct tok extra_names[] = {
	{ "aes128ctr", IKE_T_ENCR, 13, 128, 0 },
	{ "aes128ccm8", IKE_T_ENCR, 14, 128, 0 },
	{ "aes128ccm12", IKE_T_ENCR, 15, 128, 0 },
	{ "aes128ccm16", IKE_T_ENCR, 16, 128, 0 },
	{ "aes128gmac", IKE_T_ENCR, 21, 128, 0 },
	{ "camellia128", IKE_T_ENCR, 23, 128, 0 },
	{ "camellia128ctr", IKE_T_ENCR, 24, 128, 0 },
	{ "camellia128ccm8", IKE_T_ENCR, 25, 128, 0 },
	{ "camellia128ccm12", IKE_T_ENCR, 26, 128, 0 },
	{ "camellia128ccm16", IKE_T_ENCR, 27, 128, 0 },
	{ "noesn", IKE_T_ESN, 0, 0, 0 },
	{ "esn", IKE_T_ESN, 1, 0, 0 },
};

/* One AES or Camellia family name ("aes256ctr", "aes128gcm128", "camellia192ccm12",
 * "aes256gmac") into *out; false when s is not one. */
static bool family_tok(const char *s, size_t n, struct tok *out)
{
	static const struct {
		const char *suffix;
		uint16_t aes, camellia; /* 0: not in that family */
	} sfx[] = {
		{ "", IKE_ENCR_AES_CBC, 23 },  { "ctr", 13, 24 },      { "ccm8", 14, 25 },
		{ "ccm64", 14, 25 },           { "ccm12", 15, 26 },    { "ccm96", 15, 26 },
		{ "ccm16", 16, 27 },           { "ccm128", 16, 27 },   { "ccm", 16, 27 },
		{ "gcm8", 18, 0 },             { "gcm64", 18, 0 },     { "gcm12", 19, 0 },
		{ "gcm96", 19, 0 },            { "gcm16", 20, 0 },     { "gcm128", 20, 0 },
		{ "gcm", 20, 0 },              { "gmac", 21, 0 },
	};
	bool aes;
	size_t i;
	uint16_t keylen = 128;

	if (n >= 3 && memcmp(s, "aes", 3) == 0) {
		aes = true;
		i = 3;
	} else if (n >= 8 && memcmp(s, "camellia", 8) == 0) {
		aes = false;
		i = 8;
	} else {
		return false;
	}
	if (n - i >= 3 && (memcmp(s + i, "128", 3) == 0 || memcmp(s + i, "192", 3) == 0 ||
			   memcmp(s + i, "256", 3) == 0)) {
		keylen = (uint16_t)((s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0'));
		i += 3;
	}
	for (size_t k = 0; k < sizeof(sfx) / sizeof(sfx[0]); k++) {
		uint16_t id = aes ? sfx[k].aes : sfx[k].camellia;

		if (id && strlen(sfx[k].suffix) == n - i && memcmp(sfx[k].suffix, s + i, n - i) == 0) {
			out->name = NULL;
			out->type = IKE_T_ENCR;
			out->id = id;
			out->keylen = keylen;
			out->prf = 0;
			return true;
		}
	}
	return false;
}


#define KE_INNER 0x100u /* lookup of the key exchange after "ke1_": "none" allowed */

/* Looks up one algorithm name s[0..n) into *out: the strict table, then (IKE_PROP_LENIENT,
 * names folded to lower case) everything else strongSwan knows. esn/noesn only with
 * IKE_PROP_ESP. Returns false for an unknown name. */
static bool lookup(const char *s, size_t n, unsigned flags, struct tok *out)
{
	char low[48];
	const struct tok *t = find_tok(s, n);

	if (t) {
		*out = *t;
		return true;
	}
	if ((flags & IKE_PROP_ESP) && ((n == 3 && memcmp(s, "esn", 3) == 0) ||
				       (n == 5 && memcmp(s, "noesn", 5) == 0))) {
		*out = (struct tok){ s[0] == 'e' ? "esn" : "noesn", IKE_T_ESN, s[0] == 'e', 0, 0 };
		return true;
	}
	if (!(flags & IKE_PROP_LENIENT) || n >= sizeof(low))
		return false;
	for (size_t i = 0; i < n; i++)
		low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	low[n] = '\0';
	if (low[0] != s[0] || memcmp(low, s, n) != 0)
		return lookup(low, n, flags, out);
	if (!(flags & KE_INNER) && n > 4 && memcmp(low, "ke", 2) == 0 && low[2] >= '1' &&
	    low[2] <= '7' && low[3] == '_') {
		if (!lookup(low + 4, n - 4, (flags & ~(unsigned)IKE_PROP_ESP) | KE_INNER, out) ||
		    out->type != IKE_T_DH)
			return false;
		out->type = (uint8_t)(IKE_T_ESN + (low[2] - '0'));
		return true;
	}
	if ((flags & KE_INNER) && n == 4 && memcmp(low, "none", 4) == 0) {
		*out = (struct tok){ "none", IKE_T_DH, 0, 0, 0 };
		return true;
	}
	for (size_t i = 0; i < sizeof(lenient_toks) / sizeof(lenient_toks[0]); i++)
		if (strlen(lenient_toks[i].name) == n && memcmp(lenient_toks[i].name, low, n) == 0) {
			*out = lenient_toks[i];
			return true;
		}
	return family_tok(low, n, out);
}

static bool is_aead(uint16_t encr)
{
	return encr == IKE_ENCR_AES_GCM_8 || encr == IKE_ENCR_AES_GCM_12 ||
	       encr == IKE_ENCR_AES_GCM_16 || (encr >= 14 && encr <= 16) /* AES-CCM */ ||
	       encr == 21 /* AES-GMAC */ || (encr >= 25 && encr <= 28) /* Camellia-CCM,
									  ChaCha20-Poly1305 */;
}

/* Sorts transforms by type (ENCR, PRF, INTEG, DH, ESN, additional key exchanges), keeping
 * the order within a type, so the SA payload lists them the way strongSwan does. */
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

/* Turns the algorithms read into transforms: integrity gives its PRF in IKE proposals
 * without an explicit one, integrity is dropped beside AEAD in ESP, PRFs are dropped in
 * ESP (strongSwan removes them too). Returns 0, or -1 past IKE_PROP_MAX transforms. */
static int build(const struct tok *seen, size_t nseen, bool esp, bool aead, bool prf,
		 struct ike_proposal *p)
{
	for (size_t i = 0; i < nseen; i++) {
		const struct tok *t = &seen[i];
		int rc = 0;

		if (t->type == IKE_T_INTEG) {
			if (!aead)
				rc = add(p, IKE_T_INTEG, t->id, 0);
			if (!esp && !prf && rc == 0)
				rc = add(p, IKE_T_PRF, t->prf, 0);
		} else if (t->type == IKE_T_PRF && esp) {
			continue;
		} else {
			rc = add(p, t->type, t->id, t->keylen);
		}
		if (rc)
			return -1;
	}
	return 0;
}

int ike_proposal_parse_ex(const char *s, unsigned flags, struct ike_proposal *p,
			  struct diag_error *err)
{
	struct tok seen[IKE_PROP_MAX * 2];
	size_t nseen = 0;
	bool aead = false, plain = false, prf = false, dh = false;
	bool esp = (flags & IKE_PROP_ESP) != 0;
	const char *where = "proposal";

	flags &= IKE_PROP_ESP | IKE_PROP_LENIENT;
	memset(p, 0, sizeof(*p));
	if (!s || !*s)
		return diag_fail(err, DIAG_EXIT_USAGE, where, "empty proposal");
	for (const char *q = s; *q;) {
		size_t n = strcspn(q, "-");
		struct tok t;

		if (n == 0)
			return diag_fail(err, DIAG_EXIT_USAGE, where,
					 "%s: empty algorithm name at offset %zu", s,
					 (size_t)(q - s));
		if (!lookup(q, n, flags, &t))
			return diag_fail(err, DIAG_EXIT_USAGE, where,
					 "%s: unknown algorithm '%.*s'", s,
					 n > 40 ? 40 : (int)n, q);
		if (nseen >= sizeof(seen) / sizeof(seen[0]))
			return diag_fail(err, DIAG_EXIT_USAGE, where,
					 "%s: too many algorithms", s);
		seen[nseen++] = t;
		if (t.type == IKE_T_ENCR) {
			if (is_aead(t.id))
				aead = true;
			else
				plain = true;
			if (aead && plain)
				return diag_fail(err, DIAG_EXIT_USAGE, where,
						 "%s: '%.*s' mixes AEAD and non-AEAD encryption",
						 s, (int)n, q);
		}
		prf |= t.type == IKE_T_PRF;
		dh |= t.type == IKE_T_DH;
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
	if (!dh && !esp)
		return diag_fail(err, DIAG_EXIT_USAGE, where, "%s: no DH group", s);
	if (build(seen, nseen, esp, aead, prf, p) < 0)
		return diag_fail(err, DIAG_EXIT_USAGE, where,
				 "%s: more than %d transforms", s, IKE_PROP_MAX);
	if (!esp && !ike_proposal_first(p, IKE_T_PRF))
		return diag_fail(err, DIAG_EXIT_USAGE, where,
				 "%s: no integrity or PRF algorithm", s);
	if (!aead && !ike_proposal_first(p, IKE_T_INTEG))
		return diag_fail(err, DIAG_EXIT_USAGE, where, "%s: no integrity algorithm", s);
	sort_by_type(p);
	return 0;
}

int ike_proposal_parse(const char *s, struct ike_proposal *p, struct diag_error *err)
{
	return ike_proposal_parse_ex(s, 0, p, err);
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

/* The name of one table entry that fits: for ENCR the entry that carries "128" where the
 * key length goes (or has no key length); NULL when none does. */
static const char *name_in(const struct tok *tab, size_t n, uint8_t type, uint16_t id)
{
	if (id == IKE_ID_UNKNOWN)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (tab[i].type == type && tab[i].id == id &&
		    (type != IKE_T_ENCR || tab[i].keylen == 128 || tab[i].keylen == 0))
			return tab[i].name;
	return NULL;
}

const char *ike_transform_name(uint8_t type, uint16_t id)
{
	const char *name;

	if (type > IKE_T_ESN && type <= IKE_T_ESN + 7) /* ADDKE1..7 (RFC 9370) */
		type = IKE_T_DH;
	if ((name = name_in(toks, sizeof(toks) / sizeof(toks[0]), type, id)) != NULL ||
	    (name = name_in(extra_names, sizeof(extra_names) / sizeof(extra_names[0]), type,
			    id)) != NULL ||
	    (name = name_in(lenient_toks, sizeof(lenient_toks) / sizeof(lenient_toks[0]), type,
			    id)) != NULL)
		return name;
	if (type == IKE_T_PRF)
		for (size_t i = 0; i < sizeof(toks) / sizeof(toks[0]); i++)
			if (toks[i].type == IKE_T_INTEG && toks[i].prf == id)
				return toks[i].name;
	return "unknown";
}
