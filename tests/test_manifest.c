/* test_manifest.c -- Kubernetes manifests (sim/manifest.c): effective requests as the scheduler
 * computes them, defaults, priorities, Nodes as pools, skipped kinds, `spec.include` with paths
 * relative to the scenario, a plain manifest as a scenario, and errors at the right line,
 * column and object path; every allocation failure is clean. The manifests are our own, in
 * tests/manifests/. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "clustersim/scenario.h"

#define MiB ((int64_t)1 << 20)
#define GiB ((int64_t)1 << 30)
#define DIR CS_TEST_DATA "/manifests"

static cs_config *load_file(const char *path)
{
    cs_config *cfg = NULL;
    cs_diag d = {0};
    cs_status st = cs_scenario_load_file(path, &cfg, &d);
    if (st != CS_OK) {
        char buf[1200];
        fprintf(stderr, "\n%s", cs_diag_format(&d, buf, sizeof buf));
    }
    CU_ASSERT_EQUAL_FATAL(st, CS_OK);
    return cfg;
}

static cs_config *load_text(const char *name, const char *yaml)
{
    cs_config *cfg = NULL;
    cs_diag d = {0};
    cs_status st = cs_scenario_load_buffer(name, yaml, strlen(yaml), &cfg, &d);
    if (st != CS_OK) {
        char buf[1200];
        fprintf(stderr, "\n%s", cs_diag_format(&d, buf, sizeof buf));
    }
    CU_ASSERT_EQUAL_FATAL(st, CS_OK);
    return cfg;
}

static const cs_workload *workload(const cs_config *cfg, const char *name)
{
    for (uint32_t i = 0; i < cfg->n_workloads; i++)
        if (strcmp(cfg->workloads[i].name, name) == 0)
            return &cfg->workloads[i];
    CU_FAIL_FATAL("no such workload");
    return NULL;
}

/* One Node, so that a plain manifest is a scenario; the documents under test start at line 6. */
#define NODE                                                    \
    "apiVersion: v1\n"                                          \
    "kind: Node\n"                                              \
    "metadata: {name: n1}\n"                                    \
    "status: {allocatable: {cpu: \"4\", memory: 16Gi}}\n"       \
    "---\n"

static void test_effective_requests_follow_the_scheduler(void)
{
    cs_config *cfg = load_file(DIR "/scenario/with-include.yaml");
    /* web: containers 500m + 200m (proxy: limits as requests), plus the log-shipper sidecar
     * 100m = 800m; init containers: migrate 2, warm-cache 1500m + the sidecar started before it
     * = 1600m; max 2000m, plus overhead 50m. Memory: 1Gi + 128Mi + 64Mi against 2Gi + 64Mi,
     * plus 10Mi. The GPU limit is not modelled. */
    const cs_workload *web = workload(cfg, "web");
    CU_ASSERT_EQUAL(web->requests.cpu_milli, 2050);
    CU_ASSERT_EQUAL(web->requests.mem_bytes, 2 * GiB + 74 * MiB);
    CU_ASSERT_EQUAL(web->requests.ephemeral_bytes, 1 * GiB);
    CU_ASSERT_EQUAL(web->requests.pods, 1);
    /* cache: two containers sharing one anchored resources mapping. */
    const cs_workload *cache = workload(cfg, "cache");
    CU_ASSERT_EQUAL(cache->requests.cpu_milli, 200);
    CU_ASSERT_EQUAL(cache->requests.mem_bytes, 200 * MiB);
    const cs_workload *debug = workload(cfg, "debug");
    CU_ASSERT_EQUAL(debug->requests.cpu_milli, 0);
    CU_ASSERT_EQUAL(debug->requests.mem_bytes, 0);
    CU_ASSERT_EQUAL(debug->requests.pods, 1);
    cs_config_free(cfg);
}

static void test_limits_default_requests_per_resource(void)
{
    cs_config *cfg = load_text("limits.yaml", NODE
                               "apiVersion: apps/v1\n"
                               "kind: Deployment\n"
                               "metadata: {name: a}\n"
                               "spec:\n"
                               "  selector: {matchLabels: {app: a}}\n"
                               "  template:\n"
                               "    metadata: {labels: {app: a}}\n"
                               "    spec:\n"
                               "      containers:\n"
                               "        - {name: x, resources: {requests: {cpu: 100m}, limits: {cpu: 1, memory: 1Gi}}}\n"
                               "        - {name: y, resources: {limits: {cpu: \"0.25\", ephemeral-storage: 2Gi}}}\n"
                               "      initContainers:\n"
                               "        - {name: i, resources: {limits: {memory: 3Gi}}}\n");
    const cs_workload *a = workload(cfg, "a");
    CU_ASSERT_EQUAL(a->requests.cpu_milli, 350);     /* 100m requested; 250m from y's limit */
    CU_ASSERT_EQUAL(a->requests.mem_bytes, 3 * GiB); /* the init container's limit wins */
    CU_ASSERT_EQUAL(a->requests.ephemeral_bytes, 2 * GiB);
    CU_ASSERT_EQUAL(a->replicas, 1);
    CU_ASSERT_STRING_EQUAL(a->kind, "Deployment");
    cs_config_free(cfg);
}

