/* The CustomerGatewayConfiguration document AWS returns inside a VPN connection: the
 * per-tunnel IKE and IPsec values AWS generated for the customer gateway, its outside and
 * inside addresses, BGP numbers and the pre-shared keys. */
#ifndef LIBDIAG_AWS_CGW_CONFIG_H
#define LIBDIAG_AWS_CGW_CONFIG_H

#include <stddef.h>

#include "libdiag/arena.h"
#include "libdiag/aws/model.h"
#include "libdiag/error.h"

/* Parses xml[0..len) (root <vpn_connection id="vpn-...">, one <ipsec_tunnel> per tunnel)
 * into a struct aws_cgw_config allocated, with all its strings, in arena a; *out is set
 * only on success. Elements the model has no field for are ignored; an absent or empty
 * element leaves its field NULL / AWS_ABSENT.
 *
 * Returns 0, or -1 with err filled:
 *   - malformed XML: DIAG_EXIT_DATAERR, "CustomerGatewayConfiguration:LINE:COL: XML
 *     error: ..." (see xml_to_tree);
 *   - a value of the wrong shape: DIAG_EXIT_DATAERR, where is the element path with
 *     1-based tunnel indexes, e.g. "vpn_connection/ipsec_tunnel[2]/ike/lifetime: not a
 *     number" (numbers are decimal digits only), "...: appears more than once",
 *     "...: expected text, found child elements";
 *   - out of memory (or past the arena's limit): DIAG_EXIT_SOFTWARE.
 * No message contains a value from the document, so no key can leak through one. */
int aws_cgw_config_parse(struct arena *a, const char *xml, size_t len,
			 struct aws_cgw_config **out, struct diag_error *err);

#endif
