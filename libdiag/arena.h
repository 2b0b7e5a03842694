/* A bump allocator for models that live and die together (the AWS model, a parsed device
 * configuration): one free for everything, and the memory is wiped on free because such
 * models hold pre-shared keys. */
#ifndef LIBDIAG_ARENA_H
#define LIBDIAG_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t total;     /* bytes handed out */
	size_t limit;     /* 0: no limit; otherwise allocations past it fail */
};

void arena_init(struct arena *a, size_t limit);
/* Zeroed memory, 16-byte aligned; NULL when out of memory or past the limit. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Grows an array held in the arena to room for at least want elements (doubling); the old
 * block is abandoned, not freed. Returns the (possibly new) array or NULL. */
void *arena_grow(struct arena *a, void *array, size_t elem, size_t *cap, size_t want);
/* Wipes (OPENSSL_cleanse) and frees every chunk. */
void arena_free(struct arena *a);

/* Appends one zeroed element to an arena array `arr` with count `n` and capacity `cap`;
 * evaluates to a pointer to it, or NULL on OOM. */
#define ARENA_PUSH(a, arr, n, cap)                                                          \
	(((arr) = arena_grow((a), (arr), sizeof *(arr), &(cap), (n) + 1)) ? &(arr)[(n)++] : NULL)

#endif
