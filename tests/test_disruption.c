/* test_disruption.c -- cordon, drains, the Eviction API, PodDisruptionBudgets, node replacement
 * and the lifecycle taints, with outcomes derived by hand from the upstream rules. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "../models/model.h"
#include "test_util.h"

/* Records the trace events whose type starts with one of `want` as "<seconds> <type> <node>;". */
typedef struct recorder {
    const char *const *want;
    char out[4096];
    size_t len;
} recorder;

static void record(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    recorder *r = ctx;
    bool wanted = false;
    for (const char *const *w = r->want; *w != NULL && !wanted; w++)
        wanted = strncmp(type, *w, strlen(*w)) == 0;
    if (!wanted)
        return;
    const char *node = "";
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].key, "node") == 0 && f[i].kind == CS_FIELD_STR)
            node = f[i].s;
    if (r->len < sizeof r->out)
        r->len += (size_t)snprintf(r->out + r->len, sizeof r->out - r->len, "%g %s %s;", (double)t / 1e9, type, node);
}

#define HEADER "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n"

/* Three nodes of pool a (one pod each) hold web's three replicas; spare, which a
 * PreferNoSchedule taint makes the last choice, has room for one more. The budget allows one
 * pod down (maxUnavailable 1 of 3: desiredHealthy 2). An evicted pod is Terminating for 20 s
 * (its shutdown time, within the 30 s grace period), while its replacement starts at once. */
static const char *drain_cluster = HEADER
    "  duration: 2h\n"
    "  cluster:\n    nodePools:\n"
    "      - {name: a, count: 3, allocatable: {cpu: '4', memory: 8Gi, pods: 1}}\n"
    "      - name: spare\n        count: 1\n        allocatable: {cpu: '4', memory: 8Gi, pods: 1}\n"
    "        taints: [{key: spare, effect: PreferNoSchedule}]\n"
    "  workloads:\n"
    "    - {name: web, replicas: 3, startupTime: 30s, shutdownTime: 20s, disruptionBudget: {maxUnavailable: 1}}\n"
    "  timeline:\n%s"
    "  properties:\n    - {name: budget, type: pdb}\n    - {name: accounted, type: noPodLost}\n";

/* Draining a-0 at 1h: one disruption allowed, so its pod is evicted at once (gone at +20 s, when
 * the drain ends) and its replacement lands on spare (the only schedulable room), Ready at
 * +30 s. Draining a-1 at 1h + 1 s: the budget is spent (2 healthy, 2 desired), so kubectl's
 * eviction is refused and retried every 5 s, at +1, +6, +11, +16, +21, +26 s, until the
 * replacement is Ready at +30 s; the retry at +31 s goes through and the drain ends when that
 * pod is gone, at +51 s. */
static void test_a_drain_waits_for_the_budget_and_retries_every_5s(void)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, drain_cluster,
             "    - {at: 1h, action: drain, node: a-0}\n    - {at: 3601s, action: drain, node: a-1}\n");
    cs_config *cfg = load(yaml);
    static const char *const want[] = {"node.drain", "eviction.refused", NULL};
    recorder rec = {.want = want};
    cs_trace_sink sink = {.fn = record, .ctx = &rec};
    cs_rep_result r = run_traced(cfg, 1, 0, &sink);
    CU_ASSERT_STRING_EQUAL(rec.out, "3600 node.drain.started a-0;3601 node.drain.started a-1;"
                                    "3601 eviction.refused ;3606 eviction.refused ;3611 eviction.refused ;"
                                    "3616 eviction.refused ;3620 node.drained a-0;3621 eviction.refused ;"
                                    "3626 eviction.refused ;3651 node.drained a-1;");
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "evictions.accepted")], 2);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "evictions.refused")], 6);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.completed")], 2);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.longest_s")], 50);   /* a-1's, 3601 s to 3651 s */
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "upgrades.completed")], 0);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "pods.deleted.EvictionByEvictionAPI")], 2);
    /* a-1's replacement has nowhere to go: 2 Ready from 3631 s to the end. */
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "pods.pending_max")], 1);
    CU_ASSERT_TRUE(r.props[0].held);
    CU_ASSERT_TRUE(r.props[1].held);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* The same two drains with kubectl's --disable-eviction: both pods are deleted at once, past
 * the budget, and the second leaves 1 healthy pod where 2 are desired: the pdb property sees
 * one violation, at 3601 s. */
static void test_disable_eviction_bypasses_the_budget_and_the_pdb_property_sees_it(void)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, drain_cluster,
             "    - {at: 1h, action: drain, node: a-0, disableEviction: true}\n"
             "    - {at: 3601s, action: drain, node: a-1, disableEviction: true}\n");
    cs_config *cfg = load(yaml);
    cs_rep_result r = run_one(cfg, 1, 0);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "evictions.accepted")], 0);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "pods.deleted.Deleted")], 2);
    CU_ASSERT_FALSE(r.props[0].held);
    CU_ASSERT_EQUAL(r.props[0].violations, 1);
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].first_violation_s, 3601, 1e-9);
    CU_ASSERT_TRUE(r.props[1].held);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* A drain blocked by the budget with a 1-minute timeout fails at 3661 s; one without a
 * timeout is still waiting at the end, and is reported unfinished. Here a-1 and a-2 are
 * drained at once: a-1 goes (one disruption allowed), a-2 waits for a replacement that has no
 * room (spare takes a-1's, whose own replacement is Ready at 3631 s but then the budget is
 * spent again: healthy 2, desired 2). */
