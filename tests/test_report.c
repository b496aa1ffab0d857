/* test_report.c -- the report writers: exact times, JSON escaping in the trace, and
 * summary.json written atomically (complete, in a fresh nested directory, or not at all). */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clustersim/report.h"
#include "clustersim/result.h"
#include "clustersim/runner.h"
#include "clustersim/scenario.h"

static const char *small_yaml =
    "apiVersion: clustersim.io/v1alpha1\n"
    "kind: Scenario\n"
    "metadata: {name: small}\n"
    "spec:\n"
    "  duration: 90m\n"
    "  replications: 4\n"
    "  cluster:\n"
    "    nodePools:\n"
    "      - {name: pool, count: 2, allocatable: {cpu: '4', memory: 8Gi}}\n"
    "  workloads:\n"
    "    - {name: web, replicas: 2, resources: {requests: {cpu: '1', memory: 1Gi}}}\n"
    "  properties:\n"
    "    - {name: web-ready, type: availability, workload: web, minReady: 1, threshold: 0.5}\n"
    "    - {name: fits, type: noOvercommit}\n";

static cs_config *load_small(void)
{
    cs_config *cfg = NULL;
    cs_diag d = {0};
    cs_status st = cs_scenario_load_buffer("small.yaml", small_yaml, strlen(small_yaml), &cfg, &d);
    if (st != CS_OK) {
        char buf[1024];
        fprintf(stderr, "\n%s", cs_diag_format(&d, buf, sizeof buf));
    }
    CU_ASSERT_EQUAL_FATAL(st, CS_OK);
    return cfg;
}

/* A summary filled by hand: metric i has mean i, the first property held 3 times in 4. */
static cs_run_summary hand_summary(const cs_config *cfg, cs_stat *metrics, cs_prop_summary *props)
{
    size_t n = cs_result_metric_count(cfg);
    for (size_t i = 0; i < n; i++)
        metrics[i] = (cs_stat){.n = 4, .mean = (double)i, .sd = 0.5, .ci_lo = (double)i - 0.25,
                               .ci_hi = (double)i + 0.25, .min = (double)i - 1, .max = (double)i + 1};
    props[0] = (cs_prop_summary){.held = 3, .probability = 0.75, .wilson_lo = 0.3, .wilson_hi = 0.95,
                                 .passed = true};
    props[0].violation_s = (cs_stat){.n = 1, .mean = 12.5, .ci_lo = 12.5, .ci_hi = 12.5, .min = 12.5, .max = 12.5};
    props[0].violations = (cs_stat){.n = 1, .mean = 1, .ci_lo = 1, .ci_hi = 1, .min = 1, .max = 1};
    props[0].first_violation_s = (cs_stat){.n = 1, .mean = 600, .ci_lo = 600, .ci_hi = 600, .min = 600, .max = 600};
    props[1] = (cs_prop_summary){.held = 4, .probability = 1, .wilson_lo = 0.5, .wilson_hi = 1, .passed = true};
    return (cs_run_summary){.reps = 4, .seed = 42, .n_metrics = n, .metrics = metrics, .n_props = 2,
                            .props = props, .passed = true,
                            .events = {.n = 4, .mean = 100, .ci_lo = 90, .ci_hi = 110, .min = 80, .max = 120},
                            .peak_arena_bytes = 4096, .max_reps = 4, .batches = 1,
                            .worst = {.any = true, .property = true, .index = 0, .rel_half = 0.4333}};
}

/* ---- scratch files ----------------------------------------------------------------------- */

static char scratch[64];

