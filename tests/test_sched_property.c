/* test_sched_property.c -- the scheduler's invariants over random clusters.
 *
 * 200 random scenarios (pools with labels, zones and taints; workloads with requests,
 * priorities, nodeSelectors, node affinity and tolerations; node failures and scaling on the
 * timeline) from the test's own seeded stream. A trace sink mirrors each node's Ready state and
 * bound requests from the events, and at every pod.bound checks, with a reference matcher
 * written here from the upstream rules, that the node was Ready, that the pod fit, that its
 * nodeSelector, required node affinity and tolerations admit the node, and that its
 * DoNotSchedule topology spread constraints, required pod affinity and anti-affinity, and the
 * required anti-affinity of the pods already bound hold there (counted naively from the mirror's
 * pods, not from the scheduler's index). The seed and case are in every failure message.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clustersim/scenario.h"
#include "clustersim/world.h"
#include "test_util.h"

enum { CASES = 200, MAX_NODES = 32, MAX_WORKLOADS = 4 };
static const uint64_t SEED = 0x5eed2024u;

static uint64_t next(uint64_t *s)   /* SplitMix64 */
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static uint32_t below(uint64_t *s, uint32_t n)
{
    return (uint32_t)(next(s) % n);
}

typedef struct mirror {
    const cs_config *cfg;
    uint32_t case_no;
    char names[MAX_NODES][32];
    bool ready[MAX_NODES];
    int64_t cpu[MAX_NODES], mem[MAX_NODES], pods[MAX_NODES];
    int32_t on[MAX_NODES][MAX_WORKLOADS];   /* bound pods by node and workload */
    int32_t going[MAX_NODES][MAX_WORKLOADS];   /* of those, Terminating: not counted by spreading */
    uint8_t terminating[1 << 14];           /* by pod id */
    uint32_t binds, failures;
    char first[512];
} mirror;

static void fail(mirror *m, const char *fmt, const char *a, const char *b)
{
    if (m->failures++ == 0) {
        char what[256];
        snprintf(what, sizeof what, fmt, a, b);
        snprintf(m->first, sizeof m->first, "seed %#llx case %u: %s", (unsigned long long)SEED, m->case_no, what);
    }
}

static const char *field_str(const cs_field *f, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].key, key) == 0 && f[i].kind == CS_FIELD_STR)
            return f[i].s;
    return NULL;
}

static int64_t field_int(const cs_field *f, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].key, key) == 0 && f[i].kind == CS_FIELD_INT)
            return f[i].i;
    return -1;
}

static int node_id(const mirror *m, const char *name)
{
    for (uint32_t i = 0; i < m->cfg->n_nodes; i++)
        if (strcmp(m->names[i], name) == 0)
            return (int)i;
    return -1;
}

static const cs_workload *workload(const mirror *m, const char *name)
{
    for (uint32_t i = 0; i < m->cfg->n_workloads; i++)
        if (strcmp(m->cfg->workloads[i].name, name) == 0)
            return &m->cfg->workloads[i];
    return NULL;
}

/* Reference label lookup: the pool's labels, kubernetes.io/hostname, topology.kubernetes.io/zone. */
static const char *label(const mirror *m, int node, const char *key)
{
    const cs_node_pool *p = cs_config_node_pool(m->cfg, (uint32_t)node);
    for (uint32_t i = 0; i < p->n_labels; i++)
        if (strcmp(p->labels[i].key, key) == 0)
            return p->labels[i].value;
    if (strcmp(key, "kubernetes.io/hostname") == 0)
        return m->names[node];
    uint32_t z = cs_config_node_zone(m->cfg, (uint32_t)node);
    if (strcmp(key, "topology.kubernetes.io/zone") == 0 && z != CS_NONE)
        return m->cfg->zones[z];
    return NULL;
}

