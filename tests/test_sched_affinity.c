/* test_sched_affinity.c -- InterPodAffinity (models/sched_affinity.c) against outcomes and
 * scores worked out by hand from interpodaffinity/filtering.go and scoring.go, on counts set by
 * binding pods by hand (sched_test_util.h: a-0 and a-2 in z1, a-1 and a-3 in z2, b-0 without a
 * zone). */
#include <CUnit/CUnit.h>

#include "sched_test_util.h"

#define AFF "node(s) didn't match pod affinity rules"
#define ANTI "node(s) didn't match pod anti-affinity rules"
#define EXISTING "node(s) didn't satisfy existing pods anti-affinity rules"

static void check_filter(const cs_world *w, uint32_t wl, const char *const want[TEST_NODES])
{
    check_filter_of(cs_sched_filter_pod_affinity, w, wl, want);
}

#define ZONE_AFFINITY(app)                                                                                        \
    "      affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: "             \
    "topology.kubernetes.io/zone, labelSelector: {matchLabels: {app: " app "}}}]}}\n"

/* Required affinity: the first pod of a group that matches its own term goes anywhere with the
 * key; once one exists, only its zone; a pod that does not match its own term waits for one. */
static void test_required_affinity_and_the_first_pod_rule(void)
{
    cs_config *cfg;
    cs_world *w = sched_test_world(&cfg, "    - name: cache\n      replicas: 0\n      labels: {app: cache}\n" ZONE_AFFINITY(
                                             "cache") "    - name: web\n      replicas: 0\n      labels: {app: web}\n" ZONE_AFFINITY("cache"));
    /* No cache pod: cache matches its own term, so every zoned node passes; b-0 lacks the key.
     * web does not match app=cache: nowhere. */
    const char *const first[TEST_NODES] = {NULL, NULL, NULL, NULL, AFF};
    const char *const nowhere[TEST_NODES] = {AFF, AFF, AFF, AFF, AFF};
    check_filter(w, 0, first);
    check_filter(w, 1, nowhere);
    /* A cache pod on a-1 (z2): both now need z2. */
    place(w, 0, NODE_A1, 1);
    const char *const z2[TEST_NODES] = {AFF, NULL, AFF, NULL, AFF};
    check_filter(w, 0, z2);
    check_filter(w, 1, z2);
    cs_world_free(w);
    cs_config_free(cfg);
}

/* Required anti-affinity of the pod against existing pods, and its symmetry: an existing pod's
 * required anti-affinity term that matches the incoming pod keeps it out of that pod's domain. */
static void test_anti_affinity_and_its_symmetry(void)
{
    cs_config *cfg;
    cs_world *w = sched_test_world(
        &cfg, "    - name: solo\n      replicas: 0\n      labels: {app: solo}\n"
              "      affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: "
              "kubernetes.io/hostname, labelSelector: {matchLabels: {app: solo}}}]}}\n"
              "    - name: guard\n      replicas: 0\n      labels: {app: guard}\n"
              "      affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: "
              "topology.kubernetes.io/zone, labelSelector: {matchLabels: {app: other}}}]}}\n"
              "    - {name: other, replicas: 0, labels: {app: other}}\n");
    place(w, 0, NODE_A0, 1);
    place(w, 1, NODE_A0, 1);
    /* solo: its own term finds the solo pod on a-0 (incoming anti-affinity); elsewhere free. */
    const char *const solo[TEST_NODES] = {ANTI, NULL, NULL, NULL, NULL};
    check_filter(w, 0, solo);
    /* other has no terms, but guard's term selects it: z1 (a-0, a-2) is closed; b-0 has no
     * zone, so no pair matches there. */
    const char *const other[TEST_NODES] = {EXISTING, NULL, EXISTING, NULL, NULL};
    check_filter(w, 2, other);
    /* guard's own term looks for app=other pods: none, so guard may go anywhere. */
    const char *const guard[TEST_NODES] = {NULL, NULL, NULL, NULL, NULL};
    check_filter(w, 1, guard);
    /* An other pod on a-3 (z2) now keeps guard out of z2 (guard's own anti-affinity). */
    place(w, 2, NODE_A3, 1);
    const char *const guard2[TEST_NODES] = {NULL, ANTI, NULL, ANTI, NULL};
    check_filter(w, 1, guard2);
    cs_world_free(w);
    cs_config_free(cfg);
}

