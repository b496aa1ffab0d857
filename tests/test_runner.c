/* test_runner.c -- the runner: batch boundaries, the precision rule, the same summary whatever
 * the threads, and results that survive the trip through the wire form MPI uses. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clustersim/result.h"
#include "clustersim/arena.h"
#include "clustersim/runner.h"
#include "test_util.h"

/* Nine nodes that fail about every 10 days and come back in about an hour, six web pods: the
 * availability metrics vary from replication to replication, but not wildly. */
static const char *flaky =
    "apiVersion: clustersim.io/v1alpha1\n"
    "kind: Scenario\n"
    "metadata: {name: flaky}\n"
    "spec:\n"
    "  duration: 24h\n"
    "  seed: 11\n"
    "  cluster:\n"
    "    nodePools:\n"
    "      - name: p\n"
    "        count: 9\n"
    "        zones: [a, b, c]\n"
    "        allocatable: {cpu: '4', memory: 16Gi}\n"
    "        failures:\n"
    "          timeToFailure: {exponential: {mean: 240h}}\n"
    "          timeToRepair: {exponential: {mean: 1h}}\n"
    "  workloads:\n"
    "    - {name: web, replicas: 6, resources: {requests: {cpu: 1500m, memory: 2Gi}},\n"
    "       startupTime: {uniform: {min: 5s, max: 60s}}}\n"
    "  properties:\n"
    "    - {name: web-five, type: availability, workload: web, minReady: 5, threshold: 0.5}\n";

static void test_batches_grow_by_half_and_stop_at_the_cap(void)
{
    static const uint32_t want[] = {32, 48, 72, 108, 162, 243, 365, 548};
    uint32_t done = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        done = cs_runner_batch_end(done, 1000000);
        CU_ASSERT_EQUAL(done, want[i]);
    }
    CU_ASSERT_EQUAL(cs_runner_batch_end(0, 10), 10);      /* a cap below the first batch */
    CU_ASSERT_EQUAL(cs_runner_batch_end(72, 100), 100);   /* 108 would pass the cap */
    CU_ASSERT_EQUAL(cs_runner_batch_end(UINT32_MAX - 1, UINT32_MAX), UINT32_MAX);
}

static void test_relative_half_width(void)
{
    cs_stat st = {.n = 10, .mean = -4, .ci_lo = -5, .ci_hi = -3};
    CU_ASSERT_DOUBLE_EQUAL(cs_runner_rel_half(&st), 0.25, 1e-15);
    st = (cs_stat){.n = 10, .mean = 2, .ci_lo = 2, .ci_hi = 2};   /* every value the same */
    CU_ASSERT_EQUAL(cs_runner_rel_half(&st), 0);
    st = (cs_stat){.n = 10, .mean = 0, .ci_lo = -1, .ci_hi = 1};
    CU_ASSERT_TRUE(isinf(cs_runner_rel_half(&st)));
}

static cs_run_summary run(const cs_config *cfg, uint32_t reps, double precision, int threads)
{
    cs_run_options o = {.reps = reps, .precision = precision, .threads = threads};
    cs_run_summary s = {0};
    CU_ASSERT_EQUAL_FATAL(cs_runner_run(cfg, &o, &s), CS_OK);
    return s;
}

/* The replications a run keeps are the values its summary was made of: each metric's column
 * averages to the summary's mean, each property's to its held count, and they are the same
 * bits with 1 and 3 threads. web-six fails whenever a node with a web pod does, in about 45%
 * of the replications (6 nodes of 9 each failing with probability 1 - e^-0.1 in the day), so its
 * column is not constant whatever the draws; web-five's two overlapping failures are rare. */
