/* test_disruption_property.c -- the disruption models' invariants over random clusters.
 *
 * 200 random scenarios from the test's own seeded stream: pools with or without zones, some
 * failing at random (repaired or replaced), workloads with random budgets (minAvailable or
 * maxUnavailable, as counts or percentages, either unhealthyPodEvictionPolicy), some of them
 * DaemonSets, and a timeline of drains of nodes and pools (rolling upgrades, timeouts),
 * cordons, uncordons, node failures of both modes and zone outages. Each run must keep every
 * budget through its evictions (the pdb property) and lose no pod (noPodLost); and a trace
 * sink mirrors, from the events alone, which nodes are cordoned and which pods are bound where,
 * and checks that no pod but a DaemonSet's is bound to a cordoned node, that a drained node
 * holds no pod but DaemonSet pods (unless it was uncordoned while it drained), and that every drain started ends as completed, failed or
 * unfinished. The seed and case are in every failure message.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "clustersim/rng.h"
#include "test_util.h"

enum { CASES = 200, MAX_NODES = 40 };
static const uint64_t SEED = 0xd15c0de5u;

static uint32_t below(uint64_t *s, uint32_t n)
{
    return (uint32_t)(cs_splitmix64_next(s) % n);
}

typedef struct mirror {
    const cs_config *cfg;
    uint32_t case_no, failures, drains_started;
    char names[MAX_NODES][32];
    bool cordoned[MAX_NODES];
    int others[MAX_NODES];   /* non-DaemonSet pods bound to each node */
    bool draining[MAX_NODES], uncordoned_in_drain[MAX_NODES];
    char first[512];
} mirror;

static void fail(mirror *m, const char *what, const char *node)
{
    if (m->failures++ == 0)
        snprintf(m->first, sizeof m->first, "seed %#llx case %u: %s %s", (unsigned long long)SEED, m->case_no, what,
                 node);
}

static const char *field(const cs_field *f, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].key, key) == 0 && f[i].kind == CS_FIELD_STR)
            return f[i].s;
    return NULL;
}

static void sink(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    (void)t;
    mirror *m = ctx;
    const char *node = field(f, n, "node"), *wl = field(f, n, "workload");
    int id = -1;
    for (uint32_t i = 0; node != NULL && i < m->cfg->n_nodes && id < 0; i++)
        if (strcmp(m->names[i], node) == 0)
            id = (int)i;
    bool daemon = false;
    for (uint32_t i = 0; wl != NULL && i < m->cfg->n_workloads; i++)
        if (strcmp(m->cfg->workloads[i].name, wl) == 0)
            daemon = m->cfg->workloads[i].daemonset;
    if (id < 0)
        return;
    if (strcmp(type, "node.cordoned") == 0 || strcmp(type, "node.uncordoned") == 0) {
        m->cordoned[id] = type[5] == 'c';
        m->uncordoned_in_drain[id] = m->uncordoned_in_drain[id] || (m->draining[id] && !m->cordoned[id]);
    } else if (strcmp(type, "node.registered") == 0) {
        m->cordoned[id] = false;   /* a fresh node registers schedulable */
    } else if (strcmp(type, "pod.bound") == 0) {
        if (m->cordoned[id] && !daemon)
            fail(m, "a pod that does not tolerate node.kubernetes.io/unschedulable was bound to cordoned", node);
        m->others[id] += !daemon;
    } else if (strcmp(type, "pod.deleted") == 0) {
        m->others[id] -= !daemon;
    } else if (strcmp(type, "node.drain.started") == 0) {
        m->drains_started++;
        m->draining[id] = true;
        m->uncordoned_in_drain[id] = false;
    } else if (strcmp(type, "node.drained") == 0) {
        /* A node uncordoned while its drain waits takes pods again, and the drain (as kubectl
         * drain, which waits for the pods it listed) still ends: only a node that stayed
         * cordoned must be empty. */
        if (m->others[id] != 0 && !m->uncordoned_in_drain[id])
            fail(m, "pods still bound to drained", node);
        m->draining[id] = false;
    }
}

#define ADD(...) (o += (size_t)snprintf(buf + o, size - o, __VA_ARGS__))

