/* Pieces only the static build (mk/static.mk, `make static`) links in. */
#ifndef STATIC_STATIC_H
#define STATIC_STATIC_H

#include <stdio.h>

/* CA certificates for libcurl, which this build configures with no default bundle (a
 * container may be Debian-, RHEL- or busybox-based): when neither AWS_CA_BUNDLE nor
 * SSL_CERT_FILE names a bundle, the first of the usual system bundles that exists is
 * exported as AWS_CA_BUNDLE, which libdiag/http.c reads below --cacert. Returns 1 when a
 * bundle is set, 0 when none was found (AWS_CA_BUNDLE is then set to the Debian path so
 * that an HTTPS request fails naming it, and static_ca_hint explains). */
int static_ca_setup(void);
/* After a tool returned rc: when no bundle was found and rc says an input was missing,
 * one line on fp saying where bundles were looked for and how to give one. */
void static_ca_hint(FILE *fp, int rc);

/* The libraries linked only into the static binary ("libdbus 1.14.10"). */
void static_print_versions(FILE *fp);

/* libdbus-1.a (pulled in by libpcap.a for its D-Bus capture source) calls these two
 * libsystemd functions for socket activation of a bus daemon; Debian has no static
 * libsystemd. The stubs say "no sockets passed", which is what a tool sees anyway. */
int sd_listen_fds(int unset_environment);
int sd_is_socket(int fd, int family, int type, int listening);

#endif
