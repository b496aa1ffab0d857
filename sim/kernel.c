/* kernel.c -- the event kernel: a 4-ary heap of (time, seq, slot) keys and a slot table.
 *
 * A heap key is one 128-bit integer: time in the high word, then a 32-bit sequence number,
 * then a 32-bit slot index. Times are never negative, so integer order is (time, seq)
 * order, and one compare decides. The slot holds what the key cannot: the handler, the
 * payload and a generation that makes event ids single-use.
 *
 * Why this shape: a heap pass touches only keys (four children share one 64-byte line),
 * and the handler's first schedule reuses both the top key's place (one sift, the "hold")
 * and the slot just freed (still in cache). Cancelled events stay in the heap, marked in
 * their slot, and are dropped when they surface; cancel itself is O(1).
 *
 * Sequence numbers are 32 bits. When they run out (every 2^32 schedules), the pending keys
 * are sorted and renumbered 0 .. n-1 in their existing order, which keeps FIFO ties and is
 * itself a valid heap. That costs O(n log n) once per four billion events.
 */
#define _DEFAULT_SOURCE   /* madvise(MADV_HUGEPAGE) */
#include "clustersim/kernel.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "clustersim/arena.h"

__extension__ typedef unsigned __int128 key_t128;

#define ARITY 4
#define SLOT_FREE UINT32_MAX        /* slot.handler of a slot on the free list */
#define SLOT_CANCELLED (UINT32_MAX - 1)

struct slot {
    cs_payload payload;   /* while free, payload.a links the free list */
    uint32_t handler;     /* a handler index, SLOT_FREE or SLOT_CANCELLED */
    uint32_t gen;         /* the generation of the id the slot was last handed out under */
};

struct handler {
    cs_handler_fn *fn;
    void *model;
    const char *name;
};

struct observer {
    cs_observer_fn *fn;
    void *ctx;
};

struct cs_kernel {
    key_t128 *heap;       /* heap[0] is the minimum; children of i are 4i+1 .. 4i+4 */
    void *heap_raw;       /* the allocation heap lives in, aligned so child groups share a line */
    size_t size, cap;
    struct slot *slots;
    uint32_t n_slots, slot_cap;
    uint32_t free_head;   /* SLOT_FREE when empty */
    uint32_t seq;
    bool top_spent;       /* heap[0] is the event now running: the next schedule replaces it */
    bool running, stopped, failed;
    cs_time now;
    size_t live;          /* scheduled, not run, not cancelled */
    struct handler *handlers;
    uint32_t n_handlers, handler_cap;
    struct observer observers[CS_KERNEL_MAX_OBSERVERS];
    uint32_t n_observers;
};

static inline key_t128 key_make(cs_time t, uint32_t seq, uint32_t slot)
{
    return ((key_t128)(uint64_t)t << 64) | ((key_t128)seq << 32) | slot;
}

static inline cs_time key_time(key_t128 k)
{
    return (cs_time)(uint64_t)(k >> 64);
}

static inline uint32_t key_slot(key_t128 k)
{
    return (uint32_t)k;
}

/* Branch-free choice: c ? x : y for indexes. */
static inline size_t pick(bool c, size_t x, size_t y)
{
    return y ^ ((x ^ y) & (0 - (size_t)c));
}

static inline size_t min_child(const key_t128 *h, size_t c, size_t n)
{
    if (__builtin_expect(c + ARITY <= n, 1)) {
        size_t a = pick(h[c + 1] < h[c], c + 1, c);
        size_t b = pick(h[c + 3] < h[c + 2], c + 3, c + 2);
        return pick(h[b] < h[a], b, a);
    }
    size_t m = c;
    for (size_t j = c + 1; j < n; j++)
        if (h[j] < h[m])
            m = j;
    return m;
}

