/* sched_test_util.h -- what the PodTopologySpread and InterPodAffinity tests share: a world
 * built from a scenario whose workloads start with no pod, and pods bound by hand, so that a
 * test sets the counts it then checks. Static inline, as in test_util.h. */
#ifndef CS_SCHED_TEST_UTIL_H
#define CS_SCHED_TEST_UTIL_H

#include "../models/sched_index.h"
#include "test_util.h"

/* Nodes a-0 (z1), a-1 (z2), a-2 (z1), a-3 (z2) and b-0 (no zone label), 8 CPU and 16Gi each;
 * the scenario's workloads follow (each with `replicas: 0`). */
#define SCHED_TEST_HEAD                                                                                     \
    "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n  duration: 1h\n"    \
    "  cluster:\n    nodePools:\n"                                                                          \
    "      - {name: a, count: 4, zones: [z1, z2], allocatable: {cpu: '8', memory: 16Gi}}\n"                 \
    "      - {name: b, count: 1, allocatable: {cpu: '8', memory: 16Gi}}\n"                                  \
    "  workloads:\n"

enum { NODE_A0, NODE_A1, NODE_A2, NODE_A3, NODE_B0, TEST_NODES };

static inline cs_world *sched_test_world(cs_config **cfg, const char *workloads)
{
    char yaml[4096];
    snprintf(yaml, sizeof yaml, "%s%s", SCHED_TEST_HEAD, workloads);
    *cfg = load(yaml);
    cs_world *w = cs_world_new(*cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    return w;
}

/* Binds `count` new pods of workload wl to node. */
static inline void place(cs_world *w, uint32_t wl, uint32_t node, int count)
{
    for (int i = 0; i < count; i++) {
        uint32_t pod = cs_pod_create(w, wl);
        CU_ASSERT_NOT_EQUAL_FATAL(pod, CS_NONE);
        cs_pod_bind(w, pod, node);
    }
}

static const uint32_t all_test_nodes[TEST_NODES] = {NODE_A0, NODE_A1, NODE_A2, NODE_A3, NODE_B0};

typedef const char *plan_filter(const cs_world *w, uint32_t node, const cs_pod_plan *p);

/* Checks a filter's answer for workload wl on every test node: want[n] is the reason, or NULL
 * for a pass. */
static inline void check_filter_of(plan_filter *filter, const cs_world *w, uint32_t wl,
                                   const char *const want[TEST_NODES])
{
    for (uint32_t n = 0; n < TEST_NODES; n++) {
        const char *got = filter(w, n, cs_pod_plan_of(w, wl));
        bool ok = want[n] == NULL ? got == NULL : got != NULL && strcmp(got, want[n]) == 0;
        if (!ok)
            fprintf(stderr, "\nworkload %u node %u: found '%s', expected '%s'", wl, n, got ? got : "(pass)",
                    want[n] ? want[n] : "(pass)");
        CU_ASSERT_TRUE(ok);
    }
}

#endif
