/* test_preempt.c -- DefaultPreemption against victims and nodes worked out by hand from
 * default_preemption.go SelectVictimsOnNode (the reprieve loop) and preemption.go
 * pickOneNodeForPreemption (its criteria in order), with the nomination that keeps the freed
 * space for the preemptor. Victims are pinned to their nodes with nodeName; the preemptor
 * (priority 100, 2 CPU) is created at 10 s. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "../models/model.h"
#include "test_util.h"

typedef struct seen {
    cs_time t;
    char type[24], workload[16], node[16], reason[16];
} seen;

typedef struct log {
    seen e[64];
    uint32_t n;
} log_t;

static void record(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    log_t *l = ctx;
    if ((strcmp(type, "pod.deleted") != 0 && strcmp(type, "pod.bound") != 0 && strcmp(type, "pod.nominated") != 0) ||
        l->n == 64 || t == 0)
        return;
    seen *s = &l->e[l->n++];
    memset(s, 0, sizeof *s);
    s->t = t;
    snprintf(s->type, sizeof s->type, "%s", type);
    for (size_t i = 0; i < n; i++) {
        char *dst = strcmp(f[i].key, "workload") == 0 ? s->workload
                    : strcmp(f[i].key, "node") == 0   ? s->node
                    : strcmp(f[i].key, "reason") == 0 ? s->reason
                                                      : NULL;
        if (dst != NULL && f[i].kind == CS_FIELD_STR)
            snprintf(dst, 16, "%s", f[i].s);
    }
}

#define PREEMPT_HEAD                                                                                     \
    "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: p}\nspec:\n  duration: 1m\n" \
    "  timeline: [{at: 10s, action: scale, workload: hi, replicas: 1}%s]\n"                              \
    "  cluster:\n    nodePools: [{name: n, count: %d, allocatable: {cpu: '%d', memory: 8Gi}}]\n"         \
    "  workloads:\n"                                                                                     \
    "    - {name: hi, replicas: 0, priority: 100%s, resources: {requests: {cpu: '2'}}}\n"

/* Runs the scenario (PREEMPT_HEAD's blanks, then the victims' workloads) and returns the log of
 * deletions, bindings and nominations after t = 0. */
static log_t run(const char *timeline, int nodes, int cpu, const char *hi_extra, const char *victims)
{
    char yaml[2048];
    int len = snprintf(yaml, sizeof yaml, PREEMPT_HEAD, timeline, nodes, cpu, hi_extra);
    snprintf(yaml + len, sizeof yaml - (size_t)len, "%s", victims);
    static log_t l;
    memset(&l, 0, sizeof l);
    cs_trace_sink sink = {.fn = record, .ctx = &l};
    cs_config *cfg = load(yaml);
    cs_world *w = cs_world_new(cfg, 1, 0, &sink);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    cs_world_free(w);
    cs_config_free(cfg);
    return l;
}

/* The deleted workloads, in order, joined by spaces; and where and when hi was bound. */
static void summary(const log_t *l, char *deleted, size_t size, char *hi_node, cs_time *hi_at)
{
    deleted[0] = hi_node[0] = '\0';
    *hi_at = -1;
    for (uint32_t i = 0; i < l->n; i++) {
        const seen *s = &l->e[i];
        if (strcmp(s->type, "pod.deleted") == 0) {
            CU_ASSERT_STRING_EQUAL(s->reason, "Preempted");
            size_t used = strlen(deleted);
            snprintf(deleted + used, size - used, "%s%s", used > 0 ? " " : "", s->workload);
        } else if (strcmp(s->type, "pod.bound") == 0 && strcmp(s->workload, "hi") == 0) {
            snprintf(hi_node, 16, "%s", s->node);
            *hi_at = s->t;
        }
    }
}

