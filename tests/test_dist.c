/* test_dist.c -- sampling, means, checks and the lognormal fit of the distributions.
 *
 * Moment tests draw 200 000 values from a fixed stream and accept a sample mean within
 * 5 standard errors of the true mean, and a sample variance within 5 estimated standard
 * errors of the true variance. The draws are deterministic, so the tests cannot flake, and
 * the bounds are still a few thousandths of the mean: swapping a Weibull's shape and scale
 * or reading a gamma's scale as a rate moves the mean by hundreds of standard errors.
 */
#include <CUnit/CUnit.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clustersim/dist.h"
#include "clustersim/rng.h"

enum { DRAWS = 200000 };
static const double pi = 3.14159265358979323846;   /* M_PI is not in strict C11 */

static gsl_rng *stream_for_test(uint32_t r)
{
    return cs_rng_new(20240601, r, CS_STREAM_WORKLOAD);
}

/* Draws DRAWS values and asserts their mean and variance against the true ones. */
static void assert_moments(const cs_dist *d, double mean, double var, uint32_t stream)
{
    gsl_rng *r = stream_for_test(stream);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    double *x = malloc(DRAWS * sizeof *x);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    double sum = 0;
    for (int i = 0; i < DRAWS; i++)
        sum += x[i] = cs_dist_sample(d, r);
    double m = sum / DRAWS, m2 = 0, m4 = 0;
    for (int i = 0; i < DRAWS; i++) {
        double e = (x[i] - m) * (x[i] - m);
        m2 += e;
        m4 += e * e;
    }
    m2 /= DRAWS - 1;
    m4 /= DRAWS;
    double se_mean = sqrt(var / DRAWS);
    double se_var = sqrt((m4 - m2 * m2) / DRAWS);   /* large-sample sd of the sample variance */
    CU_ASSERT(fabs(m - mean) < 5 * se_mean);
    CU_ASSERT(fabs(m2 - var) < 5 * se_var);
    CU_ASSERT_DOUBLE_EQUAL(cs_dist_mean(d), mean, 1e-12 * fmax(1, fabs(mean)));
    free(x);
    gsl_rng_free(r);
}

