/* kernel.c -- the event kernel: a ladder queue of (time, seq, slot) keys and a slot table.
 *
 * A key is one 128-bit integer: time in the high word, then a 32-bit sequence number, then
 * a 32-bit slot index. Times are never negative, so integer order is (time, seq) order. The
 * slot holds the handler, the payload and a generation that makes event ids single-use.
 * Cancelled events stay queued, marked in their slot, and are dropped when they surface.
 *
 * The pending set is a ladder queue (Tang, Goh and Thng 2005) sized from the keys it holds.
 * Keys below bot_end form the front: the bottom, a sorted run consumed from its head (a
 * key that sorts last, as one scheduled at `now` in a burst does, is appended to it), and
 * a binary heap for the rare rest. Later keys sit in rungs, a stack of calendars: buckets
 * 2^shift ns wide, the last also taking everything up to the rung's end (infinity for
 * rung 0, which so is the ladder's top). Rung r + 1 covers the bucket of rung r in use.
 *
 * Scheduling appends the key to one bucket: O(1). When the front runs dry, the finest
 * rung's next non-empty bucket becomes the bottom by a counting sort, linear for keys of
 * one instant (a bucket keeps schedule order), unless it holds more than BIG keys of
 * distinct times: then it becomes a finer rung of about TARGET keys per bucket, its grid
 * cut to the keys' span. A key moves a bounded number of times, so an event costs O(1)
 * amortised whatever the times: a 1-year timer waits in a last bucket, a burst at one
 * instant is one sorted run, and keys that no grid fits go to the heap, O(log n).
 *
 * Why: a heap of a million keys misses the cache on every level, and the slot it then
 * reads is one more miss on the critical path. Here a schedule writes to the open chunk
 * of one of a few thousand buckets, buckets are read in order, and the bottom names the
 * next events early enough to prefetch their slots. Buckets are chains of 512-byte chunks
 * from one pool. When the sequence numbers run out (every 2^32 schedules), the queued keys
 * are sorted and renumbered 0 .. n-1 in order, which keeps FIFO ties: O(n log n).
 */
#define _DEFAULT_SOURCE   /* madvise(MADV_HUGEPAGE) */
#include "clustersim/kernel.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "clustersim/arena.h"

__extension__ typedef unsigned __int128 key_t128;

#define SLOT_FREE UINT32_MAX        /* slot.handler of a slot on the free list */
#define SLOT_CANCELLED (UINT32_MAX - 1)
#define CHUNK 32                    /* keys per chunk: 512 bytes */
#define TARGET 64                   /* keys per bucket a new rung aims at */
#define BIG 2048                    /* more keys than this, of distinct times, make a rung */
#define AHEAD 8                     /* slots are prefetched this many events early */
#define MAX_RUNGS 256               /* finer rungs have smaller shifts: chains of <= 65 */
#define NO_END UINT64_MAX

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

struct bucket {
    uint32_t n;            /* keys, in the order they came */
    uint32_t head, tail;   /* first and last chunk */
};

struct rung {
    uint64_t start, end;   /* bucket i starts at start + (i << shift); the last ends at end */
    uint32_t base, nb;     /* its buckets are buckets[base .. base + nb) */
    uint32_t cur, shift;   /* cur: the next bucket to consume */
};

struct cs_kernel {
    key_t128 *bottom, *near;   /* bottom[head .. len) is sorted; near is a binary heap */
    uint32_t head, len, bottom_cap, n_near, near_cap;
    uint64_t bot_end;      /* keys below go to the front; the rest, to a rung */
    struct rung rungs[MAX_RUNGS];   /* rungs[n_rungs - 1] is the finest */
    uint32_t n_rungs, n_buckets, bucket_cap;
    struct bucket *buckets;         /* a stack of the rungs' bucket arrays */
    key_t128 *chunks;      /* chunk c is chunks[c * CHUNK .. (c + 1) * CHUNK) */
    uint32_t *chunk_next;  /* links a bucket's chunks, and the free ones from free_chunk */
    uint32_t free_chunk, n_free, chunk_cap;
    uint32_t bins[BIG / 2];         /* refill()'s counting sort */
    struct slot *slots;
    uint32_t n_slots, slot_cap;
    uint32_t free_head;    /* SLOT_FREE when empty */
    uint32_t seq;
    bool running, stopped, failed;
    cs_time now;
    size_t live;           /* scheduled, not run, not cancelled */
    struct handler *handlers;
    uint32_t n_handlers, handler_cap;
    struct observer observers[CS_KERNEL_MAX_OBSERVERS];
    uint32_t n_observers;
};