static void expect(const log_t *l, const char *want_deleted, const char *want_node, cs_time want_at)
{
    char deleted[256], node[16];
    cs_time at;
    summary(l, deleted, sizeof deleted, node, &at);
    if (strcmp(deleted, want_deleted) != 0 || strcmp(node, want_node) != 0)
        fprintf(stderr, "\ndeleted '%s' (want '%s'), hi on '%s' (want '%s')\n", deleted, want_deleted, node, want_node);
    CU_ASSERT_STRING_EQUAL(deleted, want_deleted);
    CU_ASSERT_STRING_EQUAL(node, want_node);
    CU_ASSERT_EQUAL(at, want_at);
}

static void test_the_reprieve_loop_keeps_all_it_can(void)
{
    /* One node of 4 CPU full with p10 (1 CPU), p20 (2) and p30 (1). All three removed, hi fits.
     * Reprieve from the most important: p30 back (1 + 2 <= 4), p20 back would make 5: victim;
     * p10 back (1 + 1 + 2 = 4): kept. Victims {p20} (not p10, the lowest, which frees too
     * little). p20 terminates for its grace period (30 s, the default), holding its CPU, and
     * its replacement finds hi nominated on n-0 (priority 100 >= 20) and stays Pending. A
     * graceful deletion is no event for hi, which waits in unschedulablePods until p20 is gone
     * at 40 s, and then binds to n-0 at once. */
    log_t l = run("", 1, 4, "",
                  "    - {name: p10, replicas: 1, priority: 10, nodeName: n-0, resources: {requests: {cpu: '1'}}}\n"
                  "    - {name: p20, replicas: 1, priority: 20, nodeName: n-0, resources: {requests: {cpu: '2'}}}\n"
                  "    - {name: p30, replicas: 1, priority: 30, nodeName: n-0, resources: {requests: {cpu: '1'}}}\n");
    expect(&l, "p20", "n-0", 40 * CS_SECOND);
    CU_ASSERT_STRING_EQUAL(l.e[0].type, "pod.nominated");
    CU_ASSERT_EQUAL(l.e[0].t, 10 * CS_SECOND);
    CU_ASSERT_STRING_EQUAL(l.e[0].node, "n-0");
    CU_ASSERT_STRING_EQUAL(l.e[1].type, "pod.deleted");
    CU_ASSERT_EQUAL(l.e[1].t, 40 * CS_SECOND);
}

static void test_the_lowest_highest_victim_priority_wins(void)
{
    /* n-0 would lose a5 (one pod, priority 5); n-1 both b3 (priority 3, sum and count worse).
     * The lowest highest-victim priority comes first: n-1. */
    log_t l = run("", 2, 2, "",
                  "    - {name: a5, replicas: 1, priority: 5, nodeName: n-0, resources: {requests: {cpu: '2'}}}\n"
                  "    - {name: b3, replicas: 2, priority: 3, nodeName: n-1, resources: {requests: {cpu: '1'}}}\n");
    expect(&l, "b3 b3", "n-1", 40 * CS_SECOND);
}

static void test_the_priority_sum_counts_each_victim_from_min_int32(void)
{
    /* Highest victim priority 4 on both. Raw sums: n-0 4, n-1 4 + (-10) = -6, which would pick
     * n-1; with MaxInt32 + 1 added per victim n-0 has 4 + 2^31 against 2^32 - 6: n-0. */
    log_t l = run("", 2, 2, "",
                  "    - {name: c4, replicas: 1, priority: 4, nodeName: n-0, resources: {requests: {cpu: '2'}}}\n"
                  "    - {name: d4, replicas: 1, priority: 4, nodeName: n-1, resources: {requests: {cpu: '1'}}}\n"
                  "    - {name: dneg, replicas: 1, priority: -10, nodeName: n-1, resources: {requests: {cpu: '1'}}}\n");
    expect(&l, "c4", "n-0", 40 * CS_SECOND);
}

static void test_the_latest_started_victims_lose(void)
{
    /* e4 on n-0 started at 0, f4 on n-1 at 5 s: a tie on priority, sum and count; the node
     * whose highest-priority victims started latest is chosen: n-1. */
    log_t l = run(", {at: 5s, action: scale, workload: f4, replicas: 1}", 2, 2, "",
                  "    - {name: e4, replicas: 1, priority: 4, nodeName: n-0, resources: {requests: {cpu: '2'}}}\n"
                  "    - {name: f4, replicas: 0, priority: 4, nodeName: n-1, resources: {requests: {cpu: '2'}}}\n");
    expect(&l, "f4", "n-1", 40 * CS_SECOND);
}

