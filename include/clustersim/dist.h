/* dist.h -- the probability distributions scenarios use for times and sizes.
 *
 * A cs_dist is a plain value filled by the scenario loader; sampling draws from a GSL
 * generator (a cs_rng stream). Durations are sampled in seconds and converted to
 * virtual nanoseconds by cs_dist_sample_time().
 */
#ifndef CLUSTERSIM_DIST_H
#define CLUSTERSIM_DIST_H

#include <gsl/gsl_rng.h>

#include "clustersim/common.h"

typedef enum cs_dist_kind {
    CS_DIST_CONSTANT,     /* p1 = value */
    CS_DIST_UNIFORM,      /* [p1, p2) */
    CS_DIST_EXPONENTIAL,  /* p1 = mean */
    CS_DIST_NORMAL,       /* p1 = mean, p2 = standard deviation */
    CS_DIST_LOGNORMAL,    /* p1 = mu, p2 = sigma, of the underlying normal */
    CS_DIST_GAMMA,        /* p1 = shape k, p2 = scale theta */
    CS_DIST_WEIBULL,      /* p1 = shape k, p2 = scale lambda */
    CS_DIST_EMPIRICAL,    /* uniform choice among samples[0 .. n-1] */
} cs_dist_kind;

typedef struct cs_dist {
    cs_dist_kind kind;
    double p1, p2;
    const double *samples;  /* empirical only; borrowed from the config's arena */
    size_t n;
} cs_dist;

/* Returns a draw. Needs a valid dist (cs_dist_check() returned NULL). */
double cs_dist_sample(const cs_dist *d, gsl_rng *r);
/* Draws seconds and returns virtual nanoseconds, rounded to the nearest nanosecond;
 * negative draws (a normal's tail) become 0 and draws past ~292 years saturate. */
cs_time cs_dist_sample_time(const cs_dist *d, gsl_rng *r);
/* The distribution's mean (the sample mean for empirical). */
double cs_dist_mean(const cs_dist *d);
/* Returns NULL when the parameters are valid, else a message such as
 * "the exponential mean must be > 0" (a static string). */
const char *cs_dist_check(const cs_dist *d);
/* Fills a lognormal whose median and 99th percentile are the given values
 * (0 < median < p99): mu = ln(median), sigma = ln(p99 / median) / z(0.99). Returns false
 * for invalid values, leaving out untouched. */
bool cs_dist_lognormal_median_p99(double median, double p99, cs_dist *out);
/* The lowercase kind name ("exponential"), as the scenario spells it. */
const char *cs_dist_kind_name(cs_dist_kind kind);

#endif