static bool req_ok(const mirror *m, int node, const cs_requirement *q, bool field)
{
    const char *v = field ? m->names[node] : label(m, node, q->key);
    bool in = false;
    for (uint32_t i = 0; v != NULL && i < q->n_values; i++)
        in = in || strcmp(v, q->values[i]) == 0;
    switch (q->op) {
    case CS_OP_IN:
        return in;
    case CS_OP_NOT_IN:
        return !in;
    case CS_OP_EXISTS:
        return v != NULL;
    case CS_OP_DOES_NOT_EXIST:
        return v == NULL;
    case CS_OP_GT:
    case CS_OP_LT: {
        char *end = NULL;
        if (v == NULL || v[0] == '\0')
            return false;
        long long have = strtoll(v, &end, 10), want = strtoll(q->values[0], NULL, 10);
        if (*end != '\0' || v[0] == ' ')
            return false;
        return q->op == CS_OP_GT ? have > want : have < want;
    }
    }
    return false;
}

static bool term_ok(const mirror *m, int node, const cs_node_selector_term *t)
{
    if (t->n_match_expressions + t->n_match_fields == 0)
        return false;
    for (uint32_t i = 0; i < t->n_match_expressions; i++)
        if (!req_ok(m, node, &t->match_expressions[i], false))
            return false;
    for (uint32_t i = 0; i < t->n_match_fields; i++)
        if (!req_ok(m, node, &t->match_fields[i], true))
            return false;
    return true;
}

static bool tolerates(const cs_workload *wl, const cs_taint *t)
{
    for (uint32_t i = 0; i < wl->n_tolerations; i++) {
        const cs_toleration *o = &wl->tolerations[i];
        bool effect = o->any_effect || o->effect == t->effect;
        bool key = o->key[0] == '\0' || strcmp(o->key, t->key) == 0;
        bool value = o->op == CS_TOL_EXISTS || strcmp(o->value, t->value) == 0;
        if (effect && key && value)
            return true;
    }
    return false;
}

/* Reference label selector on a workload's labels (metav1.LabelSelectorAsSelector). */
static bool selects(const cs_label_selector *sel, const cs_workload *wl)
{
    if (!sel->present)
        return false;
    for (uint32_t i = 0; i < sel->n_match_labels + sel->n_match_expressions; i++) {
        bool label = i < sel->n_match_labels;
        const char *key = label ? sel->match_labels[i].key : sel->match_expressions[i - sel->n_match_labels].key;
        const char *v = NULL;
        for (uint32_t j = 0; j < wl->n_labels; j++)
            if (strcmp(wl->labels[j].key, key) == 0)
                v = wl->labels[j].value;
        if (label && (v == NULL || strcmp(v, sel->match_labels[i].value) != 0))
            return false;
        if (!label) {
            const cs_requirement *q = &sel->match_expressions[i - sel->n_match_labels];
            bool in = false;
            for (uint32_t k = 0; v != NULL && k < q->n_values; k++)
                in = in || strcmp(v, q->values[k]) == 0;
            bool ok = q->op == CS_OP_IN ? in : q->op == CS_OP_NOT_IN ? !in : q->op == CS_OP_EXISTS ? v != NULL : v == NULL;
            if (!ok)
                return false;
        }
    }
    return true;
}

