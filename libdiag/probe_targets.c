/* The glue between the target iterator and the probe engine. */
#include "libdiag/probe_targets.h"

int probe_next_from_targets(void *iter, struct probe_target *out, struct diag_error *err)
{
	struct target t;
	int got = target_iter_next(iter, &t, err);

	if (got == 1) {
		out->addr = t.addr;
		out->port = t.port;
		out->name = t.name;
		out->resolve_error = t.resolve_error;
	}
	return got;
}
