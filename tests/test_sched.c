/* test_sched.c -- the scheduler's plugins, one rule at a time, against scores worked out by
 * hand from the upstream formulas (the arithmetic is in the comments); the numFeasibleNodesToFind
 * table; the PrioritySort queue; and placements end to end under a scheduler profile. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "../models/sched.h"
#include "clustersim/scenario.h"
#include "test_util.h"

#define GiB ((int64_t)1 << 30)
#define MiB ((int64_t)1 << 20)

#define HEAD "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n  duration: 1h\n"

/* A node of 4 CPU and 8Gi with `cpu` millicores and `mem` bytes requested (the same non-zero). */
static cs_node node_with(int64_t cpu, int64_t mem)
{
    return (cs_node){.alloc = {.cpu_milli = 4000, .mem_bytes = 8 * GiB, .pods = 110},
                     .requested = {.cpu_milli = cpu, .mem_bytes = mem},
                     .nonzero_cpu = cpu,
                     .nonzero_mem = mem};
}

static void test_num_feasible_nodes_to_find_follows_the_table(void)
{
    /* Below 100 nodes: all. 100: 50 - 100/125 = 50%, 50 nodes, raised to 100. 1000: 50 - 8 =
     * 42%, 420. 5000: 50 - 40 = 10%, 500. 10000: 50 - 80 < 5, so 5%, 500. */
    CU_ASSERT_EQUAL(cs_sched_num_feasible(0, 0), 0);
    CU_ASSERT_EQUAL(cs_sched_num_feasible(50, 0), 50);
    CU_ASSERT_EQUAL(cs_sched_num_feasible(99, 0), 99);
    CU_ASSERT_EQUAL(cs_sched_num_feasible(100, 0), 100);
    CU_ASSERT_EQUAL(cs_sched_num_feasible(1000, 0), 420);
    CU_ASSERT_EQUAL(cs_sched_num_feasible(5000, 0), 500);
    CU_ASSERT_EQUAL(cs_sched_num_feasible(10000, 0), 500);
    /* percentageOfNodesToScore set: 50 nodes are still all; 1000 * 30% = 300; 200 * 30% = 60,
     * raised to 100; 5000 * 100% = 5000; 5000 * 1% = 50, raised to 100. */
    CU_ASSERT_EQUAL(cs_sched_num_feasible(50, 10), 50);
    CU_ASSERT_EQUAL(cs_sched_num_feasible(1000, 30), 300);
    CU_ASSERT_EQUAL(cs_sched_num_feasible(200, 30), 100);
    CU_ASSERT_EQUAL(cs_sched_num_feasible(5000, 100), 5000);
    CU_ASSERT_EQUAL(cs_sched_num_feasible(5000, 1), 100);
}

/* The scheduler's LeastAllocated-on-cpu-and-memory shortcut, with the pod's non-zero requests
 * as it passes them. */
static int64_t least_cpu_mem(const cs_sched_profile *p, const cs_node *n, const cs_resources *r)
{
    return cs_sched_score_least_cpu_mem(p, n, r->cpu_milli != 0 ? r->cpu_milli : CS_DEFAULT_MILLI_CPU,
                                        r->mem_bytes != 0 ? r->mem_bytes : CS_DEFAULT_MEMORY);
}

