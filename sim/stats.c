/* stats.c -- summaries across replications: mean, Student-t interval, quantiles, Wilson
 * interval.
 *
 * Each function is pure: it reads its arguments, writes its out-parameters and keeps no
 * state, so a summary depends only on the values and their (replication) order; the one
 * side effect, cs_stat_summarise sorting its values once it has used their order, is what
 * lets the quantiles need no memory, so no summary can fail or come out NaN for lack of it. GSL's
 * error handler may be off, so nothing here relies on GSL aborting: the level is checked
 * before any quantile is asked for.
 */
#include "clustersim/stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

double cs_stat_quantile_sorted(const double *sorted, size_t n, double f)
{
    CS_ASSERT(n >= 1 && f >= 0 && f <= 1);
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, f);
}

/* Sorts x in place and reads the quantiles from it: the caller's values are the scratch, so
 * nothing is allocated and nothing can fail. */
static void quantiles(double *x, size_t n, cs_stat *s)
{
    gsl_sort(x, 1, n);
    s->p5 = cs_stat_quantile_sorted(x, n, 0.05);
    s->p50 = cs_stat_quantile_sorted(x, n, 0.50);
    s->p95 = cs_stat_quantile_sorted(x, n, 0.95);
}

/* Mean, sd and the t interval; sd is 0 and the interval closed when n == 1. */
static void mean_sd_ci(const double *x, size_t n, double level, double *mean, double *sd, double *lo, double *hi)
{
    CS_ASSERT(level > 0 && level < 1 && n >= 1);
    *mean = gsl_stats_mean(x, 1, n);
    *sd = 0;
    *lo = *hi = *mean;
    if (n >= 2) {
        *sd = gsl_stats_sd_m(x, 1, n, *mean);
        double t = gsl_cdf_tdist_Pinv((1 + level) / 2, (double)(n - 1));
        double half = t * *sd / sqrt((double)n);
        *lo = *mean - half;
        *hi = *mean + half;
    }
}

void cs_stat_sums_add(cs_stat_sums *s, double x)
{
    if (s->n++ == 0)
        s->shift = x;
    double d = x - s->shift;
    s->sum += d;
    s->sq += d * d;
}

void cs_stat_sums_ci(const cs_stat_sums *s, double level, double *mean, double *lo, double *hi)
{
    CS_ASSERT(level > 0 && level < 1);
    double n = (double)s->n;
    *mean = *lo = *hi = s->n > 0 ? s->shift + s->sum / n : 0;
    if (s->n < 2)
        return;
    /* Rounding can leave a variance of all-equal values a hair below 0. */
    double var = fmax(0, (s->sq - s->sum * s->sum / n) / (n - 1));
    double half = gsl_cdf_tdist_Pinv((1 + level) / 2, n - 1) * sqrt(var) / sqrt(n);
    *lo = *mean - half;
    *hi = *mean + half;
}

void cs_stat_summarise(double *x, size_t n, double level, cs_stat *out)
{
    CS_ASSERT(level > 0 && level < 1);
    if (n == 0) {
        *out = (cs_stat){0};
        return;
    }
    cs_stat s = {.n = n};
    mean_sd_ci(x, n, level, &s.mean, &s.sd, &s.ci_lo, &s.ci_hi);
    gsl_stats_minmax(&s.min, &s.max, x, 1, n);
    quantiles(x, n, &s);   /* last: it reorders x */
    *out = s;
}

/* Wilson (1927): the interval of proportions p whose score test |p_hat - p| / sqrt(p (1-p) / n)
 * stays below z, which is well behaved at 0 and n successes, where the Wald interval
 * collapses to a point. */
void cs_stat_wilson(uint64_t successes, uint64_t n, double level, double *lo, double *hi)
{
    CS_ASSERT(level > 0 && level < 1);
    CS_ASSERT(successes <= n);
    if (n == 0) {
        *lo = 0;
        *hi = 1;
        return;
    }
    double z = gsl_cdf_ugaussian_Pinv((1 + level) / 2);
    double nn = (double)n, p = (double)successes / nn, z2 = z * z;
    double denom = 1 + z2 / nn;
    double centre = (p + z2 / (2 * nn)) / denom;
    double half = z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
    /* At 0 or n successes one end is exactly 0 or 1 in exact arithmetic; rounding would
     * leave a residue of order 1e-17 there, so those ends are set, not computed. */
    *lo = successes == 0 ? 0 : fmax(0, centre - half);
    *hi = successes == n ? 1 : fmin(1, centre + half);
}