static void test_kept_replications_are_the_summarised_values(void)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", flaky,
             "    - {name: web-six, type: availability, workload: web, minReady: 6, threshold: 0.5}\n");
    cs_config *cfg = load(text);
    cs_run_options o = {.reps = 60, .threads = 1, .keep_replications = true};
    cs_run_summary s1 = {0}, s3 = {0};
    CU_ASSERT_EQUAL_FATAL(cs_runner_run(cfg, &o, &s1), CS_OK);
    o.threads = 3;
    CU_ASSERT_EQUAL_FATAL(cs_runner_run(cfg, &o, &s3), CS_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s1.rep_metrics);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s1.rep_held);
    for (size_t i = 0; i < s1.n_metrics; i++) {
        double sum = 0;
        for (uint32_t r = 0; r < s1.reps; r++)
            sum += s1.rep_metrics[(size_t)r * s1.n_metrics + i];
        CU_ASSERT_DOUBLE_EQUAL(sum / s1.reps, s1.metrics[i].mean, 1e-9 * (1 + fabs(s1.metrics[i].mean)));
    }
    for (uint32_t p = 0; p < s1.n_props; p++) {
        uint32_t held = 0;
        for (uint32_t r = 0; r < s1.reps; r++)
            held += s1.rep_held[(size_t)r * s1.n_props + p];
        CU_ASSERT_EQUAL(held, s1.props[p].held);
    }
    CU_ASSERT_TRUE(s1.props[1].held > 0 && s1.props[1].held < s1.reps);   /* the column is not constant */
    CU_ASSERT_EQUAL(memcmp(s1.rep_metrics, s3.rep_metrics, (size_t)s1.reps * s1.n_metrics * sizeof(double)), 0);
    CU_ASSERT_EQUAL(memcmp(s1.rep_held, s3.rep_held, (size_t)s1.reps * s1.n_props), 0);
    /* Without keep_replications the summary keeps none. */
    cs_run_summary plain = run(cfg, 60, 0, 2);
    CU_ASSERT_PTR_NULL(plain.rep_metrics);
    cs_run_summary_fini(&s1);
    cs_run_summary_fini(&s3);
    cs_run_summary_fini(&plain);
    cs_config_free(cfg);
}

/* Out of memory for the per-replication copy, the last thing a run allocates, the run keeps
 * its summary and says it dropped the copy. Found by failing the n-th allocation for n = 1,
 * 2, ... (one thread, so the count is the same every time): every earlier failure fails the
 * run (one in a replication's latency histograms once went unnoticed, and the run summarised
 * empty histograms), the first n that lets the run through fails the copy, and one more lets
 * the copy through too. */
static void test_a_run_without_memory_for_its_replications_keeps_its_summary(void)
{
    cs_config *cfg = load(flaky);
    cs_run_options o = {.reps = 3, .threads = 1, .keep_replications = true};
    bool dropped_seen = false, kept_after = false;
    for (long n = 1; n < 100000 && !kept_after; n++) {
        cs_run_summary s = {0};
        cs_alloc_fail_after(n);
        cs_status st = cs_runner_run(cfg, &o, &s);
        cs_alloc_fail_after(0);
        if (st == CS_OK) {
            if (!dropped_seen) {
                CU_ASSERT_TRUE(s.replications_dropped);
                CU_ASSERT_PTR_NULL(s.rep_metrics);
                CU_ASSERT_PTR_NULL(s.rep_held);
                CU_ASSERT_EQUAL(s.reps, 3);
                dropped_seen = true;
            } else if (!s.replications_dropped) {
                CU_ASSERT_PTR_NOT_NULL(s.rep_metrics);
                kept_after = true;
            }
            cs_run_summary_fini(&s);
        } else {
            CU_ASSERT_FALSE(dropped_seen);   /* once the run gets through, it always does */
            CU_ASSERT_EQUAL(st, CS_ENOMEM);
        }
    }
    CU_ASSERT_TRUE(dropped_seen);
    CU_ASSERT_TRUE(kept_after);
    cs_config_free(cfg);
}