static void test_constant(void)
{
    cs_dist d = {.kind = CS_DIST_CONSTANT, .p1 = -2.5};
    gsl_rng *r = stream_for_test(0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(cs_dist_sample(&d, r), -2.5);
    CU_ASSERT_EQUAL(cs_dist_mean(&d), -2.5);
    gsl_rng_free(r);
}

static void test_uniform_moments(void)
{
    cs_dist d = {.kind = CS_DIST_UNIFORM, .p1 = 2, .p2 = 6};
    assert_moments(&d, 4, 16.0 / 12, 1);
}

static void test_exponential_moments(void)
{
    cs_dist d = {.kind = CS_DIST_EXPONENTIAL, .p1 = 2};   /* the mean, not the rate */
    assert_moments(&d, 2, 4, 2);
}

static void test_normal_moments(void)
{
    cs_dist d = {.kind = CS_DIST_NORMAL, .p1 = 5, .p2 = 2};
    assert_moments(&d, 5, 4, 3);
}

static void test_lognormal_moments(void)
{
    cs_dist d = {.kind = CS_DIST_LOGNORMAL, .p1 = 0.5, .p2 = 0.5};
    double mean = exp(0.5 + 0.125), var = (exp(0.25) - 1) * exp(1 + 0.25);
    assert_moments(&d, mean, var, 4);
}

/* Shape 2, scale 3: mean 6, variance 18. Read as a rate, the mean would be 2/3. */
static void test_gamma_moments(void)
{
    cs_dist d = {.kind = CS_DIST_GAMMA, .p1 = 2, .p2 = 3};
    assert_moments(&d, 6, 18, 5);
    cs_dist small = {.kind = CS_DIST_GAMMA, .p1 = 0.5, .p2 = 2};   /* GSL's shape < 1 branch */
    assert_moments(&small, 1, 2, 6);
}

/* Shape 2, scale 3: mean 3 Gamma(3/2) = 3 sqrt(pi) / 2, variance 9 (1 - pi / 4).
 * Swapped (shape 3, scale 2) the mean would be 2 Gamma(4/3) = 1.786. */
static void test_weibull_moments(void)
{
    cs_dist d = {.kind = CS_DIST_WEIBULL, .p1 = 2, .p2 = 3};
    assert_moments(&d, 3 * sqrt(pi) / 2, 9 * (1 - pi / 4), 7);
    cs_dist expo = {.kind = CS_DIST_WEIBULL, .p1 = 1, .p2 = 0.5};   /* exponential, mean 0.5 */
    assert_moments(&expo, 0.5, 0.25, 8);
}

static void test_empirical_picks_each_sample_evenly(void)
{
    static const double samples[] = {1, 2, 10};
    cs_dist d = {.kind = CS_DIST_EMPIRICAL, .samples = samples, .n = 3};
    CU_ASSERT_DOUBLE_EQUAL(cs_dist_mean(&d), 13.0 / 3, 1e-12);
    gsl_rng *r = stream_for_test(9);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    long counts[3] = {0}, other = 0;
    for (int i = 0; i < DRAWS; i++) {
        double x = cs_dist_sample(&d, r);
        if (x == 1)
            counts[0]++;
        else if (x == 2)
            counts[1]++;
        else if (x == 10)
            counts[2]++;
        else
            other++;
    }
    CU_ASSERT_EQUAL(other, 0);
    /* binomial(200000, 1/3): sd 211 */
    for (int k = 0; k < 3; k++)
        CU_ASSERT(labs(counts[k] - DRAWS / 3) < 5 * 211);
    gsl_rng_free(r);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median 0.2 s, p99 2 s: half the draws fall below 0.2 and 99% below 2. The fractions are
 * binomial, so 5 sd is 0.0056 at the median and 0.0011 at p99. */
static void test_lognormal_from_median_and_p99(void)
{
    cs_dist d = {0};
    CU_ASSERT_TRUE_FATAL(cs_dist_lognormal_median_p99(0.2, 2.0, &d));
    CU_ASSERT_EQUAL(d.kind, CS_DIST_LOGNORMAL);
    CU_ASSERT_DOUBLE_EQUAL(d.p1, log(0.2), 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(d.p2, log(10.0) / 2.3263478740408408, 1e-12);   /* z_0.99 */
    CU_ASSERT_PTR_NULL(cs_dist_check(&d));

    gsl_rng *r = stream_for_test(10);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    double *x = malloc(DRAWS * sizeof *x);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    long below_median = 0, below_p99 = 0;
    for (int i = 0; i < DRAWS; i++) {
        x[i] = cs_dist_sample(&d, r);
        below_median += x[i] < 0.2;
        below_p99 += x[i] < 2.0;
    }
    CU_ASSERT(fabs((double)below_median / DRAWS - 0.5) < 0.0056);
    CU_ASSERT(fabs((double)below_p99 / DRAWS - 0.99) < 0.0011);
    /* The same through the order statistics: the sample median and p99 lie within a few
     * percent of the asked values. */
    qsort(x, DRAWS, sizeof *x, cmp_double);
    CU_ASSERT(fabs(x[DRAWS / 2] / 0.2 - 1) < 0.02);
    CU_ASSERT(fabs(x[DRAWS * 99 / 100] / 2.0 - 1) < 0.05);
    free(x);
    gsl_rng_free(r);
}

static void test_lognormal_fit_rejects_bad_values(void)
{
    cs_dist d = {.kind = CS_DIST_CONSTANT, .p1 = 42};
    CU_ASSERT_FALSE(cs_dist_lognormal_median_p99(0, 1, &d));
    CU_ASSERT_FALSE(cs_dist_lognormal_median_p99(-1, 1, &d));
    CU_ASSERT_FALSE(cs_dist_lognormal_median_p99(2, 1, &d));
    CU_ASSERT_FALSE(cs_dist_lognormal_median_p99(1, 1, &d));
    CU_ASSERT_FALSE(cs_dist_lognormal_median_p99(NAN, 1, &d));
    CU_ASSERT_FALSE(cs_dist_lognormal_median_p99(1, INFINITY, &d));
    CU_ASSERT_EQUAL(d.kind, CS_DIST_CONSTANT);   /* left untouched */
    CU_ASSERT_EQUAL(d.p1, 42);
}

static cs_time time_of(double seconds)
{
    cs_dist d = {.kind = CS_DIST_CONSTANT, .p1 = seconds};
    return cs_dist_sample_time(&d, NULL);   /* a constant draws nothing */
}

static void test_sample_time_rounds_and_saturates(void)
{
    CU_ASSERT_EQUAL(time_of(1.5), 1500 * CS_MS);
    CU_ASSERT_EQUAL(time_of(1.0000000004), CS_SECOND);
    CU_ASSERT_EQUAL(time_of(1.0000000006), CS_SECOND + 1);
    CU_ASSERT_EQUAL(time_of(3e-10), 0);
    CU_ASSERT_EQUAL(time_of(7e-10), 1);
    CU_ASSERT_EQUAL(time_of(0), 0);
    CU_ASSERT_EQUAL(time_of(-3), 0);
    CU_ASSERT_EQUAL(time_of(-INFINITY), 0);
    CU_ASSERT_EQUAL(time_of(9.2e9), (cs_time)9.2e18);   /* 291.5 years still fits */
    CU_ASSERT_EQUAL(time_of(1e10), CS_TIME_MAX);         /* 317 years does not */
    CU_ASSERT_EQUAL(time_of(9.223372036854775807e9), CS_TIME_MAX);
    CU_ASSERT_EQUAL(time_of(INFINITY), CS_TIME_MAX);
    CU_ASSERT_EQUAL(time_of(NAN), CS_TIME_MAX);
}

/* A normal's negative tail becomes 0 ns; about half the draws of N(0, 1) do. */
static void test_sample_time_clamps_negative_draws(void)
{
    cs_dist d = {.kind = CS_DIST_NORMAL, .p1 = 0, .p2 = 1};
    gsl_rng *r = stream_for_test(11);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    long zeros = 0, negative = 0;
    for (int i = 0; i < 10000; i++) {
        cs_time t = cs_dist_sample_time(&d, r);
        zeros += t == 0;
        negative += t < 0;
    }
    CU_ASSERT_EQUAL(negative, 0);
    CU_ASSERT(labs(zeros - 5000) < 5 * 50);
    gsl_rng_free(r);
}

static void test_check_accepts_valid(void)
{
    static const double samples[] = {0.5};
    const cs_dist ok[] = {
        {.kind = CS_DIST_CONSTANT, .p1 = -1},   /* sign is the caller's business */
        {.kind = CS_DIST_UNIFORM, .p1 = 1, .p2 = 1},
        {.kind = CS_DIST_EXPONENTIAL, .p1 = 0.1},
        {.kind = CS_DIST_NORMAL, .p1 = -3, .p2 = 0},
        {.kind = CS_DIST_LOGNORMAL, .p1 = -2, .p2 = 0},
        {.kind = CS_DIST_GAMMA, .p1 = 0.3, .p2 = 7},
        {.kind = CS_DIST_WEIBULL, .p1 = 1.5, .p2 = 0.2},
        {.kind = CS_DIST_EMPIRICAL, .samples = samples, .n = 1},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        CU_ASSERT_PTR_NULL(cs_dist_check(&ok[i]));
}

static void test_check_rejects_invalid(void)
{
    static const double samples[] = {1, NAN};
    const struct {
        cs_dist d;
        const char *msg;
    } bad[] = {
        {{.kind = CS_DIST_CONSTANT, .p1 = NAN}, "the constant value must be a finite number"},
        {{.kind = CS_DIST_UNIFORM, .p1 = 2, .p2 = 1}, "the uniform upper bound must be >= the lower bound"},
        {{.kind = CS_DIST_UNIFORM, .p1 = 0, .p2 = INFINITY}, "the uniform bounds must be finite numbers"},
        {{.kind = CS_DIST_EXPONENTIAL, .p1 = 0}, "the exponential mean must be > 0"},
        {{.kind = CS_DIST_EXPONENTIAL, .p1 = -1}, "the exponential mean must be > 0"},
        {{.kind = CS_DIST_EXPONENTIAL, .p1 = INFINITY}, "the exponential mean must be a finite number"},
        {{.kind = CS_DIST_NORMAL, .p1 = 1, .p2 = -0.1}, "the normal standard deviation must be a finite number >= 0"},
        {{.kind = CS_DIST_NORMAL, .p1 = NAN, .p2 = 1}, "the normal mean must be a finite number"},
        {{.kind = CS_DIST_LOGNORMAL, .p1 = 0, .p2 = -1}, "the lognormal sigma must be a finite number >= 0"},
        {{.kind = CS_DIST_LOGNORMAL, .p1 = 0, .p2 = NAN}, "the lognormal sigma must be a finite number >= 0"},
        {{.kind = CS_DIST_GAMMA, .p1 = 0, .p2 = 1}, "the gamma shape must be a finite number > 0"},
        {{.kind = CS_DIST_GAMMA, .p1 = 1, .p2 = 0}, "the gamma scale must be a finite number > 0"},
        {{.kind = CS_DIST_WEIBULL, .p1 = -1, .p2 = 1}, "the weibull shape must be a finite number > 0"},
        {{.kind = CS_DIST_WEIBULL, .p1 = 1, .p2 = INFINITY}, "the weibull scale must be a finite number > 0"},
        {{.kind = CS_DIST_EMPIRICAL, .samples = samples, .n = 0}, "an empirical distribution needs at least one sample"},
        {{.kind = CS_DIST_EMPIRICAL, .samples = NULL, .n = 3}, "an empirical distribution needs at least one sample"},
        {{.kind = CS_DIST_EMPIRICAL, .samples = samples, .n = 2}, "every empirical sample must be a finite number"},
        {{.kind = (cs_dist_kind)99}, "unknown distribution kind"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *m = cs_dist_check(&bad[i].d);
        CU_ASSERT_PTR_NOT_NULL(m);
        if (m != NULL)
            CU_ASSERT_STRING_EQUAL(m, bad[i].msg);
    }
}

static void test_means(void)
{
    static const double samples[] = {1, 2, 6};
    CU_ASSERT_DOUBLE_EQUAL(cs_dist_mean(&(cs_dist){.kind = CS_DIST_UNIFORM, .p1 = -1, .p2 = 3}), 1, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(cs_dist_mean(&(cs_dist){.kind = CS_DIST_LOGNORMAL, .p1 = 1, .p2 = 2}), exp(3), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cs_dist_mean(&(cs_dist){.kind = CS_DIST_GAMMA, .p1 = 2.5, .p2 = 4}), 10, 1e-15);
    /* Weibull shape 0.5, scale 2: 2 Gamma(3) = 4. */
    CU_ASSERT_DOUBLE_EQUAL(cs_dist_mean(&(cs_dist){.kind = CS_DIST_WEIBULL, .p1 = 0.5, .p2 = 2}), 4, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cs_dist_mean(&(cs_dist){.kind = CS_DIST_EMPIRICAL, .samples = samples, .n = 3}), 3, 1e-15);
}

static void test_kind_names(void)
{
    CU_ASSERT_STRING_EQUAL(cs_dist_kind_name(CS_DIST_CONSTANT), "constant");
    CU_ASSERT_STRING_EQUAL(cs_dist_kind_name(CS_DIST_UNIFORM), "uniform");
    CU_ASSERT_STRING_EQUAL(cs_dist_kind_name(CS_DIST_EXPONENTIAL), "exponential");
    CU_ASSERT_STRING_EQUAL(cs_dist_kind_name(CS_DIST_NORMAL), "normal");
    CU_ASSERT_STRING_EQUAL(cs_dist_kind_name(CS_DIST_LOGNORMAL), "lognormal");
    CU_ASSERT_STRING_EQUAL(cs_dist_kind_name(CS_DIST_GAMMA), "gamma");
    CU_ASSERT_STRING_EQUAL(cs_dist_kind_name(CS_DIST_WEIBULL), "weibull");
    CU_ASSERT_STRING_EQUAL(cs_dist_kind_name(CS_DIST_EMPIRICAL), "empirical");
    CU_ASSERT_STRING_EQUAL(cs_dist_kind_name((cs_dist_kind)99), "unknown");
}

/* The same stream gives the same draws, bit for bit; another replication does not. */
static void test_fixed_seed_repeats(void)
{
    cs_dist d = {.kind = CS_DIST_GAMMA, .p1 = 0.7, .p2 = 1.3};
    gsl_rng *a = stream_for_test(12), *b = stream_for_test(12), *c = stream_for_test(13);
    CU_ASSERT_FATAL(a != NULL && b != NULL && c != NULL);
    int same_ab = 1, same_ac = 1;
    for (int i = 0; i < 1000; i++) {
        double x = cs_dist_sample(&d, a);
        same_ab &= x == cs_dist_sample(&d, b);
        same_ac &= x == cs_dist_sample(&d, c);
    }
    CU_ASSERT_TRUE(same_ab);
    CU_ASSERT_FALSE(same_ac);
    gsl_rng_free(c);
    gsl_rng_free(b);
    gsl_rng_free(a);
}

static CU_TestInfo tests[] = {
    {"constant", test_constant},
    {"uniform moments", test_uniform_moments},
    {"exponential moments", test_exponential_moments},
    {"normal moments", test_normal_moments},
    {"lognormal moments", test_lognormal_moments},
    {"gamma moments (shape, scale)", test_gamma_moments},
    {"weibull moments (shape, scale)", test_weibull_moments},
    {"empirical picks each sample evenly", test_empirical_picks_each_sample_evenly},
    {"lognormal from median and p99", test_lognormal_from_median_and_p99},
    {"lognormal fit rejects bad values", test_lognormal_fit_rejects_bad_values},
    {"sample_time rounds and saturates", test_sample_time_rounds_and_saturates},
    {"sample_time clamps negative draws", test_sample_time_clamps_negative_draws},
    {"check accepts valid parameters", test_check_accepts_valid},
    {"check rejects invalid parameters", test_check_rejects_invalid},
    {"analytic means", test_means},
    {"kind names", test_kind_names},
    {"a fixed seed repeats", test_fixed_seed_repeats},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_dist_suite = {.pName = "dist", .pTests = tests};
