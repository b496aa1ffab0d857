/* test_explain.c -- the scheduler's explain records (cs_trace_sink.explain) and the explain
 * table: exact filter reasons and scores on a small cluster, worked out by hand from the
 * formulas in models/sched_plugins.c (the arithmetic is in the comments); explain changes
 * nothing about the run; pod names resolve as `clustersim explain --pod` reads them. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "clustersim/explain.h"
#include "clustersim/scenario.h"
#include "clustersim/world.h"

#define SCENARIO CS_TEST_DATA "/scenarios/valid/explain/input.yaml"
#define MAX_RECORDS 4096

/* Every record of a run, as "type key=value ...", in the order traced. */
typedef struct recorder {
    char line[MAX_RECORDS][256];
    unsigned n;
} recorder;

static void record(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    (void)t;
    recorder *r = ctx;
    if (r->n == MAX_RECORDS)
        return;
    char *s = r->line[r->n++];
    size_t used = (size_t)snprintf(s, 256, "%s", type);
    for (size_t i = 0; i < n && used < 256; i++) {
        if (f[i].kind == CS_FIELD_STR)
            used += (size_t)snprintf(s + used, 256 - used, " %s=%s", f[i].key, f[i].s != NULL ? f[i].s : "");
        else if (f[i].kind == CS_FIELD_INT)
            used += (size_t)snprintf(s + used, 256 - used, " %s=%lld", f[i].key, (long long)f[i].i);
        else
            used += (size_t)snprintf(s + used, 256 - used, " %s=%g", f[i].key, f[i].r);
    }
}

static cs_config *load_file(const char *path)
{
    cs_config *cfg = NULL;
    cs_diag d = {0};
    cs_status st = cs_scenario_load_file(path, &cfg, &d);
    if (st != CS_OK) {
        char buf[1024];
        fprintf(stderr, "\n%s", cs_diag_format(&d, buf, sizeof buf));
    }
    CU_ASSERT_EQUAL_FATAL(st, CS_OK);
    return cfg;
}

static void run(const cs_config *cfg, bool explain, recorder *r)
{
    memset(r, 0, sizeof *r);
    cs_trace_sink sink = {.fn = record, .ctx = r, .explain = explain};
    cs_world *w = cs_world_new(cfg, cfg->seed, 0, &sink);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    cs_world_free(w);
}

/* The pod requests 2 CPU and 4Gi; nodes are examined in id order from index 0.
 *
 * gpu-0 (8 CPU, 32Gi, taint dedicated=gpu:NoSchedule): TaintToleration rejects it first.
 * small-0 (1 CPU, 2Gi): NodeResourcesFit, 2000m > 1000m free: "Insufficient cpu" (cpu is
 * checked before memory).
 * big-0 (8 CPU, 16Gi, tier=fast):
 *   NodeResourcesFit LeastAllocated: cpu (8000 - 2000) * 100 / 8000 = 75,
 *     memory (16Gi - 4Gi) * 100 / 16Gi = 75; (75 + 75) / 2 = 75.
 *   BalancedAllocation: fractions 2/8 = 0.25 and 4/16 = 0.25, std 0: (1 - 0) * 100 = 100.
 *   NodeAffinity: raw 10 (the tier=fast term), max 10: 100 * 10 / 10 = 100.
 *   TaintToleration: raw 0 PreferNoSchedule taints, max 1, reversed: 100 - 100 * 0 / 1 = 100.
 *   PodTopologySpread, the system defaults (the pod has no constraints; its Deployment selects
 *   its own pods): no pod yet, so hostname counts 0 * log(2 + 2) + (3 - 1) = 2 on both feasible
 *   nodes, and no node has a zone label; round(2) = 2 on both, max 2, min 2:
 *   100 * (2 + 2 - 2) / 2 = 100.
 *   InterPodAffinity: no terms anywhere, 0.
 *   total 1 * 75 + 1 * 100 + 2 * 100 + 3 * 100 + 2 * 100 + 2 * 0 = 875.
 * spot-0 (4 CPU, 16Gi, taint spot=true:PreferNoSchedule):
 *   NodeResourcesFit: cpu (4000 - 2000) * 100 / 4000 = 50, memory 75; (50 + 75) / 2 = 62.
 *   BalancedAllocation: 0.5 and 0.25, std |0.5 - 0.25| / 2 = 0.125: int64(0.875 * 100) = 87.
 *   NodeAffinity: raw 0: 100 * 0 / 10 = 0.
 *   TaintToleration: raw 1, reversed: 100 - 100 * 1 / 1 = 0.
 *   PodTopologySpread 100 as on big-0; InterPodAffinity 0.
 *   total 62 + 87 + 0 + 0 + 200 + 0 = 349.
 * big-0 has the highest total and gets the pod. */
