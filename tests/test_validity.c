/* test_validity.c -- the schedulingValidity property: every bound pod passes every enabled
 * filter on its node at bind time. It holds through a run that exercises the scheduler's every
 * path (DaemonSets, nodeName, extended resources, taints, preemption with nominations, node
 * failures and replacements), and a binding that breaks a filter is caught, once, with its
 * reason in the trace. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "../models/model.h"
#include "test_util.h"

static const char *busy =
    "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: v}\nspec:\n  duration: 6h\n"
    "  cluster:\n    nodePools:\n"
    "      - name: a\n        count: 4\n        zones: [z1, z2]\n        allocatable: {cpu: '4', memory: 8Gi}\n"
    "        failures: {timeToFailure: {exponential: {mean: 2h}}, timeToRepair: {exponential: {mean: 20m}}}\n"
    "      - {name: g, count: 2, allocatable: {cpu: '8', memory: 16Gi, nvidia.com/gpu: 2},\n"
    "         taints: [{key: gpu, effect: NoSchedule}]}\n"
    "  timeline:\n"
    "    - {at: 1h, action: scale, workload: urgent, replicas: 6}\n"
    "    - {at: 2h, action: scale, workload: train, replicas: 6}\n"
    "  workloads:\n"
    "    - {name: agent, kind: DaemonSet, resources: {requests: {cpu: 200m}}}\n"
    "    - {name: web, replicas: 10, priority: 10, resources: {requests: {cpu: '1', memory: 1Gi}}}\n"
    "    - {name: pinned, replicas: 2, nodeName: a-3, resources: {requests: {cpu: 500m}}}\n"
    "    - {name: urgent, replicas: 0, priority: 1000, resources: {requests: {cpu: '2', memory: 2Gi}}}\n"
    "    - {name: train, replicas: 1, tolerations: [{key: gpu, operator: Exists}],\n"
    "       resources: {requests: {cpu: '2', nvidia.com/gpu: 1}}}\n"
    "  properties:\n"
    "    - {name: valid, type: schedulingValidity}\n"
    "    - {name: fits, type: noOvercommit}\n";

static void test_every_binding_of_a_busy_run_is_valid(void)
{
    cs_config *cfg = load(busy);
    size_t preempted = metric(cfg, "pods.deleted.Preempted");
    for (uint32_t r = 0; r < 4; r++) {
        cs_rep_result res;
        CU_ASSERT_EQUAL_FATAL(cs_result_init(&res, cfg), CS_OK);
        cs_world *w = cs_world_new(cfg, 7, r, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(w);
        CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
        cs_world_result(w, &res);
        /* The run did preempt (urgent's 6 x 2 CPU do not fit beside web's 10 on the a nodes). */
        CU_ASSERT(res.metrics[preempted] > 0);
        if (!res.props[0].held)
            fprintf(stderr, "\nreplication %u: %u invalid bindings\n", r, (unsigned)res.props[0].violations);
        CU_ASSERT_TRUE(res.props[0].held);
        CU_ASSERT_TRUE(res.props[1].held);
        cs_world_free(w);
        cs_result_fini(&res);
    }
    cs_config_free(cfg);
}

static char invalid_reason[128];

static void record(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    (void)ctx;
    (void)t;
    if (strcmp(type, "pod.invalidBinding") != 0)
        return;
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].key, "reason") == 0)
            snprintf(invalid_reason, sizeof invalid_reason, "%s", f[i].s);
}

static void test_a_binding_that_breaks_a_filter_is_caught(void)
{
    /* Bound by hand, as a buggy scheduler would: a second 3-CPU pod onto a 4-CPU node. */
    cs_config *cfg = load("apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: v}\nspec:\n"
                          "  duration: 1h\n"
                          "  cluster:\n    nodePools: [{name: n, count: 1, allocatable: {cpu: '4', memory: 8Gi}}]\n"
                          "  workloads: [{name: w, replicas: 1, resources: {requests: {cpu: '3'}}}]\n"
                          "  properties: [{name: valid, type: schedulingValidity}]\n");
    cs_rep_result res;
    CU_ASSERT_EQUAL_FATAL(cs_result_init(&res, cfg), CS_OK);
    cs_trace_sink sink = {.fn = record};
    invalid_reason[0] = '\0';
    cs_world *w = cs_world_new(cfg, 1, 0, &sink);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    uint32_t pod = cs_pod_create(w, 0);
    cs_pod_bind(w, pod, 0);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    cs_world_result(w, &res);
    CU_ASSERT_FALSE(res.props[0].held);
    CU_ASSERT_EQUAL(res.props[0].violations, 1);
    CU_ASSERT_STRING_EQUAL(invalid_reason, "Insufficient cpu");
    cs_world_free(w);
    cs_result_fini(&res);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"every binding of a busy run is valid", test_every_binding_of_a_busy_run_is_valid},
    {"a binding that breaks a filter is caught", test_a_binding_that_breaks_a_filter_is_caught},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_validity_suite = {.pName = "validity", .pTests = tests};
