#include "libdiag/aws/model.h"

#include <string.h>

void aws_model_init(struct aws_model *m, size_t limit)
{
	memset(m, 0, sizeof *m);
	arena_init(&m->arena, limit);
}

void aws_model_free(struct aws_model *m)
{
	arena_free(&m->arena);
	memset(m, 0, sizeof *m);
}

#define FIND(arr, n)                                                                        \
	do {                                                                                \
		for (size_t i_ = 0; id && i_ < (n); i_++)                                   \
			if ((arr)[i_].id && strcmp((arr)[i_].id, id) == 0)                  \
				return &(arr)[i_];                                          \
		return NULL;                                                                \
	} while (0)

const struct aws_vpn_connection *aws_find_vpn_connection(const struct aws_model *m,
							 const char *id)
{
	FIND(m->vpn_connections, m->n_vpn_connections);
}

const struct aws_customer_gateway *aws_find_customer_gateway(const struct aws_model *m,
							     const char *id)
{
	FIND(m->customer_gateways, m->n_customer_gateways);
}

const struct aws_vpn_gateway *aws_find_vpn_gateway(const struct aws_model *m, const char *id)
{
	FIND(m->vpn_gateways, m->n_vpn_gateways);
}

const struct aws_vpc *aws_find_vpc(const struct aws_model *m, const char *id)
{
	FIND(m->vpcs, m->n_vpcs);
}
