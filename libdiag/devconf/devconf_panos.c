/* Placeholder until its parser lands (being written this session). */
#include "libdiag/devconf/devconf.h"

int devconf_parse_panos(const char *text, size_t len, struct devconf_model *m,
	                      struct diag_error *err)
{
	(void)text;
	(void)len;
	return devconf_fail(m, 0, err, "the %s parser is not built yet", "panos");
}
