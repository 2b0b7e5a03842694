/* The source-address options vpn-srcip and vpn-doctor share: the rows of their option
 * tables and the handler that fills struct srcip_opts, so both read them alike. */
#ifndef CMD_SRCIP_CLI_H
#define CMD_SRCIP_CLI_H

#include "checks/srcip_opts.h"

enum srcip_cli_opt {
	SRCIP_CLI_CGW, SRCIP_CLI_PEER, SRCIP_CLI_PUBLIC_IP, SRCIP_CLI_ECHO, SRCIP_CLI_NO_ECHO,
	SRCIP_CLI_CAPTURE, SRCIP_CLI_SECONDS, SRCIP_CLI_PCAP, SRCIP_CLI_NO_IKE, SRCIP_CLI_COUNT,
};

/* The option table rows, ids base + enum srcip_cli_opt. */
#define SRCIP_CLI_OPTS(base)                                                                 \
	{(base) + SRCIP_CLI_CGW, 0, "cgw-ip", "IP", "the registered customer gateway address " \
						    "(default: from the AWS evidence)"},       \
	{(base) + SRCIP_CLI_PEER, 0, "peer", "IP", "an AWS tunnel outside address "            \
						   "(repeatable; default: from the AWS "       \
						   "evidence)"},                               \
	{(base) + SRCIP_CLI_PUBLIC_IP, 0, "public-ip", "IP", "the public address the "          \
							     "gateway's traffic leaves with, " \
							     "when known"},                    \
	{(base) + SRCIP_CLI_ECHO, 0, "echo-url", "URL", "address echo service (default "       \
							"https://checkip.amazonaws.com)"},     \
	{(base) + SRCIP_CLI_NO_ECHO, 0, "no-echo", NULL, "do not ask an echo service"},         \
	{(base) + SRCIP_CLI_CAPTURE, 0, "capture", "IFACE", "capture IKE and ESP on IFACE "     \
							    "while probing (needs "            \
							    "CAP_NET_RAW)"},                   \
	{(base) + SRCIP_CLI_SECONDS, 0, "seconds", "N", "how long to capture (default 5)"},     \
	{(base) + SRCIP_CLI_PCAP, 0, "pcap", "FILE", "read a capture file instead"},            \
	{(base) + SRCIP_CLI_NO_IKE, 0, "no-ike", NULL, "send no IKE probe"}

/* Handles one of them (opt = id - base; flag is its name for errors). Returns 0 or an
 * exit status (64). */
int srcip_cli_option(struct srcip_opts *so, const char *tool, const char *flag, int opt,
		     const char *arg);

#endif