static void scratch_new(void)
{
    snprintf(scratch, sizeof scratch, "/tmp/cs_test_report_XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(scratch));
}

static char *at(const char *rel, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", scratch, rel);
    return buf;
}

/* Number of entries in a directory, "." and ".." aside; -1 when it cannot be read. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf != NULL) {
        size_t got = fread(buf, 1, (size_t)n, f);
        buf[got] = '\0';
    }
    fclose(f);
    return buf;
}

/* ---- time ------------------------------------------------------------------------------- */

static void test_times_are_exact_decimal_seconds(void)
{
    char buf[32];
    CU_ASSERT_STRING_EQUAL(cs_report_format_time(0, buf, sizeof buf), "0");
    CU_ASSERT_STRING_EQUAL(cs_report_format_time(1, buf, sizeof buf), "0.000000001");
    CU_ASSERT_STRING_EQUAL(cs_report_format_time(1500 * CS_MS, buf, sizeof buf), "1.5");
    CU_ASSERT_STRING_EQUAL(cs_report_format_time(6 * CS_HOUR, buf, sizeof buf), "21600");
    /* %.9g would round this to 86399.1235; the trace keeps every nanosecond. */
    CU_ASSERT_STRING_EQUAL(cs_report_format_time(86399123456789, buf, sizeof buf), "86399.123456789");
    CU_ASSERT_STRING_EQUAL(cs_report_format_time(-250 * CS_MS, buf, sizeof buf), "-0.25");
    CU_ASSERT_STRING_EQUAL(cs_report_format_time(CS_TIME_MAX, buf, sizeof buf), "9223372036.854775807");
    CU_ASSERT_STRING_EQUAL(cs_report_format_time(INT64_MIN, buf, sizeof buf), "-9223372036.854775808");
}

static void test_durations_read_like_scenarios(void)
{
    char buf[48];
    CU_ASSERT_STRING_EQUAL(cs_report_format_duration(24 * CS_HOUR, buf, sizeof buf), "24h");
    CU_ASSERT_STRING_EQUAL(cs_report_format_duration(90 * CS_MINUTE, buf, sizeof buf), "1h30m");
    CU_ASSERT_STRING_EQUAL(cs_report_format_duration(90 * CS_SECOND, buf, sizeof buf), "1m30s");
    CU_ASSERT_STRING_EQUAL(cs_report_format_duration(2500 * CS_MS, buf, sizeof buf), "2.5s");
    CU_ASSERT_STRING_EQUAL(cs_report_format_duration(CS_HOUR + 1, buf, sizeof buf), "1h0.000000001s");
    CU_ASSERT_STRING_EQUAL(cs_report_format_duration(0, buf, sizeof buf), "0s");
}

/* ---- trace ------------------------------------------------------------------------------- */

static void test_trace_escapes_strings_and_writes_exact_numbers(void)
{
    scratch_new();
    char path[128], dir[128];
    at("deep/er/trace.jsonl", path, sizeof path);
    cs_trace_sink sink = {0};
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_trace_file_open(path, &sink, &d), CS_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sink.fn);

    const char *nasty = "a\"b\\c\nd\te\x01\x1f\x7f\xc3\xa9";
    cs_field f1[] = {CS_STR("s", nasty), CS_INT("i", -42), CS_REAL("r", 0.1), CS_REAL("big", 1e300),
                     CS_REAL("nan", NAN), CS_REAL("whole", 5.0)};
    sink.fn(sink.ctx, 86399123456789, "pod.bound", f1, sizeof f1 / sizeof f1[0]);
    sink.fn(sink.ctx, 0, "start", NULL, 0);
    cs_field f2[] = {CS_STR("k\"ey", "v")};
    sink.fn(sink.ctx, 1500 * CS_MS, "t\ny", f2, 1);

    /* Until the close, the lines live in a temporary file beside the destination. */
    CU_ASSERT_EQUAL(access(path, F_OK), -1);
    CU_ASSERT_EQUAL(entries(at("deep/er", dir, sizeof dir)), 1);
    CU_ASSERT_EQUAL_FATAL(cs_trace_file_close(&sink, &d), CS_OK);
    CU_ASSERT_PTR_NULL(sink.fn);
    CU_ASSERT_EQUAL(entries(dir), 1);

    char *text = slurp(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    const char *expected =
        "{\"t\":86399.123456789,\"type\":\"pod.bound\","
        "\"s\":\"a\\\"b\\\\c\\nd\\te\\u0001\\u001f\\u007f\xc3\xa9\","
        "\"i\":-42,\"r\":0.1,\"big\":1e+300,\"nan\":null,\"whole\":5}\n"
        "{\"t\":0,\"type\":\"start\"}\n"
        "{\"t\":1.5,\"type\":\"t\\ny\",\"k\\\"ey\":\"v\"}\n";
    CU_ASSERT_STRING_EQUAL(text, expected);

    /* Every line is JSON that reads back to what was emitted. */
    char *line = strtok(text, "\n");
    json_error_t err;
    json_t *first = json_loads(line, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(first);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(first, "s")), nasty);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(first, "r")), 0.1, 0);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(first, "i")), -42);
    CU_ASSERT_TRUE(json_is_null(json_object_get(first, "nan")));
    json_decref(first);
    int lines = 1;
    while ((line = strtok(NULL, "\n")) != NULL) {
        json_t *j = json_loads(line, 0, &err);
        CU_ASSERT_PTR_NOT_NULL(j);
        json_decref(j);
        lines++;
    }
    CU_ASSERT_EQUAL(lines, 3);
    free(text);

    remove(path);
    rmdir(dir);
    rmdir(at("deep", dir, sizeof dir));
    rmdir(scratch);
}