static inline key_t128 key_make(uint64_t t, uint32_t seq, uint32_t slot)
{
    return ((key_t128)t << 64) | ((key_t128)seq << 32) | slot;
}

static inline uint64_t key_time(key_t128 k)
{
    return (uint64_t)(k >> 64);
}

/* Returns size bytes aligned to 64, or NULL. Arrays of a megabyte or more are aligned to
 * 2 MiB and asked to live on huge pages: with 4 KiB pages, random access to tens of
 * megabytes would also miss the TLB nearly every time. */
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

/* Makes the array whose pointer is at `field` hold at least need elements of size bytes,
 * doubling and keeping the first *cap. Returns false, changing nothing, when out of memory
 * or past 2^31 elements. (The pointer moves by memcpy, so field may be any T **.) */
static bool grow(void *field, uint32_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t c = *cap > 0 ? *cap : 16;
    while (c < need)
        c *= 2;
    void *p = c > (size_t)1 << 31 ? NULL : big_alloc(c * size), *old;
    if (p == NULL)
        return false;
    memcpy(&old, field, sizeof old);
    if (*cap > 0)
        memcpy(p, old, (size_t)*cap * size);
    free(old);
    memcpy(field, &p, sizeof p);
    *cap = (uint32_t)c;
    return true;
}

static inline void chunk_free(cs_kernel *k, uint32_t c)
{
    k->chunk_next[c] = k->free_chunk;
    k->free_chunk = c;
    k->n_free++;
}

/* Makes at least need chunks free. Returns false when out of memory. */
static bool chunks_reserve(cs_kernel *k, size_t need)
{
    uint32_t cap = k->chunk_cap, links = cap;
    size_t want = (size_t)cap + need - k->n_free;
    if (need <= k->n_free)
        return true;
    if (!grow(&k->chunk_next, &links, want, sizeof(uint32_t)) ||
        !grow(&k->chunks, &cap, want, CHUNK * sizeof(key_t128)))
        return false;   /* links grown alone are harmless: only their room is used */
    for (uint32_t c = cap; c > k->chunk_cap; c--)
        chunk_free(k, c - 1);
    k->chunk_cap = cap;
    return true;
}

/* Appends key to b. The caller has made sure a chunk is free. */
static inline void bucket_add(cs_kernel *k, struct bucket *b, key_t128 key)
{
    uint32_t n = b->n++;
    if (n % CHUNK == 0) {
        uint32_t c = k->free_chunk;
        k->free_chunk = k->chunk_next[c];
        k->n_free--;
        *(n == 0 ? &b->head : &k->chunk_next[b->tail]) = c;
        b->tail = c;
    }
    k->chunks[(size_t)b->tail * CHUNK + n % CHUNK] = key;
}

/* Starts loading the slot of key: both ends, as a 24-byte slot may straddle two lines. */
static inline void slot_prefetch(const cs_kernel *k, key_t128 key)
{
    const char *p = (const char *)&k->slots[(uint32_t)key];
    __builtin_prefetch(p);
    __builtin_prefetch(p + sizeof(struct slot) - 1);
}

/* The bucket of r that time t, within the rung's span, falls in. */
static inline uint32_t bucket_of(const struct rung *r, uint64_t t)
{
    uint64_t i = (t - r->start) >> r->shift;
    return i < r->nb - 1 ? (uint32_t)i : r->nb - 1;
}

/* Pushes an empty rung; the caller has reserved its buckets. */
static void rung_push(cs_kernel *k, uint64_t start, uint64_t end, uint32_t nb, uint32_t shift)
{
    CS_ASSERT(k->n_rungs < MAX_RUNGS);
    k->rungs[k->n_rungs++] = (struct rung){.start = start, .end = end, .base = k->n_buckets,
                                           .nb = nb, .shift = shift};
    memset(&k->buckets[k->n_buckets], 0, nb * sizeof *k->buckets);
    k->n_buckets += nb;
}