static void test_replicas_and_kinds(void)
{
    cs_config *cfg = load_file(DIR "/scenario/with-include.yaml");
    static const struct {
        const char *name, *kind;
        uint32_t replicas;
    } want[] = {
        {"web", "Deployment", 3}, {"db", "StatefulSet", 1}, {"cache", "ReplicaSet", 2},
        {"debug", "Pod", 1},      {"api", "Deployment", 4},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const cs_workload *w = workload(cfg, want[i].name);
        CU_ASSERT_STRING_EQUAL(w->kind, want[i].kind);
        CU_ASSERT_EQUAL(w->replicas, want[i].replicas);
        CU_ASSERT_EQUAL(w->startup.kind, CS_DIST_CONSTANT);
        CU_ASSERT_DOUBLE_EQUAL(w->startup.p1, 10.0, 1e-12);
    }
    const cs_workload *web = workload(cfg, "web");
    CU_ASSERT_EQUAL(web->n_labels, 2);
    CU_ASSERT_STRING_EQUAL(web->labels[1].key, "tier");
    CU_ASSERT_STRING_EQUAL(web->labels[1].value, "frontend");
    CU_ASSERT_STRING_EQUAL(workload(cfg, "debug")->labels[0].value, "debug");
    cs_config_free(cfg);
}

static void test_priority_class_names_resolve(void)
{
    cs_config *cfg = load_file(DIR "/scenario/with-include.yaml");
    CU_ASSERT_EQUAL(workload(cfg, "web")->priority, 1000);   /* priorityClassName: high */
    CU_ASSERT_EQUAL(workload(cfg, "db")->priority, 10);      /* the global default, declared later */
    CU_ASSERT_EQUAL(workload(cfg, "debug")->priority, 10);   /* spec.priority agrees with it */
    CU_ASSERT_EQUAL(workload(cfg, "api")->priority, 10);     /* defaults cross files */
    CU_ASSERT_EQUAL(workload(cfg, "batch")->priority, 0);    /* the scenario's own */
    cs_config_free(cfg);

    cfg = load_text("prio.yaml", NODE
                    "{apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: b}, value: 7, "
                    "globalDefault: true}\n"
                    "---\n"
                    "{apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: a}, value: 5, "
                    "globalDefault: true}\n"
                    "---\n"
                    "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: []}}\n"
                    "---\n"
                    "{apiVersion: v1, kind: Pod, metadata: {name: q}, spec: {priorityClassName: system-node-critical}}\n"
                    "---\n"
                    "{apiVersion: v1, kind: Pod, metadata: {name: r}, spec: {priorityClassName: gone, priority: -3}}\n");
    CU_ASSERT_EQUAL(workload(cfg, "p")->priority, 5);            /* the lowest of two defaults */
    CU_ASSERT_EQUAL(workload(cfg, "q")->priority, 2000001000);
    CU_ASSERT_EQUAL(workload(cfg, "r")->priority, -3);           /* exported: taken as it is */
    cs_config_free(cfg);
}