static void test_a_blocked_drain_times_out_or_stays_unfinished(void)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, drain_cluster,
             "    - {at: 1h, action: drain, node: a-0}\n    - {at: 3601s, action: drain, node: a-1, timeout: 1m}\n");
    cs_config *cfg = load(yaml);
    static const char *const want[] = {"node.drain", NULL};
    recorder rec = {.want = want};
    cs_trace_sink sink = {.fn = record, .ctx = &rec};
    cs_rep_result r = run_traced(cfg, 1, 0, &sink);
    /* With the timeout the retry at 3631 s still succeeds, and the pod is gone at 3651 s: the
     * drain ends before it would fail at 3661 s. */
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.completed")], 2);
    cs_result_fini(&r);
    cs_config_free(cfg);

    snprintf(yaml, sizeof yaml, drain_cluster,
             "    - {at: 1h, action: drain, node: a-0}\n    - {at: 3601s, action: drain, node: a-1}\n"
             "    - {at: 3700s, action: drain, node: a-2, timeout: 1m}\n");
    cfg = load(yaml);
    rec.len = 0;
    rec.out[0] = '\0';
    r = run_traced(cfg, 1, 0, &sink);
    /* a-2 at 3700 s: healthy 2 (spare's, a-2's), desired 2: refused until the timeout. */
    CU_ASSERT_PTR_NOT_NULL(strstr(rec.out, "3760 node.drain.failed a-2;"));
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.failed")], 1);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.unfinished")], 0);
    cs_result_fini(&r);
    cs_config_free(cfg);

    snprintf(yaml, sizeof yaml, drain_cluster,
             "    - {at: 1h, action: drain, node: a-0}\n    - {at: 3601s, action: drain, node: a-1}\n"
             "    - {at: 3700s, action: drain, node: a-2}\n");
    cfg = load(yaml);
    r = run_one(cfg, 1, 0);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.failed")], 0);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.unfinished")], 1);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* An unready pod (its node's kubelet reports NotReady at 1h: the pod is down, seen at once)
 * under a budget of minAvailable 2 with 1 healthy: IfHealthyBudget refuses its eviction
 * (currentHealthy 1 < desiredHealthy 2, no disruption allowed), AlwaysAllow lets it go. */
static void test_unhealthy_pod_eviction_policy(void)
{
    static const char *fmt = HEADER
        "  duration: 2h\n"
        "  cluster:\n    nodePools:\n      - {name: b, count: 2, allocatable: {cpu: '4', memory: 8Gi, pods: 1}}\n"
        "  workloads:\n    - {name: db, replicas: 2, disruptionBudget: {minAvailable: 2%s}}\n"
        "  timeline:\n    - {at: 1h, action: nodeFailure, node: b-1, mode: notReady}\n"
        "    - {at: 3610s, action: drain, node: b-1}\n";
    char yaml[1024];
    snprintf(yaml, sizeof yaml, fmt, "");
    cs_config *cfg = load(yaml);
    static const char *const want[] = {"node.drained", NULL};
    recorder rec = {.want = want};
    cs_trace_sink sink = {.fn = record, .ctx = &rec};
    cs_rep_result r = run_traced(cfg, 1, 0, &sink);
    /* Refused at 3610 s, 3615 s, ..., 3895 s (58 times). The not-ready taint came at 3600 s; the
     * pod tolerates it for 300 s and the taint manager deletes it at 3900 s, just before the
     * retry of 3900 s, which finds no pod (404) and ends the drain. */
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "evictions.refused")], 58);
    CU_ASSERT_STRING_EQUAL(rec.out, "3900 node.drained b-1;");
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "pods.deleted.DeletionByTaintManager")], 1);
    cs_result_fini(&r);
    cs_config_free(cfg);

    /* AlwaysAllow: evicted at 3610 s. But the node is down: no kubelet confirms the deletion,
     * the pod stays Terminating (the taint manager's own deletion changes nothing), and
     * kubectl's wait for it never ends, as it does not on a NotReady node upstream. */
    snprintf(yaml, sizeof yaml, fmt, ", unhealthyPodEvictionPolicy: AlwaysAllow");
    cfg = load(yaml);
    r = run_one(cfg, 1, 0);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.completed")], 0);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.unfinished")], 1);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "evictions.accepted")], 1);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "pods.deleted.DeletionByTaintManager")], 0);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* A pod evicted from a node that is down stays Terminating until the node is back: b-1's
 * kubelet reports NotReady at 1h, the drain at 1h + 10 s evicts its pod (no budget), and the
 * drain ends when b-1 returns at 1h30m and its kubelet finds the pod deleted. */
