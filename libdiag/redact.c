#include "libdiag/redact.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const secret_words[] = {
	"psk", "secret", "password", "passwd", "passphrase", "token", "key",
};

static bool in_list(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof secret_words / sizeof *secret_words; i++)
		if (strlen(secret_words[i]) == n && strncasecmp(w, secret_words[i], n) == 0)
			return true;
	return false;
}

/* A plural counts too: "preshared_keys" holds secrets as surely as "preshared_key". */
static bool is_secret_word(const char *w, size_t n)
{
	return in_list(w, n) ||
	       (n > 1 && (w[n - 1] == 's' || w[n - 1] == 'S') && in_list(w, n - 1));
}

/* Length of the word starting at s (letters only). A word ends before an upper-case
 * letter that follows a lower-case one ("preShared"), and before the last capital of an
 * acronym that runs into a lower-case word ("PSKValue" is PSK + Value), though not into a
 * lone plural 's' ("PSKs" is one word). */
static size_t word_len(const char *s)
{
	size_t n = 1;

	while (isalpha((unsigned char)s[n])) {
		bool up = isupper((unsigned char)s[n]);
		bool prev_up = isupper((unsigned char)s[n - 1]);

		if (up && !prev_up)
			break;
		if (up && prev_up && islower((unsigned char)s[n + 1]) &&
		    islower((unsigned char)s[n + 2]))
			break;
		n++;
	}
	return n;
}

bool redact_key_is_secret(const char *key)
{
	const char *p = key;

	if (!key)
		return false;
	while (*p) {
		size_t n;

		if (!isalpha((unsigned char)*p)) {
			p++;
			continue;
		}
		n = word_len(p);
		if (is_secret_word(p, n))
			return true;
		p += n;
	}
	return false;
}

/* Adds item under key (or to the array when key is NULL); frees item on failure. */
static bool add_child(cJSON *parent, const char *key, cJSON *item)
{
	bool ok;

	if (!item)
		return false;
	ok = key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item);
	if (!ok)
		cJSON_Delete(item);
	return ok;
}

cJSON *redact_copy(const cJSON *v)
{
	cJSON *out;
	const cJSON *c;

	if (!v)
		return NULL;
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return cJSON_Duplicate(v, false);
	out = cJSON_IsObject(v) ? cJSON_CreateObject() : cJSON_CreateArray();
	if (!out)
		return NULL;
	cJSON_ArrayForEach(c, v) {
		const char *key = cJSON_IsObject(v) ? c->string : NULL;
		cJSON *copy;

		if (cJSON_IsObject(v) && !key)
			continue; /* a hand-built object without a key: nothing to name it by */
		copy = key && redact_key_is_secret(key) ? cJSON_CreateString(REDACTED)
							: redact_copy(c);
		if (!add_child(out, key, copy)) {
			cJSON_Delete(out);
			return NULL;
		}
	}
	return out;
}
