#include "libdiag/redact.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const secret_words[] = {
	"psk", "secret", "password", "passwd", "passphrase", "token",
};

/* "key" alone is no secret (AWS tags are {"Key", "Value"}; IKE has key lengths), but a
 * shared, private or API key is. */
static const char *const key_qualifiers[] = {
	"shared", "preshared", "private", "api", "auth", "session", "signing",
};

static bool in_list(const char *const *list, size_t len, const char *w, size_t n)
{
	for (size_t i = 0; i < len; i++)
		if (strlen(list[i]) == n && strncasecmp(w, list[i], n) == 0)
			return true;
	return false;
}

/* A plural counts too: "preshared_keys" holds secrets as surely as "preshared_key". */
static bool word_is(const char *const *list, size_t len, const char *w, size_t n)
{
	return in_list(list, len, w, n) ||
	       (n > 1 && (w[n - 1] == 's' || w[n - 1] == 'S') && in_list(list, len, w, n - 1));
}

static bool is_secret_word(const char *w, size_t n, const char *prev, size_t prev_n)
{
	static const char *const key[] = {"key"};

	if (word_is(secret_words, sizeof secret_words / sizeof *secret_words, w, n))
		return true;
	return prev && word_is(key, 1, w, n) &&
	       in_list(key_qualifiers, sizeof key_qualifiers / sizeof *key_qualifiers, prev,
		       prev_n);
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
	const char *p = key, *prev = NULL;
	size_t prev_n = 0;

	if (!key)
		return false;
	while (*p) {
		size_t n;

		if (!isalpha((unsigned char)*p)) {
			p++;
			continue;
		}
		n = word_len(p);
		if (is_secret_word(p, n, prev, prev_n))
			return true;
		prev = p;
		prev_n = n;
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
