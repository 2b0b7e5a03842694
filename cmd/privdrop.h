/* Least privilege for vpn-doctor: started as root, it becomes an unprivileged user before
 * it reads any input (--user, default nobody), keeping only the network capabilities a
 * run that sends or captures needs; and --deadline bounds the whole run. */
#ifndef CMD_PRIVDROP_H
#define CMD_PRIVDROP_H

#include <stdbool.h>
#include <stddef.h>

#define PRIVDROP_DEFAULT_USER "nobody"

/* When the real or effective user is root and user is not "root" (user: a name, a numeric
 * id with the same group id, or the default "nobody" as 65534:65534 when the image has no
 * passwd entry for it): setgroups to the user's
 * primary group alone, set the real, effective and saved group and user ids, and check
 * that they all changed and that root cannot be regained. keep_net keeps CAP_NET_RAW,
 * CAP_NET_ADMIN and CAP_NET_BIND_SERVICE (capture, raw ICMP, netlink XFRM, IKE from port
 * 500) and nothing else; otherwise no capability is left. Sets no_new_privs either way.
 * Returns 0 (dropped, or nothing to drop), or -1 with msg ("why") filled. */
int privdrop(const char *user, bool keep_net, char *msg, size_t len);

/* VPN_DOCTOR_DEBUG_PRIVS set: writes the Uid, Gid, Groups and CapEff lines of
 * /proc/self/status to stderr as "tool: privileges: ..."; returns true when its value is
 * "exit" (the caller then stops: tests look at the drop without running checks). */
bool privdrop_debug(const char *tool);

/* Ends the process after seconds with a one-line message on stderr and exit status 69
 * (DIAG_EXIT_UNAVAILABLE): SIGALRM, whose handler only writes and _exits. */
void deadline_arm(const char *tool, unsigned seconds);

#endif
