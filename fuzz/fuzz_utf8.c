/* libFuzzer target for the UTF-8 repair of JSON and Markdown output (libdiag/utf8.h).
 * Promises checked, for any bytes:
 *   - utf8_seq_len agrees with a reference decoder written the other way round (count the
 *     lead byte's ones, decode the code point, then reject overlong forms, surrogates and
 *     values above U+10FFFF);
 *   - the repaired text is valid UTF-8, valid input comes back unchanged, and each invalid
 *     byte costs exactly "\xNN";
 *   - a JSON tree holding the input as a key and as a value prints (json_print_utf8) to
 *     text that is valid UTF-8 and that cJSON parses back to the repaired strings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz_cstr.h"
#include "libdiag/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

/* The reference: the length of the well-formed sequence at p, or 0. */
static size_t reference_len(const unsigned char *p, size_t n)
{
	static const uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
	size_t len = 0;
	uint32_t cp;

	while (len < 8 && (p[0] << len & 0x80))
		len++;
	if (len == 0)
		return n ? 1 : 0;
	if (len == 1 || len > 4 || n < len)
		return 0;
	cp = p[0] & (0x7fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min_for_len[len] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *out, *printed;
	size_t n, bad = 0, k;
	cJSON *tree, *back;

	if (!s)
		return 0;
	n = strlen(s); /* up to the first NUL, as every C string we print */
	for (size_t i = 0; i < n; i += k ? k : 1) {
		k = utf8_seq_len((const unsigned char *)s + i, n - i);
		check(k == reference_len((const unsigned char *)s + i, n - i));
		bad += k == 0;
	}
	out = utf8_escape_invalid(s);
	if (out) {
		check(utf8_valid(out));
		check(strlen(out) == n + 3 * bad);
		check(utf8_valid(s) == (bad == 0));
		if (bad == 0)
			check(strcmp(out, s) == 0);
	}
	tree = cJSON_CreateObject();
	if (tree && cJSON_AddStringToObject(tree, s, s) &&
	    (printed = json_print_utf8(tree, false)) != NULL) {
		check(utf8_valid(printed));
		back = cJSON_Parse(printed);
		check(back != NULL);
		if (out) {
			cJSON *v = cJSON_GetObjectItemCaseSensitive(back, out);

			check(cJSON_IsString(v) && strcmp(v->valuestring, out) == 0);
		}
		cJSON_Delete(back);
		cJSON_free(printed);
	}
	cJSON_Delete(tree);
	free(out);
	free(s);
	return 0;
}
