/* runner.c -- replications in parallel (OpenMP), summarised in replication order.
 *
 * Each loop iteration is one replication and touches nothing shared but the read-only
 * config, its own result slot, and (under a critical section) the progress line. The
 * doubles are summarised only after the loop, by one thread walking the slots in order:
 * a reduction across threads would add in a schedule-dependent order and change the last
 * bits of a mean, and with them the bytes of summary.json.
 *
 * The clock is read for the progress line only; nothing it returns reaches a result.
 */
#include "clustersim/runner.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clustersim/result.h"
#include "clustersim/world.h"

#define LEVEL 0.95

/* ---- progress ---------------------------------------------------------------------------- */

typedef struct progress {
    bool on, tty;
    uint32_t done, total;
    double start, last;          /* monotonic seconds: the run's start, the last line drawn */
    double interval;             /* seconds between lines */
    bool shown;                  /* a line has been printed, so the end gets one too */
} progress;

static double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* "37 s", "4m05s", "2h10m": short enough for a line that is redrawn five times a second. */
static void format_span(double s, char *buf, size_t size)
{
    long v = (long)(s + 0.5);
    if (v < 60)
        snprintf(buf, size, "%ld s", v);
    else if (v < 3600)
        snprintf(buf, size, "%ldm%02lds", v / 60, v % 60);
    else
        snprintf(buf, size, "%ldh%02ldm", v / 3600, v % 3600 / 60);
}

static void progress_draw(progress *p, uint32_t done, double now, bool final)
{
    double elapsed = now - p->start;
    if (p->tty) {
        enum { WIDTH = 30 };
        char bar[WIDTH + 1];
        int fill = (int)((uint64_t)done * WIDTH / p->total);
        for (int i = 0; i < WIDTH; i++)
            bar[i] = i < fill ? '=' : (i == fill ? '>' : ' ');
        bar[WIDTH] = '\0';
        char eta[32] = "?";
        if (done > 0)
            format_span(elapsed * (double)(p->total - done) / (double)done, eta, sizeof eta);
        /* \033[K clears what a longer previous line left to the right. */
        fprintf(stderr, "\r[%s] %u/%u replications  %.1f s elapsed  ETA %s\033[K%s", bar, done, p->total,
                elapsed, eta, final ? "\n" : "");
    } else {
        fprintf(stderr, "progress: %u/%u replications, %.1f s elapsed\n", done, p->total, elapsed);
    }
    fflush(stderr);
    p->shown = true;
}

/* Called by every thread once per finished replication. A terminal gets at most five
 * redraws a second, a log file one line every ten seconds, and a run that ends within its
 * first second prints nothing. The counter and the time of the last line are atomics, so
 * the common case (too early to draw) takes no lock; the line itself is drawn under a
 * critical section, by one thread at a time, after checking again that it is still due. */
static void progress_step(progress *p)
{
    uint32_t done;
#pragma omp atomic capture
    done = ++p->done;
    double now = mono_s(), last;
#pragma omp atomic read
    last = p->last;
    if (now - p->start <= 1.0 || now - last < p->interval)
        return;
#pragma omp critical(cs_runner_progress)
    {
        if (now - p->last >= p->interval) {
#pragma omp atomic read
            done = p->done;
            progress_draw(p, done, now, false);
#pragma omp atomic write
            p->last = now;
        }
    }
}

static void progress_finish(progress *p)
{
    if (p->on && p->shown)
        progress_draw(p, p->done, mono_s(), true);
}

/* ---- one replication --------------------------------------------------------------------- */

/* Runs replication r into *res. Returns CS_ENOMEM, with *res released, when anything fails. */
static cs_status run_one(const cs_config *cfg, uint64_t seed, uint32_t r, const cs_trace_sink *trace,
                         cs_rep_result *res)
{
    if (cs_result_init(res, cfg) != CS_OK)
        return CS_ENOMEM;
    cs_world *w = cs_world_new(cfg, seed, r, trace);
    cs_status st = w != NULL ? cs_world_run(w) : CS_ENOMEM;
    if (st == CS_OK)
        st = cs_world_result(w, res);
    cs_world_free(w);
    if (st != CS_OK)
        cs_result_fini(res);
    return st == CS_OK ? CS_OK : CS_ENOMEM;
}

/* ---- the summary ------------------------------------------------------------------------- */

void cs_run_summary_fini(cs_run_summary *s)
{
    free(s->metrics);
    free(s->props);
    for (size_t i = 0; s->latency != NULL && i < s->n_latency; i++)
        cs_hist_fini(&s->latency[i]);
    free(s->latency);
    *s = (cs_run_summary){0};
}

/* Summarises the finished results, walking them in replication order. `col` has room for
 * one value per replication. */
