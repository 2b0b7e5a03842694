#ifndef LIBDIAG_PROBE_TARGETS_H
#define LIBDIAG_PROBE_TARGETS_H

#include "libdiag/probe.h"
#include "libdiag/targets.h"

/* A probe_next_fn that pulls from a struct target_iter passed as iter. */
int probe_next_from_targets(void *iter, struct probe_target *out, struct diag_error *err);

#endif
