/* test_histogram.c -- the log-linear histogram: bucket edges, the relative-error bound over
 * random values, merge equal to the histogram of the union (dense and packed, in any order),
 * exact quantiles of known inputs, and clean failure when memory runs out. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clustersim/histogram.h"

/* Buckets tile the integers: each starts one past the end of the previous one, and both of
 * its ends map back to it. Values below 128 are exact; 128..255 still have width 1; 256 opens
 * width 2; the last bucket ends at 2^64 - 1. */
static void test_buckets_tile_the_integers(void)
{
    CU_ASSERT_EQUAL(cs_hist_bucket(0), 0);
    CU_ASSERT_EQUAL(cs_hist_bucket(127), 127);
    CU_ASSERT_EQUAL(cs_hist_bucket(128), 128);
    CU_ASSERT_EQUAL(cs_hist_bucket(255), 255);
    CU_ASSERT_EQUAL(cs_hist_bucket(256), 256);
    CU_ASSERT_EQUAL(cs_hist_bucket(257), 256);
    CU_ASSERT_EQUAL(cs_hist_bucket(1000), cs_hist_bucket(1003));   /* width 4 from 512 */
    CU_ASSERT_EQUAL(cs_hist_bucket_low(cs_hist_bucket(1000)), 1000);
    CU_ASSERT_EQUAL(cs_hist_bucket_value(cs_hist_bucket(1000)), 1001);
    CU_ASSERT_EQUAL(cs_hist_bucket(UINT64_MAX), CS_HIST_BUCKETS - 1);
    CU_ASSERT_EQUAL(cs_hist_bucket_high(CS_HIST_BUCKETS - 1), UINT64_MAX);
    bool ok = true;
    for (uint32_t b = 0; b < CS_HIST_BUCKETS && ok; b++) {
        uint64_t lo = cs_hist_bucket_low(b), hi = cs_hist_bucket_high(b);
        ok = lo <= hi && cs_hist_bucket(lo) == b && cs_hist_bucket(hi) == b &&
             (b == 0 || cs_hist_bucket_high(b - 1) + 1 == lo);
        if (!ok)
            fprintf(stderr, "\nbucket %u: [%llu, %llu]\n", b, (unsigned long long)lo, (unsigned long long)hi);
    }
    CU_ASSERT_TRUE(ok);
}

/* A small generator of the test's own (SplitMix64), so the values do not depend on the
 * simulator's streams. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Values spread over every magnitude: a random number of random low bits. */
static uint64_t any_value(uint64_t *s)
{
    uint64_t bits = next(s) % 65;
    uint64_t v = next(s);
    return bits == 64 ? v : v & (((uint64_t)1 << bits) - 1);
}

/* The reported value of a bucket is within 1/256 of every value in it (the header's bound,
 * well inside 1%), over 200000 values of every magnitude and both ends of every bucket. */
static void test_relative_error_is_bounded(void)
{
    const uint64_t seed = 20261201;
    uint64_t s = seed;
    double worst = 0;
    for (int i = 0; i < 200000; i++) {
        uint64_t v = any_value(&s);
        uint64_t r = cs_hist_bucket_value(cs_hist_bucket(v));
        double err = v == 0 ? (double)r : fabs((double)r - (double)v) / (double)v;
        worst = err > worst ? err : worst;
    }
    for (uint32_t b = 1; b < CS_HIST_BUCKETS; b++) {
        double r = (double)cs_hist_bucket_value(b);
        double lo = (double)cs_hist_bucket_low(b), hi = (double)cs_hist_bucket_high(b);
        double err = fmax((r - lo) / lo, (hi - r) / hi);
        worst = err > worst ? err : worst;
    }
    if (!(worst <= 1.0 / 256))
        fprintf(stderr, "\nseed %llu: worst relative error %g\n", (unsigned long long)seed, worst);
    CU_ASSERT_TRUE(worst <= 1.0 / 256);
    CU_ASSERT_TRUE(worst > 1.0 / 512);   /* the bound is the real one, not a loose one */
}