/* Turns the finest rung's next non-empty bucket into the bottom, making finer rungs on
 * the way. Call only when the front is empty. Returns false when nothing is queued, or
 * when out of memory (then k->failed is set and no key has moved). */
static bool refill(cs_kernel *k)
{
    for (;;) {
        struct rung *r = &k->rungs[k->n_rungs - 1];
        while (r->cur < r->nb && k->buckets[r->base + r->cur].n == 0)
            r->cur++;
        if (r->cur == r->nb && k->n_rungs == 1) {   /* nothing queued: restart from now */
            *r = (struct rung){.start = (uint64_t)k->now, .end = NO_END, .nb = 1, .shift = 63};
            k->n_buckets = 1;
            k->bot_end = (uint64_t)k->now;
            return false;
        }
        if (r->cur == r->nb) {
            k->bot_end = r->end;
            k->n_buckets = k->rungs[--k->n_rungs].base;
            continue;
        }
        struct bucket b = k->buckets[r->base + r->cur];
        bool last = r->cur + 1 == r->nb;
        uint64_t start = r->start + ((uint64_t)r->cur << r->shift), end = r->end, mn = NO_END, mx = 0;
        if (!last && end - start > (uint64_t)1 << r->shift)
            end = start + ((uint64_t)1 << r->shift);
        k->bot_end = start;
        for (uint32_t i = 0, c = b.head; i < b.n; i += CHUNK, c = k->chunk_next[c])
            for (uint32_t j = i; j < b.n && j < i + CHUNK; j++) {
                uint64_t t = key_time(k->chunks[(size_t)c * CHUNK + j - i]);
                mn = t < mn ? t : mn;
                mx = t > mx ? t : mx;
            }
        /* The keys go into nb bins of 2^shift ns from mn: a new rung's buckets, or the
         * counting sort's bins, about two keys each. */
        bool spawn = b.n > BIG && mn != mx;
        uint32_t nb = 1, shift = 0, want = spawn ? b.n / TARGET : b.n / 2, *bin = k->bins;
        while (nb < want && (spawn || nb < BIG / 2) && nb <= mx - mn)
            nb *= 2;
        while (((mx - mn) >> shift) >= nb)
            shift++;
        uint32_t base = last ? r->base : k->n_buckets;   /* where a new rung will go */
        if (!grow(&k->buckets, &k->bucket_cap, (size_t)base + nb + 1, sizeof *k->buckets) ||
            !chunks_reserve(k, spawn ? nb + 2 : 0) ||
            !grow(&k->bottom, &k->bottom_cap, spawn ? 0 : b.n, sizeof *k->bottom)) {
            k->failed = true;
            return false;
        }
        k->buckets[r->base + r->cur++].n = 0;
        if (last)
            k->n_buckets = k->rungs[--k->n_rungs].base;
        if (spawn) {
            rung_push(k, mn, end, nb + 1, shift);   /* plus a last bucket after the grid */
            k->bot_end = mn;
        } else {
            /* The rest of the bucket's range becomes a one-bucket rung, so that keys
             * scheduled there later do not all go to the heap. */
            k->bot_end = mx + 1;
            if (mx + 1 < end)
                rung_push(k, mx + 1, end, 1, 63);
            memset(bin, 0, nb * sizeof *bin);
            for (uint32_t i = 0, c = b.head; i < b.n; i += CHUNK, c = k->chunk_next[c])
                for (uint32_t j = i; j < b.n && j < i + CHUNK; j++)
                    bin[(key_time(k->chunks[(size_t)c * CHUNK + j - i]) - mn) >> shift]++;
            for (uint32_t i = 0, sum = 0, n; i < nb; i++, sum += n) {
                n = bin[i];
                bin[i] = sum;
            }
        }
        /* Each chunk is freed once read, so a new rung's buckets reuse it while in cache. */
        const struct rung *child = &k->rungs[k->n_rungs - 1];
        key_t128 buf[CHUNK], *a = k->bottom;
        for (uint32_t i = 0, c = b.head, next; i < b.n; i += CHUNK, c = next) {
            uint32_t m = b.n - i < CHUNK ? b.n - i : CHUNK;
            memcpy(buf, &k->chunks[(size_t)c * CHUNK], m * sizeof *buf);
            next = k->chunk_next[c];
            chunk_free(k, c);
            for (uint32_t j = 0; j < m; j++) {
                uint64_t t = key_time(buf[j]);
                if (spawn)
                    bucket_add(k, &k->buckets[child->base + bucket_of(child, t)], buf[j]);
                else
                    a[bin[(t - mn) >> shift]++] = buf[j];
            }
        }
        if (spawn)
            continue;
        for (uint32_t i = 1, j; i < b.n; i++) {   /* within bins: a key or two each */
            key_t128 x = a[i];
            for (j = i; j > 0 && x < a[j - 1]; j--)
                a[j] = a[j - 1];
            a[j] = x;
        }
        k->head = 0;
        k->len = b.n;
        for (uint32_t i = 0; i < b.n && i < AHEAD; i++)
            slot_prefetch(k, a[i]);
        return true;
    }
}