/* The score: web prefers zones with cache pods (weight 10) and hosts without web pods (anti,
 * weight 5); the existing sidecar pods have a required affinity to web on the hostname
 * (hardPodAffinityWeight 1) and a preferred anti-affinity to web on the zone (weight 3). The
 * existing web pods count twice: web's anti-affinity term finds them, and their own term
 * (the same, theirs) finds the incoming web pod (scoring.go processExistingPod).
 * Pods: cache a-0 1, a-1 2 (z1 1, z2 2); web a-0 1, a-3 1; sidecar a-2 1 (z1).
 *   a-0: 10 * 1 - 5 * 1 - 5 * 1 - 3 * 1 = -3      a-1: 10 * 2 = 20
 *   a-2: 10 * 1 + 1 * 1 - 3 * 1 = 8              a-3: 10 * 2 - 5 - 5 = 10        b-0: 0
 * min -3, max 20, diff 23: int64(100 * ((s + 3) / 23)) = 0, 100, 47 (47.8), 56 (56.5),
 * 13 (13.04). */
static void test_score_sums_both_sides_terms(void)
{
    cs_config *cfg;
    cs_world *w = sched_test_world(
        &cfg, "    - {name: cache, replicas: 0, labels: {app: cache}}\n"
              "    - name: web\n      replicas: 0\n      labels: {app: web}\n"
              "      affinity:\n"
              "        podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 10, podAffinityTerm: "
              "{topologyKey: topology.kubernetes.io/zone, labelSelector: {matchLabels: {app: cache}}}}]}\n"
              "        podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 5, podAffinityTerm: "
              "{topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}}}]}\n"
              "    - name: sidecar\n      replicas: 0\n      labels: {app: sidecar}\n"
              "      affinity:\n"
              "        podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: "
              "kubernetes.io/hostname, labelSelector: {matchExpressions: [{key: app, operator: In, values: [web]}]}}]}\n"
              "        podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 3, podAffinityTerm: "
              "{topologyKey: topology.kubernetes.io/zone, labelSelector: {matchLabels: {app: web}}}}]}\n");
    place(w, 0, NODE_A0, 1);
    place(w, 0, NODE_A1, 2);
    place(w, 1, NODE_A0, 1);
    place(w, 1, NODE_A3, 1);
    place(w, 2, NODE_A2, 1);
    int64_t got[TEST_NODES];
    cs_sched_score_pod_affinity(w, cs_pod_plan_of(w, 1), all_test_nodes, TEST_NODES, got);
    const int64_t want[TEST_NODES] = {0, 100, 47, 56, 13};
    for (int i = 0; i < TEST_NODES; i++)
        CU_ASSERT_EQUAL(got[i], want[i]);
    /* cache has no terms, but web's preferred affinity term selects it: + 10 per web pod in the
     * zone, z1 1 and z2 1, so 10 on every zoned node and 0 on b-0: 100 and 0. */
    cs_sched_score_pod_affinity(w, cs_pod_plan_of(w, 0), all_test_nodes, TEST_NODES, got);
    for (int i = 0; i < TEST_NODES; i++)
        CU_ASSERT_EQUAL(got[i], i == NODE_B0 ? 0 : 100);
    /* min and max are over the nodes scored, not from 0 (NormalizeScore starts them at MaxInt64
     * and MinInt64): a-2, a-3, a-1 score raw 8, 10, 20, so min 8, diff 12: 0,
     * int64(100 * 2 / 12) = 16, 100. */
    const uint32_t three[3] = {NODE_A2, NODE_A3, NODE_A1};
    cs_sched_score_pod_affinity(w, cs_pod_plan_of(w, 1), three, 3, got);
    CU_ASSERT_EQUAL(got[0], 0);
    CU_ASSERT_EQUAL(got[1], 16);
    CU_ASSERT_EQUAL(got[2], 100);
    /* Two more web pods on a-0: raw 10 - 5 * 3 - 5 * 3 - 3 = -23; with a-3 (10) and a-1 (20):
     * diff 43: 0, int64(100 * 33 / 43) = 76, 100. */
    const uint32_t other[3] = {NODE_A0, NODE_A3, NODE_A1};
    place(w, 1, NODE_A0, 2);
    cs_sched_score_pod_affinity(w, cs_pod_plan_of(w, 1), other, 3, got);
    CU_ASSERT_EQUAL(got[0], 0);
    CU_ASSERT_EQUAL(got[1], 76);
    CU_ASSERT_EQUAL(got[2], 100);
    cs_world_free(w);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"required affinity and the first-pod rule", test_required_affinity_and_the_first_pod_rule},
    {"anti-affinity and its symmetry", test_anti_affinity_and_its_symmetry},
    {"score sums both sides' terms", test_score_sums_both_sides_terms},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_sched_affinity_suite = {.pName = "sched_affinity", .pTests = tests};
