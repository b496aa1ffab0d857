/* test_sched_spread.c -- PodTopologySpread (models/sched_spread.c) against skews and scores
 * worked out by hand from podtopologyspread/filtering.go and scoring.go (the arithmetic is in
 * the comments), on counts set by binding pods by hand (sched_test_util.h: a-0 and a-2 in z1,
 * a-1 and a-3 in z2, b-0 without a zone). */
#include <CUnit/CUnit.h>

#include "sched_test_util.h"

#define SPREAD "node(s) didn't match pod topology spread constraints"
#define MISSING SPREAD " (missing required label)"

static void check_filter(const cs_world *w, uint32_t wl, const char *const want[TEST_NODES])
{
    check_filter_of(cs_sched_filter_spread, w, wl, want);
}

/* skew = count in the node's domain + 1 (the pod matches its selector) - global minimum. */
static void test_skew_is_count_plus_self_minus_global_minimum(void)
{
    cs_config *cfg;
    cs_world *w = sched_test_world(&cfg, "    - name: web\n      replicas: 0\n      labels: {app: web}\n"
                                         "      topologySpreadConstraints:\n"
                                         "        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone,\n"
                                         "           whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}\n");
    /* Two pods on a-0: z1 = 2, z2 = 0, min 0 (b-0 has no zone: not a domain). z1 nodes: 2 + 1 - 0
     * = 3 > 1; z2 nodes: 0 + 1 - 0 = 1; b-0 lacks the key. */
    place(w, 0, NODE_A0, 2);
    const char *const first[TEST_NODES] = {SPREAD, NULL, SPREAD, NULL, MISSING};
    check_filter(w, 0, first);
    /* One on a-3: z2 = 1 and the minimum rises to 1: z1 2 + 1 - 1 = 2 > 1, z2 1 + 1 - 1 = 1. */
    place(w, 0, NODE_A3, 1);
    check_filter(w, 0, first);
    CU_ASSERT_EQUAL(w->pod_index->counters[cs_pod_plan_of(w, 0)->hard[0].counter].min, 1);
    /* Two more in z2 (3 against 2): min 2; z1 2 + 1 - 2 = 1 passes, z2 3 + 1 - 2 = 2 fails. */
    place(w, 0, NODE_A1, 2);
    const char *const second[TEST_NODES] = {NULL, SPREAD, NULL, SPREAD, MISSING};
    check_filter(w, 0, second);
    /* Deleting two z1 pods takes the minimum back down to 0: z1 passes (0 + 1), z2 fails. */
    uint32_t gone = 0;
    for (uint32_t p = 0; p < w->pods.len && gone < 2; p++)
        if (cs_pod_at(w, p)->node == NODE_A0 && cs_pod_at(w, p)->phase != CS_POD_TERMINATED) {
            cs_pod_delete(w, p, "test");
            gone++;
        }
    CU_ASSERT_EQUAL(w->pod_index->counters[cs_pod_plan_of(w, 0)->hard[0].counter].min, 0);
    check_filter(w, 0, second);
    cs_world_free(w);
    cs_config_free(cfg);
}

/* minDomains 3 with two zones: the global minimum counts as 0 (filtering.go minMatchNum). */
static void test_min_domains_above_the_domains_makes_the_minimum_zero(void)
{
    cs_config *cfg;
    cs_world *w = sched_test_world(&cfg, "    - name: db\n      replicas: 0\n      labels: {app: db}\n"
                                         "      topologySpreadConstraints:\n"
                                         "        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, minDomains: 3,\n"
                                         "           whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: db}}}\n"
                                         "    - name: db2\n      replicas: 0\n      labels: {app: db2}\n"
                                         "      topologySpreadConstraints:\n"
                                         "        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, minDomains: 2,\n"
                                         "           whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: db2}}}\n");
    /* One pod in each zone: with minDomains 3 > 2 domains the minimum is 0, so every zone has
     * skew 1 + 1 - 0 = 2 > 1 and no node passes; with minDomains 2 it is the real minimum 1,
     * skew 1 + 1 - 1 = 1, and every zoned node passes. */
    place(w, 0, NODE_A0, 1);
    place(w, 0, NODE_A1, 1);
    place(w, 1, NODE_A0, 1);
    place(w, 1, NODE_A1, 1);
    const char *const none[TEST_NODES] = {SPREAD, SPREAD, SPREAD, SPREAD, MISSING};
    const char *const all[TEST_NODES] = {NULL, NULL, NULL, NULL, MISSING};
    check_filter(w, 0, none);
    check_filter(w, 1, all);
    cs_world_free(w);
    cs_config_free(cfg);
}

