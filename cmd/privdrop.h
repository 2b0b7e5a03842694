/* Least privilege for vpn-doctor: started as root, it opens what needs privilege
 * (libdiag/preopen.h, the bundle's file) and then becomes an unprivileged user with no
 * capability before it reads any input (--user, default nobody); and --deadline bounds the
 * whole run. */
#ifndef CMD_PRIVDROP_H
#define CMD_PRIVDROP_H

#include <stdbool.h>
#include <stddef.h>

#define PRIVDROP_DEFAULT_USER "nobody"

/* When the real or effective user is root and user is not "root" (user: a name, a numeric
 * id with the same group id, or the default "nobody" as 65534:65534 when the image has no
 * passwd entry for it): setgroups to the user's
 * primary group alone, set the real, effective and saved group and user ids, and check
 * that they all changed, that root cannot be regained and that no capability is left.
 * Sets no_new_privs. Returns 0 (dropped, or nothing to drop), or -1 with msg ("why")
 * filled. */
int privdrop(const char *user, char *msg, size_t len);

/* Would privdrop(user, ...) change anything: the real or effective user is root and user
 * is not "root"? */
bool privdrop_will_drop(const char *user);

/* VPN_DOCTOR_DEBUG_PRIVS set: writes the Uid, Gid, Groups and CapEff lines of
 * /proc/self/status to stderr as "tool: privileges: ..."; returns true when its value is
 * "exit" (the caller then stops: tests look at the drop without running checks). */
bool privdrop_debug(const char *tool);

/* Ends the process after seconds with a one-line message on stderr and exit status 69
 * (DIAG_EXIT_UNAVAILABLE): SIGALRM, whose handler only writes and _exits. */
void deadline_arm(const char *tool, unsigned seconds);

#endif
