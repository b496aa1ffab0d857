/* runner.h -- Monte-Carlo replications of one scenario, and their summary.
 *
 * The runner owns replications and threads: replication r builds its own world from the
 * shared read-only config and the streams (seed, r), runs it, and leaves plain numbers in
 * slot r of an array. Only after every replication has finished are the slots summarised,
 * in replication order, on one thread, so the summary is the same bytes whatever the
 * number of threads and whatever order the replications finished in.
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
} cs_run_options;

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
} cs_run_summary;

/* Runs the replications of cfg as opt says and summarises them into *out (written only on
 * success). Returns CS_OK, or CS_ENOMEM when any replication could not allocate its world
 * or its result; the other replications still run to the end of their loop iteration, as an
 * OpenMP loop cannot be left early. `cfg` and `opt` are borrowed. */
cs_status cs_runner_run(const cs_config *cfg, const cs_run_options *opt, cs_run_summary *out);
/* Frees the arrays of a summary (not the struct) and zeroes it. */
void cs_run_summary_fini(cs_run_summary *s);

#endif
