/* IKEv2 (RFC 7296) IKE_SA_INIT: building the request and decoding any IKEv2 message (the
 * response, or our own request for round-trip tests). Decoders only fill structs; what a
 * response means (accepted, no proposal, which group to retry with) is judged elsewhere. */
#ifndef LIBDIAG_IKE_V2_H
#define LIBDIAG_IKE_V2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdiag/error.h"
#include "libdiag/ike/ike_proposal.h"
#include "libdiag/ike/ike_wire.h"

enum {
	IKE2_PL_SA = 33,
	IKE2_PL_KE = 34,
	IKE2_PL_NONCE = 40,
	IKE2_PL_NOTIFY = 41,
	IKE2_PL_VENDOR = 43,
	IKE2_PL_SK = 46,        /* Encrypted and Authenticated: always the last payload */
	IKE2_PL_SKF = 53,       /* Encrypted Fragment (RFC 7383): the same */
	IKE2_EXCH_SA_INIT = 34,
	IKE2_FLAG_INITIATOR = 0x08,
	IKE2_FLAG_RESPONSE = 0x20,
	IKE2_N_INVALID_SYNTAX = 7,
	IKE2_N_NO_PROPOSAL_CHOSEN = 14,
	IKE2_N_INVALID_KE_PAYLOAD = 17,
	IKE2_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKE2_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKE2_N_COOKIE = 16390,
};

#define IKE2_PROPOSALS_MAX 8
#define IKE2_NOTIFY_MAX 16
#define IKE2_VENDOR_MAX 8
#define IKE2_UNKNOWN_MAX 16
#define IKE2_NOTIFY_DATA_MAX 64
#define IKE2_ATTR_MAX 4        /* attributes kept per transform (IKEv2 defines one) */

/* An endpoint for NAT-D: address (4 or 16 bytes) and port. */
struct ike_endpoint {
	uint8_t ip[16];
	uint8_t iplen;
	uint16_t port;
};

struct ike_v2_request {
	const struct ike_proposal *props;  /* one SA proposal each, numbered from 1 */
	size_t nprops;
	uint16_t ke_group;                 /* 0: the first DH group of the first proposal */
	const uint8_t *cookie;             /* COOKIE data to echo, or NULL */
	size_t cookie_len;
	bool natd;                         /* add both NAT_DETECTION notifications */
	struct ike_endpoint src, dst;
	struct ike_fixed fixed;            /* tests: fixed SPI, nonce and private key */
	uint8_t spi_out[8];                /* filled: the SPI used */
};

/* Builds the IKE_SA_INIT request: HDR, [N(COOKIE)], SA, KE, Ni, [N(NAT_D_SRC),
 * N(NAT_D_DST)] into out (emptied first). Returns 0, or -1 with err (bad proposal count,
 * unsupported group, OpenSSL failure, message too large). */
int ike_v2_build_init(struct ike_v2_request *req, struct ike_buf *out, struct diag_error *err);

/* Payload writers, public so tests can build responses; each appends one payload whose
 * Next Payload field is next. */
void ike_v2_put_header(struct ike_buf *b, const uint8_t spi_i[8], const uint8_t spi_r[8],
		       uint8_t next, uint8_t exchange, uint8_t flags, uint32_t msgid);
void ike_v2_put_sa(struct ike_buf *b, uint8_t next, const struct ike_proposal *props,
		   size_t nprops);
void ike_v2_put_ke(struct ike_buf *b, uint8_t next, uint16_t group, const uint8_t *pub,
		   size_t len);
void ike_v2_put_nonce(struct ike_buf *b, uint8_t next, const uint8_t *nonce, size_t len);
void ike_v2_put_notify(struct ike_buf *b, uint8_t next, uint16_t type, const uint8_t *data,
		       size_t len);
void ike_v2_put_vendor(struct ike_buf *b, uint8_t next, const uint8_t *vid, size_t len);
/* Fills in the header's Length field with b->len. */
void ike_v2_finish(struct ike_buf *b);

