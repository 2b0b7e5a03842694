/* libFuzzer target for aws_cgw_config_parse. Success yields a config whose tunnels all
 * sit in the arena with numbers either absent or in range; failure names a place built
 * only from element names the parser knows (or SOURCE:LINE:COL) and a fixed message, so
 * no value from the document (a pre-shared key) can reach an error. Inputs whose size is
 * a multiple of 7 run with a small arena to walk the out-of-memory paths. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/aws/cgw_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_num(long v, long max)
{
	check(v == AWS_ABSENT || (v >= 0 && v <= max));
}

static void check_tunnel(const struct aws_cgw_tunnel *t)
{
	check_num(t->inside_prefix_len, 128);
	check_num(t->ike_lifetime_s, 2147483647L);
	check_num(t->ike_dh_group, 65535);
	check_num(t->ipsec_lifetime_s, 2147483647L);
	check_num(t->ipsec_pfs_group, 65535);
	check_num(t->dpd_delay_s, 2147483647L);
	check_num(t->dpd_retries, 2147483647L);
	check_num(t->tcp_mss_adjustment, 65535);
	check(t->clear_df_bit == AWS_ABSENT || t->clear_df_bit == 0 || t->clear_df_bit == 1);
	check_num(t->cgw_bgp_asn, 4294967295L);
	check_num(t->vgw_bgp_asn, 4294967295L);
	check_num(t->bgp_hold_time, 65535);
	/* strings are either absent or non-empty (an empty element counts as absent) */
	check(!t->pre_shared_key || t->pre_shared_key[0]);
	check(!t->cgw_outside_ip || t->cgw_outside_ip[0]);
}

static bool path_chars(const char *s)
{
	return strspn(s, "abcdefghijklmnopqrstuvwxyz_/[]0123456789@") == strlen(s);
}

static void check_error(const struct diag_error *err)
{
	static const char *const whats[] = {
		"not a number",
		"out of range",
		"not a Diffie-Hellman group (groupN)",
		"not a boolean (true or false)",
		"appears more than once",
		"expected text, found child elements or attributes",
		"expected child elements, found text",
		"the root element is not vpn_connection",
		"out of memory",
	};
	bool known = strncmp(err->what, "XML error: ", 11) == 0;

	check(err->code == DIAG_EXIT_DATAERR || err->code == DIAG_EXIT_SOFTWARE);
	for (size_t i = 0; i < sizeof whats / sizeof whats[0]; i++)
		known |= strcmp(err->what, whats[i]) == 0;
	check(known);
	if (strncmp(err->where, "CustomerGatewayConfiguration", 28) == 0) {
		const char *w = err->where + 28;

		check(!*w || (*w == ':' && strspn(w, ":0123456789") == strlen(w)));
	} else {
		check(strncmp(err->where, "vpn_connection", 14) == 0 && path_chars(err->where));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct aws_cgw_config *cfg = NULL;
	struct diag_error err = {0};

	arena_init(&a, size % 7 == 0 ? 512 : 0);
	if (aws_cgw_config_parse(&a, (const char *)data, size, &cfg, &err) == 0) {
		check(cfg && err.code == 0);
		check(cfg->n_tunnels <= cfg->cap_tunnels);
		check(cfg->n_tunnels == 0 || cfg->tunnels);
		for (size_t i = 0; i < cfg->n_tunnels; i++)
			check_tunnel(&cfg->tunnels[i]);
	} else {
		check(cfg == NULL);
		check_error(&err);
	}
	arena_free(&a);
	return 0;
}
