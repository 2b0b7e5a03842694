/* libFuzzer target for the support bundle's one text redaction (redact_text). The input
 * is any text, redacted as a device configuration and as prose, with and without a
 * redactor that has learned part of it. Promises checked:
 *   - the output is NUL-terminated, out_len long and at most REDACT_TEXT_BOUND(len);
 *   - a marker planted after a secret keyword, on a line of its own before the input
 *     and after it, never survives, whatever the input around it holds (an unclosed
 *     quote, tag, PEM block or XML element, escaped JSON, NUL bytes);
 *   - a learned value never survives either;
 *   - input without a secret keyword or anything key-like comes back unchanged (the
 *     redaction only ever replaces, never rewrites). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/redact.h"

/* Does every copy of v in out overlap a "<redacted>"? */
static int copies_touch_marks(const char *out, size_t n, const char *v, size_t l)
{
	const size_t ml = sizeof REDACTED - 1;

	for (const char *p = out; (p = memmem(p, n - (size_t)(p - out), v, l)) != NULL; p++) {
		size_t at = (size_t)(p - out), from = at + 1 > ml ? at + 1 - ml : 0;
		int touched = 0;

		for (size_t q = from; q < at + l && q + ml <= n && !touched; q++)
			touched = memcmp(out + q, REDACTED, ml) == 0;
		if (!touched)
			return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MARKER "Zq7MarkerXv93Lk"
#define INPUT_MAX 65536

static void check(int ok)
{
	if (!ok)
		abort();
}

/* Keyword forms of every input kind; the marker follows each. */
static const struct {
	enum redact_kind kind;
	const char *before, *after;
} plants[] = {
	{REDACT_CONFIG, "secret = ", ""},
	{REDACT_CONFIG, "secret = \"", "\""},
	{REDACT_CONFIG, ": PSK \"", "\""},
	{REDACT_CONFIG, "crypto isakmp key 6 ", " address 52.1.2.3"},
	{REDACT_CONFIG, " ikev1 pre-shared-key ", ""},
	{REDACT_CONFIG, "set security ike policy p pre-shared-key ascii-text \"", "\""},
	{REDACT_CONFIG, "<pre-shared-key><key>", "</key></pre-shared-key>"},
	{REDACT_CONFIG, "    set psksecret ENC ", ""},
	{REDACT_PROSE, "{\"PreSharedKey\": \"", "\"}"},
	{REDACT_PROSE, "<pre_shared_key>", "</pre_shared_key>"},
	{REDACT_PROSE, "\"x\": \"\\u003cpre_shared_key\\u003e", "\\u003c/pre_shared_key\\u003e\""},
	{REDACT_PROSE, "&lt;pre_shared_key&gt;", "&lt;/pre_shared_key&gt;"},
	{REDACT_PROSE, "psk=", " in a log"},
	{REDACT_PROSE, "  - Pre-Shared Key           : ", ""},
	{REDACT_PROSE, "password: ", ""},
};

static int no_marker(const char *out, size_t n)
{
	return memmem(out, n, MARKER, sizeof MARKER - 1) == NULL;
}

/* The input between two planted lines. */
static void planted(const uint8_t *data, size_t size, unsigned pick)
{
	size_t np = sizeof plants / sizeof *plants, k = pick % np, len, n = 0;
	const char *b = plants[k].before, *a = plants[k].after;
	size_t bl = strlen(b), al = strlen(a), ml = sizeof MARKER - 1;
	size_t line = bl + ml + al + 1;
	char *t = malloc(2 * line + size + 2), *out;

	if (!t)
		return;
	len = 0;
	memcpy(t + len, b, bl), len += bl;
	memcpy(t + len, MARKER, ml), len += ml;
	memcpy(t + len, a, al), len += al;
	t[len++] = '\n';
	memcpy(t + len, data, size), len += size;
	t[len++] = '\n';
	memcpy(t + len, b, bl), len += bl;
	memcpy(t + len, MARKER, ml), len += ml;
	memcpy(t + len, a, al), len += al;
	t[len++] = '\n';
	out = redact_text(NULL, plants[k].kind, t, len, &n);
	if (out) {
		check(out[n] == '\0' && n <= REDACT_TEXT_BOUND(len));
		check(no_marker(out, n));
		free(out);
	}
	free(t);
}

static int plain_text(const uint8_t *data, size_t size)
{
	/* lower-case letters and spaces only, no keyword inside: nothing to hide */
	for (size_t i = 0; i < size; i++)
		if (!((data[i] >= 'a' && data[i] <= 'z') || data[i] == ' ' || data[i] == '\n'))
			return 0;
	return !memmem(data, size, "psk", 3) && !memmem(data, size, "secret", 6) &&
	       !memmem(data, size, "pass", 4) && !memmem(data, size, "token", 5) &&
	       !memmem(data, size, "key", 3) && !memmem(data, size, "pin", 3) &&
	       !memmem(data, size, "eap", 3) && !memmem(data, size, "ntlm", 4) &&
	       !memmem(data, size, "phash", 5);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redactor *r;
	char *out;
	size_t n = 0;

	if (size > INPUT_MAX)
		return 0;
	for (int kind = 0; kind < 2; kind++) {
		out = redact_text(NULL, kind ? REDACT_PROSE : REDACT_CONFIG, (const char *)data, size,
				  &n);
		if (!out)
			continue;
		check(out[n] == '\0' && n <= REDACT_TEXT_BOUND(size));
		if (plain_text(data, size))
			check(n == size && memcmp(out, data, size) == 0);
		free(out);
	}
	if (!memmem(data, size, MARKER, sizeof MARKER - 1) &&
	    !memmem(data, size, "Zq7", 3)) /* a marker split by the input is no marker */
		planted(data, size, size ? data[0] : 0);
	/* a learned value: the input's middle bytes, cut wherever they are */
	if ((r = redactor_new()) != NULL) {
		size_t a = size / 3, l = size / 3;

		if (l >= REDACT_LEARN_MIN && l <= 64 && !memchr(data + a, '\0', l) &&
		    redactor_learn(r, (const char *)data + a, l) == 0 &&
		    (out = redact_text(r, REDACT_PROSE, (const char *)data, size, &n)) != NULL) {
			check(n <= REDACT_TEXT_BOUND(size) && out[n] == '\0');
			/* every copy is cut, unless it runs into a "<redacted>" the keyword pass
			 * wrote (the learned pass never matches across one) */
			if (!memmem(data, size, "<redacted", 9))
				check(copies_touch_marks(out, n, (const char *)data + a, l));
			free(out);
		}
		redactor_free(r);
	}
	return 0;
}
