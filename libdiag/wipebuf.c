/* The growable buffer that wipes what it lets go of: the why is in wipebuf.h. */
#include "libdiag/wipebuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#define WIPEBUF_FIRST 64 /* the first block; each later one doubles */

/* Moves the contents to a new block of at least need bytes and at most limit (need <=
 * limit), wiping the old one: never realloc, which would free a copy unwiped. -1 when out
 * of memory, b unchanged then. */
static int grow(struct wipebuf *b, size_t need, size_t limit)
{
	size_t cap = b->cap ? b->cap : WIPEBUF_FIRST;
	char *np;

	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > limit)
		cap = limit;
	np = malloc(cap);
	if (!np)
		return -1;
	if (b->p) {
		memcpy(np, b->p, b->len);
		OPENSSL_cleanse(b->p, b->cap);
		free(b->p);
	}
	b->p = np;
	b->cap = cap;
	return 0;
}

int wipebuf_add(struct wipebuf *b, const void *data, size_t n)
{
	/* Without a cap, SIZE_MAX - 1 still keeps len + n + 1 from wrapping. */
	size_t max = b->max && b->max < SIZE_MAX - 1 ? b->max : SIZE_MAX - 1;

	if (b->failed || b->len > max || n > max - b->len ||
	    (n >= b->cap - b->len && grow(b, b->len + n + 1, max + 1) < 0)) {
		b->failed = true;
		return -1;
	}
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

char *wipebuf_take(struct wipebuf *b, size_t *len)
{
	char *p = b->p;

	if (!p && !(p = calloc(1, 1)))
		return NULL;
	if (len)
		*len = b->len;
	memset(b, 0, sizeof *b);
	return p;
}

void wipebuf_free(struct wipebuf *b)
{
	if (b->p) {
		OPENSSL_cleanse(b->p, b->cap);
		free(b->p);
	}
	memset(b, 0, sizeof *b);
}