static void test_least_and_most_allocated_score_as_upstream(void)
{
    cs_sched_profile p = *cs_sched_profile_default();
    cs_node n = node_with(1000, 2 * GiB);
    cs_resources pod = {.cpu_milli = 500, .mem_bytes = 1 * GiB, .pods = 1};
    /* LeastAllocated: cpu (4000 - 1500) * 100 / 4000 = 62 (62.5 truncated); memory
     * (8 - 3) * 100 / 8 = 62; (62 + 62) / 2 = 62. */
    CU_ASSERT_EQUAL(cs_sched_score_fit(&p, &n, &pod), 62);
    CU_ASSERT_EQUAL(least_cpu_mem(&p, &n, &pod), 62);
    /* Weights cpu 3, memory 1 on an empty node: cpu 3500 * 100 / 4000 = 87, memory 62;
     * (3 * 87 + 62) / 4 = 323 / 4 = 80. */
    n = node_with(0, 2 * GiB);
    p.resources[0].weight = 3;
    CU_ASSERT_EQUAL(cs_sched_score_fit(&p, &n, &pod), 80);
    CU_ASSERT_EQUAL(least_cpu_mem(&p, &n, &pod), 80);
    /* A pod with no requests counts 100m and 200Mi: cpu 3900 * 100 / 4000 = 97, memory
     * (8192 - 2048 - 200) Mi * 100 / 8192 Mi = 72 (72.5...); (3 * 97 + 72) / 4 = 363 / 4 = 90. */
    cs_resources none = {.pods = 1};
    CU_ASSERT_EQUAL(cs_sched_score_fit(&p, &n, &none), 90);
    CU_ASSERT_EQUAL(least_cpu_mem(&p, &n, &none), 90);
    /* MostAllocated, weights 1: cpu 500 * 100 / 4000 = 12, memory 3 * 100 / 8 = 37;
     * (12 + 37) / 2 = 24. */
    p = *cs_sched_profile_default();
    p.strategy = CS_STRATEGY_MOST_ALLOCATED;
    CU_ASSERT_EQUAL(cs_sched_score_fit(&p, &n, &pod), 24);
    /* Requests beyond capacity count as full under MostAllocated, as nothing under Least:
     * cpu 4500 > 4000 gives 100 and 0. */
    n = node_with(4000, 0);
    CU_ASSERT_EQUAL(cs_sched_score_fit(&p, &n, &pod), (100 + 12) / 2);
    p.strategy = CS_STRATEGY_LEAST_ALLOCATED;
    CU_ASSERT_EQUAL(cs_sched_score_fit(&p, &n, &pod), (0 + 87) / 2);
    CU_ASSERT_EQUAL(least_cpu_mem(&p, &n, &pod), (0 + 87) / 2);
    /* A node with no cpu allocatable scores on memory alone, its weight alone: 87. */
    n.alloc.cpu_milli = 0;
    CU_ASSERT_EQUAL(cs_sched_score_fit(&p, &n, &pod), 87);
    CU_ASSERT_EQUAL(least_cpu_mem(&p, &n, &pod), 87);
    n.alloc.cpu_milli = 4000;
    /* ephemeral-storage is left out on a node without it, so the weights do not count. */
    p.resources[2] = (cs_resource_weight){CS_RESOURCE_EPHEMERAL_STORAGE, 5, 0};
    p.n_resources = 3;
    CU_ASSERT_EQUAL(cs_sched_score_fit(&p, &n, &pod), 43);
    /* With 10Gi of it, 1Gi requested by the pod: (10 - 1) * 100 / 10 = 90;
     * (0 + 87 + 5 * 90) / 7 = 537 / 7 = 76. */
    n.alloc.ephemeral_bytes = 10 * GiB;
    pod.ephemeral_bytes = 1 * GiB;
    CU_ASSERT_EQUAL(cs_sched_score_fit(&p, &n, &pod), 76);
}

static void test_requested_to_capacity_ratio_scores_as_upstream(void)
{
    static const cs_shape_point up[] = {{0, 0}, {100, 10}}, late[] = {{50, 0}, {100, 10}};
    cs_sched_profile p = *cs_sched_profile_default();
    p.strategy = CS_STRATEGY_REQUESTED_TO_CAPACITY_RATIO;
    p.shape = up;
    p.n_shape = 2;
    cs_node n = node_with(0, 2 * GiB);
    cs_resources pod = {.cpu_milli = 500, .mem_bytes = 1 * GiB, .pods = 1};
    /* Shape scores 0..10 become 0..100. cpu utilisation 500 * 100 / 4000 = 12, f(12) = 12;
     * memory 3 * 100 / 8 = 37, f = 37. Weights 1 and 2: (12 + 2 * 37) / 3 = 28.67, rounded 29
     * (integer division would give 28). */
    p.resources[1].weight = 2;
    CU_ASSERT_EQUAL(cs_sched_score_fit(&p, &n, &pod), 29);
    /* A resource whose score is 0 is left out with its weight: shape 0 up to 50%, then up to
     * 10. cpu 12% scores 0; memory 6Gi of 8 is 75%, f = 0 + 100 * (75 - 50) / 50 = 50. The
     * node scores 50, not (0 + 2 * 50) / 3. */
    p.shape = late;
    n = node_with(0, 5 * GiB);
    CU_ASSERT_EQUAL(cs_sched_score_fit(&p, &n, &pod), 50);
    /* Over capacity counts as 100% utilised: cpu 4500 of 4000, f(100) = 100; memory 75% -> 50:
     * (100 + 2 * 50) / 3 = 66.67, rounded 67. */
    n = node_with(4000, 5 * GiB);
    CU_ASSERT_EQUAL(cs_sched_score_fit(&p, &n, &pod), 67);
    /* The broken linear function: below the first point its score, above the last the last
     * score, and division truncating toward zero on a falling segment: points (0, 100),
     * (30, 0): f(10) = 100 + (-100 * 10) / 30 = 100 - 33 = 67 (flooring would give 66). */
    static const cs_shape_point fall[] = {{0, 100}, {30, 0}}, mid[] = {{20, 40}, {60, 80}};
    CU_ASSERT_EQUAL(cs_sched_broken_linear(fall, 2, 10), 67);
    CU_ASSERT_EQUAL(cs_sched_broken_linear(fall, 2, 50), 0);
    CU_ASSERT_EQUAL(cs_sched_broken_linear(mid, 2, 0), 40);
    CU_ASSERT_EQUAL(cs_sched_broken_linear(mid, 2, 20), 40);
    CU_ASSERT_EQUAL(cs_sched_broken_linear(mid, 2, 45), 65);   /* 40 + 40 * 25 / 40 */
    CU_ASSERT_EQUAL(cs_sched_broken_linear(mid, 2, 99), 80);
}