cs_kernel *cs_kernel_new(size_t hint)
{
    hint = hint < 64 ? 64 : hint;
    if (hint > SLOT_CANCELLED / 2)
        return NULL;
    cs_kernel *k = cs_xmalloc(sizeof *k);
    if (k == NULL)
        return NULL;
    memset(k, 0, sizeof *k);
    k->free_head = SLOT_FREE;
    if (!grow(&k->handlers, &k->handler_cap, 16, sizeof *k->handlers) ||
        !grow(&k->slots, &k->slot_cap, hint, sizeof *k->slots) ||
        !grow(&k->buckets, &k->bucket_cap, hint / TARGET + 16, sizeof *k->buckets) ||
        !chunks_reserve(k, hint / CHUNK + 16) ||
        !grow(&k->bottom, &k->bottom_cap, BIG, sizeof *k->bottom) ||
        !grow(&k->near, &k->near_cap, 64, sizeof *k->near)) {
        cs_kernel_free(k);
        return NULL;
    }
    rung_push(k, 0, NO_END, 1, 63);
    return k;
}

void cs_kernel_free(cs_kernel *k)
{
    if (k == NULL)
        return;
    free(k->bottom);
    free(k->near);
    free(k->buckets);
    free(k->chunks);
    free(k->chunk_next);
    free(k->slots);
    free(k->handlers);
    free(k);
}

