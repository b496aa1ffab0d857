/* arena.h -- one region of memory per replication, freed in one call.
 *
 * Everything a replication creates that lives to its end comes from its arena, so tearing
 * a world down is one cs_arena_free() and nothing can leak between replications. Memory
 * is handed out in bump order from chunks; nothing is freed individually.
 *
 * Built with -DCS_ARENA_DEBUG=ON, every allocation is its own malloc (kept on a list and
 * freed with the arena), so AddressSanitizer and valgrind see overruns the chunks would hide.
 */
#ifndef CLUSTERSIM_ARENA_H
#define CLUSTERSIM_ARENA_H

#include "clustersim/common.h"

typedef struct cs_arena cs_arena;

/* Returns a new empty arena, or NULL when out of memory. */
cs_arena *cs_arena_new(void);
/* Frees the arena and everything allocated from it. NULL is allowed. */
void cs_arena_free(cs_arena *a);
/* Returns size bytes, zeroed, aligned to 16, owned by the arena; NULL when out of memory. */
void *cs_arena_alloc(cs_arena *a, size_t size);
/* Returns a zeroed array of n elements of size each, or NULL on overflow or out of memory. */
void *cs_arena_calloc(cs_arena *a, size_t n, size_t size);
/* Copies a NUL-terminated string into the arena; NULL when out of memory. */
char *cs_arena_strdup(cs_arena *a, const char *s);
/* Bytes handed out so far (for reports of memory use per replication). */
size_t cs_arena_used(const cs_arena *a);

#define cs_arena_new_of(a, type) ((type *)cs_arena_alloc((a), sizeof(type)))

/* Test hook: when n > 0, the n-th allocation from now on (counting every arena and malloc
 * made through cs_xmalloc) fails, so tests can check that every failure path is clean.
 * 0 turns it off. Not thread-safe: tests only. */
void cs_alloc_fail_after(long n);
/* malloc/realloc that honour cs_alloc_fail_after(). */
void *cs_xmalloc(size_t size);
void *cs_xrealloc(void *p, size_t size);
/* posix_memalign that honours cs_alloc_fail_after(); align is a power of two >= sizeof(void *). */
void *cs_xaligned(size_t align, size_t size);

#endif
