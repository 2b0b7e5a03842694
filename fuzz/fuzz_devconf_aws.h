/* Shared body of the fuzz targets of the two AWS-generated configuration dialects: parse
 * with the dialect fixed, then dump and predict the negotiation (AWS defaults), so the
 * prediction code meets every model the parser can make. A failure must name the file
 * ("f" or "f:LINE...") and exit 65 (70 for memory). That no key reaches a dump or an
 * error is tested in tests/unit/test_devconf_aws.c: a fuzzer moves key text into names
 * and addresses, where printing it is right. */
#ifndef FUZZ_DEVCONF_AWS_H
#define FUZZ_DEVCONF_AWS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks/ike_config.h"
#include "libdiag/devconf/devconf.h"

static void fz_check(int ok)
{
	if (!ok)
		abort();
}

static void fuzz_devconf_one(const uint8_t *data, size_t size, enum devconf_format format)
{
	struct devconf_model m;
	struct diag_error err = {0};
	struct ike_tunnel_prediction *tp = NULL;
	struct report rep;
	size_t n = 0;
	char buf[600];

	if (devconf_parse((const char *)data, size, format, "f", &m, &err) < 0) {
		fz_check(err.code == DIAG_EXIT_DATAERR || err.code == DIAG_EXIT_SOFTWARE);
		diag_error_text(&err, buf, sizeof buf);
		fz_check(strncmp(buf, "f", 1) == 0);
		devconf_free(&m);
		return;
	}
	{
		char *d = devconf_dump(&m);

		fz_check(d != NULL);
		free(d);
	}
	fz_check(ike_predict(&m, NULL, NULL, &tp, &n) == 0);
	fz_check(n == m.npeers);
	report_init(&rep, "fuzz", "0");
	ike_config_findings(tp, n, &rep);
	fz_check(rep.n == n * IKE_I_COUNT || rep.oom);
	for (size_t i = 0; i < n; i++)
		fz_check(tp[i].outcome <= IKE_OUT_NOT_INITIATED);
	report_free(&rep);
	free(tp);
	devconf_free(&m);
}

#endif
