/* vpn-doctor with no inputs, as it is started in a debug pod: use what the environment
 * offers (AWS credentials and a region mean --live is possible) and say on stderr what
 * would make the report fuller. Nothing here sends a packet. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/doctor.h"

/* The IPv4 default route from /proc/net/route (no ip(8) in a pod): "via GW dev IF". */
static bool default_route(char *out, size_t len)
{
	FILE *fp = fopen("/proc/net/route", "r");
	char line[256], ifname[64];
	unsigned dest, gw, flags;
	bool found = false;

	if (!fp)
		return false;
	while (!found && fgets(line, sizeof line, fp))
		if (sscanf(line, "%63s %x %x %x", ifname, &dest, &gw, &flags) == 4 && dest == 0 &&
		    (flags & 0x1)) {
			struct in_addr a = {.s_addr = gw};
			char g[INET_ADDRSTRLEN];

			snprintf(out, len, "via %s dev %s", inet_ntop(AF_INET, &a, g, sizeof g) ? g : "?",
				 ifname);
			found = true;
		}
	fclose(fp);
	return found;
}

void doctor_discover(struct doctor_cmd *c)
{
	char route[128];

	const char *region = getenv("AWS_REGION") ? getenv("AWS_REGION")
						  : getenv("AWS_DEFAULT_REGION");
	bool creds = (getenv("AWS_ACCESS_KEY_ID") && getenv("AWS_SECRET_ACCESS_KEY")) ||
		     getenv("AWS_WEB_IDENTITY_TOKEN_FILE") || getenv("AWS_PROFILE");

	fprintf(stderr, "vpn-doctor: no inputs given; looking at what this environment offers\n");
	if (creds && region) {
		fprintf(stderr, "vpn-doctor: AWS credentials and region %s found: reading EC2 "
				"(--live)\n", region);
		c->aws.live = true;
	} else {
		fprintf(stderr, "vpn-doctor: no AWS credentials%s in the environment: give "
				"--aws-dir DIR with describe-* outputs, or --live with credentials\n",
			region ? "" : " or region");
	}
	if (default_route(route, sizeof route))
		fprintf(stderr, "vpn-doctor: default route %s: the source-address check would send "
				"from there (add --peer with the tunnels' outside addresses)\n", route);
	else
		fprintf(stderr, "vpn-doctor: no IPv4 default route: this host may not reach AWS at "
				"all\n");
	if (getenv("KUBERNETES_SERVICE_HOST"))
		fprintf(stderr, "vpn-doctor: in a Kubernetes pod: add --targets CIDR:22,6443 to "
				"probe the cluster's nodes across the tunnel\n");
	fprintf(stderr, "vpn-doctor: for a fuller report add --config FILE (the customer "
			"gateway's configuration), --vpn-logs FILE, --cgw-ip/--peer\n");
}
