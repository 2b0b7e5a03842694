/* Built-in UDP payloads: a silent UDP port proves nothing, so probes of well-known ports
 * carry a request the service must answer. */
#include "libdiag/probe.h"

/* IKEv1 Main Mode, first message (RFC 2408 3.1, RFC 2409 5): one proposal, one transform,
 * AES-128/SHA1/PSK/MODP-1024/28800 s, which every IKE responder answers either with its
 * choice or with NO-PROPOSAL-CHOSEN. A responder that answers either way is "open".
 *
 *  ISAKMP header (28)    SA (12)          Proposal (8)      Transform (8) + 7 TV attrs (28)
 *  +----------------+  +-----------+   +-------------+   +---------------------------+
 *  | I-cookie 8     |  | np len    |   | np len      |   | np len #1 KEY_IKE        |
 *  | R-cookie 8 = 0 |  | DOI=1     |   | #1 ISAKMP   |   | enc=AES-CBC keylen=128    |
 *  | np=SA ver 1.0  |  | sit=ID    |   | spi 0 1 xf  |   | hash=SHA auth=PSK grp=2   |
 *  | xchg=MM flags  |  +-----------+   +-------------+   | life=sec dur=28800        |
 *  | msgid 0 len 84 |                                     +---------------------------+
 */
#define IKE_MAIN_MODE_BYTES                                                             \
	'v', 'p', 'n', 'd', 'o', 'c', 't', 'r', /* initiator cookie */                  \
	0, 0, 0, 0, 0, 0, 0, 0,                 /* responder cookie */                  \
	1, 0x10, 2, 0,                          /* next: SA, version 1.0, Main Mode */  \
	0, 0, 0, 0,                             /* message id */                        \
	0, 0, 0, 84,                            /* length */                            \
	0, 0, 0, 56, 0, 0, 0, 1, 0, 0, 0, 1,    /* SA: DOI IPsec, identity only */      \
	0, 0, 0, 44, 1, 1, 0, 1,                /* proposal #1: ISAKMP, 1 transform */  \
	0, 0, 0, 36, 1, 1, 0, 0,                /* transform #1: KEY_IKE */             \
	0x80, 1, 0, 7,                          /* encryption: AES-CBC */               \
	0x80, 14, 0, 128,                       /* key length: 128 */                   \
	0x80, 2, 0, 2,                          /* hash: SHA */                         \
	0x80, 3, 0, 1,                          /* authentication: pre-shared key */    \
	0x80, 4, 0, 2,                          /* group: MODP 1024 */                  \
	0x80, 11, 0, 1,                         /* life type: seconds */                \
	0x80, 12, 0x70, 0x80                    /* life duration: 28800 */

static const uint8_t ike_main_mode[84] = {IKE_MAIN_MODE_BYTES};

/* NAT-T (RFC 3948 2.2): on 4500 an IKE message follows a 4-byte non-ESP marker of zeros. */
static const uint8_t ike_main_mode_nat_t[88] = {0, 0, 0, 0, IKE_MAIN_MODE_BYTES};

/* DNS query for the root's NS records (RFC 1035 4.1), which any resolver answers. */
static const uint8_t dns_root_ns[17] = {
	0x76, 0x64, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, /* id, RD, one question */
	0,                                              /* root name */
	0, 2, 0, 1,                                     /* NS, IN */
};

const uint8_t *probe_udp_builtin(uint16_t port, size_t *len)
{
	switch (port) {
	case 500:
		*len = sizeof ike_main_mode;
		return ike_main_mode;
	case 4500:
		*len = sizeof ike_main_mode_nat_t;
		return ike_main_mode_nat_t;
	case 53:
		*len = sizeof dns_root_ns;
		return dns_root_ns;
	default:
		*len = 0;
		return NULL;
	}
}