static bool same_value(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Matching pods on nodes sharing node's value of key (only nodes `counted` admits). */
static int64_t pods_in_domain(const mirror *m, int node, const char *key, const cs_label_selector *sel,
                              const bool *counted, bool spread)
{
    int64_t n = 0;
    for (uint32_t i = 0; i < m->cfg->n_nodes; i++)
        if ((counted == NULL || counted[i]) && same_value(label(m, (int)i, key), label(m, node, key)))
            for (uint32_t w = 0; w < m->cfg->n_workloads; w++)
                if (selects(sel, &m->cfg->workloads[w]))
                    n += m->on[i][w] - (spread ? m->going[i][w] : 0);
    return n;
}

/* PodTopologySpread's DoNotSchedule constraints, from the definitions: the nodes counted pass
 * the pod's node affinity and have every DoNotSchedule key; skew = pods in the node's domain +
 * self - the least pods of a domain (0 below minDomains domains). */
static bool spread_ok(const mirror *m, int node, const cs_workload *wl)
{
    bool counted[MAX_NODES];
    for (uint32_t i = 0; i < m->cfg->n_nodes; i++) {
        bool ok = true;
        for (uint32_t k = 0; k < wl->n_node_selector; k++)
            ok = ok && same_value(label(m, (int)i, wl->node_selector[k].key), wl->node_selector[k].value);
        bool any = wl->n_required_terms == 0;
        for (uint32_t k = 0; k < wl->n_required_terms; k++)
            any = any || term_ok(m, (int)i, &wl->required_terms[k]);
        for (uint32_t k = 0; k < wl->n_spread; k++)
            ok = ok && (wl->spread[k].schedule_anyway || label(m, (int)i, wl->spread[k].topology_key) != NULL);
        counted[i] = ok && any;
    }
    for (uint32_t k = 0; k < wl->n_spread; k++) {
        const cs_spread_constraint *c = &wl->spread[k];
        if (c->schedule_anyway)
            continue;
        if (label(m, node, c->topology_key) == NULL)
            return false;
        int64_t min = INT64_MAX, domains = 0;
        for (uint32_t i = 0; i < m->cfg->n_nodes; i++) {
            bool first = counted[i];
            for (uint32_t j = 0; first && j < i; j++)
                first = !(counted[j] && same_value(label(m, (int)j, c->topology_key), label(m, (int)i, c->topology_key)));
            if (!first)
                continue;
            domains++;
            int64_t n = pods_in_domain(m, (int)i, c->topology_key, &c->selector, counted, true);
            min = n < min ? n : min;
        }
        if (domains < c->min_domains)
            min = 0;
        int64_t skew = pods_in_domain(m, node, c->topology_key, &c->selector, counted, true) + selects(&c->selector, wl) - min;
        if (skew > c->max_skew)
            return false;
    }
    return true;
}

/* InterPodAffinity's filter from the definitions. */
static bool affinity_ok(const mirror *m, int node, const cs_workload *wl)
{
    const cs_config *cfg = m->cfg;
    bool exist = true, self = wl->n_affinity_required > 0;
    int64_t anywhere = 0;
    for (uint32_t t = 0; t < wl->n_affinity_required; t++) {
        const cs_pod_affinity_term *term = &wl->affinity_required[t];
        if (label(m, node, term->topology_key) == NULL)
            return false;
        self = self && selects(&term->selector, wl);
        int64_t here = 0;
        for (uint32_t i = 0; i < cfg->n_nodes; i++)
            for (uint32_t w = 0; w < cfg->n_workloads; w++) {
                bool all = true;
                for (uint32_t u = 0; u < wl->n_affinity_required; u++)
                    all = all && selects(&wl->affinity_required[u].selector, &cfg->workloads[w]);
                if (!all || m->on[i][w] == 0 || label(m, (int)i, term->topology_key) == NULL)
                    continue;
                anywhere += m->on[i][w];
                if (same_value(label(m, (int)i, term->topology_key), label(m, node, term->topology_key)))
                    here += m->on[i][w];
            }
        exist = exist && here > 0;
    }
    if (!exist && !(anywhere == 0 && self))
        return false;
    for (uint32_t t = 0; t < wl->n_anti_required; t++)
        if (label(m, node, wl->anti_required[t].topology_key) != NULL &&
            pods_in_domain(m, node, wl->anti_required[t].topology_key, &wl->anti_required[t].selector, NULL, false) > 0)
            return false;
    for (uint32_t w = 0; w < cfg->n_workloads; w++)
        for (uint32_t t = 0; t < cfg->workloads[w].n_anti_required; t++) {
            const cs_pod_affinity_term *term = &cfg->workloads[w].anti_required[t];
            if (!selects(&term->selector, wl))
                continue;
            for (uint32_t i = 0; i < cfg->n_nodes; i++)
                if (m->on[i][w] > 0 && same_value(label(m, (int)i, term->topology_key), label(m, node, term->topology_key)))
                    return false;
        }
    return true;
}

static void check_bind(mirror *m, int node, const cs_workload *wl)
{
    const cs_node_pool *p = cs_config_node_pool(m->cfg, (uint32_t)node);
    const cs_resources *r = &wl->requests;
    /* A node down for the control plane carries the unreachable taints (NoSchedule and
     * NoExecute); a pod may land there only when it tolerates both, the NoExecute one perhaps
     * through the toleration DefaultTolerationSeconds adds when it has none for the key. */
    static const cs_taint no_schedule = {"node.kubernetes.io/unreachable", "", CS_TAINT_NO_SCHEDULE};
    static const cs_taint no_execute = {"node.kubernetes.io/unreachable", "", CS_TAINT_NO_EXECUTE};
    bool defaulted = true;
    for (uint32_t i = 0; i < wl->n_tolerations; i++) {
        const cs_toleration *o = &wl->tolerations[i];
        if ((o->key[0] == '\0' || strcmp(o->key, no_execute.key) == 0) &&
            (o->any_effect || o->effect == CS_TAINT_NO_EXECUTE))
            defaulted = false;
    }
    if (!m->ready[node] && !(tolerates(wl, &no_schedule) && (defaulted || tolerates(wl, &no_execute))))
        fail(m, "%s bound to %s while NotReady", wl->name, m->names[node]);
    if (!spread_ok(m, node, wl))
        fail(m, "%s bound to %s against its topology spread constraints", wl->name, m->names[node]);
    if (!affinity_ok(m, node, wl))
        fail(m, "%s bound to %s against pod affinity or anti-affinity", wl->name, m->names[node]);
    m->on[node][wl - m->cfg->workloads]++;
    m->cpu[node] += r->cpu_milli;
    m->mem[node] += r->mem_bytes;
    m->pods[node] += 1;
    if ((r->cpu_milli > 0 && m->cpu[node] > p->allocatable.cpu_milli) ||
        (r->mem_bytes > 0 && m->mem[node] > p->allocatable.mem_bytes) || m->pods[node] > p->allocatable.pods)
        fail(m, "%s overcommits %s", wl->name, m->names[node]);
    for (uint32_t i = 0; i < wl->n_node_selector; i++) {
        const char *v = label(m, node, wl->node_selector[i].key);
        if (v == NULL || strcmp(v, wl->node_selector[i].value) != 0)
            fail(m, "%s bound to %s against its nodeSelector", wl->name, m->names[node]);
    }
    bool any = wl->n_required_terms == 0;
    for (uint32_t i = 0; i < wl->n_required_terms; i++)
        any = any || term_ok(m, node, &wl->required_terms[i]);
    if (!any)
        fail(m, "%s bound to %s against its required node affinity", wl->name, m->names[node]);
    for (uint32_t i = 0; i < p->n_taints; i++)
        if (p->taints[i].effect != CS_TAINT_PREFER_NO_SCHEDULE && !tolerates(wl, &p->taints[i]))
            fail(m, "%s bound to %s with an untolerated taint", wl->name, m->names[node]);
    m->binds++;
}

static void sink(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    (void)t;
    mirror *m = ctx;
    const char *node = field_str(f, n, "node");
    int id = node != NULL && node[0] != '\0' ? node_id(m, node) : -1;
    if (strcmp(type, "node.ready") == 0 || strcmp(type, "node.notready") == 0) {
        if (id >= 0)
            m->ready[id] = type[5] == 'r';
    } else if (strcmp(type, "pod.bound") == 0) {
        const cs_workload *wl = workload(m, field_str(f, n, "workload"));
        if (id < 0 || wl == NULL)
            fail(m, "pod.bound names an unknown node %s or workload %s", node, field_str(f, n, "workload"));
        else
            check_bind(m, id, wl);
    } else if (strcmp(type, "pod.terminating") == 0 && id >= 0) {
        const cs_workload *wl = workload(m, field_str(f, n, "workload"));
        int64_t pod = field_int(f, n, "pod");
        m->going[id][wl - m->cfg->workloads]++;
        if (pod >= 0 && pod < (int64_t)sizeof m->terminating)
            m->terminating[pod] = 1;
        else
            fail(m, "pod id %s beyond the mirror's table (%s)", "", "");
    } else if (strcmp(type, "pod.deleted") == 0 && id >= 0) {
        const cs_workload *wl = workload(m, field_str(f, n, "workload"));
        int64_t pod = field_int(f, n, "pod");
        if (pod >= 0 && pod < (int64_t)sizeof m->terminating && m->terminating[pod])
            m->going[id][wl - m->cfg->workloads]--;
        m->cpu[id] -= wl->requests.cpu_milli;
        m->mem[id] -= wl->requests.mem_bytes;
        m->pods[id] -= 1;
        m->on[id][wl - m->cfg->workloads]--;
    }
}

#define ADD(...) (o += (size_t)snprintf(buf + o, size - o, __VA_ARGS__))

/* A random scenario into buf. */
static void random_scenario(uint64_t *s, char *buf, size_t size)
{
    static const char *const taints[] = {"{key: dedicated, value: batch, effect: NoSchedule}",
                                         "{key: spot, effect: PreferNoSchedule}", "{key: gpu, effect: NoExecute}"};
    static const char *const tolerations[] = {"{key: dedicated, operator: Equal, value: batch}",
                                              "{key: dedicated, operator: Exists, effect: NoSchedule}",
                                              "{operator: Exists}", "{key: gpu, operator: Exists}",
                                              "{key: spot, operator: Exists, effect: PreferNoSchedule}"};
    static const char *const required[] = {
        "{matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [z1]}]}",
        "{matchExpressions: [{key: gen, operator: Gt, values: ['4']}]}",
        "{matchExpressions: [{key: gen, operator: Lt, values: ['3']}, {key: disk, operator: Exists}]}",
        "{matchFields: [{key: metadata.name, operator: NotIn, values: [p0-0]}]}",
        "{matchExpressions: [{key: disk, operator: DoesNotExist}]}",
        "{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [p1-0, p0-1]}]}",
    };
    static const char *const topology_keys[] = {"topology.kubernetes.io/zone", "kubernetes.io/hostname", "disk"};
    static const char *const selectors[] = {"{matchLabels: {app: a0}}", "{matchExpressions: [{key: app, operator: In, "
                                            "values: [a0, a1]}]}",
                                            "{matchExpressions: [{key: app, operator: NotIn, values: [a2]}]}", "{}"};
    static const char *const strategies[] = {"", "{type: MostAllocated}",
                                             "{type: RequestedToCapacityRatio, requestedToCapacityRatio: "
                                             "{shape: [{utilization: 0, score: 10}, {utilization: 100, score: 0}]}}"};
    size_t o = 0;
    ADD("apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: prop}\nspec:\n  duration: 2h\n");
    uint32_t strategy = below(s, 3);
    if (strategy > 0 || below(s, 2))
        ADD("  scheduler:\n    percentageOfNodesToScore: %u\n    pluginConfig: {NodeResourcesFit: "
            "{scoringStrategy: %s}}\n",
            below(s, 101), strategy > 0 ? strategies[strategy] : "{type: LeastAllocated}");
    ADD("  cluster:\n    nodePools:\n");
    uint32_t pools = 1 + below(s, 4), nodes = 0;
    for (uint32_t p = 0; p < pools; p++) {
        uint32_t count = 1 + below(s, 6);
        nodes += count;
        ADD("      - name: p%u\n        count: %u\n        allocatable: {cpu: '%u', memory: %uGi, pods: %u}\n", p,
            count, 1 + below(s, 8), 1 + below(s, 16), 2 + below(s, 20));
        if (below(s, 2))
            ADD("        zones: [z1%s]\n", below(s, 2) ? ", z2, z3" : "");
        if (below(s, 3))
            ADD("        labels: {%s gen: '%s'}\n", below(s, 2) ? "disk: ssd," : "", below(s, 5) ? "5" : "x");
        if (below(s, 3) == 0)
            ADD("        taints: [%s]\n", taints[below(s, 3)]);
    }
    uint32_t wls = 1 + below(s, 4);
    ADD("  workloads:\n");
    for (uint32_t w = 0; w < wls; w++) {
        ADD("    - name: w%u\n      replicas: %u\n      priority: %d\n", w, below(s, 9), (int)below(s, 21) - 10);
        ADD("      resources: {requests: {cpu: %um, memory: %uMi}}\n", 250 * below(s, 9), 512 * below(s, 9));
        if (below(s, 4) == 0)
            ADD("      nodeSelector: {disk: ssd}\n");
        if (below(s, 2))
            ADD("      tolerations: [%s, %s]\n", tolerations[below(s, 5)], tolerations[below(s, 5)]);
        ADD("      labels: {app: a%u}\n", below(s, 3));
        if (below(s, 3) == 0) {
            uint32_t key = below(s, 3);
            ADD("      topologySpreadConstraints:\n        - {maxSkew: %u, topologyKey: %s, labelSelector: %s, "
                "whenUnsatisfiable: %s}\n",
                1 + below(s, 2), topology_keys[key], selectors[below(s, 4)],
                below(s, 3) == 0 ? "ScheduleAnyway" : below(s, 2) ? "DoNotSchedule, minDomains: 2" : "DoNotSchedule");
            if (below(s, 2))
                ADD("        - {maxSkew: 1, topologyKey: %s, labelSelector: %s, whenUnsatisfiable: DoNotSchedule}\n",
                    topology_keys[(key + 1) % 3], selectors[below(s, 4)]);
        }
        bool node_affinity = below(s, 2), pod_terms = below(s, 3) == 0;
        if (node_affinity || pod_terms)
            ADD("      affinity:\n");
        if (node_affinity) {
            ADD("        nodeAffinity:\n");
            if (below(s, 2))
                ADD("          requiredDuringSchedulingIgnoredDuringExecution:\n"
                    "            nodeSelectorTerms: [%s, %s]\n",
                    required[below(s, 6)], required[below(s, 6)]);
            ADD("          preferredDuringSchedulingIgnoredDuringExecution:\n"
                "            - {weight: %u, preference: %s}\n",
                1 + below(s, 100), required[below(s, 6)]);
        }
        if (pod_terms) {
            ADD("        %s:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
                "            - {topologyKey: %s, labelSelector: %s}\n",
                below(s, 2) ? "podAffinity" : "podAntiAffinity", topology_keys[below(s, 3)], selectors[below(s, 4)]);
            ADD("          preferredDuringSchedulingIgnoredDuringExecution:\n"
                "            - {weight: %u, podAffinityTerm: {topologyKey: %s, labelSelector: %s}}\n",
                1 + below(s, 100), topology_keys[below(s, 3)], selectors[below(s, 4)]);
        }
    }
    uint32_t actions = below(s, 5);
    if (actions > 0)
        ADD("  timeline:\n");
    for (uint32_t a = 0; a < actions; a++) {
        if (below(s, 3) == 0)
            ADD("    - {at: %um, action: scale, workload: w%u, replicas: %u}\n", below(s, 110), below(s, wls),
                below(s, 12));
        else
            ADD("    - {at: %um, action: nodeFailure, pool: p%u, duration: %um}\n", below(s, 110), below(s, pools),
                1 + below(s, 30));
    }
    (void)nodes;
}

static void test_bound_pods_satisfy_every_filter_and_no_node_is_overcommitted(void)
{
    uint64_t s = SEED;
    uint32_t total_binds = 0;
    static char yaml[8192];
    for (uint32_t c = 0; c < CASES; c++) {
        random_scenario(&s, yaml, sizeof yaml);
        cs_config *cfg = load_case(yaml, SEED, c);
        CU_ASSERT_FATAL(cfg->n_nodes <= MAX_NODES);
        static mirror m;
        memset(&m, 0, sizeof m);
        m.cfg = cfg;
        m.case_no = c;
        for (uint32_t i = 0; i < cfg->n_nodes; i++) {
            cs_config_node_name(cfg, i, m.names[i], sizeof m.names[i]);
            m.ready[i] = true;
        }
        cs_trace_sink ts = {.fn = sink, .ctx = &m};
        cs_world *w = cs_world_new(cfg, SEED, c, &ts);
        CU_ASSERT_PTR_NOT_NULL_FATAL(w);
        CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
        cs_world_free(w);
        if (m.failures != 0)
            fprintf(stderr, "\n%s (%u violations)\n%s", m.first, m.failures, yaml);
        CU_ASSERT_EQUAL(m.failures, 0);
        total_binds += m.binds;
        cs_config_free(cfg);
    }
    CU_ASSERT(total_binds > 1000);   /* the cases schedule enough pods to mean something */
}

static CU_TestInfo tests[] = {
    {"bound pods satisfy every filter and no node is overcommitted",
     test_bound_pods_satisfy_every_filter_and_no_node_is_overcommitted},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_sched_property_suite = {.pName = "sched_property", .pTests = tests};