static void test_scheduling_fields_of_the_pod_template(void)
{
    cs_config *cfg = load_file(DIR "/scenario/with-include.yaml");
    const cs_workload *w = workload(cfg, "web");
    CU_ASSERT_EQUAL_FATAL(w->n_node_selector, 1);
    CU_ASSERT_STRING_EQUAL(w->node_selector[0].key, "disktype");
    CU_ASSERT_STRING_EQUAL(w->node_selector[0].value, "ssd");
    CU_ASSERT_EQUAL_FATAL(w->n_required_terms, 2);
    const cs_node_selector_term *t = &w->required_terms[0];
    CU_ASSERT_EQUAL_FATAL(t->n_match_expressions, 1);
    CU_ASSERT_EQUAL(t->n_match_fields, 0);
    CU_ASSERT_STRING_EQUAL(t->match_expressions[0].key, "topology.kubernetes.io/zone");
    CU_ASSERT_EQUAL(t->match_expressions[0].op, CS_OP_IN);
    CU_ASSERT_EQUAL_FATAL(t->match_expressions[0].n_values, 2);
    CU_ASSERT_STRING_EQUAL(t->match_expressions[0].values[1], "zone-b");
    t = &w->required_terms[1];
    CU_ASSERT_EQUAL_FATAL(t->n_match_fields, 1);
    CU_ASSERT_STRING_EQUAL(t->match_fields[0].key, "metadata.name");
    CU_ASSERT_STRING_EQUAL(t->match_fields[0].values[0], "node-c");
    CU_ASSERT_EQUAL_FATAL(w->n_preferred_terms, 1);
    CU_ASSERT_EQUAL(w->preferred_terms[0].weight, 20);
    CU_ASSERT_EQUAL(w->preferred_terms[0].term.match_expressions[0].op, CS_OP_EXISTS);
    CU_ASSERT_EQUAL(w->preferred_terms[0].term.match_expressions[0].n_values, 0);
    CU_ASSERT_EQUAL_FATAL(w->n_tolerations, 3);
    const cs_toleration *tol = w->tolerations;
    CU_ASSERT_STRING_EQUAL(tol[0].key, "dedicated");
    CU_ASSERT_EQUAL(tol[0].op, CS_TOL_EQUAL);
    CU_ASSERT_STRING_EQUAL(tol[0].value, "web");
    CU_ASSERT_FALSE(tol[0].any_effect);
    CU_ASSERT_EQUAL(tol[0].effect, CS_TAINT_NO_SCHEDULE);
    CU_ASSERT_STRING_EQUAL(tol[1].key, "");
    CU_ASSERT_EQUAL(tol[1].op, CS_TOL_EXISTS);
    CU_ASSERT_TRUE(tol[1].any_effect);
    CU_ASSERT_FALSE(tol[1].has_seconds);
    CU_ASSERT_EQUAL(tol[2].effect, CS_TAINT_NO_EXECUTE);
    CU_ASSERT_TRUE(tol[2].has_seconds);
    CU_ASSERT_EQUAL(tol[2].seconds, 30);
    CU_ASSERT_EQUAL(workload(cfg, "db")->n_tolerations, 0);
    cs_config_free(cfg);
}

static void test_nodes_become_pools_of_one(void)
{
    cs_config *cfg = load_file(DIR "/cluster.yaml");
    CU_ASSERT_STRING_EQUAL(cfg->name, "cluster");
    CU_ASSERT_EQUAL(cfg->duration, CS_HOUR);
    CU_ASSERT_EQUAL(cfg->replications, 10);
    CU_ASSERT_EQUAL(cfg->seed, 1);
    CU_ASSERT_EQUAL_FATAL(cfg->n_pools, 3);
    CU_ASSERT_EQUAL(cfg->n_nodes, 3);
    const cs_node_pool *a = &cfg->pools[0], *b = &cfg->pools[1], *c = &cfg->pools[2];
    CU_ASSERT_STRING_EQUAL(a->name, "node-a");
    CU_ASSERT_EQUAL(a->count, 1);
    CU_ASSERT_EQUAL(c->first_node, 2);
    /* allocatable, not capacity */
    CU_ASSERT_EQUAL(a->allocatable.cpu_milli, 7910);
    CU_ASSERT_EQUAL(a->allocatable.mem_bytes, 31 * GiB);
    CU_ASSERT_EQUAL(a->allocatable.pods, 110);
    CU_ASSERT_EQUAL(a->allocatable.ephemeral_bytes, 100 * GiB);
    CU_ASSERT_EQUAL(a->n_labels, 3);
    CU_ASSERT_EQUAL(b->allocatable.pods, 58);
    CU_ASSERT_EQUAL_FATAL(b->n_taints, 1);
    CU_ASSERT_STRING_EQUAL(b->taints[0].key, "dedicated");
    CU_ASSERT_STRING_EQUAL(b->taints[0].value, "web");
    CU_ASSERT_EQUAL(b->taints[0].effect, CS_TAINT_NO_SCHEDULE);
    /* capacity when there is no allocatable; kubelet's default pods */
    CU_ASSERT_EQUAL(c->allocatable.cpu_milli, 2000);
    CU_ASSERT_EQUAL(c->allocatable.mem_bytes, 8 * GiB);
    CU_ASSERT_EQUAL(c->allocatable.pods, 110);
    /* zones from topology.kubernetes.io/zone, or the deprecated failure-domain label */
    CU_ASSERT_EQUAL_FATAL(cfg->n_zones, 2);
    CU_ASSERT_STRING_EQUAL(cfg->zones[0], "zone-a");
    CU_ASSERT_EQUAL(cs_config_node_zone(cfg, 1), 1);
    CU_ASSERT_EQUAL(cs_config_node_zone(cfg, 2), 0);
    char buf[64];
    CU_ASSERT_STRING_EQUAL(cs_config_node_name(cfg, 1, buf, sizeof buf), "node-b-0");
    /* spec.unschedulable: node-c starts cordoned, the others do not */
    CU_ASSERT_FALSE(a->unschedulable);
    CU_ASSERT_TRUE(c->unschedulable);
    CU_ASSERT_EQUAL(cfg->n_skipped_kinds, 0);
    CU_ASSERT_EQUAL(cfg->n_workloads, 1);
    cs_config_free(cfg);
}

