/* AWS's MTU and TCP MSS table for Site-to-Site VPN tunnels: how large an inner packet fits
 * through a tunnel once ESP (and NAT-T's UDP header) is added, by phase 2 encryption,
 * integrity and NAT-T. The rows are data (mtu_table.c), copied from the customer gateway
 * requirements page (AWS_MTU_TABLE_URL). A lookup with an unknown algorithm or NAT-T takes
 * the worst case (the smallest MTU) of the rows that could apply, so a clamp based on it
 * is always safe. */
#ifndef LIBDIAG_AWS_MTU_TABLE_H
#define LIBDIAG_AWS_MTU_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "libdiag/error.h"

#define AWS_MTU_TABLE_URL "https://docs.aws.amazon.com/vpn/latest/s2svpn/your-cgw.html"
/* The header bytes an MSS leaves out of an MTU: IPv4 20 + TCP 20; IPv6 40 + TCP 20. */
#define MTU_TCP4_OVERHEAD 40
#define MTU_TCP6_OVERHEAD 60

enum aws_mtu_enc { AWS_ENC_ANY = 0, AWS_ENC_GCM, AWS_ENC_CBC };
enum aws_mtu_integ {
	AWS_INTEG_ANY = 0, AWS_INTEG_NONE, /* GCM: the table's "N/A" */
	AWS_INTEG_SHA1, AWS_INTEG_SHA2_256, AWS_INTEG_SHA2_384, AWS_INTEG_SHA2_512,
};
enum aws_natt { AWS_NATT_UNKNOWN = 0, AWS_NATT_OFF, AWS_NATT_ON };

/* One row as the page prints it (SHA1 and SHA2-256 share a row there; here each has its
 * own, with the same numbers). */
struct aws_mtu_row {
	enum aws_mtu_enc enc;
	enum aws_mtu_integ integ;
	enum aws_natt natt;
	int mtu;      /* largest inner IP packet */
	int mss4;     /* TCP MSS over IPv4 */
	int mss6;     /* TCP MSS for IPv6 inside an IPv4 tunnel */
};

extern const struct aws_mtu_row aws_mtu_rows[];
extern const size_t aws_mtu_nrows;

/* The answer to a lookup: the row (the worst of those that match) and whether the inputs
 * picked exactly one row's numbers or left some of it open. */
struct aws_mtu_answer {
	const struct aws_mtu_row *row;
	bool exact;
	size_t candidates; /* rows that matched */
};

/* Names as AWS writes them (Phase2EncryptionAlgorithms: AES128, AES256, AES128-GCM-16,
 * AES256-GCM-16; Phase2IntegrityAlgorithms: SHA1, SHA2-256, SHA2-384, SHA2-512), case
 * insensitive, also the device spellings aes-128-cbc, aes256gcm16, hmac-sha1-96, sha256 and
 * "gcm"/"cbc". NULL or "" is ANY. Returns -1 (err names the value) for a name that is not
 * in the table (3DES, MD5: AWS does not offer them). */
int aws_mtu_enc_parse(const char *s, enum aws_mtu_enc *out, struct diag_error *err);
int aws_mtu_integ_parse(const char *s, enum aws_mtu_integ *out, struct diag_error *err);

/* The worst (smallest MTU) row matching enc, integ and natt, where ANY/UNKNOWN match every
 * row and GCM ignores integ. Returns false when no row matches (CBC with no integrity). */
bool aws_mtu_lookup(enum aws_mtu_enc enc, enum aws_mtu_integ integ, enum aws_natt natt,
		    struct aws_mtu_answer *out);

const char *aws_mtu_enc_name(enum aws_mtu_enc e);     /* "AES-GCM-16", "AES-CBC", "any" */
const char *aws_mtu_integ_name(enum aws_mtu_integ i); /* "SHA2-256", "N/A", "any" */
const char *aws_natt_name(enum aws_natt n);           /* "on", "off", "unknown" */

/* The MSS that fits a path MTU: mtu - 40 (IPv4) or mtu - 60 (IPv6); 0 when the MTU is too
 * small to carry TCP at all. */
int mtu_mss4(int mtu);
int mtu_mss6(int mtu);

#endif
