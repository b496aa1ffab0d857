/* test_world.c -- the models end to end: exact outcomes of the scheduling and lifecycle rules,
 * the failure process against its analytic availability, and worlds that fail to allocate. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../models/model.h"
#include "clustersim/scenario.h"
#include "test_util.h"
#include "clustersim/stats.h"

static const char *two_nodes =
    "apiVersion: clustersim.io/v1alpha1\n"
    "kind: Scenario\n"
    "metadata: {name: two}\n"
    "spec:\n"
    "  duration: 1h\n"
    "  cluster:\n"
    "    nodePools:\n"
    "      - {name: small, count: 1, allocatable: {cpu: '4', memory: 8Gi}}\n"
    "      - {name: big, count: 1, allocatable: {cpu: '8', memory: 8Gi}}\n"
    "  workloads:\n"
    "    - {name: w, replicas: 3, resources: {requests: {cpu: '1', memory: 1Gi}}}\n";

/* LeastAllocated by hand: on small (4 CPU) the first pod scores ((4000-1000)*100/4000 = 75 +
 * (8-1)*100/8 = 87) / 2 = 81; on big ((8000-1000)*100/8000 = 87 + 87) / 2 = 87: big. Second
 * pod: small still 81, big (75 + 75) / 2 = 75: small. Third: small (50 + 75) / 2 = 62, big 75:
 * big. So big holds 2 pods (2 CPU, 2Gi) and small 1. */
static void test_least_allocated_places_pods_as_upstream_scores(void)
{
    cs_config *cfg = load(two_nodes);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(w->nodes[0].requested.cpu_milli, 1000);
    CU_ASSERT_EQUAL(w->nodes[1].requested.cpu_milli, 2000);
    CU_ASSERT_EQUAL(w->nodes[1].requested.pods, 2);
    CU_ASSERT_EQUAL(w->workloads[0].count[CS_POD_READY], 3);
    cs_world_free(w);
    cs_config_free(cfg);
}

/* Pods of 3 CPU on two 4-CPU nodes: one fits per node, so the third stays Pending for the
 * whole run and the availability of 3 is violated from t = 0 to the end. */
static void test_a_pod_that_fits_nowhere_stays_pending(void)
{
    cs_config *cfg = load("apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: full}\n"
                          "spec:\n  duration: 10m\n  cluster:\n    nodePools:\n"
                          "      - {name: n, count: 2, allocatable: {cpu: '4', memory: 8Gi}}\n"
                          "  workloads:\n    - {name: w, replicas: 3, resources: {requests: {cpu: '3'}}}\n"
                          "  properties:\n    - {name: all, type: availability, workload: w, minReady: 3}\n"
                          "    - {name: fit, type: noOvercommit}\n");
    cs_rep_result r = run_one(cfg, 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "pods.pending_mean")], 1.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "workload.w.ready_mean")], 2.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "workload.w.full_fraction")], 0.0, 1e-12);
    CU_ASSERT_FALSE(r.props[0].held);
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].violation_s, 600.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].first_violation_s, 0.0, 1e-12);
    CU_ASSERT_TRUE(r.props[1].held);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

static const char *one_failure =
    "apiVersion: clustersim.io/v1alpha1\n"
    "kind: Scenario\n"
    "metadata: {name: lifecycle}\n"
    "spec:\n"
    "  duration: 2h\n"
    "  cluster:\n"
    "    nodePools:\n"
    "      - {name: n, count: 2, allocatable: {cpu: '4', memory: 8Gi}}\n"
    "  workloads:\n"
    "    - {name: w, replicas: 2, startupTime: 10s, resources: {requests: {cpu: '1'}}}\n"
    "  timeline:\n"
    "    - {at: 1h, action: nodeFailure, node: n-0%s}\n"
    "  properties:\n"
    "    - {name: both, type: availability, workload: w, minReady: 2}\n";