static void test_balanced_allocation_scores_as_upstream(void)
{
    /* Real requests, no non-zero defaults. cpu (1000 + 1000) / 4000 = 0.5, memory (1 + 1) / 8 =
     * 0.25: std = |0.5 - 0.25| / 2 = 0.125, (1 - 0.125) * 100 = 87.5, truncated 87. */
    cs_node n = node_with(1000, 1 * GiB);
    cs_resources pod = {.cpu_milli = 1000, .mem_bytes = 1 * GiB, .pods = 1};
    CU_ASSERT_EQUAL(cs_sched_score_balanced(&n, &pod), 87);
    /* A fraction above 1 is capped: cpu 5000 / 4000 -> 1, memory 0.25: std 0.375, 62.5 -> 62. */
    n = node_with(4000, 1 * GiB);
    CU_ASSERT_EQUAL(cs_sched_score_balanced(&n, &pod), 62);
    /* Only memory requested: cpu 0 / 4000 = 0, memory 4Gi / 8Gi = 0.5: std 0.25 -> 75 (with the
     * non-zero 100m it would be 73). */
    n = node_with(0, 0);
    cs_resources mem = {.mem_bytes = 4 * GiB, .pods = 1};
    CU_ASSERT_EQUAL(cs_sched_score_balanced(&n, &mem), 75);
    /* 1000 / 3000 = 0.333..., memory 0: std 0.1666..., 83.33 -> 83. */
    n.alloc.cpu_milli = 3000;
    cs_resources cpu = {.cpu_milli = 1000, .pods = 1};
    CU_ASSERT_EQUAL(cs_sched_score_balanced(&n, &cpu), 83);
    /* A best-effort pod is skipped (PreScore returns Skip). */
    cs_resources none = {.pods = 1};
    CU_ASSERT_EQUAL(cs_sched_score_balanced(&n, &none), -1);
}

static void test_default_normalize_score(void)
{
    /* Affinity sums 0, 3, 5: 100 * s / 5 = 0, 60, 100. Reversed (taints) 0, 1, 2 with max 2:
     * 100 - 0, 100 - 50, 100 - 100. All zero: stay 0, or all 100 reversed. 1, 3 of max 3:
     * 100 * 1 / 3 = 33. */
    int64_t a[3] = {0, 3, 5}, t[3] = {0, 1, 2}, z[2] = {0, 0}, zr[2] = {0, 0}, third[2] = {1, 3};
    cs_sched_normalize(a, 3, false);
    cs_sched_normalize(t, 3, true);
    cs_sched_normalize(z, 2, false);
    cs_sched_normalize(zr, 2, true);
    cs_sched_normalize(third, 2, false);
    CU_ASSERT(a[0] == 0 && a[1] == 60 && a[2] == 100);
    CU_ASSERT(t[0] == 100 && t[1] == 50 && t[2] == 0);
    CU_ASSERT(z[0] == 0 && z[1] == 0);
    CU_ASSERT(zr[0] == 100 && zr[1] == 100);
    CU_ASSERT(third[0] == 33 && third[1] == 100);
}