static void test_a_drain_of_a_down_node_waits_for_the_node(void)
{
    cs_config *cfg = load(HEADER "  duration: 2h\n"
                                 "  cluster:\n    nodePools:\n"
                                 "      - {name: b, count: 2, allocatable: {cpu: '4', memory: 8Gi, pods: 1}}\n"
                                 "  workloads:\n    - {name: db, replicas: 2}\n"
                                 "  timeline:\n    - {at: 1h, action: nodeFailure, node: b-1, mode: notReady, duration: 30m}\n"
                                 "    - {at: 3610s, action: drain, node: b-1}\n");
    static const char *const want[] = {"node.drained", NULL};
    recorder rec = {.want = want};
    cs_trace_sink sink = {.fn = record, .ctx = &rec};
    cs_rep_result r = run_traced(cfg, 1, 0, &sink);
    CU_ASSERT_STRING_EQUAL(rec.out, "5400 node.drained b-1;");
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "pods.deleted.EvictionByEvictionAPI")], 1);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* kubectl drain --ignore-daemonsets leaves the DaemonSet's pod: n-0's web pod is evicted at 1h
 * and gone 30 s later (the whole grace period), when the drain ends; agent stays on n-0. With
 * --grace-period 5 the pod has 5 s. */
static void drain_with_daemonset(const char *extra, const char *want_trace)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             HEADER "  duration: 2h\n"
                    "  cluster:\n    nodePools:\n"
                    "      - {name: n, count: 2, allocatable: {cpu: '4', memory: 8Gi}}\n"
                    "  workloads:\n    - {name: agent, kind: DaemonSet}\n"
                    "    - {name: web, replicas: 2, resources: {requests: {cpu: '1'}}}\n"
                    "  timeline:\n    - {at: 1h, action: drain, node: n-0%s}\n",
             extra);
    cs_config *cfg = load(yaml);
    static const char *const want[] = {"node.drained", NULL};
    recorder rec = {.want = want};
    cs_trace_sink sink = {.fn = record, .ctx = &rec};
    cs_rep_result r;
    CU_ASSERT_EQUAL_FATAL(cs_result_init(&r, cfg), CS_OK);
    cs_world *w = cs_world_new(cfg, 1, 0, &sink);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    cs_world_result(w, &r);
    CU_ASSERT_STRING_EQUAL(rec.out, want_trace);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "evictions.accepted")], 1);
    CU_ASSERT_EQUAL(w->nodes[0].requested.pods, 1);   /* agent's pod */
    CU_ASSERT_EQUAL(w->nodes[1].requested.pods, 3);   /* agent's, web's and web's replacement */
    cs_world_free(w);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

static void test_a_drain_leaves_daemonset_pods(void)
{
    drain_with_daemonset("", "3630 node.drained n-0;");
    drain_with_daemonset(", gracePeriod: 5", "3605 node.drained n-0;");
}

/* A budget over a DaemonSet's pods: an integer minAvailable needs no scale (3 pods, 3 healthy,
 * minAvailable 2: one allowed); maxUnavailable needs the controller's scale, which a DaemonSet
 * has not, so the disruption controller's sync fails and failSafe allows none. */
static void test_a_budget_over_daemonset_pods_needs_no_scale_or_allows_nothing(void)
{
    static const char *const budgets[] = {"minAvailable: 2", "maxUnavailable: 1"};
    static const int32_t allowed[] = {1, 0};
    for (int i = 0; i < 2; i++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 HEADER "  duration: 1h\n  cluster:\n    nodePools:\n"
                        "      - {name: n, count: 3, allocatable: {cpu: '4', memory: 8Gi}}\n"
                        "  workloads:\n    - {name: agent, kind: DaemonSet, disruptionBudget: {%s}}\n",
                 budgets[i]);
        cs_config *cfg = load(yaml);
        cs_world *w = cs_world_new(cfg, 1, 0, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(w);
        cs_pdb_status st;
        cs_pdb_status_of(w, 0, &st);
        CU_ASSERT_EQUAL(st.healthy, 3);
        CU_ASSERT_EQUAL(st.allowed, allowed[i]);
        cs_world_free(w);
        cs_config_free(cfg);
    }
}

/* disruption.go arithmetic, by hand, on five Ready pods of `api` (a Deployment) and two of
 * `solo` (kind Pod, from no controller here: a scenario workload is a Deployment, so the
 * manifest's Pod makes the unmanaged case). */