static bool same(const cs_hist *a, const cs_hist *b)
{
    if (a->n != b->n || a->min != b->min || a->max != b->max || a->sum_hi != b->sum_hi || a->sum_lo != b->sum_lo)
        return false;
    for (uint32_t bk = 0; bk < CS_HIST_BUCKETS; bk++) {
        uint64_t ca = bk >= a->first && bk < a->first + a->len ? a->counts[bk - a->first] : 0;
        uint64_t cb = bk >= b->first && bk < b->first + b->len ? b->counts[bk - b->first] : 0;
        if (ca != cb)
            return false;
    }
    static const double qs[] = {0, 0.5, 0.9, 0.99, 0.999, 1};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++)
        if (cs_hist_quantile(a, qs[i]) != cs_hist_quantile(b, qs[i]))
            return false;
    return true;
}

/* Three parts of a sample, merged in two orders, dense and packed, give exactly the
 * histogram of the whole sample. */
static void test_merge_equals_the_histogram_of_the_union(void)
{
    const uint64_t seed = 77;
    uint64_t s = seed;
    cs_hist whole, part[3], ab, ba, packed;
    cs_hist_init(&whole, NULL);
    cs_hist_init(&ab, NULL);
    cs_hist_init(&ba, NULL);
    cs_hist_init(&packed, NULL);
    cs_arena *arena = cs_arena_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(arena);
    for (int p = 0; p < 3; p++)
        cs_hist_init(&part[p], p == 1 ? arena : NULL);   /* one part in an arena */
    for (int i = 0; i < 30000; i++) {
        uint64_t v = next(&s) >> (next(&s) % 64);
        uint64_t times = 1 + next(&s) % 3;
        CU_ASSERT_EQUAL(cs_hist_add(&whole, v, times), CS_OK);
        CU_ASSERT_EQUAL(cs_hist_add(&part[i % 3], v, times), CS_OK);
    }
    for (int p = 0; p < 3; p++)
        CU_ASSERT_EQUAL(cs_hist_merge(&ab, &part[p]), CS_OK);
    for (int p = 2; p >= 0; p--)
        CU_ASSERT_EQUAL(cs_hist_merge(&ba, &part[p]), CS_OK);
    for (int p = 0; p < 3; p++) {
        cs_hist_packed pk;
        CU_ASSERT_EQUAL_FATAL(cs_hist_pack(&part[(p + 1) % 3], &pk), CS_OK);
        CU_ASSERT_EQUAL(cs_hist_merge_packed(&packed, &pk), CS_OK);
        cs_hist_packed_fini(&pk);
    }
    if (!same(&whole, &ab) || !same(&whole, &ba) || !same(&whole, &packed))
        fprintf(stderr, "\nseed %llu: a merge differs from the histogram of the union\n", (unsigned long long)seed);
    CU_ASSERT_TRUE(same(&whole, &ab));
    CU_ASSERT_TRUE(same(&whole, &ba));
    CU_ASSERT_TRUE(same(&whole, &packed));
    CU_ASSERT_EQUAL(whole.n, ab.n);
    for (int p = 0; p < 3; p++)
        cs_hist_fini(&part[p]);
    cs_hist_fini(&whole);
    cs_hist_fini(&ab);
    cs_hist_fini(&ba);
    cs_hist_fini(&packed);
    cs_arena_free(arena);
}

/* 1..100 are exact buckets: nearest rank gives p50 = 50, p90 = 90, p99 = 99 and p99.9 = 100
 * (rank ceil(99.9) = 100). Then 1000 fives and one second: p99.9 is rank 1000 (ceil(999.999)),
 * still 5; the maximum is the second, exactly; the mean is the exact (5000 + 1e9) / 1001. */
