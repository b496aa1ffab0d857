/* test_series.c -- the time series: exact values on a grid where every state is known by hand,
 * and sampling that leaves the simulation untouched. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clustersim/report.h"
#include "clustersim/runner.h"
#include "clustersim/series.h"
#include "test_util.h"

/* Two nodes of 4 CPU / 8Gi; two pods of 1 CPU / 1Gi land one per node (LeastAllocated). n-0
 * fails at exactly 1h and stays down. Grid: 0, 30m, 1h, 90m, 2h (5 samples). */
static const char *known =
    "apiVersion: clustersim.io/v1alpha1\n"
    "kind: Scenario\n"
    "metadata: {name: grid}\n"
    "spec:\n"
    "  duration: 2h\n"
    "  replications: 3\n"
    "  output: {samples: %s}\n"
    "  cluster:\n"
    "    nodePools:\n"
    "      - {name: n, count: 2, allocatable: {cpu: '4', memory: 8Gi}}\n"
    "  workloads:\n"
    "    - {name: w, replicas: 2, startupTime: 10s, resources: {requests: {cpu: '1', memory: 1Gi}}}\n"
    "  timeline:\n"
    "    - {at: 1h, action: nodeFailure, node: n-0}\n"
    "  properties:\n"
    "    - {name: both, type: availability, workload: w, minReady: 2}\n";

static cs_config *load_known(const char *samples)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, known, samples);
    return load(yaml);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    if (buf != NULL)
        buf[fread(buf, 1, (1 << 16) - 1, f)] = '\0';
    fclose(f);
    return buf;
}

/* Runs cfg on one thread into *s and writes its timeseries.csv into a new folder made from the
 * mkdtemp template dir; path (of `size` bytes) gets the file's name. The caller removes both. */
static void run_to_csv(const cs_config *cfg, cs_run_summary *s, char *dir, char *path, size_t size)
{
    cs_run_options ro = {.threads = 1};
    CU_ASSERT_EQUAL_FATAL(cs_runner_run(cfg, &ro, s), CS_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, size, "%s/timeseries.csv", dir);
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_report_write_timeseries(cfg, s, path, &d), CS_OK);
}

/* Each column triple repeats one value, as every replication sees the same states:
 *   t = 0, 30m: nothing has happened; 2 nodes, 8 cores and 16 GiB, 2 cores and 2 GiB asked.
 *   t = 1h: the failure at exactly 1h is seen: 1 node up, still 2 Ready (NotReady comes
 *           50 s later), allocatable halves, the failed node's pod still counts as requested,
 *           1 pod ready, the property violated.
 *   t = 90m, 2h: the pod was evicted at 1h + 350 s and replaced on n-1, Ready at 1h + 360 s;
 *           n-0 is NotReady. */