static void test_pdb_arithmetic_follows_the_disruption_controller(void)
{
    cs_config *cfg = NULL;
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_file(CS_TEST_DATA "/manifests/scenario/with-pdbs.yaml", &cfg, &d), CS_OK);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    static const struct {
        const char *name;
        int32_t expected, healthy, desired, allowed;
    } want[] = {
        {"api", 5, 5, 3, 2},            /* disruptionBudget maxUnavailable 25%: ceil(1.25) = 2, 5 - 2 = 3 */
        {"min-int", 5, 5, 4, 1},        /* minAvailable 4: expectedPods = the 5 pods */
        {"min-percent", 5, 5, 3, 2},    /* minAvailable 60%: ceil(3.0) = 3 of the scale 5 */
        {"min-rounds-up", 5, 5, 4, 1},  /* minAvailable 61%: ceil(3.05) = 4 */
        {"too-many", 5, 5, 6, 0},       /* minAvailable 6 > 5 healthy: none allowed */
        {"neither", 0, 5, 0, 0},        /* no minAvailable nor maxUnavailable: expectedCount 0 */
        {"max-all", 5, 5, 0, 5},        /* maxUnavailable 100% */
        {"unmanaged", 0, 1, 0, 0},      /* a bare Pod: left out of the scale, so expectedCount 0 */
        {"by-expression", 6, 6, 5, 1},  /* tier In [backend] matches api and solo: 6 pods, min 5 */
        {"empty-selector", 0, 0, 0, 0}, /* selector {} selects every pod: the checks below */
    };
    CU_ASSERT_EQUAL_FATAL(cfg->n_pdbs, sizeof want / sizeof want[0]);
    for (uint32_t i = 0; i + 1 < cfg->n_pdbs; i++) {
        cs_pdb_status st;
        cs_pdb_status_of(w, i, &st);
        CU_ASSERT_STRING_EQUAL(cfg->pdbs[i].name, want[i].name);
        if (st.expected != want[i].expected || st.healthy != want[i].healthy || st.desired != want[i].desired ||
            st.allowed != want[i].allowed)
            fprintf(stderr, "\n%s: expected %d healthy %d desired %d allowed %d\n", want[i].name, st.expected,
                    st.healthy, st.desired, st.allowed);
        CU_ASSERT_EQUAL(st.expected, want[i].expected);
        CU_ASSERT_EQUAL(st.healthy, want[i].healthy);
        CU_ASSERT_EQUAL(st.desired, want[i].desired);
        CU_ASSERT_EQUAL(st.allowed, want[i].allowed);
    }
    /* The empty selector selects all 6 pods and no budget value: allowed 0. */
    cs_pdb_status st;
    cs_pdb_status_of(w, cfg->n_pdbs - 1, &st);
    CU_ASSERT_EQUAL(st.healthy, 6);
    CU_ASSERT_EQUAL(st.allowed, 0);
    /* api is selected by api, min-int, ..., by-expression and empty-selector: an eviction of one
     * of its pods is a 500 (more than one budget). */
    uint32_t n = 0;
    cs_workload_pdbs(w, 0, &n);
    CU_ASSERT(n > 1);
    CU_ASSERT_EQUAL(cs_pod_evict(w, 0, -1), CS_EVICTION_ERROR);
    cs_world_free(w);
    /* So the drain of p-0 at 30m meets only errors: kubectl reports it failed at once, and
     * its pods stay. */
    static const char *const drains[] = {"node.drain", NULL};
    recorder rec = {.want = drains};
    cs_trace_sink sink = {.fn = record, .ctx = &rec};
    cs_rep_result r = run_traced(cfg, 1, 0, &sink);
    CU_ASSERT_STRING_EQUAL(rec.out, "1800 node.drain.started p-0;1800 node.drain.failed p-0;");
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.failed")], 1);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "evictions.accepted")], 0);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* A replaced machine. replaced-0 fails at exactly 1h (a constant time to failure). NotReady at
 * 3650 s: the Node is deleted; the pod GC's pass at 3660 s sees it, the one at 3700 s (40 s of
 * quarantine) deletes its pod, whose replacement lands on keep-0 and is Ready at 3710 s. The
 * fresh machine registers at 1h + 10m. */
static void test_a_replaced_node_goes_away_with_its_pods_and_a_fresh_one_joins(void)
{
    cs_config *cfg = load(HEADER "  duration: 2h\n"
                                 "  cluster:\n    nodePools:\n"
                                 "      - name: replaced\n        count: 1\n"
                                 "        allocatable: {cpu: '4', memory: 8Gi, pods: 1}\n"
                                 "        failures: {timeToFailure: 1h, replace: {provisioningTime: 10m}}\n"
                                 "      - {name: keep, count: 1, allocatable: {cpu: '4', memory: 8Gi, pods: 2}}\n"
                                 "  workloads:\n    - {name: w, replicas: 2, resources: {requests: {cpu: '1'}}}\n"
                                 "  properties:\n    - {name: two, type: availability, workload: w, minReady: 2}\n"
                                 "    - {name: accounted, type: noPodLost}\n");
    static const char *const want[] = {"node.", "pod.deleted", NULL};
    recorder rec = {.want = want};
    cs_trace_sink sink = {.fn = record, .ctx = &rec};
    cs_rep_result r = run_traced(cfg, 1, 0, &sink);
    CU_ASSERT_STRING_EQUAL(rec.out, "3600 node.failed replaced-0;3650 node.notready replaced-0;"
                                    "3650 node.deleted replaced-0;3700 pod.deleted replaced-0;"
                                    "4200 node.registered replaced-0;4200 node.ready replaced-0;");
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].violation_s, 110, 1e-9);
    CU_ASSERT_TRUE(r.props[1].held);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "nodes.replaced")], 1);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "pods.deleted.DeletionByPodGC")], 1);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