cs_handler cs_kernel_on(cs_kernel *k, const char *name, cs_handler_fn *fn, void *model)
{
    if (k->n_handlers >= SLOT_CANCELLED / 2 ||
        !grow(&k->handlers, &k->handler_cap, k->n_handlers + 1, sizeof *k->handlers))
        return CS_HANDLER_NONE;
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

/* Moves the front's keys, sorted, to bottom[0 .. m) and empties the front, making room for
 * `extra` more keys after them. Returns m, or -1 (changing nothing) when out of memory. */
static int64_t front_gather(cs_kernel *k, size_t extra)
{
    uint32_t m = k->len - k->head;
    size_t n = m + k->n_near;
    if (!grow(&k->bottom, &k->bottom_cap, n + extra, sizeof *k->bottom) ||
        !grow(&k->buckets, &k->bucket_cap, k->n_buckets + 1, sizeof *k->buckets) ||
        !chunks_reserve(k, (n + extra) / CHUNK + 1))
        return -1;
    key_t128 *a = k->bottom;
    memmove(a, a + k->head, m * sizeof *a);
    memcpy(a + m, k->near, k->n_near * sizeof *a);
    qsort(a, n, sizeof *a, key_cmp);
    k->head = k->len = k->n_near = 0;
    return (int64_t)n;
}

/* Gives the queued keys fresh sequence numbers 0 .. n-1 in their current order and puts
 * them into the one bucket of a fresh rung 0. Returns false when out of memory. */
static bool renumber(cs_kernel *k)
{
    size_t extra = 0;
    for (uint32_t i = 0; i < k->n_buckets; i++)
        extra += k->buckets[i].n;
    int64_t got = front_gather(k, extra);
    if (got < 0)
        return false;
    key_t128 *a = k->bottom;
    uint32_t m = (uint32_t)got;
    for (struct bucket *b = k->buckets; b < k->buckets + k->n_buckets; b++)
        for (uint32_t i = 0, c = b->head; i < b->n; i += CHUNK, c = k->chunk_next[c])
            for (uint32_t j = i; j < b->n && j < i + CHUNK; j++)
                a[m++] = k->chunks[(size_t)c * CHUNK + j - i];
    qsort(a, m, sizeof *a, key_cmp);
    for (k->n_free = 0; k->n_free < k->chunk_cap;)
        chunk_free(k, k->n_free);
    k->n_rungs = k->n_buckets = 0;
    rung_push(k, (uint64_t)k->now, NO_END, 1, 63);
    k->bot_end = (uint64_t)k->now;
    for (uint32_t i = 0; i < m; i++)
        bucket_add(k, &k->buckets[0], key_make(key_time(a[i]), i, (uint32_t)a[i]));
    k->seq = m;
    return true;
}

/* Turns the front into a one-bucket rung over [now, bot_end), for when the heap outgrows
 * the rest of the front: keys in that range then go to the rung in O(1), and refill()
 * sorts them again. That happens after a run stopped with a far event at the bottom.
 * Each demoted rung may grow a chain of 65 finer ones: the stack's size bounds nesting. */
static void demote(cs_kernel *k)
{
    int64_t n = k->n_rungs + 66 < MAX_RUNGS ? front_gather(k, 0) : -1;
    if (n < 0)
        return;   /* the heap still works */
    rung_push(k, (uint64_t)k->now, k->bot_end, 1, 63);
    for (int64_t i = 0; i < n; i++)
        bucket_add(k, &k->buckets[k->n_buckets - 1], k->bottom[i]);
    k->bot_end = (uint64_t)k->now;
}

/* Queues key at time t. Returns false when out of memory. */
static inline bool enqueue(cs_kernel *k, uint64_t t, key_t128 key)
{
    if (__builtin_expect(t >= k->bot_end, 1)) {
        const struct rung *r = &k->rungs[k->n_rungs - 1];
        while (t >= r->end)
            r--;
        struct bucket *b = &k->buckets[r->base + bucket_of(r, t)];
        if (b->n % CHUNK == 0 && k->n_free == 0 && !chunks_reserve(k, 1))
            return false;
        bucket_add(k, b, key);
    } else if (k->head > 0 && (k->head == k->len || key < k->bottom[k->head])) {
        k->bottom[--k->head] = key;   /* it sorts first, as a key scheduled at now usually does */
    } else if (k->head == k->len || key > k->bottom[k->len - 1]) {
        /* It sorts last, as a key scheduled at now does during a burst at one instant. */
        if (k->len == k->bottom_cap && k->head >= k->bottom_cap / 2) {   /* slide down */
            k->len -= k->head;
            memmove(k->bottom, k->bottom + k->head, k->len * sizeof *k->bottom);
            k->head = 0;
        }
        if (!grow(&k->bottom, &k->bottom_cap, k->len + 1, sizeof *k->bottom))
            return false;
        k->bottom[k->len++] = key;
    } else {
        if (!grow(&k->near, &k->near_cap, k->n_near + 1, sizeof *k->near))
            return false;
        uint32_t i = k->n_near++;
        for (; i > 0 && key < k->near[(i - 1) / 2]; i = (i - 1) / 2)
            k->near[i] = k->near[(i - 1) / 2];
        k->near[i] = key;
        if (k->n_near >= BIG && k->n_near >= k->len - k->head)
            demote(k);
    }
    return true;
}

static inline void slot_release(cs_kernel *k, uint32_t slot)
{
    k->slots[slot].handler = SLOT_FREE;
    k->slots[slot].payload.a = k->free_head;
    k->free_head = slot;
}

cs_event_id cs_kernel_at(cs_kernel *k, cs_time t, cs_handler h, cs_payload p)
{
    CS_ASSERT(t >= k->now);
    CS_ASSERT(h < k->n_handlers);
    if (__builtin_expect(k->seq == UINT32_MAX, 0) && !renumber(k)) {
        k->failed = true;
        return 0;
    }
    uint32_t slot = k->free_head;
    if (slot != SLOT_FREE) {
        k->free_head = k->slots[slot].payload.a;
    } else {
        if (k->n_slots == SLOT_CANCELLED / 2 ||
            !grow(&k->slots, &k->slot_cap, k->n_slots + 1, sizeof *k->slots)) {
            k->failed = true;
            return 0;
        }
        slot = k->n_slots++;
        k->slots[slot].gen = 1;
    }
    if (!enqueue(k, (uint64_t)t, key_make((uint64_t)t, k->seq, slot))) {
        slot_release(k, slot);
        k->failed = true;
        return 0;
    }
    k->seq++;
    k->live++;
    struct slot *s = &k->slots[slot];
    s->payload = p;
    s->handler = h;
    return ((uint64_t)s->gen << 32) | slot;
}

cs_event_id cs_kernel_after(cs_kernel *k, cs_time dt, cs_handler h, cs_payload p)
{
    CS_ASSERT(dt >= 0);
    return cs_kernel_at(k, dt <= CS_TIME_MAX - k->now ? k->now + dt : CS_TIME_MAX, h, p);
}

/* Spends a slot's id: the generation moves on, skipping 0 so no id is ever 0. */
static inline void slot_spend(struct slot *s)
{
    s->gen += s->gen == UINT32_MAX ? 2 : 1;
}

bool cs_kernel_cancel(cs_kernel *k, cs_event_id id)
{
    uint32_t slot = (uint32_t)id, gen = (uint32_t)(id >> 32);
    if (id == 0 || slot >= k->n_slots)
        return false;
    struct slot *s = &k->slots[slot];
    if (s->gen != gen || s->handler >= SLOT_CANCELLED)
        return false;
    s->handler = SLOT_CANCELLED;   /* its key stays queued until it surfaces */
    slot_spend(s);
    k->live--;
    return true;
}

/* Removes the smallest key of the front into *key, if below until. Returns 1 when it did,
 * 0 when the smallest key is at or after until, -1 when the front is empty. */
static inline int front_pop(cs_kernel *k, cs_time until, key_t128 *key)
{
    int src = -1;
    if (k->head < k->len) {
        *key = k->bottom[k->head];
        src = 0;
    }
    if (__builtin_expect(k->n_near > 0, 0) && (src < 0 || k->near[0] < *key)) {
        *key = k->near[0];
        src = 1;
    }
    if (src < 0 || (cs_time)key_time(*key) >= until)
        return src < 0 ? -1 : 0;
    if (src == 0) {
        uint32_t ahead = ++k->head + AHEAD - 1;
        if (ahead < k->len)
            slot_prefetch(k, k->bottom[ahead]);
    } else {   /* the heap's last key sifts down from the root */
        key_t128 *h = k->near, x = h[--k->n_near];
        uint32_t n = k->n_near, i = 0, c;
        for (; (c = 2 * i + 1) < n; i = c) {
            c += c + 1 < n && h[c + 1] < h[c];
            if (!(h[c] < x))
                break;
            h[i] = h[c];
        }
        h[i] = x;
    }
    return 1;
}

uint64_t cs_kernel_run(cs_kernel *k, cs_time until)
{
    CS_ASSERT(!k->running);
    k->running = true;
    k->stopped = false;
    uint64_t n = 0;
    for (;;) {
        key_t128 key;
        int got = front_pop(k, until, &key);
        if (got < 0 && refill(k))
            continue;
        if (got <= 0)
            break;
        uint32_t slot = (uint32_t)key;
        struct slot *s = &k->slots[slot];
        uint32_t h = s->handler;
        if (h == SLOT_CANCELLED) {
            slot_release(k, slot);
            continue;
        }
        k->now = (cs_time)key_time(key);
        slot_spend(s);
        cs_payload p = s->payload;   /* copied: the handler may reuse the slot */
        slot_release(k, slot);
        k->live--;
        const struct handler *hd = &k->handlers[h];
        hd->fn(k, hd->model, p);
        n++;
        for (uint32_t i = 0; i < k->n_observers; i++)
            k->observers[i].fn(k->observers[i].ctx, k, h);
        if (k->stopped || k->failed) {
            k->running = false;
            return n;
        }
    }
    if (!k->failed && until > k->now)   /* it stopped for the horizon */
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
