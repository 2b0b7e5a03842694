/* Versions of the libraries only the static binary links: see static/static.h. */
#include "static/static.h"

/* libdbus-1.a's own; its header lives in a private include directory. */
void dbus_get_version(int *major_version_p, int *minor_version_p, int *micro_version_p);

void static_print_versions(FILE *fp)
{
	int major = 0, minor = 0, micro = 0;

	dbus_get_version(&major, &minor, &micro);
	fprintf(fp, "  libdbus   %d.%d.%d (pulled in by libpcap)\n", major, minor, micro);
}
