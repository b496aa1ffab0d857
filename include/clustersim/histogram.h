/* histogram.h -- a mergeable log-linear histogram of non-negative integers (nanoseconds).
 *
 * Latencies inside a replication go into one of these; across replications the histograms
 * are merged by adding their integer counts, so a p99 over the whole run is the p99 of every
 * value of every replication (to the bucket), not an average of per-replication p99s, and the
 * merge gives the same bytes in any order.
 *
 * Buckets (HdrHistogram's layout with 2^7 sub-buckets): a value below 128 has a bucket of its
 * own; above, each power of two [2^e, 2^(e+1)) is cut into 128 buckets of width 2^(e-7). A
 * bucket's width is at most 1/128 of its lower bound, and it is reported by the middle of its
 * integers, so a reported value is within 1/256 (0.39%) of any value in the bucket: well
 * inside the 1% the results promise. 7424 buckets cover every uint64_t value.
 *
 * Two forms: cs_hist counts in a dense array over the buckets used so far (O(1) adds, for a
 * replication and for the run's merge); cs_hist_packed keeps only the non-empty buckets (what
 * a replication hands back, so hundreds of them stay small).
 *
 * Ownership: a cs_hist draws its array from the arena it was given (a replication's; nothing
 * is freed before the arena) or, with NULL, from the heap (free it with cs_hist_fini). A
 * cs_hist_packed owns its heap arrays (cs_hist_packed_fini).
 */
#ifndef CLUSTERSIM_HISTOGRAM_H
#define CLUSTERSIM_HISTOGRAM_H

#include "clustersim/arena.h"
#include "clustersim/common.h"

#define CS_HIST_SUB_BITS 7
#define CS_HIST_BUCKETS ((uint32_t)((64 - CS_HIST_SUB_BITS + 1) << CS_HIST_SUB_BITS))

typedef struct cs_hist {
    uint64_t *counts;          /* counts[i]: bucket first + i */
    uint32_t first, len, cap;  /* buckets held: [first, first + len); room for cap */
    uint64_t n;                /* values counted */
    uint64_t min, max;         /* exact, when n > 0 */
    uint64_t sum_hi, sum_lo;   /* the exact sum of the values, 128 bits */
    cs_arena *arena;           /* NULL: the heap */
} cs_hist;

typedef struct cs_hist_packed {
    uint32_t n_buckets;
    uint32_t *index;           /* ascending bucket indexes */
    uint64_t *count;           /* their counts, all > 0 */
    uint64_t n, min, max, sum_hi, sum_lo;
} cs_hist_packed;

/* The bucket of value v, and the smallest and largest value of bucket b. */
uint32_t cs_hist_bucket(uint64_t v);
uint64_t cs_hist_bucket_low(uint32_t b);
uint64_t cs_hist_bucket_high(uint32_t b);
/* The value a bucket reports: the middle of its integers, rounded down. */
uint64_t cs_hist_bucket_value(uint32_t b);

/* An empty histogram drawing memory from `arena` (borrowed), or the heap when NULL. */
void cs_hist_init(cs_hist *h, cs_arena *arena);
/* Frees a heap histogram's array and empties it; an arena histogram is only emptied. */
void cs_hist_fini(cs_hist *h);
/* Counts v `times` times. Returns CS_OK, or CS_ENOMEM (the histogram is unchanged). */
cs_status cs_hist_add(cs_hist *h, uint64_t v, uint64_t times);
/* Adds every count of `from` into `into`. Returns CS_OK or CS_ENOMEM (into unchanged). */
cs_status cs_hist_merge(cs_hist *into, const cs_hist *from);
cs_status cs_hist_merge_packed(cs_hist *into, const cs_hist_packed *from);

/* The q-quantile (0 <= q <= 1) by nearest rank: the value of rank max(1, ceil(q n)) in
 * ascending order, reported as its bucket's value and clamped to [min, max] (so q = 0 and
 * q = 1 give the exact min and max). NaN when empty. */
double cs_hist_quantile(const cs_hist *h, double q);
/* The mean of the values (from the exact sum); NaN when empty. */
double cs_hist_mean(const cs_hist *h);

/* Copies the non-empty buckets of h into *out (heap). Returns CS_OK or CS_ENOMEM (*out is
 * then empty). */
cs_status cs_hist_pack(const cs_hist *h, cs_hist_packed *out);
void cs_hist_packed_fini(cs_hist_packed *p);

#endif