static void test_no_second_preemption_while_a_victim_terminates(void)
{
    /* Five CPU: p10 (1), p20 (2), p30 (1) and other (1, priority 50). Victims for hi: other and
     * p30 come back, p20 cannot (6 > 5), p10 can: {p20}. At 20 s other goes at once (scaled to
     * 0, no grace period): an event, so hi is tried again and fits nowhere (p20 still holds its
     * 2 CPU). Preempting again would now take p10 (p20 would fit back); it is not eligible, as
     * its victim is still terminating on its nominated node. One nomination of hi; it binds at
     * 40 s (when p20's replacement, of higher priority than p10, preempts p10 in its turn). */
    log_t l = run(", {at: 20s, action: scale, workload: other, replicas: 0}", 1, 5, "",
                  "    - {name: p10, replicas: 1, priority: 10, resources: {requests: {cpu: '1'}}}\n"
                  "    - {name: p20, replicas: 1, priority: 20, resources: {requests: {cpu: '2'}}}\n"
                  "    - {name: p30, replicas: 1, priority: 30, resources: {requests: {cpu: '1'}}}\n"
                  "    - {name: other, replicas: 1, priority: 50, terminationGracePeriodSeconds: 0,\n"
                  "       resources: {requests: {cpu: '1'}}}\n");
    uint32_t nominations = 0;
    cs_time bound = -1;
    for (uint32_t i = 0; i < l.n; i++) {
        bool hi = strcmp(l.e[i].workload, "hi") == 0;
        nominations += hi && strcmp(l.e[i].type, "pod.nominated") == 0;
        bound = hi && strcmp(l.e[i].type, "pod.bound") == 0 ? l.e[i].t : bound;
    }
    CU_ASSERT_EQUAL(nominations, 1);
    CU_ASSERT_EQUAL(bound, 40 * CS_SECOND);
}

static void test_a_shorter_grace_period_binds_sooner(void)
{
    /* terminationGracePeriodSeconds 5: the victim goes at 15 s and hi binds then. */
    log_t l = run("", 1, 2, "",
                  "    - {name: low, replicas: 1, priority: 1, terminationGracePeriodSeconds: 5,\n"
                  "       resources: {requests: {cpu: '2'}}}\n");
    expect(&l, "low", "n-0", 15 * CS_SECOND);
}

static void test_anti_affinity_can_be_preempted_away(void)
{
    /* hi fits n-0 by resources (1 + 2 <= 3) but its required anti-affinity to app: l rejects
     * it: Unschedulable, so preemption may help, and l goes (its replacement does not fit
     * beside the nominated hi). hi binds when l is gone, at 40 s. */
    log_t l = run("", 1, 3,
                  ", affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution:\n"
                  "       [{topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: l}}}]}}",
                  "    - {name: l, replicas: 1, priority: 1, labels: {app: l}, resources: {requests: {cpu: '1'}}}\n");
    expect(&l, "l", "n-0", 40 * CS_SECOND);
}

