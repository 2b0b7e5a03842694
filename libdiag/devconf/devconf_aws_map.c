/* AWS's algorithm spellings into IKEv2 transforms; see devconf_aws_map.h. */
#include "libdiag/devconf/devconf_aws_map.h"

#include <ctype.h>
#include <string.h>

/* s[0..n) lower-cased with everything but letters and digits dropped ("AES-128-CBC" ->
 * "aes128cbc"), cut at outlen - 1. */
static void squash(const char *s, size_t n, char *out, size_t outlen)
{
	size_t j = 0;

	for (size_t i = 0; i < n && j + 1 < outlen; i++)
		if (isalnum((unsigned char)s[i]))
			out[j++] = (char)tolower((unsigned char)s[i]);
	out[j] = '\0';
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool devconf_aws_add_encr(struct ike_proposal *p, const char *s, size_t n)
{
	char w[64];
	uint16_t keylen = 0;

	squash(s, n, w, sizeof w);
	if (starts(w, "aes128"))
		keylen = 128;
	else if (starts(w, "aes192"))
		keylen = 192;
	else if (starts(w, "aes256"))
		keylen = 256;
	if (keylen && strstr(w, "gcm")) {
		uint16_t id = IKE_ENCR_AES_GCM_16;

		if (strstr(w, "gcm8") || strstr(w, "gcm64"))
			id = IKE_ENCR_AES_GCM_8;
		else if (strstr(w, "gcm12") || strstr(w, "gcm96"))
			id = IKE_ENCR_AES_GCM_12;
		devconf_add_transform(p, IKE_T_ENCR, id, keylen);
		return true;
	}
	if (keylen)
		devconf_add_transform(p, IKE_T_ENCR, IKE_ENCR_AES_CBC, keylen);
	else if (starts(w, "3des") || starts(w, "desede3") || starts(w, "tripledes"))
		devconf_add_transform(p, IKE_T_ENCR, IKE_ENCR_3DES, 0);
	else if (starts(w, "des"))
		devconf_add_transform(p, IKE_T_ENCR, 2, 0);
	else
		devconf_add_transform(p, IKE_T_ENCR, DEVCONF_AWS_UNKNOWN_ID, 0);
	return false;
}

/* The SHA size in w ("sha1", "sha2256", "sha256", "hmacsha196"): 1, 256, 384, 512, 5 for
 * MD5, 0 unknown. */
static int hash_size(const char *w)
{
	if (starts(w, "hmac"))
		w += 4;
	if (starts(w, "md5"))
		return 5;
	if (!starts(w, "sha"))
		return 0;
	w += 3;
	if (starts(w, "2"))
		w += starts(w, "2256") || starts(w, "2384") || starts(w, "2512") ? 1 : 0;
	if (starts(w, "256"))
		return 256;
	if (starts(w, "384"))
		return 384;
	if (starts(w, "512"))
		return 512;
	if (*w == '\0' || starts(w, "1"))
		return 1;
	return 0;
}

void devconf_aws_add_hash(struct ike_proposal *p, const char *s, size_t n, bool aead)
{
	char w[64];
	uint16_t integ, prf;

	squash(s, n, w, sizeof w);
	switch (hash_size(w)) {
	case 1: integ = IKE_INTEG_HMAC_SHA1_96; prf = IKE_PRF_HMAC_SHA1; break;
	case 256: integ = IKE_INTEG_HMAC_SHA2_256_128; prf = IKE_PRF_HMAC_SHA2_256; break;
	case 384: integ = IKE_INTEG_HMAC_SHA2_384_192; prf = IKE_PRF_HMAC_SHA2_384; break;
	case 512: integ = IKE_INTEG_HMAC_SHA2_512_256; prf = IKE_PRF_HMAC_SHA2_512; break;
	case 5: integ = IKE_INTEG_HMAC_MD5_96; prf = IKE_PRF_HMAC_MD5; break;
	default: integ = prf = DEVCONF_AWS_UNKNOWN_ID; break;
	}
	if (!aead)
		devconf_add_transform(p, IKE_T_INTEG, integ, 0);
	devconf_add_transform(p, IKE_T_PRF, prf, 0);
}

void devconf_aws_add_integ(struct ike_proposal *p, const char *s, size_t n, bool aead)
{
	char w[64];
	uint16_t integ;

	if (aead)
		return;
	squash(s, n, w, sizeof w);
	switch (hash_size(w)) {
	case 1: integ = IKE_INTEG_HMAC_SHA1_96; break;
	case 256: integ = IKE_INTEG_HMAC_SHA2_256_128; break;
	case 384: integ = IKE_INTEG_HMAC_SHA2_384_192; break;
	case 512: integ = IKE_INTEG_HMAC_SHA2_512_256; break;
	case 5: integ = IKE_INTEG_HMAC_MD5_96; break;
	default: integ = DEVCONF_AWS_UNKNOWN_ID; break;
	}
	devconf_add_transform(p, IKE_T_INTEG, integ, 0);
}

long devconf_aws_group(const char *s, size_t n)
{
	char w[64];
	const char *g;
	long v = 0;

	squash(s, n, w, sizeof w);
	if (!(g = strstr(w, "group")))
		return -1;
	g += 5;
	if (!isdigit((unsigned char)*g))
		return -1;
	for (; isdigit((unsigned char)*g) && v < 100000; g++)
		v = v * 10 + (*g - '0');
	return *g == '\0' ? v : -1;
}

bool devconf_aws_psk_weak(const char *key, size_t n)
{
	if (n < 8 || n > 64 || key[0] == '0')
		return true;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)key[i]) && key[i] != '.' && key[i] != '_')
			return true;
	return false;
}