/* nodeAffinityPolicy Honor (the default) counts only nodes the pod's node affinity accepts, so
 * a zone it cannot use is no domain; Ignore counts every node. matchLabelKeys narrows an empty
 * selector (every pod) to the pods with the same value of `app`. */
static void test_inclusion_policies_and_match_label_keys(void)
{
    cs_config *cfg;
    cs_world *w = sched_test_world(
        &cfg, "    - name: x\n      replicas: 0\n      labels: {app: x}\n"
              "      nodeSelector: {topology.kubernetes.io/zone: z1}\n"
              "      topologySpreadConstraints:\n"
              "        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule,\n"
              "           labelSelector: {}, matchLabelKeys: [app]}\n"
              "    - name: y\n      replicas: 0\n      labels: {app: y}\n"
              "      nodeSelector: {topology.kubernetes.io/zone: z1}\n"
              "      topologySpreadConstraints:\n"
              "        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule,\n"
              "           labelSelector: {matchLabels: {app: y}}, nodeAffinityPolicy: Ignore}\n");
    /* x: with Honor only z1 is a domain (min = its count); two x pods in z1 and one y pod
     * anywhere: z1 2 + 1 - 2 = 1 passes (y's pod is not counted: app differs). */
    place(w, 0, NODE_A0, 2);
    place(w, 1, NODE_A2, 1);
    const char *const x_ok[TEST_NODES] = {NULL, NULL, NULL, NULL, MISSING};
    check_filter(w, 0, x_ok);
    /* y: Ignore makes z2 a domain with 0 pods: z1 1 + 1 - 0 = 2 > 1 fails, z2 0 + 1 - 0 = 1. */
    const char *const y_ok[TEST_NODES] = {SPREAD, NULL, SPREAD, NULL, MISSING};
    check_filter(w, 1, y_ok);
    cs_world_free(w);
    cs_config_free(cfg);
}

/* ScheduleAnyway, the pod's own constraints (zone maxSkew 2, then hostname maxSkew 1): b-0
 * lacks the zone key and is ignored (score 0). Four scored nodes: hostname weight
 * log(4 + 2) = 1.791759, zone weight log(2 + 2) = 1.386294 (values z1, z2). Pods: a-0 2, a-1 1,
 * so z1 = 2, z2 = 1.
 *   a-0: 2 * 1.386294 + 1 + 2 * 1.791759 + 0 = 7.356 -> 7
 *   a-1: 1 * 1.386294 + 1 + 1 * 1.791759 = 4.178 -> 4
 *   a-2: 2 * 1.386294 + 1 + 0 = 3.773 -> 4
 *   a-3: 1 * 1.386294 + 1 + 0 = 2.386 -> 2
 * min 2, max 7: 100 * (9 - s) / 7: a-0 200/7 = 28, a-1 and a-2 500/7 = 71, a-3 100. */
static void test_soft_constraints_score_as_upstream(void)
{
    cs_config *cfg;
    cs_world *w = sched_test_world(&cfg, "    - name: web\n      replicas: 0\n      labels: {app: web}\n"
                                         "      topologySpreadConstraints:\n"
                                         "        - {maxSkew: 2, topologyKey: topology.kubernetes.io/zone,\n"
                                         "           whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}\n"
                                         "        - {maxSkew: 1, topologyKey: kubernetes.io/hostname,\n"
                                         "           whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}\n");
    place(w, 0, NODE_A0, 2);
    place(w, 0, NODE_A1, 1);
    int64_t got[TEST_NODES];
    cs_sched_score_spread(w, cs_pod_plan_of(w, 0), all_test_nodes, TEST_NODES, got);
    const int64_t want[TEST_NODES] = {28, 71, 71, 100, 0};
    for (int i = 0; i < TEST_NODES; i++)
        CU_ASSERT_EQUAL(got[i], want[i]);
    CU_ASSERT_EQUAL(cs_sched_filter_spread(w, NODE_A0, cs_pod_plan_of(w, 0)), NULL);   /* no hard one */
    cs_world_free(w);
    cs_config_free(cfg);
}

