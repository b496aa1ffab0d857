/* test_sched_extended.c -- NodeName and extended resources (nvidia.com/gpu), from scenarios and
 * from manifests: NodeResourcesFit's "Insufficient <name>", its score over scalar resources, and
 * the NodeName filter, against outcomes worked out by hand from upstream's rules. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "../models/sched.h"
#include "test_util.h"

#define GiB ((int64_t)1 << 30)
#define HEAD "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: x}\nspec:\n  duration: 1h\n"

static const char *gpus =
    HEAD "  cluster:\n    nodePools:\n"
         "      - {name: cpu, count: 2, allocatable: {cpu: '8', memory: 16Gi}}\n"
         "      - {name: gpu, count: 1, allocatable: {cpu: '8', memory: 16Gi, nvidia.com/gpu: 2, example.com/fpga: 1}}\n"
         "  workloads:\n"
         "    - {name: train, replicas: 3, resources: {requests: {cpu: '1', nvidia.com/gpu: 1}}}\n"
         "    - {name: pinned, replicas: 2, nodeName: cpu-1, resources: {requests: {cpu: '1'}}}\n";

static void test_extended_resources_fit_and_are_counted(void)
{
    cs_config *cfg = load(gpus);
    CU_ASSERT_EQUAL_FATAL(cfg->n_extended, 2);
    CU_ASSERT_STRING_EQUAL(cfg->extended[0], "nvidia.com/gpu");   /* ids in order of mention */
    CU_ASSERT_STRING_EQUAL(cfg->extended[1], "example.com/fpga");
    CU_ASSERT_EQUAL(cfg->pools[1].allocatable.ext[0], 2);
    CU_ASSERT_EQUAL(cfg->workloads[0].requests.ext[0], 1);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    /* Two GPUs: two train pods on gpu-0, the third fits nowhere (the cpu nodes have none). */
    CU_ASSERT_EQUAL(w->nodes[2].requested.ext[0], 2);
    CU_ASSERT_EQUAL(w->workloads[0].count[CS_POD_PENDING], 1);
    char buf[64];
    CU_ASSERT_STRING_EQUAL(cs_sched_filter_fit_extended(cfg, &w->nodes[0], &cfg->workloads[0].requests, buf, sizeof buf),
                           "Insufficient nvidia.com/gpu");
    CU_ASSERT_STRING_EQUAL(cs_sched_filter_fit_extended(cfg, &w->nodes[2], &cfg->workloads[0].requests, buf, sizeof buf),
                           "Insufficient nvidia.com/gpu");
    /* A pod that requests none fits anywhere. */
    CU_ASSERT_PTR_NULL(cs_sched_filter_fit_extended(cfg, &w->nodes[0], &cfg->workloads[1].requests, buf, sizeof buf));
    /* NodeName: both pinned pods on cpu-1, whatever the scores say. */
    CU_ASSERT_EQUAL(w->nodes[1].requested.pods, 2);
    CU_ASSERT_EQUAL(w->nodes[0].requested.pods, 0);
    CU_ASSERT_PTR_NULL(cs_sched_filter_node_name(w, 1, &cfg->workloads[1]));
    CU_ASSERT_STRING_EQUAL(cs_sched_filter_node_name(w, 0, &cfg->workloads[1]),
                           "node(s) didn't match the requested node name");
    CU_ASSERT_PTR_NULL(cs_sched_filter_node_name(w, 0, &cfg->workloads[0]));   /* no nodeName */
    cs_world_free(w);
    cs_config_free(cfg);
}

static void test_scoring_strategy_scores_extended_resources(void)
{
    cs_config *cfg = load(HEAD "  scheduler:\n    pluginConfig:\n      NodeResourcesFit:\n        scoringStrategy:\n"
                               "          resources: [{name: cpu, weight: 1}, {name: memory, weight: 1},\n"
                               "                      {name: nvidia.com/gpu, weight: 3}]\n"
                               "  cluster:\n    nodePools: [{name: n, count: 1, allocatable: {cpu: '4', memory: 8Gi}}]\n");
    const cs_sched_profile *p = cfg->sched;
    CU_ASSERT_EQUAL_FATAL(p->n_resources, 3);
    CU_ASSERT(p->resources[2].name == CS_RESOURCE_EXTENDED && p->resources[2].ext == 0 && p->resources[2].weight == 3);
    cs_node n = {.alloc = {.cpu_milli = 4000, .mem_bytes = 8 * GiB, .pods = 110, .ext = {4}},
                 .requested = {.ext = {1}}};
    cs_resources pod = {.cpu_milli = 1000, .mem_bytes = 1 * GiB, .pods = 1, .ext = {1}};
    /* LeastAllocated: cpu (4000 - 1000) * 100 / 4000 = 75; memory (8 - 1) * 100 / 8 = 87; gpu
     * (4 - 2) * 100 / 4 = 50; (75 + 87 + 3 * 50) / 5 = 312 / 5 = 62. */
    CU_ASSERT_EQUAL(cs_sched_score_fit(p, &n, &pod), 62);
    /* A pod without GPUs leaves the GPU out with its weight: (75 + 87) / 2 = 81. */
    pod.ext[0] = 0;
    CU_ASSERT_EQUAL(cs_sched_score_fit(p, &n, &pod), 81);
    /* A node without GPUs leaves it out too. */
    pod.ext[0] = 1;
    n.alloc.ext[0] = 0;
    CU_ASSERT_EQUAL(cs_sched_score_fit(p, &n, &pod), 81);
    cs_config_free(cfg);
}

static void test_manifests_carry_extended_resources_and_node_name(void)
{
    static const char *yaml = "apiVersion: v1\nkind: Node\nmetadata: {name: gpunode}\n"
                              "status: {allocatable: {cpu: '8', memory: 16Gi, nvidia.com/gpu: '4', pods: '110'}}\n"
                              "---\n"
                              "apiVersion: v1\nkind: Pod\nmetadata: {name: job}\n"
                              "spec:\n  nodeName: gpunode\n  containers:\n"
                              "    - {name: a, image: x, resources: {limits: {nvidia.com/gpu: 1, cpu: '1'}}}\n"
                              "    - {name: b, image: x, resources: {requests: {nvidia.com/gpu: 2}, limits: {nvidia.com/gpu: 2}}}\n";
    cs_config *cfg = NULL;
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_buffer("m.yaml", yaml, strlen(yaml), &cfg, &d), CS_OK);
    CU_ASSERT_EQUAL_FATAL(cfg->n_extended, 1);
    CU_ASSERT_EQUAL(cfg->pools[0].allocatable.ext[0], 4);
    /* Requests default to limits; the containers add up: 1 + 2. */
    CU_ASSERT_EQUAL(cfg->workloads[0].requests.ext[0], 3);
    CU_ASSERT_STRING_EQUAL(cfg->workloads[0].node_name, "gpunode-0");   /* the Node's node */
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(w->nodes[0].requested.ext[0], 3);
    cs_world_free(w);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"extended resources fit and are counted; NodeName pins", test_extended_resources_fit_and_are_counted},
    {"scoringStrategy scores extended resources", test_scoring_strategy_scores_extended_resources},
    {"manifests carry extended resources and nodeName", test_manifests_carry_extended_resources_and_node_name},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_sched_extended_suite = {.pName = "sched_extended", .pTests = tests};