/* The pod on n-0 stops at 1h. 50 s later the node is NotReady, 300 s after that the pod is
 * evicted and its replacement lands on n-1 at once and is Ready 10 s later: 360 s short. */
static void test_a_lost_node_costs_grace_plus_toleration_plus_startup(void)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml, one_failure, "");
    cs_config *cfg = load(yaml);
    cs_rep_result r = run_one(cfg, 1, 0);
    CU_ASSERT_FALSE(r.props[0].held);
    CU_ASSERT_EQUAL(r.props[0].violations, 1);
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].first_violation_s, 3600.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].violation_s, 50.0 + 300.0 + 10.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "pods.created")], 3.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "nodes.failures")], 1.0, 0);
    /* n-0 stays down from 1h to 2h: a mean of 1.5 nodes up. */
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "nodes.up_mean")], 1.5, 1e-12);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* Repaired after 100 s, before the eviction: the same pod restarts, Ready 10 s later. */
static void test_a_node_back_before_eviction_keeps_its_pods(void)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml, one_failure, ", duration: 100s");
    cs_config *cfg = load(yaml);
    cs_rep_result r = run_one(cfg, 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].violation_s, 110.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "pods.created")], 2.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "workload.w.ready_min")], 1.0, 0);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* Scale 4 -> 1 at 30m deletes the newest pods first; scale back to 3 at 40m creates two that
 * are Ready 10 s later. Time-weighted ready: (1800*4 + 600*1 + 10*1 + 1190*3) / 3600. */
static void test_scaling_creates_and_deletes_pods(void)
{
    cs_config *cfg = load("apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: scale}\n"
                          "spec:\n  duration: 1h\n  cluster:\n    nodePools:\n"
                          "      - {name: n, count: 2, allocatable: {cpu: '4', memory: 8Gi}}\n"
                          "  workloads:\n    - {name: w, replicas: 4, startupTime: 10s}\n"
                          "  timeline:\n    - {at: 30m, action: scale, workload: w, replicas: 1}\n"
                          "    - {at: 40m, action: scale, workload: w, replicas: 3}\n");
    cs_rep_result r = run_one(cfg, 1, 0);
    double expect = (1800.0 * 4 + 600.0 * 1 + 10.0 * 1 + 1190.0 * 3) / 3600.0;
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "workload.w.ready_mean")], expect, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "pods.created")], 6.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "workload.w.ready_min")], 1.0, 0);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* A zone outage takes every node of the zone down for its duration, and only those. */
static void test_zone_outage_downs_exactly_the_zone(void)
{
    cs_config *cfg = load("apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: zone}\n"
                          "spec:\n  duration: 4h\n  cluster:\n    nodePools:\n"
                          "      - {name: n, count: 6, zones: [a, b, c], allocatable: {cpu: '4', memory: 8Gi}}\n"
                          "  timeline:\n    - {at: 1h, action: zoneOutage, zone: b, duration: 2h}\n");
    cs_rep_result r = run_one(cfg, 1, 0);
    /* 2 of 6 nodes down for half the run: mean 5 up. */
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "nodes.up_mean")], 5.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "nodes.failures")], 2.0, 0);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* Alternating renewal process: a node is up a fraction MTTF / (MTTF + MTTR) of the time in the
 * long run. With exponential times (MTTF 9h, MTTR 1h) and 20 nodes, the mean number up is 18.
 * The 99% interval over 40 replications of 2000 h must contain it. */