static void test_discarded_trace_leaves_nothing(void)
{
    scratch_new();
    char path[128];
    cs_trace_sink sink = {0};
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_trace_file_open(at("trace.jsonl", path, sizeof path), &sink, &d), CS_OK);
    sink.fn(sink.ctx, 0, "start", NULL, 0);
    cs_trace_file_discard(&sink);
    CU_ASSERT_PTR_NULL(sink.fn);
    CU_ASSERT_EQUAL(entries(scratch), 0);
    rmdir(scratch);
}

static void test_trace_under_a_regular_file_is_an_io_error(void)
{
    scratch_new();
    char file[128], path[160];
    FILE *f = fopen(at("plain", file, sizeof file), "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fclose(f);
    snprintf(path, sizeof path, "%s/sub/trace.jsonl", file);
    cs_trace_sink sink = {0};
    cs_diag d = {0};
    CU_ASSERT_EQUAL(cs_trace_file_open(path, &sink, &d), CS_EIO);
    CU_ASSERT_STRING_EQUAL(d.file, path);
    CU_ASSERT_TRUE(d.msg[0] != '\0');
    CU_ASSERT_PTR_NULL(sink.fn);
    CU_ASSERT_EQUAL(entries(scratch), 1);
    remove(file);
    rmdir(scratch);
}

/* ---- summary.json ------------------------------------------------------------------------ */

static void test_summary_is_complete_in_a_new_nested_directory(void)
{
    cs_config *cfg = load_small();
    size_t n = cs_result_metric_count(cfg);
    cs_stat *metrics = calloc(n, sizeof *metrics);
    cs_prop_summary props[2];
    CU_ASSERT_PTR_NOT_NULL_FATAL(metrics);
    cs_run_summary s = hand_summary(cfg, metrics, props);
    metrics[1].mean = NAN;   /* JSON has no NaN: it must become null, not break the file */
    metrics[0].p5 = -0.5;
    metrics[0].p95 = 1.5;
    /* Latency: web's time to ready saw 1 s, 2 s and 3 s; nothing else counted anything. */
    cs_hist latency[4];
    for (int i = 0; i < 4; i++)
        cs_hist_init(&latency[i], NULL);
    for (uint64_t v = 1; v <= 3; v++)
        CU_ASSERT_EQUAL(cs_hist_add(&latency[3], v * 1000000000u, 1), CS_OK);
    s.n_latency = cs_result_latency_count(cfg);
    CU_ASSERT_EQUAL_FATAL(s.n_latency, 4);
    s.latency = latency;

    scratch_new();
    char path[128], dir[128];
    at("results/small/run1/summary.json", path, sizeof path);
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_report_write_summary(cfg, &s, path, &d), CS_OK);
    CU_ASSERT_EQUAL(entries(at("results/small/run1", dir, sizeof dir)), 1);

    char *text = slurp(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    size_t len = strlen(text);
    CU_ASSERT_TRUE(len > 2 && text[len - 1] == '\n' && text[len - 2] == '}');
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  \"seed\": 42,\n"));

    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    static const char *const keys[] = {"schemaVersion", "clustersim", "scenario", "seed",
                                       "replications",  "stopping",   "metrics",  "latency",
                                       "properties",    "events_per_replication", "passed"};
    enum { N_KEYS = sizeof keys / sizeof keys[0] };
    size_t k = 0;
    for (void *it = json_object_iter(root); it != NULL; it = json_object_iter_next(root, it), k++)
        if (k < N_KEYS)
            CU_ASSERT_STRING_EQUAL(json_object_iter_key(it), keys[k]);
    CU_ASSERT_EQUAL(k, N_KEYS);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(root, "schemaVersion")), CS_SUMMARY_SCHEMA_VERSION);
    /* Without --precision: the cap stopped it, in one batch; the least precise headline is
     * the first property, named as compare and --precision name it. */
    json_t *stop = json_object_get(root, "stopping");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(stop, "rule")), "replications");
    CU_ASSERT_TRUE(json_is_null(json_object_get(stop, "precision")));
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(stop, "max_replications")), 4);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(stop, "batches")), 1);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(stop, "least_precise")), "property.web-ready.probability");
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(stop, "relative_half_width")), 0.4333, 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(root, "clustersim")), cs_version());
    json_t *sc = json_object_get(root, "scenario");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(sc, "name")), "small");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(sc, "file")), "small.yaml");
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(sc, "duration_s")), 5400, 0);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(root, "seed")), 42);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(root, "replications")), 4);

    json_t *m = json_object_get(root, "metrics");
    CU_ASSERT_EQUAL(json_object_size(m), n);
    char name[128];
    json_t *m0 = json_object_get(m, cs_result_metric_name(cfg, 0, name, sizeof name));
    CU_ASSERT_PTR_NOT_NULL_FATAL(m0);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(m0, "sd")), 0.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_array_get(json_object_get(m0, "ci95"), 0)), -0.25, 0);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(m0, "n")), 4);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(m0, "p5")), -0.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(m0, "p95")), 1.5, 0);
    json_t *m1 = json_object_get(m, cs_result_metric_name(cfg, 1, name, sizeof name));
    CU_ASSERT_TRUE(json_is_null(json_object_get(m1, "mean")));

    /* Latencies in seconds: min, mean and max exact; p50 is the middle value's bucket; the
     * empty histograms have n 0 and null quantiles. */
    json_t *lat = json_object_get(root, "latency");
    CU_ASSERT_EQUAL(json_object_size(lat), 4);
    json_t *ready = json_object_get(lat, "workload.web.time_to_ready_s");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ready);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(ready, "n")), 3);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(ready, "mean")), 2, 0);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(ready, "min")), 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(ready, "max")), 3, 0);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(ready, "p50")),
                           (double)cs_hist_bucket_value(cs_hist_bucket(2000000000u)) / 1e9, 1e-12);
    /* p99.9 is rank 3, the largest value: its bucket's middle, unless that passes the max. */
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(ready, "p99.9")),
                           fmin((double)cs_hist_bucket_value(cs_hist_bucket(3000000000u)), 3e9) / 1e9, 1e-12);
    json_t *sched = json_object_get(lat, "pods.scheduling_latency_s");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(sched, "n")), 0);
    CU_ASSERT_TRUE(json_is_null(json_object_get(sched, "p99")));

    json_t *p = json_object_get(root, "properties");
    CU_ASSERT_EQUAL_FATAL(json_array_size(p), 2);
    json_t *p0 = json_array_get(p, 0), *p1 = json_array_get(p, 1);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(p0, "name")), "web-ready");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(p0, "type")), "availability");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(p1, "type")), "noOvercommit");
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(p0, "threshold")), 0.5, 0);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(p0, "held")), 3);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(p0, "probability")), 0.75, 0);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_array_get(json_object_get(p0, "wilson95"), 1)), 0.95, 0);
    CU_ASSERT_TRUE(json_is_true(json_object_get(p0, "passed")));
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(json_object_get(p0, "violation_s"), "mean")), 12.5, 0);
    /* No violating replication: no mean to report, rather than a mean of 0. */
    CU_ASSERT_TRUE(json_is_null(json_object_get(json_object_get(p1, "violation_s"), "mean")));
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(p1, "violations"), "n")), 0);
    CU_ASSERT_TRUE(json_is_true(json_object_get(root, "passed")));
    json_decref(root);

    /* A second write replaces the first whole, and the same summary gives the same bytes. */
    s.passed = false;
    CU_ASSERT_EQUAL(cs_report_write_summary(cfg, &s, path, &d), CS_OK);
    char *again = slurp(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(again);
    CU_ASSERT_PTR_NOT_NULL(strstr(again, "\n  \"passed\": false\n}\n"));
    s.passed = true;
    CU_ASSERT_EQUAL(cs_report_write_summary(cfg, &s, path, &d), CS_OK);
    free(again);
    again = slurp(path);
    CU_ASSERT_STRING_EQUAL(again, text);
    CU_ASSERT_EQUAL(entries(dir), 1);
    free(again);
    free(text);

    remove(path);
    rmdir(dir);
    rmdir(at("results/small", dir, sizeof dir));
    rmdir(at("results", dir, sizeof dir));
    rmdir(scratch);
    free(metrics);
    for (int i = 0; i < 4; i++)
        cs_hist_fini(&latency[i]);
    cs_config_free(cfg);
}