static void random_scenario(uint64_t *s, char *buf, size_t size)
{
    size_t o = 0;
    ADD("apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: prop}\n"
        "spec:\n  duration: 4h\n  cluster:\n    nodePools:\n");
    uint32_t pools = 1 + below(s, 3), counts[3];
    bool zones = below(s, 2);
    for (uint32_t p = 0; p < pools; p++) {
        counts[p] = 2 + below(s, 5);
        ADD("      - name: p%u\n        count: %u\n        allocatable: {cpu: '%u', memory: 32Gi, pods: %u}\n", p,
            counts[p], 4 + below(s, 5), 3 + below(s, 8));
        if (zones)
            ADD("        zones: [z1, z2, z3]\n");
        uint32_t f = below(s, 3);
        if (f == 1)
            ADD("        failures: {timeToFailure: {exponential: {mean: %uh}}, timeToRepair: {exponential: {mean: %um}}}\n",
                2 + below(s, 9), 10 + below(s, 50));
        else if (f == 2)
            ADD("        failures: {timeToFailure: {exponential: {mean: %uh}}, replace: {provisioningTime: %um}}\n",
                2 + below(s, 9), 5 + below(s, 15));
    }
    static const char *const budgets[] = {"", "minAvailable: %u", "minAvailable: %u0%%", "maxUnavailable: %u",
                                          "maxUnavailable: %u0%%"};
    ADD("  workloads:\n");
    uint32_t wls = 1 + below(s, 4);
    for (uint32_t w = 0; w < wls; w++) {
        if (below(s, 6) == 0) {
            ADD("    - {name: w%u, kind: DaemonSet, resources: {requests: {cpu: 100m}}}\n", w);
            continue;
        }
        ADD("    - name: w%u\n      replicas: %u\n      resources: {requests: {cpu: %um}}\n"
            "      startupTime: %us\n      shutdownTime: %us\n",
            w, 1 + below(s, 6), 100 + 100 * below(s, 15), 5 + below(s, 55), below(s, 31));
        uint32_t b = below(s, 5);
        if (b > 0) {
            char budget[64];
            snprintf(budget, sizeof budget, budgets[b], below(s, b % 2 == 0 ? 11 : 5));
            ADD("      disruptionBudget: {%s%s}\n", budget, below(s, 2) ? ", unhealthyPodEvictionPolicy: AlwaysAllow" : "");
        }
    }
    ADD("  timeline:\n");
    uint32_t actions = 1 + below(s, 5);
    for (uint32_t a = 0; a < actions; a++) {
        uint32_t p = below(s, pools), at = below(s, 200), kind = below(s, zones ? 7 : 6);
        switch (kind) {
        case 0:
            ADD("    - {at: %um, action: drain, node: p%u-%u%s}\n", at, p, below(s, counts[p]),
                below(s, 2) ? ", timeout: 3m" : "");
            break;
        case 1:
            ADD("    - {at: %um, action: drain, pool: p%u, maxUnavailable: %u%s%s}\n", at, p, 1 + below(s, counts[p]),
                below(s, 2) ? ", upgradeTime: {uniform: {min: 1m, max: 10m}}" : "", below(s, 3) == 0 ? ", timeout: 5m" : "");
            break;
        case 2:
            ADD("    - {at: %um, action: cordon, node: p%u-%u}\n", at, p, below(s, counts[p]));
            break;
        case 3:
            ADD("    - {at: %um, action: uncordon, pool: p%u}\n", at, p);
            break;
        case 4:
            ADD("    - {at: %um, action: nodeFailure, node: p%u-%u, duration: %um%s}\n", at, p, below(s, counts[p]),
                1 + below(s, 40), below(s, 2) ? ", mode: notReady" : "");
            break;
        case 5:
            ADD("    - {at: %um, action: nodeFailure, pool: p%u, count: 50%%, duration: %um}\n", at, p, 1 + below(s, 40));
            break;
        default:
            ADD("    - {at: %um, action: zoneOutage, zone: z%u, duration: %um}\n", at, 1 + below(s, 3), 1 + below(s, 40));
        }
    }
    ADD("  properties:\n    - {name: budgets, type: pdb}\n    - {name: accounted, type: noPodLost}\n");
}

static void test_budgets_hold_and_drains_leave_no_pod_behind(void)
{
    uint64_t s = SEED;
    uint32_t evictions = 0, drains = 0;
    static char yaml[8192];
    for (uint32_t c = 0; c < CASES; c++) {
        random_scenario(&s, yaml, sizeof yaml);
        cs_config *cfg = load_case(yaml, SEED, c);
        CU_ASSERT_FATAL(cfg->n_nodes <= MAX_NODES);
        static mirror m;
        memset(&m, 0, sizeof m);
        m.cfg = cfg;
        m.case_no = c;
        for (uint32_t i = 0; i < cfg->n_nodes; i++)
            cs_config_node_name(cfg, i, m.names[i], sizeof m.names[i]);
        cs_trace_sink ts = {.fn = sink, .ctx = &m};
        cs_rep_result r = run_traced(cfg, SEED, c, &ts);
        double ended = r.metrics[metric(cfg, "drains.completed")] + r.metrics[metric(cfg, "drains.failed")] +
                       r.metrics[metric(cfg, "drains.unfinished")];
        if (ended != m.drains_started)
            fail(&m, "drains started and ended differ", "");
        if (!r.props[0].held || !r.props[1].held)
            fail(&m, r.props[0].held ? "a pod was lost" : "an eviction broke a budget", "");
        if (m.failures != 0)
            fprintf(stderr, "\n%s (%u violations)\n%s", m.first, m.failures, yaml);
        CU_ASSERT_EQUAL(m.failures, 0);
        evictions += (uint32_t)r.metrics[metric(cfg, "evictions.accepted")];
        drains += m.drains_started;
        cs_result_fini(&r);
        cs_config_free(cfg);
    }
    CU_ASSERT(evictions > 200);   /* the cases evict enough to mean something */
    CU_ASSERT(drains > 100);
}

static CU_TestInfo tests[] = {
    {"budgets hold and drains leave no pod behind", test_budgets_hold_and_drains_leave_no_pod_behind},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_disruption_property_suite = {.pName = "disruption_property", .pTests = tests};
