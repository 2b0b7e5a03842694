#include "libdiag/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int diag_fail(struct diag_error *err, enum diag_exit code, const char *where,
	      const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code != 0)
		return -1;
	err->code = code;
	snprintf(err->where, sizeof err->where, "%s", where ? where : "");
	va_start(ap, fmt);
	vsnprintf(err->what, sizeof err->what, fmt, ap);
	va_end(ap);
	return -1;
}

void diag_error_clear(struct diag_error *err)
{
	memset(err, 0, sizeof *err);
}

const char *diag_error_text(const struct diag_error *err, char *buf, unsigned len)
{
	if (err->where[0])
		snprintf(buf, len, "%s: %s", err->where, err->what);
	else
		snprintf(buf, len, "%s", err->what);
	return buf;
}