static void test_quantiles_of_known_inputs(void)
{
    cs_hist h;
    cs_hist_init(&h, NULL);
    CU_ASSERT_TRUE(isnan(cs_hist_quantile(&h, 0.5)));
    CU_ASSERT_TRUE(isnan(cs_hist_mean(&h)));
    for (uint64_t v = 100; v >= 1; v--)   /* descending: the array grows to the left */
        CU_ASSERT_EQUAL(cs_hist_add(&h, v, 1), CS_OK);
    CU_ASSERT_EQUAL(cs_hist_quantile(&h, 0), 1);
    CU_ASSERT_EQUAL(cs_hist_quantile(&h, 0.5), 50);
    CU_ASSERT_EQUAL(cs_hist_quantile(&h, 0.9), 90);
    CU_ASSERT_EQUAL(cs_hist_quantile(&h, 0.99), 99);
    CU_ASSERT_EQUAL(cs_hist_quantile(&h, 0.999), 100);
    CU_ASSERT_EQUAL(cs_hist_mean(&h), 50.5);
    cs_hist_fini(&h);

    CU_ASSERT_EQUAL(cs_hist_add(&h, 5, 1000), CS_OK);
    CU_ASSERT_EQUAL(cs_hist_add(&h, 1000000000, 1), CS_OK);
    CU_ASSERT_EQUAL(cs_hist_quantile(&h, 0.999), 5);
    CU_ASSERT_EQUAL(cs_hist_quantile(&h, 1), 1e9);
    CU_ASSERT_EQUAL(cs_hist_mean(&h), (5000 + 1e9) / 1001);
    /* A lone large value is reported exactly (clamped to min = max), not as its bucket. */
    cs_hist one;
    cs_hist_init(&one, NULL);
    CU_ASSERT_EQUAL(cs_hist_add(&one, 123456789, 1), CS_OK);
    CU_ASSERT_EQUAL(cs_hist_quantile(&one, 0.5), 123456789);
    cs_hist_fini(&one);
    cs_hist_fini(&h);
}

/* The sum is exact past 2^64: two values of 2^63 + 1. */
static void test_sum_keeps_128_bits(void)
{
    cs_hist h;
    cs_hist_init(&h, NULL);
    uint64_t big = ((uint64_t)1 << 63) + 1;
    CU_ASSERT_EQUAL(cs_hist_add(&h, big, 2), CS_OK);
    CU_ASSERT_EQUAL(h.sum_hi, 1);
    CU_ASSERT_EQUAL(h.sum_lo, 2);
    CU_ASSERT_EQUAL(cs_hist_mean(&h), ldexp(1, 63));
    cs_hist_fini(&h);
}

/* When growing fails, the add reports CS_ENOMEM and the histogram is as it was. */
static void test_failed_growth_changes_nothing(void)
{
    cs_hist h;
    cs_hist_init(&h, NULL);
    CU_ASSERT_EQUAL(cs_hist_add(&h, 10, 1), CS_OK);
    cs_alloc_fail_after(1);
    cs_status st = cs_hist_add(&h, (uint64_t)1 << 40, 1);   /* far outside the first 32 buckets */
    cs_alloc_fail_after(0);
    CU_ASSERT_EQUAL(st, CS_ENOMEM);
    CU_ASSERT_EQUAL(h.n, 1);
    CU_ASSERT_EQUAL(h.max, 10);
    CU_ASSERT_EQUAL(cs_hist_quantile(&h, 1), 10);
    cs_hist_packed pk;
    cs_alloc_fail_after(1);
    st = cs_hist_pack(&h, &pk);
    cs_alloc_fail_after(0);
    CU_ASSERT_EQUAL(st, CS_ENOMEM);
    CU_ASSERT_EQUAL(pk.n_buckets, 0);
    CU_ASSERT_PTR_NULL(pk.index);
    cs_hist_fini(&h);
}

static CU_TestInfo tests[] = {
    {"buckets tile the integers", test_buckets_tile_the_integers},
    {"relative error is bounded", test_relative_error_is_bounded},
    {"merge equals the histogram of the union", test_merge_equals_the_histogram_of_the_union},
    {"quantiles of known inputs", test_quantiles_of_known_inputs},
    {"sum keeps 128 bits", test_sum_keeps_128_bits},
    {"failed growth changes nothing", test_failed_growth_changes_nothing},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_histogram_suite = {.pName = "histogram", .pTests = tests};
