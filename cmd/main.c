/* One executable, many names: started as vpn-probe (a hard link or symlink) it is that
 * tool; started as vpn-doctor, its first argument may name the tool ("vpn-doctor probe"). */
#include <stdio.h>
#include <string.h>

#include "cmd/tools.h"
#include "libdiag/exitcode.h"

#ifndef SINGLE_TOOL
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <expat.h>
#include <gnu/libc-version.h>
#include <openssl/crypto.h>
#include <pcap/pcap.h>
#ifdef VPN_DOCTOR_STATIC
#include "static/static.h"
#endif

/* Weak: no tool calls libnet yet, so --as-needed (dynamic) or the archive (static) may
 * leave it out, and --version says so instead of linking it in for one string. */
const char *libnet_version(void) __attribute__((weak));
/* Weak as well: zlib is linked only while some code (the evidence bundle) calls it. */
const char *zlibVersion(void) __attribute__((weak));
#endif

#ifdef SINGLE_TOOL
/* One tool linked on its own (see the Makefile): nothing else is pulled in. */
int main(int argc, char **argv)
{
	return SINGLE_TOOL(argc, argv);
}
#else

struct tool {
	const char *name;  /* as installed */
	const char *verb;  /* as a vpn-doctor subcommand */
	int (*main)(int argc, char **argv);
	const char *summary;
};

static const struct tool tools[] = {
	{"vpn-probe", "probe", vpn_probe_main, "nc-compatible TCP/UDP/ICMP prober and sweeper"},
	{"vpn-aws", "aws", vpn_aws_main, "read the AWS side (describe-* JSON, or live) into one model"},
	{"vpn-logs", "logs", vpn_logs_main, "classify Site-to-Site VPN tunnel log events"},
	{"vpn-ike", "ike", vpn_ike_main, "probe an IKE responder: which proposals it accepts"},
	{"vpn-mtu", "mtu", vpn_mtu_main, "path MTU across the tunnel and the TCP MSS clamp it "
					 "needs"},
	{"vpn-srcip", "srcip", vpn_srcip_main, "which source address AWS sees for the customer "
					       "gateway"},
	{"vpn-policy", "policy", vpn_policy_main, "policy-based VPNs: more than one SA pair per tunnel"},
	{"vpn-routes", "routes", vpn_routes_main, "route propagation, shadowed routes and tunnel "
						  "health from the AWS side"},
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void list_tools(FILE *fp)
{
	fprintf(fp, "usage: vpn-doctor TOOL [ARGS...]   (or run a tool by its own name)\n"
		    "       vpn-doctor --install-links DIR\n\n");
	for (size_t i = 0; i < sizeof tools / sizeof *tools; i++)
		fprintf(fp, "  %-8s %-10s %s\n", tools[i].verb, tools[i].name, tools[i].summary);
	fprintf(fp, "\n  %-26s %s\n", "    --install-links DIR",
		"make DIR/vpn-probe, ... symlinks to this executable");
}

/* --version: ours, then the run-time version of every library linked in. */
static void print_versions(void)
{
	const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);

#ifdef VPN_DOCTOR_STATIC
	printf("vpn-doctor %s (static)\n", VPN_DOCTOR_VERSION);
#else
	printf("vpn-doctor %s\n", VPN_DOCTOR_VERSION);
#endif
	printf("  libcurl   %s (%s)\n", cv->version, cv->ssl_version ? cv->ssl_version : "no TLS");
	printf("  OpenSSL   %s\n", OpenSSL_version(OPENSSL_VERSION));
	printf("  libpcap   %s\n", pcap_lib_version());
	printf("  libnet    %s\n", libnet_version ? libnet_version() : "not linked: no tool uses it");
	printf("  cJSON     %s\n", cJSON_Version());
	printf("  expat     %s\n", XML_ExpatVersion());
	printf("  zlib      %s\n", zlibVersion ? zlibVersion() : "not linked: no tool uses it");
	printf("  glibc     %s\n", gnu_get_libc_version());
#ifdef VPN_DOCTOR_STATIC
	static_print_versions(stdout);
#endif
}

/* The path this executable was started from, for the links' target: NULL if unknown. */
static const char *self_path(const char *argv0, char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n > 0) {
		buf[n] = '\0';
		return buf;
	}
	if (strchr(argv0, '/') && realpath(argv0, buf))
		return buf;
	return NULL;
}