static const char *labelled =
    HEAD "  cluster:\n    nodePools:\n"
         "      - {name: a, count: 2, zones: [z1, z2], allocatable: {cpu: '4', memory: 8Gi},\n"
         "         labels: {disk: ssd, gen: '7'}}\n"
         "      - {name: b, count: 1, allocatable: {cpu: '4', memory: 8Gi}, labels: {gen: x12}}\n"
         "  workloads:\n"
         "    - name: w\n      replicas: 0\n"
         "      nodeSelector: {disk: ssd}\n"
         "      affinity:\n        nodeAffinity:\n"
         "          requiredDuringSchedulingIgnoredDuringExecution:\n"
         "            nodeSelectorTerms:\n"
         "              - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [z2]}]\n"
         "              - matchFields: [{key: metadata.name, operator: In, values: [a-0]}]\n"
         "          preferredDuringSchedulingIgnoredDuringExecution:\n"
         "            - {weight: 5, preference: {matchExpressions: [{key: gen, operator: Gt, values: ['6']}]}}\n"
         "            - {weight: 3, preference: {matchExpressions: [{key: kubernetes.io/hostname, operator: In,\n"
         "                                                          values: [a-1, b-0]}]}}\n"
         "            - {weight: 7, preference: {}}\n"
         "      tolerations: [{key: spot, operator: Exists, effect: PreferNoSchedule}]\n";