static void test_failure_process_matches_its_analytic_availability(void)
{
    cs_config *cfg = load("apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: avail}\n"
                          "spec:\n  duration: 2000h\n  cluster:\n    nodePools:\n"
                          "      - name: n\n        count: 20\n        allocatable: {cpu: '4', memory: 8Gi}\n"
                          "        failures:\n          timeToFailure: {exponential: {mean: 9h}}\n"
                          "          timeToRepair: {exponential: {mean: 1h}}\n");
    enum { REPS = 40 };
    double up[REPS];
    for (uint32_t r = 0; r < REPS; r++) {
        cs_rep_result res = run_one(cfg, 7, r);
        up[r] = res.metrics[metric(cfg, "nodes.up_mean")];
        cs_result_fini(&res);
    }
    cs_stat s;
    cs_stat_summarise(up, REPS, 0.99, &s);
    if (!(s.ci_lo <= 18.0 && 18.0 <= s.ci_hi))
        fprintf(stderr, "\nnodes up: mean %.4f, 99%% CI [%.4f, %.4f] (seed 7)\n", s.mean, s.ci_lo, s.ci_hi);
    CU_ASSERT(s.ci_lo <= 18.0 && 18.0 <= s.ci_hi);
    CU_ASSERT(s.ci_hi - s.ci_lo < 0.2);   /* and the interval is tight enough to mean something */
    cs_config_free(cfg);
}

/* Same seed and replication: the same numbers; another replication: other failures. */
static void test_replications_are_reproducible_and_distinct(void)
{
    cs_config *cfg = load("apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: rep}\n"
                          "spec:\n  duration: 500h\n  cluster:\n    nodePools:\n"
                          "      - name: n\n        count: 5\n        allocatable: {cpu: '4', memory: 8Gi}\n"
                          "        failures:\n          timeToFailure: {exponential: {mean: 50h}}\n"
                          "          timeToRepair: {lognormal: {median: 1h, p99: 8h}}\n"
                          "  workloads:\n    - {name: w, replicas: 4, startupTime: {exponential: {mean: 20s}}}\n");
    cs_rep_result a = run_one(cfg, 3, 5), b = run_one(cfg, 3, 5), c = run_one(cfg, 3, 6);
    size_t n = cs_result_metric_count(cfg);
    CU_ASSERT_EQUAL(memcmp(a.metrics, b.metrics, n * sizeof(double)), 0);
    CU_ASSERT_EQUAL(a.events, b.events);
    CU_ASSERT_NOT_EQUAL(memcmp(a.metrics, c.metrics, n * sizeof(double)), 0);
    cs_result_fini(&a);
    cs_result_fini(&b);
    cs_result_fini(&c);
    cs_config_free(cfg);
}

/* Every allocation a world makes can fail: each must give NULL or CS_ENOMEM, never a crash,
 * and (under ASan) never a leak. */
static void test_world_creation_survives_every_allocation_failure(void)
{
    cs_config *cfg = load(two_nodes);
    long n = 1;
    for (; n < 400; n++) {
        cs_alloc_fail_after(n);
        cs_world *w = cs_world_new(cfg, 1, 0, NULL);
        bool injected = w == NULL;
        if (w != NULL) {
            cs_status st = cs_world_run(w);
            injected = st == CS_ENOMEM;
            cs_world_free(w);
        }
        cs_alloc_fail_after(0);
        if (!injected)
            break;   /* n is past the last allocation: all failure points were covered */
        CU_ASSERT_TRUE(n < 399);
    }
    /* At least the arena, its first chunk, the kernel, its handlers, slots and heap were each
     * made to fail (six allocations; the models then live in the arena's first chunk). */
    CU_ASSERT(n > 6);
    cs_config_free(cfg);
}


/* TaintToleration by hand. `soft` (8 CPU, PreferNoSchedule) would win on LeastAllocated
 * (87 against 81 for the first 1-CPU pod), but its taint score, normalised and reversed, is 0
 * against 100 for `plain`, at weight 3: plain 81 + 300 = 381 against soft 87. Plain takes pods
 * until it is full (4 CPU), the fifth goes to soft, and `hard` (NoSchedule) gets none. */