/* Puts x at hole i or above it, moving larger parents down. */
static inline void sift_up(key_t128 *h, size_t i, key_t128 x)
{
    while (i > 0) {
        size_t p = (i - 1) / ARITY;
        if (!(x < h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

/* Replaces the minimum of h[0 .. n-1] with x. Bottom-up: walks the path of smaller children
 * to a leaf without comparing against x, then climbs back to x's place. A new event
 * usually belongs near the bottom, so the climb is short and the walk down is branch-free. */
static void heap_replace_top(key_t128 *h, size_t n, key_t128 x)
{
    size_t i = 0;
    for (;;) {
        size_t c = ARITY * i + 1;
        if (c >= n)
            break;
        /* The grandchildren are one contiguous block of 16 keys: start loading it now. */
        const char *g = (const char *)&h[ARITY * c + 1];
        __builtin_prefetch(g);
        __builtin_prefetch(g + 64);
        __builtin_prefetch(g + 128);
        __builtin_prefetch(g + 192);
        size_t m = min_child(h, c, n);
        h[i] = h[m];
        i = m;
    }
    sift_up(h, i, x);
}

static void heap_push(key_t128 *h, size_t n, key_t128 x)
{
    sift_up(h, n, x);
}

static void heap_pop(cs_kernel *k)
{
    size_t m = --k->size;
    if (m > 0)
        heap_replace_top(k->heap, m, k->heap[m]);
}

/* Returns size bytes aligned to 64. Arrays of a megabyte or more are aligned to 2 MiB and
 * asked to live on huge pages: a million pending events touch 40 MB at random, and with
 * 4 KiB pages nearly every access would also miss the TLB. */
static void *big_alloc(size_t size)
{
    enum { HUGE = 2 * 1024 * 1024 };
    if (size < HUGE / 2)
        return cs_xaligned(64, size);
    size = (size + HUGE - 1) & ~(size_t)(HUGE - 1);
    void *p = cs_xaligned(HUGE, size);
#ifdef MADV_HUGEPAGE
    if (p != NULL)
        (void)madvise(p, size, MADV_HUGEPAGE);   /* advice only: failure changes nothing */
#endif
    return p;
}

/* Allocates room for cap keys with heap[1] on a 64-byte boundary (so each group of four
 * children is one cache line), copying the old keys. Returns false when out of memory. */
static bool heap_grow(cs_kernel *k, size_t cap)
{
    if (cap > (SIZE_MAX - 64) / sizeof(key_t128))
        return false;
    void *raw = big_alloc(cap * sizeof(key_t128) + 64);
    if (raw == NULL)
        return false;
    key_t128 *heap = (key_t128 *)((char *)raw + 64 - sizeof(key_t128));
    if (k->size > 0)
        memcpy(heap, k->heap, k->size * sizeof(key_t128));
    free(k->heap_raw);
    k->heap_raw = raw;
    k->heap = heap;
    k->cap = cap;
    return true;
}

static bool slots_grow(cs_kernel *k, uint32_t cap)
{
    if (cap >= SLOT_CANCELLED / 2)
        return false;
    struct slot *s = big_alloc((size_t)cap * sizeof *s);
    if (s == NULL)
        return false;
    if (k->n_slots > 0)
        memcpy(s, k->slots, (size_t)k->n_slots * sizeof *s);
    free(k->slots);
    k->slots = s;
    k->slot_cap = cap;
    return true;
}

cs_kernel *cs_kernel_new(size_t hint)
{
    if (hint < 64)
        hint = 64;
    if (hint > SLOT_CANCELLED / 2)
        return NULL;
    cs_kernel *k = cs_xmalloc(sizeof *k);
    if (k == NULL)
        return NULL;
    memset(k, 0, sizeof *k);
    k->free_head = SLOT_FREE;
    k->handler_cap = 16;
    k->handlers = cs_xmalloc(k->handler_cap * sizeof *k->handlers);
    if (k->handlers == NULL || !slots_grow(k, (uint32_t)hint) || !heap_grow(k, hint)) {
        cs_kernel_free(k);
        return NULL;
    }
    return k;
}

void cs_kernel_free(cs_kernel *k)
{
    if (k == NULL)
        return;
    free(k->heap_raw);
    free(k->slots);
    free(k->handlers);
    free(k);
}

cs_handler cs_kernel_on(cs_kernel *k, const char *name, cs_handler_fn *fn, void *model)
{
    if (k->n_handlers == k->handler_cap) {
        if (k->handler_cap >= SLOT_CANCELLED / 2)
            return CS_HANDLER_NONE;
        struct handler *h = cs_xrealloc(k->handlers, 2 * k->handler_cap * sizeof *h);
        if (h == NULL)
            return CS_HANDLER_NONE;
        k->handlers = h;
        k->handler_cap *= 2;
    }
    k->handlers[k->n_handlers] = (struct handler){.fn = fn, .model = model, .name = name};
    return k->n_handlers++;
}

const char *cs_kernel_handler_name(const cs_kernel *k, cs_handler h)
{
    return h < k->n_handlers ? k->handlers[h].name : "?";
}

static int key_cmp(const void *a, const void *b)
{
    key_t128 x = *(const key_t128 *)a, y = *(const key_t128 *)b;
    return (x > y) - (x < y);
}

/* Gives the pending keys fresh sequence numbers 0 .. n-1 in their current order. */
static void renumber(cs_kernel *k)
{
    qsort(k->heap, k->size, sizeof *k->heap, key_cmp);
    for (size_t i = 0; i < k->size; i++) {
        key_t128 x = k->heap[i];
        k->heap[i] = key_make(key_time(x), (uint32_t)i, key_slot(x));
    }
    k->seq = (uint32_t)k->size;
}

cs_event_id cs_kernel_at(cs_kernel *k, cs_time t, cs_handler h, cs_payload p)
{
    CS_ASSERT(t >= k->now);
    CS_ASSERT(h < k->n_handlers);
    uint32_t slot = k->free_head;
    if (slot != SLOT_FREE) {
        k->free_head = k->slots[slot].payload.a;
    } else {
        if (k->n_slots == k->slot_cap && !slots_grow(k, 2 * k->slot_cap)) {
            k->failed = true;
            return 0;
        }
        slot = k->n_slots++;
        k->slots[slot].gen = 1;
    }
    if (!k->top_spent && k->size == k->cap && !heap_grow(k, 2 * k->cap)) {
        k->slots[slot].handler = SLOT_FREE;
        k->slots[slot].payload.a = k->free_head;
        k->free_head = slot;
        k->failed = true;
        return 0;
    }
    struct slot *s = &k->slots[slot];
    s->payload = p;
    s->handler = h;
    if (__builtin_expect(k->seq == UINT32_MAX, 0))
        renumber(k);
    key_t128 key = key_make(t, k->seq++, slot);
    if (k->top_spent) {
        k->top_spent = false;
        heap_replace_top(k->heap, k->size, key);
    } else {
        heap_push(k->heap, k->size, key);
        k->size++;
    }
    k->live++;
    return ((uint64_t)s->gen << 32) | slot;
}

cs_event_id cs_kernel_after(cs_kernel *k, cs_time dt, cs_handler h, cs_payload p)
{
    CS_ASSERT(dt >= 0 && dt <= CS_TIME_MAX - k->now);
    return cs_kernel_at(k, k->now + dt, h, p);
}

/* Spends a slot's id: the generation moves on, skipping 0 so no id is ever 0. */
static inline void slot_spend(struct slot *s)
{
    if (++s->gen == 0)
        s->gen = 1;
}

static inline void slot_release(cs_kernel *k, uint32_t slot)
{
    k->slots[slot].handler = SLOT_FREE;
    k->slots[slot].payload.a = k->free_head;
    k->free_head = slot;
}

bool cs_kernel_cancel(cs_kernel *k, cs_event_id id)
{
    uint32_t slot = (uint32_t)id, gen = (uint32_t)(id >> 32);
    if (id == 0 || slot >= k->n_slots)
        return false;
    struct slot *s = &k->slots[slot];
    if (s->gen != gen || s->handler >= SLOT_CANCELLED)
        return false;
    s->handler = SLOT_CANCELLED;   /* its key stays in the heap until it surfaces */
    slot_spend(s);
    k->live--;
    return true;
}

uint64_t cs_kernel_run(cs_kernel *k, cs_time until)
{
    CS_ASSERT(!k->running);
    k->running = true;
    k->stopped = false;
    uint64_t n = 0;
    while (k->size > 0) {
        key_t128 top = k->heap[0];
        cs_time t = key_time(top);
        if (t >= until)
            break;
        uint32_t slot = key_slot(top);
        struct slot *s = &k->slots[slot];
        uint32_t h = s->handler;
        if (h == SLOT_CANCELLED) {
            heap_pop(k);
            slot_release(k, slot);
            continue;
        }
        k->now = t;
        slot_spend(s);
        cs_payload p = s->payload;   /* copied: the handler may reuse the slot */
        slot_release(k, slot);
        k->live--;
        k->top_spent = true;
        /* The next event is almost always the smallest child of the root: start loading its
         * slot while this handler runs, so the slot is in cache when its turn comes. */
        if (k->size > 1)
            __builtin_prefetch(&k->slots[key_slot(k->heap[min_child(k->heap, 1, k->size)])]);
        const struct handler *hd = &k->handlers[h];
        hd->fn(k, hd->model, p);
        if (k->top_spent) {
            k->top_spent = false;
            heap_pop(k);
        }
        n++;
        if (k->n_observers != 0)
            for (uint32_t i = 0; i < k->n_observers; i++)
                k->observers[i].fn(k->observers[i].ctx, k, h);
        if (k->stopped || k->failed)
            break;
    }
    if (!k->stopped && !k->failed && until > k->now && (k->size == 0 || key_time(k->heap[0]) >= until))
        k->now = until;
    k->running = false;
    return n;
}

void cs_kernel_stop(cs_kernel *k)
{
    k->stopped = true;
}

cs_time cs_kernel_now(const cs_kernel *k)
{
    return k->now;
}

size_t cs_kernel_pending(const cs_kernel *k)
{
    return k->live;
}

bool cs_kernel_failed(const cs_kernel *k)
{
    return k->failed;
}

bool cs_kernel_observe(cs_kernel *k, cs_observer_fn *fn, void *ctx)
{
    if (k->n_observers == CS_KERNEL_MAX_OBSERVERS)
        return false;
    k->observers[k->n_observers++] = (struct observer){.fn = fn, .ctx = ctx};
    return true;
}

void cs_kernel_set_seq_for_test(cs_kernel *k, uint32_t seq)
{
    k->seq = seq;
}