static void test_node_labels_and_node_affinity(void)
{
    cs_config *cfg = load(labelled);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    char buf[64];
    /* Well-known labels: hostname is the node's name, zone its zone; pool b has no zone. */
    CU_ASSERT_STRING_EQUAL(cs_node_label(w, 1, CS_LABEL_HOSTNAME, buf, sizeof buf), "a-1");
    CU_ASSERT_STRING_EQUAL(cs_node_label(w, 1, CS_LABEL_ZONE, buf, sizeof buf), "z2");
    CU_ASSERT_STRING_EQUAL(cs_node_label(w, 0, "disk", buf, sizeof buf), "ssd");
    CU_ASSERT_PTR_NULL(cs_node_label(w, 2, CS_LABEL_ZONE, buf, sizeof buf));
    CU_ASSERT_PTR_NULL(cs_node_label(w, 2, "disk", buf, sizeof buf));
    const cs_workload *wl = &cfg->workloads[0];
    /* a-0: selector matches, first term (zone z2) does not, the second (metadata.name a-0) does.
     * a-1: zone z2. b-0: no disk label, so the nodeSelector fails first. */
    CU_ASSERT_PTR_NULL(cs_sched_filter_node_affinity(w, 0, wl));
    CU_ASSERT_PTR_NULL(cs_sched_filter_node_affinity(w, 1, wl));
    CU_ASSERT_STRING_EQUAL(cs_sched_filter_node_affinity(w, 2, wl), "node(s) didn't match Pod's node affinity/selector");
    /* Preferred: gen 7 > 6 on a-0 and a-1 (5); b-0's gen x12 is not an integer, so Gt fails;
     * hostname a-1 or b-0 (3); the empty term counts nothing. a-0: 5, a-1: 8, b-0: 3. */
    CU_ASSERT_EQUAL(cs_sched_score_node_affinity(w, 0, wl), 5);
    CU_ASSERT_EQUAL(cs_sched_score_node_affinity(w, 1, wl), 8);
    CU_ASSERT_EQUAL(cs_sched_score_node_affinity(w, 2, wl), 3);
    /* Every operator, against a-1 (disk ssd, gen 7, zone z2). */
    static const char *ssd[] = {"ssd"}, *hdd[] = {"hdd", "nvme"}, *six[] = {"6"}, *seven[] = {"+7"},
                      *big[] = {"-9223372036854775808"}, *a1[] = {"a-1"};
    static const struct {
        cs_requirement q;
        bool want;
    } cases[] = {
        {{"disk", CS_OP_IN, ssd, 1}, true},
        {{"disk", CS_OP_IN, hdd, 2}, false},
        {{"disk", CS_OP_NOT_IN, hdd, 2}, true},
        {{"none", CS_OP_NOT_IN, hdd, 2}, true},     /* NotIn holds where the label is absent */
        {{"none", CS_OP_IN, ssd, 1}, false},
        {{"disk", CS_OP_EXISTS, NULL, 0}, true},
        {{"none", CS_OP_EXISTS, NULL, 0}, false},
        {{"none", CS_OP_DOES_NOT_EXIST, NULL, 0}, true},
        {{"disk", CS_OP_DOES_NOT_EXIST, NULL, 0}, false},
        {{"gen", CS_OP_GT, six, 1}, true},
        {{"gen", CS_OP_LT, six, 1}, false},
        {{"gen", CS_OP_GT, seven, 1}, false},       /* 7 > +7 is false; "+7" parses as 7 */
        {{"gen", CS_OP_LT, seven, 1}, false},
        {{"gen", CS_OP_GT, big, 1}, true},
        {{"none", CS_OP_LT, six, 1}, false},        /* Gt and Lt need the label */
        {{"disk", CS_OP_GT, six, 1}, false},        /* ... and it must parse */
        {{CS_LABEL_HOSTNAME, CS_OP_IN, a1, 1}, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cs_node_selector_term t = {.match_expressions = &cases[i].q, .n_match_expressions = 1};
        if (cs_sched_term_matches(w, 1, &t) != cases[i].want)
            fprintf(stderr, "\nrequirement case %zu\n", i);
        CU_ASSERT_EQUAL(cs_sched_term_matches(w, 1, &t), cases[i].want);
    }
    cs_requirement f = {"metadata.name", CS_OP_NOT_IN, a1, 1};
    cs_node_selector_term t = {.match_fields = &f, .n_match_fields = 1};
    CU_ASSERT_FALSE(cs_sched_term_matches(w, 1, &t));
    CU_ASSERT_TRUE(cs_sched_term_matches(w, 0, &t));
    cs_node_selector_term empty = {0};
    CU_ASSERT_FALSE(cs_sched_term_matches(w, 0, &empty));
    int64_t x = 0;
    CU_ASSERT_TRUE(cs_parse_go_int64("-9223372036854775808", &x) && x == INT64_MIN);
    CU_ASSERT_FALSE(cs_parse_go_int64("9223372036854775808", &x));
    CU_ASSERT_FALSE(cs_parse_go_int64("", &x) || cs_parse_go_int64("-", &x) || cs_parse_go_int64("1_000", &x) ||
                    cs_parse_go_int64(" 1", &x) || cs_parse_go_int64("0x10", &x));
    cs_world_free(w);
    cs_config_free(cfg);
}

static void test_tolerations_match_taints_as_upstream(void)
{
    cs_taint t = {"dedicated", "batch", CS_TAINT_NO_SCHEDULE};
    static const struct {
        cs_toleration tol;
        bool want;
    } cases[] = {
        {{"dedicated", CS_TOL_EQUAL, "batch", false, CS_TAINT_NO_SCHEDULE, false, 0}, true},
        {{"dedicated", CS_TOL_EQUAL, "web", false, CS_TAINT_NO_SCHEDULE, false, 0}, false},
        {{"dedicated", CS_TOL_EQUAL, "batch", false, CS_TAINT_NO_EXECUTE, false, 0}, false},
        {{"dedicated", CS_TOL_EQUAL, "batch", true, 0, false, 0}, true},   /* no effect: all */
        {{"dedicated", CS_TOL_EXISTS, "", true, 0, false, 0}, true},
        {{"other", CS_TOL_EXISTS, "", true, 0, false, 0}, false},
        {{"", CS_TOL_EXISTS, "", true, 0, false, 0}, true},                 /* tolerates everything */
        {{"", CS_TOL_EXISTS, "", false, CS_TAINT_PREFER_NO_SCHEDULE, false, 0}, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CU_ASSERT_EQUAL(cs_toleration_tolerates(&cases[i].tol, &t), cases[i].want);

    cs_config *cfg = load(HEAD "  cluster:\n    nodePools:\n"
                               "      - name: p\n        count: 1\n        allocatable: {cpu: '4', memory: 8Gi}\n"
                               "        taints: [{key: spot, effect: PreferNoSchedule}, {key: gpu, value: a100, "
                               "effect: NoSchedule}, {key: x, effect: PreferNoSchedule}]\n"
                               "  workloads:\n"
                               "    - {name: none, replicas: 0}\n"
                               "    - {name: gpu, replicas: 0, tolerations: [{key: gpu, value: a100}, {key: spot, "
                               "operator: Exists, effect: NoSchedule}]}\n"
                               "    - {name: all, replicas: 0, tolerations: [{operator: Exists}]}\n");
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    char buf[128];
    CU_ASSERT_STRING_EQUAL(cs_sched_filter_taints(w, 0, &cfg->workloads[0], buf, sizeof buf),
                           "node(s) had untolerated taint {gpu: a100}");
    CU_ASSERT_PTR_NULL(cs_sched_filter_taints(w, 0, &cfg->workloads[1], buf, sizeof buf));
    CU_ASSERT_PTR_NULL(cs_sched_filter_taints(w, 0, &cfg->workloads[2], buf, sizeof buf));
    /* The score counts PreferNoSchedule taints not tolerated by a toleration whose effect is
     * empty or PreferNoSchedule: `gpu` tolerates spot only for NoSchedule, so both count. */
    CU_ASSERT_EQUAL(cs_sched_score_taints(&cfg->pools[0], &cfg->workloads[0]), 2);
    CU_ASSERT_EQUAL(cs_sched_score_taints(&cfg->pools[0], &cfg->workloads[1]), 2);
    CU_ASSERT_EQUAL(cs_sched_score_taints(&cfg->pools[0], &cfg->workloads[2]), 0);
    cs_world_free(w);
    cs_config_free(cfg);
}

/* Pods of the given workloads, created and queued in this order at t = 0, on one node that
 * fits `fit` of them (1 CPU each); returns the workload of each pod bound, in binding order. */
static void queue_order(const uint32_t *order, uint32_t n, uint32_t cpu, uint32_t *bound, uint32_t *n_bound)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             HEAD "  cluster:\n    nodePools: [{name: n, count: 1, allocatable: {cpu: '%u', memory: 8Gi}}]\n"
                  "  workloads:\n"
                  "    - {name: low, replicas: 0, resources: {requests: {cpu: '1'}}}\n"
                  "    - {name: high, replicas: 0, priority: 1000, resources: {requests: {cpu: '1'}}}\n"
                  "    - {name: neg, replicas: 0, priority: -5, resources: {requests: {cpu: '1'}}}\n",
             cpu);
    cs_config *cfg = load(yaml);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t pod = cs_pod_create(w, order[i]);
        w->workloads[order[i]].desired++;   /* so that the workload's controllers keep the pod */
        cs_rs_at(w, cs_pod_at(w, pod)->rs)->replicas++;
        cs_sched_enqueue(w, pod);
    }
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    /* Pods bound to the node are listed newest first; reverse into binding order. */
    uint32_t tmp[16], k = 0;
    for (uint32_t p = w->nodes[0].first_pod; p != CS_NONE; p = cs_pod_at(w, p)->next_on_node)
        tmp[k++] = p;
    for (uint32_t i = 0; i < k; i++)
        bound[i] = cs_pod_at(w, tmp[k - 1 - i])->workload * 100 + tmp[k - 1 - i];
    *n_bound = k;
    cs_world_free(w);
    cs_config_free(cfg);
}

