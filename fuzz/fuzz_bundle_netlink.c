/* libFuzzer target for the support bundle's NETLINK_ROUTE decoder (env/routes.txt and
 * env/rules.txt): any bytes as a dump of routes and rules. Promises: no crash or read past
 * the input, a text (or NULL only for memory) made of printable lines, each ending in a
 * newline, and at most a bounded number of lines per message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/bundle/bundle_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	char *text;
	size_t lines = 0, n;

	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size); /* exactly size bytes: ASan sees any read past them */
	text = bundle_nl_text(copy, size);
	if (text) {
		n = strlen(text);
		check(n == 0 || text[n - 1] == '\n');
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)text[i];

			check(c == '\n' || (c >= 0x20 && c < 0x7f));
			lines += c == '\n';
		}
		/* one line per 16-byte header at most, plus the line saying where it broke */
		check(lines <= size / 16 + 1);
		free(text);
	}
	free(copy);
	return 0;
}
