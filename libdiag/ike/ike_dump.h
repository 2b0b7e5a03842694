/* A decoded IKE message of either version as data: a cJSON object with every field the
 * decoders read (header, payload chain, proposals, transforms and their attributes, KE,
 * nonce, notifications, vendor IDs), and a text form made from that object, one line per
 * payload (substructures indented below), in the manner of tcpdump -vv. Numbers stay
 * numbers; names ride beside them ("exchange":34,"exchange_name":"IKE_SA_INIT"). */
#ifndef LIBDIAG_IKE_DUMP_H
#define LIBDIAG_IKE_DUMP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdiag/error.h"
#include "libdiag/ike/ike_v1.h"
#include "libdiag/ike/ike_v2.h"

struct ike_decoded {
	int version;   /* 1 or 2 */
	union {
		struct ike_v1_msg v1;
		struct ike_v2_msg v2;
	} u;
};

/* Decodes one IKE datagram (natt: after the 4-byte non-ESP marker); the header's major
 * version picks the decoder. Returns 0, or -1 with err naming the place and byte offset
 * (DIAG_EXIT_DATAERR), a version other than 1 and 2 included. */
int ike_decode_any(const uint8_t *buf, size_t len, bool natt, struct ike_decoded *d,
		   struct diag_error *err);

/* The message as a new cJSON object, or NULL when memory runs out. */
cJSON *ike_dump_json(const struct ike_decoded *d);

/* The text form of an object made by ike_dump_json: lines each starting with indent,
 * every line ending in '\n'. Returns a malloc'd string, or NULL when memory runs out. */
char *ike_dump_text(const cJSON *ike, const char *indent);

#endif
