/* Pieces shared by the IKEv1 and IKEv2 codecs: a capped growable output buffer, the DH
 * public values (OpenSSL), the NAT-D hash, and the generic payload-chain walker that
 * applies the cursor rules of STYLE.md once for both versions. */
#ifndef LIBDIAG_IKE_WIRE_H
#define LIBDIAG_IKE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdiag/cursor.h"
#include "libdiag/error.h"

#define IKE_MSG_MAX 65535u   /* the largest message we build or decode */
#define IKE_PAYLOADS_MAX 64  /* payloads per message */
#define IKE_SUBS_MAX 64      /* proposals per SA, transforms per proposal, attributes */
#define IKE_KE_MAX 1024      /* bytes of a KE public value (MODP 8192 is 1024) */
#define IKE_NONCE_LEN 32

/* A growable buffer that never grows past max (0: IKE_MSG_MAX). The first failed write is
 * remembered, so a builder writes a whole message and checks `failed` once. */
struct ike_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
	size_t max;
	bool failed;
};

void ike_buf_put(struct ike_buf *b, const void *data, size_t n);
void ike_buf_u8(struct ike_buf *b, uint8_t v);
void ike_buf_be16(struct ike_buf *b, uint16_t v);
void ike_buf_be32(struct ike_buf *b, uint32_t v);
/* Writes v big-endian at off (a length field filled in after its payload). */
void ike_buf_set_be16(struct ike_buf *b, size_t off, uint16_t v);
void ike_buf_set_be32(struct ike_buf *b, size_t off, uint32_t v);
void ike_buf_free(struct ike_buf *b);

/* The ISAKMP/IKE header (RFC 2408 3.1, RFC 7296 3.1) has one layout in both versions;
 * version is 0x10 or 0x20. Its length is filled in by ike_finish. */
void ike_put_header(struct ike_buf *b, const uint8_t spi_i[8], const uint8_t spi_r[8],
		    uint8_t next, uint8_t version, uint8_t exchange, uint8_t flags,
		    uint32_t msgid);
void ike_finish(struct ike_buf *b);
/* The generic payload header (RFC 2408 3.2, RFC 7296 3.2), also one layout in both:
 * returns the payload's offset, whose length ike_end_payload fills in. */
size_t ike_begin_payload(struct ike_buf *b, uint8_t next);
void ike_end_payload(struct ike_buf *b, size_t at);

/* Caller-chosen request values. With on, the builder uses spi and nonce instead of random
 * ones (a probe that must resend the same request after a COOKIE, or a test). With
 * det_key, the KE value comes from a fixed private key: byte-for-byte repeatable requests
 * for tests only; a probe leaves it off and sends a fresh key pair every time. */
struct ike_fixed {
	bool on;
	bool det_key;
	uint8_t spi[8];
	uint8_t nonce[IKE_NONCE_LEN];
};
/* The test values: fixed SPI, nonce and key. */
void ike_fixed_default(struct ike_fixed *f);

/* Length in bytes of group's KE public value; 0 for a group we cannot compute. */
size_t ike_dh_pub_len(uint16_t group);
/* Computes a public value for group into out (ike_dh_pub_len bytes): g^x mod p for MODP
 * (1, 2, 5, 14-18; 22-24 with x below the subgroup order q),
 * x||y for ECP. With deterministic, x is a fixed private key (tests only). Returns 0, or
 * -1 with err when the group is unsupported or OpenSSL fails. */
int ike_dh_public(uint16_t group, bool deterministic, uint8_t *out, size_t outlen,
		  struct diag_error *err);

/* NAT-D hash: SHA-1(spi_i | spi_r | ip | port), port in network order. ip is 4 or 16
 * bytes. Returns 0, or -1 when OpenSSL fails. */
int ike_natd_hash(const uint8_t spi_i[8], const uint8_t spi_r[8], const uint8_t *ip,
		  size_t iplen, uint16_t port, uint8_t out[20]);

/* One payload found by the chain walker. body is a child cursor over the payload's body
 * (after its 4-byte generic header). */
struct ike_payload {
	uint8_t type;
	uint8_t next;          /* its Next Payload field */
	uint8_t flags;
	uint16_t length;       /* its Length field */
	size_t offset;         /* where its generic header starts */
	struct cursor body;
};

typedef int (*ike_payload_fn)(void *ctx, struct ike_payload *pl, struct diag_error *err);

/* Walks a chain of generic payloads starting with type first over c: for each, checks the
 * length field is at least 4 before anything else, bounds the body by a child cursor, and
 * calls fn. More than IKE_PAYLOADS_MAX payloads, a length below 4, or a length past the end
 * is an error naming the payload's index and byte offset (DIAG_EXIT_DATAERR). fn returns
 * 0 to go on, 1 to end the chain there (IKEv2's SK payload: its Next Payload names what
 * is inside the encryption), -1 on error. Returns the number of payloads, or -1. what
 * names the message for errors ("IKEv2"). */
int ike_walk_chain(struct cursor *c, uint8_t first, const char *what, ike_payload_fn fn,
		   void *ctx, struct diag_error *err);

/* Walks a list of substructures (proposals, transforms) whose first byte is 0 for the
 * last one and more_val (IKEv2: 2 proposal / 3 transform; IKEv1 the same numbers as
 * payload types) for "more". Checks both ways: 0 with bytes after it, or more_val with
 * nothing after it, is an error (tcpdump's bad last-substructure CVE class), as are a
 * length below 4 or past the end and more than IKE_SUBS_MAX entries. Calls fn on each
 * body. Returns the number walked, or -1. */
typedef int (*ike_sub_fn)(void *ctx, struct cursor *body, size_t idx, const char *where,
			  struct diag_error *err);
int ike_walk_subs(struct cursor *c, uint8_t more_val, const char *what, ike_sub_fn fn,
		  void *ctx, struct diag_error *err);

/* Reads and checks the 4-byte non-ESP marker of a NAT-T (UDP 4500) datagram. Returns 0,
 * or -1 when fewer than 4 bytes remain or the marker is not zero (an ESP packet). */
int ike_natt_marker(struct cursor *c, struct diag_error *err);

/* Lower-case hex of n bytes into out (2n+1 bytes, truncated to outlen). */
void ike_hex(const uint8_t *p, size_t n, char *out, size_t outlen);

#endif
