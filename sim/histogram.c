/* histogram.c -- the log-linear histogram: bucket arithmetic, growth, merge, quantiles.
 *
 * Everything is integer arithmetic except the two read-outs (quantile, mean), so adding and
 * merging give the same counts in any order. The dense array covers only the buckets between
 * the smallest and the largest value seen, and keeps the invariant that entries past `len`
 * are zero, so growing to the right needs no clearing.
 */
#include "clustersim/histogram.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SUB ((uint32_t)1 << CS_HIST_SUB_BITS)

__extension__ typedef unsigned __int128 u128;

uint32_t cs_hist_bucket(uint64_t v)
{
    if (v < SUB)
        return (uint32_t)v;
    uint32_t e = 63 - (uint32_t)__builtin_clzll(v);   /* 2^e <= v < 2^(e+1), e >= 7 */
    uint32_t sub = (uint32_t)(v >> (e - CS_HIST_SUB_BITS)) - SUB;
    return (e - CS_HIST_SUB_BITS + 1) * SUB + sub;
}

uint64_t cs_hist_bucket_low(uint32_t b)
{
    CS_ASSERT(b < CS_HIST_BUCKETS);
    if (b < SUB)
        return b;
    uint32_t shift = b / SUB - 1;   /* e - 7 */
    return (uint64_t)(SUB + b % SUB) << shift;
}

uint64_t cs_hist_bucket_high(uint32_t b)
{
    uint32_t shift = b < SUB ? 0 : b / SUB - 1;
    return cs_hist_bucket_low(b) + (((uint64_t)1 << shift) - 1);
}

uint64_t cs_hist_bucket_value(uint32_t b)
{
    uint64_t lo = cs_hist_bucket_low(b);
    return lo + (cs_hist_bucket_high(b) - lo) / 2;
}

void cs_hist_init(cs_hist *h, cs_arena *arena)
{
    *h = (cs_hist){.arena = arena};
}

void cs_hist_fini(cs_hist *h)
{
    if (h->arena == NULL)
        free(h->counts);
    cs_hist_init(h, h->arena);
}

static uint64_t *zeroed(cs_hist *h, uint32_t n)
{
    if (h->arena != NULL)
        return cs_arena_calloc(h->arena, n, sizeof(uint64_t));
    uint64_t *p = cs_xmalloc((size_t)n * sizeof *p);
    if (p != NULL)
        memset(p, 0, (size_t)n * sizeof *p);
    return p;
}

/* Makes the array cover buckets [lo, end). Counts keep their values; on CS_ENOMEM nothing
 * changed. */
static cs_status reserve(cs_hist *h, uint32_t lo, uint32_t end)
{
    if (h->len == 0)
        h->first = lo;   /* an empty array may start anywhere */
    uint32_t nlo = lo < h->first ? lo : h->first;
    uint32_t old_end = h->first + h->len;
    uint32_t nend = end > old_end ? end : old_end;
    uint32_t need = nend - nlo, shift = h->first - nlo;
    if (need <= h->cap) {
        if (shift > 0) {
            memmove(h->counts + shift, h->counts, (size_t)h->len * sizeof *h->counts);
            memset(h->counts, 0, (size_t)shift * sizeof *h->counts);
        }
        h->first = nlo;
        h->len = need;
        return CS_OK;
    }
    uint32_t cap = h->cap * 2 > need ? h->cap * 2 : need;
    cap = cap < 32 ? 32 : cap;
    cap = cap > CS_HIST_BUCKETS ? CS_HIST_BUCKETS : cap;
    uint64_t *counts = zeroed(h, cap);
    if (counts == NULL)
        return CS_ENOMEM;
    if (h->len > 0)
        memcpy(counts + shift, h->counts, (size_t)h->len * sizeof *counts);
    if (h->arena == NULL)
        free(h->counts);
    h->counts = counts;
    h->cap = cap;
    h->first = nlo;
    h->len = need;
    return CS_OK;
}

static void add_sum(cs_hist *h, uint64_t hi, uint64_t lo)
{
    u128 s = ((u128)h->sum_hi << 64 | h->sum_lo) + ((u128)hi << 64 | lo);
    h->sum_hi = (uint64_t)(s >> 64);
    h->sum_lo = (uint64_t)s;
}

