/* Privilege drop and the run's deadline (see privdrop.h). No libcap: capget/capset are two
 * system calls with a fixed layout (version 3: two 32-bit words per set). */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cmd/privdrop.h"
#include "libdiag/exitcode.h"

/* Sets the permitted and effective sets to caps (a mask of the first 64), inheritable to
 * none. Returns 0 or -1 (errno). */
static int caps_set(unsigned long long caps)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof d);
	d[0].permitted = d[0].effective = (unsigned)(caps & 0xffffffffu);
	d[1].permitted = d[1].effective = (unsigned)(caps >> 32);
	return (int)syscall(SYS_capset, &hdr, d);
}

static unsigned long long caps_effective(void)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof d);
	if (syscall(SYS_capget, &hdr, d) != 0)
		return ~0ULL;
	return (unsigned long long)d[1].effective << 32 | d[0].effective;
}

/* A decimal user id below 2^31 (no sign, no blanks)? */
static bool numeric_id(const char *s, uid_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v >= 0x7fffffffUL)
		return false;
	*out = (uid_t)v;
	return true;
}

bool privdrop_will_drop(const char *user)
{
	return (getuid() == 0 || geteuid() == 0) && user && strcmp(user, "root") != 0;
}

int privdrop(const char *user, char *msg, size_t len)
{
	uid_t ru, eu, su, uid = 0;
	gid_t rg, eg, sg, gid = 0, groups[2];
	struct passwd *pw;

	if (!privdrop_will_drop(user))
		return 0;
	errno = 0;
	if ((pw = getpwnam(user)) != NULL) {
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	} else if (numeric_id(user, &uid)) {
		gid = (gid_t)uid; /* a numeric --user (no passwd entry) gets its own group */
	} else if (strcmp(user, PRIVDROP_DEFAULT_USER) == 0) {
		uid = gid = 65534; /* an image without /etc/passwd: the overflow ids */
	} else {
		snprintf(msg, len, "--user %.64s: %s", user,
			 errno ? strerror(errno) : "no such user");
		return -1;
	}
	if (uid == 0) {
		snprintf(msg, len, "--user %.64s: has user id 0", user);
		return -1;
	}
	if (setgroups(1, &gid) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(uid, uid, uid) != 0) {
		snprintf(msg, len, "becoming %.64s: %s", user, strerror(errno));
		return -1;
	}
	/* setresuid from root to another user clears the permitted set already (no
	 * KEEPCAPS); clearing it here too makes the outcome not depend on securebits */
	if (caps_set(0) != 0) {
		snprintf(msg, len, "setting capabilities: %s", strerror(errno));
		return -1;
	}
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L);
	/* verify: every id changed, one group, root cannot come back, no capability */
	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0 ||
	    ru != uid || eu != uid || su != uid || rg != gid ||
	    eg != gid || sg != gid || getgroups(2, groups) != 1 ||
	    groups[0] != gid || setuid(0) == 0 || seteuid(0) == 0 ||
	    caps_effective() != 0) {
		snprintf(msg, len, "becoming %.64s: the change did not hold", user);
		return -1;
	}
	return 0;
}

bool privdrop_debug(const char *tool)
{
	const char *v = getenv("VPN_DOCTOR_DEBUG_PRIVS");
	char line[256];
	FILE *fp;

	if (!v || !*v)
		return false;
	if ((fp = fopen("/proc/self/status", "r")) != NULL) {
		while (fgets(line, sizeof line, fp))
			if (strncmp(line, "Uid:", 4) == 0 || strncmp(line, "Gid:", 4) == 0 ||
			    strncmp(line, "Groups:", 7) == 0 || strncmp(line, "CapEff:", 7) == 0 ||
			    strncmp(line, "NoNewPrivs:", 11) == 0)
				fprintf(stderr, "%s: privileges: %s", tool, line);
		fclose(fp);
	}
	return strcmp(v, "exit") == 0;
}

static char deadline_msg[160];
static size_t deadline_len;

static void on_deadline(int sig)
{
	(void)sig;
	if (write(STDERR_FILENO, deadline_msg, deadline_len) < 0) {
		/* nothing more can be done */
	}
	_exit(DIAG_EXIT_UNAVAILABLE);
}

void deadline_arm(const char *tool, unsigned seconds)
{
	struct sigaction sa;
	int n = snprintf(deadline_msg, sizeof deadline_msg,
			 "%s: --deadline: the run took longer than %u s; stopped\n", tool, seconds);

	deadline_len = n > 0 && (size_t)n < sizeof deadline_msg ? (size_t)n : 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_deadline;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}
