/* Shared source-address options: see srcip_cli.h. */
#include "cmd/srcip_cli.h"

#include <stdint.h>

#include "cmd/cli.h"

int srcip_cli_option(struct srcip_opts *so, const char *tool, const char *flag, int opt,
		     const char *arg)
{
	uint64_t n;
	int rc;

	switch (opt) {
	case SRCIP_CLI_CGW: so->cgw_ip = arg; return 0;
	case SRCIP_CLI_PEER:
		if (so->npeers == SRCIP_MAX_PEERS)
			return cli_usage_error(tool, "%s: at most %d", flag, SRCIP_MAX_PEERS);
		so->peers[so->npeers++] = arg;
		return 0;
	case SRCIP_CLI_PUBLIC_IP: so->public_ip = arg; return 0;
	case SRCIP_CLI_ECHO: so->echo_url = arg; return 0;
	case SRCIP_CLI_NO_ECHO: so->no_echo = true; return 0;
	case SRCIP_CLI_CAPTURE: so->capture_iface = arg; return 0;
	case SRCIP_CLI_SECONDS:
		if ((rc = cli_integer(tool, flag, arg, 1, 600, "seconds", &n)) != 0)
			return rc;
		so->capture_seconds = (unsigned)n;
		return 0;
	case SRCIP_CLI_PCAP: so->pcap_file = arg; return 0;
	case SRCIP_CLI_NO_IKE: so->no_ike = true; return 0;
	}
	return cli_usage_error(tool, "%s: unhandled option", flag);
}