static void test_taints_repel_and_prefer_no_schedule_scores_last(void)
{
    cs_config *cfg = load("apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: taints}\n"
                          "spec:\n  duration: 1m\n  cluster:\n    nodePools:\n"
                          "      - {name: plain, count: 1, allocatable: {cpu: '4', memory: 8Gi}}\n"
                          "      - name: soft\n        count: 1\n        allocatable: {cpu: '8', memory: 8Gi}\n"
                          "        taints: [{key: spot, value: 'true', effect: PreferNoSchedule}]\n"
                          "      - name: hard\n        count: 1\n        allocatable: {cpu: '64', memory: 64Gi}\n"
                          "        taints: [{key: gpu, effect: NoSchedule}]\n"
                          "  workloads:\n    - {name: w, replicas: 5, resources: {requests: {cpu: '1', memory: 1Gi}}}\n");
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(w->nodes[0].requested.pods, 4);
    CU_ASSERT_EQUAL(w->nodes[1].requested.pods, 1);
    CU_ASSERT_EQUAL(w->nodes[2].requested.pods, 0);
    cs_world_free(w);
    cs_config_free(cfg);
}

/* Delays as long as a scenario may give them (up to 2562047h47m16.854775807s, the last
 * nanosecond an int64 holds) land past the end of time without wrapping: a failure a day
 * before the end of a 292-year run that lasts longer than the run, a drain that may wait as
 * long, a grace period and a repair time that long. Each runs to its end; the node that failed
 * stays down, so its pods never come back. */
static void test_delays_up_to_the_end_of_time_do_not_wrap(void)
{
    static const char *head = "apiVersion: clustersim.io/v1alpha1\n"
                              "kind: Scenario\n"
                              "metadata: {name: long}\n"
                              "spec:\n"
                              "  duration: 2562047h\n"
                              "  cluster:\n"
                              "%s"
                              "    nodePools: [{name: p, count: 3, allocatable: {cpu: '4', memory: 8Gi}%s}]\n"
                              "  workloads:\n"
                              "    - {name: web, replicas: 2, resources: {requests: {cpu: '1', memory: 1Gi}}}\n"
                              "%s";
    static const char *const cases[][3] = {
        {"", "", "  timeline: [{at: 2562023h, action: nodeFailure, node: p-0, duration: 2562047h}]\n"},
        {"", "", "  timeline: [{at: 2562023h, action: drain, node: p-0, timeout: 2562047h}]\n"},
        {"    nodeMonitorGracePeriod: 2562047h\n", "", "  timeline: [{at: 2562023h, action: nodeFailure, node: p-0}]\n"},
        {"", ", failures: {timeToFailure: 2562023h, timeToRepair: 2562047h47m16.854775807s}", ""},
    };
    const double failures[] = {1, 0, 1, 3};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml, head, cases[i][0], cases[i][1], cases[i][2]);
        cs_config *cfg = load(yaml);
        cs_rep_result r = run_one(cfg, 1, 0);
        CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "nodes.failures")], failures[i], 0);
        cs_result_fini(&r);
        cs_config_free(cfg);
    }
}

static CU_TestInfo tests[] = {
    {"delays up to the end of time do not wrap", test_delays_up_to_the_end_of_time_do_not_wrap},
    {"LeastAllocated places pods as upstream scores", test_least_allocated_places_pods_as_upstream_scores},
    {"taints repel, and PreferNoSchedule scores last", test_taints_repel_and_prefer_no_schedule_scores_last},
    {"a pod that fits nowhere stays pending", test_a_pod_that_fits_nowhere_stays_pending},
    {"a lost node costs grace + toleration + startup", test_a_lost_node_costs_grace_plus_toleration_plus_startup},
    {"a node back before eviction keeps its pods", test_a_node_back_before_eviction_keeps_its_pods},
    {"scaling creates and deletes pods", test_scaling_creates_and_deletes_pods},
    {"a zone outage downs exactly the zone", test_zone_outage_downs_exactly_the_zone},
    {"failure process matches its analytic availability", test_failure_process_matches_its_analytic_availability},
    {"replications are reproducible and distinct", test_replications_are_reproducible_and_distinct},
    {"world creation survives every allocation failure", test_world_creation_survives_every_allocation_failure},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_world_suite = {.pName = "world", .pTests = tests};
