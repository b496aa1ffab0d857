/* test_faults.c -- common random numbers: a node's failures, and a pod's container draws, are
 * its own.
 *
 * Each node's failure clock is drawn from its own counter-based draws (faults.c, rng.h), so a
 * change that moves other nodes' events (an upgrade of another pool, a scoring strategy that
 * makes drains, and so upgrades, end at other times) leaves a node's failure times alone, and an
 * upgrade shifts its own node's later failures by exactly the time it was stopped. Likewise a
 * pod's start-ups, crashes and readiness outages (lifecycle.c) do not follow the order in which
 * containers start. With the streams drawn in event order that these tests replace (486c055),
 * every one of them fails: a node back from its upgrade drew its next time to failure from the
 * shared stream, so every later draw of every node moved to another one; a container drew its
 * crash in start order.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>

#include "clustersim/config.h"
#include "test_util.h"

#define HEADER "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n"
#define MAX_NODES 8

/* What a trace keeps of one node: its failure times ("raw"), and each less the time the node had
 * spent stopped for upgrades before it ("clock": the running time its failure clock saw, which
 * an upgrade must not change), and the instants it was stopped. */
typedef struct node_log {
    char name[32];
    cs_time stopped_at;   /* while stopped: since when; else -1 */
    cs_time stopped;      /* time stopped so far */
    cs_time raw[64], clock[64], stops[8];
    uint32_t n, n_stops;
} node_log;

typedef struct history {
    node_log nodes[MAX_NODES];
    uint32_t n;
} history;

static node_log *find(history *h, const char *name)
{
    for (uint32_t i = 0; i < h->n; i++)
        if (strcmp(h->nodes[i].name, name) == 0)
            return &h->nodes[i];
    return NULL;
}

static node_log *node_of(history *h, const cs_field *f, size_t n)
{
    const char *name = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].key, "node") == 0 && f[i].kind == CS_FIELD_STR)
            name = f[i].s;
    CU_ASSERT_PTR_NOT_NULL_FATAL(name);
    node_log *l = find(h, name);
    if (l != NULL)
        return l;
    CU_ASSERT_FATAL(h->n < MAX_NODES);
    l = &h->nodes[h->n++];
    snprintf(l->name, sizeof l->name, "%s", name);
    l->stopped_at = -1;
    return l;
}

static void keep(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    history *h = ctx;
    if (strcmp(type, "node.failed") == 0) {
        node_log *l = node_of(h, f, n);
        CU_ASSERT_FATAL(l->n < 64);
        l->raw[l->n] = t;
        l->clock[l->n++] = t - l->stopped;
    } else if (strcmp(type, "node.stopped") == 0) {
        node_log *l = node_of(h, f, n);
        CU_ASSERT_FATAL(l->n_stops < 8);
        l->stops[l->n_stops++] = l->stopped_at = t;
    } else if (strcmp(type, "node.repaired") == 0) {
        node_log *l = node_of(h, f, n);
        if (l->stopped_at >= 0)
            l->stopped += t - l->stopped_at;
        l->stopped_at = -1;
    }
}

/* Replication r of cfg, every node's log; a stop still going at the end counts to the end. */
static void trace_rep(const cs_config *cfg, uint32_t r, history *h)
{
    *h = (history){0};
    cs_trace_sink sink = {.fn = keep, .ctx = h};
    cs_rep_result res = run_traced(cfg, 2026, r, &sink);
    cs_result_fini(&res);
    for (uint32_t i = 0; i < h->n; i++)
        if (h->nodes[i].stopped_at >= 0)
            h->nodes[i].stopped += cfg->duration - h->nodes[i].stopped_at;
}

static const node_log none = {.stopped_at = -1};

/* The failures of a node's clock both runs saw: those that came, in both, before the end less
 * the longer of its two times stopped. True when they are the same to the nanosecond. */
static bool same_clock(const node_log *p, const node_log *q, cs_time end)
{
    cs_time horizon = end - (p->stopped > q->stopped ? p->stopped : q->stopped);
    uint32_t i = 0, j = 0;
    while (i < p->n && p->clock[i] < horizon && j < q->n && q->clock[j] < horizon)
        if (p->clock[i++] != q->clock[j++])
            return false;
    return !(i < p->n && p->clock[i] < horizon) && !(j < q->n && q->clock[j] < horizon);
}

