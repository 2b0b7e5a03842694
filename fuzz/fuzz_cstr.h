/* The fuzz input as a NUL-terminated string, for parsers that take C strings. */
#ifndef FUZZ_CSTR_H
#define FUZZ_CSTR_H

#include <stdlib.h>
#include <string.h>

static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif
