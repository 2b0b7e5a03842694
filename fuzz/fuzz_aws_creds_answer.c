/* libFuzzer target for the two answers the credentials chain parses: STS
 * AssumeRoleWithWebIdentity XML (success and ErrorResponse) and the IMDS
 * security-credentials JSON. The first byte picks the parser (and, for STS, the HTTP
 * status); the rest is the answer. Checks: 1 means every credential field is set and
 * NUL-terminated inside its buffer, -1 means an error with a code and the output wiped;
 * an error never quotes the token the request carried. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/aws/creds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_TOKEN "eyJhbGciOiJSUzI1NiJ9.fuzz-web-identity-token"

static void check(int ok)
{
	if (!ok)
		abort();
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aws_creds c;
	struct diag_error err = {0};
	int rc;

	if (size < 1)
		return 0;
	memset(&c, 0x5a, sizeof c);
	if (data[0] & 1) {
		rc = aws_creds_parse_imds((const char *)data + 1, size - 1, &c, &err);
	} else {
		static const long status[] = {200, 400, 403, 500};

		rc = aws_creds_parse_sts((const char *)data + 1, size - 1, status[(data[0] >> 1) & 3],
					 FUZZ_TOKEN, NULL, &c, &err);
	}
	check(rc == 1 || rc == -1);
	if (rc == 1) {
		check(err.code == 0);
		check(memchr(c.access_key_id, 0, sizeof c.access_key_id) && c.access_key_id[0]);
		check(memchr(c.secret_access_key, 0, sizeof c.secret_access_key) &&
		      c.secret_access_key[0]);
		check(memchr(c.session_token, 0, sizeof c.session_token) && c.session_token[0]);
		check(memchr(c.source, 0, sizeof c.source) && c.source[0]);
	} else {
		check(err.code != 0);
		check(all_zero(&c, sizeof c));
		check(!strstr(err.what, FUZZ_TOKEN) && !strstr(err.where, FUZZ_TOKEN));
	}
	aws_creds_clear(&c);
	return 0;
}