static const char *toleration_cluster = HEADER
    "  duration: 2h\n"
    "  cluster:\n%s    nodePools:\n      - {name: n, count: 2, allocatable: {cpu: '4', memory: 8Gi}}\n"
    "  workloads:\n    - name: w\n      replicas: 2\n      startupTime: 10s\n"
    "      resources: {requests: {cpu: '3'}}\n%s"
    "  timeline:\n    - {at: 1h, action: nodeFailure, node: n-0, duration: 1h%s}\n"
    "  properties:\n    - {name: both, type: availability, workload: w, minReady: 2}\n";

/* When the pod lost with n-0 at 1h is deleted (read off the trace), or -1. */
static double deleted_at(const char *cluster, const char *tolerations, const char *mode)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, toleration_cluster, cluster, tolerations, mode);
    cs_config *cfg = load(yaml);
    static const char *const want[] = {"pod.deleted", NULL};
    recorder rec = {.want = want};
    cs_trace_sink sink = {.fn = record, .ctx = &rec};
    cs_rep_result r = run_traced(cfg, 1, 0, &sink);
    double t = -1;
    if (rec.len > 0)
        sscanf(rec.out, "%lf", &t);
    cs_result_fini(&r);
    cs_config_free(cfg);
    return t;
}

static void test_eviction_times_follow_the_tolerations(void)
{
    /* nodeMonitorGracePeriod 50 s + DefaultTolerationSeconds 300 s. */
    CU_ASSERT_DOUBLE_EQUAL(deleted_at("", "", ""), 3600 + 50 + 300, 1e-9);
    /* The scenario's settings. */
    CU_ASSERT_DOUBLE_EQUAL(deleted_at("    nodeMonitorGracePeriod: 20s\n    defaultUnreachableTolerationSeconds: 30\n",
                                      "", ""),
                           3600 + 20 + 30, 1e-9);
    /* A kubelet reporting NotReady is seen at once, and the not-ready default applies. */
    CU_ASSERT_DOUBLE_EQUAL(deleted_at("    defaultNotReadyTolerationSeconds: 100\n", "", ", mode: notReady"),
                           3600 + 0 + 100, 1e-9);
    /* The pod's own tolerationSeconds for the unreachable taint. */
    CU_ASSERT_DOUBLE_EQUAL(
        deleted_at("",
                   "      tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute,"
                   " tolerationSeconds: 60}]\n",
                   ""),
        3600 + 50 + 60, 1e-9);
    /* ...which does not cover the not-ready taint: that one gets the default 300 s. */
    CU_ASSERT_DOUBLE_EQUAL(
        deleted_at("",
                   "      tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute,"
                   " tolerationSeconds: 60}]\n",
                   ", mode: notReady"),
        3600 + 300, 1e-9);
    /* tolerationSeconds 0 (or less) evicts at once. */
    CU_ASSERT_DOUBLE_EQUAL(deleted_at("",
                                      "      tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists,"
                                      " effect: NoExecute, tolerationSeconds: -5}]\n",
                                      ""),
                           3600 + 50, 1e-9);
    /* Equal with a value the taint does not have: the admission plugin sees a toleration for the
     * key and adds none, but it does not tolerate the taint: evicted as the taint comes. */
    CU_ASSERT_DOUBLE_EQUAL(deleted_at("",
                                      "      tolerations: [{key: node.kubernetes.io/unreachable, operator: Equal,"
                                      " value: x, effect: NoExecute, tolerationSeconds: 900}]\n",
                                      ""),
                           3600 + 50, 1e-9);
    /* No seconds: never evicted, so no pod is deleted at all. */
    CU_ASSERT_DOUBLE_EQUAL(
        deleted_at("", "      tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}]\n",
                   ""),
        -1, 0);
}

/* Cordoned nodes take no new pods (NodeUnschedulable) unless the pod tolerates
 * node.kubernetes.io/unschedulable:NoSchedule; a Node manifest's spec.unschedulable counts too.
 * n-0 cordoned at 0 and n-1 by its spec: the scale-up from 1 to 5 at 10m puts every new pod
 * on n-2, except the tolerating workload's, which may go anywhere (here: the emptiest). */