static void test_skipped_kinds_are_counted_once_each(void)
{
    cs_config *cfg = load_file(DIR "/scenario/with-include.yaml");
    CU_ASSERT_EQUAL_FATAL(cfg->n_skipped_kinds, 2);   /* the DaemonSet is a workload */
    CU_ASSERT_STRING_EQUAL(cfg->skipped_kinds[0], "ConfigMap (2)");
    CU_ASSERT_STRING_EQUAL(cfg->skipped_kinds[1], "ServiceAccount (1)");
    /* replicaset/cache's topologySpreadConstraints are read, with the upstream defaults. */
    const cs_workload *cache = NULL;
    for (uint32_t i = 0; i < cfg->n_workloads; i++)
        if (strcmp(cfg->workloads[i].name, "cache") == 0)
            cache = &cfg->workloads[i];
    CU_ASSERT_PTR_NOT_NULL_FATAL(cache);
    CU_ASSERT_EQUAL_FATAL(cache->n_spread, 1);
    CU_ASSERT_EQUAL(cache->spread[0].max_skew, 1);
    CU_ASSERT_STRING_EQUAL(cache->spread[0].topology_key, "topology.kubernetes.io/zone");
    CU_ASSERT_FALSE(cache->spread[0].schedule_anyway);
    CU_ASSERT_EQUAL(cache->spread[0].min_domains, 1);
    CU_ASSERT_TRUE(cache->spread[0].honor_node_affinity);
    CU_ASSERT_FALSE(cache->spread[0].honor_node_taints);
    CU_ASSERT_FALSE(cache->spread[0].selector.present);   /* no labelSelector: selects no pod */
    CU_ASSERT_EQUAL_FATAL(cfg->n_services, 2);
    CU_ASSERT_STRING_EQUAL(cfg->services[0].name, "web");
    CU_ASSERT_EQUAL_FATAL(cfg->services[0].n_selector, 1);
    CU_ASSERT_STRING_EQUAL(cfg->services[0].selector[0].value, "web");
    CU_ASSERT_EQUAL(cfg->services[1].n_selector, 0);
    cs_config_free(cfg);
}

static void test_include_appends_after_the_scenario(void)
{
    cs_config *cfg = load_file(DIR "/scenario/with-include.yaml");
    CU_ASSERT_STRING_EQUAL(cfg->name, "with-include");
    CU_ASSERT_EQUAL(cfg->replications, 4);
    CU_ASSERT_EQUAL_FATAL(cfg->n_pools, 4);
    CU_ASSERT_STRING_EQUAL(cfg->pools[0].name, "general");
    CU_ASSERT_STRING_EQUAL(cfg->pools[3].name, "node-c");
    CU_ASSERT_EQUAL(cfg->n_nodes, 5);
    CU_ASSERT_EQUAL(cfg->pools[2].first_node, 3);
    /* zone-b and zone-c from the scenario, then zone-a from the nodes */
    CU_ASSERT_EQUAL_FATAL(cfg->n_zones, 3);
    CU_ASSERT_STRING_EQUAL(cfg->zones[2], "zone-a");
    CU_ASSERT_EQUAL(cs_config_node_zone(cfg, 3), 0);
    CU_ASSERT_EQUAL_FATAL(cfg->n_workloads, 7);
    static const char *const order[] = {"batch", "web", "db", "cache", "debug", "node-exporter", "api"};
    for (uint32_t i = 0; i < 7; i++)
        CU_ASSERT_STRING_EQUAL(cfg->workloads[i].name, order[i]);
    CU_ASSERT_TRUE(cfg->workloads[5].daemonset);
    CU_ASSERT_STRING_EQUAL(cfg->workloads[0].kind != NULL ? cfg->workloads[0].kind : "Deployment", "Deployment");
    /* the timeline and the properties refer to what the manifests declared */
    CU_ASSERT_EQUAL_FATAL(cfg->n_timeline, 3);
    CU_ASSERT_EQUAL(cfg->timeline[0].node, 3);
    CU_ASSERT_EQUAL(cfg->timeline[1].workload, 6);
    CU_ASSERT_EQUAL(cfg->timeline[2].zone, 2);
    CU_ASSERT_EQUAL(cfg->properties[0].workload, 6);
    cs_config_free(cfg);
}