static void test_the_active_queue_sorts_by_priority_then_arrival(void)
{
    /* Queued: low (pod 0), neg (1), low (2), high (3). PrioritySort takes high first, then the
     * two lows in arrival order; neg (-5) last. Entries are workload * 100 + pod id. */
    static const uint32_t order[] = {0, 2, 0, 1};
    uint32_t bound[16], n = 0;
    queue_order(order, 4, 4, bound, &n);
    CU_ASSERT_EQUAL_FATAL(n, 4);
    CU_ASSERT(bound[0] == 103 && bound[1] == 0 && bound[2] == 2 && bound[3] == 201);
    /* Room for two: high and the first low; the rest stay pending. */
    queue_order(order, 4, 2, bound, &n);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT(bound[0] == 103 && bound[1] == 0);
}

/* End to end under a profile: MostAllocated packs pods onto the fullest node, where
 * LeastAllocated spreads them; NodeAffinity's preference decides between equal nodes. The
 * MostAllocated profile disables PodTopologySpread, whose system default constraints would
 * otherwise spread the replicas: on the second pod the node with a pod scores hostname
 * round(1 * log(3 + 2) + 2) = 4 against 2, normalised 100 * (4 + 2 - 4) / 4 = 50 against 100,
 * weight 2: a difference of 100 that MostAllocated's 13 cannot make up. */
