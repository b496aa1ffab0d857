/* test_latency.c -- scheduling latency and time to ready, worked out by hand from the node
 * lifecycle (50 s node-monitor-grace-period, 300 s DefaultTolerationSeconds) and the
 * scheduler's queue (an unschedulable pod retries when a node becomes Ready). */
#include <CUnit/CUnit.h>
#include <stdio.h>

#include "../models/model.h"
#include "test_util.h"

static const char *lifecycle =
    "apiVersion: clustersim.io/v1alpha1\n"
    "kind: Scenario\n"
    "metadata: {name: latency}\n"
    "spec:\n"
    "  duration: 4h\n"
    "  cluster:\n"
    "    nodePools:\n"
    "      - {name: n, count: 2, allocatable: {cpu: '%s', memory: 8Gi}}\n"
    "  workloads:\n"
    "    - {name: w, replicas: 2, startupTime: 10s, resources: {requests: {cpu: '1'}}}\n"
    "  timeline:\n"
    "    - {at: 1h, action: nodeFailure, node: n-0, duration: %s}\n";

static cs_rep_result run(const char *cpu, const char *repair)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml, lifecycle, cpu, repair);
    cs_config *cfg = load(yaml);
    cs_rep_result res;
    CU_ASSERT_EQUAL_FATAL(cs_result_init(&res, cfg), CS_OK);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    CU_ASSERT_EQUAL(cs_world_result(w, &res), CS_OK);
    CU_ASSERT_EQUAL(res.n_latency, 2);
    cs_world_free(w);
    cs_config_free(cfg);
    return res;
}

/* The two pods of t = 0 are the settled start and count nothing. The pod on n-0 is evicted
 * at 1h + 350 s; its replacement fits on n-1 (4 CPU) at once: scheduling latency 0, Ready
 * 10 s later. */
static void test_a_replacement_that_fits_at_once(void)
{
    cs_rep_result r = run("4", "2h");
    const cs_hist_packed *sched = &r.latency[0], *ready = &r.latency[1];
    CU_ASSERT_EQUAL(sched->n, 1);
    CU_ASSERT_EQUAL(sched->max, 0);
    CU_ASSERT_EQUAL(ready->n, 1);
    CU_ASSERT_EQUAL(ready->min, 10 * CS_SECOND);
    CU_ASSERT_EQUAL(ready->sum_lo, 10 * CS_SECOND);
    cs_result_fini(&r);
}

/* With 1 CPU per node the replacement waits until n-0 is back at 3h: scheduling latency
 * 3h - (1h + 350 s) = 6850 s, time to ready 6860 s. */
static void test_a_replacement_that_waits_for_the_repair(void)
{
    cs_rep_result r = run("1", "2h");
    CU_ASSERT_EQUAL(r.latency[0].n, 1);
    CU_ASSERT_EQUAL(r.latency[0].min, 6850 * CS_SECOND);
    CU_ASSERT_EQUAL(r.latency[1].n, 1);
    CU_ASSERT_EQUAL(r.latency[1].min, 6860 * CS_SECOND);
    cs_result_fini(&r);
}

/* Repaired after 100 s, before the eviction: the same pod restarts and is Ready again, which
 * is not a first Ready, and no pod was created: nothing is counted. */
static void test_a_restarted_pod_is_not_counted_again(void)
{
    cs_rep_result r = run("4", "100s");
    CU_ASSERT_EQUAL(r.latency[0].n, 0);
    CU_ASSERT_EQUAL(r.latency[1].n, 0);
    CU_ASSERT_EQUAL(r.latency[1].n_buckets, 0);
    cs_result_fini(&r);
}

static CU_TestInfo tests[] = {
    {"a replacement that fits at once", test_a_replacement_that_fits_at_once},
    {"a replacement that waits for the repair", test_a_replacement_that_waits_for_the_repair},
    {"a restarted pod is not counted again", test_a_restarted_pod_is_not_counted_again},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_latency_suite = {.pName = "latency", .pTests = tests};