static void test_a_plain_manifest_is_a_scenario(void)
{
    cs_config *cfg = load_text("some/dir/My_Cluster.Prod.yaml", NODE "apiVersion: v1\nkind: ConfigMap\n");
    CU_ASSERT_STRING_EQUAL(cfg->name, "my-cluster-prod");
    CU_ASSERT_EQUAL(cfg->n_pools, 1);
    CU_ASSERT_EQUAL(cfg->n_workloads, 0);
    CU_ASSERT_EQUAL_FATAL(cfg->n_skipped_kinds, 1);
    CU_ASSERT_STRING_EQUAL(cfg->skipped_kinds[0], "ConfigMap (1)");
    cs_config_free(cfg);
    /* comments and an empty document before the first object */
    cfg = load_text("___.yml", "# nodes\n---\n---\n" NODE);
    CU_ASSERT_STRING_EQUAL(cfg->name, "manifest");
    cs_config_free(cfg);
}

typedef struct bad {
    const char *yaml;
    int line, col;
    const char *path, *msg;
} bad;

static const bad bads[] = {
    {NODE "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n"
          "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"
          "      containers:\n        - name: app\n          resources: {requests: {cpu: 2 cores}}\n",
     16, 39, "deployment/web: spec.template.spec.containers[0].resources.requests.cpu",
     "expected a CPU quantity such as 500m or 2, found \"2 cores\""},
    {NODE "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n"
          "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"
          "      containers: {name: app}\n",
     14, 19, "deployment/web: spec.template.spec.containers", "expected a sequence of containers, found a mapping"},
    {NODE "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\n"
          "spec: {replicas: three, selector: {matchLabels: {app: db}}, template: {}}\n",
     9, 18, "statefulset/db: spec.replicas", "expected an integer between 0 and 1000000, found \"three\""},
    {NODE "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
          "spec: {replicas: 2, selector: {matchLabels: {app: web}}}\n",
     9, 7, "deployment/web: spec.template", "missing required field 'template'"},
    {NODE "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {priorityClassName: hihg}}\n",
     6, 76, "pod/p: spec.priorityClassName", "no PriorityClass named \"hihg\" was found"},
    {NODE "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {priority: 5}}\n",
     6, 67, "pod/p: spec.priority",
     "the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 "
     "from the given PriorityClass name"},
    {NODE "{apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {}}\n---\n"
          "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, "
          "spec: {selector: {matchLabels: {app: web}}, template: {}}}\n",
     8, 58, "deployment/web: metadata.name",
     "expected a workload name not used before, found \"web\", already used at test.yaml:6"},
    {"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
     "spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {}}}\n", 1, 1, "",
     "no nodes: add v1 Node documents or use a Scenario with spec.cluster.nodePools"},
    {"apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {conditions: []}\n", 4, 9, "node/n1: status.allocatable",
     "missing required field 'allocatable' (or 'capacity'): the node's cpu and memory"},
    {"apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus:\n  capacity: {cpu: 4, memory: lots}\n", 5, 30,
     "node/n1: status.capacity.memory", "expected a memory quantity such as 512Mi or 16Gi, found \"lots\""},
    {NODE "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  affinity:\n    nodeAffinity:\n"
          "      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n"
          "          - matchExpressions: [{key: zone, operator: Equals, values: [a]}]\n",
     14, 54,
     "pod/p: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]."
     "matchExpressions[0].operator",
     "expected one of DoesNotExist, Exists, Gt, In, Lt, NotIn, found \"Equals\""},
    {NODE "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {tolerations: [{key: k, operator: Exists, value: v}]}}\n",
     6, 105, "pod/p: spec.tolerations[0].value", "expected no value with operator Exists, found \"v\""},
    {NODE "apiVersion: v1\nmetadata: {name: x}\n", 6, 1, "kind", "missing required field 'kind'"},
    {NODE "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {initContainers: [{name: i, restartPolicy: Never}]}}\n",
     6, 99, "pod/p: spec.initContainers[0].restartPolicy",
     "expected Always (the only restartPolicy an init container may have), found \"Never\""},
    {NODE "{apiVersion: v1, kind: Pod, metadata: {name: Web_1}}\n", 6, 46, "pod: metadata.name",
     "expected a name of lowercase letters, digits, '-' and '.' that starts and ends with a letter or digit (a "
     "DNS-1123 subdomain), found \"Web_1\""},
    /* A budget's selector is a label selector: Gt belongs to node selectors only. */
    {NODE "{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: b}, "
          "spec: {selector: {matchExpressions: [{key: n, operator: Gt, values: [\"1\"]}]}}}\n",
     6, 129, "poddisruptionbudget/b: spec.selector.matchExpressions[0].operator",
     "expected one of DoesNotExist, Exists, In, NotIn, found \"Gt\""},
    /* Each dot-separated label of a subdomain starts and ends alphanumeric (IsDNS1123Subdomain). */
    {NODE "{apiVersion: v1, kind: Pod, metadata: {name: web.-1}}\n", 6, 46, "pod: metadata.name",
     "expected a name of lowercase letters, digits, '-' and '.' that starts and ends with a letter or digit (a "
     "DNS-1123 subdomain), found \"web.-1\""},
};

