/* Handles opened while the process still holds privilege, for the code that needs them
 * after the privileges are gone: vpn-doctor, started as root, opens the live capture and
 * the raw ICMP socket it will need, then becomes an unprivileged user with no capability
 * left (OpenBSD's "open first, then drop", without a second process). The code that would
 * open such a handle itself asks here first and takes it; each handle is taken once.
 * A file is kept too, for a reader that runs after the drop. Nothing is parsed here: a capture handle is activated with no filter, and its taker sets
 * the filter it wants (libpcap drains what arrived before the filter). Thread-safe: the
 * checks take their handles from their own threads. */
#ifndef LIBDIAG_PREOPEN_H
#define LIBDIAG_PREOPEN_H

#include <stdint.h>

#include <pcap/pcap.h>

#include "libdiag/error.h"

#define PREOPEN_MAX 16

/* Activates a live capture on iface (snaplen 65535, 100 ms timeout, immediate mode) and
 * keeps it for preopen_take_capture. Returns 0, or -1 with err filled (the caller goes on:
 * the taker then opens its own and reports the failure where it belongs). */
int preopen_capture(const char *iface, struct diag_error *err);

/* The capture kept for iface, now the caller's to close; NULL when there is none. */
pcap_t *preopen_take_capture(const char *iface);

/* Opens a raw ICMP (family AF_INET) or ICMPv6 (AF_INET6) socket and keeps it. Returns 0,
 * or -1 with err filled. */
int preopen_icmp_raw(int family, struct diag_error *err);

/* The raw ICMP socket kept for family, now the caller's to close; -1 when there is none. */
int preopen_take_icmp_raw(int family);

/* Opens count UDP sockets of family bound to port on every address, sharing it
 * (SO_REUSEADDR), and keeps them: the IKE probe sends from port 500 as a gateway does,
 * since some responders answer nothing else (ike-scan's default for the same reason), and
 * ports below 1024 need CAP_NET_BIND_SERVICE. Returns how many were kept; with none, -1
 * with err filled. */
int preopen_udp_port(int family, uint16_t port, unsigned count, struct diag_error *err);

/* A kept UDP socket of family bound to port, the caller's to connect and close; -1 when
 * none is left. */
int preopen_take_udp_port(int family, uint16_t port);

/* Opens path read-only and keeps it: a file only root may read (root's ~/.aws/credentials
 * for --live). A missing file is kept as missing: after the drop its directory may not be
 * searchable, and "Permission denied" would then stand for "absent". Returns 0 (opened, or
 * kept as missing), or -1 with err filled. */
int preopen_file(const char *path, struct diag_error *err);

/* A descriptor reading the file kept for path from its start, the caller's to close; -1
 * when none is kept (errno ENOENT: it was missing before the drop; 0: not asked for). Each call gives a new descriptor (dup, rewound), so a file read twice
 * can be taken twice; the descriptors share one offset, so readers of one file must not
 * overlap. */
int preopen_take_file(const char *path);

/* Closes every handle nobody took. */
void preopen_release(void);

#endif
