/* runner.h -- Monte-Carlo replications of one scenario, and their summary.
 *
 * The runner owns replications and threads: replication r builds its own world from the
 * shared read-only config and the streams (seed, r), runs it, and leaves plain numbers in
 * slot r of an array. Only after every replication has finished are the slots summarised,
 * in replication order, on one thread, so the summary is the same bytes whatever the
 * number of threads and whatever order the replications finished in.
 *
 * With --precision the replications run in batches whose boundaries depend only on the cap
 * (cs_runner_batch_end), and after each batch the summary so far decides whether to go on,
 * so the number of replications is a function of the scenario, the seed and the flags.
 *
 * Under MPI (ranks.h) rank 0 hands each batch's replications out to the ranks on demand
 * (dispatch.h), takes the others' plain results as they arrive and summarises them in
 * replication order, exactly as one process would. Only rank 0's summary is complete
 * (cs_run_summary.root).
 *
 * Ownership: a cs_run_summary owns its arrays; free them with cs_run_summary_fini().
 */
#ifndef CLUSTERSIM_RUNNER_H
#define CLUSTERSIM_RUNNER_H

#include "clustersim/common.h"
#include "clustersim/config.h"
#include "clustersim/histogram.h"
#include "clustersim/stats.h"
#include "clustersim/trace.h"

typedef struct cs_run_options {
    uint32_t reps;               /* 0: cfg->replications */
    uint64_t seed;
    bool seed_given;             /* else cfg->seed */
    int threads;                 /* 0: OpenMP default (OMP_NUM_THREADS, else every core) */
    const cs_trace_sink *trace;  /* replication 0 only; may be NULL; borrowed for the run */
    bool progress;               /* a progress line on stderr once the run has lasted 1 s */
    bool progress_tty;           /* stderr is a terminal: redraw one line in place */
    bool progress_always;        /* show the line from the first replication, and at the end */
    double precision;            /* > 0: stop once every headline metric's 95% half-width is
                                    below this fraction of its mean; reps is then the cap */
    bool keep_replications;      /* the summary keeps each replication's metrics and
                                    properties (rep_metrics, rep_held) for replications.csv */
} cs_run_options;

/* Which headline metric was least precise when the run stopped. */
typedef struct cs_headline {
    bool any;                    /* the scenario has a headline metric at all */
    bool property;               /* index is a property (its probability), else a metric */
    size_t index;
    double rel_half;             /* 95% half-width / |mean|; 0 when the interval is a point,
                                    INFINITY when the mean is 0 and the interval is not */
} cs_headline;

/* One property over all replications. The three cs_stat are taken over the replications
 * that violated the property (n == reps - held, which may be 0). */
typedef struct cs_prop_summary {
    uint32_t held;               /* replications in which the property was never violated */
    double probability;          /* held / reps */
    double wilson_lo, wilson_hi; /* Wilson 95% interval of the probability */
    cs_stat violation_s;         /* total seconds in violation, per violating replication */
    cs_stat violations;          /* separate violation periods, per violating replication */
    cs_stat first_violation_s;   /* time of the first violation, per violating replication */
    bool passed;                 /* probability >= threshold (threshold 1: held every time) */
} cs_prop_summary;

typedef struct cs_run_summary {
    uint32_t reps;
    uint64_t seed;
    size_t n_metrics;            /* cs_result_metric_count(cfg) */
    cs_stat *metrics;            /* level 0.95, in metric order */
    uint32_t n_props;            /* cfg->n_properties */
    cs_prop_summary *props;      /* in config order */
    bool passed;                 /* every property passed (true when there are none) */
    cs_stat events;              /* kernel events per replication */
    size_t peak_arena_bytes;     /* the most arena memory one replication used */
    size_t n_latency;            /* cs_result_latency_count(cfg) */
    cs_hist *latency;            /* heap histograms, merged in replication order (nanoseconds) */
    uint32_t max_reps;           /* the cap: --reps, else spec.replications */
    double precision;            /* the --precision asked for; 0 when none */
    bool stopped_by_precision;   /* the headline metrics got precise before the cap */
    uint32_t batches;            /* batches run (1 without --precision) */
    cs_headline worst;           /* the least precise headline metric at the end */
    bool root;                   /* this process holds the summary (false on MPI ranks > 0,
                                    whose summary has only reps and passed) */
    uint32_t n_samples;          /* cfg->samples */
    size_t n_columns;            /* cs_series_column_count(cfg) */
    double *series_mean, *series_lo, *series_hi;   /* n_samples x n_columns: the mean across
                                    replications at each grid point and its Student-t 95%
                                    interval, in replication order */
    double *rep_metrics;         /* with keep_replications: reps x n_metrics, replication by
                                    replication, the values the summary was made of */
    unsigned char *rep_held;     /* with keep_replications: reps x n_props, 1 where it held */
    bool replications_dropped;   /* keep_replications was asked, but there was no memory for
                                    the copy: rep_metrics and rep_held are NULL */
    int n_ranks;                 /* MPI ranks (1: one process) */
    uint32_t *rank_reps;         /* with several ranks, on rank 0: the replications each rank
                                    ran (how the work was shared; it never reaches a result) */
} cs_run_summary;

/* The replications done after the batch that ends at `done` (0 for the first), given the
 * cap: 32, then half as many again each time (48, 72, 108, ...), never past the cap. */
uint32_t cs_runner_batch_end(uint32_t done, uint32_t cap);
/* The relative 95% half-width of a metric's summary (see cs_headline.rel_half). */
double cs_runner_rel_half(const cs_stat *st);

/* Runs the replications of cfg as opt says and summarises them into *out (written only on
 * success). Returns CS_OK, or CS_ENOMEM when any replication (on any rank) could not
 * allocate its world or its result; the other replications still run to the end of their
 * loop iteration, as an OpenMP loop cannot be left early; CS_EIO when MPI could not move
 * the results. Under MPI every rank must call it. `cfg` and `opt` are borrowed. */
cs_status cs_runner_run(const cs_config *cfg, const cs_run_options *opt, cs_run_summary *out);
/* Frees the arrays of a summary (not the struct) and zeroes it. */
void cs_run_summary_fini(cs_run_summary *s);

#endif
