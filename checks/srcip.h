/* srcip.*: the source address AWS sees for the customer gateway (see srcip.c). */
#ifndef CHECKS_SRCIP_H
#define CHECKS_SRCIP_H

#include "checks/check.h"

int srcip_check_run(const struct check_ctx *ctx, struct report *rep);

extern const struct check check_srcip;

#endif
