/* The kernel's IPsec state over netlink: a dump of the XFRM policies (XFRM_MSG_GETPOLICY)
 * and SAs (XFRM_MSG_GETSA) with NLM_F_DUMP, and a decoder for the replies.
 *
 * The decoder reads a stream of netlink messages (what the kernel answered to both dumps,
 * one after the other, as xfrm_dump_kernel returns it and as testdata/xfrm/ keeps it)
 * through the libdiag cursor: every nlmsghdr length is checked against its header size
 * before its body is split off as a child cursor, every nlattr likewise (nla_len below 4
 * is an error, never a non-advancing loop), message and attribute counts are capped, and
 * attribute types the decoder does not use are counted, not dropped silently.
 *
 * Netlink is host-endian. The fixed structs (xfrm_userpolicy_info, xfrm_usersa_info,
 * xfrm_user_tmpl) are read at the offsets <linux/xfrm.h> gives on this host, so a dump
 * recorded on one architecture decodes on another of the same endianness and word size
 * (the recorded dumps under testdata/xfrm/ are x86-64).
 *
 * Keys: an SA dump carries the SA's keys (XFRMA_ALG_*). The decoder keeps the algorithm
 * name and key length only; xfrm_scrub_keys zeroes the key bytes of a dump in place, and
 * xfrm_dump_kernel calls it on every reply before handing it back, so a recorded dump never
 * holds a key. */
#ifndef LIBDIAG_XFRM_H
#define LIBDIAG_XFRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdiag/error.h"

#define XFRM_MAX_MESSAGES 65536u /* messages in one dump */
#define XFRM_MAX_ATTRS 64u       /* attributes in one message */
#define XFRM_MAX_TEMPLATES 6u    /* templates kept per policy (XFRM_MAX_DEPTH) */
#define XFRM_MAX_DUMP_BYTES (64u << 20)

/* A selector, an SA's addresses: family AF_INET or AF_INET6 (0 when the kernel left it
 * unset), addresses in network order in the first 4 or 16 bytes. */
struct xfrm_selector_info {
	int family;
	uint8_t saddr[16], daddr[16];
	uint8_t prefixlen_s, prefixlen_d;
	uint8_t proto;            /* 0: any */
	uint16_t sport, dport;    /* host order; 0: any */
	int ifindex;
};

struct xfrm_template_info {
	int family;
	uint8_t saddr[16], daddr[16]; /* tunnel endpoints (tunnel mode) */
	uint32_t spi;             /* host order; 0 for a template that matches any */
	uint8_t proto;            /* IPPROTO_ESP 50, IPPROTO_AH 51, IPPROTO_COMP 108 */
	uint8_t mode;             /* XFRM_MODE_TRANSPORT 0, TUNNEL 1, ... */
	uint32_t reqid;
	bool optional;
};

enum xfrm_dir { XFRM_DIR_IN = 0, XFRM_DIR_OUT = 1, XFRM_DIR_FWD = 2 };

struct xfrm_policy_entry {
	struct xfrm_selector_info sel;
	uint32_t index, priority;
	uint8_t dir;              /* enum xfrm_dir; others kept as read */
	uint8_t action;           /* XFRM_POLICY_ALLOW 0, XFRM_POLICY_BLOCK 1 */
	uint8_t type;             /* XFRM_POLICY_TYPE_MAIN 0 / SUB 1 (XFRMA_POLICY_TYPE) */
	struct xfrm_template_info tmpl[XFRM_MAX_TEMPLATES];
	size_t ntmpl;             /* kept (at most XFRM_MAX_TEMPLATES) */
	size_t ntmpl_seen;        /* in the message */
	bool has_mark;
	uint32_t mark, mark_mask;
	uint32_t if_id;           /* XFRMA_IF_ID, 0 when absent (xfrm interfaces) */
	unsigned long msg;        /* 1-based message number in the dump */
};

struct xfrm_sa_entry {
	struct xfrm_selector_info sel;
	int family;
	uint8_t saddr[16], daddr[16]; /* outer addresses: daddr is the SA's destination */
	uint32_t spi;             /* host order */
	uint8_t proto, mode;
	uint32_t reqid;
	bool has_encap;           /* UDP encapsulation (NAT-T) */
	uint16_t encap_sport, encap_dport;
	bool has_mark;
	uint32_t mark, mark_mask;
	uint32_t if_id;
	char enc[64], auth[64], aead[64]; /* algorithm names, "" when absent; never keys */
	unsigned long msg;
};

struct xfrm_dump {
	struct xfrm_policy_entry *policies;
	size_t npolicies, cap_policies;
	struct xfrm_sa_entry *sas;
	size_t nsas, cap_sas;
	unsigned long messages;   /* netlink messages read */
	unsigned long done;       /* NLMSG_DONE seen (one per dump) */
	unsigned long other;      /* messages of other types (skipped) */
	unsigned long unknown_attrs; /* attributes of types the decoder does not use */
	int dump_errno;           /* a positive errno from an NLMSG_ERROR answer, or 0 */
};

void xfrm_dump_init(struct xfrm_dump *d);
void xfrm_dump_free(struct xfrm_dump *d);

/* Decodes buf[0..len) (netlink messages back to back) into d, appending. Returns 0, or -1
 * with err (DIAG_EXIT_DATAERR: "xfrm dump offset N: what", N the byte of buf where the
 * fault is; DIAG_EXIT_SOFTWARE for memory). On failure d keeps what was decoded before. */
int xfrm_decode(const uint8_t *buf, size_t len, struct xfrm_dump *d, struct diag_error *err);

/* Zeroes the key bytes of every XFRMA_ALG_CRYPT / AUTH / AUTH_TRUNC / AEAD attribute of
 * every XFRM_MSG_NEWSA message in buf, in place. Stops quietly at the first malformed
 * header (the decoder will name it). */
void xfrm_scrub_keys(uint8_t *buf, size_t len);

/* Dumps the kernel's policies then SAs over NETLINK_XFRM (needs CAP_NET_ADMIN) in the
 * current network namespace. *out (malloc'ed; the caller frees) holds every reply
 * message, keys scrubbed, ready for xfrm_decode or to be written to a file. Returns 0, or
 * -1 with err (DIAG_EXIT_OSERR for a socket error, DIAG_EXIT_NOPERM when the kernel says
 * EPERM, DIAG_EXIT_SOFTWARE for memory, DIAG_EXIT_DATAERR for a reply that is not a
 * netlink message). timeout_ms bounds each wait for a reply. */
int xfrm_dump_kernel(uint8_t **out, size_t *outlen, int timeout_ms, struct diag_error *err);

/* "10.0.0.0/16" (or "any" for a /0 of family 0) into out (at least 64 bytes). */
const char *xfrm_prefix_str(int family, const uint8_t *addr, unsigned plen, char *out,
			    size_t outlen);
/* "198.51.100.10" into out (at least 46 bytes); "?" for family 0. */
const char *xfrm_addr_str(int family, const uint8_t *addr, char *out, size_t outlen);
/* The decoded dump as text, one line per policy / template / SA, in dump order (golden
 * tests, fuzzing). Returns a malloc'ed string, or NULL when memory runs out. */
char *xfrm_dump_text(const struct xfrm_dump *d);

const char *xfrm_dir_name(uint8_t dir);   /* "in", "out", "fwd", "socket-in", ... "other" */
const char *xfrm_mode_name(uint8_t mode); /* "transport", "tunnel", ... */

#endif