static void test_bad_manifests_are_reported_where_they_are(void)
{
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        const bad *b = &bads[i];
        cs_config sentinel, *cfg = &sentinel;
        cs_diag d = {0};
        cs_status st = cs_scenario_load_buffer("test.yaml", b->yaml, strlen(b->yaml), &cfg, &d);
        CU_ASSERT_EQUAL(st, CS_EINPUT);
        CU_ASSERT_PTR_EQUAL(cfg, &sentinel);
        bool ok = d.line == b->line && d.col == b->col && strcmp(d.path, b->path) == 0 && strcmp(d.msg, b->msg) == 0 &&
                  strcmp(d.file, "test.yaml") == 0;
        if (!ok)
            fprintf(stderr, "\ncase %zu: got %s:%d:%d [%s] %s\n", i, d.file, d.line, d.col, d.path, d.msg);
        CU_ASSERT_TRUE(ok);
    }
}

/* Loads yaml, which must fail; returns the diagnostic. */
static cs_diag load_bad(const char *yaml)
{
    cs_config sentinel, *cfg = &sentinel;
    cs_diag d = {0};
    CU_ASSERT_EQUAL(cs_scenario_load_buffer("test.yaml", yaml, strlen(yaml), &cfg, &d), CS_EINPUT);
    CU_ASSERT_PTR_EQUAL(cfg, &sentinel);
    return d;
}

/* A Deployment whose selector is the given flow mapping and whose template labels are given;
 * the selector is on line 10, the labels mapping starts at line 12, column 24. */
#define SELECTING(selector, labels)                                                \
    NODE "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n" \
         "  selector: " selector "\n"                                              \
         "  template:\n    metadata: {labels: " labels "}\n"                      \
         "    spec: {containers: [{name: web, image: nginx}]}\n"

/* The template's labels must satisfy every term of spec.selector, each judged as
 * labels.Requirement.Matches does (ValidatePodTemplateSpecForReplicaSet). */
static void test_a_selector_must_select_its_template(void)
{
    /* In: app listed; NotIn: track absent, which NotIn lets through; Exists: tier is there;
     * DoesNotExist: legacy is not. */
    cs_config *cfg = load_text("ok.yaml", SELECTING("{matchExpressions: [{key: app, operator: In, values: [api, web]}, "
                                                    "{key: track, operator: NotIn, values: [canary]}, "
                                                    "{key: tier, operator: Exists}, "
                                                    "{key: legacy, operator: DoesNotExist}]}",
                                                    "{app: web, tier: frontend}"));
    const cs_workload *web = workload(cfg, "web");
    CU_ASSERT_EQUAL(web->n_labels, 2);
    CU_ASSERT_EQUAL(web->replicas, 1);
    cs_config_free(cfg);

    /* NotIn fails once the label holds a listed value; the first failing term is named. */
    cs_diag d = load_bad(SELECTING("{matchExpressions: [{key: app, operator: In, values: [web]}, "
                                   "{key: track, operator: NotIn, values: [canary]}]}",
                                   "{app: web, track: canary}"));
    CU_ASSERT_EQUAL(d.line, 12);
    CU_ASSERT_EQUAL(d.col, 24);
    CU_ASSERT_STRING_EQUAL(d.path, "deployment/web: spec.template.metadata.labels");
    CU_ASSERT_STRING_EQUAL(d.msg, "expected labels that spec.selector selects, found labels that "
                                  "spec.selector.matchExpressions[1] (line 10) rejects");
    /* matchLabels come first: app differs before the expression is looked at. */
    d = load_bad(SELECTING("{matchLabels: {tier: frontend, app: web}, matchExpressions: [{key: x, operator: Exists}]}",
                           "{app: api, tier: frontend}"));
    CU_ASSERT_STRING_EQUAL(d.msg, "expected labels that spec.selector selects, found labels that "
                                  "spec.selector.matchLabels.app (line 10) rejects");
    /* A template without labels: the message points at the template's metadata. */
    const char *bare = NODE "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\n"
                            "spec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {name: x}\n"
                            "    spec: {containers: [{name: pg, image: postgres}]}\n";
    d = load_bad(bare);
    CU_ASSERT_EQUAL(d.line, 12);
    CU_ASSERT_EQUAL(d.col, 15);
    CU_ASSERT_STRING_EQUAL(d.path, "statefulset/db: spec.template.metadata.labels");
    CU_ASSERT_STRING_EQUAL(d.msg, "expected labels that spec.selector selects, found no labels, which "
                                  "spec.selector.matchLabels.app (line 10) rejects");
}