/* The system defaults for a Deployment with no constraints: hostname maxSkew 3, then zone
 * maxSkew 5, over its own pods; nodes lacking the zone still score hostname. Scored nodes a-0,
 * a-1, a-2, b-0; pods a-0 3, a-1 1, b-0 1. Hostname weight log(4 + 2) = 1.791759; zone values
 * z1, z2 and "" (b-0): log(3 + 2) = 1.609438; z1 = 3, z2 = 1.
 *   a-0: 3 * 1.791759 + 2 + 3 * 1.609438 + 4 = 16.204 -> 16
 *   a-1: 1.791759 + 2 + 1.609438 + 4 = 9.401 -> 9
 *   a-2: 0 + 2 + 3 * 1.609438 + 4 = 10.828 -> 11
 *   b-0: 1.791759 + 2 = 3.792 -> 4
 * min 4, max 16: 100 * (20 - s) / 16: 25, 68, 56, 100. */
static void test_system_default_constraints_spread_a_deployment(void)
{
    cs_config *cfg;
    cs_world *w = sched_test_world(&cfg, "    - {name: plain, replicas: 0, labels: {app: plain}}\n"
                                         "    - {name: other, replicas: 0, labels: {app: plain}}\n");
    place(w, 0, NODE_A0, 3);
    place(w, 0, NODE_A1, 1);
    place(w, 0, NODE_B0, 1);
    place(w, 1, NODE_A2, 4);   /* same labels, another Deployment: not counted */
    const uint32_t nodes[4] = {NODE_A0, NODE_A1, NODE_A2, NODE_B0};
    int64_t got[4];
    cs_sched_score_spread(w, cs_pod_plan_of(w, 0), nodes, 4, got);
    CU_ASSERT_EQUAL(got[0], 25);
    CU_ASSERT_EQUAL(got[1], 68);
    CU_ASSERT_EQUAL(got[2], 56);
    CU_ASSERT_EQUAL(got[3], 100);
    CU_ASSERT_EQUAL(cs_pod_plan_of(w, 0)->n_soft, 2);
    cs_world_free(w);
    cs_config_free(cfg);
}

/* A Terminating pod leaves PodTopologySpread's counts at once (countPodsMatchSelector skips a
 * deletionTimestamp) but stays in InterPodAffinity's until it is gone. web has z1 2 (a-0),
 * z2 1 (a-1): z1 2 + 1 - 1 = 2 > 1 fails. One a-0 pod terminating: z1 1, and 1 + 1 - 1 = 1
 * passes; solo's anti-affinity to web on the hostname still keeps it off a-0. */
static void test_terminating_pods_leave_the_spread_counts_only(void)
{
    cs_config *cfg;
    cs_world *w = sched_test_world(
        &cfg, "    - name: web\n      replicas: 0\n      labels: {app: web}\n"
              "      topologySpreadConstraints:\n"
              "        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone,\n"
              "           whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}\n"
              "    - name: solo\n      replicas: 0\n      labels: {app: solo}\n"
              "      affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: "
              "kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}}]}}\n");
    place(w, 0, NODE_A0, 2);
    place(w, 0, NODE_A1, 1);
    CU_ASSERT_PTR_NOT_NULL(cs_sched_filter_spread(w, NODE_A0, cs_pod_plan_of(w, 0)));
    uint32_t pod = 0;
    while (cs_pod_at(w, pod)->node != NODE_A0)
        pod++;
    cs_pod_terminate(w, pod, "test");
    CU_ASSERT_EQUAL_FATAL(cs_pod_at(w, pod)->phase, CS_POD_TERMINATING);
    CU_ASSERT_PTR_NULL(cs_sched_filter_spread(w, NODE_A0, cs_pod_plan_of(w, 0)));
    CU_ASSERT_PTR_NOT_NULL(cs_sched_filter_pod_affinity(w, NODE_A0, cs_pod_plan_of(w, 1)));
    /* Deleted: out of InterPodAffinity's counts too, and not out of the spread counts twice. */
    cs_pod_delete(w, pod, "test");
    place(w, 0, NODE_A2, 1);   /* z1 2 again, z2 1 */
    CU_ASSERT_PTR_NOT_NULL(cs_sched_filter_spread(w, NODE_A0, cs_pod_plan_of(w, 0)));
    CU_ASSERT_PTR_NOT_NULL(cs_sched_filter_pod_affinity(w, NODE_A0, cs_pod_plan_of(w, 1)));   /* one web pod left there */
    CU_ASSERT_PTR_NULL(cs_sched_filter_pod_affinity(w, NODE_A3, cs_pod_plan_of(w, 1)));
    cs_world_free(w);
    cs_config_free(cfg);
}

