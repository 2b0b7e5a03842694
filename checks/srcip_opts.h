/* What the srcip check is told (vpn-srcip's and vpn-doctor's flags fill it). */
#ifndef CHECKS_SRCIP_OPTS_H
#define CHECKS_SRCIP_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SRCIP_DEFAULT_ECHO "https://checkip.amazonaws.com"
#define SRCIP_MAX_PEERS 8

struct srcip_opts {
	const char *cgw_ip;              /* --cgw-ip; NULL: the AWS customer gateway's */
	const char *peers[SRCIP_MAX_PEERS]; /* --peer; none: the tunnels' outside addresses */
	size_t npeers;
	const char *echo_url;            /* --echo-url; NULL: SRCIP_DEFAULT_ECHO */
	bool no_echo;                    /* --no-echo */
	const char *public_ip;           /* --public-ip: the public address, when known */
	const char *cacert;              /* for an https echo URL */
	long echo_timeout_ms;
	const char *capture_iface;       /* --capture IFACE */
	unsigned capture_seconds;        /* --seconds; 0: 5 */
	const char *pcap_file;           /* --pcap FILE */
	const char *save_pcap;           /* --save-pcap FILE: keep the live capture */
	bool no_ike;                     /* --no-ike: no probe (evidence 4) */
	bool no_route;                   /* no look at this machine's routes (the demo) */
	const char *proposal;            /* --proposal for the probe; NULL: AWS's list */
	uint16_t ike_port;               /* 500 or 4500; 0: 500 */
	unsigned wait_ms[3];             /* probe retransmit waits; 0s: 1, 2, 4 s */
};

#endif