static void test_a_scheduler_profile_changes_placements(void)
{
    const char *fmt = HEAD "%s  cluster:\n    nodePools: [{name: n, count: 3, allocatable: {cpu: '4', memory: 8Gi}}]\n"
                           "  workloads: [{name: w, replicas: 3, resources: {requests: {cpu: '1', memory: 1Gi}}}]\n";
    const char *most = "  scheduler:\n    plugins: {score: {disabled: [{name: PodTopologySpread}]}}\n"
                       "    pluginConfig:\n      NodeResourcesFit:\n"
                       "        scoringStrategy: {type: MostAllocated}\n";
    char yaml[1024];
    /* MostAllocated. First pod: every node scores cpu 1000 * 100 / 4000 = 25, memory 1 * 100 / 8
     * = 12, (25 + 12) / 2 = 18, plus BalancedAllocation (0.25 against 0.125: std 0.0625, 93),
     * plus TaintToleration 3 * 100: a tie. Second: the node with a pod scores (50 + 25) / 2 = 37
     * + 87 (0.5 against 0.25) = 124 against 18 + 93 = 111 on the others; third: (75 + 37) / 2 =
     * 56 + 81 (0.75, 0.375: std 0.1875, 81.25) = 137 against 111. All three on one node. */
    snprintf(yaml, sizeof yaml, fmt, most);
    cs_config *cfg = load(yaml);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    uint32_t max = 0;
    for (uint32_t i = 0; i < 3; i++)
        max = w->nodes[i].requested.pods > max ? (uint32_t)w->nodes[i].requested.pods : max;
    CU_ASSERT_EQUAL(max, 3);
    cs_world_free(w);
    cs_config_free(cfg);
    /* Least (the default): one pod per node. */
    snprintf(yaml, sizeof yaml, fmt, "");
    cfg = load(yaml);
    w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    for (uint32_t i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(w->nodes[i].requested.pods, 1);
    cs_world_free(w);
    cs_config_free(cfg);
}

/* A preferred term (metadata.name n-2) normalises to 100 on n-2 and 0 elsewhere, times the
 * NodeAffinity weight 2. First pod: n-2 scores LeastAllocated (75 + 75) / 2 = 75 + Balanced 100
 * + 200 = 375 against 175; second: 50 + 100 + 200 = 350 against 175; third 25 + 100 + 200 =
 * 325 against 175. All three land on n-2. */
static void test_preferred_node_affinity_attracts_pods(void)
{
    cs_config *cfg = load(HEAD "  cluster:\n    nodePools: [{name: n, count: 3, allocatable: {cpu: '4', memory: 4Gi}}]\n"
                               "  workloads:\n    - name: w\n      replicas: 3\n"
                               "      resources: {requests: {cpu: '1', memory: 1Gi}}\n"
                               "      affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution:\n"
                               "        [{weight: 10, preference: {matchFields: [{key: metadata.name, operator: In,\n"
                               "                                                  values: [n-2]}]}}]}}\n");
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(w->nodes[2].requested.pods, 3);
    cs_world_free(w);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"numFeasibleNodesToFind follows the table", test_num_feasible_nodes_to_find_follows_the_table},
    {"Least and MostAllocated score as upstream", test_least_and_most_allocated_score_as_upstream},
    {"RequestedToCapacityRatio scores as upstream", test_requested_to_capacity_ratio_scores_as_upstream},
    {"BalancedAllocation scores as upstream", test_balanced_allocation_scores_as_upstream},
    {"DefaultNormalizeScore", test_default_normalize_score},
    {"node labels and node affinity", test_node_labels_and_node_affinity},
    {"tolerations match taints as upstream", test_tolerations_match_taints_as_upstream},
    {"the active queue sorts by priority, then arrival", test_the_active_queue_sorts_by_priority_then_arrival},
    {"a scheduler profile changes placements", test_a_scheduler_profile_changes_placements},
    {"preferred node affinity attracts pods", test_preferred_node_affinity_attracts_pods},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_sched_suite = {.pName = "sched", .pTests = tests};
