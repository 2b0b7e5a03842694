/* vpn-doctor with no inputs, as it is started in a debug pod: use what the environment
 * offers (AWS credentials and a region mean --live is possible) and say on stderr what
 * would make the report fuller. Nothing here sends a packet. */
#include <stdio.h>
#include <stdlib.h>

#include "cmd/doctor.h"

void doctor_discover(struct doctor_cmd *c)
{
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
	if (getenv("KUBERNETES_SERVICE_HOST"))
		fprintf(stderr, "vpn-doctor: in a Kubernetes pod: add --targets CIDR:22,6443 to "
				"probe the cluster's nodes across the tunnel\n");
	fprintf(stderr, "vpn-doctor: for a fuller report add --config FILE (the customer "
			"gateway's configuration), --vpn-logs FILE, --cgw-ip/--peer\n");
}