static void test_values_on_the_grid_are_the_states_by_hand(void)
{
    cs_config *cfg = load_known("5");
    CU_ASSERT_EQUAL(cfg->samples, 5);
    CU_ASSERT_EQUAL(cs_series_time(cfg, 2), CS_HOUR);
    CU_ASSERT_EQUAL(cs_series_column_count(cfg), 8 + 2 + 1);
    cs_run_summary s;
    char dir[] = "/tmp/cs_test_series_XXXXXX", path[64];
    run_to_csv(cfg, &s, dir, path, sizeof path);
    static const char *const rows[] = {
        /* pending up ready cpu.req cpu.alloc mem.req mem.alloc violated w.ready w.desired both */
        "0", "0 2 2 2 8 2 16 0 2 2 0",
        "1800", "0 2 2 2 8 2 16 0 2 2 0",
        "3600", "0 1 2 2 4 2 8 1 1 2 1",
        "5400", "0 1 1 2 4 2 8 0 2 2 0",
        "7200", "0 1 1 2 4 2 8 0 2 2 0",
    };
    char want[4096];
    size_t len = (size_t)snprintf(want, sizeof want,
                                  "time_s,pods.pending.mean,pods.pending.lo95,pods.pending.hi95,nodes.up.mean,"
                                  "nodes.up.lo95,nodes.up.hi95,nodes.ready.mean,nodes.ready.lo95,nodes.ready.hi95,"
                                  "cpu.requested_cores.mean,cpu.requested_cores.lo95,cpu.requested_cores.hi95,"
                                  "cpu.allocatable_cores.mean,cpu.allocatable_cores.lo95,cpu.allocatable_cores.hi95,"
                                  "memory.requested_gib.mean,memory.requested_gib.lo95,memory.requested_gib.hi95,"
                                  "memory.allocatable_gib.mean,memory.allocatable_gib.lo95,memory.allocatable_gib.hi95,"
                                  "properties.violated.mean,properties.violated.lo95,properties.violated.hi95,"
                                  "workload.w.ready.mean,workload.w.ready.lo95,workload.w.ready.hi95,"
                                  "workload.w.desired.mean,workload.w.desired.lo95,workload.w.desired.hi95,"
                                  "property.both.violated.mean,property.both.violated.lo95,"
                                  "property.both.violated.hi95\n");
    for (size_t r = 0; r < 5; r++) {
        len += (size_t)snprintf(want + len, sizeof want - len, "%s", rows[2 * r]);
        char vals[64];
        snprintf(vals, sizeof vals, "%s", rows[2 * r + 1]);
        for (char *v = strtok(vals, " "); v != NULL; v = strtok(NULL, " "))
            len += (size_t)snprintf(want + len, sizeof want - len, ",%s,%s,%s", v, v, v);
        len += (size_t)snprintf(want + len, sizeof want - len, "\n");
    }
    char *got = slurp(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_STRING_EQUAL(got, want);
    free(got);
    remove(path);
    rmdir(dir);
    cs_run_summary_fini(&s);
    cs_config_free(cfg);
}

/* Sampling is an observer: with 0, 5 or 1000 samples the metrics, the properties and the
 * number of events are the same, on a scenario with random failures and start-ups. */
static const char *random_yaml =
    "apiVersion: clustersim.io/v1alpha1\n"
    "kind: Scenario\n"
    "metadata: {name: random}\n"
    "spec:\n"
    "  duration: 48h\n"
    "  replications: 8\n"
    "  output: {samples: %s}\n"
    "  cluster:\n"
    "    nodePools:\n"
    "      - name: n\n"
    "        count: 4\n"
    "        allocatable: {cpu: '2', memory: 8Gi}\n"
    "        failures: {timeToFailure: {exponential: {mean: 12h}}, timeToRepair: {exponential: {mean: 1h}}}\n"
    "  workloads:\n"
    "    - {name: w, replicas: 5, startupTime: {uniform: {min: 5s, max: 40s}},\n"
    "       resources: {requests: {cpu: '1', memory: 1Gi}}}\n"
    "  properties:\n"
    "    - {name: three, type: availability, workload: w, minReady: 3}\n";

static void test_sampling_does_not_change_the_run(void)
{
    const char *counts[] = {"0", "5", "1000"};
    cs_run_summary s[3];
    cs_config *cfg[3];
    for (int i = 0; i < 3; i++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml, random_yaml, counts[i]);
        cfg[i] = load(yaml);
        cs_run_options ro = {.threads = 1};
        CU_ASSERT_EQUAL_FATAL(cs_runner_run(cfg[i], &ro, &s[i]), CS_OK);
    }
    CU_ASSERT_EQUAL(s[0].n_columns, 0);
    CU_ASSERT_TRUE(s[0].metrics[1].mean > 0);   /* nodes did fail */
    for (int i = 1; i < 3; i++) {
        CU_ASSERT_EQUAL(memcmp(s[0].metrics, s[i].metrics, s[0].n_metrics * sizeof *s[0].metrics), 0);
        CU_ASSERT_EQUAL(s[0].props[0].held, s[i].props[0].held);
        CU_ASSERT_EQUAL(s[0].props[0].violation_s.mean, s[i].props[0].violation_s.mean);
        CU_ASSERT_EQUAL(s[0].events.mean, s[i].events.mean);
        CU_ASSERT_EQUAL(s[0].latency[1].n, s[i].latency[1].n);
    }
    for (int i = 0; i < 3; i++) {
        cs_run_summary_fini(&s[i]);
        cs_config_free(cfg[i]);
    }
}

