/* The body of the devconf fuzz targets that fix one format: devconf_parse on a buffer of
 * exactly the input's size (reading past len is an ASan error); success yields a model
 * whose dump works and whose peers and children hold sane values; failure is
 * DIAG_EXIT_DATAERR (or SOFTWARE for memory) with a place that starts with the file name.
 * Each target is one line: FUZZ_DEVCONF_TARGET(DEVCONF_JUNOS). */
#ifndef FUZZ_DEVCONF_H
#define FUZZ_DEVCONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/devconf/devconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_model(const struct devconf_model *m)
{
	char *dump = devconf_dump(m);

	check(dump != NULL);
	free(dump);
	for (size_t i = 0; i < m->npeers; i++) {
		const struct devconf_peer *p = &m->peers[i];

		check(p->nike <= DEVCONF_PROPOSALS_MAX);
		check(p->ike_versions <= 3);
		for (size_t k = 0; k < p->nike; k++)
			check(p->ike[k].n <= IKE_PROP_MAX);
		for (size_t c = 0; c < p->nchildren; c++) {
			const struct devconf_child *ch = &p->children[c];

			check(ch->nesp <= DEVCONF_PROPOSALS_MAX);
			check(ch->nlocal_ts <= DEVCONF_TS_MAX && ch->nremote_ts <= DEVCONF_TS_MAX);
			for (size_t k = 0; k < ch->nlocal_ts; k++)
				check(ch->local_ts[k] != NULL);
			for (size_t k = 0; k < ch->nremote_ts; k++)
				check(ch->remote_ts[k] != NULL);
		}
	}
}

static int fuzz_devconf_one(const uint8_t *data, size_t size, enum devconf_format fmt)
{
	char *buf = malloc(size ? size : 1);
	struct devconf_model m;
	struct diag_error err = {0};

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (devconf_parse(buf, size, fmt, "fuzz", &m, &err) == 0) {
		check(m.format == fmt);
		check_model(&m);
	} else {
		check(err.code == DIAG_EXIT_DATAERR || err.code == DIAG_EXIT_SOFTWARE);
		check(strncmp(err.where, "fuzz", 4) == 0);
	}
	devconf_free(&m);
	free(buf);
	return 0;
}

#define FUZZ_DEVCONF_TARGET(fmt)                                                          \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                      \
	{                                                                                  \
		return fuzz_devconf_one(data, size, (fmt));                                \
	}

#endif
