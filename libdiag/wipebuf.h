/* A growable byte buffer that wipes what it lets go of.
 *
 * The SigV4 signer builds canonical requests holding the session token, the XML reader
 * gathers element text holding pre-shared keys and credentials, and the HTTP client
 * collects answer bodies that may carry either. realloc or a plain free would leave copies
 * of them in freed heap blocks, so every block this buffer drops, on growth or on free, is
 * wiped (OPENSSL_cleanse) first. curl's dynbuf is the model: one append call, an optional
 * size cap, and the contents always NUL-terminated so they can be read as a string.
 *
 * A buffer that is all zeroes is empty, has no cap, and allocates nothing until the first
 * add. The first failed add is remembered (like struct cursor's): every later add fails
 * too, so a writer appends a whole text and checks `failed` once. */
#ifndef LIBDIAG_WIPEBUF_H
#define LIBDIAG_WIPEBUF_H

#include <stdbool.h>
#include <stddef.h>

struct wipebuf {
	char *p;      /* NULL until the first add, then NUL-terminated */
	size_t len;   /* bytes held, the NUL not counted */
	size_t cap;   /* bytes allocated at p */
	size_t max;   /* most bytes len may reach; 0: no cap */
	bool failed;  /* an add failed; a writer may also set it to record its own failure */
};

/* Appends n bytes of data (which may hold NUL bytes) and keeps a NUL after them. Returns
 * 0, or -1 when the buffer already failed, when len would pass max, or when memory runs
 * out; on -1 the contents are as they were and `failed` is set. */
int wipebuf_add(struct wipebuf *b, const void *data, size_t n);

/* Hands the contents over as a malloc'd NUL-terminated string (an empty one when nothing
 * was added) that the caller wipes and frees, with its length in *len unless len is NULL;
 * b is left all zeroes. NULL when out of memory, b unchanged then. */
char *wipebuf_take(struct wipebuf *b, size_t *len);

/* Wipes and frees the contents and leaves b all zeroes (max too). */
void wipebuf_free(struct wipebuf *b);

#endif