static void test_cordoned_nodes_take_no_new_pods(void)
{
    cs_config *cfg = load(HEADER "  duration: 1h\n"
                                 "  cluster:\n    nodePools:\n"
                                 "      - {name: n, count: 3, allocatable: {cpu: '8', memory: 8Gi}}\n"
                                 "  workloads:\n"
                                 "    - {name: w, replicas: 0, resources: {requests: {cpu: '1'}}}\n"
                                 "    - name: t\n      replicas: 0\n      resources: {requests: {cpu: '1'}}\n"
                                 "      tolerations: [{key: node.kubernetes.io/unschedulable, operator: Exists,"
                                 " effect: NoSchedule}]\n"
                                 "  timeline:\n    - {at: 0s, action: cordon, pool: n}\n"
                                 "    - {at: 1s, action: uncordon, node: n-2}\n"
                                 "    - {at: 10m, action: scale, workload: w, replicas: 4}\n"
                                 "    - {at: 20m, action: scale, workload: t, replicas: 3}\n");
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    /* w: all 4 on n-2 (4 CPU). t: LeastAllocated puts them on n-0 and n-1 (empty) first, then the
     * third on one of them or n-2: n-0 and n-1 hold 3 between them at least 2. */
    CU_ASSERT_EQUAL(w->nodes[2].requested.pods, 4 + (3 - w->nodes[0].requested.pods - w->nodes[1].requested.pods));
    CU_ASSERT(w->nodes[0].requested.pods + w->nodes[1].requested.pods >= 2);
    CU_ASSERT_TRUE(w->nodes[0].unschedulable);
    CU_ASSERT_FALSE(w->nodes[2].unschedulable);
    cs_world_free(w);
    cs_config_free(cfg);
}

/* A rolling upgrade of pool a, one node at a time, 5 minutes each, under web's budget. At 1h
 * a-0's pod is evicted (its replacement goes to spare); a-0 is drained when the pod is gone
 * (+20 s), stops, and is back 5 minutes later, uncordoned; then a-1 (its pod's replacement goes
 * to a-0), then a-2 (to a-1). Each replacement is Ready 30 s after its eviction, long before the
 * next drain, so no eviction is refused. */
static void test_a_rolling_upgrade_goes_node_by_node(void)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, drain_cluster, "    - {at: 1h, action: drain, pool: a, upgradeTime: 5m}\n");
    cs_config *cfg = load(yaml);
    static const char *const want[] = {"node.drained", "node.uncordoned", "node.stopped", NULL};
    recorder rec = {.want = want};
    cs_trace_sink sink = {.fn = record, .ctx = &rec};
    cs_rep_result r = run_traced(cfg, 1, 0, &sink);
    CU_ASSERT_STRING_EQUAL(rec.out, "3620 node.drained a-0;3620 node.stopped a-0;3920 node.uncordoned a-0;"
                                    "3940 node.drained a-1;3940 node.stopped a-1;4240 node.uncordoned a-1;"
                                    "4260 node.drained a-2;4260 node.stopped a-2;4560 node.uncordoned a-2;");
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "evictions.refused")], 0);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.completed")], 3);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.longest_s")], 20);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "upgrades.completed")], 1);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "upgrades.duration_s")], 4560 - 3600);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "nodes.failures")], 0);   /* planned stops are not failures */
    CU_ASSERT_TRUE(r.props[0].held);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* Correlated failures: every hour (a constant interval) half of the 4 nodes fail together,
 * chosen at random; in 90 minutes that happens once: 2 failures. A timeline failure of 25% of
 * 6 nodes rounds up to 2. */
static void test_correlated_failures_take_a_share_of_the_pool(void)
{
    cs_config *cfg = load(HEADER "  duration: 90m\n"
                                 "  cluster:\n    nodePools:\n"
                                 "      - name: c\n        count: 4\n        allocatable: {cpu: '4', memory: 8Gi}\n"
                                 "        failures: {correlated: {interval: 1h, count: 50%}, timeToRepair: 10m}\n"
                                 "      - {name: t, count: 6, allocatable: {cpu: '4', memory: 8Gi}}\n"
                                 "  timeline:\n    - {at: 10m, action: nodeFailure, pool: t, count: 25%}\n");
    cs_rep_result r = run_one(cfg, 1, 0);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "nodes.failures")], 4);
    /* c: 2 down from 1h to 1h10m; t: 2 down from 10m to the end (no duration). */
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric(cfg, "nodes.up_mean")], 10 - (2.0 * 600 + 2.0 * 4800) / 5400, 1e-12);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* A zone outage with an exact outcome. Three nodes, one per zone, one pod of web each (pods of
 * 3 CPU on 4-CPU nodes, plus room on nothing else but a fourth node in zone a). zone-b goes
 * down at 1h for 1h: its pod is lost at 1h, evicted at 1h + 50 s + 300 s, and its replacement
 * lands on a-extra (zone a) and is Ready 10 s later: minReady 3 is short 360 s. The pods never
 * move back, so from 1h to the end web runs in two zones only: minZones 3 is violated 7200 s;
 * on three distinct nodes again from 1h + 360 s: minNodes 3 short 360 s as well. */