static void test_records_give_reasons_and_scores_in_node_order(void)
{
    static const char *const want[] = {
        "pod.created pod=0 workload=api",
        "pod.attempt pod=0 workload=api numFeasibleNodesToFind=4 examined=4 feasible=2",
        "pod.filter pod=0 node=gpu-0 plugin=TaintToleration reason=node(s) had untolerated taint {dedicated: gpu}",
        "pod.filter pod=0 node=small-0 plugin=NodeResourcesFit reason=Insufficient cpu",
        "pod.score pod=0 node=big-0 plugin=NodeResourcesFit score=75 weight=1",
        "pod.score pod=0 node=big-0 plugin=NodeResourcesBalancedAllocation score=100 weight=1",
        "pod.score pod=0 node=big-0 plugin=NodeAffinity score=100 weight=2",
        "pod.score pod=0 node=big-0 plugin=TaintToleration score=100 weight=3",
        "pod.score pod=0 node=big-0 plugin=PodTopologySpread score=100 weight=2",
        "pod.score pod=0 node=big-0 plugin=InterPodAffinity score=0 weight=2",
        "pod.total pod=0 node=big-0 total=875",
        "pod.score pod=0 node=spot-0 plugin=NodeResourcesFit score=62 weight=1",
        "pod.score pod=0 node=spot-0 plugin=NodeResourcesBalancedAllocation score=87 weight=1",
        "pod.score pod=0 node=spot-0 plugin=NodeAffinity score=0 weight=2",
        "pod.score pod=0 node=spot-0 plugin=TaintToleration score=0 weight=3",
        "pod.score pod=0 node=spot-0 plugin=PodTopologySpread score=100 weight=2",
        "pod.score pod=0 node=spot-0 plugin=InterPodAffinity score=0 weight=2",
        "pod.total pod=0 node=spot-0 total=349",
        "pod.bound pod=0 workload=api node=big-0",
    };
    enum { N = sizeof want / sizeof want[0] };
    cs_config *cfg = load_file(SCENARIO);
    static recorder r;
    run(cfg, true, &r);
    CU_ASSERT_FATAL(r.n >= N);
    for (unsigned i = 0; i < N; i++) {
        if (strcmp(r.line[i], want[i]) != 0)
            fprintf(stderr, "\nrecord %u: found '%s', expected '%s'", i, r.line[i], want[i]);
        CU_ASSERT_STRING_EQUAL(r.line[i], want[i]);
    }
    cs_config_free(cfg);
}

/* The explain records are extra lines: with them removed, the trace is the one an unexplained
 * run gives, so explaining draws nothing and changes no placement. */