static bool same_stat(const cs_stat *a, const cs_stat *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

/* The precision rule stops at the first batch boundary where the least precise headline
 * metric is below the target: the run before that boundary (the same replications, as
 * replication r's streams do not depend on the run) was not precise yet. The summary is the
 * same, bit for bit, with 1 and 3 threads. */
static void test_precision_stops_at_the_first_precise_batch(void)
{
    cs_config *cfg = load(flaky);
    cs_run_summary s1 = run(cfg, 100000, 0.002, 1);
    CU_ASSERT_TRUE(s1.stopped_by_precision);
    CU_ASSERT_TRUE(s1.worst.any);
    CU_ASSERT_TRUE(s1.worst.rel_half < 0.002);
    CU_ASSERT_TRUE(s1.batches >= 3);

    uint32_t prev = 0;
    for (uint32_t b = 1; b < s1.batches; b++)
        prev = cs_runner_batch_end(prev, 100000);
    CU_ASSERT_EQUAL(cs_runner_batch_end(prev, 100000), s1.reps);

    cs_run_summary before = run(cfg, prev, 0, 1);
    CU_ASSERT_EQUAL(before.reps, prev);
    CU_ASSERT_TRUE(before.worst.rel_half >= 0.002);
    CU_ASSERT_FALSE(before.stopped_by_precision);

    cs_run_summary s3 = run(cfg, 100000, 0.002, 3);
    CU_ASSERT_EQUAL(s3.reps, s1.reps);
    CU_ASSERT_EQUAL(s3.batches, s1.batches);
    for (size_t i = 0; i < s1.n_metrics; i++)
        CU_ASSERT_TRUE(same_stat(&s1.metrics[i], &s3.metrics[i]));
    CU_ASSERT_EQUAL(s3.props[0].held, s1.props[0].held);

    /* The same replications without --precision give the same summary. */
    cs_run_summary plain = run(cfg, s1.reps, 0, 2);
    for (size_t i = 0; i < s1.n_metrics; i++)
        CU_ASSERT_TRUE(same_stat(&s1.metrics[i], &plain.metrics[i]));

    cs_run_summary_fini(&s1);
    cs_run_summary_fini(&before);
    cs_run_summary_fini(&s3);
    cs_run_summary_fini(&plain);
    cs_config_free(cfg);
}

/* A target out of reach stops at the cap, and says so. */
static void test_precision_gives_way_to_the_cap(void)
{
    cs_config *cfg = load(flaky);
    cs_run_summary s = run(cfg, 100, 1e-9, 2);
    CU_ASSERT_FALSE(s.stopped_by_precision);
    CU_ASSERT_EQUAL(s.reps, 100);
    CU_ASSERT_EQUAL(s.max_reps, 100);
    CU_ASSERT_EQUAL(s.batches, 4);   /* 32, 48, 72, 100 */
    CU_ASSERT_TRUE(s.worst.rel_half > 1e-9);
    cs_run_summary_fini(&s);
    cs_config_free(cfg);
}

/* The headline metrics are each workload's ready_mean and full_fraction, nothing else. */
static void test_headline_metrics(void)
{
    cs_config *cfg = load(flaky);
    char name[128];
    size_t n = 0;
    for (size_t i = 0; i < cs_result_metric_count(cfg); i++) {
        if (!cs_result_metric_headline(cfg, i))
            continue;
        cs_result_metric_name(cfg, i, name, sizeof name);
        CU_ASSERT_TRUE(strcmp(name, "workload.web.ready_mean") == 0 ||
                       strcmp(name, "workload.web.full_fraction") == 0);
        n++;
    }
    CU_ASSERT_EQUAL(n, 2);
    cs_config_free(cfg);
}

/* pack then unpack gives the same numbers, bit for bit (a NaN's payload too) and the same
 * histograms; a record cut short is rejected, not read past its end. */
static void test_wire_round_trip(void)
{
    cs_config *cfg = load(flaky);
    cs_rep_result a, b;
    CU_ASSERT_EQUAL_FATAL(cs_result_init(&a, cfg), CS_OK);
    size_t nm = cs_result_metric_count(cfg);
    for (size_t i = 0; i < nm; i++)
        a.metrics[i] = 1.0 / (double)(i + 3);
    a.metrics[1] = nan("7");
    a.props[0] = (cs_prop_result){.held = false, .violation_s = 12.5, .violations = 3, .first_violation_s = 0.1};
    a.events = UINT64_C(1) << 60;
    a.arena_bytes = 123456789;
    CU_ASSERT_EQUAL_FATAL(a.n_latency, 2);
    cs_hist h;
    cs_hist_init(&h, NULL);
    CU_ASSERT_EQUAL(cs_hist_add(&h, 5, 2), CS_OK);
    CU_ASSERT_EQUAL(cs_hist_add(&h, 3 * CS_SECOND, 1), CS_OK);
    CU_ASSERT_EQUAL_FATAL(cs_hist_pack(&h, &a.latency[1]), CS_OK);   /* latency[0] stays empty */
    cs_hist_fini(&h);

    size_t size = cs_result_wire_size(cfg, &a), used = 0;
    unsigned char *buf = malloc(size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    CU_ASSERT_EQUAL(cs_result_pack(cfg, &a, buf), size);
    CU_ASSERT_EQUAL(cs_result_unpack(cfg, buf, size - 1, &used, &b), CS_EINPUT);
    CU_ASSERT_EQUAL_FATAL(cs_result_unpack(cfg, buf, size, &used, &b), CS_OK);
    CU_ASSERT_EQUAL(used, size);
    CU_ASSERT_EQUAL(memcmp(a.metrics, b.metrics, nm * sizeof *a.metrics), 0);
    CU_ASSERT_EQUAL(b.props[0].held, false);
    CU_ASSERT_EQUAL(b.props[0].violation_s, 12.5);
    CU_ASSERT_EQUAL(b.props[0].violations, 3);
    CU_ASSERT_EQUAL(b.props[0].first_violation_s, 0.1);
    CU_ASSERT_EQUAL(b.events, UINT64_C(1) << 60);
    CU_ASSERT_EQUAL(b.arena_bytes, 123456789);
    CU_ASSERT_EQUAL(b.latency[0].n_buckets, 0);
    CU_ASSERT_EQUAL(b.latency[0].n, 0);
    const cs_hist_packed *x = &a.latency[1], *y = &b.latency[1];
    CU_ASSERT_EQUAL_FATAL(y->n_buckets, 2);
    CU_ASSERT_EQUAL(memcmp(x->index, y->index, 2 * sizeof *x->index), 0);
    CU_ASSERT_EQUAL(memcmp(x->count, y->count, 2 * sizeof *x->count), 0);
    CU_ASSERT_EQUAL(y->n, 3);
    CU_ASSERT_EQUAL(y->min, 5);
    CU_ASSERT_EQUAL(y->max, 3 * CS_SECOND);
    CU_ASSERT_EQUAL(y->sum_lo, x->sum_lo);
    CU_ASSERT_EQUAL(y->sum_hi, x->sum_hi);
    free(buf);
    cs_result_fini(&a);
    cs_result_fini(&b);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"batches grow by half and stop at the cap", test_batches_grow_by_half_and_stop_at_the_cap},
    {"relative half-width", test_relative_half_width},
    {"precision stops at the first precise batch", test_precision_stops_at_the_first_precise_batch},
    {"kept replications are the summarised values", test_kept_replications_are_the_summarised_values},
    {"a run without memory for its replications keeps its summary",
     test_a_run_without_memory_for_its_replications_keeps_its_summary},
    {"precision gives way to the cap", test_precision_gives_way_to_the_cap},
    {"headline metrics", test_headline_metrics},
    {"wire round trip", test_wire_round_trip},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_runner_suite = {.pName = "runner", .pTests = tests};
