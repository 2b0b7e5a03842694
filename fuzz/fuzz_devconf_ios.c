/* libFuzzer target for devconf_parse with the format fixed to Cisco IOS / IOS-XE: the
 * same checks as fuzz_devconf_asa.c, which it reuses with another format. */
#define FUZZ_FORMAT DEVCONF_CISCO_IOS
#include "fuzz/fuzz_devconf_asa.c"
