/* arena.c -- bump allocation from chunks; one free for everything.
 *
 * Chunks grow geometrically (64 KiB doubling to 4 MiB) so a small world wastes little and a
 * large one makes few mallocs. A request larger than a chunk gets a chunk of its own.
 * With CS_ARENA_DEBUG every allocation is its own malloc on the chunk list, so
 * AddressSanitizer sees an overrun of any single object.
 */
#include "clustersim/arena.h"

#include <stdlib.h>
#include <string.h>

struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

struct cs_arena {
    struct chunk *head;
    size_t next_size;
    size_t used;
};

enum { FIRST_CHUNK = 64 * 1024, MAX_CHUNK = 4 * 1024 * 1024 };

static long fail_countdown;   /* tests only: see cs_alloc_fail_after() */

void cs_alloc_fail_after(long n)
{
    fail_countdown = n;
}

static bool injected_failure(void)
{
    if (fail_countdown <= 0)
        return false;
    return --fail_countdown == 0;
}

void *cs_xmalloc(size_t size)
{
    return injected_failure() ? NULL : malloc(size);
}

void *cs_xrealloc(void *p, size_t size)
{
    return injected_failure() ? NULL : realloc(p, size);
}

void *cs_xaligned(size_t align, size_t size)
{
    void *p = NULL;
    if (injected_failure() || posix_memalign(&p, align, size) != 0)
        return NULL;
    return p;
}

cs_arena *cs_arena_new(void)
{
    cs_arena *a = cs_xmalloc(sizeof *a);
    if (a == NULL)
        return NULL;
    a->head = NULL;
    a->next_size = FIRST_CHUNK;
    a->used = 0;
    return a;
}

void cs_arena_free(cs_arena *a)
{
    if (a == NULL)
        return;
    for (struct chunk *c = a->head, *next; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

static struct chunk *chunk_new(cs_arena *a, size_t size)
{
    if (size > SIZE_MAX - sizeof(struct chunk))
        return NULL;
    struct chunk *c = cs_xmalloc(sizeof *c + size);
    if (c == NULL)
        return NULL;
    c->size = size;
    c->used = 0;
    c->next = a->head;
    a->head = c;
    return c;
}

void *cs_arena_alloc(cs_arena *a, size_t size)
{
    size_t need = (size + 15) & ~(size_t)15;
    if (need < size)
        return NULL;
#ifdef CS_ARENA_DEBUG
    struct chunk *c = chunk_new(a, size == 0 ? 1 : size);
    if (c == NULL)
        return NULL;
    memset(c->data, 0, c->size);
    a->used += size;
    return c->data;
#else
    struct chunk *c = a->head;
    if (c == NULL || c->size - c->used < need) {
        size_t chunk = a->next_size;
        if (need > chunk)
            chunk = need;
        else if (a->next_size < MAX_CHUNK)
            a->next_size *= 2;
        c = chunk_new(a, chunk);
        if (c == NULL)
            return NULL;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->used += need;
    memset(p, 0, need);
    return p;
#endif
}

void *cs_arena_calloc(cs_arena *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    return cs_arena_alloc(a, n * size);
}

char *cs_arena_strdup(cs_arena *a, const char *s)
{
    size_t len = strlen(s) + 1;
    char *p = cs_arena_alloc(a, len);
    if (p != NULL)
        memcpy(p, s, len);
    return p;
}

size_t cs_arena_used(const cs_arena *a)
{
    return a->used;
}
