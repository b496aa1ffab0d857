/* test_stats.c -- replication summaries against hand-computed and published values.
 *
 * t quantiles are from the standard table (t_0.975,4 = 2.776445105, t_0.95,4 = 2.131846786);
 * the Wilson intervals for 0, 5 and 10 successes out of 10 at 95% are the published ones
 * ([0, 0.2775], [0.2366, 0.7634], [0.7225, 1]).
 */
#include <CUnit/CUnit.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clustersim/arena.h"
#include "clustersim/stats.h"

static void test_summary_of_one_to_five(void)
{
    double x[] = {1, 2, 3, 4, 5};
    cs_stat s;
    cs_stat_summarise(x, 5, 0.95, &s);
    double half = 2.776445105197793 * sqrt(2.5) / sqrt(5);   /* 1.963243... */
    CU_ASSERT_EQUAL(s.n, 5);
    CU_ASSERT_DOUBLE_EQUAL(s.mean, 3, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(s.sd, sqrt(2.5), 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(half, 1.963243, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(s.ci_lo, 3 - half, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(s.ci_hi, 3 + half, 1e-9);
    CU_ASSERT_EQUAL(s.min, 1);
    CU_ASSERT_EQUAL(s.max, 5);

    /* At 90% the interval narrows to t_0.95,4 = 2.131846786. */
    cs_stat s90;
    cs_stat_summarise(x, 5, 0.90, &s90);
    double half90 = 2.131846786326649 * sqrt(0.5);
    CU_ASSERT_DOUBLE_EQUAL(s90.ci_lo, 3 - half90, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(s90.ci_hi, 3 + half90, 1e-9);
}

/* Order does not matter to the values, and min and max are not the first and last. */
static void test_summary_unordered(void)
{
    double x[] = {4, -2, 10, 0};
    cs_stat s;
    cs_stat_summarise(x, 4, 0.95, &s);
    /* mean 3; squared deviations 1 + 25 + 49 + 9 = 84; sd = sqrt(84 / 3) = sqrt(28);
     * t_0.975,3 = 3.182446305. */
    CU_ASSERT_DOUBLE_EQUAL(s.mean, 3, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(s.sd, sqrt(28), 1e-13);
    CU_ASSERT_DOUBLE_EQUAL(s.ci_hi - s.mean, 3.182446305284263 * sqrt(28) / 2, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(s.mean - s.ci_lo, 3.182446305284263 * sqrt(28) / 2, 1e-9);
    CU_ASSERT_EQUAL(s.min, -2);
    CU_ASSERT_EQUAL(s.max, 10);
}

static void test_summary_of_one_value(void)
{
    double x[] = {7.25};
    cs_stat s;
    cs_stat_summarise(x, 1, 0.95, &s);
    CU_ASSERT_EQUAL(s.n, 1);
    CU_ASSERT_EQUAL(s.mean, 7.25);
    CU_ASSERT_EQUAL(s.sd, 0);
    CU_ASSERT_EQUAL(s.ci_lo, 7.25);
    CU_ASSERT_EQUAL(s.ci_hi, 7.25);
    CU_ASSERT_EQUAL(s.min, 7.25);
    CU_ASSERT_EQUAL(s.max, 7.25);
}

static void test_summary_of_nothing(void)
{
    cs_stat s = {.n = 99, .mean = 1, .sd = 1, .ci_lo = 1, .ci_hi = 1, .min = 1, .max = 1};
    cs_stat_summarise(NULL, 0, 0.95, &s);
    CU_ASSERT_EQUAL(s.n, 0);
    CU_ASSERT_EQUAL(s.mean, 0);
    CU_ASSERT_EQUAL(s.sd, 0);
    CU_ASSERT_EQUAL(s.ci_lo, 0);
    CU_ASSERT_EQUAL(s.ci_hi, 0);
    CU_ASSERT_EQUAL(s.min, 0);
    CU_ASSERT_EQUAL(s.max, 0);
}

/* Equal values: sd 0, so the interval closes on the mean. */
static void test_summary_of_equal_values(void)
{
    double x[] = {2, 2, 2};
    cs_stat s;
    cs_stat_summarise(x, 3, 0.99, &s);
    CU_ASSERT_EQUAL(s.sd, 0);
    CU_ASSERT_EQUAL(s.ci_lo, 2);
    CU_ASSERT_EQUAL(s.ci_hi, 2);
}

/* Quantiles interpolate between order statistics at h = (n - 1) f (R's quantile type 7):
 * for -2, 0, 4, 10 (given unsorted), p5 is at h = 0.15, -2 + 0.15 x 2 = -1.7; p50 at h = 1.5,
 * 0 + 0.5 x 4 = 2; p95 at h = 2.85, 4 + 0.85 x 6 = 9.1. For 1..5: 1.2, 3 and 4.8. R gives
 * the same: quantile(c(4, -2, 10, 0), c(.05, .5, .95)) is -1.7 2.0 9.1. */
static void test_quantiles_interpolate_order_statistics(void)
{
    double x[] = {4, -2, 10, 0};
    cs_stat s;
    cs_stat_summarise(x, 4, 0.95, &s);
    CU_ASSERT_DOUBLE_EQUAL(s.p5, -1.7, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(s.p50, 2, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(s.p95, 9.1, 1e-12);
    CU_ASSERT_TRUE(x[0] == -2 && x[1] == 0 && x[2] == 4 && x[3] == 10);   /* sorted in place */
    double y[] = {5, 4, 3, 2, 1};
    cs_stat_summarise(y, 5, 0.95, &s);
    CU_ASSERT_DOUBLE_EQUAL(s.p5, 1.2, 1e-12);
    CU_ASSERT_EQUAL(s.p50, 3);
    CU_ASSERT_DOUBLE_EQUAL(s.p95, 4.8, 1e-12);
    double one[] = {7.25};
    cs_stat_summarise(one, 1, 0.95, &s);
    CU_ASSERT_EQUAL(s.p5, 7.25);
    CU_ASSERT_EQUAL(s.p95, 7.25);
    const double sorted[] = {0, 10};
    CU_ASSERT_EQUAL(cs_stat_quantile_sorted(sorted, 2, 0), 0);
    CU_ASSERT_EQUAL(cs_stat_quantile_sorted(sorted, 2, 1), 10);
    CU_ASSERT_DOUBLE_EQUAL(cs_stat_quantile_sorted(sorted, 2, 0.999), 9.99, 1e-12);
}

/* Running shifted sums give the mean and interval of the whole-sample formulas: 4, -2, 10, 0
 * has mean 3 and sd sqrt(28) (as in test_summary_unordered); values 1e9 + {4, -2, 10, 0}
 * keep the same sd, which the plain sum of squares would lose to cancellation. */
static void test_running_sums_match_the_sample_formulas(void)
{
    double x[] = {4, -2, 10, 0};
    double half = 3.182446305284263 * sqrt(28) / 2, mean, lo, hi;
    for (int far = 0; far < 2; far++) {
        cs_stat_sums s = {0};
        double off = far ? 1e9 : 0;
        for (int i = 0; i < 4; i++)
            cs_stat_sums_add(&s, off + x[i]);
        cs_stat_sums_ci(&s, 0.95, &mean, &lo, &hi);
        CU_ASSERT_DOUBLE_EQUAL(mean, off + 3, 1e-15);
        /* Far from 0 the ends are themselves rounded to 1e9's ulp, 1.2e-7. */
        double tol = far ? 1e-6 : 1e-9;
        CU_ASSERT_DOUBLE_EQUAL(hi - mean, half, tol);
        CU_ASSERT_DOUBLE_EQUAL(mean - lo, half, tol);
    }
    cs_stat_sums one = {0};
    cs_stat_sums_add(&one, 7.5);
    cs_stat_sums_ci(&one, 0.95, &mean, &lo, &hi);
    CU_ASSERT_EQUAL(mean, 7.5);
    CU_ASSERT_EQUAL(lo, 7.5);
    CU_ASSERT_EQUAL(hi, 7.5);
    cs_stat_sums none = {0};
    cs_stat_sums_ci(&none, 0.95, &mean, &lo, &hi);
    CU_ASSERT_EQUAL(mean, 0);
}

static void test_wilson_published_values(void)
{
    double lo, hi;
    cs_stat_wilson(0, 10, 0.95, &lo, &hi);
    CU_ASSERT_EQUAL(lo, 0);
    CU_ASSERT_DOUBLE_EQUAL(hi, 0.2775, 5e-5);
    cs_stat_wilson(10, 10, 0.95, &lo, &hi);
    CU_ASSERT_DOUBLE_EQUAL(lo, 0.7225, 5e-5);
    CU_ASSERT_EQUAL(hi, 1);
    cs_stat_wilson(5, 10, 0.95, &lo, &hi);
    CU_ASSERT_DOUBLE_EQUAL(lo, 0.2366, 5e-5);
    CU_ASSERT_DOUBLE_EQUAL(hi, 0.7634, 5e-5);
}

static void test_wilson_without_trials(void)
{
    double lo = -1, hi = -1;
    cs_stat_wilson(0, 0, 0.95, &lo, &hi);
    CU_ASSERT_EQUAL(lo, 0);
    CU_ASSERT_EQUAL(hi, 1);
}

/* The interval for s of n mirrors the one for n - s, always holds s / n, stays in [0, 1],
 * and widens with the level. */
static void test_wilson_properties(void)
{
    for (uint64_t n = 1; n <= 40; n++) {
        for (uint64_t s = 0; s <= n; s++) {
            double lo, hi, mlo, mhi, wlo, whi;
            cs_stat_wilson(s, n, 0.95, &lo, &hi);
            cs_stat_wilson(n - s, n, 0.95, &mlo, &mhi);
            cs_stat_wilson(s, n, 0.99, &wlo, &whi);
            double p = (double)s / (double)n;
            if (!(0 <= lo && lo <= p && p <= hi && hi <= 1) || fabs(lo - (1 - mhi)) > 1e-12 ||
                fabs(hi - (1 - mlo)) > 1e-12 || !(wlo <= lo && hi <= whi) ||
                (s > 0 && s < n && !(wlo < lo && hi < whi))) {
                CU_FAIL("a Wilson interval property failed");
                return;
            }
        }
    }
}

/* The quantiles sort the values in place, so a summary needs no memory: with every allocation
 * failing (cs_alloc_fail_after(1)) it is whole, and the armed failure is still pending after
 * it. The mean and sd are taken before the sort, in the order given: for 6.5, 0, 8.4, 9.5, 0.9
 * the sd of that order and of the sorted one differ in the last bit, and the summary has the
 * first. Quantiles by hand as above: 0, 0.9, 6.5, 8.4, 9.5 give p5 at h = 0.2, 0 + 0.2 x 0.9
 * = 0.18; p50 = 6.5; p95 at h = 3.8, 8.4 + 0.8 x 1.1 = 9.28. */
static void test_a_summary_needs_no_memory(void)
{
    double x[] = {6.5, 0, 8.4, 9.5, 0.9};
    double given_sd = gsl_stats_sd(x, 1, 5), sorted[] = {0, 0.9, 6.5, 8.4, 9.5};
    CU_ASSERT_NOT_EQUAL(given_sd, gsl_stats_sd(sorted, 1, 5));   /* the order shows in the bits */
    cs_stat s;
    cs_alloc_fail_after(1);
    cs_stat_summarise(x, 5, 0.95, &s);
    void *p = cs_xmalloc(1);
    cs_alloc_fail_after(0);
    CU_ASSERT_PTR_NULL(p);   /* the failure armed before the summary was not spent by it */
    free(p);
    CU_ASSERT_EQUAL(s.n, 5);
    CU_ASSERT_EQUAL(s.sd, given_sd);
    CU_ASSERT_DOUBLE_EQUAL(s.p5, 0.18, 1e-12);
    CU_ASSERT_EQUAL(s.p50, 6.5);
    CU_ASSERT_DOUBLE_EQUAL(s.p95, 9.28, 1e-12);
    CU_ASSERT_FALSE(isnan(s.p5) || isnan(s.p50) || isnan(s.p95));
    CU_ASSERT_EQUAL(memcmp(x, sorted, sizeof x), 0);
}

static CU_TestInfo tests[] = {
    {"summary of 1..5", test_summary_of_one_to_five},
    {"summary of unordered values", test_summary_unordered},
    {"summary of one value", test_summary_of_one_value},
    {"summary of nothing", test_summary_of_nothing},
    {"summary of equal values", test_summary_of_equal_values},
    {"quantiles interpolate order statistics", test_quantiles_interpolate_order_statistics},
    {"running sums match the sample formulas", test_running_sums_match_the_sample_formulas},
    {"wilson published values", test_wilson_published_values},
    {"wilson without trials", test_wilson_without_trials},
    {"wilson properties", test_wilson_properties},
    {"a summary needs no memory", test_a_summary_needs_no_memory},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_stats_suite = {.pName = "stats", .pTests = tests};
