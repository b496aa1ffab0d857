/* runner.c -- replications in parallel (OpenMP), summarised in replication order.
 *
 * Each loop iteration is one replication and touches nothing shared but the read-only
 * config, its own result slot, and (under a critical section) the progress line. The
 * doubles are summarised only after the loop, by one thread walking the slots in order:
 * a reduction across threads would add in a schedule-dependent order and change the last
 * bits of a mean, and with them the bytes of summary.json.
 *
 * With --precision the run is a sequence of batches (cs_runner_batch_end: 32, 48, 72, ...,
 * a function of the cap alone). After each batch rank 0 summarises every replication so far
 * and stops once each headline metric's relative half-width is at most the target; the next
 * batch's end is broadcast, so all ranks agree. The summary is recomputed from scratch each
 * time: a handful of passes over the results, cheap next to the replications themselves.
 *
 * Under MPI rank 0 hands each batch's replications out on demand (dispatch.h); the other
 * ranks send their plain results back (cs_result_pack) as they finish, and rank 0 unpacks
 * them into the same slots one process would have filled, then summarises as above: the
 * bytes cannot depend on the number of ranks, nor on the number of threads in each, nor on
 * which rank ran what.
 *
 * The clock is read for the progress line only; nothing it returns reaches a result.
 */
#include "clustersim/runner.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clustersim/arena.h"
#include "clustersim/dispatch.h"
#include "clustersim/ranks.h"
#include "clustersim/result.h"
#include "clustersim/series.h"
#include "clustersim/world.h"

#define LEVEL 0.95

/* ---- progress ---------------------------------------------------------------------------- */