/* A scenario of `duration` with `output` (the whole line, or "" for the default grid). */
static cs_status load_grid(const char *duration, const char *output, cs_config **cfg, cs_diag *d)
{
    char yaml[1024];
    int len = snprintf(yaml, sizeof yaml,
                       "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: fine}\nspec:\n"
                       "  duration: %s\n%s"
                       "  cluster:\n    nodePools:\n      - {name: n, count: 1, allocatable: {cpu: '1', memory: 1Gi}}\n",
                       duration, output);
    return cs_scenario_load_buffer("test.yaml", yaml, (size_t)len, cfg, d);
}

/* The grid's points are whole nanoseconds, so samples - 1 steps fit in a duration of at least
 * that many nanoseconds, one per nanosecond at the finest; one more point and two coincide,
 * which the loader refuses (for the default grid, at spec.duration). */
static void test_the_grid_is_at_most_one_point_per_nanosecond(void)
{
    cs_config *cfg = NULL;
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(load_grid("1us", "  output: {samples: 1001}\n", &cfg, &d), CS_OK);
    for (uint32_t g = 0; g < cfg->samples; g++)
        CU_ASSERT_EQUAL(cs_series_time(cfg, g), (cs_time)g);
    cs_run_summary s;
    char dir[] = "/tmp/cs_test_series_XXXXXX", path[64];
    run_to_csv(cfg, &s, dir, path, sizeof path);
    /* Row g + 1 starts with g nanoseconds in seconds: 0, 0.000000001, ..., 0.000001. */
    FILE *f = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char line[4096], want[32];
    uint32_t rows = 0;
    CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof line, f));   /* the header */
    while (fgets(line, sizeof line, f) != NULL) {
        cs_report_format_time((cs_time)rows, want, sizeof want);
        CU_ASSERT_TRUE(strncmp(line, want, strlen(want)) == 0 && line[strlen(want)] == ',');
        rows++;
    }
    fclose(f);
    CU_ASSERT_EQUAL(rows, 1001);
    remove(path);
    rmdir(dir);
    cs_run_summary_fini(&s);
    cs_config_free(cfg);

    cfg = NULL;
    CU_ASSERT_EQUAL(load_grid("1us", "  output: {samples: 1002}\n", &cfg, &d), CS_EINPUT);
    CU_ASSERT_PTR_NULL(cfg);
    CU_ASSERT_EQUAL(d.line, 6);
    CU_ASSERT_EQUAL(d.col, 21);
    CU_ASSERT_STRING_EQUAL(d.path, "spec.output.samples");
    CU_ASSERT_STRING_EQUAL(d.msg, "expected 0 (no time series) or 2 to 1001 grid points (one per nanosecond of "
                                  "spec.duration, 1\xC2\xB5s, at most), found \"1002\"");

    CU_ASSERT_EQUAL(load_grid("199ns", "", &cfg, &d), CS_OK);   /* the default 200 points, 1 ns apart */
    CU_ASSERT_EQUAL(cfg->samples, CS_DEFAULT_SAMPLES);
    CU_ASSERT_EQUAL(cs_series_time(cfg, 199), 199);
    cs_config_free(cfg);
    cfg = NULL;
    CU_ASSERT_EQUAL(load_grid("198ns", "", &cfg, &d), CS_EINPUT);
    CU_ASSERT_EQUAL(d.line, 5);
    CU_ASSERT_EQUAL(d.col, 13);
    CU_ASSERT_STRING_EQUAL(d.path, "spec.duration");
    CU_ASSERT_STRING_EQUAL(d.msg, "expected a duration of at least 199ns, one per step of the 200 time-series points "
                                  "spec.output.samples has by default (or set it lower, or 0), found \"198ns\"");
    CU_ASSERT_EQUAL(load_grid("198ns", "  output: {samples: 0}\n", &cfg, &d), CS_OK);   /* no grid, no limit */
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"values on the grid are the states by hand", test_values_on_the_grid_are_the_states_by_hand},
    {"sampling does not change the run", test_sampling_does_not_change_the_run},
    {"the grid is at most one point per nanosecond", test_the_grid_is_at_most_one_point_per_nanosecond},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_series_suite = {.pName = "series", .pTests = tests};
