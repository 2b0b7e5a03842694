/* CA bundle discovery for the static binary: see static/static.h. */
#include <stdlib.h>
#include <unistd.h>

#include "libdiag/exitcode.h"
#include "static/static.h"

/* Debian/Ubuntu/Alpine, RHEL/Fedora/UBI (two names), openSUSE, Alpine/BSD. */
static const char *const bundles[] = {
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
	"/etc/ssl/ca-bundle.pem",
	"/etc/ssl/cert.pem",
};

static int none_found;

int static_ca_setup(void)
{
	const char *env = getenv("AWS_CA_BUNDLE");

	if (env && *env)
		return 1;
	env = getenv("SSL_CERT_FILE");
	if (env && *env)
		return setenv("AWS_CA_BUNDLE", env, 1) == 0;
	for (size_t i = 0; i < sizeof bundles / sizeof *bundles; i++)
		if (access(bundles[i], R_OK) == 0)
			return setenv("AWS_CA_BUNDLE", bundles[i], 1) == 0;
	none_found = 1;
	/* libcurl then fails with "error setting certificate file: PATH" instead of an
	 * unverifiable peer, and the exit status is 66 (no input). */
	(void)setenv("AWS_CA_BUNDLE", bundles[0], 1);
	return 0;
}

void static_ca_hint(FILE *fp, int rc)
{
	if (!none_found || rc != DIAG_EXIT_NOINPUT)
		return;
	fprintf(fp, "vpn-doctor: note: no CA certificate bundle here (looked for");
	for (size_t i = 0; i < sizeof bundles / sizeof *bundles; i++)
		fprintf(fp, "%s %s", i ? "," : "", bundles[i]);
	fprintf(fp, "); for HTTPS give one with --cacert FILE or AWS_CA_BUNDLE=FILE\n");
}
