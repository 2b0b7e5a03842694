/* Shared between the probe engine's files; not part of libdiag's interface. */
#ifndef LIBDIAG_PROBE_INTERNAL_H
#define LIBDIAG_PROBE_INTERNAL_H

#include "libdiag/probe.h"

/* Sets res->state (and err, icmp_*) from a socket error; reads the ICMP error queue of fd
 * when fd >= 0. */
void probe_classify_error(int fd, enum probe_proto proto, int err, struct probe_result *res);
bool probe_read_icmp(int fd, struct probe_result *res);

#endif