static void test_budgets_come_first(void)
{
    /* a (priority 1) on n-0 has a budget of minAvailable 1 that allows no disruption: taking it
     * violates it. Without budgets n-0 would win (highest victim 1 against 5); the fewest
     * violating victims comes first, so b on n-1 goes. */
    log_t l = run("", 2, 2, "",
                  "    - {name: a, replicas: 1, priority: 1, nodeName: n-0, disruptionBudget: {minAvailable: 1},\n"
                  "       resources: {requests: {cpu: '2'}}}\n"
                  "    - {name: b, replicas: 1, priority: 5, nodeName: n-1, resources: {requests: {cpu: '2'}}}\n");
    expect(&l, "b", "n-1", 40 * CS_SECOND);
    /* One node of 4 CPU with p (priority 1, budgeted) and q (priority 2): the violating p is
     * reprieved first and stays (2 + 2 fits), so q goes although it is the more important.
     * (q's replacement may not preempt p in turn: preemptionPolicy Never.) */
    l = run("", 1, 4, "",
            "    - {name: p, replicas: 1, priority: 1, nodeName: n-0, disruptionBudget: {minAvailable: 1},\n"
            "       resources: {requests: {cpu: '2'}}}\n"
            "    - {name: q, replicas: 1, priority: 2, nodeName: n-0, preemptionPolicy: Never,\n"
            "       resources: {requests: {cpu: '2'}}}\n");
    expect(&l, "q", "n-0", 40 * CS_SECOND);
    /* With room in the budget (maxUnavailable 1), p is no violation: the lower priority goes. */
    l = run("", 1, 4, "",
            "    - {name: p, replicas: 1, priority: 1, nodeName: n-0, disruptionBudget: {maxUnavailable: 1},\n"
            "       resources: {requests: {cpu: '2'}}}\n"
            "    - {name: q, replicas: 1, priority: 2, nodeName: n-0, resources: {requests: {cpu: '2'}}}\n");
    expect(&l, "p", "n-0", 40 * CS_SECOND);
}

static void test_preemption_policy_never_preempts_nothing(void)
{
    log_t l = run("", 1, 2, ", preemptionPolicy: Never",
                  "    - {name: low, replicas: 1, priority: 1, resources: {requests: {cpu: '2'}}}\n");
    expect(&l, "", "", -1);
    /* Equal priority is no victim either. */
    l = run("", 1, 2, "", "    - {name: same, replicas: 1, priority: 100, resources: {requests: {cpu: '2'}}}\n");
    expect(&l, "", "", -1);
}

static void test_a_priority_class_sets_the_preemption_policy(void)
{
    static const char *yaml = "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: batch}\n"
                              "value: 1000\npreemptionPolicy: Never\n---\n"
                              "apiVersion: v1\nkind: Node\nmetadata: {name: w1}\nstatus: {allocatable: {cpu: '8', memory: 8Gi}}\n"
                              "---\napiVersion: v1\nkind: Pod\nmetadata: {name: job}\n"
                              "spec: {priorityClassName: batch, containers: [{name: a, image: x}]}\n"
                              "---\napiVersion: v1\nkind: Pod\nmetadata: {name: web}\n"
                              "spec: {preemptionPolicy: Never, containers: [{name: a, image: x}]}\n"
                              "---\napiVersion: v1\nkind: Pod\nmetadata: {name: api}\n"
                              "spec: {containers: [{name: a, image: x}]}\n";
    cs_config *cfg = NULL;
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_buffer("m.yaml", yaml, strlen(yaml), &cfg, &d), CS_OK);
    CU_ASSERT_EQUAL_FATAL(cfg->n_workloads, 3);
    CU_ASSERT_TRUE(cfg->workloads[0].preempt_never);    /* from the class */
    CU_ASSERT_TRUE(cfg->workloads[1].preempt_never);    /* its own, no class */
    CU_ASSERT_FALSE(cfg->workloads[2].preempt_never);   /* the default */
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"the reprieve loop keeps all it can", test_the_reprieve_loop_keeps_all_it_can},
    {"the lowest highest-victim priority wins", test_the_lowest_highest_victim_priority_wins},
    {"the priority sum counts each victim from MinInt32", test_the_priority_sum_counts_each_victim_from_min_int32},
    {"the latest-started victims lose", test_the_latest_started_victims_lose},
    {"no second preemption while a victim terminates", test_no_second_preemption_while_a_victim_terminates},
    {"a shorter grace period binds sooner", test_a_shorter_grace_period_binds_sooner},
    {"anti-affinity can be preempted away", test_anti_affinity_can_be_preempted_away},
    {"PodDisruptionBudgets come first", test_budgets_come_first},
    {"preemptionPolicy Never preempts nothing", test_preemption_policy_never_preempts_nothing},
    {"a PriorityClass sets the preemptionPolicy", test_a_priority_class_sets_the_preemption_policy},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_preempt_suite = {.pName = "preempt", .pTests = tests};
