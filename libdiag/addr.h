/* IPv4 and IPv6 addresses, prefixes (CIDR) and ranges, with the arithmetic a sweep needs.
 * Addresses are kept as 16 big-endian bytes (IPv4 in the first 4) so one set of functions
 * serves both families. */
#ifndef LIBDIAG_ADDR_H
#define LIBDIAG_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "libdiag/error.h"

#define ADDR_STRLEN 46 /* INET6_ADDRSTRLEN */

struct diag_addr {
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t b[16];
};

struct diag_prefix {
	struct diag_addr addr; /* host bits cleared */
	unsigned len;
};

/* An inclusive range of addresses of one family. */
struct diag_range {
	struct diag_addr first;
	struct diag_addr last;
};

/* Numeric address only (no names). Returns false on anything else. */
bool addr_parse(const char *s, struct diag_addr *out);
/* "a.b.c.d/n" or "x::/n"; host bits must be zero unless allow_host_bits. */
int prefix_parse(const char *s, bool allow_host_bits, struct diag_prefix *out,
		 struct diag_error *err);
/* "A-B" with full addresses, or the IPv4 shorthand "10.0.0.1-50" (last octet). */
int range_parse(const char *s, struct diag_range *out, struct diag_error *err);

const char *addr_str(const struct diag_addr *a, char buf[ADDR_STRLEN]);
unsigned addr_bits(const struct diag_addr *a); /* 32 or 128 */
int addr_cmp(const struct diag_addr *a, const struct diag_addr *b);
bool addr_eq(const struct diag_addr *a, const struct diag_addr *b);
/* Adds one; returns false when it wrapped past the family's last address. */
bool addr_next(struct diag_addr *a);
void prefix_range(const struct diag_prefix *p, struct diag_range *out);
bool prefix_contains(const struct diag_prefix *p, const struct diag_addr *a);
/* Number of addresses in the range, saturated at UINT64_MAX. */
uint64_t range_size(const struct diag_range *r);

bool addr_is_multicast(const struct diag_addr *a);
bool addr_is_limited_broadcast(const struct diag_addr *a); /* 255.255.255.255 */
bool addr_is_private(const struct diag_addr *a);          /* RFC 1918, 100.64/10, ULA, ... */
bool addr_is_loopback(const struct diag_addr *a);         /* 127/8, ::1 */

/* Conversions to and from socket addresses; port in host order. */
socklen_t addr_to_sockaddr(const struct diag_addr *a, uint16_t port,
			   struct sockaddr_storage *ss);
bool addr_from_sockaddr(const struct sockaddr *sa, struct diag_addr *out, uint16_t *port);

#endif