/* Folds n values with this min, max and sum into h's totals. */
static void add_totals(cs_hist *h, uint64_t n, uint64_t min, uint64_t max, uint64_t sum_hi, uint64_t sum_lo)
{
    if (n == 0)
        return;
    h->min = h->n == 0 || min < h->min ? min : h->min;
    h->max = h->n == 0 || max > h->max ? max : h->max;
    h->n += n;
    add_sum(h, sum_hi, sum_lo);
}

cs_status cs_hist_add(cs_hist *h, uint64_t v, uint64_t times)
{
    if (times == 0)
        return CS_OK;
    uint32_t b = cs_hist_bucket(v);
    if (reserve(h, b, b + 1) != CS_OK)
        return CS_ENOMEM;
    h->counts[b - h->first] += times;
    u128 s = (u128)v * times;
    add_totals(h, times, v, v, (uint64_t)(s >> 64), (uint64_t)s);
    return CS_OK;
}

cs_status cs_hist_merge(cs_hist *into, const cs_hist *from)
{
    if (from->n == 0)
        return CS_OK;
    if (reserve(into, from->first, from->first + from->len) != CS_OK)
        return CS_ENOMEM;
    uint64_t *dst = into->counts + (from->first - into->first);
    for (uint32_t i = 0; i < from->len; i++)
        dst[i] += from->counts[i];
    add_totals(into, from->n, from->min, from->max, from->sum_hi, from->sum_lo);
    return CS_OK;
}

cs_status cs_hist_merge_packed(cs_hist *into, const cs_hist_packed *from)
{
    if (from->n == 0)
        return CS_OK;
    if (reserve(into, from->index[0], from->index[from->n_buckets - 1] + 1) != CS_OK)
        return CS_ENOMEM;
    for (uint32_t i = 0; i < from->n_buckets; i++)
        into->counts[from->index[i] - into->first] += from->count[i];
    add_totals(into, from->n, from->min, from->max, from->sum_hi, from->sum_lo);
    return CS_OK;
}

double cs_hist_quantile(const cs_hist *h, double q)
{
    CS_ASSERT(q >= 0 && q <= 1);
    if (h->n == 0)
        return NAN;
    double r = ceil(q * (double)h->n);
    uint64_t rank = r < 1 ? 1 : r >= (double)h->n ? h->n : (uint64_t)r;
    uint64_t seen = 0;
    uint32_t i = 0;
    while (seen + h->counts[i] < rank)
        seen += h->counts[i++];
    uint64_t v = cs_hist_bucket_value(h->first + i);
    v = v < h->min ? h->min : v > h->max ? h->max : v;
    return (double)v;
}

double cs_hist_mean(const cs_hist *h)
{
    if (h->n == 0)
        return NAN;
    return (ldexp((double)h->sum_hi, 64) + (double)h->sum_lo) / (double)h->n;
}

cs_status cs_hist_pack(const cs_hist *h, cs_hist_packed *out)
{
    *out = (cs_hist_packed){.n = h->n, .min = h->min, .max = h->max, .sum_hi = h->sum_hi, .sum_lo = h->sum_lo};
    uint32_t k = 0;
    for (uint32_t i = 0; i < h->len; i++)
        k += h->counts[i] != 0;
    if (k == 0)
        return CS_OK;
    out->index = cs_xmalloc((size_t)k * sizeof *out->index);
    out->count = cs_xmalloc((size_t)k * sizeof *out->count);
    if (out->index == NULL || out->count == NULL) {
        cs_hist_packed_fini(out);
        return CS_ENOMEM;
    }
    for (uint32_t i = 0; i < h->len; i++)
        if (h->counts[i] != 0) {
            out->index[out->n_buckets] = h->first + i;
            out->count[out->n_buckets++] = h->counts[i];
        }
    return CS_OK;
}

void cs_hist_packed_fini(cs_hist_packed *p)
{
    free(p->index);
    free(p->count);
    *p = (cs_hist_packed){0};
}