static bool same_times(const cs_time *a, uint32_t na, const cs_time *b, uint32_t nb)
{
    return na == nb && (na == 0 || memcmp(a, b, na * sizeof *a) == 0);
}

/* Over replications 0 .. reps-1 of x and y: every node's failure clock is the same, to the
 * nanosecond, and a node whose name does not start with `upgraded` (never stopped) fails at the
 * same instants. Counts the replications where an upgraded node failed at other instants, those
 * where its stops came at other instants, and the nodes that failed at all. */
static void compare_histories(const cs_config *x, const cs_config *y, uint32_t reps, const char *upgraded,
                              uint32_t *raw_differs, uint32_t *stops_differ, uint32_t *failures)
{
    history *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    CU_ASSERT_FATAL(a != NULL && b != NULL);
    *raw_differs = *stops_differ = *failures = 0;
    for (uint32_t r = 0; r < reps; r++) {
        trace_rep(x, r, a);
        trace_rep(y, r, b);
        bool raw = false, stops = false;
        for (int side = 0; side < 2; side++) {   /* every node either run logged */
            history *h = side == 0 ? a : b, *other = side == 0 ? b : a;
            for (uint32_t i = 0; i < h->n; i++) {
                const node_log *p = &h->nodes[i], *q = find(other, p->name);
                q = q != NULL ? q : &none;
                bool clock = same_clock(p, q, x->duration);
                CU_ASSERT(clock);
                if (!clock)
                    fprintf(stderr, "\nreplication %u: %s's failure clock differs\n", r, p->name);
                bool in_upgraded = strncmp(p->name, upgraded, strlen(upgraded)) == 0;
                bool same = same_times(p->raw, p->n, q->raw, q->n);
                if (!in_upgraded)
                    CU_ASSERT(same);
                raw |= in_upgraded && !same;
                stops |= !same_times(p->stops, p->n_stops, q->stops, q->n_stops);
                *failures += side == 0 && p->n > 0;
            }
        }
        *raw_differs += raw;
        *stops_differ += stops;
    }
    free(a);
    free(b);
}

/* Two pools of failing nodes (a failure about every 12 h, an hour's repair). In the second
 * config pool `up` is upgraded from 6 h, a node at a time, each stopped for 30 to 90 minutes.
 * The steady pool's failures are the same in both, instant for instant; the upgraded nodes'
 * failures come later by the time they were stopped, and never otherwise. */
#define TWO_POOLS                                                                                   \
    HEADER "  duration: 72h\n"                                                                      \
           "  cluster:\n    nodePools:\n"                                                           \
           "      - name: up\n        count: 3\n        allocatable: {cpu: '4', memory: 16Gi}\n"    \
           "        failures: {timeToFailure: {exponential: {mean: 12h}}, timeToRepair: {exponential: {mean: 1h}}}\n" \
           "      - name: steady\n        count: 3\n        allocatable: {cpu: '4', memory: 16Gi}\n" \
           "        failures: {timeToFailure: {exponential: {mean: 12h}}, timeToRepair: {exponential: {mean: 1h}}}\n"

/* A scheduler section whose NodeResourcesFit strategy is a %s for load_strategies() to fill
 * with LeastAllocated and with MostAllocated. Both leave PodTopologySpread's score out: its
 * system default constraints would spread the pods under either strategy. */
#define SCORING                                                                  \
    "  scheduler: {plugins: {score: {disabled: [{name: PodTopologySpread}]}},\n" \
    "              pluginConfig: {NodeResourcesFit: {scoringStrategy: {type: %s}}}}\n"

static void load_strategies(const char *yaml, cs_config *cfg[2])
{
    const char *strategy[2] = {"LeastAllocated", "MostAllocated"};
    char text[2048];
    for (int i = 0; i < 2; i++) {
        snprintf(text, sizeof text, yaml, strategy[i]);
        cfg[i] = load(text);
    }
}

