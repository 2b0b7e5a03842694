#include "libdiag/ports.h"

#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A port number 1-65535, or a service name known to the system. */
static bool port_value(const char *s, const char *proto, uint16_t *out)
{
	char *end;
	unsigned long v;

	if (*s >= '0' && *s <= '9') {
		errno = 0;
		v = strtoul(s, &end, 10);
		if (*end || errno || v < 1 || v > 65535)
			return false;
		*out = (uint16_t)v;
		return true;
	}
	if (!*s || strlen(s) > 32 || strspn(s, "abcdefghijklmnopqrstuvwxyz"
					    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != strlen(s))
		return false;
	struct servent *se = getservbyname(s, proto);

	if (!se)
		return false;
	*out = ntohs((uint16_t)se->s_port);
	return true;
}

int ports_parse(struct port_list *pl, const char *spec, const char *proto,
		struct diag_error *err)
{
	size_t n0 = pl->n;
	uint64_t count0 = pl->count;
	const char *p = spec;

	if (!*spec)
		return diag_fail(err, DIAG_EXIT_USAGE, "port", "empty port list");
	while (*p) {
		size_t len = strcspn(p, ",");
		char item[64], *dash;
		uint16_t lo, hi;

		if (len == 0)
			goto bad;
		if (len >= sizeof item) {
			pl->n = n0, pl->count = count0;
			return diag_fail(err, DIAG_EXIT_USAGE, spec,
					 "invalid port '%.20s...' (1-65535 or a service name)", p);
		}
		memcpy(item, p, len);
		item[len] = '\0';
		dash = strchr(item, '-');
		/* A leading dash is not a range: service names may hold dashes only inside. */
		if (dash && dash != item && (dash[1] >= '0' && dash[1] <= '9') &&
		    item[0] >= '0' && item[0] <= '9') {
			*dash = '\0';
			if (!port_value(item, proto, &lo) || !port_value(dash + 1, proto, &hi))
				goto bad_item;
			if (hi < lo) {
				*dash = '-';
				pl->n = n0, pl->count = count0;
				return diag_fail(err, DIAG_EXIT_USAGE, spec,
						 "port range '%s' ends before it starts", item);
			}
		} else if (!port_value(item, proto, &lo)) {
			goto bad_item;
		} else {
			hi = lo;
		}
		if (pl->n == PORT_RANGES_MAX) {
			pl->n = n0, pl->count = count0;
			return diag_fail(err, DIAG_EXIT_USAGE, spec, "more than %d port ranges",
					 PORT_RANGES_MAX);
		}
		pl->r[pl->n].lo = lo;
		pl->r[pl->n].hi = hi;
		pl->n++;
		pl->count += (uint64_t)(hi - lo) + 1;
		p += len;
		if (*p == ',' && *++p == '\0')
			goto bad;
		continue;
bad_item:
		if (dash)
			*dash = '-';
		pl->n = n0, pl->count = count0;
		if (strcmp(item, spec) == 0) /* the place already names it */
			return diag_fail(err, DIAG_EXIT_USAGE, spec,
					 "invalid port (1-65535 or a service name)");
		return diag_fail(err, DIAG_EXIT_USAGE, spec,
				 "invalid port '%s' (1-65535 or a service name)", item);
	}
	return 0;
bad:
	pl->n = n0, pl->count = count0;
	return diag_fail(err, DIAG_EXIT_USAGE, spec, "invalid port list (empty element)");
}

uint16_t ports_at(const struct port_list *pl, uint64_t i)
{
	for (size_t k = 0; k < pl->n; k++) {
		uint64_t span = (uint64_t)(pl->r[k].hi - pl->r[k].lo) + 1;

		if (i < span)
			return (uint16_t)(pl->r[k].lo + i);
		i -= span;
	}
	return 0;
}
