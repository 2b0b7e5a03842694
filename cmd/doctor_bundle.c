/* vpn-doctor --bundle: placeholder until libdiag/bundle lands (being written). */
#include <stdio.h>

#include "cmd/doctor.h"
#include "libdiag/exitcode.h"

int doctor_bundle(const char *out, const char *text, const char *json, const char *md,
		  const struct doctor_cmd *c, const char *tool)
{
	(void)text;
	(void)json;
	(void)md;
	(void)c;
	fprintf(stderr, "%s: --bundle %s: not built yet\n", tool, out);
	return DIAG_EXIT_SOFTWARE;
}