static void test_an_upgrade_moves_only_its_own_nodes_failures(void)
{
    cs_config *plain = load(TWO_POOLS "  workloads:\n    - {name: w, replicas: 6, resources: {requests: {cpu: '1'}}}\n");
    cs_config *upgraded = load(TWO_POOLS "  workloads:\n    - {name: w, replicas: 6, resources: {requests: {cpu: '1'}}}\n"
                                         "  timeline:\n    - {at: 6h, action: drain, pool: up, upgradeTime: "
                                         "{uniform: {min: 30m, max: 90m}}}\n");
    uint32_t raw_differs, stops_differ, failures;
    compare_histories(plain, upgraded, 30, "up-", &raw_differs, &stops_differ, &failures);
    CU_ASSERT_EQUAL(stops_differ, 30);      /* every replication upgrades */
    CU_ASSERT(raw_differs >= 25);           /* and that moves the upgraded nodes' failures */
    CU_ASSERT(failures >= 30 * 5);          /* ~6 failures a node: nearly every node fails */
    cs_config_free(plain);
    cs_config_free(upgraded);
}

/* LeastAllocated against MostAllocated, both upgrading pool `up` under a budget: the pods land
 * elsewhere, so the drains take other times and the upgraded nodes stop at other instants. Every
 * node's failure clock is still the same, and the steady nodes fail at the same instants. (The
 * upgraded nodes' failures mostly stay as well: both runs stop a node for the same draw of
 * upgradeTime, so a failure after its stop comes at the same instant; only one that falls
 * between the two runs' stops moves.) */
static void test_policies_under_an_upgrade_share_every_failure_clock(void)
{
    static const char *yaml =
        TWO_POOLS "  workloads:\n"
                  "    - {name: w, replicas: 8, resources: {requests: {cpu: 700m}}, startupTime: {uniform: {min: 20s, max: 2m}},\n"
                  "       disruptionBudget: {maxUnavailable: 1}}\n"
                  "  timeline:\n    - {at: 6h, action: drain, pool: up, upgradeTime: {uniform: {min: 30m, max: 90m}}}\n"
                  SCORING;
    cs_config *cfg[2];
    load_strategies(yaml, cfg);
    uint32_t raw_differs, stops_differ, failures;
    compare_histories(cfg[0], cfg[1], 30, "up-", &raw_differs, &stops_differ, &failures);
    CU_ASSERT_EQUAL(stops_differ, 30);   /* the policy moves the upgrade in every replication */
    CU_ASSERT(failures >= 30 * 5);
    cs_config_free(cfg[0]);
    cs_config_free(cfg[1]);
}

/* Two nodes of pool `up` at a time are drained and upgraded, each for a draw of 30 to 90
 * minutes. The strategies place the pods apart, so the drains of a batch end in another order
 * under each; the upgrade times are each node's own draw for the action, so every node is down
 * exactly as long under both. (Drawn in the order drains end, a batch whose drains end the
 * other way round would swap its two nodes' times.) */
