/* stats.h -- summaries across replications (GSL statistics).
 *
 * Callers pass values in replication order; every function here is a pure function of
 * its inputs, so summaries are identical however the replications were computed.
 * cs_stat_summarise sorts its values in place (after taking the mean in their order), so
 * it allocates nothing and cannot fail.
 */
#ifndef CLUSTERSIM_STATS_H
#define CLUSTERSIM_STATS_H

#include "clustersim/common.h"

typedef struct cs_stat {
    size_t n;
    double mean, sd;          /* sd: sample standard deviation (n - 1); 0 when n < 2 */
    double ci_lo, ci_hi;      /* two-sided Student-t interval for the mean at the level asked;
                                 equal to the mean when n < 2 */
    double min, max;
    double p5, p50, p95;      /* quantiles across the values: gsl_stats_quantile_from_sorted_data,
                                 i.e. linear interpolation between order statistics at
                                 (n - 1) f (Hyndman and Fan type 7, R's default) */
} cs_stat;

/* Summarises x[0 .. n-1] with a confidence level such as 0.95. n == 0 gives all zeros. The mean
 * and sd are taken in the order given (replication order); then x is sorted in place for the
 * quantiles, so x is borrowed as scratch and comes back ascending. Allocates nothing: it
 * cannot fail. */
void cs_stat_summarise(double *x, size_t n, double level, cs_stat *out);
/* Running sums for the mean and variance of values that arrive one at a time, taken about the
 * first value (the "shifted data" algorithm: no cancellation when the values are close to one
 * another and far from 0, and no division per value). Zero-initialised is empty. The same
 * values in the same order give the same bits. */
typedef struct cs_stat_sums {
    uint64_t n;
    double shift;             /* the first value */
    double sum, sq;           /* of (x - shift) and of its square */
} cs_stat_sums;

void cs_stat_sums_add(cs_stat_sums *s, double x);
/* The mean of the values added and its two-sided Student-t interval at `level` ([mean, mean]
 * with fewer than 2 values; all 0 with none). */
void cs_stat_sums_ci(const cs_stat_sums *s, double level, double *mean, double *lo, double *hi);
/* Wilson score interval for a proportion of `successes` out of n at the level asked
 * (two-sided). n == 0 gives [0, 1]. */
void cs_stat_wilson(uint64_t successes, uint64_t n, double level, double *lo, double *hi);

/* The f-quantile (0 <= f <= 1) of sorted[0 .. n-1] (ascending, n >= 1), as
 * gsl_stats_quantile_from_sorted_data: sorted[i] + (h - i) (sorted[i + 1] - sorted[i]) with
 * h = (n - 1) f and i = floor(h). */
double cs_stat_quantile_sorted(const double *sorted, size_t n, double f);

#endif