static void test_zone_outage_spread_properties(void)
{
    cs_config *cfg = load(HEADER "  duration: 3h\n"
                                 "  cluster:\n    nodePools:\n"
                                 "      - {name: z, count: 3, zones: [a, b, c], allocatable: {cpu: '4', memory: 8Gi}}\n"
                                 "      - name: extra\n        count: 1\n        zones: [a]\n"
                                 "        allocatable: {cpu: '4', memory: 8Gi}\n"
                                 "        taints: [{key: extra, effect: PreferNoSchedule}]\n"
                                 "  workloads:\n    - {name: web, replicas: 3, resources: {requests: {cpu: '3'}}}\n"
                                 "  timeline:\n    - {at: 1h, action: zoneOutage, zone: b, duration: 1h}\n"
                                 "  properties:\n"
                                 "    - {name: three, type: availability, workload: web, minReady: 3}\n"
                                 "    - {name: zones, type: availability, workload: web, minReady: 0, minZones: 3}\n"
                                 "    - {name: nodes, type: availability, workload: web, minReady: 0, minNodes: 3}\n");
    cs_rep_result r = run_one(cfg, 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].violation_s, 360, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.props[1].violation_s, 7200, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.props[1].first_violation_s, 3600, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.props[2].violation_s, 360, 1e-9);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* noPodLost counts a deletion without a reason, the one way a pod can vanish unaccounted. */
static void test_a_pod_deleted_without_a_reason_is_lost(void)
{
    cs_config *cfg = load(HEADER "  duration: 1h\n"
                                 "  cluster:\n    nodePools:\n      - {name: n, count: 1, allocatable: {cpu: '4', memory: 8Gi}}\n"
                                 "  workloads:\n    - {name: w, replicas: 1}\n"
                                 "  properties:\n    - {name: accounted, type: noPodLost}\n");
    cs_rep_result r;
    CU_ASSERT_EQUAL_FATAL(cs_result_init(&r, cfg), CS_OK);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    cs_pod_delete(w, 0, NULL);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    cs_world_result(w, &r);
    CU_ASSERT_FALSE(r.props[0].held);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "pods.lost")], 1);
    cs_world_free(w);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* The node lifecycle's zone tainter. Zone b (3 nodes) goes dark at 1h: fully disrupted, it
 * keeps the normal rate of 0.1 nodes/s with a full bucket, so its nodes get the NoExecute taint
 * 50 s later one every 10 s. */
static void test_a_dark_zone_is_tainted_one_node_every_10s(void)
{
    cs_config *cfg = load(HEADER "  duration: 2h\n"
                                 "  cluster:\n    nodePools:\n"
                                 "      - {name: n, count: 9, zones: [a, b, c], allocatable: {cpu: '4', memory: 8Gi}}\n"
                                 "  timeline:\n    - {at: 1h, action: zoneOutage, zone: b, duration: 30m}\n");
    static const char *const want[] = {"node.tainted", "nodelifecycle", NULL};
    recorder rec = {.want = want};
    cs_trace_sink sink = {.fn = record, .ctx = &rec};
    cs_rep_result r = run_traced(cfg, 1, 0, &sink);
    CU_ASSERT_STRING_EQUAL(rec.out, "3650 node.tainted n-1;3660 node.tainted n-4;3670 node.tainted n-7;");
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* Zone a of 4 nodes loses 3 at once: more than 2 and 75% >= 55% not Ready is a partial
 * disruption, and a zone of at most 50 nodes then gets no evictions at all (ReducedQPSFunc):
 * no node is tainted, and the pods wait for their nodes. Two nodes alone (zone b) stay
 * Normal. */
static void test_a_small_zone_in_partial_disruption_evicts_nothing(void)
{
    cs_config *cfg = load(HEADER "  duration: 2h\n"
                                 "  cluster:\n    nodePools:\n"
                                 "      - {name: a, count: 4, zones: [a], allocatable: {cpu: '4', memory: 8Gi}}\n"
                                 "      - {name: b, count: 1, zones: [b], allocatable: {cpu: '4', memory: 8Gi}}\n"
                                 "  workloads:\n    - {name: w, replicas: 5, resources: {requests: {cpu: '3'}}}\n"
                                 "  timeline:\n    - {at: 1h, action: nodeFailure, node: a-0}\n"
                                 "    - {at: 1h, action: nodeFailure, node: a-1}\n"
                                 "    - {at: 1h, action: nodeFailure, node: a-2}\n");
    static const char *const want[] = {"node.tainted", NULL};
    recorder rec = {.want = want};
    cs_trace_sink sink = {.fn = record, .ctx = &rec};
    cs_rep_result r = run_traced(cfg, 1, 0, &sink);
    CU_ASSERT_STRING_EQUAL(rec.out, "");
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "pods.deleted.DeletionByTaintManager")], 0);
    cs_result_fini(&r);
    cs_config_free(cfg);
    /* The same with largeClusterSizeThreshold 3: the zone is "large", so the secondary rate
     * (0.01/s: one node per 100 s) applies to a bucket that still holds its token. */
    cfg = load(HEADER "  duration: 2h\n"
                      "  cluster:\n    largeClusterSizeThreshold: 3\n    nodePools:\n"
                      "      - {name: a, count: 4, zones: [a], allocatable: {cpu: '4', memory: 8Gi}}\n"
                      "      - {name: b, count: 1, zones: [b], allocatable: {cpu: '4', memory: 8Gi}}\n"
                      "  timeline:\n    - {at: 1h, action: nodeFailure, node: a-0}\n"
                      "    - {at: 1h, action: nodeFailure, node: a-1}\n"
                      "    - {at: 1h, action: nodeFailure, node: a-2}\n");
    rec.len = 0;
    rec.out[0] = '\0';
    r = run_traced(cfg, 1, 0, &sink);
    CU_ASSERT_STRING_EQUAL(rec.out, "3650 node.tainted a-0;3750 node.tainted a-1;3850 node.tainted a-2;");
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* Both nodes of the only zone fail: every zone is fully disrupted, the controller enters master
 * disruption mode and taints nothing. n-0 is back at 1h30m: the mode ends with a drained
 * bucket (SwapLimiter from the never-limiter), so n-1 is tainted 10 s later. */
