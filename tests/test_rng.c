/* test_rng.c -- xoshiro256++ as a GSL generator, the stream seeds, and the counter-based draws.
 *
 * The known answers do not come from this code: SplitMix64's outputs from state 0 are the
 * published ones, the xoshiro256++ outputs were printed by the PHOLD reference loop's own
 * generator (bench/reference/phold.c), and the PHOLD run must hit the spec's reference row.
 */
#include <CUnit/CUnit.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clustersim/rng.h"

#define GOLDEN 0x9e3779b97f4a7c15u   /* SplitMix64's increment */

static void test_type_is_full_64_bits(void)
{
    gsl_rng *r = gsl_rng_alloc(cs_rng_xoshiro256pp);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_STRING_EQUAL(gsl_rng_name(r), "xoshiro256++");
    CU_ASSERT_EQUAL(gsl_rng_min(r), 0);
    CU_ASSERT_EQUAL(gsl_rng_max(r), UINT64_MAX);
    CU_ASSERT_EQUAL(gsl_rng_size(r), 4 * sizeof(uint64_t));
    gsl_rng_free(r);
}

/* SplitMix64 from state 0 gives e220a8397b1dcdaf, 6e789e6aa1b965f4, ... (Vigna's splitmix64.c);
 * output i is the finaliser applied to state (i + 1) * GOLDEN. */
static void test_mix64_is_the_splitmix64_finaliser(void)
{
    CU_ASSERT_EQUAL(cs_mix64(GOLDEN), 0xe220a8397b1dcdafu);
    CU_ASSERT_EQUAL(cs_mix64(2 * GOLDEN), 0x6e789e6aa1b965f4u);
    CU_ASSERT_EQUAL(cs_mix64(3 * GOLDEN), 0x06c45d188009454fu);
    CU_ASSERT_EQUAL(cs_mix64(4 * GOLDEN), 0xf88bb8a8724c81ecu);
    CU_ASSERT_EQUAL(cs_mix64(0), 0);
}

static void test_seed_1_known_answers(void)
{
    static const uint64_t want[] = {
        0xcfc5d07f6f03c29bu, 0xbf424132963fe08du, 0x19a37d5757aaf520u,
        0xbf08119f05cd56d6u, 0x2f47184b86186fa4u, 0x97299fcae7202345u,
    };
    gsl_rng *r = gsl_rng_alloc(cs_rng_xoshiro256pp);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    gsl_rng_set(r, 1);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        CU_ASSERT_EQUAL(gsl_rng_get(r), want[i]);
    /* Re-seeding starts the sequence over. */
    gsl_rng_set(r, 1);
    CU_ASSERT_EQUAL(gsl_rng_get(r), want[0]);
    gsl_rng_free(r);
}

static void test_seed_0_known_answers(void)
{
    gsl_rng *r = gsl_rng_alloc(cs_rng_xoshiro256pp);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    gsl_rng_set(r, 0);
    CU_ASSERT_EQUAL(gsl_rng_get(r), 0x53175d61490b23dfu);
    CU_ASSERT_EQUAL(gsl_rng_get(r), 0x61da6f3dc380d507u);
    CU_ASSERT_EQUAL(gsl_rng_get(r), 0x5c0fdf91ec9a7bfcu);
    gsl_rng_free(r);
}

