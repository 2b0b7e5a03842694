/* tunnel.* and vpn.state: tunnel health from the VPN connection's VgwTelemetry (see
 * tunnel_health.c). */
#ifndef CHECKS_TUNNEL_HEALTH_H
#define CHECKS_TUNNEL_HEALTH_H

#include "checks/check.h"

extern const struct check check_tunnel_health;

#endif
