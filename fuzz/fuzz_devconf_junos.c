/* libFuzzer target for devconf_parse with the format fixed to junos (detection is not
 * involved): see fuzz_devconf.h. */
#include "fuzz/fuzz_devconf.h"

FUZZ_DEVCONF_TARGET(DEVCONF_JUNOS)