/* gsl_rng_uniform() is the top 53 bits of the output times 2^-53. */
static void test_uniform_is_top_53_bits(void)
{
    gsl_rng *r = gsl_rng_alloc(cs_rng_xoshiro256pp);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    gsl_rng_set(r, 1);
    CU_ASSERT_EQUAL(gsl_rng_uniform(r), (double)(0xcfc5d07f6f03c29bu >> 11) * 0x1.0p-53);
    CU_ASSERT_EQUAL(gsl_rng_uniform(r), (double)(0xbf424132963fe08du >> 11) * 0x1.0p-53);
    /* The first outputs have bit 11 clear; the 5th has it set, so a 52-bit scaling shows. */
    gsl_rng_uniform(r);
    gsl_rng_uniform(r);
    CU_ASSERT_EQUAL(gsl_rng_uniform(r), (double)(0x2f47184b86186fa4u >> 11) * 0x1.0p-53);
    gsl_rng *twin = gsl_rng_clone(r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(twin);
    int mismatches = 0, outside = 0;
    for (int i = 0; i < 100000; i++) {
        double u = gsl_rng_uniform(r);
        mismatches += u != (double)(gsl_rng_get(twin) >> 11) * 0x1.0p-53;
        outside += !(u >= 0 && u < 1);
    }
    CU_ASSERT_EQUAL(mismatches, 0);
    CU_ASSERT_EQUAL(outside, 0);
    gsl_rng_free(twin);
    gsl_rng_free(r);
}

/* PHOLD (bench/PHOLD.md), phold-1k with T_end = 10: LP i's xoshiro state is SplitMix64
 * outputs 4i .. 4i+3 from state 1, which is gsl_rng_set(1 + 4i * GOLDEN). The reference
 * row is 148 279 committed events, checksum 151 699 123. */
struct phold_ev {
    double t;
    uint64_t seq;
    uint32_t lp;
};

static int ev_before(const struct phold_ev *a, const struct phold_ev *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void heap_push(struct phold_ev *h, size_t *n, struct phold_ev e)
{
    size_t i = (*n)++;
    while (i > 0 && ev_before(&e, &h[(i - 1) / 2])) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = e;
}

static void heap_replace_top(struct phold_ev *h, size_t n, struct phold_ev e)
{
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && ev_before(&h[c + 1], &h[c]))
            c++;
        if (!ev_before(&h[c], &e))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = e;
}

static double phold_delay(gsl_rng *r)
{
    uint64_t x = gsl_rng_get(r);
    return 0.1 + 1.0 * -log((double)((x >> 11) + 1) * 0x1.0p-53);
}

static void test_phold_reference_row(void)
{
    enum { N = 1024, P = 16 };
    const double t_end = 10;
    gsl_rng **lp = calloc(N, sizeof *lp);
    uint64_t *count = calloc(N, sizeof *count);
    struct phold_ev *h = malloc((size_t)N * P * sizeof *h);
    CU_ASSERT_FATAL(lp != NULL && count != NULL && h != NULL);
    size_t n = 0;
    uint64_t seq = 0;
    for (uint32_t i = 0; i < N; i++) {
        lp[i] = gsl_rng_alloc(cs_rng_xoshiro256pp);
        CU_ASSERT_PTR_NOT_NULL_FATAL(lp[i]);
        gsl_rng_set(lp[i], 1 + 4 * (uint64_t)i * GOLDEN);
        for (int k = 0; k < P; k++)
            heap_push(h, &n, (struct phold_ev){0.0 + phold_delay(lp[i]), seq++, i});
    }
    uint64_t events = 0;
    while (h[0].t < t_end) {
        struct phold_ev top = h[0];
        count[top.lp]++;
        uint64_t x = gsl_rng_get(lp[top.lp]);
        uint32_t dest = (uint32_t)(((x >> 32) * N) >> 32);
        heap_replace_top(h, n, (struct phold_ev){top.t + phold_delay(lp[top.lp]), seq++, dest});
        events++;
    }
    uint64_t checksum = 0;
    for (uint32_t i = 0; i < N; i++) {
        checksum += count[i] * (2 * (uint64_t)i + 1);
        gsl_rng_free(lp[i]);
    }
    CU_ASSERT_EQUAL(events, 148279);
    CU_ASSERT_EQUAL(checksum, 151699123);
    free(h);
    free(count);
    free(lp);
}

/* Hard-coded from the reference loop's SplitMix64 step, not from cs_mix64. */
static void test_stream_seed_known_answers(void)
{
    CU_ASSERT_EQUAL(cs_rng_seed(1, 0, CS_STREAM_SCHED), 0x71cac37448049ce4u);
    CU_ASSERT_EQUAL(cs_rng_seed(42, 3, CS_STREAM_FAULTS), 0xbe0f3c3af0082172u);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void test_stream_seeds_are_distinct(void)
{
    enum { SEEDS = 4, REPS = 256 };
    size_t total = (size_t)SEEDS * REPS * CS_STREAM_COUNT, k = 0;
    uint64_t *v = malloc(total * sizeof *v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    for (uint64_t seed = 0; seed < SEEDS; seed++)
        for (uint32_t r = 0; r < REPS; r++)
            for (int s = 0; s < CS_STREAM_COUNT; s++)
                v[k++] = cs_rng_seed(seed, r, (enum cs_stream)s);
    qsort(v, total, sizeof *v, cmp_u64);
    size_t dups = 0;
    for (size_t i = 1; i < total; i++)
        dups += v[i] == v[i - 1];
    CU_ASSERT_EQUAL(dups, 0);
    free(v);
}

/* Same (seed, r, s): the same sequence. Change any one of the three: a different one. */
static void test_streams_repeat_and_differ(void)
{
    gsl_rng *a = cs_rng_new(7, 3, CS_STREAM_TRAFFIC);
    gsl_rng *b = cs_rng_new(7, 3, CS_STREAM_TRAFFIC);
    gsl_rng *c[3] = {cs_rng_new(8, 3, CS_STREAM_TRAFFIC), cs_rng_new(7, 4, CS_STREAM_TRAFFIC),
                     cs_rng_new(7, 3, CS_STREAM_FAULTS)};
    CU_ASSERT_FATAL(a != NULL && b != NULL && c[0] != NULL && c[1] != NULL && c[2] != NULL);
    CU_ASSERT_STRING_EQUAL(gsl_rng_name(a), "xoshiro256++");
    int same_ab = 1, same_c[3] = {1, 1, 1};
    for (int i = 0; i < 1000; i++) {
        uint64_t x = gsl_rng_get(a);
        same_ab &= x == gsl_rng_get(b);
        for (int j = 0; j < 3; j++)
            same_c[j] &= x == gsl_rng_get(c[j]);
    }
    CU_ASSERT_TRUE(same_ab);
    for (int j = 0; j < 3; j++)
        CU_ASSERT_FALSE(same_c[j]);
    /* The stream is the generator seeded with cs_rng_seed(). */
    gsl_rng_set(b, cs_rng_seed(7, 3, CS_STREAM_TRAFFIC));
    gsl_rng *d = cs_rng_new(7, 3, CS_STREAM_TRAFFIC);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_EQUAL(gsl_rng_get(b), gsl_rng_get(d));
    gsl_rng_free(d);
    for (int j = 0; j < 3; j++)
        gsl_rng_free(c[j]);
    gsl_rng_free(b);
    gsl_rng_free(a);
}

/* GSL's gsl_rng_uniform_int() divides by scale = (max - min) / n. With max = 2^64 - 1 that
 * must neither overflow nor bias: n = 1 is always 0, n = 3 is even, and n near 2^64 stays
 * below n. */
static void test_uniform_int_with_64_bit_range(void)
{
    gsl_rng *r = cs_rng_new(11, 0, CS_STREAM_SCHED);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    int n1_nonzero = 0;
    for (int i = 0; i < 1000; i++)
        n1_nonzero += gsl_rng_uniform_int(r, 1) != 0;
    CU_ASSERT_EQUAL(n1_nonzero, 0);

    /* Each count is binomial(300000, 1/3): sd = 258, so 5 sd is 1291. */
    enum { DRAWS = 300000 };
    long counts[3] = {0};
    int out_of_range = 0;
    for (int i = 0; i < DRAWS; i++) {
        unsigned long k = gsl_rng_uniform_int(r, 3);
        if (k < 3)
            counts[k]++;
        else
            out_of_range++;
    }
    CU_ASSERT_EQUAL(out_of_range, 0);
    for (int k = 0; k < 3; k++)
        CU_ASSERT(labs(counts[k] - DRAWS / 3) < 1291);

    /* n = 2^63 + 1: scale is 1 and about half the outputs are rejected; the accepted
     * half is uniform, so about half of the draws fall below 2^62. */
    const unsigned long big = (1ul << 63) + 1;
    long low = 0;
    out_of_range = 0;
    for (int i = 0; i < 100000; i++) {
        unsigned long k = gsl_rng_uniform_int(r, big);
        out_of_range += k >= big;
        low += k < (1ul << 62);
    }
    CU_ASSERT_EQUAL(out_of_range, 0);
    CU_ASSERT(labs(low - 50000) < 5 * 158);
    out_of_range = 0;
    for (int i = 0; i < 1000; i++)
        out_of_range += gsl_rng_uniform_int(r, UINT64_MAX) >= UINT64_MAX;
    CU_ASSERT_EQUAL(out_of_range, 0);
    gsl_rng_free(r);
}

/* The counter-based draws, against a reference written apart from this code (Python, from the
 * formulas in rng.h): FNV-1a 64 of "a" is the published 0xaf63dc4c8601ec8c, of "" the offset
 * basis; the key, the draw's seed and the generator's first output after it. */
static void test_counter_draw_known_answers(void)
{
    CU_ASSERT_EQUAL(cs_rng_key("", 0), cs_mix64(cs_mix64(0xcbf29ce484222325u)));
    CU_ASSERT_EQUAL(cs_rng_key("a", 5), cs_mix64(cs_mix64(0xaf63dc4c8601ec8cu) ^ 5));
    CU_ASSERT_EQUAL(cs_rng_key("general", 17), 0xa511478fcd283d86u);
    CU_ASSERT_EQUAL(cs_rng_draw_seed(2026, 5, CS_STREAM_FAULTS, 0xa511478fcd283d86u, 1, 3), 0x12518a757eff15a1u);
    gsl_rng *g = cs_rng_new(1, 0, CS_STREAM_SCHED);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    gsl_rng_get(g);   /* whatever state it had, the draw starts over */
    CU_ASSERT_PTR_EQUAL(cs_rng_draw(g, 2026, 5, CS_STREAM_FAULTS, cs_rng_key("general", 17), 1, 3), g);
    CU_ASSERT_EQUAL(gsl_rng_get(g), 0xae22dcf315358c93u);
    gsl_rng_free(g);
}

/* Pearson's r of n pairs. */
static double correlation(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i] / (double)n;
        my += y[i] / (double)n;
    }
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

/* The draws a node makes, and those of its neighbours, must look independent, as the k-out-of-n
 * validation needs: the first uniform of draws k = 0 .. N-1 of one key is uniform (chi-square over
 * 100 bins: 99 degrees of freedom, sd 14, so below 99 + 5 sd), and draw k is uncorrelated with draw
 * k + 1, with the same draw of the next node (index + 1), of the other kind, and with the second
 * uniform of the same draw (|r| below 5 / sqrt(N)). */
static void test_counter_draws_are_uniform_and_uncorrelated(void)
{
    enum { N = 100000, BINS = 100 };
    double *u = malloc(N * sizeof *u), *next = malloc(N * sizeof *next), *kind = malloc(N * sizeof *kind),
           *second = malloc(N * sizeof *second);
    CU_ASSERT_FATAL(u != NULL && next != NULL && kind != NULL && second != NULL);
    gsl_rng *g = gsl_rng_alloc(cs_rng_xoshiro256pp);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    long bins[BINS] = {0};
    uint64_t key = cs_rng_key("pool", 3);
    for (uint32_t k = 0; k < N; k++) {
        u[k] = gsl_rng_uniform(cs_rng_draw(g, 9, 1, CS_STREAM_FAULTS, key, 0, k));
        second[k] = gsl_rng_uniform(g);
        next[k] = gsl_rng_uniform(cs_rng_draw(g, 9, 1, CS_STREAM_FAULTS, cs_rng_key("pool", 4), 0, k));
        kind[k] = gsl_rng_uniform(cs_rng_draw(g, 9, 1, CS_STREAM_FAULTS, key, 1, k));
        bins[(int)(u[k] * BINS)]++;
    }
    double chi2 = 0;
    for (int b = 0; b < BINS; b++)
        chi2 += (bins[b] - N / BINS) * (double)(bins[b] - N / BINS) / (N / BINS);
    CU_ASSERT(chi2 < 99 + 5 * 14);
    double limit = 5 / sqrt(N);
    CU_ASSERT(fabs(correlation(u, u + 1, N - 1)) < limit);
    CU_ASSERT(fabs(correlation(u, next, N)) < limit);
    CU_ASSERT(fabs(correlation(u, kind, N)) < limit);
    CU_ASSERT(fabs(correlation(u, second, N)) < limit);
    gsl_rng_free(g);
    free(u);
    free(next);
    free(kind);
    free(second);
}

static CU_TestInfo tests[] = {
    {"the type is full 64 bits", test_type_is_full_64_bits},
    {"mix64 is the SplitMix64 finaliser", test_mix64_is_the_splitmix64_finaliser},
    {"seed 1 known answers", test_seed_1_known_answers},
    {"seed 0 known answers", test_seed_0_known_answers},
    {"uniform is the top 53 bits", test_uniform_is_top_53_bits},
    {"PHOLD phold-1k T_end=10 reference row", test_phold_reference_row},
    {"stream seed known answers", test_stream_seed_known_answers},
    {"stream seeds are distinct", test_stream_seeds_are_distinct},
    {"streams repeat and differ", test_streams_repeat_and_differ},
    {"uniform_int with a 64-bit range", test_uniform_int_with_64_bit_range},
    {"counter draw known answers", test_counter_draw_known_answers},
    {"counter draws are uniform and uncorrelated", test_counter_draws_are_uniform_and_uncorrelated},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_rng_suite = {.pName = "rng", .pTests = tests};
