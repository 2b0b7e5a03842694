/* How libdiag reports a failure to its caller: which exit status it deserves, where
 * (file:line, a flag, a field, a packet offset) and what. The front end prints
 * "tool: where: what" and exits with code; the library never prints. */
#ifndef LIBDIAG_ERROR_H
#define LIBDIAG_ERROR_H

#include "libdiag/exitcode.h"

struct diag_error {
	enum diag_exit code;
	char where[160];
	char what[256];
};

/* Records the first error only: later calls keep the root cause. Always returns -1 so a
 * caller can `return diag_fail(err, ...)`. err may be NULL. */
int diag_fail(struct diag_error *err, enum diag_exit code, const char *where,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_error_clear(struct diag_error *err);
/* "where: what", or "what" alone when no place is known. */
const char *diag_error_text(const struct diag_error *err, char *buf, unsigned len);

#endif