static void test_master_disruption_mode_stops_evictions(void)
{
    cs_config *cfg = load(HEADER "  duration: 2h\n"
                                 "  cluster:\n    nodePools:\n"
                                 "      - {name: n, count: 2, allocatable: {cpu: '4', memory: 8Gi}}\n"
                                 "  timeline:\n    - {at: 1h, action: nodeFailure, node: n-0, duration: 30m}\n"
                                 "    - {at: 1h, action: nodeFailure, node: n-1}\n");
    static const char *const want[] = {"node.tainted", "nodelifecycle", NULL};
    recorder rec = {.want = want};
    cs_trace_sink sink = {.fn = record, .ctx = &rec};
    cs_rep_result r = run_traced(cfg, 1, 0, &sink);
    CU_ASSERT_STRING_EQUAL(rec.out, "3650 nodelifecycle.masterDisruption ;5410 node.tainted n-1;");
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* The example scenarios run as they are: the upgrade drains all six nodes within budget. */
static void test_the_example_scenarios_run(void)
{
    cs_config *cfg = NULL;
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_file(CS_SOURCE_DIR "/scenarios/node-upgrade.yaml", &cfg, &d), CS_OK);
    cs_rep_result r = run_one(cfg, cfg->seed, 0);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "drains.completed")], 6);
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "nodes.failures")], 0);
    for (uint32_t i = 0; i < cfg->n_properties; i++)
        CU_ASSERT_TRUE(r.props[i].held);
    cs_result_fini(&r);
    cs_config_free(cfg);
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_file(CS_SOURCE_DIR "/scenarios/zone-outage.yaml", &cfg, &d), CS_OK);
    r = run_one(cfg, cfg->seed, 0);
    CU_ASSERT(r.metrics[metric(cfg, "nodes.failures")] >= 4);   /* zone-b's four, at least */
    CU_ASSERT_EQUAL(r.metrics[metric(cfg, "pods.lost")], 0);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"a drain waits for the budget and retries every 5 s", test_a_drain_waits_for_the_budget_and_retries_every_5s},
    {"disableEviction bypasses the budget, and pdb sees it",
     test_disable_eviction_bypasses_the_budget_and_the_pdb_property_sees_it},
    {"a blocked drain times out or stays unfinished", test_a_blocked_drain_times_out_or_stays_unfinished},
    {"unhealthyPodEvictionPolicy", test_unhealthy_pod_eviction_policy},
    {"a drain of a down node waits for the node", test_a_drain_of_a_down_node_waits_for_the_node},
    {"a drain leaves DaemonSet pods", test_a_drain_leaves_daemonset_pods},
    {"PDB arithmetic follows the disruption controller", test_pdb_arithmetic_follows_the_disruption_controller},
    {"a budget over DaemonSet pods", test_a_budget_over_daemonset_pods_needs_no_scale_or_allows_nothing},
    {"a replaced node goes away with its pods, a fresh one joins",
     test_a_replaced_node_goes_away_with_its_pods_and_a_fresh_one_joins},
    {"eviction times follow the tolerations", test_eviction_times_follow_the_tolerations},
    {"cordoned nodes take no new pods", test_cordoned_nodes_take_no_new_pods},
    {"a rolling upgrade goes node by node", test_a_rolling_upgrade_goes_node_by_node},
    {"correlated failures take a share of the pool", test_correlated_failures_take_a_share_of_the_pool},
    {"zone outage: spread properties", test_zone_outage_spread_properties},
    {"a pod deleted without a reason is lost", test_a_pod_deleted_without_a_reason_is_lost},
    {"a dark zone is tainted one node every 10 s", test_a_dark_zone_is_tainted_one_node_every_10s},
    {"a small zone in partial disruption evicts nothing", test_a_small_zone_in_partial_disruption_evicts_nothing},
    {"master disruption mode stops evictions", test_master_disruption_mode_stops_evictions},
    {"the example scenarios run", test_the_example_scenarios_run},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_disruption_suite = {.pName = "disruption", .pTests = tests};
