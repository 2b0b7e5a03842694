/* libFuzzer target for AWS's Generic configuration text as a device configuration
 * (devconf_parse_aws_generic), through the IKE prediction. See fuzz_devconf_aws.h. */
#include "fuzz/fuzz_devconf_aws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_devconf_one(data, size, DEVCONF_AWS_GENERIC);
	return 0;
}
