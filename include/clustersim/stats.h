/* stats.h -- summaries across replications (GSL statistics).
 *
 * Callers pass values in replication order; every function here is a pure function of
 * its inputs, so summaries are identical however the replications were computed.
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
} cs_stat;

/* Summarises x[0 .. n-1] with a confidence level such as 0.95. n == 0 gives all zeros. */
void cs_stat_summarise(const double *x, size_t n, double level, cs_stat *out);
/* Wilson score interval for a proportion of `successes` out of n at the level asked
 * (two-sided). n == 0 gives [0, 1]. */
void cs_stat_wilson(uint64_t successes, uint64_t n, double level, double *lo, double *hi);

#endif
