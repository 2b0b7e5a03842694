/* The parts of vpn-ike that live in their own files: `vpn-ike decode` and the printing
 * of an --enumerate result. */
#ifndef CMD_IKE_CMD_H
#define CMD_IKE_CMD_H

#include <stdbool.h>

#include "libdiag/ike/ike_enum.h"
#include "libdiag/report.h"

/* `vpn-ike decode ...`: argv[0] is "decode". Returns an exit status. */
int ike_decode_main(int argc, char **argv);
/* `vpn-ike check ...`: argv[0] is "check". */
int ike_check_main(int argc, char **argv);

/* Adds the ike.enumerate finding for res to r and, unless json, prints the text form. */
void ike_enum_report(struct report *r, const char *subject, const struct ike_enum_result *res,
		     bool json);

#endif