static void test_each_node_keeps_its_upgrade_time_whatever_the_drain_order(void)
{
    static const char *yaml =
        HEADER "  duration: 24h\n"
               "  cluster:\n    nodePools:\n"
               "      - {name: up, count: 4, allocatable: {cpu: '4', memory: 16Gi}}\n"
               "  workloads:\n"
               "    - {name: w, replicas: 8, resources: {requests: {cpu: 700m}}, startupTime: {uniform: {min: 20s, max: 4m}},\n"
               "       disruptionBudget: {maxUnavailable: 1}}\n"
               "  timeline:\n    - {at: 6h, action: drain, pool: up, maxUnavailable: 2,\n"
               "       upgradeTime: {uniform: {min: 30m, max: 90m}}}\n" SCORING;
    cs_config *cfg[2];
    load_strategies(yaml, cfg);
    uint32_t stops_moved = 0, upgraded = 0;
    for (uint32_t r = 0; r < 30; r++) {
        history *h[2] = {calloc(1, sizeof(history)), calloc(1, sizeof(history))};
        CU_ASSERT_PTR_NOT_NULL_FATAL(h[0]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(h[1]);
        trace_rep(cfg[0], r, h[0]);
        trace_rep(cfg[1], r, h[1]);
        bool moved = false;
        for (uint32_t i = 0; i < h[0]->n; i++) {
            const node_log *a = &h[0]->nodes[i], *b = find(h[1], a->name);
            CU_ASSERT_PTR_NOT_NULL_FATAL(b);
            CU_ASSERT_EQUAL(a->n_stops, 1);
            CU_ASSERT_EQUAL(b->n_stops, 1);
            CU_ASSERT_EQUAL(a->stopped, b->stopped);   /* the same time down, to the nanosecond */
            moved = moved || a->stops[0] != b->stops[0];
            upgraded += a->n_stops;
        }
        stops_moved += moved;
        free(h[0]);
        free(h[1]);
    }
    CU_ASSERT_EQUAL(upgraded, 30 * 4);
    CU_ASSERT(stops_moved >= 20);   /* the strategy does change when the nodes stop */
    cs_config_free(cfg[0]);
    cs_config_free(cfg[1]);
}

/* The nodes a bulk failure takes, as a bit set of the pool's 6 nodes. */
typedef struct picked {
    unsigned bulk;   /* bits of the nodes the timeline's pool failure took */
} picked;

static void keep_bulk(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    picked *p = ctx;
    (void)t;
    if (strcmp(type, "node.failed") != 0 || n < 2 || strcmp(f[1].s, "timeline") != 0 || t != 10 * 60 * CS_SECOND)
        return;
    p->bulk |= 1u << atoi(f[0].s + 2);   /* "p-<i>" */
}

static unsigned bulk_pick(const cs_config *cfg, uint32_t r)
{
    picked p = {0};
    cs_trace_sink sink = {.fn = keep_bulk, .ctx = &p};
    cs_rep_result res = run_traced(cfg, 2026, r, &sink);
    cs_result_fini(&res);
    return p.bulk;
}

/* A timeline failure of 2 of the 6 running nodes of a pool at 10 m. Picked uniformly: over 600
 * replications each node is taken 200 times (binomial, sd 11.5) and each of the 15 pairs 40 times
 * (sd 6.1), within 5 sd. With p-0 failed at 5 m first, the pick is the same but where it took
 * p-0, which the next node in priority replaces: the others' luck does not change with it. */
static void test_a_bulk_failure_picks_by_each_nodes_own_priority(void)
{
#define BULK_POOL                                                                       \
    HEADER "  duration: 11m\n"                                                          \
           "  cluster:\n    nodePools:\n"                                              \
           "      - {name: p, count: 6, allocatable: {cpu: '4', memory: 8Gi}}\n"
    cs_config *plain = load(BULK_POOL "  timeline:\n    - {at: 10m, action: nodeFailure, pool: p, count: 2}\n");
    cs_config *first = load(BULK_POOL "  timeline:\n    - {at: 5m, action: nodeFailure, node: p-0, duration: 1h}\n"
                                      "    - {at: 10m, action: nodeFailure, pool: p, count: 2}\n");
    enum { REPS = 600 };
    unsigned node_count[6] = {0}, pair_count[64] = {0}, kept = 0, with_p0 = 0;
    for (uint32_t r = 0; r < REPS; r++) {
        unsigned a = bulk_pick(plain, r), b = bulk_pick(first, r);
        CU_ASSERT_EQUAL(__builtin_popcount(a), 2);
        CU_ASSERT_EQUAL(__builtin_popcount(b), 2);
        CU_ASSERT_FALSE(b & 1u);   /* p-0 is down already */
        pair_count[a]++;
        for (int i = 0; i < 6; i++)
            node_count[i] += (a >> i) & 1u;
        if (a & 1u) {
            with_p0++;
            CU_ASSERT_EQUAL(a & b, a & ~1u);   /* the other node stays picked */
        } else {
            kept += a == b;
        }
    }
    CU_ASSERT_EQUAL(kept, REPS - with_p0);
    for (int i = 0; i < 6; i++)
        CU_ASSERT(abs((int)node_count[i] - 200) <= 58);
    for (unsigned set = 0; set < 64; set++)
        if (__builtin_popcount(set) == 2)
            CU_ASSERT(abs((int)pair_count[set] - 40) <= 31);
    cs_config_free(plain);
    cs_config_free(first);
#undef BULK_POOL
}

/* ---- container failures ---------------------------------------------------------------- */

#define MAX_PODS 32

/* Per pod (by id: both runs create the same pods in the same order here), its crash times and
 * restarts; "runs" are the running times of its container before each crash that followed a
 * restart (restart + the constant 10 s startupTime to the crash): its draws of timeToCrash. */
typedef struct pod_log {
    cs_time crashes[64], runs[64], notready[64], restarted;
    uint32_t n, n_runs, n_notready;
} pod_log;

typedef struct pods_seen {
    pod_log pods[MAX_PODS];
} pods_seen;

static void keep_pod(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    pods_seen *s = ctx;
    if (n < 1 || strcmp(f[0].key, "pod") != 0 || f[0].i >= MAX_PODS)
        return;
    pod_log *p = &s->pods[f[0].i];
    if (strcmp(type, "pod.crashed") == 0) {
        CU_ASSERT_FATAL(p->n < 64);
        p->crashes[p->n++] = t;
        if (p->restarted > 0)
            p->runs[p->n_runs++] = t - (p->restarted + 10 * CS_SECOND);
    } else if (strcmp(type, "pod.restarted") == 0) {
        p->restarted = t;
    } else if (strcmp(type, "pod.notready") == 0) {
        CU_ASSERT_FATAL(p->n_notready < 64);
        p->notready[p->n_notready++] = t;
    }
}

/* Crash-looping pods (a crash every 20 minutes or so) under LeastAllocated and MostAllocated; at
 * 1 h web scales from 4 to 12 and api from 4 to 8. web's new pods pull their image (20 to 40 s)
 * on nodes that lack it, which the strategy decides: spread, every node has it already. So containers
 * start in another order under each, and other pulls are drawn. Streams drawn in start order
 * would give every pod other start-up times and times to crash. Drawn per pod (and per node and
 * image for the pulls), every web pod's times to crash are the same, its new pods' crash instants
 * differ (they start later or sooner), and api, which pulls nothing and starts after a random
 * 5 to 60 s, crashes and turns NotReady (readiness outages of about a minute every 10) at the
 * same instants under both: its start-ups and health draws are its own as well.
 * Pods 0-3 are web's of t = 0, 4-7 api's, 8-15 web's new ones, 16-19 api's. */
static void test_container_draws_follow_the_pod_not_the_start_order(void)
{
    static const char *yaml =
        HEADER "  duration: 6h\n"
               "  cluster:\n    nodePools:\n      - {name: n, count: 4, allocatable: {cpu: '8', memory: 32Gi}}\n"
               "  workloads:\n"
               "    - {name: web, replicas: 4, resources: {requests: {cpu: 1}}, startupTime: 10s,\n"
               "       imagePullTime: {uniform: {min: 20s, max: 40s}}, timeToCrash: {exponential: {mean: 20m}}}\n"
               "    - {name: api, replicas: 4, resources: {requests: {cpu: 1}}, startupTime: {uniform: {min: 5s, max: 60s}},\n"
               "       timeToCrash: {exponential: {mean: 20m}}, readinessProbe: {periodSeconds: 5, failureThreshold: 2,\n"
               "       failures: {every: {exponential: {mean: 10m}}, lasting: {exponential: {mean: 1m}}}}}\n"
               "  timeline:\n    - {at: 1h, action: scale, workload: web, replicas: 12}\n"
               "    - {at: 1h, action: scale, workload: api, replicas: 8}\n"
               SCORING;
    cs_config *cfg[2];
    load_strategies(yaml, cfg);
    pods_seen *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    CU_ASSERT_FATAL(a != NULL && b != NULL);
    uint32_t moved = 0, runs = 0, api_crashes = 0, api_outages = 0;
    for (uint32_t r = 0; r < 20; r++) {
        for (int i = 0; i < 2; i++) {
            pods_seen *s = i == 0 ? a : b;
            *s = (pods_seen){0};
            cs_trace_sink sink = {.fn = keep_pod, .ctx = s};
            cs_rep_result res = run_traced(cfg[i], 2026, r, &sink);
            cs_result_fini(&res);
        }
        bool differ = false;
        for (uint32_t pod = 0; pod < 20; pod++) {
            const pod_log *p = &a->pods[pod], *q = &b->pods[pod];
            if ((pod >= 4 && pod < 8) || pod >= 16) {   /* api */
                CU_ASSERT(same_times(p->crashes, p->n, q->crashes, q->n));
                CU_ASSERT(same_times(p->notready, p->n_notready, q->notready, q->n_notready));
                api_crashes += p->n;
                api_outages += p->n_notready;
                continue;
            }
            uint32_t n = p->n_runs < q->n_runs ? p->n_runs : q->n_runs;   /* both saw these */
            CU_ASSERT(n + 1 >= p->n_runs && n + 1 >= q->n_runs);           /* the last may fall past the end */
            CU_ASSERT(n == 0 || memcmp(p->runs, q->runs, n * sizeof *p->runs) == 0);
            if (pod < 4) {   /* the pods of t = 0 start at 0 under both: their first run too */
                CU_ASSERT(p->n > 0 && q->n > 0 && p->crashes[0] == q->crashes[0]);
            } else {
                differ |= !same_times(p->crashes, p->n, q->crashes, q->n);
            }
            runs += n;
        }
        moved += differ;
    }
    CU_ASSERT(moved >= 15);             /* the strategy moves web's new pods' starts, so their crashes */
    CU_ASSERT(runs >= 20 * 12 * 10);    /* ~15 crashes a pod */
    CU_ASSERT(api_crashes >= 20 * 6 * 10);
    CU_ASSERT(api_outages >= 20 * 6 * 5);   /* ~10 a pod: outages over 5 s, less the crashes' */
    free(a);
    free(b);
    cs_config_free(cfg[0]);
    cs_config_free(cfg[1]);
}

/* Per pod id: when it began terminating and when it was deleted. */
typedef struct shutdown_log {
    cs_time began[64], took[64];
} shutdown_log;

static void keep_shutdown(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    shutdown_log *s = ctx;
    if (n < 1 || strcmp(f[0].key, "pod") != 0 || f[0].i >= 64)
        return;
    if (strcmp(type, "pod.terminating") == 0)
        s->began[f[0].i] = t;
    else if (strcmp(type, "pod.deleted") == 0 && s->began[f[0].i] > 0)
        s->took[f[0].i] = t - s->began[f[0].i];
}

/* A restart of 8 pods with shutdownTime 1 to 25 s (under the 30 s grace) at 1 h: the rollout
 * takes the old pods down in an order that follows where they run, so other pods terminate
 * first under each strategy; each pod still takes its own draw to shut down. */
static void test_each_pod_keeps_its_shutdown_time_whatever_the_order(void)
{
    static const char *yaml =
        HEADER "  duration: 3h\n"
               "  cluster:\n    nodePools:\n      - {name: n, count: 4, allocatable: {cpu: '4', memory: 16Gi}}\n"
               "  workloads:\n"
               "    - {name: w, replicas: 8, resources: {requests: {cpu: 700m}}, startupTime: {uniform: {min: 5s, max: 2m}},\n"
               "       shutdownTime: {uniform: {min: 1s, max: 25s}}}\n"
               "  timeline:\n    - {at: 1h, action: rollout, workload: w}\n" SCORING;
    cs_config *cfg[2];
    load_strategies(yaml, cfg);
    uint32_t compared = 0, order_differs = 0;
    for (uint32_t r = 0; r < 20; r++) {
        shutdown_log s[2];
        memset(s, 0, sizeof s);
        for (int i = 0; i < 2; i++) {
            cs_trace_sink sink = {.fn = keep_shutdown, .ctx = &s[i]};
            cs_rep_result res = run_traced(cfg[i], 2026, r, &sink);
            cs_result_fini(&res);
        }
        bool differs = false;
        for (int p = 0; p < 8; p++) {   /* the pods of t = 0, the same pods in both */
            CU_ASSERT(s[0].took[p] > 0 && s[1].took[p] > 0);
            CU_ASSERT_EQUAL(s[0].took[p], s[1].took[p]);
            compared += s[0].took[p] > 0;
            differs = differs || s[0].began[p] != s[1].began[p];
        }
        order_differs += differs;
    }
    CU_ASSERT_EQUAL(compared, 20 * 8);
    CU_ASSERT(order_differs >= 10);   /* the strategy does reorder the terminations */
    cs_config_free(cfg[0]);
    cs_config_free(cfg[1]);
}

static CU_TestInfo tests[] = {
    {"each pod keeps its shutdown time whatever the order", test_each_pod_keeps_its_shutdown_time_whatever_the_order},
    {"each node keeps its upgrade time whatever the drain order", test_each_node_keeps_its_upgrade_time_whatever_the_drain_order},
    {"an upgrade moves only its own node's failures", test_an_upgrade_moves_only_its_own_nodes_failures},
    {"policies under an upgrade share every failure clock", test_policies_under_an_upgrade_share_every_failure_clock},
    {"a bulk failure picks by each node's own priority", test_a_bulk_failure_picks_by_each_nodes_own_priority},
    {"container draws follow the pod, not the start order", test_container_draws_follow_the_pod_not_the_start_order},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_faults_suite = {.pName = "faults", .pTests = tests};
