/* compare.h -- did a change make things worse? Two results folders, metric by metric.
 *
 * `clustersim compare BASE NEW` reads the two summary.json files, and for each metric tests
 * whether its mean changed and for each property whether its probability changed, the
 * p-values Holm-adjusted over the table so that alpha bounds the chance of any false alarm
 * (--per-metric turns that off). When both folders hold replications.csv and the runs share
 * their seed and replication count, replication r of one is paired with replication r of the
 * other (they drew the same failures): a paired t-test on the differences, and McNemar's
 * exact test on the replications where a property held in one run only. Otherwise the tests
 * are unpaired: Welch's t-test on the mean, sd and n, and Fisher's exact test on held out of
 * replications. Each metric name has a bad direction (cs_compare_direction); a significant change in that
 * direction is a regression, and a regression makes the command exit 1, so a CI pipeline can
 * gate a scheduling-policy change on it. docs/compare.md says how to read the table, and how
 * the same seed gives both runs the same failures (common random numbers).
 *
 * The statistics are pure functions, exposed so that tests can check them against published
 * values.
 */
#ifndef CLUSTERSIM_COMPARE_H
#define CLUSTERSIM_COMPARE_H

#include <stdio.h>

#include "clustersim/common.h"

typedef enum cs_direction {
    CS_DIR_NEUTRAL,    /* reported, never a regression (an input such as nodes.failures) */
    CS_DIR_UP_BAD,     /* pending pods, unschedulable attempts, seconds without service */
    CS_DIR_DOWN_BAD,   /* ready pods, full fractions, a property's probability */
} cs_direction;

/* The bad direction of a metric, from its name ("property.<name>.probability" for a
 * property); the table is in compare.c and docs/compare.md. Unknown names are neutral. */
cs_direction cs_compare_direction(const char *metric);

typedef struct cs_welch {
    double t;          /* (mean2 - mean1) / sqrt(s1^2/n1 + s2^2/n2); +-INFINITY when both
                          sd are 0 and the means differ, 0 when they are equal */
    double df;         /* Welch-Satterthwaite degrees of freedom; NaN when both sd are 0 */
    double p;          /* two-sided p-value */
} cs_welch;

/* Welch's unequal-variances t-test of mean2 against mean1 from the summaries of two samples.
 * Returns false (and leaves *out alone) when n1 or n2 is below 2: there is no variance. */
bool cs_compare_welch(double mean1, double sd1, double n1, double mean2, double sd2, double n2, cs_welch *out);

/* The paired t-test: Student's t-test of the mean of the n differences d[] against 0, with
 * n - 1 degrees of freedom. Returns false (and leaves *out alone) when n is below 2. When every
 * difference is the same, t is 0 (all zero, p = 1) or +-INFINITY (p = 0). */
bool cs_compare_paired_t(const double *d, size_t n, cs_welch *out);

/* McNemar's exact test, two-sided: of the pairs where the outcome differs, `b` went one way
 * and `c` the other; the p-value of b against Binomial(b + c, 1/2), doubled, at most 1; 1 when
 * b + c is 0. */
double cs_compare_mcnemar(uint64_t b, uint64_t c);

/* Fisher's exact test, two-sided, of x1 successes out of n1 against x2 out of n2 (the
 * hypergeometric probabilities of every table with the same margins that is no more likely
 * than the one observed, with R's relative tolerance of 1e-7). Needs x1 <= n1, x2 <= n2,
 * n1 + n2 < 2^32. Returns the p-value; 1 when n1 or n2 is 0. */
double cs_compare_fisher(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2);

/* Holm's step-down adjustment (1979) of the p-values p[0 .. n-1] (NaN entries are not tests
 * and stay NaN in adj): with the m tests sorted by p, the k-th smallest (from 0) becomes
 * max over j <= k of min(1, (m - j) p_j). Rejecting where adj < alpha keeps the chance of any
 * false alarm among the m below alpha. Returns CS_OK or CS_ENOMEM. */
cs_status cs_compare_holm(const double *p, size_t n, double *adj);

typedef struct cs_compare_options {
    double alpha;                  /* significance level, 0 < alpha < 1 (default 0.05) */
    bool per_metric;               /* test each metric at alpha on its own; default (false):
                                      alpha for the whole table, Holm-adjusted */
    const char *const *metrics;    /* glob patterns (fnmatch) of the metrics to compare;
                                      NULL or none: every metric and every property */
    size_t n_metrics;
} cs_compare_options;

/* Compares the results folders `base` and `new` (each holding summary.json; a path to a
 * .json file is taken as it is) and prints the table to f. Sets *regressed when a metric
 * got significantly worse. Returns CS_OK; CS_EINPUT with diag filled (file, and line and
 * column for JSON that does not parse; the field path and what was expected) for a folder
 * or file that cannot be read or is not a clustersim summary, or patterns that match
 * nothing; CS_ENOMEM. */
cs_status cs_compare_run(const char *base, const char *new_dir, const cs_compare_options *opt, FILE *f,
                         bool *regressed, cs_diag *diag);

#endif