typedef struct progress {
    bool on, tty, always;
    uint32_t done, total;        /* replications finished (on any rank), and in the batches begun */
    uint32_t batch;              /* the batch running, counting from 1 */
    uint32_t cap;                /* the most replications the run may do (the whole run's) */
    bool batched;                /* --precision: say which batch, and the cap */
    int ranks;                   /* MPI ranks, said when more than one */
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

/* The line's tail after the elapsed time: the ETA (of the batches begun), then which batch
 * and whose share when that applies. */
static void progress_tail(const progress *p, uint32_t done, double elapsed, char *buf, size_t size)
{
    char eta[32] = "?";
    if (done > 0)
        format_span(elapsed * (double)(p->total - done) / (double)done, eta, sizeof eta);
    int len = snprintf(buf, size, "ETA %s", eta);
    if (p->batched && len >= 0 && (size_t)len < size)
        len += snprintf(buf + len, size - (size_t)len, ", batch %u, at most %u", p->batch, p->cap);
    if (p->ranks > 1 && len >= 0 && (size_t)len < size)
        snprintf(buf + len, size - (size_t)len, ", %d ranks", p->ranks);
}

static void progress_draw(progress *p, uint32_t done, double now, bool final)
{
    double elapsed = now - p->start;
    char tail[128];
    progress_tail(p, done, elapsed, tail, sizeof tail);
    if (p->tty) {
        enum { WIDTH = 30 };
        char bar[WIDTH + 1];
        int fill = p->total > 0 ? (int)((uint64_t)done * WIDTH / p->total) : 0;
        for (int i = 0; i < WIDTH; i++)
            bar[i] = i < fill ? '=' : (i == fill ? '>' : ' ');
        bar[WIDTH] = '\0';
        /* \033[K clears what a longer previous line left to the right. */
        fprintf(stderr, "\r[%s] %u/%u replications  %.1f s elapsed  %s\033[K%s", bar, done, p->total, elapsed,
                tail, final ? "\n" : "");
    } else {
        fprintf(stderr, "progress: %u/%u replications, %.1f s elapsed, %s\n", done, p->total, elapsed, tail);
    }
    fflush(stderr);
    p->shown = true;
}

/* Called by every thread once per finished replication. A terminal gets at most five
 * redraws a second, a log file one line every ten seconds, and a run that ends within its
 * first second prints nothing (unless `always`). The counter and the time of the last line
 * are atomics, so the common case (too early to draw) takes no lock; the line itself is
 * drawn under a critical section, by one thread at a time, after checking again that it is
 * still due. */
static void progress_step(progress *p)
{
    uint32_t done;
#pragma omp atomic capture
    done = ++p->done;
    double now = mono_s(), last;
#pragma omp atomic read
    last = p->last;
    if ((!p->always && now - p->start <= 1.0) || now - last < p->interval)
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
    if (p->on && (p->shown || p->always))
        progress_draw(p, p->done, mono_s(), true);
}

/* ---- one replication --------------------------------------------------------------------- */

#ifdef CS_TEST_HOOKS
/* Test builds only (CMake CS_TEST_HOOKS): with CLUSTERSIM_FAIL_ON_RANK=k, the first replication
 * this process runs, when it is rank k, fails as if out of memory. */
static bool injected_failure(void)
{
    static int fired;
    const char *v = getenv("CLUSTERSIM_FAIL_ON_RANK");
    if (v == NULL || atoi(v) != cs_ranks_rank())
        return false;
    int was;
#pragma omp atomic capture
    {
        was = fired;
        fired = 1;
    }
    return was == 0;
}
#else
static bool injected_failure(void) { return false; }
#endif

/* Runs replication r into *res. Returns CS_ENOMEM, with *res released, when anything fails. */
static cs_status run_one(const cs_config *cfg, uint64_t seed, uint32_t r, const cs_trace_sink *trace,
                         cs_rep_result *res)
{
    if (injected_failure() || cs_result_init(res, cfg) != CS_OK)
        return CS_ENOMEM;
    cs_world *w = cs_world_new(cfg, seed, r, trace);
    cs_status st = w != NULL ? cs_world_run(w) : CS_ENOMEM;
    if (st == CS_OK)
        st = cs_world_result(w, res);   /* the latency histograms allocate their copy */
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
    free(s->series_mean);
    free(s->series_lo);
    free(s->series_hi);
    free(s->rank_reps);
    free(s->rep_metrics);
    free(s->rep_held);
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

/* Copies each replication's metrics and properties into the summary, in replication order,
 * for replications.csv; each result's own arrays are released as soon as they are copied, so
 * the copy does not double what the run holds. Without the memory for the copy the run keeps
 * its summary and says so (replications_dropped) rather than losing everything it computed. */
static void keep_replications(cs_rep_result *res, cs_run_summary *s)
{
    s->rep_metrics = cs_xmalloc((size_t)s->reps * s->n_metrics * sizeof *s->rep_metrics + 1);
    s->rep_held = cs_xmalloc((size_t)s->reps * s->n_props + 1);
    if (s->rep_metrics == NULL || s->rep_held == NULL) {
        free(s->rep_metrics);
        free(s->rep_held);
        s->rep_metrics = NULL;
        s->rep_held = NULL;
        s->replications_dropped = true;
        return;
    }
    for (uint32_t r = 0; r < s->reps; r++) {
        if (s->n_metrics > 0)
            memcpy(&s->rep_metrics[(size_t)r * s->n_metrics], res[r].metrics, s->n_metrics * sizeof *res[r].metrics);
        for (uint32_t p = 0; p < s->n_props; p++)
            s->rep_held[(size_t)r * s->n_props + p] = res[r].props[p].held;
        cs_result_fini(&res[r]);
    }
}

/* ---- the time series, folded in replication order ---------------------------------------- */

/* A replication's time series is cells numbers (200 samples x columns: tens of kilobytes), so
 * keeping every replication's until the end would take gigabytes for long runs. Instead each
 * is folded into running sums (stats.h) as soon as every replication before it has been,
 * and freed: the fold walks replication order exactly as a pass after the run would, so the
 * bits are the same whatever the threads, and only the replications finished out of order
 * wait in memory. A thread that finds the fold busy marks its replication done and moves on;
 * whoever holds the fold takes it up, and one last fold after each batch takes what is left.
 * Under MPI rank 0's communication thread offers the other ranks' results as they arrive.
 * Only the process holding the summary folds. */
typedef struct series_fold {
    omp_lock_t lock;
    size_t cells;
    uint32_t next;             /* the first replication not folded yet */
    unsigned char *done;       /* per replication: its series is ready to fold (atomic) */
    cs_stat_sums *sums;        /* per cell, over replications 0 .. next-1 */
} series_fold;

/* Folds every ready replication from `next` on, in order, and frees its rows. Called with
 * the lock held, or by the one thread left. */
static void fold_ready(series_fold *f, cs_rep_result *res, uint32_t end)
{
    while (f->next < end) {
        unsigned char ready;
        /* seq_cst pairs with the write in fold_offer: the rows the other thread wrote before
         * marking its replication done are visible once the mark is. */
#pragma omp atomic read seq_cst
        ready = f->done[f->next];
        if (!ready)
            return;
        cs_rep_result *r = &res[f->next++];
        for (size_t i = 0; i < f->cells; i++)
            cs_stat_sums_add(&f->sums[i], r->series[i]);
        free(r->series);
        r->series = NULL;
    }
}

/* Replication r has its series: fold it and what follows, unless another thread is folding. */
static void fold_offer(series_fold *f, cs_rep_result *res, uint32_t r, uint32_t end)
{
#pragma omp atomic write seq_cst
    f->done[r] = 1;
    if (omp_test_lock(&f->lock)) {
        fold_ready(f, res, end);
        omp_unset_lock(&f->lock);
    }
}

static cs_status fold_init(series_fold *f, size_t cells, uint32_t cap)
{
    *f = (series_fold){.cells = cells};
    f->done = calloc(cap, 1);
    f->sums = calloc(cells + 1, sizeof *f->sums);
    omp_init_lock(&f->lock);
    return f->done != NULL && f->sums != NULL ? CS_OK : CS_ENOMEM;
}

static void fold_fini(series_fold *f)
{
    omp_destroy_lock(&f->lock);
    free(f->done);
    free(f->sums);
}

/* The mean and 95% interval of every cell, from the fold of replications 0 .. reps-1. */
static cs_status summarise_series(const series_fold *f, uint32_t reps, cs_run_summary *s)
{
    CS_ASSERT(f->next == reps);
    s->series_mean = malloc((f->cells + 1) * sizeof *s->series_mean);
    s->series_lo = malloc((f->cells + 1) * sizeof *s->series_lo);
    s->series_hi = malloc((f->cells + 1) * sizeof *s->series_hi);
    if (s->series_mean == NULL || s->series_lo == NULL || s->series_hi == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < f->cells; i++)
        cs_stat_sums_ci(&f->sums[i], LEVEL, &s->series_mean[i], &s->series_lo[i], &s->series_hi[i]);
    return CS_OK;
}

/* ---- batches, precision and ranks --------------------------------------------------------- */

uint32_t cs_runner_batch_end(uint32_t done, uint32_t cap)
{
    enum { FIRST = 32 };
    uint64_t next = done == 0 ? FIRST : (uint64_t)done + (done + 1) / 2;
    return next < cap ? (uint32_t)next : cap;
}

double cs_runner_rel_half(const cs_stat *st)
{
    double half = (st->ci_hi - st->ci_lo) / 2;
    if (half == 0)
        return 0;
    return st->mean != 0 ? half / fabs(st->mean) : INFINITY;
}

/* The least precise headline metric of s: the largest relative half-width, the first in
 * metric order, then property order, on ties. */
static cs_headline least_precise(const cs_config *cfg, const cs_run_summary *s)
{
    cs_headline w = {0};
    for (size_t i = 0; i < s->n_metrics; i++) {
        if (!cs_result_metric_headline(cfg, i))
            continue;
        double rel = cs_runner_rel_half(&s->metrics[i]);
        if (!w.any || rel > w.rel_half)
            w = (cs_headline){.any = true, .index = i, .rel_half = rel};
    }
    for (uint32_t p = 0; p < s->n_props; p++) {
        const cs_prop_summary *ps = &s->props[p];
        double half = (ps->wilson_hi - ps->wilson_lo) / 2;
        double rel = ps->probability > 0 ? half / ps->probability : INFINITY;
        if (!w.any || rel > w.rel_half)
            w = (cs_headline){.any = true, .property = true, .index = p, .rel_half = rel};
    }
    return w;
}

/* What a replication needs, for the threads of one process and for the dispatcher's hooks. */
typedef struct rep_ctx {
    const cs_config *cfg;
    const cs_run_options *opt;
    uint64_t seed;
    progress *prog;
    cs_rep_result *res;
    series_fold *fold;    /* NULL but on the process holding the summary */
    uint32_t end;         /* the batch's end */
} rep_ctx;

static cs_status hook_run(void *ctx, uint32_t r, cs_rep_result *res)
{
    const rep_ctx *c = ctx;
    return run_one(c->cfg, c->seed, r, r == 0 ? c->opt->trace : NULL, res);
}

/* Replication r's result is in its slot: fold what it allows, and count it. */
static void hook_arrived(void *ctx, uint32_t r)
{
    rep_ctx *c = ctx;
    if (c->fold != NULL)
        fold_offer(c->fold, c->res, r, c->end);
    if (c->prog->on)
        progress_step(c->prog);
}

/* Runs the batch [lo, hi) in this one process. Returns false when a replication failed to
 * allocate. */
static bool run_batch(rep_ctx *c, uint32_t lo, uint32_t hi, int nthreads)
{
    int failed = 0;   /* read and written atomically: a failure lets the others skip their work */

    /* schedule(dynamic, 1): replications differ in cost (a failure storm runs many more
     * events), and which thread runs which one does not matter to the result. */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads)
    for (uint32_t r = lo; r < hi; r++) {
        int stop;
#pragma omp atomic read
        stop = failed;
        if (stop)
            continue;
        if (hook_run(c, r, &c->res[r]) != CS_OK) {
#pragma omp atomic write
            failed = 1;
        } else {
            hook_arrived(c, r);
        }
    }
    return !failed;
}

cs_status cs_runner_run(const cs_config *cfg, const cs_run_options *opt, cs_run_summary *out)
{
    uint32_t cap = opt->reps > 0 ? opt->reps : cfg->replications;
    uint64_t seed = opt->seed_given ? opt->seed : cfg->seed;
    CS_ASSERT(cap > 0);
    bool root = cs_ranks_rank() == 0;

    cs_run_summary s = {.seed = seed, .n_metrics = cs_result_metric_count(cfg), .n_props = cfg->n_properties,
                        .n_latency = cs_result_latency_count(cfg), .max_reps = cap,
                        .precision = opt->precision > 0 ? opt->precision : 0, .root = root,
                        .n_samples = cfg->samples, .n_columns = cs_series_column_count(cfg),
                        .n_ranks = cs_ranks_size()};
    cs_rep_result *res = root ? calloc(cap, sizeof *res) : NULL;   /* the other ranks send theirs */
    double *col = root ? malloc(cap * sizeof *col) : NULL;
    s.metrics = calloc(s.n_metrics > 0 ? s.n_metrics : 1, sizeof *s.metrics);
    s.props = calloc(s.n_props > 0 ? s.n_props : 1, sizeof *s.props);
    if (root && s.n_ranks > 1)
        s.rank_reps = calloc((size_t)s.n_ranks, sizeof *s.rank_reps);
    series_fold fold;
    /* Only rank 0 folds; the others keep an empty fold. */
    bool folded = fold_init(&fold, root ? (size_t)s.n_samples * s.n_columns : 0, root ? cap : 1) == CS_OK;
    bool ok = ((res != NULL && col != NULL && (s.rank_reps != NULL || s.n_ranks == 1)) || !root) &&
              s.metrics != NULL && s.props != NULL && folded;
    if (cs_ranks_any(!ok)) {
        free(res);
        free(col);
        fold_fini(&fold);
        cs_run_summary_fini(&s);
        return CS_ENOMEM;
    }

    progress prog = {.on = opt->progress && root, .tty = opt->progress_tty, .always = opt->progress_always,
                     .cap = cap, .batched = s.precision > 0, .ranks = cs_ranks_size()};
    prog.interval = prog.tty ? 0.2 : 10.0;
    prog.start = prog.on ? mono_s() : 0;
    prog.last = prog.always ? prog.start - prog.interval : prog.start;   /* `always`: draw at once */
    int nthreads = opt->threads > 0 ? opt->threads : omp_get_max_threads();

    /* Without --precision the whole run is one batch. */
    uint32_t lo = 0, hi = s.precision > 0 ? cs_runner_batch_end(0, cap) : cap;
    cs_status st = CS_OK;
    while (st == CS_OK) {
        prog.batch = ++s.batches;
        prog.total += hi - lo;
        rep_ctx c = {.cfg = cfg, .opt = opt, .seed = seed, .prog = &prog, .res = res,
                     .fold = root ? &fold : NULL, .end = hi};
        if (cs_ranks_size() == 1) {
            st = run_batch(&c, lo, hi, nthreads) ? CS_OK : CS_ENOMEM;
        } else {
            cs_dispatch_hooks hooks = {.run = hook_run, .arrived = hook_arrived, .ctx = &c};
            cs_status mine = cs_dispatch_batch(cfg, lo, hi, nthreads, res, s.rank_reps, &hooks);
            if (cs_ranks_any(mine != CS_OK))
                st = mine != CS_OK ? mine : CS_ENOMEM;   /* every rank leaves the loop together */
        }
        if (st == CS_OK && root)
            fold_ready(&fold, res, hi);   /* what a busy fold left behind */
        uint32_t next = 0;
        if (st == CS_OK && root) {
            summarise(cfg, res, hi, col, &s);
            s.reps = hi;
            s.worst = least_precise(cfg, &s);
            s.stopped_by_precision = s.precision > 0 && s.worst.rel_half < s.precision;
            if (s.precision > 0 && !s.stopped_by_precision && hi < cap)
                next = cs_runner_batch_end(hi, cap);
        }
        if (st != CS_OK || (next = cs_ranks_bcast_u32(next)) == 0)
            break;
        lo = hi;
        hi = next;
    }
    progress_finish(&prog);
    /* The latency histograms and the time series are not headline, so they are summarised
     * once, at the end. */
    if (st == CS_OK && root)
        st = summarise_latency(res, s.reps, &s);
    if (st == CS_OK && root)
        st = summarise_series(&fold, s.reps, &s);
    if (st == CS_OK && root && opt->keep_replications)
        keep_replications(res, &s);
    if (cs_ranks_any(st != CS_OK) && st == CS_OK)
        st = CS_ENOMEM;

    s.reps = cs_ranks_bcast_u32(st == CS_OK ? s.reps : 0);
    s.passed = cs_ranks_bcast_u32(st == CS_OK && s.passed) != 0;
    for (uint32_t r = 0; res != NULL && r < cap; r++)
        cs_result_fini(&res[r]);
    free(res);
    free(col);
    fold_fini(&fold);
    if (st != CS_OK) {
        cs_run_summary_fini(&s);
        return st;
    }
    *out = s;
    return CS_OK;
}
