/* Port lists as people write them: "22", "22,80,443", "8000-8100", "http". Order is kept,
 * as nc probes ports in the order given. */
#ifndef LIBDIAG_PORTS_H
#define LIBDIAG_PORTS_H

#include <stddef.h>
#include <stdint.h>

#include "libdiag/error.h"

#define PORT_RANGES_MAX 1024

struct port_list {
	struct {
		uint16_t lo, hi;
	} r[PORT_RANGES_MAX];
	size_t n;      /* ranges */
	uint64_t count; /* ports, duplicates included */
};

/* Appends the ports of spec (commas, ranges, service names for proto "tcp"/"udp").
 * Fails naming the offending element; the list is unchanged on failure. */
int ports_parse(struct port_list *pl, const char *spec, const char *proto,
		struct diag_error *err);
/* The i-th port, i < count. */
uint16_t ports_at(const struct port_list *pl, uint64_t i);

#endif