static uint32_t workload_named(const cs_config *cfg, const char *name)
{
    for (uint32_t i = 0; i < cfg->n_workloads; i++)
        if (strcmp(cfg->workloads[i].name, name) == 0)
            return i;
    CU_FAIL_FATAL("no such workload");
    return CS_NONE;
}

/* helper/spread.go DefaultSelector for pods of other controllers: a bare Pod gets the selectors
 * of the Services that select it (none: no default constraint at all), a ReplicaSet its
 * selector (its template's labels here). Manifests as they come. */
static void test_default_selector_follows_services_and_controllers(void)
{
    static const char yaml[] =
        "apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {topology.kubernetes.io/zone: z1}}\n"
        "status: {allocatable: {cpu: '8', memory: 32Gi, pods: '110'}}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web-a, labels: {app: web, tier: front}}\n"
        "spec: {containers: [{name: c, image: nginx}]}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web-b, labels: {app: web}}\n"
        "spec: {containers: [{name: c, image: nginx}]}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: lonely, labels: {app: lonely}}\n"
        "spec: {containers: [{name: c, image: nginx}]}\n---\n"
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: cache}\n"
        "spec: {replicas: 1, selector: {matchLabels: {app: cache}}, template: {metadata: {labels: {app: cache}},"
        " spec: {containers: [{name: c, image: redis}]}}}\n";
    cs_config *cfg = load(yaml);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    uint32_t a = workload_named(cfg, "web-a"), b = workload_named(cfg, "web-b");
    uint32_t lonely = workload_named(cfg, "lonely"), cache = workload_named(cfg, "cache");
    CU_ASSERT_EQUAL(cs_pod_plan_of(w, lonely)->n_soft, 0);
    CU_ASSERT_EQUAL(cs_pod_plan_of(w, cache)->n_soft, 2);
    const cs_pod_plan *pa = cs_pod_plan_of(w, a);
    CU_ASSERT_EQUAL_FATAL(pa->n_soft, 2);
    /* web-a's selector is the Service's, app=web: web-b's pod counts, lonely's and cache's do
     * not. Each workload started with its one pod bound to n1: hostname count 2 (web-a, web-b). */
    const cs_domain_count *host = &w->pod_index->counters[pa->soft[0].counter];
    CU_ASSERT_EQUAL(host->count[0], 2);
    place(w, b, 0, 1);
    place(w, lonely, 0, 1);
    place(w, cache, 0, 1);
    CU_ASSERT_EQUAL(host->count[0], 3);
    cs_world_free(w);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"default selector follows Services and controllers", test_default_selector_follows_services_and_controllers},
    {"terminating pods leave the spread counts only", test_terminating_pods_leave_the_spread_counts_only},
    {"skew is count + self - global minimum", test_skew_is_count_plus_self_minus_global_minimum},
    {"minDomains above the domains makes the minimum 0", test_min_domains_above_the_domains_makes_the_minimum_zero},
    {"inclusion policies and matchLabelKeys", test_inclusion_policies_and_match_label_keys},
    {"soft constraints score as upstream", test_soft_constraints_score_as_upstream},
    {"system default constraints spread a Deployment", test_system_default_constraints_spread_a_deployment},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_sched_spread_suite = {.pName = "sched_spread", .pTests = tests};
