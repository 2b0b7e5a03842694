/* libFuzzer target for devconf_parse with the format fixed to fortios (detection is not
 * involved): see fuzz_devconf.h. */
#include "fuzz/fuzz_devconf.h"

FUZZ_DEVCONF_TARGET(DEVCONF_FORTIOS)
