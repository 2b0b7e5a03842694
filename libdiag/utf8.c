/* UTF-8 validation and the "\xNN" repair (see utf8.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/utf8.h"

static bool cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t utf8_seq_len(const unsigned char *p, size_t n)
{
	unsigned char c;

	if (n == 0)
		return 0;
	c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && cont(p[1]) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || !cont(p[1]) || !cont(p[2]))
			return 0;
		if ((c == 0xe0 && p[1] < 0xa0) || /* overlong */
		    (c == 0xed && p[1] > 0x9f))   /* UTF-16 surrogates */
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || !cont(p[1]) || !cont(p[2]) || !cont(p[3]))
			return 0;
		if ((c == 0xf0 && p[1] < 0x90) || /* overlong */
		    (c == 0xf4 && p[1] > 0x8f))   /* above U+10FFFF */
			return 0;
		return 4;
	}
	return 0; /* 0x80-0xc1 and 0xf5-0xff never start a sequence */
}

/* How many bytes the repaired copy of s needs, NUL excluded. */
static size_t repaired_len(const unsigned char *s, size_t n, size_t *bad)
{
	size_t out = 0, k;

	*bad = 0;
	for (size_t i = 0; i < n; i += k ? k : 1) {
		k = utf8_seq_len(s + i, n - i);
		out += k ? k : 4;
		*bad += !k;
	}
	return out;
}

bool utf8_valid(const char *s)
{
	size_t bad;

	repaired_len((const unsigned char *)s, strlen(s), &bad);
	return bad == 0;
}

/* Writes the repaired s into out (repaired_len + 1 bytes). */
static void repair_into(char *out, const unsigned char *s, size_t n)
{
	size_t k;

	for (size_t i = 0; i < n; i += k ? k : 1) {
		k = utf8_seq_len(s + i, n - i);
		if (k) {
			memcpy(out, s + i, k);
			out += k;
		} else {
			snprintf(out, 5, "\\x%02x", s[i]);
			out += 4;
		}
	}
	*out = '\0';
}

char *utf8_escape_invalid(const char *s)
{
	size_t n = strlen(s), bad, len = repaired_len((const unsigned char *)s, n, &bad);
	char *out = malloc(len + 1);

	if (out)
		repair_into(out, (const unsigned char *)s, n);
	return out;
}

/* s repaired into cJSON's allocator (keys are freed with cJSON_free); NULL when valid
 * (nothing to do) or, with *oom set, when memory ran out. */
static char *repaired_copy(const char *s, bool *oom)
{
	size_t n = strlen(s), bad, len = repaired_len((const unsigned char *)s, n, &bad);
	char *out;

	if (bad == 0)
		return NULL;
	if (!(out = cJSON_malloc(len + 1))) {
		*oom = true;
		return NULL;
	}
	repair_into(out, (const unsigned char *)s, n);
	return out;
}

/* Repairs one item's key and value, then its children. */
static void repair_item(cJSON *it, bool *oom)
{
	char *fixed;

	/* a constant key (cJSON_StringIsConst) is a literal of ours, always ASCII */
	if (it->string && !(it->type & cJSON_StringIsConst) &&
	    (fixed = repaired_copy(it->string, oom)) != NULL) {
		cJSON_free(it->string);
		it->string = fixed;
	}
	if (cJSON_IsString(it) && it->valuestring && !(it->type & cJSON_IsReference) &&
	    (fixed = repaired_copy(it->valuestring, oom)) != NULL) {
		cJSON_free(it->valuestring);
		it->valuestring = fixed;
	}
	for (cJSON *c = it->child; c && !*oom; c = c->next)
		repair_item(c, oom);
}

int json_utf8_repair(cJSON *tree)
{
	bool oom = false;

	if (tree)
		repair_item(tree, &oom);
	return oom ? -1 : 0;
}

char *json_print_utf8(cJSON *tree, bool formatted)
{
	if (json_utf8_repair(tree) < 0)
		return NULL;
	return formatted ? cJSON_Print(tree) : cJSON_PrintUnformatted(tree);
}