/* Each property is written with its type as the scenario spells it, and an availability
 * property with its workload (null: every workload) and minReady as written. */
static void test_summary_names_each_property_as_written(void)
{
    static const char *yaml =
        "apiVersion: clustersim.io/v1alpha1\n"
        "kind: Scenario\n"
        "metadata: {name: kinds}\n"
        "spec:\n"
        "  duration: 10m\n"
        "  replications: 2\n"
        "  cluster:\n"
        "    nodePools:\n"
        "      - {name: pool, count: 2, allocatable: {cpu: '4', memory: 8Gi}}\n"
        "  workloads:\n"
        "    - {name: web, replicas: 3, resources: {requests: {cpu: '1', memory: 1Gi}}}\n"
        "  properties:\n"
        "    - {name: two-thirds, type: availability, workload: web, minReady: 66%}\n"
        "    - {name: each-one, type: availability, minReady: 1}\n"
        "    - {name: fits, type: noOvercommit}\n"
        "    - {name: budgets, type: pdb}\n"
        "    - {name: kept, type: noPodLost}\n"
        "    - {name: valid, type: schedulingValidity}\n";
    cs_config *cfg = NULL;
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_buffer("kinds.yaml", yaml, strlen(yaml), &cfg, &d), CS_OK);
    cs_run_options ro = {.threads = 1};
    cs_run_summary s;
    CU_ASSERT_EQUAL_FATAL(cs_runner_run(cfg, &ro, &s), CS_OK);
    scratch_new();
    char path[128];
    CU_ASSERT_EQUAL_FATAL(cs_report_write_summary(cfg, &s, at("summary.json", path, sizeof path), &d), CS_OK);
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    json_t *props = json_object_get(root, "properties");
    static const char *const types[] = {"availability", "availability", "noOvercommit", "pdb", "noPodLost",
                                        "schedulingValidity"};
    CU_ASSERT_EQUAL_FATAL(json_array_size(props), 6);
    for (size_t i = 0; i < 6; i++)
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(props, i), "type")), types[i]);
    json_t *p0 = json_array_get(props, 0), *p1 = json_array_get(props, 1), *p2 = json_array_get(props, 2);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(p0, "workload")), "web");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(p0, "minReady")), "66%");
    CU_ASSERT_TRUE(json_is_null(json_object_get(p1, "workload")));
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(p1, "minReady")), 1);
    CU_ASSERT_PTR_NULL(json_object_get(p2, "minReady"));
    json_decref(root);
    remove(path);
    rmdir(scratch);
    cs_run_summary_fini(&s);
    cs_config_free(cfg);
}