/* --install-links DIR: a symlink DIR/NAME for each tool name (and vpn-doctor). A link
 * in the executable's own directory is relative, so the directory can be moved. An
 * existing symlink is replaced; any other file of that name is left alone. Returns 0, or
 * 71 (DIAG_EXIT_OSERR) when a link could not be made. */
static int install_links(const char *argv0, const char *dir)
{
	char self[PATH_MAX], real_dir[PATH_MAX], path[PATH_MAX];
	const char *target;
	struct stat st;
	int rc = DIAG_EXIT_PASS;

	if (!self_path(argv0, self, sizeof self)) {
		fprintf(stderr, "vpn-doctor: --install-links: cannot tell where this executable is\n");
		return DIAG_EXIT_OSERR;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "vpn-doctor: %s: %s\n", dir, strerror(errno));
		return DIAG_EXIT_OSERR;
	}
	if (!realpath(dir, real_dir)) {
		fprintf(stderr, "vpn-doctor: %s: %s\n", dir, strerror(errno));
		return DIAG_EXIT_OSERR;
	}
	target = self;
	if (strncmp(self, real_dir, strlen(real_dir)) == 0 && self[strlen(real_dir)] == '/' &&
	    !strchr(self + strlen(real_dir) + 1, '/'))
		target = self + strlen(real_dir) + 1;
	for (size_t i = 0; i <= sizeof tools / sizeof *tools; i++) {
		const char *name = i < sizeof tools / sizeof *tools ? tools[i].name : "vpn-doctor";

		if (snprintf(path, sizeof path, "%s/%s", real_dir, name) >= (int)sizeof path)
			continue;
		if (strcmp(path, self) == 0)
			continue;
		if (lstat(path, &st) == 0) {
			if (!S_ISLNK(st.st_mode)) {
				fprintf(stderr, "vpn-doctor: %s exists and is not a link; left alone\n",
					path);
				rc = DIAG_EXIT_OSERR;
				continue;
			}
			unlink(path);
		}
		if (symlink(target, path) != 0) {
			fprintf(stderr, "vpn-doctor: %s: %s\n", path, strerror(errno));
			rc = DIAG_EXIT_OSERR;
			continue;
		}
		printf("%s -> %s\n", path, target);
	}
	return rc;
}

/* Runs a tool's main; the static build first finds a CA bundle (static/static.h). */
static int run_main(int (*tool_main)(int argc, char **argv), int argc, char **argv)
{
#ifdef VPN_DOCTOR_STATIC
	int rc;

	static_ca_setup();
	rc = tool_main(argc, argv);
	static_ca_hint(stderr, rc);
	return rc;
#else
	return tool_main(argc, argv);
#endif
}

int main(int argc, char **argv)
{
	const char *self = argc > 0 ? base_name(argv[0]) : "vpn-doctor";

	for (size_t i = 0; i < sizeof tools / sizeof *tools; i++)
		if (strcmp(self, tools[i].name) == 0)
			return run_main(tools[i].main, argc, argv);
	if (strcmp(self, "vpn-doctor") != 0 && strncmp(self, "vpn-doctor", 10) != 0) {
		fprintf(stderr, "vpn-doctor: started as '%s', which is not a vpn-doctor tool\n", self);
		return DIAG_EXIT_USAGE;
	}
	/* no arguments: vpn-doctor itself, discovering what it can (a debug pod) */
	if (argc < 2)
		return run_main(vpn_doctor_main, argc, argv);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		list_tools(stdout);
		putchar('\n');
		return run_main(vpn_doctor_main, argc, argv);
	}
	if (strcmp(argv[1], "--version") == 0) {
		print_versions();
		return DIAG_EXIT_PASS;
	}
	if (strcmp(argv[1], "--install-links") == 0) {
		if (argc != 3) {
			fprintf(stderr, "usage: vpn-doctor --install-links DIR\n");
			return DIAG_EXIT_USAGE;
		}
		return install_links(argv[0], argv[2]);
	}
	for (size_t i = 0; i < sizeof tools / sizeof *tools; i++) {
		if (strcmp(argv[1], tools[i].verb) == 0 || strcmp(argv[1], tools[i].name) == 0) {
			argv[1] = (char *)tools[i].name;
			return run_main(tools[i].main, argc - 1, argv + 1);
		}
	}
	if (argv[1][0] == '-') /* vpn-doctor's own options: run every check */
		return run_main(vpn_doctor_main, argc, argv);
	fprintf(stderr, "vpn-doctor: %s: unknown tool (try vpn-doctor --help)\n", argv[1]);
	return DIAG_EXIT_USAGE;
}
#endif
