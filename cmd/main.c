/* One executable, many names: started as vpn-probe (a hard link or symlink) it is that
 * tool; started as vpn-doctor, its first argument may name the tool ("vpn-doctor probe"). */
#include <stdio.h>
#include <string.h>

#include "cmd/tools.h"
#include "libdiag/exitcode.h"

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
	{"vpn-srcip", "srcip", vpn_srcip_main, "which source address AWS sees for the customer "
					       "gateway"},
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
	fprintf(fp, "usage: vpn-doctor TOOL [ARGS...]   (or run a tool by its own name)\n\n");
	for (size_t i = 0; i < sizeof tools / sizeof *tools; i++)
		fprintf(fp, "  %-8s %-10s %s\n", tools[i].verb, tools[i].name, tools[i].summary);
}

int main(int argc, char **argv)
{
	const char *self = argc > 0 ? base_name(argv[0]) : "vpn-doctor";

	for (size_t i = 0; i < sizeof tools / sizeof *tools; i++)
		if (strcmp(self, tools[i].name) == 0)
			return tools[i].main(argc, argv);
	if (strcmp(self, "vpn-doctor") != 0 && strncmp(self, "vpn-doctor", 10) != 0) {
		fprintf(stderr, "vpn-doctor: started as '%s', which is not a vpn-doctor tool\n", self);
		return DIAG_EXIT_USAGE;
	}
	if (argc < 2) {
		list_tools(stderr);
		return DIAG_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		list_tools(stdout);
		return DIAG_EXIT_PASS;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("vpn-doctor %s\n", VPN_DOCTOR_VERSION);
		return DIAG_EXIT_PASS;
	}
	for (size_t i = 0; i < sizeof tools / sizeof *tools; i++) {
		if (strcmp(argv[1], tools[i].verb) == 0 || strcmp(argv[1], tools[i].name) == 0) {
			argv[1] = (char *)tools[i].name;
			return tools[i].main(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "vpn-doctor: %s: unknown tool (try vpn-doctor --help)\n", argv[1]);
	return DIAG_EXIT_USAGE;
}
#endif