static void test_summary_seed_keeps_all_64_bits(void)
{
    cs_config *cfg = load_small();
    size_t n = cs_result_metric_count(cfg);
    cs_stat *metrics = calloc(n, sizeof *metrics);
    cs_prop_summary props[2];
    CU_ASSERT_PTR_NOT_NULL_FATAL(metrics);
    cs_run_summary s = hand_summary(cfg, metrics, props);
    s.seed = UINT64_MAX;
    scratch_new();
    char path[128];
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_report_write_summary(cfg, &s, at("summary.json", path, sizeof path), &d), CS_OK);
    char *text = slurp(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  \"seed\": 18446744073709551615,\n"));
    free(text);
    remove(path);
    rmdir(scratch);
    free(metrics);
    cs_config_free(cfg);
}

static void test_summary_under_a_regular_file_is_an_io_error(void)
{
    cs_config *cfg = load_small();
    size_t n = cs_result_metric_count(cfg);
    cs_stat *metrics = calloc(n, sizeof *metrics);
    cs_prop_summary props[2];
    CU_ASSERT_PTR_NOT_NULL_FATAL(metrics);
    cs_run_summary s = hand_summary(cfg, metrics, props);

    scratch_new();
    char file[128], path[192];
    FILE *f = fopen(at("plain", file, sizeof file), "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("keep me", f);
    fclose(f);

    const char *const under[] = {"%s/summary.json", "%s/a/b/summary.json"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, under[i], file);
        cs_diag d = {0};
        CU_ASSERT_EQUAL(cs_report_write_summary(cfg, &s, path, &d), CS_EIO);
        CU_ASSERT_STRING_EQUAL(d.file, path);
        CU_ASSERT_TRUE(d.msg[0] != '\0');
        CU_ASSERT_EQUAL(entries(scratch), 1);   /* no temporary file, no directory */
    }
    char *text = slurp(file);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_STRING_EQUAL(text, "keep me");
    free(text);

    /* A directory where the file should go: the rename fails and the temporary file goes. */
    char dir[128];
    CU_ASSERT_EQUAL_FATAL(mkdir(at("taken", dir, sizeof dir), 0777), 0);
    char inner[160];
    snprintf(inner, sizeof inner, "%s/x", dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(inner, 0777), 0);
    cs_diag d = {0};
    CU_ASSERT_EQUAL(cs_report_write_summary(cfg, &s, dir, &d), CS_EIO);
    CU_ASSERT_TRUE(d.msg[0] != '\0');
    CU_ASSERT_EQUAL(entries(scratch), 2);
    CU_ASSERT_EQUAL(entries(dir), 1);

    rmdir(inner);
    rmdir(dir);
    remove(file);
    rmdir(scratch);
    free(metrics);
    cs_config_free(cfg);
}