struct ike_v2_notify {
	uint16_t type;
	uint8_t proto;
	uint8_t spi_size;
	uint8_t spi[16];                        /* first bytes of the SPI */
	uint16_t group;                         /* INVALID_KE_PAYLOAD: the group wanted */
	size_t data_len;                        /* full length on the wire */
	uint8_t data[IKE2_NOTIFY_DATA_MAX];     /* first bytes (COOKIE, NAT-D hashes) */
};

/* One payload of the chain as it was on the wire. */
struct ike_v2_payload {
	uint8_t type, next;
	uint8_t flags;         /* the byte after Next Payload: 0x80 is the critical bit */
	uint16_t length;
	uint32_t offset;       /* of its generic header, within the datagram */
	int16_t idx;           /* Notify: index in notify[]; Vendor ID: in vendor[]; else -1 */
};

/* A transform attribute: TV (value in the header) or TLV (value of len bytes; as a
 * number when 1-4 bytes long). */
struct ike_v2_attr {
	uint16_t type;         /* without the format bit */
	uint8_t tv;
	uint16_t len;          /* TLV: value length */
	uint32_t value;
};

/* What a proposal substructure said besides its transforms. */
struct ike_v2_prop_info {
	uint8_t proto, spi_size, ntrans;
	uint16_t length;
	uint8_t spi[8];        /* first bytes of the SPI */
};

struct ike_v2_trans_info {
	uint16_t length;
	uint8_t nattr;         /* attributes kept, at most IKE2_ATTR_MAX */
	uint8_t attr_total;    /* attributes on the wire */
	struct ike_v2_attr attr[IKE2_ATTR_MAX];
};

struct ike_v2_msg {
	uint8_t spi_i[8], spi_r[8];
	uint8_t first_payload, version, exchange, flags;
	uint32_t msgid, length;
	bool natt;                              /* had the non-ESP marker */
	size_t npayloads;
	size_t nprops;
	uint8_t prop_num[IKE2_PROPOSALS_MAX];
	struct ike_proposal props[IKE2_PROPOSALS_MAX];
	bool props_truncated;                   /* more proposals or transforms than kept */
	bool has_ke;
	uint16_t ke_group;
	size_t ke_len;
	bool has_nonce;
	size_t nonce_len;
	size_t nnotify;
	struct ike_v2_notify notify[IKE2_NOTIFY_MAX];
	size_t nvendor;
	char vendor[IKE2_VENDOR_MAX][2 * 32 + 1];  /* hex, first 32 bytes */
	size_t nunknown;
	uint8_t unknown[IKE2_UNKNOWN_MAX];         /* payload type numbers */
	/* For a full dump (vpn-ike decode); the fields above are what a probe judges. */
	struct ike_v2_payload pl[IKE_PAYLOADS_MAX]; /* npayloads of them */
	struct ike_v2_prop_info prop_info[IKE2_PROPOSALS_MAX];
	struct ike_v2_trans_info trans_info[IKE2_PROPOSALS_MAX][IKE_PROP_MAX];
	size_t vendor_len[IKE2_VENDOR_MAX];        /* full length of each vendor ID */
	size_t sk_len;                             /* SK/SKF payload body, undecoded */
	uint8_t sk_first;                          /* its Next Payload: the first inner one */
};

/* Decodes an IKEv2 message. An SK (or SKF) payload ends the chain: its body is counted,
 * not decrypted. With natt, the datagram starts with the 4-byte non-ESP
 * marker. Returns 0, or -1 with err (DIAG_EXIT_DATAERR) naming the payload and offset. */
int ike_v2_decode(const uint8_t *buf, size_t len, bool natt, struct ike_v2_msg *m,
		  struct diag_error *err);

/* The notification of a type, or NULL. */
const struct ike_v2_notify *ike_v2_find_notify(const struct ike_v2_msg *m, uint16_t type);

#endif