static void summarise(const cs_config *cfg, const cs_rep_result *res, uint32_t reps, double *col,
                      cs_run_summary *s)
{
    for (size_t i = 0; i < s->n_metrics; i++) {
        for (uint32_t r = 0; r < reps; r++)
            col[r] = res[r].metrics[i];
        cs_stat_summarise(col, reps, LEVEL, &s->metrics[i]);
    }

    s->passed = true;
    for (uint32_t p = 0; p < s->n_props; p++) {
        cs_prop_summary *ps = &s->props[p];
        uint32_t held = 0;
        for (uint32_t r = 0; r < reps; r++)
            held += res[r].props[p].held;
        ps->held = held;
        ps->probability = (double)held / (double)reps;
        cs_stat_wilson(held, reps, LEVEL, &ps->wilson_lo, &ps->wilson_hi);

        /* Each statistic over the violating replications only, compacted in order. */
        size_t n = 0;
        for (uint32_t r = 0; r < reps; r++)
            if (!res[r].props[p].held)
                col[n++] = res[r].props[p].violation_s;
        cs_stat_summarise(col, n, LEVEL, &ps->violation_s);
        n = 0;
        for (uint32_t r = 0; r < reps; r++)
            if (!res[r].props[p].held)
                col[n++] = (double)res[r].props[p].violations;
        cs_stat_summarise(col, n, LEVEL, &ps->violations);
        n = 0;
        for (uint32_t r = 0; r < reps; r++)
            if (!res[r].props[p].held)
                col[n++] = res[r].props[p].first_violation_s;
        cs_stat_summarise(col, n, LEVEL, &ps->first_violation_s);

        /* held / reps is correctly rounded, so it equals a threshold written with the same
         * decimal value, and it is exactly 1 only when the property held every time. */
        ps->passed = ps->probability >= cfg->properties[p].threshold;
        s->passed = s->passed && ps->passed;
    }

    s->peak_arena_bytes = 0;
    for (uint32_t r = 0; r < reps; r++) {
        col[r] = (double)res[r].events;
        if (res[r].arena_bytes > s->peak_arena_bytes)
            s->peak_arena_bytes = res[r].arena_bytes;
    }
    cs_stat_summarise(col, reps, LEVEL, &s->events);
}

/* Merges the latency histograms of every replication, in replication order (integer adds,
 * so the order could not change a count anyway), then the workloads into the cluster's
 * two. Returns CS_OK or CS_ENOMEM. */
static cs_status summarise_latency(const cs_rep_result *res, uint32_t reps, cs_run_summary *s)
{
    s->latency = calloc(s->n_latency, sizeof *s->latency);
    if (s->latency == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < s->n_latency; i++)
        cs_hist_init(&s->latency[i], NULL);
    for (size_t i = 2; i < s->n_latency; i++) {
        for (uint32_t r = 0; r < reps; r++)
            if (cs_hist_merge_packed(&s->latency[i], &res[r].latency[i - 2]) != CS_OK)
                return CS_ENOMEM;
        if (cs_hist_merge(&s->latency[i % 2], &s->latency[i]) != CS_OK)
            return CS_ENOMEM;
    }
    return CS_OK;
}

cs_status cs_runner_run(const cs_config *cfg, const cs_run_options *opt, cs_run_summary *out)
{
    uint32_t reps = opt->reps > 0 ? opt->reps : cfg->replications;
    uint64_t seed = opt->seed_given ? opt->seed : cfg->seed;
    CS_ASSERT(reps > 0);

    cs_run_summary s = {.reps = reps, .seed = seed, .n_metrics = cs_result_metric_count(cfg),
                        .n_props = cfg->n_properties, .n_latency = cs_result_latency_count(cfg)};
    cs_rep_result *res = calloc(reps, sizeof *res);
    double *col = malloc(reps * sizeof *col);
    s.metrics = calloc(s.n_metrics > 0 ? s.n_metrics : 1, sizeof *s.metrics);
    s.props = calloc(s.n_props > 0 ? s.n_props : 1, sizeof *s.props);
    if (res == NULL || col == NULL || s.metrics == NULL || s.props == NULL) {
        free(res);
        free(col);
        cs_run_summary_fini(&s);
        return CS_ENOMEM;
    }

    progress prog = {.on = opt->progress, .tty = opt->progress_tty, .total = reps};
    prog.start = prog.last = prog.on ? mono_s() : 0;
    prog.interval = prog.tty ? 0.2 : 10.0;
    int nthreads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    int failed = 0;   /* read and written atomically: a failure lets the others skip their work */

#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads)
    for (uint32_t r = 0; r < reps; r++) {
        int stop;
#pragma omp atomic read
        stop = failed;
        if (!stop && run_one(cfg, seed, r, r == 0 ? opt->trace : NULL, &res[r]) != CS_OK) {
#pragma omp atomic write
            failed = 1;
        }
        if (prog.on)
            progress_step(&prog);
    }
    progress_finish(&prog);

    cs_status st = failed ? CS_ENOMEM : CS_OK;
    if (st == CS_OK)
        summarise(cfg, res, reps, col, &s);
    if (st == CS_OK)
        st = summarise_latency(res, reps, &s);
    for (uint32_t r = 0; r < reps; r++)
        cs_result_fini(&res[r]);
    free(res);
    free(col);
    if (st != CS_OK) {
        cs_run_summary_fini(&s);
        return st;
    }
    *out = s;
    return CS_OK;
}
