/* vpn-ike decode: being written (see cmd/ike_cmd.h). */
#include <stdio.h>

#include "cmd/ike_cmd.h"
#include "libdiag/exitcode.h"

int ike_decode_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "vpn-ike decode: not built yet\n");
	return DIAG_EXIT_SOFTWARE;
}