/* Selector keys are qualified names and values label values (ValidateLabelSelector, with
 * IsQualifiedName and IsValidLabelValue of apimachinery/pkg/util/validation): each case names
 * the regex rule it breaks. */
static void test_selector_keys_and_values_follow_apimachinery(void)
{
    /* A prefix with dots and dashes, '_' and '.' inside a name, capitals, an empty value, 63 bytes. */
    cs_config *cfg = load_text("ok.yaml", SELECTING("{matchLabels: {app.kubernetes.io/name: web, A_b.c-D: \"\"}, "
                                                    "matchExpressions: [{key: x-1.example.com/Tier_2, operator: NotIn, "
                                                    "values: [v, My.Value_1, a23456789b123456789c123456789d123456789"
                                                    "e123456789f123456789g123]}]}",
                                                    "{app.kubernetes.io/name: web, A_b.c-D: \"\"}"));
    cs_config_free(cfg);
    static const struct {
        const char *selector, *path, *found;
        bool value;
    } cases[] = {
        {"{matchLabels: {/app: web}}", "matchLabels./app", "\"/app\"", false},                  /* empty prefix */
        {"{matchLabels: {a/b/c: web}}", "matchLabels.a/b/c", "\"a/b/c\"", false},               /* two slashes */
        {"{matchLabels: {Example.com/app: web}}", "matchLabels.Example.com/app", "\"Example.com/app\"", false},
        {"{matchLabels: {a..b/app: web}}", "matchLabels.a..b/app", "\"a..b/app\"", false},      /* empty DNS label */
        {"{matchLabels: {a.-b/app: web}}", "matchLabels.a.-b/app", "\"a.-b/app\"", false},      /* label starts with - */
        {"{matchLabels: {_app: web}}", "matchLabels._app", "\"_app\"", false},                  /* starts with _ */
        {"{matchLabels: {app: web-}}", "matchLabels.app", "\"web-\"", true},                    /* ends with - */
        {"{matchLabels: {app: \"a b\"}}", "matchLabels.app", "\"a b\"", true},                  /* a space */
        {"{matchExpressions: [{key: \"app.\", operator: Exists}]}", "matchExpressions[0].key", "\"app.\"", false},
        {"{matchExpressions: [{key: app, operator: In, values: [web, a23456789b123456789c123456789d123456789"
         "e123456789f123456789g1234]}]}",
         "matchExpressions[0].values[1]", "\"a23456789b123456789c123456789d123456789e...\"", true},   /* 64 bytes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[600], path[200], msg[400];
        snprintf(yaml, sizeof yaml,
                 NODE "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: %s\n"
                      "  template:\n    metadata: {labels: {app: web}}\n    spec: {}\n",
                 cases[i].selector);
        snprintf(path, sizeof path, "deployment/web: spec.selector.%s", cases[i].path);
        snprintf(msg, sizeof msg, "expected %s, found %s",
                 cases[i].value ? "a label value: empty, or up to 63 letters, digits, '-', '_' or '.', alphanumeric "
                                  "at both ends"
                                : "a label key such as app or app.kubernetes.io/name: an optional DNS subdomain and "
                                  "'/', then up to 63 letters, digits, '-', '_' or '.', alphanumeric at both ends",
                 cases[i].found);
        cs_diag d = load_bad(yaml);
        bool ok = d.line == 10 && strcmp(d.path, path) == 0 && strcmp(d.msg, msg) == 0;
        if (!ok)
            fprintf(stderr, "\ncase %zu: got %d:%d [%s] %s\n", i, d.line, d.col, d.path, d.msg);
        CU_ASSERT_TRUE(ok);
    }
}

/* DaemonSetSpec has no replicas: like any field the loader does not read, it is passed over
 * (the pod count is one per eligible node), where a Scenario's DaemonSet rejects it. */
static void test_a_daemonset_passes_over_replicas(void)
{
    cs_config *cfg = load_text("ds.yaml", NODE "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\n"
                                               "spec:\n  replicas: 3\n  selector: {matchLabels: {app: agent}}\n"
                                               "  template:\n    metadata: {labels: {app: agent}}\n"
                                               "    spec: {containers: [{name: a, image: fluent-bit}]}\n");
    const cs_workload *agent = workload(cfg, "agent");
    CU_ASSERT_TRUE(agent->daemonset);
    CU_ASSERT_EQUAL(agent->replicas, 1);
    CU_ASSERT_EQUAL(cfg->n_skipped_kinds, 0);
    cs_config_free(cfg);
}

static void test_an_include_that_cannot_be_read_is_named(void)
{
    const char *yaml = "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: x}\nspec:\n"
                       "  duration: 1h\n"
                       "  cluster: {nodePools: [{name: p, count: 1, allocatable: {cpu: 1, memory: 1Gi}}]}\n"
                       "  include: [shop.yaml, nowhere.yaml]\n";
    cs_config *cfg = NULL;
    cs_diag d = {0};
    /* The buffer's name places it in tests/manifests, so shop.yaml is found next to it. */
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_buffer(DIR "/x.yaml", yaml, strlen(yaml), &cfg, &d), CS_EINPUT);
    CU_ASSERT_EQUAL(d.line, 7);
    CU_ASSERT_EQUAL(d.col, 24);
    CU_ASSERT_STRING_EQUAL(d.path, "spec.include[1]");
    CU_ASSERT_STRING_EQUAL(d.msg, "cannot read \"" DIR "/nowhere.yaml\": No such file or directory");
}

/* Fails the 1st, 2nd, ... allocation of a load that succeeds: each run ends in CS_ENOMEM with
 * *out untouched (ASan checks that nothing leaks). */
static void test_every_allocation_failure_is_clean(void)
{
    static const char *const files[] = {DIR "/scenario/with-include.yaml", DIR "/cluster.yaml"};
    for (size_t f = 0; f < 2; f++) {
        long n = 1;
        for (; n < 100000; n++) {
            cs_config sentinel, *cfg = &sentinel;
            cs_diag d = {0};
            cs_alloc_fail_after(n);
            cs_status st = cs_scenario_load_file(files[f], &cfg, &d);
            cs_alloc_fail_after(0);
            if (st == CS_OK) {
                cs_config_free(cfg);
                break;
            }
            CU_ASSERT_EQUAL(st, CS_ENOMEM);
            CU_ASSERT_PTR_EQUAL(cfg, &sentinel);
            CU_ASSERT_STRING_EQUAL(d.msg, "out of memory");
        }
        CU_ASSERT(n > 5);
    }
}

static CU_TestInfo tests[] = {
    {"effective requests follow the scheduler", test_effective_requests_follow_the_scheduler},
    {"limits default requests per resource", test_limits_default_requests_per_resource},
    {"replicas and kinds", test_replicas_and_kinds},
    {"priority class names resolve", test_priority_class_names_resolve},
    {"scheduling fields of the pod template", test_scheduling_fields_of_the_pod_template},
    {"nodes become pools of one", test_nodes_become_pools_of_one},
    {"skipped kinds are counted once each", test_skipped_kinds_are_counted_once_each},
    {"include appends after the scenario", test_include_appends_after_the_scenario},
    {"a plain manifest is a scenario", test_a_plain_manifest_is_a_scenario},
    {"bad manifests are reported where they are", test_bad_manifests_are_reported_where_they_are},
    {"a selector must select its template", test_a_selector_must_select_its_template},
    {"selector keys and values follow apimachinery", test_selector_keys_and_values_follow_apimachinery},
    {"a daemonset passes over replicas", test_a_daemonset_passes_over_replicas},
    {"an include that cannot be read is named", test_an_include_that_cannot_be_read_is_named},
    {"every allocation failure is clean", test_every_allocation_failure_is_clean},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_manifest_suite = {.pName = "manifest", .pTests = tests};
