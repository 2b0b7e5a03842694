/* libFuzzer target for devconf_parse with the format fixed to ipsec.conf: strongSwan's
 * when the first byte is even, libreswan's when it is odd (one target, both dialects of
 * devconf_ipsec_conf.c). The checks are fuzz_devconf_swanctl.c's. */
#define FUZZ_PICK_FORMAT(data, size)                                                        \
	((size) && ((data)[0] & 1) ? DEVCONF_LIBRESWAN : DEVCONF_STRONGSWAN_IPSEC)
#include "fuzz/fuzz_devconf_swanctl.c"