static void test_terminal_summary_names_everything(void)
{
    cs_config *cfg = load_small();
    size_t n = cs_result_metric_count(cfg);
    cs_stat *metrics = calloc(n, sizeof *metrics);
    cs_prop_summary props[2];
    CU_ASSERT_PTR_NOT_NULL_FATAL(metrics);
    cs_run_summary s = hand_summary(cfg, metrics, props);
    props[1].passed = false;
    s.passed = false;

    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    cs_report_print(f, cfg, &s, "results/small/summary.json");
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "small (small.yaml): 4 replications of 1h30m, seed 42\n"));
    char name[128];
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, cs_result_metric_name(cfg, n - 1, name, sizeof name)));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "PASS web-ready: held in 3/4 replications (p = 0.75, 95% CI [0.3, 0.95]); "
                                       "threshold 0.5; mean violation 12.5 s"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "FAIL fits: held in 4/4 replications"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "summary: results/small/summary.json\n"));
    free(buf);
    free(metrics);
    cs_config_free(cfg);
}

/* ---- scenario.yaml ------------------------------------------------------------------------ */

/* Writes `yaml` to a file, loads it, writes its settled copy (scenario.yaml) and loads that:
 * *in and *out are the two configs, *copy the copy's text. */
static void settle_round_trip(const char *yaml, cs_config **in, cs_config **out, char **copy)
{
    char src[128], dst[128], buf[1024];
    scratch_new();
    FILE *f = fopen(at("input.yaml", src, sizeof src), "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(yaml, f);
    fclose(f);
    cs_diag d = {0};
    cs_status st = cs_scenario_load_file(src, in, &d);
    if (st != CS_OK)
        fprintf(stderr, "\n%s", cs_diag_format(&d, buf, sizeof buf));
    CU_ASSERT_EQUAL_FATAL(st, CS_OK);
    cs_run_summary s = {.reps = 3, .seed = 7};
    CU_ASSERT_EQUAL_FATAL(cs_report_write_scenario(*in, &s, at("scenario.yaml", dst, sizeof dst), &d), CS_OK);
    st = cs_scenario_load_file(dst, out, &d);
    if (st != CS_OK)
        fprintf(stderr, "\n%s", cs_diag_format(&d, buf, sizeof buf));
    CU_ASSERT_EQUAL_FATAL(st, CS_OK);
    *copy = slurp(dst);
    CU_ASSERT_PTR_NOT_NULL_FATAL(*copy);
    remove(src);
    remove(dst);
    rmdir(scratch);
}

static void assert_same_profile(const cs_sched_profile *a, const cs_sched_profile *b)
{
    CU_ASSERT_EQUAL(a->percentage_of_nodes_to_score, b->percentage_of_nodes_to_score);
    for (int k = 0; k < CS_SCORE_PLUGINS; k++)
        CU_ASSERT_EQUAL(a->weight[k], b->weight[k]);
    CU_ASSERT_EQUAL(a->strategy, b->strategy);
    CU_ASSERT_EQUAL_FATAL(a->n_resources, b->n_resources);
    for (uint32_t i = 0; i < a->n_resources; i++) {
        CU_ASSERT_EQUAL(a->resources[i].name, b->resources[i].name);
        CU_ASSERT_EQUAL(a->resources[i].weight, b->resources[i].weight);
        CU_ASSERT_EQUAL(a->resources[i].ext, b->resources[i].ext);
    }
    CU_ASSERT_EQUAL_FATAL(a->n_shape, b->n_shape);
    for (uint32_t i = 0; i < a->n_shape; i++) {
        CU_ASSERT_EQUAL(a->shape[i].utilization, b->shape[i].utilization);
        CU_ASSERT_EQUAL(a->shape[i].score, b->shape[i].score);
    }
    CU_ASSERT_EQUAL(a->pod_initial_backoff, b->pod_initial_backoff);
    CU_ASSERT_EQUAL(a->pod_max_backoff, b->pod_max_backoff);
}

/* The copy writes the profile and the Deployments' specs out whole, and they load back as the
 * same config: a profile far from the default (RequestedToCapacityRatio with a shape and an
 * extended resource, plugins disabled, a weight changed), and Deployments with none, some and
 * all of the strategy given. */
static void test_scenario_copy_writes_the_profile_and_strategies(void)
{
    const char *yaml = "apiVersion: clustersim.io/v1alpha1\n"
                       "kind: Scenario\n"
                       "metadata: {name: settled}\n"
                       "spec:\n"
                       "  duration: 1h\n"
                       "  cluster:\n"
                       "    nodePools:\n"
                       "      - {name: gpu, count: 2, allocatable: {cpu: '16', memory: 64Gi, nvidia.com/gpu: '4'}}\n"
                       "  scheduler:\n"
                       "    percentageOfNodesToScore: 50\n"
                       "    podInitialBackoffSeconds: 2\n"
                       "    plugins:\n"
                       "      score:\n"
                       "        disabled: [{name: NodeResourcesBalancedAllocation}, {name: TaintToleration}]\n"
                       "        enabled: [{name: NodeResourcesFit, weight: 7}]\n"
                       "    pluginConfig:\n"
                       "      NodeResourcesFit:\n"
                       "        scoringStrategy:\n"
                       "          type: RequestedToCapacityRatio\n"
                       "          resources: [{name: memory, weight: 3}, {name: nvidia.com/gpu, weight: 5}]\n"
                       "          requestedToCapacityRatio:\n"
                       "            shape: [{utilization: 0, score: 10}, {utilization: 60, score: 2}]\n"
                       "  workloads:\n"
                       "    - {name: web, replicas: 4, resources: {requests: {cpu: '1', memory: 1Gi}}}\n"
                       "    - {name: batch, replicas: 2, resources: {requests: {cpu: '1', memory: 1Gi}},\n"
                       "       strategy: {type: Recreate}, minReadySeconds: 10}\n"
                       "    - {name: train, replicas: 2, resources: {requests: {cpu: '1', nvidia.com/gpu: '1'}},\n"
                       "       strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}, revisionHistoryLimit: 2}\n";
    cs_config *in = NULL, *out = NULL;
    char *copy = NULL;
    settle_round_trip(yaml, &in, &out, &copy);
    CU_ASSERT_PTR_NOT_NULL_FATAL(in->sched);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out->sched);
    assert_same_profile(in->sched, out->sched);
    /* Written out whole: the defaults the input left to the loader are in the copy. */
    CU_ASSERT_PTR_NOT_NULL(strstr(copy, "podMaxBackoffSeconds: 10\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(copy, "{name: PodTopologySpread, weight: 2}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(copy, "{name: NodeResourcesFit, weight: 7}"));
    CU_ASSERT_PTR_NULL(strstr(copy, "TaintToleration"));
    CU_ASSERT_EQUAL_FATAL(out->n_workloads, 3);
    for (uint32_t i = 0; i < 3; i++) {
        const cs_deploy_spec *a = &in->workloads[i].deploy, *b = &out->workloads[i].deploy;
        CU_ASSERT_EQUAL(a->strategy, b->strategy);
        CU_ASSERT_EQUAL(a->max_surge.value, b->max_surge.value);
        CU_ASSERT_EQUAL(a->max_surge.percent, b->max_surge.percent);
        CU_ASSERT_EQUAL(a->max_unavailable.value, b->max_unavailable.value);
        CU_ASSERT_EQUAL(a->max_unavailable.percent, b->max_unavailable.percent);
        CU_ASSERT_EQUAL(a->min_ready_s, b->min_ready_s);
        CU_ASSERT_EQUAL(a->progress_deadline_s, b->progress_deadline_s);
        CU_ASSERT_EQUAL(a->revision_history_limit, b->revision_history_limit);
    }
    /* web's apps/v1 defaults (SetDefaults_Deployment), written where the input had nothing. */
    CU_ASSERT_PTR_NOT_NULL(strstr(copy, "maxSurge: 25%"));
    CU_ASSERT_PTR_NOT_NULL(strstr(copy, "progressDeadlineSeconds: 600"));
    CU_ASSERT_PTR_NOT_NULL(strstr(copy, "revisionHistoryLimit: 2"));
    CU_ASSERT_EQUAL(out->workloads[1].deploy.strategy, CS_DEPLOY_RECREATE);
    free(copy);
    cs_config_free(in);
    cs_config_free(out);
}

/* Without spec.scheduler the copy carries kube-scheduler's default profile, explicitly. */
static void test_scenario_copy_writes_the_default_profile(void)
{
    cs_config *in = NULL, *out = NULL;
    char *copy = NULL;
    settle_round_trip(small_yaml, &in, &out, &copy);
    CU_ASSERT_PTR_NULL(in->sched);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out->sched);
    assert_same_profile(cs_sched_profile_default(), out->sched);
    CU_ASSERT_PTR_NOT_NULL(strstr(copy, "type: LeastAllocated"));
    CU_ASSERT_PTR_NOT_NULL(strstr(copy, "{name: TaintToleration, weight: 3}"));
    free(copy);
    cs_config_free(in);
    cs_config_free(out);
}

static CU_TestInfo tests[] = {
    {"times are exact decimal seconds", test_times_are_exact_decimal_seconds},
    {"durations read like scenarios", test_durations_read_like_scenarios},
    {"trace escapes strings and writes exact numbers", test_trace_escapes_strings_and_writes_exact_numbers},
    {"discarded trace leaves nothing", test_discarded_trace_leaves_nothing},
    {"trace under a regular file is an I/O error", test_trace_under_a_regular_file_is_an_io_error},
    {"summary is complete in a new nested directory", test_summary_is_complete_in_a_new_nested_directory},
    {"summary names each property as written", test_summary_names_each_property_as_written},
    {"summary seed keeps all 64 bits", test_summary_seed_keeps_all_64_bits},
    {"summary under a regular file is an I/O error", test_summary_under_a_regular_file_is_an_io_error},
    {"terminal summary names everything", test_terminal_summary_names_everything},
    {"scenario copy writes the profile and strategies", test_scenario_copy_writes_the_profile_and_strategies},
    {"scenario copy writes the default profile", test_scenario_copy_writes_the_default_profile},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_report_suite = {.pName = "report", .pTests = tests};
