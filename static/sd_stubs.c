/* libsystemd stand-ins for libdbus-1.a: see static/static.h. */
#include "static/static.h"

int sd_listen_fds(int unset_environment)
{
	(void)unset_environment;
	return 0; /* no file descriptors were passed by a service manager */
}

int sd_is_socket(int fd, int family, int type, int listening)
{
	(void)fd;
	(void)family;
	(void)type;
	(void)listening;
	return 0; /* not one of ours: never called, since sd_listen_fds passes none */
}
