/* test_node_tree.c -- the scheduler's node list (models/node_tree.c, after
 * pkg/scheduler/internal/cache/node_tree.go): zone by zone round robin, zones in the order of
 * their first node, a deleted Node leaving its zone (and an emptied zone the zone order), a
 * node that registers again appended to its zone. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "../models/model.h"
#include "test_util.h"

#define HEAD "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: tree}\nspec:\n  duration: 1h\n"

/* The list as "0 1 3", node ids. */
static void list_of(const cs_world *w, char *buf, size_t size)
{
    const uint32_t *list = cs_node_tree_list(w);
    buf[0] = '\0';
    for (uint32_t i = 0; i < cs_node_tree_len(w); i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%u", i > 0 ? " " : "", list[i]);
    }
}

/* Nodes a-0 (z1) a-1 (z2) a-2 (z1), b-0 b-1 (z3), c-0 (no zone: key ""), d-0 (region r1, zone z1:
 * a key of its own). Zone keys in order of first node: z1, z2, z3, "", r1/z1. Round robin:
 * index 0 of each, a-0 a-1 b-0 c-0 d-0 = 0 1 3 5 6; then index 1, a-2 b-1 = 2 4. */
static const char *zones =
    HEAD "  cluster:\n    nodePools:\n"
         "      - {name: a, count: 3, zones: [z1, z2], allocatable: {cpu: '4', memory: 8Gi}}\n"
         "      - {name: b, count: 2, zones: [z3], allocatable: {cpu: '4', memory: 8Gi}}\n"
         "      - {name: c, count: 1, allocatable: {cpu: '4', memory: 8Gi}}\n"
         "      - {name: d, count: 1, zones: [z1], labels: {topology.kubernetes.io/region: r1},\n"
         "         allocatable: {cpu: '4', memory: 8Gi}}\n";

static void test_zones_round_robin_and_node_churn(void)
{
    cs_config *cfg = load(zones);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    char buf[128];
    list_of(w, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "0 1 3 5 6 2 4");
    /* a-1 deleted: z2 is empty and leaves the zone order. */
    cs_node_tree_set(w, 1, false);
    list_of(w, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "0 3 5 6 2 4");
    /* a-1 registers again: z2 comes back last. */
    cs_node_tree_set(w, 1, true);
    list_of(w, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "0 3 5 6 1 2 4");
    /* a-0 deleted and back: z1 keeps its place, a-0 now follows a-2 in it. */
    cs_node_tree_set(w, 0, false);
    list_of(w, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "2 3 5 6 1 4");
    cs_node_tree_set(w, 0, true);
    list_of(w, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "2 3 5 6 1 0 4");
    cs_world_free(w);
    cs_config_free(cfg);
}

/* 200 nodes: pool a (4 CPU) all in z1, then pool b (8 CPU) all in z2. numFeasibleNodesToFind is
 * max(100, 200 * (50 - 200/125) / 100 = 98) = 100. Walking node ids, the first pod would see
 * only pool a; the tree alternates a-0 b-0 a-1 b-1 ..., so it sees 50 nodes of each, and the
 * 1-CPU pod goes to a b node: LeastAllocated (8-1)*100/8 = 87 against (4-1)*100/4 = 75, and
 * BalancedAllocation int64((1 - |0.125 - 0|/2) * 100) = 93 against 87. The next search starts
 * after the 100 examined (a-50, list index 100). */
static const char *two_zones =
    HEAD "  cluster:\n    nodePools:\n"
         "      - {name: a, count: 100, zones: [z1], allocatable: {cpu: '4', memory: 8Gi}}\n"
         "      - {name: b, count: 100, zones: [z2], allocatable: {cpu: '8', memory: 8Gi}}\n"
         "  workloads:\n    - {name: web, replicas: 1, resources: {requests: {cpu: '1'}}}\n";

static void test_a_partial_search_sees_every_zone(void)
{
    cs_config *cfg = load(two_zones);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(cs_node_tree_list(w)[0], 0);     /* a-0 */
    CU_ASSERT_EQUAL(cs_node_tree_list(w)[1], 100);   /* b-0 */
    CU_ASSERT_EQUAL(cs_node_tree_list(w)[199], 199);
    uint32_t node = cs_pod_at(w, 0)->node;
    CU_ASSERT_TRUE(node >= 100 && node < 150);       /* a b node among the 50 examined */
    cs_world_free(w);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"zones round robin, and node churn", test_zones_round_robin_and_node_churn},
    {"a partial search sees every zone", test_a_partial_search_sees_every_zone},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_node_tree_suite = {.pName = "node_tree", .pTests = tests};
