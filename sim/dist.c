/* dist.c -- sampling, means and parameter checks for the scenario distributions.
 *
 * Every draw goes through GSL's gsl_ran_* samplers, so a distribution is only as good as
 * GSL's algorithm for it, and a given stream yields the same draws on every platform that
 * runs the same GSL. The parameter order of cs_dist follows the scenario (shape before
 * scale); GSL's own order differs for the Weibull, so the mapping is spelled out below.
 *
 * Nothing here allocates or keeps state: a cs_dist is a plain value, and the generator is
 * borrowed for the duration of one call.
 */
#include "clustersim/dist.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

double cs_dist_sample(const cs_dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case CS_DIST_CONSTANT:
        return d->p1;
    case CS_DIST_UNIFORM:
        return d->p1 + (d->p2 - d->p1) * gsl_rng_uniform(r);
    case CS_DIST_EXPONENTIAL:
        return gsl_ran_exponential(r, d->p1);           /* GSL takes the mean, not the rate */
    case CS_DIST_NORMAL:
        return d->p1 + gsl_ran_gaussian(r, d->p2);
    case CS_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, d->p1, d->p2);      /* (zeta = mu, sigma) */
    case CS_DIST_GAMMA:
        return gsl_ran_gamma(r, d->p1, d->p2);          /* (a = shape, b = scale) */
    case CS_DIST_WEIBULL:
        /* GSL's density is b/a^b x^(b-1) exp(-(x/a)^b): a is the scale and b the shape,
         * the reverse of cs_dist's (shape, scale). */
        return gsl_ran_weibull(r, d->p2, d->p1);
    case CS_DIST_EMPIRICAL:
        CS_ASSERT(d->samples != NULL && d->n > 0);
        return d->samples[gsl_rng_uniform_int(r, d->n)];
    }
    cs_assert_fail(__FILE__, __LINE__, "known cs_dist_kind");
}

cs_time cs_dist_sample_time(const cs_dist *d, gsl_rng *r)
{
    double ns = cs_dist_sample(d, r) * 1e9;
    if (isnan(ns))
        return CS_TIME_MAX;
    if (ns <= 0)
        return 0;
    /* 0x1p63 is the first double past INT64_MAX; every double below it rounds to a
     * value that fits. */
    if (ns >= 0x1p63)
        return CS_TIME_MAX;
    return (cs_time)round(ns);
}

double cs_dist_mean(const cs_dist *d)
{
    switch (d->kind) {
    case CS_DIST_CONSTANT:
    case CS_DIST_EXPONENTIAL:
    case CS_DIST_NORMAL:
        return d->p1;
    case CS_DIST_UNIFORM:
        return d->p1 + (d->p2 - d->p1) / 2;
    case CS_DIST_LOGNORMAL:
        return exp(d->p1 + d->p2 * d->p2 / 2);
    case CS_DIST_GAMMA:
        return d->p1 * d->p2;
    case CS_DIST_WEIBULL:
        /* Gamma(1 + 1/k) overflows for shapes below about 1/170; with GSL's error handler
         * off the mean is then +inf. */
        return d->p2 * gsl_sf_gamma(1 + 1 / d->p1);
    case CS_DIST_EMPIRICAL:
        return d->n > 0 ? gsl_stats_mean(d->samples, 1, d->n) : 0;
    }
    cs_assert_fail(__FILE__, __LINE__, "known cs_dist_kind");
}

/* Returns msg when the number is not finite or not above min (or not at least min when
 * closed), else NULL. A NaN fails every comparison, so it takes the message too. */
static const char *need(double v, double min, bool closed, const char *msg)
{
    if (!isfinite(v))
        return msg;
    return (closed ? v >= min : v > min) ? NULL : msg;
}

const char *cs_dist_check(const cs_dist *d)
{
    const char *m;
    switch (d->kind) {
    case CS_DIST_CONSTANT:
        /* Any finite number: whether a negative value makes sense (a duration cannot be
         * negative, an offset can) is for the caller to say. */
        return isfinite(d->p1) ? NULL : "the constant value must be a finite number";
    case CS_DIST_UNIFORM:
        if (!isfinite(d->p1) || !isfinite(d->p2))
            return "the uniform bounds must be finite numbers";
        return d->p2 >= d->p1 ? NULL : "the uniform upper bound must be >= the lower bound";
    case CS_DIST_EXPONENTIAL:
        if (!isfinite(d->p1))
            return "the exponential mean must be a finite number";
        return d->p1 > 0 ? NULL : "the exponential mean must be > 0";
    case CS_DIST_NORMAL:
        if (!isfinite(d->p1))
            return "the normal mean must be a finite number";
        return need(d->p2, 0, true, "the normal standard deviation must be a finite number >= 0");
    case CS_DIST_LOGNORMAL:
        if (!isfinite(d->p1))
            return "the lognormal mu must be a finite number";
        return need(d->p2, 0, true, "the lognormal sigma must be a finite number >= 0");
    case CS_DIST_GAMMA:
        if ((m = need(d->p1, 0, false, "the gamma shape must be a finite number > 0")) != NULL)
            return m;
        return need(d->p2, 0, false, "the gamma scale must be a finite number > 0");
    case CS_DIST_WEIBULL:
        if ((m = need(d->p1, 0, false, "the weibull shape must be a finite number > 0")) != NULL)
            return m;
        return need(d->p2, 0, false, "the weibull scale must be a finite number > 0");
    case CS_DIST_EMPIRICAL:
        if (d->samples == NULL || d->n == 0)
            return "an empirical distribution needs at least one sample";
        for (size_t i = 0; i < d->n; i++)
            if (!isfinite(d->samples[i]))
                return "every empirical sample must be a finite number";
        return NULL;
    }
    return "unknown distribution kind";
}

bool cs_dist_lognormal_median_p99(double median, double p99, cs_dist *out)
{
    if (!isfinite(median) || !isfinite(p99) || !(median > 0) || !(p99 > median))
        return false;
    /* The p-quantile of a lognormal is exp(mu + sigma z_p), and z_0.5 = 0. */
    *out = (cs_dist){
        .kind = CS_DIST_LOGNORMAL,
        .p1 = log(median),
        .p2 = log(p99 / median) / gsl_cdf_ugaussian_Pinv(0.99),
    };
    return true;
}

const char *cs_dist_kind_name(cs_dist_kind kind)
{
    switch (kind) {
    case CS_DIST_CONSTANT:    return "constant";
    case CS_DIST_UNIFORM:     return "uniform";
    case CS_DIST_EXPONENTIAL: return "exponential";
    case CS_DIST_NORMAL:      return "normal";
    case CS_DIST_LOGNORMAL:   return "lognormal";
    case CS_DIST_GAMMA:       return "gamma";
    case CS_DIST_WEIBULL:     return "weibull";
    case CS_DIST_EMPIRICAL:   return "empirical";
    }
    return "unknown";
}