static void test_explain_changes_nothing_else(void)
{
    cs_config *cfg = load_file(CS_SOURCE_DIR "/scenarios/quickstart.yaml");
    static recorder plain, explained;
    run(cfg, false, &plain);
    run(cfg, true, &explained);
    unsigned j = 0, extra = 0;
    bool same = true;
    for (unsigned i = 0; i < explained.n && same; i++) {
        const char *s = explained.line[i];
        if (strncmp(s, "pod.attempt ", 12) == 0 || strncmp(s, "pod.filter ", 11) == 0 ||
            strncmp(s, "pod.score ", 10) == 0 || strncmp(s, "pod.total ", 10) == 0) {
            extra++;
            continue;
        }
        same = j < plain.n && strcmp(s, plain.line[j]) == 0;
        j++;
    }
    CU_ASSERT_TRUE(same);
    CU_ASSERT(extra > 0);
    CU_ASSERT(j > 0);
    if (explained.n < MAX_RECORDS)   /* the explained trace is whole: so is the match */
        CU_ASSERT_EQUAL(j, plain.n);
    for (unsigned i = 0; i < plain.n; i++)
        CU_ASSERT(strncmp(plain.line[i], "pod.attempt ", 12) != 0 && strncmp(plain.line[i], "pod.score ", 10) != 0);
    cs_config_free(cfg);
}

/* Two identical nodes tie: the table marks the chosen one and notes the tie. The pod requests
 * 1 CPU and 1Gi of 4 CPU and 4Gi: NodeResourcesFit (75 + 75) / 2 = 75, Balanced 100,
 * NodeAffinity 0 on both, TaintToleration 100 on both (no taints: all reversed to 100),
 * PodTopologySpread 100 on both (system defaults, no pod yet: raw 2 everywhere), InterPodAffinity
 * 0, so each total is 75 + 100 + 0 + 300 + 200 + 0 = 675. */
static void test_table_marks_the_chosen_node_and_ties(void)
{
    static const char yaml[] = "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: t}\n"
                               "spec:\n  duration: 1h\n  seed: 3\n"
                               "  cluster:\n    nodePools: [{name: n, count: 2, allocatable: {cpu: '4', memory: 4Gi}}]\n"
                               "  workloads:\n    - name: web-api\n      replicas: 2\n"
                               "      resources: {requests: {cpu: '1', memory: 1Gi}}\n";
    cs_config *cfg = NULL;
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_buffer("t.yaml", yaml, strlen(yaml), &cfg, &d), CS_OK);
    cs_explain_query q = {0};
    CU_ASSERT_TRUE(cs_explain_parse_pod(cfg, "web-api", &q));
    CU_ASSERT(q.workload == 0 && q.index == 0);
    CU_ASSERT_TRUE(cs_explain_parse_pod(cfg, "web-api-1", &q));
    CU_ASSERT(q.workload == 0 && q.index == 1);
    CU_ASSERT_FALSE(cs_explain_parse_pod(cfg, "web", &q));
    CU_ASSERT_FALSE(cs_explain_parse_pod(cfg, "web-api-", &q));
    CU_ASSERT_FALSE(cs_explain_parse_pod(cfg, "web-api-x", &q));

    q = (cs_explain_query){0};
    FILE *f = tmpfile();
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    cs_explain_outcome out = CS_EXPLAIN_NOT_CREATED;
    CU_ASSERT_EQUAL(cs_explain_run(cfg, &q, "web-api", f, &out), CS_OK);
    CU_ASSERT_EQUAL(out, CS_EXPLAIN_SHOWN);
    static char text[4096];
    rewind(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "numFeasibleNodesToFind: 2 of 2 nodes; examined 2, feasible 2"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "675  chosen"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "675  tie"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "2 nodes tie at the top total 675"));

    q = (cs_explain_query){.index = 5};   /* only two pods ever exist */
    f = tmpfile();
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(cs_explain_run(cfg, &q, "web-api-5", f, &out), CS_OK);
    CU_ASSERT_EQUAL(out, CS_EXPLAIN_NOT_CREATED);
    fclose(f);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"records give reasons and scores in node order", test_records_give_reasons_and_scores_in_node_order},
    {"explain changes nothing else", test_explain_changes_nothing_else},
    {"the table marks the chosen node and ties", test_table_marks_the_chosen_node_and_ties},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_explain_suite = {.pName = "explain", .pTests = tests};
