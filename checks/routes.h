/* routes.*: route propagation, shadowed routes, blackholes, overlap and the default route
 * of the VPC side (see routes.c). */
#ifndef CHECKS_ROUTES_H
#define CHECKS_ROUTES_H

#include "checks/check.h"

extern const struct check check_routes;

#endif
