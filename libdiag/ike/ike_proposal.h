/* strongSwan proposal strings ("aes256-sha256-modp2048", "aes128gcm16-prfsha256-ecp256",
 * "aes128-aes256-sha1-sha256-modp2048-ecp256") turned into IKEv2 transform lists, plus the
 * IKEv1 (RFC 2409) attribute values of the same algorithms. Parsing only: whether AWS
 * accepts a proposal is judged elsewhere. */
#ifndef LIBDIAG_IKE_PROPOSAL_H
#define LIBDIAG_IKE_PROPOSAL_H

#include <stddef.h>
#include <stdint.h>

#include "libdiag/error.h"

/* IKEv2 transform types (RFC 7296 3.3.2). */
enum ike_ttype {
	IKE_T_ENCR = 1,
	IKE_T_PRF = 2,
	IKE_T_INTEG = 3,
	IKE_T_DH = 4,
	IKE_T_ESN = 5,
};

/* IKEv2 transform IDs used here (IANA "IKEv2 Parameters"). */
enum {
	IKE_ENCR_3DES = 3,
	IKE_ENCR_AES_CBC = 12,
	IKE_ENCR_AES_GCM_8 = 18,
	IKE_ENCR_AES_GCM_12 = 19,
	IKE_ENCR_AES_GCM_16 = 20,
	IKE_PRF_HMAC_MD5 = 1,
	IKE_PRF_HMAC_SHA1 = 2,
	IKE_PRF_HMAC_SHA2_256 = 5,
	IKE_PRF_HMAC_SHA2_384 = 6,
	IKE_PRF_HMAC_SHA2_512 = 7,
	IKE_INTEG_HMAC_MD5_96 = 1,
	IKE_INTEG_HMAC_SHA1_96 = 2,
	IKE_INTEG_HMAC_SHA2_256_128 = 12,
	IKE_INTEG_HMAC_SHA2_384_192 = 13,
	IKE_INTEG_HMAC_SHA2_512_256 = 14,
};

#define IKE_PROP_MAX 32 /* transforms in one proposal */

struct ike_transform {
	uint8_t type;     /* enum ike_ttype */
	uint16_t id;
	uint16_t keylen;  /* bits; 0: no key-length attribute */
};

struct ike_proposal {
	size_t n;
	struct ike_transform t[IKE_PROP_MAX];
};

/* Parses one strongSwan proposal into p. Without a prfXXX token, each non-AEAD integrity
 * algorithm also gives its PRF (strongSwan's rule); in an AEAD proposal sha256 etc. name
 * the PRF. Returns 0, or -1 with err naming the bad token (DIAG_EXIT_USAGE); p is then
 * unspecified. */
int ike_proposal_parse(const char *s, struct ike_proposal *p, struct diag_error *err);

/* Flags for ike_proposal_parse_ex. */
enum {
	IKE_PROP_ESP = 1,      /* an ESP/AH proposal: no PRF derived, DH (PFS) optional,
				* esn/noesn accepted */
	IKE_PROP_LENIENT = 2,  /* algorithms strongSwan knows but this codec does not are kept
				* (by IANA ID when known), not refused: device configs */
};
/* ike_proposal_parse with flags. With IKE_PROP_LENIENT, an algorithm IANA has no ID for
 * (serpent, twofish, sha256_96, ntru*, ...) is kept with ID 0xFFFF, keywords are matched
 * without regard to case, "ke1_".."ke7_" + a key exchange gives a transform of type
 * 6..12 (RFC 9370's additional key exchanges; ike_transform_name names them as DH), and
 * "modpnone" / "keN_none" is DH ID 0 (NONE). */
int ike_proposal_parse_ex(const char *s, unsigned flags, struct ike_proposal *p,
			  struct diag_error *err);

/* First transform of a type, or NULL. */
const struct ike_transform *ike_proposal_first(const struct ike_proposal *p, uint8_t type);

/* IKEv1 attribute values for an IKEv2 transform (RFC 2409 appendix A, RFC 4868 for SHA-2):
 * encryption algorithm, hash algorithm; 0 when IKEv1 has no equivalent (GCM, for one).
 * The group number is the same in both versions. */
uint16_t ike_v1_encr_of(uint16_t v2_encr);
uint16_t ike_v1_hash_of(uint16_t v2_integ);

/* Short names for reports ("aes256", "sha256", "modp2048"); "unknown" for others. */
const char *ike_transform_name(uint8_t type, uint16_t id);

#endif
