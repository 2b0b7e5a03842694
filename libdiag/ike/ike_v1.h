/* IKEv1 (RFC 2408/2409) Main Mode: the initiator's first message (HDR, SA) and decoding of
 * the responder's answer: its chosen transform, or an Informational exchange carrying a
 * Notification. Decoders only fill structs. */
#ifndef LIBDIAG_IKE_V1_H
#define LIBDIAG_IKE_V1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdiag/error.h"
#include "libdiag/ike/ike_proposal.h"
#include "libdiag/ike/ike_wire.h"

enum {
	IKE1_PL_SA = 1,
	IKE1_PL_PROPOSAL = 2,
	IKE1_PL_TRANSFORM = 3,
	IKE1_PL_KE = 4,
	IKE1_PL_ID = 5,
	IKE1_PL_HASH = 8,
	IKE1_PL_NONCE = 10,
	IKE1_PL_NOTIFY = 11,
	IKE1_PL_DELETE = 12,
	IKE1_PL_VENDOR = 13,
	IKE1_PL_NATD = 20,
	IKE1_PL_NATD_DRAFT = 130,  /* draft-ietf-ipsec-nat-t-ike-02/03 */
	IKE1_EXCH_MAIN = 2,
	IKE1_EXCH_INFO = 5,
	IKE1_N_INVALID_PAYLOAD_TYPE = 1,
	IKE1_N_NO_PROPOSAL_CHOSEN = 14,
	/* SA attribute classes (RFC 2409 appendix A) */
	IKE1_A_ENCR = 1,
	IKE1_A_HASH = 2,
	IKE1_A_AUTH = 3,
	IKE1_A_GROUP = 4,
	IKE1_A_LIFE_TYPE = 11,
	IKE1_A_LIFE_DURATION = 12,
	IKE1_A_KEYLEN = 14,
	IKE1_AUTH_PSK = 1,
};

#define IKE1_TRANSFORMS_MAX 64
#define IKE1_NOTIFY_MAX 8
#define IKE1_VENDOR_MAX 8
#define IKE1_UNKNOWN_MAX 16
#define IKE1_ATTR_MAX 16        /* attributes kept per transform for a full dump */
#define IKE1_NOTIFY_DATA_MAX 64
#define IKE1_NATD_MAX 4

/* One IKEv1 transform: the values of its attributes (0 when absent). */
struct ike_v1_transform {
	uint8_t num;
	uint8_t id;            /* 1: KEY_IKE */
	uint16_t encr, keylen, hash, auth, group, life_type;
	uint32_t life;         /* seconds (or kilobytes, by life_type) */
	size_t nunknown_attr;  /* attributes of other classes, kept by count */
};

struct ike_v1_request {
	/* Every combination of encryption x integrity x group of the proposal becomes one
	 * transform, in that order, with PSK authentication and a lifetime in seconds. */
	const struct ike_proposal *prop;
	/* Or, when prop is NULL, these transforms as given (renumbered from 1): an arbitrary
	 * set of combinations, as --enumerate asks. */
	const struct ike_v1_transform *transforms;
	size_t ntransforms;
	uint32_t lifetime;     /* 0: 28800, AWS's phase 1 default */
	struct ike_fixed fixed;
	uint8_t spi_out[8];    /* filled: the initiator cookie used */
};

/* Builds Main Mode message 1 (HDR, SA) into out. Returns 0, or -1 with err (an algorithm
 * IKEv1 lacks, too many transforms, message too large). */
int ike_v1_build_mm1(struct ike_v1_request *req, struct ike_buf *out, struct diag_error *err);

/* Payload writers, public so tests can build answers. */
void ike_v1_put_header(struct ike_buf *b, const uint8_t ck_i[8], const uint8_t ck_r[8],
		       uint8_t next, uint8_t exchange, uint8_t flags, uint32_t msgid);
void ike_v1_put_sa(struct ike_buf *b, uint8_t next, const struct ike_v1_transform *t,
		   size_t n);
void ike_v1_put_notify(struct ike_buf *b, uint8_t next, uint16_t type, const uint8_t *data,
		       size_t len);
void ike_v1_put_vendor(struct ike_buf *b, uint8_t next, const uint8_t *vid, size_t len);
void ike_v1_finish(struct ike_buf *b);

/* One payload of the chain as it was on the wire. */
struct ike_v1_payload {
	uint8_t type, next, flags;
	uint16_t length;
	int16_t idx;           /* Notification: index in notify[]; Vendor ID: in vendor[];
				* NAT-D: in natd[]; else -1 */
};

/* An SA attribute: TV (value in the header) or TLV (len bytes; a number when 1-4). */
struct ike_v1_attr {
	uint16_t type;         /* class, without the format bit */
	uint8_t tv;
	uint16_t len;
	uint32_t value;
};

struct ike_v1_trans_info {
	uint16_t length;
	uint8_t nattr;         /* kept, at most IKE1_ATTR_MAX */
	uint8_t attr_total;    /* on the wire */
	struct ike_v1_attr attr[IKE1_ATTR_MAX];
};

struct ike_v1_notify_info {
	uint32_t doi;
	uint8_t proto, spi_size;
	uint8_t spi[16];                      /* first bytes (RFC 2408: both cookies) */
	size_t data_len;
	uint8_t data[IKE1_NOTIFY_DATA_MAX];   /* first bytes */
};

struct ike_v1_msg {
	uint8_t ck_i[8], ck_r[8];
	uint8_t first_payload, version, exchange, flags;
	uint32_t msgid, length;
	bool natt;
	size_t npayloads;
	bool has_sa;
	uint32_t doi, situation;
	uint8_t prop_num, protocol;
	size_t ntransforms;
	struct ike_v1_transform t[IKE1_TRANSFORMS_MAX];
	size_t nnotify;
	uint16_t notify[IKE1_NOTIFY_MAX];
	size_t nvendor;
	char vendor[IKE1_VENDOR_MAX][2 * 32 + 1];
	size_t nunknown;
	uint8_t unknown[IKE1_UNKNOWN_MAX];
	/* For a full dump (vpn-ike decode); the fields above are what a probe judges. */
	struct ike_v1_payload pl[IKE_PAYLOADS_MAX];  /* npayloads of them */
	size_t nproposals;                           /* walked; only the first is decoded */
	uint8_t prop_spi_size, prop_ntrans;
	uint16_t prop_length;
	uint8_t prop_spi[16];
	struct ike_v1_trans_info trans_info[IKE1_TRANSFORMS_MAX];
	struct ike_v1_notify_info notify_info[IKE1_NOTIFY_MAX];
	size_t vendor_len[IKE1_VENDOR_MAX];
	bool has_ke, has_nonce;
	size_t ke_len, nonce_len;
	size_t nnatd;
	uint8_t natd[IKE1_NATD_MAX][20];
	size_t natd_len[IKE1_NATD_MAX];              /* on the wire (hash size) */
	size_t encrypted_len;                        /* flags bit 1: the undecoded body */
};

/* Decodes an IKEv1 message (natt: after a non-ESP marker). An encrypted message (flags
 * bit 1) is decoded up to its header only. Returns 0, or -1 with err naming the place. */
int ike_v1_decode(const uint8_t *buf, size_t len, bool natt, struct ike_v1_msg *m,
		  struct diag_error *err);

#endif
